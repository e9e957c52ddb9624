"""The reading of rows into a Document as it was before the single-pass reader (reference).

A verbatim copy of ``perfscore.readers.tabular``'s "rows → Document" section and of
``perfscore.readers._cells.indicator_from_row`` as they stood before they were made
faster, kept only so that tests/readers/test_read_rows_reference.py can compare the
two on every form: same ``repr`` of every Document, diagnostics included.  Not to be
edited except to follow a deliberate change of behaviour in both.

``csv_rows`` (with ``_check_count`` and ``_swallowed``) is ``perfscore.readers._csv``'s,
likewise.
"""

# ruff: noqa
# mypy: ignore-errors

from __future__ import annotations

import contextlib
import csv
import io
import itertools
from collections.abc import Iterator
from collections.abc import Iterable, Mapping, Sequence

import attrs

from perfscore.documents import Diagnostic, Document, DocumentKind, Goal, Project, Severity
from perfscore.indicators import COLUMNS, Indicator, compose_target, parse_decimal, parse_points
from perfscore.errors import ReadError
from perfscore.readers import _files
from perfscore.readers._csv import UNCLOSED, unquote
from perfscore.readers._cells import (
    _COMPOSED,
    _NOT_TEXT,
    _NUMBERS,
    BAD_NUMBER,
    GOAL_LABEL,
    YEAR,
    UnsavedFormula,
    cell_text,
    unsaved_formula_message,
)
from perfscore.readers.tabular import (
    BUDGET_LABELS,
    BUDGET_SUB_ROWS,
    BUDGET_TOTAL_ROWS,
    CARRIED,
    EVALUATION_COLUMNS,
    FOOTER_LABELS,
    GOAL_HEADINGS,
    GOAL_LABELS,
    GRADE_CELL,
    HEADER_SEARCH_ROWS,
    METADATA,
    MISSING,
    NO_HEADER,
    NO_WEIGHTS,
    BAD_METADATA,
    NOTE_LINE,
    REQUIRED,
    SHORT_LINE_FIELDS,
    TARGET_FIELDS,
    TEXT_METADATA,
    TITLE,
    column_for_header,
    fold_label,
)


# --- rows → Document --------------------------------------------------------------


@attrs.define
class _Sheet:
    """What the reader knows while it walks down the rows below the header."""

    file: str
    columns: dict[str, int]
    headers: dict[str, str]
    width: int = 0  # cells a row needs to reach every known column
    carried: dict[str, str] = attrs.Factory(dict)
    meta: dict[str, object] = attrs.Factory(dict)
    row_cells: list[str] = attrs.Factory(list)  # the row being read, for the 总分 row's 分值
    total_row: int | None = None  # the last 总分/合计 row, flagged if indicators follow it
    budget_columns: dict[int, str] = attrs.Factory(dict)
    goal_columns: dict[int, str] = attrs.Factory(dict)
    goals: list[Goal] = attrs.Factory(list)
    indicators: list[Indicator] = attrs.Factory(list)
    diagnostics: list[Diagnostic] = attrs.Factory(list)


def read_rows(
    rows: Iterable[Sequence[object]], *, file: str = "", formulas: bool = False
) -> Document:
    """Read a table given as rows of cell values (row N, 1-based, is the Nth row given).

    ``rows`` may be a generator: only the first :data:`HEADER_SEARCH_ROWS` rows
    are held to find the header; the rest are read one at a time.  ``formulas``
    says that some cells may be :class:`UnsavedFormula` values, each reported.
    """
    rows = iter(rows)
    head = list(itertools.islice(rows, HEADER_SEARCH_ROWS))
    at = _find_header(head)
    if at is None:
        diagnostic = Diagnostic(NO_HEADER.format(n=HEADER_SEARCH_ROWS), file=file)
        return Document(path=file, kind=DocumentKind.TARGET_TABLE, diagnostics=(diagnostic,))
    sheet = _open_sheet(head[at], file)
    for number, row in enumerate(head[:at], start=1):
        _read_above(sheet, number, _texts(row))
        if formulas:
            _report_formulas(sheet, number, row, len(sheet.diagnostics))
    if formulas:
        _report_formulas(sheet, at + 1, head[at], len(sheet.diagnostics))
    for number, row in enumerate(itertools.chain(head[at + 1 :], rows), start=at + 2):
        before = len(sheet.diagnostics)
        _read_row(sheet, number, row)
        if formulas:
            _report_formulas(sheet, number, row, before)
    return _document(sheet)


