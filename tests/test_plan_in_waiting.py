"""China's 15th Five-Year Plan as shipped, a plan in waiting (issue 21, item 4): built by
scripts/import_fyp15.py from ../shared/data/fyp15/, it scores with no yearly figure, gives each
quantified target its required value, and scores the first figure imported through the template.

The imported 2026 figures in the last test are SYNTHETIC (a test fixture, never shipped).
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers import cli
from helpers.method import summaries
from import_scripts import load_script

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "data" / "raw" / "china_fyp15"
imp = load_script("import_fyp15")
needs_compilation = pytest.mark.skipif(not imp.SHARED.is_file(), reason=f"shared compilation not found: {imp.SHARED}")


@needs_compilation
def test_the_shipped_folder_is_the_scripts_output(tmp_path):
    out = tmp_path / "china_fyp15"
    assert imp.main(["--out", str(out)]) == 0
    for name in ("plan.json", "targets.csv", "statistics.csv", "excluded_slots.csv", "continues.csv"):
        assert (out / name).read_bytes() == (PLAN / name).read_bytes(), f"{name} is stale: re-run scripts/import_fyp15.py"
    assert imp.main(["--out", str(out)]) == 0  # idempotent
    assert (out / "targets.csv").read_bytes() == (PLAN / "targets.csv").read_bytes()


def test_targets_are_the_seen_ones_each_saying_draft_wording():
    t = pd.read_csv(PLAN / "targets.csv", dtype=str, keep_default_na=False)
    assert t["id"].tolist() == ["F01", "F04", "F06", "F07", "F09", "F11", "F12", "F13", "F14", "F15", "F19", "F20"]
    assert t["note"].str.startswith(imp.DRAFT).all() and t["note"].str.contains("Doubts: ").all()
    assert (t["binding"] == "").all()  # no per-indicator attribute was seen
    assert (t["baseline_year"] == "2025").all() and (t["target_year"] == "2030").all()
    excluded = pd.read_csv(PLAN / "excluded_slots.csv", dtype=str)
    assert excluded["n"].tolist() == ["2", "3", "5", "8", "10", "16", "17", "18"]
    life = t.set_index("id").loc["F11"]
    assert (life["kind"], life["comparator"], life["target"]) == ("level", ">=", "80")
    co2 = t.set_index("id").loc["F14"]
    assert (co2["kind"], co2["comparator"], co2["target"]) == ("rate_total", "<=", "-17")


def test_statistics_are_sourced_2025_baselines_reused_from_the_14th_plan():
    s = pd.read_csv(PLAN / "statistics.csv", dtype=str, keep_default_na=False)
    assert s[["indicator_id", "year", "value"]].values.tolist() == [
        ["F01", "2025", "5"], ["F07", "2025", "5.2"], ["F11", "2025", "79.25"]]
    assert s["source_url"].str.startswith("http").all() and (s["source_title"] != "").all()
    assert s["note"].str.startswith(imp.REUSED_MARK).all()
    old = pd.read_csv(ROOT / "data" / "raw" / "china_fyp14" / "statistics.csv", dtype=str, keep_default_na=False)
    life14 = old[(old["indicator_id"] == "I13") & (old["year"] == "2025")].iloc[0]
    life15 = s[s["indicator_id"] == "F11"].iloc[0]
    assert (life15["value"], life15["source_url"]) == (life14["value"], life14["source_url"])


def test_gaps_with_no_yearly_figure_give_the_required_values(tmp_path):
    out = tmp_path / "gaps.csv"
    assert cli.main(["gaps", "--plan", str(PLAN), "--out", str(out)]) == 0
    g = pd.read_csv(out)
    assert len(g) == 12 * 5 and set(g["year"]) == set(range(2026, 2031))
    assert g["value"].isna().all() and (g["status"] == "no_data").all()
    req = g.pivot(index="indicator_id", columns="year", values="required")
    # life expectancy 79.25 (2025) -> 80 (2030): 79.25 + 0.75·e
    assert req.loc["F11"].tolist() == pytest.approx([79.4, 79.55, 79.7, 79.85, 80.0])
    # CO2 intensity: a total fall of 17 % over the five years, pro rata: -3.4, -6.8, ...
    assert req.loc["F14"].tolist() == pytest.approx([-3.4, -6.8, -10.2, -13.6, -17.0])
    assert req.loc["F04"].tolist() == [7.0] * 5 and req.loc["F07"].tolist() == [5.5] * 5
    # a level without a 2025 baseline: no path, but 2030 requires the target itself
    assert req.loc["F09"].isna().tolist() == [True] * 4 + [False] and req.loc["F09", 2030] == 11.7
    quantified = [i for i in req.index if i not in ("F01", "F13")]
    assert req.loc[quantified, 2030].notna().all()
    # the childcare change has no 2025 rate: its 2030 level is unknown, and the note says why
    assert req.loc["F13"].isna().all()
    assert g.loc[g["indicator_id"] == "F13", "status_note"].str.startswith("no baseline value").all()


def test_a_2026_figure_imported_through_the_template_is_scored(tmp_path):
    folder = tmp_path / "china_fyp15"
    shutil.copytree(PLAN, folder)
    template = tmp_path / "template.csv"
    assert cli.main(["template", "--plan", str(folder), "--out", str(template)]) == 0
    with template.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
        header = list(rows[0].keys())
    filled = 0
    for r in rows:  # SYNTHETIC figures: life expectancy 79.5 and unemployment 5.3 in 2026
        if r["year"] == "2026" and r["indicator_id"] in ("F11", "F07"):
            r["value"] = "79.5" if r["indicator_id"] == "F11" else "5.3"
            r["source_title"] = "SYNTHETIC test figure (not a statistic)"
            r["source_url"] = "https://example.org/synthetic"
            filled += 1
    assert filled == 2
    with template.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=header)
        w.writeheader()
        w.writerows(rows)
    assert cli.main(["import", str(template), "--plan", str(folder)]) == 0
    out = tmp_path / "gaps.csv"
    assert cli.main(["gaps", "--plan", str(folder), "--out", str(out)]) == 0
    g = pd.read_csv(out).set_index(["indicator_id", "year"])
    life = g.loc[("F11", 2026)]
    # 79.5 against 79.4 required: progress 0.25/0.75 = 1/3, e = 0.2, r = 1.67 -> on track; gap 0.5
    assert (life["status"], life["gap"], life["progress"]) == ("on_track", pytest.approx(0.5), pytest.approx(1 / 3))
    assert g.loc[("F07", 2026), "status"] == "achieved"  # 5.3 <= 5.5 in 2026
    assert g.loc[("F11", 2027), "status"] == "no_data"
    # as of 2026 the plan is running: an ordinary progress report, nothing stale or pending
    traj = pd.read_csv(out)
    latest = summaries.latest_status(traj.astype({"year": "Int64"}), 2026).set_index("indicator_id")
    assert latest.loc["F11", "status"] == "on_track" and not latest.loc["F11", "final_pending"]


def test_milestones_give_each_year_and_the_yearly_rate_needed():
    from helpers.report import params

    m = summaries.milestones(params.prepare(plan="china_fyp15").trajectory).set_index("indicator_id")
    assert [c for c in m.columns if c.startswith("required_")] == [f"required_{y}" for y in range(2026, 2031)]
    assert m.loc["F11", ["required_2026", "required_2030"]].tolist() == pytest.approx([79.4, 80.0])
    # CO2 intensity -17 % over five years: (0.83)^(1/5) - 1 = -3.66 % a year, compounded
    assert m.loc["F14", "yearly_rate_needed"] == pytest.approx((0.83 ** 0.2 - 1) * 100)
    assert m.loc["F04", "yearly_rate_needed"] == 7.0 and pd.isna(m.loc["F11", "yearly_rate_needed"])


def test_the_title_of_a_plan_in_waiting_says_no_yearly_figure_yet():
    from helpers.report import params, sections

    ctx = params.prepare(plan="china_fyp15", charts=False)
    title = sections.title_html(ctx, "规划总览", "Plan overview")
    assert "尚无年度数据" in title and "no yearly figure yet" in title
    assert "data as of" not in title  # the as-of year of a plan without figures is not a data year
