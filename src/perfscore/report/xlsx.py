"""Write the 自评表 as an Excel workbook a finance officer can hand in (openpyxl).

Sheet 1 (自评表) is the form itself: title, the execution figures as
``label | value`` rows, the indicator table (header frozen and repeated on
every printed page), and the 总分 row — laid out so that
:func:`perfscore.readers.read` reads it back to the same total.  Sheet 2
(汇总与说明) holds the subtotals, every lost point's explanation, the rows
whose published and computed scores differ, rows to review, warnings and
audit findings.  Numbers are written as numbers, never formulas; text that a
spreadsheet would run as a formula is stored as a quoted string.
"""

from __future__ import annotations

import copy
import io
import math
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .._display import display_width
from .._safe import _RISKY_FIRST
from ..documents import Document
from ..indicators import SELF_EVALUATION_HEADER
from ..review.findings import Finding, finding_name
from ..score.rollup import Evaluation
from ..score.scoring import Score
from . import sections
from ._common import (
    SEVERITY_LABELS,
    STATUS_LABELS,
    clean_text,
    display_places,
    fmt,
    grade_label,
    starts_formula,
)
from ._xlsx_xml import CELL_TEXT, ERROR_CODES, StreamedRows, cell_tail, cell_xml, letter, splice
from .sections import (
    Bar,
    difference_rows,
    lost_bars,
    lost_rows,
    row_notes,
    total_bars,
    warning_lines,
)

__all__ = ["to_xlsx", "workbook_bytes"]

# The official headers by field, from the one spelling in indicators; 得分 is the counted score.
_OFFICIAL = dict(
    zip(
        ("goal", "level1", "level2", "level3", "target", "actual", "weight", "counted", "reason"),
        SELF_EVALUATION_HEADER,
        strict=True,
    )
)
# (header, width in Excel character units, field) of the indicator table, A → L.
COLUMNS: tuple[tuple[str, float, str], ...] = (
    (_OFFICIAL["goal"], 10, "goal"),
    (_OFFICIAL["level1"], 10, "level1"),
    (_OFFICIAL["level2"], 13, "level2"),
    (_OFFICIAL["level3"], 26, "level3"),
    (_OFFICIAL["target"], 14, "target"),
    (_OFFICIAL["actual"], 18, "actual"),
    (_OFFICIAL["weight"], 6, "weight"),
    (_OFFICIAL["counted"], 7, "counted"),
    ("方案得分", 8, "computed"),
    ("状态", 10, "status"),
    ("得分说明", 38, "explanation"),
    (_OFFICIAL["reason"], 30, "reason"),
)
_LAST = len(COLUMNS)
_FONT = "宋体"
_LINE_HEIGHT = 13.5  # points per wrapped line at 10.5 pt
_PADDING = 3
# Columns merged down over runs of equal values, as the official form does:
# a goal's rows, then a 一级 within its goal, then a 二级 within its 一级.
_MERGED = ("goal", "level1", "level2")
_MERGED_COLUMNS = 3  # they are the table's first three columns
_LETTERS = ("", *"ABCDEFGHIJKL")  # the table's columns by number


def workbook_bytes(
    evaluation: Evaluation, *, document: Document | None, findings: Sequence[Finding]
) -> bytes:
    """Build the workbook and return the .xlsx file's bytes."""
    return _workbook(evaluation, document, findings, stream=True)


