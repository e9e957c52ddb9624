"""The lean lane (issue 21): a new ``≥135人`` → ``140人`` row scored in one pass.

A national batch writes every target and actual anew, so the outcome cache pauses and
each row goes through the parser's fast path and the fused rule (:mod:`._fused`):
reading a quantity there builds its :class:`~perfscore.parse.values.Quantity` from a
regex of every comparator, multiplier and unit, and the rule then checks what such a
quantity cannot have (labels, trailing words, unknown units).  This lane reads the
commonest pair — a comparator word, a plain number and a known unit against a plain
number in the same unit — with one small regex and two dictionaries, and scores it
with :func:`._fused._fused_compare`, the fused path's own rule.

Every character is accounted for: the regex takes the whole text, and the words before
and after the number are looked up in tables filled by asking the parser's own fast
path (:func:`perfscore.parse.targets._simple_quantity`) what it reads for them, once
per word: a word it reads otherwise, or not at all, sends the row to the full path.
So the lane reads a text only as the parser reads it (tests/score/test_lean.py
compares the two on every comparator and unit word, the case tables and Hypothesis
texts), and scores it only as the fused path scores it (the same comparison of whole
Scores).  Whenever it is not sure it returns None and the row goes the usual way.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..parse._numerals import MAX_DIGITS
from ..parse.targets import _simple_quantity
from ..parse.values import Comparator, Quantity
from ._fused import _fused_compare
from .rules import Result
from .scheme import Scheme
from .words import target_direction

__all__ = ["Read", "Values", "candidate", "lean_quantities", "read", "values"]

# The whole folded text: words without digits, dots or signs; a plain number; words
# without digits, separators, dots or signs.
_SHAPE = re.compile(r"([^0-9.\-+]{0,12})([0-9]+(?:\.[0-9]+)?)([^0-9.,，\-+]{0,12})")

_NO: object = object()  # a word the parser's fast path does not read as the lane needs
_UNSEEN: object = object()  # a word not looked up yet

# What the parser's fast path reads for a word before the number (its comparator) and
# after it (its unit name), filled on first sight; _NO for a word the lane leaves alone.
_BEFORE: dict[str, object] = {"": None}
_AFTER: dict[str, object] = {}
_KEPT = 4096  # words kept at most in each table (real tables use a few dozen)

_ONE, _HALVES = Decimal(1), Decimal("2.5")


def _before(word: str) -> object:
    """The comparator the fast path reads for ``word`` before a number; _NO if anything else."""
    found = _plain_reading(f"{word}1人", _ONE)
    plain = found is not None and found.comparator is not None and found.unit == "人"
    return _remember(_BEFORE, word, found.comparator if plain else _NO)  # type: ignore[union-attr]


def _after(word: str) -> object:
    """The unit name the fast path reads for ``word`` after a number; _NO if anything else."""
    one, other = _plain_reading(f"1{word}", _ONE), _plain_reading(f"2.5{word}", _HALVES)
    plain = (
        one is not None
        and other is not None
        and one.unit is not None
        and one.unit == other.unit
        and one.comparator is None
        and other.comparator is None
    )
    return _remember(_AFTER, word, one.unit if plain else _NO)  # type: ignore[union-attr]


def _plain_reading(text: str, magnitude: Decimal) -> Quantity | None:
    """The fast path's Quantity of ``text`` if it is ``magnitude`` and nothing else is read
    (:func:`_plain`: no label, trailing words, warning, approximation, unknown unit or bare
    multiplier)."""
    found = _simple_quantity(text)
    if found is None or found.magnitude != magnitude or not _plain(found):
        return None
    return found


def _plain(found: Quantity) -> bool:
    return not (
        found.label
        or found.trailing
        or found.warnings
        or found.approximation is not None
        or found.unit_text
        or found.multiplier is not None
    )


def _remember(table: dict[str, object], word: str, reading: object) -> object:
    """Keep ``word``'s reading (up to _KEPT words a table) and return it."""
    if len(table) < _KEPT:
        table[word] = reading
    return reading


_DIGIT = re.compile(r"[0-9０-９]")


def candidate(text: str) -> bool:
    """Whether ``text`` may be one the lane reads: a digit, and no date word (年, 月, 季).

    Only a cheap first look, so that words and dates (a third of a batch's rows) skip
    folding and :func:`read`: whatever it says, :func:`read` decides.
    """
    return "年" not in text and "月" not in text and "季" not in text and bool(_DIGIT.search(text))


# What read() gives: the comparator written (or None), the magnitude and the unit name.
Read = tuple[Comparator | None, Decimal, str]


def read(folded: str) -> Read | None:
    """(comparator, magnitude, unit name) as the parser reads ``folded``; None: not sure."""
    match = _SHAPE.fullmatch(folded)
    if match is None:
        return None
    before, number, after = match.groups()
    comparator = _BEFORE.get(before, _UNSEEN)
    if comparator is _UNSEEN:
        comparator = _before(before)
    if comparator is _NO:
        return None
    unit = _AFTER.get(after, _UNSEEN)
    if unit is _UNSEEN:
        unit = _after(after)
    if unit is _NO:
        return None
    if len(number) > MAX_DIGITS:
        return None
    return comparator, Decimal(number), unit  # type: ignore[return-value]


def lean_quantities(
    target: Read,
    actual: Read,
    weight: Decimal,
    scheme: Scheme,
    is_cost: bool,
    target_text: str,
    actual_text: str,
    name: str,
) -> tuple[Result, Values] | None:
    """The fused path's Result for two texts :func:`read` read, and what their values are.

    None when not sure.  The values are the fields of the two :class:`Quantity` the
    parser would build (:func:`values` builds them): a Score holds them until they are
    first read.  Raises what the rule raises (ArithmeticError, ValueError).
    """
    if actual[0] is not None or actual[2] != target[2]:
        return None  # a stated bound, or two units: the full path's
    written, goal, unit = target
    value = actual[1]
    shown, named = actual_text.strip(), target_text.strip()
    comparator, note = written, ""
    if comparator is None:
        # No comparator: the direction from the name, as _quantities asks for it.
        comparator, note = target_direction(
            Quantity(named, goal, unit, None, "", "", (), None, "", None),
            scheme.direction,
            name.strip(),
            is_cost,
        )
        if comparator is None:
            return None  # the name does not say which way is better: the full path's review
    result = _fused_compare(goal, value, comparator, weight, scheme, is_cost, shown, named + note)
    if result is None:
        return None
    return result, (named, goal, unit, written, shown, value)


# A lean pair's two values, unbuilt: target text, magnitude, unit, comparator; actual
# text and magnitude (same unit, no comparator).
Values = tuple[str, Decimal, str, Comparator | None, str, Decimal]


def values(kept: Values) -> tuple[Quantity, Quantity]:
    """The target and actual Quantity of a lean pair, as _simple_quantity builds them."""
    named, goal, unit, comparator, shown, value = kept
    return (
        Quantity(named, goal, unit, comparator, "", "", (), None, "", None),
        Quantity(shown, value, unit, None, "", "", (), None, "", None),
    )
