"""Print startup times, XLSX reading rates and ``perfscore batch`` files/s.

Usage: python benchmarks/bench_read.py [ROWS] [FILES]   (default 10000 and 1000)

Writes a ROWS-row workbook and a folder of FILES ten-row workbooks in a temporary
folder, then times ``import perfscore``, ``perfscore --help``, reading the big
workbook (rows/s), reading the folder (files/s) and batch-scoring the folder
with 1 and 2 processes.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

from perfscore.indicators import SELF_EVALUATION_HEADER
from perfscore.readers import read
from perfscore.scale.batch import discover, open_writer, run_batch


def workbook(path: Path, rows: int, seed: int = 0) -> None:
    """A self-evaluation sheet of ``rows`` quantitative rows."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("自评表")
    sheet.append(list(SELF_EVALUATION_HEADER))
    for k in range(rows):
        target, actual = f"≥{k % 90 + 10}个", f"{(k + seed) % 95 + 5}个"
        sheet.append(["目标1", "产出指标", "数量指标", f"指标{k}", target, actual, 10, None, ""])
    book.save(path)


def wall(command: list[str], repeat: int = 7) -> float:
    """Median seconds a fresh process takes to run ``command``."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    files = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    bare = wall([sys.executable, "-c", "pass"])
    imported = wall([sys.executable, "-c", "import perfscore"]) - bare
    print(f"import perfscore: {imported * 1000:.0f} ms")
    helps = wall([sys.executable, "-m", "perfscore", "--help"])
    print(f"perfscore --help: {helps * 1000:.0f} ms (interpreter start included)")
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.xlsx"
        workbook(big, rows)
        start = time.perf_counter()
        count = len(read(big).indicators)
        print(f"read {count}-row XLSX: {count / (time.perf_counter() - start):,.0f} rows/s")
        folder = Path(tmp) / "many"
        folder.mkdir()
        for n in range(files):
            workbook(folder / f"unit{n:04}.xlsx", 10, n)
        start = time.perf_counter()
        for path in discover([folder]):
            read(path)
        print(
            f"read {files} ten-row workbooks: {files / (time.perf_counter() - start):,.0f} files/s"
        )
        for jobs in (1, 2):
            start = time.perf_counter()
            run_batch([folder], open_writer(Path(tmp) / f"s{jobs}.csv"), jobs=jobs)
            elapsed = time.perf_counter() - start
            rate = files / elapsed
            print(f"batch --jobs {jobs}: {rate:,.0f} files/s ({10 * rate:,.0f} rows/s)")


if __name__ == "__main__":
    main()
