"""HTML and plain-text primitives of the reports: the language choice, escaping, safe links,
percentages and years, names and labels, headings and paragraphs, the report footer, and
showing HTML and figures in a notebook.

Every piece of text that comes from the data (target names, units, notes, source titles, URLs)
goes through :func:`esc` (``html.escape``) before it is put into HTML; a URL becomes a link only
when it is ``http``/``https`` (:func:`safe_link`), anything else is shown as escaped text. A
missing number or year is shown as :data:`~helpers.formats.MISSING` ("—") and never as 0.

Language: every public function takes ``lang`` in ``zh`` | ``en`` | ``both``; ``both`` writes
Chinese first, then English (labels "中文 / English", sentences as two paragraphs).

The words the reports use (the two gaps, "no data", "value, not scored") are in
:mod:`helpers.report.terms`, the tables in :mod:`helpers.report.tables`, the sentences in :mod:`helpers.report.narrate`.
"""

from __future__ import annotations

import functools
import html
from pathlib import Path
from typing import Iterable, Sequence

import pandas as pd

from helpers import paths
from helpers.formats import MISSING, fmt_year
from helpers.vocab import label

# --------------------------------------------------------------------------- text primitives

def t(zh: str, en: str, lang: str = "both") -> str:
    """Pick ``zh`` / ``en`` / "zh / en" for ``lang`` (plain text, not escaped)."""
    return label((zh, en), lang)


def cap(pair: tuple[str, str], lang: str = "both") -> str:
    """A label as a column header: the English part with a capital first letter."""
    zh, en = pair
    return label((zh, en[:1].upper() + en[1:]), lang)


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


def names(df: pd.DataFrame, lang: str = "both") -> pd.Series:
    """Target names for ``lang`` from ``name_zh`` / ``name_en`` (plain text, not escaped)."""
    zh = df["name_zh"].astype("string").fillna(df["name_en"].astype("string"))
    en = df["name_en"].astype("string").fillna(zh)
    if lang == "zh":
        return zh
    if lang == "en":
        return en
    return (zh + " / " + en).where(zh != en, zh)


def area_name(plan, area: object, lang: str = "both") -> str:
    """The area's label from the plan (:meth:`helpers.data.plan.Plan.area_label`); the key without a plan."""
    return plan.area_label(str(area), lang) if plan is not None else str(area)


def geo_name(plan, geo: object, lang: str = "both") -> str:
    """The place's label from the plan (:meth:`helpers.data.plan.Plan.geo_label`); the key without a plan."""
    return plan.geo_label(str(geo), lang) if plan is not None else str(geo)


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


# --------------------------------------------------------------------------- footer

#: The method in words (the footer's "Method" line), per method key.
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


#: The report wing's Jinja templates (the footer).
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


@functools.cache
def environment():
    """The report wing's one Jinja environment: templates from :data:`TEMPLATES_DIR`,
    autoescaped, an undefined name an error, the labels and numbers formatters as filters
    (``label``, ``status_label``, ``fmt_num``, ``fmt_pct``, ``fmt_year``). Every ``{{ }}`` value
    is escaped by :func:`esc` (``html.escape``, a missing value "—"); HTML built from escaped
    parts comes in as ``markupsafe.Markup``."""
    import jinja2
    from markupsafe import Markup

    from helpers.formats import fmt_num, fmt_pct
    from helpers.vocab import status_label

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES_DIR), autoescape=True,
                             undefined=jinja2.StrictUndefined,
                             finalize=lambda v: v if isinstance(v, Markup) else Markup(esc(v)))
    env.filters.update(label=label, status_label=status_label, fmt_num=fmt_num, fmt_pct=fmt_pct,
                       fmt_year=fmt_year)
    return env


def report_footer(plan: dict, as_of: object, method: str, statistics_path: object,
                  statistics: pd.DataFrame | None = None, lang: str = "both") -> str:
    """The foot of every report (``templates/footer.html.j2``): method (see ``docs/method.md``),
    data sources (statistics file, number of values with a source), software versions, the
    data's as-of year and how to cite the report (:func:`helpers.report.htmltext.citation_item`,
    without the set's date and commit, which the render writes in), as HTML in a ``<footer class="helpers-footer">``. Reads
    ``statistics_path`` when ``statistics`` is None."""
    import matplotlib
    from markupsafe import Markup

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
    title = t(plan.get("title_zh", ""), plan.get("title_en", ""), lang) if plan else ""
    doc = plan.get("document_number", "") if plan else ""
    return environment().get_template("footer.html.j2").render(
        lang=lang, method=METHOD_TEXT.get(method, (method, method)),
        plan_link=Markup(safe_link(plan.get("source_url"), f"{title} {doc}".strip())) if plan else MISSING,
        statistics_file=_shown_path(statistics_path),
        sourced_zh=f"{n_sourced}个有来源的数值（共{n_rows}行）；每个数值附来源标题，网页来源另附网址",
        sourced_en=(f"{n_sourced} values with a source (of {n_rows} rows); each value carries its "
                    "source title, and its URL when the source is a web page"),
        software=f"helpers {__version__}, pandas {pd.__version__}, matplotlib {matplotlib.__version__}",
        as_of=as_of, cite=Markup(citation_item(plan or {}, as_of, lang)))


# --------------------------------------------------------------------------- how to cite

#: The tool's name in a citation.
TOOL_NAME = "helpers (规划目标追踪 · Plan target tracker)"


def citation_text(meta: dict, as_of: object, lang: str = "both", date: str | None = None,
                  commit: str | None = None) -> str:
    """How to cite a report (plain text): the plan's title and document number, the set's date,
    the data's as-of year, the tool and its version, and the code's git commit. ``date`` and
    ``commit`` are left out when unknown (a notebook run outside a render: the render writes the
    set's date and commit into every page's footer), never guessed."""
    from helpers import __version__

    meta = meta or {}
    doc = str(meta.get("document_number") or "").strip()
    tz = str(meta.get("title_zh") or meta.get("title_en") or "").strip()
    te = str(meta.get("title_en") or meta.get("title_zh") or "").strip()
    year = fmt_year(as_of)
    zh = f"《{tz}》" + (f"（{doc}）" if doc else "") + "目标跟踪报告"
    zh += (f"，报告日期{date}" if date else "") + f"，数据截至{year}年；{TOOL_NAME} {__version__}"
    zh += (f"，代码提交 {commit}" if commit else "") + "。"
    en = f"Target tracking report on “{te}”" + (f" ({doc})" if doc else "")
    en += (f", report set of {date}" if date else "") + f", data as of {year}; {TOOL_NAME} {__version__}"
    en += (f", code commit {commit}" if commit else "") + "."
    return label((zh, en), lang) if lang != "both" else f"{zh} / {en}"


#: The footer item holding the citation (the render rewrites it with the set's date and commit).
CITE_CLASS = "helpers-cite"


def citation_item(meta: dict, as_of: object, lang: str = "both", date: str | None = None,
                  commit: str | None = None) -> str:
    """The footer's "how to cite" item, ``<li class="helpers-cite">…</li>`` (escaped)."""
    return (f'<li class="{CITE_CLASS}"><strong>{esc(t("引用", "How to cite", lang))}</strong>: '
            f"{esc(citation_text(meta, as_of, lang, date, commit))}</li>")
