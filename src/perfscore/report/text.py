"""Render the 自评表 as aligned terminal text (one section per numbered part)."""

from __future__ import annotations

import contextvars
from collections.abc import Sequence
from decimal import Decimal

from .._display import simple_grid, wrap
from .._safe import safe_text
from ..documents import Document
from ..indicators import SELF_EVALUATION_HEADER
from ..review.findings import Finding, finding_name
from ..score.rollup import Evaluation, Execution
from ..score.scoring import Score
from ._common import (
    _DASH,
    _NUMERALS,
    SEVERITY_LABELS,
    STATUS_LABELS,
    _percent,
    _sum,
    _weight,
    display_places,
    fmt,
    grade_label,
)
from .sections import (
    LostRow,
    by_goal,
    difference_rows,
    lost_rows,
    row_notes,
    title,
    warning_lines,
)

# Display widths (terminal columns) at which long texts wrap in the text table: the
# layout for a file or a wide terminal (the indicator table is then ~150 columns).
_WRAP = {"level1": 10, "level2": 12, "level3": 24, "target": 14, "actual": 18, "note": 44}
# The narrowest each may become to fit a terminal; below that the table scrolls instead.
_NARROWEST = {"level1": 4, "level2": 4, "level3": 8, "target": 6, "actual": 6, "note": 20}
# Columns of the indicator table that never wrap (row, numbers, status) with the gaps
# between its 11 columns; and of the explanation tables (row, name, three numbers, gaps).
_FIXED_INDICATOR = 56
_FIXED_NOTES = 60
_widths: contextvars.ContextVar[dict[str, int]] = contextvars.ContextVar("widths", default=_WRAP)


def _w(key: str) -> int:
    """The wrap width of a column in the report being rendered (see :func:`fit_widths`)."""
    return _widths.get()[key]


def _narrow() -> bool:
    """Whether the report is being fitted to a terminal narrower than the file layout."""
    return _widths.get()["note"] < _WRAP["note"] or _widths.get()["level3"] < _WRAP["level3"]


# Headers on two lines when the table must be narrow: 计算得分 → 计算 / 得分.
_HEADER_BREAKS = {
    "一级指标": "一级\n指标", "二级指标": "二级\n指标", "三级指标": "三级\n指标",
    "年度指标值": "年度\n指标值", "实际完成值": "实际\n完成值", "计算得分": "计算\n得分",
    "填报得分": "填报\n得分", "计入得分": "计入\n得分", "年初预算数": "年初\n预算数",
    "全年预算数(A)": "全年预算\n数(A)", "全年执行数(B)": "全年执行\n数(B)",
    "执行率(B/A)": "执行率\n(B/A)",
}  # fmt: skip


def _header_text(header: str) -> str:
    return _HEADER_BREAKS.get(header, header) if _narrow() else header


