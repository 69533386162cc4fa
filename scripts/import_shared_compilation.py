"""Map the shared compilation of public figures onto this plan's indicator ids.

Reads ``../shared/data/statistics_compiled.csv`` (every row with its source URL) and writes
``data/raw/statistics.csv`` in the statistics contract, plus ``data/raw/excluded_rows.csv``
listing the rows left out and why. Run once when the compilation changes; the output is then
raw input like any other (researchers add their own figures with ``python -m helpers import``).

Mapping rules (see data/raw/README.md):
- same definition as the target -> the target id (geo ``fuyang`` is scored, ``anhui``/``china``
  are benchmarks);
- a proxy or partial measure -> a context series ``<target id>:<suffix>`` (never scored);
- the national income series -> the reference series ``ref.income_per_capita``;
- anything else -> excluded with a reason.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "statistics_compiled.csv"

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


def main() -> int:
    rows = list(csv.DictReader(SHARED.open(encoding="utf-8")))
    out, excluded = [], []
    for r in rows:
        key = (r["series_id"], r["geo"])
        reason = EXCLUDE_REASONS.get(key) or (PRE_BASELINE_REASON if int(r["year"]) < 2016 else None)
        if reason is None and key not in MAP:
            reason = "No mapping defined."
        if reason:
            excluded.append({"series_id": r["series_id"], "geo": r["geo"], "year": r["year"], "value": r["value"],
                             "unit": r["unit"], "reason": reason, "source_url": r["source_url"]})
            continue
        ind, unit, how, value = map_row(r)
        note = f"{how} Compiled as {r['series_id']} ({r['scope_note']}); where on the page: {r['locator']}. Source note: {r['note']}"
        out.append({"indicator_id": ind, "geo": r["geo"], "year": int(r["year"]),
                    "value": f"{value:g}", "unit": unit, "source_title": r["source_title"],
                    "source_url": r["source_url"], "note": note})
    out.sort(key=lambda d: (d["indicator_id"], d["geo"], d["year"]))
    cols = ["indicator_id", "geo", "year", "value", "unit", "source_title", "source_url", "note"]
    with (ROOT / "data/raw/statistics.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=cols, lineterminator="\n")
        w.writeheader()
        w.writerows(out)
    with (ROOT / "data/raw/excluded_rows.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(excluded[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(excluded)
    print(f"{len(rows)} compiled rows: {len(out)} written to data/raw/statistics.csv, {len(excluded)} excluded", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
