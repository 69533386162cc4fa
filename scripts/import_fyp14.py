"""Map the shared compilation of China's 14th Five-Year Plan statistics onto the plan's ids.

Reads ``../shared/data/fyp14/statistics_compiled.csv`` (134 national values 2020-2025, nearly every
row with its source URL) and its later rounds (``statistics_round3.csv``: CO2 intensity 2023, low
confidence, and a news agency's five-year figure; same columns, read as part of the compilation), then this project's own additions ``data/raw/china_fyp14/compiled_additions.csv``
(values found with the search tool, same columns, ``compiled_in`` = ``search 2026-12-01``), and writes
``data/raw/china_fyp14/statistics.csv`` in the statistics contract (plus the ``definition`` column), and
``data/raw/china_fyp14/excluded_rows.csv`` listing every input row left out and why. Every row's
``source_quality`` is graded from its source URL by the host rule of ``data/source_quality.csv``
(docs/data_contract.md). Every row of a
context series gets the legend label (``label_zh``, ``label_en``) that
``data/raw/china_fyp14/series_labels.csv`` gives its id (columns ``indicator_id,label_zh,label_en``;
other rows leave both empty). Run it when an input changes; the output is then raw input like any
other. Usage::

    python scripts/import_fyp14.py [--dry-run] [--replace] [--additions PATH] [--labels PATH]
        [--compiled PATH] [--later PATH ...] [--statistics PATH] [--excluded PATH] [--targets PATH]

Labels: every context series the inputs produce needs one row in the labels file with both labels
(the run stops otherwise, naming the id), so a newly mapped series cannot go unlabelled; a label no
produced series uses is listed in the output.

Additions: a row whose note says it is a "better source for existing row" must match exactly one
compiled row (same target_n, year, value, unit and form); it replaces that row's source title, URL and
locator, and the row's note keeps "Source replaced: ..." with the old source. Every other addition is a
row of its own, mapped by the same rules as the compiled rows; a note marked SUPERSEDED must end up
excluded, one marked APPROXIMATE or LOWER BOUND as context (the run stops otherwise).

Re-running is safe and idempotent (same inputs -> byte-identical files): a stored row whose
(indicator_id, geo, year) the inputs do not produce (a researcher's row) is kept as it is;
a produced key whose stored row has another value, unit, source title or source URL stops the run
before anything is written, naming the key (``--replace`` overwrites it), and so does a stored row
this script wrote earlier (its note has the `` Compiled as `` mark) that the inputs no longer
produce (``--replace`` drops it); notes, definitions and labels are refreshed from the inputs. Files are written atomically, UTF-8 with LF line ends, and only
when their content changes; ``--dry-run`` prints what would change and writes nothing.

Mapping rules (each one is explained in data/raw/china_fyp14/README.md):

- a row without a source title or URL is excluded (every shipped value keeps its source);
- the same measure as the target -> the target id (``I01`` .. ``I20``), geo ``china``; for the
  growth-rate targets (kinds ``rate_avg`` / ``rate_total`` and the unquantified GDP row) that is the
  year's % change over the previous year; for the others the level;
- GDP real growth compiled as the reference (``gdp_growth_ref``) -> the reference series
  ``gdp_growth`` of I02 and I07;
- energy and CO2 intensity: the compiled x of "比上年下降x%" is stored as -x (a signed % change);
- a proxy, a lower bound (text such as ``>95``), another price basis, a mid-year figure, output
  standing in for capacity, or an official multi-year total that helps to read the target
  -> a context series ``<target id>:<suffix>``, never the value;
- a definition break -> the ``definition`` column names the definition the value follows;
- anything else (levels of a growth-rate target, superseded preliminary figures or estimates, multi-year
  spans, years before the baseline, low-confidence sources) -> excluded_rows.csv with the reason;
- definition consistency: one series per scored id (I09 is the NBS two-decimal series; the one-decimal
  series of 教育部 is the context ``I09:one_decimal``).
Values are never estimated, interpolated or derived, except exact unit conversions and the sign
change, both stated in the row's note. Numbers are written as plain decimals (no exponent, no
trailing zeros), computed with :mod:`decimal` so a conversion never adds float noise.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Iterator, Sequence

from helpers.exceptions import Problem, ValidationError

#: The readers, cell comparison, writing and labels this script shares with
#: import_shared_compilation.py.
_spec = importlib.util.spec_from_file_location("_import_common", Path(__file__).with_name("_import_common.py"))
common = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(common)

ROOT = Path(__file__).resolve().parents[1]
PLAN_DIR = ROOT / "data" / "raw" / "china_fyp14"
SHARED = ROOT.parent / "shared" / "data" / "fyp14" / "statistics_compiled.csv"
#: Later rounds of the shared compilation (same columns), read after it as part of it.
LATER = (SHARED.with_name("statistics_round3.csv"),)
ADDITIONS = PLAN_DIR / "compiled_additions.csv"
#: Legend labels of the context series: indicator_id, label_zh, label_en (one row per series).
LABELS = PLAN_DIR / "series_labels.csv"
#: An addition whose note contains this (case-insensitive) replaces the source of a compiled row.
BETTER_SOURCE = "better source for existing row"
#: Markers (upper case, as written in the additions' notes) and what the row must become.
MARKERS: dict[str, str] = {"SUPERSEDED": "excluded", "APPROXIMATE": "context", "LOWER BOUND": "context"}

GEO = "china"
BASELINE_YEAR = 2020
REFERENCE_ID = "gdp_growth"
YOY = "% over previous year"

COLUMNS: tuple[str, ...] = ("indicator_id", "geo", "year", "value", "unit", "source_title", "source_url",
                            common.QUALITY_COLUMN, "note", "definition")
#: The statistics contract's columns: a stored file must have them (``source_quality`` and
#: ``definition`` may be missing).
STORED_REQUIRED: tuple[str, ...] = tuple(c for c in COLUMNS if c not in (common.QUALITY_COLUMN, "definition"))
EXCLUDED_COLUMNS: tuple[str, ...] = ("target_n", "name_zh", "year", "value", "unit", "form", "reason",
                                     "source_title", "source_url", "compiled_in")
COMPILED_REQUIRED: tuple[str, ...] = ("target_n", "name_zh", "year", "value", "unit", "form", "source_title",
                                      "source_url", "locator", "note")
#: Cells of a stored row that must equal the compilation's for the row to be refreshed silently.
COMPARED: tuple[str, ...] = ("value", "unit", "source_title", "source_url")
#: Every note this script writes contains this marker.
COMPILED_MARK = " Compiled as "


class MappingError(Exception):
    """A problem with the inputs or the mapping; the message names file, line and what to fix."""


def _problem_text(p: Problem) -> str:
    where = p.file + (f" line {p.line}" if p.line is not None else "")
    return f"{where}: " + (f"column '{p.column}': " if p.column else "") + p.message


@contextmanager
def mapping_errors() -> Iterator[None]:
    """The shared code's ValidationError (every problem found) raised as this script's
    MappingError: one line per problem, ``<file> line <n>: [column '<c>': ]<message>``."""
    try:
        yield
    except ValidationError as exc:
        raise MappingError("\n".join(_problem_text(p) for p in exc.problems)) from None


# ------------------------------------------------------------------------------------ the rules

@dataclass(frozen=True)
class Series:
    """How the compiled rows of one ``target_n`` map: the indicator id, the unit of its own
    series, whether its values are yearly % changes (``rate``) or levels, the sign to apply, and
    the sentence every value row's note starts with."""

    id: str
    unit: str
    rate: bool
    how: str
    sign: int = 1


