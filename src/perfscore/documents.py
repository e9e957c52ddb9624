"""What a reader returns: a document's indicator rows plus what it says about itself.

Every reader in :mod:`perfscore.readers` returns a :class:`Document`.  A
self-evaluation (绩效自评表) is a document with one :class:`Project`; a target
table (绩效目标表) has one project per table.  Problems found while reading are
:class:`Diagnostic` values, collected rather than raised, so that no row is
ever dropped.
"""

from __future__ import annotations

import enum
from decimal import Decimal

import attrs

from .indicators import Indicator, exact_decimal

__all__ = ["Diagnostic", "Document", "DocumentKind", "Goal", "Project", "Severity"]


class Severity(enum.Enum):
    """How bad a diagnostic is: an ERROR makes ``perfscore`` exit with status 1."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@attrs.frozen
class Diagnostic:
    """One problem found while reading, located by file, row and column.

    ``message`` is bilingual, Chinese first: ``分值不是有效数字 (weight is not a number)``.
    """

    message: str
    severity: Severity = Severity.ERROR
    file: str = ""
    row: int | None = None
    column: str = ""
    text: str = ""

    def __str__(self) -> str:
        parts = [
            p for p in (self.file, f"第{self.row}行 (row {self.row})" if self.row else "") if p
        ]
        if self.column:
            parts.append(f"列「{self.column}」(column {self.column})")
        if self.text:
            parts.append(f"「{self.text}」")
        where = ", ".join(parts)
        return f"{where}: {self.message}" if where else self.message


class DocumentKind(enum.Enum):
    """Which official form a document is."""

    SELF_EVALUATION = "self_evaluation"  # 绩效自评表
    TARGET_TABLE = "target_table"  # 绩效目标表

    @property
    def label(self) -> str:
        """The form's Chinese name: 绩效自评表 or 绩效目标表."""
        return "绩效自评表" if self is DocumentKind.SELF_EVALUATION else "绩效目标表"


@attrs.frozen
class Goal:
    """One 年度绩效目标 and, in a self-evaluation, its 实际完成情况."""

    label: str
    text: str
    achieved: str = ""


@attrs.frozen
class Project:
    """One budget project (or a whole department) with its indicators.

    ``code`` is the 项目编码; ``unit`` and ``unit_code`` the budget unit's name and
    code (``331101``).  ``budget`` is 预算数 in 万元; ``spending_plan`` the 资金支出计划 as
    ``(label, cumulative percent)`` pairs, e.g. ``("3月底", Decimal("30"))``,
    with None for an empty cell.
    """

    name: str = ""
    code: str = ""
    unit: str = ""
    unit_code: str = ""
    budget: Decimal | None = attrs.field(default=None, converter=exact_decimal)
    fiscal_funds: Decimal | None = attrs.field(default=None, converter=exact_decimal)
    other_funds: Decimal | None = attrs.field(default=None, converter=exact_decimal)
    purpose: str = ""
    goals: tuple[Goal, ...] = ()
    spending_plan: tuple[tuple[str, Decimal | None], ...] = ()
    indicators: tuple[Indicator, ...] = ()


@attrs.frozen
class Document:
    """Everything a reader understood of one file.

    For a self-evaluation: ``budget`` is 全年预算数 (A), ``executed`` 全年执行数
    (B), ``execution_published`` the 得分 printed for execution, and
    ``published_total`` the 总分 row's score, all as written (万元 / points).
    """

    path: str
    kind: DocumentKind
    projects: tuple[Project, ...] = ()
    sheet: str = ""  # the worksheet a workbook's document came from
    department: str = ""
    year: int | None = None
    initial_budget: Decimal | None = attrs.field(default=None, converter=exact_decimal)
    budget: Decimal | None = attrs.field(default=None, converter=exact_decimal)
    executed: Decimal | None = attrs.field(default=None, converter=exact_decimal)
    execution_weight: Decimal | None = attrs.field(default=None, converter=exact_decimal)
    execution_published: Decimal | None = attrs.field(default=None, converter=exact_decimal)
    execution_reason: str = ""
    published_total: Decimal | None = attrs.field(default=None, converter=exact_decimal)
    # the 总分 row's 分值 (100 unless the form says)
    full_marks: Decimal | None = attrs.field(default=None, converter=exact_decimal)
    conclusion: str = ""
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        """All indicator rows of all projects, in file order."""
        return tuple(i for p in self.projects for i in p.indicators)

    @property
    def has_errors(self) -> bool:
        """Whether any diagnostic is an error."""
        return any(d.severity is Severity.ERROR for d in self.diagnostics)
