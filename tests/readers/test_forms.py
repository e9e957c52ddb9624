"""The official self-evaluation forms, built as units fill them, read whole in every format."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

import forms
from perfscore import evaluate_document
from perfscore.cli import main
from perfscore.readers import read, read_text
from perfscore.readers.tabular import read_rows


def _check_project_form(path: Path) -> None:
    document = read(path)
    assert len(document.indicators) == len(forms.INDICATORS)  # rows in = rows out
    assert (document.department, document.projects[0].name) == (forms.DEPARTMENT, forms.PROJECT)
    assert document.projects[0].unit == forms.UNIT
    assert (document.budget, document.executed) == (Decimal(480), Decimal(470))
    assert document.execution_weight == Decimal(10)
    assert document.year == 2023
    result = evaluate_document(document)
    assert (result.total, result.grade) == (Decimal(forms.TOTAL), "优")
    assert result.published_total == Decimal(forms.TOTAL)


def test_project_form_xlsx_reads_whole(tmp_path: Path) -> None:
    """The XLSX project form: budget block across, names, 96.08 优, footer not an indicator."""
    _check_project_form(forms.write_project_form_xlsx(tmp_path / "form.xlsx"))


def test_project_form_docx_reads_whole(tmp_path: Path) -> None:
    """The Word project form, its indicator block under a merged 绩效指标 cell."""
    _check_project_form(forms.write_project_form_docx(tmp_path / "form.docx"))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_project_form_text_reads_whole(tmp_path: Path, encoding: str) -> None:
    """The form copied from Excel as text, saved as UTF-8 or as Excel's Unicode text (UTF-16)."""
    path = tmp_path / "form.txt"
    path.write_bytes(forms.project_form_text().encode(encoding))
    _check_project_form(path)


def test_footer_rows_are_reported_not_scored(tmp_path: Path) -> None:
    """填表人 / 联系电话 / 填报日期 are read as the footer, with a note, never as indicator rows."""
    document = read(forms.write_project_form_xlsx(tmp_path / "form.xlsx"))
    notes = [d.message for d in document.diagnostics]
    assert any("填表人" in n and "footer" in n for n in notes)
    assert not any("填表人" in i.level1 + i.level3 for i in document.indicators)


def test_overall_goal_is_read(tmp_path: Path) -> None:
    """年度总体目标 (预期目标 | 实际完成情况) becomes the project's goal, both texts kept."""
    project = read(forms.write_project_form_xlsx(tmp_path / "form.xlsx")).projects[0]
    assert project.goals[0].text.startswith("保障科技馆全年正常开放")
    assert project.goals[0].achieved.startswith("全年开放310天")


def test_department_form_scores_execution_out_of_twenty() -> None:
    """A vertical budget block and execution worth 20: the weight comes from the form."""
    document = read_rows(forms.department_form_rows(execution_weight=20))
    assert document.execution_weight == Decimal(20)
    assert len(document.indicators) == len(forms.INDICATORS)
    result = evaluate_document(document, recompute=True)
    assert result.execution is not None
    assert (result.execution.weight, result.execution.computed) == (Decimal(20), Decimal("19.58"))
    assert result.graded


def test_form_without_execution_puts_100_points_on_indicators() -> None:
    """No budget block and indicators worth 100: graded on the indicators alone."""
    document = read_rows(forms.department_form_rows(execution_weight=None))
    assert (document.budget, document.execution_weight) == (None, None)
    result = evaluate_document(document, recompute=True)
    assert result.execution is None
    assert result.indicator_weight == Decimal(100)
    assert result.graded


def test_quoted_multiline_cells_make_no_phantom_rows() -> None:
    """A cell with line breaks, quoted as Excel copies it, stays one cell of one row."""
    text = forms.project_form_text().replace("基本健全", '"基本健全\n制度已印发，尚缺考核"')
    document = read_text(text)
    assert len(document.indicators) == len(forms.INDICATORS)
    assert any("尚缺考核" in i.actual for i in document.indicators)


def test_space_separated_text_gets_a_hint() -> None:
    """Text copied from a PDF (spaces, no tabs) stops with a hint to copy from Excel or Word."""
    document = read_text(forms.project_form_text().replace("\t", " "))
    assert not document.indicators
    assert any("PDF" in d.message and "制表符" in d.message for d in document.diagnostics)