SIGNED = ("Sign converted: the compiled x of '比上年下降x%' is stored as -x (a signed % change over the "
          "previous year; negative = a decrease).")

SERIES: dict[str, Series] = {
    "1": Series("I01", YOY, True, "GDP real growth over the previous year (the plan sets no number for it)."),
    "2": Series("I02", YOY, True, "Same measure: yearly growth of overall labour productivity (全员劳动生产率)."),
    "3": Series("I03", "%", False, "Same measure: urbanisation rate of the resident population."),
    "4": Series("I04", YOY, True, "Same measure: real (constant-price) growth of R&D spending, the basis of the target."),
    "5": Series("I05", "per 10,000 people", False, "Same measure: year-end stock per 10,000 people."),
    "6": Series("I06", "% of GDP", False, "Same measure: value added of core digital-economy industries, % of GDP."),
    "7": Series("I07", YOY, True, "Same measure: real growth of per-capita disposable income (all residents)."),
    "8": Series("I08", "%", False, "Same measure: annual average of the surveyed urban unemployment rate."),
    "9": Series("I09", "years", False, "Same measure: average years of schooling, population aged 16-59; the NBS "
                                      "two-decimal series (the one-decimal series is the context I09:one_decimal)."),
    "10": Series("I10", "per 1,000 people", False, "Same measure: practising (assistant) physicians per 1,000 people."),
    "11": Series("I11", "%", False, "Same measure: participation rate of basic old-age insurance."),
    "12": Series("I12", "per 1,000 people", False, "Same measure: childcare places for children under 3 per 1,000 people."),
    "13": Series("I13", "years", False, "Same measure: average life expectancy (the level; the target is its change)."),
    "14": Series("I14", YOY, True, "Same measure: energy consumption per unit of GDP, yearly change. " + SIGNED, sign=-1),
    "15": Series("I15", YOY, True, "Same measure: CO2 emissions per unit of GDP, yearly change. " + SIGNED, sign=-1),
    "16": Series("I16", "%", False, "Same measure: share of good-air days, cities at prefecture level and above."),
    "17": Series("I17", "%", False, "Same measure: share of national surface-water sections at Grade I-III."),
    "18": Series("I18", "%", False, "Same measure: forest coverage rate."),
    "19": Series("I19", "100 million tonnes", False, ""),
    "20": Series("I20", "100 million tonnes of standard coal equivalent", False, ""),
    "gdp_growth_ref": Series(REFERENCE_ID, YOY, True,
                             "Reference series of I02 and I07: GDP real growth over the previous year."),
}
#: Targets whose compiled rows are output, a stand-in for capacity: all go to ``<id>:output``.
CAPACITY = {"19", "20"}

