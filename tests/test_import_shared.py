"""scripts/import_shared_compilation.py on SYNTHETIC tiny compilations in tmp_path: the mapping,
atomic output, re-runs that keep researchers' rows, conflicts, --replace and --dry-run.

Series ids and geos are the script's real mapping keys (H01/china, H03/china, E12/china, ...);
every value, title, URL and note is invented, except the value and source URL of the two rows the
re-dating/moving rules (ROW_RULES) are written for. The last test reads the real shared compilations,
when they are beside the project, and checks the corrected rows, the round-2 rows, the context
series' labels (series_labels.csv) and that the shipped files are what the script produces."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

import synthetic_inputs as syn
from import_scripts import labels_file, load_script
from helpers.data import load
from helpers.exceptions import ImportConflictError, ValidationError
from helpers.data.template import import_template, write_template

ROOT = Path(__file__).resolve().parents[1]
isc = load_script("import_shared_compilation")

COMPILED_HEADER = ["series_id", "measures", "geo", "year", "value", "unit", "kind", "scope_note", "source_title",
                   "source_url", "locator", "note"]
#: The stored layout: ``source_quality`` after ``source_url`` (example.org is listed in no rule: a copy).
STAT_HEADER = "indicator_id,geo,year,value,unit,source_title,source_url,source_quality,note\n"
BEDS_NOTE = ("Benchmark (national); per 1,000 population, relabelled to the target's unit. Compiled as H01 "
             "(synthetic scope); where on the page: synthetic locator. Source note: synthetic note")
BEDS_LINE = f'health.beds_per_1000,china,2018,6.1,beds per 1000 residents,synthetic title,https://example.org/h01,mirror,"{BEDS_NOTE}"\n'
INCOME_LINE = ("ref.income_per_capita,china,2016,23000,yuan per person,synthetic title,https://example.org/e12,mirror,"
               "Reference series of employment.income_vs_national. Compiled as E12 (synthetic scope); where on the "
               "page: synthetic locator. Source note: synthetic note\n")


def _c(series, geo, year, value, unit="x", kind="level", url=None):
    return {"series_id": series, "measures": "synthetic", "geo": geo, "year": str(year), "value": str(value),
            "unit": unit, "kind": kind, "scope_note": "synthetic scope", "source_title": "synthetic title",
            "source_url": url or f"https://example.org/{series.lower()}", "locator": "synthetic locator",
            "note": "synthetic note"}


def compiled_rows() -> list[dict]:
    return [
        _c("H01", "china", 2018, 6.1),
        _c("E12", "china", 2016, 23000),
        _c("E12_urban", "china", 2016, 33000),        # excluded: listed reason
        _c("V01", "fuyang", 2014, 50.5),               # excluded: before the baseline year
        _c("ZZ_synthetic", "fuyang", 2018, 1),         # excluded: no mapping
    ]


def write_compiled(folder: Path, rows: list[dict] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "statistics_compiled.csv"
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COMPILED_HEADER, lineterminator="\r\n")  # the shared file has CRLF
    w.writeheader()
    w.writerows(compiled_rows() if rows is None else rows)
    path.write_text(buf.getvalue(), encoding="utf-8", newline="")
    return path


@pytest.fixture
def files(tmp_path):
    compiled = write_compiled(tmp_path / "shared")
    raw = tmp_path / "raw"
    raw.mkdir()
    return compiled, raw / "statistics.csv", raw / "excluded_rows.csv"


def _label_columns(text: str, cells: dict[int, str] | None = None) -> str:
    """``text`` (a statistics file, one line per row) with the label columns added: the header
    gains ``label_zh,label_en``, row ``i`` (1 = the first row) the cells ``cells[i]``, others empty."""
    lines = text.splitlines()
    out = [lines[0] + "," + ",".join(isc.common.LABEL_COLUMNS)]
    out += [line + "," + (cells or {}).get(i, ",") for i, line in enumerate(lines[1:], start=1)]
    return "\n".join(out) + "\n"


def _run(files, capsys, **kw):
    m = isc.run(*files, **kw)
    out = capsys.readouterr()
    return m, out.out, out.err


def test_first_run_writes_mapped_and_excluded_rows(files, capsys):
    compiled, stats, excluded = files
    _, out, err = _run(files, capsys)
    assert stats.read_text(encoding="utf-8") == STAT_HEADER + BEDS_LINE + INCOME_LINE  # sorted by indicator_id
    assert excluded.read_text(encoding="utf-8") == (
        "series_id,geo,year,value,unit,reason,source_url\n"
        f"E12_urban,china,2016,33000,x,{isc.EXCLUDE_REASONS[('E12_urban', 'china')]},https://example.org/e12_urban\n"
        f'V01,fuyang,2014,50.5,x,"{isc.PRE_BASELINE_REASON}",https://example.org/v01\n'  # the reason has a comma
        "ZZ_synthetic,fuyang,2018,1,x,No mapping defined.,https://example.org/zz_synthetic\n")
    assert "2 added, 0 updated, 0 replaced, 0 unchanged, 0 other row(s) kept -> 2 rows (written)" in out
    assert "5 compiled rows: 2 mapped, 3 excluded" in err


def test_conversion_and_split_series(tmp_path):
    rows = [_c("H03", "china", 2017, 62.5), _c("C02", "fuyang", 2018, 97, unit="%"),
            _c("C02", "fuyang", 2018, 3000, unit="village centres"), _c("V02", "fuyang", 2019, 40, kind="annual"),
            _c("V02", "fuyang", 2019, 300, kind="cumulative")]
    out, excluded = isc.build(isc.read_compiled(write_compiled(tmp_path, rows)))
    got = {(r["indicator_id"], r["year"]): (r["value"], r["unit"]) for r in out}
    assert got == {
        ("health.public_health_staff_per_1000:specialised_institutions", 2017): ("6.25", "persons per 1000 residents"),
        ("culture.four_tier_facility_coverage:village_tier_share", 2018): ("97", "%"),
        ("culture.four_tier_facility_coverage:village_centres", 2018): ("3000", "centres"),
        ("poverty.poor_villages_exited:exited_in_year", 2019): ("40", "villages"),
        ("poverty.poor_villages_exited", 2019): ("300", "villages"),
    }
    assert excluded == []


def test_rerun_keeps_researcher_rows_and_does_not_rewrite(files, capsys):
    compiled, stats, excluded = files
    researcher = ("health.beds_per_1000,fuyang,2019,4.8,beds per 1000 residents,synthetic yearbook,"
                  "https://example.org/yb,media,\"entered by hand, synthetic\"\n")
    stats.write_text(STAT_HEADER + BEDS_LINE + researcher + INCOME_LINE, encoding="utf-8")
    before = stats.stat().st_mtime_ns
    _, out, _ = _run(files, capsys)
    assert stats.read_text(encoding="utf-8") == STAT_HEADER + BEDS_LINE + researcher + INCOME_LINE
    assert stats.stat().st_mtime_ns == before  # same content: not rewritten
    assert "0 added, 0 updated, 0 replaced, 2 unchanged, 1 other row(s) kept -> 3 rows (unchanged)" in out
    assert "  = health.beds_per_1000, geo fuyang, 2019: kept (line 3, not from the compilation)\n" in out


def test_new_compiled_row_is_added_between_kept_rows(files, capsys):
    compiled, stats, excluded = files
    researcher = "health.beds_per_1000,fuyang,2019,4.8,beds per 1000 residents,synthetic yearbook,,,\n"
    stats.write_text(STAT_HEADER + researcher, encoding="utf-8")
    _, out, _ = _run(files, capsys)
    assert stats.read_text(encoding="utf-8") == STAT_HEADER + BEDS_LINE + researcher + INCOME_LINE
    assert "  + health.beds_per_1000, geo china, 2018: 6.1 beds per 1000 residents (H01)" in out


@pytest.mark.parametrize("column, cell", [("value", "6.3"), ("unit", "beds"), ("source_title", "other synthetic"),
                                          ("source_url", "https://example.org/other")])
def test_conflict_stops_naming_the_key_and_writes_nothing(files, capsys, column, cell):
    compiled, stats, excluded = files
    row = dict(zip(STAT_HEADER.strip().split(","), next(csv.reader([BEDS_LINE]))))
    row[column] = cell
    old_text = STAT_HEADER + syn.csv_text([row], list(row))[len(STAT_HEADER):] + INCOME_LINE
    stats.write_text(old_text, encoding="utf-8")
    with pytest.raises(ImportConflictError) as exc:
        isc.run(*files)
    msg = str(exc.value)
    assert "health.beds_per_1000, geo china, 2018" in msg
    assert f"{stats} line 2 differs from the compilation (H01, {compiled} line 2): {column} {cell!r} -> " in msg
    assert "--replace" in msg
    assert stats.read_text(encoding="utf-8") == old_text
    assert not excluded.exists()  # checks come before any write


def test_replace_overwrites_the_conflicting_row(files, capsys):
    compiled, stats, excluded = files
    stats.write_text(STAT_HEADER + BEDS_LINE.replace(",6.1,", ",6.3,") + INCOME_LINE, encoding="utf-8")
    m, out, _ = _run(files, capsys, replace=True)
    assert stats.read_text(encoding="utf-8") == STAT_HEADER + BEDS_LINE + INCOME_LINE
    assert len(m.replaced) == 1
    assert "  ! health.beds_per_1000, geo china, 2018: replaced (value '6.3' -> '6.1')" in out


def test_note_only_or_number_spelling_difference_is_an_update(files, capsys):
    compiled, stats, excluded = files
    stats.write_text(STAT_HEADER + BEDS_LINE.replace(",6.1,", ",6.10,") + INCOME_LINE.replace("synthetic note", "old"),
                     encoding="utf-8")
    m, out, _ = _run(files, capsys)
    assert stats.read_text(encoding="utf-8") == STAT_HEADER + BEDS_LINE + INCOME_LINE
    assert (len(m.updated), len(m.replaced), m.unchanged) == (2, 0, 0)
    assert "  ~ health.beds_per_1000, geo china, 2018: value refreshed from the compilation" in out
    assert "  ~ ref.income_per_capita, geo china, 2016: note refreshed from the compilation" in out


def test_dry_run_prints_changes_and_writes_nothing(files, capsys):
    compiled, stats, excluded = files
    old_text = STAT_HEADER + "health.beds_per_1000,fuyang,2019,4.8,beds per 1000 residents,synthetic yearbook,,,\n"
    stats.write_text(old_text, encoding="utf-8")
    _, out, _ = _run(files, capsys, dry_run=True)
    assert stats.read_text(encoding="utf-8") == old_text
    assert not excluded.exists()
    assert "2 added, 0 updated, 0 replaced, 0 unchanged, 1 other row(s) kept -> 3 rows (would be written)" in out
    assert f"{excluded}: 3 rows (would be written)" in out
    assert out.rstrip().endswith("dry run: nothing written")


def test_kept_row_from_an_earlier_compilation_is_flagged(files, capsys):
    compiled, stats, excluded = files
    stale = BEDS_LINE.replace(",2018,", ",2017,")
    stats.write_text(STAT_HEADER + stale, encoding="utf-8")
    _, out, _ = _run(files, capsys)
    assert stats.read_text(encoding="utf-8") == STAT_HEADER + stale + BEDS_LINE + INCOME_LINE
    assert "health.beds_per_1000, geo china, 2017: kept (line 2, not from the compilation) -- its note says it came " \
           "from the compilation" in out


def test_extra_columns_of_the_stored_file_are_kept(files, capsys):
    compiled, stats, excluded = files
    stats.write_text(STAT_HEADER.rstrip("\n") + ",checked_by\n" + BEDS_LINE.rstrip("\n") + ",synthetic person\n",
                     encoding="utf-8")
    _run(files, capsys)
    assert stats.read_text(encoding="utf-8") == (STAT_HEADER.rstrip("\n") + ",checked_by\n"
                                                 + BEDS_LINE.rstrip("\n") + ",synthetic person\n"
                                                 + INCOME_LINE.rstrip("\n") + ",\n")


STAFF_ID = "health.public_health_staff_per_1000:specialised_institutions"


def test_labels_go_to_the_context_series_rows_and_a_rerun_is_byte_identical(files, tmp_path, capsys):
    compiled, stats, excluded = files
    write_compiled(compiled.parent, compiled_rows() + [_c("H03", "china", 2017, 62.5)])  # a context series
    researcher = (f"{STAFF_ID},china,2018,6.4,persons per 1000 residents,synthetic yearbook,"
                  "https://example.org/yb,media,typed in\n")
    stats.write_text(STAT_HEADER + researcher, encoding="utf-8")  # a stored file without label columns
    labels = labels_file(tmp_path, [(STAFF_ID, "专业公共卫生机构人员", "Specialised institutions' staff")])
    _, out, _ = _run(files, capsys, labels_path=labels)
    lines = stats.read_text(encoding="utf-8").splitlines()
    assert lines[0] == STAT_HEADER.rstrip("\n") + ",label_zh,label_en"
    assert lines[1] == BEDS_LINE.rstrip("\n") + ",,"                      # not a context series: no label
    assert lines[2].startswith(f"{STAFF_ID},china,2017,6.25,")
    assert lines[2].endswith(",专业公共卫生机构人员,Specialised institutions' staff")
    assert lines[3] == researcher.rstrip("\n") + ",,"                     # a researcher's row: kept as it was
    assert f"{labels}: labels of 1 context series" in out
    before = stats.read_bytes()
    _, out, _ = _run(files, capsys, labels_path=labels)
    assert stats.read_bytes() == before and "(unchanged)" in out
    # a changed label is an update like a note (never a conflict); --dry-run writes nothing
    relabelled = labels_file(tmp_path, [(STAFF_ID, "专业公共卫生机构人员数", "Staff of specialised institutions")])
    _, out, _ = _run(files, capsys, labels_path=relabelled, dry_run=True)
    assert f"  ~ {STAFF_ID}, geo china, 2017: label_zh, label_en refreshed" in out and stats.read_bytes() == before
    m, _, _ = _run(files, capsys, labels_path=relabelled)
    assert len(m.updated) == 1 and not m.replaced
    assert ",专业公共卫生机构人员数,Staff of specialised institutions\n" in stats.read_text(encoding="utf-8")
    # without a labels file the stored labels are kept
    after = stats.read_bytes()
    _run(files, capsys)
    assert stats.read_bytes() == after


@pytest.mark.parametrize("rows, message", [
    ([], f"no label for the context series {STAFF_ID}"),
    ([(STAFF_ID, "专业公共卫生机构人员", "")], "needs a label_en"),
    ([(STAFF_ID.split(":")[0], "公共卫生人员", "Public-health staff")], "not a context series"),
    ([(STAFF_ID, "甲", "A"), (STAFF_ID, "乙", "B")], "labelled twice"),
])
def test_a_context_series_without_both_labels_stops_the_run(files, tmp_path, rows, message):
    compiled, stats, excluded = files
    write_compiled(compiled.parent, compiled_rows() + [_c("H03", "china", 2017, 62.5)])
    with pytest.raises(ValidationError, match=message):
        isc.run(compiled, stats, excluded, labels_path=labels_file(tmp_path, rows))
    assert not stats.exists() and not excluded.exists()


def test_bad_compiled_cells_name_file_line_and_column(tmp_path):
    rows = compiled_rows()
    rows[1]["value"] = "about 5"
    rows[3]["year"] = "2014年"
    path = write_compiled(tmp_path, rows)
    with pytest.raises(ValidationError) as exc:
        isc.read_compiled(path)
    assert [str(p) for p in exc.value.problems] == [
        f"{path}:3: column 'value': 'about 5' is not a number",
        f"{path}:5: column 'year': '2014年' is not a whole number",
    ]


def test_bad_stored_statistics_are_refused_before_writing(files):
    compiled, stats, excluded = files
    text = STAT_HEADER + INCOME_LINE + INCOME_LINE.replace(",23000,", ",1,") + "x.y,fuyang,later,1,u,t,,,\n"
    stats.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError) as exc:
        isc.run(*files)
    assert [str(p) for p in exc.value.problems] == [
        f"{stats}:3: ref.income_per_capita, geo china, 2016 is repeated (first on line 2)",
        f"{stats}:4: column 'year': 'later' is not a whole number",
    ]
    assert stats.read_text(encoding="utf-8") == text and not excluded.exists()


def test_ragged_or_non_utf8_statistics_are_refused(files):
    compiled, stats, excluded = files
    stats.write_text(STAT_HEADER + "x.y,fuyang,2018,1,u\n" + INCOME_LINE.rstrip("\n") + ",extra\n", encoding="utf-8")
    with pytest.raises(ValidationError) as exc:
        isc.run(*files)
    assert [str(p) for p in exc.value.problems] == [f"{stats}:2: 5 cells but the header has 9",
                                                    f"{stats}:3: 10 cells but the header has 9"]
    stats.write_bytes(STAT_HEADER.encode() + "x.y,阜阳,2018,1,u,t,,\n".encode("gb18030"))
    with pytest.raises(ValidationError, match="statistics.csv: not UTF-8 text; save it as CSV UTF-8"):
        isc.run(*files)
    assert not excluded.exists()


def test_two_compiled_rows_on_one_key_are_a_mapping_error(tmp_path):
    path = write_compiled(tmp_path, [_c("H01", "china", 2018, 6.1), _c("H01", "china", 2018, 6.2)])
    with pytest.raises(ValidationError, match=r":3: maps to health.beds_per_1000, geo china, 2018 like line 2"):
        isc.build(isc.read_compiled(path), str(path))


def test_cli_conflict_exit_code_and_message(files, capsys):
    compiled, stats, excluded = files
    stats.write_text(STAT_HEADER + BEDS_LINE.replace(",6.1,", ",6.3,"), encoding="utf-8")
    args = ["--compiled", str(compiled), "--statistics", str(stats), "--excluded", str(excluded)]
    assert isc.main(args) == 2
    assert "health.beds_per_1000, geo china, 2018" in capsys.readouterr().err
    assert isc.main(args + ["--dry-run", "--replace"]) == 0
    assert ",6.3," in stats.read_text(encoding="utf-8")
    assert isc.main(args + ["--replace"]) == 0
    # the command line reads the plan's labels file, so the label columns are added (empty here:
    # these rows are no context series)
    assert stats.read_text(encoding="utf-8") == _label_columns(STAT_HEADER + BEDS_LINE + INCOME_LINE)


def test_rows_added_with_helpers_import_survive_a_rerun(files, tmp_path, capsys):
    """Round trip with the real template import: compile, import a researcher's value, re-run."""
    compiled, stats, excluded = files
    targets_path, _ = syn.write_inputs(tmp_path / "raw", stats_rows=[])
    isc.run(*files)
    inputs = load.load_inputs(targets_path, stats)
    tpl = tmp_path / "fill.csv"
    write_template(tpl, inputs.targets, inputs.statistics, inputs.meta)
    syn.fill_template(tpl, {("health.beds_per_1000", 2019): {"value": "4.8", "source_title": "synthetic yearbook"}})
    report = import_template(tpl, stats, inputs.targets, plan=inputs.meta)
    assert len(report.added) == 1
    after_import = stats.read_bytes()
    assert b"health.beds_per_1000,fuyang,2019,4.8," in after_import
    capsys.readouterr()
    _, out, _ = _run(files, capsys)
    assert stats.read_bytes() == after_import
    assert "2 unchanged, 1 other row(s) kept -> 3 rows (unchanged)" in out


