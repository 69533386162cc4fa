"""Publishing a finished set (helpers.publish.sets): a set replaced atomically, ``latest`` on the newest
complete set, clean-up after a killed render that never deletes the only copy of a set, and
``.failed/`` keeping the latest failure per notebook and no empty file.

Exercised only through a render (tests/test_changes.py, test_render.py, test_hygiene.py):
``keep_unrendered_pages`` (a partial render keeps its date's other pages) and ``check_out``
(a reports folder that is a file or cannot be written to).
"""

from __future__ import annotations

import os

import pytest

from helpers.publish.sets import (LATEST_NAME, clean_stale, is_set_folder, keep_failed, point_latest, publish_set,
                                  set_folders)


def test_publish_replaces_a_set_atomically(tmp_path):
    final = tmp_path / "2024-05-01"
    final.mkdir()
    (final / "index.html").write_text("old")
    (final / "stray.txt").write_text("only in the old set")
    work = tmp_path / ".tmp-2024-05-01-1"
    work.mkdir()
    (work / "index.html").write_text("new")
    publish_set(work, final)
    assert (final / "index.html").read_text() == "new"
    assert not (final / "stray.txt").exists()  # replaced, not merged
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2024-05-01"]  # no .tmp-/.old- left


def test_latest_points_to_newest_complete_set(tmp_path):
    for day in ("2024-05-01", "2024-06-01", "2024-07-01"):
        (tmp_path / day).mkdir()
    (tmp_path / "2024-05-01" / "index.html").write_text("x")
    (tmp_path / "2024-06-01" / "index.html").write_text("x")  # 2024-07-01 has no index: incomplete
    point_latest(tmp_path)
    link = tmp_path / LATEST_NAME
    assert link.is_symlink() and os.readlink(link) == "2024-06-01"  # relative
    (tmp_path / "2024-07-01" / "index.html").write_text("x")
    point_latest(tmp_path)
    assert os.readlink(link) == "2024-07-01"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_clean_up_restores_the_only_copy_of_a_set(tmp_path):
    aside = tmp_path / ".old-2024-01-01-999"
    aside.mkdir()
    (aside / "index.html").write_text("the only copy")
    both = tmp_path / ".old-2024-02-01-999"
    both.mkdir()
    (tmp_path / "2024-02-01").mkdir()
    (tmp_path / ".tmp-2024-03-01-999").mkdir()
    clean_stale(tmp_path)
    assert (tmp_path / "2024-01-01" / "index.html").read_text() == "the only copy"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2024-01-01", "2024-02-01"]


def test_failed_keeps_the_latest_failure_per_notebook_and_no_empty_file(tmp_path):
    failed = tmp_path / ".failed"
    for text in ("first", "second"):
        src = tmp_path / "area-x.ipynb"
        src.write_text(text)
        assert keep_failed(src, failed, "area-x.ipynb") == failed / "area-x.ipynb"
    empty = tmp_path / "overview.ipynb"
    empty.write_bytes(b"")
    assert keep_failed(empty, failed, "overview.ipynb") is None
    assert sorted(p.name for p in failed.iterdir()) == ["area-x.ipynb"]
    assert (failed / "area-x.ipynb").read_text() == "second"


# --------------------------------------------------------------------------- what is a set

@pytest.fixture
def plan_dir(tmp_path):
    """A plan's reports folder: three set folders, and everything that is not one."""
    for name in ("2024-06-01", "2023-01-15", "2025-02-28", ".tmp-2024-07-01-9", ".old-2024-06-01-3",
                 "notes", ".failed"):
        (tmp_path / name).mkdir()
    (tmp_path / "2024-08-08").write_text("a file, not a folder")
    os.symlink("2024-06-01", tmp_path / "latest")
    os.symlink("2024-06-01", tmp_path / "2024-09-09")  # a date-named link is not a set either
    return tmp_path


def test_is_set_folder_is_a_real_date_named_folder(plan_dir):
    assert is_set_folder(plan_dir / "2024-06-01")
    assert is_set_folder(str(plan_dir / "2024-06-01"))  # a str path too
    for name in ("latest", "2024-09-09", "2024-08-08", ".tmp-2024-07-01-9", ".old-2024-06-01-3", "notes",
                 "2030-01-01"):  # the last is missing
        assert not is_set_folder(plan_dir / name), name


def test_set_folders_newest_first(plan_dir):
    assert [p.name for p in set_folders(plan_dir)] == ["2025-02-28", "2024-06-01", "2023-01-15"]
    assert all(p.parent == plan_dir for p in set_folders(plan_dir))


def test_set_folders_complete_only_holds_an_index_html_file(plan_dir):
    assert set_folders(plan_dir, complete=True) == []
    (plan_dir / "2023-01-15" / "index.html").write_text("<html></html>")
    (plan_dir / "2025-02-28" / "index.html").write_text("<html></html>")
    (plan_dir / "2024-06-01" / "index.html").mkdir()  # a folder of that name is not a page
    assert [p.name for p in set_folders(plan_dir, complete=True)] == ["2025-02-28", "2023-01-15"]
    assert len(set_folders(plan_dir)) == 3


def test_set_folders_of_an_empty_or_missing_folder(tmp_path):
    assert set_folders(tmp_path) == []
    with pytest.raises(FileNotFoundError):
        set_folders(tmp_path / "missing")
