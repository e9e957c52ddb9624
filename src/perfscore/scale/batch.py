"""Score many files at once: discover, score in parallel processes, stream one summary.

:func:`discover` turns files, folders and glob patterns into a sorted list of
input files; :func:`score_files` scores them in worker processes and yields one
:class:`FileResult` per input file, in input order, as soon as each is done;
:func:`run_batch` writes those results to a :class:`SummaryWriter` as they
arrive, so memory stays flat however many files there are: a worker returns
plain rows (strings and Decimals, well under 1 KB per indicator) and the
writer puts them on disk at once.

Every input file appears in the summary.  A file that cannot be read is a
project row with status ``failed`` and its error; the batch goes on.  A
project is graded only when every row was read and scored; otherwise its
grade is ``未评级 (not graded)`` and its status says why — review, never a
guess.

The summary has two tables (columns in :data:`PROJECT_COLUMNS` and
:data:`INDICATOR_COLUMNS`):

==========  ================================================================
xlsx        one workbook, sheets ``项目`` (projects) and ``指标`` (indicators)
csv         ``OUT`` (projects) and ``OUT-indicators.csv``, UTF-8 with BOM
jsonl       one file; each line has ``"record": "project"`` or ``"indicator"``
parquet     ``OUT`` (projects) and ``OUT-indicators.parquet``, decimal128
==========  ================================================================
"""

from __future__ import annotations

import glob
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from ..documents import Document, DocumentKind, Severity
from ..errors import PerfscoreError
from ..review.findings import FindingSeverity
from ..score.scheme import load_scheme
from ..score.verdict import VerdictStatus
from .frames import score_record
from .summary import (
    EMPTY,
    FAILED,
    FORMATS,
    INDICATOR_COLUMNS,
    NEEDS_REVIEW,
    NOT_GRADED,
    PROJECT_COLUMNS,
    SCORED,
    FileResult,
    Row,
    SummaryWriter,
    open_writer,
)

__all__ = [
    "FORMATS",
    "INDICATOR_COLUMNS",
    "NOT_GRADED",
    "PROJECT_COLUMNS",
    "SUFFIXES",
    "FileResult",
    "SummaryWriter",
    "discover",
    "open_writer",
    "run_batch",
    "score_file",
    "score_files",
]

# The files a folder search picks up; an explicitly named file is read whatever its suffix.
SUFFIXES = frozenset({".xlsx", ".xlsm", ".csv", ".json", ".docx", ".txt"})


