"""Cells → an indicator row: the one place where a row's cells become fields.

Shared by the text/Word reader (``self_evaluation``) and the spreadsheet reader
(``tabular``); imports only the core.  Each cell is read once and every bad
number becomes one diagnostic, so the row itself is always kept.
"""

from __future__ import annotations

import functools
import re
import typing
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from ..documents import Diagnostic, Severity
from ..indicators import (
    Indicator,
    compose_target,
    fold_label,
    parse_decimal,
    parse_points,
    trusted_indicator,
)

__all__ = [
    "BAD_NUMBER",
    "GOAL_LABEL",
    "YEAR",
    "RowPlan",
    "UnsavedFormula",
    "cell_text",
    "docx_row_cells",
    "fold_label",
    "indicator_from_row",
    "unsaved_formula_message",
]

# 绩效目标1 / 绩效目标一: a goal label on its own (a row or a cell that sets the goal).
GOAL_LABEL = re.compile(r"绩效目标\s*(?:[0-9０-９]+|[一二三四五六七八九十]+)")
# The evaluation year in a title: 2024年度 / 2024 年.
YEAR = re.compile(r"((?:19|20)\d\d)\s*年度?")
BAD_NUMBER = "不是有效数字，按空白读取 (not a number, read as empty)"
# Fields read as numbers, and the Indicator attribute each fills.
_NUMBERS = {"weight": "weight", "score": "published", "reviewed": "reviewed"}
_NOT_TEXT = frozenset({*_NUMBERS, "coefficient"})
# Columns whose presence means a target may have to be composed (indicators.compose_target).
_COMPOSED = frozenset({"comparator", "unit", "initial_target", "adjusted_target"})


@typing.final
class UnsavedFormula(str):
    """A spreadsheet cell holding a formula whose value was never saved (``=G13*1``).

    The text is the formula; ``address`` the cell (``H13``).  It reads as an empty
    cell's text but is never taken as empty: every reader reports it.  Final: readers
    find it by its exact type.
    """

    address: str

    def __new__(cls, formula: str, address: str) -> UnsavedFormula:
        made = super().__new__(cls, formula)
        made.address = address
        return made


def unsaved_formula_message(cell: UnsavedFormula, column: str = "") -> str:
    """The bilingual message for an unsaved formula: where, which, and what to do."""
    where = f"「{column}」" if column else ""
    return (
        f"{where}单元格 {cell.address} 是公式「{cell}」，文件中没有保存计算结果，"
        "不能当作空白或数值读取：请用 Excel 或 WPS 打开该文件并保存后再读取"
        f" (cell {cell.address} holds the formula {cell} with no saved value: open the file in"
        " Excel or WPS, save it, and read it again)"
    )


def cell_text(cell: object) -> str:
    """A cell as text: ``None`` is empty, a whole float loses its ``.0`` (Excel's 10.0 → "10").

    An :class:`UnsavedFormula` has no value to give: its text is empty (and reported).
    """
    if type(cell) is str:  # the common case first (an UnsavedFormula is a str subclass)
        return cell.strip()
    if cell is None or isinstance(cell, UnsavedFormula):
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def indicator_from_row(
    headers: Mapping[str, str], cells: Mapping[str, object], *, number: int, file: str
) -> tuple[Indicator, list[Diagnostic]]:
    """Build an :class:`Indicator` from field → cell, reading each bad number as empty.

    ``headers`` maps a field to the header the user sees, named in diagnostics.
    Every bad cell gives one diagnostic; the row itself is always returned.
    """
    fields: dict[str, object] = {}
    diagnostics: list[Diagnostic] = []
    problems: list[str] = []
    for field, cell in cells.items():
        if type(cell) is str and field not in _NOT_TEXT:
            fields[field] = cell.strip()  # the common case, first
            continue
        if isinstance(cell, UnsavedFormula):
            column = headers.get(field, field)
            message = unsaved_formula_message(cell, column)
            diagnostics.append(Diagnostic(message, Severity.ERROR, file, number, column, cell))
            if field == "score":
                # The scheme's score is still computed and shown; the document is not
                # graded from it (score.rollup), since the unit's own score is unknown.
                fields["published_formula"] = f"{cell.address}: {cell}"
            else:
                problems.append(message)
            cell = None
        if field in _NOT_TEXT:
            column = headers.get(field, field)
            fields[_NUMBERS.get(field, field)] = _number(
                field, cell, column, file, number, diagnostics, parse_points
            )
            continue
        fields[field] = cell_text(cell)
    if not _COMPOSED.isdisjoint(cells):
        texts = {f: v for f, v in fields.items() if isinstance(v, str)}
        fields |= compose_target(texts, headers)
    if problems:
        fields["read_problem"] = "；".join(
            p for p in (*problems, str(fields.get("read_problem") or "")) if p
        )
    return Indicator(row=number, **fields), diagnostics  # type: ignore[arg-type]