def _report_formulas(sheet: _Sheet, number: int, row: Sequence[object], since: int) -> None:
    """Report each unsaved formula of a row not yet reported (by the indicator row reader)."""
    told = {d.text for d in sheet.diagnostics[since:] if d.row == number}
    seen: set[str] = set()
    for cell in row:
        if isinstance(cell, UnsavedFormula) and cell.address not in seen and cell not in told:
            seen.add(cell.address)  # a merged range repeats its first cell
            # Outside the indicator cells (a 总分 =SUM(…), an 执行率): the figure is unknown,
            # the rows are still scored; a warning, where an indicator's own cell is an error.
            message = unsaved_formula_message(cell)
            sheet.diagnostics.append(
                Diagnostic(message, Severity.WARNING, sheet.file, number, cell.address, str(cell))
            )


def _texts(row: Sequence[object]) -> list[str]:
    return [cell_text(v) for v in row]


def _find_header(rows: Sequence[Sequence[object]]) -> int | None:
    """Index of the row naming the most known columns (at least two) near the top."""
    counts = [len(_header_fields(_texts(row))) for row in rows[:HEADER_SEARCH_ROWS]]
    best = max(counts, default=0)
    return counts.index(best) if best >= 2 else None


def _header_fields(cells: list[str]) -> dict[str, int]:
    """Field → column index of the first cell naming it."""
    fields: dict[str, int] = {}
    for i, cell in enumerate(cells):
        field = column_for_header(cell) if cell else None
        if field is not None and field not in fields:
            fields[field] = i
    return fields


def _open_sheet(header: Sequence[object], file: str) -> _Sheet:
    cells = _texts(header)
    columns = _header_fields(cells)
    sheet = _Sheet(file, columns, {f: cells[i] for f, i in columns.items()})
    sheet.width = max(columns.values(), default=0) + 1
    for field in REQUIRED:
        if field not in columns and not TARGET_FIELDS & columns.keys():
            message = MISSING.format(zh=COLUMNS[field][0], en=field)
            sheet.diagnostics.append(Diagnostic(message, file=file, column=COLUMNS[field][0]))
    if _is_evaluation(columns) and "weight" not in columns:
        # Some published forms print only 得分: keep those scores, compute none.
        sheet.diagnostics.append(
            Diagnostic(
                NO_WEIGHTS, file=file, column=COLUMNS["weight"][0], severity=Severity.WARNING
            )
        )
    return sheet


def _is_evaluation(columns: dict[str, int]) -> bool:
    return bool(EVALUATION_COLUMNS & columns.keys())


def _read_above(sheet: _Sheet, number: int, cells: list[str]) -> None:
    """Title and metadata rows above the header: year, names, budget block, overall goal."""
    if _read_budget_block(sheet, number, cells) or _read_goal_block(sheet, cells):
        return
    if _read_metadata(sheet, number, cells):
        return
    for cell in cells:
        year, title = YEAR.search(cell), TITLE.search(cell)
        if year and "year" not in sheet.meta:
            sheet.meta["year"] = int(year.group(1))
        if title and "department" not in sheet.meta:
            sheet.meta["department"] = title.group(1)


