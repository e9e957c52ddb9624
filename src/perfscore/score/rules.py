"""The scorer's rules: one per target kind, each a pure function of target and actual.

:func:`perfscore.score.scoring.score_indicator` reads the row, applies the guards and
calls :func:`score_value`, which picks the rule for the target's kind (quantity, range,
tolerance, change, deadline/period, qualitative, compound).  Each rule returns an
unrounded :class:`Result` with the explanation of how the points came about.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from ..parse._tokenizer import normalize
from ..parse.units import convert_actual
from ..parse.values import (
    Approximation,
    Change,
    Comparator,
    Compound,
    Deadline,
    Direction,
    Outcome,
    Period,
    Qualitative,
    Quantity,
    Range,
    Tolerance,
    Value,
    format_decimal,
)
from .clauses import matching_clause, pair_clauses
from .formulas import in_decimal_context
from .scheme import Formula, Scheme
from .words import Bound, bound_verdict, prose_reading, target_direction

__all__ = [
    "Context",
    "Later",
    "Result",
    "band_points",
    "banded",
    "how_of",
    "phrase_share",
    "review",
    "score_value",
]

_ZERO = Decimal(0)
_TARGET = "\x00target\x00"  # where an explanation names the target
_ONE = Decimal(1)
_HUNDRED = Decimal(100)


class Later:
    """An explanation written only when read: ``Later(function, *args)`` → ``function(*args)``.

    Scores are mostly totalled, not read: the text of how their points came about
    (formulas written out with their numbers, rounded shares) is built on first read.
    """

    __slots__ = ("args", "function")

    def __init__(self, function: Callable[..., str], *args: object) -> None:
        self.function = function
        self.args = args

    def __call__(self) -> str:
        # The rules run in DECIMAL_CONTEXT (scoring._outcome); so does their text, read
        # later under whatever context the reader has (format_decimal normalizes).
        return in_decimal_context(self.function, *self.args)


_KEEP: Any = object()  # Result.revised: a field not given stays as it is


# A Result is made for every rule a row goes through: built by a hand-written __init__
# (one dict update), its ``how`` possibly Later — written when first read (__getattr__);
# equality, hash, repr, attrs.evolve and attrs.asdict read it and so see the text.
@attrs.frozen(init=False, slots=False)
class Result:
    """Unrounded points (None: needs review) and how they came about."""

    points: Decimal | None
    how: str
    warnings: tuple[str, ...] = ()
    over_share: Decimal | None = None

    def __init__(
        self,
        points: Decimal | None,
        how: str | Later,
        warnings: tuple[str, ...] = (),
        over_share: Decimal | None = None,
    ) -> None:
        if isinstance(how, Later):
            self.__dict__.update(points=points, _how=how, warnings=warnings, over_share=over_share)
        else:
            self.__dict__.update(points=points, how=how, warnings=warnings, over_share=over_share)

    if not TYPE_CHECKING:  # mypy keeps checking every other attribute name

        def __getattr__(self, name: str) -> str:
            later = self.__dict__.get("_how") if name == "how" else None
            if later is None:
                raise AttributeError(name)
            text = later()
            self.__dict__["how"] = text  # threads may both write it: the same text
            self.__dict__.pop("_how", None)
            return text

    def __getstate__(self) -> dict[str, object]:
        """Pickled (process pools) with its text written: a Later holds compiled formulas."""
        return {"points": self.points, "how": self.how, "warnings": self.warnings,
                "over_share": self.over_share}  # fmt: skip

    def revised(
        self, *, warnings: tuple[str, ...] = _KEEP, over_share: Decimal | None = _KEEP
    ) -> Result:
        """``attrs.evolve`` of the warnings or the over-share, the explanation left as it
        is: unwritten if it was (evolve reads every field, and so would write it)."""
        return Result(
            self.points,
            how_of(self),
            self.warnings if warnings is _KEEP else warnings,
            self.over_share if over_share is _KEEP else over_share,
        )


def how_of(result: Result) -> str | Later:
    """``result.how`` without writing it: the text, or the Later that writes it."""
    later: Later | None = result.__dict__.get("_how")
    return result.how if later is None else later


def _replaced(result: Result, old: str, new: str, prefix: str = "") -> str:
    return prefix + result.how.replace(old, new)


@attrs.frozen(init=False, slots=False)
class Context:
    scheme: Scheme
    year: int | None
    is_cost: bool
    name: str = ""  # the indicator's name (三级指标): direction and passable words
    names: tuple[str, ...] = ()  # every name a label may repeat (三级, 二级, the target's)

    def __init__(  # one per row: one dict update, not one object.__setattr__ per field
        self,
        scheme: Scheme,
        year: int | None,
        is_cost: bool,
        name: str = "",
        names: tuple[str, ...] = (),
    ) -> None:
        self.__dict__.update(scheme=scheme, year=year, is_cost=is_cost, name=name, names=names)


def review(how: str, *warnings: str) -> Result:
    return Result(None, how, warnings)


def banded(outcome: Outcome, weight: Decimal, context: Context, why: str, text: str = "") -> Result:
    points, formula = band_points(outcome, weight, context, text)
    return Result(points, f"{why}，判定为{outcome.value}，{formula}")


def band_points(
    outcome: Outcome, weight: Decimal, context: Context, text: str = ""
) -> tuple[Decimal, str]:
    """Points for an outcome: the share of the phrase ``text`` uses, else the outcome's."""
    phrase = phrase_share(text, context.scheme) if text else None
    share = context.scheme.qualitative[outcome] if phrase is None else phrase[1]
    points = weight * share
    shown = context.scheme.round(points)
    rule = f"（按「{phrase[0]}」计）" if phrase else ""
    return (
        points,
        f"得分 = {format_decimal(weight)} × {format_decimal(share * 100)}%{rule} = {shown:f}",
    )


