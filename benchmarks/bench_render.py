"""Benchmark of the report renderer: the full set, the floor, and the naive loop.

Prints (seconds, wall clock, on this machine)::

    render_s: N          the full set (index, overview, one report per area, data coverage)
                         through helpers.publish.render.render_reports into a temporary folder
    floor_s: N           the same number of stand-in notebooks that only import what the
                         report notebooks import (pandas, matplotlib, helpers) and print one
                         line, through the same pipeline and the same number of jobs, each on
                         a fresh kernel (papermill's own ``nbclient`` engine,
                         HELPERS_RENDER_ENGINE=nbclient): kernel start, imports, export and
                         publishing, the cost of rendering without a warm kernel
    render_vs_floor: R   render_s / floor_s (goal: at most 1.0; the renderer's ``warm-fork``
                         engine pays kernel start and imports once per render)
    unchanged_rerender_s: N  a second render of the same inputs into the same reports folder
                         (every page unchanged, so copied: helpers.publish.reuse)
    unchanged_rerender_vs_full: R  unchanged_rerender_s / render_s (goal: at most 0.10)
    naive_s: N           the obvious alternative: for each notebook the papermill CLI, then
                         ``jupyter nbconvert --to html`` CLI, one notebook at a time
    speedup_vs_naive: X  naive_s / render_s (goal: at least 6)

The naive loop is timed on a sample (overview, data coverage and ``--naive-areas`` area
notebooks, default 2) and scaled to the full set: overview + coverage + mean(area) x areas; the
output says so. ``--naive-areas 0`` or a number >= the number of areas times every notebook.

Usage: ``.venv/bin/python benchmarks/bench_render.py [--jobs N] [--repeat K] [--naive-areas M]``
(``make bench``). Render, re-render and floor are run K times each (``--repeat``, default 3),
interleaved, and the minimum of each is reported: the machine is shared and a single run is
noisy. Full renders and the floor go to new folders, so nothing is reused there.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from helpers import paths  # noqa: E402
from helpers.publish.jobs import KERNEL_NAME, NOTEBOOKS, notebook_parameters  # noqa: E402
from helpers.publish.render import render_reports  # noqa: E402
from helpers.publish.kernels.engine import FRESH_ENGINE  # noqa: E402

BIN = Path(sys.executable).parent

def notebook_imports() -> list[str]:
    """The modules a report notebook imports: pandas, matplotlib.pyplot and every ``helpers``
    module loaded once a notebook has prepared its context (found by doing it here)."""
    import subprocess as sp

    code = ("import sys; from helpers.report import charts, display, params, sections, widgets; "
            "params.prepare(area='health'); "
            "print(' '.join(sorted(m for m in sys.modules if m.startswith('helpers.'))))")
    mods = sp.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                  cwd=paths.NOTEBOOKS_DIR).stdout.split()
    return ["pandas", "matplotlib.pyplot", *mods]


def floor_source(modules: list[str]) -> str:
    """The floor notebook's one code cell: import exactly what the report notebooks import."""
    return "".join(f"import {m}\n" for m in modules) + "print('floor')"


def make_floor_notebooks(folder: Path, source: str) -> Path:
    """Stand-in notebooks with the real notebooks' file names and parameters cells, whose only
    other cell is ``source`` (the imports)."""
    import nbformat

    folder.mkdir(parents=True, exist_ok=True)
    for name in NOTEBOOKS.values():
        real = nbformat.read(str(paths.NOTEBOOKS_DIR / name), as_version=4)
        param_cell = next(c for c in real.cells if "parameters" in c.metadata.get("tags", []))
        nb = nbformat.v4.new_notebook()
        nb.metadata = real.metadata
        pc = nbformat.v4.new_code_cell(param_cell.source)
        pc.metadata["tags"] = ["parameters"]
        nb.cells = [pc, nbformat.v4.new_code_cell(source)]
        nbformat.write(nb, str(folder / name))
        assert notebook_parameters(folder / name) == notebook_parameters(paths.NOTEBOOKS_DIR / name)
    return folder


