"""Tests for evaluate: roll-up, execution points, totals, grades and checks, on seed 002."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

import seed002
from perfscore import Indicator, evaluate, load_scheme
from perfscore.score.rollup import score_execution


def _evaluate(**kwargs: object) -> object:
    return evaluate(
        seed002.indicators(),
        budget=seed002.BUDGET,
        executed=seed002.EXECUTED,
        execution_published=seed002.EXECUTION_PUBLISHED,
        year=seed002.YEAR,
        published_total=seed002.PUBLISHED_TOTAL,
        **kwargs,  # type: ignore[arg-type]
    )


def test_seed002_reproduces_published_total() -> None:
    """With published scores, seed 002 totals 93.95 and grades 优, execution 9.65."""
    result = _evaluate()
    assert (result.total, result.grade) == (Decimal("93.95"), "优")
    assert result.indicator_total == Decimal("84.30")
    assert result.execution is not None
    assert (result.execution.computed, result.execution.counted) == (
        Decimal("9.65"),
        Decimal("9.65"),
    )
    assert result.warnings == ()


def test_seed002_recomputed() -> None:
    """Recomputed under mof2020, seed 002 totals 95.43."""
    result = _evaluate(recompute=True)
    assert (result.total, result.grade) == (Decimal("95.43"), "优")


def test_seed002_lists_exactly_three_deviations() -> None:
    """Exactly three rows' published scores differ from the rule, each explained."""
    differences = _evaluate().differences
    assert [(s.indicator.target, s.indicator.actual) for s in differences] == [
        ("≥30项", "68项"),
        ("≥300项", "498项"),
        ("≤34403.58万元", "44316.45万元"),
    ]
    assert [(s.published, s.computed) for s in differences] == [
        (Decimal("1.5"), Decimal("2.00")),
        (Decimal("0.5"), Decimal("1.00")),
        (Decimal("0.3"), Decimal("0.78")),
    ]
    assert differences[2].explanation == (
        "完成值 44316.45万元 超过目标 ≤34403.58万元，得分 = 1 × 34403.58 / 44316.45 = 0.78；"
        "填报得分 0.3 与方案得分 0.78 不一致（差 -0.48，按填报计入）"
    )


def test_seed002_every_row_is_scored() -> None:
    """All 60 rows come back, in input order, none needing review."""
    result = _evaluate()
    assert [s.indicator.row for s in result.scores] == list(range(1, 61))
    assert result.needs_review == ()


def test_subtotals_add_up() -> None:
    """Goal, 一级 and 二级 subtotals each add up to the indicator total."""
    result = _evaluate()
    for groups in (result.by_goal, result.by_level1, result.by_level2):
        assert sum(g.counted for g in groups) == result.indicator_total
        assert sum(g.weight for g in groups) == Decimal(90)
    assert [g.key for g in result.by_goal] == [(f"绩效目标{n}",) for n in range(1, 7)]


def test_total_is_sum_of_displayed_parts() -> None:
    """The total equals the sum of the rounded indicator scores plus execution."""
    result = _evaluate(recompute=True)
    assert result.execution is not None
    assert result.total == sum(s.counted for s in result.scores) + result.execution.counted


def test_row_order_changes_nothing() -> None:
    """Shuffling the rows gives the same total and the same scores per row."""
    rows = seed002.indicators()
    random.Random(7).shuffle(rows)
    shuffled = evaluate(rows, budget=seed002.BUDGET, executed=seed002.EXECUTED, year=2024)
    assert shuffled.total == _evaluate().total


def test_no_execution_data_warns() -> None:
    """Without budget figures the total is the indicator total, with a warning."""
    result = evaluate(seed002.indicators(), year=2024)
    assert result.execution is None
    assert result.total == Decimal("84.30")
    assert result.warnings[0].startswith("缺少预算执行数据")


def test_weights_not_adding_to_100_warn() -> None:
    """Indicator weights plus execution weight other than 100 are reported with the sums."""
    rows = seed002.indicators()[:-1]
    result = evaluate(rows, budget=seed002.BUDGET, executed=seed002.EXECUTED, year=2024)
    assert result.warnings[0] == (
        "指标分值合计 88 + 预算执行 10 = 98，不等于 100 (weights add up to 98, not 100)"
    )


def test_score_above_weight_warns() -> None:
    """A published score above its weight is reported."""
    rows = [Indicator(row=4, target="≥1项", actual="1项", weight=Decimal(2), published=Decimal(3))]
    result = evaluate(rows)
    assert "第4行得分 3 超过分值 2 (row 4: score above its weight)" in result.warnings


def test_published_total_that_does_not_add_up_warns() -> None:
    """A 总分 that differs from the sum of the published parts is reported."""
    result = evaluate(
        seed002.indicators(),
        budget=seed002.BUDGET,
        executed=seed002.EXECUTED,
        execution_published=seed002.EXECUTION_PUBLISHED,
        year=2024,
        published_total=Decimal("94.95"),
    )
    assert result.warnings == (
        "填报总分 94.95 与填报各项得分之和 93.95 不一致"
        " (published total 94.95 ≠ sum of published parts 93.95)",
    )


@pytest.mark.parametrize(
    ("executed", "points"),
    [("170639.2", "9.65"), ("176875.03", "10.00"), ("200000", "10.00"), ("0", "0.00")],
)
def test_execution_points(executed: str, points: str) -> None:
    """Execution points are min(B/A, 1) × 10, rounded half-up to two places."""
    result = score_execution(seed002.BUDGET, Decimal(executed), load_scheme())
    assert str(result.computed) == points


