"""Worksheet rows written as the XML openpyxl writes for the same cells.

openpyxl builds a cell object for every value (about 2 µs), hashes a style object on
every assignment, and at save builds an lxml element per cell: in a 100,000-row
report that was most of its 40 seconds.  The report's long tables and the batch
summary's rows are the same few styles over and over, so they are written here as
text instead: a cell's ``s`` (style index) is found once per kind of cell from a cell
built by openpyxl itself, in the order openpyxl would register it, and every other
cell of that kind is a formatted string.  :func:`splice` puts the rows into the saved
workbook.  ``tests/report/test_xlsx_stream.py`` and ``tests/scale/test_batch_golden.py``
compare every part of such workbooks with openpyxl's own, byte for byte.
"""

from __future__ import annotations

import io
import re
import shutil
import tempfile
import zipfile
from collections.abc import Mapping
from typing import IO, Any

__all__ = ["CELL_TEXT", "ERROR_CODES", "StreamedRows", "cell_tail", "cell_xml", "letter", "splice"]

ERROR_CODES = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))
CELL_TEXT = 32767  # the longest text a cell holds: openpyxl cuts a longer one there


def cell_tail(style: str, kind: str, text: str) -> str:
    """One ``<c>`` element as lxml writes openpyxl's cell, after its ``<c r="A2"``:
    ``style`` its `` s="…"`` (or ""), ``kind`` its ``t`` (an ``inlineStr`` text in
    ``<is><t>``, anything else in ``<v>``), empty when ``text`` is."""
    head = f'{style} t="{kind}">'
    if text == "":
        return head + "</c>"
    if kind != "inlineStr":
        return f"{head}<v>{escape(text)}</v></c>"
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f"{head}<is><t{space}>{escape(text)}</t></is></c>"


def escape(text: str) -> str:
    """Text content as lxml writes it (non-ASCII becomes references when encoded as
    ASCII, as openpyxl's sheets are): the XLSX rows' and the Word outputs' text."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


def number_text(value: Any) -> str:
    """openpyxl's ``safe_string``: numbers with 16 significant digits, texts as they are."""
    if isinstance(value, str):
        return value
    from openpyxl.compat import safe_string

    return str(safe_string(value))


def cell_xml(cell: Any) -> str:
    """A cell object as openpyxl's ``write_row`` and ``lxml_write_cell`` write it, after
    its reference (:func:`cell_tail`); "" for a cell the writer skips.  Its style index
    is registered now, as the writer would register it.  (Comments are the caller's.)"""
    value, styled = cell._value, cell.has_style
    if value is None and not styled and cell._comment is None:
        return ""
    style = f' s="{cell.style_id}"' if styled else ""
    kind = "inlineStr" if cell.data_type == "s" else cell.data_type
    return cell_tail(style, kind, "" if value is None else number_text(value))


_LETTERS: list[str] = []


def letter(column: int) -> str:
    """A column's letters (1 → A), from a list grown as needed."""
    if column >= len(_LETTERS):
        from openpyxl.utils import get_column_letter

        _LETTERS.extend(
            get_column_letter(n) if n else "" for n in range(len(_LETTERS), column + 64)
        )
    return _LETTERS[column]


class StreamedRows:
    """Rows of an ordinary (not write-only) worksheet written as text, in increasing row
    order, between rows that openpyxl itself writes.

    Row numbers a caller streams must not hold openpyxl cells or row dimensions.  Before
    each streamed row, the style indexes of the openpyxl cells added since the last one
    are registered in the order openpyxl's writer would meet them, so every index comes
    out as openpyxl alone would number it.  :meth:`finish` registers the rest when the
    sheet is done; :func:`splice` puts the rows in place and widens the sheet's
    ``<dimension>`` to cover them.
    """

    def __init__(self, sheet: Any) -> None:
        self.sheet = sheet
        self.file: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=1 << 22)  # noqa: SIM115 see close
        # (first row, last row, start offset) of each run of consecutive streamed rows.
        self.segments: list[list[int]] = []
        self._seen = 0  # how many of the sheet's cells have had their styles registered
        self._new = False  # openpyxl cells came since the last streamed row
        self._heights: dict[float, str] = {}
        self.rows = 0
        self.first_row = self.last_row = 0
        self.max_column = 0

    def start_row(self) -> None:
        """Call before building a streamed row's cells: registers the styles of the
        openpyxl cells added since the last row, in row order as the writer meets them (a
        row after such cells starts a new segment)."""
        self._new = self._register() or self._new

    def _register(self) -> bool:
        """Register the styles of the openpyxl cells added since the last call; whether
        there were any."""
        cells = self.sheet._cells
        if len(cells) == self._seen:
            return False
        items = list(cells.items())[self._seen :]
        self._seen = len(cells)
        for _, cell in sorted(items, key=lambda item: item[0]):
            if cell.has_style:
                cell.style_id  # noqa: B018 registers the style, as the writer does
        return True

    def close(self) -> None:
        """Let go of the rows' temporary file."""
        self.file.close()

    def finish(self) -> None:
        """The sheet is done: register its remaining openpyxl cells' styles."""
        self._register()

    def write(self, number: int, xml: str, width: int, height: float | None) -> None:
        """Write row ``number`` (after :meth:`start_row`), whose cells' XML is ``xml``;
        ``width`` the columns a cell was made in (the sheet's extent); ``height`` the
        row's height in points (None: no row dimension)."""
        new, self._new = self._new, False
        if new or not self.segments or self.segments[-1][1] != number - 1:
            self.segments.append([number, number, self.file.tell()])
        else:
            self.segments[-1][1] = number
        attributes = self._heights.get(height) if height is not None else ""
        if attributes is None:
            from openpyxl.worksheet.dimensions import RowDimension

            assert height is not None
            dimension = dict(RowDimension(self.sheet, index=number, ht=height))
            attributes = self._heights[height] = "".join(
                f' {name}="{value}"' for name, value in dimension.items()
            )
        self.file.write(
            f'<row r="{number}"{attributes}>{xml}</row>'.encode("ascii", "xmlcharrefreplace")
            if xml
            else f'<row r="{number}"{attributes}/>'.encode("ascii")
        )
        if not self.rows:
            self.first_row = number
        self.rows += 1
        self.last_row = number
        self.max_column = max(self.max_column, width)