#: Exact unit conversions to the target's unit (compiled unit prefix -> factor, wording).
CONVERSIONS: dict[str, tuple[str, str]] = {
    "万吨": ("0.0001", "converted from 万吨 to 亿吨 (x 0.0001)"),
    "亿斤": ("0.0005", "converted from 亿斤 to 亿吨 (1 斤 = 0.5 kg, so x 0.0005)"),
    "亿吨标准煤": ("1", "unit as compiled (亿吨标准煤)"),
}

#: Definition texts: (indicator_id, first year, last year, text). Empty = the series' usual one.
DEFINITIONS: tuple[tuple[str, int, int, str], ...] = (
    ("I03", 2020, 9999, "7th-census base"),
    ("I06", 2021, 9999, "2021 digital-economy classification, 5th economic census"),
    ("I06:approx", 2021, 9999, "国家数据局 Digital China index estimate, not NBS accounts"),
    ("I09:one_decimal", 2020, 9999, "one-decimal series (教育部; the plan's baseline 10.8)"),
    ("I14", 2024, 9999, "excl. raw-material use and non-fossil energy (2024 on)"),
    ("I14:official_cumulative", 2021, 9999, "excl. raw-material use and non-fossil energy (presumed)"),
    ("I16", 2025, 9999, "excl. abnormal dust days"),
    ("I16:excl_dust", 2021, 9999, "excl. abnormal dust days"),
    ("I17", 2021, 9999, "3,641 national sections (2021 on)"),
    ("I18", 2021, 9999, "3rd land-survey base (2021 on)"),
    ("I18:lower_bound", 2021, 9999, "3rd land-survey base (2021 on)"),
)


@dataclass(frozen=True)
class Rule:
    """A decision about one compiled row, keyed by (target_n, year, value as compiled).

    ``reason`` set: the row is excluded with that reason. Otherwise it goes to ``<id>:<suffix>``
    (``suffix``; empty = the target's own series) in ``unit`` (empty = the series' unit), at year
    ``year`` (empty = the compiled year), multiplied by ``sign``, with ``how`` starting its note.
    ``extra``: a second value quoted in the row's locator, ``(suffix, value, how)``, emitted as
    its own row beside the row's own mapping.
    ``only_url``: the rule holds only for the row with this source URL (a rule about a weak source
    lapses once a better source replaces it). ``superseded_by``: the key of another input row; the
    row is excluded with ``reason`` only when that row is mapped, and mapped as usual otherwise.
    """

    reason: str = ""
    suffix: str = ""
    unit: str = ""
    year: str = ""
    sign: int = 1
    how: str = ""
    extra: tuple[str, str, str] | None = None
    only_url: str = ""
    superseded_by: tuple[str, str, str] | None = None


NINE_ONE_DECIMAL = ("Context only: the one-decimal series (教育部 and the plan's baseline 10.8). The scored I09 is the NBS "
                    "two-decimal series (10.75 in 2020, 10.93 in 2022, 11.21 in 2024: more years, 2020 included); the two "
                    "are not mixed, and the NBS 2021 value implied by '比2021年提高0.11年' is not written.")
