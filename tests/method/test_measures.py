"""Alternative measures of one target (issue 21, item 3), scored each under its own rule, side by
side: hand-computed SYNTHETIC cases, then the 14th plan's energy intensity as shipped."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from engine_synthetic import GEO, stats_frame, target, targets_frame
from helpers.exceptions import ValidationError
from helpers.method import measures

ROOT = Path(__file__).resolve().parents[2]
approx = pytest.approx


def _measures(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(measures.MEASURE_COLUMNS))


def test_two_measures_each_with_its_own_verdict():
    # <= -10 % over 2020-2025. First release: yearly -2, -2, -2, -2, -2 -> 0.98^5 - 1 = -9.61 % -> not met.
    # Revised cumulative series: -10.2 % for 2021-25 (published as such) -> met.
    t = targets_frame(target("g.energy", kind="rate_total", comparator="<=", target=-10.0,
                             baseline_year=2020, target_year=2025))
    s = stats_frame(("g.energy", GEO, dict.fromkeys(range(2021, 2026), -2.0)),
                    ("g.energy:revised", GEO, {2023: -6.5, 2025: -10.2}))
    m = _measures(("g.energy", "g.energy", "rate_total", "初步数", "first release", "yes", ""),
                  ("g.energy", "g.energy:revised", "cumulative", "修订数", "revised", "", ""))
    traj = measures.score_measures(t, s, m)
    side = measures.side_by_side(traj, 2025)
    assert side["measure"].tolist() == ["g.energy", "g.energy:revised"]  # the plan's own first
    assert side["own_measure"].tolist() == [True, False]
    own, rev = side.iloc[0], side.iloc[1]
    assert (own["status"], own["value"], own["gap"]) == ("not_met", approx((0.98 ** 5 - 1) * 100),
                                                         approx(10 + (0.98 ** 5 - 1) * 100))
    assert (rev["status"], rev["value"], rev["gap"]) == ("met", -10.2, approx(-0.2))
    # 2023 on the revised series: required -10·0.6 = -6; -6.5: progress 0.65, r = 1.08 -> on track
    r23 = traj[(traj["measure"] == "g.energy:revised") & (traj["year"] == 2023)].iloc[0]
    assert (r23["required"], r23["status"], r23["measure_en"]) == (approx(-6.0), "on_track", "revised")


def test_a_measure_without_its_target_year_figure_waits():
    t = targets_frame(target("g.energy", kind="rate_total", comparator="<=", target=-10.0,
                             baseline_year=2020, target_year=2025))
    s = stats_frame(("g.energy", GEO, dict.fromkeys(range(2021, 2026), -2.5)),
                    ("g.energy:revised", GEO, {2024: -8.0}))
    m = _measures(("g.energy", "g.energy", "rate_total", "初步数", "first release", "yes", ""),
                  ("g.energy", "g.energy:revised", "cumulative", "修订数", "revised", "", ""))
    side = measures.side_by_side(measures.score_measures(t, s, m), 2025).set_index("measure")
    assert side.loc["g.energy", "status"] == "met"  # 0.975^5 - 1 = -11.9 %
    rev = side.loc["g.energy:revised"]
    assert (rev["status"], rev["year"], rev["final_pending"], rev["stale"]) == ("no_data", 2024, True, True)


def test_read_measures_checks_the_file(tmp_path):
    t = targets_frame(target("g.energy", kind="rate_total", comparator="<=", target=-10.0))
    assert measures.read_measures(tmp_path / "none.csv").empty
    bad = tmp_path / "measures.csv"
    bad.write_text("target_id,series_id,kind,label_zh,label_en,own,note\n"
                   "g.energy,g.other,level,甲,a,,\n"
                   "g.energy,g.energy,nonsense,乙,,yes,\n", encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        measures.read_measures(bad, t)
    text = str(err.value)
    for needle in ("neither", "not a scored kind", "both labels"):
        assert needle in text, needle


def test_the_14th_plans_energy_intensity_has_two_labelled_verdicts():
    from helpers.report import params

    ctx = params.prepare(plan="china_fyp14")
    m = measures.read_measures(ROOT / "data/raw/china_fyp14/measures.csv", ctx.targets)
    side = measures.side_by_side(measures.score_measures(ctx.targets, ctx.statistics, m, plan=ctx.plan), 2025)
    own, rev = side.iloc[0], side.iloc[1]
    assert own["measure"] == "I14" and own["status"] == "not_met" and own["value"] == approx(-11.703662, abs=1e-6)
    # revised series: -11.6 in 2024: progress 11.6/13.5 = 0.859, e = 0.8, r = 1.07 -> on track; no 2025 revised
    # figure -> its verdict waits (never compounded with a first-release rate)
    assert (rev["measure"], rev["year"], rev["value"]) == ("I14:official_cumulative", 2024, -11.6)
    assert rev["final_pending"] and rev["status"] == "no_data" and rev["status_of_year"] == "on_track"
    assert "first release" in own["measure_en"] and "revised" in rev["measure_en"]


def test_the_context_gives_the_measures_side_by_side():
    from helpers.report import params

    side = params.prepare(plan="china_fyp14").measures()
    assert side["measure"].tolist() == ["I14", "I14:official_cumulative"]
    assert params.prepare(plan="fuyang").measures().empty
