"""helpers.report.charts.parts: a target's own series drawn by kind (level, bands, yearly quota,
cumulative, relative, the running kinds, change, direction, unquantified) and its target's
legend entry, drawn through their one caller, :func:`helpers.report.charts.plots.plot_trajectory`.

The synthetic inputs are tests/chart_synthetic.py's.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from helpers.report.charts import parts as chartparts, plots as charts  # noqa: E402

from helpers import vocab
from helpers.report import terms

from chart_synthetic import (LEVEL_GE, NAN, YEARS, band_patch, cjk_fonts_and_cleanup,  # noqa: E402, F401
                             collection_by_label, engine_traj, legend_texts, line_by_gid, line_by_label,
                             shortfall_years, synthetic_traj)


# --- level, >= ------------------------------------------------------------------------------------------------

def test_level_target_observed_line_keeps_the_gap_and_starts_at_the_baseline():
    fig = charts.plot_trajectory(synthetic_traj(**LEVEL_GE))
    observed = line_by_gid(fig, "observed")
    np.testing.assert_array_equal(observed.get_xdata(), [2016, 2017, 2018, 2019, 2020, 2021])
    np.testing.assert_allclose(observed.get_ydata(), [4.0, 4.5, NAN, 5.0, 5.4, 5.6], equal_nan=True)
    assert observed.get_marker() == "o"


def test_level_target_required_path_is_dashed_from_baseline_to_target():
    fig = charts.plot_trajectory(synthetic_traj(**LEVEL_GE))
    required = line_by_gid(fig, "required")
    assert required.get_linestyle() == "--"
    np.testing.assert_allclose(required.get_xdata(), [2016, 2017, 2018, 2019, 2020, 2021])
    np.testing.assert_allclose(required.get_ydata(), [4.0, 4.4, 4.8, 5.2, 5.6, 6.0])
    star = line_by_gid(fig, "target")
    assert (list(star.get_xdata()), list(star.get_ydata())) == ([2021], [6.0])
    assert star.get_label() == "目标 / Target 2021: ≥ 6 (张/千人 / beds per 1000)"


def test_level_target_shortfall_marks_years_behind_the_required_path():
    fig = charts.plot_trajectory(synthetic_traj(**LEVEL_GE))
    # 2017: 4.5 ≥ 4.4 (ahead); 2018 missing; 2019 5.0 < 5.2; 2020 5.4 < 5.6; 2021 5.6 < 6.0.
    assert shortfall_years(fig) == [2019.0, 2020.0, 2021.0]
    segments = collection_by_label(fig, "距应达路径 / Gap to path").get_segments()
    np.testing.assert_allclose([seg[:, 1] for seg in segments], [[5.0, 5.2], [5.4, 5.6], [5.6, 6.0]])


# --- level, <= (towards zero) ---------------------------------------------------------------------------------

def test_level_ceiling_target_shortfall_is_above_the_path():
    traj = synthetic_traj("level", "<=", values=[45.0, 30.0, NAN, 2.5, 0.0],
                          required=[40.0, 30.0, 20.0, 10.0, 0.0], baseline=50.0, target=0.0)
    fig = charts.plot_trajectory(traj)
    np.testing.assert_allclose(line_by_gid(fig, "observed").get_ydata(), [50, 45, 30, NAN, 2.5, 0], equal_nan=True)
    required = line_by_gid(fig, "required")
    assert (required.get_ydata()[0], required.get_ydata()[-1]) == (50.0, 0.0)
    assert shortfall_years(fig) == [2017.0]  # 45 > 40; 2018 on the path; 2020 ahead
    assert "目标 / Target 2021: ≤ 0 (张/千人 / beds per 1000)" in legend_texts(fig)


# --- between and ~ --------------------------------------------------------------------------------------------

def test_between_target_is_a_band_and_the_path_goes_to_its_near_edge():
    # Baseline 25 above the band [10, 20]: direction down, x* = 20.
    traj = synthetic_traj("level", "between", values=[24.5, 23.5, NAN, 19.0, 18.0],
                          required=[24.0, 23.0, 22.0, 21.0, 20.0], baseline=25.0, target=10.0,
                          target_hi=20.0)
    fig = charts.plot_trajectory(traj)
    band = band_patch(fig)
    assert (band.get_y(), band.get_height()) == (10.0, 10.0)
    assert band.get_label() == "目标区间 / Target range 2021: 10–20 (张/千人 / beds per 1000)"
    required = line_by_gid(fig, "required")
    assert required.get_linestyle() == "--"
    assert (required.get_xdata()[0], required.get_ydata()[0]) == (2016, 25.0)
    assert (required.get_xdata()[-1], required.get_ydata()[-1]) == (2021, 20.0)
    # 24.5 > 24 and 23.5 > 23 are behind (outside the band); 19 and 18 are inside it.
    assert shortfall_years(fig) == [2017.0, 2018.0]
    assert not [ln for ln in fig.axes[0].get_lines() if ln.get_gid() == "target"]  # band, no star


def test_about_target_band_is_target_plus_minus_tolerance():
    # 75 ± 5 = [70, 80]; baseline 66 below: x* = 70.
    traj = synthetic_traj("level", "~", values=[67.0, 67.5, 69.0, NAN, 76.0],
                          required=[66.8, 67.6, 68.4, 69.2, 70.0], baseline=66.0, target=75.0,
                          tolerance=5.0)
    fig = charts.plot_trajectory(traj, lang="en")
    band = band_patch_en(fig)
    assert (band.get_y(), band.get_y() + band.get_height()) == (70.0, 80.0)
    assert band.get_label() == "Target range 2021: 75 ± 5 (beds per 1000)"
    assert shortfall_years(fig, "en") == [2018.0]  # 67.5 < 67.6; 2019 69 > 68.4 ahead
    np.testing.assert_allclose(line_by_gid(fig, "observed").get_ydata(), [66, 67, 67.5, 69, NAN, 76], equal_nan=True)


def band_patch_en(fig: Figure) -> Rectangle:
    found = [p for p in fig.axes[0].patches if p.get_label().startswith("Target range")]
    assert len(found) == 1
    return found[0]


@pytest.mark.parametrize("kind, comparator, target, tolerance, expected", [
    # Every digit the plan wrote, no exponent (matplotlib-style "%g" gave "1.23457e+06").
    ("level", ">=", 1234567.0, NAN, "Target 2021: ≥ 1234567 (beds per 1000)"),
    ("level", "<=", 0.35, NAN, "Target 2021: ≤ 0.35 (beds per 1000)"),
    # The given tolerance, not half the band's width (77.35 − 77.25 = 0.0999999999999943).
    ("level", "~", 77.3, 0.05, "Target range 2021: 77.3 ± 0.05 (beds per 1000)"),
    ("annual", ">=", 12345678.9, NAN, "Yearly quota ≥ 12345678.9 (beds per 1000)"),
    ("annual", "~", 77.3, 0.05, "Yearly quota 77.25–77.35 (beds per 1000)"),
])
def test_target_legend_writes_the_numbers_as_given(kind, comparator, target, tolerance, expected):
    traj = synthetic_traj(kind, comparator, values=[NAN] * 5, required=[NAN] * 5, baseline=NAN,
                          target=target, tolerance=tolerance)
    assert expected in legend_texts(charts.plot_trajectory(traj, lang="en"))


@pytest.mark.parametrize("unit, unit_zh, lang, expected", [
    ("10k persons", "万人", "en", "Target 2021: ≥ 45 (10k persons)"),
    ("10k persons", "万人", "zh", "目标 2021: ≥ 45 (万人)"),
    ("10k persons", "万人", "both", "目标 / Target 2021: ≥ 45 (万人 / 10k persons)"),
    ("%", "%", "both", "目标 / Target 2021: ≥ 45 %"),
])
def test_target_label_keeps_number_and_unit_apart(unit, unit_zh, lang, expected):
    traj = synthetic_traj("level", ">=", values=[NAN] * 5, required=[NAN] * 5, baseline=NAN, target=45.0,
                          unit=(unit_zh, unit))
    assert expected in legend_texts(charts.plot_trajectory(traj, lang=lang))
    annual = synthetic_traj("annual", ">=", values=[NAN] * 5, required=[45.0] * 5, baseline=NAN, target=45.0,
                            unit=(unit_zh, unit))
    quota = vocab.label(terms.T_QUOTA, lang)
    assert any(t.startswith(f"{quota} ≥ 45 ") and "45 10k" not in t for t in legend_texts(charts.plot_trajectory(annual, lang=lang)))


# --- annual ---------------------------------------------------------------------------------------------------

def test_annual_target_draws_bars_against_the_quota_line():
    traj = synthetic_traj("annual", ">=", values=[3000.0, 2500.0, NAN, 2800.0, 2900.0],
                          required=[2800.0] * 5, baseline=NAN, target=2800.0,
                          unit=("个", "posts"))
    fig = charts.plot_trajectory(traj)
    ax = fig.axes[0]
    bars = [c for c in ax.containers if c.get_label() == "当年完成 / Done in the year"][0]
    assert [p.get_x() + p.get_width() / 2 for p in bars.patches] == [2017, 2018, 2020, 2021]
    assert [p.get_height() for p in bars.patches] == [3000.0, 2500.0, 2800.0, 2900.0]
    quota = line_by_gid(fig, "required")
    assert quota.get_linestyle() == "--"
    assert list(quota.get_ydata()) == [2800.0, 2800.0]
    assert quota.get_xdata()[0] < 2017 and quota.get_xdata()[-1] > 2021
    assert quota.get_label() == "年度目标 / Yearly quota ≥ 2800 (个 / posts)"
    short = [c for c in ax.containers if c.get_label() == "距应达路径 / Gap to path"][0]
    assert [(p.get_x() + p.get_width() / 2, p.get_y(), p.get_height()) for p in short.patches] == [(2018, 2500.0, 300.0)]
    assert "无数据 / no data" in [t.get_text() for t in ax.texts]  # 2019 has no value
    assert ax.get_xticks().tolist() == YEARS  # a quota has no baseline year


def test_annual_ceiling_quota_hatches_the_excess():
    traj = synthetic_traj("annual", "<=", values=[10.0, 14.0, 12.0, 9.0, NAN],
                          required=[12.0] * 5, baseline=NAN, target=12.0, unit=("人", "persons"))
    fig = charts.plot_trajectory(traj, lang="en")
    short = [c for c in fig.axes[0].containers if c.get_label() == "Gap to path"][0]
    assert [(p.get_y(), p.get_height()) for p in short.patches] == [(12.0, 2.0)]


# --- cumulative -----------------------------------------------------------------------------------------------

def test_cumulative_target_running_total_against_the_straight_path():
    traj = synthetic_traj("cumulative", ">=", values=[1.0, 3.0, NAN, 8.0, 11.0],
                          required=[2.2, 4.4, 6.6, 8.8, 11.0], baseline=0.0, target=11.0,
                          unit=("所", "schools"))
    fig = charts.plot_trajectory(traj)
    observed = line_by_label(fig, "累计完成 / Running total")
    np.testing.assert_allclose(observed.get_ydata(), [0, 1, 3, NAN, 8, 11], equal_nan=True)
    required = line_by_gid(fig, "required")
    np.testing.assert_allclose(required.get_ydata(), [0.0, 2.2, 4.4, 6.6, 8.8, 11.0])
    assert shortfall_years(fig) == [2017.0, 2018.0, 2020.0]
    assert fig.axes[0].get_ylabel() == "所 / schools"


# --- relative -------------------------------------------------------------------------------------------------

def test_relative_target_uses_a_ratio_axis_with_the_reference_line():
    traj = synthetic_traj("relative", ">=", values=[0.80, 0.82, 0.83, NAN, 0.86],
                          required=[0.824, 0.868, 0.912, 0.956, 1.0], baseline=0.78, target=1.0,
                          unit=("相对全国平均(倍)", "ratio to national average"),
                          reference_id="ref.synthetic_income")
    fig = charts.plot_trajectory(traj)
    ax = fig.axes[0]
    reference = line_by_label(fig, "参照水平 / Reference level = 1")
    assert list(reference.get_ydata()) == [1.0, 1.0]
    observed = line_by_label(fig, "与参照之比 / Ratio to reference")
    np.testing.assert_allclose(observed.get_ydata(), [0.78, 0.80, 0.82, 0.83, NAN, 0.86], equal_nan=True)
    assert ax.get_ylabel() == "相对全国平均(倍) / ratio to national average"
    assert shortfall_years(fig) == [2017.0, 2018.0, 2019.0, 2021.0]


# --- no data --------------------------------------------------------------------------------------------------

def test_target_without_observed_values_still_shows_target_and_path():
    traj = synthetic_traj("cumulative", ">=", values=[NAN] * 5, required=[2.2, 4.4, 6.6, 8.8, 11.0],
                          baseline=0.0, target=11.0)
    fig = charts.plot_trajectory(traj)
    ax = fig.axes[0]
    np.testing.assert_allclose(line_by_gid(fig, "required").get_ydata(), [0.0, 2.2, 4.4, 6.6, 8.8, 11.0])
    star = line_by_gid(fig, "target")
    assert (list(star.get_xdata()), list(star.get_ydata())) == ([2021], [11.0])
    assert "无数据 / no data" in [t.get_text() for t in ax.texts]
    assert shortfall_years(fig) == []


def test_level_target_with_no_baseline_and_no_values_says_no_data():
    traj = synthetic_traj("level", ">=", values=[NAN] * 5, required=[NAN] * 5, baseline=NAN, target=6.0)
    fig = charts.plot_trajectory(traj, lang="en")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.texts] == ["no data"]
    assert legend_texts(fig) == ["Target 2021: ≥ 6 (beds per 1000)", "no baseline value: no required path"]
    assert [ln.get_gid() for ln in ax.get_lines()] == ["target"]


def test_annual_target_without_values_keeps_the_quota():
    traj = synthetic_traj("annual", ">=", values=[NAN] * 5, required=[4.1] * 5, baseline=NAN, target=4.1)
    fig = charts.plot_trajectory(traj, lang="zh")
    assert list(line_by_gid(fig, "required").get_ydata()) == [4.1, 4.1]
    assert "无数据" in [t.get_text() for t in fig.axes[0].texts]


# --- the kinds of issue 12, drawn from the engine's own output ------------------------------------------------

def _bars(fig: Figure, gid: str = "raw") -> list[tuple[float, float]]:
    """(x centre, height) of the bars with ``gid`` on any axes."""
    out = []
    for ax in fig.axes:
        for c in ax.containers:
            if getattr(c, "get_gid", lambda: None)() == gid or (c.patches and c.patches[0].get_gid() == gid):
                out += [(p.get_x() + p.get_width() / 2, p.get_height()) for p in c.patches]
    return out


def _axes_with_bars(fig: Figure, gid: str = "raw") -> list:
    return [ax for ax in fig.axes if any(c.patches and (c.get_label() and c.patches[0].get_gid() == gid
                                                        or getattr(c, "get_gid", lambda: None)() == gid)
                                         for c in ax.containers)]


def test_rate_avg_draws_the_average_so_far_and_each_years_rate_on_one_axis():
    # >= 7 % a year; yearly rates 8, 6, 7.5: average so far 8, (1.08·1.06)^(1/2) − 1, ...
    traj = engine_traj("rate_avg", {2017: 8.0, 2018: 6.0, 2019: 7.5}, target=7.0,
                       unit="% a year", value_unit="% over previous year")
    fig = charts.plot_trajectory(traj)
    assert len(fig.axes) == 1  # the yearly rates and their average are both % a year
    scored = line_by_gid(fig, "observed")
    np.testing.assert_allclose(scored.get_xdata(), [2017, 2018, 2019, 2020, 2021])
    avg2 = ((1.08 * 1.06) ** 0.5 - 1) * 100
    np.testing.assert_allclose(scored.get_ydata()[:2], [8.0, avg2])
    assert scored.get_marker() == "o" and scored.get_label() == "年均增速(累计) / average annual rate so far"
    assert _bars(fig) == [(2017, 8.0), (2018, 6.0), (2019, 7.5)]
    target = line_by_gid(fig, "required")  # the flat target line, no star and no path from a baseline
    assert list(target.get_ydata()) == [7.0, 7.0] and target.get_linestyle() == "--"
    assert not [ln for ln in fig.axes[0].get_lines() if ln.get_gid() == "target"]
    texts = legend_texts(fig)
    assert texts[:2] == ["年均增速(累计) / average annual rate so far", "当年增速 / that year's rate"]
    assert "目标 / Target 2021: ≥ 7 (% a year)" in texts


def test_rate_total_draws_the_years_rates_in_a_panel_of_their_own_unit():
    # <= −15 % over 2016–2021 from yearly rates −3, −2, −4: total (0.97·0.98 − 1) = −4.94 %, ...
    traj = engine_traj("rate_total", {2017: -3.0, 2018: -2.0, 2019: -4.0}, comparator="<=", target=-15.0,
                       unit="% since 2016", unit_zh="%(较2016年)", value_unit="% over previous year")
    fig = charts.plot_trajectory(traj, lang="en")
    main, panel = fig.axes  # two axes: % since the baseline and % over the previous year differ
    scored = line_by_gid(fig, "observed")
    assert scored in main.get_lines()
    np.testing.assert_allclose(scored.get_ydata()[:4], [0.0, -3.0, -4.94, (0.97 * 0.98 * 0.96 - 1) * 100])
    np.testing.assert_allclose(line_by_gid(fig, "required").get_ydata(), [0, -3, -6, -9, -12, -15])
    star = line_by_gid(fig, "target")
    assert (list(star.get_xdata()), list(star.get_ydata())) == ([2021], [-15.0])
    assert _bars(fig) == [(2017, -3.0), (2018, -2.0), (2019, -4.0)]
    assert all(c.patches[0] in panel.patches for c in panel.containers)
    assert not [c for c in main.containers if c.patches and c.patches[0].get_gid() == "raw"]
    # The panel says what it shows and in which unit; the legend names both series.
    assert panel.get_title(loc="left") == "that year's rate, unit: % over previous year"
    assert main.get_ylabel() == "% since 2016"
    texts = legend_texts(fig)
    assert texts[:2] == ["total change so far (yearly rates compounded)", "that year's rate (lower panel)"]
    assert "Target 2021: ≤ -15 (% since 2016)" in texts
    assert panel.get_xlabel() == "Year" and main.get_xlabel() == ""


def test_rate_avg_against_a_reference_puts_the_years_rates_below_the_ratio():
    traj = engine_traj("rate_avg", {2017: 9.0, 2018: 6.0}, target=1.0, unit="ratio to GDP growth",
                       reference_id="ref.synthetic_gdp", value_unit="% over previous year",
                       reference={2017: 6.0, 2018: 6.0})
    fig = charts.plot_trajectory(traj, lang="en")
    assert len(fig.axes) == 2
    np.testing.assert_allclose(line_by_gid(fig, "observed").get_ydata()[:2],
                               [1.5, (((1.09 * 1.06) ** 0.5 - 1) * 100) / 6.0])
    assert legend_texts(fig)[:2] == ["ratio of average annual rates so far", "that year's rate (lower panel)"]
    assert _bars(fig) == [(2017, 9.0), (2018, 6.0)]


@pytest.mark.parametrize("kind, values, scored, label", [
    # a total over the period: 9, 9 + 11, 9 + 11 + 10
    ("period_total", {2017: 9.0, 2018: 11.0, 2019: 10.0}, [0.0, 9.0, 20.0, 30.0], "total so far"),
    # a yearly average: 9, (9 + 11)/2, (9 + 11 + 13)/3
    ("annual_mean", {2017: 9.0, 2018: 11.0, 2019: 13.0}, [9.0, 10.0, 11.0], "yearly average so far"),
])
def test_flow_kinds_draw_the_scored_quantity_and_each_years_flow_on_one_axis(kind, values, scored, label):
    traj = engine_traj(kind, values, target=50.0 if kind == "period_total" else 10.0, unit="persons")
    fig = charts.plot_trajectory(traj, lang="en")
    assert len(fig.axes) == 1
    observed = line_by_gid(fig, "observed")
    np.testing.assert_allclose(observed.get_ydata()[:len(scored)], scored)
    assert observed.get_label() == label
    assert _bars(fig) == [(y, v) for y, v in values.items()]
    assert legend_texts(fig)[1] == "that year's figure"


def test_a_running_kind_with_a_missing_year_says_from_when_nothing_is_scored():
    traj = engine_traj("rate_total", {2017: -3.0, 2018: -2.0, 2021: -3.0}, comparator="<=", target=-15.0,
                       unit="% since 2016")
    fig = charts.plot_trajectory(traj, lang="en")
    assert "no value in 2019: nothing scored from then on" in legend_texts(fig)
    assert (2021, -3.0) in _bars(fig)  # the year's own figure is still shown


@pytest.mark.parametrize("kind, comparator, change, level, origin", [
    ("change", ">=", 1.0, 78.93, "baseline 77.93 + 1"),       # 提高1岁: 77.93 + 1
    ("change_pct", "<=", -18.0, 63.9026, "baseline 77.93 - 18 %"),  # 下降18%: 77.93 · 0.82
])
def test_change_targets_aim_at_the_level_resolved_from_the_baseline(kind, comparator, change, level, origin):
    traj = engine_traj(kind, {2016: 77.93, 2018: 78.3}, comparator=comparator, target=change, unit="years")
    fig = charts.plot_trajectory(traj, lang="en")
    star = line_by_gid(fig, "target")
    assert star.get_xdata()[0] == 2021 and star.get_ydata()[0] == pytest.approx(level)
    assert line_by_gid(fig, "required").get_ydata()[-1] == pytest.approx(level)
    sign = "≥" if comparator == ">=" else "≤"
    assert f"Target 2021: {sign} {chartparts.fmt_level(level)} (years) = {origin}" in legend_texts(fig)


def test_change_target_without_a_baseline_says_the_target_level_is_unknown():
    traj = engine_traj("change", {2018: 78.3}, target=1.0, unit="years")
    fig = charts.plot_trajectory(traj, lang="en")
    assert not [ln for ln in fig.axes[0].get_lines() if ln.get_gid() in ("target", "required")]
    assert "no baseline value: the target level is unknown" in legend_texts(fig)


@pytest.mark.parametrize("comparator, values, trend, wanted", [
    # (103/100)^(1/2) − 1 = 1.49 % a year; (104/100)^(1/3) − 1 = 1.32 % a year (the latest)
    (">=", {2016: 100.0, 2018: 103.0, 2019: 104.0}, "+1.3", "it should rise"),
    # a fall the plan wants: (90/100)^(1/3) − 1 = −3.45 % a year; the entry gives the level's sign
    ("<=", {2016: 100.0, 2019: 90.0}, "-3.5", "it should fall"),
])
def test_direction_target_states_its_trend_and_draws_no_target(comparator, values, trend, wanted):
    traj = engine_traj("direction", values, comparator=comparator)
    fig = charts.plot_trajectory(traj, lang="en")
    ax = fig.axes[0]
    assert [ln.get_gid() for ln in ax.get_lines()] == ["observed"]  # no star, no required path
    np.testing.assert_allclose(line_by_gid(fig, "observed").get_ydata()[0], 100.0)  # from the baseline
    last = max(values)
    assert f"trend 2016–{last}: {trend} % a year" in legend_texts(fig)
    assert ax.get_title().endswith(wanted)
    zh = charts.plot_trajectory(traj, lang="both")
    assert any(t.startswith(f"趋势 2016–{last}: 年均 {trend} % / trend") for t in legend_texts(zh))


def test_unquantified_target_shows_its_values_only_and_says_so():
    traj = engine_traj("unquantified", {2016: 6.0, 2017: 6.9, 2018: 6.7}, comparator=None, unit="%")
    fig = charts.plot_trajectory(traj)
    ax = fig.axes[0]
    assert ax.get_title().split("\n")[-1] == "无量化目标 / no quantified target"
    assert [ln.get_gid() for ln in ax.get_lines()] == ["observed"]
    np.testing.assert_allclose(line_by_gid(fig, "observed").get_ydata()[:3], [6.0, 6.9, 6.7])
    assert legend_texts(fig) == ["实际值 / Observed"]
    assert not ax.patches and not ax.collections  # no band, no shortfall
