"""Time the XLSX report (and JSON, for scale) at 10,000 and 100,000 indicator rows.

Usage: python benchmarks/bench_xlsx_report.py [ROWS...]   (default 10000 100000)

Prints seconds and rows/s per size and the time ratio between sizes: linear output
keeps the ratio near the size ratio (10).  Before the style cache, 50,000 rows took
244 s; openpyxl hashed a new Font/Alignment/Border for every cell and re-bordered
every merged cell.
"""

from __future__ import annotations

import sys
import time
from decimal import Decimal

from perfscore import Indicator, evaluate
from perfscore.report import to_json, to_xlsx


def rows(n: int) -> list[Indicator]:
    """``n`` quantitative rows in runs of 50 under each 二级, as real forms group them."""
    return [
        Indicator(
            row=i + 1,
            goal=f"目标{i // 5000}",
            level1="产出指标",
            level2=f"数量指标{i // 50}",
            level3=f"指标{i}",
            target="≥10人",
            actual=f"{8 + i % 5}人",
            weight=Decimal("0.001"),
        )
        for i in range(n)
    ]


def main(sizes: list[int]) -> None:
    """Print the timings for each size."""
    previous: float | None = None
    for n in sizes:
        evaluation = evaluate(rows(n))
        start = time.perf_counter()
        data = to_xlsx(evaluation)
        xlsx = time.perf_counter() - start
        start = time.perf_counter()
        to_json(evaluation)
        json_time = time.perf_counter() - start
        ratio = f", ×{xlsx / previous:.1f} the previous size" if previous else ""
        print(
            f"{n:>7} rows: XLSX {xlsx:6.1f} s ({n / xlsx:,.0f} rows/s, {len(data) / 1e6:.1f} MB)"
            f"{ratio}; JSON {json_time:.1f} s"
        )
        previous = xlsx


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000, 100_000])
