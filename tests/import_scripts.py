"""What the tests of the import scripts share: loading a script of ``scripts/`` by its path
(they are not package modules) and writing a small ``series_labels.csv``."""

from __future__ import annotations

import csv
import importlib.util
import io
import sys
from pathlib import Path
from types import ModuleType

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


def load_script(name: str) -> ModuleType:
    """``scripts/<name>.py`` loaded as the module ``name`` (also put in ``sys.modules``: dataclasses
    look their module up there)."""
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return module


_common = load_script("_import_common")


def labels_file(folder: Path, rows: list[tuple[str, str, str]]) -> Path:
    """``folder/series_labels.csv`` with the labels file's header and ``rows``
    (indicator_id, label_zh, label_en); returns its path."""
    path = folder / "series_labels.csv"
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(_common.LABELS_REQUIRED)
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path
