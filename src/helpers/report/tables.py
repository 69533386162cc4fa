"""The report's tables as HTML, every cell and header escaped, and as plain text.

- :func:`text_styler`: any DataFrame of strings as a pandas Styler (cells escaped, http(s) links);
  :func:`plain_table`: a fixed-width plain-text table for ``print()``;
- :func:`frame_styler`: a pandas Styler of a :mod:`helpers.report.frames` frame (labelled headers,
  formatted cells, status colours, notes under the table), used by :func:`status_table`,
  :func:`gap_by_year_table` and :mod:`helpers.report.sections`; :func:`status_columns`,
  :func:`with_target_year`, :func:`table_notes` and :func:`status_help` choose what a status
  table shows and explain it;
- :func:`sources_table` (the statistics rows behind a target, :func:`related_ids`) and the
  coverage tables (:func:`coverage_area_table`, :func:`coverage_target_table`).

Tables are built from strings (numbers and targets formatted by :mod:`helpers.formats`), so a
missing number is shown as :data:`~helpers.formats.MISSING` ("—") and never as 0. Every public
function takes ``lang`` in ``zh`` | ``en`` | ``both`` (headers "中文 / English").
"""

from __future__ import annotations

import functools
from typing import Sequence

import numpy as np
import pandas as pd

from helpers.formats import MISSING, fmt_num, fmt_pct, fmt_year
from helpers.report.frames import by_year_frame, status_frame
from helpers.report.htmltext import (
    area_name,
    cap,
    esc,
    geo_name,
    names,
    paragraphs,
    safe_link,
    t,
    year_ranges,
)
from helpers.report.terms import (
    ANTICIPATED_HELP,
    ANTICIPATED_PROGRESS,
    GAP_TO_PATH,
    GAP_TO_PATH_HELP,
    GAP_TO_TARGET,
    GAP_TO_TARGET_HELP,
    NO_DATA,
    NOT_SCORED_HELP,
    NOT_SCORED_KEY,
    REPORT_STATUS_COLOURS,
    REQUIRED,
    STATUS_DETAIL,
    no_data_word,
    report_status_label,
)
from helpers.vocab import BINDING, KINDS, label

# --------------------------------------------------------------------------- any table

#: The tables' own compact style (the report's page is 60 rem wide): small type, tight cells,
#: text at the top left, numbers right-aligned, group labels (the area) at the top.
TABLE_STYLES = [
    {"selector": "", "props": "border-collapse: collapse; font-size: 0.85em; line-height: 1.35;"},
    {"selector": "th, td", "props": "padding: 0.2em 0.45em; vertical-align: top; text-align: left;"},
    {"selector": "th.row_heading", "props": "font-weight: 600; white-space: normal;"},
    # A header never wraps inside a word or a Chinese word ("无 / 数据 / no / data", issue 24).
    {"selector": "th.col_heading", "props": "word-break: keep-all; overflow-wrap: normal; min-width: 4.5em;"},
]
#: A column header this short (characters) stays on one line (``white-space: nowrap``); a
#: longer one wraps between its words only.
NOWRAP_HEADER_CHARS = 24


def header_styles(labels: Sequence[str]) -> list[dict]:
    """Styles that keep each short column header (at most :data:`NOWRAP_HEADER_CHARS`
    characters, e.g. "无数据 / no data") on one line; ``labels``: the shown headers in order."""
    short = [i for i, text in enumerate(labels) if len(str(text)) <= NOWRAP_HEADER_CHARS]
    if not short:
        return []
    return [{"selector": ", ".join(f"th.col_heading.col{i}" for i in short), "props": "white-space: nowrap;"}]