def test_grades_follow_the_scheme() -> None:
    """Grade thresholds come from the scheme: 优/良/中/差 or 好/较好/一般/差."""
    mof, bands = load_scheme("mof2020"), load_scheme("provincial-bands")
    assert [mof.grade(Decimal(v)) for v in ("90", "89.99", "60", "59.99")] == [
        "优",
        "良",
        "中",
        "差",
    ]
    assert [bands.grade(Decimal(v)) for v in ("95", "94.9", "84.9", "10")] == [
        "好",
        "较好",
        "一般",
        "差",
    ]


def test_computed_zero_is_not_missing() -> None:
    """A computed 0.00 counts as zero in the scheme's total, not as the published score."""
    rows = [
        Indicator(row=1, target="≥10项", actual="0项", weight=Decimal(5), published=Decimal(5)),
        Indicator(row=2, target="≥1项", actual="1项", weight=Decimal(95)),
    ]
    result = evaluate(rows)
    assert result.computed_total == Decimal("95.00")
    assert result.by_goal[0].computed == Decimal("95.00")


def test_evaluate_document_uses_and_overrides_its_figures() -> None:
    """evaluate_document takes the document's own figures unless told otherwise."""
    from perfscore import Document, evaluate_document
    from perfscore.documents import DocumentKind, Project

    document = Document(
        path="x",
        kind=DocumentKind.SELF_EVALUATION,
        projects=(Project(indicators=tuple(seed002.indicators())),),
        year=2024,
        budget=seed002.BUDGET,
        executed=seed002.EXECUTED,
        execution_published=seed002.EXECUTION_PUBLISHED,
        published_total=seed002.PUBLISHED_TOTAL,
    )
    assert evaluate_document(document).total == Decimal("93.95")
    overridden = evaluate_document(document, budget=Decimal(100), executed=Decimal(50))
    assert overridden.execution is not None
    assert overridden.execution.computed == Decimal("5.00")


def _rows(weights: list[str]) -> list[Indicator]:
    return [
        Indicator(row=n, target="≥10项", actual="12项", weight=Decimal(w))
        for n, w in enumerate(weights, 1)
    ]


def test_weights_short_of_full_marks_are_not_graded() -> None:
    """90 points of indicators and no execution block: no grade, and the reason says why."""
    result = evaluate(_rows(["50", "40"]))
    assert (result.graded, result.grade) == (False, "")
    assert "90" in result.not_graded_reason
    assert "100" in result.not_graded_reason


def test_full_weights_with_execution_are_graded() -> None:
    """90 points of indicators plus 10 for execution make 100: graded as usual."""
    result = evaluate(_rows(["50", "40"]), budget=Decimal(100), executed=Decimal(95))
    assert (result.graded, result.grade) == (True, "优")


def test_execution_weight_comes_from_the_form() -> None:
    """A form that gives execution 20 points scores it out of 20, and 80 + 20 is graded."""
    result = evaluate(
        _rows(["40", "40"]), budget=Decimal(100), executed=Decimal(90),
        execution_weight=Decimal(20),
    )  # fmt: skip
    assert result.execution is not None
    assert (result.execution.weight, result.execution.computed) == (Decimal(20), Decimal("18.00"))
    assert result.graded


def test_nothing_read_is_not_graded() -> None:
    """No rows at all: never a grade of 差 for a file that was not read."""
    result = evaluate([])
    assert not result.graded
    assert "未读到任何指标行" in result.not_graded_reason


def test_mostly_unreadable_rows_are_not_graded() -> None:
    """When most rows need review and carry no published score, no grade is given."""
    rows = [
        Indicator(row=n, target="提升", actual="持续推进中", weight=Decimal(25)) for n in range(4)
    ]
    result = evaluate(rows, full_marks=None)
    assert not result.graded
    assert "4/4" in result.not_graded_reason


def test_full_marks_check_can_be_switched_off() -> None:
    """An API caller scoring a few rows may pass full_marks=None to grade them anyway."""
    assert evaluate(_rows(["5"]), full_marks=None).graded


def test_a_score_keeps_its_reading_problems_so_nothing_is_read_twice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """value_problems reports unreadable texts and unknown units from the scores alone."""
    from perfscore.parse import targets
    from perfscore.score import rollup, scoring
    from perfscore.score.rollup import value_problems

    rows = [
        Indicator(row=1, target="≥??人", actual="5人", weight=Decimal(10)),
        Indicator(row=2, target="≥450XX", actual="460XX", weight=Decimal(10)),
        Indicator(row=3, target="≥5人", actual="6人", weight=Decimal(80)),
    ]
    evaluation = evaluate(rows)
    assert evaluation.scores[0].problems[0][0] == "年度指标值"

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a text was read again")

    for module in (targets, scoring, rollup):
        monkeypatch.setattr(module, "parse_target", refuse, raising=False)
        monkeypatch.setattr(module, "parse_actual", refuse, raising=False)
    problems = value_problems(evaluation, "f.csv")
    assert [(p.row, p.column) for p in problems] == [
        (1, "年度指标值"),
        (2, "年度指标值"),
        (2, "实际完成值"),
    ]
    assert "XX" in problems[1].message
