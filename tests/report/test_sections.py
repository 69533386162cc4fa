"""helpers.report.sections / helpers.report.widgets on a synthetic plan: what each report notebook shows,
rendered in-process (no kernel), with hostile text in a name, a note, a source title and URL."""

from __future__ import annotations

import re

import matplotlib
import pytest

matplotlib.use("Agg")

from helpers.report import htmltext, params, sections, tables, widgets  # noqa: E402
from fuyang_plan import AREAS
from nb_synthetic import write_synthetic_project  # noqa: E402
from report_samples import table_head, table_rows  # noqa: E402


@pytest.fixture(scope="module")
def hostile_ctx(tmp_path_factory):
    root = write_synthetic_project(tmp_path_factory.mktemp("hostile"), hostile=True)
    return params.prepare(targets_path=root / "data/raw/synthetic/targets.csv",
                          statistics_path=root / "data/raw/synthetic/statistics.csv")


def notebook_equivalent_html(ctx) -> str:
    """Every HTML the four notebooks display, in their order (charts excluded)."""
    ind = "health.beds_per_1000"
    parts = [
        # 01_overview
        sections.title_html(ctx, "规划总览", "Plan overview"), sections.overview_status_html(ctx),
        sections.coverage_html(ctx), sections.findings_html(ctx),
        # 02_area (the hostile target's area)
        sections.area_title_html(ctx, "health"), sections.area_intro_html(ctx, "health"),
        sections.area_table_html(ctx, "health"),
        # 03_indicator
        sections.indicator_info_html(ctx, ind), sections.indicator_gap_html(ctx, ind),
        sections.indicator_projection_html(ctx, ind), sections.indicator_sources_html(ctx, ind),
        # 04_data_coverage
        sections.coverage_intro_html(ctx), sections.coverage_html(ctx, per_target=True),
        sections.footer_html(ctx),
        # the frames shown as tables, the no-data list
        sections.status_styler(ctx, sections.status_frame(ctx)).to_html(),
        sections.by_year_styler(ctx, sections.by_year_frame(ctx, ind)).to_html(),
        sections.no_data_html(ctx), sections.no_data_html(ctx, "health", fold=True),
        # the widgets' HTML
        widgets.target_view(ctx, ind, "cagr")[0], widgets.indicator_view(ctx, ind, "linear")[0],
    ]
    return "\n".join(parts)


def test_hostile_text_is_escaped_everywhere(hostile_ctx):
    html = notebook_equivalent_html(hostile_ctx)
    low = html.lower()
    assert "<script" not in low and "<img" not in low and "onerror=alert(1)>" not in low
    assert 'href="javascript' not in low
    # Each payload is there, escaped: name (zh and en), note, source title, URL.
    assert "Beds &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "床位 &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "synthetic &quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    assert "Bulletin &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="https://example.org/x?a=&quot;&gt;&lt;img/src=x/onerror=alert(1)&gt;"' in html
    # Every <a> is an http(s) link opened safely, or a value's link to its row of the set's
    # sources page (an anchor of URL-safe characters only).
    for tag in re.findall(r"<a [^>]*>", html):
        assert (re.match(r'<a href="https?://[^"]*" target="_blank" rel="noopener noreferrer">', tag)
                or re.fullmatch(r'<a class="value-source" href="sources\.html#v-[A-Za-z0-9_.~-]+">', tag)), tag


