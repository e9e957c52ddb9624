"""The distinct-row fast path (issue 21): the commonest pairs judged without the detours.

A row whose texts are new (a national batch) goes through every layer of the scorer:
the parser's caches and its table of fast paths, and then :func:`.scoring._judge`'s
checks — unread words, labels, and in :func:`.rules._score_quantity` plausibility, units,
approximations and stated bounds — each of which returns "nothing to say" for the
commonest pairs.  :func:`fused_rule` is the rule for those pairs with the checks that
provably say nothing left out, and gives the very :class:`~.rules.Result` the full path
gives, or None when it is not sure — then the full path runs.  Dates go to
:func:`.rules._score_date` itself; quantities to :func:`.words.target_direction` and
then :func:`_fused_compare`, which is :func:`.rules._compare` and _score_quantity's
wrapping in one Result for a positive goal, or :func:`.rules._compare` itself.

The pairs it takes, each with no label and no trailing words (the caller,
``scoring._fused_row``, adds the values' warnings as _judge does):

- quantity against quantity in the same known unit, the actual without comparator or
  approximation, neither negative (``≥95%`` → ``93.5%``, ``≤160万元`` → ``150.3万元``);
- deadline or period against a completion date or period (``2024年12月31日前`` →
  ``2024年11月20日``, ``第四季度`` → ``2024年10月``).

Why each left-out check says nothing for them (the proof; tests/score/test_fused.py
compares both paths on every case table, the benchmark mixtures, every preset, schemes
no preset is, and Hypothesis pairs):

- ``_unread`` reads only ``trailing`` words, ``_unaccounted`` only labels and the
  forecast words 预/預 of the actual, ``_negated`` only the actual's label;
- ``_implausible`` needs one side without a unit; ``convert_actual`` returns the actual's
  magnitude and no warning for one known unit on both sides; ``_approximate`` and
  ``_stated_bound`` need an approximation or a comparator on the actual; the negative
  actual rule needs a negative actual; ``_shown_actual`` shows the actual's text when it
  has a unit; ``_says_none`` is checked as the full path checks it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ..parse.values import Comparator, Deadline, Period, Quantity, Value, format_decimal
from .rules import _TARGET, Context, Later, Result, _compare, _replaced, _says_none, _score_date
from .scheme import Formula, Scheme
from .words import target_direction

__all__ = ["fused_rule"]

_ZERO = Decimal(0)
_ONE = Decimal(1)


def fused_rule(target: Value, actual: Value, weight: Decimal, context: Context) -> Result | None:
    """What ``_unread or _unaccounted or score_value`` gives for a common pair; None: not sure.

    Raises what the rule raises (ArithmeticError, ValueError): the caller declines then,
    and the full path words the review.
    """
    kind, other = type(target), type(actual)
    if kind is Quantity:
        if other is not Quantity:
            return None
        return _quantities(target, actual, weight, context)  # type: ignore[arg-type]
    if (kind is Deadline or kind is Period) and (other is Deadline or other is Period):
        if (
            target.label  # type: ignore[union-attr]
            or target.trailing  # type: ignore[union-attr]
            or actual.label  # type: ignore[union-attr]
            or actual.trailing  # type: ignore[union-attr]
            or "预" in actual.text
            or "預" in actual.text
        ):
            return None
        return _dates(target, actual, weight, context)  # type: ignore[arg-type]
    return None


def _dates(
    target: Deadline | Period, actual: Deadline | Period, weight: Decimal, context: Context
) -> Result:
    """_score_date for a date against a date, its explanation written when first read.

    _score_date's steps for these values (no label: nothing negated; both dates): the
    due date and the completion date resolved as it resolves them (a date that does not
    exist raises here as there), on time, or late under the formula every preset
    writes (``0``, so 0 points); anything else is _score_date's own.
    """
    due = target.resolve(context.year)
    if due is None:
        return _score_date(target, actual, weight, context)
    done = actual.resolve(context.year if context.year is not None else due.year)
    if done is None:
        return _score_date(target, actual, weight, context)
    if done <= due:
        return Result(weight, Later(_on_time, done, due, target.text, weight))
    formula = context.scheme.deadline_late
    if formula.expression != "0":
        return _score_date(target, actual, weight, context)
    # The formula's value is Decimal("0"): max(0, 0), and min(0, weight ≥ 0), keep it.
    days_late = Decimal((done - due).days)
    return Result(_ZERO, Later(_late, done, due, days_late, target.text, formula, weight, context))


def _on_time(done: date, due: date, text: str, weight: Decimal) -> str:
    """_score_date's text for a date on time."""
    return f"完成时间 {done} 不晚于期限 {due}（{text}），得满分 {format_decimal(weight)}"


