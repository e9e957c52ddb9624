"""Roll scored indicators up to goals, levels, the execution block, a total and a grade.

:func:`evaluate` scores every row (none is dropped), adds the budget-execution
points, and checks what a reviewer would check first: weights that do not add
up to 100, scores above their weight, a published total that differs from
the sum of its parts.  Totals are sums of the rounded, displayed parts, so a
printed total always equals the sum of the printed scores.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

import attrs

from ..documents import Diagnostic, Document, DocumentKind, Severity
from ..errors import SchemeError
from ..indicators import Indicator
from ..parse.values import format_decimal
from .scheme import Scheme, load_scheme
from .scoring import Score, Status, score_indicator
from .verdict import Tally, Verdict, VerdictStatus, decide

__all__ = [
    "Evaluation",
    "Execution",
    "Subtotal",
    "evaluate",
    "evaluate_document",
    "published_parts",
    "score_execution",
    "value_problems",
]

_ZERO = Decimal(0)
_HUNDRED = Decimal(100)


@attrs.frozen
class Execution:
    """The budget-execution block: 全年预算数 A, 全年执行数 B, rate B/A and its points."""

    budget: Decimal
    executed: Decimal
    rate: Decimal  # exact B/A, 0.965… for 96.5%
    weight: Decimal
    computed: Decimal
    published: Decimal | None
    counted: Decimal
    explanation: str

    @property
    def differs(self) -> bool:
        """Whether a published execution score exists and differs from the scheme's."""
        return self.published is not None and self.published != self.computed


@attrs.frozen
class Subtotal:
    """Weights and scores summed over one group (a goal, a 一级 or a 二级 indicator)."""

    key: tuple[str, ...]
    weight: Decimal
    counted: Decimal
    computed: Decimal | None  # None when any row in the group needs review
    rows: int

    @property
    def label(self) -> str:
        """The group's name, e.g. ``产出指标 / 数量指标``."""
        return " / ".join(k for k in self.key if k) or "（未分组）"


@attrs.frozen
class Evaluation:
    """A scored self-evaluation: every row's :class:`Score`, subtotals, total and grade."""

    scheme: Scheme
    scores: tuple[Score, ...]
    execution: Execution | None
    indicator_total: Decimal
    total: Decimal
    grade: str
    by_goal: tuple[Subtotal, ...]
    by_level1: tuple[Subtotal, ...]
    by_level2: tuple[Subtotal, ...]
    warnings: tuple[str, ...]
    recompute: bool = False
    year: int | None = None
    published_total: Decimal | None = None
    # The one decision on the document (graded or not, and why): see score/verdict.py.
    verdict: Verdict = attrs.field(factory=lambda: Verdict(VerdictStatus.GRADED))
    _full_marks: Decimal | None = attrs.field(default=None, alias="full_marks")

    @property
    def graded(self) -> bool:
        """Whether the total was given a grade (优/良/中/差)."""
        return self.verdict.graded

    @property
    def not_graded_reason(self) -> str:
        """Why no grade is given, in Chinese and English ("" when graded)."""
        return self.verdict.text

    @property
    def differences(self) -> tuple[Score, ...]:
        """Rows whose published score differs from the scheme's, in input order."""
        return tuple(s for s in self.scores if s.differs)

    @property
    def needs_review(self) -> tuple[Score, ...]:
        """Rows the scheme could not score, in input order."""
        return tuple(s for s in self.scores if s.status is Status.NEEDS_REVIEW)

    @property
    def indicator_weight(self) -> Decimal:
        """The sum of the indicator weights."""
        return sum((s.weight for s in self.scores), _ZERO)

    @property
    def computed_total(self) -> Decimal | None:
        """The total the scheme alone gives (None if any row needs review)."""
        if any(s.computed is None for s in self.scores if s.status not in _NOT_COMPUTED):
            return None
        points = sum((_computed_or_counted(s) for s in self.scores), _ZERO)
        points += self.execution.computed if self.execution else _ZERO
        return _final_total(points, self.scores, self.scheme, self.full_marks)

    @property
    def full_marks(self) -> Decimal:
        """The points the form is out of (100 unless the document says)."""
        return self._full_marks if self._full_marks is not None else _FULL_MARKS


