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

from .values import Approximation, Outcome

__all__ = ["APPROXIMATION_WORDS", "PHRASE_KEYS", "PHRASE_LISTS", "Phrases", "default_phrases"]

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
    _bands: re.Pattern[str] = attrs.field(repr=False, eq=False)
    _band_of: Mapping[str, Outcome] = attrs.field(repr=False, eq=False)

    @classmethod
    def build(cls, lists: Mapping[str, tuple[str, ...]]) -> Phrases:
        """Compile the phrase lists into the two patterns used to classify text."""
        negated = re.compile(
            f"(?:{_words(lists['negations'])})(?:{_words(lists['modifiers'])}){{0,2}}"
            f"(?:{_words(lists['negated_verbs'])})"
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

    def negated(self, folded: str) -> bool:
        """Whether ``folded`` ends in a negation word (未, 没有…): ``未达到95%``'s label."""
        return folded.endswith(self.negations)


PHRASE_KEYS = ("achieved", "partial", "not_achieved", "negations", "negated_verbs", "modifiers")


def _words(words: object) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # type: ignore[call-overload]


@functools.cache
def default_phrases() -> Phrases:
    """The phrase lists every preset uses unless its ``[phrases]`` table says otherwise.

    Built on first use: compiling the patterns is not paid by ``import perfscore``.
    """
    return Phrases.build(PHRASE_LISTS)
