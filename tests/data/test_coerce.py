"""Number cells turned into numbers (helpers.data.coerce): what each kind of cell that is not a plain
number is told to write instead, and the plain numbers accepted as they are."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.data.coerce import coerce_numbers


@pytest.mark.parametrize("text,expected", [
    ("1,300", "thousands separator not allowed, write 1300"),
    ("12,345.5", "thousands separator not allowed, write 12345.5"),
    ("4,5", "use a dot for decimals, write 4.5"),
    ("4.5%", "write the number without % (4.5)"),
    ("N/A", "leave the cell empty for a missing value"),
    ("-", "leave the cell empty for a missing value"),
    ("１３００", "write the number with plain (half-width) digits: 1300"),
    ("=SUM(A1:A3)", "looks like a spreadsheet formula"),
    ("inf", "is not a finite number"),
    ("4.1万", "write only the number; the unit belongs in the unit column"),
    ("23，821", "'23，821': thousands separator not allowed (here the full-width comma '，'), write 23821"),
    ("1 300", "thousands separator not allowed (here a space), write 1300"),
    ("1\u00a0300", "'1<U+00A0>300': thousands separator not allowed (here a no-break space <U+00A0>), write 1300"),
    ("1e400", "'1e400' is out of range: too large for a number"),
    ("-1e400", "is out of range"),
    ("+4.5%", "write the number without % (+4.5)"),
    ("4.5\u200b", "'4.5<U+200B>'"),
])
def test_number_messages(text, expected):
    raw = pd.DataFrame({"value": [text]}, index=pd.Index([7], name="line"), dtype="string")
    typed, problems = coerce_numbers(raw, "f.csv", floats=("value",))
    assert [(p.line, p.column) for p in problems] == [(7, "value")]
    assert expected in problems[0].message
    assert typed["value"].isna().all() and str(typed["value"].dtype) == "float64"


def test_numbers_that_are_fine():
    raw = pd.DataFrame({"value": ["1300", " 4.5 ", "-2", "1e3", None], "year": ["2017", "2018", "2019", "2020", "2021"]},
                       index=pd.Index([2, 3, 4, 5, 6], name="line"), dtype="string")
    typed, problems = coerce_numbers(raw, "f.csv", floats=("value",), ints=("year",))
    assert problems == []
    assert typed["value"].tolist()[:4] == [1300.0, 4.5, -2.0, 1000.0] and pd.isna(typed["value"].iloc[4])
    assert str(typed["year"].dtype) == "Int64" and typed["year"].tolist() == [2017, 2018, 2019, 2020, 2021]
