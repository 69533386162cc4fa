"""The sections of the report notebooks, composed from the engine, the charts and :mod:`narrate`.

Each notebook cell calls one function here, so the notebooks stay thin and the static cells and
the interactive widgets (:mod:`helpers.widgets`) draw exactly the same thing. Functions named
``*_html`` return an HTML string (data-derived text escaped by :mod:`helpers.narrate`); functions
named ``show_*`` display into the current notebook output.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from helpers import narrate
from helpers.narrate import esc, heading, t
from helpers.params import Context
from helpers.vocab import KINDS, METHOD_LABELS, label

if TYPE_CHECKING:  # matplotlib is imported by the chart functions themselves
    from matplotlib.figure import Figure

#: Target columns the charts and tables use when the engine's table does not carry them.
_TARGET_EXTRA = ("area", "name_zh", "name_en", "unit", "unit_zh", "kind", "comparator", "target",
                 "target_hi", "tolerance", "baseline_year", "target_year", "reference_id")


def jurisdiction(ctx: Context) -> tuple[str, str]:
    """(中文, English) name of the scored geo, from plan.json's ``geos`` (the key when unlabelled)."""
    return ctx.plan.geo_pair(ctx.geo)


def target_rows(ctx: Context, indicator_id: str, method: str | None = None) -> pd.DataFrame:
    """The trajectory rows of one target (years b+1..T), with the target's own columns added
    where the engine's table lacks them."""
    method = method or ctx.method
    traj = ctx.trajectory_for(method)
    by_id = ctx.cached(("rows_by_indicator", method),
                       lambda: {str(k): g for k, g in traj.groupby("indicator_id", sort=False)})
    rows = by_id.get(indicator_id, traj.iloc[:0]).sort_values("year")
    extra = [c for c in _TARGET_EXTRA if c not in rows.columns and c in ctx.targets.columns]
    if extra:
        info = ctx.targets.loc[ctx.targets["id"] == indicator_id, extra].iloc[0]
        rows = rows.assign(**{c: info[c] for c in extra})
    return rows.reset_index(drop=True)


def area_ids(ctx: Context, area: str) -> list[str]:
    """Target ids of ``area`` in the targets table's order."""
    return ctx.targets.loc[ctx.targets["area"] == area, "id"].astype(str).tolist()


def trajectory_figure(ctx: Context, indicator_id: str, method: str | None = None) -> Figure:
    """Trajectory chart of one target with benchmark lines and context series (labelled by
    their ``label_zh``/``label_en`` when the statistics have them). The target's ``value_unit``
    goes with the rows: it is the unit of a running kind's yearly figures."""
    from helpers import charts

    rows = target_rows(ctx, indicator_id, method)
    if "value_unit" not in rows.columns and "value_unit" in ctx.targets.columns:
        unit = ctx.targets.loc[ctx.targets["id"] == indicator_id, "value_unit"]
        rows = rows.assign(value_unit=unit.iloc[0] if len(unit) else pd.NA)
    stats = related_statistics(ctx, indicator_id)
    return charts.plot_trajectory(rows, benchmarks=stats, context=stats, lang=ctx.chart_lang,
                                  geo_names=ctx.plan.geo_label)


def related_statistics(ctx: Context, indicator_id: str) -> pd.DataFrame:
    """The statistics rows of :func:`helpers.narrate.related_ids` (the target's own series, its
    context series ``<id>:<suffix>`` and its reference series), in file order. The statistics are
    grouped by base id once per context, so an area's charts do not each scan the whole table."""
    def by_base():
        ids = ctx.statistics["indicator_id"].astype("string")
        base = ids.str.split(":", n=1).str[0]
        return {str(k): g for k, g in ctx.statistics.groupby(base, sort=False)}

    groups = ctx.cached("statistics_by_base_id", by_base)
    refs = ctx.targets.loc[ctx.targets["id"] == indicator_id, "reference_id"].dropna().astype(str)
    parts = [groups[indicator_id]] if indicator_id in groups else []
    parts += [groups[r][groups[r]["indicator_id"] == r] for r in dict.fromkeys(refs) if r in groups]
    if not parts:
        return ctx.statistics.iloc[:0].copy()
    # A copy: the groups are shared by every chart of the context.
    return pd.concat(parts).sort_index() if len(parts) > 1 else parts[0].copy()


# --------------------------------------------------------------------------- titles

