"""What the batch summary workbook shows a reviewer: headers, status words, numbers and layout.

A 财政 reviewer opens the summary in Excel or WPS: the default profile (``zh``) gives
Chinese headers and status words (已评分 / 需复核 / 空表 / 读取失败 / 未读取), totals and scores as
numbers with the decimal places ``perfscore score`` shows, column widths, a frozen
header row, an auto-filter and A4 landscape printing one page wide.  The ``en``
profile keeps the column keys and status values programs use.  How the workbook is
opened and saved is :mod:`.summary`'s; this module only fills and styles cells.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from .._safe import starts_formula
from ..report._common import STATUS_LABELS, clean_text
from ..report.xlsx import set_number, set_text
from ..score.scoring import Status

__all__ = ["LANGS", "finish", "header", "prepare", "row_cells", "status_word"]

LANGS = ("zh", "en")

# Column key → (Chinese header, width in characters).  English headers are the keys.
COLUMNS: dict[str, tuple[str, int]] = {
    "status": ("状态", 10),
    "file": ("文件", 36),
    "sheet": ("工作表", 14),
    "unit": ("单位", 24),
    "project": ("项目", 30),
    "total": ("总分", 9),
    "grade": ("等级", 8),
    "indicators": ("指标数", 8),
    "needs_review": ("需复核行数", 11),
    "findings_error": ("错误", 7),
    "findings_warning": ("警告", 7),
    "findings_info": ("提示", 7),
    "reason": ("说明", 60),
    "row": ("行", 6),
    "goal": ("绩效目标", 12),
    "level1": ("一级指标", 12),
    "level2": ("二级指标", 14),
    "level3": ("三级指标", 30),
    "target": ("年度指标值", 16),
    "actual": ("实际完成值", 16),
    "weight": ("分值", 7),
    "published": ("填报得分", 9),
    "computed": ("计算得分", 9),
    "counted": ("计入得分", 9),
    "explanation": ("计分说明", 50),
    "warnings": ("提示信息", 40),
}
# Project statuses (scale.summary) and indicator statuses (score.scoring) in Chinese.
_PROJECT_STATUS = {
    "scored": "已评分",
    "needs_review": "需复核",
    "empty": "空表",
    "failed": "读取失败",
    "skipped": "未读取",
}
_STATUS_WORDS = {**{s.value: STATUS_LABELS[s] for s in Status}, **_PROJECT_STATUS}
_NOT_GRADED = {"zh": "未评级", "en": "not graded"}
# Columns of scores, shown with the scheme's places; weights are shown as written.
_SCORES = frozenset({"total", "published", "computed", "counted"})
_WRAPPED = frozenset({"reason", "explanation", "warnings", "level3", "project", "file"})


def status_word(status: str, lang: str) -> str:
    """The word a reviewer reads for a project or indicator status: 已评分 for ``scored``."""
    return _STATUS_WORDS.get(status, status) if lang == "zh" else status


def prepare(sheet: Any, columns: Sequence[str], lang: str) -> None:
    """Set widths, the frozen header and fit-to-page: a write-only sheet writes them before
    its first row, so they cannot wait for :func:`finish`."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    for n, column in enumerate(columns, start=1):
        width = COLUMNS.get(column, (column, 12))[1]
        sheet.column_dimensions[get_column_letter(n)].width = width if lang == "zh" else width + 4
    sheet.freeze_panes = "A2"
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def header(sheet: Any, columns: Sequence[str], lang: str) -> list[Any]:
    """The header row: bold on a light fill, wrapped, in the profile's language."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill

    cells = []
    for column in columns:
        text = COLUMNS.get(column, (column, 0))[0] if lang == "zh" else column
        cell = WriteOnlyCell(sheet, text)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cells.append(cell)
    return cells


def row_cells(
    sheet: Any,
    row: dict[str, Any],
    columns: Sequence[str],
    lang: str,
    places: int,
    styles: dict[str, Any] | None = None,
) -> list[Any]:
    """One row's cells: numbers as numbers (scores with ``places`` decimals), texts as texts.

    ``styles`` (one dict per workbook, kept by the writer) remembers the wrapped cells'
    alignment once the first has registered it: later cells get its id without building
    and hashing an ``Alignment`` each (most of a summary row's time), the same style.
    """
    from openpyxl.cell import Cell, WriteOnlyCell
    from openpyxl.styles import Alignment

    wrapped = styles.get("wrap") if styles is not None else None
    cells: list[Any] = []
    for column in columns:
        value = row.get(column)
        wrap = column in _WRAPPED
        if not wrap and not isinstance(value, Decimal):
            # A cell with no style is handed over as its value: openpyxl binds it to a
            # cell exactly as assigning it to a WriteOnlyCell would, without building one.
            if value is None or (isinstance(value, int) and not isinstance(value, bool)):
                cells.append(value)
                continue
            text = clean_text(_text(column, str(value), lang))  # what set_text writes
            if len(text) <= _PLAIN_TEXT and not starts_formula(text):
                cells.append(text)
                continue
        cell = (
            Cell(sheet, row=1, column=1, style_array=wrapped)
            if wrap and wrapped is not None
            else WriteOnlyCell(sheet)
        )
        if isinstance(value, Decimal):
            own = value.as_tuple().exponent
            shown = max(places, -own if isinstance(own, int) and own < 0 else 0)
            number_format = (
                ("0." + "0" * shown if shown else "0") if column in _SCORES else "General"
            )
            set_number(cell, value, number_format)
        elif isinstance(value, int) and not isinstance(value, bool):
            cell.value = value
        elif value is not None:
            set_text(cell, _text(column, str(value), lang))
        if wrap and wrapped is not None:
            cell._style.alignmentId = wrapped.alignmentId  # as assigning it below would
        elif wrap:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if styles is not None:  # the registered alignment's id, and nothing else
                wrapped = styles["wrap"] = type(cell._style)()
                wrapped.alignmentId = cell._style.alignmentId
        cells.append(cell)
    return cells


# Texts up to this long are handed over plain (far below XLSX's 32,767 characters).
_PLAIN_TEXT = 1000


def _text(column: str, value: str, lang: str) -> str:
    if column == "status":
        return status_word(value, lang)
    if column == "grade" and value.startswith(_NOT_GRADED["zh"]):
        return _NOT_GRADED[lang]
    return clean_text(value)


def finish(sheet: Any, columns: Sequence[str], rows: int) -> None:
    """Filter over the header, and print on A4 landscape one page wide, header on each page."""
    from openpyxl.utils import get_column_letter

    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(rows, 1) + 1}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"  # A4 (openpyxl: Worksheet.PAPERSIZE_A4)
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
