"""Numbers and labels every report format shares, so each is spelled once."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from .._display import SEVERITY_LABELS as SEVERITY_LABELS  # re-exported for report/
from ..parse.values import format_decimal
from ..score.rollup import Evaluation
from ..score.scoring import Status

STATUS_LABELS: dict[Status, str] = {
    Status.FULL: "满分",
    Status.PARTIAL: "部分得分",
    Status.ZERO: "零分",
    Status.MANUAL: "按填报",
    Status.NEEDS_REVIEW: "需复核",
    Status.NOT_APPLICABLE: "不适用",
    Status.HEADING: "上级指标",
}

# A cell starting with one of these is run as a formula by spreadsheets (CSV injection).
_DASH = "—"
_NUMERALS = "一二三四五六七八九十"


def grade_label(evaluation: Evaluation) -> str:
    """自评等级 for the unit's own scores; with recompute the grade is the scheme's, and
    calling it the unit's 自评等级 would put words in the unit's mouth."""
    return "评分等级（按方案重算）" if evaluation.recompute else "自评等级"


# --- numbers --------------------------------------------------------------------------


def display_places(evaluation: Evaluation) -> int:
    """The decimal places for scores: the scheme's, or more if a counted score has more."""
    values: list[Decimal] = [evaluation.total, *(s.counted for s in evaluation.scores)]
    if evaluation.execution is not None:
        values.append(evaluation.execution.counted)
    return max([evaluation.scheme.places, *(_own_places(v) for v in values)])


def _own_places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def fmt(value: Decimal | None, places: int) -> str:
    """Format a score with ``places`` decimals, or more rather than round a digit away."""
    if value is None:
        return ""
    places = max(places, _own_places(value))
    return f"{value.quantize(Decimal(1).scaleb(-places)):f}"


def _weight(value: Decimal | None) -> str:
    return "" if value is None else format_decimal(value)


def _percent(rate: Decimal) -> str:
    return f"{(rate * 100).quantize(Decimal('0.01')):f}%"


def _sum(values: Iterable[Decimal | None]) -> Decimal | None:
    """The sum, or None if any part is missing (a sum of shown blanks is not shown)."""
    items = list(values)
    if any(v is None for v in items):
        return None
    return sum((v for v in items if v is not None), Decimal(0))


# Characters XML 1.0 (and so XLSX) cannot hold, and lone surrogates (from JSON), which
# no UTF-8 output can hold: replaced by a visible U+FFFD so nothing vanishes silently.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Replace characters no output can hold (controls, U+FFFE, lone surrogates) with ``�``."""
    return _UNSAFE.sub("\ufffd", text)


_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?%?")


def starts_formula(text: str) -> bool:
    """Whether a spreadsheet would run ``text`` as a formula (also after leading spaces).

    A plain number such as ``-6`` or ``-1.5%`` is a value, not a formula: it stays a number.
    """
    stripped = text.lstrip(" \t\r\n")
    return stripped[:1] in ("=", "+", "-", "@") and not _PLAIN_NUMBER.fullmatch(stripped)


def neutralise(text: str) -> str:
    """Make ``text`` safe for a CSV cell: ``'`` before a formula start, unsafe characters replaced.

    ``=100%`` → ``'=100%``; a plain number such as ``-6`` stays a number.
    """
    text = clean_text(text)
    return "'" + text if starts_formula(text) else text