# Rows with no computed score that do not stop a computed total.
_NOT_COMPUTED = frozenset({Status.MANUAL, Status.NOT_APPLICABLE, Status.HEADING})

# A self-evaluation is out of 100 points unless its form says otherwise.
_FULL_MARKS = Decimal(100)


def score_execution(
    budget: Decimal,
    executed: Decimal,
    scheme: Scheme,
    *,
    published: Decimal | None = None,
    recompute: bool = False,
    weight: Decimal | None = None,
) -> Execution:
    """Score budget execution: ``min(B/A, 1) × weight`` under the default scheme, rounded.

    ``weight`` is the 分值 the form gives execution (10, 20…); the scheme's when None.
    """
    if budget <= 0:
        raise ValueError(f"全年预算数必须大于 0 (budget must be positive): {budget}")
    weight = scheme.execution_weight if weight is None else weight
    formula = scheme.execution_formula
    try:
        raw = formula(weight=weight, budget=budget, executed=executed)
    except (ArithmeticError, TypeError, ValueError) as error:
        raise SchemeError(
            f"公式在本表的预算数 {format_decimal(budget)}、执行数 {format_decimal(executed)}"
            f" 上无法计算 (formula fails at budget {format_decimal(budget)},"
            f" executed {format_decimal(executed)}): {type(error).__name__}",
            key=formula.key,
            source=scheme.source,
        ) from None
    computed = min(max(scheme.round_execution(raw), _ZERO), weight)
    counted = computed if recompute or published is None else published
    rate = executed / budget
    with decimal.localcontext() as context:  # a rate of 10^30 is shown, not a crash
        context.prec = max(context.prec, rate.adjusted() + 6)
        shown = (rate * 100).quantize(Decimal("0.01"))
    explanation = (
        f"执行率 = {format_decimal(executed)} / {format_decimal(budget)}"
        f" = {shown}%，"
        f"得分 = {formula.render(weight=weight, budget=budget, executed=executed)} = {computed:f}"
    )
    if published is not None and published != computed:
        explanation += f"；填报得分 {format_decimal(published)} 与方案得分 {computed:f} 不一致"
    return Execution(budget, executed, rate, weight, computed, published, counted, explanation)


