"""scripts/import_fyp14.py on the real shared compilation (../shared/data/fyp14/) and the shipped
plan folder data/raw/china_fyp14/: idempotent, byte-identical re-runs, the committed files are the
script's output, and the data rules of issue 16 (sources, lower bounds, signs, ids, coverage).

Checked with csv/pandas directly, not with helpers' validation (which is being extended for the
new ids and kinds at the same time)."""

from __future__ import annotations

import csv
import importlib.util
import io
import re
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "data" / "raw" / "china_fyp14"
_spec = importlib.util.spec_from_file_location("import_fyp14", ROOT / "scripts" / "import_fyp14.py")
imp = importlib.util.module_from_spec(_spec)
sys.modules.setdefault(_spec.name, imp)  # dataclasses look their module up there
_spec.loader.exec_module(imp)

COMPILED = imp.SHARED
KINDS = {"level", "annual", "cumulative", "relative", "rate_avg", "rate_total", "period_total", "annual_mean",
         "change", "change_pct", "direction", "unquantified"}
#: Coverage the compilation supports today (indicators with a 2020 value and >= 3 later years).
COVERAGE_FLOOR = 13
COVERAGE_ISSUE = 15

needs_compilation = pytest.mark.skipif(not COMPILED.is_file(), reason=f"shared compilation not found: {COMPILED}")


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    """The script run twice into a tmp plan folder: (folder, bytes after run 1, bytes after run 2)."""
    if not COMPILED.is_file():
        pytest.skip(f"shared compilation not found: {COMPILED}")
    folder = tmp_path_factory.mktemp("china_fyp14")
    shutil.copy(PLAN / "targets.csv", folder / "targets.csv")
    args = ["--compiled", str(COMPILED), "--statistics", str(folder / "statistics.csv"),
            "--excluded", str(folder / "excluded_rows.csv")]
    runs = []
    for _ in range(2):
        assert imp.main(args) == 0
        runs.append({n: (folder / n).read_bytes() for n in ("statistics.csv", "excluded_rows.csv")})
    return folder, runs[0], runs[1]


@pytest.fixture(scope="module")
def stats(out) -> pd.DataFrame:
    return _read(out[0] / "statistics.csv")


@pytest.fixture(scope="module")
def targets() -> pd.DataFrame:
    return _read(PLAN / "targets.csv")


@pytest.fixture(scope="module")
def compiled() -> pd.DataFrame:
    return _read(COMPILED)


# ----------------------------------------------------------------------------- determinism

def test_rerun_is_byte_identical_and_the_committed_files_are_its_output(out):
    _, first, second = out
    assert first == second
    for name, data in first.items():
        assert (PLAN / name).read_bytes() == data, f"{name} is stale: re-run scripts/import_fyp14.py"
        assert b"\r" not in data
        data.decode("utf-8")


def test_dry_run_writes_nothing(tmp_path, capsys):
    if not COMPILED.is_file():
        pytest.skip("no compilation")
    shutil.copy(PLAN / "targets.csv", tmp_path / "targets.csv")
    assert imp.main(["--compiled", str(COMPILED), "--statistics", str(tmp_path / "statistics.csv"),
                     "--excluded", str(tmp_path / "excluded_rows.csv"), "--dry-run"]) == 0
    assert "dry run: nothing written" in capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["targets.csv"]


def test_every_compiled_row_is_mapped_or_excluded(out, compiled):
    folder = out[0]
    excluded = _read(folder / "excluded_rows.csv")
    assert (excluded["reason"] != "").all()
    mapped_lines = len(compiled) - len(excluded)
    stats_rows = len(_read(folder / "statistics.csv"))
    assert stats_rows == mapped_lines + 1  # one compiled row (good-air days 2023) also gives its dust-excluded context
    print(f"\n{len(compiled)} compiled rows: {stats_rows} statistics rows, {len(excluded)} excluded")


# ----------------------------------------------------------------------------- merging

def _tiny(tmp_path: Path, value: str = "87") -> Path:
    path = tmp_path / "compiled.csv"
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(imp.COMPILED_REQUIRED), lineterminator="\r\n")
    w.writeheader()
    w.writerow({"target_n": "16", "name_zh": "synthetic", "year": "2020", "value": value, "unit": "%",
                "form": "level", "source_title": "synthetic title", "source_url": "https://example.org/a",
                "locator": "synthetic locator", "note": "synthetic note"})
    path.write_text(buf.getvalue(), encoding="utf-8", newline="")
    return path


def test_researcher_rows_are_kept_and_conflicts_stop_the_run(tmp_path):
    shutil.copy(PLAN / "targets.csv", tmp_path / "targets.csv")
    stats_path, excl = tmp_path / "statistics.csv", tmp_path / "excluded_rows.csv"
    researcher = "I16,china,2021,87.5,%,a researcher's source,https://example.org/r,typed in,\n"
    stats_path.write_text(",".join(imp.COLUMNS) + "\n" + researcher, encoding="utf-8")
    imp.run(_tiny(tmp_path), stats_path, excl, out=io.StringIO())
    text = stats_path.read_text(encoding="utf-8")
    assert researcher in text and "I16,china,2020,87,%,synthetic title" in text
    before = stats_path.read_bytes()
    with pytest.raises(imp.MappingError, match="differs from the compilation"):
        imp.run(_tiny(tmp_path, "88"), stats_path, excl, out=io.StringIO())
    assert stats_path.read_bytes() == before
    imp.run(_tiny(tmp_path, "88"), stats_path, excl, replace=True, out=io.StringIO())
    assert "I16,china,2020,88,%" in stats_path.read_text(encoding="utf-8")


