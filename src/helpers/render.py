"""The report renderer: execute the report notebooks with papermill, export them to HTML, publish
a dated set atomically.

``python -m helpers render`` (and :func:`render_reports`) writes ``<out>/YYYY-MM-DD/``::

    index.html              plan title, date, as-of year, status counts per area, links
    overview.html           notebooks/01_overview.ipynb
    area-<key>.html         notebooks/02_area.ipynb with area=<key>, one per area
    data-coverage.html      notebooks/04_data_coverage.ipynb
    <name>.ipynb            the executed notebook beside each HTML file, for audit

and points ``<out>/latest`` (a relative symlink) at the newest complete set.

How a render runs, and why:

1. Inputs and parameters are checked first (:func:`helpers.params.prepare`, as the notebooks do;
   areas; the notebooks' parameter names; the Jupyter kernel being installed); bad input raises
   ValidationError / UnknownValueError (exit 2) before any kernel starts, and nothing is written.
2. A file lock (``<out>/.render.lock``) keeps a second render from clobbering a running one: it
   waits (``wait=True``) or raises :class:`~helpers.exceptions.LockedError` (exit 3).
3. Notebooks run in parallel on ``jobs`` worker processes started with the ``spawn`` context
   (a forked pool can inherit a half-initialised event loop and silently never start its
   kernels). Each worker executes its share in-process with ``papermill.execute_notebook``
   and exports HTML with one reused exporter, its kernels on IPC transport in a private
   folder (the worker side is :mod:`helpers.workers`). The heaviest notebooks are scheduled
   first. The inputs validated in step 1 are written to a snapshot the kernels reuse instead of
   validating the same files again (:func:`helpers.load.write_snapshot`).
4. Everything is written into ``<out>/.tmp-<date>-<pid>/`` and renamed into place when every
   report is there; an existing set of the same date is renamed aside first and deleted after.
   On failure the temporary folder is removed, the failed executed notebook is kept in
   ``<out>/.failed/``, and the previous sets and ``latest`` are untouched. The folder moves
   (publishing, ``latest``, ``.failed/``, tidying after a killed render) are
   :mod:`helpers.publish`.

Progress goes to stderr, one line per notebook (``[3/11] area-<key>  2.1 s``); papermill,
nbclient and kernel chatter is silenced (kernel stderr goes to a log file that is kept in
``<out>/.failed/`` only when a render fails).
"""

from __future__ import annotations

import datetime as _dt
import multiprocessing
import os
import re
import shutil
import sys
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor
from concurrent.futures import wait as _wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from helpers import locks, paths, workers
from helpers._zygote import code_cells
from helpers.changes import previous_set, write_changes
from helpers.hygiene import clean_orphans, kill_tree, terminate_on_signals
from helpers.pages import index_html, write_archive, write_set_record
from helpers.publish import (FAILED_DIR, LATEST_NAME, check_out, clean_stale, keep_failed,
                             keep_unrendered_pages, point_latest, publish_set)
from helpers.exceptions import (
    LockedError,
    Problem,
    RenderError,
    UnknownValueError,
    ValidationError,
)
from helpers.workers import ReportJob, strip_ansi

#: Notebook files (in ``notebooks/``) by report kind.
NOTEBOOKS = {
    "overview": "01_overview.ipynb",
    "area": "02_area.ipynb",
    "coverage": "04_data_coverage.ipynb",
}
LOCK_NAME = ".render.lock"


# --------------------------------------------------------------------------- the job list

