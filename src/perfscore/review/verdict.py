"""The verdict on a 绩效目标表: 通过 / 完善后通过 / 不通过, a warning level, and the checks
that need more than one row — every level-1 dimension, core indicators, dates against the
project period, and targets against last year's (``lint --last-year``).

:func:`table_checks` adds these findings to :func:`.lint.lint`'s; :func:`verdict` turns
all of a project's findings into a :class:`Verdict` by one documented rule:

=============  ==========  =============================================================
verdict        level       when
=============  ==========  =============================================================
不通过         高 (high)    any ERROR finding (占位目标、指标值为空或无法识别、单位无法识别、
                           没有指标、资金构成不符、支出计划倒退)
完善后通过     中 (medium)  no error; :data:`MEDIUM_WARNINGS` (5) warnings or more, or any
                           cross-year finding (a target lowered below last year's)
完善后通过     低 (low)     no error; 1 to 4 warnings
通过           无 (none)    no error and no warning (提示 info findings do not count)
=============  ==========  =============================================================

A table's verdict is its worst project's.  Codes added here:

=============================  =======  ==================================================
``level1-missing``             warning  no 产出指标 or no 效益指标 at all
``cost-level-missing``         info     no 成本指标 (财预〔2021〕101号 adds it as a 一级)
``core-indicator-missing``     warning  no 数量指标 with a number (the core output measure)
``date-outside-period``        warning  a deadline or period outside the project period
``target-below-last-year``     warning  a ≥ target below last year's (≤: a ceiling raised)
``target-below-last-actual``   warning  a ≥ target below what was achieved last year
``indicator-dropped``          info     last year's indicator is gone this year
``last-year-unmatched``        info     no project of this name or code in last year's table
=============================  =======  ==================================================
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from typing import Any

import attrs

from ..documents import Document, Project
from ..errors import TargetSyntaxError
from ..indicators import Indicator
from ..parse.targets import parse_actual, parse_target
from ..parse.values import Comparator, Deadline, Period, Quantity, Value, format_decimal
from .findings import Finding, FindingSeverity
from .lint import lint, project_finding

__all__ = [
    "MEDIUM_WARNINGS",
    "Verdict",
    "review_table",
    "table_checks",
    "table_verdict",
    "verdict",
]

ERROR, WARNING, INFO = FindingSeverity.ERROR, FindingSeverity.WARNING, FindingSeverity.INFO
MEDIUM_WARNINGS = 5
CROSS_YEAR = frozenset({"target-below-last-year", "target-below-last-actual"})
LEVELS = {"none": "无", "low": "低", "medium": "中", "high": "高"}
_FOLD = re.compile(r"[\s\u3000，,。.、；;：:（）()“”\"'《》]")


@attrs.frozen
class Verdict:
    """A project's (or a table's) verdict, warning level, counts and the rows that fail."""

    project: str
    name: str  # 通过 / 完善后通过 / 不通过
    level: str  # none / low / medium / high
    errors: int
    warnings: int
    infos: int
    failing: tuple[tuple[int | None, str, str], ...]  # (row, code, text) of errors and warnings
    rule: str

    @property
    def level_name(self) -> str:
        """The warning level in Chinese: 无, 低, 中, 高."""
        return LEVELS[self.level]

    @property
    def summary(self) -> str:
        """One line: ``「项目」完善后通过（预警等级 低）：错误 0，警告 3，提示 1``."""
        who = f"「{self.project}」" if self.project else "目标表"
        return (
            f"{who}{self.name}（预警等级 {self.level_name}）："
            f"错误 {self.errors}，警告 {self.warnings}，提示 {self.infos}；{self.rule}"
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "project": self.project,
            "verdict": self.name,
            "level": self.level,
            "level_name": self.level_name,
            "errors": self.errors,
            "warnings": self.warnings,
            "infos": self.infos,
            "failing": [{"row": r, "code": c, "text": t} for r, c, t in self.failing],
            "rule": self.rule,
        }


def verdict(findings: Sequence[Finding], project: str = "") -> Verdict:
    """The verdict on one project's findings (the rule is in the module's docstring)."""
    errors = [f for f in findings if f.severity is ERROR]
    warnings = [f for f in findings if f.severity is WARNING]
    infos = len(findings) - len(errors) - len(warnings)
    failing = tuple((f.row, f.code, f.text) for f in (*errors, *warnings))
    cross = [f for f in warnings if f.code in CROSS_YEAR]
    if errors:
        name, level, rule = "不通过", "high", f"有 {len(errors)} 条错误，须修改后重新报送"
    elif cross:
        name, level = "完善后通过", "medium"
        rule = f"{len(cross)} 项指标值低于上年，须说明理由或调整"
    elif len(warnings) >= MEDIUM_WARNINGS:
        name, level, rule = "完善后通过", "medium", f"警告 {len(warnings)} 条（≥{MEDIUM_WARNINGS}）"
    elif warnings:
        name, level, rule = "完善后通过", "low", f"警告 {len(warnings)} 条，完善后通过"
    else:
        name, level, rule = "通过", "none", "无错误和警告"
    return Verdict(project, name, level, len(errors), len(warnings), infos, failing, rule)


def review_table(
    document: Document,
    *,
    last_year: Document | None = None,
    period: tuple[dt.date, dt.date] | None = None,
) -> tuple[tuple[Finding, ...], tuple[Verdict, ...]]:
    """Lint a target table and judge it: (every finding, each project's verdict + the table's).

    Findings come project by project — :func:`.lint.lint`'s, then :func:`table_checks`' —
    so two projects of the same name are still judged apart.
    """
    findings: list[Finding] = []
    verdicts: list[Verdict] = []
    for project in document.projects:
        alone = attrs.evolve(document, projects=(project,))
        mine = [*lint(alone), *table_checks(alone, last_year=last_year, period=period)]
        findings += mine
        verdicts.append(verdict(mine, project.name))
    return tuple(findings), table_verdict(verdicts, findings)


def table_verdict(projects: Sequence[Verdict], findings: Sequence[Finding]) -> tuple[Verdict, ...]:
    """The projects' verdicts, then (with several projects) the table's: the worst one."""
    if len(projects) <= 1:
        return tuple(projects)
    order = ("none", "low", "medium", "high")
    worst = max(projects, key=lambda v: order.index(v.level))
    whole = verdict(findings, "")
    table = attrs.evolve(
        whole, name=worst.name, level=worst.level, rule=f"按最差项目「{worst.project}」判定"
    )
    return (*projects, table)


# --- checks -------------------------------------------------------------------------------


def table_checks(
    document: Document,
    *,
    last_year: Document | None = None,
    period: tuple[dt.date, dt.date] | None = None,
) -> tuple[Finding, ...]:
    """Checks across rows and years: dimensions, core indicators, dates, last year's targets.

    ``period`` is the project period (first, last day); without it, the table's year
    (1 January – 31 December) when the table names one, else no date check.
    """
    if period is None and document.year is not None:
        period = (dt.date(document.year, 1, 1), dt.date(document.year, 12, 31))
    found: list[Finding] = []
    for project in document.projects:
        if last_year is not None and _match_project(project, document, last_year) is None:
            found.append(
                project_finding(
                    project,
                    "last-year-unmatched",
                    INFO,
                    "上年目标表中找不到同名或同编码的项目，未做跨年比较"
                    " (no project of this name or code last year: no cross-year check)",
                    "核对项目名称；新增项目无需跨年比较。",
                )
            )
        if not project.indicators:
            continue
        found += _dimensions(project)
        if period is not None:
            found += _dates(project, period)
        if last_year is not None:
            previous = _match_project(project, document, last_year)
            if previous is not None:
                found += _cross_year(project, previous)
    return tuple(found)


def _dimensions(project: Project) -> Iterator[Finding]:
    levels = " ".join(f"{i.level1} {i.level2}" for i in project.indicators)
    for word, name in (("产出", "产出指标"), ("效益", "效益指标")):
        if word not in levels:
            yield project_finding(
                project,
                "level1-missing",
                WARNING,
                f"缺少一级指标「{name}」 (no {name} indicator)",
                f"按财预〔2020〕10号设置{name}，每个一级指标至少一项。",
                text=name,
            )
    if "成本" not in levels:
        yield project_finding(
            project,
            "cost-level-missing",
            INFO,
            "没有成本指标 (no 成本指标)",
            "财预〔2021〕101号将成本指标列为一级指标：经济、社会、生态环境成本。",
            text="成本指标",
        )
    if not any(isinstance(_target(i), Quantity) for i in project.indicators if "数量" in i.level2):
        yield project_finding(
            project,
            "core-indicator-missing",
            WARNING,
            "没有可量化的数量指标（核心产出指标） (no quantified 数量指标)",
            "至少设置一项有具体数值的数量指标，如「培训人次 ≥500人次」。",
            text="数量指标",
        )


def _target(indicator: Indicator) -> Value | None:
    try:
        return parse_target(indicator.target) if indicator.target.strip() else None
    except TargetSyntaxError:
        return None


def _span(value: Value, year: int) -> tuple[dt.date, dt.date] | None:
    """First and last day a deadline or period covers (a deadline: from 1 January)."""
    if isinstance(value, Deadline):
        end = value.resolve(year)
        return None if end is None else (end, end)
    if isinstance(value, Period):
        end = value.resolve(year)
        if end is None:
            return None
        first_year = value.first_year or (
            end.year if value.first_month <= value.last_month else end.year - 1
        )
        start = dt.date(first_year, value.first_month, value.first_day or 1)
        return start, end
    return None


def _dates(project: Project, period: tuple[dt.date, dt.date]) -> Iterator[Finding]:
    first, last = period
    for indicator in project.indicators:
        value = _target(indicator)
        if value is None:
            continue
        try:
            span = _span(value, first.year)
        except ValueError:  # 2月30日: the reader's own checks report impossible dates
            continue
        if span is None or (first <= span[0] and span[1] <= last):
            continue
        yield project_finding(
            project,
            "date-outside-period",
            WARNING,
            f"指标值「{indicator.target}」（{span[0].isoformat()} 至 {span[1].isoformat()}）"
            f"超出项目期间 {first.isoformat()} 至 {last.isoformat()}"
            " (the date lies outside the project period)",
            "时效指标应在项目实施期内完成；核对年份或项目期间。",
            row=indicator.row,
            text=indicator.target,
            start=span[0].isoformat(),
            end=span[1].isoformat(),
        )


def _fold(text: str) -> str:
    return _FOLD.sub("", text)


def _match_project(project: Project, document: Document, last: Document) -> Project | None:
    """Last year's project of the same code or name; the only one when each table has one."""
    for other in last.projects:
        if project.code and other.code == project.code:
            return other
    for other in last.projects:
        if project.name and _fold(other.name) == _fold(project.name):
            return other
    if len(document.projects) == 1 and len(last.projects) == 1:
        return last.projects[0]
    return None


