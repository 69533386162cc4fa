"""Atomic writes: write to a temporary file in the destination folder, then rename.

A reader (or a crash) never sees a half-written file, and an existing file is only replaced
once the new one is complete.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically; create parent folders. Returns the path.

    The file gets the permissions an ordinary ``open(path, "w")`` would give (``0o666`` less the
    umask), not the private ``0o600`` of :func:`tempfile.mkstemp`.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
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
