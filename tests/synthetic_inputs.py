"""SYNTHETIC targets / statistics / plan tables for the validation, template and coverage tests.

Every value here is invented for testing (names say "synthetic"); nothing is real data. The tables
are kept as lists of dicts so a test can break one cell and write the files with
:func:`write_inputs`. Line numbers as an editor shows them: the header is line 1, so
``TARGETS[i]`` is on line ``i + 2``.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

TARGET_HEADER = ["id", "area", "name_zh", "name_en", "unit", "unit_zh", "comparator", "target",
                 "target_hi", "tolerance", "target_year", "baseline_year", "kind", "reference_id",
                 "value_unit", "baseline_value", "lead_agency", "source_ref", "note"]
STAT_HEADER = ["indicator_id", "geo", "year", "value", "unit", "source_title", "source_url", "note"]


def _t(id_, area, name_zh, name_en, unit, cmp, target, kind, *, hi="", tol="", year="2021",
       ref="", value_unit="", baseline_value=""):
    return {"id": id_, "area": area, "name_zh": name_zh, "name_en": name_en, "unit": unit,
            "unit_zh": "", "comparator": cmp, "target": target, "target_hi": hi, "tolerance": tol,
            "target_year": year, "baseline_year": "2016", "kind": kind, "reference_id": ref,
            "value_unit": value_unit, "baseline_value": baseline_value,
            "lead_agency": "synthetic agency", "source_ref": "synthetic clause", "note": "synthetic"}


def targets() -> list[dict]:
    """Seven synthetic targets, one of each shape (lines 2..8)."""
    return [
        _t("health.beds_per_1000", "health", "床位(合成)", "Beds (synthetic)", "beds per 1000 residents", ">=", "6.0", "level"),
        _t("employment.new_jobs", "employment", "新增就业(合成)", "New jobs (synthetic)", "10k persons", ">=", "4.1", "annual"),
        _t("infrastructure.rural_roads", "infrastructure", "农村公路(合成)", "Rural roads (synthetic)", "km", ">=", "3000", "cumulative"),
        _t("employment.income_vs_national", "employment", "收入相对全国(合成)", "Income vs national (synthetic)",
           "ratio to national average", ">=", "1.0", "relative", ref="ref.income_per_capita", value_unit="yuan per person"),
        _t("infrastructure.flood_standard", "infrastructure", "防洪标准(合成)", "Flood standard (synthetic)",
           "return period (years)", "between", "10", "level", hi="20"),
        _t("social_security.reimbursement", "social_security", "报销比例(合成)", "Reimbursement (synthetic)", "%", "~", "75", "level", tol="5"),
        _t("poverty.poor_population", "poverty", "贫困人口(合成)", "Poor population (synthetic)", "10k persons", "<=", "0", "level", year="2020"),
    ]


def _s(ind, geo, year, value, unit, title="synthetic source", url="https://example.org/synthetic", note=""):
    return {"indicator_id": ind, "geo": geo, "year": str(year), "value": str(value), "unit": unit,
            "source_title": title, "source_url": url, "note": note}


def statistics() -> list[dict]:
    """Thirteen synthetic statistics rows, sorted by (indicator_id, geo, year) (lines 2..14)."""
    return [
        _s("employment.income_vs_national", "fuyang", 2016, 16000, "yuan per person"),
        _s("employment.income_vs_national", "fuyang", 2018, 19000, "yuan per person"),
        _s("employment.new_jobs", "fuyang", 2017, 4.3, "10k persons"),
        _s("employment.new_jobs", "fuyang", 2018, 4.0, "10k persons"),
        _s("health.beds_per_1000", "china", 2018, 6.0, "beds per 1000 residents"),
        _s("health.beds_per_1000", "fuyang", 2016, 4.0, "beds per 1000 residents"),
        _s("health.beds_per_1000", "fuyang", 2018, 4.6, "beds per 1000 residents"),
        _s("health.beds_per_1000", "fuyang", 2020, 5.4, "beds per 1000 residents"),
        _s("infrastructure.rural_roads:bridges", "fuyang", 2018, 12, "bridges", note="context only (synthetic)"),
        _s("poverty.poor_population", "fuyang", 2016, 50, "10k persons"),
        _s("poverty.poor_population", "fuyang", 2020, 0, "10k persons"),
        _s("ref.income_per_capita", "china", 2016, 23821, "yuan per person"),
        _s("ref.income_per_capita", "china", 2018, 28228, "yuan per person"),
    ]


AREA_KEYS = ("employment", "education", "health", "social_security", "culture", "public_safety",
             "infrastructure", "ecology", "poverty")
PLAN = {"title_zh": "合成规划", "title_en": "Synthetic plan", "document_number": "SYN-1",
        "jurisdiction": "fuyang", "issued": "2017-08-21", "benchmarks": ["anhui", "china"],
        "areas": [{"key": k, "zh": f"{k}(合成)", "en": f"{k} (synthetic)"} for k in AREA_KEYS],
        "geos": {"fuyang": {"zh": "阜阳市", "en": "Fuyang"}, "anhui": {"zh": "安徽省", "en": "Anhui"},
                 "china": {"zh": "全国", "en": "China"}}}


def csv_text(rows: list[dict], header: list[str]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=header, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def write_inputs(folder: Path, targets_rows: list[dict] | None = None, stats_rows: list[dict] | None = None,
                 plan: dict | None = PLAN) -> tuple[Path, Path]:
    """Write ``targets.csv``, ``statistics.csv`` (and ``plan.json``) into ``folder``; returns the
    two CSV paths."""
    folder.mkdir(parents=True, exist_ok=True)
    t = folder / "targets.csv"
    s = folder / "statistics.csv"
    t.write_text(csv_text(targets() if targets_rows is None else targets_rows, TARGET_HEADER), encoding="utf-8")
    s.write_text(csv_text(statistics() if stats_rows is None else stats_rows, STAT_HEADER), encoding="utf-8")
    if plan is not None:
        (folder / "plan.json").write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    return t, s


def template_rows(path: Path) -> tuple[list[str], list[dict]]:
    """Header and rows of a CSV template (UTF-8 with BOM)."""
    text = path.read_bytes().decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    return list(reader.fieldnames or []), list(reader)


def fill_template(path: Path, cells: dict[tuple[str, int], dict], out: Path | None = None) -> Path:
    """Fill cells of the template rows keyed (indicator_id, year) with synthetic values and save
    the file as a spreadsheet would (UTF-8 with BOM, CRLF)."""
    header, rows = template_rows(path)
    for row in rows:
        row.update(cells.get((row["indicator_id"], int(row["year"])), {}))
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=header, lineterminator="\r\n")
    w.writeheader()
    w.writerows(rows)
    out = out or path
    out.write_bytes(("\ufeff" + buf.getvalue()).encode("utf-8"))
    return out