SUPERSEDED = "preliminary figure superseded by the final one of the 科技经费投入统计公报 ({final}, mapped)."
ROWS: dict[tuple[str, str, str], Rule] = {
    ("1", "2021-2024", "5.5"): Rule(reason="A 2021-2024 average growth rate (a span), not one year's rate; the yearly rates are mapped."),
    ("3", "2019", "60.60"): Rule(reason="Describes 2019, before the baseline year 2020, on the pre-census base (the figure current when the plan was written; see README)."),
    ("4", "2020", "10.3"): Rule(reason="Nominal growth; " + SUPERSEDED.format(final="10.2, context I04:nominal")),
    ("4", "2021", "14.2"): Rule(reason="Nominal growth; " + SUPERSEDED.format(final="14.6, context I04:nominal")),
    ("4", "2022", "10.4"): Rule(reason="Nominal growth; " + SUPERSEDED.format(final="10.1, context I04:nominal")),
    ("4", "2022", "8.0"): Rule(reason="Real growth; " + SUPERSEDED.format(final="7.7, the value")),
    ("4", "2023", "8.1"): Rule(reason="Nominal growth; " + SUPERSEDED.format(final="8.4, context I04:nominal")),
    ("4", "2024", "8.9"): Rule(reason="Final nominal growth from a page that says it was generated by an AI model (low confidence); the preliminary 8.3 (科技日报) is kept as context I04:nominal.",
                               only_url="https://www.donews.com/news/detail/8/6154001.html"),
    ("4", "2024", "8.3"): Rule(reason="Nominal growth; " + SUPERSEDED.format(final="8.9, context I04:nominal"),
                               superseded_by=("4", "2024", "8.9")),
    ("4", "2025", "3.9"): Rule(reason="A rounded level (万亿元), not a growth rate; 2025 growth not in the compilation."),
    ("4", "2020-2024", "48"): Rule(reason="Cumulative nominal increase 2020-2024 (a span, current prices), not a yearly real rate."),
    ("5", "2025", "15.3"): Rule(suffix="end_june", how="Context only: stock at end-June 2025, not year-end."),
    ("6", "2023", "10"): Rule(reason="SUPERSEDED: 国家数据局's rounded estimate (Digital China report, May 2024; '10%左右'), superseded by the NBS census-based 9.9 (mapped, I06 2023)."),
    ("6", "2024", "10"): Rule(suffix="approx", how="Context only: an approximate figure ('about 10 percent'), from 国家数据局's Digital China development index, not an NBS accounting value; never the value."),
    ("9", "2020", "10.8"): Rule(suffix="one_decimal", how=NINE_ONE_DECIMAL),
    ("9", "2021", "10.9"): Rule(suffix="one_decimal", how=NINE_ONE_DECIMAL),
    ("14", "2021-2023", "7.3"): Rule(suffix="official_cumulative", unit="% since 2020", year="2023", sign=-1,
                                     how="Context only: NDRC's cumulative change 2021-2023 ('约', about), placed at the span's last year; the compiled decrease x is stored as -x."),
    ("14", "2021-2024", "11.6"): Rule(suffix="official_cumulative", unit="% since 2020", year="2024", sign=-1,
                                      how="Context only: NDRC's cumulative change 2021-2024, placed at the span's last year; the compiled decrease x is stored as -x."),
    ("15", "2016-2020", "18.8"): Rule(reason="13th FYP cumulative decrease 2016-2020 (a span before this plan's years)."),
    ("15", "2021-2023", "4.9"): Rule(reason="Cumulative 2021-2023 from an unattributed commercial-site analysis (low confidence); a span, not a yearly rate."),
    ("15", "2023", "0.0"): Rule(how="LOW CONFIDENCE: 2023 flat ('与上年持平') as quoted from NBS on a repost, seen once and "
                                    "not re-found (the 2023 bulletin itself was not seen); mapped so that CO2 intensity can "
                                    "be scored through 2025 (a running total needs every year): read I15's 2023-2025 "
                                    "statuses with this caution."),
    ("15", "2021-2025", "12"): Rule(reason="A news agency's rounded five-year figure ('about 12 per cent', Reuters), not an "
                                           "official statement: context only per the compilation, and not shipped (no official "
                                           "cumulative CO2 figure was seen to set beside the compounded yearly rates)."),
    ("16", "2023", "85.5"): Rule(extra=("excl_dust", "86.8",
                                        "Context only: the 2023 share excluding abnormal dust days, quoted in the same locator ('扣除沙尘异常超标天后为86.8%'); the value (85.5) keeps the baseline's definition.")),
}

LEVEL_OF_RATE = {
    "2": "A level (元/人) at the bulletin's own constant prices: not comparable across years, and the target scores growth rates.",
    "7": "A level (yuan per person): the target scores real growth rates (mapped from the yearly_rate rows).",
}


@dataclass
class Mapped:
    """One statistics row (text cells), with where it came from."""

    cells: dict
    where: str

    @property
    def key(self) -> tuple[str, str, int]:
        return self.cells["indicator_id"], self.cells["geo"], int(self.cells["year"])


