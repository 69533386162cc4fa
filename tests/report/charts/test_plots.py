"""Chart functions: each returns a Figure that draws exactly the numbers it is given, in the
chosen language; the status heatmap and the area scoreboard; input errors.

The pieces have their own tests: test_chartparts (a target's own series, by kind),
test_chartcontext (benchmark and context lines), test_chartlayout (titles, margins, the "no
data" note). The synthetic inputs are tests/chart_synthetic.py's.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from helpers.report.charts import plots as charts  # noqa: E402

from helpers import vocab
from helpers.report.terms import report_status, report_status_label  # noqa: E402

from chart_synthetic import (AREA_LABELS, CJK, LEVEL_GE, LONG_ROW_NAME, NAN, cjk_fonts_and_cleanup,  # noqa: E402, F401
                             heatmap_traj, legend_texts, line_by_gid, line_by_label, shortfall_years,
                             synthetic_traj)


# --- labels in each language ----------------------------------------------------------------------------------

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


# --- the figure's height --------------------------------------------------------------------------------------

def test_a_chart_with_only_the_target_is_compact_and_one_with_context_is_not():
    empty = synthetic_traj("level", ">=", values=[NAN] * 5, required=[NAN] * 5, baseline=NAN, target=6.0)
    assert charts.plot_trajectory(empty).get_figheight() == charts.COMPACT_HEIGHT
    benchmarks = pd.DataFrame({"indicator_id": "health.synthetic", "geo": "china", "year": [2017, 2019],
                               "value": [5.0, 5.5]})
    full = plt.rcParams["figure.figsize"][1]  # (a legend of more than two rows adds to it)
    assert charts.plot_trajectory(empty, benchmarks=benchmarks).get_figheight() >= full
    assert charts.plot_trajectory(synthetic_traj(**LEVEL_GE)).get_figheight() >= full


# --- trajectory input errors ----------------------------------------------------------------------------------

def test_trajectory_rejects_several_targets_and_missing_columns():
    two = pd.concat([synthetic_traj(**LEVEL_GE), synthetic_traj(**LEVEL_GE, indicator_id="health.other")])
    with pytest.raises(ValueError, match="rows of 2 targets"):
        charts.plot_trajectory(two)
    with pytest.raises(ValueError, match="missing column.*required"):
        charts.plot_trajectory(synthetic_traj(**LEVEL_GE).drop(columns=["required"]))


# --- heatmap --------------------------------------------------------------------------------------------------

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
    ("zh", "各目标逐年状态", "已完成", "不适用"),
    ("en", "Status of every target by year", "met", "not applicable"),
    ("both", "各目标逐年状态 / Status of every target by year", "已完成 / met", "不适用 / not applicable"),
])
def test_heatmap_title_and_legend_in_each_language(lang, title, legend_first, n_a):
    fig = charts.plot_status_heatmap(heatmap_traj(), lang=lang, areas=AREA_LABELS)
    assert fig.axes[0].get_title() == title
    texts = legend_texts(fig)
    assert texts[0] == legend_first and texts[-1] == n_a
    assert texts[:-1] == [vocab.status_label(s, lang) for s in vocab.STATUS_ORDER]
    first = "合成就业乙\nSynthetic jobs B" if lang == "both" else vocab.label(("合成就业乙", "Synthetic jobs B"), lang)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()][0] == first  # bilingual: two lines


@pytest.mark.parametrize("lang", ["both", "en", "zh"])
def test_heatmap_long_row_label_is_shown_in_full_on_more_lines(lang):
    fig = charts.plot_status_heatmap(heatmap_traj(long_name=True), lang=lang, areas=AREA_LABELS)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    lines = labels[1].split("\n")  # health A, after jobs B
    zh, en = LONG_ROW_NAME
    assert not any("…" in label for label in labels)
    if lang == "both":  # the Chinese name, then the English one on two lines
        assert lines[0] == zh and " ".join(lines[1:]) == en and len(lines) == 3
    elif lang == "en":
        assert " ".join(lines) == en and len(lines) == 3
    else:
        assert "".join(lines) == zh and len(lines) == 2
    short = {"both": "合成就业乙\nSynthetic jobs B", "en": "Synthetic jobs B", "zh": "合成就业乙"}[lang]
    assert labels[0] == short  # a name that fits keeps its one line (two when bilingual)
    # Its row grows to hold its lines; the others keep their height.
    (mesh,) = ax.collections
    heights = np.diff(mesh.get_coordinates()[:, 0, 1])
    assert heights[1] > heights[0] * 1.2 and heights[0] == pytest.approx(heights[2])


def test_heatmap_rejects_unknown_status_and_several_geos():
    bad = heatmap_traj().assign(status="great")
    with pytest.raises(ValueError, match="unknown status"):
        charts.plot_status_heatmap(bad, areas=AREA_LABELS)
    two_geos = heatmap_traj().assign(geo=["fuyang", "fuyang", "anhui", "anhui", "anhui"])
    with pytest.raises(ValueError, match="several geos"):
        charts.plot_status_heatmap(two_geos, areas=AREA_LABELS)


# --- scoreboard -----------------------------------------------------------------------------------------------

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


# --- with the engine's own output -----------------------------------------------------------------------------

def test_charts_draw_the_engine_output_unchanged():
    gaps = pytest.importorskip("helpers.method.gaps")
    summaries = pytest.importorskip("helpers.method.summaries")
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

    latest = summaries.latest_status(traj)
    # The scoreboard counts the report statuses, as the tables show them (a value not scored, a
    # final value not yet published: apart from "no data")...
    by_status = report_status(latest).value_counts()
    fig = charts.plot_area_scoreboard(latest, lang="en", areas=AREA_LABELS)
    total = {c.get_label(): sum(p.get_width() for p in c.patches) for c in fig.axes[0].containers}
    assert {k: v for k, v in total.items() if v} == {report_status_label(s, "en"): n for s, n in by_status.items()}
    # ... an area roll-up, which has only the engine's counts, the engine's statuses.
    fig = charts.plot_area_scoreboard(summaries.area_rollup_as_of(traj), lang="en", areas=AREA_LABELS)
    total_rollup = {c.get_label(): sum(p.get_width() for p in c.patches) for c in fig.axes[0].containers}
    by_engine = latest.groupby("status").size()
    assert {k: v for k, v in total_rollup.items() if v} == {vocab.status_label(s, "en"): n for s, n in by_engine.items()}


# --- style and text -------------------------------------------------------------------------------------------

def test_use_style_restores_settings_a_user_changed_between_charts():
    from helpers.report.charts import style

    style.use_style()
    matplotlib.rcParams["font.size"] = 20
    matplotlib.rcParams["axes.grid"] = False
    style.use_style()
    assert matplotlib.rcParams["font.size"] == style.STYLE["font.size"]
    assert matplotlib.rcParams["axes.grid"] is True
    fig = charts.plot_trajectory(synthetic_traj(**LEVEL_GE))
    assert fig.axes[0].xaxis.get_label().get_fontsize() == style.STYLE["axes.labelsize"]


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


# --- issue 23 D3: very long area names and unbroken tokens keep the heatmap whole ---------------

@pytest.mark.parametrize("lang", ["both", "en", "zh"])
def test_heatmap_with_a_very_long_area_name_and_an_unbroken_token_fits_its_figure(lang):
    import warnings

    areas = dict(AREA_LABELS)
    areas["health"] = ("合成卫生领域" * 14, "Synthetic health area with a very long name " * 3)  # ~80 zh, ~130 en
    token = "Synthetic" + "x" * 90  # no space to wrap at
    traj = heatmap_traj().replace({"Synthetic health A": token})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. "constrained_layout not applied" would reach the page
        fig = charts.plot_status_heatmap(traj, lang=lang, areas=areas)
        fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    shown = [t for t in [*ax.get_yticklabels(), *ax.texts] if t.get_text()]
    assert any("x" * 40 in t.get_text() for t in ax.get_yticklabels()) or lang == "zh"
    # the whole token, every letter, is on the chart (wrapped, never cut)
    text = "".join(t.get_text().replace("\n", "") for t in ax.get_yticklabels())
    assert lang == "zh" or token in text
    box = fig.bbox
    for t in shown:  # every label inside the figure: nothing cut at an edge
        ext = t.get_window_extent(renderer)
        assert ext.x0 >= box.x0 - 1 and ext.x1 <= box.x1 + 1, t.get_text()
    plt.close(fig)


# --- a value the engine could not score (issue 24: GDP growth, kind unquantified) ------------------------

def test_scoreboard_and_heatmap_show_a_value_not_scored_apart_from_no_data():
    """A target with a value but status ``no_data`` (unquantified, no baseline...) is "value, not
    scored" in both charts, as in the tables: its own colour and legend entry, never the grey."""
    from helpers.report.terms import NOT_SCORED, REPORT_STATUS_COLOURS

    latest = scoreboard_latest().assign(value=[1.0, 2.0, 3.0, 4.0, NAN, 6.0])
    fig = charts.plot_area_scoreboard(latest, lang="en", areas=AREA_LABELS)
    widths = {c.get_label(): [p.get_width() for p in c.patches] for c in fig.axes[0].containers}
    assert widths["no data"] == [0, 1, 0] and widths[NOT_SCORED[1]] == [0, 1, 0]
    assert legend_texts(fig)[-2:] == [NOT_SCORED[1], "no data"]

    traj = heatmap_traj().assign(value=[1.0, 2.0, 5.0, 6.0, 7.0])  # employment.b 2020: value, no status
    fig = charts.plot_status_heatmap(traj, lang="both", areas=AREA_LABELS)
    fig.canvas.draw()
    (mesh,) = fig.axes[0].collections
    assert to_rgba(REPORT_STATUS_COLOURS["not_scored"]) == tuple(mesh.get_facecolors()[0])
    assert to_rgba(vocab.STATUS_COLOURS["no_data"]) not in [tuple(c) for c in mesh.get_facecolors()]
    assert "有数值，未评分 / value, not scored" in legend_texts(fig)


def test_context_latest_carries_the_report_status_of_an_unquantified_target():
    from helpers.report.params import prepare

    ctx = prepare(plan="china_fyp14")
    gdp = ctx.latest.set_index("indicator_id").loc["I01"]
    assert pd.notna(gdp["value"]) and gdp["status"] == "no_data" and gdp["report_status"] == "not_scored"
