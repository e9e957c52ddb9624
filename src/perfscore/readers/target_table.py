"""Read 绩效目标表 (performance target tables) from Word text exports and ``.docx`` files.

A target table document holds one table per budget project, each after a title
paragraph.  The text export (Word → text) writes every table cell on a line of
its own that starts with a TAB; a line without a TAB right after a cell
continues that cell (a cell with several paragraphs); anything else is a
paragraph, and a line with a Word heading anchor (``[bookmark: …]``) is always
a paragraph, even right after a cell.  Merged cells are written once, and a
vertically merged cell shows as an empty cell (``TAB`` alone) meaning "same as
above".  Here ``→`` stands for the TAB::

     [bookmark: _Toc126831779]1.办公用房租赁绩效目标表      ← title paragraph
    →331101天津市科学技术局资源配置与管理处                  ← unit code + unit name
    →单位：万元
    →项目名称
    →办公用房租赁
    →预算规模及资金用途
    →预算数
    →144.00
    …
    →一级指标                                              ← indicator header: 5 or 6 columns
    →二级指标
    →三级指标
    →绩效指标描述
    →指标值
    →产出指标
    →数量指标
    →服务人数
    →服务人数
    →≥135人
    →                                                      ← 一级 carried from the row above
    →质量指标
    …

Blank lines separate rows, but also occur inside rows, so rows are cut from
the cell stream by the header's column count, never by blank lines.  The form
part before the indicator header is read by its labels (``项目名称``,
``预算数``, ``资金支出计划（%）``, ``绩效目标`` … in :data:`FORM_LABELS`), the
unit line by its position (first cell).  Paragraphs before the first table
(a 部门整体绩效目标 preamble) are skipped.

A ``.docx`` is turned into the same stream: its paragraphs and table cells in
body order, horizontally repeated cells written once and vertically merged
cells written empty.  Both readers then share one parser, which never drops a
row: whatever looks wrong becomes a :class:`~perfscore.documents.Diagnostic`.
"""

from __future__ import annotations

import os
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from ..documents import Diagnostic, Document, DocumentKind, Goal, Project, Severity
from ..errors import ReadError
from ..indicators import (
    LEVEL1_NAMES,
    LEVEL2_NAMES,
    Indicator,
    column_for_header,
    parse_decimal,
)
from ._cells import docx_row_cells
from ._files import check_archive

__all__ = [
    "FORM_LABELS",
    "MONEY_UNITS",
    "parse_target_table_text",
    "read_target_table_docx",
]

# --- vocabulary --------------------------------------------------------------

# Labels of the form above the indicator table → the field whose value follows.
# Keys are folded by _fold_label: no spaces, full-width colon and brackets.
FORM_LABELS: dict[str, str] = {
    "项目编码": "code",
    "项目代码": "code",
    "项目名称": "name",
    "预算规模及资金用途": "",  # a section label; its values carry their own labels
    "预算数": "budget",
    "其中：财政资金": "fiscal_funds",
    "财政资金": "fiscal_funds",
    "其他资金": "other_funds",
    "资金支出计划（%）": "spending_plan",
    "资金支出计划": "spending_plan",
    "绩效目标": "goals",
    "年度绩效目标": "goals",
}

# The money-unit cell → factor that turns its amounts into 万元.
MONEY_UNITS: dict[str, Decimal] = {
    "单位：万元": Decimal(1),
    "单位：元": Decimal("0.0001"),
}

# Indicator fields whose empty cell means "same as the row above" (merged cells).
_CARRIED = ("goal", "level1", "level2")
# Level names outside the official lists are kept but reported, since an unknown
# 一级 name is the first sign of a row that lost or gained a cell.
_KNOWN_LEVELS = {"level1": LEVEL1_NAMES, "level2": LEVEL2_NAMES}
_LEVEL_NAMES = {"level1": "一级指标", "level2": "二级指标"}

_LABEL_FOLD = str.maketrans({":": "：", "(": "（", ")": "）", "％": "%"})
_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_TITLE_NUMBER = re.compile(r"^\d+[.．、]\s*")
_TITLE_SUFFIX = "绩效目标表"
_UNIT_LINE = re.compile(r"(\d+)\s*(\S.*)", re.DOTALL)
# A goal number starts the text or follows a space or a sentence end, so that
# "达2.1万人" is not goal 2.
_GOAL_NUMBER = re.compile(r"(?:^|(?<=[\s。；;]))(\d{1,2})[.．、](?!\d)")
_PLACEHOLDER_GOAL = re.compile(r"目标内容\d*")
_PERCENT_SIGNS = "%％"

