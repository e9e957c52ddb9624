"""Issue 18's judgements about words around a value, as pure functions for the rules.

:func:`target_direction` says which way a target without a comparator points, from
the indicator's name and the scheme's ``[direction]`` lists;
:func:`bound_verdict` says whether an actual that states a bound (``低于95%``,
``100人以下``, ``≥266米``) surely meets, surely misses, or straddles a target;
:func:`prose_reading` finds the one number of a sentence that answers a target
(``完成了860人的培训``).  :mod:`perfscore.score.rules` turns both into points.
"""

from __future__ import annotations

import enum
from decimal import Decimal

import attrs

from ..parse._tokenizer import COMPARATOR_SUFFIXES, COMPARATOR_WORDS, normalize
from ..parse.prose import quantities_in
from ..parse.units import compare_units, vocabulary
from ..parse.values import Comparator, Qualitative, Quantity
from ..parse.vocabulary import REACH_WORDS, NameDirection, unaccounted

__all__ = ["Bound", "ProseReading", "bound_verdict", "prose_reading", "target_direction"]

_COMPARATOR_WORDS_LONGEST = sorted(COMPARATOR_WORDS, key=len, reverse=True)
_BOUND_SUFFIXES = tuple(COMPARATOR_SUFFIXES)
_Interval = tuple[Decimal | None, bool, Decimal | None, bool]  # low, inclusive, high, inclusive


class Bound(enum.Enum):
    """What an actual that states a bound says about a target."""

    MET = "met"  # every value the bound allows meets the target
    MISSED = "missed"  # none does
    STRADDLES = "straddles"  # some do, some do not: a person decides


def bound_verdict(
    actual: Quantity, value: Decimal, goal: Decimal, comparator: Comparator, two_sided: bool
) -> Bound | None:
    """The verdict of an actual that states a bound; None when it states a value.

    ``value`` is the actual's number in the target's unit, ``goal`` the target's,
    ``comparator`` the target's (or the one its name implies).  Words that say a
    value was reached (达到96%, 提高到, 保持在) state a value, not a bound.
    """
    said = actual.comparator
    if said is None or said is Comparator.EQ or _reached(actual):
        return None
    if comparator is Comparator.EQ and two_sided:
        wanted: _Interval = (goal, True, goal, True)
    elif comparator.is_upper_bound:
        wanted = (None, False, goal, comparator is Comparator.LE)
    else:
        wanted = (goal, comparator is not Comparator.GT, None, False)
    stated: _Interval = (
        (None, False, value, said is Comparator.LE)
        if said.is_upper_bound
        else (value, said is Comparator.GE, None, False)
    )
    if _within(stated, wanted):
        return Bound.MET
    return Bound.MISSED if _disjoint(stated, wanted) else Bound.STRADDLES


def _reached(actual: Quantity) -> bool:
    """Whether the actual's comparator word says the value was reached (达到96%)."""
    folded, label = normalize(actual.text), normalize(actual.label)
    rest = folded[len(label) :].lstrip() if folded.startswith(label) else folded
    if rest.endswith(_BOUND_SUFFIXES):
        return False
    word = next((w for w in _COMPARATOR_WORDS_LONGEST if rest.startswith(w)), "")
    return word in REACH_WORDS


def _within(inner: _Interval, outer: _Interval) -> bool:
    low, low_in, high, high_in = inner
    o_low, o_low_in, o_high, o_high_in = outer
    if o_low is not None and (
        low is None or low < o_low or (low == o_low and low_in and not o_low_in)
    ):
        return False
    return not (
        o_high is not None
        and (high is None or high > o_high or (high == o_high and high_in and not o_high_in))
    )


def _disjoint(a: _Interval, b: _Interval) -> bool:
    def below(x: _Interval, y: _Interval) -> bool:  # x lies wholly below y
        high, high_in, low, low_in = x[2], x[3], y[0], y[1]
        if high is None or low is None:
            return False
        return high < low or (high == low and not (high_in and low_in))

    return below(a, b) or below(b, a)


@attrs.frozen
class ProseReading:
    """A sentence's answer: the quantity to score, or why a person must read it."""

    quantity: Quantity | None = None
    review: str = ""


def prose_reading(target: Quantity, actual: Qualitative, names: tuple[str, ...]) -> ProseReading:
    """A sentence with numbers (``完成了860人的培训``): its number, never its completion word.

    Read only when exactly one number answers the target by unit and every other word
    is one of ``names`` or passable; a sentence with a digit that cannot be read so
    goes to a person.  An empty reading (judge by the words) when it holds no number.
    """
    found = quantities_in(actual.text)
    answering = [(q, start, end) for q, start, end in found if _answers(q, target)]
    if len(answering) == 1:
        quantity, start, end = answering[0]
        rest = (actual.text[:start], actual.text[end:])
        words = [w for part in rest for w, _ in unaccounted(normalize(part), names)]
        if not words:
            label = actual.text[:start].strip()
            return ProseReading(attrs.evolve(quantity, text=actual.text.strip(), label=label))
        return ProseReading(
            review=f"完成情况「{actual.text}」中有数字「{actual.text[start:end]}」，但其余文字"
            f"「{'、'.join(words)}」未能识别，需人工核对"
            " (a sentence with a number: the other words were not understood)"
        )
    digits = any(ch.isdigit() for ch in normalize(actual.text))
    if found and (digits or answering):
        shown = "、".join(actual.text[start:end] for _, start, end in found)
        return ProseReading(
            review=f"完成情况「{actual.text}」中有数字（{shown}），无法确定哪一个是完成值，"
            "需人工核对 (a sentence with numbers: which one answers the target?)"
        )
    return ProseReading()


def _answers(quantity: Quantity, target: Quantity) -> bool:
    """Whether a number of a sentence counts what the target counts (same or convertible unit)."""
    if quantity.unit == target.unit:
        return True
    if quantity.unit is None or target.unit is None:
        return False
    known = vocabulary().units
    if quantity.unit not in known or target.unit not in known:
        return False
    return compare_units(quantity.unit, target.unit).factor is not None


def target_direction(
    target: Quantity, direction: NameDirection, name: str, is_cost: bool
) -> tuple[Comparator | None, str]:
    """The comparator a target applies, and the note saying which rule decided.

    Its own comparator; a zero target is a ceiling; else the word that ends the
    indicator's name (or the target's label) in the scheme's lists; else ≤ for a 成本
    indicator and ≥ otherwise, saying so.  None (with the reason) when the name's
    word does not say whether higher or lower is better: a person decides.
    """
    if target.comparator is not None:
        return target.comparator, ""
    if target.magnitude == 0:
        # "0起" (accidents): a target of none means "no more than 0", never "at least 0".
        return Comparator.LE, "（目标为0，按不超过0计）"
    name = target.label if direction.decide(target.label) else name
    kind, word = direction.decide(name) or ("", "")
    if kind == "ceiling":
        return Comparator.LE, f"（未写比较符，名称含「{word}」，按逆向指标计，即不超过目标）"
    if kind == "floor":
        return Comparator.GE, f"（未写比较符，名称含「{word}」，按正向指标计）"
    if is_cost:
        return Comparator.LE, "（成本指标未写比较符，按不超过计）"
    if kind == "ambiguous":
        return None, (
            f"目标 {target.text} 未写比较符，指标名称「{name}」中的「{word}」未说明越高越好"
            "还是越低越好，需人工核对 (no comparator, and the name does not say which way"
            " is better)"
        )
    return Comparator.GE, "（未写比较符，按名称未能判断方向，按默认正向计）"
