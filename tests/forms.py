"""Build the official self-evaluation forms (财预〔2020〕10号) as users fill them, for tests.

The project form (项目支出绩效自评表): title and （2023年度）; 项目名称 / 主管部门 /
实施单位; the budget block with its labels across one row (年初预算数 | 全年预算数 |
全年执行数 | 分值 | 执行率 | 得分) and the rows 年度资金总额 / 其中：当年财政拨款 /
上年结转资金 / 其他资金; 年度总体目标 (预期目标 | 实际完成情况); the indicator block
under a merged 绩效指标 cell; 总分; 自评等级; and the footer 填表人 / 联系电话 / 填报日期.
Its published total is 96.08 (优): indicators 86.29 of 90, execution 9.79 of 10.
"""

from __future__ import annotations

from pathlib import Path

PROJECT = "科技馆运行保障经费"
DEPARTMENT = "某市科学技术协会"
UNIT = "某市科技馆"
TOTAL = "96.08"

# 一级, 二级, 三级, target, actual, weight, published score
INDICATORS = [
    ("产出指标", "数量指标", "接待观众人次", "≥20万人次", "22万人次", 20, "20"),
    ("产出指标", "质量指标", "展品完好率", "≥95%", "98%", 10, "10"),
    ("产出指标", "时效指标", "维修及时率", "≥90%", "92%", 10, "10"),
    ("产出指标", "成本指标", "运行成本", "≤480万元", "470万元", 10, "10"),
    ("效益指标", "社会效益指标", "科普活动场次", "≥100场", "95场", 20, "19"),
    ("效益指标", "可持续影响指标", "长效运行机制", "健全", "基本健全", 10, "8"),
    ("满意度指标", "服务对象满意度指标", "观众满意度", "≥90%", "85%", 10, "9.29"),
]
BUDGET = ("500", "480", "470", "10", "97.92%", "9.79")
GOAL_TEXT = "保障科技馆全年正常开放，接待观众不少于20万人次"
GOAL_ACHIEVED = "全年开放310天，接待观众22万人次"
# How many cells the 总分 label spans (1: not merged), in Excel and in Word.
TOTAL_SPANS = (6, 4, 2, 1)


# Where a form writes its 自评等级: on its own row below 总分, or inside the 总分 row.
GRADE_PLACES = ("row", "inside", "beside")
# Where a form writes 年度总体目标: headings row then texts (the official layout), the
# texts on the label's own row, or 预期目标 / 实际完成情况 labels beside their texts.
GOAL_LAYOUTS = ("headings", "inline", "labelled")


def project_form_rows(
    *, execution_weight: int = 10, grade: str = "row", goal: str = "headings"
) -> list[list[object]]:
    """The project form as rows of cells (row 1 first), as Excel shows it.

    ``grade`` is one of :data:`GRADE_PLACES`, ``goal`` one of :data:`GOAL_LAYOUTS`.
    """
    budget = list(BUDGET)
    goal_text, achieved = GOAL_TEXT, GOAL_ACHIEVED
    goal_rows: list[list[object]] = {
        "headings": [
            ["年度总体目标", "预期目标", None, None, None, "实际完成情况", None, None, None],
            ["年度总体目标", goal_text, None, None, None, achieved, None, None, None],
        ],
        "inline": [["年度总体目标", goal_text, None, None, None, achieved, None, None, None]],
        "labelled": [
            ["年度总体目标", "预期目标", goal_text, None, None, "实际完成情况", achieved, None,
             None],
        ],
    }[goal]  # fmt: skip
    rows: list[list[object]] = [
        ["项目支出绩效自评表"] + [None] * 8,
        ["（2023年度）"] + [None] * 8,
        ["项目名称", PROJECT, None, None, None, None, None, None, None],
        ["主管部门", DEPARTMENT, None, None, "实施单位", UNIT, None, None, None],
        ["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率",
         "得分", None],
        ["项目资金（万元）", "年度资金总额", *budget[:3], execution_weight, budget[4],
         budget[5], None],
        ["项目资金（万元）", "其中：当年财政拨款", *budget[:3], "—", None, "—", None],
        ["项目资金（万元）", "上年结转资金", 0, 0, 0, "—", None, "—", None],
        ["项目资金（万元）", "其他资金", 0, 0, 0, "—", None, "—", None],
        *goal_rows,
        ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值",
         "得分", "偏差原因分析及改进措施"],
    ]  # fmt: skip
    for level1, level2, level3, target, actual, weight, score in INDICATORS:
        rows.append(["绩效指标", level1, level2, level3, target, actual, weight, score, None])
    total: list[object] = ["总分", None, None, None, None, None, 100, TOTAL, None]
    if grade == "inside":
        total[8] = "自评等级：优"
    elif grade == "beside":
        total += ["自评等级", "优"]
    rows.append(total)
    if grade == "row":
        rows.append(["自评等级", "优", None, None, None, None, None, None, None])
    rows += [
        ["填表人：张三", None, None, "联系电话：022-12345678", None, None,
         "填报日期：2024年3月1日", None, None],
    ]  # fmt: skip
    return rows


# Cells merged in the official layout: (first row, first col, last row, last col), 1-based.
MERGED = [(1, 1, 1, 9), (2, 1, 2, 9), (3, 2, 3, 9), (5, 1, 9, 1)]


