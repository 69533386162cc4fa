"""The warm-fork papermill engine (helpers.publish.kernels.engine, helpers.publish.kernels.zygote).

The isolation proof: every report notebook of the shipped default plan is executed with a fresh
kernel per notebook (papermill's nbclient engine) and on the warm engine in two different orders,
one worker each (so each warm run forks all its kernels from one template, in exactly that
order), and the executed notebooks (every cell's outputs: text, HTML and image bytes) and the
exported HTML must be identical once execution timestamps and durations are removed.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import nbformat
import pytest

from helpers.publish.kernels import fork as _warmfork, zygote as _zygote, engine as engines

from helpers import paths

from helpers.publish import jobs, render
from helpers.exceptions import UnknownValueError
import fuyang_plan
from test_reproducible import normalise_notebook


def _prepared(areas=None):
    return jobs.prepare(None, areas, None, "linear", "both", fuyang_plan.TARGETS, fuyang_plan.STATISTICS,
                           None, paths.NOTEBOOKS_DIR, fuyang_plan.NAME)


def _execute(monkeypatch, tmp: Path, engine: str, jobs, notebooks_dir: Path = paths.NOTEBOOKS_DIR):
    """Run ``jobs`` in this order on one worker with ``engine``; (folder, results)."""
    monkeypatch.setenv(engines.ENGINE_ENV, engine)  # inherited by the spawned worker
    work, log_dir = tmp / "work", tmp / "log"
    work.mkdir(parents=True)
    log_dir.mkdir()
    results = render._run_jobs(replace(_prepared(), jobs=list(jobs)), notebooks_dir, work, 1, 600, False, log_dir)
    assert [r["key"] for r in results] == [j.key for j in jobs]  # one worker: in submission order
    assert all(r["ok"] for r in results), [(r["key"], r["ename"], r["evalue"]) for r in results if not r["ok"]]
    return work, results


@pytest.mark.slow
def test_warm_engine_outputs_match_fresh_kernels_in_any_order(tmp_path, monkeypatch):
    jobs = _prepared().jobs
    assert len(jobs) == len(fuyang_plan.AREAS) + 2  # every report notebook of the default plan
    fresh, fresh_res = _execute(monkeypatch, tmp_path / "fresh", engines.FRESH_ENGINE, jobs)
    assert {r["kernel"] for r in fresh_res} == {""}  # papermill's own kernel start
    by_order = {}
    for name, order in (("forward", jobs), ("reversed", jobs[::-1])):
        folder, res = _execute(monkeypatch, tmp_path / name, engines.ENGINE_NAME, order)
        assert [r["kernel"] for r in res] == ["forked"] * len(order)  # no silent fallback
        by_order[name] = folder
    for job in jobs:
        ref_nb = normalise_notebook((fresh / f"{job.key}.ipynb").read_bytes())
        ref_html = (fresh / f"{job.key}.html").read_bytes()
        n_images = sum("image/png" in o.get("data", {}) for c in ref_nb["cells"] for o in c.get("outputs", []))
        assert n_images or job.key != "overview"  # the comparison covers image bytes (the overview draws charts)
        for name, folder in by_order.items():
            nb = normalise_notebook((folder / f"{job.key}.ipynb").read_bytes())
            for i, (a, b) in enumerate(zip(ref_nb["cells"], nb["cells"])):
                assert a.get("outputs") == b.get("outputs"), f"{job.key} cell {i} ({name} order)"
            assert nb == ref_nb, f"{job.key} ({name} order)"
            assert (folder / f"{job.key}.html").read_bytes() == ref_html, f"{job.key}.html ({name} order)"


@pytest.mark.slow
def test_template_refusal_falls_back_to_a_fresh_kernel(tmp_path, monkeypatch):
    # A folder named like a preloaded module in the kernel's working directory: a fresh kernel
    # (which puts its working directory on sys.path) could import something else, so the
    # template refuses and the notebook runs on a fresh kernel, with the same result.
    nbdir = tmp_path / "notebooks"
    shutil.copytree(paths.NOTEBOOKS_DIR, nbdir)
    (nbdir / "pandas").mkdir()
    job = next(j for j in _prepared().jobs if j.key == "data-coverage")
    _, (res,) = _execute(monkeypatch, tmp_path / "run", engines.ENGINE_NAME, [job], nbdir)
    assert res["kernel"].startswith("fresh: ") and "'pandas'" in res["kernel"]


@pytest.mark.slow
def test_a_failing_cell_is_reported_with_notebook_and_cell(tmp_path, monkeypatch):
    nbdir = tmp_path / "notebooks"
    shutil.copytree(paths.NOTEBOOKS_DIR, nbdir)
    path = nbdir / jobs.NOTEBOOKS["coverage"]
    nb = nbformat.read(str(path), as_version=4)
    i = [k for k, c in enumerate(nb.cells) if c.cell_type == "code"][2]  # a code cell after prepare
    nb.cells[i].source = 'raise ValueError("synthetic failure")\n'
    nbformat.write(nb, str(path))
    job = next(j for j in _prepared().jobs if j.key == "data-coverage")
    monkeypatch.setenv(engines.ENGINE_ENV, engines.ENGINE_NAME)
    work, log_dir = tmp_path / "work", tmp_path / "log"
    work.mkdir()
    log_dir.mkdir()
    (res,) = render._run_jobs(replace(_prepared(), jobs=[job]), nbdir, work, 1, 600, False, log_dir)
    assert res["kernel"] == "forked" and not res["ok"]
    assert (res["cell"], res["first_line"]) == (i, 'raise ValueError("synthetic failure")')
    assert (res["ename"], res["evalue"]) == ("ValueError", "synthetic failure")
    saved = nbformat.read(res["ipynb"], as_version=4)  # papermill's error cell and outputs are kept
    assert any("papermill-error-cell-tag" in c.metadata.get("tags", []) for c in saved.cells)


# --------------------------------------------------------------------------- fast checks

def test_notebook_imports_are_the_top_level_import_statements(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import os, json\nfrom helpers import charts, narrate\n"
                                          "def f():\n    import secret_inside_function\n"),
                nbformat.v4.new_code_cell("%matplotlib inline\nimport not_python_cell"),
                nbformat.v4.new_markdown_cell("import not_code"),
                nbformat.v4.new_code_cell("from . import relative\nfrom os.path import join\nimport os")]
    path = tmp_path / "n.ipynb"
    nbformat.write(nb, str(path))
    assert jobs.notebook_imports([path]) == ["os", "json", "helpers:charts,narrate", "os.path:join"]


def test_report_notebooks_imports_are_preloaded():
    specs = jobs.notebook_imports(sorted(paths.NOTEBOOKS_DIR.glob("0[124]_*.ipynb")))
    assert specs == ["helpers.report:charts,display,params,sections,widgets"]  # one import line in every notebook


def test_unknown_engine_is_refused(monkeypatch):
    monkeypatch.setenv(engines.ENGINE_ENV, "warm")
    with pytest.raises(UnknownValueError, match="warm-fork"):
        engines.selected_engine()
    monkeypatch.setenv(engines.ENGINE_ENV, engines.FRESH_ENGINE)
    assert engines.selected_engine() == engines.FRESH_ENGINE


def test_engine_is_registered_with_papermill():
    from papermill.engines import papermill_engines

    from helpers.publish.kernels import fork

    fork.register()
    assert papermill_engines.get_engine(engines.ENGINE_NAME) is fork.ForkEngine
    assert fork.ForkEngine.nb_kernel_name(nbformat.v4.new_notebook(), "k") == "k"


def test_importing_the_engine_module_first_is_fine():
    # papermill loads the entry point (this module) while it is being imported: the module the
    # entry point names must not import papermill itself.
    code = "import helpers.publish.kernels.engine, helpers.publish.kernels.fork, papermill; print('ok')"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(render.__file__).parents[2]), os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr


def test_template_refuses_what_a_fresh_kernel_could_do_differently(tmp_path):
    env0 = {"PATH": "/bin", "MPLBACKEND": _zygote.INLINE_BACKEND, "JPY_PARENT_PID": "7"}
    ok = {"env": {"PATH": "/bin", "JPY_PARENT_PID": "7", "JPY_SESSION_NAME": "x"}, "cwd": str(tmp_path)}
    assert _zygote._why_not(ok, env0, {"pandas"}, None) is None
    assert "importing failed" in _zygote._why_not(ok, env0, set(), "importing failed: X")
    other = {**ok, "env": {**ok["env"], "HELPERS_FONT": "none"}}
    assert "HELPERS_FONT" in _zygote._why_not(other, env0, set(), None)
    agg = {**ok, "env": {**ok["env"], "MPLBACKEND": "agg"}}
    assert "MPLBACKEND" in _zygote._why_not(agg, env0, set(), None)
    (tmp_path / "pandas.py").write_text("")
    assert "'pandas'" in _zygote._why_not(ok, env0, {"pandas"}, None)


def test_preload_reports_output_and_warnings(tmp_path, monkeypatch):
    (tmp_path / "loud_mod.py").write_text("print('hello')\n")
    (tmp_path / "warn_mod.py").write_text("import warnings\nwarnings.warn('careful', UserWarning)\n")
    (tmp_path / "dep_mod.py").write_text("import warnings\nwarnings.warn('old', DeprecationWarning)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert _zygote.preload(["dep_mod"]) is None  # not shown by a fresh kernel either
    assert "UserWarning: careful" in _zygote.preload(["warn_mod"])
    assert "hello" in _zygote.preload(["loud_mod"])
    assert "ModuleNotFoundError" in _zygote.preload(["no_such_module_here"])


def test_forked_kernel_handle_polls_and_kills_through_a_pidfd():
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        handle = _warmfork._ForkedKernel(proc.pid)
        assert handle.poll() is None
        with pytest.raises(subprocess.TimeoutExpired):
            handle.wait(0.05)
        handle.kill()
        proc.wait(10)  # our child here; the template reaps its own kernels
        assert handle.wait(10) == -signal.SIGKILL
        handle.send_signal(signal.SIGTERM)  # after exit: a no-op, never another process
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)


def test_kernel_connection_files_go_to_the_workers_private_folder(tmp_path):
    """Issue 23 D10: jupyter_client writes a kernel's connection file (with its HMAC key) by
    tempfile.mkstemp; a killed render left them in $TMPDIR. A worker's go to its own folder under
    the render's kernel root, which the clean-up removes."""
    root = tmp_path / "hk-root"
    root.mkdir()
    loose = tmp_path / "tmpdir"
    loose.mkdir()
    child = ("import os, sys; from helpers.publish import workers; workers.init_worker(sys.argv[1], sys.argv[2]); "
             "from jupyter_client.manager import KernelManager; km = KernelManager(); km.write_connection_file(); "
             "open(sys.argv[3], 'w').write(km.connection_file)")
    answer = tmp_path / "answer"
    run = subprocess.run([sys.executable, "-c", child, str(root), str(tmp_path / "kernels.log"), str(answer)],
                         capture_output=True, text=True, timeout=300,
                         env={**os.environ, "TMPDIR": str(loose), "PYTHONPATH": os.pathsep.join(sys.path)})
    assert run.returncode == 0, (tmp_path / "kernels.log").read_text(errors="replace")
    written = Path(answer.read_text())
    assert written.parent.parent == root and written.parent.name.startswith("w") and written.suffix == ".json"
    assert list(loose.iterdir()) == []
