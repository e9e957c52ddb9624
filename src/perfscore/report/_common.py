"""Numbers and labels every report format shares, so each is spelled once."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, getcontext, localcontext

from .._display import SEVERITY_LABELS as SEVERITY_LABELS  # re-exported for report/
from .._safe import neutralise as neutralise
from .._safe import safe_text
from .._safe import starts_formula as starts_formula
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


_QUANTA = {n: Decimal(1).scaleb(-n) for n in range(9)}


def fmt(value: Decimal | None, places: int) -> str:
    """Format a score with ``places`` decimals, or more rather than round a digit away."""
    if value is None:
        return ""
    quantum = _QUANTA.get(places)
    if quantum is not None and value.same_quantum(quantum):
        return f"{value:f}"  # already with exactly these places (most scores): as it is
    places = max(places, _own_places(value))
    quantum = _QUANTA.get(places) or Decimal(1).scaleb(-places)
    if value.is_finite() and value.adjusted() + places + 2 <= getcontext().prec:
        # The precision below would be the context's own: the same quantize, no new context.
        return f"{value.quantize(quantum):f}"
    with localcontext() as context:
        # A published score with 26+ places needs more than 28 digits to be shown whole.
        context.prec = max(context.prec, value.adjusted() + places + 2)
        return f"{value.quantize(quantum):f}"


def _weight(value: Decimal | None) -> str:
    return "" if value is None else format_decimal(value)


def _percent(rate: Decimal) -> str:
    with localcontext() as context:
        context.prec = max(context.prec, rate.adjusted() + 6)
        return f"{(rate * 100).quantize(Decimal('0.01')):f}%"


def _sum(values: Iterable[Decimal | None]) -> Decimal | None:
    """The sum, or None if any part is missing (a sum of shown blanks is not shown)."""
    items = list(values)
    if any(v is None for v in items):
        return None
    return sum((v for v in items if v is not None), Decimal(0))


# The one neutralising function every writer uses (formulas, controls, surrogates).
clean_text = safe_text
