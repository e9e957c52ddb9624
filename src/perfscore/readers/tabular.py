"""Read indicator rows from a CSV file or an Excel (.xlsx) sheet.

The sheet holds one header row and one indicator per row below it::

    2024年度天津市科学技术局整体支出绩效自评表             <- optional title rows
    全年预算数(A) | 176875.03                             <- optional metadata rows
    绩效目标 | 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因…
    绩效目标1 | 产出指标 | 数量指标 | <name> | ≥10次 | 14次 | 1 | 1 |
              |          |          | <name> | ≥40项 | 40项 | 1 | 1 |   <- blanks carried down
    总分 | … | 100 | 93.95                                 <- optional metadata rows

The header row is the row among the first :data:`HEADER_SEARCH_ROWS` that
names the most known columns (:data:`perfscore.indicators.COLUMNS`: Chinese
or English, any order, unknown columns ignored).  Blank goal, 一级 and 二级
cells are carried down from the row above (a new goal resets the levels, a
new 一级 the 二级); merged Excel cells give their value to every cell they
cover.  A row whose only filled cell is a goal label (``绩效目标2``) sets the
goal; fully empty rows are skipped.  Rows are numbered as the spreadsheet
shows them (1-based).  CSV files may be UTF-8 (with or without BOM) or
GB18030, as Chinese Excel saves them.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
import re
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from ..documents import Diagnostic, Document, DocumentKind, Goal, Project, Severity
from ..errors import ReadError
from ..indicators import COLUMNS, Indicator, parse_decimal
from ..indicators import column_for_header as _column_for_header
from . import _cells, _files, _xlsx
from ._cells import (
    GOAL_LABEL,
    YEAR,
    UnsavedFormula,
    cell_text,
    unsaved_formula_message,
)
from ._cells import (
    fold_label as _fold_label,
)
from ._csv import csv_rows
from ._files import (
    check_archive,
    check_sheet_cells,
    decode_text,
    read_file_bytes,
    too_many_rows,
)
from ._xlsx import _shown

# Labels and headers repeat within a form (merged cells) and across a batch (one
# template): both functions are pure, so each distinct text is folded once.
fold_label = functools.lru_cache(maxsize=8192)(_fold_label)
column_for_header = functools.lru_cache(maxsize=8192)(_column_for_header)

__all__ = ["read_calamine_sheets", "read_csv", "read_tsv_text", "read_xlsx", "read_xlsx_sheets"]

HEADER_SEARCH_ROWS = 100
# A title such as 2024年度天津市科学技术局整体支出绩效自评表 names the department.
TITLE = re.compile(r"(?:19|20)\d\d\s*年度?(.+?)(?:部门)?(?:整体支出|项目支出)?绩效自评表")
# Fields whose blank cells are carried down from the row above, outermost first.
CARRIED = ("goal", "level1", "level2")
# Columns a sheet must have; a self-evaluation also needs a 分值 column.
REQUIRED = ("target",)
# Columns that hold a target (the plain one, or the original and adjusted ones).
TARGET_FIELDS = frozenset({"target", "initial_target", "adjusted_target"})
# Columns whose presence makes the sheet a self-evaluation rather than a target table.
EVALUATION_COLUMNS = frozenset({"actual", "weight", "score"})
# Metadata row labels (folded) → Document field.
METADATA: dict[str, str] = {
    "部门名称": "department",
    "单位名称": "department",
    "年初预算数": "initial_budget",
    "全年预算数": "budget",
    "全年执行数": "executed",
    "预算执行率得分": "execution_published",
    "预算执行率分值": "execution_weight",
    "执行率分值": "execution_weight",
    "总分": "published_total",
    "合计": "published_total",
    "项目名称": "project",
    "主管部门": "department",
    "主管单位": "department",
    "实施单位": "unit",
    "自评等级": "conclusion",
    "自评结论": "conclusion",
}
# 自评等级：优 / 自评等级:良 in one cell (the label and the published grade together).
GRADE_CELL = re.compile(r"\s*(?:自评等级|自评结论)\s*[:：]\s*(\S*)")
# Metadata kept as text; the rest are numbers.
TEXT_METADATA = frozenset({"department", "project", "unit", "conclusion"})

# The budget block of the official forms, labels across one row:
# 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分, values on the 年度资金总额 row.
BUDGET_LABELS: dict[str, str] = {
    "年初预算数": "initial_budget",
    "全年预算数": "budget",
    "全年执行数": "executed",
    "分值": "execution_weight",
    "得分": "execution_published",
}
BUDGET_TOTAL_ROWS = frozenset({"年度资金总额", "资金总额", "项目资金总额", "预算资金总额"})
# Sub-rows of the budget block: read (they belong to the form), not figures of the total.
BUDGET_SUB_ROWS = ("其中", "当年财政拨款", "上年结转资金", "其他资金", "财政拨款", "结转资金")
# 年度总体目标: a row naming these columns, then a row with the texts.
GOAL_HEADINGS = {"预期目标": "text", "实际完成情况": "achieved"}
# The label cell of the overall goal (merged down or across its rows).
GOAL_LABELS = frozenset({"年度总体目标", "总体目标", "项目年度总体目标", "部门年度总体目标"})
# Signature lines below a form: never indicator rows.
FOOTER_LABELS = (
    "填表人", "填报人", "制表人", "联系人", "联系电话", "填报日期", "填表日期", "单位负责人",
    "财务负责人", "项目负责人", "审核人", "复核人", "单位（盖章）", "单位盖章", "填报单位",
)  # fmt: skip

# A note written on a line of its own (备注：金额单位为万元): read, never an indicator row.
NOTE_LINE = re.compile(r"\s*(?:备注|附注|注释|注|说明|填表说明|金额单位|单位)\s*[:：]")
# Cells whose absence from a short line is worth a warning.
SHORT_LINE_FIELDS = ("target", "actual", "weight", "score")

NO_HEADER = (
    "未找到表头行：前 {n} 行中没有「三级指标」「年度指标值」「实际完成值」等列名；列名见"
    " docs/input-columns.md，可从 docs/templates/自评表模板.csv 开始填写"
    " (no header row found in the first {n} rows: columns such as 三级指标, 年度指标值 and"
    " 实际完成值 are needed; see docs/input-columns.md or start from docs/templates/)"
)
MISSING = (
    "缺少必需的列「{zh}」(missing required column: {en})：请在表头加上这一列，列名见"
    " docs/input-columns.md (add the column; names in docs/input-columns.md)"
)
NO_WEIGHTS = (
    "表中没有「分值」列：采用表中的得分，无法按方案计算得分，也不评定等级"
    " (no 分值 column: the published scores are kept, none can be computed, and no grade is given)"
)
BAD_METADATA = "不是有效数字 (not a number)"
BAD_XLSX = (
    "无法打开 Excel 文件：文件已损坏，或并非它的扩展名所示的格式；"
    "请用 Excel 或 WPS 打开后另存为 .xlsx"
    " (cannot open the Excel file: it is damaged or not what its name says; open it in Excel"
    " and save it as .xlsx)"
)
NO_SHEET = "工作表「{sheet}」不存在 (no sheet named {sheet!r}; sheets: {names})"


def read_csv(path: str | os.PathLike[str]) -> Document:
    """Read a CSV file of indicator rows (UTF-8, UTF-8 with BOM, UTF-16 or GB18030)."""
    file = os.fspath(path)
    text = decode_text(read_file_bytes(file), file)
    return _read_delimited(text, file, ",")


def read_tsv_text(text: str, *, file: str = "") -> Document:
    """Read text copied from a spreadsheet: tab-separated, quoted cells may hold newlines."""
    return _read_delimited(text, file, "\t")


def _read_delimited(text: str, file: str, delimiter: str) -> Document:
    notes: list[Diagnostic] = []
    document = read_rows(csv_rows(text, file, delimiter, notes), file=file)
    if not notes:
        return document
    return attrs.evolve(document, diagnostics=(*notes, *document.diagnostics))


def read_xlsx(
    path: str | os.PathLike[str], *, sheet: str | None = None, _engine: str = "auto"
) -> Document:
    """Read an Excel sheet of indicator rows (the active sheet unless ``sheet`` names one).

    Needs ``pip install 'perfscore[excel]'``.  python-calamine reads the values
    (:mod:`._xlsx`); a workbook it cannot read exactly as openpyxl does (an unsaved
    formula, an odd package) is read by openpyxl, as ``_engine="openpyxl"`` always is.
    """
    file = os.fspath(path)
    book = _xlsx.read_book(file) if _engine == "auto" else None
    if book is not None:
        index = book.active
        if sheet is not None:
            if sheet not in book.titles:
                names = ", ".join(book.titles)
                raise ReadError(NO_SHEET.format(sheet=sheet, names=names), file=file)
            index = book.titles.index(sheet)
        document = read_rows(book.sheets[index], file=file)
        return attrs.evolve(document, sheet=book.titles[index])
    workbook, formulas = _open_workbook(file)
    worksheet = _worksheet(workbook, sheet, file)
    document = read_rows(_sheet_rows(worksheet, formulas), file=file, formulas=bool(formulas))
    return attrs.evolve(document, sheet=worksheet.title)


def read_xlsx_sheets(
    path: str | os.PathLike[str], *, every_sheet: bool = False, _engine: str = "auto"
) -> list[Document]:
    """Read every sheet of a workbook that holds an indicator table, one Document each.

    Sheets without a header row (notes, instructions, empty sheets) are left out
    unless ``every_sheet`` (a batch reports each sheet with a status); a workbook
    with none gives the active sheet's Document, with its diagnostics.
    """
    file = os.fspath(path)
    book = _xlsx.read_book(file) if _engine == "auto" else None
    if book is not None:
        documents = [
            attrs.evolve(read_rows(rows, file=file), sheet=title)
            for title, rows in zip(book.titles, book.sheets, strict=True)
        ]
        if every_sheet:
            return documents
        found = [d for d in documents if d.indicators]
        return found or [documents[book.active]]
    workbook, formulas = _open_workbook(file)
    documents = [
        attrs.evolve(
            read_rows(_sheet_rows(worksheet, formulas), file=file, formulas=bool(formulas)),
            sheet=worksheet.title,
        )
        for worksheet in workbook.worksheets
    ]
    if every_sheet:
        return documents
    found = [d for d in documents if d.indicators]
    return found or [documents[workbook.index(workbook.active)]]


def read_calamine_sheets(
    path: str | os.PathLike[str], *, sheet: str | None = None, every_sheet: bool = False
) -> list[Document]:
    """Read ``.xls`` and ``.ods`` workbooks (every table sheet, or the one named) with calamine.

    Needs ``pip install 'perfscore[excel]'`` (python-calamine, a Rust reader).
    Cell values only: merged cells arrive as one value and blanks, which the
    carry-down of goal and level cells fills as it does for text.
    """
    file = os.fspath(path)
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        raise ReadError(
            "读取 .xls/.ods 文件需要 python-calamine，请运行 pip install 'perfscore[excel]' "
            "(reading .xls/.ods files needs python-calamine: pip install 'perfscore[excel]')",
            file=file,
        ) from None
    _check_calamine_file(file)
    try:
        workbook = CalamineWorkbook.from_path(file)
        names = list(workbook.sheet_names)
        if sheet is not None and sheet not in names:
            raise ReadError(NO_SHEET.format(sheet=sheet, names=", ".join(names)), file=file)
        wanted = [sheet] if sheet is not None else names
        tables = [(name, workbook.get_sheet_by_name(name).to_python()) for name in wanted]
    except ReadError:
        raise
    except Exception:  # calamine raises its own errors for corrupt files
        raise ReadError(BAD_XLSX, file=file) from None
    for _, rows in tables:
        if len(rows) > _files.MAX_ROWS:
            raise too_many_rows(file, len(rows), "工作表")
    documents = [attrs.evolve(read_rows(rows, file=file), sheet=name) for name, rows in tables]
    if every_sheet:
        return documents
    found = [d for d in documents if d.indicators]
    return found or documents[:1]


def _check_calamine_file(file: str) -> None:
    """The limits an ``.xls`` or ``.ods`` meets before calamine builds a single row."""
    if file.lower().endswith(".ods"):
        check_archive(file)
        _files.check_ods_cells(file)  # rows repeated two million times: counted, not built
        return
    # An .xls holds at most 65,536 rows × 256 columns; its size bounds what calamine builds.
    size = os.path.getsize(file)
    if size > _files.MAX_FILE_BYTES:
        read_file_bytes(file)  # raises the size error, naming the limit


def _open_workbook(file: str) -> tuple[Any, Any]:
    """The workbook's values, and its formulas when some were never computed and saved
    (else None): a second read, only then, to name each such cell and its formula."""
    try:
        import openpyxl
    except ImportError:
        raise ReadError(
            "读取 Excel 文件需要 openpyxl，请运行 pip install 'perfscore[excel]' "
            "(reading Excel files needs openpyxl: pip install 'perfscore[excel]')",
            file=file,
        ) from None
    check_archive(file)
    unsaved = check_sheet_cells(file)
    try:
        workbook = openpyxl.load_workbook(file, data_only=True)
        formulas = openpyxl.load_workbook(file, data_only=False) if unsaved else None
    except Exception:  # openpyxl raises zip, XML, key and value errors alike
        raise ReadError(BAD_XLSX, file=file) from None
    for worksheet in workbook.worksheets:
        rows, columns = _files.MAX_ROWS, _files.MAX_COLUMNS
        if worksheet.max_row > rows or worksheet.max_column > columns:
            raise _files.TooLargeError(
                f"工作表「{worksheet.title}」过大（{worksheet.max_row} 行 × {worksheet.max_column}"
                f" 列，上限 {rows} 行 × {columns} 列）；请删除表格下方或右侧的多余内容"
                f" (sheet too large: {worksheet.max_row} rows × {worksheet.max_column} columns;"
                " delete stray cells below or right of the table)",
                file=file,
            )
    return workbook, formulas


def _worksheet(workbook: Any, sheet: str | None, file: str) -> Any:
    if sheet is None:
        return workbook.active
    if sheet not in workbook.sheetnames:
        names = ", ".join(workbook.sheetnames)
        raise ReadError(NO_SHEET.format(sheet=sheet, names=names), file=file)
    return workbook[sheet]


def _sheet_rows(worksheet: Any, formulas: Any = None) -> list[list[object]]:
    """The sheet's values from row 1, a merged range's value copied into all its cells.

    With ``formulas`` (the workbook read for its formulas), an empty cell that holds
    a formula is an :class:`UnsavedFormula`, never an empty cell.
    """
    rows = [[_cell_value(cell) for cell in row] for row in worksheet.iter_rows()]
    if formulas is not None and worksheet.title in formulas.sheetnames:
        for row in formulas[worksheet.title].iter_rows():
            for cell in row:
                text = cell.value
                if isinstance(text, str) and text.startswith("=") and len(rows) >= cell.row:
                    values = rows[cell.row - 1]
                    if cell.column <= len(values) and values[cell.column - 1] is None:
                        values[cell.column - 1] = UnsavedFormula(text, cell.coordinate)
    for merged in worksheet.merged_cells.ranges:
        value = rows[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row - 1, merged.max_row):
            for c in range(merged.min_col - 1, merged.max_col):
                rows[r][c] = value
    return rows


def _cell_value(cell: Any) -> object:
    """A cell's value; numbers shown as percent become ``"95%"``, dates ``"2024-12-31"``."""
    value = cell.value
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    return _shown(value, (cell.number_format or "") if is_number else "")


