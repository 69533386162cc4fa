"""The pieces of a trajectory chart that draw ONE target's own series, and the rows they read.

- the engine's rows: :func:`first_value`, :func:`as_floats`, :func:`unit_pair` (a missing value
  is NaN or the given default, never an error);
- the target: :func:`target_band` (``between`` / ``~``), :func:`target_direction` (+1 when higher
  is better, −1 when lower is), :func:`resolve_change` (the level a change target aims at), and its
  legend entry :func:`target_legend_text`, number and unit apart ("≥ 45 (10k persons)");
- the series, by kind: :func:`draw_path` (level-like kinds and the running totals),
  :func:`draw_flat` (averages against a flat target), :func:`draw_annual` (bars against a yearly
  quota), :func:`draw_raw` (a running kind's yearly figures); each draws on the axes it is given
  and returns its legend handles in reading order;
- legend entries without a symbol: :func:`trend_entry`, :func:`running_gap_entry`.

Values are in the target's unit (for ``relative`` targets the ratio to the reference); x values
are calendar years. :func:`helpers.report.charts.plots.plot_trajectory` picks the pieces by kind; the figure's
layout is :mod:`helpers.report.charts.layout`'s, the lines beside the target :mod:`helpers.report.charts.context`'s.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from helpers import vocab
from helpers.formats import fmt_exact, fmt_num, target_spec, text_or_none
from helpers.report.charts.style import PALETTE
from helpers.report.terms import (
    DEFINITION_BREAK,
    DEFINITION_BREAK_NOTE,
    T_BASELINE,
    T_DONE_IN_YEAR,
    T_LOWER_PANEL,
    T_NO_BASELINE,
    T_NO_DATA,
    T_QUOTA,
    T_RAW_FLOW,
    T_RAW_RATE,
    T_RAW_RATE_UNIT,
    T_REFERENCE_LEVEL,
    T_REQUIRED,
    T_SHORTFALL,
    T_TARGET,
    T_TARGET_RANGE,
    T_TREND,
    T_UNIT,
)

#: Running kinds whose yearly figures (``value_raw``) are % changes over the previous year.
RATE_KINDS: tuple[str, ...] = ("rate_avg", "rate_total")


# ---------------------------------------------------------------------------------------------
# reading the engine's rows


def first_value(frame: pd.DataFrame, column: str, default=None):
    """First non-missing value of ``column`` (``default`` when absent or all missing)."""
    if column not in frame.columns:
        return default
    present = frame[column].notna().to_numpy()
    return frame[column].iloc[int(present.argmax())] if present.any() else default


def as_floats(series: pd.Series) -> np.ndarray:
    """Float64 numpy array, missing (NA/None) as NaN."""
    return pd.to_numeric(series, errors="coerce").astype("float64").to_numpy()




def one_geo(frame: pd.DataFrame, what: str) -> str | None:
    """The single geo of ``frame`` (None without a geo column); several geos is an error."""
    if "geo" not in frame.columns:
        return None
    geos = frame["geo"].dropna().unique().tolist()
    if len(geos) > 1:
        raise ValueError(f"{what}: rows of several geos {sorted(map(str, geos))}; pass one geo's rows")
    return str(geos[0]) if geos else None


def require_columns(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    """Raise ValueError naming ``what`` and every missing column of ``columns``."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what}: missing column(s) {', '.join(missing)}")


def unit_pair(frame: pd.DataFrame) -> tuple[str, str]:
    """(中文, English) unit of the rows: ``unit_zh`` (else ``unit``) and ``unit``; "" when absent."""
    unit_en = str(first_value(frame, "unit", "") or "")
    unit_zh = str(first_value(frame, "unit_zh", "") or "") or unit_en
    return unit_zh, unit_en


def same_unit(a: str, b: str) -> bool:
    """Whether two unit strings are spellings of one unit (case and spaces aside: "%" = " % ")."""
    return " ".join(str(a).split()).casefold() == " ".join(str(b).split()).casefold()


def _with_unit(number: str, unit: str) -> str:
    """A number and its unit, never run together: ``≥ 65 %``, ``≥ 45 (10k persons)``,
    ``≥ 45 (万人)`` (a unit that starts with a digit would read as part of the number)."""
    unit = unit.strip()
    if not unit:
        return number
    if unit == "%":
        return f"{number} %"
    return f"{number} ({unit})"


# ---------------------------------------------------------------------------------------------
# the target: its band, direction, level and legend entry


