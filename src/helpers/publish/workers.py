"""The render's worker side: what each spawned worker process of a render does.

:func:`helpers.publish.render.render_reports` (the parent) plans the jobs and drives a ``spawn`` process
pool; each worker

- starts once with :func:`init_worker`: quiet logs, kernel stderr to the render's log file, one
  reused nbconvert exporter (:func:`make_exporter`), its kernels on IPC (Unix socket) transport in
  a private folder (two kernels starting at the same moment cannot collide on a TCP port), the
  parent's validated-inputs snapshot in the environment the kernels inherit, and the papermill
  engine (``warm-fork`` on the render's kernel template, :mod:`helpers.publish.kernels.engine`);
- runs one :class:`ReportJob` per call of :func:`render_one`: ``papermill.execute_notebook``
  in-process (papermill's ``cwd`` changes the process's directory, safe in a process of its own,
  not in a thread), tidies the executed notebook, exports self-contained HTML (no external
  resources: :func:`external_resources`) and returns a picklable result naming the failed cell.

:func:`init_worker` and :func:`render_one` are handed to the pool by module path, so they stay
top-level functions of this module. Nothing here imports nbformat, papermill or nbconvert at
import time: the parent imports this module and must stay light.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import sys
import time
from pathlib import Path

from helpers.publish.jobs import KERNEL_NAME, ReportJob
from helpers.publish.pages import TEMPLATE_NAME, TEMPLATES_DIR

#: Cells with one of these tags are executed (and kept in the .ipynb) but left out of the HTML:
#: nbval's key-figure printouts are for the regression check, not for readers.
HIDDEN_CELL_TAGS = ("nbval-check-output", "remove-cell", "report-hide")
#: Cells that never show anything (the parameters); dropped from the HTML so it carries no
#: empty cell wrappers and no per-run cell ids.
_PARAMETER_TAGS = ("parameters", "injected-parameters")
_ANSI_RE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")


def strip_ansi(text: str) -> str:
    """Remove ANSI colour / cursor escape sequences (IPython colours its tracebacks)."""
    return _ANSI_RE.sub("", text)


#: The worker's state, set once by :func:`init_worker`: papermill config, exporter, engine name.
_WORKER: dict = {}


def _quiet_logging() -> None:
    """Only warnings and errors from the Jupyter stack; papermill's parameter-parsing notes are
    noise in cron mail (the renderer checks parameter names itself)."""
    logging.getLogger("papermill").setLevel(logging.ERROR)
    for name in ("nbclient", "nbconvert", "traitlets", "jupyter_client", "asyncio"):
        logging.getLogger(name).setLevel(logging.WARNING)


def kernel_env(env=None) -> None:
    """Environment inherited by the kernels (set in ``env``, default ``os.environ``): no
    debugger frozen-modules note, no platformdirs migration note, deterministic hashing (set
    iteration order, so HTML is reproducible)."""
    env = os.environ if env is None else env
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env["PYTHONHASHSEED"] = "0"
    # Some terminals' colour hints reach IPython; tracebacks in messages are stripped anyway.
    env["NO_COLOR"] = "1"
    env.pop("FORCE_COLOR", None)


def make_exporter():
    """The HTML exporter: our template, input cells and prompts hidden, ``<html lang>`` from the
    report's language (``resources["report_lang"]``: :data:`helpers.vocab.HTML_LANG`; "zh-CN"
    when not given).

    Created once per worker and reused for every notebook it exports.
    """
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    from helpers.vocab import HTML_LANG

    class ReportExporter(HTMLExporter):
        def _init_resources(self, resources):
            resources = super()._init_resources(resources)
            # Set after nbconvert's own (ISO 639-1 only) check of language_code.
            resources["language_code"] = HTML_LANG.get(resources.get("report_lang"), "zh-CN")
            return resources

    exporter = ReportExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_anchor_links=True,
        embed_images=True,
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags=set(HIDDEN_CELL_TAGS) | set(_PARAMETER_TAGS), enabled=True), enabled=True)
    return exporter


def _skip_unused_imports() -> None:
    """jsonschema, imported by nbformat, builds an RFC 3987 parser at import when the optional
    ``rfc3987_syntax`` is installed (seconds of CPU, the largest part of a worker's start), for
    its "iri" format check; nbformat, nbconvert, nbclient and papermill never check formats."""
    sys.modules.setdefault("rfc3987_syntax", None)  # None: "import rfc3987_syntax" fails


def init_worker(kernel_root: str, log_path: str, snapshot: str | None = None,
                 template: dict | None = None) -> None:
    """Spawned worker start-up: quiet logs, kernel stderr to a log file, one exporter, a
    private folder for the kernels' IPC sockets, (inherited by the kernels) the snapshot of
    the inputs validated by the parent (:func:`helpers.data.load.write_snapshot`), and the papermill
    engine: ``warm-fork`` on the render's kernel template when the parent started one
    (``template``, :mod:`helpers.publish.kernels.template`), else papermill's own. The worker ends itself, its
    kernels and the render's temporary folders if the render dies
    (:func:`helpers.publish.hygiene.watch_parent`; the template ends its own kernels then)."""
    from helpers.publish.hygiene import watch_parent

    watch_parent([kernel_root, os.path.dirname(log_path)])
    _skip_unused_imports()
    _quiet_logging()
    kernel_env()
    if snapshot:
        from helpers.data.load import SNAPSHOT_ENV

        os.environ[SNAPSHOT_ENV] = snapshot
    # Kernels inherit this process's stdout/stderr: route both to the log file so kernel
    # start-up notes never reach the terminal (or cron mail). Results travel back by pickling.
    fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    folder = os.path.join(kernel_root, f"w{os.getpid()}")
    os.makedirs(folder, exist_ok=True)
    # jupyter_client writes each kernel's connection file (with its HMAC key) by
    # tempfile.mkstemp(".json"): in this private folder, which the render's clean-up removes
    # even when the render is killed (clean_orphans, watch_parent), never loose in $TMPDIR.
    import tempfile

    tempfile.tempdir = folder
    from traitlets.config import Config

    cfg = Config()
    cfg.KernelManager.transport = "ipc"
    cfg.KernelManager.ip = os.path.join(folder, "k")
    # Once the last cell ran, everything is in the notebook: stop the kernel at once instead of
    # the graceful shutdown handshake (saves about 0.3 s per notebook).
    cfg.NotebookClient.shutdown_kernel = "immediate"
    # No IPython history database: parallel kernels would contend for one SQLite file, and a
    # report needs no history.
    cfg.NotebookClient.extra_arguments = ["--HistoryManager.enabled=False"]
    _WORKER["config"] = cfg
    _WORKER["exporter"] = make_exporter()
    import papermill  # noqa: F401  (import cost paid once, before the first notebook)

    from helpers.publish.kernels import template as kernel_template

    _WORKER["engine"] = kernel_template.attach(template)
    if template:
        from helpers.publish.kernels.fork import register

        register()


def _failed_cell(nb_path: Path) -> tuple[int | None, str, str, str]:
    """From a saved executed notebook: (source-notebook cell index, first source line, error
    name, error value) of the cell that failed or was running when execution stopped."""
    import nbformat

    try:
        nb = nbformat.read(str(nb_path), as_version=4)
    except Exception:  # nothing saved (e.g. the kernel never started)
        return None, "", "", ""
    src_index = -1
    found = None
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if "papermill-error-cell-tag" in tags:
            continue
        if "injected-parameters" not in tags:
            src_index += 1
        pm = cell.get("metadata", {}).get("papermill", {})
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if errors:
            return (src_index if "injected-parameters" not in tags else None,
                    _first_line(cell.source), errors[0].get("ename", ""), errors[0].get("evalue", ""))
        if pm.get("start_time"):
            found = (src_index if "injected-parameters" not in tags else None, _first_line(cell.source))
    if found:
        return found[0], found[1], "", ""
    return None, "", "", ""


def _first_line(source: str) -> str:
    for line in str(source).splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            return line.strip()
    return str(source).strip().splitlines()[0] if str(source).strip() else ""


#: CSS that loads another file.
_CSS_IMPORT = re.compile(r"@import\s+(?:url\()?[\"']?([^\"')\s;]*)", re.IGNORECASE)
#: Elements whose ``src`` a browser fetches.
_SRC_TAGS = frozenset({"img", "script", "iframe", "embed", "source", "video", "audio", "track", "input"})


def external_resources(page: str) -> list[str]:
    """Addresses a browser would fetch to show ``page`` (``src`` of images, scripts, frames,
    media; ``<link href>``; CSS ``@import`` in ``<style>``) other than embedded ``data:`` URIs. A
    self-contained report has none. Links (``<a href>``) are not fetched and not counted. The
    page is parsed as HTML, so text that merely looks like a tag (an escaped hostile name in an
    ``alt`` attribute or a cell) is not mistaken for one."""
    from html.parser import HTMLParser

    found: list[str] = []

    class _Loads(HTMLParser):
        in_style = False

        def handle_starttag(self, tag, attrs):
            a = {k: v for k, v in attrs if v is not None}
            if tag in _SRC_TAGS and "src" in a:
                found.append(a["src"].strip())
            elif tag == "link" and "href" in a:
                found.append(a["href"].strip())
            self.in_style = tag == "style"

        def handle_endtag(self, tag):
            if tag == "style":
                self.in_style = False

        def handle_data(self, data):
            if self.in_style:
                found.extend(_CSS_IMPORT.findall(data))

    parser = _Loads(convert_charrefs=True)
    parser.feed(page)
    parser.close()
    return [u for u in found if not u.lower().startswith("data:")]


def _tidy_executed(nb, job: ReportJob) -> None:
    """Make the executed notebook reproducible and self-describing: papermill gives its injected
    cell a random id (use a fixed one) and records the temporary output path (use the file's
    name in the published set); no widget state is kept (the renderer passes interactive=False)."""
    for cell in nb.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = "injected-parameters"
    pm_meta = nb.metadata.get("papermill")
    if pm_meta is not None:
        pm_meta["output_path"] = f"{job.key}.ipynb"
    nb.metadata.pop("widgets", None)


#: OS errors that say an output cannot be written (the render exits 2 naming the path).
OUTPUT_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG})


def render_one(job: ReportJob, src_dir: str, work_dir: str, timeout: int) -> dict:
    """Execute one notebook and export it; returns a picklable result (never raises for a
    notebook failure: the parent decides what to do)."""
    import nbformat
    import papermill as pm

    t0 = time.perf_counter()
    nb_out = Path(work_dir) / f"{job.key}.ipynb"
    result = {"key": job.key, "notebook": job.notebook, "ok": False, "seconds": 0.0,
              "ipynb": str(nb_out), "cell": None, "first_line": "", "ename": "", "evalue": "",
              "error": "", "stage": "execute"}
    try:
        nb = pm.execute_notebook(
            str(Path(src_dir) / job.notebook), str(nb_out), parameters=job.parameters,
            kernel_name=KERNEL_NAME, cwd=src_dir, progress_bar=False, log_output=False,
            execution_timeout=timeout, start_timeout=120, config=_WORKER["config"],
            engine_name=_WORKER.get("engine"))
        _tidy_executed(nb, job)
        nbformat.write(nb, str(nb_out))
        body, _ = _WORKER["exporter"].from_notebook_node(
            nb, resources={"metadata": {"name": job.title}, "report_lang": job.parameters.get("lang", "both")})
        external = external_resources(body)
        if external:
            result.update(stage="export", ename="ExternalResourceError",
                          evalue="the HTML would load from outside the file (reports must open "
                                 "offline): " + ", ".join(sorted(set(external))[:5]))
        else:
            (Path(work_dir) / f"{job.key}.html").write_text(body, encoding="utf-8")
            result["ok"] = True
    except Exception as exc:  # noqa: BLE001 — reported to the parent with notebook and cell
        cell, first, ename, evalue = _failed_cell(nb_out)
        result.update(cell=cell, first_line=first,
                      ename=getattr(exc, "ename", None) or ename or type(exc).__name__,
                      evalue=strip_ansi(str(getattr(exc, "evalue", None) or evalue or exc)).strip())
        if not ename and getattr(exc, "ename", None) is None:
            result["error"] = strip_ansi(str(exc)).strip()
        if isinstance(exc, OSError) and exc.errno in OUTPUT_ERRNOS:  # a full disk, not the notebook
            result.update(os_errno=exc.errno, os_strerror=exc.strerror or str(exc),
                          os_path=str(exc.filename or nb_out))
    from helpers.publish.kernels.template import LAUNCHES

    result["kernel"] = "; ".join(LAUNCHES)  # how its kernel started: "forked" or "fresh: <why>"
    LAUNCHES.clear()
    result["seconds"] = time.perf_counter() - t0
    return result
