"""Property tests (Hypothesis) guarding the scoring invariants."""

from __future__ import annotations

from decimal import Decimal

import attrs
from hypothesis import given
from hypothesis import strategies as st

import strategies
from perfscore import (
    Indicator,
    Scheme,
    TargetSyntaxError,
    evaluate,
    parse_actual,
    parse_target,
    score_indicator,
)


@given(st.text(max_size=30))
def test_parse_raises_only_its_own_error_on_any_text(text: str) -> None:
    """parse_target never raises anything but TargetSyntaxError, whatever the text."""
    try:
        parse_target(text)
        parse_actual(text)
    except TargetSyntaxError:
        pass


@given(strategies.target_like_text())
def test_parse_raises_only_its_own_error_on_grammar_soup(text: str) -> None:
    """Recombined vocabulary (the risky inputs) also only raises TargetSyntaxError."""
    try:
        value = parse_target(text)
    except TargetSyntaxError as error:
        # A caret may stand one past the end: "7*" expects a number there.
        assert 0 <= error.span[0] < error.span[1] <= len(text) + 1  # noqa: PT017
    else:
        assert value.kind in (
            "quantity",
            "deadline",
            "period",
            "qualitative",
            "compound",
            "range",
            "tolerance",
            "change",
        )


@given(strategies.quantity_rows(), strategies.schemes)
def test_score_stays_within_weight(indicator: Indicator, scheme: Scheme) -> None:
    """A computed score is between 0 and the weight."""
    score = score_indicator(indicator, scheme)
    assert score.computed is not None
    assert 0 <= score.computed <= score.weight


@given(
    strategies.quantity_rows(comparator=strategies.lower),
    strategies.magnitudes,
    strategies.magnitudes,
    strategies.schemes,
)
def test_higher_is_better_for_lower_bounds(
    indicator: Indicator, a: Decimal, b: Decimal, scheme: Scheme
) -> None:
    """For ≥ targets a larger actual never scores less."""
    at_low, at_high = _scores_at_low_and_high(indicator, a, b, scheme)
    if scheme.over_deduct is None:
        assert at_low <= at_high


@given(
    strategies.quantity_rows(comparator=strategies.upper),
    strategies.magnitudes,
    strategies.magnitudes,
    strategies.schemes,
)
def test_lower_is_better_for_upper_bounds(
    indicator: Indicator, a: Decimal, b: Decimal, scheme: Scheme
) -> None:
    """For ≤ targets a smaller actual never scores less."""
    at_low, at_high = _scores_at_low_and_high(indicator, a, b, scheme)
    assert at_low >= at_high


def _scores_at_low_and_high(
    indicator: Indicator, a: Decimal, b: Decimal, scheme: Scheme
) -> tuple[Decimal, Decimal]:
    """Score the indicator with the smaller and with the larger of two actuals."""
    unit = indicator.actual.lstrip("0123456789.")
    scores = []
    for value in sorted((a, b)):
        computed = score_indicator(
            attrs.evolve(indicator, actual=f"{value:f}{unit}"), scheme
        ).computed
        assert computed is not None
        scores.append(computed)
    return scores[0], scores[1]


@given(strategies.magnitudes, strategies.magnitudes, strategies.weights, strategies.schemes)
def test_money_units_are_interchangeable(
    target: Decimal, actual: Decimal, weight: Decimal, scheme: Scheme
) -> None:
    """Writing 2万元 or 20000元 (target or actual) changes no score."""
    as_wan = Indicator(row=1, target=f"≤{target:f}万元", actual=f"{actual:f}万元", weight=weight)
    as_yuan = attrs.evolve(
        as_wan, target=f"≤{target * 10000:f}元", actual=f"{(actual * 10000):f}元"
    )
    mixed = attrs.evolve(as_wan, actual=f"{(actual * 10000):f}元")
    scores = {score_indicator(i, scheme).computed for i in (as_wan, as_yuan, mixed)}
    assert len(scores) == 1


@given(
    st.integers(min_value=1, max_value=10),
    st.integers(min_value=1, max_value=60),
    strategies.weights,
)
def test_years_and_months_are_interchangeable(years: int, months: int, weight: Decimal) -> None:
    """A target of N年 scores like 12N个月 against the same actual."""
    in_years = Indicator(row=1, target=f"≤{years}年", actual=f"{months}个月", weight=weight)
    in_months = attrs.evolve(in_years, target=f"≤{years * 12}个月")
    assert score_indicator(in_years).computed == score_indicator(in_months).computed


@given(strategies.indicator_lists, strategies.schemes, st.booleans())
def test_total_is_sum_of_displayed_parts(
    rows: list[Indicator], scheme: Scheme, recompute: bool
) -> None:
    """The total equals the sum of the scores as displayed (already rounded) plus execution."""
    result = evaluate(
        rows, scheme=scheme, budget=Decimal(100), executed=Decimal(97), recompute=recompute
    )
    assert result.execution is not None
    for score in result.scores:
        # Every part is shown as it is: rounded to the scheme's places, or the weight itself.
        assert score.counted == scheme.round(score.counted) or score.counted == score.weight
    parts = [s.counted for s in result.scores] + [result.execution.counted]
    assert result.total == sum(parts, Decimal(0))


@given(strategies.indicator_lists, st.randoms(use_true_random=False))
def test_row_order_changes_nothing(rows: list[Indicator], random: object) -> None:
    """Shuffling the rows changes neither the total nor any row's score."""
    shuffled = list(rows)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    first, second = evaluate(rows), evaluate(shuffled)
    assert first.total == second.total
    by_row = {id(s.indicator): s.computed for s in first.scores}
    assert all(by_row[id(s.indicator)] == s.computed for s in second.scores)