def title_html(ctx: Context, zh: str, en: str) -> str:
    """Notebook title plus one line: plan, scored jurisdiction, method, data as-of year. An
    optional key plan.json lacks (document number, one of the titles) leaves nothing behind."""
    plan = ctx.plan
    jz, je = jurisdiction(ctx)
    doc = esc(plan.text("document_number"))
    tz, te = (esc(x) for x in plan.title_pair())
    mz, me = METHOD_LABELS.get(ctx.method, (ctx.method, ctx.method))
    nd = "" if ctx.has_data else f"（{narrate.NO_DATA[0]}）"
    nd_en = "" if ctx.has_data else f" ({narrate.NO_DATA[1]})"
    sub = narrate.paragraphs(
        f"《{tz}》{doc} — {esc(jz)}；方法：{esc(mz)}；数据截至{ctx.as_of}年{nd}。",
        f"{te}{f' ({doc})' if doc else ''} — {esc(je)}; method: {esc(me)}; data as of {ctx.as_of}{nd_en}.",
        ctx.lang)
    return heading(zh, en, ctx.lang, level=1) + sub


def area_title_html(ctx: Context, area: str) -> str:
    zh, en = ctx.plan.area_pair(area)
    return title_html(ctx, zh, en)


# --------------------------------------------------------------------------- 01 overview

def overview_status_html(ctx: Context) -> str:
    return (heading("各目标状态", "Status of every target", ctx.lang)
            + narrate.paragraphs(
                f"每项目标取截至{ctx.as_of}年最近一个有数据的年份（见“数据年份”列）；“—”表示{narrate.NO_DATA[0]}。",
                f"Each target is shown as of its latest year with data up to {ctx.as_of} (column "
                "'Year of data'); '—' means no data.", ctx.lang)
            + narrate.status_table(ctx.latest, ctx.targets, ctx.lang, with_area=True, plan=ctx.plan))


def findings_html(ctx: Context) -> str:
    bench = narrate.benchmark_only_ids(ctx.targets, ctx.statistics, ctx.geo)
    return (heading("主要发现", "Key findings", ctx.lang)
            + narrate.overview_findings(ctx.latest, ctx.as_of, jurisdiction(ctx), ctx.lang, bench, plan=ctx.plan))


def coverage_html(ctx: Context, per_target: bool = False) -> str:
    """Coverage per area (and per target with its sources when ``per_target``)."""
    cov_t, cov_a = ctx.coverage()
    out = heading("数据覆盖（按领域）", "Data coverage by area", ctx.lang) + narrate.coverage_area_table(cov_a, ctx.lang, plan=ctx.plan)
    if per_target:
        out += (heading("数据覆盖（按目标）与来源", "Data coverage by target, with sources", ctx.lang)
                + narrate.coverage_target_table(cov_t, ctx.targets, ctx.statistics, ctx.geo, ctx.lang,
                                                  plan=ctx.plan))
    return out


def coverage_intro_html(ctx: Context) -> str:
    """What the coverage notebook counts, and that a missing value is shown as missing."""
    jz, je = (esc(s) for s in jurisdiction(ctx))
    return narrate.paragraphs(
        f"下表统计每个领域、每项目标在{jz}有多少年份有数值（基期至目标年），缺失的年份即{narrate.NO_DATA[0]}，"
        "不按0计、不插值。对照地区与参考序列只作背景，不计入覆盖。",
        f"The tables count, per area and per target, how many years from the baseline to the target "
        f"year have a value for {je}; a missing year is shown as missing (no data), never as 0 and "
        "never interpolated. Benchmark geos and context series are background and are not counted.",
        ctx.lang)


def coverage_key_text(ctx: Context) -> str:
    """Plain-text coverage counts per area (for a check cell)."""
    cov = ctx.coverage()[1]
    cols = ["area", "targets", "with_baseline", "with_progress", "no_data", "years_filled", "years_possible"]
    return narrate.plain_table(cov[cols].reset_index(drop=True))


# --------------------------------------------------------------------------- 02 area

def area_intro_html(ctx: Context, area: str, method: str | None = None) -> str:
    """Heading "Summary" and the generated narrative of the area."""
    latest = ctx.latest if method in (None, ctx.method) else ctx.latest_for(method)
    bench = narrate.benchmark_only_ids(ctx.targets, ctx.statistics, ctx.geo)
    return (heading("概况", "Summary", ctx.lang)
            + narrate.area_narrative(latest, area, ctx.as_of, jurisdiction(ctx), ctx.lang, bench, plan=ctx.plan))


def area_table_html(ctx: Context, area: str, method: str | None = None) -> str:
    latest = ctx.latest if method in (None, ctx.method) else ctx.latest_for(method)
    rows = latest[latest["area"] == area]
    return (heading("差距与状态", "Gaps and statuses", ctx.lang)
            + narrate.status_table(rows, ctx.targets, ctx.lang))


def show_area_charts(ctx: Context, area: str, method: str | None = None) -> None:
    """A heading, then one trajectory chart per target of ``area``."""
    narrate.show(heading("各目标轨迹", "Trajectory of each target", ctx.lang))
    for ind in area_ids(ctx, area):
        narrate.show_figure(trajectory_figure(ctx, ind, method))


