"""helpers.data.extract: one test per rule (real sentences), Fuyang's text against its hand-coded
targets, and sentences of other plans (tests/data/fixtures/extract_other_plans.json)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from helpers.data.extract import TARGET_COLUMNS, extract_file, extract_text, run_extract
from helpers.exceptions import ValidationError

ROOT = Path(__file__).resolve().parents[2]
FUYANG_TEXT = ROOT.parent / "shared" / "source" / "fuyang_2017_50_livelihood_plan.txt"
if not FUYANG_TEXT.exists():   # a worktree beside the main checkout
    FUYANG_TEXT = Path("/work/shared/source/fuyang_2017_50_livelihood_plan.txt")
FUYANG_TARGETS = ROOT / "data" / "raw" / "fuyang" / "targets.csv"
OTHER_PLANS = Path(__file__).parent / "fixtures" / "extract_other_plans.json"


def rows(text: str) -> list[dict]:
    return extract_text(text, source_name="test").targets.to_dict("records")


def one(text: str) -> dict:
    r = rows(text)
    assert len(r) == 1, r
    return r[0]


def same(a, b) -> bool:
    if a is None or (isinstance(a, float) and math.isnan(a)) or a is pd.NA:
        return b is None or (isinstance(b, float) and math.isnan(b)) or b is pd.NA or b == ""
    try:
        return abs(float(a) - float(b)) < 1e-9
    except (TypeError, ValueError):
        return False


# ------------------------------------------------------------------------------ one rule, one test

def test_comparator_after_yishang():           # Fuyang (四)
    r = one("到2021年,应届高校毕业生就业率保持在90%以上。")
    assert (r["comparator"], r["target"], r["unit"], r["kind"], r["target_year"]) == (">=", 90, "%", "level", 2021)


def test_comparator_before_budiyu():           # Fuyang (六)
    r = one("市、县、乡级妇幼保健计生服务机构中卫生技术人员比例不低于80%。")
    assert (r["comparator"], r["target"]) == (">=", 80)


def test_comparator_yinei_ceiling():           # 2019 government work report
    r = one("今年城镇新增就业1100万人以上,城镇调查失业率5.5%左右,城镇登记失业率4.5%以内。".split(",")[2])
    assert (r["comparator"], r["target"]) == ("<=", 4.5)


def test_kongzhizai_zuoyou_is_a_ceiling_flagged():   # Fuyang (四): the hand coder's reading
    r = one("城镇登记失业率控制在4.5%左右。")
    assert (r["comparator"], r["target"]) == ("<=", 4.5) and "ceiling" in r["check"]


def test_zuoyou_about_with_default_tolerance():   # Fuyang (七)
    r = one("城乡居民基本医疗保险政策范围内住院费用支付比例稳定在75%左右。")
    assert (r["comparator"], r["target"]) == ("~", 75) and r["tolerance"] > 0 and "tolerance" in r["check"]


def test_range_between():                       # Fuyang (十)
    r = one("中小河流防洪标准总体达到10—20年一遇。")
    assert (r["comparator"], r["target"], r["target_hi"], r["unit"]) == ("between", 10, 20, "年一遇")


def test_several_values_fenbie():               # Fuyang (六)
    r = rows("婴儿死亡率、五岁以下儿童死亡率、孕产妇死亡率分别控制在7‰、9‰和18/10万以下。")
    assert [(x["name_zh"], x["comparator"], x["target"], x["unit"]) for x in r] == [
        ("婴儿死亡率", "<=", 7, "‰"), ("五岁以下儿童死亡率", "<=", 9, "‰"), ("孕产妇死亡率", "<=", 18, "/10万")]


def test_several_subjects_jun():                # Fuyang (七)
    r = rows("城乡基本养老保险、基本医疗保险参保率均达到95%以上。")
    assert len(r) == 2 and all((x["comparator"], x["target"]) == (">=", 95) for x in r)


def test_meinian_annual():                      # Fuyang (四)
    r = one("积极推进和落实退役军人就业创业扶持政策,每年培训退役士兵1300名。")
    assert (r["kind"], r["target"], r["unit"], r["name_zh"]) == ("annual", 1300, "名", "每年培训退役士兵")


def test_nianjun_count_is_annual_mean():        # Fuyang (五)
    assert one("开展各级乡村教师培训,年均完成5万人次教师培训。")["kind"] == "annual_mean"


def test_nianjun_growth_is_rate_avg():          # 广州“十四五”规划纲要 (chaogb.com)
    r = one("经济发展进入全新阶段,年均增长6%左右。")
    assert (r["kind"], r["comparator"], r["target"]) == ("rate_avg", "~", 6)


def test_reduction_sign_convention():           # 2018 government work report (Traditional)
    r = one("單位國內生產總值能耗下降3%以上。")
    assert (r["kind"], r["comparator"], r["target"]) == ("rate_total", "<=", -3)


def test_change_in_points():
    r = one("到2025年,全国森林覆盖率提高1.5个百分点。")
    assert (r["kind"], r["target"]) == ("change", 1.5)


def test_flow_verb_cumulative_and_inherited():  # Fuyang (五)
    r = rows("加快发展现代职业教育,建成11所省级示范(特色)中等职业学校,41个省级示范专业,41个示范实训基地。")
    assert [(x["kind"], x["target"]) for x in r] == [("cumulative", 11), ("cumulative", 41), ("cumulative", 41)]


def test_new_jobs_without_meinian_is_annual_flagged():   # Fuyang (四)
    r = one("坚持就业优先战略,城镇新增就业4.1万人以上。")
    assert (r["kind"], r["target"]) == ("annual", 4.1) and "每年 not stated" in r["check"]


def test_full_coverage_is_100():                # Fuyang (五)
    r = one("实现家庭经济困难学生资助全覆盖;")
    assert (r["comparator"], r["target"], r["unit"]) == (">=", 100, "%")


def test_eliminate_is_zero_per_subject():       # Fuyang (十一)
    r = rows("城市生活污水处理率达到95%以上,劣V类水体、城市建成区黑臭水体基本消除。")
    assert [(x["comparator"], x["target"]) for x in r] == [(">=", 95), ("<=", 0), ("<=", 0)]


def test_direction_without_number():            # Fuyang (八)
    r = one("参加体育锻炼的人数明显增加,群众身体素质稳步增强。")
    assert r["kind"] == "direction" and pd.isna(r["target"])


def test_horizon_inherited_and_overridden():    # Fuyang (十二) and a default from the period
    t = ("扎实推进今后五年(2017—2021年)我市民生工作。\n(四)促进就业\n每年开发2800个公益性岗位。\n"
         "到2020年,实现516个贫困村出列。")
    r = rows(t)
    assert [(x["target_year"], x["baseline_year"], x["area"]) for x in r] == [(2021, 2016, "s04"), (2020, 2016, "s04")]
    assert r[0]["source_ref"] == "(四) 每年开发2800个公益性岗位"


def test_traditional_reads_as_simplified_and_keeps_original():   # 2024 report, big5 repost
    r = rows("今年發展主要預期目標是:國內生産總值增長5%左右;城鎮新增就業1200萬人以上,城鎮調查失業率5.5%左右。")
    assert [(x["comparator"], x["target"], x["unit"]) for x in r] == [("~", 5, "%"), (">=", 1200, "万人"), ("~", 5.5, "%")]
    assert "城鎮新增就業1200萬人以上" in r[1]["source_ref"]


def test_history_is_not_a_target():             # 山东省2016年政府工作报告 (dzwww.com)
    d = extract_text("刚刚过去的2015年,全省生产总值比上年增长8%,地方一般公共预算收入增长10%。", source_name="t")
    assert d.targets.empty and any("history" in r["reason"] for r in d.rejected)


def test_budget_and_document_numbers_are_not_targets():
    d = extract_text("根据《安徽省人民政府关于扎实推进民生工作的意见》(皖政〔2017〕58号)要求,"
                     "省财政安排专项资金50亿元。", source_name="t")
    assert d.targets.empty and {r["reason"].split(" ")[0] for r in d.rejected} >= {"budget", "a"}


def test_digits_of_names_are_not_values():      # 郑州市乡村建设行动实施方案
    r = one("实现乡镇、农村热点区域5G网络全覆盖")
    assert r["target"] == 100


def test_two_numbers_run_together_rejected():   # scholarmate.com: "1 1 00万人以上"
    d = extract_text("今年的就业工作预期目标——城镇新增就业1 1 00万人以上。", source_name="t")
    assert d.targets.empty and "run together" in d.rejected[0]["reason"]


# ------------------------------------------------------------------------------ files

def test_extract_file_writes_the_folder(tmp_path):
    src = tmp_path / "plan.txt"
    src.write_text(FUYANG_TEXT.read_text(encoding="utf-8"), encoding="gb18030")
    line = run_extract(src, tmp_path / "out")
    assert line.startswith("extract: ") and "targets" in line
    t = pd.read_csv(tmp_path / "out" / "targets.csv", dtype=str, keep_default_na=False)
    assert list(t.columns) == list(TARGET_COLUMNS) and len(t) >= 75
    meta = json.loads((tmp_path / "out" / "plan.json").read_text(encoding="utf-8"))
    assert meta["document_number"] == "阜政发〔2017〕50号" and set(t["area"]) <= {a["key"] for a in meta["areas"]}
    assert (tmp_path / "out" / "statistics.csv").read_text().startswith("indicator_id,geo,year")
    html = (tmp_path / "out" / "review.html").read_text(encoding="utf-8")
    assert 'id="clause-s04.01"' in html and "history" not in html[:0]


@pytest.mark.parametrize("content, word", [(b"", "empty"), (b"\x00\x01PK\x03\x04binary", "binary"),
                                           (b"\xff\xfe\xfa\xfb\xfc\xfd\xfe\xff" * 3, "not readable"),
                                           ("今天天气很好。".encode(), "no target")])
def test_bad_inputs_name_the_file(tmp_path, content, word):
    src = tmp_path / "in.txt"
    src.write_bytes(content)
    with pytest.raises(ValidationError) as e:
        extract_file(src, tmp_path / "out")
    assert str(src) in str(e.value) and word in str(e.value)
    assert not (tmp_path / "out").exists()


def test_html_input(tmp_path):
    src = tmp_path / "p.html"
    src.write_text("<html><script>var x=5;</script><p>到2021年,森林覆盖率达到20%以上。</p></html>", encoding="utf-8")
    assert run_extract(src, tmp_path / "o").startswith("extract: 1 targets")


# ------------------------------------------------------------------------------ Fuyang

def _plain(s: str) -> str:
    """Quotes dropped and full-width commas as the text writes them (the hand table uses ，)."""
    return s.replace('"', "").replace("“", "").replace("”", "").replace("，", ",")


def _match(hand: pd.DataFrame, draft: pd.DataFrame):
    """Pair each hand row with a draft row: same section, every fragment of the hand's
    source_ref (split at …) inside the draft's clause, the same value (then the closest name)."""
    used, pairs = set(), []
    for _, h in hand.iterrows():
        sec, _, ref = h["source_ref"].partition(" ")
        frags = [_plain(f) for f in ref.split("…") if f.strip('"')]
        cands = [d for d in draft.itertuples() if d.Index not in used and d.source_ref.startswith(sec + " ")
                 and all(f in _plain(d.source_ref) or _plain(d.source_ref.partition(" ")[2]) in f for f in frags)]
        cands.sort(key=lambda d: (not same(d.target, h["target"]),
                                  -len(set(d.name_zh) & set(h["name_zh"]))))
        best = cands[0] if cands else None
        if best is not None:
            used.add(best.Index)
        pairs.append((h, best))
    return pairs


