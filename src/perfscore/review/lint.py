"""目标审核 (lint): check a 绩效目标表 before the year starts, the way a reviewer would.

:func:`lint` takes any reader's :class:`~perfscore.documents.Document` and
returns :class:`~perfscore.review.findings.Finding` values, project by project:
first the project's own findings (goals, budget, spending plan, missing
levels), then one row at a time.  A target that cannot be read is a finding,
never an exception.  The words that decide what is vague, what asks for a
number and what is misfiled are tables below, so a reviewer can extend them.

Codes (docs/review.md explains each with an example):

===========================  =======  ===================================================
``goal-placeholder``         error    绩效目标 is template text (``目标内容1``)
``goal-missing``             warning  no 绩效目标 at all
``budget-parts-mismatch``    error    财政资金 + 其他资金 ≠ 预算数
``spending-plan-decreasing`` error    资金支出计划 goes down
``spending-plan-incomplete`` warning  资金支出计划 does not end at 100%
``no-indicators``            error    a project without indicator rows
``satisfaction-missing``     warning  no 满意度 indicator
``duplicate-indicator``      warning  the same 三级指标 twice in one project
``target-missing``           error    an empty 指标值
``target-unreadable``        error    an 指标值 that cannot be read at all
``unit-broken``              error    unread text after the number (``≥2无``)
``unit-missing``             warning  a number without a unit where one is expected
``unit-mismatch``            warning  a 率 indicator measured in something other than %
``name-repeated-in-value``   warning  the indicator name written into the value
``qualitative-needs-number`` warning  words where the indicator name asks for a number
``vague-target``             warning  words with nothing measurable (``促进``, ``提升``)
``misfiled-value``           warning  a value that does not fit its category
``cost-without-amount``      warning  a 成本 indicator without an amount of money
===========================  =======  ===================================================
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterator
from decimal import Decimal

from ..documents import Document, Project
from ..errors import TargetSyntaxError
from ..indicators import Indicator
from ..parse.targets import parse_target
from ..parse.units import unit_info
from ..parse.values import Compound, Deadline, Period, Qualitative, Quantity, Value, format_decimal
from .findings import Finding, FindingSeverity

__all__ = [
    "MISFILED",
    "NUMBER_NAME_ENDINGS",
    "NUMBER_NAME_WORDS",
    "PLACEHOLDER_GOALS",
    "RATIO_NAME_WORDS",
    "VAGUE_WORDS",
    "lint",
    "project_finding",
]

ERROR, WARNING, INFO = FindingSeverity.ERROR, FindingSeverity.WARNING, FindingSeverity.INFO

# --- vocabulary -------------------------------------------------------------------------

# Goal texts left as the form's template placeholder: "1.目标内容1", "目标内容2".
PLACEHOLDER_GOALS: tuple[re.Pattern[str], ...] = (
    re.compile(r"(?:\d+[.、．])?\s*目标内容\s*\d*"),
    re.compile(r"(?:\d+[.、．])?\s*(?:请填写|请输入|此处填写).*"),
)

# A 三级指标 name ending like this asks for a number: 使用率, 项目数, 访问量, 成交额.
NUMBER_NAME_ENDINGS: tuple[str, ...] = ("率", "数", "量", "额")
# …unless it ends like this: 质量 is a quality, not a quantity.
NOT_NUMBER_ENDINGS: tuple[str, ...] = ("质量",)
# Words anywhere in a name that ask for a number, a date or a duration.
NUMBER_NAME_WORDS: tuple[str, ...] = (
    "人次",
    "数量",
    "面积",
    "金额",
    "次数",
    "人数",
    "个数",
    "户数",
    "天数",
    "比例",
    "占比",
    "满意度",
    "经费",
    "费用",
    "成本",
    "支出",
    "时长",
    "时间",
    "时限",
)
# Words that make a unitless number fine: a ratio or a multiple has no unit.
RATIO_NAME_WORDS: tuple[str, ...] = ("比例", "比值", "倍", "系数", "指数", "比")
# Words of a qualitative target with nothing measurable in it.
VAGUE_WORDS: tuple[str, ...] = (
    "促进",
    "提高",
    "提升",
    "有效保障",
    "有效发挥",
    "有效提供",
    "保障",
    "增强",
    "加强",
    "改善",
    "推动",
    "推进",
    "优化",
    "扩大",
    "进一步",
    "稳步",
    "逐年",
    "持续",
    "显著",
    "明显",
)
# Units a 率 indicator may be measured in.
RATE_UNITS = frozenset({"percent"})

# (一级 or 二级 word, kind of value, what it probably is).  A kind is "date" (a
# deadline or period) or "money" (an amount in 元, 万元, 亿元).
MISFILED: tuple[tuple[str, str, str], ...] = (
    ("成本", "date", "期限或期间应归入时效指标 (a date belongs under 时效指标)"),
    ("社会效益", "money", "金额通常是成本指标 (an amount of money is a cost)"),
    ("生态效益", "money", "金额通常是成本指标 (an amount of money is a cost)"),
    ("可持续影响", "money", "金额通常是成本指标 (an amount of money is a cost)"),
    ("满意度", "money", "满意度应为比例 (satisfaction is a percentage)"),
    ("满意度", "date", "满意度应为比例 (satisfaction is a percentage)"),
    ("数量", "date", "期限或期间应归入时效指标 (a date belongs under 时效指标)"),
    ("质量", "date", "期限或期间应归入时效指标 (a date belongs under 时效指标)"),
)

_MONEY = "[money]"
_FOLD = re.compile(r"[\s\u3000，,。.、；;：:（）()“”\"'《》]")
_SIMILAR = 0.6  # difflib ratio from which a label "is" the indicator name


# --- entry point --------------------------------------------------------------------------


def lint(document: Document) -> tuple[Finding, ...]:
    """Review a 绩效目标表: every project's goals, budget, plan and indicator rows."""
    goal_rows = _goal_rows(document)
    return tuple(
        finding
        for project in document.projects
        for finding in (*_project_findings(project, goal_rows), *_row_findings(project))
    )