def evaluate(
    indicators: Iterable[Indicator],
    *,
    scheme: Scheme | None = None,
    budget: Decimal | None = None,
    executed: Decimal | None = None,
    execution_published: Decimal | None = None,
    year: int | None = None,
    recompute: bool = False,
    published_total: Decimal | None = None,
    execution_weight: Decimal | None = None,
    full_marks: Decimal | None = _FULL_MARKS,
    target_table: bool = False,
    read_errors: Sequence[str] = (),
) -> Evaluation:
    """Score every indicator and roll up to a total and grade.

    ``budget`` and ``executed`` are 全年预算数 (A) and 全年执行数 (B); without
    them the total is the indicator total, with a warning.  ``recompute``
    counts the scheme's scores instead of published ones.  ``published_total``
    (the document's 总分) is checked against the computed total.
    ``execution_weight`` is the form's 分值 for execution (the scheme's when None).

    **Never a grade from too little**: the grade comes only from the one verdict
    (:func:`perfscore.score.verdict.decide`, rule in ``docs/scoring.md``): no rows, weights
    (execution included) not adding up to ``full_marks`` (100; None skips this check), a
    row needing review that could change the grade, a score above its weight, full marks
    on a missed target, a published total that is not the sum of its parts,
    ``target_table`` or ``read_errors`` (a reader's error messages) — each leaves the
    evaluation not graded: ``grade`` is empty and ``verdict.reasons`` say why.
    """
    scheme = scheme or load_scheme()
    rows = tuple(indicators)
    headings = _headings(rows) if scheme.derived_weights else frozenset()
    scores = tuple(
        _heading_score(i) if n in headings else score_indicator(i, scheme, year=year,
                                                                 recompute=recompute)
        for n, i in enumerate(rows)
    )  # fmt: skip
    execution = None
    if budget is not None and executed is not None and not scheme.execution_as_indicator:
        execution = score_execution(
            budget,
            executed,
            scheme,
            published=execution_published,
            recompute=recompute,
            weight=execution_weight,
        )
    indicator_total = sum((s.counted for s in scores), _ZERO)
    parts = indicator_total + (execution.counted if execution else _ZERO)
    total = _final_total(parts, scores, scheme, full_marks)
    warnings = _checks(scores, execution, scheme, total, published_total)
    warnings += _rescaled(scores, full_marks)
    warnings += _heading_checks(rows, headings)
    verdict = decide(
        Tally.total(score_tally(s) for s in scores),
        scheme.grade,
        full_marks=full_marks,
        execution_weight=execution.weight if execution else None,
        execution_counted=execution.counted if execution else None,
        execution_published=execution.published if execution else None,
        published_total=published_total,
        target_table=target_table,
        read_errors=read_errors,
        recompute=recompute,
        total=total,
    )
    return Evaluation(
        scheme=scheme,
        scores=scores,
        execution=execution,
        indicator_total=indicator_total,
        total=total,
        grade=verdict.grade,
        by_goal=_subtotals(scores, lambda i: (i.goal,)),
        by_level1=_subtotals(scores, lambda i: (i.level1,)),
        by_level2=_subtotals(scores, lambda i: (i.level1, i.level2)),
        warnings=warnings,
        recompute=recompute,
        year=year,
        published_total=published_total,
        verdict=verdict,
        full_marks=full_marks,
    )


def _is_heading(indicator: Indicator) -> bool:
    """A 一级/二级 row with a weight but no 三级指标, target, actual or 评分标准."""
    texts = (indicator.level3, indicator.target, indicator.actual, indicator.standard)
    return (indicator.level1 or indicator.level2) != "" and not any(t.strip() for t in texts)


def _headings(rows: tuple[Indicator, ...]) -> frozenset[int]:
    return frozenset(n for n, i in enumerate(rows) if _is_heading(i))


def _heading_score(indicator: Indicator) -> Score:
    """A heading row: its stated weight and score are kept in words, not counted again."""
    stated = [
        f"{name} {format_decimal(value)}"
        for name, value in (("分值", indicator.weight), ("得分", indicator.published))
        if value is not None
    ]
    how = (
        "上级指标，分值与得分为下级之和，不重复计入"
        + (f"（表中{'，'.join(stated)}）" if stated else "")
        + " (a heading: its weight and score are its rows' sums, not counted again)"
    )
    shown = attrs.evolve(indicator, weight=None, published=None)
    return Score(shown, None, _ZERO, Status.HEADING, how)


def _heading_checks(rows: tuple[Indicator, ...], headings: frozenset[int]) -> tuple[str, ...]:
    """A heading's stated weight (and score) must be the sum of its rows'."""
    warnings = []
    for n in sorted(headings):
        head = rows[n]
        children = [
            r
            for m, r in enumerate(rows)
            if m not in headings
            and r.level1 == head.level1
            and (not head.level2 or r.level2 == head.level2)
        ]
        for name, stated, parts in (
            ("分值", head.weight, [r.weight for r in children]),
            ("得分", head.published, [r.published for r in children]),
        ):
            total = sum((p for p in parts if p is not None), _ZERO)
            if stated is not None and stated != total:
                label = " / ".join(x for x in (head.level1, head.level2) if x)
                warnings.append(
                    f"第{head.row}行「{label}」{name} {format_decimal(stated)} 不等于下级之和"
                    f" {format_decimal(total)} (row {head.row}: heading {name} ≠ sum of its rows)"
                )
    return tuple(warnings)


