"""Print parse time per text length for adversarial runs: the linear-time check.

Usage: python benchmarks/bench_hostile.py

For each repeated piece (a numeral run, ranges, approximations, years…) it times
parse_target on about 1 KB and on the 2000-character limit, and prints both and
their ratio next to the length ratio.  Linear time means the two ratios match;
the aim (issue 13) is under 0.2 s at the limit.  Longer texts are refused.
"""

from __future__ import annotations

import contextlib
import time

from perfscore import TargetSyntaxError, parse_target
from perfscore.targets import MAX_TEXT_LENGTH

PIECES = ["九", "1", "约1", "1-", "2024年", "提高", "±1", "万", "≥", "在1-", "不超過"]
SMALL = 340  # about 1 KB of UTF-8 Chinese


def seconds(text: str, repeat: int = 5) -> float:
    """Best of ``repeat`` parses, caches cleared each time."""
    best = float("inf")
    for _ in range(repeat):
        parse_target.cache_clear()
        start = time.perf_counter()
        with contextlib.suppress(TargetSyntaxError):
            parse_target(text)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    ratio = MAX_TEXT_LENGTH / SMALL
    heading = f"{'piece':8} {'~1 KB':>10} {MAX_TEXT_LENGTH:>6} chars  time ratio"
    print(f"{heading} (length ratio {ratio:.1f})")
    for piece in PIECES:
        small = seconds((piece * SMALL)[:SMALL])
        large = seconds((piece * MAX_TEXT_LENGTH)[:MAX_TEXT_LENGTH])
        print(f"{piece:8} {small * 1000:8.2f} ms {large * 1000:8.2f} ms  {large / small:6.1f}")
    refused = seconds("九" * 16_000)
    print(f"16,000 characters: refused in {refused * 1e6:.0f} µs")


if __name__ == "__main__":
    main()
