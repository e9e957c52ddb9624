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

import csv
import glob
import json
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

import attrs

from ..documents import Document, DocumentKind, Severity
from ..errors import PerfscoreError
from ..review.findings import FindingSeverity
from ..score.scheme import load_scheme
from .frames import FRAME_COLUMNS, score_record

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
FORMATS = ("xlsx", "csv", "jsonl", "parquet")
NOT_GRADED = "未评级 (not graded)"

# Project statuses, worst last.  Each says in one word why a project has or has no grade.
SCORED = "scored"  # every row read and scored: total and grade are final
NEEDS_REVIEW = "needs_review"  # rows a person must score, or reading problems
EMPTY = "empty"  # the file or sheet holds no indicator rows
FAILED = "failed"  # the file could not be read at all

PROJECT_COLUMNS: tuple[str, ...] = (
    "status",
    "file",
    "sheet",
    "unit",
    "project",
    "total",
    "grade",
    "indicators",
    "needs_review",
    "findings_error",
    "findings_warning",
    "findings_info",
    "reason",
)
# One row per indicator: where it is, then the columns of a scored DataFrame.
INDICATOR_COLUMNS: tuple[str, ...] = ("file", "sheet", "project", *FRAME_COLUMNS)
# Columns holding exact Decimals (or None); the rest are text, except the integer counts.
DECIMAL_COLUMNS = frozenset({"total", "weight", "published", "computed", "counted"})
INTEGER_COLUMNS = frozenset(
    {"row", "indicators", "needs_review", "findings_error", "findings_warning", "findings_info"}
)

Row = dict[str, Any]


