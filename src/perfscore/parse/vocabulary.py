"""Every word table the reader uses that a scheme may change: the outcome phrases.

The parse stage reads text into values and imports nothing from scoring.  The
words that judge a qualitative actual (完成, 基本完成, 未完成…) are data here; a
scheme (:mod:`perfscore.score.scheme`) may replace any list in its ``[phrases]``
table, and every stage then classifies with the scheme's :class:`Phrases`
(``parse_actual(text, phrases=scheme.phrases)``), so ``parse``, ``score`` and
``audit`` agree under any scheme.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

import attrs

from ._folding import fold
from .values import Approximation, Outcome

__all__ = [
    "APPROXIMATION_WORDS",
    "DIRECTION_KINDS",
    "DIRECTION_LISTS",
    "MEANINGFUL_WORDS",
    "MEANINGS",
    "PASSABLE_WORDS",
    "PHRASE_KEYS",
    "PHRASE_LISTS",
    "REACH_WORDS",
    "TARGET_PASSABLE",
    "NameDirection",
    "Phrases",
    "default_direction",
    "default_phrases",
    "unaccounted",
]

# How an approximate number's warning names it, Chinese then English (约数 → about …).
APPROXIMATION_WORDS: dict[Approximation, tuple[str, str]] = {
    Approximation.ABOUT: ("约数", "about the number"),
    Approximation.MORE_THAN: ("略多于该数", "a little more than the number"),
    Approximation.JUST_UNDER: ("略少于该数", "a little under the number"),
    Approximation.SEVERAL: ("概数", "an order of magnitude"),
}

# 部分达成 [60,80)% and 未达成 [0,60)% of the weight; these are the words units
# write for each.  Negation is a rule, not a list: 未/没有/尚未/不/无法/未能 before
# a completion verb (with 按时/按期/全部… between) is 未达成, so 未按时完成 is
# never read as 按时完成.  Text with phrases of two bands (完成3项，未完成1项)
# is not classified: a person judges it.
PHRASE_LISTS: dict[str, tuple[str, ...]] = {
    "achieved": (
        "全部达到预期指标", "全部达成预期指标", "达到预期指标", "达成预期指标", "达到预期目标",
        "达成预期目标", "达到预期", "符合预期", "全部完成", "按期完成", "按时完成", "如期完成",
        "已完成", "已达成", "已实现", "完成", "达成", "达标", "实现", "已落实", "落实到位",
        "通过验收", "验收合格", "已建成", "已上线", "正常运行", "正常运转", "效果显著", "成效显著",
    ),
    "partial": (
        "基本完成", "基本达到", "基本达成", "基本实现", "基本落实", "基本满意", "基本合格",
        "基本符合", "基本到位", "大部分完成", "大部分达到", "大部分实现", "部分完成",
        "部分达到", "部分达成", "部分实现", "部分落实", "有所提升", "有所提高", "有所改善",
        "有所增长", "有所增加", "初步完成", "初步实现", "初步建成", "初步达到",
    ),
    "not_achieved": (
        "不合格", "不达标", "不满意", "延期完成", "延期", "滞后", "逾期", "取消", "暂停",
        "终止", "停滞",
    ),
    # Negation words and the verbs they negate; words such as 按时 may stand between.
    "negations": (
        "未能于", "未能在", "未于", "未在", "没有在", "没能在", "没有于",
        "未能", "未曾", "仍未", "暂未", "均未", "并未", "还未", "尚未", "未予", "未", "没有",
        "没能", "还没有", "不能", "无法", "不",
    ),
    "negated_verbs": (
        "完成", "达到", "达成", "实现", "通过", "合格", "达标", "落实", "开展", "启动", "实施",
        "到位", "验收", "满足", "符合", "建成", "上线", "竣工", "完工", "交付", "办结",
    ),
    "modifiers": (
        "按时", "按期", "如期", "全部", "全面", "完全", "及时", "足额", "顺利", "能", "按计划",
        "按要求", "按合同", "如数", "能够", "有效", "于年底前", "在规定时间内",
    ),
}  # fmt: skip


@attrs.frozen
class Phrases:
    """The words that judge a qualitative actual, per band, and the negation rule."""

    achieved: tuple[str, ...]
    partial: tuple[str, ...]
    not_achieved: tuple[str, ...]
    negations: tuple[str, ...]
    negated_verbs: tuple[str, ...]
    modifiers: tuple[str, ...]
    _negated: re.Pattern[str] = attrs.field(repr=False, eq=False)
    _negated_end: re.Pattern[str] = attrs.field(repr=False, eq=False)
    _bands: re.Pattern[str] = attrs.field(repr=False, eq=False)
    _band_of: Mapping[str, Outcome] = attrs.field(repr=False, eq=False)

    @classmethod
    def build(cls, lists: Mapping[str, tuple[str, ...]]) -> Phrases:
        """Compile the phrase lists into the two patterns used to classify text."""
        negated = re.compile(
            f"(?:{_words(lists['negations'])})(?:{_words(lists['modifiers'])}){{0,2}}"
            f"(?:{_words(lists['negated_verbs'])})"
        )
        # 未达到优良, 尚未, 没有通过: the words before a grade word that negate it.
        negated_end = re.compile(
            f"(?:{_words(lists['negations'])})"
            f"(?:{_words((*lists['modifiers'], *lists['negated_verbs'], *_GRADE_VERBS))})*$"
        )
        band_of = {
            **dict.fromkeys(lists["achieved"], Outcome.ACHIEVED),
            **dict.fromkeys(lists["partial"], Outcome.PARTIAL),
            **dict.fromkeys(lists["not_achieved"], Outcome.NOT_ACHIEVED),
        }
        return cls(
            achieved=tuple(lists["achieved"]),
            partial=tuple(lists["partial"]),
            not_achieved=tuple(lists["not_achieved"]),
            negations=tuple(lists["negations"]),
            negated_verbs=tuple(lists["negated_verbs"]),
            modifiers=tuple(lists["modifiers"]),
            negated=negated,
            negated_end=negated_end,
            bands=re.compile(_words(band_of)),
            band_of=band_of,
        )

    def classify(self, folded: str) -> Outcome | None:
        """The band ``folded`` (normalised) text expresses; None if none or more than one."""
        found: set[Outcome] = set()
        if self._negated.search(folded):
            found.add(Outcome.NOT_ACHIEVED)
            folded = self._negated.sub("　", folded)
        found.update(self._band_of[m] for m in self._bands.findall(folded))
        return found.pop() if len(found) == 1 else None

    def is_mixed(self, folded: str) -> bool:
        """Whether ``folded`` text holds phrases of more than one band."""
        found = {Outcome.NOT_ACHIEVED} if self._negated.search(folded) else set()
        found.update(self._band_of[m] for m in self._bands.findall(self._negated.sub("　", folded)))
        return len(found) > 1

    def negates_grade(self, before: str) -> bool:
        """Whether the words ``before`` a grade word negate it: ``未``, ``尚未达到``."""
        return self._negated_end.search(before) is not None

    def negated(self, folded: str) -> bool:
        """Whether ``folded`` ends in a negation word (未, 没有…): ``未达到95%``'s label."""
        return folded.endswith(self.negations)


