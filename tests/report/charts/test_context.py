"""helpers.report.charts.context: what a trajectory chart draws beside the target and never scores,
other places' values (benchmarks) and proxy series (context), drawn through
:func:`helpers.report.charts.plots.plot_trajectory`.

The synthetic inputs are tests/chart_synthetic.py's.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from helpers.report.charts import context as chartcontext, plots as charts, style  # noqa: E402

from chart_synthetic import (CJK, GEO_NAMES, LEVEL_GE, NAN, cjk_fonts_and_cleanup,  # noqa: E402, F401
                             context_rows, engine_traj, legend_texts, line_by_gid, line_by_label,
                             synthetic_traj)


# --- benchmarks -----------------------------------------------------------------------------------------------

def test_benchmarks_are_thin_grey_lines_labelled_by_geo_within_the_plan_years():
    benchmarks = pd.DataFrame({
        "indicator_id": ["health.synthetic"] * 5 + ["other.indicator"],
        "geo": ["china", "china", "china", "fuyang", "anhui", "china"],
        "year": [2015, 2016, 2018, 2018, 2020, 2018],
        "value": [4.9, 5.0, 5.5, 99.0, 5.3, 77.0],
    })
    fig = charts.plot_trajectory(synthetic_traj(**LEVEL_GE), benchmarks=benchmarks, geo_names=GEO_NAMES)
    china = line_by_label(fig, "全国 / China")
    assert list(china.get_xdata()) == [2016, 2018]  # 2015 is before the baseline year
    assert list(china.get_ydata()) == [5.0, 5.5]
    assert china.get_linewidth() < line_by_gid(fig, "observed").get_linewidth()
    assert matplotlib.colors.to_hex(china.get_color()).lower() in {"#8c8c8c", "#5e5e5e", "#b0b0b0"}
    assert list(line_by_label(fig, "安徽省 / Anhui").get_ydata()) == [5.3]
    assert not [ln for ln in fig.axes[0].get_lines() if 99.0 in list(ln.get_ydata())]  # own geo not a benchmark
    assert {"全国 / China", "安徽省 / Anhui"} <= set(legend_texts(fig))


def test_benchmarks_are_not_drawn_for_yearly_flows():
    traj = synthetic_traj("annual", ">=", values=[3000.0, 2500.0, NAN, 2800.0, 2900.0],
                          required=[2800.0] * 5, baseline=NAN, target=2800.0)
    benchmarks = pd.DataFrame({"indicator_id": ["health.synthetic"], "geo": ["china"], "year": [2018], "value": [1.3e7]})
    fig = charts.plot_trajectory(traj, benchmarks=benchmarks, geo_names=GEO_NAMES)
    assert "全国 / China" not in legend_texts(fig)


def test_relative_benchmarks_are_divided_by_the_reference_series():
    traj = synthetic_traj("relative", ">=", values=[0.80, 0.82, 0.83, NAN, 0.86],
                          required=[0.824, 0.868, 0.912, 0.956, 1.0], baseline=0.78, target=1.0,
                          reference_id="ref.synthetic_income")
    benchmarks = pd.DataFrame({
        "indicator_id": ["health.synthetic"] * 2 + ["ref.synthetic_income"] * 2,
        "geo": ["anhui", "anhui", "china", "china"],
        "year": [2017, 2019, 2017, 2019], "value": [20000.0, 27000.0, 25000.0, 30000.0],
    })
    fig = charts.plot_trajectory(traj, benchmarks=benchmarks, geo_names=GEO_NAMES)
    anhui = line_by_label(fig, "安徽省 / Anhui")
    np.testing.assert_allclose(anhui.get_ydata(), [0.8, 0.9])


# --- context series -------------------------------------------------------------------------------------------

def test_context_series_go_on_a_secondary_axis():
    context = pd.DataFrame({
        "indicator_id": ["health.synthetic:beds_total", "health.synthetic:beds_total", "health.other:x"],
        "geo": "fuyang", "year": [2017, 2019, 2018], "value": [30000.0, 34000.0, 1.0], "unit": "beds",
    })
    fig = charts.plot_trajectory(synthetic_traj(**LEVEL_GE), context=context, lang="en", geo_names=GEO_NAMES)
    assert len(fig.axes) == 2
    (line,) = fig.axes[1].get_lines()
    assert (list(line.get_xdata()), list(line.get_ydata())) == ([2017, 2019], [30000.0, 34000.0])
    assert line.get_linestyle() == ":"
    assert line.get_label() == "beds total, right axis: context, other measure, not scored"
    assert fig.axes[1].get_ylabel() == "right axis: context series, beds"


def test_context_in_the_target_unit_shares_the_main_axis_and_a_third_unit_is_left_out():
    context = pd.DataFrame({
        "indicator_id": ["health.synthetic:same_unit", "health.synthetic:count", "health.synthetic:count",
                         "health.synthetic:share"],
        "geo": "fuyang", "year": [2018, 2017, 2019, 2018], "value": [4.9, 300.0, 320.0, 50.0],
        "unit": ["beds per 1000", "beds", "beds", "%"],
    })
    fig = charts.plot_trajectory(synthetic_traj(**LEVEL_GE), context=context, lang="en", geo_names=GEO_NAMES)
    main, twin = fig.axes
    assert [list(ln.get_ydata()) for ln in main.get_lines() if ln.get_gid() == "context"] == [[4.9]]
    assert [list(ln.get_ydata()) for ln in twin.get_lines()] == [[300.0, 320.0]]
    assert twin.get_ylabel() == "right axis: context series, beds"
    assert "plus 1 context series in other units not drawn" in legend_texts(fig)  # not over the data


def test_context_series_of_another_geo_names_that_geo():
    context = pd.DataFrame({"indicator_id": ["health.synthetic:index"] * 2, "geo": "anhui",
                            "year": [2018, 2020], "value": [96.0, 97.0], "unit": "%"})
    fig = charts.plot_trajectory(synthetic_traj(**LEVEL_GE), context=context, lang="en", geo_names=GEO_NAMES)
    (line,) = fig.axes[1].get_lines()
    assert line.get_label() == "index (Anhui), right axis: context, other measure, not scored"


# --- legibility (issue 13) ------------------------------------------------------------------------------------

def test_context_legend_uses_the_label_columns_and_never_the_internal_key():
    context = pd.concat([
        context_rows("lifted_in_year", label_zh="当年脱贫人口", label_en="People lifted out in the year"),
        context_rows("specialised_institutions", values=(4.2, 4.3), label_zh=pd.NA, label_en=""),  # empty: the suffix, in words
        context_rows("first_half_year", values=(4.0, 4.1), label_zh="上半年", label_en=pd.NA),
    ])
    for col in ("label_zh", "label_en"):
        context[col] = context[col].astype("string")
    both = legend_texts(charts.plot_trajectory(synthetic_traj(**LEVEL_GE), context=context, geo_names=GEO_NAMES))
    en = legend_texts(charts.plot_trajectory(synthetic_traj(**LEVEL_GE), context=context, lang="en"))
    assert "当年脱贫人口: 参考序列, 口径不同, 不计分 / People lifted out in the year: context, other measure, not scored" in both
    assert "People lifted out in the year: context, other measure, not scored" in en
    assert "specialised institutions: context, other measure, not scored" in en
    # No English label: the English legend falls back to the suffix in words, never to Chinese.
    assert "first half year: context, other measure, not scored" in en
    assert not any("_" in t for t in both + en)
    assert not any(CJK.search(t) for t in en)


@pytest.mark.parametrize("unit, n_axes, twin_label", [
    ("beds per 1000", 1, None),             # the target's unit: the main axis
    (" Beds per 1000 ", 1, None),           # the same unit spelt differently
    ("beds", 2, "right axis: context series, beds"),  # another unit: one right axis that says so
])
def test_at_most_one_y_axis_and_a_second_only_for_another_unit_that_it_names(unit, n_axes, twin_label):
    context = pd.concat([context_rows("a", unit=unit), context_rows("b", unit=unit, values=(4.6, 4.7))])
    fig = charts.plot_trajectory(synthetic_traj(**LEVEL_GE), context=context, lang="en")
    assert len(fig.axes) == n_axes
    if twin_label:
        assert fig.axes[1].get_ylabel() == twin_label
        assert fig.axes[0].get_ylabel() == "beds per 1000"
        # Its lines, ticks and label share one colour, unlike the main axis' grey context lines.
        colour = matplotlib.colors.to_hex(fig.axes[1].yaxis.label.get_color())
        assert {matplotlib.colors.to_hex(ln.get_color()) for ln in fig.axes[1].get_lines()} == {colour}
        assert colour != matplotlib.colors.to_hex(style.PALETTE["context"])
        assert all(t.endswith("right axis: context, other measure, not scored")
                   for t in legend_texts(fig) if "context" in t)


def test_context_in_the_unit_of_a_running_kinds_yearly_figures_shares_their_axis():
    traj = engine_traj("rate_avg", {2017: 8.0, 2018: 6.0}, target=7.0, unit="% a year",
                       value_unit="% over previous year", indicator_id="health.synthetic")
    context = context_rows("nominal", unit="% over previous year", values=(10.0, 9.0), geo="synthetica")
    fig = charts.plot_trajectory(traj, context=context, lang="en")
    assert len(fig.axes) == 1
    assert "nominal: context, other measure, not scored" in legend_texts(fig)


def _inside_axes_px(fig: Figure, line) -> list[tuple[float, float]]:
    """Distances (pixels) of each finite point of ``line`` from the nearest edge of its axes,
    horizontally and vertically, after a draw."""
    fig.canvas.draw()
    ax = line.axes
    box = ax.get_window_extent()
    pts = line.get_transform().transform(np.asarray(line.get_xydata(), dtype="float64"))
    pts = pts[np.isfinite(pts).all(axis=1)]
    return [(min(x - box.x0, box.x1 - x), min(y - box.y0, box.y1 - y)) for x, y in pts]


def test_single_year_benchmark_and_context_are_visible_points_inside_the_axes():
    benchmarks = pd.DataFrame({"indicator_id": "health.synthetic", "geo": "anhui", "year": [2018], "value": [3.0]})
    context = context_rows("lone", unit="beds", years=(2016,), values=(22.0,))
    fig = charts.plot_trajectory(synthetic_traj(**LEVEL_GE), benchmarks=benchmarks, context=context,
                                 geo_names=GEO_NAMES)
    anhui = line_by_label(fig, "安徽省 / Anhui")
    lone = [ln for ax in fig.axes for ln in ax.get_lines() if ln.get_gid() == "context"][0]
    for line in (anhui, lone):
        assert line.get_marker() not in ("", " ", "None", None)
        assert line.get_markersize() >= chartcontext.SINGLE_POINT_MARKERSIZE
        for dx, dy in _inside_axes_px(fig, line):  # not on a spine: at least the marker's radius in
            assert dx > line.get_markersize() / 2 and dy > line.get_markersize() / 2
    # A context value of the baseline year on a yearly-quota chart (which starts after the
    # baseline) still gets its place on the x axis.
    annual = synthetic_traj("annual", ">=", values=[5.0, 3.0, NAN, 6.0, 4.0], required=[4.0] * 5,
                            baseline=NAN, target=4.0)
    fig = charts.plot_trajectory(annual, context=context_rows("lone", unit="beds per 1000", years=(2016,), values=(4.5,)))
    (lone,) = [ln for ln in fig.axes[0].get_lines() if ln.get_gid() == "context"]
    assert all(dx > 0 for dx, _ in _inside_axes_px(fig, lone))
