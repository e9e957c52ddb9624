"""Tests for the Word outputs through the command line: ``score --format docx`` and ``report``."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt

from perfscore.cli import main

SEED = Path(__file__).parents[2] / "examples/data/tianjin-2024-self-evaluation.txt"


@pytest.fixture(scope="module")
def seed_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seed 002 as the Word file it was exported from: one table row per line, cells by tab."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines]
    word = docx.Document()
    table = word.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    for cells, row in zip(rows, table.rows, strict=True):
        for text, cell in zip(cells, row.cells, strict=False):
            cell.text = text
    path = tmp_path_factory.mktemp("seed") / "天津市科学技术局2024自评表.docx"
    word.save(str(path))
    return path


def _east_asian(run: object) -> str | None:
    fonts = run._element.rPr.rFonts  # type: ignore[attr-defined]
    return str(fonts.get(qn("w:eastAsia")))


def _mm(*lengths: object) -> list[int]:
    """Lengths in whole millimetres (Word stores twips, so 297 mm reads back as 297.0003)."""
    return [round(length.mm) for length in lengths]  # type: ignore[attr-defined]


def _texts(word: docx.document.Document) -> list[str]:
    return [p.text for p in word.paragraphs]


def test_score_docx_writes_the_form_that_reads_back(
    seed_docx: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Seed 002 (Word) → 自评表.docx with 93.95 and 优, which perfscore reads back to 93.95."""
    out = tmp_path / "自评表.docx"
    assert main(["score", str(seed_docx), "--format", "docx", "-o", str(out)]) == 0
    word = docx.Document(str(out))
    cells = [c.text for t in word.tables for r in t.rows for c in r.cells]
    assert "整体支出绩效自评表" in _texts(word)
    assert "（2024年度）" in _texts(word)
    assert {"部门名称", "天津市科学技术局", "预算执行情况", "年度绩效目标完成情况"} <= set(cells)
    assert {"一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"} <= set(
        cells
    )
    assert "偏差原因分析及改进措施" in cells
    assert "96.47%" in cells
    assert "9.65" in cells
    total = next(r for t in word.tables for r in t.rows if r.cells[0].text == "总分")
    assert [c.text for c in total.cells][-3:] == ["100", "93.95", "—"]
    assert any(c.startswith("自评等级：优") for c in cells)
    capsys.readouterr()
    assert main(["score", str(out), "--format", "json"]) == 0
    assert '"total": "93.95"' in capsys.readouterr().out


def test_score_docx_sets_fonts_and_page(seed_docx: Path, tmp_path: Path) -> None:
    """The form is A4 landscape; title 方正小标宋简体 22 pt, cells 仿宋_GB2312, labels 黑体."""
    out = tmp_path / "form.docx"
    assert main(["score", str(seed_docx), "--format", "docx", "-o", str(out)]) == 0
    word = docx.Document(str(out))
    section = word.sections[0]
    assert _mm(section.page_width, section.page_height) == [297, 210]
    title = word.paragraphs[0].runs[0]
    assert _east_asian(title) == "方正小标宋简体"
    assert title.font.size == Pt(22)
    header = word.tables[1].rows[0]
    assert _east_asian(header.cells[3].paragraphs[0].runs[-1]) == "黑体"
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None  # repeats on every page
    body = word.tables[1].rows[1].cells[3].paragraphs[0].runs[-1]
    assert body.text == "与京冀创新资源开展对接（京津冀协同创新工作）"
    # Values take the Normal style's font (one place for a user to restyle): 仿宋_GB2312 五号.
    assert body._element.rPr is None
    normal = word.styles["Normal"]
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert normal.font.size == Pt(10.5)


def test_score_docx_merges_level_cells_as_the_form_does(seed_docx: Path, tmp_path: Path) -> None:
    """绩效目标1's rows share one merged goal cell; its 产出指标 rows one 一级 cell."""
    out = tmp_path / "form.docx"
    assert main(["score", str(seed_docx), "--format", "docx", "-o", str(out)]) == 0
    table = docx.Document(str(out)).tables[1]
    first_goal = [r.cells[0]._tc for r in table.rows[1:12]]
    assert len(set(first_goal)) == 1
    assert table.cell(1, 0).text == "绩效目标1"
    assert table.cell(12, 0).text == "绩效目标2"
    assert table.cell(1, 1)._tc is table.cell(8, 1)._tc  # 产出指标: rows 1–8 of goal 1
    assert table.cell(9, 1).text == "效益指标"


