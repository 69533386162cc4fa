"""Loading the plan's inputs: targets, statistics and plan metadata, validated.

Public API (stable; other modules and the notebooks use only these):

- :func:`load_targets` -> DataFrame with the targets contract and explicit dtypes
- :func:`load_statistics` -> DataFrame with the statistics contract and explicit dtypes
- :func:`load_plan` -> the :class:`~helpers.data.plan.Plan` named by ``--plan NAME|DIR`` or by its
  files (metadata, vocabulary and both tables, validated together, with the cross-checks)
- :func:`load_inputs` -> the same Plan from a targets and a statistics path
- :func:`load_meta` / :func:`read_plan` -> ``plan.json`` beside the targets file (raising / not)
- :func:`plan_jurisdiction` -> the geo whose values are scored
- :func:`write_snapshot` -> a file of validated inputs that :func:`load_inputs` reuses (below)

Every loader raises :class:`helpers.exceptions.ValidationError` listing every problem (file,
line, column) when its input is bad; it never returns a partly valid table.

Dtypes: text columns ``string``; ``target``, ``target_hi``, ``tolerance``, ``baseline_value``,
``value`` ``float64`` (missing = NaN); years ``Int64``. The optional target columns ``unit_zh``,
``value_unit`` and ``baseline_value`` are always present (empty when the file lacks them). Extra
columns of a file are kept as ``string``. The index is a fresh RangeIndex in file order.

Snapshot: the report renderer validates the inputs once, writes them with :func:`write_snapshot`
and names that file in the environment variable :data:`SNAPSHOT_ENV` for its kernels. Then
:func:`load_inputs` returns the snapshot's tables instead of reading and validating the files
again, but only when the requested targets, statistics and ``plan.json`` files are byte for byte
the ones the snapshot was made from (SHA-256); otherwise it loads the files as usual. The result
is the same either way; a set of eleven reports validates its inputs once instead of twelve times.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

import pandas as pd

from helpers import paths
from helpers.data import validate
from helpers.data.plan import Plan, PlanFiles, locate, read_plan_json
from helpers.data.schema import (  # noqa: F401  (re-exported: the contract's columns and dtypes)
    STATISTICS_COLUMNS,
    STATISTICS_DTYPES,
    TARGET_COLUMNS,
    TARGET_DTYPES,
    TARGET_OPTIONAL_COLUMNS,
)
from helpers.exceptions import Problem, ValidationError


def plan_path_for(targets_path: str | Path) -> Path:
    return Path(targets_path).parent / paths.PLAN_FILENAME


def read_plan(targets_path: str | Path) -> tuple[dict, list[Problem]]:
    """``plan.json`` beside the targets file as (metadata, problems) (:func:`helpers.data.plan.read_plan_json`)."""
    return read_plan_json(plan_path_for(targets_path))


def load_meta(targets_path: str | Path) -> dict:
    """``plan.json`` beside the targets file; raises ValidationError naming every bad key."""
    meta, problems = read_plan(targets_path)
    if problems:
        raise ValidationError(problems)
    return meta


def _finish(frame: pd.DataFrame, dtypes: dict[str, str]) -> pd.DataFrame:
    """Drop helper columns, reset the index, apply the contract dtypes (others: string)."""
    out = frame[[c for c in frame.columns if not str(c).startswith("_")]].reset_index(drop=True)
    return out.astype({c: dtypes.get(c, "string") for c in out.columns})


def _raise_if(problems: list[Problem]) -> None:
    if problems:
        raise ValidationError(problems)


def load_targets(path: str | Path) -> pd.DataFrame:
    """Read and validate the targets table (see module docstring for dtypes)."""
    t = validate.read_table(path, "targets")
    _raise_if(validate.sort_problems(t.problems + validate.check_targets(t), list(TARGET_COLUMNS)))
    return _finish(t.frame, TARGET_DTYPES)


def load_statistics(path: str | Path, targets: pd.DataFrame | None = None) -> pd.DataFrame:
    """Read and validate the statistics table; with ``targets`` also the cross-checks
    (indicator ids known, units equal to the target's, no negative count)."""
    s = validate.read_table(path, "statistics")
    _raise_if(validate.sort_problems(s.problems + validate.check_statistics(s, targets), list(STATISTICS_COLUMNS)))
    return _finish(s.frame, STATISTICS_DTYPES)


#: Environment variable holding the path of a snapshot written by :func:`write_snapshot`.
SNAPSHOT_ENV = "HELPERS_INPUTS_SNAPSHOT"


def fingerprint(targets_path: str | Path, statistics_path: str | Path) -> tuple:
    """(resolved path, SHA-256 or None when absent) of the targets, statistics and plan files."""
    out = []
    for p in (Path(targets_path), Path(statistics_path), plan_path_for(targets_path)):
        p = p.resolve()
        out.append((str(p), hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else None))
    return tuple(out)


def write_snapshot(inputs: Plan, path: str | Path, fingerprint_: tuple | None = None,
                   pinned: bool = False) -> Path:
    """Write validated ``inputs`` (from :func:`load_inputs`) to ``path`` for :func:`load_inputs`
    to reuse while the files are unchanged (see the module docstring). Written atomically.

    ``fingerprint_``: the files' :func:`fingerprint` taken *before* ``inputs`` were loaded (and
    found unchanged after); without it the files are fingerprinted now, which is right only when
    nothing can have changed them since they were loaded.

    ``pinned``: the snapshot stands for the same *paths* whatever their bytes become (a report
    render: every page must come from the one validated reading, even if someone imports new
    values while the notebooks run)."""
    from helpers.data.fileio import atomic_write_bytes

    if fingerprint_ is None:
        fingerprint_ = fingerprint(inputs.targets_path, inputs.statistics_path)
    record = {"fingerprint": fingerprint_, "inputs": inputs, "pinned": bool(pinned)}
    return atomic_write_bytes(Path(path), pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))


