"""Check the input tables and report every problem with its file, line and column.

Reading happens in two stages:

1. :func:`read_table` reads the file *as text* before any schema runs: a missing or 0-byte file,
   a path that is not a regular file (FIFO, device: checked with ``stat`` before opening, so
   nothing hangs), a symlink loop or broken symlink, text that is not UTF-8 (GBK/GB18030,
   Windows-1252, UTF-16: reported at the line of the first bad byte, with "save as UTF-8"), a UTF-8 byte-order mark (accepted silently), malformed quotes, rows with
   more cells than the header, missing required columns. :func:`coerce_numbers` then turns the
   numeric columns into numbers and explains what is wrong with a cell that is not one ("1,300",
   "4.5%", "N/A", "4.1万"...). Rows are indexed by their line number as an editor shows it (the
   header is line 1), which survives quoted cells spanning several lines. Any cell holding an
   invisible character (zero-width, direction controls, control characters) is a problem, and
   every message shows such characters escaped (``<U+200B>``).
2. The pandera schemas of :mod:`helpers.schema` run on the typed frames (``lazy=True``) and
   :func:`schema_problems` turns each failure case into a :class:`~helpers.exceptions.Problem`.

Nothing here raises for bad data: every function returns the problems it found.
:func:`validate_files` is the whole check of a targets + statistics pair; :func:`cli_validate`
is ``python -m helpers validate``.
"""

from __future__ import annotations

import copy
import csv
import difflib
import io
import math
import re
import string
import sys
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from helpers import schema
from helpers.exceptions import Problem, format_problems
from helpers.formats import fmt_exact

BOM = b"\xef\xbb\xbf"
#: Cells meaning "missing" that must be written as an empty cell instead (compared casefolded).
NA_TOKENS = frozenset({
    "n/a", "na", "n.a.", "nan", "null", "none", "nil", "-", "--", "—", "–", "..", "...", "…",
    "#n/a", "?", "x", "无", "缺", "暂无", "不详", "空",
})
_THOUSANDS = r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$"
_DECIMAL_COMMA = r"^[+-]?\d+,\d+$"
_PERCENT = r"^[+-]?[\d.,]+\s*[%％]$"
_WITH_UNIT = r"^[+-]?\d+(?:\.\d+)?\s*[^\d\s.,+-].*$"

#: What each table must contain, and which of its columns are numbers.
TABLES: dict[str, dict] = {
    "targets": {
        "required": schema.TARGET_COLUMNS,
        "optional": schema.TARGET_OPTIONAL_COLUMNS,
        "floats": schema.TARGET_FLOAT_COLUMNS,
        "ints": schema.TARGET_INT_COLUMNS,
    },
    "statistics": {
        "required": schema.STATISTICS_COLUMNS,
        "optional": (),
        "floats": schema.STATISTICS_FLOAT_COLUMNS,
        "ints": schema.STATISTICS_INT_COLUMNS,
    },
}


@dataclass
class Table:
    """A table read from a file: ``raw`` holds the text of every cell (``NA`` when empty),
    ``frame`` the typed version; both indexed by line number. ``None`` when the file could not
    be read as a table at all (then ``problems`` says why)."""

    path: Path
    file: str
    raw: pd.DataFrame | None = None
    frame: pd.DataFrame | None = None
    problems: list[Problem] = field(default_factory=list)
    #: ``.xlsx`` only: the sheet read and every sheet of the workbook.
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    #: ``.xlsx`` only: numeric cells with a percentage number format, ``(line, column) ->
    #: (cell reference, the number stored)``; Excel stores "85%" as 0.85.
    percent_cells: dict[tuple[int, str], tuple[str, float]] = field(default_factory=dict)

    def cell_ref(self, coordinate: str) -> str:
        """``cell J5 of sheet 'template'`` for messages."""
        return f"cell {coordinate} of sheet '{self.sheet}'"

    @property
    def ok(self) -> bool:
        return self.frame is not None


#: Characters a reader cannot see: zero-width and bidirectional controls, the soft hyphen, a BOM
#: inside a cell, and control characters other than tab and line breaks (a lone CR included).
INVISIBLE_PATTERN = ("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
                     "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")
_INVISIBLE = re.compile(INVISIBLE_PATTERN)
#: Shown escaped in messages too (but allowed in cells): spaces that look like a plain space.
_ESCAPE = re.compile(INVISIBLE_PATTERN + "|[\u00a0\u2000-\u200a\u202f\u205f]")


def _escape(text: str) -> str:
    """``text`` with every invisible character (:data:`INVISIBLE_PATTERN`) and every space other
    than the plain one written as ``<U+200B>``, so a message shows it."""
    return _ESCAPE.sub(lambda m: f"<U+{ord(m.group()[0]):04X}>", text)


def _char_name(c: str) -> str:
    name = unicodedata.name(c, "")
    return f"U+{ord(c):04X} {name}" if name else f"U+{ord(c):04X} (a control character)"


