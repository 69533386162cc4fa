"""The engine's target kinds: their arithmetic and their own status rules (method layer, used by
:mod:`helpers.method.gaps`, whose :func:`~helpers.method.gaps.compute_gaps` is the one entry point).

- :data:`ROUND_DECIMALS` / :func:`rounded` — the rounding rule: every comparison of a computed
  quantity with a threshold or a target (r with 0.95 and 0.6, a gap with 0, a met check, the
  direction rate with ±1) uses the quantity rounded to 9 decimal places, so a value that sits on
  a threshold in decimal terms (0.24 / 0.4 = 0.6) is not pushed below it by binary floating point
  (0.5999999999999996).
- :func:`classify` — Eurostat's thresholds on r (:data:`ON_TRACK_THRESHOLD`,
  :data:`MODERATE_THRESHOLD`), shared by every kind; :func:`first_label`, :func:`safe_div`.
- per kind: :func:`baseline` (which baseline a kind starts from), :func:`running` (the running
  rates and totals), :func:`resolve_band` (targets stated as a change from the baseline),
  :func:`direction_trend` / :func:`direction_status`, :func:`score_own_kinds` (the kinds with a
  status rule of their own, and their notes), :func:`unquantified_as_direction` /
  :func:`unquantified_rows` (targets without a number: shown, never scored).

Arrays are per row of the engine's year grid unless a docstring says per target (then ``rt``,
the target of each row, maps one to the other). NaN means "no value".
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from helpers.vocab import REFERENCE_KINDS  # noqa: F401  (relative: a ratio of levels; rate_avg: of rates)

#: Decimal places a computed quantity is rounded to before it is compared (docs/method.md).
ROUND_DECIMALS = 9


def rounded(x) -> np.ndarray:
    """``x`` rounded to :data:`ROUND_DECIMALS` places (NaN and ±inf unchanged)."""
    return np.round(np.asarray(x, dtype="float64"), ROUND_DECIMALS)


def safe_div(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den, NaN where den is 0 or NaN (never ±inf)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.divide(num, den, out=np.full(np.shape(num), np.nan), where=(den != 0) & ~np.isnan(den))
    return out


def first_label(conditions: list[np.ndarray], labels: Sequence[object], default: object) -> np.ndarray:
    """Object array holding, per row, the label of the first true condition, else ``default``
    (a label or a per-row object array). Labels are shared objects, not copied per row."""
    codes = np.select(conditions, np.arange(len(labels)), -1)
    table = np.asarray(list(labels) + [None], dtype=object)
    return np.where(codes >= 0, table[codes], default)


# ----------------------------------------------------------------------------- the status scale

#: Eurostat's thresholds on r (linear: progress / expected share; cagr: actual / required growth).
ON_TRACK_THRESHOLD = 0.95
MODERATE_THRESHOLD = 0.6


def classify(r: np.ndarray, default: object) -> np.ndarray:
    """``on_track`` / ``moderate`` / ``insufficient`` by Eurostat's thresholds on ``r`` rounded
    to 9 decimals; NaN -> default."""
    r = rounded(r)
    with np.errstate(invalid="ignore"):
        return first_label([r >= ON_TRACK_THRESHOLD, r >= MODERATE_THRESHOLD, ~np.isnan(r)],
                           ["on_track", "moderate", "insufficient"], default)


# ----------------------------------------------------------------------------- the kinds

#: Kinds whose scored quantity in year t is built from the yearly figures b+1..t ("running").
RUNNING_KINDS: tuple[str, ...] = ("rate_avg", "rate_total", "period_total", "annual_mean")
#: Kinds scored like ``annual``: the year's (scored) value against x*, never ``regressing``.
ANNUAL_LIKE_KINDS: tuple[str, ...] = ("annual", "rate_avg", "annual_mean")
#: Kinds scored like ``cumulative`` from a baseline of 0 (a total over the plan period).
ZERO_BASE_KINDS: tuple[str, ...] = ("rate_total", "period_total")
#: Kinds whose ``target`` is a change from the baseline x_b (resolved by :func:`resolve_band`).
CHANGE_KINDS: tuple[str, ...] = ("change", "change_pct")
#: The kind without a number: a wanted direction, scored by the trend rate (Eurostat's rule).
DIRECTION_KIND = "direction"
#: A target the plan states without any number or direction ("kept within a reasonable range"):
#: its values are shown, never scored.
UNQUANTIFIED_KIND = "unquantified"
NOTE_UNQUANTIFIED = "no quantified target: the plan sets no number or direction; value shown, not scored"
#: Kinds the ``cagr`` method applies to (a level on a path from its baseline).
CAGR_KINDS: tuple[str, ...] = ("level", "cumulative", "relative", "change", "change_pct")
#: Kinds whose projection (least-squares line of the values) means something. ``direction``
#: gets a projected value but no anticipated progress (it has no target).
PROJECTED_KINDS: tuple[str, ...] = ("level", "annual", "cumulative", "relative", "change", "change_pct",
                                    DIRECTION_KIND)

#: Eurostat's rule for an indicator without a target, on the trend rate c_t in % a year
#: (positive = the wanted way): >= 1 on_track, >= 0 moderate, > -1 insufficient, else regressing.
DIRECTION_ON_TRACK = 1.0
DIRECTION_MODERATE = 0.0
DIRECTION_INSUFFICIENT = -1.0

#: ``status_note`` texts of the kinds (English; the reports label them).
NOTE_MISSING_YEAR = "no value in {year}: a running figure needs every year from the baseline on; not scored"
NOTE_MISSING_REFERENCE_YEAR = ("reference series: no value in {year}: a running figure needs every year "
                               "from the baseline on; not scored")
NOTE_REFERENCE_RATE = "reference series' average annual rate is not positive: no ratio; not scored"
NOTE_NO_BASELINE_CHANGE = "no baseline value: the target is measured from it; not scored"
NOTE_DIRECTION_NON_POSITIVE = "direction needs positive values (this year's and the baseline's); not scored"
NOTE_DEFINITION = "definition differs from the baseline year's: not comparable"


def _accumulate(x: np.ndarray, k: np.ndarray, op) -> np.ndarray:
    """Running ``op`` (np.multiply, np.add, np.minimum) of ``x`` within each group.

    The rows of a group are contiguous, in year order, with ``k`` = 1, 2, … (years since the
    baseline): row i with k > 1 follows row i − 1 of the same group. One vectorised step per
    value of k (a plan spans a handful of years), in year order, so a product is multiplied
    left to right as by hand. A NaN anywhere propagates to every later row of its group.
    """
    out = np.array(x, dtype="float64", copy=True)
    if not len(k):
        return out
    order = np.argsort(k, kind="stable")
    ks = k[order]
    for j in range(2, int(ks[-1]) + 1):
        sel = order[np.searchsorted(ks, j, "left"):np.searchsorted(ks, j, "right")]
        out[sel] = op(out[sel - 1], x[sel])
    return out


def baseline(kind: np.ndarray, observed: np.ndarray, given: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The baseline x_b each target starts from and where it comes from, per geo × target
    (``kind`` per the same rows): 0 for a total over the plan period (:data:`ZERO_BASE_KINDS`,
    "zero (running total)"), else the statistic of the baseline year ("observed"), else the
    targets' ``baseline_value`` ("given"), else 0 for ``cumulative`` ("zero (cumulative)"), else
    NaN ("missing")."""
    cum = kind == "cumulative"
    zero = np.isin(kind, ZERO_BASE_KINDS)
    conditions = [zero, ~np.isnan(observed), ~np.isnan(given), cum]
    x_b = np.select(conditions, [0.0, observed, given, 0.0], np.nan)
    source = first_label(conditions, ["zero (running total)", "observed", "given", "zero (cumulative)"], "missing")
    return x_b, source


