"""The generic vocabularies of the data contract and their bilingual (中文/English) labels:
kinds, comparators, statuses, methods, languages. A plan's own vocabulary (its areas and places)
is data: ``plan.json`` (:class:`helpers.data.plan.Plan`). ``STATUS_ORDER`` runs from best to worst,
then ``no_data``; ``met`` and ``not_met`` are the verdicts of a target's own year (``VERDICTS``).
"""

from __future__ import annotations

LANGS: tuple[str, ...] = ("zh", "en", "both")
#: A page's ``<html lang>`` by report language (``both`` pages lead with Chinese; "zh-CN", not
#: nbconvert's ISO 639-1 "zh", so browsers and screen readers pick simplified-Chinese fonts and voices).
HTML_LANG: dict[str, str] = {"zh": "zh-CN", "en": "en", "both": "zh-CN"}

KINDS: dict[str, tuple[str, str]] = {
    "level": ("水平值", "level"),
    "annual": ("年度量", "yearly quota"),
    "cumulative": ("累计量", "running total"),
    "relative": ("相对值", "relative to a reference"),
    "rate_avg": ("年均增速", "average annual rate"),
    "rate_total": ("累计增减幅度(由逐年增速连乘)", "total change compounded from yearly rates"),
    "period_total": ("期内累计量(逐年加总)", "total over the plan period"),
    "annual_mean": ("年均量", "yearly average"),
    "change": ("较基期的变化量", "change from the baseline"),
    "change_pct": ("较基期的变化率(%)", "% change from the baseline"),
    "direction": ("变化方向(无数值目标)", "direction (no number)"),
    "unquantified": ("无量化目标", "no quantified target"),
}

#: Kinds that may name a reference series (``reference_id``); ``relative`` must.
REFERENCE_KINDS: tuple[str, ...] = ("relative", "rate_avg")

#: Optional ``binding`` column of the targets: 约束性 (binding) or 预期性 (expected).
BINDING: dict[str, tuple[str, str]] = {
    "binding": ("约束性", "binding"),
    "expected": ("预期性", "expected"),
}

#: What the value in the statistics means, per kind (used by the fill-in template).
KIND_VALUE_MEANING: dict[str, tuple[str, str]] = {
    "level": ("该年年末(或全年)的水平值", "the level in that year (end of year or annual figure)"),
    "annual": ("该年当年完成量(流量)", "that year's flow (done during the year)"),
    "cumulative": ("自基期年以来的累计完成量", "running total since the baseline year"),
    "relative": ("本地区该年的值(参照序列另存)", "the plan's own value that year (the reference series is stored separately)"),
    "rate_avg": ("该年比上年增长的百分比(增长8.1%填8.1，下降2.1%填-2.1)",
                 "that year's % change over the previous year (8.1 for +8.1 %, -2.1 for a 2.1 % fall)"),
    "rate_total": ("该年比上年增长的百分比(增长8.1%填8.1，下降2.1%填-2.1)",
                   "that year's % change over the previous year (8.1 for +8.1 %, -2.1 for a 2.1 % fall)"),
    "period_total": ("该年当年的流量(当年完成量，不是累计数)", "that year's flow (done during the year, not a running total)"),
    "annual_mean": ("该年当年的流量(当年完成量，不是累计数)", "that year's flow (done during the year, not a running total)"),
    "change": ("该年年末(或全年)的水平值(不是变化量)", "the level in that year (not the change)"),
    "change_pct": ("该年年末(或全年)的水平值(不是变化率)", "the level in that year (not the % change)"),
    "direction": ("该年年末(或全年)的水平值", "the level in that year (end of year or annual figure)"),
    "unquantified": ("该年公布的数值(只作展示，不评分)", "that year's published figure (shown, never scored)"),
}
#: An ``annual`` target held as a ceiling, a "about" value or a range every year (unemployment
#: ≤ 5.5): the value is that year's level, not a flow done during the year.
ANNUAL_LEVEL_MEANING = ("该年的水平值(每年都须在目标范围内，如上限)",
                        "that year's level (each year must stay within the target, e.g. under the ceiling)")


def value_meaning(kind: object, comparator: object = None) -> tuple[str, str]:
    """What one value of a target of ``kind`` (and ``comparator``) means, (中文, English):
    :data:`KIND_VALUE_MEANING`, except an ``annual`` target that is not a ``>=`` quota (a
    ceiling, "about", a range), whose value is that year's level (:data:`ANNUAL_LEVEL_MEANING`)."""
    k = str(kind)
    if k == "annual" and isinstance(comparator, str) and comparator.strip() in ("<=", "~", "between"):
        return ANNUAL_LEVEL_MEANING
    return KIND_VALUE_MEANING.get(k, (k, k))

COMPARATORS: tuple[str, ...] = (">=", "<=", "~", "between")

#: status key -> (中文, English), best first; ``no_data`` last. ``met`` / ``not_met``: the final
#: verdict in the target year; ``achieved``: the target reached before its year (docs/method.md).
STATUSES: dict[str, tuple[str, str]] = {
    "met": ("已完成", "met"),
    "achieved": ("已达成", "achieved"),
    "on_track": ("进展顺利", "on track"),
    "moderate": ("进展一般", "moderate progress"),
    "insufficient": ("进展不足", "insufficient progress"),
    "regressing": ("倒退", "regressing"),
    "not_met": ("未完成", "not met"),
    "no_data": ("无数据", "no data"),
}
#: The statuses of a target year (the final verdict).
VERDICTS: tuple[str, ...] = ("met", "not_met")
STATUS_ORDER: tuple[str, ...] = tuple(STATUSES)

#: Colour-blind-safe palette (Okabe–Ito), ``no_data`` a light grey so it never reads as a status.
STATUS_COLOURS: dict[str, str] = {
    "met": "#0072B2",  # blue: the final verdict, target met
    "achieved": "#009E73",  # bluish green
    "on_track": "#56B4E9",  # sky blue
    "moderate": "#F0E442",  # yellow
    "insufficient": "#E69F00",  # orange
    "regressing": "#D55E00",  # vermillion
    "not_met": "#CC79A7",  # reddish purple: the final verdict, target not met
    "no_data": "#E6E6E6",  # light grey
}

METHODS: tuple[str, ...] = ("linear", "cagr")

#: Method key -> (中文, English) (docs/method.md).
METHOD_LABELS: dict[str, tuple[str, str]] = {
    "linear": ("线性路径", "linear path"),
    "cagr": ("复合增长率", "compound annual growth (CAGR)"),
}


def label(pair: tuple[str, str], lang: str = "both") -> str:
    """Pick the label for ``lang``: ``zh``, ``en`` or ``both`` ("中文 / English")."""
    zh, en = pair
    if lang == "zh":
        return zh
    if lang == "en":
        return en
    return f"{zh} / {en}" if zh != en else zh


def status_label(status: str, lang: str = "both") -> str:
    return label(STATUSES.get(status, (status, status)), lang)

#: Optional ``source_quality`` column of the statistics: who hosts the page a value is cited
#: from, best first (docs/data_contract.md, "Source quality"; the shipped plans' grades follow
#: the host rule of ``data/source_quality.csv``).
SOURCE_QUALITY: dict[str, tuple[str, str]] = {
    "publisher": ("发布机构原文", "publisher's own page"),
    "official_repost": ("官方转载", "official repost"),
    "media": ("媒体报道", "media report"),
    "mirror": ("转载/镜像网页", "copy on another site"),
}
