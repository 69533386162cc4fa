"""Validation of SYNTHETIC broken tables: every problem names file, line and column.

Each case breaks one thing in the synthetic tables of ``synthetic_inputs`` (targets on lines
2..8, statistics on lines 2..14) and states where the problem must be reported. The same case
then runs through the command line, which must exit 2 with the message and no traceback.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import synthetic_inputs as syn
from helpers.cli import main
from helpers.exceptions import Problem
from helpers.data.validate import validate_files


def _write(tmp_path: Path, T=None, S=None, t_bytes=None, s_bytes=None) -> tuple[Path, Path]:
    t, s = syn.write_inputs(tmp_path, T, S)
    if t_bytes is not None:
        t.write_bytes(t_bytes(t.read_bytes()))
    if s_bytes is not None:
        s.write_bytes(s_bytes(s.read_bytes()))
    return t, s


def _set(rows, i, **cells):
    rows[i].update(cells)
    return rows


def _T(i, **cells):
    return lambda: _set(syn.targets(), i, **cells)


def _S(i, **cells):
    return lambda: _set(syn.statistics(), i, **cells)


def _without_reference():
    return [r for r in syn.statistics() if r["indicator_id"] != "ref.income_per_capita"]


def _duplicate_year():
    rows = syn.statistics()
    rows.append(dict(rows[6], value="4.8"))  # health.beds_per_1000 fuyang 2018: 4.6 on line 8
    return rows


def _duplicate_unreadable_year(year):
    def rows():
        rows = syn.statistics()
        rows[6]["year"] = year  # health.beds_per_1000 fuyang, line 8
        rows.append(dict(rows[6], value="4.8"))  # the same indicator and geo, line 15
        return rows
    return rows


def _multiline_then_bad():
    rows = syn.statistics()
    rows[0]["note"] = "synthetic note\nspanning two lines"  # record on lines 2-3
    rows[2]["value"] = "about 4"  # third record: starts on line 5, not 4
    return rows


# (case id, which file, targets rows, statistics rows, byte transform of targets, of statistics,
#  expected line, expected column, expected text in the message)
CASES = [
    ("missing_column", "t", None, None, lambda b: b.replace(b"comparator", b"comparitor", 1), None,
     1, "comparator", "required column 'comparator' is missing (is 'comparitor' a misspelling?)"),
    ("unknown_area", "t", _T(0, area="healht"), None, None, None, 2, "area",
     "'healht' is not an area of this plan; plan.json declares: employment, education, health, "
     "social_security, culture, public_safety, infrastructure, ecology, poverty "
     "(add it to plan.json's \"areas\" or fix the cell)"),
    ("comparator_typo", "t", _T(1, comparator="=>"), None, None, None, 3, "comparator",
     "'=>' is not a known comparator; expected one of: >=, <=, ~, between"),
    ("non_numeric_target", "t", _T(2, target="three thousand"), None, None, None, 4, "target",
     "'three thousand' is not a number"),
    ("duplicate_id", "t", _T(1, id="employment.income_vs_national"), None, None, None, 3, "id",
     "duplicate id 'employment.income_vs_national' (also on line 5)"),
    ("between_without_hi", "t", _T(4, target_hi=""), None, None, None, 6, "target_hi", "a 'between' target needs target_hi"),
    ("between_lo_above_hi", "t", _T(4, target_hi="5"), None, None, None, 6, "target_hi",
     "target_hi 5 must be greater than target 10"),
    ("year_out_of_range", "t", _T(0, target_year="2201"), None, None, None, 2, "target_year",
     "year 2201 is out of range; expected a year from 1990 to 2100"),
    ("target_year_before_baseline", "t", _T(0, target_year="2015"), None, None, None, 2, "target_year",
     "target_year 2015 must be after baseline_year 2016"),
    ("thousands_separator", "t", _T(2, target="3,000"), None, None, None, 4, "target",
     "thousands separator not allowed, write 3000"),
    ("percent_sign", "s", None, _S(2, value="4.5%"), None, None, 4, "value", "write the number without %"),
    ("n_a", "s", None, _S(3, value="N/A"), None, None, 5, "value", "leave the cell empty for a missing value"),
    ("unit_in_value", "s", None, _S(3, value="4.1万"), None, None, 5, "value", "write only the number"),
    ("year_with_text", "s", None, _S(3, year="2018年"), None, None, 5, "year", "write only the year as digits"),
    ("empty_0_byte", "s", None, None, None, lambda b: b"", 1, None, "the file is empty (0 bytes)"),
    ("gbk_encoded", "t", None, None, lambda b: b.decode("utf-8").encode("gb18030"), None, 2, "name_zh",
     "not UTF-8 text: byte 0xB4 cannot be read (it looks like GBK/GB18030"),
    ("windows_1252", "s", None, _S(0, source_title="Annuaire synthétique"), None,
     lambda b: b.decode("utf-8").encode("cp1252"), 2, "source_title", "(it looks like Windows-1252); save as UTF-8"),
    ("trailing_space_in_id", "t", _T(0, id="health.beds_per_1000 "), None, None, None, 2, "id",
     "'health.beds_per_1000 ' has a space at the start or end; remove it"),
    ("space_inside_id", "t", _T(4, id="flood standard"), None, None, None, 6, "id",
     "'flood standard' is not a valid id; an id is any text without spaces or ':'"),
    ("colon_in_id", "t", _T(5, id="ss:reimbursement"), None, None, None, 7, "id",
     "'ss:reimbursement' is not a valid id; an id is any text without spaces or ':'"),
    ("formula_cell", "s", None, _S(1, source_title='=HYPERLINK("http://example.org","synthetic")'), None, None,
     3, "source_title", "looks like a spreadsheet formula"),
    ("formula_plus_hyperlink", "s", None, _S(1, source_title='+1+HYPERLINK("http://evil.example/","x")'), None, None,
     3, "source_title", "looks like a spreadsheet formula"),
    ("formula_minus_dde", "s", None, _S(2, note="-2+3+cmd|' /C calc'!A0"), None, None,
     4, "note", "looks like a spreadsheet formula"),
    ("formula_equals_arithmetic", "s", None, _S(3, note="=1+1"), None, None, 5, "note", "looks like a spreadsheet formula"),
    ("formula_after_tab", "s", None, _S(3, source_title="\t@SUM(1)"), None, None, 5, "source_title",
     "looks like a spreadsheet formula"),
    ("reference_series_missing", "t", None, _without_reference, None, None, 5, "reference_id",
     "the reference series 'ref.income_per_capita' has no row in the statistics"),
    ("duplicate_indicator_year", "s", None, _duplicate_year, None, None, 8, "indicator_id",
     "duplicate row for (indicator_id, geo, year) = (health.beds_per_1000, fuyang, 2018), also on line 15; "
     "the values differ (4.6 vs 4.8)"),
    # issue 23 D2: two rows of one indicator and geo whose year cannot be read crashed the
    # duplicate check (pandas "Buffer has wrong number of dimensions"); each year is named instead
    ("duplicate_rows_with_unreadable_year", "s", None, _duplicate_unreadable_year("2018年"), None, None, 15, "year",
     "'2018年': write only the year as digits"),
    ("duplicate_rows_with_empty_year", "s", None, _duplicate_unreadable_year(""), None, None, 15, "year",
     "the year is required"),
    # issue 23 D14, D16: ids that look alike and are not the same text are named with the difference
    ("nfd_indicator_beside_nfc_target", "s", _T(0, id="health.caf\u00e9"),
     lambda: _set(_set(syn.statistics(), 4, indicator_id="health.caf\u00e9"), 5, indicator_id="health.cafe\u0301"),
     None, None, 7, "indicator_id",
     "it looks like the target id 'health.caf\u00e9' but is not the same text: 'e\u0301' (U+0065 LATIN SMALL LETTER E, "
     "U+0301 COMBINING ACUTE ACCENT) here, '\u00e9' (U+00E9 LATIN SMALL LETTER E WITH ACUTE) there"),
    ("ids_differ_only_by_case", "t", _T(6, id="Health.Beds_Per_1000"), None, None, None, 8, "id",
     "id 'Health.Beds_Per_1000' looks like id 'health.beds_per_1000' (line 2) but is not the same text: "
     "they differ only in upper and lower case"),
    ("ids_differ_by_a_full_width_letter", "t", _T(6, id="health.beds_per_\uff11000"), None, None, None, 8, "id",
     "looks like id 'health.beds_per_1000' (line 2) but is not the same text: '\uff11' (U+FF11 FULLWIDTH DIGIT ONE) "
     "here, '1' (U+0031 DIGIT ONE) there"),
    ("negative_count", "s", None, _S(2, value="-1"), None, None, 4, "value",
     "value -1 is negative, but 'employment.new_jobs' is a target of kind 'annual'"),
    ("negative_cumulative_target", "t", _T(2, target="-5"), None, None, None, 4, "target", "target -5 is negative"),
    ("no_source_title", "s", None, _S(5, source_title=""), None, None, 7, "source_title", "a source title is required"),
    ("source_url_not_web", "s", None, _S(5, source_url="www.example.org/synthetic"), None, None, 7, "source_url",
     "is not a web address; expected http:// or https://"),
    ("unit_mismatch", "s", None, _S(5, unit="beds"), None, None, 7, "unit",
     "unit 'beds' differs from the unit of 'health.beds_per_1000', 'beds per 1000 residents'"),
    ("relative_value_in_ratio_unit", "s", None, _S(0, unit="ratio to national average"), None, None, 2, "unit",
     "convert the value to 'yuan per person'"),
    ("unknown_indicator", "s", None, _S(4, indicator_id="health.bedz_per_1000"), None, None, 6, "indicator_id",
     "'health.bedz_per_1000' is not a target id, a reference_id of a relative target, or <target id>:<suffix>"),
    ("context_of_unknown_target", "s", None, _S(8, indicator_id="infrastructure.roads:bridges"), None, None, 10,
     "indicator_id", "is not a target id"),
    ("tolerance_missing_for_about", "t", _T(5, tolerance=""), None, None, None, 7, "tolerance",
     "an 'about' (~) target needs a tolerance greater than 0"),
    ("reference_id_on_level_target", "t", _T(0, reference_id="ref.x"), None, None, None, 2, "reference_id",
     "reference_id is only for 'relative' targets"),
    ("relative_without_reference_id", "t", _T(3, reference_id=""), None, None, None, 5, "reference_id",
     "a 'relative' target needs reference_id"),
    ("unknown_kind", "t", _T(0, kind="stock"), None, None, None, 2, "kind", "'stock' is not a known kind"),
    # the kinds of issue 12: a direction has no number, every other kind needs one
    ("direction_with_a_target", "t", _T(0, kind="direction"), None, None, None, 2, "target",
     "a 'direction' target has no number: leave target empty (6 given)"),
    ("target_missing", "t", _T(0, target=""), None, None, None, 2, "target", "the target value is required"),
    ("direction_with_a_band", "t", _T(4, kind="direction", target=""), None, None, None, 6, "comparator",
     "a 'direction' target needs comparator >= (more is better) or <= (less is better), not 'between'"),
    ("negative_period_total", "t", _T(1, kind="period_total", target="-3"), None, None, None, 3, "target",
     "target -3 is negative, but a target of kind 'period_total' counts things done"),
    ("negative_annual_mean_value", "s", _T(1, kind="annual_mean"), _S(2, value="-1"), None, None, 4, "value",
     "value -1 is negative, but 'employment.new_jobs' is a target of kind 'annual_mean'"),
    ("rate_avg_reference_without_data", "t", _T(0, kind="rate_avg", reference_id="ref.growth"), None, None, None,
     2, "reference_id", "the reference series 'ref.growth' has no row in the statistics"),
    ("reference_id_on_change_target", "t", _T(0, kind="change", reference_id="ref.income_per_capita"), None, None,
     None, 2, "reference_id", "reference_id is only for 'relative' targets and 'rate_avg' targets (kind is 'change')"),
    ("ragged_row", "s", None, None, None, lambda b: b.replace(b"2017,4.3,", b"2017,4,3,", 1), 4, None,
     "this row has 9 cells but the header has 8 columns"),
    ("broken_quotes", "s", None, None, None, lambda b: b.replace(b",synthetic source,", b',"synthetic" source,', 1),
     2, None, "malformed CSV"),
    ("multiline_cell_keeps_line_numbers", "s", None, _multiline_then_bad, None, None, 5, "value",
     "'about 4' is not a number"),
    ("xlsx_given_as_csv", "s", None, None, None, lambda b: b"PK\x03\x04synthetic", None, None,
     "this is an Excel workbook (.xlsx), not a CSV file"),
]


def _build(tmp_path, case):
    _, which, T, S, tb, sb, *_ = case
    t, s = _write(tmp_path, T() if T else None, S() if S else None, tb, sb)
    return t, s, (t if which == "t" else s)


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_broken_table_is_reported_at_file_line_column(tmp_path, case):
    *_, line, column, text = case
    t, s, bad_file = _build(tmp_path, case)
    problems = validate_files(t, s)
    hits = [p for p in problems if p.file == str(bad_file) and p.line == line and p.column == column and text in p.message]
    assert hits, "\n".join(map(str, problems))


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_cli_validate_exits_2_without_traceback(tmp_path, capsys, case):
    *_, line, column, text = case
    t, s, bad_file = _build(tmp_path, case)
    code = main(["validate", "--targets", str(t), "--statistics", str(s)])
    out, err = capsys.readouterr()
    assert code == 2
    where = f"{bad_file}:{line}:" if line is not None else f"{bad_file}:"
    col = f" column '{column}':" if column else ""
    assert any(ln.startswith(where + col) and text in ln for ln in err.splitlines()), err
    assert "Traceback" not in out + err
    assert "problem" in err.splitlines()[-1]  # the count


def test_every_problem_of_several_broken_cells_is_listed(tmp_path):
    T = syn.targets()
    T[0]["area"] = "healht"
    T[4]["target_hi"] = ""
    S = syn.statistics()
    S[2]["value"] = "1,300"
    S[5]["source_title"] = ""
    t, s = _write(tmp_path, T, S)
    found = {(Path(p.file).name, p.line, p.column) for p in validate_files(t, s)}
    assert {("targets.csv", 2, "area"), ("targets.csv", 6, "target_hi"),
            ("statistics.csv", 4, "value"), ("statistics.csv", 7, "source_title")} <= found


ACCEPTED = [
    ("clean", lambda b: b, lambda b: b),
    ("utf8_bom", lambda b: b"\xef\xbb\xbf" + b, lambda b: b"\xef\xbb\xbf" + b),
    ("crlf_line_ends", lambda b: b.replace(b"\n", b"\r\n"), lambda b: b.replace(b"\n", b"\r\n")),
    ("trailing_blank_lines", lambda b: b + b"\n\n", lambda b: b + b"\n"),
    ("excel_empty_trailing_columns", lambda b: b, lambda b: b.replace(b"\n", b",,\n")),
    ("spaces_around_numbers", lambda b: b, lambda b: b.replace(b",4.3,", b", 4.3 ,", 1)),
]


@pytest.mark.parametrize("name,tb,sb", ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_accepted_variants_validate_clean(tmp_path, capsys, name, tb, sb):
    t, s = _write(tmp_path, t_bytes=tb, s_bytes=sb)
    assert validate_files(t, s) == []
    assert main(["validate", "--targets", str(t), "--statistics", str(s)]) == 0
    assert capsys.readouterr().out.strip() == "ok: 7 targets, 13 statistics rows"


#: Ids are the plan's own codes: no "<area>." prefix is required (any text without spaces or ':').
FREE_IDS = {"health.beds_per_1000": "L1", "employment.new_jobs": "1.2.3",
            "infrastructure.rural_roads": "道路-3", "employment.income_vs_national": "education.x"}


def test_free_ids_without_an_area_prefix_validate_clean(tmp_path, capsys):
    T = syn.targets()
    for row in T:
        row["id"] = FREE_IDS.get(row["id"], row["id"])
    S = syn.statistics()
    for row in S:
        base, sep, suffix = row["indicator_id"].partition(":")
        row["indicator_id"] = FREE_IDS.get(base, base) + sep + suffix
    t, s = _write(tmp_path, T, S)
    assert "L1,health," in t.read_text(encoding="utf-8")  # the id no longer names its area
    assert validate_files(t, s) == []
    assert main(["validate", "--targets", str(t), "--statistics", str(s)]) == 0
    assert capsys.readouterr().out.strip() == "ok: 7 targets, 13 statistics rows"


def test_header_only_statistics_is_fine_without_relative_targets(tmp_path, capsys):
    T = [r for r in syn.targets() if r["kind"] != "relative"]
    t, s = _write(tmp_path, T, [])
    assert s.read_text(encoding="utf-8").count("\n") == 1  # the header line only
    assert validate_files(t, s) == []
    assert main(["validate", "--targets", str(t), "--statistics", str(s)]) == 0
    assert "ok: 6 targets, 0 statistics rows" in capsys.readouterr().out


def test_header_only_targets_is_a_problem(tmp_path):
    t, s = _write(tmp_path, [], None)
    problems = validate_files(t, s)
    assert Problem(str(t), 2, None, "no targets: the file has a header but no rows") in problems
    # no cascade of "unknown indicator" on every statistics row
    assert not [p for p in problems if p.file == str(s)]


def test_missing_file_is_a_problem_not_an_exception(tmp_path):
    t, _ = _write(tmp_path)
    missing = tmp_path / "nope.csv"
    assert validate_files(t, missing) == [Problem(str(missing), None, None, "file not found")]


def test_line_numbers_follow_the_file_not_the_row_count(tmp_path):
    # a blank line in the middle: the rows after it are one line further down
    t, s = _write(tmp_path, S=_S(5, unit="beds")(), s_bytes=lambda b: b.replace(b"\n", b"\n\n", 2).replace(b"\n\n", b"\n", 1))
    [p] = [p for p in validate_files(t, s) if p.column == "unit"]
    assert p.line == 8


def test_bad_plan_json_is_reported(tmp_path):
    t, s = _write(tmp_path)
    (tmp_path / "plan.json").write_text('{"jurisdiction": "fuyang",\n "benchmarks": [}', encoding="utf-8")
    [p] = validate_files(t, s)
    assert p.file == str(tmp_path / "plan.json") and p.line == 2 and "not valid JSON" in p.message


def test_fmt_exact_as_validation_writes_numbers():
    from helpers.formats import fmt_exact

    assert [fmt_exact(x) for x in (1300.0, 4.5, 0.1 + 0.2, -0.0, 12324, float("nan"))] == ["1300", "4.5", "0.3", "0", "12324", ""]


def test_new_kinds_validate_clean(tmp_path):
    T = syn.targets()
    T[0].update(kind="direction", target="")                      # direction: no number
    T[1].update(kind="rate_avg", target="6.5", reference_id="ref.income_per_capita")
    T[2].update(kind="rate_total", comparator="<=", target="-15")  # rates and changes may be negative
    T[5].update(kind="change", comparator="<=", target="-2", tolerance="", target_hi="")
    S = syn.statistics()
    S[2]["value"] = "-2.1"  # employment.new_jobs is now a rate: a fall of 2.1 %
    t, s = _write(tmp_path, T, S)
    assert validate_files(t, s) == []


def test_binding_column_is_checked(tmp_path):
    T = syn.targets()
    for row, b in zip(T, ["binding", "expected", "", "constraint", "binding", "", ""]):
        row["binding"] = b
    t, s = syn.write_inputs(tmp_path, T, None)
    t.write_text(syn.csv_text(T, syn.TARGET_HEADER + ["binding"]), encoding="utf-8")
    problems = validate_files(t, s)
    assert [(p.line, p.column) for p in problems] == [(5, "binding")], problems
    assert "'constraint' is not a known binding value" in problems[0].message
    assert "expected one of: binding, expected" in problems[0].message


@pytest.mark.parametrize("note", ["-5 % in 2019", "- see page 3", "-2.5 km (synthetic)", "up 5 %; see =below? no",
                                  "-5 (see table 3) compared with 2020"])  # issue 23 D15
def test_ordinary_notes_are_not_formulas(tmp_path, note):
    t, s = _write(tmp_path, S=_S(2, note=note)())
    assert validate_files(t, s) == []


def test_invisible_characters_are_reported_escaped(tmp_path):
    t, s = _write(tmp_path, S=_S(5, note="synthetic\u2066 note\u2069", source_title="synthetic\u00ad source")())
    problems = validate_files(t, s)
    assert [(p.line, p.column) for p in problems] == [(7, "source_title"), (7, "note")]
    assert problems[0].message.startswith("'synthetic<U+00AD> source' contains invisible characters (U+00AD SOFT HYPHEN)")
    assert "U+2066 LEFT-TO-RIGHT ISOLATE, U+2069 POP DIRECTIONAL ISOLATE" in problems[1].message


def test_a_huge_number_is_refused_before_it_reaches_the_engine(tmp_path):
    rows = syn.statistics()
    rows[5] = dict(rows[5], value="1e308")
    t, s = syn.write_inputs(tmp_path, None, rows)
    problems = validate_files(t, s)
    assert [(p.line, p.column) for p in problems] == [(7, "value")]
    assert "'1e308' is too large for a statistic or a target" in problems[0].message
