"""Digits as people type them: separators inside numbers, and other scripts' digits.

Checked once on the folded text, before any rule reads a number, so that no
rule can read part of a number as a whole one:

- A comma between digits (``,`` or full-width ``，``) is a thousands separator
  only when the digits group by three: a first group of one to three digits
  (not starting with 0),
  then groups of exactly three (``63，450.00元``, ``2，360，000元``).  Any other
  comma between two digits (``1,2000人``, ``1，23人``, ``1.5,2``) could mean a
  different number or a list, so the text is refused with the digits named:
  it is never read as another number.  A comma with a non-digit on either side
  (``100人，50项``) is a clause break, as before.
- ``、`` between digits is refused whatever the grouping: ``100、200`` lists
  two numbers as often as ``63、450`` writes one, and only the writer knows.
- Two or more decimal points followed by groups of three (``2．360．000元``)
  write thousands the European way or are a typo; refused, never a decimal.
- Digits of another script (``٣95``, ``३``) are refused rather than skipped.
"""

from __future__ import annotations

import re

from ..errors import TargetSyntaxError

__all__ = ["THOUSANDS_SEPARATORS", "check_digits"]

THOUSANDS_SEPARATORS = ",，"
# Whatever may need a look: a non-ASCII decimal digit, a separator between two
# digits, or a run of dotted groups.  One search per text; nothing found in most.
_SUSPECT = re.compile(r"(?![0-9])\d|(?<=\d)[,，、](?=\d)|\d\.\d{3}\.\d{3}(?!\d)")
_RUN = re.compile(r"[0-9]+(?:[,，、.][0-9]+)+")
_GROUPED = re.compile(r"[1-9][0-9]{0,2}(?:[,，][0-9]{3})+(?:\.[0-9]+)?")


def check_digits(folded: str, source: str) -> None:
    """Raise :class:`TargetSyntaxError` for digits that cannot be read as one exact number.

    ``folded`` is ``source`` after :func:`~perfscore.parse._folding.fold` (same positions).
    """
    if _SUSPECT.search(folded) is None:
        return
    for position, ch in enumerate(folded):
        if ch.isdecimal() and not "0" <= ch <= "9":
            raise TargetSyntaxError(
                f"「{source[position]}」不是阿拉伯数字或汉字数字，请改写"
                f" (digit {source[position]!r} of another script: write 0–9)",
                source=source,
                span=(position, position + 1),
            )
    for run in _RUN.finditer(folded):
        _check_run(run, folded, source)


def _check_run(run: re.Match[str], folded: str, source: str) -> None:
    """One run of digits joined by separators or points: grouped by three, or refused."""
    text = run.group(0)
    dots = text.count(".")
    has_comma = any(ch in text for ch in ",，、")
    if not has_comma and dots < 2:
        return  # an ordinary decimal, 12.5
    if not has_comma:
        groups = text.split(".")
        if all(len(g) == 3 for g in groups[1:]):
            raise _refused(
                run,
                source,
                f"「{source[run.start() : run.end()]}」有多个小数点：是千位分隔吗？请用“,”或不分隔"
                " (several decimal points: write thousands with ',' or none)",
            )
        return  # a date (2024.12.31) or another shape the parser judges
    preceded = run.start() > 0 and folded[run.start() - 1] == "."
    if "、" in text:
        raise _refused(
            run,
            source,
            f"「{source[run.start() : run.end()]}」中的「、」在数字之间：是千位分隔还是并列？请核对"
            " ('、' between digits: thousands or a list?)",
        )
    if preceded or _GROUPED.fullmatch(text) is None:
        raise _refused(
            run,
            source,
            f"「{source[run.start() : run.end()]}」中的逗号不是每三位一组的千位分隔符，"
            "无法确定是哪个数，请核对"
            " (a comma between digits that does not group by three: which number is meant?)",
        )


def _refused(run: re.Match[str], source: str, message: str) -> TargetSyntaxError:
    return TargetSyntaxError(message, source=source, span=(run.start(), run.end()))
