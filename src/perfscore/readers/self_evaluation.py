"""Read a 绩效自评表 (self-evaluation table) from pasted text or a Word file.

The official form is one big table; exported to text it becomes one line per
table row with the cells separated by TABs, merged cells flattened into runs
of empty cells.  Its blocks, top to bottom::

    (2024年度)                                       -> year
    部门名称 | 天津市科学技术局                        -> department
    预算执行情况 | … | 年初预算数 | 全年预算数(A) | 全年执行数(B) | 分值 | 得分 | 执行率(B/A)
             |   | 85652.16 | 176875.03 | 170639.2 | 10 | 9.65 | 96.5%
             | 偏差原因分析及改进措施 | <text>        -> execution_reason
    年度绩效目标完成情况 | 目标序号 | 年度绩效目标 | 实际完成情况
             | 1 | <goal text> | <achieved text>   -> Goal(label="1", …)
    年度指标完成情况 | 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | …
    绩效目标1 | 产出指标 | 数量指标 | <name> | ≥10次 | 14次 | 1 | 1 |
             |         |         | <name> | ≥40项 | 40项 | 1 | 1 |       -> levels carried down
    总分 | … | 100 | 93.95                        -> published_total
    整体支出绩效自评结论 | <p>…</p>               -> conclusion

Column positions are not reliable (rows are shifted left or right by the
export), so an indicator row is read from both ends: on the right, the two
rightmost adjacent numbers are 分值 and 得分, with 年度指标值 and 实际完成值
just before them and the reason after them; on the left, cells are goal and
level names when they are exactly one of the words in :data:`~perfscore.indicators.LEVEL1_NAMES` and
:data:`~perfscore.indicators.LEVEL2_NAMES`, otherwise they are the 三级指标 name.  Level names are
written only on the first row they apply to and are carried down; a new goal
resets the levels and a new 一级 resets the 二级.  ``成本指标`` is both a 一级
and a 二级 name: it is a 一级 when a 二级 name follows it on the same row or
when no 产出指标 is open, and otherwise a 二级 of 产出指标 (seed 002 writes it
under 产出指标).

The reader works on rows of cells, so a Word table read with python-docx goes
through the same classifier as pasted text.  Row numbers are 1-based line
numbers of the text (for Word: paragraphs and table rows in document order,
which is what a Word → text export numbers).
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

import attrs

from ..documents import Diagnostic, Document, DocumentKind, Goal, Project, Severity
from ..errors import ReadError
from ..indicators import (
    LEVEL1_NAMES,
    LEVEL2_NAMES,
    Indicator,
    column_for_header,
    parse_decimal,
)
from . import _files
from ._cells import (
    BAD_NUMBER,
    GOAL_LABEL,
    YEAR,
    docx_row_cells,
    fold_label,
    indicator_from_row,
)
from ._files import check_archive, too_many_rows
from .tabular import FOOTER_LABELS, GRADE_CELL, read_rows

__all__ = [
    "parse_self_evaluation_rows",
    "parse_self_evaluation_text",
    "read_self_evaluation_docx",
]

# The 一级 under which a lone 成本指标 is read as a 二级.
COST_PARENT = "产出指标"

GOAL_NUMBER = re.compile(r"(?:目标\s*)?[0-9０-９]+[.、]?|[一二三四五六七八九十]+[.、]?")

# First cell of a row → the block it opens (matched after folding, see _fold).
BLOCKS: dict[str, str] = {
    "部门名称": "department",
    "单位名称": "department",
    "预算执行情况": "execution",
    "年度绩效目标完成情况": "goals",
    "年度指标完成情况": "indicators",
    "总分": "total",
    "合计": "total",
    "整体支出绩效自评结论": "conclusion",
    "自评结论": "conclusion",
}
# Labels of the execution block's header row → Document field (None: not kept).
EXECUTION_FIELDS: dict[str, str | None] = {
    "年初预算数": "initial_budget",
    "全年预算数": "budget",
    "全年执行数": "executed",
    "分值": "execution_weight",
    "得分": "execution_published",
    "执行率": None,
}
# Header labels of the indicator block besides those in indicators.COLUMNS.
EXTRA_HEADER_LABELS = frozenset({"年度指标完成情况"})

TOTAL_LIKE_ROW = (
    "首格为「{label}」但有指标内容，按指标行读取 (a row starting with {label!r} holds an"
    " indicator: read as one)"
)
TOTAL_INSIDE = (
    "第{row}行的总分/合计位于指标中间，其后各行照常读取；请核对总分"
    " (a total row stands inside the indicator table: later rows are read; check the total)"
)
# Block words that, met inside the indicator table, must not end it.
_INSIDE_TABLE = frozenset({"total", "department"})
NO_ANCHOR = "未找到分值和得分，按表头位置读取 (no weight and score found, read by header position)"
NO_NAME = "缺少三级指标名称 (the 三级指标 name is missing)"
EXTRA_TEXT = "多个文字单元格，已合并为三级指标 (several text cells, joined as the 三级指标)"
NO_TABLE = (
    "未找到指标表（年度指标完成情况） (no indicator table found)：请确认这是自评表，"
    "指标表的表头含「三级指标」「年度指标值」「实际完成值」；可从 docs/templates/ 的模板开始"
    " (check that this is a self-evaluation whose table has 三级指标, 年度指标值 and"
    " 实际完成值 headers; templates in docs/templates/)"
)
GOAL_REASON = "年度绩效目标的偏差原因未保存 (the goals' deviation reason is not kept)"

_TAGS = re.compile(r"<[^>]+>")


def _is_number(text: str) -> bool:
    """Whether a cell holds a real number (not empty, not a dash)."""
    try:
        return bool(text) and parse_decimal(text) is not None
    except ValueError:
        return False


@attrs.define
class _State:
    """What the classifier knows while it walks down the rows."""

    file: str
    block: str = ""
    goal: str = ""
    level1: str = ""
    level2: str = ""
    header: list[str] = attrs.Factory(list)
    execution_labels: list[tuple[str, str | None]] = attrs.Factory(list)
    meta: dict[str, object] = attrs.Factory(dict)
    goals: list[Goal] = attrs.Factory(list)
    indicators: list[Indicator] = attrs.Factory(list)
    diagnostics: list[Diagnostic] = attrs.Factory(list)
    conclusion: list[str] = attrs.Factory(list)
    grade: str = ""  # 自评等级 written in or beside the 总分 row
    total_row: int | None = None  # a 总分/合计 row met inside the indicator block

    def warn(self, message: str, row: int, column: str = "", text: str = "") -> None:
        """Record a warning about one row."""
        self.diagnostics.append(Diagnostic(message, Severity.WARNING, self.file, row, column, text))


def parse_self_evaluation_text(text: str, *, file: str = "") -> Document:
    """Read a self-evaluation exported or pasted as text (one line per row, TABs between cells)."""
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if len(lines) > _files.MAX_ROWS:
        raise too_many_rows(file, len(lines), "文本")
    return parse_self_evaluation_rows((line.split("\t") for line in lines), file=file)


def parse_self_evaluation_rows(rows: Iterable[Sequence[str]], *, file: str = "") -> Document:
    """Read a self-evaluation from rows of cell texts; row N (1-based) is the Nth row given."""
    state = _State(file=file)
    for number, cells in enumerate(rows, start=1):
        _read_row(state, number, [" ".join(cell.split()) for cell in cells])
    if not state.header:
        state.diagnostics.append(Diagnostic(NO_TABLE, file=file))
    return _document(state)


def _document(state: _State) -> Document:
    department = str(state.meta.pop("department", ""))
    project = Project(name=department, goals=tuple(state.goals), indicators=tuple(state.indicators))
    return Document(
        path=state.file,
        kind=DocumentKind.SELF_EVALUATION,
        projects=(project,),
        department=department,
        conclusion="\n".join(state.conclusion) or state.grade,
        diagnostics=tuple(state.diagnostics),
        **state.meta,  # type: ignore[arg-type]
    )


def _read_row(state: _State, number: int, cells: list[str]) -> None:
    filled = [c for c in cells if c]
    if not filled:
        return
    if state.header and fold_label(filled[0]).startswith(FOOTER_LABELS):
        text = "　".join(filled)
        state.diagnostics.append(
            Diagnostic(
                f"表尾签署栏，不是指标行 (footer, not an indicator): {text}",
                Severity.INFO, state.file, number,
            )
        )  # fmt: skip
        return
    block = BLOCKS.get(fold_label(filled[0]))
    if block == "indicators" and state.block == "indicators" and not _is_header(filled):
        # 年度指标完成情况 merged down the indicator block, its text repeated on each row
        # (a copy of the block's label, as Excel copies a merged cell): an indicator row.
        at = cells.index(filled[0])
        _read_indicator(state, number, [*cells[:at], "", *cells[at + 1 :]])
        return
    if block in _INSIDE_TABLE and state.block == "indicators":
        # A row is metadata by its shape, not by a word in its first cell: inside the
        # indicator block, 总分/合计/部门名称 with indicator texts is an indicator row,
        # and a total row does not end the table (every later row is still read).
        if _has_texts(_without_grade(filled)):
            state.warn(TOTAL_LIKE_ROW.format(label=filled[0]), number, text=filled[0])
            _read_indicator(state, number, cells)
        elif block == "total":
            _read_total(state, number, cells)
            state.total_row = number
        return
    if block is not None:
        state.block = block
        _OPENERS[block](state, number, cells)
    elif _is_header(filled):
        _open_indicators(state, number, cells)
    else:
        _CONTINUERS.get(state.block, _read_preamble)(state, number, cells)


def _is_header(filled: list[str]) -> bool:
    """Whether every filled cell is an indicator-table header label (a repeated page header)."""
    labels = [c for c in filled if column_for_header(c) or c in EXTRA_HEADER_LABELS]
    return len(labels) >= 3 and len(labels) == len(filled)


def _read_preamble(state: _State, number: int, cells: list[str]) -> None:
    """Title rows: take the year from ``(2024年度)`` or ``2024年度…自评表``."""
    for cell in cells:
        match = YEAR.search(cell)
        if match and "year" not in state.meta:
            state.meta["year"] = int(match.group(1))


def _open_department(state: _State, number: int, cells: list[str]) -> None:
    rest = [c for c in cells if c][1:]
    if rest:
        state.meta["department"] = rest[0]
    state.block = ""


def _open_execution(state: _State, number: int, cells: list[str]) -> None:
    labels = [c for c in cells if c and fold_label(c) in EXECUTION_FIELDS]
    state.execution_labels = [(c, EXECUTION_FIELDS[fold_label(c)]) for c in labels]


def _read_execution(state: _State, number: int, cells: list[str]) -> None:
    """A values row (aligned from the right with the labels) or the reason row."""
    reason = _after_reason_label(cells)
    if reason is not None:
        state.meta["execution_reason"] = reason
        return
    values = [c for c in cells if c]
    count = min(len(values), len(state.execution_labels))
    if not count:
        return
    pairs = zip(state.execution_labels[-count:], values[-count:], strict=True)
    for (column, field), text in pairs:
        if field is not None:
            state.meta[field] = _number(state, number, column, text)


def _number(state: _State, number: int, column: str, text: str) -> Decimal | None:
    try:
        return parse_decimal(text)
    except ValueError:
        state.warn(BAD_NUMBER, number, column, text)
        return None


def _after_reason_label(cells: list[str]) -> str | None:
    """The text after a ``偏差原因分析及改进措施`` cell, or None when the row has no such cell."""
    for i, cell in enumerate(cells):
        if column_for_header(cell) == "reason":
            return "\n".join(c for c in cells[i + 1 :] if c)
    return None


def _read_goal(state: _State, number: int, cells: list[str]) -> None:
    """``序号 | 年度绩效目标 | 实际完成情况``; the block's reason row is noted, not kept."""
    reason = _after_reason_label(cells)
    if reason is not None:
        if reason:
            state.warn(GOAL_REASON, number, text=reason)
        return
    filled = [c for c in cells if c]
    if GOAL_NUMBER.fullmatch(filled[0]):
        label, texts = filled[0].removeprefix("目标").rstrip(".、"), filled[1:]
    else:
        label, texts = str(len(state.goals) + 1), filled
    text = texts[0] if texts else ""
    state.goals.append(Goal(label=label, text=text, achieved="\n".join(texts[1:])))


