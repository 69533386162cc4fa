"""One shared look for every chart, and the language the labels can actually be drawn in.

:func:`use_style` applies :data:`STYLE` (sizes, grid, spines, dpi, colour cycle) and the CJK font
fallback (:func:`helpers.report.charts.fonts.setup_fonts`) to the global ``rcParams``. It is global on purpose:
matplotlib creates tick labels lazily at draw time, which in a notebook happens after the chart
function has returned, so a temporary ``rc_context`` would leave them in the default font.
Every chart function calls it; calling it again is cheap.

:func:`resolve_lang` turns the requested label language into the one that can be drawn: ``en``
when Chinese was asked for but no CJK font exists (with the font module's single warning).
"""

from __future__ import annotations

from typing import Any

import matplotlib as mpl
from cycler import cycler

from helpers.exceptions import UnknownValueError
from helpers.report.charts import fonts
from helpers.vocab import LANGS

#: Okabe–Ito colours for chart elements (colour-blind safe, same family as vocab.STATUS_COLOURS).
PALETTE: dict[str, str] = {
    "observed": "#0072B2",  # blue: the plan jurisdiction's own values
    "required": "#333333",  # near-black dashed: where the value should be
    "target": "#CC79A7",  # reddish purple: the target marker / band
    "shortfall": "#E69F00",  # orange, translucent: observed short of required
    "benchmark": "#8C8C8C",  # grey: other jurisdictions
    "context": "#6B6B6B",  # dark grey dotted: proxy series, never scored
    # dark bluish green: context series on the right axis, with that axis' ticks and label, so
    # a reader sees which axis a line is read on
    "context_right": "#117A65",
}
CYCLE: tuple[str, ...] = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")

#: rcParams shared by every chart; figure size fits the width of an HTML report column.
STYLE: dict[str, Any] = {
    "figure.figsize": [8.0, 4.5],  # a list, as rcParams stores it (use_style compares)
    "figure.dpi": 110,
    "savefig.dpi": 150,
    "savefig.bbox": "tight",
    "figure.constrained_layout.use": True,
    "font.size": 10,
    # Unhinted glyphs: true to the fonts' shapes at report resolution, and about a tenth cheaper
    # to draw than FreeType's autohinter (a report draws one chart per target).
    "text.hinting": "no_hinting",
    # Regular weight: the bundled CJK font has no bold face (matplotlib would log a fallback).
    "axes.titleweight": "normal",
    "axes.titlesize": 12.5,
    "axes.labelsize": 10,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.fontsize": 8.5,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.6,
    "lines.linewidth": 1.8,
    "lines.markersize": 5.5,
    "axes.prop_cycle": cycler(color=list(CYCLE)),
    "image.cmap": "viridis",
    # Names and units are data: a "$" is a dollar sign, never the start of mathtext (which would
    # drop it, or fail on an unbalanced "$\\frac{").
    "text.parse_math": False,
}


def use_style() -> dict[str, Any]:
    """Apply :data:`STYLE` and the CJK font fallback globally; return the rcParams applied.

    Settings already in place are not set again (rcParams validates every value it is given, a
    noticeable cost when a report draws one chart per target); any that a user changed meanwhile
    are restored."""
    changed = {k: v for k, v in STYLE.items() if mpl.rcParams[k] != v}
    if changed:
        mpl.rcParams.update(changed)
    fonts.setup_fonts()
    return {**STYLE, "font.family": list(mpl.rcParams["font.family"])}


def resolve_lang(lang: str) -> str:
    """The label language that can be drawn: ``lang`` itself, or ``"en"`` when ``lang`` is
    ``zh``/``both`` and no CJK font exists (``setup_fonts`` then warns once).

    Raises :class:`~helpers.exceptions.UnknownValueError` for anything but zh, en, both.
    """
    if lang not in LANGS:
        raise UnknownValueError("lang", lang, LANGS)
    if lang == "en":
        return lang
    return lang if fonts.setup_fonts() is not None else "en"