# --- the cell stream ---------------------------------------------------------


@attrs.frozen
class _Cell:
    """One table cell: its text, its row (line or table row) and its file location."""

    text: str
    row: int
    where: str


@attrs.frozen
class _Title:
    """A non-empty paragraph outside the tables; the last one before a table is its title."""

    text: str
    row: int
    where: str


_Token = _Cell | _Title


@attrs.frozen
class _Section:
    """One project's part of the stream: the title before it and its cells."""

    title: _Title | None
    cells: tuple[_Cell, ...]


def _text_tokens(text: str, file: str) -> Iterator[_Token]:
    """Tokenize a text export: TAB lines are cells, lines right after a cell continue it.

    A line with a ``[bookmark: …]`` marker is a heading even right after a
    cell: the export writes Word's heading anchors that way.
    """
    pending: _Cell | None = None
    for number, line in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        if line.startswith("\t"):
            if pending is not None:
                yield pending
            # Word bookmarks inside a cell ("[bookmark: _GoBack]有效提升") are not text.
            pending = _Cell(_BOOKMARK.sub("", line[1:]), number, file)
        elif pending is not None and line.strip() and not _BOOKMARK.search(line):
            pending = attrs.evolve(pending, text=f"{pending.text}\n{line}")
        else:
            if pending is not None:
                yield pending
                pending = None
            if line.strip():
                yield _Title(line, number, file)
    if pending is not None:
        yield pending


def _sections(tokens: Iterator[_Token]) -> Iterator[_Section]:
    """Group tokens into projects: a run of cells after a paragraph starts a new project."""
    title: _Title | None = None
    cells: list[_Cell] = []
    for token in tokens:
        if isinstance(token, _Title):
            if cells:
                yield _Section(title, tuple(cells))
                cells = []
            title = token
        else:
            cells.append(token)
    if cells:
        yield _Section(title, tuple(cells))


# --- a cursor over one project's cells ----------------------------------------


@attrs.define
class _Cursor:
    """Reads one project's cells in order and collects the diagnostics found on the way."""

    cells: Sequence[_Cell]
    diagnostics: list[Diagnostic]
    pos: int = 0

    def peek(self) -> _Cell | None:
        """Return the next cell without consuming it, or None at the end."""
        return self.cells[self.pos] if self.pos < len(self.cells) else None

    def take(self) -> _Cell | None:
        """Consume and return the next cell, or None at the end."""
        cell = self.peek()
        self.pos += cell is not None
        return cell

    def take_value(self, label: _Cell) -> str:
        """Consume the cell that holds ``label``'s value; a missing value is reported."""
        cell = self.peek()
        if cell is None or _is_label(cell):
            self.report(label, "缺少对应的内容 (the label has no value)", column=label.text)
            return ""
        self.pos += 1
        return cell.text.strip()

    def report(
        self,
        cell: _Cell | _Title,
        message: str,
        *,
        severity: Severity = Severity.WARNING,
        column: str = "",
        text: str | None = None,
    ) -> None:
        """Record a diagnostic located at ``cell``."""
        shown = cell.text.strip() if text is None else text
        self.diagnostics.append(
            Diagnostic(
                message,
                severity=severity,
                file=cell.where,
                row=cell.row,
                column=column.strip(),
                text=shown,
            )
        )


def _fold_label(text: str) -> str:
    return "".join(text.split()).translate(_LABEL_FOLD)


def _starts_table(cell: _Cell) -> bool:
    return column_for_header(cell.text) == "level1"


def _is_label(cell: _Cell) -> bool:
    folded = _fold_label(cell.text)
    return folded in FORM_LABELS or folded in MONEY_UNITS or _starts_table(cell)


# --- the form above the indicator table ----------------------------------------

_Fields = dict[str, Any]


def _read_form(cursor: _Cursor) -> _Fields:
    """form = unit-line (label value? | money-unit | purpose)* until the indicator header."""
    fields: _Fields = {"scale": Decimal(1)}
    _read_unit_line(cursor, fields)
    while (cell := cursor.peek()) is not None and not _starts_table(cell):
        cursor.take()
        _read_form_cell(cursor, cell, fields)
    return fields


def _read_unit_line(cursor: _Cursor, fields: _Fields) -> None:
    """The first cell names the unit: ``331101天津市科学技术局资源配置与管理处``."""
    cell = cursor.peek()
    if cell is None or _is_label(cell):
        cursor.report(cursor.cells[0], "缺少预算单位 (the unit line is missing)", text="")
        return
    cursor.take()
    fields["unit_code"], fields["unit"] = _split_unit(cell.text.strip())


