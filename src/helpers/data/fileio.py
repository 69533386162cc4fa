"""Atomic writes: write to a temporary file in the destination folder, then rename.

A reader (or a crash) never sees a half-written file, and an existing file is only replaced
once the new one is complete.

Every table a spreadsheet may open is written through :func:`neutralise_frame` (OWASP's rule
against CSV/formula injection): a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return gets a leading apostrophe ``'``, so no spreadsheet evaluates it. Numbers are
never touched (``-2.5`` stays a number). :func:`unneutralise_frame` undoes it when such a file
is read back (the template import). A lone carriage return inside text is written as a line
break, so the cell stays one quoted cell.

Outputs of the command line: :func:`check_output_file` / :func:`check_output_dir` refuse a path
that cannot be written before anything is computed, and :func:`writing` turns an ``OSError``
while writing (read-only folder, full disk) into :class:`~helpers.exceptions.OutputError` (exit
2) naming the file and the operating system's reason.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from helpers.exceptions import OutputError

# Exclusive create, never through a symlink; O_BINARY/O_CLOEXEC where the platform has them.
_TEMP_FLAGS = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
               | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
_TEMP_ATTEMPTS = 100

#: A text cell starting with one of these may be evaluated by a spreadsheet (OWASP).
FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
_TRIGGER_RE = r"^[=+\-@\t\r]"
_NEUTRALISED_RE = r"^'[=+\-@\t\r]"


_LONE_CR = re.compile(r"\r(?!\n)")


def neutralise_cell(value: object) -> object:
    """``value`` with a leading ``'`` when it is text starting with a formula trigger
    (:data:`FORMULA_TRIGGERS`); anything else (numbers, NA, other text) unchanged.

    A lone carriage return inside text becomes a line break (``\\n``): Python's CSV writer
    would leave it unquoted and a spreadsheet would start a new row there."""
    if isinstance(value, str):
        hit = value.startswith(FORMULA_TRIGGERS)
        if "\r" in value:
            value = _LONE_CR.sub("\n", value)
        return "'" + value if hit else value
    return value


def _text_columns(df: pd.DataFrame) -> list:
    return [c for c in df.columns if df[c].dtype == object or isinstance(df[c].dtype, pd.StringDtype)]


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``df`` with :func:`neutralise_cell` applied to every text cell (vectorised for
    "string" columns; object columns cell by cell, so numbers in them stay numbers)."""
    out = df.copy()
    for c in _text_columns(df):
        s = df[c]
        if isinstance(s.dtype, pd.StringDtype):
            hit = s.str.contains(_TRIGGER_RE, regex=True).fillna(False).astype(bool)
            if s.str.contains("\r", regex=False).fillna(False).any():
                s = s.str.replace(_LONE_CR, "\n", regex=True)
            out[c] = s.mask(hit, "'" + s) if hit.any() else s
        else:
            out[c] = s.map(neutralise_cell)
    return out


def unneutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Undo :func:`neutralise_frame` on a frame of text cells: ``'=...`` becomes ``=...`` again
    (which the validation then refuses as a formula where it is one)."""
    out = df.copy()
    for c in _text_columns(df):
        s = df[c].astype("string")
        hit = s.str.contains(_NEUTRALISED_RE, regex=True).fillna(False).astype(bool)
        if hit.any():
            out[c] = s.mask(hit, s.str.slice(1))
    return out


#: A temporary file of this package: ``.<name>.<pid>-<random>.tmp`` (``.<name>.<random>.tmp``
#: before issue 23, without the writer's process id).
_TEMP_RE = re.compile(r"\.(?P<name>.+)\.(?:(?P<pid>\d+)-)?[0-9a-f]{12}\.tmp")
#: An old temporary file without a process id is left alone for this long (seconds).
_LEGACY_TEMP_AGE = 3600


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: it exists, owned by another user
        return True
    return True


def remove_stale_temps(path: Path) -> list[Path]:
    """Remove the temporary files beside ``path`` that a killed writer of ``path`` left behind
    (its process id names a process that no longer exists; an old-style name without one, when
    older than an hour). A live writer's temporary file is never touched. Returns the removed."""
    import time

    removed = []
    try:
        candidates = list(path.parent.glob(f".{glob_escape(path.name)}.*.tmp"))
    except OSError:
        return removed
    for tmp in candidates:
        m = _TEMP_RE.fullmatch(tmp.name)
        if not m or m["name"] != path.name:
            continue
        try:
            if m["pid"] is not None:
                stale = int(m["pid"]) != os.getpid() and not _pid_alive(int(m["pid"]))
            else:
                stale = time.time() - tmp.lstat().st_mtime > _LEGACY_TEMP_AGE
            if stale:
                tmp.unlink()
                removed.append(tmp)
        except OSError:
            continue
    return removed


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