def fmt(value: Decimal) -> str:
    """A plain decimal: no exponent, no trailing zeros, no '-0'."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def definition_of(indicator_id: str, year: int) -> str:
    for ind, first, last, text in DEFINITIONS:
        if ind == indicator_id and first <= year <= last:
            return text
    return ""


def _row(r: dict, indicator_id: str, unit: str, year: str, value: Decimal, how: str) -> Mapped:
    note = (f"{how}{COMPILED_MARK}{r['target_n']} ({r['name_zh']}; {r['year']}; {r['value']} {r['unit']}; "
            f"form {r['form']}); where on the page: {r['locator']}. Source note: {r['note'].strip()}"
            + (f" Row {r['_where']} ({r.get('compiled_in', '').strip()})." if r.get("_added") else "")).strip()
    cells = {"indicator_id": indicator_id, "geo": GEO, "year": year, "value": fmt(value), "unit": unit,
             "source_title": r["source_title"].strip(), "source_url": r["source_url"].strip(), "note": note,
             "definition": definition_of(indicator_id, int(year))}
    return Mapped(cells, r["_where"])


def classify(r: dict, superseded: bool = False) -> tuple[list[Mapped], str]:
    """The statistics rows one input row maps to, or ``([], reason)`` when it is excluded.
    ``superseded``: whether the row named by the rule's ``superseded_by`` is mapped."""
    n, year, raw = r["target_n"].strip(), r["year"].strip(), r["value"].strip()
    if not r["source_title"].strip() or not r["source_url"].strip():
        return [], ("No source URL in the compilation (the search tool did not return one): a value without its "
                    "source is not shipped.")
    rule = ROWS.get((n, year, raw), Rule())
    if rule.only_url and rule.only_url != r["source_url"].strip():
        rule = Rule()
    if rule.reason and not (rule.superseded_by and not superseded):
        return [], rule.reason
    series = SERIES.get(n)
    if series is None:
        return [], f"No mapping defined for target_n {n!r}."
    if not rule.suffix and not year.isdigit():
        return [], "A multi-year span, not one year's figure; no rule maps it."
    lower_bound = raw[:1] in "><"
    try:
        value = Decimal(raw.lstrip("><").strip())
    except InvalidOperation:
        return [], f"Value {raw!r} is not a number."
    out_year = rule.year or year
    if int(out_year) < BASELINE_YEAR:
        return [], f"Describes {year}, before the plan's baseline year {BASELINE_YEAR}."

    if rule.suffix:                                          # a decided context row
        rows = [_row(r, f"{series.id}:{rule.suffix}", rule.unit or series.unit, out_year, value * rule.sign, rule.how)]
    elif n in CAPACITY:
        prefix = next((p for p in CONVERSIONS if r["unit"].startswith(p)), None)
        if prefix is None:
            return [], f"Output in an unknown unit ({r['unit']!r}); no exact conversion defined."
        factor, said = CONVERSIONS[prefix]
        how = (f"Context only: output, a stand-in for production capacity (the target) and at most equal to it; "
               f"{said}.")
        rows = [_row(r, f"{series.id}:output", series.unit, year, value * Decimal(factor), how)]
    elif raw[:1] == "<":
        return [], f"An upper bound ({raw!r}) is not a value; no context series is defined for it."
    elif lower_bound:
        rows = [_row(r, f"{series.id}:lower_bound", series.unit, year, value,
                     f"Context only: a lower bound (stated only as '{raw}'), never the value.")]
    elif n == "11" and "亿人" in r["unit"]:
        rows = [_row(r, f"{series.id}:insured_persons", "100 million persons", year, value,
                     "Context only: the number of insured persons (亿人), not the participation rate.")]
    elif n == "4" and "current prices" in r["unit"]:
        rows = [_row(r, f"{series.id}:nominal", YOY, year, value,
                     "Context only: nominal (current-price) growth; the target is at constant prices.")]
    elif series.rate and r["form"].strip() == "level":
        return [], LEVEL_OF_RATE.get(n, "A level; the target scores yearly % changes.")
    elif not series.rate and r["form"].strip() == "yearly_rate":
        return [], "A yearly % change; the target is a level."
    elif r["form"].strip() != ("yearly_rate" if series.rate else "level"):
        return [], f"Form {r['form']!r} (not one year's {'rate' if series.rate else 'level'}); no rule maps it."
    else:
        how = f"{series.how} {rule.how}" if rule.how else series.how  # a rule may add a caution to the usual note
        rows = [_row(r, series.id, series.unit, year, value * series.sign, how)]
    if rule.extra:
        suffix, extra_value, how = rule.extra
        if extra_value not in r["locator"]:
            raise MappingError(f"{r['_where']}: the locator no longer quotes {extra_value}; fix ROWS in {Path(__file__).name}")
        rows.append(_row(r, f"{series.id}:{suffix}", series.unit, year, Decimal(extra_value), how))
    return rows, ""


# ------------------------------------------------------------------------------------ reading

def read_csv(path: Path, required: Sequence[str]) -> tuple[list[str], list[dict]]:
    """Header and rows of a UTF-8 CSV file (``common.read_csv``: each row gets ``_line``, header =
    line 1), each row also ``_where`` (``<file name> line <n>``); MappingError on a bad file."""
    with mapping_errors():
        header, rows = common.read_csv(path, required)
    for row in rows:
        row["_where"] = f"{path.name} line {row['_line']}"
    return header, rows


def key_of(r: dict) -> tuple[str, str, str]:
    return r["target_n"].strip(), r["year"].strip(), r["value"].strip()