def discover(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """Expand files, folders (recursively, :data:`SUFFIXES` only) and glob patterns.

    A path that matches nothing is kept as given, so that the summary reports it
    as failed instead of silently dropping it.  Duplicates are listed once.
    """
    found: dict[str, None] = {}
    for raw in paths:
        path = os.fspath(raw)
        if Path(path).is_dir():
            matches = sorted(
                str(p)
                for p in Path(path).rglob("*")
                if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith("~$")
            )
        elif glob.has_magic(path):
            matches = sorted(p for p in glob.glob(path, recursive=True) if Path(p).is_file())
        else:
            matches = [path]
        for match in matches or [path]:
            found.setdefault(match, None)
    return list(found)


def _failed(file: str, sheet: str, reason: str) -> Row:
    row: Row = dict.fromkeys(PROJECT_COLUMNS)
    row.update(status=FAILED, file=file, sheet=sheet, grade=NOT_GRADED, reason=reason, indicators=0)
    return row


def score_file(path: str, scheme_name: str | None = None, recompute: bool = False) -> FileResult:
    """Read every sheet and project of ``path`` and score it; never raises for bad input."""
    from ..readers import read_all

    scheme = load_scheme(scheme_name)
    projects: list[Row] = []
    indicators: list[Row] = []
    if not Path(path).is_file():
        reason = "找不到文件 (file not found)"
        return FileResult(path, (_failed(path, "", reason),), ())
    try:
        # Every sheet of a workbook, opened once; sheets with no table come out as EMPTY.
        documents = read_all(path, every_sheet=True)
    except PerfscoreError as error:
        return FileResult(path, (_failed(path, "", str(error)),), ())
    except Exception as error:  # a reader bug must not stop a national batch
        reason = f"读取失败 (could not read: {type(error).__name__}: {error})"
        return FileResult(path, (_failed(path, "", reason),), ())
    for document in documents:
        sheet = document.sheet or ""
        found: tuple[list[Row], list[Row]] = ([], [])
        try:
            _score_document(document, path, sheet, scheme, recompute, *found)
        except Exception as error:  # a scoring bug fails this sheet, never the batch
            reason = f"评分失败 (could not score: {type(error).__name__}: {error})"
            projects.append(_failed(path, sheet, reason))
            continue
        projects.extend(found[0])
        indicators.extend(found[1])
    return FileResult(path, tuple(projects), tuple(indicators))


_STATUS = {
    VerdictStatus.GRADED: SCORED,
    VerdictStatus.NEEDS_REVIEW: NEEDS_REVIEW,
    VerdictStatus.EMPTY: EMPTY,
    VerdictStatus.FAILED: FAILED,
}


def _score_document(
    document: Document,
    file: str,
    sheet: str,
    scheme: Any,
    recompute: bool,
    projects: list[Row],
    indicators: list[Row],
) -> None:
    from ..review.audit import audit
    from ..score.rollup import evaluate, evaluate_document

    read_errors = [d for d in document.diagnostics if d.severity is Severity.ERROR]
    if not document.projects:
        row = _failed(file, sheet, "没有指标行 (no indicator rows)")
        row.update(status=EMPTY, unit=document.department)
        if read_errors:
            row["reason"] += "; " + str(read_errors[0])
        projects.append(row)
        return
    single = len(document.projects) == 1
    errors = [str(d) for d in read_errors]
    for project in document.projects:
        if single:
            evaluation = evaluate_document(document, scheme=scheme, recompute=recompute)
        else:
            evaluation = evaluate(
                project.indicators,
                scheme=scheme,
                recompute=recompute,
                target_table=document.kind is DocumentKind.TARGET_TABLE,
                read_errors=errors,
            )
        findings = audit(evaluation, document if single else None)
        counts = {s: sum(1 for f in findings if f.severity is s) for s in FindingSeverity}
        review = len(evaluation.needs_review)
        # The status and grade are the verdict's (score/verdict.py), as `score`'s exit is.
        verdict = evaluation.verdict
        status = _STATUS[verdict.status]
        name = project.name or document.department or Path(file).stem
        projects.append(
            {
                "status": status,
                "file": file,
                "sheet": sheet,
                "unit": project.unit or document.department,
                "project": name,
                "total": evaluation.total,
                "grade": verdict.grade if verdict.graded else NOT_GRADED,
                "indicators": len(evaluation.scores),
                "needs_review": review,
                "findings_error": counts[FindingSeverity.ERROR],
                "findings_warning": counts[FindingSeverity.WARNING],
                "findings_info": counts[FindingSeverity.INFO],
                "reason": "; ".join(str(r) for r in (*verdict.reasons, *verdict.notes)),
            }
        )
        indicators.extend(
            {"file": file, "sheet": sheet, "project": name, **score_record(score)}
            for score in evaluation.scores
        )


def score_files(
    files: Sequence[str],
    *,
    jobs: int | None = None,
    scheme: str | None = None,
    recompute: bool = False,
) -> Iterator[FileResult]:
    """Score ``files`` in ``jobs`` processes (default: every core), yielding in input order.

    At most ``4 × jobs`` files are in flight at once, so a huge batch never
    queues every result in memory.  ``jobs=1`` scores in this process.
    """
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1:
        for file in files:
            yield score_file(file, scheme, recompute)
        return
    load_scheme(scheme)  # fail fast on a bad scheme, before starting workers
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pending: deque[Future[FileResult]] = deque()
        for file in files:
            pending.append(pool.submit(score_file, file, scheme, recompute))
            if len(pending) >= 4 * jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def run_batch(
    paths: Iterable[str | os.PathLike[str]],
    writer: SummaryWriter,
    *,
    jobs: int | None = None,
    scheme: str | None = None,
    recompute: bool = False,
    progress: Callable[[Iterator[FileResult], int], Iterator[FileResult]] | None = None,
) -> dict[str, int]:
    """Score every file under ``paths`` into ``writer``; return counts by project status.

    ``progress`` wraps the stream of results (e.g. ``tqdm``) given the file count.
    The writer is closed even when scoring stops with an error.
    """
    files = discover(paths)
    counts = {SCORED: 0, NEEDS_REVIEW: 0, EMPTY: 0, FAILED: 0, "files": len(files)}
    results = score_files(files, jobs=jobs, scheme=scheme, recompute=recompute)
    if progress is not None:
        results = progress(results, len(files))
    try:
        for result in results:
            writer.write(result)
            for project in result.projects:
                counts[project["status"]] += 1
    finally:
        writer.close()
    return counts
