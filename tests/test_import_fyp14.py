"""scripts/import_fyp14.py on the real shared compilation (../shared/data/fyp14/), this project's
additions (data/raw/china_fyp14/compiled_additions.csv) and the shipped plan folder
data/raw/china_fyp14/: idempotent, byte-identical re-runs, the committed files are the script's
output, the additions are read (replaced sources, their own rows, markers honoured), every context
series carries its legend labels from series_labels.csv, and the data rules of issue 16 (sources, lower bounds, signs, ids, one series per scored id, coverage).

Checked with csv/pandas directly, not with helpers' validation (which is being extended for the
new ids and kinds at the same time)."""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

from decimal import Decimal, InvalidOperation

import pandas as pd
import pytest

from import_scripts import labels_file, load_script

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "data" / "raw" / "china_fyp14"
imp = load_script("import_fyp14")

COMPILED = imp.SHARED
ADDITIONS = PLAN / "compiled_additions.csv"
KINDS = {"level", "annual", "cumulative", "relative", "rate_avg", "rate_total", "period_total", "annual_mean",
         "change", "change_pct", "direction", "unquantified"}
#: Coverage the compilation and the additions support today (a 2020 value and >= 3 later years).
COVERAGE_FLOOR = 14
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
    args = ["--compiled", str(COMPILED), "--additions", str(ADDITIONS), "--statistics", str(folder / "statistics.csv"),
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
    """The compilation and its later rounds (statistics_round3.csv), as the script reads them."""
    return pd.concat([_read(COMPILED)] + [_read(p) for p in imp.LATER if p.is_file()], ignore_index=True)


@pytest.fixture(scope="module")
def additions() -> pd.DataFrame:
    return _read(ADDITIONS)


def _better(additions: pd.DataFrame) -> pd.DataFrame:
    return additions[additions["note"].str.lower().str.contains(imp.BETTER_SOURCE, regex=False)]


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
    assert imp.main(["--compiled", str(COMPILED), "--additions", str(ADDITIONS), "--statistics", str(tmp_path / "statistics.csv"),
                     "--excluded", str(tmp_path / "excluded_rows.csv"), "--dry-run"]) == 0
    assert "dry run: nothing written" in capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["targets.csv"]


def test_every_input_row_is_mapped_or_excluded(out, compiled, additions):
    folder = out[0]
    excluded = _read(folder / "excluded_rows.csv")
    assert (excluded["reason"] != "").all()
    inputs = len(compiled) + len(additions) - len(_better(additions))  # better sources merge into compiled rows
    stats = _read(folder / "statistics.csv")
    assert len(stats) == inputs - len(excluded) + 1  # one row (good-air days 2023) also gives its dust-excluded context
    ids = stats["indicator_id"]
    n_ctx, n_ref = ids.str.contains(":").sum(), (ids == imp.REFERENCE_ID).sum()
    print(f"\n{len(compiled)} compiled + {len(additions)} added rows ({len(_better(additions))} better sources) = "
          f"{inputs} rows: {len(stats)} statistics rows ({len(stats) - n_ctx - n_ref} target, {n_ref} reference, "
          f"{n_ctx} context), {len(excluded)} excluded")


# ----------------------------------------------------------------------------- the additions

@needs_compilation
def test_additions_file_has_the_compilations_header_and_sources(additions):
    with open(COMPILED, encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh))
    with open(ADDITIONS, encoding="utf-8-sig", newline="") as fh:
        assert next(csv.reader(fh)) == header
    assert additions["compiled_in"].isin(["search 2026-12-01", "search 2026-12-07"]).all()
    assert additions["source_url"].str.match(r"^https?://\S+$").all()
    assert (additions["locator"].str.strip() != "").all()