def test_sections_content_on_synthetic_plan(hostile_ctx):
    ctx = hostile_ctx
    # Health: one target, beds 4.0 (2016) -> 5.4 (2020), target >= 6 by 2021.
    # linear: progress (5.4-4)/(6-4)=0.7, expected share 4/5=0.8, r=0.875 -> moderate in 2020.
    # As of 2021 (the target year) there is no 2021 value: final value not yet published, the 2020
    # status beside it, marked as older than the as-of year (issue 21), never "moderate progress".
    beds = ctx.latest.set_index("indicator_id").loc["health.beds_per_1000"]
    assert (int(beds["year"]), beds["status"], beds["status_of_year"]) == (2020, "no_data", "moderate")
    assert beds["final_pending"] and beds["stale"]
    assert beds["gap"] == pytest.approx(0.6)
    # The key figures say what the tables say (the report status), not the engine's no_data.
    text = sections.area_key_text(ctx, "health")
    assert text.splitlines()[1].split() == ["health.beds_per_1000", "2020", "5.4", "final_pending", "0.6", "0.7"]
    intro = sections.area_intro_html(ctx, "health")
    assert "Health: none of the 1 targets can be scored for Fuyang up to 2021: 1 final value not yet published." in intro
    row = sections.status_frame(ctx).set_index("id").loc["health.beds_per_1000"]
    assert (row["status"], row["status_detail"]) == ("final_pending", "最近：进展一般（2020年） / latest: moderate progress (2020)")
    # Gap by year, both methods: 2017..2021, 2021 has no value.
    gap = sections.indicator_gap_html(ctx, "health.beds_per_1000")
    assert table_head(gap)[:6] == ["年份 / Year", "实际值 / Value", "应达值 / Required", "距目标 / Gap to target",
                                   "距应达路径 / Gap to path", "进度 / Progress"]
    rows = table_rows(gap)
    assert [r[0] for r in rows] == ["2017", "2018", "2019", "2020", "2021"]
    assert rows[-1][1:6] == ["—", "6", "—", "—", "—"]  # no value: value, gaps, progress missing; required 6
    # 2020: 5.4 against 5.6 required (4 + 2·4/5): 0.2 behind the path, 0.6 short of the target
    assert rows[-2][1:5] == ["5.4", "5.6", "0.6", "0.2"]
    key = sections.indicator_key_text(ctx, "health.beds_per_1000").splitlines()
    assert key[0].split() == ["year", "value", "required", "gap", "status", "status_cagr"]
    assert key[-1].split() == ["2021", "—", "6", "—", "no_data", "no_data"]
    # Coverage: culture and ecology have no own values; context rows are not counted.
    cov = sections.coverage_key_text(ctx).splitlines()
    culture = next(line for line in cov if line.startswith("culture"))
    assert culture.split() == ["culture", "1", "1", "0", "1", "0", "6"]  # baseline_value given: 0


def test_indicator_sources_list_every_value(hostile_ctx):
    html = sections.indicator_sources_html(hostile_ctx, "employment.income_relative")
    # The relative target's own values (3) and its reference series (3), each with a link.
    rows = ["".join(r) for r in table_rows(html)]
    assert len(rows) == 6
    assert sum("ref.income_per_capita" in r for r in rows) == 3
    assert all("<a href=" in r for r in rows)


def test_widget_view_follows_target_and_method(hostile_ctx):
    html, fig = widgets.target_view(hostile_ctx, "health.beds_per_1000", "linear")
    assert "Hospital beds" in html or "Beds" in html
    assert "Gap to target" in html and "Gap to path" in html
    png = widgets.figure_png(fig)
    assert png.startswith(b"\x89PNG")
    html_c, figs_c = widgets.indicator_view(hostile_ctx, "infrastructure.rural_roads", "cagr")
    assert len(figs_c) == 1
    widgets.figure_png(figs_c[0])


def test_explore_skipped_when_not_interactive(hostile_ctx):
    assert widgets.explore(False, widgets.target_explorer, hostile_ctx, "health") is None


def test_explorer_redraws_one_chart_for_the_chosen_target(hostile_ctx):
    pytest.importorskip("ipywidgets")
    box = widgets.target_explorer(hostile_ctx, "employment")
    (dd, buttons), text, image = box.children[0].children, box.children[1], box.children[2]
    assert [o[1] for o in dd.options] == sections.area_ids(hostile_ctx, "employment")
    assert dd.value == "employment.new_urban_jobs"
    first = bytes(image.value)
    assert first.startswith(b"\x89PNG") and "New urban jobs" in text.value
    dd.value = "employment.unemployment_rate"
    assert "Registered unemployment rate" in text.value and bytes(image.value) != first
    buttons.value = "cagr"
    assert buttons.value == "cagr" and bytes(image.value).startswith(b"\x89PNG")
    # one chart, redrawn in place: the box never grows
    assert len(box.children) == 3
    # the control row wraps instead of overflowing a 1280-px window; the buttons fit their labels
    assert box.children[0].layout.flex_flow == "row wrap" and buttons.style.button_width == "auto"


def test_explorer_with_an_area_dropdown_refills_the_targets(hostile_ctx):
    pytest.importorskip("ipywidgets")
    box = widgets.target_explorer(hostile_ctx, "health", choose_area=True)
    area, dd, buttons = box.children[0].children
    assert area.value == "health" and dd.value == "health.beds_per_1000"
    assert [o[1] for o in area.options] == hostile_ctx.plan.areas_in_use()
    area.value = "employment"
    assert [o[1] for o in dd.options] == sections.area_ids(hostile_ctx, "employment")
    assert "New urban jobs" in box.children[1].value
    # an area whose first target has nothing to draw starts on one that has
    area.value = "ecology"
    assert dd.value == "ecology.good_air_days"  # the only target: it is shown all the same


