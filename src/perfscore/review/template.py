"""Turn a 绩效目标表 into a self-evaluation workbook (绩效自评表) ready to fill in.

:func:`build_template` writes one sheet per project: a title row, the
project's metadata (预算数, 资金来源, 绩效目标, empty 全年预算数/全年执行数 cells
for the user), then the header row the tabular reader understands, one row
per indicator with its target and a default weight, and a 总分 row.

Default weights (:func:`weights_for`) follow the scheme:

1. Budget execution gets ``scheme.execution_weight`` (10); the indicators
   share the rest (90).
2. Each indicator belongs to the 一级 level its 一级指标 names (产出, 效益,
   满意度, 成本; by its 二级指标 when 一级 is blank; 产出指标 when neither
   says).  A 成本指标 written as a 二级 under 产出指标 is an 产出 indicator
   and shares the 产出 points.
3. Each level present gets its weight from ``scheme.weights`` (产出 50, 效益
   30, 满意度 10, 成本 0 in mof2020).  When those do not add up to 90 — a
   level is absent, or a level the scheme gives 0 is present — the positive
   levels are scaled in proportion so that they do (rounded down to the
   scheme's places, the remainder to the largest level).  A level the scheme
   gives 0 (一级 成本指标 under mof2020) keeps 0 points per row: the rows
   stay for the user to weigh, or use a scheme that gives 成本 points.  If
   no level present has points, the 90 are split over all indicators.
4. Within a level, the points are split evenly to the scheme's places; the
   remainder goes one unit at a time to the first rows, so every level sums
   exactly and the indicators sum to exactly 90.

Needs ``pip install 'perfscore[excel]'`` (openpyxl).
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import ROUND_DOWN, Decimal
from typing import Any

from .._safe import safe_text, starts_formula
from ..documents import Document, Project
from ..errors import PerfscoreError
from ..indicators import SELF_EVALUATION_HEADER, Indicator
from ..parse.values import format_decimal
from ..score.scheme import Scheme, load_scheme

__all__ = [
    "DEFAULT_LEVEL",
    "HEADER",
    "LEVEL2_PARENTS",
    "build_template",
    "sheet_names",
    "weights_for",
]

HEADER = SELF_EVALUATION_HEADER
WIDTHS = (16, 11, 16, 36, 18, 18, 8, 8, 36)  # A holds labels such as 预算执行率得分
# The 一级 a row belongs to when its 一级指标 cell names none of the scheme's levels.
DEFAULT_LEVEL = "产出指标"
# 二级 words → their 一级, for rows whose 一级 is blank.
LEVEL2_PARENTS: dict[str, str] = {
    "数量": "产出指标",
    "质量": "产出指标",
    "时效": "产出指标",
    "经济效益": "效益指标",
    "社会效益": "效益指标",
    "生态效益": "效益指标",
    "可持续影响": "效益指标",
    "满意度": "满意度指标",
    "成本": "成本指标",
}
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\：]")
_SHEET_MAX = 31
_HUNDRED = Decimal(100)


class TemplateError(PerfscoreError, ValueError):
    """The target table cannot be turned into a template (no projects, no openpyxl)."""


# --- weights ------------------------------------------------------------------------------


def weights_for(
    indicators: Sequence[Indicator], scheme: Scheme | None = None
) -> tuple[Decimal, ...]:
    """Default weights for ``indicators``: levels as the scheme says, summing to 100 − execution."""
    scheme = scheme or load_scheme()
    if not indicators:
        return ()
    unit = Decimal(1).scaleb(-scheme.places)
    total = _HUNDRED - scheme.execution_weight
    levels = [level_of(i, scheme) for i in indicators]
    level_points = _level_points(Counter(levels), scheme, total, unit)
    if level_points is None:
        return tuple(_split(total, len(indicators), unit))
    shares = {level: iter(_split(points, levels.count(level), unit))
              for level, points in level_points.items()}  # fmt: skip
    return tuple(next(shares[level]) for level in levels)


def level_of(indicator: Indicator, scheme: Scheme) -> str:
    """The scheme level (a key of ``scheme.weights``) an indicator's points come from."""
    for key in scheme.weights:
        if key.removesuffix("指标") in indicator.level1:
            return key
    if not indicator.level1.strip():
        for word, parent in LEVEL2_PARENTS.items():
            if word in indicator.level2:
                return parent
    return DEFAULT_LEVEL


