"""What an overview leads with (issue 21; not to be confused with :mod:`helpers.report.scorecard`,
the one-row-per-target export): the final scorecard of a plan whose targets have reached
their year (met / not met / not yet known, binding targets counted apart, the targets not met with
their shortfalls), or the milestones of a plan in waiting (the value each target requires in each
year, when the first figures are due). A running plan leads with nothing extra: its progress table
is the lead.

Frames (numbers stay numbers): :func:`verdict_counts`, :func:`not_met_frame`,
:func:`milestones_frame`, :func:`measures_frame` (a target's official measures side by side),
:func:`succession_frame` (the indicators continued from an earlier plan, its verdict beside them);
HTML: :func:`lead_html`.
"""

from __future__ import annotations

import pandas as pd

from helpers.formats import fmt_num
from helpers.method import summaries
from helpers.report import frames, tables
from helpers.report.htmltext import esc, heading, names, paragraphs, t
from helpers.report.params import Context

#: Header labels of the frames' own columns.
LABELS: dict[str, tuple[str, str]] = {
    "group": ("目标", "Targets"), "n_targets": ("目标年已到", "Target year reached"),
    "n_met": ("已完成", "Met"), "n_not_met": ("未完成", "Not met"),
    "n_unknown": ("尚不能判断", "Not yet known"), "shortfall": ("差距", "Shortfall"),
    "share_reached": ("完成程度", "Share reached"), "yearly_rate_needed": ("每年需达增速", "Yearly rate needed"),
}


def _ended(latest: pd.DataFrame, as_of: int) -> pd.DataFrame:
    return latest[latest["target_year"].astype("float64") <= as_of]


def verdict_counts(latest: pd.DataFrame, as_of: int) -> pd.DataFrame:
    """Counts among the targets whose target year is ``as_of`` or earlier: ``n_met``, ``n_not_met``
    and ``n_unknown`` (final value not yet published, no data, or a value that cannot be judged,
    e.g. an unquantified target), for all targets and for the binding (约束性) ones."""
    ended = _ended(latest, as_of)
    status = ended["status"].astype("string").fillna("no_data")
    binding = (ended["binding"].astype("string").str.strip() == "binding").fillna(False) \
        if "binding" in ended.columns else pd.Series(False, index=ended.index)
    rows = []
    for group, mask in (("all", pd.Series(True, index=ended.index)), ("binding", binding)):
        s = status[mask.to_numpy()]
        met, not_met = int((s == "met").sum()), int((s == "not_met").sum())
        rows.append({"group": group, "n_targets": int(len(s)), "n_met": met, "n_not_met": not_met,
                     "n_unknown": int(len(s)) - met - not_met})
    return pd.DataFrame(rows)


def not_met_frame(latest: pd.DataFrame, targets: pd.DataFrame, lang: str = "both") -> pd.DataFrame:
    """The targets not met, binding first, then by the share reached (smallest first): ``id``,
    ``name``, ``binding``, ``target``, ``value``, ``unit``, ``shortfall`` (the gap, in the target's
    unit) and ``share_reached`` (progress)."""
    rows = latest[latest["status"] == "not_met"]
    if rows.empty:
        return pd.DataFrame(columns=["id", "name", "binding", "target", "value", "unit", "shortfall", "share_reached"])
    f = frames.status_frame(rows, targets, lang)
    out = pd.DataFrame({"id": f["id"], "name": f["name"], "binding": f["binding"], "target": f["target"],
                        "value": f["value"], "unit": f["unit"], "shortfall": f["gap_to_target"],
                        "share_reached": f["progress"]})  # shown by frame_styler as gap_to_target / progress
    out["_b"] = out["binding"] != "binding"
    return out.sort_values(["_b", "share_reached"], kind="mergesort").drop(columns="_b").reset_index(drop=True)


def milestones_frame(ctx: Context) -> pd.DataFrame:
    """:func:`helpers.method.summaries.milestones` of the context's trajectory, with the target's
    ``name`` (in ``ctx.lang``) and ``target`` as printed (text, in place of the number)."""
    m = summaries.milestones(ctx.trajectory)
    if m.empty:
        return m
    f = frames.status_frame(ctx.latest, ctx.targets, ctx.lang)
    m = m.drop(columns=["target"]).merge(f[["id", "target"]].rename(columns={"id": "indicator_id"}),
                                         on="indicator_id", how="left")
    m["name"] = names(m, ctx.lang)
    return m