# Verbs that may stand between a negation and a grade word: 未达到优良, 未被评为优秀.
_GRADE_VERBS = ("达到", "评为", "评定为", "被评为", "获评", "获得", "取得", "为", "是", "被")

# Comparator words that, in an actual, say which value was reached rather than a bound:
# "达到96%" is 96%, while "低于95%" or "100人以下" only bounds the value (issue 18).
REACH_WORDS: tuple[str, ...] = (
    "达到", "达", "提高到", "提高至", "提升到", "提升至", "增加到", "增加至", "增长到", "增长至",
    "降低到", "降低至", "下降到", "下降至", "减少到", "减少至", "压缩到", "压缩至", "控制到",
    "保持在", "维持在", "等于",
)  # fmt: skip

PHRASE_KEYS = ("achieved", "partial", "not_achieved", "negations", "negated_verbs", "modifiers")


def _words(words: object) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # type: ignore[call-overload]


@functools.cache
def default_phrases() -> Phrases:
    """The phrase lists every preset uses unless its ``[phrases]`` table says otherwise.

    Built on first use: compiling the patterns is not paid by ``import perfscore``.
    """
    return Phrases.build(PHRASE_LISTS)


# --- direction from the indicator's name -------------------------------------------------

_BRACKETED = re.compile(r"[（(【\[][^）)】\]]*[）)】\]]")
_NAME_NOISE = re.compile(r"[\s　]+")
DIRECTION_KINDS = ("ceiling", "floor", "ambiguous")


