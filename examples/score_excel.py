"""Score an Excel sheet of indicator rows, giving the budget figures in code.

The sheet (``data/tianjin-2024.xlsx``) holds only the indicator rows, so the
全年预算数 (A) and 全年执行数 (B) are passed to :func:`perfscore.evaluate`.
"""

from decimal import Decimal
from pathlib import Path

from perfscore import evaluate
from perfscore.readers import read

DATA = Path(__file__).resolve().parent / "data" / "tianjin-2024.xlsx"
BUDGET = Decimal("176875.03")  # 全年预算数 A, 万元
EXECUTED = Decimal("170639.2")  # 全年执行数 B, 万元


def main() -> None:
    """Score the sheet twice: with the published scores and recomputed by the scheme."""
    document = read(DATA)
    for recompute in (False, True):
        evaluation = evaluate(
            document.indicators,
            budget=BUDGET,
            executed=EXECUTED,
            execution_published=Decimal("9.65"),
            year=document.year,
            recompute=recompute,
        )
        how = "按方案重新计算" if recompute else "采用填报得分"
        print(f"{how}：总分 {evaluation.total}，等级 {evaluation.grade}")
    for score in evaluation.differences:
        row = score.indicator
        print(f"  第{row.row}行 {row.level3}：填报 {score.published}，方案 {score.computed}")


if __name__ == "__main__":
    main()
