"""The fill-in template round trip on SYNTHETIC inputs: write, fill, import; conflicts; bad cells."""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import synthetic_inputs as syn
from synthetic_inputs import fill_template as _fill
from synthetic_inputs import template_rows as _rows
from helpers.data import load
from helpers.cli import main
from helpers.exceptions import ImportConflictError, ValidationError
from helpers.data.template import TEMPLATE_COLUMNS, import_template, write_template

BEDS = "health.beds_per_1000"
BEDS_UNIT = "beds per 1000 residents"


def _template_of_synthetic_inputs(tmp_path, name: str):
    """Synthetic inputs, loaded, and the template written for them as ``name``."""
    t, s = syn.write_inputs(tmp_path / "raw")
    inputs = load.load_inputs(t, s)
    tpl = tmp_path / name
    write_template(tpl, inputs.targets, inputs.statistics, inputs.meta)
    return inputs, tpl, s


@pytest.fixture
def setup(tmp_path):
    return _template_of_synthetic_inputs(tmp_path, "fill_me.csv")


def _line_of(path: Path, indicator: str, year: int) -> int:
    _, rows = _rows(path)
    return 2 + next(i for i, r in enumerate(rows) if r["indicator_id"] == indicator and int(r["year"]) == year)


def test_template_content(setup):
    inputs, tpl, _ = setup
    assert tpl.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to show Chinese
    header, rows = _rows(tpl)
    assert tuple(header) == TEMPLATE_COLUMNS
    # 6 targets x 2016..2021 + poverty 2016..2020 + the reference series 2016..2021
    assert len(rows) == 6 * 6 + 5 + 6
    beds = [r for r in rows if r["indicator_id"] == BEDS]
    assert [r["year"] for r in beds] == ["2016", "2017", "2018", "2019", "2020", "2021"]
    assert {r["geo"] for r in beds} == {"fuyang"}
    assert [r["known_value"] for r in beds] == ["4", "", "4.6", "", "5.4", ""]
    assert beds[2]["known_source_title"] == "synthetic source" and beds[2]["known_source_url"].startswith("https://")
    assert all(r[c] == "" for r in rows for c in ("value", "source_title", "source_url", "note"))
    jobs = next(r for r in rows if r["indicator_id"] == "employment.new_jobs")
    assert jobs["value_meaning"] == "该年当年完成量(流量) / that year's flow (done during the year)"  # annual >=: a quota
    income = [r for r in rows if r["indicator_id"] == "employment.income_vs_national"]
    assert {r["unit"] for r in income} == {"yuan per person"}  # the value unit, not the ratio
    ref = [r for r in rows if r["indicator_id"] == "ref.income_per_capita"]
    assert len(ref) == 6 and {r["geo"] for r in ref} == {"china"} and {r["kind"] for r in ref} == {"reference"}
    # the reference block follows its relative target
    ids = [r["indicator_id"] for r in rows]
    assert ids.index("ref.income_per_capita") == ids.index("employment.income_vs_national") + 6


def test_round_trip_csv(setup):
    inputs, tpl, s = setup
    before = s.read_text(encoding="utf-8").splitlines()
    _fill(tpl, {
        (BEDS, 2017): {"value": "4.3", "source_title": "合成统计年鉴 2018 (synthetic)", "source_url": "https://example.org/syn-2018"},
        ("employment.new_jobs", 2019): {"value": "4.4", "source_title": "synthetic bulletin", "note": "synthetic note"},
        ("ref.income_per_capita", 2017): {"value": "25974", "source_title": "synthetic national communiqué"},
        (BEDS, 2018): {"value": "4.60", "source_title": "same value again (synthetic)"},
    })
    report = import_template(tpl, s, inputs.targets, plan=inputs.meta)
    assert report.written and report.unchanged == 1 and report.changed.empty
    assert report.added[["indicator_id", "geo", "year", "value"]].values.tolist() == [
        [BEDS, "fuyang", 2017, 4.3], ["employment.new_jobs", "fuyang", 2019, 4.4], ["ref.income_per_capita", "china", 2017, 25974.0]]

    stats = load.load_statistics(s, targets=inputs.targets)
    assert len(stats) == 13 + 3
    row = stats[(stats["indicator_id"] == BEDS) & (stats["year"] == 2017)].iloc[0]
    assert (row["value"], row["unit"], row["source_title"], row["source_url"]) == (
        4.3, BEDS_UNIT, "合成统计年鉴 2018 (synthetic)", "https://example.org/syn-2018")
    assert stats.loc[stats["indicator_id"] == "employment.new_jobs", "note"].dropna().tolist() == ["synthetic note"]
    # the value already stored keeps its row and source
    assert stats.loc[(stats["indicator_id"] == BEDS) & (stats["year"] == 2018) & (stats["geo"] == "fuyang"),
                     "source_title"].item() == "synthetic source"
    # sorted by (indicator_id, geo, year); stored rows kept byte for byte
    keys = list(zip(stats["indicator_id"], stats["geo"], stats["year"]))
    assert keys == sorted(keys)
    after = s.read_text(encoding="utf-8").splitlines()
    assert set(before) <= set(after) and after[0] == before[0]
    assert "health.beds_per_1000,fuyang,2017,4.3,beds per 1000 residents,合成统计年鉴 2018 (synthetic),https://example.org/syn-2018," in after


