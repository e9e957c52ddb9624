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

import csv
import datetime
import io
import os
import pathlib
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import attrs

from ..documents import Diagnostic, Document, DocumentKind, Project
from ..errors import ReadError
from ..indicators import COLUMNS, Indicator, column_for_header, parse_decimal
from .self_evaluation import GOAL_LABEL, YEAR, fold_label, indicator_from_row

__all__ = ["read_csv", "read_xlsx"]

HEADER_SEARCH_ROWS = 20
# A title such as 2024年度天津市科学技术局整体支出绩效自评表 names the department.
TITLE = re.compile(r"(?:19|20)\d\d\s*年度?(.+?)(?:部门)?(?:整体支出|项目支出)?绩效自评表")
# Encodings tried in order: UTF-8 (a BOM is dropped), then what Chinese Excel writes.
ENCODINGS = ("utf-8-sig", "gb18030")
# Fields whose blank cells are carried down from the row above, outermost first.
CARRIED = ("goal", "level1", "level2")
# Columns a sheet must have; a self-evaluation also needs a 分值 column.
REQUIRED = ("target",)
REQUIRED_SELF_EVALUATION = ("weight",)
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
}

NO_HEADER = "未找到表头行 (no header row found in the first {n} rows)"
MISSING = "缺少必需的列「{zh}」(missing required column: {en})"
BAD_METADATA = "不是有效数字 (not a number)"
BAD_ENCODING = "无法识别文件编码，请另存为 UTF-8 (cannot decode the file: not UTF-8 or GB18030)"
BAD_XLSX = "无法打开 Excel 文件 (cannot open the Excel file: {error})"
NO_SHEET = "工作表「{sheet}」不存在 (no sheet named {sheet!r}; sheets: {names})"


def read_csv(path: str | os.PathLike[str]) -> Document:
    """Read a CSV file of indicator rows (UTF-8, UTF-8 with BOM, or GB18030)."""
    file = os.fspath(path)
    try:
        data = pathlib.Path(file).read_bytes()
    except OSError as error:
        raise ReadError(
            f"无法读取文件 (cannot read the file: {error.strerror})", file=file
        ) from None
    rows = [
        [_unquote(cell) for cell in row]
        for row in csv.reader(io.StringIO(decode_text(data, file), newline=""))
    ]
    return read_rows(rows, file=file)


def decode_text(data: bytes, file: str) -> str:
    """Decode a file's bytes as UTF-8 (with or without BOM) or GB18030, as Chinese Excel saves."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError(BAD_ENCODING, file=file)


def read_xlsx(path: str | os.PathLike[str], *, sheet: str | None = None) -> Document:
    """Read an Excel sheet of indicator rows (the active sheet unless ``sheet`` names one).

    Needs ``pip install 'perfscore[excel]'``.
    """
    file = os.fspath(path)
    try:
        import openpyxl
    except ImportError:
        raise ReadError(
            "读取 Excel 文件需要 openpyxl，请运行 pip install 'perfscore[excel]' "
            "(reading Excel files needs openpyxl: pip install 'perfscore[excel]')",
            file=file,
        ) from None
    try:
        workbook = openpyxl.load_workbook(file, data_only=True)
    except Exception as error:  # openpyxl raises zip, XML, key and value errors alike
        raise ReadError(BAD_XLSX.format(error=type(error).__name__), file=file) from None
    return read_rows(_sheet_rows(_worksheet(workbook, sheet, file)), file=file)


def _worksheet(workbook: Any, sheet: str | None, file: str) -> Any:
    if sheet is None:
        return workbook.active
    if sheet not in workbook.sheetnames:
        names = ", ".join(workbook.sheetnames)
        raise ReadError(NO_SHEET.format(sheet=sheet, names=names), file=file)
    return workbook[sheet]


def _sheet_rows(worksheet: Any) -> list[list[object]]:
    """The sheet's values from row 1, a merged range's value copied into all its cells."""
    rows = [[_cell_value(cell) for cell in row] for row in worksheet.iter_rows()]
    for merged in worksheet.merged_cells.ranges:
        value = rows[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row - 1, merged.max_row):
            for c in range(merged.min_col - 1, merged.max_col):
                rows[r][c] = value
    return rows


def _cell_value(cell: Any) -> object:
    """A cell's value; numbers shown as percent become ``"95%"``, dates ``"2024-12-31"``."""
    value = cell.value
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if is_number and "%" in (cell.number_format or ""):
        return f"{(Decimal(repr(value)) * 100).normalize():f}%"
    return value


# --- rows → Document --------------------------------------------------------------


@attrs.define
class _Sheet:
    """What the reader knows while it walks down the rows below the header."""

    file: str
    columns: dict[str, int]
    headers: dict[str, str]
    carried: dict[str, str] = attrs.Factory(dict)
    meta: dict[str, object] = attrs.Factory(dict)
    indicators: list[Indicator] = attrs.Factory(list)
    diagnostics: list[Diagnostic] = attrs.Factory(list)


def read_rows(rows: Sequence[Sequence[object]], *, file: str = "") -> Document:
    """Read a table given as rows of cell values (row N, 1-based, is ``rows[N-1]``)."""
    at = _find_header(rows)
    if at is None:
        diagnostic = Diagnostic(NO_HEADER.format(n=HEADER_SEARCH_ROWS), file=file)
        return Document(path=file, kind=DocumentKind.TARGET_TABLE, diagnostics=(diagnostic,))
    sheet = _open_sheet(rows[at], file)
    for number, row in enumerate(rows[:at], start=1):
        _read_above(sheet, number, _texts(row))
    for number, row in enumerate(rows[at + 1 :], start=at + 2):
        _read_row(sheet, number, row)
    return _document(sheet)