def test_report_writes_gbt9704_document(
    seed_docx: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``report`` writes the five numbered parts, fonts, 28 pt lines, margins and page numbers."""
    out = tmp_path / "自评报告.docx"
    assert main(["report", str(seed_docx), "-o", str(out)]) == 0
    assert "93.95" in capsys.readouterr().err  # says what it wrote
    word = docx.Document(str(out))
    texts = _texts(word)
    headings = [t for t in texts if t[:2] in {"一、", "二、", "三、", "四、", "五、"}]
    parts = ["项目概况", "预算执行情况", "绩效目标完成情况", "存在的问题", "改进措施"]
    assert headings == [f"{n}、{p}" for n, p in zip("一二三四五", parts, strict=True)]
    assert texts[0] == "天津市科学技术局2024年度绩效自评报告"
    assert _east_asian(word.paragraphs[0].runs[0]) == "方正小标宋简体"
    assert word.paragraphs[0].runs[0].font.size == Pt(22)
    heading = next(p for p in word.paragraphs if p.text == "一、项目概况")
    assert _east_asian(heading.runs[0]) == "黑体"
    level2 = next(p for p in word.paragraphs if p.text.startswith("（一）"))
    assert _east_asian(level2.runs[0]) == "楷体_GB2312"
    body = next(p for p in word.paragraphs if p.text.startswith("自评总分"))
    assert body.text.startswith("自评总分93.95分（满分100分），自评等级为优。")
    assert _east_asian(body.runs[0]) == "仿宋_GB2312"
    assert body.runs[0].font.size == Pt(16)
    assert body.paragraph_format.line_spacing == Pt(28)
    assert any(t.startswith("1.引领京冀项目") for t in texts)  # the first deviation, numbered
    assert any(t.startswith("（2）偏差原因分析及改进措施：未能准确计算立项项目数量") for t in texts)
    assert any("预算执行率96.47%，得9.65分（分值10分）" in t for t in texts)
    section = word.sections[0]
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert _mm(*margins) == [37, 35, 28, 26]
    assert _mm(section.page_width, section.page_height) == [210, 297]
    footer = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer
    assert "— " in section.footer.paragraphs[0].text


def test_report_refuses_other_extensions(
    seed_docx: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``report -o report.pdf`` is a usage error that says to name a .docx."""
    assert main(["report", str(seed_docx), "-o", "report.pdf"]) == 2
    err = capsys.readouterr().err
    assert "自评报告只能写成 .docx" in err
    assert "report.pdf" in err
    assert not Path("report.pdf").exists()


def test_report_on_unreadable_file_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A corrupt .docx gives a message naming the file, exit 1, and no report."""
    bad = tmp_path / "坏.docx"
    bad.write_bytes(b"not a zip")
    out = tmp_path / "r.docx"
    assert main(["report", str(bad), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert str(bad) in err
    assert "Traceback" not in err
    assert not out.exists()


def test_templates_render_the_documented_fields(
    seed_docx: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--template`` renders a user's docxtpl template with the total, grade and indicator rows."""
    template = tmp_path / "我的模板.docx"
    word = docx.Document()
    word.add_paragraph("{{ department }}：总分{{ total }}，{{ grade_label }}{{ grade }}")
    word.add_paragraph("{% for i in lost %}{{ i.name }}失{{ i.lost }}分；{% endfor %}")
    word.save(str(template))
    for command in (["score", "--format", "docx"], ["report"]):
        out = tmp_path / f"{command[0]}.docx"
        argv = [command[0], str(seed_docx), *command[1:], "--template", str(template)]
        assert main([*argv, "-o", str(out)]) == 0, capsys.readouterr().err
        texts = _texts(docx.Document(str(out)))
        assert texts[0] == "天津市科学技术局：总分93.95，自评等级优"
        assert texts[1].startswith(
            "引领京冀项目、人才、团队等优势资源落地（京津冀协同创新工作）失0.50分；"
        )


def test_broken_template_is_a_clear_error(
    seed_docx: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A template with a Jinja error names the template and the field list; nothing is written."""
    template = tmp_path / "坏模板.docx"
    word = docx.Document()
    word.add_paragraph("{% for i in lost %}{{ i.name }}")
    word.save(str(template))
    out = tmp_path / "r.docx"
    assert main(["report", str(seed_docx), "--template", str(template), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "Word 模板有误" in err
    assert str(template) in err
    assert "docs/word-output.md" in err
    assert not out.exists()


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
def test_word_outputs_render_to_pdf(seed_docx: Path, tmp_path: Path) -> None:
    """LibreOffice renders both documents; the PDF text holds the total and the headings."""
    form, report = tmp_path / "form.docx", tmp_path / "report.docx"
    assert main(["score", str(seed_docx), "--format", "docx", "-o", str(form)]) == 0
    assert main(["report", str(seed_docx), "-o", str(report)]) == 0
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(form),
         str(report)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    for name, expected in (("form", "93.95"), ("report", "五、改进措施")):
        pdf = tmp_path / f"{name}.pdf"
        assert pdf.stat().st_size > 10_000
        if shutil.which("pdftotext"):
            text = subprocess.run(
                ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
            ).stdout
            assert expected in text


def test_recomputed_grade_is_not_called_the_units_own(seed_docx: Path, tmp_path: Path) -> None:
    """With --recompute the form says 评分等级（按方案重算）, not 自评等级; the total is 95.43."""
    out = tmp_path / "form.docx"
    argv = ["score", str(seed_docx), "--recompute", "--format", "docx", "-o", str(out)]
    assert main(argv) == 0
    cells = [c.text for t in docx.Document(str(out)).tables for r in t.rows for c in r.cells]
    assert "95.43" in cells
    assert any(c.startswith("评分等级（按方案重算）：优") for c in cells)
    assert not any(c.startswith("自评等级") for c in cells)


def test_score_docx_needs_an_output_file(
    seed_docx: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Word cannot go to the terminal: ``--format docx`` without -o is a usage error."""
    assert main(["score", str(seed_docx), "--format", "docx"]) == 2
    assert "docx 格式需用 -o 指定输出文件" in capsys.readouterr().err


def test_report_refuses_a_target_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A 绩效目标表 has no actuals: ``report`` says to start from template and writes nothing."""
    targets = SEED.parent / "targets-tianjin-kexie.txt"
    out = tmp_path / "r.docx"
    assert main(["report", str(targets), "-o", str(out)]) == 1
    assert "这是绩效目标表，不是自评表" in capsys.readouterr().err
    assert not out.exists()


def test_report_of_an_ungraded_form_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without execution figures the weights reach 90: written, 不评定 with the reason, exit 1."""
    out = tmp_path / "r.docx"
    assert main(["report", str(SEED.parent / "tianjin-2024.xlsx"), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "不评定" in err
    assert "总分 84.30" in err
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    assert any(t.startswith("自评总分84.30分（满分90分），不评定等级（") for t in texts)


def test_project_form_goes_from_excel_to_word_and_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A filled-in Excel 项目支出 form → 自评表.docx (项目名称 …) → read back to 96.08, 优."""
    import forms

    source = forms.write_project_form_xlsx(tmp_path / "项目自评表.xlsx")
    out = tmp_path / "项目自评表.docx"
    assert main(["score", str(source), "-o", str(out), "--quiet"]) == 0
    word = docx.Document(str(out))
    assert word.paragraphs[0].text == "项目支出绩效自评表"
    first = [[c.text for c in row.cells][:2] for row in word.tables[0].rows[:3]]
    assert first == [["项目名称", forms.PROJECT], ["主管部门", forms.DEPARTMENT],
                     ["实施单位", forms.UNIT]]  # fmt: skip
    closing = [c.text for c in word.tables[-1].rows[-1].cells]
    assert closing[1] == "自评等级：优"  # the grade once, not again as a conclusion
    capsys.readouterr()
    assert main(["score", str(out), "--format", "json"]) == 0
    evaluation = json.loads(capsys.readouterr().out)["sheets"][0]["evaluation"]
    assert (evaluation["total"], evaluation["grade"]) == (forms.TOTAL, "优")
