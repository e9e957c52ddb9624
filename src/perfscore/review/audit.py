"""复核 (audit): check a scored self-evaluation the way a finance bureau reviewer would.

:func:`audit` takes an :class:`~perfscore.score.rollup.Evaluation` (and, if there
is one, the :class:`~perfscore.documents.Document` it came from) and returns
:class:`~perfscore.review.findings.Finding` values, row findings first in row
order, then document-wide ones.  It never changes a score: it compares what
was published with what the scheme gives and says why they may differ.

Codes (docs/review.md explains each with an example):

=================================  =======  ==============================================
``deviation-over-achievement``     warning  published < scheme: points deducted for exceeding
``deviation-reverse-rule``         warning  ≤ target missed, scored by another reverse rule
``deviation-qualitative``          info     a qualitative judgement differs from the scheme's
``deviation-convention``           info     the table's own convention (perfscore fit) explains it
``deviation-rounding``             info     the difference is only rounding
``deviation-other``                warning  published ≠ scheme for no reason perfscore knows
``full-marks-on-miss``             error    full marks published on a missed target
``score-above-weight``             error    a score above its weight
``qualitative-out-of-band``        warning  a qualitative score outside its official band
``lost-without-reason``            warning  points lost, 偏差原因 empty
``over-achievement``               warning  actual exceeds a ≥ target by more than the share
``row-needs-review``               info     the scheme cannot score the row
``weights-not-100``                error    weights do not add up to 100 (or 90 + 10)
``total-mismatch``                 error    published 总分 ≠ sum of its published parts
``total-adds-up``                  info     published 总分 = sum of its published parts
``execution-score-differs``        warning  published execution points ≠ scheme's
``execution-low-no-reason``        warning  execution rate < 90% and no explanation
``execution-attainment-divergence`` warning indicator attainment and spending diverge
=================================  =======  ==============================================
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..documents import Document
from ..parse._tokenizer import normalize
from ..parse.units import compare_units
from ..parse.values import Comparator, Outcome, Qualitative, Quantity, format_decimal
from ..score.fit import MIN_GAIN, fit_scheme, may_explain, row_convention, rule_of
from ..score.rollup import Evaluation, Execution, published_parts, score_execution
from ..score.rules import phrase_share
from ..score.scheme import Scheme
from ..score.scoring import Score, Status, score_indicator
from .findings import Finding, FindingSeverity

__all__ = [
    "ATTAINMENT_HIGH",
    "ATTAINMENT_LOW",
    "EXECUTION_EXPLAIN_BELOW",
    "EXECUTION_HIGH",
    "EXECUTION_LOW",
    "REVERSE_RULES",
    "audit",
    "finding_counts",
]

ERROR, WARNING, INFO = FindingSeverity.ERROR, FindingSeverity.WARNING, FindingSeverity.INFO

# An execution rate below this needs a written explanation (财预〔2020〕10号 practice).
EXECUTION_EXPLAIN_BELOW = Decimal("0.9")
# Attainment (indicator points / indicator weight) and execution rate "diverge
# strongly" when one is at or above its HIGH mark and the other below its LOW mark.
ATTAINMENT_HIGH = Decimal("0.95")
ATTAINMENT_LOW = Decimal("0.6")
EXECUTION_HIGH = Decimal("0.95")
EXECUTION_LOW = Decimal("0.8")

_ZERO = Decimal(0)
_ONE = Decimal(1)
_HUNDRED = Decimal(100)

# Rules seen in real systems for a reverse (≤) indicator whose actual B exceeds
# the ceiling A; the audit says which one reproduces a published score.
REVERSE_RULES: dict[str, Callable[[Decimal, Decimal, Decimal], Decimal]] = {
    "A/B × 分值 (财预〔2020〕10号)": lambda a, b, w: w * a / b,
    "(1 − (B−A)/A) × 分值 (线性扣减)": lambda a, b, w: w * (1 - (b - a) / a),
    "超出上限得 0 分 (all or nothing)": lambda a, b, w: _ZERO,
}


def audit(evaluation: Evaluation, document: Document | None = None) -> tuple[Finding, ...]:
    """Review ``evaluation``: row findings in row order, then weights, total and execution.

    A deviation that the table's own convention explains (the settings ``perfscore fit``
    finds, each shared by at least two rows) is information ("按××规则"), not a warning.
    """
    return _findings(evaluation, document, _convention(evaluation, document))


def finding_counts(
    evaluation: Evaluation, document: Document | None = None
) -> dict[FindingSeverity, int]:
    """How many findings of each severity :func:`audit` gives, for less work
    (``perfscore batch`` shows these counts, not the findings).

    The convention (a ``perfscore fit``: most of an audit's time) changes findings in
    two places only.  A row whose published score differs gets ``deviation-convention``
    (info) instead of the deviation's explanation — the same count when that
    explanation is info too (rounding, a qualitative judgement), which also never hides
    an ``over-achievement`` note.  And the execution block's finding, only when its
    published score differs.  So when no differing row is explained as a warning or an
    error and the execution score does not differ, the audit without a convention
    counts the same — and so it does when no such row can be explained by any
    convention the search may fit (:func:`perfscore.score.fit.may_explain`: a row
    whose points no searched setting changes, and whose published score no searched
    rounding gives them, as with a typed 8 for a computed 9.50).  Otherwise the
    convention is fitted as the audit fits it
    (:func:`perfscore.score.fit.row_convention`: the search, without the total's
    rounding, which changes no row's score), and only the rows that differ are scored
    under it, where the audit's fit evaluates every row again.
    """
    execution = evaluation.execution
    warned = (
        score.indicator
        for score in evaluation.scores
        if score.differs
        and any(f.severity is not INFO for f in _check_deviation(score, evaluation))
    )
    scheme, year = evaluation.scheme, evaluation.year
    plain = (execution is None or not execution.differs) and not any(
        may_explain(indicator, scheme, year=year) for indicator in warned
    )
    convention = None if plain else _row_convention(evaluation, document)
    counts = dict.fromkeys(FindingSeverity, 0)
    for finding in _findings(evaluation, document, convention):
        counts[finding.severity] += 1
    return counts


class _Convention:
    """What the findings need of a fitted convention: its rule in words, and the score a
    differing row and the execution block get under it."""

    def __init__(
        self, rule: str, row: Callable[[int], Decimal | None], execution: Execution | None
    ) -> None:
        self.rule = rule
        self.row = row  # the fitted computed score of row ``index``
        self.execution = execution


def _findings(
    evaluation: Evaluation, document: Document | None, convention: _Convention | None
) -> tuple[Finding, ...]:
    rows = [
        f
        for index, score in enumerate(evaluation.scores)
        for f in _row_findings(score, evaluation, _by_convention(score, index, convention))
    ]
    return (
        *rows,
        *_weight_findings(evaluation, document),
        *_total_findings(evaluation),
        *_grade_findings(evaluation, document),
        *_execution_findings(evaluation, document, convention),
    )


def _worth_fitting(evaluation: Evaluation) -> bool:
    """A convention explains at least MIN_GAIN rows, or the execution figure: else none."""
    execution_differs = evaluation.execution is not None and evaluation.execution.differs
    return len(evaluation.differences) >= MIN_GAIN or execution_differs


def _figures(evaluation: Evaluation, document: Document | None) -> dict[str, Any]:
    """The keyword figures of a fit, as the evaluation and the form give them."""
    execution = evaluation.execution
    return {
        "year": evaluation.year,
        "budget": execution.budget if execution else None,
        "executed": execution.executed if execution else None,
        "execution_published": execution.published if execution else None,
        "execution_weight": document.execution_weight if document is not None else None,
    }


def _convention(evaluation: Evaluation, document: Document | None) -> _Convention | None:
    """The settings the published scores follow where they differ from the scheme, if any."""
    if not _worth_fitting(evaluation):
        return None
    fit = fit_scheme(
        [s.indicator for s in evaluation.scores],
        evaluation.scheme,
        published_total=evaluation.published_total,
        **_figures(evaluation, document),
    )
    if not fit.changes:
        return None
    fitted = fit.evaluation
    return _Convention(fit.rule, lambda index: fitted.scores[index].computed, fitted.execution)


def _row_convention(evaluation: Evaluation, document: Document | None) -> _Convention | None:
    """:func:`_convention` for counting: the same scores for rows and execution, scored
    only where asked for (the differing rows).  A convention that changes only the
    total's rounding explains no row and no execution score, so it is none here."""
    if not _worth_fitting(evaluation):
        return None
    figures = _figures(evaluation, document)
    indicators = [s.indicator for s in evaluation.scores]
    scheme, changes = row_convention(indicators, evaluation.scheme, **figures)
    if not changes:
        return None
    year = evaluation.year
    execution = evaluation.execution
    fitted_execution = None
    if execution is not None:
        # As the fit's evaluation scores it (rollup.evaluate with recompute).
        fitted_execution = score_execution(
            execution.budget,
            execution.executed,
            scheme,
            published=execution.published,
            recompute=True,
            weight=figures["execution_weight"],
        )

    def row(index: int) -> Decimal | None:
        # rollup.evaluate's score of a row that is not a heading (a differing row never is).
        return score_indicator(indicators[index], scheme, year=year, recompute=True).computed

    return _Convention(rule_of(changes), row, fitted_execution)


def _by_convention(score: Score, index: int, convention: _Convention | None) -> Finding | None:
    if convention is None or not score.differs:
        return None
    fitted = convention.row(index)
    if fitted is None or fitted != score.published:
        return None
    return _row_finding(
        score,
        "deviation-convention",
        INFO,
        f"填报得分 {_fmt(score.published)} 与方案得分 {_fmt(score.computed)} 不同，"
        f"按本表采用的「{convention.rule}」规则计算一致"
        f" (explained by the table's own convention: {convention.rule})",
        "本表按自己的规则计分（perfscore fit 推断）；如属本地规定，用 perfscore fit -o 保存方案，"
        "再以 --scheme 指定。",
        convention=convention.rule,
        fitted=fitted,
    )


# --- helpers ------------------------------------------------------------------------------


def _fmt(value: Decimal | None) -> str:
    return "" if value is None else format_decimal(value)


def _share(value: Decimal) -> Decimal:
    """A ratio kept to 4 places for ``numbers`` (0.91675 = +91.675%)."""
    return value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def _percent(share: Decimal) -> str:
    return format_decimal((share * 100).quantize(_ONE, rounding=ROUND_HALF_UP))


def _text(score: Score) -> str:
    indicator = score.indicator
    return f"{indicator.target} → {indicator.actual}".strip(" →")


def _numbers(score: Score, **extra: Decimal | str | None) -> dict[str, str]:
    numbers = {
        "weight": _fmt(score.weight),
        "published": _fmt(score.published),
        "computed": _fmt(score.computed),
    }
    numbers |= {k: v if isinstance(v, str) else _fmt(v) for k, v in extra.items()}
    return {k: v for k, v in numbers.items() if v}


def _row_finding(
    score: Score,
    code: str,
    severity: FindingSeverity,
    message: str,
    suggestion: str,
    **extra: Decimal | str | None,
) -> Finding:
    name = score.indicator.level3 or "本行"
    return Finding(
        code=code,
        severity=severity,
        message=f"「{name}」{message}",
        suggestion=suggestion,
        row=score.indicator.row,
        text=_text(score),
        numbers=_numbers(score, **extra),
    )


# --- one row ------------------------------------------------------------------------------

_RowCheck = Callable[[Score, Evaluation], Iterator[Finding]]


def _row_findings(
    score: Score, evaluation: Evaluation, convention: Finding | None
) -> Iterator[Finding]:
    if convention is not None:
        yield convention
    found = [
        f
        for check in _ROW_CHECKS
        if convention is None or check is not _check_deviation
        for f in check(score, evaluation)
    ]
    codes = {f.code for f in found}
    # One over-achievement is one finding: when the deduction for it is already reported
    # (deviation-over-achievement), the general over-achievement note would repeat it.
    if "deviation-over-achievement" in codes:
        found = [f for f in found if f.code != "over-achievement"]
    yield from found


def _check_deviation(score: Score, evaluation: Evaluation) -> Iterator[Finding]:
    if not score.differs:
        return
    for explain in _EXPLANATIONS:
        finding = explain(score, evaluation)
        if finding is not None:
            yield finding
            return


def _check_above_weight(score: Score, evaluation: Evaluation) -> Iterator[Finding]:
    published = score.published
    if score.indicator.weight is None or published is None or published <= score.weight:
        return
    yield _row_finding(
        score,
        "score-above-weight",
        ERROR,
        f"填报得分 {_fmt(published)} 超过分值 {_fmt(score.weight)} (score above its weight)",
        "得分不得超过该指标分值，请改为不高于分值的得分。",
    )


def _check_band(score: Score, evaluation: Evaluation) -> Iterator[Finding]:
    outcome = _outcome(score)
    published = score.published
    if outcome is None or published is None or score.weight <= 0:
        return
    share = published / score.weight
    phrase = phrase_share(normalize(score.indicator.actual), evaluation.scheme)
    if phrase is not None and evaluation.scheme.round(score.weight * phrase[1]) == published:
        return  # scored by the scheme's share for its phrase (基本达到 = 87.5%)
    low, high, inclusive = evaluation.scheme.bands[outcome]
    if low <= share <= high if inclusive else low <= share < high:
        return
    bracket = "]" if inclusive else ")"
    band = f"[{_percent(low)}%, {_percent(high)}%{bracket}"
    yield _row_finding(
        score,
        "qualitative-out-of-band",
        WARNING,
        f"完成情况判定为「{outcome.value}」，填报得分占分值 {_percent(share)}%，"
        f"不在该档区间 {band} 内 (qualitative score outside its band)",
        f"按「{outcome.value}」档，得分应在分值的 {band} 之间；或修改完成情况的表述。",
        share=_share(share),
        outcome=outcome.value,
    )


def _check_reason(score: Score, evaluation: Evaluation) -> Iterator[Finding]:
    if score.indicator.weight is None or score.counted >= score.weight:
        return
    if score.indicator.reason.strip():
        return
    yield _row_finding(
        score,
        "lost-without-reason",
        WARNING,
        f"扣分 {_fmt(score.lost)} 分但未填写偏差原因 (points lost without a reason)",
        "在「偏差原因分析及改进措施」中说明未完成或扣分的原因和改进措施。",
        lost=score.lost,
    )


def _check_over(score: Score, evaluation: Evaluation) -> Iterator[Finding]:
    share = score.over_share
    limit = evaluation.scheme.over_share
    if share is None or share <= limit:
        return
    deducted = score.counted < score.weight
    kept = "已扣分 (deducted)" if deducted else "仍得满分 (full marks kept)"
    given = score.indicator.reason.strip()
    reason = "已说明原因 (reason given)" if given else "未说明原因 (no reason given)"
    yield _row_finding(
        score,
        "over-achievement",
        WARNING,
        f"完成值超出目标 {_percent(share)}%（超过 {_percent(limit)}%），{kept}，{reason}；"
        "目标可能设定偏低 (target probably set too low)",
        "分析超额原因；若目标设定偏低，下一年度据实提高目标值，"
        "并按偏离度适度调减分值（财预〔2020〕10号）。",
        over_share=_share(share),
        limit=limit,
        deducted="yes" if deducted else "no",
        reason_given="yes" if given else "no",
    )


def _check_review(score: Score, evaluation: Evaluation) -> Iterator[Finding]:
    if score.status is not Status.NEEDS_REVIEW:
        return
    yield _row_finding(
        score,
        "row-needs-review",
        INFO,
        f"方案无法自动计分：{score.explanation} (the scheme cannot score this row)",
        "人工判定得分，或把指标值、完成值改写为可比较的数值、日期。",
    )


def _check_coefficient(score: Score, evaluation: Evaluation) -> Iterator[Finding]:
    """得分系数 written on the row must be 得分 ÷ 分值 (to the places it is written with)."""
    coefficient, published = score.indicator.coefficient, score.published
    if coefficient is None or published is None or score.weight <= 0:
        return
    share = coefficient / 100 if coefficient > 1 else coefficient  # 80 meaning 80%
    actual = published / score.weight
    places = max(_places(share), 2)
    if abs(actual - share) <= Decimal(1).scaleb(-places) / 2:
        return
    yield _row_finding(
        score,
        "coefficient-mismatch",
        WARNING,
        f"得分系数 {_fmt(coefficient)} 与 得分 {_fmt(published)} ÷ 分值 {_fmt(score.weight)}"
        f" = {_fmt(actual.quantize(Decimal(1).scaleb(-4)).normalize())} 不符"
        " (the 得分系数 is not score ÷ weight)",
        "核对得分系数与得分：得分应等于分值 × 得分系数。",
        coefficient=coefficient,
        share=_share(actual),
    )


def _check_adjusted(score: Score, evaluation: Evaluation) -> Iterator[Finding]:
    """年初指标值 → 调整后指标值: the adjustment is reported (the adjusted one is scored)."""
    initial, adjusted = score.indicator.initial_target, score.indicator.adjusted_target
    if not adjusted or not initial or adjusted == initial:
        return
    yield _row_finding(
        score,
        "target-adjusted",
        INFO,
        f"指标值经过调整：年初「{initial}」→ 调整后「{adjusted}」，按调整后的指标值计分"
        " (the target was adjusted: scored against the adjusted one)",
        "确认调整已按规定程序报批，并在偏差原因中说明调整理由。",
        initial_target=initial,
        adjusted_target=adjusted,
    )


_ROW_CHECKS: tuple[_RowCheck, ...] = (
    _check_deviation,
    _check_above_weight,
    _check_band,
    _check_reason,
    _check_over,
    _check_review,
    _check_coefficient,
    _check_adjusted,
)


def _outcome(score: Score) -> Outcome | None:
    actual = score.actual
    return actual.outcome if isinstance(actual, Qualitative) else None


# --- why a published score differs --------------------------------------------------------


def _half_unit(value: Decimal) -> Decimal:
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    return Decimal(5).scaleb(exponent - 1)


def _explain_rounding(score: Score, evaluation: Evaluation) -> Finding | None:
    published, computed = score.published, score.computed
    assert published is not None
    assert computed is not None
    tolerance = max(_half_unit(published), _half_unit(computed))
    if abs(published - computed) > tolerance:
        return None
    return _row_finding(
        score,
        "deviation-rounding",
        INFO,
        f"填报得分 {_fmt(published)} 与方案得分 {_fmt(computed)} 仅差舍入"
        " (differs only by rounding)",
        f"按方案统一保留 {evaluation.scheme.places} 位小数。",
        difference=published - computed,
    )


def _explain_over(score: Score, evaluation: Evaluation) -> Finding | None:
    published = score.published
    assert published is not None
    if score.over_share is None or score.over_share <= 0 or published >= score.weight:
        return None
    return _row_finding(
        score,
        "deviation-over-achievement",
        WARNING,
        f"完成值超出目标 {_percent(score.over_share)}%，填报得分 {_fmt(published)}"
        f" 低于分值 {_fmt(score.weight)}：按超额完成扣分，"
        f"方案不扣分（方案得分 {_fmt(score.computed)}）"
        " (deducted for over-achievement; the scheme gives full marks)",
        "超额扣分无统一公式：在偏差原因中写明扣分依据，或在评分方案中设置"
        " over_achievement.deduct 使计算一致。",
        over_share=_share(score.over_share),
    )


def _explain_full_marks(score: Score, evaluation: Evaluation) -> Finding | None:
    published, computed = score.published, score.computed
    assert published is not None
    assert computed is not None
    if published != score.weight or computed >= score.weight:
        return None
    return _row_finding(
        score,
        "full-marks-on-miss",
        ERROR,
        f"目标未完成（方案得分 {_fmt(computed)}），却填报满分 {_fmt(published)}"
        " (full marks on a missed target)",
        "按完成比例计分，或说明完成值为何应视为达到目标。",
    )


def _explain_qualitative(score: Score, evaluation: Evaluation) -> Finding | None:
    outcome = _outcome(score)
    if outcome is None and not isinstance(score.target, Qualitative):
        return None
    published = score.published
    assert published is not None
    judged = f"完成情况判定为「{outcome.value}」，" if outcome else ""
    share = published / score.weight if score.weight else _ZERO
    return _row_finding(
        score,
        "deviation-qualitative",
        INFO,
        f"{judged}填报得分 {_fmt(published)}（分值的 {_percent(share)}%）与方案得分"
        f" {_fmt(score.computed)} 不同：定性指标的档内取值属人工判断 (qualitative judgement)",
        "定性指标在档内取值时，在偏差原因中写明判断依据。",
        share=_share(share),
    )


def _explain_reverse(score: Score, evaluation: Evaluation) -> Finding | None:
    bounds = _ceiling_and_actual(score, evaluation.scheme)
    if bounds is None:
        return None
    ceiling, actual = bounds
    published = score.published
    assert published is not None
    places = _places(published)
    raw = {name: rule(ceiling, actual, score.weight) for name, rule in REVERSE_RULES.items()}
    shown = {name: _rounded(p, score.weight, max(places, evaluation.scheme.places))
             for name, p in raw.items()}  # fmt: skip
    matches = [n for n, p in raw.items() if _rounded(p, score.weight, places) == published]
    tried = "；".join(f"按 {name} 得 {_fmt(points)}" for name, points in shown.items())
    verdict = f"与「{matches[0]}」一致" if matches else "与以上规则均不一致"
    return _row_finding(
        score,
        "deviation-reverse-rule",
        WARNING,
        f"反向指标超出上限 {_percent((actual - ceiling) / ceiling)}%：{tried}；"
        f"填报 {_fmt(published)}，{verdict} (reverse indicator scored by another rule)",
        "反向指标未达标时按 目标值/实际值 × 分值 计分（财预〔2020〕10号），"
        "或在评分方案中写明所用规则。",
        target=ceiling,
        actual=_share(actual),
        **{f"rule_{i}": _fmt(p) for i, p in enumerate(shown.values(), 1)},
        matches=matches[0] if matches else "",
    )


def _explain_other(score: Score, evaluation: Evaluation) -> Finding | None:
    return _row_finding(
        score,
        "deviation-other",
        WARNING,
        f"填报得分 {_fmt(score.published)} 与方案得分 {_fmt(score.computed)} 不一致"
        f"：{score.explanation} (published score differs from the scheme's)",
        "核对得分计算，或在偏差原因中说明采用的计分依据。",
    )


_EXPLANATIONS: tuple[Callable[[Score, Evaluation], Finding | None], ...] = (
    _explain_rounding,
    _explain_over,
    _explain_full_marks,
    _explain_qualitative,
    _explain_reverse,
    _explain_other,
)


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


def _rounded(points: Decimal, weight: Decimal, places: int) -> Decimal:
    clipped = min(max(points, _ZERO), weight)
    return clipped.quantize(_ONE.scaleb(-places), rounding=ROUND_HALF_UP)


def _ceiling_and_actual(score: Score, scheme: Scheme) -> tuple[Decimal, Decimal] | None:
    """The ceiling A and the actual B in A's unit, for a ≤ target that was exceeded.

    A target without a comparator is a ceiling as the scorer reads it: by the name's
    [direction] word (差错率, 审批时长), else for a 成本 indicator.
    """
    target, actual = score.target, score.actual
    if not isinstance(target, Quantity) or not isinstance(actual, Quantity):
        return None
    kind = (scheme.direction.decide(score.indicator.level3) or ("", ""))[0]
    by_name = kind == "ceiling" or (score.indicator.is_cost and kind != "floor")
    comparator = target.comparator or (Comparator.LE if by_name else None)
    if comparator is None or not comparator.is_upper_bound or target.magnitude <= 0:
        return None
    factor = _ONE
    if actual.unit and target.unit and actual.unit != target.unit:
        factor_or_none = compare_units(actual.unit, target.unit).factor
        if factor_or_none is None:
            return None
        factor = factor_or_none
    value = actual.magnitude * factor
    return (target.magnitude, value) if value > target.magnitude else None


# --- the whole evaluation -----------------------------------------------------------------


def _doc_finding(
    code: str, severity: FindingSeverity, message: str, suggestion: str, **numbers: Decimal | None
) -> Finding:
    shown = {k: _fmt(v) for k, v in numbers.items() if v is not None}
    return Finding(code, severity, message, suggestion, numbers=shown)


def _execution_weight(evaluation: Evaluation, document: Document | None) -> Decimal | None:
    if evaluation.execution is not None:
        return evaluation.execution.weight
    return document.execution_weight if document is not None else None


def _weight_findings(evaluation: Evaluation, document: Document | None) -> Iterator[Finding]:
    weights = evaluation.indicator_weight
    execution = _execution_weight(evaluation, document)
    if execution is None:
        # Without an execution block either 100 on indicators or 90 + 10 is fine.
        execution = evaluation.scheme.execution_weight if weights != _HUNDRED else _ZERO
    if weights + execution == _HUNDRED:
        return
    yield _doc_finding(
        "weights-not-100",
        ERROR,
        f"指标分值合计 {_fmt(weights)} + 预算执行 {_fmt(execution)} = {_fmt(weights + execution)}，"
        f"不等于 100 (weights add up to {_fmt(weights + execution)}, not 100)",
        "调整各指标分值，使指标合计 90 分、预算执行率 10 分，总计 100 分。",
        indicator_weight=weights,
        execution_weight=execution,
        total_weight=weights + execution,
    )


def _total_findings(evaluation: Evaluation) -> Iterator[Finding]:
    total = evaluation.published_total
    if total is None:
        return
    parts = published_parts(evaluation.scores, evaluation.execution)
    numbers = {"published_total": total, "parts": parts}
    if total == parts:
        yield _doc_finding(
            "total-adds-up",
            INFO,
            f"填报总分 {_fmt(total)} 等于各项填报得分之和 (the published total adds up)",
            "",
            **numbers,
        )
        return
    yield _doc_finding(
        "total-mismatch",
        ERROR,
        f"填报总分 {_fmt(total)} 与各项填报得分之和 {_fmt(parts)} 不一致，差 {_fmt(total - parts)}"
        " (published total ≠ sum of its parts)",
        "重新加总各指标得分与预算执行率得分，更正总分。",
        difference=total - parts,
        **numbers,
    )


def _grade_findings(evaluation: Evaluation, document: Document | None) -> Iterator[Finding]:
    """The published 自评等级 (read from the form) against the grade its total earns."""
    written = document.conclusion.strip() if document is not None else ""
    scheme = evaluation.scheme
    if written not in {grade.name for grade in scheme.grades}:
        return  # no grade written, or a conclusion text rather than a grade word
    total = evaluation.published_total
    basis = "填报总分" if total is not None else "总分"
    total = evaluation.total if total is None else total
    earned = scheme.grade(total)
    if written == earned:
        return
    yield _doc_finding(
        "grade-mismatch",
        WARNING,
        f"填报的自评等级「{written}」与{basis} {_fmt(total)} 对应的等级「{earned}」不符"
        " (the published grade does not match the total)",
        f"按{basis}更正自评等级，或核对总分。",
        total=total,
    )


def _execution_findings(
    evaluation: Evaluation, document: Document | None, convention: _Convention | None
) -> Iterator[Finding]:
    execution = evaluation.execution
    if execution is None:
        return
    fitted = convention.execution if convention is not None else None
    if execution.differs and fitted is not None and fitted.computed == execution.published:
        assert convention is not None
        yield _doc_finding(
            "deviation-convention",
            INFO,
            f"预算执行率填报得分 {_fmt(execution.published)} 与方案得分 {_fmt(execution.computed)}"
            f" 不同，按本表采用的「{convention.rule}」规则计算一致"
            f" (explained by the table's own convention: {convention.rule})",
            "本表按自己的规则计分（perfscore fit 推断）。",
            published=execution.published,
            computed=execution.computed,
            fitted=fitted.computed,
        )
    elif execution.differs:
        yield _execution_differs(execution)
    reason = document.execution_reason.strip() if document is not None else ""
    if execution.rate < EXECUTION_EXPLAIN_BELOW and not reason:
        yield _doc_finding(
            "execution-low-no-reason",
            WARNING,
            f"预算执行率 {_percent_2(execution.rate)}% 低于 {_percent(EXECUTION_EXPLAIN_BELOW)}%，"
            "未说明原因 (low execution rate without an explanation)",
            "说明资金未执行的原因（结转结余、项目进度等）及改进措施。",
            rate=_share(execution.rate * _HUNDRED),
        )
    yield from _divergence(evaluation, execution)


def _percent_2(share: Decimal) -> str:
    return format_decimal((share * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _execution_differs(execution: Execution) -> Finding:
    return _doc_finding(
        "execution-score-differs",
        WARNING,
        f"预算执行率填报得分 {_fmt(execution.published)} 与方案得分 {_fmt(execution.computed)}"
        f" 不一致：{execution.explanation} (published execution points differ)",
        "预算执行率得分 = 执行率 × 分值，按方案的小数位数舍入。",
        published=execution.published,
        computed=execution.computed,
    )


def _divergence(evaluation: Evaluation, execution: Execution) -> Iterator[Finding]:
    weight = evaluation.indicator_weight
    if weight <= 0:
        return
    attainment = evaluation.indicator_total / weight
    rate = execution.rate
    if attainment >= ATTAINMENT_HIGH and rate < EXECUTION_LOW:
        message = "指标几乎全部完成而资金执行偏低，目标可能偏低或预算编制偏高"
        suggestion = "核实绩效目标是否设定偏低、预算是否超出实际需要。"
    elif attainment < ATTAINMENT_LOW and rate >= EXECUTION_HIGH:
        message = "资金基本支出完毕而指标完成度偏低，资金使用效益存疑"
        suggestion = "分析资金已支出而目标未完成的原因，核实支出与产出是否对应。"
    else:
        return
    yield _doc_finding(
        "execution-attainment-divergence",
        WARNING,
        f"指标得分率 {_percent_2(attainment)}%，预算执行率 {_percent_2(rate)}%：{message}"
        " (indicator attainment and budget execution diverge)",
        suggestion,
        attainment=_share(attainment * _HUNDRED),
        rate=_share(rate * _HUNDRED),
    )
