"""Default locations and naming conventions (helpers.paths)."""

from __future__ import annotations

import os

import pytest

from helpers.paths import ISO_DATE, ISO_DATE_RE, is_set_folder, set_folders


def test_iso_date_re_is_the_shape_of_a_set_folder_name():
    assert ISO_DATE_RE.match("2024-06-01")
    assert ISO_DATE_RE.match("2024-13-01")  # the shape only: the calendar is checked by callers
    for name in ("2024-6-1", "24-06-01", "2024-06-01-x", ".tmp-2024-06-01-1", "latest", ""):
        assert not ISO_DATE_RE.match(name), name
    assert not ISO_DATE_RE.fullmatch("2024-06-01\n")  # plan.json's issued: the whole text
    assert ISO_DATE_RE.pattern == f"^{ISO_DATE}$"  # one shape, anchored or held in a longer pattern


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
