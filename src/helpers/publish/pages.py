"""The HTML pages the renderer writes around the notebooks' reports.

- :func:`index_html` — a set's front page (``<plan>/<date>/index.html``): plan, date, as-of
  year, status counts per area with links;
- :func:`write_set_record` — ``set.json`` beside it: what the set was built from and its counts,
  which the archive reads (so it needs nothing but the published folders);
- :func:`write_archive` — ``<reports root>/index.html``: every plan and its dated sets, newest
  first, with as-of year, method and status counts.

The pages are Jinja templates (``templates/pages/``) rendered by :func:`environment`, which
escapes every value; the pages are self-contained (inline CSS, no scripts).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from helpers.publish.sets import SET_RECORD, read_set_record, set_folders

#: The nbconvert template under ``templates/`` (its CSS styles these pages too).
TEMPLATE_NAME = "plan_report"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
#: The pages' own Jinja templates (``page.html.j2`` and the pages extending it).
PAGES_DIR = TEMPLATES_DIR / "pages"
ARCHIVE_NAME = "index.html"


def report_css() -> str:
    return (TEMPLATES_DIR / TEMPLATE_NAME / "static" / "report.css").read_text(encoding="utf-8")


@functools.cache
def environment():
    """The publish wing's one Jinja environment: templates from :data:`PAGES_DIR`, autoescaped,
    an undefined name an error, and the labels and numbers formatters as filters (``label``,
    ``status_label``, ``method_label``, ``fmt_num``, ``fmt_pct``, ``fmt_year``). Every ``{{ }}``
    value is escaped as :func:`helpers.report.htmltext.esc` escapes (``html.escape``, a missing
    value "—"), the escaping of the report pages; HTML built from escaped parts comes in as
    ``markupsafe.Markup``."""
    import jinja2
    from markupsafe import Markup

    from helpers.formats import fmt_num, fmt_pct, fmt_year
    from helpers.report.htmltext import esc
    from helpers.vocab import METHOD_LABELS, label, status_label

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(PAGES_DIR), autoescape=True,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                             finalize=lambda v: v if isinstance(v, Markup) else Markup(esc(v)))
    env.filters.update(label=label, status_label=status_label, fmt_num=fmt_num, fmt_pct=fmt_pct,
                       fmt_year=fmt_year,
                       method_label=lambda key, lang: label(METHOD_LABELS.get(key, (key, key)), lang))
    return env


def render(template: str, **values) -> str:
    """``template`` of :data:`PAGES_DIR` rendered with ``values`` (and the reports' CSS as ``css``)."""
    from markupsafe import Markup

    return environment().get_template(template).render(css=Markup(report_css()), **values)


def html_page(title: str, body: str, lang: str = "both") -> str:
    """A self-contained page around ``body`` (HTML, already escaped): the shared head (charset,
    viewport, ``title`` escaped here, the reports' inline CSS) and ``<main>``
    (``templates/pages/page.html.j2``)."""
    from markupsafe import Markup

    from helpers.vocab import HTML_LANG

    return render("page.html.j2", title=title, body=Markup(body), html_lang=HTML_LANG.get(lang, "zh-CN"))


def status_summary(prep):
    """Counts by status per area (rows: every area with a target, plan order, whether or not
    this render draws its page; columns: STATUS_ORDER; plus
    ``total``): :func:`helpers.method.summaries.area_rollup` of the statuses as of the report's as-of year,
    the same table the notebooks narrate."""
    from helpers.method import summaries
    from helpers.vocab import STATUS_ORDER

    rollup = summaries.area_rollup(prep.ctx.latest, by_year=False, areas=prep.ctx.plan.area_keys).set_index("area")
    counts = rollup.reindex(prep.ctx.plan.areas_in_use())[[f"n_{s}" for s in STATUS_ORDER]].fillna(0).astype("int64")
    counts.columns = list(STATUS_ORDER)
    counts["total"] = counts.sum(axis=1)
    counts.index.name = "area"
    return counts


def index_html(prep) -> str:
    """The set's front page (``templates/pages/index.html.j2``): plan, date, as-of year, status
    counts per area with links (the reports, the sources page, the changes), the citation line
    and files in its footer. Every data-derived string is escaped."""
    from helpers import __version__
    from helpers.publish.citation import BIB_FILE, CFF_FILE, cite_text
    from helpers.report.htmltext import t
    from helpers.vocab import HTML_LANG, STATUS_COLOURS, STATUS_ORDER

    ctx = prep.ctx
    lang = ctx.lang
    plan = ctx.plan
    title_zh, title_en = plan.title_pair()
    doc = plan.text("document_number")
    counts = status_summary(prep)
    pages = getattr(prep, "pages", None)
    rows = [{"area": area, "name": plan.area_label(area, lang), "total": int(row["total"]),
             "linked": pages is None or f"area-{area}" in pages, "counts": [int(row[s]) for s in STATUS_ORDER]}
            for area, row in counts.iterrows()]
    total = counts.sum()
    head = t(title_zh, title_en, lang)
    links = [("overview.html", t("规划总览", "Plan overview", lang)),
             ("data-coverage.html", t("数据覆盖", "Data coverage", lang)),
             ("sources.html", t("全部数值及其来源", "Every value and its source", lang)),
             ("changes.html", t("自上一份报告以来的变化", "What changed since the previous set", lang))]
    previous = getattr(prep, "previous", None)
    if previous is not None:
        links.append((f"../{previous.name}/index.html", t(f"上一份报告（{previous.name}）",
                                                          f"Previous set ({previous.name})", lang)))
    return render(
        "index.html.j2", lang=lang, html_lang=HTML_LANG.get(lang, "zh-CN"),
        title=f"{head} — {doc} — {prep.date}" if doc else f"{head} — {prep.date}",
        title_zh=title_zh, title_en=title_en, doc=doc, jurisdiction=t(*plan.geo_pair(ctx.geo), lang),
        date=prep.date, as_of=ctx.as_of, method=ctx.method, has_data=ctx.has_data, links=links,
        as_of_zh=f"每项目标截至{ctx.as_of}年最近一个有数据年份的状态；点击领域查看报告。",
        as_of_en=f"Each target's status in its latest year with data up to {ctx.as_of}; click an area for its report.",
        statuses=STATUS_ORDER, colours=STATUS_COLOURS, rows=rows,
        total={"total": int(total["total"]), "counts": [int(total[s]) for s in STATUS_ORDER]},
        targets_name=Path(str(plan.targets_path)).name, stats_name=Path(str(plan.statistics_path)).name,
        version=__version__, cite=cite_text(ctx, prep.date, getattr(prep, "commit", None)),
        files=[CFF_FILE, BIB_FILE])


# --------------------------------------------------------------------------- command line


def set_record(prep) -> dict:
    """What a set was built from and what it found (``set.json``); ``geo_label`` is the scored
    geo as the reports name it (:meth:`helpers.data.plan.Plan.geo_label`, both languages), which the
    archive shows."""
    from helpers.vocab import STATUS_ORDER

    ctx = prep.ctx
    plan = ctx.plan
    counts = status_summary(prep)
    total = counts.sum()
    return {
        "plan": plan.name, "title_zh": plan.title_pair()[0], "title_en": plan.title_pair()[1],
        "document_number": plan.text("document_number"), "date": prep.date, "as_of": int(ctx.as_of),
        "method": ctx.method, "geo": ctx.geo, "geo_label": plan.geo_label(ctx.geo, "both"), "lang": ctx.lang,
        "areas": list(prep.areas),
        "previous": prep.previous.name if getattr(prep, "previous", None) is not None else None,
        "targets": int(total["total"]), "status_counts": {s: int(total[s]) for s in STATUS_ORDER},
    }


def write_set_record(folder: Path, prep) -> Path:
    from helpers.data.fileio import atomic_write_bytes

    text = json.dumps(set_record(prep), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    return atomic_write_bytes(Path(folder) / SET_RECORD, text.encode("utf-8"))


def _read_sets(plan_dir: Path) -> list[dict]:
    """The published sets of one plan folder (dated folders with index.html), newest first, each
    its ``set.json`` with ``date`` and ``geo_label`` (the recorded one; for a set written before
    set.json held it, :func:`_geo_label`)."""
    sets = []
    for p in set_folders(plan_dir, complete=True):
        rec = read_set_record(p)
        recorded = rec.get("geo_label")
        geo_label = recorded if isinstance(recorded, str) and recorded else _geo_label(p, rec)
        sets.append({"date": p.name, **rec, "geo_label": geo_label})
    return sets


def _geo_label(folder: Path, rec: dict) -> str:
    """The set's geo named as :meth:`helpers.data.plan.Plan.geo_label` names it (both languages), from
    the plan.json the set was built from (its snapshot, ``inputs/``: ``changes.SNAPSHOT_DIR``,
    not imported since :mod:`helpers.publish.changes` imports this module); the geo key as recorded when
    that file or the geo's entry is missing or unreadable. For sets whose set.json has no
    ``geo_label``."""
    from helpers.data.plan import Plan

    geo = str(rec.get("geo", ""))
    try:
        meta = json.loads((folder / "inputs" / "plan.json").read_text(encoding="utf-8"))
        if not isinstance(meta.get("geos"), dict) or geo not in meta["geos"]:
            return geo
        return Plan(meta=meta, targets=None, statistics=None).geo_label(geo, "both") or geo  # labels need no tables
    except (OSError, ValueError, TypeError, AttributeError):
        return geo


def archive_html(root: Path, commit: str | None = None) -> str:
    """``<root>/index.html`` (``templates/pages/archive.html.j2``): per plan (folders of ``root``
    holding dated sets), its sets newest first with as-of year, method, geo and status counts,
    each linking to the set's index."""
    from helpers import __version__
    from helpers.vocab import METHOD_LABELS, STATUS_COLOURS, STATUS_ORDER

    root = Path(root)
    plans = []
    for folder in sorted(root.iterdir()):
        if not folder.is_dir() or folder.name.startswith("."):
            continue
        sets = _read_sets(folder)
        if not sets:
            continue
        first = sets[0]
        title = " / ".join(x for x in dict.fromkeys([first.get("title_zh") or "", first.get("title_en") or ""])
                           if x) or folder.name
        rows = []
        for rec in sets:
            counts = rec.get("status_counts") or {}
            method = rec.get("method", "")
            mz, me = METHOD_LABELS.get(method, (method, method))
            rows.append({"date": rec["date"], "as_of": rec.get("as_of", ""), "method_zh": mz, "method_en": me,
                         "geo_label": rec.get("geo_label", ""), "targets": rec.get("targets", ""),
                         "counts": [counts.get(s, "") for s in STATUS_ORDER]})
        plans.append({"name": folder.name, "title": title, "doc": first.get("document_number") or "", "sets": rows})
    from helpers.report.htmltext import TOOL_NAME

    tool = f"{TOOL_NAME} {__version__}" + (f", 代码提交 / code commit {commit}" if commit else "")
    return render("archive.html.j2", title="规划目标跟踪报告存档 / Plan tracking reports — archive",
                  html_lang="zh-CN", plans=plans, statuses=STATUS_ORDER, colours=STATUS_COLOURS,
                  version=__version__, tool=tool)


def write_archive(root: str | Path, commit: str | None = None) -> Path:
    """Rewrite ``<root>/index.html`` from the published sets, atomically, under a lock (two
    renders of different plans may finish at once); ``commit``: the code's, for the footer."""
    from helpers.data.fileio import atomic_write_bytes
    from helpers.data.locks import archive_lock

    root = Path(root)
    with archive_lock(root):
        return atomic_write_bytes(root / ARCHIVE_NAME, archive_html(root, commit).encode("utf-8"))
