"""Read the JSON that :func:`perfscore.report.to_json` writes back into a :class:`Document`.

The file is an object with an ``indicators`` list (schema
``perfscore.evaluation/1``, see ``docs/json-schema.md``); a bare list of
indicator objects is accepted too.  Each indicator keeps the texts and
numbers as written (``target``, ``actual``, ``weight``, ``published``…), so
evaluating the document again gives the same total.  Malformed JSON raises
:class:`ReadError` naming the line and column; a bad row becomes a
diagnostic and is still read.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ..documents import Diagnostic, Document, DocumentKind, Goal, Project, Severity
from ..errors import ReadError
from ..indicators import (
    MAX_NUMBER_TEXT,
    Indicator,
    column_for_header,
    compose_target,
    parse_decimal,
    parse_points,
)
from . import _files
from ._files import read_file_bytes, too_many_rows

__all__ = ["read_json", "read_json_text"]

TEXT_FIELDS = (
    "goal",
    "level1",
    "level2",
    "level3",
    "description",
    "basis",
    "target",
    "actual",
    "reason",
    "comparator",
    "unit",
    "initial_target",
    "adjusted_target",
    "standard",
    "review_note",
)
# Keys read as they are; any other key naming a column (计算符号, kpi_val…) is mapped.
_KNOWN_KEYS = frozenset({*TEXT_FIELDS, "row", "weight", "published", "score", "computed"})
BAD_JSON = "JSON 格式错误：{msg}，位于第 {line} 行第 {col} 列（字符 {pos}） (invalid JSON: {msg})"
NOT_EVALUATION = (
    "不是 perfscore 的 JSON：缺少 indicators 或 projects 列表"
    " (not perfscore JSON: no 'indicators' or 'projects' list)"
)
BAD_NUMBER = "不是有效数字，按空白读取 (not a number, read as empty)"
BAD_TEXT = "应为文字，已转换 (expected text, converted)"
BAD_ROW = "指标应为对象，已跳过其内容 (an indicator must be an object; its content is ignored)"
BAD_ROW_NUMBER = "行号应为正整数，按序号计 (row must be a positive integer; numbered by position)"


def read_json(path: str | os.PathLike[str]) -> Document:
    """Read a perfscore JSON file (UTF-8) into a :class:`Document`."""
    file = os.fspath(path)
    try:
        text = read_file_bytes(file).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ReadError("JSON 文件应为 UTF-8 编码 (JSON must be UTF-8)", file=file) from None
    return read_json_text(text, file=file)


# No perfscore document nests deeper than a few levels or needs numbers this long.
MAX_INT_DIGITS = 20
TOO_DEEP = "JSON 嵌套过深 (JSON nested too deep): 请检查文件是否为 perfscore 的 JSON"


class _Unread(str):
    """A JSON number kept as its text: NaN, Infinity, or past the digit or exponent bounds.

    The row's field reading it reports it (naming row, column and text), so one
    bad number never fails the file; as text it never becomes a million digits.
    """

    __slots__ = ()


def _bounded_int(text: str) -> int | str:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        return _Unread(text)
    return int(text)


def _bounded_float(text: str) -> Decimal | str:
    # Checked on the text, before any conversion (see indicators.parse_decimal).
    try:
        value = parse_decimal(text) if len(text) <= MAX_NUMBER_TEXT else None
    except ValueError:
        value = None
    return _Unread(text) if value is None else value


def read_json_text(text: str, *, file: str = "") -> Document:
    """Read perfscore JSON given as a string; ``file`` names it in messages."""
    try:
        data = json.loads(
            text, parse_float=_bounded_float, parse_int=_bounded_int, parse_constant=_Unread
        )
    except json.JSONDecodeError as error:
        message = BAD_JSON.format(msg=error.msg, line=error.lineno, col=error.colno, pos=error.pos)
        raise ReadError(message, file=file, row=error.lineno, column=str(error.colno)) from None
    except RecursionError:
        raise ReadError(TOO_DEEP, file=file) from None
    except ValueError as error:  # a number past the digit bound
        raise ReadError(str(error), file=file) from None
    if isinstance(data, dict) and isinstance(data.get("sheets"), list):
        data = _one_sheet(data["sheets"], file)
    if isinstance(data, list):
        data = {"indicators": data}
    if isinstance(data, dict) and isinstance(data.get("PM_SELF_EVAL_INDICATOR"), list):
        # The 预算管理一体化 profile (perfscore score --format json --profile yth, or a
        # budget system's export): rows under the standard's element names.
        data = {"indicators": [_yth_row(r) for r in data["PM_SELF_EVAL_INDICATOR"]]}
    if isinstance(data, dict) and isinstance(data.get("projects"), list):
        data = _from_read_output(data)
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), list):
        raise ReadError(NOT_EVALUATION, file=file)
    if len(data["indicators"]) > _files.MAX_ROWS:
        raise too_many_rows(file, len(data["indicators"]), "JSON 的指标")
    return _document(data, file)


def _yth_row(row: object) -> object:
    """A yth record with perfscore's own row number (``x_perfscore.row``) brought up."""
    if not isinstance(row, Mapping) or not isinstance(row.get("x_perfscore"), Mapping):
        return row
    extra = row["x_perfscore"]
    kept = {k: v for k, v in row.items() if k != "x_perfscore"}
    return kept | {k: extra[k] for k in ("row", "goal") if k in extra and k not in kept}


