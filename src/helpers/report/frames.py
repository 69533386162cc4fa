"""The report's tables as pandas DataFrames: numbers stay numbers, one row per target or per year.

- :func:`status_frame`: one row per target, as of the as-of year (:data:`STATUS_FRAME_COLUMNS`);
- :func:`no_data_frame`: the targets without any value, with what data would score each
  (:func:`needed_text`) and the values of other places and context series;
- :func:`by_year_frame`: one target, one row per year, with both gaps;
- :func:`source_quality_frame`: the statistics rows counted by source quality.

:func:`target_cell` writes a target as a cell ("≥ 7 % on average (2025)"). A missing number
stays NA here; :mod:`helpers.report.tables` shows these frames as HTML ("—" for a missing number).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.formats import MISSING, fmt_year, series_labels, target_text
from helpers.report.htmltext import geo_name, names, t, year_ranges
from helpers.report.terms import CONTEXT_SERIES, QUIET_NOTES, exceeded, report_status, row_notes, status_detail
from helpers.vocab import SOURCE_QUALITY, STATUS_ORDER

# --------------------------------------------------------------------------- the target as a cell

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


# --------------------------------------------------------------------------- status frame

#: Columns of :func:`status_frame`, in order.
STATUS_FRAME_COLUMNS: tuple[str, ...] = (
    "id", "area", "name", "target", "target_year", "kind", "binding", "year", "value", "unit",
    "required", "gap_to_target", "gap_to_path", "progress", "status", "anticipated_progress", "note",
    "status_detail", "status_of_year", "stale", "first_met_year")


def _column(d: pd.DataFrame, name: str, dtype: str) -> pd.Series:
    """``d[name]`` as ``dtype``; all-missing when ``d`` has no such column."""
    if name in d.columns:
        return d[name].astype(dtype)
    return pd.Series(pd.NA if dtype in ("string", "Int64") else np.nan, index=d.index, dtype=dtype)


def _rounded(x: pd.Series) -> pd.Series:
    return (x.astype("float64").round(9) + 0.0)


def _with_targets(latest: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """``latest`` plus the target's own columns it may lack (tolerance, target_hi, unit...)."""
    extra = [c for c in ("target_hi", "tolerance", "unit", "comparator", "target", "kind",
                         "name_zh", "name_en", "area", "target_year")
             if c not in latest.columns and c in targets.columns]
    if not extra:
        return latest
    t_ = targets.rename(columns={"id": "indicator_id"})[["indicator_id", *extra]]
    return latest.merge(t_, on="indicator_id", how="left")