def write_project_form_xlsx(
    path: Path,
    *,
    sheet: str = "项目自评表",
    total_span: int = 1,
    grade: str = "row",
    goal: str = "headings",
) -> Path:
    """Write the project form to ``path`` as XLSX, merged cells as Excel has them.

    ``total_span`` merges the 总分 label over that many cells (6: A:F, over 一级…实际完成值).
    """
    import openpyxl

    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    rows = project_form_rows(grade=grade, goal=goal)
    for row in rows:
        worksheet.append(row)
    merged = list(MERGED)
    if goal == "headings":
        merged.append((10, 1, 11, 1))
    total_at = next(i for i, row in enumerate(rows, start=1) if row[0] == "总分")
    if total_span > 1:
        merged.append((total_at, 1, total_at, total_span))
    for first_row, first_col, last_row, last_col in merged:
        for r in range(first_row, last_row + 1):
            for c in range(first_col, last_col + 1):
                if (r, c) != (first_row, first_col):
                    worksheet.cell(r, c).value = None
        worksheet.merge_cells(
            start_row=first_row, start_column=first_col, end_row=last_row, end_column=last_col
        )
    block = next(i for i, row in enumerate(rows, start=1) if row[0] == "绩效指标")
    last = block + len(INDICATORS)
    for r in range(block + 1, last + 1):
        worksheet.cell(r, 1).value = None
    worksheet.merge_cells(start_row=block, start_column=1, end_row=last, end_column=1)
    workbook.save(path)
    return path


def project_form_text() -> str:
    """The project form as Excel copies it to the clipboard: tab-separated lines."""
    return "\n".join(
        "\t".join("" if cell is None else str(cell) for cell in row) for row in project_form_rows()
    )


def write_project_form_docx(
    path: Path, *, total_span: int = 1, grade: str = "row", goal: str = "headings"
) -> Path:
    """Write the project form as a Word table (one table, merged cells repeated as Word does).

    ``total_span`` merges the 总分 cell over that many grid cells (a Word grid span).
    """
    import docx

    document = docx.Document()
    rows = project_form_rows(grade=grade, goal=goal)
    table = document.add_table(rows=len(rows), cols=max(map(len, rows)))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = "" if value is None else str(value)
        if row[0] == "总分" and total_span > 1:
            merged = table.cell(r, 0).merge(table.cell(r, total_span - 1))
            merged.text = "总分"
    document.save(path)
    return path


def department_form_rows(
    *, execution_weight: int | None = 20, published: str | None = None, grade: str = ""
) -> list[list[object]]:
    """The department form (部门整体支出绩效自评表): budget block written vertically,
    the indicator block under 年度指标完成情况, execution out of ``execution_weight``
    (None: no budget block at all, the indicators carry all 100 points).

    Indicator weights and execution add up to 100 (80 + 20, 90 + 10, or 100).
    """
    weights = {20: [20, 10, 10, 10, 10, 10, 10], None: [30, 10, 10, 10, 20, 10, 10]}.get(
        execution_weight, [i[5] for i in INDICATORS]
    )
    rows: list[list[object]] = [
        ["部门整体支出绩效自评表"],
        ["（2023年度）"],
        ["部门名称", DEPARTMENT],
    ]
    if execution_weight is not None:
        executed = 470 / 480 * execution_weight
        rows += [
            ["年初预算数", 500],
            ["全年预算数", 480],
            ["全年执行数", 470],
            ["预算执行率分值", execution_weight],
            ["预算执行率得分", f"{executed:.2f}"],
        ]
    rows += [
        ["年度指标完成情况", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值",
         "分值", "得分", "偏差原因分析及改进措施"],
    ]  # fmt: skip
    for (level1, level2, level3, target, actual, _, _), weight in zip(
        INDICATORS, weights, strict=True
    ):
        rows.append(["年度指标完成情况", level1, level2, level3, target, actual, weight, None])
    total: list[object] = ["总分", None, None, None, None, None, 100, published]
    if grade:
        total.append(f"自评等级：{grade}")  # written in the 总分 row's last cell
    rows.append(total)
    rows.append(["单位负责人：李四", None, None, "财务负责人：王五"])
    return rows


def rows_text(rows: list[list[object]]) -> str:
    """Rows as Excel copies them to the clipboard: tab-separated lines."""
    return "\n".join("\t".join("" if c is None else str(c) for c in row) for row in rows)


def write_rows_docx(path: Path, rows: list[list[object]], *, total_span: int = 1) -> Path:
    """Rows as one Word table, the 总分 cell merged over ``total_span`` grid cells."""
    import docx

    document = docx.Document()
    table = document.add_table(rows=len(rows), cols=max(map(len, rows)))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = "" if value is None else str(value)
        if row[0] == "总分" and total_span > 1:
            table.cell(r, 0).merge(table.cell(r, total_span - 1)).text = "总分"
    document.save(path)
    return path


def write_workbook(path: Path) -> Path:
    """A workbook as a department hands it in: two project forms and a sheet of notes."""
    import openpyxl

    workbook = openpyxl.Workbook()
    notes = workbook.active
    notes.title = "填表说明"
    notes.append(["请按财预〔2020〕10号填写各项目自评表。"])
    for name in ("项目一", "项目二"):
        sheet = workbook.create_sheet(name)
        for row in project_form_rows():
            sheet.append(row)
    workbook.save(path)
    return path


def write_project_form_ods(path: Path) -> Path:
    """Write the project form as an OpenDocument spreadsheet (.ods), as WPS and LibreOffice save."""
    return write_ods(path, {"项目自评表": project_form_rows()})


def write_ods(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """Write sheets of rows (numbers as numbers, the rest as text) to an .ods file."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    for name, rows in sheets.items():
        table = Table(name=name)
        for row in rows:
            table_row = TableRow()
            for value in row:
                if isinstance(value, int | float):
                    cell = TableCell(valuetype="float", value=value)
                    cell.addElement(P(text=str(value)))
                else:
                    cell = TableCell(valuetype="string")
                    cell.addElement(P(text="" if value is None else str(value)))
                table_row.addElement(cell)
            table.addElement(table_row)
        document.spreadsheet.addElement(table)
    document.save(str(path))
    return path
