"""Plan succession (issue 21, item 6), declared in the later plan's continues.csv: the 14th and
15th Five-Year Plans' life expectancy (and every continued indicator) in one table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from helpers.exceptions import ValidationError
from helpers.method import succession
from helpers.report import params

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def plans():
    a, b = params.prepare(plan="china_fyp14"), params.prepare(plan="china_fyp15")
    links = succession.read_continues(ROOT / "data/raw/china_fyp15/continues.csv")
    return a.trajectory, b.trajectory, links


def test_links_are_declared_not_matched_by_name(plans):
    _, _, links = plans
    assert links["id"].tolist() == ["F01", "F04", "F06", "F07", "F09", "F11", "F14", "F19", "F20"]
    assert dict(zip(links["id"], links["continues_id"]))["F11"] == "I13"  # life expectancy: change -> level
    assert (links["continues_plan"] == "china_fyp14").all()


def test_life_expectancy_across_both_plans_in_one_table(plans):
    a, b, links = plans
    table = succession.across_plans(a, b, links, "china_fyp14", "china_fyp15")
    life = table[table["link"] == "F11"]
    assert life["plan"].tolist() == ["china_fyp14"] * 5 + ["china_fyp15"] * 5
    assert life["year"].tolist() == list(range(2021, 2031))
    # both required paths: 77.93 + 1 = 78.93 by 2025 (a change), then 79.25 -> 80 by 2030
    assert life["required"].iloc[4] == pytest.approx(78.93) and life["required"].iloc[-1] == pytest.approx(80.0)
    assert life["status"].iloc[4] == "met" and life["value"].iloc[4] == 79.25
    assert set(table["link"]) == set(links["id"])


def test_handover_gives_the_first_verdict_and_the_second_baseline(plans):
    a, b, links = plans
    h = succession.handover(a, b, links, "china_fyp14", 2025).set_index("id")
    life = h.loc["F11"]
    assert (life["earlier_status"], life["earlier_value"], life["later_baseline"]) == ("met", 79.25, 79.25)
    assert life["later_baseline_source"] == "observed"
    co2 = h.loc["F14"]
    assert co2["earlier_status"] == "not_met" and co2["later_baseline"] == 0.0  # a running total starts at 0
    assert bool(h.loc["F09", "earlier_final_pending"]) and pd.isna(h.loc["F09", "later_baseline"])


def test_read_continues_checks_the_file(tmp_path):
    assert succession.read_continues(tmp_path / "none.csv").empty
    bad = tmp_path / "continues.csv"
    bad.write_text("id,continues_plan,continues_id,note\nF01,,I01,x\n", encoding="utf-8")
    with pytest.raises(ValidationError):
        succession.read_continues(bad)


def test_one_chart_across_both_plans(plans):
    from helpers.report import charts

    a, b, links = plans
    table = succession.across_plans(a, b, links, "china_fyp14", "china_fyp15")
    fig = charts.plot_across_plans(table[table["link"] == "F11"], "en",
                                   {"china_fyp14": ("十四五", "14th FYP"), "china_fyp15": ("十五五", "15th FYP")})
    gids = {ln.get_gid() for ax in fig.axes for ln in ax.get_lines()}
    assert {"required:china_fyp14", "observed:china_fyp14", "target:china_fyp14", "required:china_fyp15",
            "target:china_fyp15", "handover"} <= gids
    assert "observed:china_fyp15" not in gids  # no 15th-plan figure yet
    req15 = next(ln for ax in fig.axes for ln in ax.get_lines() if ln.get_gid() == "required:china_fyp15")
    assert list(req15.get_xdata()) == list(range(2025, 2031))  # from the 2025 baseline the first hands over
    assert list(req15.get_ydata()) == pytest.approx([79.25, 79.4, 79.55, 79.7, 79.85, 80.0])
