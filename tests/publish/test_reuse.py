"""Unchanged pages are copied, not executed (helpers.publish.reuse).

Most tests replace the notebook execution (``render._run_jobs``) by a stand-in that writes a page
per job and records which jobs it was asked to run: what is tested is which pages a render
executes and which it copies. One slow test does it with real kernels.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from helpers import paths

from helpers.publish import jobs, render, reuse, workers
import fuyang_plan

D1, D2, D3 = "2024-06-01", "2024-06-02", "2024-06-03"


@pytest.fixture
def executed(monkeypatch):
    """Stand-in for the notebook execution; the list of job keys of each call."""
    calls: list[list[str]] = []

    def run(prep, notebooks_dir, work, jobs, timeout, progress, log_dir, on_start=None):
        calls.append([j.key for j in prep.jobs])
        if on_start is not None:
            on_start()
        for j in prep.jobs:
            (work / f"{j.key}.html").write_text(f"<p>{j.key} {sorted(j.parameters.items())}</p>", encoding="utf-8")
            (work / f"{j.key}.ipynb").write_text(json.dumps({"key": j.key}), encoding="utf-8")
        return [{"key": j.key, "notebook": j.notebook, "ok": True, "seconds": 0.0} for j in prep.jobs]

    monkeypatch.setattr(render, "_run_jobs", run)
    monkeypatch.delenv(reuse.REUSE_ENV, raising=False)
    return calls


def _inputs(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "raw" / fuyang_plan.NAME
    folder.mkdir(parents=True)
    for f in (fuyang_plan.TARGETS, fuyang_plan.STATISTICS, fuyang_plan.PLAN_JSON):
        shutil.copy(f, folder / f.name)
    return folder / fuyang_plan.TARGETS.name, folder / fuyang_plan.STATISTICS.name


def _render(out, date, targets, stats, **kw):
    return render.render_reports(date=date, areas=["poverty"], out=out, targets_path=targets,
                                 statistics_path=stats, progress=False, **kw)


def _record(folder: Path) -> dict:
    return json.loads((folder / reuse.FINGERPRINTS).read_text(encoding="utf-8"))["pages"]


KEYS = ["overview", "area-poverty", "data-coverage"]


def test_unchanged_pages_are_copied_and_changes_are_executed(tmp_path, executed, monkeypatch):
    targets, stats = _inputs(tmp_path)
    out = tmp_path / "reports"
    first = _render(out, D1, targets, stats)
    assert executed == [KEYS]
    assert all(p["reused_from"] is None for p in _record(first).values())

    second = _render(out, D2, targets, stats)  # same inputs, code and parameters
    assert executed == [KEYS]  # nothing executed
    for key in KEYS:
        for ext in (".html", ".ipynb"):
            assert (second / f"{key}{ext}").read_bytes() == (first / f"{key}{ext}").read_bytes()
    assert {k: p["reused_from"] for k, p in _record(second).items()} == dict.fromkeys(KEYS, D1)
    assert D2 in (second / "index.html").read_text(encoding="utf-8")  # the index is always new

    # Same date again: reused from that set (it is the one being replaced).
    _render(out, D2, targets, stats)
    assert executed == [KEYS]

    # Other parameters: every page differs.
    _render(out, D3, targets, stats, method="cagr")
    assert executed[-1] == KEYS

    # A changed input file: every page is executed again.
    stats.write_text(stats.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    _render(out, D3, targets, stats)
    assert executed[-1] == KEYS

    # A changed notebook: only its pages.
    nbdir = tmp_path / "notebooks"
    shutil.copytree(paths.NOTEBOOKS_DIR, nbdir)
    area_nb = nbdir / jobs.NOTEBOOKS["area"]
    area_nb.write_text(area_nb.read_text(encoding="utf-8").replace("Key figures", "Key  figures"), encoding="utf-8")
    n = len(executed)
    _render(out, D3, targets, stats, notebooks_dir=nbdir)
    assert executed[n:] == [["area-poverty"]]


def test_a_page_edited_after_publishing_is_executed_again(tmp_path, executed):
    targets, stats = _inputs(tmp_path)
    out = tmp_path / "reports"
    first = _render(out, D1, targets, stats)
    page = first / "overview.html"
    page.write_text(page.read_text(encoding="utf-8") + "<!-- edited -->", encoding="utf-8")
    _render(out, D2, targets, stats)
    assert executed == [KEYS, ["overview"]]


def test_reuse_can_be_turned_off(tmp_path, executed, monkeypatch):
    targets, stats = _inputs(tmp_path)
    out = tmp_path / "reports"
    _render(out, D1, targets, stats)
    monkeypatch.setenv(reuse.REUSE_ENV, "0")
    _render(out, D2, targets, stats)
    assert executed == [KEYS, KEYS]


def test_fingerprint_covers_package_source_and_every_parameter(tmp_path, monkeypatch):
    prep = jobs.prepare(D1, ["poverty"], None, "linear", "both", fuyang_plan.TARGETS,
                           fuyang_plan.STATISTICS, None, paths.NOTEBOOKS_DIR, fuyang_plan.NAME)
    job = next(j for j in prep.jobs if j.key == "area-poverty")
    common = reuse.common_digest(prep.ctx.plan)
    fp = reuse.page_fingerprint(job, paths.NOTEBOOKS_DIR, common)
    assert D1 not in json.dumps(job.parameters)  # no page is given the report date
    other = workers.ReportJob(job.key, job.notebook, {**job.parameters, "lang": "en"}, job.title, job.label)
    assert reuse.page_fingerprint(other, paths.NOTEBOOKS_DIR, common) != fp
    # A page given the date would have it in its fingerprint: reused on that date only.
    dated = {d: workers.ReportJob(job.key, job.notebook, {**job.parameters, "day": d}, job.title, job.label)
             for d in (D1, D2)}
    assert reuse.page_fingerprint(dated[D1], paths.NOTEBOOKS_DIR, common) != reuse.page_fingerprint(
        dated[D2], paths.NOTEBOOKS_DIR, common)

    package = tmp_path / "helpers"
    shutil.copytree(reuse._PACKAGE_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(reuse, "_PACKAGE_DIR", package)
    assert reuse.common_digest(prep.ctx.plan) == common
    css = package / "publish" / "templates" / "plan_report" / "static" / "report.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    changed = reuse.common_digest(prep.ctx.plan)
    assert changed != common
    words = package / "report" / "terms.py"  # another wing than reuse's own: the digest covers it too
    words.write_text(words.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert reuse.common_digest(prep.ctx.plan) != changed


def test_a_page_is_copied_only_while_its_files_are_the_recorded_ones(tmp_path):
    src, work = tmp_path / D1, tmp_path / "work"
    src.mkdir()
    work.mkdir()
    (src / "p.html").write_bytes(b"<p>page</p>")
    (src / "p.ipynb").write_bytes(b"{}")
    entry = {"html_sha256": reuse._sha(b"<p>page</p>"), "ipynb_sha256": reuse._sha(b"{}")}
    assert reuse._copy(src, entry, "p", work)
    assert (work / "p.html").read_bytes() == b"<p>page</p>" and (work / "p.ipynb").read_bytes() == b"{}"
    (src / "p.ipynb").write_bytes(b'{"edited": 1}')
    assert not reuse._copy(src, entry, "p", tmp_path)
    (src / "p.ipynb").unlink()
    assert not reuse._copy(src, entry, "p", tmp_path)


@pytest.mark.slow
def test_a_reused_set_equals_an_executed_one(tmp_path, monkeypatch):
    monkeypatch.delenv(reuse.REUSE_ENV, raising=False)
    out = tmp_path / "reports"
    first = render.render_reports(date=D1, areas=["poverty"], out=out, progress=False)

    def no_execution(*a, **kw):
        raise AssertionError("nothing should be executed")

    monkeypatch.setattr(render, "_run_jobs", no_execution)
    second = render.render_reports(date=D2, areas=["poverty"], out=out, progress=False)
    for key in KEYS:  # copied, then the set's own date written into the citation line
        a, b = ((d / f"{key}.html").read_text(encoding="utf-8") for d in (first, second))
        assert a.replace(D1, "DATE") == b.replace(D2, "DATE")
        assert D1 not in b and f"报告日期{D2}" in b and f"report set of {D2}" in b
    assert D2 in (second / "index.html").read_text(encoding="utf-8")
    # sources.html and the citation files are rebuilt for the new set, and every value link of
    # the (copied) area page lands on a row of the new set's sources page
    for name in ("sources.html", "CITATION.cff", "citation.bib"):
        a, b = ((d / name).read_text(encoding="utf-8") for d in (first, second))
        assert D2 in b and a.replace(D1, "DATE") == b.replace(D2, "DATE"), name
    rows = set(re.findall(r'<tr id="([^"]+)"', (second / "sources.html").read_text(encoding="utf-8")))
    links = re.findall(r'href="sources\.html#([^"]+)"', (second / "area-poverty.html").read_text(encoding="utf-8"))
    assert links and set(links) <= rows
    assert {p["reused_from"] for p in _record(second).values()} == {D1}


def test_every_file_a_page_may_read_is_in_the_fingerprint(tmp_path, monkeypatch):
    """The optional files beside the tables (measures.csv, continues.csv, assessments.csv), read
    by the kernels, and an earlier plan a plan continues: a change in any of them re-executes."""
    from helpers.data.plan import locate

    folder = tmp_path / "plan"
    shutil.copytree(paths.RAW_DIR / "fuyang", folder)
    files = locate(str(folder))
    before = reuse._inputs_digest(files)
    (folder / "measures.csv").write_text("id,measure\n", encoding="utf-8")
    with_measures = reuse._inputs_digest(files)
    assert with_measures != before
    (folder / "measures.csv").write_text("id,measure\nx,y\n", encoding="utf-8")
    assert reuse._inputs_digest(files) != with_measures

    later = locate("china_fyp15")  # continues the 14th plan: its files count for the 15th's pages
    assert locate("china_fyp14").targets_path.resolve().parent in reuse._plan_folders(later)
