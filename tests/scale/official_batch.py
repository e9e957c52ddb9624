"""Realistic official-layout self-evaluations (自评表) for batch tests and bench_batch.py.

:func:`form_rows` builds one unit's sheet as rows of cells: a title, the budget block
written as metadata rows (全年预算数, 全年执行数, 预算执行率分值 and 得分), the header
:data:`~perfscore.indicators.SELF_EVALUATION_HEADER`, 39 indicator rows (three goals
of 13: quantities, percentages, deadlines, costs, benefits written as numbers or words,
satisfaction) with goal and level names written only where they change, as units fill
the form, and a 总分 row.  Every unit's actuals, weights and published scores differ
(seeded), and ``seed`` also picks a few realistic faults: a score above its weight, a
total that does not add up, weights that miss 100, an actual no scheme can read, full
marks on a missed target, a deduction for over-achievement, an execution score that is
not the scheme's.
"""

from __future__ import annotations

import csv
import random
import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from perfscore.indicators import SELF_EVALUATION_HEADER

ROWS_PER_GOAL = 13
GOALS = 3
ROWS = ROWS_PER_GOAL * GOALS

_UNITS = ["个", "项", "人次", "家", "场", "篇", "件", "户", "次", "份"]
_CENT = Decimal("0.01")
_QUANTITY = re.compile(r"≥(\d+)(\D+)")

Cells = list[object]


def _q(value: Decimal) -> Decimal:
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def _ratio_points(weight: Decimal, got: Decimal, wanted: Decimal) -> Decimal:
    return weight if got >= wanted else _q(weight * got / wanted)


def _indicators(rng: random.Random, seed: int) -> list[tuple[str, str, str, str, str, Decimal]]:
    """(一级, 二级, 三级, target, actual, published share) for one goal's 13 rows."""
    rows: list[tuple[str, str, str, str, str, Decimal]] = []
    for k in range(4):
        unit = rng.choice(_UNITS)
        target = rng.randint(5, 5000)
        actual = target * rng.choice([80, 92, 100, 100, 104, 118, 135, 170]) // 100
        share = Decimal(min(actual, target)) / Decimal(target)
        rows.append(
            ("产出指标", "数量指标", f"开展第{seed}批{k + 1}类服务数量", f"≥{target}{unit}",
             f"{actual}{unit}", share)
        )  # fmt: skip
    for k in range(3):
        target = Decimal(rng.choice([80, 85, 90, 95, 98]))
        actual = _q(target + Decimal(rng.randint(-800, 500)) / 100)
        actual = min(actual, Decimal(100))
        share = min(actual / target, Decimal(1))
        rows.append(
            ("产出指标", "质量指标", f"验收合格率{seed}-{k}", f"≥{target}%", f"{actual}%", share)
        )
    month = rng.randint(6, 12)
    done = month + rng.choice([-2, -1, 0, 0, 1])
    rows.append(
        ("产出指标", "时效指标", f"项目完成时间{seed}", f"2024年{month}月底前",
         f"已于2024年{max(done, 1)}月完成", Decimal(1) if done <= month else Decimal("0.8"))
    )  # fmt: skip
    months = rng.randint(2, 9)
    took = months + rng.choice([-1, 0, 0, 1])
    rows.append(
        ("产出指标", "时效指标", f"审批办理时长{seed}", f"≤{months}个月", f"{took}个月",
         Decimal(1) if took <= months else Decimal(months) / Decimal(took))
    )  # fmt: skip
    cost = _q(Decimal(rng.randint(1000, 9_999_999)) / 100)
    spent = _q(cost * Decimal(rng.randint(85, 108)) / 100)
    rows.append(
        ("产出指标", "成本指标", f"项目支出成本{seed}", f"≤{cost}万元", f"{spent}万元",
         Decimal(1) if spent <= cost else cost / spent)
    )  # fmt: skip
    words = rng.choice([("有效提升", "显著提升", "1"), ("逐步改善", "基本达到", "0.875"),
                        ("明显提高", "部分实现", "0.6")])  # fmt: skip
    rows.append(
        ("效益指标", "社会效益指标", f"服务水平{seed}", words[0], words[1], Decimal(words[2]))
    )
    people = rng.randint(50, 20000)
    reached = people * rng.choice([90, 100, 110, 125]) // 100
    rows.append(
        ("效益指标", "社会效益指标", f"受益群众人数{seed}", f"≥{people}人", f"{reached}人",
         min(Decimal(reached) / Decimal(people), Decimal(1)))
    )  # fmt: skip
    satisfied = rng.choice([86, 90, 92, 95, 97, 99])
    rows.append(
        ("满意度指标", "服务对象满意度指标", f"服务对象满意度{seed}", "≥90%", f"{satisfied}%",
         min(Decimal(satisfied) / 90, Decimal(1)))
    )  # fmt: skip
    return rows


