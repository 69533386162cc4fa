"""One function per chart; each returns a matplotlib Figure (object-oriented API, no ``plt.show``).

- :func:`plot_trajectory` — one target: observed values, required path, target, benchmarks,
  proxy context series and the shortfall, drawn according to the target's kind.
- :func:`plot_status_heatmap` — every target × year, one colour per status.
- :func:`plot_area_scoreboard` — status counts per area, stacked horizontal bars.

All take ``lang`` (``zh``, ``en`` or ``both`` = "中文 / English") for every title, axis label,
tick label and legend entry; when no CJK font exists the labels fall back to English
(:func:`helpers.report.charts.style.resolve_lang`). Inputs are the engine's tidy tables (helpers.method.gaps); the
functions only read them.

Legibility rules every chart keeps: legends name each series by its label from the data (a
context series' ``label_zh`` / ``label_en``, else its suffix in words, never an internal key);
one y axis, and a second only for another unit, which its label names; a series with a single
value is a visible marker inside the axes; the "no data" note goes where nothing is drawn;
a number and its unit are kept apart ("≥ 45 (10k persons)"); titles are wrapped, never cut.

This module holds the three public functions and what only they use; the pieces live by role:
:mod:`helpers.report.charts.parts` draws a target's own series (by kind), :mod:`helpers.report.charts.context` the
benchmark and context lines beside it, :mod:`helpers.report.charts.statuses` holds the status charts' statuses (the report's, "value, not scored"
apart from "no data") and the scoreboard, :mod:`helpers.report.charts.layout` wraps titles, places legends,
measures margins and finds a spot for the "no data" note. Imports go charts → chartcontext →
chartparts, and charts → chartlayout; none of them imports this module.
"""

from __future__ import annotations

import unicodedata

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import transforms
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator, ScalarFormatter

from helpers import vocab
from helpers.formats import fmt_exact, text_or_none
from helpers.method import kinds
from helpers.report.charts.context import benchmark_lines, context_lines, key_name
from helpers.report.charts.layout import (
    AREA_LABEL_GAP_PT,
    AREA_LABEL_SIZE,
    bottom_legend,
    label_lines,
    no_data_note,
    place_heatmap,
    place_single_axes,
    set_title,
    trajectory_legend,
    wrap_text,
)
from helpers.report.charts.parts import (
    as_floats,
    break_at_definition_change,
    change_origin,
    draw_annual,
    draw_flat,
    draw_path,
    draw_raw,
    first_value,
    fmt_level,
    hatch_definition_breaks,
    one_geo,
    raw_shares_axis,
    raw_unit_pair,
    require_columns,
    resolve_change,
    running_gap_entry,
    target_band,
    target_direction,
    target_legend_text,
    trend_entry,
    unit_pair,
)
from helpers.report.charts.statuses import (
    CHART_STATUSES,
    legend_statuses,
    plot_area_scoreboard,
    shown_status,
)
from helpers.report.charts.statuses import area_pair as _area_pair
from helpers.report.charts.style import resolve_lang, use_style
from helpers.report.terms import (
    REPORT_STATUS_COLOURS,
    REPORT_STATUSES,
    T_HEATMAP_TITLE,
    T_NO_BASELINE,
    T_NO_BASELINE_CHANGE,
    T_NO_BASELINE_TREND,
    T_NO_DATA,
    T_NOT_APPLICABLE,
    T_OBSERVED,
    T_RATIO,
    T_RUNNING_TOTAL,
    T_SCORED,
    T_STATUS,
    T_UNQUANTIFIED,
    T_WANTED_DOWN,
    T_WANTED_UP,
    T_YEAR,
)

__all__ = ["plot_trajectory", "plot_status_heatmap", "plot_area_scoreboard"]

