"""One bad value is its row's problem: NaN, huge exponents, long digits, overflow, bad dates."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perfscore import Indicator, evaluate, evaluate_document
from perfscore.documents import Document
from perfscore.errors import ReadError
from perfscore.readers import read
from perfscore.readers.json_reader import read_json_text
from perfscore.readers.tabular import read_tsv_text
from perfscore.report import render_table, to_csv, to_json, to_xlsx
from perfscore.report.html import to_html
from perfscore.score.scoring import Status

HOSTILE_NUMBERS = [
    "NaN", "Infinity", "-Infinity", "1e999999", "-1e999999", "1e-999999",
    "9" * 40, "1." + "0" * 40 + "1", "12345678901234567890123456789.5", "1E+26",
]  # fmt: skip


def render_everything(document: Document) -> None:
    """Every report format, as `perfscore score` writes it: none may raise."""
    evaluation = evaluate_document(document)
    render_table(evaluation, document=document)
    to_json(evaluation, document=document)
    to_csv(evaluation)
    to_html(evaluation, document=document)
    to_xlsx(evaluation, document=document)


@pytest.mark.parametrize("number", HOSTILE_NUMBERS)
@pytest.mark.parametrize("field", ["weight", "published"])
def test_a_hostile_json_number_is_that_rows_error(field: str, number: str) -> None:
    """NaN, 1e999999 or 40 digits in one row's field: that row's error; the other row reads."""
    good = {"level3": "乙", "target": "≥10人", "actual": "12人", "weight": 50, "published": 50}
    bad = {**good, "level3": "甲", field: "@@"}
    text = json.dumps({"indicators": [bad, good]}).replace('"@@"', number)
    document = read_json_text(text, file="t.json")
    assert [i.level3 for i in document.indicators] == ["甲", "乙"]
    assert getattr(document.indicators[0], field) is None
    [error] = document.diagnostics
    assert (error.row, error.column) == (1, f"indicators[0].{field}")
    assert error.text[:20] == number[:20]
    render_everything(document)


@pytest.mark.parametrize("number", ["NaN", "1e999999", "9" * 40])
def test_a_hostile_json_budget_is_an_error_not_a_crash(number: str) -> None:
    """A NaN or 1e999999 budget is reported naming the field; the rows still score."""
    text = (
        '{"indicators": [{"target": "≥10人", "actual": "12人", "weight": 90}],'
        f' "document": {{"budget": {number}, "executed": 5}}}}'
    )
    document = read_json_text(text, file="t.json")
    assert document.budget is None
    assert [d.column for d in document.diagnostics] == ["document.budget"]
    render_everything(document)


@pytest.mark.parametrize("number", HOSTILE_NUMBERS)
def test_a_hostile_csv_number_is_that_rows_error(number: str) -> None:
    """The same values typed in a 分值 or 得分 cell: the row's error naming row, column and text."""
    text = "三级指标\t年度指标值\t实际完成值\t分值\t得分\n"
    text += f"甲\t≥10人\t12人\t50\t{number}\n乙\t≥10人\t12人\t50\t50\n"
    document = read_tsv_text(text, file="t.tsv")
    assert [i.level3 for i in document.indicators] == ["甲", "乙"]
    assert document.indicators[0].published is None
    [error] = [d for d in document.diagnostics if d.severity.value == "error"]
    assert (error.row, error.column, error.text) == (2, "得分", number)
    render_everything(document)


def test_a_score_with_26_places_renders_in_every_format() -> None:
    """A published score of 1.00000000000000000000000001 (26 places) is shown, not a crash."""
    published = Decimal("1." + "0" * 25 + "1")
    rows = [
        Indicator(row=1, level3="甲", target="≥10人", actual="12人", weight=Decimal(1),
                  published=published),
        Indicator(row=2, level3="乙", target="≥10人", actual="12人", weight=Decimal(99),
                  published=Decimal(99)),
    ]  # fmt: skip
    evaluation = evaluate(rows)
    for render in (render_table, to_json, to_csv, to_html, to_xlsx):
        assert render(evaluation)  # type: ignore[operator]
    assert "1.00000000000000000000000001" in to_csv(evaluation)


