"""Checklist items and 不适用 rows: rows a 部门整体支出 evaluation scores without a target.

A checklist item (决策 / 过程 / 资金管理 blocks) has a 评分标准 and a score but no
target and actual.  :func:`parse_standard` reads the rule its standard states:

* **deduction** — ``每发现一处问题扣1分，扣完为止``: weight − per × findings, not below
  the floor (``最低得2分``; 0 when 扣完为止 or unsaid);
* **elements** — ``每具备一项得2分``: per × elements, up to the weight;
* **Likert** — ``好、较好、一般、差`` (the scheme's ``checklist.likert`` scale): a share of
  the weight per grade word.

:func:`score_checklist` then scores the row from a count or grade word in its actual
(``发现问题2处``, ``较好``) or, with none, checks that the published score is one the
rule can give (5 − 2 × 1 = 3: explained; 3.5 under 每处扣1分: a person looks).
"""

from __future__ import annotations

import re
from decimal import Decimal

import attrs

from ..indicators import Indicator
from ..parse._numerals import parse_chinese_number
from ..parse._tokenizer import normalize
from ..parse.values import format_decimal
from .rules import Result, review
from .scheme import Scheme

__all__ = ["ChecklistRule", "is_not_applicable", "parse_standard", "score_checklist"]

_ZERO = Decimal(0)
_NUMBER = r"(\d+(?:\.\d+)?|[一二两三四五六七八九十])"
_UNIT = r"(?:一|1)(?:个百分点|处|项|个|次|例|条|笔|点|人|天|户|家)"
_DEDUCTION = re.compile(
    rf"每(?:发现|出现|存在|超过|超出|缺少|缺|少|有|漏|错)?{_UNIT}[^，。；,;]*?扣(?:除)?{_NUMBER}分"
)
_ELEMENT = re.compile(
    rf"每(?:具备|满足|符合|包含|完成|有|提供|落实)?{_UNIT}[^，。；,;]*?得{_NUMBER}分"
)
_FLOOR = re.compile(rf"最低(?:得|为){_NUMBER}分")
_COUNT = re.compile(rf"{_NUMBER}\s*(?:处|项|个|次|例|条|笔|人|天|户|家)")
_NONE = re.compile(r"^(?:无|未发现|没有|未见)")
_NOT_APPLICABLE = frozenset({"不适用", "不涉及", "无此项", "na", "n/a", "/不适用"})
_PUNCTUATION = re.compile(r"[\s，。；、,.;:：!！（）()]+")


@attrs.frozen
class ChecklistRule:
    """The rule a 评分标准 states: kind ``deduction``, ``elements`` or ``likert``."""

    kind: str
    per: Decimal = _ZERO  # points per finding or element
    floor: Decimal = _ZERO  # lowest score of a deduction

    def describe(self) -> str:
        """The rule in words: ``每处扣1分，最低0分``."""
        if self.kind == "deduction":
            return f"每处扣{format_decimal(self.per)}分，最低{format_decimal(self.floor)}分"
        if self.kind == "elements":
            return f"每项得{format_decimal(self.per)}分"
        return "按等级量表"


def _number(text: str) -> Decimal:
    return Decimal(text) if text[0].isdigit() else parse_chinese_number(text)


def is_not_applicable(indicator: Indicator) -> bool:
    """Whether the row's actual (or target) says 不适用 / 不涉及."""
    return any(
        _PUNCTUATION.sub("", normalize(text)).lower() in _NOT_APPLICABLE
        for text in (indicator.actual, indicator.target)
        if text.strip()
    )


def parse_standard(standard: str, scheme: Scheme) -> ChecklistRule | None:
    """The rule a 评分标准 states, or None when it states none perfscore knows."""
    text = normalize(standard)
    deduction = _DEDUCTION.search(text)
    if deduction is not None or "扣完为止" in text:
        per = _number(deduction.group(1)) if deduction else scheme.checklist_deduction
        floor = _FLOOR.search(text)
        return ChecklistRule("deduction", per, _number(floor.group(1)) if floor else _ZERO)
    element = _ELEMENT.search(text)
    if element is not None:
        return ChecklistRule("elements", _number(element.group(1)))
    if sum(1 for word in scheme.likert if word in text) >= 2:
        return ChecklistRule("likert")
    return None


def score_checklist(indicator: Indicator, scheme: Scheme) -> Result:
    """Points for a checklist row, or review with the reason (unrounded, like every rule)."""
    rule = parse_standard(indicator.standard, scheme)
    weight = indicator.weight
    if weight is None:
        return review("分值缺失 (weight missing)")
    if rule is None:
        return review(
            f"评分标准「{indicator.standard[:40]}」未写明可计算的规则，需人工判定"
            " (the scoring standard states no rule perfscore can apply)"
        )
    actual = normalize(indicator.actual)
    if actual:
        return _from_actual(rule, actual, weight, scheme)
    published = indicator.published
    if published is None:
        return review(
            f"评分标准为{rule.describe()}，但未填写发现的问题数或得分 (no count, no score)"
        )
    if _reachable(rule, published, weight, scheme):
        return Result(
            published,
            f"按评分标准（{rule.describe()}）：填报得分 {format_decimal(published)} 符合规则",
        )
    return review(
        f"填报得分 {format_decimal(published)} 不是评分标准（{rule.describe()}）可得的分数，"
        "需人工核对 (the published score is not one the standard can give)"
    )


def _from_actual(rule: ChecklistRule, actual: str, weight: Decimal, scheme: Scheme) -> Result:
    if rule.kind == "likert":
        words = sorted((w for w in scheme.likert if actual.endswith(w)), key=len, reverse=True)
        if not words:
            return review(f"完成情况「{actual}」不是量表中的等级 (no grade word of the scale)")
        share = scheme.likert[words[0]]
        return Result(
            weight * share,
            f"评价等级「{words[0]}」，得分 = {format_decimal(weight)} × {format_decimal(share)}",
        )
    count_match = _COUNT.search(actual)
    if count_match is not None:
        count = _number(count_match.group(1))
    elif _NONE.match(actual):
        count = _ZERO
    else:
        return review(f"完成情况「{actual}」未写数量 (no count of findings or elements)")
    if rule.kind == "deduction":
        points = max(weight - rule.per * count, rule.floor, _ZERO)
        how = (
            f"发现 {format_decimal(count)} 处，得分 = {format_decimal(weight)} −"
            f" {format_decimal(count)} × {format_decimal(rule.per)}"
            f"（最低 {format_decimal(rule.floor)}）"
        )
        return Result(points, how)
    points = min(rule.per * count, weight)
    per = format_decimal(rule.per)
    how = f"具备 {format_decimal(count)} 项，得分 = {format_decimal(count)} × {per}"
    return Result(points, how)


def _reachable(rule: ChecklistRule, published: Decimal, weight: Decimal, scheme: Scheme) -> bool:
    if rule.kind == "likert":
        return any(scheme.round(weight * share) == published for share in scheme.likert.values())
    if rule.kind == "deduction":
        if published == max(rule.floor, _ZERO) or published == weight:
            return True
        steps = (weight - published) / rule.per if rule.per else Decimal("0.5")
        return published <= weight and steps == steps.to_integral_value()
    steps = published / rule.per if rule.per else Decimal("0.5")
    return published == weight or (published < weight and steps == steps.to_integral_value())
