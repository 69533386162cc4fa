"""The report renderer: the full set, what readers get (no code, embedded images, no CDN), the
failure path (message, nothing half-written, previous set untouched) and the lock.

The slow tests share one rendered set (``rendered_set`` in tests/render_fixtures.py).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from helpers import cli, paths
from helpers.exceptions import ValidationError
import fuyang_plan
from helpers.publish import jobs, render
from helpers.publish.sets import LATEST_NAME
from helpers.data.locks import RENDER_LOCK_NAME as LOCK_NAME
from helpers.publish.jobs import notebook_parameters
from helpers.publish.workers import external_resources
from fuyang_plan import AREAS
from render_fixtures import RENDER_DATE

ROOT = Path(__file__).resolve().parents[2]
REPORT_NAMES = ["index", "overview", *[f"area-{a}" for a in AREAS], "data-coverage"]
CJK = re.compile(r"[\u4e00-\u9fff]")


class _Tags(HTMLParser):
    """Collects tags and attributes (a, img, script, link) and the classes in use."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def parse(html_text: str) -> list[tuple[str, dict]]:
    p = _Tags()
    p.feed(html_text)
    return p.tags


def html_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.html"))


# --------------------------------------------------------------------------- cheap checks

def test_unknown_area_exits_2_before_any_kernel(tmp_path, capsys):
    out = tmp_path / "reports"
    code = cli.main(["render", "--areas", "health", "nowhere", "--out", str(out), "--quiet"])
    assert code == 2
    err = capsys.readouterr().err
    assert "unknown area 'nowhere'" in err and "health" in err  # lists the valid ones
    assert not out.exists()  # nothing written, not even the lock file


def test_bad_date_exits_2(tmp_path, capsys):
    out = tmp_path / "reports"
    assert cli.main(["render", "--date", "2024-13-01", "--out", str(out), "--quiet"]) == 2
    assert "2024-13-01" in capsys.readouterr().err
    assert not out.exists()


def test_bad_input_file_exits_2_and_writes_nothing(tmp_path, capsys):
    targets = tmp_path / "targets.csv"
    shutil.copy(fuyang_plan.TARGETS, targets)
    stats = tmp_path / "statistics.csv"
    stats.write_bytes(b"")  # a 0-byte statistics file
    out = tmp_path / "reports"
    code = cli.main(["render", "--targets", str(targets), "--statistics", str(stats),
                     "--out", str(out), "--quiet"])
    assert code == 2
    assert "statistics.csv" in capsys.readouterr().err
    assert not out.exists()