def test_better_sources_replace_the_compiled_ones(out, stats, compiled, additions):
    excluded = _read(out[0] / "excluded_rows.csv")
    better = _better(additions)
    assert len(better) == 10
    for _, a in better.iterrows():
        old = compiled[(compiled["target_n"] == a["target_n"]) & (compiled["year"] == a["year"])
                       & (compiled["value"] == a["value"])]
        assert len(old) == 1, a.to_dict()
        old_url = old["source_url"].iloc[0]
        assert old_url != a["source_url"]
        in_stats = stats[(stats["source_url"] == a["source_url"])
                         & stats["note"].str.contains(f"Compiled as {a['target_n']} (", regex=False)]
        in_excl = excluded[(excluded["source_url"] == a["source_url"]) & (excluded["target_n"] == a["target_n"])]
        assert len(in_stats) + len(in_excl) == 1, a["source_url"]
        if len(in_stats):
            assert "Source replaced" in in_stats["note"].iloc[0]
            assert (old_url or "no URL") in in_stats["note"].iloc[0]
        else:
            assert in_excl["compiled_in"].iloc[0].endswith(f"source: {a['compiled_in']}")
    # the citations moved to a better-graded page (issue 24): same value, from a mirror to an official repost
    d = stats.set_index(["indicator_id", "year"])
    for key, url in ((("I01", "2022"), "http://big5.www.gov.cn/gate/big5/www.gov.cn/xinwen/2023-02/28/content_5743645.htm"),
                     (("gdp_growth", "2022"), "http://big5.www.gov.cn/gate/big5/www.gov.cn/xinwen/2023-02/28/content_5743645.htm"),
                     (("I03", "2023"), "http://www.hn.chinanews.com.cn/news/gnxw/2024/0117/486350.html")):
        assert (d.loc[key, "source_url"], d.loc[key, "source_quality"]) == (url, "official_repost")
        assert "Source replaced" in d.loc[key, "note"] and "mirror" in d.loc[key, "note"]
    # the weak 2024 final (AI-generated summary) is now the bulletin repost: mapped, and supersedes the preliminary
    d = stats.set_index(["indicator_id", "year"])
    assert d.loc[("I04:nominal", "2024"), "value"] == "8.9"
    assert d.loc[("I04:nominal", "2024"), "source_url"] == "https://bbs.netbig.top/thread-83695-1-1.html"
    assert "superseded" in excluded[(excluded["target_n"] == "4") & (excluded["year"] == "2024")]["reason"].iloc[0]
    # forest 2021 has its URL now and is mapped with the new land-survey base
    assert d.loc[("I18", "2021"), "value"] == "24.02"
    assert d.loc[("I18", "2021"), "definition"] == "3rd land-survey base (2021 on)"
    assert not ((excluded["target_n"] == "18") & (excluded["year"] == "2021")).any()


def test_addition_markers_are_honoured(out, stats, additions):
    excluded = _read(out[0] / "excluded_rows.csv")
    own = additions.drop(_better(additions).index)
    for _, a in own.iterrows():
        rows = stats[stats["source_url"] == a["source_url"]]
        if "SUPERSEDED" in a["note"]:
            assert rows.empty and ((excluded["source_url"] == a["source_url"]).sum() == 1)
        if "APPROXIMATE" in a["note"] or "LOWER BOUND" in a["note"]:
            assert len(rows) == 1 and rows["indicator_id"].str.contains(":").all(), a["source_url"]
        assert rows["note"].str.contains("compiled_additions.csv line", regex=False).all()
    assert stats.loc[stats["indicator_id"] == "I06:approx", "year"].tolist() == ["2024"]
    assert stats.loc[stats["indicator_id"] == "I06", "year"].tolist() == ["2020", "2023"]


def test_schooling_years_keep_one_series(stats):
    scored = stats[stats["indicator_id"] == "I09"].set_index("year")["value"].to_dict()
    assert scored == {"2020": "10.75", "2022": "10.93", "2024": "11.21"}  # NBS two-decimal series
    ctx = stats[stats["indicator_id"] == "I09:one_decimal"].set_index("year")["value"].to_dict()
    assert ctx == {"2020": "10.8", "2021": "10.9"}  # 教育部 / plan baseline, one decimal
    assert "10.82" not in stats.loc[stats["indicator_id"].str.startswith("I09"), "value"].tolist()  # never the implied 2021


def test_no_value_that_is_not_in_an_input(stats, compiled, additions):
    raw = pd.concat([compiled, additions])
    known = set()
    for v in raw["value"]:
        try:
            d = Decimal(v.strip().lstrip("><"))
        except InvalidOperation:
            continue
        known |= {d, -d, d * Decimal("0.0001"), d * Decimal("0.0005")}
    for _, r in stats.iterrows():
        v = Decimal(r["value"])
        quoted = r["indicator_id"] == "I16:excl_dust" and f"为{r['value']}%" in r["note"]  # a second value in a locator
        assert v in known or quoted, (r["indicator_id"], r["year"], r["value"])


