"""The gap-to-target engine: required paths, gaps, progress and status for every kind of target.

Public API:

- :func:`compute_gaps` — the tidy trajectory table, one row per geo × target × year from
  ``baseline_year + 1`` to ``target_year``; methods ``linear`` (default) and ``cagr``; a linear
  projection to the target year per target.
- :func:`filter_binding` — the binding (约束性) targets only.
- the arithmetic, shared with :func:`helpers.method.summaries.latest_status` (its "as of" projection):
  :func:`target_bounds` (``[lo, hi]``), :func:`aim_and_direction` (x*, d), :func:`signed_gap`,
  :func:`progress_toward_target` and :func:`linear_projection`.

Elsewhere: which jurisdiction(s) to score (``geo``: ``None``, a name, a list, ``"all"``) is
:func:`helpers.data.geos.resolve_geos`, the one geo rule the loader, the notebook parameters and the
commands share; the inputs' checks and dtypes are in :mod:`helpers.method.gapinputs`; the summaries of a
trajectory (``latest_status``, ``area_rollup``) in :mod:`helpers.method.summaries`; the command
``python -m helpers gaps`` (``--binding``) and the CSV it writes in :mod:`helpers.publish.processed`.

The method, with every edge case, is written out in ``docs/method.md``; the short version:

* A target is a band ``[lo, hi]``: ``>=`` is ``[x*, +inf)``, ``<=`` is ``(-inf, x*]``, ``between``
  is ``[target, target_hi]``, ``~`` is ``[target - tolerance, target + tolerance]``. It is *met*
  when ``lo <= x <= hi``, compared after rounding to 9 decimals (below).
* Aim and direction: when the baseline lies above ``hi`` (or the target is ``<=``) the aim is
  ``x* = hi`` and ``d = -1``; otherwise ``x* = lo`` and ``d = +1``. Yearly quotas (``annual``)
  take the side from the year's own value, since every year is scored on its own.
* ``gap`` = ``d·(x* − x)`` for ``>=``/``<=`` (negative = beyond the target); for ``between``/``~``
  the distance to the band (0 inside, positive outside on either side).
* ``progress`` = ``1 − gap_t / gap_b`` (equals ``(x_t − x_b)/(x* − x_b)`` on the baseline's side
  of the target), undefined (NaN) when the baseline already meets the target (``gap_b <= 0``);
  ``annual``: ``x_t / x*`` (``x* / x_t`` for a ceiling, d = −1).
* ``status``: ``no_data`` → ``achieved`` → (no baseline: ``no_data`` with a note) →
  ``regressing`` (``gap_t > gap_b``; not for annual) → ``r`` ≥ 0.95 ``on_track``, ≥ 0.6
  ``moderate``, else ``insufficient``, with ``r = progress / e_t`` (annual: ``r = progress``).
* The kinds of issue 12 (``rate_avg``, ``rate_total``, ``period_total``, ``annual_mean``,
  ``change``, ``change_pct``, ``direction``) reuse these rules on their scored quantity; their own
  arithmetic and status rules (running products and sums, targets resolved from the baseline,
  the trend rate, a ceiling on a period total) and Eurostat's thresholds on ``r`` are in
  :mod:`helpers.method.kinds`, the rules in docs/method.md section 12.

Rounding rule: every comparison of a computed quantity with a threshold or a target (``r`` with
0.95 / 0.6, a gap with 0, a met check) uses the quantity rounded to 9 decimal places
(:func:`helpers.method.kinds.rounded`), so 0.24 / 0.4 counts as 0.6, not 0.5999999999999996.

Units: ``value``, ``baseline``, ``required``, ``gap``, ``target`` are in the target's unit (for
``relative`` targets: the ratio to the reference series); ``progress``, ``expected_share`` and
``ratio`` are fractions (1.0 = 100 %).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from helpers.data.geos import resolve_geos
from helpers.exceptions import UnknownValueError
from helpers.method import kinds, verdicts
from helpers.method.gapinputs import (
    normalise_statistics,
    normalise_targets,
    reference_geos,
    str_array,
)
from helpers.method.kinds import classify, first_label, rounded, safe_div
from helpers.vocab import METHODS

#: Status of a year with a value but no baseline, when the target is not met: progress cannot be
#: measured, so the year is not scored (the value, gap and a ``status_note`` are still reported).
MISSING_BASELINE_STATUS = "no_data"

NOTE_NO_BASELINE = "no baseline value: progress cannot be measured; value shown, not scored"
NOTE_PROGRESS_UNDEFINED = "progress undefined (zero target or value in a ratio); not scored"
NOTE_BASELINE_MET = "baseline already meets the target: achieved while it stays met, else regressing"

CAGR_NOTE_ANNUAL = "cagr not applicable (yearly quota); status by the linear rule"
CAGR_NOTE_NO_BASELINE = "cagr not applicable (no baseline); status by the linear rule"
CAGR_NOTE_BASELINE_MET = "cagr not applicable (baseline already meets the target); status by the linear rule"
CAGR_NOTE_NON_POSITIVE = "cagr not applicable (non-positive values); status by the linear rule"
CAGR_NOTE_BEYOND_BAND = "cagr not applicable (value beyond the band); status by the linear rule"
CAGR_NOTE_KIND = "cagr not applicable (running figure or direction); status by the linear rule"

#: The columns of the trajectory table, in this order (the issue's seven first).
TRAJECTORY_COLUMNS: tuple[str, ...] = (
    "indicator_id", "year", "value", "required", "gap", "progress", "status",
    "geo", "area", "name_zh", "name_en", "unit", "unit_zh", "kind", "comparator",
    "target", "target_hi", "tolerance", "baseline_year", "target_year",
    "baseline", "baseline_source", "target_point", "direction",
    "expected_share", "ratio", "method", "method_note", "status_note",
    "value_raw", "reference_id", "reference_geo", "reference_value",
    "projected_value_at_target", "anticipated_progress", "projection_points",
    "trend", "binding", "definition", "first_met_year",
)



# ----------------------------------------------------------------------------- the arithmetic

def target_bounds(comparator: np.ndarray, target: np.ndarray, target_hi: np.ndarray,
                  tolerance: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``[lo, hi]`` of each target in its own unit (infinite on the open side of >= / <=)."""
    lo = np.select([comparator == "<=", comparator == "~"], [-np.inf, target - tolerance], target)
    hi = np.select([comparator == ">=", comparator == "~", comparator == "between"],
                   [np.inf, target + tolerance, target_hi], target)
    return lo.astype("float64"), hi.astype("float64")


