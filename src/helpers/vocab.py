"""Controlled vocabularies of the data contracts and their bilingual (中文/English) labels.

The order of ``AREAS`` is the plan's own order of its nine task sections (四)–(十二); charts and
tables use it. ``STATUS_ORDER`` runs from best to worst, then ``no_data``.
"""

from __future__ import annotations

LANGS: tuple[str, ...] = ("zh", "en", "both")

#: area key -> (中文, English), in the plan's order.
AREAS: dict[str, tuple[str, str]] = {
    "employment": ("就业与收入", "Jobs and income"),
    "education": ("教育", "Education"),
    "health": ("医疗卫生", "Health"),
    "social_security": ("社会保障", "Social security"),
    "culture": ("公共文化", "Culture"),
    "public_safety": ("公共安全", "Public safety"),
    "infrastructure": ("基础设施", "Infrastructure"),
    "ecology": ("生态环境", "Ecology"),
    "poverty": ("脱贫攻坚", "Poverty alleviation"),
}

KINDS: dict[str, tuple[str, str]] = {
    "level": ("水平值", "level"),
    "annual": ("年度量", "yearly quota"),
    "cumulative": ("累计量", "running total"),
    "relative": ("相对值", "relative to a reference"),
}

#: What the value in the statistics means, per kind (used by the fill-in template).
KIND_VALUE_MEANING: dict[str, tuple[str, str]] = {
    "level": ("该年年末(或全年)的水平值", "the level in that year (end of year or annual figure)"),
    "annual": ("该年当年完成量(流量)", "that year's flow (done during the year)"),
    "cumulative": ("自基期年以来的累计完成量", "running total since the baseline year"),
    "relative": ("本地区该年的值(参照序列另存)", "the plan's own value that year (the reference series is stored separately)"),
}

COMPARATORS: tuple[str, ...] = (">=", "<=", "~", "between")

#: status key -> (中文, English), best first; ``no_data`` last.
STATUSES: dict[str, tuple[str, str]] = {
    "achieved": ("已达成", "achieved"),
    "on_track": ("进展顺利", "on track"),
    "moderate": ("进展一般", "moderate progress"),
    "insufficient": ("进展不足", "insufficient progress"),
    "regressing": ("倒退", "regressing"),
    "no_data": ("无数据", "no data"),
}
STATUS_ORDER: tuple[str, ...] = tuple(STATUSES)

#: Colour-blind-safe palette (Okabe–Ito), ``no_data`` a light grey so it never reads as a status.
STATUS_COLOURS: dict[str, str] = {
    "achieved": "#009E73",  # bluish green
    "on_track": "#56B4E9",  # sky blue
    "moderate": "#F0E442",  # yellow
    "insufficient": "#E69F00",  # orange
    "regressing": "#D55E00",  # vermillion
    "no_data": "#E6E6E6",  # light grey
}

METHODS: tuple[str, ...] = ("linear", "cagr")

GEO_LABELS: dict[str, tuple[str, str]] = {
    "fuyang": ("阜阳市", "Fuyang"),
    "anhui": ("安徽省", "Anhui"),
    "china": ("全国", "China"),
}


def label(pair: tuple[str, str], lang: str = "both") -> str:
    """Pick the label for ``lang``: ``zh``, ``en`` or ``both`` ("中文 / English")."""
    zh, en = pair
    if lang == "zh":
        return zh
    if lang == "en":
        return en
    return f"{zh} / {en}" if zh != en else zh


def area_label(area: str, lang: str = "both") -> str:
    return label(AREAS.get(area, (area, area)), lang)


def status_label(status: str, lang: str = "both") -> str:
    return label(STATUSES.get(status, (status, status)), lang)


def geo_label(geo: str, lang: str = "both") -> str:
    return label(GEO_LABELS.get(geo, (geo, geo)), lang)