def _from_snapshot(targets_path: str | Path, statistics_path: str | Path) -> Plan | None:
    where = os.environ.get(SNAPSHOT_ENV)
    if not where:
        return None
    try:
        record = pickle.loads(Path(where).read_bytes())
        if record.get("pinned"):
            wanted = [str(p.resolve()) for p in (Path(targets_path), Path(statistics_path),
                                                 plan_path_for(targets_path))]
            if [f[0] for f in record["fingerprint"]] != wanted:
                return None
        elif record["fingerprint"] != fingerprint(targets_path, statistics_path):
            return None
    except (OSError, pickle.UnpicklingError, KeyError, TypeError, EOFError):
        return None
    p = record["inputs"]
    return Plan(p.meta, p.targets, p.statistics, Path(targets_path), Path(statistics_path), p.name)


def load_inputs(targets_path: str | Path, statistics_path: str | Path, name: str | None = None) -> Plan:
    """The :class:`~helpers.data.plan.Plan` of these files: targets, statistics and ``plan.json``
    (beside the targets file), validated together (every problem of all three files in one
    ValidationError). Reuses a snapshot of the same files when one is named in
    :data:`SNAPSHOT_ENV` (module docstring). ``name``: the plan's name (default: the targets
    file's folder name)."""
    snapshot = _from_snapshot(targets_path, statistics_path)
    if snapshot is not None:
        return snapshot
    checked = validate.check_files(targets_path, statistics_path)
    _raise_if(checked.problems)
    name = name or locate(targets=targets_path, statistics=statistics_path).name
    return Plan(checked.plan, _finish(checked.targets.frame, TARGET_DTYPES),
                _finish(checked.statistics.frame, STATISTICS_DTYPES),
                Path(targets_path), Path(statistics_path), name)


def load_plan(plan: str | Path | None = None, targets: str | Path | None = None,
              statistics: str | Path | None = None) -> Plan:
    """The plan named by ``--plan NAME|DIR`` (default: the default plan) or by its
    ``--targets``/``--statistics`` files (:func:`helpers.data.plan.locate`), loaded and validated."""
    files = locate(plan, targets, statistics)
    return load_inputs(files.targets_path, files.statistics_path, files.name)


def plan_files(plan: str | Path | None = None, targets: str | Path | None = None,
               statistics: str | Path | None = None) -> PlanFiles:
    """Where the plan's files are (re-exported :func:`helpers.data.plan.locate`)."""
    return locate(plan, targets, statistics)


def plan_jurisdiction(plan, statistics: pd.DataFrame, targets: pd.DataFrame | None = None) -> str | None:
    """The geo whose values are scored (:func:`helpers.data.geos.default_geo`)."""
    from helpers.data.geos import default_geo

    return default_geo(plan, statistics, targets)
