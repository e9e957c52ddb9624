"""Score one indicator under a scheme, with a Chinese explanation of every point lost.

:func:`score_indicator` parses the row's target and actual, applies the
scheme's rule for the target's kind (quantity, deadline/period, qualitative,
compound), rounds the points, and returns a frozen :class:`Score` that keeps
both the computed points and the score the unit published.
"""

from __future__ import annotations

import decimal
import enum
import functools
import re
from decimal import Decimal

import attrs

from .._cache import MAX_CACHED_TEXT
from ..errors import TargetSyntaxError
from ..indicators import Indicator
from ..parse._tokenizer import normalize
from ..parse.targets import parse_actual, parse_target
from ..parse.values import (
    Compound,
    Outcome,
    Value,
    format_decimal,
)
from .rules import Context, Result, banded, review, score_value
from .scheme import DECIMAL_CONTEXT, Scheme, load_scheme

__all__ = ["Score", "Status", "score_indicator"]

_ZERO = Decimal(0)
_TARGET = "\x00target\x00"  # where an explanation names the target
_ONE = Decimal(1)
_HUNDRED = Decimal(100)
# No indicator in a 100-point table weighs more; larger is a typo or an attack.
_MAX_WEIGHT = 1000


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
    # Only short texts go through the cache, so its memory stays bounded (see _cache.py);
    # checked here, inline, because a cached row costs only a few microseconds.
    short = len(indicator.target) <= MAX_CACHED_TEXT and len(indicator.actual) <= MAX_CACHED_TEXT
    outcome = _outcome if short else _outcome.__wrapped__
    target, actual, result, computed = outcome(
        indicator.target,
        indicator.actual,
        indicator.weight,
        indicator.published is not None,
        indicator.is_cost,
        scheme,
        year,
    )
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


# Real batches repeat the same target/actual pairs ("≥90%" → "95%") across many
# rows and units; the outcome, rounded score included, depends only on these
# arguments, so it is cached: a repeated row costs one lookup and its Score. Only
# short texts are kept (score_indicator checks), so the cache's memory is bounded too.
@functools.lru_cache(maxsize=32768)
def _outcome(
    target_text: str,
    actual_text: str,
    weight: Decimal | None,
    has_published: bool,
    is_cost: bool,
    scheme: Scheme,
    year: int | None,
) -> tuple[Value | None, Value | None, Result, Decimal | None]:
    with decimal.localcontext(DECIMAL_CONTEXT):
        target, actual, result = _judge(
            target_text, actual_text, weight, has_published, is_cost, scheme, year
        )
        if result.points is None or weight is None:
            return target, actual, result, None
        return target, actual, result, _rounded(result.points, weight, scheme)


def _judge(
    target_text: str,
    actual_text: str,
    weight: Decimal | None,
    has_published: bool,
    is_cost: bool,
    scheme: Scheme,
    year: int | None,
) -> tuple[Value | None, Value | None, Result]:
    if not target_text.strip() and not actual_text.strip():
        if has_published:
            return (
                None,
                None,
                review("无目标值和完成值，采用填报得分 (no target or actual: manual)"),
            )
        return None, None, review("目标值和完成值均为空 (no target and no actual)")
    if weight is None or not weight.is_finite():
        return None, None, review("分值缺失或无效 (weight missing or invalid)")
    if weight < 0 or weight > _MAX_WEIGHT:
        return (
            None,
            None,
            review(
                f"分值 {format_decimal(weight)} 不在 0–{_MAX_WEIGHT} 之间 (weight out of range)"
            ),
        )
    try:
        target = parse_target(target_text)
    except TargetSyntaxError as error:
        return None, None, review(f"目标值无法识别 (target unreadable): {error.message}")
    if not actual_text.strip():
        return target, None, review("缺少完成值 (no actual value)")
    try:
        actual = parse_actual(actual_text, scheme.phrases)
    except TargetSyntaxError as error:
        return target, None, review(f"完成值无法识别 (actual unreadable): {error.message}")
    context = Context(scheme, year, is_cost)
    try:
        result = _plain_answer(target_text, actual_text, weight, context)
        if result is None:
            result = _unread(target, actual) or score_value(target, actual, weight, context)
    except (ArithmeticError, ValueError) as error:
        # One value that cannot be computed is this row's review, never the file's failure.
        result = review(_uncomputable(error, target_text, actual_text, year))
    warnings = (*target.warnings, *actual.warnings, *result.warnings)
    if warnings != result.warnings:
        result = Result(result.points, result.how, _unique(warnings), result.over_share)
    return target, actual, result