def test_missing_kernel_exits_2_with_the_install_command(tmp_path, capsys, monkeypatch):
    from helpers.publish import jobs

    monkeypatch.setattr(jobs, "KERNEL_NAME", "no-such-kernel-for-this-test")
    out = tmp_path / "reports"
    assert cli.main(["render", "--areas", "health", "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "no-such-kernel-for-this-test" in err and "not installed" in err
    assert "ipykernel install" in err and "make env" in err
    assert not out.exists()


def _copy_inputs(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "raw"
    folder.mkdir()
    for f in (fuyang_plan.TARGETS, fuyang_plan.STATISTICS, fuyang_plan.TARGETS.parent / "plan.json"):
        shutil.copy(f, folder / f.name)
    return folder / fuyang_plan.TARGETS.name, folder / fuyang_plan.STATISTICS.name


def test_inputs_snapshot_is_not_offered_when_the_files_change_while_read(tmp_path, monkeypatch):
    from helpers.data import load

    from helpers.report import params
    targets, stats = _copy_inputs(tmp_path)
    prep = jobs.prepare(None, ["health"], None, "linear", "both", targets, stats, None, paths.NOTEBOOKS_DIR)
    assert prep.fingerprint == load.fingerprint(targets, stats)

    real_prepare = params.prepare

    def prepare_then_edit(**kw):
        ctx = real_prepare(**kw)
        stats.write_text(stats.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # e.g. an import
        return ctx

    monkeypatch.setattr(params, "prepare", prepare_then_edit)
    prep = jobs.prepare(None, ["health"], None, "linear", "both", targets, stats, None, paths.NOTEBOOKS_DIR)
    assert prep.fingerprint is None  # the kernels will read and validate the files themselves


def test_notebook_parameters_ignore_comments(tmp_path):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell('a = None  # None = default\nb = "x=y"  # "quoted"\n# c = 1\n')
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell]
    path = tmp_path / "p.ipynb"
    nbformat.write(nb, str(path))
    assert notebook_parameters(path) == {"a", "b"}


def test_notebook_parameters_read_list_sources_and_name_a_broken_file(tmp_path):
    import json

    path = tmp_path / "lines.ipynb"  # a saved notebook stores source as a list of lines
    path.write_text(json.dumps({"cells": [
        {"cell_type": "markdown", "metadata": {"tags": ["parameters"]}, "source": ["x = 1"]},
        {"cell_type": "code", "metadata": {"tags": ["parameters"]}, "source": ["plan = None\n", "area = 'a'\n"],
         "outputs": [], "execution_count": None}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    assert notebook_parameters(path) == {"plan", "area"}
    assert notebook_parameters(tmp_path / "lines.ipynb") == {"plan", "area"}
    bad = tmp_path / "broken.ipynb"
    bad.write_text('{"cells": [', encoding="utf-8")
    with pytest.raises(ValidationError) as exc:
        notebook_parameters(bad)
    assert "broken.ipynb" in str(exc.value) and "not a readable notebook" in str(exc.value)


# --------------------------------------------------------------------------- the rendered set

@pytest.mark.slow
def test_every_report_and_notebook_exists(rendered_set):
    import json

    assert rendered_set.name == RENDER_DATE
    names = {p.name for p in rendered_set.iterdir()}
    # the reports and their notebooks, what the set was built from (inputs/, trajectory.csv),
    # changes.html (the first set of its folder: no changes.csv), sources.html, the citation
    # files and set.json
    expected = ({f"{n}.html" for n in REPORT_NAMES} | {f"{n}.ipynb" for n in REPORT_NAMES if n != "index"}
                | {"set.json", "fingerprints.json", "changes.html", "inputs", "trajectory.csv",
                   "sources.html", "CITATION.cff", "citation.bib"})
    assert names == expected
    for src in (fuyang_plan.TARGETS, fuyang_plan.STATISTICS, fuyang_plan.PLAN_JSON):
        assert (rendered_set / "inputs" / src.name).read_bytes() == src.read_bytes(), src.name
    record = json.loads((rendered_set / "set.json").read_text(encoding="utf-8"))
    assert (record["plan"], record["date"], record["geo"]) == (fuyang_plan.NAME, RENDER_DATE, "fuyang")
    assert record["geo_label"] == "阜阳市 / Fuyang"  # the archive shows it (pages._read_sets)
    assert record["previous"] is None
    assert record["areas"] == AREAS and record["targets"] == sum(record["status_counts"].values())
    # <out>/<plan>/<date>: the latest link and the lock are the plan's, the archive is the root's
    out = rendered_set.parent
    assert out.name == fuyang_plan.NAME
    latest = out / LATEST_NAME
    assert latest.is_symlink() and os.readlink(latest) == RENDER_DATE
    leftovers = [p.name for p in out.iterdir() if p.name.startswith(".") and p.name != LOCK_NAME]
    assert leftovers == []
    archive = (out.parent / "index.html").read_text(encoding="utf-8")
    assert f'href="{fuyang_plan.NAME}/{RENDER_DATE}/index.html"' in archive
    assert f'href="{fuyang_plan.NAME}/latest/index.html"' in archive
    assert fuyang_plan.META["title_zh"] in archive


@pytest.mark.slow
def test_index_links_resolve_and_cover_every_report(rendered_set):
    index = (rendered_set / "index.html").read_text(encoding="utf-8")
    hrefs = [a["href"] for tag, a in parse(index) if tag == "a" and "href" in a]
    local = [h for h in hrefs if not re.match(r"^[a-z]+:", h)]
    for h in local:
        assert (rendered_set / h).is_file(), h
    # every report of the set, its sources and citation files, and the archive of all sets two
    # levels up (<out>/index.html)
    assert set(local) == ({f"{n}.html" for n in REPORT_NAMES if n != "index"}
                          | {"changes.html", "sources.html", "CITATION.cff", "citation.bib", "../../index.html"})


@pytest.mark.slow
def test_index_states_plan_date_asof_and_status_counts(rendered_set):
    from helpers.method import gaps

    from helpers.data import load
    from helpers.report import params
    index = (rendered_set / "index.html").read_text(encoding="utf-8")
    inputs = load.load_inputs(fuyang_plan.TARGETS, fuyang_plan.STATISTICS)
    plan = inputs.meta
    for text in (plan["title_zh"], plan["document_number"], RENDER_DATE):
        assert text in index
    assert plan["title_en"] in index
    traj = gaps.compute_gaps(inputs.targets, inputs.statistics, plan=plan)
    as_of = params.latest_year_with_data(traj)
    assert f"数据截至 / Data as of: {as_of}" in index
    # The totals row adds up to every target of the table (76 in the Fuyang plan).
    total_row = re.search(r"<tr><th>合计 / Total</th>(.*?)</tr>", index).group(1)
    numbers = [int(x) for x in re.findall(r">(\d+)<", total_row)]
    assert numbers[0] == len(inputs.targets) == sum(numbers[1:])
    # Per area: the number of targets in the area's row is the count in targets.csv.
    for area in AREAS:
        row = re.search(rf'<tr><td><a href="area-{area}.html">.*?</tr>', index).group(0)
        cells = [int(x) for x in re.findall(r'<td class="num">(\d+)</td>', row)]
        assert cells[0] == int((inputs.targets["area"] == area).sum()) == sum(cells[1:])
    assert '<html lang="zh-CN">' in index


@pytest.mark.slow
def test_no_code_in_any_report(rendered_set):
    for path in html_files(rendered_set):
        text = path.read_text(encoding="utf-8")
        classes = " ".join(a.get("class", "") for _, a in parse(text))
        for cls in ("jp-InputArea", "jp-InputPrompt", "input_area", "jp-Editor", "highlight"):
            assert cls not in classes.split(), (path.name, cls)
        for code in ("import helpers", "from helpers", "params.prepare(", "display.show("):
            assert code not in text, (path.name, code)


@pytest.mark.slow
def test_images_embedded_and_no_external_resources(rendered_set):
    from helpers.data import load

    plan = load.load_inputs(fuyang_plan.TARGETS, fuyang_plan.STATISTICS)
    s = plan.statistics
    with_values = set(s.loc[s["value"].notna(), "indicator_id"].astype(str).str.split(":", n=1).str[0])
    drawable = {str(a) for a, i in zip(plan.targets["area"], plan.targets["id"]) if str(i) in with_values}
    assert drawable and set(AREAS) - drawable  # both kinds of area page are checked
    for path in html_files(rendered_set):
        text = path.read_text(encoding="utf-8")
        tags = parse(text)
        imgs = [a.get("src", "") for t, a in tags if t == "img"]
        assert all(src.startswith("data:image/") for src in imgs), path.name
        if path.name.startswith("overview"):
            assert imgs, f"{path.name} has no chart"
        if path.name.startswith("area-"):
            # charts only for targets with some value to draw (own, benchmark or context)
            assert bool(imgs) == (path.stem[len("area-"):] in drawable), path.name
        assert not [a for t, a in tags if t == "script" and a.get("src")], path.name
        assert not [a for t, a in tags if t == "link" and re.match(r"^(https?:)?//", a.get("href", ""))]
        for cdn in ("require.js", "require.min.js", "MathJax.js", "mathjax@", "cdnjs.cloudflare.com",
                    "unpkg.com", "cdn.jsdelivr.net"):
            assert cdn not in text, (path.name, cdn)
        assert "@import" not in text
        assert external_resources(text) == [], path.name


@pytest.mark.slow
def test_reports_are_readable_html(rendered_set):
    for path in html_files(rendered_set):
        text = path.read_text(encoding="utf-8")
        assert text.lstrip().startswith("<!DOCTYPE html>")
        assert '<html lang="zh-CN">' in text
        title = re.search(r"<title>(.*?)</title>", text, re.S).group(1)
        assert CJK.search(title), path.name
        assert "max-width: 60rem" in text  # readable page width
        assert "Noto Sans CJK SC" in text  # CJK font stack
        body = text[text.index("<body"):]
        assert len(CJK.findall(body)) > 20, path.name
    # Each notebook report ends with the footer: method, sources, versions, as-of year.
    for name in REPORT_NAMES[1:]:
        text = (rendered_set / f"{name}.html").read_text(encoding="utf-8")
        assert 'class="helpers-footer"' in text, name
        assert "helpers 0.1.0" in text and "数据截至" in text, name
        assert "celltag_nbval-check-output" not in text  # nbval printouts are not for readers


@pytest.mark.slow
def test_executed_notebooks_kept_beside_reports(rendered_set):
    for name in REPORT_NAMES[1:]:
        nb = nbformat.read(str(rendered_set / f"{name}.ipynb"), as_version=4)
        pm = nb.metadata["papermill"]
        assert pm["parameters"]["interactive"] is False
        if name.startswith("area-"):
            assert pm["parameters"]["area"] == name.removeprefix("area-")
        assert pm["output_path"] == f"{name}.ipynb"
        assert not [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
        code_cells = [c for c in nb.cells if c.cell_type == "code"]
        assert all(c.execution_count is not None for c in code_cells), name


# --------------------------------------------------------------------------- failure and lock

def _broken_cell(nb) -> int:
    """The cell (0-based, markdown cells counted) :func:`_broken_notebooks` breaks: the first code
    cell after the one that calls params.prepare."""
    prepare = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and "params.prepare(" in c.source)
    return next(i for i, c in enumerate(nb.cells) if i > prepare and c.cell_type == "code")


def _broken_notebooks(tmp_path: Path) -> tuple[Path, int]:
    """A copy of notebooks/ whose data-coverage notebook raises in one cell; (folder, that cell)."""
    nbdir = tmp_path / "notebooks"
    shutil.copytree(paths.NOTEBOOKS_DIR, nbdir)
    path = nbdir / "04_data_coverage.ipynb"
    nb = nbformat.read(str(path), as_version=4)
    cell = _broken_cell(nb)
    assert "parameters" not in nb.cells[cell].metadata.get("tags", [])
    nb.cells[cell].source = 'raise ValueError("synthetic failure for the render test")\n'
    nbformat.write(nb, str(path))
    return nbdir, cell


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_failed_render_names_notebook_and_cell_and_keeps_previous_set(rendered_set, tmp_path,
                                                                      monkeypatch, capsys):
    root = tmp_path / "reports"
    shutil.copytree(rendered_set.parent.parent, root, symlinks=True)  # <out>: the archive and the plan's sets
    out = root / fuyang_plan.NAME
    archive_before = (root / "index.html").read_bytes()
    before = _snapshot(out / RENDER_DATE)
    latest_before = os.readlink(out / LATEST_NAME)
    broken_dir, cell = _broken_notebooks(tmp_path)
    monkeypatch.setattr(paths, "NOTEBOOKS_DIR", broken_dir)

    # Same date as the existing set: a failure must not touch it.
    code = cli.main(["render", "--date", RENDER_DATE, "--areas", "poverty", "--out", str(root),
                     "--jobs", "2", "--quiet"])
    err = capsys.readouterr().err

    assert code == 1
    assert "04_data_coverage.ipynb" in err
    assert f"failed at cell {cell} (0-based)" in err
    assert 'raise ValueError("synthetic failure for the render test")' in err
    assert "ValueError: synthetic failure for the render test" in err
    assert "\x1b[" not in err  # no ANSI colour codes
    kept = out / ".failed" / "data-coverage.ipynb"  # the latest failure per notebook
    assert kept.is_file() and str(kept) in err
    failed_nb = nbformat.read(str(kept), as_version=4)
    assert any(o.get("ename") == "ValueError" for c in failed_nb.cells for o in c.get("outputs", []))
    # Previous set and latest untouched; no partial or temporary folder left.
    assert _snapshot(out / RENDER_DATE) == before
    assert os.readlink(out / LATEST_NAME) == latest_before
    assert sorted(p.name for p in out.iterdir()) == sorted([".failed", LOCK_NAME, LATEST_NAME, RENDER_DATE])
    assert (root / "index.html").read_bytes() == archive_before  # the archive is rewritten only on success


def test_second_render_while_locked_exits_3(tmp_path):
    from filelock import FileLock

    out = tmp_path / "reports"
    plan_dir = out / fuyang_plan.NAME  # the lock is per plan: <out>/<plan>/.render.lock
    plan_dir.mkdir(parents=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    with FileLock(str(plan_dir / LOCK_NAME)):
        proc = subprocess.run([sys.executable, "-m", "helpers", "render", "--out", str(out), "--quiet"],
                              capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 3, proc.stderr
    assert "another render is running" in proc.stderr and "--wait" in proc.stderr
    assert str(plan_dir / LOCK_NAME) in proc.stderr
    assert sorted(p.name for p in out.iterdir()) == [fuyang_plan.NAME]  # no archive index written
    assert sorted(p.name for p in plan_dir.iterdir()) == [LOCK_NAME]


def test_the_renderer_parent_prepares_without_importing_notebook_or_chart_libraries():
    """The parent checks and scores the plan; kernels draw. nbformat (with jsonschema),
    matplotlib and jupyter_client cost seconds to import and are left to the workers."""
    code = ("import sys; from pathlib import Path; from helpers import paths; from helpers.publish import jobs; "
            "from helpers.data.plan import locate; f = locate(None, None, None); "
            "jobs.prepare(None, None, None, 'linear', 'both', Path(f.targets_path), Path(f.statistics_path), "
            "None, paths.NOTEBOOKS_DIR, f.name); "
            "print(sorted(m for m in ('nbformat', 'jsonschema', 'matplotlib', 'jupyter_client', 'nbclient') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(Path(render.__file__).parents[2])}).stdout
    assert out.strip() == "[]"


# ---- issue 23 D18: a full disk during a render is exit 2 naming the path, not a notebook failure

def test_a_full_disk_in_a_worker_is_reported_with_its_path(tmp_path, monkeypatch):
    import errno

    import papermill

    from helpers.publish import workers

    full = tmp_path / "work" / "overview.ipynb"

    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(full))

    monkeypatch.setattr(papermill, "execute_notebook", no_space)
    monkeypatch.setattr(workers, "_WORKER", {"config": None, "engine": None, "exporter": None})
    job = next(j for j in _prepared_jobs(tmp_path) if j.key == "overview")
    res = workers.render_one(job, str(paths.NOTEBOOKS_DIR), str(tmp_path / "work"), 60)
    assert not res["ok"] and (res["os_errno"], res["os_path"]) == (errno.ENOSPC, str(full))


def _prepared_jobs(tmp_path):
    targets, stats = _copy_inputs(tmp_path)
    return jobs.prepare(None, ["health"], None, "linear", "both", targets, stats, None, paths.NOTEBOOKS_DIR).jobs


def test_a_full_disk_during_a_render_exits_2_naming_the_path_and_publishes_nothing(tmp_path, capsys, monkeypatch):
    import errno

    targets, stats = _copy_inputs(tmp_path)
    out = tmp_path / "reports"

    def disk_full(prep, notebooks_dir, work, n, timeout, progress, log_dir, on_start=None):
        path = str(work / f"{prep.jobs[0].key}.ipynb")
        return [{"key": prep.jobs[0].key, "notebook": prep.jobs[0].notebook, "ok": False, "seconds": 0.0,
                 "ipynb": path, "cell": None, "first_line": "", "ename": "OSError", "evalue": "No space left on device",
                 "error": "", "os_errno": errno.ENOSPC, "os_strerror": "No space left on device", "os_path": path}]

    monkeypatch.setattr(render, "_run_jobs", disk_full)
    code = cli.main(["render", "--targets", str(targets), "--statistics", str(stats), "--out", str(out),
                     "--date", "2024-01-01", "--areas", "health", "--quiet"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "no space left on device (the disk is full)" in err and f"{out}/raw/.tmp-2024-01-01-" in err
    assert "parameters or kernel start" not in err and "Traceback" not in err
    plan_out = out / "raw"  # the plan is named by its folder
    assert not (plan_out / "2024-01-01").exists() and not list(plan_out.glob(".tmp-*"))
