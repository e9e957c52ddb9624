"""The XLSX report's native charts, and numbers written with exactly their Decimal digits."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

import casetable
from perfscore import evaluate_document
from perfscore.readers import read
from perfscore.report import to_xlsx
from perfscore.report.xlsx import set_number

SEED = Path(__file__).parents[2] / "examples" / "data" / "tianjin-2024-self-evaluation.txt"


@pytest.fixture(scope="module")
def book_bytes() -> bytes:
    document = read(SEED)
    return to_xlsx(evaluate_document(document), document=document)


def test_charts_sheet_has_four_bar_charts(book_bytes: bytes) -> None:
    """图表 holds four horizontal bar charts: lost by 一级, by 二级, by goal, and the totals."""
    book = openpyxl.load_workbook(io.BytesIO(book_bytes))
    assert book.sheetnames == ["自评表", "汇总与说明", "图表"]
    charts = book["图表"]._charts
    assert len(charts) == 4
    assert {c.tagname for c in charts} == {"barChart"}
    assert {c.type for c in charts} == {"bar"}


def test_chart_series_point_at_their_figures(book_bytes: bytes) -> None:
    """Each chart's series and categories refer to the cells beside it, which hold the figures."""
    archive = zipfile.ZipFile(io.BytesIO(book_bytes))
    parts = sorted(n for n in archive.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
    assert len(parts) == 4
    xml = "".join(archive.read(p).decode("utf-8") for p in parts)
    for title in ("按一级指标的失分", "按二级指标的失分", "按绩效目标的失分", "总分对照"):
        assert title in xml
    refs = re.findall(r"<(?:c:)?f>'?图表'?!\$([AB])\$(\d+):\$\1\$(\d+)</(?:c:)?f>", xml)
    assert "<strRef><f>'图表'!$A$" in xml  # labels as texts
    assert refs  # categories in A, values in B
    sheet = openpyxl.load_workbook(io.BytesIO(book_bytes))["图表"]
    values = {
        sheet.cell(row=r, column=2).value
        for col, first, last in refs
        if col == "B"
        for r in range(int(first), int(last) + 1)
    }
    assert {5.2, 0.5, 4.5, 93.95, 95.43} <= values  # lost by 一级, by 二级, the totals


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("0.1", "0.1"),
        ("93.95", "93.95"),
        ("93.950", "93.950"),
        ("176875.03", "176875.03"),
        ("1.23456789012345", "1.23456789012345"),
        ("12345678901234.56", "12345678901234.56"),
        ("-6", "-6"),
        ("1E+3", "1000"),
    ],
)
def test_numbers_are_written_with_their_exact_digits(value: str, stored: str) -> None:
    """The file's XML holds the Decimal's own digits (not a 16-digit float) and reads back equal."""
    book = openpyxl.Workbook()
    set_number(book.active["A1"], Decimal(value), "0.00")
    out = io.BytesIO()
    book.save(out)
    xml = zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert f"<v>{stored}</v>" in xml
    cell = openpyxl.load_workbook(out).active["A1"]
    assert Decimal(repr(cell.value)) == Decimal(value)
    assert cell.number_format == "0.00"


def _number_cases() -> list[tuple[str, str]]:
    return [(row["value"], row["stored"]) for row in casetable.load("xlsx_numbers.tsv")]


@pytest.mark.parametrize(("text", "kind"), _number_cases())
def test_xlsx_numbers_follow_the_case_table(text: str, kind: str) -> None:
    """Each row of tests/data/xlsx_numbers.tsv is a number with its digits, or text with a note."""
    book = openpyxl.Workbook()
    set_number(book.active["A1"], Decimal(text), "0.00")
    out = io.BytesIO()
    book.save(out)
    cell = openpyxl.load_workbook(out).active["A1"]
    if kind == "number":
        assert isinstance(cell.value, int | float)
        assert Decimal(repr(cell.value)) == Decimal(text)
        assert cell.number_format == "0.00"
    else:
        assert cell.value == f"{Decimal(text):f}"
        assert cell.comment is not None
        assert "stored as text" in cell.comment.text