def _ended_html(ctx: Context) -> str:
    card = verdict_counts(ctx.latest, ctx.as_of).set_index("group")
    a, b = card.loc["all"], card.loc["binding"]
    zh = [f"目标年已到的{a['n_targets']}项目标：已完成{a['n_met']}项，未完成{a['n_not_met']}项，"
          f"尚不能判断{a['n_unknown']}项（最终值尚未公布、无数据或不评分）。"]
    en = [f"Of the {a['n_targets']} targets whose year has come: {a['n_met']} met, {a['n_not_met']} not met, "
          f"{a['n_unknown']} not yet known (final value not yet published, no data, or not scored)."]
    if b["n_targets"]:
        zh.append(f"其中约束性目标{b['n_targets']}项：已完成{b['n_met']}项，未完成{b['n_not_met']}项，"
                  f"尚不能判断{b['n_unknown']}项。")
        en.append(f"Binding targets: {b['n_targets']}, of which {b['n_met']} met, {b['n_not_met']} not met, "
                  f"{b['n_unknown']} not yet known.")
    zh.append("下表为逐项结果；历年进展见后文。")
    en.append("Progress over the years follows as history.")
    html = heading("最终评估", "Final scorecard", ctx.lang) + paragraphs(
        [esc(s) for s in zh], [esc(s) for s in en], ctx.lang)
    card = card.reset_index()
    card = card[(card["group"] == "all") | (card["n_targets"] > 0)]
    html += tables.frame_styler(card.assign(group=card["group"].map(
        {"all": t("全部", "all", ctx.lang), "binding": t("约束性", "binding", ctx.lang)})),
        ctx.lang, ctx.plan, labels=LABELS).to_html()
    missed = not_met_frame(ctx.latest, ctx.targets, ctx.lang)
    if len(missed):
        shown = missed.rename(columns={"shortfall": "gap_to_target", "share_reached": "progress"})
        html += heading("未完成的目标", "Targets not met", ctx.lang, level=3)
        html += tables.frame_styler(shown, ctx.lang, ctx.plan,
                                    ["name", "binding", "target", "value", "gap_to_target", "progress"],
                                    labels={"value": ("最终值", "Final value"), "gap_to_target": LABELS["shortfall"],
                                            "progress": LABELS["share_reached"]}).to_html()
    return html + _measures_html(ctx)


def measures_frame(ctx: Context) -> pd.DataFrame:
    """The targets measured in more than one official way (``ctx.measures()``), one row per
    measure, the plan's own first: ``name``, ``measure`` (its label in ``ctx.lang``), ``own``
    (the plan's own), ``year``, ``value``, ``status`` (the report status: the verdict, or
    ``final_pending``), ``status_detail``; empty without measures."""
    side = ctx.measures()
    if side.empty:
        return pd.DataFrame(columns=["name", "measure", "own", "year", "value", "status", "status_detail"])
    f = frames.status_frame(side, ctx.targets, ctx.lang)
    zh = side["measure_zh"].astype("string")
    en = side["measure_en"].astype("string")
    label = zh if ctx.lang == "zh" else en if ctx.lang == "en" else zh + " / " + en
    own = t("（规划口径）", " (the plan's own)", ctx.lang)
    return pd.DataFrame({"name": names(side, ctx.lang), "measure": label + side["own_measure"].map({True: own, False: ""}),
                         "own": side["own_measure"], "year": f["year"], "value": f["value"], "status": f["status"],
                         "status_detail": f["status_detail"]})


def _measures_html(ctx: Context) -> str:
    m = measures_frame(ctx)
    if m.empty:
        return ""
    return (heading("同一目标的不同口径", "One target, more than one official measure", ctx.lang, level=3)
            + paragraphs("每种口径按其自身规则评分，结论并列；只用公布的数值，不由本工具推算。",
                         "Each measure is scored under its own rule, the verdicts side by side; only published "
                         "figures, none derived by this tool.", ctx.lang)
            + tables.frame_styler(m, ctx.lang, ctx.plan, ["name", "measure", "year", "value", "status", "status_detail"],
                                  labels={"measure": ("口径", "Measure")}).to_html())


def succession_frame(ctx: Context) -> pd.DataFrame:
    """The targets this plan continues from an earlier one (its ``continues.csv``,
    :mod:`helpers.method.succession`), one row per link: ``name``, the earlier plan and target
    (``continues_plan``, ``continues_id``), the earlier target's report status as of its own
    latest data (its verdict, or ``final_pending``) with ``earlier_year`` / ``earlier_value``, the
    baseline it hands to this plan (``later_baseline``, ``later_baseline_year``) and ``note``;
    empty without links."""
    from helpers.method import succession
    from helpers.report.terms import report_status

    links = continued_links(ctx)
    parts = []
    for plan in dict.fromkeys(links["continues_plan"]):
        earlier = earlier_plan(ctx, plan)
        h = succession.handover(earlier.trajectory, ctx.trajectory, links, plan)
        latest = summaries.latest_status(earlier.trajectory).set_index("indicator_id")
        h["earlier_status"] = report_status(latest.loc[h["continues_id"]].reset_index()).to_numpy()
        parts.append(h.assign(continues_plan=plan))
    if not parts:
        return pd.DataFrame(columns=["name", "continues_plan", "continues_id", "earlier_status", "earlier_year",
                                     "earlier_value", "later_baseline_year", "later_baseline", "note"])
    out = pd.concat(parts, ignore_index=True)
    named = ctx.trajectory.drop_duplicates("indicator_id").set_index("indicator_id")
    out["name"] = names(named.loc[out["id"]].reset_index(), ctx.lang).to_numpy()
    return out