def _open_indicators(state: _State, number: int, cells: list[str]) -> None:
    state.block = "indicators"
    state.header = cells


def _has_review_columns(header: list[str]) -> bool:
    return any(column_for_header(h) in ("reviewed", "review_note") for h in header if h)


def _read_total(state: _State, number: int, cells: list[str]) -> None:
    """总分 | … | 分值 | 得分 (| 自评等级：优): full marks, the published total and grade."""
    filled = [c for c in cells if c]
    grade = _grade(filled)
    if grade:
        state.grade = grade
    numbers = [c for c in _without_grade(filled) if _is_number(c)]
    if len(numbers) == 1 and _under_weight(state.header, cells, numbers[0]):
        # Only the 分值 is filled (the 得分 left empty): full marks, no published total.
        state.meta["full_marks"] = parse_decimal(numbers[0])
        return
    if _has_review_columns(state.header):
        # The 总分 row of a reviewer's form: the unit's total stands under 得分.
        at = (
            [column_for_header(h) for h in state.header].index("score")
            if any(column_for_header(h) == "score" for h in state.header)
            else None
        )
        if at is not None and at < len(cells) and _is_number(cells[at]):
            state.meta["published_total"] = parse_decimal(cells[at])
            return
    if numbers:
        state.meta["published_total"] = parse_decimal(numbers[-1])
    if len(numbers) >= 2:
        state.meta["full_marks"] = parse_decimal(numbers[-2])


