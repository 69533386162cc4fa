"""helpers.report.htmltext: escaping of data-derived text, safe links, percentages and years, the footer."""

from __future__ import annotations

import numpy as np
import pandas as pd

import helpers
from helpers import formats
from helpers.report import htmltext
from nb_synthetic import BAD_URL, IMG, SCRIPT
from report_samples import IMG_ESC, SCRIPT_ESC, assert_safe, sample_statistics


def test_fmt_pct_and_year():
    assert formats.fmt_pct(np.nan) == "—"
    assert formats.fmt_pct(0.456) == "46%"
    assert formats.fmt_pct(0.0) == "0%"
    assert formats.fmt_year(pd.NA) == "—"
    assert formats.fmt_year(2021) == "2021"


def test_esc_and_safe_link():
    assert htmltext.esc(SCRIPT) == SCRIPT_ESC
    assert htmltext.esc(IMG) == IMG_ESC
    assert htmltext.esc(np.nan) == "—"
    link = htmltext.safe_link('https://example.org/a?b=1&c="x"', SCRIPT)
    assert link.startswith('<a href="https://example.org/a?b=1&amp;c=&quot;x&quot;"')
    assert SCRIPT_ESC in link
    # Only http(s) becomes a link; anything else is escaped text.
    assert htmltext.safe_link(BAD_URL, "t") == "t"
    assert htmltext.safe_link(BAD_URL) == "javascript:alert(1)"
    assert htmltext.safe_link("  HTTPS://x.org ", None).startswith('<a href="HTTPS://x.org"')
    assert htmltext.safe_link(np.nan, "title") == "title"


def test_year_ranges():
    assert htmltext.year_ranges([2020, 2016, 2017, 2018, 2018]) == "2016–2018, 2020"
    assert htmltext.year_ranges([2019]) == "2019"
    assert htmltext.year_ranges([]) == "—"


def test_report_footer_counts_and_versions():
    import matplotlib

    stats = sample_statistics()
    plan = {"title_zh": "规划", "title_en": f"Plan {SCRIPT}", "document_number": "No. 1",
            "source_url": "https://example.org/plan"}
    out = htmltext.report_footer(plan, 2021, "linear", "/somewhere/else/statistics.csv",
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
    zh = htmltext.report_footer(plan, None, "cagr", None, statistics=stats, lang="zh")
    assert "<strong>数据截至</strong>: —" in zh and "复合增速法" in zh