def aim_and_direction(lo: np.ndarray, hi: np.ndarray, side: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Aim x* and direction d: (hi, −1) for a ceiling or when ``side`` lies above hi, else (lo, +1).

    ``side`` is the baseline (level/cumulative/relative) or the year's value (annual); NaN
    counts as "not above" (a band then aims at lo).
    """
    with np.errstate(invalid="ignore"):
        down = np.isfinite(hi) & (~np.isfinite(lo) | (side > hi))
    return np.where(down, hi, lo), np.where(down, -1.0, 1.0)


def signed_gap(x: np.ndarray, lo: np.ndarray, hi: np.ndarray, aim: np.ndarray, d: np.ndarray,
               is_band: np.ndarray) -> np.ndarray:
    """Signed shortfall d·(x* − x) for >= / <=; distance to the band for between / ~."""
    with np.errstate(invalid="ignore"):
        dist = np.fmax(np.fmax(lo - x, x - hi), 0.0)
        dist = np.where(np.isnan(x), np.nan, dist)
        return np.where(is_band, dist, d * (aim - x))


def _met(x: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """lo <= x <= hi, each difference rounded to 9 decimals (the rounding rule)."""
    with np.errstate(invalid="ignore"):
        return (rounded(x - lo) >= 0) & (rounded(hi - x) >= 0)


def _annual_progress(x: np.ndarray, aim: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Yearly quota: x / x* for a floor, x* / x for a ceiling (1.0 = exactly the quota). A
    negative aim (a rate: "fall by at least 3 % a year" is ``<=`` −3) turns the ratio round."""
    with np.errstate(invalid="ignore"):
        up = (d > 0) != (aim < 0)
    return np.where(up, safe_div(x, aim), safe_div(aim, x))


def progress_toward_target(x, is_annual, lo, hi, is_band, aim_b, d_b, gap_b):
    """Progress of values ``x`` (a year's value or a projection) with the per-target aim."""
    gap_x = signed_gap(x, lo, hi, aim_b, d_b, is_band)
    with np.errstate(invalid="ignore"):
        linear = np.where(rounded(gap_b) > 0, 1.0 - safe_div(gap_x, gap_b), np.nan)
    aim_x, d_x = aim_and_direction(lo, hi, x)
    return np.where(is_annual, _annual_progress(x, aim_x, d_x), linear)


def _join_notes(notes: np.ndarray, where: np.ndarray, text: str) -> np.ndarray:
    """``notes`` with ``text`` added (after "; ") on the rows in ``where``; each distinct note is
    joined once."""
    i = np.flatnonzero(where)
    if not len(i):
        return notes
    codes, uniques = pd.factorize(pd.Series(notes[i], dtype=object), use_na_sentinel=True)
    table = np.array([f"{u}; {text}" for u in uniques] + [text], dtype=object)
    out = notes.copy()
    out[i] = table[codes]  # code −1 (no note yet) picks the trailing text alone
    return out


# ----------------------------------------------------------------------------- lookups

class _Lookup:
    """Vectorised (indicator_id, geo, year) -> value lookup over the statistics (int64 keys)."""

    def __init__(self, s: pd.DataFrame):
        self.ids = pd.Index(pd.unique(s["indicator_id"].to_numpy(dtype=object)))
        self.geos = pd.Index(pd.unique(s["geo"].to_numpy(dtype=object)))
        self.y0 = int(s["year"].min()) if len(s) else 0
        self.span = int(s["year"].max()) - self.y0 + 1 if len(s) else 1
        keys = self._keys(self.ids.get_indexer(s["indicator_id"].to_numpy(dtype=object)),
                          self.geos.get_indexer(s["geo"].to_numpy(dtype=object)),
                          s["year"].to_numpy(dtype="int64"))
        self.index = pd.Index(keys)
        self.values = s["value"].to_numpy(dtype="float64")
        texts = s["definition"].to_numpy(dtype=object) if "definition" in s.columns else np.array([], dtype=object)
        self.definitions = texts if (texts != "").any() else None

    def _keys(self, id_code, geo_code, year):
        off = year - self.y0
        ok = (id_code >= 0) & (geo_code >= 0) & (off >= 0) & (off < self.span)
        key = (id_code.astype("int64") * len(self.geos) + geo_code) * self.span + off
        return np.where(ok, key, -1)

    def codes(self, ids: np.ndarray, geos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return self.ids.get_indexer(ids), self.geos.get_indexer(geos)

    def _pos(self, id_code: np.ndarray, geo_code: np.ndarray, year: np.ndarray) -> np.ndarray:
        key = self._keys(id_code, geo_code, np.asarray(year, dtype="int64"))
        return np.where(key < 0, -1, self.index.get_indexer(key))

    def get(self, id_code: np.ndarray, geo_code: np.ndarray, year: np.ndarray) -> np.ndarray:
        pos = self._pos(id_code, geo_code, year)
        out = np.full(len(pos), np.nan)
        hit = pos >= 0
        out[hit] = self.values[pos[hit]]
        return out

    def definition(self, id_code: np.ndarray, geo_code: np.ndarray, year: np.ndarray) -> np.ndarray:
        """The ``definition`` text of each statistic ("" when none, or no such statistic)."""
        out = np.full(len(id_code), "", dtype=object)
        if self.definitions is not None:
            pos = self._pos(id_code, geo_code, year)
            out[pos >= 0] = self.definitions[pos[pos >= 0]]
        return out


# ----------------------------------------------------------------------------- projection

def _linear_fit(group: np.ndarray, x: np.ndarray, y: np.ndarray, n_groups: int):
    """Least-squares line per group from grouped sums; returns (n, slope, intercept) arrays.

    ``x`` is years since the baseline (small integers: no cancellation trouble). Fewer than two
    distinct years -> slope and intercept NaN.
    """
    n = np.bincount(group, minlength=n_groups).astype("float64")
    sx = np.bincount(group, weights=x, minlength=n_groups)
    sy = np.bincount(group, weights=y, minlength=n_groups)
    sxy = np.bincount(group, weights=x * y, minlength=n_groups)
    sxx = np.bincount(group, weights=x * x, minlength=n_groups)
    den = n * sxx - sx * sx
    slope = safe_div(n * sxy - sx * sy, np.where(den > 1e-9, den, 0.0))
    intercept = safe_div(sy - slope * sx, n)
    return n.astype("int64"), slope, intercept


def linear_projection(group, x, y, n_groups, horizon):
    """Projected value at ``horizon`` (years since baseline, per group) and points used."""
    n, slope, intercept = _linear_fit(group, x, y, n_groups)
    return intercept + slope * horizon, n


# ----------------------------------------------------------------------------- the engine

_FLOAT_COLUMNS = {"value", "required", "gap", "progress", "target", "target_hi", "tolerance",
                  "baseline", "target_point", "expected_share", "ratio", "value_raw",
                  "reference_value", "projected_value_at_target", "anticipated_progress", "trend"}
_INT_COLUMNS = {"year", "baseline_year", "target_year", "direction", "projection_points", "first_met_year"}


def _empty_trajectory() -> pd.DataFrame:
    """A trajectory with no rows and the usual columns and dtypes (a plan without targets)."""
    return pd.DataFrame({c: pd.Series(dtype="float64" if c in _FLOAT_COLUMNS else
                                      "Int64" if c in _INT_COLUMNS else "string")
                         for c in TRAJECTORY_COLUMNS})


def compute_gaps(targets: pd.DataFrame, statistics: pd.DataFrame,
                 geo: str | Sequence[str] | None = None, method: str = "linear",
                 plan: dict | None = None, binding_only: bool = False) -> pd.DataFrame:
    """The trajectory table: one row per geo × target × year, ``baseline_year+1 .. target_year``.

    ``targets`` / ``statistics`` follow the data contracts (``helpers.data.load`` frames, or any frame
    with those columns). ``geo`` as in :func:`helpers.data.geos.resolve_geos`; ``method`` ``linear`` or ``cagr``;
    ``plan`` is plan.json (jurisdiction, benchmarks). Columns: :data:`TRAJECTORY_COLUMNS`. Row
    order: geos in resolved order, targets in table order, years ascending.

    No carrying forward: a year without a statistic is ``no_data`` in that row. ``value`` of a
    ``relative`` target is the plan's own value divided by the reference series in the same
    year (``value_raw`` and ``reference_value`` keep both). Projection columns repeat on every
    row of a target: least-squares line through the observed years *and* the baseline point
    (when the baseline is known), evaluated at the target year; NaN with fewer than 2 points.
    The kinds of issue 12 (running rates and totals, changes, directions) follow docs/method.md;
    ``binding_only`` scores only the targets whose ``binding`` is ``binding`` (:func:`filter_binding`).
    Raises ValidationError for targets/statistics the engine cannot read, UnknownValueError for
    an unknown method or geo.
    """
    if method not in METHODS:
        raise UnknownValueError("method", method, METHODS)
    plan = getattr(plan, "meta", plan) or {}
    # A target without a quantified goal is computed as a direction, then shown, never scored (below).
    targets, unq_ids = kinds.unquantified_as_direction(targets)
    t = normalise_targets(targets)
    s = normalise_statistics(statistics)
    geos = resolve_geos(geo, plan, s, targets=t)
    if binding_only:
        t = filter_binding(t).reset_index(drop=True)
    n_t, n_g = len(t), len(geos)
    if n_t == 0:
        return _empty_trajectory()

    # --- per target (arrays of length n_t)
    comp = str_array(t["comparator"])
    kind = str_array(t["kind"])
    is_annual = np.isin(kind, kinds.ANNUAL_LIKE_KINDS)  # scored year by year against x*
    is_band = np.isin(comp, ("between", "~"))
    target = t["target"].to_numpy("float64")
    lo, hi = target_bounds(comp, target, t["target_hi"].to_numpy("float64"), t["tolerance"].to_numpy("float64"))
    b_year = t["baseline_year"].to_numpy("int64")
    t_year = t["target_year"].to_numpy("int64")
    ref_id = str_array(t["reference_id"])
    is_rel = kind == "relative"
    has_ref = is_rel | ((kind == "rate_avg") & (ref_id != ""))
    is_run, is_dir = np.isin(kind, kinds.RUNNING_KINDS), kind == kinds.DIRECTION_KIND
    ref_geo = np.where(has_ref, reference_geos(t, s, plan, geos), "").astype(object)
    lk = _Lookup(s)
    own_id_code = lk.ids.get_indexer(str_array(t["id"]))
    ref_id_code, ref_geo_code = lk.codes(np.where(has_ref, ref_id, ""), ref_geo)
    geo_code = lk.geos.get_indexer(np.asarray(geos, dtype=object))

    # --- per geo × target (length n_g·n_t; group g = geo_pos·n_t + target_pos)
    gp = np.repeat(np.arange(n_g), n_t)
    tp = np.tile(np.arange(n_t), n_g)
    own_b = lk.get(own_id_code[tp], geo_code[gp], b_year[tp])
    ref_b = lk.get(ref_id_code[tp], ref_geo_code[tp], b_year[tp])
    obs_b = np.where(is_rel[tp], safe_div(own_b, ref_b), own_b)
    given_b = t["baseline_value"].to_numpy("float64")[tp]
    x_b, b_src = kinds.baseline(kind[tp], obs_b, given_b)  # a total over the plan period starts at 0
    # the band in levels (change, change_pct: from the baseline), the aim and the baseline's gap
    lo_g, hi_g = kinds.resolve_band(kind[tp], lo[tp], hi[tp], x_b)
    aim_b, d_b = aim_and_direction(lo_g, hi_g, x_b)
    unresolved = (np.isin(kind, kinds.CHANGE_KINDS)[tp] & np.isnan(x_b)) | is_dir[tp]
    aim_b = np.where(unresolved, np.nan, aim_b)
    d_b = np.where(unresolved, np.where(comp[tp] == "<=", -1.0, 1.0), d_b)
    gap_b = signed_gap(x_b, lo_g, hi_g, aim_b, d_b, is_band[tp])

    # --- the year grid: targets × years (cross merge, then each target's own span), × geos
    years = pd.DataFrame({"year": np.arange(b_year.min() + 1, t_year.max() + 1, dtype="int64")})
    ty = pd.DataFrame({"_tp": np.arange(n_t)}).merge(years, how="cross")
    ty = ty[(ty["year"].to_numpy() > b_year[ty["_tp"].to_numpy()])
            & (ty["year"].to_numpy() <= t_year[ty["_tp"].to_numpy()])]
    grid = pd.DataFrame({"_gp": np.arange(n_g)}).merge(ty, how="cross")
    rt = grid["_tp"].to_numpy()
    rgrp = grid["_gp"].to_numpy() * n_t + rt  # group of each row
    year = grid["year"].to_numpy("int64")

    own = lk.get(own_id_code[rt], geo_code[grid["_gp"].to_numpy()], year)
    ref = lk.get(ref_id_code[rt], ref_geo_code[rt], year)
    r_is_rel = is_rel[rt]
    value = np.where(r_is_rel, safe_div(own, ref), own)
    k_row = year - b_year[rt]
    r_run = is_run[rt]
    runs = kinds.running(kind, rt, own, ref, k_row, year, has_ref)
    value = np.where(r_run, runs["value"], value)  # running kinds: the scored quantity v_t

    r_annual, r_band, r_lo, r_hi = is_annual[rt], is_band[rt], lo_g[rgrp], hi_g[rgrp]
    r_xb, r_gapb = x_b[rgrp], gap_b[rgrp]
    e = (year - b_year[rt]) / (t_year[rt] - b_year[rt])
    has_value = ~np.isnan(value)
    met = _met(value, r_lo, r_hi)

    # aim/direction: per target from the baseline; annual per row from the year's value
    aim_y, d_y = aim_and_direction(r_lo, r_hi, value)
    aim = np.where(r_annual, aim_y, aim_b[rgrp])
    d = np.where(r_annual, d_y, d_b[rgrp])
    gap = signed_gap(value, r_lo, r_hi, aim, d, r_band)
    progress = progress_toward_target(value, r_annual, r_lo, r_hi, r_band, aim_b[rgrp], d_b[rgrp], r_gapb)
    required_linear = np.where(r_annual, aim, r_xb + (aim - r_xb) * e)
    # without a baseline there is no path, but the target year still requires the target itself
    required_linear = np.where(np.isnan(required_linear) & (e == 1.0), aim, required_linear)
    r_linear = np.where(r_annual, progress, safe_div(progress, e))
    with np.errstate(invalid="ignore"):
        regress = ~r_annual & (rounded(gap - r_gapb) > 0)
    no_base = ~r_annual & np.isnan(r_xb)

    status_linear = first_label(
        [~has_value, met, no_base, regress], ["no_data", "achieved", MISSING_BASELINE_STATUS, "regressing"],
        classify(r_linear, "no_data"))
    with np.errstate(invalid="ignore"):
        baseline_met = ~r_annual & (rounded(r_gapb) <= 0)
    status_note = first_label(
        [~has_value, met & baseline_met, met, no_base, regress & baseline_met, regress, np.isnan(r_linear)],
        [None, NOTE_BASELINE_MET, None, NOTE_NO_BASELINE, NOTE_BASELINE_MET, None, NOTE_PROGRESS_UNDEFINED],
        None)

    # --- kinds with a status rule of their own (a ceiling on a period total, a direction), and
    # the notes of the kinds; on their rows only, in place (helpers.method.kinds.score_own_kinds)
    trend = kinds.score_own_kinds(kind, comp, rt, runs, value=value, x_b=r_xb, hi=r_hi, e=e, k=k_row, d=d,
                                  final=year == t_year[rt], has_value=has_value, status=status_linear,
                                  r=r_linear, progress=progress, gap=gap, required=required_linear,
                                  note=status_note)

    if method == "linear":
        status, ratio, required = status_linear, r_linear, required_linear
        method_note = np.full(len(grid), None, dtype=object)
    else:
        t_len = (t_year - b_year)[rt].astype("float64")
        k = (year - b_year[rt]).astype("float64")
        with np.errstate(invalid="ignore", divide="ignore"):
            positive_path = ~r_annual & np.isin(kind, kinds.CAGR_KINDS)[rt] & (r_xb > 0) & (aim > 0) & np.isfinite(aim) & (rounded(r_gapb) > 0)
            beyond = r_band & (((d > 0) & (value > r_hi)) | ((d < 0) & (value < r_lo)))
            applicable = positive_path & (value > 0) & ~beyond
            growth = aim / np.where(positive_path, r_xb, np.nan)
            g_req = np.power(growth, 1.0 / t_len) - 1.0
            g_act = np.power(value / np.where(applicable, r_xb, np.nan), 1.0 / k) - 1.0
            required = np.where(positive_path, r_xb * np.power(growth, e), required_linear)
        ratio = np.where(applicable, safe_div(g_act, g_req), np.nan)
        status = np.where(applicable & has_value & ~met & ~regress, classify(ratio, "no_data"), status_linear)
        with np.errstate(invalid="ignore"):
            method_note = first_label(
                [~has_value, (kind == "annual")[rt], ~np.isin(kind, kinds.CAGR_KINDS)[rt], np.isnan(r_xb),
                 rounded(r_gapb) <= 0, ~applicable & ~beyond, beyond],
                [None, CAGR_NOTE_ANNUAL, CAGR_NOTE_KIND, CAGR_NOTE_NO_BASELINE, CAGR_NOTE_BASELINE_MET,
                 CAGR_NOTE_NON_POSITIVE, CAGR_NOTE_BEYOND_BAND], None)

    # --- the target year's verdict (met / not_met), and the year a target was first reached
    first_met = verdicts.apply_final(kind, rt, rgrp, year=year, t_year=t_year, b_year=b_year, has_value=has_value,
                                     met=met, missing=runs["missing"], aim=aim, trend=trend, status=status,
                                     note=status_note, gap=gap, progress=progress)

    # --- projection per geo × target (grouped sums; baseline point included when known)
    projected = np.isin(kind, kinds.PROJECTED_KINDS)
    pts = has_value & projected[rt]
    base_pts = ~np.isnan(x_b) & projected[tp]
    grp = np.concatenate([rgrp[pts], np.flatnonzero(base_pts)])
    xs = np.concatenate([(year - b_year[rt])[pts], np.zeros(int(base_pts.sum()))]).astype("float64")
    ys = np.concatenate([value[pts], x_b[base_pts]])
    proj, n_pts = linear_projection(grp, xs, ys, n_g * n_t, (t_year - b_year)[tp].astype("float64"))
    antic = progress_toward_target(proj, is_annual[tp], lo_g, hi_g, is_band[tp], aim_b, d_b, gap_b)
    antic = np.where(is_dir[tp], np.nan, antic)  # no target, no anticipated progress

    # --- definition breaks, added to status_note (a running kind's missing projection is shown by
    # its empty projection columns and projection_points 0, not repeated in every row's note)
    definition = pd.Series(pd.NA, index=range(n_t), dtype="string").take(rt).reset_index(drop=True)
    if lk.definitions is not None:
        r_own, r_geo = own_id_code[rt], geo_code[grid["_gp"].to_numpy()]
        texts = lk.definition(r_own, r_geo, year)
        differs = ~np.isnan(own) & (texts != lk.definition(r_own, r_geo, b_year[rt]))
        status_note = _join_notes(status_note, differs, kinds.NOTE_DEFINITION)
        definition = pd.Series(texts, dtype="string").replace("", pd.NA)

    # --- assemble (strings gathered from per-target arrays with take)
    def per_target(col: str) -> pd.Series:
        return t[col].take(rt).reset_index(drop=True)

    out = pd.DataFrame({
        "indicator_id": per_target("id"),
        "year": pd.array(year, dtype="Int64"),
        "value": value,
        "required": required,
        "gap": gap,
        "progress": progress,
        "status": pd.array(status, dtype="string"),
        "geo": pd.array(np.asarray(geos, dtype=object)[grid["_gp"].to_numpy()], dtype="string"),
        "area": per_target("area"),
        "name_zh": per_target("name_zh"),
        "name_en": per_target("name_en"),
        "unit": per_target("unit"),
        "unit_zh": per_target("unit_zh"),
        "kind": per_target("kind"),
        "comparator": per_target("comparator"),
        "target": target[rt],
        "target_hi": t["target_hi"].to_numpy("float64")[rt],
        "tolerance": t["tolerance"].to_numpy("float64")[rt],
        "baseline_year": pd.array(b_year[rt], dtype="Int64"),
        "target_year": pd.array(t_year[rt], dtype="Int64"),
        "baseline": r_xb,
        "baseline_source": pd.array(b_src[rgrp], dtype="string"),
        "target_point": aim,
        "direction": pd.array(d.astype("int64"), dtype="Int64"),
        "expected_share": e,
        "ratio": ratio,
        "method": pd.array(np.full(len(grid), method, dtype=object), dtype="string"),
        "method_note": pd.array(method_note, dtype="string"),
        "status_note": pd.array(status_note, dtype="string"),
        "value_raw": np.where(r_is_rel | r_run, own, np.nan),
        "reference_id": per_target("reference_id"),
        "reference_geo": pd.Series(ref_geo[rt], dtype="string").replace("", pd.NA),
        "reference_value": np.where(r_is_rel, ref, runs["ref_rate"]),
        "projected_value_at_target": proj[rgrp],
        "anticipated_progress": antic[rgrp],
        "projection_points": pd.array(n_pts[rgrp], dtype="Int64"),
        "trend": trend,
        "binding": per_target("binding"),
        "definition": definition,
        "first_met_year": pd.array(np.where(np.isnan(first_met), pd.NA, first_met), dtype="Int64"),
    })
    floats = [c for c in out.columns if out[c].dtype == "float64"]
    out[floats] = out[floats] + 0.0  # -0.0 (e.g. −1·(0 − 0)) prints as "-0": make it 0.0
    if unq_ids:
        out = kinds.unquantified_rows(out, unq_ids)
    return out[list(TRAJECTORY_COLUMNS)]


def filter_binding(targets: pd.DataFrame) -> pd.DataFrame:
    """The targets whose ``binding`` column says ``binding`` (约束性); none when there is no such
    column. Index kept."""
    if "binding" not in targets.columns:
        return targets.iloc[0:0]
    return targets[(targets["binding"].astype("string").str.strip() == "binding").fillna(False).to_numpy()]
