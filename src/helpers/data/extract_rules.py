"""The vocabulary :mod:`helpers.data.extract` reads plan texts with, as data.

Every table here is a list of words as Chinese plans write them; the engine only combines them.
All words are Simplified: the engine reads a Traditional text through :data:`TRAD_TO_SIMP` (one
character for one character, so positions in the text never move) and keeps the original text in
``source_ref``, names and the review page.
"""

from __future__ import annotations

import re

# ---------------------------------------------------------------------------- script

#: Traditional → Simplified for the characters the rules look at (comparators, verbs, units,
#: kinds, horizons, traps, headings) and common words of plan texts. Same length on both sides.
_TRAD = ("達於過內約穩為減顯著現實覆蓋數萬億個張歲畝噸項條處點戶臺輛間場頃門隊園長產總國經濟業鎮調價漲"
         "糧單預標準確時區縣鄉開發劃資訓練務級計累體養險參額屆報農勞動職際極認證檢驗測設備網絡線車運輸"
         "鐵廣電視書館圖藝術獎勵舉辦機構關係親壽負擔擴續變遷選隨轉溫潔淨廢棄滿勢費購買賣貿稅財貸與樣範"
         "圍層屬壓邊齊災應澇灣礎鄰倉儲鮮鏈專問題傳統雜殘複復蘇徵願師號廳聯東陽島寧漢廈龍華陝遼貴雲臺"
         "衛醫療學環質氣優兒嬰貧脫將進們這來還對從並後當會維紀護規劃類億萬餘較歸屆營態協創産")
_SIMP = ("达于过内约稳为减显著现实覆盖数万亿个张岁亩吨项条处点户台辆间场顷门队园长产总国经济业镇调价涨"
         "粮单预标准确时区县乡开发划资训练务级计累体养险参额届报农劳动职际极认证检验测设备网络线车运输"
         "铁广电视书馆图艺术奖励举办机构关系亲寿负担扩续变迁选随转温洁净废弃满势费购买卖贸税财贷与样范"
         "围层属压边齐灾应涝湾础邻仓储鲜链专问题传统杂残复复苏征愿师号厅联东阳岛宁汉厦龙华陕辽贵云台"
         "卫医疗学环质气优儿婴贫脱将进们这来还对从并后当会维纪护规划类亿万余较归届营态协创产")
assert len(_TRAD) == len(_SIMP)
#: Full-width digits and punctuation → ASCII (again one character for one).
_WIDE = "０１２３４５６７８９．％（），；：～／＋－≥≤"
_NARROW = "0123456789.%(),;:~/+-≥≤"
TRAD_TO_SIMP = str.maketrans(_TRAD + _WIDE, _SIMP + _NARROW)

# ---------------------------------------------------------------------------- numbers and units

#: Units as plans write them, longest first wins (the engine sorts them). ``count`` units name
#: things that can be added up over the years (flows); the others are levels or rates.
UNITS_COUNT = ("万人次", "人次", "万人", "万户", "万亩", "万套", "万个", "万名", "万家", "万间", "万辆",
               "万吨", "万千瓦", "万平方米", "万立方米", "亿立方米", "亿元", "万元", "万亿元", "亿斤",
               "万亿斤", "万吨", "亿吨", "公里", "千米", "平方米", "立方米", "公顷", "所", "个", "套",
               "条", "名", "人", "户", "家", "项", "座", "处", "张", "间", "台", "辆", "场", "件", "亩",
               "吨", "元", "斤", "册", "支", "批", "株", "头", "只", "栋", "块", "次", "万", "亿")
UNITS_LEVEL = ("%", "‰", "/10万", "/万", "个百分点", "年一遇", "微克/立方米", "张/千人", "人/千人",
               "岁", "年", "天", "倍", "小时", "分钟", "米")
#: Per-thousand phrasing written around a count: "每千常住人口…达到6.0张" keeps unit 张 but is a
#: level (a ratio), never a flow.
RATIO_SUBJECT_WORDS = ("每千", "每万", "每十万", "每百", "人均", "比例", "比重", "占比", "率", "覆盖", "密度")

#: A digit glued to these is part of a name, not a value (5G, PM2.5, 2+26 城市, 3A级).
NAME_DIGIT_BEFORE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+"
NAME_DIGIT_AFTER = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+"

# ---------------------------------------------------------------------------- comparators

