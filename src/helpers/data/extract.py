"""Draft a plan's target table from its text (``python -m helpers extract TEXT --out DIR``).

Chinese plans state their targets in a small vocabulary: a subject, a verb (达到, 控制在, 新增…),
a value with its unit and a comparator word (以上, 以内, 左右). This module reads a text clause by
clause with the tables of :mod:`helpers.data.extract_rules` and returns a :class:`Draft`: the
targets in the data contract's columns plus ``check`` (why a row needs a look), the plan's
metadata, every numeric clause *not* taken with the reason, and the clause spans the review page
highlights. Traditional characters are read through a one-for-one mapping, so every position in
the normalised text is the same position in the original, which ``source_ref`` and names quote.
No network, no model: plain ``re``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers.data import extract_rules as R
from helpers.data.extract_rules import cn_number as _cn_number, last_word as _last_word, paragraphs as _paragraphs
from helpers.data.extract_rules import strip_words as _strip_words, year_of as _year_of
from helpers.data.schema import STATISTICS_COLUMNS
from helpers.data.extract_review import plan_meta, read_text, review_html
from helpers.data.fileio import atomic_write_bytes
from helpers.exceptions import OutputError, Problem, ValidationError

#: The targets table's columns (docs/data_contract.md), then the draft's own ``check``.
TARGET_COLUMNS = ("id", "area", "name_zh", "name_en", "unit", "unit_zh", "comparator", "target",
                  "target_hi", "tolerance", "target_year", "baseline_year", "kind", "reference_id",
                  "value_unit", "baseline_value", "binding", "lead_agency", "source_ref", "note", "check")
COUNTING_KINDS = ("annual", "cumulative", "period_total", "annual_mean")


@dataclass
class Draft:
    """What :func:`extract_text` read: ``targets`` (one row per target, :data:`TARGET_COLUMNS`),
    ``meta`` (plan.json), ``rejected`` (numeric clauses not taken: text, reason, start, end),
    ``spans`` (target id, start, end of its clause in ``text``), the original ``text``."""

    targets: pd.DataFrame
    meta: dict
    rejected: list[dict] = field(default_factory=list)
    spans: list[dict] = field(default_factory=list)
    text: str = ""
    source_name: str = ""

    @property
    def unsure(self) -> pd.DataFrame:
        """The rows with a ``check``, first; then the others."""
        t = self.targets
        return pd.concat([t[t["check"] != ""], t[t["check"] == ""]])


# ------------------------------------------------------------------------------ patterns

def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_NUM = r"\d+(?:\.\d+)?"
_UNIT = _alt(R.UNITS_COUNT + R.UNITS_LEVEL)
_QTY = re.compile(rf"(?P<a>{_NUM})(?P<u1>{_UNIT})?(?:\s*(?:[—\-–~]|至)\s*(?P<b>{_NUM}))?(?P<unit>{_UNIT})?")
_AFTER = re.compile(rf"(?:{_alt(w for w, _ in R.COMPARATOR_AFTER)})")
_HORIZON = re.compile(r"(?:到|至)\s*(\d{4})\s*年|(\d{4})\s*年\s*(?:年底|年末|底|末)\s*前?|(\d{4})年前"
                      r"|(今年)|“?(十[一二三四五]五)”?(?:时期|期间|末)")
_SECTION = re.compile(r"^\s*([(（][一二三四五六七八九十]+[)）])\s*([^。;；]{0,40})")
_CHAPTER = re.compile(r"^\s*([一二三四五六七八九十]+、|第[一二三四五六七八九十]+[章节部分])\s*(\S[^。]{0,30})")
_PERIOD = re.compile(R.PERIOD_PATTERN)
_DOC_YEAR = re.compile(r"(20\d{2})年(?:全[省市区县国])?(?:国民)?(?:经济(?:和)?社会)?(?:发展)?(?:的)?(?:主要预期目标|计划|目标)")
_CLAUSE_SPLIT = re.compile(r"[;:]|(?<!\d),|,(?!\d{3}(?!\d))|[。!?！？\n]")
_LIST_JOIN = re.compile(r"^\s*(?:、|和|及|与|,)\s*$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_RIGHT_FILLER = R.TO_LEVEL_WORDS + tuple(w for w, _ in R.COMPARATOR_BEFORE) + ("均", "分别", "的", "、", "总体")


# ------------------------------------------------------------------------------ the reader

class _Reader:
    def __init__(self, text: str, source_name: str):
        self.text, self.source = text, source_name
        self.norm = text.translate(R.TRAD_TO_SIMP)
        self.meta = plan_meta(text, self.norm, source_name)
        dy = _DOC_YEAR.search(self.norm)
        self.doc_year = int(dy.group(1)) if dy else None
        period = self.meta.get("period")
        self.annual_doc = (bool(dy) or ("今年" in self.norm and "预期目标" in self.norm)) and not period
        self.history_mode = False
        self.default_year = period[1] if period else self.doc_year
        self.baseline = period[0] - 1 if period else (self.doc_year - 1 if self.doc_year else None)
        self.rows: list[dict] = []
        self.rejected: list[dict] = []
        self.areas: dict[str, str] = {}
        self.counts: dict[str, int] = {}

    # ---- structure
    def run(self) -> Draft:
        area, area_zh, sec_no, sec_year, agency = "main", "正文", "", None, ""
        for start, end in _paragraphs(self.norm):
            para = self.norm[start:end]
            if not para.strip():
                continue
            m = _SECTION.match(para) or _CHAPTER.match(para)
            if m:
                sec_no = self.text[start + m.start(1):start + m.end(1)].strip()
                num = re.sub(r"[^一二三四五六七八九十]", "", m.group(1))
                area = ("s" if m.re is _SECTION else "c") + f"{_cn_number(num):02d}"
                area_zh = self.text[start + m.start(2):start + m.end(2)].strip()
                hz = _HORIZON.search(para)
                sec_year = _year_of(hz, self.doc_year) if hz else None
                ag = re.search(r"牵头单位[:：]\s*([^;；)）]+)", self.norm[start:self._section_end(end)])
                agency = self.text[start + ag.start(1):start + ag.end(1)] if ag else ""
            self._paragraph(start, end, area, area_zh, sec_no, sec_year, agency)
        return self._draft()

    def _section_end(self, pos: int) -> int:
        nxt = re.compile(r"\n\s*[(（][一二三四五六七八九十]+[)）]").search(self.norm, pos)
        return nxt.start() if nxt else len(self.norm)

    def _paragraph(self, start, end, area, area_zh, sec_no, sec_year, agency):
        ctx = dict(area=area, area_zh=area_zh, sec=sec_no, agency=agency)
        para = self.norm[start:end]
        first = re.match(r"[^。!?！？]*", para).group(0)
        if any(w in para for w in ("预期目标", "主要目标", "今年")) or re.search(r"到20\d{2}年", para):
            self.history_mode = False
        if any(w in first for w in R.HISTORY_OPENERS):
            self.history_mode = True
        year = sec_year or self.default_year
        s0 = start
        for sm in re.finditer(r"[^。!?！？]+[。!?！？]?", self.norm[start:end]):
            ss, se = start + sm.start(), start + sm.end()
            sentence = self.norm[ss:se]
            verb = None
            pos = ss
            for cm in list(_CLAUSE_SPLIT.finditer(sentence)) + [None]:
                ce = ss + cm.start() if cm else se
                cs = pos
                pos = ss + cm.end() if cm else se
                if ce <= cs:
                    continue
                for hz in _HORIZON.finditer(self.norm, s0, ce):
                    y = _year_of(hz, self.doc_year)
                    year = y or year
                    s0 = hz.end()
                verb = self._clause(cs, ce, sentence, year, ctx, verb)

    # ---- one clause
    def _clause(self, cs, ce, sentence, year, ctx, inherited_verb):
        norm = self.norm[cs:ce]
        if "牵头单位" in norm or "责任单位" in norm:
            return inherited_verb
        qtys, skipped = self._quantities(cs, ce)
        found = []
        if not qtys:
            found = [] if self.history_mode else self._qualitative(cs, ce, norm)
        elif qtys:
            reason = "history? (a paragraph about the past)" if self.history_mode else self._trap(norm, sentence, qtys)
            if reason:
                self._reject(cs, ce, reason)
                return inherited_verb
            found = self._numeric(cs, ce, qtys, inherited_verb)
            for seg in re.finditer(r"[^、]+", norm):
                if not re.search(r"\d", seg.group(0)):
                    found += self._qualitative(cs + seg.start(), cs + seg.end(), seg.group(0), split=False)
        if found:
            verbs = [v for r in found if (v := r.pop("_verb", None))]
            for row in found:
                self._finish(row, cs, ce, year, ctx)
            return verbs[-1] if verbs else inherited_verb
        if re.search(r"\d", norm) and not _only_horizon(norm):
            self._reject(cs, ce, skipped or "no unit or goal wording with the number")
        return inherited_verb

    def _reject(self, cs, ce, reason):
        self.rejected.append({"text": self.text[cs:ce].strip(), "reason": reason, "start": cs, "end": ce})

    def _quantities(self, cs, ce):
        """Values of the clause: (match start, end incl. comparator, a, b, unit, post comparator)."""
        out, skipped = [], ""
        norm = self.norm
        for m in _QTY.finditer(norm, cs, ce):
            a, b, unit = m.group("a"), m.group("b"), m.group("unit") or m.group("u1") or ""
            before = norm[max(cs, m.start() - 2):m.start()]
            after = norm[m.end():m.end() + 2]
            if before[-1:] in R.NAME_DIGIT_BEFORE and before[-1:] or after[:1] in R.NAME_DIGIT_AFTER and after[:1]:
                skipped = skipped or "a digit of a name (5G, PM2.5…)"
                continue
            if re.search(r"\d[ \u00a0]$", norm[max(cs, m.start() - 2):m.start()]) or re.match(r"[ \u00a0]\d", after):
                skipped = "two numbers run together?"
                continue
            if re.fullmatch(r"(?:19|20)\d{2}", a) and (unit in ("", "年") or norm.startswith("年", m.end("a"))):
                if not unit.startswith("年一"):
                    continue
            if (after[:1] and after[:1] in "月日号时") or (before[-1:] and before[-1:] in "〔[［第") \
                    or len(a.split(".")[0]) >= 7:
                skipped = skipped or "a date, document number or phone number"
                continue
            if _in_brackets(norm, m.start(), cs, ce):
                skipped = skipped or "a number in brackets (an aside)"
                continue
            post = _AFTER.match(norm, m.end(), ce)
            tail = post.end() if post else m.end()
            if unit in ("岁", "周岁") and post and _CJK.match(norm, tail, ce):
                skipped = skipped or "an age in a name (3岁以下…)"
                continue
            if not unit and not post and not self._pre_comparator(cs, m.start()):
                skipped = skipped or "a number without unit or comparator"
                continue
            if b is not None and float(b) <= float(a):
                b = None
            out.append(dict(s=m.start(), e=tail, ue=m.end(), a=float(a), b=float(b) if b else None,
                            unit=unit, post=dict(R.COMPARATOR_AFTER).get(post.group(0)) if post else None))
        return out, skipped

    def _pre_comparator(self, cs, pos):
        pre = self.norm[cs:pos]
        for w, c in sorted(R.COMPARATOR_BEFORE, key=lambda x: -len(x[0])):
            if pre.endswith(w):
                return w, c
        return None

    def _trap(self, norm, sentence, qtys):
        goal = any(w in sentence for w in R.GOAL_WORDS) or _HORIZON.search(sentence)
        if any(w in sentence for w in R.HISTORY_WORDS) and not (goal and not re.search("截至|截止|去年|了", norm)):
            return "history? (a past figure)"
        past = [int(y) for y in re.findall(r"(?<![到至比较从于])(20\d{2}|19\d{2})年(?![底末前])", sentence)]
        if past and self.baseline and min(past) <= self.baseline and not goal:
            return "history? (a past year)"
        if any(q["unit"] in R.MONEY_UNITS for q in qtys) and any(w in norm for w in R.BUDGET_WORDS):
            return "budget (money to spend, not a result)"
        return None

    # ---- numbers
    def _numeric(self, cs, ce, qtys, inherited_verb):
        norm, rows = self.norm, []
        groups: list[list[dict]] = []
        for q in qtys:   # values joined by 、/和 form one list ("7‰、9‰和18/10万以下")
            if groups and _LIST_JOIN.match(norm[groups[-1][-1]["e"]:q["s"]]):
                groups[-1].append(q)
            else:
                groups.append([q])
        prev_end = cs
        for g in groups:
            last_post = g[-1]["post"]
            subj_s, subj_e = prev_end, g[0]["s"]
            subject = norm[subj_s:subj_e]
            pre = self._pre_comparator(cs, g[0]["s"])
            names = self._subjects(subj_s, subj_e, len(g), subject)
            kind = None
            for i, q in enumerate(g):
                q["post"] = q["post"] or last_post
                row = self._one(cs, ce, q, subj_s, subj_e, names[i] if names else None, pre, inherited_verb, kind)
                if row is None:
                    continue
                kind = kind or (row["kind"], -1 if row["target"] < 0 else 1)
                rows.append(row)
            if rows and len(g) == 1 and re.search(r"(?<![人年平])均\S{0,3}$", subject) and re.search("[、和]", subject):
                base = rows[-1]
                for k, nm in enumerate(self._split_names(subj_s, subj_e)):
                    rows.insert(len(rows) - 1 + k, {**base, "name_zh": nm}) if k else base.update(name_zh=nm)
            prev_end = g[-1]["e"]
        return rows

    def _subjects(self, s, e, n, subject):
        if n < 2 or "分别" not in subject:
            return None
        e2 = s + subject.index("分别")
        names = self._split_names(s, e2)
        return names if len(names) == n else None

    def _split_names(self, s, e):
        out = []
        for m in re.finditer(r"[^、和及]+", self.norm[s:e]):
            a, b = _strip_words(self.norm, s + m.start(), s + m.end(), R.NAME_FILLER, right=False)
            a, b = _strip_words(self.norm, a, b, _RIGHT_FILLER, left=False)
            if b > a:
                out.append(self.text[a:b])
        return out

    def _one(self, cs, ce, q, subj_s, subj_e, name, pre, inherited_verb, group_kind):
        norm = self.norm
        unit, check = q["unit"], []
        pre_text = norm[subj_s:q["s"]]
        clause = norm[cs:ce]
        count_first = bool(_CJK.match(norm, q["e"], ce)) and unit in R.UNITS_COUNT and not q["post"]
        if count_first:   # "完成N套…系统", "…,N个示范专业": the count comes first
            seg_s = max(subj_s, norm.rfind("、", subj_s, q["s"]) + 1)
            nxt = re.search(r"[、,]|$", norm[q["e"]:ce])
            verb = (_last_word(norm[q["e"]:q["e"] + nxt.start()], R.FLOW_VERBS)
                    or _last_word(norm[seg_s:q["s"]], R.TO_LEVEL_WORDS + R.FLOW_VERBS)
                    or (inherited_verb if not norm[seg_s:q["s"]].strip() else None))
            subj_s = seg_s
        else:
            verb = _last_word(norm[cs:q["s"]], R.TO_LEVEL_WORDS + R.FLOW_VERBS)
            if verb is None and unit in R.UNITS_COUNT and norm[cs:q["s"]].strip() == "":
                verb = inherited_verb   # "建成100个以上…,500个以上…"
        kind, sign = group_kind or self._kind(clause, pre_text, unit, verb, check, q)
        if not (q["post"] or pre or verb or q["b"] is not None or kind != "level" or unit in ("%", "‰")
                and re.search(r"率|比例|比重|占比", pre_text)):
            return None   # "未来5年", "其中10家": a number with no goal wording
        # comparator
        if q["post"]:
            cmp = q["post"]
            if cmp == "~" and pre and pre[0] in R.CEILING_BEATS_ABOUT:
                cmp = "<="
                check.append(f"{pre[0]}…左右 read as a ceiling")
        elif pre:
            cmp = pre[1]
        elif sign < 0:
            cmp = ">="
        elif any(w in (name or pre_text) or w in clause[:q["s"] - cs] for w in R.CEILING_SUBJECTS):
            cmp = "<="
        else:
            cmp = ">="
        a, b = q["a"], q["b"]
        if sign < 0:
            a, b = (-b, -a) if b is not None else (-a, None)
            cmp = {">=": "<=", "<=": ">="}.get(cmp, cmp)
        row = dict(comparator="between" if b is not None else cmp, target=a, target_hi=b, kind=kind,
                   unit=unit, unit_zh=unit, _verb=verb)
        if cmp == "~" and b is None:
            row["tolerance"] = round(abs(a) * 0.05, 3) or 0.5
            check.append("左右: tolerance is a default (5 % of the value), choose one")
        if not unit:
            check.append("unit not stated")
        # name: subject before the value, plus the noun after a count ("N个示范专业")
        if name is None:
            a_, b_ = _strip_words(norm, subj_s, q["s"], R.NAME_FILLER, right=False)
            a_, b_ = _strip_words(norm, a_, b_, _RIGHT_FILLER, left=False)
            name = self.text[a_:b_] if b_ > a_ else ""
            if count_first:
                nm = re.match(r"[^、,和及与]+", norm[q["e"]:ce])
                if nm:
                    x, y = _strip_words(norm, q["e"], q["e"] + nm.end(), ("建设", "全部摘帽", "出列"), left=False)
                    name += self.text[x:y]
        row["name_zh"] = name or self.text[cs:ce].strip()
        row["check"] = check
        return row

    def _kind(self, clause, pre_text, unit, verb, check, q):
        """(kind, sign) of a value: sign -1 for a reduction (stored negative)."""
        near = pre_text[-8:]
        if unit == "年一遇":
            return "level", 1
        if unit in R.CHANGE_UNITS or (unit in ("岁", "年") and re.search(r"(?:提高|增加|延长)$", near)):
            return "change", (-1 if re.search(_alt(R.REDUCTION_WORDS) + "$", near) else 1)
        rate = unit in ("%", "‰", "")
        red = re.search(f"(?:{_alt(R.REDUCTION_WORDS)})(?:{_alt(w for w, _ in R.COMPARATOR_BEFORE)})?$", near)
        grow = re.search(f"(?:{_alt(R.GROWTH_WORDS)})(?:{_alt(w for w, _ in R.COMPARATOR_BEFORE)})?$", near)
        if rate and (red or grow):
            if any(w in clause for w in R.MEAN_WORDS):
                return "rate_avg", (-1 if red else 1)
            if any(w in clause for w in R.CUMULATIVE_WORDS) or (red and any(w in clause for w in R.INTENSITY_WORDS)):
                return "rate_total", (-1 if red else 1)
            if red or re.search(r"比20\d{2}年", clause):
                return "change_pct", (-1 if red else 1)
            if not self.annual_doc:
                check.append("年均 not stated: read as the average yearly rate")
            return "rate_avg", 1
        if unit not in R.UNITS_COUNT or any(w in pre_text for w in R.RATIO_SUBJECT_WORDS):
            return "level", 1
        if any(w in clause for w in R.MEAN_WORDS):
            return "annual_mean", 1
        if any(w in clause for w in R.ANNUAL_WORDS):
            return "annual", 1
        if any(w in clause for w in R.CUMULATIVE_WORDS):
            return "cumulative", 1
        if any(w in pre_text for w in R.ANNUAL_FLOW_SUBJECTS):
            if not self.annual_doc:
                check.append("每年 not stated: read as a yearly quota")
            return "annual", 1
        if verb in R.FLOW_VERBS:
            if self.annual_doc:
                return "annual", 1
            if any(w in clause for w in R.PERIOD_WORDS):
                return "period_total", 1
            if verb in ("新增", "培训", "资助", "惠及", "开发"):
                check.append("每年/累计 not stated: read as the total over the period")
            return "cumulative", 1
        return "level", 1

    def _qualitative(self, cs, ce, norm, split=True):
        tail = re.sub(r"[”\"'’)）。]+$", "", norm.strip())
        for words, cmp, value, unit, kind, why in R.QUALITATIVE:
            w = words[0]
            i = tail.find(w)
            if i < 0:
                continue
            lead_form = w in ("消除", "清零") and re.fullmatch(r"\s*(?:基本|全面|逐步)?", tail[:i])
            if w in ("消除", "清零", "全覆盖", "全面覆盖", "全面完成", "明显增加", "明显减少", "显著增加",
                     "显著减少", "明显下降") and not (tail.endswith(w) or tail[i + len(w):i + len(w) + 1] == "、"
                                                      or lead_form):
                continue
            if w == "全部" and not re.match(r"全部(?:纳入|免费|实现|达标|建成|完成)", tail[i:]):
                continue
            off = norm.find(tail)   # "基本消除…点": the name follows the word
            ns, ne = (cs + off + i + len(w), cs + off + len(tail)) if lead_form else (cs + off, cs + off + i)
            x, y = _strip_words(self.norm, ns, ne, R.NAME_FILLER + ("动态", "基本实现"))
            base = dict(comparator=cmp, target=value, target_hi=None, kind=kind, unit=unit or "个",
                        unit_zh=unit or "个", check=[why + ("" if unit else "; unit to choose")])
            names = [self.text[x:y]]
            if split and w in ("消除", "完成现有") and "、" in self.norm[cs:ce]:
                seg_s = cs + (i + len(w) if w == "完成现有" else 0)
                seg_e = cs + (len(tail) - (2 if tail.endswith("改造") else 0) if w == "完成现有" else i)
                names = self._split_names(seg_s, seg_e) or names
            return [{**base, "name_zh": nm or self.text[cs:ce].strip()} for nm in names]
        return []

    # ---- rows
    def _finish(self, row, cs, ce, year, ctx):
        self.areas.setdefault(ctx["area"], ctx["area_zh"])
        n = self.counts[ctx["area"]] = self.counts.get(ctx["area"], 0) + 1
        clause = self.text[cs:ce].strip()
        check = row.pop("check")
        if year is None:
            check.append("target_year not found: fill it")
        if self.baseline is None:
            check.append("baseline_year not found: fill it")
        row.pop("_verb", None)
        row.update(id=f"{ctx['area']}.{n:02d}", area=ctx["area"], name_en=row["name_zh"],
                   target_year=year, baseline_year=self.baseline if year and self.baseline and year > self.baseline else None,
                   lead_agency=ctx["agency"], source_ref=f"{ctx['sec']} {clause}".strip(),
                   check="; ".join(dict.fromkeys(check)), _start=cs, _end=ce)
        self.rows.append(row)

    def _draft(self) -> Draft:
        rows = self.rows
        df = pd.DataFrame(rows, columns=[*TARGET_COLUMNS, "_start", "_end"])
        spans = [{"id": r["id"], "start": r["_start"], "end": r["_end"]} for r in rows]
        df = df.drop(columns=["_start", "_end"])
        for c in ("target", "target_hi", "tolerance", "baseline_value"):
            df[c] = pd.to_numeric(df[c], errors="coerce")
        for c in ("target_year", "baseline_year"):
            df[c] = pd.array(df[c].tolist(), dtype="Int64")
        for c in set(TARGET_COLUMNS) - {"target", "target_hi", "tolerance", "baseline_value", "target_year",
                                         "baseline_year"}:
            df[c] = df[c].fillna("").astype(str)
        meta = dict(self.meta)
        meta["areas"] = [{"key": k, "zh": v, "en": v} for k, v in self.areas.items()]
        return Draft(df, meta, self.rejected, spans, self.text, self.source)


def _only_horizon(norm: str) -> bool:
    return not re.search(r"\d", _HORIZON.sub("", _PERIOD.sub("", norm)))


def _in_brackets(norm: str, pos: int, cs: int, ce: int) -> bool:
    o = max(norm.rfind("(", cs, pos), norm.rfind("（", cs, pos))
    if o < 0 or max(norm.rfind(")", cs, pos), norm.rfind("）", cs, pos)) > o:
        return False
    c = re.compile(r"[)）]").search(norm, pos, ce)
    return bool(c) and c.start() - o <= 14


# ------------------------------------------------------------------------------ public API

def extract_text(text: str, *, source_name: str) -> Draft:
    """Read ``text`` (a plan, Simplified or Traditional) into a :class:`Draft`. ``source_name``
    names the text in messages and in ``plan.json``."""
    if not text.strip():
        raise ValidationError([Problem(source_name, None, None, "the text is empty: nothing to extract")])
    return _Reader(text.replace("\r\n", "\n").replace("\r", "\n"), source_name).run()


def extract_file(path: str | Path, out_dir: str | Path) -> Draft:
    """Read ``path``, draft its targets and write ``out_dir``/targets.csv, plan.json, an empty
    statistics.csv and review.html (each written atomically). A text without any target is
    refused (ValidationError naming the file); nothing is written then."""
    text = read_text(path)
    draft = extract_text(text, source_name=str(path))
    if draft.targets.empty:
        raise ValidationError([Problem(str(path), None, None, "no target found in the text (no value with a "
                                       f"unit and a goal word); {len(draft.rejected)} numeric clauses read, none a target")])
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(out / "targets.csv", draft.targets.to_csv(index=False, float_format="%.10g").encode("utf-8"))
        atomic_write_bytes(out / "plan.json", (json.dumps(draft.meta, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
        atomic_write_bytes(out / "statistics.csv", (",".join(STATISTICS_COLUMNS) + "\n").encode("utf-8"))
        atomic_write_bytes(out / "review.html", review_html(draft).encode("utf-8"))
    except OSError as e:
        raise OutputError(getattr(e, "filename", None) or out, e.strerror or str(e)) from None
    return draft


def run_extract(text_path: str | Path, out_dir: str | Path) -> str:
    """``extract TEXT --out DIR``: write the draft folder and return the summary line to print."""
    d = extract_file(text_path, out_dir)
    n, unsure = len(d.targets), int((d.targets["check"] != "").sum())
    return (f"extract: {n} targets ({unsure} to check), {len(d.rejected)} numeric sentences not taken "
            f"→ {out_dir}")
