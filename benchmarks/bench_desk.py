"""Time the reviewer's desk on a batch of units: risk ranking and sampling.

Usage: python benchmarks/bench_desk.py [UNITS]   (default 1000)

Writes UNITS CSV self-evaluations (four indicator rows each, one in five with a
known problem, as tests/desk_units.py builds them) into a temporary folder, then
times reading + scoring + auditing + assessing every unit (``assess_file``), the
ranking, and drawing a 10% sample twice with the same seed.  Just a measurement.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))

from desk_units import CLEAN, UNITS, unit_csv
from perfscore.review.risk import assess_file, rank
from perfscore.review.sample import draw


def main() -> None:
    """Build the batch, time each step, print the figures."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    problems = list(UNITS.values())
    with tempfile.TemporaryDirectory() as folder:
        files = []
        for n in range(count):
            rows = problems[n // 5 % len(problems)] if n % 5 == 0 else CLEAN
            path = Path(folder) / f"unit-{n:05}.csv"
            path.write_text(unit_csv(rows), encoding="utf-8")
            files.append(str(path))
        start = time.perf_counter()
        risks = [r for f in files for r in assess_file(f)]
        assessed = time.perf_counter() - start
        start = time.perf_counter()
        ranked = rank(risks)
        ranking = time.perf_counter() - start
        start = time.perf_counter()
        first = draw(ranked, seed=7, n=count // 10)
        second = draw(ranked, seed=7, n=count // 10)
        sampling = (time.perf_counter() - start) / 2
    same = [p.risk.file for p in first.picks] == [p.risk.file for p in second.picks]
    flagged = sum(1 for r in ranked if r.score > 0)
    print(f"units: {count}, with a risk signal: {flagged}")
    print(f"read + score + audit + assess: {assessed:.2f} s ({count / assessed:,.0f} units/s)")
    print(f"rank: {ranking * 1000:.1f} ms; sample of {count // 10}: {sampling * 1000:.1f} ms")
    print(f"same seed, same sample: {same}")


if __name__ == "__main__":
    main()