def test_round_trip_xlsx(tmp_path):
    t, s = syn.write_inputs(tmp_path / "raw")
    inputs = load.load_inputs(t, s)
    tpl = tmp_path / "fill_me.xlsx"
    write_template(tpl, inputs.targets, inputs.statistics, inputs.meta)
    wb = openpyxl.load_workbook(tpl)
    ws = wb["template"]
    header = [c.value for c in ws[1]]
    assert tuple(header) == TEMPLATE_COLUMNS and "readme" in wb.sheetnames
    col = {name: i + 1 for i, name in enumerate(header)}
    row = next(r for r in range(2, ws.max_row + 1)
               if ws.cell(r, col["indicator_id"]).value == "poverty.poor_population" and ws.cell(r, col["year"]).value == 2018)
    ws.cell(row, col["value"]).value = 20.5
    ws.cell(row, col["source_title"]).value = "synthetic poverty bulletin"
    wb.save(tpl)
    report = import_template(tpl, s, inputs.targets, plan=inputs.meta)
    assert report.added[["indicator_id", "year", "value", "line"]].values.tolist() == [["poverty.poor_population", 2018, 20.5, row]]
    assert "poverty.poor_population,fuyang,2018,20.5,10k persons,synthetic poverty bulletin,," in s.read_text(encoding="utf-8")


def test_conflict_stops_and_names_it_then_replace_replaces(setup):
    inputs, tpl, s = setup
    _fill(tpl, {(BEDS, 2018): {"value": "4.8", "source_title": "synthetic revision"},
                (BEDS, 2019): {"value": "5.0", "source_title": "synthetic revision"}})
    before = s.read_bytes()
    with pytest.raises(ImportConflictError) as info:
        import_template(tpl, s, inputs.targets, plan=inputs.meta)
    line = _line_of(tpl, BEDS, 2018)
    assert info.value.conflicts == [
        f"{BEDS}, geo fuyang, 2018: stored value 4.6 (source: synthetic source) but {tpl} line {line} has 4.8"]
    assert s.read_bytes() == before  # nothing written, not even the non-conflicting 2019 value

    report = import_template(tpl, s, inputs.targets, replace=True, plan=inputs.meta)
    assert report.changed[["indicator_id", "geo", "year", "old_value", "new_value"]].values.tolist() == [
        [BEDS, "fuyang", 2018, 4.6, 4.8]]
    assert report.added["year"].tolist() == [2019]
    stats = load.load_statistics(s)
    beds = stats[(stats["indicator_id"] == BEDS) & (stats["geo"] == "fuyang")].set_index("year")
    assert beds.loc[2018, "value"] == 4.8 and beds.loc[2018, "source_title"] == "synthetic revision"
    assert len(stats) == 13 + 1


def test_cli_import_conflict_exits_2_and_replace_reports_the_change(setup, capsys):
    inputs, tpl, s = setup
    t = s.parent / "targets.csv"
    _fill(tpl, {(BEDS, 2018): {"value": "4.8", "source_title": "synthetic revision"}})
    assert main(["import", str(tpl), "--targets", str(t), "--statistics", str(s)]) == 2
    err = capsys.readouterr().err
    assert "1 conflicting value(s); nothing was written" in err and f"{BEDS}, geo fuyang, 2018: stored value 4.6" in err
    assert main(["import", str(tpl), "--targets", str(t), "--statistics", str(s), "--replace"]) == 0
    out = capsys.readouterr().out
    assert f"  ~ {BEDS} fuyang 2018: 4.6 -> 4.8 (source: synthetic revision; was: synthetic source;" in out


