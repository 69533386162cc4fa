"""The reports' words, one meaning each, and the engine's notes in words.

- the words for what a report shows (issue 13: one meaning per word): the two distances
  :data:`GAP_TO_TARGET` and :data:`GAP_TO_PATH`, the :data:`REQUIRED_PATH`, :data:`NO_DATA`
  ("no value at all") and :data:`NOT_SCORED` ("a value the engine could not score"), each a
  (中文, English) pair, with the explanations a table prints beside them (``*_HELP``);
- the report statuses: the engine's, with ``not_scored`` apart from ``no_data``
  (:func:`report_status`, :data:`REPORT_STATUSES`, :data:`REPORT_STATUS_COLOURS`);
- the engine's notes (``status_note`` / ``method_note``, English) as short labels in ``lang``
  (:func:`note_label`, :func:`row_notes`);
- the charts' words, ``T_*`` (legends, axes, titles), the one home of every word a chart draws.

Plain text, not escaped: the callers (:mod:`helpers.report.tables`, :mod:`helpers.report.narrate`) escape it.
"""

from __future__ import annotations

import re
from typing import Sequence

import pandas as pd

from helpers.formats import fmt_num, fmt_year
from helpers.vocab import STATUS_COLOURS, STATUSES, label

#: What "no data" reads like in sentences and labels (a missing number in a table is MISSING, "—").
#: It means one thing only: the jurisdiction has no value for the target up to the as-of year.
NO_DATA = STATUSES["no_data"]


def no_data_word(lang: str = "both") -> str:
    """:data:`NO_DATA` in ``lang`` ("无数据", "no data", "无数据 / no data")."""
    return label(NO_DATA, lang)


# One meaning per word (issue 13): the two distances a report shows have two names, in the
# tables and in the charts alike; every table that shows one of them explains it beside it.

#: How far the value still is from the plan's final target (the engine's ``gap``; positive =
#: still short of it, 0 = met, negative = beyond it).
GAP_TO_TARGET = ("距目标", "gap to target")
#: How far the value is behind the straight path from the baseline to the target in that year
#: (``direction · (required − value)``; positive = behind the path, negative = ahead of it).
GAP_TO_PATH = ("距应达路径", "gap to path")
#: The path itself (``required`` in each year: the value that year should have reached).
REQUIRED_PATH = ("应达路径", "required path")
REQUIRED = ("应达值", "required")
#: The linear trend of the observed values carried to the target year, as progress (100 % = the
#: target met); shown only for a scored target that is not yet achieved.
ANTICIPATED_PROGRESS = ("预计目标年进度", "anticipated progress")

#: Report status of a target with a value that the engine could not score (its ``status`` is
#: ``no_data`` but ``value`` is known: no baseline, a missing year of a running figure, no
#: quantified target...). Tables show it with the reason, never as "no data".
NOT_SCORED = ("有数值，未评分", "value, not scored")
#: A statistics series ``<target id>:<suffix>`` shown beside a target, never scored.
CONTEXT_SERIES = ("参考序列", "context")
NOT_SCORED_KEY = "not_scored"
#: The heading of the compact list of targets without any value.
NO_DATA_HEADING = ("无数据的目标", "Targets without data")
#: Report status of a target whose target year has passed without its figure
#: (``latest_status``'s ``final_pending``): never shown as progress; its latest status is beside it.
FINAL_PENDING = ("最终值尚未公布", "final value not yet published")
FINAL_PENDING_KEY = "final_pending"
#: Report statuses: the engine's, with ``final_pending`` and ``not_scored`` before ``no_data``.
REPORT_STATUSES: dict[str, tuple[str, str]] = {
    **{k: v for k, v in STATUSES.items() if k != "no_data"}, FINAL_PENDING_KEY: FINAL_PENDING,
    NOT_SCORED_KEY: NOT_SCORED, "no_data": STATUSES["no_data"]}
