"""What a trajectory chart draws beside the target and never scores: other places' values of the
same target (benchmarks) and proxy series ``<target_id>:<suffix>`` (context).

- :func:`benchmark_lines` — thin grey lines with markers, one per other geo, for the kinds in
  :data:`BENCHMARK_KINDS` only (a ``relative`` target's are divided by its reference series);
- :func:`context_lines` — dotted lines labelled by the statistics' ``label_zh`` / ``label_en``
  (:func:`helpers.formats.series_label_pair`; never an internal key): on the main axis in the target's unit, else
  on ONE right axis for one other unit, which its label names; series in further units are left
  out and counted in the legend.

Only the years from the baseline to the target year are drawn. A series with a single value is
a marker of :data:`SINGLE_POINT_MARKERSIZE` points. Places are named by ``geo_names(geo, lang)``
(default :func:`key_name`: the key itself).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from helpers import vocab
from helpers.formats import series_label_pair
from helpers.report.charts.parts import (
    as_floats,
    first_value,
    require_columns,
    same_unit,
)
from helpers.report.charts.style import PALETTE
from helpers.report.terms import T_CONTEXT, T_CONTEXT_AXIS, T_RIGHT_AXIS

#: Kinds whose benchmark series are drawn: rates and levels compare across jurisdictions, yearly
#: flows and running totals of a province or a country do not (they would flatten the chart).
BENCHMARK_KINDS: frozenset[str] = frozenset({"level", "relative", "change", "change_pct"})


#: Marker size of a series with a single value (a lone point must be seen, not a speck).
SINGLE_POINT_MARKERSIZE = 6.5


def key_name(key: str, lang: str) -> str:
    """A geo or area without a label: shown as its key."""
    return str(key)


def benchmark_lines(ax: Axes, traj: pd.DataFrame, benchmarks: pd.DataFrame | None, kind: str,
                    own_geo: str | None, years: tuple[int, int], lang: str, geo_names=key_name) -> list:
    """Thin grey lines with markers, one per other geo, labelled with the geo's name; returns
    the handles. A geo with a single year is a clearly visible point."""
    if benchmarks is None or kind not in BENCHMARK_KINDS or len(benchmarks) == 0:
        return []
    require_columns(benchmarks, ("indicator_id", "geo", "year", "value"), "benchmarks")
    indicator = str(traj["indicator_id"].iloc[0])
    rows = benchmarks[(benchmarks["indicator_id"] == indicator)
                      & benchmarks["year"].between(*years)].copy()
    if own_geo is not None:
        rows = rows[rows["geo"] != own_geo]
    if kind == "relative":
        # Other geos' own values become ratios with the reference series of the same year.
        ref_id = first_value(traj, "reference_id")
        refs = benchmarks[benchmarks["indicator_id"] == ref_id] if ref_id is not None else benchmarks.iloc[:0]
        if refs.empty:
            return []
        ref_by_year = refs.groupby("year")["value"].first()
        rows["value"] = as_floats(rows["value"]) / as_floats(rows["year"].map(ref_by_year))
    handles = []
    greys = ("#8C8C8C", "#5E5E5E", "#B0B0B0")
    styles = ("-", "--", ":")
    for i, (geo, grp) in enumerate(rows.sort_values("year").groupby("geo", sort=True)):
        x = grp["year"].astype("int64").to_numpy()
        y = as_floats(grp["value"])
        n = int(np.isfinite(y).sum())
        if not n:
            continue
        (line,) = ax.plot(x, y, color=greys[i % 3], linestyle=styles[i % 3], linewidth=1.0, marker="o",
                          markersize=SINGLE_POINT_MARKERSIZE if n == 1 else 3.5,
                          label=geo_names(str(geo), lang), zorder=2, gid="benchmark")
        handles.append(line)
    return handles


def context_lines(ax: Axes, traj: pd.DataFrame, context: pd.DataFrame | None, own_geo: str | None,
                  years: tuple[int, int], lang: str, geo_names=key_name,
                  main_units: Sequence[str] = ()) -> list:
    """Proxy series ``<target_id>:<suffix>`` (dotted, grey, with markers); returns the handles.

    Each is labelled with its ``label_zh`` / ``label_en`` from the statistics when given, else
    its suffix in words (:func:`helpers.formats.series_label_pair`). A series in the target's own unit shares
    the main axis; the others go on ONE secondary axis, for one unit only (two foreign units on
    one axis would mislead), whose label says it is the right axis of the context series and
    names the unit; series in further units are left out and a legend entry says how many.
    A series of another geo names that geo. ``main_units``: other units the main axis already
    shows (the yearly figures of a running kind drawn beside its scored quantity).
    """
    if context is None or len(context) == 0:
        return []
    require_columns(context, ("indicator_id", "year", "value"), "context")
    indicator = str(traj["indicator_id"].iloc[0])
    rows = context[context["indicator_id"].astype("string").str.startswith(indicator + ":", na=False)
                   & context["year"].between(*years)]
    if rows.empty:
        return []
    own_unit = str(first_value(traj, "unit", ""))
    units = rows["unit"].astype("string").fillna("").str.strip() if "unit" in rows.columns else pd.Series("", index=rows.index)
    # Spelling variants of the target's own unit ("%" / " % ") are the same unit, and so is a
    # unit the main axis already carries.
    on_main = units.map(lambda u: any(same_unit(u, m) for m in (own_unit, *main_units))).astype(bool)
    units = units.where(~on_main, own_unit)
    rows = rows.assign(_unit=units)
    foreign = rows.loc[rows["_unit"] != own_unit, "_unit"]
    twin_unit = foreign.value_counts(sort=True).index[0] if len(foreign) else None
    keys = ["indicator_id", "geo"] if "geo" in rows.columns else ["indicator_id"]
    several_geos = "geo" in rows.columns and rows["geo"].nunique() > 1
    series = rows.sort_values("year").groupby(keys + ["_unit"], sort=True)
    twin = None
    handles, left_out = [], 0
    for i, (key, grp) in enumerate(series):
        unit = key[-1]
        if unit != own_unit and unit != twin_unit:
            left_out += 1
            continue
        if unit == own_unit:
            target_ax = ax
        else:
            if twin is None:
                twin = ax.twinx()
                twin.grid(False)
                twin.spines["right"].set_visible(True)
                zh, en = T_CONTEXT_AXIS
                twin.set_ylabel(vocab.label((f"{zh}, {unit}", f"{en}, {unit}") if unit else T_CONTEXT_AXIS, lang),
                                color=PALETTE["context_right"])
                twin.tick_params(axis="y", colors=PALETTE["context_right"])
                twin.spines["right"].set_color(PALETTE["context_right"])
            target_ax = twin
        suffix = str(key[0]).split(":", 1)[1]
        name_zh, name_en = series_label_pair(grp, suffix)
        show_geo = len(keys) > 1 and (several_geos or str(key[1]) != own_geo)
        if show_geo:
            name_zh += f" ({geo_names(str(key[1]), 'zh')})"
            name_en += f" ({geo_names(str(key[1]), 'en')})"
        if target_ax is twin:  # read on the right axis: said in the legend, drawn in its colour
            name_zh += f", {T_RIGHT_AXIS[0]}"
            name_en += f", {T_RIGHT_AXIS[1]}"
        colour = PALETTE["context_right"] if target_ax is twin else PALETTE["context"]
        y = as_floats(grp["value"])
        single = int(np.isfinite(y).sum()) == 1
        # A lone value is a larger open marker above the target star, so it shows even where it
        # coincides with the target or an observed point.
        (line,) = target_ax.plot(grp["year"].astype("int64").to_numpy(), y,
                                 color=colour, linestyle=(":", "-.")[i % 2],
                                 marker="sDv^P"[i % 5], markersize=SINGLE_POINT_MARKERSIZE if single else 4,
                                 markerfacecolor="white" if single else colour,
                                 markeredgewidth=1.3 if single else 1.0,
                                 linewidth=1.0, gid="context", zorder=4.5 if single else 2,
                                 label=vocab.label((f"{name_zh}: {T_CONTEXT[0]}", f"{name_en}: {T_CONTEXT[1]}"), lang))
        handles.append(line)
    if twin is not None and (rows.loc[rows["_unit"] == twin_unit, "value"].astype("float64") >= 0).all():
        twin.set_ylim(bottom=0)  # from zero: a lone proxy value must not look like a big swing
    if left_out:  # said in the legend (an entry without a symbol), where it cannot cover data
        handles.append(Line2D([], [], linestyle="none", gid="left_out", label=vocab.label(
            (f"另有 {left_out} 条参考序列(其他单位)未画出",
             f"plus {left_out} context series in other units not drawn"), lang)))
    return handles