def _one_sheet(sheets: list[Any], file: str) -> Any:
    """The evaluation of ``perfscore score --format json`` output (``perfscore.workbook/2``)."""
    if len(sheets) != 1 or not isinstance(sheets[0], Mapping):
        names = "、".join(str(s.get("sheet")) for s in sheets if isinstance(s, Mapping))
        raise ReadError(
            f"JSON 含 {len(sheets)} 个工作表（{names}），请分别保存后再读取"
            f" (the JSON holds {len(sheets)} sheets: score each sheet's file on its own)",
            file=file,
        )
    return sheets[0].get("evaluation")


def _from_read_output(data: dict[str, Any]) -> dict[str, Any]:
    """Turn ``perfscore read --format json`` output (rows inside projects) into the same form."""
    indicators = [
        {**row, "project": n} if isinstance(row, Mapping) else row
        for n, project in enumerate(data["projects"])
        if isinstance(project, Mapping)
        for row in project.get("indicators") or ()
    ]
    return {"indicators": indicators, "document": data}


class _Rows:
    """Collects indicators per project and the diagnostics found on the way."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.by_project: dict[int, list[Indicator]] = {}
        self.diagnostics: list[Diagnostic] = []

    def problem(self, message: str, row: int, column: str, text: object) -> None:
        """Record an ERROR about one indicator field."""
        self.diagnostics.append(
            Diagnostic(message, Severity.ERROR, self.file, row, column, _short(text))
        )

    def add(self, index: int, item: object, projects: int) -> None:
        """Read the ``index``-th indicator object."""
        where = f"indicators[{index}]"
        if not isinstance(item, Mapping):
            self.problem(BAD_ROW, index + 1, where, item)
            item = {}
        item, names = _by_field(item)
        row = self._row(item, index, where)
        fields = {f: self._text(item, f, row, where) for f in TEXT_FIELDS}
        weight = self._number(item, "weight", row, where)
        published = self._number(item, "published", row, where)
        if "published" not in item and "score" in item and "computed" not in item:
            published = self._number(item, "score", row, where)  # a `perfscore read` row
        reviewed = self._number(item, "reviewed", row, where)
        coefficient = None
        try:
            coefficient = parse_decimal(item.get("coefficient"))
        except ValueError:
            self.problem(BAD_NUMBER, row, f"{where}.coefficient", item.get("coefficient"))
        composed = compose_target(fields, names)
        indicator = Indicator(
            row=row,
            weight=weight,
            published=published,
            coefficient=coefficient,
            reviewed=reviewed,
            **(fields | composed),
        )
        project = item.get("project")
        owner = project if isinstance(project, int) and 0 <= project < projects else 0
        self.by_project.setdefault(owner, []).append(indicator)

    def _row(self, item: Mapping[str, Any], index: int, where: str) -> int:
        row = item.get("row", index + 1)
        if isinstance(row, int) and not isinstance(row, bool) and row > 0:
            return row
        self.problem(BAD_ROW_NUMBER, index + 1, f"{where}.row", row)
        return index + 1

    def _text(self, item: Mapping[str, Any], field: str, row: int, where: str) -> str:
        value = item.get(field)
        if value is None:
            return ""
        if not isinstance(value, str):
            self.diagnostics.append(
                Diagnostic(BAD_TEXT, Severity.WARNING, self.file, row, f"{where}.{field}")
            )
            return _plain(value)
        return value

    def _number(self, item: Mapping[str, Any], field: str, row: int, where: str) -> Decimal | None:
        value = item.get(field)
        try:
            return parse_points(value)
        except ValueError as error:
            reason = str(error) if str(error).startswith(("分值", "数字")) else BAD_NUMBER
            self.problem(reason, row, f"{where}.{field}", value)
            return None


def _by_field(item: Mapping[str, Any]) -> tuple[Mapping[str, Any], dict[str, str]]:
    """Keys under other names (计算符号, 指标值, kpi_val…) mapped to perfscore's fields,
    and field → the key it came from (named in messages)."""
    if all(key in _KNOWN_KEYS for key in item):
        return item, {}
    mapped = {key: value for key, value in item.items() if key in _KNOWN_KEYS}
    names: dict[str, str] = {}
    for key, value in item.items():
        field = column_for_header(str(key)) if key not in _KNOWN_KEYS else None
        if field == "score":
            field = "published"
        if field is not None and field not in mapped:
            mapped[field] = value
            names[field] = str(key)
    return mapped, names


def _plain(value: object) -> str:
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _short(value: object) -> str:
    text = "" if value is None else _plain(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _document(data: Mapping[str, Any], file: str) -> Document:
    meta = data.get("document")
    meta = meta if isinstance(meta, Mapping) else {}
    shells = [p for p in meta.get("projects") or () if isinstance(p, Mapping)] or [{}]
    rows = _Rows(file)
    for index, item in enumerate(data["indicators"]):
        rows.add(index, item, len(shells))
    projects = tuple(_project(shell, rows.by_project.get(n, [])) for n, shell in enumerate(shells))
    metadata = _metadata(data, meta, rows)  # before the diagnostics: it adds to them
    return Document(
        path=file,
        kind=_kind(meta.get("kind")),
        projects=projects,
        diagnostics=(*_old_diagnostics(meta), *rows.diagnostics),
        **metadata,
    )


def _kind(value: object) -> DocumentKind:
    try:
        return DocumentKind(value)
    except ValueError:
        return DocumentKind.SELF_EVALUATION


_DECIMALS = (
    "initial_budget",
    "budget",
    "executed",
    "execution_weight",
    "execution_published",
    "published_total",
)


def _metadata(data: Mapping[str, Any], meta: Mapping[str, Any], rows: _Rows) -> dict[str, Any]:
    """Document fields from ``document``, falling back on the evaluation's own figures."""
    found = data.get("execution")
    execution: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
    fallback = {
        "budget": execution.get("budget"),
        "executed": execution.get("executed"),
        "execution_weight": execution.get("weight"),
        "execution_published": execution.get("published"),
        "published_total": data.get("published_total"),
    }
    fields: dict[str, Any] = {}
    for name in _DECIMALS:
        value = meta.get(name, fallback.get(name))
        try:
            fields[name] = parse_decimal(value)
        except ValueError as error:
            reason = str(error) if str(error).startswith("数字") else BAD_NUMBER
            rows.problem(reason, 0, f"document.{name}", value)
    year = meta.get("year", data.get("year"))
    fields["year"] = year if isinstance(year, int) and not isinstance(year, bool) else None
    for name in ("department", "execution_reason", "conclusion"):
        fields[name] = meta.get(name) if isinstance(meta.get(name), str) else ""
    return fields


