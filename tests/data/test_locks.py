"""helpers.data.locks: the data lock shared by import, build (and render), on SYNTHETIC inputs.

The concurrency test forks two processes that import different filled templates into the same
statistics file at the same moment, several times: each import either keeps its row or exits 3
having written nothing, and no row is ever lost (issue 14.1).
"""

from __future__ import annotations

import multiprocessing
import threading
import time

import pytest

import synthetic_inputs as syn
from helpers.data import load, locks
from helpers.cli import main
from helpers.data.template import write_template

BEDS = "health.beds_per_1000"
JOBS = "employment.new_jobs"


def _setup(folder):
    t, s = syn.write_inputs(folder / "raw")
    inputs = load.load_inputs(t, s)
    templates = []
    for name, cells in (("a", {(BEDS, 2017): {"value": "4.3", "source_title": "synthetic a"}}),
                        ("b", {(JOBS, 2019): {"value": "4.4", "source_title": "synthetic b"}})):
        tpl = write_template(folder / f"{name}.csv", inputs.targets, inputs.statistics, inputs.meta) is not None
        assert tpl
        syn.fill_template(folder / f"{name}.csv", cells)
        templates.append(folder / f"{name}.csv")
    return t, s, templates


def _rows(s):
    stats = load.load_statistics(s)
    return {(r.indicator_id, r.year) for r in stats.itertuples()}


def _child(barrier, argv, codes, i):
    import contextlib
    import io

    barrier.wait()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        codes[i] = main(argv)


def _race(t, s, templates, wait: bool) -> list[int]:
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(2)
    codes = ctx.Array("i", [-1, -1])
    extra = ["--wait"] if wait else []
    procs = [ctx.Process(target=_child, args=(barrier, ["import", str(tpl), "--targets", str(t), "--statistics", str(s),
                                                        *extra], codes, i))
             for i, tpl in enumerate(templates)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)  # liveness only: an import that takes this long has hung
        assert p.exitcode == 0, "a child crashed or hung"
    return list(codes)


@pytest.mark.parametrize("wait", [False, True], ids=["exit3", "wait"])
def test_two_concurrent_imports_never_lose_a_row(tmp_path, wait):
    t, s, templates = _setup(tmp_path)
    original = s.read_bytes()
    before = _rows(s)
    started = time.perf_counter()
    trials = 4 if not wait else 1
    outcomes = []
    for _ in range(trials):
        s.write_bytes(original)
        codes = _race(t, s, templates, wait)
        outcomes.append(tuple(codes))
        assert set(codes) <= {0, 3} and 0 in codes, codes
        if wait:
            assert codes == [0, 0]
        expected = set(before)
        if codes[0] == 0:
            expected.add((BEDS, 2017))
        if codes[1] == 0:
            expected.add((JOBS, 2019))
        assert _rows(s) == expected  # every import that said "wrote" kept its row; an exit 3 wrote nothing
        assert not list(s.parent.glob(".*.tmp"))
    assert time.perf_counter() - started < 300, outcomes  # liveness, not speed: nothing waited for ever
    print(f"outcomes {outcomes} in {time.perf_counter() - started:.1f} s")


def test_import_while_the_lock_is_held_exits_3_and_writes_nothing(tmp_path, capsys):
    t, s, (a, _) = _setup(tmp_path)
    before = s.read_bytes()
    with locks.data_lock(s, command="test holder") as path:
        assert path == s.parent / ".helpers-data.lock"
        assert main(["import", str(a), "--targets", str(t), "--statistics", str(s)]) == 3
        err = capsys.readouterr().err
        assert f"import: the data in {s.parent} is in use by another import, build or render (lock {path} is held)" in err
        assert "--wait" in err
        # a dry run takes no lock
        assert main(["import", str(a), "--targets", str(t), "--statistics", str(s), "--dry-run"]) == 0
        assert main(["build", "--targets", str(t), "--statistics", str(s), "--out-dir", str(tmp_path / "out")]) == 3
        assert not (tmp_path / "out").exists()
    assert s.read_bytes() == before
    capsys.readouterr()


def test_wait_waits_for_the_holder(tmp_path, capsys):
    t, s, (a, _) = _setup(tmp_path)
    held = threading.Event()

    def hold():
        with locks.data_lock(s):
            held.set()
            time.sleep(0.8)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(5)
    t0 = time.perf_counter()
    assert main(["import", str(a), "--targets", str(t), "--statistics", str(s), "--wait"]) == 0
    assert time.perf_counter() - t0 > 0.3  # it waited for the holder
    assert main(["build", "--targets", str(t), "--statistics", str(s), "--out-dir", str(tmp_path / "out"), "--wait"]) == 0
    holder.join()
    assert (BEDS, 2017) in _rows(s)
    capsys.readouterr()


def test_readers_go_on_without_a_lock_where_none_can_be_made(tmp_path, monkeypatch):
    """A read-only data folder: build reads without the lock; an import (which could not write
    there either) gets an OutputError naming the lock file."""
    import errno

    import filelock

    from helpers.exceptions import OutputError

    t, s, (a, _) = _setup(tmp_path)

    def refuse(self, *args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", self.lock_file)

    monkeypatch.setattr(filelock.FileLock, "acquire", refuse)
    with locks.data_lock(s, required=False) as path:
        assert path is None
    with pytest.raises(OutputError, match=r"\.helpers-data\.lock: cannot write: read-only file system"):
        with locks.data_lock(s):
            pass
