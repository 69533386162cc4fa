"""Final verdicts (issue 21): ``met`` / ``not_met`` in a target's own year, ``achieved`` for a target
reached before it (with the year first reached), ``no_data`` "final value not yet published" when the
target year has no value, and the honest "as of" headline (stale statuses, no projection after the
deadline). Hand-computed expectations, SYNTHETIC inputs.

Unless said otherwise: b = 2020, T = 2025 (a five-year plan), so the target year is 2025.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from engine_synthetic import at, GEO, run, stats_frame, target, targets_frame
from helpers import vocab
from helpers.method import summaries, verdicts

approx = pytest.approx
FYP = {"baseline_year": 2020, "target_year": 2025}


def t(id, **kw):
    return target(id, **{**FYP, **kw})


def statuses(traj, i):
    return traj[traj["indicator_id"] == i].sort_values("year")["status"].tolist()


# ------------------------------------------------------------------ the "Why" cases

def test_61_9_against_62_in_the_target_year_is_not_met_never_on_track():
    # >= 62 from 55 (2020): 2025 61.9 -> progress 6.9/7 = 0.986, r = 0.986 >= 0.95 would read
    # "on track" in any other year; in the target year it is a verdict: not met, short by 0.1
    traj = run(targets_frame(t("health.share", target=62.0)),
               stats_frame(("health.share", GEO, {2020: 55.0, 2024: 61.0, 2025: 61.9})))
    r = at(traj, "health.share", 2025)
    assert r["status"] == "not_met"
    assert (r["gap"], r["progress"]) == approx((0.1, 6.9 / 7))
    assert at(traj, "health.share", 2024)["status"] == "on_track"  # 6/7 / 0.8 = 1.07
    latest = summaries.latest_status(traj, 2025).iloc[0]
    assert latest["status"] == "not_met" and math.isnan(latest["anticipated_progress"])


def test_a_deadline_without_its_value_is_not_yet_published_never_on_track():
    # poverty-like: <= 0 by 2020, last value 2019 on track; as of 2021 the deadline has passed
    poor = target("poverty.poor", comparator="<=", target=0.0, baseline_year=2016, target_year=2020)
    traj = run(targets_frame(poor), stats_frame(("poverty.poor", GEO, {2016: 50.0, 2019: 10.0})))
    r20 = at(traj, "poverty.poor", 2020)
    assert (r20["status"], r20["status_note"]) == ("no_data", verdicts.NOTE_FINAL_PENDING)
    # 2019: progress 40/50 = 0.8, e = 0.75, r = 1.07 -> on_track
    assert at(traj, "poverty.poor", 2019)["status"] == "on_track"
    latest = summaries.latest_status(traj, 2021).iloc[0]
    assert latest["status"] == "no_data" and latest["final_pending"]
    assert latest["status_note"] == verdicts.NOTE_FINAL_PENDING
    assert (latest["year"], latest["status_of_year"], latest["value"]) == (2019, "on_track", 10.0)
    assert latest["stale"]  # a 2019 status shown for the 2020 deadline
    assert math.isnan(latest["projected_value_at_target"]) and math.isnan(latest["anticipated_progress"])
    # as of 2019 the deadline has not come: the ordinary progress report
    before = summaries.latest_status(traj, 2019).iloc[0]
    assert before["status"] == "on_track" and not before["final_pending"] and not before["stale"]
    assert not math.isnan(before["anticipated_progress"])


def test_a_2022_status_in_an_as_of_2025_table_carries_its_year_and_a_stale_flag():
    co2 = t("ecology.co2", kind="rate_total", comparator="<=", target=-18.0)
    s = stats_frame(("ecology.co2", GEO, {2021: -3.8, 2022: -0.8}))
    latest = summaries.latest_status(run(targets_frame(co2), s), 2025).iloc[0]
    assert (latest["year"], latest["stale"], latest["final_pending"]) == (2022, True, True)
    assert latest["status"] == "no_data" and latest["status_of_year"] in ("insufficient", "moderate")
    filtered = summaries.latest_status(run(targets_frame(co2), s), 2025)
    assert filtered[(filtered["status"] == "not_met")].empty  # a filter cannot take it for a verdict


# ------------------------------------------------------------------ every kind, both directions

def test_level_met_not_met_achieved_early_and_first_year():
    up = t("a.up", target=10.0)            # 8 -> 10.5 in 2023 (achieved), 10.2 in 2025 (met)
    down = t("a.down", comparator="<=", target=5.0)  # 8 -> 6 in 2025: not met, short by 1
    s = stats_frame(("a.up", GEO, {2020: 8.0, 2022: 9.0, 2023: 10.5, 2024: 9.9, 2025: 10.2}),
                    ("a.down", GEO, {2020: 8.0, 2025: 6.0}))
    traj = run(targets_frame(up, down), s)
    assert statuses(traj, "a.up") == ["no_data", "on_track", "achieved", "on_track", "met"]
    assert set(traj.loc[traj["indicator_id"] == "a.up", "first_met_year"]) == {2023}
    r = at(traj, "a.down", 2025)
    assert (r["status"], r["gap"], r["progress"]) == ("not_met", approx(1.0), approx(2 / 3))
    assert pd.isna(r["first_met_year"])


def test_target_year_verdict_needs_no_baseline():
    # no 2020 figure: an earlier year is "value, not scored", the target year still has a verdict
    u = t("a.nob", target=10.0)
    traj = run(targets_frame(u), stats_frame(("a.nob", GEO, {2023: 9.0, 2025: 9.5})))
    assert statuses(traj, "a.nob") == ["no_data", "no_data", "no_data", "no_data", "not_met"]
    assert at(traj, "a.nob", 2025)["gap"] == approx(0.5)


def test_change_and_change_pct_verdicts():
    # +1 year from 78.2 -> 79.2; 2025 79.25 met. −18 % from 10 -> 8.2; 2025 8.5 not met (gap 0.3)
    life = t("h.life", kind="change", target=1.0)
    energy = t("h.energy", kind="change_pct", comparator="<=", target=-18.0)
    s = stats_frame(("h.life", GEO, {2020: 78.2, 2025: 79.25}), ("h.energy", GEO, {2020: 10.0, 2025: 8.5}))
    traj = run(targets_frame(life, energy), s)
    assert at(traj, "h.life", 2025)["status"] == "met"
    e = at(traj, "h.energy", 2025)
    assert (e["status"], e["target_point"], e["gap"]) == ("not_met", 8.2, approx(0.3))


def test_running_kinds_verdicts():
    # rate_avg >= 7: 8, 7, 6, 7, 6 -> (1.08·1.07·1.06·1.07·1.06)^(1/5) − 1 = 6.797 % < 7 -> not met
    rd = t("r.rd", kind="rate_avg", target=7.0)
    # rate_total <= −13.5: −2.7, −0.1, −0.5, −3.8, −5.1 -> 0.973·0.999·0.995·0.962·0.949 − 1 = −11.70 % -> not met
    en = t("r.energy", kind="rate_total", comparator="<=", target=-13.5)
    # rate_total <= −10: four years of −3 % -> 1 − 0.97^4 = 11.47 % by 2024 (achieved), 2025 +1 % ->
    # 0.97^4·1.01 − 1 = −10.59 % -> still met in 2025
    co = t("r.co2", kind="rate_total", comparator="<=", target=-10.0)
    s = stats_frame(("r.rd", GEO, dict(zip(range(2021, 2026), [8.0, 7.0, 6.0, 7.0, 6.0]))),
                    ("r.energy", GEO, dict(zip(range(2021, 2026), [-2.7, -0.1, -0.5, -3.8, -5.1]))),
                    ("r.co2", GEO, dict(zip(range(2021, 2026), [-3.0, -3.0, -3.0, -3.0, 1.0]))))
    traj = run(targets_frame(rd, en, co), s)
    r = at(traj, "r.rd", 2025)
    avg = ((1.08 * 1.07 * 1.06 * 1.07 * 1.06) ** 0.2 - 1) * 100
    assert (r["status"], r["value"], r["gap"]) == ("not_met", approx(avg), approx(7.0 - avg))
    e = at(traj, "r.energy", 2025)
    total = (0.973 * 0.999 * 0.995 * 0.962 * 0.949 - 1) * 100
    assert (e["status"], e["value"], e["gap"]) == ("not_met", approx(total), approx(total + 13.5))
    assert statuses(traj, "r.co2")[3:] == ["achieved", "met"]
    assert at(traj, "r.co2", 2025)["first_met_year"] == 2024


def test_a_running_figure_without_its_target_year_value():
    en = t("r.energy", kind="rate_total", comparator="<=", target=-13.5)
    hole = t("r.hole", kind="rate_total", comparator="<=", target=-13.5)
    s = stats_frame(("r.energy", GEO, dict(zip(range(2021, 2025), [-3.0, -3.0, -3.0, -3.0]))),
                    ("r.hole", GEO, {2021: -3.0, 2022: -3.0, 2024: -3.0, 2025: -3.0}))
    traj = run(targets_frame(en, hole), s)
    assert (at(traj, "r.energy", 2025)["status"], at(traj, "r.energy", 2025)["status_note"]) == \
        ("no_data", verdicts.NOTE_FINAL_PENDING)
    # an earlier hole: the total cannot be formed even though 2025 is published; its own note stays
    h = at(traj, "r.hole", 2025)
    assert h["status"] == "no_data" and h["status_note"].startswith("no value in 2023")


def test_period_total_budget_verdict():
    # <= 100 over the plan: 20 a year -> 100 in 2025: met; 30 a year -> 150 > 100: not met (gap 50)
    ok = t("p.ok", kind="period_total", comparator="<=", target=100.0)
    over = t("p.over", kind="period_total", comparator="<=", target=100.0)
    s = stats_frame(("p.ok", GEO, dict.fromkeys(range(2021, 2026), 20.0)),
                    ("p.over", GEO, dict.fromkeys(range(2021, 2026), 30.0)))
    traj = run(targets_frame(ok, over), s)
    assert at(traj, "p.ok", 2025)["status"] == "met"
    o = at(traj, "p.over", 2025)
    assert (o["status"], o["gap"]) == ("not_met", approx(50.0))
    assert statuses(traj, "p.over")[3] == "regressing"  # 120 > 100 already in 2024


# ------------------------------------------------------------------ annual: every year

def test_annual_every_year_rule_names_the_failing_years():
    # ceiling 5.5 every year: 5.1, 5.6, 5.2, 5.7, 5.2 -> 2022 and 2024 over -> not met; the target-year
    # row carries the worst year's shortfall: 5.7 − 5.5 = 0.2, progress 5.5/5.7
    cap = t("u.cap", kind="annual", comparator="<=", target=5.5)
    ok = t("u.ok", kind="annual", comparator="<=", target=5.5)       # 5.2 every year -> met
    hole = t("u.hole", kind="annual", comparator="<=", target=5.5)   # 2022 missing, others fine -> open
    late = t("u.late", kind="annual", target=100.0)                  # floor: 2022 short, 2025 missing
    s = stats_frame(("u.cap", GEO, dict(zip(range(2021, 2026), [5.1, 5.6, 5.2, 5.7, 5.2]))),
                    ("u.ok", GEO, dict.fromkeys(range(2021, 2026), 5.2)),
                    ("u.hole", GEO, {2021: 5.2, 2023: 5.2, 2024: 5.2, 2025: 5.2}),
                    ("u.late", GEO, {2021: 100.0, 2022: 90.0, 2023: 100.0, 2024: 100.0}))
    traj = run(targets_frame(cap, ok, hole, late), s)
    c = at(traj, "u.cap", 2025)
    assert c["status"] == "not_met"
    assert c["status_note"] == verdicts.NOTE_ANNUAL_FAILED.format(years="2022, 2024")
    assert (c["gap"], c["progress"]) == approx((0.2, 5.5 / 5.7))
    assert statuses(traj, "u.cap")[:4] == ["achieved", "on_track", "achieved", "on_track"]
    assert at(traj, "u.ok", 2025)["status"] == "met"
    h = at(traj, "u.hole", 2025)
    assert (h["status"], h["status_note"]) == ("no_data", verdicts.NOTE_ANNUAL_MISSING.format(years="2022"))
    lt = at(traj, "u.late", 2025)
    assert lt["status"] == "no_data"
    assert lt["status_note"] == verdicts.NOTE_FINAL_PENDING + "; " + verdicts.NOTE_ANNUAL_FAILED.format(years="2022")


# ------------------------------------------------------------------ direction: the whole plan's trend

def test_direction_verdict_on_the_trend_over_the_whole_plan():
    # >= from 100: 2025 104 -> c = (1.04^(1/5) − 1)·100 = 0.787 % a year > 0 -> met (though "moderate"
    # by Eurostat's thresholds in any earlier year); <= from 100: 2025 100 -> c = 0 -> not met;
    # >= from 100 to 95 -> c < 0 -> not met
    up = t("d.up", kind="direction", comparator=">=")
    flat = t("d.flat", kind="direction", comparator="<=")
    down = t("d.down", kind="direction", comparator=">=")
    s = stats_frame(("d.up", GEO, {2020: 100.0, 2024: 103.0, 2025: 104.0}),
                    ("d.flat", GEO, {2020: 100.0, 2025: 100.0}),
                    ("d.down", GEO, {2020: 100.0, 2025: 95.0}))
    traj = run(targets_frame(up, flat, down), s)
    u = at(traj, "d.up", 2025)
    assert (u["status"], u["trend"]) == ("met", approx((1.04 ** 0.2 - 1) * 100))
    assert u["status_note"] == verdicts.NOTE_DIRECTION_VERDICT
    assert at(traj, "d.up", 2024)["status"] == "moderate"
    assert at(traj, "d.flat", 2025)["status"] == "not_met"
    assert at(traj, "d.down", 2025)["status"] == "not_met"
    assert pd.isna(u["first_met_year"])  # a direction is never "achieved"


def test_unquantified_gets_no_verdict():
    gdp = t("e.gdp", kind="unquantified", comparator=None)
    traj = run(targets_frame(gdp), stats_frame(("e.gdp", GEO, dict.fromkeys(range(2020, 2026), 5.0))))
    assert statuses(traj, "e.gdp") == ["no_data"] * 5


def test_vocabulary_colours_and_order():
    for s in vocab.VERDICTS:
        assert s in vocab.STATUSES and s in vocab.STATUS_COLOURS
    assert vocab.status_label("not_met", "both") == "未完成 / not met"
    assert vocab.STATUS_ORDER[-1] == "no_data" and vocab.STATUS_ORDER[0] == "met"
    assert len(set(vocab.STATUS_COLOURS.values())) == len(vocab.STATUS_COLOURS)
