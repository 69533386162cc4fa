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


def table_rows(html: str) -> list[list[str]]:
    """The body rows of an HTML table (html_table or a pandas Styler), as lists of cell texts."""
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


def test_status_table_escapes_and_keeps_missing_visible():
    latest = _latest()
    out = narrate.status_table(latest, latest.rename(columns={"indicator_id": "id"}), "en", with_area=True)
    assert_safe(out)
    assert SCRIPT_ESC in out and "beds " + IMG_ESC in out
    assert table_head(out) == ["Area", "Target", "Target value (2021)", "Year of data", "Value", "Required",
                               "Gap to target", "Gap to path", "Progress", "Status", "Anticipated progress"]
    rows = table_rows(out)
    # Year of data, Value, Required, Gap to target, Gap to path, Progress, Status, Anticipated
    assert rows[0][3:11] == ["—", "—", "—", "—", "—", "—", "no data", "—"]
    assert rows[1][3:11] == ["2020", "2", "2.2", "0.35", "0.2", "50%", "moderate progress", "80%"]
    # a real zero stays 0; an achieved target shows no anticipated progress
    assert rows[2][3:11] == ["2019", "0", "0.5", "0", "-0.5", "100%", "achieved", "—"]
    # a value the engine could not score has its own status, never "no data"; the reason is
    # printed under the table
    assert rows[3][3:11] == ["2018", "3", "2", "3", "1", "—", "value, not scored", "—"]
    caption = out.split("<caption>", 1)[1].split("</caption>", 1)[0]
    assert caption == "<strong>Notes</strong><br>Poor villages: no baseline value: not scored"


def test_status_frame_columns_and_meanings():
    latest = _latest(hostile=False)
    f = narrate.status_frame(latest, latest.rename(columns={"indicator_id": "id"}), "en")
    assert tuple(f.columns) == narrate.STATUS_FRAME_COLUMNS
    assert f["status"].tolist() == ["no_data", "moderate", "achieved", "not_scored"]
    assert f["gap_to_target"].tolist()[1:] == [0.35, 0.0, 3.0]
    assert f["gap_to_path"].tolist()[1:] == pytest.approx([0.2, -0.5, 1.0])
    # anticipated progress only for a scored target not yet achieved
    assert f["anticipated_progress"].isna().tolist() == [True, False, True, True]
    assert f["target"].tolist() == ["≥ 6 beds", "≥ 2.35 persons", "≤ 0 10k persons", "≤ 0 villages"]
    assert f["note"].tolist()[3] == "no baseline value: not scored"


def test_gap_names_differ_in_both_languages():
    assert narrate.GAP_TO_TARGET != narrate.GAP_TO_PATH
    assert narrate.GAP_TO_TARGET[0] != narrate.GAP_TO_PATH[0] and narrate.GAP_TO_TARGET[1] != narrate.GAP_TO_PATH[1]
    assert narrate.GAP_TO_TARGET == ("距目标", "gap to target") and narrate.GAP_TO_PATH == ("距应达路径", "gap to path")
    assert narrate.COLUMN_LABELS["gap_to_target"] == narrate.GAP_TO_TARGET
    assert narrate.COLUMN_LABELS["gap_to_path"] == narrate.GAP_TO_PATH
    # "no data" and "value, not scored" are two statuses with two labels
    assert narrate.report_status_label("not_scored", "both") == "有数值，未评分 / value, not scored"
    assert narrate.report_status_label("no_data", "both") == "无数据 / no data"
    assert narrate.REPORT_STATUS_COLOURS["not_scored"] not in {
        v for k, v in narrate.REPORT_STATUS_COLOURS.items() if k != "not_scored"}


def test_every_engine_note_has_a_label():
    from helpers import gaps, kinds

    texts = [getattr(m, k) for m in (gaps, kinds) for k in dir(m)
             if "NOTE" in k and isinstance(getattr(m, k), str)]
    assert len(texts) >= 16
    for text in texts:
        note = text.format(year=2022)
        for lang in ("zh", "en"):
            got = narrate.note_label(note, lang)
            assert got and got != note, (note, lang)
            assert "{" not in got
        if "{year}" in text:
            assert "2022" in narrate.note_label(note, "en") and "2022" in narrate.note_label(note, "zh")
    # Notes joined by the engine ("; ", and a note may contain "; ") are labelled one by one.
    # ("no projection for this kind ..." is a note of earlier engine versions, still labelled and quiet)
    joined = f"{gaps.NOTE_NO_BASELINE}; {kinds.NOTE_DEFINITION}; no projection for this kind (a running figure)"
    assert narrate.note_label(joined, "en") == ("no baseline value: not scored; definition differs from the "
                                                "baseline year: not comparable; no projection for this kind")
    assert narrate.note_label(joined, "en", quiet=narrate.QUIET_NOTES).endswith("not comparable")
    assert narrate.note_label("something else entirely", "en") == "something else entirely"
    assert narrate.note_label(pd.NA) is None


def test_no_data_frame_lists_each_target_without_a_value_once_with_what_would_score_it():
    latest = _latest(hostile=False)
    targets = latest.rename(columns={"indicator_id": "id"}).assign(reference_id=pd.NA)
    stats = _stats()
    f = narrate.no_data_frame(latest, targets, stats, "fuyang", "en", plan=PLAN)
    assert tuple(f.columns) == narrate.NO_DATA_FRAME_COLUMNS
    assert f["id"].tolist() == ["health.beds"]  # not the unscored value, not the scored ones
    assert f["needed"].iloc[0] == "2016 (baseline) and any year 2017–2021 (beds)"
    # other places' values and context series (never by their internal key)
    assert f["other_values"].iloc[0] == "China 2018; context 2019"
    zh = narrate.no_data_frame(latest, targets, stats, "fuyang", "zh", plan=PLAN)
    assert zh["needed"].iloc[0] == "2016年基期值及2017–2021年任一年（beds）"


