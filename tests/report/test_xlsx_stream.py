"""The XLSX report's streamed rows are the bytes openpyxl writes for the same cells.

``to_xlsx`` writes the indicator table's rows and the notes sheet's rows as text
(``perfscore.report._xlsx_xml``) instead of building an openpyxl cell for each; every
part of the workbook must stay what openpyxl alone writes (``_workbook(…, stream=False)``,
the path every row took before): the same cells, types, style indexes, row heights,
merges, dimensions, comments and charts, byte for byte.
"""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfscore import Evaluation, Indicator, evaluate, evaluate_document, load_scheme
from perfscore.documents import Document
from perfscore.readers import read
from perfscore.report import to_xlsx
from perfscore.report.xlsx import _workbook
from perfscore.review.audit import audit

pytest.importorskip("openpyxl")

EXAMPLES = Path(__file__).parents[2] / "examples" / "data"
_TIMES = re.compile(rb"<dcterms:(created|modified)[^<]*</dcterms:\1>")


def _parts(data: bytes) -> dict[str, bytes]:
    """Every part of a workbook, its creation and modification times blanked."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return {name: _TIMES.sub(b"", book.read(name)) for name in book.namelist()}


def assert_same_workbook(
    evaluation: Evaluation, document: Document | None = None, findings: Any = ()
) -> dict[str, bytes]:
    """The streamed workbook equals openpyxl's, part by part and byte for byte."""
    expected = _parts(_workbook(evaluation, document, findings, stream=False))
    streamed = _parts(_workbook(evaluation, document, findings, stream=True))
    assert streamed.keys() == expected.keys()
    for name in expected:
        assert streamed[name] == expected[name], name
    return streamed


def _row(n: int, **fields: Any) -> Indicator:
    values: dict[str, Any] = {
        "row": n,
        "goal": f"绩效目标{1 + n // 12}",
        "level1": "产出指标" if n % 9 < 6 else "效益指标",
        "level2": f"数量指标{n // 4}",
        "level3": f"指标{n}",
        "target": "≥10人",
        "actual": f"{8 + n % 5}人",
        "weight": Decimal(2),
    }
    values.update(fields)
    return Indicator(**values)


@pytest.mark.parametrize(
    "name", ["tianjin-2024.csv", "tianjin-2024.xlsx", "tianjin-2024-self-evaluation.txt"]
)
def test_examples_with_findings(name: str) -> None:
    """The bundled examples, with their documents and audit findings."""
    document = read(EXAMPLES / name)
    evaluation = evaluate_document(document)
    parts = assert_same_workbook(evaluation, document, audit(evaluation, document))
    total = f"<v>{evaluation.total:f}</v>".encode()
    assert total in parts["xl/worksheets/sheet1.xml"]


def test_department_form() -> None:
    document = read(EXAMPLES / "department-2024.csv")
    evaluation = evaluate_document(document)
    assert_same_workbook(evaluation, document, audit(evaluation, document))


# Texts a spreadsheet treats specially, and texts XML treats specially.
AWKWARD = [
    "=SUM(A1:A3)",
    "+5",
    "-2+3",
    "@SUM(A1)",
    " =1",
    "=",
    "-6",
    "#N/A",
    "#DIV/0!",
    "  前后有空格  ",
    "a & b < c > d",
    "回车\r换行\n下一行",
    "控制\x01字符\x1f",
    "emoji 😀 与 ㊣",
    "x" * 40_000,
    "",
]


def test_awkward_texts_in_every_column() -> None:
    """Formula-like texts, error codes, blanks, XML characters, control characters and
    a text longer than a cell holds, as names, targets, actuals and reasons."""
    rows = [
        _row(n, level3=text or f"指标{n}", target=text, actual=text, reason=text)
        for n, text in enumerate(AWKWARD, start=2)
    ]
    rows += [_row(n, goal=text, level1=text, level2=text) for n, text in enumerate(AWKWARD, 30)]
    # Runs of such texts merge down: the covered cells take the top cell's own style.
    rows += [
        _row(60 + n, goal="=目标", level1="#N/A", level2=" 前后 " if n < 3 else "+1")
        for n in range(6)
    ]
    assert_same_workbook(evaluate(rows))


def test_numbers_a_spreadsheet_cannot_hold() -> None:
    """A weight of 17 digits gets a cell note: the table is then written by openpyxl,
    the notes sheet still streams around such rows."""
    rows = [_row(n) for n in range(2, 40)]
    rows[5] = _row(7, weight=Decimal("12345678901234567"))
    rows[9] = _row(11, weight=Decimal("0.10000000000000000555"))
    assert_same_workbook(evaluate(rows))


def test_budget_figures_with_cell_notes_above_streamed_rows() -> None:
    """Budget figures of 18 digits get cell notes in the rows above the table; the notes
    (comments) and their order stay openpyxl's."""
    rows = [_row(n) for n in range(2, 30)]
    evaluation = evaluate(
        rows,
        budget=Decimal("123456789012345678.25"),
        executed=Decimal("98765432109876543.5"),
        execution_published=Decimal("7.5"),
    )
    parts = assert_same_workbook(evaluation)
    assert any(name.startswith("xl/comments") for name in parts)