def project_finding(
    project: Project,
    code: str,
    severity: FindingSeverity,
    message: str,
    suggestion: str,
    *,
    row: int | None = None,
    text: str = "",
    **numbers: str,
) -> Finding:
    """A finding about ``project`` (its name is where the finding stands)."""
    return Finding(code, severity, message, suggestion, row, project.name, text, numbers)


def _fold(text: str) -> str:
    return _FOLD.sub("", text)


def _fmt(value: Decimal | None) -> str:
    return "空" if value is None else format_decimal(value)


# --- project ------------------------------------------------------------------------------

_ProjectCheck = Callable[[Project, dict[str, list[int]]], Iterator[Finding]]


def _project_findings(project: Project, goal_rows: dict[str, list[int]]) -> Iterator[Finding]:
    for check in _PROJECT_CHECKS:
        yield from check(project, goal_rows)


def _goal_rows(document: Document) -> dict[str, list[int]]:
    """Rows the reader reported for goal texts, in file order (goals carry no row)."""
    rows: dict[str, list[int]] = {}
    for diagnostic in document.diagnostics:
        if diagnostic.row is not None and diagnostic.text:
            rows.setdefault(diagnostic.text.strip(), []).append(diagnostic.row)
    return rows


def _check_goals(project: Project, goal_rows: dict[str, list[int]]) -> Iterator[Finding]:
    if not project.goals:
        yield project_finding(
            project,
            "goal-missing",
            WARNING,
            "未填写绩效目标 (no 绩效目标)",
            "填写项目年度绩效目标：做什么、做多少、达到什么效果。",
        )
    for goal in project.goals:
        text = goal.text.strip()
        if any(p.fullmatch(text) for p in PLACEHOLDER_GOALS):
            queue = goal_rows.get(text, [])
            yield project_finding(
                project,
                "goal-placeholder",
                ERROR,
                f"绩效目标「{text}」是模板占位文字 (the goal is a template placeholder)",
                "用项目实际的年度绩效目标替换模板文字。",
                row=queue.pop(0) if queue else None,
                text=text,
            )


def _check_budget(project: Project, goal_rows: dict[str, list[int]]) -> Iterator[Finding]:
    budget, fiscal, other = project.budget, project.fiscal_funds, project.other_funds
    if budget is None or (fiscal is None and other is None):
        return
    parts = (fiscal or Decimal(0)) + (other or Decimal(0))
    if parts == budget:
        return
    yield project_finding(
        project,
        "budget-parts-mismatch",
        ERROR,
        f"财政资金 {_fmt(fiscal)} + 其他资金 {_fmt(other)} = {_fmt(parts)}，"
        f"不等于预算数 {_fmt(budget)} (budget ≠ sum of its parts)",
        "核对预算数与资金来源，使 财政资金 + 其他资金 = 预算数。",
        text=f"{_fmt(budget)} ≠ {_fmt(fiscal)} + {_fmt(other)}",
        budget=_fmt(budget),
        parts=_fmt(parts),
    )


