"""Chart content: the figures draw exactly the numbers they are given, in the chosen language.

Every trajectory frame below is SYNTHETIC and written by hand in the shape of the engine's
trajectory table (helpers.gaps), with the required path computed by hand:
required_t = x_b + (x* − x_b)·(t − b)/(T − b), b = 2016, T = 2021.
"""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from helpers import charts, fonts, vocab  # noqa: E402
from helpers.plan import Plan  # noqa: E402

import fuyang_plan  # noqa: E402

#: Labels as a plan gives them (the shipped plan's areas and places).
_PLAN = Plan(fuyang_plan.META, pd.DataFrame(), pd.DataFrame())
AREA_LABELS = _PLAN.areas
GEO_NAMES = _PLAN.geo_label

NAN = np.nan
YEARS = [2017, 2018, 2019, 2020, 2021]
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def _cjk_fonts_and_cleanup():
    fonts.setup_fonts(disable_cjk=False)
    yield
    plt.close("all")


def synthetic_traj(kind: str, comparator: str, values, required, baseline, target,
                   target_hi=NAN, tolerance=NAN, years=YEARS, indicator_id="health.synthetic",
                   area="health", name=("合成床位数", "Synthetic beds"),
                   unit=("张/千人", "beds per 1000"), **extra) -> pd.DataFrame:
    """One synthetic target's trajectory rows, shaped like compute_gaps output."""
    n = len(years)
    frame = pd.DataFrame({
        "geo": pd.array(["fuyang"] * n, dtype="string"),
        "indicator_id": pd.array([indicator_id] * n, dtype="string"),
        "area": area, "name_zh": name[0], "name_en": name[1], "unit": unit[1], "unit_zh": unit[0],
        "kind": kind, "comparator": comparator,
        "year": pd.array(years, dtype="Int64"),
        "value": pd.array(values, dtype="Float64"),  # nullable, as the engine may give it
        "baseline": baseline, "target": target, "target_hi": target_hi, "tolerance": tolerance,
        "required": np.asarray(required, dtype="float64"),
        "gap": NAN, "status": "no_data",
    })
    for key, val in extra.items():
        frame[key] = val
    return frame


def line_by_gid(fig: Figure, gid: str):
    found = [ln for ax in fig.axes for ln in ax.get_lines() if ln.get_gid() == gid]
    assert len(found) == 1, f"expected one line with gid={gid!r}, found {len(found)}"
    return found[0]


def line_by_label(fig: Figure, label: str):
    found = [ln for ax in fig.axes for ln in ax.get_lines() if ln.get_label() == label]
    assert len(found) == 1, f"expected one line labelled {label!r}, found {[ln.get_label() for ln in fig.axes[0].get_lines()]}"
    return found[0]


def legend_texts(fig: Figure) -> list[str]:
    legends = list(fig.legends) + [ax.get_legend() for ax in fig.axes if ax.get_legend()]
    return [t.get_text() for lg in legends for t in lg.get_texts()]


def collection_by_label(fig: Figure, label: str):
    found = [c for ax in fig.axes for c in ax.collections if c.get_label() == label]
    assert len(found) == 1, [c.get_label() for c in fig.axes[0].collections]
    return found[0]


def shortfall_years(fig: Figure, lang: str = "both") -> list[float]:
    label = vocab.label(charts.T_SHORTFALL, lang)
    found = [c for c in fig.axes[0].collections if c.get_label() == label]
    if not found:
        return []
    return [float(seg[0][0]) for seg in found[0].get_segments()]


def band_patch(fig: Figure) -> Rectangle:
    label_start = (vocab.label(charts.T_TARGET_RANGE, "both"), vocab.label(charts.T_QUOTA, "both"))
    found = [p for p in fig.axes[0].patches if p.get_label().startswith(label_start)]
    assert len(found) == 1
    return found[0]


# --- level, >= ---------------------------------------------------------------------------------

LEVEL_GE = dict(kind="level", comparator=">=", values=[4.5, NAN, 5.0, 5.4, 5.6],
                required=[4.4, 4.8, 5.2, 5.6, 6.0], baseline=4.0, target=6.0)


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


def test_trajectory_labels_in_both_languages():
    fig = charts.plot_trajectory(synthetic_traj(**LEVEL_GE), lang="both")
    ax = fig.axes[0]
    assert ax.get_title() == "合成床位数 / Synthetic beds"
    assert ax.get_xlabel() == "年份 / Year"
    assert ax.get_ylabel() == "张/千人 / beds per 1000"
    assert legend_texts(fig) == ["实际值 / Observed", "应达路径 / Required path",
                                 "目标 / Target 2021: ≥ 6 (张/千人 / beds per 1000)", "距应达路径 / Gap to path"]


def test_trajectory_labels_in_chinese_only():
    fig = charts.plot_trajectory(synthetic_traj(**LEVEL_GE), lang="zh")
    ax = fig.axes[0]
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("合成床位数", "年份", "张/千人")
    assert legend_texts(fig) == ["实际值", "应达路径", "目标 2021: ≥ 6 (张/千人)", "距应达路径"]


