"""Measure, wrap and tabulate text by terminal display width (Chinese characters count two).

Core helper shared by the errors, the reports and the CLI; it imports nothing from perfscore.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate, repeat
from operator import add, sub
from typing import Any

__all__ = ["SEVERITY_LABELS", "display_width", "grid", "simple_grid", "wrap"]

# One Chinese word per severity, for review findings and reading diagnostics alike (keyed
# by the value both enums share, so no enum is imported when the CLI starts).
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}

# A run of printable ASCII (an English word, a number like 1,234.5), or one other character:
# wrapping breaks between tokens so that a number is never cut in two.
_TOKEN = re.compile(r"[!-~]+|.", re.DOTALL)


# Each character's width, as wcwidth gives it (negative for controls → 0), filled on
# first sight: a report of 100,000 rows measures a few thousand distinct characters.
_WIDTHS: dict[str, int] = {}


# Recently measured non-ASCII texts (≤ 200 characters each) and their widths.
_MEASURED: dict[str, int] = {}
_MEASURED_MAX = 20_000


def _char_width(char: str) -> int:
    # Imported here, not at the top: wcwidth and tabulate take ~45 ms to import
    # (importlib.metadata included), and only errors being shown and tables need them.
    from wcwidth import wcwidth

    width = _WIDTHS[char] = max(wcwidth(char), 0)
    return width


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes: 2 for a Chinese character, 0 for a control character."""
    if text.isascii() and text.isprintable():
        return len(text)  # the common case: digits, Latin letters, ASCII punctuation
    known = _MEASURED.get(text)
    if known is not None:  # a table measures each cell twice (to wrap, then to align)
        return known
    try:
        width = sum(map(_WIDTHS.__getitem__, text))
    except KeyError:  # a character not seen before: measure each once, then sum
        for char in set(text) - _WIDTHS.keys():
            _char_width(char)
        width = sum(map(_WIDTHS.__getitem__, text))
    if len(_MEASURED) >= _MEASURED_MAX:
        _MEASURED.clear()  # bounded: a few MB at most, whatever the report's size
    if len(text) <= 200:
        _MEASURED[text] = width
    return width


def wrap(text: str, width: int) -> str:
    """Wrap ``text`` at ``width`` display columns, never splitting an ASCII run.

    A number or word wider than a whole line gets a line of its own, wider than
    ``width``: a table column grows rather than show ``5051.1`` above ``5万元``.
    """
    if len(text) * 2 <= width and text.isprintable():
        return text.rstrip()  # one short line (a line break is not printable): it fits
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        size = len(paragraph)
        # Most cells fit: a text of n characters is at most 2n columns wide, so a short
        # one needs no measuring; a long one goes to _break, which keeps one that fits.
        if size * 2 <= width or (size <= width and display_width(paragraph) <= width):
            lines.append(paragraph.rstrip())
            continue
        lines.extend(_break(paragraph, width))
    return "\n".join(lines)


_ASCII_TAIL = re.compile(r"[!-~]+\Z")
_ASCII_RUN = re.compile(r"[!-~]+")


def _break(paragraph: str, width: int) -> list[str]:
    """Greedy line breaks between tokens, found by bisection over running widths.

    Tokens are runs of printable ASCII (one column a character) and single other
    characters.  A line takes its first token whatever its width, then every next token
    while the line fits in ``width``.  A line after a break starts with the breaking
    token left-stripped (a whitespace token is dropped, and the next one is taken
    whole).  Running character widths (C-level ``accumulate``) make each break one
    bisection instead of a Python step per character: a report wraps millions.
    """
    try:
        ends = list(accumulate(map(_WIDTHS.__getitem__, paragraph)))
    except KeyError:  # a character not seen before: measure each new one once
        for char in set(paragraph) - _WIDTHS.keys():
            _char_width(char)
        ends = list(accumulate(map(_WIDTHS.__getitem__, paragraph)))
    size = len(paragraph)
    lines: list[str] = []
    start = 0
    while start < size:
        if start and paragraph[start].isspace():
            start += 1  # the breaking whitespace token is dropped
            if start == size:
                lines.append("")
                break
        # The first token: an ASCII run, or one character.
        first_end = start + 1
        if "!" <= paragraph[start] <= "~":
            first_end = _ASCII_RUN.match(paragraph, start).end()  # type: ignore[union-attr]
        base = ends[start - 1] if start else 0
        stop = bisect_right(ends, base + width, lo=first_end)
        if stop > first_end and stop < size and "!" <= paragraph[stop] <= "~":
            tail = _ASCII_TAIL.search(paragraph, first_end, stop)
            if tail:  # never end a line inside an ASCII run: break before it
                stop = tail.start()
        lines.append(paragraph[start:stop].rstrip())
        start = stop
    return lines