# --- rows → Document --------------------------------------------------------------


@attrs.define
class _Sheet:
    """What the reader knows while it walks down the rows below the header."""

    file: str
    columns: dict[str, int]
    headers: dict[str, str]
    width: int = 0  # cells a row needs to reach every known column
    carried: dict[str, str] = attrs.Factory(dict)
    meta: dict[str, object] = attrs.Factory(dict)
    row_cells: list[str] = attrs.Factory(list)  # the row being read, for the 总分 row's 分值
    total_row: int | None = None  # the last 总分/合计 row, flagged if indicators follow it
    budget_columns: dict[int, str] = attrs.Factory(dict)
    goal_columns: dict[int, str] = attrs.Factory(dict)
    goals: list[Goal] = attrs.Factory(list)
    indicators: list[Indicator] = attrs.Factory(list)
    diagnostics: list[Diagnostic] = attrs.Factory(list)
    # Decided once from the header (_open_sheet): where each part of an indicator row is.
    row_plan: _cells.RowPlan | None = None
    carried_at: tuple[tuple[int, str, int], ...] = ()  # (depth in CARRIED, field, column)
    text_at: tuple[int, ...] = ()  # the target and actual columns, for _has_indicator_text


def read_rows(
    rows: Iterable[Sequence[object]], *, file: str = "", formulas: bool = False
) -> Document:
    """Read a table given as rows of cell values (row N, 1-based, is the Nth row given).

    ``rows`` may be a generator: only the first :data:`HEADER_SEARCH_ROWS` rows
    are held to find the header; the rest are read one at a time.  ``formulas``
    says that some cells may be :class:`UnsavedFormula` values, each reported.
    """
    rows = iter(rows)
    head = list(itertools.islice(rows, HEADER_SEARCH_ROWS))
    # Each cell's text is made once: the header search, the rows above it and the
    # indicator rows all read these lists.
    head_texts = [_texts(row) for row in head]
    at = _find_header(head_texts)
    if at is None:
        diagnostic = Diagnostic(NO_HEADER.format(n=HEADER_SEARCH_ROWS), file=file)
        return Document(path=file, kind=DocumentKind.TARGET_TABLE, diagnostics=(diagnostic,))
    sheet = _open_sheet(head_texts[at], file)
    for number, cells in enumerate(head_texts[:at], start=1):
        _read_above(sheet, number, cells)
        if formulas:
            _report_formulas(sheet, number, head[number - 1], len(sheet.diagnostics))
    if formulas:
        _report_formulas(sheet, at + 1, head[at], len(sheet.diagnostics))
    number = at + 2
    for row, cells in zip(head[at + 1 :], head_texts[at + 1 :], strict=True):
        before = len(sheet.diagnostics)
        _read_row(sheet, number, row, cells)
        if formulas:
            _report_formulas(sheet, number, row, before)
        number += 1
    for row in rows:
        before = len(sheet.diagnostics)
        _read_row(sheet, number, row, _texts(row))
        if formulas:
            _report_formulas(sheet, number, row, before)
        number += 1
    return _document(sheet)