def target_band(comparator: str, target: float, target_hi: float, tolerance: float) -> tuple[float, float] | None:
    """[lo, hi] of a `between` / `~` target, else None."""
    if comparator == "between":
        return (target, target_hi)
    if comparator == "~":
        if np.isnan(tolerance) and not np.isnan(target_hi):
            # Engines may store the upper edge of the ~ band instead of the tolerance.
            tolerance = target_hi - target
        return (target - tolerance, target + tolerance)
    return None


def target_direction(comparator: str, baseline: float, band: tuple[float, float] | None) -> int:
    """+1 when higher is better, −1 when lower is better (band: −1 only if the baseline is above it)."""
    if comparator == "<=":
        return -1
    if band is not None and not np.isnan(baseline) and baseline > band[1]:
        return -1
    return 1


def _shortfall_mask(obs: np.ndarray, req: np.ndarray, d: int, band: tuple[float, float] | None) -> np.ndarray:
    """Years where the observed value is behind the required one in the target's direction
    (for a band, only while the value is outside the band)."""
    with np.errstate(invalid="ignore"):
        short = np.isfinite(obs) & np.isfinite(req) & (d * (req - obs) > 0)
        if band is not None:
            short &= (obs < band[0]) | (obs > band[1])
    return short


def fmt_level(x: float) -> str:
    """A level the chart derived (a change target resolved from the baseline): the number
    without binary noise, at most six decimals (77.93 + 1 -> 78.93)."""
    return fmt_exact(round(float(x), 6))


def target_legend_text(lang: str, comparator: str, target: float, tolerance: float, band, target_year: int,
                       unit: tuple[str, str] = ("", ""), num=fmt_exact, origin: str = "") -> str:
    """Legend entry of the target, its number and unit apart: "Target 2021: ≥ 6 (beds per 1000)",
    "Target 2025: ≥ 65 %", "Target range 2021: 10–20 (…)" or, for ``~``, "Target range 2021:
    75 ± 5 (…)" (no "≈": "range" says it already). ``origin`` is appended after " = " (a change
    target: "baseline 77.93 + 1")."""
    unit_text = vocab.label(unit, lang) if any(unit) else ""
    if band is not None:
        if comparator == "~" and not origin:
            # The given tolerance rather than half the band's width, which carries binary noise
            # (77.3 ± 0.05 -> 0.0499999999999972); half the width only when target_band derived it.
            tol = tolerance if np.isfinite(tolerance) else (band[1] - band[0]) / 2
            spec = target_spec("~", target, tolerance=tol, num=num, approx_sign=False)
        else:
            spec = target_spec("between", band[0], band[1], num=num)
        text = f"{vocab.label(T_TARGET_RANGE, lang)} {target_year}: {_with_unit(spec, unit_text)}"
    else:
        text = f"{vocab.label(T_TARGET, lang)} {target_year}: {_with_unit(target_spec(comparator, target, num=num), unit_text)}"
    return f"{text} = {origin}" if origin else text


def change_origin(kind: str, baseline: float, change: float, lang: str) -> str:
    """Where a change target's level comes from: "baseline 77.93 + 1", "baseline 13 - 18 %"."""
    sign = "+" if change >= 0 else "-"
    amount = fmt_exact(abs(change)) + (" %" if kind == "change_pct" else "")
    return f"{vocab.label(T_BASELINE, lang)} {fmt_level(baseline)} {sign} {amount}"


def resolve_change(kind: str, baseline: float, change: float) -> float:
    """The level a change target aims at: x_b + change, or x_b·(1 + change/100)."""
    if kind == "change_pct":
        return baseline * (1 + change / 100)
    return baseline + change


def running_gap_entry(years: np.ndarray, obs: np.ndarray, raw: np.ndarray, lang: str) -> list:
    """A running figure needs every year from the baseline on: when a year is missing and a
    later one has its own figure, a legend entry (no symbol) says from when nothing is scored."""
    missing = ~np.isfinite(obs) & ~np.isfinite(raw)
    later = np.isfinite(raw) | np.isfinite(obs)
    for i in np.flatnonzero(missing):
        if later[i + 1:].any():
            y = int(years[i])
            return [Line2D([], [], linestyle="none", label=vocab.label(
                (f"{y}年无数据: 此后不计累计", f"no value in {y}: nothing scored from then on"), lang))]
    return []


