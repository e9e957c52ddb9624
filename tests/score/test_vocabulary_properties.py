"""Issue 18's two invariants, as properties.

1. A word the vocabulary does not know, inserted before, inside or after a target or
   an actual, never leaves the result silently unchanged and scored: the reading
   changes or the row goes to review.
2. For a target without a comparator, swapping the indicator's name between a reverse
   name and a neutral one changes the direction exactly when the scheme says so.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import assume, example, given
from hypothesis import strategies as st

from perfscore import Indicator, score_indicator
from perfscore.parse.vocabulary import unaccounted
from perfscore.score.scheme import load_scheme
from perfscore.score.scoring import Score, Status

_SCHEME = load_scheme()
NAMES = ["培训人数", "服务人次", "资金到位率", "群众满意度", "新建道路长度", "补助资金发放金额"]
UNITS = ["人", "人次", "%", "公里", "万元", "项"]
# Characters that make no unit, numeral, comparator or passable word on their own.
_POOL = "举讲街学考核乡镇社宣检女性堂园"
unknown_words = st.text(alphabet=_POOL, min_size=1, max_size=3)
amounts = st.integers(min_value=1, max_value=5000).map(Decimal)
comparators = st.sampled_from(["", "≥", "≤", "不少于", "不超过", "达到"])
suffixes = st.sampled_from(["", "以上", "以内", "左右"])


def _score(name: str, target: str, actual: str) -> Score:
    row = Indicator(row=1, level3=name, target=target, actual=actual, weight=Decimal(10))
    return score_indicator(row)


def _reading(score: Score) -> tuple[str, str]:
    def describe(value: object) -> str:
        method = getattr(value, "describe", None)
        return method() if callable(method) else repr(value)

    return describe(score.target), describe(score.actual)


def _insertions(text: str, word: str, number_at: int, unit_at: int) -> list[str]:
    """The word before, after, and inside the text (before the number, before the unit)."""
    return [
        word + text,
        text + word,
        text[:number_at] + word + text[number_at:],
        text[:unit_at] + word + text[unit_at:],
    ]


@given(
    st.sampled_from(NAMES),
    comparators,
    suffixes,
    amounts,
    amounts,
    st.sampled_from(UNITS),
    unknown_words,
    st.booleans(),
)
def test_unknown_word_never_passes_silently(
    name: str,
    comparator: str,
    suffix: str,
    goal: Decimal,
    done: Decimal,
    unit: str,
    word: str,
    in_target: bool,
) -> None:
    """Insert an unknown word anywhere: the reading changes, or the row needs review."""
    assume(unaccounted(word, (name,)))  # the word is neither the name nor passable
    target, actual = f"{comparator}{goal}{unit}{suffix}", f"{done}{unit}"
    base = _score(name, target, actual)
    text = target if in_target else actual
    number_at = len(comparator) if in_target else 0
    unit_at = len(text) - len(unit) - (len(suffix) if in_target else 0)
    for changed in _insertions(text, word, number_at, unit_at):
        pair = (changed, actual) if in_target else (target, changed)
        after = _score(name, *pair)
        silent = (
            after.status is not Status.NEEDS_REVIEW
            and after.computed == base.computed
            and _reading(after) == _reading(base)
        )
        assert not silent, (pair, after.explanation)


_NEUTRAL_NAMES = [n for n in NAMES if _SCHEME.direction.decide(n) is None]
_PREFIXES = ["", "项目", "全市", "年度"]


@given(
    st.sampled_from(_NEUTRAL_NAMES),
    st.sampled_from(_PREFIXES),
    st.sampled_from(_SCHEME.direction.ceiling + _SCHEME.direction.floor),
    amounts,
    amounts,
)
@example(
    "培训人数", "", "投诉率", Decimal("1999"), Decimal("2000")
)  # rounds to full marks both ways
def test_swapping_the_name_changes_the_direction_as_the_scheme_says(
    neutral: str, prefix: str, word: str, goal: Decimal, done: Decimal
) -> None:
    """Comparator-less target: a reverse name scores as ≤, a neutral one as ≥, as listed."""
    named = prefix + word
    kind = _SCHEME.direction.decide(named)
    assert kind is not None
    assert kind[0] in ("ceiling", "floor")
    # A neutral prefix keeps the listed word's kind.
    assert kind[0] == ("ceiling" if word in _SCHEME.direction.ceiling else "floor")
    target, actual = f"{goal}%", f"{done}%"
    as_listed = _score(named, target, actual)
    as_neutral = _score(neutral, target, actual)
    written = "≤" if kind[0] == "ceiling" else "≥"
    assert as_listed.computed == _score(neutral, written + target, actual).computed
    assert as_neutral.computed == _score(neutral, "≥" + target, actual).computed
    if goal != done:  # an actual equal to its target restates it: no direction needed
        assert ("按逆向指标计" in as_listed.explanation) == (kind[0] == "ceiling")
        assert "按默认正向计" in as_neutral.explanation
    changed = as_listed.computed != as_neutral.computed
    if kind[0] == "floor" or goal == done:
        assert not changed
    # A reverse name scores as ≤ (asserted above), which usually changes the score; not
    # always: 10 × 1999 / 2000 = 9.995 rounds to the full 10.00 the neutral name gets.


@given(st.sampled_from(_SCHEME.direction.ambiguous), amounts, amounts)
def test_a_name_that_does_not_say_goes_to_review(word: str, goal: Decimal, done: Decimal) -> None:
    """A name whose only direction word is ambiguous (周期, 时长) is a person's call."""
    assume(goal != done)
    score = _score("项目" + word, f"{goal}天", f"{done}天")
    assert score.status is Status.NEEDS_REVIEW