def test_a_merged_table_that_helpers_validate_would_reject_is_not_written(files, capsys):
    """A kept researcher row with a padded id duplicates a produced key once ids are trimmed:
    the merged table fails validation, so nothing is written and the message names the file."""
    compiled, stats, excluded = files
    padded = BEDS_LINE.replace("health.beds_per_1000,", " health.beds_per_1000,", 1)
    stats.write_text(STAT_HEADER + padded, encoding="utf-8")
    before = stats.read_bytes()
    with pytest.raises(ValidationError) as exc:
        isc.run(compiled, stats, excluded)
    assert f"{stats} (as merged)" in str(exc.value)
    assert stats.read_bytes() == before and not excluded.exists()


# --- rules that re-date or move a row (ROW_RULES) ------------------------------------------------
# The two rules are written for one compiled row each, so these rows carry the rule's real value and
# source URL (everything else is synthetic).
POVERTY_URL = "http://hefei.baogaosu.com/xinwen/%E5%B8%82%E8%AE%A1%E5%88%92%E5%AE%9E%E7%8E%B0/63802464/"
WATER_URL = "http://c-water.com.cn/detail.aspx?id=33852&itemid=1"


def test_rules_redate_the_poverty_headcount_and_move_the_water_bodies(tmp_path):
    rows = [_c("V01", "fuyang", 2017, 50.9797, url=POVERTY_URL), _c("G09", "fuyang", 2016, 22, url=WATER_URL),
            _c("V01", "fuyang", 2019, 2.47), _c("G09", "fuyang", 2019, 5)]  # no rule: mapped by MAP alone
    out, excluded = isc.build(isc.read_compiled(write_compiled(tmp_path, rows)))
    got = {(r["indicator_id"], r["geo"], r["year"]): (r["value"], r["unit"], r["_moved_from"]) for r in out}
    assert got == {
        ("poverty.rural_poor_population", "fuyang", 2016): ("50.9797", "10k persons",
                                                            ("poverty.rural_poor_population", "fuyang", 2017)),
        ("ecology.black_odorous_water_bodies:put_into_remediation", "fuyang", 2016): (
            "22", "water bodies", ("ecology.black_odorous_water_bodies", "fuyang", 2016)),
        ("poverty.rural_poor_population", "fuyang", 2019): ("2.47", "10k persons", None),
        ("ecology.black_odorous_water_bodies", "fuyang", 2019): ("5", "water bodies", None),
    }
    notes = {r["indicator_id"] + str(r["year"]): r["note"] for r in out}
    assert notes["poverty.rural_poor_population2016"].startswith(
        "Same measure (建档立卡 poor not yet lifted out). Re-dated from 2017 to 2016: ")
    assert "347 = 516 - 169" in notes["poverty.rural_poor_population2016"]
    assert "end-2016, not end-2017" in notes["poverty.rural_poor_population2016"]
    assert notes["ecology.black_odorous_water_bodies:put_into_remediation2016"].startswith(
        "Context only: the number of bodies put into remediation when the work began in 2016, not a year-end "
        "count of bodies still untreated")
    assert " Compiled as G09 (synthetic scope); where on the page: synthetic locator." in \
        notes["ecology.black_odorous_water_bodies:put_into_remediation2016"]
    assert excluded == []


