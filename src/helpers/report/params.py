"""Notebook parameters: check them, load the inputs, compute what every report notebook shares.

The report notebooks call :func:`prepare` in the cell right after their ``parameters`` cell, so a
wrong parameter stops the notebook there with a message that lists the valid values
(:class:`~helpers.exceptions.UnknownValueError`), before any chart is drawn.

Edge cases:

- ``plan=None`` (and no ``targets_path``/``statistics_path``) is the default plan; a name is a plan
  under ``data/raw/``, a path a plan folder (:func:`helpers.data.plan.locate`).
- ``geo=None`` scores the plan's own jurisdiction (``plan.json``).
- ``area=None`` with ``for_area=True`` is the plan's ``default_area`` (else its first area with a
  target); ``indicator_id=None`` with ``for_indicator=True`` its ``default_indicator`` -- with
  ``for_area`` too, a target of that area (the default one when it is there, else the area's
  first with a value).
- :func:`plan_with_most_values`: the shipped plan a tour opens when none is named.
- ``as_of_year=None`` means the latest year in which any target of that geo has a value; when no
  target has any value at all it is the plan's last target year; :attr:`Context.has_data`
  says whether any value exists up to ``as_of``.
- ``lang`` is checked against ``zh``/``en``/``both``; text (tables, sentences) keeps the
  requested language, charts use :attr:`Context.chart_lang` (``en`` when no CJK font exists).
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers.data.geos import check_geo
from helpers.data.plan import Plan, shipped_plans  # noqa: F401  (shipped_plans: for the notebooks)
from helpers.exceptions import UnknownValueError
from helpers.report.terms import with_report_status
from helpers.vocab import LANGS, METHODS


def check_choice(what: str, value: object, valid: list | tuple) -> object:
    """Return ``value`` when it is one of ``valid``; else raise UnknownValueError listing them."""
    if not isinstance(value, str) or value not in valid:
        raise UnknownValueError(what, value, list(valid))
    return value


def valid_areas(plan: Plan) -> list[str]:
    """The areas plan.json declares, in plan order (an area without targets may be asked for:
    its report says it has none)."""
    return plan.area_keys


def valid_indicators(targets: pd.DataFrame) -> list[str]:
    """Target ids in the targets table's own order."""
    return targets["id"].dropna().astype(str).tolist()


def plan_years(targets: pd.DataFrame) -> list[int]:
    """Years an ``as_of_year`` may name: first year after the earliest baseline .. last target year."""
    lo = int(targets["baseline_year"].min()) + 1
    hi = int(targets["target_year"].max())
    return list(range(lo, hi + 1))


def check_as_of(as_of_year: object, targets: pd.DataFrame) -> int | None:
    """``None`` stays ``None``; an int (or an int-valued string/float) must lie in :func:`plan_years`."""
    if as_of_year is None:
        return None
    years = plan_years(targets)
    try:
        if isinstance(as_of_year, bool):
            raise TypeError
        year = int(as_of_year) if isinstance(as_of_year, (numbers.Integral, str)) else None
        if year is None and isinstance(as_of_year, numbers.Real) and float(as_of_year).is_integer():
            year = int(as_of_year)
    except (TypeError, ValueError):
        year = None
    if year is None or year not in years:
        raise UnknownValueError("as_of_year", as_of_year, years)
    return year