def _split_unit(text: str) -> tuple[str, str]:
    """Split ``331101天津市科学技术局`` into ``("331101", "天津市科学技术局")``."""
    match = _UNIT_LINE.fullmatch(text)
    return (match[1], match[2].strip()) if match else ("", text)


def _read_form_cell(cursor: _Cursor, cell: _Cell, fields: _Fields) -> None:
    """Read one cell of the form: a label with its value(s), the money unit, or the purpose."""
    folded = _fold_label(cell.text)
    if folded in MONEY_UNITS:
        fields["scale"] = MONEY_UNITS[folded]
    elif folded in FORM_LABELS:
        field = FORM_LABELS[folded]
        if field:
            _FIELD_READERS[field](cursor, cell, field, fields)
    elif not folded:
        return  # the empty cell below a vertically merged label
    elif "purpose" not in fields:
        fields["purpose"] = cell.text.strip()
    else:
        cursor.report(cell, "无法识别的单元格 (unrecognised cell)")


def _read_text(cursor: _Cursor, label: _Cell, field: str, fields: _Fields) -> None:
    fields[field] = cursor.take_value(label)


def _read_amount(cursor: _Cursor, label: _Cell, field: str, fields: _Fields) -> None:
    text = cursor.take_value(label)
    try:
        value = parse_decimal(text)
    except ValueError:
        cursor.report(
            label, "金额不是有效数字 (amount is not a number)", column=label.text, text=text
        )
        value = None
    fields[field] = None if value is None else value * fields["scale"]


def _read_goals(cursor: _Cursor, label: _Cell, field: str, fields: _Fields) -> None:
    goals = _split_goals(cursor.take_value(label))
    for goal in goals:
        if _PLACEHOLDER_GOAL.fullmatch(goal.text):
            message = "绩效目标是模板占位文字 (the goal is a template placeholder)"
            cursor.report(label, message, column=label.text, text=goal.text)
    fields[field] = goals


def _read_spending_plan(cursor: _Cursor, label: _Cell, field: str, fields: _Fields) -> None:
    """plan = LABEL period+ EMPTY? percent{len(period)}: ``3月底 6月底 … | 30% 60% …``."""
    periods: list[_Cell] = []
    while (cell := cursor.peek()) is not None and cell.text.strip() and not _is_label(cell):
        periods.append(cell)
        cursor.take()
    if not periods:
        cursor.report(label, "资金支出计划没有时间节点 (spending plan has no periods)")
    if (cell := cursor.peek()) is not None and not cell.text.strip():
        cursor.take()  # the empty cell below the vertically merged label
    fields[field] = tuple(
        (period.text.strip(), _read_percent(cursor, period)) for period in periods
    )


def _read_percent(cursor: _Cursor, period: _Cell) -> Decimal | None:
    """percent = number "%"? | EMPTY; a missing or unreadable cell is reported and gives None."""
    cell = cursor.peek()
    if cell is None or _is_label(cell):
        cursor.report(period, "资金支出计划缺少比例 (spending plan lacks a percent)")
        return None
    cursor.take()
    text = cell.text.strip().rstrip(_PERCENT_SIGNS)
    try:
        return parse_decimal(text)
    except ValueError:
        message = "支出比例不是有效数字 (spending percent is not a number)"
        cursor.report(cell, message, column=period.text)
        return None


_FIELD_READERS: dict[str, Callable[[_Cursor, _Cell, str, _Fields], None]] = {
    "code": _read_text,
    "name": _read_text,
    "budget": _read_amount,
    "fiscal_funds": _read_amount,
    "other_funds": _read_amount,
    "goals": _read_goals,
    "spending_plan": _read_spending_plan,
}


def _split_goals(text: str) -> tuple[Goal, ...]:
    """goals = unnumbered? (N "." text)*, with N = 1, 2, 3 … in order.

    ``"1.甲\\n2.乙"`` → ``(Goal("1", "甲"), Goal("2", "乙"))``; text without
    numbers is one goal labelled ``""``.
    """
    starts: list[re.Match[str]] = []
    for match in _GOAL_NUMBER.finditer(text):
        if int(match[1]) == len(starts) + 1:
            starts.append(match)
    head = text[: starts[0].start()] if starts else text
    goals = [Goal("", head.strip())] if head.strip() else []
    ends = [m.start() for m in starts[1:]] + [len(text)] if starts else []
    goals += [Goal(m[1], text[m.end() : end].strip()) for m, end in zip(starts, ends, strict=True)]
    return tuple(goals)


