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
