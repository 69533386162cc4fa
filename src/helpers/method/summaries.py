"""Summaries of a trajectory (:func:`helpers.method.gaps.compute_gaps`): the latest status per target and
the counts by status per area.

Public API:

- :func:`latest_status` — one row per geo × target: its latest year with a value up to an
  "as of" year, and the status in that year (``no_data`` when none); the projection columns
  recomputed from the values up to that year.
- :func:`area_rollup` / :func:`area_rollup_as_of` — counts by status per area (and year), the
  binding targets counted apart.
- :func:`status_counts_text` — ``"achieved=4, on_track=1, ..."``, one count per status.
- :func:`milestones` — per target, the value required in each year and, for the running rates,
  the yearly rate needed (a plan in waiting).

Units: counts are numbers of targets; ``share_achieved_or_on_track``, ``mean_capped_progress`` and
``coverage`` are fractions (1.0 = 100 %); the projection columns as in the trajectory table.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from helpers.method import kinds, verdicts
from helpers.method.gapinputs import str_array

# the engine's own band, aim, gap, progress and projection: the "as of" projection is the same arithmetic
from helpers.method.gaps import (
    TRAJECTORY_COLUMNS,
    aim_and_direction,
    linear_projection,
    progress_toward_target,
    signed_gap,
    target_bounds,
)
from helpers.method.kinds import safe_div
from helpers.vocab import STATUS_ORDER

_KEYS = ["geo", "indicator_id"]


def latest_status(trajectory: pd.DataFrame, as_of_year: int | None = None) -> pd.DataFrame:
    """One row per (geo, target): its latest year ``<= as_of_year`` with a value, and that row.

    ``as_of_year=None`` -> no limit. ``year`` and ``as_of`` are the year the status refers to
    (``<NA>`` with status ``no_data`` and empty numbers when the target has no value up to then);
    ``as_of_limit`` is the requested cut-off. No carrying forward beyond that: the status is
    the status *in* that year. The projection columns are recomputed from the values up to the
    cut-off (plus the baseline), so an "as of 2019" summary does not see 2020 data.
    Row order: geos and targets in their order of first appearance.
    """
    traj = trajectory.reset_index(drop=True)
    if "geo" not in traj.columns:
        traj = traj.assign(geo=pd.array([""] * len(traj), dtype="string"))
    year = traj["year"].astype("float64").to_numpy()
    limit = np.inf if as_of_year is None else float(as_of_year)
    with_value = traj["value"].notna().to_numpy() & (year <= limit)

    keys = traj[_KEYS].drop_duplicates().reset_index(drop=True)
    chosen = (traj[with_value].sort_values("year", kind="mergesort")
              .drop_duplicates(_KEYS, keep="last"))
    first = traj.drop_duplicates(_KEYS, keep="first")
    per_target_cols = [c for c in traj.columns if c in {
        "area", "name_zh", "name_en", "unit", "unit_zh", "kind", "comparator", "target",
        "target_hi", "tolerance", "baseline_year", "target_year", "baseline", "baseline_source",
        "reference_id", "reference_geo", "method", "binding", "first_met_year"}]
    base = keys.merge(first[_KEYS + per_target_cols], on=_KEYS, how="left")
    year_cols = [c for c in traj.columns if c not in per_target_cols and c not in _KEYS]
    out = base.merge(chosen[_KEYS + year_cols], on=_KEYS, how="left")
    out["status"] = out["status"].astype("string").fillna("no_data")
    out["as_of"] = out["year"]
    out["as_of_limit"] = pd.array([as_of_year] * len(out), dtype="Int64")

    if {"baseline", "comparator", "kind", "target", "baseline_year", "target_year"} <= set(traj.columns):
        proj, antic, n_pts = _project_frame(traj[with_value], out)
        out["projected_value_at_target"] = proj
        out["anticipated_progress"] = antic
        out["projection_points"] = pd.array(n_pts, dtype="Int64")
    if "target_year" in out.columns:
        out = _final_and_stale(traj, out, as_of_year, with_value)

    lead = [c for c in TRAJECTORY_COLUMNS if c in out.columns]
    rest = [c for c in out.columns if c not in lead]
    return out[lead + rest].reset_index(drop=True)


def _final_and_stale(traj: pd.DataFrame, out: pd.DataFrame, as_of_year: int | None,
                     with_value: np.ndarray) -> pd.DataFrame:
    """The columns of an honest headline (issue 21), on the :func:`latest_status` table ``out``:

    - ``status_of_year``: the status in ``year`` (the latest year with a value);
    - ``final_pending``: the as-of year has reached the target year, the target has an earlier
      value but the target year has none: ``status`` becomes ``no_data`` with :data:`~helpers.method.verdicts.NOTE_FINAL_PENDING`
      ("final value not yet published"), the latest status stays beside it in ``status_of_year``
      (a deadline without its figure is never "on track");
    - ``stale``: the status is older than the year it is shown for, min(as-of year, target year)
      (``<NA>`` without a status year), so a filter on ``status`` cannot mistake a 2022 status for a
      2025 one;
    - no projection or anticipated progress once the as-of year has reached the target year.

    The as-of year is ``as_of_year``, or without one the latest year with a value in the trajectory.
    """
    year = traj["year"].astype("float64").to_numpy()
    horizon = float(as_of_year) if as_of_year is not None else (
        float(year[with_value].max()) if with_value.any() else np.nan)
    t_year = out["target_year"].astype("float64").to_numpy()
    status = out["status"].astype("string").to_numpy(dtype=object)
    out["status_of_year"] = pd.array(status, dtype="string")
    final_row = traj[with_value & (year == traj["target_year"].astype("float64").to_numpy())]
    has_final = pd.MultiIndex.from_frame(out[_KEYS].astype(str)).isin(
        pd.MultiIndex.from_frame(final_row[_KEYS].astype(str)))
    kind = str_array(out["kind"]) if "kind" in out.columns else np.full(len(out), "", dtype=object)
    with np.errstate(invalid="ignore"):
        passed = horizon >= t_year
        pending = passed & ~has_final & (kind != "unquantified") & out["year"].notna().to_numpy()
        shown_for = np.fmin(horizon, t_year)
        stale = out["year"].astype("float64").to_numpy() < shown_for
    out["final_pending"] = pending
    out.loc[pending, "status"] = "no_data"
    if "status_note" in out.columns:  # the target year's own note when it has one ("no value in 2024: ...")
        t_note = traj.loc[year == traj["target_year"].astype("float64").to_numpy()].drop_duplicates(_KEYS)
        t_note = out[_KEYS].merge(t_note[_KEYS + ["status_note"]], on=_KEYS, how="left")["status_note"]
        out["status_note"] = out["status_note"].astype("string")
        out.loc[pending, "status_note"] = t_note.astype("string").fillna(verdicts.NOTE_FINAL_PENDING).to_numpy()[pending]
    out["stale"] = pd.array(np.where(out["year"].isna().to_numpy(), None, stale), dtype="boolean")
    for col in ("projected_value_at_target", "anticipated_progress"):
        if col in out.columns:
            out.loc[passed, col] = np.nan
    return out


def _project_frame(points: pd.DataFrame, per_target: pd.DataFrame):
    """Projection for each row of ``per_target`` from its rows in ``points`` plus its baseline."""
    g = pd.MultiIndex.from_frame(per_target[_KEYS].astype(str)).get_indexer(
        pd.MultiIndex.from_frame(points[_KEYS].astype(str))) if len(points) else np.array([], dtype="int64")
    n = len(per_target)
    b = per_target["baseline_year"].astype("float64").to_numpy()
    tt = per_target["target_year"].astype("float64").to_numpy()
    xb = per_target["baseline"].astype("float64").to_numpy()
    base_pts = ~np.isnan(xb)
    grp = np.concatenate([g, np.flatnonzero(base_pts)]).astype("int64")
    xs = np.concatenate([points["year"].astype("float64").to_numpy() - b[g] if len(points) else np.array([]),
                         np.zeros(int(base_pts.sum()))])
    ys = np.concatenate([points["value"].astype("float64").to_numpy(), xb[base_pts]])
    proj, n_pts = linear_projection(grp, xs, ys, n, tt - b)
    comp = str_array(per_target["comparator"])
    kind = str_array(per_target["kind"])
    tol = per_target["tolerance"].astype("float64").to_numpy() if "tolerance" in per_target else np.full(n, np.nan)
    thi = per_target["target_hi"].astype("float64").to_numpy() if "target_hi" in per_target else np.full(n, np.nan)
    lo, hi = target_bounds(comp, per_target["target"].astype("float64").to_numpy(), thi, tol)
    lo, hi = kinds.resolve_band(kind, lo, hi, xb)
    is_band = np.isin(comp, ("between", "~"))
    aim_b, d_b = aim_and_direction(lo, hi, xb)
    gap_b = signed_gap(xb, lo, hi, aim_b, d_b, is_band)
    antic = progress_toward_target(proj, np.isin(kind, kinds.ANNUAL_LIKE_KINDS), lo, hi, is_band, aim_b, d_b, gap_b)
    projected = np.isin(kind, kinds.PROJECTED_KINDS)  # as in compute_gaps
    antic = np.where(projected & (kind != kinds.DIRECTION_KIND), antic, np.nan)
    return np.where(projected, proj, np.nan), antic, np.where(projected, n_pts, 0)


def milestones(trajectory: pd.DataFrame) -> pd.DataFrame:
    """What each target requires, year by year (a plan in waiting: issue 21): one row per geo ×
    target with ``required_<year>`` for every scored year (the value the straight path requires;
    a yearly quota: the quota; a level without a baseline: only the target year's, the target
    itself) and ``yearly_rate_needed`` for the running rates (``rate_total``: the constant yearly %
    change that compounds to the target, (1 + x*/100)^(1/(T−b)) − 1; ``rate_avg``: the target
    itself), NaN elsewhere. Targets in their order, ``geo`` first."""
    traj = trajectory.reset_index(drop=True)
    if "geo" not in traj.columns:
        traj = traj.assign(geo=pd.array([""] * len(traj), dtype="string"))
    per = ["geo", "indicator_id", "name_zh", "name_en", "unit", "kind", "comparator", "target",
           "baseline_year", "baseline", "target_year", "target_point"]
    per = [c for c in per if c in traj.columns]
    base = traj.drop_duplicates(_KEYS)[per].reset_index(drop=True)
    wide = traj.pivot_table(index=_KEYS, columns="year", values="required", aggfunc="first", dropna=False)
    wide.columns = [f"required_{int(y)}" for y in wide.columns]
    out = base.merge(wide.reset_index(), on=_KEYS, how="left")
    kind = str_array(out["kind"])
    span = (out["target_year"].astype("float64") - out["baseline_year"].astype("float64")).to_numpy()
    x_star = out["target_point"].astype("float64").to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        total = (np.power(1.0 + x_star / 100.0, 1.0 / span) - 1.0) * 100.0
    out["yearly_rate_needed"] = np.select([kind == "rate_total", kind == "rate_avg"], [total, x_star], np.nan)
    return out


def _area_order(present: Iterable[str], areas: Sequence[str] | None) -> list[str]:
    """``areas`` (the plan's order) that are present, then the others in first-appearance order."""
    seen = list(dict.fromkeys(present))
    declared = [a for a in (areas or []) if a in set(seen)]
    return declared + [a for a in seen if a not in set(declared)]


def area_rollup(frame: pd.DataFrame, by_year: bool | None = None,
                areas: Sequence[str] | None = None, binding_only: bool = False) -> pd.DataFrame:
    """Per geo × area (× year): counts of targets by status and three shares.

    ``frame`` is a trajectory (``by_year`` defaults to True: one row per area and year) or a
    :func:`latest_status` table (detected by its ``as_of`` column; one row per area). Area
    ``"all"`` follows the areas, in the order of ``areas`` (the plan's area keys) when given,
    else in first-appearance order. Columns: ``n_targets``, ``n_<status>`` for every status,
    ``n_with_value`` (rows with a value), ``n_scored`` (status other than ``no_data``),
    ``share_achieved_or_on_track`` (among scored; NaN when none is scored), ``mean_capped_progress``
    (mean of progress clipped to [0, 1], achieved counted as 1, rows without a progress left
    out; NaN when none), ``coverage`` (n_with_value / n_targets); then ``n_binding`` and
    ``n_binding_<status>``: the same counts among the binding (约束性) targets (0 without a
    ``binding`` column). ``binding_only``: roll up only the binding targets.
    A target whose span ends earlier than the others simply has no row in later years.
    """
    if by_year is None:
        by_year = "as_of" not in frame.columns
    f = frame.reset_index(drop=True)
    is_binding = (f["binding"].astype("string").str.strip() == "binding").fillna(False).to_numpy() \
        if "binding" in f.columns else np.zeros(len(f), dtype=bool)
    if binding_only:
        f, is_binding = f[is_binding].reset_index(drop=True), is_binding[is_binding]
    geo = f["geo"].astype("string").fillna("") if "geo" in f.columns else pd.Series("", index=f.index, dtype="string")
    status = f["status"].astype("string").fillna("no_data").to_numpy(dtype=object)
    progress = f["progress"].astype("float64").to_numpy()
    achieved = np.isin(status, ("achieved", "met"))
    capped = np.where(achieved, 1.0, np.clip(progress, 0.0, 1.0))
    work = pd.DataFrame({
        "geo": geo.to_numpy(dtype=object),
        "area": f["area"].astype("string").fillna("").to_numpy(dtype=object),
        "year": f["year"].astype("Int64") if by_year else 0,
        **{f"n_{s}": (status == s).astype("int64") for s in STATUS_ORDER},
        "n_with_value": f["value"].notna().to_numpy().astype("int64"),
        "n_good": np.isin(status, ("met", "achieved", "on_track")).astype("int64"),
        "capped": np.where(status == "no_data", np.nan, capped),
        "n_binding": is_binding.astype("int64"),
        **{f"n_binding_{s}": (is_binding & (status == s)).astype("int64") for s in STATUS_ORDER},
    })
    work["n_targets"] = 1
    keys = ["geo", "area", "year"]
    everything = work.assign(area="all")
    both = pd.concat([work, everything], ignore_index=True)
    counts = [c for c in both.columns if c.startswith("n_")]
    agg = both.groupby(keys, sort=False, dropna=False).agg(
        **{c: (c, "sum") for c in counts}, mean_capped_progress=("capped", "mean")).reset_index()
    agg["n_scored"] = agg["n_targets"] - agg["n_no_data"]
    agg["share_achieved_or_on_track"] = safe_div(agg["n_good"].to_numpy("float64"),
                                                  agg["n_scored"].to_numpy("float64"))
    agg["coverage"] = agg["n_with_value"] / agg["n_targets"]
    order = {a: i for i, a in enumerate(_area_order(work["area"], areas) + ["all"])}
    geo_order = {g: i for i, g in enumerate(pd.unique(work["geo"]))}
    agg = agg.assign(_a=agg["area"].map(order), _g=agg["geo"].map(geo_order)) \
        .sort_values(["_g", "_a", "year"], kind="mergesort").drop(columns=["_a", "_g", "n_good"])
    cols = ["geo", "area", "year", "n_targets", *[f"n_{s}" for s in STATUS_ORDER],
            "n_with_value", "n_scored", "share_achieved_or_on_track", "mean_capped_progress", "coverage"]
    binding_cols = ["n_binding", *[f"n_binding_{s}" for s in STATUS_ORDER]]
    agg = agg[cols + binding_cols].reset_index(drop=True)
    agg["geo"] = agg["geo"].astype("string")
    agg["area"] = agg["area"].astype("string")
    for c in cols[3:-3] + binding_cols:
        agg[c] = agg[c].astype("int64")
    if not by_year:
        agg = agg.drop(columns="year")
        if "as_of_limit" in f.columns:
            agg.insert(2, "as_of_limit", f["as_of_limit"].iloc[0] if len(f) else pd.NA)
            agg["as_of_limit"] = agg["as_of_limit"].astype("Int64")
    return agg


def area_rollup_as_of(trajectory: pd.DataFrame, as_of_year: int | None = None,
                      areas: Sequence[str] | None = None, binding_only: bool = False) -> pd.DataFrame:
    """The "as of" roll-up: :func:`area_rollup` of :func:`latest_status` (one row per area)."""
    return area_rollup(latest_status(trajectory, as_of_year), by_year=False, areas=areas,
                       binding_only=binding_only)


def status_counts_text(frame: pd.DataFrame) -> str:
    """``"achieved=4, on_track=1, ..."``: rows of ``frame`` per status, every status in
    :data:`~helpers.vocab.STATUS_ORDER` (0 when absent)."""
    counts = frame["status"].astype("string").value_counts()
    return ", ".join(f"{s}={int(counts.get(s, 0))}" for s in STATUS_ORDER)
