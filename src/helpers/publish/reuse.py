"""Unchanged is cheap: a page whose inputs, code and parameters match a page already published is
copied instead of executed again.

A page's *fingerprint* (:func:`page_fingerprint`) is the SHA-256 of everything its notebook's
output can depend on:

- the plan's input files, byte for byte: targets, statistics and ``plan.json``;
- the notebook file;
- the package: every file under ``src/helpers/`` (the code, the nbconvert template and its CSS),
  with its path;
- the page's parameters (as passed to papermill, with their values) and its title, key and
  notebook name;
- where it runs: the project root (the footer names the statistics file relative to it), the
  Jupyter kernel's spec, the Python version and the versions of the libraries that draw or
  export a page (:data:`LIBRARIES`), and the ``HELPERS_*`` environment variables (e.g. the CJK
  font switch) other than the renderer's own switches.

Each published set keeps ``fingerprints.json`` beside ``set.json``: per page its fingerprint, the
SHA-256 of its .html and .ipynb as published, and ``reused_from`` (the date of the set it was
copied from, or null when it was executed).

Before executing, :func:`reuse_pages` looks for each page in the plan's published sets (the set
of the same date first, then the others newest first): a page with the same fingerprint whose
files are still the ones recorded is copied into the new set, byte for byte.

Why per page and not one check per set: the inputs, the package and the environment are the
same for every page of a render (:func:`common_digest`), but the notebook and the parameters
are not, so a change to one notebook re-executes only its pages, and a render of some areas
reuses those pages of a full set (and the reverse). The report date and the code's git commit
are not given to the notebooks: the executed pages hold a citation line without them, and the
render then writes the set's date and commit into that line of every page, executed or copied
(:func:`helpers.publish.citation.stamp_pages`), before ``fingerprints.json`` records the pages'
hashes; a copied page's old date is replaced the same way. index.html, changes.html,
sources.html, CITATION.cff and citation.bib are written afresh by every render from its own
inputs (the sources page's anchors depend on the values' keys alone, so a copied page's links
still land). A notebook
given the date as a parameter would have it in its fingerprint, so its page would be reused on
the same date only.

``HELPERS_RENDER_REUSE=0`` turns reuse off (every page is executed).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from helpers.publish.sets import set_folders

FINGERPRINTS = "fingerprints.json"
REUSE_ENV = "HELPERS_RENDER_REUSE"
#: Distributions whose version can change what a page looks like.
LIBRARIES = ("pandas", "numpy", "matplotlib", "mplfonts", "nbconvert", "nbformat", "papermill", "nbclient",
             "ipykernel", "ipython", "jinja2", "mistune", "pygments", "pandera", "ipywidgets")
#: HELPERS_* variables that choose how a render runs, not what a page shows.
_RUN_SWITCHES = {"HELPERS_RENDER_ENGINE", REUSE_ENV, "HELPERS_INPUTS_SNAPSHOT"}
#: The whole package (every wing): a change anywhere in it may change what a page shows.
_PACKAGE_DIR = Path(__file__).resolve().parents[1]
_VERSION = 1


def enabled() -> bool:
    return os.environ.get(REUSE_ENV, "1").strip().lower() not in ("0", "false", "no", "off")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _package_digest() -> str:
    h = hashlib.sha256()
    for p in sorted(_PACKAGE_DIR.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo"):
            h.update(p.relative_to(_PACKAGE_DIR).as_posix().encode() + b"\0" + _sha(p.read_bytes()).encode())
    return h.hexdigest()


def _environment() -> dict:
    from importlib import metadata

    from helpers import paths
    from helpers.publish.jobs import KERNEL_NAME

    versions = {}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    from jupyter_core.paths import jupyter_path

    # The kernel spec as jupyter_client finds it (first on the data path), read without
    # importing jupyter_client into this process.
    specs = [Path(d) / KERNEL_NAME.lower() / "kernel.json" for d in jupyter_path("kernels")]
    spec = next((_sha(p.read_bytes()) for p in specs if p.is_file()), None)
    return {"python": sys.version, "libraries": versions, "kernel": spec, "root": str(paths.PROJECT_ROOT),
            "env": {k: v for k, v in sorted(os.environ.items()) if k.startswith("HELPERS_") and k not in _RUN_SWITCHES}}


def _plan_folders(plan) -> list[Path]:
    """The folders whose files a page of ``plan`` may read: the plan's own (targets, statistics,
    plan.json and the optional measures.csv, continues.csv, assessments.csv beside them) and
    those of the earlier plans its ``continues.csv`` names (the succession table and charts)."""
    from helpers.data.plan import locate
    from helpers.method.succession import CONTINUES_FILE, read_continues

    own = list(dict.fromkeys([Path(plan.targets_path).resolve().parent, Path(plan.statistics_path).resolve().parent]))
    continues = Path(plan.statistics_path).with_name(CONTINUES_FILE)
    earlier = []
    if continues.is_file():
        for name in dict.fromkeys(read_continues(continues)["continues_plan"].astype(str)):
            earlier.append(locate(name).targets_path.resolve().parent)
    return list(dict.fromkeys(own + earlier))


def _inputs_digest(plan) -> str:
    """Every regular file in :func:`_plan_folders`, by name and content: a page is reused only
    while none of them changed (an unknown file counts too: reuse errs on re-executing)."""
    h = hashlib.sha256()
    for folder in _plan_folders(plan):
        h.update(str(folder).encode() + b"\0")
        for p in sorted(folder.iterdir()):
            if p.is_file() and not p.name.startswith("."):  # not the data lock
                h.update(p.name.encode() + b"\0" + _sha(p.read_bytes()).encode())
    return h.hexdigest()


def page_fingerprint(job, notebooks_dir: Path, common: str) -> str:
    """The fingerprint of one :class:`~helpers.publish.jobs.ReportJob` (module docstring); ``common`` is
    :func:`common_digest` of the render."""
    page = {"key": job.key, "notebook": job.notebook, "title": job.title, "parameters": dict(job.parameters),
            "notebook_sha": _sha((Path(notebooks_dir) / job.notebook).read_bytes())}
    text = json.dumps(page, sort_keys=True, ensure_ascii=False, default=str)
    return _sha(f"{_VERSION}\0{common}\0{text}".encode())


def common_digest(plan) -> str:
    """The part of every page's fingerprint that is the same for the whole render."""
    env = json.dumps(_environment(), sort_keys=True, default=str)
    return _sha(f"{_inputs_digest(plan)}\0{_package_digest()}\0{env}".encode())


