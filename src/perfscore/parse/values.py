"""What a target or actual-value text means, once parsed.

``parse_target`` and ``parse_actual`` (in :mod:`perfscore.parse.targets`) return one
of these frozen values; together they form the :data:`Value` union:

- :class:`Quantity`    ``≥135人``, ``≤160万元``, ``95%``, ``≤3个月``
- :class:`Deadline`    ``2023年12月31日前``, ``年底前``, ``9月前``
- :class:`Period`      ``2023年1-12月``, ``2023年12月``
- :class:`Qualitative` ``提升``, ``有效保障``, ``全部达到预期指标``
- :class:`Range`       ``30-40万元``, ``85%~95%``, ``大于等于100小于等于300``
- :class:`Tolerance`   ``±5%``, ``偏差率控制在±3%以内``, ``误差不超过2%``
- :class:`Change`      ``同比增长8%``, ``较上年下降3个百分点``, ``持平``, ``不低于上年``
- :class:`Compound`    ``主场活动2场，带动全市开展活动不少于1万场``

A quantity may be approximate (``约``, ``左右``, ``余``, ``多``, ``近``, ``几``):
:attr:`Quantity.approximation` keeps how, and the value carries a warning.
Deadlines and periods may be relative to the evaluation year (``次年6月底前``):
:attr:`Deadline.year_offset` keeps the offset, never the clock's year.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
from decimal import Decimal
from typing import Any

import attrs

from .units import unit_info

__all__ = [
    "KIND_NAMES",
    "Approximation",
    "Change",
    "Comparator",
    "Compound",
    "Deadline",
    "Direction",
    "Outcome",
    "Period",
    "Qualitative",
    "Quantity",
    "Range",
    "Simple",
    "Tolerance",
    "Value",
    "format_decimal",
]


class Comparator(enum.Enum):
    """How an actual value must relate to the target value."""

    GE = "≥"
    GT = ">"
    LE = "≤"
    LT = "<"
    EQ = "="

    @property
    def is_upper_bound(self) -> bool:
        """Whether the target is a ceiling (≤, <): less is better."""
        return self in (Comparator.LE, Comparator.LT)


# What each kind of value is called in Chinese output (``perfscore parse``'s 类型 column).
KIND_NAMES = {
    "quantity": "数量",
    "deadline": "时限",
    "period": "期间",
    "qualitative": "定性",
    "range": "区间",
    "tolerance": "容差",
    "change": "增减幅度",
    "compound": "复合",
}


class Approximation(enum.Enum):
    """How an approximate number relates to the true value it stands for."""

    ABOUT = "约"  # 约, 大约, 左右, 上下: near the number, either side
    MORE_THAN = "余"  # 1200余人, 1200多人: a little more than the number
    JUST_UNDER = "近"  # 近1000人, 将近, 接近: a little less than the number
    SEVERAL = "几"  # 几十, 数百: an order of magnitude, not a number


class Direction(enum.Enum):
    """Which way a change against a baseline goes (同比增长 / 同比下降 / 持平)."""

    RISE = "增长"  # 增长, 提高, 上升, 增加, 提升
    FALL = "下降"  # 下降, 减少, 降低
    FLAT = "持平"  # 持平, 不低于上年 (with comparator ≥), 不高于上年 (≤)

    @property
    def sign(self) -> int:
        """+1 for a rise, -1 for a fall, 0 for no change."""
        return {Direction.RISE: 1, Direction.FALL: -1, Direction.FLAT: 0}[self]


class Outcome(enum.Enum):
    """A qualitative judgement of an actual value, in the official three bands."""

    ACHIEVED = "达成"
    PARTIAL = "部分达成"
    NOT_ACHIEVED = "未达成"

    # Members are singletons compared by identity: hashing by identity (C) instead of
    # enum's hash of the name (Python) keeps the same dict semantics, and a share table
    # keyed by outcome is looked up thousands of times in one fit.
    __hash__ = object.__hash__


def format_decimal(value: Decimal) -> str:
    """Format ``value`` without exponent or trailing zeros: ``Decimal('1.50')`` → ``1.5``."""
    if value == value.to_integral_value():
        return f"{value.quantize(Decimal(1)):f}"
    return f"{value.normalize():f}"


# How an approximate number is written back: 约500人, 近1000人, 1200余人, 概数10人.
_APPROXIMATION_MARKS: dict[Approximation | None, tuple[str, str]] = {
    Approximation.ABOUT: ("约", ""),
    Approximation.JUST_UNDER: ("近", ""),
    Approximation.MORE_THAN: ("", "余"),
    Approximation.SEVERAL: ("概数", ""),
}


def _unit_display(unit: str | None) -> str:
    return unit_info(unit).display if unit else ""


@attrs.frozen
class Quantity:
    """A number with an optional comparator and unit: ``≥2万人次`` → ≥ 20000 人次.

    ``magnitude`` is exact and already multiplied out (``2万`` → 20000);
    ``unit`` is the canonical unit name from ``units.txt`` or None.
    ``label`` holds words written before the value (often the indicator's name
    repeated) and ``trailing`` any unread text after it.
    """

    text: str
    magnitude: Decimal
    unit: str | None = None
    comparator: Comparator | None = None
    label: str = ""
    trailing: str = ""
    warnings: tuple[str, ...] = ()
    approximation: Approximation | None = None
    # The unit as written when units.txt does not know it ("≥5XX" → "XX");
    # two different unknown unit texts are never compared as bare numbers.
    unit_text: str = ""
    # The multiplier written with the number when no unit followed it
    # ("37.5万" → 10000, magnitude 375000); lets a 万元 target read it as 37.5万元.
    multiplier: Decimal | None = None

    kind = "quantity"

    @property
    def unit_display(self) -> str:
        """The unit as perfscore writes it (``%`` for 百分比)."""
        return _unit_display(self.unit)

    def describe(self) -> str:
        """Return the normalised form, e.g. ``≥20000人次``, ``约500人``, ``1200余人``."""
        op = self.comparator.value if self.comparator else ""
        before, after = _APPROXIMATION_MARKS.get(self.approximation, ("", ""))
        # An unknown unit (unit_text) is not shown: the warning names it.
        return f"{op}{before}{format_decimal(self.magnitude)}{after}{self.unit_display}"

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (decimals as strings)."""
        return {
            "kind": self.kind,
            "text": self.text,
            "comparator": self.comparator.value if self.comparator else None,
            "magnitude": format_decimal(self.magnitude),
            "unit": self.unit_display or None,
            "label": self.label,
            "trailing": self.trailing,
            "warnings": list(self.warnings),
            "approximation": self.approximation.value if self.approximation else None,
            "unit_text": self.unit_text or None,
        }


