"""Atomic writes: write to a temporary file in the destination folder, then rename.

A reader (or a crash) never sees a half-written file, and an existing file is only replaced
once the new one is complete.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import pandas as pd

# Exclusive create, never through a symlink; O_BINARY/O_CLOEXEC where the platform has them.
_TEMP_FLAGS = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
               | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
_TEMP_ATTEMPTS = 100


def _create_temp(path: Path) -> tuple[int, Path]:
    """Create a new empty file ``.<name>.<random>.tmp`` beside ``path``; returns (fd, its path).

    Mode ``0o666`` is given to :func:`os.open`, so the kernel applies the umask itself: the file
    gets the permissions an ordinary ``open(path, "w")`` would give, and the umask is never read
    by setting it (which would race with other threads creating files).
    """
    for _ in range(_TEMP_ATTEMPTS):
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
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
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _create_temp(path)
    try:
        try:
            rest = memoryview(data)
            while rest:  # os.write may write less than asked
                rest = rest[os.write(fd, rest):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def atomic_write_text(path: str | os.PathLike, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` atomically (UTF-8, ``\\n`` line ends)."""
    return atomic_write_bytes(path, text.encode(encoding))


def atomic_write_csv(df: pd.DataFrame, path: str | os.PathLike, **to_csv_kwargs) -> Path:
    """Write a DataFrame as UTF-8 CSV atomically, without the index, with ``\\n`` line ends.

    Output is deterministic for the same frame (no timestamps), so rebuilt files are
    byte-identical.
    """
    to_csv_kwargs.setdefault("index", False)
    to_csv_kwargs.setdefault("lineterminator", "\n")
    text = df.to_csv(**to_csv_kwargs)
    return atomic_write_text(path, text)
