"""One function per chart; each returns a matplotlib Figure (object-oriented API, no ``plt.show``).

- :func:`plot_trajectory` — one target: observed values, required path, target, benchmarks,
  proxy context series and the shortfall, drawn according to the target's kind.
- :func:`plot_status_heatmap` — every target × year, one colour per status.
- :func:`plot_area_scoreboard` — status counts per area, stacked horizontal bars.

All take ``lang`` (``zh``, ``en`` or ``both`` = "中文 / English") for every title, axis label,
tick label and legend entry; when no CJK font exists the labels fall back to English
(:func:`helpers.style.resolve_lang`). Inputs are the engine's tidy tables (helpers.gaps); the
functions only read them.

Legibility rules every chart keeps: legends name each series by its label from the data (a
context series' ``label_zh`` / ``label_en``, else its suffix in words, never an internal key);
one y axis, and a second only for another unit, which its label names; a series with a single
value is a visible marker inside the axes; the "no data" note goes where nothing is drawn;
a number and its unit are kept apart ("≥ 45 (10k persons)"); titles are wrapped, never cut.
"""

from __future__ import annotations

import textwrap
import unicodedata
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

from helpers import kinds, vocab
from helpers.formats import fmt_exact, fmt_num, target_spec
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
BENCHMARK_KINDS: frozenset[str] = frozenset({"level", "relative", "change", "change_pct"})
#: Running kinds: the scored quantity is built from the yearly figures (``value_raw``).
RUNNING_KINDS: tuple[str, ...] = kinds.RUNNING_KINDS
#: Their yearly figures are % changes over the previous year.
RATE_KINDS: tuple[str, ...] = ("rate_avg", "rate_total")
#: Averages scored against the target every year: a flat target line, no baseline point.
FLAT_KINDS: tuple[str, ...] = ("rate_avg", "annual_mean")
CHANGE_KINDS: tuple[str, ...] = kinds.CHANGE_KINDS
DIRECTION_KIND = kinds.DIRECTION_KIND
UNQUANTIFIED_KIND = kinds.UNQUANTIFIED_KIND
#: Inches added to a chart whose yearly figures need a panel of their own.
PANEL_HEIGHT = 1.3

# Bilingual strings used on the charts (zh, en).
T_YEAR = ("年份", "Year")
T_OBSERVED = ("实际值", "Observed")
T_RUNNING_TOTAL = ("累计完成", "Running total")
T_DONE_IN_YEAR = ("当年完成", "Done in the year")
T_RATIO = ("与参照之比", "Ratio to reference")
T_REQUIRED = ("应达路径", "Required path")  # the words of terms.REQUIRED_PATH
T_QUOTA = ("年度目标", "Yearly quota")
T_TARGET = ("目标", "Target")
T_TARGET_RANGE = ("目标区间", "Target range")
T_SHORTFALL = ("距应达路径", "Gap to path")  # terms.GAP_TO_PATH: behind the path, not the target
T_REFERENCE_LEVEL = ("参照水平", "Reference level")
T_CONTEXT = ("参考序列, 口径不同, 不计分", "context, other measure, not scored")
T_CONTEXT_AXIS = ("右轴: 参考序列", "right axis: context series")
T_RIGHT_AXIS = ("右轴", "right axis")
T_NO_DATA = ("无数据", "no data")
T_NO_BASELINE = ("无基期值: 不画应达路径", "no baseline value: no required path")
T_NO_BASELINE_CHANGE = ("无基期值: 目标水平无法确定", "no baseline value: the target level is unknown")
T_NO_BASELINE_TREND = ("无基期值: 无法计算趋势", "no baseline value: no trend")
T_NOT_APPLICABLE = ("不适用", "not applicable")
T_BASELINE = ("基期", "baseline")
# The scored quantity of each running kind (a line) and the year's own figure (bars).
T_SCORED: dict[str, tuple[str, str]] = {
    "rate_avg": ("年均增速(累计)", "average annual rate so far"),
    "rate_avg_ratio": ("年均增速之比(累计)", "ratio of average annual rates so far"),
    "rate_total": ("累计变化(逐年增速连乘)", "total change so far (yearly rates compounded)"),
    "period_total": ("期内累计", "total so far"),
    "annual_mean": ("年均值(累计)", "yearly average so far"),
}
T_RAW_RATE = ("当年增速", "that year's rate")
T_RAW_FLOW = ("当年量", "that year's figure")
T_LOWER_PANEL = ("下图", "lower panel")
T_UNIT = ("单位", "unit")
T_RAW_RATE_UNIT = ("%(比上年)", "% over previous year")
T_TREND = ("趋势", "trend")
T_PER_YEAR = ("%/年", "% a year")
T_WANTED_UP = ("无数值目标, 要求上升", "no number in the plan: it should rise")
T_WANTED_DOWN = ("无数值目标, 要求下降", "no number in the plan: it should fall")
T_UNQUANTIFIED = ("无量化目标", "no quantified target")
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