def invisible_problems(raw: pd.DataFrame, file: str) -> list[Problem]:
    """One problem per cell of ``raw`` (text cells, line-number index) holding an invisible
    character (:data:`INVISIBLE_PATTERN`: zero-width, bidirectional controls, control
    characters), with the cell shown escaped (``<U+200B>``) and the characters named. Such text
    looks equal to other text and is not (two "identical" units that differ)."""
    problems: list[Problem] = []
    for col in raw.columns:
        s = raw[col]
        if not (isinstance(s.dtype, pd.StringDtype) or s.dtype == object):
            continue
        hit = s.astype("string").str.contains(_INVISIBLE, regex=True).fillna(False).astype(bool)
        if not hit.any():
            continue
        for line, text in s[hit].items():
            found = sorted({m.group()[0] for m in _INVISIBLE.finditer(str(text))})
            names = ", ".join(_char_name(c) for c in found)
            problems.append(Problem(file, int(line), str(col),
                                    f"'{_escape(str(text))}' contains invisible characters ({names}); delete "
                                    "them: text that looks the same must be the same"))
    return problems


def _show(v: object) -> str:
    if type(v) is str:  # the common case first (messages of 100k rows)
        return _escape(v) if _ESCAPE.search(v) else v
    if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
        return "(empty)"
    if isinstance(v, (float, np.floating, int, np.integer)) and not isinstance(v, bool):
        return fmt_exact(v)
    return _escape(str(v))


class _Fields(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def _fill(template: str, row: dict | None, value: object) -> str:
    fields = _Fields({"value": _show(value)})
    if row is not None:
        fields.update({str(k): _show(v) for k, v in row.items()})
        fields["value"] = _show(value)
    try:
        return template.format_map(fields)
    except (ValueError, IndexError):
        return template


def sort_problems(problems: list[Problem], columns: list[str] | None = None) -> list[Problem]:
    """Whole-file problems first, then by line and column position; exact repeats dropped."""
    order = {c: i for i, c in enumerate(columns or [])}
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: (p.line is not None, p.line or 0, order.get(p.column or "", -1)))


def without_cells_of(problems: list[Problem], earlier: list[Problem]) -> list[Problem]:
    """Drop schema problems in cells that already have a problem from reading (e.g. a cell that
    was not a number is also "missing" for the schema; the reading message is the useful one)."""
    cells = {(p.line, p.column) for p in earlier if p.line is not None and p.column is not None}
    return [p for p in problems if (p.line, p.column) not in cells]


# ------------------------------------------------------------------------------------- reading

def _split_line(text: str) -> list[str]:
    """Cells of one CSV line, best effort (a stray quote or CR falls back to plain commas)."""
    try:
        return next(csv.reader([text.replace("\r", "")]), [])
    except csv.Error:
        return text.split(",")


GB18030_NAME = "GBK/GB18030, the Chinese Windows encoding"