def text_styler(df: pd.DataFrame, *, links: dict[str, str] | None = None, raw: set[str] | None = None,
                numeric: Sequence[str] = ()):
    """A pandas Styler of a DataFrame of texts (any table that is not a
    :mod:`helpers.report.frames` frame): every cell and header escaped (:func:`esc`; NA shows
    :data:`MISSING`), no index, the compact style of :func:`frame_styler` (text left-aligned at
    the top; the ``numeric`` columns right-aligned).

    ``links`` maps a shown column to a hidden column holding its URL: the cell is
    :func:`~helpers.report.htmltext.safe_link` of both (http/https only become links). ``raw``
    names columns whose cells are HTML this module already built from escaped parts (links).
    The element ids derive from the table's content, so the same table renders the same HTML.
    """
    import hashlib

    links = links or {}
    hidden = set(links.values())
    cols = [c for c in df.columns if c not in hidden]
    body = pd.DataFrame(index=pd.RangeIndex(len(df)))
    for c in cols:
        cells = [safe_link(u, v) for v, u in zip(df[c], df[links[c]])] if c in links else list(df[c])
        body[c] = pd.Series(cells, index=body.index, dtype=object)
    body.columns = pd.Index([str(c) for c in cols], dtype=object)
    html_cols = [str(c) for c in cols if c in links or (raw and c in raw)]
    digest = hashlib.sha1(body.to_csv().encode("utf-8")).hexdigest()[:10]
    sty = _report_styler_class()(body, uuid=f"h{digest}", cell_ids=False)
    text_cols = [c for c in body.columns if c not in html_cols]
    if text_cols:
        sty.format(esc, subset=text_cols)
    if html_cols:
        sty.format(str, subset=html_cols)
    sty.format_index(esc, axis=1)
    sty.hide(axis="index")
    styles = list(TABLE_STYLES) + header_styles([str(c) for c in cols])
    nums = [i for i, c in enumerate(cols) if c in set(numeric)]
    if nums:
        styles.append({"selector": ", ".join(f"td.col{i}, th.col{i}" for i in nums),
                       "props": "text-align: right; font-variant-numeric: tabular-nums;"})
    sty.set_table_styles(styles)
    sty.set_table_attributes('class="helpers-table dataframe"')
    return sty


def plain_table(df: pd.DataFrame) -> str:
    """A fixed-width plain-text table (left-aligned, two spaces between columns) for print():
    numbers formatted with :func:`helpers.formats.fmt_num`-like stable rules, NA as "—"."""
    cells = df.copy()
    for c in cells.columns:
        if pd.api.types.is_float_dtype(cells[c]):
            cells[c] = cells[c].map(lambda v: MISSING if pd.isna(v) else f"{v:.4g}")
        else:
            cells[c] = cells[c].map(lambda v: MISSING if v is None or pd.isna(v) else str(v))
    widths = {c: max([len(str(c)), *(len(v) for v in cells[c])]) for c in cells.columns}
    lines = ["  ".join(str(c).ljust(widths[c]) for c in cells.columns).rstrip()]
    for _, row in cells.iterrows():
        lines.append("  ".join(row[c].ljust(widths[c]) for c in cells.columns).rstrip())
    return "\n".join(lines)


# --------------------------------------------------------------------------- status tables

#: Header label of each column a table may show (:func:`frame_styler`).
COLUMN_LABELS: dict[str, tuple[str, str]] = {
    "id": ("编号", "Id"), "area": ("领域", "Area"), "name": ("指标", "Target"),
    "target": ("目标值", "Target value"), "target_year": ("目标年", "Target year"),
    "kind": ("类型", "Kind"), "binding": ("约束性/预期性", "Binding or expected"),
    "year": ("数据年份", "Year of data"), "value": ("实际值", "Value"), "unit": ("单位", "Unit"),
    "required": REQUIRED, "gap_to_target": GAP_TO_TARGET, "gap_to_path": GAP_TO_PATH,
    "progress": ("进度", "Progress"), "status": ("状态", "Status"),
    "anticipated_progress": ANTICIPATED_PROGRESS, "note": ("说明", "Note"),
    "needed": ("评分所需数值", "Values that would score it"),
    "other_values": ("其他数值(不计分)", "Other values (not scored)"),
    "status_cagr": ("状态(复合增速)", "Status (cagr)"), "ratio_cagr": ("增速比(复合)", "Growth ratio (cagr)"),
    "status_linear": ("状态(线性)", "Status (linear)"), "status_detail": STATUS_DETAIL,
    "own_rate": ("本指标年均增速(%)", "Own average growth (%)"),
    "reference_rate": ("参照序列年均增速(%)", "Reference's average growth (%)"),
}

