"""The fields of the Word 自评表 and 自评报告, computed once as plain texts.

The default documents (built with python-docx in :mod:`.docx` and
:mod:`.docx_report`) and a user's own template (rendered with docxtpl, Jinja in
Word) read the same dictionary, so a number shows the same in both.  Every value
is a string (or a list of dicts of strings): a template cannot format a Decimal
differently from ``score``.  The field set is documented in ``docs/word-output.md``;
a field is only ever added, never renamed, so a user's template keeps working.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from ..documents import Document
from ..parse.values import format_decimal
from ..review.findings import Finding, FindingSeverity, finding_name
from ..score.rollup import Evaluation
from ..score.scoring import Score, Status
from ._common import STATUS_LABELS, _percent, _weight, clean_text, display_places, fmt, grade_label
from .sections import by_goal, lost_rows, title

__all__ = ["FIELD_NAMES", "docx_fields", "grade_label"]

# The top-level names every template may use (docs/word-output.md lists each one).
FIELD_NAMES = (
    "title",
    "kind",
    "year",
    "department",
    "project",
    "unit",
    "scheme",
    "places",
    "budget",
    "goals",
    "groups",
    "indicators",
    "total",
    "full_marks",
    "computed_total",
    "published_total",
    "grade",
    "grade_label",
    "not_graded_reason",
    "conclusion",
    "lost",
    "problems",
    "measures",
    "review",
)


def docx_fields(
    evaluation: Evaluation, document: Document | None = None, findings: Sequence[Finding] = ()
) -> dict[str, Any]:
    """The documented field set of the Word outputs, every value already a display text."""
    places = display_places(evaluation)
    project = document.projects[0] if document and len(document.projects) == 1 else None
    department = document.department if document else ""
    # A department-wide form (整体支出) names only the department; a project form its project.
    project_name = project.name if project and project.name != department else ""
    indicators = [_indicator(s, places) for s in evaluation.scores]
    return {
        "title": title(evaluation, document),
        "kind": "项目支出" if project_name else "整体支出",
        "year": str((document.year if document else None) or evaluation.year or ""),
        "department": clean_text(department),
        "project": clean_text(project_name),
        "unit": clean_text(project.unit if project else ""),
        "scheme": f"{evaluation.scheme.title}（{evaluation.scheme.name}）",
        "places": str(places),
        "budget": _budget(evaluation, document, places),
        "goals": _goals(document),
        "groups": _groups(evaluation, indicators),
        "indicators": indicators,
        "total": fmt(evaluation.total, places),
        "full_marks": _weight(_full_marks(evaluation, document)),
        "computed_total": fmt(evaluation.computed_total, places),
        "published_total": fmt(evaluation.published_total, places),
        "grade": evaluation.grade if evaluation.graded else "不评定",
        "grade_label": grade_label(evaluation),
        "not_graded_reason": clean_text(evaluation.not_graded_reason),
        "conclusion": _conclusion(document),
        "lost": _lost(evaluation, document, places),
        "problems": _problems(evaluation, findings),
        "measures": _measures(evaluation, document),
        "review": [_indicator(s, places) for s in evaluation.needs_review],
    }


_GRADE_LINE = re.compile(r"^(?:自评等级|评分等级（按方案重算）)：\S*\s*")


def _conclusion(document: Document | None) -> str:
    """The form's conclusion, without the grade line our own 自评表 writes above it."""
    return clean_text(_GRADE_LINE.sub("", document.conclusion if document else "", count=1))


def _indicator(score: Score, places: int) -> dict[str, str]:
    i = score.indicator
    return {
        "row": str(i.row),
        "goal": clean_text(i.goal),
        "level1": clean_text(i.level1),
        "level2": clean_text(i.level2),
        "name": clean_text(i.level3),
        "target": clean_text(i.target),
        "actual": clean_text(i.actual),
        "weight": _weight(i.weight),
        "score": fmt(score.counted, places),
        "computed": fmt(score.computed, places),
        "published": fmt(score.published, places),
        "status": STATUS_LABELS[score.status],
        "explanation": clean_text(score.explanation),
        "reason": clean_text(i.reason),
    }


def _full_marks(evaluation: Evaluation, document: Document | None) -> Decimal:
    if document is not None and document.full_marks is not None:
        return document.full_marks
    execution = evaluation.execution.weight if evaluation.execution else Decimal(0)
    return evaluation.indicator_weight + execution


