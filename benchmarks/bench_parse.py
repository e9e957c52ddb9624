"""Print texts/s for parse_target and parse_actual on realistic distinct texts.

Usage: python benchmarks/bench_parse.py [N] [--against SRC]

With ``--against /work/main/src`` the same texts are also measured with the
perfscore in SRC (in a subprocess, just before), and after/before ratios printed.

Five families of texts, every text new (the parse caches never hit, as in a
national batch where each unit writes its own): *quantities* (every comparator
word and symbol, plain numbers, percents, money, units and suffixes), *dates*
(``2024年12月31日前``, ``2024年底前``, ``12月底前完成``, ``2024.12.31``, ``次年6月底前``),
*periods* (``第四季度``, ``2024年6月``, ``2024年1-12月``, ``上半年``), *qualitative*
words (``按时完成``, ``有效提升``…) and *changes* (``同比增长8%``), then all of them
mixed.  The floor is one regex per
text, the least any reader does.  Also printed, from the same run: the full
recursive-descent parser alone (``_parse_clauses``), so the fast paths' gain is
a ratio of two figures measured side by side.  CPU time (``time.process_time``),
best of several runs with cold caches.  Just a measurement: compare ratios, not
absolute rates (other work may share the machine).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import re
import subprocess
import sys
import time
from collections.abc import Callable

from perfscore import parse_target
from perfscore.errors import TargetSyntaxError
from perfscore.parse.targets import _parse_actual_text, _parse_clauses, parse_actual

_FLOOR = re.compile(r"^\s*(≥|≤|>|<|=)?\s*([0-9]+(?:\.[0-9]+)?)\s*(\S*)$")
_SYMBOLS = ["≥", "≤", ">", "<", "=", ""]
_WORDS = ["不低于", "不少于", "达到", "不超过", "控制在", "大于", "小于", "至少", "不高于"]
_UNITS = ["个", "项", "人次", "%", "万元", "元", "次", "家", "场", "篇", "天", "户", "个工作日"]
_SUFFIXES = ["", "", "", "以上", "以内", "及以上", "以下"]
_CN_QUARTERS = "一二三四"
_QUALITATIVE = [
    "按时完成", "有效提升", "明显改善", "逐步提高", "达到预期", "基本完成", "持续改善",
    "有效保障", "稳步推进", "显著提升", "全面完成", "符合要求", "群众满意", "运行良好",
]  # fmt: skip
_FIELDS = ["服务", "培训", "项目", "设施", "质量", "效率", "管理", "环境", "安全", "制度"]
_PLACES = ["", "全市", "本单位", "辖区", "基层", "社区", "园区", "学校", "医院", "企业"]


def quantities(n: int, rng: random.Random) -> list[str]:
    """Comparator × number × unit × suffix, every text new."""
    texts = []
    for k in range(n):
        unit = rng.choice(_UNITS)
        whole = rng.randint(1, 99_999) + k
        number = f"{whole / 100:.2f}" if unit == "%" and rng.random() < 0.5 else str(whole)
        comparator = rng.choice(_SYMBOLS + _WORDS)
        suffix = rng.choice(_SUFFIXES) if not comparator else ""
        texts.append(f"{comparator}{number}{unit}{suffix}")
    return texts


def changes(n: int, rng: random.Random) -> list[str]:
    """Changes against a baseline: 同比增长8%, 较上年下降3个百分点, 增长不超过5%."""
    texts = []
    for k in range(n):
        basis = rng.choice(["", "同比", "较上年", "环比", "比上年"])
        direction = rng.choice(["增长", "下降", "提高", "降低", "减少", "增加"])
        comparator = rng.choice(["", "", "不低于", "不超过", "≥"])
        number = f"{rng.randint(1, 9999) / 100:.2f}".rstrip("0").rstrip(".") + str(k % 10)
        texts.append(f"{basis}{direction}{comparator}{number}{rng.choice(['%', '个百分点'])}")
    return texts


def dates(n: int, rng: random.Random) -> list[str]:
    """Deadlines as people write them: year, month, day, 底, 前, 完成."""
    texts = []
    for _ in range(n):
        year, month, day = rng.randint(2000, 2099), rng.randint(1, 12), rng.randint(1, 28)
        texts.append(
            rng.choice(
                [
                    f"{year}年{month}月{day}日前",
                    f"{year}年{month}月{day}日",
                    f"{year}年{month}月底前",
                    f"{year}年底前",
                    f"{year}年底前完成",
                    f"{year}.{month}.{day}",
                    f"{year}-{month:02d}-{day:02d}",
                    f"{month}月底前完成",
                    f"{month}月{day}日前",
                    f"次年{month}月底前",
                    f"{year}年{month}月{day}日前完成",
                ]
            )
        )
    return texts


def periods(n: int, rng: random.Random) -> list[str]:
    """Months, quarters, halves and spans: 2024年6月, 第四季度, 2024年1-12月, 6个月内."""
    texts = []
    for _ in range(n):
        year, month = rng.randint(2000, 2099), rng.randint(1, 12)
        quarter = rng.randint(1, 4)
        texts.append(
            rng.choice(
                [
                    f"{year}年{month}月",
                    f"{year}年1-{month}月",
                    f"{year}年第{_CN_QUARTERS[quarter - 1]}季度",
                    f"第{_CN_QUARTERS[quarter - 1]}季度",
                    f"{year}年上半年",
                    f"{year}年",
                    f"{month}个月内",
                    f"{year}年{quarter}季度",
                ]
            )
        )
    return texts


def qualitative(n: int, rng: random.Random) -> list[str]:
    """Words without a value: 按时完成, 服务质量有效提升…"""
    return [
        f"{rng.choice(_PLACES)}{rng.choice(_FIELDS)}{rng.choice(_FIELDS)}{rng.choice(_QUALITATIVE)}"
        for _ in range(n)
    ]


def floor(texts: list[str]) -> None:
    """One regex per text: the least any reader does."""
    for text in texts:
        _FLOOR.match(text)


def _clear() -> None:
    parse_target.cache_clear()
    _parse_actual_text.cache_clear()


def targets(texts: list[str]) -> None:
    """parse_target on every text, caches cleared first."""
    _clear()
    for text in texts:
        with contextlib.suppress(TargetSyntaxError):
            parse_target(text)


def actuals(texts: list[str]) -> None:
    """parse_actual on every text, caches cleared first."""
    _clear()
    for text in texts:
        with contextlib.suppress(TargetSyntaxError):
            parse_actual(text)


def full(texts: list[str]) -> None:
    """The full recursive-descent parser alone, no fast path and no cache."""
    for text in texts:
        with contextlib.suppress(TargetSyntaxError):
            _parse_clauses(text)


def rate(function: Callable[[list[str]], None], texts: list[str], runs: int = 5) -> float:
    """Best texts/s of ``runs`` runs, in CPU time."""
    best = 0.0
    for _ in range(runs):
        start = time.process_time()
        function(texts)
        best = max(best, len(texts) / max(time.process_time() - start, 1e-9))
    return best


def measure(n: int) -> dict[str, dict[str, float]]:
    """texts/s of the floor, parse_target, parse_actual and the full parser, per family."""
    rng = random.Random(2024)
    families = {
        "quantity": quantities(n, rng),
        "date": dates(n, rng),
        "period": periods(n, rng),
        "qualitative": qualitative(n, rng),
        "change": changes(n, rng),
    }
    families["mixed"] = [t for group in zip(*families.values(), strict=True) for t in group][:n]
    results = {}
    for name, texts in families.items():
        texts = list(dict.fromkeys(texts))  # distinct texts only
        results[name] = {
            "texts": len(texts),
            "floor": rate(floor, texts),
            "parse_target": rate(targets, texts),
            "parse_actual": rate(actuals, texts),
            "full": rate(full, texts),
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=20_000, help="texts per family")
    parser.add_argument(
        "--against",
        metavar="SRC",
        help="also measure the perfscore in SRC (e.g. /work/main/src) in a subprocess"
        " and print after/before ratios",
    )
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    before = None
    if args.against:
        env = {**os.environ, "PYTHONPATH": args.against}
        command = [sys.executable, __file__, str(args.n), "--json"]
        before = json.loads(subprocess.run(command, env=env, check=True, capture_output=True,
                                           text=True).stdout)  # fmt: skip
    after = measure(args.n)
    if args.json:
        print(json.dumps(after))
        return
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    for label, results in (("before", before), ("after", after)):
        if results is None:
            continue
        print(f"-- {label}" if before else "")
        for name, r in results.items():
            f, t, a, p = r["floor"], r["parse_target"], r["parse_actual"], r["full"]
            print(
                f"{name:11}: {r['texts']:6.0f} distinct  floor {f:>10,.0f}/s"
                f"  parse_target {t:>8,.0f}/s ({t / f:.3f})"
                f"  parse_actual {a:>8,.0f}/s ({a / f:.3f})"
                f"  full parser {p:>8,.0f}/s ({p / f:.3f})"
            )
    if before:
        print("-- after/before (ratios to the floor of each run)")
        for name, r in after.items():
            b = before[name]
            t = (r["parse_target"] / r["floor"]) / (b["parse_target"] / b["floor"])
            a = (r["parse_actual"] / r["floor"]) / (b["parse_actual"] / b["floor"])
            print(f"{name:11}: parse_target ×{t:.2f}  parse_actual ×{a:.2f}")


if __name__ == "__main__":
    main()