def _workbook(
    evaluation: Evaluation,
    document: Document | None,
    findings: Sequence[Finding],
    *,
    stream: bool,
) -> bytes:
    """The workbook's bytes.  With ``stream``, the indicator table's rows and the notes'
    rows are written as text (:mod:`._xlsx_xml`), the same bytes openpyxl writes for
    them (``stream=False``, which tests compare it with), in a fraction of the time."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "自评表"
    notes_sheet = book.create_sheet("汇总与说明")
    charts_sheet = book.create_sheet("图表")
    # Sheet 1's styles are registered as it is built even when its table cannot stream
    # (a number that needs a cell note), so that the notes' streamed rows come after.
    form = StreamedRows(sheet) if stream else None
    notes = StreamedRows(notes_sheet) if stream else None
    try:
        _Form(sheet, evaluation, document, form, table=_exact(evaluation)).write()
        _notes_sheet(notes_sheet, evaluation, document, findings, notes)
        _charts_sheet(charts_sheet, evaluation)
        out = io.BytesIO()
        book.save(out)
        if form is None or notes is None:
            return out.getvalue()
        parts = {"xl/worksheets/sheet1.xml": form, "xl/worksheets/sheet2.xml": notes}
        return splice(out.getvalue(), parts)
    finally:
        for rows in (form, notes):
            if rows is not None:
                rows.close()


def _exact(evaluation: Evaluation) -> bool:
    """Whether every number of the indicator table is a spreadsheet number as it is (else
    a cell gets a note, and the table is written by openpyxl: see :func:`set_number`)."""
    return all(
        _fits(value)
        for score in evaluation.scores
        for value in (score.indicator.weight, score.counted, score.computed)
    )


def _fits(value: Decimal | None) -> bool:
    if value is None:
        return True
    known = _FITS.get(value)  # numerically equal Decimals fit alike: a cache by value
    if known is None:
        if len(_FITS) >= 4096:
            _FITS.clear()
        known = _FITS[value] = Decimal(repr(float(value))) == value
    return known


_FITS: dict[Decimal, bool] = {}


class _Streamed:
    """A sheet's streamed rows, and the ``s`` (style index) of each kind of cell met so far.

    The first cell of a kind (a number with its format, a text, an empty cell) is built
    by openpyxl exactly as the unstreamed path builds it — its style then registered as
    openpyxl's writer would register it — and the others of its kind are written from
    its ``s``.  A text a spreadsheet might read as a formula or an error code, or too long
    for a cell, is built by openpyxl each time.
    """

    def __init__(self, rows: StreamedRows, style: Callable[[Any], None]) -> None:
        self.rows = rows
        self.sheet = rows.sheet
        self.style = style
        self._s: dict[tuple[str, ...], str] = {}
        self._text: str | None = None  # a plain text's ` s="…"`, once known

    def number(self, row: int, column: int, value: Decimal, number_format: str) -> str:
        s = self._s.get(("n", number_format))
        if s is None:
            return self._built(
                row, column, ("n", number_format), lambda c: set_number(c, value, number_format)
            )
        return cell_tail(s, "n", format(value, "f"))

    def text(self, row: int, column: int, text: str) -> str:
        if not text.isprintable():
            text = clean_text(text)
        first = text[:1]
        if (
            (first in _RISKY_FIRST and starts_formula(text))
            or len(text) > CELL_TEXT
            or (first == "#" and text in ERROR_CODES)
        ):
            return self._built(row, column, None, lambda c: set_text(c, text))
        s = self._text
        if s is None:
            tail = self._built(row, column, ("s",), lambda c: set_text(c, text))
            self._text = self._s[("s",)]
            return tail
        if "&" in text or "<" in text or ">" in text or "\r" in text:
            return cell_tail(s, "inlineStr", text)
        if first.isspace() or text[-1].isspace():
            return f'{s} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
        return f'{s} t="inlineStr"><is><t>{text}</t></is></c>'

    def empty(self, row: int, column: int) -> str:
        s = self._s.get(("",))
        if s is None:
            return self._built(row, column, ("",), lambda c: None)
        return cell_tail(s, "n", "")

    def _built(
        self, row: int, column: int, key: tuple[str, ...] | None, fill: Callable[[Any], None]
    ) -> str:
        from openpyxl.cell import Cell

        cell = Cell(self.sheet, row=row, column=column)
        fill(cell)
        self.style(cell)
        tail = cell_xml(cell)
        if key is not None:
            self._s[key] = f' s="{cell.style_id}"' if cell.has_style else ""
        return tail


def _score_format(places: int) -> str:
    return "0." + "0" * places if places else "0"


def set_text(cell: Any, text: str) -> None:
    """Write ``text`` as a string that no spreadsheet runs, even ``=100%`` or `` =1``.

    Characters XLSX cannot hold are replaced visibly (``�``), never crash the write.
    """
    text = clean_text(text)
    cell.value = text
    if starts_formula(text):
        cell.data_type = "s"
        cell.quotePrefix = True


def set_number(cell: Any, value: Decimal | None, number_format: str = "General") -> None:
    """Write a Decimal so the file holds exactly its digits (blank for None), with a format.

    openpyxl would print a float with 16 significant digits ("%.16g"), which can
    change the last digit; the cell's XML gets the Decimal's own text instead.  A
    number whose digits the double a spreadsheet stores cannot hold (18-digit
    integers, 2^53 + 1) is written as right-aligned text with a comment saying
    why: shown whole, never rounded.
    """
    if value is None:
        return
    text = format(value, "f")
    if Decimal(repr(float(value))) != value:
        from openpyxl.comments import Comment
        from openpyxl.styles import Alignment

        set_text(cell, text)
        cell.comment = Comment(_AS_TEXT, "perfscore")
        cell.alignment = Alignment(horizontal="right")
        return
    cell.value = float(value)  # the type and bookkeeping of a number …
    cell._value = text  # … and, in the file, exactly the Decimal's digits
    cell.number_format = number_format


_AS_TEXT = (
    "位数超出 Excel 数值精度，按文本保存以免改变数字"
    " (stored as text: a spreadsheet number would change its digits)"
)


def _runs(keys: Sequence[tuple[str, ...]]) -> list[tuple[int, int]]:
    """``(first, last)`` index pairs of the runs of equal consecutive keys."""
    runs: list[tuple[int, int]] = []
    for index, key in enumerate(keys):
        if runs and keys[runs[-1][0]] == key:
            runs[-1] = (runs[-1][0], index)
        else:
            runs.append((index, index))
    return runs


def _join_right(left: Any, right: Any) -> None:
    """Make two adjacent bordered cells look like one (a label spanning A:B, not merged)."""
    from openpyxl.styles import Border, Side

    thin = Side(style="thin", color="808080")
    left.border = Border(left=thin, top=thin, bottom=thin)
    right.border = Border(right=thin, top=thin, bottom=thin)


def _lines(text: str, width: float) -> int:
    """How many lines ``text`` takes in a column ``width`` characters wide."""
    usable = max(width - 1.5, 1)
    if "\n" not in text:  # most cells: one paragraph, measured once
        if 2 * len(text) <= usable:  # no character is wider than 2: it fits on one line
            return 1
        return max(1, math.ceil(display_width(text) / usable))
    return sum(max(1, math.ceil(display_width(part) / usable)) for part in text.split("\n"))


class _Form:
    """Writes sheet 1, keeping track of the next free row."""

    def __init__(
        self,
        sheet: Any,
        evaluation: Evaluation,
        document: Document | None,
        stream: StreamedRows | None = None,
        *,
        table: bool = True,
    ) -> None:
        self.sheet = sheet
        self.evaluation = evaluation
        self.document = document
        self.places = display_places(evaluation)
        self.row = 1
        self._styles: dict[tuple[bool, bool], tuple[int, int, int]] = {}
        self._tops: dict[int, str] = {}  # a merged column's run: its first cell's ` s="…"`
        self.stream = _Streamed(stream, self._style) if stream is not None else None
        self._stream_table = table and self.stream is not None

    def write(self) -> None:
        """Write the whole form and its print setup."""
        self._title()
        self._execution()
        header = self._table()
        self._total()
        self._layout(header)
        if self.stream is not None:
            self.stream.rows.finish()

    def _style(self, cell: Any, *, bold: bool = False, wrap: bool = True) -> None:
        """Font, alignment and border of a table cell.

        openpyxl hashes a style object on every assignment (~30 µs): the ids of the
        first cell so styled are copied to the next ones instead, which keeps a
        100,000-row report linear and fast (``benchmarks/bench_xlsx_report.py``).
        """
        ids = self._styles.get((bold, wrap))
        if ids is not None:
            from openpyxl.styles.cell_style import StyleArray

            if not cell._style:
                cell._style = StyleArray()
            cell._style.fontId, cell._style.alignmentId, cell._style.borderId = ids
            return
        from openpyxl.styles import Alignment, Border, Font, Side

        thin = Side(style="thin", color="808080")
        cell.font = Font(name=_FONT, size=10.5, bold=bold)
        cell.alignment = Alignment(wrap_text=wrap, vertical="center")
        cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        style = cell._style
        self._styles[bold, wrap] = (style.fontId, style.alignmentId, style.borderId)

    def _title(self) -> None:
        from openpyxl.styles import Alignment, Font

        evaluation = self.evaluation
        cell = self.sheet.cell(row=1, column=1)
        set_text(cell, sections.title(evaluation, self.document))
        cell.font = Font(name=_FONT, size=16, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center")
        self.sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=_LAST)
        self.sheet.row_dimensions[1].height = 30
        scheme = evaluation.scheme
        version = f" {scheme.version}" if scheme.version else ""
        note = f"评分方案：{scheme.title}（{scheme.name}{version}）；金额单位：万元"
        cell = self.sheet.cell(row=2, column=1)
        set_text(cell, note)
        cell.font = Font(name=_FONT, size=10)
        self.sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=_LAST)
        self.row = 3

    def _label_row(self, label: str, value: Decimal | str | None, fmt: str, note: str = "") -> None:
        """A ``label | value | note`` row: label in A:B, value in C, note across D:L."""
        sheet, row = self.sheet, self.row
        label_cell = sheet.cell(row=row, column=1)
        set_text(label_cell, label)
        self._style(label_cell, bold=True, wrap=False)
        _join_right(sheet.cell(row=row, column=1), sheet.cell(row=row, column=2))
        value_cell = sheet.cell(row=row, column=3)
        if isinstance(value, str):
            set_text(value_cell, value)
        else:
            set_number(value_cell, value, fmt)
        self._style(value_cell, wrap=False)
        if note:
            set_text(sheet.cell(row=row, column=4), note)
            sheet.merge_cells(start_row=row, start_column=4, end_row=row, end_column=_LAST)
            self._style(sheet.cell(row=row, column=4))
            sheet.row_dimensions[row].height = _LINE_HEIGHT * _lines(note, 150) + _PADDING
        self.row += 1

    def _execution(self) -> None:
        document, execution = self.document, self.evaluation.execution
        project = (
            document.projects[0] if document is not None and len(document.projects) == 1 else None
        )
        if project is not None and project.name and project.name != document.department:  # type: ignore[union-attr]
            self._label_row("项目名称", project.name, "General")
        if document is not None and document.department:
            self._label_row("部门名称", document.department, "General")
        if project is not None and project.unit:
            self._label_row("实施单位", project.unit, "General")
        if not self.evaluation.graded:
            self._label_row("不评定等级", self.evaluation.not_graded_reason, "General")
        if document is not None and document.initial_budget is not None:
            self._label_row("年初预算数", document.initial_budget, "#,##0.00")
        if execution is None:
            self._label_row("预算执行情况", "未提供全年预算数和全年执行数", "General")
        else:
            score = _score_format(self.places)
            self._label_row("全年预算数(A)", execution.budget, "#,##0.00")
            self._label_row("全年执行数(B)", execution.executed, "#,##0.00")
            # B/A has ~28 digits, more than a spreadsheet number holds, so set_number would
            # keep it as text; 12 places (shown as 96.47%) are a number, exact to 1e-12.
            rate = execution.rate.quantize(Decimal("1e-12"), rounding=ROUND_HALF_UP)
            self._label_row("执行率(B/A)", rate, "0.00%")
            self._label_row("预算执行率分值", execution.weight, "General")
            self._label_row("预算执行率得分", execution.counted, score, execution.explanation)
        self.row += 1

    def _table(self) -> int:
        header = self.row
        for column, (title, _, _) in enumerate(COLUMNS, start=1):
            cell = self.sheet.cell(row=header, column=column)
            set_text(cell, title)
            self._style(cell, bold=True)
            self._shade(cell)
        self.sheet.row_dimensions[header].height = _LINE_HEIGHT * 2 + _PADDING
        merges = self._merges()
        if not self._stream_table:
            for score in self.evaluation.scores:
                self.row += 1
                self._score_row(score)
            for column, start, end in merges:
                _merge_down(self.sheet, column, header + 1 + start, header + 1 + end)
        else:
            covered: dict[int, list[int]] = {}
            for column, start, end in merges:
                for index in range(start + 1, end + 1):
                    covered.setdefault(index, []).append(column)
            for index, score in enumerate(self.evaluation.scores):
                self.row += 1
                self._stream_row(_score_values(score), covered.get(index, ()))
            for column, start, end in merges:
                _merge_range(self.sheet, column, header + 1 + start, header + 1 + end)
        self.row += 1
        return header

    def _merges(self) -> list[tuple[int, int, int]]:
        """``(column, first, last)`` of each run of equal goal / 一级 / 二级 cells to merge
        (indexes into the scores), as the official form shows them, in merging order."""
        scores = self.evaluation.scores
        merges: list[tuple[int, int, int]] = []
        for depth, field in enumerate(_MERGED):
            column = 1 + [c[2] for c in COLUMNS].index(field)
            keys = [tuple(getattr(s.indicator, f) for f in _MERGED[: depth + 1]) for s in scores]
            merges.extend(
                (column, start, end)
                for start, end in _runs(keys)
                if end > start and keys[start][-1]
            )
        return merges

    def _shade(self, cell: Any) -> None:
        from openpyxl.styles import Alignment, PatternFill

        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")

    def _score_row(self, score: Score) -> None:
        self._cells(_score_values(score))

    def _stream_row(self, values: dict[str, Any], covered: Sequence[int]) -> None:
        """What :meth:`_cells` writes for ``values``, streamed; a cell in ``covered`` (a
        column merged down from the rows above) is written empty in its run's style, as
        openpyxl writes the merged cell that replaces it."""
        assert self.stream is not None
        stream, row = self.stream, self.row
        stream.rows.start_row()
        score_format = _score_format(self.places)
        at = str(row)
        letters = _LETTERS
        tops = self._tops
        height = 1
        parts: list[str] = []
        for column, (_, width, field) in enumerate(COLUMNS, start=1):
            value = values.get(field)
            if isinstance(value, Decimal):
                tail = stream.number(
                    row, column, value, "General" if field == "weight" else score_format
                )
            elif value:
                text = str(value)
                tail = stream.text(row, column, text)
                height = max(height, _lines(text, width))
            else:
                tail = stream.empty(row, column)
            if column in covered:
                tail = f'{tops[column]} t="n"></c>'
            elif column <= _MERGED_COLUMNS:
                tops[column] = tail[: tail.index(" t=")]
            if tail:
                parts.append(f'<c r="{letters[column]}{at}"{tail}')
        stream.rows.write(row, "".join(parts), _LAST, _LINE_HEIGHT * height + _PADDING)

    def _cells(self, values: dict[str, Any]) -> None:
        score_format = _score_format(self.places)
        height = 1
        for column, (_, width, field) in enumerate(COLUMNS, start=1):
            cell = self.sheet.cell(row=self.row, column=column)
            value = values.get(field)
            if isinstance(value, Decimal):
                set_number(cell, value, "General" if field == "weight" else score_format)
            elif value:
                set_text(cell, str(value))
                height = max(height, _lines(str(value), width))
            self._style(cell)
        self.sheet.row_dimensions[self.row].height = _LINE_HEIGHT * height + _PADDING

    def _total(self) -> None:
        evaluation = self.evaluation
        execution = evaluation.execution
        weight = evaluation.indicator_weight + (execution.weight if execution else Decimal(0))
        parts = f"指标得分 {fmt(evaluation.indicator_total, self.places)}"
        if execution is not None:
            parts += f" + 预算执行得分 {fmt(execution.counted, self.places)}"
        values: dict[str, Any] = {
            "goal": "总分",
            "weight": weight,
            "counted": evaluation.total,
            "computed": evaluation.computed_total,
            "status": f"{grade_label(evaluation)}：{evaluation.grade}",
            "explanation": f"总分 = {parts} = {fmt(evaluation.total, self.places)}",
        }
        self._cells(values)
        for column in range(1, _LAST + 1):
            self._style(self.sheet.cell(row=self.row, column=column), bold=True)

    def _layout(self, header: int) -> None:
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.properties import PageSetupProperties

        sheet = self.sheet
        for column, (_, width, _) in enumerate(COLUMNS, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = width
        sheet.freeze_panes = f"A{header + 1}"  # a coordinate: no cell is made there
        sheet.print_title_rows = f"{header}:{header}"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        sheet.print_options.horizontalCentered = True
        sheet.page_margins.left = sheet.page_margins.right = 0.4
        sheet.page_margins.top = sheet.page_margins.bottom = 0.5
        sheet.oddFooter.center.text = "第 &P 页，共 &N 页"


# --- sheet 2: subtotals and explanations ----------------------------------------------


def _notes_sheet(
    sheet: Any,
    evaluation: Evaluation,
    document: Document | None,
    findings: Sequence[Finding],
    rows: StreamedRows | None = None,
) -> None:
    from openpyxl.styles import Alignment, Font

    stream = (
        _Streamed(rows, lambda c: _styled(c, "note", lambda c: _note_style(c, Font, Alignment)))
        if rows is not None
        else None
    )

    places = display_places(evaluation)
    blocks = [
        ("按绩效目标汇总", *_subtotal_block(evaluation.by_goal, places)),
        ("按一级 / 二级指标汇总", *_subtotal_block(evaluation.by_level2, places)),
        ("失分说明", *_lost_block(evaluation, document, places)),
        ("填报得分与方案得分不一致", *_difference_block(evaluation, places)),
        *_reviewer_blocks(evaluation, places),
        ("需人工复核的指标", *_review_block(evaluation)),
        *_row_notes_block(evaluation),
        ("提示", [], [[w] for w in warning_lines(evaluation, document)]),
        ("复核发现", *_findings_block(findings)),
    ]
    row = 1
    for title, headers, lines in blocks:
        heading = sheet.cell(row=row, column=1)
        set_text(heading, title)
        heading.font = Font(name=_FONT, size=12, bold=True)
        row = _block(sheet, row + 1, headers, lines or [["（无）"]], stream) + 1
    _notes_layout(sheet)
    if stream is not None:
        stream.rows.finish()


_NOTE_WIDTHS = (28, 26, 9, 9, 9, 56, 36)


def _block(
    sheet: Any,
    row: int,
    headers: list[str],
    rows: list[list[Any]],
    stream: _Streamed | None = None,
) -> int:
    """Write a headed block; a row of one text spans the whole width."""
    from openpyxl.styles import Font, PatternFill

    for column, title in enumerate(headers, start=1):
        cell = sheet.cell(row=row, column=column)
        set_text(cell, title)
        cell.font = Font(name=_FONT, size=10.5, bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for values in rows:
        row += 1
        if stream is not None and len(values) > 1 and _numbers_fit(values):
            _stream_note_row(stream, row, values)
        else:
            _note_row(sheet, row, values)
    return row + 1


def _numbers_fit(values: list[Any]) -> bool:
    """Whether a note row's numbers are spreadsheet numbers as they are (no cell note)."""
    return all(_fits(value[0]) for value in values if isinstance(value, tuple))


