"""The scorecard: one row per target, as a paper cites it (``python -m helpers scorecard``).

- :func:`scorecard_frame` — a pandas DataFrame, one row per target of a scored plan
  (:func:`helpers.report.params.prepare`): what the target is (ids, names, kind, binding, the
  target as text and as numbers), the latest value up to the as-of year with its status and
  shortfall, the caveat on its definition, and the source of that value (title, URL, quality);
  :data:`SCORECARD_COLUMNS` in order, numbers as numbers, missing as NA.
- :func:`scorecard_bytes` / :func:`write_scorecard` — the table as CSV (UTF-8 with BOM, so a
  spreadsheet opens it as UTF-8) or ``.xlsx`` (frozen header, column widths, number formats),
  every text cell neutralised against formula injection (CSV: a leading ``'`` by
  :func:`helpers.data.fileio.neutralise_frame`; xlsx: text cells stored as text, with Excel's quote
  prefix where one starts like a formula, as the template's workbook), written atomically.

A researcher calls it from Python::

    from helpers.report import params, scorecard
    card = scorecard.scorecard_frame(params.prepare(plan="china_fyp14", charts=False))
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from helpers.data import fileio
from helpers.exceptions import Problem, ValidationError
from helpers.report import frames
from helpers.report.terms import report_status_label

if TYPE_CHECKING:
    from helpers.report.params import Context

#: The assessment beside the computed status (a plan's optional ``assessments.csv``,
#: :mod:`helpers.data.assessments`): what it says, who made it, its source and date, and
#: ``assessment_differs`` (true where it says another status than the computed one, "achieved" and
#: "met" counting as one finding; empty where either is missing or the computed status is no data /
#: not scored / final value not yet published).
ASSESSMENT_COLUMNS: tuple[str, ...] = (
    "assessment_status", "assessment_by", "assessment_source_title", "assessment_source_url",
    "assessment_date", "assessment_differs")
#: Columns of :func:`scorecard_frame`, in order.
SCORECARD_COLUMNS: tuple[str, ...] = (
    "id", "area", "area_zh", "area_en", "name_zh", "name_en", "kind", "binding",
    "target_text", "comparator", "target", "target_hi", "tolerance", "unit", "baseline_year", "baseline",
    "target_year", "as_of", "latest_year", "latest_value", "status", "status_label", "shortfall",
    "progress", "definition", "caveat", "source_title", "source_url", "source_quality",
    *ASSESSMENT_COLUMNS,
)
#: Number columns and their spreadsheet format (years without a thousands separator).
NUMBER_FORMATS: dict[str, str] = {
    "target": "General", "target_hi": "General", "tolerance": "General", "baseline": "General",
    "latest_value": "General", "shortfall": "General", "progress": "0.0%",
    "baseline_year": "0", "target_year": "0", "as_of": "0", "latest_year": "0",
}
#: Spreadsheet column widths (characters); others 12.
WIDTHS: dict[str, int] = {
    "name_zh": 28, "name_en": 36, "area_zh": 14, "area_en": 22, "target_text": 24, "unit": 20,
    "status_label": 24, "caveat": 40, "definition": 30, "source_title": 48, "source_url": 40,
    "source_quality": 16, "assessment_status": 16, "assessment_source_title": 40,
    "assessment_source_url": 30, "assessment_date": 12,
}
SUFFIXES = (".csv", ".xlsx")


def _sources(ctx: "Context", latest: pd.DataFrame) -> pd.DataFrame:
    """Per target: the source title, URL and quality of the statistics row behind its latest
    value (the scored place, that year); NA for a target without a value."""
    s = ctx.statistics
    cols = [c for c in ("source_title", "source_url", "source_quality") if c in s.columns]
    rows = s[s["geo"] == ctx.geo][["indicator_id", "year", *cols]]
    keys = latest[["indicator_id", "year"]].astype({"year": "Int64"})
    out = keys.merge(rows.astype({"year": "Int64"}), on=["indicator_id", "year"], how="left")
    for c in ("source_title", "source_url", "source_quality"):
        if c not in out.columns:
            out[c] = pd.Series(pd.NA, index=out.index, dtype="string")
    return out.drop_duplicates("indicator_id").set_index("indicator_id")


def _assessed(ctx: "Context", assessments: pd.DataFrame | None, ids: list[str], status: pd.Series) -> pd.DataFrame:
    """The :data:`ASSESSMENT_COLUMNS` per target id (``ids`` order)."""
    from helpers.data import assessments as assess

    if assessments is None:
        path = getattr(ctx.plan, "targets_path", None)
        assessments = assess.read_assessments(assess.assessments_path(path), ids) if path else None
    if assessments is None or assessments.empty:
        a = pd.DataFrame(index=ids, columns=list(assess.COLUMNS), dtype="string")
    else:
        a = assessments.set_index("id").reindex(ids)
    out = pd.DataFrame(index=ids)
    for c, src in zip(ASSESSMENT_COLUMNS[:-1], ("status", "assessed_by", "source_title", "source_url", "date")):
        out[c] = a[src].astype("string")
    comparable = out["assessment_status"].notna() & ~status.isin(["no_data", "not_scored", "final_pending"])
    # an official "achieved" at the deadline is the verdict "met" (issue 21): the same finding
    same_as = {"achieved": "met"}
    differs = out["assessment_status"].replace(same_as) != status.replace(same_as)
    out["assessment_differs"] = differs.astype("boolean").where(comparable)
    return out


def scorecard_frame(ctx: "Context", lang: str | None = None,
                    assessments: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per target of ``ctx`` (the plan's target order), :data:`SCORECARD_COLUMNS`.

    ``status`` is the report's status key (``not_scored`` for a value the plan sets no number
    for or the engine could not score; ``no_data`` only without any value), ``status_label`` its
    label in ``lang`` (default ``ctx.lang``); ``shortfall`` is the engine's gap to the target in
    the target's unit (positive = still short of it; NA when not scored); ``progress`` a share
    (1.0 = the whole way); ``target_text`` the target as printed with how it is read; ``caveat``
    the report's notes on the value (a definition that differs from the baseline year's, a value
    shown but not scored...); ``definition`` the definition the latest value follows.
    ``assessments``: the table of :func:`helpers.data.assessments.read_assessments` (default: the
    plan's ``assessments.csv`` when it has one), shown in :data:`ASSESSMENT_COLUMNS`.
    """
    lang = lang or ctx.lang
    latest = ctx.latest.reset_index(drop=True)
    status = frames.status_frame(latest, ctx.targets, lang).set_index("id")
    t = ctx.targets.set_index("id")
    ids = [i for i in t.index.astype(str) if i in status.index]
    lt = latest.set_index("indicator_id")
    src = _sources(ctx, latest)

    def col(frame: pd.DataFrame, name: str, dtype: str) -> pd.Series:
        if name not in frame.columns:
            return pd.Series(pd.NA, index=ids, dtype=dtype)
        return frame[name].reindex(ids).astype(dtype)

    out = pd.DataFrame(index=ids)
    out["id"] = ids
    out["area"] = col(t, "area", "string")
    out["area_zh"] = [_area(ctx, a, "zh") for a in out["area"]]
    out["area_en"] = [_area(ctx, a, "en") for a in out["area"]]
    for c in ("name_zh", "name_en", "kind", "binding"):
        out[c] = col(t, c, "string")
    out["target_text"] = [frames.target_cell(t.loc[i].to_dict() | {"id": i}, "en" if lang == "both" else lang)
                          for i in ids]
    out["comparator"] = col(t, "comparator", "string")
    for c in ("target", "target_hi", "tolerance"):
        out[c] = col(t, c, "float64")
    out["unit"] = col(t, "unit", "string")
    out["baseline_year"] = col(t, "baseline_year", "Int64")
    out["baseline"] = col(lt, "baseline", "float64")
    out["target_year"] = col(t, "target_year", "Int64")
    out["as_of"] = pd.Series(ctx.as_of, index=ids, dtype="Int64")
    out["latest_year"] = col(status, "year", "Int64")
    out["latest_value"] = col(status, "value", "float64")
    out["status"] = status["status"].reindex(ids).astype("string")
    out["status_label"] = [report_status_label(s, lang) for s in out["status"]]
    out["shortfall"] = col(status, "gap_to_target", "float64")
    out["progress"] = col(status, "progress", "float64")
    out["definition"] = col(lt, "definition", "string")
    out["caveat"] = status["note"].reindex(ids).astype("string")
    for c in ("source_title", "source_url", "source_quality"):
        out[c] = col(src, c, "string").where(out["latest_value"].notna())
    assessed = _assessed(ctx, assessments, ids, out["status"].astype("string"))
    for c in ASSESSMENT_COLUMNS:
        out[c] = assessed[c]
    return out.reset_index(drop=True)[list(SCORECARD_COLUMNS)]