def timed_render(out: Path, jobs: int | None, notebooks_dir: Path | None = None, engine: str | None = None) -> float:
    """Seconds for one render into ``out``; ``engine``: HELPERS_RENDER_ENGINE for its workers."""
    from helpers.publish.kernels.engine import ENGINE_ENV

    before = os.environ.get(ENGINE_ENV)
    if engine is not None:
        os.environ[ENGINE_ENV] = engine  # inherited by the spawned workers
    try:
        t0 = time.perf_counter()
        render_reports(date="2000-01-01", out=out, jobs=jobs, progress=False, notebooks_dir=notebooks_dir)
        return time.perf_counter() - t0
    finally:
        if before is None:
            os.environ.pop(ENGINE_ENV, None)
        else:
            os.environ[ENGINE_ENV] = before


def naive_one(name: str, params: dict, work: Path) -> float:
    """papermill CLI then nbconvert CLI for one notebook; seconds."""
    executed = work / f"{Path(name).stem}-{params.get('area', 'x')}.ipynb"
    cmd = [str(BIN / "papermill"), str(paths.NOTEBOOKS_DIR / name), str(executed),
           "-k", KERNEL_NAME, "--cwd", str(paths.NOTEBOOKS_DIR), "--no-progress-bar"]
    for k, v in params.items():
        cmd += ["-p", k, str(v)]  # the CLI reads "False" as a bool
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input",
                    str(executed)], check=True, capture_output=True)
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--jobs", type=int, default=None, help="parallel notebooks (default: CPU count)")
    ap.add_argument("--repeat", type=int, default=3, help="runs of render and floor; minimum reported")
    ap.add_argument("--naive-areas", type=int, default=2, help="area notebooks timed in the naive loop")
    args = ap.parse_args()

    from helpers.data.load import load_plan

    inputs = load_plan()  # the default plan
    areas = [a for a in dict.fromkeys(inputs.targets["area"].astype(str))]
    n_notebooks = len(areas) + 2
    jobs = args.jobs or os.cpu_count() or 1

    with tempfile.TemporaryDirectory(prefix="bench-render-") as tmp:
        tmp = Path(tmp)
        modules = notebook_imports()
        floor_dir = make_floor_notebooks(tmp / "floor-notebooks", floor_source(modules))
        # Warm-up (font cache, .pyc files) so the first timed run is not penalised.
        render_reports(date="1999-01-01", out=tmp / "warm", areas=areas[:1], jobs=jobs,
                       progress=False, notebooks_dir=floor_dir)
        render_s = floor_s = rerender_s = float("inf")
        for i in range(args.repeat):
            floor_s = min(floor_s, timed_render(tmp / f"floor{i}", jobs, floor_dir, engine=FRESH_ENGINE))
            render_s = min(render_s, timed_render(tmp / f"render{i}", jobs))
            rerender_s = min(rerender_s, timed_render(tmp / f"render{i}", jobs))  # same inputs, same folder

        sample_areas = areas if args.naive_areas <= 0 else areas[:args.naive_areas]
        common = {"interactive": False}
        work = tmp / "naive"
        work.mkdir()
        t_over = naive_one(NOTEBOOKS["overview"], common, work)
        t_cov = naive_one(NOTEBOOKS["coverage"], common, work)
        t_areas = [naive_one(NOTEBOOKS["area"], {"area": a, **common}, work) for a in sample_areas]
        naive_s = t_over + t_cov + sum(t_areas) / len(t_areas) * len(areas)
        shutil.rmtree(work, ignore_errors=True)

    print(f"notebooks: {n_notebooks} (overview, {len(areas)} areas, data coverage); jobs: {jobs}; "
          f"cpus: {os.cpu_count()}")
    print(f"floor notebook imports: {', '.join(modules)}")
    print(f"render_s: {render_s:.2f}")
    print(f"floor_s: {floor_s:.2f}")
    print(f"render_vs_floor: {render_s / floor_s:.2f}")
    print(f"unchanged_rerender_s: {rerender_s:.2f}")
    print(f"unchanged_rerender_vs_full: {rerender_s / render_s:.2f}")
    scaled = "" if len(sample_areas) == len(areas) else (
        f" (sampled: overview, data coverage and {len(sample_areas)} of {len(areas)} area notebooks, "
        f"area time scaled x{len(areas) / len(sample_areas):.1f}; per notebook "
        f"{(t_over + t_cov + sum(t_areas)) / (2 + len(t_areas)):.2f} s)")
    print(f"naive_s: {naive_s:.2f}{scaled}")
    print(f"speedup_vs_naive: {naive_s / render_s:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