#: Title lines: at most this many display columns (a CJK character counts two) at the title size.
TITLE_COLUMNS = 76
#: A title is at most this many lines; a longer one is set smaller so it still fits whole.
TITLE_MAX_LINES = 3


def _columns(text: str) -> int:
    """Display width of ``text``: a wide (CJK) character counts two columns, others one."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _wrap_cjk(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` display columns, broken between characters (after punctuation
    or a space where one is near the end of the line); Latin words are not split."""
    lines: list[str] = []
    rest = text.strip()
    while rest and _columns(rest) > width:
        cut, cols = 0, 0
        for i, ch in enumerate(rest):
            cols += _columns(ch)
            if cols > width:
                break
            cut = i + 1
        # Prefer a break after punctuation or a space in the last third of the line.
        window = rest[:cut]
        soft = max((window.rfind(c) for c in "，、；：,;: )）"), default=-1)
        if soft >= int(cut * 2 / 3):
            cut = soft + 1
        else:  # do not split a Latin word or number
            while 0 < cut < len(rest) and rest[cut - 1].isascii() and rest[cut - 1].isalnum() \
                    and rest[cut].isascii() and rest[cut].isalnum():
                cut -= 1
            if cut == 0:
                cut = len(window)
        lines.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        lines.append(rest)
    return lines


def _wrap_part(text: str, width: int) -> list[str]:
    if not text:
        return []
    if any(unicodedata.east_asian_width(ch) in "WF" for ch in text):
        return _wrap_cjk(text, width)
    return textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False) or [text]


def _title_lines(zh: str, en: str, lang: str, width: int = TITLE_COLUMNS) -> list[str]:
    """The title's lines, never shortened: one line when it fits; a bilingual title too long for
    one line goes on two or more (Chinese first, then English), each wrapped at ``width``."""
    one = vocab.label((zh, en), lang)
    if _columns(one) <= width:
        return [one]
    if lang == "both" and zh != en:
        return _wrap_part(zh, width) + _wrap_part(en, width)
    return _wrap_part(one, width)


def _set_title(ax: Axes, zh: str, en: str, lang: str, subtitle: str | None = None) -> None:
    """The target's name as the title, wrapped (never cut with "…"); a title of more than
    :data:`TITLE_MAX_LINES` lines is set smaller and wrapped wider so it keeps every word.
    ``subtitle`` goes on a last line of its own (e.g. "no quantified target")."""
    size = plt.rcParams["axes.titlesize"]
    width = TITLE_COLUMNS
    lines = _title_lines(zh, en, lang, width)
    while len(lines) > TITLE_MAX_LINES and size > 8.5:
        size -= 1.0
        width = int(TITLE_COLUMNS * plt.rcParams["axes.titlesize"] / size)
        lines = _title_lines(zh, en, lang, width)
    if subtitle:
        lines = lines + _wrap_part(subtitle, width)
    # A fixed title height: no top ticks can collide with it, and matplotlib's automatic title
    # placement measures the axes on every draw (a fifth of a chart's cost).
    ax.set_title("\n".join(lines), y=1.0, fontsize=size)


