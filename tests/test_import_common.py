"""scripts/_import_common.py, the code both import scripts share: the strict CSV reader, cell
comparison, CSV text, write-if-changed and the labels file. (Each script's use of it, and its own
error style at its edge, is tested in test_import_fyp14.py and test_import_shared.py.)"""

from __future__ import annotations

from decimal import Decimal

import pytest

from import_scripts import labels_file, load_script
from helpers.exceptions import ValidationError

common = load_script("_import_common")


def test_read_csv_numbers_lines_and_lists_every_problem(tmp_path):
    path = tmp_path / "in.csv"
    path.write_bytes("\ufeffa,b\n1,\"two\nlines\"\n3,4\n".encode("utf-8"))
    header, rows = common.read_csv(path, ("a",))
    assert header == ["a", "b"] and [(r["a"], r["_line"]) for r in rows] == [("1", 2), ("3", 4)]
    with pytest.raises(ValidationError) as exc:
        common.read_csv(path, ("a", "c", "d"))
    assert [str(p) for p in exc.value.problems] == [f"{path}:1: column 'c': required column is missing",
                                                    f"{path}:1: column 'd': required column is missing"]
    path.write_text("a,b\n1\n1,2,3\n", encoding="utf-8")
    with pytest.raises(ValidationError) as exc:
        common.read_csv(path, ())
    assert [p.message for p in exc.value.problems] == ["1 cells but the header has 2", "3 cells but the header has 2"]
    path.write_bytes(b"a,b\n\xff,1\n")
    with pytest.raises(ValidationError, match="not UTF-8 text"):
        common.read_csv(path, ())


def test_same_cell_compares_values_as_numbers_and_the_rest_as_text():
    assert common.same_cell("value", "4.50", "4.5") and common.same_cell("value", "4.50", "4.5", Decimal)
    assert not common.same_cell("value", "0.1", "0.10000000000000001", Decimal)
    assert common.same_cell("value", "0.1", "0.10000000000000001")  # float: one number
    assert common.same_cell("value", "n/a", "n/a", Decimal) and not common.same_cell("value", "", "0")
    assert not common.same_cell("unit", "4.50", "4.5")


def test_csv_text_and_write_if_changed(tmp_path):
    text = common.csv_text([{"a": 1, "b": "x,y", "_line": 2}, {"a": 2}], ("a", "b"))
    assert text == 'a,b\n1,"x,y"\n2,\n'
    path = tmp_path / "out.csv"
    assert common.write_if_changed(path, text, dry_run=True) == "would be written" and not path.exists()
    assert common.write_if_changed(path, text, dry_run=False) == "written"
    assert path.read_bytes() == text.encode("utf-8")
    assert common.write_if_changed(path, text, dry_run=False) == "unchanged"


def test_labels_are_read_applied_and_checked(tmp_path):
    path = labels_file(tmp_path, [(" A:x ", " 甲 ", "A x"), ("A:unused", "乙", "B")])
    labels = common.read_labels(path)
    assert labels == {"A:x": ("甲", "A x"), "A:unused": ("乙", "B")}
    rows = [{"indicator_id": "A"}, {"indicator_id": "A:x"}]
    assert common.apply_labels(rows, labels, path) == ["A:unused"]
    assert rows == [{"indicator_id": "A", "label_zh": "", "label_en": ""},
                    {"indicator_id": "A:x", "label_zh": "甲", "label_en": "A x"}]
    with pytest.raises(ValidationError, match="no label for the context series A:y"):
        common.apply_labels([{"indicator_id": "A:y"}], labels, path)
    bad = labels_file(tmp_path, [("A", "", "A"), ("B:x", "乙", "B"), ("B:x", "乙", "B")])
    with pytest.raises(ValidationError) as exc:
        common.read_labels(bad)
    assert [(p.line, p.column) for p in exc.value.problems] == [(2, "indicator_id"), (2, "label_zh"),
                                                               (4, "indicator_id")]


def test_cli_turns_the_scripts_errors_into_a_message_and_an_exit_code(capsys):
    class Own(Exception):
        exit_code = 3

    def fail(exc):
        def call():
            raise exc
        return call

    assert common.cli(lambda: None, Own) == 0
    assert common.cli(fail(Own("bad row")), Own) == 3 and capsys.readouterr().err == "error: bad row\n"
    assert common.cli(fail(ValueError("plain")), ValueError) == 2
    assert common.cli(fail(FileNotFoundError(2, "No such file", "x.csv")), Own) == 2
    assert capsys.readouterr().err.endswith("error: cannot read or write x.csv: No such file\n")
    with pytest.raises(KeyError):
        common.cli(fail(KeyError("not the script's own")), Own)
