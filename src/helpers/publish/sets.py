"""What a published report set is, and publishing one: the folder moves that make a render
all-or-nothing.

A **set** is a folder ``<out>/<plan>/YYYY-MM-DD/`` (:func:`is_set_folder`); it is **complete**
once it holds ``index.html`` (:func:`set_folders`); its ``set.json`` says what it was built from
(:func:`read_set_record`); the set a new one is compared with is :func:`previous_set`.

A render writes into ``<out>/.tmp-<date>-<pid>/`` (:mod:`helpers.publish.render`); this module then

- checks that the reports folder is a folder it can write to (:func:`check_out`, exit 2),
- tidies what a killed render left (:func:`clean_stale`): temporary folders, a set renamed
  aside (restored when it is the only copy of its date, never deleted), stray ``latest`` links,
- keeps a partial render (``--areas``) from unpublishing the other pages of its date
  (:func:`keep_unrendered_pages`),
- renames the temporary folder into place, the replaced set of that date renamed aside first and
  deleted only after (:func:`publish_set`),
- points ``<out>/latest`` (a relative symlink) at the newest complete set, swapped atomically
  (:func:`point_latest`; a real folder named ``latest`` is never replaced),
- and, when a render fails, keeps the failed executed notebook and the kernel log in
  ``<out>/.failed/``, the latest failure per notebook, never an empty file (:func:`keep_failed`).

``<out>`` is one plan's folder (``reports/<plan>/``); the caller holds its render lock.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path

from helpers.exceptions import Problem, ValidationError
from helpers.paths import ISO_DATE, ISO_DATE_RE

LATEST_NAME = "latest"
#: What a set was built from and what it found (written by :mod:`helpers.publish.pages`).
SET_RECORD = "set.json"
#: The set's copy of the trajectory and of its input files, which the next set compares with.
TRAJECTORY_FILE = "trajectory.csv"
SNAPSHOT_DIR = "inputs"
FAILED_DIR = ".failed"


def is_set_folder(path: Path) -> bool:
    """Whether ``path`` is a report set's folder: a real folder (not a symlink such as
    ``latest``) whose name has the shape of :data:`ISO_DATE_RE`. Whether the set is complete (its
    ``index.html``) is the caller's question; a missing path is not a set folder."""
    path = Path(path)
    return path.is_dir() and not path.is_symlink() and bool(ISO_DATE_RE.match(path.name))


def set_folders(plan_dir: Path, complete: bool = False) -> list[Path]:
    """The set folders (:func:`is_set_folder`) directly inside one plan's reports folder, newest
    first (by the date of their name). With ``complete``, only the complete sets: those holding
    an ``index.html`` file (a set being rendered or one that failed has none). ``plan_dir`` must
    exist (as with :meth:`Path.iterdir`, a missing folder raises ``FileNotFoundError``)."""
    found = sorted((p for p in Path(plan_dir).iterdir() if is_set_folder(p)), key=lambda p: p.name, reverse=True)
    return [p for p in found if (p / "index.html").is_file()] if complete else found


