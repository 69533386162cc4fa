"""nbval catches a change in the computed statuses or gaps.

On two temporary copies of the project data, the overview notebook is refreshed (its
``nbval-check-output`` cell stores the key figures of the unaltered data, exactly as
``scripts/refresh_notebooks.py`` does for the repository); then one statistic that feeds a
scored status is altered in the second copy. ``pytest --nbval-lax`` must pass on the first copy
and fail on the second, naming the checked cell.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import fuyang_plan
from helpers.report import narrate, params

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = "01_overview.ipynb"


def _copy_project(dst: Path) -> Path:
    (dst / "notebooks").mkdir(parents=True)
    shutil.copytree(fuyang_plan.DIR, dst / "data" / "raw" / fuyang_plan.NAME)
    (dst / "data" / "processed").mkdir()
    shutil.copy2(ROOT / "notebooks" / NOTEBOOK, dst / "notebooks" / NOTEBOOK)
    # Inside the copy, so pytest's rootdir (and the reported cell ids) is the copy.
    shutil.copy2(ROOT / "tests" / "nbval_sanitize.cfg", dst / "nbval_sanitize.cfg")
    return dst


def _env(root: Path) -> dict:
    # The copy has no pyproject.toml naming the default plan: name it (the one altered below).
    return {**os.environ, "HELPERS_PROJECT_ROOT": str(root), "HELPERS_DEFAULT_PLAN": fuyang_plan.NAME,
            "PYTHONDONTWRITEBYTECODE": "1"}


def _nbval(root: Path) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env",
           "--nbval-sanitize-with", "nbval_sanitize.cfg", "--rootdir", str(root),
           "-p", "no:cacheprovider", "-rA", "--color=no", f"notebooks/{NOTEBOOK}"]
    return subprocess.Popen(cmd, cwd=root, env=_env(root), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def _alter_one_scored_value(root: Path) -> tuple[str, str, str]:
    """Change the value behind the first scored target's latest status; return its key.

    Only that one cell of statistics.csv changes (the file is rewritten row by row, not
    re-serialised by pandas)."""
    raw = root / "data" / "raw" / fuyang_plan.NAME
    ctx = params.prepare(targets_path=raw / "targets.csv", statistics_path=raw / "statistics.csv")
    scored = ctx.latest[ctx.latest["status"] != "no_data"]
    assert not scored.empty, "the project data have no scored target; nothing for nbval to check"
    row = scored.iloc[0]
    key = (str(row["indicator_id"]), ctx.geo, str(int(row["year"])))
    path = raw / "statistics.csv"
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    hits = [r for r in rows if (r["indicator_id"], r["geo"], r["year"]) == key]
    assert len(hits) == 1
    hits[0]["value"] = repr(float(hits[0]["value"]) * 1.5 + 1.0)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=reader.fieldnames, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    after = params.prepare(targets_path=raw / "targets.csv", statistics_path=raw / "statistics.csv")
    # The premise: the alteration changes the printed key figures.
    assert narrate.key_figures_text(after.latest) != narrate.key_figures_text(ctx.latest)
    return key


def test_nbval_fails_on_changed_statistic_and_names_the_cell(tmp_path):
    base = _copy_project(tmp_path / "base")
    refreshed = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "refresh_notebooks.py"), str(base / "notebooks" / NOTEBOOK)],
        env=_env(base), capture_output=True, text=True, timeout=600)
    assert refreshed.returncode == 0, refreshed.stdout + refreshed.stderr
    nb = nbformat.read(base / "notebooks" / NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    checked = [i for i, c in enumerate(code) if "nbval-check-output" in c.metadata.get("tags", [])]
    assert len(checked) == 1 and code[checked[0]].outputs and code[checked[0]].execution_count
    # the stored key figures are those of the plan altered below
    assert "health.beds_per_1000" in "".join(o.get("text", "") for o in code[checked[0]].outputs)
    cell_id = f"{NOTEBOOK}::Cell {checked[0]}"

    altered = _copy_project(tmp_path / "altered")
    shutil.copy2(base / "notebooks" / NOTEBOOK, altered / "notebooks" / NOTEBOOK)
    key = _alter_one_scored_value(altered)

    procs = {"base": _nbval(base), "altered": _nbval(altered)}
    out = {k: p.communicate(timeout=600)[0] for k, p in procs.items()}
    assert procs["base"].returncode == 0, out["base"]
    assert f"PASSED notebooks/{cell_id}" in out["base"]

    assert procs["altered"].returncode == 1, out["altered"]
    assert f"FAILED notebooks/{cell_id}" in out["altered"], (key, out["altered"])
    assert "Cell outputs differ" in out["altered"]
    # Every other cell still ran and passed: only the key figures differ.
    assert out["altered"].count("FAILED ") == 1
