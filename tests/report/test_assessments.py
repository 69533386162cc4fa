"""Assessments (a plan's optional ``assessments.csv``, :mod:`helpers.data.assessments`) beside
the computed status in the scorecard, with disagreements flagged. The plan and every assessment
here are MADE UP (``synthetic_inputs``; example.org sources): they test the mechanism, not a
real review."""

from __future__ import annotations

import openpyxl
import pytest

import synthetic_inputs as syn
from helpers.cli import main
from helpers.data import assessments
from helpers.exceptions import ValidationError
from helpers.report import params, scorecard

HEADER = "id,status,assessed_by,source_title,source_url,date,note\n"
ROWS = ("poverty.poor_population,achieved,official,Synthetic mid-term review,https://example.org/review,2020-06,made up\n"
        "health.beds_per_1000,achieved,own,Synthetic own reading,,2021,made up: says achieved\n")


@pytest.fixture
def plan(tmp_path):
    t, _ = syn.write_inputs(tmp_path)
    (tmp_path / "assessments.csv").write_text(HEADER + ROWS, encoding="utf-8")
    return tmp_path


def test_assessments_stand_beside_the_computed_status(plan):
    ctx = params.prepare(plan=str(plan), charts=False)
    card = scorecard.scorecard_frame(ctx).set_index("id")
    pov, beds = card.loc["poverty.poor_population"], card.loc["health.beds_per_1000"]
    assert (pov["assessment_status"], pov["assessment_by"], pov["assessment_date"]) == ("achieved", "official", "2020-06")
    assert pov["assessment_source_url"] == "https://example.org/review"
    assert pov["status"] == "met" and not pov["assessment_differs"]  # they agree: "achieved" at the deadline = met
    assert beds["status"] != "achieved" and beds["assessment_differs"]         # flagged
    assert card["assessment_status"].isna().sum() == len(card) - 2
    assert card.loc[card["assessment_status"].isna(), "assessment_differs"].isna().all()


def test_the_scorecard_file_carries_them(plan, tmp_path):
    out = tmp_path / "card.xlsx"
    assert main(["scorecard", "--plan", str(plan), "--out", str(out)]) == 0
    ws = openpyxl.load_workbook(out)["scorecard"]
    rows = {r[0]: dict(zip([c.value for c in ws[1]], r)) for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["health.beds_per_1000"]["assessment_differs"] is True
    assert rows["poverty.poor_population"]["assessment_differs"] is False
    assert rows["employment.new_jobs"]["assessment_status"] is None


def test_a_plan_without_assessments_has_empty_columns(tmp_path):
    syn.write_inputs(tmp_path)
    card = scorecard.scorecard_frame(params.prepare(plan=str(tmp_path), charts=False))
    assert card[list(scorecard.ASSESSMENT_COLUMNS)].isna().all().all()


def test_bad_assessments_name_file_line_and_column(plan, capsys):
    path = plan / "assessments.csv"
    path.write_text(HEADER + ROWS + "nope,achieved,official,t,,2020,\n"
                    "health.beds_per_1000,done,someone,,ftp://x,20-1,\n", encoding="utf-8")
    with pytest.raises(ValidationError) as exc:
        assessments.read_assessments(path, [r["id"] for r in syn.targets()])
    shown = {(p.line, p.column) for p in exc.value.problems}
    assert shown == {(4, "id"), (5, "id"), (5, "status"), (5, "assessed_by"), (5, "source_title"),
                     (5, "source_url"), (5, "date")}
    assert main(["scorecard", "--plan", str(plan), "--out", str(plan / "card.csv")]) == 2
    assert f"{path}:4: column 'id': 'nope' is not a target id of this plan" in capsys.readouterr().err
