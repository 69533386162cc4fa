"""helpers.report.params: parameter checks list the valid values; prepare() on a synthetic plan."""

from __future__ import annotations

import pandas as pd
import pytest

import fuyang_plan
from helpers.report import params
from helpers.exceptions import UnknownValueError
from helpers.data.plan import Plan
from fuyang_plan import AREAS
from nb_synthetic import synthetic_targets, write_synthetic_project


def test_check_choice_lists_valid_values():
    with pytest.raises(UnknownValueError) as exc:
        params.check_choice("method", "quadratic", ("linear", "cagr"))
    assert str(exc.value) == "unknown method 'quadratic'; valid values are: linear, cagr"
    assert params.check_choice("method", "cagr", ("linear", "cagr")) == "cagr"
    with pytest.raises(UnknownValueError):
        params.check_choice("lang", None, ("zh", "en", "both"))


def test_valid_areas_are_the_declared_areas_in_plan_order():
    t = pd.DataFrame({"area": ["poverty", "health"]})
    # every declared area, in plan.json's order, those without targets too
    assert params.valid_areas(Plan(fuyang_plan.META, t, pd.DataFrame())) == AREAS
    meta = {"areas": [{"key": "zz", "zh": "乙", "en": "Z"}, {"key": "aa", "zh": "甲", "en": "A"}]}
    plan = Plan(meta, pd.DataFrame({"area": ["aa"]}), pd.DataFrame())
    assert params.valid_areas(plan) == ["zz", "aa"]
    assert plan.areas_in_use() == ["aa"]


def test_check_as_of():
    t = synthetic_targets()  # baseline 2016, target years 2020/2021
    assert params.plan_years(t) == [2017, 2018, 2019, 2020, 2021]
    assert params.check_as_of(None, t) is None
    assert params.check_as_of(2019, t) == 2019
    assert params.check_as_of("2020", t) == 2020
    assert params.check_as_of(2021.0, t) == 2021
    for bad in (2016, 2022, "x", True, 2019.5):
        with pytest.raises(UnknownValueError) as exc:
            params.check_as_of(bad, t)
        assert "valid values are: 2017, 2018, 2019, 2020, 2021" in str(exc.value)


@pytest.fixture(scope="module")
def synthetic_root(tmp_path_factory):
    return write_synthetic_project(tmp_path_factory.mktemp("synthetic"))


def _paths(root):
    return dict(targets_path=root / "data/raw/synthetic/targets.csv", statistics_path=root / "data/raw/synthetic/statistics.csv")


@pytest.mark.parametrize("kw, what, listed", [
    ({"area": "jobs"}, "area", "employment, education, health"),
    ({"indicator_id": "health.beds"}, "indicator_id", "health.beds_per_1000"),
    ({"method": "cagr2"}, "method", "linear, cagr"),
    ({"lang": "fr"}, "lang", "zh, en, both"),
    ({"geo": "mars"}, "geo", "fuyang, anhui, china"),
    ({"as_of_year": 2030}, "as_of_year", "2017, 2018"),
])
def test_prepare_rejects_unknown_values(synthetic_root, kw, what, listed):
    with pytest.raises(UnknownValueError) as exc:
        params.prepare(**_paths(synthetic_root), **kw)
    assert exc.value.what == what
    assert listed in str(exc.value)


def test_prepare_defaults(synthetic_root):
    ctx = params.prepare(**_paths(synthetic_root))
    assert ctx.geo == "fuyang"
    assert ctx.method == "linear" and ctx.lang == "both"
    # Latest year with any value for fuyang among target rows: 2021 (new urban jobs).
    assert ctx.as_of == 2021 and ctx.as_of_requested is None and ctx.has_data
    assert set(ctx.latest["indicator_id"]) == set(synthetic_targets()["id"])
    assert ctx.trajectory_for("linear") is ctx.trajectory
    cagr = ctx.trajectory_for("cagr")
    assert cagr is ctx.trajectory_for("cagr")
    assert len(cagr) == len(ctx.trajectory)


def test_prepare_as_of_and_geo(synthetic_root):
    ctx = params.prepare(**_paths(synthetic_root), as_of_year=2018, geo="china", area="health")
    assert (ctx.as_of, ctx.as_of_requested, ctx.geo, ctx.area) == (2018, 2018, "china", "health")
    beds = ctx.latest.set_index("indicator_id").loc["health.beds_per_1000"]
    assert int(beds["year"]) == 2018 and beds["value"] == pytest.approx(6.0)


def test_coverage_is_computed_once_for_the_context_geo(synthetic_root):
    from helpers.method import coverage

    ctx = params.prepare(**_paths(synthetic_root), geo="china")
    by_target, by_area = ctx.coverage()
    assert ctx.coverage()[0] is by_target and ctx.coverage()[1] is by_area
    pd.testing.assert_frame_equal(by_target, coverage.coverage_by_target(ctx.targets, ctx.statistics, "china"))
    pd.testing.assert_frame_equal(by_area, coverage.coverage_by_area(ctx.targets, ctx.statistics, "china",
                                                                     areas=ctx.plan.areas))
    assert by_area["area_en"].iloc[0] == ctx.plan.area_label(by_area["area"].iloc[0], "en")  # the plan's labels


def test_prepare_without_charts_leaves_matplotlib_alone(synthetic_root):
    import subprocess
    import sys

    code = ("import sys; from helpers.report import params; from helpers.publish import render; "
            f"ctx = params.prepare(targets_path={str(_paths(synthetic_root)['targets_path'])!r}, "
            f"statistics_path={str(_paths(synthetic_root)['statistics_path'])!r}, lang='zh', charts=False); "
            "print('matplotlib' in sys.modules, ctx.chart_lang)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "zh"]


# --- the tour's defaults (issue 24) -----------------------------------------------------------------------------

def test_the_tour_opens_the_shipped_plan_with_the_most_values():
    """Not the default plan when another has far more values (Fuyang: 73 of 78 targets without data)."""
    from helpers.data import load
    from helpers.data.plan import shipped_plans

    def own_values(name):
        p = load.load_plan(name)
        s = p.statistics
        return int(((s["geo"] == p.jurisdiction) & s["indicator_id"].isin(p.targets["id"])).sum())

    counts = {name: own_values(name) for name in shipped_plans()}
    assert params.plan_with_most_values() == max(counts, key=counts.get)
    assert params.plan_with_most_values() == "china_fyp14"  # the shipped data as it is


def test_a_tour_of_one_area_defaults_to_a_target_of_that_area():
    """The default plan's default target is in another area than its default area: the tour's
    pair of defaults stays in one area; a report of one target keeps the plan's default."""
    for plan in ("fuyang", "china_fyp14"):
        ctx = params.prepare(plan=plan, for_area=True, for_indicator=True, charts=False)
        area_of = ctx.targets.set_index("id")["area"]
        assert area_of[ctx.indicator_id] == ctx.area, plan
    fuyang = params.prepare(plan="fuyang", for_indicator=True, charts=False)
    assert fuyang.indicator_id == fuyang.plan.text("default_indicator")
    assert fuyang.targets.set_index("id")["area"][fuyang.indicator_id] != fuyang.plan.default_area()  # the case fixed
