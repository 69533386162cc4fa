"""Build the plan folder of China's 15th Five-Year Plan (2026-2030) from the shared compilation of its
main indicators, a plan in waiting: ready before its first yearly figure (due with NBS's statistical
communiqué in early 2027), so that the first imported figure is scored the same day.

Reads ``../shared/data/fyp15/targets_compiled.csv`` (the 20 official slots as far as the draft's
wording was seen) and the 14th plan's sourced statistics ``data/raw/china_fyp14/statistics.csv``;
writes ``data/raw/china_fyp15/plan.json``, ``targets.csv``, ``statistics.csv`` (2025 baselines only),
``excluded_slots.csv`` (every slot left out and why) and ``continues.csv`` (which target continues
which target of the 14th plan: :data:`CONTINUES`, declared, never matched by name). Usage::

    python scripts/import_fyp15.py [--dry-run] [--compiled PATH] [--fyp14-statistics PATH] [--out DIR]

Rules (data/raw/china_fyp15/README.md says why):

- a slot becomes a target only when its wording and its number were both seen (:data:`SLOTS`); GDP
  growth, which the plan states without a number ("保持在合理区间"), is ``unquantified`` as in the
  14th plan. A slot known only from the count, by topic, or whose number was seen only in an
  unattributed test fixture is listed in ``excluded_slots.csv``;
- every target's note starts with "DRAFT WORDING" (the adopted table was never compared with the
  draft of 2026-03-05) and names its doubts (paraphrase, English-only wording, single source…);
  ``binding`` stays empty (no per-indicator attribute was seen);
- the run stops when a compiled row no longer shows the number a rule expects (``expect``), so a
  changed compilation cannot silently change a target;
- statistics: a 2025 baseline only where the 14th plan ships a sourced 2025 statistic of the *same*
  series (:data:`REUSE`), copied with its source (and its ``source_quality``) and a note saying so; nothing else (a missing value
  stays missing; rounded news figures and unverified values stay out).

Re-running gives byte-identical files (written atomically, only when their content changes). This
script owns the files it writes: a researcher's yearly figures go in with ``python -m helpers
import`` (the template), and a re-run keeps every statistics row that it did not write itself.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from helpers.exceptions import ValidationError

_spec = importlib.util.spec_from_file_location("_import_common", Path(__file__).with_name("_import_common.py"))
common = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(common)

ROOT = Path(__file__).resolve().parents[1]
PLAN_DIR = ROOT / "data" / "raw" / "china_fyp15"
SHARED = ROOT.parent / "shared" / "data" / "fyp15" / "targets_compiled.csv"
FYP14_STATISTICS = ROOT / "data" / "raw" / "china_fyp14" / "statistics.csv"

BASELINE_YEAR, TARGET_YEAR = 2025, 2030
GEO = "china"
COMPILED_REQUIRED = ("n", "category", "name_zh", "name_en", "unit", "value_2025", "target_2030", "target_wording",
                     "binding", "source_title", "source_url", "locator", "note")
TARGET_COLUMNS = ("id", "area", "name_zh", "name_en", "unit", "unit_zh", "comparator", "target", "target_hi",
                  "tolerance", "target_year", "baseline_year", "kind", "reference_id", "value_unit", "baseline_value",
                  "lead_agency", "source_ref", "note", "binding")
STAT_COLUMNS = ("indicator_id", "geo", "year", "value", "unit", "source_title", "source_url", "source_quality",
                "note", "definition")
EXCLUDED_COLUMNS = ("n", "category", "name_zh", "reason")
#: Every note this script writes starts with this; a statistics row whose note has REUSED_MARK is its own.
DRAFT = "DRAFT WORDING (《纲要（草案）》, 2026-03-05; the adopted table was not compared with it)."
REUSED_MARK = "2025 baseline reused from the 14th plan's statistics"

AREAS = [
    {"key": "econ", "zh": "经济发展", "en": "Economic development"},
    {"key": "innovation", "zh": "创新驱动", "en": "Innovation-driven development"},
    {"key": "wellbeing", "zh": "民生福祉", "en": "People's well-being"},
    {"key": "green", "zh": "绿色低碳", "en": "Green and low-carbon development"},
    {"key": "security", "zh": "安全保障", "en": "Security"},
]
AREA_OF = {a["zh"]: a["key"] for a in AREAS}

PLAN = {
    "title_zh": "中华人民共和国国民经济和社会发展第十五个五年规划纲要",
    "title_en": "Outline of the 15th Five-Year Plan (2026-2030) for National Economic and Social Development "
                "of the People's Republic of China (main indicators as far as the draft's wording was seen)",
    "issuer_zh": "全国人民代表大会",
    "issuer_en": "National People's Congress",
    "issued": "2026-03-12",
    "jurisdiction": GEO,
    "benchmarks": [],
    "period": [2026, 2030],
    "first_figures_due": "2027-02 (NBS statistical communiqué on 2026, usually late February)",
    "areas": AREAS,
    "geos": {GEO: {"zh": "全国", "en": "China"}},
    "default_area": "wellbeing",
    "default_indicator": "F11",
}


@dataclass(frozen=True)
class Slot:
    """How one compiled slot becomes a target: its id, units, kind, comparator and number (text, as
    the targets table holds it), ``expect`` (text the compiled target cells must contain), the
    reading of the wording and the doubts (both go into the note)."""

    id: str
    unit: str
    unit_zh: str
    kind: str
    comparator: str
    target: str
    expect: str
    reading: str
    doubts: str
    value_unit: str = ""


SLOTS: dict[str, Slot] = {
    "1": Slot("F01", "% over previous year", "%(比上年)", "unquantified", "", "", "保持在合理区间",
              "No quantified target: '保持在合理区间、各年度视情提出' sets no five-year number and no direction, as in the "
              "14th plan; its yearly real growth is shown, never scored.",
              "Attribute (binding/expected) not seen."),
    "4": Slot("F04", "% a year", "%(年均)", "rate_avg", ">=", "7", "年均增长7%以上",
              "'年均增长7%以上' = average annual growth 2026..t of R&D spending, >= 7 (scored from each year's "
              "% change over the previous year; as in the 14th plan, the target is read at constant prices).",
              "Price basis not restated in the sources seen ('与“十四五”规划目标保持一致'); attribute not seen.",
              value_unit="% over previous year"),
    "6": Slot("F06", "% of GDP", "%(占GDP)", "level", ">=", "12.5", "12.5",
              "'达到12.5%' = the share of core digital-economy value added in GDP in 2030, >= 12.5.",
              "Li Qiang cites it under 重大战略任务, not in the indicator paragraph: that it is a main indicator (and "
              "its category) rests only on an unattributed GitHub fixture. No 2025 value seen (NBS 2023 = 9.9; a "
              "repost gives 10.4 for 2024): no baseline, so only the 2030 value itself is required."),
    "7": Slot("F07", "%", "%", "annual", "<=", "5.5", "5.5",
              "'低于5.5%' read as a ceiling held every year (annual <= 5.5, like the 14th plan's '<5.5'); 'below' "
              "is strictly less, so exactly 5.5 would count as met here.",
              "Wording from a Taiwanese paper's paraphrase of the draft (工商时报); the table's own wording not seen. "
              "The 2026 annual target '5.5%左右' is a yearly goal, not this one."),
    "9": Slot("F09", "years", "年", "level", ">=", "11.7", "11.7",
              "'提高到11.7年' = average years of schooling of the working-age population in 2030, >= 11.7.",
              "No 2025 value seen (2024 = 11.21, NBS): no baseline, so only the 2030 value itself is required."),
    "11": Slot("F11", "years", "岁", "level", ">=", "80", "80",
               "'提高到80岁' = average life expectancy in 2030, >= 80 (a level, unlike the 14th plan's '+1 year').",
               "The 2025 baseline 79.25 is the figure of 雷海潮 (2026-03-07), the same series as the 14th plan's I13."),
    "12": Slot("F12", "%", "%", "level", ">=", "73", "73",
               "'提高到73%' = share of nursing-type beds in elderly-care institutions in 2030, >= 73 (a new indicator).",
               "No 2025 value seen (an unverified fixture says 68 %): no baseline, so only the 2030 value is required."),
    "13": Slot("F13", "percentage points", "个百分点", "change", ">=", "6", "6",
               "'提高6个百分点' = the childcare enrolment rate of children under 3 rises by >= 6 points from 2025.",
               "Wording seen only in English (ecns, SCIO briefing 2026-03-07); the Chinese wording and the 2025 rate "
               "were not seen: without the baseline the 2030 level (and the path to it) cannot be set.",
               value_unit="%"),
    "14": Slot("F14", "% since 2025", "%(较2025年)", "rate_total", "<=", "-17", "17",
               "'累计降低17%' = CO2 emissions per unit of GDP fall by >= 17 % over 2026-2030, compounded from each "
               "year's % change (stored signed: a fall of 3 % is -3), as in the 14th plan.",
               "Binding only per an unattributed GitHub fixture (not seen in the news): left empty.",
               value_unit="% over previous year"),
    "15": Slot("F15", "%", "%", "level", ">=", "25", "25",
               "'a quarter of total energy use by end of decade' = share of non-fossil energy in total energy "
               "consumption in 2030, >= 25.",
               "Wording seen only in English (Semafor, Down To Earth); main-table status not confirmed by news. The "
               "2025 share ('21 % last year') is a rounded news figure, not a statistic: no baseline."),
    "19": Slot("F19", "100 million tonnes", "亿吨", "level", ">=", "7.25", "7.25",
               "'about 725 million tonnes' = grain production capacity in 2030, >= 7.25 亿吨 (capacity, not output).",
               "SINGLE secondary source, in Russian (kz-reporter); 'about'; the Chinese wording was not seen. Output "
               "statistics are not capacity: none will score it."),
    "20": Slot("F20", "100 million tonnes of standard coal equivalent", "亿吨标准煤", "level", ">=", "58", "58",
               "'5.8 billion tonnes of standard coal' = energy production capacity in 2030, >= 58 亿吨标准煤.",
               "SINGLE secondary source, in Russian (kz-reporter, same article as grain); the Chinese wording was not "
               "seen. Output (over 50 亿吨标准煤 in 2025) is not capacity."),
}

#: Slots left out, with the reason (anything not in SLOTS must be here: the run checks).
SKIP: dict[str, str] = {
    "2": "Name and numbers only from an unattributed GitHub test fixture (low confidence); no news page confirms it "
         "is a main indicator or the 71 % target.",
    "3": "Slot known only from the count ('增长、结构、效率'): no name, no number seen.",
    "5": "The 2030 target ('>22件') and its inclusion come only from an unattributed GitHub fixture; not filled "
         "from the 14th plan.",
    "8": "Income indicator known by topic only: no wording, no number seen.",
    "10": "Medical staff per 1,000 people: existence from an English report only, no target and no baseline seen.",
    "16": "Unidentified green slot: no name, no number seen.",
    "17": "Unidentified green slot: no name, no number seen.",
    "18": "Unidentified green slot: no name, no number seen.",
}

#: 2025 baselines reused from the 14th plan: 15th id -> (14th id, year). Same series only.
REUSE: dict[str, tuple[str, int]] = {
    "F01": ("I01", 2025),   # GDP real growth, NBS first release
    "F07": ("I08", 2025),   # annual average surveyed urban unemployment rate
    "F11": ("I13", 2025),   # average life expectancy (雷海潮, 2026-03-07)
}


#: Plan succession, declared (never matched by name): 15th id -> (earlier plan, its id, how the target changed).
CONTINUES: dict[str, tuple[str, str, str]] = {
    "F01": ("china_fyp14", "I01", "GDP growth: no number in either plan."),
    "F04": ("china_fyp14", "I04", "R&D spending growth: the same '年均增长7%以上' ('与“十四五”规划目标保持一致')."),
    "F06": ("china_fyp14", "I06", "Digital-economy share of GDP: 10 % by 2025, then 12.5 % by 2030."),
    "F07": ("china_fyp14", "I08", "Surveyed urban unemployment: a ceiling of 5.5 % every year in both plans."),
    "F09": ("china_fyp14", "I09", "Years of schooling: 11.3 by 2025, then 11.7 by 2030."),
    "F11": ("china_fyp14", "I13", "Life expectancy: +1 year by 2025 (a change), then 80 years by 2030 (a level)."),
    "F14": ("china_fyp14", "I15", "CO2 per unit of GDP: -18 % over 2021-2025, then -17 % over 2026-2030."),
    "F19": ("china_fyp14", "I19", "Grain production capacity: 6.5 亿吨, then about 7.25 亿吨 (single source)."),
    "F20": ("china_fyp14", "I20", "Energy production capacity: 46 亿吨标准煤, then 58 (single source)."),
}
CONTINUES_COLUMNS = ("id", "continues_plan", "continues_id", "note")


class MappingError(Exception):
    """A problem with the inputs or the rules; the message names the file and what to fix."""


def _read(path: Path, required: Sequence[str]) -> list[dict]:
    try:
        return common.read_csv(path, required)[1]
    except ValidationError as exc:
        raise MappingError("\n".join(f"{p.file} line {p.line}: {p.message}" for p in exc.problems)) from None


def target_rows(compiled: list[dict], path: Path) -> tuple[list[dict], list[dict]]:
    """The targets table and the excluded slots, in slot order; MappingError when a slot has no rule
    or a rule's expected text is no longer in the compiled row."""
    targets, excluded = [], []
    for r in compiled:
        n = r["n"].strip()
        if n in SKIP:
            excluded.append({"n": n, "category": r["category"], "name_zh": r["name_zh"], "reason": SKIP[n]})
            continue
        slot = SLOTS.get(n)
        if slot is None:
            raise MappingError(f"{path} line {r['_line']}: slot {n} has no rule (SLOTS or SKIP in {Path(__file__).name})")
        seen = f"{r['target_2030']} {r['target_wording']}"
        if slot.expect not in seen:
            raise MappingError(f"{path} line {r['_line']}: slot {n} no longer shows {slot.expect!r} "
                               f"({seen.strip()!r}); check the rule in {Path(__file__).name}")
        wording = r["target_wording"].strip()
        note = (f"{DRAFT} {slot.reading} Doubts: {slot.doubts} Wording seen in: {r['source_title'].strip()}, "
                f"{r['source_url'].strip()} ({r['locator'].strip()}). Compilation note: {r['note'].strip()}")
        targets.append({
            "id": slot.id, "area": AREA_OF[r["category"].strip()], "name_zh": r["name_zh"].strip(),
            "name_en": r["name_en"].strip(), "unit": slot.unit, "unit_zh": slot.unit_zh,
            "comparator": slot.comparator, "target": slot.target, "target_hi": "", "tolerance": "",
            "target_year": str(TARGET_YEAR), "baseline_year": str(BASELINE_YEAR), "kind": slot.kind,
            "reference_id": "", "value_unit": slot.value_unit, "baseline_value": "", "lead_agency": "",
            "source_ref": f"《纲要（草案）》专栏 {r['category'].strip()}: {r['name_zh'].strip()} — {wording}",
            "note": note, "binding": ""})
    missing = set(SLOTS) - {r["n"].strip() for r in compiled}
    if missing:
        raise MappingError(f"{path}: no row for slot(s) {', '.join(sorted(missing, key=int))}")
    return targets, excluded