def _utf16(data: bytes) -> str | None:
    """"UTF-16 LE" / "UTF-16 BE" (with how it was recognised) when ``data`` looks like UTF-16: a
    byte-order mark, or NUL bytes at most even or most odd positions (ASCII text in UTF-16)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return f"UTF-16 {'LE' if data[0] == 0xFF else 'BE'} (byte-order mark {data[0]:02X} {data[1]:02X})"
    head = data[:4096]
    if len(head) >= 4:
        even, odd = head[0::2], head[1::2]
        if odd.count(0) > 0.3 * len(odd) and even.count(0) < 0.05 * len(even):
            return "UTF-16 LE (every second byte is NUL)"
        if even.count(0) > 0.3 * len(even) and odd.count(0) < 0.05 * len(odd):
            return "UTF-16 BE (every second byte is NUL)"
    return None


def _guess_encoding(data: bytes) -> str:
    """What a file that is not UTF-8 probably is, for the message.

    GB18030 decodes almost any byte string, and so does Windows-1252, so neither decoding alone
    decides. Chinese text in GBK/GB18030 decodes to characters of GB2312 (the common Chinese
    characters and full-width punctuation, both bytes >= 0xA1); Latin text in Windows-1252 (é, ü
    followed by ASCII letters) decodes, read as GB18030, to rare characters outside GB2312. So
    GB18030 is named when at least 60 % of the non-ASCII characters it decodes are in GB2312.
    """
    utf16 = _utf16(data)
    if utf16:
        return utf16
    if len(data) > 1 << 20:  # the first MiB, cut at a line end, says enough (and stays fast)
        data = data[:max(data.rfind(b"\n", 0, 1 << 20), 1)]
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        wide = [c for c in text if ord(c) > 0x7F]
        common = 0
        for c in wide:
            try:
                c.encode("gb2312")
                common += 1
            except UnicodeEncodeError:
                pass
        if wide and common >= 0.6 * len(wide):
            return GB18030_NAME
    try:
        data.decode("cp1252")
        return "Windows-1252"
    except UnicodeDecodeError:
        pass
    return GB18030_NAME if text is not None else "another encoding"


def _encoding_problem(data: bytes, err: UnicodeDecodeError, file: str) -> Problem:
    """Where the first byte that is not UTF-8 sits (line, column) and what the file probably is."""
    line = data.count(b"\n", 0, err.start) + 1
    start = data.rfind(b"\n", 0, err.start) + 1
    prefix = data[start:err.start].decode("utf-8", errors="replace")
    index = max(len(_split_line(prefix)) - 1, 0) if prefix else 0
    header = _split_line(data.split(b"\n", 1)[0].decode("utf-8", errors="replace").lstrip("\ufeff"))
    column = header[index].strip() if index < len(header) and line > 1 else f"column {index + 1}"
    guess = _guess_encoding(data)
    return Problem(file, line, column,
                   f"the file is not UTF-8 text: byte 0x{data[err.start]:02X} cannot be read "
                   f"(it looks like {guess}); save as UTF-8 (in Excel: Save As > 'CSV UTF-8')")


def file_problem(path: str | Path, file: str | None = None, what: str = "file") -> Problem | None:
    """Why ``path`` cannot be read as an input file, checked with ``stat`` before anything opens
    it (opening a FIFO would wait forever): not found, a broken symlink, a symlink loop, a folder,
    not a regular file (FIFO, socket, device), not readable. ``None`` when it is a readable
    regular file. ``what`` names the file in "… not found" (e.g. "statistics file")."""
    import errno
    import os
    import stat

    path = Path(path)
    file = file or str(path)
    try:
        st = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return Problem(file, None, None, "symlink loop: the link points (through other links) back to itself")
        if exc.errno == errno.ENOENT:
            try:
                os.lstat(path)
            except OSError:
                return Problem(file, None, None, f"{what} not found")
            return Problem(file, None, None, f"broken symlink: it points to {os.readlink(path)}, which does not exist")
        if exc.errno == errno.ENOTDIR:
            return Problem(file, None, None, f"{what} not found (a part of the path is a file, not a folder)")
        return Problem(file, None, None, f"cannot read the file: {exc.strerror or exc}")
    if stat.S_ISDIR(st.st_mode):
        return Problem(file, None, None, "this is a folder, not a file")
    if not stat.S_ISREG(st.st_mode):
        kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(st.st_mode) else "a socket" if stat.S_ISSOCK(st.st_mode)
                else "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else "a special file")
        return Problem(file, None, None, f"not a regular file: this is {kind}; give the path of a CSV file")
    return None


def _read_text(path: Path, file: str, required: tuple[str, ...]) -> tuple[str | None, list[Problem]]:
    problem = file_problem(path, file)
    if problem is not None:
        return None, [problem]
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [Problem(file, None, None, f"cannot read the file: {exc.strerror or exc}")]
    if not data.strip(BOM + b" \t\r\n"):
        what = "0 bytes" if not data else "only blank lines"
        return None, [Problem(file, 1, None, f"the file is empty ({what}); expected a header line "
                                             f"with the columns: {','.join(required)}")]
    if data.startswith(b"PK\x03\x04"):
        return None, [Problem(file, None, None, "this is an Excel workbook (.xlsx), not a CSV file; "
                                                "save it as 'CSV UTF-8' or give it a .xlsx name")]
    body = data[len(BOM):] if data.startswith(BOM) else data
    utf16 = _utf16(body)
    if utf16:
        return None, [Problem(file, None, None, f"the file is not UTF-8 text: it looks like {utf16}; save as "
                                                "UTF-8 (in Excel: Save As > 'CSV UTF-8'; 'Unicode Text' is UTF-16)")]
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as err:
        return None, [_encoding_problem(body, err, file)]
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return None, [Problem(file, line, None, "the file contains NUL bytes: it is not a text CSV file")]
    return text, []


def _csv_records(text: str, file: str) -> tuple[list[list[str]], list[int], list[Problem]]:
    """Parse CSV text; returns records, the line each starts on, and a problem on malformed quotes."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[list[str]] = []
    starts: list[int] = []
    prev = 0
    try:
        for rec in reader:
            starts.append(prev + 1)
            records.append(rec)
            prev = reader.line_num
    except csv.Error as exc:
        return records, starts, [Problem(file, prev + 1, None,
                                         f"malformed CSV ({exc}); check the double quotes on this line: "
                                         "a text containing a comma or a quote must be enclosed in \"...\" "
                                         "and inner quotes doubled (\"\")")]
    return records, starts, []


#: The sheet of the fill-in template (:mod:`helpers.template`); read first when a workbook has it.
TEMPLATE_SHEET = "template"


@dataclass
class _Sheet:
    """What :func:`_xlsx_records` read: text records, the row number of each, the sheet read and
    all sheets, percentage cells and formula cells without a saved value, keyed (record index,
    column index)."""

    records: list[list[str]] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    name: str | None = None
    names: list[str] = field(default_factory=list)
    percent: dict[tuple[int, int], tuple[str, float]] = field(default_factory=dict)
    no_value: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)


