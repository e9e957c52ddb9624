"""The one loader for the case tables in ``tests/data/``, and their one dialect.

Every table is UTF-8, tab-separated, no quoting: lines starting with ``#`` are comments
(section headings included), blank lines are skipped, the first other line names the
columns, and a short row is padded with empty cells.  A finance expert adds a case by
adding a line.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from perfscore import Indicator

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


# The case tables of judged rows (target, actual, names, weight): what the scorer's fast
# lanes are compared with the full path on.
SCORING_TABLES = ("judging.tsv", "numbers.tsv", "scoring.tsv", "words.tsv")


def scoring_rows(*, cost_every: int = 0, unweighted_every: int = 0) -> Iterator[Indicator]:
    """Every row of :data:`SCORING_TABLES` as an Indicator, numbered from 1: its weight
    (5 where the table gives none) and, on every third row, a published score of the
    weight less 1.  With ``cost_every``, every such row is a 成本 row (level1) and the
    others 产出; with ``unweighted_every``, every such row has no weight."""
    from decimal import Decimal

    from perfscore import Indicator

    k = 0
    for name in SCORING_TABLES:
        for row in load(name):
            weight = Decimal(row["weight"]) if row.get("weight", "").strip() else Decimal(5)
            k += 1
            level1 = ""
            if cost_every:
                level1 = "成本指标" if k % cost_every == 0 else "产出指标"
            yield Indicator(
                row=k,
                level1=level1,
                level2=row.get("level2", ""),
                level3=row.get("level3") or row.get("name") or "",
                target=row["target"],
                actual=row["actual"],
                weight=None if unweighted_every and k % unweighted_every == 0 else weight,
                published=None if k % 3 else weight - 1,
            )


def benchmark_rows(seed: int, repeated: int, new: int) -> list[Indicator]:
    """``benchmarks/bench_floor.py``'s two mixtures (``repeated`` repeating rows, then
    ``new`` distinct ones, drawn with ``seed``), every fourth row published 1.5."""
    import random
    import sys
    from decimal import Decimal

    import attrs

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from bench_floor import distinct, repeating

    rng = random.Random(seed)
    rows = repeating(repeated, rng) + distinct(new, rng)
    return [
        row if k % 4 else attrs.evolve(row, published=Decimal("1.5")) for k, row in enumerate(rows)
    ]