def _report_formulas(sheet: _Sheet, number: int, row: Sequence[object], since: int) -> None:
    """Report each unsaved formula of a row not yet reported (by the indicator row reader)."""
    told = {d.text for d in sheet.diagnostics[since:] if d.row == number}
    seen: set[str] = set()
    for cell in row:
        if isinstance(cell, UnsavedFormula) and cell.address not in seen and cell not in told:
            seen.add(cell.address)  # a merged range repeats its first cell
            # Outside the indicator cells (a 总分 =SUM(…), an 执行率): the figure is unknown,
            # the rows are still scored; a warning, where an indicator's own cell is an error.
            message = unsaved_formula_message(cell)
            sheet.diagnostics.append(
                Diagnostic(message, Severity.WARNING, sheet.file, number, cell.address, str(cell))
            )


def _texts(row: Sequence[object]) -> list[str]:
    """Each cell's :func:`cell_text` (a text cell, the common case, is stripped here)."""
    return [v.strip() if type(v) is str else "" if v is None else cell_text(v) for v in row]


def _find_header(rows: Sequence[list[str]]) -> int | None:
    """Index of the row naming the most known columns (at least two) near the top.

    ``rows`` are the rows' texts; a row counts the distinct fields its cells name, and
    the first row of the highest count wins.  A row with no more filled cells than the
    best count so far cannot name more fields: it is not looked at.
    """
    best, found = 0, 0
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if len(cells) - cells.count("") <= best:
            continue
        fields = set(map(column_for_header, filter(None, cells)))
        fields.discard(None)
        if len(fields) > best:
            best, found = len(fields), index
    return found if best >= 2 else None


