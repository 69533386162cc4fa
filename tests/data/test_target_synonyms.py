"""``≥`` / ``≤`` and 约束性 / 预期性 in targets.csv (issue 24, item 5): a Chinese researcher types
them naturally; they validate and load as the contract's ``>=`` / ``<=`` and ``binding`` /
``expected``. Any other word is still an error naming file, line and column."""

from __future__ import annotations

import csv

import pytest

from helpers.exceptions import ValidationError
from test_any_plan import STATS, T_HEADER, TARGETS, write_plan


def _with_binding(folder, comparators, bindings):
    rows = [r[:5] + [c] + r[6:] for r, c in zip(TARGETS, comparators)]
    write_plan(folder, targets=rows, stats=STATS)
    path = folder / "targets.csv"
    with open(path, encoding="utf-8") as fh:
        table = list(csv.reader(fh))
    table[0].append("binding")
    for row, b in zip(table[1:], bindings):
        row.append(b)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(table)
    return folder


def test_unicode_comparators_and_chinese_binding_are_read_as_the_contract_words(tmp_path):
    from helpers.data.load import load_plan

    assert T_HEADER[5] == "comparator"
    plan = load_plan(str(_with_binding(tmp_path / "p", ["≤", " ≥ ", ">="], ["约束性", "预期性 ", ""])))
    assert plan.targets["comparator"].tolist() == ["<=", ">=", ">="]
    assert plan.targets["binding"].fillna("").tolist() == ["binding", "expected", ""]


def test_other_words_are_still_refused(tmp_path):
    from helpers.data.load import load_plan

    with pytest.raises(ValidationError) as exc:
        load_plan(str(_with_binding(tmp_path / "p", ["=>", ">=", ">="], ["必须", "", ""])))
    text = str(exc.value)
    assert "targets.csv:2" in text and "'=>'" in text and "'必须'" in text