def test_trajectory_labels_in_english_only():
    fig = charts.plot_trajectory(synthetic_traj(**LEVEL_GE), lang="en")
    ax = fig.axes[0]
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("Synthetic beds", "Year", "beds per 1000")
    texts = legend_texts(fig)
    assert texts == ["Observed", "Required path", "Target 2021: ≥ 6 (beds per 1000)", "Gap to path"]
    assert not any(CJK.search(t) for t in texts + [t.get_text() for t in ax.get_xticklabels()])


def test_long_bilingual_title_is_split_into_chinese_and_english_lines():
    traj = synthetic_traj(**LEVEL_GE, name=("每千常住人口医疗卫生机构床位数", "Hospital beds per 1,000 residents (synthetic)"))
    fig = charts.plot_trajectory(traj, lang="both")
    assert fig.axes[0].get_title() == "每千常住人口医疗卫生机构床位数\nHospital beds per 1,000 residents (synthetic)"


# --- level, <= (towards zero) -------------------------------------------------------------------


def test_level_ceiling_target_shortfall_is_above_the_path():
    traj = synthetic_traj("level", "<=", values=[45.0, 30.0, NAN, 2.5, 0.0],
                          required=[40.0, 30.0, 20.0, 10.0, 0.0], baseline=50.0, target=0.0)
    fig = charts.plot_trajectory(traj)
    np.testing.assert_allclose(line_by_gid(fig, "observed").get_ydata(), [50, 45, 30, NAN, 2.5, 0], equal_nan=True)
    required = line_by_gid(fig, "required")
    assert (required.get_ydata()[0], required.get_ydata()[-1]) == (50.0, 0.0)
    assert shortfall_years(fig) == [2017.0]  # 45 > 40; 2018 on the path; 2020 ahead
    assert "目标 / Target 2021: ≤ 0 (张/千人 / beds per 1000)" in legend_texts(fig)


# --- between and ~ --------------------------------------------------------------------------------


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


# --- annual -----------------------------------------------------------------------------------------


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


# --- cumulative ---------------------------------------------------------------------------------------


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


# --- relative --------------------------------------------------------------------------------------------


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


# --- benchmarks and context --------------------------------------------------------------------------------


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


def test_a_chart_with_only_the_target_is_compact_and_one_with_context_is_not():
    empty = synthetic_traj("level", ">=", values=[NAN] * 5, required=[NAN] * 5, baseline=NAN, target=6.0)
    assert charts.plot_trajectory(empty).get_figheight() == charts.COMPACT_HEIGHT
    benchmarks = pd.DataFrame({"indicator_id": "health.synthetic", "geo": "china", "year": [2017, 2019],
                               "value": [5.0, 5.5]})
    full = plt.rcParams["figure.figsize"][1]  # (a legend of more than two rows adds to it)
    assert charts.plot_trajectory(empty, benchmarks=benchmarks).get_figheight() >= full
    assert charts.plot_trajectory(synthetic_traj(**LEVEL_GE)).get_figheight() >= full


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


# --- the kinds of issue 12, drawn from the engine's own output ---------------------------------------------------