@dataclass
class Context:
    """Everything a report notebook needs after its parameters were checked.

    ``trajectory`` is ``compute_gaps`` for ``geo`` and ``method``; ``latest`` is
    ``latest_status(trajectory, as_of)`` with its ``report_status`` (``not_scored`` for a value
    the engine could not score, as every table and chart shows it); :meth:`trajectory_for` gives the other method's table
    (cached).
    """

    plan: Plan
    method: str
    lang: str
    chart_lang: str
    geo: str
    as_of: int
    as_of_requested: int | None
    has_data: bool
    trajectory: pd.DataFrame
    latest: pd.DataFrame
    area: str | None = None
    indicator_id: str | None = None
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def targets(self) -> pd.DataFrame:
        return self.plan.targets

    @property
    def statistics(self) -> pd.DataFrame:
        return self.plan.statistics

    @property
    def meta(self) -> dict:
        """``plan.json`` as parsed."""
        return self.plan.meta

    @property
    def statistics_path(self) -> Path | None:
        return self.plan.statistics_path

    def trajectory_for(self, method: str) -> pd.DataFrame:
        """Trajectory table for ``method`` (``linear`` or ``cagr``), computed once."""
        from helpers.method import gaps

        check_choice("method", method, METHODS)
        return self.cached(("trajectory", method), lambda: gaps.compute_gaps(
            self.targets, self.statistics, geo=self.geo, method=method, plan=self.meta))

    def latest_for(self, method: str) -> pd.DataFrame:
        from helpers.method import summaries

        return with_report_status(summaries.latest_status(self.trajectory_for(method), self.as_of))

    def measures(self) -> pd.DataFrame:
        """The alternative measures of the plan's targets (``measures.csv`` beside its statistics,
        :mod:`helpers.method.measures`) side by side as of :attr:`as_of`: one row per target ×
        measure, the plan's own first, each with its status (the verdict in the target year) and
        labels; empty when the plan declares none."""
        from helpers.method import measures

        def build() -> pd.DataFrame:
            path = self.statistics_path.with_name(measures.MEASURES_FILE) if self.statistics_path else None
            m = measures.read_measures(path, self.targets)
            return measures.side_by_side(measures.score_measures(self.targets, self.statistics, m, geo=self.geo,
                                                                 method=self.method, plan=self.meta), self.as_of)
        return self.cached(("measures", self.method), build)

    def cached(self, key, compute):
        """``compute()`` once per ``key`` for this context: tables derived from the inputs that
        several sections (or every chart of an area) use. Callers must not modify the result."""
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def coverage(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(by target, by area) coverage of :attr:`geo` (:mod:`helpers.method.coverage`), computed once;
        the tables are shared by every call: copy before changing them."""
        from helpers.method import coverage

        def compute():
            by_target = coverage.coverage_by_target(self.targets, self.statistics, self.geo)
            return by_target, coverage.coverage_by_area(self.targets, self.statistics, self.geo, by_target,
                                                        self.plan.areas)

        return self.cached("coverage", compute)


def plan_with_most_values() -> str | None:
    """The shipped plan (under ``data/raw/``) with the most values of its own jurisdiction for
    its own targets: what a tour opens when no plan is named (a plan with little data shows
    mostly "no data"). A plan whose files do not load is passed over; None when none loads."""
    from helpers.data import load
    from helpers.exceptions import HelpersError

    best, most = None, -1
    for name in shipped_plans():
        try:
            p = load.load_plan(name)
        except HelpersError:
            continue
        s = p.statistics
        n = int(((s["geo"] == p.jurisdiction) & s["indicator_id"].isin(p.targets["id"]) & s["value"].notna()).sum())
        if n > most:
            best, most = name, n
    return best


def latest_year_with_data(trajectory: pd.DataFrame) -> int | None:
    """Latest year in which any target has a value; ``None`` when none has."""
    years = trajectory.loc[trajectory["value"].notna(), "year"]
    return int(years.max()) if len(years) else None


def prepare(*, plan=None, as_of_year=None, method: str = "linear", lang: str = "both",
            targets_path=None, statistics_path=None, geo=None, area: str | None = None,
            indicator_id: str | None = None, for_area: bool = False, for_indicator: bool = False,
            charts: bool = True) -> Context:
    """Check every parameter, load the plan and compute the trajectory and latest statuses.

    ``plan``: a plan name, a plan folder, or an already loaded :class:`~helpers.data.plan.Plan`
    (``None``: ``targets_path``/``statistics_path`` when given, else the default plan).
    ``for_area`` / ``for_indicator``: a report about one area / target; ``None`` then means the
    plan's default (module docstring).

    Cheap checks (method, lang) run before the files are read. Raises UnknownValueError naming
    the parameter and listing its valid values, or the loader's ValidationError for bad files.
    ``charts=False`` (a caller that draws nothing, such as the report renderer's parent process)
    leaves matplotlib alone: no shared style is applied and ``chart_lang`` is ``lang`` unresolved.
    """
    from helpers.data import load
    from helpers.method import gaps, summaries
    check_choice("method", method, METHODS)
    check_choice("lang", lang, LANGS)
    loaded = plan if isinstance(plan, Plan) else load.load_plan(plan, targets_path, statistics_path)
    targets = loaded.targets
    if area is None and for_area:
        area = loaded.default_area()
    if indicator_id is None and for_indicator:
        indicator_id = loaded.default_indicator(area if for_area else None)  # one area, one of its targets
    if area is not None:
        check_choice("area", area, valid_areas(loaded))
    if indicator_id is not None:
        check_choice("indicator_id", indicator_id, valid_indicators(targets))
    requested = check_as_of(as_of_year, targets)
    geo_ = check_geo(geo, loaded.meta, loaded.statistics, targets)
    trajectory = gaps.compute_gaps(targets, loaded.statistics, geo=geo_, method=method, plan=loaded.meta)
    found = latest_year_with_data(trajectory)
    if requested is not None:
        as_of = requested
    elif found is not None:
        as_of = found
    else:
        as_of = int(targets["target_year"].max())
    has_data = bool(((trajectory["year"] <= as_of) & trajectory["value"].notna()).any())
    chart_lang = lang
    if charts:
        from helpers.report.charts import style

        style.use_style()
        chart_lang = style.resolve_lang(lang)
    ctx = Context(
        plan=loaded, method=method, lang=lang, chart_lang=chart_lang, geo=geo_,
        as_of=as_of, as_of_requested=requested, has_data=has_data,
        trajectory=trajectory, latest=with_report_status(summaries.latest_status(trajectory, as_of)),
        area=area, indicator_id=indicator_id,
    )
    ctx._cache[("trajectory", method)] = trajectory
    return ctx
