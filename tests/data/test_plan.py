"""plan.json read and checked (:func:`helpers.data.plan.read_plan_json`) on SYNTHETIC plans:
what json accepts silently or crashes on is a problem naming the file and the key (issue 23)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

import synthetic_inputs as syn
from helpers.cli import main
from helpers.data.plan import MAX_DEPTH, read_plan_json


def _plan_text(tmp_path: Path, text: str) -> tuple[Path, Path, Path]:
    t, s = syn.write_inputs(tmp_path)
    plan = tmp_path / "plan.json"
    plan.write_text(text, encoding="utf-8")
    return plan, t, s


def _validate_exits_2(capsys, t, s, plan, text):
    code = main(["validate", "--targets", str(t), "--statistics", str(s)])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err, err
    assert any(ln.startswith(f"{plan}:") and text in ln for ln in err.splitlines()), err


def test_invisible_characters_in_plan_json_are_refused_naming_the_key(tmp_path, capsys):
    meta = json.loads(json.dumps(syn.PLAN))
    meta["title_en"] = "Synthetic \u202eplan"
    meta["areas"][1]["zh"] = "教育\u200b"
    plan, t, s = _plan_text(tmp_path, json.dumps(meta, ensure_ascii=False))
    _, problems = read_plan_json(plan)
    found = {p.column: p.message for p in problems}
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in found["title_en"] and "<U+202E>" in found["title_en"]
    assert "U+200B ZERO WIDTH SPACE" in found["areas[1].zh"]
    _validate_exits_2(capsys, t, s, plan, "column 'title_en': 'Synthetic <U+202E>plan' contains invisible")


def test_a_repeated_key_is_refused_naming_it(tmp_path, capsys):
    text = json.dumps(syn.PLAN, ensure_ascii=False)
    text = text.replace('"jurisdiction":', '"title_en": "Synthetic plan, second title", "jurisdiction":', 1)
    plan, t, s = _plan_text(tmp_path, text)
    _, problems = read_plan_json(plan)
    assert [p.column for p in problems] == ["title_en"]
    assert "the key 'title_en' appears more than once" in problems[0].message
    _validate_exits_2(capsys, t, s, plan, "column 'title_en': the key 'title_en' appears more than once")


def test_a_repeated_key_inside_an_area_is_named_with_its_place(tmp_path):
    text = json.dumps(syn.PLAN, ensure_ascii=False)
    first = text.index('"key":', text.index('"areas"'))
    text = text[:first] + '"key": "dup", ' + text[first:]
    plan, _, _ = _plan_text(tmp_path, text)
    _, problems = read_plan_json(plan)
    assert any(p.column == "areas[0].key" and "appears more than once" in p.message for p in problems), problems


@pytest.mark.parametrize("depth", [MAX_DEPTH + 5, 100_000])
def test_deep_nesting_is_a_problem_not_a_recursion_error(tmp_path, capsys, depth):
    meta = json.dumps(syn.PLAN, ensure_ascii=False)
    text = meta[:-1] + ', "extra": ' + "[" * depth + "]" * depth + "}"
    plan, t, s = _plan_text(tmp_path, text)
    meta, problems = read_plan_json(plan)
    assert meta == {} and len(problems) == 1 and "nested too deeply" in problems[0].message
    _validate_exits_2(capsys, t, s, plan, "nested too deeply")


def test_unknown_keys_nested_a_little_are_still_fine(tmp_path):
    meta = json.loads(json.dumps(syn.PLAN))
    meta["notes"] = {"a": [{"b": [1, 2, {"c": "synthetic"}]}]}
    plan, _, _ = _plan_text(tmp_path, json.dumps(meta))
    assert read_plan_json(plan)[1] == []


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="needs /dev/null")
def test_plan_json_linked_to_a_device_is_named_as_such(tmp_path, capsys):
    t, s = syn.write_inputs(tmp_path)
    plan = tmp_path / "plan.json"
    plan.unlink()
    plan.symlink_to("/dev/null")
    _, problems = read_plan_json(plan)
    assert [p.message for p in problems] == ["not a regular file: this is a device; give the path of a plan.json file"]
    _validate_exits_2(capsys, t, s, plan, "not a regular file: this is a device")


# ---- issue 23 D4: plan folders whose names cannot name an output folder as they are

def test_plan_folders_with_other_names_get_distinct_stable_output_names(tmp_path):
    from helpers.data.plan import locate, plan_slug

    names = ["my plan", "my_plan", "2024 年度计划", "2025 年度计划", "план", "план развития", "fuyang"]
    located = []
    for name in names:
        syn.write_inputs(tmp_path / name)
        located.append(locate(tmp_path / name).name)
    assert located[1] == "my_plan" and located[-1] == "fuyang"  # ordinary names as they are
    assert len(set(located)) == len(names)  # never two plans in one output folder
    assert located[0].startswith("my-plan-") and located[2].startswith("2024-") and located[4].startswith("plan-")
    assert all(re.fullmatch(r"[A-Za-z0-9_.\-]+", n) for n in located)
    assert [plan_slug(n) for n in names] == located  # stable: the same name, the same slug
    t = tmp_path / names[2] / "targets.csv"
    assert locate(targets=t, statistics=t.parent / "statistics.csv").name == located[2]