def phrase_share(text: str, scheme: Scheme) -> tuple[str, Decimal] | None:
    """The longest phrase of ``qualitative.phrases`` in ``text`` and its share."""
    found = [p for p in scheme.phrase_shares if p in text]
    if not found:
        return None
    phrase = max(found, key=len)
    return phrase, scheme.phrase_shares[phrase]


# --- rules by target kind -------------------------------------------------------------


def score_value(target: Value, actual: Value, weight: Decimal, context: Context) -> Result:
    rule = _RULES[type(target)]
    return rule(target, actual, weight, context)


def _score_quantity(target: Value, actual: Value, weight: Decimal, context: Context) -> Result:
    assert isinstance(target, Quantity)
    if isinstance(actual, Compound):
        picked = matching_clause(target, actual)
        if picked is None:
            return review(
                f"完成值有 {len(actual.clauses)} 项，无法确定哪一项对应目标 {target.text}"
                " (compound actual: which clause answers the target?)"
            )
        actual = picked
    negated = _negated(actual, context)
    if negated is not None:
        return banded(Outcome.NOT_ACHIEVED, weight, context, negated)
    if isinstance(actual, Qualitative):
        return _prose(target, actual, weight, context) or _judged(
            actual, weight, context, f"目标 {target.text}"
        )
    if isinstance(actual, Range):
        return _range_actual(target, actual, weight, context)
    if isinstance(actual, Change):
        return review(
            f"目标 {target.text} 是水平值，完成值「{actual.text}」是增减幅度，无法比较"
            " (target is a level, the actual a change)"
        )
    if not isinstance(actual, Quantity):
        return review(f"完成值「{actual.text}」无法与数量目标 {target.text} 比较 (not comparable)")
    implausible = _implausible(target, actual, context)
    if implausible is not None:
        return implausible
    comparator, note = _direction(target, context)
    if comparator is None:
        return review(note)
    if _says_none(actual) and not comparator.is_upper_bound and target.magnitude > 0:
        # "无" against "≥10个": nothing was done, or there is no figure? A person asks.
        return review(
            f"完成值「{actual.text}」未写数值：是未完成，还是无数据？请核对"
            f" (actual {actual.text!r} gives no figure against {target.text})"
        )
    value, warnings = convert_actual(actual, target)
    if value is None:
        return review(warnings[0], *warnings)
    approximate = _approximate(actual, value, target.magnitude, comparator, context)
    if approximate is not None:
        return approximate
    bound = _stated_bound(actual, value, target.magnitude, comparator, weight, context)
    if bound is not None:
        return bound
    if value < 0 and context.scheme.negative_actual_as_zero and target.magnitude >= 0:
        # Only against a target of 0 or more: against ≥−1% a −2% keeps its sign.
        value, warnings = _ZERO, (*warnings, "完成值为负数，按 0 计 (negative actual counted as 0)")
    result = _compare(target.magnitude, value, comparator, weight, context)
    shown = _shown_actual(actual, target)
    how = Later(_replaced, result, _TARGET, f"{target.text}{note}", f"完成值 {shown} ")
    return Result(result.points, how, (*warnings, *result.warnings), result.over_share)


