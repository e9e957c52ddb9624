"""Issue 19 item 4: the official forms read whole, whatever the 总分 row spans.

Each variant is built the way units build it (Excel merged ranges, Word grid spans);
every one must give the seven indicator rows, the published total 96.08 out of 100,
the published grade 优 and the overall goal, never a phantom row.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import forms
from perfscore import evaluate_document
from perfscore.readers import read, read_text


def _check(path: Path) -> None:
    document = read(path)
    assert len(document.indicators) == len(forms.INDICATORS)  # rows in = rows out
    assert not any("总分" in i.level1 + i.level3 + i.target for i in document.indicators)
    assert document.published_total == Decimal(forms.TOTAL)
    assert document.full_marks == Decimal(100)
    assert document.conclusion == "优"  # the published grade
    goal = document.projects[0].goals
    assert [(g.text, g.achieved) for g in goal] == [(forms.GOAL_TEXT, forms.GOAL_ACHIEVED)]
    result = evaluate_document(document)
    assert (result.total, result.grade) == (Decimal(forms.TOTAL), "优")
    # No accusation of an arithmetic error the unit did not make.
    assert not any("填报总分" in w for w in result.warnings), result.warnings


@pytest.mark.parametrize("span", forms.TOTAL_SPANS)
@pytest.mark.parametrize("grade", forms.GRADE_PLACES)
def test_xlsx_total_row_whatever_it_spans(tmp_path: Path, span: int, grade: str) -> None:
    """总分 merged over A:F, A:D, A:B or not at all; 自评等级 below, inside or beside it."""
    _check(forms.write_project_form_xlsx(tmp_path / "f.xlsx", total_span=span, grade=grade))


@pytest.mark.parametrize("span", [2, 3, 4, 5, 6])
@pytest.mark.parametrize("grade", forms.GRADE_PLACES)
def test_docx_total_row_whatever_it_spans(tmp_path: Path, span: int, grade: str) -> None:
    """A Word grid span of 2–6 cells: 分值 is full marks, 得分 the published total."""
    _check(forms.write_project_form_docx(tmp_path / "f.docx", total_span=span, grade=grade))


@pytest.mark.parametrize("goal", forms.GOAL_LAYOUTS)
@pytest.mark.parametrize("suffix", ["xlsx", "docx"])
def test_overall_goal_wherever_the_form_puts_it(tmp_path: Path, goal: str, suffix: str) -> None:
    """年度总体目标 under 预期目标/实际完成情况 headings, on its own row, or beside labels."""
    write = forms.write_project_form_xlsx if suffix == "xlsx" else forms.write_project_form_docx
    _check(write(tmp_path / f"f.{suffix}", total_span=6, goal=goal))


def test_footer_stays_a_footer_under_a_merged_total(tmp_path: Path) -> None:
    """The signature lines below a merged 总分 row are noted as the footer, not scored."""
    document = read(forms.write_project_form_xlsx(tmp_path / "f.xlsx", total_span=6))
    assert any("footer" in d.message and d.row for d in document.diagnostics)
    assert not any("填表人" in i.level1 + i.level3 for i in document.indicators)


@pytest.mark.parametrize("published", [None, "93.58"])
def test_department_form_as_text(published: str | None) -> None:
    """The department form copied as text: 年度指标完成情况 repeated down the block is no
    header, the footer no row; a lone 分值 in the 总分 row is the full marks, not the total."""
    rows = forms.department_form_rows(published=published, grade="优" if published else "")
    document = read_text(forms.rows_text(rows))
    assert len(document.indicators) == len(forms.INDICATORS)
    assert not any("负责人" in i.level3 for i in document.indicators)
    assert document.full_marks == Decimal(100)
    assert document.published_total == (None if published is None else Decimal(published))
    assert document.conclusion == ("优" if published else "")


@pytest.mark.parametrize("span", [1, 2, 4, 6])
def test_department_form_docx_whatever_the_total_spans(tmp_path: Path, span: int) -> None:
    """The department form in Word, 总分 spanning 1–6 grid cells, 自评等级 inside it."""
    rows = forms.department_form_rows(published="93.58", grade="优")
    document = read(forms.write_rows_docx(tmp_path / "d.docx", rows, total_span=span))
    assert len(document.indicators) == len(forms.INDICATORS)
    assert (document.published_total, document.full_marks) == (Decimal("93.58"), Decimal(100))
    assert document.conclusion == "优"


@pytest.mark.parametrize(("written", "found"), [("优", False), ("良", True)])
def test_published_grade_is_checked(written: str, found: bool) -> None:
    """自评等级 in the 总分 row is checked against the grade its published total earns."""
    from perfscore.review.audit import audit

    rows = forms.department_form_rows(published="93.58", grade=written)
    document = read_text(forms.rows_text(rows))
    codes = [f.code for f in audit(evaluate_document(document), document)]
    assert ("grade-mismatch" in codes) is found