#: Header labels of a by-year table that differ from :data:`COLUMN_LABELS`.
BY_YEAR_LABELS: dict[str, tuple[str, str]] = {"year": ("年份", "Year")}

#: Columns shown right-aligned (numbers); every other column is text, left-aligned.
NUMERIC_COLUMNS = frozenset({"year", "target_year", "value", "required", "gap_to_target", "gap_to_path",
                             "progress", "anticipated_progress", "ratio_cagr", "own_rate", "reference_rate"})

#: Minimum widths of the text columns that otherwise wrap into tall rows.
WIDE_COLUMNS = {"name": "10em", "target": "6em", "needed": "12em", "other_values": "8em"}


def _cell_formatter(col: str, lang: str, plan) -> "callable":
    """How a column's cells are shown (escaped HTML text): numbers by
    :func:`helpers.formats.fmt_num`, shares as percentages, years plainly, keys by their labels,
    NA as "—" (an empty binding stays empty: the plan marks only some targets)."""
    if col in ("value", "required", "gap_to_target", "gap_to_path", "ratio_cagr", "own_rate", "reference_rate"):
        return lambda v: esc(fmt_num(v))
    if col in ("progress", "anticipated_progress"):
        return lambda v: esc(fmt_pct(v))
    if col in ("year", "target_year"):
        return lambda v: esc(fmt_year(v))
    if col in ("status", "status_linear", "status_cagr"):
        return lambda v: esc(report_status_label(v, lang)) if isinstance(v, str) else MISSING
    if col == "area":
        return lambda v: esc(area_name(plan, v, lang)) if isinstance(v, str) else MISSING
    if col == "kind":
        return lambda v: esc(label(KINDS.get(str(v), (str(v), str(v))), lang)) if isinstance(v, str) else MISSING
    if col == "binding":
        return lambda v: esc(label(BINDING[v], lang)) if isinstance(v, str) and v in BINDING else (
            esc(v) if isinstance(v, str) else "")
    return lambda v: esc(v)


@functools.cache
def _report_styler_class():
    """A pandas Styler whose plain-text form is the table as text (:func:`plain_table`), not the
    default ``<...Styler at 0x7f...>``: a notebook stores that text beside the HTML, so an
    executed notebook holds no memory address and a plain-text front end shows the table.
    Built on first use (importing the Styler pulls in jinja2)."""
    from pandas.io.formats.style import Styler

    class ReportStyler(Styler):
        def __repr__(self) -> str:
            return plain_table(self.data.reset_index(drop=True))

    return ReportStyler


