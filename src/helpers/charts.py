"""One function per chart; each returns a matplotlib Figure (object-oriented API, no ``plt.show``).

- :func:`plot_trajectory` — one target: observed values, required path, target, benchmarks,
  proxy context series and the shortfall, drawn according to the target's kind.
- :func:`plot_status_heatmap` — every target × year, one colour per status.
- :func:`plot_area_scoreboard` — status counts per area, stacked horizontal bars.

All take ``lang`` (``zh``, ``en`` or ``both`` = "中文 / English") for every title, axis label,
tick label and legend entry; when no CJK font exists the labels fall back to English
(:func:`helpers.style.resolve_lang`). Inputs are the engine's tidy tables (helpers.gaps); the
functions only read them.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import transforms
from matplotlib.axes import Axes
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator, ScalarFormatter

from helpers import vocab
from helpers.formats import fmt_exact, target_spec
from helpers.style import PALETTE, resolve_lang, use_style

#: Columns plot_trajectory needs; baseline_year/target_year/tolerance/unit_zh/geo are optional.
TRAJECTORY_COLUMNS: tuple[str, ...] = (
    "indicator_id", "name_zh", "name_en", "unit", "kind", "comparator", "year", "value",
    "baseline", "target", "target_hi", "required", "status",
)
#: Figure height (inches) of a trajectory chart with no observed value, benchmark or context
#: series: only the target (and its required path) to show.
COMPACT_HEIGHT = 2.8
#: Kinds whose benchmark series are drawn: rates and levels compare across jurisdictions, yearly
#: flows and running totals of a province or a country do not (they would flatten the chart).
BENCHMARK_KINDS: frozenset[str] = frozenset({"level", "relative"})

# Bilingual strings used on the charts (zh, en).
T_YEAR = ("年份", "Year")
T_OBSERVED = ("实际值", "Observed")
T_RUNNING_TOTAL = ("累计完成", "Running total")
T_DONE_IN_YEAR = ("当年完成", "Done in the year")
T_RATIO = ("与参照之比", "Ratio to reference")
T_REQUIRED = ("要求路径", "Required path")
T_QUOTA = ("年度目标", "Yearly quota")
T_TARGET = ("目标", "Target")
T_TARGET_RANGE = ("目标区间", "Target range")
T_SHORTFALL = ("差距", "Shortfall")
T_REFERENCE_LEVEL = ("参照水平", "Reference level")
T_CONTEXT = ("参考序列, 口径不同, 不计分", "context, other measure, not scored")
T_NO_DATA = ("无数据", "no data")
T_NO_BASELINE = ("无基期值: 不画要求路径", "no baseline value: no required path")
T_NOT_APPLICABLE = ("不适用", "not applicable")
T_HEATMAP_TITLE = ("各目标逐年状态", "Status of every target by year")
T_SCOREBOARD_TITLE = ("各领域目标状态", "Status of targets by area")
T_COUNT = ("目标数(个)", "Number of targets")
T_STATUS = ("状态", "Status")


# ---------------------------------------------------------------------------------------------
# small helpers


def _t(pair: tuple[str, str], lang: str) -> str:
    return vocab.label(pair, lang)


def _first(frame: pd.DataFrame, column: str, default=None):
    """First non-missing value of ``column`` (``default`` when absent or all missing)."""
    if column not in frame.columns:
        return default
    present = frame[column].notna().to_numpy()
    return frame[column].iloc[int(present.argmax())] if present.any() else default


def _floats(series: pd.Series) -> np.ndarray:
    """Float64 numpy array, missing (NA/None) as NaN."""
    return pd.to_numeric(series, errors="coerce").astype("float64").to_numpy()


def _wrap_title(title: str, width: int = 58) -> str:
    """Long bilingual titles go on two lines (Chinese, then English); others wrap at ``width``."""
    if len(title) <= width:
        return title
    if " / " in title:
        zh, en = title.split(" / ", 1)
        return f"{zh}\n{textwrap.shorten(en, width=width + 20, placeholder='…')}"
    return textwrap.fill(title, width=width)


def _truncate(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _unit_label(frame: pd.DataFrame, lang: str) -> str:
    unit_en = str(_first(frame, "unit", "") or "")
    unit_zh = str(_first(frame, "unit_zh", "") or "") or unit_en
    return vocab.label((unit_zh, unit_en), lang)


def _require_columns(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what}: missing column(s) {', '.join(missing)}")


def _one_geo(frame: pd.DataFrame, what: str) -> str | None:
    """The single geo of ``frame`` (None without a geo column); several geos is an error."""
    if "geo" not in frame.columns:
        return None
    geos = frame["geo"].dropna().unique().tolist()
    if len(geos) > 1:
        raise ValueError(f"{what}: rows of several geos {sorted(map(str, geos))}; pass one geo's rows")
    return str(geos[0]) if geos else None


def _legend(fig: Figure, handles: list, labels: list[str]):
    """The trajectory chart's legend below the axes (never over the data); None without handles.
    Columns by label length; a legend of more than two rows makes the figure taller."""
    if not handles:
        return None
    longest = max(len(lb) for lb in labels)
    ncols = 1 if longest > 46 else 2 if longest > 26 else 3
    rows = -(-len(handles) // ncols)
    if rows > 2:  # a tall legend gets its own room instead of squeezing the axes
        fig.set_figheight(fig.get_figheight() + 0.2 * (rows - 2))
    return _bottom_legend(fig, handles, labels, ncols=min(ncols, len(handles)))


def _bottom_legend(fig: Figure, handles: list, labels: list[str], ncols: int, title: str | None = None):
    """A figure legend centred :data:`_MARGIN_PT` above the bottom edge (anchored in inches, so
    it stays there when the figure's height changes); the caller makes room for it."""
    anchor = transforms.blended_transform_factory(fig.transFigure, fig.dpi_scale_trans)
    return fig.legend(handles, labels, loc="lower center", ncols=ncols, title=title,
                      bbox_to_anchor=(0.5, _MARGIN_PT / 72), bbox_transform=anchor, borderaxespad=0.0)


#: Outer margin of a chart, points.
_MARGIN_PT = 6.0


#: Measured (width, height) of tick strings by (text, size, font families, hinting, dpi): the
#: same few strings ("0", "2021", ...) recur on every chart of a report.
_TEXT_POINTS: dict[tuple, tuple[float, float]] = {}


def _text_points(renderer, text: str, size: float) -> tuple[float, float]:
    """(width, height) in points of one line of ``text`` at ``size`` points in the current font."""
    from matplotlib.font_manager import FontProperties

    key = (text, size, tuple(plt.rcParams["font.family"]), plt.rcParams["text.hinting"], renderer.dpi)
    if key not in _TEXT_POINTS:
        w, h, _ = renderer.get_text_width_height_descent(text, FontProperties(size=size), ismath=False)
        if len(_TEXT_POINTS) > 4096:
            _TEXT_POINTS.clear()
        _TEXT_POINTS[key] = (w * 72 / renderer.dpi, h * 72 / renderer.dpi)
    return _TEXT_POINTS[key]


def _tick_strings(axis) -> list[str]:
    """The major tick labels ``axis`` will draw at its current size and limits."""
    locs = axis.get_majorticklocs()
    lo, hi = sorted(axis.get_view_interval())
    eps = (hi - lo) * 1e-9
    shown = [v for v in locs if lo - eps <= v <= hi + eps]
    return [s for s in axis.get_major_formatter().format_ticks(shown) if s] if shown else []


def _axis_depth(renderer, axis, which: str) -> float:
    """Points a y axis needs beside its spine: tick marks, widest tick label, axis label."""
    rc = plt.rcParams
    size = rc[f"{which}.labelsize"]
    labels = _tick_strings(axis)
    widest = max((_text_points(renderer, s, size)[0] for s in labels), default=0.0)
    depth = rc[f"{which}.major.size"] + rc[f"{which}.major.pad"] + widest
    if axis.label.get_text():
        bbox = axis.label.get_window_extent(renderer)  # rotated: its width is its depth
        depth += rc["axes.labelpad"] + bbox.width * 72 / renderer.dpi
    return depth


def _place_single_axes(fig: Figure, ax: Axes, legend=None, twin: Axes | None = None) -> None:
    """Margins measured from the chart's own texts, set once with ``subplots_adjust``.

    Used instead of constrained layout for the per-target charts: constrained layout makes every
    ``savefig`` run a draw-disabled pre-pass over all artists, a quarter of a chart's cost, and a
    report draws one chart per target. Measured: title, legend and axis labels (their layout is
    cached for the real draw), tick labels as the axes' locators and formatters will produce them.
    """
    rc = plt.rcParams
    renderer = fig.canvas.get_renderer()
    pt = 72 / renderer.dpi
    width_pt, height_pt = fig.get_size_inches() * 72
    top = _MARGIN_PT
    if ax.get_title():
        top += ax.title.get_window_extent(renderer).height * pt + rc["axes.titlepad"]
    bottom = _MARGIN_PT
    if legend is not None:
        bottom += legend.get_window_extent(renderer).height * pt + _MARGIN_PT
    bottom += rc["xtick.major.size"] + rc["xtick.major.pad"] + _text_points(renderer, "0123456789", rc["xtick.labelsize"])[1]
    if ax.get_xlabel():
        bottom += rc["axes.labelpad"] + ax.xaxis.label.get_window_extent(renderer).height * pt
    # A y label runs along the axes. On a low (compact) chart a bilingual label too long for it
    # goes on two lines (Chinese, English); a label still too long makes the figure taller.
    room = height_pt - top - bottom - _MARGIN_PT

    def label_length(a: Axes) -> float:
        return a.yaxis.label.get_window_extent(renderer).height * pt

    labelled = [a for a in (ax, twin) if a is not None and a.get_ylabel()]
    for a in labelled:
        if " / " in a.get_ylabel() and label_length(a) > room:
            a.set_ylabel(a.get_ylabel().replace(" / ", "\n", 1))
    longest_label = max((label_length(a) for a in labelled), default=0.0)
    if room < longest_label:
        height_pt = longest_label + _MARGIN_PT + top + bottom
        fig.set_figheight(height_pt / 72)
    fig.subplots_adjust(top=1 - top / height_pt, bottom=bottom / height_pt)
    # The axes' height is final now, so the locators give the ticks that will be drawn.
    left = _MARGIN_PT + _axis_depth(renderer, ax.yaxis, "ytick")
    right = _MARGIN_PT + (_axis_depth(renderer, twin.yaxis, "ytick") if twin is not None else 0.0)
    fig.subplots_adjust(left=left / width_pt, right=1 - right / width_pt)


def _no_data_note(ax: Axes, lang: str) -> None:
    ax.text(0.5, 0.5, _t(T_NO_DATA, lang), transform=ax.transAxes, ha="center", va="center",
            fontsize=14, color="#777777", zorder=5)


# ---------------------------------------------------------------------------------------------
# trajectory


def _band(comparator: str, target: float, target_hi: float, tolerance: float) -> tuple[float, float] | None:
    """[lo, hi] of a `between` / `~` target, else None."""
    if comparator == "between":
        return (target, target_hi)
    if comparator == "~":
        if np.isnan(tolerance) and not np.isnan(target_hi):
            # Engines may store the upper edge of the ~ band instead of the tolerance.
            tolerance = target_hi - target
        return (target - tolerance, target + tolerance)
    return None


def _direction(comparator: str, baseline: float, band: tuple[float, float] | None) -> int:
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


def _target_label(lang: str, comparator: str, target: float, tolerance: float, band, target_year: int) -> str:
    """Legend entry of the target: "Target ≥ 6 (2021)", "Target range 10–20 (2021)" or, for ``~``,
    "Target range 75 ± 5 (2021)" (no "≈": "range" says it already)."""
    if band is not None:
        if comparator == "~":
            # The given tolerance rather than half the band's width, which carries binary noise
            # (77.3 ± 0.05 -> 0.0499999999999972); half the width only when _band derived it.
            tol = tolerance if np.isfinite(tolerance) else (band[1] - band[0]) / 2
            spec = target_spec("~", target, tolerance=tol, num=fmt_exact, approx_sign=False)
        else:
            spec = target_spec("between", band[0], band[1], num=fmt_exact)
        return f"{_t(T_TARGET_RANGE, lang)} {spec} ({target_year})"
    return f"{_t(T_TARGET, lang)} {target_spec(comparator, target, num=fmt_exact)} ({target_year})"


def _key_name(key: str, lang: str) -> str:
    """A geo or area without a label: shown as its key."""
    return str(key)


def _benchmark_lines(ax: Axes, traj: pd.DataFrame, benchmarks: pd.DataFrame | None, kind: str,
                     own_geo: str | None, years: tuple[int, int], lang: str, geo_names=_key_name) -> list:
    """Thin grey lines, one per other geo, labelled with the geo's name; returns the handles."""
    if benchmarks is None or kind not in BENCHMARK_KINDS or len(benchmarks) == 0:
        return []
    _require_columns(benchmarks, ("indicator_id", "geo", "year", "value"), "benchmarks")
    indicator = str(traj["indicator_id"].iloc[0])
    rows = benchmarks[(benchmarks["indicator_id"] == indicator)
                      & benchmarks["year"].between(*years)].copy()
    if own_geo is not None:
        rows = rows[rows["geo"] != own_geo]
    if kind == "relative":
        # Other geos' own values become ratios with the reference series of the same year.
        ref_id = _first(traj, "reference_id")
        refs = benchmarks[benchmarks["indicator_id"] == ref_id] if ref_id is not None else benchmarks.iloc[:0]
        if refs.empty:
            return []
        ref_by_year = refs.groupby("year")["value"].first()
        rows["value"] = _floats(rows["value"]) / _floats(rows["year"].map(ref_by_year))
    handles = []
    greys = ("#8C8C8C", "#5E5E5E", "#B0B0B0")
    styles = ("-", "--", ":")
    for i, (geo, grp) in enumerate(rows.sort_values("year").groupby("geo", sort=True)):
        x = grp["year"].astype("int64").to_numpy()
        y = _floats(grp["value"])
        if not np.isfinite(y).any():
            continue
        (line,) = ax.plot(x, y, color=greys[i % 3], linestyle=styles[i % 3], linewidth=1.0,
                          marker=".", markersize=4, label=geo_names(str(geo), lang), zorder=2)
        handles.append(line)
    return handles


def _context_lines(ax: Axes, traj: pd.DataFrame, context: pd.DataFrame | None, own_geo: str | None,
                   years: tuple[int, int], lang: str, geo_names=_key_name) -> list:
    """Proxy series ``<target_id>:<suffix>`` (dotted, grey); returns the handles.

    A series in the target's own unit shares the main axis; the others go on one secondary axis,
    for one unit only (two foreign units on one axis would mislead): series in further units are
    left out and a note on the axes says how many. A series of another geo names that geo.
    """
    if context is None or len(context) == 0:
        return []
    _require_columns(context, ("indicator_id", "year", "value"), "context")
    indicator = str(traj["indicator_id"].iloc[0])
    rows = context[context["indicator_id"].astype("string").str.startswith(indicator + ":", na=False)
                   & context["year"].between(*years)]
    if rows.empty:
        return []
    rows = rows.assign(_unit=rows["unit"].astype("string").fillna("") if "unit" in rows.columns else "")
    own_unit = str(_first(traj, "unit", ""))
    foreign = rows.loc[rows["_unit"] != own_unit, "_unit"]
    twin_unit = foreign.value_counts(sort=True).index[0] if len(foreign) else None
    keys = ["indicator_id", "geo"] if "geo" in rows.columns else ["indicator_id"]
    several_geos = "geo" in rows.columns and rows["geo"].nunique() > 1
    series = rows.sort_values("year").groupby(keys + ["_unit"], sort=True)
    twin = None
    handles, left_out = [], 0
    for i, (key, grp) in enumerate(series):
        unit = key[-1]
        if unit != own_unit and unit != twin_unit:
            left_out += 1
            continue
        if unit == own_unit:
            target_ax = ax
        else:
            if twin is None:
                twin = ax.twinx()
                twin.grid(False)
                twin.spines["right"].set_visible(True)
                twin.set_ylabel(f"{unit} ({_t(('参考', 'context'), lang)})" if unit else _t(("参考", "context"), lang),
                                color=PALETTE["context"])
            target_ax = twin
        suffix = str(key[0]).split(":", 1)[1]
        show_geo = len(keys) > 1 and (several_geos or str(key[1]) != own_geo)
        name = suffix + (f" ({geo_names(str(key[1]), lang)})" if show_geo else "")
        (line,) = target_ax.plot(grp["year"].astype("int64").to_numpy(), _floats(grp["value"]),
                                 color=PALETTE["context"], linestyle=(":", "-.")[i % 2],
                                 marker="sDv^P"[i % 5], markersize=4, linewidth=1.0,
                                 label=f"{name}: {_t(T_CONTEXT, lang)}", gid="context")
        handles.append(line)
    if twin is not None and (rows.loc[rows["_unit"] == twin_unit, "value"].astype("float64") >= 0).all():
        twin.set_ylim(bottom=0)  # from zero: a lone proxy value must not look like a big swing
    if left_out:
        ax.text(0.99, 0.01, f"{_t(('另有', 'plus'), lang)} {left_out} "
                f"{_t(('条参考序列(其他单位)未画出', 'context series in other units not drawn'), lang)}",
                transform=ax.transAxes, ha="right", va="bottom", fontsize=7.5, color="#777777")
    return handles


def plot_trajectory(traj: pd.DataFrame, benchmarks: pd.DataFrame | None = None,
                    context: pd.DataFrame | None = None, lang: str = "both",
                    geo_names=_key_name) -> Figure:
    """Trajectory of ONE target: where it is, where it should be, and where it must end.

    ``traj``: the engine's trajectory rows of one target (and one geo), years b+1..T, with the
    columns :data:`TRAJECTORY_COLUMNS` (``value`` and ``required`` in the target's unit; for
    ``relative`` targets the ratio to the reference). ``baseline_year`` / ``target_year`` columns
    are used when present, else min(year) − 1 / max(year); ``tolerance`` (for ``~``) and
    ``unit_zh`` likewise.

    Drawn by kind:

    - level / cumulative / relative: observed values as markers + line starting at the baseline
      point (when the baseline is known); a missing year is a break in the line, never
      interpolated. The required path is dashed from the baseline to the target; the target is a
      star at the target year, or a translucent band for ``between`` / ``~`` ([target ± tolerance]).
      The shortfall (observed behind required in the target's direction) is shaded.
      ``relative`` adds a thin line at ratio 1.0 (the reference level).
    - annual: a bar per year against the dashed yearly quota line; the missing part of a bar
      short of the quota (or the excess above a ``<=`` quota) is hatched.

    ``benchmarks`` (tidy: indicator_id, geo, year, value; other geos than the target's) become thin
    grey lines labelled ``geo_names(geo, lang)`` (e.g. :meth:`helpers.plan.Plan.geo_label`; default
    the key), for level and relative kinds only
    (for relative, divided by the reference series ``reference_id`` found in the same frame).
    ``context`` (proxy series ``<target_id>:<suffix>``, different measure) is drawn dotted on a
    secondary axis. A target with no observed value still shows its target and required path and
    says "no data" on the axes; when it has no benchmark or context line either, the figure is
    :data:`COMPACT_HEIGHT` inches high instead of the style's 4.5 (more when a legend of three or
    more rows or a long unit label needs it).
    """
    _require_columns(traj, TRAJECTORY_COLUMNS, "trajectory")
    if traj.empty:
        raise ValueError("trajectory: no rows (pass the rows of one target)")
    ids = traj["indicator_id"].dropna().unique()
    if len(ids) != 1:
        raise ValueError(f"trajectory: rows of {len(ids)} targets {sorted(map(str, ids))[:5]}; pass one target's rows")
    own_geo = _one_geo(traj, "trajectory")
    use_style()
    lang = resolve_lang(lang)

    traj = traj.sort_values("year")
    years = traj["year"].astype("int64").to_numpy()
    obs = _floats(traj["value"])
    req = _floats(traj["required"])
    kind = str(_first(traj, "kind"))
    comparator = str(_first(traj, "comparator"))
    baseline = float(_first(traj, "baseline", np.nan))
    target = float(_first(traj, "target", np.nan))
    target_hi = float(_first(traj, "target_hi", np.nan))
    tolerance = float(_first(traj, "tolerance", np.nan))
    b_year = int(_first(traj, "baseline_year", years.min() - 1))
    t_year = int(_first(traj, "target_year", years.max()))
    band = _band(comparator, target, target_hi, tolerance)
    engine_d = _first(traj, "direction")  # the engine's own choice of side, when it gives one
    d = int(engine_d) if engine_d in (1, -1) else _direction(comparator, baseline, band)

    fig, ax = plt.subplots(layout="none")  # margins: _place_single_axes
    handles: list = []
    if kind == "annual":
        handles += _draw_annual(ax, years, obs, target, band, d, comparator, lang)
    else:
        handles += _draw_path(ax, kind, years, obs, req, baseline, b_year, t_year, target, band, d,
                              _target_label(lang, comparator, target, tolerance, band, t_year), lang)
    own_series = len(handles)
    handles += _benchmark_lines(ax, traj, benchmarks, kind, own_geo, (b_year, t_year), lang, geo_names)
    handles += _context_lines(ax, traj, context, own_geo, (b_year, t_year), lang, geo_names)
    no_data = not np.isfinite(obs).any()
    if no_data:
        _no_data_note(ax, lang)
    # Nothing but the plan's own target (and its path): a low chart says it without a screenful
    # of empty axes.
    compact = no_data and len(handles) == own_series
    if compact:
        fig.set_figheight(COMPACT_HEIGHT)

    # A fixed title height: no top ticks can collide with it, and matplotlib's automatic title
    # placement measures the axes on every draw (a fifth of a chart's cost).
    ax.set_title(_wrap_title(vocab.label((str(_first(traj, "name_zh", "")), str(_first(traj, "name_en", ""))), lang)),
                 y=1.0)
    ax.set_xlabel(_t(T_YEAR, lang))
    ax.set_ylabel(_unit_label(traj, lang))
    for axes in fig.axes:  # about five labelled values (three when compact): enough to read
        axes.yaxis.set_major_locator(MaxNLocator(nbins=3 if compact else 5, steps=[1, 2, 2.5, 5, 10]))
        # Whole numbers on the ticks: no "1e7" or "+1.02e7" above the axis, where the title is.
        plain = ScalarFormatter(useOffset=False)
        plain.set_scientific(False)
        axes.yaxis.set_major_formatter(plain)
    first_year = b_year + 1 if kind == "annual" else b_year  # a yearly quota has no baseline bar
    ax.set_xticks(np.arange(first_year, t_year + 1))
    ax.set_xlim(first_year - 0.6, t_year + 0.6)
    legend = _legend(fig, handles, [h.get_label() for h in handles])
    _place_single_axes(fig, ax, legend, twin=next((a for a in fig.axes if a is not ax), None))
    return fig


def _draw_path(ax: Axes, kind: str, years: np.ndarray, obs: np.ndarray, req: np.ndarray,
               baseline: float, b_year: int, t_year: int, target: float, band, d: int,
               target_label: str, lang: str) -> list:
    """Level / cumulative / relative: observed line, dashed required path, target, shortfall.

    Returns the legend handles in reading order: observed, required, target, shortfall, reference.
    """
    if np.isfinite(baseline):
        x = np.concatenate([[b_year], years]).astype("float64")
        y_obs = np.concatenate([[baseline], obs])
        y_req = np.concatenate([[baseline], req])
    else:
        x, y_obs, y_req = years.astype("float64"), obs, req
    observed = required = target_artist = shortfall = reference = None
    if kind == "relative":
        reference = ax.axhline(1.0, color="#999999", linewidth=0.9, zorder=1,
                               label=f"{_t(T_REFERENCE_LEVEL, lang)} = 1")
    if band is not None:
        target_artist = ax.axhspan(band[0], band[1], color=PALETTE["target"], alpha=0.16, linewidth=0,
                                   zorder=0, label=target_label)
    no_baseline = None
    if not np.isfinite(baseline):
        # Said in the legend (an entry without a symbol), where it cannot cover data.
        no_baseline = Line2D([], [], linestyle="none", label=_t(T_NO_BASELINE, lang))
    if np.isfinite(y_req).any():
        (required,) = ax.plot(x, y_req, linestyle="--", color=PALETTE["required"], linewidth=1.4,
                              zorder=3, label=_t(T_REQUIRED, lang), gid="required")
    short = _shortfall_mask(y_obs, y_req, d, band)
    if short.any():
        ax.fill_between(x, y_obs, y_req, where=short, interpolate=True, color=PALETTE["shortfall"],
                        alpha=0.28, linewidth=0, zorder=1)
        lo, hi = np.minimum(y_obs[short], y_req[short]), np.maximum(y_obs[short], y_req[short])
        shortfall = ax.vlines(x[short], lo, hi, color=PALETTE["shortfall"], linewidth=2.2, zorder=2,
                              label=_t(T_SHORTFALL, lang))
    if np.isfinite(y_obs).any():
        obs_label = {"cumulative": T_RUNNING_TOTAL, "relative": T_RATIO}.get(kind, T_OBSERVED)
        (observed,) = ax.plot(x, y_obs, marker="o", color=PALETTE["observed"], zorder=4,
                              label=_t(obs_label, lang), gid="observed")
    if band is None and np.isfinite(target):
        # Under the observed marker, so a value that meets the target stays visible.
        (target_artist,) = ax.plot([t_year], [target], linestyle="none", marker="*", markersize=16,
                                   color=PALETTE["target"], markeredgecolor="white", zorder=3.5,
                                   label=target_label, gid="target")
    return [h for h in (observed, required, target_artist, shortfall, reference, no_baseline) if h is not None]


def _draw_annual(ax: Axes, years: np.ndarray, obs: np.ndarray, target: float, band, d: int,
                 comparator: str, lang: str) -> list:
    """Annual quota: bars per year with a value, dashed quota line (or band), hatched shortfall."""
    handles = []
    have = np.isfinite(obs)
    if have.any():
        handles.append(ax.bar(years[have], obs[have], width=0.6, color=PALETTE["observed"], zorder=3,
                              label=_t(T_DONE_IN_YEAR, lang), gid="observed"))
        for year in years[~have]:
            ax.text(year, 0, _t(T_NO_DATA, lang), rotation=90, ha="center", va="bottom",
                    fontsize=7.5, color="#888888")
    x_span = [years.min() - 0.45, years.max() + 0.45]
    if band is not None:
        quota = target_spec("between", band[0], band[1], num=fmt_exact)
        handles.append(ax.axhspan(band[0], band[1], color=PALETTE["target"], alpha=0.16, linewidth=0,
                                  zorder=0, label=f"{_t(T_QUOTA, lang)} {quota}"))
        quota_edges = band
    else:
        (line,) = ax.plot(x_span, [target, target], linestyle="--", color=PALETTE["required"],
                          linewidth=1.6, zorder=4, gid="required",
                          label=f"{_t(T_QUOTA, lang)} {target_spec(comparator, target, num=fmt_exact)}")
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
                              label=_t(T_SHORTFALL, lang), gid="shortfall"))
    ax.set_ylim(bottom=0)
    return handles


