"""Numbers and units as people type them (issue 18): separators, signs, 成, 概数, rates.

The case table ``tests/data/numbers.tsv`` is scored through ``score_indicator``; the
value-level cases below pin what ``parse_target`` and ``parse_actual`` read.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import casetable
from perfscore import Indicator, Status, parse_target, score_indicator
from perfscore.errors import TargetSyntaxError
from perfscore.parse.targets import _parse_clauses, _simple_quantity, parse_actual
from perfscore.parse.values import Change, Quantity, Range

ROWS = casetable.load_rows("numbers.tsv")


def test_the_table_is_large_and_well_formed() -> None:
    """The table holds at least 220 cases of six columns, no case twice."""
    assert len(ROWS) >= 220
    assert all(len(row) == 6 for row in ROWS), [row for row in ROWS if len(row) != 6]
    keys = [(row[1], row[2]) for row in ROWS]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize(
    ("indicator", "target", "actual", "weight", "expected", "note"),
    ROWS,
    ids=[f"{r[1]}→{r[2]}" for r in ROWS],
)
def test_number_case(
    indicator: str, target: str, actual: str, weight: str, expected: str, note: str
) -> None:
    """Each row scores what a finance expert gives, or goes to review with a reason."""
    row = Indicator(row=1, level3=indicator, target=target, actual=actual, weight=Decimal(weight))
    score = score_indicator(row)
    if expected == "review":
        assert (score.computed, score.status) == (None, Status.NEEDS_REVIEW), score.explanation
        assert "(" in score.explanation  # a reason, in Chinese with English in parentheses
    else:
        assert score.computed == Decimal(expected), f"{note}: {score.explanation}"


# --- value level ----------------------------------------------------------------------

QUANTITIES = [
    ("63，450.00元", Decimal("63450.00"), "元"),
    ("２３，４５６元", Decimal(23456), "元"),
    ("2，360，000元", Decimal(2360000), "元"),
    ("≥1,000，000人", Decimal(1000000), "人"),
    ("−1.5%", Decimal("-1.5"), "percent"),
    ("－1.5%", Decimal("-1.5"), "percent"),
    ("﹣1.5%", Decimal("-1.5"), "percent"),
    ("负2.7%", Decimal("-2.7"), "percent"),
    ("負2.7%", Decimal("-2.7"), "percent"),
    ("七成五", Decimal(75), "percent"),
    ("八成五", Decimal(85), "percent"),
    ("九成", Decimal(90), "percent"),
    ("三成", Decimal(30), "percent"),
    ("十成", Decimal(100), "percent"),
    ("8.5成", Decimal("85.0"), "percent"),
    ("≤50万元/个", Decimal(50), "万元/个"),
    ("200元/人·年", Decimal(200), "元/人·年"),
    ("300元/人*月", Decimal(300), "元/人·个月"),
    ("300元/人/月", Decimal(300), "元/人·个月"),
    ("30元/㎡", Decimal(30), "元/平方米"),
    ("≥2万人次/年", Decimal(20000), "人次/年"),
    ("≥4次/月", Decimal(4), "次/个月"),
    ("≥2次/户", Decimal(2), "次/户"),
    ("≥2/户", Decimal(2), "/户"),
    ("50元/人·次", Decimal(50), "元/人·次"),
    ("95(百分比)", Decimal(95), "percent"),
    ("95（%）", Decimal(95), "percent"),
    ("100（人）", Decimal(100), "人"),
    ("48(万元/个)", Decimal(48), "万元/个"),
]


@pytest.mark.parametrize(("text", "magnitude", "unit"), QUANTITIES, ids=[q[0] for q in QUANTITIES])
def test_quantity_reads(text: str, magnitude: Decimal, unit: str) -> None:
    """Each text reads as one quantity: its exact number (sign kept) and its one unit."""
    for value in (parse_target(text), parse_actual(text)):
        assert isinstance(value, Quantity)
        assert (value.magnitude, value.unit, value.trailing) == (magnitude, unit, "")
        assert str(value.magnitude) == str(magnitude)


ROUGH = [
    ("三四十万元", Decimal(30), Decimal(40), "万元"),
    ("七百三四十人", Decimal(730), Decimal(740), "人"),
    ("十七八万", Decimal(170000), Decimal(180000), None),
    ("三五百", Decimal(300), Decimal(500), None),
    ("两三个", Decimal(2), Decimal(3), "个"),
    ("一二十", Decimal(10), Decimal(20), None),
    ("二三十", Decimal(20), Decimal(30), None),
    ("百八十", Decimal(80), Decimal(100), None),
    ("十一二人", Decimal(11), Decimal(12), "人"),
    ("两万三四千元", Decimal(23000), Decimal(24000), "元"),
    ("一两万人次", Decimal(10000), Decimal(20000), "人次"),
    ("七八成", Decimal(70), Decimal(80), "percent"),
]


@pytest.mark.parametrize(("text", "low", "high", "unit"), ROUGH, ids=[r[0] for r in ROUGH])
def test_rough_numbers_are_approximate_ranges(
    text: str, low: Decimal, high: Decimal, unit: str | None
) -> None:
    """A 概数 is an approximate range, never the number its digits spell (两三 is not 23)."""
    value = parse_actual(text)
    assert isinstance(value, Range)
    assert (value.low, value.high, value.unit, value.approximate) == (low, high, unit, True)
    assert value.warnings
    assert "概数" in value.warnings[0]


def test_negative_growth_is_a_fall() -> None:
    """负增长2% is a change of −2%, with or without 同比."""
    for text in ("负增长2%", "同比负增长2%"):
        value = parse_actual(text)
        assert isinstance(value, Change)
        assert value.signed == Decimal(-2)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("1,2000人", "「1,2000」中的逗号不是每三位一组的千位分隔符"),
        ("1，23人", "「1，23」中的逗号"),
        ("63、450元", "「63、450」中的「、」在数字之间"),
        ("2．360．000元", "「2．360．000」有多个小数点"),
        ("٣95", "「٣」不是阿拉伯数字或汉字数字"),
        ("增长−1.5%", "增减词后又有负号"),
        ("十三五", "数字连写无法识别"),
        ("十之八九", "数字连写无法识别"),
        ("≥两三个", "比较符后是概数"),
    ],
)
def test_unreadable_numbers_name_the_text(text: str, shown: str) -> None:
    """A number that could be read two ways is refused, naming the digits, never guessed."""
    with pytest.raises(TargetSyntaxError) as caught:
        parse_target(text)
    assert caught.value.message.startswith(shown)


@pytest.mark.parametrize(
    "text", ["63，450.00元", "≥１，０００人", "2，360，000元", "不少于60，000元", "-1,000元"]
)
def test_the_fast_path_reads_grouped_numbers_as_the_full_parser(text: str) -> None:
    """The fast path answers grouped numbers of either width exactly as the full parser."""
    fast = _simple_quantity(text)
    assert fast is not None
    assert fast == _parse_clauses(text)


def test_plan_names_stay_names() -> None:
    """十四五 before a value is part of its label: the value is the number after it."""
    value = parse_target("十四五期间完成100项")
    assert isinstance(value, Quantity)
    assert (value.magnitude, value.unit, value.label) == (Decimal(100), "项", "十四五期间完成")


# Every number example in issue 18's "Why", with what it reads as (a describe() text)
# or None where it must be refused with a reason.
WHY = [
    ("63，450.00元", "63450元"),
    ("２３，４５６元", "23456元"),
    ("2，360，000元", "2360000元"),
    ("1,2000人", None),
    ("−1.5%", "-1.5%"),
    ("负2.7%", "-2.7%"),
    ("负增长2%", "下降2%"),
    ("七成五", "75%"),
    ("三四十万元", "概数[30, 40]万元"),
    ("七百三四十人", "概数[730, 740]人"),
    ("两三个", "概数[2, 3]个"),
    ("十七八万", "概数[170000, 180000]"),
    ("≤50万元/个", "≤50万元/个"),
    ("48.6万元/个", "48.6万元/个"),
    ("1200元/吨", "1200元/吨"),
    ("500万元/公里", "500万元/公里"),
    ("50元/人·次", "50元/人·次"),
    ("2次/户", "2次/户"),
    ("300元/人*月", "300元/人·月"),
    ("95(百分比)", "95%"),
]


@pytest.mark.parametrize(("text", "reads"), WHY, ids=[w[0] for w in WHY])
def test_issue_18_number_examples(text: str, reads: str | None) -> None:
    """Each number example of issue 18 reads right, or is refused: none reads silently wrong."""
    if reads is None:
        with pytest.raises(TargetSyntaxError):
            parse_actual(text)
        return
    value = parse_actual(text)
    assert value.describe() == reads
    assert not getattr(value, "trailing", "")


# --- properties -----------------------------------------------------------------------

_SEPARATORS = st.sampled_from([",", "，"])


def _grouped(n: int, separators: list[str]) -> str:
    digits = str(n)
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return groups[0] + "".join(
        separators[k % len(separators)] + g for k, g in enumerate(groups[1:])
    )


@given(
    st.integers(min_value=1000, max_value=10**15),
    st.lists(_SEPARATORS, min_size=1, max_size=5),
    st.sampled_from(["", "元", "人次", "万元", "%"]),
    st.booleans(),
)
def test_thousands_of_any_width_read_back_exactly(
    n: int, separators: list[str], unit: str, negative: bool
) -> None:
    """n written with thousands separators of any width reads back as n exactly."""
    text = ("-" if negative else "") + _grouped(n, separators) + unit
    for value in (parse_target(text), parse_actual(text)):
        assert isinstance(value, Quantity)
        assert value.magnitude == (-n if negative else n)


@given(
    st.integers(min_value=1, max_value=10**9),
    st.integers(min_value=1, max_value=9999),
    st.sampled_from([",", "，", "、"]),
    st.sampled_from(["", "元", "人"]),
)
def test_separators_that_do_not_group_by_three_never_give_another_number(
    head: int, tail: int, separator: str, unit: str
) -> None:
    """A separator that does not group by three is refused or read as written: never a new number.

    ``head<sep>tail`` with a tail of other than three digits (or a head over three
    digits, or 、) is not a thousands group: the text is refused, or read as two
    numbers the writer wrote, never as head·1000+tail or as tail alone.
    """
    tail_text = str(tail)
    grouped = len(tail_text) == 3 and len(str(head)) <= 3 and separator != "、"
    text = f"{head}{separator}{tail_text}{unit}"
    if grouped:
        assert parse_actual(text).magnitude == head * 1000 + tail  # type: ignore[union-attr]
        return
    try:
        value = parse_actual(text)
    except TargetSyntaxError:
        return
    raise AssertionError(f"{text!r} read as {value!r}")  # pragma: no cover


@given(
    st.integers(min_value=1, max_value=10**6),
    st.sampled_from([",", "，", "、"]),
    st.integers(min_value=1, max_value=9999),
)
def test_an_ungrouped_actual_is_reviewed(head: int, separator: str, tail: int) -> None:
    """Scored against a target, an actual with an ungrouped separator needs review."""
    if len(str(tail)) == 3 and len(str(head)) <= 3 and separator != "、":
        return
    row = Indicator(row=1, target="≥100人", actual=f"{head}{separator}{tail}人", weight=Decimal(10))
    assert score_indicator(row).status is Status.NEEDS_REVIEW
