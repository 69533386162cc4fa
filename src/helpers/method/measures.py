"""Alternative measures of one target (issue 21, item 3): a target may be measured in more than one
official way (a definition break, a revised series); each measure is scored under its own rule and
labelled, and their verdicts sit side by side, one measure marked as the plan's own.

Declared as data, in an optional ``measures.csv`` beside the plan's targets (columns
:data:`MEASURE_COLUMNS`), one row per measure:

- ``target_id``: the target measured; ``series_id``: the statistics series of this measure (the
  target's own id for the plan's own measure, else a context series ``<id>:<suffix>``);
- ``kind``: how that series is scored (the kinds of docs/method.md section 12: the plan's own
  first-release yearly rates are ``rate_total``; a published cumulative change since the baseline
  is ``cumulative``); the target's comparator, number, baseline and target years are kept;
- ``label_zh`` / ``label_en``: what the measure is (first release / revised, its definition);
- ``own``: ``yes`` for the plan's own measure (exactly one per target), else empty;
- ``note``: why the measure exists and its doubts.

A figure the tool would derive from two sources (e.g. a revised total compounded with a later
first-release rate) is never made here: every scored value is a published statistic.

Public API: :func:`read_measures`, :func:`score_measures` (a trajectory with the columns
``measure_of``, ``measure``, ``measure_zh``, ``measure_en``, ``own_measure`` added) and
:func:`side_by_side` (one row per target × measure: the latest status as of a year).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.exceptions import Problem, ValidationError
from helpers.method import gaps, summaries
from helpers.vocab import KINDS

MEASURE_COLUMNS: tuple[str, ...] = ("target_id", "series_id", "kind", "label_zh", "label_en", "own", "note")
#: The file's name in a plan folder.
MEASURES_FILE = "measures.csv"


def read_measures(path: Path | str | None, targets: pd.DataFrame | None = None) -> pd.DataFrame:
    """The measures of a plan (:data:`MEASURE_COLUMNS`, text); an empty table when the file does
    not exist. Raises ValidationError (file, line, column) for a missing column, an unknown kind or
    target, a series that is neither the target nor one of its context series, or a target without
    exactly one ``own`` measure."""
    if path is None or not Path(path).is_file():
        return pd.DataFrame({c: pd.Series(dtype="string") for c in MEASURE_COLUMNS})
    path = Path(path)
    m = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    file = str(path)
    problems = [Problem(file, 1, c, "required column is missing") for c in MEASURE_COLUMNS if c not in m.columns]
    if problems:
        raise ValidationError(problems)
    m = m[list(MEASURE_COLUMNS)].apply(lambda c: c.str.strip())
    ids = set(targets["id"].astype(str)) if targets is not None else None
    for i, r in m.iterrows():
        line = int(i) + 2
        if r["kind"] not in KINDS or r["kind"] == "unquantified":
            problems.append(Problem(file, line, "kind", f"{r['kind']!r} is not a scored kind"))
        if ids is not None and r["target_id"] not in ids:
            problems.append(Problem(file, line, "target_id", f"{r['target_id']!r} is not a target of the plan"))
        if r["series_id"].split(":", 1)[0] != r["target_id"]:
            problems.append(Problem(file, line, "series_id",
                                    f"{r['series_id']!r} is neither {r['target_id']!r} nor one of its context series"))
        if r["own"] not in ("", "yes"):
            problems.append(Problem(file, line, "own", f"{r['own']!r}: 'yes' or empty"))
        if not (r["label_zh"] and r["label_en"]):
            problems.append(Problem(file, line, "label_en", "a measure needs both labels"))
    for t, grp in m.groupby("target_id"):
        if (grp["own"] == "yes").sum() != 1:
            problems.append(Problem(file, None, "own", f"target {t}: exactly one measure must be the plan's own"))
    if problems:
        raise ValidationError(problems)
    return m.reset_index(drop=True)


def _measure_targets(targets: pd.DataFrame, measures: pd.DataFrame) -> pd.DataFrame:
    """One target row per measure: the target's row with the measure's series as id and its kind."""
    base = targets.assign(id=targets["id"].astype(str)).set_index("id", drop=False)
    rows = []
    for _, m in measures.iterrows():
        t = base.loc[m["target_id"]].copy()
        t["id"] = m["series_id"]
        t["kind"] = m["kind"]
        if m["kind"] != base.loc[m["target_id"], "kind"] and "value_unit" in t.index:
            t["value_unit"] = ""  # the series holds the scored quantity itself (e.g. a cumulative change)
        rows.append(t)
    return pd.DataFrame(rows).reset_index(drop=True)


def score_measures(targets: pd.DataFrame, statistics: pd.DataFrame, measures: pd.DataFrame, geo=None,
                   method: str = "linear", plan=None) -> pd.DataFrame:
    """The trajectory of every measure (:func:`helpers.method.gaps.compute_gaps` on one target per
    measure), with ``measure_of`` (the target id), ``measure`` (the series id), ``measure_zh`` /
    ``measure_en`` (the labels) and ``own_measure`` (the plan's own) added. Empty without measures."""
    if measures.empty:
        return gaps.compute_gaps(targets.iloc[0:0], statistics, geo=geo, method=method, plan=plan).assign(
            measure_of=pd.Series(dtype="string"), measure=pd.Series(dtype="string"),
            measure_zh=pd.Series(dtype="string"), measure_en=pd.Series(dtype="string"),
            own_measure=pd.Series(dtype="bool"))
    traj = gaps.compute_gaps(_measure_targets(targets, measures), statistics, geo=geo, method=method, plan=plan)
    info = measures.set_index("series_id")
    sid = traj["indicator_id"].astype(str)
    traj["measure_of"] = pd.array(sid.map(info["target_id"]), dtype="string")
    traj["measure"] = pd.array(sid, dtype="string")
    traj["measure_zh"] = pd.array(sid.map(info["label_zh"]), dtype="string")
    traj["measure_en"] = pd.array(sid.map(info["label_en"]), dtype="string")
    traj["own_measure"] = sid.map(info["own"] == "yes").astype(bool)
    return traj


def side_by_side(measure_trajectory: pd.DataFrame, as_of_year: int | None = None) -> pd.DataFrame:
    """One row per geo × target × measure, the plan's own measure first: the latest status as of
    ``as_of_year`` (:func:`helpers.method.summaries.latest_status`: in the target year the verdict),
    with ``measure_of``, ``measure``, the labels and ``own_measure``."""
    cols = ["measure_of", "measure", "measure_zh", "measure_en", "own_measure"]
    if measure_trajectory.empty:
        return summaries.latest_status(measure_trajectory.drop(columns=cols), as_of_year).assign(
            **{c: measure_trajectory[c].iloc[0:0] for c in cols})
    latest = summaries.latest_status(measure_trajectory.drop(columns=cols), as_of_year)
    info = measure_trajectory.drop_duplicates("indicator_id").set_index("indicator_id")[cols]
    out = latest.join(info, on="indicator_id")
    out["_own"] = ~out["own_measure"]
    out = out.sort_values(["geo", "measure_of", "_own"], kind="mergesort").drop(columns="_own")
    lead = ["geo", "measure_of", "measure", "measure_en", "own_measure", "year", "value", "status", "gap",
            "progress", "stale", "final_pending", "status_note"]
    return out[[c for c in lead if c in out.columns] + [c for c in out.columns if c not in lead]].reset_index(drop=True)
