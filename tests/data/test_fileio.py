"""helpers.data.fileio: atomic writes keep ordinary permissions, never leave a half-written file or a
temporary file behind, and never touch the process umask. Data here is synthetic."""

from __future__ import annotations

import os
import resource
import stat
from pathlib import Path

import pandas as pd
import pytest

from helpers.data import fileio


@pytest.fixture
def umask():
    """Set a umask for one test and restore the previous one afterwards."""
    old = os.umask(0o022)
    os.umask(old)
    yield os.umask
    os.umask(old)


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.parametrize("mask, expected", [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600), (0o002, 0o664)])
def test_new_file_gets_ordinary_permissions(tmp_path, umask, mask, expected):
    umask(mask)
    out = fileio.atomic_write_bytes(tmp_path / "sub" / "a.csv", b"x,y\n1,2\n")
    assert out == tmp_path / "sub" / "a.csv"
    assert out.read_bytes() == b"x,y\n1,2\n"
    assert _mode(out) == expected
    assert sorted(p.name for p in out.parent.iterdir()) == ["a.csv"]


def test_replaced_file_gets_ordinary_permissions_not_the_old_ones(tmp_path, umask):
    path = tmp_path / "a.txt"
    path.write_bytes(b"old")
    path.chmod(0o600)
    umask(0o022)
    fileio.atomic_write_text(path, "新")
    assert path.read_bytes() == "新".encode("utf-8")
    assert _mode(path) == 0o644


def test_the_umask_is_never_set(tmp_path, monkeypatch):
    """Reading the umask by setting it races with other threads; the write must not call it."""
    def refuse(_mask):
        raise AssertionError("os.umask called")

    monkeypatch.setattr(os, "umask", refuse)
    fileio.atomic_write_bytes(tmp_path / "a.bin", b"\x00\x01")
    assert (tmp_path / "a.bin").read_bytes() == b"\x00\x01"


