"""Print rows/s for a bare-regex floor and for score_indicator on two 50,000-row mixtures.

Usage: python benchmarks/bench_floor.py [N] [--kinds]

``--kinds`` also prints the distinct mixture's rows by kind (quantities, cost rows,
qualitative, dates and periods) in µs per row, each kind scored on its own, cold, with
the floor's µs and the ratio beside them.

*repeating* draws seed targets with actuals from a small set (texts repeat, as
in one unit's tables); *distinct* makes the texts new as in a national batch
where each unit writes its own: a quarter dates and periods (``2024年12月31日前``
→ ``2024年11月20日``, ``2024年底前``, ``第四季度``), a tenth qualitative rows
(``提升`` → ``有所提升``, ``满意``), a tenth cost rows (``≤160万元``), the rest
quantities with mixed comparator words, percents and money.  The floor is what
any scorer must at least do: one regex per text (a quantity regex, else a date
regex) and Decimal or date arithmetic — no units, no explanations, no caches.
Each figure is the best of five runs with cold caches, in CPU time
(``time.process_time``: other processes share the machine); the ratio
score_indicator / floor, measured in the same run, is the figure to compare.
Just a measurement.
"""

from __future__ import annotations

import datetime
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

_FLOOR = re.compile(
    r"^\s*(≥|≤|>|<|=|不低于|不少于|达到|不高于|控制在)?\s*([0-9]+(?:\.[0-9]+)?)\s*(\S*)$"
)
_DATE = re.compile(r"(?:(\d{4})年)?(?:(\d{1,2})月(?:(\d{1,2})日)?|年?底|第([一二三四])季度)")
_QUARTER_END = {"一": 3, "二": 6, "三": 9, "四": 12, None: 12}
_UNITS = ["个", "项", "人次", "%", "万元", "次", "家", "场", "篇", "件", "天", "户"]
_PREFIXES = ["≥", "≤", ">", "<", "", "不低于", "不少于", "达到", "大于等于", "不超过", "≥ "]


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
    """Every target and actual text new, in the shapes a national batch really has.

    About a quarter dates and periods that stay valid dates (``2024年12月31日前`` →
    ``2024年11月20日``, ``2024年底前``, ``第四季度``), a tenth qualitative rows (``提升`` →
    ``有所提升``, ``满意``), a tenth cost rows (``≤160万元``); the rest quantities with
    mixed comparator words, percents and money.  Numbers and names vary per row.
    """
    rows = []
    for k in range(n):
        kind = rng.random()
        if kind < 0.25:
            target, actual = _date_pair(k, rng)
            name, level2, cost = f"完成时间{k}", "时效指标", False
        elif kind < 0.35:
            target, actual = rng.choice(_QUALITATIVE)
            name, level2, cost = f"服务质量{k}", "效益指标", False
        elif kind < 0.45:
            budget = Decimal(rng.randint(10, 9_999)) + Decimal(k % 89) / 10
            spent = (budget * Decimal(rng.randint(70, 120)) / 100).quantize(Decimal("0.1"))
            target, actual = (
                f"{rng.choice(['≤', '不高于', '控制在'])}{budget:f}万元",
                f"{spent:f}万元",
            )
            name, level2, cost = f"项目成本{k}", "成本指标", True
        else:
            unit = rng.choice(_UNITS)
            magnitude = Decimal(rng.randint(1, 99_999)) / (100 if unit == "%" else 1) + k % 97
            value = (magnitude * Decimal(rng.randint(50, 150)) / 100).quantize(Decimal("0.01"))
            target = f"{rng.choice(_PREFIXES)}{magnitude:f}{unit}"
            actual = f"{value:f}{unit}"
            name, level2, cost = f"指标{k}", "数量指标", False
        rows.append(
            Indicator(
                row=k + 1,
                level1="产出指标",
                level2=level2,
                level3=name if not cost else f"{name}（成本）",
                target=target,
                actual=actual,
                weight=Decimal(rng.choice([2, 3, 5, 10])),
            )
        )
    return rows