def trend_entry(traj: pd.DataFrame, years: np.ndarray, d: int, b_year: int, lang: str) -> list:
    """A legend entry without a symbol stating a direction target's trend: the level's average
    change in % a year from the baseline to the latest year with a trend (the engine's ``trend``
    is signed so that positive is the wanted way; the entry gives the level's own sign)."""
    if "trend" not in traj.columns:
        return []
    trend = as_floats(traj["trend"])
    have = np.isfinite(trend)
    if not have.any():
        return []
    i = int(np.flatnonzero(have)[-1])
    rate, year = d * trend[i], int(years[i])
    text = vocab.label((f"{T_TREND[0]} {b_year}–{year}: 年均 {rate:+.1f} %",
                        f"{T_TREND[1]} {b_year}–{year}: {rate:+.1f} % a year"), lang)
    return [Line2D([], [], linestyle="none", label=text)]


# ---------------------------------------------------------------------------------------------
# the target's own series, by kind


def draw_path(ax: Axes, years: np.ndarray, obs: np.ndarray, req: np.ndarray,
              baseline: float, b_year: int, t_year: int, target: float, band, d: int,
              target_label: str, obs_label: str, lang: str, reference_level: bool = False,
              no_baseline: tuple[str, str] | None = T_NO_BASELINE) -> list:
    """Level-like kinds and the running totals: observed (scored) line, dashed required path,
    target, shortfall. Without a target (direction, unquantified) only the observed line.

    Returns the legend handles in reading order: observed, required, target, shortfall, reference.
    """
    if np.isfinite(baseline):
        x = np.concatenate([[b_year], years]).astype("float64")
        y_obs = np.concatenate([[baseline], obs])
        y_req = np.concatenate([[baseline], req]) if np.isfinite(req).any() else np.full(len(x), np.nan)
    else:
        x, y_obs, y_req = years.astype("float64"), obs, req
    observed = required = target_artist = shortfall = reference = None
    if reference_level:
        reference = ax.axhline(1.0, color="#999999", linewidth=0.9, zorder=1,
                               label=f"{vocab.label(T_REFERENCE_LEVEL, lang)} = 1")
    if band is not None:
        target_artist = ax.axhspan(band[0], band[1], color=PALETTE["target"], alpha=0.16, linewidth=0,
                                   zorder=0, label=target_label)
    no_baseline_entry = None
    if not np.isfinite(baseline) and no_baseline is not None:
        # Said in the legend (an entry without a symbol), where it cannot cover data.
        no_baseline_entry = Line2D([], [], linestyle="none", label=vocab.label(no_baseline, lang))
    if np.isfinite(y_req).any():
        (required,) = ax.plot(x, y_req, linestyle="--", color=PALETTE["required"], linewidth=1.4,
                              zorder=3, label=vocab.label(T_REQUIRED, lang), gid="required")
    short = _shortfall_mask(y_obs, y_req, d, band)
    if short.any():
        ax.fill_between(x, y_obs, y_req, where=short, interpolate=True, color=PALETTE["shortfall"],
                        alpha=0.28, linewidth=0, zorder=1)
        lo, hi = np.minimum(y_obs[short], y_req[short]), np.maximum(y_obs[short], y_req[short])
        shortfall = ax.vlines(x[short], lo, hi, color=PALETTE["shortfall"], linewidth=2.2, zorder=2,
                              label=vocab.label(T_SHORTFALL, lang))
    if np.isfinite(y_obs).any():
        (observed,) = ax.plot(x, y_obs, marker="o", color=PALETTE["observed"], zorder=4,
                              label=obs_label, gid="observed")
    if band is None and np.isfinite(target):
        # Under the observed marker, so a value that meets the target stays visible.
        (target_artist,) = ax.plot([t_year], [target], linestyle="none", marker="*", markersize=16,
                                   color=PALETTE["target"], markeredgecolor="white", zorder=3.5,
                                   label=target_label, gid="target")
    return [h for h in (observed, required, target_artist, shortfall, reference, no_baseline_entry) if h is not None]