def _unquote(cell: str) -> str:
    """Undo the ``'`` that keeps a spreadsheet from running ``=100%`` as a formula."""
    if len(cell) > 1 and cell[0] == "'" and cell[1] in "=+-@":
        return cell[1:]
    return cell


def _texts(row: Sequence[object]) -> list[str]:
    return ["" if v is None else _text(v) for v in row]


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _find_header(rows: Sequence[Sequence[object]]) -> int | None:
    """Index of the row naming the most known columns (at least two) near the top."""
    counts = [len(_header_fields(_texts(row))) for row in rows[:HEADER_SEARCH_ROWS]]
    best = max(counts, default=0)
    return counts.index(best) if best >= 2 else None


def _header_fields(cells: list[str]) -> dict[str, int]:
    """Field → column index of the first cell naming it."""
    fields: dict[str, int] = {}
    for i, cell in enumerate(cells):
        field = column_for_header(cell) if cell else None
        if field is not None and field not in fields:
            fields[field] = i
    return fields


def _open_sheet(header: Sequence[object], file: str) -> _Sheet:
    cells = _texts(header)
    columns = _header_fields(cells)
    sheet = _Sheet(file, columns, {f: cells[i] for f, i in columns.items()})
    required = REQUIRED + (REQUIRED_SELF_EVALUATION if _is_evaluation(columns) else ())
    for field in required:
        if field not in columns:
            message = MISSING.format(zh=COLUMNS[field][0], en=field)
            sheet.diagnostics.append(Diagnostic(message, file=file, column=COLUMNS[field][0]))
    return sheet


def _is_evaluation(columns: dict[str, int]) -> bool:
    return bool(EVALUATION_COLUMNS & columns.keys())


def _read_above(sheet: _Sheet, number: int, cells: list[str]) -> None:
    """Title and metadata rows above the header: year, department, budget figures."""
    if _read_metadata(sheet, number, cells):
        return
    for cell in cells:
        year, title = YEAR.search(cell), TITLE.search(cell)
        if year and "year" not in sheet.meta:
            sheet.meta["year"] = int(year.group(1))
        if title and "department" not in sheet.meta:
            sheet.meta["department"] = title.group(1)


def _read_row(sheet: _Sheet, number: int, row: Sequence[object]) -> None:
    cells = _texts(row)
    filled = [c for c in cells if c]
    if not filled or _read_metadata(sheet, number, cells):
        return
    if len(filled) == 1 and _is_goal_only(sheet, cells):
        _carry(sheet, {"goal": filled[0]})
        return
    values = {f: row[i] if i < len(row) else None for f, i in sheet.columns.items()}
    _carry(sheet, {f: cells[sheet.columns[f]] for f in CARRIED if f in sheet.columns})
    values |= sheet.carried
    headers = sheet.headers | {f: COLUMNS[f][0] for f in CARRIED if f not in sheet.headers}
    indicator, diagnostics = indicator_from_row(headers, values, number=number, file=sheet.file)
    sheet.indicators.append(indicator)
    sheet.diagnostics.extend(diagnostics)


def _is_goal_only(sheet: _Sheet, cells: list[str]) -> bool:
    """Whether the row's one filled cell is a goal label or sits in the goal column."""
    goal_at = sheet.columns.get("goal")
    return any(c and (GOAL_LABEL.fullmatch(c) or i == goal_at) for i, c in enumerate(cells))


def _carry(sheet: _Sheet, given: dict[str, str]) -> None:
    """Carry blank goal/level cells down; a new outer value resets the inner ones."""
    for depth, field in enumerate(CARRIED):
        value = given.get(field, "")
        if value and value != sheet.carried.get(field, ""):
            sheet.carried[field] = value
            for inner in CARRIED[depth + 1 :]:
                sheet.carried[inner] = ""


def _read_metadata(sheet: _Sheet, number: int, cells: list[str]) -> bool:
    """Read a ``label | value`` row such as ``全年预算数(A) | 176875.03``; False if not one."""
    filled = [(i, c) for i, c in enumerate(cells) if c]
    field = METADATA.get(fold_label(filled[0][1])) if filled else None
    if field is None:
        return False
    text = _metadata_text(sheet, field, cells, [c for _, c in filled[1:]])
    if field == "department":
        sheet.meta[field] = text
        return True
    try:
        sheet.meta[field] = parse_decimal(text)
    except ValueError:
        column = filled[0][1]
        sheet.diagnostics.append(
            Diagnostic(BAD_METADATA, file=sheet.file, row=number, column=column, text=text)
        )
    return True


def _metadata_text(sheet: _Sheet, field: str, cells: list[str], rest: list[str]) -> str:
    """The value of a metadata row: for 总分 the 得分 cell, else the first cell after the label."""
    score_at = sheet.columns.get("score")
    if field == "published_total" and score_at is not None and score_at < len(cells):
        return cells[score_at]
    return rest[0] if rest else ""


def _document(sheet: _Sheet) -> Document:
    department = str(sheet.meta.pop("department", ""))
    kind = (
        DocumentKind.SELF_EVALUATION if _is_evaluation(sheet.columns) else DocumentKind.TARGET_TABLE
    )
    project = Project(name=department, indicators=tuple(sheet.indicators))
    return Document(
        path=sheet.file,
        kind=kind,
        projects=(project,),
        department=department,
        diagnostics=tuple(sheet.diagnostics),
        **sheet.meta,  # type: ignore[arg-type]
    )
