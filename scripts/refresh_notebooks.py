"""Refresh the stored key figures of the report notebooks (run after the statistics change).

For each notebook (default: every ``notebooks/*.ipynb``) this executes it top to bottom with its
default parameters in the current Python environment (the interpreter running this script, like
``pytest --nbval-current-env``), then writes it back in the form kept in git:

- cells tagged ``nbval-check-output`` keep their outputs and execution count: these are the key
  figures nbval compares on every ``make test``. They must print plain text to stdout only
  (no stderr, no rich display), otherwise the refresh stops: such output is not stable;
- every other cell is stripped (no outputs, execution count ``null``, metadata reduced to tags);
- notebook metadata is reduced to the kernelspec (``plan-tracker``) and the language name, so
  a refresh on another machine yields the same file.

Data come from the default plan under ``data/raw/`` (or ``$HELPERS_PROJECT_ROOT/data/raw/``). The file is replaced
atomically; ``--check`` writes nothing and exits 1 when a notebook would change.

Usage: python scripts/refresh_notebooks.py [NOTEBOOK ...] [--check] [--timeout SECONDS]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
CHECK_TAG = "nbval-check-output"
KERNELSPEC = {"name": "plan-tracker", "display_name": "Python (plan-tracker)", "language": "python"}


def _kernel_manager(folder: str):
    """A kernel manager for the current interpreter (nbval's "parent env" kernelspec), talking
    over Unix sockets in ``folder`` (no TCP ports, no unencrypted-TCP warning)."""
    from jupyter_client.manager import KernelManager
    from nbval.kernel import CURRENT_ENV_KERNEL_NAME, NbvalKernelspecManager

    return KernelManager(kernel_name=CURRENT_ENV_KERNEL_NAME, kernel_spec_manager=NbvalKernelspecManager(),
                         transport="ipc", ip=os.path.join(folder, "kernel"))


def execute(nb: nbformat.NotebookNode, cwd: Path, timeout: int = 600) -> nbformat.NotebookNode:
    """Execute ``nb`` in place (cwd = the notebook's folder, like nbval) and return it."""
    from nbclient import NotebookClient

    with tempfile.TemporaryDirectory(prefix="refresh-") as folder:
        km = _kernel_manager(folder)
        client = NotebookClient(nb, km=km, timeout=timeout, allow_errors=False,
                                resources={"metadata": {"path": str(cwd)}})
        try:
            client.execute()
        finally:
            # nbclient leaves a kernel it did not create running; stop it here.
            if km.has_kernel:
                km.shutdown_kernel()
    return nb


def _coalesce_streams(outputs: list) -> list:
    """One stream output per stream name (nbval compares coalesced streams anyway)."""
    merged: dict[str, nbformat.NotebookNode] = {}
    out = []
    for o in outputs:
        if o.get("output_type") == "stream":
            if o["name"] in merged:
                merged[o["name"]]["text"] += o["text"]
                continue
            o = nbformat.from_dict({"output_type": "stream", "name": o["name"], "text": o["text"]})
            merged[o["name"]] = o
        out.append(o)
    return out


def strip(nb: nbformat.NotebookNode, name: str = "notebook", strict: bool = True) -> nbformat.NotebookNode:
    """Keep outputs only in ``nbval-check-output`` cells; drop run-specific metadata.

    ``strict``: raise ValueError when a check cell has no output, or output that is not plain
    stdout text; otherwise (the git filter, :mod:`nbclean`) keep only its stdout text.
    """
    for i, cell in enumerate(nb.cells):
        tags = list(cell.get("metadata", {}).get("tags", []))
        cell["metadata"] = {"tags": tags} if tags else {}
        if cell["cell_type"] != "code":
            continue
        if CHECK_TAG in tags and cell.get("execution_count") is not None:
            outs = _coalesce_streams(cell.get("outputs", []))
            bad = [o for o in outs if not (o.get("output_type") == "stream" and o.get("name") == "stdout")]
            if not strict:
                outs = [o for o in outs if o not in bad]
            elif bad or not outs:
                kinds = sorted({f"{o.get('output_type')}:{o.get('name', '')}" for o in bad}) or ["nothing"]
                raise ValueError(f"{name}: cell {i} tagged {CHECK_TAG} must print plain text to stdout "
                                 f"only; it produced {', '.join(kinds)}")
            cell["outputs"] = outs
        else:
            cell["outputs"] = []
            cell["execution_count"] = None
    nb["metadata"] = {"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"}}
    return nb


def refresh(path: Path, check: bool = False, timeout: int = 600) -> bool:
    """Execute and strip one notebook; write it back unless ``check``. Returns True if changed."""
    from helpers.data.fileio import atomic_write_text

    original = path.read_text(encoding="utf-8")
    nb = nbformat.reads(original, as_version=4)
    execute(nb, path.parent, timeout)
    strip(nb, path.name)
    nbformat.validate(nb)
    text = nbformat.writes(nb) + "\n"
    changed = text != original
    if changed and not check:
        atomic_write_text(path, text)
    return changed


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("notebooks", nargs="*", type=Path,
                   help="notebooks to refresh; default: notebooks/*.ipynb")
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 if any would change")
    p.add_argument("--timeout", type=int, default=600, help="per-cell timeout in seconds")
    args = p.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    changed = []
    for path in paths:
        if refresh(path, check=args.check, timeout=args.timeout):
            changed.append(path)
        print(f"{'would change' if args.check else 'refreshed'}: {path.name}" if path in changed
              else f"unchanged: {path.name}")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