def _pick_sheet(wb, required: tuple[str, ...]) -> str:
    """The sheet to read: the one named like the template's, else the first whose first non-blank
    row names every ``required`` column, else the first sheet."""
    names = wb.sheetnames
    if TEMPLATE_SHEET in names:
        return TEMPLATE_SHEET
    for name in names:
        for row in wb[name].iter_rows(values_only=True, max_row=20):
            cells = {str(v).strip() for v in row if v is not None and str(v).strip()}
            if cells:
                if set(required) <= cells:
                    return name
                break
    return names[0]


def _xlsx_records(path: Path, file: str, required: tuple[str, ...] = ()) -> tuple[_Sheet, list[Problem]]:
    """Rows of one sheet of an .xlsx workbook as text (row 1 = line 1); the sheet is chosen by
    :func:`_pick_sheet`. The workbook is read twice: once for the values Excel saved
    (``data_only=True``) and once for the formulas, so a formula cell without a saved value is
    found (openpyxl reads it as empty) instead of being silently skipped."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    out = _Sheet()
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        wf = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError) as exc:
        return out, [Problem(file, None, None, f"not a readable .xlsx workbook ({exc})")]
    try:
        out.names = list(wb.sheetnames)
        if not out.names:
            return out, [Problem(file, None, None, "the workbook has no sheet")]
        out.name = _pick_sheet(wb, required)
        rows_f = wf[out.name].iter_rows()
        for number, row in enumerate(wb[out.name].iter_rows(), start=1):
            frow = next(rows_f, ())
            i = len(out.records)
            text = []
            for j, cell in enumerate(row):
                v = cell.value
                text.append(_cell_text(v))
                if isinstance(v, (int, float)) and not isinstance(v, bool) and "%" in (cell.number_format or ""):
                    out.percent[(i, j)] = (f"{get_column_letter(j + 1)}{number}", float(v))
                if v is None and j < len(frow):
                    f = frow[j].value
                    if getattr(frow[j], "data_type", None) == "f" or (isinstance(f, str) and f.startswith("=")):
                        formula = f if isinstance(f, str) else str(getattr(f, "text", "") or "a formula")
                        out.no_value[(i, j)] = (f"{get_column_letter(j + 1)}{number}", formula)
            out.records.append(text)
            out.starts.append(number)
    finally:
        wb.close()
        wf.close()
    return out, []


def _cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v).upper()
    if isinstance(v, (int, float)):
        return fmt_exact(v)
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return str(v)


def percent_value(number: float) -> float:
    """The percentage an Excel percent cell shows: ``0.85`` -> ``85.0`` (decimal arithmetic, so
    no ``85.00000000000001``)."""
    from decimal import Decimal

    return float(Decimal(repr(float(number))) * 100)


def _sheet_list(sheet: _Sheet | None) -> str:
    if sheet is None or len(sheet.names) < 2:
        return ""
    listed = ", ".join(f"'{n}'" for n in sheet.names)
    return f" (the workbook has the sheets {listed}; sheet '{sheet.name}' was read)"


def read_cells(path: str | Path, required: tuple[str, ...], file: str | None = None) -> Table:
    """Read a CSV (or ``.xlsx``) file as text cells: header on line 1, rows indexed by line.

    Checks everything that must hold before a schema can run: the file exists and is not empty,
    it is UTF-8 (a BOM is fine), quotes are well-formed, the header names ``required`` columns
    (once each), no row has more cells than the header (extra *empty* cells are ignored, a short
    row is padded). Blank rows are skipped. Cells are ``NA`` when empty or only spaces.
    """
    path = Path(path)
    file = file or str(path)
    table = Table(path, file)
    sheet = None
    if path.suffix.lower() in (".xlsx", ".xlsm") and path.is_file():
        sheet, problems = _xlsx_records(path, file, required)
        records, starts = sheet.records, sheet.starts
        table.sheet, table.sheets = sheet.name, sheet.names
        if not records and not problems:
            problems = [Problem(file, 1, None, f"the sheet '{sheet.name}' is empty; expected a header row"
                                               f"{_sheet_list(sheet)}")]
    else:
        text, problems = _read_text(path, file, required)
        records, starts = [], []
        if text is not None:
            records, starts, more = _csv_records(text, file)
            problems += more
    table.problems = problems
    if problems or not records:
        return table

    keep = [i for i, r in enumerate(records) if any(c.strip() for c in r)]
    if not keep:
        table.problems.append(Problem(file, 1, None, "the file has no header line; expected the columns: "
                                                     + ",".join(required)))
        return table
    h = keep[0]
    header_line = starts[h]
    header = [c.strip().lstrip("\ufeff") for c in records[h]]
    rows = [records[i] for i in keep[1:]]
    lines = [starts[i] for i in keep[1:]]

    # Unnamed trailing columns (spreadsheet leftovers) are dropped when they hold nothing.
    full_width = len(header)
    width = full_width
    while width and not header[width - 1]:
        width -= 1
    named = header[:width]
    problems = []
    for i, name in enumerate(named):
        if not name:
            problems.append(Problem(file, header_line, f"column {i + 1}", "this column has no name in the header"))
    dupes = sorted({n for n in named if n and named.count(n) > 1})
    for name in dupes:
        problems.append(Problem(file, header_line, name, "this column appears more than once in the header"))
    for name in required:
        if name not in named:
            close = difflib.get_close_matches(name, [n for n in named if n not in required], n=1)
            hint = f" (is '{_escape(close[0])}' a misspelling?)" if close else ""
            where = f" in sheet '{sheet.name}'" if sheet is not None else ""
            problems.append(Problem(file, header_line, name, f"required column '{name}' is missing{where}{hint}; "
                                                            f"the header must contain: {','.join(required)}"
                                                            f"{_sheet_list(sheet)}"))
    if problems:
        table.problems = problems
        return table

    if sheet is not None:
        line_of = dict(zip(range(len(starts)), starts))
        for (i, j), (coord, formula) in sorted(sheet.no_value.items()):
            if j < width and i != h:
                table.problems.append(Problem(
                    file, line_of[i], named[j] or f"column {j + 1}",
                    f"{table.cell_ref(coord)} holds the formula {_escape(formula)} but no saved value (the "
                    "workbook was saved by a program that does not calculate); type the number itself, or "
                    "open the file in Excel or LibreOffice and save it again"))
        table.percent_cells = {(line_of[i], named[j]): ref for (i, j), ref in sheet.percent.items()
                               if j < width and i != h and named[j]}

    cells: list[list[str]] = []
    kept_lines: list[int] = []
    for line, row in zip(lines, rows):
        # More cells than the header has (named or not): a comma inside an unquoted text shifted
        # the row. Cells under unnamed trailing header columns are ignored when empty.
        if len(row) > full_width or any(c.strip() for c in row[width:]):
            table.problems.append(Problem(
                file, line, None,
                f"this row has {len(row)} cells but the header has {width} columns; a text or number "
                "containing a comma must be enclosed in double quotes (and numbers need no comma)"))
            continue
        row = [c if c.strip() else None for c in row[:width]]  # empty or only spaces: NA
        cells.append(row + [None] * (width - len(row)))
        kept_lines.append(line)
    table.raw = pd.DataFrame(cells, columns=named, index=pd.Index(kept_lines, name="line"), dtype="string")
    return table


# ------------------------------------------------------------------------------------ numbers

#: Characters used as thousands separators besides ',' (after NFKC, which turns '，' into ','):
#: apostrophes, spaces, no-break and thin spaces.
_SEPARATORS = r"['’\u00a0\u202f\u2009 、]"
_SEPARATOR_NAMES = {"，": "the full-width comma '，'", " ": "a space", "'": "an apostrophe", "’": "an apostrophe",
                    "\u00a0": "a no-break space <U+00A0>", "\u202f": "a narrow no-break space <U+202F>",
                    "\u2009": "a thin space <U+2009>", "、": "the enumeration comma '、'"}
_FLOAT_LITERAL = r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$"
_INF_TOKENS = ("inf", "-inf", "+inf", "infinity", "-infinity", "+infinity")


def _number_messages(text: pd.Series, integer: bool) -> pd.Series:
    """What is wrong with each cell of ``text`` (stripped "string" cells that are not numbers),
    one message per cell, computed for all cells at once."""
    t = text.astype("string")
    shown = t.str.replace(_ESCAPE, lambda m: f"<U+{ord(m.group()[0]):04X}>", regex=True)
    q = "'" + shown + "'"
    folded = t.str.casefold()
    norm = t.str.normalize("NFKC")
    grouped = norm.str.replace(_SEPARATORS, ",", regex=True)
    num_norm = pd.to_numeric(norm.astype(object), errors="coerce").astype("float64")
    sep = t.str.extract(r"\d([^\d.])\d", expand=False)
    sep_note = (" (here " + sep.map(_SEPARATOR_NAMES).fillna("'" + sep + "'") + ")").where(sep != ",", "").fillna("")
    literal = norm.str.fullmatch(_FLOAT_LITERAL).fillna(False).astype(bool)
    too_big = pd.Series([bool(lit) and math.isinf(float(x)) for lit, x in zip(literal, norm)], index=t.index, dtype=bool)
    cases = [
        (folded.isin(NA_TOKENS), q + ": leave the cell empty for a missing value"),
        (grouped.str.fullmatch(_THOUSANDS),
         q + ": thousands separator not allowed" + sep_note + ", write "
         + grouped.str.replace(",", "", regex=False)),
        (norm.str.fullmatch(_PERCENT),
         q + ": write the number without % (" + norm.str.rstrip("%").str.strip()
         + "); the unit column says what it measures"),
        (norm.str.fullmatch(_DECIMAL_COMMA), q + ": use a dot for decimals, write " + norm.str.replace(",", ".", regex=False)),
        (t.str.contains(schema.FORMULA_PATTERN, regex=True), q + " looks like a spreadsheet formula; write the number itself"),
        ((norm != t) & pd.Series(np.isfinite(num_norm), index=t.index),
         q + ": write the number with plain (half-width) digits: " + norm),
        (folded.isin(_INF_TOKENS), q + " is not a finite number"),
        (too_big, q + " is out of range: too large for a number (the largest is about 1.8e308); check the "
                  "value and its unit"),
        (norm.str.fullmatch(_WITH_UNIT),
         q + (": write only the year as digits, e.g. 2017" if integer
              else ": write only the number; the unit belongs in the unit column")),
    ]
    out = q + (" is not a year; expected a whole number such as 2017" if integer
               else " is not a number; expected a plain number such as 1300 or 4.5")
    for mask, message in reversed(cases):  # the first case that applies wins
        out = message.where(mask.astype("boolean").fillna(False).astype(bool), out)
    return out


#: The largest magnitude a value may have: larger ones are typing or unit errors (and would
#: overflow in the growth-rate arithmetic).
MAX_ABS_VALUE = 1e15


def coerce_numbers(raw: pd.DataFrame, file: str, floats=(), ints=()) -> tuple[pd.DataFrame, list[Problem]]:
    """Typed copy of ``raw``: ``floats`` as float64, ``ints`` as Int64, other columns as "string".

    A cell that is not a plain number becomes ``NA`` and yields a problem saying what to write
    instead. Surrounding spaces around a number are ignored; scientific notation is accepted.
    """
    out = raw.astype("string")
    problems: list[Problem] = []
    for col in (*floats, *ints):
        if col not in raw.columns:
            continue
        text = raw[col].str.strip()
        num = pd.to_numeric(text.astype(object), errors="coerce").astype("float64")
        integer = col in ints
        not_number = (text.notna() & ~np.isfinite(num)).astype(bool)
        fractional = (np.isfinite(num) & (num != np.round(num))) if integer else pd.Series(False, index=num.index)
        if not_number.any():
            messages = _number_messages(text[not_number], integer)
            problems += [Problem(file, int(line), col, m) for line, m in messages.items()]
        for line, t in text[fractional].items():
            problems.append(Problem(file, int(line), col, f"'{_escape(t)}' is not a whole number; a year is written like 2017"))
        huge = (np.isfinite(num) & (num.abs() > MAX_ABS_VALUE)).astype(bool)
        for line, t in text[huge].items():
            problems.append(Problem(file, int(line), col, f"'{_escape(t)}' is too large for a statistic or a target "
                                                          f"(more than {MAX_ABS_VALUE:.0e} in absolute value); "
                                                          "check the value and its unit"))
        num = num.where(~(not_number | fractional | huge))
        out[col] = num.round().astype("Int64") if integer else num
    return out, problems


# ------------------------------------------------------------------------------------- schemas

def _duplicate_messages(err, frame: pd.DataFrame, file: str, keys: list[str]) -> list[Problem]:
    """One problem per duplicated row, naming the other line(s) with the same key (and, for
    statistics, whether the values differ)."""
    lines = sorted(set(int(i) for i in err.failure_cases["index"].dropna()))
    sub = frame.loc[lines, keys]
    # A key cell that could not be read (already reported) is NA; NA keys are not duplicates.
    sub = sub[sub.notna().all(axis=1)]
    key = sub.astype("string").agg("\x1f".join, axis=1)
    members = pd.Series(sub.index, index=sub.index).groupby(key.to_numpy()).agg(list)
    values = (frame.loc[sub.index, "value"].groupby(key.to_numpy()).agg(lambda v: sorted({_show(x) for x in v}))
              if "value" in frame.columns and len(keys) > 1 else None)
    problems = []
    for line, k in key.items():
        others = ", ".join(str(o) for o in members[k] if o != line)
        plural = "s" if "," in others else ""
        if len(keys) == 1:
            msg = f"duplicate {keys[0]} '{_show(sub.at[line, keys[0]])}' (also on line{plural} {others}); each must be unique"
        else:
            shown = ", ".join(_show(sub.at[line, c]) for c in keys)
            vals = values[k] if values is not None else []
            differ = (f"; the values differ ({' vs '.join(vals)})" if len(vals) > 1 else "; same value twice") if values is not None else ""
            msg = (f"duplicate row for ({', '.join(keys)}) = ({shown}), also on line{plural} {others}"
                   f"{differ}; keep one row per {', '.join(keys)}")
        problems.append(Problem(file, int(line), keys[0], msg))
    return problems


def schema_problems(exc: SchemaErrors, frame: pd.DataFrame, file: str) -> list[Problem]:
    """Turn pandera's lazily collected failures into problems (frame indexed by line number)."""
    problems: list[Problem] = []
    for err in exc.schema_errors:
        check = err.check
        fc = err.failure_cases
        column = getattr(err, "column_name", None)
        if not isinstance(fc, pd.DataFrame) or "index" not in fc.columns:
            problems.append(Problem(file, None, column, f"schema check failed: {err}"))
            continue
        lines = [int(i) for i in pd.unique(fc["index"].dropna())]
        if isinstance(check, pa.Check):
            column = schema.BLAME.get(check.name, column)
            template = check.error or str(check.name)
            # Only the fields the message uses, for all failing rows at once (fast on big files).
            names = {f for _, f, _, _ in string.Formatter().parse(template) if f}
            used = [c for c in frame.columns if c in names or c == column]
            sub = frame.loc[lines, used]
            for line, rec in zip(lines, sub.to_dict("records")):
                problems.append(Problem(file, line, column, _fill(template, rec, rec.get(column))))
        elif check == "not_nullable":
            msg = schema.REQUIRED_MESSAGES.get(column, schema.REQUIRED_DEFAULT)
            problems += [Problem(file, line, column, msg) for line in lines]
        elif check == "field_uniqueness":
            problems += _duplicate_messages(err, frame, file, [column])
        elif check == "multiple_fields_uniqueness":
            problems += _duplicate_messages(err, frame, file, list(err.schema.unique))
        else:
            for line in lines:
                problems.append(Problem(file, line, column, f"{check}: {_show(frame.at[line, column]) if column else ''}"))
    return problems


