"""Rendering twice from the same inputs gives the same reports.

What may differ between two renders, and is stripped before comparing:

- HTML: only the report date (the ``--date`` string, ``YYYY-MM-DD``), which index.html,
  changes.html and sources.html show in their ``<title>`` and in ``<span class="report-date">``,
  every page's citation line names (the notebook reports in their footer's
  ``<li class="helpers-cite">`` only, written in by the render: helpers.publish.citation), and
  set.json, CITATION.cff and citation.bib record. No time of day is written anywhere, so
  :func:`strip_render_date` replaces the date string and nothing else.
- Executed notebooks (.ipynb): the execution timestamps and durations papermill and nbclient
  record (``metadata.papermill`` start_time / end_time / duration of the notebook and of each
  cell, and each cell's ``metadata.execution``); :func:`normalise_notebook` drops those keys.
  Also a memory address in an object's plain-text repr (``<... at 0x7f...>``; the report tables'
  Stylers print their table instead, helpers.report.tables), masked as the nbval sanitize patterns mask
  it (tests/nbval_sanitize.cfg, ``memory_addresses``); nothing else in an output is touched.

Besides .html and .ipynb a set keeps what it was built from (``inputs/``: copies of the plan's
three files) and what it scored (``trajectory.csv``); those and set.json must be byte-identical
too (set.json but for the date). fingerprints.json must agree but for the date and each page's
.html and .ipynb hashes (of that set's own files: the date in the citation line, the notebook's
timings). Every file of the set is compared.
"""

from __future__ import annotations

import json
import os
import re

import pytest

import fuyang_plan
from helpers.publish.sets import LATEST_NAME
from helpers.publish.render import render_reports
from helpers.publish.reuse import REUSE_ENV

#: Files of a set that carry its date (compared with the date stripped).
DATED = ("index.html", "changes.html", "sources.html", "set.json", "CITATION.cff", "citation.bib")
#: The footer's citation item of a notebook report (the only place such a page names the date).
CITE_ITEM = re.compile(r'<li class="helpers-cite">.*?</li>', re.S)
#: Per page: its fingerprint and its files' SHA-256 (helpers.publish.reuse); compared by
#: :func:`_fingerprints_equal`.
FINGERPRINTS = "fingerprints.json"
#: A memory address in a repr (the nbval sanitize pattern ``memory_addresses``).
ADDRESS = re.compile(r"\b0x[0-9a-fA-F]{6,}\b")

D1, D2 = "2024-06-01", "2024-06-02"
TIMING_KEYS = ("start_time", "end_time", "duration")


def strip_render_date(text: str, date: str) -> str:
    return text.replace(date, "YYYY-MM-DD")


def normalise_notebook(raw: bytes) -> dict:
    nb = json.loads(raw)
    for key in TIMING_KEYS:
        nb["metadata"].get("papermill", {}).pop(key, None)
    for cell in nb["cells"]:
        cell["metadata"].pop("execution", None)
        for key in TIMING_KEYS:
            cell["metadata"].get("papermill", {}).pop(key, None)
        for out in cell.get("outputs", []):
            plain = out.get("data", {}).get("text/plain")
            if plain is not None:
                text = "".join(plain) if isinstance(plain, list) else plain
                out["data"]["text/plain"] = ADDRESS.sub("0xADDRESS", text)
    return nb


@pytest.fixture(scope="module")
def two_renders(tmp_path_factory):
    out = tmp_path_factory.mktemp("repro")
    with pytest.MonkeyPatch.context() as mp:
        # Both sets executed: unchanged pages would otherwise be copied (helpers.publish.reuse).
        mp.setenv(REUSE_ENV, "0")
        first = render_reports(date=D2, areas=["poverty"], out=out, progress=False)
        second = render_reports(date=D1, areas=["poverty"], out=out, progress=False)
    return first, second


@pytest.mark.slow
def test_html_identical_but_for_the_render_date(two_renders):
    first, second = two_renders
    names = sorted(str(p.relative_to(first)) for p in first.rglob("*") if p.is_file())
    assert names == sorted(str(p.relative_to(second)) for p in second.rglob("*") if p.is_file())
    data = {n for n in names if not n.endswith((".html", ".ipynb"))}
    assert data == {"set.json", "fingerprints.json", "trajectory.csv", "inputs/plan.json", "inputs/targets.csv",
                    "inputs/statistics.csv", "CITATION.cff", "citation.bib"}
    _fingerprints_equal(first, second)
    for name in (n for n in names if not n.endswith(".ipynb") and n != FINGERPRINTS):
        a = (first / name).read_text(encoding="utf-8")
        b = (second / name).read_text(encoding="utf-8")
        if name in DATED:
            assert a != b and D2 in a and D1 in b, name  # the date is really there, and differs
            assert strip_render_date(a, D2) == strip_render_date(b, D1), name
        elif name.endswith(".html"):  # a notebook report: the date in its citation line, nowhere else
            assert len(CITE_ITEM.findall(a)) == 1 and D2 in CITE_ITEM.search(a).group(0), name
            assert D2 not in CITE_ITEM.sub("", a) and D1 not in CITE_ITEM.sub("", b), name
            assert strip_render_date(a, D2) == strip_render_date(b, D1), name
        else:
            assert D1 not in b and D2 not in a, name
            assert a == b, name  # byte-identical
    assert (first / "inputs" / "statistics.csv").read_bytes() == fuyang_plan.STATISTICS.read_bytes()


def _fingerprints_equal(first, second) -> None:
    """fingerprints.json of two sets: the dates differ; every page's fingerprint is equal; the
    .html and .ipynb hashes are each set's own file's (the date in the citation line; timings)."""
    import hashlib

    a, b = (json.loads((d / FINGERPRINTS).read_text(encoding="utf-8")) for d in (first, second))
    assert (a.pop("date"), b.pop("date")) == (D2, D1)
    for rec, folder in ((a, first), (b, second)):
        for key, page in rec["pages"].items():
            assert page.pop("ipynb_sha256") == hashlib.sha256((folder / f"{key}.ipynb").read_bytes()).hexdigest()
            assert page.pop("html_sha256") == hashlib.sha256((folder / f"{key}.html").read_bytes()).hexdigest()
            assert page["reused_from"] is None  # executed, not copied (reuse is off)
    assert a == b


@pytest.mark.slow
def test_executed_notebooks_identical_but_for_timings(two_renders):
    first, second = two_renders
    for path in sorted(first.glob("*.ipynb")):
        a, b = path.read_bytes(), (second / path.name).read_bytes()
        assert normalise_notebook(a) == normalise_notebook(b), path.name


@pytest.mark.slow
def test_latest_stays_on_the_newest_date(two_renders):
    first, second = two_renders
    # The second render was of an older date: latest keeps pointing at the newer set.
    assert os.readlink(first.parent / LATEST_NAME) == D2


@pytest.mark.slow
def test_reports_match_the_full_session_set(two_renders, rendered_set):
    # Same inputs, different date and fewer areas: the shared reports are identical but for
    # the date in their citation line.
    _, second = two_renders
    for name in ("overview.html", "area-poverty.html", "data-coverage.html"):
        a = (second / name).read_text(encoding="utf-8")
        b = (rendered_set / name).read_text(encoding="utf-8")
        assert strip_render_date(a, D1) == strip_render_date(b, rendered_set.name), name