# --- the indicator table -----------------------------------------------------

_Header = tuple[tuple[str, str], ...]  # (header text, Indicator field) per column


def _read_header(cursor: _Cursor) -> _Header:
    """header = "一级指标" column-name*: the names :func:`column_for_header` knows, once each."""
    header: list[tuple[str, str]] = []
    while (cell := cursor.peek()) is not None:
        field = column_for_header(cell.text)
        if field is None or field in {f for _, f in header}:
            break
        header.append((cell.text.strip(), field))
        cursor.take()
    return tuple(header)


def _read_indicators(cursor: _Cursor) -> tuple[Indicator, ...]:
    """table = header row*, each row being the next len(header) cells."""
    header = _read_header(cursor)
    carried: dict[str, str] = {}
    indicators = []
    while header and cursor.peek() is not None:
        chunk = [c for _ in header if (c := cursor.take()) is not None]
        if [_fold_label(c.text) for c in chunk] == [_fold_label(h) for h, _ in header]:
            continue  # the header repeated on a new page
        indicators.append(_read_row(cursor, chunk, header, carried))
    return tuple(indicators)


def _read_row(
    cursor: _Cursor, chunk: list[_Cell], header: _Header, carried: dict[str, str]
) -> Indicator:
    """Build one indicator from its cells, carrying merged levels down and reporting oddities."""
    first = chunk[0]
    values = {field: cell.text.strip() for (_, field), cell in zip(header, chunk, strict=False)}
    _report_missing_cells(cursor, first, header[len(chunk) :])
    _carry(cursor, first, values, carried)
    _check_row(cursor, first, values)
    return _indicator(cursor, first, header, values)


def _report_missing_cells(cursor: _Cursor, first: _Cell, missing: _Header) -> None:
    if not missing:
        return
    names = "、".join(name for name, _ in missing)
    unusable = any(field == "target" for _, field in missing)
    cursor.report(
        first,
        f"行缺少{len(missing)}个单元格：{names} (row lacks {len(missing)} cells: {names})",
        severity=Severity.ERROR if unusable else Severity.WARNING,
        text="",
    )


def _carry(cursor: _Cursor, first: _Cell, values: dict[str, str], carried: dict[str, str]) -> None:
    """Fill empty level cells from the row above (merged cells); report a level with none."""
    for field in _CARRIED:
        if field not in values:
            continue
        if values[field]:
            carried[field] = values[field]
        elif field in carried:
            values[field] = carried[field]
        elif field in _LEVEL_NAMES:
            name = _LEVEL_NAMES[field]
            cursor.report(first, f"{name}为空 ({field} is empty)", column=name, text="")


def _check_row(cursor: _Cursor, first: _Cell, values: dict[str, str]) -> None:
    for field, names in _KNOWN_LEVELS.items():
        value = values.get(field, "")
        if value and value not in names:
            name = _LEVEL_NAMES[field]
            message = f"不是标准的{name}名称 (not a standard {field} name)"
            cursor.report(first, message, column=name, text=value)
    if "level3" in values and not values["level3"]:
        cursor.report(first, "三级指标为空 (level3 is empty)", column="三级指标", text="")
    if not values.get("target"):
        message = "指标值为空 (target is empty)"
        cursor.report(first, message, severity=Severity.ERROR, column="指标值", text="")


def _indicator(cursor: _Cursor, first: _Cell, header: _Header, values: dict[str, str]) -> Indicator:
    """Build the indicator; a weight or score that is not a number is reported and left out."""
    row = {name: values.get(field, "") for name, field in header}
    while True:
        try:
            return Indicator.from_row(row, number=first.row, file=first.where)
        except ReadError as error:
            cursor.diagnostics.append(
                Diagnostic(
                    error.message,
                    file=error.file,
                    row=error.row,
                    column=error.column,
                    text=error.text,
                )
            )
            row[error.column] = ""


# --- projects and documents ------------------------------------------------------


def _name_from_title(title: _Title | None) -> str:
    """``[bookmark: _Toc1]1.办公用房租赁绩效目标表`` → ``办公用房租赁``."""
    text = _BOOKMARK.sub("", title.text).strip() if title else ""
    return _TITLE_NUMBER.sub("", text, count=1).removesuffix(_TITLE_SUFFIX)