def _uncomputable(error: Exception, target: str, actual: str, year: int | None) -> str:
    """Why a row could not be computed, for a finance officer: the texts and what to check."""
    texts = f"目标「{target[:60]}」、完成值「{actual[:60]}」"
    if isinstance(error, ArithmeticError):
        return (
            f"{texts}的数值超出可计算范围，请核对数量级和单位"
            " (the numbers are out of the range perfscore computes in: check magnitudes and units)"
        )
    if "day is out of range" in str(error) or "month must be" in str(error):
        return (
            f"{texts}中的日期在 {year or '评价'} 年不存在（如非闰年的2月29日），请核对日期"
            f" (a date that does not exist in {year or 'the year'}, e.g. 29 February"
            " in a non-leap year: check the date)"
        )
    return f"{texts}无法计算 (cannot be computed: {error})"


# Words around an actual that only restate the target ("已完成"→"完成", "均合格").
_AFFIXES = re.compile(
    r"^(?:已经|已|均已|均|全部|全都|都|经|结果为|评定为|等级为|为)+|(?:了|。|！)+$"
)
_PUNCTUATION = re.compile(r"[\s，。；、,.;:：!！\"“”'‘’（）()]+")

# Grade and yes/no words, ranked: an actual at or above the target's rank meets
# it; a failing word (rank 0) is 未达成; a lower passing grade is 部分达成.
_GRADES: dict[str, int] = {
    "优秀": 4, "优": 4, "优良": 3, "良好": 3, "良": 3, "较好": 3, "合格": 2, "达标": 2,
    "通过": 2, "通过验收": 2, "验收通过": 2, "验收合格": 2, "是": 2, "有": 2, "满意": 2,
    "一般": 1, "基本合格": 1, "基本满意": 1, "基本达标": 1, "中": 1,
    "不合格": 0, "未通过": 0, "未通过验收": 0, "验收不合格": 0, "不达标": 0, "否": 0,
    "不满意": 0, "较差": 0, "差": 0, "无": 0, "没有": 0,
}  # fmt: skip


_DIGIT = re.compile(r"\d")
_NOT_DIGITS = re.compile(r"\D+")


def _bare_text(folded: str) -> str:
    return _AFFIXES.sub("", _PUNCTUATION.sub("", folded))


_LONGEST_GRADE = max(map(len, _GRADES))


def _grade(bare: str) -> int | None:
    """The rank of the grade word the bare text ``bare`` ends with (the longest); None if none."""
    if any(ch.isdigit() for ch in bare):
        return None
    # Suffixes longest first: at most one grade word has a given length, so this
    # finds the same word as trying the words longest first, in a few dict lookups.
    for length in range(min(len(bare), _LONGEST_GRADE), 0, -1):
        rank = _GRADES.get(bare[-length:])
        if rank is not None:
            return rank
    return None


def _plain_answer(
    target_text: str, actual_text: str, weight: Decimal, context: Context
) -> Result | None:
    """达成 when the actual restates the target; grade and yes/no words by rank."""
    target_folded, actual_folded = normalize(target_text), normalize(actual_text)
    if _DIGIT.search(target_folded) and _NOT_DIGITS.sub("", target_folded) != _NOT_DIGITS.sub(
        "", actual_folded
    ):
        # The bare text drops only punctuation and affix words, never a digit: an
        # actual with other digits cannot restate the target, and a target with a
        # digit names no grade.  The common numeric row is done in two regex passes.
        return None
    target, actual = _bare_text(target_folded), _bare_text(actual_folded)
    if target and actual == target:
        return banded(Outcome.ACHIEVED, weight, context, "完成值与目标一致")
    wanted = _grade(target)
    if wanted is None or wanted == 0:
        return None
    got = _grade(actual)
    if got is None:
        return None
    if got >= wanted:
        outcome = Outcome.ACHIEVED
    elif got == 0:
        outcome = Outcome.NOT_ACHIEVED
    else:
        outcome = Outcome.PARTIAL
    return banded(
        outcome, weight, context, f"等级「{actual_text.strip()}」对应目标「{target_text.strip()}」"
    )


def _unread(target: Value, actual: Value) -> Result | None:
    """Review when words of the target or actual were not read: a score needs every word."""
    for role, value in (("目标值", target), ("完成值", actual)):
        clauses = value.clauses if isinstance(value, Compound) else (value,)
        for clause in clauses:
            trailing = getattr(clause, "trailing", "")
            if trailing:
                which = "target" if role == "目标值" else "actual"
                return review(
                    f"{role}「{clause.text}」中的「{trailing}」未能识别，需人工核对"
                    f" (unread text {trailing!r} in the {which})"
                )
    return None


def _rounded(points: Decimal, weight: Decimal, scheme: Scheme) -> Decimal:
    # Rounding must never lift a score above its weight (0.5 → 1 with integer
    # rounding): full marks are the weight itself.
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
    indicator: Indicator, result: Result, computed: Decimal | None, recompute: bool
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
