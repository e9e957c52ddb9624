"""Tests for score_indicator: the rules, the explanations, published vs computed."""

from __future__ import annotations

from decimal import Decimal

import pytest

import casetable
from perfscore import Comparator, Indicator, Status, load_scheme, score_indicator

CASES = casetable.load("scoring.tsv")


def _indicator(case: dict[str, str]) -> Indicator:
    return Indicator(
        row=1,
        level1=case["level1"],
        target=case["target"],
        actual=case["actual"],
        weight=Decimal(case["weight"]),
    )


@pytest.mark.parametrize(
    "case",
    CASES,
    ids=[f"{c['target']}→{c['actual']}@{c['scheme']}" for c in CASES],
)
def test_scoring_cases(case: dict[str, str]) -> None:
    """Each case in scoring.tsv gets the score and status the scheme prescribes."""
    year = int(case["year"]) if case["year"] else None
    score = score_indicator(_indicator(case), load_scheme(case["scheme"]), year=year)
    expected = None if case["computed"] == "review" else Decimal(case["computed"])
    assert score.computed == expected
    assert score.computed is None or str(score.computed) == case["computed"]
    assert score.status.value == case["status"]


def test_explanation_shows_the_numbers() -> None:
    """A partial score explains itself with the formula and the numbers used."""
    indicator = Indicator(row=1, target="≥2万人次", actual="15000人次", weight=Decimal(2))
    score = score_indicator(indicator)
    assert score.explanation == (
        "完成值 15000人次 未达到目标 ≥2万人次，得分 = 2 × 15000 / 20000 = 1.50"
    )


def test_cost_ceiling_explanation() -> None:
    """A cost without comparator is read as a ceiling and says so."""
    indicator = Indicator(
        row=1, level1="成本指标", target="156.5万元", actual="160万元", weight=Decimal(2)
    )
    score = score_indicator(indicator)
    assert score.explanation == (
        "完成值 160万元 超过目标 156.5万元（成本指标未写比较符，按不超过计），"
        "得分 = 2 × 156.5 / 160 = 1.96"
    )


def test_published_score_is_counted_and_compared() -> None:
    """A published score is counted unless recompute, and both stay visible."""
    indicator = Indicator(
        row=9, target="≥30项", actual="68项", weight=Decimal(2), published=Decimal("1.5")
    )
    kept = score_indicator(indicator)
    assert (kept.computed, kept.counted, kept.differs) == (Decimal("2.00"), Decimal("1.5"), True)
    assert kept.status is Status.PARTIAL
    assert "填报得分 1.5 与方案得分 2.00 不一致（差 -0.50，按填报计入）" in kept.explanation
    redone = score_indicator(indicator, recompute=True)
    assert (redone.counted, redone.status) == (Decimal("2.00"), Status.FULL)


def test_over_achievement_warns_without_deduction() -> None:
    """An actual 92% above a ≥ target keeps full marks under mof2020 but warns."""
    indicator = Indicator(row=1, target="≥4000家", actual="7667家", weight=Decimal(2))
    score = score_indicator(indicator)
    assert score.computed == Decimal("2.00")
    assert score.over_share is not None
    assert round(score.over_share, 2) == Decimal("0.92")
    assert score.warnings == (
        "完成值超出目标 92%（超过 30%），目标可能设定偏低"
        " (actual exceeds the target by 92%: target probably set too low)",
    )


def test_manual_row_keeps_published_score() -> None:
    """A row with no target and no actual but a published score is manual."""
    indicator = Indicator(row=3, level3="其他", weight=Decimal(2), published=Decimal("1.8"))
    score = score_indicator(indicator)
    assert (score.status, score.computed, score.counted) == (Status.MANUAL, None, Decimal("1.8"))


