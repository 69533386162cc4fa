"""Summaries of a trajectory: the latest status per target and the roll-ups by area, with
hand-computed expectations (all inputs SYNTHETIC).

As in test_gaps.py: baseline year b = 2016, target year T = 2021, so e_t = (t − 2016)/5 is 0.2,
0.4, 0.6, 0.8, 1.0 for 2017..2021; statuses use r = progress/e with thresholds 0.95 and 0.6.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from engine_synthetic import GEO, run, stats_frame, target, targets_frame
from helpers.method import summaries

from helpers import vocab
approx = pytest.approx


BEDS = target("health.beds", target=6.0)
BEDS_STATS = ("health.beds", GEO, {2016: 4.5, 2018: 5.1, 2019: 5.2, 2020: 4.6, 2021: 6.1})


# ------------------------------------------------------------------ latest status, roll-ups

def test_latest_status_as_of():
    traj = run(targets_frame(BEDS), stats_frame(BEDS_STATS))
    latest = summaries.latest_status(traj)
    assert len(latest) == 1
    r = latest.iloc[0]
    assert (r["year"], r["as_of"], r["value"], r["status"]) == (2021, 2021, 6.1, "met")
    assert not r["stale"] and not r["final_pending"] and r["first_met_year"] == 2021
    r = summaries.latest_status(traj, 2020).iloc[0]
    assert (r["year"], r["value"], r["status"], r["as_of_limit"]) == (2020, 4.6, "insufficient", 2020)
    r = summaries.latest_status(traj, 2019).iloc[0]
    assert (r["year"], r["status"], r["ratio"]) == (2019, "moderate", approx(0.7 / 1.5 / 0.6))
    r = summaries.latest_status(traj, 2017).iloc[0]  # 2016 is the baseline, not a scored year
    assert r["status"] == "no_data" and pd.isna(r["year"]) and math.isnan(r["value"])
    # the projection only sees values up to the cut-off: (0, 4.5), (2, 5.1) -> 6.0 at 2021
    r = summaries.latest_status(traj, 2018).iloc[0]
    assert (r["projected_value_at_target"], r["anticipated_progress"], r["projection_points"]) == approx((6.0, 1.0, 2))


def _rollup_inputs():
    infant = target("health.infant_mortality", comparator="<=", target=7.0)
    doctors = target("health.doctors", target=6.0)
    poor = target("poverty.poor", comparator="<=", target=0.0, target_year=2020)
    s = stats_frame(BEDS_STATS,
                    ("health.infant_mortality", GEO, {2016: 10.0, 2017: 9.5, 2018: 10.5, 2019: 8.0}),
                    ("health.doctors", GEO, {2018: 5.5, 2019: 6.2}),
                    ("poverty.poor", GEO, {2016: 50.0, 2017: 35.0, 2018: 30.0, 2019: 45.0}))
    return run(targets_frame(BEDS, infant, doctors, poor), s)


def test_area_rollup_counts_and_shares_per_year():
    roll = summaries.area_rollup(_rollup_inputs()).set_index(["area", "year"])
    h = roll.loc[("health", 2018)]
    # beds on_track (0.4), infant regressing (−0.17 -> 0), doctors: value but no baseline
    assert (h["n_targets"], h["n_on_track"], h["n_regressing"], h["n_no_data"]) == (3, 1, 1, 1)
    assert (h["n_with_value"], h["n_scored"]) == (3, 2)
    assert (h["share_achieved_or_on_track"], h["mean_capped_progress"], h["coverage"]) == approx((0.5, 0.2, 1.0))
    h17 = roll.loc[("health", 2017)]  # only infant has a value: moderate, progress 1/6
    assert (h17["n_moderate"], h17["n_scored"], h17["share_achieved_or_on_track"]) == (1, 1, 0.0)
    assert (h17["mean_capped_progress"], h17["coverage"]) == approx((1 / 6, 1 / 3))
    a = roll.loc[("all", 2018)]
    assert (a["n_targets"], a["n_on_track"], a["n_moderate"], a["n_regressing"], a["n_no_data"]) == (4, 1, 1, 1, 1)
    assert (a["share_achieved_or_on_track"], a["mean_capped_progress"]) == approx((1 / 3, 0.8 / 3))
    assert ("poverty", 2021) not in roll.index  # poverty ends in 2020
    h21 = roll.loc[("health", 2021)]  # beds met: capped at 1 although progress is 1.07
    assert (h21["n_met"], h21["n_achieved"], h21["mean_capped_progress"], h21["coverage"]) == approx((1, 0, 1.0, 1 / 3))
    assert h21["share_achieved_or_on_track"] == 1.0  # met counts as achieved
    areas = list(dict.fromkeys(roll.reset_index()["area"]))
    assert areas == ["health", "poverty", "all"]  # plan order, then "all"


def test_area_rollup_as_of():
    roll = summaries.area_rollup_as_of(_rollup_inputs(), 2019).set_index("area")
    h = roll.loc["health"]
    # beds 2019 moderate (0.467), infant 2019 on_track (0.667), doctors 2019 achieved (1)
    assert (h["n_achieved"], h["n_on_track"], h["n_moderate"], h["n_scored"]) == (1, 1, 1, 3)
    assert (h["share_achieved_or_on_track"], h["mean_capped_progress"]) == approx((2 / 3, (0.7 / 1.5 + 2 / 3 + 1) / 3))
    assert roll.loc["poverty", "n_insufficient"] == 1 and roll.loc["poverty", "as_of_limit"] == 2019
    assert "year" not in roll.columns


def test_status_counts_text_names_every_status_in_order():
    frame = pd.DataFrame({"status": ["achieved", "no_data", "achieved", "regressing"]})
    counts = {"achieved": 2, "regressing": 1, "no_data": 1}
    assert summaries.status_counts_text(frame) == ", ".join(f"{s}={counts.get(s, 0)}" for s in vocab.STATUS_ORDER)
    assert summaries.status_counts_text(frame.iloc[0:0]).startswith("met=0, achieved=0, on_track=0")