def _weights(rng: random.Random, total: int) -> list[Decimal]:
    """ROWS weights (1–4 points) adding up to ``total``."""
    weights = [2] * ROWS
    extra = total - sum(weights)
    while extra > 0:
        at = rng.randrange(ROWS)
        if weights[at] < 4:
            weights[at] += 1
            extra -= 1
    return [Decimal(w) for w in weights]


def form_rows(seed: int) -> list[Cells]:
    """One unit's official self-evaluation as rows of cells (row 1 first)."""
    rng = random.Random(seed)
    fault = seed % 11  # a few units have a fault a reviewer must see
    rows: list[Cells] = [[f"2024年度第{seed}单位项目支出绩效自评表"]]
    budget = _q(Decimal(rng.randint(100_000, 99_999_999)) / 100)
    executed = _q(budget * Decimal(rng.randint(70, 100)) / 100)
    execution = _q(min(executed / budget, Decimal(1)) * 10)
    if fault == 1:
        execution = min(execution + Decimal("0.5"), Decimal(10))  # not the scheme's figure
    rows += [
        ["全年预算数", f"{budget}"],
        ["全年执行数", f"{executed}"],
        ["预算执行率分值", "10"],
        ["预算执行率得分", f"{execution}"],
        list(SELF_EVALUATION_HEADER),
    ]
    weights = _weights(rng, 91 if fault == 3 else 90)
    total = execution
    for goal in range(GOALS):
        previous: tuple[str, ...] = ()
        for k, (level1, level2, level3, target, actual, share) in enumerate(_indicators(rng, seed)):
            at = goal * ROWS_PER_GOAL + k
            weight = weights[at]
            points = weight if share >= 1 else _q(weight * share)
            reason = "" if points == weight else "受客观因素影响未完全完成，下一步加强进度管理"
            if fault in (2, 4) and at in (2, 16):
                wanted, unit = _QUANTITY.fullmatch(target).groups()  # type: ignore[union-attr]
                if fault == 2:  # full marks claimed on a missed target
                    actual, points = f"{int(wanted) * 4 // 5}{unit}", weight
                else:  # points deducted for over-achievement, which the scheme does not do
                    actual, points = f"{int(wanted) * 3 // 2}{unit}", weight - Decimal("0.5")
            if fault == 5 and at == 7:
                points = weight + 1  # a score above its weight
            if fault == 7 and at == 12:
                actual = "详见附件"  # no scheme can read this
            total += points
            keys = (f"绩效目标{goal + 1}", level1, level2)
            same = 0
            while same < 3 and previous[: same + 1] == keys[: same + 1]:
                same += 1
            cells: Cells = [*keys, level3, target, actual, f"{weight}", f"{points}", reason]
            rows.append([""] * same + cells[same:])
            previous = keys
    if fault == 9:
        total += 1  # a total that does not add up
    rows.append(["总分", "", "", "", "", "", "100", f"{total}", ""])
    return rows


def write_csv(path: Path, rows: Sequence[Sequence[object]]) -> None:
    """UTF-8 with BOM, as Excel on Chinese Windows saves it."""
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out).writerows(rows)


def write_xlsx(path: Path, rows: Sequence[Sequence[object]]) -> None:
    """One sheet, numbers as numbers (as a unit's Excel holds them)."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("自评表")
    for row in rows:
        sheet.append([_number(c) for c in row])
    book.save(path)


def _number(cell: object) -> object:
    if isinstance(cell, str) and cell and cell.replace(".", "", 1).isdigit():
        value = Decimal(cell)
        return int(value) if value == value.to_integral_value() else float(cell)
    return cell or None


def build_folder(folder: Path, count: int, suffix: str, start: int = 0) -> list[Path]:
    """Write ``count`` units' forms as ``unit00000.csv`` … (or .xlsx) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    write = write_csv if suffix == ".csv" else write_xlsx
    paths = []
    for n in range(start, start + count):
        path = folder / f"unit{n:05}{suffix}"
        write(path, form_rows(n))
        paths.append(path)
    return paths