def _under_weight(header: list[str], cells: list[str], number: str) -> bool:
    """Whether ``number`` stands in the header's 分值 column, counted from the left (a text
    export) or from the right (a Word row whose merged 总分 cell is given once)."""
    fields = [column_for_header(h) for h in header]
    if "weight" not in fields or number not in cells:
        return False
    at, weight_at = cells.index(number), fields.index("weight")
    return at == weight_at or len(cells) - at == len(fields) - weight_at


def _grade(filled: list[str]) -> str:
    """The grade written in a row: ``自评等级：优`` in one cell, or ``自评等级 | 优``."""
    for i, cell in enumerate(filled):
        match = GRADE_CELL.match(cell)
        if match and match.group(1):
            return match.group(1).strip()
        if fold_label(cell) in ("自评等级", "自评结论") and i + 1 < len(filled):
            return filled[i + 1]
    return ""


def _without_grade(filled: list[str]) -> list[str]:
    """The row's cells less the grade (自评等级：优, or 自评等级 | 优) and copies of its label."""
    kept: list[str] = []
    skip = False
    for cell in filled:
        if skip:
            skip = False
            continue
        if fold_label(cell) in ("自评等级", "自评结论"):
            skip = True
            continue
        if GRADE_CELL.match(cell) or (kept and cell == kept[0]):
            continue
        kept.append(cell)
    return kept


