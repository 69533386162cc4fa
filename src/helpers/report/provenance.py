"""Where a plan's values come from, and how to cite a report.

- the coverage page's count of the statistics rows by the quality of their source
  (:func:`helpers.report.frames.source_quality_frame`; the scale is
  :data:`helpers.vocab.SOURCE_QUALITY`, documented in docs/data_contract.md, "Source quality");
- the set's sources page: every value one row (:func:`sources_frame`), each with the stable
  anchor :func:`source_anchor` that the area pages link to (:func:`source_href`,
  :func:`value_links`); the page itself is written by :mod:`helpers.publish.sources`;
- (the "how to cite" line of every page's footer is :func:`helpers.report.htmltext.citation_text`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pandas as pd

from helpers.formats import fmt_num, fmt_pct
from helpers.report import frames
from helpers.report.htmltext import esc, heading, t
from helpers.report.tables import text_styler

if TYPE_CHECKING:
    from helpers.report.params import Context


def source_quality_table(frame: pd.DataFrame, lang: str = "both") -> str:
    """:func:`helpers.report.frames.source_quality_frame` as an HTML table: quality, rows, share."""
    out = pd.DataFrame(index=frame.index)
    out[t("来源质量", "Source quality", lang)] = frame["label"]
    out[t("数值条数", "Values", lang)] = frame["rows"].map(fmt_num)
    out[t("占比", "Share", lang)] = frame["share"].map(fmt_pct)
    return text_styler(out, numeric=list(out.columns[1:])).to_html()


def source_quality_html(ctx: "Context") -> str:
    """Heading, what the grades mean, and the count of the plan's statistics rows per grade."""
    frame = frames.source_quality_frame(ctx.statistics, ctx.lang)
    n = int(frame["rows"].sum())
    lead = t(f"全部{n}条数值（含对照地区与参考序列）按其来源网页所在网站分级：发布机构原文（政府部门自己的网站）、"
             "官方转载（中国政府网与中央新闻机构）、媒体报道、转载/镜像网页（没有编辑身份的网站上的副本）。",
             f"All {n} values (benchmarks and context series included), graded by the site that hosts "
             "the cited page: the publisher's own page (a government body's site), an official repost (the "
             "State Council portal, the central state news organisations), a media report, or a copy on "
             "another site (a site with no editorial identity).", ctx.lang)
    return (heading("来源质量", "Source quality", ctx.lang) + f"<p>{esc(lead)}</p>"
            + source_quality_table(frame, ctx.lang))


# --------------------------------------------------------------------------- the sources page

#: The set's page listing every statistics value with its source (written by the publish wing).
SOURCES_PAGE = "sources.html"
_ANCHOR_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.")


def _anchor_part(value: object) -> str:
    """``value`` as text, URL- and id-safe: letters, digits, ``_``, ``.`` and a lone inner ``-``
    kept; every other character (``~`` and a ``-`` at an end or beside another ``-`` included)
    written ``~xx`` (its UTF-8 bytes in hex). A part so written never holds ``--``, so the parts
    joined by ``--`` give distinct anchors for distinct keys."""
    text = str(value)
    out = []
    for k, ch in enumerate(text):
        lone_dash = ch == "-" and 0 < k < len(text) - 1 and text[k - 1] != "-" and text[k + 1] != "-"
        out.append(ch if ch in _ANCHOR_SAFE or lone_dash else "".join(f"~{b:02x}" for b in ch.encode("utf-8")))
    return "".join(out)


def source_anchor(indicator_id: object, geo: object, year: object) -> str:
    """The stable HTML id of one statistics value's row on :data:`SOURCES_PAGE`, from its key
    (indicator id, geo, year): ``v-I01--china--2021``; a context series' ``:`` and any other
    character :func:`_anchor_part` does not keep is hex-encoded (``v-I07~3agdp--china--2021``).
    The one function both the area pages' links and the sources page's rows use."""
    y = int(year) if not isinstance(year, str) else year
    return f"v-{_anchor_part(indicator_id)}--{_anchor_part(geo)}--{_anchor_part(y)}"


def source_href(indicator_id: object, geo: object, year: object) -> str:
    """The relative URL of a value's row on the set's sources page (``sources.html#<anchor>``)."""
    return f"{SOURCES_PAGE}#{source_anchor(indicator_id, geo, year)}"


def value_links(statistics: pd.DataFrame, frame: pd.DataFrame, geo: str) -> list[str | None]:
    """Per row of ``frame`` (with ``id``, ``year``, ``value``: a status frame), the
    :func:`source_href` of the statistics value it shows in ``geo``; ``None`` when the row has
    no value or no statistics row holds that key (a value the method derived, e.g. a ratio)."""
    keys = set(zip(statistics["indicator_id"].astype(str), statistics["geo"].astype(str),
                   statistics["year"].astype("Int64")))
    out: list[str | None] = []
    for i, y, v in zip(frame["id"].astype(str), frame["year"], frame["value"]):
        ok = pd.notna(y) and pd.notna(v) and (i, str(geo), int(y)) in keys
        out.append(source_href(i, geo, int(y)) if ok else None)
    return out


#: Where the compiled notes say where on the cited page the value is.
_LOCATOR = re.compile(r"where on the page:\s*(.*?)(?:\.\s+Source note:|$)", re.S)