def _level_points(
    counts: Counter[str], scheme: Scheme, total: Decimal, unit: Decimal
) -> dict[str, Decimal] | None:
    """Points per level present, scaled to sum to ``total``; None if none has points."""
    given = {level: max(scheme.weights.get(level, Decimal(0)), Decimal(0)) for level in counts}
    positive = sum(given.values(), Decimal(0))
    if positive <= 0:
        return None
    points = {
        level: (total * weight / positive).quantize(unit, rounding=ROUND_DOWN)
        for level, weight in given.items()
    }
    largest = max(points, key=lambda level: given[level])
    points[largest] += total - sum(points.values(), Decimal(0))
    return points


def _split(points: Decimal, count: int, unit: Decimal) -> list[Decimal]:
    """``points`` split over ``count`` rows in whole units, the remainder to the first rows."""
    units = int(points / unit)
    base, extra = divmod(units, count)
    return [(base + (1 if i < extra else 0)) * unit for i in range(count)]


# --- sheet names --------------------------------------------------------------------------


def sheet_names(document: Document) -> tuple[str, ...]:
    """The sheet name of each project: ≤31 characters, unique, without ``[]:*?/\\``."""
    names: list[str] = []
    for index, project in enumerate(document.projects, 1):
        name = safe_text(project.name).replace("\n", " ")
        base = _SHEET_FORBIDDEN.sub("_", name).strip(" '") or f"项目{index}"
        names.append(_unique(base, names))
    return tuple(names)


def _unique(base: str, taken: Iterable[str]) -> str:
    used = {name.casefold() for name in taken}
    name, number = base[:_SHEET_MAX], 1
    while name.casefold() in used:
        number += 1
        suffix = f"（{number}）"
        name = base[: _SHEET_MAX - len(suffix)] + suffix
    return name


# --- workbook -----------------------------------------------------------------------------


def build_template(
    document: Document, scheme: Scheme | None = None, *, year: int | None = None
) -> bytes:
    """Return an .xlsx self-evaluation workbook, one sheet per project of ``document``."""
    openpyxl = _openpyxl()
    scheme = scheme or load_scheme()
    if not document.projects:
        raise TemplateError("目标表中没有项目 (the target table has no projects)")
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    year = year if year is not None else document.year
    for name, project in zip(sheet_names(document), document.projects, strict=True):
        _write_sheet(workbook.create_sheet(name), project, scheme, year)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError:
        raise TemplateError(
            "生成 Excel 模板需要 openpyxl，请运行 pip install 'perfscore[excel]'"
            " (building templates needs openpyxl: pip install 'perfscore[excel]')"
        ) from None
    return openpyxl


def _title(project: Project, year: int | None) -> str:
    when = f"{year}年度" if year is not None else ""
    return f"{when}{project.name}项目支出绩效自评表"


def _metadata(project: Project, scheme: Scheme) -> list[tuple[object, ...]]:
    """Label/value rows above the header; the tabular reader reads the 预算 ones."""
    rows: list[tuple[object, ...]] = [("项目名称", project.name)]
    unit = " ".join(part for part in (project.code, project.unit) if part)
    if unit:
        rows.append(("预算单位", unit))
    rows.append(("年初预算数（万元）", project.budget))
    rows.append(
        ("其中：财政资金（万元）", project.fiscal_funds, "其他资金（万元）", project.other_funds)
    )
    # Hints go inside the label's brackets: the reader takes the first filled cell after
    # a label as its value, and ignores bracketed parts of labels.
    rows.append(("全年预算数（A，万元，请填写调整后预算数）", None))
    rows.append(("全年执行数（B，万元，请填写）", None))
    rows.append(("预算执行率分值", scheme.execution_weight, "得分 = min(B/A, 1) × 分值"))
    rows.append(("预算执行率得分（请填写）", None))
    goals = "\n".join(f"{g.label}.{g.text}" if g.label else g.text for g in project.goals)
    rows.append(("年度绩效目标", goals))
    if project.spending_plan:
        plan = "  ".join(f"{label} {_percent(v)}" for label, v in project.spending_plan)
        rows.append(("资金支出计划（累计）", plan))
    return rows