#: Columns plot_trajectory needs; baseline_year/target_year/tolerance/unit_zh/geo are optional.
TRAJECTORY_COLUMNS: tuple[str, ...] = (
    "indicator_id", "name_zh", "name_en", "unit", "kind", "comparator", "year", "value",
    "baseline", "target", "target_hi", "required", "status",
)
#: Figure height (inches) of a trajectory chart with no observed value, benchmark or context
#: series: only the target (and its required path) to show.
COMPACT_HEIGHT = 2.8
#: Running kinds: the scored quantity is built from the yearly figures (``value_raw``).
RUNNING_KINDS: tuple[str, ...] = kinds.RUNNING_KINDS
#: Averages scored against the target every year: a flat target line, no baseline point.
FLAT_KINDS: tuple[str, ...] = ("rate_avg", "annual_mean")
CHANGE_KINDS: tuple[str, ...] = kinds.CHANGE_KINDS
DIRECTION_KIND = kinds.DIRECTION_KIND
UNQUANTIFIED_KIND = kinds.UNQUANTIFIED_KIND
#: Inches added to a chart whose yearly figures need a panel of their own.
PANEL_HEIGHT = 1.3



# ---------------------------------------------------------------------------------------------
# trajectory


def plot_trajectory(traj: pd.DataFrame, benchmarks: pd.DataFrame | None = None,
                    context: pd.DataFrame | None = None, lang: str = "both",
                    geo_names=key_name) -> Figure:
    """Trajectory of ONE target: where it is, where it should be, and where it must end.

    ``traj``: the engine's trajectory rows of one target (and one geo), years b+1..T, with the
    columns :data:`TRAJECTORY_COLUMNS` (``value`` and ``required`` in the target's unit; for
    ``relative`` targets the ratio to the reference). ``baseline_year`` / ``target_year`` columns
    are used when present, else min(year) − 1 / max(year); ``tolerance`` (for ``~``),
    ``unit_zh``, ``target_point``, ``value_raw``, ``value_unit``, ``reference_id``, ``trend``
    and ``direction`` likewise.

    Drawn by kind:

    - level / cumulative / relative: observed values as markers + line starting at the baseline
      point (when the baseline is known); a missing year is a break in the line, never
      interpolated. The required path is dashed from the baseline to the target; the target is a
      star at the target year, or a translucent band for ``between`` / ``~`` ([target ± tolerance]).
      The shortfall (observed behind required in the target's direction) is shaded.
      ``relative`` adds a thin line at ratio 1.0 (the reference level).
    - change / change_pct: as level, against the level the change resolves to from the baseline
      (``target_point``); the target's legend entry says so ("= baseline 77.93 + 1").
    - running kinds (rate_avg, rate_total, period_total, annual_mean): the scored quantity (the
      average rate so far, the total so far, ...) as the line with markers against the target
      (a flat line for the averages, the path from 0 for the totals), and the year's own figures
      (``value_raw``) as bars: on the same axes when in the same unit, else on a small panel
      below, titled with their unit. The legend names both.
    - direction: the level series; no target or required path; the legend states the trend
      (``trend``, % a year since the baseline) and the subtitle the wanted direction.
    - unquantified: the values only; subtitle "无量化目标 / no quantified target".
    - annual: a bar per year against the dashed yearly quota line; the missing part of a bar
      short of the quota (or the excess above a ``<=`` quota) is hatched.

    ``benchmarks`` (tidy: indicator_id, geo, year, value; other geos than the target's) become thin
    grey lines with markers labelled ``geo_names(geo, lang)`` (e.g. :meth:`helpers.data.plan.Plan.geo_label`;
    default the key), for level-like kinds only (for relative, divided by the reference series
    ``reference_id`` found in the same frame). ``context`` (proxy series ``<target_id>:<suffix>``,
    labelled by their ``label_zh``/``label_en`` columns or their suffix in words) shares the main
    axis in the target's unit, else one secondary axis that says so. A target with no observed value still shows its target and
    required path and says "no data" where no series is drawn; when it has no benchmark or
    context line either, the figure is :data:`COMPACT_HEIGHT` inches high instead of the style's
    4.5 (more when a legend of three or more rows or a long unit label needs it). Titles are
    wrapped, never cut.
    """
    require_columns(traj, TRAJECTORY_COLUMNS, "trajectory")
    if traj.empty:
        raise ValueError("trajectory: no rows (pass the rows of one target)")
    ids = traj["indicator_id"].dropna().unique()
    if len(ids) != 1:
        raise ValueError(f"trajectory: rows of {len(ids)} targets {sorted(map(str, ids))[:5]}; pass one target's rows")
    own_geo = one_geo(traj, "trajectory")
    use_style()
    lang = resolve_lang(lang)

    traj = traj.sort_values("year")
    years = traj["year"].astype("int64").to_numpy()
    obs = as_floats(traj["value"])
    req = as_floats(traj["required"])
    kind = str(first_value(traj, "kind"))
    comparator = str(first_value(traj, "comparator"))
    baseline = float(first_value(traj, "baseline", np.nan))
    target = float(first_value(traj, "target", np.nan))
    target_hi = float(first_value(traj, "target_hi", np.nan))
    tolerance = float(first_value(traj, "tolerance", np.nan))
    b_year = int(first_value(traj, "baseline_year", years.min() - 1))
    t_year = int(first_value(traj, "target_year", years.max()))
    unit = unit_pair(traj)
    band = target_band(comparator, target, target_hi, tolerance)
    origin = ""
    if kind in CHANGE_KINDS:  # the target is a change: the level it resolves to from x_b
        point = float(first_value(traj, "target_point", np.nan))
        change = target
        target = point if np.isfinite(point) else resolve_change(kind, baseline, change)
        if band is not None:
            band = (resolve_change(kind, baseline, band[0]), resolve_change(kind, baseline, band[1]))
            if not np.isfinite(band).all():
                band = None
        if np.isfinite(target) and band is None:
            origin = change_origin(kind, baseline, change, lang)
    engine_d = first_value(traj, "direction")  # the engine's own choice of side, when it gives one
    d = int(engine_d) if engine_d in (1, -1) else target_direction(comparator, baseline, band)
    running = kind in RUNNING_KINDS
    raw = as_floats(traj["value_raw"]) if running and "value_raw" in traj.columns else np.full(len(years), np.nan)
    show_raw = bool(np.isfinite(raw).any())
    panel = None
    if show_raw and not raw_shares_axis(traj, kind):
        fig, (ax, panel) = plt.subplots(2, 1, sharex=True, layout="none", height_ratios=[3.0, 1.25])
        fig.set_figheight(fig.get_figheight() + PANEL_HEIGHT)
    else:
        fig, ax = plt.subplots(layout="none")  # margins: place_single_axes
    handles: list = []
    subtitle = None
    target_label = target_legend_text(lang, comparator, target, tolerance, band, t_year, unit,
                                      num=fmt_level if kind in CHANGE_KINDS else fmt_exact, origin=origin)
    if kind == "annual":
        handles += draw_annual(ax, years, obs, target, band, d, comparator, lang, unit)
    elif kind in FLAT_KINDS:
        obs_label = T_SCORED["rate_avg_ratio" if text_or_none(first_value(traj, "reference_id")) else kind]
        handles += draw_flat(ax, years, obs, target, band, d, target_label, vocab.label(obs_label, lang), lang)
    elif kind == DIRECTION_KIND:
        subtitle = vocab.label(T_WANTED_UP if d > 0 else T_WANTED_DOWN, lang)
        handles += draw_path(ax, years, obs, np.full(len(years), np.nan), baseline, b_year, t_year,
                             np.nan, None, d, "", vocab.label(T_OBSERVED, lang), lang,
                             no_baseline=T_NO_BASELINE_TREND)
        handles += trend_entry(traj, years, d, b_year, lang)
    elif kind == UNQUANTIFIED_KIND:
        subtitle = vocab.label(T_UNQUANTIFIED, lang)
        handles += draw_path(ax, years, obs, np.full(len(years), np.nan), baseline, b_year, t_year,
                             np.nan, None, d, "", vocab.label(T_OBSERVED, lang), lang, no_baseline=None)
    else:
        obs_label = T_SCORED.get(kind) or {"cumulative": T_RUNNING_TOTAL, "relative": T_RATIO}.get(kind, T_OBSERVED)
        handles += draw_path(ax, years, obs, req, baseline, b_year, t_year, target, band, d, target_label,
                             vocab.label(obs_label, lang), lang, reference_level=kind == "relative",
                             no_baseline=T_NO_BASELINE_CHANGE if kind in CHANGE_KINDS else T_NO_BASELINE)
    if show_raw:
        raw_handles = draw_raw(panel if panel is not None else ax, years, raw, kind, lang,
                               panel is not None, raw_unit_pair(traj, kind))
        handles[1:1] = raw_handles  # next to the scored line it is built from
    break_at_definition_change(ax, traj, b_year)  # the observed line is not drawn across a break
    if running:
        handles += running_gap_entry(years, obs, raw, lang)
    own_series = len(handles)
    handles += benchmark_lines(ax, traj, benchmarks, kind, own_geo, (b_year, t_year), lang, geo_names)
    raw_on_main = (raw_unit_pair(traj, kind)[1],) if show_raw and panel is None else ()
    handles += context_lines(ax, traj, context, own_geo, (b_year, t_year), lang, geo_names, raw_on_main)
    no_data = not np.isfinite(obs).any() and not show_raw
    # Nothing but the plan's own target (and its path): a low chart says it without a screenful
    # of empty axes.
    compact = no_data and len(handles) == own_series
    if compact:
        fig.set_figheight(COMPACT_HEIGHT)

    set_title(ax, str(first_value(traj, "name_zh", "")), str(first_value(traj, "name_en", "")), lang, subtitle)
    (panel if panel is not None else ax).set_xlabel(vocab.label(T_YEAR, lang))
    ax.set_ylabel(vocab.label(unit, lang))
    for axes in fig.axes:  # about five labelled values (three when compact or a panel): enough to read
        small = compact or axes is panel
        axes.yaxis.set_major_locator(MaxNLocator(nbins=3 if small else 5, steps=[1, 2, 2.5, 5, 10]))
        # Whole numbers on the ticks: no "1e7" or "+1.02e7" above the axis, where the title is.
        plain = ScalarFormatter(useOffset=False)
        plain.set_scientific(False)
        axes.yaxis.set_major_formatter(plain)
    # A yearly quota or average has no baseline point; a context or benchmark value in the
    # baseline year still gets its place on the axis.
    first_year = b_year + 1 if kind == "annual" or kind in FLAT_KINDS else b_year
    drawn = [x for a in fig.axes for ln in a.get_lines()
             for x, y in zip(np.asarray(ln.get_xdata(), dtype="float64"), np.asarray(ln.get_ydata(), dtype="float64"))
             if np.isfinite(x) and np.isfinite(y) and ln.get_gid() in ("benchmark", "context")]
    if drawn:
        first_year = min(first_year, int(min(drawn)))
    ax.set_xticks(np.arange(first_year, t_year + 1))
    ax.set_xlim(first_year - 0.6, t_year + 0.6)
    legend = trajectory_legend(fig, handles, [h.get_label() for h in handles])
    twin = next((a for a in fig.axes if a is not ax and a is not panel), None)
    place_single_axes(fig, ax, legend, twin=twin, panel=panel)
    if no_data:
        no_data_note(fig, ax, vocab.label(T_NO_DATA, lang))
    return fig