@pytest.mark.parametrize("kind, baseline, ref, expected", [
    ("annual", np.nan, None, "any year 2017–2021 (%)"),
    ("cumulative", 0.0, None, "any year 2017–2021 (%)"),
    ("level", 3.0, None, "any year 2017–2021 (%)"),
    ("level", np.nan, None, "2016 (baseline) and any year 2017–2021 (%)"),
    ("rate_avg", np.nan, None, "every year 2017–2021 (%)"),
    ("period_total", 0.0, None, "every year 2017–2021 (%)"),
    ("relative", np.nan, "ref.x", "2016 (baseline) and any year 2017–2021 (%), with the reference series ref.x"),
    ("unquantified", np.nan, None, "never scored (no quantified target)"),
])
def test_needed_text(kind, baseline, ref, expected):
    row = pd.Series({"kind": kind, "baseline_year": 2016, "target_year": 2021, "baseline": baseline,
                     "unit": "%", "reference_id": ref})
    assert narrate.needed_text(row, "en") == expected


def test_target_cell_says_how_the_number_is_read():
    row = dict(comparator=">=", target=7.0, target_hi=np.nan, tolerance=np.nan, unit="%", target_year=2025)
    assert narrate.target_cell({**row, "kind": "rate_avg"}, "en") == "≥ 7 % on average (2025)"
    assert narrate.target_cell({**row, "kind": "level"}, "en", with_year=False) == "≥ 7 %"
    assert narrate.target_cell({**row, "kind": "direction", "target": np.nan}, "en") == "increase (2025)"
    assert narrate.target_cell({**row, "kind": "unquantified"}, "zh") == "未设量化目标 (2025)"


def test_projection_sentence_no_anticipated_progress_for_an_achieved_target():
    row = pd.Series({"projected_value_at_target": 5.0, "anticipated_progress": 0.76, "target_year": 2021,
                     "unit": "x"})
    achieved = pd.Series({"status": "achieved", "value": 4.0, "year": 2019})
    out = narrate.projection_sentence(row, "en", achieved)
    assert "Achieved as of 2019: no anticipated progress is given." in out and "76%" not in out
    behind = pd.Series({"status": "moderate", "value": 3.0, "year": 2019})
    out = narrate.projection_sentence(row, "en", behind)
    assert "anticipated progress of 76%" in out and "Anticipated progress: the progress the linear trend" in out
    unscored = pd.Series({"status": "no_data", "value": 3.0, "year": 2019})
    assert "not scored" in narrate.projection_sentence(row, "en", unscored)


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


def test_area_narrative_counts_years_and_points_to_the_list_of_missing():
    latest = _latest()
    out = narrate.area_narrative(latest, "health", 2021, ("阜阳市", "Fuyang"), "en",
                                 benchmark_only=["health.beds"], plan=PLAN)
    assert_safe(out)
    assert "Health: 0 of 2 targets achieved by 2021 (1 moderate progress); 1 with no data." in out
    assert "latest year with data up to 2021: 2020 for 1 target." in out
    # No list of names: the compact table lists them, once.
    assert ("No data for 1 (no value for Fuyang up to 2021): each is listed under 'Targets without data' "
            "with the data that would score it.") in out
    assert "Beds" not in out
    assert "Of these, 1 has only benchmark values of other places" in out
    zh = narrate.area_narrative(latest, "health", 2021, ("阜阳市", "Fuyang"), "zh", plan=PLAN)
    assert "医疗卫生共2项目标，截至2021年：进展一般1项；1项无数据。" in zh
    assert "2020年1项" in zh
    pov = narrate.area_narrative(latest, "poverty", 2021, ("阜阳市", "Fuyang"), "en", plan=PLAN)
    assert ("Poverty alleviation: 1 of 2 targets achieved by 2021 (1 achieved); "
            "1 with a value that is not scored.") in pov
    assert "Value, not scored (1): Poor villages (2018: no baseline value: not scored)." in pov
    assert "no data" not in pov.lower()  # a value is never called "no data"
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
    assert "No data for 1 (no value for Fuyang up to 2021)" in out


def test_overview_findings():
    out = narrate.overview_findings(_latest(), 2021, ("阜阳市", "Fuyang"), "en")
    assert_safe(out)
    assert ("The plan has 4 targets; up to 2021, 2 can be scored for Fuyang, 1 has "
            "no data and 1 has a value that is not scored.") in out
    assert "Statuses: 1 achieved, 1 moderate progress (each as of its latest year with data: 2020 for 1, 2019 for 1)." in out
    assert "Achieved: Poor population." in out
    assert "Value, not scored: Poor villages (2018: no baseline value: not scored)." in out
    assert "The 1 target with no data is listed under 'Targets without data'" in out


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
    assert "As of 2021 (latest year with data: 2020): moderate progress; value 2 persons, gap to target 0.35, progress 50%." in out
    out = narrate.indicator_summary(latest, stats, "poverty.villages", 2021, "fuyang", ("阜阳市", "Fuyang"), "zh")
    assert "2018年阜阳市数值为3 villages，但无法评分：无基期值，未评分。" in out