def _prose(
    target: Quantity, actual: Qualitative, weight: Decimal, context: Context
) -> Result | None:
    """A sentence with numbers is read by its one answering number, or reviewed (words.py)."""
    reading = prose_reading(target, actual, (*context.names, target.label))
    if reading.quantity is not None:
        return _score_quantity(target, reading.quantity, weight, context)
    return review(reading.review) if reading.review else None


def _stated_bound(
    actual: Quantity,
    value: Decimal,
    goal: Decimal,
    comparator: Comparator,
    weight: Decimal,
    context: Context,
) -> Result | None:
    """An actual that states a bound (``低于95%``): met as scored, 未达成, or review."""
    verdict = bound_verdict(actual, value, goal, comparator, context.scheme.equal_two_sided)
    if verdict is Bound.MISSED:
        why = f"完成值「{actual.text}」只写了界限，且在目标的另一侧，未达到目标"
        return banded(Outcome.NOT_ACHIEVED, weight, context, why)
    if verdict is Bound.STRADDLES:
        return review(
            f"完成值「{actual.text}」只写了界限，可能达到也可能未达到目标，需人工核对"
            " (the actual states a bound on both sides of the target)"
        )
    return None


def _says_none(actual: Quantity) -> bool:
    """Whether the actual is a word for "none" (无, 未发生) rather than a written 0."""
    return actual.magnitude == 0 and not any(ch.isdigit() for ch in normalize(actual.text))


def _negated(actual: Value, context: Context) -> str | None:
    """``未达到95%``, ``未于6月底前完成``: a value written after a negation is 未达成."""
    label = getattr(actual, "label", "")
    if label and context.scheme.phrases.negated(normalize(label)):
        return f"完成值「{actual.text}」写明未达到"
    return None


def _implausible(
    target: Quantity | Range | Tolerance, actual: Quantity, context: Context
) -> Result | None:
    """A bare 0.93 against ≥90%, or 95% against ≥0.9: probably another unit, not scored."""
    if not context.scheme.percent_plausibility:
        return None
    percent = "percent"
    goal = _reference(target)
    bare_actual = actual.unit is None and not actual.unit_text
    if target.unit == percent and bare_actual and 0 < actual.magnitude <= 1 < goal:
        likely = format_decimal(actual.magnitude * _HUNDRED)
        return review(
            f"完成值 {actual.text} 未写单位，目标为 {target.text}：是否为 {likely}%？请核对"
            f" (bare {actual.text} against a percent target: {likely}%?)"
        )
    bare_target = target.unit is None and not target.unit_text
    if actual.unit == percent and bare_target and 0 < goal <= 1 < actual.magnitude:
        likely = format_decimal(goal * _HUNDRED)
        return review(
            f"目标 {target.text} 未写单位，完成值为 {actual.text}：目标是否为 {likely}%？请核对"
            f" (bare target against a percent actual: {likely}%?)"
        )
    return None


def _reference(target: Quantity | Range | Tolerance) -> Decimal:
    """The number a target is measured against: its magnitude, upper bound or centre."""
    if isinstance(target, Quantity):
        return target.magnitude
    if isinstance(target, Range):
        return target.high
    return target.center if target.center is not None else target.tolerance


