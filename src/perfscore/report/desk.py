"""The reviewer's desk as text, CSV, JSON and XLSX: the risk ranking and the 复核 sample.

One table per output, the same columns in every format (:data:`RISK_COLUMNS`,
:data:`SAMPLE_COLUMNS`); numbers are exact (strings in JSON and CSV, numbers in
XLSX) and texts that a spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from .._display import grid, wrap
from ..parse.values import format_decimal
from ..review.risk import RISK_SCHEMA, ProjectRisk
from ..review.sample import Sample
from ._common import neutralise
from ._json import dumps

__all__ = [
    "RISK_COLUMNS",
    "SAMPLE_COLUMNS",
    "risk_csv",
    "risk_html",
    "risk_json",
    "risk_text",
    "risk_xlsx",
    "sample_csv",
    "sample_html",
    "sample_json",
    "sample_text",
    "sample_xlsx",
]

RISK_COLUMNS = (
    "排名", "风险分", "项目", "单位", "文件", "工作表", "资金（万元）", "填报总分", "方案总分",
    "状态", "风险原因",
)  # fmt: skip
SAMPLE_COLUMNS = (*RISK_COLUMNS[:1], "风险层", *RISK_COLUMNS[1:], "抽取理由")


_STATUS = {"scored": "已评分", "skipped": "未评分（非自评表）", "failed": "读取失败"}


def _d(value: Decimal | None) -> str:
    return "" if value is None else format_decimal(value)


def _risk_cells(place: int, risk: ProjectRisk) -> list[Any]:
    status = _STATUS.get(risk.status, risk.status)
    return [
        place, risk.score, risk.project, risk.unit, risk.file, risk.sheet, risk.funds,
        risk.published_total, risk.computed_total, status, risk.summary,
    ]  # fmt: skip


def _ranked_cells(risks: Sequence[ProjectRisk]) -> list[list[Any]]:
    return [_risk_cells(place, risk) for place, risk in enumerate(risks, start=1)]


def _sample_cells(sample: Sample) -> list[list[Any]]:
    rows = []
    for pick in sample.picks:
        cells = _risk_cells(pick.rank, pick.risk)
        rows.append([cells[0], pick.stratum, *cells[1:], pick.reason])
    return rows


def _as_text(cell: Any) -> str:
    if cell is None:
        return ""
    return format_decimal(cell) if isinstance(cell, Decimal) else str(cell)


# --- text ---------------------------------------------------------------------------------


def _grid(rows: list[list[Any]], headers: Sequence[str]) -> str:
    return grid(rows, headers=list(headers), tablefmt="grid", disable_numparse=True)


_TEXT_RISK = ("排名", "风险分", "项目", "资金（万元）", "填报/方案总分", "风险原因")


def _reasons(risk: ProjectRisk) -> str:
    """One wrapped line per reason: ``填报得分比方案得分高 12 分（1 处）（+36）``."""
    if not risk.reasons:
        return wrap(risk.summary, 46)
    return "\n".join(wrap(f"{r.detail}（+{format_decimal(r.points)}）", 46) for r in risk.reasons)


def risk_text(risks: Sequence[ProjectRisk], *, top: int | None = None) -> str:
    """The ranking as a grid table (riskiest first), then a one-line count."""
    shown = list(risks)[:top] if top else list(risks)
    rows = [
        [
            place,
            format_decimal(r.score),
            wrap(r.project + (f"\n{r.sheet}" if r.sheet else ""), 18),
            _d(r.funds),
            f"{_d(r.published_total)} / {_d(r.computed_total)}",
            _reasons(r),
        ]
        for place, r in enumerate(shown, start=1)
    ]
    table = _grid(rows, _TEXT_RISK) if rows else "（无项目）"
    scored = sum(1 for r in risks if r.status == "scored")
    tail = f"共 {len(risks)} 项，{scored} 个项目已评分"
    if scored < len(risks):
        tail += f"，{len(risks) - scored} 项未评分（目标表、空工作表或读取失败）"
    if top and len(risks) > top:
        tail += f"，显示前 {top} 个"
    return f"{table}\n{tail}"


def sample_text(sample: Sample) -> str:
    """The sample's method, then one row per pick with its stratum and reason."""
    rows = [
        [
            p.rank,
            p.stratum,
            format_decimal(p.risk.score),
            wrap(p.risk.project + (f"\n{p.risk.sheet}" if p.risk.sheet else ""), 18),
            _d(p.risk.funds),
            wrap(p.reason, 46),
        ]
        for p in sample.picks
    ]
    headers = ["排名", "风险层", "风险分", "项目", "资金（万元）", "抽取理由"]
    table = _grid(rows, headers) if rows else "（未抽中项目）"
    notes = "".join(f"\n注意 (note)：{n}" for n in sample.notes)
    return f"{sample.method}\n{table}{notes}"