def _stream_note_row(stream: _Streamed, row: int, values: list[Any]) -> None:
    """What :func:`_note_row` writes for a row of several cells, streamed."""
    stream.rows.start_row()
    at = str(row)
    height = 1
    parts: list[str] = []
    for column, value in enumerate(values, start=1):
        if isinstance(value, tuple) and value[0] is not None:
            tail = stream.number(row, column, value[0], value[1])
        elif value and not isinstance(value, tuple):
            text = str(value)
            tail = stream.text(row, column, text)
            height = max(height, _lines(text, _NOTE_WIDTHS[column - 1]))
        else:
            tail = stream.empty(row, column)
        if tail:
            parts.append(f'<c r="{_LETTERS[column]}{at}"{tail}')
    stream.rows.write(row, "".join(parts), len(values), _LINE_HEIGHT * height + _PADDING)


def _note_row(sheet: Any, row: int, values: list[Any]) -> None:
    from openpyxl.styles import Alignment, Font

    widths = _NOTE_WIDTHS if len(values) > 1 else (sum(_NOTE_WIDTHS),)
    height = 1
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column)
        if isinstance(value, tuple):
            set_number(cell, value[0], value[1])
        elif value:
            set_text(cell, str(value))
            height = max(height, _lines(str(value), widths[column - 1]))
        _styled(cell, "note", lambda c: _note_style(c, Font, Alignment))
    if len(values) == 1:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(_NOTE_WIDTHS))
    sheet.row_dimensions[row].height = _LINE_HEIGHT * height + _PADDING


