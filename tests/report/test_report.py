"""Tests for perfscore.report: the text table, JSON, CSV and XLSX renderers."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from perfscore import Evaluation, Indicator, evaluate, evaluate_document, load_scheme
from perfscore.documents import Document
from perfscore.readers import read
from perfscore.readers.tabular import read_csv, read_xlsx
from perfscore.report import neutralise, render_table, to_csv, to_data, to_json, to_xlsx
from perfscore.review.findings import Finding, FindingSeverity

DATA = Path(__file__).parents[2] / "examples/data"
SEED = DATA / "tianjin-2024-self-evaluation.txt"
SCORE = re.compile(r"(?<![\d.])\d+\.\d{2}(?![\d.])")
# Texts that spreadsheets would run as formulas, and how each must be shown.
INJECTIONS = (
    ("=100%", "'=100%"),
    ("=0起", "'=0起"),
    ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
    ("+5", "'+5"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("≥100%", "≥100%"),
)


def _evaluate(document: Document, **kwargs: Any) -> Evaluation:
    return evaluate_document(document, **kwargs)


@pytest.fixture(scope="module")
def seed() -> tuple[Document, Evaluation]:
    document = read(SEED)
    return document, _evaluate(document)


def _injected() -> Evaluation:
    rows = [
        Indicator(
            row=n,
            goal="绩效目标1",
            level1="产出指标",
            level3=text,
            target=text,
            actual="100%",
            weight=Decimal(5),
            reason=text,
        )
        for n, (text, _) in enumerate(INJECTIONS, start=2)
    ]
    return evaluate(rows)


def test_table_shows_total_and_grade(seed: tuple[Document, Evaluation]) -> None:
    """The text table shows the department, year, scheme, total 93.95 and grade 优."""
    document, evaluation = seed
    table = render_table(evaluation, document=document)
    assert "2024年度天津市科学技术局绩效自评表" in table
    assert "mof2020 2020.1" in table
    assert re.search(r"^总分\s+100\s+93\.95$", table, re.MULTILINE)
    assert "自评等级：优" in table


def test_table_lists_every_row(seed: tuple[Document, Evaluation]) -> None:
    """Every input row appears in the indicator table, by its row number."""
    document, evaluation = seed
    table = render_table(evaluation, document=document)
    shown = {
        int(m) for m in re.findall(r"^\s*(\d+)\s{2}", _section(table, "年度指标完成情况"), re.M)
    }
    assert shown == {i.row for i in document.indicators}


def _section(table: str, title: str) -> str:
    start = table.index(title)
    end = re.search(r"\n\n[一二三四五六七八九十]、", table[start:])
    return table[start : start + end.start()] if end else table[start:]


def _counted(line: str) -> Decimal:
    return Decimal(SCORE.findall(line)[-1])


def test_displayed_subtotals_add_up(seed: tuple[Document, Evaluation]) -> None:
    """Each goal subtotal equals the sum of its displayed rows, and they sum to the total."""
    _, evaluation = seed
    body = _section(render_table(evaluation), "年度指标完成情况")
    rows, subtotals = Decimal(0), []
    for line in body.splitlines():
        if "小计" in line:
            subtotals.append(_counted(line))
            assert subtotals[-1] == rows
            rows = Decimal(0)
        elif re.match(r"^\s*\d+\s{2}", line):
            rows += _counted(line)
    totals = _section(render_table(evaluation), "总分与等级")
    indicator = _counted(re.search(r"^指标得分合计.*$", totals, re.M).group(0))  # type: ignore[union-attr]
    execution = _counted(re.search(r"^预算执行得分.*$", totals, re.M).group(0))  # type: ignore[union-attr]
    total = _counted(re.search(r"^总分\s.*$", totals, re.M).group(0))  # type: ignore[union-attr]
    assert sum(subtotals) == indicator
    assert indicator + execution == total == Decimal("93.95")


def test_display_keeps_extra_published_places() -> None:
    """Published scores with more places than the scheme are shown exactly, so totals add up."""
    rows = [
        Indicator(row=n, level1="产出指标", level3=f"指标{n}", weight=Decimal(1), published=p)
        for n, p in enumerate([Decimal("0.333"), Decimal("0.333"), Decimal("0.334")], start=1)
    ]
    table = render_table(evaluate(rows))
    assert "0.333" in table
    assert re.search(r"^总分\s+3\s+1\.000$", table, re.M)


def test_table_explains_every_lost_point(seed: tuple[Document, Evaluation]) -> None:
    """The 失分说明 section lists each row that lost points with its explanation and reason."""
    _, evaluation = seed
    lost = _section(render_table(evaluation), "失分说明")
    for row in (29, 32, 53, 54, 83):
        assert re.search(rf"^\s*{row}\s", lost, re.M)
    assert "偏差原因：未能准确" in lost
    assert "预算执行率" in lost


def test_table_lists_differences_and_findings(seed: tuple[Document, Evaluation]) -> None:
    """Rows whose published score differs are listed, and findings get their own section."""
    _, evaluation = seed
    finding = Finding("demo-code", FindingSeverity.WARNING, "示例说明", row=29, text="≥30项 → 68项")
    table = render_table(evaluation, findings=[finding])
    differences = _section(table, "填报得分与方案得分不一致")
    assert re.search(r"^\s*83\s.*0\.78\s+0\.30\s+-0\.48", differences, re.M)
    assert "demo-code" in _section(table, "复核发现")


def test_table_without_execution_says_so() -> None:
    """Without budget figures the table says the total has no execution points."""
    table = render_table(
        evaluate([Indicator(row=1, target="≥1项", actual="1项", weight=Decimal(100))])
    )
    assert "未提供全年预算数和全年执行数" in table
    assert re.search(r"^总分\s+100\s+100\.00$", table, re.M)


def test_json_schema_fields(seed: tuple[Document, Evaluation]) -> None:
    """The JSON has the documented top-level fields, with decimals as strings."""
    document, evaluation = seed
    data = json.loads(to_json(evaluation, document=document))
    assert data["schema"] == "perfscore.evaluation/1"
    assert (data["total"], data["grade"], data["indicator_total"]) == ("93.95", "优", "84.30")
    assert data["execution"] == {
        "budget": "176875.03",
        "executed": "170639.2",
        "rate": "0.9647",
        "weight": "10",
        "computed": "9.65",
        "published": "9.65",
        "points": "9.65",
        "differs": False,
        "explanation": evaluation.execution.explanation,  # type: ignore[union-attr]
    }
    assert data["scheme"]["name"] == "mof2020"
    assert data["document"]["department"] == "天津市科学技术局"
    assert data["findings"] == []


def test_json_has_every_row_in_order(seed: tuple[Document, Evaluation]) -> None:
    """One JSON indicator per input row, in input order, with its texts and scores."""
    document, evaluation = seed
    rows = json.loads(to_json(evaluation, document=document))["indicators"]
    assert [r["row"] for r in rows] == [i.row for i in document.indicators]
    cost = next(r for r in rows if r["row"] == 83)
    assert cost["computed"] == "0.78"
    assert cost["published"] == "0.30"
    assert cost["score"] == "0.30"
    assert cost["status"] == "partial"
    assert cost["reason"].startswith("年初编制预算时")


def test_json_nulls_for_review_and_missing_published() -> None:
    """``computed`` is null for a row needing review and ``published`` null when absent."""
    rows = [Indicator(row=1, target="提升", actual="持续推进中", weight=Decimal(10))]
    data = to_data(evaluate(rows))
    assert data["indicators"][0]["computed"] is None
    assert data["indicators"][0]["published"] is None
    assert data["indicators"][0]["status"] == "needs_review"
    assert data["execution"] is None


def test_json_carries_findings(seed: tuple[Document, Evaluation]) -> None:
    """Findings are written with Finding.to_dict()."""
    _, evaluation = seed
    finding = Finding("x", FindingSeverity.INFO, "m", row=1)
    assert to_data(evaluation, findings=[finding])["findings"] == [finding.to_dict()]


@pytest.mark.parametrize(("text", "shown"), INJECTIONS)
def test_neutralise(text: str, shown: str) -> None:
    """Formula-like texts get a leading quote; ordinary texts are unchanged."""
    assert neutralise(text) == shown


def test_csv_neutralises_formulas() -> None:
    """No CSV text cell starts with =, +, - or @."""
    cells = [c for row in csv.reader(io.StringIO(to_csv(_injected()))) for c in row]
    assert not [c for c in cells if c and c[0] in "=+-@"]
    assert "'=100%" in cells


def test_csv_reads_back_to_the_same_total(
    seed: tuple[Document, Evaluation], tmp_path: Path
) -> None:
    """The CSV is a table the tabular reader reads back to the same total and budget figures."""
    _, evaluation = seed
    path = tmp_path / "report.csv"
    path.write_text(to_csv(evaluation), encoding="utf-8-sig")
    again = read_csv(path)
    assert len(again.indicators) == 60
    assert again.budget == Decimal("176875.03")
    assert _evaluate(again).total == evaluation.total == again.published_total


def _workbook(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_xlsx_layout(seed: tuple[Document, Evaluation]) -> None:
    """The XLSX has a title, a frozen header, numbers as numbers and landscape fit-to-width."""
    document, evaluation = seed
    sheet = _workbook(to_xlsx(evaluation, document=document))["自评表"]
    assert sheet["A1"].value == "2024年度天津市科学技术局绩效自评表"
    header = next(c.row for c in sheet["D"] if c.value == "三级指标")
    assert sheet.freeze_panes == f"A{header + 1}"
    first = sheet.cell(row=header + 1, column=8)
    assert isinstance(first.value, int | float)
    assert first.number_format == "0.00"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage


def test_xlsx_total_row(seed: tuple[Document, Evaluation]) -> None:
    """The 总分 row holds the total as a number equal to the rows plus execution."""
    document, evaluation = seed
    sheet = _workbook(to_xlsx(evaluation, document=document))["自评表"]
    total_row = next(c.row for c in sheet["A"] if c.value == "总分")
    header = next(c.row for c in sheet["D"] if c.value == "三级指标")
    parts = [Decimal(repr(sheet.cell(row=r, column=8).value)) for r in range(header + 1, total_row)]
    execution = next(c.row for c in sheet["A"] if c.value == "预算执行率得分")
    shown = Decimal(repr(sheet.cell(row=total_row, column=8).value))
    assert sum(parts) + Decimal(repr(sheet.cell(row=execution, column=3).value)) == shown
    assert shown == Decimal("93.95")
    assert not any(
        c.data_type == "f" for row in sheet.iter_rows() for c in row if c.value is not None
    )


def test_xlsx_reads_back_to_the_same_total(
    seed: tuple[Document, Evaluation], tmp_path: Path
) -> None:
    """Reading the written XLSX gives the same rows, budget figures and total."""
    document, evaluation = seed
    path = tmp_path / "report.xlsx"
    path.write_bytes(to_xlsx(evaluation, document=document))
    again = read_xlsx(path)
    assert [i.row for i in again.indicators] != []
    assert len(again.indicators) == 60
    assert (again.department, again.year) == ("天津市科学技术局", 2024)
    assert _evaluate(again).total == Decimal("93.95")
    assert not again.diagnostics


def test_xlsx_neutralises_formulas() -> None:
    """Formula-like texts are stored as quoted strings and still display as written."""
    sheet = _workbook(to_xlsx(_injected()))["自评表"]
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    risky = [c for c in cells if c.value and c.value[0] in "=+-@"]
    assert {c.value for c in risky} >= {"=100%", "=0起", "+5", "-2+3", "@SUM(A1)"}
    assert all(c.data_type == "s" and c.quotePrefix for c in risky)


def test_xlsx_respects_scheme_places(seed: tuple[Document, Evaluation]) -> None:
    """Under a one-decimal scheme, scores use a one-decimal number format."""
    document, _ = seed
    evaluation = _evaluate(document, scheme=load_scheme("provincial-bands"), recompute=True)
    sheet = _workbook(to_xlsx(evaluation, document=document))["自评表"]
    total_row = next(c.row for c in sheet["A"] if c.value == "总分")
    assert sheet.cell(row=total_row, column=8).number_format == "0.0"


def test_xlsx_notes_sheet_lists_lost_points(seed: tuple[Document, Evaluation]) -> None:
    """The second sheet explains every lost point."""
    document, evaluation = seed
    notes = _workbook(to_xlsx(evaluation, document=document))["汇总与说明"]
    texts = [c.value for row in notes.iter_rows() for c in row if isinstance(c.value, str)]
    assert "失分说明" in texts
    assert any(t.startswith("第83行") for t in texts)


@pytest.mark.parametrize("count", [0, 1, 3])
def test_workbook_json_is_the_dump_of_workbook_data(
    seed: tuple[Document, Evaluation], count: int
) -> None:
    """The CLI and the service put each sheet's JSON into the workbook JSON as it is: the
    same text as reading every sheet back and writing the whole again."""
    from perfscore.report.outputs import dumps, workbook_data, workbook_json

    document, evaluation = seed
    awkward = evaluate(
        [
            Indicator(
                row=2, level1="产出指标", level3='引号"与\\反斜杠\n换行\u2028行分隔',
                target="≥10人", actual="9人", weight=Decimal(5), reason="\t制表 与 \u3000",
            )
        ]
    )  # fmt: skip
    texts = [
        to_json(evaluation, document=document),
        to_json(awkward),
        to_json(_injected()),
    ][:count]
    names = ["自评表", None, 'Sheet "2"'][:count]
    named = list(zip(names, texts, strict=True))
    expected = dumps(workbook_data(named, '单位/文件 "甲".xlsx'))  # type: ignore[arg-type]
    assert workbook_json(named, '单位/文件 "甲".xlsx') == expected  # type: ignore[arg-type]
    assert json.loads(expected)["sheets"][:count] == [
        {"sheet": name or "", "evaluation": json.loads(text)} for name, text in named
    ]
