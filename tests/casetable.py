"""The one loader for the case tables in ``tests/data/``, and their one dialect.

Every table is UTF-8, tab-separated, no quoting: lines starting with ``#`` are comments
(section headings included), blank lines are skipped, the first other line names the
columns, and a short row is padded with empty cells.  A finance expert adds a case by
adding a line.
"""

from __future__ import annotations

import csv
from pathlib import Path

DATA = Path(__file__).parent / "data"


def load(name: str) -> list[dict[str, str]]:
    """The rows of ``tests/data/<name>`` as dicts keyed by the header's column names."""
    lines = [
        line
        for line in (DATA / name).read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader)
    return [dict(zip(header, row + [""] * (len(header) - len(row)), strict=True)) for row in reader]


def load_rows(name: str) -> list[tuple[str, ...]]:
    """The rows of ``tests/data/<name>`` as tuples in the header's column order."""
    return [tuple(row.values()) for row in load(name)]