def running(kind: np.ndarray, rt: np.ndarray, own: np.ndarray, ref: np.ndarray, k: np.ndarray,
            year: np.ndarray, has_ref: np.ndarray) -> dict[str, np.ndarray]:
    """The scored quantity of the running kinds, per row of the year grid (NaN on other rows).

    ``kind`` and ``has_ref`` (a reference series named) are per target, ``rt`` the target of each
    row; ``own`` / ``ref``: the year's statistic of the target / of its reference series (rate_avg
    with ``reference_id``); ``k`` = t − b. Returns ``value`` (v_t; NaN when any year b+1..t lacks
    a statistic), ``ref_rate`` (the reference's average annual rate, rate_avg with a reference),
    ``missing`` / ``ref_missing`` (the first year b+1..t without a statistic, inf when none) and
    ``ref_not_positive`` (the reference's average rate is <= 0, rounded: no ratio).

    - rate_avg: (Π(1 + g_i/100))^(1/k) − 1, in %; with a reference: own rate / reference rate;
    - rate_total: Π(1 + g_i/100) − 1, in %;
    - period_total: Σ flows; annual_mean: Σ flows / k.
    """
    n = len(rt)
    out = {"value": np.full(n, np.nan), "ref_rate": np.full(n, np.nan),
           "missing": np.full(n, np.inf), "ref_missing": np.full(n, np.inf),
           "ref_not_positive": np.zeros(n, dtype=bool)}
    idx = np.flatnonzero(np.isin(kind, RUNNING_KINDS)[rt])
    if not len(idx):
        return out
    t_of = rt[idx]
    rate = np.isin(kind, ("rate_avg", "rate_total"))[t_of]
    g, kk, yr, hr = own[idx], k[idx].astype("int64"), year[idx].astype("float64"), has_ref[t_of]
    with np.errstate(invalid="ignore", divide="ignore"):
        if rate.any():
            prod = _accumulate(1.0 + g / 100.0, kk, np.multiply)
            avg = (np.power(prod, 1.0 / kk) - 1.0) * 100.0
        else:
            prod = avg = np.full(len(idx), np.nan)
        total = _accumulate(g, kk, np.add) if not rate.all() else np.full(len(idx), np.nan)
        value = np.select([(kind == "rate_avg")[t_of], (kind == "rate_total")[t_of], (kind == "period_total")[t_of]],
                          [avg, (prod - 1.0) * 100.0, total], total / kk)  # else annual_mean
        if hr.any():
            r = ref[idx]
            ref_avg = np.where(hr, (np.power(_accumulate(1.0 + r / 100.0, kk, np.multiply), 1.0 / kk) - 1.0) * 100.0,
                               np.nan)
            not_pos = hr & (rounded(ref_avg) <= 0)
            value = np.where(hr, np.where(not_pos, np.nan, avg / np.where(not_pos, np.nan, ref_avg)), value)
            out["ref_rate"][idx] = ref_avg
            out["ref_missing"][idx] = np.where(hr, _accumulate(np.where(np.isnan(r), yr, np.inf), kk, np.minimum),
                                               np.inf)
            out["ref_not_positive"][idx] = not_pos
    out["value"][idx] = value
    out["missing"][idx] = _accumulate(np.where(np.isnan(g), yr, np.inf), kk, np.minimum)
    return out