# Which way a target written without a comparator points, by the indicator's name
# (三级指标).  The listed word that ends the name decides (the longest where several do;
# endings such as 指标, 情况 are set aside): 事故发生率下降率 → 下降率 (floor), 不合格率 →
# 不合格率 (ceiling, not 合格率).  ceiling: lower is better (reverse indicators, time taken,
# costs); floor: higher is better although the name looks like a ceiling's; ambiguous:
# the name does not say which, so a person decides.  A name with none of these words is
# read as a floor, and the explanation says the default was used.  A scheme's
# ``[direction]`` table replaces any of the three lists.
DIRECTION_LISTS: dict[str, tuple[str, ...]] = {
    "ceiling": (
        "投诉率", "投诉量", "投诉件数", "投诉次数", "有效投诉", "发生率", "差错率", "错误率",
        "出错率", "事故率", "事故发生率", "事故起数", "事故数", "死亡率", "死亡人数", "伤亡人数",
        "发病率", "患病率", "感染率", "不合格率", "不达标率", "不良率", "次品率", "废品率",
        "调整率", "结余率", "结转率", "闲置率", "空置率", "逾期率", "返工率", "流失率", "超支率",
        "辍学率", "失业率", "违约率", "误报率", "漏报率", "故障率", "复发率", "返贫率", "犯罪率",
        "发案率", "损耗率", "损失率", "拖欠率", "退货率", "脱落率", "漏检率", "超标率",
        "超标次数", "积压", "违规", "违纪", "扣分", "亏损", "负债率", "不良贷款率", "差评率",
        "失访率", "滞留", "时限", "期限", "办结时间", "办理时间", "办理时长", "办结时长",
        "审批时长", "审批时间", "审核时长", "审核时间", "响应时间", "响应时长", "处置周期",
        "处置时间", "处置时长", "处理时间", "处理时长", "等待时间", "等待时长", "等候时间",
        "排队时间", "到达时间", "到场时间", "审批周期", "办理周期", "建设周期", "结案周期",
        "回复时间", "答复时间", "拨付时间", "修复时间", "故障修复时长", "平均用时", "耗时",
        "工期", "成本", "费用", "单价", "造价", "均价", "单位投资",
    ),
    "floor": (
        "服务时长", "服务时间", "开放时长", "开放时间", "运行时长", "运行时间", "在线时长",
        "培训时长", "培训时间", "学习时长", "授课时长", "志愿服务时长", "使用时长", "使用寿命",
        "保存期限", "保修期限", "合同期限", "节约率", "节约资金", "节支率", "下降率", "降低率",
        "减少率", "压减率", "减排率", "降幅", "合格率", "达标率", "优良率", "及格率", "通过率",
        "满意度", "满意率", "好评率", "覆盖率", "完成率", "执行率", "使用率", "利用率", "到位率",
        "知晓率", "参与率", "入学率", "就业率", "办结率", "处置率", "处理率", "回复率", "响应率",
        "查处率", "结案率", "出勤率", "存活率", "成活率", "治愈率", "接种率", "建成率", "准确率",
        "正确率", "受益率", "保障率", "配置率", "普及率", "达产率", "验收率", "及时率", "按时率",
        "到岗率", "发放率", "兑现率", "回收率", "处置及时率", "合规率", "投诉办结率",
        "投诉处理率", "投诉回复率", "事故处置率", "不合格整改率", "整改率", "整改完成率",
    ),
    "ambiguous": (
        "时长", "时间", "周期", "天数", "用时", "变化率", "波动率", "周转率", "偏离",
    ),
}  # fmt: skip


