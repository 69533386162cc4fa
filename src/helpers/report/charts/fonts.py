"""Make Chinese text render in matplotlib figures, without root and without touching matplotlib's files.

:func:`setup_fonts` finds a CJK font and puts it second in ``rcParams["font.family"]`` behind a
Latin font, so matplotlib (>= 3.6 per-glyph fallback) draws Latin letters and digits with
DejaVu Sans and every Chinese character with the CJK font.

Where the CJK font comes from, in order:

1. a system font that matplotlib's font manager already knows, from a short list of freely
   licensed families (Noto Sans CJK / Source Han Sans / WenQuanYi ...), provided it really covers
   the test characters :data:`PROBE_TEXT`;
2. the Noto Sans CJK SC file (SIL Open Font License) shipped inside the PyPI package ``mplfonts``,
   registered for this process only with ``fontManager.addfont``. Only the ``.otf`` file is read:
   ``mplfonts`` itself is never imported (its tools rewrite matplotlib's configuration), and the
   proprietary SimHei file in the same folder is never used.

When neither exists :func:`setup_fonts` returns ``None`` and warns once; callers then label
figures in English (see :func:`helpers.report.charts.style.resolve_lang`). Setting the environment variable
``HELPERS_NO_CJK_FONT=1`` (or passing ``disable_cjk=True``) forces that path, for tests.
"""

from __future__ import annotations

import importlib.util
import os
import warnings
from pathlib import Path

import matplotlib as mpl
from matplotlib import font_manager

#: Latin font drawn first; ships with matplotlib, so it always exists.
LATIN_FAMILY = "DejaVu Sans"
#: Characters a CJK font must cover to be used (the plan's city and 民生 "livelihood").
PROBE_TEXT = "规划民生"
#: Freely licensed system CJK families, best first. Proprietary ones (SimHei...) are not listed.
SYSTEM_CJK_FAMILIES: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
    "Source Han Sans",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
    "AR PL UMing CN",
)
#: The bundled file inside the ``mplfonts`` package folder.
BUNDLED_PACKAGE = "mplfonts"
BUNDLED_FILE = ("fonts", "NotoSansCJKsc-Regular.otf")
ENV_DISABLE = "HELPERS_NO_CJK_FONT"
NO_CJK_WARNING = (
    "No CJK (Chinese) font found: neither a system font (Noto Sans CJK, Source Han Sans, "
    "WenQuanYi) nor the Noto Sans CJK SC file of the 'mplfonts' package. Charts fall back to "
    "English labels. Install the project's environment (pip install mplfonts) to get Chinese."
)
DISABLED_WARNING = (
    f"CJK (Chinese) font disabled ({ENV_DISABLE} is set or disable_cjk=True): charts fall back to "
    "English labels."
)

#: (disable_cjk flag) -> family found; cached so repeat calls cost a dict lookup.
_cache: dict[bool, str | None] = {}
_warned = False


def _covers(path: str | os.PathLike[str], text: str = PROBE_TEXT) -> bool:
    """True when the font file at ``path`` has a glyph for every character of ``text``."""
    from matplotlib.ft2font import FT2Font

    try:
        charmap = FT2Font(str(path)).get_charmap()
    except (OSError, RuntimeError, ValueError):
        return False
    return all(ord(ch) in charmap for ch in text)


def find_system_cjk_family() -> str | None:
    """Name of the first :data:`SYSTEM_CJK_FAMILIES` entry the font manager knows and that covers
    :data:`PROBE_TEXT`; ``None`` when there is none."""
    by_name: dict[str, list[str]] = {}
    for entry in font_manager.fontManager.ttflist:
        by_name.setdefault(entry.name, []).append(entry.fname)
    for family in SYSTEM_CJK_FAMILIES:
        if any(_covers(f) for f in by_name.get(family, ())):
            return family
    return None


def bundled_font_path() -> Path | None:
    """Path of Noto Sans CJK SC inside the installed ``mplfonts`` package, without importing it."""
    spec = importlib.util.find_spec(BUNDLED_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        candidate = Path(folder).joinpath(*BUNDLED_FILE)
        if candidate.is_file():
            return candidate
    return None


def register_bundled_font() -> str | None:
    """Register the bundled Noto Sans CJK SC file for this process; return its family name."""
    path = bundled_font_path()
    if path is None or not _covers(path):
        return None
    known = {Path(e.fname).resolve() for e in font_manager.fontManager.ttflist}
    if path.resolve() not in known:
        font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def _disabled_by_env() -> bool:
    return os.environ.get(ENV_DISABLE, "").strip().lower() not in ("", "0", "false", "no")


def setup_fonts(disable_cjk: bool | None = None) -> str | None:
    """Set ``rcParams["font.family"]`` to ``[DejaVu Sans, <CJK family>]`` and return the CJK family.

    Returns ``None`` (and warns once per process) when no CJK font is available or when
    ``disable_cjk`` is true (default: the ``HELPERS_NO_CJK_FONT`` environment variable); the
    family list is then ``[DejaVu Sans]`` alone. Cheap and idempotent: the search runs once per
    value of ``disable_cjk``; later calls only re-apply the rcParams (a notebook or an
    ``rc_context`` may have reset them).
    """
    global _warned
    disabled = _disabled_by_env() if disable_cjk is None else bool(disable_cjk)
    if disabled not in _cache:
        family = None if disabled else (find_system_cjk_family() or register_bundled_font())
        _cache[disabled] = family
    family = _cache[disabled]
    mpl.rcParams["font.family"] = [LATIN_FAMILY, family] if family else [LATIN_FAMILY]
    # The CJK fonts have U+2212 (minus), but DejaVu draws it first anyway; keep the real minus.
    mpl.rcParams["axes.unicode_minus"] = True
    if family is None and not _warned:
        _warned = True
        warnings.warn(DISABLED_WARNING if disabled else NO_CJK_WARNING, UserWarning, stacklevel=2)
    return family


def _reset_for_tests() -> None:
    """Forget the cached search and the 'already warned' flag (tests only)."""
    global _warned
    _cache.clear()
    _warned = False
