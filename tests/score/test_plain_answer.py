"""The digit shortcut in scoring._plain_answer changes no verdict.

``_plain_answer`` now returns early when the target has a digit and the two
texts' digits differ.  These tests compare it with the rule written out in full
(restated target → 达成; grade words by rank) on generated pairs.
"""

from __future__ import annotations

from decimal import Decimal

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
]
texts = st.lists(st.sampled_from(_PIECES), min_size=1, max_size=6).map("".join)


def _reference(target_text: str, actual_text: str, weight: Decimal) -> Result | None:
    """The rule without the shortcut: bare texts compared, then grade words ranked."""
    target, actual = _bare_text(normalize(target_text)), _bare_text(normalize(actual_text))
    if target and actual == target:
        return banded(Outcome.ACHIEVED, weight, _CONTEXT, "完成值与目标一致")

    def grade(bare: str) -> int | None:
        if any(ch.isdigit() for ch in bare):
            return None
        for word in sorted(_GRADES, key=len, reverse=True):
            if bare.endswith(word):
                return _GRADES[word]
        return None

    wanted, got = grade(target), grade(actual)
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
