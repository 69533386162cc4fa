"""The engine's inputs: the targets' and statistics' checks and dtypes, and the reference geo of a
relative target (all inputs SYNTHETIC)."""

from __future__ import annotations

import pandas as pd
import pytest

from engine_synthetic import at, GEO, run, stats_frame, target, targets_frame
from helpers.method import gapinputs
from helpers.exceptions import ValidationError

approx = pytest.approx


BEDS = target("health.beds", target=6.0)
BEDS_STATS = ("health.beds", GEO, {2016: 4.5, 2018: 5.1, 2019: 5.2, 2020: 4.6, 2021: 6.1})
REL = target("employment.income_vs_nation", kind="relative", target=1.0, reference_id="ref.income")
REL_OWN = ("employment.income_vs_nation", GEO, {2016: 16000.0, 2018: 22000.0, 2019: 30000.0, 2021: 30000.0})


def test_reference_geo_rule():
    both = stats_frame(REL_OWN, ("ref.income", "bench_nation", {2016: 20000.0, 2018: 25000.0}),
                       ("ref.income", "bench_province", {2016: 16000.0, 2018: 20000.0}))
    ref_geo = lambda traj: at(traj, "employment.income_vs_nation", 2018)["reference_geo"]  # noqa: E731
    # several geos hold the series: the plan's benchmarks in their listed order decide
    assert ref_geo(run(targets_frame(REL), both, plan={"jurisdiction": GEO, "benchmarks": ["bench_nation", "bench_province"]})) == "bench_nation"
    traj = run(targets_frame(REL), both, plan={"jurisdiction": GEO, "benchmarks": ["bench_province", "bench_nation"]})
    assert ref_geo(traj) == "bench_province"
    assert at(traj, "employment.income_vs_nation", 2018)["value"] == approx(22000 / 20000)
    # an explicit reference_geo column wins
    named = targets_frame({**REL, "reference_geo": "bench_nation"})
    assert ref_geo(run(named, both, plan={"jurisdiction": GEO, "benchmarks": ["bench_province", "bench_nation"]})) == "bench_nation"
    # no benchmarks listed: a geo that is not being scored beats the scored one, then alphabetical
    own_too = stats_frame(REL_OWN, ("ref.income", GEO, {2016: 1.0, 2018: 1.0}),
                          ("ref.income", "zeta", {2016: 20000.0, 2018: 25000.0}),
                          ("ref.income", "omega", {2016: 10000.0, 2018: 10000.0}))
    assert ref_geo(run(targets_frame(REL), own_too, plan={"jurisdiction": GEO})) == "omega"


def test_bad_targets_name_line_and_column():
    bad = targets_frame(BEDS, target("health.x", comparator="=>", target=1.0),
                        target("health.y", comparator="between", target=1.0))
    with pytest.raises(ValidationError) as err:
        run(bad, stats_frame(BEDS_STATS))
    found = {(p.line, p.column) for p in err.value.problems}
    assert found == {(3, "comparator"), (4, "target_hi")}


def test_duplicate_statistics_key_is_reported():
    s = pd.concat([stats_frame(BEDS_STATS), stats_frame(("health.beds", GEO, {2018: 5.0}))], ignore_index=True)
    with pytest.raises(ValidationError) as err:
        run(targets_frame(BEDS), s)
    assert err.value.problems[0].line == 7 and "duplicate" in err.value.problems[0].message


def test_statistics_typed_and_rows_without_a_value_dropped():
    s = pd.DataFrame({"indicator_id": [" health.beds ", "health.beds", "health.beds"], "geo": [GEO, GEO, GEO],
                      "year": ["2016", 2017.0, 2018], "value": ["4.5", None, 5.1]})
    out = gapinputs.normalise_statistics(s)
    assert out["year"].tolist() == [2016, 2018] and out["value"].tolist() == [4.5, 5.1]
    assert str(out["year"].dtype) == "int64" and str(out["value"].dtype) == "float64"
    assert out["indicator_id"].tolist() == ["health.beds", "health.beds"]
    assert gapinputs.str_array(pd.Series(["a", None])).tolist() == ["a", ""]
