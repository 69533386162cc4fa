"""Pandera schemas of the targets and statistics contracts (pandas backend).

The schemas check *typed* frames: :mod:`helpers.data.readers` reads every cell as text, indexing each
row by its line number in the file, and :mod:`helpers.data.coerce` turns the numeric columns into
numbers (with its own messages for "1,300", "4.5%", "N/A"...), so every pandera failure maps
straight to a line (:mod:`helpers.data.validate`).

Each check carries a ``name`` (a stable key) and an ``error`` (a message template). Templates are
filled by :func:`helpers.data.validate.schema_problems` with ``{value}`` (the offending cell) and any
column of the failing row, including the helper columns added by :func:`prepare_targets` /
:func:`prepare_statistics` (names starting with ``_``). Checks on several columns are
DataFrame-level checks; :data:`BLAME` says which column the problem is reported in.

Edge cases worth knowing:

- Empty cells are missing (``NA``); a column check ignores them, nullability is checked apart.
- A negative number is only an error where it cannot be right: targets, baselines and statistics
  of ``annual`` / ``cumulative`` / ``period_total`` / ``annual_mean`` targets (counts of things
  done, flows). Levels, rates (``rate_avg``, ``rate_total``: yearly % changes) and changes may be
  negative.
- ``target`` is empty for a ``direction`` target and required for every other kind.
- Cross-checks against the targets table (indicator ids, units, counts) and against the
  statistics (a relative target's reference series has data) are added only when the other
  table is given, so each table can also be checked alone.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from helpers.vocab import BINDING, COMPARATORS, KINDS, REFERENCE_KINDS, SOURCE_QUALITY

#: Geo keys: lowercase, as in the statistics' ``geo`` column and plan.json's ``geos``.
GEO_PATTERN = r"^[a-z][a-z0-9_\-]*$"

#: Kinds without a target number: a wanted direction, or no quantified target at all.
NO_NUMBER_KINDS: tuple[str, ...] = ("direction", "unquantified")

# ---------------------------------------------------------------------------------- contract

TARGET_COLUMNS: tuple[str, ...] = (
    "id", "area", "name_zh", "name_en", "unit", "comparator", "target", "target_hi", "tolerance",
    "target_year", "baseline_year", "kind", "reference_id", "lead_agency", "source_ref", "note",
)
#: Optional columns of the targets table; added empty when a file lacks them.
TARGET_OPTIONAL_COLUMNS: tuple[str, ...] = ("unit_zh", "value_unit", "baseline_value", "binding")
STATISTICS_COLUMNS: tuple[str, ...] = (
    "indicator_id", "geo", "year", "value", "unit", "source_title", "source_url", "note",
)

TARGET_FLOAT_COLUMNS: tuple[str, ...] = ("target", "target_hi", "tolerance", "baseline_value")
TARGET_INT_COLUMNS: tuple[str, ...] = ("target_year", "baseline_year")
STATISTICS_FLOAT_COLUMNS: tuple[str, ...] = ("value",)
STATISTICS_INT_COLUMNS: tuple[str, ...] = ("year",)

TARGET_DTYPES: dict[str, str] = {
    "id": "string", "area": "string", "name_zh": "string", "name_en": "string", "unit": "string",
    "comparator": "string", "target": "float64", "target_hi": "float64", "tolerance": "float64",
    "target_year": "Int64", "baseline_year": "Int64", "kind": "string", "reference_id": "string",
    "lead_agency": "string", "source_ref": "string", "note": "string", "unit_zh": "string",
    "value_unit": "string", "baseline_value": "float64", "binding": "string",
}
STATISTICS_DTYPES: dict[str, str] = {
    "indicator_id": "string", "geo": "string", "year": "Int64", "value": "float64",
    "unit": "string", "source_title": "string", "source_url": "string", "note": "string",
}

YEAR_MIN, YEAR_MAX = 1990, 2100
#: Kinds whose values count things done (a yearly flow, a running total): never negative.
COUNT_KINDS: tuple[str, ...] = ("annual", "cumulative", "period_total", "annual_mean")

#: Text a spreadsheet could run as a formula (CSV injection, OWASP), after any leading tabs or
#: carriage returns: anything starting with ``=``, ``+`` or ``@``; ``-`` followed by a letter,
#: ``(``, ``$`` or another operator (``-A1``, ``--x``, ``-(1)``); ``-`` and a number followed by an
#: operator (``-2+3+cmd|...``, ``-1*2``). Still allowed: a dash then a space (``- see page 3``), a
#: negative number and words (``-5 % in 2019``), a negative number and a bracket (``-5 (see table
#: 3) compared with 2020``: a bracket after a number calls nothing; a call needs a name, which
#: ``-`` and a letter catches). Exported tables neutralise every leading ``=``, ``+``, ``-``,
#: ``@``, tab and CR anyway (:func:`helpers.data.fileio.neutralise_frame`).
FORMULA_PATTERN = r"^[\t\r]*(?:[=+@]|-[A-Za-z(=+\-@$]|-[\d.]+\s*[-+*/^&=<>|!])"
#: Ids are the plan's own codes: any text without white space or ':' (':' separates a context
#: series' suffix), case kept.
ID_PATTERN = r"^[^\s:]+$"
#: A context series: a target id, ':', a suffix.
CONTEXT_PATTERN = r"^([^\s:]+):([A-Za-z0-9_.\-]+)$"
URL_PATTERN = r"^https?://[^\s/]+\S*$"

#: DataFrame-level check name -> the column its problems are reported in.
BLAME: dict[str, str] = {}

_KIND_LIST = ", ".join(KINDS)
_COMPARATOR_LIST = ", ".join(COMPARATORS)

#: Message for an empty cell in a required column (default: :data:`REQUIRED_DEFAULT`).
REQUIRED_MESSAGES: dict[str, str] = {
    "id": "an id is required (the plan's own code for the target, e.g. L1 or 2.3)",
    "area": "an area is required: one of the area keys declared in plan.json",
    "comparator": f"a comparator is required; expected one of: {_COMPARATOR_LIST}",
    "target": "the target value is required (a number as printed in the plan)",
    "kind": f"a kind is required; expected one of: {_KIND_LIST}",
    "target_year": "the target year is required (e.g. 2021)",
    "baseline_year": "the baseline year is required (the year before the plan starts, e.g. 2016)",
    "indicator_id": "an indicator_id is required (a target id, a reference id, or <target id>:<suffix>)",
    "geo": "geo is required (a lowercase place key declared in plan.json's geos, e.g. nation)",
    "year": "the year is required",
    "value": "the value is required; a row without a value does not belong in the statistics",
    "unit": "the unit is required (the target's unit)",
    "source_title": "a source title is required: every value needs the title of the publication it comes from",
}
REQUIRED_DEFAULT = "a value is required here (the cell is empty)"


# ------------------------------------------------------------------------------ check helpers

def _check(fn, name: str, error: str, *, blame: str | None = None, ignore_na: bool = True) -> pa.Check:
    """A named check with a message template; ``blame`` for DataFrame-level checks."""
    if blame is not None:
        BLAME[name] = blame

    def run(obj):
        # NA in a check's output means "cannot tell" (an input was missing; nullability is
        # checked apart), never a failure; pandera needs plain booleans.
        out = fn(obj)
        return out.fillna(True).astype(bool) if isinstance(out, pd.Series) else out

    return pa.Check(run, name=name, error=error, ignore_na=ignore_na)


def _no_surrounding_space(col: str) -> pa.Check:
    return _check(lambda s: s.str.strip() == s, f"{col}.space",
                  "'{value}' has a space at the start or end; remove it")


def _no_formula(col: str) -> pa.Check:
    return _check(lambda s: ~s.str.contains(FORMULA_PATTERN, regex=True), f"{col}.formula",
                  "'{value}' looks like a spreadsheet formula: text must not start with =, + or @, "
                  "nor with - followed by a letter or a calculation; formulas are not allowed in data "
                  "files — write plain text (e.g. start with a word)")


def _text(col: str, *, required: bool = False, checks: list | None = None, space: bool = False,
          unique: bool = False) -> pa.Column:
    checks = list(checks or [])
    if space:
        checks.insert(0, _no_surrounding_space(col))
    checks.append(_no_formula(col))
    return pa.Column("string", checks=checks, nullable=not required, required=False, unique=unique,
                     report_duplicates="all")


def _year(col: str) -> pa.Column:
    return pa.Column("Int64", nullable=False, required=False, checks=[_check(
        lambda s: s.between(YEAR_MIN, YEAR_MAX), f"{col}.range",
        f"year {{value}} is out of range; expected a year from {YEAR_MIN} to {YEAR_MAX}")])


def _isin(col: str, allowed, what: str) -> pa.Check:
    listed = ", ".join(allowed)
    return _check(lambda s: s.str.strip().isin(list(allowed)), f"{col}.vocab",
                  f"'{{value}}' is not a known {what}; expected one of: {listed}")


# ----------------------------------------------------------------------------------- targets

#: What a researcher naturally types, read as the contract's words (targets.csv ``comparator``
#: and ``binding``; surrounding spaces ignored).
TARGET_SYNONYMS: dict[str, dict[str, str]] = {
    "comparator": {"≥": ">=", "≧": ">=", "＞=": ">=", "≤": "<=", "≦": "<=", "＜=": "<=", "≈": "~", "～": "~"},
    "binding": {"约束性": "binding", "預期性": "expected", "预期性": "expected", "約束性": "binding"},
}


def normalise_targets(frame: pd.DataFrame | None) -> None:
    """Replace, in place, the :data:`TARGET_SYNONYMS` of a read targets table (text cells) by
    the contract's words, so ``≥`` / ``≤`` and 约束性 / 预期性 validate and load as ``>=`` /
    ``<=`` and ``binding`` / ``expected``."""
    if frame is None:
        return
    for col, words in TARGET_SYNONYMS.items():
        if col in frame.columns:
            cells = frame[col]
            stripped = cells.astype("string").str.strip()
            frame[col] = cells.where(~stripped.isin(list(words)), stripped.map(words))


def prepare_targets(targets: pd.DataFrame, statistics: pd.DataFrame | None = None) -> pd.DataFrame:
    """Add the helper column ``_ref_has_data`` (relative targets: does the reference series have
    at least one statistics row?) when ``statistics`` is given; returns a new frame."""
    out = targets.copy()
    if statistics is not None:
        known = set(statistics["indicator_id"].dropna().astype(str))
        out["_ref_has_data"] = out["reference_id"].isin(known).astype("boolean")
    return out


def targets_schema(columns: list[str] | tuple[str, ...] = (), with_statistics: bool = False,
                   areas: list[str] | None = None) -> pa.DataFrameSchema:
    """Schema of the targets table.

    ``areas``: the area keys plan.json declares; every target's area must be one of them
    (``None``: the area is not checked against a vocabulary, e.g. a table checked alone).
    ``columns``: the frame's columns, so extra text columns also get the formula check.
    ``with_statistics``: also require the ``_ref_has_data`` helper column to be true for every
    relative target (see :func:`prepare_targets`).
    """
    cols: dict[str, pa.Column] = {
        "id": _text("id", required=True, space=True, unique=True, checks=[
            _check(lambda s: s.str.strip().str.fullmatch(ID_PATTERN), "id.pattern",
                   "'{value}' is not a valid id; an id is any text without spaces or ':' "
                   "(':' separates a context series' suffix)"),
        ]),
        "area": _text("area", required=True, space=True, checks=[] if areas is None else [_check(
            lambda s: s.str.strip().isin(list(areas)), "area.vocab",
            "'{value}' is not an area of this plan; plan.json declares: " + ", ".join(areas)
            + " (add it to plan.json's \"areas\" or fix the cell)")]),
        "name_zh": _text("name_zh", required=True),
        "name_en": _text("name_en", required=True),
        "unit": _text("unit", required=True, space=True),
        # required unless kind is unquantified (below)
        "comparator": _text("comparator", space=True, checks=[_isin("comparator", COMPARATORS, "comparator")]),
        "target": pa.Column("float64", nullable=True),  # required unless kind is direction (below)
        "target_hi": pa.Column("float64", nullable=True),
        "tolerance": pa.Column("float64", nullable=True),
        "baseline_value": pa.Column("float64", nullable=True, required=False),
        "target_year": _year("target_year"),
        "baseline_year": _year("baseline_year"),
        "kind": _text("kind", required=True, space=True, checks=[_isin("kind", KINDS, "kind")]),
        "reference_id": _text("reference_id", space=True, checks=[
            _check(lambda s: s.str.strip().str.fullmatch(ID_PATTERN), "reference_id.pattern",
                   "'{value}' is not a valid reference id; an id is any text without spaces or ':'"),
        ]),
        "unit_zh": _text("unit_zh"),
        "value_unit": _text("value_unit", space=True),
        "binding": _text("binding", space=True, checks=[
            _isin("binding", BINDING, "binding value (binding = 约束性, expected = 预期性, or leave it empty)")]),
    }
    for c in columns:
        if c not in cols and not c.startswith("_"):
            cols[c] = _text(c)

    cmp, kind = "comparator", "kind"
    checks = [
        _check(lambda d: (d[cmp] != "between").fillna(True) | d["target_hi"].notna(),
               "target_hi.required", "a 'between' target needs target_hi (the upper end of the range)",
               blame="target_hi"),
        _check(lambda d: (d[cmp] == "between").fillna(True) | d["target_hi"].isna(),
               "target_hi.only_between",
               "target_hi is only for 'between' targets (comparator is '{comparator}'); leave it empty",
               blame="target_hi"),
        _check(lambda d: ~((d[cmp] == "between").fillna(False) & (d["target_hi"] <= d["target"]).fillna(False)),
               "target_hi.order",
               "target_hi {target_hi} must be greater than target {target} (the range is target .. target_hi)",
               blame="target_hi"),
        _check(lambda d: (d[cmp] != "~").fillna(True) | (d["tolerance"] > 0).fillna(False),
               "tolerance.required",
               "an 'about' (~) target needs a tolerance greater than 0, in the target's unit", blame="tolerance"),
        _check(lambda d: (d[cmp] == "~").fillna(True) | d["tolerance"].isna(),
               "tolerance.only_about",
               "tolerance is only for '~' (about) targets (comparator is '{comparator}'); leave it empty",
               blame="tolerance"),
        _check(lambda d: ~(d["target_year"] <= d["baseline_year"]).fillna(False),
               "target_year.order",
               "target_year {target_year} must be after baseline_year {baseline_year}", blame="target_year"),
        _check(lambda d: (d[kind] != "relative").fillna(True) | d["reference_id"].notna(),
               "reference_id.required",
               "a 'relative' target needs reference_id (the id of the series it is compared with)",
               blame="reference_id"),
        _check(lambda d: d[kind].isin(REFERENCE_KINDS).fillna(True) | d["reference_id"].isna(),
               "reference_id.only_relative",
               "reference_id is only for 'relative' targets and 'rate_avg' targets (kind is '{kind}'); "
               "leave it empty", blame="reference_id"),
        _check(lambda d: d[kind].isin(NO_NUMBER_KINDS).fillna(False) | d["target"].notna(),
               "target.required", REQUIRED_MESSAGES["target"], blame="target"),
        _check(lambda d: (d[kind] == "unquantified").fillna(False) | d[cmp].notna(),
               "comparator.required", REQUIRED_MESSAGES["comparator"], blame="comparator"),
        _check(lambda d: ~(d[kind] == "unquantified").fillna(False) | (d["target"].isna() & d[cmp].isna()),
               "target.unquantified_empty",
               "an 'unquantified' target has no number and no comparator (the plan sets none): leave "
               "target and comparator empty, and say in note what the plan writes", blame="target"),
        _check(lambda d: ~(d[kind] == "direction").fillna(False) | d["target"].isna(),
               "target.direction_empty",
               "a 'direction' target has no number: leave target empty ({target} given); the comparator "
               "says which way is wanted (>= up, <= down)", blame="target"),
        _check(lambda d: ~(d[kind] == "direction").fillna(False) | d[cmp].isin([">=", "<="]).fillna(True),
               "comparator.direction",
               "a 'direction' target needs comparator >= (more is better) or <= (less is better), "
               "not '{comparator}'", blame="comparator"),
        _check(lambda d: ~(d[kind].isin(COUNT_KINDS).fillna(False) & (d["target"] < 0).fillna(False)),
               "target.negative_count",
               "target {target} is negative, but a target of kind '{kind}' counts things done; expected 0 or more",
               blame="target"),
        _check(lambda d: ~(d[kind].isin(COUNT_KINDS).fillna(False) & (d["baseline_value"] < 0).fillna(False)),
               "baseline_value.negative_count",
               "baseline_value {baseline_value} is negative, but a target of kind '{kind}' counts things done; "
               "expected 0 or more", blame="baseline_value"),
    ]
    if with_statistics:
        checks.append(_check(
            lambda d: ~d[kind].isin(REFERENCE_KINDS).fillna(False) | d["reference_id"].isna()
            | d["_ref_has_data"].fillna(False),
            "reference_id.no_data",
            "the reference series '{reference_id}' has no row in the statistics; add its values "
            "(indicator_id {reference_id}) so the ratio can be computed", blame="reference_id"))
    return pa.DataFrameSchema(cols, checks=checks, strict=False, name="targets")


# -------------------------------------------------------------------------------- statistics

def prepare_statistics(statistics: pd.DataFrame, targets: pd.DataFrame | None = None) -> pd.DataFrame:
    """Add helper columns for the cross-checks against ``targets`` (returns a new frame):

    ``_role`` (``target`` | ``reference`` | ``context`` | ``unknown``), ``_expected_unit`` (for
    target rows: the target's ``value_unit`` if set, else ``unit``; for reference rows: the
    ``value_unit`` of the relative target naming it, when set), ``_kind`` (the target's kind, for
    target and context rows), ``_target_id``, and ``_first_year`` / ``_last_year``: the plan years
    of the row's target (baseline_year .. target_year; for a reference series the span of the
    relative targets using it), used by :func:`import_schema`.
    """
    out = statistics.copy()
    if targets is None:
        return out
    # Stripped ids, so one stray space in a target id is reported once, not on every row using it.
    t = targets.dropna(subset=["id"]).assign(id=lambda d: d["id"].str.strip(),
                                             reference_id=lambda d: d["reference_id"].str.strip())
    t = t.drop_duplicates("id")
    value_unit = t["value_unit"] if "value_unit" in t.columns else pd.Series(pd.NA, index=t.index, dtype="string")
    unit_of = pd.Series(value_unit.fillna(t["unit"]).to_numpy(), index=t["id"].to_numpy())
    kind_of = pd.Series(t["kind"].to_numpy(), index=t["id"].to_numpy())
    rel = t[t["kind"].isin(REFERENCE_KINDS).fillna(False) & t["reference_id"].notna()]
    ref_unit = pd.Series(value_unit.loc[rel.index].to_numpy(), index=rel["reference_id"].to_numpy())
    ref_unit = ref_unit[~ref_unit.index.duplicated()].dropna()

    ind = out["indicator_id"].astype("string")
    ctx = ind.str.extract(CONTEXT_PATTERN)[0]
    is_target = ind.isin(unit_of.index).fillna(False)
    is_ref = ind.isin(set(rel["reference_id"])).fillna(False) & ~is_target
    is_ctx = ctx.isin(unit_of.index).fillna(False) & ~is_target & ~is_ref
    out["_role"] = pd.Series("unknown", index=out.index, dtype="string")
    out.loc[is_target, "_role"] = "target"
    out.loc[is_ref, "_role"] = "reference"
    out.loc[is_ctx, "_role"] = "context"
    out["_target_id"] = ind.where(is_target, ctx.where(is_ctx)).astype("string")
    out["_expected_unit"] = pd.Series(pd.NA, index=out.index, dtype="string")
    out.loc[is_target, "_expected_unit"] = ind[is_target].map(unit_of).astype("string")
    out.loc[is_ref, "_expected_unit"] = ind[is_ref].map(ref_unit).astype("string")
    out["_kind"] = out["_target_id"].map(kind_of).astype("string")
    years = t.set_index("id")
    first = out["_target_id"].map(years["baseline_year"]).astype("Int64")
    last = out["_target_id"].map(years["target_year"]).astype("Int64")
    ref_years = rel.groupby("reference_id").agg(first=("baseline_year", "min"), last=("target_year", "max"))
    out["_first_year"] = first.where(~is_ref, ind.map(ref_years["first"])).astype("Int64")
    out["_last_year"] = last.where(~is_ref, ind.map(ref_years["last"])).astype("Int64")
    return out


def statistics_schema(columns: list[str] | tuple[str, ...] = (), with_targets: bool = False) -> pa.DataFrameSchema:
    """Schema of the statistics table; unique key (indicator_id, geo, year).

    ``with_targets``: cross-checks using the helper columns of :func:`prepare_statistics`:
    indicator_id must be a target id, a reference id or ``<target id>:<suffix>``; a target row's
    unit equals the target's unit (its ``value_unit`` when set) and so does a reference row's
    (the relative target's ``value_unit``); no negative value for an annual/cumulative target.
    """
    cols: dict[str, pa.Column] = {
        "indicator_id": _text("indicator_id", required=True, space=True, checks=[
            _check(lambda s: s.str.strip().str.fullmatch(ID_PATTERN) | s.str.strip().str.fullmatch(CONTEXT_PATTERN),
                   "indicator_id.pattern",
                   "'{value}' is not a valid indicator id: a target id (no spaces or ':'), or "
                   "<target id>:<suffix> for a context series (suffix: letters, digits, '_', '.', '-')"),
        ]),
        "geo": _text("geo", required=True, space=True, checks=[
            _check(lambda s: s.str.fullmatch(GEO_PATTERN), "geo.pattern",
                   "'{value}' is not a valid geo; use a lowercase key (letters, digits, '_', '-'), as in plan.json's geos"),
        ]),
        "year": _year("year"),
        "value": pa.Column("float64", nullable=False),
        "unit": _text("unit", required=True, space=True),
        "source_title": _text("source_title", required=True),
        "source_url": _text("source_url", space=True, checks=[
            _check(lambda s: s.str.fullmatch(URL_PATTERN), "source_url.scheme",
                   "'{value}' is not a web address; expected http:// or https:// (or leave it empty "
                   "when the source is not on the web)"),
        ]),
        "note": _text("note"),
        # optional: who hosts the cited page (docs/data_contract.md, "Source quality")
        "source_quality": _text("source_quality", space=True, checks=[_isin(
            "source_quality", SOURCE_QUALITY,
            "source quality (see docs/data_contract.md, 'Source quality'; or leave the cell empty)")]),
    }
    for c in columns:
        if c not in cols and not c.startswith("_"):
            cols[c] = _text(c)
    checks = []
    if with_targets:
        checks += [
            _check(lambda d: (d["_role"] != "unknown") | d["indicator_id"].isna(), "indicator_id.unknown",
                   "'{indicator_id}' is not a target id, a reference_id of a relative target, or "
                   "<target id>:<suffix> (a context series)", blame="indicator_id"),
            _check(lambda d: d["_expected_unit"].isna() | d["unit"].isna() | (d["unit"] == d["_expected_unit"]).fillna(False),
                   "unit.mismatch",
                   "unit '{unit}' differs from the unit of '{indicator_id}', '{_expected_unit}'; convert the "
                   "value to '{_expected_unit}' and say so in note", blame="unit"),
            _check(lambda d: ~(d["_role"] == "target").fillna(False) | ~d["_kind"].isin(COUNT_KINDS).fillna(False)
                   | ~(d["value"] < 0).fillna(False),
                   "value.negative_count",
                   "value {value} is negative, but '{indicator_id}' is a target of kind '{_kind}', which "
                   "counts things done; expected 0 or more", blame="value"),
        ]
    return pa.DataFrameSchema(cols, checks=checks, unique=["indicator_id", "geo", "year"],
                              report_duplicates="all", strict=False, name="statistics")


def import_schema() -> pa.DataFrameSchema:
    """Extra rule for rows imported from the fill-in template (on top of
    :func:`statistics_schema` with targets): the year lies within the plan years of the row's
    target (``_first_year`` .. ``_last_year`` from :func:`prepare_statistics`)."""
    return pa.DataFrameSchema(checks=[_check(
        lambda d: d["_first_year"].isna() | d["year"].isna()
        | d["year"].between(d["_first_year"], d["_last_year"]).fillna(False),
        "year.outside_plan",
        "year {year} is outside the years of '{indicator_id}' in this plan, {_first_year}–{_last_year}",
        blame="year")], strict=False, name="import")
