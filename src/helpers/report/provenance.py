"""Where a plan's values come from, for the coverage page: the statistics rows counted by the
quality of their source (:func:`helpers.report.frames.source_quality_frame`; the scale is
:data:`helpers.vocab.SOURCE_QUALITY`, documented in docs/data_contract.md, "Source quality").
"""

from __future__ import annotations

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