def _additions_file(tmp_path: Path, note: str, value: str = "87", year: str = "2021") -> Path:
    path = tmp_path / "additions.csv"
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(imp.COMPILED_REQUIRED), lineterminator="\n")
    w.writeheader()
    w.writerow({"target_n": "16", "name_zh": "synthetic", "year": year, "value": value, "unit": "%", "form": "level",
                "source_title": "added title", "source_url": "https://example.org/b", "locator": "added locator",
                "note": note})
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def test_additions_replace_sources_and_stop_on_unhonoured_markers(tmp_path):
    shutil.copy(PLAN / "targets.csv", tmp_path / "targets.csv")
    stats_path, excl = tmp_path / "statistics.csv", tmp_path / "excluded_rows.csv"
    better = _additions_file(tmp_path, "Better source for existing row.", year="2020")
    imp.run(_tiny(tmp_path), stats_path, excl, out=io.StringIO(), additions_path=better)
    row = _read(stats_path).iloc[0]
    assert (row["source_url"], row["value"]) == ("https://example.org/b", "87")
    assert "Source replaced" in row["note"] and "https://example.org/a" in row["note"]
    with pytest.raises(imp.MappingError, match="exactly one needed"):
        imp.run(_tiny(tmp_path), stats_path, excl, out=io.StringIO(),
                additions_path=_additions_file(tmp_path, "Better source for existing row.", value="90"))
    with pytest.raises(imp.MappingError, match="SUPERSEDED"):
        imp.run(_tiny(tmp_path), stats_path, excl, out=io.StringIO(),
                additions_path=_additions_file(tmp_path, "SUPERSEDED by something"))
    with pytest.raises(imp.MappingError, match="header must be the compilation's"):
        bad = tmp_path / "bad.csv"
        bad.write_text(",".join(imp.COMPILED_REQUIRED) + ",extra\n", encoding="utf-8")
        imp.run(_tiny(tmp_path), stats_path, excl, out=io.StringIO(), additions_path=bad)
    # the shared reader's problems arrive as this script's MappingError, one line each
    bad.write_text(",".join(imp.COMPILED_REQUIRED[1:]) + "\n1\n", encoding="utf-8")
    with pytest.raises(imp.MappingError, match=f"^{re.escape(str(bad))} line 1: column 'target_n': required column"):
        imp.run(_tiny(tmp_path), stats_path, excl, out=io.StringIO(), additions_path=bad)


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
    researcher = "I16,china,2021,87.5,%,a researcher's source,https://example.org/r,media,typed in,\n"
    stats_path.write_text(",".join(imp.COLUMNS) + "\n" + researcher, encoding="utf-8")
    imp.run(_tiny(tmp_path), stats_path, excl, out=io.StringIO())
    text = stats_path.read_text(encoding="utf-8")
    # the produced row's source graded by the host rule (example.org is listed nowhere: a copy)
    assert researcher in text and "I16,china,2020,87,%,synthetic title,https://example.org/a,mirror," in text
    before = stats_path.read_bytes()
    with pytest.raises(imp.MappingError, match="differs from the compilation"):
        imp.run(_tiny(tmp_path, "88"), stats_path, excl, out=io.StringIO())
    assert stats_path.read_bytes() == before
    imp.run(_tiny(tmp_path, "88"), stats_path, excl, replace=True, out=io.StringIO())
    assert "I16,china,2020,88,%" in stats_path.read_text(encoding="utf-8")
    # a row this script wrote that the inputs no longer produce: a conflict, dropped with --replace
    stale = "I16,china,2022,86,%,old,https://example.org/o,mirror,Same measure. Compiled as 16 (x),\n"
    stats_path.write_text(stats_path.read_text(encoding="utf-8") + stale, encoding="utf-8")
    with pytest.raises(imp.MappingError, match="no longer produce it"):
        imp.run(_tiny(tmp_path, "88"), stats_path, excl, out=io.StringIO())
    imp.run(_tiny(tmp_path, "88"), stats_path, excl, replace=True, out=io.StringIO())
    text = stats_path.read_text(encoding="utf-8")
    assert "I16,china,2022" not in text and researcher in text


