"""The geo rule (helpers.data.geos): which places a plan is scored for, by default, by name, or
"all" (all inputs SYNTHETIC). The engine scoring several geos: test_gaps.py."""

from __future__ import annotations

import pandas as pd
import pytest

from engine_synthetic import PLAN, stats_frame, target, targets_frame
from helpers.exceptions import UnknownValueError
from helpers.data.geos import check_geo, default_geo, resolve_geos, valid_geos
from helpers.data.plan import Plan
from nb_synthetic import synthetic_statistics, synthetic_targets

BEDS = target("health.beds", target=6.0)


def _geo_stats():
    return stats_frame(("health.beds", "synthetica", {2016: 1.0, 2017: 1.0, 2018: 1.0}),
                       ("health.beds", "lakeside", {2016: 1.0, 2017: 1.0, 2018: 1.0}),
                       ("health.beds", "bench_nation", {2016: 1.0}),
                       ("ref.income", "hilltop", {y: 1.0 for y in range(2010, 2020)}),
                       ("health.beds:proxy", "zz_proxy_only", {y: 1.0 for y in range(2000, 2020)}))


def test_resolve_geos():
    s, t = _geo_stats(), targets_frame(BEDS)
    assert resolve_geos(None, PLAN, s) == ["synthetica"]
    # no plan.json: most target-id rows; tie (3 and 3) -> alphabetical
    assert resolve_geos(None, {}, s, targets=t) == ["lakeside"]
    # without the target list every non-context row counts (the reference series too)
    assert resolve_geos(None, {}, s) == ["hilltop"]
    # all: the plan's own first, then other geos with target-id rows; benchmarks are context
    assert resolve_geos("all", PLAN, s, targets=t) == ["synthetica", "lakeside"]
    assert resolve_geos("lakeside, synthetica", PLAN, s) == ["lakeside", "synthetica"]
    assert resolve_geos(["synthetica", "synthetica"], PLAN, s) == ["synthetica"]
    assert resolve_geos("bench_nation", PLAN, s) == ["bench_nation"]  # asked for by name
    assert resolve_geos(None, {"jurisdiction": "newtown"}, s) == ["newtown"]
    with pytest.raises(UnknownValueError) as err:
        resolve_geos("atlantis", PLAN, s)
    # the plan's own first, then every other geo alphabetically (valid_geos)
    assert str(err.value) == ("unknown geo 'atlantis'; valid values are: "
                              "synthetica, bench_nation, hilltop, lakeside, zz_proxy_only")


def test_default_geo_is_the_one_rule_of_resolve_geos_and_plan_jurisdiction():
    from helpers.data import load

    s, t = _geo_stats(), targets_frame(BEDS)
    assert default_geo(PLAN, s, t) == "synthetica"
    # target-id rows: synthetica 3, lakeside 3 (tie -> alphabetical), bench_nation 1
    assert default_geo({}, s, t) == resolve_geos(None, {}, s, t)[0] == "lakeside"
    assert load.plan_jurisdiction({}, s, t) == "lakeside"
    # without targets: hilltop's 10 reference rows count, zz_proxy_only's 20 context rows do not
    assert default_geo(None, s) == load.plan_jurisdiction({}, s) == "hilltop"
    assert default_geo({}, s[s["geo"] == "zz_proxy_only"]) is None
    with pytest.raises(UnknownValueError) as err:
        resolve_geos(None, {}, s[s["geo"] == "zz_proxy_only"])
    assert str(err.value) == ("no geo given, and none can be inferred: plan.json names no jurisdiction and no "
                              "statistic of a target names a geo; valid values are: zz_proxy_only")


def test_a_plan_without_any_geo_says_so_instead_of_an_empty_list():
    none = _geo_stats().iloc[:0]  # no statistics, no plan.json: no geo is known at all
    with pytest.raises(UnknownValueError) as err:
        resolve_geos(None, {}, none)
    assert str(err.value) == ("no geo given, and none can be inferred: plan.json names no jurisdiction and no "
                              "statistic of a target names a geo; there is no geo to choose from")
    assert err.value.value is None and err.value.valid == []
    with pytest.raises(UnknownValueError) as err:
        resolve_geos("all", None, none)
    assert str(err.value).startswith("geo 'all' finds nothing to score: ")
    assert str(err.value).endswith("; there is no geo to choose from")
    for asked in ("fuyang", ""):
        with pytest.raises(UnknownValueError) as err:
            resolve_geos(asked, {}, none)
        assert str(err.value) == f"unknown geo {asked!r}; there is no geo to choose from"
    with pytest.raises(UnknownValueError) as err:
        check_geo("fuyang", None, none)
    assert "valid values are" not in str(err.value)
    # benchmarks only: "all" has nothing to score, but the benchmark may be named
    with pytest.raises(UnknownValueError) as err:
        resolve_geos("all", {"benchmarks": ["bench_nation"]}, none)
    assert str(err.value).endswith("; valid values are: bench_nation")
    # any other UnknownValueError with nothing valid reads the same way
    assert str(UnknownValueError("indicator_id", "x", [])) == "unknown indicator_id 'x'; there is no indicator_id to choose from"


def test_valid_geos_own_first_then_benchmarks_and_statistics_geos_sorted():
    s = _geo_stats()
    plan = {"jurisdiction": "synthetica", "benchmarks": ["bench_nation", "aa_bench_without_rows"]}
    assert valid_geos(plan, s) == ["synthetica", "aa_bench_without_rows", "bench_nation", "hilltop",
                                        "lakeside", "zz_proxy_only"]
    assert valid_geos({}, s) == ["bench_nation", "hilltop", "lakeside", "synthetica", "zz_proxy_only"]
    # a declared benchmark may be named even before it has statistics (a template for it, say)
    assert resolve_geos("aa_bench_without_rows", plan, s) == ["aa_bench_without_rows"]


# The geo rule on the notebooks' synthetic plan (nb_synthetic): Fuyang-like geos.

def test_valid_geos_plan_first():
    s = synthetic_statistics()
    assert valid_geos({"jurisdiction": "fuyang"}, s) == ["fuyang", "anhui", "china"]
    assert valid_geos({}, s) == ["anhui", "china", "fuyang"]
    # the plan's benchmarks count even without statistics rows (the rule of geos.valid_geos)
    plan = {"jurisdiction": "fuyang", "benchmarks": ["shanghai", "anhui"]}
    assert valid_geos(plan, s) == ["fuyang", "anhui", "china", "shanghai"]
    # a loaded Plan works as well as its metadata
    assert valid_geos(Plan(plan, pd.DataFrame(), s), s) == ["fuyang", "anhui", "china", "shanghai"]


def test_check_geo_one_geo_default_from_the_engine_rule():
    s = synthetic_statistics()
    assert check_geo(None, {"jurisdiction": "fuyang"}, s) == "fuyang"
    assert check_geo("china", {"jurisdiction": "fuyang"}, s) == "china"
    assert check_geo("shanghai", {"benchmarks": ["shanghai"]}, s) == "shanghai"
    # without plan.json: the geo with the most target-id rows
    assert check_geo(None, {}, s, synthetic_targets()) == "fuyang"
    for bad in ("all", "fuyang,china", 3):  # a report scores a single geo
        with pytest.raises(UnknownValueError) as exc:
            check_geo(bad, {"jurisdiction": "fuyang"}, s)
        assert str(exc.value).endswith("valid values are: fuyang, anhui, china")
