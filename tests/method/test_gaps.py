"""The gap-to-target engine, with hand-computed expectations (all inputs SYNTHETIC).

Unless said otherwise: baseline year b = 2016, target year T = 2021, so the expected share
e_t = (t − 2016)/5 is 0.2, 0.4, 0.6, 0.8, 1.0 for 2017..2021, and the statuses use r = progress/e
with Eurostat's thresholds 0.95 (on track) and 0.6 (moderate).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from engine_synthetic import at, GEO, run, stats_frame, target, targets_frame
from helpers.method import gaps
from helpers.exceptions import UnknownValueError

approx = pytest.approx


def column(traj: pd.DataFrame, indicator: str, col: str, geo: str = GEO) -> list:
    rows = traj[(traj["indicator_id"] == indicator) & (traj["geo"] == geo)].sort_values("year")
    return [None if (isinstance(v, float) and math.isnan(v)) or v is pd.NA else v for v in rows[col].tolist()]


# ------------------------------------------------------------------ level, both directions

BEDS = target("health.beds", target=6.0)
BEDS_STATS = ("health.beds", GEO, {2016: 4.5, 2018: 5.1, 2019: 5.2, 2020: 4.6, 2021: 6.1})


def test_level_floor_every_status_and_no_carry_forward():
    traj = run(targets_frame(BEDS), stats_frame(BEDS_STATS))
    assert column(traj, "health.beds", "year") == [2017, 2018, 2019, 2020, 2021]
    assert column(traj, "health.beds", "status") == ["no_data", "on_track", "moderate", "insufficient", "met"]
    # required = 4.5 + 1.5·e
    assert column(traj, "health.beds", "required") == approx([4.8, 5.1, 5.4, 5.7, 6.0])
    assert column(traj, "health.beds", "expected_share") == approx([0.2, 0.4, 0.6, 0.8, 1.0])
    # 2017 has no statistic: no carrying forward of 2016's 4.5
    r17 = at(traj, "health.beds", 2017)
    assert math.isnan(r17["value"]) and math.isnan(r17["gap"]) and math.isnan(r17["progress"])
    # 2018: gap 6.0 − 5.1 = 0.9; progress 0.6/1.5 = 0.4; r = 0.4/0.4 = 1.0
    r18 = at(traj, "health.beds", 2018)
    assert (r18["gap"], r18["progress"], r18["ratio"]) == approx((0.9, 0.4, 1.0))
    # 2019: gap 0.8; progress 0.7/1.5; r = 0.4667/0.6 = 0.7778 -> moderate
    r19 = at(traj, "health.beds", 2019)
    assert (r19["gap"], r19["progress"], r19["ratio"]) == approx((0.8, 0.7 / 1.5, 0.7 / 1.5 / 0.6))
    # 2020: 4.6 is above the baseline (not regressing) but r = (0.1/1.5)/0.8 = 0.0833
    r20 = at(traj, "health.beds", 2020)
    assert (r20["gap"], r20["progress"], r20["ratio"]) == approx((1.4, 0.1 / 1.5, 0.1 / 1.5 / 0.8))
    # 2021, the target year: met (the final verdict); gap is negative beyond the target
    r21 = at(traj, "health.beds", 2021)
    assert (r21["gap"], r21["progress"]) == approx((-0.1, 1.6 / 1.5))
    assert r21["baseline"] == 4.5 and r21["baseline_source"] == "observed"
    assert (r21["target_point"], r21["direction"]) == (6.0, 1)


def test_level_ceiling_decreasing_target():
    t = target("health.infant_mortality", comparator="<=", target=7.0)
    s = ("health.infant_mortality", GEO, {2016: 10.0, 2017: 9.5, 2018: 10.5, 2019: 8.0, 2020: 8.5, 2021: 7.0})
    traj = run(targets_frame(t), stats_frame(s))
    i = "health.infant_mortality"
    assert column(traj, i, "status") == ["moderate", "regressing", "on_track", "moderate", "met"]
    assert column(traj, i, "required") == approx([9.4, 8.8, 8.2, 7.6, 7.0])  # 10 − 3·e
    assert column(traj, i, "gap") == approx([2.5, 3.5, 1.0, 1.5, 0.0])      # x_t − 7
    # progress = (x_t − 10)/(7 − 10)
    assert column(traj, i, "progress") == approx([1 / 6, -1 / 6, 2 / 3, 0.5, 1.0])
    assert at(traj, i, 2017)["ratio"] == approx((1 / 6) / 0.2)  # 0.833 -> moderate
    assert at(traj, i, 2020)["ratio"] == approx(0.5 / 0.8)      # 0.625 -> moderate
    assert set(column(traj, i, "direction")) == {-1}


# ------------------------------------------------------------------ bands: between and ~

def test_between_with_baseline_above_the_band():
    t = target("infrastructure.flood", comparator="between", target=10.0, target_hi=20.0)
    s = ("infrastructure.flood", GEO, {2016: 25.0, 2017: 24.0, 2018: 26.0, 2019: 15.0, 2020: 8.0, 2021: 4.0})
    traj = run(targets_frame(t), stats_frame(s))
    i = "infrastructure.flood"
    # baseline above hi -> x* = 20, d = −1; gap = distance to the band [10, 20]
    assert set(column(traj, i, "target_point")) == {20.0} and set(column(traj, i, "direction")) == {-1}
    assert column(traj, i, "required") == approx([24.0, 23.0, 22.0, 21.0, 20.0])
    assert column(traj, i, "gap") == approx([4.0, 6.0, 0.0, 2.0, 6.0])
    # progress = 1 − gap_t/gap_b with gap_b = 5; 2020 overshoots below lo: 2 from the band
    assert column(traj, i, "progress") == approx([0.2, -0.2, 1.0, 0.6, -0.2])
    assert column(traj, i, "status") == ["on_track", "regressing", "achieved", "moderate", "not_met"]
    assert at(traj, i, 2020)["ratio"] == approx(0.6 / 0.8)


def test_between_with_baseline_inside_the_band_then_outside_is_regressing():
    t = target("infrastructure.drainage", comparator="between", target=10.0, target_hi=20.0)
    s = ("infrastructure.drainage", GEO, {2016: 15.0, 2017: 18.0, 2018: 22.0, 2019: 9.0, 2021: 12.0})
    traj = run(targets_frame(t), stats_frame(s))
    i = "infrastructure.drainage"
    assert column(traj, i, "status") == ["achieved", "regressing", "regressing", "no_data", "met"]
    gap = column(traj, i, "gap")
    assert gap[3] is None and [gap[k] for k in (0, 1, 2, 4)] == approx([0.0, 2.0, 1.0, 0.0])
    assert all(p is None for p in column(traj, i, "progress"))  # nothing left to cover at baseline
    assert at(traj, i, 2017)["required"] == approx(15.0 + (10.0 - 15.0) * 0.2)  # x* = lo
    assert at(traj, i, 2018)["status_note"] == gaps.NOTE_BASELINE_MET


def test_about_target_is_a_band_of_plus_minus_tolerance_from_both_sides():
    below = target("social_security.reimbursement", comparator="~", target=75.0, tolerance=5.0)
    above = target("social_security.reimbursement_high", comparator="~", target=75.0, tolerance=5.0,
                   area="social_security")
    s = stats_frame(("social_security.reimbursement", GEO, {2016: 65.0, 2017: 66.0, 2018: 78.0, 2019: 83.0, 2020: 64.0}),
                    ("social_security.reimbursement_high", GEO, {2016: 90.0, 2017: 86.0}))
    traj = run(targets_frame(below, above), s)
    i = "social_security.reimbursement"
    # band [70, 80]; baseline 65 below -> x* = 70, d = +1, gap_b = 5
    assert at(traj, i, 2017)["target_point"] == 70.0
    assert column(traj, i, "status") == ["on_track", "achieved", "moderate", "regressing", "no_data"]
    assert column(traj, i, "gap")[:4] == approx([4.0, 0.0, 3.0, 6.0])
    assert column(traj, i, "required")[:2] == approx([66.0, 67.0])
    assert at(traj, i, 2019)["progress"] == approx(0.4)   # 83 overshoots: 3 above hi
    assert at(traj, i, 2019)["ratio"] == approx(0.4 / 0.6)
    # baseline 90 above the band -> x* = 80, d = −1; 86: gap 6, progress 1 − 6/10 = 0.4, r = 2
    h = at(traj, "social_security.reimbursement_high", 2017)
    assert (h["target_point"], h["direction"]) == (80.0, -1)
    assert (h["gap"], h["progress"], h["ratio"], h["required"]) == approx((6.0, 0.4, 2.0, 88.0))
    assert h["status"] == "on_track"


# ------------------------------------------------------------------ annual quotas

def test_annual_floor_and_ceiling_quota():
    jobs = target("employment.jobs", kind="annual", target=2800.0)
    cap = target("public_safety.accidents", kind="annual", comparator="<=", target=100.0)
    s = stats_frame(("employment.jobs", GEO, {2016: 5000.0, 2017: 3000.0, 2018: 2700.0, 2019: 2000.0, 2020: 1000.0}),
                    ("public_safety.accidents", GEO, {2017: 90.0, 2018: 105.0, 2019: 150.0, 2020: 400.0}))
    traj = run(targets_frame(jobs, cap), s)
    j = "employment.jobs"
    assert column(traj, j, "required") == [2800.0] * 5
    assert column(traj, j, "progress")[:4] == approx([3000 / 2800, 2700 / 2800, 2000 / 2800, 1000 / 2800])
    assert column(traj, j, "ratio")[:4] == approx([3000 / 2800, 2700 / 2800, 2000 / 2800, 1000 / 2800])
    assert column(traj, j, "gap")[:4] == approx([-200.0, 100.0, 800.0, 1800.0])
    # 2020 is far below 2016's 5000 but a yearly quota is never "regressing"
    assert column(traj, j, "status") == ["achieved", "on_track", "moderate", "insufficient", "no_data"]
    a = "public_safety.accidents"
    assert column(traj, a, "gap")[:4] == approx([-10.0, 5.0, 50.0, 300.0])
    assert column(traj, a, "progress")[:4] == approx([100 / 90, 100 / 105, 100 / 150, 100 / 400])
    assert column(traj, a, "status") == ["achieved", "on_track", "moderate", "insufficient", "no_data"]


def test_threshold_boundaries_are_inclusive():
    quota = target("employment.posts", kind="annual", target=100.0)
    s = ("employment.posts", GEO, {2017: 95.0, 2018: 94.9, 2019: 60.0, 2020: 59.9, 2021: 0.0})
    traj = run(targets_frame(quota), stats_frame(s))
    # r = x/100: 0.95 on track, 0.949 moderate, 0.60 moderate, 0.599 and 0 insufficient
    assert column(traj, "employment.posts", "status") == ["on_track", "moderate", "moderate", "insufficient", "not_met"]


def test_no_movement_is_insufficient_not_regressing():
    flat = target("health.flat", target=6.0)
    band = target("infrastructure.band", comparator="between", target=10.0, target_hi=20.0)
    s = stats_frame(("health.flat", GEO, {2016: 4.5, 2017: 4.5}),
                    ("infrastructure.band", GEO, {2016: 25.0, 2017: 5.0}))
    traj = run(targets_frame(flat, band), s)
    f = at(traj, "health.flat", 2017)
    assert (f["status"], f["progress"], f["ratio"]) == ("insufficient", 0.0, 0.0)
    # 25 -> 5 jumps over the band [10, 20]: as far from it (5) as at baseline -> progress 0
    b = at(traj, "infrastructure.band", 2017)
    assert (b["status"], b["gap"], b["progress"]) == ("insufficient", 5.0, 0.0)


# ------------------------------------------------------------------ cumulative

def test_cumulative_baseline_zero_given_or_observed():
    zero = target("infrastructure.rivers", kind="cumulative", target=12.0)
    given = target("infrastructure.roads", kind="cumulative", target=12.0, baseline_value=3.0)
    observed = target("infrastructure.bridges", kind="cumulative", target=12.0, baseline_value=3.0)
    s = stats_frame(("infrastructure.rivers", GEO, {2017: 2.0, 2019: 7.2}),
                    ("infrastructure.roads", GEO, {2018: 7.2}),
                    ("infrastructure.bridges", GEO, {2016: 4.0, 2018: 7.2}))
    traj = run(targets_frame(zero, given, observed), s)
    r = at(traj, "infrastructure.rivers", 2017)
    assert (r["baseline"], r["baseline_source"]) == (0.0, "zero (cumulative)")
    assert (r["required"], r["gap"], r["progress"], r["ratio"]) == approx((2.4, 10.0, 2 / 12, (2 / 12) / 0.2))
    assert r["status"] == "moderate"
    assert at(traj, "infrastructure.rivers", 2019)["status"] == "on_track"  # 7.2/12 = 0.6 = e
    g = at(traj, "infrastructure.roads", 2018)
    assert (g["baseline"], g["baseline_source"]) == (3.0, "given")
    assert (g["required"], g["progress"], g["ratio"]) == approx((6.6, 4.2 / 9, (4.2 / 9) / 0.4))
    o = at(traj, "infrastructure.bridges", 2018)
    assert (o["baseline"], o["baseline_source"]) == (4.0, "observed")  # statistic wins over the given value
    assert (o["required"], o["progress"]) == approx((7.2, 0.4))


# ------------------------------------------------------------------ relative

REL = target("employment.income_vs_nation", kind="relative", target=1.0, reference_id="ref.income")
REL_STATS = [("employment.income_vs_nation", GEO, {2016: 16000.0, 2018: 22000.0, 2019: 30000.0, 2021: 30000.0}),
             ("ref.income", "bench_nation", {2016: 20000.0, 2018: 25000.0, 2019: 30000.0, 2020: 32000.0})]


def test_relative_target_divides_by_the_reference_series_of_the_same_year():
    traj = run(targets_frame(REL), stats_frame(*REL_STATS))
    i = "employment.income_vs_nation"
    r = at(traj, i, 2018)
    assert r["baseline"] == approx(0.8)                      # 16000 / 20000
    assert (r["value"], r["value_raw"], r["reference_value"]) == approx((0.88, 22000.0, 25000.0))
    assert (r["required"], r["gap"], r["progress"], r["ratio"]) == approx((0.88, 0.12, 0.4, 1.0))
    assert r["status"] == "on_track" and r["reference_geo"] == "bench_nation"
    assert at(traj, i, 2019)["status"] == "achieved"         # 30000 / 30000 = 1.0
    # a year with only one of the two series has no ratio: no_data
    assert column(traj, i, "status") == ["no_data", "on_track", "achieved", "no_data", "no_data"]


# ------------------------------------------------------------------ edge cases

def test_zero_target_poverty_to_zero_ends_in_2020():
    t = target("poverty.poor", comparator="<=", target=0.0, target_year=2020)
    s = ("poverty.poor", GEO, {2016: 50.0, 2017: 35.0, 2018: 30.0, 2019: 45.0, 2020: 0.0, 2021: 7.0})
    traj = run(targets_frame(t), stats_frame(s))
    i = "poverty.poor"
    assert column(traj, i, "year") == [2017, 2018, 2019, 2020]  # T − b = 4; 2021 is outside
    assert column(traj, i, "expected_share") == approx([0.25, 0.5, 0.75, 1.0])
    assert column(traj, i, "required") == approx([37.5, 25.0, 12.5, 0.0])
    assert column(traj, i, "gap") == approx([35.0, 30.0, 45.0, 0.0])
    assert column(traj, i, "progress") == approx([0.3, 0.4, 0.1, 1.0])
    assert column(traj, i, "ratio")[:3] == approx([1.2, 0.8, 0.1 / 0.75])
    assert column(traj, i, "status") == ["on_track", "moderate", "insufficient", "met"]
    assert str(at(traj, i, 2020)["gap"]) == "0.0"  # not "-0.0"


def test_target_already_met_at_baseline():
    t = target("education.retention", target=90.0)
    s = ("education.retention", GEO, {2016: 92.0, 2017: 93.0, 2018: 91.0, 2019: 89.0})
    traj = run(targets_frame(t), stats_frame(s))
    i = "education.retention"
    assert column(traj, i, "status") == ["achieved", "achieved", "regressing", "no_data", "no_data"]
    assert column(traj, i, "gap")[:3] == approx([-3.0, -1.0, 1.0])
    assert column(traj, i, "progress")[:3] == [None, None, None]  # nothing to cover: undefined
    assert at(traj, i, 2017)["required"] == approx(91.6)
    assert at(traj, i, 2017)["status_note"] == gaps.NOTE_BASELINE_MET


def test_baseline_equal_to_target():
    t = target("education.enrolment", target=90.0)
    s = ("education.enrolment", GEO, {2016: 90.0, 2017: 90.0, 2018: 89.5})
    traj = run(targets_frame(t), stats_frame(s))
    i = "education.enrolment"
    assert column(traj, i, "required") == [90.0] * 5
    assert column(traj, i, "status")[:2] == ["achieved", "regressing"]
    r = at(traj, i, 2018)
    assert r["gap"] == approx(0.5) and math.isnan(r["progress"]) and math.isnan(r["ratio"])


def test_missing_baseline_value_shown_but_not_scored_unless_met():
    t = target("health.doctors", target=6.0)
    s = ("health.doctors", GEO, {2018: 5.5, 2019: 6.2})
    traj = run(targets_frame(t), stats_frame(s))
    r18 = at(traj, "health.doctors", 2018)
    assert r18["status"] == gaps.MISSING_BASELINE_STATUS == "no_data"
    assert r18["status_note"] == gaps.NOTE_NO_BASELINE
    assert r18["value"] == 5.5 and r18["gap"] == approx(0.5) and r18["baseline_source"] == "missing"
    assert math.isnan(r18["required"]) and math.isnan(r18["progress"]) and math.isnan(r18["baseline"])
    assert at(traj, "health.doctors", 2019)["status"] == "achieved"  # meeting it needs no baseline
    cagr = run(targets_frame(t), stats_frame(s), method="cagr")
    assert at(cagr, "health.doctors", 2018)["method_note"] == gaps.CAGR_NOTE_NO_BASELINE


# ------------------------------------------------------------------ cagr

def test_cagr_ratio_of_actual_to_required_growth():
    infant = target("health.infant_mortality", comparator="<=", target=7.0)
    flood = target("infrastructure.flood", comparator="between", target=10.0, target_hi=20.0)
    s = stats_frame(BEDS_STATS,
                    ("health.infant_mortality", GEO, {2016: 10.0, 2017: 9.5, 2019: 8.0}),
                    ("infrastructure.flood", GEO, {2016: 25.0, 2017: 24.0, 2020: 8.0}))
    traj = run(targets_frame(BEDS, infant, flood), s, method="cagr")
    assert set(traj["method"]) == {"cagr"}
    b18 = at(traj, "health.beds", 2018)
    # required growth (6/4.5)^(1/5) − 1 = 0.059224; actual (5.1/4.5)^(1/2) − 1 = 0.064581
    assert b18["ratio"] == approx(1.0904611, rel=1e-6) and b18["status"] == "on_track"
    assert b18["required"] == approx(4.5 * (6 / 4.5) ** 0.4)  # geometric path: 5.0488
    b19 = at(traj, "health.beds", 2019)
    assert b19["ratio"] == approx(((5.2 / 4.5) ** (1 / 3) - 1) / ((6 / 4.5) ** 0.2 - 1))
    assert b19["status"] == "moderate"   # 0.834
    assert at(traj, "health.beds", 2020)["status"] == "insufficient"  # 0.093
    # decreasing target: both rates negative, the ratio positive
    assert at(traj, "health.infant_mortality", 2017)["ratio"] == approx(0.7262155, rel=1e-6)
    assert at(traj, "health.infant_mortality", 2017)["status"] == "moderate"
    assert at(traj, "health.infant_mortality", 2019)["ratio"] == approx(1.0411350, rel=1e-6)
    assert at(traj, "health.infant_mortality", 2019)["status"] == "on_track"
    # band from above: (24/25) vs (20/25)^(1/5): 0.9164 -> moderate, where linear says on_track
    f17 = at(traj, "infrastructure.flood", 2017)
    assert f17["ratio"] == approx(0.9164328, rel=1e-6) and f17["status"] == "moderate"
    # a value beyond the band: no growth ratio, the linear rule decides (r = 0.6/0.8 -> moderate)
    f20 = at(traj, "infrastructure.flood", 2020)
    assert math.isnan(f20["ratio"]) and f20["status"] == "moderate"
    assert f20["method_note"] == gaps.CAGR_NOTE_BEYOND_BAND


def test_cagr_not_applicable_to_non_positive_values_or_quotas():
    poor = target("poverty.poor", comparator="<=", target=0.0, target_year=2020)
    jobs = target("employment.jobs", kind="annual", target=2800.0)
    s = stats_frame(("poverty.poor", GEO, {2016: 50.0, 2017: 35.0, 2020: 0.0}),
                    ("employment.jobs", GEO, {2017: 2700.0}))
    cagr = run(targets_frame(poor, jobs), s, method="cagr")
    linear = run(targets_frame(poor, jobs), s)
    p17 = at(cagr, "poverty.poor", 2017)
    assert math.isnan(p17["ratio"]) and p17["method_note"] == gaps.CAGR_NOTE_NON_POSITIVE
    assert p17["status"] == at(linear, "poverty.poor", 2017)["status"] == "on_track"
    assert at(cagr, "poverty.poor", 2020)["status"] == "met"
    j = at(cagr, "employment.jobs", 2017)
    assert j["method_note"] == gaps.CAGR_NOTE_ANNUAL and j["status"] == "on_track" and math.isnan(j["ratio"])
    assert pd.isna(at(linear, "poverty.poor", 2017)["method_note"])


# ------------------------------------------------------------------ projection

def test_projection_least_squares_through_baseline_and_observed_years():
    two = target("health.two_points", target=6.0)
    one = target("health.one_point", target=6.0)
    jobs = target("employment.jobs", kind="annual", target=2800.0)
    s = stats_frame(BEDS_STATS, ("health.two_points", GEO, {2016: 4.5, 2018: 5.1}),
                    ("health.one_point", GEO, {2019: 5.0}),
                    ("employment.jobs", GEO, {2016: 5000.0, 2017: 3000.0, 2018: 2700.0, 2019: 2000.0, 2020: 1000.0}))
    traj = run(targets_frame(BEDS, two, one, jobs), s)
    # 5 points x = 0,2,3,4,5; Σx 14, Σy 25.5, Σxy 74.7, Σxx 54 -> slope 16.5/74, intercept 4.47568
    b = at(traj, "health.beds", 2017)
    assert b["projected_value_at_target"] == approx(4.475675675675676 + 5 * 16.5 / 74)
    assert b["anticipated_progress"] == approx((5.590540540540541 - 4.5) / 1.5)
    assert b["projection_points"] == 5
    t2 = at(traj, "health.two_points", 2020)  # slope 0.3/yr: 4.5 + 5·0.3 = 6.0 -> progress 1
    assert (t2["projected_value_at_target"], t2["anticipated_progress"]) == approx((6.0, 1.0))
    o = at(traj, "health.one_point", 2019)
    assert math.isnan(o["projected_value_at_target"]) and math.isnan(o["anticipated_progress"])
    assert o["projection_points"] == 1
    # annual: y = 4540 − 900·x, at x = 5: 40; anticipated 40/2800
    j = at(traj, "employment.jobs", 2017)
    assert (j["projected_value_at_target"], j["anticipated_progress"]) == approx((40.0, 40 / 2800))


# ------------------------------------------------------------------ jurisdictions (the geo rule itself: test_geos.py)

def test_several_jurisdictions_scored_with_a_geo_column():
    s = stats_frame(BEDS_STATS, ("health.beds", "lakeside", {2016: 5.0, 2021: 5.5}),
                    ("health.beds", "bench_nation", {2016: 5.0, 2021: 6.5}))
    traj = run(targets_frame(BEDS), s, geo="all")
    assert list(dict.fromkeys(traj["geo"])) == ["synthetica", "lakeside"]  # benchmark not scored
    assert len(traj) == 10
    lk = at(traj, "health.beds", 2021, geo="lakeside")
    assert (lk["status"], lk["progress"]) == ("not_met", approx(0.5))  # 5.5 < 6 in the target year
    assert at(traj, "health.beds", 2021)["status"] == "met"


# ------------------------------------------------------------------ bad input (the inputs' own checks: test_gapinputs.py)

def test_unknown_method_is_rejected():
    with pytest.raises(UnknownValueError):
        run(targets_frame(BEDS), stats_frame(BEDS_STATS), method="geometric")
