"""The notebooks run top to bottom: with their defaults (00_start_here too), under papermill with
every area and a sample of indicators of every kind, stop early on an unknown area/indicator, and
escape hostile text; the reports lead with what is known (no empty charts, the targets without
data listed once each). All runs happen once, in one batch on two spawned workers (session
fixture)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from helpers.report import htmltext, params, sections

from helpers.data import load
from fuyang_plan import AREAS
from nb_runner import ROOT, execute_many
from nb_synthetic import write_synthetic_project

pytestmark = pytest.mark.slow

NOTEBOOK_NAMES = ("00_start_here.ipynb", "01_overview.ipynb", "02_area.ipynb", "03_indicator.ipynb",
                  "04_data_coverage.ipynb")
TARGETS = load.load_targets(ROOT / "data" / "raw" / "fuyang" / "targets.csv")
#: The default plan scored as the notebooks score it (no charts drawn here).
CTX = params.prepare(plan="fuyang", charts=False, lang="en")


def indicator_sample(targets: pd.DataFrame) -> list[str]:
    """First target of each kind and of each comparator, plus the default indicator."""
    ids = {"health.beds_per_1000"}
    for col in ("kind", "comparator"):
        ids |= set(targets.drop_duplicates(col)["id"].astype(str))
    return sorted(ids)


INDICATORS = indicator_sample(TARGETS)


@pytest.fixture(scope="session")
def runs(tmp_path_factory):
    """Execute every notebook run of this module once; {key: (executed notebook, error)}."""
    out = tmp_path_factory.mktemp("executed")
    hostile = write_synthetic_project(tmp_path_factory.mktemp("hostile"), hostile=True)
    hostile_paths = {"targets_path": str(hostile / "data/raw/synthetic/targets.csv"),
                     "statistics_path": str(hostile / "data/raw/synthetic/statistics.csv"), "interactive": False}
    jobs: dict[str, tuple[str, dict]] = {}
    for name in NOTEBOOK_NAMES:
        jobs[f"default:{name}"] = (name, {})
    for area in AREAS:
        jobs[f"area:{area}"] = ("02_area.ipynb", {"area": area, "interactive": False})
    for ind in INDICATORS:
        jobs[f"indicator:{ind}"] = ("03_indicator.ipynb", {"indicator_id": ind, "interactive": False})
    jobs["indicator:en-cagr"] = ("03_indicator.ipynb", {"indicator_id": "poverty.rural_poor_population",
                                                        "method": "cagr", "lang": "en", "interactive": False})
    jobs["params:01-as-of-2019"] = ("01_overview.ipynb", {"as_of_year": 2019, "method": "cagr",
                                                          "interactive": False})
    jobs["params:04-anhui-zh"] = ("04_data_coverage.ipynb", {"geo": "anhui", "lang": "zh", "interactive": False})
    jobs["unknown:area"] = ("02_area.ipynb", {"area": "jobs", "interactive": False})
    jobs["unknown:indicator"] = ("03_indicator.ipynb", {"indicator_id": "health.beds", "interactive": False})
    jobs["hostile:01"] = ("01_overview.ipynb", hostile_paths)
    jobs["hostile:03"] = ("03_indicator.ipynb", {**hostile_paths, "indicator_id": "health.beds_per_1000"})
    paths = {k: str(out / f"{re.sub(r'[^A-Za-z0-9_.-]', '_', k)}.ipynb") for k in jobs}
    results = execute_many([(name, paths[k], p, None) for k, (name, p) in jobs.items()], workers=2)
    return {k: (nbformat.read(paths[k], as_version=4) if Path(paths[k]).is_file() else None,
                results[paths[k]]) for k in jobs}


def ok(runs, key) -> nbformat.NotebookNode:
    nb, err = runs[key]
    assert err is None, f"{key} failed: {err['text'] if err else ''}"
    return nb


def outputs(nb, mime: str) -> list[str]:
    found = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            data = o.get("data", {})
            if mime in data:
                v = data[mime]
                found.append("".join(v) if isinstance(v, list) else v)
            elif mime == "text/plain" and o.get("output_type") == "stream":
                found.append(o["text"])
    return found


def check_text(nb) -> str:
    cells = [c for c in nb.cells if "nbval-check-output" in c.metadata.get("tags", [])]
    assert len(cells) == 1
    return "".join(o["text"] for o in cells[0].outputs if o.get("output_type") == "stream")


@pytest.mark.parametrize("name", NOTEBOOK_NAMES)
def test_defaults_run_with_footer(runs, name):
    nb = ok(runs, f"default:{name}")
    last = nb.cells[-1]
    footer = "".join("".join(o["data"]["text/html"]) for o in last.outputs if "text/html" in o.get("data", {}))
    assert footer.startswith('<footer class="helpers-footer">')
    assert "docs/method.md" in footer and "helpers 0.1.0" in footer
    assert not any(o.get("output_type") == "error" for c in nb.cells for o in c.get("outputs", []))


def test_overview_shows_scoreboard_heatmap_and_every_target(runs):
    nb = ok(runs, "default:01_overview.ipynb")
    assert len(outputs(nb, "image/png")) == 2  # scoreboard and heatmap
    text = check_text(nb)
    for ind in TARGETS["id"]:
        assert f" {ind} " in text
    assert f"targets={len(TARGETS)}:" in text


def test_overview_leads_with_what_is_known_and_lists_the_rest_once(runs):
    nb = ok(runs, "default:01_overview.ipynb")
    html = "".join(outputs(nb, "text/html"))
    table = sections.status_frame(CTX)
    known, missing = sections.known(table), sections.no_data_frame(CTX)
    assert len(known) and len(missing) and len(known) + len(missing) == len(TARGETS)
    # The table of targets with a value comes before the list of those without.
    assert html.index("Targets with a value") < html.index("Status by year") < html.index("Targets without data")
    # Every target without data is named exactly once in the whole page (the compact list; the
    # narrative gives the count only), with the data that would score it.
    for name in missing["name"].map(htmltext.esc):
        assert html.count(f" / {name}<") + html.count(f">{name}<") == 1, name
    assert html.count("<details><summary>") == 1  # the long list is folded, its count in the summary
    assert f"Show the {len(missing)} targets without data" in html
    assert "any year" in html and "(baseline) and any year" in html
    # The heatmap draws the targets with a value only, and says how many are left out.
    assert f"Only the {len(sections.ids_with_value(CTX))} targets with a value in some year are drawn" in html
    # Two gaps, two names; "no data" is never the status of a value.
    assert "距目标 / Gap to target" in html and "距应达路径 / Gap to path" in html


def test_defaults_show_widgets_when_interactive(runs):
    for name in ("00_start_here.ipynb", "02_area.ipynb", "03_indicator.ipynb"):
        nb = ok(runs, f"default:{name}")
        assert outputs(nb, "application/vnd.jupyter.widget-view+json"), name


def test_start_here_tour_shows_frames_chart_and_one_check_cell(runs):
    nb = ok(runs, "default:00_start_here.ipynb")
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code[0].metadata.tags == ["parameters"]
    assert "params.prepare(" in next(c.source for c in code[1:] if "injected-parameters" not in c.metadata.get("tags", []))
    assert sum("nbval-check-output" in c.metadata.get("tags", []) for c in nb.cells) == 1
    assert len(outputs(nb, "image/png")) == 1  # the target's chart (the explorer's is a widget)
    html = "".join(outputs(nb, "text/html"))
    assert 'class="dataframe"' in html  # ctx.latest and the by-year frame shown as DataFrames
    assert "Gap to path" in html and "value, not scored" in html
    # Issue 24: the tour opens the shipped plan with the most values, on its default area and a
    # target of that same area (not the default plan, where most targets have no data).
    printed = "".join(o.get("text", "") for c in code for o in c.get("outputs", []) if o.get("output_type") == "stream")
    plan = params.plan_with_most_values()
    tour = params.prepare(plan=plan, for_area=True, for_indicator=True, charts=False)
    assert f"area: {tour.area} | target: {tour.indicator_id}" in printed
    assert tour.targets.set_index("id").loc[tour.indicator_id, "area"] == tour.area
    assert check_text(nb).rstrip().endswith(sections.area_key_text(tour, tour.area).splitlines()[-1])
    assert not any(o.get("output_type") == "error" for c in nb.cells for o in c.get("outputs", []))


@pytest.mark.parametrize("area", list(AREAS))
def test_area_notebook_for_every_area(runs, area):
    nb = ok(runs, f"area:{area}")
    ids = TARGETS.loc[TARGETS["area"] == area, "id"].tolist()
    drawn = sections.chart_ids(CTX, area)
    # One chart per target with something to draw, none for the others (they are listed).
    assert len(outputs(nb, "image/png")) == len(drawn)
    assert not outputs(nb, "application/vnd.jupyter.widget-view+json")  # interactive=False
    text = check_text(nb)
    listed = [line.split()[0] for line in text.splitlines()[1:] if line and not line.startswith("targets=")]
    assert listed == ids
    html = "".join(outputs(nb, "text/html"))
    assert f"共{len(ids)}项目标" in html  # the narrative counts the area's targets
    assert re.search(rf"(\d+ of|none of the) {len(ids)} targets", html)
    missing = sections.no_data_frame(CTX, area)
    assert "Targets without data" in html
    assert ("<details>" in html) == (len(missing) > sections.FOLD_ROWS)
    for name in missing["name"]:
        assert htmltext.esc(name) in html


@pytest.mark.parametrize("indicator_id", INDICATORS + ["en-cagr"])
def test_indicator_notebook_sample(runs, indicator_id):
    nb = ok(runs, f"indicator:{indicator_id}")
    ind = "poverty.rural_poor_population" if indicator_id == "en-cagr" else indicator_id
    t = TARGETS.set_index("id").loc[ind]
    years = [line.split()[0] for line in check_text(nb).splitlines()[1:]]
    assert years == [str(y) for y in range(int(t["baseline_year"]) + 1, int(t["target_year"]) + 1)]
    assert len(outputs(nb, "image/png")) == 1
    html = "".join(outputs(nb, "text/html"))
    assert "Sources of every value" in html and "Year by year, both methods" in html
    if indicator_id == "en-cagr":
        assert "来源" not in html  # lang="en": no Chinese headings


def test_overview_as_of_earlier_year(runs):
    nb = ok(runs, "params:01-as-of-2019")
    rows = [line.split() for line in check_text(nb).splitlines()[1:] if line and not line.startswith("targets=")]
    years = {r[2] for r in rows}
    assert years <= {"2017", "2018", "2019", "—"} and "2019" in years
    html = "".join(outputs(nb, "text/html"))
    assert "data as of 2019" in html and "数据截至2019年" in html
    assert "method: compound annual growth (CAGR)" in html and "方法：复合增长率" in html  # the method's label
    # The 2021 figure (new urban jobs) is beyond the cut-off: no data as of 2019.
    jobs = next(r for r in rows if r[1] == "employment.urban_new_jobs")
    assert jobs[2:5] == ["—", "—", "no_data"]


def test_coverage_for_another_geo_in_chinese(runs):
    nb = ok(runs, "params:04-anhui-zh")
    html = "".join(outputs(nb, "text/html"))
    assert "安徽省" in html and "Data coverage" not in html  # lang="zh": Chinese headings only
    assert "数据覆盖" in html


@pytest.mark.parametrize("key, what", [("unknown:area", "area"), ("unknown:indicator", "indicator_id")])
def test_unknown_value_stops_in_first_cell_after_parameters(runs, key, what):
    nb, err = runs[key]
    assert err is not None and err["type"] == "PapermillExecutionError"
    assert err["ename"] == "UnknownValueError"
    if what == "area":
        assert "unknown area 'jobs'; valid values are: " + ", ".join(AREAS) in err["evalue"]
    else:
        assert "unknown indicator_id 'health.beds'; valid values are: " in err["evalue"]
        assert ", ".join(TARGETS["id"]) in err["evalue"]
    # Code cells: parameters, injected-parameters, then the checking cell, which is where it
    # stopped (papermill also puts a markdown error banner at the top of the saved notebook).
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code[0].metadata.tags == ["parameters"] and "injected-parameters" in code[1].metadata.tags
    errored = [i for i, c in enumerate(code) if any(o.output_type == "error" for o in c.outputs)]
    assert errored == [2]
    assert "params.prepare(" in code[2].source
    assert all(c.get("execution_count") is None for c in code[3:])


@pytest.mark.parametrize("key", ["hostile:01", "hostile:03"])
def test_hostile_text_is_escaped_in_notebook_output(runs, key):
    nb = ok(runs, key)
    html = "\n".join(outputs(nb, "text/html"))
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    if key == "hostile:03":  # the note and the source title are shown on the indicator page
        assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