BAD_CELLS = [
    ("thousands", {(BEDS, 2017): {"value": "1,300", "source_title": "synthetic"}}, (BEDS, 2017), "value",
     "thousands separator not allowed, write 1300"),
    ("percent", {(BEDS, 2017): {"value": "4.5%", "source_title": "synthetic"}}, (BEDS, 2017), "value", "without %"),
    ("n_a", {(BEDS, 2017): {"value": "N/A", "source_title": "synthetic"}}, (BEDS, 2017), "value", "leave the cell empty"),
    ("no_source", {(BEDS, 2017): {"value": "4.3"}}, (BEDS, 2017), "source_title", "a source title is required"),
    ("unknown_indicator", {(BEDS, 2017): {"indicator_id": "health.bedz", "value": "4.3", "source_title": "synthetic"}},
     ("health.bedz", 2017), "indicator_id", "'health.bedz' is not a target id"),
    ("year_after_target", {(BEDS, 2021): {"year": "2023", "value": "6.1", "source_title": "synthetic"}}, (BEDS, 2023),
     "year", "year 2023 is outside the years of 'health.beds_per_1000' in this plan, 2016–2021"),
    ("unit_changed", {(BEDS, 2017): {"unit": "beds", "value": "4.3", "source_title": "synthetic"}}, (BEDS, 2017), "unit",
     "convert the value to 'beds per 1000 residents'"),
    ("negative_flow", {("employment.new_jobs", 2019): {"value": "-0.5", "source_title": "synthetic"}},
     ("employment.new_jobs", 2019), "value", "is negative"),
    ("formula", {(BEDS, 2017): {"value": "4.3", "source_title": '=HYPERLINK("http://x","synthetic")'}}, (BEDS, 2017),
     "source_title", "looks like a spreadsheet formula"),
    ("bad_url", {(BEDS, 2017): {"value": "4.3", "source_title": "synthetic", "source_url": "javascript:alert(1)"}},
     (BEDS, 2017), "source_url", "is not a web address"),
]


@pytest.mark.parametrize("name,cells,at,column,text", BAD_CELLS, ids=[b[0] for b in BAD_CELLS])
def test_bad_cell_writes_nothing(setup, name, cells, at, column, text):
    inputs, tpl, s = setup
    good = {("employment.new_jobs", 2020): {"value": "4.2", "source_title": "synthetic bulletin"}}
    _fill(tpl, {**good, **cells})
    before = s.read_bytes()
    with pytest.raises(ValidationError) as info:
        import_template(tpl, s, inputs.targets, plan=inputs.meta)
    line = _line_of(tpl, *at)
    assert [(p.file, p.line, p.column) for p in info.value.problems] == [(str(tpl), line, column)]
    assert text in info.value.problems[0].message
    assert s.read_bytes() == before


def test_value_without_source_via_cli(setup, capsys):
    inputs, tpl, s = setup
    _fill(tpl, {(BEDS, 2019): {"value": "5.0"}})
    before = s.read_bytes()
    code = main(["import", str(tpl), "--targets", str(s.parent / "targets.csv"), "--statistics", str(s)])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert f"{tpl}:{_line_of(tpl, BEDS, 2019)}: column 'source_title': a source title is required" in err
    assert s.read_bytes() == before


def test_dry_run_reports_but_writes_nothing(setup):
    inputs, tpl, s = setup
    _fill(tpl, {(BEDS, 2019): {"value": "5.0", "source_title": "synthetic"}})
    before = s.read_bytes()
    report = import_template(tpl, s, inputs.targets, dry_run=True, plan=inputs.meta)
    assert len(report.added) == 1 and not report.written and report.rows_after == 14
    assert s.read_bytes() == before
    assert report.lines()[-1] == f"dry run: nothing written to {s}"


def test_nothing_filled_changes_nothing(setup):
    inputs, tpl, s = setup
    before = s.read_bytes()
    report = import_template(tpl, s, inputs.targets, plan=inputs.meta)
    assert report.added.empty and report.changed.empty and not report.written
    assert s.read_bytes() == before


def test_duplicate_rows_in_the_template_are_refused(setup):
    inputs, tpl, s = setup
    _fill(tpl, {(BEDS, 2019): {"value": "5.0", "source_title": "synthetic"},
                (BEDS, 2021): {"year": "2019", "value": "5.1", "source_title": "synthetic"}})
    with pytest.raises(ValidationError) as info:
        import_template(tpl, s, inputs.targets, plan=inputs.meta)
    assert {p.column for p in info.value.problems} == {"indicator_id"}
    assert "the values differ (5 vs 5.1)" in info.value.problems[0].message


