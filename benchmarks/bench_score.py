"""Print parse+score throughput (indicators/s) and ``import perfscore`` time.

Usage: python benchmarks/bench_score.py [N]

The rows are a realistic mixture built from the bundled seeds: the 60 rows of
the Tianjin 2024 self-evaluation and every target of the four target tables,
with actual values drawn around each target (so most actual texts are new to
the parse cache, as in a real batch of many units' tables).  Figures depend on
the machine; docs/performance.md records them with the machine they ran on.
"""

from __future__ import annotations

import os
import platform
import random
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import attrs

from perfscore import Indicator, Quantity, evaluate, parse_target, score_indicator
from perfscore.parse.targets import _parse_actual_text
from perfscore.readers import read
from perfscore.score.scoring import _outcome

DATA = Path(__file__).resolve().parent.parent / "examples" / "data"


def seed_rows() -> list[Indicator]:
    """Indicators from every bundled seed, with weights and a plausible actual."""
    rows = list(read(DATA / "tianjin-2024-self-evaluation.txt").indicators)
    for path in sorted(DATA.glob("targets-*.txt")):
        rows.extend(attrs.evolve(i, weight=Decimal(2)) for i in read(path).indicators)
    return rows


def with_actual(row: Indicator, rng: random.Random) -> Indicator:
    """Draw an actual around the target: 60%–160% of it, two decimals, same unit."""
    try:
        target = parse_target(row.target)
    except ValueError:
        return row
    if isinstance(target, Quantity) and not row.actual:
        factor = Decimal(rng.randint(60, 160)) / 100
        value = (target.magnitude * factor).quantize(Decimal("0.01"))
        return attrs.evolve(row, actual=f"{value:f}{target.unit_display}")
    if not row.actual:
        return attrs.evolve(row, actual=rng.choice(["已完成", "部分达成", "全部达到预期指标"]))
    return row


def mixture(n: int, seed: int = 2024) -> list[Indicator]:
    """Return ``n`` rows drawn from the seeds, each with a fresh actual."""
    rng = random.Random(seed)
    base = seed_rows()
    return [with_actual(rng.choice(base), rng) for _ in range(n)]


def throughput(rows: list[Indicator], *, repeat: int = 3) -> float:
    """Best indicators/s over ``repeat`` runs, each starting with cold caches."""
    rates = []
    for _ in range(repeat):
        parse_target.cache_clear()
        _parse_actual_text.cache_clear()  # parse_actual's own cache
        _outcome.cache_clear()
        start = time.perf_counter()
        for row in rows:
            score_indicator(row, year=2024)
        rates.append(len(rows) / (time.perf_counter() - start))
    return max(rates)


def import_time(repeat: int = 7) -> float:
    """Median wall time of ``import perfscore`` in a fresh interpreter, minus bare startup."""

    def run(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        return time.perf_counter() - start

    bare = statistics.median(run("pass") for _ in range(repeat))
    full = statistics.median(run("import perfscore") for _ in range(repeat))
    return full - bare


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    rows = mixture(n)
    distinct = len({r.target for r in rows}), len({r.actual for r in rows})
    cpu = f"{platform.machine()} {platform.processor()}".strip()
    print(f"machine: {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"rows: {n} ({distinct[0]} distinct targets, {distinct[1]} distinct actuals)")
    print(f"score_indicator: {throughput(rows):,.0f} indicators/s (one core, cold caches)")
    start = time.perf_counter()
    result = evaluate(rows, budget=Decimal(100), executed=Decimal(96), year=2024)
    elapsed = time.perf_counter() - start
    print(f"evaluate (roll-up included): {n / elapsed:,.0f} indicators/s, total {result.total}")
    print(f"import perfscore: {import_time() * 1000:.0f} ms")


if __name__ == "__main__":
    main()
