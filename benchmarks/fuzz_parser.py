"""Feed many wide fuzzed texts to the parser and scorer; count anything but the library's error.

Usage: python benchmarks/fuzz_parser.py [N] [--seed S]

Texts mix traditional and financial numerals, comparators, units, date words,
control and zero-width characters, and long runs of one piece (up to the 2000-
character limit and past it).  Each text is parsed as a target and as an
actual, and scored against another fuzzed text.  The aim (issue 13): no
exception except ``perfscore.errors.PerfscoreError`` and its subclasses, and a
bounded time per call.  Prints the counts, the slowest call and any offender.
"""

from __future__ import annotations

import argparse
import random
import time
import traceback
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from perfscore import Indicator, parse_target, score_indicator
from perfscore.errors import PerfscoreError
from perfscore.parse.targets import parse_actual

ALPHABET = (
    list("0123456789.-+*/%‰±≥≤<>=~至到与和之间以上下内前底末年月日号季度旬半次上年同比增长下降")
    + list("零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬億兩點負廿卅卌分之点负")
    + list("约余多近几数元角毛分人次项个万元吨公斤%,，；;：()（）　 \t\r\n\x00\u200b\ufeff\ud800")
    + [
        "未",
        "无",
        "零事故",
        "不超過",
        "不少于",
        "达到",
        "左右",
        "个百分点",
        "2024年",
        "Q3",
        "2月29日前",
    ]
    + ["0000年", "一点十", "1E+26", "NaN", "Infinity", "9" * 40, "完成", "未按时完成", "提升"]
)
RUNS = ["九", "1", "约1", "1-", "2024年", "提高", "±1", "万", "≥", "在1-", "不超過", "点"]


def fuzzed(rng: random.Random) -> str:
    """One text: mostly short mixtures, one in a hundred a long run of one piece."""
    if rng.random() < 0.01:
        piece = rng.choice(RUNS)
        return piece * rng.randint(50, 2100 // len(piece))
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 40)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    library = other = 0
    slowest = (0.0, "")
    offenders: list[str] = []
    start = time.perf_counter()
    for done in range(args.n):
        if done and done % 10_000 == 0:  # progress, so a long run shows where it is
            print(f"… {done:,} pairs, {other} other exceptions", flush=True)
        target, actual = fuzzed(rng), fuzzed(rng)
        row = Indicator(row=1, level3="甲", target=target, actual=actual, weight=Decimal(10))
        calls: list[tuple[Callable[[Any], object], Any]] = [
            (parse_target, target),
            (parse_actual, actual),
            (score_indicator, row),
        ]
        for call, argument in calls:
            began = time.perf_counter()
            try:
                call(argument)
            except PerfscoreError:
                library += 1
            except Exception:  # what the fuzzing is looking for
                other += 1
                if len(offenders) < 5:
                    offenders.append(f"{target!r} / {actual!r}\n{traceback.format_exc()}")
            took = time.perf_counter() - began
            if took > slowest[0]:
                slowest = (took, (target + " / " + actual)[:60])
    elapsed = time.perf_counter() - start
    print(f"texts: {args.n:,} pairs ({3 * args.n:,} calls) in {elapsed:.1f} s, seed {args.seed}")
    print(f"library errors (expected): {library:,}")
    print(f"other exceptions: {other}")
    print(f"slowest call: {slowest[0] * 1000:.1f} ms on {slowest[1]!r}")
    for offender in offenders:
        print(offender)


if __name__ == "__main__":
    main()
