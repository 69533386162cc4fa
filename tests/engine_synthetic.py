"""SYNTHETIC inputs for the engine tests (never real data; every name says "synthetic").

- :func:`target` / :func:`targets_frame` / :func:`stats_frame` build in-memory tables in the
  data contracts, for :func:`helpers.method.gaps.compute_gaps`.
- :func:`write_lakeside_plan` writes a small plan the project has never seen (jurisdiction
  ``lakeside``, two more cities, benchmark ``synthetic_nation``) as CSV files + plan.json, for
  tests that go through the command line.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

NAN = np.nan
GEO = "synthetica"
PLAN = {"title_en": "Synthetic plan", "jurisdiction": GEO, "benchmarks": ["bench_nation"]}


def target(id: str, kind: str = "level", comparator: str = ">=", target: float = NAN,
           target_hi: float = NAN, tolerance: float = NAN, baseline_year: int = 2016,
           target_year: int = 2021, reference_id: str | None = None,
           baseline_value: float = NAN, area: str | None = None) -> dict:
    return {
        "id": id, "area": area or id.split(".", 1)[0], "name_zh": f"合成{id}", "name_en": f"Synthetic {id}",
        "unit": "synthetic unit", "comparator": comparator, "target": target, "target_hi": target_hi,
        "tolerance": tolerance, "target_year": target_year, "baseline_year": baseline_year,
        "kind": kind, "reference_id": reference_id, "baseline_value": baseline_value,
    }


def targets_frame(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


def stats_frame(*series: tuple[str, str, dict[int, float]]) -> pd.DataFrame:
    rows = [(i, g, y, v) for i, g, values in series for y, v in values.items()]
    return pd.DataFrame(rows, columns=["indicator_id", "geo", "year", "value"])


# ----------------------------------------------------------------------------- CSV project

_TARGET_HEADER = ["id", "area", "name_zh", "name_en", "unit", "unit_zh", "comparator", "target",
                  "target_hi", "tolerance", "target_year", "baseline_year", "kind", "reference_id",
                  "value_unit", "baseline_value", "lead_agency", "source_ref", "note"]

#: (id, area, unit, comparator, target, target_hi, tolerance, target_year, kind, reference_id, value_unit)
LAKESIDE_TARGETS = [
    ("ecology.sewage_treatment_rate", "ecology", "%", ">=", 95, "", "", 2021, "level", "", ""),
    ("health.clinic_wait_minutes", "health", "minutes", "<=", 30, "", "", 2021, "level", "", ""),
    ("employment.new_jobs", "employment", "persons", ">=", 1000, "", "", 2021, "annual", "", ""),
    ("infrastructure.bridges_rebuilt", "infrastructure", "bridges", ">=", 40, "", "", 2021, "cumulative", "", ""),
    ("infrastructure.flood_standard", "infrastructure", "years", "between", 20, 50, "", 2021, "level", "", ""),
    ("employment.wage_vs_nation", "employment", "ratio", ">=", 1.0, "", "", 2021, "relative",
     "ref.synthetic_wage", "yuan"),
    ("poverty.poor_households", "poverty", "households", "<=", 0, "", "", 2020, "level", "", ""),
]

#: (indicator_id, geo, unit, {year: value})
LAKESIDE_STATISTICS = [
    ("ecology.sewage_treatment_rate", "lakeside", "%", {2016: 80.0, 2018: 86.0, 2019: 87.0, 2021: 96.0}),
    ("ecology.sewage_treatment_rate", "hilltown", "%", {2016: 70.0, 2019: 85.0}),
    ("ecology.sewage_treatment_rate", "synthetic_nation", "%", {2016: 90.0, 2021: 95.0}),
    ("health.clinic_wait_minutes", "lakeside", "minutes", {2016: 60.0, 2017: 65.0, 2019: 42.0}),
    ("employment.new_jobs", "lakeside", "persons", {2017: 1100.0, 2018: 900.0, 2020: 500.0}),
    ("infrastructure.bridges_rebuilt", "lakeside", "bridges", {2017: 6.0, 2019: 20.0}),
    ("infrastructure.flood_standard", "lakeside", "years", {2016: 10.0, 2019: 20.0}),
    ("employment.wage_vs_nation", "lakeside", "yuan", {2016: 40000.0, 2018: 45000.0}),
    ("ref.synthetic_wage", "synthetic_nation", "yuan", {2016: 50000.0, 2018: 50000.0}),
    ("poverty.poor_households", "lakeside", "households", {2016: 1200.0, 2018: 400.0, 2020: 0.0}),
    ("poverty.poor_households", "riverbend", "households", {2016: 800.0, 2018: 700.0}),
]

LAKESIDE_PLAN = {
    "title_zh": "合成湖滨民生规划", "title_en": "Synthetic Lakeside livelihood plan",
    "document_number": "SYN-LAKE-1", "jurisdiction": "lakeside", "issued": "2017-01-01",
    "geos": {"lakeside": {"zh": "湖滨市(合成)", "en": "Lakeside (synthetic)"}},
    "areas": [{"key": k, "zh": f"{k}(合成)", "en": f"{k} (synthetic)"}
              for k in ("ecology", "health", "employment", "infrastructure", "poverty")],
    "source_url": "https://example.org/synthetic-lakeside", "benchmarks": ["synthetic_nation"],
}



def run(targets: pd.DataFrame, stats: pd.DataFrame, method: str = "linear", plan=PLAN, **kw) -> pd.DataFrame:
    """The engine on synthetic tables: :func:`helpers.method.gaps.compute_gaps` with the synthetic plan."""
    from helpers.method import gaps

    return gaps.compute_gaps(targets, stats, method=method, plan=plan, **kw)


def at(traj: pd.DataFrame, indicator: str, year: int, geo: str = GEO) -> pd.Series:
    """The one trajectory row of ``indicator`` in ``year`` for ``geo``."""
    rows = traj[(traj["indicator_id"] == indicator) & (traj["year"] == year) & (traj["geo"] == geo)]
    assert len(rows) == 1, (indicator, year, geo, len(rows))
    return rows.iloc[0]


def write_lakeside_plan(root: Path, with_plan: bool = True) -> tuple[Path, Path]:
    """Write targets.csv, statistics.csv (and plan.json) under ``root``; returns both CSV paths."""
    root.mkdir(parents=True, exist_ok=True)
    trows = []
    for (i, area, unit, comp, tgt, hi, tol, ty, kind, ref, vunit) in LAKESIDE_TARGETS:
        trows.append({"id": i, "area": area, "name_zh": f"合成{i}", "name_en": f"Synthetic {i}",
                      "unit": unit, "unit_zh": unit, "comparator": comp, "target": tgt, "target_hi": hi,
                      "tolerance": tol, "target_year": ty, "baseline_year": 2016, "kind": kind,
                      "reference_id": ref, "value_unit": vunit, "baseline_value": "",
                      "lead_agency": "synthetic agency", "source_ref": "synthetic clause", "note": "synthetic"})
    tpath = root / "targets.csv"
    pd.DataFrame(trows, columns=_TARGET_HEADER).to_csv(tpath, index=False, lineterminator="\n")
    srows = [{"indicator_id": i, "geo": g, "year": y, "value": v, "unit": u,
              "source_title": "synthetic source", "source_url": "https://example.org/synthetic",
              "note": "synthetic"}
             for i, g, u, values in LAKESIDE_STATISTICS for y, v in values.items()]
    spath = root / "statistics.csv"
    pd.DataFrame(srows).to_csv(spath, index=False, lineterminator="\n")
    if with_plan:
        (root / "plan.json").write_text(json.dumps(LAKESIDE_PLAN, ensure_ascii=False, indent=1), encoding="utf-8")
    return tpath, spath
