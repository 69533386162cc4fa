"""Write the README screenshots into docs/img/: one trajectory chart per kind, the status heatmap
and the area scoreboard of the default plan, and real-data charts of the 14th Five-Year Plan
(``china_fyp14``): :data:`FYP14_CHARTS` as ``fyp14_<id>.png`` and its status heatmap as
``fyp14_status_heatmap.png``.

    .venv/bin/python docs/make_screenshots.py [--targets PATH] [--statistics PATH] [--out DIR] [--no-fyp14]

Real data first: for each kind the script picks the plan-jurisdiction target with the most
observed values (the baseline counts for level, cumulative and relative targets). When no target
of a kind has at least :data:`MIN_POINTS` values, it draws a SYNTHETIC example instead: the
numbers are made up, the chart title says "合成示例 / synthetic example" and the file is named
``trajectory_<kind>_synthetic.png``. A real chart is ``trajectory_<kind>.png``; the script
deletes the other variant so docs/img never holds both.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402

from helpers.report.charts import plots as charts  # noqa: E402

from helpers.method import gaps, summaries

from helpers.data import load

from helpers import paths
from helpers.data.geos import resolve_geos  # noqa: E402
from helpers.data.plan import locate  # noqa: E402

KINDS: tuple[str, ...] = ("level", "annual", "cumulative", "relative")
#: Real-data charts of the national plan: energy intensity (rate_total: the total change so far
#: against the 13.5 % cut, the yearly rates in a panel) and urbanisation (level).
FYP14_PLAN = "china_fyp14"
FYP14_CHARTS: tuple[str, ...] = ("I14", "I03")
MIN_POINTS = 2
DPI = 120

# SYNTHETIC examples (made-up numbers, never shown as Fuyang's): one target per kind.
_SYNTHETIC_TARGETS = {
    "level": dict(unit="beds per 1000 residents", unit_zh="张/千人", comparator=">=", target=6.0,
                  name=("每千人口床位数(合成示例)", "Beds per 1,000 residents (synthetic example)")),
    "annual": dict(unit="posts", unit_zh="个", comparator=">=", target=2800.0,
                   name=("每年开发岗位(合成示例)", "Posts created per year (synthetic example)")),
    "cumulative": dict(unit="schools", unit_zh="所", comparator=">=", target=11.0,
                       name=("累计建成学校(合成示例)", "Schools built, running total (synthetic example)")),
    "relative": dict(unit="ratio to national average", unit_zh="相对全国平均(倍)", comparator=">=",
                     target=1.0, name=("人均收入相对全国(合成示例)", "Income relative to national average (synthetic example)")),
}
_SYNTHETIC_VALUES = {  # indicator_id -> {year: value}; 2016 is the baseline year
    "level": {2016: 4.2, 2017: 4.5, 2018: 4.7, 2020: 5.2, 2021: 5.6},
    "annual": {2017: 3010.0, 2018: 2650.0, 2020: 2900.0, 2021: 2750.0},
    "cumulative": {2016: 0.0, 2017: 1.0, 2018: 3.0, 2019: 5.0, 2021: 10.0},
    "relative": {2016: 19000.0, 2017: 21000.0, 2018: 23500.0, 2019: 25800.0, 2021: 30100.0},
}
_SYNTHETIC_REFERENCE = {2016: 23800.0, 2017: 26000.0, 2018: 28200.0, 2019: 30700.0, 2020: 32200.0, 2021: 35100.0}


def synthetic_inputs(kind: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Targets and statistics of one SYNTHETIC target of ``kind`` (geo ``synthetic``)."""
    spec = _SYNTHETIC_TARGETS[kind]
    tid = f"synthetic.{kind}_example"
    targets = pd.DataFrame([{
        "id": tid, "area": "health", "name_zh": spec["name"][0], "name_en": spec["name"][1],
        "unit": spec["unit"], "unit_zh": spec["unit_zh"], "comparator": spec["comparator"],
        "target": spec["target"], "target_hi": float("nan"), "tolerance": float("nan"),
        "target_year": 2021, "baseline_year": 2016, "kind": kind,
        "reference_id": "ref.synthetic_reference" if kind == "relative" else pd.NA,
        "lead_agency": "synthetic", "source_ref": "synthetic example", "note": "SYNTHETIC: made-up numbers",
        "baseline_value": float("nan"),
    }])
    rows = [(tid, "synthetic", y, v) for y, v in _SYNTHETIC_VALUES[kind].items()]
    if kind == "relative":
        rows += [("ref.synthetic_reference", "synthetic", y, v) for y, v in _SYNTHETIC_REFERENCE.items()]
    statistics = pd.DataFrame(rows, columns=["indicator_id", "geo", "year", "value"]).assign(
        unit=spec["unit"], source_title="synthetic example", source_url=pd.NA, note="SYNTHETIC")
    for col, dtype in load.TARGET_DTYPES.items():
        if col in targets.columns:
            targets[col] = targets[col].astype(dtype)
    for col, dtype in load.STATISTICS_DTYPES.items():
        statistics[col] = statistics[col].astype(dtype)
    return targets, statistics


