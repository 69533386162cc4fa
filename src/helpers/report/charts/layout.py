"""Layout of the charts: titles wrapped to the figure, legends below the axes, margins measured
from the chart's own texts, and a free spot for the "no data" note.

- :func:`set_title` — a title wrapped at :data:`TITLE_COLUMNS` display columns (a CJK character
  counts two), never cut with "…"; longer than :data:`TITLE_MAX_LINES` lines, it is set smaller.
  :func:`wrap_text` and :func:`label_lines` wrap any name so (the heatmap's row labels).
- :func:`trajectory_legend` / :func:`bottom_legend` — a figure legend centred at the bottom edge,
  never over the data; the caller (or :func:`place_single_axes`) makes room for it.
- :func:`place_single_axes` (a trajectory chart, with its optional right axis and lower panel) and
  :func:`place_heatmap` — margins measured from the texts and set once with ``subplots_adjust``,
  instead of constrained layout, which makes every ``savefig`` run a draw-disabled pre-pass over
  all artists (a quarter of a chart's cost; a report draws one chart per target).
- :func:`no_data_note` — the note put where no drawn series is (call it after the layout is final).

Lengths are points (1/72 inch) unless said otherwise; figure sizes are inches. The sizes read are
the rcParams :func:`helpers.report.charts.style.use_style` sets. Nothing here draws data or knows a target.
"""

from __future__ import annotations

import textwrap
import unicodedata

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import transforms
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from helpers import vocab

#: Outer margin of a chart, points.
_MARGIN_PT = 6.0


# ---------------------------------------------------------------------------------------------
# titles: wrapped, never cut


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


def wrap_text(text: str, width: int, balanced: bool = False) -> list[str]:
    """``text`` on lines of at most ``width`` display columns (a CJK character counts two),
    nothing left out: Chinese breaks between characters, other text between words (a single
    word longer than ``width`` keeps a line of its own). No line for empty text.
    ``balanced``: the same number of lines, as even as they can be (wrapped at the narrowest
    width that needs no more lines), so that no last word stands alone."""
    lines = _wrap_greedy(text, width)
    if balanced and len(lines) > 1:
        narrow = width
        while narrow > 1 and len(_wrap_greedy(text, narrow - 1)) == len(lines):
            narrow -= 1
        lines = _wrap_greedy(text, narrow)
    return lines


def _wrap_greedy(text: str, width: int) -> list[str]:
    """Lines filled in turn up to ``width`` columns (:func:`wrap_text`)."""
    if not text:
        return []
    if any(unicodedata.east_asian_width(ch) in "WF" for ch in text):
        return _wrap_cjk(text, width)
    return textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False) or [text]


def label_lines(zh: str, en: str, lang: str, width: int = TITLE_COLUMNS, balanced: bool = False) -> list[str]:
    """A name's lines (a title, a heatmap row), never shortened: one line when it fits ``width``
    display columns; a bilingual name too long for one line goes on two or more (Chinese first,
    then English), each wrapped at ``width`` (``balanced``: see :func:`wrap_text`)."""
    one = vocab.label((zh, en), lang)
    if _columns(one) <= width:
        return [one]
    if lang == "both" and zh != en:
        return wrap_text(zh, width, balanced) + wrap_text(en, width, balanced)
    return wrap_text(one, width, balanced)


def set_title(ax: Axes, zh: str, en: str, lang: str, subtitle: str | None = None) -> None:
    """The target's name as the title, wrapped (never cut with "…"); a title of more than
    :data:`TITLE_MAX_LINES` lines is set smaller and wrapped wider so it keeps every word.
    ``subtitle`` goes on a last line of its own (e.g. "no quantified target")."""
    size = plt.rcParams["axes.titlesize"]
    width = TITLE_COLUMNS
    lines = label_lines(zh, en, lang, width)
    while len(lines) > TITLE_MAX_LINES and size > 8.5:
        size -= 1.0
        width = int(TITLE_COLUMNS * plt.rcParams["axes.titlesize"] / size)
        lines = label_lines(zh, en, lang, width)
    if subtitle:
        lines = lines + wrap_text(subtitle, width)
    # A fixed title height: no top ticks can collide with it, and matplotlib's automatic title
    # placement measures the axes on every draw (a fifth of a chart's cost).
    ax.set_title("\n".join(lines), y=1.0, fontsize=size)


# ---------------------------------------------------------------------------------------------
# legends below the axes