def test_a_rule_whose_row_changed_in_the_compilation_stops_the_run(tmp_path):
    path = write_compiled(tmp_path, [_c("V01", "fuyang", 2017, 48.1, url=POVERTY_URL)])
    with pytest.raises(ValidationError, match=r":2: V01, geo fuyang, 2017 has value 48.1 from .*"
                                              r"was written for 50.9797 from .*; review the rule"):
        isc.build(isc.read_compiled(path), str(path))


def test_rerun_removes_the_old_rows_of_moved_rows_but_keeps_a_researchers_row(tmp_path, capsys):
    compiled = write_compiled(tmp_path / "shared", [_c("V01", "fuyang", 2017, 50.9797, url=POVERTY_URL),
                                                    _c("G09", "fuyang", 2016, 22, url=WATER_URL)])
    stats, excluded = tmp_path / "statistics.csv", tmp_path / "excluded_rows.csv"
    fresh = tmp_path / "fresh.csv"
    isc.run(compiled, fresh, excluded)
    # the file as the script wrote it before the rules existed: both rows at their old keys
    old_poverty = ("poverty.rural_poor_population,fuyang,2017,50.9797,10k persons,synthetic title,"
                   f"{POVERTY_URL},,Same measure. Compiled as V01 (synthetic scope); where on the page: x\n")
    old_water = ("ecology.black_odorous_water_bodies,fuyang,2016,22,water bodies,synthetic title,"
                 f"{WATER_URL},,Same measure. Compiled as G09 (synthetic scope); where on the page: x\n")
    stats.write_text(STAT_HEADER + old_water + old_poverty, encoding="utf-8")
    capsys.readouterr()
    m, out, _ = _run((compiled, stats, excluded), capsys)
    assert stats.read_bytes() == fresh.read_bytes()  # same as a first run
    assert len(m.moved) == 2 and m.kept == []
    assert ("  > poverty.rural_poor_population, geo fuyang, 2017: removed, moved to "
            "poverty.rural_poor_population, geo fuyang, 2016 by a rule (see its note)") in out
    assert "2 added, 0 updated, 0 replaced, 2 moved, 0 unchanged" in out
    again = stats.read_bytes()
    _run((compiled, stats, excluded), capsys)
    assert stats.read_bytes() == again  # idempotent
    # a researcher's own row at an old key (another source) is not touched
    researcher = "ecology.black_odorous_water_bodies,fuyang,2016,20,water bodies,synthetic bulletin,,,by hand\n"
    stats.write_text(STAT_HEADER + researcher, encoding="utf-8")
    m, out, _ = _run((compiled, stats, excluded), capsys)
    assert m.moved == [] and [r["value"] for r in m.kept] == ["20"]
    assert researcher in stats.read_text(encoding="utf-8")


