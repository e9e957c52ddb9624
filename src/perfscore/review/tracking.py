"""双监控 during the year: indicator progress against time, projections, causes, checkpoints.

Used by :func:`.monitor.monitor`; every rule is here, every threshold is scheme data
(``[monitoring]`` of the scheme, defaults in brackets):

- **time progress** — the share of the year gone at the date: 30 June 2024 is
  182/366 = 49.73%.
- **indicator light** — a cumulative ≥ indicator (人次, 场, 家…) is expected at the time
  progress; a rate (%) is expected at its target already.  Gap = expected − completion
  in percentage points: ahead by more than ``blue`` (10) is **blue** (超前), behind by at
  most ``yellow`` green, by at most ``red`` yellow, more red.  A ≤, qualitative or
  otherwise unreadable progress gets no light: a person judges.
- **全年预计完成值** — a cumulative quantity extrapolated linearly to 31 December
  (progress ÷ time progress); a rate is projected at its current value.
- **完成目标可能性** — projected ÷ target: at least 1 确定能, at least ``possible`` (0.8)
  有可能, below 完全不可能 (the three answers of the official 绩效监控表).
- **偏差原因** — a cause text (``--cause 行号=原因``) is put in one of the form's
  categories 经费保障 / 制度保障 / 人员保障 / 硬件条件保障 / 其他 by the words in
  :data:`CAUSE_CATEGORIES` (first match wins; the text is kept as written).
- **2×2 matrix** — spending on plan (gap ≤ ``yellow``) or behind, × indicators on
  time (mean gap ≤ ``yellow``) or behind: four quadrants with what to do.
- **checkpoints** — ``checkpoint_3 = 25`` means 累计支出进度 at least 25% by the end of
  March; the latest checkpoint passed at the date is checked.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import attrs

from ..parse.values import Comparator, Quantity, format_decimal

__all__ = [
    "CAUSE_CATEGORIES",
    "Checkpoint",
    "IndicatorLight",
    "Matrix",
    "cause_category",
    "checkpoint",
    "indicator_light",
    "likelihood",
    "matrix",
    "time_percent",
]

_PLACE = Decimal("0.01")
_HUNDRED = Decimal(100)
_CHECKPOINT = re.compile(r"checkpoint_(\d{1,2})")

# The official 偏差原因 categories and the words that put a cause text in one.
CAUSE_CATEGORIES: dict[str, tuple[str, ...]] = {
    "经费保障": ("资金", "经费", "拨付", "预算", "支付", "到位", "财政"),
    "制度保障": ("制度", "政策", "审批", "流程", "文件", "规定", "招标", "采购", "合同"),
    "人员保障": ("人员", "人手", "编制", "招聘", "人才", "队伍", "调整分工"),
    "硬件条件保障": ("设备", "场地", "设施", "系统", "硬件", "网络", "装修", "工程"),
}
OTHER_CAUSE = "其他"


class IndicatorLight(enum.Enum):
    """An indicator's progress against time: blue (ahead), green, yellow, red, or unknown."""

    BLUE = "blue"
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    UNKNOWN = "unknown"

    @property
    def chinese(self) -> str:
        """蓝灯, 绿灯, 黄灯, 红灯 or 需人工判断."""
        return {"blue": "蓝灯（超前）", "green": "绿灯", "yellow": "黄灯", "red": "红灯"}.get(
            self.value, "需人工判断"
        )


def _percent(value: Decimal) -> Decimal:
    return value.quantize(_PLACE, rounding=ROUND_HALF_UP)


def time_percent(on: dt.date) -> Decimal:
    """The share of the year gone at the end of ``on``, in percent (31 Dec = 100.00)."""
    days = (dt.date(on.year, 12, 31) - dt.date(on.year, 1, 1)).days + 1
    gone = (on - dt.date(on.year, 1, 1)).days + 1
    return _percent(Decimal(gone) * _HUNDRED / Decimal(days))


def _setting(monitoring: Mapping[str, Decimal], key: str, default: str) -> Decimal:
    return monitoring.get(key, Decimal(default))


