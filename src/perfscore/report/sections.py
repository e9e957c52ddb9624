"""The report's sections, computed once from an evaluation; each format only lays them out.

Text, XLSX and HTML show the same parts of a 自评表: indicators grouped by goal,
totals and grade, points lost and why, published scores that differ from the
scheme's, rows a person must review, warnings, findings, and the charts' series.
Each function here returns plain values (texts and exact Decimals, never
formatted numbers), so a rule such as "the execution block loses points too"
lives in one place.  Imports only the core and review findings.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import attrs

from .._display import SEVERITY_LABELS
from ..documents import Document
from ..parse.values import format_decimal
from ..score.rollup import Evaluation, Execution, Subtotal
from ..score.scoring import Score

__all__ = [
    "ROW_NOTE_FIELDS",
    "Bar",
    "LostRow",
    "by_goal",
    "difference_rows",
    "lost_bars",
    "lost_rows",
    "row_notes",
    "title",
    "total_bars",
    "warning_lines",
]

EXECUTION_NAME = "预算执行率"

# What a row's own columns said beyond the official nine (issue 19), as the reports label it.
ROW_NOTE_FIELDS: tuple[tuple[str, str], ...] = (
    ("composed_from", "指标值来源"),
    ("initial_target", "年初指标值"),
    ("adjusted_target", "调整后指标值"),
    ("standard", "评(扣)分标准"),
    ("coefficient", "得分系数"),
)


def row_notes(score: Score) -> list[tuple[str, str]]:
    """(label, text) for each of :data:`ROW_NOTE_FIELDS` the row has: 指标值来源, 年初/调整后
    指标值, 评(扣)分标准, 得分系数 — shown by every report."""
    notes = []
    for field, label in ROW_NOTE_FIELDS:
        value = getattr(score.indicator, field)
        if isinstance(value, Decimal):
            notes.append((label, format_decimal(value)))
        elif value:
            notes.append((label, str(value)))
    return notes


def title(evaluation: Evaluation, document: Document | None) -> str:
    """The form's title: ``2024年度天津市科学技术局绩效自评表``."""
    department = document.department if document else ""
    year = (document.year if document else None) or evaluation.year
    lead = f"{year}年度" if year else ""
    return f"{lead}{department}绩效自评表"


def by_goal(scores: Sequence[Score]) -> list[tuple[str, list[Score]]]:
    """Scores grouped by goal, goals in order of first appearance, rows in input order."""
    groups: dict[str, list[Score]] = {}
    for score in scores:
        groups.setdefault(score.indicator.goal, []).append(score)
    return list(groups.items())


@attrs.frozen
class LostRow:
    """One row of 失分说明 or of 填报得分与方案得分不一致: an indicator or the execution block.

    ``row`` is None for the budget-execution block.  ``points`` is the lost
    points (失分) in :func:`lost_rows` and published − computed in
    :func:`difference_rows`.
    """

    row: int | None
    goal: str
    name: str
    weight: Decimal | None
    computed: Decimal | None
    published: Decimal | None
    counted: Decimal
    points: Decimal
    explanation: str
    reason: str


def lost_rows(evaluation: Evaluation, document: Document | None) -> list[LostRow]:
    """Every indicator that lost points, then the execution block if it lost any."""
    rows = [_score_row(s, s.lost) for s in evaluation.scores if s.lost > 0]
    execution = evaluation.execution
    # The execution block is scored like an indicator: a rate under 100% loses points
    # that a reader looks for in the same list, with the form's own deviation reason.
    if execution is not None and execution.counted < execution.weight:
        lost = execution.weight - execution.counted
        rows.append(_execution_row(execution, document, lost))
    return rows


def difference_rows(evaluation: Evaluation, document: Document | None) -> list[LostRow]:
    """Rows whose published score differs from the scheme's, then the execution block."""
    rows = [
        _score_row(s, (s.published or Decimal(0)) - (s.computed or Decimal(0)))
        for s in evaluation.differences
    ]
    execution = evaluation.execution
    if execution is not None and execution.differs and execution.published is not None:
        rows.append(_execution_row(execution, document, execution.published - execution.computed))
    return rows


def _score_row(score: Score, points: Decimal) -> LostRow:
    i = score.indicator
    return LostRow(
        i.row, i.goal, i.level3, score.weight, score.computed, score.published,
        score.counted, points, score.explanation, i.reason,
    )  # fmt: skip


def _execution_row(execution: Execution, document: Document | None, points: Decimal) -> LostRow:
    reason = document.execution_reason if document else ""
    return LostRow(
        None, "预算执行", EXECUTION_NAME, execution.weight, execution.computed,
        execution.published, execution.counted, points, execution.explanation, reason,
    )  # fmt: skip


def warning_lines(evaluation: Evaluation, document: Document | None) -> list[str]:
    """Document-wide warnings, then each row's, then what the reader reported."""
    lines = list(evaluation.warnings)
    for score in evaluation.scores:
        lines += [f"第{score.indicator.row}行：{w}" for w in score.warnings]
    if document is not None:
        lines += [f"[{SEVERITY_LABELS[d.severity.value]}] {d}" for d in document.diagnostics]
    return lines


@attrs.frozen
class Bar:
    """One bar of a chart: a label and an exact value (points)."""

    label: str
    value: Decimal


def lost_bars(groups: Sequence[Subtotal]) -> list[Bar]:
    """Points lost per group (weight − counted), largest first; groups that lost none left out."""
    bars = [Bar(g.label or "（未分组）", g.weight - g.counted) for g in groups]
    return sorted((b for b in bars if b.value > 0), key=lambda b: b.value, reverse=True)


def total_bars(evaluation: Evaluation) -> list[Bar]:
    """The totals side by side: counted, computed by the scheme, and as the form published it."""
    bars = [Bar("计入总分", evaluation.total)]
    if evaluation.computed_total is not None:
        bars.append(Bar("方案计算总分", evaluation.computed_total))
    if evaluation.published_total is not None:
        bars.append(Bar("表中填报总分", evaluation.published_total))
    return bars