# ---------------------------------------------------------------------------------------------
# heatmap


#: A bilingual heatmap of at most this many targets writes each name on two lines.
HEATMAP_TWO_LINE_ROWS = 40
#: Display columns (a CJK character counts two) of a heatmap row label's lines, by language;
#: ``two_lines``: (Chinese, English) of the two-line labels. A longer name wraps, never cut.
HEATMAP_LABEL_COLUMNS: dict = {"zh": 44, "en": 40, "both": 48, "two_lines": (60, 56)}
#: Display columns of an area's name right of the heatmap (a longer one wraps, never cut).
AREA_LABEL_COLUMNS = 24
#: Inches between the row labels of neighbouring rows, at least (a row grows to keep it).
HEATMAP_ROW_PAD = 0.09


def _target_order(traj: pd.DataFrame, areas: dict | None = None) -> list[str]:
    """Targets grouped by area in the order of ``areas`` (the plan's), then other areas in
    first-appearance order; first-appearance order inside an area."""
    first = traj.drop_duplicates("indicator_id")[["indicator_id", "area"]].reset_index(drop=True)
    order = list(dict.fromkeys([*(areas or {}), *first["area"].astype(str)]))
    area_rank = {a: i for i, a in enumerate(order)}
    first["rank"] = first["area"].map(area_rank).fillna(len(area_rank)).astype("int64")
    first["pos"] = np.arange(len(first))
    return first.sort_values(["rank", "pos"])["indicator_id"].astype(str).tolist()


