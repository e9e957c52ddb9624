"""Print how long `fit_scheme` takes on tables of 20, 100 and 1,000 rows.

Usage: python benchmarks/bench_fit.py

Each table mixes quantitative rows (three-decimal points), costs under budget,
over-achieved rows and qualitative answers, all scored under a provincial
convention (one decimal rounded down, 基本达到 at 87.5%); the fit must recover it.
Caches are cleared before each run, so every row is parsed and scored afresh (cold),
then the same table is fitted again (warm: parsing cached).  Just a measurement.
"""

from __future__ import annotations

import random
import time
from decimal import Decimal

from perfscore import Indicator, evaluate
from perfscore.parse import targets
from perfscore.score.fit import fit_scheme
from perfscore.score.scheme import Scheme
from perfscore.score.scoring import _outcome

TRUTH = Scheme.from_dict(
    {
        "name": "truth",
        "rounding": {"places": 1, "mode": "down"},
        "qualitative": {"phrases": {"基本达到": 0.875}},
    }
)


def _table(count: int, seed: int = 1) -> list[Indicator]:
    rng = random.Random(seed)
    rows = []
    for n in range(1, count + 1):
        weight = Decimal(rng.choice([2, 3, 4, 5, 6, 7, 9]))
        kind = n % 6
        if kind == 0:
            target, actual, level2 = (
                "有效提升",
                rng.choice(["基本达到预期", "已完成"]),
                "社会效益指标",
            )
        elif kind == 1:
            target, actual, level2 = "≤1000万元", f"{rng.randint(700, 999)}万元", "成本指标"
        else:
            target, actual, level2 = "≥1000项", f"{rng.randint(500, 1200)}项", "数量指标"
        rows.append(Indicator(row=n, level1="产出指标", level2=level2, level3=f"指标{n}",
                              target=target, actual=actual, weight=weight))  # fmt: skip
    scores = evaluate(rows, scheme=TRUTH, recompute=True, full_marks=None).scores
    return [
        Indicator(row=s.indicator.row, level1=s.indicator.level1, level2=s.indicator.level2,
                  level3=s.indicator.level3, target=s.indicator.target, actual=s.indicator.actual,
                  weight=s.indicator.weight, published=s.computed)
        for s in scores
    ]  # fmt: skip


def main() -> None:
    print(f"{'rows':>6}  {'cold s':>8}  {'warm s':>8}  explained  settings")
    for count in (20, 100, 1000):
        table = _table(count)
        for cached in (targets.parse_target, targets._parse_actual_text, _outcome):
            cached.cache_clear()  # type: ignore[attr-defined]
        started = time.perf_counter()
        fit = fit_scheme(table)
        cold = time.perf_counter() - started
        started = time.perf_counter()
        fit_scheme(table)
        warm = time.perf_counter() - started
        keys = ", ".join(k for k, _ in fit.changes)
        print(f"{count:>6}  {cold:>8.3f}  {warm:>8.3f}  {fit.explained:>4}/{fit.rows:<4}  {keys}")


if __name__ == "__main__":
    main()
