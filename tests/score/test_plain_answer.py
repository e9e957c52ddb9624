"""The digit shortcut in scoring._plain_answer changes no verdict.

``_plain_answer`` now returns early when the target has a digit and the two
texts' digits differ.  These tests compare it with the rule written out in full
(restated target → 达成; grade words by rank) on generated pairs.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perfscore.parse._tokenizer import normalize
from perfscore.parse.values import Outcome
from perfscore.score.rules import Context, Result, banded
from perfscore.score.scheme import load_scheme
from perfscore.score.scoring import _GRADES, _bare_text, _plain_answer

_CONTEXT = Context(load_scheme(), 2024, False)
_PIECES = [
    *_GRADES,
    *"0123456789０９٣².,，。；、:：!！（）()% 　",
    *("已经", "已", "均", "全部", "为", "了", "结果为", "≥", "人次", "万元", "完成", "95"),
    *("未", "尚未", "没有", "不", "未达到", "未能通过", "通过验收", "被评为"),
]
texts = st.lists(st.sampled_from(_PIECES), min_size=1, max_size=6).map("".join)


def _same_text(target: str, actual: str) -> bool:
    """Numeric restatement: equal after folding width and dropping spaces and affix words."""

    def folded(text: str) -> str:
        text = "".join(normalize(text).split())
        text = re.sub(r"^(?:已经|已|均已|均|全部|全都|都|经|结果为|评定为|等级为|为)+", "", text)
        return re.sub(r"(?:了|。|！)+$", "", text)

    return bool(folded(target)) and folded(target) == folded(actual)


_PHRASES = _CONTEXT.scheme.phrases


_BETWEEN = (*_PHRASES.modifiers, *_PHRASES.negated_verbs, "达到", "评为", "评定为", "被评为",
            "获评", "获得", "取得", "为", "是", "被")  # fmt: skip


def _negated_end(before: str) -> bool:
    """A negation word, then any number of verbs and modifiers, ends ``before``."""
    if before.endswith(tuple(_PHRASES.negations)):
        return True
    return any(before.endswith(w) and _negated_end(before[: -len(w)]) for w in _BETWEEN)


def _reference(target_text: str, actual_text: str, weight: Decimal) -> Result | None:
    """The rule without the shortcut: bare texts compared, then grade words ranked."""
    if re.search(r"\d", normalize(target_text)):
        if _same_text(target_text, actual_text):
            return banded(Outcome.ACHIEVED, weight, _CONTEXT, "完成值与目标一致")
        return None
    target, actual = _bare_text(normalize(target_text)), _bare_text(normalize(actual_text))
    if target and actual == target:
        return banded(Outcome.ACHIEVED, weight, _CONTEXT, "完成值与目标一致")

    def grade(bare: str, negatable: bool) -> int | None:
        if any(ch.isdigit() for ch in bare):
            return None
        for word in sorted(_GRADES, key=len, reverse=True):
            if bare.endswith(word):
                before = bare[: -len(word)]
                negated = _negated_end(before)
                return 0 if negatable and _GRADES[word] and negated else _GRADES[word]
        return None

    wanted, got = grade(target, False), grade(actual, True)
    if wanted is None or got is None or wanted == 0:
        return None
    outcome = (
        Outcome.ACHIEVED if got >= wanted else Outcome.NOT_ACHIEVED if got == 0 else Outcome.PARTIAL
    )
    why = f"等级「{actual_text.strip()}」对应目标「{target_text.strip()}」"
    return banded(outcome, weight, _CONTEXT, why)


@given(texts, texts)
def test_shortcut_matches_the_rule(target: str, actual: str) -> None:
    """On generated pairs the plain answer equals the rule written out in full."""
    weight = Decimal(5)
    assert _plain_answer(target, actual, weight, _CONTEXT) == _reference(target, actual, weight)


@given(texts)
def test_restated_target_matches_the_rule(target: str) -> None:
    """An actual restating the target with affixes and punctuation is judged as the rule says."""
    weight = Decimal(5)
    for actual in (target, f"已{target}。", f" {target}（）", f"均为{target}了"):
        assert _plain_answer(target, actual, weight, _CONTEXT) == _reference(target, actual, weight)


def test_numeric_restatement_is_achieved() -> None:
    """≥95% answered by 已≥95%。 restates the target; 96% does not and is scored by the rule."""
    result = _plain_answer("≥95%", "已≥95%。", Decimal(5), _CONTEXT)
    assert result is not None
    assert result.points == Decimal(5)
    assert _plain_answer("≥95%", "96%", Decimal(5), _CONTEXT) is None


@pytest.mark.parametrize(
    ("target", "actual"),
    [("100%", "10.0%"), ("95%", "9.5%"), ("12.5万元", "125万元"), ("1,000人", "1000人")],
)
def test_other_number_with_the_same_digits_is_no_restatement(target: str, actual: str) -> None:
    """Dots and commas are part of the number: 10.0% never restates 100% (issue 18)."""
    assert _plain_answer(target, actual, Decimal(5), _CONTEXT) is None


@pytest.mark.parametrize(
    ("target", "actual"),
    [("合格", "未合格"), ("达标", "尚未达标"), ("优良", "未达到优良"), ("通过验收", "尚未通过验收"),
     ("满意", "没有满意"), ("合格", "未能合格")],
)  # fmt: skip
def test_negated_grade_word_is_not_achieved(target: str, actual: str) -> None:
    """A negation before a grade word makes it a failing grade: 未达成, 0 points."""
    result = _plain_answer(target, actual, Decimal(5), _CONTEXT)
    assert result is not None
    assert result.points == 0
    assert "未达成" in result.how