_QUALITATIVE = [
    ("提升", "有所提升"),
    ("提升", "明显提升"),
    ("满意", "满意"),
    ("满意", "基本满意"),
    ("有效提升", "已有效提升"),
    ("达到预期", "达到预期"),
    ("良好", "优秀"),
    ("合格", "合格"),
    ("显著改善", "有所改善"),
    ("≥90%", "满意"),
]
_QUARTERS = ["第一季度", "第二季度", "第三季度", "第四季度"]


def _date_pair(k: int, rng: random.Random) -> tuple[str, str]:
    """A deadline or period target and a completion date, always a real date."""
    year = 2024 if k % 5 else 2025
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    done = f"{year}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"
    shape = rng.randrange(5)
    if shape == 0:
        return f"{year}年{month}月{day}日前", done
    if shape == 1:
        return f"{year}年{rng.choice(['底', '年底'])}前".replace("年年", "年"), done
    if shape == 2:
        return rng.choice(_QUARTERS), f"{year}年{rng.randint(1, 12)}月"
    if shape == 3:
        return f"{year}年{month}月底前", f"{year}年{rng.randint(1, 12)}月完成"
    return f"{month}月{day}日前", f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日"


def floor(rows: list[Indicator]) -> int:
    """Regex + Decimal only: one regex per text, then weight × min(actual/target, 1).

    Quantities are read by one regex; dates by another (year, month, day) and
    compared as dates, so date rows cost the floor comparable work.
    """
    scored = 0
    one = Decimal(1)
    for row in rows:
        t, a = _FLOOR.match(row.target), _FLOOR.match(row.actual)
        if t and a and row.weight is not None:
            target = Decimal(t.group(2))
            if target:
                min(Decimal(a.group(2)) / target, one) * row.weight
                scored += 1
            continue
        d, e = _DATE.search(row.target), _DATE.search(row.actual)
        if d and e and row.weight is not None:
            due, done = _floor_date(d), _floor_date(e)
            (row.weight if done <= due else Decimal(0)) * one
            scored += 1
    return scored


def _floor_date(match: re.Match[str]) -> datetime.date:
    year, month, day, quarter = match.groups()
    month = int(month) if month else _QUARTER_END[quarter]
    return datetime.date(int(year or 2024), month, int(day or 28))


def perfscore_rows(rows: list[Indicator]) -> int:
    """score_indicator with its caches cleared first, so every run starts cold."""
    parse_target.cache_clear()
    _parse_actual_text.cache_clear()  # parse_actual's cache (it adds the scheme's phrases)
    _outcome.cache_clear()
    for row in rows:
        score_indicator(row, year=2024)
    return len(rows)


def rate(function: object, rows: list[Indicator], runs: int = 5) -> float:
    """Best rows/s of ``runs`` runs, in CPU time (other processes share the machine)."""
    best = 0.0
    for _ in range(runs):
        start = time.process_time()
        function(rows)  # type: ignore[operator]
        best = max(best, len(rows) / max(time.process_time() - start, 1e-9))
    return best


# The distinct mixture's kinds, by the 二级 name distinct() gives each.
_KINDS = {
    "数量指标": "quantities",
    "成本指标": "cost",
    "效益指标": "qualitative",
    "时效指标": "dates",
}


def by_kind(rows: list[Indicator]) -> None:
    """µs per row of each kind of the distinct mixture, scored on its own from cold caches."""
    for level2, kind in _KINDS.items():
        subset = [r for r in rows if r.level2 == level2]
        p, f = rate(perfscore_rows, subset, runs=5), rate(floor, subset, runs=5)
        print(
            f"  {kind:11}: {len(subset):6} rows  score_indicator {1e6 / p:6.2f} µs/row"
            f"  floor {1e6 / f:5.2f} µs/row  ratio {p / f:.3f}"
        )


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "--kinds"]
    n = int(args[0]) if args else 50_000
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
        if name == "distinct" and "--kinds" in sys.argv:
            by_kind(rows)


if __name__ == "__main__":
    main()
