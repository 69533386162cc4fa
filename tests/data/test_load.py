"""Loading validated SYNTHETIC inputs: explicit dtypes, every problem raised together."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import synthetic_inputs as syn
from helpers.data import load
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
    assert inputs.meta["jurisdiction"] == "fuyang"
    assert (len(inputs.targets), len(inputs.statistics)) == (7, 13)
    assert inputs.targets_path == t and inputs.statistics_path == s


def test_load_inputs_raises_with_every_problem_of_both_files(tmp_path):
    T = syn.targets()
    T[1]["comparator"] = ">>"  # a typo that is not also formula-like ('=>' is reported twice)
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


def test_load_meta_missing_and_broken(tmp_path):
    t, _ = syn.write_inputs(tmp_path)
    assert load.load_meta(t) == syn.PLAN
    (tmp_path / "plan.json").unlink()
    with pytest.raises(ValidationError) as info:
        load.load_meta(t)
    (problem,) = info.value.problems
    assert problem.file == str(tmp_path / "plan.json") and problem.message.startswith("plan.json not found: ")
    (tmp_path / "plan.json").write_text(json.dumps({**syn.PLAN, "jurisdiction": "Fu Yang"}), encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        load.load_meta(t)
    # the bad key, and the jurisdiction it names has no label in "geos"
    assert [p.column for p in info.value.problems] == ["jurisdiction", "geos"]


def test_load_plan_by_folder_or_by_files(tmp_path):
    folder = tmp_path / "synthetic_plan"
    t, s = syn.write_inputs(folder)
    by_dir = load.load_plan(folder)
    by_files = load.load_plan(targets=t, statistics=s)
    by_targets = load.load_plan(targets=t)  # statistics.csv beside the targets file
    for plan in (by_dir, by_files, by_targets):
        assert plan.name == "synthetic_plan" and plan.meta == syn.PLAN
        assert (plan.targets_path, plan.statistics_path) == (t, s)
        assert (len(plan.targets), len(plan.statistics)) == (7, 13)
    assert by_dir.area_keys == list(syn.AREA_KEYS)
    assert by_dir.area_label("health", "en") == "health (synthetic)"
    assert by_dir.geo_label("fuyang") == "阜阳市 / Fuyang"
    assert by_dir.geo_label("nowhere") == "nowhere"  # a key without a label is shown as itself
    with pytest.raises(ValidationError):
        load.load_plan(folder, targets=t)  # either a plan or its files, not both


def test_plan_jurisdiction_fallback_is_the_geo_with_most_target_rows(tmp_path):
    t, s = syn.write_inputs(tmp_path)
    inputs = load.load_inputs(t, s)
    assert load.plan_jurisdiction(inputs.meta, inputs.statistics, inputs.targets) == "fuyang"
    # without a plan: target-id rows are fuyang 10, china 1 (the reference series is not a target id)
    assert load.plan_jurisdiction({}, inputs.statistics, inputs.targets) == "fuyang"
    only_china = inputs.statistics[inputs.statistics["geo"] == "china"]
    assert load.plan_jurisdiction({}, only_china, inputs.targets) == "china"
    assert load.plan_jurisdiction({}, inputs.statistics.iloc[:0], inputs.targets) is None


# --- snapshot of validated inputs (the report renderer's kernels reuse it) -----------------------

def _frames_equal(a: load.Plan, b: load.Plan) -> None:
    pd.testing.assert_frame_equal(a.targets, b.targets)
    pd.testing.assert_frame_equal(a.statistics, b.statistics)
    assert a.meta == b.meta and a.areas == b.areas and a.name == b.name


def test_snapshot_is_used_only_for_the_same_files(tmp_path, monkeypatch):
    t, s = syn.write_inputs(tmp_path)
    fresh = load.load_inputs(t, s)
    snap = load.write_snapshot(fresh, tmp_path / "inputs.pickle")
    monkeypatch.setenv(load.SNAPSHOT_ENV, str(snap))
    calls = []
    monkeypatch.setattr(load.validate, "check_files", lambda *a: calls.append(a) or (_ for _ in ()).throw(
        AssertionError("validated again")))
    reused = load.load_inputs(t, s)
    _frames_equal(reused, fresh)
    assert calls == []
    reused.targets.loc[0, "target"] = -1.0  # a notebook changing its table changes no other load
    _frames_equal(load.load_inputs(t, s), fresh)

    # One byte changed in the statistics file: the snapshot no longer applies.
    s.write_text(s.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="validated again"):
        load.load_inputs(t, s)


def test_snapshot_is_ignored_when_plan_json_changes(tmp_path, monkeypatch):
    t, s = syn.write_inputs(tmp_path)
    snap = load.write_snapshot(load.load_inputs(t, s), tmp_path / "inputs.pickle")
    monkeypatch.setenv(load.SNAPSHOT_ENV, str(snap))
    plan = load.plan_path_for(t)
    other = {**syn.PLAN, "title_en": "Another synthetic plan"}
    plan.write_text(json.dumps(other), encoding="utf-8")
    assert load.load_inputs(t, s).meta == other


@pytest.mark.parametrize("content", [None, b"", b"not a pickle"])
def test_a_missing_or_broken_snapshot_falls_back_to_loading(tmp_path, monkeypatch, content):
    t, s = syn.write_inputs(tmp_path)
    expected = load.load_inputs(t, s)
    where = tmp_path / "inputs.pickle"
    if content is not None:
        where.write_bytes(content)
    monkeypatch.setenv(load.SNAPSHOT_ENV, str(where))
    _frames_equal(load.load_inputs(t, s), expected)


def test_bad_files_still_raise_with_a_snapshot_of_other_files(tmp_path, monkeypatch):
    good = tmp_path / "good"
    t, s = syn.write_inputs(good)
    monkeypatch.setenv(load.SNAPSHOT_ENV, str(load.write_snapshot(load.load_inputs(t, s), tmp_path / "p.pickle")))
    bad = tmp_path / "bad"
    bt, bs = syn.write_inputs(bad)
    text = bs.read_text(encoding="utf-8")
    assert ",2017," in text
    bs.write_text(text.replace(",2017,", ",20x7,", 1), encoding="utf-8")
    with pytest.raises(ValidationError, match="year"):
        load.load_inputs(bt, bs)


def test_read_plan_returns_the_metadata_and_its_problems_without_raising(tmp_path):
    t, _ = syn.write_inputs(tmp_path, plan=None)
    plan = load.plan_path_for(t)
    meta, problems = load.read_plan(t)
    assert meta == {} and [(p.file, p.line, p.column) for p in problems] == [(str(plan), None, None)]
    assert problems[0].message.startswith("plan.json not found: ")
    plan.write_text('{"jurisdiction": "Fu Yang", "benchmarks": ["china"]}', encoding="utf-8")
    meta, problems = load.read_plan(t)
    assert meta == {"jurisdiction": "Fu Yang", "benchmarks": ["china"]}
    # every missing or bad key: no title, a bad jurisdiction, no areas, no geos
    assert [(p.file, p.column) for p in problems] == [(str(plan), c) for c in ("title_zh", "jurisdiction", "areas", "geos")]
    plan.write_text(json.dumps(syn.PLAN), encoding="utf-8")
    assert load.read_plan(t) == (syn.PLAN, [])
    plan.write_text('["fuyang"]', encoding="utf-8")
    meta, problems = load.read_plan(t)
    assert meta == {} and [(p.line, p.column) for p in problems] == [(1, None)]
