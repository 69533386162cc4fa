"""What a render renders: the report jobs of a plan (which notebook, with which parameters,
heaviest first), the checks made before any kernel starts (date, areas, the notebooks'
parameters cells, the kernel being installed), and the notebooks read as plain JSON (their code
cells, parameters and imports) so that the render's parent never imports nbformat.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from helpers import paths
from helpers.exceptions import Problem, ValidationError

#: Jupyter kernel the notebooks run on (installed by ``make env``).
KERNEL_NAME = "plan-tracker"
#: Notebook files (in ``notebooks/``) by report kind.
NOTEBOOKS = {
    "overview": "01_overview.ipynb",
    "area": "02_area.ipynb",
    "coverage": "04_data_coverage.ipynb",
}


@dataclass(frozen=True)
class ReportJob:
    """One report: ``key`` is the file stem (``area-<key>``), ``notebook`` the source file name,
    ``weight`` a rough relative cost used to start the heaviest notebooks first."""

    key: str
    notebook: str
    parameters: dict
    title: str
    label: tuple[str, str]
    weight: float = 1.0



def plan_jobs(areas: Sequence[str], plan, parameters: dict) -> list[ReportJob]:
    """The report jobs of a :class:`~helpers.data.plan.Plan`, heaviest first. Cost model: an area
    report draws one chart per target, the overview two charts over every target, the coverage
    report tables only."""
    targets = plan.targets
    counts = targets["area"].astype("string").value_counts()
    short = plan.text("document_number") or plan.title_pair()[0]

    def title(zh: str, en: str) -> str:
        return f"{zh} / {en}" + (f" — {short}" if short else "")

    jobs = [ReportJob("overview", NOTEBOOKS["overview"], dict(parameters),
                      title("规划总览", "Plan overview"), ("规划总览", "Plan overview"),
                      weight=2.0 + 0.1 * len(targets))]
    for area in areas:
        zh, en = plan.area_pair(area)
        jobs.append(ReportJob(f"area-{area}", NOTEBOOKS["area"], {"area": area, **parameters},
                              title(zh, en), (zh, en), weight=1.0 + float(counts.get(area, 0))))
    jobs.append(ReportJob("data-coverage", NOTEBOOKS["coverage"], dict(parameters),
                          title("数据覆盖", "Data coverage"), ("数据覆盖", "Data coverage"),
                          weight=1.5))
    # Stable sort: equal weights keep plan order.
    return sorted(jobs, key=lambda j: -j.weight)


def _resolve_date(date) -> str:
    if date is None:
        return _dt.date.today().isoformat()
    if isinstance(date, _dt.date):
        return date.isoformat()
    text = str(date).strip()
    try:
        if not paths.ISO_DATE_RE.match(text):
            raise ValueError
        _dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationError([Problem("--date", None, None,
                                       f"{date!r} is not a date in the form YYYY-MM-DD")]) from None
    return text


def notebook_parameters(nb_path: Path) -> set[str]:
    """Names assigned in the cell tagged ``parameters`` (parsed with :mod:`ast`, so comments
    holding ``=`` do not confuse it); an empty set when no code cell has that tag.

    The cells come from :func:`helpers.publish.kernels.zygote.code_cells` (plain JSON: importing nbformat here
    would import jsonschema, seconds of CPU in the parent process for a check that needs one
    cell). A file that is not a notebook is a :class:`ValidationError` naming it."""
    import ast

    try:
        cells = code_cells(nb_path)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValidationError([Problem(str(nb_path), None, None, f"not a readable notebook: {exc}")]) from None
    for tags, source in cells:
        if "parameters" in tags:
            names = set()
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                    names.add(node.id)
            return names
    return set()


@dataclass
class Prepared:
    """A checked render: its date, the parent's :class:`helpers.report.params.Context` (inputs, geo,
    as-of year, trajectory, latest statuses), the areas and the report jobs."""

    date: str
    ctx: object
    areas: list[str]
    jobs: list[ReportJob] = field(default_factory=list)
    #: :func:`helpers.data.load.fingerprint` of the input files as validated; None when they changed
    #: while being read (the kernels then validate them themselves).
    fingerprint: tuple | None = None
    #: The previous set of the same plan, method and geo (:func:`helpers.publish.changes.previous_set`).
    previous: Path | None = None
    #: Report keys (``area-<key>``, ...) the published set will hold (this render's and, for a
    #: partial render into an existing date, the pages it keeps).
    pages: set = field(default_factory=set)
    #: The input files' bytes as validated (file name -> bytes), kept in the set's ``inputs/``.
    input_bytes: dict = field(default_factory=dict)
    #: The git commit of the code (:func:`helpers.publish.citation.code_commit`), found once by
    #: the render's parent; None when unknown (then no page names one).
    commit: str | None = None


def _check_areas(areas, plan) -> list[str]:
    """``None`` -> every area with a target, in plan order; else the given keys (a list, or one
    string separated by commas or spaces), checked, duplicates dropped."""
    from helpers.report import params

    valid = params.valid_areas(plan)
    if areas is None:
        return plan.areas_in_use()
    if isinstance(areas, str):
        areas = [a for a in re.split(r"[,\s]+", areas) if a]
    chosen: list[str] = []
    for a in areas:
        params.check_choice("area", a, valid)
        if a not in chosen:
            chosen.append(a)
    return chosen


def _check_notebooks(jobs: Sequence[ReportJob], wanted: set[str], notebooks_dir: Path) -> None:
    """Every report notebook exists and its parameters cell declares what the renderer passes."""
    for name in sorted({j.notebook for j in jobs}):
        path = notebooks_dir / name
        if not path.is_file():
            raise ValidationError([Problem(str(path), None, None, "report notebook not found")])
        declared = notebook_parameters(path)
        missing = sorted((wanted | ({"area"} if name == NOTEBOOKS["area"] else set())) - declared)
        if missing:
            raise ValidationError([Problem(str(path), None, "parameters",
                                           f"the parameters cell does not declare {', '.join(missing)}")])


def _check_kernel() -> None:
    """The notebooks' Jupyter kernel must be installed; otherwise say how to install it.

    Looks for ``kernels/<name>/kernel.json`` on Jupyter's data path, where jupyter_client's
    kernel-spec manager looks, without importing jupyter_client into this process."""
    from jupyter_core.paths import jupyter_path

    name = KERNEL_NAME
    if not any((Path(d) / name.lower() / "kernel.json").is_file() for d in jupyter_path("kernels")):
        raise ValidationError([Problem(f"kernel {name}", None, None,
                                       "the Jupyter kernel the report notebooks run on is not installed; "
                                       "run `make env`, or in an activated conda environment "
                                       f"`python -m ipykernel install --sys-prefix --name {name}`")])


def prepare(date, areas, as_of, method, lang, targets_path, statistics_path, geo,
             notebooks_dir: Path, name: str | None = None) -> Prepared:
    """Every check before a kernel starts: date, inputs and parameters (the notebooks' own
    :func:`helpers.report.params.prepare`, so the index scores exactly what the notebooks score),
    areas, the notebooks' parameter names, and that the notebooks' kernel is installed."""
    from helpers.data import load
    from helpers.report import params
    day = _resolve_date(date)
    before = load.fingerprint(targets_path, statistics_path)
    plan = load.load_inputs(targets_path, statistics_path, name)
    ctx = params.prepare(plan=plan, as_of_year=as_of, method=method, lang=lang, geo=geo, charts=False)
    unchanged = load.fingerprint(targets_path, statistics_path) == before
    chosen = _check_areas(areas, ctx.plan)
    nb_params = {
        "as_of_year": ctx.as_of_requested, "method": method, "lang": lang,
        "targets_path": str(Path(targets_path).resolve()),
        "statistics_path": str(Path(statistics_path).resolve()),
        "geo": geo, "interactive": False,
    }
    jobs = plan_jobs(chosen, ctx.plan, nb_params)
    _check_notebooks(jobs, set(nb_params), notebooks_dir)
    _check_kernel()
    # The bytes validated (read under the data lock): the set keeps them as its inputs/ copy.
    kept = {Path(f).name: Path(f).read_bytes() for f in (targets_path, statistics_path,
                                                         Path(targets_path).parent / "plan.json")
            if Path(f).is_file()}
    return Prepared(day, ctx, chosen, jobs, fingerprint=before if unchanged else None, input_bytes=kept)



def code_cells(path) -> list[tuple[list[str], str]]:
    """The code cells of the notebook at ``path``, in order, as ``(tags, source)``: the cell's
    ``metadata.tags`` (``[]`` when none) and its source as one string (a saved notebook stores
    it as a list of lines, which are joined).

    Read as plain JSON (nbformat 4: ``cells``, each ``source`` a string or a list of lines), so
    neither this template nor the renderer's parent imports nbformat (and jsonschema with it).
    Raises :class:`OSError` for an unreadable file, :class:`ValueError` for one that is not JSON
    (or not UTF-8), :class:`KeyError` / :class:`TypeError` for JSON without a ``cells`` list."""
    with open(path, encoding="utf-8") as fh:
        nb = json.load(fh)
    cells = nb["cells"]
    found = []
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        src = cell.get("source", "")
        tags = (cell.get("metadata") or {}).get("tags") or []
        found.append((tags, "".join(src) if isinstance(src, list) else str(src)))
    return found


def notebook_imports(paths) -> list[str]:
    """The import statements at the top level of the notebooks' code cells (:func:`code_cells`),
    as :func:`preload` specs (``a`` or ``a:b,c``), in first-seen order. Cells that are not plain
    Python (magics) are skipped; relative imports are ignored."""
    import ast

    specs: list[str] = []
    for path in paths:
        for _tags, src in code_cells(path):
            try:
                tree = ast.parse(src)
            except SyntaxError:
                continue
            for node in tree.body:
                if isinstance(node, ast.Import):
                    found = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    found = [f"{node.module}:{','.join(a.name for a in node.names if a.name != '*')}"]
                else:
                    continue
                specs.extend(s for s in found if s not in specs)
    return specs
