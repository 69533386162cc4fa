"""Default locations, resolved from the project root (the folder holding ``pyproject.toml``).

Plans live in ``RAW_DIR/<plan>/``; their generated tables in ``PROCESSED_DIR/<plan>/`` and their
reports in ``REPORTS_DIR/<plan>/<YYYY-MM-DD>/`` (see :mod:`helpers.data.plan`; the date folders match
:data:`ISO_DATE_RE`; :mod:`helpers.publish.sets` says which folders are sets).

Every path can be overridden on the command line or as a notebook parameter; these are only
the defaults. ``HELPERS_PROJECT_ROOT`` overrides the root (used by tests that work on a copy).
"""

from __future__ import annotations

import os
import re
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
#: A date written ``YYYY-MM-DD``: a report set's folder name (``REPORTS_DIR/<plan>/2024-06-01/``),
#: ``render --date``, plan.json's ``issued``. The shape only (``2024-13-01`` matches); callers
#: that need a real calendar day also check ``datetime.date.fromisoformat``. :data:`ISO_DATE` is
#: the same shape unanchored, for patterns that hold a date (``.old-<date>-<pid>``).
ISO_DATE = r"\d{4}-\d{2}-\d{2}"
ISO_DATE_RE = re.compile(rf"^{ISO_DATE}$")


def _default_plan() -> str:
    """``[tool.helpers] default-plan`` of the project's ``pyproject.toml`` (configuration, not
    code); ``HELPERS_DEFAULT_PLAN`` overrides it; without either, the first plan folder."""
    env = os.environ.get("HELPERS_DEFAULT_PLAN")
    if env:
        return env
    try:
        import tomllib

        with open(PROJECT_ROOT / "pyproject.toml", "rb") as fh:
            name = tomllib.load(fh).get("tool", {}).get("helpers", {}).get("default-plan")
        if isinstance(name, str) and name:
            return name
    except (OSError, ValueError):
        pass
    found = sorted(p.parent.name for p in RAW_DIR.glob("*/plan.json")) if RAW_DIR.is_dir() else []
    return found[0] if found else "plan"


#: The plan used when none is named (``data/raw/<name>/``).
DEFAULT_PLAN: str = _default_plan()
#: Plan metadata lives beside the targets file under this name.
PLAN_FILENAME = "plan.json"


def command() -> str:
    """How to run this package's command line in a printed next step: ``python -m helpers`` when
    the running interpreter is the ``python`` found on PATH, else the interpreter's full path
    (e.g. ``.venv/bin/python -m helpers`` outside an activated environment)."""
    import shlex
    import shutil
    import sys

    exe = Path(sys.executable)
    on_path = shutil.which("python")
    if on_path and Path(on_path).resolve() == exe.resolve():
        return "python -m helpers"
    try:
        shown = exe.relative_to(Path.cwd())
    except ValueError:
        shown = exe
    return f"{shlex.quote(str(shown))} -m helpers"