def test_status_frame_and_no_data_frame_split_the_targets(hostile_ctx):
    ctx = hostile_ctx
    table = sections.status_frame(ctx)
    assert table["id"].tolist() == ctx.targets["id"].astype(str).tolist()
    known = sections.known(table)
    missing = sections.no_data_frame(ctx)
    # every target is in exactly one of the two
    assert sorted(known["id"].tolist() + missing["id"].tolist()) == sorted(table["id"])
    assert set(known["id"]).isdisjoint(missing["id"])
    assert missing["id"].tolist() == ["culture.beneficiaries", "ecology.good_air_days"]
    # achieved targets show no anticipated progress, nor any once the target year has passed
    # (as of 2021, the target year); as of 2020 an open target with a projection does
    assert table.loc[table["status"] == "achieved", "anticipated_progress"].isna().all()
    assert table["anticipated_progress"].isna().all()
    from helpers.method import summaries
    from helpers.report import frames
    table = frames.status_frame(summaries.latest_status(ctx.trajectory, 2020), ctx.targets)
    beds = table.set_index("id").loc["health.beds_per_1000"]
    assert beds["anticipated_progress"] == pytest.approx(0.855)
    assert beds["gap_to_target"] == pytest.approx(0.6) and beds["gap_to_path"] == pytest.approx(0.2)
    html = sections.area_table_html(ctx, "health")
    assert "Gap to target" in html and "Gap to path" in html and "Anticipated progress" not in html
    assert "About the status" in html and "latest: moderate progress (2020)" in html
    html = sections.status_styler(ctx, table[table["area"] == "health"]).to_html()
    assert "Anticipated progress" in html
    assert "anticipated progress: the progress the linear trend" in tables.status_help(table)  # explained where shown
    achieved_only = sections.status_styler(ctx, table[table["status"] == "achieved"]).to_html()
    assert "Anticipated progress" not in achieved_only  # nothing to say: no column


def test_compact_no_data_list_lists_each_target_without_data_once(hostile_ctx):
    ctx = hostile_ctx
    html = sections.no_data_html(ctx)
    rows = table_rows(html)
    assert len(rows) == 2
    assert any(h.endswith("Values that would score it") for h in table_head(html))
    assert html.count("Cultural beneficiaries") == 1 and html.count("Good-air days share") == 1
    assert "any year 2017–2021 (10k person-times)" in html
    assert "2016 (baseline) and any year 2017–2021 (%)" in html
    assert "context 2018–2019" in html and ":performances" not in html  # no internal key
    folded = sections.no_data_html(ctx, fold=True)
    assert "<details><summary>展开2项无数据的目标 / Show the 2 targets without data</summary>" in folded


def test_charts_only_for_targets_with_something_to_draw(hostile_ctx):
    ctx = hostile_ctx
    assert sections.chart_ids(ctx, "ecology") == []  # no value anywhere: no empty chart
    assert sections.chart_ids(ctx, "culture") == ["culture.beneficiaries"]  # a context series
    assert sections.chart_ids(ctx, "health") == ["health.beds_per_1000"]
    assert "nothing to draw" in sections.charts_heading_html(ctx, "ecology")
    assert sections.ids_with_value(ctx) == [i for i in ctx.targets["id"]
                                            if i not in ("culture.beneficiaries", "ecology.good_air_days")]
    fig = sections.heatmap_figure(ctx, sections.ids_with_value(ctx))
    assert fig is not None
    import matplotlib.pyplot as plt
    plt.close(fig)
    assert sections.heatmap_figure(ctx, []) is None
    assert "Only the 9 targets with a value in some year are drawn (of 11)" in \
        sections.heatmap_heading_html(ctx, sections.ids_with_value(ctx))


def test_footer_states_method_sources_versions_and_as_of(hostile_ctx):
    footer = sections.footer_html(hostile_ctx)
    n_rows = len(hostile_ctx.statistics)
    assert f"{n_rows} values with a source (of {n_rows} rows)" in footer
    assert "<strong>数据截至 / Data as of</strong>: 2021" in footer
    assert "<code>statistics.csv</code>" in footer or "data/raw/synthetic/statistics.csv" in footer
    assert htmltext.METHOD_TEXT["linear"][1] in footer


