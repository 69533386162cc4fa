"""Every kind of target a plan writes (issue 12), with hand-computed expectations (SYNTHETIC inputs).

Unless said otherwise: baseline year b = 2016, target year T = 2021, so e_t = (t − 2016)/5 is
0.2, 0.4, 0.6, 0.8, 1.0 for 2017..2021; statuses use Eurostat's thresholds 0.95 and 0.6 on r,
compared after rounding to 9 decimals.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from engine_synthetic import at, GEO, PLAN, run, stats_frame, target, targets_frame
from helpers.method import gaps, kinds, summaries, verdicts

from helpers import vocab
approx = pytest.approx


def column(traj: pd.DataFrame, indicator: str, col: str, geo: str = GEO) -> list:
    rows = traj[(traj["indicator_id"] == indicator) & (traj["geo"] == geo)].sort_values("year")
    return [None if (isinstance(v, float) and math.isnan(v)) or v is pd.NA else v for v in rows[col].tolist()]


# ------------------------------------------------------------------ the rounding rule

def test_rounding_reproduction_a_ratio_on_the_threshold_is_moderate():
    # >= 60 by 2021, 40 in 2016, 44.8 in 2018: progress (44.8 − 40)/(60 − 40) = 0.24, e = 0.4,
    # r = 0.24/0.4 = 0.6 exactly in decimals (0.5999999999999996 in binary) -> moderate
    t = target("health.x1", target=60.0)
    traj = run(targets_frame(t), stats_frame(("health.x1", GEO, {2016: 40.0, 2018: 44.8})))
    r = at(traj, "health.x1", 2018)
    assert (r["progress"], r["expected_share"], r["ratio"]) == approx((0.24, 0.4, 0.6))
    assert r["status"] == "moderate"


def test_rounding_on_track_threshold_and_met_check():
    # >= 60 by 2021 from 0 in 2016: 2017 at 11.4 -> progress 11.4/60 = 0.19, e = 0.2,
    # r = 0.19/0.2 = 0.95 in decimals (0.9499999999999997 in binary) -> on_track
    t = target("health.x2", target=60.0)
    # <= 0.3: 0.1 + 0.2 = 0.30000000000000004 is on the ceiling in decimals -> met, achieved
    u = target("health.x3", comparator="<=", target=0.3)
    traj = run(targets_frame(t, u), stats_frame(("health.x2", GEO, {2016: 0.0, 2017: 11.4}),
                                                 ("health.x3", GEO, {2016: 1.0, 2019: 0.1 + 0.2})))
    r = at(traj, "health.x2", 2017)
    assert r["ratio"] == approx(0.95) and r["ratio"] < 0.95 and r["status"] == "on_track"
    assert at(traj, "health.x3", 2019)["status"] == "achieved"


NOTE_MISSING = kinds.NOTE_MISSING_YEAR


# ------------------------------------------------------------------ rate_avg (running, scored like annual)

def test_rate_avg_floor_average_annual_rate_and_missing_year():
    # >= 12 % a year. Yearly % changes 0, 21, 10, (2020 missing), 15:
    # 2017: 1.00^(1/1) − 1 = 0 %        progress 0/12 = 0          -> insufficient
    # 2018: (1.00·1.21)^(1/2) − 1 = 10 % progress 10/12 = 0.8333   -> moderate, gap 12 − 10 = 2
    # 2019: (1.21·1.10)^(1/3) = 1.331^(1/3) − 1 = 10 %              -> moderate
    # 2020: no statistic; 2021: 15 % reported but 2020 is missing -> no_data, note names 2020
    t = target("employment.gdp", kind="rate_avg", target=12.0)
    s = ("employment.gdp", GEO, {2016: 7.0, 2017: 0.0, 2018: 21.0, 2019: 10.0, 2021: 15.0})
    traj = run(targets_frame(t), stats_frame(s))
    i = "employment.gdp"
    assert column(traj, i, "status") == ["insufficient", "moderate", "moderate", "no_data", "no_data"]
    assert column(traj, i, "value")[:3] == approx([0.0, 10.0, 10.0])
    assert column(traj, i, "value_raw") == [0.0, 21.0, 10.0, None, 15.0]  # the year's own figure
    assert column(traj, i, "required") == [12.0] * 5              # written even without a value
    assert column(traj, i, "gap")[:3] == approx([12.0, 2.0, 2.0])
    assert column(traj, i, "progress")[:3] == approx([0.0, 10 / 12, 10 / 12])
    assert column(traj, i, "ratio")[:3] == approx([0.0, 10 / 12, 10 / 12])  # r = progress
    assert at(traj, i, 2020)["status_note"].startswith(NOTE_MISSING.format(year=2020))
    assert at(traj, i, 2021)["status_note"].startswith(NOTE_MISSING.format(year=2020))
    assert math.isnan(at(traj, i, 2021)["value"])


def test_rate_avg_ceiling_and_a_negative_target():
    # <= 3 % a year (e.g. prices): 4, 4 -> average 4 % (1.04² = 1.0816, √ = 1.04):
    #   gap −1·(3 − 4) = 1; progress x*/v = 3/4 = 0.75 -> moderate (never regressing)
    cap = target("employment.prices", kind="rate_avg", comparator="<=", target=3.0)
    # <= −3 % a year ("年均下降3%"): −2 % -> 2/3 of the wanted fall: progress v/x* = −2/−3 = 0.667 -> moderate
    # (x*/v = 1.5 would call a shortfall on track); −4 % meets it -> achieved
    fall = target("ecology.energy_per_gdp", kind="rate_avg", comparator="<=", target=-3.0)
    s = stats_frame(("employment.prices", GEO, {2017: 4.0, 2018: 4.0}),
                    ("ecology.energy_per_gdp", GEO, {2017: -2.0}),
                    )
    traj = run(targets_frame(cap, fall), s)
    p = at(traj, "employment.prices", 2018)
    assert (p["value"], p["gap"], p["progress"], p["status"]) == (approx(4.0), approx(1.0), approx(0.75), "moderate")
    assert (p["target_point"], p["direction"]) == (3.0, -1)
    f = at(traj, "ecology.energy_per_gdp", 2017)
    assert (f["gap"], f["progress"], f["status"]) == (approx(1.0), approx(2 / 3), "moderate")
    traj = run(targets_frame(fall), stats_frame(("ecology.energy_per_gdp", GEO, {2017: -4.0})))
    assert at(traj, "ecology.energy_per_gdp", 2017)["status"] == "achieved"


def test_rate_avg_with_reference_id_is_a_ratio_of_average_rates():
    # own 10, 10 % (average 10 %), reference 5, 5 % (average 5 %): ratio 10/5 = 2 >= 1 -> achieved
    higher = target("employment.income_growth", kind="rate_avg", target=1.0, reference_id="ref.gdp_growth")
    # ~ 1 ± 0.1 ("in step with"): own 6 % vs 5 % -> 1.2, 0.1 above the band [0.9, 1.1]:
    #   aim 1.1 (d = −1), gap 0.1, progress 1.1/1.2 = 0.9167 -> moderate
    step = target("employment.wage_growth", kind="rate_avg", comparator="~", target=1.0, tolerance=0.1,
                  reference_id="ref.gdp_growth")
    s = stats_frame(("employment.income_growth", GEO, {2017: 10.0, 2018: 10.0}),
                    ("employment.wage_growth", GEO, {2017: 6.0, 2018: 5.5}),
                    ("ref.gdp_growth", "bench_nation", {2017: 5.0, 2018: 5.0}))
    traj = run(targets_frame(higher, step), s)
    h = at(traj, "employment.income_growth", 2018)
    assert (h["value"], h["value_raw"], h["reference_value"]) == approx((2.0, 10.0, 5.0))
    assert h["status"] == "achieved" and h["reference_geo"] == "bench_nation" and h["required"] == 1.0
    w = at(traj, "employment.wage_growth", 2017)
    assert (w["value"], w["gap"], w["progress"]) == approx((1.2, 0.1, 1.1 / 1.2))
    assert w["status"] == "moderate"
    # 2018: own (1.06·1.055)^(1/2) − 1 = 5.7497 %, reference 5 % -> 1.14995: still above the band;
    # progress 1.1/1.14995 = 0.9566 -> on_track
    w18 = at(traj, "employment.wage_growth", 2018)
    assert w18["value"] == approx(((1.06 * 1.055) ** 0.5 - 1) * 100 / 5.0)
    assert (w18["progress"], w18["status"]) == (approx(1.1 / w18["value"]), "on_track")  # 0.9566
    # a ratio inside the band is met: own 5.5 % vs 5 % -> 1.1 (rounded: on the upper edge)
    edge = run(targets_frame(step), stats_frame(("employment.wage_growth", GEO, {2017: 5.5}),
                                                ("ref.gdp_growth", "bench_nation", {2017: 5.0})))
    assert at(edge, "employment.wage_growth", 2017)["status"] == "achieved"


def test_rate_avg_reference_not_positive_or_missing_is_no_data_with_a_note():
    t = target("employment.income_growth", kind="rate_avg", target=1.0, reference_id="ref.gdp_growth")
    s = stats_frame(("employment.income_growth", GEO, {2017: 3.0, 2018: 3.0, 2019: 3.0}),
                    ("ref.gdp_growth", "bench_nation", {2017: -1.0, 2018: 1.0}))
    traj = run(targets_frame(t), s)
    i = "employment.income_growth"
    # 2017: reference average −1 % (not positive) -> no ratio
    r17 = at(traj, i, 2017)
    assert r17["status"] == "no_data" and r17["status_note"].startswith(kinds.NOTE_REFERENCE_RATE)
    assert r17["reference_value"] == approx(-1.0)
    # 2018: reference (0.99·1.01)^(1/2) − 1 = −0.005 % (0.9999^(1/2)): still not positive
    assert at(traj, i, 2018)["status"] == "no_data"
    # 2019: the reference has no value -> the note names the reference's missing year
    assert at(traj, i, 2019)["status_note"].startswith(kinds.NOTE_MISSING_REFERENCE_YEAR.format(year=2019))
    # a zero reference rate is not positive either
    traj = run(targets_frame(t), stats_frame(("employment.income_growth", GEO, {2017: 3.0}),
                                             ("ref.gdp_growth", "bench_nation", {2017: 0.0})))
    assert at(traj, i, 2017)["status"] == "no_data"


# ------------------------------------------------------------------ rate_total (running, like cumulative from 0)

def test_rate_total_ceiling_total_fall_compounded_from_yearly_rates():
    # <= −15 % in total ("累计降低15%"): x* = −15, d = −1, baseline 0, gap_b = 15
    # 2017: −3 %: v = −3; required −15·0.2 = −3; gap −1·(−15 − (−3)) = 12; progress −3/−15 = 0.2; r = 1 -> on_track
    # 2018: −4 %: 0.97·0.96 = 0.9312 -> v = −6.88; required −6; gap 8.12; progress 0.458667; r 1.146667 -> on_track
    # 2019: +10 %: 0.9312·1.10 = 1.02432 -> v = +2.432: d·v < 0 -> regressing
    t = target("ecology.energy", kind="rate_total", comparator="<=", target=-15.0)
    s = ("ecology.energy", GEO, {2016: -9.0, 2017: -3.0, 2018: -4.0, 2019: 10.0})
    traj = run(targets_frame(t), stats_frame(s))
    i = "ecology.energy"
    assert column(traj, i, "status") == ["on_track", "on_track", "regressing", "no_data", "no_data"]
    assert column(traj, i, "value")[:3] == approx([-3.0, -6.88, 2.432])
    assert column(traj, i, "required") == approx([-3.0, -6.0, -9.0, -12.0, -15.0])
    assert column(traj, i, "gap")[:3] == approx([12.0, 8.12, 17.432])
    assert column(traj, i, "progress")[:3] == approx([0.2, 6.88 / 15, -2.432 / 15])
    assert column(traj, i, "ratio")[:2] == approx([1.0, 6.88 / 15 / 0.4])
    r = at(traj, i, 2017)
    # the baseline of a total over the period is 0 (the baseline year's own rate is not used)
    assert (r["baseline"], r["baseline_source"], r["target_point"], r["direction"]) == (0.0, "zero (running total)", -15.0, -1)


def test_rate_total_floor_growth_then_fall_is_regressing():
    # >= 20 % in total: 2017 +5 %: v 5, required 4, progress 0.25, r 1.25 -> on_track
    # 2018 −10 %: 1.05·0.90 = 0.945 -> v = −5.5 < 0 -> regressing; gap 20 + 5.5 = 25.5
    t = target("employment.output", kind="rate_total", target=20.0)
    traj = run(targets_frame(t), stats_frame(("employment.output", GEO, {2017: 5.0, 2018: -10.0})))
    i = "employment.output"
    assert column(traj, i, "status")[:2] == ["on_track", "regressing"]
    assert column(traj, i, "gap")[:2] == approx([15.0, 25.5])
    assert column(traj, i, "required") == approx([4.0, 8.0, 12.0, 16.0, 20.0])


# ------------------------------------------------------------------ period_total (running sum)

def test_period_total_floor_sum_of_yearly_flows():
    # >= 5000 over 2017..2021 (新增就业5000人以上): flows 1000, 1100, 900, 1000, 1000
    # S = 1000, 2100, 3000, 4000, 5000; required 5000·e = 1000 .. 5000; gap 5000 − S
    # progress S/5000 = 0.2, 0.42, 0.6, 0.8, 1.0; r = 1, 1.05, 1, 1 -> on_track; 2021 (T) 5000 -> met
    t = target("employment.new_jobs", kind="period_total", target=5000.0)
    s = ("employment.new_jobs", GEO, {2016: 800.0, 2017: 1000.0, 2018: 1100.0, 2019: 900.0, 2020: 1000.0, 2021: 1000.0})
    traj = run(targets_frame(t), stats_frame(s))
    i = "employment.new_jobs"
    assert column(traj, i, "value") == approx([1000.0, 2100.0, 3000.0, 4000.0, 5000.0])
    assert column(traj, i, "value_raw") == approx([1000.0, 1100.0, 900.0, 1000.0, 1000.0])
    assert column(traj, i, "required") == approx([1000.0, 2000.0, 3000.0, 4000.0, 5000.0])
    assert column(traj, i, "gap") == approx([4000.0, 2900.0, 2000.0, 1000.0, 0.0])
    assert column(traj, i, "progress") == approx([0.2, 0.42, 0.6, 0.8, 1.0])
    assert column(traj, i, "ratio")[:4] == approx([1.0, 1.05, 1.0, 1.0])
    assert column(traj, i, "status") == ["on_track"] * 4 + ["met"]


def test_period_total_missing_year_names_the_first_missing_year():
    # flows 1000, (2018 missing), 900, (2020 missing), 1000: from 2018 on no sum exists
    t = target("employment.new_jobs", kind="period_total", target=5000.0)
    s = ("employment.new_jobs", GEO, {2017: 1000.0, 2019: 900.0, 2021: 1000.0})
    traj = run(targets_frame(t), stats_frame(s))
    i = "employment.new_jobs"
    assert column(traj, i, "status") == ["on_track", "no_data", "no_data", "no_data", "no_data"]
    notes = column(traj, i, "status_note")
    assert all(n.startswith(NOTE_MISSING.format(year=2018)) for n in notes[1:])  # 2018, not 2020
    assert column(traj, i, "required") == approx([1000.0, 2000.0, 3000.0, 4000.0, 5000.0])
    assert column(traj, i, "value_raw")[2] == 900.0 and column(traj, i, "value")[2] is None


def test_period_total_ceiling_is_a_budget():
    # <= 100 over the period (e.g. new construction land): flows 0, 70, 0, 10, 10 -> S = 0, 70, 70, 80, 90
    # required x*·e = 20, 40, 60, 80, 100; gap S − 100
    # 2017 S = 0 <= 0 -> on_track; 2018 r = 40/70 = 0.571 -> insufficient; 2019 r = 60/70 = 0.857 -> moderate;
    # 2020 r = 80/80 = 1 -> on_track; 2021 = T and S <= 100 -> met (the final verdict)
    t = target("infrastructure.land", kind="period_total", comparator="<=", target=100.0)
    # over budget: flows 60, 50 -> S = 110 > 100 in 2018 -> regressing (gap 10)
    over = target("infrastructure.land_b", kind="period_total", comparator="<=", target=100.0)
    # rounding: S = 100 = x* in 2019 is not over; r = 60/100 = 0.6 -> moderate
    edge = target("infrastructure.land_c", kind="period_total", comparator="<=", target=100.0)
    s = stats_frame(("infrastructure.land", GEO, {2017: 0.0, 2018: 70.0, 2019: 0.0, 2020: 10.0, 2021: 10.0}),
                    ("infrastructure.land_b", GEO, {2017: 60.0, 2018: 50.0}),
                    ("infrastructure.land_c", GEO, {2017: 30.0, 2018: 40.0, 2019: 30.0}))
    traj = run(targets_frame(t, over, edge), s)
    i = "infrastructure.land"
    assert column(traj, i, "status") == ["on_track", "insufficient", "moderate", "on_track", "met"]
    assert column(traj, i, "required") == approx([20.0, 40.0, 60.0, 80.0, 100.0])
    assert column(traj, i, "gap") == approx([-100.0, -30.0, -30.0, -20.0, -10.0])
    assert column(traj, i, "ratio")[1:4] == approx([40 / 70, 60 / 70, 1.0])
    assert all(p is None for p in column(traj, i, "progress"))
    assert all(n is None or "baseline already" not in n for n in column(traj, i, "status_note"))
    b = at(traj, "infrastructure.land_b", 2018)
    assert (b["value"], b["gap"], b["status"]) == (110.0, 10.0, "regressing")
    assert at(traj, "infrastructure.land_b", 2017)["status"] == "insufficient"  # r = 20/60 = 0.333
    c = at(traj, "infrastructure.land_c", 2019)
    assert (c["value"], c["ratio"], c["status"]) == (100.0, approx(0.6), "moderate")


# ------------------------------------------------------------------ annual_mean (running mean, like annual)

def test_annual_mean_floor_and_ceiling():
    # >= 10 a year on average (年均资助10万人次): flows 12, 6, 9 -> means 12, 9, 9
    #   2017 met -> achieved (gap −2); 2018/2019: progress 9/10 = 0.9, gap 1 -> moderate
    floor = target("education.aided", kind="annual_mean", target=10.0)
    # <= 10 on average: flows 8, 16 -> means 8 (met), 12: progress 10/12 = 0.8333, gap 2 -> moderate
    cap = target("public_safety.accidents", kind="annual_mean", comparator="<=", target=10.0)
    s = stats_frame(("education.aided", GEO, {2017: 12.0, 2018: 6.0, 2019: 9.0}),
                    ("public_safety.accidents", GEO, {2017: 8.0, 2018: 16.0}))
    traj = run(targets_frame(floor, cap), s)
    a = "education.aided"
    assert column(traj, a, "value")[:3] == approx([12.0, 9.0, 9.0])
    assert column(traj, a, "status") == ["achieved", "moderate", "moderate", "no_data", "no_data"]
    assert column(traj, a, "gap")[:3] == approx([-2.0, 1.0, 1.0])
    assert column(traj, a, "required") == [10.0] * 5
    assert at(traj, a, 2020)["status_note"].startswith(NOTE_MISSING.format(year=2020))
    c = "public_safety.accidents"
    assert column(traj, c, "status")[:2] == ["achieved", "moderate"]
    assert at(traj, c, 2018)["progress"] == approx(10 / 12) and at(traj, c, 2018)["gap"] == approx(2.0)


# ------------------------------------------------------------------ change, change_pct (levels with x* from x_b)

def test_change_both_directions():
    # >= +1 (人均预期寿命提高1岁) from 77: x* = 78; 2018 77.5: required 77 + 1·0.4 = 77.4,
    #   gap 0.5, progress 0.5/1 = 0.5, r = 1.25 -> on_track; 2021 (T) 78 -> met
    up = target("health.life_expectancy", kind="change", target=1.0)
    # <= −2 (降低2个百分点) from 10: x* = 8; 2017 9.8: required 9.6, gap 1.8, progress 0.1, r 0.5 -> insufficient;
    #   2018 10.5 -> regressing; 2019 8.8: progress 0.6, r = 1 -> on_track; 2020 8 -> achieved
    down = target("health.smoking", kind="change", comparator="<=", target=-2.0)
    # the baseline may be given: baseline_value 50, >= +1 -> x* = 51; 2017 50.2: progress 0.2, r 1 -> on_track
    given = target("health.given", kind="change", target=1.0, baseline_value=50.0)
    # a band of changes: between +1 and +2 from 10 -> [11, 12]; 2017 11.5 -> achieved
    band = target("health.band", kind="change", comparator="between", target=1.0, target_hi=2.0)
    s = stats_frame(("health.life_expectancy", GEO, {2016: 77.0, 2018: 77.5, 2021: 78.0}),
                    ("health.smoking", GEO, {2016: 10.0, 2017: 9.8, 2018: 10.5, 2019: 8.8, 2020: 8.0}),
                    ("health.given", GEO, {2017: 50.2}),
                    ("health.band", GEO, {2016: 10.0, 2017: 11.5}))
    traj = run(targets_frame(up, down, given, band), s)
    u = at(traj, "health.life_expectancy", 2018)
    assert (u["required"], u["gap"], u["progress"], u["ratio"]) == approx((77.4, 0.5, 0.5, 1.25))
    assert (u["status"], u["target"], u["target_point"], u["baseline"]) == ("on_track", 1.0, 78.0, 77.0)
    assert at(traj, "health.life_expectancy", 2021)["status"] == "met"
    d = "health.smoking"
    assert column(traj, d, "status") == ["insufficient", "regressing", "on_track", "achieved", "no_data"]
    assert column(traj, d, "required") == approx([9.6, 9.2, 8.8, 8.4, 8.0])
    assert column(traj, d, "gap")[:4] == approx([1.8, 2.5, 0.8, 0.0])
    assert at(traj, d, 2017)["ratio"] == approx(0.5)
    assert (at(traj, d, 2017)["target_point"], at(traj, d, 2017)["direction"]) == (8.0, -1)
    g = at(traj, "health.given", 2017)
    assert (g["baseline_source"], g["target_point"], g["progress"], g["status"]) == ("given", 51.0, approx(0.2), "on_track")
    assert at(traj, "health.band", 2017)["status"] == "achieved"


def test_change_pct_both_directions():
    # <= −18 % (下降18%) from 10: x* = 10·(100 − 18)/100 = 8.2; 2018 9.0: required 10 − 1.8·0.4 = 9.28,
    #   gap 0.8, progress 1/1.8 = 0.5556, r 1.3889 -> on_track; 2021 (T) 8.2 -> met (exactly on it)
    down = target("ecology.energy", kind="change_pct", comparator="<=", target=-18.0)
    # >= +10 % from 200: x* = 220; 2017 202: progress 2/20 = 0.1, r 0.5 -> insufficient
    up = target("ecology.forest", kind="change_pct", target=10.0)
    s = stats_frame(("ecology.energy", GEO, {2016: 10.0, 2018: 9.0, 2021: 8.2}),
                    ("ecology.forest", GEO, {2016: 200.0, 2017: 202.0}))
    traj = run(targets_frame(down, up), s)
    e18 = at(traj, "ecology.energy", 2018)
    assert (e18["required"], e18["gap"], e18["progress"], e18["ratio"]) == approx((9.28, 0.8, 1 / 1.8, 1 / 1.8 / 0.4))
    assert (e18["status"], e18["target_point"]) == ("on_track", 8.2)
    e21 = at(traj, "ecology.energy", 2021)
    assert (e21["status"], e21["gap"]) == ("met", 0.0)
    f = at(traj, "ecology.forest", 2017)
    assert (f["target_point"], f["progress"], f["status"]) == (220.0, approx(0.1), "insufficient")


def test_change_without_baseline_is_no_data_every_year_with_a_note():
    t = target("health.life_expectancy", kind="change", target=1.0)
    p = target("ecology.energy", kind="change_pct", comparator="<=", target=-18.0)
    s = stats_frame(("health.life_expectancy", GEO, {2018: 79.0}), ("ecology.energy", GEO, {2021: 1.0}))
    traj = run(targets_frame(t, p), s)
    for i in ("health.life_expectancy", "ecology.energy"):
        assert column(traj, i, "status") == ["no_data"] * 5
        assert column(traj, i, "status_note") == [kinds.NOTE_NO_BASELINE_CHANGE] * 5
        assert all(x is None for x in column(traj, i, "required") + column(traj, i, "target_point"))
    # the value is shown (79 would "meet" 77 + 1, but without x_b there is no x*)
    assert at(traj, "health.life_expectancy", 2018)["value"] == 79.0


# ------------------------------------------------------------------ direction (no number; Eurostat's rule)

def test_direction_up_and_down():
    # >= (more is better) from 100: c_t = ((x_t/100)^(1/(t − 2016)) − 1)·100
    # 2017 102: c = 2 -> on_track; 2018 100.5: (1.005^(1/2) − 1)·100 = 0.2497 -> moderate;
    # 2019 99: (0.99^(1/3) − 1)·100 = −0.3345 -> insufficient; 2020 80: (0.8^(1/4) − 1)·100 = −5.426 -> regressing
    up = target("health.exercise", kind="direction", comparator=">=")
    # <= (less is better) from 100: 2017 98: c = −1·(0.98 − 1)·100 = 2 -> on_track;
    # 2018 103: −((1.03)^(1/2) − 1)·100 = −1.489 -> regressing; 2019 100: c = 0 -> moderate
    # 2020 99.0: −((0.99)^(1/4) − 1)·100 = 0.2509 -> moderate
    down = target("public_safety.accidents", kind="direction", comparator="<=")
    s = stats_frame(("health.exercise", GEO, {2016: 100.0, 2017: 102.0, 2018: 100.5, 2019: 99.0, 2020: 80.0, 2021: 500.0}),
                    ("public_safety.accidents", GEO, {2016: 100.0, 2017: 98.0, 2018: 103.0, 2019: 100.0, 2020: 99.0}))
    traj = run(targets_frame(up, down), s)
    u = "health.exercise"
    assert column(traj, u, "trend") == approx([2.0, (1.005 ** 0.5 - 1) * 100, (0.99 ** (1 / 3) - 1) * 100,
                                               (0.8 ** 0.25 - 1) * 100, (5 ** 0.2 - 1) * 100])
    # never achieved, even far past any number; the target year 2021 is judged on the whole plan's
    # trend: 500 -> 37.97 % a year > 0 -> met
    assert column(traj, u, "status") == ["on_track", "moderate", "insufficient", "regressing", "met"]
    for col in ("required", "gap", "progress", "ratio", "target", "target_point"):
        assert all(x is None for x in column(traj, u, col)), col
    assert column(traj, u, "status_note") == [None] * 4 + [verdicts.NOTE_DIRECTION_VERDICT]
    assert set(column(traj, u, "direction")) == {1}
    d = "public_safety.accidents"
    assert column(traj, d, "trend")[:4] == approx([2.0, -(1.03 ** 0.5 - 1) * 100, 0.0, -(0.99 ** 0.25 - 1) * 100])
    assert column(traj, d, "status") == ["on_track", "regressing", "moderate", "moderate", "no_data"]
    assert set(column(traj, d, "direction")) == {-1}


def test_direction_thresholds_are_rounded_and_edge_cases():
    # 1 % a year exactly: 101 after one year: (1.01 − 1)·100 = 1.0000000000000009 -> on_track;
    # −1 % exactly: 99 -> (0.99 − 1)·100 = −1.0000000000000009, rounded −1: not > −1 -> regressing;
    # 2 years at −1 % a year: 100·0.99² = 98.01 -> (0.9801^(1/2) − 1)·100 = −1 (rounded) -> regressing
    on = target("health.a", kind="direction", comparator=">=")
    off = target("health.b", kind="direction", comparator=">=")
    s = stats_frame(("health.a", GEO, {2016: 100.0, 2017: 101.0}),
                    ("health.b", GEO, {2016: 100.0, 2017: 99.0, 2018: 98.01}))
    traj = run(targets_frame(on, off), s)
    assert at(traj, "health.a", 2017)["status"] == "on_track"
    assert column(traj, "health.b", "status")[:2] == ["regressing", "regressing"]
    # no baseline -> no_data with a note every year; a non-positive value -> no_data with a note
    nob = target("health.c", kind="direction", comparator=">=")
    zero = target("health.d", kind="direction", comparator="<=")
    traj = run(targets_frame(nob, zero), stats_frame(("health.c", GEO, {2018: 5.0}),
                                                     ("health.d", GEO, {2016: 0.0, 2017: 3.0})))
    assert column(traj, "health.c", "status") == ["no_data"] * 5
    assert column(traj, "health.c", "status_note") == [kinds.NOTE_NO_BASELINE_CHANGE] * 5
    d = at(traj, "health.d", 2017)
    assert (d["status"], d["status_note"]) == ("no_data", kinds.NOTE_DIRECTION_NON_POSITIVE)
    assert math.isnan(d["trend"])


# ------------------------------------------------------------------ cagr and projection

def test_cagr_applies_to_changes_with_the_resolved_target_only():
    up = target("health.life_expectancy", kind="change", target=1.0)
    rate = target("employment.gdp", kind="rate_avg", target=6.0)
    direc = target("health.exercise", kind="direction", comparator=">=")
    s = stats_frame(("health.life_expectancy", GEO, {2016: 77.0, 2018: 77.5}),
                    ("employment.gdp", GEO, {2017: 5.0}),
                    ("health.exercise", GEO, {2016: 100.0, 2017: 102.0}))
    cagr = run(targets_frame(up, rate, direc), s, method="cagr")
    linear = run(targets_frame(up, rate, direc), s)
    # change: required growth (78/77)^(1/5) − 1, actual (77.5/77)^(1/2) − 1; ratio 1.2561 -> on_track
    c = at(cagr, "health.life_expectancy", 2018)
    assert c["ratio"] == approx(((77.5 / 77) ** 0.5 - 1) / ((78 / 77) ** 0.2 - 1))
    assert c["required"] == approx(77 * (78 / 77) ** 0.4) and c["status"] == "on_track"
    for i, y in (("employment.gdp", 2017), ("health.exercise", 2017)):
        r = at(cagr, i, y)
        assert r["method_note"] == gaps.CAGR_NOTE_KIND and math.isnan(r["ratio"])
        assert r["status"] == at(linear, i, y)["status"]
    assert at(cagr, "employment.gdp", 2017)["status"] == "moderate"  # 5/6 = 0.833


def test_projection_only_for_level_like_kinds():
    up = target("health.life_expectancy", kind="change", target=1.0)
    rate = target("employment.gdp", kind="rate_avg", target=6.0)
    direc = target("health.exercise", kind="direction", comparator=">=")
    s = stats_frame(("health.life_expectancy", GEO, {2016: 77.0, 2018: 77.4}),
                    ("employment.gdp", GEO, {2017: 5.0, 2018: 7.0}),
                    ("health.exercise", GEO, {2016: 100.0, 2017: 102.0}))
    traj = run(targets_frame(up, rate, direc), s)
    # change: line through (0, 77), (2, 77.4): 0.2 a year -> 78 at 2021, anticipated progress (78 − 77)/1 = 1
    c = at(traj, "health.life_expectancy", 2017)
    assert (c["projected_value_at_target"], c["anticipated_progress"], c["projection_points"]) == approx((78.0, 1.0, 2))
    # a running figure: no projection (the empty columns say so; no note on every row)
    for y in (2017, 2018):
        r = at(traj, "employment.gdp", y)
        assert math.isnan(r["projected_value_at_target"]) and r["projection_points"] == 0
        assert pd.isna(r["status_note"])
    # a direction: the level is projected (100 -> 102: 110 in 2021), no anticipated progress
    d = at(traj, "health.exercise", 2017)
    assert d["projected_value_at_target"] == approx(110.0) and math.isnan(d["anticipated_progress"])
    # latest_status recomputes the same way
    latest = summaries.latest_status(traj).set_index("indicator_id")
    assert latest.loc["health.life_expectancy", "anticipated_progress"] == approx(1.0)
    assert math.isnan(latest.loc["employment.gdp", "projected_value_at_target"])
    assert math.isnan(latest.loc["health.exercise", "anticipated_progress"])


# ------------------------------------------------------------------ binding, definition

def test_binding_is_carried_counted_and_filtered():
    a = {**target("health.a", target=6.0), "binding": "binding"}
    b = {**target("health.b", target=6.0), "binding": "expected"}
    c = target("health.c", target=6.0)
    s = stats_frame(("health.a", GEO, {2016: 4.5, 2018: 5.1}),   # on_track (r = 1)
                    ("health.b", GEO, {2016: 4.5, 2018: 6.1}),   # achieved
                    ("health.c", GEO, {2016: 4.5, 2018: 4.4}))   # regressing
    traj = run(targets_frame(a, b, c), s)
    latest = summaries.latest_status(traj)
    assert latest["binding"].tolist()[:2] == ["binding", "expected"] and pd.isna(latest["binding"].iloc[2])
    roll = summaries.area_rollup_as_of(traj).set_index("area")
    h = roll.loc["health"]
    assert (h["n_targets"], h["n_achieved"], h["n_on_track"], h["n_regressing"]) == (3, 1, 1, 1)
    assert (h["n_binding"], h["n_binding_on_track"], h["n_binding_achieved"]) == (1, 1, 0)
    only = summaries.area_rollup_as_of(traj, binding_only=True).set_index("area")
    assert (only.loc["health", "n_targets"], only.loc["health", "n_on_track"]) == (1, 1)
    # the existing columns unchanged, in their order; the binding counts appended
    statuses = list(vocab.STATUS_ORDER)
    assert list(summaries.area_rollup(traj).columns) == [
        "geo", "area", "year", "n_targets", *[f"n_{x}" for x in statuses], "n_with_value", "n_scored",
        "share_achieved_or_on_track", "mean_capped_progress", "coverage",
        "n_binding", *[f"n_binding_{x}" for x in statuses]]
    assert gaps.compute_gaps(targets_frame(a, b, c), s, plan=PLAN, binding_only=True)["indicator_id"].unique().tolist() == ["health.a"]
    assert gaps.filter_binding(targets_frame(a, b, c))["id"].tolist() == ["health.a"]
    assert gaps.filter_binding(targets_frame(c)).empty  # no binding column: none is binding


def test_definition_break_is_noted_and_still_scored():
    t = target("ecology.energy", kind="change_pct", comparator="<=", target=-18.0)
    s = stats_frame(("ecology.energy", GEO, {2016: 10.0, 2017: 9.64, 2018: 9.28}))
    s["definition"] = ["", "", "excl. raw-material use (2018 on)"]
    traj = run(targets_frame(t), s)
    r17, r18 = at(traj, "ecology.energy", 2017), at(traj, "ecology.energy", 2018)
    assert pd.isna(r17["definition"]) and pd.isna(r17["status_note"])
    assert r18["definition"] == "excl. raw-material use (2018 on)"
    assert r18["status_note"] == kinds.NOTE_DEFINITION
    assert r18["status"] == "on_track"  # 9.28 is exactly the required path: r = 1
    # a running kind with a break: the definition note alone (its missing projection is no note)
    rate = target("employment.gdp", kind="rate_avg", target=6.0)
    s = stats_frame(("employment.gdp", GEO, {2017: 6.0}))
    s["definition"] = ["new survey"]
    r = at(run(targets_frame(rate), s), "employment.gdp", 2017)
    assert r["status_note"] == kinds.NOTE_DEFINITION


def test_trajectory_columns_keep_the_old_order_and_add_the_new_ones_at_the_end():
    assert gaps.TRAJECTORY_COLUMNS[:36][-3:] == ("projected_value_at_target", "anticipated_progress", "projection_points")
    assert gaps.TRAJECTORY_COLUMNS[-4:] == ("trend", "binding", "definition", "first_met_year")
    traj = run(targets_frame(target("health.a", target=6.0)), stats_frame(("health.a", GEO, {2016: 4.5})))
    assert tuple(traj.columns) == gaps.TRAJECTORY_COLUMNS


def test_engine_rejects_a_direction_with_a_number_and_a_kind_without_one():
    from helpers.exceptions import ValidationError

    bad = targets_frame(target("health.a", kind="direction", target=3.0), target("health.b", kind="change"),
                        target("health.c", kind="direction", comparator="between", target_hi=2.0),
                        {**target("health.d", target=1.0), "binding": "maybe"})
    with pytest.raises(ValidationError) as err:
        run(bad, stats_frame(("health.a", GEO, {2016: 1.0})))
    found = {(p.line, p.column) for p in err.value.problems}
    assert found == {(2, "target"), (3, "target"), (4, "comparator"), (5, "binding")}


# ------------------------------------------------------------------ a held-out plan, end to end

#: (id, unit, comparator, target, kind, reference_id, value_unit, binding) — a SYNTHETIC plan the
#: engine has never seen, one target of each kind; baseline 2016, target year 2021; no plan.json.
HELD_OUT_TARGETS = [
    ("employment.gdp_growth", "%", ">=", "12.5", "rate_avg", "", "", "binding"),
    ("employment.income_vs_gdp", "ratio", ">=", "1", "rate_avg", "ref.gdp_growth", "%", "expected"),
    ("ecology.energy_intensity", "%", "<=", "-15", "rate_total", "", "", "binding"),
    ("health.life_expectancy", "years", ">=", "1", "change", "", "", "expected"),
    ("ecology.pm25", "ug/m3", "<=", "-18", "change_pct", "", "", ""),
    ("employment.new_jobs", "persons", ">=", "5000", "period_total", "", "", ""),
    ("infrastructure.new_land", "ha", "<=", "100", "period_total", "", "", ""),
    ("education.aided", "10k persons", ">=", "10", "annual_mean", "", "", ""),
    ("health.exercise", "%", ">=", "", "direction", "", "", ""),
    ("public_safety.accidents", "cases", "<=", "", "direction", "", "", ""),
    ("health.doctors", "per 1000", ">=", "0.5", "change", "", "", ""),          # no baseline
    ("social_security.coverage", "%", ">=", "60", "level", "", "", "binding"),  # the threshold case
]
#: (indicator_id, geo, unit, {year: value}, {year: definition})
HELD_OUT_STATISTICS = [
    ("employment.gdp_growth", "riverside", "%", {2016: 6.0, 2017: 10.0, 2018: 10.0, 2020: 9.0}, {}),
    ("employment.income_vs_gdp", "riverside", "%", {2017: 9.0, 2018: 9.0}, {}),
    ("ref.gdp_growth", "synthetic_country", "%", {2017: 6.0, 2018: 6.0}, {}),
    ("ecology.energy_intensity", "riverside", "%", {2017: -3.0, 2018: -4.0}, {}),
    ("health.life_expectancy", "riverside", "years", {2016: 77.0, 2018: 77.5}, {}),
    ("ecology.pm25", "riverside", "ug/m3", {2016: 50.0, 2018: 47.0}, {2018: "new monitoring network (2018 on)"}),
    ("employment.new_jobs", "riverside", "persons", {2017: 1000.0, 2018: 1100.0}, {}),
    ("infrastructure.new_land", "riverside", "ha", {2017: 30.0, 2018: 50.0}, {}),
    ("education.aided", "riverside", "10k persons", {2017: 12.0, 2018: 6.0}, {}),
    ("health.exercise", "riverside", "%", {2016: 30.0, 2018: 30.6}, {}),
    ("public_safety.accidents", "riverside", "cases", {2016: 200.0, 2018: 188.0}, {}),
    ("health.doctors", "riverside", "per 1000", {2018: 3.2}, {}),
    ("social_security.coverage", "riverside", "%", {2016: 40.0, 2018: 44.8}, {}),
]


def _write_held_out(root):
    root.mkdir(parents=True)
    trows = [{"id": i, "area": i.split(".")[0], "name_zh": f"合成{i}", "name_en": f"Synthetic {i}", "unit": u,
              "unit_zh": "", "comparator": c, "target": tg, "target_hi": "", "tolerance": "", "target_year": 2021,
              "baseline_year": 2016, "kind": k, "reference_id": ref, "value_unit": vu, "baseline_value": "",
              "lead_agency": "synthetic agency", "source_ref": "synthetic clause", "note": "synthetic", "binding": b}
             for i, u, c, tg, k, ref, vu, b in HELD_OUT_TARGETS]
    srows = [{"indicator_id": i, "geo": g, "year": y, "value": v, "unit": u, "source_title": "synthetic source",
              "source_url": "", "note": "", "definition": defs.get(y, "")}
             for i, g, u, values, defs in HELD_OUT_STATISTICS for y, v in values.items()]
    tpath, spath = root / "targets.csv", root / "statistics.csv"
    pd.DataFrame(trows).to_csv(tpath, index=False, lineterminator="\n")
    pd.DataFrame(srows).to_csv(spath, index=False, lineterminator="\n")
    import json

    areas = list(dict.fromkeys(r["area"] for r in trows))
    (root / "plan.json").write_text(json.dumps({
        "title_en": "Synthetic Riverside plan (held out)", "jurisdiction": "riverside",
        "areas": [{"key": a, "en": f"{a} (synthetic)"} for a in areas],
        "geos": {"riverside": {"zh": "河滨(合成)", "en": "Riverside (synthetic)"}}}), encoding="utf-8")
    return tpath, spath


def _gaps_cli(tpath, spath, out, *extra):
    import os
    import subprocess
    import sys
    from pathlib import Path

    import helpers

    env = {**os.environ, "PYTHONPATH": str(Path(helpers.__file__).resolve().parents[1])}
    cmd = [sys.executable, "-m", "helpers", "gaps", "--targets", str(tpath), "--statistics", str(spath),
           "--geo", "riverside", "--out", str(out), *extra]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)


def test_held_out_plan_one_target_of_each_kind_through_the_command_line(tmp_path):
    tpath, spath = _write_held_out(tmp_path / "riverside")
    out = tmp_path / "gaps.csv"
    done = _gaps_cli(tpath, spath, out)
    assert done.returncode == 0, done.stderr
    assert "12 targets x 1 geo(s): riverside" in done.stdout
    df = pd.read_csv(out)
    row = lambda i, y=2018: df[(df["indicator_id"] == i) & (df["year"] == y)].iloc[0]  # noqa: E731
    nan = float("nan")
    # (id, status, gap, required) in 2018, by hand (e = 0.4):
    expected = [
        # (1.10·1.10)^(1/2) − 1 = 10 %: progress 10/12.5 = 0.8 -> moderate; gap 2.5; required 12.5
        ("employment.gdp_growth", "moderate", 2.5, 12.5),
        # own 9 %, reference 6 %: ratio 1.5 >= 1 -> achieved; gap 1 − 1.5 = −0.5
        ("employment.income_vs_gdp", "achieved", -0.5, 1.0),
        # 0.97·0.96 − 1 = −6.88 %: gap 15 − 6.88 = 8.12; required −15·0.4 = −6; r = 0.4587/0.4 -> on_track
        ("ecology.energy_intensity", "on_track", 8.12, -6.0),
        # 77 + 1 = 78: gap 0.5; required 77.4; r = 0.5/0.4 -> on_track
        ("health.life_expectancy", "on_track", 0.5, 77.4),
        # 50·0.82 = 41: gap 47 − 41 = 6; required 50 − 9·0.4 = 46.4; progress 3/9, r 0.833 -> moderate
        ("ecology.pm25", "moderate", 6.0, 46.4),
        # 1000 + 1100 = 2100: gap 2900; required 2000; r = 0.42/0.4 = 1.05 -> on_track
        ("employment.new_jobs", "on_track", 2900.0, 2000.0),
        # 30 + 50 = 80 of a 100 budget: gap −20; required 40; r = 40/80 = 0.5 -> insufficient
        ("infrastructure.new_land", "insufficient", -20.0, 40.0),
        # (12 + 6)/2 = 9: gap 1; required 10; progress 0.9 -> moderate
        ("education.aided", "moderate", 1.0, 10.0),
        # ((30.6/30)^(1/2) − 1)·100 = 0.995 % a year: >= 0, < 1 -> moderate
        ("health.exercise", "moderate", nan, nan),
        # −((188/200)^(1/2) − 1)·100 = 3.05 % a year the wanted way -> on_track
        ("public_safety.accidents", "on_track", nan, nan),
        # no baseline: no_data, no x*, no required
        ("health.doctors", "no_data", nan, nan),
        # 40 -> 44.8 of 60: r = 0.24/0.4 = 0.6 -> moderate (the rounding rule); gap 15.2; required 48
        ("social_security.coverage", "moderate", 15.2, 48.0),
    ]
    for i, status, gap, required in expected:
        r = row(i)
        assert r["status"] == status, i
        assert (r["gap"], r["required"]) == approx((gap, required), nan_ok=True), i
    assert row("health.exercise")["trend"] == approx((1.02 ** 0.5 - 1) * 100)
    assert row("public_safety.accidents")["trend"] == approx(-(0.94 ** 0.5 - 1) * 100)
    assert row("health.doctors")["status_note"] == kinds.NOTE_NO_BASELINE_CHANGE
    # a missing year: 2019 has no growth figure, so 2020 (9 %) is not scored; required still written
    g20 = row("employment.gdp_growth", 2020)
    assert (g20["status"], g20["value_raw"], g20["required"]) == ("no_data", 9.0, 12.5)
    assert g20["status_note"].startswith(NOTE_MISSING.format(year=2019))
    # the definition break is carried and noted
    pm = row("ecology.pm25")
    assert pm["definition"] == "new monitoring network (2018 on)" and pm["status_note"] == kinds.NOTE_DEFINITION
    assert row("employment.income_vs_gdp")["reference_geo"] == "synthetic_country"

    # --binding: only the binding targets are scored
    done = _gaps_cli(tpath, spath, out, "--binding")
    assert done.returncode == 0, done.stderr
    assert "3 binding targets" in done.stdout
    assert pd.read_csv(out)["indicator_id"].unique().tolist() == [
        "employment.gdp_growth", "ecology.energy_intensity", "social_security.coverage"]


def test_unquantified_target_shows_its_values_and_is_never_scored():
    # SYNTHETIC: a target the plan states without a number or direction.
    t = pd.DataFrame([{"id": "U1", "area": "econ", "name_zh": "合成", "name_en": "Synthetic", "unit": "%",
                       "comparator": pd.NA, "target": np.nan, "target_hi": np.nan, "tolerance": np.nan,
                       "target_year": 2025, "baseline_year": 2020, "kind": "unquantified", "reference_id": pd.NA}])
    s = pd.DataFrame({"indicator_id": "U1", "geo": "nation", "year": [2020, 2021, 2022],
                      "value": [2.3, 8.1, 3.0]})
    traj = gaps.compute_gaps(t, s, geo="nation", plan={"jurisdiction": "nation"})
    assert traj["kind"].tolist() == ["unquantified"] * 5
    assert traj.loc[traj["year"] == 2021, "value"].item() == 8.1
    assert set(traj["status"]) == {"no_data"}
    assert traj[["required", "gap", "progress", "trend"]].isna().all().all()
    assert traj["status_note"].str.startswith("no quantified target").all()


def test_unquantified_needs_empty_target_and_comparator(tmp_path):
    from helpers.data import validate
    from helpers.data.schema import targets_schema

    frame = pd.DataFrame([{"id": "U1", "area": "econ", "name_zh": "合成", "name_en": "Synthetic", "unit": "%",
                           "comparator": ">=", "target": 5.0, "target_hi": np.nan, "tolerance": np.nan,
                           "target_year": 2025, "baseline_year": 2020, "kind": "unquantified",
                           "reference_id": pd.NA, "baseline_value": np.nan}], index=[2])
    frame = frame.astype({"id": "string", "area": "string", "name_zh": "string", "name_en": "string",
                          "unit": "string", "comparator": "string", "kind": "string", "reference_id": "string",
                          "target_year": "Int64", "baseline_year": "Int64"})
    problems = validate.run_schema(targets_schema(list(frame.columns)), frame, "targets.csv")
    assert any(p.column == "target" and "unquantified" in p.message for p in problems)
    ok = frame.assign(comparator=pd.Series([pd.NA], index=[2], dtype="string"), target=np.nan)
    assert validate.run_schema(targets_schema(list(ok.columns)), ok, "targets.csv") == []