def _engine_traj(kind: str, values: dict, comparator: str | None = ">=", target: float = NAN,
                 indicator_id: str = "health.synthetic_kind", reference: dict | None = None,
                 **target_extra) -> pd.DataFrame:
    """compute_gaps rows of one SYNTHETIC target (b = 2016, T = 2021) with the given statistics."""
    gaps = pytest.importorskip("helpers.gaps")
    row = {"id": indicator_id, "area": "health", "name_zh": "合成指标", "name_en": "Synthetic indicator",
           "unit": target_extra.pop("unit", "synthetic unit"), "comparator": comparator, "target": target,
           "target_hi": NAN, "tolerance": NAN, "target_year": 2021, "baseline_year": 2016, "kind": kind,
           "reference_id": target_extra.pop("reference_id", None), "baseline_value": NAN, **target_extra}
    rows = [(indicator_id, "synthetica", y, v) for y, v in values.items()]
    if reference:
        rows += [(row["reference_id"], "synthetica", y, v) for y, v in reference.items()]
    stats = pd.DataFrame(rows, columns=["indicator_id", "geo", "year", "value"])
    traj = gaps.compute_gaps(pd.DataFrame([row]), stats, geo="synthetica")
    if "value_unit" in row:  # as sections.trajectory_figure adds it
        traj = traj.assign(value_unit=row["value_unit"])
    return traj


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
    traj = _engine_traj("rate_avg", {2017: 8.0, 2018: 6.0, 2019: 7.5}, target=7.0,
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
    traj = _engine_traj("rate_total", {2017: -3.0, 2018: -2.0, 2019: -4.0}, comparator="<=", target=-15.0,
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
    traj = _engine_traj("rate_avg", {2017: 9.0, 2018: 6.0}, target=1.0, unit="ratio to GDP growth",
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
    traj = _engine_traj(kind, values, target=50.0 if kind == "period_total" else 10.0, unit="persons")
    fig = charts.plot_trajectory(traj, lang="en")
    assert len(fig.axes) == 1
    observed = line_by_gid(fig, "observed")
    np.testing.assert_allclose(observed.get_ydata()[:len(scored)], scored)
    assert observed.get_label() == label
    assert _bars(fig) == [(y, v) for y, v in values.items()]
    assert legend_texts(fig)[1] == "that year's figure"


def test_a_running_kind_with_a_missing_year_says_from_when_nothing_is_scored():
    traj = _engine_traj("rate_total", {2017: -3.0, 2018: -2.0, 2021: -3.0}, comparator="<=", target=-15.0,
                        unit="% since 2016")
    fig = charts.plot_trajectory(traj, lang="en")
    assert "no value in 2019: nothing scored from then on" in legend_texts(fig)
    assert (2021, -3.0) in _bars(fig)  # the year's own figure is still shown


@pytest.mark.parametrize("kind, comparator, change, level, origin", [
    ("change", ">=", 1.0, 78.93, "baseline 77.93 + 1"),       # 提高1岁: 77.93 + 1
    ("change_pct", "<=", -18.0, 63.9026, "baseline 77.93 - 18 %"),  # 下降18%: 77.93 · 0.82
])
def test_change_targets_aim_at_the_level_resolved_from_the_baseline(kind, comparator, change, level, origin):
    traj = _engine_traj(kind, {2016: 77.93, 2018: 78.3}, comparator=comparator, target=change, unit="years")
    fig = charts.plot_trajectory(traj, lang="en")
    star = line_by_gid(fig, "target")
    assert star.get_xdata()[0] == 2021 and star.get_ydata()[0] == pytest.approx(level)
    assert line_by_gid(fig, "required").get_ydata()[-1] == pytest.approx(level)
    sign = "≥" if comparator == ">=" else "≤"
    assert f"Target 2021: {sign} {charts._fmt_level(level)} (years) = {origin}" in legend_texts(fig)


def test_change_target_without_a_baseline_says_the_target_level_is_unknown():
    traj = _engine_traj("change", {2018: 78.3}, target=1.0, unit="years")
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
    traj = _engine_traj("direction", values, comparator=comparator)
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
    traj = _engine_traj("unquantified", {2016: 6.0, 2017: 6.9, 2018: 6.7}, comparator=None, unit="%")
    fig = charts.plot_trajectory(traj)
    ax = fig.axes[0]
    assert ax.get_title().split("\n")[-1] == "无量化目标 / no quantified target"
    assert [ln.get_gid() for ln in ax.get_lines()] == ["observed"]
    np.testing.assert_allclose(line_by_gid(fig, "observed").get_ydata()[:3], [6.0, 6.9, 6.7])
    assert legend_texts(fig) == ["实际值 / Observed"]
    assert not ax.patches and not ax.collections  # no band, no shortfall


# --- legibility (issue 13) ------------------------------------------------------------------------------------


def _context(suffix: str, unit: str = "beds per 1000", years=(2017, 2019), values=(4.4, 4.9), geo="fuyang", **cols):
    frame = pd.DataFrame({"indicator_id": f"health.synthetic:{suffix}", "geo": geo, "year": list(years),
                          "value": list(values), "unit": unit})
    for k, v in cols.items():
        frame[k] = v
    return frame


def test_context_legend_uses_the_label_columns_and_never_the_internal_key():
    context = pd.concat([
        _context("lifted_in_year", label_zh="当年脱贫人口", label_en="People lifted out in the year"),
        _context("specialised_institutions", values=(4.2, 4.3), label_zh=pd.NA, label_en=""),  # empty: the suffix, in words
        _context("first_half_year", values=(4.0, 4.1), label_zh="上半年", label_en=pd.NA),
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
    context = pd.concat([_context("a", unit=unit), _context("b", unit=unit, values=(4.6, 4.7))])
    fig = charts.plot_trajectory(synthetic_traj(**LEVEL_GE), context=context, lang="en")
    assert len(fig.axes) == n_axes
    if twin_label:
        assert fig.axes[1].get_ylabel() == twin_label
        assert fig.axes[0].get_ylabel() == "beds per 1000"
        # Its lines, ticks and label share one colour, unlike the main axis' grey context lines.
        colour = matplotlib.colors.to_hex(fig.axes[1].yaxis.label.get_color())
        assert {matplotlib.colors.to_hex(ln.get_color()) for ln in fig.axes[1].get_lines()} == {colour}
        assert colour != matplotlib.colors.to_hex(charts.PALETTE["context"])
        assert all(t.endswith("right axis: context, other measure, not scored")
                   for t in legend_texts(fig) if "context" in t)


def test_context_in_the_unit_of_a_running_kinds_yearly_figures_shares_their_axis():
    traj = _engine_traj("rate_avg", {2017: 8.0, 2018: 6.0}, target=7.0, unit="% a year",
                        value_unit="% over previous year", indicator_id="health.synthetic")
    context = _context("nominal", unit="% over previous year", values=(10.0, 9.0), geo="synthetica")
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
    context = _context("lone", unit="beds", years=(2016,), values=(22.0,))
    fig = charts.plot_trajectory(synthetic_traj(**LEVEL_GE), benchmarks=benchmarks, context=context,
                                 geo_names=GEO_NAMES)
    anhui = line_by_label(fig, "安徽省 / Anhui")
    lone = [ln for ax in fig.axes for ln in ax.get_lines() if ln.get_gid() == "context"][0]
    for line in (anhui, lone):
        assert line.get_marker() not in ("", " ", "None", None)
        assert line.get_markersize() >= charts.SINGLE_POINT_MARKERSIZE
        for dx, dy in _inside_axes_px(fig, line):  # not on a spine: at least the marker's radius in
            assert dx > line.get_markersize() / 2 and dy > line.get_markersize() / 2
    # A context value of the baseline year on a yearly-quota chart (which starts after the
    # baseline) still gets its place on the x axis.
    annual = synthetic_traj("annual", ">=", values=[5.0, 3.0, NAN, 6.0, 4.0], required=[4.0] * 5,
                            baseline=NAN, target=4.0)
    fig = charts.plot_trajectory(annual, context=_context("lone", unit="beds per 1000", years=(2016,), values=(4.5,)))
    (lone,) = [ln for ln in fig.axes[0].get_lines() if ln.get_gid() == "context"]
    assert all(dx > 0 for dx, _ in _inside_axes_px(fig, lone))


def _note_covers_data(fig: Figure) -> list:
    """Points of drawn lines (sampled along each segment, display pixels) inside the "no data"
    note's box; the note itself must exist exactly once."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    notes = [t for ax in fig.axes for t in ax.texts if t.get_text() in ("无数据 / no data", "no data", "无数据")]
    assert len(notes) == 1
    box = notes[0].get_window_extent(renderer)
    covered = []
    for ax in fig.axes:
        for line in ax.get_lines():
            xy = line.get_transform().transform(np.asarray(line.get_xydata(), dtype="float64"))
            samples = [xy]
            for a, b in zip(xy[:-1], xy[1:]):
                if np.isfinite(a).all() and np.isfinite(b).all():
                    samples.append(a + (b - a) * np.linspace(0, 1, 200)[:, None])
            pts = np.concatenate(samples)
            inside = (pts[:, 0] >= box.x0) & (pts[:, 0] <= box.x1) & (pts[:, 1] >= box.y0) & (pts[:, 1] <= box.y1)
            covered += [(line.get_gid(), tuple(p)) for p in pts[inside]]
    return covered


@pytest.mark.parametrize("case", ["empty", "context_through_the_centre", "benchmark_and_context_everywhere"])
def test_no_data_note_never_sits_on_a_drawn_series(case):
    traj = synthetic_traj("level", ">=", values=[NAN] * 5, required=[NAN] * 5, baseline=NAN, target=6.0)
    benchmarks = context = None
    if case == "context_through_the_centre":  # as the grain-output proxy of the 14th FYP chart
        context = _context("output", years=YEARS, values=(1.0, 2.0, 3.0, 4.0, 5.0))
    elif case == "benchmark_and_context_everywhere":
        context = _context("output", years=[2016, *YEARS], values=(1.0, 5.0, 1.0, 5.0, 1.0, 5.0))
        benchmarks = pd.DataFrame({"indicator_id": "health.synthetic", "geo": "china",
                                   "year": [2016, *YEARS], "value": [5.0, 1.0, 5.0, 1.0, 5.0, 1.0]})
    fig = charts.plot_trajectory(traj, benchmarks=benchmarks, context=context, geo_names=GEO_NAMES)
    assert _note_covers_data(fig) == []


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
    quota = vocab.label(charts.T_QUOTA, lang)
    assert any(t.startswith(f"{quota} ≥ 45 ") and "45 10k" not in t for t in legend_texts(charts.plot_trajectory(annual, lang=lang)))


LONG = ("很长的指标名称" * 6, "A deliberately long indicator name " * 4)
ABSURD = ("很长的指标名称" * 12, "A deliberately long indicator name " * 8)


@pytest.mark.parametrize("name, lang, max_lines", [
    (("地级及以上城市空气质量优良天数比率", "Share of days with good air quality, cities at prefecture level and above"), "both", 2),
    (("四级公共文化设施覆盖率(市、县、乡镇、村)" * 2, "Coverage of public cultural facilities at all four tiers (city, county, township, village), counted again"), "both", 3),
    (LONG, "both", 3), (LONG, "en", 2), (LONG, "zh", 2),
    # Far longer than any plan's name: still whole, only on more lines, in a smaller size.
    (ABSURD, "both", 6),
])
def test_long_titles_are_wrapped_whole_never_cut(name, lang, max_lines):
    fig = charts.plot_trajectory(synthetic_traj(**LEVEL_GE, name=name), lang=lang)
    title = fig.axes[0].get_title()
    assert "…" not in title
    lines = title.split("\n")
    assert 1 < len(lines) <= max_lines
    # Every character of the name is there, in order (line breaks replace spaces or fall between characters).
    expected = vocab.label(name, lang).replace(" / ", "").replace(" ", "")
    assert "".join(lines).replace(" ", "") == expected
    if name is ABSURD:
        assert fig.axes[0].title.get_fontsize() < plt.rcParams["axes.titlesize"]
    fig.canvas.draw()
    width, _ = fig.canvas.get_width_height()
    bb = fig.axes[0].title.get_window_extent(fig.canvas.get_renderer())
    assert bb.x0 >= 0 and bb.x1 <= width  # and it fits across the figure


# --- trajectory input errors ------------------------------------------------------------------------------------


def test_trajectory_rejects_several_targets_and_missing_columns():
    two = pd.concat([synthetic_traj(**LEVEL_GE), synthetic_traj(**LEVEL_GE, indicator_id="health.other")])
    with pytest.raises(ValueError, match="rows of 2 targets"):
        charts.plot_trajectory(two)
    with pytest.raises(ValueError, match="missing column.*required"):
        charts.plot_trajectory(synthetic_traj(**LEVEL_GE).drop(columns=["required"]))


# --- heatmap ------------------------------------------------------------------------------------------------------


def heatmap_traj() -> pd.DataFrame:
    """3 synthetic targets: health first in the frame, employment must come first on the chart;
    the poverty-like target ends a year earlier (its 2021 cell does not exist)."""
    rows = [
        ("health.a", "health", "合成卫生甲", "Synthetic health A", 2020, "achieved"),
        ("health.a", "health", "合成卫生甲", "Synthetic health A", 2021, "on_track"),
        ("employment.b", "employment", "合成就业乙", "Synthetic jobs B", 2020, "no_data"),
        ("employment.b", "employment", "合成就业乙", "Synthetic jobs B", 2021, "regressing"),
        ("poverty.c", "poverty", "合成脱贫丙", "Synthetic poverty C", 2020, "achieved"),
    ]
    return pd.DataFrame(rows, columns=["indicator_id", "area", "name_zh", "name_en", "year", "status"])


def test_heatmap_rows_follow_the_plan_area_order_and_cells_match_statuses():
    fig = charts.plot_status_heatmap(heatmap_traj(), lang="en", areas=AREA_LABELS)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Synthetic jobs B", "Synthetic health A", "Synthetic poverty C"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2020", "2021"]
    (mesh,) = ax.collections
    codes = mesh.get_array()
    assert codes.shape == (3, 2)
    assert int(np.ma.count_masked(codes)) == 1  # poverty.c × 2021 not applicable
    fig.canvas.draw()
    colours = [tuple(c) for c in mesh.get_facecolors()]
    assert len(colours) == 6
    expected = {"achieved": 2, "on_track": 1, "no_data": 1, "regressing": 1}
    for status, n in expected.items():
        assert colours.count(to_rgba(vocab.STATUS_COLOURS[status])) == n, status
    # Row-major: jobs B (no_data, regressing), health A (achieved, on_track), poverty C (achieved, —).
    assert colours[:5] == [to_rgba(vocab.STATUS_COLOURS[s]) for s in ("no_data", "regressing", "achieved", "on_track", "achieved")]
    assert colours[5][3] == 0.0  # transparent: not a status


def test_heatmap_no_data_colour_differs_from_every_status():
    grey = to_rgba(vocab.STATUS_COLOURS["no_data"])
    others = [to_rgba(vocab.STATUS_COLOURS[s]) for s in vocab.STATUS_ORDER if s != "no_data"]
    assert all(max(abs(a - b) for a, b in zip(grey, o)) > 0.2 for o in others)


@pytest.mark.parametrize("lang, title, legend_first, n_a", [
    ("zh", "各目标逐年状态", "已达成", "不适用"),
    ("en", "Status of every target by year", "achieved", "not applicable"),
    ("both", "各目标逐年状态 / Status of every target by year", "已达成 / achieved", "不适用 / not applicable"),
])
def test_heatmap_title_and_legend_in_each_language(lang, title, legend_first, n_a):
    fig = charts.plot_status_heatmap(heatmap_traj(), lang=lang, areas=AREA_LABELS)
    assert fig.axes[0].get_title() == title
    texts = legend_texts(fig)
    assert texts[0] == legend_first and texts[-1] == n_a
    assert texts[:-1] == [vocab.status_label(s, lang) for s in vocab.STATUS_ORDER]
    first = "合成就业乙\nSynthetic jobs B" if lang == "both" else vocab.label(("合成就业乙", "Synthetic jobs B"), lang)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()][0] == first  # bilingual: two lines


def test_heatmap_rejects_unknown_status_and_several_geos():
    bad = heatmap_traj().assign(status="great")
    with pytest.raises(ValueError, match="unknown status"):
        charts.plot_status_heatmap(bad, areas=AREA_LABELS)
    two_geos = heatmap_traj().assign(geo=["fuyang", "fuyang", "anhui", "anhui", "anhui"])
    with pytest.raises(ValueError, match="several geos"):
        charts.plot_status_heatmap(two_geos, areas=AREA_LABELS)


# --- scoreboard ---------------------------------------------------------------------------------------------------


def scoreboard_latest() -> pd.DataFrame:
    rows = [
        ("poverty.a", "poverty", "achieved"), ("poverty.b", "poverty", "achieved"),
        ("health.a", "health", "on_track"), ("health.b", "health", "no_data"),
        ("health.c", "health", "no_data"), ("employment.a", "employment", "regressing"),
    ]
    return pd.DataFrame(rows, columns=["indicator_id", "area", "status"])


def test_scoreboard_bar_widths_are_status_counts_in_area_order():
    fig = charts.plot_area_scoreboard(scoreboard_latest(), lang="en", areas=AREA_LABELS)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Jobs and income", "Health", "Poverty alleviation"]
    widths = {c.get_label(): [p.get_width() for p in c.patches] for c in ax.containers}
    #                                   employment, health, poverty
    assert widths["achieved"] == [0, 0, 2]
    assert widths["on track"] == [0, 1, 0]
    assert widths["regressing"] == [1, 0, 0]
    assert widths["no data"] == [0, 2, 0]
    assert widths["moderate progress"] == [0, 0, 0]
    # Stacked: the no_data segment of health starts after its on_track segment.
    no_data = [c for c in ax.containers if c.get_label() == "no data"][0]
    assert no_data.patches[1].get_x() == 1
    assert no_data.patches[1].get_facecolor() == to_rgba(vocab.STATUS_COLOURS["no_data"])
    assert ax.get_xlabel() == "Number of targets"


@pytest.mark.parametrize("lang, xlabel, first_area", [
    ("zh", "目标数(个)", "就业与收入"),
    ("both", "目标数(个) / Number of targets", "就业与收入 / Jobs and income"),
])
def test_scoreboard_labels_in_chinese_and_both(lang, xlabel, first_area):
    fig = charts.plot_area_scoreboard(scoreboard_latest(), lang=lang, areas=AREA_LABELS)
    ax = fig.axes[0]
    assert ax.get_xlabel() == xlabel
    assert ax.get_yticklabels()[0].get_text() == first_area
    assert legend_texts(fig) == [vocab.status_label(s, lang) for s in vocab.STATUS_ORDER]


def test_chart_functions_return_figures_without_touching_pyplot_state():
    before = plt.get_fignums()
    fig = charts.plot_area_scoreboard(scoreboard_latest(), areas=AREA_LABELS)
    assert isinstance(fig, Figure)
    assert plt.get_fignums() == before + [fig.number]  # one new figure, nothing drawn elsewhere


def test_scoreboard_accepts_an_as_of_area_rollup_and_names_the_year():
    rollup = pd.DataFrame({
        "geo": "fuyang", "area": ["health", "employment", "all"], "as_of_limit": pd.array([2020] * 3, dtype="Int64"),
        **{f"n_{s}": [0, 0, 0] for s in vocab.STATUS_ORDER},
    })
    rollup["n_achieved"] = [2, 1, 3]
    rollup["n_no_data"] = [1, 0, 1]
    fig = charts.plot_area_scoreboard(rollup, lang="en", areas=AREA_LABELS)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Jobs and income", "Health"]  # no "all"
    widths = {c.get_label(): [p.get_width() for p in c.patches] for c in ax.containers}
    assert widths["achieved"] == [1, 2] and widths["no data"] == [0, 1]
    assert ax.get_title() == "Status of targets by area (as of 2020)"


def test_scoreboard_rejects_a_frame_without_statuses():
    with pytest.raises(ValueError, match="scoreboard: pass latest_status"):
        charts.plot_area_scoreboard(pd.DataFrame({"area": ["health"], "count": [3]}), areas=AREA_LABELS)


# --- with the engine's own output ------------------------------------------------------------------------------


def test_charts_draw_the_engine_output_unchanged():
    gaps = pytest.importorskip("helpers.gaps")
    targets = pd.DataFrame([
        {"id": "health.synthetic_beds", "area": "health", "name_zh": "合成床位", "name_en": "Synthetic beds",
         "unit": "beds per 1000", "comparator": ">=", "target": 6.0, "target_hi": NAN, "tolerance": NAN,
         "target_year": 2021, "baseline_year": 2016, "kind": "level", "reference_id": None},
        {"id": "employment.synthetic_income", "area": "employment", "name_zh": "合成收入比",
         "name_en": "Synthetic income ratio", "unit": "ratio", "comparator": ">=", "target": 1.0,
         "target_hi": NAN, "tolerance": NAN, "target_year": 2021, "baseline_year": 2016,
         "kind": "relative", "reference_id": "ref.synthetic_income"},
    ])
    rows = [("health.synthetic_beds", "synthetica", y, v)
            for y, v in {2016: 4.0, 2017: 4.5, 2019: 5.0, 2020: 5.4, 2021: 5.6}.items()]
    rows += [("employment.synthetic_income", "synthetica", y, v) for y, v in {2016: 16000.0, 2018: 18000.0}.items()]
    rows += [("ref.synthetic_income", "synthetic_nation", y, v) for y, v in {2016: 20000.0, 2018: 24000.0}.items()]
    statistics = pd.DataFrame(rows, columns=["indicator_id", "geo", "year", "value"])
    traj = gaps.compute_gaps(targets, statistics, geo="synthetica")

    beds = traj[traj["indicator_id"] == "health.synthetic_beds"]
    fig = charts.plot_trajectory(beds)
    np.testing.assert_allclose(line_by_gid(fig, "observed").get_ydata(), [4.0, 4.5, NAN, 5.0, 5.4, 5.6], equal_nan=True)
    np.testing.assert_allclose(line_by_gid(fig, "required").get_ydata(), [4.0, 4.4, 4.8, 5.2, 5.6, 6.0])
    assert shortfall_years(fig) == [2019.0, 2020.0, 2021.0]

    income = traj[traj["indicator_id"] == "employment.synthetic_income"]
    fig = charts.plot_trajectory(income, lang="en")
    ratio = line_by_label(fig, "Ratio to reference")
    np.testing.assert_allclose(ratio.get_ydata(), [0.8, NAN, 0.75, NAN, NAN, NAN], equal_nan=True)

    fig = charts.plot_status_heatmap(traj, lang="en", areas=AREA_LABELS)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["Synthetic income ratio", "Synthetic beds"]
    assert fig.axes[0].collections[0].get_array().shape == (2, 5)

    latest = gaps.latest_status(traj)
    by_status = latest.groupby("status").size()
    fig = charts.plot_area_scoreboard(latest, lang="en", areas=AREA_LABELS)
    total = {c.get_label(): sum(p.get_width() for p in c.patches) for c in fig.axes[0].containers}
    assert {k: v for k, v in total.items() if v} == {vocab.status_label(s, "en"): n for s, n in by_status.items()}
    fig = charts.plot_area_scoreboard(gaps.area_rollup_as_of(traj), lang="en", areas=AREA_LABELS)
    total_rollup = {c.get_label(): sum(p.get_width() for p in c.patches) for c in fig.axes[0].containers}
    assert total_rollup == total


# --- measured margins (trajectory charts lay themselves out, without constrained layout) ---------

def _drawn_boxes(fig: Figure):
    """Window extents, after a real draw, of everything a reader must see in full."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    main = fig.axes[0]
    boxes = {"title": main.title.get_window_extent(renderer),
             "legend": fig.legends[0].get_window_extent(renderer)}
    for i, ax in enumerate(fig.axes):
        boxes[f"axes{i}"] = ax.get_window_extent(renderer)
        labels = []
        for axis in (ax.xaxis, ax.yaxis):  # the ticks drawn: those inside the view limits
            lo, hi = sorted(axis.get_view_interval())
            labels += [t for loc, t in zip(axis.get_majorticklocs(), axis.get_majorticklabels())
                       if lo - 1e-9 <= loc <= hi + 1e-9 and t.get_visible() and t.get_text()]
        boxes[f"ticklabels{i}"] = [t.get_window_extent(renderer) for t in labels]
        boxes[f"ylabel{i}"] = ax.yaxis.label.get_window_extent(renderer)
    boxes["xlabel"] = main.xaxis.label.get_window_extent(renderer)
    return boxes


WIDE = dict(kind="level", comparator=">=", values=[1_150_000.0, NAN, 1_240_000.0, NAN, NAN],
            required=[1_160_000.0, 1_220_000.0, 1_280_000.0, 1_340_000.0, 1_400_000.0],
            baseline=1_100_000.0, target=1_400_000.0,
            name=("很长的指标名称" * 4, "A deliberately long indicator name " * 3))


@pytest.mark.parametrize("case", ["level", "wide_numbers_long_title_and_context", "annual", "zh", "compact",
                                  "compact_long_unit", "large_close_values"])
def test_trajectory_texts_stay_inside_the_figure_and_do_not_overlap(case):
    context = None
    lang = "both"
    frame = synthetic_traj(**LEVEL_GE)
    if case == "wide_numbers_long_title_and_context":
        frame = synthetic_traj(**WIDE)
        context = pd.DataFrame({"indicator_id": ["health.synthetic:count"] * 2, "geo": "fuyang",
                                "year": [2017, 2019], "value": [123_456_789.0, 133_456_789.0],
                                "unit": "beds"})
    elif case == "annual":
        frame = synthetic_traj(kind="annual", comparator=">=", values=[5.0, 3.0, NAN, 6.0, 4.0],
                               required=[4.0] * 5, baseline=NAN, target=4.0)
    elif case == "zh":
        lang = "zh"
    elif case == "compact":
        frame = synthetic_traj("level", ">=", values=[NAN] * 5, required=[NAN] * 5, baseline=NAN,
                               target=6.0, name=WIDE["name"])
    elif case == "compact_long_unit":
        frame = synthetic_traj("level", ">=", values=[NAN] * 5, required=[NAN] * 5, baseline=NAN, target=6.0,
                               unit=("张/千名六十岁及以上老年人(合成)",
                                     "beds per 1,000 residents aged 60 and over (synthetic)"))
    elif case == "large_close_values":
        frame = synthetic_traj("level", ">=", values=[10_234_510.0, 10_234_530.0, NAN, 10_234_560.0, NAN],
                               required=[10_234_520.0, 10_234_540.0, 10_234_560.0, 10_234_580.0, 10_234_600.0],
                               baseline=10_234_500.0, target=10_234_600.0, name=WIDE["name"])
    fig = charts.plot_trajectory(frame, context=context, lang=lang, geo_names=GEO_NAMES)
    if case == "compact":  # low; a three-line title may add the little its unit label needs
        assert charts.COMPACT_HEIGHT <= fig.get_figheight() < charts.COMPACT_HEIGHT + 0.3
    if case == "compact_long_unit":  # the bilingual unit goes on two lines before the chart grows
        assert "\n" in fig.axes[0].get_ylabel()
    assert fig.get_layout_engine() is None  # no draw-disabled pre-pass on savefig
    boxes = _drawn_boxes(fig)
    width, height = fig.canvas.get_width_height()
    everything = [boxes["title"], boxes["legend"], boxes["xlabel"]]
    for i in range(len(fig.axes)):
        everything += boxes[f"ticklabels{i}"] + [boxes[f"ylabel{i}"]]
    for bb in everything:
        assert bb.x0 >= 0 and bb.y0 >= 0 and bb.x1 <= width and bb.y1 <= height, (case, bb)
    main = boxes["axes0"]
    for ax in fig.axes:  # whole numbers on the ticks: no offset or exponent text near the title
        assert ax.yaxis.get_offset_text().get_text() == ""
    assert boxes["title"].y0 >= main.y1 - 1  # above the axes
    assert boxes["legend"].y1 <= boxes["xlabel"].y0 + 1  # below the x label
    assert boxes["xlabel"].y1 <= main.y0  # below the axes
    assert boxes["ylabel0"].x1 <= min(bb.x0 for bb in boxes["ticklabels0"]) + 1  # left of the ticks
    if len(fig.axes) > 1:  # the secondary axis' label is right of its tick labels, in the figure
        assert boxes["ylabel1"].x0 >= max(bb.x1 for bb in boxes["ticklabels1"]) - 1


@pytest.mark.parametrize("lang", ["both", "en", "zh"])
def test_a_chart_with_a_panel_keeps_every_text_inside_and_apart(lang):
    traj = _engine_traj("rate_total", {2017: -3.0, 2018: -2.0, 2019: -4.0, 2020: -3.5}, comparator="<=",
                        target=-15.0, unit="% since 2016", unit_zh="%(较2016年)", value_unit="% over previous year",
                        name_zh="单位国内生产总值能源消耗(合成)", name_en="Energy consumption per unit of GDP (synthetic)")
    fig = charts.plot_trajectory(traj, lang=lang)
    main, panel = fig.axes
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    width, height = fig.canvas.get_width_height()
    boxes = {"title": main.title.get_window_extent(renderer), "panel_title": panel._left_title.get_window_extent(renderer),
             "legend": fig.legends[0].get_window_extent(renderer), "xlabel": panel.xaxis.label.get_window_extent(renderer),
             "main": main.get_window_extent(renderer), "panel": panel.get_window_extent(renderer),
             "ylabel": main.yaxis.label.get_window_extent(renderer)}
    ticks = [t.get_window_extent(renderer) for a in (main, panel) for t in a.get_yticklabels()
             if t.get_visible() and t.get_text() and a.get_ylim()[0] <= t.get_position()[1] <= a.get_ylim()[1]]
    ticks += [t.get_window_extent(renderer) for t in panel.get_xticklabels() if t.get_text()]
    ticks += [t.get_window_extent(renderer) for t in panel.texts]  # the bars' values
    for bb in [*boxes.values(), *ticks]:
        assert bb.x0 >= 0 and bb.y0 >= 0 and bb.x1 <= width and bb.y1 <= height, bb
    assert boxes["title"].y0 >= boxes["main"].y1 - 1
    assert boxes["main"].y0 >= boxes["panel_title"].y1 - 1 >= boxes["panel_title"].y0 >= boxes["panel"].y1 - 1
    assert boxes["xlabel"].y1 <= boxes["panel"].y0 and boxes["legend"].y1 <= boxes["xlabel"].y0 + 1
    assert not [t for t in main.get_xticklabels() if t.get_visible() and t.get_text()]  # the panel's only


def test_trajectory_margins_are_not_wasteful():
    """Measured margins fit the texts: the axes fill most of the figure's width."""
    fig = charts.plot_trajectory(synthetic_traj(**LEVEL_GE))
    boxes = _drawn_boxes(fig)
    width, _ = fig.canvas.get_width_height()
    assert boxes["axes0"].width / width > 0.8


def test_use_style_restores_settings_a_user_changed_between_charts():
    from helpers import style

    style.use_style()
    matplotlib.rcParams["font.size"] = 20
    matplotlib.rcParams["axes.grid"] = False
    style.use_style()
    assert matplotlib.rcParams["font.size"] == style.STYLE["font.size"]
    assert matplotlib.rcParams["axes.grid"] is True
    fig = charts.plot_trajectory(synthetic_traj(**LEVEL_GE))
    assert fig.axes[0].xaxis.get_label().get_fontsize() == style.STYLE["axes.labelsize"]


@pytest.mark.parametrize("lang", ["zh", "en", "both"])
def test_heatmap_legend_and_labels_stay_inside_the_figure(lang):
    fig = charts.plot_status_heatmap(heatmap_traj(), lang=lang, areas=AREA_LABELS)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    width, height = fig.canvas.get_width_height()
    ax = fig.axes[0]
    boxes = [fig.legends[0].get_window_extent(renderer), ax.title.get_window_extent(renderer)]
    boxes += [t.get_window_extent(renderer) for t in ax.texts]  # area names on the right
    boxes += [t.get_window_extent(renderer) for t in ax.get_yticklabels() if t.get_text()]
    for bb in boxes:
        assert bb.x0 >= 0 and bb.y0 >= 0 and bb.x1 <= width and bb.y1 <= height, bb


def test_dollar_signs_in_names_and_units_are_text_not_mathtext():
    traj = synthetic_traj(**LEVEL_GE)
    traj["name_en"] = r"Spending $5 to $10 $\frac{years$"
    traj["unit"] = "$ per person"
    fig = charts.plot_trajectory(traj, lang="en")
    fig.canvas.draw()  # mathtext would raise on the unbalanced "$\frac{"
    texts = [t.get_text() for t in fig.findobj(match=lambda a: hasattr(a, "get_text"))]
    assert any("Spending $5 to $10" in t for t in texts)
    assert any("$ per person" in t for t in texts)
    plt.close(fig)
