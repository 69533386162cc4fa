"""A set's ``sources.html``: every statistics value of the plan (every place, context series
included), one row each: target, geo, year, value as stored, unit, source title linked to its
URL, where on the page, note, source quality. Each row's id is
:func:`helpers.report.provenance.source_anchor` of its (indicator id, geo, year), the anchor the
area pages' values link to (``sources.html#<anchor>``). The table is
:func:`helpers.report.provenance.sources_frame`; the page is ``templates/pages/sources.html.j2``,
every value escaped.

The page is written afresh by every render (like index.html and changes.html), from the
validated inputs, so a set whose area pages were reused still gets the sources of its own
inputs; the anchors depend on the keys alone, so a reused page's links still land.
"""

from __future__ import annotations

from pathlib import Path

from helpers.report.provenance import SOURCES_PAGE as SOURCES_HTML  # one name, where the links are made


def sources_html(ctx, date: str, cite: str, files=()) -> str:
    """The page (``templates/pages/sources.html.j2``) for ``ctx`` (a
    :class:`helpers.report.params.Context`); ``cite`` is the footer's citation line (plain text)."""
    from markupsafe import Markup

    from helpers.publish.pages import render
    from helpers.report.htmltext import safe_link, t
    from helpers.report.provenance import sources_frame
    from helpers.vocab import HTML_LANG

    lang = ctx.lang
    frame = sources_frame(ctx.plan, lang)
    rows = []
    for r in frame.to_dict("records"):
        title, url = r["source_title"], r["source_url"]
        r["source"] = Markup(safe_link(url, title)) if (title or url) else ""
        rows.append(r)
    n, n_url = len(frame), int(frame["source_url"].notna().sum())
    heading = t("数据来源", "Sources of every value", lang)
    plan_title = ctx.plan.title(lang)
    return render("sources.html.j2", title=f"{heading} — {plan_title} — {date}", heading=heading,
                  html_lang=HTML_LANG.get(lang, "zh-CN"), lang=lang, plan_title=plan_title, date=date,
                  rows=rows, cite=cite, files=list(files),
                  lead_zh=(f"本规划统计表中的全部{n}个数值（含对照地区与参考序列），每个一行，{n_url}个附网页来源；"
                           "各领域报告中的数值链接到此处对应的行。"),
                  lead_en=(f"All {n} values of the plan's statistics (benchmarks and context series "
                           f"included), one row each, {n_url} with a web source; the values on the area "
                           "pages link to their row here."))


def write_sources(work: Path, ctx, date: str, cite: str, files=()) -> Path:
    path = Path(work) / SOURCES_HTML
    path.write_text(sources_html(ctx, date, cite, files), encoding="utf-8")
    return path