def _frame_check_problems(check: pa.Check, frame: pd.DataFrame, file: str) -> list[Problem]:
    """Problems of one DataFrame-level check of :mod:`helpers.schema`, run directly on ``frame``
    (the check returns a boolean Series, True = passes): pandera's own failure-case reshaping
    of whole failing rows takes minutes on 100k bad rows; this takes well under a second."""
    ok = check._check_fn(frame)
    column = schema.BLAME.get(check.name)
    template = check.error or str(check.name)
    if not isinstance(ok, pd.Series):
        return [] if bool(ok) else [Problem(file, None, column, template)]
    failing = [int(i) for i in ok.index[~ok.fillna(True).astype(bool).to_numpy()]]
    if not failing:
        return []
    names = {f for _, f, _, _ in string.Formatter().parse(template) if f}
    used = [c for c in frame.columns if c in names or c == column]
    sub = frame.loc[failing, used]
    return [Problem(file, line, column, _fill(template, rec, rec.get(column)))
            for line, rec in zip(failing, sub.to_dict("records"))]


def run_schema(sch: pa.DataFrameSchema, frame: pd.DataFrame, file: str) -> list[Problem]:
    """Validate ``frame`` (lazy: every failure) and return the problems. The schema's
    DataFrame-level checks run apart (:func:`_frame_check_problems`), the column checks, dtypes,
    nullability and uniqueness through pandera."""
    problems: list[Problem] = []
    frame_checks = [c for c in sch.checks if isinstance(c, pa.Check) and hasattr(c, "_check_fn")]
    if frame_checks:
        for check in frame_checks:
            problems += _frame_check_problems(check, frame, file)
        sch = copy.copy(sch)
        sch.checks = [c for c in sch.checks if not any(c is f for f in frame_checks)]
    return problems + _run_pandera(sch, frame, file)