def _row_labels(names: pd.DataFrame, lang: str, two_lines: bool) -> list[str]:
    """Each target's row label, never cut: the name wrapped at :data:`HEATMAP_LABEL_COLUMNS`
    display columns into even lines (two-line labels: the Chinese name, then the English one,
    each wrapped so)."""
    labels = []
    for zh, en in zip(names["name_zh"].astype(str), names["name_en"].astype(str)):
        if two_lines:
            lines = wrap_text(zh, HEATMAP_LABEL_COLUMNS["two_lines"][0], balanced=True)
            if en != zh:
                lines += wrap_text(en, HEATMAP_LABEL_COLUMNS["two_lines"][1], balanced=True)
        else:
            lines = label_lines(zh, en, lang, HEATMAP_LABEL_COLUMNS[lang], balanced=True)
        labels.append("\n".join(_hard_wrap(lines, max(HEATMAP_LABEL_COLUMNS["two_lines"]))))
    return labels


def _hard_wrap(lines: list[str], width: int) -> list[str]:
    """``lines`` with any line wider than ``width`` display columns (an unbroken token: a URL, a
    90-letter word) broken at ``width``: the margins stay bounded, the text whole."""
    out = []
    for line in lines:
        piece, cols = "", 0
        for ch in line:
            w = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
            if cols + w > width and piece:
                out.append(piece)
                piece, cols = "", 0
            piece, cols = piece + ch, cols + w
        out.append(piece)
    return out