def baseline_rows(fyp14: list[dict], targets: list[dict], path: Path) -> list[dict]:
    """The 2025 baselines of :data:`REUSE`, copied from the 14th plan's statistics with their source."""
    units = {t["id"]: t["value_unit"] or t["unit"] for t in targets}
    by_key = {(r["indicator_id"], r["geo"], int(r["year"])): r for r in fyp14}
    rows = []
    for new_id, (old_id, year) in REUSE.items():
        old = by_key.get((old_id, GEO, year))
        if old is None:
            raise MappingError(f"{path}: no {old_id} {year} row to reuse as {new_id}'s baseline")
        if old["unit"] != units[new_id]:
            raise MappingError(f"{path} line {old['_line']}: unit {old['unit']!r} is not {new_id}'s {units[new_id]!r}")
        rows.append({"indicator_id": new_id, "geo": GEO, "year": str(year), "value": old["value"], "unit": old["unit"],
                     "source_title": old["source_title"], "source_url": old["source_url"],
                     "source_quality": old.get("source_quality") or "",
                     "note": f"{REUSED_MARK} ({old_id} {year}, data/raw/china_fyp14/statistics.csv): the same series. "
                             f"Its note there: {old['note']}",
                     "definition": old.get("definition") or ""})
    return rows


def run(compiled_path: Path = SHARED, fyp14_path: Path = FYP14_STATISTICS, out_dir: Path = PLAN_DIR,
        dry_run: bool = False, out=None) -> dict:
    """Write the plan folder; returns counts (targets, quantified, excluded, baselines, kept)."""
    out = out or sys.stdout
    out_dir = Path(out_dir)
    compiled = _read(Path(compiled_path), COMPILED_REQUIRED)
    targets, excluded = target_rows(compiled, Path(compiled_path))
    produced = baseline_rows(_read(Path(fyp14_path), STAT_COLUMNS[:7]), targets, Path(fyp14_path))
    stats_path = out_dir / "statistics.csv"
    kept = []
    if stats_path.exists():  # a researcher's rows (imported figures) stay; this script's own are rewritten
        stored = _read(stats_path, STAT_COLUMNS[:7])
        ours = {(r["indicator_id"], r["geo"], r["year"]) for r in produced}
        kept = [{c: r.get(c) or "" for c in STAT_COLUMNS} for r in stored
                if REUSED_MARK not in (r.get("note") or "") and (r["indicator_id"], r["geo"], r["year"]) not in ours]
    rows = sorted(produced + kept, key=lambda r: (r["indicator_id"], r["geo"], int(r["year"])))
    states = {
        "plan.json": common.write_if_changed(out_dir / "plan.json",
                                             json.dumps(PLAN, ensure_ascii=False, indent=2) + "\n", dry_run),
        "targets.csv": common.write_if_changed(out_dir / "targets.csv", common.csv_text(targets, TARGET_COLUMNS), dry_run),
        "statistics.csv": common.write_if_changed(stats_path, common.csv_text(rows, STAT_COLUMNS), dry_run),
        "excluded_slots.csv": common.write_if_changed(out_dir / "excluded_slots.csv",
                                                      common.csv_text(excluded, EXCLUDED_COLUMNS), dry_run),
        "continues.csv": common.write_if_changed(out_dir / "continues.csv", common.csv_text(
            [{"id": k, "continues_plan": p, "continues_id": i, "note": n} for k, (p, i, n) in CONTINUES.items()
             if k in {t["id"] for t in targets}], CONTINUES_COLUMNS), dry_run),
    }
    counts = {"targets": len(targets), "quantified": sum(t["kind"] != "unquantified" for t in targets),
              "excluded": len(excluded), "baselines": len(produced), "kept": len(kept)}
    for name, state in states.items():
        print(f"{out_dir / name}: {state}", file=out)
    print(f"{len(compiled)} slots -> {counts['targets']} targets ({counts['quantified']} quantified), "
          f"{counts['excluded']} left out; {counts['baselines']} 2025 baselines reused from the 14th plan, "
          f"{counts['kept']} other statistics rows kept", file=out)
    if dry_run:
        print("dry run: nothing written", file=out)
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--compiled", type=Path, default=SHARED, help="the shared compilation (default: %(default)s)")
    ap.add_argument("--fyp14-statistics", type=Path, default=FYP14_STATISTICS,
                    help="the 14th plan's statistics, source of the reused baselines (default: %(default)s)")
    ap.add_argument("--out", type=Path, default=PLAN_DIR, help="the plan folder to write (default: %(default)s)")
    ap.add_argument("--dry-run", action="store_true", help="print what would change; write nothing")
    args = ap.parse_args(argv)
    return common.cli(lambda: run(args.compiled, args.fyp14_statistics, args.out, args.dry_run), MappingError)


if __name__ == "__main__":
    raise SystemExit(main())