def _check_plan(project: Project, goal_rows: dict[str, list[int]]) -> Iterator[Finding]:
    points = [(label, value) for label, value in project.spending_plan if value is not None]
    if not points:
        return
    text = " ".join(f"{label} {_fmt(value)}%" for label, value in project.spending_plan)
    for (before, low), (after, high) in itertools.pairwise(points):
        if high < low:
            yield project_finding(
                project,
                "spending-plan-decreasing",
                ERROR,
                f"资金支出计划是累计进度，{after} {_fmt(high)}% 低于 {before} {_fmt(low)}%"
                " (the cumulative spending plan decreases)",
                "按累计支出比例填写各时点进度，后一时点不低于前一时点。",
                text=text,
            )
    last_label, last = points[-1]
    if last != 100:
        yield project_finding(
            project,
            "spending-plan-incomplete",
            WARNING,
            f"资金支出计划至 {last_label} 累计 {_fmt(last)}%，未达到 100%"
            " (the spending plan does not end at 100%)",
            "12月底累计支出进度应为 100%；如有结转，请说明原因。",
            text=text,
            last=_fmt(last),
        )


def _check_levels(project: Project, goal_rows: dict[str, list[int]]) -> Iterator[Finding]:
    if not project.indicators:
        yield project_finding(
            project,
            "no-indicators",
            ERROR,
            "项目没有绩效指标 (the project has no indicators)",
            "按产出、效益、满意度等一级指标设置绩效指标。",
        )
        return
    if not any("满意" in f"{i.level1}{i.level2}" for i in project.indicators):
        yield project_finding(
            project,
            "satisfaction-missing",
            WARNING,
            "缺少满意度指标 (no 满意度 indicator)",
            "增设服务对象满意度指标，如「服务对象满意度 ≥90%」。",
        )


def _check_duplicates(project: Project, goal_rows: dict[str, list[int]]) -> Iterator[Finding]:
    names = Counter(_fold(i.level3) for i in project.indicators if i.level3.strip())
    seen: set[str] = set()
    for indicator in project.indicators:
        key = _fold(indicator.level3)
        if names[key] < 2:
            continue
        if key not in seen:
            seen.add(key)
            continue
        yield project_finding(
            project,
            "duplicate-indicator",
            WARNING,
            f"三级指标「{indicator.level3}」在本项目中重复 (duplicate indicator)",
            "合并重复的指标，或改写名称以区分。",
            row=indicator.row,
            text=indicator.level3,
        )


_PROJECT_CHECKS: tuple[_ProjectCheck, ...] = (
    _check_goals,
    _check_budget,
    _check_plan,
    _check_levels,
    _check_duplicates,
)


# --- one row ------------------------------------------------------------------------------

_RowCheck = Callable[[Project, Indicator, Value], Iterator[Finding]]


def _row_findings(project: Project) -> Iterator[Finding]:
    for indicator in project.indicators:
        value, problem = _parse(project, indicator)
        if problem is not None:
            yield problem
            continue
        assert value is not None
        for check in _ROW_CHECKS:
            yield from check(project, indicator, value)


def _row_finding(
    project: Project,
    indicator: Indicator,
    code: str,
    severity: FindingSeverity,
    message: str,
    suggestion: str,
    **numbers: str,
) -> Finding:
    name = indicator.level3 or "本行"
    return project_finding(
        project,
        code,
        severity,
        f"「{name}」{message}",
        suggestion,
        row=indicator.row,
        text=indicator.target,
        **numbers,
    )


def _parse(project: Project, indicator: Indicator) -> tuple[Value | None, Finding | None]:
    if not indicator.target.strip():
        return None, _row_finding(
            project,
            indicator,
            "target-missing",
            ERROR,
            "未填写指标值 (no target value)",
            "填写可衡量的指标值，如「≥95%」「≤100万元」「2024年12月31日前」。",
        )
    try:
        return parse_target(indicator.target), None
    except TargetSyntaxError as error:
        return None, _row_finding(
            project,
            indicator,
            "target-unreadable",
            ERROR,
            f"指标值无法识别：{error.message} (target unreadable)",
            "改写为「比较符 + 数值 + 单位」，如「≥95%」。",
            position=f"{error.span[0]}-{error.span[1]}",
        )


def _quantities(value: Value) -> tuple[Quantity, ...]:
    clauses = value.clauses if isinstance(value, Compound) else (value,)
    return tuple(c for c in clauses if isinstance(c, Quantity))


