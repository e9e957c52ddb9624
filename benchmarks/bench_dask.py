"""Generate synthetic indicator rows as Parquet and print Dask rows/s for 1 and 2 workers.

Usage: python benchmarks/bench_dask.py [--rows 10000000] [--partitions 0] [--dir DIR]

Rows are ten-row projects with all-distinct quantitative targets and actuals.
Each run scores every row with perfscore.scale.dask.score_dask and rolls up per
project on a dask.distributed LocalCluster of 1, then 2, worker processes.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq


def generate(path: Path, rows: int, chunk: int = 100_000) -> None:
    """Write ``rows`` synthetic rows in row groups of ``chunk`` (memory stays flat)."""
    schema = pa.schema(
        [
            ("project", pa.string()),
            ("target", pa.string()),
            ("actual", pa.string()),
            ("weight", pa.decimal128(38, 0)),
        ]
    )
    with pq.ParquetWriter(path, schema) as writer:
        for start in range(0, rows, chunk):
            ks = range(start, min(start + chunk, rows))
            writer.write_table(
                pa.table(
                    {
                        "project": [f"项目{k // 10}" for k in ks],
                        "target": [f"≥{k % 9973 + 10}个" for k in ks],
                        "actual": [f"{(k * 7) % 9967 + 5}个" for k in ks],
                        "weight": [Decimal(10)] * len(ks),
                    },
                    schema=schema,
                )
            )


def run(path: Path, workers: int, partitions: int) -> tuple[float, int]:
    """Seconds to score and roll up every row on ``workers`` worker processes."""
    import dask.dataframe as dd
    from distributed import Client, LocalCluster

    from perfscore.scale.dask import project_totals, score_dask

    with (
        LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        Client(cluster),
    ):
        # One partition per row group (100,000 rows): left to infer, dask read the whole
        # file as one partition, and one worker held all ten million rows at once.
        frame = dd.read_parquet(path, split_row_groups=True)
        if partitions:
            frame = frame.repartition(npartitions=partitions)
        start = time.perf_counter()
        totals = project_totals(score_dask(frame, keys=("project",)), keys=("project",))
        return time.perf_counter() - start, len(totals)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--partitions", type=int, default=0, help="0: one per row group")
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        path = Path(tmp) / "rows.parquet"
        start = time.perf_counter()
        generate(path, args.rows)
        print(f"generated {args.rows:,} rows in {time.perf_counter() - start:.1f} s")
        rates = {}
        for workers in (1, 2):
            seconds, projects = run(path, workers, args.partitions)
            rates[workers] = args.rows / seconds
            print(f"{workers} worker(s): {rates[workers]:,.0f} rows/s ({projects:,} projects)")
        print(f"scaling 2 vs 1 workers: {rates[2] / rates[1]:.2f}x")


if __name__ == "__main__":
    main()