@attrs.frozen
class FileResult:
    """What one input file gave: a project row per project (or one failed row) and its rows."""

    file: str
    projects: tuple[Row, ...]
    indicators: tuple[Row, ...]

    @property
    def failed(self) -> bool:
        """Whether the file could not be read."""
        return any(p["status"] == FAILED for p in self.projects)


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
    for project in document.projects:
        if single:
            evaluation = evaluate_document(document, scheme=scheme, recompute=recompute)
        else:
            evaluation = evaluate(project.indicators, scheme=scheme, recompute=recompute)
        findings = audit(evaluation, document if single else None)
        counts = {s: sum(1 for f in findings if f.severity is s) for s in FindingSeverity}
        review = len(evaluation.needs_review)
        reasons = []
        if document.kind is DocumentKind.TARGET_TABLE:
            reasons.append("绩效目标表，无实际完成值 (a target table has no actuals to grade)")
        if review:
            reasons.append(f"{review} 项指标需人工复核 ({review} rows need review)")
        if read_errors:
            reasons.append(
                f"读取时发现 {len(read_errors)} 个错误 ({len(read_errors)} reading errors):"
                f" {read_errors[0]}"
            )
        if evaluation.execution is None and evaluation.indicator_weight != 100:
            reasons.append(
                "缺少预算执行数据且指标分值合计不等于 100"
                " (no execution data and weights do not add up to 100)"
            )
        over = sum(1 for s in evaluation.scores if s.counted > s.weight)
        if over:
            reasons.append(f"{over} 项得分超过分值 ({over} rows score above their weight)")
        if evaluation.total > 100:
            reasons.append(
                f"总分 {evaluation.total} 超过 100 (total {evaluation.total} is above 100)"
            )
        if not evaluation.scores:
            status = EMPTY
            reasons.append("没有指标行 (no indicator rows)")
        else:
            status = NEEDS_REVIEW if reasons else SCORED
        name = project.name or document.department or Path(file).stem
        projects.append(
            {
                "status": status,
                "file": file,
                "sheet": sheet,
                "unit": project.unit or document.department,
                "project": name,
                "total": evaluation.total,
                "grade": evaluation.grade if status == SCORED else NOT_GRADED,
                "indicators": len(evaluation.scores),
                "needs_review": review,
                "findings_error": counts[FindingSeverity.ERROR],
                "findings_warning": counts[FindingSeverity.WARNING],
                "findings_info": counts[FindingSeverity.INFO],
                "reason": "; ".join(reasons),
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


class SummaryWriter(Protocol):
    """Where :func:`run_batch` puts rows as they arrive."""

    def write(self, result: FileResult) -> None:
        """Write one file's project and indicator rows."""

    def close(self) -> None:
        """Finish the output files."""


def _text(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:f}"
    return "" if value is None else value


class _CsvWriter:
    def __init__(self, path: Path) -> None:
        indicators = path.with_name(path.stem + "-indicators" + (path.suffix or ".csv"))
        # newline="" because the csv module writes its own line ends; BOM for Excel.
        self._files = [
            open(p, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115 closed in close()
            for p in (path, indicators)
        ]
        self._projects = csv.DictWriter(self._files[0], PROJECT_COLUMNS)
        self._indicators = csv.DictWriter(self._files[1], INDICATOR_COLUMNS)
        self._projects.writeheader()
        self._indicators.writeheader()

    def write(self, result: FileResult) -> None:
        self._projects.writerows({k: _text(v) for k, v in p.items()} for p in result.projects)
        self._indicators.writerows({k: _text(v) for k, v in i.items()} for i in result.indicators)

    def close(self) -> None:
        for file in self._files:
            file.close()


class _JsonLinesWriter:
    def __init__(self, path: Path) -> None:
        self._file = open(path, "w", encoding="utf-8")  # noqa: SIM115 closed in close()

    def write(self, result: FileResult) -> None:
        for record, rows in (("project", result.projects), ("indicator", result.indicators)):
            for row in rows:
                # Decimals as strings so that no reader turns 93.95 into a float.
                line = {"record": record, **{k: _json(v) for k, v in row.items()}}
                self._file.write(json.dumps(line, ensure_ascii=False) + "\n")

    def close(self) -> None:
        self._file.close()


def _json(value: Any) -> Any:
    return f"{value:f}" if isinstance(value, Decimal) else value


class _XlsxWriter:
    def __init__(self, path: Path) -> None:
        import openpyxl

        self._path = path
        # write_only streams rows to temporary files: memory stays flat.
        self._book = openpyxl.Workbook(write_only=True)
        self._projects = self._book.create_sheet("项目")
        self._indicators = self._book.create_sheet("指标")
        self._projects.append(list(PROJECT_COLUMNS))
        self._indicators.append(list(INDICATOR_COLUMNS))
        # Tallies for the summary charts: a few counters, whatever the batch's size.
        self._grades: dict[str, int] = {}
        self._bands: dict[str, int] = dict.fromkeys(_BANDS, 0)

    def write(self, result: FileResult) -> None:
        for row in result.projects:
            self._projects.append([_cell(row[c]) for c in PROJECT_COLUMNS])
            label = row["grade"] if row["status"] == SCORED else _STATUS_NAMES[row["status"]]
            self._grades[label] = self._grades.get(label, 0) + 1
            if row["status"] == SCORED and row["total"] is not None:
                self._bands[_band(row["total"])] += 1
        for row in result.indicators:
            self._indicators.append([_cell(row[c]) for c in INDICATOR_COLUMNS])

    def close(self) -> None:
        self._charts()
        self._book.save(self._path)

    def _charts(self) -> None:
        """A 图表 sheet: projects by grade (or why not graded), graded totals by band."""
        from openpyxl.chart import BarChart, Reference
        from openpyxl.chart.data_source import AxDataSource, StrRef

        sheet = self._book.create_sheet("图表")
        grades = sorted(self._grades.items(), key=lambda item: _GRADE_ORDER.get(item[0], 99))
        tables = [
            ("等级 / 状态", "项目数", grades),
            ("总分区间（已评级）", "项目数", list(self._bands.items())),
        ]
        row = 1
        for (label, count, items), title in zip(tables, ("各等级项目数", "总分分布"), strict=True):
            sheet.append([label, count])
            for name, n in items:
                sheet.append([name, n])
            chart = BarChart()
            chart.title = title
            chart.legend = None
            chart.y_axis.scaling.min = 0
            last = row + max(len(items), 1)
            chart.add_data(
                Reference(sheet, min_col=2, min_row=row, max_row=last), titles_from_data=True
            )
            labels = Reference(sheet, min_col=1, min_row=row + 1, max_row=last)
            for series in chart.series:
                series.cat = AxDataSource(strRef=StrRef(f=str(labels)))
            sheet.add_chart(chart, f"D{row}")
            for _ in range(max(16 - len(items), 2)):
                sheet.append([])
            row = last + max(16 - len(items), 2) + 1


# Total bands of graded projects, and the order grades and statuses are charted in.
_BANDS = ("<60", "60–70", "70–80", "80–90", "90–100", ">100")
_GRADE_ORDER = {"优": 0, "良": 1, "中": 2, "差": 3, "需复核": 4, "无指标": 5, "读取失败": 6}
_STATUS_NAMES = {NEEDS_REVIEW: "需复核", EMPTY: "无指标", FAILED: "读取失败", SCORED: "已评级"}


def _band(total: Decimal) -> str:
    if total < 60:
        return _BANDS[0]
    if total > 100:
        return _BANDS[-1]
    return _BANDS[min(int((total - 60) // 10) + 1, 4)]


def _cell(value: Any) -> Any:
    # Decimals go in as text so that Excel shows 1.50 as written, never a binary float.
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, str) and value.startswith("="):
        # openpyxl stores "=…" as a formula; the readers undo this quote on the way back.
        return "'" + value
    return value


class _ParquetWriter:
    BATCH = 2000  # rows buffered per table before a row group is written

    def __init__(self, path: Path) -> None:
        import pyarrow.parquet as pq

        from .frames import arrow_schema

        indicators = path.with_name(path.stem + "-indicators" + (path.suffix or ".parquet"))
        self._tables: list[tuple[Any, Any, list[Row], tuple[str, ...]]] = []
        for target, columns in ((path, PROJECT_COLUMNS), (indicators, INDICATOR_COLUMNS)):
            schema = arrow_schema(columns, DECIMAL_COLUMNS, INTEGER_COLUMNS)
            self._tables.append((pq.ParquetWriter(target, schema), schema, [], columns))

    def write(self, result: FileResult) -> None:
        for (_, _, buffer, _), rows in zip(
            self._tables, (result.projects, result.indicators), strict=True
        ):
            buffer.extend(rows)
        self._flush(self.BATCH)

    def _flush(self, at_least: int) -> None:
        import pyarrow as pa

        for writer, schema, buffer, columns in self._tables:
            if buffer and len(buffer) >= at_least:
                data = {c: [row[c] for row in buffer] for c in columns}
                writer.write_table(pa.table(data, schema=schema))
                buffer.clear()

    def close(self) -> None:
        self._flush(1)
        for writer, *_ in self._tables:
            writer.close()


_WRITERS: dict[str, Callable[[Path], SummaryWriter]] = {
    "csv": _CsvWriter,
    "jsonl": _JsonLinesWriter,
    "xlsx": _XlsxWriter,
    "parquet": _ParquetWriter,
}


def open_writer(path: str | os.PathLike[str], format: str | None = None) -> SummaryWriter:
    """Open a summary writer; ``format`` defaults to the output's suffix (xlsx otherwise).

    Missing folders of ``path`` are created (``-o out/summary.xlsx``).
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    chosen = format or target.suffix.lower().lstrip(".")
    if chosen not in _WRITERS:
        chosen = "xlsx"
    return _WRITERS[chosen](target)


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