def _quantity(text: str, *, actual: bool = False) -> Quantity | None:
    if not text.strip():
        return None
    try:
        value = parse_actual(text) if actual else parse_target(text)
    except TargetSyntaxError:
        return None
    return value if isinstance(value, Quantity) else None


def _comparable(a: Quantity, b: Quantity) -> bool:
    return a.unit == b.unit and not a.unit_text and not b.unit_text


def _cross_year(project: Project, previous: Project) -> Iterator[Finding]:
    before = {_fold(i.level3): i for i in previous.indicators if i.level3.strip()}
    seen = set()
    for indicator in project.indicators:
        key = _fold(indicator.level3)
        old = before.get(key)
        if old is None:
            continue
        seen.add(key)
        now, then = _quantity(indicator.target), _quantity(old.target)
        if now is None or now.comparator is None:
            continue
        higher = now.comparator in (Comparator.GE, Comparator.GT, Comparator.EQ)
        if then is not None and _comparable(now, then):
            lowered = now.magnitude < then.magnitude if higher else now.magnitude > then.magnitude
            if lowered:
                yield _lowered(project, indicator, old, now, then, higher)
        achieved = _quantity(old.actual, actual=True)
        if achieved is not None and _comparable(now, achieved):
            below = (
                now.magnitude < achieved.magnitude if higher else now.magnitude > achieved.magnitude
            )
            if below:
                yield _below_actual(project, indicator, old, now, achieved, higher)
    for key, old in before.items():
        if key not in seen:
            yield project_finding(
                project,
                "indicator-dropped",
                INFO,
                f"上年指标「{old.level3}」（{old.target}）今年未设置"
                " (last year's indicator is gone)",
                "确认该指标是否已完成使命；延续性项目的核心指标一般应保留。",
                text=old.level3,
            )


