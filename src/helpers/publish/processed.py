"""Rebuild every table in ``data/processed/`` from ``data/raw/`` (``make data``), and the one table
of ``python -m helpers gaps`` (:func:`cli_gaps`).

Files written (UTF-8 CSV, fixed float format, deterministic row order, so a rebuild from the
same inputs is byte-identical):

- ``gaps.csv`` — trajectory table, method ``linear`` (the default); ``gaps_cagr.csv`` — method ``cagr``
- ``latest_status.csv`` — one row per target: latest year with a value and its status (linear)
- ``area_rollup.csv`` — per area × year counts by status and shares (linear)
- ``area_rollup_latest.csv`` — the same "as of" the latest data (from ``latest_status``)
- ``coverage_by_area.csv`` / ``coverage_by_target.csv`` — :mod:`helpers.method.coverage`, with a ``geo`` column

Everything is computed before anything is written, and the files are written in one step
(:func:`helpers.data.fileio.atomic_write_many`: every file to a temporary file first, then all renamed),
so a failure (bad input, read-only folder, full disk) leaves the previous files untouched and is
a message naming the path and the reason (exit 2), not a traceback. The output folder is created
when it is missing and its parent exists.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.data import fileio, locks
from helpers.data.geos import resolve_geos
from helpers.exceptions import OutputError, Problem, ValidationError
from helpers.method import coverage, gaps, summaries

#: CSV float format: 10 significant digits, so a rebuild is byte-identical and readable.
CSV_FLOAT_FORMAT = "%.10g"

#: The files ``build`` writes, in writing order.
TABLE_NAMES: tuple[str, ...] = ("gaps.csv", "gaps_cagr.csv", "latest_status.csv", "area_rollup.csv",
                                "area_rollup_latest.csv", "coverage_by_area.csv", "coverage_by_target.csv")


def write_table(df: pd.DataFrame, path: str | Path) -> Path:
    """Write a table atomically as UTF-8 CSV with the engine's fixed float format (text a
    spreadsheet would run as a formula neutralised, :func:`helpers.data.fileio.neutralise_frame`)."""
    return fileio.atomic_write_csv(df, path, float_format=CSV_FLOAT_FORMAT)


def table_bytes(df: pd.DataFrame) -> bytes:
    """What :func:`write_table` writes, as bytes."""
    return fileio.csv_bytes(df, float_format=CSV_FLOAT_FORMAT)


def _coverage_tables(targets: pd.DataFrame, statistics: pd.DataFrame,
                     geos: list[str], areas: dict | None = None) -> dict[str, pd.DataFrame]:
    """``coverage_by_area.csv`` and ``coverage_by_target.csv``: the tables of every geo in
    ``geos`` stacked, with a ``geo`` column last."""
    by_target, by_area = [], []
    for geo in geos:
        per_target = coverage.coverage_by_target(targets, statistics, geo)
        by_area.append(coverage.coverage_by_area(targets, statistics, geo, per_target, areas).assign(geo=geo))
        by_target.append(per_target.assign(geo=geo))
    return {"coverage_by_area.csv": pd.concat(by_area, ignore_index=True),
            "coverage_by_target.csv": pd.concat(by_target, ignore_index=True)}


def input_problems(targets_path: str | Path, statistics_path: str | Path) -> list[Problem]:
    """The problems (:func:`helpers.data.readers.file_problem`) of the two input files, targets first:
    a path that is missing or not a readable file; ``[]`` when both are fine."""
    from helpers.data.readers import file_problem

    found = [file_problem(p, what=f"{label} file") for label, p in (("targets", targets_path),
                                                                    ("statistics", statistics_path))]
    return [p for p in found if p is not None]


def processed_tables(targets_path: str | Path,
                     statistics_path: str | Path,
                     geo: str | list[str] | None = None, wait: bool = False) -> dict[str, pd.DataFrame]:
    """Load and validate the inputs and compute every processed table: ``{file name: table}``
    in writing order (nothing is written). ``geo`` as in :func:`helpers.data.geos.resolve_geos`
    (default: the plan's jurisdiction). Raises ValidationError for bad inputs or a missing
    file, UnknownValueError for an unknown geo, LockedError while another command holds the
    data lock (:mod:`helpers.data.locks`; ``wait`` waits for it instead).
    """
    from helpers.data.load import load_inputs

    problems = input_problems(targets_path, statistics_path)
    if problems:
        raise ValidationError(problems)
    # The data lock while the inputs are read and validated (not while computing): an import
    # never replaces them half-way; LockedError (exit 3) while one runs, unless ``wait``.
    with locks.data_lock(statistics_path, wait=wait, required=False, command="build"):
        loaded = load_inputs(targets_path, statistics_path)
    t, s, plan = loaded.targets, loaded.statistics, loaded.meta
    geos = resolve_geos(geo, plan, s, targets=t)
    order = loaded.area_keys

    linear = gaps.compute_gaps(t, s, geo=geos, method="linear", plan=plan)
    cagr = gaps.compute_gaps(t, s, geo=geos, method="cagr", plan=plan)
    latest = summaries.latest_status(linear)
    return {
        "gaps.csv": linear,
        "gaps_cagr.csv": cagr,
        "latest_status.csv": latest,
        "area_rollup.csv": summaries.area_rollup(linear, areas=order),
        "area_rollup_latest.csv": summaries.area_rollup(latest, by_year=False, areas=order),
        **_coverage_tables(t, s, geos, loaded.areas),
    }


def check_out_dir(out_dir: str | Path, create: bool = True) -> Path:
    """The output folder, created (``create``) when missing if its parent exists; OutputError
    otherwise, and when one of the table names is a folder there."""
    out_dir = fileio.check_output_dir(out_dir, make=True, create=create)
    for name in TABLE_NAMES:
        if (out_dir / name).is_dir():
            raise OutputError(out_dir / name, "this is a folder; remove it or choose another --out-dir")
    return out_dir


def write_tables(tables: dict[str, pd.DataFrame], out_dir: str | Path) -> dict[str, Path]:
    """Write every table in one step (:func:`helpers.data.fileio.atomic_write_many`): all or none is
    replaced; an OS error (read-only folder, full disk) is an OutputError naming the file."""
    out_dir = check_out_dir(out_dir)
    items = {out_dir / name: table_bytes(frame) for name, frame in tables.items()}
    with fileio.writing(out_dir):
        fileio.atomic_write_many(items)
    return {name: out_dir / name for name in tables}


def build_processed(targets_path: str | Path,
                    statistics_path: str | Path,
                    out_dir: str | Path,
                    geo: str | list[str] | None = None) -> dict[str, Path]:
    """Compute every processed table (:func:`processed_tables`) and write them; returns
    ``{file name: path}`` in writing order. ``geo`` as in :func:`helpers.data.geos.resolve_geos`
    (default: the plan's jurisdiction). Raises ValidationError for bad inputs (nothing written).
    """
    return write_tables(processed_tables(targets_path, statistics_path, geo), out_dir)