def _late(
    done: date,
    due: date,
    days_late: Decimal,
    text: str,
    formula: Formula,
    weight: Decimal,
    context: Context,
) -> str:
    """_formula_how's text for a late date, the target named as _score_date names it."""
    rendered = formula.render(weight=weight, days_late=days_late)
    shown = context.scheme.round(_ZERO)
    verb = f"完成时间 {done} 晚于期限 {due}（迟 {days_late} 天）"
    return f"{verb} 「{text}」，得分 = {rendered} = {shown:f}"


def _quantities(
    target: Quantity, actual: Quantity, weight: Decimal, context: Context
) -> Result | None:
    """_score_quantity for one known unit on both sides and a plain actual number."""
    unit = target.unit
    if (
        unit is None
        or actual.unit != unit
        or target.unit_text
        or actual.unit_text
        or target.label
        or target.trailing
        or actual.label
        or actual.trailing
        or actual.comparator is not None
        or actual.approximation is not None
        or "预" in actual.text
        or "預" in actual.text
    ):
        return None
    goal, value = target.magnitude, actual.magnitude
    if value < _ZERO or goal < _ZERO:
        return None
    comparator, note = target_direction(
        target, context.scheme.direction, context.name, context.is_cost
    )
    if comparator is None:
        return None
    if _says_none(actual) and not comparator.is_upper_bound and goal > 0:
        return None
    fused = _fused_compare(
        goal, value, comparator, weight, context.scheme, context.is_cost, actual.text,
        target.text + note,
    )  # fmt: skip
    if fused is not None:
        return fused
    result = _compare(goal, value, comparator, weight, context)
    how = Later(_replaced, result, _TARGET, f"{target.text}{note}", f"完成值 {actual.text} ")
    return Result(result.points, how, result.warnings, result.over_share)


# The formulas every preset writes for "not met", computed here as their compiled code
# computes them (the same Decimal operations in the same order and context); a scheme
# that writes anything else is computed by its Formula.
_HIGHER = "weight * actual / target"
_LOWER = "weight * target / actual"


def _fused_compare(
    goal: Decimal,
    value: Decimal,
    comparator: Comparator,
    weight: Decimal,
    scheme: Scheme,
    is_cost: bool,
    shown: str,
    named: str,
) -> Result | None:
    """_compare and _score_quantity's wrapping in one Result, for a positive goal; else None.

    Each branch is _compare's for a goal above 0, with its explanation written as
    ``_replaced`` writes it (``完成值 {shown} `` + the rule's text, the target named);
    the branches left to _compare: a goal of 0, a two-sided ``=``, a cost under budget
    scored B/A, an uncapped scheme, an over-achievement deducted, a formula not above.
    """
    if goal <= 0 or (comparator is Comparator.EQ and scheme.equal_two_sided):
        return None
    if comparator is Comparator.LE or comparator is Comparator.LT:
        if value < goal and is_cost and scheme.cost_under_budget == "B/A":
            return None
        if value <= goal if comparator is Comparator.LE else value < goal:
            return Result(weight, Later(_met, shown, named, "", weight))
        formula, verb = scheme.lower_unmet, "超过目标"
        if formula.expression != _LOWER:
            return None
        raw = weight * goal / value
    else:
        if value >= goal if comparator is not Comparator.GT else value > goal:
            if not scheme.cap:
                return None
            share = (value - goal) / goal
            if share <= scheme.over_share:
                return Result(weight, Later(_met, shown, named, "", weight), over_share=share)
            if scheme.over_deduct is not None:
                return None
            percent = format_decimal((share * 100).quantize(_ONE))
            limit = format_decimal(scheme.over_share * 100)
            warning = (
                f"完成值超出目标 {percent}%（超过 {limit}%），目标可能设定偏低"
                f" (actual exceeds the target by {percent}%: target probably set too low)"
            )
            how = _met(shown, named, f"（超出 {percent}%）", weight)
            return Result(weight, how, (warning,), share)
        formula, verb = scheme.higher_unmet, "未达到目标"
        if formula.expression != _HIGHER:
            return None
        raw = weight * value / goal
    points = max(raw, _ZERO)
    points = min(points, weight) if scheme.cap else points
    return Result(
        points, Later(_unmet, shown, verb, named, formula, weight, value, goal, points, scheme)
    )


def _met(shown: str, named: str, extra: str, weight: Decimal) -> str:
    """_verdict's text for a met target, named and prefixed as _score_quantity does."""
    return f"完成值 {shown} 达到目标 {named}{extra}，得满分 {format_decimal(weight)}"


def _unmet(
    shown: str,
    verb: str,
    named: str,
    formula: Formula,
    weight: Decimal,
    value: Decimal,
    goal: Decimal,
    points: Decimal,
    scheme: Scheme,
) -> str:
    """_formula_how's text, named and prefixed as _score_quantity does."""
    rendered = formula.render(weight=weight, actual=value, target=goal)
    return f"完成值 {shown} {verb} {named}，得分 = {rendered} = {scheme.round(points):f}"
