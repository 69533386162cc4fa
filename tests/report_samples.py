"""Shared samples and HTML helpers of the report-layer tests (test_htmltext, test_terms,
test_frames, test_tables, test_narrate, test_sections): a plan's labels, hostile text and its
escaped form, a small ``latest`` table and statistics rows."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

import fuyang_plan
from helpers.data.plan import Plan
from nb_synthetic import BAD_URL, IMG, SCRIPT

#: Area and place labels as a plan gives them (the shipped plan.json: health is 医疗卫生 / Health).
PLAN = Plan(fuyang_plan.META, pd.DataFrame(), pd.DataFrame())

SCRIPT_ESC = "&lt;script&gt;alert(1)&lt;/script&gt;"
IMG_ESC = "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"


def table_rows(html: str) -> list[list[str]]:
    """The body rows of an HTML table (a pandas Styler or a page's own table), as lists of cell texts."""
    body = html.split("<tbody>", 1)[1] if "<tbody>" in html else html
    return [[c.strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, re.S)]
            for r in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def table_head(html: str) -> list[str]:
    head = html.split("<thead>", 1)[1].split("</thead>", 1)[0]
    return [c.strip() for c in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)]


def assert_safe(html: str) -> None:
    """No live payload: no <script>, no <img>, no javascript: href; the escaped forms are there."""
    low = html.lower()
    assert "<script" not in low
    assert "<img" not in low
    assert 'href="javascript' not in low
    assert "onerror=alert(1)>" not in low


def sample_latest(hostile: bool = True) -> pd.DataFrame:
    name = f"Beds {SCRIPT}" if hostile else "Beds"
    return pd.DataFrame({
        "indicator_id": ["health.beds", "health.docs", "poverty.poor", "poverty.villages"],
        "area": ["health", "health", "poverty", "poverty"],
        "name_zh": [f"床位 {SCRIPT}" if hostile else "床位", "医生", "贫困人口", "贫困村"],
        "name_en": [name, "Doctors", "Poor population", "Poor villages"],
        "unit": [f"beds {IMG}" if hostile else "beds", "persons", "10k persons", "villages"],
        "kind": ["level", "level", "level", "level"], "comparator": [">=", ">=", "<=", "<="],
        "target": [6.0, 2.35, 0.0, 0.0], "target_hi": [np.nan] * 4, "tolerance": [np.nan] * 4,
        "baseline_year": pd.array([2016] * 4, dtype="Int64"), "target_year": pd.array([2021] * 4, dtype="Int64"),
        "year": pd.array([pd.NA, 2020, 2019, 2018], dtype="Int64"),
        "value": [np.nan, 2.0, 0.0, 3.0], "required": [np.nan, 2.2, 0.5, 2.0],
        "direction": pd.array([1, 1, -1, -1], dtype="Int64"),
        "gap": [np.nan, 0.35, 0.0, 3.0],
        "progress": [np.nan, 0.5, 1.0, np.nan],
        "status": ["no_data", "moderate", "achieved", "no_data"],
        "anticipated_progress": [np.nan, 0.8, 1.2, np.nan],
        "status_note": pd.array([pd.NA, pd.NA, pd.NA, "no baseline value: progress cannot be "
                                 "measured; value shown, not scored"], dtype="string"),
    })


def sample_statistics() -> pd.DataFrame:
    return pd.DataFrame({
        "indicator_id": ["health.beds", "health.beds", "health.beds:proxy", "ref.x", "other"],
        "geo": ["china", "fuyang", "fuyang", "china", "fuyang"],
        "year": pd.array([2018, 2019, 2019, 2019, 2019], dtype="Int64"),
        "value": [6.03, 5.0, 12.0, 1.0, np.nan],
        "unit": ["beds", "beds", "count", "yuan", "x"],
        "source_title": [f"Bulletin {SCRIPT}", pd.NA, "t", "t", "t"],
        "source_url": [BAD_URL, "https://a.org/1", "https://a.org/2", pd.NA, "https://a.org/3"],
        "note": [IMG, pd.NA, "proxy", pd.NA, pd.NA],
    })