def _read_conclusion(state: _State, number: int, cells: list[str]) -> None:
    """The conclusion's text; later unrecognised rows continue it."""
    start = 1 if BLOCKS.get(fold_label(next(c for c in cells if c))) == "conclusion" else 0
    text = "\n".join(c for c in [c for c in cells if c][start:])
    text = html.unescape(_TAGS.sub("", text)).strip()
    if text:
        state.conclusion.append(text)


# --- indicator rows ---------------------------------------------------------------


@attrs.frozen
class _Left:
    """What the cells left of the target say: goal, levels and the 三级指标 name."""

    goal: str | None = None
    level1: str | None = None
    level2: str | None = None
    names: tuple[str, ...] = ()


def _has_texts(filled: list[str]) -> bool:
    """Whether cells after the first hold text, not just numbers (an indicator, not a total).

    Dashes and slashes (``—``, ``/``) are how forms leave a cell empty.
    """
    return any(not _is_number(c) and c.strip("—－-/／ ") for c in filled[1:])


def _read_indicator(state: _State, number: int, cells: list[str]) -> None:
    if state.total_row is not None:
        # Rows after a total: the total stood inside the table; say so once.
        state.warn(TOTAL_INSIDE.format(row=state.total_row), state.total_row)
        state.total_row = None
    weight_at = None if _split_header(state.header) else _anchor(cells, state.header)
    if weight_at is None and all(_is_level(c) for c in cells if c):
        _carry(state, _classify_left([c for c in cells if c], state.level1, state.goal))
        return
    if _has_review_columns(state.header):
        # A reviewer's form: numbers stand right of 得分 too, so the columns are read by
        # the header's positions, not by the rightmost pair of numbers.
        cells_left, by_field = _by_header(state.header, cells)
    elif weight_at is None:
        if not _split_header(state.header):
            state.warn(NO_ANCHOR, number, text="\t".join(cells).strip())
        cells_left, by_field = _by_header(state.header, cells)
    else:
        cells_left, by_field = _by_anchor(cells, weight_at)
    left = _classify_left(cells_left, state.level1, state.goal)
    _carry(state, left)
    by_field |= {"goal": state.goal, "level1": state.level1, "level2": state.level2}
    by_field["level3"] = _name(state, number, left.names)
    named = {f: h for h in reversed(state.header) if (f := column_for_header(h)) is not None}
    headers = _HEADERS | named
    row, diagnostics = indicator_from_row(headers, by_field, number=number, file=state.file)
    state.indicators.append(row)
    state.diagnostics.extend(diagnostics)


