"""Coverage of the SYNTHETIC plan, against counts worked out by hand.

Synthetic statistics for fuyang (see synthetic_inputs.statistics), years with a value within
baseline_year..target_year:
  beds 2016, 2018, 2020 (3 of 6; baseline yes)   new_jobs 2017, 2018 (2 of 6; baseline no)
  income_vs_national 2016, 2018 with the reference series (china) in both years (2 of 6)
  poverty 2016, 2020 (2 of 5: target year 2020)   rural_roads: a context series only (0 of 6)
  flood_standard, reimbursement: nothing (0 of 6)
Totals: 7 targets, 3 with a baseline, 4 with a value in 2017+, 3 with no data, 9 of 41 years.
"""

from __future__ import annotations

import pandas as pd
import pytest

import synthetic_inputs as syn
from helpers.data import load
from helpers.cli import main
from helpers.method.coverage import coverage_by_area, coverage_by_target


def _inputs(tmp_path, T=None, S=None):
    t, s = syn.write_inputs(tmp_path, T, S)
    return load.load_inputs(t, s)


def test_coverage_by_target_hand_counts(tmp_path):
    inp = _inputs(tmp_path)
    by = coverage_by_target(inp.targets, inp.statistics, "fuyang").set_index("id")
    got = by[["has_baseline", "has_progress", "years_filled", "years_possible", "no_data", "context_rows"]]
    expected = pd.DataFrame.from_dict({
        "health.beds_per_1000": (True, True, 3, 6, False, 0),
        "employment.new_jobs": (False, True, 2, 6, False, 0),
        "infrastructure.rural_roads": (True, False, 0, 6, True, 1),  # cumulative: the method starts it from 0
        "employment.income_vs_national": (True, True, 2, 6, False, 0),
        "infrastructure.flood_standard": (False, False, 0, 6, True, 0),
        "social_security.reimbursement": (False, False, 0, 6, True, 0),
        "poverty.poor_population": (True, True, 2, 5, False, 0),
    }, orient="index", columns=got.columns)
    pd.testing.assert_frame_equal(got, expected.astype(got.dtypes.to_dict()), check_names=False, check_index_type=False)


def test_coverage_by_area_hand_counts(tmp_path):
    inp = _inputs(tmp_path)
    # without the plan's areas: first-appearance order in the targets, labelled by key
    bare = coverage_by_area(inp.targets, inp.statistics, "fuyang")
    assert bare["area"].tolist() == ["health", "employment", "infrastructure", "social_security", "poverty", "all"]
    assert bare.set_index("area").loc["health", ["area_zh", "area_en"]].tolist() == ["health", "health"]
    # with them: plan.json's order and labels
    by = coverage_by_area(inp.targets, inp.statistics, "fuyang", areas=inp.areas)
    assert by["area"].tolist() == ["employment", "health", "social_security", "infrastructure", "poverty", "all"]
    assert by.set_index("area").loc["health", ["area_zh", "area_en"]].tolist() == ["health(合成)", "health (synthetic)"]
    pd.testing.assert_frame_equal(bare.set_index("area").loc[by["area"], ["targets", "years_filled"]],
                                  by.set_index("area")[["targets", "years_filled"]])
    counts = by.set_index("area")[["targets", "with_baseline", "with_progress", "no_data", "years_filled", "years_possible"]]
    assert counts.loc["employment"].tolist() == [2, 1, 2, 0, 4, 12]
    assert counts.loc["health"].tolist() == [1, 1, 1, 0, 3, 6]
    assert counts.loc["social_security"].tolist() == [1, 0, 0, 1, 0, 6]
    assert counts.loc["infrastructure"].tolist() == [2, 1, 0, 2, 0, 12]  # rural roads: cumulative, baseline 0
    assert counts.loc["poverty"].tolist() == [1, 1, 1, 0, 2, 5]
    assert counts.loc["all"].tolist() == [7, 4, 4, 3, 9, 41]
    assert by.set_index("area").loc["all", "share_filled"] == pytest.approx(9 / 41)
    assert by.set_index("area").loc["all", "area_zh"] == "全部"


def test_relative_target_year_needs_the_reference_value(tmp_path):
    S = [r for r in syn.statistics() if not (r["indicator_id"] == "ref.income_per_capita" and r["year"] == "2018")]
    inp = _inputs(tmp_path, S=S)
    row = coverage_by_target(inp.targets, inp.statistics, "fuyang").set_index("id").loc["employment.income_vs_national"]
    assert (row["years_filled"], row["has_baseline"], row["has_progress"]) == (1, True, False)