def test_fuyang_recall_and_exactness():
    hand = pd.read_csv(FUYANG_TARGETS, dtype={"target": float, "target_year": "Int64"})
    draft = extract_text(FUYANG_TEXT.read_text(encoding="utf-8"), source_name="fuyang").targets
    pairs = _match(hand, draft)
    found = [(h, d) for h, d in pairs if d is not None]
    exact = [(h, d) for h, d in found if same(d.target, h["target"]) and d.comparator == h["comparator"]
             and d.kind == h["kind"] and int(d.target_year) == int(h["target_year"])]
    exact_ids = {h["id"] for h, _ in exact}
    for h, d in pairs:
        if d is None or h["id"] not in exact_ids:
            got = "missing" if d is None else f"{d.comparator} {d.target} {d.kind} {d.target_year}"
            print(f"DIFF {h['id']}: hand {h['comparator']} {h['target']} {h['kind']} {h['target_year']}; draft {got}")
    print(f"Fuyang: {len(hand)} hand targets, {len(draft)} draft rows; found {len(found)} "
          f"({len(found) / len(hand):.1%}); value+comparator+kind+year right {len(exact)} "
          f"({len(exact) / len(hand):.1%} of all, {len(exact) / max(1, len(found)):.1%} of found); "
          f"draft rows not in the hand table {len(draft) - len(found)}")
    assert len(exact) / len(hand) >= 0.95