# --- CSV and JSON -------------------------------------------------------------------------


def _csv(headers: Sequence[str], rows: list[list[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([neutralise(_as_text(c)) for c in row] for row in rows)
    return out.getvalue()


def risk_csv(risks: Sequence[ProjectRisk]) -> str:
    """One CSV row per project, riskiest first, columns :data:`RISK_COLUMNS`."""
    return _csv(RISK_COLUMNS, _ranked_cells(risks))


def sample_csv(sample: Sample) -> str:
    """One CSV row per pick, columns :data:`SAMPLE_COLUMNS`."""
    return _csv(SAMPLE_COLUMNS, _sample_cells(sample))


def risk_json(risks: Sequence[ProjectRisk], *, weights_source: str = "") -> str:
    """``{"schema": "perfscore.risk/1", "weights": …, "projects": [...]}``, riskiest first."""
    projects = [{"rank": i, **r.to_dict()} for i, r in enumerate(risks, start=1)]
    data = {"schema": RISK_SCHEMA, "weights": weights_source, "projects": projects}
    return dumps(data)


def sample_json(sample: Sample) -> str:
    """The sample as JSON (``perfscore.sample/1``)."""
    return dumps(sample.to_dict())


# --- XLSX ---------------------------------------------------------------------------------

_WIDTHS = {"项目": 28, "单位": 20, "文件": 30, "风险原因": 70, "抽取理由": 60}


def _xlsx(title: str, headers: Sequence[str], rows: list[list[Any]], notes: Sequence[str]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from .xlsx import set_text

    book = Workbook()
    sheet = book.active
    sheet.title = title
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(1, column, header)
        cell.font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(column)].width = _WIDTHS.get(header, 12)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(r, c)
            if isinstance(value, Decimal | int):
                cell.value = value
            else:
                set_text(cell, _as_text(value))
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    for offset, note in enumerate(notes, start=len(rows) + 3):
        set_text(sheet.cell(offset, 1), note)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def risk_xlsx(risks: Sequence[ProjectRisk]) -> bytes:
    """The ranking as a workbook: sheet 风险排序, one row per project, reasons in full."""
    return _xlsx("风险排序", RISK_COLUMNS, _ranked_cells(risks), ())


def sample_xlsx(sample: Sample) -> bytes:
    """The sample as a workbook: sheet 复核抽样, one row per pick, the method below."""
    return _xlsx("复核抽样", SAMPLE_COLUMNS, _sample_cells(sample), [sample.method, *sample.notes])


# --- HTML ---------------------------------------------------------------------------------


def _html(heading: str, lead: Sequence[str], headers: Sequence[str], rows: list[list[Any]]) -> str:
    """One self-contained page (the report's style): a heading, lines of text, one table."""
    from html import escape

    from .html import html_page

    numeric = {i for i, h in enumerate(headers) if h in ("排名", "风险分", "资金（万元）")}
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{escape(_as_text(c))}</td>' if i in numeric
            else f"<td>{escape(_as_text(c))}</td>"
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )  # fmt: skip
    paragraphs = "".join(f"<p>{escape(line)}</p>" for line in lead)
    table = f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    section = f'<section class="desk"><h1>{escape(heading)}</h1>{paragraphs}{table}</section>'
    return html_page([section], heading)


def risk_html(risks: Sequence[ProjectRisk]) -> str:
    """The ranking as one HTML page: every project, riskiest first, reasons in full."""
    scored = sum(1 for r in risks if r.status == "scored")
    lead = [f"共 {len(risks)} 项，{scored} 个项目已评分"]
    return _html("复核风险排序", lead, RISK_COLUMNS, _ranked_cells(risks))


def sample_html(sample: Sample) -> str:
    """The sample as one HTML page: how it was drawn, then one row per pick."""
    return _html("复核抽样", [sample.method, *sample.notes], SAMPLE_COLUMNS, _sample_cells(sample))