def _note_style(cell: Any, font: Any, alignment: Any) -> None:
    cell.font = font(name=_FONT, size=10.5)
    cell.alignment = alignment(wrap_text=True, vertical="top")


def _styled(cell: Any, key: str, style: Callable[[Any], None]) -> None:
    """Style ``cell`` as ``style`` does, copying the ids of the workbook's first such cell.

    openpyxl hashes a style object on every assignment (~30 µs a cell): copying the
    ids keeps a 100,000-row report linear and fast.
    """
    from openpyxl.styles.cell_style import StyleArray

    cache: dict[str, tuple[int, int, int]] = cell.parent.parent.__dict__.setdefault(
        "_perfscore_styles", {}
    )
    ids = cache.get(key)
    if ids is None:
        style(cell)
        cache[key] = (cell._style.fontId, cell._style.alignmentId, cell._style.borderId)
        return
    if not cell._style:
        cell._style = StyleArray()
    cell._style.fontId, cell._style.alignmentId, cell._style.borderId = ids


def _notes_layout(sheet: Any) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    for column, width in enumerate(_NOTE_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def _subtotal_block(groups: Sequence[Any], places: int) -> tuple[list[str], list[list[Any]]]:
    score = _score_format(places)
    rows: list[list[Any]] = [
        [g.label, "", (g.weight, "General"), (g.counted, score), (g.computed, score)]
        for g in groups
    ]
    return ["分组", "", "分值", "得分", "方案得分"], rows


def _lost_block(
    evaluation: Evaluation, document: Document | None, places: int
) -> tuple[list[str], list[list[Any]]]:
    score = _score_format(places)
    rows: list[list[Any]] = [
        [
            "预算执行" if r.row is None else f"第{r.row}行 {r.goal}",
            r.name,
            (r.weight, "General"),
            (r.counted, score),
            (r.points, score),
            r.explanation,
            r.reason,
        ]
        for r in lost_rows(evaluation, document)
    ]
    return ["行", "三级指标", "分值", "得分", "失分", "得分说明", "偏差原因分析及改进措施"], rows


def _reviewer_blocks(
    evaluation: Evaluation, places: int
) -> list[tuple[str, list[str], list[list[Any]]]]:
    """自评与审核对照, when a reviewer's column was read (else no block at all)."""
    from ..review.reviewed import compare, has_review

    if not has_review(evaluation):
        return []
    comparison = compare(evaluation)
    score = _score_format(places)
    rows: list[list[Any]] = [
        [
            f"第{r.row}行",
            r.name,
            (r.published, score),
            (r.reviewed, score),
            (r.computed, score),
            r.explanation,
            r.note,
        ]
        for r in comparison.rows
    ]
    rows.append([comparison.explanation])
    headers = ["行", "三级指标", "自评得分", "审核得分", "方案得分", "说明", "审核意见"]
    return [("自评与审核对照", headers, rows)]


def _difference_block(evaluation: Evaluation, places: int) -> tuple[list[str], list[list[Any]]]:
    score = _score_format(places)
    rows: list[list[Any]] = [
        [
            f"第{r.row}行",
            r.name,
            (r.computed, score),
            (r.published, score),
            (r.points, score),
            r.explanation,
            r.reason,
        ]
        # The execution block's difference is shown on the form's first sheet.
        for r in difference_rows(evaluation, None)
        if r.row is not None
    ]
    headers = ["行", "三级指标", "方案得分", "填报得分", "差额", "说明", "填报的偏差原因"]
    return headers, rows


def _review_block(evaluation: Evaluation) -> tuple[list[str], list[list[Any]]]:
    rows: list[list[Any]] = [
        [
            f"第{s.indicator.row}行",
            s.indicator.level3,
            s.indicator.target,
            s.indicator.actual,
            "",
            s.explanation,
        ]
        for s in evaluation.needs_review
    ]
    return ["行", "三级指标", "年度指标值", "实际完成值", "", "原因"], rows


def _row_notes_block(evaluation: Evaluation) -> list[tuple[str, list[str], list[list[Any]]]]:
    """指标值来源、调整与评分标准 (issue 19), only when a row has any of them."""
    rows: list[list[Any]] = [
        [f"第{s.indicator.row}行", s.indicator.level3, label, "", "", text]
        for s in evaluation.scores
        for label, text in row_notes(s)
    ]
    if not rows:
        return []
    return [("指标值来源、调整与评分标准", ["行", "三级指标", "项目", "", "", "内容"], rows)]


def _findings_block(findings: Sequence[Finding]) -> tuple[list[str], list[list[Any]]]:
    rows: list[list[Any]] = [
        [
            f"{finding_name(f.code)}（{f.code}）",
            f.text,
            SEVERITY_LABELS[f.severity.value],
            (Decimal(f.row), "General") if f.row is not None else "",
            "",
            f.message,
            f.suggestion,
        ]
        for f in findings
    ]
    return ["发现（代码）", "内容", "级别", "行", "", "说明", "建议"], rows


# --- sheet 3: charts -------------------------------------------------------------------


def _charts_sheet(sheet: Any, evaluation: Evaluation) -> None:
    """Native Excel bar charts (they open in Excel and WPS) beside the figures they draw."""
    from openpyxl.styles import Font

    places = display_places(evaluation)
    charts = [
        ("按一级指标的失分", "一级指标", lost_bars(evaluation.by_level1)),
        ("按二级指标的失分", "一级 / 二级指标", lost_bars(evaluation.by_level2)),
        ("按绩效目标的失分", "绩效目标", lost_bars(evaluation.by_goal)),
        ("总分对照", "总分", total_bars(evaluation)),
    ]
    row = 1
    heading = sheet.cell(row=row, column=1)
    set_text(heading, "图表（数据见左侧，图表随数据更新）")
    heading.font = Font(name=_FONT, size=12, bold=True)
    row = 3
    for title, label, bars in charts:
        if not bars:
            continue
        row = _chart_block(sheet, row, title, label, bars, places)
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 12
    _fit_to_width(sheet)


def _fit_to_width(sheet: Any) -> None:
    """Print on A4 landscape, as wide as one page, as long as it takes."""
    from openpyxl.worksheet.properties import PageSetupProperties

    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def _chart_block(
    sheet: Any, row: int, title: str, label: str, bars: Sequence[Bar], places: int
) -> int:
    """Write a chart's figures at ``row`` (label | 分值) and a bar chart beside them."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.chart.data_source import AxDataSource, StrRef
    from openpyxl.styles import Font

    set_text(sheet.cell(row=row, column=1), label)
    set_text(sheet.cell(row=row, column=2), "分")
    for column in (1, 2):
        sheet.cell(row=row, column=column).font = Font(name=_FONT, size=10.5, bold=True)
    for n, bar in enumerate(bars, start=1):
        set_text(sheet.cell(row=row + n, column=1), bar.label)
        set_number(sheet.cell(row=row + n, column=2), bar.value, _score_format(places))
    chart = BarChart()
    chart.type = "bar"  # horizontal bars: long Chinese labels stay readable
    chart.title = title
    chart.legend = None
    chart.y_axis.title = "分"
    chart.height = max(5.0, 1.1 * len(bars) + 2.5)
    chart.width = 16
    last = row + len(bars)
    chart.add_data(Reference(sheet, min_col=2, min_row=row, max_row=last), titles_from_data=True)
    # Categories are texts: a string reference, so Excel and WPS show the labels, not 1, 2, 3.
    labels = Reference(sheet, min_col=1, min_row=row + 1, max_row=last)
    for series in chart.series:
        series.cat = AxDataSource(strRef=StrRef(f=str(labels)))
    chart.x_axis.scaling.orientation = "maxMin"  # the largest loss on top, as listed
    chart.y_axis.scaling.min = 0  # bars from zero: 93.95 against 95.43 is not a big gap
    sheet.add_chart(chart, f"D{row}")
    # Leave room for the chart (about 20 px a row) before the next block.
    return last + max(len(bars), int(chart.height * 2)) + 3


def to_xlsx(
    evaluation: Evaluation, *, document: Document | None = None, findings: Sequence[Finding] = ()
) -> bytes:
    """Return the official 自评表 layout as an Excel workbook (needs ``perfscore[excel]``)."""
    return workbook_bytes(evaluation, document=document, findings=findings)


def _score_values(score: Score) -> dict[str, Any]:
    """An indicator row's cells by field."""
    i = score.indicator
    return {
        "goal": i.goal,
        "level1": i.level1,
        "level2": i.level2,
        "level3": i.level3,
        "target": i.target,
        "actual": i.actual,
        "weight": i.weight,
        "counted": score.counted,
        "computed": score.computed,
        "status": STATUS_LABELS[score.status] + ("\n≠方案得分" if score.differs else ""),
        "explanation": score.explanation,
        "reason": i.reason,
    }


def _merge_range(sheet: Any, column: int, first: int, last: int) -> None:
    """Record the merge of ``column`` from ``first`` to ``last`` over streamed rows: the
    range only (the covered cells are in the stream), added as :func:`_merge_down` adds it."""
    from openpyxl.worksheet.cell_range import CellRange
    from openpyxl.worksheet.merge import MergedCellRange

    merged = MergedCellRange.__new__(MergedCellRange)
    merged.ws = sheet
    CellRange.__init__(merged, range_string=f"{letter(column)}{first}:{letter(column)}{last}")
    merged.start_cell = None
    sheet.merged_cells.add(merged)


def _merge_down(sheet: Any, column: int, first: int, last: int) -> None:
    """Merge ``column`` from row ``first`` to ``last``: ``merge_cells`` without its cost.

    openpyxl's ``merge_cells`` re-applies borders cell by cell, hashing a style
    object each time (~10 ms for a long run); every table cell here already has the
    same full border, so the covered cells take the top cell's style as it is.
    """
    from openpyxl.cell.cell import MergedCell
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.merge import MergedCellRange

    letter = get_column_letter(column)
    merged = MergedCellRange(sheet, f"{letter}{first}:{letter}{last}")
    top = sheet.cell(row=first, column=column)
    for row in range(first + 1, last + 1):
        cell = MergedCell(sheet, row=row, column=column)
        cell._style = copy.copy(top._style)
        sheet._cells[row, column] = cell
    sheet.merged_cells.add(merged)
