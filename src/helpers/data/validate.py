"""Check the input tables and report every problem with its file, line and column.

Reading happens in two stages:

1. :func:`read_table` reads the file *as text* before any schema runs
   (:func:`helpers.data.readers.read_cells`: a missing or 0-byte file, a path that is not a regular
   file, text that is not UTF-8, malformed quotes, rows with more cells than the header, missing
   required columns; invisible characters, :func:`helpers.data.readers.invisible_problems`), then
   turns the numeric columns into numbers and explains what is wrong with a cell that is not one
   ("1,300", "4.5%", "N/A", "4.1万"...: :func:`helpers.data.coerce.coerce_numbers`). Rows are indexed
   by their line number as an editor shows it (the header is line 1).
2. The pandera schemas of :mod:`helpers.data.schema` run on the typed frames (``lazy=True``) and
   :func:`schema_problems` turns each failure case into a :class:`~helpers.exceptions.Problem`.

Nothing here raises for bad data: every function returns the problems it found.
:func:`validate_files` is the whole check of a targets + statistics pair; :func:`cli_validate`
is ``python -m helpers validate``.
"""

from __future__ import annotations

import copy
import string
import unicodedata
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from helpers.data import schema
from helpers.data.coerce import coerce_numbers
from helpers.data.readers import (
    ESCAPED,
    Table,
    escape_invisible,
    invisible_problems,
    percent_value,
    read_cells,
)
from helpers.exceptions import Problem
from helpers.formats import fmt_exact

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


def _show(v: object) -> str:
    if type(v) is str:  # the common case first (messages of 100k rows)
        return escape_invisible(v) if ESCAPED.search(v) else v
    if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
        return "(empty)"
    if isinstance(v, (float, np.floating, int, np.integer)) and not isinstance(v, bool):
        return fmt_exact(v)
    return escape_invisible(str(v))


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


# ------------------------------------------------------------------------------- look-alike ids

def _fold(text: str) -> str:
    """What a reader sees: Unicode compatibility form (full-width letters, composed accents),
    case ignored."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


def _code_points(text: str) -> str:
    return ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, '?')}" for c in text) or "nothing"


def difference(a: str, b: str) -> str:
    """How two look-alike texts differ: "only in upper and lower case", or the characters that
    differ with their code points (``'é' (U+0065 ..., U+0301 COMBINING ACUTE ACCENT) here, 'é'
    (U+00E9 ...) there``)."""
    nfc = unicodedata.normalize
    if nfc("NFC", a) != nfc("NFC", b) and _fold(a) == _fold(b) and \
            nfc("NFKC", a).casefold() == nfc("NFKC", b).casefold() and nfc("NFKC", a) != nfc("NFKC", b):
        return "they differ only in upper and lower case"
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    x, y = a[start:len(a) - end], b[start:len(b) - end]
    return f"'{x}' ({_code_points(x)}) here, '{y}' ({_code_points(y)}) there"


def lookalike_id_problems(frame: pd.DataFrame, file: str) -> list[Problem]:
    """Target ids that differ only by case, full-width characters or Unicode composition (NFD
    'café' beside NFC 'café'): they look like one id and are two; each later one is a problem
    naming the first and the characters that differ."""
    ids = frame["id"].dropna().astype(str).str.strip()
    first: dict[str, tuple[str, int]] = {}
    problems = []
    for line, i in ids.items():
        key = _fold(i)
        if key in first and first[key][0] != i:
            other, at = first[key]
            problems.append(Problem(file, int(line), "id", f"id '{i}' looks like id '{other}' (line {at}) but is "
                                    f"not the same text: {difference(i, other)}; use one spelling, or ids "
                                    "that differ visibly"))
        first.setdefault(key, (i, int(line)))
    return problems


def _lookalike_hints(problems: list[Problem], targets: pd.DataFrame | None) -> list[Problem]:
    """An unknown indicator_id that looks like a target id gets the difference added."""
    if targets is None or not problems:
        return problems
    ids = targets["id"].dropna().astype(str).str.strip().tolist()
    known = {_fold(i): i for i in reversed(ids)}  # the first of look-alike target ids
    known.update({unicodedata.normalize("NFC", i): i for i in reversed(ids)})  # an exact twin first
    out = []
    for p in problems:
        if p.column == "indicator_id" and "is not a target id" in p.message and p.message.startswith("'"):
            shown = p.message[1:p.message.find("' is not a target id")]
            twin = known.get(unicodedata.normalize("NFC", shown)) or known.get(_fold(shown))
            if twin is not None and twin != shown:
                p = Problem(p.file, p.line, p.column, f"{p.message}; it looks like the target id '{twin}' but "
                                                      f"is not the same text: {difference(shown, twin)}")
        out.append(p)
    return out


# ------------------------------------------------------------------------------------- schemas

def _duplicate_messages(err, frame: pd.DataFrame, file: str, keys: list[str]) -> list[Problem]:
    """One problem per duplicated row, naming the other line(s) with the same key (and, for
    statistics, whether the values differ)."""
    lines = sorted(set(int(i) for i in err.failure_cases["index"].dropna()))
    sub = frame.loc[lines, keys]
    # A key cell that could not be read (already reported) is NA; NA keys are not duplicates.
    sub = sub[sub.notna().all(axis=1)]
    if sub.empty:  # every flagged row has an unreadable key: nothing to name (agg would give a frame)
        return []
    key = pd.Series(["\x1f".join(map(str, r)) for r in sub.itertuples(index=False)], index=sub.index)
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
    """Problems of one DataFrame-level check of :mod:`helpers.data.schema`, run directly on ``frame``
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
        if col in numeric:  # only the template import knows the unit (helpers.data.template)
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
    problems = without_cells_of(problems, targets.problems) + lookalike_id_problems(frame, file)
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
    return _lookalike_hints(without_cells_of(problems, statistics.problems), targets)


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
    from helpers.data.plan import area_keys

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
    from helpers.data.plan import area_keys, read_plan_json

    t = read_table(targets_path, "targets")
    schema.normalise_targets(t.frame)  # ≥ / ≤, 约束性 / 预期性 read as the contract's words
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
