"""The batch summary's writers: XLSX, CSV, JSON lines and Parquet, one row at a time.

:func:`open_writer` picks a :class:`SummaryWriter` by format or suffix;
:func:`perfscore.scale.batch.run_batch` hands it each file's rows as they arrive, so
memory stays flat.  The columns and project statuses are defined here, once.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

import attrs

from .._safe import neutralise, safe_text
from . import summary_xlsx
from ._atomic import AtomicOutputs
from .frames import FRAME_COLUMNS

__all__ = [
    "FORMATS",
    "INDICATOR_COLUMNS",
    "NOT_GRADED",
    "PROJECT_COLUMNS",
    "FileResult",
    "SummaryWriter",
    "open_writer",
]


FORMATS = ("xlsx", "csv", "jsonl", "parquet")
NOT_GRADED = "未评级 (not graded)"

# Project statuses, worst last.  Each says in one word why a project has or has no grade.
SCORED = "scored"  # every row read and scored: total and grade are final
NEEDS_REVIEW = "needs_review"  # rows a person must score, or reading problems
EMPTY = "empty"  # the file or sheet holds no indicator rows
FAILED = "failed"  # the file could not be read at all
SKIPPED = "skipped"  # met in a folder but not an input: another format, a lock file, the output

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
_PROJECT_KEYS = frozenset(PROJECT_COLUMNS)
_INDICATOR_KEYS = frozenset(INDICATOR_COLUMNS)


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


class SummaryWriter(Protocol):
    """Where :func:`run_batch` puts rows as they arrive."""

    def write(self, result: FileResult) -> None:
        """Write one file's project and indicator rows."""

    def close(self) -> None:
        """Finish the output files and put them in place (the previous ones until then)."""


class _Atomic:
    """A writer whose files are put in place whole by ``close`` (see :mod:`._atomic`)."""

    _out: AtomicOutputs

    @property
    def outputs(self) -> tuple[Path, ...]:
        """The files this writer puts in place: never read back as inputs."""
        return self._out.outputs


def _text(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, str):
        return neutralise(value)  # names and cell texts never run as formulas
    return "" if value is None else value


def _cells(
    row: Row, columns: tuple[str, ...], known: frozenset[str], seen: dict[str, str]
) -> list[Any]:
    """``row``'s cells in ``columns`` order, as :func:`_text` writes them ("" when missing).

    What :class:`csv.DictWriter` did, without a dict per row: a key not in ``columns``
    raises the same error.  ``seen`` holds the file's texts already made safe (its name,
    sheet, project and level names repeat on every row).
    """
    if not known.issuperset(row):
        wrong = row.keys() - known
        raise ValueError("dict contains fields not in fieldnames: " + ", ".join(map(repr, wrong)))
    cells: list[Any] = []
    append = cells.append
    for value in map(row.get, columns):
        if type(value) is str:
            cell = seen.get(value)
            if cell is None:
                cell = seen[value] = neutralise(value)
            append(cell)
        elif value is None:
            append("")
        elif type(value) is Decimal:
            # str() is f"{value:f}" unless it writes an exponent (1E+1, 1E-7), and faster.
            text = str(value)
            append(text if "E" not in text else f"{value:f}")
        else:
            append(_text(value))
    return cells