def _rescaled(scores: tuple[Score, ...], full_marks: Decimal | None) -> tuple[str, ...]:
    """Say how the total was rescaled past 不适用 rows, so the total is not a surprise."""
    left_out = [s for s in scores if s.status is Status.NOT_APPLICABLE]
    if not left_out:
        return ()
    marks = full_marks if full_marks is not None else _FULL_MARKS
    weight = sum((s.weight for s in left_out), _ZERO)
    return (
        f"{len(left_out)} 项指标不适用（分值 {format_decimal(weight)}），总分按"
        f" 得分 × {format_decimal(marks)} / {format_decimal(marks - weight)} 折算"
        f" ({len(left_out)} rows not applicable: the total is rescaled to"
        f" {format_decimal(marks)})",
    )


def _final_total(
    parts: Decimal, scores: Iterable[Score], scheme: Scheme, full_marks: Decimal | None
) -> Decimal:
    """The total: the sum of the parts, rescaled past 不适用 rows, rounded as the scheme says."""
    excluded = sum((s.weight for s in scores if s.status is Status.NOT_APPLICABLE), _ZERO)
    marks = full_marks if full_marks is not None else _FULL_MARKS
    if not excluded or excluded >= marks:
        return scheme.round_total(parts)
    rescaled = parts * marks / (marks - excluded)
    return (
        scheme.round_total(rescaled) if scheme.total_places is not None else scheme.round(rescaled)
    )


def score_tally(score: Score) -> Tally:
    """The verdict's facts about one scored row."""
    return Tally.of_row(
        weight=score.indicator.weight,
        counted=score.counted,
        computed=score.computed,
        published=score.published,
        needs_review=score.status is Status.NEEDS_REVIEW,
        unsaved_formula=bool(score.indicator.published_formula),
    )


def evaluate_document(
    document: Document,
    *,
    scheme: Scheme | None = None,
    recompute: bool = False,
    year: int | None = None,
    budget: Decimal | None = None,
    executed: Decimal | None = None,
    indicators: Iterable[Indicator] | None = None,
) -> Evaluation:
    """Evaluate what a reader returned, with the document's own figures.

    The document's 全年预算数, 全年执行数, published execution score, year and
    总分 are used unless ``year``, ``budget`` and ``executed`` override them;
    ``indicators`` replaces the rows (e.g. wrapped in a progress bar).
    """
    return evaluate(
        document.indicators if indicators is None else indicators,
        scheme=scheme,
        budget=document.budget if budget is None else budget,
        executed=document.executed if executed is None else executed,
        execution_published=document.execution_published,
        year=document.year if year is None else year,
        recompute=recompute,
        published_total=document.published_total,
        execution_weight=document.execution_weight,
        full_marks=document.full_marks if document.full_marks is not None else _FULL_MARKS,
        target_table=document.kind is DocumentKind.TARGET_TABLE,
        read_errors=[str(d) for d in document.diagnostics if d.severity is Severity.ERROR],
    )


def _computed_or_counted(score: Score) -> Decimal:
    # A computed 0.00 is a score, not a missing one: test for None, not truth.
    return score.computed if score.computed is not None else score.counted


def _subtotals(
    scores: tuple[Score, ...], key: Callable[[Indicator], tuple[str, ...]]
) -> tuple[Subtotal, ...]:
    groups: dict[tuple[str, ...], list[Score]] = {}
    for score in scores:
        groups.setdefault(key(score.indicator), []).append(score)
    # Form order: a 二级 stays under its 一级 even when it first appears after another 一级
    # (效益 / 经济效益 met in goal 4 still lists before 满意度), each level in the order the
    # form first shows it.
    first: dict[tuple[str, ...], int] = {}
    for n, k in enumerate(groups):
        for depth in range(1, len(k) + 1):
            first.setdefault(k[:depth], n)
    ordered = sorted(groups, key=lambda k: [first[k[:depth]] for depth in range(1, len(k) + 1)])
    return tuple(_subtotal(k, groups[k]) for k in ordered)