#: Cell colours of the report statuses (``not_scored``: a pale purple, ``final_pending`` a pale
#: blue-grey, apart from the grey of ``no_data`` and from every status colour).
REPORT_STATUS_COLOURS: dict[str, str] = {**STATUS_COLOURS, FINAL_PENDING_KEY: "#DDE3EA", NOT_SCORED_KEY: "#EADCF0"}
#: The engine's note of a year whose definition differs from the baseline year's, and the caveat
#: a status carries for it (tables: in ``status_detail``; the heatmap: a hatch).
DEFINITION_BREAK_NOTE = "definition differs from the baseline year's"
DEFINITION_BREAK = ("口径与基期不同，不可直接比较", "definition changed since the baseline: not comparable")
#: The column of a status table that qualifies its status: its year when older than the as-of
#: year, the latest status of a pending final value, the year first reached, "exceeded by".
STATUS_DETAIL = ("状态说明", "About the status")

GAP_TO_TARGET_HELP = (
    "距目标：离规划最终目标还差多少（正数＝未达到，0＝已达到）",
    "gap to target: how far the value is from the plan's final target (positive = short of it, 0 = met)")
GAP_TO_PATH_HELP = (
    "距应达路径：离该年应达值（基期到目标的直线路径）还差多少（正数＝落后，负数＝领先）",
    "gap to path: how far it is behind the value required that year on the straight path from "
    "the baseline (positive = behind, negative = ahead)")
ANTICIPATED_HELP = (
    "预计目标年进度：按已观测年份的线性趋势外推到目标年的进度（100%＝达到目标），只列尚未达成的已评分目标",
    "anticipated progress: the progress the linear trend of the observed years would reach by the "
    "target year (100% = met), listed only for scored targets not yet achieved")
#: Under the by-year table of a ratio of two growth rates (``rate_avg`` with a reference).
RATE_RATIO_NOTE = (
    "本指标年均增速、参照序列年均增速：基期之后各年增速的复合平均（%/年）；实际值为二者之比",
    "own and reference's average growth: the yearly rates since the baseline, compounded (% a year); "
    "the value is their ratio")
NOT_SCORED_HELP = (
    "“有数值，未评分”：原因见表下的说明",
    "'value, not scored': the reason is in the notes under the table")


# --------------------------------------------------------------------------- report statuses

def report_status(latest: pd.DataFrame) -> pd.Series:
    """The status a report table shows per row: the engine's ``status``, except that a row with a
    value the engine could not score (``no_data`` with a ``value``) is :data:`NOT_SCORED_KEY`.
    ``no_data`` is then only "no value at all"."""
    status = latest["status"].astype("string").fillna("no_data")
    status = status.where(~((status == "no_data") & latest["value"].notna()), NOT_SCORED_KEY)
    if "final_pending" in latest.columns:
        status = status.where(~latest["final_pending"].astype("boolean").fillna(False).astype(bool), FINAL_PENDING_KEY)
    return status.astype(object)


def with_report_status(latest: pd.DataFrame) -> pd.DataFrame:
    """``latest`` with a ``report_status`` column (:func:`report_status`) beside the engine's
    ``status``: what every table and chart of a report shows for the row."""
    return latest.assign(report_status=report_status(latest).to_numpy())


def _is_true(v: object) -> bool:
    return v is not None and not (not isinstance(v, str) and pd.isna(v)) and bool(v)