def draw_flat(ax: Axes, years: np.ndarray, obs: np.ndarray, target: float, band, d: int,
              target_label: str, obs_label: str, lang: str) -> list:
    """An average scored against x* every year (rate_avg, annual_mean): the scored line with
    markers, the target as a dashed line (or band) across the years, the shortfall to it."""
    handles = []
    x_span = [years.min() - 0.45, years.max() + 0.45]
    if np.isfinite(obs).any():
        (observed,) = ax.plot(years, obs, marker="o", color=PALETTE["observed"], zorder=4,
                              label=obs_label, gid="observed")
        handles.append(observed)
    if band is not None:
        handles.append(ax.axhspan(band[0], band[1], color=PALETTE["target"], alpha=0.16, linewidth=0,
                                  zorder=0, label=target_label))
        edges = band
    elif np.isfinite(target):
        (line,) = ax.plot(x_span, [target, target], linestyle="--", color=PALETTE["required"],
                          linewidth=1.6, zorder=3, gid="required", label=target_label)
        handles.append(line)
        edges = (target, target)
    else:
        return handles
    with np.errstate(invalid="ignore"):
        edge = np.where(obs < edges[0], edges[0], edges[1])
        short = _shortfall_mask(obs, edge, d, band)
    if short.any():
        lo, hi = np.minimum(obs, edge)[short], np.maximum(obs, edge)[short]
        handles.append(ax.vlines(years[short], lo, hi, color=PALETTE["shortfall"], linewidth=2.2, zorder=2,
                                 label=vocab.label(T_SHORTFALL, lang)))
    return handles


def draw_annual(ax: Axes, years: np.ndarray, obs: np.ndarray, target: float, band, d: int,
                comparator: str, lang: str, unit: tuple[str, str] = ("", "")) -> list:
    """Annual quota: bars per year with a value, dashed quota line (or band), hatched shortfall."""
    handles = []
    unit_text = vocab.label(unit, lang) if any(unit) else ""
    have = np.isfinite(obs)
    if have.any():
        handles.append(ax.bar(years[have], obs[have], width=0.6, color=PALETTE["observed"], zorder=3,
                              label=vocab.label(T_DONE_IN_YEAR, lang), gid="observed"))
        for year in years[~have]:
            ax.text(year, 0, vocab.label(T_NO_DATA, lang), rotation=90, ha="center", va="bottom",
                    fontsize=7.5, color="#888888")
    x_span = [years.min() - 0.45, years.max() + 0.45]
    if band is not None:
        quota = target_spec("between", band[0], band[1], num=fmt_exact)
        handles.append(ax.axhspan(band[0], band[1], color=PALETTE["target"], alpha=0.16, linewidth=0,
                                  zorder=0, label=f"{vocab.label(T_QUOTA, lang)} {_with_unit(quota, unit_text)}"))
        quota_edges = band
    else:
        (line,) = ax.plot(x_span, [target, target], linestyle="--", color=PALETTE["required"],
                          linewidth=1.6, zorder=4, gid="required",
                          label=f"{vocab.label(T_QUOTA, lang)} {_with_unit(target_spec(comparator, target, num=fmt_exact), unit_text)}")
        handles.append(line)
        quota_edges = (target, target)
    with np.errstate(invalid="ignore"):
        below, above = obs < quota_edges[0], obs > quota_edges[1]
    # Shortfall: the missing part up to a floor, or the part above a ceiling.
    if band is not None:
        short = have & (below | above)
    else:
        short = have & (below if d > 0 else above)
    if short.any():
        edge = np.where(obs < quota_edges[0], quota_edges[0], quota_edges[1])
        lo, hi = np.minimum(obs, edge)[short], np.maximum(obs, edge)[short]
        handles.append(ax.bar(years[short], hi - lo, bottom=lo, width=0.6, facecolor="none",
                              edgecolor=PALETTE["shortfall"], hatch="///", linewidth=1.0, zorder=4,
                              label=vocab.label(T_SHORTFALL, lang), gid="shortfall"))
    ax.set_ylim(bottom=0)
    return handles


# ---------------------------------------------------------------------------------------------
# a running kind's yearly figures


def raw_unit_pair(traj: pd.DataFrame, kind: str) -> tuple[str, str]:
    """(中文, English) unit of a running kind's yearly figures (``value_raw``): the target's
    ``value_unit`` when given; else "% over previous year" for the rate kinds and the target's
    unit for the flows."""
    given = text_or_none(first_value(traj, "value_unit"))
    if kind in RATE_KINDS:
        en = given or T_RAW_RATE_UNIT[1]
        return (T_RAW_RATE_UNIT[0] if same_unit(en, T_RAW_RATE_UNIT[1]) else en, en)
    unit_zh, unit_en = unit_pair(traj)
    en = given or unit_en
    return (unit_zh if same_unit(en, unit_en) else en, en)


