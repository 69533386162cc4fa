"""Final verdicts (issue 21): in a target's own year the status says whether the plan's promise was
kept — ``met`` or ``not_met`` — instead of a progress status; ``achieved`` keeps its meaning for a
target reached *before* its year, and the column ``first_met_year`` says in which year it was first reached.

Method layer, used by :func:`helpers.method.gaps.compute_gaps` (the one entry point) on its year grid,
and by :func:`helpers.method.summaries.latest_status` (a deadline passed without a final value).

The rules per kind (docs/method.md, section 16):

- a level, a change, a relative value, a running rate, total or mean (every kind scored on one
  quantity): the target year's scored quantity meets the target -> ``met``; it does not -> ``not_met``
  (no baseline is needed to tell: 61.9 against >= 62 is ``not_met``); ``gap`` and ``progress`` stay
  the target year's, as in any year;
- ``annual`` (a quota or a ceiling every year): ``met`` only when every year b+1..T met it; a year
  that did not makes it ``not_met`` and the note names those years (``gap`` and ``progress`` of the
  target-year row are then the worst year's); a year without a value (and no failing year) leaves
  the verdict open: ``no_data`` naming the missing years; so does a target year without a value,
  even when an earlier year already failed (the note then names the failed years too);
- ``direction`` (no number): judged on the trend over the whole plan, c_T = d·((x_T/x_b)^(1/(T−b)) − 1)·100:
  ``met`` when c_T > 0 (the level moved the wanted way from the baseline to the target year),
  ``not_met`` otherwise (flat or the wrong way);
- a target-year value not published: ``no_data`` with :data:`NOTE_FINAL_PENDING` (an earlier hole
  in a running figure keeps its own note: the total itself cannot be formed);
- ``unquantified``: never scored, no verdict.

Arrays are per row of the engine's year grid (contiguous groups, years ascending).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.method.kinds import DIRECTION_KIND, first_label, rounded
from helpers.vocab import VERDICTS

#: The two verdicts of a target year (:data:`helpers.vocab.VERDICTS`).
MET, NOT_MET = VERDICTS

#: Notes of the verdicts (English; the reports label them, :mod:`helpers.report.terms`).
NOTE_FINAL_PENDING = "final value not yet published"
NOTE_ANNUAL_FAILED = "not met in {years}: a yearly quota must hold every year"
NOTE_ANNUAL_MISSING = "no value in {years}: a yearly quota must hold every year; verdict open"
NOTE_DIRECTION_VERDICT = "direction: judged on the trend over the whole plan (baseline to target year)"


def _years_by_group(grp: np.ndarray, year: np.ndarray, rows: np.ndarray) -> dict:
    """Per group with rows in ``rows``: its years there as "2022, 2024" (ascending)."""
    if not rows.any():
        return {}
    s = pd.Series(year[rows].astype("int64"), index=grp[rows]).sort_values(kind="mergesort")
    return s.astype(str).groupby(level=0).agg(", ".join).to_dict()


def apply_final(kind: np.ndarray, rt: np.ndarray, grp: np.ndarray, *, year, t_year, b_year, has_value,
                met, missing, aim, trend, status, note, gap, progress) -> np.ndarray:
    """Turn the target-year rows into verdicts, in place (``status``, ``note``, ``gap``,
    ``progress``); returns ``first_met`` per row: the first year the target's status was
    ``achieved`` (or ``met``), NaN when never.

    ``kind``, ``t_year``, ``b_year`` are per target, ``rt`` the target of each row and ``grp`` its
    geo × target group. Per row: ``has_value`` (a scored quantity), ``met`` (lo <= value <= hi),
    ``missing`` (first year without a statistic of a running
    figure, inf when none), ``aim`` (x*; NaN when the target cannot be resolved), ``trend`` (c_t of a
    direction). Call after every other status rule.
    """
    r_kind = kind[rt]
    final = year == t_year[rt]
    scored_kind = r_kind != "unquantified"
    is_annual = r_kind == "annual"
    is_dir = r_kind == DIRECTION_KIND

    # first year achieved (before the verdicts replace the target-year status)
    n_grp = int(grp.max()) + 1 if len(grp) else 0
    hit = (status == "achieved") | (final & has_value & met & ~is_dir & scored_kind)
    first = np.full(n_grp, np.inf)
    np.minimum.at(first, grp[hit], year[hit].astype("float64"))

    # annual: every year of the plan
    fail_rows = is_annual & has_value & ~met
    hole_rows = is_annual & ~has_value
    n_fail = np.bincount(grp[fail_rows], minlength=n_grp)
    n_hole = np.bincount(grp[hole_rows], minlength=n_grp)
    with np.errstate(invalid="ignore"):
        level_like = ~is_annual & ~is_dir & scored_kind
        resolved = ~np.isnan(aim)
        c = rounded(trend)
        conditions = [
            final & is_annual & has_value & (n_fail[grp] > 0),
            final & is_annual & ~has_value,
            final & is_annual & (n_hole[grp] > 0),
            final & is_annual,
            final & level_like & has_value & met,
            final & level_like & has_value & resolved,
            final & is_dir & (c > 0),
            final & is_dir & ~np.isnan(c),
        ]
    verdict = first_label(conditions, [NOT_MET, "no_data", "no_data", MET, MET, NOT_MET, MET, NOT_MET], None)
    done = verdict != None  # noqa: E711  (object array)
    status[done] = verdict[done]

    # the notes: failing / missing years of a quota, a final value not published (grouped, no
    # Python loop over rows: a plan of many places has many groups)
    fail_text = _years_by_group(grp, year, fail_rows)
    hole_text = _years_by_group(grp, year, hole_rows)
    i = np.flatnonzero(conditions[0])
    note[i] = [NOTE_ANNUAL_FAILED.format(years=fail_text[g]) for g in grp[i]]
    i = np.flatnonzero(conditions[2] & ~conditions[1])
    note[i] = [NOTE_ANNUAL_MISSING.format(years=hole_text[g]) for g in grp[i]]
    # an annual quota judged not met: the shortfall of its worst year
    i = np.flatnonzero(conditions[0])
    if len(i):
        rows = np.flatnonzero(np.isin(grp, grp[i]) & has_value)
        worst = pd.Series(gap[rows], index=rows).groupby(grp[rows]).idxmax()
        gap[i], progress[i] = gap[worst[grp[i]].to_numpy()], progress[worst[grp[i]].to_numpy()]
    # (a note already there, e.g. no baseline for a change target, or an earlier hole of a running
    # figure, says why no value could be judged even when published; it stays)
    pending = final & scored_kind & ~has_value & (pd.isna(note) | (missing == year))
    note[pending] = NOTE_FINAL_PENDING
    i = np.flatnonzero(pending & is_annual & (n_fail[grp] > 0))  # the quota already failed
    note[i] = [f"{NOTE_FINAL_PENDING}; " + NOTE_ANNUAL_FAILED.format(years=fail_text[g]) for g in grp[i]]
    dir_final = final & is_dir & done
    note[dir_final] = np.where(pd.isna(note[dir_final]), NOTE_DIRECTION_VERDICT, note[dir_final])
    return np.where(np.isfinite(first[grp]), first[grp], np.nan) if n_grp else np.full(len(year), np.nan)
