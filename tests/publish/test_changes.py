"""Report sets that publish like a statistics office (SYNTHETIC plan from test_any_plan): a
partial render never unpublishes a page, every set keeps its snapshot, the changes page shows an
imported value and its status change against the previous set, the archive lists every set.

The first tests compare two snapshots directly (no render); the ``slow`` ones render sets."""

from __future__ import annotations

import csv
import json

import pytest

from helpers.cli import main
from test_any_plan import S_HEADER, STATS, write_plan

slow = pytest.mark.slow
ROW = ["synthetic yearbook 2020", "https://example.org/syn2020", "synthetic"]


def _set_from(folder, tmp_path, name, stats):
    """A published set's snapshot (inputs/ and trajectory.csv) built from ``stats`` rows, and the
    context that scored them."""
    from helpers.report import params
    from helpers.publish.changes import keep_snapshot

    plan = write_plan(folder, stats=stats)
    ctx = params.prepare(plan=str(plan), charts=False)
    out = tmp_path / name
    keep_snapshot(out, {"statistics.csv": (plan / "statistics.csv").read_bytes()}, ctx.trajectory)
    return out, ctx


def test_compare_lists_added_changed_removed_values_and_status_changes(tmp_path):
    from helpers.publish.changes import changes_html, compare

    old, _ = _set_from(tmp_path / "p", tmp_path, "old", STATS)
    new_stats = [r for r in STATS if r[:3] != ["P1", "synprov", "2015"]]  # removed
    new_stats = [r[:3] + ["1.55"] + r[4:] if r[:3] == ["G12", "synprov", "2017"] else r for r in new_stats]
    new_stats = [r[:6] + ["https://example.org/syn-v2"] + r[7:] if r[:3] == ["G12", "synnation", "2017"] else r
                 for r in new_stats]  # same value, new source URL
    new_stats += [["G12", "synprov", "2019", "1.85", "m2 per person", *ROW]]
    _, ctx = _set_from(tmp_path / "p", tmp_path, "new", new_stats)
    table = compare(old, ctx.statistics, ctx.trajectory, ctx.as_of, 2017)
    got = [(r.change, r.indicator_id, r.year, r.old, r.new) for r in table.fillna("").itertuples()]
    # ordered: status changes first, then values; P1 keeps only no_data (a baseline alone scores nothing)
    assert got == [("status_changed", "G12", "2017 → 2019", "on_track", "achieved"),
                   ("value_added", "G12", "2019", "", 1.85),
                   ("value_changed", "G12", "2017", 1.5, 1.55),
                   ("source_changed", "G12", "2017", 1.66, 1.66),
                   ("value_removed", "P1", "2015", 5000.0, "")]
    assert table.loc[1, "new_source"] == "synthetic yearbook 2020"
    assert table.loc[3, ["geo", "old_url", "new_url"]].tolist() == [
        "synnation", "https://example.org/syn", "https://example.org/syn-v2"]
    page = changes_html(table, ctx, "2024-02-01", old)
    # a source shown once when unchanged, both (linked) when it changed
    assert page.count('href="https://example.org/syn-v2"') == 1
    assert '<a href="https://example.org/syn2020" target="_blank" rel="noopener noreferrer">synthetic yearbook 2020</a>' in page
    assert "status changed: 1" in page and "No target changed status." not in page

def test_changes_page_names_context_series_counts_every_kind_and_says_no_status_changed(tmp_path):
    from helpers.publish.changes import changes_html, compare

    old, _ = _set_from(tmp_path / "p", tmp_path, "old", STATS)
    header_extra = STATS + [["G12:clubs", "synprov", "2017", "40", "clubs", *ROW]]
    _, ctx = _set_from(tmp_path / "p", tmp_path, "new", header_extra)
    table = compare(old, ctx.statistics, ctx.trajectory, ctx.as_of, ctx.as_of)
    assert table["change"].tolist() == ["value_added"]
    page = changes_html(table, ctx, "2024-02-01", old)
    # the context series is named by its target and its label (the suffix in words), id once
    assert "Sport ground per person (synthetic) · 参考序列 / context: clubs" in page
    assert page.count("G12:clubs") == 1
    for word in ("newly scorable: 0", "status changed: 0", "value added: 1", "value changed: 0",
                 "source changed: 0", "value removed: 0"):
        assert word in page
    assert "No target changed status." in page
    assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in page


def test_pages_share_one_head_with_the_report_language():
    from helpers.publish.pages import html_page

    page = html_page("a <b> & c", "<p>x</p>", "en")
    assert '<html lang="en">' in page and "<title>a &lt;b&gt; &amp; c</title>" in page
    assert "<main>\n<p>x</p>\n</main>" in page and "<style>" in page


def test_unknown_option_abbreviation_is_refused(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["render", "--area", "sport"])
    assert exc.value.code == 2
    assert "unrecognized arguments: --area" in capsys.readouterr().err


