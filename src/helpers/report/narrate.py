"""The reports' generated prose, as HTML that is safe to publish, and the key figures as text.

- :func:`status_sentences` (and :func:`area_narrative` for one area): how many targets are in
  each status, which year each "as of" refers to, and plainly what is missing;
- :func:`overview_findings`: the key findings for the whole plan;
- :func:`indicator_summary` and :func:`projection_sentence`: one target in words;
- :func:`key_figures_text`: the key figures as a plain-text table, what the notebooks'
  ``nbval-check-output`` cells print (stable formatting, no dates, no paths).

Every data-derived string is escaped (:func:`helpers.report.htmltext.esc`); sentences say "no data" /
无数据 (:data:`helpers.report.terms.NO_DATA`) for what is missing. Language: every public function
takes ``lang`` in ``zh`` | ``en`` | ``both``; ``both`` writes Chinese first, then English (two
paragraphs). The primitives are in :mod:`helpers.report.htmltext`, the tables in :mod:`helpers.report.tables`.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

from helpers.formats import fmt_num, fmt_pct, fmt_year
from helpers.report.htmltext import (
    area_name,
    esc,
    geo_name,
    names,
    paragraphs,
    year_ranges,
)
from helpers.report.tables import plain_table
from helpers.report.terms import (
    ANTICIPATED_HELP,
    GAP_TO_TARGET,
    NO_DATA,
    NO_DATA_HEADING,
    NOT_SCORED,
    FINAL_PENDING,
    FINAL_PENDING_KEY,
    NOT_SCORED_KEY,
    REPORT_STATUSES,
    final_pending,
    note_label,
    report_status,
    row_notes,
    unscored,
    without_value,
)
from helpers.method.kinds import RUNNING_KINDS
from helpers.vocab import STATUS_ORDER, STATUSES, status_label


def _have(n: int) -> str:
    """English verb agreement: "1 has", "2 have"."""
    return f"{n} has" if n == 1 else f"{n} have"


# --------------------------------------------------------------------------- narratives

def _status_counts(latest: pd.DataFrame) -> pd.Series:
    return latest["status"].value_counts().reindex(list(STATUS_ORDER), fill_value=0)


def _year_breakdown(latest: pd.DataFrame) -> pd.Series:
    """Count of targets per year of data (targets with data only), latest year first."""
    years = latest.loc[latest["status"] != "no_data", "year"].dropna().astype(int)
    return years.value_counts().sort_index(ascending=False)


def _join_names(df: pd.DataFrame, lang: str, sep: str) -> str:
    return sep.join(esc(n) for n in names(df, lang if lang != "both" else "en"))


def _join_names_zh(df: pd.DataFrame) -> str:
    return "、".join(esc(n) for n in names(df, "zh"))


def _unscored_list(df: pd.DataFrame, lang: str) -> str:
    """"name (year: note)" for targets with a value that could not be scored (escaped)."""
    items = []
    for n, y, note in zip(names(df, lang), df["year"], row_notes(df, lang, ("status_note",))):
        extra = fmt_year(y) + (f": {note}" if note else "")
        items.append(f"{esc(n)} ({esc(extra)})")
    return ("、" if lang == "zh" else "; ").join(items)


def status_sentences(latest: pd.DataFrame, as_of: int, subject: tuple[str, str],
                     jurisdiction: tuple[str, str], lang: str = "both",
                     benchmark_only: Iterable[str] = ()) -> str:
    """The generated narrative about a group of targets (an area, or the whole plan).

    Says how many targets are in each status, which year each "as of" refers to, and names
    plainly the targets without any value, those with a value the engine could not score (no
    baseline) and those with benchmark values only. ``subject`` and ``jurisdiction`` are
    (中文, English) labels; every data-derived string is escaped.
    """
    n = len(latest)
    counts = _status_counts(latest)
    scored = latest[latest["status"] != "no_data"]
    nd = without_value(latest)
    uns = unscored(latest)
    years = _year_breakdown(latest)
    subj_zh, subj_en = (esc(s) for s in subject)
    jur_zh, jur_en = (esc(s) for s in jurisdiction)
    zh: list[str] = []
    en: list[str] = []
    if n == 0:
        return paragraphs(f"{subj_zh}没有量化目标。", f"{subj_en} has no quantitative targets.", lang)
    pend = final_pending(latest)
    if scored.empty:
        zh.append(f"{subj_zh}共{n}项目标，截至{as_of}年没有一项能评估进度：" + "，".join(
            ([f"{len(pend)}项{FINAL_PENDING[0]}"] if len(pend) else []) + ([f"{len(nd)}项{NO_DATA[0]}"] if len(nd) or not len(pend) else [])
            + ([f"{len(uns)}项{NOT_SCORED[0]}"] if len(uns) else [])) + "。")
        en.append(f"{subj_en}: none of the {n} targets can be scored for {jur_en} up to {as_of}: " + ", ".join(
            ([f"{len(pend)} {FINAL_PENDING[1]}"] if len(pend) else []) + ([f"{len(nd)} with {NO_DATA[1]}"] if len(nd) or not len(pend) else [])
            + ([f"{len(uns)} with a value that is not scored"] if len(uns) else [])) + ".")
    else:
        parts_zh = [f"{STATUSES[s][0]}{int(counts[s])}项" for s in STATUS_ORDER
                    if s != "no_data" and counts[s]]
        parts_en = [f"{int(counts[s])} {STATUSES[s][1]}" for s in STATUS_ORDER
                    if s != "no_data" and counts[s]]
        ach = int(counts["achieved"]) + int(counts["met"])
        rest_zh = ([f"{len(pend)}项{FINAL_PENDING[0]}"] if len(pend) else []) + (
            [f"{len(nd)}项{NO_DATA[0]}"] if len(nd) else []) + ([f"{len(uns)}项{NOT_SCORED[0]}"] if len(uns) else [])
        rest_en = ([f"{len(pend)} {FINAL_PENDING[1]}"] if len(pend) else []) + (
            [f"{len(nd)} with {NO_DATA[1]}"] if len(nd) else []) + (
            [f"{len(uns)} with a value that is not scored"] if len(uns) else [])
        zh.append(f"{subj_zh}共{n}项目标，截至{as_of}年：{'，'.join(parts_zh)}"
                  + "".join(f"；{r}" for r in rest_zh) + "。")
        en.append(f"{subj_en}: {ach} of {n} targets achieved by {as_of} ({', '.join(parts_en)})"
                  + "".join(f"; {r}" for r in rest_en) + ".")
        yz = "，".join(f"{y}年{c}项" for y, c in years.items())
        ye = ", ".join(f"{y} for {c} target{'s' if c != 1 else ''}" for y, c in years.items())
        zh.append(f"每项目标的状态取截至{as_of}年最近一个有数据的年份：{yz}。")
        en.append(f"Each status is as of the target's latest year with data up to {as_of}: {ye}.")
    if not uns.empty:
        zh.append(f"{NOT_SCORED[0]}（{len(uns)}项）：{_unscored_list(uns, 'zh')}。")
        en.append(f"{NOT_SCORED[1].capitalize()} ({len(uns)}): {_unscored_list(uns, 'en')}.")
    if not nd.empty:
        zh.append(f"{NO_DATA[0]}{len(nd)}项（截至{as_of}年{jur_zh}没有任何数值），逐项列于“{NO_DATA_HEADING[0]}”表，"
                  "并说明需要什么数据才能评分。")
        en.append(f"No data for {len(nd)} (no value for {jur_en} up to {as_of}): each is listed under "
                  f"'{NO_DATA_HEADING[1]}' with the data that would score it.")
    bench = nd[nd["indicator_id"].isin(list(benchmark_only))]
    if not bench.empty:
        zh.append(f"其中{len(bench)}项只有其他地区的对照数据（画在图中，不计分）。")
        en.append(f"Of these, {_have(len(bench))} only benchmark values of other places "
                  "(drawn in the charts, not scored).")
    return paragraphs(zh, en, lang)


def area_narrative(latest: pd.DataFrame, area: str, as_of: int, jurisdiction: tuple[str, str],
                   lang: str = "both", benchmark_only: Iterable[str] = (), plan=None) -> str:
    """Narrative for one area: "2 of 10 targets achieved by 2021 ..." (see status_sentences)."""
    rows = latest[latest["area"] == area]
    subject = plan.area_pair(area) if plan is not None else (area, area)
    return status_sentences(rows, as_of, subject, jurisdiction, lang, benchmark_only)


def overview_findings(latest: pd.DataFrame, as_of: int, jurisdiction: tuple[str, str],
                      lang: str = "both", benchmark_only: Iterable[str] = (), plan=None) -> str:
    """Key findings for the whole plan: how many targets can be scored, counts by status with
    their years, the areas with no data at all, then the targets achieved, regressing and
    insufficient by name, and what is missing (no value, value not scored, benchmarks only)."""
    n = len(latest)
    scored = latest[latest["status"] != "no_data"]
    nd = without_value(latest)
    uns = unscored(latest)
    zh: list[str] = []
    en: list[str] = []
    counts = _status_counts(latest)
    years = _year_breakdown(latest)
    jz, je = (esc(s) for s in jurisdiction)
    zh.append(f"规划共{n}项目标，截至{as_of}年{jz}可评估的{len(scored)}项，{len(nd)}项{NO_DATA[0]}"
              + (f"，{len(uns)}项{NOT_SCORED[0]}" if len(uns) else "") + "。")
    en.append(f"The plan has {n} targets; up to {as_of}, {len(scored)} can be scored "
              f"for {je}, {_have(len(nd))} {NO_DATA[1]}"
              + (f" and {_have(len(uns))} a value that is not scored" if len(uns) else "") + ".")
    if not scored.empty:
        zh.append("状态：" + "，".join(f"{STATUSES[s][0]}{int(counts[s])}项" for s in STATUS_ORDER
                                     if s != "no_data" and counts[s]) +
                  "（按各目标截至该年最近有数据的年份：" +
                  "，".join(f"{y}年{c}项" for y, c in years.items()) + "）。")
        en.append("Statuses: " + ", ".join(f"{int(counts[s])} {STATUSES[s][1]}" for s in STATUS_ORDER
                                     if s != "no_data" and counts[s]) +
                  " (each as of its latest year with data: " +
                  ", ".join(f"{y} for {c}" for y, c in years.items()) + ").")
    by_area = latest.groupby("area", sort=False)["value"].agg(lambda v: bool(v.notna().any()))
    order = (plan.area_keys if plan is not None else []) + list(by_area.index)
    empty = [a for a in dict.fromkeys(order) if a in by_area.index and not by_area[a]]
    if empty:
        zh.append(f"以下领域没有任何一项目标在基期之后有数值：{'、'.join(esc(area_name(plan, a, 'zh')) for a in empty)}。")
        en.append("Areas where no target has a value after its baseline year: "
                  f"{', '.join(esc(area_name(plan, a, 'en')) for a in empty)}.")
    for key in ("met", "not_met", "achieved", "regressing", "insufficient"):
        sel = latest[latest["status"] == key]
        if not sel.empty:
            zh.append(f"{STATUSES[key][0]}：{_join_names_zh(sel)}。")
            en.append(f"{STATUSES[key][1].capitalize()}: {_join_names(sel, 'en', '; ')}.")
    pend = final_pending(latest)
    if not pend.empty:
        zh.append(f"目标年已过、{FINAL_PENDING[0]}（旁列最近状态）：{_join_names_zh(pend)}。")
        en.append(f"Target year passed, {FINAL_PENDING[1]} (latest status beside it in the table): "
                  f"{_join_names(pend, 'en', '; ')}.")
    if not uns.empty:
        zh.append(f"{NOT_SCORED[0]}：{_unscored_list(uns, 'zh')}。")
        en.append(f"{NOT_SCORED[1].capitalize()}: {_unscored_list(uns, 'en')}.")
    bench = nd[nd["indicator_id"].isin(list(benchmark_only))]
    if not bench.empty:
        zh.append(f"{NO_DATA[0]}的目标中{len(bench)}项只有其他地区的对照数据，不计分。")
        en.append(f"Of the targets with no data, {_have(len(bench))} only benchmark values of other "
                  "places, which are context and are not scored.")
    if not nd.empty:
        zh.append(f"{NO_DATA[0]}的{len(nd)}项逐项列于“{NO_DATA_HEADING[0]}”表，并说明需要什么数据才能评分。")
        en.append(f"The {len(nd)} target{'s' if len(nd) != 1 else ''} with no data "
                  f"{'are' if len(nd) != 1 else 'is'} listed under '{NO_DATA_HEADING[1]}', with the data "
                  "that would score each.")
    return paragraphs(zh, en, lang)


def benchmark_only_ids(targets: pd.DataFrame, statistics: pd.DataFrame, geo: str) -> list[str]:
    """Target ids with statistics rows for other geos but none for ``geo``."""
    s = statistics[statistics["indicator_id"].isin(targets["id"])]
    own = set(s.loc[s["geo"] == geo, "indicator_id"])
    other = set(s.loc[s["geo"] != geo, "indicator_id"])
    return sorted(other - own)


def indicator_summary(latest: pd.DataFrame, statistics: pd.DataFrame, indicator_id: str,
                      as_of: int, geo: str, jurisdiction: tuple[str, str], lang: str = "both",
                      plan=None) -> str:
    """One target in words: its status as of its latest year with data (value, gap to target), or plainly
    that it has no value for the jurisdiction, and which benchmark values exist."""
    row = latest[latest["indicator_id"] == indicator_id].iloc[0]
    jz, je = (esc(s) for s in jurisdiction)
    unit = esc(row.get("unit", ""))
    zh: list[str] = []
    en: list[str] = []
    if row["status"] != "no_data":
        y = fmt_year(row["year"])
        zh.append(f"截至{as_of}年（最近数据年份{y}年）：{esc(status_label(row['status'], 'zh'))}，"
                  f"数值{esc(fmt_num(row['value']))} {unit}，{GAP_TO_TARGET[0]}{esc(fmt_num(row['gap']))}，"
                  f"进度{esc(fmt_pct(row['progress']))}。")
        en.append(f"As of {as_of} (latest year with data: {y}): {esc(status_label(row['status'], 'en'))}; "
                  f"value {esc(fmt_num(row['value']))} {unit}, {GAP_TO_TARGET[1]} {esc(fmt_num(row['gap']))}, "
                  f"progress {esc(fmt_pct(row['progress']))}.")
    elif pd.notna(row["value"]):
        note = note_label(row.get("status_note"), "zh") or ""
        note_en = note_label(row.get("status_note"), "en") or ""
        y = fmt_year(row["year"])
        zh.append(f"{y}年{jz}数值为{esc(fmt_num(row['value']))} {unit}，但无法评分：{esc(note)}。")
        en.append(f"{je} has a value for {y} ({esc(fmt_num(row['value']))} {unit}) but it cannot be "
                  f"scored: {esc(note_en)}.")
    else:
        zh.append(f"截至{as_of}年，{jz}没有该目标的任何数值（{NO_DATA[0]}），无法评估进度。")
        en.append(f"Up to {as_of}, {je} has no value for this target ({NO_DATA[1]}); its progress "
                  "cannot be assessed.")
    s = statistics[(statistics["indicator_id"] == indicator_id) & (statistics["geo"] != geo)
                   & statistics["value"].notna()]
    if not s.empty:
        by_geo = s.groupby("geo")["year"].agg(lambda y: year_ranges(y))
        bz = "；".join(f"{esc(geo_name(plan, g, 'zh'))} {esc(v)}" for g, v in by_geo.items())
        be = "; ".join(f"{esc(geo_name(plan, g, 'en'))} {esc(v)}" for g, v in by_geo.items())
        zh.append(f"对照数据（不计分）：{bz}。")
        en.append(f"Benchmark values (context, not scored): {be}.")
    return paragraphs(zh, en, lang)


def projection_sentence(row: pd.Series, lang: str = "both", latest: pd.Series | None = None) -> str:
    """One target's projection: the linear trend of its observed values carried to the target
    year, and the anticipated progress that implies, with what that means; says so when it
    cannot be projected. With ``latest`` (the target's :func:`helpers.method.summaries.latest_status` row):
    an achieved target gets no anticipated progress (it would only contradict "achieved"), nor
    does a target whose value is not scored."""
    pv = row.get("projected_value_at_target", np.nan)
    ap = row.get("anticipated_progress", np.nan)
    ty = fmt_year(row.get("target_year", np.nan))
    unit = esc(row.get("unit", ""))
    status = None if latest is None else report_status(latest.to_frame().T).iloc[0]
    if status in ("met", "not_met"):
        word_zh, word_en = STATUSES[status]
        return paragraphs(f"目标年已到，最终结论为“{word_zh}”，不再外推。",
                          f"The target year has come: the verdict is '{word_en}'; nothing is projected.", lang)
    if status == FINAL_PENDING_KEY:
        return paragraphs(f"目标年已过，{FINAL_PENDING[0]}；目标年之后不再外推。",
                          f"The target year has passed and its {FINAL_PENDING[1]}; nothing is projected "
                          "after the target year.", lang)
    if status == "achieved":
        y = fmt_year(latest.get("year"))
        return paragraphs(f"截至{y}年已达成目标，不再给出预计进度。",
                          f"Achieved as of {y}: no anticipated progress is given.", lang)
    if status == NOT_SCORED_KEY:
        return paragraphs("数值未评分（原因见上），因此不作外推。",
                          "The value is not scored (see above), so it is not projected.", lang)
    if str(row.get("kind")) in RUNNING_KINDS:
        return paragraphs("逐年累计的指标（年均增速、累计变化、期内累计）不作趋势外推：穿过彼此重叠的累计值画直线会把同一年重复计算。",
                          "Running figures (average rates, compounded totals, period totals) are not "
                          "projected: a straight line through overlapping averages or totals would count "
                          "the same years several times.", lang)
    if pv is None or pd.isna(pv):
        return paragraphs("观测值不足，无法外推至目标年（至少需要两个年份的数据）。",
                          "Not enough observed values to project to the target year "
                          "(at least two years with data are needed).", lang)
    if ap is None or pd.isna(ap):
        return paragraphs(
            f"按已观测年份的线性趋势外推，{ty}年预计为{esc(fmt_num(pv))} {unit}。",
            f"Projected to {ty} on the linear trend of the observed years: {esc(fmt_num(pv))} {unit}.", lang)
    return paragraphs(
        f"按已观测年份的线性趋势外推，{ty}年预计为{esc(fmt_num(pv))} {unit}，预计进度{esc(fmt_pct(ap))}。"
        f"{esc(ANTICIPATED_HELP[0])}。",
        f"Projected to {ty} on the linear trend of the observed years: {esc(fmt_num(pv))} {unit}, "
        f"an anticipated progress of {esc(fmt_pct(ap))}. {esc(ANTICIPATED_HELP[1][:1].upper() + ANTICIPATED_HELP[1][1:])}.",
        lang)


# --------------------------------------------------------------------------- key figures

def key_figures_text(latest: pd.DataFrame, with_area: bool = True) -> str:
    """The key figures as a plain-text table (what ``nbval-check-output`` cells print): per
    target its area, id, year of data, value, status, gap and progress, in the given row order, then
    a line of counts by status. Ids, not names: ASCII keeps the column widths stable. ``status``
    is the report status (:func:`~helpers.report.terms.report_status`), as the tables and charts
    show it: ``not_scored`` for a value the engine could not score, never ``no_data``."""
    cols = (["area"] if with_area else []) + ["indicator_id", "year", "value", "status", "gap", "progress"]
    d = latest[cols].copy()
    d["status"] = report_status(latest).to_numpy()
    d["year"] = d["year"].map(fmt_year)
    d["value"] = d["value"].astype("float64")
    d["gap"] = d["gap"].astype("float64")
    d["progress"] = d["progress"].astype("float64")
    counts = d["status"].value_counts()
    summary = ", ".join(f"{s}={int(counts.get(s, 0))}" for s in REPORT_STATUSES)
    return f"{plain_table(d.reset_index(drop=True))}\n\ntargets={len(d)}: {summary}"
