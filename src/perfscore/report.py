"""Render an :class:`~perfscore.rollup.Evaluation`: a text 自评表, JSON, CSV and XLSX.

Every renderer returns a ``str`` (or ``bytes`` for XLSX) and never prints.
Scores are shown with the scheme's decimal places — or more, when a published
score has more — so that every displayed number is exact and a displayed
total always equals the sum of its displayed parts.

The JSON written by :func:`to_json` is documented in ``docs/json-schema.md``
and read back by :func:`perfscore.readers.json_reader.read_json`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import tabulate

from .documents import Document, DocumentKind, Project
from .review.findings import Finding
from .rollup import Evaluation, Execution
from .scoring import Score, Status
from .values import format_decimal

__all__ = [
    "JSON_SCHEMA",
    "STATUS_LABELS",
    "neutralise",
    "render_table",
    "to_csv",
    "to_json",
    "to_xlsx",
]

JSON_SCHEMA = "perfscore.evaluation/1"
"""The ``schema`` value of :func:`to_json` output; bumped on any incompatible change."""

STATUS_LABELS: dict[Status, str] = {
    Status.FULL: "满分",
    Status.PARTIAL: "部分得分",
    Status.ZERO: "零分",
    Status.MANUAL: "按填报",
    Status.NEEDS_REVIEW: "需复核",
}

# A cell starting with one of these is run as a formula by spreadsheets (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_DASH = "—"
_NUMERALS = "一二三四五六七八九十"
# Display widths (terminal columns) at which long texts wrap in the text table.
_WRAP = {"level1": 10, "level2": 12, "level3": 24, "target": 14, "actual": 18, "note": 44}

tabulate.WIDE_CHARS_MODE = True  # Chinese characters are two columns wide


# --- numbers --------------------------------------------------------------------------


def display_places(evaluation: Evaluation) -> int:
    """The decimal places for scores: the scheme's, or more if a counted score has more."""
    values: list[Decimal] = [evaluation.total, *(s.counted for s in evaluation.scores)]
    if evaluation.execution is not None:
        values.append(evaluation.execution.counted)
    return max([evaluation.scheme.places, *(_own_places(v) for v in values)])


def _own_places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def fmt(value: Decimal | None, places: int) -> str:
    """Format a score with ``places`` decimals, or more rather than round a digit away."""
    if value is None:
        return ""
    places = max(places, _own_places(value))
    return f"{value.quantize(Decimal(1).scaleb(-places)):f}"


def _weight(value: Decimal | None) -> str:
    return "" if value is None else format_decimal(value)


def _percent(rate: Decimal) -> str:
    return f"{(rate * 100).quantize(Decimal('0.01')):f}%"


def _sum(values: Iterable[Decimal | None]) -> Decimal | None:
    """The sum, or None if any part is missing (a sum of shown blanks is not shown)."""
    items = list(values)
    if any(v is None for v in items):
        return None
    return sum((v for v in items if v is not None), Decimal(0))


