"""Write the scored 自评表 as an Excel workbook a finance officer can hand in.

``python examples/write_xlsx_report.py [OUT.xlsx]`` — by default
``out/tianjin-2024-自评表.xlsx`` under the repository root.
"""

import sys
from pathlib import Path

from perfscore import evaluate_document
from perfscore.readers import read
from perfscore.report import to_xlsx

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "tianjin-2024-self-evaluation.txt"
DEFAULT_OUT = HERE.parent / "out" / "tianjin-2024-自评表.xlsx"


def main(argv: list[str]) -> None:
    """Score the Tianjin text and write the workbook to ``argv[1]`` or the default path."""
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    document = read(DATA)
    evaluation = evaluate_document(document)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(to_xlsx(evaluation, document=document))
    print(f"已写入 {out}（总分 {evaluation.total}，等级 {evaluation.grade}）")


if __name__ == "__main__":
    main(sys.argv)
