"""The Word outputs' many rows and paragraphs equal the cell-by-cell, paragraph-by-paragraph path.

Filling every cell through python-docx's objects took minutes at 100,000 rows
(benchmarks/bench_report.py); the 自评表's rows and the 自评报告's paragraphs are now laid
out once per kind and written as the document's XML text (``docx.StreamedXml``).
These tests render the same evaluations both ways and compare the document XML byte
for byte, on texts python-docx writes differently (empty, tabs, line breaks, outer
spaces), on XML's own characters, and on tables whose level cells merge down.
"""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

pytest.importorskip("docx")

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfscore import Indicator, evaluate
from perfscore.readers import read
from perfscore.report import docx as word
from perfscore.score.rollup import Evaluation

EXAMPLES = Path(__file__).parents[2] / "examples" / "data"


def _xml(evaluation: Evaluation, fast: bool, monkeypatch: pytest.MonkeyPatch) -> bytes:
    with monkeypatch.context() as patch:
        patch.setattr(word, "_FAST_ROWS", fast)
        data = word.to_docx(evaluation)
    return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")


def _same(evaluation: Evaluation, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _xml(evaluation, True, monkeypatch)
    assert fast == _xml(evaluation, False, monkeypatch)
    assert b"perfscoreRows" not in fast  # the marker row the streamed rows replace


def test_an_empty_table_and_texts_xml_escapes(monkeypatch: pytest.MonkeyPatch) -> None:
    """No indicator rows (the marker row replaced by nothing), and texts with XML's own
    characters and non-BMP characters, which the streamed rows escape as lxml does."""
    _same(evaluate([]), monkeypatch)
    texts = ["a&b", "<tag>", "x>y", "&amp;", "😀指标", "引号\"'", "\u2028", "]]>"]
    rows = [
        Indicator(row=n, level1="产出指标", level2=text, level3=text, target=text,
                  actual=text, weight=Decimal(1), reason=text)
        for n, text in enumerate(texts, start=1)
    ]  # fmt: skip
    _same(evaluate(rows), monkeypatch)


def test_copied_rows_equal_filled_rows_on_the_seed(monkeypatch: pytest.MonkeyPatch) -> None:
    document = read(EXAMPLES / "tianjin-2024-self-evaluation.txt")
    _same(evaluate(document.indicators), monkeypatch)


AWKWARD = ["", " ", "  前后空格 ", "\t制表", "两行\n文字", "回车\r", "≥95%", "<&>\"'", "x"]


def test_awkward_texts_are_written_as_python_docx_writes_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rows = [
        Indicator(
            row=k + 1,
            level1=AWKWARD[k % len(AWKWARD)] or "产出指标",
            level2=["数量指标", "数量指标", "质量指标"][k % 3],
            level3=AWKWARD[(k + 1) % len(AWKWARD)],
            target=AWKWARD[(k + 2) % len(AWKWARD)],
            actual=AWKWARD[(k + 3) % len(AWKWARD)],
            weight=Decimal(5),
            published=None if k % 4 == 0 else Decimal(4),
            reason=AWKWARD[(k + 4) % len(AWKWARD)],
        )
        for k in range(3 * len(AWKWARD))
    ]
    _same(evaluate(rows), monkeypatch)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["产出指标", "效益指标", "满意度指标"]),
            st.sampled_from(["数量指标", "质量指标", ""]),
            st.text(st.sampled_from("指标 \t\n≥9%万元x"), max_size=6),
            st.text(st.sampled_from("≥≤95%人 \n"), max_size=5),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_any_table_is_the_same_either_way(
    monkeypatch: pytest.MonkeyPatch, cells: list[tuple[str, str, str, str]]
) -> None:
    rows = [
        Indicator(row=n, level1=a, level2=b, level3=c, target=d, actual=d, weight=Decimal(2))
        for n, (a, b, c, d) in enumerate(cells, start=1)
    ]
    _same(evaluate(rows), monkeypatch)