def test_merges_reviewer_columns_and_row_notes() -> None:
    """Runs of goals, 一级 and 二级 (some blank), a reviewer's scores and opinions and
    the row notes each get their own blocks."""
    rows = [
        _row(
            n,
            goal="" if n % 17 == 0 else f"目标{n // 10}",
            level2="" if n % 13 == 0 else f"二级{n // 3}",
            reviewed=Decimal(n % 3) if n % 4 == 0 else None,
            review_note="扣分合理" if n % 5 == 0 else "",
            basis="年度计划" if n % 6 == 0 else "",
            reason="进度滞后" if n % 7 == 0 else "",
        )
        for n in range(2, 90)
    ]
    assert_same_workbook(evaluate(rows))


def test_scheme_places_and_empty_table() -> None:
    scheme = load_scheme()
    three = attrs.evolve(scheme, places=3) if hasattr(scheme, "places") else scheme
    rows = [_row(n, actual=f"{n % 11}人", weight=Decimal("3.5")) for n in range(2, 30)]
    assert_same_workbook(evaluate(rows, scheme=three))
    assert_same_workbook(evaluate([]))


def test_large_table_streams() -> None:
    """Many rows (the notes' lost-point block included) stream, and read back the same."""
    import openpyxl

    rows = [_row(n) for n in range(2, 2_002)]
    evaluation = evaluate(rows)
    assert_same_workbook(evaluation)
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(evaluation)))
    sheet = book["自评表"]
    assert sheet.max_row > 2_000
    assert any(str(r) for r in sheet.merged_cells.ranges)


_text = st.text(
    alphabet=st.sampled_from(list("人万元%≥≤=+-@#/ &<>\r\n\t 0123456789.年月日提升满意度A")),
    max_size=30,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(_text, _text, _text, _text, st.sampled_from(["甲", "乙", ""]), st.integers(1, 9)),
        min_size=0,
        max_size=25,
    )
)
def test_generated_tables(cells: list[tuple[str, str, str, str, str, int]]) -> None:
    """Any names, targets, actuals and reasons give openpyxl's bytes."""
    rows = [
        _row(n, level3=name, target=target, actual=actual, reason=reason, goal=goal,
             weight=Decimal(weight))
        for n, (name, target, actual, reason, goal, weight) in enumerate(cells, start=2)
    ]  # fmt: skip
    assert_same_workbook(evaluate(rows))


def _sheet_xml(data: bytes, name: str = "xl/worksheets/sheet1.xml") -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return book.read(name).decode()


def test_streamed_rows_alone_and_between_openpyxl_rows() -> None:
    """StreamedRows on its own: a sheet of streamed rows only (openpyxl writes an empty
    ``<sheetData/>``), and streamed rows between openpyxl's, each put in its place with the
    dimension widened; a row written both ways is refused."""
    import openpyxl

    from perfscore.report._xlsx_xml import StreamedRows, cell_tail, splice

    def saved(book: Any) -> bytes:
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    book = openpyxl.Workbook()
    alone = StreamedRows(book.active)
    for number in (1, 2, 3):
        alone.start_row()
        alone.write(number, f'<c r="A{number}"' + cell_tail("", "n", str(number)), 1, None)
    alone.start_row()
    alone.write(5, '<c r="C5"' + cell_tail("", "inlineStr", "五 & <五>"), 3, 20.0)
    data = splice(saved(book), {"xl/worksheets/sheet1.xml": alone})
    alone.close()
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [sheet.cell(n, 1).value for n in (1, 2, 3)] == [1, 2, 3]
    assert sheet["C5"].value == "五 & <五>"
    assert sheet.row_dimensions[5].height == 20
    assert '<dimension ref="A1:C5"' in _sheet_xml(data)

    book = openpyxl.Workbook()
    sheet = book.active
    rows = StreamedRows(sheet)
    sheet["A1"] = "title"
    rows.start_row()
    rows.write(2, '<c r="A2"' + cell_tail("", "n", "2"), 1, None)
    rows.start_row()
    rows.write(3, '<c r="B3"' + cell_tail("", "n", "3"), 2, None)
    sheet["A4"] = "middle"
    rows.start_row()
    rows.write(5, '<c r="A5"' + cell_tail("", "n", "5"), 1, None)
    sheet["A6"] = "total"
    rows.finish()
    data = splice(saved(book), {"xl/worksheets/sheet1.xml": rows})
    rows.close()
    read = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [read.cell(n, 1).value for n in range(1, 7)] == ["title", 2, None, "middle", 5, "total"]
    assert read["B3"].value == 3
    numbers = [int(n) for n in re.findall(r'<row r="(\d+)"', _sheet_xml(data))]
    assert numbers == sorted(numbers) == [1, 2, 3, 4, 5, 6]

    book = openpyxl.Workbook()
    both = StreamedRows(book.active)
    both.start_row()
    both.write(1, '<c r="A1"' + cell_tail("", "n", "1"), 1, None)
    book.active["A1"] = "again"
    with pytest.raises(AssertionError, match="both ways"):
        splice(saved(book), {"xl/worksheets/sheet1.xml": both})
    both.close()
