"""The sections of the report notebooks, composed from the engine, the charts, the frames and
tables (:mod:`helpers.report.frames`, :mod:`helpers.report.tables`) and the sentences (:mod:`helpers.report.narrate`).

Each notebook cell calls a few functions here, so the notebooks show the analysis in plain
pandas / matplotlib terms and the static cells and the widgets (:mod:`helpers.report.widgets`) draw
exactly the same thing:

- ``*_frame`` return a pandas DataFrame (numbers as numbers, one row per target or year):
  :func:`status_frame`, :func:`no_data_frame`, :func:`by_year_frame`;
- ``*_styler`` show such a frame as a table (a pandas Styler: headers in the report's language,
  "—" for a missing number, status colours), in JupyterLab and in the HTML report alike;
- ``*_figure`` return a matplotlib Figure (:func:`trajectory_figure`, :func:`heatmap_figure`);
- ``*_html`` return an HTML string (data-derived text escaped by :mod:`helpers.report.htmltext`);
  ``show_*`` display into the current notebook output.

Reports lead with what is known: the tables and charts of the targets with a value come first;
the targets without any value are listed once, compactly, with the data that would score them
(:func:`no_data_frame`), and no empty chart is drawn for them (:func:`chart_ids`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from helpers import formats
from helpers.report import frames, htmltext, narrate, provenance, tables, terms
from helpers.report.display import show
from helpers.report.htmltext import esc, heading, t  # noqa: F401  (heading: for the notebooks)
from helpers.report.lead import lead_html, succession_figures  # noqa: F401  (for the notebooks)
from helpers.report.narrate import key_figures_text  # noqa: F401  (for the notebooks)
from helpers.report.provenance import area_values_html, source_quality_html  # noqa: F401  (for the notebooks)
from helpers.report.params import Context
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
    from helpers.report.charts import plots as charts

    rows = target_rows(ctx, indicator_id, method)
    if "value_unit" not in rows.columns and "value_unit" in ctx.targets.columns:
        unit = ctx.targets.loc[ctx.targets["id"] == indicator_id, "value_unit"]
        rows = rows.assign(value_unit=unit.iloc[0] if len(unit) else pd.NA)
    stats = related_statistics(ctx, indicator_id)
    return charts.plot_trajectory(rows, benchmarks=stats, context=stats, lang=ctx.chart_lang,
                                  geo_names=ctx.plan.geo_label)


def related_statistics(ctx: Context, indicator_id: str) -> pd.DataFrame:
    """The statistics rows of :func:`helpers.report.tables.related_ids` (the target's own series, its
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
    as_of_zh = f"数据截至{ctx.as_of}年" if ctx.has_data else "尚无年度数据"
    as_of_en = f"data as of {ctx.as_of}" if ctx.has_data else "no yearly figure yet"
    sub = htmltext.paragraphs(
        f"《{tz}》{doc} — {esc(jz)}；方法：{esc(mz)}；{as_of_zh}。",
        f"{te}{f' ({doc})' if doc else ''} — {esc(je)}; method: {esc(me)}; {as_of_en}.",
        ctx.lang)
    return heading(zh, en, ctx.lang, level=1) + sub


def area_title_html(ctx: Context, area: str) -> str:
    zh, en = ctx.plan.area_pair(area)
    return title_html(ctx, zh, en)


# --------------------------------------------------------------------------- 01 overview

def status_frame(ctx: Context, area: str | None = None, method: str | None = None) -> pd.DataFrame:
    """One row per target (of ``area``, or all), as of :attr:`Context.as_of`: the columns of
    :data:`helpers.report.frames.STATUS_FRAME_COLUMNS` (id, area, name, target, binding, year of data,
    value, required, gap to target, gap to path, progress, status, anticipated progress, note).

    ``status`` is the report status: the engine's, with ``not_scored`` for a value it could not
    score, so ``no_data`` means no value at all. ``table[table["status"] != "no_data"]`` is what
    is known."""
    latest = _latest(ctx, method)
    if area is not None:
        latest = latest[latest["area"] == area]
    return frames.status_frame(latest, ctx.targets, ctx.lang)


def known(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of a :func:`status_frame` with a value (scored or not)."""
    return frame[frame["status"] != "no_data"]


def no_data_frame(ctx: Context, area: str | None = None) -> pd.DataFrame:
    """The targets (of ``area``, or all) with no value up to :attr:`Context.as_of`, one row each:
    id, area, name, target, kind, ``needed`` (the data that would score it) and
    ``other_values`` (benchmark and context years, never scored)."""
    latest = ctx.latest if area is None else ctx.latest[ctx.latest["area"] == area]
    return frames.no_data_frame(latest, ctx.targets, ctx.statistics, ctx.geo, ctx.lang, plan=ctx.plan)


def status_styler(ctx: Context, frame: pd.DataFrame, with_area: bool | None = None):
    """A :func:`status_frame` (or some of its rows) as a table: :func:`helpers.report.tables.frame_styler`
    with the columns a reader needs (:func:`helpers.report.tables.status_columns`; the area column when
    ``with_area``, default: when the rows span more than one area), each value linked to its row of
    the set's sources page (:func:`helpers.report.provenance.value_links`). ``None`` for no rows."""
    if frame.empty:
        return None
    if with_area is None:
        with_area = frame["area"].nunique() > 1
    cols = tables.status_columns(frame, with_area=False)
    shown, labels = tables.with_target_year(frame, ctx.lang)
    links = provenance.value_links(ctx.statistics, frame, ctx.geo)
    return tables.frame_styler(shown, ctx.lang, ctx.plan, cols, group_by="area" if with_area else None,
                               labels=labels, notes=tables.table_notes(frame, ctx.lang), value_links=links)


def no_data_styler(ctx: Context, frame: pd.DataFrame, with_area: bool | None = None):
    """A :func:`no_data_frame` as a compact table (one line per target); ``None`` for no rows."""
    if frame.empty:
        return None
    if with_area is None:
        with_area = frame["area"].nunique() > 1
    shown, labels = tables.with_target_year(frame, ctx.lang)
    cols = ["name", "target", "needed"] + (["other_values"] if frame["other_values"].notna().any() else [])
    return tables.frame_styler(shown, ctx.lang, ctx.plan, cols, group_by="area" if with_area else None,
                               labels=labels)


def _html(styler) -> str:
    return "" if styler is None else styler.to_html()


def known_heading_html(ctx: Context, frame: pd.DataFrame) -> str:
    """Heading and lead of the table of the targets with a value: how many of all, and how
    to read the two gaps (and "value, not scored", anticipated progress) where shown."""
    rows = known(frame)
    n, k = len(frame), len(rows)
    head = heading("有数值的目标", "Targets with a value", ctx.lang)
    if not n:
        return head + htmltext.paragraphs("没有量化目标。", "There are no targets here.", ctx.lang)
    if not k:
        return head + htmltext.paragraphs(
            f"截至{ctx.as_of}年，{n}项目标都没有任何数值（{terms.NO_DATA[0]}），见下表。",
            f"Up to {ctx.as_of}, none of the {n} targets has a value ({terms.NO_DATA[1]}); see the "
            "list below.", ctx.lang)
    lead = htmltext.paragraphs(
        f"{n}项目标中{k}项截至{ctx.as_of}年有数值；每项取截至该年最近一个有数据的年份（“数据年份”列）。",
        f"{k} of {n} targets {'has' if k == 1 else 'have'} a value up to {ctx.as_of}; each is shown as "
        "of its latest year with data (column 'Year of data').", ctx.lang)
    return head + lead + tables.status_help(rows, ctx.lang)


def no_data_heading_html(ctx: Context, frame: pd.DataFrame) -> str:
    """Heading and lead of the compact list of targets without any value."""
    head = heading(*terms.NO_DATA_HEADING, ctx.lang)
    jz, je = (esc(x) for x in jurisdiction(ctx))
    if frame.empty:
        return head + htmltext.paragraphs("每项目标都有数值。", "Every target has a value.", ctx.lang)
    return head + htmltext.paragraphs(
        f"以下{len(frame)}项目标截至{ctx.as_of}年{jz}没有任何数值（{terms.NO_DATA[0]}），无法评估进度；"
        "每行说明需要什么数据才能评分。其他地区的对照数据和参考序列只作背景，不计分。",
        f"These {len(frame)} targets have no value for {je} up to {ctx.as_of} ({terms.NO_DATA[1]}), so "
        "their progress cannot be assessed; each line says what data would score it. Benchmark "
        "values of other places and context series are background only and are never scored.", ctx.lang)


def overview_status_html(ctx: Context) -> str:
    """The table of the targets with a value (heading, lead, table), as HTML."""
    frame = status_frame(ctx)
    return known_heading_html(ctx, frame) + _html(status_styler(ctx, known(frame), with_area=True))


def no_data_html(ctx: Context, area: str | None = None, fold: bool = False) -> str:
    """The compact list of targets without any value (heading, lead, table), as HTML; with
    ``fold``, the table sits in a ``<details>`` element whose summary says how many there are."""
    frame = no_data_frame(ctx, area)
    table = _html(no_data_styler(ctx, frame, with_area=area is None))
    if fold and table:
        table = fold_html(ctx, len(frame)) + table + "</details>"
    return no_data_heading_html(ctx, frame) + table


def fold_html(ctx: Context, n: int, summary: tuple[str, str] | None = None) -> str:
    """The opening of a folded list (``<details><summary>…</summary>``; close it with
    ``</details>``): plain HTML, no script, so the report stays self-contained and the list is
    one click away. ``summary``: its (中文, English) text (default: "Show the n targets without
    data")."""
    zh, en = summary or (f"展开{n}项无数据的目标", f"Show the {n} targets without data")
    return "<details><summary>" + esc(htmltext.t(zh, en, ctx.lang)) + "</summary>"


def show_no_data(ctx: Context, frame: pd.DataFrame, fold: bool | None = None) -> None:
    """Display the compact list of a :func:`no_data_frame`: heading, lead, table (a Styler), the
    table folded (``<details>``) when ``fold`` (default: more than 15 rows)."""
    from IPython.display import HTML, display

    fold = len(frame) > FOLD_ROWS if fold is None else fold
    styler = no_data_styler(ctx, frame)
    show(no_data_heading_html(ctx, frame))
    if styler is None:
        return
    if fold:
        display(HTML(fold_html(ctx, len(frame)) + styler.to_html() + "</details>"))
    else:
        display(styler)


#: A no-data list longer than this is folded (:func:`show_no_data`).
FOLD_ROWS = 15


def heatmap_figure(ctx: Context, ids=None) -> Figure | None:
    """The status heatmap (targets × years) of the targets ``ids`` (default: those with a value
    in some year), in plan order; ``None`` when there is none. The other targets are left out,
    not drawn as grey rows: they are listed by :func:`no_data_frame`."""
    from helpers.report.charts import plots as charts

    traj = ctx.trajectory
    if ids is None:
        ids = traj.loc[traj["value"].notna(), "indicator_id"].astype(str).unique()
    rows = traj[traj["indicator_id"].astype(str).isin(set(map(str, ids)))]
    if rows.empty:
        return None
    return charts.plot_status_heatmap(rows, lang=ctx.chart_lang, areas=ctx.plan.areas)


def heatmap_heading_html(ctx: Context, ids) -> str:
    n, total = len(list(ids)), len(ctx.targets)
    head = heading("逐年状态", "Status by year", ctx.lang)
    if not n:
        return head + htmltext.paragraphs("没有任何目标在任何年份有数值，不绘制逐年状态图。",
                                          "No target has a value in any year: no status-by-year chart.", ctx.lang)
    if n == total:
        return head
    return head + htmltext.paragraphs(
        f"只画出有数值的{n}项目标（共{total}项）；其余{total - n}项没有任何年份的数值，列于“{terms.NO_DATA_HEADING[0]}”表。",
        f"Only the {n} targets with a value in some year are drawn (of {total}); the other "
        f"{total - n} have no value in any year and are listed under '{terms.NO_DATA_HEADING[1]}'.",
        ctx.lang)


def ids_with_value(ctx: Context) -> list[str]:
    """Targets with a value for :attr:`Context.geo` in some year of the trajectory, plan order."""
    traj = ctx.trajectory
    return list(dict.fromkeys(traj.loc[traj["value"].notna(), "indicator_id"].astype(str)))


def findings_html(ctx: Context) -> str:
    bench = narrate.benchmark_only_ids(ctx.targets, ctx.statistics, ctx.geo)
    return (heading("主要发现", "Key findings", ctx.lang)
            + narrate.overview_findings(ctx.latest, ctx.as_of, jurisdiction(ctx), ctx.lang, bench, plan=ctx.plan))


def coverage_html(ctx: Context, per_target: bool = False) -> str:
    """Coverage per area and, when ``per_target``, per target with its sources: first the
    targets with any value (their own, a benchmark's or a context series'), then the targets
    with no value at all in the same table form, folded (``<details>``) when there are more
    than :data:`FOLD_ROWS` of them, so the page leads with what is known and loses nothing."""
    cov_t, cov_a = ctx.coverage()
    out = heading("数据覆盖（按领域）", "Data coverage by area", ctx.lang) + tables.coverage_area_table(cov_a, ctx.lang, plan=ctx.plan)
    if not per_target:
        return out
    some = cov_t["id"].astype(str).isin(set(chart_ids(ctx)))
    out += heading("数据覆盖（按目标）与来源", "Data coverage by target, with sources", ctx.lang)

    def table(rows: pd.DataFrame) -> str:
        return tables.coverage_target_table(rows, ctx.targets, ctx.statistics, ctx.geo, ctx.lang, plan=ctx.plan)

    if some.any():
        out += table(cov_t[some])
    rest = cov_t[~some]
    if rest.empty:
        return out
    n = len(rest)
    lead = htmltext.t(f"以下{n}项目标没有任何数值（本地、对照或参考序列）。",
                      f"The {n} targets below have no value at all (own, benchmark or context).", ctx.lang)
    out += f"<p>{esc(lead)}</p>"
    if n > FOLD_ROWS:
        summary = (f"展开{n}项没有任何数值的目标", f"Show the {n} targets with no value at all")
        return out + fold_html(ctx, n, summary) + table(rest) + "</details>"
    return out + table(rest)


def coverage_intro_html(ctx: Context) -> str:
    """What the coverage notebook counts, and that a missing value is shown as missing."""
    jz, je = (esc(s) for s in jurisdiction(ctx))
    return htmltext.paragraphs(
        f"下表统计每个领域、每项目标在{jz}有多少年份有数值（基期至目标年），缺失的年份即{terms.NO_DATA[0]}，"
        "不按0计、不插值。对照地区与参考序列只作背景，不计入覆盖。",
        f"The tables count, per area and per target, how many years from the baseline to the target "
        f"year have a value for {je}; a missing year is shown as missing (no data), never as 0 and "
        "never interpolated. Benchmark geos and context series are background and are not counted.",
        ctx.lang)


def coverage_key_text(ctx: Context) -> str:
    """Plain-text coverage counts per area (for a check cell)."""
    cov = ctx.coverage()[1]
    cols = ["area", "targets", "with_baseline", "with_progress", "no_data", "years_filled", "years_possible"]
    return tables.plain_table(cov[cols].reset_index(drop=True))


# --------------------------------------------------------------------------- 02 area

def area_intro_html(ctx: Context, area: str, method: str | None = None) -> str:
    """Heading "Summary" and the generated narrative of the area."""
    latest = ctx.latest if method in (None, ctx.method) else ctx.latest_for(method)
    bench = narrate.benchmark_only_ids(ctx.targets, ctx.statistics, ctx.geo)
    return (heading("概况", "Summary", ctx.lang)
            + narrate.area_narrative(latest, area, ctx.as_of, jurisdiction(ctx), ctx.lang, bench, plan=ctx.plan))


def _latest(ctx: Context, method: str | None) -> pd.DataFrame:
    return ctx.latest if method in (None, ctx.method) else ctx.latest_for(method)


def area_table_html(ctx: Context, area: str, method: str | None = None) -> str:
    """The area's targets with a value (heading, lead, table), as HTML."""
    frame = status_frame(ctx, area, method)
    return known_heading_html(ctx, frame) + _html(status_styler(ctx, known(frame), with_area=False))


def chart_ids(ctx: Context, area: str | None = None) -> list[str]:
    """Targets (of ``area``, or all) worth a chart: with at least one statistic of their own
    (any place, any year: the jurisdiction's values or benchmarks) or a context series. A target
    with nothing to draw but its target is listed by :func:`no_data_frame` instead."""
    ids = area_ids(ctx, area) if area is not None else ctx.targets["id"].astype(str).tolist()

    def bases():
        sid = ctx.statistics.loc[ctx.statistics["value"].notna(), "indicator_id"].astype(str)
        return set(sid.str.split(":", n=1).str[0])

    have = ctx.cached("statistics_base_ids", bases)
    return [i for i in ids if i in have]


def charts_heading_html(ctx: Context, area: str) -> str:
    """Heading of the area's charts, and how many targets have nothing to draw."""
    drawn, total = len(chart_ids(ctx, area)), len(area_ids(ctx, area))
    head = heading("各目标轨迹", "Trajectory of each target", ctx.lang)
    if drawn == total:
        return head
    return head + htmltext.paragraphs(
        f"只画出有数值（本地区、对照地区或参考序列）的{drawn}项目标；其余{total - drawn}项没有可画的数值，"
        f"列于“{terms.NO_DATA_HEADING[0]}”表。",
        f"Charts for the {drawn} target{'' if drawn == 1 else 's'} with some value (own, benchmark or "
        f"context); the other {total - drawn} {'has' if total - drawn == 1 else 'have'} nothing to draw "
        f"and {'is' if total - drawn == 1 else 'are'} listed under '{terms.NO_DATA_HEADING[1]}'.", ctx.lang)


def area_key_text(ctx: Context, area: str) -> str:
    rows = ctx.latest[ctx.latest["area"] == area]
    return narrate.key_figures_text(rows, with_area=False)


# --------------------------------------------------------------------------- 03 indicator

def indicator_info_html(ctx: Context, indicator_id: str) -> str:
    """Title (the target's name, plan, jurisdiction, as-of year), then what the target is: id,
    area, target value and year, kind, baseline year, lead agency, the plan's clause and the
    reading note (all escaped), then its status in words."""
    r = ctx.targets.loc[ctx.targets["id"] == indicator_id].iloc[0]
    tgt = formats.target_text(r["comparator"], r["target"], r.get("target_hi"), r.get("tolerance"), r["unit"])
    info = pd.DataFrame({
        t("项目", "Item", ctx.lang): [
            t("编号", "Id", ctx.lang), t("领域", "Area", ctx.lang), t("目标值", "Target", ctx.lang),
            t("目标年份", "Target year", ctx.lang), t("基期年份", "Baseline year", ctx.lang),
            t("类型", "Kind", ctx.lang), t("参照序列", "Reference series", ctx.lang),
            t("牵头单位", "Lead agency", ctx.lang), t("规划原文", "Plan clause", ctx.lang),
            t("说明", "Note", ctx.lang)],
        t("内容", "Value", ctx.lang): [
            indicator_id, ctx.plan.area_label(str(r["area"]), ctx.lang), tgt, htmltext.fmt_year(r["target_year"]),
            htmltext.fmt_year(r["baseline_year"]), label(KINDS.get(str(r["kind"]), (r["kind"], r["kind"])), ctx.lang),
            r.get("reference_id"), r.get("lead_agency"), r.get("source_ref"), r.get("note")],
    })
    return (title_html(ctx, str(r["name_zh"]), str(r["name_en"])) + tables.text_styler(info).to_html()
            + narrate.indicator_summary(ctx.latest, ctx.statistics, indicator_id, ctx.as_of,
                                        ctx.geo, jurisdiction(ctx), ctx.lang, plan=ctx.plan))


def indicator_gap_html(ctx: Context, indicator_id: str) -> str:
    """Year by year (both gaps), with the linear and cagr methods side by side."""
    return gap_heading_html(ctx) + by_year_styler(ctx, by_year_frame(ctx, indicator_id)).to_html()


def gap_heading_html(ctx: Context) -> str:
    """Heading of the by-year table and what its columns mean (:func:`gap_note_html`)."""
    return heading("逐年进展（两种方法）", "Year by year, both methods", ctx.lang) + gap_note_html(ctx)


def by_year_frame(ctx: Context, indicator_id: str, both_methods: bool = True) -> pd.DataFrame:
    """One target, one row per year: value, required, gap to target, gap to path, progress,
    status (linear; with ``both_methods`` also the cagr ratio and status) and notes
    (:func:`helpers.report.frames.by_year_frame`)."""
    lin = target_rows(ctx, indicator_id, "linear" if both_methods else None)
    cagr = target_rows(ctx, indicator_id, "cagr") if both_methods else None
    return frames.by_year_frame(lin, cagr, ctx.lang)


def by_year_styler(ctx: Context, frame: pd.DataFrame):
    """A :func:`by_year_frame` as a table (:func:`helpers.report.tables.frame_styler`); a ratio of
    two growth rates says under it what its two rate columns are."""
    notes = [label(terms.RATE_RATIO_NOTE, ctx.lang)] if "own_rate" in frame.columns else []
    return tables.frame_styler(frame, ctx.lang, ctx.plan, labels=tables.BY_YEAR_LABELS, notes=notes)


def gap_note_html(ctx: Context) -> str:
    """What the columns of the by-year table mean: both gaps and both methods."""
    zh = [terms.GAP_TO_TARGET_HELP[0], terms.GAP_TO_PATH_HELP[0],
          "“线性”：进度与应达份额之比；“复合增速”：实际年均复合增速与所需增速之比（仅适用于正值，否则为不适用）",
          f"“—”表示{terms.NO_DATA[0]}"]
    en = [terms.GAP_TO_TARGET_HELP[1], terms.GAP_TO_PATH_HELP[1],
          "'linear': progress over the expected share; 'cagr': actual over required compound annual "
          "growth rate (positive values only, otherwise not applicable)", "'—' means no data"]
    return htmltext.paragraphs(esc("；".join(zh) + "。"), esc("; ".join(en) + "."), ctx.lang)


def indicator_projection_html(ctx: Context, indicator_id: str, method: str | None = None) -> str:
    """The projection to the target year; none for an achieved target or a value not scored."""
    rows = target_rows(ctx, indicator_id, method)
    row = rows.iloc[-1] if len(rows) else pd.Series(dtype=object)
    latest = _latest(ctx, method)
    lrow = latest[latest["indicator_id"].astype(str) == indicator_id]
    return heading("预测", "Projection", ctx.lang) + narrate.projection_sentence(
        row, ctx.lang, lrow.iloc[0] if len(lrow) else None)


def indicator_sources_html(ctx: Context, indicator_id: str) -> str:
    ids = tables.related_ids(indicator_id, ctx.targets, ctx.statistics)
    note = htmltext.paragraphs(
        "本目标的全部数值及其来源：本地区数值计分；省级、全国为对照；带“:”后缀的为口径不同的参考序列，不计分。",
        "Every value behind this target with its source: the jurisdiction's own values are scored; "
        "provincial and national values are benchmarks; series with a ':' suffix are context "
        "(a different measure), never scored.", ctx.lang)
    return (heading("数据来源", "Sources of every value", ctx.lang) + note
            + tables.sources_table(ctx.statistics, ids, ctx.lang, jurisdiction=ctx.geo, plan=ctx.plan))


def indicator_key_text(ctx: Context, indicator_id: str) -> str:
    """Plain text: per year value, required, gap, linear status, cagr status."""
    lin = target_rows(ctx, indicator_id, "linear")
    cagr = target_rows(ctx, indicator_id, "cagr")[["year", "status"]].rename(columns={"status": "status_cagr"})
    d = lin[["year", "value", "required", "gap", "status"]].merge(cagr, on="year", how="left")
    d["year"] = d["year"].map(htmltext.fmt_year)
    for c in ("value", "required", "gap"):
        d[c] = d[c].astype("float64")
    return tables.plain_table(d)


# --------------------------------------------------------------------------- footer

def footer_html(ctx: Context) -> str:
    return htmltext.report_footer(ctx.meta, ctx.as_of, ctx.method, ctx.statistics_path,
                                  statistics=ctx.statistics, lang=ctx.lang)