# ------------------------------------------------------------------------------ other plans

def _other_plan_scores():
    docs = json.loads(OTHER_PLANS.read_text(encoding="utf-8"))
    n_hand = n_found = n_exact = n_draft = n_draft_true = 0
    lines = []
    for doc in docs:
        hand = doc["targets"]
        draft = extract_text(doc["text"], source_name=doc["title"]).targets
        numeric = draft[draft["target"].notna()]
        used = set()
        for h in hand:
            cands = [d for d in numeric.itertuples() if d.Index not in used and same(d.target, h["target"])
                     and h["clause"] in d.source_ref]
            if not cands:
                lines.append(f"MISS {doc['title']}: {h['clause']} {h['target']}")
                continue
            d = cands[0]
            used.add(d.Index)
            n_found += 1
            if d.comparator == h["comparator"] and d.kind == h["kind"]:
                n_exact += 1
            else:
                lines.append(f"INEXACT {doc['title']}: {h['clause']}: hand {h['comparator']} {h['kind']}, "
                             f"draft {d.comparator} {d.kind}")
        n_hand += len(hand)
        n_draft += len(numeric)
        n_draft_true += len(used)
        for d in numeric.itertuples():
            if d.Index not in used:
                lines.append(f"EXTRA {doc['title']}: {d.source_ref} {d.target}")
    return len(docs), n_hand, n_found, n_exact, n_draft, n_draft_true, lines


