"""CSV and tab-separated text as people edit it, one row at a time.

A CSV saved by Excel is regular; one edited by hand is not: a quote opened and
never closed swallows the rest of the file into one cell.  :func:`csv_rows`
reads with :mod:`csv` and, where a record has plainly swallowed whole lines
(a cell holding a line break and, on a line of its own, two or more
delimiters, or running to the end of the file), reads those lines again as
plain lines and records a diagnostic naming the row, so no row is lost and
nothing raises but a file that is not a table at all.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from ..documents import Diagnostic, Severity
from ..errors import ReadError
from . import _files

__all__ = ["csv_rows", "unquote"]

UNCLOSED = (
    "第{row}行的引号未闭合，把其后各行并进了一个单元格；本行已按逐格读取，请检查该行的引号"
    " (an unclosed quote on row {row} ran on into the lines below; the row is read cell by"
    " cell: check the quotes on that row)"
)


def csv_rows(text: str, file: str, delimiter: str, notes: list[Diagnostic]) -> Iterator[list[str]]:
    """Rows of a CSV/TSV text, one at a time, refusing a table longer than ``MAX_ROWS``.

    Problems that do not stop the reading go to ``notes``.  A line whose quote is
    never closed is read as a plain line, and reading starts again on the next line.
    """
    lines = io.StringIO(text, newline="").readlines()
    # Without a ' in the text no cell needs unquote; without a " no cell holds a line
    # break (only a quoted cell can), so no record can have swallowed lines.
    apostrophes, quotes = "'" in text, '"' in text
    count = 0
    start = 0
    widest = 0  # the most cells a record has had: a swallowed table line has about as many
    while start < len(lines):
        reader = csv.reader(iter(lines[start:]), delimiter=delimiter)
        read_lines = 0
        restart = None
        try:
            for row in reader:
                first, read_lines = read_lines, reader.line_num
                count += 1
                _check_count(file, count)
                at_end = start + read_lines >= len(lines)
                if quotes and _swallowed(row, delimiter, at_end=at_end, widest=widest):
                    line = lines[start + first]
                    notes.append(
                        Diagnostic(UNCLOSED.format(row=count), Severity.WARNING, file, count,
                                   text=line.strip()[:60])
                    )  # fmt: skip
                    yield [unquote(c.strip('"')) for c in line.rstrip("\r\n").split(delimiter)]
                    restart = start + first + 1
                    break
                widest = max(widest, len(row))
                yield [unquote(cell) for cell in row] if apostrophes else row
        except csv.Error as error:  # a field over csv's 131,072-character limit, a stray NUL
            message = (
                f"CSV 格式错误 (malformed CSV: {error})"
                if delimiter == ","
                else f"表格文本格式错误 (malformed tab-separated text: {error})"
            )
            raise ReadError(message, file=file, row=count + 1) from None
        if restart is None:
            return
        start = restart


def _check_count(file: str, count: int) -> None:
    if count > _files.MAX_ROWS:
        raise _files.too_many_rows(file, count)


def _swallowed(row: list[str], delimiter: str, *, at_end: bool, widest: int) -> bool:
    """Whether a record holds lines an unclosed quote swallowed (not a cell with a line break).

    A cell's own text may break lines and hold a comma or two; table lines inside
    it (about as many delimiters as a row of the table has: three fewer, at least
    two), or a cell running on to the end of the file (ending in a line break), are
    the mark of a quote never closed.
    """
    least = max(2, widest - 3)
    for cell in row:
        if "\n" not in cell and "\r" not in cell:
            continue
        if at_end and cell.endswith(("\n", "\r")):
            return True  # the quote ran on to the end of the file
        if cell.count(delimiter) >= least:
            return True
    return False


def unquote(cell: str) -> str:
    """Undo the ``'`` that keeps a spreadsheet from running ``=100%`` as a formula."""
    if len(cell) > 1 and cell[0] == "'" and cell[1] in "=+-@":
        return cell[1:]
    return cell