def _run_pandera(sch: pa.DataFrameSchema, frame: pd.DataFrame, file: str) -> list[Problem]:
    try:
        with warnings.catch_warnings():
            # pandera's own failure-case formatting trips a pandas FutureWarning on all-NA
            # cases (missing cells); it is about pandera internals, not about the user's data.
            warnings.filterwarnings("ignore", category=FutureWarning, module=r"pandera\.")
            sch.validate(frame, lazy=True)
    except SchemaErrors as exc:
        return schema_problems(exc, frame, file)
    return []


def read_table(path: str | Path, kind: str, file: str | None = None) -> Table:
    """Read ``kind`` ("targets" | "statistics") from ``path`` and coerce its numbers.

    ``table.frame`` is typed (contract dtypes, line-number index) and has the optional columns
    added empty; schema checks are not run here (see :func:`check_targets` /
    :func:`check_statistics`).
    """
    spec = TABLES[kind]
    file = file or str(path)
    table = read_cells(path, spec["required"], file)
    if table.raw is None:
        return table
    frame, problems = coerce_numbers(table.raw, file, spec["floats"], spec["ints"])
    invisible = invisible_problems(table.raw, file)
    problems = invisible + without_cells_of(problems, invisible)
    numeric = (*spec["floats"], *spec["ints"])
    for (line, col), (coord, number) in sorted(table.percent_cells.items()):
        if col in numeric:  # only the template import knows the unit (helpers.template)
            frame.loc[line, col] = np.nan if col in spec["floats"] else pd.NA
            problems.append(Problem(file, line, col, f"{table.cell_ref(coord)} is formatted as a percentage "
                                    f"(Excel stores {fmt_exact(number)} for {fmt_exact(percent_value(number))}%); format it "
                                    "as a plain number and type the value in the row's unit"))
    for col in spec["optional"]:
        if col not in frame.columns:
            dtype = schema.TARGET_DTYPES.get(col, "string")
            frame[col] = pd.Series(np.nan if dtype == "float64" else pd.NA, index=frame.index, dtype=dtype)
    table.frame = frame
    table.problems += problems
    return table


