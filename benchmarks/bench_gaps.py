"""Benchmark of the gap engine on a SYNTHETIC plan: 300 jurisdictions × 70 targets × 6 years.

Everything here is generated (named ``synthetic``); no real data. Prints::

    gaps_rows_per_s: N        trajectory rows per second (best of a few runs, linear method)
    gaps_seconds: S           wall time of compute_gaps for the whole synthetic set
    gaps_cagr_seconds: S      the same with method cagr
    summaries_seconds: S      latest_status + area_rollup on that table
    peak_memory_mb: M         tracemalloc peak during one compute_gaps call
    max_rss_mb: M             resident set size of the process (ru_maxrss)
    naive_rows_per_s: N       a per-row Python loop doing the linear method (subset), for scale
    speedup_vs_naive: X

Target: the whole set in under one second on a 2-core machine. Run: ``make bench`` or
``.venv/bin/python benchmarks/bench_gaps.py [--geos 300 --targets 70 --repeat 5]``.
"""

from __future__ import annotations

import argparse
import math
import resource
import sys
import time
import tracemalloc

import numpy as np
import pandas as pd

from helpers.method import gaps, summaries

BASELINE_YEAR, TARGET_YEAR = 2015, 2021  # 6 scored years: 2016..2021
KIND_CYCLE = ["level"] * 4 + ["annual", "cumulative", "relative",
                              # the kinds of issue 12 (docs/method.md section 12)
                              "rate_avg", "rate_total", "period_total", "annual_mean", "change", "change_pct",
                              "direction"]
COMPARATOR_CYCLE = [">=", "<=", ">=", "between", "~", ">=", "<="]