def _approximate(
    actual: Quantity, value: Decimal, goal: Decimal, comparator: Comparator, context: Context
) -> Result | None:
    """Approximate actuals: judged only when the approximation cannot change the verdict."""
    how = actual.approximation
    if how is None:
        return None
    margin = context.scheme.approximate_margin * abs(goal)
    reason = (
        f"完成值「{actual.text}」为近似数，与目标 {format_decimal(goal)} 接近，是否达到无法确定，"
        "需人工核对 (approximate actual too close to the target to judge)"
    )
    if how is Approximation.SEVERAL:
        return review(f"完成值「{actual.text}」为概数，无法计分，需人工核对 (vague number)")
    upper = comparator.is_upper_bound
    # The true value lies above the number (余/多), below it (近), or either side (约).
    low = value - (margin if how is not Approximation.MORE_THAN else _ZERO)
    high = value + (margin if how is not Approximation.JUST_UNDER else _ZERO)
    if how is Approximation.MORE_THAN:
        high = value + margin
    if how is Approximation.JUST_UNDER:
        low = value - margin
    surely_met = high <= goal if upper else low >= goal
    surely_missed = low > goal if upper else high < goal
    if surely_met or surely_missed:
        return None  # scored at the number, with the approximation's warning
    return review(reason)


def _range_actual(target: Quantity, actual: Range, weight: Decimal, context: Context) -> Result:
    """An actual written as a range is judged by its worse end."""
    comparator, why = _direction(target, context)
    if comparator is None:
        return review(why)
    worse = actual.high if comparator.is_upper_bound else actual.low
    result = _score_quantity(target, _range_end(actual, worse), weight, context)
    if actual.approximate:
        return _rough_actual(target, actual, result, weight, context, comparator)
    warning = (
        f"完成值为范围「{actual.text}」，按较不利的一端 {format_decimal(worse)} 计"
        " (range actual judged by its worse end)"
    )
    return result.revised(warnings=(*result.warnings, warning))


def _range_end(actual: Range, end: Decimal) -> Quantity:
    return Quantity(actual.text, end, unit=actual.unit, label=actual.label,
                    unit_text=actual.unit_text, multiplier=actual.multiplier)  # fmt: skip


def _rough_actual(
    target: Quantity,
    actual: Range,
    worse: Result,
    weight: Decimal,
    context: Context,
    comparator: Comparator,
) -> Result:
    """A 概数 actual (三四十万元) is judged only when both its ends give the same verdict.

    Wholly on the good side: met.  Wholly on the bad side: not met, scored by the
    worse end.  Straddling the target: the writer's rough number cannot say, a person does.
    """
    better = actual.low if comparator.is_upper_bound else actual.high
    other = _score_quantity(target, _range_end(actual, better), weight, context)
    if worse.points is None or other.points is None:
        return worse
    if (worse.points == weight) != (other.points == weight):
        return review(
            f"完成值「{actual.text}」是概数（{format_decimal(actual.low)}–"
            f"{format_decimal(actual.high)}），跨越目标 {target.text}，是否达到无法确定，需人工核对"
            " (a rough number on both sides of the target)"
        )
    warning = (
        f"完成值「{actual.text}」是概数，整段在目标同一侧，按较不利的一端计"
        " (rough number wholly on one side of the target: judged by its worse end)"
    )
    return worse.revised(warnings=(*worse.warnings, warning))


def _level(value: Range | Tolerance, magnitude: Decimal) -> Quantity:
    """A stand-in quantity in the range's or tolerance's unit, for unit conversion."""
    return Quantity(value.text, magnitude, unit=value.unit, unit_text=value.unit_text)


def _actual_level(
    target: Range | Tolerance, actual: Value, reference: Decimal, context: Context
) -> tuple[Decimal | None, tuple[str, ...], str]:
    """The actual in the target's unit, or None with the reason."""
    if isinstance(actual, Compound | Range):
        return (
            None,
            ("完成值为多项或范围，无法与范围/容差目标比较 (actual not a single value)",),
            "",
        )
    if not isinstance(actual, Quantity):
        return None, (f"完成值「{actual.text}」不是数值，无法比较 (actual is not a number)",), ""
    implausible = _implausible(target, actual, context)
    if implausible is not None:
        return None, (implausible.how,), ""
    value, warnings = convert_actual(actual, _level(target, reference))
    if value is None:
        return None, warnings, ""
    if actual.approximation is not None:
        return None, ("完成值为近似数，无法判断是否在范围内 (approximate actual)",), ""
    return value, warnings, actual.text


