"""Tests for perfscore.readers.json_reader: reading perfscore JSON back."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from perfscore import Evaluation, evaluate, evaluate_document
from perfscore.documents import Document, DocumentKind, Severity
from perfscore.errors import ReadError
from perfscore.readers import read
from perfscore.readers.json_reader import read_json, read_json_text
from perfscore.report import document_data, to_json

DATA = Path(__file__).parents[2] / "examples/data"
# (JSON text, the whole ReadError message).
MALFORMED = (
    (
        '{"indicators": [1, 2',
        "bad.json, 第1行 (row 1), 列「21」(column 21): JSON 格式错误：Expecting ',' delimiter，"
        "位于第 1 行第 21 列（字符 20） (invalid JSON: Expecting ',' delimiter)",
    ),
    (
        '{\n  "total": 1,\n}',
        "bad.json, 第3行 (row 3), 列「1」(column 1): JSON 格式错误：Expecting property name "
        "enclosed in double quotes，位于第 3 行第 1 列（字符 16）"
        " (invalid JSON: Expecting property name enclosed in double quotes)",
    ),
    (
        '{"total": "93.95"}',
        "bad.json: 不是 perfscore 的 JSON：缺少 indicators 或 projects 列表"
        " (not perfscore JSON: no 'indicators' or 'projects' list)",
    ),
)


def _evaluate(document: Document) -> Evaluation:
    return evaluate_document(document)


@pytest.fixture(scope="module")
def seed() -> Document:
    return read(DATA / "tianjin-2024-self-evaluation.txt")


def test_round_trip_gives_same_rows_and_total(seed: Document) -> None:
    """Reading the JSON of an evaluation gives the same rows, metadata and total."""
    again = read_json_text(to_json(_evaluate(seed), document=seed), file="x.json")
    assert again.indicators == seed.indicators
    assert again.projects[0].goals == seed.projects[0].goals
    assert (again.department, again.year, again.budget) == (seed.department, 2024, seed.budget)
    assert _evaluate(again).total == Decimal("93.95")


def test_round_trip_without_document() -> None:
    """JSON written without a document still carries the budget figures it was scored with."""
    rows = read(DATA / "tianjin-2024.csv").indicators
    evaluation = evaluate(rows, budget=Decimal("176875.03"), executed=Decimal("170639.2"))
    again = read_json_text(to_json(evaluation))
    assert _evaluate(again).total == evaluation.total == Decimal("93.95")


def test_read_json_file_via_read(seed: Document, tmp_path: Path) -> None:
    """perfscore.readers.read picks the JSON reader for .json files."""
    path = tmp_path / "report.json"
    path.write_text(to_json(_evaluate(seed), document=seed), encoding="utf-8")
    document = read(path)
    assert document.path == str(path)
    assert document.kind is DocumentKind.SELF_EVALUATION
    assert len(document.indicators) == 60


@pytest.mark.parametrize(("text", "message"), MALFORMED)
def test_malformed_json(text: str, message: str) -> None:
    """Malformed JSON raises a bilingual ReadError naming the file, line and column."""
    with pytest.raises(ReadError) as caught:
        read_json_text(text, file="bad.json")
    assert str(caught.value) == message


def test_bad_rows_become_diagnostics() -> None:
    """A bad weight or a non-object row is a diagnostic; every row is still read."""
    text = json.dumps(
        {"indicators": [{"row": 5, "target": "≥1项", "weight": "两分"}, "oops", {"weight": 2}]}
    )
    document = read_json_text(text, file="rows.json")
    assert [i.row for i in document.indicators] == [5, 2, 3]
    assert [str(d) for d in document.diagnostics] == [
        "rows.json, 第5行 (row 5), 列「indicators[0].weight」(column indicators[0].weight),"
        " 「两分」: 不是有效数字，按空白读取 (not a number, read as empty)",
        "rows.json, 第2行 (row 2), 列「indicators[1]」(column indicators[1]), 「oops」:"
        " 指标应为对象，已跳过其内容 (an indicator must be an object; its content is ignored)",
    ]
    assert document.has_errors


def test_bare_list_of_rows() -> None:
    """A bare JSON list of indicator objects is read as one project."""
    document = read_json_text('[{"row": 1, "target": "≥1项", "actual": "1项", "weight": 10}]')
    assert document.indicators[0].weight == Decimal(10)
    assert not document.diagnostics


def test_read_output_is_accepted(tmp_path: Path) -> None:
    """The JSON of ``perfscore read`` (rows inside projects) is read back too."""
    target = read(DATA / "targets-tianjin-kexie.txt")
    again = read_json_text(json.dumps(document_data(target), ensure_ascii=False))
    assert [p.name for p in again.projects] == [p.name for p in target.projects]
    assert again.indicators == target.indicators
    assert again.kind is DocumentKind.TARGET_TABLE


def test_missing_file() -> None:
    """A missing file is a ReadError naming it."""
    with pytest.raises(ReadError, match="cannot read the file"):
        read_json("/nonexistent/x.json")


def test_source_diagnostics_are_kept() -> None:
    """Diagnostics recorded in the JSON's document block are kept with their severity."""
    text = json.dumps(
        {
            "indicators": [],
            "document": {
                "diagnostics": [{"severity": "warning", "message": "m", "row": 3, "column": "分值"}]
            },
        }
    )
    (diagnostic,) = read_json_text(text).diagnostics
    assert (diagnostic.severity, diagnostic.row, diagnostic.column) == (Severity.WARNING, 3, "分值")
