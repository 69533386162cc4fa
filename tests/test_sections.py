"""helpers.sections / helpers.widgets on a synthetic plan: what each report notebook shows,
rendered in-process (no kernel), with hostile text in a name, a note, a source title and URL."""

from __future__ import annotations

import re

import matplotlib
import pytest

matplotlib.use("Agg")

from helpers import narrate, params, sections, widgets  # noqa: E402
from fuyang_plan import AREAS
from nb_synthetic import write_synthetic_project  # noqa: E402


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
        # the widgets' HTML
        widgets.area_view(ctx, "health", "cagr")[0], widgets.indicator_view(ctx, ind, "linear")[0],
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
    # Every <a> is an http(s) link opened safely.
    for tag in re.findall(r"<a [^>]*>", html):
        assert re.match(r'<a href="https?://[^"]*" target="_blank" rel="noopener noreferrer">', tag), tag


def test_sections_content_on_synthetic_plan(hostile_ctx):
    ctx = hostile_ctx
    # Health: one target, beds 4.0 (2016) -> 5.4 (2020), target >= 6 by 2021.
    # linear: progress (5.4-4)/(6-4)=0.7, expected share 4/5=0.8, r=0.875 -> moderate.
    beds = ctx.latest.set_index("indicator_id").loc["health.beds_per_1000"]
    assert (int(beds["year"]), beds["status"]) == (2020, "moderate")
    assert beds["gap"] == pytest.approx(0.6)
    text = sections.area_key_text(ctx, "health")
    assert text.splitlines()[1].split() == ["health.beds_per_1000", "2020", "5.4", "moderate", "0.6", "0.7"]
    intro = sections.area_intro_html(ctx, "health")
    assert "0 of 1 targets achieved by 2021 (1 moderate progress)." in intro
    # Gap by year, both methods: 2017..2021, 2021 has no value.
    gap = sections.indicator_gap_html(ctx, "health.beds_per_1000")
    rows = re.findall(r"<tr>(.*?)</tr>", gap)[1:]
    assert [re.findall(r"<td[^>]*>(.*?)</td>", r)[0] for r in rows] == ["2017", "2018", "2019", "2020", "2021"]
    last = re.findall(r"<td[^>]*>(.*?)</td>", rows[-1])
    assert last[1:5] == ["—", "6", "—", "—"]  # no value: value, gap, progress missing; required 6
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
    rows = re.findall(r"<tr>(.*?)</tr>", html)[1:]
    assert len(rows) == 6
    assert sum("ref.income_per_capita" in r for r in rows) == 3
    assert all("<a href=" in r for r in rows)


def test_widget_views_follow_area_and_method(hostile_ctx):
    html, figs = widgets.area_view(hostile_ctx, "employment", "linear")
    assert len(figs) == 3  # one chart per employment target
    assert "就业与收入 / Jobs and income" in html
    png = widgets.figure_png(figs[0])
    assert png.startswith(b"\x89PNG")
    for f in figs[1:]:
        widgets.figure_png(f)
    html_c, figs_c = widgets.indicator_view(hostile_ctx, "infrastructure.rural_roads", "cagr")
    assert len(figs_c) == 1
    widgets.figure_png(figs_c[0])
    assert "Status (linear)" in html_c  # the chosen method's statuses in the table


def test_explore_skipped_when_not_interactive(hostile_ctx):
    assert widgets.explore(False, widgets.area_explorer, hostile_ctx, "health") is None


def test_explorer_widget_redraws(hostile_ctx):
    pytest.importorskip("ipywidgets")
    box = widgets.area_explorer(hostile_ctx, "health")
    (dd, buttons), text, charts = box.children[0].children, box.children[1], box.children[2]
    assert dd.value == "health" and [o[1] for o in dd.options] == [a for a in AREAS]
    assert "Hospital beds" in text.value or "Beds" in text.value
    assert len(charts.children) == 1
    dd.value = "employment"
    assert "Jobs and income" in text.value and len(charts.children) == 3
    buttons.value = "cagr"
    assert buttons.value == "cagr" and len(charts.children) == 3


def test_footer_states_method_sources_versions_and_as_of(hostile_ctx):
    footer = sections.footer_html(hostile_ctx)
    n_rows = len(hostile_ctx.statistics)
    assert f"{n_rows} values with a source (of {n_rows} rows)" in footer
    assert "<strong>数据截至 / Data as of</strong>: 2021" in footer
    assert "<code>statistics.csv</code>" in footer or "data/raw/synthetic/statistics.csv" in footer
    assert narrate.METHOD_TEXT["linear"][1] in footer


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
    assert "<tbody></tbody>" in table
    assert sections.area_key_text(ctx, "culture").endswith("targets=0: achieved=0, on_track=0, moderate=0, "
                                                           "insufficient=0, regressing=0, no_data=0")


def test_related_statistics_are_the_rows_of_related_ids_in_file_order(hostile_ctx):
    """The grouped lookup the charts use gives exactly the rows narrate.related_ids names."""
    ctx = hostile_ctx
    ids = ctx.targets["id"].astype(str).tolist()
    with_rows = 0
    for ind in ids:
        expected = ctx.statistics[ctx.statistics["indicator_id"].isin(
            narrate.related_ids(ind, ctx.targets, ctx.statistics))]
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