def check_targets(targets: Table, statistics: pd.DataFrame | None = None,
                  areas: list[str] | None = None) -> list[Problem]:
    """Schema problems of a read targets table (plus the reference-series check when
    ``statistics`` is given, and every area one of ``areas``, plan.json's area keys, when
    given). An empty table (header only) is a problem: a plan needs targets."""
    if targets.frame is None:
        return []
    file = targets.file
    frame = schema.prepare_targets(targets.frame, statistics)
    problems = run_schema(schema.targets_schema(list(frame.columns), statistics is not None, areas),
                          frame, file)
    problems = without_cells_of(problems, targets.problems)
    if frame.empty:
        problems.append(Problem(file, 2, None, "no targets: the file has a header but no rows"))
    return problems


def check_statistics(statistics: Table, targets: pd.DataFrame | None = None) -> list[Problem]:
    """Schema problems of a read statistics table (cross-checked against ``targets`` if given).
    A header-only statistics table is fine (no values yet)."""
    if statistics.frame is None:
        return []
    file = statistics.file
    if targets is not None and targets.empty:
        targets = None  # no targets to cross-check with (reported on the targets file)
    frame = schema.prepare_statistics(statistics.frame, targets)
    problems = run_schema(schema.statistics_schema(list(frame.columns), targets is not None), frame, file)
    return without_cells_of(problems, statistics.problems)