def continued_links(ctx: Context) -> pd.DataFrame:
    """The plan's ``continues.csv`` (:func:`helpers.method.succession.read_continues`), read
    once per context; empty without one."""
    from helpers.method import succession

    path = ctx.statistics_path.with_name(succession.CONTINUES_FILE) if ctx.statistics_path else None
    return ctx.cached(("continues", str(path)), lambda: succession.read_continues(path))


def earlier_plan(ctx: Context, plan: str) -> Context:
    """The earlier plan ``plan``, scored (:func:`helpers.report.params.prepare`), once per
    context: the succession table and the succession charts share it."""
    from helpers.report import params

    return ctx.cached(("earlier_plan", plan, ctx.lang), lambda: params.prepare(plan=plan, lang=ctx.lang))


def _succession_html(ctx: Context) -> str:
    f = succession_frame(ctx)
    if f.empty:
        return ""
    shown = f.assign(status=f["earlier_status"], year=f["earlier_year"], value=f["earlier_value"],
                     baseline=f["later_baseline"].map(fmt_num))
    return (heading("延续上一规划的指标", "Indicators continued from the previous plan", ctx.lang, level=3)
            + tables.frame_styler(shown, ctx.lang, ctx.plan,
                                  ["name", "continues_id", "year", "value", "status", "baseline", "note"],
                                  labels={"continues_id": ("上一规划指标", "Earlier target"),
                                          "status": ("上一规划结论", "Earlier verdict"),
                                          "baseline": ("本规划基期值", "Baseline handed over"),
                                          "note": ("目标如何变化", "How the target changed")}).to_html())


def _waiting_html(ctx: Context) -> str:
    m = milestones_frame(ctx)
    first = int(m["baseline_year"].min()) + 1 if len(m) else None
    due = ctx.meta.get("first_figures_due") if isinstance(ctx.meta.get("first_figures_due"), str) else None
    zh = [f"尚无任何年度数值：首个年份为{first}年" + (f"，预计{esc(due)}公布" if due else "") + "。一旦导入即可评分。"]
    en = [f"No yearly figure yet: the first year is {first}" + (f", due {esc(due)}" if due else "")
          + ". A figure is scored as soon as it is imported."]
    years = [c for c in m.columns if c.startswith("required_")]
    shown = m[["name", "target", *years, "yearly_rate_needed"]].copy()
    for c in [*years, "yearly_rate_needed"]:  # numbers as the tables print them ("—" when none)
        shown[c] = shown[c].map(fmt_num)
    if m["yearly_rate_needed"].isna().all():
        shown = shown.drop(columns="yearly_rate_needed")
    labels = {**LABELS, **{c: (f"{c[9:]}年应达值", f"Required {c[9:]}") for c in years}}
    return (heading("各年应达值", "Required values by year", ctx.lang)
            + paragraphs(zh, en, ctx.lang)
            + tables.frame_styler(shown, ctx.lang, ctx.plan, labels=labels).to_html()
            + _succession_html(ctx))


def lead_html(ctx: Context) -> str:
    """The overview's lead: the final scorecard once some target's year has come (with data), the
    milestones when no target has any value yet (a plan in waiting), else nothing."""
    if not ctx.has_data:
        return _waiting_html(ctx)
    if len(_ended(ctx.latest, ctx.as_of)):
        return _ended_html(ctx)
    return ""


def _period_label(plan) -> tuple[str, str]:
    """A short name of a plan for a legend: its period ("规划2021–2025", "plan 2021–2025"), else its
    folder's name."""
    period = plan.meta.get("period")
    if isinstance(period, list) and len(period) == 2:
        return f"规划{period[0]}–{period[1]}", f"plan {period[0]}–{period[1]}"
    return plan.name, plan.name


def succession_figures(ctx: Context) -> list:
    """One chart per indicator this plan continues from an earlier one (``continues.csv``): both
    plans' values, required paths and targets, and the baseline handed over
    (:func:`helpers.report.charts.plot_across_plans`); empty without links."""
    from helpers.method import succession
    from helpers.report.charts import plot_across_plans

    links = continued_links(ctx)
    figures = []
    for plan in dict.fromkeys(links["continues_plan"]):
        earlier = earlier_plan(ctx, plan)
        table = succession.across_plans(earlier.trajectory, ctx.trajectory, links, plan, ctx.plan.name)
        labels = {plan: _period_label(earlier.plan), ctx.plan.name: _period_label(ctx.plan)}
        for link in dict.fromkeys(table["link"]):
            rows = table[table["link"] == link]
            if rows["plan"].nunique() == 2:  # both plans have rows for this indicator
                figures.append(plot_across_plans(rows, ctx.chart_lang, labels))
    return figures