def test_write_template_refuses_bad_destinations(setup, tmp_path):
    inputs, tpl, _ = setup
    before = tpl.read_bytes()
    for out, text in [(tpl, "already exists"), (tmp_path / "no" / "such" / "x.csv", "does not exist"),
                      (tmp_path / "x.txt", "must be a .csv or .xlsx")]:
        with pytest.raises(ValidationError) as info:
            write_template(out, inputs.targets, inputs.statistics, inputs.meta)
        assert text in info.value.problems[0].message and info.value.problems[0].file == str(out)
    assert tpl.read_bytes() == before and not (tmp_path / "no").exists() and not (tmp_path / "x.txt").exists()


def test_cli_template_then_import(tmp_path, capsys):
    t, s = syn.write_inputs(tmp_path / "raw")
    out = tmp_path / "t.csv"
    assert main(["template", "--targets", str(t), "--statistics", str(s), "--out", str(out)]) == 0
    assert f"wrote {out}: 47 rows (41 target-years for fuyang, 6 reference-series years), 11 already known" in capsys.readouterr().out
    _fill(out, {(BEDS, 2019): {"value": "5.0", "source_title": "synthetic"}})
    assert main(["import", str(out), "--targets", str(t), "--statistics", str(s)]) == 0
    text = capsys.readouterr().out
    assert "added 1 value(s):" in text and f"  + {BEDS} fuyang 2019: 5 {BEDS_UNIT} (source: synthetic;" in text
    assert f"wrote {s} (14 rows)" in text
    assert pd.read_csv(s)["year"].tolist().count(2019) == 1


def test_value_meaning_says_which_figure_to_type_for_each_kind(tmp_path):
    from helpers.data.template import build_template

    T = syn.targets()
    T[0].update(kind="rate_avg")       # health.beds_per_1000
    T[1].update(kind="period_total")   # employment.new_jobs
    T[2].update(kind="change")         # infrastructure.rural_roads
    t, s = syn.write_inputs(tmp_path / "raw", T, None)
    inputs = load.load_inputs(t, s)
    tpl = build_template(inputs.targets, inputs.statistics, "fuyang")
    meaning = tpl.drop_duplicates("indicator_id").set_index("indicator_id")["value_meaning"]
    assert meaning[BEDS] == ("该年比上年增长的百分比(增长8.1%填8.1，下降2.1%填-2.1) / "
                             "that year's % change over the previous year (8.1 for +8.1 %, -2.1 for a 2.1 % fall)")
    assert meaning["employment.new_jobs"].endswith("that year's flow (done during the year, not a running total)")
    assert meaning["infrastructure.rural_roads"].endswith("the level in that year (not the change)")


# ------------------------------------------------------------------ formula injection (issue 14.3)

INJECTIONS = ['+1+HYPERLINK("http://evil.example/","x")', "-2+3+cmd|' /C calc'!A0", "=1+1", "@SUM(1+1)*cmd|'x'!A0",
              "\t=1+1", "\r=1+1"]


def _hostile_inputs(tmp_path):
    """Validated synthetic inputs whose stored text is then made hostile in memory (validation
    refuses it in files, so this is the only way it can reach a writer)."""
    t, s = syn.write_inputs(tmp_path / "raw")
    inputs = load.load_inputs(t, s)
    stats = inputs.statistics.copy()
    stats["source_title"] = pd.Series([INJECTIONS[i % len(INJECTIONS)] for i in range(len(stats))],
                                      index=stats.index, dtype="string")
    targets = inputs.targets.copy()
    targets.loc[targets.index[0], "name_en"] = "=1+1"
    return inputs, targets, stats


