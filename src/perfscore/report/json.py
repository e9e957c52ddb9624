"""Render an evaluation as JSON (schema ``perfscore.evaluation/1``, see docs/json-schema.md)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, localcontext
from typing import Any

from ..documents import Document, DocumentKind, Project
from ..parse.values import format_decimal
from ..review.findings import Finding
from ..score.rollup import Evaluation, Execution
from ..score.scoring import Score
from ._common import (
    display_places,
    fmt,
)
from ._json import dumps
from .schemas import TAGS

JSON_SCHEMA = TAGS["evaluation"]
"""The ``schema`` value of :func:`to_json` output; bumped on any incompatible change."""
# --- JSON -----------------------------------------------------------------------------


def to_json(
    evaluation: Evaluation, *, document: Document | None = None, findings: Sequence[Finding] = ()
) -> str:
    """Return the evaluation as JSON (schema ``perfscore.evaluation/1``, decimals as strings)."""
    return dumps(to_data(evaluation, document=document, findings=findings))


def to_data(
    evaluation: Evaluation, *, document: Document | None = None, findings: Sequence[Finding] = ()
) -> dict[str, Any]:
    """Return the JSON form of :func:`to_json` as plain dicts and lists."""
    places = display_places(evaluation)
    computed = evaluation.computed_total
    document = document or _implied_document(evaluation)
    return {
        "schema": JSON_SCHEMA,
        "total": fmt(evaluation.total, places),
        "grade": evaluation.grade if evaluation.graded else None,
        "graded": evaluation.graded,
        "not_graded_reason": evaluation.not_graded_reason or None,
        "verdict": evaluation.verdict.to_dict(),
        "indicator_total": fmt(evaluation.indicator_total, places),
        "indicator_weight": format_decimal(evaluation.indicator_weight),
        "computed_total": None if computed is None else fmt(computed, places),
        "published_total": _opt(evaluation.published_total, places),
        "recompute": evaluation.recompute,
        "year": evaluation.year,
        "execution": _execution_data(evaluation.execution, places),
        "scheme": {**evaluation.scheme.to_dict(), "title": evaluation.scheme.title},
        "places": places,
        "subtotals": _subtotals_data(evaluation, places),
        "indicators": _indicators_data(evaluation, document, places),
        "warnings": list(evaluation.warnings),
        "findings": [f.to_dict() for f in findings],
        "document": document_data(document, indicators=False),
        "review": _review_data(evaluation),
    }


def _review_data(evaluation: Evaluation) -> dict[str, Any] | None:
    """自评 and 审核 side by side (None when no row has a reviewer's score or opinion)."""
    from ..review.reviewed import compare, has_review

    return compare(evaluation).to_dict() if has_review(evaluation) else None


def _opt(value: Decimal | None, places: int) -> str | None:
    return None if value is None else fmt(value, places)


# Decimals are written as strings, never JSON numbers: a reader's float would change
# 0.1 or 93.95, and the file must read back to the same total.
def _dec(value: Decimal | None) -> str | None:
    return None if value is None else format_decimal(value)


def _implied_document(evaluation: Evaluation) -> Document:
    """The document an evaluation implies when none was given (for round-tripping)."""
    execution = evaluation.execution
    return Document(
        path="",
        kind=DocumentKind.SELF_EVALUATION,
        projects=(Project(indicators=tuple(s.indicator for s in evaluation.scores)),),
        year=evaluation.year,
        budget=execution.budget if execution else None,
        executed=execution.executed if execution else None,
        execution_weight=execution.weight if execution else None,
        execution_published=execution.published if execution else None,
        published_total=evaluation.published_total,
    )


def _execution_data(execution: Execution | None, places: int) -> dict[str, Any] | None:
    if execution is None:
        return None
    return {
        "budget": format_decimal(execution.budget),
        "executed": format_decimal(execution.executed),
        # The exact rate can run to 28 digits; four places (96.47%) is what forms print.
        "rate": _rate(execution.rate),
        "weight": format_decimal(execution.weight),
        "computed": fmt(execution.computed, places),
        "published": _opt(execution.published, places),
        "points": fmt(execution.counted, places),
        "differs": execution.differs,
        "explanation": execution.explanation,
    }


def _subtotals_data(evaluation: Evaluation, places: int) -> dict[str, list[dict[str, Any]]]:
    def one(group: Any) -> dict[str, Any]:
        return {
            "key": list(group.key),
            "label": group.label,
            "weight": format_decimal(group.weight),
            "score": fmt(group.counted, places),
            "computed": _opt(group.computed, places),
            "rows": group.rows,
        }

    return {
        "goal": [one(g) for g in evaluation.by_goal],
        "level1": [one(g) for g in evaluation.by_level1],
        "level2": [one(g) for g in evaluation.by_level2],
    }


def _project_index(evaluation: Evaluation, document: Document) -> list[int | None]:
    """Each score's project (index into ``document.projects``) when the rows line up."""
    owners = [n for n, p in enumerate(document.projects) for _ in p.indicators]
    rows = tuple(s.indicator for s in evaluation.scores)
    if rows == document.indicators:
        return list(owners)
    return [None] * len(rows)


def _indicators_data(
    evaluation: Evaluation, document: Document, places: int
) -> list[dict[str, Any]]:
    projects = _project_index(evaluation, document)
    return [_score_data(s, p, places) for s, p in zip(evaluation.scores, projects, strict=True)]


def _score_data(score: Score, project: int | None, places: int) -> dict[str, Any]:
    i = score.indicator
    return {
        "row": i.row,
        "project": project,
        "goal": i.goal,
        "level1": i.level1,
        "level2": i.level2,
        "level3": i.level3,
        "description": i.description,
        "basis": i.basis,
        "target": i.target,
        "actual": i.actual,
        "weight": _dec(i.weight),
        "computed": _opt(score.computed, places),
        "published": _opt(score.published, places),
        "score": fmt(score.counted, places),
        "lost": fmt(score.lost, places),
        "status": score.status.value,
        "differs": score.differs,
        "explanation": score.explanation,
        "reason": i.reason,
        "reviewed": _opt(i.reviewed, places),
        "review_note": i.review_note,
        "warnings": list(score.warnings),
        "target_value": score.target.to_dict() if score.target else None,
        "actual_value": score.actual.to_dict() if score.actual else None,
        # Issue 19: what the row's own columns said (empty when the form has no such column).
        "comparator": i.comparator,
        "unit": i.unit,
        "composed_from": i.composed_from,
        "initial_target": i.initial_target,
        "adjusted_target": i.adjusted_target,
        "standard": i.standard,
        "coefficient": _dec(i.coefficient),
        "published_formula": i.published_formula,
    }


def document_data(document: Document, *, indicators: bool = True) -> dict[str, Any]:
    """Return a document's metadata (and, with ``indicators``, its rows) as JSON-ready data."""
    return {
        "path": document.path,
        "kind": document.kind.value,
        "department": document.department,
        "year": document.year,
        "initial_budget": _dec(document.initial_budget),
        "budget": _dec(document.budget),
        "executed": _dec(document.executed),
        "execution_weight": _dec(document.execution_weight),
        "execution_published": _dec(document.execution_published),
        "execution_reason": document.execution_reason,
        "published_total": _dec(document.published_total),
        "conclusion": document.conclusion,
        "projects": [_project_data(p, indicators) for p in document.projects],
        "diagnostics": [
            {
                "severity": d.severity.value,
                "message": d.message,
                "file": d.file,
                "row": d.row,
                "column": d.column,
                "text": d.text,
            }
            for d in document.diagnostics
        ],
    }


def _project_data(project: Project, indicators: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": project.name,
        "code": project.code,
        "unit": project.unit,
        "budget": _dec(project.budget),
        "fiscal_funds": _dec(project.fiscal_funds),
        "other_funds": _dec(project.other_funds),
        "purpose": project.purpose,
        "goals": [
            {"label": g.label, "text": g.text, "achieved": g.achieved} for g in project.goals
        ],
        "spending_plan": [[label, _dec(pct)] for label, pct in project.spending_plan],
    }
    if indicators:
        data["indicators"] = [_row_data(i) for i in project.indicators]
    return data


def _row_data(indicator: Any) -> dict[str, Any]:
    """An indicator row as read, with only the fields that are present."""
    fields = ("goal", "level1", "level2", "level3", "description", "target", "actual")
    data: dict[str, Any] = {"row": indicator.row}
    data |= {f: getattr(indicator, f) for f in fields if getattr(indicator, f)}
    if indicator.weight is not None:
        data["weight"] = format_decimal(indicator.weight)
    if indicator.published is not None:
        data["score"] = format_decimal(indicator.published)
    if indicator.reviewed is not None:
        data["reviewed"] = format_decimal(indicator.reviewed)
    if indicator.review_note:
        data["review_note"] = indicator.review_note
    data |= {f: getattr(indicator, f) for f in ("reason", "basis") if getattr(indicator, f)}
    extra = ("comparator", "unit", "composed_from", "initial_target", "adjusted_target")
    data |= {f: getattr(indicator, f) for f in (*extra, "standard") if getattr(indicator, f)}
    if indicator.coefficient is not None:
        data["coefficient"] = format_decimal(indicator.coefficient)
    if indicator.read_problem:
        data["read_problem"] = indicator.read_problem
    return data


def _rate(rate: Decimal) -> str:
    with localcontext() as context:  # a rate of 10^30 is written, not a crash
        context.prec = max(context.prec, rate.adjusted() + 6)
        return f"{rate.quantize(Decimal('0.0001')):f}"
