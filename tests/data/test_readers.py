"""Reading input files as text cells (helpers.data.readers) on SYNTHETIC files: line numbers as an
editor shows them, and the encoding named when a file is not UTF-8. (Whole files with every
kind of reading problem, through validate_files and the commands: tests/test_validate.py and
tests/test_bad_input.py.)"""

from __future__ import annotations

from helpers.data.readers import _guess_encoding, read_cells


def test_read_cells_index_is_the_editor_line(tmp_path):
    p = tmp_path / "synthetic.csv"
    p.write_text('a,b\n1,"x\ny"\n\n2,z\n', encoding="utf-8")
    table = read_cells(p, ("a", "b"))
    assert table.problems == []
    assert table.raw.index.tolist() == [2, 5]
    assert table.raw.loc[2, "b"] == "x\ny"


def test_encoding_guesses():
    assert _guess_encoding("合成统计年鉴丂乚,项目".encode("gb18030")).startswith("GBK/GB18030")
    assert _guess_encoding("Zürich Müller café".encode("cp1252")) == "Windows-1252"
    assert _guess_encoding("a,b\n".encode("utf-16")) == "UTF-16 LE (byte-order mark FF FE)"
    assert _guess_encoding("a,b\n".encode("utf-16-be")) == "UTF-16 BE (every second byte is NUL)"


def test_a_cell_over_the_csv_limit_is_called_too_long_not_a_quote_problem(tmp_path):
    # issue 23 D11: csv's field_size_limit (131,072) was reported as "malformed CSV ... quotes"
    import csv

    limit = csv.field_size_limit()
    p = tmp_path / "statistics.csv"
    p.write_text("indicator_id,note\nsynthetic.a,short\nsynthetic.b,\"" + "x" * (limit + 1) + "\"\n", encoding="utf-8")
    table = read_cells(p, ("indicator_id", "note"))
    [problem] = table.problems
    assert (problem.file, problem.line) == (str(p), 3)
    assert f"a cell is too long: more than {limit:,} characters" in problem.message
    assert "malformed" not in problem.message


def test_one_unquoted_comma_copied_on_19_rows_is_one_problem_naming_the_lines(tmp_path):
    """Issue 24: a source title with an unquoted comma, on 19 rows, printed 19 identical lines."""
    rows = "".join(f"I{i:02d},2020,1.5,Bulletin of 2020, revised\n" for i in range(19))
    path = tmp_path / "statistics.csv"
    path.write_text("indicator_id,year,value,source_title\n" + rows + "I99,2020,2,ok\n", encoding="utf-8")
    table = read_cells(path, ("indicator_id",))
    assert len(table.problems) == 1
    (p,) = table.problems
    assert p.line == 2
    assert p.message.startswith("19 rows have more cells than the header's 4 columns (lines 2, 3, 4, 5, 6, 7, 8, "
                                "9, 10, 11 and 9 more; line 2 has 5)")
    assert "enclosed in double quotes" in p.message
    one = tmp_path / "one.csv"
    one.write_text("indicator_id,year,value,source_title\nI01,2020,1.5,Bulletin, revised\n", encoding="utf-8")
    assert [x.message for x in read_cells(one, ("indicator_id",)).problems] == [
        "this row has 5 cells but the header has 4 columns; a text or number containing a comma must be "
        "enclosed in double quotes (and numbers need no comma)"]
