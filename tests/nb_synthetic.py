"""A small SYNTHETIC plan for the notebook tests (never real data; every row says "synthetic").

:func:`write_synthetic_project` lays out ``<root>/data/raw/synthetic/{targets.csv,statistics.csv,plan.json}``
so a test can point ``HELPERS_PROJECT_ROOT`` (or the notebook's ``targets_path`` /
``statistics_path`` parameters) at it. ``hostile=True`` puts HTML/script payloads into a target
name, a note, a source title and an (http) source URL, to check that every report escapes them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
BAD_URL = "javascript:alert(1)"
#: An http URL carrying an HTML payload (the validator only accepts http/https addresses).
HOSTILE_URL = 'https://example.org/x?a="><img/src=x/onerror=alert(1)>'


_T = [
    # id, area, name_zh, name_en, unit, comparator, target, target_hi, tolerance, target_year, kind, reference_id, baseline_value
    ("employment.new_urban_jobs", "employment", "城镇新增就业(合成)", "New urban jobs (synthetic)", "10k persons", ">=", 4.1, None, None, 2021, "annual", None, None),
    ("employment.unemployment_rate", "employment", "城镇登记失业率(合成)", "Registered unemployment rate (synthetic)", "%", "~", 4.5, None, 0.5, 2021, "level", None, None),
    ("employment.income_relative", "employment", "居民收入相对全国(合成)", "Income relative to national (synthetic)", "ratio", ">=", 0.8, None, None, 2021, "relative", "ref.income_per_capita", None),
    ("education.preschool_enrolment", "education", "学前三年毛入园率(合成)", "Preschool gross enrolment (synthetic)", "%", ">=", 90.0, None, None, 2021, "level", None, None),
    ("health.beds_per_1000", "health", "每千人口床位数(合成)", "Hospital beds per 1000 (synthetic)", "beds per 1000 residents", ">=", 6.0, None, None, 2021, "level", None, None),
    ("social_security.reimbursement", "social_security", "住院费用支付比例(合成)", "Inpatient reimbursement (synthetic)", "%", "between", 70.0, 80.0, None, 2021, "level", None, None),
    ("culture.beneficiaries", "culture", "文化惠民人次(合成)", "Cultural beneficiaries (synthetic)", "10k person-times", ">=", 500.0, None, None, 2021, "cumulative", None, 0.0),
    ("public_safety.road_deaths", "public_safety", "道路交通万车死亡率(合成)", "Road deaths per 10k vehicles (synthetic)", "per 10k vehicles", "<=", 2.0, None, None, 2021, "level", None, None),
    ("infrastructure.rural_roads", "infrastructure", "新改建农村公路(合成)", "Rural roads built (synthetic)", "km", ">=", 5000.0, None, None, 2021, "cumulative", None, 0.0),
    ("ecology.good_air_days", "ecology", "空气质量优良天数比例(合成)", "Good-air days share (synthetic)", "%", ">=", 80.0, None, None, 2021, "level", None, None),
    ("poverty.poor_population", "poverty", "贫困人口(合成)", "Poor population (synthetic)", "10k persons", "<=", 0.0, None, None, 2020, "level", None, None),
]

# indicator_id, geo, {year: value}
_S = [
    ("employment.new_urban_jobs", "fuyang", {2017: 4.3, 2018: 4.0, 2019: 4.4, 2021: 4.5}),
    ("employment.unemployment_rate", "fuyang", {2016: 3.2, 2018: 3.1, 2020: 3.4}),
    ("employment.income_relative", "fuyang", {2016: 16000.0, 2018: 19000.0, 2020: 22000.0}),
    ("ref.income_per_capita", "china", {2016: 23821.0, 2018: 28228.0, 2020: 32189.0}),
    ("education.preschool_enrolment", "fuyang", {2016: 80.0, 2019: 86.0}),
    ("health.beds_per_1000", "fuyang", {2016: 4.0, 2017: 4.3, 2018: 4.6, 2019: 5.0, 2020: 5.4}),
    ("health.beds_per_1000", "anhui", {2016: 4.7, 2018: 5.2, 2020: 5.8}),
    ("health.beds_per_1000", "china", {2016: 5.4, 2018: 6.0, 2020: 6.5}),
    ("social_security.reimbursement", "fuyang", {2016: 65.0, 2019: 72.0}),
    ("culture.beneficiaries:performances", "fuyang", {2018: 1200.0, 2019: 1500.0}),
    ("public_safety.road_deaths", "fuyang", {2016: 2.5, 2018: 2.7}),
    ("infrastructure.rural_roads", "fuyang", {2017: 900.0, 2018: 2100.0, 2019: 3300.0}),
    ("poverty.poor_population", "fuyang", {2016: 50.0, 2017: 35.0, 2018: 20.0, 2019: 5.0, 2020: 0.0}),
]

AREAS = [("employment", "就业与收入", "Jobs and income"), ("education", "教育", "Education"),
         ("health", "医疗卫生", "Health"), ("social_security", "社会保障", "Social security"),
         ("culture", "公共文化", "Culture"), ("public_safety", "公共安全", "Public safety"),
         ("infrastructure", "基础设施", "Infrastructure"), ("ecology", "生态环境", "Ecology"),
         ("poverty", "脱贫攻坚", "Poverty alleviation")]
PLAN = {
    "title_zh": "合成测试规划", "title_en": "Synthetic test plan", "document_number": "SYN-1",
    "jurisdiction": "fuyang", "issued": "2017-08-21", "source_url": "https://example.org/synthetic-plan",
    "benchmarks": ["anhui", "china"],
    "areas": [{"key": k, "zh": zh, "en": en} for k, zh, en in AREAS],
    "geos": {"fuyang": {"zh": "阜阳市", "en": "Fuyang"}, "anhui": {"zh": "安徽省", "en": "Anhui"},
             "china": {"zh": "全国", "en": "China"}},
}
#: The folder (under ``<root>/data/raw/``) the synthetic plan is written to.
PLAN_NAME = "synthetic"


def synthetic_targets(hostile: bool = False) -> pd.DataFrame:
    cols = ["id", "area", "name_zh", "name_en", "unit", "comparator", "target", "target_hi",
            "tolerance", "target_year", "kind", "reference_id", "baseline_value"]
    df = pd.DataFrame(_T, columns=cols)
    df["baseline_year"] = 2016
    df["lead_agency"] = "synthetic agency"
    df["source_ref"] = "synthetic"
    df["note"] = "synthetic"
    if hostile:
        i = df.index[df["id"] == "health.beds_per_1000"][0]
        df.loc[i, "name_en"] = f"Beds {SCRIPT}"
        df.loc[i, "name_zh"] = f"床位 {SCRIPT}"
        df.loc[i, "note"] = f"synthetic {IMG}"
    order = ["id", "area", "name_zh", "name_en", "unit", "comparator", "target", "target_hi",
             "tolerance", "target_year", "baseline_year", "kind", "reference_id", "lead_agency",
             "source_ref", "note", "baseline_value"]
    return df[order]


def synthetic_statistics(hostile: bool = False) -> pd.DataFrame:
    rows = []
    for ind, geo, series in _S:
        unit = next((t[4] for t in _T if t[0] == ind.split(":")[0]), "yuan per person")
        for year, value in series.items():
            rows.append({
                "indicator_id": ind, "geo": geo, "year": year, "value": value, "unit": unit,
                "source_title": f"Synthetic bulletin {year}",
                "source_url": f"https://example.org/synthetic/{year}",
                "note": "synthetic",
            })
    df = pd.DataFrame(rows)
    if hostile:
        m = (df["indicator_id"] == "health.beds_per_1000") & (df["geo"] == "fuyang")
        df.loc[m, "source_title"] = f"Bulletin {SCRIPT}"
        df.loc[m, "note"] = f"synthetic {IMG}"
        first = df.index[m][0]
        df.loc[first, "source_url"] = HOSTILE_URL
    return df


def write_synthetic_project(root: str | Path, hostile: bool = False) -> Path:
    """Write the synthetic plan under ``root/data/raw/synthetic/``; return ``root``."""
    root = Path(root)
    raw = root / "data" / "raw" / PLAN_NAME
    raw.mkdir(parents=True, exist_ok=True)
    (root / "data" / "processed").mkdir(exist_ok=True)
    (root / "pyproject.toml").write_text(f'[tool.helpers]\ndefault-plan = "{PLAN_NAME}"\n', encoding="utf-8")
    synthetic_targets(hostile).to_csv(raw / "targets.csv", index=False, lineterminator="\n")
    synthetic_statistics(hostile).to_csv(raw / "statistics.csv", index=False, lineterminator="\n")
    (raw / "plan.json").write_text(json.dumps(PLAN, ensure_ascii=False, indent=1), encoding="utf-8")
    return root