@attrs.frozen
class Reading:
    """One indicator's progress against time: completion, light, projection and cause."""

    completion: Decimal | None  # percent of the target reached (120.00 = 120%)
    expected: Decimal | None  # percent expected at the date
    light: IndicatorLight
    projected: str  # 全年预计完成值, as text with its unit ("" when not projected)
    likelihood: str  # 确定能 / 有可能 / 完全不可能 / ""
    cause_category: str
    cause: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (decimals as strings)."""
        return {
            "completion_percent": _text(self.completion),
            "expected_percent": _text(self.expected),
            "light": self.light.value,
            "projected": self.projected or None,
            "likelihood": self.likelihood or None,
            "cause_category": self.cause_category or None,
            "cause": self.cause,
        }


def _text(value: Decimal | None) -> str | None:
    return None if value is None else format_decimal(value)


def _is_rate(quantity: Quantity) -> bool:
    return quantity.unit == "percent"


def indicator_light(
    target: object,
    progress: object,
    completion: Decimal | None,
    on: dt.date,
    monitoring: Mapping[str, Decimal],
    cause: str = "",
) -> Reading:
    """The light, projection and likelihood of one indicator's progress at ``on``."""
    category = cause_category(cause) if cause else ""
    ok = (
        isinstance(target, Quantity)
        and isinstance(progress, Quantity)
        and target.comparator in (None, Comparator.GE, Comparator.GT, Comparator.EQ)
        and completion is not None
        and target.magnitude > 0
    )
    if not ok:
        return Reading(None, None, IndicatorLight.UNKNOWN, "", "", category, cause)
    assert isinstance(target, Quantity)
    assert isinstance(progress, Quantity)
    assert completion is not None
    rate = _is_rate(target)
    expected = _HUNDRED if rate else time_percent(on)
    gap = expected - completion
    blue = _setting(monitoring, "blue", "10")
    yellow = _setting(monitoring, "yellow", "5")
    red = _setting(monitoring, "red", "15")
    if gap < -blue:
        light = IndicatorLight.BLUE
    elif gap > red:
        light = IndicatorLight.RED
    else:
        light = IndicatorLight.YELLOW if gap > yellow else IndicatorLight.GREEN
    share = completion if rate else completion * _HUNDRED / time_percent(on)
    magnitude = progress.magnitude if rate else progress.magnitude * _HUNDRED / time_percent(on)
    projected = f"{format_decimal(_percent(magnitude))}{progress.unit_display}"
    return Reading(
        completion, expected, light, projected, likelihood(share, monitoring), category, cause
    )


def likelihood(projected_percent: Decimal, monitoring: Mapping[str, Decimal]) -> str:
    """完成目标可能性 from the projected completion in percent of the target."""
    if projected_percent >= _HUNDRED:
        return "确定能"
    possible = _setting(monitoring, "possible", "0.8") * _HUNDRED
    return "有可能" if projected_percent >= possible else "完全不可能"


def cause_category(text: str) -> str:
    """The category of a cause text: ``财政资金未及时拨付`` → 经费保障 (a category name is kept)."""
    stripped = text.strip()
    if stripped in CAUSE_CATEGORIES or stripped == OTHER_CAUSE:
        return stripped
    for category, words in CAUSE_CATEGORIES.items():
        if any(word in stripped for word in words):
            return category
    return OTHER_CAUSE


@attrs.frozen
class Matrix:
    """The spending × attainment 2×2 matrix: which quadrant, and what it asks for."""

    spending_on_plan: bool
    attainment_on_time: bool
    quadrant: str
    advice: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "spending_on_plan": self.spending_on_plan,
            "attainment_on_time": self.attainment_on_time,
            "quadrant": self.quadrant,
            "advice": self.advice,
        }


_QUADRANTS = {
    (True, True): ("支出正常、绩效正常", "双监控均正常，继续按计划执行。"),
    (True, False): ("支出正常、绩效滞后", "钱花了、事没办成：重点核查产出和效益，查找原因并纠偏。"),
    (False, True): ("支出滞后、绩效正常", "事办了、钱没花：核实预算是否偏高、支付是否滞后。"),
    (False, False): ("支出滞后、绩效滞后", "双滞后：督促加快实施，必要时调整预算或目标。"),
}


def matrix(
    spending_gap: Decimal | None,
    overspent: bool,
    readings: Sequence[Reading],
    monitoring: Mapping[str, Decimal],
) -> Matrix | None:
    """The quadrant, or None without a spending gap or any indicator with a light."""
    gaps = [
        r.expected - r.completion
        for r in readings
        if r.expected is not None and r.completion is not None
    ]
    if (spending_gap is None and not overspent) or not gaps:
        return None
    yellow = _setting(monitoring, "yellow", "5")
    spending_ok = overspent or (spending_gap is not None and spending_gap <= yellow)
    attainment_ok = sum(gaps, Decimal(0)) / len(gaps) <= yellow
    quadrant, advice = _QUADRANTS[(spending_ok, attainment_ok)]
    return Matrix(spending_ok, attainment_ok, quadrant, advice)


@attrs.frozen
class Checkpoint:
    """The latest spending checkpoint passed at the date: month, required percent, met or not."""

    month: int
    required: Decimal
    actual: Decimal
    met: bool

    @property
    def sentence(self) -> str:
        """``6月底累计支出进度应不低于 40%，实际 35.00%，未达到``."""
        verdict = "已达到" if self.met else "未达到"
        return (
            f"{self.month}月底累计支出进度应不低于 {format_decimal(self.required)}%，"
            f"实际 {self.actual}%，{verdict}"
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "month": self.month,
            "required_percent": format_decimal(self.required),
            "actual_percent": format_decimal(self.actual),
            "met": self.met,
        }


def checkpoint(
    monitoring: Mapping[str, Decimal], on: dt.date, actual: Decimal | None
) -> Checkpoint | None:
    """The latest ``checkpoint_M`` whose month has ended by ``on`` (None without one)."""
    if actual is None:
        return None
    passed = []
    for key, value in monitoring.items():
        match = _CHECKPOINT.fullmatch(key)
        if match is None or not 1 <= int(match.group(1)) <= 12:
            continue
        month = int(match.group(1))
        end = dt.date(on.year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
        if end <= on:
            passed.append((month, value))
    if not passed:
        return None
    month, required = max(passed)
    return Checkpoint(month, required, actual, actual >= required)
