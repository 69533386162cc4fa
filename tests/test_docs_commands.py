"""Every shell command of README.md and docs/*.md runs as written after the README's set-up
(``make env`` then ``source .venv/bin/activate``), or is listed here with why it is not run.

Each page's commands run in order, in one shell, in a fresh project folder
(``HELPERS_PROJECT_ROOT``: a copy of ``data/raw/`` and links to this checkout's ``.venv``,
notebooks, Makefile and pyproject.toml), so nothing touches the real ``data/`` or ``reports/``.
docs/new_plan.md has its own test (test_new_plan_tutorial.py).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from helpers import paths

ROOT = paths.PROJECT_ROOT
BLOCK = re.compile(r"^```(sh|bash)\n(.*?)^```\n", re.M | re.S)
PAGES = ["README.md", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs").glob("*.md")
                              if p.name != "new_plan.md")]

#: Commands not run here, each with the reason (a regular expression on the command line).
NOT_RUN = {
    r"^make env$": "the set-up itself: make test (which runs this test) has just made it",
    r"^make test\b": "this very suite",
    r"^make report\b": "renders every plan: the same pipeline as the render command run below",
    r"^\.venv/bin/python -m helpers render\b": "render variants of docs/scheduled_reports.md: "
                                               "test_render.py, test_changes.py and test_hygiene.py render with these options",
}


def commands(page: str) -> list[str]:
    lines = []
    for _, body in BLOCK.findall((ROOT / page).read_text(encoding="utf-8")):
        for line in body.splitlines():
            code = line.split("  #")[0].strip()
            if code and not code.startswith("#"):
                lines.append(code)
    return lines


def skipped(cmd: str) -> str | None:
    return next((why for pattern, why in NOT_RUN.items() if re.search(pattern, cmd)), None)


def test_every_command_is_run_or_listed_with_a_reason():
    listed = {p: [(c, skipped(c)) for c in commands(p)] for p in PAGES}
    assert sum(len(v) for v in listed.values()) >= 15
    for page, cmds in listed.items():
        for cmd, why in cmds:
            print(f"{page}: {'NOT RUN (' + why + ')' if why else 'run'}: {cmd}")
    # The README's own command lines: every one but the front-door make targets is run.
    readme = [c for c, why in listed["README.md"] if why is None]
    assert "source .venv/bin/activate" in readme
    assert any(c.startswith("python -m helpers render") for c in readme)


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
def test_page_commands_run_as_written(tmp_path, page):
    cmds = [c for c in commands(page) if skipped(c) is None]
    if not cmds:
        pytest.skip(f"{page} has no command to run")
    if subprocess.run(["make", "-q", "env"], cwd=ROOT, capture_output=True).returncode != 0:
        pytest.skip(".venv is not up to date: run `make env` (make test does) first")
    for name in (".venv", "notebooks", "Makefile", "pyproject.toml", "src", "scripts"):
        os.symlink(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "data" / "raw", tmp_path / "data" / "raw")
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["HELPERS_PROJECT_ROOT"] = str(tmp_path)
    if not any(c.startswith("source ") for c in cmds) and any(c.startswith("python ") for c in cmds):
        cmds = ["source .venv/bin/activate", *cmds]  # the README's set-up, once per shell
    script = "set -euo pipefail\n" + "\n".join(f"echo '+ {c}'\n{c}" for c in cmds) + "\n"
    run = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, (run.stdout[-3000:] + run.stderr[-3000:])
