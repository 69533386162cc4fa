"""Reading an input file as text cells, with a message for every problem naming the file, line
and column (data layer, used by :mod:`helpers.data.validate`, :mod:`helpers.data.template` and the
commands; :mod:`helpers.data.coerce` then turns the number cells into numbers).

- :func:`file_problem` — why a path cannot be read as an input file, checked with ``stat``
  before anything opens it: not found, a broken symlink or a symlink loop, a folder, a FIFO,
  socket or device (opening a FIFO would wait forever), not readable.
- :func:`read_cells` — a CSV file (or an ``.xlsx`` workbook, read by
  :mod:`helpers.data.workbook`: its visible sheet with the required columns, within its limits) as text cells (:class:`Table`), header on line 1, rows indexed by their
  line number as an editor shows it (which survives quoted cells spanning several lines). Before
  any schema can run: a missing or 0-byte file, text that is not UTF-8 (GBK/GB18030,
  Windows-1252, UTF-16: reported at the line of the first bad byte, with "save as UTF-8"; the
  encoding is guessed by :func:`_guess_encoding`), a UTF-8 byte-order mark (accepted silently),
  malformed quotes, rows with more cells than the header, missing or repeated header columns,
  and in a workbook formula cells without a saved value and cells formatted as percentages.
- :func:`invisible_problems` — any cell holding an invisible character (zero-width, direction
  controls, control characters) is a problem; every message shows such characters escaped
  (``<U+200B>``, :func:`escape_invisible`).

Nothing here raises for bad data: every function returns the problems it found.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers.data.workbook import Sheet, percent_value, xlsx_records  # noqa: F401 (percent_value: re-exported)
from helpers.exceptions import Problem

BOM = b"\xef\xbb\xbf"


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
ESCAPED = re.compile(INVISIBLE_PATTERN + "|[\u00a0\u2000-\u200a\u202f\u205f]")


def escape_invisible(text: str) -> str:
    """``text`` with every invisible character (:data:`INVISIBLE_PATTERN`) and every space other
    than the plain one written as ``<U+200B>``, so a message shows it."""
    return ESCAPED.sub(lambda m: f"<U+{ord(m.group()[0]):04X}>", text)


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
            problems.append(Problem(file, int(line), str(col), invisible_message(str(text))))
    return problems


def invisible_message(text: str) -> str | None:
    """The message for a text holding invisible characters (:data:`INVISIBLE_PATTERN`), the
    text escaped and the characters named; ``None`` when it holds none."""
    found = sorted({m.group()[0] for m in _INVISIBLE.finditer(text)})
    if not found:
        return None
    names = ", ".join(_char_name(c) for c in found)
    return (f"'{escape_invisible(text)}' contains invisible characters ({names}); "
            "delete them: text that looks the same must be the same")


# ------------------------------------------------------------------------------------- files

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


def file_problem(path: str | Path, file: str | None = None, what: str = "file",
                 expected: str = "a CSV file") -> Problem | None:
    """Why ``path`` cannot be read as an input file, checked with ``stat`` before anything opens
    it (opening a FIFO would wait forever): not found, a broken symlink, a symlink loop, a folder,
    not a regular file (FIFO, socket, device), not readable. ``None`` when it is a readable
    regular file. ``what`` names the file in "… not found" (e.g. "statistics file"), ``expected``
    what a regular file should have been ("a CSV file")."""
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
        return Problem(file, None, None, f"not a regular file: this is {kind}; give the path of {expected}")
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
        if "field larger than field limit" in str(exc):  # not a quoting problem
            limit = csv.field_size_limit()
            return records, starts, [Problem(file, prev + 1, None,
                                             f"a cell is too long: more than {limit:,} characters (the "
                                             "CSV reader's limit per cell); shorten it or check that a quote "
                                             "opened in this row is closed")]
        return records, starts, [Problem(file, prev + 1, None,
                                         f"malformed CSV ({exc}); check the double quotes on this line: "
                                         "a text containing a comma or a quote must be enclosed in \"...\" "
                                         "and inner quotes doubled (\"\")")]
    return records, starts, []


def _sheet_list(sheet: Sheet | None) -> str:
    if sheet is None or len(sheet.names) < 2:
        return ""
    listed = ", ".join(f"'{n}'" for n in sheet.names)
    return f" (the workbook has the sheets {listed}; sheet '{sheet.name}' was read)"


#: At most this many line numbers are listed in the one problem about rows with too many cells.
RAGGED_LINES_SHOWN = 10
_QUOTE_HINT = ("a text or number containing a comma must be enclosed in double quotes (and numbers "
               "need no comma)")


def _ragged_problem(file: str, ragged: list[tuple[int, int]], width: int) -> Problem:
    """One problem for every row with more cells than the header (issue 24: one unquoted comma in
    a source title repeated on 19 rows printed 19 identical lines): how many, which lines, what to do."""
    line, n = ragged[0]
    if len(ragged) == 1:
        return Problem(file, line, None, f"this row has {n} cells but the header has {width} columns; {_QUOTE_HINT}")
    shown = ", ".join(str(ln) for ln, _ in ragged[:RAGGED_LINES_SHOWN])
    more = f" and {len(ragged) - RAGGED_LINES_SHOWN} more" if len(ragged) > RAGGED_LINES_SHOWN else ""
    return Problem(file, line, None,
                   f"{len(ragged)} rows have more cells than the header's {width} columns (lines {shown}{more}; "
                   f"line {line} has {n}); {_QUOTE_HINT}. The same unquoted text on several rows is often one "
                   "copied source title: quote it, or replace its comma, in each of them")


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
        sheet, problems = xlsx_records(path, file, required)
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
            hint = f" (is '{escape_invisible(close[0])}' a misspelling?)" if close else ""
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
                    f"{table.cell_ref(coord)} holds the formula {escape_invisible(formula)} but no saved value "
                    "(the workbook was saved by a program that does not calculate); type the number itself, or "
                    "open the file in Excel or LibreOffice and save it again"))
        table.percent_cells = {(line_of[i], named[j]): ref for (i, j), ref in sheet.percent.items()
                               if j < width and i != h and named[j]}

    cells: list[list[str]] = []
    kept_lines: list[int] = []
    ragged: list[tuple[int, int]] = []
    for line, row in zip(lines, rows):
        # More cells than the header has (named or not): a comma inside an unquoted text shifted
        # the row. Cells under unnamed trailing header columns are ignored when empty.
        if len(row) > full_width or any(c.strip() for c in row[width:]):
            ragged.append((line, len(row)))
            continue
        row = [c if c.strip() else None for c in row[:width]]  # empty or only spaces: NA
        cells.append(row + [None] * (width - len(row)))
        kept_lines.append(line)
    if ragged:
        table.problems.append(_ragged_problem(file, ragged, width))
    table.raw = pd.DataFrame(cells, columns=named, index=pd.Index(kept_lines, name="line"), dtype="string")
    return table
