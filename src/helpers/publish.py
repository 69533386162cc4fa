"""Publishing a finished report set: the folder moves that make a render all-or-nothing.

A render writes into ``<out>/.tmp-<date>-<pid>/`` (:mod:`helpers.render`); this module then

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

import os
import re
import shutil
import tempfile
from pathlib import Path

from helpers.exceptions import Problem, ValidationError
from helpers.paths import ISO_DATE, set_folders

LATEST_NAME = "latest"
FAILED_DIR = ".failed"


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
        if key in done or key in ("index", "changes") or (work / page.name).exists():
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
