"""Print reading rates of a 10,000-row XLSX with openpyxl and with calamine.

Usage: python benchmarks/bench_xlsx_readers.py [ROWS]

Both readers feed the same row reader (perfscore.readers.tabular.read_rows); the
figure compared is rows/s for the whole read, file open included.  Figures depend
on the machine; docs/performance.md records them with the machine they ran on.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

from perfscore.indicators import SELF_EVALUATION_HEADER
from perfscore.readers.tabular import read_calamine_sheets, read_xlsx

HEADER = list(SELF_EVALUATION_HEADER[:8])  # the official header but 偏差原因


def workbook(path: Path, rows: int) -> Path:
    """A sheet of ``rows`` indicator rows under the usual header."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("自评表")
    sheet.append(HEADER)
    for n in range(rows):
        sheet.append(
            [f"绩效目标{n // 50 + 1}", "产出指标", "数量指标", f"指标{n}", f"≥{n % 90 + 10}项",
             f"{n % 97 + 5}项", 1, 1]
        )  # fmt: skip
    book.save(path)
    return path


def rate(read: object, path: Path, rows: int, repeat: int = 3) -> float:
    """Median rows/s over ``repeat`` reads."""
    assert callable(read)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        read(path)
        times.append(time.perf_counter() - start)
    return rows / statistics.median(times)


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    with tempfile.TemporaryDirectory() as folder:
        path = workbook(Path(folder) / "rows.xlsx", rows)
        slow = rate(read_xlsx, path, rows)
        fast = rate(read_calamine_sheets, path, rows)
    print(f"XLSX, {rows} rows: openpyxl {slow:,.0f} rows/s, calamine {fast:,.0f} rows/s,"
          f" ratio {fast / slow:.1f}×")  # fmt: skip


if __name__ == "__main__":
    main()