def _said_in_words(actual: Value, weight: Decimal, context: Context, against: str) -> Result | None:
    """A negated actual (未达到…) is 未达成; a qualitative one is judged by its words."""
    negated = _negated(actual, context)
    if negated is not None:
        return banded(Outcome.NOT_ACHIEVED, weight, context, negated)
    if isinstance(actual, Qualitative):
        return _judged(actual, weight, context, against)
    return None


def _score_range(target: Value, actual: Value, weight: Decimal, context: Context) -> Result:
    assert isinstance(target, Range)
    if target.approximate:
        return review(
            f"目标「{target.text}」是概数，没有明确的界限，无法计分，需人工核对"
            " (the target is a rough number, not a bound)"
        )
    said = _said_in_words(actual, weight, context, f"区间目标 {target.text}")
    if said is not None:
        return said
    value, warnings, shown = _actual_level(target, actual, target.high, context)
    if value is None:
        return review(warnings[0], *warnings)
    names = {"weight": weight, "actual": value, "low": target.low, "high": target.high}
    above = value > target.high or (value == target.high and not target.high_inclusive)
    below = value < target.low or (value == target.low and not target.low_inclusive)
    if not above and not below:
        how = f"完成值 {shown} 在区间 {target.text} 内，得满分 {format_decimal(weight)}"
        return Result(weight, how, warnings)
    formula = context.scheme.range_above if above else context.scheme.range_below
    assert formula is not None
    verb = f"完成值 {shown} {'高于区间上限' if above else '低于区间下限'}"
    result = _formula_result(formula, names, verb, context)
    how = result.how.replace(_TARGET, target.text)
    return Result(result.points, how, (*warnings, *result.warnings))


def _score_tolerance(target: Value, actual: Value, weight: Decimal, context: Context) -> Result:
    assert isinstance(target, Tolerance)
    said = _said_in_words(actual, weight, context, f"容差目标 {target.text}")
    if said is not None:
        return said
    reference = target.center if target.center is not None else target.tolerance
    value, warnings, shown = _actual_level(target, actual, reference, context)
    if value is None:
        return review(warnings[0], *warnings)
    # The deviation keeps its sign until here: -6% against ±3% is 6 beyond, never 0.
    deviation = abs(value - target.center) if target.center is not None else abs(value)
    measured = "偏差" if target.center is not None else "偏差（完成值）"
    if deviation <= target.tolerance:
        how = (
            f"{measured} {format_decimal(deviation)} 在容差 {target.text} 内，"
            f"得满分 {format_decimal(weight)}"
        )
        return Result(weight, how, warnings)
    names = {"weight": weight, "tolerance": target.tolerance, "deviation": deviation}
    formula = context.scheme.tolerance_beyond
    assert formula is not None
    verb = f"完成值 {shown} 的{measured} {format_decimal(deviation)} 超出容差"
    result = _formula_result(formula, names, verb, context)
    return Result(
        result.points, result.how.replace(_TARGET, target.text), (*warnings, *result.warnings)
    )


def _score_change(target: Value, actual: Value, weight: Decimal, context: Context) -> Result:
    assert isinstance(target, Change)
    said = _said_in_words(actual, weight, context, f"增减目标 {target.text}")
    if said is not None:
        return said
    if not isinstance(actual, Change) or actual.signed is None:
        return review(
            f"目标「{target.text}」是较上年的变化，完成值「{actual.text}」未写变化幅度；"
            "缺少上年数据，无法计分，需人工核对"
            " (target is a change against last year; the actual gives no change)"
        )
    if (target.unit or "") != (actual.unit or "") and Direction.FLAT not in (
        target.direction,
        actual.direction,
    ):
        return review(
            f"目标「{target.text}」与完成值「{actual.text}」的幅度单位不同（%与个百分点不可换算）"
            " (the change units differ: % vs percentage points)"
        )
    return _compare_change(target, actual.signed, actual.text, weight, context)


