"""Print parse time per text length for adversarial runs: the linear-time check.

Usage: python benchmarks/bench_hostile.py

For each repeated piece (a numeral run, ranges, approximations, years…) it times
parse_target on about 1 KB and on the 2000-character limit, and prints both and
their ratio next to the length ratio.  Linear time means the two ratios match;
the aim (issue 13) is under 0.2 s at the limit.  Longer texts are refused.

Then whole files: each hostile shape (many rows of a repeated piece, one huge
cell, a pasted text form, JSON) is built at 1 KB and at 16 KB and read, scored
and audited as ``perfscore score`` does; the aim is at most ~20× the 1 KB time
and under 0.2 s.
"""

from __future__ import annotations

import contextlib
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from perfscore import TargetSyntaxError, evaluate_document, parse_target
from perfscore.errors import PerfscoreError
from perfscore.parse.targets import MAX_TEXT_LENGTH
from perfscore.readers import read
from perfscore.review.audit import audit

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
    files()


HEADER = "三级指标,年度指标值,实际完成值,分值,得分\n"


def _csv_rows(size: int, piece: str) -> tuple[str, str]:
    row = f"甲,≥{piece}人,{piece}人,1,1\n"
    return ".csv", HEADER + row * max(1, (size - len(HEADER)) // len(row.encode()))


def _csv_cell(size: int, piece: str) -> tuple[str, str]:
    return ".csv", HEADER + "甲," + piece * (size // len(piece.encode())) + ",1人,1,1\n"


def _text_form(size: int, piece: str) -> tuple[str, str]:
    line = f"\t\t甲\t≥{piece}人\t{piece}人\t1\t1\n"
    head = "年度指标完成情况\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\n"
    return ".txt", head + line * max(1, size // len(line.encode()))


def _json(size: int, piece: str) -> tuple[str, str]:
    row = {"level3": "甲", "target": f"≥{piece}", "actual": piece, "weight": 1}
    count = max(1, size // len(json.dumps(row, ensure_ascii=False).encode()))
    return ".json", json.dumps({"indicators": [row] * count}, ensure_ascii=False)


SHAPES: dict[str, Callable[[int, str], tuple[str, str]]] = {
    "CSV rows": _csv_rows,
    "CSV one cell": _csv_cell,
    "text form": _text_form,
    "JSON rows": _json,
}


def _file_seconds(path: Path, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        parse_target.cache_clear()
        start = time.perf_counter()
        with contextlib.suppress(PerfscoreError):
            document = read(path)
            audit(evaluate_document(document), document)
        best = min(best, time.perf_counter() - start)
    return best


def files() -> None:
    """Time 1 KB and 16 KB versions of each hostile file shape."""
    print()
    print(f"{'file shape':14} {'piece':6} {'1 KB':>9} {'16 KB':>9}  ratio (size ratio 16)")
    with tempfile.TemporaryDirectory() as folder:
        for name, build in SHAPES.items():
            for piece in ("九", "1-", "万", "约1"):
                times = []
                for size in (1024, 16 * 1024):
                    suffix, text = build(size, piece)
                    path = Path(folder, f"f{size}{suffix}")
                    path.write_text(text, "utf-8")
                    times.append(_file_seconds(path))
                small, large = times
                print(
                    f"{name:14} {piece:6} {small * 1000:7.2f} ms {large * 1000:7.2f} ms"
                    f"  {large / small:5.1f}"
                )


if __name__ == "__main__":
    main()