#: Words after the value. ``None`` comparators are decided elsewhere.
COMPARATOR_AFTER = (
    ("及以上", ">="), ("或以上", ">="), ("以上", ">="), ("之上", ">="),
    ("及以下", "<="), ("以下", "<="), ("以内", "<="), ("之内", "<="),
    ("左右", "~"), ("上下", "~"),
)
#: Words before the value (the nearest one counts).
COMPARATOR_BEFORE = (
    ("不低于", ">="), ("不少于", ">="), ("至少", ">="), ("超过", ">="), ("高于", ">="), ("大于", ">="),
    ("≥", ">="), ("不超过", "<="), ("不高于", "<="), ("不大于", "<="), ("控制在", "<="),
    ("低于", "<="), ("少于", "<="), ("≤", "<="), ("降到", "<="), ("降至", "<="), ("降低到", "<="),
    ("下降到", "<="), ("减少到", "<="), ("压减到", "<="), ("约", "~"), ("稳定在", "~"),
)
#: "控制在4.5%左右": a ceiling word before wins over 左右 after (read as a ceiling, flagged).
CEILING_BEATS_ABOUT = ("控制在", "不超过", "不高于", "降到", "降至")
#: Subjects whose bare value ("居民消费价格上涨3%") is a ceiling, not a floor.
CEILING_SUBJECTS = ("失业率", "死亡率", "价格", "涨幅", "能耗", "排放", "发病率", "事故", "浓度", "负债率",
                    "自然增长率", "大班额", "易涝", "黑臭", "劣v", "劣Ⅴ", "贫困发生率", "住院率")

# ---------------------------------------------------------------------------- kinds

#: Words that make a reduction: the value is stored negative and >= / <= swap (contract's sign rule).
REDUCTION_WORDS = ("下降", "降低", "减少", "削减", "压减")
#: Growth words of a rate (年均增长 x% → rate_avg).
GROWTH_WORDS = ("增长", "增速", "涨幅", "上涨", "增加", "提高", "提升")
#: "提高到/达到" name the level reached; "提高 x 个百分点/岁" is a change.
TO_LEVEL_WORDS = ("提高到", "提高至", "提升到", "提升至", "增加到", "增加至", "增长到", "增长至", "上升到",
                  "上升至", "扩大到", "达到", "达", "保持在", "保持", "稳定在", "控制在", "降到", "降至",
                  "降低到", "下降到", "减少到", "压减到", "突破", "超过", "不低于", "不少于", "不超过",
                  "低于", "高于", "实现", "为")
#: Verbs of a count built, done or delivered over the period (cumulative, or annual with 每年).
FLOW_VERBS = ("新增", "新建", "新改建", "改扩建", "建成", "完成", "建设", "创建", "打造", "培育", "培训",
              "开发", "资助", "惠及", "治理", "改造", "推荐", "引进", "招聘", "新改造", "出列", "摘帽",
              "开展", "实施", "转移就业", "提供", "建立", "认定", "命名", "扶持", "帮扶", "安置")
#: Subjects that are yearly flows even without 每年 (statistics report them per year).
ANNUAL_FLOW_SUBJECTS = ("新增就业", "转移就业")
ANNUAL_WORDS = ("每年", "年度", "全年", "年内")
MEAN_WORDS = ("年均", "年平均", "平均每年")
CUMULATIVE_WORDS = ("累计",)
PERIOD_WORDS = ("五年", "三年内", "五年内", "期间共", "共计")
INTENSITY_WORDS = ("单位国内生产总值", "单位地区生产总值", "单位gdp", "单位GDP", "单位生产总值", "万元gdp",
                   "万元GDP", "万元生产总值", "单位工业增加值")
CHANGE_UNITS = ("个百分点",)

#: Targets without a number. Each: words (all must appear, in order of the list), comparator,
#: value, unit, kind, the reason shown in ``check``.
QUALITATIVE = (
    (("全覆盖",), ">=", 100.0, "%", "level", "no number: 全覆盖 read as 100 %"),
    (("全面覆盖",), ">=", 100.0, "%", "level", "no number: 全面覆盖 read as 100 %"),
    (("全面完成",), ">=", 100.0, "%", "level", "no number: 全面完成 read as 100 %"),
    (("全部脱贫",), "<=", 0.0, "万人", "level", "no number: 全部脱贫 read as 0 remaining"),
    (("全部",), ">=", 100.0, "%", "level", "no number: 全部 read as 100 %"),
    (("清零",), "<=", 0.0, "", "level", "no number: 清零 read as 0"),
    (("消除",), "<=", 0.0, "", "level", "no number: 消除 read as 0 (a residual tolerance?)"),
    (("完成现有",), "<=", 0.0, "户", "level", "no number: 完成现有…改造 read as 0 remaining"),
    (("达到全国平均水平",), ">=", None, "元", "direction",
     "relative to the national average: drafted as a direction; set kind relative, target 1 and "
     "reference_id once the national series is in statistics.csv"),
    (("明显增加",), ">=", None, "", "direction", "direction only (no number)"),
    (("显著增加",), ">=", None, "", "direction", "direction only (no number)"),
    (("明显减少",), "<=", None, "", "direction", "direction only (no number)"),
    (("显著减少",), "<=", None, "", "direction", "direction only (no number)"),
    (("明显下降",), "<=", None, "", "direction", "direction only (no number)"),
)
#: Qualitative rows only where the clause also carries one of these (a goal, not a wish).
QUALITATIVE_SUBJECT_HINT = ("率", "人口", "家庭", "班额", "易涝点", "水体", "棚户区", "危房", "覆盖", "开放",
                            "纳入", "人数", "总量", "收入", "改造", "资助", "饮水", "管理")