def _project(shell: Mapping[str, Any], indicators: list[Indicator]) -> Project:
    goals = tuple(
        Goal(str(g.get("label", "")), str(g.get("text", "")), str(g.get("achieved", "")))
        for g in shell.get("goals") or ()
        if isinstance(g, Mapping)
    )
    return Project(
        name=str(shell.get("name") or ""),
        code=str(shell.get("code") or ""),
        unit=str(shell.get("unit") or ""),
        budget=_decimal_or_none(shell.get("budget")),
        fiscal_funds=_decimal_or_none(shell.get("fiscal_funds")),
        other_funds=_decimal_or_none(shell.get("other_funds")),
        purpose=str(shell.get("purpose") or ""),
        goals=goals,
        spending_plan=_spending_plan(shell.get("spending_plan")),
        indicators=tuple(indicators),
    )


def _decimal_or_none(value: object) -> Decimal | None:
    try:
        return parse_decimal(value)
    except ValueError:
        return None


def _spending_plan(value: object) -> tuple[tuple[str, Decimal | None], ...]:
    if not isinstance(value, list):
        return ()
    return tuple(
        (str(pair[0]), _decimal_or_none(pair[1]))
        for pair in value
        if isinstance(pair, list) and len(pair) == 2
    )


def _old_diagnostics(meta: Mapping[str, Any]) -> list[Diagnostic]:
    """The source file's diagnostics, kept: they are still true of its rows."""
    found = []
    for item in meta.get("diagnostics") or ():
        if not isinstance(item, Mapping):
            continue
        try:
            severity = Severity(item.get("severity", "error"))
        except ValueError:
            severity = Severity.ERROR
        row = item.get("row")
        found.append(
            Diagnostic(
                str(item.get("message", "")),
                severity,
                str(item.get("file", "")),
                row if isinstance(row, int) else None,
                str(item.get("column", "")),
                str(item.get("text", "")),
            )
        )
    return found
