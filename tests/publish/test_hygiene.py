"""Process and file hygiene of a render: a killed render leaves no process alive, SIGINT and
SIGTERM stop a render within seconds, orphaned temporary folders are removed, bad ``--out``
folders are messages. (Clean-up of a killed render's folders and ``.failed/``:
tests/test_publish.py.)"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers.publish import hygiene, sets as publish
from helpers.cli import main


def _descendants(pid: int) -> set[int]:
    import psutil

    try:
        return {p.pid for p in psutil.Process(pid).children(recursive=True)}
    except psutil.NoSuchProcess:
        return set()


def _start_render(out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "helpers", "render", "--out", str(out), "--date", "2031-01-01",
                             "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _is_kernel(pid: int) -> bool:
    """A fresh kernel (``-m ipykernel_launcher``) or one forked from the render's kernel template
    (a child of the template, with its command line: helpers.publish.kernels.engine)."""
    import psutil

    try:
        p = psutil.Process(pid)
        cmd = " ".join(p.cmdline())
        return "ipykernel" in cmd or ("helpers.publish.kernels.zygote" in cmd and "helpers.publish.kernels.zygote" in " ".join(p.parent().cmdline()))
    except (psutil.Error, AttributeError):
        return False


def _wait_for_kernels(proc: subprocess.Popen, timeout: float = 120) -> set[int]:
    """Wait until the render runs notebooks (some process of it is a kernel); its process tree."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        tree = _descendants(proc.pid)
        if any(_is_kernel(p) for p in tree):
            return tree
        if proc.poll() is not None:
            pytest.fail(f"render ended early: {proc.stderr.read()}")
        time.sleep(0.3)
    pytest.fail("no kernel started within the timeout")


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_stops_a_render_within_seconds_and_cleans_up(tmp_path, sig):
    proc = _start_render(tmp_path / "reports")
    tree = _wait_for_kernels(proc)
    t0 = time.monotonic()
    proc.send_signal(sig)
    proc.wait(timeout=30)
    assert time.monotonic() - t0 < 10
    assert proc.returncode in (130, 143)
    time.sleep(0.5)
    assert not [p for p in tree if _alive(p)]
    assert not [p for p in (tmp_path / "reports" / "fuyang").iterdir() if p.name.startswith(".tmp-")]


def _alive(pid: int) -> bool:
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.mark.slow
def test_a_killed_render_leaves_no_process_alive_after_10_s(tmp_path):
    proc = _start_render(tmp_path / "reports")
    tree = _wait_for_kernels(proc)
    proc.kill()
    proc.wait(timeout=10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and [p for p in tree if _alive(p)]:
        time.sleep(0.2)
    assert not [p for p in tree if _alive(p)]


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
    _wait_for_kernels(proc)
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