def _row_edges(labels: list[str], label_size: float, row_height: float) -> np.ndarray:
    """y of the rows' edges (top to bottom), in units of ``row_height`` inches: each row is
    ``row_height`` high, or as high as its label's lines need (:data:`HEATMAP_ROW_PAD` apart).
    Equal rows have their edges at −0.5, 0.5, …, n − 0.5 (row i centred on i)."""
    line = label_size * 1.2  # points from one line to the next (matplotlib's text line spacing)
    heights = [max(row_height, (label.count("\n") + 1) * line / 72 + HEATMAP_ROW_PAD) / row_height
               for label in labels]
    return np.concatenate([[0.0], np.cumsum(heights)]) - 0.5


def plot_status_heatmap(traj: pd.DataFrame, lang: str = "both", areas: dict | None = None) -> Figure:
    """Targets (rows, grouped by area in the plan's order) × years, one colour per status.

    ``traj``: the engine's trajectory table for one geo (columns indicator_id, area, name_zh,
    name_en, year, status; with ``value``, a cell with a value the engine could not score is
    "value, not scored", never "no data"). Colours come from
    :data:`helpers.report.terms.REPORT_STATUS_COLOURS`; ``no_data`` (no value at all) is light grey. A year outside a target's own span (it ends before the others) is left blank
    ("not applicable"). Row labels are the target names in ``lang``, never cut: a bilingual
    heatmap of at most :data:`HEATMAP_TWO_LINE_ROWS` targets gives each name two lines (Chinese,
    English) and taller rows; a name wider than :data:`HEATMAP_LABEL_COLUMNS` wraps onto more
    lines, and its row grows to hold them (the others keep their height).
    """
    require_columns(traj, ("indicator_id", "area", "name_zh", "name_en", "year", "status"), "trajectory")
    if traj.empty:
        raise ValueError("trajectory: no rows")
    one_geo(traj, "trajectory")
    status = shown_status(traj, "trajectory")
    use_style()
    lang = resolve_lang(lang)

    order = _target_order(traj, areas)
    years = np.sort(traj["year"].astype("int64").unique())
    code_of = {s: i for i, s in enumerate(CHART_STATUSES)}
    cells = traj.assign(code=status.astype("string").map(code_of).astype("float64"),
                        year=traj["year"].astype("int64"))
    grid = cells.pivot_table(index="indicator_id", columns="year", values="code", aggfunc="first")
    grid = grid.reindex(index=order, columns=years)
    codes = np.ma.masked_invalid(grid.to_numpy(dtype="float64"))

    names = traj.drop_duplicates("indicator_id").set_index("indicator_id").loc[order]
    n_rows = len(order)
    # A bilingual heatmap of a few dozen targets has room for each name on two lines (Chinese,
    # then English) and longer; a long one keeps one line per row for the names that fit it.
    two_lines = lang == "both" and n_rows <= HEATMAP_TWO_LINE_ROWS
    labels = _row_labels(names, lang, two_lines)
    label_size = 7.5 if n_rows > 30 or two_lines else 8.5
    area_keys = names["area"].astype(str).tolist()

    row_height = 0.36 if two_lines else 0.24
    edges = _row_edges(labels, label_size, row_height)
    centres = (edges[:-1] + edges[1:]) / 2
    fig, ax = plt.subplots(figsize=(8.0 if lang != "zh" else 7.0, max(3.0, row_height * (edges[-1] - edges[0]) + 1.6)),
                           layout="none")  # margins: place_heatmap
    cmap = ListedColormap([REPORT_STATUS_COLOURS[s] for s in CHART_STATUSES]).with_extremes(bad=(1, 1, 1, 0))
    norm = BoundaryNorm(np.arange(len(CHART_STATUSES) + 1) - 0.5, cmap.N)
    ax.pcolormesh(np.arange(len(years) + 1) - 0.5, edges, codes, cmap=cmap,
                  norm=norm, edgecolors="white", linewidth=0.8)
    hatch = hatch_definition_breaks(ax, cells, order, years, edges, lang)  # a status's caveat: a hatch
    ax.set_ylim(edges[-1], edges[0])
    ax.set_xlim(-0.5, len(years) - 0.5)
    ax.set_xticks(np.arange(len(years)), [str(y) for y in years])
    ax.set_yticks(centres, labels)
    ax.tick_params(axis="both", length=0)
    ax.tick_params(axis="y", labelsize=label_size)
    ax.xaxis.tick_top()
    ax.grid(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    # Area groups: a line between groups and the area's name on the right.
    starts = [i for i in range(n_rows) if i == 0 or area_keys[i] != area_keys[i - 1]]
    # x: just right of the axes (axes fraction + a few points), y: the group's middle row.
    beside = transforms.offset_copy(ax.get_yaxis_transform(), fig=fig, x=AREA_LABEL_GAP_PT, units="points")
    area_names = []
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else n_rows
        if start > 0:
            ax.axhline(edges[start], color="#444444", linewidth=0.9)
        area_names.append("\n".join(_hard_wrap([x for part in vocab.label(_area_pair(areas, area_keys[start]), lang)
                                                 .split(" / ") for x in wrap_text(part, AREA_LABEL_COLUMNS)],
                                                AREA_LABEL_COLUMNS)))
        ax.text(1.0, (edges[start] + edges[end]) / 2, area_names[-1], transform=beside,
                va="center", ha="left", fontsize=AREA_LABEL_SIZE, color="#444444")
    ax.set_title(vocab.label(T_HEATMAP_TITLE, lang))
    handles = [Patch(facecolor=REPORT_STATUS_COLOURS[s], edgecolor="#BBBBBB", linewidth=0.5,
                     label=vocab.label(REPORT_STATUSES[s], lang)) for s in legend_statuses(status)]
    handles.append(Patch(facecolor="white", edgecolor="#BBBBBB", linewidth=0.5,
                         label=vocab.label(T_NOT_APPLICABLE, lang)))
    handles += [hatch] if hatch is not None else []
    # Seven short Chinese labels fit on one row; English or bilingual ones need two.
    legend = bottom_legend(fig, handles, [h.get_label() for h in handles], ncols=7 if lang == "zh" else 4,
                           title=vocab.label(T_STATUS, lang))
    place_heatmap(fig, ax, legend, labels, label_size, area_names)
    return fig


# ---------------------------------------------------------------------------------------------
# scoreboard
