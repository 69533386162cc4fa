"""How the notebooks are kept in git (docs/contributing_notebooks.md), checked without a kernel:
stripped except the ``nbval-check-output`` cells, which hold plain stdout text with an
execution count; and scripts/refresh_notebooks.strip() enforces exactly that."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from nbval.plugin import get_sanitize_patterns

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
KERNELSPEC = {"name": "plan-tracker", "display_name": "Python (plan-tracker)", "language": "python"}

_spec = importlib.util.spec_from_file_location("refresh_notebooks", ROOT / "scripts" / "refresh_notebooks.py")
refresh = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(refresh)


def test_the_tour_four_report_notebooks_and_the_draft_notebook():
    assert [p.name for p in NOTEBOOKS] == ["00_start_here.ipynb", "01_overview.ipynb", "02_area.ipynb",
                                           "03_indicator.ipynb", "04_data_coverage.ipynb", "05_plan_from_text.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebook_is_stripped_except_check_cell(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata == {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code[0].metadata == {"tags": ["parameters"]}
    checked = [c for c in code if "nbval-check-output" in c.metadata.get("tags", [])]
    if path.name != "05_plan_from_text.ipynb":  # a plan's notebooks; 05 drafts a plan, it has none yet
        assert "params.prepare(" in code[1].source  # the checking cell follows the parameters
        assert "footer_html" in code[-1].source  # the renderer relies on the footer being last
        assert len(checked) == 1
    for c in code:
        if c in checked:
            # Refreshed from data/raw: stdout text only, with an execution count (else nbval
            # would compare nothing or fail with "Unrun reference cell has outputs").
            assert c.execution_count is not None
            assert [(o.output_type, o.name) for o in c.outputs] == [("stream", "stdout")]
            text = c.outputs[0].text
            assert "no_data" in text or "targets" in text or "area" in text
            assert not re.search(r"\d{4}-\d{2}-\d{2}|/work/|/home/|/tmp/", text)
        else:
            assert c.outputs == [] and c.execution_count is None
            assert set(c.metadata) <= {"tags"}


def _executed() -> nbformat.NotebookNode:
    nb = new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}, "widgets": {"x": 1},
                                "language_info": {"name": "python", "version": "3.11.7"}})
    a = new_code_cell("x = 1", execution_count=1, metadata={"tags": ["parameters"], "execution": {"iopub.status.busy": "2026-01-01T00:00:00Z"}})
    b = new_code_cell("show()", execution_count=2,
                      outputs=[new_output("display_data", data={"text/html": "<b>x</b>"})])
    c = new_code_cell("print(k)", execution_count=3, metadata={"tags": ["nbval-check-output"]},
                      outputs=[new_output("stream", name="stdout", text="a  1\n"),
                               new_output("stream", name="stdout", text="b  2\n")])
    nb.cells = [a, b, c]
    return nb


def test_strip_keeps_only_check_outputs_and_resets_metadata():
    nb = refresh.strip(_executed())
    a, b, c = nb.cells
    assert (a.outputs, a.execution_count, a.metadata) == ([], None, {"tags": ["parameters"]})
    assert (b.outputs, b.execution_count, b.metadata) == ([], None, {})
    assert c.execution_count == 3
    assert [dict(o) for o in c.outputs] == [{"output_type": "stream", "name": "stdout", "text": "a  1\nb  2\n"}]
    assert nb.metadata == {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}


def test_strip_refuses_unstable_check_output():
    nb = _executed()
    nb.cells[2].outputs.append(new_output("stream", name="stderr", text="UserWarning: ...\n"))
    with pytest.raises(ValueError, match=r"cell 2 tagged nbval-check-output must print plain text"):
        refresh.strip(nb, "x.ipynb")
    nb = _executed()
    nb.cells[2].outputs = []
    with pytest.raises(ValueError, match="produced nothing"):
        refresh.strip(nb, "x.ipynb")


def test_sanitize_patterns_mask_run_specific_text_only():
    patterns = get_sanitize_patterns((ROOT / "tests" / "nbval_sanitize.cfg").read_text(encoding="utf-8"))
    assert len(patterns) >= 5

    def sanitize(s: str) -> str:
        for regex, replace in patterns:
            s = re.sub(regex, replace, s)
        return s

    assert sanitize("rendered 2026-11-29 06:29:39 from /work/main/data/raw/statistics.csv at 0x7f3a2b1c9d10") \
        == "rendered DATETIME from PATH at 0xADDRESS"
    assert sanitize(r"C:\Users\me\stats.csv") == "PATH"
    # Results are left alone: ids, years, units with slashes, numbers, statuses.
    key = "poverty.poor_villages_exited  2019  516  achieved  0  1\nbeds/1000 persons/year 2016-2020 -0.4"
    assert sanitize(key) == key
