"""Print rows/s for a bare-regex floor and for score_indicator on two 50,000-row mixtures.

Usage: python benchmarks/bench_floor.py [N]

*repeating* draws seed targets with actuals from a small set (texts repeat, as
in one unit's tables); *distinct* makes every target and actual new: the number,
unit, comparator and label all vary, as in a national batch where each unit
writes its own.  The floor is what any scorer must at least do: one regex per
text and Decimal arithmetic — no units, no explanations, no caches.  Each
figure is the best of three runs with cold caches.  Just a measurement.
"""

from __future__ import annotations

import os
import platform
import random
import re
import sys
import time
from decimal import Decimal

import attrs
from bench_score import seed_rows

from perfscore import Indicator, parse_target, score_indicator
from perfscore.parse.targets import _parse_actual_text
from perfscore.score.scoring import _outcome

_FLOOR = re.compile(r"^\s*(≥|≤|>|<|=)?\s*([0-9]+(?:\.[0-9]+)?)\s*(\S*)$")
_UNITS = ["个", "项", "人次", "%", "万元", "次", "家", "场", "篇", "件", "天", "户"]
_PREFIXES = ["≥", "≤", ">", "<", "", "不低于", "不少于", "达到"]


def repeating(n: int, rng: random.Random) -> list[Indicator]:
    """Seed rows drawn again and again with one of three actuals each: few distinct texts."""
    base = [r for r in seed_rows() if r.target]
    rows = []
    for _ in range(n):
        row = rng.choice(base)
        try:
            target = parse_target(row.target)
            magnitude = getattr(target, "magnitude", None)
        except ValueError:
            magnitude = None
        if magnitude is not None and not row.actual:
            value = magnitude * Decimal(rng.choice([80, 100, 120])) / 100
            row = attrs.evolve(row, actual=f"{value:f}{target.unit_display}")  # type: ignore[union-attr]
        rows.append(row)
    return rows


def distinct(n: int, rng: random.Random) -> list[Indicator]:
    """Every target and actual text new: number, unit, comparator and label vary per row."""
    rows = []
    for k in range(n):
        unit = rng.choice(_UNITS)
        magnitude = Decimal(rng.randint(1, 99_999)) / (100 if unit == "%" else 1) + k % 97
        actual = (magnitude * Decimal(rng.randint(50, 150)) / 100).quantize(Decimal("0.01"))
        rows.append(
            Indicator(
                row=k + 1,
                level1="产出指标",
                level2="数量指标",
                level3=f"指标{k}",
                target=f"{rng.choice(_PREFIXES)}{magnitude:f}{unit}",
                actual=f"{actual:f}{unit}",
                weight=Decimal(rng.choice([2, 3, 5, 10])),
            )
        )
    return rows


def floor(rows: list[Indicator]) -> int:
    """Regex + Decimal only: parse both texts, compute weight × min(actual/target, 1)."""
    scored = 0
    for row in rows:
        t, a = _FLOOR.match(row.target), _FLOOR.match(row.actual)
        if t and a and row.weight is not None:
            target = Decimal(t.group(2))
            if target:
                min(Decimal(a.group(2)) / target, Decimal(1)) * row.weight
                scored += 1
    return scored


def perfscore_rows(rows: list[Indicator]) -> int:
    """score_indicator with its caches cleared first, so every run starts cold."""
    parse_target.cache_clear()
    _parse_actual_text.cache_clear()  # parse_actual's cache (it adds the scheme's phrases)
    _outcome.cache_clear()
    for row in rows:
        score_indicator(row, year=2024)
    return len(rows)


def rate(function: object, rows: list[Indicator]) -> float:
    """Best rows/s of three runs."""
    best = 0.0
    for _ in range(3):
        start = time.perf_counter()
        function(rows)  # type: ignore[operator]
        best = max(best, len(rows) / (time.perf_counter() - start))
    return best


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    rng = random.Random(2024)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    for name, rows in (("repeating", repeating(n, rng)), ("distinct", distinct(n, rng))):
        texts = len({r.target for r in rows}), len({r.actual for r in rows})
        f, p = rate(floor, rows), rate(perfscore_rows, rows)
        print(
            f"{name:9}: {n} rows ({texts[0]} distinct targets, {texts[1]} distinct actuals)"
            f"  floor {f:,.0f} rows/s  score_indicator {p:,.0f} rows/s  ratio {p / f:.3f}"
        )


if __name__ == "__main__":
    main()