def build(rows_in: list[dict]) -> tuple[list[Mapped], list[dict]]:
    """Map the input rows: statistics rows sorted by (indicator_id, geo, year), excluded rows in input
    order (compilation, then additions). Two rows mapping to one key raise MappingError (a mapping
    mistake), as does an addition whose marker (MARKERS) its mapping does not honour."""
    first = [classify(r) for r in rows_in]
    mapped_keys = {key_of(r) for r, (rows, _) in zip(rows_in, first) if rows}
    out, excluded = [], []
    for r, (rows, reason) in zip(rows_in, first):
        rule = ROWS.get(key_of(r), Rule())
        if rule.superseded_by and rule.superseded_by in mapped_keys:
            rows, reason = classify(r, superseded=True)
        for marker, must in MARKERS.items():
            if marker in r.get("_marker_note", ""):
                ok = not rows if must == "excluded" else bool(rows) and all(":" in m.cells["indicator_id"] for m in rows)
                if not ok:
                    raise MappingError(f"{r['_where']}: the note says {marker}, so the row must be {must}; "
                                       f"fix ROWS in {Path(__file__).name}")
        if reason:
            excluded.append({"target_n": r["target_n"], "name_zh": r["name_zh"], "year": r["year"], "value": r["value"],
                             "unit": r["unit"], "form": r["form"], "reason": reason,
                             "source_title": r["source_title"], "source_url": r["source_url"],
                             "compiled_in": r.get("compiled_in", "")})
        out.extend(rows)
    out.sort(key=lambda m: m.key)
    seen: dict[tuple, Mapped] = {}
    for m in out:
        if m.key in seen:
            raise MappingError(f"{m.where} maps to {m.key} like {seen[m.key].where}; "
                               f"fix the rules in {Path(__file__).name}")
        seen[m.key] = m
    return out, excluded


def _same_value(a: str, b: str) -> bool:
    a, b = a.strip(), b.strip()
    if a == b:
        return True
    try:
        return Decimal(a.lstrip("><")) == Decimal(b.lstrip("><")) and a[:1] == b[:1]
    except InvalidOperation:
        return False


def apply_additions(compiled: list[dict], additions: list[dict]) -> tuple[list[dict], list[str]]:
    """The rows to classify: the compiled rows, with the sources that additions marked "better source
    for existing row" put in (title, URL, locator; the note keeps the old source), then the other
    additions. Returns the rows and a line per replaced source."""
    rows = [dict(r) for r in compiled]
    replaced, own = [], []
    for a in additions:
        a = dict(a, _added=True, _marker_note=a["note"])
        if BETTER_SOURCE not in a["note"].lower():
            own.append(a)
            continue
        hits = [r for r in rows if r["target_n"].strip() == a["target_n"].strip() and r["year"].strip() == a["year"].strip()
                and _same_value(r["value"], a["value"])]
        if len(hits) != 1:
            raise MappingError(f"{a['_where']}: a better source for an existing row, but {len(hits)} compiled rows have "
                               f"target_n {a['target_n']}, year {a['year']}, value {a['value']} (exactly one needed)")
        r = hits[0]
        if "_replaced_by" in r:
            raise MappingError(f"{a['_where']}: the source of {r['_where']} is already replaced by {r['_replaced_by']}")
        differ = [c for c in ("unit", "form") if r[c].strip() != a[c].strip()]
        if differ:
            raise MappingError(f"{a['_where']}: {', '.join(differ)} differ(s) from {r['_where']}; not the same row")
        old = (f"{r['source_title'].strip()} <{r['source_url'].strip() or 'no URL'}>, where on the page: "
               f"{r['locator'].strip()}")
        r["note"] = (f"{r['note'].strip()} Source replaced ({a['_where']}, {a.get('compiled_in', '').strip()}): was {old}. "
                     f"Note on the new source: {a['note'].strip()}")
        for c in ("source_title", "source_url", "locator"):
            r[c] = a[c]
        r["compiled_in"] = f"{r.get('compiled_in', '').strip()}; source: {a.get('compiled_in', '').strip()}".lstrip("; ")
        r["_replaced_by"], r["_marker_note"] = a["_where"], a["note"]
        replaced.append(f"{r['_where']} ({r['target_n']}, {r['year']}, {r['value']}): {r['source_url'].strip()}")
    return rows + own, replaced


def check_ids(rows: list[Mapped], targets_path: Path) -> None:
    """Every indicator id is a target id, a reference_id of the targets, or <target id>:<suffix>."""
    if not targets_path.is_file():
        return
    _, targets = read_csv(targets_path, ("id", "reference_id"))
    ids = {t["id"] for t in targets}
    refs = {t["reference_id"] for t in targets if t["reference_id"]}
    bad = sorted({m.cells["indicator_id"] for m in rows
                  if m.cells["indicator_id"] not in ids | refs and m.cells["indicator_id"].split(":", 1)[0] not in ids})
    if bad:
        raise MappingError(f"{targets_path}: no target or reference id for {', '.join(bad)}")


