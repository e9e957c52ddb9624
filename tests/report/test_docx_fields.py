"""Tests for report.docx_fields: the one field set of the Word outputs and user templates."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from perfscore.readers import read
from perfscore.report import docx_fields
from perfscore.report.docx_fields import FIELD_NAMES
from perfscore.review.audit import audit
from perfscore.score.rollup import evaluate_document

SEED = Path(__file__).parents[2] / "examples/data/tianjin-2024-self-evaluation.txt"
DOCS = Path(__file__).parents[2] / "docs/word-output.md"


@pytest.fixture(scope="module")
def fields() -> dict[str, object]:
    """Seed 002's fields, with the audit's findings."""
    document = read(SEED)
    evaluation = evaluate_document(document)
    return docx_fields(evaluation, document, audit(evaluation, document))


def test_fields_are_the_documented_set(fields: dict[str, object]) -> None:
    """The dictionary has exactly FIELD_NAMES, and docs/word-output.md lists every one."""
    assert tuple(fields) == FIELD_NAMES
    rows = [
        line for line in DOCS.read_text(encoding="utf-8").splitlines() if line.startswith("| `")
    ]
    documented = {name for row in rows for name in re.findall(r"`(\w+)", row.split("|")[1])}
    assert set(FIELD_NAMES) - documented == set()


def test_values_are_display_texts(fields: dict[str, object]) -> None:
    """Totals and scores are texts with the scheme's places, as ``score`` shows them."""
    assert (fields["total"], fields["grade"], fields["computed_total"]) == ("93.95", "优", "95.43")
    budget = fields["budget"]
    assert isinstance(budget, dict)
    assert (budget["rate"], budget["score"], budget["weight"]) == ("96.47%", "9.65", "10")
    indicators = fields["indicators"]
    assert isinstance(indicators, list)
    assert len(indicators) == 60
    assert indicators[0]["score"] == "1.00"


def test_problems_keep_chinese_and_formulas(fields: dict[str, object]) -> None:
    """存在的问题 drop the English glosses but keep a formula's parentheses intact."""
    problems = fields["problems"]
    assert isinstance(problems, list)
    text = "\n".join(problems)
    assert "(full marks kept)" not in text
    assert "(no reason given)" not in text
    assert "(1 − (B−A)/A)" in text
    assert problems[1] == "预算执行率为96.47%，未全部执行。"


def test_measures_are_the_units_own_words(fields: dict[str, object]) -> None:
    """改进措施 quote the form's reasons, the budget's first."""
    measures = fields["measures"]
    assert isinstance(measures, list)
    assert measures[0].startswith("预算执行：主要原因是天津医学健康研究院项目")
    assert any(m.startswith("引领京冀项目") and "未能准确计算" in m for m in measures)


@pytest.mark.parametrize("renderer", ["docx", "docx_report"])
def test_the_package_name_stays_the_function_after_a_renderer_loads(renderer: str) -> None:
    """Loading the Word renderers first (to_docx, then docx_fields) must not leave the
    module where the function is expected: a fresh interpreter, that import order."""
    import subprocess
    import sys

    code = (
        f"import perfscore.report.{renderer}\n"
        "from perfscore.report import docx_fields\n"
        "assert callable(docx_fields), docx_fields\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
