"""Loading validated SYNTHETIC inputs: explicit dtypes, every problem raised together."""

from __future__ import annotations

import pandas as pd
import pytest

import synthetic_inputs as syn
from helpers import load
from helpers.exceptions import ValidationError


def test_load_targets_dtypes_and_values(tmp_path):
    t, _ = syn.write_inputs(tmp_path)
    df = load.load_targets(t)
    assert isinstance(df.index, pd.RangeIndex) and len(df) == 7
    for col, dtype in load.TARGET_DTYPES.items():
        assert str(df[col].dtype) == dtype, col
    assert df["id"].tolist()[0] == "health.beds_per_1000"
    row = df.set_index("id").loc["infrastructure.flood_standard"]
    assert (row["target"], row["target_hi"]) == (10.0, 20.0) and pd.isna(row["tolerance"])
    assert df.loc[df["id"] == "poverty.poor_population", "target_year"].item() == 2020
    assert df["reference_id"].isna().sum() == 6  # only the relative target has one


def test_optional_columns_are_added_when_absent(tmp_path):
    t, _ = syn.write_inputs(tmp_path)
    frame = pd.read_csv(t, dtype=str, keep_default_na=False).drop(columns=["unit_zh", "value_unit", "baseline_value"])
    frame.to_csv(t, index=False)
    df = load.load_targets(t)
    assert str(df["baseline_value"].dtype) == "float64" and df["baseline_value"].isna().all()
    assert str(df["value_unit"].dtype) == "string" and str(df["unit_zh"].dtype) == "string"


def test_load_statistics_dtypes(tmp_path):
    t, s = syn.write_inputs(tmp_path)
    df = load.load_statistics(s, targets=load.load_targets(t))
    for col, dtype in load.STATISTICS_DTYPES.items():
        assert str(df[col].dtype) == dtype, col
    assert len(df) == 13
    assert df["value"].sum() == pytest.approx(16000 + 19000 + 4.3 + 4.0 + 6.0 + 4.0 + 4.6 + 5.4 + 12 + 50 + 0 + 23821 + 28228)


def test_load_inputs_returns_everything(tmp_path):
    t, s = syn.write_inputs(tmp_path)
    inputs = load.load_inputs(t, s)
    assert inputs.plan["jurisdiction"] == "fuyang"
    assert (len(inputs.targets), len(inputs.statistics)) == (7, 13)
    assert inputs.targets_path == t and inputs.statistics_path == s


def test_load_inputs_raises_with_every_problem_of_both_files(tmp_path):
    T = syn.targets()
    T[1]["comparator"] = "=>"
    S = syn.statistics()
    S[3]["value"] = "N/A"
    S[6]["unit"] = "beds"
    t, s = syn.write_inputs(tmp_path, T, S)
    with pytest.raises(ValidationError) as info:
        load.load_inputs(t, s)
    where = [(p.file, p.line, p.column) for p in info.value.problems]
    assert where == [(str(t), 3, "comparator"), (str(s), 5, "value"), (str(s), 8, "unit")]
    assert str(info.value).startswith("3 problems found:")


def test_load_statistics_alone_skips_cross_checks(tmp_path):
    S = syn.statistics()
    S[4]["indicator_id"] = "health.unknown_synthetic"
    _, s = syn.write_inputs(tmp_path, None, S)
    assert len(load.load_statistics(s)) == 13  # no targets given: ids are not checked
    with pytest.raises(ValidationError):
        load.load_statistics(s, targets=load.load_targets(tmp_path / "targets.csv"))


def test_load_plan_missing_and_broken(tmp_path):
    t, _ = syn.write_inputs(tmp_path, plan=None)
    assert load.load_plan(t) == {}
    (tmp_path / "plan.json").write_text('{"jurisdiction": "Fu Yang"}', encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        load.load_plan(t)
    assert info.value.problems[0].column == "jurisdiction"


def test_plan_jurisdiction_fallback_is_the_geo_with_most_target_rows(tmp_path):
    t, s = syn.write_inputs(tmp_path)
    inputs = load.load_inputs(t, s)
    assert load.plan_jurisdiction(inputs.plan, inputs.statistics, inputs.targets) == "fuyang"
    # without a plan: target-id rows are fuyang 10, china 1 (the reference series is not a target id)
    assert load.plan_jurisdiction({}, inputs.statistics, inputs.targets) == "fuyang"
    only_china = inputs.statistics[inputs.statistics["geo"] == "china"]
    assert load.plan_jurisdiction({}, only_china, inputs.targets) == "china"
    assert load.plan_jurisdiction({}, inputs.statistics.iloc[:0], inputs.targets) is None
