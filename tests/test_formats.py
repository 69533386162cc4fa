"""helpers.formats: the two number styles, comparator signs and target phrasing (hand-written expectations)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import formats

from helpers.report import frames, htmltext, narrate, tables
from helpers.formats import MISSING, cmp_sign, fmt_exact, fmt_num, target_spec, target_text

NAN = float("nan")


@pytest.mark.parametrize("x, expected", [
    (1300.0, "1300"), (12324, "12324"), (np.int64(7), "7"), (0.0, "0"), (-0.0, "0"),
    (4.5, "4.5"), (0.1 + 0.2, "0.3"), (-2.5, "-2.5"), (77.3, "77.3"), (0.0001234, "0.0001234"),
    (1234567.0, "1234567"), (12345678.9, "12345678.9"), (-1234567.0, "-1234567"),
    (123456789012345.0, "123456789012345"), (1e15, "1e+15"), (1e-7, "1e-07"),
    (float("inf"), "inf"), (True, "1"),
    (NAN, ""), (np.float32("nan"), ""), (None, ""), (pd.NA, ""),
])
def test_fmt_exact_writes_every_digit_and_nothing_more(x, expected):
    assert fmt_exact(x) == expected


@pytest.mark.parametrize("x, expected", [
    (0.0, "0"), (-0.0, "0"), (6.0, "6"), (np.int64(12), "12"), (4.5, "4.5"), (2.346, "2.35"), (2.345, "2.35"),
    (999.994, "999.99"), (-1.5, "-1.5"), (-12.345678, "-12.35"),
    (1000.0, "1,000"), (35128.0, "35,128"), (1234.56, "1,235"), (1234567.0, "1,234,567"),
    (-1234.6, "-1,235"),
    (0.12345, "0.123"), (0.5, "0.5"), (-0.5, "-0.5"), (0.0001234, "0.000123"),
    (float("inf"), "∞"), (float("-inf"), "-∞"),
    (NAN, MISSING), (None, MISSING), (pd.NA, MISSING), (np.float32("nan"), MISSING),
])
def test_fmt_num_for_tables(x, expected):
    assert fmt_num(x) == expected
    assert MISSING == "—"


@pytest.mark.parametrize("comparator, expected", [
    (">=", "≥"), ("<=", "≤"), ("~", "≈"), ("between", "between"), ("==", "=="),
    (None, ""), (NAN, ""), (pd.NA, ""),
])
def test_cmp_sign(comparator, expected):
    assert cmp_sign(comparator) == expected


@pytest.mark.parametrize("args, kwargs, expected", [
    ((">=", 6.0), {}, "≥ 6"),
    (("<=", 4.5, NAN, NAN), {}, "≤ 4.5"),
    ((">=", -2.5), {}, "≥ -2.5"),
    ((">=", 2800.0), {}, "≥ 2,800"),
    ((">=", 2800.0), {"num": fmt_exact}, "≥ 2800"),
    ((">=", 1234567.0), {"num": fmt_exact}, "≥ 1234567"),
    ((">=", NAN), {}, "≥ —"),
    (("between", 10.0, 20.0), {}, "10–20"),
    (("between", 0.85, 1.0, NAN), {}, "0.85–1"),
    (("between", 1500.0, 2500.0), {}, "1,500–2,500"),
    (("~", 75.0, NAN, 5.0), {}, "≈ 75 ± 5"),
    (("~", 75.0, None, 5.0), {"approx_sign": False}, "75 ± 5"),
    (("~", 75.0, NAN, NAN), {}, "≈ 75"),
    (("~", 77.3, None, 0.05), {"num": fmt_exact}, "≈ 77.3 ± 0.05"),
    (("~", 77.3, None, 0.05), {}, "≈ 77.3 ± 0.05"),
    ((None, 6.0), {}, "6"),
    (("==", 6.0), {}, "== 6"),
])
def test_target_spec(args, kwargs, expected):
    assert target_spec(*args, **kwargs) == expected


def test_target_text_adds_the_unit_only_when_there_is_one():
    assert target_text(">=", 6.0, NAN, NAN, "beds") == "≥ 6 beds"
    assert target_text("<=", 0.0, None, None, "%") == "≤ 0 %"
    assert target_text("between", 10.0, 20.0, None, "years") == "10–20 years"
    assert target_text("~", 75.0, NAN, 5.0, "%") == "≈ 75 ± 5 %"
    assert target_text(">=", 35128.0, unit="yuan") == "≥ 35,128 yuan"
    assert target_text(">=", 6.0) == "≥ 6"
    assert target_text(">=", 6.0, unit=NAN) == "≥ 6"
    # A unit that starts with a number is bracketed: never "≤ 0 10k persons" (issue 24).
    assert target_text("<=", 0.0, unit="10k persons") == "≤ 0 (10k persons)"
    assert target_text(">=", 1100.0, unit="10k persons") == "≥ 1,100 (10k persons)"
    assert target_text("<=", 0.0, unit="万人") == "≤ 0 万人"
    assert target_text(">=", 6.0, unit="") == "≥ 6"
    assert target_text(">=", 6.0, unit=pd.NA) == "≥ 6"


def test_the_report_modules_use_the_consolidated_functions():
    # One implementation each: the report modules that use these names import them from here.
    for module in (htmltext, frames, tables, narrate):
        for name in ("fmt_num", "target_text", "MISSING"):
            if hasattr(module, name):
                assert getattr(module, name) is getattr(formats, name), (module.__name__, name)
    assert frames.target_text is formats.target_text and tables.fmt_num is formats.fmt_num
    assert htmltext.MISSING is formats.MISSING


def test_series_label_pair_prefers_the_data_labels_then_the_suffix_in_words():
    import pandas as pd

    from helpers.formats import humanise, series_label_pair

    assert humanise("lifted_in_year") == "lifted in year"
    both = pd.DataFrame({"label_zh": [None, "当年脱贫"], "label_en": ["", "lifted that year"]})
    assert series_label_pair(both, "lifted_in_year") == ("当年脱贫", "lifted that year")
    en_only = pd.DataFrame({"label_en": ["lifted that year"]})
    assert series_label_pair(en_only, "lifted_in_year") == ("lifted that year", "lifted that year")
    zh_only = pd.DataFrame({"label_zh": ["当年脱贫"], "label_en": [float("nan")]})
    assert series_label_pair(zh_only, "lifted_in_year") == ("当年脱贫", "lifted in year")
    assert series_label_pair(pd.DataFrame({"value": [1]}), "first_half") == ("first half", "first half")


def test_series_labels_are_the_first_non_empty_stripped_label_of_each_language():
    import pandas as pd

    from helpers.formats import series_labels

    rows = pd.DataFrame({"label_zh": [None, "  ", " 当年脱贫 "], "label_en": ["", None, float("nan")]})
    assert series_labels(rows) == ("当年脱贫", None)
    assert series_labels(pd.DataFrame({"value": [1.0]})) == (None, None)