def _budget(evaluation: Evaluation, document: Document | None, places: int) -> dict[str, str]:
    """The budget-execution block; amounts as written (万元), empty when the form has none."""
    execution = evaluation.execution
    initial = document.initial_budget if document else None
    return {
        "initial": "" if initial is None else format_decimal(initial),
        "budget": "" if execution is None else format_decimal(execution.budget),
        "executed": "" if execution is None else format_decimal(execution.executed),
        "rate": "" if execution is None else _percent(execution.rate),
        "weight": "" if execution is None else _weight(execution.weight),
        "score": "" if execution is None else fmt(execution.counted, places),
        "reason": clean_text(document.execution_reason if document else ""),
    }


def _goals(document: Document | None) -> list[dict[str, str]]:
    if document is None or len(document.projects) != 1:
        return []
    return [
        {
            "label": clean_text(g.label),
            "text": clean_text(g.text),
            "achieved": clean_text(g.achieved),
        }
        for g in document.projects[0].goals
    ]


def _groups(evaluation: Evaluation, indicators: Sequence[dict[str, str]]) -> list[dict[str, Any]]:
    """Indicators by goal in form order, with each goal's weight and score; ``indicators``
    are the rows' fields in the order of ``evaluation.scores`` (each built once)."""
    places = display_places(evaluation)
    fields = {id(score): row for score, row in zip(evaluation.scores, indicators, strict=True)}
    subtotals = {s.key[0] if s.key else "": s for s in evaluation.by_goal}
    groups = []
    for goal, scores in by_goal(evaluation.scores):
        subtotal = subtotals.get(goal)
        full = sum(1 for s in scores if s.status is Status.FULL)
        groups.append(
            {
                "goal": clean_text(goal),
                "count": str(len(scores)),
                "full": str(full),
                "weight": _weight(subtotal.weight if subtotal else None),
                "score": fmt(subtotal.counted if subtotal else None, places),
                "indicators": [fields[id(s)] for s in scores],
            }
        )
    return groups


def _lost(evaluation: Evaluation, document: Document | None, places: int) -> list[dict[str, str]]:
    return [
        {
            "row": "" if r.row is None else str(r.row),
            "goal": clean_text(r.goal),
            "name": clean_text(r.name),
            "weight": _weight(r.weight),
            "score": fmt(r.counted, places),
            "lost": fmt(r.points, places),
            "explanation": clean_text(r.explanation),
            "reason": clean_text(r.reason),
        }
        for r in lost_rows(evaluation, document)
    ]


def _problems(evaluation: Evaluation, findings: Sequence[Finding]) -> list[str]:
    """存在的问题: points lost, rows to review, and the audit's findings, one sentence each."""
    problems = []
    lost = [s for s in evaluation.scores if s.lost > 0]
    if lost:
        names = "、".join(f"「{s.indicator.level3}」" for s in lost[:5])
        more = f"等{len(lost)}项" if len(lost) > 5 else ""
        problems.append(f"{names}{more}指标未取得满分，实际完成值与年度指标值存在偏差。")
    execution = evaluation.execution
    if execution is not None and execution.counted < execution.weight:
        problems.append(f"预算执行率为{_percent(execution.rate)}，未全部执行。")
    if evaluation.needs_review:
        problems.append(
            f"{len(evaluation.needs_review)}项指标的年度指标值或实际完成值无法按评分方案判定，需人工复核。"
        )
    # Information (a total that adds up) is no problem; warnings and errors are.  A report
    # in Chinese keeps the Chinese half of the bilingual messages.
    for f in findings:
        if f.severity is not FindingSeverity.INFO:
            where = f"（第{f.row}行）" if f.row else ""
            message = _ENGLISH.sub("", f.message)
            problems.append(clean_text(f"{finding_name(f.code)}{where}：{message}"))
    return problems


# An English gloss in parentheses, `` (full marks kept)``, after the Chinese it translates.
_ENGLISH = re.compile(r"\s*\((?=[A-Za-z]{2})[^()（）]*\)")


def _measures(evaluation: Evaluation, document: Document | None) -> list[str]:
    """改进措施: the unit's own 偏差原因分析及改进措施, never a sentence made up for it."""
    measures = []
    if document is not None and document.execution_reason:
        measures.append(clean_text(f"预算执行：{document.execution_reason}"))
    for score in evaluation.scores:
        if score.indicator.reason:
            measures.append(clean_text(f"{score.indicator.level3}：{score.indicator.reason}"))
    return measures
