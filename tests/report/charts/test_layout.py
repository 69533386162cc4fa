"""helpers.report.charts.layout: titles wrapped whole, margins measured so that every text lies inside
the figure and apart from the others, and the "no data" note placed where nothing is drawn;
checked after a real draw of the charts of :mod:`helpers.report.charts.plots`.

The synthetic inputs are tests/chart_synthetic.py's.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from helpers.report.charts import plots as charts  # noqa: E402

from helpers import vocab

from chart_synthetic import (AREA_LABELS, GEO_NAMES, LEVEL_GE, NAN, YEARS, cjk_fonts_and_cleanup,  # noqa: E402, F401
                             context_rows, engine_traj, heatmap_traj, legend_texts, synthetic_traj)


# --- titles: wrapped whole, never cut -------------------------------------------------------------------------

def test_long_bilingual_title_is_split_into_chinese_and_english_lines():
    traj = synthetic_traj(**LEVEL_GE, name=("每千常住人口医疗卫生机构床位数", "Hospital beds per 1,000 residents (synthetic)"))
    fig = charts.plot_trajectory(traj, lang="both")
    assert fig.axes[0].get_title() == "每千常住人口医疗卫生机构床位数\nHospital beds per 1,000 residents (synthetic)"


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


# --- the no-data note -----------------------------------------------------------------------------------------

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
        context = context_rows("output", years=YEARS, values=(1.0, 2.0, 3.0, 4.0, 5.0))
    elif case == "benchmark_and_context_everywhere":
        context = context_rows("output", years=[2016, *YEARS], values=(1.0, 5.0, 1.0, 5.0, 1.0, 5.0))
        benchmarks = pd.DataFrame({"indicator_id": "health.synthetic", "geo": "china",
                                   "year": [2016, *YEARS], "value": [5.0, 1.0, 5.0, 1.0, 5.0, 1.0]})
    fig = charts.plot_trajectory(traj, benchmarks=benchmarks, context=context, geo_names=GEO_NAMES)
    assert _note_covers_data(fig) == []


# --- measured margins (trajectory charts lay themselves out, without constrained layout) ----------------------

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
    traj = engine_traj("rate_total", {2017: -3.0, 2018: -2.0, 2019: -4.0, 2020: -3.5}, comparator="<=",
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


@pytest.mark.parametrize("lang", ["zh", "en", "both"])
@pytest.mark.parametrize("case", ["short_names", "a_long_name", "long_names_in_a_long_heatmap"])
def test_heatmap_legend_and_labels_stay_inside_the_figure(lang, case):
    traj = {"short_names": heatmap_traj(), "a_long_name": heatmap_traj(long_name=True),
            # more than HEATMAP_TWO_LINE_ROWS targets: one line per row for the names that fit it
            "long_names_in_a_long_heatmap": heatmap_traj(long_name=True, n_more=charts.HEATMAP_TWO_LINE_ROWS)}[case]
    fig = charts.plot_status_heatmap(traj, lang=lang, areas=AREA_LABELS)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    width, height = fig.canvas.get_width_height()
    ax = fig.axes[0]
    boxes = [fig.legends[0].get_window_extent(renderer), ax.title.get_window_extent(renderer)]
    boxes += [t.get_window_extent(renderer) for t in ax.texts]  # area names on the right
    rows = [t.get_window_extent(renderer) for t in ax.get_yticklabels() if t.get_text()]
    boxes += rows
    for bb in boxes:
        assert bb.x0 >= 0 and bb.y0 >= 0 and bb.x1 <= width and bb.y1 <= height, bb
    # Each row label lies within its own row (so no two overlap), left of the cells.
    (mesh,) = ax.collections
    edges = mesh.get_coordinates()[:, 0, 1]  # rows' y edges, top to bottom
    px = ax.transData.transform(np.column_stack([np.zeros(len(edges)), edges]))[:, 1]
    cells = ax.get_window_extent(renderer)
    assert len(rows) == len(edges) - 1
    for bb, top, bottom in zip(rows, px[:-1], px[1:]):
        assert bottom <= bb.y0 and bb.y1 <= top, (bb, bottom, top)
        assert bb.x1 <= cells.x0
    for upper, lower in zip(rows[:-1], rows[1:]):
        assert lower.y1 < upper.y0


# --- legends inside the image (issue 24: bilingual legends cut at both edges) ---------------------------------

LONG_UNIT = ("人/千人(专业公共卫生机构口径，含疾病预防控制中心)",
             "persons per 1000 residents (specialised public-health institutions, disease control included)")


@pytest.mark.parametrize("lang", ["both", "zh", "en"])
def test_a_long_legend_fits_inside_the_figure_880_px_wide(lang):
    """The report's images are 880 px wide at the figure's dpi (8 in × 110): every legend's window
    extent lies inside the figure's, whatever the labels' length, in each language."""
    traj = synthetic_traj(**LEVEL_GE, unit=LONG_UNIT)
    fig = charts.plot_trajectory(traj, lang=lang)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    width, height = fig.canvas.get_width_height()
    assert width == 880
    for legend in fig.legends:
        bb = legend.get_window_extent(renderer)
        assert bb.x0 >= 0 and bb.x1 <= width and bb.y0 >= 0 and bb.y1 <= height, (lang, bb, width)
    texts = legend_texts(fig)
    target = next(t for t in texts if "2021" in t)
    assert LONG_UNIT[1].split()[0] in target.replace("\n", " ") or lang == "zh"  # nothing left out, only wrapped
    boxes = _drawn_boxes(fig)
    assert boxes["legend"].y1 <= boxes["xlabel"].y0 + 1  # still below the axes


def test_bottom_legend_takes_fewer_columns_then_two_lines_before_leaving_the_figure():
    from helpers.report.charts import layout
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    fig = plt.figure(figsize=(8.0, 4.5), dpi=110)
    labels = [f"中文标签第{i}项，相当长的一段说明文字 / English label number {i}, a rather long description" for i in range(4)]
    handles = [Line2D([], []) for _ in labels]
    legend = layout.bottom_legend(fig, handles, labels, ncols=3)
    fig.canvas.draw()
    bb = legend.get_window_extent(fig.canvas.get_renderer())
    assert 0 <= bb.x0 and bb.x1 <= 880
    assert legend._ncols < 3
    plt.close(fig)