def _subtotal(key: tuple[str, ...], group: list[Score]) -> Subtotal:
    # One pass; each sum is added in row order from 0, as sum() would.
    weight = counted = computed = _ZERO
    reviewed = False
    for s in group:
        weight += s.weight
        counted += s.counted
        if s.status is Status.NEEDS_REVIEW:
            reviewed = True
        elif not reviewed:
            computed += s.computed if s.computed is not None else s.counted
    return Subtotal(
        key=key,
        weight=weight,
        counted=counted,
        computed=None if reviewed else computed,
        rows=len(group),
    )


def _checks(
    scores: tuple[Score, ...],
    execution: Execution | None,
    scheme: Scheme,
    total: Decimal,
    published_total: Decimal | None,
) -> tuple[str, ...]:
    warnings = []
    weights = sum((s.weight for s in scores), _ZERO)
    execution_weight = execution.weight if execution else _ZERO
    if execution is None and not scheme.execution_as_indicator:
        warnings.append(
            "缺少预算执行数据（全年预算数、全年执行数），总分仅为指标得分"
            " (no budget execution data: the total is the indicator total)"
        )
    elif weights + execution_weight != _HUNDRED:
        warnings.append(
            f"指标分值合计 {format_decimal(weights)} + 预算执行 {format_decimal(execution_weight)}"
            f" = {format_decimal(weights + execution_weight)}，不等于 100"
            f" (weights add up to {format_decimal(weights + execution_weight)}, not 100)"
        )
    if execution is None and weights != _HUNDRED:
        warnings.append(
            f"指标分值合计 {format_decimal(weights)}，不等于 100"
            f" (indicator weights add up to {format_decimal(weights)}, not 100)"
        )
    warnings.extend(_over_weight(scores))
    reviewed = sum(1 for s in scores if s.status is Status.NEEDS_REVIEW)
    if reviewed:
        warnings.append(f"{reviewed} 项指标需人工复核 ({reviewed} rows need review)")
    parts = published_parts(scores, execution)
    if published_total is not None and published_total != parts:
        warnings.append(
            f"填报总分 {format_decimal(published_total)}"
            f" 与填报各项得分之和 {format_decimal(parts)} 不一致"
            f" (published total {format_decimal(published_total)} ≠ sum of published parts"
            f" {format_decimal(parts)})"
        )
    return tuple(warnings)


def published_parts(scores: Iterable[Score], execution: Execution | None) -> Decimal:
    """Sum the scores as published (computed where none was published), execution included."""
    points = sum(
        (s.published if s.published is not None else (s.computed or _ZERO) for s in scores), _ZERO
    )
    if execution is not None:
        points += execution.published if execution.published is not None else execution.computed
    return points


def _over_weight(scores: tuple[Score, ...]) -> list[str]:
    return [
        f"第{s.indicator.row}行得分 {format_decimal(s.counted)} 超过分值 {format_decimal(s.weight)}"
        f" (row {s.indicator.row}: score above its weight)"
        for s in scores
        if s.indicator.weight is not None and s.counted > s.weight
    ]


def value_problems(evaluation: Evaluation, file: str) -> tuple[Diagnostic, ...]:
    """Target / actual texts that cannot be read, or whose unit is unknown, as errors.

    Such a row is left for review (or, for a unit written the same on both sides,
    scored with a warning); ``perfscore score`` prints these as diagnostics, and the
    verdict — not this list — decides its exit status.  Each score kept its problems
    when it was scored (:attr:`Score.problems`): nothing is read twice.
    """
    return tuple(
        Diagnostic(
            message,
            Severity.ERROR,
            file,
            score.indicator.row,
            column,
            score.indicator.target if column == "年度指标值" else score.indicator.actual,
        )
        for score in evaluation.scores
        for column, message in score.problems
    )