def _read_row(sheet: _Sheet, number: int, row: Sequence[object]) -> None:
    cells = _texts(row)
    filled = [c for c in cells if c]
    if not filled:
        return
    width = sheet.width
    if len(cells) < width:
        # A short line (a hand-edited CSV): the missing cells are empty, and said so when
        # they are cells that matter.
        missing = [
            sheet.headers[f] for f in SHORT_LINE_FIELDS if sheet.columns.get(f, 0) >= len(cells)
        ]
        if missing and not (len(filled) == 1 and NOTE_LINE.match(filled[0])):
            sheet.diagnostics.append(
                Diagnostic(
                    f"本行只有 {len(cells)} 个单元格，少于表头的 {width} 列，"
                    f"「{'、'.join(missing)}」按空白读取 (a short line: {len(cells)} cells for"
                    f" {width} columns; the missing ones are read as empty)",
                    Severity.WARNING, sheet.file, number, text=",".join(cells)[:60],
                )
            )  # fmt: skip
        cells += [""] * (width - len(cells))
    sheet.row_cells = cells
    if len(filled) == 1 and NOTE_LINE.match(filled[0]):
        sheet.diagnostics.append(
            Diagnostic(
                f"说明行，不是指标行 (a note line, not an indicator): {filled[0]}",
                Severity.INFO, sheet.file, number, text=filled[0][:60],
            )
        )  # fmt: skip
        return
    if _has_indicator_text(sheet, cells):
        if METADATA.get(fold_label(filled[0])) is not None:
            # A row is metadata by its shape, not by the word in its first cell.
            sheet.diagnostics.append(
                Diagnostic(
                    f"首格为「{filled[0]}」但有指标值，按指标行读取"
                    f" (a row starting with {filled[0]!r} holds a target: read as an indicator)",
                    file=sheet.file, row=number, severity=Severity.WARNING,
                )
            )  # fmt: skip
    elif _read_metadata(sheet, number, cells):
        if METADATA.get(fold_label(filled[0])) == "published_total":
            sheet.total_row = number
        return
    if sheet.total_row is not None and sheet.indicators:
        sheet.diagnostics.append(
            Diagnostic(
                f"第{sheet.total_row}行的总分/合计位于指标中间，其后各行照常读取；请核对总分"
                " (a total row stands inside the table: later rows are read; check the total)",
                file=sheet.file, row=sheet.total_row, severity=Severity.WARNING,
            )
        )  # fmt: skip
        sheet.total_row = None
    if _is_footer(filled):
        text = "　".join(filled)
        sheet.diagnostics.append(
            Diagnostic(
                f"表尾签署栏，不是指标行 (footer, not an indicator): {text}",
                file=sheet.file,
                row=number,
                severity=Severity.INFO,
            )
        )
        return
    if len(filled) == 1 and _is_goal_only(sheet, cells):
        _carry(sheet, {"goal": filled[0]})
        return
    values = {f: row[i] if i < len(row) else None for f, i in sheet.columns.items()}
    _carry(sheet, {f: cells[sheet.columns[f]] for f in CARRIED if f in sheet.columns})
    values |= sheet.carried
    headers = sheet.headers | {f: COLUMNS[f][0] for f in CARRIED if f not in sheet.headers}
    indicator, diagnostics = indicator_from_row(headers, values, number=number, file=sheet.file)
    sheet.indicators.append(indicator)
    sheet.diagnostics.extend(diagnostics)


def _has_indicator_text(sheet: _Sheet, cells: list[str]) -> bool:
    """Whether the row has a target or an actual: then it is an indicator, whatever else.

    A label such as 总分 merged over the target and actual columns (A:F on the official
    form) fills them with copies of itself: a copy of a label is not a target.
    """
    first = next((c for c in cells if c), "")
    for field in ("target", "actual", "initial_target", "adjusted_target"):
        at = sheet.columns.get(field)
        text = cells[at] if at is not None and at < len(cells) else ""
        if not text:
            continue
        copy = text == first and METADATA.get(fold_label(text)) is not None
        if not copy and not GRADE_CELL.match(text):
            return True
    return False


def _is_goal_only(sheet: _Sheet, cells: list[str]) -> bool:
    """Whether the row's one filled cell is a goal label or sits in the goal column."""
    goal_at = sheet.columns.get("goal")
    return any(c and (GOAL_LABEL.fullmatch(c) or i == goal_at) for i, c in enumerate(cells))