@slow
def test_sets_changes_partial_renders_and_archive(tmp_path, capsys):
    from helpers.publish.render import render_reports

    folder = write_plan(tmp_path / "synprov_plan")
    root = tmp_path / "reports"
    first = render_reports(date="2024-01-01", plan=str(folder), out=root, progress=False)
    assert "nothing to compare" in (first / "changes.html").read_text(encoding="utf-8")
    assert not (first / "changes.csv").exists()
    assert {p.name for p in (first / "inputs").iterdir()} == {"plan.json", "targets.csv", "statistics.csv"}
    assert (first / "trajectory.csv").is_file()

    # A researcher imports a value; the next set says what it changed.
    filled = tmp_path / "filled.csv"
    filled.write_text("indicator_id,year,value,source_title,source_url\n"
                      "G12,2019,1.85,synthetic yearbook 2020,https://example.org/syn2020\n", encoding="utf-8")
    assert main(["import", str(filled), "--plan", str(folder)]) == 0
    second = render_reports(date="2024-02-01", plan=str(folder), out=root, progress=False)
    rows = list(csv.DictReader(open(second / "changes.csv", encoding="utf-8")))
    added = [r for r in rows if r["change"] == "value_added"]
    assert [(r["indicator_id"], r["geo"], r["year"], r["new"], r["new_source"]) for r in added] == [
        ("G12", "synprov", "2019", "1.85", "synthetic yearbook 2020")]
    status = [r for r in rows if r["change"] == "status_changed"]
    assert [(r["indicator_id"], r["old"], r["new"], r["year"]) for r in status] == [
        ("G12", "on_track", "achieved", "2017 → 2019")]
    page = (second / "changes.html").read_text(encoding="utf-8")
    assert "synthetic yearbook 2020" in page and "2024-01-01/index.html" in page
    index = (second / "index.html").read_text(encoding="utf-8")
    assert "../2024-01-01/index.html" in index and "changes.html" in index
    assert json.loads((second / "set.json").read_text(encoding="utf-8"))["previous"] == "2024-01-01"

    # A partial render into the same date replaces only its pages; nothing disappears.
    before = {p.name for p in second.glob("*.html")}
    housing = (second / "area-housing.html").read_bytes()
    again = render_reports(date="2024-02-01", plan=str(folder), out=root, areas=["sport"], progress=True)
    err = capsys.readouterr().err
    # population and housing were not asked for: kept (the pages asked for are re-rendered, or
    # copied when unchanged, helpers.publish.reuse)
    assert "kept 2 published page(s)" in err and "area-housing.html" in err and "area-population.html" in err
    assert {p.name for p in again.glob("*.html")} == before
    assert (again / "area-housing.html").read_bytes() == housing
    index = (again / "index.html").read_text(encoding="utf-8")
    for area in ("population", "housing", "sport"):
        assert f'href="area-{area}.html"' in index

    archive = (root / "index.html").read_text(encoding="utf-8")
    assert archive.index("2024-02-01") < archive.index("2024-01-01")  # newest first
    assert "synprov_plan/2024-01-01/index.html" in archive and "synprov_plan/2024-02-01/index.html" in archive


@slow
def test_a_partial_render_of_a_new_date_says_which_pages_it_lacks(tmp_path):
    from helpers.publish.render import render_reports

    folder = write_plan(tmp_path / "synprov_plan")
    out = render_reports(date="2024-03-01", plan=str(folder), out=tmp_path / "reports", areas=["sport"],
                         progress=False)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="area-sport.html"' in index and 'href="area-housing.html"' not in index
    assert "no page in this set" in index


def test_archive_lists_sets_newest_first_with_their_geo_named_from_the_snapshot(tmp_path):
    from helpers.publish.pages import archive_html

    plan = json.loads((write_plan(tmp_path / "p") / "plan.json").read_text(encoding="utf-8"))
    for date, achieved in (("2024-01-01", 1), ("2024-02-01", 2)):
        folder = tmp_path / "reports" / "synprov_plan" / date
        (folder / "inputs").mkdir(parents=True)
        (folder / "index.html").write_text("x", encoding="utf-8")
        (folder / "inputs" / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
        (folder / "set.json").write_text(json.dumps({
            "plan": "synprov_plan", "title_zh": plan["title_zh"], "title_en": plan["title_en"], "as_of": 2019,
            "method": "linear", "geo": "synprov", "targets": 3,
            "status_counts": {"achieved": achieved, "no_data": 3 - achieved}}), encoding="utf-8")
    (tmp_path / "reports" / "synprov_plan" / "2023-12-01").mkdir()  # no index.html: not a published set
    page = archive_html(tmp_path / "reports")
    assert page.index("2024-02-01/index.html") < page.index("2024-01-01/index.html")
    assert "2023-12-01" not in page
    assert page.count("<td>合成省 / Synprovince</td>") == 2 and "<td>synprov</td>" not in page
    assert "2 份报告 / 2 report sets" in page and "synprov_plan/latest/index.html" in page


def test_archive_prefers_the_geo_label_the_set_recorded(tmp_path):
    from helpers.publish.pages import archive_html

    folder = tmp_path / "reports" / "synprov_plan" / "2024-01-01"  # no inputs/ snapshot to read
    folder.mkdir(parents=True)
    (folder / "index.html").write_text("x", encoding="utf-8")
    (folder / "set.json").write_text(json.dumps({
        "plan": "synprov_plan", "title_zh": "规划", "title_en": "Plan", "as_of": 2019, "method": "linear",
        "geo": "synprov", "geo_label": "合成省 / Synprovince", "targets": 1, "status_counts": {"achieved": 1}}),
        encoding="utf-8")
    assert "<td>合成省 / Synprovince</td>" in archive_html(tmp_path / "reports")
