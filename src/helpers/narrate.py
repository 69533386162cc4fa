"""Words, tables and the footer of the report notebooks, as HTML that is safe to publish.

Every piece of text that comes from the data (target names, units, notes, source titles, URLs)
goes through :func:`esc` (``html.escape``) before it is put into HTML; a URL becomes a link only
when it is ``http``/``https`` (:func:`safe_link`), anything else is shown as escaped text. Tables
are built from strings (numbers and targets formatted by :mod:`helpers.formats`), so a missing
number is shown as :data:`MISSING` ("—") and never as 0. Sentences say "no data" / 无数据 for
what is missing.

Language: every public function takes ``lang`` in ``zh`` | ``en`` | ``both``; ``both`` writes
Chinese first, then English (labels "中文 / English", sentences as two paragraphs).

The plain-text tables (:func:`key_figures_text`, :func:`plain_table`) are what the notebooks'
``nbval-check-output`` cells print: stable formatting, no dates, no paths.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from helpers import paths
from helpers.formats import MISSING, fmt_num, target_text
from helpers.vocab import BINDING, KINDS, STATUS_COLOURS, STATUS_ORDER, STATUSES, label, status_label

#: What "no data" reads like in sentences and labels (a missing number in a table is MISSING, "—").
#: It means one thing only: the jurisdiction has no value for the target up to the as-of year.
NO_DATA = ("无数据", "no data")

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
NOT_SCORED_KEY = "not_scored"
#: The heading of the compact list of targets without any value.
NO_DATA_HEADING = ("无数据的目标", "Targets without data")
#: Report statuses: the engine's, with ``not_scored`` before ``no_data``.
REPORT_STATUSES: dict[str, tuple[str, str]] = {
    **{k: v for k, v in STATUSES.items() if k != "no_data"}, NOT_SCORED_KEY: NOT_SCORED,
    "no_data": STATUSES["no_data"]}
#: Cell colours of the report statuses (``not_scored``: a pale purple, apart from the grey of
#: ``no_data`` and from every status colour).
REPORT_STATUS_COLOURS: dict[str, str] = {**STATUS_COLOURS, NOT_SCORED_KEY: "#EADCF0"}

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
NOT_SCORED_HELP = (
    "“有数值，未评分”：原因见表下的说明",
    "'value, not scored': the reason is in the notes under the table")


def cap(pair: tuple[str, str], lang: str = "both") -> str:
    """A label as a column header: the English part with a capital first letter."""
    zh, en = pair
    return label((zh, en[:1].upper() + en[1:]), lang)


# --------------------------------------------------------------------------- text primitives

def area_name(plan, area: object, lang: str = "both") -> str:
    """The area's label from the plan (:meth:`helpers.plan.Plan.area_label`); the key without a plan."""
    return plan.area_label(str(area), lang) if plan is not None else str(area)


def geo_name(plan, geo: object, lang: str = "both") -> str:
    """The place's label from the plan (:meth:`helpers.plan.Plan.geo_label`); the key without a plan."""
    return plan.geo_label(str(geo), lang) if plan is not None else str(geo)


def t(zh: str, en: str, lang: str = "both") -> str:
    """Pick ``zh`` / ``en`` / "zh / en" for ``lang`` (plain text, not escaped)."""
    return label((zh, en), lang)


def esc(value: object) -> str:
    """HTML-escaped text of ``value`` (quotes too); NA/None -> :data:`MISSING`."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return MISSING
    return html.escape(str(value), quote=True)


def is_web_url(url: object) -> bool:
    """True for an ``http://`` or ``https://`` URL (the only kind turned into a link)."""
    return isinstance(url, str) and url.strip().lower().startswith(("http://", "https://"))


def safe_link(url: object, text: object = None) -> str:
    """``<a href=...>text</a>`` for an http(s) URL, both escaped; otherwise the escaped text
    (or the escaped URL when there is no text). Never emits an ``href`` with another scheme."""
    shown = url if text is None or (not isinstance(text, str) and pd.isna(text)) else text
    if is_web_url(url):
        return (f'<a href="{esc(str(url).strip())}" target="_blank" rel="noopener noreferrer">'
                f"{esc(shown)}</a>")
    return esc(shown)


def fmt_pct(x: object) -> str:
    """A share (1.0 = 100%) as a whole percentage; NaN -> "—"."""
    if x is None or pd.isna(x):
        return MISSING
    return f"{float(x) * 100:.0f}%"


def fmt_year(x: object) -> str:
    if x is None or pd.isna(x):
        return MISSING
    return str(int(x))


def names(df: pd.DataFrame, lang: str = "both") -> pd.Series:
    """Target names for ``lang`` from ``name_zh`` / ``name_en`` (plain text, not escaped)."""
    zh = df["name_zh"].astype("string").fillna(df["name_en"].astype("string"))
    en = df["name_en"].astype("string").fillna(zh)
    if lang == "zh":
        return zh
    if lang == "en":
        return en
    return (zh + " / " + en).where(zh != en, zh)


