"""Score the bundled 天津市科学技术局 2024 self-evaluation and print the 自评表.

Run from anywhere: ``python examples/score_tianjin_2024.py``.
"""

from pathlib import Path

from perfscore import evaluate_document
from perfscore.readers import read
from perfscore.report import render_table

DATA = Path(__file__).resolve().parent / "data" / "tianjin-2024-self-evaluation.txt"


def main() -> None:
    """Read the text export, score it with the default scheme and print the table."""
    document = read(DATA)
    evaluation = evaluate_document(document)
    print(render_table(evaluation, document=document))
    print(f"总分 {evaluation.total}，等级 {evaluation.grade}")


if __name__ == "__main__":
    main()
