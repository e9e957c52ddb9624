"""Score one indicator under a scheme, with a Chinese explanation of every point lost.

:func:`score_indicator` parses the row's target and actual, applies the
scheme's rule for the target's kind (quantity, deadline/period, qualitative,
compound), rounds the points, and returns a frozen :class:`Score` that keeps
both the computed points and the score the unit published.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable
from decimal import Decimal

import attrs

from .errors import TargetSyntaxError
from .indicators import Indicator
from .scheme import Formula, Scheme, load_scheme
from .targets import parse_actual, parse_target
from .units import convert_actual
from .values import (
    Change,
    Comparator,
    Compound,
    Deadline,
    Outcome,
    Period,
    Qualitative,
    Quantity,
    Range,
    Tolerance,
    Value,
    format_decimal,
)

__all__ = ["Score", "Status", "score_indicator"]

_ZERO = Decimal(0)
_TARGET = "\x00target\x00"  # where an explanation names the target
_ONE = Decimal(1)


class Status(enum.Enum):
    """What became of an indicator: full, partial or zero points, manual, or needs review."""

    FULL = "full"
    PARTIAL = "partial"
    ZERO = "zero"
    MANUAL = "manual"  # no target or actual: the published score is taken as entered
    NEEDS_REVIEW = "needs_review"  # the scheme cannot score it; a person must


@attrs.frozen
class Score:
    """The outcome for one indicator.

    ``computed`` is what the scheme gives (rounded; None when the row needs
    review); ``published`` the 得分 in the input; ``counted`` the score that
    enters the totals — the published one unless recompute was asked for.
    """

    indicator: Indicator
    computed: Decimal | None
    counted: Decimal
    status: Status
    explanation: str
    target: Value | None = None
    actual: Value | None = None
    warnings: tuple[str, ...] = ()
    over_share: Decimal | None = None  # how far an actual exceeds a ≥ target (0.92 = +92%)

    @property
    def weight(self) -> Decimal:
        """The indicator's weight (分值), 0 when missing."""
        return self.indicator.weight if self.indicator.weight is not None else _ZERO

    @property
    def published(self) -> Decimal | None:
        """The score the unit published (得分), if any."""
        return self.indicator.published

    @property
    def differs(self) -> bool:
        """Whether a published score exists and differs from the scheme's."""
        return (
            self.computed is not None
            and self.published is not None
            and self.computed != self.published
        )

    @property
    def lost(self) -> Decimal:
        """Points lost: weight minus counted score."""
        return self.weight - self.counted


@attrs.frozen
class _Result:
    """Unrounded points (None: needs review) and how they came about."""

    points: Decimal | None
    how: str
    warnings: tuple[str, ...] = ()
    over_share: Decimal | None = None


@attrs.frozen
class _Context:
    scheme: Scheme
    year: int | None
    is_cost: bool


def _review(how: str, *warnings: str) -> _Result:
    return _Result(None, how, warnings)


def score_indicator(
    indicator: Indicator,
    scheme: Scheme | None = None,
    *,
    year: int | None = None,
    recompute: bool = False,
) -> Score:
    """Score ``indicator`` under ``scheme`` (default: mof2020).

    ``year`` is the evaluation year, used for deadlines written without one
    (``年底前``).  With ``recompute`` the computed score is counted even where a
    published score exists.
    """
    scheme = scheme or load_scheme()
    target, actual, result = _evaluate_row(indicator, scheme, year)
    computed = None if result.points is None else _rounded(result.points, indicator, scheme)
    counted = _counted(indicator, computed, recompute)
    status = _status(indicator, computed, counted)
    return Score(
        indicator=indicator,
        computed=computed,
        counted=counted,
        status=status,
        explanation=_explain(indicator, result, computed, recompute),
        target=target,
        actual=actual,
        warnings=result.warnings,
        over_share=result.over_share,
    )


def _evaluate_row(
    indicator: Indicator, scheme: Scheme, year: int | None
) -> tuple[Value | None, Value | None, _Result]:
    return _outcome(
        indicator.target,
        indicator.actual,
        indicator.weight,
        indicator.published is not None,
        indicator.is_cost,
        scheme,
        year,
    )


