"""``make data`` / ``python -m helpers build``: every processed table, byte-identical on rebuild.

Inputs are the SYNTHETIC "lakeside" plan of engine_synthetic.py (a plan the project never saw).
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from engine_synthetic import LAKESIDE_TARGETS, write_lakeside_plan
from helpers.publish import processed
from helpers import vocab
from helpers.cli import main
from helpers.exceptions import ValidationError

ENGINE_FILES = ["gaps.csv", "gaps_cagr.csv", "latest_status.csv", "area_rollup.csv", "area_rollup_latest.csv"]
COVERAGE_FILES = ["coverage_by_area.csv", "coverage_by_target.csv"]


def test_build_twice_gives_byte_identical_files(tmp_path):
    tpath, spath = write_lakeside_plan(tmp_path / "raw")
    first = processed.build_processed(tpath, spath, tmp_path / "a")
    second = processed.build_processed(tpath, spath, tmp_path / "b")
    expected = ENGINE_FILES + COVERAGE_FILES
    assert list(first) == list(second) == expected
    for name in expected:
        assert first[name].read_bytes() == second[name].read_bytes(), name
    # the tables hold what the engine says (spot checks, hand-computed)
    gaps = pd.read_csv(first["gaps.csv"])
    row = gaps[(gaps["indicator_id"] == "health.clinic_wait_minutes") & (gaps["year"] == 2019)].iloc[0]
    # baseline 60, target <= 30: required 60 − 30·0.6 = 42; value 42 -> progress 0.6, r = 1
    assert (row["required"], row["gap"], row["progress"], row["status"]) == (42, 12, 0.6, "on_track")
    latest = pd.read_csv(first["latest_status.csv"]).set_index("indicator_id")
    assert latest.loc["poverty.poor_households", "status"] == "met"  # 0 in its target year 2020: the verdict
    assert latest.loc["poverty.poor_households", "year"] == 2020
    roll = pd.read_csv(first["area_rollup_latest.csv"]).set_index("area")
    # as of 2021 (the latest data) five targets ending in 2021 have no 2021 value: their final value is
    # not yet published, so they count as no_data (their earlier values still count in n_with_value)
    assert roll.loc["all", "n_targets"] == 7 and roll.loc["all", "n_no_data"] == 5
    assert roll.loc["all", "n_with_value"] == 7 and roll.loc["all", "n_met"] == 2
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


def _wrote(out: str) -> dict[str, int]:
    """``{file name: rows}`` from the "wrote PATH (N rows)" lines of ``build``."""
    return {m[1].rsplit("/", 1)[-1]: int(m[2]) for m in re.finditer(r"^wrote (.+) \((\d+) rows\)$", out, re.M)}


def test_cli_build_counts_table_rows_not_file_lines(tmp_path, capsys):
    tpath, spath = write_lakeside_plan(tmp_path / "raw")
    t = pd.read_csv(tpath, dtype=str, keep_default_na=False)
    t.loc[t["id"] == "ecology.sewage_treatment_rate", "name_en"] = "Synthetic sewage\ntreatment rate"
    t.to_csv(tpath, index=False, lineterminator="\n")
    out_dir = tmp_path / "processed"
    assert main(["build", "--targets", str(tpath), "--statistics", str(spath), "--out-dir", str(out_dir)]) == 0
    wrote = _wrote(capsys.readouterr().out)
    assert list(wrote) == ENGINE_FILES + COVERAGE_FILES
    # the sewage target's 5 rows in gaps.csv each span two lines; the count is still 34
    assert wrote["gaps.csv"] == 34 and wrote["latest_status.csv"] == 7 and wrote["coverage_by_area.csv"] == 6
    for name, n in wrote.items():
        assert len(pd.read_csv(out_dir / name)) == n, name


def test_cli_build_geo(tmp_path, capsys):
    tpath, spath = write_lakeside_plan(tmp_path / "raw")
    inputs = ["--targets", str(tpath), "--statistics", str(spath)]
    out_dir = tmp_path / "processed"
    assert main(["build", *inputs, "--out-dir", str(out_dir), "--geo", "hilltown,lakeside"]) == 0
    assert _wrote(capsys.readouterr().out)["gaps.csv"] == 2 * 34
    gaps = pd.read_csv(out_dir / "gaps.csv")
    assert list(dict.fromkeys(gaps["geo"])) == ["hilltown", "lakeside"]
    # hilltown: sewage 70 (2016) -> 85 in 2019; the other targets have no hilltown value
    hill = gaps[(gaps["geo"] == "hilltown") & gaps["value"].notna()]
    assert hill[["indicator_id", "year", "value"]].values.tolist() == [["ecology.sewage_treatment_rate", 2019, 85.0]]
    cov = pd.read_csv(out_dir / "coverage_by_area.csv").set_index(["geo", "area"])
    assert cov.loc[("hilltown", "all"), "years_filled"] == 2 and cov.loc[("lakeside", "all"), "targets"] == 7

    # 'all': the plan's own, then the other geos with target values; the benchmark is context
    assert main(["build", *inputs, "--out-dir", str(tmp_path / "all"), "--geo", "all"]) == 0
    capsys.readouterr()
    geos = pd.read_csv(tmp_path / "all" / "latest_status.csv")["geo"]
    assert list(dict.fromkeys(geos)) == ["lakeside", "hilltown", "riverbend"]

    # the same check as `gaps --geo`: exit 2, every valid geo listed, nothing written
    assert main(["build", *inputs, "--out-dir", str(tmp_path / "bad"), "--geo", "atlantis"]) == 2
    assert ("unknown geo 'atlantis'; valid values are: lakeside, hilltown, riverbend, synthetic_nation"
            in capsys.readouterr().err)
    assert not (tmp_path / "bad").exists()


def test_processed_csvs_neutralise_formula_text(tmp_path):
    """gaps/build write every table through processed.write_table -> fileio.atomic_write_csv, which
    neutralises text a spreadsheet would run (issue 14.3)."""
    frame = pd.DataFrame({"indicator_id": ["synthetic.a"], "name_en": ['+1+HYPERLINK("http://evil.example/","x")'],
                          "status_note": ["=1+1"], "value": [-2.0]})
    path = processed.write_table(frame, tmp_path / "gaps.csv")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[1] == 'synthetic.a,"\'+1+HYPERLINK(""http://evil.example/"",""x"")",\'=1+1,-2'


# ------------------------------------------------------------------ python -m helpers gaps (cli_gaps), unseen plan

ISSUE_COLUMNS = ["indicator_id", "year", "value", "required", "gap", "progress", "status"]


def test_cli_runs_a_plan_it_has_never_seen(tmp_path, capsys):
    tpath, spath = write_lakeside_plan(tmp_path / "raw")
    out = tmp_path / "out" / "gaps.csv"
    rc = main(["gaps", "--targets", str(tpath), "--statistics", str(spath), "--out", str(out)])
    assert rc == 0
    printed = capsys.readouterr().out
    assert printed.count("\n") == 1 and "7 targets x 1 geo(s): lakeside" in printed
    df = pd.read_csv(out)
    assert list(df.columns[:7]) == ISSUE_COLUMNS and "geo" in df.columns
    assert set(df["geo"]) == {"lakeside"} and df["indicator_id"].nunique() == len(LAKESIDE_TARGETS)
    assert set(df["status"]) <= set(vocab.STATUSES)
    row = df[(df["indicator_id"] == "ecology.sewage_treatment_rate") & (df["year"] == 2018)].iloc[0]
    # baseline 80, target 95: required 86, gap 9, progress 6/15 = 0.4, r = 1 -> on_track
    assert (row["value"], row["required"], row["gap"], row["progress"], row["status"]) == (86, 86, 9, 0.4, "on_track")
    wage = df[(df["indicator_id"] == "employment.wage_vs_nation") & (df["year"] == 2018)].iloc[0]
    assert (wage["value"], wage["status"], wage["reference_geo"]) == (0.9, "on_track", "synthetic_nation")

    rc = main(["gaps", "--targets", str(tpath), "--statistics", str(spath), "--out", str(out),
               "--geo", "all", "--method", "cagr"])
    assert rc == 0
    df = pd.read_csv(out)
    assert list(dict.fromkeys(df["geo"])) == ["lakeside", "hilltown", "riverbend"]
    assert set(df["method"]) == {"cagr"}

    before = out.read_bytes()
    assert main(["gaps", "--targets", str(tpath), "--statistics", str(spath), "--out", str(out),
                 "--geo", "atlantis"]) == 2
    assert "atlantis" in capsys.readouterr().err
    assert out.read_bytes() == before  # nothing written on error


def test_cli_bad_input_exits_2_naming_file_line_column(tmp_path, capsys):
    tpath, spath = write_lakeside_plan(tmp_path / "raw")
    text = spath.read_text(encoding="utf-8").splitlines()
    text[1] = text[1].replace(",80.0,", ',"1,300",', 1)
    spath.write_text("\n".join(text) + "\n", encoding="utf-8")
    out = tmp_path / "gaps.csv"
    rc = main(["gaps", "--targets", str(tpath), "--statistics", str(spath), "--out", str(out)])
    assert rc == 2 and not out.exists()
    err = capsys.readouterr().err
    assert "statistics.csv:2" in err and "value" in err


def test_cli_without_plan_json_exits_2_naming_the_missing_file(tmp_path, capsys):
    tpath, spath = write_lakeside_plan(tmp_path / "raw", with_plan=False)
    assert not (tmp_path / "raw" / "plan.json").exists()
    out = tmp_path / "gaps.csv"
    assert main(["gaps", "--targets", str(tpath), "--statistics", str(spath), "--out", str(out)]) == 2
    out_text, err = capsys.readouterr()
    assert f"{tmp_path / 'raw' / 'plan.json'}: plan.json not found" in err
    assert "Traceback" not in out_text + err
    assert not out.exists()  # nothing written
