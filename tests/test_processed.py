"""``make data`` / ``python -m helpers build``: every processed table, byte-identical on rebuild.

Inputs are the SYNTHETIC "lakeside" plan of engine_synthetic.py (a plan the project never saw).
"""

from __future__ import annotations

import importlib.util

import pandas as pd
import pytest

from engine_synthetic import write_lakeside_plan
from helpers import processed
from helpers.cli import main
from helpers.exceptions import ValidationError

ENGINE_FILES = ["gaps.csv", "gaps_cagr.csv", "latest_status.csv", "area_rollup.csv", "area_rollup_latest.csv"]
COVERAGE_FILES = ["coverage_by_area.csv", "coverage_by_target.csv"]
HAS_COVERAGE = importlib.util.find_spec("helpers.coverage") is not None


def test_build_twice_gives_byte_identical_files(tmp_path, capsys):
    tpath, spath = write_lakeside_plan(tmp_path / "raw")
    first = processed.build_processed(tpath, spath, tmp_path / "a")
    second = processed.build_processed(tpath, spath, tmp_path / "b")
    expected = ENGINE_FILES + (COVERAGE_FILES if HAS_COVERAGE else [])
    assert list(first) == list(second) == expected
    for name in expected:
        assert first[name].read_bytes() == second[name].read_bytes(), name
    if not HAS_COVERAGE:
        assert "helpers.coverage is not available" in capsys.readouterr().out
    # the tables hold what the engine says (spot checks, hand-computed)
    gaps = pd.read_csv(first["gaps.csv"])
    row = gaps[(gaps["indicator_id"] == "health.clinic_wait_minutes") & (gaps["year"] == 2019)].iloc[0]
    # baseline 60, target <= 30: required 60 − 30·0.6 = 42; value 42 -> progress 0.6, r = 1
    assert (row["required"], row["gap"], row["progress"], row["status"]) == (42, 12, 0.6, "on_track")
    latest = pd.read_csv(first["latest_status.csv"]).set_index("indicator_id")
    assert latest.loc["poverty.poor_households", "status"] == "achieved"
    assert latest.loc["poverty.poor_households", "year"] == 2020
    roll = pd.read_csv(first["area_rollup_latest.csv"]).set_index("area")
    assert roll.loc["all", "n_targets"] == 7 and roll.loc["all", "n_no_data"] == 0
    cagr = pd.read_csv(first["gaps_cagr.csv"])
    assert set(cagr["method"]) == {"cagr"} and len(cagr) == len(gaps) == 6 * 5 + 4


def test_cli_build_and_gaps_agree(tmp_path, capsys):
    tpath, spath = write_lakeside_plan(tmp_path / "raw")
    out_dir = tmp_path / "processed"
    assert main(["build", "--targets", str(tpath), "--statistics", str(spath), "--out-dir", str(out_dir)]) == 0
    assert f"wrote {out_dir / 'gaps.csv'} (34 rows)" in capsys.readouterr().out
    single = tmp_path / "single.csv"
    assert main(["gaps", "--targets", str(tpath), "--statistics", str(spath), "--out", str(single)]) == 0
    assert single.read_bytes() == (out_dir / "gaps.csv").read_bytes()


def test_bad_input_writes_nothing(tmp_path):
    tpath, spath = write_lakeside_plan(tmp_path / "raw")
    out_dir = tmp_path / "processed"
    processed.build_processed(tpath, spath, out_dir)
    before = {p.name: p.read_bytes() for p in out_dir.iterdir()}
    spath.write_text(spath.read_text(encoding="utf-8").replace(",2016,80.0,", ",2016,80%,", 1), encoding="utf-8")
    with pytest.raises(ValidationError):
        processed.build_processed(tpath, spath, out_dir)
    assert {p.name: p.read_bytes() for p in out_dir.iterdir()} == before
    with pytest.raises(ValidationError) as err:
        processed.build_processed(tmp_path / "missing.csv", spath, out_dir)
    assert "missing.csv" in str(err.value)