# --- the second-round layout (statistics_round2.csv) ----------------------------------------------
ROUND2_HEADER = ["indicator_id", "geo", "year", "value", "unit", "source_title", "source_url", "locator", "note"]
#: the 8 rows of the round-2 compilation as (proposed id, geo, year, value, unit) -> expected
#: (indicator_id, value, unit) and the start of the mapping note
ROUND2_EXPECTED = {
    ("ecology.good_air_days_share:jan_mar", "fuyang", 2021, "70.0", "%"):
        ("ecology.good_air_days_share:first_quarter", "70", "%", "Context only: January-March share, not the annual value."),
    ("ecology.good_air_days_share", "china", 2019, "82.0", "%"):
        ("ecology.good_air_days_share", "82", "%", "Benchmark (national, 337 cities in 2019)."),
    ("ecology.worse_than_v_water_share", "anhui", 2021, "0", "%"):
        ("ecology.worse_than_v_water_share", "0", "%", "Benchmark (province; "),
    ("education.preschool_gross_enrolment", "china", 2019, "83.4", "%"):
        ("education.preschool_gross_enrolment", "83.4", "%", "Benchmark (national)."),
    ("education.compulsory_retention_rate", "china", 2019, "94.8", "%"):
        ("education.compulsory_retention_rate", "94.8", "%", "Benchmark (national)."),
    ("education.high_school_gross_enrolment", "china", 2019, "89.5", "%"):
        ("education.high_school_gross_enrolment", "89.5", "%", "Benchmark (national)."),
    ("education.compulsory_retention_rate", "china", 2020, "95.2", "%"):
        ("education.compulsory_retention_rate", "95.2", "%", "Benchmark (national)."),
    ("health.under5_mortality", "china", 2018, "8.4", "per mille"):
        ("health.under5_mortality", "8.4", "per mille", "Benchmark (national)."),
}


