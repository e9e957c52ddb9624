"""Print XLSX reading rates: the openpyxl path, the calamine path, and calamine's bare floor.

Usage: python benchmarks/bench_xlsx_readers.py [ROWS] [FILES]

(a) one workbook of ROWS indicator rows (default 10,000); (b) FILES official-layout
workbooks (default 500) of about 39 rows each: title, project and budget block,
overall goal, 25 indicators under merged cells, a percent-formatted 执行率, 总分 and
the signature line.  For each:

* openpyxl: ``read_xlsx_sheets(path, _engine="openpyxl")``, the path before issue 21;
* new: ``read_xlsx_sheets(path)`` (the package scan, calamine, then the row reader);
* new rows: ``_xlsx.read_book(path)`` — the same without the row reader (read_rows),
  which is the same work for every engine;
* floor: calamine's bare ``CalamineWorkbook.from_path`` + ``to_python()`` of each sheet.

The figure judged is new rows ÷ floor on (b), measured in the same run: reading an
.xlsx must cost little more than calamine itself.  CPU time (``time.process_time``),
best of three runs, so other processes on the machine count for little.
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import openpyxl
from python_calamine import CalamineWorkbook

from perfscore.indicators import SELF_EVALUATION_HEADER
from perfscore.readers import _xlsx
from perfscore.readers.tabular import read_xlsx_sheets

HEADER = list(SELF_EVALUATION_HEADER[:8])  # the official header but 偏差原因


def workbook(path: Path, rows: int) -> Path:
    """A sheet of ``rows`` indicator rows under the usual header."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("自评表")
    sheet.append(HEADER)
    for n in range(rows):
        sheet.append(
            [f"绩效目标{n // 50 + 1}", "产出指标", "数量指标", f"指标{n}", f"≥{n % 90 + 10}项",
             f"{n % 97 + 5}项", 1, 1]
        )  # fmt: skip
    book.save(path)
    return path


LEVELS = [
    ("产出指标", "数量指标"),
    ("产出指标", "质量指标"),
    ("产出指标", "时效指标"),
    ("产出指标", "成本指标"),
    ("效益指标", "社会效益指标"),
    ("满意度指标", "服务对象满意度指标"),
]


def official(path: Path, seed: int) -> Path:
    """The project form (项目支出绩效自评表) as units fill it in Excel: 39 rows, merged cells."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "项目自评表"
    rows: list[list[object]] = [
        ["项目支出绩效自评表"],
        ["（2024年度）"],
        ["项目名称", f"科技馆运行保障经费{seed}"],
        ["主管部门", "某市科学技术协会", None, None, "实施单位", f"某市科技馆{seed % 17}"],
        ["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率",
         "得分"],
        ["项目资金（万元）", "年度资金总额", 500 + seed, 480 + seed, 470, 10, 0.9792, 9.79],
        ["项目资金（万元）", "其中：当年财政拨款", 500 + seed, 480 + seed, 470, "—", None, "—"],
        ["项目资金（万元）", "上年结转资金", 0, 0, 0, "—", None, "—"],
        ["年度总体目标", "预期目标", None, None, None, "实际完成情况"],
        ["年度总体目标", f"保障科技馆全年正常开放{seed}", None, None, None, "全年开放310天"],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
         "偏差原因分析及改进措施"],
    ]  # fmt: skip
    for n in range(25):
        level1, level2 = LEVELS[n % len(LEVELS)]
        target = (n * 7 + seed) % 90 + 10
        actual = target + (n + seed) % 5 - 2
        weight = 4 if n < 15 else 3
        score = weight if actual >= target else round(weight * actual / target, 2)
        rows.append(
            ["绩效指标", level1, level2, f"指标{n}", f"≥{target}项", f"{actual}项", weight, score]
        )
    rows += [
        ["总分", None, None, None, None, None, 100, 95.5],
        ["自评等级", "优"],
        [
            "填表人：张三",
            None,
            None,
            "联系电话：022-12345678",
            None,
            None,
            "填报日期：2025年3月1日",
        ],
    ]
    for row in rows:
        sheet.append(row)
    sheet["G6"].number_format = "0.00%"
    for ref in ("A1:I1", "A2:I2", "B3:I3", "A5:A8", "A9:A10", "A11:A36", "A37:F37"):
        sheet.merge_cells(ref)
    book.save(path)
    return path


def floor(path: Path) -> None:
    """calamine alone: open, and every sheet's values."""
    book = CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()


def cpu(read: Callable[[Path], object], paths: list[Path], repeat: int = 3) -> float:
    """Best CPU seconds over ``repeat`` passes reading every path."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        for path in paths:
            read(path)
        best = min(best, time.process_time() - start)
    return best


def openpyxl_path(path: Path) -> object:
    return read_xlsx_sheets(path, _engine="openpyxl")


def new_rows(path: Path) -> object:
    book = _xlsx.read_book(str(path))
    assert book is not None, f"{path} fell back to openpyxl"
    return book


READERS: dict[str, Callable[[Path], object]] = {
    "openpyxl": openpyxl_path,
    "new": read_xlsx_sheets,
    "new rows": new_rows,
    "floor": floor,
}


def report(title: str, paths: list[Path], rows: int) -> dict[str, float]:
    seconds = {name: cpu(read, paths) for name, read in READERS.items()}
    print(title)
    for name, spent in seconds.items():
        print(f"  {name:9} {len(paths) / spent:10,.1f} files/s {rows / spent:12,.0f} rows/s")
    print(
        f"  new rows / floor {seconds['floor'] / seconds['new rows']:.2f};"
        f" new / floor {seconds['floor'] / seconds['new']:.2f};"
        f" new / openpyxl {seconds['openpyxl'] / seconds['new']:.1f}×"
    )
    return seconds


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    files = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    with tempfile.TemporaryDirectory() as folder:
        big = workbook(Path(folder) / "rows.xlsx", rows)
        report(f"(a) one workbook of {rows:,} rows", [big], rows + 1)
        forms = [official(Path(folder) / f"form{i}.xlsx", i) for i in range(files)]
        report(f"(b) {files} official-layout workbooks of 39 rows", forms, files * 39)


if __name__ == "__main__":
    main()