def frame_styler(frame: pd.DataFrame, lang: str = "both", plan=None, columns: Sequence[str] | None = None,
                 status_cols: Sequence[str] = ("status", "status_linear", "status_cagr"),
                 group_by: str | None = None, labels: dict[str, tuple[str, str]] | None = None,
                 notes: Sequence[str] = (), value_links: Sequence[str | None] | None = None):
    """A pandas Styler of ``frame`` for a notebook and its HTML report: the ``columns`` given
    (default: all), headers from :data:`COLUMN_LABELS` (or ``labels``) in ``lang``, every cell
    escaped and formatted by :func:`_cell_formatter` ("—" for a missing number, never 0), status
    cells in their colour, numbers right-aligned, no index. ``group_by`` (e.g. ``"area"``) shows
    that column once per run of equal values, as a row heading spanning its rows. ``notes``
    (plain text) are printed under the table, one line each (its caption). ``value_links`` (one
    relative URL or None per row) links each ``value`` cell, e.g. to its row of the set's sources
    page (:func:`helpers.report.provenance.value_links`). The frame itself is left as it is
    (numbers stay numbers).

    The Styler's element ids derive from the table's content, so the same inputs render the
    same HTML byte for byte.
    """
    import hashlib

    heads = {**COLUMN_LABELS, **(labels or {})}
    cols = [c for c in (columns or frame.columns) if c in frame.columns and c != group_by]
    shown = frame[cols].reset_index(drop=True)
    if group_by is not None:
        keys = frame[group_by].astype(object).where(frame[group_by].notna(), MISSING).to_numpy()
        shown.index = pd.MultiIndex.from_arrays([keys, np.arange(len(shown))])
    digest = hashlib.sha1(shown.to_csv().encode("utf-8") + lang.encode()).hexdigest()[:10]
    sty = _report_styler_class()(shown, uuid=f"h{digest}", cell_ids=False)
    sty.format({c: _cell_formatter(c, lang, plan) for c in cols})
    if value_links is not None and "value" in cols:  # each value linked to its source row
        fmt = _cell_formatter("value", lang, plan)
        for i, href in enumerate(value_links):
            if href:
                sty.format(lambda v, h=href: f'<a class="value-source" href="{esc(h)}">{fmt(v)}</a>',
                           subset=(shown.index[[i]], ["value"]))
    sty.format_index(lambda c: esc(cap(heads.get(c, (c, c)), lang)), axis=1)
    if group_by is None:
        sty.hide(axis="index")
    else:
        group = _cell_formatter(group_by, lang, plan)
        sty.format_index(lambda v: group(v) if v != MISSING else MISSING, axis=0, level=0)
        sty.hide(axis="index", level=1).hide(axis="index", names=True)
    for c in cols:
        if c in status_cols:
            sty.map(lambda v: f"background-color: {REPORT_STATUS_COLOURS.get(str(v), '#FFFFFF')}", subset=[c])
    numeric = [c for c in cols if c in NUMERIC_COLUMNS]
    styles = list(TABLE_STYLES) + header_styles([cap(heads.get(c, (c, c)), lang) for c in cols])
    for c, width in WIDE_COLUMNS.items():  # text columns that should not wrap word by word
        if c in cols:
            styles.append({"selector": f"td.col{cols.index(c)}", "props": f"min-width: {width};"})
    if numeric:
        styles += [{"selector": ", ".join(f"td.col{cols.index(c)}, th.col{cols.index(c)}" for c in numeric),
                    "props": "text-align: right; font-variant-numeric: tabular-nums;"}]
    if notes:
        styles.append({"selector": "caption",
                       "props": "caption-side: bottom; text-align: left; font-size: 0.95em; padding-top: 0.4em;"})
        sty.set_caption(f"<strong>{esc(t('说明', 'Notes', lang))}</strong><br>"
                        + "<br>".join(esc(n) for n in notes))
    sty.set_table_styles(styles)
    sty.set_table_attributes('class="helpers-table dataframe"')
    return sty


def table_notes(frame: pd.DataFrame, lang: str = "both") -> list[str]:
    """The ``note`` of each row of a :func:`helpers.report.frames.status_frame` that has one, as
    "name: note" lines (plain text), for :func:`frame_styler`'s ``notes``: long reasons read
    better under the table than in a narrow column."""
    if "note" not in frame.columns:
        return []
    return [f"{n}: {v}" for n, v in zip(frame["name"], frame["note"]) if isinstance(v, str) and v]


def with_target_year(frame: pd.DataFrame, lang: str = "both") -> tuple[pd.DataFrame, dict[str, tuple[str, str]]]:
    """The target year and the binding mark put beside the target, where they take least room,
    for display: when every row has the same year, the ``target`` header names it ("Target
    value (2021)"), otherwise each ``target`` cell ends with "(2020)"; a target the plan marks
    ``binding`` / ``expected`` gets "· 约束性 / binding" (in ``lang``). Returns (a copy of
    ``frame``, header labels for :func:`frame_styler`); the frame given is left as it is."""
    out = frame.copy()
    years = out["target_year"].dropna().unique() if "target_year" in out.columns else []
    labels: dict[str, tuple[str, str]] = {}
    if len(years) == 1:
        y = int(years[0])
        labels = {"target": (f"目标值（{y}年）", f"Target value ({y})")}
    elif "target_year" in out.columns:
        out["target"] = [f"{v} ({fmt_year(y)})" if pd.notna(y) else v
                         for v, y in zip(out["target"], out["target_year"])]
    if "binding" in out.columns:
        out["target"] = [f"{v} · {label(BINDING[b], lang)}" if isinstance(b, str) and b in BINDING else v
                         for v, b in zip(out["target"], out["binding"])]
    return out, labels