# ------------------------------------------------------------------------------------ merging

def merge(header: list[str], stored: list[dict], produced: list[Mapped], replace: bool,
          file: str) -> tuple[list[dict], dict[str, list[str]]]:
    """Produced rows replace stored rows of the same key (a differing value, unit or source is a
    conflict unless ``replace``); stored rows with other keys are kept, except rows this script
    wrote (COMPILED_MARK in the note) that are no longer produced: a conflict unless ``replace``,
    then dropped. Returns the rows sorted by key and what changed (``added``, ``refreshed``,
    ``replaced``, ``dropped``, ``kept``)."""
    by_key = {(r["indicator_id"], r["geo"], int(r["year"])): r for r in stored}
    changes: dict[str, list[str]] = {"added": [], "refreshed": [], "replaced": [], "dropped": [], "kept": []}
    conflicts, rows = [], []
    for m in produced:
        new = {c: "" for c in header} | m.cells
        old = by_key.pop(m.key, None)
        label = f"{m.key[0]}, {m.key[1]}, {m.key[2]}"
        if old is None:
            changes["added"].append(label)
        else:
            differ = [c for c in COMPARED if not common.same_cell(c, old.get(c) or "", new[c], Decimal)]
            if differ:
                shown = "; ".join(f"{c} {old.get(c)!r} -> {new[c]!r}" for c in differ)
                conflicts.append(f"{label}: {file} line {old['_line']} differs from the compilation: {shown}")
                changes["replaced"].append(label)
            elif any((old.get(c) or "") != new[c] for c in header):
                changes["refreshed"].append(label)
            new = {c: old.get(c) or "" for c in header} | m.cells
        rows.append(new)
    for r in list(by_key.values()):
        if COMPILED_MARK in (r.get("note") or ""):
            label = f"{r['indicator_id']}, {r['geo']}, {r['year']}"
            conflicts.append(f"{label}: {file} line {r['_line']} was written by this script from the inputs, "
                             f"which no longer produce it")
            changes["dropped"].append(label)
            del by_key[(r["indicator_id"], r["geo"], int(r["year"]))]
    if conflicts and not replace:
        raise MappingError("stored rows differ from the compilation (re-run with --replace to overwrite):\n  "
                           + "\n  ".join(conflicts))
    for r in by_key.values():
        changes["kept"].append(f"{r['indicator_id']}, {r['geo']}, {r['year']} (line {r['_line']})")
        rows.append({c: r.get(c) or "" for c in header})
    rows.sort(key=lambda d: (d["indicator_id"], d["geo"], int(d["year"])))
    return rows, changes


def read_statistics(path: Path, labelled: bool = False) -> tuple[list[str], list[dict]]:
    """Header and rows of a stored file. The header is :data:`COLUMNS`, then (``labelled``, or when
    the file has them) ``common.LABEL_COLUMNS``, then any other column of the file, kept."""
    first = list(COLUMNS) + list(common.LABEL_COLUMNS if labelled else ())
    if not path.exists():
        return first, []
    header, rows = read_csv(path, STORED_REQUIRED)
    for r in rows:
        if not (r["year"] or "").strip().isdigit():
            raise MappingError(f"{path} line {r['_line']}: year {r['year']!r} is not a whole number")
    first += [c for c in common.LABEL_COLUMNS if c in header and c not in first]
    return first + [c for c in header if c not in first], rows