def test_values_outside_the_plan_years_and_other_geos_do_not_count(tmp_path):
    S = syn.statistics()
    S.append(syn._s("health.beds_per_1000", "fuyang", 2015, 3.8, "beds per 1000 residents"))
    S.append(syn._s("health.beds_per_1000", "fuyang", 2022, 6.1, "beds per 1000 residents"))
    inp = _inputs(tmp_path, S=S)
    beds = coverage_by_target(inp.targets, inp.statistics, "fuyang").set_index("id").loc["health.beds_per_1000"]
    assert beds["years_filled"] == 3
    china = coverage_by_target(inp.targets, inp.statistics, "china").set_index("id")
    assert china.loc["health.beds_per_1000", ["has_baseline", "has_progress", "years_filled"]].tolist() == [False, True, 1]
    assert china["years_filled"].sum() == 1  # ref.income_per_capita is a reference, not a target's own value


def test_given_baseline_value_counts_as_a_baseline(tmp_path):
    T = syn.targets()
    T[4]["baseline_value"] = "15"  # infrastructure.flood_standard, a level without statistics
    inp = _inputs(tmp_path, T=T)
    flood = coverage_by_target(inp.targets, inp.statistics, "fuyang").set_index("id").loc["infrastructure.flood_standard"]
    assert (flood["has_baseline"], flood["years_filled"], flood["no_data"]) == (True, 0, True)


def test_a_cumulative_target_has_the_baseline_the_method_uses(tmp_path):
    """Issue 24: coverage said "with baseline 0/1" for a cumulative target the method starts from 0."""
    from helpers.method import gaps

    T = [t for t in syn.targets() if t["id"] == "infrastructure.rural_roads"]
    S = [syn._s("infrastructure.rural_roads", "fuyang", 2018, 900, "km")]
    inp = _inputs(tmp_path, T=T, S=S)
    traj = gaps.compute_gaps(inp.targets, inp.statistics, geo="fuyang")
    assert traj["baseline"].eq(0).all()  # what the method uses
    by = coverage_by_area(inp.targets, inp.statistics, "fuyang").set_index("area")
    assert by.loc["all", "with_baseline"] == 1 and by.loc["all", "targets"] == 1


def test_cli_coverage_prints_areas_total_and_targets_without_data(tmp_path, capsys):
    t, s = syn.write_inputs(tmp_path)
    assert main(["coverage", "--targets", str(t), "--statistics", str(s)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert "阜阳市 / Fuyang" in lines[0]
    total = next(ln for ln in lines if ln.startswith("全部 / All"))
    assert total.split()[3:] == ["7", "4/7", "(57.1%)", "4/7", "(57.1%)", "3", "9/41", "(22.0%)"]
    tail = out.split("无任何数据的目标 / Targets with no data at all (3):")[1].split()
    assert tail == ["infrastructure.rural_roads", "农村公路(合成)", "infrastructure.flood_standard", "防洪标准(合成)",
                    "social_security.reimbursement", "报销比例(合成)"]


def test_cli_coverage_unknown_geo_exits_2(tmp_path, capsys):
    t, s = syn.write_inputs(tmp_path)
    assert main(["coverage", "--targets", str(t), "--statistics", str(s), "--geo", "nowhere"]) == 2
    err = capsys.readouterr().err
    assert "unknown geo 'nowhere'; valid values are: fuyang, anhui, china" in err


def test_coverage_by_area_sums_a_given_by_target_table(tmp_path):
    inp = _inputs(tmp_path)
    by_target = coverage_by_target(inp.targets, inp.statistics, "fuyang")
    pd.testing.assert_frame_equal(coverage_by_area(inp.targets, inp.statistics, "fuyang", by_target),
                                  coverage_by_area(inp.targets, inp.statistics, "fuyang"))
    # the given table is used as it is, not recomputed: only health's row (beds: 3 of 6 years)
    health = coverage_by_area(inp.targets, inp.statistics, "fuyang", by_target[by_target["area"] == "health"])
    assert health["area"].tolist() == ["health", "all"]
    assert health.set_index("area").loc["all", ["targets", "years_filled", "years_possible"]].tolist() == [1, 3, 6]


def test_resolve_geo_default_named_and_nothing_to_infer(tmp_path):
    from helpers.method.coverage import resolve_geo
    from helpers.exceptions import UnknownValueError

    inp = _inputs(tmp_path)
    assert resolve_geo(None, inp) == "fuyang"
    assert resolve_geo("china", inp) == "china"
    inp.meta = {"jurisdiction": "fuyang", "benchmarks": ["shanghai"]}
    assert resolve_geo("shanghai", inp) == "shanghai"  # a declared benchmark without rows yet
    with pytest.raises(UnknownValueError) as err:
        resolve_geo("fuyang,china", inp)  # one geo only
    assert str(err.value) == "unknown geo 'fuyang,china'; valid values are: fuyang, china, shanghai"
    with pytest.raises(UnknownValueError):
        resolve_geo("anhui", inp)  # neither the jurisdiction, a benchmark nor a geo of the statistics
    # metadata without a jurisdiction: the geo with the most target-id rows
    inp.meta = {}
    assert resolve_geo(None, inp) == "fuyang"
    # ... and no statistics either: nothing to choose from
    inp.statistics = inp.statistics.iloc[:0]
    with pytest.raises(UnknownValueError) as err:
        resolve_geo(None, inp)
    assert err.value.valid == []