# ----------------------------------------------------------------------------- the data rules

def test_every_row_has_a_source_title_and_url(stats):
    assert (stats["source_title"].str.strip() != "").all()
    assert stats["source_url"].str.match(r"^https?://\S+$").all()
    assert (stats["geo"] == "china").all()


def test_values_are_plain_numbers_and_lower_bounds_are_context_only(stats, compiled, additions):
    assert stats["value"].str.fullmatch(r"-?\d+(\.\d*[1-9])?").all()
    raw = pd.concat([compiled, additions])
    bounds = raw[raw["value"].str.match(r"^\s*[<>]")]
    assert len(bounds) == 3
    for _, b in bounds.iterrows():
        tid = f"I{int(b['target_n']):02d}"
        own = stats[(stats["indicator_id"] == tid) & (stats["year"] == b["year"])
                    & (stats["source_url"] == b["source_url"])]
        assert own.empty, f"lower bound {b['value']} used as the value of {tid} {b['year']}"
        ctx = stats[(stats["indicator_id"] == f"{tid}:lower_bound") & (stats["year"] == b["year"])]
        assert ctx["value"].tolist() == [b["value"].lstrip("><").strip()]


def test_intensity_rates_are_negative_for_decreases(stats, compiled):
    rows = stats[stats["indicator_id"].str.match(r"^I1[45](:|$)")]
    flat = (rows["indicator_id"] == "I15") & (rows["year"] == "2023")  # 与上年持平 (round 3, low confidence)
    assert len(rows) >= 10 and (rows.loc[~flat, "value"].astype(float) < 0).all()
    assert rows.loc[flat, "value"].tolist() == ["0"]
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


# ----------------------------------------------------------------------------- legend labels

CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def test_every_context_series_has_both_labels_and_no_other_row_has_one(stats):
    """Fresh output and the shipped file: each context series' rows carry its labels from
    series_labels.csv (short legend text, English without Chinese); target and reference rows none."""
    labels = _read(PLAN / "series_labels.csv").set_index("indicator_id")
    assert list(labels.columns) == ["label_zh", "label_en"] and labels.index.is_unique
    for frame in (stats, _read(PLAN / "statistics.csv")):
        context = frame["indicator_id"].str.contains(":", regex=False)
        assert set(frame.loc[context, "indicator_id"]) == set(labels.index)
        for col in ("label_zh", "label_en"):
            assert (frame.loc[context, col] == frame.loc[context, "indicator_id"].map(labels[col])).all(), col
            assert (frame.loc[~context, col] == "").all(), col
    for ind, (zh, en) in labels.iterrows():
        assert zh.strip() == zh and en.strip() == en and "_" not in zh + en, ind
        assert len(CJK.findall(zh)) <= 20 and len(zh) <= 24, (ind, zh)
        assert len(en) <= 40 and not CJK.search(en), (ind, en)
        assert CJK.search(zh), (ind, zh)