def simple_grid(rows: Sequence[Sequence[str]], headers: Sequence[str], align: Sequence[str]) -> str:
    """The text of ``tabulate(rows, headers, tablefmt="simple", disable_numparse=True,
    colalign=align)`` with wide characters, built in one linear pass.

    The reports' tables are all text cells in this one format; tabulate's generality
    (number parsing, alignment detection, per-call imports) made it most of the time
    of ``perfscore score`` on a large file.  A property test checks the two agree.
    Rows are stripped, measured and padded by maps over the whole row, not cell by cell
    in Python: a report of 100,000 rows has a million cells.
    """
    # Cells as tabulate sees them: stripped, multi-line cells split into lines, each
    # line measured once.  Most rows are one line high: they keep plain lists.
    measure, strip, split_at = display_width, str.strip, str.split
    columns = len(headers)
    widths = [max(map(measure, str(h).split("\n"))) + 2 for h in headers]
    table: list[tuple[list[str], list[int]] | tuple[list[list[str]], list[list[int]], bool]] = []
    cell_widths: list[list[int]] = []  # each row's cells' widths (a cell's widest line)
    for row in rows:
        if len(row) != columns:
            raise ValueError(f"a row of {len(row)} cells under {columns} headers")
        cells = list(map(strip, map(str, row)))
        if "\n" in "".join(cells):
            split = list(map(split_at, cells, repeat("\n")))
            sizes = [list(map(measure, lines)) for lines in split]
            cell_widths.append(list(map(max, sizes)))
            table.append((split, sizes, True))
        else:
            line_sizes = list(map(measure, cells))
            cell_widths.append(line_sizes)
            table.append((cells, line_sizes))
    if cell_widths:  # each column's widest cell, column by column once all are measured
        columns_widths = zip(*cell_widths, strict=True)
        widths = [max(w, max(column)) for w, column in zip(widths, columns_widths, strict=True)]
    # tabulate aligns by the columns' cells; with no rows every header sits left.
    right = [i for i, a in enumerate(align) if a == "right"] if table else []
    padding = [" " * n for n in range(max(widths, default=0) + 1)].__getitem__
    blank = [padding(w) for w in widths]

    def line_of(cells: Sequence[str], sizes: Sequence[int]) -> str:
        gaps = list(map(padding, map(sub, widths, sizes)))
        parts = list(map(add, cells, gaps))
        for i in right:
            parts[i] = gaps[i] + cells[i]
        return "  ".join(parts).rstrip()

    def lines_of(split: list[list[str]], sizes: list[list[int]]) -> list[str]:
        out = [line_of([lines[0] for lines in split], [s[0] for s in sizes])]
        for k in range(1, max(map(len, split))):
            # Below a cell's last line its column is blank, left or right aligned alike.
            parts = [
                lines[k] + padding(w - s[k]) if k < len(lines) else b
                for lines, s, w, b in zip(split, sizes, widths, blank, strict=True)
            ]
            for i in right:
                if k < len(split[i]):
                    parts[i] = padding(widths[i] - sizes[i][k]) + split[i][k]
            out.append("  ".join(parts).rstrip())
        return out

    head = [str(h).split("\n") for h in headers]
    out = lines_of(head, [list(map(measure, lines)) for lines in head])
    out.append("  ".join("-" * w for w in widths).rstrip())
    for entry in table:
        if len(entry) == 2:
            out.append(line_of(*entry))
        else:
            out.extend(lines_of(entry[0], entry[1]))
    return "\n".join(out)


def grid(rows: Sequence[Sequence[Any]], **options: Any) -> str:
    """:func:`tabulate.tabulate` with Chinese characters counted two columns wide.

    tabulate reads the width mode from a module global; it is set here, at render time,
    so that importing perfscore changes nothing in a program that also uses tabulate.
    """
    import tabulate

    tabulate.WIDE_CHARS_MODE = True
    return tabulate.tabulate(rows, **options)
