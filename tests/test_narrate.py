"""helpers.narrate: number formatting, escaping of data-derived text, tables, sentences, footer."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import fuyang_plan
import helpers
from helpers import narrate
from helpers.plan import Plan
from nb_synthetic import BAD_URL, IMG, SCRIPT

#: Area and place labels as a plan gives them (the shipped plan.json: health is 医疗卫生 / Health).
PLAN = Plan(fuyang_plan.META, pd.DataFrame(), pd.DataFrame())

SCRIPT_ESC = "&lt;script&gt;alert(1)&lt;/script&gt;"
IMG_ESC = "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"


def assert_safe(html: str) -> None:
    """No live payload: no <script>, no <img>, no javascript: href; the escaped forms are there."""
    low = html.lower()
    assert "<script" not in low
    assert "<img" not in low
    assert 'href="javascript' not in low
    assert "onerror=alert(1)>" not in low


@pytest.mark.parametrize("x, expected", [
    (np.nan, "—"), (None, "—"), (pd.NA, "—"), (0.0, "0"), (-0.0, "0"), (4.5, "4.5"), (6.0, "6"),
    (35128.0, "35,128"), (1234.56, "1,235"), (2.345, "2.35"), (0.12345, "0.123"), (-1.5, "-1.5"),
    (0.0001234, "0.000123"),
])
def test_fmt_num(x, expected):
    assert narrate.fmt_num(x) == expected


def test_fmt_pct_and_year():
    assert narrate.fmt_pct(np.nan) == "—"
    assert narrate.fmt_pct(0.456) == "46%"
    assert narrate.fmt_pct(0.0) == "0%"
    assert narrate.fmt_year(pd.NA) == "—"
    assert narrate.fmt_year(2021) == "2021"


def test_target_text():
    assert narrate.target_text(">=", 6.0, np.nan, np.nan, "beds") == "≥ 6 beds"
    assert narrate.target_text("<=", 0.0, None, None, "%") == "≤ 0 %"
    assert narrate.target_text("between", 10.0, 20.0, None, "years") == "10–20 years"
    assert narrate.target_text("~", 75.0, np.nan, 5.0, "%") == "≈ 75 ± 5 %"


def test_esc_and_safe_link():
    assert narrate.esc(SCRIPT) == SCRIPT_ESC
    assert narrate.esc(IMG) == IMG_ESC
    assert narrate.esc(np.nan) == "—"
    link = narrate.safe_link('https://example.org/a?b=1&c="x"', SCRIPT)
    assert link.startswith('<a href="https://example.org/a?b=1&amp;c=&quot;x&quot;"')
    assert SCRIPT_ESC in link
    # Only http(s) becomes a link; anything else is escaped text.
    assert narrate.safe_link(BAD_URL, "t") == "t"
    assert narrate.safe_link(BAD_URL) == "javascript:alert(1)"
    assert narrate.safe_link("  HTTPS://x.org ", None).startswith('<a href="HTTPS://x.org"')
    assert narrate.safe_link(np.nan, "title") == "title"


def test_html_table_escapes_cells_and_headers_and_shows_missing():
    df = pd.DataFrame({SCRIPT: [IMG, None], "n": ["0", pd.NA], "title": [SCRIPT, "ok"],
                       "url": [BAD_URL, "http://x.org/?a=<b>"]})
    out = narrate.html_table(df, links={"title": "url"})
    assert_safe(out)
    assert SCRIPT_ESC in out and IMG_ESC in out
    assert 'href="http://x.org/?a=&lt;b&gt;"' in out
    assert "<th>url</th>" not in out  # the URL column is only an href
    cells = re.findall(r"<td>(.*?)</td>", out)
    assert cells == [IMG_ESC, "0", SCRIPT_ESC, "—", "—",
                     '<a href="http://x.org/?a=&lt;b&gt;" target="_blank" rel="noopener noreferrer">ok</a>']


def test_html_table_status_colour():
    df = pd.DataFrame({"Status": ["achieved", "no data"]})
    out = narrate.html_table(df, status_keys=pd.Series(["achieved", "no_data"]), status_col="Status")
    assert '<td style="background-color:#009E73">achieved</td>' in out
    assert '<td style="background-color:#E6E6E6">no data</td>' in out


def _latest(hostile: bool = True) -> pd.DataFrame:
    name = f"Beds {SCRIPT}" if hostile else "Beds"
    return pd.DataFrame({
        "indicator_id": ["health.beds", "health.docs", "poverty.poor", "poverty.villages"],
        "area": ["health", "health", "poverty", "poverty"],
        "name_zh": [f"床位 {SCRIPT}" if hostile else "床位", "医生", "贫困人口", "贫困村"],
        "name_en": [name, "Doctors", "Poor population", "Poor villages"],
        "unit": [f"beds {IMG}" if hostile else "beds", "persons", "10k persons", "villages"],
        "kind": ["level", "level", "level", "level"], "comparator": [">=", ">=", "<=", "<="],
        "target": [6.0, 2.35, 0.0, 0.0], "target_hi": [np.nan] * 4, "tolerance": [np.nan] * 4,
        "year": pd.array([pd.NA, 2020, 2019, 2018], dtype="Int64"),
        "value": [np.nan, 2.0, 0.0, 3.0], "gap": [np.nan, 0.35, 0.0, 3.0],
        "progress": [np.nan, 0.5, 1.0, np.nan],
        "status": ["no_data", "moderate", "achieved", "no_data"],
        "status_note": pd.array([pd.NA, pd.NA, pd.NA, "no baseline value: progress cannot be "
                                 "measured; value shown, not scored"], dtype="string"),
    })


def test_status_table_escapes_and_keeps_missing_visible():
    latest = _latest()
    out = narrate.status_table(latest, latest.rename(columns={"indicator_id": "id"}), "en", with_area=True)
    assert_safe(out)
    assert SCRIPT_ESC in out and "beds " + IMG_ESC in out
    rows = re.findall(r"<tr>(.*?)</tr>", out)[1:]
    first = re.findall(r"<td[^>]*>(.*?)</td>", rows[0])
    # Area, Target, Target value, Kind, Year of data, Value, Gap, Progress, Status, Note
    assert first[4:10] == ["—", "—", "—", "—", "no data", "—"]
    third = re.findall(r"<td[^>]*>(.*?)</td>", rows[2])
    assert third[4:10] == ["2019", "0", "0", "100%", "achieved", "—"]  # a real zero stays 0
    fourth = re.findall(r"<td[^>]*>(.*?)</td>", rows[3])
    assert fourth[4:10] == ["2018", "3", "3", "—", "no data", "no baseline value: not scored"]


def test_key_figures_text_exact():
    latest = pd.DataFrame({
        "area": ["health", "poverty"], "indicator_id": ["health.beds", "poverty.x"],
        "year": pd.array([2020, pd.NA], dtype="Int64"), "value": [5.4, np.nan],
        "status": ["on_track", "no_data"], "gap": [0.6, np.nan], "progress": [0.7, np.nan],
    })
    assert narrate.key_figures_text(latest) == (
        "area     indicator_id  year  value  status    gap  progress\n"
        "health   health.beds   2020  5.4    on_track  0.6  0.7\n"
        "poverty  poverty.x     —     —      no_data   —    —\n"
        "\n"
        "targets=2: achieved=0, on_track=1, moderate=0, insufficient=0, regressing=0, no_data=1"
    )


def test_area_narrative_counts_years_and_names_missing():
    latest = _latest()
    out = narrate.area_narrative(latest, "health", 2021, ("阜阳市", "Fuyang"), "en",
                                 benchmark_only=["health.beds"], plan=PLAN)
    assert_safe(out)
    assert "Health: 0 of 2 targets achieved by 2021 (1 moderate progress); 1 with no data." in out
    assert "latest year with data up to 2021: 2020 for 1 target." in out
    assert f"No data (1; no value for Fuyang up to 2021): Beds {SCRIPT_ESC}." in out
    assert "Of these, 1 has only provincial or national benchmark values" in out
    zh = narrate.area_narrative(latest, "health", 2021, ("阜阳市", "Fuyang"), "zh", plan=PLAN)
    assert "医疗卫生共2项目标，截至2021年：进展一般1项；1项无数据。" in zh
    assert "2020年1项" in zh
    pov = narrate.area_narrative(latest, "poverty", 2021, ("阜阳市", "Fuyang"), "en", plan=PLAN)
    assert ("Poverty alleviation: 1 of 2 targets achieved by 2021 (1 achieved); "
            "1 with a value that cannot be scored.") in pov
    assert "A value but not scored (1): Poor villages (2018: no baseline value: not scored)." in pov
    both = narrate.area_narrative(latest, "health", 2021, ("阜阳市", "Fuyang"), "both", plan=PLAN)
    assert both.index("医疗卫生共2项") < both.index("Health: 0 of 2")
    # without a plan there are no labels: the area is named by its key
    bare = narrate.area_narrative(latest, "health", 2021, ("阜阳市", "Fuyang"), "en")
    assert bare.startswith("<p>health: 0 of 2 targets achieved by 2021 (1 moderate progress); 1 with no data.")
    assert "Health" not in bare


def test_area_narrative_all_missing():
    latest = _latest().iloc[[0]]
    out = narrate.area_narrative(latest, "health", 2021, ("阜阳市", "Fuyang"), "en", plan=PLAN)
    assert "Health: none of the 1 targets can be scored for Fuyang up to 2021: 1 with no data." in out
    assert f"No data (1; no value for Fuyang up to 2021): Beds {SCRIPT_ESC}." in out


def test_overview_findings():
    out = narrate.overview_findings(_latest(), 2021, ("阜阳市", "Fuyang"), "en")
    assert_safe(out)
    assert ("The plan has 4 quantitative targets; up to 2021, 2 can be scored for Fuyang, 1 has "
            "no data and 1 has a value that cannot be scored.") in out
    assert "Statuses: 1 achieved, 1 moderate progress (each as of its latest year with data: 2020 for 1, 2019 for 1)." in out
    assert "Achieved: Poor population." in out
    assert "A value but not scored: Poor villages (2018: no baseline value: not scored)." in out


def _stats() -> pd.DataFrame:
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


def test_related_ids_and_sources_table():
    targets = pd.DataFrame({"id": ["health.beds", "employment.rel"], "reference_id": [pd.NA, "ref.x"]})
    stats = _stats()
    assert narrate.related_ids("health.beds", targets, stats) == ["health.beds", "health.beds:proxy"]
    assert narrate.related_ids("employment.rel", targets, stats) == ["ref.x"]
    out = narrate.sources_table(stats, ["health.beds", "health.beds:proxy"], "en", jurisdiction="fuyang", plan=PLAN)
    assert_safe(out)
    assert f"Bulletin {SCRIPT_ESC}" in out and IMG_ESC in out
    assert "javascript" not in out  # shown title is escaped text, the URL is dropped
    assert '<a href="https://a.org/1" target="_blank" rel="noopener noreferrer">https://a.org/1</a>' in out
    rows = re.findall(r"<tr>(.*?)</tr>", out)[1:]
    assert [re.findall(r"<td>(.*?)</td>", r)[1] for r in rows] == ["Fuyang", "Fuyang", "China"]
    bare = narrate.sources_table(stats, ["health.beds", "health.beds:proxy"], "en", jurisdiction="fuyang")
    rows = re.findall(r"<tr>(.*?)</tr>", bare)[1:]
    assert [re.findall(r"<td>(.*?)</td>", r)[1] for r in rows] == ["fuyang", "fuyang", "china"]  # keys


def test_benchmark_only_ids():
    targets = pd.DataFrame({"id": ["health.beds", "a.b", "c.d"]})
    stats = pd.DataFrame({"indicator_id": ["health.beds", "a.b", "a.b", "c.d:x"],
                          "geo": ["china", "china", "fuyang", "china"]})
    assert narrate.benchmark_only_ids(targets, stats, "fuyang") == ["health.beds"]


def test_report_footer_counts_and_versions():
    import matplotlib

    stats = _stats()
    plan = {"title_zh": "规划", "title_en": f"Plan {SCRIPT}", "document_number": "No. 1",
            "source_url": "https://example.org/plan"}
    out = narrate.report_footer(plan, 2021, "linear", "/somewhere/else/statistics.csv",
                                statistics=stats, lang="en")
    assert_safe(out)
    assert out.startswith('<footer class="helpers-footer">')
    # 5 rows; 4 have a value; each of those has a title or a URL.
    assert "4 values with a source (of 5 rows)" in out
    assert "<code>statistics.csv</code>" in out and "/somewhere" not in out
    assert f"helpers {helpers.__version__}, pandas {pd.__version__}, matplotlib {matplotlib.__version__}" in out
    assert "<strong>Data as of</strong>: 2021" in out
    assert "docs/method.md" in out and "linear" in out
    assert f'<a href="https://example.org/plan" target="_blank" rel="noopener noreferrer">Plan {SCRIPT_ESC} No. 1</a>' in out
    zh = narrate.report_footer(plan, None, "cagr", None, statistics=stats, lang="zh")
    assert "<strong>数据截至</strong>: —" in zh and "复合增速法" in zh


def test_plain_table_alignment():
    df = pd.DataFrame({"a": ["x", "yyy"], "v": [1.23456, np.nan]})
    assert narrate.plain_table(df) == "a    v\nx    1.235\nyyy  —"


def test_year_ranges():
    assert narrate.year_ranges([2020, 2016, 2017, 2018, 2018]) == "2016–2018, 2020"
    assert narrate.year_ranges([2019]) == "2019"
    assert narrate.year_ranges([]) == "—"


def test_indicator_summary_says_plainly_what_is_missing():
    latest = _latest()
    stats = _stats()
    out = narrate.indicator_summary(latest, stats, "health.beds", 2021, "fuyang", ("阜阳市", "Fuyang"), "en",
                                    plan=PLAN)
    assert "Up to 2021, Fuyang has no value for this target (no data)" in out
    assert "Benchmark values (context, not scored): China 2018." in out
    bare = narrate.indicator_summary(latest, stats, "health.beds", 2021, "fuyang", ("阜阳市", "Fuyang"), "en")
    assert "Benchmark values (context, not scored): china 2018." in bare  # no plan: the geo key
    out = narrate.indicator_summary(latest, stats, "health.docs", 2021, "fuyang", ("阜阳市", "Fuyang"), "en")
    assert "As of 2021 (latest year with data: 2020): moderate progress; value 2 persons, gap 0.35, progress 50%." in out
    out = narrate.indicator_summary(latest, stats, "poverty.villages", 2021, "fuyang", ("阜阳市", "Fuyang"), "zh")
    assert "2018年阜阳市数值为3 villages，但无法评分：无基期值，未评分。" in out
