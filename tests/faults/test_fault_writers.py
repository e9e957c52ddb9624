"""Every writer on generated hostile strings: no live formula, no control, no crash.

One property per output — report CSV, XLSX, HTML and terminal table, batch
summaries (CSV, XLSX, JSON lines), the template workbook and the CLI's
diagnostics — all relying on :mod:`perfscore._safe`.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import tempfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfscore import Indicator, evaluate
from perfscore._safe import neutralise, safe_text, starts_formula
from perfscore.cli import main
from perfscore.documents import Document, DocumentKind, Project
from perfscore.report import render_table, to_csv, to_xlsx
from perfscore.report.html import to_html
from perfscore.review.template import build_template
from perfscore.scale.summary import INDICATOR_COLUMNS, PROJECT_COLUMNS, FileResult, open_writer

# What no output may hold: C0 controls but tab/newlines, DEL, C1, U+FFFE/U+FFFF, surrogates.
UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
PREFIXES = [
    "=",
    "+",
    "-",
    "@",
    " =",
    "\t=",
    "\r\n=",
    "\x0b=",
    "\x00=",
    "\u3000=",
    "\x1b[31m",
    "\x9b2J",
]
hostile = st.builds(
    lambda prefix, body: prefix + body,
    st.sampled_from(PREFIXES),
    st.text(
        st.one_of(
            st.characters(codec=None, max_codepoint=0x3000),
            st.sampled_from("\x0b\x1b\x7f\x9b\ufffe\uffff\ud800=+-@()\"'<>&;,"),
        ),
        max_size=30,
    ),
)  # fmt: skip
FEW = settings(max_examples=25)  # the XLSX writers take a few ms an example


def spreadsheet_safe(text: str) -> bool:
    """A cell text is safe: nothing unsafe, and a formula start only behind a quote."""
    return not UNSAFE.search(text) and (text.startswith("'") or not starts_formula(text))


def evaluation_of(text: str) -> tuple[object, Document]:
    row = Indicator(row=1, goal=text, level1=text, level2=text, level3=text, target=text,
                    actual=text, weight=Decimal(100), reason=text)  # fmt: skip
    document = Document(path=text, kind=DocumentKind.SELF_EVALUATION, department=text,
                        projects=(Project(name=text, unit=text, indicators=(row,)),))  # fmt: skip
    return evaluate([row]), document


@given(hostile)
def test_the_one_function_is_safe_and_idempotent(text: str) -> None:
    """neutralise leaves no unsafe character and no live formula, and changes nothing twice."""
    cell = neutralise(text)
    assert spreadsheet_safe(cell)
    assert safe_text(safe_text(text)) == safe_text(text)
    assert not UNSAFE.search(safe_text(text))


def test_printable_texts_pass_unchanged_exactly_when_the_rule_changes_nothing() -> None:
    """safe_text returns a printable text as it is: no character it changes is printable."""
    import sys

    from perfscore import _safe

    changed = {
        chr(code)
        for code in range(sys.maxunicode + 1)
        if _safe._UNSAFE.sub("\ufffd", chr(code).translate(_safe._LINE_BREAKS)) != chr(code)
    }
    assert not any(char.isprintable() for char in changed)
    assert safe_text("培训人数≥95%") == "培训人数≥95%"


@given(hostile)
def test_report_csv(text: str) -> None:
    """Every cell of the CSV report is safe."""
    evaluation, _ = evaluation_of(text)
    for row in csv.reader(io.StringIO(to_csv(evaluation))):  # type: ignore[arg-type]
        assert all(spreadsheet_safe(cell) for cell in row), row


@FEW
@given(hostile)
def test_report_xlsx(text: str) -> None:
    """No cell of the XLSX report is a formula or holds an unsafe character."""
    evaluation, document = evaluation_of(text)
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(evaluation, document=document)))  # type: ignore[arg-type]
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
                assert not (isinstance(cell.value, str) and UNSAFE.search(cell.value))


@given(hostile)
def test_report_html_and_terminal_table(text: str) -> None:
    """The HTML page and the terminal table hold no control: no escape sequence reaches a screen."""
    evaluation, document = evaluation_of(text)
    assert not UNSAFE.search(to_html(evaluation, document=document))  # type: ignore[arg-type]
    assert not UNSAFE.search(render_table(evaluation, document=document))  # type: ignore[arg-type]


def _result(text: str) -> FileResult:
    project = dict.fromkeys(PROJECT_COLUMNS, text)
    project.update(status="needs_review", total=Decimal("1.5"), indicators=1, needs_review=1,
                   findings_error=0, findings_warning=0, findings_info=0, grade=text)  # fmt: skip
    indicator = dict.fromkeys(INDICATOR_COLUMNS, text)
    indicator.update(row=1, weight=Decimal(1), published=None, computed=None, counted=Decimal(0))
    return FileResult(text, (project,), (indicator,))


@FEW
@given(hostile)
def test_batch_summaries(text: str) -> None:
    """CSV, XLSX and JSON-lines summaries write hostile names and cells safely."""
    with tempfile.TemporaryDirectory() as folder:
        for fmt in ("csv", "xlsx", "jsonl"):
            out = Path(folder) / f"s.{fmt}"
            writer = open_writer(out)
            writer.write(_result(text))
            writer.close()
            if fmt == "csv":
                for path in (out, out.with_name("s-indicators.csv")):
                    for row in csv.reader(io.StringIO(path.read_text("utf-8-sig"), newline="")):
                        assert all(spreadsheet_safe(cell) for cell in row)
            elif fmt == "jsonl":
                for line in out.read_text("utf-8").splitlines():
                    values = json.loads(line).values()
                    assert not any(isinstance(v, str) and UNSAFE.search(v) for v in values)
            else:
                for sheet in openpyxl.load_workbook(out).worksheets:
                    for row in sheet.iter_rows():
                        for cell in row:
                            # A text cell that looks like a formula is stored as text with
                            # Excel's quote prefix (as the report does): never a formula.
                            assert cell.data_type != "f"
                            if isinstance(cell.value, str):
                                assert not UNSAFE.search(cell.value)
                                if starts_formula(cell.value):
                                    assert cell.data_type == "s"
                                    assert cell.quotePrefix


@FEW
@given(hostile)
def test_template(text: str) -> None:
    """Target-table texts in the template workbook never run as formulas."""
    own = _template_cells("甲")
    for coordinate, data_type, value in _template_cells(text):
        # The template's own formulas (the 总分 row) stay; nothing from the text runs.
        assert data_type != "f" or (coordinate, data_type, value) in own, (coordinate, value)
        assert not (isinstance(value, str) and UNSAFE.search(value))


def _template_cells(text: str) -> set[tuple[str, str, object]]:
    row = Indicator(row=1, level1="产出指标", level2="数量指标", level3=text, target=text)
    project = Project(name=text, unit=text, indicators=(row,))
    document = Document(path="t.docx", kind=DocumentKind.TARGET_TABLE, projects=(project,))
    book = openpyxl.load_workbook(io.BytesIO(build_template(document)))
    return {
        (c.coordinate, c.data_type, c.value)
        for s in book.worksheets
        for r in s.iter_rows()
        for c in r
    }


@settings(max_examples=15)
@given(hostile)
def test_cli_diagnostics(text: str) -> None:
    """A hostile cell quoted in a diagnostic reaches the terminal without its controls."""
    body = text.replace('"', "").replace("\r", "").replace("\n", "")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.csv"
        path.write_text(f'三级指标,年度指标值,实际完成值,分值\n甲,≥10人,12人,"{body}"\n', "utf-8")
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main(["score", str(path)])
    assert not UNSAFE.search(out.getvalue())
    assert not UNSAFE.search(err.getvalue())


def test_the_issue_cases_by_hand() -> None:
    """Word's line break becomes a newline; ESC and CSI are shown as �; =1 gets its quote."""
    assert safe_text("培训\x0b人数") == "培训\n人数"
    assert safe_text("\x1b[31m红\x9b2J") == "�[31m红�2J"
    assert neutralise("\x0b=1+1") == "'\n=1+1"
    assert neutralise("-6") == "-6"


@pytest.mark.parametrize("text", ["=1+1", "\x1b[2J", "\x0b"])
def test_batch_csv_names_are_neutralised_end_to_end(tmp_path: Path, text: str) -> None:
    """A project name that is a formula is quoted in the batch CSV (1,567 live cells before)."""
    from perfscore.scale.batch import run_batch

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.csv").write_text(
        f"项目名称,{text}\n三级指标,年度指标值,实际完成值,分值\n{text},≥10人,12人,100\n", "utf-8"
    )
    out = tmp_path / "s.csv"
    run_batch([tmp_path / "in"], open_writer(out), jobs=1)
    for path in (out, tmp_path / "s-indicators.csv"):
        for row in csv.reader(io.StringIO(path.read_text("utf-8-sig"), newline="")):
            assert all(spreadsheet_safe(cell) for cell in row), row