def status_columns(frame: pd.DataFrame, with_area: bool = True) -> list[str]:
    """The columns of a :func:`helpers.report.frames.status_frame` a report shows:
    ``anticipated_progress`` only when some row has one, ``area`` when ``with_area``; never the
    id, unit (in the target), kind (said by the target), target year or binding
    (:func:`with_target_year` puts them beside the target), nor the notes (:func:`table_notes`
    prints them under the table)."""
    cols = ["area", "name", "target", "year", "value", "required", "gap_to_target",
            "gap_to_path", "progress", "status", "status_detail", "anticipated_progress"]
    if not with_area:
        cols.remove("area")
    if "status_detail" not in frame.columns or not frame["status_detail"].notna().any():
        cols.remove("status_detail")
    if not frame["anticipated_progress"].notna().any():
        cols.remove("anticipated_progress")
    return cols


def status_help(frame: pd.DataFrame, lang: str = "both") -> str:
    """The explanation printed with a status table: the two gaps, and (when the table shows
    them) "value, not scored" and anticipated progress. HTML ``<p>``."""
    zh = [GAP_TO_TARGET_HELP[0], GAP_TO_PATH_HELP[0]]
    en = [GAP_TO_TARGET_HELP[1], GAP_TO_PATH_HELP[1]]
    if (frame["status"] == NOT_SCORED_KEY).any():
        zh.append(NOT_SCORED_HELP[0])
        en.append(NOT_SCORED_HELP[1])
    if frame["anticipated_progress"].notna().any():
        zh.append(ANTICIPATED_HELP[0])
        en.append(ANTICIPATED_HELP[1])
    return paragraphs(esc("；".join(zh) + "。"), esc("; ".join(en) + "."), lang)


def status_table(latest: pd.DataFrame, targets: pd.DataFrame, lang: str = "both",
                 with_area: bool = False, plan=None) -> str:
    """HTML table, one row per target (:func:`helpers.report.frames.status_frame` shown by
    :func:`frame_styler` with :func:`status_columns`): name, target, year of data, value, required, gap to target, gap to
    path, progress, status (coloured; "value, not scored" apart from "no data"), anticipated
    progress where it says something, note. Missing numbers show "—"."""
    frame, labels = with_target_year(status_frame(latest, targets, lang), lang)
    return frame_styler(frame, lang, plan, status_columns(frame, with_area), labels=labels,
                        notes=table_notes(frame, lang)).to_html()


def gap_by_year_table(lin: pd.DataFrame, cagr: pd.DataFrame | None, lang: str = "both") -> str:
    """HTML of :func:`helpers.report.frames.by_year_frame` (:func:`frame_styler`): one row per year
    with both gaps, and (when ``cagr`` is given) the cagr ratio and status beside the linear
    status."""
    return frame_styler(by_year_frame(lin, cagr, lang), lang, labels=BY_YEAR_LABELS).to_html()


# --------------------------------------------------------------------------- sources, coverage

def related_ids(indicator_id: str, targets: pd.DataFrame, statistics: pd.DataFrame) -> list[str]:
    """The indicator ids of every statistics row shown for a target: its own id, its context
    series ``<id>:<suffix>``, and for a relative target its reference series."""
    ids = statistics["indicator_id"].astype(str)
    own = ids.eq(indicator_id) | ids.str.startswith(f"{indicator_id}:")
    ref = targets.loc[targets["id"] == indicator_id, "reference_id"].dropna().astype(str).tolist()
    if ref:
        own |= ids.isin(ref)
    return sorted(set(ids[own]))