_ROW = re.compile(rb'<row r="(\d+)"')
_DIMENSION = re.compile(rb'<dimension ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def splice(book: bytes, sheets: Mapping[str, StreamedRows]) -> bytes:
    """``book`` (a saved workbook) with each part of ``sheets`` (``xl/worksheets/sheet1.xml``
    → its streamed rows) given its rows in place, its ``<dimension>`` widened to them.
    The other parts are copied as they are."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(book)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            rows = sheets.get(info.filename)
            if rows is None or not rows.rows:
                target.writestr(info, data)
                continue
            with target.open(info, "w", force_zip64=True) as part:
                _spliced(data, rows, part)
    return out.getvalue()


def _spliced(data: bytes, rows: StreamedRows, part: IO[bytes]) -> None:
    """Write the sheet ``data`` with ``rows`` put before the openpyxl rows that follow them."""
    data = _widened(data, rows)
    empty = data.find(b"<sheetData/>")
    if empty >= 0:
        data = data[:empty] + b"<sheetData></sheetData>" + data[empty + len(b"<sheetData/>") :]
    end = data.rindex(b"</sheetData>")
    start = data.index(b"<sheetData>")
    # Where each openpyxl row starts, in row order, as openpyxl writes them.
    places = [(int(m.group(1)), m.start()) for m in _ROW.finditer(data, start, end)]
    at, written, stream = 0, 0, rows.file
    stream.seek(0)
    for index, (first, last, offset) in enumerate(rows.segments):
        while at < len(places) and places[at][0] < first:
            at += 1
        if at < len(places) and places[at][0] <= last:
            raise AssertionError(f"row {places[at][0]} was written both ways")
        place = places[at][1] if at < len(places) else end
        part.write(data[written:place])
        written = place
        size = rows.segments[index + 1][2] if index + 1 < len(rows.segments) else None
        if size is None:
            shutil.copyfileobj(stream, part, 1 << 20)
        else:
            _copy(stream, part, size - offset)
    part.write(data[written:])


def _copy(source: IO[bytes], target: IO[bytes], size: int) -> None:
    while size > 0:
        chunk = source.read(min(size, 1 << 20))
        if not chunk:
            break
        target.write(chunk)
        size -= len(chunk)


def _widened(data: bytes, rows: StreamedRows) -> bytes:
    """``<dimension ref>`` over the openpyxl cells and the streamed rows alike."""
    match = _DIMENSION.search(data)
    if match is None:
        return data
    from openpyxl.utils import column_index_from_string

    sheet = rows.sheet
    if sheet._cells:
        low_column, low_row = (
            column_index_from_string(match.group(1).decode()),
            int(match.group(2)),
        )
        high_column = column_index_from_string((match.group(3) or match.group(1)).decode())
        high_row = int(match.group(4) or match.group(2))
        low_row, high_row = min(low_row, rows.first_row), max(high_row, rows.last_row)
        low_column, high_column = min(low_column, 1), max(high_column, rows.max_column)
    else:
        low_row, high_row, low_column, high_column = (
            rows.first_row,
            rows.last_row,
            1,
            rows.max_column,
        )
    ref = f'<dimension ref="{letter(low_column)}{low_row}:{letter(high_column)}{high_row}"'
    return data[: match.start()] + ref.encode() + data[match.end() :]