@dataclass
class Checked:
    """Both tables after every check: typed frames (line-number index) and all problems."""

    targets: Table
    statistics: Table
    problems: list[Problem]
    #: ``plan.json`` beside the targets file as parsed (``{}`` when absent or unreadable).
    plan: dict = field(default_factory=dict)


def _plan_cross_checks(meta: dict, plan_file: str, targets: pd.DataFrame | None) -> list[Problem]:
    """plan.json keys that name a target or an area: they must exist."""
    from helpers.plan import area_keys

    problems = []
    if targets is None:
        return problems
    ids = set(targets["id"].dropna().astype(str))
    used = set(targets["area"].dropna().astype(str))
    wanted = meta.get("default_indicator")
    if isinstance(wanted, str) and wanted and wanted not in ids:
        problems.append(Problem(plan_file, None, "default_indicator", f"{wanted!r} is not a target id of targets.csv"))
    area = meta.get("default_area")
    if isinstance(area, str) and area and area not in set(area_keys(meta)) & used:
        problems.append(Problem(plan_file, None, "default_area",
                                f"{area!r} is not a declared area with at least one target"))
    return problems


def check_files(targets_path: str | Path, statistics_path: str | Path) -> Checked:
    """Read and check both tables, with the cross-checks between them and ``plan.json``
    (beside the targets file; required: it declares the plan's areas and places)."""
    from helpers.plan import area_keys, read_plan_json

    t = read_table(targets_path, "targets")
    s = read_table(statistics_path, "statistics")
    plan_file = Path(targets_path).parent / "plan.json"
    plan, plan_problems = read_plan_json(plan_file)
    areas = area_keys(plan) if isinstance(plan.get("areas"), list) and plan["areas"] else None
    plan_problems += _plan_cross_checks(plan, str(plan_file), t.frame)
    t_problems = t.problems + check_targets(t, s.frame, areas)
    s_problems = s.problems + check_statistics(s, t.frame)
    problems = (sort_problems(t_problems, list(schema.TARGET_COLUMNS)) + plan_problems
                + sort_problems(s_problems, list(schema.STATISTICS_COLUMNS)))
    return Checked(t, s, problems, plan)


def validate_files(targets_path: str | Path, statistics_path: str | Path) -> list[Problem]:
    """Every problem of the targets and statistics files (and ``plan.json`` beside the targets),
    in file order, then line and column order. Empty list when both are clean. Never raises for
    bad data."""
    return check_files(targets_path, statistics_path).problems


def cli_validate(args) -> int:
    """``python -m helpers validate``: problems on stderr, exit 2; or "ok: ..." and exit 0."""
    checked = check_files(args.targets, args.statistics)
    if checked.problems:
        for line in format_problems(checked.problems):
            print(line, file=sys.stderr)
        n = len(checked.problems)
        print(f"{n} problem{'s' if n != 1 else ''} found", file=sys.stderr)
        return 2
    print(f"ok: {len(checked.targets.frame)} targets, {len(checked.statistics.frame)} statistics rows")
    return 0
