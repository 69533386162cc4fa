"""helpers.report.narrate: the generated sentences (narratives, findings, one target) and the key figures."""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.report import narrate
from report_samples import PLAN, assert_safe, sample_latest, sample_statistics


def test_projection_sentence_no_anticipated_progress_for_an_achieved_target():
    row = pd.Series({"projected_value_at_target": 5.0, "anticipated_progress": 0.76, "target_year": 2021,
                     "unit": "x"})
    achieved = pd.Series({"status": "achieved", "value": 4.0, "year": 2019})
    out = narrate.projection_sentence(row, "en", achieved)
    assert "Achieved as of 2019: no anticipated progress is given." in out and "76%" not in out
    behind = pd.Series({"status": "moderate", "value": 3.0, "year": 2019})
    out = narrate.projection_sentence(row, "en", behind)
    assert "anticipated progress of 76%" in out and "Anticipated progress: the progress the linear trend" in out
    unscored = pd.Series({"status": "no_data", "value": 3.0, "year": 2019})
    assert "not scored" in narrate.projection_sentence(row, "en", unscored)


def test_key_figures_text_exact():
    latest = pd.DataFrame({
        "area": ["health", "poverty"], "indicator_id": ["health.beds", "poverty.x"],
        "year": pd.array([2020, pd.NA], dtype="Int64"), "value": [5.4, np.nan],
        "status": ["on_track", "no_data"], "gap": [0.6, np.nan], "progress": [0.7, np.nan],
    })
    assert narrate.key_figures_text(latest) == (
        "area     indicator_id  year  value  status    gap  progress\n"
        "health   health.beds   2020  5.4    on_track  0.6  0.7\n"
        "poverty  poverty.x     —     —      no_data   —    —\n"
        "\n"
        "targets=2: met=0, achieved=0, on_track=1, moderate=0, insufficient=0, regressing=0, not_met=0, "
        "final_pending=0, not_scored=0, no_data=1"
    )
    # A value the engine could not score (GDP growth: unquantified) is "not_scored", as in the tables.
    gdp = latest.assign(value=[5.4, 5.0], year=pd.array([2020, 2020], dtype="Int64"))
    assert "poverty  poverty.x     2020  5      not_scored" in narrate.key_figures_text(gdp)
    assert narrate.key_figures_text(gdp).endswith("final_pending=0, not_scored=1, no_data=0")


def test_area_narrative_counts_years_and_points_to_the_list_of_missing():
    latest = sample_latest()
    out = narrate.area_narrative(latest, "health", 2021, ("阜阳市", "Fuyang"), "en",
                                 benchmark_only=["health.beds"], plan=PLAN)
    assert_safe(out)
    assert "Health: 0 of 2 targets achieved by 2021 (1 moderate progress); 1 with no data." in out
    assert "latest year with data up to 2021: 2020 for 1 target." in out
    # No list of names: the compact table lists them, once.
    assert ("No data for 1 (no value for Fuyang up to 2021): each is listed under 'Targets without data' "
            "with the data that would score it.") in out
    assert "Beds" not in out
    assert "Of these, 1 has only benchmark values of other places" in out
    zh = narrate.area_narrative(latest, "health", 2021, ("阜阳市", "Fuyang"), "zh", plan=PLAN)
    assert "医疗卫生共2项目标，截至2021年：进展一般1项；1项无数据。" in zh
    assert "2020年1项" in zh
    pov = narrate.area_narrative(latest, "poverty", 2021, ("阜阳市", "Fuyang"), "en", plan=PLAN)
    assert ("Poverty alleviation: 1 of 2 targets achieved by 2021 (1 achieved); "
            "1 with a value that is not scored.") in pov
    assert "Value, not scored (1): Poor villages (2018: no baseline value: not scored)." in pov
    assert "no data" not in pov.lower()  # a value is never called "no data"
    both = narrate.area_narrative(latest, "health", 2021, ("阜阳市", "Fuyang"), "both", plan=PLAN)
    assert both.index("医疗卫生共2项") < both.index("Health: 0 of 2")
    # without a plan there are no labels: the area is named by its key
    bare = narrate.area_narrative(latest, "health", 2021, ("阜阳市", "Fuyang"), "en")
    assert bare.startswith("<p>health: 0 of 2 targets achieved by 2021 (1 moderate progress); 1 with no data.")
    assert "Health" not in bare


def test_area_narrative_all_missing():
    latest = sample_latest().iloc[[0]]
    out = narrate.area_narrative(latest, "health", 2021, ("阜阳市", "Fuyang"), "en", plan=PLAN)
    assert "Health: none of the 1 targets can be scored for Fuyang up to 2021: 1 with no data." in out
    assert "No data for 1 (no value for Fuyang up to 2021)" in out


def test_overview_findings():
    out = narrate.overview_findings(sample_latest(), 2021, ("阜阳市", "Fuyang"), "en")
    assert_safe(out)
    assert ("The plan has 4 targets; up to 2021, 2 can be scored for Fuyang, 1 has "
            "no data and 1 has a value that is not scored.") in out
    assert "Statuses: 1 achieved, 1 moderate progress (each as of its latest year with data: 2020 for 1, 2019 for 1)." in out
    assert "Achieved: Poor population." in out
    assert "Value, not scored: Poor villages (2018: no baseline value: not scored)." in out
    assert "The 1 target with no data is listed under 'Targets without data'" in out


def test_benchmark_only_ids():
    targets = pd.DataFrame({"id": ["health.beds", "a.b", "c.d"]})
    stats = pd.DataFrame({"indicator_id": ["health.beds", "a.b", "a.b", "c.d:x"],
                          "geo": ["china", "china", "fuyang", "china"]})
    assert narrate.benchmark_only_ids(targets, stats, "fuyang") == ["health.beds"]


def test_indicator_summary_says_plainly_what_is_missing():
    latest = sample_latest()
    stats = sample_statistics()
    out = narrate.indicator_summary(latest, stats, "health.beds", 2021, "fuyang", ("阜阳市", "Fuyang"), "en",
                                    plan=PLAN)
    assert "Up to 2021, Fuyang has no value for this target (no data)" in out
    assert "Benchmark values (context, not scored): China 2018." in out
    bare = narrate.indicator_summary(latest, stats, "health.beds", 2021, "fuyang", ("阜阳市", "Fuyang"), "en")
    assert "Benchmark values (context, not scored): china 2018." in bare  # no plan: the geo key
    out = narrate.indicator_summary(latest, stats, "health.docs", 2021, "fuyang", ("阜阳市", "Fuyang"), "en")
    assert "As of 2021 (latest year with data: 2020): moderate progress; value 2 persons, gap to target 0.35, progress 50%." in out
    out = narrate.indicator_summary(latest, stats, "poverty.villages", 2021, "fuyang", ("阜阳市", "Fuyang"), "zh")
    assert "2018年阜阳市数值为3 villages，但无法评分：无基期值，未评分。" in out