def _relative(offset: int) -> str:
    """How a year relative to the evaluation year is written: 次年, 上年, or nothing."""
    return {0: "", 1: "次年", -1: "上年"}.get(offset, f"评价年度{offset:+d}年")


def _offset(year: int | None, offset: int) -> int | None:
    return None if year is None else year + offset


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


@attrs.frozen
class Deadline:
    """A date by which something is done; the day itself counts as on time.

    ``year`` is None when the text leaves it out (``年底前``); it is then taken
    from the evaluation year.  ``day`` is None for "by the end of the month".
    """

    text: str
    month: int
    day: int | None = None
    year: int | None = None
    label: str = ""
    trailing: str = ""
    warnings: tuple[str, ...] = ()
    # Years after the evaluation year when the text says so (次年 → 1); used
    # only when ``year`` is None.
    year_offset: int = 0

    kind = "deadline"

    def resolve(self, year: int | None) -> dt.date | None:
        """Return the last day that is on time, using ``year`` when the text has none."""
        y = self.year if self.year is not None else _offset(year, self.year_offset)
        if y is None:
            return None
        return dt.date(y, self.month, self.day or _last_day(y, self.month))

    def describe(self) -> str:
        """Return the normalised form: ``2023-12-31前``, or ``12月底前`` without a year."""
        if self.year is None:
            day = f"{self.day}日" if self.day is not None else "底"
            return f"{_relative(self.year_offset)}{self.month}月{day}前"
        end = self.resolve(self.year)
        return f"{end}前"

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "kind": self.kind,
            "text": self.text,
            "year": self.year,
            "month": self.month,
            "day": self.day,
            "year_offset": self.year_offset,
            "label": self.label,
            "trailing": self.trailing,
            "warnings": list(self.warnings),
        }