def _compare_change(
    target: Change, signed: Decimal, shown: str, weight: Decimal, context: Context
) -> Result:
    """Compare signed changes: a fall against a required rise is 0; a smaller rise pro rata."""
    wanted = target.signed
    assert wanted is not None
    if target.direction is Direction.FLAT:
        comparator = target.comparator
        met = (
            signed >= 0
            if comparator is Comparator.GE
            else signed <= 0
            if comparator in (Comparator.LE, Comparator.LT)
            else signed == 0
        )
        verdict = "符合" if met else "不符合"
        points = weight if met else _ZERO
        how = f"完成值 {shown}（变化 {format_decimal(signed)}）{verdict}目标 {target.text}"
        return Result(points, f"{how}，得分 {format_decimal(points)}")
    # Work in the target's direction: for 下降 targets a larger fall is better.
    sign = Decimal(target.direction.sign)
    achieved, goal = signed * sign, abs(wanted)
    if target.comparator in (Comparator.LE, Comparator.LT):
        met = achieved <= goal
        if met and achieved >= 0:
            return Result(
                weight, f"完成值 {shown} 不超过目标 {target.text}，得满分 {format_decimal(weight)}"
            )
        if achieved < 0:
            return Result(_ZERO, f"完成值 {shown} 方向与目标 {target.text} 相反，得分 0")
        names = {"weight": weight, "actual": achieved, "target": goal}
        result = _formula_result(context.scheme.lower_unmet, names, f"完成值 {shown} 超过", context)
        return attrs.evolve(result, how=result.how.replace(_TARGET, target.text))
    if achieved >= goal:
        return Result(
            weight, f"完成值 {shown} 达到目标 {target.text}，得满分 {format_decimal(weight)}"
        )
    if achieved <= 0:
        return Result(_ZERO, f"完成值 {shown} 与目标 {target.text} 方向相反或无变化，得分 0")
    names = {"weight": weight, "actual": achieved, "target": goal}
    formula = context.scheme.change_smaller
    assert formula is not None
    result = _formula_result(formula, names, f"完成值 {shown} 幅度小于", context)
    return attrs.evolve(result, how=result.how.replace(_TARGET, target.text))


def _shown_actual(actual: Quantity, target: Quantity) -> str:
    if actual.unit is None and target.unit is not None:
        return f"{actual.text}（按{target.unit_display}）"
    return actual.text


def _direction(target: Quantity, context: Context) -> tuple[Comparator | None, str]:
    """The target's comparator, else the one its name implies (words.py); None: review."""
    return target_direction(target, context.scheme.direction, context.name, context.is_cost)


# Whether an actual meets its target, one entry per comparator (as packaging.markers keeps
# its operators): a strict > or < is not met by the target itself.  A one-sided "=" is
# scored like "≥" (quantitative.equal = "higher"); the two-sided rule is the scheme's.
MEETS: dict[Comparator, Callable[[Decimal, Decimal], bool]] = {
    Comparator.GE: operator.ge,
    Comparator.GT: operator.gt,
    Comparator.LE: operator.le,
    Comparator.LT: operator.lt,
    Comparator.EQ: operator.ge,
}


def _compare(
    goal: Decimal, value: Decimal, comparator: Comparator, weight: Decimal, context: Context
) -> Result:
    scheme = context.scheme
    names = {"weight": weight, "actual": value, "target": goal}
    meets = MEETS[comparator]
    if goal == 0 and (comparator.is_upper_bound or comparator is Comparator.EQ):
        met = value <= 0
        return Result(weight if met else _ZERO, Later(_verdict, met, weight, context))
    if comparator is Comparator.EQ and scheme.equal_two_sided:
        if value == goal:
            return Result(weight, Later(_verdict, True, weight, context))
        return _formula_result(scheme.equal_unmet, names, "未等于目标", context)
    if comparator.is_upper_bound:
        if value < goal and context.is_cost and scheme.cost_under_budget == "B/A":
            return _formula_result(scheme.higher_unmet, names, "成本低于预算，按 B/A 计", context)
        if meets(value, goal):
            return Result(weight, Later(_verdict, True, weight, context))
        if goal < 0:
            return review("目标值为负数，无法按比例计分 (negative target)")
        return _formula_result(scheme.lower_unmet, names, "超过目标", context)
    if meets(value, goal) and not scheme.cap and goal > 0:
        result = _formula_result(scheme.higher_unmet, names, "超过目标（得分不封顶）", context)
        return result.revised(over_share=(value - goal) / goal)
    if meets(value, goal):
        return _over_achieved(names, context)
    if goal < 0:
        return review("目标值为负数，无法按比例计分 (negative target)")
    return _formula_result(scheme.higher_unmet, names, "未达到目标", context)