# ---------------------------------------------------------------------------- horizon and structure

#: A document number (X政发〔2017〕N号) and a plan period written as years (2017—2021年).
DOCNO_PATTERN = r"[\u4e00-\u9fff]{1,8}[〔\[［(（]\d{4}[〕\]］)）]\d+号"
PERIOD_PATTERN = r"(20\d{2})\s*[—\-–~至到]\s*(20\d{2})\s*年"
#: Period words → (first year, last year).
PERIOD_NAMES = {"十一五": (2006, 2010), "十二五": (2011, 2015), "十三五": (2016, 2020),
                "十四五": (2021, 2025), "十五五": (2026, 2030)}
CN_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
#: Document kinds the title line ends with.
TITLE_ENDINGS = ("实施意见", "意见", "规划", "纲要", "方案", "计划", "通知", "报告", "决定", "办法")
#: Words before a value or a clause that are not part of a target's name.
NAME_FILLER = ("到", "至", "力争", "确保", "争取", "基本", "全市", "全省", "全区", "全县", "全国", "实现",
               "今年", "年底前", "年前", "以上", "年末", "年底", "进一步", "逐步", "持续", "总体", "均",
               "分别", "其中", "并", "和", "及", "、", "的", "是", "要", "将", "使", "让", "同时", "目标")

# ---------------------------------------------------------------------------- traps

#: A clause with one of these and no goal word is history, not a target.
HISTORY_WORDS = ("截至", "截止", "去年", "上年", "过去", "已经", "已达", "已有", "同比", "比上年",
                 "达到了", "增长了", "增加了", "提高了", "完成了", "下降了", "实现了", "翻了", "创历史",
                 "位居", "居全国", "排名", "预计全年")
#: A clause with one of these is a goal even when it also has a history word.
GOAL_WORDS = ("力争", "确保", "目标", "预期", "今年", "要", "将", "计划", "到20", "年底前", "年前")
#: A paragraph opening with one of these reports the past: its numbers are history until a
#: paragraph with a goal word ("2016年主要预期目标是…") starts.
HISTORY_OPENERS = ("刚刚过去", "过去一年", "过去五年", "回顾", "成绩单", "完成情况", "去年", "上年")
BUDGET_WORDS = ("投入", "资金", "预算", "补助", "拨付", "下达", "安排", "筹措", "专项", "奖补", "投资额",
                "计划投资", "总投资", "补贴")
MONEY_UNITS = ("元", "万元", "亿元", "万亿元")


# ------------------------------------------------------------------------------ reading text with the tables

def strip_words(norm: str, start: int, end: int, words, *, left=True, right=True) -> tuple[int, int]:
    """Shrink [start, end) of ``norm`` while it begins (left) or ends (right) with one of ``words``,
    white space or punctuation."""
    ws = sorted(set(words), key=len, reverse=True)
    changed = True
    while changed and start < end:
        changed = False
        seg = norm[start:end]
        if seg[:1] in " \t\u3000、,“”\"'《》()" or (left and seg[:1] in "“”"):
            start, changed = start + 1, True
            continue
        if seg[-1:] in " \t\u3000、,“”\"'":
            end, changed = end - 1, True
            continue
        m = re.match(r"(?:到|至)?\d{4}年(?:年底|年末|底|末)?前?", seg) if left else None
        if m:
            start, changed = start + m.end(), True
            continue
        for w in ws:
            if left and seg.startswith(w):
                start, changed = start + len(w), True
                break
            if right and seg.endswith(w) and len(seg) > len(w):
                end, changed = end - len(w), True
                break
    return start, end


def year_of(m: re.Match, doc_year: int | None) -> int | None:
    y = m.group(1) or m.group(2) or m.group(3)
    if y:
        return int(y)
    if m.group(4):
        return doc_year
    return PERIOD_NAMES.get(m.group(5), (None, None))[1]


def paragraphs(norm: str):
    pos = 0
    for line in norm.split("\n"):
        yield pos, pos + len(line)
        pos += len(line) + 1


def cn_number(s: str) -> int:
    if not s:
        return 0
    if s.startswith("十"):
        return 10 + (CN_NUMERALS.get(s[1:], 0) if len(s) > 1 else 0)
    if "十" in s:
        hi, _, lo = s.partition("十")
        return CN_NUMERALS.get(hi, 0) * 10 + (CN_NUMERALS.get(lo, 0) if lo else 0)
    return CN_NUMERALS.get(s, 0)


def last_word(text: str, words) -> str | None:
    best, best_end = None, -1
    for w in words:
        i = text.rfind(w)
        if i >= 0 and (i + len(w) > best_end or (i + len(w) == best_end and len(w) > len(best))):
            best, best_end = w, i + len(w)
    return best
