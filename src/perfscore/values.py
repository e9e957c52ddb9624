"""What a target or actual-value text means, once parsed.

``parse_target`` and ``parse_actual`` (in :mod:`perfscore.targets`) return one
of these frozen values; together they form the :data:`Value` union:

- :class:`Quantity`    ``≥135人``, ``≤160万元``, ``95%``, ``≤3个月``
- :class:`Deadline`    ``2023年12月31日前``, ``年底前``, ``9月前``
- :class:`Period`      ``2023年1-12月``, ``2023年12月``
- :class:`Qualitative` ``提升``, ``有效保障``, ``全部达到预期指标``
- :class:`Compound`    ``主场活动2场，带动全市开展活动不少于1万场``
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
from decimal import Decimal
from typing import Any

import attrs

from .units import vocabulary

__all__ = [
    "Comparator",
    "Compound",
    "Deadline",
    "Outcome",
    "Period",
    "Qualitative",
    "Quantity",
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


class Outcome(enum.Enum):
    """A qualitative judgement of an actual value, in the official three bands."""

    ACHIEVED = "达成"
    PARTIAL = "部分达成"
    NOT_ACHIEVED = "未达成"


def format_decimal(value: Decimal) -> str:
    """Format ``value`` without exponent or trailing zeros: ``Decimal('1.50')`` → ``1.5``."""
    if value == value.to_integral_value():
        return f"{value.quantize(Decimal(1)):f}"
    return f"{value.normalize():f}"


def _unit_display(unit: str | None) -> str:
    return vocabulary().units[unit].display if unit else ""


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

    kind = "quantity"

    @property
    def unit_display(self) -> str:
        """The unit as perfscore writes it (``%`` for 百分比)."""
        return _unit_display(self.unit)

    def describe(self) -> str:
        """Return the normalised form, e.g. ``≥20000人次``."""
        op = self.comparator.value if self.comparator else ""
        return f"{op}{format_decimal(self.magnitude)}{self.unit_display}"

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
        }


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

    kind = "deadline"

    def resolve(self, year: int | None) -> dt.date | None:
        """Return the last day that is on time, using ``year`` when the text has none."""
        y = self.year if self.year is not None else year
        if y is None:
            return None
        return dt.date(y, self.month, self.day or _last_day(y, self.month))

    def describe(self) -> str:
        """Return the normalised form: ``2023-12-31前``, or ``12月底前`` without a year."""
        if self.year is None:
            day = f"{self.day}日" if self.day is not None else "底"
            return f"{self.month}月{day}前"
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

    kind = "period"

    def resolve(self, year: int | None) -> dt.date | None:
        """Return the period's last day, using ``year`` when the text has none."""
        y = self.year if self.year is not None else year
        if y is None:
            return None
        return dt.date(y, self.last_month, _last_day(y, self.last_month))

    def describe(self) -> str:
        """Return the normalised form, e.g. ``2023年1-12月`` or ``7月``."""
        year = f"{self.year}年" if self.year is not None else ""
        months = (
            f"{self.first_month}"
            if self.first_month == self.last_month
            else f"{self.first_month}-{self.last_month}"
        )
        return f"{year}{months}月"

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "kind": self.kind,
            "text": self.text,
            "year": self.year,
            "first_month": self.first_month,
            "last_month": self.last_month,
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
class Compound:
    """Several clauses in one cell, split on ``，`` and ``；``; each is scored on its own."""

    text: str
    clauses: tuple[Quantity | Deadline | Period | Qualitative, ...]
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


Value = Quantity | Deadline | Period | Qualitative | Compound
"""Any parsed target or actual value."""