def split_locator(note: object) -> tuple[str | None, str | None]:
    """(locator, rest of the note): the part of a statistics ``note`` after "where on the page:"
    (up to "Source note:" or the end), the shipped compilations' convention for where on the
    cited page the value stands, and the note without it; ``(None, note)`` when the note has no
    such part."""
    if not isinstance(note, str) or not note.strip():
        return None, None
    m = _LOCATOR.search(note)
    if not m or not m.group(1).strip():
        return None, note.strip()
    head, tail = note[:m.start()].rstrip(" ;,"), note[m.end(1):].lstrip(". ")
    rest = ". ".join(x for x in (head.rstrip("."), tail) if x)
    return m.group(1).strip().rstrip("."), (rest or None)


def sources_frame(plan, lang: str = "both") -> pd.DataFrame:
    """Every statistics value of ``plan`` (every place, context series included), one row each,
    in target order then geo (the jurisdiction first) and year: ``anchor``
    (:func:`source_anchor`), ``id``, ``name`` (the target's, a context series' label added),
    ``geo`` (its label), ``year``, ``value`` (as stored, :func:`helpers.formats.fmt_exact`),
    ``unit``, ``source_title``, ``source_url``, ``locator`` (:func:`split_locator`), ``note``,
    ``quality`` (the :data:`helpers.vocab.SOURCE_QUALITY` label; empty when not graded)."""
    from helpers.formats import fmt_exact, series_label_pair, text_or_none
    from helpers.report.htmltext import geo_name, names
    from helpers.report.terms import CONTEXT_SERIES
    from helpers.vocab import SOURCE_QUALITY

    s = plan.statistics
    targets = plan.targets
    order = {i: n for n, i in enumerate(targets["id"].astype(str))}
    tnames = dict(zip(targets["id"].astype(str), names(targets, lang)))
    ids = s["indicator_id"].astype(str)
    base = ids.str.split(":", n=1).str[0]  # (partition fails on no rows)
    home = str(plan.meta.get("jurisdiction", ""))
    d = s.assign(_id=ids, _o=base.map(order).fillna(len(order)), _ctx=ids.str.contains(":"),
                 _home=s["geo"].astype(str) != home).sort_values(
        ["_o", "_id", "_ctx", "_home", "geo", "year"], kind="mergesort")
    rows = []
    for i in d.to_dict("records"):
        bid, sep, suffix = str(i["_id"]).partition(":")
        name = tnames.get(bid, bid)
        if sep:
            name += f" · {t(*CONTEXT_SERIES, lang)}: " + t(*series_label_pair(s[ids == i["_id"]], suffix), lang)
        locator, note = split_locator(i.get("note"))
        q = text_or_none(i.get("source_quality"))
        rows.append({"anchor": source_anchor(i["_id"], i["geo"], i["year"]), "id": i["_id"], "name": name,
                     "geo": geo_name(plan, i["geo"], lang), "year": int(i["year"]),
                     "value": fmt_exact(i["value"]), "unit": text_or_none(i.get("unit")) or "",
                     "source_title": text_or_none(i.get("source_title")),
                     "source_url": text_or_none(i.get("source_url")), "locator": locator, "note": note,
                     "quality": t(*SOURCE_QUALITY[q], lang) if q in SOURCE_QUALITY else ""})
    return pd.DataFrame(rows, columns=["anchor", "id", "name", "geo", "year", "value", "unit", "source_title",
                                       "source_url", "locator", "note", "quality"])


def area_values_html(ctx: "Context", area: str) -> str:
    """Every statistics value behind an area's targets — their own series in every place, their
    context series and the reference series they are measured against — one row each, the value
    linked to its row on the set's sources page (:func:`source_href`), folded under a summary;
    ``""`` when there is none."""
    lang = ctx.lang
    targets = ctx.plan.targets[ctx.plan.targets["area"].astype(str) == str(area)]
    wanted = set(targets["id"].astype(str))
    if "reference_id" in targets:
        wanted |= set(targets["reference_id"].dropna().astype(str))
    frame = sources_frame(ctx.plan, lang)
    rows = frame[frame["id"].astype(str).str.split(":", n=1).str[0].isin(wanted)]
    if rows.empty:
        return ""
    value = t("数值", "Value", lang)
    out = pd.DataFrame({
        t("目标", "Target", lang): rows["name"].to_numpy(),
        t("地区", "Geo", lang): rows["geo"].to_numpy(),
        t("年份", "Year", lang): rows["year"].astype(str).to_numpy(),
        value: [f'<a href="{SOURCES_PAGE}#{a}">{esc(v)}</a>' for a, v in zip(rows["anchor"], rows["value"])],
        t("单位", "Unit", lang): rows["unit"].to_numpy(),
        t("来源质量", "Source quality", lang): rows["quality"].to_numpy(),
    })
    n = len(out)
    summary = t(f"本领域目标背后的全部{n}个数值，每个链接到其来源", f"All {n} values behind this area's targets, "
                "each linked to its source", lang)
    table = text_styler(out, raw={value}, numeric=[t("年份", "Year", lang), value]).to_html()
    return f"<details class=\"area-values\"><summary>{esc(summary)}</summary>{table}</details>"
