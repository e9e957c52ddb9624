"""Print how much memory perfscore's caches hold at their worst: every entry new and long.

Usage: python benchmarks/bench_cache.py

Fills parse_target, parse_actual and the scoring cache (_outcome) to their
maxsize with distinct texts at the cached-length limit (200 characters: a
target ``≥N人`` padded with a label), and prints the traced memory they hold;
then shows that texts over the limit are not kept (memory does not grow).
Issue 13 measured 877 MB for 300 distinct 1 MB texts before texts were capped
and long ones left uncached.  Last, the cost of an insert into a full AdaptiveCache
(the oldest entry dropped each time: a long batch whose rows still hit now and then),
against an insert while it fills: the two should be alike.  And what the outcome
cache costs a long run of new texts (bench_floor's distinct mixture, 200,000 rows,
CPU time, best of 3): µs a row as it runs (a first window, pauses, and a trial window
after each pause) against the same rows with the cache paused throughout — the least
it could cost, since pausing is all it can do there.  Just a measurement.
"""

from __future__ import annotations

import gc
import random
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

from perfscore import Indicator, parse_target, score_indicator
from perfscore._cache import MAX_CACHED_TEXT
from perfscore.parse.targets import _parse_actual_text
from perfscore.score.scoring import _outcome


def _text(n: int, length: int, lead: str) -> str:
    head = f"{lead}{n}人"
    return "培训" * ((length - len(head)) // 2) + head


def _fill(count: int, length: int) -> float:
    """MB traced after scoring ``count`` distinct rows whose texts are ``length`` long."""
    for cached in (parse_target, _parse_actual_text, _outcome):
        cached.cache_clear()
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for n in range(count):
        row = Indicator(
            row=1, level3="甲", target=_text(n, length, "≥"), actual=_text(n, length, ""),
            weight=Decimal(10),
        )  # fmt: skip
        score_indicator(row)
    gc.collect()
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    return held / 1e6


def main() -> None:
    size = _outcome.cache_info().maxsize
    print(f"caches: parse_target / parse_actual {parse_target.cache_info().maxsize} entries,"
          f" _outcome {size}; texts cached up to {MAX_CACHED_TEXT} characters")  # fmt: skip
    start = time.perf_counter()
    full = _fill(size, MAX_CACHED_TEXT)
    took = time.perf_counter() - start
    print(f"{size:,} distinct rows of {MAX_CACHED_TEXT}-character texts: {full:.0f} MB held"
          f" ({full * 1e6 / size / 1024:.1f} KB a row), {took:.0f} s")  # fmt: skip
    long = _fill(2000, 2000)
    print(f"2,000 distinct rows of 2,000-character texts (not cached): {long:.1f} MB held")
    print(f"worst case held by the caches: about {full:.0f} MB")
    filling, full_inserts = _inserts()
    print(
        f"AdaptiveCache(maxsize=32768), inserting while it fills {filling:.2f} µs,"
        f" once full (the oldest dropped) {full_inserts:.2f} µs an insert"
        f" (ratio {full_inserts / filling:.2f}; a plain dict's front deletions made it 3-10)"
    )
    running, paused = _long_run()
    print(
        f"a long run of new texts (200,000 rows): {running:.2f} µs a row with the cache as it"
        f" runs, {paused:.2f} paused throughout (ratio {running / paused:.2f}; trial windows"
        " that kept every pair made it 1.26-1.33)"
    )


def _long_run(rows: int = 200_000) -> tuple[float, float]:
    """µs a row over bench_floor's distinct rows: the cache as it runs, and paused."""
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_floor import distinct

    made = distinct(rows, random.Random(7))
    figures = []
    for pause in (False, True):
        best = float("inf")
        for _ in range(3):
            _outcome.cache_clear()
            if pause:
                _outcome._on, _outcome._left = False, 10**9
            began = time.process_time()
            for row in made:
                score_indicator(row)
            best = min(best, time.process_time() - began)
        figures.append(best / rows * 1e6)
    _outcome.cache_clear()
    return figures[0], figures[1]


def _inserts(maxsize: int = 32768, block: int = 25_000) -> tuple[float, float]:
    """µs an insert while an AdaptiveCache fills, and once it is full (best of blocks)."""
    from perfscore._cache import AdaptiveCache

    cache: AdaptiveCache[tuple[int, ...]] = AdaptiveCache(lambda *key: key, maxsize=maxsize)
    cache._left = 10**9  # inserting throughout, as while rows keep hitting
    times = []
    for start in range(0, 8 * block, block):
        began = time.perf_counter()
        for n in range(start, start + block):
            cache.call((n,))
        times.append((time.perf_counter() - began) / block * 1e6)
    return times[0], max(times[2:])


if __name__ == "__main__":
    main()