def _area(ctx: "Context", area: object, lang: str) -> str:
    from helpers.report.htmltext import area_name

    return area_name(ctx.plan, area, lang)


# --------------------------------------------------------------------------------- writing

def check_out(out: str | Path) -> Path:
    """``out`` as a Path when it ends in ``.csv`` or ``.xlsx`` and can be written (its folder
    exists, it is not a folder); else ValidationError / OutputError naming it (exit 2)."""
    out = Path(out)
    if out.suffix.lower() not in SUFFIXES:
        raise ValidationError([Problem(str(out), None, None, "the scorecard must be a .csv or .xlsx file")])
    return fileio.check_output_file(out)


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a BOM (Excel reads the Chinese right), text neutralised (:func:`fileio.csv_bytes`)."""
    from helpers.data.readers import BOM

    return BOM + fileio.csv_bytes(frame, na_rep="")


def _xlsx_bytes(frame: pd.DataFrame) -> bytes:
    from openpyxl.styles import Alignment, Font

    buf = io.BytesIO()
    # as the template's workbook: text kept as typed, stored as text (never a formula), and one
    # starting with a formula trigger gets Excel's quote prefix
    data = frame.astype(object).where(frame.notna(), None)
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        data.to_excel(xw, sheet_name="scorecard", index=False)
        ws = xw.sheets["scorecard"]
        ws.freeze_panes = "B2"
        for j, name in enumerate(frame.columns, start=1):
            head = ws.cell(row=1, column=j)
            head.font = Font(bold=True)
            head.alignment = Alignment(wrap_text=True, vertical="top")
            ws.column_dimensions[head.column_letter].width = WIDTHS.get(name, 12)
            fmt = NUMBER_FORMATS.get(name)
            for r in range(2, len(frame) + 2):
                cell = ws.cell(row=r, column=j)
                if fmt and cell.value is not None and not isinstance(cell.value, str):
                    cell.number_format = fmt
        fileio.text_cells_as_text(ws)  # text stays text, never a formula
    return buf.getvalue()


def scorecard_bytes(frame: pd.DataFrame, suffix: str) -> bytes:
    """``frame`` as the bytes of a ``.csv`` or ``.xlsx`` file."""
    return _xlsx_bytes(frame) if suffix.lower() == ".xlsx" else _csv_bytes(frame)


def write_scorecard(frame: pd.DataFrame, out: str | Path) -> Path:
    """Write ``frame`` (:func:`scorecard_frame`) to ``out`` (``.csv`` or ``.xlsx``), atomically."""
    out = check_out(out)
    with fileio.writing(out):
        fileio.atomic_write_bytes(out, scorecard_bytes(frame, out.suffix))
    return out
