"""How to cite a set, and every value's source (issue 24, item 1): the anchor of a value's row,
the area pages' links to it, the sources page, CITATION.cff and citation.bib, the citation line
of every page and its date and commit written into the notebook pages.

Fast tests on the shipped 14th-plan data and the synthetic plan (no render); the render's own
checks are in tests/publish/test_reuse.py (a reused set), tests/test_reproducible.py and the
browser test (a value's link lands on its source row)."""

from __future__ import annotations

import re

import pytest

from test_any_plan import write_plan

DATE = "2024-05-01"


@pytest.fixture(scope="module")
def fyp14():
    from helpers.report import params

    return params.prepare(plan="china_fyp14", charts=False)


def test_anchor_is_stable_distinct_and_url_safe():
    from helpers.report.provenance import source_anchor, source_href

    assert source_anchor("I01", "china", 2021) == "v-I01--china--2021"
    assert source_anchor("I01", "china", 2021.0) == source_anchor("I01", "china", "2021")
    keys = [("a--b", "c", 1), ("a", "-b--c", 1), ("a", "b", 1), ("a-", "b", 1), ("a", "-b", 1),
            ("I07:gdp", "china", 2021), ("I07~3agdp", "china", 2021), ("x", "阜阳", 2020), ("x y", "z", 2020)]
    anchors = [source_anchor(*k) for k in keys]
    assert len(set(anchors)) == len(anchors)
    assert all(re.fullmatch(r"[A-Za-z0-9_.~-]+", a) for a in anchors)
    assert source_href("I01", "china", 2021) == "sources.html#v-I01--china--2021"


def test_status_table_links_each_value_to_its_source_row(fyp14):
    from helpers.report import provenance, sections

    table = sections.known(sections.status_frame(fyp14))
    html = sections.status_styler(fyp14, table).to_html()
    links = re.findall(r'<a class="value-source" href="sources\.html#([^"]+)">([^<]+)</a>', html)
    assert len(links) == len(table) == 18  # every target with a value (I19, I20 have none)
    rows = set(provenance.sources_frame(fyp14.plan)["anchor"])
    assert {a for a, _ in links} <= rows
    assert ("v-I08--china--2025", "5.2") in links


def test_value_links_only_where_a_statistics_row_holds_the_value(fyp14):
    import pandas as pd

    from helpers.report.provenance import value_links

    frame = pd.DataFrame({"id": ["I08", "I08", "I19", "I08"], "year": pd.array([2025, 2019, None, 2025], "Int64"),
                          "value": [5.2, 5.0, None, None]})
    assert value_links(fyp14.statistics, frame, "china") == ["sources.html#v-I08--china--2025", None, None, None]


def test_sources_page_has_every_value_once_escaped(fyp14):
    from helpers.publish.sources import sources_html

    page = sources_html(fyp14, DATE, "CITE-LINE")
    ids = re.findall(r'<tr id="([^"]+)">', page)
    assert len(ids) == len(fyp14.statistics) == len(set(ids)) == 117  # the 116 compiled values and CO₂ 2023
    row = re.search(r'<tr id="v-I08--china--2025">(.*?)</tr>', page).group(1)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
    assert cells[2:5] == ["2025", "5.2", "%"]
    assert cells[5].startswith('<a href="http') and 'rel="noopener noreferrer"' in cells[5]
    assert cells[7] and cells[6] in {"发布机构原文 / publisher's page", "官方转载 / official repost",
                                     "媒体报道 / media report", "转载/镜像网页 / copy on another site"}
    assert "CITE-LINE" in page and DATE in page


def test_sources_page_escapes_hostile_text(tmp_path):
    from helpers.publish.sources import sources_html
    from helpers.report import params
    from test_any_plan import STATS

    stats = [r[:5] + ['<script>alert(1)</script> "x"', "https://e.org/?q=\"><script>", "note <b>"] + r[8:]
             if i == 0 else r for i, r in enumerate(STATS)]
    ctx = params.prepare(plan=str(write_plan(tmp_path / "p", stats=stats)), charts=False)
    page = sources_html(ctx, DATE, "<i>cite</i>")
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="https://e.org/?q=&quot;&gt;&lt;script&gt;"' in page and "note &lt;b&gt;" in page and "&lt;i&gt;cite&lt;/i&gt;" in page


def _cff(text: str) -> dict:
    yaml = pytest.importorskip("yaml")
    return yaml.safe_load(text)


