"""Hostile text in the inputs reaches every HTML report escaped, never as markup.

A synthetic copy of data/raw/targets.csv gets, for the first poverty target, a name and note
carrying ``<script>alert(1)</script>`` and ``"><img src=x onerror=alert(1)>``; one report set
(index, overview, the poverty area, data coverage) is rendered from it.
"""

from __future__ import annotations

import html
import shutil

import pandas as pd
import pytest

from helpers import paths
import fuyang_plan

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'


@pytest.fixture(scope="module")
def hostile_set(tmp_path_factory):
    from helpers.publish.render import render_reports

    tmp = tmp_path_factory.mktemp("hostile")
    raw = tmp / "raw"
    raw.mkdir()
    targets = pd.read_csv(fuyang_plan.TARGETS, dtype=str, keep_default_na=False)
    i = targets.index[targets["area"] == "poverty"][0]
    targets.loc[i, "name_zh"] = f"合成危险名称 {SCRIPT}"
    targets.loc[i, "name_en"] = f"synthetic hostile name {IMG}"
    targets.loc[i, "note"] = f"{SCRIPT} {IMG}"
    targets.to_csv(raw / "targets.csv", index=False, lineterminator="\n")
    shutil.copy(fuyang_plan.STATISTICS, raw / "statistics.csv")
    shutil.copy(fuyang_plan.PLAN_JSON, raw / paths.PLAN_FILENAME)
    return render_reports(date="2024-05-01", areas=["poverty"], targets_path=raw / "targets.csv",
                          statistics_path=raw / "statistics.csv", out=tmp / "reports", progress=False)


@pytest.mark.slow
def test_hostile_text_is_escaped_in_every_report(hostile_set):
    pages = {p.name: p.read_text(encoding="utf-8") for p in hostile_set.glob("*.html")}
    assert set(pages) == {"index.html", "overview.html", "area-poverty.html", "data-coverage.html", "changes.html", "sources.html"}
    for name, text in pages.items():
        assert SCRIPT not in text, name
        assert "<img src=x" not in text and "onerror=alert(1)>" not in text, name
        assert "<script" not in text.lower(), name  # the template itself carries no script at all
    # The names were rendered (escaped), so the check above can fail.
    shown = "".join(pages.values())
    assert html.escape(SCRIPT) in shown or html.escape(SCRIPT, quote=False) in shown
    assert "&lt;img src=x onerror=alert(1)&gt;" in shown