def _read_project(section: _Section, diagnostics: list[Diagnostic]) -> Project:
    """project = form indicator-table, read from one section's cells."""
    cursor = _Cursor(section.cells, diagnostics)
    fields = _read_form(cursor)
    anchor = section.title or section.cells[0]
    if cursor.peek() is None:
        cursor.report(anchor, "未找到指标表 (no indicator table found)", text="")
    indicators = _read_indicators(cursor)
    if not fields.get("name"):
        fields["name"] = _name_from_title(section.title)
        cursor.report(
            anchor, "缺少项目名称，使用标题 (no 项目名称; the title is used)", text=fields["name"]
        )
    _check_budget(cursor, anchor, fields)
    return Project(
        name=fields["name"],
        code=fields.get("code", ""),
        unit=fields.get("unit", ""),
        unit_code=fields.get("unit_code", ""),
        budget=fields.get("budget"),
        fiscal_funds=fields.get("fiscal_funds"),
        other_funds=fields.get("other_funds"),
        purpose=fields.get("purpose", ""),
        goals=fields.get("goals", ()),
        spending_plan=fields.get("spending_plan", ()),
        indicators=indicators,
    )


def _check_budget(cursor: _Cursor, anchor: _Cell | _Title, fields: _Fields) -> None:
    """预算数 should equal 财政资金 + 其他资金 (an empty 其他资金 counts as 0)."""
    budget, fiscal = fields.get("budget"), fields.get("fiscal_funds")
    if budget is None or fiscal is None:
        return
    total = fiscal + (fields.get("other_funds") or 0)
    if total != budget:
        message = f"预算数不等于财政资金与其他资金之和 (budget {budget} ≠ funds {total})"
        cursor.report(anchor, message, column="预算数", text=str(budget))


def _read_document(tokens: Iterator[_Token], path: str) -> Document:
    """Read every project of a token stream into one :class:`Document`."""
    diagnostics: list[Diagnostic] = []
    projects = tuple(_read_project(section, diagnostics) for section in _sections(tokens))
    return Document(
        path=path,
        kind=DocumentKind.TARGET_TABLE,
        projects=projects,
        diagnostics=tuple(diagnostics),
    )


def parse_target_table_text(text: str, *, file: str = "") -> Document:
    """Read the Word → text export of a 绩效目标表 document: one project per table.

    ``file`` names the source in diagnostics; indicator rows are numbered by
    the line of their first cell.
    """
    return _read_document(_text_tokens(text, file), file)


# --- Word documents ----------------------------------------------------------


def read_target_table_docx(path: str | os.PathLike[str]) -> Document:
    """Read a 绩效目标表 Word file (``.docx``); needs ``pip install 'perfscore[word]'``.

    Indicator rows are numbered by their table row; diagnostics name the table
    (``x.docx 表3``).  A file that is not a readable ``.docx`` raises
    :class:`ReadError`.
    """
    name = os.fspath(path)
    document = _open_docx(name)
    return _read_document(_docx_tokens(document, name), name)


# What a damaged .docx makes zipfile, zlib, lxml (SyntaxError) or python-docx raise.
_DOCX_FAILURES = (
    zipfile.BadZipFile,
    zlib.error,
    KeyError,
    ValueError,
    OSError,
    SyntaxError,
    EOFError,
    RuntimeError,  # encrypted members, unknown compression methods
)


def _open_docx(name: str) -> Any:
    """Open a Word file with python-docx, turning every failure into :class:`ReadError`."""
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError:
        message = "读取 Word 文件需要 python-docx (reading .docx needs python-docx): "
        raise ReadError(message + "pip install 'perfscore[word]'", file=name) from None
    if not Path(name).is_file():
        raise ReadError("找不到文件 (file not found)", file=name)
    try:
        check_archive(name)
        return docx.Document(name)
    except (PackageNotFoundError, *_DOCX_FAILURES):
        message = "不是有效的 Word (.docx) 文件 (not a valid Word .docx file)"
        raise ReadError(message, file=name) from None


def _docx_tokens(document: Any, name: str) -> Iterator[_Token]:
    """Turn the document body into paragraphs and table cells, in order."""
    from docx.table import Table

    paragraphs = tables = 0
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            tables += 1
            yield from _table_cells(block, f"{name} 表{tables}")
        else:
            paragraphs += 1
            if block.text.strip():
                yield _Title(block.text, paragraphs, name)


def _table_cells(table: Any, where: str) -> Iterator[_Cell]:
    """Cells of a table row by row: a horizontal span once, a vertical continuation empty."""
    above: list[Any] = []
    for number, row in enumerate(table.rows, start=1):
        current: list[Any] = []
        for tc, text in docx_row_cells(row):
            if current and current[-1] is tc:
                continue
            current.append(tc)
            merged = any(tc is other for other in above)
            yield _Cell("" if merged else text, number, where)
        above = current
