"""What changed since the previous report set: values added and changed, statuses changed.

Every published set keeps what it was built from (``inputs/``: the plan's ``plan.json``,
``targets.csv`` and ``statistics.csv`` as validated) and the trajectory it scored
(``trajectory.csv``), so two sets can be compared with nothing else. The previous set is the
newest older dated set of the same plan with the same method and geo (``set.json``).

- :func:`keep_snapshot` — write ``inputs/`` and ``trajectory.csv`` into a set being built;
- :func:`previous_set` — the set to compare with, or ``None``;
- :func:`compare` — the tidy table of changes (also written as ``changes.csv``);
- :func:`changes_html` — the ``changes.html`` page.

``changes.csv`` columns: ``change`` (``newly_scorable``, ``status_changed``, ``value_added``,
``value_changed``, ``source_changed`` (same value, another source title or URL),
``value_removed``), ``indicator_id``, ``geo``, ``year`` (the statistic's year; for a status
change, the as-of years ``old → new``), ``old``, ``new``, ``old_source``, ``new_source`` (source
titles), ``old_url``, ``new_url`` (source URLs). Values are compared exactly (the stored text as
a number).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.publish.sets import SNAPSHOT_DIR, TRAJECTORY_FILE, read_set_record

CHANGES_CSV = "changes.csv"
CHANGES_HTML = "changes.html"
COLUMNS = ("change", "indicator_id", "geo", "year", "old", "new", "old_source", "new_source", "old_url",
           "new_url")


def keep_snapshot(folder: Path, input_bytes: dict, trajectory: pd.DataFrame) -> None:
    """Write the input files as validated (``{file name: bytes}``) into ``folder/inputs/`` and
    the scored trajectory as ``trajectory.csv``."""
    from helpers.data.fileio import atomic_write_csv

    snap = Path(folder) / SNAPSHOT_DIR
    snap.mkdir(parents=True, exist_ok=True)
    for name, data in input_bytes.items():
        (snap / name).write_bytes(data)
    atomic_write_csv(trajectory, Path(folder) / TRAJECTORY_FILE, float_format="%.10g")


def _stats(path: Path) -> pd.DataFrame:
    s = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    s["num"] = pd.to_numeric(s["value"], errors="coerce")
    return s


def _txt(value) -> str:
    from helpers.formats import text_or_none

    return text_or_none(value) or ""


def _sources_html(row) -> str:
    """The row's source titles, old → new (one when they are the same), each linked to its
    http(s) URL (HTML built from escaped parts, marked safe for the page's template)."""
    from markupsafe import Markup

    from helpers.report.htmltext import safe_link

    old = (_txt(row.old_source), _txt(row.old_url))
    new = (_txt(row.new_source), _txt(row.new_url))
    pairs = [p for p in dict.fromkeys((old, new)) if p[0] or p[1]]
    return Markup(" → ".join(safe_link(url, title or url) for title, url in pairs))


def compare(old_set: Path, statistics: pd.DataFrame, trajectory: pd.DataFrame, as_of: int,
            old_as_of: int | None = None) -> pd.DataFrame:
    """Changes from ``old_set`` to the current statistics (as loaded) and trajectory."""
    old = _stats(Path(old_set) / SNAPSHOT_DIR / "statistics.csv")
    new = statistics.assign(year=statistics["year"].astype("Int64").astype(str),
                            num=statistics["value"].astype("float64"))
    keys = ["indicator_id", "geo", "year"]
    cols = keys + ["num", "source_title", "source_url"]
    both = old.reindex(columns=cols).merge(new.reindex(columns=cols), on=keys, how="outer",
                                           suffixes=("_old", "_new"), indicator="how")
    rows = []
    for r in both.itertuples(index=False):
        if r.how == "right_only":
            kind = "value_added"
        elif r.how == "left_only":
            kind = "value_removed"
        elif r.num_old != r.num_new:
            kind = "value_changed"
        elif ((_txt(r.source_title_old), _txt(r.source_url_old))
              != (_txt(r.source_title_new), _txt(r.source_url_new))):
            kind = "source_changed"
        else:
            continue
        rows.append({"change": kind, "indicator_id": r.indicator_id, "geo": r.geo, "year": str(r.year),
                     "old": r.num_old, "new": r.num_new,
                     "old_source": r.source_title_old, "new_source": r.source_title_new,
                     "old_url": r.source_url_old, "new_url": r.source_url_new})
    old_traj = pd.read_csv(Path(old_set) / TRAJECTORY_FILE)
    old_as_of = old_as_of if old_as_of is not None else as_of
    from helpers.method import summaries

    before = summaries.latest_status(old_traj, old_as_of)[["geo", "indicator_id", "year", "status"]]
    after = summaries.latest_status(trajectory, as_of)[["geo", "indicator_id", "year", "status"]]
    st = before.astype({"geo": str, "indicator_id": str}).merge(
        after.astype({"geo": str, "indicator_id": str}), on=["geo", "indicator_id"], how="outer",
        suffixes=("_old", "_new"))
    for r in st.itertuples(index=False):
        o, n = (r.status_old if isinstance(r.status_old, str) else "no_data"), (
            r.status_new if isinstance(r.status_new, str) else "no_data")
        if o == n:
            continue
        yo = "" if pd.isna(r.year_old) else str(int(r.year_old))
        yn = "" if pd.isna(r.year_new) else str(int(r.year_new))
        rows.append({"change": "newly_scorable" if o == "no_data" else "status_changed",
                     "indicator_id": r.indicator_id, "geo": r.geo, "year": f"{yo} → {yn}".strip(" →"),
                     "old": o, "new": n, "old_source": "", "new_source": "", "old_url": "", "new_url": ""})
    out = pd.DataFrame(rows, columns=list(COLUMNS))
    order = {k: i for i, k in enumerate(CHANGE_LABELS)}
    return (out.assign(_o=out["change"].map(order)).sort_values(["_o", "indicator_id", "geo", "year"],
                                                                 kind="mergesort")
            .drop(columns="_o").reset_index(drop=True))


#: (中文, English) of each kind of change, in the page's order.
CHANGE_LABELS: dict[str, tuple[str, str]] = {
    "newly_scorable": ("新可评估", "newly scorable"), "status_changed": ("状态变化", "status changed"),
    "value_added": ("新增数值", "value added"), "value_changed": ("数值修改", "value changed"),
    "source_changed": ("来源更新", "source changed"), "value_removed": ("数值删除", "value removed")}


def series_names(ctx, ids, lang: str) -> dict[str, str]:
    """Reader's name of each statistics id in ``ids``: a target's name, or for a context series
    ``<id>:<suffix>`` its target's name and the series' label (``label_zh``/``label_en`` of the
    statistics, else the suffix in words) marked as context. An id of no known target keeps
    the id."""
    from helpers.formats import series_label_pair
    from helpers.report.htmltext import names, t
    from helpers.report.terms import CONTEXT_SERIES

    targets = dict(zip(ctx.targets["id"].astype(str), names(ctx.targets, lang)))
    wanted = list(dict.fromkeys(map(str, ids)))
    stats = ctx.statistics
    series = {i: rows for i, rows in stats[stats["indicator_id"].astype(str).isin(wanted)]
              .groupby(stats["indicator_id"].astype(str), sort=False)}
    out = {}
    for i in wanted:
        base, sep, suffix = i.partition(":")
        if not sep:
            out[i] = targets.get(i, i)
            continue
        label = t(*series_label_pair(series.get(i, stats.iloc[:0]), suffix), lang)
        out[i] = f"{targets.get(base, base)} · {t(*CONTEXT_SERIES, lang)}: {label}"
    return out


def _summary_values(table: pd.DataFrame, lang: str) -> dict:
    """What ``templates/pages/changes_summary.html.j2`` shows: each kind of change with its count,
    zeros included, and whether a target changed status."""
    from helpers.report.htmltext import t

    counts = table["change"].value_counts()
    return {"lang": lang, "counts": [(t(*pair, lang), int(counts.get(k, 0))) for k, pair in CHANGE_LABELS.items()],
            "status_changed": bool(counts.get("status_changed", 0) or counts.get("newly_scorable", 0))}


def summary_html(table: pd.DataFrame, lang: str) -> str:
    """One line counting every kind of change, zeros included (a reader sees that status
    changes were looked for), and a sentence when no target changed status."""
    from helpers.publish.pages import render

    return render("changes_summary.html.j2", **_summary_values(table, lang))


def _shown(v, status: bool, lang: str) -> str:
    """A before/now cell: a status by its label, a number as ``%g``, a missing number "—"."""
    from helpers.vocab import status_label

    if isinstance(v, str):
        return status_label(v, lang) if status else v
    return "—" if pd.isna(v) else f"{v:g}"


def changes_html(table: pd.DataFrame | None, ctx, date: str, previous: Path | None, commit: str | None = None,
                 files=()) -> str:
    """The set's ``changes.html`` (``templates/pages/changes.html.j2``): against ``previous`` (its
    date linked), or a note that this is the first set to compare from; the footer cites the set
    (:func:`helpers.publish.citation.cite_text` with ``commit``, and the citation ``files``)."""
    from helpers.publish.citation import cite_text

    from helpers.publish.pages import render
    from helpers.report.htmltext import t
    from helpers.vocab import HTML_LANG

    lang = ctx.lang
    plan = ctx.plan
    rows, summary = None, {"counts": [], "status_changed": True}
    if previous is not None and table is not None:
        names = series_names(ctx, table["indicator_id"], lang)
        rows = []
        for r in table.itertuples(index=False):
            is_status = r.change in ("status_changed", "newly_scorable")
            rows.append({"change": t(*CHANGE_LABELS[r.change], lang), "name": names[str(r.indicator_id)],
                         "id": r.indicator_id, "geo": plan.geo_label(r.geo, lang), "year": r.year,
                         "old": _shown(r.old, is_status, lang), "new": _shown(r.new, is_status, lang),
                         "sources": "" if is_status else _sources_html(r)})
        summary = _summary_values(table, lang)
    heading = t("自上一份报告以来的变化", "What changed since the previous set", lang)
    return render("changes.html.j2", title=f"{heading} — {plan.title(lang)} — {date}", heading=heading,
                  html_lang=HTML_LANG.get(lang, "zh-CN"), plan_title=plan.title(lang), date=date,
                  previous=None if previous is None else previous.name, rows=rows, csv=CHANGES_CSV,
                  cite=cite_text(ctx, date, commit), files=list(files),
                  **{**summary, "lang": lang})


def write_changes(work: Path, prep, previous: Path | None, files=()) -> None:
    """Keep the snapshot in ``work`` and write ``changes.html`` (and ``changes.csv`` when there is
    a ``previous`` set to compare with: :func:`previous_set`)."""
    ctx = prep.ctx
    keep_snapshot(work, prep.input_bytes, ctx.trajectory)
    table = None
    if previous is not None:
        table = compare(previous, ctx.statistics, ctx.trajectory, ctx.as_of, read_set_record(previous).get("as_of"))
        from helpers.data.fileio import atomic_write_csv

        atomic_write_csv(table, work / CHANGES_CSV, float_format="%.10g")
    (work / CHANGES_HTML).write_text(changes_html(table, ctx, prep.date, previous, getattr(prep, "commit", None), files),
                                         encoding="utf-8")
