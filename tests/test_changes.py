"""Report sets that publish like a statistics office (SYNTHETIC plan from test_any_plan): a
partial render never unpublishes a page, every set keeps its snapshot, the changes page shows an
imported value and its status change against the previous set, the archive lists every set."""

from __future__ import annotations

import csv
import json

import pytest

from helpers.cli import main
from test_any_plan import write_plan

pytestmark = pytest.mark.slow


def test_unknown_option_abbreviation_is_refused(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["render", "--area", "sport"])
    assert exc.value.code == 2
    assert "unrecognized arguments: --area" in capsys.readouterr().err


def test_sets_changes_partial_renders_and_archive(tmp_path, capsys):
    from helpers.render import render_reports

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
    # copied when unchanged, helpers.reuse)
    assert "kept 2 published page(s)" in err and "area-housing.html" in err and "area-population.html" in err
    assert {p.name for p in again.glob("*.html")} == before
    assert (again / "area-housing.html").read_bytes() == housing
    index = (again / "index.html").read_text(encoding="utf-8")
    for area in ("population", "housing", "sport"):
        assert f'href="area-{area}.html"' in index

    archive = (root / "index.html").read_text(encoding="utf-8")
    assert archive.index("2024-02-01") < archive.index("2024-01-01")  # newest first
    assert "synprov_plan/2024-01-01/index.html" in archive and "synprov_plan/2024-02-01/index.html" in archive


def test_a_partial_render_of_a_new_date_says_which_pages_it_lacks(tmp_path):
    from helpers.render import render_reports

    folder = write_plan(tmp_path / "synprov_plan")
    out = render_reports(date="2024-03-01", plan=str(folder), out=tmp_path / "reports", areas=["sport"],
                         progress=False)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="area-sport.html"' in index and 'href="area-housing.html"' not in index
    assert "no page in this set" in index