def status_detail(row: pd.Series, lang: str = "both") -> str | None:
    """What qualifies one row's status (a :func:`helpers.method.summaries.latest_status` row), plain
    text in ``lang``; None when nothing does:

    - a final value not yet published: the latest status and its year beside it;
    - a status older than the year it is shown for (``stale``): its year;
    - ``achieved`` / ``met``: the year first reached when earlier than the target year, and
      "exceeded by x" when the value is beyond the target (never a progress above 100 %);
    - ``not_met``: "short by x";
    - a year whose definition differs from the baseline year's: the caveat :data:`DEFINITION_BREAK`.
    """
    status = str(row.get("status"))
    year = row.get("year")
    unit = row.get("unit_zh") if lang == "zh" and isinstance(row.get("unit_zh"), str) else row.get("unit")
    unit = f" {unit.strip()}" if isinstance(unit, str) and unit.strip() else ""
    zh: list[str] = []
    en: list[str] = []
    if _is_true(row.get("final_pending")):
        latest = row.get("status_of_year")
        if isinstance(latest, str) and pd.notna(year):
            zh.append(f"最近：{label(STATUSES.get(latest, (latest, latest)), 'zh')}（{fmt_year(year)}年）")
            en.append(f"latest: {label(STATUSES.get(latest, (latest, latest)), 'en')} ({fmt_year(year)})")
    elif _is_true(row.get("stale")):
        zh.append(f"{fmt_year(year)}年的状态")
        en.append(f"status of {fmt_year(year)}")
    first = row.get("first_met_year")
    target_year = row.get("target_year")
    if status in ("achieved", "met") and pd.notna(first) and (pd.isna(target_year) or first < target_year):
        zh.append(f"{fmt_year(first)}年首次达到")
        en.append(f"first reached in {fmt_year(first)}")
    gap = row.get("gap")
    gap = float(gap) if gap is not None and pd.notna(gap) else float("nan")
    if status in ("achieved", "met") and round(gap, 9) < 0:
        zh.append(f"超出目标{fmt_num(-gap)}{unit}")
        en.append(f"exceeded by {fmt_num(-gap)}{unit}")
    if status == "not_met" and round(gap, 9) > 0:
        zh.append(f"差{fmt_num(gap)}{unit}")
        en.append(f"short by {fmt_num(gap)}{unit}")
    note = row.get("status_note")
    if isinstance(note, str) and DEFINITION_BREAK_NOTE in note:
        zh.append(DEFINITION_BREAK[0])
        en.append(DEFINITION_BREAK[1])
    if not en:
        return None
    return label(("；".join(zh), "; ".join(en)), lang)


def exceeded(latest: pd.DataFrame) -> pd.Series:
    """Rows whose target is met with room to spare (status ``achieved`` / ``met``, gap < 0): a
    report says "exceeded by x" there, not a progress above 100 %."""
    gap = latest["gap"].astype("float64").round(9) if "gap" in latest.columns else pd.Series(float("nan"), index=latest.index)
    return latest["status"].astype("string").isin(["achieved", "met"]).fillna(False) & (gap < 0)


def report_status_label(key: object, lang: str = "both") -> str:
    """The label of a report status (:data:`REPORT_STATUSES`) in ``lang``; an unknown key as it is."""
    return label(REPORT_STATUSES.get(str(key), (str(key), str(key))), lang)


def unscored(latest: pd.DataFrame) -> pd.DataFrame:
    """Targets with a value that the engine could not score (status no_data, e.g. no baseline);
    not those whose target year has passed without its figure (:func:`final_pending`)."""
    return latest[(latest["status"] == "no_data") & latest["value"].notna() & ~_pending(latest)]


def _pending(latest: pd.DataFrame) -> pd.Series:
    if "final_pending" not in latest.columns:
        return pd.Series(False, index=latest.index)
    return latest["final_pending"].fillna(False).astype(bool)


def final_pending(latest: pd.DataFrame) -> pd.DataFrame:
    """Targets whose target year has passed (as of the report's year) without its figure."""
    return latest[_pending(latest)]


def without_value(latest: pd.DataFrame) -> pd.DataFrame:
    """Targets with no value at all up to the as-of year."""
    return latest[(latest["status"] == "no_data") & latest["value"].isna() & ~_pending(latest)]


# --------------------------------------------------------------------------- engine notes

