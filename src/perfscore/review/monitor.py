"""绩效运行监控: how far a project's spending is behind its 资金支出计划 at a date.

:func:`monitor` interpolates the planned cumulative spending at the date from
the plan's points (3月底, 6月底, 10月底, 12月底; 0% on 1 January; a blank
point carries the previous one), compares it with ``spent / budget``, and
gives a traffic light from the scheme's ``[monitoring]`` thresholds:

- green  — behind the plan by at most ``yellow`` percentage points (or ahead);
- yellow — behind by more than ``yellow`` and at most ``red`` points;
- red    — behind by more than ``red`` points.

Optionally it reads indicator progress texts (row → text) against their
targets with the scheme's scoring rules, and — :mod:`.tracking` — lights each
against the time gone (blue when ahead), projects the full-year value with its
完成目标可能性, files a cause under the official categories, places the project
in the spending × attainment 2×2 matrix, and checks the scheme's spending
checkpoints.  Percentages are kept to 2 decimal places, and the gap is the
difference of the two displayed percentages.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import attrs

from ..documents import Project
from ..indicators import Indicator
from ..parse.values import format_decimal
from ..score.scheme import Scheme, load_scheme
from ..score.scoring import Status, score_indicator
from .tracking import Checkpoint, Matrix, Reading, checkpoint, indicator_light, matrix, time_percent

__all__ = ["IndicatorProgress", "Light", "MonitorReport", "monitor", "planned_percent"]

_PLACE = Decimal("0.01")
_ZERO = Decimal(0)
_HUNDRED = Decimal(100)
_MONTH_END = re.compile(r"(\d{1,2})\s*月(?:底|末)?")


class Light(enum.Enum):
    """The monitoring status: green, yellow or red, overspent, or unknown without plan or budget."""

    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    # Spending above the budget is never "on plan", however the plan's curve runs:
    # its own status, shown red, so 1000% of the budget cannot come out 绿灯.
    OVERSPENT = "overspent"
    UNKNOWN = "unknown"

    @property
    def chinese(self) -> str:
        """The colour as a Chinese report writes it: 绿灯, 黄灯, 红灯, 无法判断."""
        return _LIGHT_NAMES[self]


_LIGHT_NAMES = {
    Light.GREEN: "绿灯",
    Light.YELLOW: "黄灯",
    Light.RED: "红灯",
    Light.OVERSPENT: "红灯（超预算支出）",
    Light.UNKNOWN: "无法判断",
}


MONITOR_SCHEMA = "perfscore.monitor/1"
"""The ``schema`` tag of :meth:`MonitorReport.to_dict` (see docs/json-schema.md)."""


@attrs.frozen
class IndicatorProgress:
    """One indicator's progress text read against its target.

    ``share`` is the part of the weight the progress would earn under the
    scheme (1 = target already met), None when it needs a person to judge.
    """

    row: int
    name: str
    target: str
    progress: str
    share: Decimal | None
    explanation: str
    tracking: Reading | None = None  # against time: light, projection, likelihood, cause

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form (decimals as strings)."""
        return {
            "row": self.row,
            "name": self.name,
            "target": self.target,
            "progress": self.progress,
            "share": None if self.share is None else format_decimal(self.share),
            "explanation": self.explanation,
            **(self.tracking.to_dict() if self.tracking is not None else {}),
        }