def area_key_text(ctx: Context, area: str) -> str:
    rows = ctx.latest[ctx.latest["area"] == area]
    return narrate.key_figures_text(rows, with_area=False)


# --------------------------------------------------------------------------- 03 indicator

def indicator_info_html(ctx: Context, indicator_id: str) -> str:
    """Title (the target's name, plan, jurisdiction, as-of year), then what the target is: id,
    area, target value and year, kind, baseline year, lead agency, the plan's clause and the
    reading note (all escaped), then its status in words."""
    r = ctx.targets.loc[ctx.targets["id"] == indicator_id].iloc[0]
    tgt = narrate.target_text(r["comparator"], r["target"], r.get("target_hi"), r.get("tolerance"), r["unit"])
    info = pd.DataFrame({
        t("项目", "Item", ctx.lang): [
            t("编号", "Id", ctx.lang), t("领域", "Area", ctx.lang), t("目标值", "Target", ctx.lang),
            t("目标年份", "Target year", ctx.lang), t("基期年份", "Baseline year", ctx.lang),
            t("类型", "Kind", ctx.lang), t("参照序列", "Reference series", ctx.lang),
            t("牵头单位", "Lead agency", ctx.lang), t("规划原文", "Plan clause", ctx.lang),
            t("说明", "Note", ctx.lang)],
        t("内容", "Value", ctx.lang): [
            indicator_id, ctx.plan.area_label(str(r["area"]), ctx.lang), tgt, narrate.fmt_year(r["target_year"]),
            narrate.fmt_year(r["baseline_year"]), label(KINDS.get(str(r["kind"]), (r["kind"], r["kind"])), ctx.lang),
            r.get("reference_id"), r.get("lead_agency"), r.get("source_ref"), r.get("note")],
    })
    return (title_html(ctx, str(r["name_zh"]), str(r["name_en"])) + narrate.html_table(info)
            + narrate.indicator_summary(ctx.latest, ctx.statistics, indicator_id, ctx.as_of,
                                        ctx.geo, jurisdiction(ctx), ctx.lang, plan=ctx.plan))


def indicator_gap_html(ctx: Context, indicator_id: str) -> str:
    """Gap by year with the linear and cagr methods side by side."""
    lin = target_rows(ctx, indicator_id, "linear")
    cagr = target_rows(ctx, indicator_id, "cagr")
    note = narrate.paragraphs(
        "“线性”：进度与应达份额之比；“复合增速”：实际年均复合增速与所需增速之比（仅适用于正值，否则为不适用）。"
        f"“—”表示{narrate.NO_DATA[0]}。",
        "'linear': progress over the expected share; 'cagr': actual over required compound annual "
        "growth rate (positive values only, otherwise not applicable). '—' means no data.", ctx.lang)
    return (heading("逐年差距（两种方法）", "Gap by year, both methods", ctx.lang) + note
            + narrate.gap_by_year_table(lin, cagr, ctx.lang))


def indicator_projection_html(ctx: Context, indicator_id: str, method: str | None = None) -> str:
    rows = target_rows(ctx, indicator_id, method)
    row = rows.iloc[-1] if len(rows) else pd.Series(dtype=object)
    return heading("预测", "Projection", ctx.lang) + narrate.projection_sentence(row, ctx.lang)


def indicator_sources_html(ctx: Context, indicator_id: str) -> str:
    ids = narrate.related_ids(indicator_id, ctx.targets, ctx.statistics)
    note = narrate.paragraphs(
        "本目标的全部数值及其来源：本地区数值计分；省级、全国为对照；带“:”后缀的为口径不同的参考序列，不计分。",
        "Every value behind this target with its source: the jurisdiction's own values are scored; "
        "provincial and national values are benchmarks; series with a ':' suffix are context "
        "(a different measure), never scored.", ctx.lang)
    return (heading("数据来源", "Sources of every value", ctx.lang) + note
            + narrate.sources_table(ctx.statistics, ids, ctx.lang, jurisdiction=ctx.geo, plan=ctx.plan))


def indicator_key_text(ctx: Context, indicator_id: str) -> str:
    """Plain text: per year value, required, gap, linear status, cagr status."""
    lin = target_rows(ctx, indicator_id, "linear")
    cagr = target_rows(ctx, indicator_id, "cagr")[["year", "status"]].rename(columns={"status": "status_cagr"})
    d = lin[["year", "value", "required", "gap", "status"]].merge(cagr, on="year", how="left")
    d["year"] = d["year"].map(narrate.fmt_year)
    for c in ("value", "required", "gap"):
        d[c] = d[c].astype("float64")
    return narrate.plain_table(d)


# --------------------------------------------------------------------------- footer

def footer_html(ctx: Context) -> str:
    return narrate.report_footer(ctx.meta, ctx.as_of, ctx.method, ctx.statistics_path,
                                 statistics=ctx.statistics, lang=ctx.lang)