#: The engine's notes (``status_note`` / ``method_note``, English; :mod:`helpers.method.gaps` and
#: :mod:`helpers.method.kinds`) -> (中文, English) labels. A key is the start of a note; ``{year}``
#: stands for the year a note names and is filled into the label.
NOTE_LABELS: dict[str, tuple[str, str]] = {
    "no baseline value": ("无基期值，未评分", "no baseline value: not scored"),
    "progress undefined": ("进度无法计算，未评分", "progress undefined: not scored"),
    "baseline already meets the target": ("基期已达标", "baseline already met the target"),
    "no value in {year}": ("{year}年无数值（逐年累计的指标需基期后每一年的数值），未评分",
                           "no value for {year} (a running figure needs every year): not scored"),
    "reference series: no value in {year}": ("参照序列{year}年无数值，未评分",
                                             "reference series has no value for {year}: not scored"),
    "reference series' average annual rate is not positive": (
        "参照序列年均增速不为正，无法求比值，未评分", "reference series' average rate is not positive: not scored"),
    "direction needs positive values": ("方向类目标需要正值(当年与基期)，未评分",
                                        "a direction needs positive values: not scored"),
    "no quantified target": ("规划未设量化目标，数值仅作展示，不评分",
                             "no quantified target: value shown, never scored"),
    "definition differs from the baseline year's": ("统计口径与基期年不同，不可直接比较",
                                                    "definition differs from the baseline year: not comparable"),
    "no projection for this kind": ("此类指标不作趋势外推", "no projection for this kind"),
    "final value not yet published": ("目标年数值尚未公布", "final value not yet published"),
    "not met in {years}: a yearly quota": ("{years}年未达到（年度目标须每年达到）",
                                           "not met in {years} (a yearly quota must hold every year)"),
    "no value in {years}: a yearly quota": ("{years}年无数值（年度目标须每年达到），最终结论待定",
                                            "no value for {years} (a yearly quota must hold every year): verdict open"),
    "direction: judged on the trend": ("方向类目标：按整个规划期的趋势判断",
                                       "direction: judged on the trend over the whole plan"),
    "cagr not applicable (yearly quota)": ("复合增速不适用(年度量)，按线性规则", "cagr n/a (yearly quota): linear rule"),
    "cagr not applicable (no baseline)": ("复合增速不适用(无基期值)", "cagr n/a (no baseline)"),
    "cagr not applicable (baseline already meets": ("复合增速不适用(基期已达标)，按线性规则", "cagr n/a (baseline met): linear rule"),
    "cagr not applicable (non-positive values)": ("复合增速不适用(非正值)，按线性规则", "cagr n/a (non-positive values): linear rule"),
    "cagr not applicable (value beyond the band)": ("复合增速不适用(超出区间)，按线性规则", "cagr n/a (beyond the band): linear rule"),
    "cagr not applicable (running figure or direction)": (
        "复合增速不适用(逐年累计或方向类)，按线性规则", "cagr n/a (running figure or direction): linear rule"),
}

#: Notes a status table leaves out: they explain an absence the table already shows plainly.
QUIET_NOTES: tuple[str, ...] = ("no projection for this kind",)


def _note_patterns() -> list[tuple[re.Pattern, str]]:
    pats = [(re.compile(re.escape(key).replace(re.escape("{year}"), r"(?P<year>\d{4})")
                        .replace(re.escape("{years}"), r"(?P<years>\d{4}(?:, \d{4})*)")), key)
            for key in NOTE_LABELS]
    return sorted(pats, key=lambda p: -len(p[1]))  # the longest key first ("reference series: ...")


_NOTE_PATTERNS = _note_patterns()


def note_parts(note: object) -> list[tuple[str | None, dict, str]]:
    """An engine note split into the notes it joins (the engine joins them with "; ", and a
    note may itself contain "; "): a list of (NOTE_LABELS key or None, fields such as
    ``{"year": "2022"}``, the note's text)."""
    if note is None or (not isinstance(note, str) and pd.isna(note)) or not str(note).strip():
        return []
    text = str(note).strip()
    starts: dict[int, tuple[str, dict]] = {}
    for pat, key in _NOTE_PATTERNS:
        for m in pat.finditer(text):
            i = m.start()
            if (i == 0 or text[max(0, i - 2):i] == "; ") and i not in starts:
                starts[i] = (key, m.groupdict())
    if 0 not in starts:
        starts[0] = (None, {})
    cuts = sorted(starts)
    out = []
    for a, b in zip(cuts, cuts[1:] + [len(text) + 2]):
        key, fields = starts[a]
        out.append((key, fields, text[a:b - 2] if b <= len(text) else text[a:]))
    return out


def note_label(note: object, lang: str = "both", quiet: Sequence[str] = ()) -> str | None:
    """Short label of an engine note in ``lang``; several joined notes are labelled one by one
    (joined with "; "); an unknown note is returned as it is (to be escaped by the caller); NA ->
    None. ``quiet``: NOTE_LABELS keys to leave out."""
    labels = []
    for key, fields, text in note_parts(note):
        if key in quiet:
            continue
        labels.append(label(NOTE_LABELS[key], lang).format(**fields) if key else text)
    return "; ".join(labels) if labels else None


