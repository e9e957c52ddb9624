"""The review subcommands of ``perfscore``: audit, lint, template, monitor.

:func:`register` adds them to the ``perfscore`` argument parser; each sets a
``handler(args, stdout, stderr) -> int`` that prints to the given streams.
Exit status: 0 when all went well, 1 for problems in the input (a file that
cannot be read, an ERROR finding), 2 for usage errors.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import pathlib
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from .._safe import safe_text

if TYPE_CHECKING:
    from ..documents import Document, Project
    from ..review.findings import Finding
    from ..review.monitor import Light
    from ..score.scheme import Scheme
from .argtypes import date_arg, decimal_arg
from .options import (
    EXIT_INPUT,
    EXIT_OK,
    EXIT_USAGE,
    add_budget,
    add_file,
    add_format,
    add_output,
    add_scheme,
    add_sheet,
    add_year,
    guarded,
)

__all__ = ["register"]


OK, PROBLEM, USAGE = EXIT_OK, EXIT_INPUT, EXIT_USAGE
_WRAP = 44  # display columns of the wrapped text columns
# One Chinese word per severity, spelled once in _display (which the CLI loads anyway).
from .._display import SEVERITY_LABELS  # noqa: E402


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``audit``, ``lint``, ``template`` and ``monitor`` subcommands."""
    _add_audit(subparsers)
    _add_lint(subparsers)
    _add_template(subparsers)
    _add_monitor(subparsers)


# --- argument types -----------------------------------------------------------------------


def _progress(text: str) -> tuple[int, str]:
    row, sep, value = text.partition("=")
    if not sep or not row.strip().isdigit() or not value.strip():
        raise argparse.ArgumentTypeError(f"应为 行号=进度，如 172=120家: {text!r}")
    return int(row), value.strip()


def _cause(text: str) -> tuple[int, str]:
    row, sep, value = text.partition("=")
    if not sep or not row.strip().isdigit() or not value.strip():
        raise argparse.ArgumentTypeError(f"应为 行号=原因，如 172=资金未及时拨付: {text!r}")
    return int(row), value.strip()


def _add_format(parser: argparse.ArgumentParser) -> None:
    add_format(parser, ("table", "json"), "table")


# --- shared -------------------------------------------------------------------------------


def _scheme(args: argparse.Namespace) -> Scheme:
    from ..score.scheme import load_scheme

    return load_scheme(args.scheme)


def _wrap(text: str, width: int = _WRAP) -> str:
    from .._display import wrap

    return wrap(text, width)


def render_findings(findings: Sequence[Finding], *, with_project: bool) -> str:
    """The findings as a grid table, then a count by severity."""
    from .._display import grid
    from ..review.findings import finding_name

    headers = ["级别", "发现（代码）", *(["项目"] if with_project else []), "行", "内容"]
    headers.append("说明 / 建议")
    rows = [
        [
            SEVERITY_LABELS[f.severity.value],
            f"{_wrap(finding_name(f.code), 20)}\n{f.code}",
            *([_wrap(f.project, 20)] if with_project else []),
            "" if f.row is None else str(f.row),
            _wrap(f.text, 24),
            _wrap(f.message + (f"\n建议：{f.suggestion}" if f.suggestion else "")),
        ]
        for f in findings
    ]
    table = grid(rows, headers=headers, tablefmt="grid") if rows else "（无发现）"
    return f"{table}\n{_count(findings)}"


def _count(findings: Sequence[Finding]) -> str:
    from ..documents import Severity

    counts = Counter(f.severity for f in findings)
    parts = "，".join(f"{SEVERITY_LABELS[s.value]} {counts[s]}" for s in Severity)
    return f"共 {len(findings)} 条（{parts}）"


def _findings_json(findings: Sequence[Finding], command: str, file: str) -> str:
    from ..report.outputs import dumps, findings_data

    return dumps(findings_data(findings, command, file))


def _status(findings: Sequence[Finding], document: Document) -> int:
    from ..documents import Severity

    errors = any(f.severity is Severity.ERROR for f in findings)
    return PROBLEM if errors or document.has_errors else OK