def _carry(sheet: _Sheet, given: dict[str, str]) -> None:
    """Carry blank goal/level cells down; a new outer value resets the inner ones."""
    for depth, field in enumerate(CARRIED):
        value = given.get(field, "")
        if value and value != sheet.carried.get(field, ""):
            sheet.carried[field] = value
            for inner in CARRIED[depth + 1 :]:
                sheet.carried[inner] = ""


def _read_metadata(sheet: _Sheet, number: int, cells: list[str]) -> bool:
    """Read ``label | value`` pairs such as ``全年预算数(A) | 176875.03`` or
    ``主管部门 | X | 实施单位 | Y``; False if the row's first cell is no such label."""
    filled = [(i, c) for i, c in enumerate(cells) if c]
    if not filled or METADATA.get(fold_label(filled[0][1])) is None:
        return False
    for at, (_, cell) in enumerate(filled):
        grade = GRADE_CELL.match(cell)
        if grade and grade.group(1):
            # 自评等级：优 written inside the 总分 row (or any metadata row): the published grade.
            sheet.meta.setdefault("conclusion", grade.group(1).strip())
            continue
        field = METADATA.get(fold_label(cell))
        if field is None:
            continue
        # The value is the cell after the label: 主管部门 | X | 实施单位 | Y holds two pairs.
        rest = [c for _, c in filled[at + 1 :]]
        _store_metadata(sheet, number, field, cell, _metadata_text(sheet, field, cells, rest))
    return True


def _store_metadata(sheet: _Sheet, number: int, field: str, label: str, text: str) -> None:
    if field in TEXT_METADATA:
        sheet.meta.setdefault(field, text)
        return
    if field == "published_total":
        weight_at = sheet.columns.get("weight")
        if weight_at is not None and weight_at < len(sheet.row_cells):
            with contextlib.suppress(ValueError):
                sheet.meta["full_marks"] = parse_decimal(sheet.row_cells[weight_at])
    try:
        sheet.meta[field] = parse_decimal(text)
    except ValueError:
        sheet.diagnostics.append(
            Diagnostic(BAD_METADATA, file=sheet.file, row=number, column=label, text=text)
        )


def _read_budget_block(sheet: _Sheet, number: int, cells: list[str]) -> bool:
    """The horizontal budget block: its label row, its 年度资金总额 row and sub-rows."""
    folded = [fold_label(c) for c in cells]
    labels = {i: BUDGET_LABELS[f] for i, f in enumerate(folded) if f in BUDGET_LABELS}
    if sum(f in ("initial_budget", "budget", "executed") for f in labels.values()) >= 2:
        sheet.budget_columns = labels
        return True
    if not sheet.budget_columns:
        return False
    if any(f in BUDGET_TOTAL_ROWS for f in folded):
        for column, field in sheet.budget_columns.items():
            text = cells[column] if column < len(cells) else ""
            if text and text not in ("—", "-", "/"):
                _store_metadata(sheet, number, field, field, text)
        return True
    return any(f.startswith(BUDGET_SUB_ROWS) for f in folded if f)


def _read_goal_block(sheet: _Sheet, cells: list[str]) -> bool:
    """年度总体目标, wherever the form puts it.

    A row naming 预期目标 and 实际完成情况, then the row with their texts (the official
    layout); the same labels with each text beside its label on one row; or the label
    年度总体目标 with the goal (and what was achieved) in the cells after it.
    """
    folded = [fold_label(c) for c in cells]
    headings = {i: GOAL_HEADINGS[f] for i, f in enumerate(folded) if f in GOAL_HEADINGS}
    if len(headings) == len(GOAL_HEADINGS):
        beside = _texts_beside(cells, folded, headings)
        if any(beside.values()):
            sheet.goals.append(Goal("年度总体目标", beside["text"], beside["achieved"]))
        else:
            sheet.goal_columns = headings
        return True
    if sheet.goal_columns:
        texts = {
            field: cells[column]
            for column, field in sheet.goal_columns.items()
            if column < len(cells)
        }
        sheet.goal_columns = {}
        sheet.goals.append(Goal("年度总体目标", texts.get("text", ""), texts.get("achieved", "")))
        return True
    labels = [f for f in folded if f]
    if not labels or labels[0] not in GOAL_LABELS:
        return False
    distinct: list[str] = []
    for cell, label in zip(cells, folded, strict=True):
        if cell and label not in GOAL_LABELS and cell not in distinct:
            distinct.append(cell)  # merged cells repeat their text: each text once
    if distinct:
        sheet.goals.append(Goal("年度总体目标", distinct[0], "\n".join(distinct[1:])))
    return True


