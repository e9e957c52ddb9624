"""Tests for the unit registry: units.txt read for parsing, pint for conversions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from perfscore.parse.units import compare_units, conversion_factor, vocabulary


@pytest.mark.parametrize(
    ("source", "target", "factor"),
    [
        ("万元", "元", "10000"),
        ("亿元", "万元", "10000"),
        ("年", "个月", "12"),
        ("公顷", "平方米", "10000"),
        ("公里", "米", "1000"),
        ("小时", "分钟", "60"),
        ("percent", "percent", "1"),
    ],
)
def test_exact_conversions(source: str, target: str, factor: str) -> None:
    """Convertible units convert exactly, with Decimal factors."""
    assert conversion_factor(source, target) == Decimal(factor)


@pytest.mark.parametrize(
    ("source", "target"),
    [("工作日", "天"), ("学时", "小时"), ("元", "percent"), ("个月", "天"), ("百分点", "percent")],
)
def test_incompatible_units(source: str, target: str) -> None:
    """Working days, class hours, money vs percent and months vs days never convert."""
    assert conversion_factor(source, target) is None


def test_aliases_share_one_unit() -> None:
    """百分比, 百分率 and % are one unit, displayed as %."""
    units = vocabulary().units
    assert units["百分比"] == units["百分率"] == units["%"]
    assert units["%"].display == "%"


def test_different_classifiers_do_not_compare() -> None:
    """人次 is not 人 and 篇 is not 册: the row needs review, naming both units."""
    for actual, target in (("人次", "人"), ("篇", "册"), ("家次", "家")):
        comparison = compare_units(actual, target)
        assert comparison.factor is None
        assert actual in comparison.warning
        assert target in comparison.warning


def test_generic_count_compares_with_warning() -> None:
    """个 counts anything: 3个 against 项 compares as a count, with a warning."""
    comparison = compare_units("个", "项")
    assert comparison.factor == Decimal(1)
    assert "按数量比较" in comparison.warning


def test_multipliers_are_read_from_units_txt() -> None:
    """万, 亿, 千万 and 百万 are number multipliers."""
    assert vocabulary().multipliers == {
        "千万": Decimal(10_000_000),
        "百万": Decimal(1_000_000),
        "万": Decimal(10_000),
        "亿": Decimal(100_000_000),
    }
