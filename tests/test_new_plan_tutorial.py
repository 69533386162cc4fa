"""docs/new_plan.md, run literally: every ```sh block's commands and every file block it shows
(```csv PATH / ```json PATH) in page order, in a fresh project folder, in one shell.

The project folder is a temporary one (``HELPERS_PROJECT_ROOT``) holding links to this
checkout's ``.venv``, notebooks, Makefile and pyproject.toml, so the tutorial's plan, its
processed tables and reports never touch the real ``data/`` or ``reports/``.
"""

from __future__ import annotations

import csv
import os
import re
import subprocess
from pathlib import Path

import pytest

from helpers import paths

DOC = paths.PROJECT_ROOT / "docs" / "new_plan.md"
BLOCK = re.compile(r"^```([a-z]+)(?: +(\S+))?\n(.*?)^```\n", re.M | re.S)


def tutorial_script(text: str) -> str:
    """The page as one bash script: commands as written, file blocks as here-documents."""
    parts = ["set -euo pipefail"]
    for lang, path, body in BLOCK.findall(text):
        if lang == "sh":
            parts.append(body)
        elif path:
            parts.append(f"mkdir -p \"$(dirname '{path}')\"\ncat > '{path}' <<'TUTORIAL_EOF'\n{body}TUTORIAL_EOF")
    return "\n".join(parts) + "\n"


def test_the_page_has_commands_and_files():
    blocks = BLOCK.findall(DOC.read_text(encoding="utf-8"))
    assert sum(lang == "sh" for lang, _, _ in blocks) >= 5
    assert {p for _, p, _ in blocks if p} == {"data/raw/my_plan/plan.json", "data/raw/my_plan/targets.csv",
                                              "my_values.csv", "plan_text.txt"}


@pytest.mark.slow
def test_new_plan_tutorial_runs_as_written(tmp_path):
    root = paths.PROJECT_ROOT
    if subprocess.run(["make", "-q", "env"], cwd=root, capture_output=True).returncode != 0:
        pytest.skip(".venv is not up to date: run `make env` (make test does) first")
    for name in (".venv", "notebooks", "Makefile", "pyproject.toml", "src"):
        os.symlink(root / name, tmp_path / name)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["HELPERS_PROJECT_ROOT"] = str(tmp_path)
    script = tutorial_script(DOC.read_text(encoding="utf-8"))
    run = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    out = run.stdout

    assert "ok: 2 targets, 0 statistics rows" in out
    assert "added 5 value(s):" in out and "dry run: nothing written" in out
    # The import went into the plan's own statistics, nowhere else.
    stats = list(csv.DictReader(open(tmp_path / "data/raw/my_plan/statistics.csv", encoding="utf-8")))
    assert [(r["indicator_id"], r["year"]) for r in stats] == [
        ("G12", "2020"), ("G12", "2021"), ("L1", "2020"), ("L1", "2021"), ("L1", "2022")]
    assert all(r["geo"] == "china" and r["source_url"].startswith("http") for r in stats)

    gaps = {(r["indicator_id"], r["year"]): r for r in
            csv.DictReader(open(tmp_path / "data/processed/my_plan/gaps.csv", encoding="utf-8"))}
    assert gaps[("L1", "2022")]["status"] == "achieved"   # 65.22 >= 65
    assert gaps[("G12", "2023")]["status"] == "no_data"
    # 2021: 84.9 against 83.4 -> 85 over 5 years: progress 1.5/1.6 = 0.9375, expected 0.2 -> on track
    assert gaps[("G12", "2021")]["status"] == "on_track"

    sets = [p for p in (tmp_path / "reports" / "my_plan").iterdir() if re.fullmatch(r"\d{4}-\d{2}-\d{2}", p.name)]
    assert len(sets) == 1
    pages = {p.name for p in sets[0].glob("*.html")}
    assert pages == {"index.html", "overview.html", "area-people.html", "area-nature.html", "data-coverage.html", "changes.html", "sources.html"}
    area = (sets[0] / "area-people.html").read_text(encoding="utf-8")
    assert "人口与城镇" in area and "People and towns" in area and "全国" in area
    archive = (tmp_path / "reports" / "index.html").read_text(encoding="utf-8")
    assert "我的规划（示例）" in archive and f"my_plan/{sets[0].name}/index.html" in archive

    # Step 7: extract -> validate -> gaps -> render from the plan's text, nothing filled in by hand.
    assert "extract: 5 targets (2 to check)" in out and "ok: 5 targets, 0 statistics rows" in out
    drafted = list(csv.DictReader(open(tmp_path / "data/raw/from_text/targets.csv", encoding="utf-8")))
    assert [(r["comparator"], r["target"], r["kind"], r["target_year"]) for r in drafted] == [
        (">=", "4.1", "annual", "2021"), (">=", "2800", "annual", "2021"), (">=", "1300", "annual", "2021"),
        ("<=", "4.5", "level", "2021"), (">=", "90", "level", "2021")]
    assert (tmp_path / "data/processed/from_text/gaps.csv").is_file()
    drafted_sets = [p for p in (tmp_path / "reports" / "from_text").iterdir() if re.fullmatch(r"\d{4}-\d{2}-\d{2}", p.name)]
    assert len(drafted_sets) == 1 and (drafted_sets[0] / "overview.html").is_file()
