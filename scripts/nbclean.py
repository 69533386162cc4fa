"""Git "clean" filter for the notebooks: what git stores is the notebook as the project keeps it
(outputs only in the ``nbval-check-output`` cells, run metadata dropped; see
``scripts/refresh_notebooks.py``), whatever JupyterLab saved. So saving a notebook after running
it leaves ``git status`` clean unless the key figures changed.

``make env`` installs it for this clone::

    git config filter.nbclean.clean '.venv/bin/python scripts/nbclean.py'

with ``notebooks/*.ipynb filter=nbclean`` in ``.gitattributes``. Reads a notebook on stdin and
writes it on stdout; input that is not a notebook passes through unchanged (a filter must never
lose a file).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_spec = importlib.util.spec_from_file_location("refresh_notebooks", Path(__file__).with_name("refresh_notebooks.py"))
refresh = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(refresh)


def clean(text: str) -> str:
    import nbformat

    try:
        nb = nbformat.reads(text, as_version=4)
        refresh.strip(nb, strict=False)
        return nbformat.writes(nb) + "\n"
    except Exception:  # noqa: BLE001 — not a notebook we can read: keep it as it is
        return text


def main() -> int:
    data = sys.stdin.buffer.read().decode("utf-8")
    sys.stdout.buffer.write(clean(data).encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
