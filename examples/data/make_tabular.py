"""Write the CSV and Excel examples and templates from the seed self-evaluation text.

Run from the repository root::

    python examples/data/make_tabular.py

It reads ``examples/data/tianjin-2024-self-evaluation.txt`` with the text reader and
writes ``examples/data/tianjin-2024.csv`` (UTF-8 with BOM, as Excel opens it),
``examples/data/tianjin-2024.xlsx`` (a merged title row, goal and level cells merged
down as in the official form) and the empty templates in ``docs/templates/``.
"""

from __future__ import annotations

import csv
import pathlib
from collections.abc import Sequence

import openpyxl
from openpyxl.styles import Alignment, Font

from perfscore.indicators import SELF_EVALUATION_HEADER, Indicator
from perfscore.readers.self_evaluation import parse_self_evaluation_text

ROOT = pathlib.Path(__file__).resolve().parents[2]
SEED = ROOT / "examples/data/tianjin-2024-self-evaluation.txt"
HEADER = SELF_EVALUATION_HEADER
TEMPLATE_ROWS = (
    ("绩效目标1", "产出指标", "数量指标", "举办培训班次数", "≥10次", "12次", 10, 10, ""),
    (
        "绩效目标1",
        "产出指标",
        "数量指标",
        "培训人次",
        "≥500人次",
        "450人次",
        10,
        9,
        "受场地限制，部分培训改为线上；下一步提前落实场地",
    ),
)
WIDTHS = (11, 11, 14, 40, 16, 22, 7, 7, 40)  # columns A…I, in characters


def cells(row: Indicator) -> tuple[object, ...]:
    """One indicator as the nine cells of the official form (numbers stay numbers)."""
    return (
        row.goal,
        row.level1,
        row.level2,
        row.level3,
        row.target,
        row.actual,
        row.weight,
        row.published,
        row.reason,
    )


def form_cells(rows: Sequence[Indicator]) -> list[tuple[object, ...]]:
    """Rows with goal and level names written only on the first row they apply to."""
    out: list[tuple[object, ...]] = []
    previous: tuple[str, ...] = ()
    for row in rows:
        keys = (row.goal, row.level1, row.level2)
        same = 0
        while same < 3 and previous[: same + 1] == keys[: same + 1]:
            same += 1
        out.append(("",) * same + cells(row)[same:])
        previous = keys
    return out


def write_csv(path: pathlib.Path, rows: Sequence[Sequence[object]]) -> None:
    """Write UTF-8 with BOM so that Excel on Chinese Windows opens it correctly."""
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows(["" if c is None else c for c in row] for row in rows)


def merge_down(sheet: object, rows: Sequence[Sequence[object]], first: int) -> None:
    """Merge each goal/level cell down over the blank cells below it (columns A–C)."""
    for column in range(3):
        start = 0
        for i in range(1, len(rows) + 1):
            if i == len(rows) or rows[i][column] != "" or any(rows[i][c] for c in range(column)):
                if i - start > 1:
                    sheet.merge_cells(  # type: ignore[attr-defined]
                        start_row=first + start,
                        start_column=column + 1,
                        end_row=first + i - 1,
                        end_column=column + 1,
                    )
                start = i


def write_xlsx(path: pathlib.Path, rows: Sequence[Sequence[object]], title: str = "") -> None:
    """Write a sheet: optional merged title row, header row, then the rows."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "绩效自评表"
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
        sheet["A1"].font = Font(bold=True, size=14)
        sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(HEADER)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    first = sheet.max_row + 1
    for row in rows:
        sheet.append([None if c == "" else c for c in row])
    merge_down(sheet, rows, first)
    for letter, width in zip("ABCDEFGHI", WIDTHS, strict=True):
        sheet.column_dimensions[letter].width = width
    for line in sheet.iter_rows(min_row=first):
        for cell in line:
            cell.alignment = Alignment(vertical="center", wrap_text=True)
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # a target such as "=100%" is text, not a formula
    workbook.save(path)


def main() -> None:
    """Write the examples and the templates."""
    document = parse_self_evaluation_text(SEED.read_text(encoding="utf-8"), file=SEED.name)
    rows = form_cells(document.indicators)
    title = f"{document.year}年度{document.department}整体支出绩效自评表"
    write_csv(ROOT / "examples/data/tianjin-2024.csv", rows)
    write_xlsx(ROOT / "examples/data/tianjin-2024.xlsx", rows, title)
    templates = ROOT / "docs/templates"
    templates.mkdir(parents=True, exist_ok=True)
    write_csv(templates / "自评表模板.csv", TEMPLATE_ROWS)
    write_xlsx(templates / "自评表模板.xlsx", TEMPLATE_ROWS)


if __name__ == "__main__":
    main()
