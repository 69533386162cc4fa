"""Default locations, resolved from the project root (the folder holding ``pyproject.toml``).

Every path can be overridden on the command line or as a notebook parameter; these are only
the defaults. ``HELPERS_PROJECT_ROOT`` overrides the root (used by tests that work on a copy).
"""

from __future__ import annotations

import os
from pathlib import Path


def _find_root() -> Path:
    env = os.environ.get("HELPERS_PROJECT_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").is_file() and (parent / "data").is_dir():
            return parent
    return Path.cwd().resolve()


PROJECT_ROOT: Path = _find_root()
DATA_DIR: Path = PROJECT_ROOT / "data"
RAW_DIR: Path = DATA_DIR / "raw"
PROCESSED_DIR: Path = DATA_DIR / "processed"
REPORTS_DIR: Path = PROJECT_ROOT / "reports"
NOTEBOOKS_DIR: Path = PROJECT_ROOT / "notebooks"

DEFAULT_TARGETS: Path = RAW_DIR / "targets.csv"
DEFAULT_STATISTICS: Path = RAW_DIR / "statistics.csv"
#: Plan metadata lives beside the targets file under this name.
PLAN_FILENAME = "plan.json"