# ---------------------------------------------------------------------------------------------
# heatmap


def _area_pair(areas: dict | None, key: str) -> tuple[str, str]:
    return (areas or {}).get(key, (key, key))


def _target_order(traj: pd.DataFrame, areas: dict | None = None) -> list[str]:
    """Targets grouped by area in the order of ``areas`` (the plan's), then other areas in
    first-appearance order; first-appearance order inside an area."""
    first = traj.drop_duplicates("indicator_id")[["indicator_id", "area"]].reset_index(drop=True)
    order = list(dict.fromkeys([*(areas or {}), *first["area"].astype(str)]))
    area_rank = {a: i for i, a in enumerate(order)}
    first["rank"] = first["area"].map(area_rank).fillna(len(area_rank)).astype("int64")
    first["pos"] = np.arange(len(first))
    return first.sort_values(["rank", "pos"])["indicator_id"].astype(str).tolist()


def plot_status_heatmap(traj: pd.DataFrame, lang: str = "both", areas: dict | None = None) -> Figure:
    """Targets (rows, grouped by area in the plan's order) × years, one colour per status.

    ``traj``: the engine's trajectory table for one geo (columns indicator_id, area, name_zh,
    name_en, year, status). Colours come from :data:`helpers.vocab.STATUS_COLOURS`; ``no_data``
    is light grey. A year outside a target's own span (it ends before the others) is left blank
    ("not applicable"). Row labels are the target names in ``lang``, shortened to fit.
    """
    _require_columns(traj, ("indicator_id", "area", "name_zh", "name_en", "year", "status"), "trajectory")
    if traj.empty:
        raise ValueError("trajectory: no rows")
    _one_geo(traj, "trajectory")
    unknown = sorted(set(traj["status"].dropna().astype(str)) - set(vocab.STATUS_ORDER))
    if unknown:
        raise ValueError(f"trajectory: unknown status(es) {unknown}; expected {list(vocab.STATUS_ORDER)}")
    use_style()
    lang = resolve_lang(lang)

    order = _target_order(traj, areas)
    years = np.sort(traj["year"].astype("int64").unique())
    code_of = {s: i for i, s in enumerate(vocab.STATUS_ORDER)}
    cells = traj.assign(code=traj["status"].astype("string").map(code_of).astype("float64"),
                        year=traj["year"].astype("int64"))
    grid = cells.pivot_table(index="indicator_id", columns="year", values="code", aggfunc="first")
    grid = grid.reindex(index=order, columns=years)
    codes = np.ma.masked_invalid(grid.to_numpy(dtype="float64"))

    names = traj.drop_duplicates("indicator_id").set_index("indicator_id").loc[order]
    width = {"zh": 22, "en": 40, "both": 40}[lang]
    labels = [_truncate(vocab.label((str(z), str(e)), lang), width)
              for z, e in zip(names["name_zh"], names["name_en"])]
    area_keys = names["area"].astype(str).tolist()

    n_rows = len(order)
    fig, ax = plt.subplots(figsize=(8.0 if lang != "zh" else 7.0, max(3.0, 0.24 * n_rows + 1.6)),
                           layout="none")  # margins: _place_heatmap
    cmap = ListedColormap([vocab.STATUS_COLOURS[s] for s in vocab.STATUS_ORDER]).with_extremes(bad=(1, 1, 1, 0))
    norm = BoundaryNorm(np.arange(len(vocab.STATUS_ORDER) + 1) - 0.5, cmap.N)
    ax.pcolormesh(np.arange(len(years) + 1) - 0.5, np.arange(n_rows + 1) - 0.5, codes, cmap=cmap,
                  norm=norm, edgecolors="white", linewidth=0.8)
    ax.set_ylim(n_rows - 0.5, -0.5)
    ax.set_xlim(-0.5, len(years) - 0.5)
    ax.set_xticks(np.arange(len(years)), [str(y) for y in years])
    ax.set_yticks(np.arange(n_rows), labels)
    ax.tick_params(axis="both", length=0)
    label_size = 7.5 if n_rows > 30 else 8.5
    ax.tick_params(axis="y", labelsize=label_size)
    ax.xaxis.tick_top()
    ax.grid(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    # Area groups: a line between groups and the area's name on the right.
    starts = [i for i in range(n_rows) if i == 0 or area_keys[i] != area_keys[i - 1]]
    # x: just right of the axes (axes fraction + a few points), y: the group's middle row.
    beside = transforms.offset_copy(ax.get_yaxis_transform(), fig=fig, x=_AREA_LABEL_GAP_PT, units="points")
    area_names = []
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else n_rows
        if start > 0:
            ax.axhline(start - 0.5, color="#444444", linewidth=0.9)
        area_names.append(_t(_area_pair(areas, area_keys[start]), lang).replace(" / ", "\n"))
        ax.text(1.0, (start + end - 1) / 2, area_names[-1], transform=beside,
                va="center", ha="left", fontsize=_AREA_LABEL_SIZE, color="#444444")
    ax.set_title(_t(T_HEATMAP_TITLE, lang))
    handles = [Patch(facecolor=vocab.STATUS_COLOURS[s], edgecolor="#BBBBBB", linewidth=0.5,
                     label=vocab.status_label(s, lang)) for s in vocab.STATUS_ORDER]
    handles.append(Patch(facecolor="white", edgecolor="#BBBBBB", linewidth=0.5,
                         label=_t(T_NOT_APPLICABLE, lang)))
    # Seven short Chinese labels fit on one row; English or bilingual ones need two.
    legend = _bottom_legend(fig, handles, [h.get_label() for h in handles], ncols=7 if lang == "zh" else 4,
                            title=_t(T_STATUS, lang))
    _place_heatmap(fig, ax, legend, labels, label_size, area_names)
    return fig


_AREA_LABEL_GAP_PT = 5.0
_AREA_LABEL_SIZE = 8.0


def _place_heatmap(fig: Figure, ax: Axes, legend, row_labels: list[str], label_size: float,
                   area_names: list[str]) -> None:
    """Margins of the heatmap measured from its texts (see :func:`_place_single_axes`): row labels
    on the left, year labels and title on top, area names on the right, legend below."""
    rc = plt.rcParams
    renderer = fig.canvas.get_renderer()
    pt = 72 / renderer.dpi
    width_pt, height_pt = fig.get_size_inches() * 72
    tick_h = _text_points(renderer, "0123456789", rc["xtick.labelsize"])[1]
    top = (_MARGIN_PT + ax.title.get_window_extent(renderer).height * pt + rc["axes.titlepad"]
           + tick_h + rc["xtick.major.pad"])
    bottom = _MARGIN_PT + legend.get_window_extent(renderer).height * pt + _MARGIN_PT
    widest_row = max((_text_points(renderer, s, label_size)[0] for s in row_labels), default=0.0)
    widest_area = max((_text_points(renderer, line, _AREA_LABEL_SIZE)[0]
                       for name in area_names for line in name.split("\n")), default=0.0)
    left = _MARGIN_PT + widest_row + rc["ytick.major.pad"]
    right = _MARGIN_PT + _AREA_LABEL_GAP_PT + widest_area
    fig.subplots_adjust(left=left / width_pt, right=1 - right / width_pt,
                        top=1 - top / height_pt, bottom=bottom / height_pt)


# ---------------------------------------------------------------------------------------------
# scoreboard


def _status_counts(frame: pd.DataFrame, areas: dict | None = None) -> pd.DataFrame:
    """Counts of targets per area (rows, plan order) × status (columns, STATUS_ORDER), from a
    latest-status table (one row per target) or an area roll-up (``n_<status>`` columns)."""
    _one_geo(frame, "scoreboard")
    count_cols = [f"n_{s}" for s in vocab.STATUS_ORDER]
    if "status" in frame.columns:
        _require_columns(frame, ("area",), "latest status")
        unknown = sorted(set(frame["status"].dropna().astype(str)) - set(vocab.STATUS_ORDER))
        if unknown:
            raise ValueError(f"latest status: unknown status(es) {unknown}; expected {list(vocab.STATUS_ORDER)}")
        counts = pd.crosstab(frame["area"].astype(str), frame["status"].astype(str))
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
    return counts.reindex(index=order, columns=list(vocab.STATUS_ORDER), fill_value=0).astype("int64")


def plot_area_scoreboard(latest: pd.DataFrame, lang: str = "both", areas: dict | None = None) -> Figure:
    """Stacked horizontal bars: per area (plan order, top to bottom), how many targets are in each
    status (best status on the left, ``no_data`` last). Bar widths are counts of targets; each
    segment carries its count.

    ``latest``: the engine's ``latest_status`` (one row per target with ``area`` and ``status``),
    or an area roll-up with ``n_<status>`` count columns for one year (``area_rollup_as_of``; the
    ``all`` row is left out). An ``as_of_limit`` column, when set, goes into the title.
    """
    counts = _status_counts(latest, areas)
    use_style()
    lang = resolve_lang(lang)
    area_keys = list(counts.index)
    title = _t(T_SCOREBOARD_TITLE, lang)
    as_of = _first(latest, "as_of_limit")
    if as_of is not None:
        title += f" ({_t((f'截至{int(as_of)}年', f'as of {int(as_of)}'), lang)})"

    fig, ax = plt.subplots(figsize=(8.0, max(3.0, 0.42 * len(area_keys) + 1.6)))
    y = np.arange(len(area_keys))
    left = np.zeros(len(area_keys), dtype="int64")
    for status in vocab.STATUS_ORDER:
        widths = counts[status].to_numpy()
        bars = ax.barh(y, widths, left=left, height=0.7, color=vocab.STATUS_COLOURS[status],
                       edgecolor="white", linewidth=0.8, label=vocab.status_label(status, lang),
                       gid=status)
        ax.bar_label(bars, labels=[str(w) if w else "" for w in widths], label_type="center",
                     fontsize=8, color="#222222")
        left += widths
    ax.set_yticks(y, [_t(_area_pair(areas, a), lang) for a in area_keys])
    ax.invert_yaxis()
    ax.set_xlabel(_t(T_COUNT, lang))
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.grid(axis="y", visible=False)
    ax.set_xlim(0, max(1, int(left.max())) * 1.02)
    ax.set_title(title)
    fig.legend(loc="outside lower center", ncols=3, title=_t(T_STATUS, lang))
    return fig
