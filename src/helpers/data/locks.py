"""Every file lock of the project, in one place:

- the **data lock** (:func:`data_lock`): one lock file beside the statistics table, shared by
  ``import``, ``build`` and ``render``, so no command reads the inputs while another replaces them;
- the **render lock** (:func:`render_lock`): ``<out>/<plan>/.render.lock``, one render of a plan
  at a time;
- the **archive lock** (:func:`archive_lock`): ``<out>/.archive.lock``, held while the archive page
  that lists every plan's sets is rewritten (two renders of different plans may finish at once).

``<folder of statistics.csv>/.helpers-data.lock`` (:func:`data_lock_path`), taken with
:mod:`filelock`, as the other two. The lock is
**exclusive** for every command, and each holds it only as long as it needs the files:

- ``import`` holds it from reading ``statistics.csv`` until the merged file is written (so two
  imports of different rows never lose one: the second waits, or exits 3 and writes nothing). A
  ``--dry-run`` takes no lock: it writes nothing, and it reads one file that is only ever replaced
  whole (atomically).
- ``build`` holds it while it reads and validates its inputs (a fraction of a second), not while
  it computes and writes ``data/processed/``. Exclusive rather than shared keeps one simple,
  portable mechanism; two builds at once only wait for each other's reading.
- ``render`` should hold it while it reads and validates its inputs into the snapshot every
  notebook uses (:func:`data_lock` is the hook for that).

When the lock is held, a command raises :class:`~helpers.exceptions.LockedError` (exit 3) at
once, or waits for it with ``wait=True`` (``--wait``). The lock is not reentrant: do not take it
twice in one process (a second :func:`data_lock` on the same file while the first is held fails,
or with ``wait`` waits forever).

A folder nobody may write (a read-only copy of the data) cannot hold a lock file, and cannot be
changed by an import either: readers (``build``, ``render``) then go on without the lock
(``required=False``); an import gets :class:`~helpers.exceptions.OutputError` naming the lock file.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from helpers.exceptions import LockedError

DATA_LOCK_NAME = ".helpers-data.lock"
#: The render lock of a plan's reports folder.
RENDER_LOCK_NAME = ".render.lock"
#: The archive lock of a reports root.
ARCHIVE_LOCK_NAME = ".archive.lock"


def data_lock_path(statistics_path: str | os.PathLike) -> Path:
    """The data lock file of a statistics table: ``.helpers-data.lock`` in its folder; for a
    symlinked table, in its target's folder (where the import writes)."""
    return Path(os.path.realpath(statistics_path)).parent / DATA_LOCK_NAME


@contextmanager
def data_lock(statistics_path: str | os.PathLike, wait: bool = False, required: bool = True,
              command: str = "this command") -> Iterator[Path | None]:
    """Hold the data lock of ``statistics_path`` for the ``with`` block; yields the lock file's
    path (``None`` when it could not be created and ``required`` is false).

    ``wait``: wait for another holder instead of raising LockedError (exit 3). ``required``:
    false for readers, which go on without a lock where no lock file can be created (read-only
    folder); true for writers, which then get OutputError. ``command`` names the caller in the
    LockedError message.
    """
    from filelock import FileLock, Timeout

    from helpers.data.fileio import output_error

    path = data_lock_path(statistics_path)
    lock = FileLock(str(path))
    try:
        lock.acquire(timeout=-1 if wait else 0)
    except Timeout:
        raise LockedError(
            f"{command}: the data in {path.parent} is in use by another import, build or render (lock {path} "
            "is held); re-run with --wait to wait for it") from None
    except OSError as exc:
        if required:
            raise output_error(path, exc) from None
        yield None
        return
    try:
        yield path
    finally:
        lock.release()


@contextmanager
def render_lock(plan_out: str | os.PathLike, wait: bool = False) -> Iterator[Path]:
    """Hold ``<plan_out>/.render.lock`` for the block: one render of a plan's reports at a time.
    Raises :class:`~helpers.exceptions.LockedError` (exit 3) when another render holds it, unless
    ``wait``."""
    from filelock import FileLock, Timeout

    path = Path(plan_out) / RENDER_LOCK_NAME
    lock = FileLock(str(path))
    try:
        lock.acquire(timeout=-1 if wait else 0)
    except Timeout:
        raise LockedError(f"another render is running (lock {path} is held); "
                          "re-run with --wait to wait for it") from None
    try:
        yield path
    finally:
        lock.release()


@contextmanager
def archive_lock(root: str | os.PathLike) -> Iterator[Path]:
    """Hold ``<root>/.archive.lock`` for the block (waits for another holder: rewriting the archive
    takes a moment)."""
    from filelock import FileLock

    path = Path(root) / ARCHIVE_LOCK_NAME
    with FileLock(str(path)):
        yield path
