"""Loading the plan's inputs: targets, statistics and plan metadata, validated.

Public API (stable; other modules and the notebooks use only these):

- :func:`load_targets` -> DataFrame with the targets contract and explicit dtypes
- :func:`load_statistics` -> DataFrame with the statistics contract and explicit dtypes
- :func:`load_plan` -> dict of plan metadata (``plan.json`` beside the targets file)
- :func:`read_plan` -> (plan metadata, problems) without raising
- :func:`load_inputs` -> :class:`Inputs` (all three, validated together, with the cross-checks)
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
import json
import os
import pickle
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers import paths, validate
from helpers.exceptions import Problem, ValidationError
from helpers.schema import (  # noqa: F401  (re-exported: the contract's columns and dtypes)
    GEO_PATTERN,
    STATISTICS_COLUMNS,
    STATISTICS_DTYPES,
    TARGET_COLUMNS,
    TARGET_DTYPES,
    TARGET_OPTIONAL_COLUMNS,
)


@dataclass
class Inputs:
    targets: pd.DataFrame
    statistics: pd.DataFrame
    plan: dict = field(default_factory=dict)
    targets_path: Path | None = None
    statistics_path: Path | None = None


def plan_path_for(targets_path: str | Path) -> Path:
    return Path(targets_path).parent / paths.PLAN_FILENAME


def read_plan(targets_path: str | Path) -> tuple[dict, list[Problem]]:
    """``plan.json`` beside the targets file as (metadata, problems), for callers that need both
    from one parse. ``({}, [])`` when there is no such file; ``({}, [problem])`` when it is not
    UTF-8 JSON holding an object; the metadata with a problem per invalid ``jurisdiction`` or
    ``benchmarks``. Never raises for bad content (:func:`load_plan` does)."""
    p = plan_path_for(targets_path)
    file = str(p)
    if not p.is_file():
        return {}, []
    try:
        text = p.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        return {}, [Problem(file, None, None, f"not UTF-8 text (byte {err.start}); save as UTF-8")]
    try:
        plan = json.loads(text)
    except json.JSONDecodeError as err:
        return {}, [Problem(file, err.lineno, None, f"not valid JSON: {err.msg} (at character {err.colno})")]
    if not isinstance(plan, dict):
        return {}, [Problem(file, 1, None, "expected a JSON object {\"title_zh\": ..., \"jurisdiction\": ...}")]
    problems = []
    jur = plan.get("jurisdiction")
    if jur is not None and not (isinstance(jur, str) and re.fullmatch(GEO_PATTERN, jur)):
        problems.append(Problem(file, None, "jurisdiction",
                                f"{jur!r} is not a valid geo; expected a lowercase name such as fuyang"))
    bench = plan.get("benchmarks")
    if bench is not None and not (isinstance(bench, list)
                                  and all(isinstance(b, str) and re.fullmatch(GEO_PATTERN, b) for b in bench)):
        problems.append(Problem(file, None, "benchmarks",
                                f"{bench!r}: expected a list of lowercase geo names such as [\"anhui\", \"china\"]"))
    return plan, problems


def plan_problems(targets_path: str | Path) -> list[Problem]:
    """Problems of ``plan.json`` beside the targets file (none when there is no such file)."""
    return read_plan(targets_path)[1]


def load_plan(targets_path: str | Path = paths.DEFAULT_TARGETS) -> dict:
    """Plan metadata from ``plan.json`` beside the targets file; ``{}`` when there is none.

    Raises ValidationError when the file is not a JSON object or names an invalid jurisdiction.
    """
    plan, problems = read_plan(targets_path)
    if problems:
        raise ValidationError(problems)
    return plan


def _finish(frame: pd.DataFrame, dtypes: dict[str, str]) -> pd.DataFrame:
    """Drop helper columns, reset the index, apply the contract dtypes (others: string)."""
    out = frame[[c for c in frame.columns if not str(c).startswith("_")]].reset_index(drop=True)
    return out.astype({c: dtypes.get(c, "string") for c in out.columns})


def _raise_if(problems: list[Problem]) -> None:
    if problems:
        raise ValidationError(problems)


def load_targets(path: str | Path = paths.DEFAULT_TARGETS) -> pd.DataFrame:
    """Read and validate the targets table (see module docstring for dtypes)."""
    t = validate.read_table(path, "targets")
    _raise_if(validate.sort_problems(t.problems + validate.check_targets(t), list(TARGET_COLUMNS)))
    return _finish(t.frame, TARGET_DTYPES)


def load_statistics(path: str | Path = paths.DEFAULT_STATISTICS, targets: pd.DataFrame | None = None) -> pd.DataFrame:
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


def write_snapshot(inputs: Inputs, path: str | Path, fingerprint_: tuple | None = None) -> Path:
    """Write validated ``inputs`` (from :func:`load_inputs`) to ``path`` for :func:`load_inputs`
    to reuse while the files are unchanged (see the module docstring). Written atomically.

    ``fingerprint_``: the files' :func:`fingerprint` taken *before* ``inputs`` were loaded (and
    found unchanged after); without it the files are fingerprinted now, which is right only when
    nothing can have changed them since they were loaded."""
    from helpers.fileio import atomic_write_bytes

    if fingerprint_ is None:
        fingerprint_ = fingerprint(inputs.targets_path, inputs.statistics_path)
    record = {"fingerprint": fingerprint_, "inputs": inputs}
    return atomic_write_bytes(Path(path), pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))


def _from_snapshot(targets_path: str | Path, statistics_path: str | Path) -> Inputs | None:
    where = os.environ.get(SNAPSHOT_ENV)
    if not where:
        return None
    try:
        record = pickle.loads(Path(where).read_bytes())
        if record["fingerprint"] != fingerprint(targets_path, statistics_path):
            return None
    except (OSError, pickle.UnpicklingError, KeyError, TypeError, EOFError):
        return None
    inputs = record["inputs"]
    return Inputs(inputs.targets, inputs.statistics, inputs.plan, Path(targets_path), Path(statistics_path))


def load_inputs(targets_path: str | Path = paths.DEFAULT_TARGETS,
                statistics_path: str | Path = paths.DEFAULT_STATISTICS) -> Inputs:
    """Targets, statistics and plan metadata, validated together (every problem of all three
    files in one ValidationError). Reuses a snapshot of the same files when one is named in
    :data:`SNAPSHOT_ENV` (module docstring)."""
    snapshot = _from_snapshot(targets_path, statistics_path)
    if snapshot is not None:
        return snapshot
    checked = validate.check_files(targets_path, statistics_path)
    _raise_if(checked.problems)
    return Inputs(_finish(checked.targets.frame, TARGET_DTYPES),
                  _finish(checked.statistics.frame, STATISTICS_DTYPES),
                  checked.plan, Path(targets_path), Path(statistics_path))


def plan_jurisdiction(plan: dict, statistics: pd.DataFrame, targets: pd.DataFrame | None = None) -> str | None:
    """The geo whose values are scored: ``plan["jurisdiction"]``; without one, the geo with the
    most rows among the target-id rows of ``statistics`` (ties: alphabetical); ``None`` when
    neither gives one. The rule is :func:`helpers.gaps.default_geo` (without ``targets`` every
    row that is not a context series ``<id>:<suffix>`` counts)."""
    from helpers import gaps

    return gaps.default_geo(plan, statistics, targets)
