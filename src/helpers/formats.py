"""Numbers and targets as text: the one place where they are formatted.

Two number styles, for two jobs:

- :func:`fmt_exact` — the number as it was written, nothing lost: ``1300`` (not ``1300.0``),
  ``4.5``, ``0.3`` (not ``0.30000000000000004``), ``12345678``. Missing -> ``""``. For
  validation messages, CSV cells written back for people to edit, and chart legends (a plan's
  target reads there as the plan printed it).
- :func:`fmt_num` — the number for a report table or sentence: thousands separators above 1000,
  at most 2 decimals from 1 up, 3 significant digits below 1. Missing -> :data:`MISSING` ("—").

Targets: :func:`cmp_sign` turns a comparator into its sign (``>=`` -> ``≥``, ``<=`` -> ``≤``,
``~`` -> ``≈``); :func:`target_spec` writes a whole target ("≥ 6", "10–20", "≈ 75 ± 5") with
either number style; :func:`target_text` adds the unit.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd

#: What a missing number looks like in a report table.
MISSING = "—"
#: Comparator (helpers.vocab.COMPARATORS) -> the sign a reader writes; ``between`` has none.
CMP_SIGNS: dict[str, str] = {">=": "≥", "<=": "≤", "~": "≈"}


def _missing(x: object) -> bool:
    """True for None and for a scalar pandas calls missing (NaN of any float type, pd.NA, NaT)."""
    return x is None or (pd.api.types.is_scalar(x) and bool(pd.isna(x)))


def fmt_exact(x: object) -> str:
    """The number as a person writes it, without losing digits.

    Integers (and integral floats below 1e15) without a decimal point, ``-0.0`` as ``0``; other
    floats with up to 15 significant digits, which drops binary noise (``0.1 + 0.2`` -> ``0.3``)
    but keeps every digit a person typed. Infinity as ``inf`` / ``-inf``. Missing -> ``""``.
    """
    if _missing(x):
        return ""
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    x = float(x)
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return format(x, ".15g")


def fmt_num(x: object) -> str:
    """A number for a report table: missing -> :data:`MISSING`; ``|x| >= 1000`` with thousands
    separators and no decimals (``35,128``); ``1 <= |x| < 1000`` (and 0) with up to 2 decimals,
    trailing zeros dropped (``4.5``, ``2.35``); ``0 < |x| < 1`` with 3 significant digits
    (``0.123``, ``0.000123``). ``-0`` as ``0``; infinity as ``∞`` / ``-∞``. Units are not added."""
    if _missing(x):
        return MISSING
    x = float(x)
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    a = abs(x)
    if a >= 1000:
        s = f"{x:,.0f}"
    elif a >= 1 or a == 0:
        s = f"{x:.2f}".rstrip("0").rstrip(".")
    else:
        s = f"{x:.3g}"
    return "0" if s in ("-0", "-0.0") else s


def cmp_sign(comparator: object) -> str:
    """The sign of ``comparator``: ``>=`` -> ``≥``, ``<=`` -> ``≤``, ``~`` -> ``≈``; ``between``
    and unknown comparators come back unchanged; missing -> ``""``."""
    if _missing(comparator):
        return ""
    return CMP_SIGNS.get(str(comparator), str(comparator))


def target_spec(comparator: object, target: object, target_hi: object = None, tolerance: object = None,
                *, num: Callable[[object], str] = fmt_num, approx_sign: bool = True) -> str:
    """A target without its unit: ``≥ 6``, ``≤ 4.5``, ``10–20`` (``between``: target–target_hi),
    ``≈ 75 ± 5`` (``~``: target ± tolerance; ``≈ 75`` when the tolerance is missing).

    ``num`` formats each number (:func:`fmt_num` or :func:`fmt_exact`); ``approx_sign=False``
    leaves out the ``≈`` of a ``~`` target (for a label that already says "range").
    """
    cmp_ = "" if _missing(comparator) else str(comparator)
    if cmp_ == "between":
        return f"{num(target)}–{num(target_hi)}"
    if cmp_ == "~":
        core = f"{CMP_SIGNS['~']} {num(target)}" if approx_sign else num(target)
        return core if _missing(tolerance) else f"{core} ± {num(tolerance)}"
    return f"{cmp_sign(cmp_)} {num(target)}".strip()


def target_text(comparator: object, target: object, target_hi: object = None,
                tolerance: object = None, unit: object = None) -> str:
    """The target as a report writes it: :func:`target_spec` with :func:`fmt_num`, then the unit
    (``≥ 6 beds``, ``≈ 75 ± 5 %``); a missing or empty unit adds nothing. A unit that starts with
    a number (``10k persons``) goes in brackets, so two numbers never run together:
    ``≤ 0 (10k persons)``, not ``≤ 0 10k persons``."""
    core = target_spec(comparator, target, target_hi, tolerance)
    if not _missing(unit) and str(unit).strip():
        u = str(unit).strip()
        core += f" ({u})" if u[0].isdigit() else f" {u}"
    return core


def humanise(key: object) -> str:
    """An internal key as words: ``lifted_in_year`` -> ``lifted in year``."""
    return " ".join(str(key).replace("_", " ").split())


def text_or_none(value: object) -> str | None:
    """``value`` as stripped text; None for a missing value (None, NA, NaN) or empty text."""
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


def series_labels(rows: pd.DataFrame) -> tuple[str | None, str | None]:
    """The (中文, English) labels a context series' statistics rows give: the first non-empty
    ``label_zh`` and ``label_en`` (stripped), ``None`` for a language without one."""
    def first(col: str) -> str | None:
        return next((t for t in map(text_or_none, rows[col]) if t), None) if col in rows.columns else None

    return first("label_zh"), first("label_en")


def series_label_pair(rows: pd.DataFrame, suffix: str) -> tuple[str, str]:
    """(中文, English) label of a context series (statistics rows of ``<id>:<suffix>``): its
    ``label_zh`` / ``label_en`` (:func:`series_labels`), else the suffix in words
    (``lifted_in_year`` -> ``lifted in year``). A missing English label falls back to the suffix
    (never to Chinese, which a chart without a CJK font could not draw); a missing Chinese label
    to the English one."""
    zh, en = series_labels(rows)
    plain = humanise(suffix)
    return (zh or en or plain, en or plain)


def fmt_pct(x: object) -> str:
    """A share (1.0 = 100%) as a whole percentage; NaN -> "—"."""
    if x is None or pd.isna(x):
        return MISSING
    return f"{float(x) * 100:.0f}%"


def fmt_year(x: object) -> str:
    """A year as text ("2021"); NA/None -> "—"."""
    if x is None or pd.isna(x):
        return MISSING
    return str(int(x))