def test_area_without_targets_says_so(tmp_path):
    from nb_synthetic import synthetic_statistics, synthetic_targets

    root = write_synthetic_project(tmp_path)
    raw = root / "data" / "raw" / "synthetic"
    t = synthetic_targets()
    t[t["area"] != "culture"].to_csv(raw / "targets.csv", index=False)
    s = synthetic_statistics()
    s[~s["indicator_id"].str.startswith("culture")].to_csv(raw / "statistics.csv", index=False)
    ctx = params.prepare(targets_path=raw / "targets.csv", statistics_path=raw / "statistics.csv",
                         area="culture", lang="en")
    assert "Culture has no quantitative targets." in sections.area_intro_html(ctx, "culture")
    table = sections.area_table_html(ctx, "culture")
    assert "There are no targets here." in table and "<table" not in table
    assert sections.area_key_text(ctx, "culture").endswith("targets=0: met=0, achieved=0, on_track=0, moderate=0, "
                                                           "insufficient=0, regressing=0, not_met=0, final_pending=0, "
                                                           "not_scored=0, no_data=0")


def test_related_statistics_are_the_rows_of_related_ids_in_file_order(hostile_ctx):
    """The grouped lookup the charts use gives exactly the rows tables.related_ids names."""
    ctx = hostile_ctx
    ids = ctx.targets["id"].astype(str).tolist()
    with_rows = 0
    for ind in ids:
        expected = ctx.statistics[ctx.statistics["indicator_id"].isin(
            tables.related_ids(ind, ctx.targets, ctx.statistics))]
        got = sections.related_statistics(ctx, ind)
        assert got.index.tolist() == expected.index.tolist(), ind
        with_rows += len(got) > 0
    assert with_rows >= 3  # the synthetic plan has own, context and reference rows
    relative = ctx.targets.loc[ctx.targets["reference_id"].notna(), "id"].astype(str)
    assert len(relative) and any(
        sections.related_statistics(ctx, ind)["indicator_id"].astype(str).str.startswith("ref.").any()
        for ind in relative)


def test_target_rows_are_one_targets_years_in_order(hostile_ctx):
    ctx = hostile_ctx
    for ind in ctx.targets["id"].astype(str):
        rows = sections.target_rows(ctx, ind)
        assert set(rows["indicator_id"].astype(str)) == {ind}
        assert rows["year"].is_monotonic_increasing
        assert len(rows) == int((ctx.trajectory["indicator_id"] == ind).sum())


def test_coverage_by_target_leads_with_targets_that_have_a_value_and_folds_the_rest():
    ctx = params.prepare(plan="fuyang", charts=False)  # the shipped plan: 78 targets, few values
    html = sections.coverage_html(ctx, per_target=True)
    cov = ctx.coverage()[0]
    valued = set(ctx.statistics.loc[ctx.statistics["value"].notna(), "indicator_id"].astype(str)
                 .str.split(":", n=1).str[0])
    n_some = int(cov["id"].isin(valued).sum())
    n_rest = len(cov) - n_some
    assert 0 < n_some < len(cov) and n_rest > sections.FOLD_ROWS
    shown, folded = html.split("<details>", 1)
    tables_shown = shown.split("<table")[1:]
    assert len(table_rows(tables_shown[-1])) == n_some  # the per-target table before the fold
    assert f"The {n_rest} targets below have no value at all" in shown
    assert len(table_rows(folded)) == n_rest and folded.rstrip().endswith("</details>")
    # no target is dropped
    for name in cov["name_en"]:
        assert htmltext.esc(name) in html


def test_every_value_of_a_plan_is_linked_from_some_area_page():
    """Issue 24: every statistics value (117 for the 14th plan, 89 for Fuyang) is linked from the
    area page of a target it belongs to, to its row on the set's sources page."""
    import re

    from helpers.report import params, provenance

    for plan, n in (("china_fyp14", 117), ("fuyang", 89)):
        ctx = params.prepare(plan=plan, charts=False)
        linked = set()
        for area in ctx.plan.areas_in_use():
            linked |= set(re.findall(r'href="sources\.html#([^"]+)"', sections.area_values_html(ctx, area)))
        values = {provenance.source_anchor(i, g, y) for i, g, y in
                  zip(ctx.statistics["indicator_id"], ctx.statistics["geo"], ctx.statistics["year"])}
        assert len(values) == n and values <= linked, sorted(values - linked)[:5]
    ctx = params.prepare(plan="china_fyp15", charts=False)  # a plan in waiting: no figure yet
    ctx.plan.statistics = ctx.plan.statistics.iloc[0:0]
    assert sections.area_values_html(ctx, ctx.plan.areas_in_use()[0]) == ""