@attrs.frozen
class NameDirection:
    """Which way a target without a comparator points, decided by the indicator's name.

    A scheme's ``[direction]`` table lists words of indicator names: ``ceiling``
    (reverse indicators such as 差错率, time taken such as 审批时长, costs: lower is
    better), ``floor`` (names that look like those but are delivered, such as 服务时长,
    节约率: higher is better) and ``ambiguous`` (时长, 周期: the name does not say which,
    so a person decides).  The listed word that ends the name decides, the longest
    where several do: in 事故发生率下降率 it is 下降率 (a floor), in 不合格率 it is
    不合格率 (a ceiling, not 合格率).
    """

    ceiling: tuple[str, ...] = ()
    floor: tuple[str, ...] = ()
    ambiguous: tuple[str, ...] = ()
    _kind_of: Mapping[str, str] = attrs.field(factory=dict, repr=False, eq=False)
    _longest: int = attrs.field(default=0, repr=False, eq=False)

    @classmethod
    def build(cls, lists: Mapping[str, tuple[str, ...]]) -> NameDirection:
        """Compile the three word lists; ValueError names a word listed twice."""
        kind_of: dict[str, str] = {}
        for kind in DIRECTION_KINDS:
            for word in lists.get(kind, ()):
                if word in kind_of and kind_of[word] != kind:
                    raise ValueError(f"「{word}」同时列在 {kind_of[word]} 和 {kind} 中")
                kind_of[word] = kind
        return cls(
            ceiling=tuple(lists.get("ceiling", ())),
            floor=tuple(lists.get("floor", ())),
            ambiguous=tuple(lists.get("ambiguous", ())),
            kind_of=kind_of,
            longest=max(map(len, kind_of), default=0),
        )

    def decide(self, name: str) -> tuple[str, str] | None:
        """``(kind, word)`` for the listed word that ends the name, or None if none does.

        Chinese names end in what they measure: only a word at the end decides (after
        brackets and generic endings such as 指标, 情况 are set aside), so 费用 in
        劳务派遣人员费用支付合规率 decides nothing.
        """
        if not self._kind_of or not name:
            return None
        folded = _NAME_NOISE.sub("", _BRACKETED.sub("", fold(name)))
        while folded.endswith(_GENERIC_ENDINGS) and not self._kind_of.get(folded):
            stripped = folded.removesuffix(next(e for e in _GENERIC_ENDINGS if folded.endswith(e)))
            if not stripped:
                break
            folded = stripped
        # The longest listed word the name ends with: a few dict lookups, longest first.
        for length in range(min(len(folded), self._longest), 0, -1):
            kind = self._kind_of.get(folded[-length:])
            if kind is not None:
                return kind, folded[-length:]
        return None


# Endings that name no measure of their own: 差错率指标, 投诉率情况, 审批时长控制.
_GENERIC_ENDINGS = ("指标", "情况", "水平", "控制", "目标", "要求", "指数值", "值")