@dataclass
class Reuse:
    """What :func:`reuse_pages` found: every page's fingerprint and the pages copied (key -> date
    of the set they came from)."""

    date: str
    fingerprints: dict[str, str]
    reused: dict[str, str] = field(default_factory=dict)

    def write(self, folder: Path) -> Path:
        """``fingerprints.json`` of the finished set in ``folder`` (every page must be there)."""
        from helpers.data.fileio import atomic_write_bytes

        pages = {}
        for key, fp in sorted(self.fingerprints.items()):
            html, nb = (Path(folder) / f"{key}{ext}" for ext in (".html", ".ipynb"))
            pages[key] = {"fingerprint": fp, "html_sha256": _sha(html.read_bytes()),
                          "ipynb_sha256": _sha(nb.read_bytes()), "reused_from": self.reused.get(key)}
        record = {"version": _VERSION, "date": self.date, "pages": pages}
        text = json.dumps(record, indent=1, sort_keys=True) + "\n"
        return atomic_write_bytes(Path(folder) / FINGERPRINTS, text.encode("utf-8"))


def _published(out: Path, date: str) -> list[Path]:
    """The plan's published sets: the one of ``date`` first, then the others newest first."""
    sets = [p for p in set_folders(out, complete=True) if (p / FINGERPRINTS).is_file()]
    return [p for p in sets if p.name == date] + [p for p in sets if p.name != date]


def _read(folder: Path) -> dict:
    try:
        rec = json.loads((folder / FINGERPRINTS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return rec.get("pages", {}) if isinstance(rec, dict) and rec.get("version") == _VERSION else {}


def _copy(src: Path, entry: dict, key: str, work: Path) -> bool:
    """Copy one page into ``work`` if its files are still the recorded ones."""
    html, nb = src / f"{key}.html", src / f"{key}.ipynb"
    try:
        html_b, nb_b = html.read_bytes(), nb.read_bytes()
    except OSError:
        return False
    if _sha(html_b) != entry.get("html_sha256") or _sha(nb_b) != entry.get("ipynb_sha256"):
        return False  # edited or damaged since it was published
    (work / html.name).write_bytes(html_b)
    (work / nb.name).write_bytes(nb_b)
    return True


def reuse_pages(prep, out: Path, work: Path, notebooks_dir: Path) -> Reuse:
    """Fingerprint every page of ``prep`` and copy into ``work`` those found unchanged in the
    plan's published sets under ``out`` (module docstring)."""
    common = common_digest(prep.ctx.plan)
    result = Reuse(prep.date, {j.key: page_fingerprint(j, notebooks_dir, common) for j in prep.jobs})
    if not enabled() or not Path(out).is_dir():
        return result
    wanted = dict(result.fingerprints)
    for folder in _published(Path(out), prep.date):
        if not wanted:
            break
        pages = _read(folder)
        for key, fp in list(wanted.items()):
            entry = pages.get(key)
            if entry and entry.get("fingerprint") == fp and _copy(folder, entry, key, Path(work)):
                result.reused[key] = entry.get("reused_from") or folder.name
                del wanted[key]
    return result