def row_notes(df: pd.DataFrame, lang: str, cols: Sequence[str] = ("status_note", "method_note"),
              quiet: Sequence[str] = ()) -> pd.Series:
    """Per row of ``df``, the labels (:func:`note_label`) of the engine notes in ``cols`` that are
    present, joined with "; "; None for a row with none (or when ``df`` has none of ``cols``)."""
    parts = [df[c].map(lambda n: note_label(n, lang, quiet)) for c in cols if c in df.columns]
    if not parts:
        return pd.Series([None] * len(df), index=df.index, dtype=object)
    joined = pd.concat(parts, axis=1).apply(lambda r: "; ".join(x for x in r if x), axis=1)
    return joined.where(joined != "", None)


# --------------------------------------------------------------------------- chart words
# The words the charts draw (legends, axes, titles, notes), ``T_*``; a legend entry starts with a
# capital letter, so the report words above appear here capitalised.

def capitalised(pair: tuple[str, str]) -> tuple[str, str]:
    """A (中文, English) pair with the English first letter in upper case."""
    return pair[0], pair[1][:1].upper() + pair[1][1:]


# Bilingual strings of a target's own series (zh, en).
T_DONE_IN_YEAR = ("当年完成", "Done in the year")
T_REQUIRED = capitalised(REQUIRED_PATH)
T_QUOTA = ("年度目标", "Yearly quota")
T_TARGET = ("目标", "Target")
T_TARGET_RANGE = ("目标区间", "Target range")
T_SHORTFALL = capitalised(GAP_TO_PATH)  # behind the path, not the target
T_REFERENCE_LEVEL = ("参照水平", "Reference level")
T_NO_DATA = NO_DATA
T_NO_BASELINE = ("无基期值: 不画应达路径", "no baseline value: no required path")
T_BASELINE = ("基期", "baseline")
# The year's own figure of a running kind (bars) and the panel they may go on.
T_RAW_RATE = ("当年增速", "that year's rate")
T_RAW_FLOW = ("当年量", "that year's figure")
T_LOWER_PANEL = ("下图", "lower panel")
T_UNIT = ("单位", "unit")
T_RAW_RATE_UNIT = ("%(比上年)", "% over previous year")
T_TREND = ("趋势", "trend")

# Bilingual strings of the series drawn beside a target (zh, en).
T_CONTEXT = ("参考序列, 口径不同, 不计分", "context, other measure, not scored")
T_CONTEXT_AXIS = ("右轴: 参考序列", "right axis: context series")
T_RIGHT_AXIS = ("右轴", "right axis")

# Bilingual strings of the charts' titles, axes and dispatch (zh, en).
T_YEAR = ("年份", "Year")
T_OBSERVED = ("实际值", "Observed")
T_RUNNING_TOTAL = ("累计完成", "Running total")
T_RATIO = ("与参照之比", "Ratio to reference")
T_NO_BASELINE_CHANGE = ("无基期值: 目标水平无法确定", "no baseline value: the target level is unknown")
T_NO_BASELINE_TREND = ("无基期值: 无法计算趋势", "no baseline value: no trend")
T_NOT_APPLICABLE = ("不适用", "not applicable")
# The scored quantity of each running kind (a line).
T_SCORED: dict[str, tuple[str, str]] = {
    "rate_avg": ("年均增速(累计)", "average annual rate so far"),
    "rate_avg_ratio": ("年均增速之比(累计)", "ratio of average annual rates so far"),
    "rate_total": ("累计变化(逐年增速连乘)", "total change so far (yearly rates compounded)"),
    "period_total": ("期内累计", "total so far"),
    "annual_mean": ("年均值(累计)", "yearly average so far"),
}
T_WANTED_UP = ("无数值目标, 要求上升", "no number in the plan: it should rise")
T_WANTED_DOWN = ("无数值目标, 要求下降", "no number in the plan: it should fall")
T_UNQUANTIFIED = ("无量化目标", "no quantified target")
T_HEATMAP_TITLE = ("各目标逐年状态", "Status of every target by year")
T_SCOREBOARD_TITLE = ("各领域目标状态", "Status of targets by area")
T_COUNT = ("目标数(个)", "Number of targets")
T_STATUS = ("状态", "Status")
