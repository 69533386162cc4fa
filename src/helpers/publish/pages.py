"""The HTML pages the renderer writes around the notebooks' reports.

- :func:`index_html` — a set's front page (``<plan>/<date>/index.html``): plan, date, as-of
  year, status counts per area with links;
- :func:`write_set_record` — ``set.json`` beside it: what the set was built from and its counts,
  which the archive reads (so it needs nothing but the published folders);
- :func:`write_archive` — ``<reports root>/index.html``: every plan and its dated sets, newest
  first, with as-of year, method and status counts.

Every data-derived string is escaped; the pages are self-contained (inline CSS, no scripts).
"""

from __future__ import annotations

import json
from pathlib import Path

from helpers.publish.sets import SET_RECORD, read_set_record, set_folders

#: The nbconvert template under ``src/helpers/templates/`` (its CSS styles these pages too).
TEMPLATE_NAME = "plan_report"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
ARCHIVE_NAME = "index.html"


def report_css() -> str:
    return (TEMPLATES_DIR / TEMPLATE_NAME / "static" / "report.css").read_text(encoding="utf-8")


def html_page(title: str, body: str, lang: str = "both") -> str:
    """A self-contained page around ``body`` (HTML, already escaped): the shared head (charset,
    viewport, ``title`` escaped here, the reports' inline CSS) and ``<main>``."""
    from helpers.report.htmltext import esc
    from helpers.vocab import HTML_LANG

    return f"""<!DOCTYPE html>
<html lang="{HTML_LANG.get(lang, "zh-CN")}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{esc(title)}</title>
<style>
{report_css()}
</style>
</head>
<body>
<main>
{body}
</main>
</body>
</html>
"""


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
    """The set's front page: plan, date, as-of year, status counts per area with links. Every
    data-derived string is escaped."""
    from helpers import __version__
    from helpers.report.htmltext import esc, t
    from helpers.vocab import METHOD_LABELS, STATUS_COLOURS, STATUS_ORDER, status_label

    ctx = prep.ctx
    lang = ctx.lang
    plan = ctx.plan
    title_zh, title_en = plan.title_pair()
    doc = plan.text("document_number")
    jur_zh, jur_en = ctx.plan.geo_pair(ctx.geo)
    counts = status_summary(prep)

    head_cells = "".join(
        f'<th class="num"><span class="status-chip" style="background:{STATUS_COLOURS[s]}"></span>'
        f"{esc(status_label(s, lang))}</th>" for s in STATUS_ORDER)
    rows = []
    for area, row in counts.iterrows():
        cells = "".join(f'<td class="num">{int(row[s])}</td>' for s in STATUS_ORDER)
        name = esc(plan.area_label(area, lang))
        pages = getattr(prep, "pages", None)
        if pages is None or f"area-{area}" in pages:
            name = f'<a href="area-{esc(area)}.html">{name}</a>'
        else:
            name += f' <span class="report-meta">({esc(t("本期未生成页面", "no page in this set", lang))})</span>'
        rows.append(f'<tr><td>{name}</td><td class="num">{int(row["total"])}</td>{cells}</tr>')
    total = counts.sum()
    rows.append(f'<tr><th>{esc(t("合计", "Total", lang))}</th><th class="num">{int(total["total"])}</th>'
                + "".join(f'<th class="num">{int(total[s])}</th>' for s in STATUS_ORDER) + "</tr>")
    no_data_note = "" if ctx.has_data else (
        f'<p class="report-meta">{esc(t("截至该年尚无可评估的数值。", "No value can be scored up to that year.", lang))}</p>')
    method_name = METHOD_LABELS.get(ctx.method, (ctx.method, ctx.method))
    head = t(title_zh, title_en, lang)
    title = f"{head} — {doc} — {prep.date}" if doc else f"{head} — {prep.date}"
    links = [("overview.html", t("规划总览", "Plan overview", lang)),
             ("data-coverage.html", t("数据覆盖", "Data coverage", lang)),
             ("changes.html", t("自上一份报告以来的变化", "What changed since the previous set", lang))]
    previous = getattr(prep, "previous", None)
    if previous is not None:
        links.append((f"../{previous.name}/index.html", t(f"上一份报告（{previous.name}）",
                                                          f"Previous set ({previous.name})", lang)))
    link_items = "".join(f'<li><a href="{esc(href)}">{esc(text)}</a></li>' for href, text in links)
    stats_name = Path(str(plan.statistics_path)).name
    targets_name = Path(str(plan.targets_path)).name
    return html_page(title, f"""<h1>{esc(title_zh)}</h1>
{'' if lang == 'zh' else f'<p class="report-meta"><em>{esc(title_en)}</em></p>'}
<p class="report-meta">{esc(doc)}{' — ' if doc else ''}{esc(t(jur_zh, jur_en, lang))}</p>
<p class="report-meta">{esc(t("报告日期", "Report date", lang))}: <span class="report-date">{esc(prep.date)}</span> ·
{esc(t("数据截至", "Data as of", lang))}: {ctx.as_of} ·
{esc(t("方法", "Method", lang))}: {esc(t(*method_name, lang))}</p>
{no_data_note}
<p class="report-meta"><a href="../../index.html">{esc(t("全部报告（存档）", "All reports (archive)", lang))}</a></p>
<h2>{esc(t("报告", "Reports", lang))}</h2>
<ul class="report-links">{link_items}</ul>
<h2>{esc(t("各领域目标状态", "Status of the targets by area", lang))}</h2>
<p class="report-meta">{esc(t(f"每项目标截至{ctx.as_of}年最近一个有数据年份的状态；点击领域查看报告。",
                             f"Each target's status in its latest year with data up to {ctx.as_of}; "
                             "click an area for its report.", lang))}</p>
<div style="overflow-x:auto">
<table class="report-table">
<thead><tr><th>{esc(t("领域", "Area", lang))}</th><th class="num">{esc(t("目标数", "Targets", lang))}</th>{head_cells}</tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
</div>
<footer class="report-footer">
<hr>
<p>{esc(t("数据", "Data", lang))}: <code>{esc(targets_name)}</code>, <code>{esc(stats_name)}</code> ·
{esc(t("软件", "Software", lang))}: helpers {esc(__version__)} ·
{esc(t("每份报告旁附有执行后的笔记本（.ipynb）以供核查。",
       "The executed notebook (.ipynb) beside each report is kept for audit.", lang))}</p>
</footer>""", lang)


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