# Real batches repeat the same target/actual pairs ("≥90%" → "95%") across many
# rows and units; the outcome depends only on these arguments, so it is cached.
@functools.lru_cache(maxsize=65536)
def _outcome(
    target_text: str,
    actual_text: str,
    weight: Decimal | None,
    has_published: bool,
    is_cost: bool,
    scheme: Scheme,
    year: int | None,
) -> tuple[Value | None, Value | None, _Result]:
    if not target_text.strip() and not actual_text.strip():
        if has_published:
            return (
                None,
                None,
                _review("无目标值和完成值，采用填报得分 (no target or actual: manual)"),
            )
        return None, None, _review("目标值和完成值均为空 (no target and no actual)")
    if weight is None:
        return None, None, _review("分值缺失或无效 (weight missing or invalid)")
    try:
        target = parse_target(target_text)
    except TargetSyntaxError as error:
        return None, None, _review(f"目标值无法识别 (target unreadable): {error.message}")
    if not actual_text.strip():
        return target, None, _review("缺少完成值 (no actual value)")
    try:
        actual = parse_actual(actual_text)
    except TargetSyntaxError as error:
        return target, None, _review(f"完成值无法识别 (actual unreadable): {error.message}")
    result = _score_value(target, actual, weight, _Context(scheme, year, is_cost))
    warnings = (*target.warnings, *actual.warnings, *result.warnings)
    if warnings != result.warnings:
        result = _Result(result.points, result.how, _unique(warnings), result.over_share)
    return target, actual, result


def _rounded(points: Decimal, indicator: Indicator, scheme: Scheme) -> Decimal:
    # Rounding must never lift a score above its weight (0.5 → 1 with integer
    # rounding): full marks are the weight itself.
    weight = indicator.weight if indicator.weight is not None else _ZERO
    rounded = scheme.round(points)
    return weight if rounded > weight else rounded


