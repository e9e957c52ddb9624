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

import functools
import os
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from .. import readers
from ..documents import Document, DocumentKind, Severity
from ..errors import PerfscoreError
from ..review import audit
from ..review.findings import FindingSeverity
from ..score.rollup import evaluate, evaluate_document
from ..score.scheme import Scheme, load_scheme
from ..score.verdict import VerdictStatus
from ._pool import map_in_order
from .discovery import SUFFIXES, Found, display_path, survey
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
    SKIPPED,
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
    "survey",
]

# Seconds a worker may spend on one file before it is stopped and the file retried once.
FILE_TIMEOUT = 600.0


def discover(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """Expand files, folders (recursively, :data:`SUFFIXES` only) and glob patterns.

    A path that matches nothing is kept as given, so that the summary reports it
    as failed instead of silently dropping it.  Duplicates are listed once.
    Paths skipped (other formats, lock files) are left out: :func:`survey` lists
    them with the reason.
    """
    return [found.path for found in survey(paths) if found.status != SKIPPED]


def _failed(file: str, sheet: str, reason: str, status: str = FAILED) -> Row:
    row: Row = dict.fromkeys(PROJECT_COLUMNS)
    file = display_path(file)
    row.update(status=status, file=file, sheet=sheet, grade=NOT_GRADED, reason=reason, indicators=0)
    return row


def _unscored(found: Found) -> FileResult:
    """The summary row of a path that was not scored (failed or skipped, with the reason)."""
    return FileResult(found.path, (_failed(found.path, "", found.reason, found.status),), ())


# The scheme of the last call, by name and (for a scheme file) the file's identity and
# modification time: a batch loads its scheme once per process, not once per file.
_last_scheme: tuple[object, Scheme] | None = None


def _scheme(name: str | None) -> Scheme:
    """``load_scheme(name)``, loaded again only when the name or the scheme file changes."""
    global _last_scheme
    key: object = name
    if name is not None:
        try:
            info = os.stat(name)
            key = (name, info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)
        except (OSError, ValueError):
            key = (name, None)
    if _last_scheme is not None and _last_scheme[0] == key:
        return _last_scheme[1]
    scheme = load_scheme(name)
    _last_scheme = (key, scheme)
    return scheme


def score_file(path: str, scheme_name: str | None = None, recompute: bool = False) -> FileResult:
    """Read every sheet and project of ``path`` and score it; never raises for bad input."""
    scheme = _scheme(scheme_name)
    projects: list[Row] = []
    indicators: list[Row] = []
    if not Path(path).is_file():
        reason = "找不到文件 (file not found)"
        return FileResult(path, (_failed(path, "", reason),), ())
    try:
        # Every sheet of a workbook, opened once; sheets with no table come out as EMPTY.
        # Looked up on the module at each call, so that tests can make the reader fail.
        documents = readers.read_all(path, every_sheet=True)
    except PerfscoreError as error:
        return FileResult(path, (_failed(path, "", str(error)),), ())
    except Exception as error:  # a reader bug must not stop a national batch
        reason = f"读取失败 (could not read: {type(error).__name__}: {error})"
        return FileResult(path, (_failed(path, "", reason),), ())
    shown = display_path(path)  # a GBK file name from a Windows archive, as text
    for document in documents:
        sheet = document.sheet or ""
        found: tuple[list[Row], list[Row]] = ([], [])
        try:
            _score_document(document, shown, sheet, scheme, recompute, *found)
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
        # Only the counts are shown: the audit fits the table's convention only if it matters.
        counts = audit.finding_counts(evaluation, document if single else None)
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
    timeout: float = FILE_TIMEOUT,
) -> Generator[FileResult, None, None]:
    """Score ``files`` in ``jobs`` processes (default: every core), yielding in input order.

    At most ``4 × jobs`` files are in flight at once, so a huge batch never
    queues every result in memory.  ``jobs=1`` scores in this process.  A worker
    that dies (out of memory) or spends over ``timeout`` seconds on a file is
    stopped; the files it held are retried once, each alone, and then listed as
    failed with the reason (see :mod:`perfscore.scale._pool`).
    """
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1:
        for file in files:
            yield score_file(file, scheme, recompute)
        return
    load_scheme(scheme)  # fail fast on a bad scheme, before starting workers
    score = functools.partial(score_file, scheme_name=scheme, recompute=recompute)
    yield from map_in_order(score, files, jobs=jobs, timeout=timeout, on_failure=_worker_failed)


def _worker_failed(file: str, reason: str) -> FileResult:
    return FileResult(file, (_failed(file, "", reason),), ())


def run_batch(
    paths: Iterable[str | os.PathLike[str]],
    writer: SummaryWriter,
    *,
    jobs: int | None = None,
    scheme: str | None = None,
    recompute: bool = False,
    progress: Callable[[Iterator[FileResult], int], Iterator[FileResult]] | None = None,
    timeout: float = FILE_TIMEOUT,
) -> dict[str, int]:
    """Score every file under ``paths`` into ``writer``; return counts by project status.

    ``progress`` wraps the stream of results (e.g. ``tqdm``) given the path count.
    The writer's outputs (its ``outputs``) are never read as inputs.  The writer is
    closed — its files put in place — only when every path is written; if scoring
    stops with an error (or Ctrl-C), the writer is aborted and the previous
    outputs stay as they were.
    """
    found = survey(paths, exclude=getattr(writer, "outputs", ()))
    counts = dict.fromkeys((SCORED, NEEDS_REVIEW, EMPTY, FAILED, SKIPPED), 0)
    counts["files"] = len(found)
    scored = score_files(
        [f.path for f in found if not f.status],
        jobs=jobs,
        scheme=scheme,
        recompute=recompute,
        timeout=timeout,
    )
    results = _in_order(found, scored)
    if progress is not None:
        results = progress(results, len(found))
    try:
        for result in results:
            writer.write(result)
            for project in result.projects:
                counts[project["status"]] += 1
    except BaseException:
        scored.close()  # stop the workers now, not when the generator is collected
        abort = getattr(writer, "abort", None)
        (abort or writer.close)()
        raise
    writer.close()
    return counts


def _in_order(found: Sequence[Found], scored: Iterator[FileResult]) -> Iterator[FileResult]:
    """Every path's result in survey order: unscored paths' rows between the scored ones."""
    for entry in found:
        yield _unscored(entry) if entry.status else next(scored)
