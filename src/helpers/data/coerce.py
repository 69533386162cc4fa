"""Number cells turned into numbers, with a message saying what to write instead for every cell
that is not a plain number (data layer; after :func:`helpers.data.readers.read_cells`, before the
schemas of :mod:`helpers.data.schema`).

:func:`coerce_numbers` returns a typed copy of the text cells and one problem per bad cell,
named by file, line and column: a missing-value word ("N/A", "无", "-": leave the cell empty),
a thousands separator ("1,300", "1 300", "1，300"), a percent sign, a decimal comma, a
spreadsheet formula, full-width digits, infinity or a number too large for a float, a unit
after the number ("4.1万"), a year that is not a whole number, and a value beyond
:data:`MAX_ABS_VALUE` in absolute value. Surrounding spaces are ignored; scientific notation is
accepted. Cells are shown in messages with invisible characters escaped (``<U+200B>``).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from helpers.data import schema
from helpers.data.readers import ESCAPED, escape_invisible
from helpers.exceptions import Problem

#: Cells meaning "missing" that must be written as an empty cell instead (compared casefolded).
NA_TOKENS = frozenset({
    "n/a", "na", "n.a.", "nan", "null", "none", "nil", "-", "--", "—", "–", "..", "...", "…",
    "#n/a", "?", "x", "无", "缺", "暂无", "不详", "空",
})
_THOUSANDS = r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$"
_DECIMAL_COMMA = r"^[+-]?\d+,\d+$"
_PERCENT = r"^[+-]?[\d.,]+\s*[%％]$"
_WITH_UNIT = r"^[+-]?\d+(?:\.\d+)?\s*[^\d\s.,+-].*$"

#: Characters used as thousands separators besides ',' (after NFKC, which turns '，' into ','):
#: apostrophes, spaces, no-break and thin spaces.
_SEPARATORS = r"['’\u00a0\u202f\u2009 、]"
_SEPARATOR_NAMES = {"，": "the full-width comma '，'", " ": "a space", "'": "an apostrophe", "’": "an apostrophe",
                    "\u00a0": "a no-break space <U+00A0>", "\u202f": "a narrow no-break space <U+202F>",
                    "\u2009": "a thin space <U+2009>", "、": "the enumeration comma '、'"}
_FLOAT_LITERAL = r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$"
_INF_TOKENS = ("inf", "-inf", "+inf", "infinity", "-infinity", "+infinity")


def _number_messages(text: pd.Series, integer: bool) -> pd.Series:
    """What is wrong with each cell of ``text`` (stripped "string" cells that are not numbers),
    one message per cell, computed for all cells at once."""
    t = text.astype("string")
    shown = t.str.replace(ESCAPED, lambda m: f"<U+{ord(m.group()[0]):04X}>", regex=True)
    q = "'" + shown + "'"
    folded = t.str.casefold()
    norm = t.str.normalize("NFKC")
    grouped = norm.str.replace(_SEPARATORS, ",", regex=True)
    num_norm = pd.to_numeric(norm.astype(object), errors="coerce").astype("float64")
    sep = t.str.extract(r"\d([^\d.])\d", expand=False)
    sep_note = (" (here " + sep.map(_SEPARATOR_NAMES).fillna("'" + sep + "'") + ")").where(sep != ",", "").fillna("")
    literal = norm.str.fullmatch(_FLOAT_LITERAL).fillna(False).astype(bool)
    too_big = pd.Series([bool(lit) and math.isinf(float(x)) for lit, x in zip(literal, norm)], index=t.index, dtype=bool)
    cases = [
        (folded.isin(NA_TOKENS), q + ": leave the cell empty for a missing value"),
        (grouped.str.fullmatch(_THOUSANDS),
         q + ": thousands separator not allowed" + sep_note + ", write "
         + grouped.str.replace(",", "", regex=False)),
        (norm.str.fullmatch(_PERCENT),
         q + ": write the number without % (" + norm.str.rstrip("%").str.strip()
         + "); the unit column says what it measures"),
        (norm.str.fullmatch(_DECIMAL_COMMA), q + ": use a dot for decimals, write " + norm.str.replace(",", ".", regex=False)),
        (t.str.contains(schema.FORMULA_PATTERN, regex=True), q + " looks like a spreadsheet formula; write the number itself"),
        ((norm != t) & pd.Series(np.isfinite(num_norm), index=t.index),
         q + ": write the number with plain (half-width) digits: " + norm),
        (folded.isin(_INF_TOKENS), q + " is not a finite number"),
        (too_big, q + " is out of range: too large for a number (the largest is about 1.8e308); check the "
                  "value and its unit"),
        (norm.str.fullmatch(_WITH_UNIT),
         q + (": write only the year as digits, e.g. 2017" if integer
              else ": write only the number; the unit belongs in the unit column")),
    ]
    out = q + (" is not a year; expected a whole number such as 2017" if integer
               else " is not a number; expected a plain number such as 1300 or 4.5")
    for mask, message in reversed(cases):  # the first case that applies wins
        out = message.where(mask.astype("boolean").fillna(False).astype(bool), out)
    return out


#: The largest magnitude a value may have: larger ones are typing or unit errors (and would
#: overflow in the growth-rate arithmetic).
MAX_ABS_VALUE = 1e15


def coerce_numbers(raw: pd.DataFrame, file: str, floats=(), ints=()) -> tuple[pd.DataFrame, list[Problem]]:
    """Typed copy of ``raw``: ``floats`` as float64, ``ints`` as Int64, other columns as "string".

    A cell that is not a plain number becomes ``NA`` and yields a problem saying what to write
    instead. Surrounding spaces around a number are ignored; scientific notation is accepted.
    """
    out = raw.astype("string")
    problems: list[Problem] = []
    for col in (*floats, *ints):
        if col not in raw.columns:
            continue
        text = raw[col].str.strip()
        num = pd.to_numeric(text.astype(object), errors="coerce").astype("float64")
        integer = col in ints
        not_number = (text.notna() & ~np.isfinite(num)).astype(bool)
        fractional = (np.isfinite(num) & (num != np.round(num))) if integer else pd.Series(False, index=num.index)
        if not_number.any():
            messages = _number_messages(text[not_number], integer)
            problems += [Problem(file, int(line), col, m) for line, m in messages.items()]
        for line, t in text[fractional].items():
            problems.append(Problem(file, int(line), col,
                                    f"'{escape_invisible(t)}' is not a whole number; a year is written like 2017"))
        huge = (np.isfinite(num) & (num.abs() > MAX_ABS_VALUE)).astype(bool)
        for line, t in text[huge].items():
            problems.append(Problem(file, int(line), col,
                                    f"'{escape_invisible(t)}' is too large for a statistic or a target "
                                    f"(more than {MAX_ABS_VALUE:.0e} in absolute value); check the value and its unit"))
        num = num.where(~(not_number | fractional | huge))
        out[col] = num.round().astype("Int64") if integer else num
    return out, problems