def synthetic_plan(n_geos: int = 300, n_targets: int = 70, missing: float = 0.15, seed: int = 2017):
    """(targets, statistics, plan) of a synthetic plan; ~``missing`` of the values left out."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_targets):
        kind = KIND_CYCLE[i % len(KIND_CYCLE)]
        comp = COMPARATOR_CYCLE[i % len(COMPARATOR_CYCLE)] if kind not in ("cumulative", "relative") else ">="
        if kind == "direction":
            comp = (">=", "<=")[(i // len(KIND_CYCLE)) % 2]
        target = float(rng.integers(5, 100)) if kind != "direction" else np.nan
        rows.append({
            "id": f"synthetic.t{i:03d}", "area": ["employment", "health", "ecology", "poverty"][i % 4],
            "name_zh": f"合成指标{i}", "name_en": f"Synthetic target {i}", "unit": "synthetic unit",
            "comparator": comp, "target": 0.0 if i % 23 == 0 and comp == "<=" else target,
            "target_hi": target + 10.0 if comp == "between" else np.nan,
            "tolerance": 2.0 if comp == "~" else np.nan,
            "target_year": TARGET_YEAR if i % 9 else TARGET_YEAR - 1, "baseline_year": BASELINE_YEAR,
            "kind": kind, "reference_id": "synthetic.ref" if kind == "relative" or (kind == "rate_avg" and (i // len(KIND_CYCLE)) % 2)
            else pd.NA,
            "baseline_value": np.nan,
        })
    targets = pd.DataFrame(rows)
    geos = [f"synthetic_city_{g:03d}" for g in range(n_geos)]
    years = np.arange(BASELINE_YEAR, TARGET_YEAR + 1)
    n = n_geos * n_targets * len(years)
    ids = np.tile(np.repeat(targets["id"].to_numpy(dtype=object), len(years)), n_geos)
    geo = np.repeat(np.asarray(geos, dtype=object), n_targets * len(years))
    year = np.tile(years, n_geos * n_targets)
    level = np.tile(np.repeat(targets["target"].fillna(50.0).to_numpy(), len(years)), n_geos)
    value = level * rng.uniform(0.6, 1.2, n) + np.tile(np.arange(len(years)), n_geos * n_targets)
    value[rng.random(n) < missing] = np.nan
    stats = pd.DataFrame({"indicator_id": ids, "geo": geo, "year": year, "value": value})
    ref = pd.DataFrame({"indicator_id": "synthetic.ref", "geo": "synthetic_nation", "year": years,
                        "value": np.linspace(80.0, 110.0, len(years))})
    stats = pd.concat([stats[stats["value"].notna()], ref], ignore_index=True)
    plan = {"title_en": "Synthetic benchmark plan", "jurisdiction": geos[0], "benchmarks": ["synthetic_nation"]}
    return targets, stats, plan, geos


def naive_linear(targets: pd.DataFrame, stats: pd.DataFrame, geos: list[str]) -> list[tuple]:
    """Reference: the linear method for >= / <= level targets, one Python iteration per row."""
    lookup = {(i, g, int(y)): v for i, g, y, v in stats[["indicator_id", "geo", "year", "value"]].itertuples(index=False)}
    out = []
    for g in geos:
        for row in targets.itertuples(index=False):
            if row.kind != "level" or row.comparator not in (">=", "<="):
                continue
            d = 1.0 if row.comparator == ">=" else -1.0
            xb = lookup.get((row.id, g, row.baseline_year), math.nan)
            for t in range(row.baseline_year + 1, row.target_year + 1):
                x = lookup.get((row.id, g, t), math.nan)
                e = (t - row.baseline_year) / (row.target_year - row.baseline_year)
                if math.isnan(x):
                    out.append((g, row.id, t, "no_data"))
                    continue
                if t == row.target_year:  # the target year's verdict (docs/method.md section 16)
                    out.append((g, row.id, t, "met" if d * (row.target - x) <= 0 else "not_met"))
                    continue
                if d * (row.target - x) <= 0:
                    out.append((g, row.id, t, "achieved"))
                    continue
                if math.isnan(xb):
                    out.append((g, row.id, t, "no_data"))
                    continue
                if d * (x - xb) < 0:
                    out.append((g, row.id, t, "regressing"))
                    continue
                p = (x - xb) / (row.target - xb) if row.target != xb else math.nan
                r = p / e
                out.append((g, row.id, t, "on_track" if r >= 0.95 else "moderate" if r >= 0.6 else "insufficient"))
    return out


def best_of(repeat: int, func):
    best, result = math.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    return best, result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--geos", type=int, default=300)
    ap.add_argument("--targets", type=int, default=70)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--naive-geos", type=int, default=20, help="geos in the naive loop subset")
    args = ap.parse_args(argv)

    targets, stats, plan, geos = synthetic_plan(args.geos, args.targets)
    run = lambda method: gaps.compute_gaps(targets, stats, geo=geos, method=method, plan=plan)  # noqa: E731
    run("linear")  # warm-up (imports, first-call caches)
    secs, traj = best_of(args.repeat, lambda: run("linear"))
    secs_cagr, _ = best_of(args.repeat, lambda: run("cagr"))
    secs_summary, _ = best_of(args.repeat, lambda: (summaries.latest_status(traj), summaries.area_rollup(traj)))
    tracemalloc.start()
    run("linear")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    sub = geos[: args.naive_geos]
    naive_secs, naive = best_of(1, lambda: naive_linear(targets, stats, sub))
    got = traj[traj["geo"].isin(sub)].set_index(["geo", "indicator_id", "year"])["status"]
    agree = all(got.loc[(g, i, t)] == s for g, i, t, s in naive)
    naive_rate = len(naive) / naive_secs

    print(f"synthetic plan: {args.geos} jurisdictions x {args.targets} targets x "
          f"{TARGET_YEAR - BASELINE_YEAR} years = {len(traj)} trajectory rows "
          f"({len(stats)} statistics rows)")
    print(f"gaps_rows_per_s: {len(traj) / secs:.0f}")
    print(f"gaps_seconds: {secs:.3f}")
    print(f"gaps_cagr_seconds: {secs_cagr:.3f}")
    print(f"summaries_seconds: {secs_summary:.3f} (latest_status + area_rollup of the linear table)")
    print(f"peak_memory_mb: {peak / 2**20:.1f}")
    print(f"max_rss_mb: {rss_kb / 1024:.1f}")
    print(f"naive_rows_per_s: {naive_rate:.0f} ({len(naive)} level rows, {len(sub)} geos; agrees: {agree})")
    print(f"speedup_vs_naive: {len(traj) / secs / naive_rate:.1f}")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