def test_an_overflowing_ratio_is_that_rows_review() -> None:
    """An actual 10^28 times its target cannot be computed: the row needs review, saying why."""
    rows = [
        Indicator(row=1, level3="甲", target="≥0.00000001人", actual="99999999999999999999亿人",
                  weight=Decimal(50)),
        Indicator(row=2, level3="乙", target="≥10人", actual="12人", weight=Decimal(50)),
    ]  # fmt: skip
    evaluation = evaluate(rows)
    first, second = evaluation.scores
    assert first.status is Status.NEEDS_REVIEW
    assert "「99999999999999999999亿人」" in first.explanation
    assert "out of the range" in first.explanation
    assert second.status is Status.FULL
    render_table(evaluation)


@pytest.mark.parametrize(("year", "status"), [(2025, Status.NEEDS_REVIEW), (2024, Status.FULL)])
def test_29_february_in_a_non_leap_year_is_that_rows_review(year: int, status: Status) -> None:
    """`2月29日前` in 2025 does not exist: the row needs review naming the text; 2024 scores."""
    row = Indicator(
        row=4, level3="甲", target="2月29日前完成", actual="2月20日完成", weight=Decimal(100)
    )
    [score] = evaluate([row], year=year).scores
    assert score.status is status
    if status is Status.NEEDS_REVIEW:
        assert "「2月29日前完成」" in score.explanation
        assert "29 February in a non-leap year" in score.explanation


def test_a_word_table_whose_first_row_continues_a_vertical_merge_reads(tmp_path: Path) -> None:
    """A first row marked as a vertical-merge continuation (nothing above) reads, not a crash."""
    docx = pytest.importorskip("docx")
    from docx.oxml import OxmlElement

    document = docx.Document()
    table = document.add_table(rows=3, cols=5)
    rows = [
        ["三级指标", "年度指标值", "实际完成值", "分值", "得分"],
        ["甲", "≥10人", "12人", "100", "100"],
    ]
    for row, values in zip(table.rows[1:], rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    table.rows[0].cells[0]._tc.get_or_add_tcPr().append(OxmlElement("w:vMerge"))
    path = tmp_path / "merged.docx"
    document.save(path)
    read_back = read(path)
    assert [(i.level3, i.published) for i in read_back.indicators] == [("甲", Decimal(100))]


# --- fuzzing numbers in JSON and CSV -------------------------------------------------------

DIGITS = st.text("0123456789", min_size=1, max_size=60)
NUMBER_TEXT = st.one_of(
    st.builds(lambda s, i, f, e: f"{s}{i}{f}{e}",
              st.sampled_from(["", "-"]), DIGITS.map(lambda d: d.lstrip("0") or "0"),
              st.one_of(st.just(""), DIGITS.map(lambda d: "." + d)),
              st.one_of(st.just(""), st.builds(lambda sign, d: f"e{sign}{d}",
                                               st.sampled_from(["", "+", "-"]),
                                               st.text("0123456789", min_size=1, max_size=9)))),
    st.sampled_from(["NaN", "Infinity", "-Infinity"]),
)  # fmt: skip


@given(NUMBER_TEXT, st.sampled_from(["weight", "published", "row"]))
def test_json_numbers_never_fail_the_file(number: str, field: str) -> None:
    """Any JSON number in any numeric field reads: the row is kept, the value bounded."""
    text = (
        '{"indicators": [{"level3": "甲", "target": "≥10人", "actual": "12人",'
        f' "weight": 100, "{field}": {number}}}]}}'
    )
    document = read_json_text(text, file="t.json")
    [row] = document.indicators
    for value in (row.weight, row.published):
        assert value is None or abs(value) <= 10**20
    evaluate_document(document)


@given(st.one_of(NUMBER_TEXT, st.text(max_size=80)))
def test_csv_number_cells_never_fail_the_file(cell: str) -> None:
    """Any text in a 分值 cell: the row is kept, with its value or its error."""
    cell = cell.replace("\t", " ").replace("\n", " ").replace("\r", " ").replace('"', "")
    text = f"三级指标\t年度指标值\t实际完成值\t分值\n甲\t≥10人\t12人\t{cell}\n"
    try:
        document = read_tsv_text(text, file="t.tsv")
    except ReadError:
        return  # a file-level refusal is allowed only with the library's error
    assert len(document.indicators) <= 1
    for row in document.indicators:
        assert row.weight is None or 0 <= row.weight <= 1000