def sources_table(statistics: pd.DataFrame, ids: Sequence[str], lang: str = "both",
                  jurisdiction: str | None = None, plan=None) -> str:
    """Every statistics row of ``ids``: series, geo, year, value, unit, source (title as a link),
    note; the plan jurisdiction's rows first. Everything escaped; non-http URLs are not links."""
    s = statistics[statistics["indicator_id"].isin(list(ids))].copy()
    if s.empty:
        return paragraphs(f"没有任何来源数据（{NO_DATA[0]}）。", f"No statistics at all ({NO_DATA[1]}).", lang)
    s["_own"] = (s["geo"] != jurisdiction).astype(int)
    s = s.sort_values(["_own", "indicator_id", "geo", "year"]).reset_index(drop=True)
    out = pd.DataFrame(index=s.index)
    out[t("序列", "Series", lang)] = s["indicator_id"].astype(str)
    out[t("地区", "Geo", lang)] = s["geo"].map(lambda g: geo_name(plan, g, lang))
    out[t("年份", "Year", lang)] = s["year"].map(fmt_year)
    out[t("数值", "Value", lang)] = s["value"].map(fmt_num)
    out[t("单位", "Unit", lang)] = s["unit"]
    src = t("来源", "Source", lang)
    out[src] = s["source_title"].where(s["source_title"].notna(), s["source_url"])
    out["_url"] = s["source_url"]
    out[t("说明", "Note", lang)] = s["note"]
    return text_styler(out, links={src: "_url"}, numeric=[t("年份", "Year", lang), t("数值", "Value", lang)]).to_html()


def coverage_area_table(cov: pd.DataFrame, lang: str = "both", plan=None) -> str:
    """Coverage per area (``coverage.coverage_by_area``): targets, with a baseline, with progress
    data, with no data, indicator-years filled of possible, and that share."""
    d = cov.reset_index(drop=True)
    out = pd.DataFrame(index=d.index)
    out[t("领域", "Area", lang)] = d["area"].map(
        lambda a: t("全部", "All", lang) if a == "all" else area_name(plan, a, lang))
    out[t("目标数", "Targets", lang)] = d["targets"].map(fmt_num)
    out[t("有基期值", "With a baseline", lang)] = d["with_baseline"].map(fmt_num)
    out[t("有进度数据", "With progress data", lang)] = d["with_progress"].map(fmt_num)
    out[t("无任何数据", "No data at all", lang)] = d["no_data"].map(fmt_num)
    out[t("已有数值的目标×年份", "Target-years with a value", lang)] = (
        d["years_filled"].map(fmt_num) + " / " + d["years_possible"].map(fmt_num))
    out[t("覆盖率", "Share filled", lang)] = d["share_filled"].map(fmt_pct)
    return text_styler(out, numeric=list(out.columns[1:])).to_html()


def _years_text(years: object) -> str | None:
    if not isinstance(years, (list, tuple)) or not years:
        return None
    return year_ranges(years)


