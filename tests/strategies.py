"""Hypothesis strategies shared by every property test."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from perfscore import Indicator
from perfscore.parse._tokenizer import COMPARATOR_SUFFIXES, COMPARATOR_WORDS
from perfscore.parse.units import vocabulary
from perfscore.score.scheme import available_schemes, load_scheme

SYMBOLS = ["≥", "≤", ">", "<", "=", "＝", "﹦", ">=", "<=", ""]
COUNT_UNITS = ["人", "人次", "项", "家", "个", "次", "场", "篇"]

# Plain magnitudes as people write them: whole numbers and up to two decimals.
magnitudes = st.decimals(
    min_value=Decimal("0.01"), max_value=Decimal("1000000"), places=2, allow_nan=False
).map(lambda d: d.normalize())
weights = st.sampled_from([Decimal(w) for w in ("0.5", "1", "2", "3", "5", "10")])
# The project-form presets (产出/效益/满意度 with a separate execution block); the
# department-wide preset has its own tests (tests/test_department.py).
schemes = st.sampled_from(
    [n for n in available_schemes() if not load_scheme(n).execution_as_indicator]
).map(load_scheme)
upper = st.sampled_from(["≤", "<", "不超过", "以内"])
lower = st.sampled_from(["≥", ">", "不少于", "达到"])


def number_text(value: Decimal) -> str:
    """Write a Decimal the way a person would: no exponent, no trailing zeros."""
    return f"{value:f}"


@st.composite
def target_like_text(draw: st.DrawFn) -> str:
    """Text assembled from the grammar's own vocabulary, including broken combinations."""
    pieces = st.sampled_from(
        [
            *SYMBOLS,
            *COMPARATOR_WORDS,
            *COMPARATOR_SUFFIXES,
            *vocabulary().units,
            *vocabulary().multipliers,
            "年",
            "月",
            "日",
            "前",
            "底",
            "年底前",
            "百分之",
            "，",
            "；",
            "-",
            ".",
            "*",
            "一",
            "十",
            "百",
            "完成",
            "提升",
            # Numbers as people type them (issue 18): separators, signs, 成, 概数, rates.
            ",",
            "、",
            "/",
            "·",
            "（",
            "）",
            "成",
            "负",
            "−",
            "两",
            "三",
            "七",
            "八",
            "٣",
        ]
    )
    numbers = st.integers(min_value=0, max_value=40000).map(str)
    parts = draw(st.lists(st.one_of(pieces, numbers), min_size=1, max_size=8))
    return "".join(parts)


@st.composite
def quantity_rows(draw: st.DrawFn, comparator: st.SearchStrategy[str] | None = None) -> Indicator:
    """An indicator with a quantity target and a same-unit actual."""
    unit = draw(st.sampled_from([*COUNT_UNITS, "万元", "%", "个月", "平方米"]))
    op = draw(comparator) if comparator is not None else draw(st.sampled_from(SYMBOLS))
    target = draw(magnitudes)
    actual = draw(st.one_of(magnitudes, st.just(Decimal(0))))
    target_text = (
        f"{number_text(target)}{unit}{op}"
        if op in ("以内",)
        else f"{op}{number_text(target)}{unit}"
    )
    return Indicator(
        row=draw(st.integers(min_value=1, max_value=10_000)),
        level1=draw(st.sampled_from(["产出指标", "效益指标", "成本指标", "满意度指标"])),
        target=target_text,
        actual=f"{number_text(actual)}{unit}",
        weight=draw(weights),
    )


indicator_lists = st.lists(quantity_rows(), min_size=1, max_size=30)