def neutralise(text: str) -> str:
    """Prefix ``'`` to text a spreadsheet would run as a formula: ``=100%`` → ``'=100%``."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


# --- the text table -------------------------------------------------------------------


def render_table(
    evaluation: Evaluation, *, document: Document | None = None, findings: Sequence[Finding] = ()
) -> str:
    """Render the 自评表 as aligned text: header, execution, indicators, totals, explanations."""
    places = display_places(evaluation)
    sections = [
        _execution_section(evaluation.execution, document, places),
        _indicator_section(evaluation, places),
        _totals_section(evaluation, places),
        _level_section(evaluation, places),
        _lost_section(evaluation, document, places),
        _differences_section(evaluation, places),
        _review_section(evaluation),
        _warnings_section(evaluation, document),
        _findings_section(findings),
    ]
    numbered = [f"{_NUMERALS[n]}、{s}" for n, s in enumerate(filter(None, sections))]
    return "\n\n".join([_header(evaluation, document), *numbered]) + "\n"


def _grid(rows: list[list[str]], headers: Sequence[str], numeric: Sequence[int] = ()) -> str:
    align = ["right" if i in numeric else "left" for i in range(len(headers))]
    return tabulate.tabulate(
        rows, headers=list(headers), tablefmt="simple", disable_numparse=True, colalign=align
    )


def _wrap(text: str, width: int) -> str:
    """Wrap ``text`` at ``width`` display columns (Chinese characters count two)."""
    from wcwidth import wcwidth

    lines, line, used = [], "", 0
    for char in text:
        w = max(wcwidth(char), 0)
        if used + w > width and line:
            lines.append(line)
            line, used = "", 0
        line += char
        used += w
    lines.append(line)
    return "\n".join(lines)


def _title(evaluation: Evaluation, document: Document | None) -> str:
    department = document.department if document else ""
    year = (document.year if document else None) or evaluation.year
    lead = f"{year}年度" if year else ""
    return f"{lead}{department}绩效自评表"


def _header(evaluation: Evaluation, document: Document | None) -> str:
    scheme = evaluation.scheme
    lines = [_title(evaluation, document)]
    if document is not None and document.path:
        lines.append(f"文件：{document.path}")
    version = f" {scheme.version}" if scheme.version else ""
    lines.append(f"评分方案：{scheme.title}（{scheme.name}{version}）")
    mode = "按方案重新计算" if evaluation.recompute else "采用填报得分，方案得分并列对照"
    lines.append(f"计分方式：{mode}")
    return "\n".join(lines)


def _execution_section(execution: Execution | None, document: Document | None, places: int) -> str:
    if execution is None:
        return "预算执行情况\n（未提供全年预算数和全年执行数，总分不含预算执行得分）"
    initial = document.initial_budget if document else None
    headers = ["年初预算数", "全年预算数(A)", "全年执行数(B)", "执行率(B/A)", "分值", "计算得分"]
    headers += ["填报得分", "计入得分"]
    row = [
        _weight(initial),
        _weight(execution.budget),
        _weight(execution.executed),
        _percent(execution.rate),
        _weight(execution.weight),
        fmt(execution.computed, places),
        fmt(execution.published, places),
        fmt(execution.counted, places),
    ]
    table = _grid([row], headers, numeric=range(8))
    return f"预算执行情况（万元）\n{table}\n说明：{execution.explanation}"


_INDICATOR_HEADERS = (
    "行",
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "计算得分",
    "填报得分",
    "计入得分",
    "状态",
)


def _indicator_section(evaluation: Evaluation, places: int) -> str:
    rows: list[list[str]] = []
    for goal, scores in _by_goal(evaluation.scores):
        if goal:
            rows.append(["", f"【{goal}】", *[""] * 9])
        rows.extend(_indicator_rows(scores, places))
        rows.append(_subtotal_row(f"{goal or '指标'}小计", scores, places))
    table = _grid(rows, _INDICATOR_HEADERS, numeric=(0, 6, 7, 8, 9))
    return f"年度指标完成情况\n{table}"


def _by_goal(scores: Sequence[Score]) -> list[tuple[str, list[Score]]]:
    """Scores grouped by goal, goals in order of first appearance, rows in input order."""
    groups: dict[str, list[Score]] = {}
    for score in scores:
        groups.setdefault(score.indicator.goal, []).append(score)
    return list(groups.items())


def _indicator_rows(scores: Sequence[Score], places: int) -> list[list[str]]:
    rows, previous = [], ("", "")
    for score in scores:
        i = score.indicator
        level1 = i.level1 if i.level1 != previous[0] else ""
        level2 = i.level2 if (i.level1, i.level2) != previous else ""
        previous = (i.level1, i.level2)
        status = STATUS_LABELS[score.status] + ("≠" if score.differs else "")
        rows.append(
            [
                str(i.row),
                _wrap(level1, _WRAP["level1"]),
                _wrap(level2, _WRAP["level2"]),
                _wrap(i.level3, _WRAP["level3"]),
                _wrap(i.target, _WRAP["target"]),
                _wrap(i.actual, _WRAP["actual"]),
                _weight(i.weight),
                fmt(score.computed, places) or _DASH,
                fmt(score.published, places),
                fmt(score.counted, places),
                status,
            ]
        )
    return rows


def _subtotal_row(label: str, scores: Sequence[Score], places: int) -> list[str]:
    weight = sum((s.weight for s in scores), Decimal(0))
    computed = _sum(s.computed for s in scores)
    published = _sum(s.published for s in scores)
    counted = sum((s.counted for s in scores), Decimal(0))
    return [
        "",
        "",
        "",
        label,
        "",
        "",
        _weight(weight),
        fmt(computed, places) or _DASH,
        fmt(published, places),
        fmt(counted, places),
        "",
    ]


def _totals_section(evaluation: Evaluation, places: int) -> str:
    execution = evaluation.execution
    rows = [["指标得分合计", _weight(evaluation.indicator_weight)]]
    rows[0].append(fmt(evaluation.indicator_total, places))
    if execution is not None:
        rows.append(["预算执行得分", _weight(execution.weight), fmt(execution.counted, places)])
    weight = evaluation.indicator_weight + (execution.weight if execution else Decimal(0))
    rows.append(["总分", _weight(weight), fmt(evaluation.total, places)])
    table = _grid(rows, ["", "分值", "得分"], numeric=(1, 2))
    lines = [f"总分与等级\n{table}", f"自评等级：{evaluation.grade}"]
    computed = evaluation.computed_total
    if computed is not None and computed != evaluation.total:
        lines.append(
            f"按方案计算的总分：{fmt(computed, places)}（等级 {evaluation.scheme.grade(computed)}）"
        )
    if evaluation.published_total is not None:
        lines.append(f"表中填报总分：{fmt(evaluation.published_total, places)}")
    return "\n".join(lines)


def _level_section(evaluation: Evaluation, places: int) -> str:
    rows = [
        [s.label, _weight(s.weight), fmt(s.counted, places), str(s.rows)]
        for s in evaluation.by_level2
    ]
    if not rows:
        return ""
    table = _grid(rows, ["一级 / 二级指标", "分值", "计入得分", "项数"], numeric=(1, 2, 3))
    return f"按指标层级汇总\n{table}"


def _lost_section(evaluation: Evaluation, document: Document | None, places: int) -> str:
    rows = [
        [
            str(s.indicator.row),
            _wrap(s.indicator.level3, _WRAP["level3"]),
            _weight(s.weight),
            fmt(s.counted, places),
            fmt(s.lost, places),
            _wrap(_lost_note(s), _WRAP["note"]),
        ]
        for s in evaluation.scores
        if s.lost > 0
    ]
    execution = evaluation.execution
    if execution is not None and execution.counted < execution.weight:
        lost = execution.weight - execution.counted
        note = _wrap(_execution_note(execution, document), _WRAP["note"])
        rows.append(["", "预算执行率", _weight(execution.weight), fmt(execution.counted, places)])
        rows[-1] += [fmt(lost, places), note]
    if not rows:
        return "失分说明\n（无失分）"
    table = _grid(
        rows, ["行", "三级指标", "分值", "计入得分", "失分", "说明"], numeric=(0, 2, 3, 4)
    )
    return f"失分说明\n{table}"


def _execution_note(execution: Execution, document: Document | None) -> str:
    reason = document.execution_reason if document else ""
    return f"{execution.explanation}。偏差原因：{reason}" if reason else execution.explanation


def _lost_note(score: Score) -> str:
    note = score.explanation
    if score.indicator.reason:
        note += f"。偏差原因：{score.indicator.reason}"
    return note


def _differences_section(evaluation: Evaluation, places: int) -> str:
    rows = [
        [
            str(s.indicator.row),
            _wrap(s.indicator.level3, _WRAP["level3"]),
            fmt(s.computed, places),
            fmt(s.published, places),
            fmt((s.published or Decimal(0)) - (s.computed or Decimal(0)), places),
            _wrap(_difference_note(s), _WRAP["note"]),
        ]
        for s in evaluation.differences
    ]
    execution = evaluation.execution
    if execution is not None and execution.differs and execution.published is not None:
        diff = fmt(execution.published - execution.computed, places)
        note = _wrap(execution.explanation, _WRAP["note"])
        rows.append(["", "预算执行率", fmt(execution.computed, places)])
        rows[-1] += [fmt(execution.published, places), diff, note]
    if not rows:
        return ""
    headers = ["行", "三级指标", "计算得分", "填报得分", "差额", "说明"]
    return f"填报得分与方案得分不一致\n{_grid(rows, headers, numeric=(0, 2, 3, 4))}"


def _difference_note(score: Score) -> str:
    reason = score.indicator.reason or "（未填写偏差原因）"
    return f"{score.explanation}。填报说明：{reason}"


def _review_section(evaluation: Evaluation) -> str:
    rows = [
        [
            str(s.indicator.row),
            _wrap(s.indicator.level3, _WRAP["level3"]),
            _wrap(s.indicator.target, _WRAP["target"]),
            _wrap(s.indicator.actual, _WRAP["actual"]),
            _wrap(s.explanation, _WRAP["note"]),
        ]
        for s in evaluation.needs_review
    ]
    if not rows:
        return ""
    headers = ["行", "三级指标", "年度指标值", "实际完成值", "原因"]
    return f"需人工复核的指标\n{_grid(rows, headers, numeric=(0,))}"


def _warnings_section(evaluation: Evaluation, document: Document | None) -> str:
    lines = [f"- {w}" for w in evaluation.warnings]
    for score in evaluation.scores:
        lines += [f"- 第{score.indicator.row}行：{w}" for w in score.warnings]
    if document is not None:
        lines += [f"- [{d.severity.value}] {d}" for d in document.diagnostics]
    return "提示\n" + "\n".join(lines) if lines else ""


def _findings_section(findings: Sequence[Finding]) -> str:
    if not findings:
        return ""
    rows = [
        [
            f.code,
            f.severity.value,
            "" if f.row is None else str(f.row),
            _wrap(f.text, _WRAP["target"] + _WRAP["actual"]),
            _wrap(f.message, _WRAP["note"]),
        ]
        for f in findings
    ]
    headers = ["代码", "级别", "行", "内容", "说明"]
    return f"复核发现\n{_grid(rows, headers, numeric=(2,))}"


# --- JSON -----------------------------------------------------------------------------


def to_json(
    evaluation: Evaluation, *, document: Document | None = None, findings: Sequence[Finding] = ()
) -> str:
    """Return the evaluation as JSON (schema ``perfscore.evaluation/1``, decimals as strings)."""
    return json.dumps(
        to_data(evaluation, document=document, findings=findings), ensure_ascii=False, indent=2
    )


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
        "grade": evaluation.grade,
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
    }


def _opt(value: Decimal | None, places: int) -> str | None:
    return None if value is None else fmt(value, places)


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
        "rate": f"{execution.rate.quantize(Decimal('0.0001')):f}",
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
        "warnings": list(score.warnings),
        "target_value": score.target.to_dict() if score.target else None,
        "actual_value": score.actual.to_dict() if score.actual else None,
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
    data |= {f: getattr(indicator, f) for f in ("reason", "basis") if getattr(indicator, f)}
    return data


# --- CSV ------------------------------------------------------------------------------

CSV_HEADERS = (
    "行号",
    "绩效目标",
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
    "方案得分",
    "填报得分",
    "状态",
    "得分说明",
    "偏差原因分析及改进措施",
)


def to_csv(evaluation: Evaluation) -> str:
    """Return the rows as CSV that the tabular reader reads back (得分 = the counted score).

    Below the indicator rows come the execution figures and the 总分 row, as
    ``label, value`` rows.  Texts that a spreadsheet would run as a formula
    are prefixed with ``'``.
    """
    places = display_places(evaluation)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    writer.writerows(_csv_row(s, places) for s in evaluation.scores)
    writer.writerows(_csv_footer(evaluation, places))
    return out.getvalue()


def _csv_row(score: Score, places: int) -> list[str]:
    i = score.indicator
    texts = [i.goal, i.level1, i.level2, i.level3, i.target, i.actual]
    numbers = [_weight(i.weight), fmt(score.counted, places), fmt(score.computed, places)]
    notes = [STATUS_LABELS[score.status], score.explanation, i.reason]
    cells = [neutralise(t) for t in texts] + numbers + [fmt(score.published, places)]
    return [str(i.row), *cells, *(neutralise(n) for n in notes)]


def _csv_footer(evaluation: Evaluation, places: int) -> list[list[str]]:
    width = len(CSV_HEADERS)
    rows: list[list[str]] = []
    execution = evaluation.execution
    if execution is not None:
        rows += [
            ["全年预算数(A)", format_decimal(execution.budget)],
            ["全年执行数(B)", format_decimal(execution.executed)],
            ["预算执行率得分", fmt(execution.counted, places)],
        ]
    total = [""] * width
    total[0], total[CSV_HEADERS.index("分值")] = "总分", _weight(_total_weight(evaluation))
    total[CSV_HEADERS.index("得分")] = fmt(evaluation.total, places)
    total[CSV_HEADERS.index("状态")] = evaluation.grade
    return [*rows, total]


def _total_weight(evaluation: Evaluation) -> Decimal:
    execution = evaluation.execution
    return evaluation.indicator_weight + (execution.weight if execution else Decimal(0))


# --- XLSX -----------------------------------------------------------------------------


def to_xlsx(
    evaluation: Evaluation, *, document: Document | None = None, findings: Sequence[Finding] = ()
) -> bytes:
    """Return the official 自评表 layout as an Excel workbook (needs ``perfscore[excel]``)."""
    from ._xlsx import workbook_bytes

    return workbook_bytes(evaluation, document=document, findings=findings)