def _check_units(project: Project, indicator: Indicator, value: Value) -> Iterator[Finding]:
    for quantity in _quantities(value):
        broken = quantity.unit_text or quantity.trailing
        if broken:
            yield _row_finding(
                project,
                indicator,
                "unit-broken",
                ERROR,
                f"指标值「{quantity.text}」中「{broken}」不是可识别的单位"
                f"{_named(broken, indicator.level3)} (broken or unknown unit)",
                f"写明单位，如「≥{format_decimal(quantity.magnitude)}%」或"
                f"「≥{format_decimal(quantity.magnitude)}项」；单位不要与指标名称混写。",
                trailing=broken,
            )
        elif quantity.unit is None and not _is_ratio(indicator.level3):
            yield _row_finding(
                project,
                indicator,
                "unit-missing",
                WARNING,
                f"指标值「{quantity.text}」没有单位 (a number without a unit)",
                "写明计量单位（%、人次、万元、个等），以便与完成值比较。",
            )
        elif _is_rate(indicator.level3) and quantity.unit not in RATE_UNITS:
            yield _row_finding(
                project,
                indicator,
                "unit-mismatch",
                WARNING,
                f"指标名称是比率，指标值「{quantity.text}」却不是百分比"
                " (a rate measured in something other than %)",
                "比率类指标用百分比表示；或改写指标名称以符合其计量单位。",
                unit=quantity.unit_display,
            )


def _named(trailing: str, name: str) -> str:
    return "（单位处写成了指标名称）" if _similar(trailing, name) else ""


def _is_ratio(name: str) -> bool:
    return any(word in name for word in RATIO_NAME_WORDS)


def _is_rate(name: str) -> bool:
    return _fold(name).endswith("率")


def _check_label(project: Project, indicator: Indicator, value: Value) -> Iterator[Finding]:
    # Clauses of a compound target name their parts ("主场活动2场，…"): that is fine.
    if isinstance(value, Quantity) and _similar(value.label, indicator.level3):
        yield _row_finding(
            project,
            indicator,
            "name-repeated-in-value",
            WARNING,
            f"指标值「{value.text}」重复了指标名称「{value.label}」"
            " (the indicator name repeated in the value)",
            f"指标值只写比较符、数值和单位，如「{value.describe()}」。",
            label=value.label,
        )


def _similar(label: str, name: str) -> bool:
    a, b = _fold(label), _fold(name)
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    return difflib.SequenceMatcher(None, a, b).ratio() >= _SIMILAR


def _check_qualitative(project: Project, indicator: Indicator, value: Value) -> Iterator[Finding]:
    if not isinstance(value, Qualitative):
        return
    if _asks_for_number(indicator.level3):
        yield _row_finding(
            project,
            indicator,
            "qualitative-needs-number",
            WARNING,
            f"指标名称要求数值，指标值「{value.text}」却是文字描述"
            " (the name asks for a number; the target is words)",
            "改为可衡量的数值目标，如「≥95%」「≥10项」「2024年12月31日前」。",
        )
    elif _is_vague(value.text, indicator.level3):
        yield _row_finding(
            project,
            indicator,
            "vague-target",
            WARNING,
            f"指标值「{value.text}」没有可衡量的内容 (a vague target)",
            "写明衡量标准：提升到多少、比上年提高几个百分点，或可核验的完成标志。",
        )


def _asks_for_number(name: str) -> bool:
    folded = _fold(name)
    if any(word in folded for word in NUMBER_NAME_WORDS):
        return True
    ending = folded.endswith(NUMBER_NAME_ENDINGS)
    return ending and not folded.endswith(NOT_NUMBER_ENDINGS)


def _is_vague(text: str, name: str) -> bool:
    folded = _fold(text)
    return any(word in folded for word in VAGUE_WORDS) or folded == _fold(name)


def _kind(value: Value) -> str:
    if isinstance(value, Deadline | Period):
        return "date"
    if isinstance(value, Quantity) and _is_money(value):
        return "money"
    return value.kind


def _is_money(quantity: Quantity) -> bool:
    return quantity.unit is not None and unit_info(quantity.unit).base == _MONEY


def _check_category(project: Project, indicator: Indicator, value: Value) -> Iterator[Finding]:
    kind = _kind(value)
    levels = f"{indicator.level1} / {indicator.level2}"
    for word, misfiled_kind, what in MISFILED:
        if kind == misfiled_kind and word in levels:
            yield _row_finding(
                project,
                indicator,
                "misfiled-value",
                WARNING,
                f"指标值「{value.text}」不符合所在类别「{levels.strip(' /')}」：{what}"
                " (the value does not fit its category)",
                "把指标移到与其取值相符的类别，或改写指标值。",
                category=word,
                kind=kind,
            )
            return


def _check_cost(project: Project, indicator: Indicator, value: Value) -> Iterator[Finding]:
    if not indicator.is_cost or _kind(value) in ("money", "date"):
        return
    if any(_is_money(q) for q in _quantities(value)):
        return
    yield _row_finding(
        project,
        indicator,
        "cost-without-amount",
        WARNING,
        f"成本指标的指标值「{value.text}」不是金额 (a cost indicator without an amount)",
        "成本指标写明成本控制上限，如「≤100万元」。",
    )


_ROW_CHECKS: tuple[_RowCheck, ...] = (
    _check_units,
    _check_label,
    _check_qualitative,
    _check_category,
    _check_cost,
)
