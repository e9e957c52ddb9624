"""Tests for parse_target and parse_actual: the case tables in tests/data are the suite."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import casetable
from perfscore import (
    Comparator,
    Compound,
    Deadline,
    Outcome,
    Qualitative,
    Quantity,
    TargetSyntaxError,
    parse_actual,
    parse_target,
)
from perfscore.readers import read

EXAMPLES = Path(__file__).parents[2] / "examples" / "data"


_cases = casetable.load


TARGETS = _cases("targets.tsv")
ACTUALS = _cases("actuals.tsv")
INVALID = _cases("invalid_targets.tsv")


@pytest.mark.parametrize("case", TARGETS, ids=[c["text"] for c in TARGETS])
def test_target_cases(case: dict[str, str]) -> None:
    """Each target in targets.tsv parses into its kind and normalised reading."""
    value = parse_target(case["text"])
    assert (value.kind, value.describe()) == (case["kind"], case["reads"])
    assert bool(value.warnings) == (case["warns"] == "yes")


@pytest.mark.parametrize("case", ACTUALS, ids=[c["text"][:20] for c in ACTUALS])
def test_actual_cases(case: dict[str, str]) -> None:
    """Each actual in actuals.tsv parses into its kind and reading (or outcome)."""
    value = parse_actual(case["text"])
    assert value.kind == case["kind"]
    if isinstance(value, Qualitative):
        assert (value.outcome.value if value.outcome else "-") == case["reads"]
    else:
        assert value.describe() == case["reads"]


@pytest.mark.parametrize("case", INVALID, ids=[c["text"] for c in INVALID])
def test_invalid_cases(case: dict[str, str]) -> None:
    """Text that cannot be read raises TargetSyntaxError pointing at the problem."""
    with pytest.raises(TargetSyntaxError) as info:
        parse_target(case["text"])
    assert info.value.message.startswith(case["message"])
    assert info.value.span == (int(case["start"]), int(case["end"]))
    assert info.value.source == case["text"]


def test_every_seed_target_is_a_case() -> None:
    """Every distinct target in the four target-table seeds is listed in targets.tsv."""
    listed = {case["text"] for case in TARGETS}
    seeds = {
        indicator.target
        for path in sorted(EXAMPLES.glob("targets-*.txt"))
        for indicator in read(path).indicators
    }
    assert seeds - listed == set()
    assert len(seeds) > 140


def test_quantity_fields() -> None:
    """A quantity keeps comparator, exact magnitude, canonical unit and the words before it."""
    value = parse_target("带动全市开展活动不少于1万场")
    assert value == Quantity(
        text="带动全市开展活动不少于1万场",
        magnitude=Decimal(10000),
        unit="场",
        comparator=Comparator.GE,
        label="带动全市开展活动",
    )


def test_multiplier_alone_scales_the_number() -> None:
    """``150万`` with no unit is one and a half million."""
    value = parse_target("150万")
    assert isinstance(value, Quantity)
    assert (value.magnitude, value.unit) == (Decimal(1500000), None)


def test_money_units_are_units_not_multipliers() -> None:
    """``160万元`` keeps the unit 万元 so formulas see 160, not 1600000."""
    value = parse_target("≤160万元")
    assert isinstance(value, Quantity)
    assert (value.magnitude, value.unit) == (Decimal(160), "万元")


def test_comparator_before_month_is_a_duration() -> None:
    """``≥8月`` is eight months, while ``8月`` alone is August."""
    assert parse_target("≥8月").kind == "quantity"
    assert parse_target("8月").kind == "period"


def test_deadline_year_comes_from_the_caller() -> None:
    """A deadline without a year resolves with the evaluation year, never the clock."""
    value = parse_target("年底前")
    assert isinstance(value, Deadline)
    assert value.resolve(None) is None
    assert str(value.resolve(2023)) == "2023-12-31"


def test_deadline_includes_its_last_day() -> None:
    """``9月前`` and ``9月底前`` both allow the whole of September."""
    for text in ("9月前", "9月底前"):
        value = parse_target(text)
        assert isinstance(value, Deadline)
        assert str(value.resolve(2024)) == "2024-09-30"


def test_compound_keeps_every_clause() -> None:
    """A compound target splits on ，and ； and keeps its clauses in order."""
    value = parse_target("宣传先进典型不少于10人，拍摄专题宣传片不少于1部")
    assert isinstance(value, Compound)
    assert [c.describe() for c in value.clauses] == ["≥10人", "≥1部"]


def test_prose_with_numbers_is_qualitative() -> None:
    """A number inside prose (words before and after it) is not read as the value."""
    value = parse_actual("全市342家科普基地接待人数超过2000万人次")
    assert isinstance(value, Qualitative)
    assert value.outcome is None


def test_mixed_outcome_phrases_judge_nothing() -> None:
    """``部分达成`` is not read as ``达成``; a text with two bands is left to a person."""
    assert parse_actual("部分达成").outcome is Outcome.PARTIAL  # type: ignore[union-attr]
    assert parse_actual("未按时完成").outcome is Outcome.NOT_ACHIEVED  # type: ignore[union-attr]
    text = "年初计划未完成，经调整后已完成"
    assert parse_actual(text).outcome is None  # type: ignore[union-attr]


def test_unknown_unit_text_is_kept_and_warns() -> None:
    """A broken unit such as ``≥2无`` parses, keeps the unit text and warns."""
    value = parse_target("≥2无")
    assert isinstance(value, Quantity)
    assert (value.unit, value.unit_text) == (None, "无")
    assert value.warnings == ("未知单位「无」(unknown unit '无')",)


def test_unread_trailing_text_warns() -> None:
    """Words after a value that are not a unit are kept in ``trailing`` with a warning."""
    value = parse_target("≥90科技馆正常运转率")
    assert isinstance(value, Quantity)
    assert value.trailing == "科技馆正常运转率"
    assert value.warnings == (
        "未识别的文字「科技馆正常运转率」已忽略 (unread text '科技馆正常运转率' ignored)",
    )


def test_syntax_error_draws_caret_by_display_width() -> None:
    """The caret under a Chinese text is placed by display width, two columns a character."""
    with pytest.raises(TargetSyntaxError) as info:
        parse_target("不少于≥")
    assert str(info.value) == (
        "比较符号后缺少数值 (expected a number after the comparator)\n    不少于≥\n          ^"
    )


def test_syntax_error_is_a_value_error() -> None:
    """TargetSyntaxError is also a ValueError, so callers may catch either."""
    with pytest.raises(ValueError, match="empty"):
        parse_target("   ")


def test_parse_is_cached_per_text() -> None:
    """Parsing the same text twice returns the same frozen value."""
    assert parse_target("≥135人") is parse_target("≥135人")
