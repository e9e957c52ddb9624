"""Print startup times, XLSX reading rates and ``perfscore batch`` files/s.

Usage: python benchmarks/bench_read.py [ROWS] [FILES]   (default 10000 and 1000)
       python benchmarks/bench_read.py --forms N [--repeat R] [--baseline OTHER/src]

Writes a ROWS-row workbook and a folder of FILES ten-row workbooks in a temporary
folder, then times ``import perfscore``, ``perfscore --help``, reading the big
workbook (rows/s), reading the folder (files/s) and batch-scoring the folder
with 1 and 2 processes.

With ``--forms N``: reading alone, as ``perfscore batch`` reads, of N realistic
official-layout self-evaluations per format (tests/scale/official_batch.py: a
title, the budget block, 39 indicator rows, a 总分 row), in CPU time
(``time.process_time``, best of R, caches emptied before each run): the floor
(CSV: ``csv.reader`` over every row; XLSX: python-calamine's values of the first
sheet), ``readers.read_all(f, every_sheet=True)`` in files/s and its ratio to the
floor, and where a form's read goes (decode and records or the workbook's values,
then rows → Document).  With ``--baseline SRC`` the same read is timed with another
checkout's ``src`` in a child process, in the same run.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
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


def cpu_rate(function: Callable[[], object], count: int, repeat: int) -> float:
    """Best files/s of ``repeat`` runs in CPU seconds, every perfscore cache emptied first."""
    best = 0.0
    for _ in range(repeat):
        for name, module in list(sys.modules.items()):
            if name.startswith("perfscore"):
                for value in list(vars(module).values()):
                    clear = getattr(value, "cache_clear", None)
                    if callable(clear) and not isinstance(value, type):
                        clear()
        start = time.process_time()
        function()
        best = max(best, count / max(time.process_time() - start, 1e-9))
    return best


def read_forms(folder: Path, repeat: int) -> float:
    """files/s of reading every form in ``folder`` as the batch reads them."""
    from perfscore.readers import read_all

    files = discover([folder])
    for path in files[:3]:
        read_all(path, every_sheet=True)  # imports and the first workbook's template
    return cpu_rate(lambda: [read_all(p, every_sheet=True) for p in files], len(files), repeat)


def forms(n: int, repeat: int, baseline: str | None) -> None:

    sys.path.insert(0, str(Path(__file__).parents[1] / "tests" / "scale"))
    # The floors bench_batch.py judges the batch by (this script's folder is on sys.path).
    from bench_batch import csv_floor, xlsx_floor
    from official_batch import build_folder

    from perfscore.readers import _xlsx, tabular
    from perfscore.readers._csv import csv_rows
    from perfscore.readers._files import decode_text, read_file_bytes

    def csv_records(files: list[str]) -> list[tuple[str, list[list[object]]]]:
        return [(f, list(csv_rows(decode_text(read_file_bytes(f), f), f, ",", []))) for f in files]

    def xlsx_values(files: list[str]) -> list[tuple[str, list[list[object]]]]:
        out = []
        for file in files:
            book = _xlsx.read_book(file)
            assert book is not None, "the calamine path reads the official forms"
            out.append((file, book.sheets[0]))
        return out

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        f"; {n} official forms per format; CPU time, best of {repeat}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for form, floor, values in (
            ("csv", csv_floor, csv_records),
            ("xlsx", xlsx_floor, xlsx_values),
        ):
            folder = Path(tmp) / form
            build_folder(folder, n, "." + form)
            files = [str(p) for p in discover([folder])]
            low = cpu_rate(lambda files=files, floor=floor: floor(files), n, repeat)
            rate = read_forms(folder, repeat)
            first = cpu_rate(lambda files=files, values=values: values(files), n, repeat)
            tables = values(files)
            rows = cpu_rate(
                lambda tables=tables: [tabular.read_rows(t, file=f) for f, t in tables], n, repeat
            )
            stage = "decode + records" if form == "csv" else "workbook values (read_book)"
            print(
                f"{form:4}: floor {low:8,.0f} files/s   read_all {rate:7,.0f} files/s"
                f" ({1e6 / rate:6,.0f} µs a form)   ratio {rate / low:.4f}"
                f"   [{stage} {1e6 / first:,.0f} µs, rows → Document {1e6 / rows:,.0f} µs]"
            )
            if baseline:
                env = dict(os.environ, PYTHONPATH=baseline)
                done = subprocess.run(
                    [sys.executable, __file__, "--read-only", str(folder), "--repeat", str(repeat)],
                    env=env, capture_output=True, text=True,
                )  # fmt: skip
                if done.returncode:
                    raise SystemExit(done.stderr)
                old = float(done.stdout.strip().splitlines()[-1])
                print(
                    f"      baseline {baseline}: read_all {old:7,.0f} files/s"
                    f" ({1e6 / old:6,.0f} µs a form)   ratio {old / low:.4f}"
                    f"   (this checkout: {rate / old:.2f}×)"
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("rows", nargs="?", type=int, default=10_000)
    parser.add_argument("files", nargs="?", type=int, default=1_000)
    parser.add_argument("--forms", type=int, metavar="N", help="time reading N official forms")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--baseline", metavar="SRC", help="also time another checkout's src/")
    parser.add_argument("--read-only", metavar="FOLDER", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.read_only:  # a baseline's child process: print its files/s only
        print(read_forms(Path(args.read_only), args.repeat))
        return
    if args.forms:
        forms(args.forms, args.repeat, args.baseline)
        return
    rows, files = args.rows, args.files
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
