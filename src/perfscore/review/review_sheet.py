"""复核表: a workbook a reviewer fills in, with the unit's own cells locked.

:func:`build_review_sheet` writes one sheet, 复核表, laid out so that
:func:`perfscore.readers.read` reads it back (``perfscore score`` / ``audit``):

- label | value rows above the table: 项目名称, 主管部门, 全年预算数, 全年执行数,
  预算执行率分值, 预算执行率得分 (as the unit published them);
- the indicator table: 行号, 绩效目标, 一级/二级/三级指标, 年度指标值, 实际完成值, 分值,
  得分 (the unit's), 方案得分 and 得分说明 (perfscore's, for reference), 偏差原因分析及改进措施,
  then **审核得分** and **审核意见**, the reviewer's;
- a 总分 row with the unit's published total.

The sheet is protected (no password: protection stops slips, not people): every
cell is locked except 审核得分 and 审核意见 of each indicator row.  审核得分 has data
validation — a decimal between 0 and the row's 分值 — so Excel refuses 35 on a
30-point row.  Rows the scheme could not score and rows flagged for a human
deduction (:func:`.reviewed.deduction_flags`) are shaded, with the reason in 得分说明.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from ..documents import Document
from ..parse.values import format_decimal
from ..score.rollup import Evaluation
from ..score.scoring import Score, Status
from .reviewed import FLAG_NAMES, deduction_flags

__all__ = ["REVIEW_COLUMNS", "SHEET_TITLE", "build_review_sheet"]

SHEET_TITLE = "复核表"
# (header, width, field); the reviewer's two columns come last.
REVIEW_COLUMNS: tuple[tuple[str, float, str], ...] = (
    ("行号", 6, "row"),
    ("绩效目标", 12, "goal"),
    ("一级指标", 10, "level1"),
    ("二级指标", 12, "level2"),
    ("三级指标", 24, "level3"),
    ("年度指标值", 14, "target"),
    ("实际完成值", 16, "actual"),
    ("分值", 7, "weight"),
    ("得分", 7, "published"),
    ("方案得分", 8, "computed"),
    ("得分说明", 36, "explanation"),
    ("偏差原因分析及改进措施", 26, "reason"),
    ("审核得分", 9, "reviewed"),
    ("审核意见", 30, "review_note"),
)
_OPEN = ("reviewed", "review_note")
_SHADE = "FFF2CC"  # rows a reviewer should look at: flagged or needing review
_OPEN_FILL = "E2EFDA"  # the cells the reviewer fills in


def _label_rows(evaluation: Evaluation, document: Document | None) -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = []
    if document is not None:
        project = document.projects[0] if len(document.projects) == 1 else None
        if project is not None and project.name:
            rows.append(("项目名称", project.name))
        if document.department:
            rows.append(("主管部门", document.department))
    execution = evaluation.execution
    if execution is not None:
        rows += [
            ("全年预算数", execution.budget),
            ("全年执行数", execution.executed),
            ("预算执行率分值", execution.weight),
        ]
        if execution.published is not None:
            rows.append(("预算执行率得分", execution.published))
    return rows


def _cells(score: Score) -> dict[str, Any]:
    i = score.indicator
    flags = deduction_flags(score)
    explanation = score.explanation
    if flags:
        explanation += "；提请人工判断扣分：" + "；".join(FLAG_NAMES[f] for f in flags)
    return {
        "row": i.row,
        "goal": i.goal,
        "level1": i.level1,
        "level2": i.level2,
        "level3": i.level3,
        "target": i.target,
        "actual": i.actual,
        "weight": i.weight,
        "published": i.published,
        "computed": score.computed,
        "explanation": explanation,
        "reason": i.reason,
        "reviewed": i.reviewed,
        "review_note": i.review_note,
        "_shade": bool(flags) or score.status is Status.NEEDS_REVIEW,
    }


def set_text(cell: Any, text: str) -> None:
    """Write text that no spreadsheet runs as a formula; characters XLSX cannot hold go."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)
    cell.value = text
    if text[:1] in _FORMULA_STARTS or text.lstrip()[:1] in _FORMULA_STARTS:
        cell.data_type = "s"
        cell.quotePrefix = True


def set_number(cell: Any, value: Decimal) -> None:
    """A number the double holds exactly is a number; any other stays whole, as text."""
    if Decimal(repr(float(value))) == value:
        cell.value = float(value)
    else:
        set_text(cell, format(value, "f"))


_FORMULA_STARTS = frozenset("=+-@")


def build_review_sheet(evaluation: Evaluation, document: Document | None = None) -> bytes:
    """The .xlsx bytes of the reviewer's workbook for one evaluated self-evaluation."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_TITLE
    year = (document.year if document else None) or evaluation.year
    title = f"{year}年度" if year else ""
    title += f"{document.department if document else ''}绩效自评复核表"
    set_text(sheet.cell(1, 1), title)
    sheet.cell(1, 1).font = Font(size=14, bold=True)
    row = 2
    for label, value in _label_rows(evaluation, document):
        set_text(sheet.cell(row, 1), label)
        if isinstance(value, Decimal):
            set_number(sheet.cell(row, 2), value)
        else:
            set_text(sheet.cell(row, 2), str(value))
        row += 1
    header_row = row + 1
    for column, (header, width, _) in enumerate(REVIEW_COLUMNS, start=1):
        cell = sheet.cell(header_row, column)
        set_text(cell, header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(column)].width = width
    fields = [field for _, _, field in REVIEW_COLUMNS]
    reviewed_column = get_column_letter(fields.index("reviewed") + 1)
    shade = PatternFill("solid", fgColor=_SHADE)
    open_fill = PatternFill("solid", fgColor=_OPEN_FILL)
    first = header_row + 1
    for offset, score in enumerate(evaluation.scores):
        r = first + offset
        values = _cells(score)
        for column, field in enumerate(fields, start=1):
            cell = sheet.cell(r, column)
            value = values[field]
            if isinstance(value, Decimal):
                set_number(cell, value)
            elif isinstance(value, int):
                cell.value = value
            elif value:
                set_text(cell, str(value))
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if field in _OPEN:
                cell.protection = Protection(locked=False)
                cell.fill = open_fill
            elif values["_shade"]:
                cell.fill = shade
        weight = score.indicator.weight if score.indicator.weight is not None else Decimal(0)
        validation = DataValidation(
            type="decimal",
            operator="between",
            formula1="0",
            formula2=format_decimal(weight),
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="审核得分超出范围",
            error=f"审核得分应在 0 至 {format_decimal(weight)}（本行分值）之间",
            promptTitle="审核得分",
            prompt=f"填写 0 至 {format_decimal(weight)} 的得分；留空表示认可自评得分",
            showInputMessage=True,
        )
        validation.add(f"{reviewed_column}{r}")
        sheet.add_data_validation(validation)
    total_row = first + len(evaluation.scores)
    set_text(sheet.cell(total_row, 1), "总分")
    full = evaluation.indicator_weight + (
        evaluation.execution.weight if evaluation.execution else Decimal(0)
    )
    set_number(sheet.cell(total_row, fields.index("weight") + 1), full)
    published = evaluation.published_total
    if published is None and all(s.published is not None for s in evaluation.scores):
        published = evaluation.total
    if published is not None:
        set_number(sheet.cell(total_row, fields.index("published") + 1), published)
    sheet.freeze_panes = sheet.cell(first, 1)
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # the reviewer may widen columns
    sheet.protection.formatRows = False
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
