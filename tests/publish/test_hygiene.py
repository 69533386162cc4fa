"""Process and file hygiene of a render: interrupted renders (signals, kill -9) exit, leave no
process alive and no damaged set (fault injection: tests/interrupt_trials.py), orphaned
temporary folders are removed, bad ``--out`` folders are messages. (Clean-up of a killed
render's folders and ``.failed/``: tests/publish/test_sets.py.)"""

from __future__ import annotations

import subprocess
import sys

import pytest

from helpers.publish import hygiene, sets as publish
from helpers.cli import main


@pytest.mark.slow
def test_interrupted_renders_exit_leave_no_process_and_keep_the_published_sets(tmp_path, monkeypatch):
    """Fault injection (issue 23): renders interrupted by SIGINT, SIGTERM, kill -9 of a worker and
    kill -9 of the render, at moments in different phases (while the parent prepares, while
    kernels run notebooks, as a render ends); each must exit within a generous liveness limit
    (interrupt_trials.EXIT_LIMIT, 60 s), leave no process of its tree running and leave the
    published set and ``latest`` as they were; the next render succeeds. ``make soak`` runs many
    more (benchmarks/soak_interrupts.py)."""
    import interrupt_trials as it

    monkeypatch.setenv("HELPERS_RENDER_REUSE", "0")  # every trial executes notebooks
    out = tmp_path / "reports"
    subprocess.run(it.render_command(out, "2031-01-01"), check=True, stdout=subprocess.DEVNULL)
    trials = [("SIGTERM", 0.5), ("SIGINT", "kernels"), ("KILL_WORKER", "kernels"), ("KILL_PARENT", "kernels"),
              ("SIGTERM", "kernels+2")]
    results = [it.run_trial(out, f"2031-02-{i + 1:02d}", how, at) for i, (how, at) in enumerate(trials)]
    for r in results:
        assert r.exited, f"{r.how} at {r.at}: the render did not exit within {it.EXIT_LIMIT} s"
        assert not r.survivors, f"{r.how} at {r.at}: processes left running: {r.survivors}"
        assert not r.damaged, f"{r.how} at {r.at}: published sets damaged: {r.damaged}"
        assert r.ok, (r.how, r.at, r.returncode, r.stderr)
    assert sum(r.interrupted for r in results) >= 4  # the event-timed ones always catch a running render
    subprocess.run(it.render_command(out, "2031-03-01"), check=True, stdout=subprocess.DEVNULL)
    assert (out / "fuyang" / "latest").resolve().name == "2031-03-01"
    assert not [p for p in (out / "fuyang").iterdir() if p.name.startswith(".tmp-")]


def test_orphaned_temporary_folders_of_dead_renders_are_removed(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / f"hk-{dead.pid}-abc").mkdir()
    (tmp_path / "hk-1-live").mkdir()  # pid 1 is always running
    (tmp_path / "hk-notapid").mkdir()
    removed = hygiene.clean_orphans(str(tmp_path), ("hk-",))
    assert removed == [str(tmp_path / f"hk-{dead.pid}-abc")]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hk-1-live", "hk-notapid"]


def test_out_that_is_a_file_or_unwritable_is_a_message(tmp_path, capsys, monkeypatch):
    a_file = tmp_path / "reports"
    a_file.write_text("not a folder")
    assert main(["render", "--out", str(a_file), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "exists and is not a folder" in err and "Traceback" not in err

    def refuse(*_a, **_k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(publish.tempfile, "NamedTemporaryFile", refuse)
    assert main(["render", "--out", str(tmp_path / "ro"), "--quiet"]) == 2
    assert "cannot be written to (Permission denied)" in capsys.readouterr().err


@pytest.mark.slow
def test_an_import_during_a_render_leaves_the_set_on_one_snapshot(tmp_path):
    """SYNTHETIC plan: while the notebooks run, an import adds a value; every page of the set
    still comes from the reading the render validated (the set's own inputs/ copy), and the
    statistics file does hold the new value afterwards."""
    from test_any_plan import write_plan

    folder = write_plan(tmp_path / "synprov_plan")
    before = (folder / "statistics.csv").read_text(encoding="utf-8")
    out = tmp_path / "reports"
    proc = subprocess.Popen([sys.executable, "-m", "helpers", "render", "--plan", str(folder), "--out", str(out),
                             "--date", "2031-02-02", "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    import interrupt_trials as it

    assert it.wait_for_kernel(proc), "the render ended or started no kernel"
    filled = tmp_path / "filled.csv"
    filled.write_text("indicator_id,year,value,source_title,source_url\n"
                      "P1,2016,5123.5,synthetic yearbook 2017,https://example.org/syn2017\n", encoding="utf-8")
    assert main(["import", str(filled), "--plan", str(folder), "--wait"]) == 0
    assert proc.wait(timeout=300) == 0, proc.stderr.read()
    assert "P1,synprov,2016,5123.5," in (folder / "statistics.csv").read_text(encoding="utf-8")
    the_set = out / "synprov_plan" / "2031-02-02"
    assert (the_set / "inputs" / "statistics.csv").read_text(encoding="utf-8") == before
    pages = {p.name: p.read_text(encoding="utf-8") for p in the_set.glob("*.html")}
    for name, html in pages.items():
        assert "5123.5" not in html and "5,123.5" not in html, f"{name} used the file changed during the render"