def test_other_plans_fixture_is_sourced():
    docs = json.loads(OTHER_PLANS.read_text(encoding="utf-8"))
    assert len(docs) >= 8 and sum(len(d["targets"]) for d in docs) >= 60
    for d in docs:
        assert d["url"].startswith("http") and d["title"]
        for t in d["targets"]:
            assert t["clause"] in d["text"], t


def test_other_plans_recall_exactness_precision():
    n_docs, n_hand, n_found, n_exact, n_draft, n_true, lines = _other_plan_scores()
    print("\n".join(lines))
    print(f"other plans: {n_docs} documents, {n_hand} targets; recall {n_found / n_hand:.1%}, "
          f"value+comparator+kind exact {n_exact / max(1, n_found):.1%} of found, "
          f"precision {n_true / max(1, n_draft):.1%} ({n_true} of {n_draft} numeric draft rows)")
    assert n_found / n_hand >= 0.90
    assert n_exact / max(1, n_found) >= 0.85
    assert n_true / max(1, n_draft) >= 0.85


def test_draft_folder_validates(tmp_path):
    """extract → validate: the Fuyang draft passes the contract's checks as written (its years
    are all in the text)."""
    import subprocess
    import sys

    run_extract(FUYANG_TEXT, tmp_path / "fy")
    p = subprocess.run([sys.executable, "-m", "helpers", "validate", "--plan", str(tmp_path / "fy")],
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stdout + p.stderr