def _is_level(cell: str) -> bool:
    return bool(GOAL_LABEL.fullmatch(cell)) or cell in LEVEL1_NAMES or cell in LEVEL2_NAMES


def _anchor(cells: list[str], header: Sequence[str] = ()) -> int | None:
    """Index of the 分值 cell: the rightmost pair of adjacent numbers; else the header's
    分值 column when it holds a number and the header puts 年度指标值 and 实际完成值 just
    before it (a row whose 得分 is empty); else a number beside a short non-number (a
    bad 分值 or 得分); None when none exists."""
    pairs = range(len(cells) - 2, 1, -1)
    for i in pairs:
        if _is_number(cells[i]) and _is_number(cells[i + 1]):
            return i
    fields = [column_for_header(h) for h in header]
    if "weight" in fields:
        at = fields.index("weight")
        official = at >= 2 and fields[at - 2 : at] == ["target", "actual"]
        if official and at < len(cells) and _is_number(cells[at]):
            return at
    for i in pairs:
        a, b = cells[i], cells[i + 1]
        if a and b and len(a) <= 8 and len(b) <= 8 and (_is_number(a) or _is_number(b)):
            return i
    return None


def _by_anchor(cells: list[str], at: int) -> tuple[list[str], dict[str, object]]:
    """Split a row at its 分值 cell: (left-hand cells, field → cell)."""
    return [c for c in cells[: at - 2] if c], {
        "target": cells[at - 2],
        "actual": cells[at - 1],
        "weight": cells[at],
        # The 分值 may be the last cell (no 得分 column, or the 得分 left off the row).
        "score": cells[at + 1] if at + 1 < len(cells) else "",
        "reason": "\n".join(c for c in cells[at + 2 :] if c),
    }


def _split_header(header: list[str]) -> bool:
    """Whether the header names columns beyond the official nine (计算符号, 计量单位,
    调整后指标值, 评分标准…): then rows are read by the header's positions."""
    return any(column_for_header(h) in SPLIT_FIELDS for h in header)


# Fields only a budget system's export has: their columns break the right-hand anchor.
SPLIT_FIELDS = frozenset(
    {"comparator", "unit", "initial_target", "adjusted_target", "standard", "coefficient"}
)
_LEFT_FIELDS = frozenset({None, "goal", "level1", "level2", "level3", "description"})


def _by_header(header: list[str], cells: list[str]) -> tuple[list[str], dict[str, object]]:
    """Split a row by the header's column positions (when the right-hand anchor fails)."""
    fields = {column_for_header(h): i for i, h in reversed(list(enumerate(header)))}
    first = min((i for f, i in fields.items() if f not in _LEFT_FIELDS), default=len(cells))
    found: dict[str, object] = {}
    for field, i in fields.items():
        if field is not None and field not in _LEFT_FIELDS:
            found[field] = cells[i] if i < len(cells) else ""
    for field in ("target", "actual", "weight", "score", "reason"):
        found.setdefault(field, "")
    return [c for c in cells[:first] if c], found


def _classify_left(cells: list[str], level1: str, goal: str) -> _Left:
    """Sort the left-hand cells into goal, 一级, 二级 and name cells by exact vocabulary."""
    found: dict[str, str] = {}
    names: list[str] = []
    for i, cell in enumerate(cells):
        if GOAL_LABEL.fullmatch(cell):
            found["goal"] = cell
        elif cell in LEVEL1_NAMES and cell in LEVEL2_NAMES:
            following = cells[i + 1] if i + 1 < len(cells) else ""
            open_level1 = found.get("level1", level1 if found.get("goal", goal) == goal else "")
            is_level2 = following not in LEVEL2_NAMES and open_level1 == COST_PARENT
            found["level2" if is_level2 or "level1" in found else "level1"] = cell
        elif cell in LEVEL1_NAMES:
            found["level1"] = cell
        elif cell in LEVEL2_NAMES:
            found["level2"] = cell
        else:
            names.append(cell)
    return _Left(found.get("goal"), found.get("level1"), found.get("level2"), tuple(names))


