"""The render's worker side (helpers.publish.workers), without starting a worker or a kernel: external
resources in a page, ANSI codes in messages, the kernels' environment, the failed cell named
from a saved executed notebook.

A worker's start-up (``init_worker``) and one notebook's execution and export (``render_one``)
run only in a render: tests/test_render.py, test_engines.py, test_hygiene.py, test_reuse.py.
"""

from __future__ import annotations

import nbformat
import pytest

from helpers.publish import workers
from helpers.publish.workers import external_resources, strip_ansi


def test_external_resources_are_found_and_links_are_not():
    page = ('<img src="data:image/png;base64,AAAA"><img alt="x" src="http://cdn.example/a.png">'
            '<script src=https://cdn.example/r.js></script><link rel="stylesheet" href="//cdn.example/c.css">'
            '<a href="https://www.fy.gov.cn/">source</a> &lt;img src=x onerror=alert(1)&gt;'
            '<style>@import url("https://fonts.example/f.css");</style>')
    assert external_resources(page) == ["http://cdn.example/a.png", "https://cdn.example/r.js",
                                        "//cdn.example/c.css", "https://fonts.example/f.css"]
    # a chart's alt text quoting a hostile name is an attribute value, not a tag
    alt = '<img alt="&lt;img src=x onerror=alert(1)&gt; <img src=y>" src="data:image/png;base64,AAAA">'
    assert external_resources(alt) == []


def test_strip_ansi():
    assert strip_ansi("\x1b[0;31mValueError\x1b[0m: bad\x1b[1;32m") == "ValueError: bad"


def test_kernel_env_sets_the_given_mapping_only():
    env = {"FORCE_COLOR": "1", "KEEP": "x"}
    workers.kernel_env(env)
    assert env == {"KEEP": "x", "PYDEVD_DISABLE_FILE_VALIDATION": "1", "JUPYTER_PLATFORM_DIRS": "1",
                   "PYTHONHASHSEED": "0", "NO_COLOR": "1"}


def test_failed_cell_counts_source_cells_and_skips_comments(tmp_path):
    injected = nbformat.v4.new_code_cell("as_of_year = 2024")
    injected.metadata["tags"] = ["injected-parameters"]
    injected.metadata["papermill"] = {"start_time": "t"}
    failing = nbformat.v4.new_code_cell("# a comment\n\nx = 1 / 0\n")
    failing.metadata["papermill"] = {"start_time": "t"}
    failing.outputs = [nbformat.v4.new_output("error", ename="ZeroDivisionError", evalue="division by zero",
                                              traceback=[])]
    nb = nbformat.v4.new_notebook()
    nb.cells = [injected, nbformat.v4.new_markdown_cell("# Title"), failing, nbformat.v4.new_code_cell("y = 2")]
    path = tmp_path / "run.ipynb"
    nbformat.write(nb, str(path))
    # 0-based in the source notebook: the injected cell is not counted, the markdown cell is
    assert workers._failed_cell(path) == (1, "x = 1 / 0", "ZeroDivisionError", "division by zero")
    assert workers._failed_cell(tmp_path / "never-saved.ipynb") == (None, "", "", "")


@pytest.mark.parametrize("lang, code", [("en", "en"), ("zh", "zh-CN"), ("both", "zh-CN"), (None, "zh-CN")])
def test_a_report_page_declares_the_language_it_is_written_in(lang, code):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("text")]
    resources = {"metadata": {"name": "t"}} | ({} if lang is None else {"report_lang": lang})
    body, _ = workers.make_exporter().from_notebook_node(nb, resources=resources)
    assert f'<html lang="{code}">' in body