def archive_html(root: Path) -> str:
    """``<root>/index.html``: per plan (folders of ``root`` holding dated sets), its sets newest
    first with as-of year, method, geo and status counts, each linking to the set's index."""
    from helpers import __version__
    from helpers.report.htmltext import esc
    from helpers.vocab import METHOD_LABELS, STATUS_COLOURS, STATUS_ORDER, STATUSES

    root = Path(root)
    plans = [(p.name, _read_sets(p)) for p in sorted(root.iterdir()) if p.is_dir() and not p.name.startswith(".")]
    plans = [(name, sets) for name, sets in plans if sets]
    head_cells = "".join(f'<th class="num"><span class="status-chip" style="background:{STATUS_COLOURS[s]}"></span>'
                         f"{esc(STATUSES[s][0])}<br>{esc(STATUSES[s][1])}</th>" for s in STATUS_ORDER)
    parts = []
    for name, sets in plans:
        first = sets[0]
        title = " / ".join(x for x in dict.fromkeys([first.get("title_zh") or "", first.get("title_en") or ""]) if x) or name
        doc = first.get("document_number") or ""
        rows = []
        for rec in sets:
            counts = rec.get("status_counts") or {}
            mz, me = METHOD_LABELS.get(rec.get("method", ""), (rec.get("method", ""), rec.get("method", "")))
            cells = "".join(f'<td class="num">{esc(counts.get(s, ""))}</td>' for s in STATUS_ORDER)
            rows.append(f'<tr><td><a href="{esc(name)}/{esc(rec["date"])}/index.html">{esc(rec["date"])}</a></td>'
                        f'<td class="num">{esc(rec.get("as_of", ""))}</td><td>{esc(mz)} / {esc(me)}</td>'
                        f'<td>{esc(rec.get("geo_label", ""))}</td><td class="num">{esc(rec.get("targets", ""))}</td>{cells}</tr>')
        parts.append(f"""<h2>{esc(title)}</h2>
<p class="report-meta">{esc(doc)}{' — ' if doc else ''}<code>{esc(name)}</code> ·
{len(sets)} 份报告 / {len(sets)} report set{'s' if len(sets) != 1 else ''} ·
<a href="{esc(name)}/latest/index.html">最新 / latest</a></p>
<div style="overflow-x:auto">
<table class="report-table">
<thead><tr><th>报告日期<br>Report date</th><th class="num">数据截至<br>Data as of</th><th>方法<br>Method</th>
<th>地区<br>Geo</th><th class="num">目标数<br>Targets</th>{head_cells}</tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
</div>""")
    if not parts:
        parts.append("<p>尚无报告。 / No report set yet.</p>")
    return html_page("规划目标跟踪报告存档 / Plan tracking reports — archive", f"""<h1>规划目标跟踪报告存档</h1>
<p class="report-meta"><em>Plan tracking reports — archive</em></p>
<p class="report-meta">每个规划的全部报告，最新在前；状态数为各目标截至“数据截至”年份的状态。 /
Every plan's report sets, newest first; status counts are each target's status as of the set's data year.</p>
{chr(10).join(parts)}
<footer class="report-footer"><hr><p>helpers {esc(__version__)}</p></footer>""")


def write_archive(root: str | Path) -> Path:
    """Rewrite ``<root>/index.html`` from the published sets, atomically, under a lock (two
    renders of different plans may finish at once)."""
    from helpers.data.fileio import atomic_write_bytes
    from helpers.data.locks import archive_lock

    root = Path(root)
    with archive_lock(root):
        return atomic_write_bytes(root / ARCHIVE_NAME, archive_html(root).encode("utf-8"))