@attrs.frozen
class Period:
    """A span of months, ``2023年1-12月`` or ``2023年12月``; on time means by its end."""

    text: str
    first_month: int
    last_month: int
    year: int | None = None
    label: str = ""
    trailing: str = ""
    warnings: tuple[str, ...] = ()
    year_offset: int = 0  # as for Deadline: 次年3月至9月 → 1
    # The period's last day when the text names one (2024年4月12-19日 → 19).
    last_day: int | None = None
    first_day: int | None = None
    # The first month's year when the period crosses a year (2024年10月-2025年3月).
    first_year: int | None = None

    kind = "period"

    def resolve(self, year: int | None) -> dt.date | None:
        """Return the period's last day, using ``year`` when the text has none."""
        y = self.year if self.year is not None else _offset(year, self.year_offset)
        if y is None:
            return None
        return dt.date(y, self.last_month, self.last_day or _last_day(y, self.last_month))

    def describe(self) -> str:
        """Return the normalised form, e.g. ``2023年1-12月``, ``7月`` or ``次年3-9月``."""
        year = f"{self.year}年" if self.year is not None else _relative(self.year_offset)
        if self.first_year is not None and self.first_year != self.year:
            return f"{self.first_year}年{self.first_month}月-{year}{self.last_month}月"
        months = (
            f"{self.first_month}"
            if self.first_month == self.last_month
            else f"{self.first_month}-{self.last_month}"
        )
        day = f"{self.last_day}日" if self.last_day is not None else ""
        if self.first_day is not None and self.first_day != self.last_day:
            day = f"{self.first_day}-{day}"
        return f"{year}{months}月{day}"

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "kind": self.kind,
            "text": self.text,
            "year": self.year,
            "first_month": self.first_month,
            "last_month": self.last_month,
            "last_day": self.last_day,
            "year_offset": self.year_offset,
            "label": self.label,
            "trailing": self.trailing,
            "warnings": list(self.warnings),
        }


@attrs.frozen
class Qualitative:
    """Text without a measurable value: ``提升``, ``有效保障``, ``全部达到预期指标``.

    ``outcome`` is the judgement its words express (``已完成`` → achieved), or
    None when they express none; targets usually have none.
    """

    text: str
    outcome: Outcome | None = None
    warnings: tuple[str, ...] = ()

    kind = "qualitative"

    def describe(self) -> str:
        """Return the text, with the outcome it expresses if any."""
        return f"{self.text}（{self.outcome.value}）" if self.outcome else self.text

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "kind": self.kind,
            "text": self.text,
            "outcome": self.outcome.value if self.outcome else None,
            "warnings": list(self.warnings),
        }


@attrs.frozen
class Range:
    """A band of acceptable values: ``30-40万元``, ``85%~95%``, ``200至300人``.

    Both bounds are exact, multiplied out and in ``unit`` (as in
    :class:`Quantity`).  An actual inside the band meets the target.  As an
    actual, a range is judged conservatively (by its worse bound).
    """

    text: str
    low: Decimal
    high: Decimal
    unit: str | None = None
    low_inclusive: bool = True
    high_inclusive: bool = True
    label: str = ""
    trailing: str = ""
    warnings: tuple[str, ...] = ()
    unit_text: str = ""
    # 概数 (三四十万元, 两三个): the writer gave a rough span, not a band to stay in.
    approximate: bool = False
    # As for Quantity: the multiplier written without a unit (十七八万 → 10000).
    multiplier: Decimal | None = None

    kind = "range"

    @property
    def unit_display(self) -> str:
        """The unit as perfscore writes it."""
        return _unit_display(self.unit) or self.unit_text

    def describe(self) -> str:
        """Return the normalised form, e.g. ``[300000, 400000]元`` as ``300000–400000元``."""
        left = "[" if self.low_inclusive else "("
        right = "]" if self.high_inclusive else ")"
        low, high = format_decimal(self.low), format_decimal(self.high)
        rough = "概数" if self.approximate else ""
        return f"{rough}{left}{low}, {high}{right}{self.unit_display}"

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (decimals as strings)."""
        return {
            "kind": self.kind,
            "text": self.text,
            "low": format_decimal(self.low),
            "high": format_decimal(self.high),
            "low_inclusive": self.low_inclusive,
            "high_inclusive": self.high_inclusive,
            "approximate": self.approximate,
            "unit": self.unit_display or None,
            "label": self.label,
            "trailing": self.trailing,
            "warnings": list(self.warnings),
        }


@attrs.frozen
class Tolerance:
    """A permitted deviation: ``±5%``, ``偏差率控制在±3%以内``, ``100±2吨``.

    ``center`` is None when what is measured is the deviation itself
    (``偏差率≤±3%``): the actual is then a deviation such as ``-6%`` and is
    judged by its absolute value, never clamped at 0.
    """

    text: str
    tolerance: Decimal
    unit: str | None = None
    center: Decimal | None = None
    label: str = ""
    trailing: str = ""
    warnings: tuple[str, ...] = ()
    unit_text: str = ""

    kind = "tolerance"

    @property
    def unit_display(self) -> str:
        """The unit as perfscore writes it."""
        return _unit_display(self.unit) or self.unit_text

    def describe(self) -> str:
        """Return the normalised form, e.g. ``±5%`` or ``100±2吨``."""
        center = format_decimal(self.center) if self.center is not None else ""
        return f"{center}±{format_decimal(self.tolerance)}{self.unit_display}"

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (decimals as strings)."""
        return {
            "kind": self.kind,
            "text": self.text,
            "center": format_decimal(self.center) if self.center is not None else None,
            "tolerance": format_decimal(self.tolerance),
            "unit": self.unit_display or None,
            "label": self.label,
            "trailing": self.trailing,
            "warnings": list(self.warnings),
        }