def _header_fields(cells: list[str]) -> dict[str, int]:
    """Field → column index of the first cell naming it."""
    fields: dict[str, int] = {}
    for i, cell in enumerate(cells):
        field = column_for_header(cell) if cell else None
        if field is not None and field not in fields:
            fields[field] = i
    return fields


def _open_sheet(cells: list[str], file: str) -> _Sheet:
    """The sheet as its header row (``cells``, its texts) lays it out."""
    columns = _header_fields(cells)
    sheet = _Sheet(file, columns, {f: cells[i] for f, i in columns.items()})
    sheet.width = max(columns.values(), default=0) + 1
    # The headers named in an indicator row's diagnostics: a carried field without a
    # column of its own is named by its first Chinese name.
    named = sheet.headers | {f: COLUMNS[f][0] for f in CARRIED if f not in sheet.headers}
    sheet.row_plan = _cells.RowPlan(columns, named, file)
    sheet.carried_at = tuple(
        (depth, field, columns[field]) for depth, field in enumerate(CARRIED) if field in columns
    )
    sheet.text_at = tuple(
        columns[field]
        for field in ("target", "actual", "initial_target", "adjusted_target")
        if field in columns
    )
    for field in REQUIRED:
        if field not in columns and not TARGET_FIELDS & columns.keys():
            message = MISSING.format(zh=COLUMNS[field][0], en=field)
            sheet.diagnostics.append(Diagnostic(message, file=file, column=COLUMNS[field][0]))
    if _is_evaluation(columns) and "weight" not in columns:
        # Some published forms print only 得分: keep those scores, compute none.
        sheet.diagnostics.append(
            Diagnostic(
                NO_WEIGHTS, file=file, column=COLUMNS["weight"][0], severity=Severity.WARNING
            )
        )
    return sheet


