"""What the batch summary workbook shows a reviewer: headers, status words, numbers and layout.

A 财政 reviewer opens the summary in Excel or WPS: the default profile (``zh``) gives
Chinese headers and status words (已评分 / 需复核 / 空表 / 读取失败 / 未读取), totals and scores as
numbers with the decimal places ``perfscore score`` shows, column widths, a frozen
header row, an auto-filter and A4 landscape printing one page wide.  The ``en``
profile keeps the column keys and status values programs use.  How the workbook is
opened and saved is :mod:`.summary`'s; this module fills and styles cells, and
writes the data rows' XML as openpyxl would (:class:`SheetRows`, :func:`splice`).
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from .._safe import starts_formula
from ..report._common import STATUS_LABELS, clean_text
from ..report._xlsx_xml import CELL_TEXT as _CELL_TEXT
from ..report._xlsx_xml import ERROR_CODES as _ERROR_CODES
from ..report._xlsx_xml import cell_tail as _cell_tail
from ..report._xlsx_xml import cell_xml
from ..report._xlsx_xml import letter as _letter
from ..report._xlsx_xml import number_text as _number
from ..report.xlsx import set_number, set_text
from ..score.scoring import Status

__all__ = [
    "LANGS",
    "SheetRows",
    "finish",
    "header",
    "prepare",
    "row_cells",
    "splice",
    "status_word",
]

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


class SheetRows:
    """A write-only sheet's rows after its header, serialised as openpyxl writes them.

    openpyxl's write-only ``append`` costs about 10 µs a cell (a cell bound for each
    value, an lxml element for each cell), and the summary is written by the main
    process while the workers score: an XLSX summary held a batch near 100 files/s
    whatever ``--jobs`` was.  These rows are the XML openpyxl writes for the same
    :func:`row_cells` — the cell types it infers (``inlineStr``, ``n``, ``e``), a style's
    index registered in the same order, comments recorded on the sheet, texts escaped
    and non-ASCII written as character references as its lxml writer does — streamed
    to a temporary file, and put into the saved workbook by :func:`splice`.
    tests/scale/test_batch_golden.py compares every part of the workbook byte for byte.
    """

    def __init__(self, sheet: Any) -> None:
        self.sheet = sheet
        self.row = 1  # the header's, which openpyxl writes
        self.file: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 closed by close()
        self._style_of: dict[tuple[object, ...], str] = {}  # (wrap, format, quoted) → s=""
        # Each column list's letters, found once: (column, its letter, its 1-based index).
        self._plans: dict[tuple[str, ...], list[tuple[str, str, int]]] = {}
        # A cell's XML after its reference, by column and value: a batch repeats a file's
        # name, levels, weights and scores on many rows.  Only cells whose XML follows
        # from these alone (a style already registered, no note) are kept; at most
        # _KEPT_CELLS, then it starts again.
        self._tails: dict[tuple[object, ...], str] = {}

    def append_row(
        self,
        row: dict[str, Any],
        columns: Sequence[str],
        lang: str,
        places: int,
        styles: dict[str, Any],
    ) -> None:
        """Write ``row_cells(sheet, row, columns, lang, places, styles)`` as openpyxl
        would append it, building an openpyxl cell only where a style is met for the
        first time (its index is registered then, in openpyxl's order) or a note is due."""
        self.row = number = self.row + 1
        at = str(number)
        plan = self._plans.get(tuple(columns))
        if plan is None:
            plan = self._plans[tuple(columns)] = [
                (column, _letter(index), index) for index, column in enumerate(columns, start=1)
            ]
        tails = self._tails
        parts = [f'<row r="{at}">']
        for column, letter, index in plan:
            value = row.get(column)
            kind = type(value)
            if kind is Decimal:
                key: tuple[object, ...] | None = (column, kind, str(value), lang, places)
            elif kind is str or kind is int or value is None:
                key = (column, kind, value, lang, places)
            else:
                key = None  # a bool, or a type no key is sure for: written each time
            tail = tails.get(key) if key is not None else None
            if tail is None:
                tail, kept = self._cell_of(row, column, index, value, lang, places, styles)
                if kept and key is not None:
                    if len(tails) >= _KEPT_CELLS:
                        tails.clear()
                    tails[key] = tail
            if tail:  # "": no cell (openpyxl skips a None without a style)
                parts.append(f'<c r="{letter}{at}"{tail}')
        parts.append("</row>")
        self.file.write("".join(parts).encode("ascii", "xmlcharrefreplace"))

    def _cell_of(
        self,
        row: dict[str, Any],
        column: str,
        index: int,
        value: Any,
        lang: str,
        places: int,
        styles: dict[str, Any],
    ) -> tuple[str, bool]:
        """The XML of ``row``'s cell in ``column`` after its reference (:func:`_cell_tail`),
        and whether the same column and value always give the same (False: a style
        registered now, or a note recorded on the sheet)."""
        wrap = column in _WRAPPED
        if not wrap and not isinstance(value, Decimal):
            if value is None:
                return "", True  # row_cells hands None over; openpyxl skips it
            if isinstance(value, int) and not isinstance(value, bool):
                return _cell_tail("", "n", _number(value)), True
            text = clean_text(_text(column, str(value), lang))
            if len(text) <= _PLAIN_TEXT and not starts_formula(text):
                return _cell_tail("", _string_type(text), text), True
        return self._styled(row, column, index, value, lang, places, styles)

    def _styled(
        self,
        row: dict[str, Any],
        column: str,
        index: int,
        value: Any,
        lang: str,
        places: int,
        styles: dict[str, Any],
    ) -> tuple[str, bool]:
        """A cell row_cells builds (a wrapped column, a Decimal, a long or formula-like
        text) as openpyxl writes it: what set_number and set_text make of the value, with
        the style's ``s`` attribute found once per kind of style; and whether that XML
        can be kept (not when the style is registered now, or a note is due)."""
        wrap = column in _WRAPPED
        if isinstance(value, Decimal):
            text = format(value, "f")
            if Decimal(repr(float(value))) != value:
                return self._built(row, column, index, lang, places, styles), False  # a note
            own = value.as_tuple().exponent
            shown = max(places, -own if isinstance(own, int) and own < 0 else 0)
            number_format = (
                ("0." + "0" * shown if shown else "0") if column in _SCORES else "General"
            )
            key: tuple[object, ...] = (wrap, number_format, False)
            kind, shown_value = "n", text
        elif value is None:
            key, kind, shown_value = (wrap, None, False), "n", ""
        elif isinstance(value, int) and not isinstance(value, bool):
            key, kind, shown_value = (wrap, None, False), "n", _number(value)
        else:
            text = clean_text(_text(column, str(value), lang))
            quoted = starts_formula(text)
            shown_value = text[:_CELL_TEXT]  # openpyxl's check_string
            key = (wrap, None, quoted)
            kind = "inlineStr" if quoted or shown_value not in _ERROR_CODES else "e"
        style = self._style_of.get(key)
        if style is None:
            # The first cell of this style: built by row_cells, so its style (and the
            # fonts, alignments and formats it uses) is registered as openpyxl would.
            return self._built(row, column, index, lang, places, styles, key), False
        return _cell_tail(style, kind, shown_value), True

    def _built(
        self,
        row: dict[str, Any],
        column: str,
        index: int,
        lang: str,
        places: int,
        styles: dict[str, Any],
        key: tuple[object, ...] | None = None,
    ) -> str:
        """The cell row_cells builds for ``column``, written by :meth:`_cell`; with
        ``key``, its ``s`` attribute is kept for the cells of the same style."""
        (cell,) = row_cells(self.sheet, row, (column,), lang, places, styles)
        xml = self._cell(cell, index)
        if key is not None:
            self._style_of[key] = f' s="{cell.style_id}"' if cell.has_style else ""
        return xml

    def _cell(self, cell: Any, column: int) -> str:
        """A cell object of this row as openpyxl's ``write_row`` and ``lxml_write_cell``
        write it, after its reference (:func:`_cell_tail`)."""
        if cell._comment is not None:
            from openpyxl.comments.comment_sheet import CommentRecord

            cell.row, cell.column = self.row, column
            self.sheet._comments.append(CommentRecord.from_cell(cell))
        return cell_xml(cell)

    def close(self) -> None:
        self.file.close()


# How many cells' XML a sheet's rows keep at most (a few MB), whatever the batch's size.
_KEPT_CELLS = 20_000


def _string_type(text: str) -> str:
    """The type openpyxl gives a text: an error code's ``e``, else ``inlineStr``.

    (A formula's ``=`` never comes here: :func:`row_cells` writes such texts as cells.)
    """
    return "e" if text in _ERROR_CODES else "inlineStr"


def splice(book: Path, rows: Sequence[tuple[str, SheetRows]]) -> None:
    """Put each sheet's :class:`SheetRows` after its header row in the saved ``book``.

    ``rows`` pairs a worksheet's part name (``xl/worksheets/sheet1.xml``) with its rows;
    the workbook is rewritten once, its other parts copied as they are.
    """
    parts = dict(rows)
    # ``book`` is the batch's temporary workbook (.NAME.PID.tmp), so a run killed here
    # leaves .NAME.PID.tmp.rows, which the next run removes (_atomic._remove_stale).
    spliced = book.with_name(book.name + ".rows")
    try:
        _spliced(book, spliced, parts)
    except BaseException:
        spliced.unlink(missing_ok=True)
        raise
    spliced.replace(book)


def _spliced(book: Path, spliced: Path, parts: dict[str, SheetRows]) -> None:
    """Write ``book`` to ``spliced`` with each part in ``parts`` given its rows."""
    with (
        zipfile.ZipFile(book) as source,
        zipfile.ZipFile(spliced, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            sheet = parts.get(info.filename)
            if sheet is None:
                target.writestr(info, data)
                continue
            end = data.rindex(b"</sheetData>")
            with target.open(info.filename, "w", force_zip64=True) as out:
                out.write(data[:end])
                sheet.file.seek(0)
                shutil.copyfileobj(sheet.file, out, 1 << 20)
                out.write(data[end:])