def _verdict(met: bool, weight: Decimal, context: Context, extra: str = "") -> str:
    if met:
        return f"达到目标 {_TARGET}{extra}，得满分 {format_decimal(weight)}"
    return f"未达到目标 {_TARGET}，得分 {context.scheme.round(_ZERO):f}"


def _formula_result(
    formula: Formula, names: dict[str, Decimal], verb: str, context: Context
) -> Result:
    try:
        raw = formula(**names)
    except (ArithmeticError, TypeError, ValueError) as error:
        return review(f"公式 {formula.key} 无法计算 (formula failed): {error}")
    points = max(raw, _ZERO)
    points = min(points, names["weight"]) if context.scheme.cap else points
    return Result(points, Later(_formula_how, formula, names, verb, context.scheme, points))


def _formula_how(
    formula: Formula, names: dict[str, Decimal], verb: str, scheme: Scheme, points: Decimal
) -> str:
    return f"{verb} {_TARGET}，得分 = {formula.render(**names)} = {scheme.round(points):f}"


def _over_achieved(names: dict[str, Decimal], context: Context) -> Result:
    scheme, goal, value, weight = context.scheme, names["target"], names["actual"], names["weight"]
    if goal <= 0:
        return Result(weight, Later(_verdict, True, weight, context))
    share = (value - goal) / goal
    if share <= scheme.over_share:
        return Result(weight, Later(_verdict, True, weight, context), over_share=share)
    percent = format_decimal((share * 100).quantize(_ONE))  # after: only a warning shows it
    limit = format_decimal(scheme.over_share * 100)
    warning = (
        f"完成值超出目标 {percent}%（超过 {limit}%），目标可能设定偏低"
        f" (actual exceeds the target by {percent}%: target probably set too low)"
    )
    if scheme.over_deduct is None:
        verdict = _verdict(True, weight, context, f"（超出 {percent}%）")
        return Result(weight, verdict, (warning,), share)
    names = {**names, "share": share}
    result = _formula_result(
        scheme.over_deduct, names, f"超出目标 {percent}%，按超额扣减规则：", context
    )
    return result.revised(warnings=(warning,), over_share=share)


def _judged(actual: Qualitative, weight: Decimal, context: Context, against: str) -> Result:
    phrases = context.scheme.phrases
    folded = normalize(actual.text)
    outcome = phrases.classify(folded)
    if outcome is None:
        if phrases.is_mixed(folded):
            return review(
                f"完成情况同时写有达成与未达成的内容，需人工判定 (actual mixes outcomes): {against}"
            )
        return review(
            f"完成情况未说明是否达成，需人工判定 (actual says nothing classifiable): {against}"
        )
    result = banded(outcome, weight, context, f"完成情况判定依据：{against}", folded)
    return attrs.evolve(
        result, how=f"完成情况判定为{outcome.value}（{against}），" + result.how.split("，", 2)[-1]
    )


def _score_qualitative(target: Value, actual: Value, weight: Decimal, context: Context) -> Result:
    assert isinstance(target, Qualitative)
    if not isinstance(actual, Qualitative):
        return review(
            f"定性目标「{target.text}」的完成值需人工判定 (qualitative target: judge by hand)"
        )
    return _judged(actual, weight, context, f"定性目标「{target.text}」")