def test_report_paragraphs_are_the_ones_python_docx_adds() -> None:
    """The 自评报告 adds its paragraphs in constant time, as the same XML python-docx writes."""
    import docx

    from perfscore.report.docx_report import _add_paragraph

    ours, theirs = docx.Document(), docx.Document()
    for n in range(3):
        _add_paragraph(ours).add_run(f"第{n}段")
        theirs.add_paragraph().add_run(f"第{n}段")
    assert ours.element.xml == theirs.element.xml
    assert ours.element.body[-1].tag.endswith("sectPr")


def test_report_of_many_lost_rows_names_each_row_once(tmp_path: Path) -> None:
    """Every lost row's paragraph carries its own target and actual (looked up by row)."""
    from perfscore.report.docx_report import to_docx_report

    rows = [
        Indicator(row=n, level1="产出指标", level2="数量指标", level3=f"指标{n}",
                  target=f"≥{n + 10}个", actual=f"{n}个", weight=Decimal(1))
        for n in range(1, 41)
    ]  # fmt: skip
    data = to_docx_report(evaluate(rows))
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    for n in (1, 17, 40):
        assert f"年度指标值≥{n + 10}个，实际完成值{n}个" in xml


def _report_parts(evaluation: Evaluation, copies: bool, monkeypatch: pytest.MonkeyPatch) -> dict:
    from perfscore.report import docx_report

    with monkeypatch.context() as patch:
        patch.setattr(docx_report, "_COPY_PARAGRAPHS", copies)
        data = docx_report.to_docx_report(evaluation)
    package = zipfile.ZipFile(io.BytesIO(data))
    parts = {name: package.read(name) for name in package.namelist()}
    assert b"perfscoreParagraphs" not in parts["word/document.xml"]  # the marker replaced
    return parts


def test_report_paragraphs_copied_equal_laid_out_on_the_examples(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The 自评报告 lays out each kind of paragraph once and copies it: every part of the
    package is byte for byte what laying out each paragraph through python-docx gives."""
    for name in ("tianjin-2024-self-evaluation.txt", "tianjin-2024.xlsx", "department-2024.csv"):
        for recompute in (False, True):
            evaluation = evaluate(read(EXAMPLES / name).indicators, recompute=recompute)
            copied = _report_parts(evaluation, True, monkeypatch)
            assert copied == _report_parts(evaluation, False, monkeypatch)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.text(st.sampled_from("指标 \t\n\r≥9%万元x　"), max_size=8),
            st.text(st.sampled_from("≥≤95%人 \n\t"), max_size=5),
            st.text(st.sampled_from("原因 \t\n。x"), max_size=6),
        ),
        min_size=1,
        max_size=10,
    )
)
def test_report_paragraphs_are_the_same_either_way(
    monkeypatch: pytest.MonkeyPatch, cells: list[tuple[str, str, str]]
) -> None:
    """Texts python-docx writes specially (tabs, line breaks, outer and full-width spaces,
    empty) in lost rows, their reasons and the findings: the same package either way."""
    rows = [
        Indicator(row=n, level1="产出指标", level2="数量指标", level3=name or "指标",
                  target=f"≥{n + 10}{target}", actual=f"{n}{target}", weight=Decimal(2),
                  reason=reason)
        for n, (name, target, reason) in enumerate(cells, start=1)
    ]  # fmt: skip
    evaluation = evaluate(rows)
    assert _report_parts(evaluation, True, monkeypatch) == _report_parts(
        evaluation, False, monkeypatch
    )


def test_report_paragraphs_with_xml_characters_and_no_rows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The 自评报告's paragraphs are written as text: XML's own characters, characters beyond
    the BMP and an empty table come out as python-docx writes them."""
    names = ["a&b", "<标签>", "x>y", "😀指标", "]]>", "&amp;"]
    rows = [
        Indicator(row=n, level1="产出指标", level2="数量指标", level3=name,
                  target=f"≥{n + 10}个", actual=f"{n}个", weight=Decimal(2), reason=name)
        for n, name in enumerate(names, start=1)
    ]  # fmt: skip
    for evaluation in (evaluate(rows), evaluate([])):
        copied = _report_parts(evaluation, True, monkeypatch)
        assert copied == _report_parts(evaluation, False, monkeypatch)