def fit_widths(columns: int | None) -> dict[str, int]:
    """Wrap widths so the widest tables fit ``columns`` terminal columns (None: the file layout).

    The indicator table's text columns shrink in proportion, each to no less than
    its narrowest; notes take what the explanation tables leave.  A number or an
    ASCII word is never split, so a very narrow terminal gets a table that scrolls.
    """
    if columns is None:
        return dict(_WRAP)
    texts = ("level1", "level2", "level3", "target", "actual")
    room = columns - _FIXED_INDICATOR
    wide = sum(_WRAP[k] for k in texts)
    widths = {k: max(_NARROWEST[k], min(_WRAP[k], _WRAP[k] * room // wide)) for k in texts}
    notes_room = columns - _FIXED_NOTES + _WRAP["level3"] - widths["level3"]
    widths["note"] = max(_NARROWEST["note"], min(_WRAP["note"], notes_room))
    return widths


# --- the text table -------------------------------------------------------------------


def render_table(
    evaluation: Evaluation,
    *,
    document: Document | None = None,
    findings: Sequence[Finding] = (),
    width: int | None = None,
) -> str:
    """Render the 自评表 as aligned text: header, execution, indicators, totals, explanations.

    ``width`` is the terminal's width in columns: long texts wrap so the tables fit
    it (see :func:`fit_widths`); None keeps the full layout, for files.
    """
    token = _widths.set(fit_widths(width))
    try:
        # Cell texts reach a terminal: no escape sequence or control passes (see _safe).
        return safe_text(_render_table(evaluation, document, findings))
    finally:
        _widths.reset(token)


def _render_table(
    evaluation: Evaluation, document: Document | None, findings: Sequence[Finding]
) -> str:
    places = display_places(evaluation)
    sections = [
        _execution_section(evaluation.execution, document, places),
        _indicator_section(evaluation, places),
        _totals_section(evaluation, places),
        _level_section(evaluation, places),
        _lost_section(evaluation, document, places),
        _differences_section(evaluation, document, places),
        _reviewer_section(evaluation, places),
        _review_section(evaluation),
        _notes_section(evaluation),
        _warnings_section(evaluation, document),
        _findings_section(findings),
    ]
    numbered = [f"{_NUMERALS[n]}、{s}" for n, s in enumerate(filter(None, sections))]
    return "\n\n".join([_header(evaluation, document), *numbered]) + "\n"


def _grid(rows: list[list[str]], headers: Sequence[str], numeric: Sequence[int] = ()) -> str:
    align = ["right" if i in numeric else "left" for i in range(len(headers))]
    # A row whose text is printable but for its line breaks is safe as it is (safe_text
    # would give every cell back unchanged): one check a row instead of one a cell.
    rows = [
        row
        if "".join(row).replace("\n", "").isprintable()
        else [safe_text(c) if isinstance(c, str) else c for c in row]
        for row in rows
    ]
    return simple_grid(rows, headers, align)


_wrap = wrap  # every wrapped cell of the report (hundreds of thousands in a big one)


def _header(evaluation: Evaluation, document: Document | None) -> str:
    scheme = evaluation.scheme
    lines = [title(evaluation, document)]
    if not evaluation.graded:
        # First, before any number: a total from a partial read must not be trusted.
        lines.append(f"【不评定等级 NOT GRADED】{evaluation.not_graded_reason}")
    lines.extend(f"【请核对 CHECK】{note}" for note in evaluation.verdict.notes)
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
    headers = [_header_text(h) for h in [*headers, "填报得分", "计入得分"]]
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
            label = f"【{goal}】"
            # Narrow: the goal heading goes in the widest text column instead of 一级.
            heading = ["", "", "", label] if _narrow() else ["", label, "", ""]
            rows.append([*heading, *[""] * 7])
        rows.extend(_indicator_rows(scores, places))
        rows.append(_subtotal_row(f"{goal or '指标'}小计", scores, places))
    headers = [_header_text(h) for h in _INDICATOR_HEADERS]
    table = _grid(rows, headers, numeric=(0, 6, 7, 8, 9))
    return f"年度指标完成情况\n{table}"


def _indicator_rows(scores: Sequence[Score], places: int) -> list[list[str]]:
    rows, previous = [], ("", "")
    # The wrap widths, read once (a big report has a hundred thousand rows).
    widths = _widths.get()
    w1, w2, w3 = widths["level1"], widths["level2"], widths["level3"]
    wt, wa = widths["target"], widths["actual"]
    for score in scores:
        i = score.indicator
        level1 = i.level1 if i.level1 != previous[0] else ""
        level2 = i.level2 if (i.level1, i.level2) != previous else ""
        previous = (i.level1, i.level2)
        status = STATUS_LABELS[score.status] + ("≠" if score.differs else "")
        rows.append(
            [
                str(i.row),
                _wrap(level1, w1),
                _wrap(level2, w2),
                _wrap(i.level3, w3),
                _wrap(i.target, wt),
                _wrap(i.actual, wa),
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
    lines = [f"总分与等级\n{table}", f"{grade_label(evaluation)}：{grade}"]
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
    name_width, note_width = _w("level3"), _w("note")
    rows = [
        [
            "" if r.row is None else str(r.row),
            _wrap(r.name, name_width) if r.row is not None else r.name,
            _weight(r.weight),
            fmt(r.counted, places),
            fmt(r.points, places),
            _wrap(
                f"{r.explanation}。偏差原因：{r.reason}" if r.reason else r.explanation,
                note_width,
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
            _wrap(r.name, _w("level3")) if r.row is not None else r.name,
            fmt(r.computed, places),
            fmt(r.published, places),
            fmt(r.points, places),
            _wrap(_difference_note(r), _w("note")),
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


def _reviewer_section(evaluation: Evaluation, places: int) -> str:
    """自评 and 审核 side by side, when the file has a reviewer's column."""
    from ..review.reviewed import compare, has_review

    if not has_review(evaluation):
        return ""
    comparison = compare(evaluation)
    rows = [
        [
            str(r.row),
            _wrap(r.name, _w("level3")),
            _weight(r.weight),
            fmt(r.published, places),
            fmt(r.reviewed, places),
            fmt(r.computed, places) or _DASH,
            fmt(r.difference, places),
            _wrap(r.explanation, _w("note")),
        ]
        for r in comparison.rows
    ]
    headers = ["行", "三级指标", "分值", "自评得分", "审核得分", "方案得分", "审核−自评", "说明"]
    table = _grid(rows, headers, numeric=(0, 2, 3, 4, 5, 6))
    return f"自评与审核对照\n{table}\n{comparison.explanation}"


def _review_section(evaluation: Evaluation) -> str:
    rows = [
        [
            str(s.indicator.row),
            _wrap(s.indicator.level3, _w("level3")),
            _wrap(s.indicator.target, _w("target")),
            _wrap(s.indicator.actual, _w("actual")),
            _wrap(s.explanation, _w("note")),
        ]
        for s in evaluation.needs_review
    ]
    if not rows:
        return ""
    headers = ["行", "三级指标", "年度指标值", "实际完成值", "原因"]
    return f"需人工复核的指标\n{_grid(rows, headers, numeric=(0,))}"


def _notes_section(evaluation: Evaluation) -> str:
    """指标值来源、调整与评分标准: what the row's own columns said (issue 19)."""
    rows = [
        [
            str(s.indicator.row),
            _wrap(s.indicator.level3, _w("level3")),
            label,
            _wrap(text, _w("note")),
        ]
        for s in evaluation.scores
        for label, text in row_notes(s)
    ]
    if not rows:
        return ""
    return f"指标值来源、调整与评分标准\n{_grid(rows, ['行', '三级指标', '项目', '内容'], (0,))}"


def _warnings_section(evaluation: Evaluation, document: Document | None) -> str:
    lines = [f"- {line}" for line in warning_lines(evaluation, document)]
    if _narrow():
        width = _w("note") + _w("level3") + _w("target")
        lines = ["\n  ".join(_wrap(line, width).splitlines()) for line in lines]
    return "提示\n" + "\n".join(lines) if lines else ""


def _findings_section(findings: Sequence[Finding]) -> str:
    if not findings:
        return ""
    narrow = _narrow()  # a narrow terminal shows the Chinese name; the code stays in JSON
    names: dict[str, str] = {}  # a few codes, each wrapped once (a big file has thousands)
    for code in {f.code for f in findings}:
        names[code] = _wrap(finding_name(code), 8 if narrow else 12)
    text_width, note_width = _w("target") + _w("actual"), _w("note")
    rows = [
        [
            names[f.code],
            *([] if narrow else [f.code]),
            SEVERITY_LABELS[f.severity.value],
            "" if f.row is None else str(f.row),
            _wrap(f.text, text_width),
            _wrap(f.message, note_width),
        ]
        for f in findings
    ]
    headers = ["发现", *([] if narrow else ["代码"]), "级别", "行", "内容", "说明"]
    return f"复核发现\n{_grid(rows, headers, numeric=(2 if narrow else 3,))}"