@attrs.frozen
class MonitorReport:
    """Spending progress against the plan at one date, with a traffic light and a summary."""

    project: str
    on: dt.date
    budget: Decimal | None
    spent: Decimal
    planned: Decimal | None  # planned cumulative percent at ``on`` (60.00 = 60%)
    actual: Decimal | None  # spent / budget in percent
    gap: Decimal | None  # planned − actual in percentage points; positive = behind
    light: Light
    yellow: Decimal
    red: Decimal
    indicators: tuple[IndicatorProgress, ...] = ()
    notes: tuple[str, ...] = ()
    summary: str = ""
    time_percent: Decimal | None = None  # the share of the year gone, in percent
    matrix: Matrix | None = None
    checkpoint: Checkpoint | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form (decimals as strings, the date as ISO text)."""
        return {
            "schema": MONITOR_SCHEMA,
            "project": self.project,
            "date": self.on.isoformat(),
            "budget": _text(self.budget),
            "spent": _text(self.spent),
            "planned_percent": _text(self.planned),
            "actual_percent": _text(self.actual),
            "gap_points": _text(self.gap),
            "status": self.light.value,
            "thresholds": {"yellow": _text(self.yellow), "red": _text(self.red)},
            "indicators": [i.to_dict() for i in self.indicators],
            "notes": list(self.notes),
            "summary": self.summary,
            "time_percent": _text(self.time_percent),
            "matrix": None if self.matrix is None else self.matrix.to_dict(),
            "checkpoint": None if self.checkpoint is None else self.checkpoint.to_dict(),
        }


def _text(value: Decimal | None) -> str | None:
    return None if value is None else format_decimal(value)


def _percent(value: Decimal) -> Decimal:
    return value.quantize(_PLACE, rounding=ROUND_HALF_UP)


def monitor(
    project: Project,
    *,
    spent: Decimal,
    on: dt.date,
    scheme: Scheme | None = None,
    progress: Mapping[int, str] | None = None,
    causes: Mapping[int, str] | None = None,
) -> MonitorReport:
    """Compare ``spent`` (万元, cumulative) with the project's spending plan at ``on``.

    ``progress`` maps a row to its progress text (``120家``); ``causes`` a row to the
    reason it lags (``财政资金未及时拨付``), filed under the official cause categories.
    """
    scheme = scheme or load_scheme()
    yellow = scheme.monitoring.get("yellow", Decimal(5))
    red = scheme.monitoring.get("red", Decimal(15))
    planned = planned_percent(project.spending_plan, on)
    budget = project.budget if project.budget and project.budget > 0 else None
    actual = None if budget is None else _percent(spent / budget * _HUNDRED)
    gap = None if planned is None or actual is None else planned - actual
    light = (
        Light.OVERSPENT if actual is not None and actual > _HUNDRED else _light(gap, yellow, red)
    )
    readings = _progress(project, progress or {}, scheme, on, causes or {})
    notes = _notes(project, budget, planned, actual, progress or {})
    tracked = [r.tracking for r in readings if r.tracking is not None]
    report = MonitorReport(
        project.name, on, budget, spent, planned, actual, gap, light, yellow, red, readings, notes,
        time_percent=time_percent(on),
        matrix=matrix(gap, light is Light.OVERSPENT, tracked, scheme.monitoring),
        checkpoint=checkpoint(scheme.monitoring, on, actual),
    )  # fmt: skip
    return attrs.evolve(report, summary=_summary(report))


def planned_percent(plan: tuple[tuple[str, Decimal | None], ...], on: dt.date) -> Decimal | None:
    """The planned cumulative percent at ``on``, linear between the plan's month ends."""
    points = _points(plan, on.year)
    if points is None:
        return None
    previous = (dt.date(on.year, 1, 1), _ZERO)
    for point in points:
        if on <= point[0]:
            return _percent(_between(previous, point, on))
        previous = point
    return _percent(previous[1])


def _points(
    plan: tuple[tuple[str, Decimal | None], ...], year: int
) -> list[tuple[dt.date, Decimal]] | None:
    """The plan's (month end, cumulative percent) points, blanks carried; None if empty."""
    points: list[tuple[dt.date, Decimal]] = []
    carried = _ZERO
    for label, value in plan:
        match = _MONTH_END.search(label)
        if match is None or not 1 <= int(match.group(1)) <= 12:
            continue
        carried = value if value is not None else carried
        points.append((_month_end(year, int(match.group(1))), carried))
    if not any(value is not None for _, value in plan):
        return None
    return sorted(points)


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _between(start: tuple[dt.date, Decimal], end: tuple[dt.date, Decimal], on: dt.date) -> Decimal:
    span = (end[0] - start[0]).days
    if span <= 0:
        return end[1]
    elapsed = Decimal((on - start[0]).days)
    return start[1] + (end[1] - start[1]) * elapsed / Decimal(span)


