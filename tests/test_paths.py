"""Default locations and naming conventions (helpers.paths)."""

from __future__ import annotations

from helpers.paths import ISO_DATE, ISO_DATE_RE


def test_iso_date_re_is_the_shape_of_a_set_folder_name():
    assert ISO_DATE_RE.match("2024-06-01")
    assert ISO_DATE_RE.match("2024-13-01")  # the shape only: the calendar is checked by callers
    for name in ("2024-6-1", "24-06-01", "2024-06-01-x", ".tmp-2024-06-01-1", "latest", ""):
        assert not ISO_DATE_RE.match(name), name
    assert not ISO_DATE_RE.fullmatch("2024-06-01\n")  # plan.json's issued: the whole text
    assert ISO_DATE_RE.pattern == f"^{ISO_DATE}$"  # one shape, anchored or held in a longer pattern
