"""Which places a plan is scored for: the one geo rule the loader, the template, the engine,
the notebook parameters and the commands share (data layer: needs only the tables and
``plan.json``'s ``jurisdiction`` and ``benchmarks``).

- :func:`default_geo` — the jurisdiction scored when none is asked for;
- :func:`valid_geos` — every geo that may be named;
- :func:`resolve_geos` — ``None``, a name, a comma-separated list or ``"all"`` to a list.
- :func:`clean_labels` — a column of labels as stripped strings (missing -> ``""``), also used
  by :mod:`helpers.method.gapinputs`.

``plan`` is ``plan.json``'s metadata (a mapping), or a :class:`helpers.data.plan.Plan`.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from helpers.exceptions import UnknownValueError


def _meta(plan) -> dict:
    return getattr(plan, "meta", plan) or {}


def clean_labels(s: pd.Series) -> np.ndarray:
    """Object array of stripped str (missing -> ""), stripping each distinct label once."""
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    clean = np.array([str(u).strip() for u in uniques] + [""], dtype=object)
    return clean[codes]  # code -1 (missing) picks the trailing ""



def _target_id_rows(statistics: pd.DataFrame, targets: pd.DataFrame | None) -> pd.DataFrame:
    codes, uniques = pd.factorize(statistics["indicator_id"], use_na_sentinel=True)
    labels = pd.Index([str(u).strip() for u in uniques], dtype=object)
    if targets is not None:
        ok = labels.isin(set(clean_labels(targets["id"])) - {""})
    else:  # no target list: every row that is not a context series ``<id>:<suffix>``
        ok = ~labels.str.contains(":", regex=False)
    keep = np.append(np.asarray(ok, dtype=bool), False)[codes]
    return statistics[keep]


def _plan_own(plan: dict | None) -> str | None:
    """``plan["jurisdiction"]`` stripped; ``None`` when the plan names none."""
    own = _meta(plan).get("jurisdiction")
    return (str(own).strip() or None) if own else None


def _plan_benchmarks(plan: dict | None) -> set[str]:
    return {str(b).strip() for b in _meta(plan).get("benchmarks", []) or []}


def default_geo(plan: dict | None, statistics: pd.DataFrame,
                targets: pd.DataFrame | None = None) -> str | None:
    """The jurisdiction scored when none is asked for (the one rule; :func:`resolve_geos`,
    :func:`helpers.data.load.plan_jurisdiction` and :func:`check_geo` use it).

    ``plan["jurisdiction"]``; without one (no plan.json), the geo with the most rows among the
    target-id rows of ``statistics`` (ties: alphabetical first); ``None`` when there are no such
    rows. ``targets`` (optional) tells which rows are target-id rows; without it every row whose
    ``indicator_id`` has no ``:`` counts (reference series included).
    """
    own = _plan_own(plan)
    if own:
        return own
    rows = _target_id_rows(statistics, targets)
    geos = pd.Series(clean_labels(rows["geo"]), dtype=object)
    counts = geos[geos != ""].value_counts()
    if counts.empty:
        return None
    return sorted(map(str, counts[counts == counts.max()].index))[0]


def valid_geos(plan: dict | None, statistics: pd.DataFrame) -> list[str]:
    """Every geo that may be asked for by name: the plan's jurisdiction first, then the plan's
    ``benchmarks`` and every geo of ``statistics``, alphabetically (the list an
    :class:`UnknownValueError` for ``geo`` shows)."""
    own = _plan_own(plan)
    others = (set(clean_labels(statistics["geo"])) | _plan_benchmarks(plan)) - {"", own}
    return ([own] if own else []) + sorted(others)


def resolve_geos(geo_arg: str | Sequence[str] | None, plan: dict | None, statistics: pd.DataFrame,
                 targets: pd.DataFrame | None = None) -> list[str]:
    """The jurisdiction(s) to score, in output order.

    - ``None`` -> ``[default_geo(...)]``: the plan's jurisdiction; without one (no plan.json), the
      geo with the most rows among target-id rows of the statistics (ties: alphabetical first).
    - ``"all"`` -> the plan's jurisdiction first, then every other geo that has target-id rows,
      alphabetically, except the plan's ``benchmarks`` (context, never scored).
    - a name, a comma-separated string or a list -> those geos, in the given order, duplicates
      dropped. A geo must be one of :func:`valid_geos` (the plan's jurisdiction, its benchmarks,
      the geos of the statistics).

    ``targets`` (optional) tells which rows are target-id rows; without it every row whose
    ``indicator_id`` has no ``:`` counts (reference series included).
    Raises :class:`UnknownValueError` (listing :func:`valid_geos`, or saying there is none) for
    an unknown name, for ``None`` when no geo can be inferred and for ``"all"`` when there is
    nothing to score.
    """
    if geo_arg is None:
        geo = default_geo(plan, statistics, targets)
        if geo is None:
            raise UnknownValueError("geo", None, valid_geos(plan, statistics),
                                    problem="no geo given, and none can be inferred: plan.json names no "
                                            "jurisdiction and no statistic of a target names a geo")
        return [geo]

    if isinstance(geo_arg, str):
        if geo_arg.strip().lower() == "all":
            own = _plan_own(plan)
            scored = set(clean_labels(_target_id_rows(statistics, targets)["geo"]))
            out = ([own] if own else []) + sorted(scored - _plan_benchmarks(plan) - {own, ""})
            if not out:
                raise UnknownValueError("geo", geo_arg, valid_geos(plan, statistics),
                                        problem=f"geo {geo_arg!r} finds nothing to score: plan.json names no "
                                                "jurisdiction and no statistic of a target names a geo other "
                                                "than the plan's benchmarks")
            return out
        names = [g.strip() for g in geo_arg.split(",")]
    else:
        names = [str(g).strip() for g in geo_arg]
    names = [g for g in names if g]
    valid = valid_geos(plan, statistics)
    if not names:
        raise UnknownValueError("geo", geo_arg, valid)
    for g in names:
        if g not in valid:
            raise UnknownValueError("geo", g, valid)
    return list(dict.fromkeys(names))


def check_geo(geo: object, plan, statistics: pd.DataFrame, targets: pd.DataFrame | None = None) -> str:
    """One geo to score: ``None`` -> the plan's jurisdiction (:func:`default_geo`;
    UnknownValueError when none can be inferred); otherwise one of :func:`valid_geos` (a report
    scores a single geo, so a comma-separated list or ``all`` is not accepted)."""
    if geo is None:
        return resolve_geos(None, plan, statistics, targets)[0]
    valid = valid_geos(plan, statistics)
    if not isinstance(geo, str) or geo not in valid:
        raise UnknownValueError("geo", geo, valid)
    return geo


def plan_geo(geo: object, plan) -> str:
    """:func:`check_geo` for a loaded :class:`helpers.data.plan.Plan` (its tables and metadata)."""
    return check_geo(geo, plan.meta, plan.statistics, plan.targets)
