"""What each endpoint computes, without HTTP: the CLI's JSON for the same input.

Each function takes what the request gave (rows, a saved file, texts) and returns an
:class:`Answer`: the JSON text ``perfscore … --format json`` would print, byte for
byte, and whether the CLI would have exited with status 1.  Errors are raised as
:class:`~perfscore.service.problems.Problem` with the CLI's message.  These run in
worker threads: they share nothing mutable (scoring is pure; schemes are loaded once).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from ..errors import PerfscoreError, ReadError
from .problems import Problem, from_error

if TYPE_CHECKING:
    from ..documents import Document
    from ..score.scheme import Scheme

__all__ = [
    "Answer",
    "Options",
    "audit_file",
    "lint_file",
    "parse_texts",
    "read_file",
    "score_documents",
    "score_rows",
]


@attrs.frozen
class Options:
    """The query parameters ``score`` and ``audit`` share (as the CLI's options)."""

    scheme: Scheme
    recompute: bool = False
    year: int | None = None
    budget: Decimal | None = None
    executed: Decimal | None = None
    sheet: str | None = None


@attrs.frozen
class Answer:
    """A 200 answer: the JSON text, and whether the CLI would exit with status 1."""

    body: str
    problems: bool


_SURROGATES = re.compile("[\ud800-\udfff]")


def _text(json_text: str) -> str:
    """As the CLI writes it: a final newline, a lone surrogate (from JSON input) as ``�``."""
    return _SURROGATES.sub("\ufffd", json_text) + "\n"


ROWS_OVER = (
    "指标行过多（{rows} 行，上限 {limit} 行）：请按项目拆分后分别评分"
    " ({rows} indicator rows, over the limit of {limit}: split the document by project)"
)


def check_rows(documents: Sequence[Document], limit: int) -> None:
    """Refuse (413) documents with more indicator rows than ``limit`` in all."""
    rows = sum(len(d.indicators) for d in documents)
    if rows > limit:
        raise Problem(413, "too-large", ROWS_OVER.format(rows=rows, limit=limit))


# --- reading ----------------------------------------------------------------------------


def read_file(path: Path, sheet: str | None, *, every_sheet: bool) -> list[Document]:
    """The documents in a saved upload: the named sheet, or (``every_sheet``) all project sheets.

    As ``perfscore score`` reads them; ``audit`` and ``lint`` read one document.
    """
    from ..readers import read, read_all

    if sheet is not None or not every_sheet:
        return [read(path, sheet=sheet)]
    return read_all(path)


BAD_BODY_JSON = "JSON 格式错误"  # how read_json_text's message for malformed JSON begins


def rows_document(body: bytes) -> Document:
    """The document in a ``perfscore.evaluation`` JSON body (or a bare list of rows)."""
    from ..readers.json_reader import read_json_text

    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Problem(
            400, "bad-request", "请求体应为 UTF-8 编码的 JSON (the body must be UTF-8 JSON)"
        ) from None
    try:
        return read_json_text(text)
    except ReadError as error:
        problem = from_error(error)
        if error.message.startswith(BAD_BODY_JSON):
            problem.status, problem.code = 400, "bad-request"
        raise problem from None


# --- score ------------------------------------------------------------------------------


def score_rows(body: bytes, options: Options, max_rows: int) -> Answer:
    """``POST /score``: rows given as JSON, scored as ``perfscore score rows.json``."""
    document = rows_document(body)
    check_rows([document], max_rows)
    return score_documents([document], options)


def score_documents(documents: Sequence[Document], options: Options) -> Answer:
    """``perfscore score FILE --format json``: one evaluation, or a workbook of several sheets."""
    if not documents:
        raise Problem(422, "unreadable", "文件中没有可评分的表格 (nothing to score in the file)")
    outputs: list[str] = []
    problems = False
    for document in documents:
        output, failed = _score_one(document, options)
        outputs.append(output)
        problems = problems or failed
    from ..report.outputs import workbook_json

    named = [(d.sheet, t) for d, t in zip(documents, outputs, strict=True)]
    return Answer(_text(workbook_json(named, documents[0].path)), problems)


def _loads(text: str) -> object:
    import json

    return json.loads(text)


def _score_one(document: Document, options: Options) -> tuple[str, bool]:
    """As the CLI's ``_score_document``: the JSON and whether the CLI would exit 1."""
    from .. import report
    from ..review.audit import audit
    from ..score.rollup import evaluate_document

    changes: dict[str, Any] = {}
    if options.year is not None:
        changes["year"] = options.year
    if options.budget is not None:
        changes |= {"budget": options.budget, "executed": options.executed}
    document = attrs.evolve(document, **changes) if changes else document
    try:
        evaluation = evaluate_document(document, scheme=options.scheme, recompute=options.recompute)
    except (PerfscoreError, ValueError) as error:
        where = f"{document.path}: " if document.path else ""
        raise Problem(422, "unreadable", f"{where}{error}") from None
    findings = audit(evaluation, document)
    output = report.to_json(evaluation, document=document, findings=findings)
    # The one verdict decides, as it decides the CLI's exit status.
    return output, not evaluation.graded


# --- parse, audit, lint -----------------------------------------------------------------


def parse_texts(texts: Sequence[str], actual: bool, scheme: Scheme) -> Answer:
    """``perfscore parse TEXT… --format json`` (``--actual`` with ``actual``)."""
    from ..report.outputs import dumps, parse_data, parse_result

    results = [parse_result(text, actual, scheme.phrases) for text in texts]
    failed = any("error" in r for r in results)
    return Answer(_text(dumps(parse_data(results))), failed)


def audit_file(document: Document, options: Options, name: str) -> Answer:
    """``perfscore audit FILE --format json``."""
    from ..report.outputs import dumps, findings_data
    from ..review.audit import audit
    from ..score.rollup import evaluate_document

    evaluation = evaluate_document(
        document,
        scheme=options.scheme,
        year=options.year,
        budget=options.budget,
        executed=options.executed,
    )
    findings = audit(evaluation, document)
    return Answer(_text(dumps(findings_data(findings, "audit", name))), _failed(findings, document))


def lint_file(document: Document, name: str) -> Answer:
    """``perfscore lint FILE --format json``."""
    from ..report.outputs import dumps, lint_data
    from ..review.verdict import review_table

    findings, verdicts = review_table(document)
    return Answer(_text(dumps(lint_data(findings, verdicts, name))), _failed(findings, document))


def _failed(findings: Sequence[object], document: Document) -> bool:
    from ..documents import Severity

    return document.has_errors or any(
        getattr(f, "severity", None) is Severity.ERROR for f in findings
    )