def resolve_band(kind: np.ndarray, lo: np.ndarray, hi: np.ndarray, x_b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The band ``[lo, hi]`` in levels: for ``change`` x_b + bound, for ``change_pct``
    x_b·(100 + bound)/100 (= x_b·(1 + bound/100), exact for 10 and −18: 8.2; each finite bound; an open side stays open; a negative baseline turns a
    % range round). NaN bounds when x_b is missing. Other kinds unchanged."""
    chg, pct = kind == "change", kind == "change_pct"
    if not (chg.any() or pct.any()):
        return lo, hi

    def level(b):
        with np.errstate(invalid="ignore"):
            fin = np.isfinite(b)
            return np.select([chg & fin, pct & fin], [b + x_b, x_b * (100.0 + b) / 100.0], b)

    lo2, hi2 = level(lo), level(hi)
    with np.errstate(invalid="ignore"):
        swap = pct & (lo2 > hi2)
    return np.where(swap, hi2, lo2), np.where(swap, lo2, hi2)


def direction_trend(x: np.ndarray, x_b: np.ndarray, k: np.ndarray, d: np.ndarray) -> np.ndarray:
    """c_t = d·((x_t/x_b)^(1/k) − 1)·100, % a year, positive = the wanted way; NaN unless
    x_t > 0 and x_b > 0."""
    with np.errstate(invalid="ignore", divide="ignore"):
        ok = (x > 0) & (x_b > 0)
        return d * (np.power(np.where(ok, x / np.where(ok, x_b, np.nan), np.nan), 1.0 / k) - 1.0) * 100.0


def direction_status(c: np.ndarray) -> np.ndarray:
    """Eurostat's statuses for an indicator without a target from the trend rate ``c`` (rounded
    to 9 decimals): on_track / moderate / insufficient / regressing; ``no_data`` where NaN."""
    c = rounded(c)
    with np.errstate(invalid="ignore"):
        code = np.select([np.isnan(c), c >= DIRECTION_ON_TRACK, c >= DIRECTION_MODERATE,
                          c > DIRECTION_INSUFFICIENT], [0, 1, 2, 3], 4)
    table = np.array(["no_data", "on_track", "moderate", "insufficient", "regressing"], dtype=object)
    return table[code]


def score_own_kinds(kind: np.ndarray, comp: np.ndarray, rt: np.ndarray, runs: dict[str, np.ndarray], *,
                    value, x_b, hi, e, k, d, final, has_value, status, r, progress, gap, required,
                    note) -> np.ndarray:
    """The kinds with a status rule of their own, applied in place on their rows of the year grid
    after the common rules scored every row; returns ``trend`` (the direction rate c_t, % a year;
    NaN on other rows).

    ``kind`` / ``comp`` are per target, ``rt`` the target of each row, ``runs`` what
    :func:`running` returned. Per row: ``value`` (the scored quantity), ``x_b``, ``hi`` (the
    band's upper end), ``e`` (expected share), ``k`` (t − b), ``d`` (direction), ``final`` (the
    target year), ``has_value``. Changed in place, on the rows of these kinds only: ``status``,
    ``r`` (the linear ratio), ``progress``, ``gap``, ``required``, ``note`` (``status_note``).

    - ``period_total`` with ``<=`` (a budget): the total S_t against the pro-rata budget x*·e_t,
      r = x*·e_t / S_t; ``regressing`` once S_t > x*, ``achieved`` in the target year within it,
      ``on_track`` while S_t <= 0; no progress.
    - ``direction``: the trend rate (:func:`direction_trend`, :func:`direction_status`); no r,
      progress, gap or required path.
    - notes: a change or direction target without a baseline, a direction with a non-positive
      value, a reference series whose average rate is not positive, and (over any other note) the
      first missing year of a running figure (:func:`missing_notes`).
    """
    r_ceil = ((kind == "period_total") & (comp == "<="))[rt]
    r_dir = (kind == DIRECTION_KIND)[rt]
    trend = np.full(len(rt), np.nan)
    i = np.flatnonzero(r_ceil)
    if len(i):
        total, x_star = value[i], hi[i]
        with np.errstate(invalid="ignore"):
            pos = rounded(total) > 0
            ceil_r = np.where(pos, safe_div(x_star * e[i], total), np.nan)
            status[i] = first_label([np.isnan(total), rounded(total - x_star) > 0, final[i], ~pos],
                                    ["no_data", "regressing", "achieved", "on_track"], classify(ceil_r, "no_data"))
        r[i], progress[i] = ceil_r, np.nan
    i = np.flatnonzero(r_dir)
    if len(i):
        trend[i] = direction_trend(value[i], x_b[i], k[i], d[i])
        status[i] = direction_status(trend[i])  # no value, no baseline: NaN -> no_data
        r[i] = progress[i] = gap[i] = required[i] = np.nan
    r_change = np.isin(kind, CHANGE_KINDS)[rt]
    i = np.flatnonzero(r_ceil | r_dir | (r_change & np.isnan(x_b)) | runs["ref_not_positive"])
    if len(i):
        note[i] = first_label(
            [r_ceil[i], (r_change[i] | r_dir[i]) & np.isnan(x_b[i]), r_dir[i] & has_value[i] & np.isnan(trend[i]),
             runs["ref_not_positive"][i], r_dir[i]],
            [None, NOTE_NO_BASELINE_CHANGE, NOTE_DIRECTION_NON_POSITIVE, NOTE_REFERENCE_RATE, None],
            note[i])
    i = np.flatnonzero(np.isfinite(runs["missing"]) | np.isfinite(runs["ref_missing"]))
    if len(i):
        note[i] = missing_notes(runs["missing"][i], runs["ref_missing"][i])
    return trend


def missing_notes(missing: np.ndarray, ref_missing: np.ndarray) -> np.ndarray:
    """Per row, the note naming the first year without a statistic (own series first, then the
    reference series); None where every year b+1..t has one."""
    out = np.full(len(missing), None, dtype=object)
    ref_only = np.isinf(missing) & np.isfinite(ref_missing)
    for years, mask, text in ((missing, np.isfinite(missing), NOTE_MISSING_YEAR),
                              (ref_missing, ref_only, NOTE_MISSING_REFERENCE_YEAR)):
        for y in np.unique(years[mask]):
            out[mask & (years == y)] = text.format(year=int(y))
    return out


def unquantified_as_direction(targets):
    """A target without a quantified goal is computed as a direction (``>=``), so its values flow
    through the same arrays, then shown, never scored (:func:`unquantified_rows`). Returns the
    targets (a copy when any is ``unquantified``, else the frame given) and those targets' ids."""
    unq = (targets["kind"].astype("string").str.strip() == UNQUANTIFIED_KIND).fillna(False).to_numpy()
    ids = set(targets.loc[unq, "id"].astype(str).str.strip())
    if unq.any():
        targets = targets.copy()
        targets.loc[unq, "kind"] = DIRECTION_KIND
        targets.loc[unq, "comparator"] = ">="
    return targets, ids


def unquantified_rows(out, ids: set):
    """Trajectory rows of ``unquantified`` targets (computed as directions): kind and comparator
    restored, every score emptied, status ``no_data`` with :data:`NOTE_UNQUANTIFIED`."""
    import pandas as pd

    m = out["indicator_id"].astype(str).isin(ids).to_numpy()
    if not m.any():
        return out
    out = out.copy()
    out.loc[m, "kind"] = UNQUANTIFIED_KIND
    out.loc[m, "comparator"] = pd.NA
    for col in ("required", "gap", "progress", "target_point", "expected_share", "ratio", "trend",
                "projected_value_at_target", "anticipated_progress"):
        out.loc[m, col] = np.nan
    out.loc[m, "direction"] = pd.NA
    out.loc[m, "status"] = "no_data"
    out.loc[m, "status_note"] = NOTE_UNQUANTIFIED
    out.loc[m, "method_note"] = pd.NA
    return out
