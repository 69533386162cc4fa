"""The engine's inputs: the targets and statistics frames checked and given explicit dtypes, and
the reference geo of each relative target.

Public API (used by :func:`helpers.method.gaps.compute_gaps` and :mod:`helpers.method.summaries`):

- :func:`normalise_targets` — a copy of the targets with explicit dtypes (numbers float64, years
  int64, labels ``string`` stripped, ``""`` -> ``<NA>``); raises ValidationError naming every bad
  cell the engine needs (file line, header = line 1, when the frame is in file order).
- :func:`normalise_statistics` — ``indicator_id``/``geo`` as str, ``year`` int64, ``value``
  float64 (and ``definition`` when present); rows without a value, id or geo dropped; a
  duplicate (indicator_id, geo, year) key is a ValidationError.
- :func:`reference_geos` — per target, the geo whose series is the reference (the rule in
  docs/method.md).
- :func:`str_array` — a column as an object array of str (missing -> ``""``).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from helpers.data.geos import clean_labels
from helpers.exceptions import Problem, ValidationError
from helpers.method import kinds
from helpers.vocab import BINDING, COMPARATORS, KINDS

_REQUIRED_TARGET_COLUMNS = ("id", "area", "name_zh", "name_en", "unit", "comparator", "target",
                            "target_hi", "tolerance", "target_year", "baseline_year", "kind",
                            "reference_id")
_REQUIRED_STATISTICS_COLUMNS = ("indicator_id", "geo", "year", "value")


def _line_of(df: pd.DataFrame, mask: np.ndarray) -> list[int | None]:
    """1-based file lines (header = line 1) of the rows in ``mask``, for a frame in file order."""
    pos = np.flatnonzero(mask)
    if isinstance(df.index, pd.RangeIndex) and df.index.start == 0 and df.index.step == 1:
        return [int(p) + 2 for p in pos]
    return [None] * len(pos)


def str_array(s: pd.Series) -> np.ndarray:
    """Object array of str (missing -> "") for vectorised comparisons."""
    return s.astype("string").fillna("").to_numpy(dtype=object)


def normalise_targets(targets: pd.DataFrame) -> pd.DataFrame:
    """Copy with explicit dtypes; raises ValidationError naming every bad cell the engine needs."""
    missing = [c for c in _REQUIRED_TARGET_COLUMNS if c not in targets.columns]
    if missing:
        raise ValidationError(Problem("targets", None, c, "required column is missing") for c in missing)
    t = targets.reset_index(drop=True).copy()
    problems: list[Problem] = []
    for col in ("target", "target_hi", "tolerance", "baseline_value"):
        if col not in t.columns:
            t[col] = np.nan
        num = pd.to_numeric(t[col], errors="coerce").astype("float64")
        bad = (num.isna() & t[col].notna()).to_numpy()
        problems += [Problem("targets", ln, col, f"not a number: {v!r}")
                     for ln, v in zip(_line_of(t, bad), t.loc[bad, col])]
        t[col] = num.astype("float64")
    for col in ("target_year", "baseline_year"):
        num = pd.to_numeric(t[col], errors="coerce").astype("float64")
        bad = (num.isna() | (num != num.round())).to_numpy()
        problems += [Problem("targets", ln, col, "expected a year (integer)") for ln in _line_of(t, bad)]
        t[col] = num.fillna(0).round().astype("int64")
    for col in ("id", "area", "name_zh", "name_en", "unit", "comparator", "kind", "reference_id",
                "unit_zh", "value_unit", "reference_geo", "binding"):
        t[col] = (t[col].astype("string").str.strip().replace("", pd.NA) if col in t.columns
                  else pd.Series(pd.NA, index=t.index, dtype="string"))
    kind, comp = str_array(t["kind"]), str_array(t["comparator"])
    is_dir = kind == kinds.DIRECTION_KIND
    for col, values, allowed in (("kind", kind, tuple(KINDS)), ("comparator", comp, COMPARATORS),
                                 ("binding", str_array(t["binding"]), ("", *BINDING))):
        bad = ~np.isin(values, allowed)
        problems += [Problem("targets", ln, col, f"{v!r} is not one of {', '.join(allowed)}")
                     for ln, v in zip(_line_of(t, bad), values[bad])]
    checks = (
        ("target", ~is_dir & t["target"].isna().to_numpy(), "a target value is required"),
        ("target", is_dir & t["target"].notna().to_numpy(), "a 'direction' target has no target value"),
        ("comparator", is_dir & ~np.isin(comp, (">=", "<=")), "a 'direction' target needs >= or <="),
        ("target_hi", (comp == "between") & t["target_hi"].isna().to_numpy(), "'between' needs target_hi"),
        ("target_hi", (comp == "between") & (t["target_hi"] < t["target"]).to_numpy(),
         "target_hi is below target"),
        ("tolerance", (comp == "~") & ~(t["tolerance"] >= 0).to_numpy(), "'~' needs a tolerance >= 0"),
        ("reference_id", (kind == "relative") & t["reference_id"].isna().to_numpy(),
         "a relative target needs reference_id"),
        ("target_year", (t["target_year"] <= t["baseline_year"]).to_numpy(),
         "target_year must be after baseline_year"),
        ("id", t["id"].isna().to_numpy() | t["id"].duplicated().to_numpy(), "missing or duplicate id"),
    )
    for col, bad, msg in checks:
        problems += [Problem("targets", ln, col, msg) for ln in _line_of(t, bad)]
    if problems:
        raise ValidationError(problems)
    return t


def normalise_statistics(statistics: pd.DataFrame) -> pd.DataFrame:
    """indicator_id/geo as str, year int64, value float64; rows without a value dropped."""
    missing = [c for c in _REQUIRED_STATISTICS_COLUMNS if c not in statistics.columns]
    if missing:
        raise ValidationError(Problem("statistics", None, c, "required column is missing") for c in missing)
    s = statistics.reset_index(drop=True)
    value = pd.to_numeric(s["value"], errors="coerce").astype("float64")
    year = pd.to_numeric(s["year"], errors="coerce").astype("float64")
    problems = [Problem("statistics", ln, "value", f"not a number: {v!r}") for ln, v in
                zip(_line_of(s, (value.isna() & s["value"].notna()).to_numpy()),
                    s.loc[(value.isna() & s["value"].notna()).to_numpy(), "value"])]
    problems += [Problem("statistics", ln, "year", "expected a year (integer)")
                 for ln in _line_of(s, (year.isna() | (year != year.round())).to_numpy())]
    if problems:
        raise ValidationError(problems)
    out = pd.DataFrame({
        "indicator_id": clean_labels(s["indicator_id"]),
        "geo": clean_labels(s["geo"]),
        "year": year.round().astype("int64"),
        "value": value,
    })
    if "definition" in s.columns:
        out["definition"] = clean_labels(s["definition"])
    dup = out.duplicated(["indicator_id", "geo", "year"], keep="first").to_numpy()
    if dup.any():
        raise ValidationError(
            Problem("statistics", ln, None,
                    f"duplicate key (indicator_id, geo, year) = ({i}, {g}, {y})")
            for ln, i, g, y in zip(_line_of(s, dup), out.loc[dup, "indicator_id"],
                                   out.loc[dup, "geo"], out.loc[dup, "year"]))
    keep = out["value"].notna() & (out["indicator_id"] != "") & (out["geo"] != "")
    return out[keep.to_numpy()].reset_index(drop=True)


def reference_geos(t: pd.DataFrame, s: pd.DataFrame, plan: dict, scored: Sequence[str]) -> np.ndarray:
    """Per target, the geo whose series ``reference_id`` is the reference (``""`` if none).

    Rule (documented in docs/method.md): a ``reference_geo`` column in the targets, when set,
    wins. Otherwise, among the geos holding the series: the plan's benchmarks in their listed
    order, then other geos that are not being scored (alphabetical), then scored geos
    (alphabetical). One reference geo per target, the same for every scored geo.
    """
    out = str_array(t["reference_geo"]).copy()
    ref_ids = str_array(t["reference_id"])
    need = (ref_ids != "") & (out == "")
    if not need.any():
        return out
    rows = s.loc[s["indicator_id"].isin(set(ref_ids[need])), ["indicator_id", "geo"]].drop_duplicates()
    if rows.empty:
        return out
    bench = {g: i for i, g in enumerate(plan.get("benchmarks", []) or [])}
    rows = rows.assign(
        _tier=np.where(rows["geo"].isin(list(bench)), 0, np.where(rows["geo"].isin(list(scored)), 2, 1)),
        _bench=rows["geo"].map(bench).fillna(len(bench)).astype("int64"),
    ).sort_values(["indicator_id", "_tier", "_bench", "geo"], kind="mergesort")
    best = rows.drop_duplicates("indicator_id").set_index("indicator_id")["geo"]
    chosen = pd.Series(ref_ids).map(best).fillna("").to_numpy(dtype=object)
    return np.where(need, chosen, out)
