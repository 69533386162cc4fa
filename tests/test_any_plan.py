"""Any plan, no code change: a plan the project has never seen (SYNTHETIC: invented areas, ids,
places and values, for testing only) validates, scores, gets a template, imports and renders
through both ``--plan DIR`` and ``--targets/--statistics``, with its own labels; bad plan files get
a located error (exit 2) and nothing is written. Also: no plan-specific word in the package."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

import fuyang_plan
from helpers import paths
from helpers.cli import main

PLAN = {
    "title_zh": "合成省人口住房体育规划", "title_en": "Synthetic province population, housing and sport plan",
    "issuer_en": "Synthetic provincial government", "issued": "2016-03-01",
    "jurisdiction": "synprov", "benchmarks": ["synnation"],
    "areas": [{"key": "population", "zh": "人口(合成)", "en": "Population (synthetic)"},
              {"key": "housing", "zh": "住房(合成)", "en": "Housing (synthetic)"},
              {"key": "sport", "zh": "体育(合成)", "en": "Sport (synthetic)"}],
    "geos": {"synprov": {"zh": "合成省", "en": "Synprovince"}, "synnation": {"zh": "合成国", "en": "Synnation"}},
}
T_HEADER = ["id", "area", "name_zh", "name_en", "unit", "comparator", "target", "target_hi", "tolerance",
            "target_year", "baseline_year", "kind", "reference_id", "lead_agency", "source_ref", "note"]
TARGETS = [
    ["P1", "population", "常住人口(合成)", "Resident population (synthetic)", "10k persons", "<=", "5200", "", "", "2020", "2015", "level", "", "", "synthetic clause", "synthetic"],
    ["L1", "housing", "保障房(合成)", "Social housing built (synthetic)", "units", ">=", "5000", "", "", "2020", "2015", "cumulative", "", "", "synthetic clause", "synthetic"],
    ["G12", "sport", "体育场地面积(合成)", "Sport ground per person (synthetic)", "m2 per person", ">=", "1.8", "", "", "2020", "2015", "level", "", "", "synthetic clause", "synthetic"],
]
S_HEADER = ["indicator_id", "geo", "year", "value", "unit", "source_title", "source_url", "note"]
STATS = [
    ["G12", "synnation", "2017", "1.66", "m2 per person", "synthetic yearbook", "https://example.org/syn", "synthetic"],
    ["G12", "synprov", "2015", "1.2", "m2 per person", "synthetic yearbook", "https://example.org/syn", "synthetic"],
    ["G12", "synprov", "2017", "1.5", "m2 per person", "synthetic yearbook", "https://example.org/syn", "synthetic"],
    ["L1", "synprov", "2016", "1200", "units", "synthetic yearbook", "https://example.org/syn", "synthetic"],
    ["P1", "synprov", "2015", "5000", "10k persons", "synthetic yearbook", "https://example.org/syn", "synthetic"],
]


def write_plan(folder: Path, plan: dict | str = PLAN, targets=TARGETS, stats=STATS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "plan.json").write_text(plan if isinstance(plan, str) else json.dumps(plan, ensure_ascii=False),
                                      encoding="utf-8")
    for name, header, rows in (("targets.csv", T_HEADER, targets), ("statistics.csv", S_HEADER, stats)):
        with open(folder / name, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(header)
            w.writerows(rows)
    return folder


def fuyang_words() -> list[str]:
    """Words that belong to the shipped default plan only: its own place, its document number,
    its area keys and labels, its target ids and names (not places it shares with other plans)."""
    meta = fuyang_plan.META
    shared = {g for p in paths.RAW_DIR.iterdir() if (p / "plan.json").is_file() and p.name != fuyang_plan.NAME
              for g in json.loads((p / "plan.json").read_text(encoding="utf-8")).get("geos", {})}
    words = {meta["jurisdiction"], meta["document_number"], "阜阳", "阜政发", "Fuyang"}
    words |= {g for g in meta["geos"] if g not in shared}
    words |= {meta["geos"][g][k] for g in meta["geos"] if g not in shared for k in ("zh", "en")}
    for a in meta["areas"]:
        words |= {rf"\b{a['key']}\b", a["zh"], a["en"]}
    with open(fuyang_plan.TARGETS, encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            words |= {r["id"], r["name_zh"]}
    return sorted(w for w in words if w)


def test_no_plan_specific_word_in_the_package_or_notebooks():
    words = fuyang_words()
    assert len(words) > 100 and "fuyang" in words and r"\bemployment\b" in words
    files = [*sorted((paths.PROJECT_ROOT / "src" / "helpers").rglob("*.py")),
             *sorted((paths.PROJECT_ROOT / "src" / "helpers" / "templates").rglob("*.*")),
             *sorted((paths.PROJECT_ROOT / "notebooks").glob("*.ipynb"))]
    found = []
    for f in files:
        text = f.read_text(encoding="utf-8")
        if f.suffix == ".ipynb":  # the nbval reference outputs are data, not code
            nb = json.loads(text)
            text = "\n".join("".join(c["source"]) for c in nb["cells"]) + json.dumps(nb["metadata"])
        low = text.lower()
        found += [f"{f.relative_to(paths.PROJECT_ROOT)}: {w}" for w in words
                  if (re.search(w, low) if w.startswith("\\b") else w.lower() in low)]
    assert not found, "plan-specific words in code:\n" + "\n".join(found)


@pytest.mark.parametrize("how", ["plan_dir", "files"])
def test_a_new_plan_validates_scores_templates_and_imports(tmp_path, capsys, how):
    folder = write_plan(tmp_path / "synprov_plan")
    args = (["--plan", str(folder)] if how == "plan_dir"
            else ["--targets", str(folder / "targets.csv"), "--statistics", str(folder / "statistics.csv")])
    assert main(["validate", *args]) == 0
    assert "ok: 3 targets, 5 statistics rows" in capsys.readouterr().out

    out = tmp_path / "gaps.csv"
    assert main(["gaps", *args, "--out", str(out)]) == 0
    rows = {(r["indicator_id"], r["year"]): r for r in csv.DictReader(open(out, encoding="utf-8"))}
    assert rows[("G12", "2017")]["status"] == "on_track"  # (1.5-1.2)/(1.8-1.2)=0.5 vs 0.4 expected
    assert rows[("L1", "2016")]["status"] == "on_track"   # 1200 of 5000 by 1/5 of the way: r = 1.2
    assert {r["geo"] for r in rows.values()} == {"synprov"}

    tpl = tmp_path / "fill.csv"
    assert main(["template", *args, "--out", str(tpl)]) == 0
    printed = capsys.readouterr().out
    # The next step names this plan, never the default plan's files.
    nxt = printed.strip().splitlines()[-1]
    assert f"import {tpl}" in nxt and (str(folder) in nxt) and "--dry-run" in nxt
    filled = tmp_path / "filled.csv"
    filled.write_text("indicator_id,year,value,source_title,source_url\n"
                      "G12,2018,1.6,synthetic yearbook 2019,https://example.org/syn2019\n", encoding="utf-8")
    default_stats = fuyang_plan.STATISTICS.read_bytes()
    assert main(["import", str(filled), *args]) == 0
    assert "G12,synprov,2018,1.6," in (folder / "statistics.csv").read_text(encoding="utf-8")
    assert fuyang_plan.STATISTICS.read_bytes() == default_stats


def test_the_plan_is_named_by_folder_and_outputs_follow_it(tmp_path, monkeypatch):
    from helpers.data.plan import locate

    folder = write_plan(tmp_path / "synprov_plan")
    files = locate(str(folder))
    assert files.name == "synprov_plan"
    assert files.processed_dir == paths.PROCESSED_DIR / "synprov_plan"
    assert files.reports_dir == tmp_path / "reports" / "synprov_plan"  # beside a plan kept outside data/raw/
    assert locate(targets=folder / "targets.csv").statistics_path == folder / "statistics.csv"
    assert locate().name == paths.DEFAULT_PLAN


@pytest.mark.slow
def test_a_new_plan_renders_with_its_own_labels_and_no_default_plan_word(tmp_path):
    from helpers.publish.render import render_reports

    folder = write_plan(tmp_path / "synprov_plan")
    out = render_reports(date="2024-02-02", plan=str(folder), out=tmp_path / "reports", progress=False)
    assert out == tmp_path / "reports" / "synprov_plan" / "2024-02-02"
    pages = {p.name: p.read_text(encoding="utf-8") for p in out.glob("*.html")}
    assert set(pages) == {"index.html", "overview.html", "area-population.html", "area-housing.html",
                          "area-sport.html", "data-coverage.html", "changes.html", "sources.html"}
    assert "住房(合成)" in pages["area-housing.html"] and "Housing (synthetic)" in pages["index.html"]
    assert "合成省" in pages["overview.html"]
    assert "Synnation" in pages["data-coverage.html"]  # the benchmark, by its label
    words = [w for w in fuyang_words() if not w.startswith("\\b")]
    for name, html in pages.items():
        hits = [w for w in words if w in html]
        assert not hits, f"{name} names the default plan: {hits}"
        text = re.sub(r"<[^>]+>", "", re.sub(r"<(style|script)\b.*?</\1>", "", html, flags=re.S))
        assert "()" not in text and "None" not in text, f"{name} has empty brackets or None"
    assert "synprov_plan/2024-02-02/index.html" in (tmp_path / "reports" / "index.html").read_text(encoding="utf-8")


def _bad(tmp_path, **change):
    plan = dict(PLAN)
    targets = [list(r) for r in TARGETS]
    if "plan" in change:
        plan = change["plan"]
    if "targets" in change:
        targets = change["targets"]
    return write_plan(tmp_path / "bad", plan, targets)


def _without(d: dict, key: str) -> dict:
    return {k: v for k, v in d.items() if k != key}


BAD_CASES = {
    "missing_areas": (dict(plan=_without(PLAN, "areas")), "plan.json", "column 'areas'", "required"),
    "undeclared_area": (dict(targets=[TARGETS[0], ["L1", "transport", *TARGETS[1][2:]], TARGETS[2]]),
                        "targets.csv:3", "column 'area'", "'transport' is not an area of this plan"),
    "duplicate_id": (dict(targets=[TARGETS[0], ["P1", *TARGETS[1][1:]], TARGETS[2]]),
                     "targets.csv:2", "column 'id'", "P1"),
    "id_with_space": (dict(targets=[TARGETS[0], ["L 1", *TARGETS[1][1:]], TARGETS[2]]),
                      "targets.csv:3", "column 'id'", "not a valid id"),
    "id_with_colon": (dict(targets=[TARGETS[0], ["L:1", *TARGETS[1][1:]], TARGETS[2]]),
                      "targets.csv:3", "column 'id'", "not a valid id"),
    "jurisdiction_without_label": (dict(plan={**PLAN, "geos": {"synnation": PLAN["geos"]["synnation"]}}),
                                   "plan.json", "column 'geos'", "'synprov' needs a label"),
    "malformed_json": (dict(plan='{"title_zh": "x",\n "areas": [}'), "plan.json:2", "", "not valid JSON"),
    "title_not_text": (dict(plan={**PLAN, "title_zh": 5}), "plan.json", "column 'title_zh'", "expected a text"),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_plan_files_exit_2_naming_file_key_and_write_nothing(tmp_path, capsys, case):
    change, where, column, text = BAD_CASES[case]
    folder = _bad(tmp_path, **change)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    out = tmp_path / "gaps.csv"
    for cmd in (["validate"], ["gaps", "--out", str(out)]):
        assert main([*cmd, "--plan", str(folder)]) == 2
        err = capsys.readouterr().err
        hits = [ln for ln in err.splitlines() if where in ln and column in ln and text in ln]
        assert hits, err
        assert "Traceback" not in err
    assert not out.exists()
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_an_unknown_plan_name_lists_the_shipped_plans(capsys):
    assert main(["validate", "--plan", "no_such_plan"]) == 2
    err = capsys.readouterr().err
    assert "unknown plan 'no_such_plan'" in err and fuyang_plan.NAME in err


def test_a_plan_folder_outside_the_project_renders_beside_itself_by_default(tmp_path):
    """Issue 24: a plan folder outside data/raw/ does not render into the project's reports/
    (whose archive lists the shipped plans) unless --out says so."""
    from helpers import cli, paths

    from helpers.data.plan import locate

    assert locate("fuyang").reports_root == paths.REPORTS_DIR
    outside = tmp_path / "my_plans" / "hubei"
    outside.mkdir(parents=True)
    import shutil

    for name in ("plan.json", "targets.csv", "statistics.csv"):
        shutil.copy(paths.RAW_DIR / "fuyang" / name, outside / name)
    args = cli.build_parser().parse_args(["render", "--plan", str(outside)])
    assert args.out is None
    cli._resolve_plan(args)  # what main() does before the handler
    assert args.out == tmp_path / "my_plans" / "reports" == locate(str(outside)).reports_root
    args = cli.build_parser().parse_args(["render", "--plan", "fuyang"])
    cli._resolve_plan(args)
    assert args.out == paths.REPORTS_DIR
