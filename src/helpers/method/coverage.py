"""What is known and what is missing: how much of a plan can be monitored with the statistics.

For the plan's own jurisdiction only (benchmarks are context, not data about the plan):

- a target **has a baseline** when it has a value in its baseline year (or the targets table gives
  a ``baseline_value``), or when the method itself starts it from 0: a ``cumulative`` target (a
  running total since the baseline year) and the totals over the plan period
  (:data:`helpers.method.kinds.ZERO_BASE_KINDS`), as :func:`helpers.method.kinds.baseline` does;
- it **has progress data** when it has at least one value in baseline_year+1 .. target_year;
- its **indicator-years filled** are the years baseline_year .. target_year (both included) that
  have a value, out of ``target_year - baseline_year + 1`` possible;
- it has **no data at all** when none of those years has a value.

Only the target's own series counts (indicator_id == target id); context series
``<target id>:<suffix>`` measure something else and never count. For a ``relative`` target (or a ``rate_avg``
target with a reference series) a year
counts only when both the jurisdiction's value and the reference series (any geo) exist for it,
since the ratio needs both.
"""

from __future__ import annotations

import pandas as pd

from helpers.data.geos import plan_geo
from helpers.method.kinds import ZERO_BASE_KINDS
from helpers.vocab import REFERENCE_KINDS

BY_TARGET_COLUMNS = (
    "id", "area", "name_zh", "name_en", "kind", "baseline_year", "target_year", "has_baseline",
    "has_progress", "years_filled", "years_possible", "no_data", "context_rows",
)
BY_AREA_COLUMNS = (
    "area", "area_zh", "area_en", "targets", "with_baseline", "with_progress", "no_data",
    "years_filled", "years_possible", "share_filled",
)


def _value_years(statistics: pd.DataFrame, ids: pd.Series, geo: str | None) -> pd.DataFrame:
    """Distinct (indicator_id, year) with a value, for ``geo`` (None: any geo)."""
    s = statistics[statistics["value"].notna() & statistics["indicator_id"].isin(ids)]
    if geo is not None:
        s = s[s["geo"] == geo]
    return s[["indicator_id", "year"]].drop_duplicates()


def coverage_by_target(targets: pd.DataFrame, statistics: pd.DataFrame, geo: str) -> pd.DataFrame:
    """One row per target (targets order): see the module docstring for the definitions.

    Columns: :data:`BY_TARGET_COLUMNS` (``has_*``/``no_data`` bool, counts int64,
    ``context_rows`` = rows of the target's context series for ``geo``, shown apart).
    """
    t = targets.reset_index(drop=True)
    years = t[["id", "baseline_year", "target_year", "kind", "reference_id"]].copy()
    own = _value_years(statistics, t["id"], geo).rename(columns={"indicator_id": "id"})
    cand = years.merge(own, on="id", how="inner")
    cand = cand[(cand["year"] >= cand["baseline_year"]) & (cand["year"] <= cand["target_year"])]

    rel = (cand["kind"].isin(REFERENCE_KINDS) & cand["reference_id"].notna()).fillna(False).astype(bool)
    if rel.any():
        ref = _value_years(statistics, t["reference_id"].dropna(), None)
        ref = ref.rename(columns={"indicator_id": "reference_id"}).assign(_ref=True)
        cand = cand.merge(ref, on=["reference_id", "year"], how="left")
        cand = cand[~rel.to_numpy() | cand["_ref"].notna().to_numpy()]

    filled = cand.groupby("id")["year"].nunique()
    base = cand[cand["year"] == cand["baseline_year"]].groupby("id").size()
    prog = cand[cand["year"] > cand["baseline_year"]].groupby("id").size()

    ctx = statistics[statistics["geo"] == geo]["indicator_id"].astype("string").str.extract(r"^([^:]+):")[0]
    ctx_rows = ctx.dropna().value_counts()

    out = t[["id", "area", "name_zh", "name_en", "kind", "baseline_year", "target_year"]].copy()
    given = out["id"].map(t.set_index("id")["baseline_value"]) if "baseline_value" in t.columns else None
    out["has_baseline"] = out["id"].map(base).fillna(0).gt(0)
    if given is not None:
        out["has_baseline"] = out["has_baseline"] | given.notna().to_numpy()
    # The method starts these from 0 (kinds.baseline): never "without a baseline" (issue 24).
    out["has_baseline"] = out["has_baseline"] | out["kind"].isin(("cumulative", *ZERO_BASE_KINDS)).fillna(False).to_numpy()
    out["has_progress"] = out["id"].map(prog).fillna(0).gt(0)
    out["years_filled"] = out["id"].map(filled).fillna(0).astype("int64")
    out["years_possible"] = (out["target_year"] - out["baseline_year"] + 1).fillna(0).astype("int64")
    out["no_data"] = out["years_filled"].eq(0)
    out["context_rows"] = out["id"].map(ctx_rows).fillna(0).astype("int64")
    return out[list(BY_TARGET_COLUMNS)].astype({"has_baseline": bool, "has_progress": bool, "no_data": bool})


def coverage_by_area(targets: pd.DataFrame, statistics: pd.DataFrame, geo: str,
                     by_target: pd.DataFrame | None = None,
                     areas: dict[str, tuple[str, str]] | None = None) -> pd.DataFrame:
    """One row per area that has targets (in the order of ``areas``, the plan's
    :attr:`~helpers.data.plan.Plan.areas`, then other areas in first-appearance order), then ``all``.
    Counts of targets; ``share_filled`` = years_filled / years_possible (0..1, NaN when nothing
    is possible). ``area_zh``/``area_en`` are the labels of ``areas`` (the key when none).
    Columns: :data:`BY_AREA_COLUMNS`.

    ``by_target``: the caller's ``coverage_by_target(targets, statistics, geo)``, summed as given
    (neither recomputed nor checked against the other arguments); ``None`` computes it.
    """
    by = coverage_by_target(targets, statistics, geo) if by_target is None else by_target
    agg = by.groupby("area", sort=False).agg(
        targets=("id", "size"), with_baseline=("has_baseline", "sum"), with_progress=("has_progress", "sum"),
        no_data=("no_data", "sum"), years_filled=("years_filled", "sum"), years_possible=("years_possible", "sum"))
    areas = areas or {}
    order = [a for a in areas if a in agg.index] + [a for a in agg.index if a not in areas]
    agg = agg.loc[order]
    total = agg.sum().to_frame("all").T
    out = pd.concat([agg, total]).astype("int64").rename_axis("area").reset_index()
    names = {**areas, "all": ("全部", "All")}
    out["area_zh"] = out["area"].map(lambda a: names.get(a, (a, a))[0])
    out["area_en"] = out["area"].map(lambda a: names.get(a, (a, a))[1])
    possible = out["years_possible"].where(out["years_possible"] > 0)
    out["share_filled"] = (out["years_filled"] / possible).astype("float64")
    return out[list(BY_AREA_COLUMNS)]


def resolve_geo(geo: str | None, plan) -> str:
    """One geo of a loaded plan (:func:`helpers.data.geos.plan_geo`): ``None`` is its jurisdiction."""
    return plan_geo(geo, plan)
