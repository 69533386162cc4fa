"""The scorecard export (``python -m helpers scorecard``, :mod:`helpers.report.scorecard`): both
shipped plans written as CSV and xlsx and read back (csv / openpyxl): one row per target, the
status the reports show, the latest value and its source, spreadsheet formatting, and formula
neutralisation (on a SYNTHETIC frame: the shipped data hold no formula-like text)."""

from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd
import pytest

from helpers.cli import main
from helpers.report import params, scorecard
from helpers.report.terms import report_status


@pytest.fixture(scope="module", params=["china_fyp14", "fuyang"])
def plan(request):
    ctx = params.prepare(plan=request.param, charts=False)
    return request.param, ctx, scorecard.scorecard_frame(ctx)


def test_the_frame_has_one_row_per_target_with_the_reports_status(plan):
    name, ctx, card = plan
    assert list(card.columns) == list(scorecard.SCORECARD_COLUMNS)
    assert card["id"].tolist() == ctx.targets["id"].astype(str).tolist()
    expected = pd.Series(report_status(ctx.latest).to_numpy(), index=ctx.latest["indicator_id"])
    assert card.set_index("id")["status"].to_dict() == expected.astype(str).to_dict()
    # a value has its source; no value, no source
    has = card["latest_value"].notna()
    assert card.loc[has, "source_title"].notna().all() and card.loc[~has, "source_title"].isna().all()
    assert card.loc[has, "source_quality"].isin(["publisher", "official_repost", "media", "mirror"]).all()


def test_cited_values_of_the_14th_plan():
    ctx = params.prepare(plan="china_fyp14", as_of_year=2025, charts=False)
    card = scorecard.scorecard_frame(ctx, lang="en").set_index("id")
    i03 = card.loc["I03"]
    stats = ctx.statistics
    row = stats[(stats["indicator_id"] == "I03") & (stats["year"] == i03["latest_year"])].iloc[0]
    assert (i03["latest_value"], i03["source_url"], i03["source_quality"]) == (
        row["value"], row["source_url"], row["source_quality"])
    assert i03["target_text"] == "≥ 65 % (2025)" and i03["status"] == "met" and i03["shortfall"] < 0
    assert card.loc["I01", "status"] == "not_scored" and card.loc["I01", "status_label"] == "value, not scored"
    assert "not comparable" in card.loc["I14", "caveat"]
    assert card.loc["I14", "binding"] == "binding" and card.loc["I19", "status"] == "no_data"


def _read_csv(path):
    text = path.read_bytes().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


@pytest.mark.parametrize("name", ["china_fyp14", "fuyang"])
def test_the_command_writes_both_formats_and_they_read_back(name, tmp_path, capsys):
    ctx = params.prepare(plan=name, charts=False)
    card = scorecard.scorecard_frame(ctx)
    for suffix in (".csv", ".xlsx"):
        out = tmp_path / f"card{suffix}"
        assert main(["scorecard", "--plan", name, "--out", str(out)]) == 0
        assert f"wrote {out}: {len(card)} targets of {name} as of {ctx.as_of}" in capsys.readouterr().out
        if suffix == ".csv":
            rows = _read_csv(out)
            assert list(rows[0]) == list(scorecard.SCORECARD_COLUMNS)
            got = [(r["id"], r["status"], r["source_url"]) for r in rows]
        else:
            wb = openpyxl.load_workbook(out)
            ws = wb["scorecard"]
            assert ws.freeze_panes == "B2"
            header = [c.value for c in ws[1]]
            assert header == list(scorecard.SCORECARD_COLUMNS)
            col = {h: i for i, h in enumerate(header)}
            assert ws.column_dimensions["F"].width == scorecard.WIDTHS["name_en"]
            rows = list(ws.iter_rows(min_row=2, values_only=True))
            got = [(r[col["id"]], r[col["status"]], r[col["source_url"]] or "") for r in rows]
            year_cells = [ws.cell(row=i + 2, column=col["target_year"] + 1) for i in range(len(rows))]
            assert all(c.number_format == "0" and isinstance(c.value, int) for c in year_cells)
            scored = [i for i, r in enumerate(rows) if r[col["progress"]] is not None]
            assert all(ws.cell(row=i + 2, column=col["progress"] + 1).number_format == "0.0%" for i in scored)
            assert all(isinstance(r[col["latest_value"]], (int, float)) for r in rows if r[col["latest_value"]] is not None)
        want = [(i, s, u if isinstance(u, str) else "") for i, s, u in
                zip(card["id"], card["status"], card["source_url"].astype(object).where(card["source_url"].notna(), ""))]
        assert got == want


def test_as_of_and_bad_output(tmp_path, capsys):
    out = tmp_path / "card.csv"
    assert main(["scorecard", "--plan", "china_fyp14", "--as-of", "2022", "--out", str(out)]) == 0
    rows = {r["id"]: r for r in _read_csv(out)}
    assert rows["I14"]["as_of"] == "2022" and int(rows["I14"]["latest_year"]) <= 2022
    assert main(["scorecard", "--plan", "china_fyp14", "--out", str(tmp_path / "card.txt")]) == 2
    assert "must be a .csv or .xlsx file" in capsys.readouterr().err
    assert main(["scorecard", "--plan", "china_fyp14", "--out", str(tmp_path / "no" / "card.csv")]) == 2


def test_text_that_a_spreadsheet_would_run_is_neutralised(tmp_path):
    synthetic = pd.DataFrame({"id": ["X1"], "source_title": ["=HYPERLINK(\"http://example.org\")"],
                              "latest_value": [-1.5]})
    csv_text = scorecard.scorecard_bytes(synthetic, ".csv").decode("utf-8")
    assert "'=HYPERLINK" in csv_text and ",-1.5" in csv_text  # a negative number stays a number
    out = scorecard.write_scorecard(synthetic, tmp_path / "x.xlsx")
    cell = openpyxl.load_workbook(out)["scorecard"]["B2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK") and cell.quotePrefix
    assert openpyxl.load_workbook(out)["scorecard"]["C2"].value == -1.5