# --- audit --------------------------------------------------------------------------------


def _add_audit(subparsers: argparse._SubParsersAction[Any]) -> None:
    parser = subparsers.add_parser(
        "audit", help="复核自评表 (audit a scored self-evaluation)", description=_audit.__doc__
    )
    add_file(parser, "自评表 .txt .csv .xlsx .docx .json (self-evaluation file)")
    add_scheme(parser)
    add_year(parser)
    add_sheet(parser)
    add_budget(parser)
    _add_format(parser)
    parser.set_defaults(handler=guarded(_audit), command="audit")


def _audit(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """复核：比较填报得分与方案得分，检查总分、分值、扣分原因与预算执行。

    (audit: compare published and scheme scores; check totals, weights, reasons, execution)
    """
    from ..parse.values import format_decimal
    from ..readers import read
    from ..review.audit import audit
    from ..score.rollup import evaluate_document

    if (args.budget is None) != (args.executed is None):
        print("perfscore audit: --budget 与 --executed 需同时给出", file=stderr)
        return USAGE
    document = read(args.file, sheet=args.sheet)
    _report_read_errors(document, stderr)
    evaluation = evaluate_document(
        document, scheme=_scheme(args), year=args.year, budget=args.budget, executed=args.executed
    )
    findings = audit(evaluation, document)
    if args.format == "json":
        print(_findings_json(findings, "audit", args.file), file=stdout)
    else:
        total = f"总分 {format_decimal(evaluation.total)}，等级 {evaluation.grade}"
        print(f"{args.file}：{total}（{evaluation.scheme.title}）", file=stdout)
        print(render_findings(findings, with_project=False), file=stdout)
    return _status(findings, document)


def _report_read_errors(document: Document, stderr: TextIO) -> None:
    from ..documents import Severity

    for diagnostic in document.diagnostics:
        if diagnostic.severity is Severity.ERROR:
            print(safe_text(f"读取问题 (read problem): {diagnostic}"), file=stderr)


# --- lint ---------------------------------------------------------------------------------


def _add_lint(subparsers: argparse._SubParsersAction[Any]) -> None:
    parser = subparsers.add_parser(
        "lint", help="审核绩效目标表 (lint a target table)", description=_lint.__doc__
    )
    add_file(parser, "绩效目标表 .txt .docx .csv .xlsx (target table)")
    add_sheet(parser)
    parser.add_argument(
        "--last-year",
        metavar="FILE",
        help="上年绩效目标表或自评表，用于跨年比较 (last year's table, for cross-year checks)",
    )
    parser.add_argument(
        "--period",
        type=_period,
        metavar="START:END",
        help="项目期间，如 2024-01-01:2024-12-31，默认为目标表年度 (project period)",
    )
    _add_format(parser)
    parser.set_defaults(handler=guarded(_lint), command="lint")


def _lint(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """目标审核：检查占位目标、模糊目标、单位、类别、成本、满意度、支出计划与预算。

    (lint: placeholder or vague targets, units, categories, costs, satisfaction, spending plan)
    """
    from ..readers import read
    from ..review.verdict import review_table

    document = read(args.file, sheet=args.sheet)
    _report_read_errors(document, stderr)
    last_year = None
    if args.last_year is not None:
        last_year = read(args.last_year)
        _report_read_errors(last_year, stderr)
    findings, verdicts = review_table(document, last_year=last_year, period=args.period)
    if args.format == "json":
        from ..report.outputs import dumps, lint_data

        print(dumps(lint_data(findings, verdicts, args.file)), file=stdout)
    else:
        projects = len(document.projects)
        print(f"{args.file}：{projects} 个项目，{len(document.indicators)} 项指标", file=stdout)
        print("审核结论 (verdict)：", file=stdout)
        for verdict in verdicts:
            print(f"  {verdict.summary}", file=stdout)
        print(render_findings(findings, with_project=True), file=stdout)
    return _status(findings, document)


def _period(text: str) -> tuple[dt.date, dt.date]:
    start, sep, end = text.partition(":")
    try:
        first, last = dt.date.fromisoformat(start.strip()), dt.date.fromisoformat(end.strip())
    except ValueError:
        first = last = None  # type: ignore[assignment]
    if not sep or first is None or last is None or last < first:
        raise argparse.ArgumentTypeError(
            f"应为 开始:结束，如 2024-01-01:2024-12-31 (expected START:END): {text!r}"
        )
    return first, last


# --- template -----------------------------------------------------------------------------


def _add_template(subparsers: argparse._SubParsersAction[Any]) -> None:
    parser = subparsers.add_parser(
        "template",
        help="由绩效目标表生成自评表 (build a self-evaluation workbook)",
        description=_template.__doc__,
    )
    add_file(parser, "绩效目标表 .txt .docx .csv .xlsx (target table)")
    add_output(parser, "输出的 .xlsx 自评表模板 (the workbook to write)", required=True)
    add_scheme(parser)
    add_year(parser)
    parser.set_defaults(handler=guarded(_template), command="template")


def _template(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """生成自评表模板：每个项目一个工作表，指标值与默认分值已填好。

    (build a self-evaluation workbook: a sheet per project, targets and weights filled in)
    """
    from ..readers import read
    from ..review.template import build_template, sheet_names

    document = read(args.file)
    _report_read_errors(document, stderr)
    if not document.indicators:
        # A workbook of empty sheets would look like success and be handed on.
        print(
            f"perfscore template: {args.file}: 未读到任何指标行，未生成模板"
            " (no indicator rows were read: nothing written)",
            file=stderr,
        )
        return PROBLEM
    data = build_template(document, _scheme(args), year=args.year)
    output = pathlib.Path(args.output)
    try:
        output.write_bytes(data)
    except OSError as error:
        print(safe_text(f"perfscore template: 无法写入 {output}: {error.strerror}"), file=stderr)
        return PROBLEM
    names = sheet_names(document)
    print(f"已生成 {output}：{len(names)} 个工作表 (sheets)", file=stdout)
    for name in names:
        print(f"  {name}", file=stdout)
    return OK


# --- monitor ------------------------------------------------------------------------------


def _add_monitor(subparsers: argparse._SubParsersAction[Any]) -> None:
    parser = subparsers.add_parser(
        "monitor", help="绩效运行监控 (mid-year spending monitor)", description=_monitor.__doc__
    )
    add_file(parser, "绩效目标表，含资金支出计划 (target table with its spending plan)")
    parser.add_argument(
        "--spent",
        type=decimal_arg,
        required=True,
        metavar="AMOUNT",
        help="累计已支出（万元） (spent so far, 10k yuan)",
    )
    parser.add_argument(
        "--date",
        type=date_arg,
        required=True,
        metavar="YYYY-MM-DD",
        help="监控日期 (monitoring date)",
    )
    parser.add_argument(
        "--project",
        metavar="NAME",
        help="项目名称，目标表有多个项目时必填 (project name; required with several projects)",
    )
    parser.add_argument(
        "--progress",
        type=_progress,
        action="append",
        default=[],
        metavar="ROW=TEXT",
        help="指标进度，如 172=120家，可重复 (an indicator's progress by row; repeatable)",
    )
    parser.add_argument(
        "--cause",
        type=_cause,
        action="append",
        default=[],
        metavar="ROW=TEXT",
        help="指标偏差原因，如 172=资金未及时拨付，可重复 (why an indicator lags, by row)",
    )
    add_scheme(parser)
    _add_format(parser)
    parser.set_defaults(handler=guarded(_monitor), command="monitor")


def _monitor(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """绩效运行监控：按资金支出计划计算计划进度，与实际支出进度比较，给出红黄绿灯。

    (monitor: planned against actual spending progress, with a traffic light)
    """
    from ..parse.values import format_decimal
    from ..readers import read
    from ..review.monitor import monitor

    document = read(args.file)
    _report_read_errors(document, stderr)
    project = _pick_project(document, args.project)
    if isinstance(project, str):
        print(safe_text(f"perfscore monitor: {project}"), file=stderr)
        return USAGE
    report = monitor(
        project,
        spent=args.spent,
        on=args.date,
        scheme=_scheme(args),
        progress=dict(args.progress),
        causes=dict(args.cause),
    )
    if args.format == "json":
        from ..report._json import dumps

        print(dumps(report.to_dict()), file=stdout)
    else:
        print(_coloured(report.light, report.summary, stdout), file=stdout)
        for note in report.notes:
            print(f"  注意 (note)：{note}", file=stdout)
        for reading in report.indicators:
            share = "需人工判断" if reading.share is None else f"{format_decimal(reading.share)}"
            print(
                f"  第{reading.row}行 {reading.name}：{reading.explanation}（{share}）", file=stdout
            )
        for line in _tracking_lines(report):
            print(line, file=stdout)
    return PROBLEM if document.has_errors else OK


def _tracking_lines(report: Any) -> list[str]:
    """双监控: time progress, checkpoint, indicator lights against time, and the 2×2 matrix."""
    lines = []
    if report.checkpoint is not None:
        lines.append(f"支出进度节点 (checkpoint)：{report.checkpoint.sentence}。")
    tracked = [r for r in report.indicators if r.tracking is not None]
    if tracked:
        lines.append(f"时间进度 (time gone)：{report.time_percent}%；指标完成进度 (indicators):")
    for reading in tracked:
        t = reading.tracking
        if t.completion is None:
            lines.append(f"  第{reading.row}行 {reading.name}：{t.light.chinese}")
        else:
            lines.append(
                f"  第{reading.row}行 {reading.name}：完成 {t.completion}%，应完成 {t.expected}%，"
                f"{t.light.chinese}；全年预计 {t.projected}（目标 {reading.target}），"
                f"完成目标可能性：{t.likelihood}"
            )
        if t.cause:
            lines.append(f"    偏差原因：{t.cause_category}（{t.cause}）")
    if report.matrix is not None:
        lines.append(
            f"双监控矩阵 (spending × attainment)：{report.matrix.quadrant}。{report.matrix.advice}"
        )
    return lines


# ANSI colours of the monitoring lights on a terminal; overspending is red and bold.
_LIGHT_COLOURS = {"green": "32", "yellow": "33", "red": "31", "overspent": "1;31"}


def _coloured(light: Light, text: str, stream: TextIO) -> str:
    """``text`` in the light's colour on a terminal (not with NO_COLOR, not into a file)."""
    code = _LIGHT_COLOURS.get(light.value)
    if code is None or os.environ.get("NO_COLOR") or not stream.isatty():
        return text
    return f"\x1b[{code}m{text}\x1b[0m"


def _pick_project(document: Document, name: str | None) -> Project | str:
    """The project ``name`` names (sheet name, exact name or part of one), or a message."""
    projects = document.projects
    if name is None:
        if len(projects) == 1:
            return _with_budget(projects[0], document)
        names = "、".join(p.name for p in projects)
        return f"目标表有 {len(projects)} 个项目，请用 --project 指定：{names}"
    # Projects with the same name are told apart as their template sheets are: 维修费（2）.
    from ..review.template import sheet_names

    labelled = [
        p for p, sheet in zip(projects, sheet_names(document), strict=True) if sheet == name
    ]
    exact = [p for p in projects if p.name == name]
    found = labelled or exact or [p for p in projects if name in p.name]
    if len(found) == 1:
        return _with_budget(found[0], document)
    return f"找不到唯一的项目「{name}」(no single project named {name!r}; {len(found)} match)"


def _with_budget(project: Project, document: Document) -> Project:
    """A self-evaluation keeps its budget on the document: lend it to the project."""
    import attrs

    if project.budget is None and document.budget is not None:
        return attrs.evolve(project, budget=document.budget)
    return project