def raw_shares_axis(traj: pd.DataFrame, kind: str) -> bool:
    """Whether a running kind's yearly figures are in the unit of its scored quantity (then they
    are drawn on the same axes): an average annual rate and the yearly rates are both % a year;
    a period total or yearly average and the yearly flows share the flow's unit. A total change
    (% since the baseline) and a ratio of rates are other units: a panel of their own."""
    if kind == "rate_avg":
        return text_or_none(first_value(traj, "reference_id")) is None
    if kind == "rate_total":
        return False
    return same_unit(raw_unit_pair(traj, kind)[1], unit_pair(traj)[1])


def draw_raw(ax: Axes, years: np.ndarray, raw: np.ndarray, kind: str, lang: str,
             panel: bool, unit: tuple[str, str]) -> list:
    """The yearly figures of a running kind as bars: light, behind the scored line on the same
    axes, or on a small panel of their own titled with their unit (each bar labelled)."""
    have = np.isfinite(raw)
    zh, en = T_RAW_RATE if kind in RATE_KINDS else T_RAW_FLOW
    label = vocab.label((f"{zh} ({T_LOWER_PANEL[0]})", f"{en} ({T_LOWER_PANEL[1]})") if panel else (zh, en), lang)
    bars = ax.bar(years[have], raw[have], width=0.5, color=PALETTE["observed"], alpha=0.55 if panel else 0.28,
                  linewidth=0, zorder=1.5, label=label, gid="raw")
    if panel:
        ax.axhline(0, color="#999999", linewidth=0.8, zorder=1)
        ax.bar_label(bars, labels=[fmt_num(v) for v in raw[have]], fontsize=7.5, color="#333333", padding=1.5)
        ax.margins(y=0.3)
        ax.set_title(vocab.label((f"{zh}, {T_UNIT[0]}: {unit[0]}", f"{en}, {T_UNIT[1]}: {unit[1]}"), lang),
                     loc="left", fontsize=8.5, color="#444444", pad=3.0)
    return [bars]


def hatch_definition_breaks(ax: Axes, cells: pd.DataFrame, order: Sequence[str], years, edges,
                            lang: str = "both"):
    """The status heatmap's caveat: a hatch over every cell whose ``status_note`` says the year's
    definition differs from the baseline year's (issue 21). ``order``: the row targets, ``years``
    the columns, ``edges`` the rows' edges. Returns the legend entry, or None when no cell is hatched."""
    from matplotlib.patches import Patch, Rectangle

    broken = cells[_definition_differs(cells)]
    row_of, col_of = {i: k for k, i in enumerate(order)}, {int(y): k for k, y in enumerate(years)}
    for i, y in zip(broken["indicator_id"], broken["year"]):
        r, c = row_of[i], col_of[int(y)]
        ax.add_patch(Rectangle((c - 0.5, edges[r]), 1, edges[r + 1] - edges[r], fill=False, hatch="///",
                               edgecolor="#555555", linewidth=0))
    if broken.empty:
        return None
    return Patch(facecolor="white", edgecolor="#555555", hatch="///", linewidth=0.5,
                 label=vocab.label(DEFINITION_BREAK, lang))


def _definition_differs(rows: pd.DataFrame) -> np.ndarray:
    notes = rows["status_note"] if "status_note" in rows.columns else pd.Series("", index=rows.index)
    return notes.astype("string").fillna("").str.contains(DEFINITION_BREAK_NOTE, regex=False).to_numpy()


def break_at_definition_change(ax: Axes, traj: pd.DataFrame, b_year: int) -> None:
    """The trajectory chart's caveat (issue 21): the observed line (gid ``observed``) is not drawn
    across a definition break. Between two drawn points whose years differ in whether their
    definition differs from the baseline year's (the baseline point itself does not), a gap is put
    in the line; the markers stay."""
    lines = [ln for ln in ax.get_lines() if ln.get_gid() == "observed"]
    if not lines or "status_note" not in traj.columns:
        return
    differs = dict(zip(traj["year"].astype("int64"), _definition_differs(traj)))
    line = lines[0]
    x = np.asarray(line.get_xdata(), dtype="float64")
    y = np.asarray(line.get_ydata(), dtype="float64")
    cls = np.array([differs.get(int(v), False) if np.isfinite(v) and int(v) != b_year else False for v in x])
    shown = np.flatnonzero(np.isfinite(y))
    cuts = [j for a, j in zip(shown, shown[1:]) if cls[a] != cls[j]]
    if not cuts:
        return
    xs, ys = list(x), list(y)
    for j in reversed(cuts):  # a NaN point between the two halves breaks the line
        xs.insert(j, (x[j - 1] + x[j]) / 2)
        ys.insert(j, np.nan)
    line.set_data(xs, ys)
