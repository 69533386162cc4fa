"""Process hygiene of a render: no orphaned workers or kernels, no leaked temporary folders.

- :func:`kill_tree` — end a process and everything it started (workers and their kernels);
- :func:`watch_parent` — run in each spawned worker: when the render that started it dies (even
  by ``kill -9``), the worker ends its kernels, removes the render's temporary folders and exits;
- :func:`clean_orphans` — remove temporary folders named ``<prefix><pid>-…`` of renders whose
  process is gone (killed before their workers could clean up);
- :func:`terminate_on_signals` — while a render runs, SIGTERM (and SIGHUP) raise
  :class:`helpers.exceptions.Interrupted` in the main thread, as Ctrl-C raises KeyboardInterrupt, so the render's
  ``finally`` blocks stop the workers and clean up within seconds.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import threading
import time
from typing import Iterable, Iterator

from helpers.exceptions import Interrupted

#: How often a worker checks that its render is still alive (seconds).
WATCH_INTERVAL = 1.0


def kill_tree(pid: int, include_self: bool = True, timeout: float = 3.0) -> None:
    """SIGTERM ``pid``'s descendants (and ``pid``), then SIGKILL whatever is left after
    ``timeout`` seconds. Processes that are already gone are ignored.

    It never reaps (waits on) a process: a process's exit status is its parent's to collect. A
    render's pool workers are reaped by the pool; were they reaped here, the pool's manager
    thread would see ``waitpid`` fail with ECHILD, which :mod:`multiprocessing` reads as "still
    running", and it would spin for ever at exit (issue 23). So it only watches: a process that
    has exited (a zombie) counts as gone."""
    import psutil

    try:
        root = psutil.Process(pid)
        procs = root.children(recursive=True) + ([root] if include_self else [])
    except psutil.NoSuchProcess:
        return
    for p in procs:
        with contextlib.suppress(psutil.Error):
            p.terminate()
    alive = _wait_gone(procs, timeout)
    for p in alive:
        with contextlib.suppress(psutil.Error):
            p.kill()
    _wait_gone(alive, timeout)


def _wait_gone(procs: list, timeout: float) -> list:
    """Wait up to ``timeout`` seconds until every process has exited, without reaping any; the
    ones still running."""
    import psutil

    def running(p) -> bool:
        try:
            return p.status() != psutil.STATUS_ZOMBIE
        except psutil.Error:  # gone (or no longer ours to see)
            return False

    deadline = time.monotonic() + timeout
    alive = [p for p in procs if running(p)]
    while alive and time.monotonic() < deadline:
        time.sleep(0.05)
        alive = [p for p in alive if running(p)]
    return alive


def watch_parent(cleanup: Iterable[str]) -> threading.Thread:
    """Start a daemon thread in this (worker) process: once the parent has gone (this process
    was re-parented), end this process's children (its kernels), remove ``cleanup`` folders and
    exit at once."""
    import multiprocessing

    # The pid of the process that started this one (it may be gone already: a render killed
    # while its workers were starting), else the current parent.
    started_by = multiprocessing.parent_process()
    parent = started_by.pid if started_by is not None and started_by.pid else os.getppid()
    folders = [str(c) for c in cleanup if c]

    def watch() -> None:
        while True:
            time.sleep(WATCH_INTERVAL)
            if os.getppid() != parent:
                kill_tree(os.getpid(), include_self=False, timeout=1.0)
                for f in folders:
                    shutil.rmtree(f, ignore_errors=True)
                os._exit(1)

    thread = threading.Thread(target=watch, name="watch-parent", daemon=True)
    thread.start()
    return thread


@contextlib.contextmanager
def terminate_on_signals() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise :class:`helpers.exceptions.Interrupted` (main thread only; a
    no-op elsewhere). The previous handlers are restored afterwards."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, _frame):
        raise Interrupted(f"received {signal.Signals(signum).name}")

    old = {s: signal.signal(s, handler) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)


def clean_orphans(folder: str, prefixes: Iterable[str]) -> list[str]:
    """Remove ``folder/<prefix><pid>-*`` directories whose ``pid`` is no longer running;
    returns what was removed."""
    import re
    from pathlib import Path

    removed = []
    for prefix in prefixes:
        pattern = re.compile(re.escape(prefix) + r"(\d+)-")
        for p in Path(folder).glob(f"{prefix}*"):
            m = pattern.match(p.name)
            if not (m and p.is_dir()) or int(m.group(1)) == os.getpid():
                continue
            try:
                os.kill(int(m.group(1)), 0)
                continue  # still running
            except ProcessLookupError:
                pass
            except PermissionError:
                continue  # someone else's process
            shutil.rmtree(p, ignore_errors=True)
            removed.append(str(p))
    return removed
