"""Rebuild every table in ``data/processed/`` from ``data/raw/`` (``make data``).

Files written (UTF-8 CSV, fixed float format, deterministic row order, so a rebuild from the
same inputs is byte-identical):

- ``gaps.csv`` — trajectory table, method ``linear`` (the default); ``gaps_cagr.csv`` — method ``cagr``
- ``latest_status.csv`` — one row per target: latest year with a value and its status (linear)
- ``area_rollup.csv`` — per area × year counts by status and shares (linear)
- ``area_rollup_latest.csv`` — the same "as of" the latest data (from ``latest_status``)
- ``coverage_by_area.csv`` / ``coverage_by_target.csv`` — when :mod:`helpers.coverage` exists

Everything is computed before anything is written, and every file is written atomically, so a
failure leaves the previous files untouched.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pandas as pd

from helpers import gaps, paths
from helpers.exceptions import Problem, ValidationError


def _coverage_tables(targets: pd.DataFrame, statistics: pd.DataFrame,
                     geos: list[str]) -> dict[str, pd.DataFrame] | None:
    """Coverage tables from helpers.coverage (another module); ``None`` when it does not exist."""
    try:
        coverage = importlib.import_module("helpers.coverage")
    except ModuleNotFoundError as exc:
        if exc.name != "helpers.coverage":
            raise
        return None
    out: dict[str, pd.DataFrame] = {}
    for name, func in (("coverage_by_area.csv", coverage.coverage_by_area),
                       ("coverage_by_target.csv", coverage.coverage_by_target)):
        parts = []
        for geo in geos:
            part = func(targets, statistics, geo)
            if "geo" not in part.columns:
                part = part.assign(geo=geo)
            parts.append(part)
        out[name] = pd.concat(parts, ignore_index=True)
    return out


def build_processed(targets_path: str | Path = paths.DEFAULT_TARGETS,
                    statistics_path: str | Path = paths.DEFAULT_STATISTICS,
                    out_dir: str | Path = paths.PROCESSED_DIR,
                    geo: str | list[str] | None = None) -> dict[str, Path]:
    """Load and validate the inputs, compute every processed table, write them; returns
    ``{file name: path}`` in writing order. ``geo`` as in :func:`helpers.gaps.resolve_geos`
    (default: the plan's jurisdiction). Raises ValidationError for bad inputs (nothing written).
    """
    from helpers.load import load_inputs

    for label, p in (("targets", targets_path), ("statistics", statistics_path)):
        if not Path(p).is_file():
            raise ValidationError([Problem(str(p), None, None, f"{label} file not found")])
    inputs = load_inputs(targets_path, statistics_path)
    t, s, plan = inputs.targets, inputs.statistics, inputs.plan
    geos = gaps.resolve_geos(geo, plan, s, targets=t)

    linear = gaps.compute_gaps(t, s, geo=geos, method="linear", plan=plan)
    cagr = gaps.compute_gaps(t, s, geo=geos, method="cagr", plan=plan)
    latest = gaps.latest_status(linear)
    tables: dict[str, pd.DataFrame] = {
        "gaps.csv": linear,
        "gaps_cagr.csv": cagr,
        "latest_status.csv": latest,
        "area_rollup.csv": gaps.area_rollup(linear),
        "area_rollup_latest.csv": gaps.area_rollup(latest, by_year=False),
    }
    cov = _coverage_tables(t, s, geos)
    if cov is None:
        print("note: helpers.coverage is not available; coverage_by_area.csv and "
              "coverage_by_target.csv were not written")
    else:
        tables.update(cov)

    out_dir = Path(out_dir)
    written: dict[str, Path] = {}
    for name, frame in tables.items():
        written[name] = gaps.write_table(frame, out_dir / name)
    return written


def cli_build(args) -> int:
    """``python -m helpers build``: rebuild data/processed/ and list what was written."""
    written = build_processed(args.targets, args.statistics, args.out_dir, getattr(args, "geo", None))
    for path in written.values():
        n = sum(1 for _ in path.open(encoding="utf-8")) - 1
        print(f"wrote {path} ({n} rows)")
    return 0