def test_header_far_below_the_top_is_found() -> None:
    """Forty goal rows above the indicator header do not hide it (rows up to 100 are searched)."""
    rows = forms.project_form_rows()
    padded = rows[:11] + [["年度总体目标", f"目标{n}"] for n in range(40)] + rows[11:]
    assert len(read_rows(padded).indicators) == len(forms.INDICATORS)


def test_names_reach_the_json_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """项目名称, 主管部门 and the budget figures flow into score --format json."""
    path = forms.write_project_form_xlsx(tmp_path / "form.xlsx")
    assert main(["score", str(path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)["sheets"][0]["evaluation"]
    assert (data["total"], data["grade"], data["graded"]) == (forms.TOTAL, "优", True)
    text = json.dumps(data, ensure_ascii=False)
    assert forms.PROJECT in text
    assert forms.UNIT in text


def test_every_project_sheet_of_a_workbook_is_read(tmp_path: Path) -> None:
    """read_all gives one document per sheet holding a form; a notes sheet is left out."""
    from perfscore.readers import read_all

    documents = read_all(forms.write_workbook(tmp_path / "book.xlsx"))
    assert [d.sheet for d in documents] == ["项目一", "项目二"]
    assert all(len(d.indicators) == len(forms.INDICATORS) for d in documents)


def test_score_scores_every_sheet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """score on a workbook prints one section per project sheet; --sheet picks one."""
    path = str(forms.write_workbook(tmp_path / "book.xlsx"))
    assert main(["score", path]) == 0
    out = capsys.readouterr().out
    assert out.count("工作表 (sheet)：") == 2
    assert out.count("总分             100   96.08") == 2
    assert main(["score", path, "--sheet", "项目二", "--format", "json"]) == 0
    one = json.loads(capsys.readouterr().out)
    assert one["schema"] == "perfscore.workbook/2"  # the same shape for one sheet as for two
    assert [s["sheet"] for s in one["sheets"]] == ["项目二"]
    assert one["sheets"][0]["evaluation"]["total"] == forms.TOTAL
    assert main(["score", path, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["schema"] == "perfscore.workbook/2"
    assert [s["sheet"] for s in data["sheets"]] == ["项目一", "项目二"]


def test_csv_of_several_sheets_is_one_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """score --format csv on a workbook gives one table with a 工作表 column, no banner lines."""
    import csv
    import io

    path = str(forms.write_workbook(tmp_path / "book.xlsx"))
    assert main(["score", path, "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out.removeprefix("\ufeff"))))
    assert rows[0][:3] == ["工作表", "行号", "绩效目标"]
    assert all(len(row) == len(rows[0]) or row[0] in ("项目一", "项目二") for row in rows[1:])
    assert {row[0] for row in rows[1:]} == {"项目一", "项目二"}
    assert not any("=====" in cell for row in rows for cell in row)
    totals = [row for row in rows if row[1] == "总分"]
    assert [(t[0], t[rows[0].index("得分")]) for t in totals] == [
        ("项目一", forms.TOTAL),
        ("项目二", forms.TOTAL),
    ]


def test_project_form_ods_reads_whole(tmp_path: Path) -> None:
    """The form saved as .ods (WPS, LibreOffice) is read by calamine, whole."""
    _check_project_form(forms.write_project_form_ods(tmp_path / "form.ods"))


def test_names_reach_the_xlsx_report(tmp_path: Path) -> None:
    """The XLSX report heads with 项目名称, 部门名称 and 实施单位 from the form."""
    import openpyxl

    path = forms.write_project_form_xlsx(tmp_path / "form.xlsx")
    out = tmp_path / "report.xlsx"
    assert main(["score", str(path), "--format", "xlsx", "-o", str(out)]) == 0
    sheet = openpyxl.load_workbook(out).active
    labels = {row[0]: row[2] for row in sheet.iter_rows(max_row=12, values_only=True) if row[0]}
    assert labels["项目名称"] == forms.PROJECT
    assert labels["实施单位"] == forms.UNIT