# --- words that may stand before or after a value ----------------------------------------
# Issue 18: a word next to a value is passed over only when it says nothing the score
# needs.  Everything else is either read (a comparator, a change, a negation: the parser
# and the scorer use it) or, met where nothing read it, sends the row to a person with
# the word named.  The lists are closed: a word on none of them is unknown, and unknown
# words are never passed over.
PASSABLE_WORDS: tuple[str, ...] = (
    # completion and tallies
    "实际完成值", "实际完成数", "实际完成", "实际值", "实际", "完成值", "完成数", "完成情况",
    "已完成", "完成了", "完成", "共计", "共有", "合计", "总计", "累计", "共", "总数", "总量",
    "数量", "人数", "人次", "次数", "个数", "数", "金额", "总额", "值", "结果为", "结果",
    # time: the evaluation year and "as of"
    "全年度", "全年", "年度", "本年度", "本年", "当年", "年内", "今年", "截至目前", "截止目前",
    "截止到", "截至", "截止", "为止", "目前", "现已", "止", "于", "在",
    # reaching and being
    "已实现", "已达到", "实现", "达到", "已经", "已", "为", "是", "的", "了", "均为", "均",
    "仅", "只", "发生", "出现",
    # the subject and how the figure was found: they do not change the number
    "项目", "本项目", "该项目", "工程", "本工程", "该工程", "任务", "工作", "经统计", "据统计",
    "统计", "经核实", "经测算", "经调查", "问卷调查", "抽样调查", "调查", "经测评", "测评",
    "经评估", "评估",
)  # fmt: skip

# Words with a meaning the engine uses where it reads them: comparators (不足95%),
# directions and changes (负, 下降, 超支), references to a plan, a target or last year
# (原计划, 较上年), pointers to other papers (见附表) and words that change the measure
# (人均).  In a label, where nothing read them, each sends the row to review.
MEANINGFUL_WORDS: dict[str, tuple[str, ...]] = {
    "comparison": (
        "不足", "不到", "未满", "低于", "少于", "小于", "超过", "多于", "大于", "高于", "以下",
        "以上", "以内", "之内", "不高于", "不低于", "不少于", "不多于", "不超过", "至少", "最多",
        "最少", "最高", "最低", "控制在", "左右", "上下", "近", "约", "逾", "余",
    ),
    "change": (
        "负", "下降", "减少", "降低", "增加", "增长", "提高", "提升", "上升", "超额", "超支",
        "超出", "节约", "节省", "结余", "多完成", "少完成", "多支出", "少支出", "多", "少",
        "净增", "新增", "压减", "缩减", "差额", "同比", "环比",
    ),
    "reference": (
        "原计划", "计划数", "计划", "目标值", "目标", "预计", "预期", "预算", "年初", "指标值",
        "较上年", "比上年", "较去年", "比去年", "上年", "去年", "同期", "比计划", "较计划",
        "比目标", "较目标", "标准", "要求",
    ),
    "pointer": ("详见", "参见", "见", "附表", "附件", "另附", "下表", "上表"),
    "measure": ("人均", "平均", "户均", "每", "单位", "其中", "部分"),
    # At the end of a label a negation is read (未达到95% is 未达成); anywhere else it
    # negates something nothing read.
    "negation": PHRASE_LISTS["negations"],
}  # fmt: skip

# In a target the plan is what is asked for: 计划培训≥100人, 目标值≥95% (but 上年 or
# 较上年 in a target label still says something nothing read).
TARGET_PASSABLE: tuple[str, ...] = (
    "计划", "计划数", "原计划", "目标", "目标值", "年度目标", "预计", "预期", "指标值", "要求",
)  # fmt: skip

# What each kind of word means, for the reviewer (Chinese first, English in brackets).
MEANINGS: dict[str, tuple[str, str]] = {
    "unknown": (
        "既不是指标名称，也不是可略过的词",
        "neither the indicator's name nor a passable word",
    ),
    "comparison": ("是比较词，但未能读出比较关系", "a comparison word that was not read"),
    "change": ("说的是变化或差额，不是完成值本身", "a change or difference, not the value"),
    "reference": ("说的是计划、目标或上年数，不是本年实际完成值", "a plan, target or last year"),
    "pointer": ("指向其他材料，完成值未写在本格", "points to another paper"),
    "measure": ("改变了计量口径（人均、其中…）", "changes what is measured"),
    "negation": ("是否定词，但未能读出它否定的内容", "a negation of something not read"),
}