def _is_evaluation(columns: dict[str, int]) -> bool:
    return bool(EVALUATION_COLUMNS & columns.keys())


def _read_above(sheet: _Sheet, number: int, cells: list[str]) -> None:
    """Title and metadata rows above the header: year, names, budget block, overall goal."""
    if _read_budget_block(sheet, number, cells) or _read_goal_block(sheet, cells):
        return
    if _read_metadata(sheet, number, cells):
        return
    for cell in cells:
        year, title = YEAR.search(cell), TITLE.search(cell)
        if year and "year" not in sheet.meta:
            sheet.meta["year"] = int(year.group(1))
        if title and "department" not in sheet.meta:
            sheet.meta["department"] = title.group(1)


def _read_row(sheet: _Sheet, number: int, row: Sequence[object], cells: list[str]) -> None:
    """Read one row below the header; ``cells`` are its texts (:func:`_texts`, padded here)."""
    filled = [c for c in cells if c]
    if not filled:
        return
    single = len(filled) == 1
    width = sheet.width
    if len(cells) < width:
        # A short line (a hand-edited CSV): the missing cells are empty, and said so when
        # they are cells that matter.
        missing = [
            sheet.headers[f] for f in SHORT_LINE_FIELDS if sheet.columns.get(f, 0) >= len(cells)
        ]
        if missing and not (single and NOTE_LINE.match(filled[0])):
            sheet.diagnostics.append(
                Diagnostic(
                    f"本行只有 {len(cells)} 个单元格，少于表头的 {width} 列，"
                    f"「{'、'.join(missing)}」按空白读取 (a short line: {len(cells)} cells for"
                    f" {width} columns; the missing ones are read as empty)",
                    Severity.WARNING, sheet.file, number, text=",".join(cells)[:60],
                )
            )  # fmt: skip
        cells += [""] * (width - len(cells))
    sheet.row_cells = cells
    if single and NOTE_LINE.match(filled[0]):
        sheet.diagnostics.append(
            Diagnostic(
                f"说明行，不是指标行 (a note line, not an indicator): {filled[0]}",
                Severity.INFO, sheet.file, number, text=filled[0][:60],
            )
        )  # fmt: skip
        return
    if _has_indicator_text(sheet, cells, filled[0]):
        if METADATA.get(fold_label(filled[0])) is not None:
            # A row is metadata by its shape, not by the word in its first cell.
            sheet.diagnostics.append(
                Diagnostic(
                    f"首格为「{filled[0]}」但有指标值，按指标行读取"
                    f" (a row starting with {filled[0]!r} holds a target: read as an indicator)",
                    file=sheet.file, row=number, severity=Severity.WARNING,
                )
            )  # fmt: skip
    elif _read_metadata(sheet, number, cells):
        if METADATA.get(fold_label(filled[0])) == "published_total":
            sheet.total_row = number
        return
    if sheet.total_row is not None and sheet.indicators:
        sheet.diagnostics.append(
            Diagnostic(
                f"第{sheet.total_row}行的总分/合计位于指标中间，其后各行照常读取；请核对总分"
                " (a total row stands inside the table: later rows are read; check the total)",
                file=sheet.file, row=sheet.total_row, severity=Severity.WARNING,
            )
        )  # fmt: skip
        sheet.total_row = None
    if _is_footer(filled):
        text = "　".join(filled)
        sheet.diagnostics.append(
            Diagnostic(
                f"表尾签署栏，不是指标行 (footer, not an indicator): {text}",
                file=sheet.file,
                row=number,
                severity=Severity.INFO,
            )
        )
        return
    if single and _is_goal_only(sheet, cells):
        _carry(sheet, ((CARRIED.index("goal"), "goal", filled[0]),))
        return
    _carry(sheet, [(depth, field, cells[at]) for depth, field, at in sheet.carried_at])
    assert sheet.row_plan is not None
    sheet.indicators.append(
        sheet.row_plan.indicator(row, cells, sheet.carried, number, sheet.diagnostics)
    )


