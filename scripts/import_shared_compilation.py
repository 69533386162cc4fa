"""Map the shared compilations of public figures onto this plan's indicator ids.

Reads ``../shared/data/statistics_compiled.csv`` and ``../shared/data/statistics_round2.csv``
(every row with its source URL) and writes
``data/raw/fuyang/statistics.csv`` in the statistics contract, plus ``data/raw/fuyang/excluded_rows.csv``
listing the rows left out and why. Every row's ``source_quality`` is graded from its source URL by
the host rule of ``data/source_quality.csv`` (docs/data_contract.md). Every row of a context series gets the legend label
(``label_zh``, ``label_en``) that ``data/raw/fuyang/series_labels.csv`` gives its id (columns
``indicator_id,label_zh,label_en``; other rows leave both empty). Run it when the compilation
changes; the output is then raw input like any other (researchers add their own figures with
``python -m helpers import``).

Re-running is safe: a stored row whose (indicator_id, geo, year) the compilation does not produce
(a researcher's row) is kept as it is; a produced key whose stored row has another value, unit,
source title or source URL is a conflict that stops the run, naming the key, before anything is
written (``--replace`` overwrites those rows with the compilation's); a stored row that differs
only in its note takes the compilation's note; a stored row that a rule of :data:`ROW_RULES` now
re-dates or moves (same value and source, note written by this script) is removed from its old
key. Labels are refreshed like notes. ``--dry-run`` prints what would change. Both files
are written atomically, and only when their content changes. Usage::

    python scripts/import_shared_compilation.py [--dry-run] [--replace] [--labels PATH]
        [--compiled PATH [--compiled PATH ...]] [--statistics PATH] [--excluded PATH]

Labels: every context series the compilation produces needs one row in the labels file with both
labels (the run stops otherwise, naming the id), so a newly mapped series cannot go unlabelled; a
label no produced series uses is listed in the output.

Two input layouts are read (told apart by their header): the first compilation's (``series_id``,
``measures``, ``kind``, ``scope_note``, ...: working labels mapped through :data:`MAP`) and the
second round's (``indicator_id``, ``geo``, ``year``, ``value``, ``unit``, ``source_title``,
``source_url``, ``locator``, ``note``: the compilers' proposed ids, mapped through :data:`MAP` the
same way, keyed by that id and geo). ``locator`` always goes into ``note``.

Mapping rules (see data/raw/fuyang/README.md):
- same definition as the target -> the target id (geo ``fuyang`` is scored, ``anhui``/``china``
  are benchmarks);
- a proxy or partial measure -> a context series ``<target id>:<suffix>`` (never scored);
- the national income series -> the reference series ``ref.income_per_capita``;
- a row whose year or meaning its source does not support as compiled -> re-dated or moved by a
  rule of :data:`ROW_RULES`, with the reason in ``note``;
- anything else -> excluded with a reason.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from helpers.exceptions import HelpersError, ImportConflictError, Problem, ValidationError

#: The readers, cell comparison, writing and labels this script shares with import_fyp14.py.
_spec = importlib.util.spec_from_file_location("_import_common", Path(__file__).with_name("_import_common.py"))
common = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(common)

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "statistics_compiled.csv"
SHARED_ROUND2 = ROOT.parent / "shared" / "data" / "statistics_round2.csv"
#: The inputs read when no ``--compiled`` is given, in this order.
DEFAULT_INPUTS: tuple[Path, ...] = (SHARED, SHARED_ROUND2)
#: Legend labels of the context series: indicator_id, label_zh, label_en (one row per series).
LABELS = ROOT / "data" / "raw" / "fuyang" / "series_labels.csv"

# (series_id, geo) -> (indicator_id, unit in our contract, mapping note) ; years filtered below
MAP: dict[tuple[str, str], tuple[str, str, str]] = {
    ("E01", "fuyang"): ("employment.urban_new_jobs", "10k persons", "Same concept (新增城镇就业 = 城镇新增就业)."),
    ("E12", "china"): ("ref.income_per_capita", "yuan per person", "Reference series of employment.income_vs_national."),
    ("C02", "fuyang"): (None, None, None),  # split by unit below
    ("C03", "fuyang"): ("culture.free_opening_share:venues_open_free", "venues", "Context only: a count of venues, not the share the target sets."),
    ("C01", "fuyang"): (None, None, None),  # split by kind below
    ("ED06", "anhui"): ("education.preschool_gross_enrolment", "%", "Benchmark (province)."),
    ("ED06", "china"): ("education.preschool_gross_enrolment", "%", "Benchmark (national)."),
    ("ED07", "anhui"): ("education.inclusive_kindergarten_coverage", "%", "Benchmark (province)."),
    ("ED07", "china"): ("education.inclusive_kindergarten_coverage", "%", "Benchmark (national)."),
    ("ED08", "anhui"): ("education.compulsory_retention_rate", "%", "Benchmark (province)."),
    ("ED08", "china"): ("education.compulsory_retention_rate", "%", "Benchmark (national)."),
    ("ED09", "anhui"): ("education.high_school_gross_enrolment", "%", "Benchmark (province)."),
    ("ED09", "china"): ("education.high_school_gross_enrolment", "%", "Benchmark (national)."),
    ("H01", "china"): ("health.beds_per_1000", "beds per 1000 residents", "Benchmark (national); per 1,000 population, relabelled to the target's unit."),
    ("H02", "china"): ("health.doctors_per_1000", "persons per 1000 residents", "Benchmark (national); per 1,000 population, relabelled to the target's unit."),
    ("H03", "china"): ("health.public_health_staff_per_1000:specialised_institutions", "persons per 1000 residents",
                       "Context only: 专业公共卫生机构人员, a narrower definition than the target's; converted from per 10,000 to per 1,000 (divided by 10)."),
    ("H05", "china"): ("health.life_expectancy", "years", "Benchmark (national)."),
    ("H06", "china"): ("health.infant_mortality", "per mille", "Benchmark (national)."),
    ("H06", "anhui"): ("health.infant_mortality", "per mille", "Benchmark (province)."),
    ("H07", "anhui"): ("health.under5_mortality", "per mille", "Benchmark (province)."),
    ("H08", "china"): ("health.maternal_mortality", "per 100k", "Benchmark (national)."),
    ("H08", "anhui"): ("health.maternal_mortality", "per 100k", "Benchmark (province)."),
    ("P04", "anhui"): ("public_safety.sense_of_security:provincial_index", "%",
                       "Context only: the provincial 群众安全感程度指数 may not be the city survey measure the target uses."),
    ("I08", "anhui"): ("infrastructure.rural_tap_water_coverage", "%", "Benchmark (province); low-quality source, year inferred (see source note)."),
    ("I08", "china"): ("infrastructure.rural_tap_water_coverage", "%", "Benchmark (national); year inferred from '去年' (see source note)."),
    ("V01", "fuyang"): ("poverty.rural_poor_population", "10k persons", "Same measure (建档立卡 poor not yet lifted out)."),
    ("V01", "anhui"): ("poverty.rural_poor_population", "10k persons", "Benchmark (province)."),
    ("V01_incidence", "fuyang"): ("poverty.rural_poor_population:incidence", "%", "Context only: poverty incidence, not the headcount."),
    ("V01_incidence", "anhui"): ("poverty.rural_poor_population:incidence", "%", "Context only: poverty incidence, not the headcount."),
    ("V01_lifted", "fuyang"): ("poverty.rural_poor_population:lifted_in_year", "10k persons", "Context only: people lifted out during the year (a flow), not the remaining stock."),
    ("V02", "fuyang"): (None, None, None),  # split by kind below
    ("V02_remaining", "fuyang"): ("poverty.poor_villages_exited:remaining", "villages", "Context only: villages still to exit (snapshot 2017-12-27), not exits."),
    ("V03", "fuyang"): ("poverty.national_poor_counties_exited", "counties", "Same measure (running total of exits, by approval year)."),
    ("V04", "fuyang"): ("poverty.provincial_poor_counties_exited", "counties", "Same measure (running total of exits, by approval year)."),
    ("G01", "fuyang"): ("ecology.good_air_days_share:first_half_year", "%", "Context only: January-June share, not the annual value."),
    ("G01", "anhui"): ("ecology.good_air_days_share", "%", "Benchmark (province, 16-city average)."),
    ("G01", "china"): ("ecology.good_air_days_share", "%", "Benchmark (national, 339 cities)."),
    ("G09", "fuyang"): ("ecology.black_odorous_water_bodies", "water bodies", "Same measure: bodies to remediate in the built-up area when remediation started in 2016."),
    ("G09_share_eliminated", "fuyang"): ("ecology.black_odorous_water_bodies:share_eliminated", "%", "Context only: share of the 22 bodies eliminated (about Nov 2020), not a count."),
    # Second round (statistics_round2.csv): keyed by the compilers' proposed id and geo.
    ("ecology.good_air_days_share:jan_mar", "fuyang"): ("ecology.good_air_days_share:first_quarter", "%",
                                                        "Context only: January-March share, not the annual value."),
    ("ecology.good_air_days_share", "china"): ("ecology.good_air_days_share", "%", "Benchmark (national, 337 cities in 2019)."),
    ("ecology.worse_than_v_water_share", "anhui"): ("ecology.worse_than_v_water_share", "%",
                                                    "Benchmark (province; share of the 321 national- and provincial-controlled sections)."),
    ("education.preschool_gross_enrolment", "china"): ("education.preschool_gross_enrolment", "%", "Benchmark (national)."),
    ("education.compulsory_retention_rate", "china"): ("education.compulsory_retention_rate", "%", "Benchmark (national)."),
    ("education.high_school_gross_enrolment", "china"): ("education.high_school_gross_enrolment", "%", "Benchmark (national)."),
    ("health.under5_mortality", "china"): ("health.under5_mortality", "per mille", "Benchmark (national)."),
}


@dataclass(frozen=True)
class RowRule:
    """A correction to one compiled row, applied after :data:`MAP`: store it under ``indicator_id``
    (None: the mapped id) and ``year`` (None: the compiled year), with ``how`` as the mapping note.
    ``value`` and ``source_url`` are the compiled row's as the rule was written; if the compilation
    changes them the run stops (the rule's reasoning is about that source) -- review the rule."""

    value: float
    source_url: str
    how: str
    indicator_id: str | None = None
    year: int | None = None


#: (series_id, geo, compiled year) -> correction. Each ``how`` states the reason; the README of the
#: plan's data folder repeats it.
ROW_RULES: dict[tuple[str, str, int], RowRule] = {
    # Published at the city poverty office's press conference of 2017-12-27, in one sentence with
    # "347 villages still to exit": 347 = 516 - 169, i.e. only the 2016 exits were counted and none
    # of 2017's (goal: 170 villages, 19.2万 people). The headcount is therefore the stock after the
    # 2016 exits -- end-2016 (the start of 2017) -- which is what the target's year-end value means
    # for 2016. No other Fuyang 2016 headcount is compiled, so nothing conflicts.
    ("V01", "fuyang", 2017): RowRule(
        value=50.9797,
        source_url="http://hefei.baogaosu.com/xinwen/%E5%B8%82%E8%AE%A1%E5%88%92%E5%AE%9E%E7%8E%B0/63802464/",
        year=2016,
        how=("Same measure (建档立卡 poor not yet lifted out). Re-dated from 2017 to 2016: the figure was given "
             "on 2017-12-27 as still to be lifted, in the same sentence as 347 villages still to exit, and "
             "347 = 516 - 169 means only the 2016 exits (169 villages, 16.65万 people) had been counted and "
             "none of 2017's; so it is the stock at the start of 2017, i.e. end-2016, not end-2017 "
             "(an inference from the source, which gives no reference date)."),
    ),
    # "2016年…对包括22条黑臭水体在内…启动整治": 22 is how many bodies the remediation that began in
    # 2016 took on, not a count of bodies still untreated at the end of 2016 (what the target's
    # value means), so it goes to a context series and the scored series has no value.
    ("G09", "fuyang", 2016): RowRule(
        value=22,
        source_url="http://c-water.com.cn/detail.aspx?id=33852&itemid=1",
        indicator_id="ecology.black_odorous_water_bodies:put_into_remediation",
        how=("Context only: the number of bodies put into remediation when the work began in 2016, not a "
             "year-end count of bodies still untreated (the target's value); moved out of the scored series."),
    ),
}

EXCLUDE_REASONS: dict[tuple[str, str], str] = {
    ("E12_urban", "china"): "National urban-resident income: the target compares all-resident income; not needed as reference.",
    ("E12_rural", "china"): "National rural-resident income: the target compares all-resident income; not needed as reference.",
    ("POP_resident", "fuyang"): "Resident population: a denominator, not a target; no target of the plan measures it (series break in 2021).",
    ("P03", "anhui"): "Provincial total count of certificates: not comparable in scale with the city's count target.",
    ("I02", "anhui"): "Provincial five-year total of all new/rebuilt rural roads: broader than the target's project and not comparable in scale.",
}
PRE_BASELINE_REASON = "Describes 2014, before the plan's baseline year 2016 (registration baseline; outside the monitored window)."


def map_row(r: dict) -> tuple[str | None, str | None, str | None, float | None]:
    key = (r["series_id"], r["geo"])
    value = float(r["value"])
    if r["series_id"] == "C02":
        if r["unit"] == "%":
            return "culture.four_tier_facility_coverage:village_tier_share", "%", "Context only: the village tier of the four-tier network, a partial measure.", value
        if "village" in r["unit"]:
            return "culture.four_tier_facility_coverage:village_centres", "centres", "Context only: a count of village centres, not the coverage share.", value
        return "culture.four_tier_facility_coverage:township_stations", "stations", "Context only: a count of township stations, not the coverage share.", value
    if r["series_id"] == "C01":
        if r["kind"] == "annual":
            return "culture.beneficiaries:performances_jan_oct", "performances", "Context only: shows held Jan-Oct, not person-times reached.", value
        return "culture.beneficiaries:performances_2016_2020", "performances", "Context only: 2016-2020 total of shows, not person-times reached.", value
    if r["series_id"] == "V02":
        if r["kind"] == "annual":
            return "poverty.poor_villages_exited:exited_in_year", "villages", "Context only: exits during the year (a flow); the target series is the running total.", value
        return "poverty.poor_villages_exited", "villages", "Same measure (running total of exits from the 516-village list).", value
    if r["series_id"] == "H03":
        return (*MAP[key], value / 10)
    ind, unit, note = MAP[key]
    return ind, unit, note, value


COLUMNS: tuple[str, ...] = ("indicator_id", "geo", "year", "value", "unit", "source_title", "source_url", "note")
#: Written after ``source_url`` (a stored file without it gets it): every produced row's grade.
QUALITY = common.QUALITY_COLUMN
EXCLUDED_COLUMNS: tuple[str, ...] = ("series_id", "geo", "year", "value", "unit", "reason", "source_url")
#: Columns of the compilation this script reads.
COMPILED_REQUIRED: tuple[str, ...] = ("series_id", "geo", "year", "value", "unit", "kind", "scope_note",
                                      "source_title", "source_url", "locator", "note")
#: Columns of the second-round layout (rows already named by a proposed indicator id).
ROUND2_REQUIRED: tuple[str, ...] = ("indicator_id", "geo", "year", "value", "unit", "source_title", "source_url",
                                    "locator", "note")
#: Cells of a stored row that must equal the compilation's for the row to be updated silently
#: (a different ``note`` alone is the compilation's own wording and is refreshed).
COMPARED: tuple[str, ...] = ("value", "unit", "source_title", "source_url")
#: Every note this script writes contains this marker (see :func:`build`).
COMPILED_MARK = " Compiled as "


def _int_cells(rows: list[dict], column: str, file: str) -> list[Problem]:
    """Turn ``row[column]`` into an int in place; a Problem for every cell that is not one."""
    problems = []
    for r in rows:
        try:
            r[column] = int((r[column] or "").strip())
        except ValueError:
            problems.append(Problem(file, r["_line"], column, f"{r[column]!r} is not a whole number"))
    return problems


def read_compiled(path: Path) -> list[dict]:
    """Rows of one shared compilation (cells as text, ``_file`` and ``_line`` added). A file whose
    header has ``indicator_id`` and no ``series_id`` is read in the second-round layout
    (:data:`ROUND2_REQUIRED`) and its rows get ``series_id`` = the proposed id, empty ``kind``
    and no ``scope_note``. Raises ValidationError naming file, line and column for a missing
    column, a year that is not a whole number or a value that is not a number."""
    path = Path(path)
    with path.open("rb") as fh:
        first = fh.readline().decode("utf-8-sig", errors="replace")
    round2 = "series_id" not in first and "indicator_id" in next(csv.reader([first]), [])
    _, rows = common.read_csv(path, ROUND2_REQUIRED if round2 else COMPILED_REQUIRED)
    for r in rows:
        r["_file"] = str(path)
        if round2:
            r["series_id"], r["kind"], r["scope_note"] = r["indicator_id"], "", None
    problems = []
    for r in rows:
        try:
            float(r["value"])
        except ValueError:
            problems.append(Problem(str(path), r["_line"], "value", f"{r['value']!r} is not a number"))
        try:
            int(r["year"])
        except ValueError:
            problems.append(Problem(str(path), r["_line"], "year", f"{r['year']!r} is not a whole number"))
    if problems:
        raise ValidationError(problems)
    return rows


def build(compiled: list[dict], file: str = "compilation") -> tuple[list[dict], list[dict]]:
    """Map compiled rows (:func:`read_compiled`, of one or more inputs) to statistics rows and
    excluded rows.

    Statistics rows hold :data:`COLUMNS` as text (``year`` an int), sorted by (indicator_id, geo,
    year), plus ``_series``, ``_file`` and ``_line`` (where in the compilation the row came from;
    ``_file`` defaults to ``file``) and ``_moved_from`` (the key :data:`MAP` alone would give, when
    a rule of :data:`ROW_RULES` re-dated or moved the row; else None). Excluded rows hold
    :data:`EXCLUDED_COLUMNS`, in compilation order. Two compiled rows that map to the same
    (indicator_id, geo, year), or a compiled row that no longer matches the rule written for it,
    raise ValidationError (a mapping mistake, not a data choice).
    """
    out, excluded, rule_problems = [], [], []
    for r in compiled:
        key = (r["series_id"], r["geo"])
        reason = EXCLUDE_REASONS.get(key) or (PRE_BASELINE_REASON if int(r["year"]) < 2016 else None)
        if reason is None and key not in MAP:
            reason = "No mapping defined."
        if reason:
            excluded.append({"series_id": r["series_id"], "geo": r["geo"], "year": r["year"], "value": r["value"],
                             "unit": r["unit"], "reason": reason, "source_url": r["source_url"]})
            continue
        ind, unit, how, value = map_row(r)
        year, moved_from = int(r["year"]), None
        rule = ROW_RULES.get((r["series_id"], r["geo"], year))
        if rule is not None:
            if value != rule.value or r["source_url"] != rule.source_url:
                rule_problems.append(Problem(r.get("_file", file), r.get("_line"), None,
                                             f"{r['series_id']}, geo {r['geo']}, {year} has value {r['value']} from "
                                             f"{r['source_url']}, but the rule in ROW_RULES of {Path(__file__).name} "
                                             f"was written for {rule.value:g} from {rule.source_url}; review the rule"))
                continue
            moved_from = (ind, r["geo"], year)
            ind, year, how = rule.indicator_id or ind, rule.year or year, rule.how
        scope = f" ({r['scope_note']})" if r.get("scope_note") is not None else ""
        note = f"{how}{COMPILED_MARK}{r['series_id']}{scope}; where on the page: {r['locator']}. Source note: {r['note']}"
        out.append({"indicator_id": ind, "geo": r["geo"], "year": year,
                    "value": f"{value:g}", "unit": unit, "source_title": r["source_title"],
                    "source_url": r["source_url"], "note": note,
                    "_series": r["series_id"], "_line": r.get("_line"), "_file": r.get("_file", file),
                    "_moved_from": moved_from if moved_from != (ind, r["geo"], year) else None})
    if rule_problems:
        raise ValidationError(rule_problems)
    out.sort(key=lambda d: (d["indicator_id"], d["geo"], d["year"]))
    seen: dict[tuple, dict] = {}
    problems = []
    for d in out:
        k = _key(d)
        if k in seen:
            first = seen[k]
            where = f"line {first['_line']}" if first["_file"] == d["_file"] else f"{first['_file']} line {first['_line']}"
            problems.append(Problem(d["_file"], d["_line"], None, f"maps to {_show_key(k)} like {where} "
                                                                  f"({first['_series']}); fix MAP in {Path(__file__).name}"))
        seen.setdefault(k, d)
    if problems:
        raise ValidationError(problems)
    return out, excluded


def _key(row: dict) -> tuple[str, str, int]:
    return row["indicator_id"], row["geo"], row["year"]


def _show_key(key: tuple[str, str, int]) -> str:
    return f"{key[0]}, geo {key[1]}, {key[2]}"


def _with_quality(header: list[str]) -> list[str]:
    """``header`` with :data:`QUALITY` right after ``source_url`` when it lacks it."""
    if QUALITY in header:
        return header
    at = header.index("source_url") + 1
    return header[:at] + [QUALITY] + header[at:]


def read_statistics(path: Path, labelled: bool = False) -> tuple[list[str], list[dict]]:
    """Header and rows of an existing statistics file (cells as text, ``year`` an int, ``_line``
    added); ``(list(COLUMNS), [])`` when the file does not exist; the header gets :data:`QUALITY`
    after ``source_url`` when it lacks it. With ``labelled`` the header
    ends with ``common.LABEL_COLUMNS`` when the file lacks them. Raises ValidationError naming
    file, line and column for a missing column, a year that is not a whole number or a repeated
    (indicator_id, geo, year)."""
    extra = list(common.LABEL_COLUMNS) if labelled else []
    if not path.exists():
        return _with_quality(list(COLUMNS) + extra), []
    header, rows = common.read_csv(path, COLUMNS)
    header = _with_quality(header + [c for c in extra if c not in header])
    problems = _int_cells(rows, "year", str(path))
    first: dict[tuple, int] = {}
    for r in rows:
        if isinstance(r["year"], int):
            k = _key(r)
            if k in first:
                problems.append(Problem(str(path), r["_line"], None, f"{_show_key(k)} is repeated (first on line {first[k]})"))
            first.setdefault(k, r["_line"])
    if problems:
        raise ValidationError(sorted(problems, key=lambda p: p.line or 0))
    return header, rows


@dataclass
class Merge:
    """The statistics table after a re-run, and what changed.

    ``added``: compiled rows with a key not stored before; ``updated``: stored rows of the same key
    whose compared cells (:data:`COMPARED`) are equal but whose text differs (usually the note),
    as (old, new); ``replaced``: stored rows whose compared cells differ, as (old, new, differing
    columns) -- only possible with ``replace``; ``unchanged``: rows equal to the compiled ones;
    ``kept``: stored rows with a key the compilation does not produce (researchers' rows), kept
    as they are; ``moved``: stored rows removed from the key a rule of :data:`ROW_RULES` moved
    them from, as (old, new).
    """

    header: list[str]
    rows: list[dict]
    added: list[dict] = field(default_factory=list)
    updated: list[tuple[dict, dict]] = field(default_factory=list)
    replaced: list[tuple[dict, dict, list[str]]] = field(default_factory=list)
    unchanged: int = 0
    kept: list[dict] = field(default_factory=list)
    moved: list[tuple[dict, dict]] = field(default_factory=list)


def merge(header: list[str], existing: list[dict], produced: list[dict], replace: bool = False,
          file: str = "statistics.csv", compiled_file: str = "compilation") -> Merge:
    """Merge freshly compiled rows into the stored ones (both as from :func:`read_statistics` /
    :func:`build`). Stored rows whose key the compilation does not produce are kept unchanged;
    a compiled key whose stored row differs in value, unit or source raises ImportConflictError
    naming every such key, unless ``replace``. Extra columns of the stored file are kept (empty
    for new rows). Rows are sorted by (indicator_id, geo, year)."""
    stored = {_key(r): r for r in existing}
    m = Merge(header=header, rows=[])
    conflicts = []
    for new in produced:
        old = stored.pop(_key(new), None)
        if old is None:
            m.added.append(new)
            m.rows.append(new)
            continue
        merged = {**old, **new}
        differ = [c for c in COMPARED if not common.same_cell(c, old[c] or "", new[c])]
        if differ:
            shown = "; ".join(f"{c} {old[c]!r} -> {new[c]!r}" for c in differ)
            conflicts.append(f"{_show_key(_key(new))}: {file} line {old['_line']} differs from the compilation "
                             f"({new['_series']}, {new.get('_file', compiled_file)} line {new['_line']}): {shown}")
            m.replaced.append((old, merged, differ))
        elif any((old.get(c) or "") != (merged.get(c) or "") for c in header if c != "year"):
            m.updated.append((old, merged))
        else:
            m.unchanged += 1
        m.rows.append(merged)
    if conflicts and not replace:
        raise ImportConflictError(conflicts)
    for new in produced:
        old = stored.get(new.get("_moved_from"))
        if old is not None and _written_here(old, new):
            m.moved.append((stored.pop(new["_moved_from"]), new))
    m.kept = sorted(stored.values(), key=lambda r: r["_line"])
    m.rows = sorted(m.rows + m.kept, key=_key)
    return m


def _written_here(old: dict, new: dict) -> bool:
    """Whether the stored row ``old`` is this script's earlier output for the compiled row behind
    ``new`` (same value and source, a note written here) -- so a rule that moved ``new`` may
    remove it. A researcher's row at that key is never removed."""
    return (COMPILED_MARK in (old.get("note") or "") and common.same_cell("value", old["value"] or "", new["value"])
            and all((old[c] or "") == new[c] for c in ("unit", "source_title", "source_url")))


def _changes(m: Merge) -> list[str]:
    """One line per added / updated / replaced / kept row."""
    lines = [f"  + {_show_key(_key(r))}: {r['value']} {r['unit']} ({r['_series']})" for r in m.added]
    lines += [f"  > {_show_key(_key(old))}: removed, moved to {_show_key(_key(new))} by a rule (see its note)"
              for old, new in m.moved]
    for old, new in m.updated:
        what = ", ".join(c for c in m.header if c != "year" and (old.get(c) or "") != (new.get(c) or ""))
        lines.append(f"  ~ {_show_key(_key(new))}: {what} refreshed from the compilation")
    for old, new, differ in m.replaced:
        shown = "; ".join(f"{c} {old[c]!r} -> {new[c]!r}" for c in differ)
        lines.append(f"  ! {_show_key(_key(new))}: replaced ({shown})")
    for r in m.kept:
        hint = (" -- its note says it came from the compilation, which no longer produces it: delete it "
                "by hand if the compilation dropped it" if COMPILED_MARK in (r.get("note") or "") else "")
        lines.append(f"  = {_show_key(_key(r))}: kept (line {r['_line']}, not from the compilation){hint}")
    return lines


def check_merged(text: str, statistics_path: Path) -> None:
    """The merged statistics table must pass the checks of ``python -m helpers validate`` (with
    the cross-checks against ``targets.csv`` when one lies beside it) before it is written.
    Raises ValidationError naming ``<statistics_path> (as merged)``, its line and column."""
    import dataclasses
    import tempfile

    from helpers.data import validate

    with tempfile.TemporaryDirectory() as tmp:
        merged = Path(tmp) / statistics_path.name
        merged.write_text(text, encoding="utf-8")
        targets = statistics_path.parent / "targets.csv"
        if targets.is_file():
            problems = [p for p in validate.validate_files(targets, merged) if p.file == str(merged)]
        else:
            table = validate.read_table(merged, "statistics")
            problems = table.problems + validate.check_statistics(table)
    if problems:
        shown = f"{statistics_path} (as merged)"
        raise ValidationError([dataclasses.replace(p, file=shown) for p in problems])


def run(compiled_path, statistics_path: Path, excluded_path: Path, replace: bool = False,
        dry_run: bool = False, out=None, err=None, labels_path: Path | None = None,
        quality_path: Path = common.QUALITY_RULES) -> Merge:
    """Rebuild ``statistics_path`` and ``excluded_path`` from the compilation at ``compiled_path``
    (one path or a list of paths, read in order; either layout, see :func:`read_compiled`).
    ``labels_path``: the context series' legend labels (``common.read_labels``, ``common.apply_labels``);
    None = none: no label columns are added, and stored ones are kept as they are.
    ``quality_path``: the host rule grading every produced row's source (``common.source_quality``).

    Every check runs before anything is written (the merged table too: :func:`check_merged`);
    each file is written atomically and only when
    its content changes. The changes are printed to ``out`` (default stdout), the row counts to
    ``err`` (default stderr); with ``dry_run`` nothing is written.
    Raises ValidationError (bad compilation or statistics file) or ImportConflictError.
    """
    out, err = out or sys.stdout, err or sys.stderr
    paths = [Path(p) for p in ([compiled_path] if isinstance(compiled_path, (str, Path)) else compiled_path)]
    statistics_path, excluded_path = Path(statistics_path), Path(excluded_path)
    compiled, problems = [], []
    for p in paths:
        try:
            compiled += read_compiled(p)
        except ValidationError as exc:
            problems += exc.problems
    if problems:
        raise ValidationError(problems)
    produced, excluded = build(compiled, str(paths[0]))
    common.apply_quality(produced, common.read_quality_rules(quality_path))
    labels: dict[str, tuple[str, str]] = {}
    unused: list[str] = []
    if labels_path is not None:
        labels = common.read_labels(labels_path)
        unused = common.apply_labels(produced, labels, labels_path)
    header, existing = read_statistics(statistics_path, labelled=labels_path is not None)
    m = merge(header, existing, produced, replace, str(statistics_path), str(paths[0]))

    merged_text = common.csv_text(m.rows, header)
    check_merged(merged_text, statistics_path)
    stats_state = common.write_if_changed(statistics_path, merged_text, dry_run)
    excl_state = common.write_if_changed(excluded_path, common.csv_text(excluded, EXCLUDED_COLUMNS), dry_run)
    moved = f", {len(m.moved)} moved" if m.moved else ""
    print(f"{statistics_path}: {len(m.added)} added, {len(m.updated)} updated, {len(m.replaced)} replaced{moved}, "
          f"{m.unchanged} unchanged, {len(m.kept)} other row(s) kept -> {len(m.rows)} rows ({stats_state})", file=out)
    for line in _changes(m):
        print(line, file=out)
    print(f"{excluded_path}: {len(excluded)} rows ({excl_state})", file=out)
    if labels_path is not None:
        print(common.labels_line(labels_path, len(labels) - len(unused), unused), file=out)
    if dry_run:
        print("dry run: nothing written", file=out)
    print(f"{len(compiled)} compiled rows: {len(produced)} mapped, {len(excluded)} excluded", file=err)
    return m


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--compiled", type=Path, action="append",
                    help="a shared compilation; repeat for several (default: "
                         + " and ".join(str(p) for p in DEFAULT_INPUTS) + ")")
    ap.add_argument("--labels", type=Path, default=LABELS,
                    help="legend labels of the context series (default: %(default)s)")
    ap.add_argument("--statistics", type=Path, default=ROOT / "data/raw/fuyang/statistics.csv",
                    help="statistics file to update (default: %(default)s)")
    ap.add_argument("--excluded", type=Path, default=ROOT / "data/raw/fuyang/excluded_rows.csv",
                    help="where to list the rows left out (default: %(default)s)")
    common.add_write_options(ap)
    args = ap.parse_args(argv)
    return common.cli(lambda: run(args.compiled or list(DEFAULT_INPUTS), args.statistics, args.excluded,
                                  replace=args.replace, dry_run=args.dry_run, labels_path=args.labels),
                      HelpersError)


if __name__ == "__main__":
    raise SystemExit(main())