@attrs.frozen
class Change:
    """A change against a baseline: ``同比增长8%``, ``较上年下降3个百分点``, ``持平``.

    ``magnitude`` is the size of the change (always ≥ 0) and ``direction`` its
    sign; :attr:`signed` combines them.  ``magnitude`` is None when no amount
    is written (``有所增长``, ``不低于上年``): such a target cannot be scored
    without last year's figure.  As a target, ``comparator`` says how the
    actual change must relate (``同比增长不低于8%`` → ≥; default ≥ for a rise,
    and for a fall "at least this much fall").  ``basis`` keeps the baseline
    words (``同比``, ``较上年``, ``环比``).
    """

    text: str
    direction: Direction
    magnitude: Decimal | None = None
    unit: str | None = None
    comparator: Comparator | None = None
    basis: str = ""
    label: str = ""
    trailing: str = ""
    warnings: tuple[str, ...] = ()

    kind = "change"

    @property
    def signed(self) -> Decimal | None:
        """The change with its sign: a fall of 3 is -3; None without an amount."""
        if self.magnitude is None:
            return None
        return self.magnitude * self.direction.sign

    @property
    def unit_display(self) -> str:
        """The unit as perfscore writes it."""
        return _unit_display(self.unit)

    def describe(self) -> str:
        """Return the normalised form, e.g. ``同比增长≥8%`` or ``较上年持平``."""
        op = self.comparator.value if self.comparator else ""
        if self.direction is Direction.FLAT:
            # 持平 / 不低于上年: the change compared with zero.
            return f"较{self.basis or '基期'}变化{op or '='}0"
        amount = "" if self.magnitude is None else format_decimal(self.magnitude)
        return f"{self.basis}{self.direction.value}{op}{amount}{self.unit_display}"

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (decimals as strings)."""
        return {
            "kind": self.kind,
            "text": self.text,
            "direction": self.direction.value,
            "magnitude": format_decimal(self.magnitude) if self.magnitude is not None else None,
            "unit": self.unit_display or None,
            "comparator": self.comparator.value if self.comparator else None,
            "basis": self.basis,
            "label": self.label,
            "trailing": self.trailing,
            "warnings": list(self.warnings),
        }


Simple = Quantity | Deadline | Period | Qualitative | Range | Tolerance | Change
"""A value with one clause: anything but :class:`Compound`."""


@attrs.frozen
class Compound:
    """Several clauses in one cell, split on ``，`` and ``；``; each is scored on its own."""

    text: str
    clauses: tuple[Simple, ...]
    warnings: tuple[str, ...] = ()

    kind = "compound"

    def describe(self) -> str:
        """Return the clauses' normalised forms joined by ``；``."""
        return "；".join(c.describe() for c in self.clauses)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "kind": self.kind,
            "text": self.text,
            "clauses": [c.to_dict() for c in self.clauses],
            "warnings": list(self.warnings),
        }


Value = Quantity | Deadline | Period | Qualitative | Range | Tolerance | Change | Compound
"""Any parsed target or actual value."""