@pytest.fixture
def file_size_limit():
    """Lower the soft RLIMIT_FSIZE for one test: a write past it fails with EFBIG after the bytes
    below the limit were written (Python ignores SIGXFSZ), i.e. a real failure mid-way."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)

    def set_limit(n: int) -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (n, hard))

    yield set_limit
    resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))


def test_failed_write_keeps_old_file_and_leaves_no_temp(tmp_path, file_size_limit):
    path = tmp_path / "statistics.csv"
    path.write_bytes(b"old content\n")
    file_size_limit(4096)
    with pytest.raises(OSError):
        fileio.atomic_write_bytes(path, b"n" * 10_000)
    file_size_limit(resource.RLIM_INFINITY)
    assert path.read_bytes() == b"old content\n"
    assert [p.name for p in tmp_path.iterdir()] == ["statistics.csv"]


def test_failed_write_of_a_new_file_creates_nothing(tmp_path, file_size_limit):
    file_size_limit(100)
    with pytest.raises(OSError):
        fileio.atomic_write_text(tmp_path / "new.txt", "z" * 1000)
    file_size_limit(resource.RLIM_INFINITY)
    assert list(tmp_path.iterdir()) == []


def test_failed_rename_keeps_old_file_and_leaves_no_temp(tmp_path, monkeypatch):
    path = tmp_path / "a.txt"
    path.write_bytes(b"old")

    def fail(src, dst):
        assert os.path.getsize(src) == 3  # the complete new content was in the temporary file
        raise OSError("synthetic rename failure")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="synthetic rename failure"):
        fileio.atomic_write_bytes(path, b"new")
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_data_that_is_not_bytes_leaves_nothing(tmp_path):
    with pytest.raises(TypeError):
        fileio.atomic_write_bytes(tmp_path / "a.txt", "text, not bytes")  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_empty_data_writes_an_empty_file(tmp_path):
    fileio.atomic_write_bytes(tmp_path / "empty", b"")
    assert (tmp_path / "empty").read_bytes() == b""


def test_temp_name_collision_is_retried(tmp_path, monkeypatch):
    """An existing file with the drawn temporary name is never opened or removed."""
    tokens = iter(["aaaaaaaaaaaa", "aaaaaaaaaaaa", "bbbbbbbbbbbb"])
    monkeypatch.setattr(fileio.secrets, "token_hex", lambda n: next(tokens))
    fileio.atomic_write_bytes(tmp_path / "a", b"first")
    squatter = tmp_path / f".a.{os.getpid()}-aaaaaaaaaaaa.tmp"
    squatter.write_bytes(b"someone else's")
    fileio.atomic_write_bytes(tmp_path / "a", b"second")
    assert (tmp_path / "a").read_bytes() == b"second"
    assert squatter.read_bytes() == b"someone else's"
    assert sorted(p.name for p in tmp_path.iterdir()) == [squatter.name, "a"]


# ---- issue 23 D10: a writer killed mid-write leaves a temporary file; the next write removes it

def test_the_temporary_file_of_a_killed_writer_is_removed_by_the_next_write(tmp_path):
    import subprocess
    import sys

    target = tmp_path / "statistics.csv"
    target.write_bytes(b"old\n")
    child = ("import os, sys; from pathlib import Path; from helpers.data import fileio; "
             "fd, tmp = fileio._create_temp(Path(sys.argv[1])); os.write(fd, b'half'); "
             "print(tmp, flush=True); os.kill(os.getpid(), 9)")
    run = subprocess.run([sys.executable, "-c", child, str(target)], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert run.returncode == -9, run.stderr
    left = Path(run.stdout.strip())
    assert left.exists() and left.parent == tmp_path and left.name.startswith(".statistics.csv.")
    assert target.read_bytes() == b"old\n"  # the kill lost nothing
    fileio.atomic_write_bytes(target, b"new\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["statistics.csv"]
    assert target.read_bytes() == b"new\n"


def test_a_live_writers_temporary_file_and_other_files_are_kept(tmp_path):
    import subprocess
    import time

    live = subprocess.Popen(["sleep", "60"])
    try:
        theirs = tmp_path / f".a.{live.pid}-cccccccccccc.tmp"
        theirs.write_bytes(b"being written")
        young_legacy = tmp_path / ".a.dddddddddddd.tmp"
        young_legacy.write_bytes(b"legacy, recent")
        old_legacy = tmp_path / ".a.eeeeeeeeeeee.tmp"
        old_legacy.write_bytes(b"legacy, two hours old")
        os.utime(old_legacy, (time.time() - 7200, time.time() - 7200))
        other = tmp_path / ".b.1-ffffffffffff.tmp"  # another file's temporary file
        other.write_bytes(b"not ours")
        fileio.atomic_write_bytes(tmp_path / "a", b"x")
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted([theirs.name, young_legacy.name, other.name, "a"])
    finally:
        live.kill()
        live.wait()


def test_atomic_write_csv_is_deterministic(tmp_path):
    df = pd.DataFrame({"indicator_id": pd.Series(["synthetic.a", "synthetic.b"], dtype="string"),
                       "value": [1.5, 2.0]})
    fileio.atomic_write_csv(df, tmp_path / "a.csv")
    assert (tmp_path / "a.csv").read_bytes() == b"indicator_id,value\nsynthetic.a,1.5\nsynthetic.b,2.0\n"


@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"), ("+1+HYPERLINK(\"http://evil.example/\",\"x\")", "'+1+HYPERLINK(\"http://evil.example/\",\"x\")"),
    ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\nx"), ("a\rb", "a\nb"), ("a\r\nb", "a\r\nb"),
    ("plain", "plain"), ("a=b", "a=b"), ("", ""), (-2.5, -2.5), (None, None),
])
def test_neutralise_cell(value, expected):
    assert fileio.neutralise_cell(value) == expected


def test_neutralise_frame_touches_text_only_and_round_trips():
    df = pd.DataFrame({"s": pd.Series(["=1+1", "ok", None, "-x"], dtype="string"),
                       "o": ["@a", 3, None, "+b"], "n": [-1.0, 2.0, 3.0, -4.0]})
    out = fileio.neutralise_frame(df)
    assert out["s"].tolist()[:2] == ["'=1+1", "ok"] and out["s"].isna().tolist() == [False, False, True, False]
    assert out["s"].iloc[3] == "'-x"
    assert out["o"].tolist()[:2] == ["'@a", 3] and out["o"].iloc[3] == "'+b"
    assert out["n"].tolist() == [-1.0, 2.0, 3.0, -4.0]
    assert df["s"].iloc[0] == "=1+1"  # the input frame is not changed
    back = fileio.unneutralise_frame(out[["s"]])
    assert back["s"].tolist()[:2] == ["=1+1", "ok"] and back["s"].iloc[3] == "-x"


def test_atomic_write_csv_neutralises_formula_text(tmp_path):
    df = pd.DataFrame({"name": ["=1+1", "-2+3+cmd|' /C calc'!A0", "fine"], "value": [-1.5, 2.0, 3.0]})
    fileio.atomic_write_csv(df, tmp_path / "a.csv")
    assert (tmp_path / "a.csv").read_text(encoding="utf-8") == (
        "name,value\n'=1+1,-1.5\n'-2+3+cmd|' /C calc'!A0,2.0\nfine,3.0\n")
