"""The researchers' fill-in template and its validating import.

:func:`write_template` writes one row per target × year (baseline year .. target year) for one
jurisdiction, with what is already known, plus rows for the reference series of every
``relative`` target; the researcher fills ``value``, ``source_title``, ``source_url`` and ``note``
in a spreadsheet. CSV files are written as UTF-8 with a byte-order mark so Excel shows the Chinese
text; ``.xlsx`` workbooks through pandas/openpyxl. No cell of either can run as a formula: CSV text
cells starting with ``=``, ``+``, ``-``, ``@``, tab or CR get a leading ``'``
(:func:`helpers.data.fileio.neutralise_frame`, undone on import); xlsx text cells are always strings.

:func:`import_template` merges the filled rows back into the statistics table. It checks the
whole file first (problems name the template file, its line and column: the same messages as
``validate``), refuses a value without a source title, an unknown indicator, a year outside the
target's plan years, a unit other than the target's, a cell that is not a number. A value that
differs from the one stored stops the import (:class:`~helpers.exceptions.ImportConflictError`,
naming indicator, geo, year, old and new) unless ``replace``. In an ``.xlsx`` file the visible sheet
with the required columns is read (:mod:`helpers.data.workbook`: never a hidden one; two are
refused; the report names it); a cell formatted as a percentage is multiplied by 100 when the row's unit is ``%`` (the
report says so) and refused otherwise; a formula cell without a saved value is refused, naming
the cell. The merged table is sorted by
(indicator_id, geo, year), validated again, and written atomically; on any error nothing is
written. Rows already stored keep their text byte for byte.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from helpers import vocab
from helpers.data import coerce, fileio, locks, readers, schema, validate
from helpers.exceptions import ImportConflictError, Problem, ValidationError
from helpers.formats import fmt_exact

#: Columns of the template, in order; the last four are the ones to fill. ``plan``: the plan the
#: template was written for (``import`` reads it when ``--plan`` is not given).
TEMPLATE_COLUMNS: tuple[str, ...] = (
    "plan", "indicator_id", "geo", "area", "name_zh", "name_en", "unit", "kind", "value_meaning", "year",
    "known_value", "known_source_title", "known_source_url", "value", "source_title", "source_url", "note",
)
FILL_COLUMNS: tuple[str, ...] = ("value", "source_title", "source_url", "note")
#: Columns an imported file must have (the others are optional or informative).
IMPORT_REQUIRED: tuple[str, ...] = ("indicator_id", "year", "value", "source_title")
REFERENCE_KIND = "reference"
REFERENCE_MEANING = ("参照序列该年的值(如全国平均水平)", "the reference series' value that year (e.g. the national average)")
BOM = "\ufeff"


# ------------------------------------------------------------------------------------ writing

def _target_unit(t: pd.DataFrame) -> pd.Series:
    """Unit of the statistics values of each target: its ``value_unit`` when set (a relative
    target's own values, a rate ratio's yearly rates), else ``unit`` (the schema's rule)."""
    vu = t["value_unit"] if "value_unit" in t.columns else pd.Series(pd.NA, index=t.index, dtype="string")
    return vu.fillna(t["unit"])


def _years(frame: pd.DataFrame, first: str, last: str) -> pd.DataFrame:
    """One row per year first..last of every row of ``frame`` (vectorised repeat)."""
    n = (frame[last] - frame[first] + 1).clip(lower=0).astype("int64").to_numpy()
    out = frame.loc[frame.index.repeat(n)].copy()
    out["year"] = (out[first] + out.groupby(level=0).cumcount().to_numpy()).astype("Int64")
    return out.reset_index(drop=True)


def build_template(targets: pd.DataFrame, statistics: pd.DataFrame, geo: str,
                   plan_name: str | None = None) -> pd.DataFrame:
    """The template as a frame (:data:`TEMPLATE_COLUMNS`; text as "string", ``year`` Int64,
    ``known_value`` float64): targets in table order, years ascending, each relative target
    followed by its reference series' rows (one block per reference id; geo = the geo of the
    stored reference values, empty when none is stored yet). ``plan``: ``plan_name`` in every row
    (empty when None)."""
    t = targets.reset_index(drop=True).assign(_order=lambda d: np.arange(len(d)) * 2)
    rows = t.assign(indicator_id=t["id"], geo=geo, unit=_target_unit(t),
                    value_meaning=[vocab.label(vocab.value_meaning(k, c)) for k, c in zip(t["kind"], t["comparator"])])
    rows = _years(rows, "baseline_year", "target_year")

    rel = t[t["kind"].isin(vocab.REFERENCE_KINDS).fillna(False) & t["reference_id"].notna()]
    if len(rel):
        refs = rel.groupby("reference_id", sort=False).agg(
            area=("area", "first"), name_zh=("name_zh", "first"), name_en=("name_en", "first"),
            unit=("value_unit", "first"), fallback_unit=("unit", "first"), baseline_year=("baseline_year", "min"),
            target_year=("target_year", "max"), _order=("_order", "first")).reset_index()
        stored = statistics[statistics["indicator_id"].isin(refs["reference_id"])]
        ref_geo = stored.groupby("indicator_id")["geo"].agg(lambda g: g.value_counts().index[0])
        refs = refs.assign(
            indicator_id=refs["reference_id"], geo=refs["reference_id"].map(ref_geo).astype("string"),
            unit=refs["unit"].fillna(refs["fallback_unit"]), kind=REFERENCE_KIND,
            name_zh=refs["name_zh"] + "(参照序列)", name_en="Reference series for: " + refs["name_en"],
            value_meaning=vocab.label(REFERENCE_MEANING), _order=refs["_order"] + 1)
        rows = pd.concat([rows, _years(refs, "baseline_year", "target_year")], ignore_index=True)

    known = statistics[["indicator_id", "geo", "year", "value", "source_title", "source_url"]].rename(
        columns={"value": "known_value", "source_title": "known_source_title", "source_url": "known_source_url"})
    rows = rows.merge(known, on=["indicator_id", "geo", "year"], how="left")
    rows = rows.sort_values(["_order", "year"], kind="mergesort").reset_index(drop=True)
    for c in FILL_COLUMNS:
        rows[c] = pd.Series(pd.NA, index=rows.index, dtype="string")
    rows["plan"] = pd.Series(plan_name, index=rows.index, dtype="string")
    out = rows[list(TEMPLATE_COLUMNS)]
    return out.astype({c: "string" for c in TEMPLATE_COLUMNS if c not in ("year", "known_value")}
                      | {"year": "Int64", "known_value": "float64"})


def check_template_out(out: Path, overwrite: bool) -> None:
    file = str(out)
    if out.suffix.lower() not in (".csv", ".xlsx"):
        raise ValidationError([Problem(file, None, None, "the template must be a .csv or .xlsx file")])
    if not out.parent.is_dir():
        raise ValidationError([Problem(file, None, None, f"the folder {out.parent} does not exist; create it "
                                                         "first or choose another --out")])
    if out.is_dir():
        raise ValidationError([Problem(file, None, None, "this is a folder; give a file name ending in .csv or .xlsx")])
    if out.exists() and not overwrite:
        raise ValidationError([Problem(file, None, None, "the file already exists (it may hold filled values); "
                                                         "choose another --out or delete it first")])


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    # Text cells neutralised (a leading ' before =, +, -, @, tab, CR) before the numbers are
    # turned into text, so a negative known_value stays a plain number.
    safe = fileio.neutralise_frame(frame)
    text = safe.assign(known_value=frame["known_value"].map(fmt_exact)).to_csv(
        index=False, lineterminator="\n", na_rep="")
    return (BOM + text).encode("utf-8")


def import_command(plan_args: str | None, file: str = "THIS_FILE") -> str:
    """The command that imports a filled template of the plan named by ``plan_args`` (``--plan
    NAME`` or ``--targets ... --statistics ...``)."""
    return f"python -m helpers import {file}{' ' + plan_args if plan_args else ''} [--dry-run] [--replace]"


def template_plan(path: str | Path) -> str | None:
    """The plan a template names in its ``plan`` column (None when it has none: an older
    template, or one written for plan files outside ``data/raw``). Several names: ValidationError."""
    table = readers.read_cells(path, ("indicator_id",))
    if table.raw is None or table.problems or "plan" not in table.raw.columns:
        return None  # unreadable: import itself names the problem
    names = sorted(set(table.raw["plan"].dropna().astype(str).str.strip()) - {""})
    if len(names) > 1:
        raise ValidationError([Problem(str(path), None, "plan", f"the template names several plans {names}; "
                                                                "pass --plan to say which one it is for")])
    return names[0] if names else None


def _xlsx_bytes(frame: pd.DataFrame, plan_name: str | None = None, plan_args: str | None = None) -> bytes:
    from openpyxl.styles import Font, PatternFill

    buf = io.BytesIO()
    data = frame.astype({"year": "float64"}).astype(object).where(frame.notna(), None)
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        data.to_excel(xw, sheet_name="template", index=False)
        ws = xw.sheets["template"]
        ws.freeze_panes = "B2"
        fill = PatternFill("solid", fgColor="FFF2CC")
        for j, name in enumerate(TEMPLATE_COLUMNS, start=1):
            letter = ws.cell(row=1, column=j).column_letter
            ws.column_dimensions[letter].width = {"name_zh": 28, "name_en": 36, "value_meaning": 40,
                                                  "source_title": 40, "known_source_title": 30}.get(name, 14)
            ws.cell(row=1, column=j).font = Font(bold=True)
            if name in FILL_COLUMNS:
                ws.cell(row=1, column=j).fill = fill
        for r in range(2, len(frame) + 2):
            ws.cell(row=r, column=TEMPLATE_COLUMNS.index("year") + 1).number_format = "0"
        help_rows = pd.DataFrame({"说明 / How to fill": [
            "每行一个目标×年份。只填 value、source_title、source_url、note 四列(黄色表头)。",
            "One row per target × year. Fill only value, source_title, source_url, note (yellow headers).",
            "数值使用 unit 列的单位；不要写千分位逗号、%、单位或 N/A；缺失值留空。",
            "Values in the row's unit; no thousands separators, %, units or N/A; leave missing values empty.",
            "每个数值都必须有来源标题(source_title)；网页来源请填网址(source_url)。",
            "Every value needs its source title; give the URL when the source is a web page.",
            *([f"计划: {plan_name}", f"Plan: {plan_name}"] if plan_name else []),
            f"导入: {import_command(plan_args, '本文件')}",
            f"Import: {import_command(plan_args)}",
        ]})
        help_rows.to_excel(xw, sheet_name="readme", index=False)
        xw.sheets["readme"].column_dimensions["A"].width = 100
        for sheet in xw.sheets.values():
            fileio.text_cells_as_text(sheet)
    return buf.getvalue()


def write_template(out: str | Path, targets: pd.DataFrame, statistics: pd.DataFrame, plan: dict,
                   geo: str | None = None, overwrite: bool = False, plan_name: str | None = None,
                   plan_args: str | None = None) -> pd.DataFrame:
    """Write the fill-in template to ``out`` (``.csv``: UTF-8 with BOM; ``.xlsx``: sheet
    ``template`` plus a bilingual ``readme`` sheet) for ``geo`` (default: the plan's
    jurisdiction). Returns the template frame (:func:`build_template`). ``plan_name`` goes into
    the ``plan`` column and the readme, which gives the import command with ``plan_args``
    (:meth:`helpers.data.plan.PlanFiles.cli_args`, e.g. ``--plan NAME``).

    Raises ValidationError (nothing written) when ``out`` has another extension, its folder does
    not exist, or it exists already and ``overwrite`` is false (it may hold someone's work).
    """
    from helpers.data.load import plan_jurisdiction

    out = Path(out)
    check_template_out(out, overwrite)
    geo = geo or plan_jurisdiction(plan, statistics, targets)
    if geo is None:
        raise ValidationError([Problem(str(out), None, None, "no jurisdiction: plan.json has none and there "
                                                             "are no statistics to infer it from; pass --geo")])
    frame = build_template(targets, statistics, geo, plan_name)
    data = _xlsx_bytes(frame, plan_name, plan_args) if out.suffix.lower() == ".xlsx" else _csv_bytes(frame)
    _write(out, data)
    return frame


def _write(path: Path, data: bytes) -> None:
    """Atomic write; an OS refusal (read-only folder, full disk) becomes an OutputError (exit 2)
    naming the path and the reason, not a traceback."""
    with fileio.writing(path):
        fileio.atomic_write_bytes(path, data)


# ------------------------------------------------------------------------------------ import

@dataclass
class ImportReport:
    """What an import did (or, with ``dry_run``, would do).

    ``added``: new rows (indicator_id, geo, year, value, unit, source_title, line);
    ``changed``: replaced values (indicator_id, geo, year, old_value, new_value,
    old_source_title, new_source_title, line); ``unchanged``: filled rows equal to the stored
    value (the stored row, with its source, is kept). ``line`` is the template's line.
    """

    template_path: Path
    statistics_path: Path
    added: pd.DataFrame
    changed: pd.DataFrame
    unchanged: int
    dry_run: bool = False
    written: bool = False
    rows_after: int = 0
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """Human-readable summary, one line per added / changed value."""
        out = list(self.notes)
        out.append(f"added {len(self.added)} value(s):")
        out += [f"  + {r.indicator_id} {r.geo} {r.year}: {fmt_exact(r.value)} {r.unit} "
                f"(source: {r.source_title}; template line {r.line})" for r in self.added.itertuples()]
        out.append(f"changed {len(self.changed)} value(s):")
        out += [f"  ~ {r.indicator_id} {r.geo} {r.year}: {fmt_exact(r.old_value)} -> "
                f"{fmt_exact(r.new_value)} (source: {r.new_source_title}; was: {r.old_source_title}; "
                f"template line {r.line})" for r in self.changed.itertuples()]
        out.append(f"unchanged: {self.unchanged} value(s) equal to the stored ones")
        if self.dry_run:
            out.append(f"dry run: nothing written to {self.statistics_path}")
        elif self.written:
            out.append(f"wrote {self.statistics_path} ({self.rows_after} rows)")
        else:
            out.append(f"nothing to write: {self.statistics_path} unchanged")
        return out


def _incoming(table: readers.Table, targets: pd.DataFrame, jurisdiction: str | None) -> pd.DataFrame:
    """Filled template rows as statistics-contract text cells (template line index); empty geo
    and unit cells take the jurisdiction (not for reference series) and the expected unit."""
    raw = table.raw
    filled = raw[raw["value"].notna()]
    cols = {c: (filled[c] if c in filled.columns else pd.Series(pd.NA, index=filled.index, dtype="string"))
            for c in schema.STATISTICS_COLUMNS}
    inc = pd.DataFrame(cols).astype("string")
    t = targets.assign(id=targets["id"].str.strip())
    is_ref = inc["indicator_id"].str.strip().isin(set(t["reference_id"].dropna().str.strip())).fillna(False)
    if jurisdiction is not None:
        inc["geo"] = inc["geo"].mask(inc["geo"].isna() & ~is_ref, jurisdiction)
    unit_of = pd.Series(_target_unit(t).to_numpy(), index=t["id"].to_numpy())
    rel = t[t["kind"].isin(vocab.REFERENCE_KINDS).fillna(False) & t["reference_id"].notna()]
    ref_unit = pd.Series(_target_unit(rel).to_numpy(), index=rel["reference_id"].str.strip().to_numpy())
    expected = pd.concat([unit_of, ref_unit[~ref_unit.index.duplicated()]])
    expected = expected[~expected.index.duplicated()]
    inc["unit"] = inc["unit"].fillna(inc["indicator_id"].str.strip().map(expected).astype("string"))
    return inc


PERCENT_UNITS = ("%", "％")


def _percent_cells(tpl: readers.Table, inc_raw: pd.DataFrame) -> tuple[pd.DataFrame, list[str], list[Problem]]:
    """Excel percentage cells (``.xlsx`` only) in the filled rows, read as Excel means them: a
    ``value`` cell formatted as a percentage stores 0.85 for "85%". When the row's unit is ``%``
    the value is multiplied by 100 (and a note says so); for any other unit, or a percentage
    ``year`` cell, it is a problem naming the sheet and the cell. Returns the adjusted rows, the
    notes and the problems."""
    notes: list[str] = []
    problems: list[Problem] = []
    if not tpl.percent_cells:
        return inc_raw, notes, problems
    out = inc_raw.copy()
    for (line, col), (coord, number) in sorted(tpl.percent_cells.items()):
        if line not in out.index or col not in ("value", "year"):
            continue  # a row without a value is not imported; text columns are read as text
        shown = readers.percent_value(number)
        unit = out.at[line, "unit"]
        unit = None if pd.isna(unit) else str(unit).strip()
        if col == "value" and unit in PERCENT_UNITS:
            out.at[line, "value"] = fmt_exact(shown)
            notes.append(f"template line {line} ({tpl.cell_ref(coord)}): Excel percent cell {fmt_exact(number)} "
                         f"read as {fmt_exact(shown)} %")
            continue
        what = f"the unit of '{out.at[line, 'indicator_id']}' is '{unit}', not %" if col == "value" else "a year is not a percentage"
        problems.append(Problem(tpl.file, int(line), col,
                                f"{tpl.cell_ref(coord)} is formatted as a percentage: Excel stores {fmt_exact(number)} "
                                f"and shows {fmt_exact(shown)}%, but {what}; format the cell as a plain number "
                                "(Format Cells > Number) and type the value in the row's unit"))
    return out, notes, problems


def _check_incoming(inc_raw: pd.DataFrame, file: str, targets: pd.DataFrame) -> tuple[pd.DataFrame | None, list[Problem]]:
    typed, problems = coerce.coerce_numbers(inc_raw, file, schema.STATISTICS_FLOAT_COLUMNS, schema.STATISTICS_INT_COLUMNS)
    frame = schema.prepare_statistics(typed, targets)
    found = validate.run_schema(schema.statistics_schema(list(frame.columns), True), frame, file)
    found += validate.run_schema(schema.import_schema(), frame, file)
    problems += validate.without_cells_of(found, problems)
    return typed, problems


def _naming_plan(problem: Problem, plan_name: str | None) -> Problem:
    """An unknown id's problem names the plan it was checked against ("'H01' is not a target id
    of plan NAME, ...")."""
    marker = "is not a target id"
    if not plan_name or marker not in problem.message:
        return problem
    return Problem(problem.file, problem.line, problem.column,
                   problem.message.replace(marker, f"{marker} of plan {plan_name}", 1))


def _statistics_bytes(frame_raw: pd.DataFrame, like: Path) -> bytes:
    """The merged table as CSV in the style of the file it replaces: a UTF-8 byte-order mark
    and CRLF line ends are kept when ``like`` has them (a file saved by Excel), so a diff shows
    only the rows that changed; otherwise no mark and ``\\n``."""
    try:
        with open(like, "rb") as f:
            head = f.read(1 << 16)
    except OSError:
        head = b""
    first = head.split(b"\n", 1)[0]
    crlf = first.endswith(b"\r") and b"\n" in head
    text = frame_raw.to_csv(index=False, lineterminator="\r\n" if crlf else "\n", na_rep="")
    return (readers.BOM if head.startswith(readers.BOM) else b"") + text.encode("utf-8")


def import_template(path: str | Path, statistics_path: str | Path, targets: pd.DataFrame,
                    replace: bool = False, dry_run: bool = False, plan: dict | None = None,
                    wait: bool = False, plan_name: str | None = None) -> ImportReport:
    """Merge the filled rows of a template (``.csv`` or ``.xlsx``) into ``statistics_path``.

    A row is imported when its ``value`` cell is filled; other rows are ignored. ``targets`` is
    the validated targets table (:func:`helpers.data.load.load_targets`); ``plan`` gives the
    jurisdiction used for rows whose ``geo`` cell is empty. Raises ValidationError (problems in
    the template, or in the existing statistics file) or ImportConflictError; in both cases
    nothing is written. With ``dry_run`` nothing is written either, but the report says what
    would change.

    The data lock (:func:`helpers.data.locks.data_lock`) is held from reading ``statistics_path``
    until the merged file is written, so a concurrent import, build or render never interleaves:
    while another holds it, LockedError (exit 3) at once, or with ``wait`` the import waits. A
    dry run takes no lock.
    """
    if dry_run:
        return _import(path, statistics_path, targets, replace, dry_run, plan, plan_name)
    with locks.data_lock(statistics_path, wait=wait, command="import"):
        return _import(path, statistics_path, targets, replace, dry_run, plan, plan_name)


def _import(path: str | Path, statistics_path: str | Path, targets: pd.DataFrame, replace: bool,
            dry_run: bool, plan: dict | None, plan_name: str | None = None) -> ImportReport:
    from helpers.data.load import plan_jurisdiction

    path, statistics_path = Path(path), Path(statistics_path)
    tpl = readers.read_cells(path, IMPORT_REQUIRED)
    if tpl.raw is None or tpl.problems:  # unreadable, or ragged rows: refuse the whole file
        raise ValidationError(validate.sort_problems(tpl.problems, list(TEMPLATE_COLUMNS)))
    tpl.raw = fileio.unneutralise_frame(tpl.raw)  # '=... as the template wrote it -> =... (refused below)

    existing = validate.read_table(statistics_path, "statistics")
    ex_problems = existing.problems + validate.check_statistics(existing, targets)
    if ex_problems:
        raise ValidationError(validate.sort_problems(ex_problems, list(schema.STATISTICS_COLUMNS)))
    old = existing.frame
    jur = plan_jurisdiction(plan or {}, old, targets)

    inc_raw = _incoming(tpl, targets, jur)
    inc_raw, notes, pct_problems = _percent_cells(tpl, inc_raw)
    inc, problems = _check_incoming(inc_raw, str(path), targets)
    invisible = readers.invisible_problems(tpl.raw.loc[inc_raw.index], str(path))
    problems = pct_problems + invisible + validate.without_cells_of(problems, pct_problems + invisible)
    problems = [_naming_plan(p, plan_name) for p in problems]
    if problems:
        raise ValidationError(validate.sort_problems(problems, list(TEMPLATE_COLUMNS)))
    if tpl.sheet is not None:
        listed = ", ".join(f"'{n}'" for n in tpl.sheets)
        notes.insert(0, f"read sheet '{tpl.sheet}' of {path} (sheets: {listed})")

    keys = ["indicator_id", "geo", "year"]
    both = inc.reset_index(names="line").merge(
        old[keys + ["value", "source_title"]].reset_index(names="old_line"), on=keys, how="left",
        suffixes=("", "_old"), indicator=True)
    stored = both["_merge"] == "both"
    same = stored & np.isclose(both["value"].astype("float64"), both["value_old"].astype("float64"),
                               rtol=1e-12, atol=0.0)
    differ = stored & ~same
    new = both[~stored]
    diff = both[differ]
    if len(diff) and not replace:
        raise ImportConflictError([
            f"{r.indicator_id}, geo {r.geo}, {r.year}: stored value {fmt_exact(r.value_old)} "
            f"(source: {r.source_title_old}) but {path} line {r.line} has {fmt_exact(r.value)}"
            for r in diff.itertuples()])

    added = new[["indicator_id", "geo", "year", "value", "unit", "source_title", "line"]].reset_index(drop=True)
    changed = diff.rename(columns={"value_old": "old_value", "value": "new_value", "source_title_old": "old_source_title",
                                   "source_title": "new_source_title"})[
        ["indicator_id", "geo", "year", "old_value", "new_value", "old_source_title", "new_source_title", "line"]
    ].reset_index(drop=True)
    report = ImportReport(path, statistics_path, added, changed, int(same.sum()), dry_run=dry_run, notes=notes)
    if inc.empty:
        report.notes.append(f"no value filled in {path}")
    if added.empty and changed.empty:
        report.rows_after = len(old)
        return report

    # Merge on the text of the cells: stored rows keep their exact text; new values are written
    # in their shortest form (4.5, 1300).
    take = pd.Index(pd.concat([new["line"], diff["line"]]).astype("int64"))
    new_rows = inc_raw.loc[take].assign(value=inc.loc[take, "value"].map(fmt_exact).astype("string"),
                                        year=inc.loc[take, "year"].astype("string"))
    kept = existing.raw.drop(index=pd.Index(diff["old_line"].astype("int64")))
    merged = pd.concat([kept, new_rows[[c for c in new_rows.columns if c in kept.columns]]], ignore_index=True)
    merged = merged[list(existing.raw.columns)].astype("string")
    order = merged.assign(_y=pd.to_numeric(merged["year"], errors="coerce")).sort_values(
        ["indicator_id", "geo", "_y"], kind="mergesort").index
    merged = merged.loc[order].reset_index(drop=True)
    merged.index = pd.RangeIndex(2, len(merged) + 2, name="line")

    # The merged table must validate as a whole (line numbers of the file about to be written).
    check = readers.Table(statistics_path, str(statistics_path), raw=merged)
    check.frame, check.problems = coerce.coerce_numbers(merged, str(statistics_path),
                                                          schema.STATISTICS_FLOAT_COLUMNS, schema.STATISTICS_INT_COLUMNS)
    final = check.problems + validate.check_statistics(check, targets)
    if final:
        raise ValidationError(validate.sort_problems(final, list(schema.STATISTICS_COLUMNS)))
    report.rows_after = len(merged)
    if not dry_run:
        # A symlinked statistics.csv is written through the link: its target is replaced, the link kept.
        target = Path(os.path.realpath(statistics_path))
        _write(target, _statistics_bytes(merged, target))
        report.written = True
    return report