def test_unclassifiable_actual_needs_review_and_invents_nothing() -> None:
    """A qualitative actual that judges nothing gives no computed points."""
    indicator = Indicator(row=1, target="提升", actual="持续推进中", weight=Decimal(2))
    score = score_indicator(indicator)
    assert (score.status, score.computed, score.counted) == (
        Status.NEEDS_REVIEW,
        None,
        Decimal(0),
    )
    assert "需人工判定" in score.explanation


def test_unreadable_target_needs_review() -> None:
    """A target that raises a syntax error makes the row need review, with the reason."""
    indicator = Indicator(row=1, target="≥", actual="5", weight=Decimal(1))
    score = score_indicator(indicator)
    assert score.status is Status.NEEDS_REVIEW
    assert score.explanation.startswith("目标值无法识别 (target unreadable)")


def test_missing_weight_needs_review() -> None:
    """A row without a weight cannot be scored."""
    score = score_indicator(Indicator(row=1, target="≥1项", actual="1项"))
    assert score.status is Status.NEEDS_REVIEW
    assert score.explanation == "分值缺失或无效 (weight missing or invalid)"


def test_different_classifiers_warn() -> None:
    """Comparing 家 with 个 works as counts but says so."""
    indicator = Indicator(row=1, target="≥2个", actual="3家", weight=Decimal(1))
    assert score_indicator(indicator).warnings[0] == (
        "完成值单位「家」与目标单位「个」不同，按数量比较"
        " (units 家 and 个 differ; compared as counts)"
    )


def test_incompatible_units_explain() -> None:
    """元 against % cannot be compared: the row needs review with a message."""
    indicator = Indicator(row=1, target="≥90%", actual="5万元", weight=Decimal(1))
    score = score_indicator(indicator)
    assert score.status is Status.NEEDS_REVIEW
    assert (
        score.explanation
        == "完成值单位「万元」无法与目标单位「%」比较 (unit 万元 cannot be compared with %)"
    )


def test_compound_explanation_lists_clauses() -> None:
    """A compound target explains each clause's attainment and the mean."""
    indicator = Indicator(
        row=1,
        target="主场活动2场，带动全市开展活动不少于1万场",
        actual="主场活动2场，带动全市开展活动8000场",
        weight=Decimal(4),
    )
    assert score_indicator(indicator).explanation == (
        "复合指标：主场活动2场/主场活动2场 完成 100%；"
        "带动全市开展活动8000场/带动全市开展活动不少于1万场 完成 80%；"
        "平均完成度 90%，得分 = 4 × 平均完成度 = 3.60"
    )


def test_unknown_unit_in_actual_needs_review() -> None:
    """An actual in a unit perfscore does not know (450筐 vs 人次) is not scored as a number."""
    indicator = Indicator(row=1, target="≥500人次", actual="450筐", weight=Decimal(10))
    score = score_indicator(indicator)
    assert (score.status, score.computed) == (Status.NEEDS_REVIEW, None)
    assert score.explanation == (
        "完成值单位「筐」与目标单位「人次」无法比较，请人工核对"
        " (units '筐' and '人次' cannot be compared: unknown unit)"
    )


@pytest.mark.parametrize(
    ("target", "actual", "met"),
    [
        (">100人", "100人", False),
        (">100人", "101人", True),
        ("≥100人", "100人", True),
        ("<30天", "30天", False),
        ("<30天", "29天", True),
        ("≤30天", "30天", True),
        ("=100人", "120人", True),  # a one-sided "=" is scored like "≥" (equal = "higher")
    ],
)
def test_each_comparator_meets_its_target_by_its_own_operator(
    target: str, actual: str, met: bool
) -> None:
    """A strict > or < is not met by the target itself; ≥, ≤ and one-sided = are."""
    from perfscore.score.rules import MEETS

    assert set(MEETS) == set(Comparator)
    explanation = score_indicator(
        Indicator(row=1, target=target, actual=actual, weight=Decimal(10))
    ).explanation
    assert ("达到目标" in explanation and "未达到" not in explanation) == met, explanation