def read_set_record(folder: Path) -> dict:
    """A published set's ``set.json`` (:func:`set_record`); ``{}`` when it is missing, unreadable
    or not an object (a set written by an older version, or damaged)."""
    try:
        rec = json.loads((Path(folder) / SET_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return rec if isinstance(rec, dict) else {}


def previous_set(plan_dir: Path, date: str, method: str, geo: str) -> Path | None:
    """The newest set of ``plan_dir`` dated before ``date`` with the same method and geo that
    kept its snapshot; ``None`` when there is none."""
    plan_dir = Path(plan_dir)
    if not plan_dir.is_dir():
        return None
    for p in set_folders(plan_dir):
        if p.name >= date:
            continue
        rec = read_set_record(p)
        if rec.get("method") == method and rec.get("geo") == geo and (p / TRAJECTORY_FILE).is_file() \
                and (p / SNAPSHOT_DIR / "statistics.csv").is_file():
            return p
    return None


def _newest_set(out: Path) -> str | None:
    """The newest dated folder of ``out`` that holds a complete set (its index.html)."""
    complete = [p.name for p in set_folders(out, complete=True)]
    return complete[0] if complete else None


def point_latest(out: Path) -> None:
    """``out/latest`` -> the newest complete set, swapped atomically (relative symlink)."""
    newest = _newest_set(out)
    if newest is None:
        return
    link = out / LATEST_NAME
    if link.exists() and not link.is_symlink():
        return  # a real folder named "latest": never replace user data
    tmp = out / f".{LATEST_NAME}-{os.getpid()}"
    tmp.unlink(missing_ok=True)
    os.symlink(newest, tmp)
    os.replace(tmp, link)


def keep_unrendered_pages(final: Path, work: Path, prep) -> list[str]:
    """A partial render (``--areas``) into a date that already has a set: copy that set's other
    report pages (and their notebooks) into the new one, so no published page disappears; the
    index is recomputed for every area from this render's inputs. Returns the kept page names."""
    if not final.is_dir():
        return []
    done = {j.key for j in prep.jobs}
    kept = []
    for page in sorted(final.glob("*.html")):
        key = page.stem
        if key in done or key in ("index", "changes", "sources") or (work / page.name).exists():
            continue
        shutil.copy2(page, work / page.name)
        nb = final / f"{key}.ipynb"
        if nb.is_file():
            shutil.copy2(nb, work / nb.name)
        kept.append(page.name)
    return kept


def publish_set(work: Path, final: Path) -> None:
    """Rename the finished temporary folder into place; an existing set of that date is
    renamed aside first and deleted only after the new one is in place."""
    old = None
    if final.exists():
        old = final.parent / f".old-{final.name}-{os.getpid()}"
        os.rename(final, old)
    try:
        os.rename(work, final)
    except BaseException:
        if old is not None:
            os.rename(old, final)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


_OLD_RE = re.compile(rf"^\.old-({ISO_DATE})-\d+$")


def keep_failed(src: Path, failed_dir: Path, name: str) -> Path | None:
    """Keep a failed notebook (or the kernel log) as ``.failed/<name>``: the latest failure per
    notebook replaces the previous one, and an empty file (e.g. written on a full disk) is not
    kept. Best effort: a folder we cannot write to keeps nothing rather than hiding the error."""
    try:
        if not src.is_file() or src.stat().st_size == 0:
            return None
        failed_dir.mkdir(exist_ok=True)
        dest = failed_dir / name
        shutil.move(str(src), dest)
        return dest
    except OSError:
        return None


def check_out(out: Path) -> None:
    """The reports folder must be a folder we can write to; say so plainly otherwise (exit 2)."""
    problem = None
    if out.exists() and not out.is_dir():
        problem = "exists and is not a folder"
    else:
        try:
            out.mkdir(parents=True, exist_ok=True)
            probe = tempfile.NamedTemporaryFile(dir=out, prefix=".write-test-", delete=True)
            probe.close()
        except OSError as exc:
            problem = f"cannot be written to ({exc.strerror or exc})"
    if problem:
        raise ValidationError([Problem(str(out), None, "--out", f"the reports folder {problem}")])


def clean_stale(out: Path) -> None:
    """Tidy what a killed render left (we hold the lock, so no other render is using it):
    temporary folders go; a set renamed aside (``.old-<date>-<pid>``) whose date has no set any
    more (killed between the two renames of publishing) is put back, never deleted; an aside
    copy of a date that has its set again is removed."""
    for p in sorted(out.iterdir()):
        if p.is_dir() and not p.is_symlink() and p.name.startswith(".tmp-"):
            shutil.rmtree(p, ignore_errors=True)
        elif p.is_dir() and not p.is_symlink() and p.name.startswith(".old-"):
            m = _OLD_RE.match(p.name)
            if m and not (out / m.group(1)).exists():
                os.rename(p, out / m.group(1))  # the only copy of that set: restore it
            else:
                shutil.rmtree(p, ignore_errors=True)
        elif p.is_symlink() and p.name.startswith(f".{LATEST_NAME}-"):
            p.unlink(missing_ok=True)