def test_csv_template_neutralises_formula_text(tmp_path):
    inputs, targets, stats = _hostile_inputs(tmp_path)
    out = tmp_path / "t.csv"
    write_template(out, targets, stats, inputs.meta)
    _, rows = _rows(out)
    titles = {r["known_source_title"] for r in rows if r["known_source_title"]}
    # every one neutralised by a leading apostrophe (a lone CR is written as a line break)
    assert titles == {"'" + x.replace("\r", "\n") for x in INJECTIONS}
    assert {r["name_en"] for r in rows if r["indicator_id"] == BEDS} == {"'=1+1"}
    header, parsed = _rows(out)
    cells = [v for r in parsed for v in r.values()] + header
    assert not [v for v in cells if v.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert len(parsed) == len(rows)  # a CR inside a cell did not start a new row


def test_xlsx_template_writes_text_never_formulas(tmp_path):
    inputs, targets, stats = _hostile_inputs(tmp_path)
    out = tmp_path / "t.xlsx"
    write_template(out, targets, stats, inputs.meta)
    wb = openpyxl.load_workbook(out)  # data_only=False: a formula would show as data_type 'f'
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = [c for c in cells if isinstance(c.value, str)]
    assert all(c.data_type == "s" for c in texts)
    wanted = {x.replace("\r", "\n") for x in INJECTIONS}  # XML reads a CR back as a line feed
    hostile = [c for c in texts if c.value in wanted]
    assert {c.value for c in hostile} == wanted  # the text itself, unchanged, shown as typed
    assert all(c.quotePrefix for c in hostile)
    assert all(isinstance(c.value, (int, float)) for c in cells if c.column == TEMPLATE_COLUMNS.index("year") + 1
               and c.row > 1)


@pytest.mark.parametrize("text", INJECTIONS[:3])
@pytest.mark.parametrize("column", ["source_title", "note"])
def test_import_refuses_formula_text(setup, text, column):
    inputs, tpl, s = setup
    _fill(tpl, {(BEDS, 2017): {"value": "4.3", "source_title": "synthetic", column: text}})
    before = s.read_bytes()
    with pytest.raises(ValidationError) as info:
        import_template(tpl, s, inputs.targets, plan=inputs.meta)
    [p] = info.value.problems
    assert (p.file, p.line, p.column) == (str(tpl), _line_of(tpl, BEDS, 2017), column)
    assert "looks like a spreadsheet formula" in p.message
    assert s.read_bytes() == before


def test_import_reads_back_neutralised_cells_as_written(setup):
    """A template cell written as '-... (neutralised) is read back without the apostrophe."""
    inputs, tpl, s = setup
    _fill(tpl, {(BEDS, 2017): {"value": "4.3", "source_title": "synthetic", "note": "'- see page 3"}})
    import_template(tpl, s, inputs.targets, plan=inputs.meta)
    stats = load.load_statistics(s)
    assert stats.loc[(stats["indicator_id"] == BEDS) & (stats["year"] == 2017), "note"].item() == "- see page 3"


# ------------------------------------------------------------- Excel numbers as Excel means them (14.4)

REIMB = "social_security.reimbursement"  # unit %


@pytest.fixture
def xlsx_setup(tmp_path):
    return _template_of_synthetic_inputs(tmp_path, "fill_me.xlsx")


def _xlsx_row(ws, indicator, year):
    col = {c.value: c.column for c in ws[1]}
    row = next(r for r in range(2, ws.max_row + 1)
               if ws.cell(r, col["indicator_id"]).value == indicator and ws.cell(r, col["year"]).value == year)
    return row, col


def _fill_xlsx(tpl, indicator, year, value, number_format=None, sheet="template"):
    wb = openpyxl.load_workbook(tpl)
    ws = wb[sheet]
    row, col = _xlsx_row(ws, indicator, year)
    cell = ws.cell(row, col["value"])
    cell.value = value
    if number_format:
        cell.number_format = number_format
    ws.cell(row, col["source_title"]).value = "synthetic source"
    wb.save(tpl)
    return row, cell.coordinate


def test_excel_percent_cell_in_a_percent_target_is_multiplied_by_100(xlsx_setup, capsys):
    inputs, tpl, s = xlsx_setup
    row, coord = _fill_xlsx(tpl, REIMB, 2019, 0.85, "0%")  # what Excel stores when one types 85%
    argv = ["import", str(tpl), "--targets", str(s.parent / "targets.csv"), "--statistics", str(s)]
    assert main(argv + ["--dry-run"]) == 0
    out = capsys.readouterr().out
    assert f"template line {row} (cell {coord} of sheet 'template'): Excel percent cell 0.85 read as 85 %" in out
    assert f"  + {REIMB} fuyang 2019: 85 % " in out
    assert main(argv) == 0
    capsys.readouterr()
    stats = load.load_statistics(s)
    assert stats.loc[(stats["indicator_id"] == REIMB) & (stats["year"] == 2019), "value"].item() == 85.0


def test_excel_percent_cell_in_another_unit_is_refused(xlsx_setup, capsys):
    inputs, tpl, s = xlsx_setup
    row, coord = _fill_xlsx(tpl, BEDS, 2019, 0.85, "0.0%")
    before = s.read_bytes()
    assert main(["import", str(tpl), "--targets", str(s.parent / "targets.csv"), "--statistics", str(s)]) == 2
    err = capsys.readouterr().err
    assert (f"{tpl}:{row}: column 'value': cell {coord} of sheet 'template' is formatted as a percentage: "
            f"Excel stores 0.85 and shows 85%, but the unit of '{BEDS}' is '{BEDS_UNIT}', not %") in err
    assert s.read_bytes() == before and "Traceback" not in err


def test_formula_cell_without_a_saved_value_is_an_error_naming_the_cell(xlsx_setup):
    inputs, tpl, s = xlsx_setup
    row, coord = _fill_xlsx(tpl, BEDS, 2019, "=4+1")  # openpyxl saves no calculated value
    before = s.read_bytes()
    with pytest.raises(ValidationError) as info:
        import_template(tpl, s, inputs.targets, plan=inputs.meta)
    [p] = info.value.problems
    assert (p.file, p.line, p.column) == (str(tpl), row, "value")
    assert f"cell {coord} of sheet 'template' holds the formula =4+1 but no saved value" in p.message
    assert s.read_bytes() == before


def test_extra_first_sheet_the_template_sheet_is_read_and_named(xlsx_setup):
    inputs, tpl, s = xlsx_setup
    _fill_xlsx(tpl, BEDS, 2019, 5.1)
    wb = openpyxl.load_workbook(tpl)
    wb.create_sheet("my notes", 0)["A1"] = "synthetic scratch sheet"
    wb.save(tpl)
    report = import_template(tpl, s, inputs.targets, plan=inputs.meta)
    assert report.added["value"].tolist() == [5.1]
    assert report.lines()[0] == f"read sheet 'template' of {tpl} (sheets: 'my notes', 'template', 'readme')"


def test_renamed_sheets_the_sheet_with_the_columns_is_read(xlsx_setup):
    inputs, tpl, s = xlsx_setup
    _fill_xlsx(tpl, BEDS, 2019, 5.1)
    wb = openpyxl.load_workbook(tpl)
    wb["template"].title = "Sheet2"
    wb.create_sheet("Sheet1", 0)["A1"] = "synthetic"
    wb.save(tpl)
    report = import_template(tpl, s, inputs.targets, plan=inputs.meta)
    assert report.added["value"].tolist() == [5.1] and "read sheet 'Sheet2'" in report.lines()[0]

    wb = openpyxl.load_workbook(tpl)
    wb["Sheet2"].cell(1, TEMPLATE_COLUMNS.index("indicator_id") + 1).value = "indicator"  # no sheet has them all now
    wb.save(tpl)
    with pytest.raises(ValidationError) as info:
        import_template(tpl, s, inputs.targets, plan=inputs.meta)
    messages = [p.message for p in info.value.problems]
    assert any(m.startswith("required column 'indicator_id' is missing in sheet 'Sheet1';")
               and "the workbook has the sheets 'Sheet1', 'Sheet2', 'readme'; sheet 'Sheet1' was read" in m
               for m in messages), messages


def test_a_rate_ratio_target_gets_its_reference_rows_in_its_value_unit():
    """The shipped 14th FYP plan: labour productivity growth (I02) is scored as a ratio to GDP
    growth; its template rows and the reference series' rows ask for yearly % changes."""
    from helpers.data.template import build_template

    plan = load.load_plan("china_fyp14")
    tpl = build_template(plan.targets, plan.statistics, "china")
    own = tpl[tpl["indicator_id"] == "I02"]
    ref = tpl[tpl["indicator_id"] == "gdp_growth"]
    assert set(own["unit"]) == {"% over previous year"}
    assert len(ref) == 6 and set(ref["kind"]) == {"reference"} and set(ref["unit"]) == {"% over previous year"}


# ---- issue 23 D12: which sheet; D13: limits of a workbook

def test_a_hidden_template_sheet_is_not_read_the_visible_filled_copy_is(xlsx_setup):
    inputs, tpl, s = xlsx_setup
    wb = openpyxl.load_workbook(tpl)
    copy = wb.copy_worksheet(wb["template"])
    copy.title = "template (2)"
    wb["template"].sheet_state = "hidden"
    wb.save(tpl)
    _fill_xlsx(tpl, BEDS, 2019, 5.1, sheet="template (2)")
    report = import_template(tpl, s, inputs.targets, plan=inputs.meta)
    assert report.added["value"].tolist() == [5.1]
    assert report.lines()[0].startswith(f"read sheet 'template (2)' of {tpl}")


def test_two_visible_sheets_with_the_template_columns_are_refused(xlsx_setup, capsys):
    inputs, tpl, s = xlsx_setup
    wb = openpyxl.load_workbook(tpl)
    wb.copy_worksheet(wb["template"]).title = "template (2)"
    wb.save(tpl)
    _fill_xlsx(tpl, BEDS, 2019, 5.1, sheet="template (2)")
    before = s.read_bytes()
    assert main(["import", str(tpl), "--targets", str(s.parent / "targets.csv"), "--statistics", str(s)]) == 2
    err = capsys.readouterr().err
    assert (f"{tpl}: several visible sheets have the template's columns ('template', 'template (2)'); "
            "it is not clear which one to read") in err
    assert s.read_bytes() == before and "Traceback" not in err


def _refused(tpl, s, inputs, text):
    before = s.read_bytes()
    with pytest.raises(ValidationError) as info:
        import_template(tpl, s, inputs.targets, plan=inputs.meta)
    messages = [p.message for p in info.value.problems]
    assert any(text in m and "save the sheet as 'CSV UTF-8'" in m for m in messages), messages
    assert s.read_bytes() == before
    return info.value.problems


def test_a_workbook_that_unpacks_beyond_the_limit_is_refused_before_parsing(xlsx_setup, monkeypatch):
    """A small file can hold a huge XML comment in a sheet (openpyxl parses it at ~1 MB/s): the
    unpacked size the zip declares is checked first. The limit is lowered for a fast test."""
    import zipfile

    from helpers.data import workbook

    inputs, tpl, s = xlsx_setup
    with zipfile.ZipFile(tpl) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = parts[sheet].replace(b"<sheetData>", b"<!--" + b"x" * 3_000_000 + b"--><sheetData>", 1)
    with zipfile.ZipFile(tpl, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    assert tpl.stat().st_size < 100_000
    monkeypatch.setattr(workbook, "MAX_XLSX_BYTES", 2_000_000)

    def no_parse(*a, **k):
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(openpyxl, "load_workbook", no_parse)
    _refused(tpl, s, inputs, "the workbook unpacks to 3,")


def test_a_sheet_reaching_far_down_or_right_is_refused_at_the_limit(xlsx_setup):
    from helpers.data import workbook

    inputs, tpl, s = xlsx_setup
    wb = openpyxl.load_workbook(tpl)
    wb["template"].cell(1_048_576, 1).value = "synthetic last row"
    wb.save(tpl)
    [p] = _refused(tpl, s, inputs, f"sheet 'template' has more than {workbook.MAX_XLSX_ROWS:,} rows")
    assert p.line == workbook.MAX_XLSX_ROWS + 1

    wb = openpyxl.load_workbook(tpl)
    ws = wb["template"]
    ws.delete_rows(1_048_576)
    ws.cell(2, 16_384).value = "synthetic far right"
    wb.save(tpl)
    _refused(tpl, s, inputs, f"has a value beyond column {workbook.MAX_XLSX_COLUMNS}")


def test_a_declared_size_of_the_whole_sheet_does_not_pad_every_row(xlsx_setup):
    """A sheet whose <dimension> claims A1:XFD1048576 (some programs write it) is read by its cells."""
    import zipfile

    inputs, tpl, s = xlsx_setup
    _fill_xlsx(tpl, BEDS, 2019, 5.1)
    with zipfile.ZipFile(tpl) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    sheet = "xl/worksheets/sheet1.xml"
    import re
    parts[sheet] = re.sub(rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1:XFD1048576"/>', parts[sheet], count=1)
    assert b"XFD1048576" in parts[sheet]
    with zipfile.ZipFile(tpl, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    report = import_template(tpl, s, inputs.targets, plan=inputs.meta)
    assert report.added["value"].tolist() == [5.1]


# ---- issue 23 D5, D9: the statistics file keeps its link, its byte-order mark and its line ends

FILLED = {(BEDS, 2017): {"value": "4.3", "source_title": "synthetic bulletin"}}


def test_a_symlinked_statistics_file_is_updated_through_the_link(setup, tmp_path, monkeypatch):
    from helpers.data import locks

    inputs, tpl, s = setup
    shared = tmp_path / "shared"
    shared.mkdir()
    real = shared / "statistics.csv"
    s.rename(real)
    s.symlink_to(real)
    _fill(tpl, FILLED)
    seen = []
    real_lock = locks.data_lock

    def spy(path, **kw):
        seen.append(locks.data_lock_path(path))
        return real_lock(path, **kw)

    monkeypatch.setattr(locks, "data_lock", spy)
    report = import_template(tpl, s, inputs.targets, plan=inputs.meta)
    assert report.written
    assert s.is_symlink() and os.readlink(s) == str(real)  # still the link
    assert "health.beds_per_1000,fuyang,2017,4.3," in real.read_text(encoding="utf-8")  # the real file updated
    assert seen == [shared / ".helpers-data.lock"]  # the lock beside the file written
    assert sorted(p.name for p in shared.iterdir()) == [".helpers-data.lock", "statistics.csv"]


def test_an_excel_saved_statistics_file_keeps_its_bom_and_crlf(setup):
    inputs, tpl, s = setup
    lines = s.read_bytes().split(b"\n")
    s.write_bytes(b"\xef\xbb\xbf" + b"\r\n".join(lines[:-1]) + b"\r\n")
    before = s.read_bytes().split(b"\r\n")
    _fill(tpl, FILLED)
    assert import_template(tpl, s, inputs.targets, plan=inputs.meta).written
    data = s.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.endswith(b"\r\n")
    assert data.count(b"\n") == data.count(b"\r\n") == len(before)  # one row more, every line CRLF
    after = data.split(b"\r\n")
    assert set(before) <= set(after)  # no stored line changed


def test_a_plain_statistics_file_stays_plain(setup):
    inputs, tpl, s = setup
    _fill(tpl, FILLED)
    assert import_template(tpl, s, inputs.targets, plan=inputs.meta).written
    data = s.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data


# --- the template names its plan (issue 24) --------------------------------------------------------------------

def test_template_names_its_plan_in_a_column_and_the_readme(tmp_path):
    """The readme gives the full import command with --plan; the ``plan`` column is read back."""
    from helpers.data.template import template_plan

    t, s = syn.write_inputs(tmp_path / "raw")
    inputs = load.load_inputs(t, s)
    xlsx, csv_ = tmp_path / "fill_me.xlsx", tmp_path / "fill_me.csv"
    for out in (xlsx, csv_):
        write_template(out, inputs.targets, inputs.statistics, inputs.meta, plan_name="synthplan",
                       plan_args="--plan synthplan")
    readme = [r[0] for r in openpyxl.load_workbook(xlsx)["readme"].iter_rows(values_only=True)]
    assert "Plan: synthplan" in readme and "计划: synthplan" in readme
    assert "Import: python -m helpers import THIS_FILE --plan synthplan [--dry-run] [--replace]" in readme
    header, rows = _rows(csv_)
    assert header[0] == "plan" and {r["plan"] for r in rows} == {"synthplan"}
    assert template_plan(csv_) == "synthplan" and template_plan(xlsx) == "synthplan"


def test_an_unknown_id_names_the_plan_it_was_checked_against(tmp_path):
    inputs, tpl, s = _template_of_synthetic_inputs(tmp_path, "fill_me.csv")
    header, rows = _rows(tpl)
    rows[0].update(indicator_id="H01", value="1", source_title="synthetic")
    import csv as _csv
    with tpl.open("w", encoding="utf-8-sig", newline="") as f:
        w = _csv.DictWriter(f, fieldnames=header)
        w.writeheader()
        w.writerows(rows)
    with pytest.raises(ValidationError, match="'H01' is not a target id of plan synthplan"):
        import_template(tpl, s, inputs.targets, plan=inputs.meta, plan_name="synthplan")


def test_import_without_plan_reads_the_plan_from_the_template(tmp_path, capsys):
    """A template of a shipped plan other than the default is checked against its own plan."""
    from helpers import paths

    other = next(p for p in ("fuyang", "china_fyp14") if p != paths.DEFAULT_PLAN)
    out = tmp_path / "tpl.csv"
    assert main(["template", "--plan", other, "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["import", str(out), "--dry-run"]) == 0
    captured = capsys.readouterr()
    assert f"plan {other} (named in the template" in captured.err
    assert f"data/raw/{other}/statistics.csv" in captured.out.replace("\\", "/")


def test_an_annual_ceiling_reads_as_that_years_level_not_a_flow():
    """Issue 24: unemployment <= 5.5 every year (kind annual) read "that year's flow"."""
    from helpers.data.template import build_template

    plan = load.load_plan("china_fyp14")
    frame = build_template(plan.targets, plan.statistics, "china")
    unemployment = frame.loc[frame["indicator_id"] == "I08", "value_meaning"].unique().tolist()
    assert unemployment == ["该年的水平值(每年都须在目标范围内，如上限) / "
                            "that year's level (each year must stay within the target, e.g. under the ceiling)"]
    assert "flow" not in unemployment[0]