def _has_indicator_text(sheet: _Sheet, cells: list[str], first: str) -> bool:
    """Whether the row has a target or an actual: then it is an indicator, whatever else.

    A label such as 总分 merged over the target and actual columns (A:F on the official
    form) fills them with copies of itself: a copy of a label is not a target.  ``first``
    is the row's first filled cell.
    """
    for at in sheet.text_at:
        text = cells[at] if at < len(cells) else ""
        if not text:
            continue
        copy = text == first and METADATA.get(fold_label(text)) is not None
        # (GRADE_CELL matches only a text holding 自评等级 or 自评结论)
        if not copy and not ("自评" in text and GRADE_CELL.match(text)):
            return True
    return False


def _is_goal_only(sheet: _Sheet, cells: list[str]) -> bool:
    """Whether the row's one filled cell is a goal label or sits in the goal column."""
    goal_at = sheet.columns.get("goal")
    return any(c and (GOAL_LABEL.fullmatch(c) or i == goal_at) for i, c in enumerate(cells))


def _carry(sheet: _Sheet, given: Iterable[tuple[int, str, str]]) -> None:
    """Carry blank goal/level cells down; a new outer value resets the inner ones.

    ``given`` is (depth in CARRIED, field, the row's text) for the fields the row has,
    outermost first.
    """
    carried = sheet.carried
    for depth, field, value in given:
        if value and value != carried.get(field, ""):
            carried[field] = value
            for inner in CARRIED[depth + 1 :]:
                carried[inner] = ""