def write_round2(folder: Path, rows: list[tuple]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "statistics_round2.csv"
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(ROUND2_HEADER)
    for ind, geo, year, value, unit in rows:
        w.writerow([ind, geo, year, value, unit, "synthetic title", f"https://example.org/{ind}/{geo}/{year}",
                    "synthetic locator, 2nd paragraph", "synthetic note"])
    path.write_text(buf.getvalue(), encoding="utf-8", newline="")
    return path


def test_round2_rows_map_like_the_first_compilation(tmp_path, capsys):
    first = write_compiled(tmp_path / "shared")
    second = write_round2(tmp_path / "shared", list(ROUND2_EXPECTED) + [("culture.synthetic_thing", "fuyang", 2020, "3", "x")])
    stats, excluded = tmp_path / "statistics.csv", tmp_path / "excluded_rows.csv"
    m, out, err = _run(([first, second], stats, excluded), capsys)
    got = {r["source_url"]: r for r in m.rows}
    for (ind, geo, year, value, unit), (new_id, new_value, new_unit, how) in ROUND2_EXPECTED.items():
        r = got[f"https://example.org/{ind}/{geo}/{year}"]
        assert (r["indicator_id"], r["geo"], r["year"], r["value"], r["unit"]) == (new_id, geo, year, new_value, new_unit)
        assert r["note"].startswith(how)
        assert r["note"].endswith(f" Compiled as {ind}; where on the page: synthetic locator, 2nd paragraph. "
                                  "Source note: synthetic note")  # the locator goes into note
    assert "14 compiled rows: 10 mapped, 4 excluded" in err
    assert excluded.read_text(encoding="utf-8").endswith(
        "culture.synthetic_thing,fuyang,2020,3,x,No mapping defined.,https://example.org/culture.synthetic_thing/fuyang/2020\n")
    before = stats.read_bytes()
    _, out, _ = _run(([first, second], stats, excluded), capsys)
    assert stats.read_bytes() == before and "10 unchanged" in out


def test_round2_bad_cells_name_that_file(tmp_path):
    path = write_round2(tmp_path, [("health.under5_mortality", "china", "2018年", "8.4", "per mille")])
    with pytest.raises(ValidationError, match=r"statistics_round2.csv:2: column 'year': '2018年' is not a whole number"):
        isc.run([write_compiled(tmp_path), path], tmp_path / "s.csv", tmp_path / "e.csv")
    assert not (tmp_path / "s.csv").exists()


def test_a_key_produced_by_both_inputs_is_a_mapping_error(tmp_path):
    first = write_compiled(tmp_path / "a", [_c("ED06", "china", 2019, 83.4)])
    second = write_round2(tmp_path / "b", [("education.preschool_gross_enrolment", "china", 2019, "83.4", "%")])
    with pytest.raises(ValidationError, match=r"statistics_round2.csv:2: maps to education.preschool_gross_enrolment, "
                                              r"geo china, 2019 like .*statistics_compiled.csv line 2 \(ED06\)"):
        isc.run([first, second], tmp_path / "s.csv", tmp_path / "e.csv")


def test_cli_reads_both_default_inputs(tmp_path, monkeypatch, capsys):
    first = write_compiled(tmp_path / "shared")
    second = write_round2(tmp_path / "shared", [("health.under5_mortality", "china", 2018, "8.4", "per mille")])
    monkeypatch.setattr(isc, "DEFAULT_INPUTS", (first, second))
    stats, excluded = tmp_path / "statistics.csv", tmp_path / "excluded_rows.csv"
    assert isc.main(["--statistics", str(stats), "--excluded", str(excluded)]) == 0
    assert "6 compiled rows: 3 mapped, 3 excluded" in capsys.readouterr().err
    assert ",health.under5_mortality,china,2018," not in stats.read_text(encoding="utf-8")
    assert "\nhealth.under5_mortality,china,2018,8.4,per mille," in stats.read_text(encoding="utf-8")


# --- the real shared compilations (skipped where ../shared is not beside the project) -------------
REAL_INPUTS = isc.DEFAULT_INPUTS
CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


@pytest.mark.skipif(not all(p.is_file() for p in REAL_INPUTS), reason="the shared compilations are not here")
def test_real_compilations_the_corrected_rows_and_the_shipped_file(tmp_path, capsys):
    stats, excluded = tmp_path / "statistics.csv", tmp_path / "excluded_rows.csv"
    m, _, err = _run((list(REAL_INPUTS), stats, excluded), capsys, labels_path=isc.LABELS)
    assert "110 compiled rows: 89 mapped, 21 excluded" in err
    rows = {isc._key(r): r for r in m.rows}
    # the headcount published on 2017-12-27 is the end-2016 stock; nothing is left at 2017
    assert rows[("poverty.rural_poor_population", "fuyang", 2016)]["value"] == "50.9797"
    assert ("poverty.rural_poor_population", "fuyang", 2017) not in rows
    # the 22 bodies put into remediation are context; the scored series has no Fuyang value
    assert rows[("ecology.black_odorous_water_bodies:put_into_remediation", "fuyang", 2016)]["value"] == "22"
    assert not [k for k in rows if k[0] == "ecology.black_odorous_water_bodies" and k[1] == "fuyang"]
    for (ind, geo, year, value, unit), (new_id, new_value, new_unit, how) in ROUND2_EXPECTED.items():
        r = rows[(new_id, geo, year)]
        assert (r["value"], r["unit"], r["_series"]) == (new_value, new_unit, ind)
        assert r["note"].startswith(how)
    # every context series carries both labels of series_labels.csv, and no other row a label
    labels = isc.common.read_labels(isc.LABELS)
    context = {r["indicator_id"] for r in m.rows if ":" in r["indicator_id"]}
    assert context == set(labels) and len(context) == 16
    for r in m.rows:
        assert (r["label_zh"], r["label_en"]) == labels.get(r["indicator_id"], ("", "")), _key(r)
    for ind, (zh, en) in labels.items():
        assert len(CJK.findall(zh)) <= 20 and CJK.search(zh) and "_" not in zh, (ind, zh)
        assert len(en) <= 40 and not CJK.search(en) and "_" not in en, (ind, en)
    # re-running is byte-identical, and the shipped files are what the script produces from them:
    # a fresh build gives the shipped bytes, and a run over the shipped file changes nothing
    before = stats.read_bytes(), excluded.read_bytes()
    _run((list(REAL_INPUTS), stats, excluded), capsys, labels_path=isc.LABELS)
    assert (stats.read_bytes(), excluded.read_bytes()) == before
    shipped = ROOT / "data" / "raw" / "fuyang"
    assert before == ((shipped / "statistics.csv").read_bytes(), (shipped / "excluded_rows.csv").read_bytes()), \
        "data/raw/fuyang is stale: re-run scripts/import_shared_compilation.py"
    copy = tmp_path / "shipped.csv"
    copy.write_bytes((shipped / "statistics.csv").read_bytes())
    _, out, _ = _run((list(REAL_INPUTS), copy, tmp_path / "shipped_excluded.csv"), capsys, labels_path=isc.LABELS)
    assert "0 added, 0 updated, 0 replaced, 89 unchanged" in out
    assert copy.read_bytes() == (shipped / "statistics.csv").read_bytes()
    assert (tmp_path / "shipped_excluded.csv").read_bytes() == (shipped / "excluded_rows.csv").read_bytes()
