"""The honest headline (issue 21, item 5) in the report's tables and sentences: a status older than
the as-of year carries its year and a stale mark, a target year passed without its figure says
"final value not yet published" with the latest status beside it, an exceeded target says
"exceeded by x" (no progress above 100 %), no anticipated progress after the deadline, and the
projection sentence gives the true reason a running kind is not projected. SYNTHETIC inputs;
b = 2020, T = 2025.
"""

from __future__ import annotations

import pandas as pd
import pytest

from engine_synthetic import GEO, run, stats_frame, target, targets_frame
from helpers.method import summaries
from helpers.report import frames, narrate, tables, terms

FYP = {"baseline_year": 2020, "target_year": 2025}


@pytest.fixture(scope="module")
def plan_2025():
    # a.exceeded: >= 65, 67.89 in 2025 -> met, exceeded by 2.89 (first reached 2022 at 65.2)
    # a.short: >= 62 from 55, 61.9 in 2025 -> not met, short by 0.1
    # a.old: <= -18 total from yearly rates 2021-2022 only -> 2022 status, stale, final pending
    # a.rate: rate_avg >= 9, 8 % every year (moderate) -> a running kind (never projected)
    ts = targets_frame(target("a.exceeded", target=65.0, **FYP), target("a.short", target=62.0, **FYP),
                       target("a.old", kind="rate_total", comparator="<=", target=-18.0, **FYP),
                       target("a.rate", kind="rate_avg", target=9.0, **FYP))
    s = stats_frame(("a.exceeded", GEO, {2020: 63.9, 2022: 65.2, 2025: 67.89}),
                    ("a.short", GEO, {2020: 55.0, 2025: 61.9}),
                    ("a.old", GEO, {2021: -3.8, 2022: -0.8}),
                    ("a.rate", GEO, dict(zip(range(2021, 2026), [8.0, 8.0, 8.0, 8.0, 8.0]))))
    for frame in (ts,):
        frame["unit"] = "%"
    traj = run(ts, s)
    return traj, ts


def test_status_frame_marks_old_statuses_verdicts_and_exceeded(plan_2025):
    traj, ts = plan_2025
    latest = summaries.latest_status(traj, 2025)
    table = frames.status_frame(latest, ts, "en").set_index("id")
    ex = table.loc["a.exceeded"]
    assert ex["status"] == "met" and pd.isna(ex["progress"])  # not "progress 160 %"
    assert ex["status_detail"] == "first reached in 2022; exceeded by 2.89 %"
    assert ex["first_met_year"] == 2022 and not ex["stale"]
    sh = table.loc["a.short"]
    assert (sh["status"], sh["status_detail"]) == ("not_met", "short by 0.1 %")
    assert sh["progress"] == pytest.approx(6.9 / 7)
    old = table.loc["a.old"]
    assert (old["status"], old["year"], old["stale"]) == ("final_pending", 2022, True)
    assert old["status_detail"].startswith("latest: ") and old["status_detail"].endswith("(2022)")
    assert table["anticipated_progress"].isna().all()  # nothing projected after the deadline
    # a filter for "binding targets not met" cannot pick up the 2022 status
    assert "a.old" not in latest.loc[latest["status"] == "not_met", "indicator_id"].tolist()


def test_a_2022_status_as_of_2023_is_marked_with_its_year(plan_2025):
    traj, ts = plan_2025
    table = frames.status_frame(summaries.latest_status(traj, 2023), ts, "both").set_index("id")
    old = table.loc["a.old"]
    assert old["stale"] and old["status"] != "final_pending"
    assert old["status_detail"] == "2022年的状态 / status of 2022"
    html = tables.status_table(summaries.latest_status(traj, 2023), ts, "both")
    assert "状态说明 / About the status" in html and "2022年的状态 / status of 2022" in html


def test_projection_sentences_tell_the_true_reason(plan_2025):
    traj, _ = plan_2025
    latest = summaries.latest_status(traj, 2025).set_index("indicator_id")
    rate_2023 = summaries.latest_status(traj, 2023).set_index("indicator_id").loc["a.rate"]
    out = narrate.projection_sentence(rate_2023, "en", rate_2023)
    assert "Running figures" in out and "are not projected" in out and "Not enough observed" not in out
    out = narrate.projection_sentence(latest.loc["a.short"], "en", latest.loc["a.short"])
    assert "the verdict is 'not met'" in out and "anticipated" not in out
    out = narrate.projection_sentence(latest.loc["a.old"], "en", latest.loc["a.old"])
    assert "final value not yet published" in out and "nothing is projected after the target year" in out


def test_report_status_and_labels():
    latest = pd.DataFrame({"status": ["no_data", "no_data", "met"], "value": [1.0, 2.0, 3.0],
                           "final_pending": [True, False, False]})
    assert terms.report_status(latest).tolist() == [terms.FINAL_PENDING_KEY, terms.NOT_SCORED_KEY, "met"]
    assert terms.report_status_label(terms.FINAL_PENDING_KEY, "both") == "最终值尚未公布 / final value not yet published"
    assert terms.note_label("not met in 2022, 2024: a yearly quota must hold every year", "en") == \
        "not met in 2022, 2024 (a yearly quota must hold every year)"
    assert terms.note_label("final value not yet published", "zh") == "目标年数值尚未公布"


def test_a_status_across_a_definition_break_carries_its_caveat():
    from chart_synthetic import heatmap_traj, legend_texts
    from matplotlib.patches import Rectangle

    from helpers.report import charts

    row = pd.Series({"status": "met", "gap": -1.8, "unit": "%", "target_year": 2025, "first_met_year": 2021,
                     "status_note": "definition differs from the baseline year's: not comparable"})
    assert terms.status_detail(row, "en") == ("first reached in 2021; exceeded by 1.8 %; "
                                              "definition changed since the baseline: not comparable")
    traj = heatmap_traj().assign(status_note=None)
    traj.loc[(traj["indicator_id"] == "health.a") & (traj["year"] == 2021), "status_note"] = \
        "definition differs from the baseline year's: not comparable"
    fig = charts.plot_status_heatmap(traj, lang="en")
    hatched = [p for p in fig.axes[0].patches if isinstance(p, Rectangle) and p.get_hatch() == "///"]
    assert len(hatched) == 1
    assert legend_texts(fig)[-1] == "definition changed since the baseline: not comparable"
    assert "definition changed" not in " ".join(legend_texts(charts.plot_status_heatmap(heatmap_traj(), lang="en")))


def test_the_chart_line_breaks_at_a_definition_change():
    import numpy as np

    from helpers.report import charts
    from helpers.report import params as report_params

    ctx = report_params.prepare(plan="china_fyp14")
    traj = ctx.trajectory[ctx.trajectory["indicator_id"] == "I16"]  # good-air days: new definition in 2025
    fig = charts.plot_trajectory(traj, lang="en")
    line = next(ln for ax in fig.axes for ln in ax.get_lines() if ln.get_gid() == "observed")
    x, y = np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)
    gap = int(np.flatnonzero(np.isnan(y))[-1])
    assert x[gap - 1] == 2024 and x[gap + 1] == 2025 and np.isfinite(y[gap - 1]) and np.isfinite(y[gap + 1])
    assert np.isfinite(y[x == 2020]).all() and np.isfinite(y[x == 2021]).all()  # one definition 2020-2024
