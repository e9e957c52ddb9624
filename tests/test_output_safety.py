"""No cell of any output starts a formula, and no character crashes a format."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfscore import Indicator, evaluate
from perfscore.cli import main
from perfscore.documents import Document, DocumentKind, Project
from perfscore.report import neutralise, render_table, to_csv, to_json, to_xlsx
from perfscore.score.scheme import Scheme

EVIL = ['=HYPERLINK("http://x","y")', "+1", "-1+2", "@SUM(A1)", " =1", "\t=1", "\r=1"]


def _evaluation(name: str) -> tuple[object, Document]:
    row = Indicator(row=1, level3=name, target="≥10人", actual="12人", weight=Decimal(100))
    document = Document(
        path="x.csv", kind=DocumentKind.SELF_EVALUATION, department=name,
        projects=(Project(name=name, indicators=(row,)),),
    )  # fmt: skip
    return evaluate([row]), document


@pytest.mark.parametrize("text", EVIL)
def test_csv_cells_never_start_a_formula(text: str) -> None:
    """A formula-looking text gets a leading ' in CSV, even after spaces, tabs or CR."""
    assert neutralise(text).startswith("'")


def test_plain_numbers_and_texts_are_not_changed() -> None:
    """Real negative numbers stay numbers, and text that is no formula passes unchanged."""
    assert [neutralise(t) for t in ("-6", "-1.5%", "培训人数")] == ["-6", "-1.5%", "培训人数"]


@pytest.mark.parametrize("text", EVIL)
def test_xlsx_cells_never_hold_a_formula(tmp_path: Path, text: str) -> None:
    """Names, the title (with no year) and indicator texts are strings in the XLSX, not formulas."""
    evaluation, document = _evaluation(text)
    path = tmp_path / "out.xlsx"
    path.write_bytes(to_xlsx(evaluation, document=document))  # type: ignore[arg-type]
    for sheet in openpyxl.load_workbook(path).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)


def test_control_characters_and_surrogates_never_crash(tmp_path: Path) -> None:
    """U+0001, U+FFFE and a lone surrogate are shown as � in every format, not a traceback."""
    evaluation, document = _evaluation("培训\x01人数\ufffe\ud800")
    path = tmp_path / "out.xlsx"
    path.write_bytes(to_xlsx(evaluation, document=document))  # type: ignore[arg-type]
    texts = [c.value for s in openpyxl.load_workbook(path).worksheets for r in s.iter_rows()
             for c in r if isinstance(c.value, str)]  # fmt: skip
    assert any("培训�人数" in t for t in texts)
    assert "\ufffd" in to_csv(evaluation)  # type: ignore[arg-type]
    assert render_table(evaluation)  # type: ignore[arg-type]
    assert to_json(evaluation)  # type: ignore[arg-type]


def test_lone_surrogate_from_json_prints(tmp_path: Path) -> None:
    """A JSON input with a lone surrogate scores in every format without a traceback."""
    source = tmp_path / "in.json"
    data = {
        "schema": "perfscore.document/1", "kind": "self_evaluation", "department": "\ud800部门",
        "projects": [{"name": "p", "indicators": [
            {"row": 1, "level3": "\ud83d名", "target": "≥1人", "actual": "2人", "weight": "100"}
        ]}],
    }  # fmt: skip
    source.write_text(json.dumps(data), encoding="utf-8")
    for form in ("table", "json", "csv"):
        out = tmp_path / f"out.{form}"
        assert main(["score", str(source), "--format", form, "-o", str(out)]) in (0, 1)
        assert "\ufffd" in out.read_text("utf-8-sig")


def test_grade_names_from_a_scheme_are_neutralised() -> None:
    """A grade named like a formula cannot run in the CSV footer."""
    scheme = Scheme.from_dict({"name": "x", "grades": [{"name": "=1+1", "min": 0}]})
    row = Indicator(row=1, target="≥1人", actual="2人", weight=Decimal(100))
    csv = to_csv(evaluate([row], scheme=scheme))
    assert "'=1+1" in csv
    assert ",=1+1" not in csv


_CELL_PIECES = st.sampled_from(["=", "+", "-", "@", " ", "\t", "\r", "\n", "\u3000", "\ufffd",
                                "\x0b", "\x0c", "\x1b", "\x7f", "\x9b", "1", "0.5", "%", "培训",
                                "≥135人", "SUM(A1)", "'", "\ud800", ""])  # fmt: skip


def _neutralised_as_before(text: str) -> str:
    """neutralise as it was written before its fast path: safe_text, then the formula test."""
    from perfscore._safe import safe_text, starts_formula

    text = safe_text(text)
    return "'" + text if starts_formula(text) else text


@settings(max_examples=2000)
@given(st.one_of(st.lists(_CELL_PIECES, max_size=6).map("".join), st.text(max_size=12)))
def test_neutralise_fast_path_changes_nothing(text: str) -> None:
    assert neutralise(text) == _neutralised_as_before(text)
