"""The report renderer: execute the report notebooks with papermill, export them to HTML, publish
a dated set atomically.

``python -m helpers render`` (and :func:`render_reports`) writes ``<out>/YYYY-MM-DD/``::

    index.html              plan title, date, as-of year, status counts per area, links
    overview.html           notebooks/01_overview.ipynb
    area-<key>.html         notebooks/02_area.ipynb with area=<key>, one per area
    data-coverage.html      notebooks/04_data_coverage.ipynb
    sources.html            every statistics value with its source, one row each (publish.sources)
    changes.html            what changed since the previous set (publish.changes)
    CITATION.cff, citation.bib   how to cite the set (publish.citation)
    <name>.ipynb            the executed notebook beside each HTML file, for audit

and points ``<out>/latest`` (a relative symlink) at the newest complete set.

How a render runs, and why:

1. Inputs and parameters are checked first (:func:`helpers.report.params.prepare`, as the notebooks do;
   areas; the notebooks' parameter names; the Jupyter kernel being installed); bad input raises
   ValidationError / UnknownValueError (exit 2) before any kernel starts, and nothing is written.
2. A file lock (``<out>/.render.lock``) keeps a second render from clobbering a running one: it
   waits (``wait=True``) or raises :class:`~helpers.exceptions.LockedError` (exit 3).
3. Notebooks run in parallel on ``jobs`` worker processes started with the ``spawn`` context
   (a forked pool can inherit a half-initialised event loop and silently never start its
   kernels). Each worker executes its share in-process with ``papermill.execute_notebook``
   and exports HTML with one reused exporter, its kernels on IPC transport in a private
   folder (the worker side is :mod:`helpers.publish.workers`). The heaviest notebooks are scheduled
   first. The inputs validated in step 1 are written to a snapshot the kernels reuse instead of
   validating the same files again (:func:`helpers.data.load.write_snapshot`).
4. Everything is written into ``<out>/.tmp-<date>-<pid>/`` and renamed into place when every
   report is there; an existing set of the same date is renamed aside first and deleted after.
   On failure the temporary folder is removed, the failed executed notebook is kept in
   ``<out>/.failed/``, and the previous sets and ``latest`` are untouched. The folder moves
   (publishing, ``latest``, ``.failed/``, tidying after a killed render) are
   :mod:`helpers.publish.sets`.

Progress goes to stderr, one line per notebook (``[3/11] area-<key>  2.1 s``); papermill,
nbclient and kernel chatter is silenced (kernel stderr goes to a log file that is kept in
``<out>/.failed/`` only when a render fails).
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor
from concurrent.futures import wait as _wait
from pathlib import Path

from helpers import paths
from helpers.data import locks
from helpers.exceptions import (
    RenderError,
    UnknownValueError,
)
from helpers.publish import workers
from helpers.publish.changes import write_changes
from helpers.publish.hygiene import clean_orphans, kill_tree, terminate_on_signals
from helpers.publish.jobs import KERNEL_NAME, Prepared, prepare
from helpers.publish.citation import code_commit, cite_text, stamp_pages, write_citation_files
from helpers.publish.pages import index_html, write_archive, write_set_record
from helpers.publish.sources import write_sources
from helpers.publish.sets import (
    FAILED_DIR,
    LATEST_NAME,
    check_out,
    clean_stale,
    keep_failed,
    keep_unrendered_pages,
    point_latest,
    previous_set,
    publish_set,
)
from helpers.publish.workers import strip_ansi


def _progress(enabled: bool, text: str) -> None:
    if enabled:
        print(text, file=sys.stderr, flush=True)


def _run_jobs(prep: Prepared, notebooks_dir: Path, work: Path, jobs: int, timeout: int,
              progress: bool, log_dir: Path, on_start=None) -> list[dict]:
    """Run every job on a spawned pool; stop scheduling after the first failure. Returns the
    results in completion order."""
    from helpers.data.load import SNAPSHOT_ENV, write_snapshot
    from helpers.data.load import fingerprint as load_fingerprint
    from helpers.publish.kernels.template import start_for_render

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
    # given the environment the workers' kernels will have (helpers.publish.kernels.engine).
    kernel_env = dict(os.environ)
    workers.kernel_env(kernel_env)
    kernel_env[SNAPSHOT_ENV] = str(snapshot)
    template = None
    try:
        template = start_for_render(KERNEL_NAME, kernel_root, sorted({notebooks_dir / j.notebook for j in prep.jobs}),
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


def _collect(pool, prep: Prepared, notebooks_dir: Path, work: Path, timeout: int, progress: bool,
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
                   out=None, timeout: int = 600, wait: bool = False,
                   progress: bool = True, notebooks_dir=None, plan=None) -> Path:
    """Render the plan's dated report set into ``out/<plan>/<date>/``, refresh the archive
    ``out/index.html`` (every plan's sets) and return the set's folder.

    ``plan``: a plan name or folder (:func:`helpers.data.plan.locate`; default the default plan), or
    ``targets_path``/``statistics_path`` (plan.json beside the targets; the plan's name is their
    folder's name).
    ``out``: the reports root (default: the plan's, :attr:`helpers.data.plan.PlanFiles.reports_root`);
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
    from helpers.data.plan import locate

    notebooks_dir = Path(notebooks_dir or paths.NOTEBOOKS_DIR).resolve()
    if jobs is not None and (not isinstance(jobs, int) or jobs < 1):
        raise UnknownValueError("jobs", jobs, ["a whole number of at least 1"])
    files = locate(plan, targets_path, statistics_path)
    root = Path(out) if out is not None else files.reports_root
    targets_path, statistics_path, name = files.targets_path, files.statistics_path, files.name
    out = root / name
    # The data lock while the inputs are read and validated: an import never replaces them
    # half-way; after that every page uses the validated snapshot, so imports may go on.
    with locks.data_lock(statistics_path, wait=wait, required=False, command="render"):
        prep = prepare(date, areas, as_of, method, lang, Path(targets_path), Path(statistics_path), geo,
                       notebooks_dir, name)
    n_workers = max(1, min(jobs or os.cpu_count() or 1, len(prep.jobs)))

    check_out(root)
    check_out(out)
    with locks.render_lock(out, wait=wait):
        return _render_locked(prep, date, areas, as_of, method, lang, targets_path, statistics_path, geo, out, root,
                              n_workers, timeout, wait, progress, notebooks_dir, name)


def _render_locked(prep, date, areas, as_of, method, lang, targets_path, statistics_path, geo, out, root,
                   n_workers, timeout, wait, progress, notebooks_dir, name) -> Path:
    """The render, once its lock is held."""
    from helpers.data.load import fingerprint

    if prep.fingerprint != fingerprint(targets_path, statistics_path):
        # The inputs changed while this render waited for the lock (or while they were
        # read): check them again, so the index and every notebook see the same files.
        with locks.data_lock(statistics_path, wait=wait, required=False, command="render"):
            prep = prepare(date, areas, as_of, method, lang, Path(targets_path), Path(statistics_path),
                           geo, notebooks_dir, name)
    clean_stale(out)
    clean_orphans(tempfile.gettempdir(), ("hk-", "helpers-render-log-"))
    final = out / prep.date
    prep.previous = previous_set(out, prep.date, prep.ctx.method, prep.ctx.geo)
    prep.pages = {j.key for j in prep.jobs}
    if areas is not None and final.is_dir():  # a partial render keeps the set's other pages
        prep.pages |= {p.stem for p in final.glob("*.html")} - {"index", "changes", "sources"}
    prep.commit = code_commit()  # once, in the parent; the pages' footers get it by stamp_pages
    work = out / f".tmp-{prep.date}-{os.getpid()}"
    work.mkdir()
    log_dir = Path(tempfile.mkdtemp(prefix=f"helpers-render-log-{os.getpid()}-"))
    index: dict = {}
    try:
        t0 = time.perf_counter()
        from dataclasses import replace

        from helpers.publish.reuse import reuse_pages

        # Pages unchanged since a published set are copied, not executed (helpers.publish.reuse).
        reuse = reuse_pages(prep, out, work, notebooks_dir)
        for key, since in reuse.reused.items():
            _progress(progress, f"[reused] {key:<24} unchanged since {since}")
        todo = [j for j in prep.jobs if j.key not in reuse.reused]
        results = _run_jobs(replace(prep, jobs=todo), notebooks_dir, work, min(n_workers, len(todo)),
                            timeout, progress, log_dir,
                            on_start=lambda: index.setdefault("html", index_html(prep))) if todo else []
        failures = [r for r in results if not r["ok"]]
        full = next((f for f in failures if f.get("os_errno")), None)
        if full is not None:  # a full disk (or a read-only one) in a worker: exit 2 naming the path
            from helpers.data.fileio import output_error

            raise output_error(full["os_path"], OSError(full["os_errno"], full["os_strerror"], full["os_path"]))
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
        files = write_citation_files(work, prep.ctx, prep.date, prep.commit)
        # The notebooks' pages (executed, reused or kept) get the set's date and commit in their
        # citation line before fingerprints.json records their hashes (helpers.publish.citation).
        stamp_pages(work, sorted(prep.pages), prep.ctx, prep.date, prep.commit)
        write_changes(work, prep, prep.previous, files)
        write_sources(work, prep.ctx, prep.date, cite_text(prep.ctx, prep.date, prep.commit), files)
        (work / "index.html").write_text(index.get("html") or index_html(prep), encoding="utf-8")
        write_set_record(work, prep)
        reuse.write(work)
        publish_set(work, final)
        if kept:
            _progress(progress, f"kept {len(kept)} published page(s) of {final} that this partial "
                                f"render did not redo: {', '.join(kept)}")
        point_latest(out)
        write_archive(root, prep.commit)
        _progress(progress, f"wrote {len(prep.jobs) + 1} reports to {final} "
                            f"in {time.perf_counter() - t0:.1f} s")
        return final
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(log_dir, ignore_errors=True)