def _read_metadata(sheet: _Sheet, number: int, cells: list[str]) -> bool:
    """Read ``label | value`` pairs such as ``全年预算数(A) | 176875.03`` or
    ``主管部门 | X | 实施单位 | Y``; False if the row's first cell is no such label."""
    filled = [(i, c) for i, c in enumerate(cells) if c]
    if not filled or METADATA.get(fold_label(filled[0][1])) is None:
        return False
    for at, (_, cell) in enumerate(filled):
        grade = GRADE_CELL.match(cell)
        if grade and grade.group(1):
            # 自评等级：优 written inside the 总分 row (or any metadata row): the published grade.
            sheet.meta.setdefault("conclusion", grade.group(1).strip())
            continue
        field = METADATA.get(fold_label(cell))
        if field is None:
            continue
        # The value is the cell after the label: 主管部门 | X | 实施单位 | Y holds two pairs.
        rest = [c for _, c in filled[at + 1 :]]
        _store_metadata(sheet, number, field, cell, _metadata_text(sheet, field, cells, rest))
    return True


def _store_metadata(sheet: _Sheet, number: int, field: str, label: str, text: str) -> None:
    if field in TEXT_METADATA:
        sheet.meta.setdefault(field, text)
        return
    if field == "published_total":
        weight_at = sheet.columns.get("weight")
        if weight_at is not None and weight_at < len(sheet.row_cells):
            with contextlib.suppress(ValueError):
                sheet.meta["full_marks"] = parse_decimal(sheet.row_cells[weight_at])
    try:
        sheet.meta[field] = parse_decimal(text)
    except ValueError:
        sheet.diagnostics.append(
            Diagnostic(BAD_METADATA, file=sheet.file, row=number, column=label, text=text)
        )