class _CsvWriter(_Atomic):
    def __init__(self, path: Path) -> None:
        self._out = AtomicOutputs((path, companion(path, ".csv")))
        # newline="" because the csv module writes its own line ends; BOM for Excel.
        self._files = [
            open(p, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115 closed in close()
            for p in self._out.temps
        ]
        self._projects = csv.writer(self._files[0])
        self._indicators = csv.writer(self._files[1])
        self._projects.writerow(PROJECT_COLUMNS)
        self._indicators.writerow(INDICATOR_COLUMNS)

    def write(self, result: FileResult) -> None:
        seen: dict[str, str] = {}  # one file's texts: bounded by its size
        self._projects.writerows(
            _cells(p, PROJECT_COLUMNS, _PROJECT_KEYS, seen) for p in result.projects
        )
        self._indicators.writerows(
            _cells(i, INDICATOR_COLUMNS, _INDICATOR_KEYS, seen) for i in result.indicators
        )

    def close(self) -> None:
        for file in self._files:
            file.close()
        self._out.commit()

    def abort(self) -> None:
        for file in self._files:
            file.close()
        self._out.abort()


class _JsonLinesWriter(_Atomic):
    def __init__(self, path: Path) -> None:
        self._out = AtomicOutputs((path,))
        self._file = open(self._out.temps[0], "w", encoding="utf-8")  # noqa: SIM115

    def write(self, result: FileResult) -> None:
        seen: dict[str, str] = {}  # one file's texts made safe: its name repeats on every row
        for record, rows in (("project", result.projects), ("indicator", result.indicators)):
            for row in rows:
                # Decimals as strings so that no reader turns 93.95 into a float.
                line: dict[str, Any] = {"record": record}
                for key, value in row.items():
                    if type(value) is str:
                        safe = seen.get(value)
                        if safe is None:
                            safe = seen[value] = safe_text(value)
                        line[key] = safe
                    else:
                        line[key] = _json(value)
                text = json.dumps(line, ensure_ascii=False)
                if "\u2028" in text or "\u2029" in text:
                    # Line and paragraph separators only occur inside strings: escaped, a
                    # reader splitting lines the Unicode way (str.splitlines) still gets one
                    # record per line.
                    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
                self._file.write(text + "\n")

    def close(self) -> None:
        self._file.close()
        self._out.commit()

    def abort(self) -> None:
        self._file.close()
        self._out.abort()


def _json(value: Any) -> Any:
    if isinstance(value, str):
        return safe_text(value)  # a lone surrogate (non-UTF-8 file name) cannot be written
    return f"{value:f}" if isinstance(value, Decimal) else value


class _XlsxWriter(_Atomic):
    def __init__(self, path: Path, lang: str = "zh", places: int = 2) -> None:
        import openpyxl

        self._out = AtomicOutputs((path,))
        self._lang, self._places = lang, places  # the reader's language; the scores' places
        self._counts = [0, 0]  # rows written to 项目 and 指标, for the filters' ranges
        # write_only streams rows to temporary files: memory stays flat.
        self._book = openpyxl.Workbook(write_only=True)
        self._projects = self._book.create_sheet("项目")
        self._indicators = self._book.create_sheet("指标")
        for sheet, columns in self._sheets():
            summary_xlsx.prepare(sheet, columns, lang)
            sheet.append(summary_xlsx.header(sheet, columns, lang))
        # The rows after the headers: written as openpyxl would write them, far faster,
        # and put into the saved workbook by close() (summary_xlsx.SheetRows).
        self._rows = (
            summary_xlsx.SheetRows(self._projects),
            summary_xlsx.SheetRows(self._indicators),
        )
        # Tallies for the summary charts: a few counters, whatever the batch's size.
        self._styles: dict[str, Any] = {}  # summary_xlsx.row_cells' styles of this workbook
        self._grades: dict[str, int] = {}
        self._bands: dict[str, int] = dict.fromkeys(_BANDS, 0)

    def _sheets(self) -> tuple[tuple[Any, tuple[str, ...]], ...]:
        return ((self._projects, PROJECT_COLUMNS), (self._indicators, INDICATOR_COLUMNS))

    def write(self, result: FileResult) -> None:
        lang, places = self._lang, self._places
        for row in result.projects:
            self._rows[0].append_row(row, PROJECT_COLUMNS, lang, places, self._styles)
            label = row["grade"] if row["status"] == SCORED else _STATUS_NAMES[row["status"]]
            self._grades[label] = self._grades.get(label, 0) + 1
            if row["status"] == SCORED and row["total"] is not None:
                self._bands[_band(row["total"])] += 1
        for row in result.indicators:
            self._rows[1].append_row(row, INDICATOR_COLUMNS, lang, places, self._styles)
        self._counts[0] += len(result.projects)
        self._counts[1] += len(result.indicators)

    def close(self) -> None:
        try:
            for (sheet, columns), rows in zip(self._sheets(), self._counts, strict=True):
                summary_xlsx.finish(sheet, columns, rows)
            self._charts()
            self._book.save(self._out.temps[0])
            # Each sheet's part name is known once saved (xl/worksheets/sheetN.xml).
            sheets = [
                (sheet.path.lstrip("/"), rows)
                for (sheet, _), rows in zip(self._sheets(), self._rows, strict=True)
            ]
            summary_xlsx.splice(self._out.temps[0], sheets)
        except BaseException:
            self._out.abort()
            raise
        finally:
            self._close_rows()
        self._out.commit()

    def _close_rows(self) -> None:
        for rows in self._rows:
            rows.close()

    def abort(self) -> None:
        # Finish and delete openpyxl's per-sheet temporary files, as save() would.
        for sheet in self._book.worksheets:
            with contextlib.suppress(Exception):
                sheet.close()
                sheet._writer.cleanup()
        self._close_rows()
        self._out.abort()

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
_GRADE_ORDER = {
    "优": 0, "良": 1, "中": 2, "差": 3, "需复核": 4, "空表": 5, "读取失败": 6, "未读取": 7
}  # fmt: skip
_STATUS_NAMES = {
    NEEDS_REVIEW: "需复核", EMPTY: "空表", FAILED: "读取失败", SCORED: "已评分", SKIPPED: "未读取"
}  # fmt: skip


def _band(total: Decimal) -> str:
    if total < 60:
        return _BANDS[0]
    if total > 100:
        return _BANDS[-1]
    return _BANDS[min(int((total - 60) // 10) + 1, 4)]


class _ParquetWriter(_Atomic):
    BATCH = 2000  # rows buffered per table before a row group is written

    def __init__(self, path: Path) -> None:
        import pyarrow.parquet as pq

        from .frames import arrow_schema

        self._out = AtomicOutputs((path, companion(path, ".parquet")))
        self._tables: list[tuple[Any, Any, list[Row], tuple[str, ...]]] = []
        columns_of = (PROJECT_COLUMNS, INDICATOR_COLUMNS)
        for target, columns in zip(self._out.temps, columns_of, strict=True):
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
        try:
            self._flush(1)
        finally:
            for writer, *_ in self._tables:
                writer.close()
        self._out.commit()

    def abort(self) -> None:
        for writer, *_ in self._tables:
            writer.close()
        self._out.abort()


_WRITERS: dict[str, Callable[..., SummaryWriter]] = {
    "csv": _CsvWriter,
    "jsonl": _JsonLinesWriter,
    "xlsx": _XlsxWriter,
    "parquet": _ParquetWriter,
}


def open_writer(
    path: str | os.PathLike[str],
    format: str | None = None,
    *,
    lang: str = "zh",
    places: int = 2,
) -> SummaryWriter:
    """Open a summary writer; ``format`` defaults to the output's suffix (xlsx otherwise).

    Missing folders of ``path`` are created (``-o out/summary.xlsx``).  ``lang`` and
    ``places`` shape the XLSX for a person (Chinese headers and status words, scores
    with the scheme's decimal places; ``lang="en"`` keeps the column keys); the CSV,
    JSON Lines and Parquet tables are for programs and always use the keys.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    chosen = format or target.suffix.lower().lstrip(".")
    if chosen not in _WRITERS:
        chosen = "xlsx"
    if chosen == "xlsx":
        return _XlsxWriter(target, lang, places)
    return _WRITERS[chosen](target)


def companion(path: Path, suffix: str) -> Path:
    """The indicators file written beside a CSV or Parquet summary (``OUT-indicators.csv``)."""
    return path.with_name(path.stem + "-indicators" + (path.suffix or suffix))


def outputs_of(path: str | os.PathLike[str], format: str | None = None) -> tuple[Path, ...]:
    """Every file :func:`open_writer` writes for ``path``: the output and its companion."""
    target = Path(path)
    chosen = format or target.suffix.lower().lstrip(".")
    if chosen in ("csv", "parquet"):
        return (target, companion(target, "." + chosen))
    return (target,)