def _score_date(target: Value, actual: Value, weight: Decimal, context: Context) -> Result:
    assert isinstance(target, Deadline | Period)
    negated = _negated(actual, context)
    if negated is not None:
        return banded(Outcome.NOT_ACHIEVED, weight, context, negated)
    due = target.resolve(context.year)
    if due is None:
        return review("目标未写年份且未给出评价年度 (no year: pass the evaluation year)")
    if isinstance(actual, Qualitative):
        result = _judged(actual, weight, context, f"期限 {target.text}")
        if result.points is not None and actual.outcome is Outcome.ACHIEVED:
            return result.revised(warnings=("完成值未写完成日期 (actual gives no date)",))
        return result
    if not isinstance(actual, Deadline | Period):
        return review(f"完成值「{actual.text}」不是日期，无法与期限比较 (actual is not a date)")
    done = actual.resolve(context.year if context.year is not None else due.year)
    assert done is not None
    if done <= due:
        how = f"完成时间 {done} 不晚于期限 {due}（{target.text}），得满分 {format_decimal(weight)}"
        return Result(weight, how)
    days_late = Decimal((done - due).days)
    names = {"weight": weight, "days_late": days_late}
    verb = f"完成时间 {done} 晚于期限 {due}（迟 {days_late} 天）"
    result = _formula_result(context.scheme.deadline_late, names, verb, context)
    late = Later(_replaced, result, _TARGET, f"「{target.text}」")
    return Result(result.points, late, result.warnings, result.over_share)


def _score_compound(target: Value, actual: Value, weight: Decimal, context: Context) -> Result:
    assert isinstance(target, Compound)
    if isinstance(actual, Qualitative):
        return _judged(actual, weight, context, f"复合目标 {target.text}")
    actual_clauses = actual.clauses if isinstance(actual, Compound) else (actual,)
    if len(actual_clauses) != len(target.clauses):
        return review(
            f"复合目标有 {len(target.clauses)} 项，完成值有 {len(actual_clauses)} 项，无法逐项对应"
            " (compound target and actual have different numbers of clauses)"
        )
    pairs = pair_clauses(target.clauses, actual_clauses)
    if pairs is None:
        listed = "；".join(c.text for c in target.clauses)
        given = "；".join(c.text for c in actual_clauses)
        return review(
            f"复合目标各项（{listed}）无法与完成值各项（{given}）按名称和单位对应，需人工核对"
            " (compound clauses cannot be matched by label and unit)"
        )
    shares: list[Decimal] = []
    parts: list[str] = []
    warnings: list[str] = []
    for index, (t, a) in enumerate(pairs, 1):
        part = score_value(t, a, _ONE, context)
        if part.points is None:
            return review(f"第{index}项：{part.how}", *part.warnings)
        share = min(part.points, _ONE)
        shares.append(share)
        parts.append(f"{a.text}/{t.text} 完成 {format_decimal((share * 100).quantize(_ONE))}%")
        warnings.extend(part.warnings)
    combined = min(shares) if context.scheme.compound == "min" else sum(shares, _ZERO) / len(shares)
    points = weight * combined
    word = "最低" if context.scheme.compound == "min" else "平均"
    percent = format_decimal((combined * 100).quantize(Decimal("0.1")))
    how = (
        f"复合指标：{'；'.join(parts)}；{word}完成度 {percent}%，"
        f"得分 = {format_decimal(weight)} × {word}完成度 = {context.scheme.round(points):f}"
    )
    return Result(points, how, tuple(warnings))


def _score_unscored_kind(target: Value, actual: Value, weight: Decimal, context: Context) -> Result:
    # Ranges, tolerances and changes are read but not yet judged: a person must.
    return review(
        f"目标「{target.text}」的类型暂不能自动计分 (target kind {target.kind}: judge by hand)"
    )


_RULES: dict[type, Callable[[Value, Value, Decimal, Context], Result]] = {
    Range: _score_range,
    Tolerance: _score_tolerance,
    Change: _score_change,
    Quantity: _score_quantity,
    Deadline: _score_date,
    Period: _score_date,
    Qualitative: _score_qualitative,
    Compound: _score_compound,
}