def _percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{format_decimal(value)}%"


def _indicator_rows(project: Project, scheme: Scheme) -> list[tuple[object, ...]]:
    weights = weights_for(project.indicators, scheme)
    return [
        ("", i.level1, i.level2, i.level3, i.target, None, weight, None, None)
        for i, weight in zip(project.indicators, weights, strict=True)
    ]


def _write_sheet(sheet: Any, project: Project, scheme: Scheme, year: int | None) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    wrap = Alignment(wrap_text=True, vertical="center")
    _append(sheet, (_title(project, year),))
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet.cell(1, 1).font = Font(bold=True, size=14)
    sheet.cell(1, 1).alignment = Alignment(horizontal="center")
    for row in _metadata(project, scheme):
        _append(sheet, row)
        sheet.cell(sheet.max_row, 2).alignment = wrap
    sheet.append(HEADER)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = wrap
    for row in _indicator_rows(project, scheme):
        _append(sheet, row)
    _write_total(sheet, header_row, scheme)
    _format(sheet, header_row, scheme)


def _append(sheet: Any, row: Sequence[object]) -> None:
    """Append ``row`` with every text a string no spreadsheet runs (see :mod:`perfscore._safe`)."""
    sheet.append(tuple(safe_text(v) if isinstance(v, str) else v for v in row))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and starts_formula(cell.value):
            cell.data_type = "s"
            cell.quotePrefix = True


def _write_total(sheet: Any, header_row: int, scheme: Scheme) -> None:
    first, last = header_row + 1, sheet.max_row
    execution_row = next(
        r for r in range(2, header_row) if str(sheet.cell(r, 1).value).startswith("预算执行率得分")
    )
    weights = sum(
        (Decimal(str(sheet.cell(r, 7).value)) for r in range(first, last + 1)), Decimal(0)
    )
    score = f"=SUM(H{first}:H{last})+B{execution_row}" if last >= first else f"=B{execution_row}"
    sheet.append(("总分", None, None, None, None, None, weights + scheme.execution_weight, score))


def _format(sheet: Any, header_row: int, scheme: Scheme) -> None:
    number = "0" if scheme.places == 0 else "0." + "0" * scheme.places
    for row in sheet.iter_rows(min_row=header_row + 1, min_col=7, max_col=8):
        for cell in row:
            cell.number_format = number
    for index, width in enumerate(WIDTHS, 1):
        sheet.column_dimensions[chr(ord("A") + index - 1)].width = width
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    _print_setup(sheet, header_row)


def _print_setup(sheet: Any, header_row: int) -> None:
    """A4 landscape, one page wide, the header repeated, every label wrapped whole.

    Printed portrait the form ran over four pages a sheet with labels cut off at
    the column edge; finance staff print it to fill in by hand or to sign.
    """
    from openpyxl.styles import Alignment
    from openpyxl.worksheet.properties import PageSetupProperties

    from .._display import display_width

    wrap = Alignment(wrap_text=True, vertical="center")
    for row in sheet.iter_rows(min_row=2, max_row=sheet.max_row):
        lines = 1
        for cell in row:
            if isinstance(cell.value, str) and not cell.value.startswith("="):
                cell.alignment = wrap
                # Not every viewer grows a row for wrapped text: give it the height it needs.
                width = WIDTHS[cell.column - 1] if cell.column <= len(WIDTHS) else 10
                lines = max(lines, -(-display_width(cell.value) // max(int(width) - 1, 1)))
        if lines > 1:
            sheet.row_dimensions[row[0].row].height = 15 * lines
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.print_options.horizontalCentered = True
