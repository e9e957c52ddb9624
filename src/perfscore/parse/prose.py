"""The numbers written inside prose: ``完成了860人的培训`` holds one, 860人.

An actual written as a sentence is qualitative, but a number in it says more than its
words: a completion word never overrides it (issue 18).  :func:`quantities_in` finds
every number with its unit, so the scorer can read a sentence only when exactly one
number answers the target.
"""

from __future__ import annotations

from ..errors import TargetSyntaxError
from ._tokenizer import CN_NUMERAL_CHARS, Tokenizer, normalize
from .targets import _measure
from .values import Quantity

__all__ = ["quantities_in"]

_MAX_PROSE = 500


def quantities_in(text: str) -> tuple[tuple[Quantity, int, int], ...]:
    """Every number in ``text`` read with its unit: ``(quantity, start, end)`` in order.

    Chinese numerals count only with a unit (一般 is a word, 八百六十人 a number).
    Text longer than 500 characters gives nothing: no sentence in a table is that long.
    """
    if len(text) > _MAX_PROSE:
        return ()
    folded = normalize(text)
    found: list[tuple[Quantity, int, int]] = []
    position = 0
    while position < len(text):
        char = folded[position]
        starts = char.isdigit() or (char in CN_NUMERAL_CHARS and char not in "万亿")
        if starts and (position == 0 or not folded[position - 1].isdigit()):
            tokenizer = Tokenizer(text, start=position, folded=folded)
            try:
                value = _measure(tokenizer, None)
            except TargetSyntaxError:
                value = None
            chinese = not char.isdigit()
            if isinstance(value, Quantity) and not (chinese and value.unit is None):
                end = tokenizer.position
                found.append((value, position, end))
                position = max(end, position + 1)
                continue
        position += 1
    return tuple(found)