def coverage_target_table(cov: pd.DataFrame, targets: pd.DataFrame, statistics: pd.DataFrame,
                          geo: str, lang: str = "both", plan=None) -> str:
    """Per target (``coverage.coverage_by_target`` rows): area, name, kind, baseline known, the
    years (baseline..target year) with a value and those missing, rows of context series, and
    the benchmark values of other geos (years), and the distinct sources (links) of its own
    values for ``geo``. Missing shows "—"."""
    d = cov.reset_index(drop=True)
    ids = d["id"].astype(str)
    spans = targets.set_index("id")[["baseline_year", "target_year"]]
    own = statistics[(statistics["geo"] == geo) & statistics["indicator_id"].isin(ids)
                     & statistics["value"].notna()]
    own = own.merge(spans, left_on="indicator_id", right_index=True, how="left")
    own = own[(own["year"] >= own["baseline_year"]) & (own["year"] <= own["target_year"])]
    have = own.groupby("indicator_id")["year"].agg(lambda y: sorted(int(v) for v in y.unique()))
    all_years = spans.apply(lambda r: list(range(int(r["baseline_year"]), int(r["target_year"]) + 1)), axis=1)
    missing = pd.Series({i: [y for y in all_years.get(i, []) if y not in set(have.get(i, []))] for i in ids})
    links = (own.assign(_l=[safe_link(u, ti) for u, ti in zip(own["source_url"], own["source_title"])])
             .drop_duplicates(["indicator_id", "_l"])
             .groupby("indicator_id")["_l"].agg("<br>".join))
    out = pd.DataFrame(index=d.index)
    out[t("领域", "Area", lang)] = d["area"].map(lambda a: area_name(plan, a, lang))
    out[t("指标", "Target", lang)] = names(d, lang)
    out[t("类型", "Kind", lang)] = d["kind"].map(lambda k: label(KINDS.get(k, (k, k)), lang))
    out[t("基期值", "Baseline value", lang)] = d["has_baseline"].map(
        lambda b: t("有", "yes", lang) if b else no_data_word(lang))
    out[t("有数值的年份", "Years with a value", lang)] = ids.map(have).map(_years_text)
    out[t("缺数据的年份", "Years missing", lang)] = ids.map(missing).map(_years_text)
    bench = statistics[(statistics["geo"] != geo) & statistics["indicator_id"].isin(ids)
                       & statistics["value"].notna()]
    bench_text = (bench.groupby(["indicator_id", "geo"])["year"].agg(year_ranges).reset_index()
                  .assign(_t=lambda b: [f"{geo_name(plan, g, lang)} {y}" for g, y in zip(b["geo"], b["year"])])
                  .groupby("indicator_id")["_t"].agg("; ".join))
    out[t("对照数据", "Benchmark values", lang)] = ids.map(bench_text)
    out[t("参考序列行数", "Context rows", lang)] = d["context_rows"].map(fmt_num)
    src = t("来源", "Sources", lang)
    out[src] = ids.map(links).fillna(MISSING)
    return text_styler(out, raw={src}).to_html()


# --------------------------------------------------------------------------- terminal text

def coverage_text(by_area: pd.DataFrame, by_target: pd.DataFrame, geo_label: str, years: str) -> str:
    """The coverage tables as terminal text (bilingual headers), as ``python -m helpers coverage``
    prints them; CJK characters count two columns."""
    head = ["领域 / Area", "目标 targets", "有基期值 with baseline", f"有{years}值 with data {years}",
            "无数据 no data", "已填指标年 indicator-years filled"]
    rows = [[f"{r.area_zh} / {r.area_en}", str(r.targets), _pct(r.with_baseline, r.targets),
             _pct(r.with_progress, r.targets), str(r.no_data), _pct(r.years_filled, r.years_possible)]
            for r in by_area.itertuples()]
    widths = [max(_width(x) for x in col) for col in zip(head, *rows)]
    lines = [f"数据覆盖 / Data coverage — geo: {geo_label}", ""]
    for i, r in enumerate([head, *rows]):
        if i == len(rows):  # the "all" row
            lines.append("  ".join("-" * w for w in widths))
        lines.append("  ".join(_pad(x, w, left=j == 0) for j, (x, w) in enumerate(zip(r, widths))).rstrip())
    none = by_target[by_target["no_data"]]
    lines += ["", f"无任何数据的目标 / Targets with no data at all ({len(none)}):"]
    id_w = max((len(i) for i in none["id"]), default=0)
    lines += [f"  {i:<{id_w}}  {n}" for i, n in zip(none["id"], none["name_zh"])]
    if none.empty:
        lines.append("  (none)")
    return "\n".join(lines)


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, left: bool) -> str:
    gap = " " * (width - _width(text))
    return text + gap if left else gap + text


def _pct(n: int, d: int) -> str:
    return f"{n}/{d} ({100 * n / d:.1f}%)" if d else f"{n}/0"