def test_labels_are_written_refreshed_and_must_match_the_produced_series(tmp_path):
    shutil.copy(PLAN / "targets.csv", tmp_path / "targets.csv")
    stats_path, excl = tmp_path / "statistics.csv", tmp_path / "excluded_rows.csv"
    compiled = _tiny(tmp_path, ">87")  # a lower bound: the context series I16:lower_bound
    researcher = "I16:lower_bound,china,2021,88,%,a researcher's source,https://example.org/r,media,typed in,\n"
    stats_path.write_text(",".join(imp.COLUMNS) + "\n" + researcher, encoding="utf-8")  # no label columns yet
    labels = labels_file(tmp_path, [("I16:lower_bound", "下限值", "Lower bound")])
    imp.run(compiled, stats_path, excl, out=io.StringIO(), labels_path=labels)
    text = stats_path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == ",".join(imp.COLUMNS + imp.common.LABEL_COLUMNS)
    assert text.splitlines()[1].endswith(",下限值,Lower bound")  # the produced 2020 row
    assert text.splitlines()[2] == researcher.rstrip("\n") + ",,"  # a researcher's row: kept, no label added
    before = stats_path.read_bytes()
    imp.run(compiled, stats_path, excl, out=io.StringIO(), labels_path=labels)
    assert stats_path.read_bytes() == before  # a re-run is byte-identical
    # a changed label is refreshed like a note (no conflict); --dry-run reports it and writes nothing
    relabelled = labels_file(tmp_path, [("I16:lower_bound", "下限", "Lower bound only")])
    shown = io.StringIO()
    imp.run(compiled, stats_path, excl, out=shown, labels_path=relabelled, dry_run=True)
    assert "1 refreshed" in shown.getvalue() and stats_path.read_bytes() == before
    imp.run(compiled, stats_path, excl, out=io.StringIO(), labels_path=relabelled)
    assert ",下限,Lower bound only\n" in stats_path.read_text(encoding="utf-8")
    # without a labels file the stored labels stay as they are
    after = stats_path.read_bytes()
    imp.run(compiled, stats_path, excl, out=io.StringIO())
    assert stats_path.read_bytes() == after
    # a label no produced series uses is said, not an error (other inputs may produce it)
    shown = io.StringIO()
    counts = imp.run(compiled, stats_path, excl, out=shown, labels_path=labels_file(
        tmp_path, [("I16:lower_bound", "下限", "Lower bound only"), ("I16:other", "其他", "Other")]))
    assert counts["labelled"] == 1 and "1 not produced by these inputs: I16:other" in shown.getvalue()
    assert stats_path.read_bytes() == after
    # a produced context series without both labels, or a bad labels file, stops the run; nothing is written
    for rows, message in [
        ([], "no label for the context series I16:lower_bound"),
        ([("I16", "优良天数", "Good days")], "not a context series"),
        ([("I16:lower_bound", "下限值", " ")], "line 2: column 'label_en': I16:lower_bound needs a label_en"),
        ([("I16:lower_bound", "下限值", "Lower bound")] * 2, "labelled twice"),
    ]:
        with pytest.raises(imp.MappingError, match=message):
            imp.run(compiled, stats_path, excl, out=io.StringIO(), labels_path=labels_file(tmp_path, rows))
        assert stats_path.read_bytes() == after


def _years(stats: pd.DataFrame, targets: pd.DataFrame) -> dict[str, list[int]]:
    own = stats[stats["indicator_id"].isin(targets["id"])]
    got = own.groupby("indicator_id")["year"].apply(lambda y: sorted(set(y.astype(int)))).to_dict()
    return {t: got.get(t, []) for t in targets["id"]}


def _coverage(stats: pd.DataFrame, targets: pd.DataFrame) -> list[str]:
    return [t for t, ys in _years(stats, targets).items()
            if 2020 in ys and len([y for y in ys if 2021 <= y <= 2025]) >= 3]


def test_coverage(stats, targets):
    covered = _coverage(stats, targets)
    short = {t: ys for t, ys in _years(stats, targets).items() if t not in covered}
    print(f"\n{len(covered)} of 20 indicators have a 2020 value and >= 3 later years: {', '.join(covered)}; short: "
          + "; ".join(f"{t} {'/'.join(map(str, ys)) or 'none'}" for t, ys in short.items()))
    assert len(covered) >= COVERAGE_FLOOR
    assert sorted(short) == ["I04", "I06", "I09", "I11", "I19", "I20"]


@pytest.mark.xfail(reason="issue 16 asks for 15 of 20; compilation + additions support 14. Short: I04 (2021/2022 "
                          "only, no 2020 real rate), I06 (2020/2023), I09 (2020/2022/2024), I11 (2020/2024), "
                          "I19/I20 (output only, no capacity). Needs sourced values added.", strict=False)
def test_coverage_reaches_the_issue_criterion(stats, targets):
    assert len(_coverage(stats, targets)) >= COVERAGE_ISSUE


@needs_compilation
def test_round3_co2_2023_is_mapped_with_its_low_confidence_said(stats):
    row = stats[(stats["indicator_id"] == "I15") & (stats["year"] == "2023")]
    assert len(row) == 1 and row["value"].iloc[0] == "0"
    note = row["note"].iloc[0]
    assert "LOW CONFIDENCE" in note and "handmsg.com" in row["source_url"].iloc[0]
    excluded = _read(PLAN / "excluded_rows.csv")
    reuters = excluded[(excluded["target_n"] == "15") & (excluded["year"] == "2021-2025")]
    assert len(reuters) == 1 and "not an official statement" in reuters["reason"].iloc[0]
