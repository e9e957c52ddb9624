"""Render the 自评表 as aligned terminal text (one section per numbered part)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from .._display import grid, wrap
from ..documents import Document
from ..indicators import SELF_EVALUATION_HEADER
from ..review.findings import Finding, finding_name
from ..rollup import Evaluation, Execution
from ..scoring import Score
from ._common import (
    _DASH,
    _NUMERALS,
    STATUS_LABELS,
    _percent,
    _sum,
    _weight,
    display_places,
    fmt,
)
from .sections import LostRow, by_goal, difference_rows, lost_rows, title, warning_lines

# Display widths (terminal columns) at which long texts wrap in the text table.
_WRAP = {"level1": 10, "level2": 12, "level3": 24, "target": 14, "actual": 18, "note": 44}

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
        _differences_section(evaluation, document, places),
        _review_section(evaluation),
        _warnings_section(evaluation, document),
        _findings_section(findings),
    ]
    numbered = [f"{_NUMERALS[n]}、{s}" for n, s in enumerate(filter(None, sections))]
    return "\n\n".join([_header(evaluation, document), *numbered]) + "\n"


def _grid(rows: list[list[str]], headers: Sequence[str], numeric: Sequence[int] = ()) -> str:
    align = ["right" if i in numeric else "left" for i in range(len(headers))]
    return grid(
        rows, headers=list(headers), tablefmt="simple", disable_numparse=True, colalign=align
    )


def _wrap(text: str, width: int) -> str:
    return wrap(text, width)


def _header(evaluation: Evaluation, document: Document | None) -> str:
    scheme = evaluation.scheme
    lines = [title(evaluation, document)]
    if not evaluation.graded:
        # First, before any number: a total from a partial read must not be trusted.
        lines.append(f"【不评定等级 NOT GRADED】{evaluation.not_graded_reason}")
    project = _project_line(document)
    if project:
        lines.append(project)
    if document is not None and document.path:
        lines.append(f"文件：{document.path}")
    version = f" {scheme.version}" if scheme.version else ""
    lines.append(f"评分方案：{scheme.title}（{scheme.name}{version}）")
    mode = "按方案重新计算" if evaluation.recompute else "采用填报得分，方案得分并列对照"
    lines.append(f"计分方式：{mode}")
    return "\n".join(lines)


def _project_line(document: Document | None) -> str:
    """项目名称 / 主管部门 / 实施单位 as the form gives them."""
    if document is None or len(document.projects) != 1:
        return ""
    project = document.projects[0]
    parts = [
        f"项目名称：{project.name}" if project.name and project.name != document.department else "",
        f"主管部门：{document.department}" if document.department else "",
        f"实施单位：{project.unit}" if project.unit else "",
    ]
    return "　".join(p for p in parts if p)


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
    *SELF_EVALUATION_HEADER[1:7],  # 一级指标 … 分值, as the official form spells them
    "计算得分",
    "填报得分",
    "计入得分",
    "状态",
)


def _indicator_section(evaluation: Evaluation, places: int) -> str:
    rows: list[list[str]] = []
    for goal, scores in by_goal(evaluation.scores):
        if goal:
            rows.append(["", f"【{goal}】", *[""] * 9])
        rows.extend(_indicator_rows(scores, places))
        rows.append(_subtotal_row(f"{goal or '指标'}小计", scores, places))
    table = _grid(rows, _INDICATOR_HEADERS, numeric=(0, 6, 7, 8, 9))
    return f"年度指标完成情况\n{table}"


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
    grade = evaluation.grade if evaluation.graded else "不评定（见表首说明）"
    lines = [f"总分与等级\n{table}", f"自评等级：{grade}"]
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
            "" if r.row is None else str(r.row),
            _wrap(r.name, _WRAP["level3"]) if r.row is not None else r.name,
            _weight(r.weight),
            fmt(r.counted, places),
            fmt(r.points, places),
            _wrap(
                f"{r.explanation}。偏差原因：{r.reason}" if r.reason else r.explanation,
                _WRAP["note"],
            ),
        ]
        for r in lost_rows(evaluation, document)
    ]
    if not rows:
        return "失分说明\n（无失分）"
    table = _grid(
        rows, ["行", "三级指标", "分值", "计入得分", "失分", "说明"], numeric=(0, 2, 3, 4)
    )
    return f"失分说明\n{table}"


def _differences_section(evaluation: Evaluation, document: Document | None, places: int) -> str:
    rows = [
        [
            "" if r.row is None else str(r.row),
            _wrap(r.name, _WRAP["level3"]) if r.row is not None else r.name,
            fmt(r.computed, places),
            fmt(r.published, places),
            fmt(r.points, places),
            _wrap(_difference_note(r), _WRAP["note"]),
        ]
        for r in difference_rows(evaluation, document)
    ]
    if not rows:
        return ""
    headers = ["行", "三级指标", "计算得分", "填报得分", "差额", "说明"]
    return f"填报得分与方案得分不一致\n{_grid(rows, headers, numeric=(0, 2, 3, 4))}"


def _difference_note(row: LostRow) -> str:
    if row.row is None:  # the execution block: its explanation already says both figures
        return row.explanation
    return f"{row.explanation}。填报说明：{row.reason or '（未填写偏差原因）'}"


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
    lines = [f"- {line}" for line in warning_lines(evaluation, document)]
    return "提示\n" + "\n".join(lines) if lines else ""


def _findings_section(findings: Sequence[Finding]) -> str:
    if not findings:
        return ""
    rows = [
        [
            _wrap(finding_name(f.code), 12),
            f.code,
            f.severity.value,
            "" if f.row is None else str(f.row),
            _wrap(f.text, _WRAP["target"] + _WRAP["actual"]),
            _wrap(f.message, _WRAP["note"]),
        ]
        for f in findings
    ]
    headers = ["发现", "代码", "级别", "行", "内容", "说明"]
    return f"复核发现\n{_grid(rows, headers, numeric=(3,))}"