def _carry(state: _State, left: _Left) -> None:
    """Carry goal and levels down: a new goal resets the levels, a new 一级 the 二级."""
    if left.goal is not None and left.goal != state.goal:
        state.goal, state.level1, state.level2 = left.goal, "", ""
    if left.level1 is not None and left.level1 != state.level1:
        state.level1, state.level2 = left.level1, ""
    if left.level2 is not None:
        state.level2 = left.level2


def _name(state: _State, number: int, names: tuple[str, ...]) -> str:
    if not names:
        state.warn(NO_NAME, number)
    elif len(names) > 1:
        state.warn(EXTRA_TEXT, number, text=" | ".join(names))
    return " ".join(names)


# Field → the Chinese header used when an indicator is built from classified cells.
_HEADERS: dict[str, str] = {
    "goal": "绩效目标",
    "level1": "一级指标",
    "level2": "二级指标",
    "level3": "三级指标",
    "target": "年度指标值",
    "actual": "实际完成值",
    "weight": "分值",
    "score": "得分",
    "reason": "偏差原因分析及改进措施",
    "comparator": "计算符号",
    "unit": "计量单位",
    "initial_target": "年初指标值",
    "adjusted_target": "调整后指标值",
    "standard": "评(扣)分标准",
    "coefficient": "得分系数",
}


_Handler = Callable[[_State, int, list[str]], None]
_OPENERS: dict[str, _Handler] = {
    "department": _open_department,
    "execution": _open_execution,
    "goals": lambda state, number, cells: None,
    "indicators": _open_indicators,
    "total": _read_total,
    "conclusion": _read_conclusion,
}
_CONTINUERS: dict[str, _Handler] = {
    "execution": _read_execution,
    "goals": _read_goal,
    "indicators": _read_indicator,
    "conclusion": _read_conclusion,
}


# --- Word ---------------------------------------------------------------------


def read_self_evaluation_docx(path: str | os.PathLike[str]) -> Document:
    """Read a self-evaluation from a Word (.docx) file; needs ``pip install 'perfscore[word]'``."""
    try:
        import docx
    except ImportError:
        raise ReadError(
            "读取 Word 文件需要 python-docx，请运行 pip install 'perfscore[word]' "
            "(reading Word files needs python-docx: pip install 'perfscore[word]')",
            file=os.fspath(path),
        ) from None
    check_archive(os.fspath(path))
    try:
        document = docx.Document(os.fspath(path))
    except Exception:  # python-docx raises zip, XML and key errors alike
        raise ReadError(
            "无法打开 Word 文件：文件已损坏，或并非 .docx 格式；请用 Word 或 WPS 打开后另存为 .docx"
            " (cannot open the Word file: it is damaged or not a .docx; open it in Word and"
            " save it as .docx)",
            file=os.fspath(path),
        ) from None
    rows = list(docx_rows(document))
    result = parse_self_evaluation_rows(iter(rows), file=os.fspath(path))
    if result.indicators:
        return result
    # The official forms (指标 block under 绩效指标): read the table as a spreadsheet, on
    # its grid, a merged cell's text in every grid cell it spans (as Excel's merged ranges),
    # so the 总分 row's 分值 and 得分 stay under their headers whatever 总分 spans.
    table = read_rows(list(docx_rows(document, grid=True)), file=os.fspath(path))
    return table if table.indicators else result


def docx_rows(document: Any, *, grid: bool = False) -> Iterator[list[str]]:
    """Yield a python-docx document's paragraphs and table rows in order, as cell texts.

    A horizontally merged cell is given once; a vertically merged cell is given
    on its first row only and empty below, as the text export writes it.  With
    ``grid`` a row has one cell per grid column, a merged cell's text in each.
    """
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            for row in block.rows:
                yield [cell.text for cell in row.cells] if grid else _docx_cells(row)
        else:
            yield [block.text]


def _docx_cells(row: Any) -> list[str]:
    cells: list[str] = []
    previous = None
    for tc, text in docx_row_cells(row):
        if tc is previous:
            continue
        previous = tc
        # python-docx hands back the cell above for a vertical-merge continuation.
        own = tc.getparent() is row._tr
        cells.append(text if own else "")
    return cells