def _truncate(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _unit_pair(frame: pd.DataFrame) -> tuple[str, str]:
    unit_en = str(_first(frame, "unit", "") or "")
    unit_zh = str(_first(frame, "unit_zh", "") or "") or unit_en
    return unit_zh, unit_en


def _unit_label(frame: pd.DataFrame, lang: str) -> str:
    return vocab.label(_unit_pair(frame), lang)


def _with_unit(number: str, unit: str) -> str:
    """A number and its unit, never run together: ``≥ 65 %``, ``≥ 45 (10k persons)``,
    ``≥ 45 (万人)`` (a unit that starts with a digit would read as part of the number)."""
    unit = unit.strip()
    if not unit:
        return number
    if unit == "%":
        return f"{number} %"
    return f"{number} ({unit})"


def _humanise(key: str) -> str:
    """An internal key as words: ``lifted_in_year`` -> ``lifted in year``."""
    return " ".join(str(key).replace("_", " ").split())


def _text_or_none(value) -> str | None:
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


def context_label_pair(rows: pd.DataFrame, suffix: str) -> tuple[str, str]:
    """(中文, English) legend label of a context series: its ``label_zh`` / ``label_en`` when the
    statistics have them (first non-empty value of the series), else the suffix in words
    (``lifted_in_year`` -> ``lifted in year``). A missing English label falls back to the suffix
    (never to Chinese, which a chart without a CJK font could not draw); a missing Chinese label
    to the English one."""
    zh = next((t for t in map(_text_or_none, rows["label_zh"]) if t), None) if "label_zh" in rows.columns else None
    en = next((t for t in map(_text_or_none, rows["label_en"]) if t), None) if "label_en" in rows.columns else None
    plain = _humanise(suffix)
    return (zh or en or plain, en or plain)


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


def _place_single_axes(fig: Figure, ax: Axes, legend=None, twin: Axes | None = None,
                       panel: Axes | None = None) -> None:
    """Margins measured from the chart's own texts, set once with ``subplots_adjust``.

    Used instead of constrained layout for the per-target charts: constrained layout makes every
    ``savefig`` run a draw-disabled pre-pass over all artists, a quarter of a chart's cost, and a
    report draws one chart per target. Measured: title, legend and axis labels (their layout is
    cached for the real draw), tick labels as the axes' locators and formatters will produce them.
    ``panel``: a small second axes below ``ax`` (same x axis) with its own title; the x label
    and tick labels are then the panel's.
    """
    rc = plt.rcParams
    renderer = fig.canvas.get_renderer()
    pt = 72 / renderer.dpi
    width_pt, height_pt = fig.get_size_inches() * 72
    lowest = panel if panel is not None else ax
    top = _MARGIN_PT
    if ax.get_title():
        top += ax.title.get_window_extent(renderer).height * pt + rc["axes.titlepad"]
    bottom = _MARGIN_PT
    if legend is not None:
        bottom += legend.get_window_extent(renderer).height * pt + _MARGIN_PT
    bottom += rc["xtick.major.size"] + rc["xtick.major.pad"] + _text_points(renderer, "0123456789", rc["xtick.labelsize"])[1]
    if lowest.get_xlabel():
        bottom += rc["axes.labelpad"] + lowest.xaxis.label.get_window_extent(renderer).height * pt
    gap = 0.0
    if panel is not None:  # room between the two axes for the panel's title
        gap = rc["xtick.major.size"] + 2 * _MARGIN_PT
        if panel.get_title(loc="left"):
            gap += panel._left_title.get_window_extent(renderer).height * pt + rc["axes.titlepad"]

    def layout(height: float) -> tuple[float, float]:
        """Heights (points) of ``ax`` and of the panel for a figure ``height`` points high."""
        avail = height - top - bottom - gap
        if panel is None:
            return avail, 0.0
        ratios = panel.get_subplotspec().get_gridspec().get_height_ratios()
        main_share = ratios[0] / sum(ratios)
        return avail * main_share, avail * (1 - main_share)

    # A y label runs along its axes. A bilingual label too long for it goes on two lines
    # (Chinese, English); a label still too long makes the figure taller.
    def label_length(a: Axes) -> float:
        return a.yaxis.label.get_window_extent(renderer).height * pt

    main_h, panel_h = layout(height_pt)
    room = {id(ax): main_h - _MARGIN_PT, id(twin): main_h - _MARGIN_PT, id(panel): panel_h - _MARGIN_PT}
    labelled = [a for a in (ax, twin, panel) if a is not None and a.get_ylabel()]
    for a in labelled:
        if " / " in a.get_ylabel() and label_length(a) > room[id(a)]:
            a.set_ylabel(a.get_ylabel().replace(" / ", "\n", 1))
    grow = max((label_length(a) - room[id(a)] for a in labelled), default=0.0)
    if grow > 0:
        share = 1.0 if panel is None else min(x for x in (main_h, panel_h) if x > 0) / (main_h + panel_h)
        height_pt += grow / share
        fig.set_figheight(height_pt / 72)
        main_h, panel_h = layout(height_pt)
    kwargs = {}
    if panel is not None:  # hspace is a fraction of the mean axes height
        kwargs["hspace"] = gap / ((main_h + panel_h) / 2)
    fig.subplots_adjust(top=1 - top / height_pt, bottom=bottom / height_pt, **kwargs)
    # The axes' height is final now, so the locators give the ticks that will be drawn.
    left = _MARGIN_PT + max(_axis_depth(renderer, a.yaxis, "ytick") for a in (ax, panel) if a is not None)
    right = _MARGIN_PT + (_axis_depth(renderer, twin.yaxis, "ytick") if twin is not None else 0.0)
    fig.subplots_adjust(left=left / width_pt, right=1 - right / width_pt)


def _obstacles(fig: Figure, ax: Axes, renderer) -> tuple[list[np.ndarray], list]:
    """What a note on ``ax`` must not cover, in display coordinates: the segments and marker
    points of every line and line collection of the figure's axes, and the texts already on
    ``ax``. Returns (list of (n, 2) point arrays, each a polyline; list of text boxes)."""
    polylines: list[np.ndarray] = []
    for a in fig.axes:
        a.get_xlim(), a.get_ylim()  # autoscale now, so the data transforms are the drawn ones
        for line in a.get_lines():
            xy = line.get_transform().transform(np.asarray(line.get_xydata(), dtype="float64"))
            polylines.append(xy)
        for coll in a.collections:
            for seg in getattr(coll, "get_segments", lambda: [])():
                polylines.append(coll.get_transform().transform(np.asarray(seg, dtype="float64")))
    boxes = [t.get_window_extent(renderer) for t in ax.texts if t.get_text()]
    return polylines, boxes


def _hits(box, polylines: list[np.ndarray], boxes: list, pad: float) -> int:
    """How many points (along each segment, sampled finely) or boxes fall inside ``box`` + pad."""
    x0, y0, x1, y1 = box.x0 - pad, box.y0 - pad, box.x1 + pad, box.y1 + pad
    n = 0
    for xy in polylines:
        finite = np.isfinite(xy).all(axis=1)
        pts = [xy[finite]]
        pair = finite[:-1] & finite[1:]
        if pair.any():
            a, b = xy[:-1][pair], xy[1:][pair]
            t = np.linspace(0.0, 1.0, 41)[:, None, None]
            pts.append((a + (b - a) * t).reshape(-1, 2))
        p = np.concatenate(pts) if pts else np.empty((0, 2))
        n += int(((p[:, 0] >= x0) & (p[:, 0] <= x1) & (p[:, 1] >= y0) & (p[:, 1] <= y1)).sum())
    n += sum(1 for b in boxes if b.x0 < x1 and b.x1 > x0 and b.y0 < y1 and b.y1 > y0)
    return n


#: Clearance (points) between the "no data" note and any drawn series.
_NOTE_PAD_PT = 6.0
#: Where the "no data" note may go, in axes fractions (x, y, ha, va), in order of preference.
_NOTE_SPOTS = (
    (0.5, 0.5, "center", "center"), (0.02, 0.97, "left", "top"), (0.98, 0.97, "right", "top"),
    (0.02, 0.03, "left", "bottom"), (0.98, 0.03, "right", "bottom"), (0.5, 0.97, "center", "top"),
    (0.5, 0.03, "center", "bottom"), (0.25, 0.5, "center", "center"), (0.75, 0.5, "center", "center"),
)


def _no_data_note(fig: Figure, ax: Axes, lang: str) -> None:
    """"No data" on the axes, where nothing is drawn: the centre when it is empty, else the
    first free corner or edge (:data:`_NOTE_SPOTS`), as a smaller label; the spot covering
    least when none is free. Call after the layout is final (it measures the drawn data)."""
    renderer = fig.canvas.get_renderer()
    polylines, boxes = _obstacles(fig, ax, renderer)
    best = None
    for i, (x, y, ha, va) in enumerate(_NOTE_SPOTS):
        size = 14 if i == 0 else 10
        note = ax.text(x, y, _t(T_NO_DATA, lang), transform=ax.transAxes, ha=ha, va=va,
                       fontsize=size, color="#777777", zorder=5, gid="no_data")
        hits = _hits(note.get_window_extent(renderer), polylines, boxes, pad=_NOTE_PAD_PT / 72 * renderer.dpi)
        if hits == 0:
            return
        note.remove()
        if best is None or hits < best[0]:
            best = (hits, x, y, ha, va, size)
    _, x, y, ha, va, size = best
    ax.text(x, y, _t(T_NO_DATA, lang), transform=ax.transAxes, ha=ha, va=va, fontsize=size,
            color="#777777", zorder=5, gid="no_data")


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


def _fmt_level(x: float) -> str:
    """A level the chart derived (a change target resolved from the baseline): the number
    without binary noise, at most six decimals (77.93 + 1 -> 78.93)."""
    return fmt_exact(round(float(x), 6))


def _target_label(lang: str, comparator: str, target: float, tolerance: float, band, target_year: int,
                  unit: tuple[str, str] = ("", ""), num=fmt_exact, origin: str = "") -> str:
    """Legend entry of the target, its number and unit apart: "Target 2021: ≥ 6 (beds per 1000)",
    "Target 2025: ≥ 65 %", "Target range 2021: 10–20 (…)" or, for ``~``, "Target range 2021:
    75 ± 5 (…)" (no "≈": "range" says it already). ``origin`` is appended after " = " (a change
    target: "baseline 77.93 + 1")."""
    unit_text = vocab.label(unit, lang) if any(unit) else ""
    if band is not None:
        if comparator == "~" and not origin:
            # The given tolerance rather than half the band's width, which carries binary noise
            # (77.3 ± 0.05 -> 0.0499999999999972); half the width only when _band derived it.
            tol = tolerance if np.isfinite(tolerance) else (band[1] - band[0]) / 2
            spec = target_spec("~", target, tolerance=tol, num=num, approx_sign=False)
        else:
            spec = target_spec("between", band[0], band[1], num=num)
        text = f"{_t(T_TARGET_RANGE, lang)} {target_year}: {_with_unit(spec, unit_text)}"
    else:
        text = f"{_t(T_TARGET, lang)} {target_year}: {_with_unit(target_spec(comparator, target, num=num), unit_text)}"
    return f"{text} = {origin}" if origin else text


def _change_origin(kind: str, baseline: float, change: float, lang: str) -> str:
    """Where a change target's level comes from: "baseline 77.93 + 1", "baseline 13 - 18 %"."""
    sign = "+" if change >= 0 else "-"
    amount = fmt_exact(abs(change)) + (" %" if kind == "change_pct" else "")
    return f"{_t(T_BASELINE, lang)} {_fmt_level(baseline)} {sign} {amount}"


def _resolve_change(kind: str, baseline: float, change: float) -> float:
    """The level a change target aims at: x_b + change, or x_b·(1 + change/100)."""
    if kind == "change_pct":
        return baseline * (1 + change / 100)
    return baseline + change


def _key_name(key: str, lang: str) -> str:
    """A geo or area without a label: shown as its key."""
    return str(key)


#: Marker size of a series with a single value (a lone point must be seen, not a speck).
SINGLE_POINT_MARKERSIZE = 6.5


def _benchmark_lines(ax: Axes, traj: pd.DataFrame, benchmarks: pd.DataFrame | None, kind: str,
                     own_geo: str | None, years: tuple[int, int], lang: str, geo_names=_key_name) -> list:
    """Thin grey lines with markers, one per other geo, labelled with the geo's name; returns
    the handles. A geo with a single year is a clearly visible point."""
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
        n = int(np.isfinite(y).sum())
        if not n:
            continue
        (line,) = ax.plot(x, y, color=greys[i % 3], linestyle=styles[i % 3], linewidth=1.0, marker="o",
                          markersize=SINGLE_POINT_MARKERSIZE if n == 1 else 3.5,
                          label=geo_names(str(geo), lang), zorder=2, gid="benchmark")
        handles.append(line)
    return handles


def _same_unit(a: str, b: str) -> bool:
    return " ".join(str(a).split()).casefold() == " ".join(str(b).split()).casefold()


def _context_lines(ax: Axes, traj: pd.DataFrame, context: pd.DataFrame | None, own_geo: str | None,
                   years: tuple[int, int], lang: str, geo_names=_key_name,
                   main_units: Sequence[str] = ()) -> list:
    """Proxy series ``<target_id>:<suffix>`` (dotted, grey, with markers); returns the handles.

    Each is labelled with its ``label_zh`` / ``label_en`` from the statistics when given, else
    its suffix in words (:func:`context_label_pair`). A series in the target's own unit shares
    the main axis; the others go on ONE secondary axis, for one unit only (two foreign units on
    one axis would mislead), whose label says it is the right axis of the context series and
    names the unit; series in further units are left out and a legend entry says how many.
    A series of another geo names that geo. ``main_units``: other units the main axis already
    shows (the yearly figures of a running kind drawn beside its scored quantity).
    """
    if context is None or len(context) == 0:
        return []
    _require_columns(context, ("indicator_id", "year", "value"), "context")
    indicator = str(traj["indicator_id"].iloc[0])
    rows = context[context["indicator_id"].astype("string").str.startswith(indicator + ":", na=False)
                   & context["year"].between(*years)]
    if rows.empty:
        return []
    own_unit = str(_first(traj, "unit", ""))
    units = rows["unit"].astype("string").fillna("").str.strip() if "unit" in rows.columns else pd.Series("", index=rows.index)
    # Spelling variants of the target's own unit ("%" / " % ") are the same unit, and so is a
    # unit the main axis already carries.
    on_main = units.map(lambda u: any(_same_unit(u, m) for m in (own_unit, *main_units))).astype(bool)
    units = units.where(~on_main, own_unit)
    rows = rows.assign(_unit=units)
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
                zh, en = T_CONTEXT_AXIS
                twin.set_ylabel(vocab.label((f"{zh}, {unit}", f"{en}, {unit}") if unit else T_CONTEXT_AXIS, lang),
                                color=PALETTE["context_right"])
                twin.tick_params(axis="y", colors=PALETTE["context_right"])
                twin.spines["right"].set_color(PALETTE["context_right"])
            target_ax = twin
        suffix = str(key[0]).split(":", 1)[1]
        name_zh, name_en = context_label_pair(grp, suffix)
        show_geo = len(keys) > 1 and (several_geos or str(key[1]) != own_geo)
        if show_geo:
            name_zh += f" ({geo_names(str(key[1]), 'zh')})"
            name_en += f" ({geo_names(str(key[1]), 'en')})"
        if target_ax is twin:  # read on the right axis: said in the legend, drawn in its colour
            name_zh += f", {T_RIGHT_AXIS[0]}"
            name_en += f", {T_RIGHT_AXIS[1]}"
        colour = PALETTE["context_right"] if target_ax is twin else PALETTE["context"]
        y = _floats(grp["value"])
        single = int(np.isfinite(y).sum()) == 1
        # A lone value is a larger open marker above the target star, so it shows even where it
        # coincides with the target or an observed point.
        (line,) = target_ax.plot(grp["year"].astype("int64").to_numpy(), y,
                                 color=colour, linestyle=(":", "-.")[i % 2],
                                 marker="sDv^P"[i % 5], markersize=SINGLE_POINT_MARKERSIZE if single else 4,
                                 markerfacecolor="white" if single else colour,
                                 markeredgewidth=1.3 if single else 1.0,
                                 linewidth=1.0, gid="context", zorder=4.5 if single else 2,
                                 label=vocab.label((f"{name_zh}: {T_CONTEXT[0]}", f"{name_en}: {T_CONTEXT[1]}"), lang))
        handles.append(line)
    if twin is not None and (rows.loc[rows["_unit"] == twin_unit, "value"].astype("float64") >= 0).all():
        twin.set_ylim(bottom=0)  # from zero: a lone proxy value must not look like a big swing
    if left_out:  # said in the legend (an entry without a symbol), where it cannot cover data
        handles.append(Line2D([], [], linestyle="none", gid="left_out", label=vocab.label(
            (f"另有 {left_out} 条参考序列(其他单位)未画出",
             f"plus {left_out} context series in other units not drawn"), lang)))
    return handles


def _raw_unit_pair(traj: pd.DataFrame, kind: str) -> tuple[str, str]:
    """(中文, English) unit of a running kind's yearly figures (``value_raw``): the target's
    ``value_unit`` when given; else "% over previous year" for the rate kinds and the target's
    unit for the flows."""
    given = _text_or_none(_first(traj, "value_unit"))
    if kind in RATE_KINDS:
        en = given or T_RAW_RATE_UNIT[1]
        return (T_RAW_RATE_UNIT[0] if _same_unit(en, T_RAW_RATE_UNIT[1]) else en, en)
    unit_zh, unit_en = _unit_pair(traj)
    en = given or unit_en
    return (unit_zh if _same_unit(en, unit_en) else en, en)


def _raw_shares_axis(traj: pd.DataFrame, kind: str) -> bool:
    """Whether a running kind's yearly figures are in the unit of its scored quantity (then they
    are drawn on the same axes): an average annual rate and the yearly rates are both % a year;
    a period total or yearly average and the yearly flows share the flow's unit. A total change
    (% since the baseline) and a ratio of rates are other units: a panel of their own."""
    if kind == "rate_avg":
        return _text_or_none(_first(traj, "reference_id")) is None
    if kind == "rate_total":
        return False
    return _same_unit(_raw_unit_pair(traj, kind)[1], _unit_pair(traj)[1])


def _draw_raw(ax: Axes, years: np.ndarray, raw: np.ndarray, kind: str, lang: str,
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


def plot_trajectory(traj: pd.DataFrame, benchmarks: pd.DataFrame | None = None,
                    context: pd.DataFrame | None = None, lang: str = "both",
                    geo_names=_key_name) -> Figure:
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
    grey lines with markers labelled ``geo_names(geo, lang)`` (e.g. :meth:`helpers.plan.Plan.geo_label`;
    default the key), for level-like kinds only (for relative, divided by the reference series
    ``reference_id`` found in the same frame). ``context`` (proxy series ``<target_id>:<suffix>``,
    labelled by their ``label_zh``/``label_en`` columns or their suffix in words) shares the main
    axis in the target's unit, else one secondary axis that says so. A target with no observed value still shows its target and
    required path and says "no data" where no series is drawn; when it has no benchmark or
    context line either, the figure is :data:`COMPACT_HEIGHT` inches high instead of the style's
    4.5 (more when a legend of three or more rows or a long unit label needs it). Titles are
    wrapped, never cut.
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
    unit = _unit_pair(traj)
    band = _band(comparator, target, target_hi, tolerance)
    origin = ""
    if kind in CHANGE_KINDS:  # the target is a change: the level it resolves to from x_b
        point = float(_first(traj, "target_point", np.nan))
        change = target
        target = point if np.isfinite(point) else _resolve_change(kind, baseline, change)
        if band is not None:
            band = (_resolve_change(kind, baseline, band[0]), _resolve_change(kind, baseline, band[1]))
            if not np.isfinite(band).all():
                band = None
        if np.isfinite(target) and band is None:
            origin = _change_origin(kind, baseline, change, lang)
    engine_d = _first(traj, "direction")  # the engine's own choice of side, when it gives one
    d = int(engine_d) if engine_d in (1, -1) else _direction(comparator, baseline, band)
    running = kind in RUNNING_KINDS
    raw = _floats(traj["value_raw"]) if running and "value_raw" in traj.columns else np.full(len(years), np.nan)
    show_raw = bool(np.isfinite(raw).any())
    panel = None
    if show_raw and not _raw_shares_axis(traj, kind):
        fig, (ax, panel) = plt.subplots(2, 1, sharex=True, layout="none", height_ratios=[3.0, 1.25])
        fig.set_figheight(fig.get_figheight() + PANEL_HEIGHT)
    else:
        fig, ax = plt.subplots(layout="none")  # margins: _place_single_axes
    handles: list = []
    subtitle = None
    target_label = _target_label(lang, comparator, target, tolerance, band, t_year, unit,
                                 num=_fmt_level if kind in CHANGE_KINDS else fmt_exact, origin=origin)
    if kind == "annual":
        handles += _draw_annual(ax, years, obs, target, band, d, comparator, lang, unit)
    elif kind in FLAT_KINDS:
        obs_label = T_SCORED["rate_avg_ratio" if _text_or_none(_first(traj, "reference_id")) else kind]
        handles += _draw_flat(ax, years, obs, target, band, d, target_label, _t(obs_label, lang), lang)
    elif kind == DIRECTION_KIND:
        subtitle = _t(T_WANTED_UP if d > 0 else T_WANTED_DOWN, lang)
        handles += _draw_path(ax, years, obs, np.full(len(years), np.nan), baseline, b_year, t_year,
                              np.nan, None, d, "", _t(T_OBSERVED, lang), lang,
                              no_baseline=T_NO_BASELINE_TREND)
        handles += _trend_entry(traj, years, d, b_year, lang)
    elif kind == UNQUANTIFIED_KIND:
        subtitle = _t(T_UNQUANTIFIED, lang)
        handles += _draw_path(ax, years, obs, np.full(len(years), np.nan), baseline, b_year, t_year,
                              np.nan, None, d, "", _t(T_OBSERVED, lang), lang, no_baseline=None)
    else:
        obs_label = T_SCORED.get(kind) or {"cumulative": T_RUNNING_TOTAL, "relative": T_RATIO}.get(kind, T_OBSERVED)
        handles += _draw_path(ax, years, obs, req, baseline, b_year, t_year, target, band, d, target_label,
                              _t(obs_label, lang), lang, reference_level=kind == "relative",
                              no_baseline=T_NO_BASELINE_CHANGE if kind in CHANGE_KINDS else T_NO_BASELINE)
    if show_raw:
        raw_handles = _draw_raw(panel if panel is not None else ax, years, raw, kind, lang,
                                panel is not None, _raw_unit_pair(traj, kind))
        handles[1:1] = raw_handles  # next to the scored line it is built from
    if running:
        handles += _running_gap_entry(years, obs, raw, lang)
    own_series = len(handles)
    handles += _benchmark_lines(ax, traj, benchmarks, kind, own_geo, (b_year, t_year), lang, geo_names)
    raw_on_main = (_raw_unit_pair(traj, kind)[1],) if show_raw and panel is None else ()
    handles += _context_lines(ax, traj, context, own_geo, (b_year, t_year), lang, geo_names, raw_on_main)
    no_data = not np.isfinite(obs).any() and not show_raw
    # Nothing but the plan's own target (and its path): a low chart says it without a screenful
    # of empty axes.
    compact = no_data and len(handles) == own_series
    if compact:
        fig.set_figheight(COMPACT_HEIGHT)

    _set_title(ax, str(_first(traj, "name_zh", "")), str(_first(traj, "name_en", "")), lang, subtitle)
    (panel if panel is not None else ax).set_xlabel(_t(T_YEAR, lang))
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
    legend = _legend(fig, handles, [h.get_label() for h in handles])
    twin = next((a for a in fig.axes if a is not ax and a is not panel), None)
    _place_single_axes(fig, ax, legend, twin=twin, panel=panel)
    if no_data:
        _no_data_note(fig, ax, lang)
    return fig


def _running_gap_entry(years: np.ndarray, obs: np.ndarray, raw: np.ndarray, lang: str) -> list:
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


def _trend_entry(traj: pd.DataFrame, years: np.ndarray, d: int, b_year: int, lang: str) -> list:
    """A legend entry without a symbol stating a direction target's trend: the level's average
    change in % a year from the baseline to the latest year with a trend (the engine's ``trend``
    is signed so that positive is the wanted way; the entry gives the level's own sign)."""
    if "trend" not in traj.columns:
        return []
    trend = _floats(traj["trend"])
    have = np.isfinite(trend)
    if not have.any():
        return []
    i = int(np.flatnonzero(have)[-1])
    rate, year = d * trend[i], int(years[i])
    text = vocab.label((f"{T_TREND[0]} {b_year}–{year}: 年均 {rate:+.1f} %",
                        f"{T_TREND[1]} {b_year}–{year}: {rate:+.1f} % a year"), lang)
    return [Line2D([], [], linestyle="none", label=text)]


def _draw_path(ax: Axes, years: np.ndarray, obs: np.ndarray, req: np.ndarray,
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
                               label=f"{_t(T_REFERENCE_LEVEL, lang)} = 1")
    if band is not None:
        target_artist = ax.axhspan(band[0], band[1], color=PALETTE["target"], alpha=0.16, linewidth=0,
                                   zorder=0, label=target_label)
    no_baseline_entry = None
    if not np.isfinite(baseline) and no_baseline is not None:
        # Said in the legend (an entry without a symbol), where it cannot cover data.
        no_baseline_entry = Line2D([], [], linestyle="none", label=_t(no_baseline, lang))
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
        (observed,) = ax.plot(x, y_obs, marker="o", color=PALETTE["observed"], zorder=4,
                              label=obs_label, gid="observed")
    if band is None and np.isfinite(target):
        # Under the observed marker, so a value that meets the target stays visible.
        (target_artist,) = ax.plot([t_year], [target], linestyle="none", marker="*", markersize=16,
                                   color=PALETTE["target"], markeredgecolor="white", zorder=3.5,
                                   label=target_label, gid="target")
    return [h for h in (observed, required, target_artist, shortfall, reference, no_baseline_entry) if h is not None]


def _draw_flat(ax: Axes, years: np.ndarray, obs: np.ndarray, target: float, band, d: int,
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
                                 label=_t(T_SHORTFALL, lang)))
    return handles


def _draw_annual(ax: Axes, years: np.ndarray, obs: np.ndarray, target: float, band, d: int,
                 comparator: str, lang: str, unit: tuple[str, str] = ("", "")) -> list:
    """Annual quota: bars per year with a value, dashed quota line (or band), hatched shortfall."""
    handles = []
    unit_text = vocab.label(unit, lang) if any(unit) else ""
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
                                  zorder=0, label=f"{_t(T_QUOTA, lang)} {_with_unit(quota, unit_text)}"))
        quota_edges = band
    else:
        (line,) = ax.plot(x_span, [target, target], linestyle="--", color=PALETTE["required"],
                          linewidth=1.6, zorder=4, gid="required",
                          label=f"{_t(T_QUOTA, lang)} {_with_unit(target_spec(comparator, target, num=fmt_exact), unit_text)}")
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
    ("not applicable"). Row labels are the target names in ``lang``, shortened to fit; a bilingual
    heatmap of at most :data:`HEATMAP_TWO_LINE_ROWS` targets gives each name two lines (Chinese,
    English) and taller rows.
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
    n_rows = len(order)
    # A bilingual heatmap of a few dozen targets has room for each name on two lines (Chinese,
    # then English) and longer; a long one keeps one short line per row.
    two_lines = lang == "both" and n_rows <= HEATMAP_TWO_LINE_ROWS
    if two_lines:
        labels = [_truncate(str(z), 30) + ("\n" + _truncate(str(e), 56) if str(e) != str(z) else "")
                  for z, e in zip(names["name_zh"], names["name_en"])]
    else:
        width = {"zh": 22, "en": 40, "both": 40}[lang]
        labels = [_truncate(vocab.label((str(z), str(e)), lang), width)
                  for z, e in zip(names["name_zh"], names["name_en"])]
    area_keys = names["area"].astype(str).tolist()

    row_height = 0.36 if two_lines else 0.24
    fig, ax = plt.subplots(figsize=(8.0 if lang != "zh" else 7.0, max(3.0, row_height * n_rows + 1.6)),
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
    label_size = 7.5 if n_rows > 30 or two_lines else 8.5
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
#: A bilingual heatmap of at most this many targets writes each name on two lines.
HEATMAP_TWO_LINE_ROWS = 40
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
    widest_row = max((_text_points(renderer, line, label_size)[0] for s in row_labels for line in s.split("\n")),
                     default=0.0)
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