def _create_temp(path: Path) -> tuple[int, Path]:
    """Create a new empty file ``.<name>.<pid>-<random>.tmp`` beside ``path``; returns (fd, its
    path). Temporary files of killed writers of ``path`` are removed first
    (:func:`remove_stale_temps`): a write killed mid-way leaves one, the next write clears it.

    Mode ``0o666`` is given to :func:`os.open`, so the kernel applies the umask itself: the file
    gets the permissions an ordinary ``open(path, "w")`` would give, and the umask is never read
    by setting it (which would race with other threads creating files).
    """
    remove_stale_temps(path)
    for _ in range(_TEMP_ATTEMPTS):
        tmp = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(6)}.tmp")
        try:
            return os.open(tmp, _TEMP_FLAGS, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary file name beside {path} after {_TEMP_ATTEMPTS} attempts")


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically; create parent folders. Returns the path.

    The file gets the permissions an ordinary ``open(path, "w")`` would give (``0o666`` less the
    umask), also when it replaces a file that had other permissions. On any error (disk full,
    interrupted) the temporary file is removed and an existing ``path`` is left as it was.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = _create_temp(path)
    except OSError as exc:
        exc.output_path = str(path)
        raise
    try:
        try:
            rest = memoryview(data)
            while rest:  # os.write may write less than asked
                rest = rest[os.write(fd, rest):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            exc.output_path = str(path)  # the file meant, not the temporary one
        raise
    return path


def atomic_write_many(items: dict[str | os.PathLike, bytes]) -> list[Path]:
    """Write several files as one step, as far as a file system allows: every file is first
    written completely to a temporary file beside it (and synced); only when all of them are
    written are they renamed into place. A failure while writing (full disk, read-only folder)
    removes every temporary file and leaves every destination as it was. Returns the paths.
    The destinations' folders must exist."""
    temps: list[tuple[Path, Path]] = []
    path = None
    try:
        for path, data in items.items():
            path = Path(path)
            fd, tmp = _create_temp(path)
            temps.append((tmp, path))
            try:
                rest = memoryview(data)
                while rest:
                    rest = rest[os.write(fd, rest):]
                os.fsync(fd)
            finally:
                os.close(fd)
        for tmp, path in temps:
            os.replace(tmp, path)
    except BaseException as exc:
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError) and path is not None:
            exc.output_path = str(path)
        raise
    return [dest for _, dest in temps]


# ------------------------------------------------------------------- output errors as messages

_REASONS = {
    errno.EACCES: "permission denied (the folder is not writable for you)",
    errno.EPERM: "operation not permitted",
    errno.EROFS: "read-only file system",
    errno.ENOSPC: "no space left on device (the disk is full)",
    errno.EDQUOT: "disk quota exceeded",
    errno.EISDIR: "this is a folder; give a file name",
    errno.ENOENT: "the folder does not exist",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EFBIG: "file too large",
    errno.ENAMETOOLONG: "file name too long",
}


def output_error(path: str | os.PathLike, exc: OSError) -> OutputError:
    """``exc`` (raised while writing ``path``) as an :class:`~helpers.exceptions.OutputError`
    naming the path and the operating system's reason."""
    path = getattr(exc, "output_path", None) or path
    code = errno.errorcode.get(exc.errno or 0)
    told = exc.strerror or str(exc)
    reason = _REASONS.get(exc.errno, told)
    if reason != told:
        reason = f"{reason} [{told}{', ' + code if code else ''}]"
    return OutputError(path, f"{reason}; nothing was written (an existing file is unchanged)")


@contextmanager
def writing(path: str | os.PathLike):
    """Turn an :class:`OSError` raised inside the block into an :class:`OutputError` for ``path``."""
    try:
        yield
    except OSError as exc:
        raise output_error(path, exc) from None


def check_output_file(path: str | os.PathLike, make_folder: bool = False) -> Path:
    """Refuse, before anything is computed, an output ``path`` that cannot be a file: an existing
    folder, a folder that does not exist (with ``make_folder`` a missing folder is fine when its
    parent exists: the write creates one level, never a whole chain from a typo), a parent that
    is a file. Creates nothing. Raises :class:`OutputError`; returns the path."""
    path = Path(path)
    if path.is_dir():
        raise OutputError(path, "this is a folder; give a file name")
    check_output_dir(path.parent, make=make_folder, create=False)
    return path


def check_output_dir(folder: str | os.PathLike, make: bool = True, create: bool = True) -> Path:
    """The output ``folder`` exists as a folder, or (``make``) may be made because its parent
    exists, and then is created (``create``); otherwise :class:`OutputError` naming it."""
    folder = Path(folder)
    if folder.is_dir():
        return folder
    if folder.exists() or folder.is_symlink():
        raise OutputError(folder, "this is not a folder (a file or a broken link is in the way)")
    if not make:
        raise OutputError(folder, "the folder does not exist; create it first or choose another path")
    if not folder.parent.is_dir():
        raise OutputError(folder, f"the folder does not exist and neither does its parent {folder.parent}; "
                                  "create it first or choose another path")
    if create:
        with writing(folder):
            folder.mkdir(exist_ok=True)
    return folder


def atomic_write_text(path: str | os.PathLike, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` atomically (UTF-8, ``\\n`` line ends)."""
    return atomic_write_bytes(path, text.encode(encoding))


def atomic_write_csv(df: pd.DataFrame, path: str | os.PathLike, **to_csv_kwargs) -> Path:
    """Write a DataFrame as UTF-8 CSV atomically, without the index, with ``\\n`` line ends.

    Text cells are neutralised first (:func:`neutralise_frame`), so a spreadsheet opening the
    file evaluates no cell. Output is deterministic for the same frame (no timestamps), so
    rebuilt files are byte-identical.
    """
    return atomic_write_bytes(path, csv_bytes(df, **to_csv_kwargs))


def csv_bytes(df: pd.DataFrame, **to_csv_kwargs) -> bytes:
    """``df`` as :func:`atomic_write_csv` writes it (neutralised text, no index, ``\\n``), UTF-8."""
    to_csv_kwargs.setdefault("index", False)
    to_csv_kwargs.setdefault("lineterminator", "\n")
    return neutralise_frame(df).to_csv(**to_csv_kwargs).encode("utf-8")


def text_cells_as_text(ws) -> None:
    """Every text cell of ``ws`` is stored as a string (data type ``s``), never as a formula;
    one starting with a formula trigger also gets Excel's quote prefix (shown as typed, and
    still text after the cell is edited)."""
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
                if cell.value.startswith(FORMULA_TRIGGERS):
                    cell.quotePrefix = True
