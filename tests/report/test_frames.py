"""helpers.report.frames: the report's tables as DataFrames (status, targets without data, the target cell)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.report import frames
from report_samples import PLAN, sample_latest, sample_statistics


def test_status_frame_columns_and_meanings():
    latest = sample_latest(hostile=False)
    f = frames.status_frame(latest, latest.rename(columns={"indicator_id": "id"}), "en")
    assert tuple(f.columns) == frames.STATUS_FRAME_COLUMNS
    assert f["status"].tolist() == ["no_data", "moderate", "achieved", "not_scored"]
    assert f["gap_to_target"].tolist()[1:] == [0.35, 0.0, 3.0]
    assert f["gap_to_path"].tolist()[1:] == pytest.approx([0.2, -0.5, 1.0])
    # anticipated progress only for a scored target not yet achieved
    assert f["anticipated_progress"].isna().tolist() == [True, False, True, True]
    assert f["target"].tolist() == ["≥ 6 beds", "≥ 2.35 persons", "≤ 0 (10k persons)", "≤ 0 villages"]
    assert f["note"].tolist()[3] == "no baseline value: not scored"


def test_no_data_frame_lists_each_target_without_a_value_once_with_what_would_score_it():
    latest = sample_latest(hostile=False)
    targets = latest.rename(columns={"indicator_id": "id"}).assign(reference_id=pd.NA)
    stats = sample_statistics()
    f = frames.no_data_frame(latest, targets, stats, "fuyang", "en", plan=PLAN)
    assert tuple(f.columns) == frames.NO_DATA_FRAME_COLUMNS
    assert f["id"].tolist() == ["health.beds"]  # not the unscored value, not the scored ones
    assert f["needed"].iloc[0] == "2016 (baseline) and any year 2017–2021 (beds)"
    # other places' values and context series (never by their internal key)
    assert f["other_values"].iloc[0] == "China 2018; context 2019"
    zh = frames.no_data_frame(latest, targets, stats, "fuyang", "zh", plan=PLAN)
    assert zh["needed"].iloc[0] == "2016年基期值及2017–2021年任一年（beds）"


@pytest.mark.parametrize("kind, baseline, ref, expected", [
    ("annual", np.nan, None, "any year 2017–2021 (%)"),
    ("cumulative", 0.0, None, "any year 2017–2021 (%)"),
    ("level", 3.0, None, "any year 2017–2021 (%)"),
    ("level", np.nan, None, "2016 (baseline) and any year 2017–2021 (%)"),
    ("rate_avg", np.nan, None, "every year 2017–2021 (%)"),
    ("period_total", 0.0, None, "every year 2017–2021 (%)"),
    ("relative", np.nan, "ref.x", "2016 (baseline) and any year 2017–2021 (%), with the reference series ref.x"),
    ("unquantified", np.nan, None, "never scored (no quantified target)"),
])
def test_needed_text(kind, baseline, ref, expected):
    row = pd.Series({"kind": kind, "baseline_year": 2016, "target_year": 2021, "baseline": baseline,
                     "unit": "%", "reference_id": ref})
    assert frames.needed_text(row, "en") == expected


def test_target_cell_says_how_the_number_is_read():
    row = dict(comparator=">=", target=7.0, target_hi=np.nan, tolerance=np.nan, unit="%", target_year=2025)
    assert frames.target_cell({**row, "kind": "rate_avg"}, "en") == "≥ 7 % on average (2025)"
    assert frames.target_cell({**row, "kind": "level"}, "en", with_year=False) == "≥ 7 %"
    assert frames.target_cell({**row, "kind": "direction", "target": np.nan}, "en") == "increase (2025)"
    assert frames.target_cell({**row, "kind": "unquantified"}, "zh") == "未设量化目标 (2025)"


def test_a_ratio_of_two_growth_rates_shows_both_rates_it_divides():
    """Issue 24: labour productivity growth / GDP growth was shown without either rate."""
    from helpers.report import params, sections

    ctx = params.prepare(plan="china_fyp14", charts=False, lang="en")
    f = sections.by_year_frame(ctx, "I02")
    assert list(f.columns[:4]) == ["year", "value", "own_rate", "reference_rate"]
    first = f.iloc[0]  # 2021: one year, so the averages are that year's published rates
    assert (first["own_rate"], first["reference_rate"]) == (pytest.approx(8.7), pytest.approx(8.1))
    scored = f.dropna(subset=["value"])
    np.testing.assert_allclose(scored["own_rate"] / scored["reference_rate"], scored["value"], rtol=1e-6)
    html = sections.by_year_styler(ctx, f).to_html()
    assert "Own average growth (%)" in html and "Reference&#x27;s average growth (%)" in html
    assert "the value is their ratio" in html
    assert "own_rate" not in sections.by_year_frame(ctx, "I03").columns  # a level: no rates