def plan_jobs(areas: Sequence[str], plan, parameters: dict) -> list[ReportJob]:
    """The report jobs of a :class:`~helpers.plan.Plan`, heaviest first. Cost model: an area
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


# --------------------------------------------------------------------------- parent side

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

    The cells come from :func:`helpers._zygote.code_cells` (plain JSON: importing nbformat here
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
class _Prepared:
    """A checked render: its date, the parent's :class:`helpers.params.Context` (inputs, geo,
    as-of year, trajectory, latest statuses), the areas and the report jobs."""

    date: str
    ctx: object
    areas: list[str]
    jobs: list[ReportJob] = field(default_factory=list)
    #: :func:`helpers.load.fingerprint` of the input files as validated; None when they changed
    #: while being read (the kernels then validate them themselves).
    fingerprint: tuple | None = None
    #: The previous set of the same plan, method and geo (:func:`helpers.changes.previous_set`).
    previous: Path | None = None
    #: Report keys (``area-<key>``, ...) the published set will hold (this render's and, for a
    #: partial render into an existing date, the pages it keeps).
    pages: set = field(default_factory=set)
    #: The input files' bytes as validated (file name -> bytes), kept in the set's ``inputs/``.
    input_bytes: dict = field(default_factory=dict)


def _check_areas(areas, plan) -> list[str]:
    """``None`` -> every area with a target, in plan order; else the given keys (a list, or one
    string separated by commas or spaces), checked, duplicates dropped."""
    from helpers import params

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

    name = workers.KERNEL_NAME
    if not any((Path(d) / name.lower() / "kernel.json").is_file() for d in jupyter_path("kernels")):
        raise ValidationError([Problem(f"kernel {name}", None, None,
                                       "the Jupyter kernel the report notebooks run on is not installed; "
                                       "run `make env`, or in an activated conda environment "
                                       f"`python -m ipykernel install --sys-prefix --name {name}`")])


def _prepare(date, areas, as_of, method, lang, targets_path, statistics_path, geo,
             notebooks_dir: Path, name: str | None = None) -> _Prepared:
    """Every check before a kernel starts: date, inputs and parameters (the notebooks' own
    :func:`helpers.params.prepare`, so the index scores exactly what the notebooks score),
    areas, the notebooks' parameter names, and that the notebooks' kernel is installed."""
    from helpers import load, params

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
    return _Prepared(day, ctx, chosen, jobs, fingerprint=before if unchanged else None, input_bytes=kept)


def _progress(enabled: bool, text: str) -> None:
    if enabled:
        print(text, file=sys.stderr, flush=True)


def _run_jobs(prep: _Prepared, notebooks_dir: Path, work: Path, jobs: int, timeout: int,
              progress: bool, log_dir: Path, on_start=None) -> list[dict]:
    """Run every job on a spawned pool; stop scheduling after the first failure. Returns the
    results in completion order."""
    from helpers.engines import start_for_render
    from helpers.load import SNAPSHOT_ENV, write_snapshot
    from helpers.load import fingerprint as load_fingerprint

    ctx = multiprocessing.get_context("spawn")
    # Short (Unix socket paths max ~100 chars) and named by this process, so a later render can
    # remove it if this one is killed before its workers could (clean_orphans).
    kernel_root = tempfile.mkdtemp(prefix=f"hk-{os.getpid()}-")
    # Validated once here; every kernel and the index use this one reading, pinned to the files'
    # paths: an import during the render cannot give the set pages of two different data sets.
    plan = prep.ctx.plan
    snapshot = write_snapshot(plan, log_dir / "inputs.pickle",
                              prep.fingerprint or load_fingerprint(plan.targets_path, plan.statistics_path),
                              pinned=True)
    results: list[dict] = []
    # The warm engine's kernel template, started first so it imports while the workers start;
    # given the environment the workers' kernels will have (helpers.engines).
    kernel_env = dict(os.environ)
    workers.kernel_env(kernel_env)
    kernel_env[SNAPSHOT_ENV] = str(snapshot)
    template = None
    try:
        template = start_for_render(workers.KERNEL_NAME, kernel_root, sorted({notebooks_dir / j.notebook for j in prep.jobs}),
                                    kernel_env, str(log_dir / "kernels.log"))
        with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=workers.init_worker,
                                 initargs=(kernel_root, str(log_dir / "kernels.log"),
                                           str(snapshot) if snapshot else None,
                                           template.info() if template else None)) as pool:
            try:
                _collect(pool, prep, notebooks_dir, work, timeout, progress, results, on_start)
            except BaseException:
                # Interrupted (Ctrl-C, SIGTERM) or the parent failed: end the workers and their
                # kernels now instead of letting the pool wait for the running notebooks.
                for proc in list(getattr(pool, "_processes", {}).values()):
                    kill_tree(proc.pid)
                pool.shutdown(wait=False, cancel_futures=True)
                raise
    finally:
        if template is not None:
            template.close()
        shutil.rmtree(kernel_root, ignore_errors=True)
    return results


def _collect(pool, prep: _Prepared, notebooks_dir: Path, work: Path, timeout: int, progress: bool,
             results: list[dict], on_start=None) -> None:
    """Submit every job to ``pool`` and gather the results (progress lines as they finish);
    stop scheduling after the first failure."""
    n = len(prep.jobs)
    futures = {pool.submit(workers.render_one, job, str(notebooks_dir), str(work), timeout): job
               for job in prep.jobs}
    pending = set(futures)
    if on_start is not None:
        try:
            on_start()  # parent-side work overlapping the notebooks (the index page)
        except BaseException:
            for f in pending:
                f.cancel()
            raise
    failed = False
    while pending:
        done, pending = _wait(pending, return_when=FIRST_COMPLETED)
        for fut in done:
            if fut.cancelled():
                continue
            try:
                res = fut.result()
            except Exception as exc:  # a worker died (BrokenProcessPool) or similar
                job = futures[fut]
                res = {"key": job.key, "notebook": job.notebook, "ok": False, "seconds": 0.0,
                       "ipynb": str(work / f"{job.key}.ipynb"), "cell": None, "first_line": "",
                       "ename": type(exc).__name__, "evalue": strip_ansi(str(exc)), "error": ""}
            results.append(res)
            mark = "" if res["ok"] else "  FAILED"
            _progress(progress, f"[{len(results)}/{n}] {res['key']:<24} {res['seconds']:5.1f} s{mark}")
            if not res["ok"] and not failed:
                failed = True
                for f in pending:
                    f.cancel()


def _failure_message(failures: list[dict], n_jobs: int, notebooks_dir: Path, kept: dict[str, Path],
                     log_kept: Path | None, out: Path) -> str:
    lines = [f"render failed: {len(failures)} of {n_jobs} notebooks failed; no report set was "
             f"written (previous sets and {out / LATEST_NAME} are unchanged)."]
    for f in failures:
        if f.get("stage") == "export":
            where = "failed at the HTML export"
        elif f["cell"] is not None:
            where = f"failed at cell {f['cell']} (0-based)"
            if f["first_line"]:
                where += f", which begins: {f['first_line']}"
        else:
            where = "failed before its first cell (parameters or kernel start)"
        lines.append(f"  {notebooks_dir / f['notebook']} ({f['key']}) {where}")
        err = ": ".join(x for x in (f["ename"], f["evalue"]) if x)
        if err:
            lines.append("    " + err.replace("\n", "\n    "))
        if f.get("error") and f["error"] not in err:
            lines.append("    " + f["error"].replace("\n", "\n    "))
        if f["key"] in kept:
            lines.append(f"    executed notebook kept for inspection: {kept[f['key']]}")
    if log_kept is not None:
        lines.append(f"  kernel log: {log_kept}")
    return "\n".join(lines)


def render_reports(date=None, areas=None, as_of=None, method: str = "linear", lang: str = "both",
                   targets_path=None, statistics_path=None, geo=None, jobs: int | None = None,
                   out=paths.REPORTS_DIR, timeout: int = 600, wait: bool = False,
                   progress: bool = True, notebooks_dir=None, plan=None) -> Path:
    """Render the plan's dated report set into ``out/<plan>/<date>/``, refresh the archive
    ``out/index.html`` (every plan's sets) and return the set's folder.

    ``plan``: a plan name or folder (:func:`helpers.plan.locate`; default the default plan), or
    ``targets_path``/``statistics_path`` (plan.json beside the targets; the plan's name is their
    folder's name).
    ``date``: ``YYYY-MM-DD`` (default today); ``areas``: area keys (default every area with a
    target, plan order); ``as_of``: data as-of year (default the latest year with data);
    ``jobs``: parallel notebooks (default ``os.cpu_count()``; never more than the number of
    reports); ``timeout``: seconds per cell; ``wait``: wait for a running render instead of
    raising LockedError; ``notebooks_dir``: where the report notebooks are (tests use a copy).

    Raises ValidationError / UnknownValueError (bad input, nothing written), LockedError (another
    render holds the lock), RenderError (a notebook failed; message names notebook and cell).
    """

    with terminate_on_signals():  # SIGTERM/SIGHUP stop the render as Ctrl-C does, cleaning up
        return _render(date, areas, as_of, method, lang, targets_path, statistics_path, geo, jobs,
                       out, timeout, wait, progress, notebooks_dir, plan)


def _render(date, areas, as_of, method, lang, targets_path, statistics_path, geo, jobs, out, timeout,
            wait, progress, notebooks_dir, plan) -> Path:
    from filelock import FileLock, Timeout

    from helpers.plan import locate

    notebooks_dir = Path(notebooks_dir or paths.NOTEBOOKS_DIR).resolve()
    root = Path(out)
    if jobs is not None and (not isinstance(jobs, int) or jobs < 1):
        raise UnknownValueError("jobs", jobs, ["a whole number of at least 1"])
    files = locate(plan, targets_path, statistics_path)
    targets_path, statistics_path, name = files.targets_path, files.statistics_path, files.name
    out = root / name
    # The data lock while the inputs are read and validated: an import never replaces them
    # half-way; after that every page uses the validated snapshot, so imports may go on.
    with locks.data_lock(statistics_path, wait=wait, required=False, command="render"):
        prep = _prepare(date, areas, as_of, method, lang, Path(targets_path), Path(statistics_path), geo,
                        notebooks_dir, name)
    n_workers = max(1, min(jobs or os.cpu_count() or 1, len(prep.jobs)))

    check_out(root)
    check_out(out)
    lock = FileLock(str(out / LOCK_NAME))
    try:
        lock.acquire(timeout=-1 if wait else 0)
    except Timeout:
        raise LockedError(f"another render is running (lock {out / LOCK_NAME} is held); "
                          "re-run with --wait to wait for it") from None
    try:
        from helpers.load import fingerprint

        if prep.fingerprint != fingerprint(targets_path, statistics_path):
            # The inputs changed while this render waited for the lock (or while they were
            # read): check them again, so the index and every notebook see the same files.
            with locks.data_lock(statistics_path, wait=wait, required=False, command="render"):
                prep = _prepare(date, areas, as_of, method, lang, Path(targets_path), Path(statistics_path),
                                geo, notebooks_dir, name)
        clean_stale(out)
        clean_orphans(tempfile.gettempdir(), ("hk-", "helpers-render-log-"))
        final = out / prep.date
        prep.previous = previous_set(out, prep.date, prep.ctx.method, prep.ctx.geo)
        prep.pages = {j.key for j in prep.jobs}
        if areas is not None and final.is_dir():  # a partial render keeps the set's other pages
            prep.pages |= {p.stem for p in final.glob("*.html")} - {"index", "changes"}
        work = out / f".tmp-{prep.date}-{os.getpid()}"
        work.mkdir()
        log_dir = Path(tempfile.mkdtemp(prefix=f"helpers-render-log-{os.getpid()}-"))
        index: dict = {}
        try:
            t0 = time.perf_counter()
            from dataclasses import replace

            from helpers.reuse import reuse_pages

            # Pages unchanged since a published set are copied, not executed (helpers.reuse).
            reuse = reuse_pages(prep, out, work, notebooks_dir)
            for key, since in reuse.reused.items():
                _progress(progress, f"[reused] {key:<24} unchanged since {since}")
            todo = [j for j in prep.jobs if j.key not in reuse.reused]
            results = _run_jobs(replace(prep, jobs=todo), notebooks_dir, work, min(n_workers, len(todo)),
                                timeout, progress, log_dir,
                                on_start=lambda: index.setdefault("html", index_html(prep))) if todo else []
            failures = [r for r in results if not r["ok"]]
            if failures or len(results) != len(todo):
                kept: dict[str, Path] = {}
                failed_dir = out / FAILED_DIR
                for f in failures:
                    dest = keep_failed(Path(f["ipynb"]), failed_dir, f"{f['key']}.ipynb")
                    if dest is not None:
                        kept[f["key"]] = dest
                log_kept = keep_failed(log_dir / "kernels.log", failed_dir, "kernels.log")
                raise RenderError(_failure_message(failures, len(prep.jobs), notebooks_dir, kept, log_kept, out),
                                  notebook=failures[0]["notebook"] if failures else None,
                                  cell=failures[0]["cell"] if failures else None)
            kept = keep_unrendered_pages(final, work, prep) if areas is not None else []
            write_changes(work, prep, prep.previous)
            (work / "index.html").write_text(index.get("html") or index_html(prep), encoding="utf-8")
            write_set_record(work, prep)
            reuse.write(work)
            publish_set(work, final)
            if kept:
                _progress(progress, f"kept {len(kept)} published page(s) of {final} that this partial "
                                    f"render did not redo: {', '.join(kept)}")
            point_latest(out)
            write_archive(root)
            _progress(progress, f"wrote {len(prep.jobs) + 1} reports to {final} "
                                f"in {time.perf_counter() - t0:.1f} s")
            return final
        finally:
            shutil.rmtree(work, ignore_errors=True)
            shutil.rmtree(log_dir, ignore_errors=True)
    finally:
        lock.release()


# --------------------------------------------------------------------------- command line

def cli_render(args) -> int:
    """``python -m helpers render``: 0 when every report was written (errors raise: the command
    line turns them into exit 1 render failed, 2 bad input, 3 locked). ``--plan all`` renders
    every plan under ``data/raw/`` in turn (stopping at the first failure)."""
    from helpers.plan import locate, shipped_plans

    files = [args.plan_files] if args.plan_files is not None else [locate(p) for p in shipped_plans()]
    for f in files:
        render_reports(
            date=args.date, areas=args.areas, as_of=args.as_of, method=args.method, lang=args.lang,
            targets_path=f.targets_path, statistics_path=f.statistics_path,
            geo=args.geo, jobs=args.jobs,
            out=args.out, timeout=args.timeout, wait=args.wait, progress=not args.quiet)
    return 0
