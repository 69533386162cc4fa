"""The researcher's path in a real JupyterLab, driven by headless Debian Chromium (Playwright):
open ``00_start_here``, Run All with no error output, change a widget and see the chart redraw,
save, and find ``git status`` clean (the notebooks' git filter strips what JupyterLab saved).

The notebooks run on a copy in a temporary git repository configured as ``make env`` configures
a clone (``filter.nbclean``), so the checkout is never modified. JupyterLab listens on 127.0.0.1
only, with a random token. Needs ``/usr/bin/chromium`` (skipped without it, except under CI).
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from helpers import paths
from test_browser import ARGS, CHROMIUM

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ROOT = paths.PROJECT_ROOT
NOTEBOOK = "00_start_here.ipynb"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    if not CHROMIUM.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is required under CI=true")
        pytest.skip(f"{CHROMIUM} not found")
    repo = tmp_path_factory.mktemp("labrepo")
    shutil.copytree(ROOT / "notebooks", repo / "notebooks")
    shutil.copytree(ROOT / "scripts", repo / "scripts")
    os.symlink(ROOT / ".venv", repo / ".venv")
    (repo / ".gitattributes").write_text((ROOT / ".gitattributes").read_text())
    (repo / ".gitignore").write_text((ROOT / ".gitignore").read_text())  # .ipynb_checkpoints/ too
    _git(repo, "init", "-q")
    _git(repo, "config", "user.email", "test@example.org")
    _git(repo, "config", "user.name", "test")
    _git(repo, "config", "filter.nbclean.clean", ".venv/bin/python scripts/nbclean.py")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "copy")
    port, token = _free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_PLATFORM_DIRS": "1",
           "JUPYTER_CONFIG_DIR": str(tmp_path_factory.mktemp("jupyter-config"))}
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "jupyter"), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", "--allow-root", f"--notebook-dir={repo / 'notebooks'}",
         "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("JupyterLab did not start")
    try:
        yield {"base": base, "token": token, "repo": repo}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def pg(lab):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            yield page
        finally:
            browser.close()


def _wait_idle(page, timeout_s: float = 300) -> None:
    """Until no cell is queued or running ("[*]") and the kernel reports idle."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        busy = page.evaluate("""() => Array.from(document.querySelectorAll('.jp-InputPrompt'))
                                   .some(e => e.textContent.includes('*'))""")
        if not busy:
            return
        time.sleep(0.5)
    raise AssertionError("notebook still running after the timeout")


def test_start_here_runs_all_redraws_on_a_widget_change_and_saves_clean(lab, pg):
    pg.goto(f"{lab['base']}/lab/tree/{NOTEBOOK}?token={lab['token']}")
    pg.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
    pg.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle'], .jp-Toolbar-kernelStatus",
                         timeout=120_000)
    time.sleep(2)  # the kernel connects
    pg.click("text=Run >> nth=0")  # the Run menu
    pg.click("text=Run All Cells")
    time.sleep(1)
    _wait_idle(pg)
    errors = pg.evaluate("""() => Array.from(document.querySelectorAll(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"], .jp-RenderedText[data-mime-type="application/vnd.jupyter.error"]'))
        .map(e => e.innerText.slice(0, 500))""")
    assert errors == [], errors
    n_images = pg.evaluate("document.querySelectorAll('.jp-OutputArea img').length")
    assert n_images >= 1

    # A widget change redraws the chart: the explorer's image changes.
    select = pg.locator(".jupyter-widgets select").first
    select.wait_for(timeout=60_000)
    box = pg.locator(".jupyter-widgets img").first
    before = box.get_attribute("src")
    options = select.locator("option").all_inner_texts()
    assert len(options) >= 2
    current = select.evaluate("s => s.selectedIndex")
    select.select_option(index=(current + 1) % len(options))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and box.get_attribute("src") == before:
        time.sleep(0.5)
    assert box.get_attribute("src") != before, "the chart did not redraw after the widget change"

    # Saving writes outputs into the file, but git stores it stripped: status stays clean.
    pg.keyboard.press("Control+s")
    time.sleep(3)
    saved = (lab["repo"] / "notebooks" / NOTEBOOK).read_text(encoding="utf-8")
    assert '"output_type"' in saved  # JupyterLab did save the outputs
    # (git status alone may list a file whose size changed before running the filter: compare
    # what git would store, through the filter, with what it has.)
    diff = subprocess.run(["git", "diff", "--exit-code", "--stat"], cwd=lab["repo"], capture_output=True, text=True)
    assert diff.returncode == 0, diff.stdout
    assert _git(lab["repo"], "status", "--porcelain", "--untracked-files=all") in ("", f" M notebooks/{NOTEBOOK}\n")