def _have(n: int) -> str:
    """English verb agreement: "1 has", "2 have"."""
    return f"{n} has" if n == 1 else f"{n} have"


def year_ranges(years: Iterable[int]) -> str:
    """Sorted years with consecutive runs collapsed: [2016, 2017, 2018, 2020] -> "2016–2018, 2020";
    no years -> "—"."""
    ys = sorted({int(y) for y in years})
    if not ys:
        return MISSING
    runs, start, prev = [], ys[0], ys[0]
    for y in ys[1:]:
        if y != prev + 1:
            runs.append((start, prev))
            start = y
        prev = y
    runs.append((start, prev))
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)


def no_data_word(lang: str = "both") -> str:
    return label(NO_DATA, lang)


# --------------------------------------------------------------------------- HTML building

def heading(zh: str, en: str, lang: str = "both", level: int = 2) -> str:
    """An HTML heading in the chosen language (texts are escaped)."""
    return f"<h{level}>{esc(t(zh, en, lang))}</h{level}>"


def paragraphs(zh: Sequence[str] | str, en: Sequence[str] | str, lang: str = "both") -> str:
    """Sentences already escaped -> ``<p>`` blocks: Chinese, English or both (Chinese first)."""
    zh = [zh] if isinstance(zh, str) else list(zh)
    en = [en] if isinstance(en, str) else list(en)
    parts = (zh if lang in ("zh", "both") else []) + (en if lang in ("en", "both") else [])
    return "".join(f"<p>{p}</p>" for p in parts if p)


