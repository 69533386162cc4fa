"""The rendered reports as a reader sees them: headless Debian Chromium via Playwright.

Loads index.html and every report of the session's rendered set (``rendered_set``) from
``file://`` with every network request blocked and recorded, and asserts: no console errors or
page errors, no request leaves the file (no CDN), every ``<img>`` decoded (``naturalWidth > 0``),
Chinese text in the DOM, and each link of the index navigates to a page that loads.

Needs ``/usr/bin/chromium`` (Debian's ``chromium`` package; never downloaded here). Without it
the tests are skipped with that reason, except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import math
import os
import re
from urllib.parse import urljoin
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
CJK = re.compile(r"[\u4e00-\u9fff]")

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.is_file() or not os.access(CHROMIUM, os.X_OK):
        reason = f"{CHROMIUM} not found: install Debian's chromium package to run the browser check"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + " (required under CI=true)")
        pytest.skip(reason)
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


class Watched:
    """A Playwright page plus what it logged: console errors and blocked external requests."""

    def __init__(self, pg):
        self.pg = pg
        self.console_errors: list[str] = []
        self.external_requests: list[str] = []
        pg.on("console", lambda msg: msg.type == "error" and self.console_errors.append(msg.text))
        pg.on("pageerror", lambda exc: self.console_errors.append(f"pageerror: {exc}"))
        pg.route("**/*", self._route)

    def _route(self, r):
        url = r.request.url
        if url.startswith(("file:", "data:")):
            r.continue_()
        else:
            self.external_requests.append(url)
            r.abort()


@pytest.fixture
def page(browser):
    """A page that blocks (and records) every request that is not file: or data:."""
    context = browser.new_context()
    watched = Watched(context.new_page())
    yield watched
    context.close()


def _check_loaded(pg, name: str) -> None:
    assert pg.evaluate("document.readyState") == "complete", name
    imgs = pg.evaluate("Array.from(document.images).map(i => [i.complete, i.naturalWidth])")
    assert all(done and width > 0 for done, width in imgs), (name, imgs)
    text = pg.evaluate("document.body.innerText")
    assert len(CJK.findall(text)) > 20, name
    assert pg.title().strip(), name


def test_every_page_loads_cleanly(page, rendered_set):
    pages = sorted(rendered_set.glob("*.html"))
    assert len(pages) == 14  # index, overview, nine areas, data coverage, changes, sources
    for path in pages:
        page.pg.goto(path.as_uri(), wait_until="load")
        _check_loaded(page.pg, path.name)
        if path.name == "overview.html" or path.name == "area-poverty.html":
            n_img = page.pg.evaluate("document.images.length")
            assert n_img > 0, path.name  # the charts are there (an area without data draws none)
    assert page.console_errors == []
    assert page.external_requests == []


def test_index_links_navigate(page, rendered_set):
    index = (rendered_set / "index.html").as_uri()
    pg = page.pg
    pg.goto(index, wait_until="load")
    hrefs = pg.evaluate("Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))")
    # overview, data coverage, sources, changes, the archive, nine areas; CITATION.cff, citation.bib
    assert len(hrefs) == 16
    files = [h for h in hrefs if not h.endswith(".html")]
    assert files == ["CITATION.cff", "citation.bib"]
    assert all((rendered_set / f).is_file() for f in files)
    for href in (h for h in hrefs if h.endswith(".html")):
        pg.goto(index, wait_until="load")
        with pg.expect_navigation(wait_until="load"):
            pg.click(f'a[href="{href}"]')
        assert pg.url == urljoin(index, href), (href, pg.url)
        _check_loaded(pg, href)
    assert page.console_errors == []
    assert page.external_requests == []


#: The overview's height in this browser at 1280 px before the reports led with what is known.
OVERVIEW_HEIGHT_BEFORE = 13_245


def test_the_overview_leads_with_what_is_known_in_a_third_of_the_height(browser, rendered_set):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        pg = context.new_page()
        pg.goto((rendered_set / "overview.html").as_uri(), wait_until="load")
        height = pg.evaluate("document.documentElement.scrollHeight")
        print(f"overview height: {height} px (before: {OVERVIEW_HEIGHT_BEFORE} px)")
        # A third of the height before the no-data lists were folded; since issue 21 the page
        # also opens with the final scorecard (a few hundred px), so the bound is 40 %, and the
        # known targets' table must start within the first two screens.
        assert height <= OVERVIEW_HEIGHT_BEFORE * 0.4
        top = pg.evaluate("document.querySelector('table.report-table, table').getBoundingClientRect().top")
        assert top <= 2 * 900
        text = pg.evaluate("document.body.innerText")
        # The targets with a value come before the list of targets without data.
        assert text.index("有数值的目标") < text.index("无数据的目标")
    finally:
        context.close()


def test_a_value_on_an_area_page_links_to_its_source_row(page, rendered_set):
    """Each value of an area page's status table links to its row of sources.html: following the
    link lands on the row whose id is the anchor, and that row shows the same year and value."""
    pg = page.pg
    found = 0
    for path in sorted(rendered_set.glob("area-*.html")):
        pg.goto(path.as_uri(), wait_until="load")
        links = pg.evaluate("Array.from(document.querySelectorAll('a.value-source'))"
                            ".map(a => [a.getAttribute('href'), a.textContent.trim()])")
        for href, shown in links:
            assert href.startswith("sources.html#v-"), href
            pg.goto(path.as_uri(), wait_until="load")
            with pg.expect_navigation(wait_until="load"):
                pg.click(f'a.value-source[href="{href}"]')
            anchor = href.split("#", 1)[1]
            assert pg.url == urljoin(path.as_uri(), href)
            row = pg.evaluate(f"(() => {{ const r = document.getElementById({anchor!r}); return r && "
                              "[r.matches(':target'), Array.from(r.cells).map(c => c.textContent.trim())]; })()")
            assert row, (path.name, href)
            is_target, cells = row
            assert is_target, href
            year = anchor.rsplit("--", 1)[1]
            assert cells[2] == year, (cells, href)
            # the area page rounds for reading (helpers.formats.fmt_num); the sources page is exact
            assert math.isclose(float(cells[3].replace(",", "")), float(shown.replace(",", "")),
                                rel_tol=5e-3, abs_tol=5e-3), (cells, shown)
            found += 1
    assert found > 0  # the session's plan has values on its area pages
    assert page.console_errors == []
    assert page.external_requests == []
