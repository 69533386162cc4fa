"""The status charts' statuses and the area scoreboard.

- :data:`CHART_STATUSES`: what a status chart draws -- the report statuses of
  :mod:`helpers.report.terms` (the engine's, then "final value not yet published" and "value, not
  scored", then "no data"), so the charts say what the tables say (issue 24: GDP growth, with a
  value every year but no quantified target, is "value, not scored", never grey "no data");
- :func:`shown_status`, :func:`legend_statuses`, :func:`status_counts`: shared with the heatmap
  (:func:`helpers.report.charts.plots.plot_status_heatmap`);
- :func:`plot_area_scoreboard`: status counts per area, stacked horizontal bars.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from helpers import vocab
from helpers.report.charts.parts import first_value, one_geo, require_columns
from helpers.report.charts.style import resolve_lang, use_style
from helpers.report.terms import (
    NOT_SCORED_KEY,
    REPORT_STATUS_COLOURS,
    REPORT_STATUSES,
    T_COUNT,
    T_SCOREBOARD_TITLE,
    T_STATUS,
    report_status,
)


def area_pair(areas: dict | None, key: str) -> tuple[str, str]:
    """An area's (中文, English) names from the plan's ``areas``; its key for both when absent."""
    return (areas or {}).get(key, (key, key))


#: The statuses a status chart draws, best first: the engine's, then ``final_pending`` and
#: ``not_scored`` (a value the engine could not score: :func:`helpers.report.terms.report_status`),
#: then ``no_data`` (no value at all) -- the same words and colours as the tables.
CHART_STATUSES: tuple[str, ...] = tuple(REPORT_STATUSES)


def shown_status(frame: pd.DataFrame, what: str) -> pd.Series:
    """The report status of each row: the engine's ``status``, with ``not_scored`` for a row with
    a ``value`` it could not score (``no_data``) and ``final_pending`` where that column says so;
    a frame without ``value`` is taken as it is. An unknown status is refused."""
    unknown = sorted(set(frame["status"].dropna().astype(str)) - set(CHART_STATUSES))
    if unknown:
        raise ValueError(f"{what}: unknown status(es) {unknown}; expected {list(vocab.STATUS_ORDER)}")
    if "value" not in frame.columns:
        return frame["status"].astype("string").fillna("no_data").astype(object)
    return report_status(frame.assign(status=frame["status"].where(frame["status"] != NOT_SCORED_KEY, "no_data")))


def legend_statuses(status: pd.Series) -> list[str]:
    """The engine's statuses always, the report's own (``not_scored``, ...) only when drawn."""
    present = set(status.dropna().astype(str))
    return [s for s in CHART_STATUSES if s in vocab.STATUS_ORDER or s in present]


def status_counts(frame: pd.DataFrame, areas: dict | None = None) -> pd.DataFrame:
    """Counts of targets per area (rows, plan order) × report status (columns,
    :data:`CHART_STATUSES`), from a latest-status table (one row per target) or an area roll-up
    (``n_<status>`` columns)."""
    one_geo(frame, "scoreboard")
    count_cols = [f"n_{s}" for s in vocab.STATUS_ORDER]
    if "status" in frame.columns:
        require_columns(frame, ("area",), "latest status")
        counts = pd.crosstab(frame["area"].astype(str), shown_status(frame, "latest status").astype(str))
    elif "area" in frame.columns and set(count_cols) <= set(frame.columns):
        rows = frame[frame["area"].astype(str) != "all"]
        if "year" in rows.columns and rows["year"].nunique() > 1:
            raise ValueError("area roll-up: rows of several years; pass one year's rows or the as-of roll-up")
        counts = (rows.assign(area=rows["area"].astype(str)).set_index("area")[count_cols]
                  .rename(columns=lambda c: c[2:]))
    else:
        raise ValueError("scoreboard: pass latest_status (columns area, status) or an area roll-up "
                         "(columns area, n_<status>)")
    present = list(dict.fromkeys(counts.index))
    order = [a for a in (areas or {}) if a in set(present)] + [a for a in present if a not in (areas or {})]
    return counts.reindex(index=order, columns=list(CHART_STATUSES), fill_value=0).astype("int64")


def plot_area_scoreboard(latest: pd.DataFrame, lang: str = "both", areas: dict | None = None) -> Figure:
    """Stacked horizontal bars: per area (plan order, top to bottom), how many targets are in each
    report status (best status on the left, ``no_data`` last; a target with a value the engine
    could not score counts as "value, not scored", as in the tables). Bar widths are counts of
    targets; each segment carries its count.

    ``latest``: the engine's ``latest_status`` (one row per target with ``area`` and ``status``),
    or an area roll-up with ``n_<status>`` count columns for one year (``area_rollup_as_of``; the
    ``all`` row is left out). An ``as_of_limit`` column, when set, goes into the title.
    """
    counts = status_counts(latest, areas)
    use_style()
    lang = resolve_lang(lang)
    area_keys = list(counts.index)
    title = vocab.label(T_SCOREBOARD_TITLE, lang)
    as_of = first_value(latest, "as_of_limit")
    if as_of is not None:
        title += f" ({vocab.label((f'截至{int(as_of)}年', f'as of {int(as_of)}'), lang)})"

    fig, ax = plt.subplots(figsize=(8.0, max(3.0, 0.42 * len(area_keys) + 1.6)))
    y = np.arange(len(area_keys))
    left = np.zeros(len(area_keys), dtype="int64")
    shown = [s for s in CHART_STATUSES if s in vocab.STATUS_ORDER or counts[s].any()]
    for status in shown:
        widths = counts[status].to_numpy()
        bars = ax.barh(y, widths, left=left, height=0.7, color=REPORT_STATUS_COLOURS[status],
                       edgecolor="white", linewidth=0.8, label=vocab.label(REPORT_STATUSES[status], lang),
                       gid=status)
        ax.bar_label(bars, labels=[str(w) if w else "" for w in widths], label_type="center",
                     fontsize=8, color="#222222")
        left += widths
    ax.set_yticks(y, [vocab.label(area_pair(areas, a), lang) for a in area_keys])
    ax.invert_yaxis()
    ax.set_xlabel(vocab.label(T_COUNT, lang))
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.grid(axis="y", visible=False)
    ax.set_xlim(0, max(1, int(left.max())) * 1.02)
    ax.set_title(title)
    fig.legend(loc="outside lower center", ncols=3, title=vocab.label(T_STATUS, lang))
    return fig