def _light(gap: Decimal | None, yellow: Decimal, red: Decimal) -> Light:
    if gap is None:
        return Light.UNKNOWN
    if gap > red:
        return Light.RED
    return Light.YELLOW if gap > yellow else Light.GREEN


def _progress(
    project: Project,
    progress: Mapping[int, str],
    scheme: Scheme,
    on: dt.date,
    causes: Mapping[int, str],
) -> tuple[IndicatorProgress, ...]:
    rows = {i.row: i for i in project.indicators}
    return tuple(
        _reading(rows[row], text, scheme, on, causes.get(row, ""))
        for row, text in sorted(progress.items())
        if row in rows
    )


def _reading(
    indicator: Indicator, text: str, scheme: Scheme, on: dt.date, cause: str = ""
) -> IndicatorProgress:
    year = on.year
    probe = Indicator(
        row=indicator.row,
        level1=indicator.level1,
        level2=indicator.level2,
        level3=indicator.level3,
        target=indicator.target,
        actual=text,
        weight=Decimal(1),
    )
    score = score_indicator(probe, scheme, year=year, recompute=True)
    share = None if score.status is Status.NEEDS_REVIEW else score.computed
    # Completion in percent of the target, uncapped: the share scored out of 100, plus
    # how far a met ≥ target is exceeded.
    completion = None
    if share is not None:
        exact = score_indicator(
            attrs.evolve(probe, weight=_HUNDRED), scheme, year=year, recompute=True
        )
        if exact.computed is not None:
            completion = exact.computed
            if exact.computed >= _HUNDRED and exact.over_share is not None:
                completion = _percent(_HUNDRED * (1 + exact.over_share))
    tracking = indicator_light(score.target, score.actual, completion, on, scheme.monitoring, cause)
    return IndicatorProgress(
        indicator.row, indicator.level3, indicator.target, text, share, score.explanation,
        tracking,
    )  # fmt: skip


def _notes(
    project: Project,
    budget: Decimal | None,
    planned: Decimal | None,
    actual: Decimal | None,
    progress: Mapping[int, str],
) -> tuple[str, ...]:
    notes = []
    if planned is None:
        notes.append("项目未填写资金支出计划，无法计算计划进度 (no spending plan)")
    if budget is None:
        notes.append("项目预算数缺失或为 0，无法计算支出进度 (no budget)")
    if actual is not None and actual > _HUNDRED:
        notes.append("已支出超过预算数，请核实是否超预算支出 (spending exceeds the budget)")
    known = {i.row for i in project.indicators}
    notes.extend(f"第{row}行不是本项目的指标，已忽略 (row {row} is not an indicator here)"
                 for row in sorted(progress) if row not in known)  # fmt: skip
    return tuple(notes)


def _summary(report: MonitorReport) -> str:
    head = f"截至{report.on.isoformat()}，项目「{report.project}」"
    if report.budget is None or report.actual is None:
        return head + f"已支出 {format_decimal(report.spent)} 万元；{'；'.join(report.notes)}。"
    spent = (
        f"预算 {format_decimal(report.budget)} 万元，已支出 {format_decimal(report.spent)} 万元，"
        f"支出进度 {report.actual}%"
    )
    if report.light is Light.OVERSPENT:
        return f"{head}{spent}，已超过预算，{report.light.chinese}，请核实是否超预算支出。"
    if report.planned is None or report.gap is None:
        return f"{head}{spent}；未填写资金支出计划，无法判断。"
    if report.gap > 0:
        where = f"落后 {report.gap} 个百分点"
    else:
        where = f"超前 {-report.gap} 个百分点" if report.gap < 0 else "与计划一致"
    rule = (
        f"（黄灯 > {format_decimal(report.yellow)}，红灯 > {format_decimal(report.red)} 个百分点）"
    )
    return f"{head}{spent}，计划进度 {report.planned}%，{where}，{report.light.chinese}{rule}。"
