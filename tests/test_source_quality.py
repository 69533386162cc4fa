"""Source quality (docs/data_contract.md, "Source quality"): the host rule that grades the shipped
plans' sources (``data/source_quality.csv`` read by ``scripts/_import_common.py``), every shipped
row graded by it, the optional ``source_quality`` column validated (an unknown word names file, line
and column), and the count the coverage page shows. The tables checked for errors are SYNTHETIC
(``synthetic_inputs``); the shipped files are checked as they are."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

import synthetic_inputs as syn
from helpers.cli import main
from helpers.data.validate import validate_files
from helpers.exceptions import ValidationError
from helpers.report import frames, provenance
from helpers.vocab import SOURCE_QUALITY
from import_scripts import load_script

ROOT = Path(__file__).resolve().parents[1]
common = load_script("_import_common")
RULES = common.read_quality_rules()


@pytest.mark.parametrize("url, quality", [
    ("https://www.stats.gov.cn/sj/zxfb/202302/t20230228_1919011.html", "publisher"),   # a ministry's site
    ("http://big5.www.gov.cn/gate/big5/www.gov.cn/xinwen/x.htm", "official_repost"),  # www.gov.cn beats gov.cn
    ("https://english.www.gov.cn/statecouncil/x.html", "official_repost"),
    ("https://en.people.cn/n3/2025/0310/c90000-1.html", "official_repost"),        # a parent domain listed
    ("https://www.fynews.net/article-200820-1.html", "media"),
    ("https://www-fynews-net.hcv9jop5ns7r.cn/x", "mirror"),                        # not fynews.net: a copy
    ("http://103.52.134.50/x", "mirror"),                                          # a bare IP address
    ("https://notgov.cn/x", "mirror"),                                             # a suffix, not a parent domain
    ("", ""),                                                                      # no URL: nothing to grade
])
def test_the_host_rule(url, quality):
    assert common.source_quality(url, RULES) == quality


def test_the_rule_file_is_checked(tmp_path):
    bad = tmp_path / "rules.csv"
    bad.write_text("domain,quality,outlet\ngov.cn,publisher,x\ngov.cn,media,y\nexample.org,blog,\n", encoding="utf-8")
    with pytest.raises(ValidationError) as exc:
        common.read_quality_rules(bad)
    shown = [str(p) for p in exc.value.problems]
    assert f"{bad}:3: column 'domain': 'gov.cn' is empty or listed twice" in shown
    assert any(s.startswith(f"{bad}:4: column 'quality': 'blog' is not one of publisher") for s in shown)
    assert f"{bad}:4: column 'outlet': say whose site the domain is" in shown


@pytest.mark.parametrize("plan", ["china_fyp14", "fuyang"])
def test_every_shipped_row_is_graded_by_the_rule(plan):
    stats = pd.read_csv(ROOT / "data" / "raw" / plan / "statistics.csv", dtype=str, keep_default_na=False)
    assert list(stats.columns[stats.columns.get_loc("source_url"):][:2]) == ["source_url", "source_quality"]
    assert stats["source_quality"].isin(list(SOURCE_QUALITY)).all()
    assert stats["source_quality"].tolist() == [common.source_quality(u, RULES) for u in stats["source_url"]]


def _with_quality(tmp_path, cells: list[str]):
    rows = syn.statistics()
    for r, q in zip(rows, cells + [""] * len(rows)):
        r["source_quality"] = q
    t, s = syn.write_inputs(tmp_path)
    s.write_text(syn.csv_text(rows, [*syn.STAT_HEADER, "source_quality"]), encoding="utf-8")
    return t, s


def test_an_unknown_quality_names_file_line_and_column(tmp_path, capsys):
    t, s = _with_quality(tmp_path, ["publisher", "media", "blog"])
    problems = [p for p in validate_files(t, s) if p.column == "source_quality"]
    assert [(p.file, p.line) for p in problems] == [(str(s), 4)]
    assert "'blog' is not a known source quality" in problems[0].message
    assert "publisher, official_repost, media, mirror" in problems[0].message
    assert main(["validate", "--targets", str(t), "--statistics", str(s)]) == 2
    assert f"{s}:4: column 'source_quality': 'blog'" in capsys.readouterr().err


def test_the_column_is_optional(tmp_path):
    t, s = syn.write_inputs(tmp_path)
    assert validate_files(t, s) == []


def test_the_coverage_count(tmp_path):
    stats = pd.DataFrame({"source_quality": ["media", "mirror", "mirror", "", pd.NA]})
    f = frames.source_quality_frame(stats, "en")
    assert f["quality"].tolist() == ["publisher", "official_repost", "media", "mirror", "not_graded"]
    assert f["rows"].tolist() == [0, 0, 1, 2, 2] and f["share"].tolist() == [0, 0, 0.2, 0.4, 0.4]
    assert f["label"].tolist()[-1] == "not graded"
    # a plan without the column: every row not graded
    assert frames.source_quality_frame(pd.DataFrame({"value": [1.0]}))["quality"].tolist()[-1] == "not_graded"
    html = provenance.source_quality_table(f, "en")
    from report_samples import table_rows

    assert ["copy on another site", "2", "40%"] in table_rows(html)