def html_table(df: pd.DataFrame, *, links: dict[str, str] | None = None,
               status_keys: pd.Series | None = None, status_col: str | None = None,
               raw: set[str] | None = None, css_class: str = "helpers-table dataframe",
               numeric: Sequence[str] = ()) -> str:
    """An HTML table of ``df`` with every cell and header escaped.

    ``links`` maps a shown column to a hidden column holding its URL (http/https only become
    links). With ``status_keys`` (status per row) the ``status_col`` cells get that status's
    colour from :data:`helpers.vocab.STATUS_COLOURS`. NA cells show :data:`MISSING`. ``raw``
    names columns whose cells are HTML this module already built from escaped parts (links).
    The table carries the compact style of :func:`frame_styler` (text left-aligned at the top;
    the ``numeric`` columns right-aligned), scoped to its own id.
    """
    links = links or {}
    hidden = set(links.values())
    cols = [c for c in df.columns if c not in hidden]
    body = pd.DataFrame(index=df.index)
    for c in cols:
        if c in links:
            cells = [safe_link(u, v) for v, u in zip(df[c], df[links[c]])]
        elif raw and c in raw:
            cells = [str(v) for v in df[c]]
        else:
            cells = [esc(v) for v in df[c]]
        body[c] = pd.Series(cells, index=df.index, dtype=object)
    tds = {c: "<td>" + body[c] + "</td>" for c in cols}
    if status_keys is not None and status_col in tds:
        colour = pd.Series(status_keys, index=df.index).map(STATUS_COLOURS).fillna("#FFFFFF")
        tds[status_col] = ('<td style="background-color:' + colour + '">' + body[status_col] + "</td>")
    rows = pd.concat(tds, axis=1).agg("".join, axis=1) if len(df) else pd.Series([], dtype=str)
    head = "".join(f"<th>{esc(c)}</th>" for c in cols)
    trs = "".join(f"<tr>{r}</tr>" for r in rows)
    import hashlib

    tid = "t" + hashlib.sha1((head + trs).encode("utf-8")).hexdigest()[:10]

    def scoped(selector: str) -> str:  # "th, td" -> "#id th, #id td"; "" -> "#id"
        return ", ".join(f"#{tid} {sel.strip()}".rstrip() for sel in (selector or "").split(","))

    css = "".join(f"{scoped(r['selector'])} {{{r['props']}}}" for r in TABLE_STYLES)
    nums = [cols.index(c) + 1 for c in numeric if c in cols]
    if nums:
        css += scoped(", ".join(f"td:nth-child({i}), th:nth-child({i})" for i in nums)) + \
            " {text-align: right; font-variant-numeric: tabular-nums;}"
    return (f"<style>{css}</style>"
            f'<table id="{tid}" class="{esc(css_class)}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{trs}</tbody></table>")


def plain_table(df: pd.DataFrame) -> str:
    """A fixed-width plain-text table (left-aligned, two spaces between columns) for print():
    numbers formatted with :func:`fmt_num`-like stable rules, NA as "—"."""
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


# --------------------------------------------------------------------------- engine notes

#: The engine's notes (``status_note`` / ``method_note``, English; :mod:`helpers.gaps` and
#: :mod:`helpers.kinds`) -> (中文, English) labels. A key is the start of a note; ``{year}``
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
    pats = [(re.compile(re.escape(key).replace(re.escape("{year}"), r"(?P<year>\d{4})")), key)
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


def _notes(df: pd.DataFrame, lang: str, cols: Sequence[str] = ("status_note", "method_note"),
           quiet: Sequence[str] = ()) -> pd.Series:
    """Per row, the labels of the engine notes present (joined with "; ")."""
    parts = [df[c].map(lambda n: note_label(n, lang, quiet)) for c in cols if c in df.columns]
    if not parts:
        return pd.Series([None] * len(df), index=df.index, dtype=object)
    joined = pd.concat(parts, axis=1).apply(lambda r: "; ".join(x for x in r if x), axis=1)
    return joined.where(joined != "", None)


def unscored(latest: pd.DataFrame) -> pd.DataFrame:
    """Targets with a value that the engine could not score (status no_data, e.g. no baseline)."""
    return latest[(latest["status"] == "no_data") & latest["value"].notna()]


def without_value(latest: pd.DataFrame) -> pd.DataFrame:
    """Targets with no value at all up to the as-of year."""
    return latest[(latest["status"] == "no_data") & latest["value"].isna()]


# --------------------------------------------------------------------------- status tables

def report_status(latest: pd.DataFrame) -> pd.Series:
    """The status a report table shows per row: the engine's ``status``, except that a row with a
    value the engine could not score (``no_data`` with a ``value``) is :data:`NOT_SCORED_KEY`.
    ``no_data`` is then only "no value at all"."""
    status = latest["status"].astype("string").fillna("no_data")
    return status.where(~((status == "no_data") & latest["value"].notna()), NOT_SCORED_KEY).astype(object)


def report_status_label(key: object, lang: str = "both") -> str:
    return label(REPORT_STATUSES.get(str(key), (str(key), str(key))), lang)


#: Few words after a target saying how its number is read (instead of a "kind" column).
KIND_SUFFIX: dict[str, tuple[str, str]] = {
    "annual": ("每年", "every year"),
    "cumulative": ("累计", "in total"),
    "rate_avg": ("年均", "on average"),
    "rate_total": ("累计", "in total"),
    "period_total": ("期内合计", "over the period"),
    "annual_mean": ("年均", "a year on average"),
    "change": ("较基期", "from the baseline"),
    "change_pct": ("较基期", "from the baseline"),
}
DIRECTION_WORDS = {">=": ("增加", "increase"), "<=": ("减少", "decrease")}
UNQUANTIFIED_WORDS = ("未设量化目标", "no quantified target")


def _unit(row, lang: str) -> str:
    zh = row.get("unit_zh")
    en = row.get("unit")
    zh = en if zh is None or (not isinstance(zh, str) and pd.isna(zh)) or not str(zh) else zh
    if lang == "zh":
        return "" if zh is None or pd.isna(zh) else str(zh)
    return "" if en is None or (not isinstance(en, str) and pd.isna(en)) else str(en)


def target_cell(row, lang: str = "both", with_year: bool = True) -> str:
    """The target as a table cell (plain text): the value as printed (``≥ 6 beds``), a word on how
    it is read (``on average``, ``from the baseline``...), and its year: ``≥ 7 % on average
    (2025)``. A direction target reads ``increase (2025)``; a target the plan does not quantify
    says so. ``zh`` uses the Chinese unit and words; ``en`` and ``both`` the English ones (the
    bilingual name stands beside it)."""
    kind = str(row.get("kind"))
    year = fmt_year(row.get("target_year"))
    words = "zh" if lang == "zh" else "en"
    if kind == "unquantified":
        core = t(*UNQUANTIFIED_WORDS, words)
    elif kind == "direction":
        core = t(*DIRECTION_WORDS.get(str(row.get("comparator")), ("", "")), words) or MISSING
    else:
        core = target_text(row.get("comparator"), row.get("target"), row.get("target_hi"),
                           row.get("tolerance"), _unit(row, words))
        if kind in KIND_SUFFIX:
            core += f" {t(*KIND_SUFFIX[kind], words)}"
    return f"{core} ({year})" if with_year and year != MISSING else core


#: Columns of :func:`status_frame`, in order.
STATUS_FRAME_COLUMNS: tuple[str, ...] = (
    "id", "area", "name", "target", "target_year", "kind", "binding", "year", "value", "unit",
    "required", "gap_to_target", "gap_to_path", "progress", "status", "anticipated_progress", "note")

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
    "status_linear": ("状态(线性)", "Status (linear)"),
}


def _column(d: pd.DataFrame, name: str, dtype: str) -> pd.Series:
    """``d[name]`` as ``dtype``; all-missing when ``d`` has no such column."""
    if name in d.columns:
        return d[name].astype(dtype)
    return pd.Series(pd.NA if dtype in ("string", "Int64") else np.nan, index=d.index, dtype=dtype)


def _rounded(x: pd.Series) -> pd.Series:
    return (x.astype("float64").round(9) + 0.0)


def status_frame(latest: pd.DataFrame, targets: pd.DataFrame, lang: str = "both") -> pd.DataFrame:
    """One row per target of ``latest`` (:func:`helpers.gaps.latest_status`), the columns a reader
    needs (:data:`STATUS_FRAME_COLUMNS`), numbers as numbers:

    - ``name`` (in ``lang``), ``target`` (:func:`target_cell`, without the year), ``target_year``,
      ``kind``, ``binding`` (``binding`` /
      ``expected`` / NA), ``year`` (of the value shown; NA without one), ``value``, ``unit``;
    - ``required``: the value required in ``year`` on the path; ``gap_to_target``: the engine's
      ``gap`` (:data:`GAP_TO_TARGET`); ``gap_to_path``: ``direction · (required − value)``
      (:data:`GAP_TO_PATH`); ``progress`` (share, 1.0 = 100 %);
    - ``status``: :func:`report_status` (``not_scored`` for a value the engine could not score);
    - ``anticipated_progress``: only for a scored target not yet achieved (NA otherwise);
    - ``note``: the labels of the engine's notes (the reason a value is not scored...).
    """
    d = _with_targets(latest, targets).reset_index(drop=True)
    col = lambda name, dtype: _column(d, name, dtype)  # noqa: E731
    out = pd.DataFrame(index=d.index)
    out["id"] = d["indicator_id"].astype(str)
    out["area"] = col("area", "string")
    out["name"] = names(d, lang) if len(d) else pd.Series([], dtype="string")
    out["target"] = [target_cell(r, lang, with_year=False) for _, r in d.iterrows()]
    out["target_year"] = col("target_year", "Int64")
    out["kind"] = col("kind", "string")
    out["binding"] = col("binding", "string").str.strip().replace("", pd.NA)
    out["year"] = col("year", "Int64")
    out["value"] = col("value", "float64")
    out["unit"] = [_unit(r, lang if lang != "both" else "en") for _, r in d.iterrows()]
    out["required"] = col("required", "float64")
    out["gap_to_target"] = col("gap", "float64")
    direction = col("direction", "float64").fillna(1.0)
    out["gap_to_path"] = _rounded(direction * (out["required"] - out["value"]))
    out["progress"] = col("progress", "float64")
    status = report_status(d)
    out["status"] = status
    scored_open = status.isin([s for s in STATUS_ORDER if s not in ("achieved", "no_data")])
    out["anticipated_progress"] = col("anticipated_progress", "float64").where(scored_open.to_numpy())
    out["note"] = _notes(d, lang, ("status_note",), quiet=QUIET_NOTES)
    return out[list(STATUS_FRAME_COLUMNS)]


def _other_years(statistics: pd.DataFrame, ids: pd.Series, geo: str | None, lang: str, plan) -> pd.Series:
    """Per target id: the values it has besides the jurisdiction's own, as text:
    "China 2016–2020; context (output) 2019" (benchmark geos, then context series)."""
    ids = ids.astype(str)
    s = statistics[statistics["value"].notna()].copy()
    s["_id"] = s["indicator_id"].astype(str)
    s["_base"] = s["_id"].str.split(":", n=1).str[0]
    s = s[s["_base"].isin(set(ids))]
    if s.empty:
        return pd.Series(pd.NA, index=ids, dtype="object")
    parts: dict[str, list[str]] = {}
    bench = s[(s["_id"] == s["_base"]) & (s["geo"] != geo)]
    for (i, g), grp in bench.groupby(["_base", "geo"], sort=False):
        parts.setdefault(i, []).append(f"{geo_name(plan, g, lang)} {year_ranges(grp['year'])}")
    ctx = s[s["_id"] != s["_base"]]
    word = t("参考序列", "context", lang)
    unlabelled: dict[str, list[pd.Series]] = {}
    for (i, sid), grp in ctx.groupby(["_base", "_id"], sort=False):
        # The series' label from the data (label_zh / label_en); never its internal key.
        zh = grp["label_zh"].dropna().astype(str) if "label_zh" in grp.columns else pd.Series([], dtype=str)
        en = grp["label_en"].dropna().astype(str) if "label_en" in grp.columns else pd.Series([], dtype=str)
        pair = (zh.iloc[0] if len(zh) else (en.iloc[0] if len(en) else "")),  \
            (en.iloc[0] if len(en) else (zh.iloc[0] if len(zh) else ""))
        if pair[0]:
            parts.setdefault(i, []).append(f"{word} {t(*pair, lang)} {year_ranges(grp['year'])}")
        else:
            unlabelled.setdefault(i, []).append(grp["year"])
    for i, years in unlabelled.items():
        n = len(years)
        many = t(f"{n}个", f"{n} series", lang) if n > 1 else ""
        parts.setdefault(i, []).append(f"{word}{f' ({many})' if many else ''} "
                                       f"{year_ranges(pd.concat(years))}")
    return pd.Series({i: "; ".join(parts[i]) if i in parts else pd.NA for i in ids}, dtype="object")


def needed_text(row, lang: str = "both") -> str:
    """What data would score a target that has none, tersely (plain text), from its kind, span,
    baseline and unit: "any year 2017–2021 (%)"; a running figure needs "every year"; a target
    without a baseline value also "2016 (baseline)"; a relative target (and an average rate
    against another series) also its reference series."""
    kind = str(row.get("kind"))
    b, ty = row.get("baseline_year"), row.get("target_year")
    if b is None or ty is None or pd.isna(b) or pd.isna(ty):
        return MISSING
    b, ty = int(b), int(ty)
    span = year_ranges(range(b + 1, ty + 1))
    unit_zh, unit_en = _unit(row, "zh"), _unit(row, "en")
    if kind == "relative" and isinstance(row.get("value_unit"), str) and row.get("value_unit"):
        unit_zh = unit_en = str(row.get("value_unit"))
    if kind == "unquantified":
        return t("不评分（未设量化目标）", "never scored (no quantified target)", lang)
    in_zh = f"（{unit_zh}）" if unit_zh else ""
    in_en = f" ({unit_en})" if unit_en else ""
    baseline = row.get("baseline")
    needs_base = (kind in ("level", "relative", "change", "change_pct", "direction")
                  and (baseline is None or pd.isna(baseline)))
    if kind in ("rate_avg", "rate_total", "period_total", "annual_mean"):
        zh, en = f"{span}年每一年{in_zh}", f"every year {span}{in_en}"
    elif needs_base:
        zh, en = f"{b}年基期值及{span}年任一年{in_zh}", f"{b} (baseline) and any year {span}{in_en}"
    else:
        zh, en = f"{span}年任一年{in_zh}", f"any year {span}{in_en}"
    ref = row.get("reference_id")
    if isinstance(ref, str) and ref and kind in ("relative", "rate_avg"):
        zh += f"，及参照序列{ref}同年数值"
        en += f", with the reference series {ref}"
    return t(zh, en, lang)


#: Columns of :func:`no_data_frame`, in order.
NO_DATA_FRAME_COLUMNS: tuple[str, ...] = ("id", "area", "name", "target", "target_year", "kind", "needed",
                                          "other_values")


def no_data_frame(latest: pd.DataFrame, targets: pd.DataFrame, statistics: pd.DataFrame,
                  geo: str | None, lang: str = "both", plan=None) -> pd.DataFrame:
    """The targets of ``latest`` with no value at all (report status ``no_data``), one row each,
    in ``latest``'s order: ``id``, ``area``, ``name``, ``target`` (:func:`target_cell`), ``kind``,
    ``target_year``, ``needed`` (:func:`needed_text`: what data would score it) and ``other_values`` (benchmark
    geos' and context series' years: shown in charts, never scored)."""
    d = _with_targets(latest, targets).reset_index(drop=True)
    extra = [c for c in ("value_unit",) if c not in d.columns and c in targets.columns]
    if extra:
        d = d.merge(targets.rename(columns={"id": "indicator_id"})[["indicator_id", *extra]],
                    on="indicator_id", how="left")
    d = d[(report_status(d) == "no_data").to_numpy()].reset_index(drop=True)
    out = pd.DataFrame(index=d.index)
    out["id"] = d["indicator_id"].astype(str)
    out["area"] = d["area"].astype("string")
    out["name"] = names(d, lang) if len(d) else pd.Series([], dtype="string")
    out["target"] = [target_cell(r, lang, with_year=False) for _, r in d.iterrows()]
    out["target_year"] = d["target_year"].astype("Int64")
    out["kind"] = d["kind"].astype("string")
    out["needed"] = [needed_text(r, lang) for _, r in d.iterrows()]
    other = _other_years(statistics, out["id"], geo, lang, plan)
    out["other_values"] = out["id"].map(other) if len(out) else pd.Series([], dtype="object")
    return out[list(NO_DATA_FRAME_COLUMNS)]


def _cell_formatter(col: str, lang: str, plan) -> "callable":
    """How a column's cells are shown (escaped HTML text): numbers by :func:`fmt_num`, shares
    as percentages, years plainly, keys by their labels, NA as "—" (an empty binding stays
    empty: the plan marks only some targets)."""
    if col in ("value", "required", "gap_to_target", "gap_to_path", "ratio_cagr"):
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


#: Columns shown right-aligned (numbers); every other column is text, left-aligned.
NUMERIC_COLUMNS = frozenset({"year", "target_year", "value", "required", "gap_to_target", "gap_to_path",
                             "progress", "anticipated_progress", "ratio_cagr"})

#: Minimum widths of the text columns that otherwise wrap into tall rows.
WIDE_COLUMNS = {"name": "10em", "target": "6em", "needed": "12em", "other_values": "8em"}

#: The tables' own compact style (the report's page is 60 rem wide): small type, tight cells,
#: text at the top left, numbers right-aligned, group labels (the area) at the top.
TABLE_STYLES = [
    {"selector": "", "props": "border-collapse: collapse; font-size: 0.85em; line-height: 1.35;"},
    {"selector": "th, td", "props": "padding: 0.2em 0.45em; vertical-align: top; text-align: left;"},
    {"selector": "th.row_heading", "props": "font-weight: 600; white-space: normal;"},
]


def frame_styler(frame: pd.DataFrame, lang: str = "both", plan=None, columns: Sequence[str] | None = None,
                 status_cols: Sequence[str] = ("status", "status_linear", "status_cagr"),
                 group_by: str | None = None, labels: dict[str, tuple[str, str]] | None = None,
                 notes: Sequence[str] = ()):
    """A pandas Styler of ``frame`` for a notebook and its HTML report: the ``columns`` given
    (default: all), headers from :data:`COLUMN_LABELS` (or ``labels``) in ``lang``, every cell
    escaped and formatted by :func:`_cell_formatter` ("—" for a missing number, never 0), status
    cells in their colour, numbers right-aligned, no index. ``group_by`` (e.g. ``"area"``) shows
    that column once per run of equal values, as a row heading spanning its rows. ``notes``
    (plain text) are printed under the table, one line each (its caption). The frame itself is
    left as it is (numbers stay numbers).

    The Styler's element ids derive from the table's content, so the same inputs render the
    same HTML byte for byte.
    """
    import hashlib

    from pandas.io.formats.style import Styler

    heads = {**COLUMN_LABELS, **(labels or {})}
    cols = [c for c in (columns or frame.columns) if c in frame.columns and c != group_by]
    shown = frame[cols].reset_index(drop=True)
    if group_by is not None:
        keys = frame[group_by].astype(object).where(frame[group_by].notna(), MISSING).to_numpy()
        shown.index = pd.MultiIndex.from_arrays([keys, np.arange(len(shown))])
    digest = hashlib.sha1(shown.to_csv().encode("utf-8") + lang.encode()).hexdigest()[:10]
    sty = Styler(shown, uuid=f"h{digest}", cell_ids=False)
    sty.format({c: _cell_formatter(c, lang, plan) for c in cols})
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
    styles = list(TABLE_STYLES)
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
    """The ``note`` of each row of a :func:`status_frame` that has one, as "name: note" lines
    (plain text), for :func:`frame_styler`'s ``notes``: long reasons read better under the
    table than in a narrow column."""
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
    """The columns of a :func:`status_frame` a report shows: ``anticipated_progress`` only when
    some row has one, ``area`` when ``with_area``; never the id, unit (in the target), kind (said
    by the target), target year or binding (:func:`with_target_year` puts them beside the
    target), nor the notes (:func:`table_notes` prints them under the table)."""
    cols = ["area", "name", "target", "year", "value", "required", "gap_to_target",
            "gap_to_path", "progress", "status", "anticipated_progress"]
    if not with_area:
        cols.remove("area")
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


def _with_targets(latest: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """``latest`` plus the target's own columns it may lack (tolerance, target_hi, unit...)."""
    extra = [c for c in ("target_hi", "tolerance", "unit", "comparator", "target", "kind",
                         "name_zh", "name_en", "area", "target_year")
             if c not in latest.columns and c in targets.columns]
    if not extra:
        return latest
    t_ = targets.rename(columns={"id": "indicator_id"})[["indicator_id", *extra]]
    return latest.merge(t_, on="indicator_id", how="left")


def status_table(latest: pd.DataFrame, targets: pd.DataFrame, lang: str = "both",
                 with_area: bool = False, plan=None) -> str:
    """HTML table, one row per target (:func:`status_frame` shown by :func:`frame_styler` with
    :func:`status_columns`): name, target, year of data, value, required, gap to target, gap to
    path, progress, status (coloured; "value, not scored" apart from "no data"), anticipated
    progress where it says something, note. Missing numbers show "—"."""
    frame, labels = with_target_year(status_frame(latest, targets, lang), lang)
    return frame_styler(frame, lang, plan, status_columns(frame, with_area), labels=labels,
                        notes=table_notes(frame, lang)).to_html()


def key_figures_text(latest: pd.DataFrame, with_area: bool = True) -> str:
    """The key figures as a plain-text table (what ``nbval-check-output`` cells print): per
    target its area, id, year of data, value, status, gap and progress, in the given row order, then
    a line of counts by status. Ids, not names: ASCII keeps the column widths stable."""
    cols = (["area"] if with_area else []) + ["indicator_id", "year", "value", "status", "gap", "progress"]
    d = latest[cols].copy()
    d["year"] = d["year"].map(fmt_year)
    d["value"] = d["value"].astype("float64")
    d["gap"] = d["gap"].astype("float64")
    d["progress"] = d["progress"].astype("float64")
    counts = d["status"].value_counts()
    summary = ", ".join(f"{s}={int(counts.get(s, 0))}" for s in STATUS_ORDER)
    return f"{plain_table(d.reset_index(drop=True))}\n\ntargets={len(d)}: {summary}"


def by_year_frame(lin: pd.DataFrame, cagr: pd.DataFrame | None = None, lang: str = "both") -> pd.DataFrame:
    """One target, one row per year (numbers as numbers): ``year``, ``value``, ``required``,
    ``gap_to_target``, ``gap_to_path``, ``progress``, the status (:func:`report_status`:
    ``status``, or ``status_linear`` beside ``ratio_cagr`` and ``status_cagr`` when ``cagr``, the
    other method's rows, is given) and ``note`` (the engine's notes, labelled)."""
    d = lin.sort_values("year").reset_index(drop=True)
    out = pd.DataFrame(index=d.index)
    out["year"] = d["year"].astype("Int64")
    out["value"] = d["value"].astype("float64")
    out["required"] = d["required"].astype("float64")
    out["gap_to_target"] = d["gap"].astype("float64")
    direction = d["direction"].astype("float64") if "direction" in d.columns else 1.0
    out["gap_to_path"] = _rounded(direction * (out["required"] - out["value"]))
    out["progress"] = d["progress"].astype("float64")
    if cagr is None:
        out["status"] = report_status(d)
        notes = pd.concat([_notes(d, lang, quiet=QUIET_NOTES)], axis=1)
    else:
        out["status_linear"] = report_status(d)
        c = d[["year"]].merge(cagr.sort_values("year"), on="year", how="left")
        out["ratio_cagr"] = c["ratio"].astype("float64")
        out["status_cagr"] = report_status(c).where(c["status"].notna(), None)
        notes = pd.concat([_notes(d, lang, ("status_note",), quiet=QUIET_NOTES),
                           _notes(c, lang, ("method_note",))], axis=1)
    joined = notes.apply(lambda r: "; ".join(x for x in r if isinstance(x, str) and x), axis=1)
    out["note"] = joined.where(joined != "", None) if len(out) else pd.Series([], dtype=object)
    return out


def gap_by_year_table(lin: pd.DataFrame, cagr: pd.DataFrame | None, lang: str = "both") -> str:
    """HTML of :func:`by_year_frame` (:func:`frame_styler`): one row per year with both gaps, and
    (when ``cagr`` is given) the cagr ratio and status beside the linear status."""
    return frame_styler(by_year_frame(lin, cagr, lang), lang, labels=BY_YEAR_LABELS).to_html()


#: Header labels of a by-year table that differ from :data:`COLUMN_LABELS`.
BY_YEAR_LABELS: dict[str, tuple[str, str]] = {"year": ("年份", "Year")}


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
    for n, y, note in zip(names(df, lang), df["year"], _notes(df, lang, ("status_note",))):
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
    if scored.empty:
        zh.append(f"{subj_zh}共{n}项目标，截至{as_of}年没有一项能评估进度：{len(nd)}项{NO_DATA[0]}"
                  + (f"，{len(uns)}项{NOT_SCORED[0]}" if len(uns) else "") + "。")
        en.append(f"{subj_en}: none of the {n} targets can be scored for {jur_en} up to {as_of}: "
                  f"{len(nd)} with {NO_DATA[1]}"
                  + (f", {len(uns)} with a value that is not scored" if len(uns) else "") + ".")
    else:
        parts_zh = [f"{STATUSES[s][0]}{int(counts[s])}项" for s in STATUS_ORDER
                    if s != "no_data" and counts[s]]
        parts_en = [f"{int(counts[s])} {STATUSES[s][1]}" for s in STATUS_ORDER
                    if s != "no_data" and counts[s]]
        ach = int(counts["achieved"])
        rest_zh = ([f"{len(nd)}项{NO_DATA[0]}"] if len(nd) else []) + (
            [f"{len(uns)}项{NOT_SCORED[0]}"] if len(uns) else [])
        rest_en = ([f"{len(nd)} with {NO_DATA[1]}"] if len(nd) else []) + (
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
    for key in ("achieved", "regressing", "insufficient"):
        sel = latest[latest["status"] == key]
        if not sel.empty:
            zh.append(f"{STATUSES[key][0]}：{_join_names_zh(sel)}。")
            en.append(f"{STATUSES[key][1].capitalize()}: {_join_names(sel, 'en', '; ')}.")
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
    cannot be projected. With ``latest`` (the target's :func:`helpers.gaps.latest_status` row):
    an achieved target gets no anticipated progress (it would only contradict "achieved"), nor
    does a target whose value is not scored."""
    pv = row.get("projected_value_at_target", np.nan)
    ap = row.get("anticipated_progress", np.nan)
    ty = fmt_year(row.get("target_year", np.nan))
    unit = esc(row.get("unit", ""))
    status = None if latest is None else report_status(latest.to_frame().T).iloc[0]
    if status == "achieved":
        y = fmt_year(latest.get("year"))
        return paragraphs(f"截至{y}年已达成目标，不再给出预计进度。",
                          f"Achieved as of {y}: no anticipated progress is given.", lang)
    if status == NOT_SCORED_KEY:
        return paragraphs("数值未评分（原因见上），因此不作外推。",
                          "The value is not scored (see above), so it is not projected.", lang)
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
    return html_table(out, links={src: "_url"}, numeric=[t("年份", "Year", lang), t("数值", "Value", lang)])


def benchmark_only_ids(targets: pd.DataFrame, statistics: pd.DataFrame, geo: str) -> list[str]:
    """Target ids with statistics rows for other geos but none for ``geo``."""
    s = statistics[statistics["indicator_id"].isin(targets["id"])]
    own = set(s.loc[s["geo"] == geo, "indicator_id"])
    other = set(s.loc[s["geo"] != geo, "indicator_id"])
    return sorted(other - own)


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
    return html_table(out, numeric=list(out.columns[1:]))


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
    return html_table(out, raw={src})


# --------------------------------------------------------------------------- footer

METHOD_TEXT: dict[str, tuple[str, str]] = {
    "linear": ("线性路径法：从基期值到目标值的直线为应达路径；进度与应达份额之比≥95%为进展顺利，≥60%为进展一般（欧盟统计局阈值）",
               "linear: the required path is the straight line from the baseline to the target; "
               "progress over the expected share ≥ 95% is on track, ≥ 60% moderate (Eurostat thresholds)"),
    "cagr": ("复合增速法：实际年均复合增速与所需增速之比，阈值同上（仅适用于正值）",
             "cagr: ratio of the actual compound annual growth rate since the baseline to the required "
             "one, same thresholds (positive values only)"),
}


def _shown_path(path: object) -> str:
    """A path for a report: relative to the project root when inside it, else the file name
    (no absolute paths in published reports)."""
    if path is None:
        return "statistics.csv"
    p = Path(str(path))
    try:
        return p.resolve().relative_to(paths.PROJECT_ROOT).as_posix()
    except ValueError:
        return p.name


def report_footer(plan: dict, as_of: object, method: str, statistics_path: object,
                  statistics: pd.DataFrame | None = None, lang: str = "both") -> str:
    """The foot of every report: method (see ``docs/method.md``), data sources (statistics file,
    number of values with a source), software versions and the data's as-of year, as HTML in a
    ``<footer class="helpers-footer">``. Reads ``statistics_path`` when ``statistics`` is None."""
    import matplotlib

    from helpers import __version__

    if statistics is None and statistics_path is not None and Path(str(statistics_path)).is_file():
        statistics = pd.read_csv(statistics_path, dtype=str, keep_default_na=False).replace({"": pd.NA})
    if statistics is not None:
        n_rows = len(statistics)
        has_value = statistics["value"].notna()
        sourced = has_value & (statistics["source_url"].notna() | statistics["source_title"].notna())
        n_sourced = int(sourced.sum())
    else:
        n_rows = n_sourced = 0
    m = METHOD_TEXT.get(method, (method, method))
    title = t(plan.get("title_zh", ""), plan.get("title_en", ""), lang) if plan else ""
    doc = plan.get("document_number", "") if plan else ""
    plan_html = safe_link(plan.get("source_url"), f"{title} {doc}".strip()) if plan else MISSING
    as_of_s = fmt_year(as_of)
    items = [
        (t("方法", "Method", lang),
         f"{esc(t(*m, lang))}. {esc(t('公式与示例见', 'Formulas and a worked example: ', lang))}"
         "<code>docs/method.md</code>"),
        (t("规划", "Plan", lang), plan_html),
        (t("数据来源", "Data sources", lang),
         f"<code>{esc(_shown_path(statistics_path))}</code> — "
         + esc(t(f"{n_sourced}个有来源的数值（共{n_rows}行）；每个数值附来源标题，网页来源另附网址",
                 f"{n_sourced} values with a source (of {n_rows} rows); each value carries its "
                 "source title, and its URL when the source is a web page", lang))),
        (t("软件", "Software", lang),
         esc(f"helpers {__version__}, pandas {pd.__version__}, matplotlib {matplotlib.__version__}")),
        (t("数据截至", "Data as of", lang), esc(as_of_s)),
    ]
    lis = "".join(f"<li><strong>{esc(k)}</strong>: {v}</li>" for k, v in items)
    return f'<footer class="helpers-footer"><hr><ul>{lis}</ul></footer>'


# --------------------------------------------------------------------------- display helpers

def show(*html_parts: str) -> None:
    """Display HTML strings in the notebook (one output)."""
    from IPython.display import HTML, display

    display(HTML("".join(html_parts)))


#: zlib level of report PNGs. Measured on the area charts: level 3 encodes faster than Pillow's
#: default 6 and gives files of about the same size (charts are large flat areas of colour).
PNG_COMPRESS_LEVEL = 3


def figure_png(fig, dpi: float | None = None) -> bytes:
    """The figure as PNG bytes, drawn once, at ``dpi`` (default: the figure's own).

    The charts lay out their own margins (constrained layout, or measured margins for the
    per-target charts), so no tight bounding box is asked for: it (IPython's inline default,
    and the shared style's ``savefig.bbox``) would cost a second full draw per figure, the
    largest single cost of rendering an area report.
    """
    import io

    import matplotlib

    buf = io.BytesIO()
    with matplotlib.rc_context({"savefig.bbox": "standard"}):
        fig.savefig(buf, format="png", dpi=dpi or fig.dpi,
                    pil_kwargs={"compress_level": PNG_COMPRESS_LEVEL})
    return buf.getvalue()


def show_figure(fig) -> None:
    """Display a matplotlib Figure once, as an embedded PNG, and close it (so the inline
    backend does not show it a second time at the end of the cell)."""
    import matplotlib.pyplot as plt
    from IPython.display import Image, display

    display(Image(data=figure_png(fig), format="png"))
    plt.close(fig)
