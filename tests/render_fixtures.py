"""Shared fixtures of the render tests (imported by tests/conftest.py).

One full report set is rendered once per test session (``rendered_set``) and every render,
browser and reproducibility check reads it, so the slow part runs once.
"""

from __future__ import annotations

from pathlib import Path

import pytest

#: Date of the session's rendered set (any date works; a fixed one keeps paths stable).
RENDER_DATE = "2024-05-01"


@pytest.fixture(scope="session")
def rendered_set(tmp_path_factory) -> Path:
    """``<tmp>/reports/2024-05-01``: the full set rendered from data/raw with default options."""
    from helpers.publish.render import render_reports

    out = tmp_path_factory.mktemp("reports")
    return render_reports(date=RENDER_DATE, out=out, progress=False)
