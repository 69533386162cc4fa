"""Plan succession (issue 21, item 6): where a plan continues an indicator of an earlier plan, one
table shows the indicator across both plans — both targets, both required paths, the verdict of the
first and the baseline it hands to the second.

Declared as data, never matched by name: an optional ``continues.csv`` in the later plan's folder,
columns :data:`CONTINUES_COLUMNS` (``id`` of the later plan's target, ``continues_plan`` the earlier
plan's name, ``continues_id`` its target, ``note`` how the target changed).

Public API: :func:`read_continues`, :func:`across_plans` (the two trajectories stacked per link)
and :func:`handover` (one row per link: the earlier verdict, the later baseline).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.exceptions import Problem, ValidationError
from helpers.method import summaries

CONTINUES_COLUMNS: tuple[str, ...] = ("id", "continues_plan", "continues_id", "note")
CONTINUES_FILE = "continues.csv"
#: Columns of :func:`across_plans`, first.
ACROSS_COLUMNS: tuple[str, ...] = ("link", "plan", "indicator_id", "year", "value", "required", "status",
                                   "kind", "comparator", "target", "target_point", "baseline_year", "target_year",
                                   "baseline", "unit", "name_zh", "name_en")


def read_continues(path: Path | str | None) -> pd.DataFrame:
    """The links of a plan's ``continues.csv`` (text); empty when there is no such file. Raises
    ValidationError for a missing column or an empty cell of ``id`` / ``continues_plan`` /
    ``continues_id``."""
    if path is None or not Path(path).is_file():
        return pd.DataFrame({c: pd.Series(dtype="string") for c in CONTINUES_COLUMNS})
    path = Path(path)
    c = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    problems = [Problem(str(path), 1, col, "required column is missing") for col in CONTINUES_COLUMNS
                if col not in c.columns]
    if not problems:
        c = c[list(CONTINUES_COLUMNS)].apply(lambda s: s.str.strip())
        for i, r in c.iterrows():
            for col in CONTINUES_COLUMNS[:3]:
                if not r[col]:
                    problems.append(Problem(str(path), int(i) + 2, col, "empty"))
    if problems:
        raise ValidationError(problems)
    return c.reset_index(drop=True)


def across_plans(earlier: pd.DataFrame, later: pd.DataFrame, links: pd.DataFrame,
                 earlier_name: str, later_name: str) -> pd.DataFrame:
    """One table per link: the earlier plan's trajectory rows of ``continues_id``, then the later
    plan's rows of ``id``, stacked, with ``link`` (the later id) and ``plan`` (the plan's name).
    Only links whose ``continues_plan`` is ``earlier_name``. Columns :data:`ACROSS_COLUMNS` first."""
    links = links[links["continues_plan"] == earlier_name]
    parts = []
    for _, ln in links.iterrows():
        a = earlier[earlier["indicator_id"] == ln["continues_id"]].assign(plan=earlier_name)
        b = later[later["indicator_id"] == ln["id"]].assign(plan=later_name)
        parts.append(pd.concat([a, b], ignore_index=True).assign(link=ln["id"]))
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in ACROSS_COLUMNS})
    out = pd.concat(parts, ignore_index=True)
    lead = [c for c in ACROSS_COLUMNS if c in out.columns]
    return out[lead + [c for c in out.columns if c not in lead]]


def handover(earlier: pd.DataFrame, later: pd.DataFrame, links: pd.DataFrame, earlier_name: str,
             as_of_year: int | None = None) -> pd.DataFrame:
    """One row per link to ``earlier_name``: the earlier target's status as of ``as_of_year`` (its
    verdict once its target year is reached; ``final_pending`` when that year has no value), its
    target and the value it ended on, and the later target's baseline (what the first hands to the
    second) with its source."""
    links = links[links["continues_plan"] == earlier_name].reset_index(drop=True)
    a = summaries.latest_status(earlier, as_of_year).drop_duplicates("indicator_id").set_index("indicator_id")
    b = later.drop_duplicates("indicator_id").set_index("indicator_id")
    rows = []
    for _, ln in links.iterrows():
        ea = a.loc[ln["continues_id"]] if ln["continues_id"] in a.index else pd.Series(dtype=object)
        lb = b.loc[ln["id"]] if ln["id"] in b.index else pd.Series(dtype=object)
        rows.append({
            "id": ln["id"], "continues_id": ln["continues_id"], "note": ln["note"],
            "earlier_target_year": ea.get("target_year"), "earlier_target": ea.get("target_point"),
            "earlier_year": ea.get("year"), "earlier_value": ea.get("value"), "earlier_status": ea.get("status"),
            "earlier_final_pending": ea.get("final_pending"),
            "later_baseline_year": lb.get("baseline_year"), "later_baseline": lb.get("baseline"),
            "later_baseline_source": lb.get("baseline_source"), "later_target": lb.get("target_point"),
            "later_target_year": lb.get("target_year"),
        })
    return pd.DataFrame(rows)