def test_citation_cff_and_bib_hold_the_sets_facts(fyp14):
    from helpers.publish.citation import PROJECT_NAME, citation_bib, citation_cff

    commit = "0123456789abcdef0123456789abcdef01234567"
    cff = _cff(citation_cff(fyp14, DATE, commit))
    assert cff["cff-version"] == "1.2.0" and cff["type"] == "dataset"
    assert str(cff["date-released"]) == DATE and cff["version"] == DATE
    assert cff["authors"] == [{"name": PROJECT_NAME}]  # the report's maker, not the plan's issuer
    assert "data as of 2025" in cff["abstract"] and cff["commit"] == commit
    assert {"title", "message"} <= set(cff) and "url" not in cff and "repository-code" not in cff
    bib = citation_bib(fyp14, DATE, commit)
    m = re.fullmatch(r"@misc\{([\w-]+),\n((?:  \w+ = \{.*\},?\n)+)\}\n", bib)
    assert m and m.group(1) == f"china_fyp14-{DATE}"
    fields = dict(re.findall(r"  (\w+) = \{(.*)\},?\n", m.group(2)))
    assert fields["year"] == "2024" and fields["date"] == DATE and "data as of 2025" in fields["note"]
    assert fields["author"] == "{" + PROJECT_NAME + "}"  # an entity, not people
    assert bib.count("{") == bib.count("}")


def test_citation_without_issuer_or_commit_invents_nothing(tmp_path):
    from helpers.publish.citation import PROJECT_NAME, citation_bib, citation_cff
    from helpers.report import params

    import json

    folder = write_plan(tmp_path / "p")
    meta = json.loads((folder / "plan.json").read_text(encoding="utf-8"))
    meta = {k: v for k, v in meta.items() if not k.startswith("issuer")}
    (folder / "plan.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    ctx = params.prepare(plan=str(folder), charts=False)
    cff = _cff(citation_cff(ctx, DATE))
    assert cff["authors"] == [{"name": PROJECT_NAME}] and "commit" not in cff
    assert "commit" not in citation_bib(ctx, DATE)


def test_code_commit_is_the_checkouts_head_or_none(monkeypatch):
    import subprocess

    from helpers.publish import citation

    got = citation.code_commit()
    head = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True)
    if head.returncode == 0:
        assert got is not None and got.split("+")[0] == head.stdout.strip()
    monkeypatch.setenv("PATH", "/nonexistent")  # no git: unknown, never made up
    assert citation.code_commit() is None


def test_citation_line_in_every_footer_and_stamped_with_date_and_commit(fyp14, tmp_path):
    from helpers.publish.citation import stamp_pages
    from helpers.report import sections

    footer = sections.footer_html(fyp14)
    item = re.search(r'<li class="helpers-cite">.*?</li>', footer).group(0)
    assert "数据截至2025年" in item and "data as of 2025" in item and "helpers" in item
    assert "报告日期" not in item and "commit" not in item  # unknown in a notebook: left out
    page = tmp_path / "area-econ.html"
    page.write_text(f"<html>{footer}</html>", encoding="utf-8")
    stamp_pages(tmp_path, ["area-econ", "missing"], fyp14, DATE, "abc123")
    stamped = page.read_text(encoding="utf-8")
    assert f"报告日期{DATE}" in stamped and f"report set of {DATE}" in stamped and "code commit abc123" in stamped
    stamp_pages(tmp_path, ["area-econ"], fyp14, "2024-06-01", None)  # a copied page: restamped
    again = page.read_text(encoding="utf-8")
    assert "2024-06-01" in again and DATE not in again and "abc123" not in again
    assert again.count('class="helpers-cite"') == 1


def test_index_changes_archive_footers_cite(fyp14, tmp_path):
    from types import SimpleNamespace

    from helpers.publish.changes import changes_html
    from helpers.publish.pages import archive_html, index_html

    prep = SimpleNamespace(ctx=fyp14, date=DATE, commit="abc123", pages=None, previous=None)
    index = index_html(prep)
    for page in (index, changes_html(None, fyp14, DATE, None, "abc123", ["CITATION.cff"])):
        cite = re.search(r'<p class="helpers-cite">(.*?)</p>', page, re.S).group(1)
        assert DATE in cite and "2025" in cite and "abc123" in cite
    assert 'href="sources.html"' in index and 'href="CITATION.cff"' in index and 'href="citation.bib"' in index
    (tmp_path / "reports").mkdir()
    assert 'class="helpers-cite"' in archive_html(tmp_path / "reports", "abc123")