def run(compiled_path: Path, statistics_path: Path, excluded_path: Path, targets_path: Path | None = None,
        replace: bool = False, dry_run: bool = False, out=None, additions_path: Path | None = None,
        labels_path: Path | None = None, quality_path: Path = common.QUALITY_RULES,
        later_paths: Sequence[Path] = ()) -> dict:
    """Rebuild the statistics and excluded files; every check runs before anything is written.
    ``additions_path``: the project's additions, read after the compilation (None = none).
    ``later_paths``: later rounds of the compilation (the compilation's header exactly), read as part of it.
    ``labels_path``: the context series' legend labels (``common.read_labels``; None = none: no label
    columns are added, and stored ones are kept as they are).
    ``quality_path``: the host rule grading every produced row's source (``common.source_quality``).
    Returns counts (compiled, additions, replaced sources, classified, mapped, target, reference,
    context, excluded rows, labelled context series)."""
    out = out or sys.stdout
    compiled_path, statistics_path, excluded_path = Path(compiled_path), Path(statistics_path), Path(excluded_path)
    targets_path = Path(targets_path) if targets_path else statistics_path.parent / "targets.csv"
    compiled_header, compiled = read_csv(compiled_path, COMPILED_REQUIRED)
    for later in map(Path, later_paths):
        later_header, rows = read_csv(later, COMPILED_REQUIRED)
        if later_header != compiled_header:
            raise MappingError(f"{later}: the header must be the compilation's exactly "
                               f"({','.join(compiled_header)}), not {','.join(later_header)}")
        compiled = compiled + rows
    additions: list[dict] = []
    if additions_path is not None:
        additions_path = Path(additions_path)
        added_header, additions = read_csv(additions_path, COMPILED_REQUIRED)
        if added_header != compiled_header:
            raise MappingError(f"{additions_path}: the header must be the compilation's exactly "
                               f"({','.join(compiled_header)}), not {','.join(added_header)}")
    rows_in, replaced = apply_additions(compiled, additions)
    produced, excluded = build(rows_in)
    check_ids(produced, targets_path)
    with mapping_errors():
        common.apply_quality([m.cells for m in produced], common.read_quality_rules(quality_path))
    labels: dict[str, tuple[str, str]] = {}
    unused: list[str] = []
    if labels_path is not None:
        labels_path = Path(labels_path)
        with mapping_errors():
            labels = common.read_labels(labels_path)
            unused = common.apply_labels([m.cells for m in produced], labels, labels_path)
    header, stored = read_statistics(statistics_path, labelled=labels_path is not None)
    rows, changes = merge(header, stored, produced, replace, str(statistics_path))

    stats_state = common.write_if_changed(statistics_path, common.csv_text(rows, header), dry_run)
    excl_state = common.write_if_changed(excluded_path, common.csv_text(excluded, EXCLUDED_COLUMNS), dry_run)
    ids = [m.cells["indicator_id"] for m in produced]
    counts = {"compiled": len(compiled), "additions": len(additions), "replaced": len(replaced),
              "classified": len(rows_in), "mapped": len(produced),
              "target": sum(":" not in i and i != REFERENCE_ID for i in ids),
              "reference": sum(i == REFERENCE_ID for i in ids), "context": sum(":" in i for i in ids),
              "excluded": len(excluded), "labelled": len(labels) - len(unused)}
    print(f"{statistics_path}: {len(rows)} rows ({stats_state}); " + ", ".join(
        f"{len(v)} {k}" for k, v in changes.items()), file=out)
    for k in ("added", "refreshed", "replaced", "dropped", "kept"):
        if k == "added" and len(changes[k]) == len(produced):
            continue  # a first run: every row is new, no need to list them
        for label in changes[k]:
            print(f"  {k}: {label}", file=out)
    print(f"{excluded_path}: {len(excluded)} rows ({excl_state})", file=out)
    if additions_path is not None:
        print(f"{additions_path}: {len(additions)} rows; {len(replaced)} replace the source of a compiled row, "
              f"{len(additions) - len(replaced)} are rows of their own", file=out)
        for line in replaced:
            print(f"  source replaced: {line}", file=out)
    print(f"{counts['compiled']} compiled + {counts['additions']} added rows ({counts['replaced']} of them sources) = "
          f"{counts['classified']} rows -> {counts['mapped']} statistics rows ({counts['target']} target, "
          f"{counts['reference']} reference, {counts['context']} context; one input row yields two) and "
          f"{counts['excluded']} excluded", file=out)
    if labels_path is not None:
        print(common.labels_line(labels_path, counts['labelled'], unused), file=out)
    if dry_run:
        print("dry run: nothing written", file=out)
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--compiled", type=Path, default=SHARED, help="the shared compilation (default: %(default)s)")
    ap.add_argument("--later", type=Path, nargs="*", default=list(LATER),
                    help="later rounds of the compilation, same columns (default: %(default)s)")
    ap.add_argument("--additions", type=Path, default=ADDITIONS,
                    help="this project's additions, read after the compilation (default: %(default)s)")
    ap.add_argument("--labels", type=Path, default=LABELS,
                    help="legend labels of the context series (default: %(default)s)")
    ap.add_argument("--statistics", type=Path, default=PLAN_DIR / "statistics.csv",
                    help="statistics file to write (default: %(default)s)")
    ap.add_argument("--excluded", type=Path, default=PLAN_DIR / "excluded_rows.csv",
                    help="where to list the rows left out (default: %(default)s)")
    ap.add_argument("--targets", type=Path, default=None,
                    help="targets file whose ids the rows must use (default: targets.csv beside --statistics)")
    common.add_write_options(ap)
    args = ap.parse_args(argv)
    return common.cli(lambda: run(args.compiled, args.statistics, args.excluded, args.targets, replace=args.replace,
                                  dry_run=args.dry_run, additions_path=args.additions, labels_path=args.labels,
                                  later_paths=[p for p in args.later if p.is_file() or p not in LATER]),
                      MappingError)


if __name__ == "__main__":
    raise SystemExit(main())
