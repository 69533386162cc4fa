"""helpers.report.tables: HTML tables (every cell escaped, missing shown), plain-text tables, sources."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from helpers.report import tables, terms
from nb_synthetic import BAD_URL, IMG, SCRIPT
from report_samples import IMG_ESC, PLAN, SCRIPT_ESC, assert_safe, sample_latest, sample_statistics, table_head, \
    table_rows


def test_text_styler_escapes_cells_and_headers_and_shows_missing():
    df = pd.DataFrame({SCRIPT: [IMG, None], "n": ["0", pd.NA], "title": [SCRIPT, "ok"],
                       "url": [BAD_URL, "http://x.org/?a=<b>"]})
    out = tables.text_styler(df, links={"title": "url"}).to_html()
    assert_safe(out)
    assert SCRIPT_ESC in out and IMG_ESC in out
    assert 'href="http://x.org/?a=&lt;b&gt;"' in out
    assert table_head(out) == [SCRIPT_ESC, "n", "title"]  # the URL column is only an href
    assert table_rows(out) == [[IMG_ESC, "0", SCRIPT_ESC], ["—", "—",
                               '<a href="http://x.org/?a=&lt;b&gt;" target="_blank" rel="noopener noreferrer">ok</a>']]


def test_text_styler_keeps_raw_html_columns_and_aligns_numbers_right():
    df = pd.DataFrame({"Year": ["2020"], "Sources": ['<a href="https://e.org">e</a><br>x'], "Note": ["<br>"]})
    out = tables.text_styler(df, raw={"Sources"}, numeric=["Year"]).to_html()
    assert table_rows(out) == [["2020", '<a href="https://e.org">e</a><br>x', "&lt;br&gt;"]]
    style = out.split("</style>", 1)[0]
    assert re.search(r"td\.col0 \{\s*text-align: right", style) and "td.col1 {" not in style
    assert out == tables.text_styler(df, raw={"Sources"}, numeric=["Year"]).to_html()  # same table, same ids


def test_status_table_escapes_and_keeps_missing_visible():
    latest = sample_latest()
    out = tables.status_table(latest, latest.rename(columns={"indicator_id": "id"}), "en", with_area=True)
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


def test_column_labels_name_the_two_gaps():
    assert tables.COLUMN_LABELS["gap_to_target"] == terms.GAP_TO_TARGET
    assert tables.COLUMN_LABELS["gap_to_path"] == terms.GAP_TO_PATH


def test_related_ids_and_sources_table():
    targets = pd.DataFrame({"id": ["health.beds", "employment.rel"], "reference_id": [pd.NA, "ref.x"]})
    stats = sample_statistics()
    assert tables.related_ids("health.beds", targets, stats) == ["health.beds", "health.beds:proxy"]
    assert tables.related_ids("employment.rel", targets, stats) == ["ref.x"]
    out = tables.sources_table(stats, ["health.beds", "health.beds:proxy"], "en", jurisdiction="fuyang", plan=PLAN)
    assert_safe(out)
    assert f"Bulletin {SCRIPT_ESC}" in out and IMG_ESC in out
    assert "javascript" not in out  # shown title is escaped text, the URL is dropped
    assert '<a href="https://a.org/1" target="_blank" rel="noopener noreferrer">https://a.org/1</a>' in out
    assert [r[1] for r in table_rows(out)] == ["Fuyang", "Fuyang", "China"]
    bare = tables.sources_table(stats, ["health.beds", "health.beds:proxy"], "en", jurisdiction="fuyang")
    assert [r[1] for r in table_rows(bare)] == ["fuyang", "fuyang", "china"]  # keys


def test_plain_table_alignment():
    df = pd.DataFrame({"a": ["x", "yyy"], "v": [1.23456, np.nan]})
    assert tables.plain_table(df) == "a    v\nx    1.235\nyyy  —"


def test_a_report_table_shows_as_text_in_plain_text_not_as_a_memory_address():
    from IPython.core.formatters import PlainTextFormatter
    from pandas.io.formats.style import Styler

    frame = pd.DataFrame({"name": ["Beds per 1,000"], "value": [6.5], "status": ["on_track"]})
    sty = tables.frame_styler(frame, "en")
    assert isinstance(sty, Styler) and sty.to_html() == tables.frame_styler(frame, "en").to_html()
    text = PlainTextFormatter()(sty)  # what a notebook stores beside the table's HTML
    assert "0x" not in text and "Beds per 1,000" in text and "6.5" in text
    assert "0x" not in PlainTextFormatter()(sty.hide(axis="index"))  # Styler methods keep the class


def test_short_column_headers_stay_on_one_line_and_never_break_inside_a_word():
    """Issue 24: a narrow column's header wrapped character by character ("无 / 数据 / no / data")."""
    import re

    from helpers.report.tables import frame_styler, text_styler

    long_head = "一个很长的列标题 / a very long column header that may wrap"
    html = text_styler(pd.DataFrame({"无数据 / no data": ["3"], long_head: ["x"]}), numeric=["无数据 / no data"]).to_html()
    rules = dict(re.findall(r"(#T_\w+ th\.col_heading[^{]*)\{([^}]*)\}", html))
    nowrap = [sel for sel, props in rules.items() if "white-space: nowrap" in props]
    assert len(nowrap) == 1 and nowrap[0].strip().endswith("th.col_heading.col0")  # the short one only
    assert any("word-break: keep-all" in props for props in rules.values())
    assert re.search(r'<th [^>]*class="col_heading level0 col0"[^>]*>无数据 / no data</th>', html)

    frame = pd.DataFrame({"indicator_id": ["x.a"], "status": ["no_data"]})
    html = frame_styler(frame, lang="both").to_html()
    assert re.search(r"th\.col_heading\.col1 \{\s*white-space: nowrap;", html)  # "状态 / Status"