def _lowered(
    project: Project, indicator: Indicator, old: Indicator, now: Quantity, then: Quantity,
    higher: bool,
) -> Finding:  # fmt: skip
    what = "低于" if higher else "宽于"
    return project_finding(
        project,
        "target-below-last-year",
        WARNING,
        f"「{indicator.level3}」今年目标 {indicator.target} {what}上年目标 {old.target}"
        " (this year's target is below last year's)",
        "延续性项目的目标一般不低于上年；如确需调低，请在指标值确定依据中说明理由。",
        row=indicator.row,
        text=f"{old.target} → {indicator.target}",
        this_year=format_decimal(now.magnitude),
        last_year=format_decimal(then.magnitude),
    )


def _below_actual(
    project: Project, indicator: Indicator, old: Indicator, now: Quantity, achieved: Quantity,
    higher: bool,
) -> Finding:  # fmt: skip
    what = "低于" if higher else "宽于"
    return project_finding(
        project,
        "target-below-last-actual",
        WARNING,
        f"「{indicator.level3}」今年目标 {indicator.target} {what}上年实际完成 {old.actual}"
        " (this year's target is below what was achieved last year)",
        "目标应参考上年实际完成情况设置，避免目标偏低、轻易完成。",
        row=indicator.row,
        text=f"上年完成 {old.actual} → 今年目标 {indicator.target}",
        this_year=format_decimal(now.magnitude),
        last_actual=format_decimal(achieved.magnitude),
    )