def _number(
    field: str,
    cell: object,
    column: str,
    file: str,
    number: int,
    diagnostics: list[Diagnostic],
    parse: Callable[[object], Decimal | None],
) -> Decimal | None:
    """A number cell's value (``parse`` for 分值/得分, parse_decimal for 系数); a bad one is
    one diagnostic and is kept as an empty cell: the row still comes out, with its status."""
    if field == "coefficient":
        try:
            return parse_decimal(cell)
        except ValueError:
            diagnostics.append(
                Diagnostic(BAD_NUMBER, Severity.WARNING, file, number, column, str(cell))
            )
            return None
    try:
        return parse(cell)
    except ValueError as error:
        reason = str(error) if str(error).startswith(("分值", "数字")) else BAD_NUMBER
        diagnostics.append(Diagnostic(reason, Severity.ERROR, file, number, column, str(cell)))
        return None


# 分值 and 得分 cells repeat down a form and across a batch ("2", 10, 1.5): parse_points is
# pure, so each distinct cell is parsed once.  A text or an int is its own key (two equal
# ones are the same value); a float is keyed by its repr (0.0 == -0.0, but parse_points
# reads a float through its repr); a Decimal is never cached (Decimal("1.0") ==
# Decimal("1")).  Only values are cached: a bad cell raises anew, with its own message.
@functools.lru_cache(maxsize=4096)
def _points_of_text(cell: str | int) -> Decimal | None:
    """parse_points(cell) for a text or an int cell."""
    return parse_points(cell)


@functools.lru_cache(maxsize=4096)
def _points_of_float(shown: str, cell: float) -> Decimal | None:
    """parse_points(cell), which depends on ``repr(cell)`` (``shown``) alone."""
    return parse_points(cell)


def points(cell: object) -> Decimal | None:
    """:func:`parse_points`, remembered for text, int and float cells (see above)."""
    kind = type(cell)
    if kind is str or kind is int:
        return _points_of_text(cell)
    if kind is float:
        return _points_of_float(repr(cell), cell)
    return parse_points(cell)


class RowPlan:
    """How one sheet's indicator rows become :class:`Indicator` values, decided once.

    ``columns`` is the sheet's field → column index (its header), ``headers`` the
    header named in a diagnostic for each field.  :meth:`indicator` gives exactly
    what :func:`indicator_from_row` gives for the row's field → cell mapping, with the
    carried goal and level texts over the row's own: the texts come from the row's
    cell texts, made once; the numbers are parsed once per distinct text.
    """

    __slots__ = ("_columns", "_composed", "_file", "_headers", "_numbers", "_texts")

    def __init__(self, columns: Mapping[str, int], headers: Mapping[str, str], file: str) -> None:
        self._columns = dict(columns)
        self._headers = dict(headers)
        self._file = file
        self._texts = tuple((f, at) for f, at in columns.items() if f not in _NOT_TEXT)
        # (field, Indicator attribute, column, header), in column order: bad cells are
        # reported in that order, as indicator_from_row reports them.
        self._numbers = tuple(
            (f, _NUMBERS.get(f, f), at, headers.get(f, f))
            for f, at in columns.items()
            if f in _NOT_TEXT
        )
        self._composed = not _COMPOSED.isdisjoint(columns)

    def indicator(
        self,
        row: Sequence[object],
        cells: Sequence[str],
        carried: Mapping[str, str],
        number: int,
        diagnostics: list[Diagnostic],
    ) -> Indicator:
        """Row ``number``'s indicator; its diagnostics are appended to ``diagnostics``.

        ``row`` holds the cell values, ``cells`` their :func:`cell_text` (at least as
        long as the header), ``carried`` the goal and level texts carried down.
        """
        if "" in cells and UnsavedFormula in set(map(type, row)):
            # An unsaved formula (its text is empty): the general reader reports it.
            values = {f: row[i] if i < len(row) else None for f, i in self._columns.items()}
            values |= carried
            made, found = indicator_from_row(self._headers, values, number=number, file=self._file)
            diagnostics.extend(found)
            return made
        fields: dict[str, object] = {f: cells[at] for f, at in self._texts}
        fields.update(carried)
        size = len(row)
        for field, name, at, column in self._numbers:
            cell = row[at] if at < size else None
            fields[name] = _number(field, cell, column, self._file, number, diagnostics, points)
        if self._composed:
            texts = {f: v for f, v in fields.items() if isinstance(v, str)}
            fields |= compose_target(texts, self._headers)
        return trusted_indicator(number, **fields)


def docx_row_cells(row: Any) -> list[tuple[Any, str]]:
    """A python-docx table row's cells as ``(w:tc element, text)``, in grid order.

    python-docx repeats a spanned cell and hands back the cell above for a vertical
    continuation; a continuation in a table's first row has no cell above and makes
    python-docx raise: then the row's own cells are read, the continuation as its text.
    """
    try:
        return [(cell._tc, cell.text) for cell in row.cells]
    except ValueError:
        return [(tc, _tc_text(tc)) for tc in row._tr.tc_lst]


def _tc_text(tc: Any) -> str:
    """The text of a ``w:tc`` element, paragraphs joined by newlines (as python-docx does)."""
    paragraphs = tc.findall(f"{_W}p")
    return "\n".join("".join(t.text or "" for t in p.iter(f"{_W}t")) for p in paragraphs)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