def trajectory_legend(fig: Figure, handles: list, labels: list[str]):
    """The trajectory chart's legend below the axes (never over the data); None without handles.
    Columns by label length, fewer when the legend would be wider than the figure
    (:func:`bottom_legend`); a legend of more than two rows (lines) makes the figure taller."""
    if not handles:
        return None
    longest = max(len(lb) for lb in labels)
    ncols = 1 if longest > 46 else 2 if longest > 26 else 3
    legend = bottom_legend(fig, handles, labels, ncols=min(ncols, len(handles)))
    lines = max(t.get_text().count("\n") + 1 for t in legend.get_texts())
    rows = -(-len(handles) // legend._ncols) * lines
    if rows > 2:  # a tall legend gets its own room instead of squeezing the axes
        fig.set_figheight(fig.get_figheight() + 0.2 * (rows - 2))
    return legend


def bottom_legend(fig: Figure, handles: list, labels: list[str], ncols: int, title: str | None = None):
    """A figure legend centred :data:`_MARGIN_PT` above the bottom edge (anchored in inches, so
    it stays there when the figure's height changes); the caller makes room for it.

    Never wider than the figure less its margins (issue 24: bilingual legends were cut at both
    edges of an 880 px image): measured, it gets fewer columns, then a bilingual label goes on
    two lines (Chinese, English), then labels are wrapped to fit."""
    anchor = transforms.blended_transform_factory(fig.transFigure, fig.dpi_scale_trans)
    renderer = fig.canvas.get_renderer()
    room = fig.bbox.width - 2 * _MARGIN_PT / 72 * fig.dpi

    def make(cols: int, texts: list[str]):
        return fig.legend(handles, texts, loc="lower center", ncols=cols, title=title,
                          bbox_to_anchor=(0.5, _MARGIN_PT / 72), bbox_transform=anchor, borderaxespad=0.0)

    def fitted(most: int, texts: list[str]):
        """The legend of ``texts`` with the most columns (up to ``most``) that fit, else one."""
        for cols in range(most, 0, -1):
            legend = make(cols, texts)
            if cols == 1 or legend.get_window_extent(renderer).width <= room:
                return legend
            legend.remove()

    texts = list(labels)
    legend = fitted(ncols, texts)
    if legend.get_window_extent(renderer).width > room and any(" / " in t for t in texts):
        legend.remove()  # bilingual labels on two lines (Chinese, English), as many columns as fit
        texts = [t.replace(" / ", "\n", 1) for t in texts]
        legend = fitted(ncols, texts)
    width = legend.get_window_extent(renderer).width
    if width > room:  # still too wide in one column: each line narrowed in proportion
        legend.remove()
        texts = ["\n".join(w for line in t.split("\n") for w in wrap_text(line, max(8, int(_columns(line) * room / width))))
                 for t in texts]
        legend = make(1, texts)
    return legend


# ---------------------------------------------------------------------------------------------
# margins measured from the chart's own texts


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


def place_single_axes(fig: Figure, ax: Axes, legend=None, twin: Axes | None = None,
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


#: Gap (points) between the heatmap's right edge and its area names.
AREA_LABEL_GAP_PT = 5.0
#: Font size (points) of the heatmap's area names.
AREA_LABEL_SIZE = 8.0


def place_heatmap(fig: Figure, ax: Axes, legend, row_labels: list[str], label_size: float,
                  area_names: list[str]) -> None:
    """Margins of the heatmap measured from its texts (see :func:`place_single_axes`): row labels
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
    widest_area = max((_text_points(renderer, line, AREA_LABEL_SIZE)[0]
                       for name in area_names for line in name.split("\n")), default=0.0)
    left = _MARGIN_PT + widest_row + rc["ytick.major.pad"]
    right = _MARGIN_PT + AREA_LABEL_GAP_PT + widest_area
    fig.subplots_adjust(left=left / width_pt, right=1 - right / width_pt,
                        top=1 - top / height_pt, bottom=bottom / height_pt)


# ---------------------------------------------------------------------------------------------
# the "no data" note, where nothing is drawn


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


def no_data_note(fig: Figure, ax: Axes, text: str) -> None:
    """The note ``text`` ("no data" in the chart's language) on the axes, where nothing is drawn:
    the centre when it is empty, else the first free corner or edge (:data:`_NOTE_SPOTS`), as a
    smaller label; the spot covering least when none is free. Call after the layout is final (it
    measures the drawn data)."""
    renderer = fig.canvas.get_renderer()
    polylines, boxes = _obstacles(fig, ax, renderer)
    best = None
    for i, (x, y, ha, va) in enumerate(_NOTE_SPOTS):
        size = 14 if i == 0 else 10
        note = ax.text(x, y, text, transform=ax.transAxes, ha=ha, va=va,
                       fontsize=size, color="#777777", zorder=5, gid="no_data")
        hits = _hits(note.get_window_extent(renderer), polylines, boxes, pad=_NOTE_PAD_PT / 72 * renderer.dpi)
        if hits == 0:
            return
        note.remove()
        if best is None or hits < best[0]:
            best = (hits, x, y, ha, va, size)
    _, x, y, ha, va, size = best
    ax.text(x, y, text, transform=ax.transAxes, ha=ha, va=va, fontsize=size,
            color="#777777", zorder=5, gid="no_data")