# ----------------------------------------------------------------------------- the data rules

def test_every_row_has_a_source_title_and_url(stats):
    assert (stats["source_title"].str.strip() != "").all()
    assert stats["source_url"].str.match(r"^https?://\S+$").all()
    assert (stats["geo"] == "china").all()


def test_values_are_plain_numbers_and_lower_bounds_are_context_only(stats, compiled):
    assert stats["value"].str.fullmatch(r"-?\d+(\.\d*[1-9])?").all()
    bounds = compiled[compiled["value"].str.match(r"^\s*[<>]")]
    assert len(bounds) == 2
    for _, b in bounds.iterrows():
        tid = f"I{int(b['target_n']):02d}"
        own = stats[(stats["indicator_id"] == tid) & (stats["year"] == b["year"])
                    & (stats["source_url"] == b["source_url"])]
        assert own.empty, f"lower bound {b['value']} used as the value of {tid} {b['year']}"
        ctx = stats[(stats["indicator_id"] == f"{tid}:lower_bound") & (stats["year"] == b["year"])]
        assert ctx["value"].tolist() == [b["value"].lstrip("><").strip()]


def test_intensity_rates_are_negative_for_decreases(stats, compiled):
    rows = stats[stats["indicator_id"].str.match(r"^I1[45](:|$)")]
    assert len(rows) >= 10 and (rows["value"].astype(float) < 0).all()
    yearly = compiled[compiled["target_n"].isin(["14", "15"]) & (compiled["form"] == "yearly_rate")]
    for _, c in yearly.iterrows():
        tid = f"I{int(c['target_n'])}"
        v = stats.loc[(stats["indicator_id"] == tid) & (stats["year"] == c["year"]), "value"]
        assert v.astype(float).tolist() == [-float(c["value"])]


def test_targets_table(targets):
    assert len(targets) == 20
    assert targets["id"].is_unique
    assert targets["id"].str.fullmatch(r"[^\s:]+").all()
    assert targets["id"].tolist() == [f"I{i:02d}" for i in range(1, 21)]
    assert (targets["baseline_year"] == "2020").all() and (targets["target_year"] == "2025").all()
    assert set(targets["kind"]) <= KINDS
    assert set(targets["binding"]) <= {"binding", "expected", ""}
    assert set(targets["comparator"]) <= {">=", "<=", "~", "between", ""}
    unq = targets["kind"] == "unquantified"
    assert targets.loc[unq, "id"].tolist() == ["I01"]
    assert (targets.loc[unq, ["comparator", "target"]] == "").all().all()
    assert (targets.loc[~unq & (targets["kind"] != "direction"), "target"] != "").all()
    assert (targets.loc[targets["comparator"] == "~", "tolerance"] != "").all()
    assert (targets["source_ref"] != "").all() and (targets["note"] != "").all()
    with open(PLAN / "plan.json", encoding="utf-8") as fh:
        import json
        plan = json.load(fh)
    assert [a["key"] for a in plan["areas"]] == ["econ", "innovation", "wellbeing", "green", "security"]
    assert targets["area"].tolist() == ["econ"] * 3 + ["innovation"] * 3 + ["wellbeing"] * 7 + ["green"] * 5 + ["security"] * 2
    assert plan["jurisdiction"] in plan["geos"] and plan["benchmarks"] == []


def test_every_indicator_id_is_a_target_reference_or_context(stats, targets):
    ids = set(targets["id"])
    refs = set(targets["reference_id"]) - {""}
    assert refs == {"gdp_growth"}
    for ind in stats["indicator_id"].unique():
        base, sep, suffix = ind.partition(":")
        assert ind in ids | refs or (sep and base in ids and re.fullmatch(r"[A-Za-z0-9_.\-]+", suffix)), ind
    # capacity targets have no scored value, only their output context
    assert not stats["indicator_id"].isin(["I19", "I20"]).any()


def test_definition_breaks_are_marked_after_the_break(stats):
    d = stats.set_index(["indicator_id", "year"])["definition"]
    for ind, first in (("I14", 2024), ("I16", 2025), ("I17", 2021), ("I18", 2021)):
        rows = d[ind]
        assert (rows[rows.index.astype(int) >= first] != "").all(), ind
        assert rows.get("2020", "") == "", ind
    assert d[("I16", "2023")] == "" and d[("I16:excl_dust", "2023")] != ""
    assert len(set(d["I03"])) == 1  # one base for all urbanisation years


def _coverage(stats: pd.DataFrame, targets: pd.DataFrame) -> list[str]:
    own = stats[stats["indicator_id"].isin(targets["id"])]
    years = own.groupby("indicator_id")["year"].apply(lambda y: set(y.astype(int)))
    return [t for t, ys in years.items() if 2020 in ys and len([y for y in ys if 2021 <= y <= 2025]) >= 3]


def test_coverage(stats, targets):
    covered = _coverage(stats, targets)
    print(f"\n{len(covered)} of 20 indicators have a 2020 value and >= 3 later years: {', '.join(covered)}")
    assert len(covered) >= COVERAGE_FLOOR


@pytest.mark.xfail(reason="issue 16 asks for 15 of 20; the shared compilation supports 13 (I04, I06, I09, I11, I18 "
                          "lack years; I19/I20 have output only). Needs sourced values added.", strict=False)
def test_coverage_reaches_the_issue_criterion(stats, targets):
    assert len(_coverage(stats, targets)) >= COVERAGE_ISSUE