def _texts_beside(cells: list[str], folded: list[str], headings: dict[int, str]) -> dict[str, str]:
    """预期目标 | <text> | 实际完成情况 | <text>: each label's first text to its right."""
    found = dict.fromkeys(GOAL_HEADINGS.values(), "")
    for column, field in headings.items():
        for cell, label in zip(cells[column + 1 :], folded[column + 1 :], strict=True):
            if label in GOAL_HEADINGS:
                break
            if cell and label not in GOAL_LABELS:
                found[field] = cell
                break
    return found


def _is_footer(filled: list[str]) -> bool:
    """Whether a row is the form's signature lines (填表人：张三 | 联系电话：…)."""
    return fold_label(filled[0]).startswith(FOOTER_LABELS)


def _metadata_text(sheet: _Sheet, field: str, cells: list[str], rest: list[str]) -> str:
    """The value of a metadata row: for 总分 the 得分 cell, else the first cell after the label."""
    score_at = sheet.columns.get("score")
    if field == "published_total" and score_at is not None and score_at < len(cells):
        return cells[score_at]
    return rest[0] if rest else ""


def _document(sheet: _Sheet) -> Document:
    department = str(sheet.meta.pop("department", ""))
    name = str(sheet.meta.pop("project", "")) or department
    unit = str(sheet.meta.pop("unit", ""))
    kind = (
        DocumentKind.SELF_EVALUATION if _is_evaluation(sheet.columns) else DocumentKind.TARGET_TABLE
    )
    project = Project(
        name=name, unit=unit, goals=tuple(sheet.goals), indicators=tuple(sheet.indicators)
    )
    return Document(
        path=sheet.file,
        kind=kind,
        projects=(project,),
        department=department,
        diagnostics=tuple(sheet.diagnostics),
        **sheet.meta,  # type: ignore[arg-type]
    )


def indicator_from_row(
    headers: Mapping[str, str], cells: Mapping[str, object], *, number: int, file: str
) -> tuple[Indicator, list[Diagnostic]]:
    """Build an :class:`Indicator` from field → cell, reading each bad number as empty.

    ``headers`` maps a field to the header the user sees, named in diagnostics.
    Every bad cell gives one diagnostic; the row itself is always returned.
    """
    fields: dict[str, object] = {}
    diagnostics: list[Diagnostic] = []
    problems: list[str] = []
    for field, cell in cells.items():
        if type(cell) is str and field not in _NOT_TEXT:
            fields[field] = cell.strip()  # the common case, first
            continue
        if isinstance(cell, UnsavedFormula):
            column = headers.get(field, field)
            message = unsaved_formula_message(cell, column)
            diagnostics.append(Diagnostic(message, Severity.ERROR, file, number, column, cell))
            if field == "score":
                # The scheme's score is still computed and shown; the document is not
                # graded from it (score.rollup), since the unit's own score is unknown.
                fields["published_formula"] = f"{cell.address}: {cell}"
            else:
                problems.append(message)
            cell = None
        if field == "coefficient":
            try:
                fields[field] = parse_decimal(cell)
            except ValueError:
                column = headers.get(field, field)
                diagnostics.append(
                    Diagnostic(BAD_NUMBER, Severity.WARNING, file, number, column, str(cell))
                )
                fields[field] = None
            continue
        if field not in _NUMBERS:
            fields[field] = cell_text(cell)
            continue
        try:
            fields[_NUMBERS[field]] = parse_points(cell)
        except ValueError as error:
            # Kept as an empty cell: the row still comes out, with its status (needs review).
            column = headers.get(field, field)
            reason = str(error) if str(error).startswith(("分值", "数字")) else BAD_NUMBER
            diagnostics.append(Diagnostic(reason, Severity.ERROR, file, number, column, str(cell)))
            fields[_NUMBERS[field]] = None
    if not _COMPOSED.isdisjoint(cells):
        texts = {f: v for f, v in fields.items() if isinstance(v, str)}
        fields |= compose_target(texts, headers)
    if problems:
        fields["read_problem"] = "；".join(
            p for p in (*problems, str(fields.get("read_problem") or "")) if p
        )
    return Indicator(row=number, **fields), diagnostics  # type: ignore[arg-type]


