"""Issue 19 item 5: formulas whose values were never saved are reported, never read as empty.

openpyxl (and many scripts and systems) write ``=G13*1`` with no cached value; Excel
and WPS compute and save it when the file is opened and saved.  Until then the cell
has no value: perfscore names the cell and formula, says what to do, sends a target
or actual formula to review, and does not grade a document whose 得分 are formulas.
"""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

import forms
from perfscore import evaluate_document
from perfscore.documents import Severity
from perfscore.readers import read
from perfscore.score.scoring import Status

HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]


def _workbook(path: Path, rows: list[list[object]]) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook()
    for row in [HEADER, *rows]:
        workbook.active.append(row)
    workbook.save(path)
    return path


def _cache(path: Path, cell: str, value: str) -> Path:
    """Give one formula cell a saved value, as Excel does when it saves the file."""
    name = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    xml = parts[name].decode()
    xml, count = re.subn(
        rf'(<c r="{cell}"[^>]*><f>[^<]*</f>)<v\s*(?:/>|></v>)', rf"\1<v>{value}</v>", xml
    )
    assert count == 1
    parts[name] = xml.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for n, data in parts.items():
            archive.writestr(n, data)
    return path


ROWS: list[list[object]] = [
    ["产出指标", "数量指标", "甲", "≥10个", "12个", 50, "=F2*1"],
    ["产出指标", "数量指标", "乙", "≥10个", "8个", 50, 40],
    ["总分", None, None, None, None, 100, "=SUM(G2:G3)"],
]


def test_published_score_formula_is_named_and_not_graded(tmp_path: Path) -> None:
    """得分 =F2*1 with no saved value: an error naming G2 and the formula; no grade."""
    document = read(_workbook(tmp_path / "f.xlsx", ROWS))
    assert len(document.indicators) == 2  # rows in = rows out; 总分 is no row
    errors = [d for d in document.diagnostics if d.severity is Severity.ERROR]
    g2 = [d for d in errors if d.row == 2]
    assert len(g2) == 1
    assert "=F2*1" in g2[0].message
    assert "Excel 或 WPS 打开" in g2[0].message
    assert "open the file in Excel or WPS" in g2[0].message
    total = [d for d in document.diagnostics if d.column == "G4"]
    assert len(total) == 1
    assert "=SUM(G2:G3)" in total[0].message
    first = document.indicators[0]
    assert (first.published, first.published_formula) == (None, "G2: =F2*1")
    assert document.published_total is None
    result = evaluate_document(document)
    assert not result.graded
    assert "公式" in result.not_graded_reason
    assert result.scores[0].computed == Decimal("50.00")  # the scheme's score, shown


def test_target_formula_needs_review(tmp_path: Path) -> None:
    """A target or actual that is a formula is never scored from an empty cell."""
    rows: list[list[object]] = [
        ["产出指标", "数量指标", "甲", "≥10个", '=CONCAT(12,"个")', 100, 100]
    ]
    document = read(_workbook(tmp_path / "f.xlsx", rows))
    [indicator] = document.indicators
    assert "E2" in indicator.read_problem
    [score] = evaluate_document(document).scores
    assert score.status is Status.NEEDS_REVIEW


def test_saved_formula_values_are_read(tmp_path: Path) -> None:
    """Formulas Excel has computed and saved are read by their values, with no message."""
    path = _workbook(tmp_path / "f.xlsx", ROWS)
    _cache(path, "G2", "50")
    _cache(path, "G4", "90")
    document = read(path)
    assert document.indicators[0].published == Decimal(50)
    assert document.published_total == Decimal(90)
    assert not [d for d in document.diagnostics if "公式" in d.message]


@pytest.mark.parametrize("span", [1, 6])
def test_official_form_with_formula_total(tmp_path: Path, span: int) -> None:
    """The official form whose 总分 得分 is =SUM(...) never saved: named, total not taken."""
    import openpyxl

    path = forms.write_project_form_xlsx(tmp_path / "form.xlsx", total_span=span)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.active
    total_row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "总分")
    sheet.cell(total_row, 8).value = f"=SUM(H13:H{total_row - 1})"
    workbook.save(path)
    document = read(path)
    assert len(document.indicators) == len(forms.INDICATORS)
    assert document.published_total is None
    assert any(d.column == f"H{total_row}" for d in document.diagnostics)