def status_frame(latest: pd.DataFrame, targets: pd.DataFrame, lang: str = "both") -> pd.DataFrame:
    """One row per target of ``latest`` (:func:`helpers.method.summaries.latest_status`), the columns a reader
    needs (:data:`STATUS_FRAME_COLUMNS`), numbers as numbers:

    - ``name`` (in ``lang``), ``target`` (:func:`target_cell`, without the year), ``target_year``,
      ``kind``, ``binding`` (``binding`` /
      ``expected`` / NA), ``year`` (of the value shown; NA without one), ``value``, ``unit``;
    - ``required``: the value required in ``year`` on the path; ``gap_to_target``: the engine's
      ``gap`` (:data:`helpers.report.terms.GAP_TO_TARGET`); ``gap_to_path``:
      ``direction · (required − value)`` (:data:`helpers.report.terms.GAP_TO_PATH`); ``progress``
      (share, 1.0 = 100 %);
    - ``status``: :func:`helpers.report.terms.report_status` (``not_scored`` for a value the engine
      could not score);
      (a target met with room to spare has no ``progress``: ``status_detail`` says "exceeded by x");
    - ``anticipated_progress``: only for a scored target not yet achieved whose target year has not
      passed (NA otherwise: no projection after the deadline);
    - ``note``: the labels of the engine's notes (the reason a value is not scored...);
    - ``status_detail`` (:func:`helpers.report.terms.status_detail`): the status's year when it is
      older than the as-of year, the latest status beside a final value not yet published, the
      year first reached, "exceeded by x" / "short by x"; ``status_of_year`` (the status in
      ``year``), ``stale`` (the status is older than the as-of year, or the target year when
      earlier) and ``first_met_year``, as ``latest_status`` gives them (NA without).
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
    out["progress"] = col("progress", "float64").where(~exceeded(d).to_numpy()) if len(d) else col("progress", "float64")
    status = report_status(d)
    out["status"] = status
    scored_open = status.isin([s for s in STATUS_ORDER if s not in ("achieved", "met", "not_met", "no_data")])
    out["anticipated_progress"] = col("anticipated_progress", "float64").where(scored_open.to_numpy())
    out["note"] = row_notes(d, lang, ("status_note",), quiet=QUIET_NOTES)
    out["status_detail"] = pd.Series([status_detail(r, lang) for _, r in d.iterrows()], index=d.index, dtype=object)
    out["status_of_year"] = col("status_of_year", "string")
    out["stale"] = col("stale", "boolean") if "stale" in d.columns else pd.Series(pd.NA, index=d.index, dtype="boolean")
    out["first_met_year"] = col("first_met_year", "Int64")
    return out[list(STATUS_FRAME_COLUMNS)]


# --------------------------------------------------------------------------- targets without data

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
    word = t(*CONTEXT_SERIES, lang)
    unlabelled: dict[str, list[pd.Series]] = {}
    for (i, sid), grp in ctx.groupby(["_base", "_id"], sort=False):
        # The series' label from the data (label_zh / label_en); never its internal key.
        zh, en = series_labels(grp)
        pair = (zh or en or "", en or zh or "")
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


# --------------------------------------------------------------------------- one target by year

def is_rate_ratio(rows: pd.DataFrame) -> bool:
    """Whether ``rows`` (one target's trajectory) are a ratio of two growth rates (``rate_avg``
    with a ``reference_id``)."""
    if rows.empty or "reference_value" not in rows.columns:
        return False
    return bool((rows["kind"].astype(str) == "rate_avg").all() and rows["reference_id"].notna().all())


def by_year_frame(lin: pd.DataFrame, cagr: pd.DataFrame | None = None, lang: str = "both") -> pd.DataFrame:
    """One target, one row per year (numbers as numbers): ``year``, ``value``, ``required``,
    ``gap_to_target``, ``gap_to_path``, ``progress``, the status
    (:func:`helpers.report.terms.report_status`: ``status``, or ``status_linear`` beside ``ratio_cagr``
    and ``status_cagr`` when ``cagr``, the other method's rows, is given) and ``note`` (the
    engine's notes, labelled).

    A ratio of two growth rates (``rate_avg`` with a ``reference_id``: "labour productivity grows
    faster than GDP") also shows, after ``value``, the two rates it divides: ``own_rate`` (the
    target's average annual growth since the baseline, % a year) and ``reference_rate`` (the
    reference series', e.g. GDP's); ``value`` = own_rate / reference_rate."""
    d = lin.sort_values("year").reset_index(drop=True)
    out = pd.DataFrame(index=d.index)
    out["year"] = d["year"].astype("Int64")
    out["value"] = d["value"].astype("float64")
    if is_rate_ratio(d):
        ref = d["reference_value"].astype("float64")
        out["own_rate"] = _rounded(out["value"] * ref)
        out["reference_rate"] = _rounded(ref)
    out["required"] = d["required"].astype("float64")
    out["gap_to_target"] = d["gap"].astype("float64")
    direction = d["direction"].astype("float64") if "direction" in d.columns else 1.0
    out["gap_to_path"] = _rounded(direction * (out["required"] - out["value"]))
    out["progress"] = d["progress"].astype("float64")
    if cagr is None:
        out["status"] = report_status(d)
        notes = pd.concat([row_notes(d, lang, quiet=QUIET_NOTES)], axis=1)
    else:
        out["status_linear"] = report_status(d)
        c = d[["year"]].merge(cagr.sort_values("year"), on="year", how="left")
        out["ratio_cagr"] = c["ratio"].astype("float64")
        out["status_cagr"] = report_status(c).where(c["status"].notna(), None)
        notes = pd.concat([row_notes(d, lang, ("status_note",), quiet=QUIET_NOTES),
                           row_notes(c, lang, ("method_note",))], axis=1)
    joined = notes.apply(lambda r: "; ".join(x for x in r if isinstance(x, str) and x), axis=1)
    out["note"] = joined.where(joined != "", None) if len(out) else pd.Series([], dtype=object)
    return out


# --------------------------------------------------------------------------- sources

def source_quality_frame(statistics: pd.DataFrame, lang: str = "both") -> pd.DataFrame:
    """The statistics rows (every place, context series included) counted by ``source_quality``
    (:data:`helpers.vocab.SOURCE_QUALITY`, best first; then ``not_graded`` for an empty cell or a
    plan without the column, shown only when there is one): ``quality``, ``label`` (in ``lang``),
    ``rows``, ``share`` (of all rows, 1.0 = 100 %)."""
    col = statistics["source_quality"] if "source_quality" in statistics.columns else pd.Series(
        pd.NA, index=statistics.index, dtype="string")
    keys = col.astype("string").str.strip().replace("", pd.NA).fillna("not_graded")
    counts = keys.value_counts()
    order = list(SOURCE_QUALITY) + (["not_graded"] if counts.get("not_graded", 0) else [])
    labels = {**SOURCE_QUALITY, "not_graded": ("未标注", "not graded")}
    rows = [int(counts.get(k, 0)) for k in order]
    total = len(statistics)
    return pd.DataFrame({"quality": order, "label": [t(*labels[k], lang) for k in order],
                         "rows": pd.Series(rows, dtype="Int64"),
                         "share": [n / total if total else np.nan for n in rows]})