def _unique(items: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _counted(indicator: Indicator, computed: Decimal | None, recompute: bool) -> Decimal:
    if computed is not None and (recompute or indicator.published is None):
        return computed
    return indicator.published if indicator.published is not None else _ZERO


def _status(indicator: Indicator, computed: Decimal | None, counted: Decimal) -> Status:
    if computed is None:
        manual = not indicator.target.strip() and not indicator.actual.strip()
        return Status.MANUAL if manual and indicator.published is not None else Status.NEEDS_REVIEW
    weight = indicator.weight if indicator.weight is not None else _ZERO
    if counted >= weight:
        return Status.FULL
    return Status.ZERO if counted <= 0 else Status.PARTIAL


def _explain(
    indicator: Indicator, result: _Result, computed: Decimal | None, recompute: bool
) -> str:
    text = result.how
    published = indicator.published
    if computed is not None and published is not None and computed != published:
        counted = "按方案计入" if recompute else "按填报计入"
        text += (
            f"；填报得分 {format_decimal(published)} 与方案得分 {computed:f} 不一致"
            f"（差 {published - computed:+f}，{counted}）"
        )
    elif computed is None and published is not None and result.how.startswith("无目标值"):
        text += f"：{format_decimal(published)}"
    elif computed is None and published is not None:
        text += f"；计入填报得分 {format_decimal(published)}"
    return text


# --- rules by target kind -------------------------------------------------------------


def _score_value(target: Value, actual: Value, weight: Decimal, context: _Context) -> _Result:
    rule = _RULES[type(target)]
    return rule(target, actual, weight, context)


def _score_quantity(target: Value, actual: Value, weight: Decimal, context: _Context) -> _Result:
    assert isinstance(target, Quantity)
    if isinstance(actual, Compound):
        actual = next((c for c in actual.clauses if isinstance(c, Quantity)), actual)
    if isinstance(actual, Qualitative):
        return _judged(actual, weight, context, f"目标 {target.text}")
    if not isinstance(actual, Quantity):
        return _review(f"完成值「{actual.text}」无法与数量目标 {target.text} 比较 (not comparable)")
    if actual.trailing and actual.unit is None and target.unit is not None:
        return _review(
            f"完成值「{actual.text}」的单位「{actual.trailing}」无法识别"
            f" (unknown unit {actual.trailing!r} in the actual)"
        )
    value, warnings = convert_actual(actual, target)
    if value is None:
        return _review(warnings[0], *warnings)
    comparator, note = _direction(target, context)
    if value < 0 and context.scheme.negative_actual_as_zero:
        value, warnings = _ZERO, (*warnings, "完成值为负数，按 0 计 (negative actual counted as 0)")
    result = _compare(target.magnitude, value, comparator, weight, context)
    shown = _shown_actual(actual, target)
    how = f"完成值 {shown} " + result.how.replace(_TARGET, f"{target.text}{note}")
    return _Result(result.points, how, (*warnings, *result.warnings), result.over_share)


def _shown_actual(actual: Quantity, target: Quantity) -> str:
    if actual.unit is None and target.unit is not None:
        return f"{actual.text}（按{target.unit_display}）"
    return actual.text


def _direction(target: Quantity, context: _Context) -> tuple[Comparator, str]:
    if target.comparator is not None:
        return target.comparator, ""
    if context.is_cost:
        return Comparator.LE, "（成本指标未写比较符，按不超过计）"
    return Comparator.GE, "（未写比较符，按不低于计）"


def _compare(
    goal: Decimal, value: Decimal, comparator: Comparator, weight: Decimal, context: _Context
) -> _Result:
    scheme = context.scheme
    names = {"weight": weight, "actual": value, "target": goal}
    if goal == 0 and (comparator.is_upper_bound or comparator is Comparator.EQ):
        met = value <= 0
        return _Result(weight if met else _ZERO, _verdict(met, weight, context))
    if comparator is Comparator.EQ and scheme.equal_two_sided:
        if value == goal:
            return _Result(weight, _verdict(True, weight, context))
        return _formula_result(scheme.equal_unmet, names, "未等于目标", context)
    if comparator.is_upper_bound:
        if value <= goal:
            return _Result(weight, _verdict(True, weight, context))
        return _formula_result(scheme.lower_unmet, names, "超过目标", context)
    if value >= goal:
        return _over_achieved(names, context)
    if goal < 0:
        return _review("目标值为负数，无法按比例计分 (negative target)")
    return _formula_result(scheme.higher_unmet, names, "未达到目标", context)


def _verdict(met: bool, weight: Decimal, context: _Context, extra: str = "") -> str:
    if met:
        return f"达到目标 {_TARGET}{extra}，得满分 {format_decimal(weight)}"
    return f"未达到目标 {_TARGET}，得分 {context.scheme.round(_ZERO):f}"


def _formula_result(
    formula: Formula, names: dict[str, Decimal], verb: str, context: _Context
) -> _Result:
    try:
        raw = formula(**names)
    except (ArithmeticError, TypeError, ValueError) as error:
        return _review(f"公式 {formula.key} 无法计算 (formula failed): {error}")
    points = min(max(raw, _ZERO), names["weight"])
    shown = context.scheme.round(points)
    return _Result(points, f"{verb} {_TARGET}，得分 = {formula.render(**names)} = {shown:f}")


def _over_achieved(names: dict[str, Decimal], context: _Context) -> _Result:
    scheme, goal, value, weight = context.scheme, names["target"], names["actual"], names["weight"]
    if goal <= 0:
        return _Result(weight, _verdict(True, weight, context))
    share = (value - goal) / goal
    percent = format_decimal((share * 100).quantize(_ONE))
    if share <= scheme.over_share:
        return _Result(weight, _verdict(True, weight, context), over_share=share)
    limit = format_decimal(scheme.over_share * 100)
    warning = (
        f"完成值超出目标 {percent}%（超过 {limit}%），目标可能设定偏低"
        f" (actual exceeds the target by {percent}%: target probably set too low)"
    )
    if scheme.over_deduct is None:
        verdict = _verdict(True, weight, context, f"（超出 {percent}%）")
        return _Result(weight, verdict, (warning,), share)
    names = {**names, "share": share}
    result = _formula_result(
        scheme.over_deduct, names, f"超出目标 {percent}%，按超额扣减规则：", context
    )
    return attrs.evolve(result, warnings=(warning,), over_share=share)


def _judged(actual: Qualitative, weight: Decimal, context: _Context, against: str) -> _Result:
    if actual.outcome is None:
        return _review(
            f"完成情况未说明是否达成，需人工判定 (actual says nothing classifiable): {against}"
        )
    share = context.scheme.qualitative[actual.outcome]
    points = weight * share
    shown = context.scheme.round(points)
    how = (
        f"完成情况判定为{actual.outcome.value}（{against}），"
        f"得分 = {format_decimal(weight)} × {format_decimal(share * 100)}% = {shown:f}"
    )
    return _Result(points, how)


def _score_qualitative(target: Value, actual: Value, weight: Decimal, context: _Context) -> _Result:
    assert isinstance(target, Qualitative)
    if not isinstance(actual, Qualitative):
        return _review(
            f"定性目标「{target.text}」的完成值需人工判定 (qualitative target: judge by hand)"
        )
    return _judged(actual, weight, context, f"定性目标「{target.text}」")


def _score_date(target: Value, actual: Value, weight: Decimal, context: _Context) -> _Result:
    assert isinstance(target, Deadline | Period)
    due = target.resolve(context.year)
    if due is None:
        return _review("目标未写年份且未给出评价年度 (no year: pass the evaluation year)")
    if isinstance(actual, Qualitative):
        result = _judged(actual, weight, context, f"期限 {target.text}")
        if result.points is not None and actual.outcome is Outcome.ACHIEVED:
            return attrs.evolve(result, warnings=("完成值未写完成日期 (actual gives no date)",))
        return result
    if not isinstance(actual, Deadline | Period):
        return _review(f"完成值「{actual.text}」不是日期，无法与期限比较 (actual is not a date)")
    done = actual.resolve(context.year if context.year is not None else due.year)
    assert done is not None
    if done <= due:
        how = f"完成时间 {done} 不晚于期限 {due}（{target.text}），得满分 {format_decimal(weight)}"
        return _Result(weight, how)
    days_late = Decimal((done - due).days)
    names = {"weight": weight, "days_late": days_late}
    verb = f"完成时间 {done} 晚于期限 {due}（迟 {days_late} 天）"
    result = _formula_result(context.scheme.deadline_late, names, verb, context)
    return attrs.evolve(result, how=result.how.replace(_TARGET, f"「{target.text}」"))


def _score_compound(target: Value, actual: Value, weight: Decimal, context: _Context) -> _Result:
    assert isinstance(target, Compound)
    if isinstance(actual, Qualitative):
        return _judged(actual, weight, context, f"复合目标 {target.text}")
    actual_clauses = actual.clauses if isinstance(actual, Compound) else (actual,)
    if len(actual_clauses) != len(target.clauses):
        return _review(
            f"复合目标有 {len(target.clauses)} 项，完成值有 {len(actual_clauses)} 项，无法逐项对应"
            " (compound target and actual have different numbers of clauses)"
        )
    shares: list[Decimal] = []
    parts: list[str] = []
    warnings: list[str] = []
    for index, (t, a) in enumerate(zip(target.clauses, actual_clauses, strict=True), 1):
        part = _score_value(t, a, _ONE, context)
        if part.points is None:
            return _review(f"第{index}项：{part.how}", *part.warnings)
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
    return _Result(points, how, tuple(warnings))


def _score_unscored_kind(
    target: Value, actual: Value, weight: Decimal, context: _Context
) -> _Result:
    # Ranges, tolerances and changes are read but not yet judged: a person must.
    return _review(
        f"目标「{target.text}」的类型暂不能自动计分 (target kind {target.kind}: judge by hand)"
    )


_RULES: dict[type, Callable[[Value, Value, Decimal, _Context], _Result]] = {
    Range: _score_unscored_kind,
    Tolerance: _score_unscored_kind,
    Change: _score_unscored_kind,
    Quantity: _score_quantity,
    Deadline: _score_date,
    Period: _score_date,
    Qualitative: _score_qualitative,
    Compound: _score_compound,
}
