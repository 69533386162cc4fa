"""An ``.xlsx`` workbook read as text records (data layer, for :func:`helpers.data.readers.read_cells`).

- :func:`xlsx_records` — the rows of one sheet as text, row 1 = line 1: the values Excel saved,
  the cells formatted as percentages, and formula cells without a saved value.
- :func:`pick_sheet` — which sheet: among the **visible** sheets, the one whose header names every
  required column; several such sheets are a problem (say which one to keep); none: the visible
  ``template`` sheet, else the first visible sheet. A hidden sheet is never read (a researcher who
  copies the template sheet, fills the copy and hides the original means the copy).
- Limits, checked before anything is parsed where possible: at most :data:`MAX_XLSX_BYTES`
  unpacked (the sizes the zip directory declares, which reading enforces: a small file can unpack
  to gigabytes, and openpyxl parses the XML inside, comments included, at about 1 MB/s), at most
  :data:`MAX_XLSX_ROWS` rows and :data:`MAX_XLSX_COLUMNS` columns. A larger table is a CSV file's
  job (``read_cells`` reads any size of CSV). Comments are never loaded (read-only mode).

Nothing here raises for bad data: problems are returned.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from helpers.exceptions import Problem
from helpers.formats import fmt_exact

#: The sheet of the fill-in template (:mod:`helpers.data.template`).
TEMPLATE_SHEET = "template"
#: Limits of a workbook (a plan's template has a few thousand rows of about 1 kB of XML each).
MAX_XLSX_BYTES = 64 * 1024 * 1024
MAX_XLSX_ROWS = 50_000
MAX_XLSX_COLUMNS = 500
_SAVE_AS_CSV = "save the sheet as 'CSV UTF-8' and give that file instead"


@dataclass
class Sheet:
    """What :func:`xlsx_records` read: text records, the row number of each, the sheet read and
    all sheets, percentage cells and formula cells without a saved value, keyed (record index,
    column index)."""

    records: list[list[str]] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    name: str | None = None
    names: list[str] = field(default_factory=list)
    percent: dict[tuple[int, int], tuple[str, float]] = field(default_factory=dict)
    no_value: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)


def _header(ws) -> set[str]:
    for row in ws.iter_rows(values_only=True, max_row=20, max_col=MAX_XLSX_COLUMNS):
        cells = {str(v).strip() for v in row if v is not None and str(v).strip()}
        if cells:
            return cells
    return set()


def pick_sheet(wb, required: tuple[str, ...]) -> tuple[str | None, str | None]:
    """(the sheet to read, None) or (None, why no sheet can be chosen); see the module's rules."""
    visible = [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"]
    if not visible:
        return None, "the workbook has no visible sheet"
    fits = [name for name in visible if set(required) <= _header(wb[name])]
    if len(fits) == 1:
        return fits[0], None
    if len(fits) > 1:
        listed = ", ".join(f"'{n}'" for n in fits)
        return None, (f"several visible sheets have the template's columns ({listed}); it is not clear which "
                      "one to read: delete or hide the others and keep the filled one")
    return (TEMPLATE_SHEET if TEMPLATE_SHEET in visible else visible[0]), None


def _unpacked_size(path: Path) -> int:
    with zipfile.ZipFile(path) as z:
        return sum(i.file_size for i in z.infolist())


def xlsx_records(path: Path, file: str, required: tuple[str, ...] = ()) -> tuple[Sheet, list[Problem]]:
    """Rows of one sheet of an .xlsx workbook as text (row 1 = line 1); the sheet is chosen by
    :func:`pick_sheet`. The workbook is read twice: once for the values Excel saved
    (``data_only=True``) and once for the formulas, so a formula cell without a saved value is
    found (openpyxl reads it as empty) instead of being silently skipped."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    out = Sheet()
    try:
        size = _unpacked_size(path)
        if size > MAX_XLSX_BYTES:
            return out, [Problem(file, None, None, f"the workbook unpacks to {size:,} bytes, more than the "
                                                   f"limit of {MAX_XLSX_BYTES:,} for a workbook; {_SAVE_AS_CSV}")]
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        wf = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError) as exc:
        return out, [Problem(file, None, None, f"not a readable .xlsx workbook ({exc})")]
    try:
        out.names = list(wb.sheetnames)
        if not out.names:
            return out, [Problem(file, None, None, "the workbook has no sheet")]
        out.name, why = pick_sheet(wb, required)
        if why:
            return out, [Problem(file, None, None, why)]
        ws, wsf = wb[out.name], wf[out.name]
        for sheet in (ws, wsf):  # the declared size may be "A1:XFD1048576": cells are padded to it
            sheet.reset_dimensions()
        rows_f = wsf.iter_rows()
        for number, row in enumerate(ws.iter_rows(), start=1):
            frow = next(rows_f, ())
            if number > MAX_XLSX_ROWS:
                return out, [Problem(file, number, None, f"sheet '{out.name}' has more than {MAX_XLSX_ROWS:,} "
                                                         f"rows, the limit for a workbook; {_SAVE_AS_CSV}")]
            if len(row) > MAX_XLSX_COLUMNS:
                if any(c.value is not None for c in row[MAX_XLSX_COLUMNS:]):
                    return out, [Problem(file, number, None, f"sheet '{out.name}' has a value beyond column "
                                                             f"{MAX_XLSX_COLUMNS}, the limit for a workbook; "
                                                             f"{_SAVE_AS_CSV}")]
                row = row[:MAX_XLSX_COLUMNS]
            i = len(out.records)
            text = []
            for j, cell in enumerate(row):
                v = cell.value
                text.append(cell_text(v))
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


def cell_text(v: object) -> str:
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