def _points(traj: pd.DataFrame) -> pd.Series:
    """Observed values per target (the baseline counts except for annual quotas)."""
    counts = traj.groupby("indicator_id")["value"].count()
    first = traj.drop_duplicates("indicator_id").set_index("indicator_id")
    has_baseline = first["baseline"].notna() & (first["kind"] != "annual")
    return counts.add(has_baseline.astype("int64"), fill_value=0)


def trajectory_chart(inputs, traj: pd.DataFrame, tid: str, lang: str):
    """One target's chart as the reports draw it (helpers.report.sections.trajectory_figure): its rows
    with the target's ``value_unit``, every statistic of the target and of its context series
    ``<id>:<suffix>`` (any geo) and its reference series as benchmarks and context, places
    labelled by the plan."""
    one = traj[traj["indicator_id"] == tid]
    unit = inputs.targets.loc[inputs.targets["id"] == tid, "value_unit"] if "value_unit" in inputs.targets else []
    one = one.assign(value_unit=unit.iloc[0] if len(unit) else pd.NA)
    stats = inputs.statistics
    ids = stats["indicator_id"].astype("string")
    refs = inputs.targets.loc[inputs.targets["id"] == tid, "reference_id"].dropna().astype(str).tolist()
    related = stats[(ids == tid) | ids.str.startswith(f"{tid}:", na=False) | ids.isin(refs)]
    return charts.plot_trajectory(one, benchmarks=related, context=related, lang=lang,
                                  geo_names=inputs.geo_label)


def _save(fig, out: Path, name: str, dpi: int = DPI) -> Path:
    path = out / name
    fig.savefig(path, dpi=dpi)
    matplotlib.pyplot.close(fig)
    return path


def make_screenshots(targets_path: Path, statistics_path: Path, out: Path, lang: str = "both") -> list[Path]:
    inputs = load.load_inputs(targets_path, statistics_path)
    geo = resolve_geos(None, inputs.meta, inputs.statistics)[0]
    traj = gaps.compute_gaps(inputs.targets, inputs.statistics, geo=geo, plan=inputs.meta)
    if "geo" in traj.columns:
        traj = traj[traj["geo"] == geo]
    points = _points(traj)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for kind in KINDS:
        ids = traj.loc[traj["kind"] == kind, "indicator_id"].unique()
        ranked = points.reindex(ids).fillna(0).sort_values(ascending=False, kind="stable")
        real = not ranked.empty and ranked.iloc[0] >= MIN_POINTS
        if real:
            tid = ranked.index[0]
            fig = trajectory_chart(inputs, traj, tid, lang)
            name = f"trajectory_{kind}.png"
        else:
            s_targets, s_stats = synthetic_inputs(kind)
            one = gaps.compute_gaps(s_targets, s_stats, geo="synthetic")
            fig = charts.plot_trajectory(one, lang=lang)
            name = f"trajectory_{kind}_synthetic.png"
        other = out / (f"trajectory_{kind}_synthetic.png" if real else f"trajectory_{kind}.png")
        other.unlink(missing_ok=True)
        written.append(_save(fig, out, name))
        print(f"{name}: {'real data, ' + str(tid) if real else 'SYNTHETIC example (real data too thin)'}")
    # As in the reports: the targets with a value in some year (the others would be grey rows).
    with_values = traj[traj["indicator_id"].isin(traj.loc[traj["value"].notna(), "indicator_id"].unique())]
    written.append(_save(charts.plot_status_heatmap(with_values, lang=lang, areas=inputs.areas), out, "status_heatmap.png"))
    written.append(_save(charts.plot_area_scoreboard(summaries.latest_status(traj), lang=lang, areas=inputs.areas), out, "area_scoreboard.png"))
    return written


def make_fyp14_screenshots(out: Path, lang: str = "both") -> list[Path]:
    """Real data of the 14th Five-Year Plan: :data:`FYP14_CHARTS` and the status heatmap."""
    files = locate(FYP14_PLAN)
    inputs = load.load_inputs(files.targets_path, files.statistics_path, files.name)
    geo = resolve_geos(None, inputs.meta, inputs.statistics)[0]
    traj = gaps.compute_gaps(inputs.targets, inputs.statistics, geo=geo, plan=inputs.meta)
    traj = traj[traj["geo"] == geo] if "geo" in traj.columns else traj
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for tid in FYP14_CHARTS:
        written.append(_save(trajectory_chart(inputs, traj, tid, lang), out, f"fyp14_{tid}.png"))
        print(f"fyp14_{tid}.png: real data, {FYP14_PLAN} {tid}")
    written.append(_save(charts.plot_status_heatmap(traj, lang=lang, areas=inputs.areas), out,
                         "fyp14_status_heatmap.png"))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = locate()  # the default plan
    parser.add_argument("--targets", type=Path, default=default.targets_path)
    parser.add_argument("--statistics", type=Path, default=default.statistics_path)
    parser.add_argument("--out", type=Path, default=paths.PROJECT_ROOT / "docs" / "img")
    parser.add_argument("--lang", default="both", choices=("zh", "en", "both"))
    parser.add_argument("--no-fyp14", action="store_true", help=f"skip the {FYP14_PLAN} images")
    args = parser.parse_args(argv)
    written = make_screenshots(args.targets, args.statistics, args.out, args.lang)
    if not args.no_fyp14:
        written += make_fyp14_screenshots(args.out, args.lang)
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
