"""The overview's lead (issue 21): the final scorecard of an ended plan, the milestones of a plan
in waiting; on the shipped plans (their data as compiled)."""

from __future__ import annotations

import pytest

from helpers.report import lead, params


@pytest.fixture(scope="module")
def fyp14():
    return params.prepare(plan="china_fyp14", lang="en")


def test_final_scorecard_counts_binding_apart(fyp14):
    card = lead.verdict_counts(fyp14.latest, fyp14.as_of).set_index("group")
    assert card.loc["all"].tolist() == [20, 8, 2, 10]      # targets, met, not met, not yet known
    assert card.loc["binding"].tolist() == [7, 3, 2, 2]


def test_binding_targets_not_met_by_shortfall(fyp14):
    missed = lead.not_met_frame(fyp14.latest, fyp14.targets, "en")
    assert missed["id"].tolist() == ["I15", "I14"]  # both binding; the smaller share reached first
    assert missed["shortfall"].tolist() == pytest.approx([5.576478, 1.796338], abs=1e-6)
    html = lead.lead_html(fyp14)
    assert html.index("Final scorecard") < html.index("Targets not met")
    assert "8 met, 2 not met, 10 not yet known" in html


def test_as_of_before_the_end_leads_with_nothing_extra():
    ctx = params.prepare(plan="china_fyp14", as_of_year=2023, lang="en")
    assert lead.lead_html(ctx) == ""


def test_a_plan_in_waiting_leads_with_its_milestones():
    ctx = params.prepare(plan="china_fyp15", lang="en")
    html = lead.lead_html(ctx)
    assert "Required values by year" in html and "due 2027-02" in html
    assert "Required 2026" in html and "Yearly rate needed" in html and "-3.66" in html
    m = lead.milestones_frame(ctx).set_index("indicator_id")
    assert m.loc["F11", "required_2027"] == pytest.approx(79.55)


def test_fuyang_shows_how_many_are_unknown():
    ctx = params.prepare(plan="fuyang", lang="en")
    card = lead.verdict_counts(ctx.latest, ctx.as_of).set_index("group")
    assert card.loc["all", "n_unknown"] > 70 and card.loc["all", "n_not_met"] == 0
    assert "binding" not in lead.lead_html(ctx).lower().split("final scorecard")[1].split("</table>")[0]


def test_energy_intensity_shows_both_measures_each_with_its_verdict(fyp14):
    m = lead.measures_frame(fyp14)
    assert m["measure"].tolist() == ["first release: yearly rates compounded (new definition from 2024) (the plan's own)",
                                     "revised cumulative (NDRC, new definition)"]
    assert m["status"].tolist() == ["not_met", "final_pending"]
    assert m["year"].tolist() == [2025, 2024]
    html = lead.lead_html(fyp14)
    assert "One target, more than one official measure" in html and "latest: on track (2024)" in html


def test_a_plan_in_waiting_shows_what_it_continues_and_the_earlier_verdicts():
    ctx = params.prepare(plan="china_fyp15", lang="en")
    f = lead.succession_frame(ctx).set_index("id")
    assert f.loc["F11", "continues_id"] == "I13" and f.loc["F11", "earlier_status"] == "met"
    assert f.loc["F11", "later_baseline"] == 79.25
    assert f.loc["F14", "earlier_status"] == "not_met" and f.loc["F09", "earlier_status"] == "final_pending"
    html = lead.lead_html(ctx)
    assert "Indicators continued from the previous plan" in html and "Baseline handed over" in html


def test_every_continued_indicator_is_drawn_across_both_plans():
    """Issue 21: life expectancy and every other indicator the 15th plan continues from the 14th
    in one chart each (the overview of the later plan shows them)."""
    import matplotlib.pyplot as plt

    from helpers.method import succession
    from helpers.report import params, sections

    ctx = params.prepare(plan="china_fyp15", lang="en")
    links = succession.read_continues(ctx.statistics_path.with_name(succession.CONTINUES_FILE))
    figs = sections.succession_figures(ctx)
    assert len(figs) == len(links) > 0
    titles = [f.axes[0].get_title() for f in figs]
    assert any("life expectancy" in t.lower() for t in titles)
    for f in figs:
        gids = {ln.get_gid() for ax in f.axes for ln in ax.get_lines()}
        assert any(str(g).endswith(":china_fyp14") for g in gids), gids  # the earlier plan drawn
        assert any(str(g).endswith(":china_fyp15") for g in gids), gids  # and the later one
        plt.close(f)
    assert sections.succession_figures(params.prepare(plan="china_fyp14")) == []  # no earlier plan