def _read_budget_block(sheet: _Sheet, number: int, cells: list[str]) -> bool:
    """The horizontal budget block: its label row, its 年度资金总额 row and sub-rows."""
    folded = [fold_label(c) for c in cells]
    labels = {i: BUDGET_LABELS[f] for i, f in enumerate(folded) if f in BUDGET_LABELS}
    if sum(f in ("initial_budget", "budget", "executed") for f in labels.values()) >= 2:
        sheet.budget_columns = labels
        return True
    if not sheet.budget_columns:
        return False
    if any(f in BUDGET_TOTAL_ROWS for f in folded):
        for column, field in sheet.budget_columns.items():
            text = cells[column] if column < len(cells) else ""
            if text and text not in ("—", "-", "/"):
                _store_metadata(sheet, number, field, field, text)
        return True
    return any(f.startswith(BUDGET_SUB_ROWS) for f in folded if f)


def _read_goal_block(sheet: _Sheet, cells: list[str]) -> bool:
    """年度总体目标, wherever the form puts it.

    A row naming 预期目标 and 实际完成情况, then the row with their texts (the official
    layout); the same labels with each text beside its label on one row; or the label
    年度总体目标 with the goal (and what was achieved) in the cells after it.
    """
    folded = [fold_label(c) for c in cells]
    headings = {i: GOAL_HEADINGS[f] for i, f in enumerate(folded) if f in GOAL_HEADINGS}
    if len(headings) == len(GOAL_HEADINGS):
        beside = _texts_beside(cells, folded, headings)
        if any(beside.values()):
            sheet.goals.append(Goal("年度总体目标", beside["text"], beside["achieved"]))
        else:
            sheet.goal_columns = headings
        return True
    if sheet.goal_columns:
        texts = {
            field: cells[column]
            for column, field in sheet.goal_columns.items()
            if column < len(cells)
        }
        sheet.goal_columns = {}
        sheet.goals.append(Goal("年度总体目标", texts.get("text", ""), texts.get("achieved", "")))
        return True
    labels = [f for f in folded if f]
    if not labels or labels[0] not in GOAL_LABELS:
        return False
    distinct: list[str] = []
    for cell, label in zip(cells, folded, strict=True):
        if cell and label not in GOAL_LABELS and cell not in distinct:
            distinct.append(cell)  # merged cells repeat their text: each text once
    if distinct:
        sheet.goals.append(Goal("年度总体目标", distinct[0], "\n".join(distinct[1:])))
    return True


def _texts_beside(cells: list[str], folded: list[str], headings: dict[int, str]) -> dict[str, str]:
    """预期目标 | <text> | 实际完成情况 | <text>: each label's first text to its right."""
    found = dict.fromkeys(GOAL_HEADINGS.values(), "")
    for column, field in headings.items():
        for cell, label in zip(cells[column + 1 :], folded[column + 1 :], strict=True):
            if label in GOAL_HEADINGS:
                break
            if cell and label not in GOAL_LABELS:
                found[field] = cell
                break
    return found


def _is_footer(filled: list[str]) -> bool:
    """Whether a row is the form's signature lines (填表人：张三 | 联系电话：…)."""
    return fold_label(filled[0]).startswith(FOOTER_LABELS)


def _metadata_text(sheet: _Sheet, field: str, cells: list[str], rest: list[str]) -> str:
    """The value of a metadata row: for 总分 the 得分 cell, else the first cell after the label."""
    score_at = sheet.columns.get("score")
    if field == "published_total" and score_at is not None and score_at < len(cells):
        return cells[score_at]
    return rest[0] if rest else ""


def _document(sheet: _Sheet) -> Document:
    department = str(sheet.meta.pop("department", ""))
    name = str(sheet.meta.pop("project", "")) or department
    unit = str(sheet.meta.pop("unit", ""))
    kind = (
        DocumentKind.SELF_EVALUATION if _is_evaluation(sheet.columns) else DocumentKind.TARGET_TABLE
    )
    project = Project(
        name=name, unit=unit, goals=tuple(sheet.goals), indicators=tuple(sheet.indicators)
    )
    return Document(
        path=sheet.file,
        kind=kind,
        projects=(project,),
        department=department,
        diagnostics=tuple(sheet.diagnostics),
        **sheet.meta,  # type: ignore[arg-type]
    )
