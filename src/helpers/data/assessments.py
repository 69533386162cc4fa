"""A plan's optional ``assessments.csv``: what an official review or the researcher's own reading
says about a target, with its source and date (docs/data_contract.md, "assessments.csv"). It
sits beside ``targets.csv``; a plan without it has no assessments. The scorecard shows each
target's assessment beside the computed status and flags where they disagree
(:mod:`helpers.report.scorecard`).

:func:`read_assessments` returns the table (one row per target, text cells) or raises
ValidationError listing every problem as file, line and column.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from helpers.data.readers import read_cells
from helpers.exceptions import Problem, ValidationError
from helpers.vocab import STATUSES

FILENAME = "assessments.csv"
#: Columns: ``id`` (a target id), ``status`` (a status key: what the assessment says),
#: ``assessed_by`` (``official`` | ``own``), ``source_title``, ``source_url``, ``date`` (when it was
#: made: YYYY, YYYY-MM or YYYY-MM-DD), ``note``.
COLUMNS: tuple[str, ...] = ("id", "status", "assessed_by", "source_title", "source_url", "date", "note")
REQUIRED: tuple[str, ...] = ("id", "status", "assessed_by", "source_title", "date")
ASSESSED_BY: dict[str, tuple[str, str]] = {"official": ("官方评估", "official"), "own": ("自行评估", "own")}
#: What an assessment may say: a status, not "no data".
ASSESSED_STATUSES: tuple[str, ...] = tuple(s for s in STATUSES if s != "no_data")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_URL = re.compile(r"^https?://[^\s/]+\S*$")


def assessments_path(targets_path: str | Path) -> Path:
    return Path(targets_path).parent / FILENAME


def read_assessments(path: str | Path, target_ids: list[str]) -> pd.DataFrame:
    """The assessments at ``path`` (all :data:`COLUMNS`, text, one row per target id); an empty
    frame when the file does not exist. ValidationError (file, line, column) for an unknown
    target id, an id assessed twice, a required cell empty, a status, ``assessed_by``, date or
    URL that is not one of the allowed forms."""
    path = Path(path)
    if not path.exists():
        return pd.DataFrame(columns=list(COLUMNS), dtype="string")
    table = read_cells(path, REQUIRED)
    if table.raw is None:
        raise ValidationError(table.problems)
    d = table.raw.copy()
    for c in COLUMNS:
        if c not in d.columns:
            d[c] = pd.NA
    d = d[list(COLUMNS)].astype("string").apply(lambda s: s.str.strip())
    file, problems, seen = str(path), list(table.problems), {}
    allowed = {"status": ASSESSED_STATUSES, "assessed_by": tuple(ASSESSED_BY)}
    for line, r in d.iterrows():
        for c in REQUIRED:
            if pd.isna(r[c]):
                problems.append(Problem(file, int(line), c, "required: the cell is empty"))
        for c, ok in allowed.items():
            if pd.notna(r[c]) and r[c] not in ok:
                problems.append(Problem(file, int(line), c, f"'{r[c]}' is not one of: {', '.join(ok)}"))
        if pd.notna(r["id"]):
            if r["id"] not in target_ids:
                problems.append(Problem(file, int(line), "id", f"'{r['id']}' is not a target id of this plan"))
            elif r["id"] in seen:
                problems.append(Problem(file, int(line), "id", f"'{r['id']}' is assessed twice (first on line "
                                                               f"{seen[r['id']]}); keep the one to show"))
            seen.setdefault(r["id"], int(line))
        if pd.notna(r["date"]) and not _DATE.match(r["date"]):
            problems.append(Problem(file, int(line), "date", f"'{r['date']}' is not a date YYYY, YYYY-MM or YYYY-MM-DD"))
        if pd.notna(r["source_url"]) and not _URL.match(r["source_url"]):
            problems.append(Problem(file, int(line), "source_url", f"'{r['source_url']}' is not a web address (http:// or https://)"))
    if problems:
        raise ValidationError(problems)
    return d.reset_index(drop=True)