_PUNCTUATION = frozenset(" \t\u3000:：,，、()（）[]【】\"“”'‘’。.;；-—/\\|")
_DATE_PIECE = re.compile(r"(?:\d{4}年度?|\d{1,2}月份?|\d{1,2}[日号]|年底|年末|月底|月末|底|末)+")
_MAX_LABEL = 120
_KIND_OF_WORD: dict[str, str] = {
    **{w: kind for kind, words in MEANINGFUL_WORDS.items() for w in words},
    **dict.fromkeys(PASSABLE_WORDS, "passable"),
}
_LONGEST_WORD = max(map(len, (*_KIND_OF_WORD, *TARGET_PASSABLE)))


def unaccounted(
    label: str, names: tuple[str, ...], passable: tuple[str, ...] = ()
) -> tuple[tuple[str, str], ...]:
    """The words of ``label`` that are neither passable nor the indicator's name.

    Each comes with its kind: ``unknown`` or one of :data:`MEANINGFUL_WORDS`' keys.
    The label is split so that as few characters as possible are left unaccounted:
    a piece of two or more characters of one of ``names`` (三级指标, 二级指标…), a
    passable word (or one of ``passable``: :data:`TARGET_PASSABLE` for a target), a
    date (截至12月底), punctuation.  Empty when every word passes.
    """
    text = fold(label).strip()
    if not text:
        return ()
    if len(text) > _MAX_LABEL:
        return ((text, "unknown"),)
    folded_names = tuple(n for n in (_NAME_NOISE.sub("", fold(n)) for n in names) if n)
    longest_name = max(map(len, folded_names), default=0)
    size = len(text)
    # best[i]: (cost of what is left unaccounted, pieces) for text[:i], and the last piece.
    inf = (2 * size + 1, size + 1)
    best: list[tuple[int, int]] = [(0, 0)] + [inf] * size
    piece: list[tuple[int, str]] = [(0, "")] * (size + 1)
    for i in range(size):
        if best[i] == inf:
            continue
        cost, count = best[i]
        steps: list[tuple[int, str]] = []
        if text[i] in _PUNCTUATION:
            steps.append((i + 1, "passable"))
        date = _DATE_PIECE.match(text, i)
        if date:
            steps.append((date.end(), "passable"))
        for end in range(i + 1, min(size, i + _LONGEST_WORD) + 1):
            kind = "passable" if text[i:end] in passable else _KIND_OF_WORD.get(text[i:end])
            if kind is not None:
                steps.append((end, kind))
        for end in range(i + 2, min(size, i + longest_name) + 1):
            if any(text[i:end] in name for name in folded_names):
                steps.append((end, "name"))
        if any(text[i] == name for name in folded_names):
            steps.append((i + 1, "name"))
        steps.append((i + 1, "unknown"))
        for end, kind in steps:
            # An unknown character costs 2, a meaningful word 1 whatever its length, so
            # 平均 is read as the word it is, never as 平 + 均.
            left = cost + (0 if kind in ("passable", "name") else 1 if kind != "unknown" else 2)
            candidate = (left, count + 1)
            if candidate < best[end]:
                best[end] = candidate
                piece[end] = (i, kind)
    found: list[tuple[int, int, str]] = []
    end = size
    while end > 0:
        start, kind = piece[end]
        if kind not in ("passable", "name"):
            found.append((start, end, kind))
        end = start
    merged: list[tuple[int, int, str]] = []
    for start, end, kind in reversed(found):
        # Adjacent words of one kind are one word: 见附表 rather than 见、附表.
        if merged and kind == merged[-1][2] and merged[-1][1] == start:
            merged[-1] = (merged[-1][0], end, kind)
        else:
            merged.append((start, end, kind))
    return tuple((text[start:end], kind) for start, end, kind in merged)


@functools.cache
def default_direction() -> NameDirection:
    """The direction lists every preset uses unless its ``[direction]`` table says otherwise."""
    return NameDirection.build(DIRECTION_LISTS)