def csv_rows(text: str, file: str, delimiter: str, notes: list[Diagnostic]) -> Iterator[list[str]]:
    """Rows of a CSV/TSV text, one at a time, refusing a table longer than ``MAX_ROWS``.

    Problems that do not stop the reading go to ``notes``.  A line whose quote is
    never closed is read as a plain line, and reading starts again on the next line.
    """
    lines = io.StringIO(text, newline="").readlines()
    count = 0
    start = 0
    widest = 0  # the most cells a record has had: a swallowed table line has about as many
    while start < len(lines):
        reader = csv.reader(iter(lines[start:]), delimiter=delimiter)
        read_lines = 0
        restart = None
        try:
            for row in reader:
                first, read_lines = read_lines, reader.line_num
                count += 1
                _check_count(file, count)
                at_end = start + read_lines >= len(lines)
                if _swallowed(row, delimiter, at_end=at_end, widest=widest):
                    line = lines[start + first]
                    notes.append(
                        Diagnostic(UNCLOSED.format(row=count), Severity.WARNING, file, count,
                                   text=line.strip()[:60])
                    )  # fmt: skip
                    yield [unquote(c.strip('"')) for c in line.rstrip("\r\n").split(delimiter)]
                    restart = start + first + 1
                    break
                widest = max(widest, len(row))
                yield [unquote(cell) for cell in row]
        except csv.Error as error:  # a field over csv's 131,072-character limit, a stray NUL
            message = (
                f"CSV 格式错误 (malformed CSV: {error})"
                if delimiter == ","
                else f"表格文本格式错误 (malformed tab-separated text: {error})"
            )
            raise ReadError(message, file=file, row=count + 1) from None
        if restart is None:
            return
        start = restart


def _check_count(file: str, count: int) -> None:
    if count > _files.MAX_ROWS:
        raise _files.too_many_rows(file, count)


def _swallowed(row: list[str], delimiter: str, *, at_end: bool, widest: int) -> bool:
    """Whether a record holds lines an unclosed quote swallowed (not a cell with a line break).

    A cell's own text may break lines and hold a comma or two; table lines inside
    it (about as many delimiters as a row of the table has: three fewer, at least
    two), or a cell running on to the end of the file (ending in a line break), are
    the mark of a quote never closed.
    """
    least = max(2, widest - 3)
    for cell in row:
        if "\n" not in cell and "\r" not in cell:
            continue
        if at_end and cell.endswith(("\n", "\r")):
            return True  # the quote ran on to the end of the file
        if cell.count(delimiter) >= least:
            return True
    return False


def fold_label_reference(text: str) -> str:
    """``perfscore.indicators.fold_label`` as it was: one character at a time."""
    out = []
    depth = 0
    for ch in text.strip().lower():
        if ch in "(（[【":
            depth += 1
        elif ch in ")）]】":
            depth = max(0, depth - 1)
        elif depth == 0 and not ch.isspace():
            out.append(ch)
    return "".join(out)
