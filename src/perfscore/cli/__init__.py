"""The ``perfscore`` command: the only place in perfscore that prints.

Subcommands (``perfscore COMMAND --help`` for each)::

    score FILE     score a self-evaluation; table, JSON, CSV, XLSX, HTML or Word
    parse TEXT…    show how target / actual texts are read
    read FILE      show what was read from a file, before scoring
    schemes        list the preset scoring schemes and how they differ
    fit FILE       find the scheme settings a published table followed

plus ``audit``, ``lint``, ``template`` and ``monitor`` from :mod:`.review`, ``batch``
from :mod:`.batch` and ``report`` (the Word 自评报告) from :mod:`.handin`.
It parses arguments, calls the library and prints; it may import every other
package, and nothing imports it.  Every handler is ``handler(args, stdout, stderr) ->
int``.  Exit status: 0 all well, 1 a problem in the input (each message
names the file, row, column and text), 2 a usage error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from .. import __version__, _gc
from .._safe import safe_text
from ..errors import PerfscoreError, ReadError, SchemeError
from ..report.schemas import TAGS

if TYPE_CHECKING:
    from ..documents import Document
    from ..indicators import Indicator
    from ..review.findings import Finding
    from ..score.rollup import Evaluation
    from ..score.scheme import Scheme
from .._display import SEVERITY_LABELS
from .batch import register as register_batch
from .desk import register as register_desk
from .fit import register as register_fit
from .handin import add_template
from .handin import register as register_handin
from .options import (
    EXIT_INPUT,
    EXIT_OK,
    EXIT_USAGE,
    Parser,
    add_budget,
    add_file,
    add_format,
    add_output,
    add_profile,
    add_quiet,
    add_recompute,
    add_scheme,
    add_sheet,
    add_year,
    score_format,
)
from .options import error as _error
from .review import register as register_review
from .schemes import register as register_schemes
from .serve import register as register_serve

__all__ = ["main"]

PROGRESS_ROWS = 1000  # show progress on a terminal when scoring more rows than this
FORMATS = ("table", "json", "csv", "xlsx", "html", "docx")
BINARY = ("xlsx", "docx")  # formats written only to a file, one sheet at a time


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``perfscore`` with ``argv`` (default: the command line); return the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse exits on usage errors and --help
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    if not hasattr(args, "handler"):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        with _gc.fewer_collections(GC_THRESHOLDS):
            status: int = args.handler(args, sys.stdout, sys.stderr)
        sys.stdout.flush()
    except BrokenPipeError:
        # ``perfscore lint … | head -1``: the reader left; stop quietly, as Unix tools do.
        # Point stdout at /dev/null so the interpreter's final flush cannot fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    return status


# The cyclic garbage collector's thresholds while a command runs (perfscore._gc: a young
# collection every 100,000 containers instead of 700; see there why).  A command on a big
# file otherwise pays again and again for walking the rows it holds.
GC_THRESHOLDS = _gc.GC_THRESHOLDS


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every subcommand."""
    parser = Parser(
        prog="perfscore",
        description="预算绩效自评评分 (score budget performance self-evaluations)",
        epilog="每个命令的用法：perfscore COMMAND --help (each command: perfscore COMMAND --help)",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"perfscore {__version__}",
        help="显示版本并退出 (show the version and exit)",
    )
    subparsers = parser.add_subparsers(title="命令 (commands)", metavar="COMMAND")
    _add_score(subparsers)
    _add_parse(subparsers)
    _add_read(subparsers)
    register_schemes(subparsers)
    register_batch(subparsers)
    register_review(subparsers)
    register_fit(subparsers)
    register_desk(subparsers)
    register_handin(subparsers)
    register_serve(subparsers)
    return parser


# --- shared helpers -------------------------------------------------------------------


def _read(path: str, sheet: str | None, stderr: TextIO) -> Document | None:
    """Read ``path``, printing a ReadError instead of raising it."""
    from ..readers import read

    try:
        return read(path, sheet=sheet)
    except ReadError as error:
        _error(stderr, error)
        return None


def _print_diagnostics(document: Document, stderr: TextIO) -> None:
    for diagnostic in document.diagnostics:
        where = "" if diagnostic.file else f"{document.path}, "
        line = f"{SEVERITY_LABELS[diagnostic.severity.value]}: {where}{diagnostic}"
        print(safe_text(line), file=stderr)


def clean_text_output(text: str) -> str:
    """Replace controls (terminal escapes) and lone surrogates, which no output holds, by ``�``."""
    return safe_text(text)


def _write(
    output: str | bytes,
    path: str | None,
    stdout: TextIO,
    stderr: TextIO,
    *,
    bom: bool = False,
) -> bool:
    """Write ``output`` to ``path`` or stdout; CSV gets a BOM either way so Excel reads Chinese.

    Missing folders in ``path`` are created (``-o out/report.xlsx``).
    """
    if isinstance(output, str):
        # A lone surrogate (from JSON input) cannot be encoded: shown as � instead.
        output = clean_text_output(output)
    if path is None:
        assert isinstance(output, str)
        text = output if output.endswith("\n") else output + "\n"
        stdout.write("\ufeff" + text if bom else text)
        return True
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        if isinstance(output, bytes):
            Path(path).write_bytes(output)
        else:
            encoding = "utf-8-sig" if bom or path.lower().endswith(".csv") else "utf-8"
            Path(path).write_text(output, encoding=encoding, newline="")
    except OSError as error:
        _error(stderr, f"{path}: 无法写入文件 (cannot write the file: {error.strerror})")
        return False
    return True


class _Progress:
    """A plain-text progress line on stderr, shown only on a terminal for long runs."""

    def __init__(self, stderr: TextIO, total: int, label: str, quiet: bool = False) -> None:
        self.stderr, self.total, self.label = stderr, total, label
        self.shown = total > PROGRESS_ROWS and stderr.isatty() and not quiet
        self.step = max(total // 50, 1)

    def wrap(self, items: Iterable[Indicator]) -> Iterator[Indicator]:
        """Yield ``items``, updating the line every ~2%."""
        for done, item in enumerate(items, start=1):
            yield item
            if self.shown and (done % self.step == 0 or done == self.total):
                filled = 30 * done // self.total
                bar = "#" * filled + "." * (30 - filled)
                self.stderr.write(f"\r{self.label} [{bar}] {done}/{self.total}")
        if self.shown:
            self.stderr.write("\n")


# --- score ----------------------------------------------------------------------------


def _add_score(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "score",
        help="评分并输出自评表 (score a self-evaluation)",
        description="读取自评表（文本、CSV、Excel、Word、JSON），按评分方案计分，输出总分、等级和失分说明。"
        " (read a self-evaluation, score it under a scheme, and show the total, grade and"
        " every point lost)",
    )
    add_file(p, "自评表文件 .txt .csv .xlsx .xls .ods .docx .json (self-evaluation file)")
    add_scheme(p)
    add_year(p)
    add_budget(p)
    add_recompute(p)
    add_sheet(p)
    add_format(p, FORMATS, None)
    add_output(p, "输出文件，xlsx、docx 必须指定")
    add_template(p)
    p.add_argument(
        "--no-bom", action="store_true", help="CSV 不加 BOM (no byte-order mark on CSV output)"
    )
    add_profile(p)
    add_quiet(p)
    p.set_defaults(handler=run_score)


def run_score(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Handle ``perfscore score``: every project sheet of a workbook, one section each."""
    from ..score.scheme import load_scheme

    args.format = score_format(args.output, args.format)
    usage = args.format[1:] if args.format.startswith("!") else _score_usage(args)
    if usage:
        _error(stderr, usage)
        return EXIT_USAGE
    try:
        scheme = load_scheme(args.scheme)
    except SchemeError as error:
        _error(stderr, error)
        return EXIT_INPUT
    documents = _read_documents(args.file, args.sheet, stderr)
    if documents is None:
        return EXIT_INPUT
    if len(documents) > 1 and args.format in BINARY:
        names = ", ".join(d.sheet for d in documents)
        _error(
            stderr,
            f"工作簿有多个项目表（{names}），请用 --sheet 选择一个 (choose one with --sheet)",
        )
        return EXIT_USAGE
    outputs: list[str | bytes] = []
    status = EXIT_OK
    for document in documents:
        result = _score_document(document, scheme, args, stderr)
        if result is None:
            return EXIT_INPUT
        output, failed = result
        outputs.append(output)
        status = EXIT_INPUT if failed else status
    bom = args.format == "csv" and not args.no_bom
    form = "yth" if args.format == "json" and args.profile == "yth" else args.format
    if not _write(_joined(outputs, documents, form), args.output, stdout, stderr, bom=bom):
        return EXIT_INPUT
    if args.output and not args.quiet:
        # Said on stderr, so a script reading stdout is not disturbed.
        print(f"已写出 {args.output}（{args.format}）(wrote {args.output})", file=stderr)
    return status


def _read_documents(path: str, sheet: str | None, stderr: TextIO) -> list[Document] | None:
    """The documents to score: the named sheet, or every project sheet of a workbook."""
    from ..readers import read_all

    if sheet is not None:
        document = _read(path, sheet, stderr)
        return None if document is None else [document]
    try:
        return read_all(path)
    except ReadError as error:
        _error(stderr, error)
        return None


def _score_document(
    document: Document, scheme: Scheme, args: argparse.Namespace, stderr: TextIO
) -> tuple[str | bytes, bool] | None:
    """Score one document; the rendered output and whether it failed, or None if it cannot."""
    import attrs

    from ..score.rollup import value_problems

    document = _override(document, args)
    _print_diagnostics(document, stderr)
    try:
        evaluation = _evaluate(document, scheme, args.recompute, stderr, args.quiet)
    except (PerfscoreError, ValueError) as error:
        _error(stderr, f"{document.path}: {error}")
        return None
    problems = value_problems(evaluation, document.path)
    _print_diagnostics(attrs.evolve(document, diagnostics=problems), stderr)
    findings = run_audit(evaluation, document)
    where = f"{document.path}（{document.sheet}）" if document.sheet else document.path
    # The exit status is the verdict's (score/verdict.py), as batch's status is.
    for reason in evaluation.verdict.reasons:
        _error(stderr, f"{where}: {reason}")
    for note in evaluation.verdict.notes:
        _error(stderr, f"{where}: {note}")
    try:
        width = None if args.output else terminal_width(sys.stdout)
        form = "yth" if args.format == "json" and args.profile == "yth" else args.format
        output = _render(form, evaluation, document, findings, width, args.template)
    except ReadError as error:
        _error(stderr, error)
        return None
    failed = not evaluation.graded
    return output, failed


def _joined(outputs: list[str | bytes], documents: list[Document], form: str) -> str | bytes:
    """One output for one or several sheets, of the same shape whatever their number.

    JSON is always ``perfscore.workbook/2`` (a list of sheets); CSV is always one table,
    with a leading 工作表 column when there are several sheets; text gets a section each.
    """
    if form == "html":
        from ..report import html_page

        first = documents[0]
        heading = first.department or Path(first.path).stem or "绩效自评表"
        return html_page([str(o) for o in outputs], f"{heading} 绩效自评报告")
    if form in ("xlsx", "docx"):  # one sheet only: run_score refuses several
        return outputs[0]
    texts = [o if isinstance(o, str) else o.decode("utf-8") for o in outputs]
    if form == "yth":  # the data standard's own tables: one document, or a list of them
        if len(texts) == 1:
            return texts[0]
        from ..report._json import dumps

        return dumps([json.loads(t) for t in texts])
    if form == "json":
        from ..report.outputs import workbook_json

        named = [(d.sheet, t) for d, t in zip(documents, texts, strict=True)]
        return workbook_json(named, documents[0].path)
    if len(outputs) == 1:
        return outputs[0]
    if form == "csv":
        from ..report.csv import with_sheet_column

        return with_sheet_column([(d.sheet, t) for d, t in zip(documents, texts, strict=True)])
    rule = "=" * 60
    return "\n".join(
        f"{rule}\n工作表 (sheet)：{d.sheet}\n{rule}\n{t}"
        for d, t in zip(documents, texts, strict=True)
    )


WORKBOOK_SCHEMA = TAGS["workbook"]


def _score_usage(args: argparse.Namespace) -> str:
    if (args.budget is None) != (args.executed is None):
        return "--budget 和 --executed 需同时给出 (give both --budget and --executed)"
    if args.format in BINARY and not args.output:
        return f"{args.format} 格式需用 -o 指定输出文件 (--format {args.format} needs -o FILE)"
    if args.profile != "perfscore" and args.format != "json":
        return "--profile 只用于 --format json (--profile applies to --format json only)"
    return ""


def _override(document: Document, args: argparse.Namespace) -> Document:
    """Command-line values win over what the file says."""
    import attrs

    changes: dict[str, Any] = {}
    if args.year is not None:
        changes["year"] = args.year
    if args.budget is not None:
        changes |= {"budget": args.budget, "executed": args.executed}
    return attrs.evolve(document, **changes) if changes else document


def _evaluate(
    document: Document, scheme: Scheme, recompute: bool, stderr: TextIO, quiet: bool = False
) -> Evaluation:
    from ..score.rollup import evaluate_document

    rows = document.indicators
    progress = _Progress(stderr, len(rows), "评分 (scoring)", quiet)
    return evaluate_document(
        document, scheme=scheme, recompute=recompute, indicators=progress.wrap(rows)
    )


def run_audit(evaluation: Evaluation, document: Document | None) -> tuple[Finding, ...]:
    """Run the 复核 checks of :mod:`perfscore.review.audit` on a scored document."""
    from ..review.audit import audit

    return audit(evaluation, document)


def _render(
    form: str,
    evaluation: Evaluation,
    document: Document,
    findings: Sequence[Finding],
    width: int | None = None,
    template: str | None = None,
) -> str | bytes:
    from .. import report
    from .handin import render_docx

    if form == "docx":
        return render_docx(evaluation, document, findings, template=template)
    if form == "json":
        return report.to_json(evaluation, document=document, findings=findings)
    if form == "yth":
        return report.to_yth_json(evaluation, document)
    if form == "csv":
        return report.to_csv(evaluation)
    if form == "html":  # one section per sheet; _joined wraps them in one page
        return report.html_section(evaluation, document=document, findings=findings)
    if form == "xlsx":
        try:
            return report.to_xlsx(evaluation, document=document, findings=findings)
        except ModuleNotFoundError as error:
            raise ReadError(
                f"写出 Excel 需要 {error.name}，请运行 pip install 'perfscore[excel]'"
                f" (writing Excel needs {error.name}: pip install 'perfscore[excel]')"
            ) from None
    # The text table builds millions of short-lived lists and strings and no reference
    # cycles (60 unreachable objects after a 30,000-row render): the collector's young
    # collections would only walk them, 7% of `score` on 100,000 rows.
    with _gc.no_collections():
        return report.render_table(evaluation, document=document, findings=findings, width=width)


def terminal_width(stream: TextIO) -> int | None:
    """The columns a text table must fit: ``COLUMNS`` if set, else the terminal's; None for a
    file or a pipe (the full layout, ~150 columns, which a pager or editor scrolls)."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if stream.isatty():
        import shutil

        return shutil.get_terminal_size().columns
    return None


# --- parse ----------------------------------------------------------------------------


def _add_parse(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "parse",
        help="解析指标值文本 (show how target texts are read)",
        description="显示年度指标值（或 --actual：实际完成值）文本的解析结果。"
        " (show how target texts, or actual texts with --actual, are read)",
    )
    p.add_argument(
        "texts",
        nargs="+",
        metavar="TEXT",
        help="指标值文本，如 ≥135人、2024年12月31日前、提升 (target or actual texts)",
    )
    add_format(p, ("table", "json"), "table")
    # --json is the old spelling of --format json, kept working for scripts that use it.
    p.add_argument(
        "--json", action="store_const", const="json", dest="format", help=argparse.SUPPRESS
    )
    p.add_argument("--actual", action="store_true", help="按实际完成值解析 (read as actuals)")
    add_scheme(p)
    p.set_defaults(handler=run_parse)


def run_parse(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Handle ``perfscore parse``."""
    from ..report.outputs import dumps, parse_data, parse_result
    from ..score.scheme import load_scheme

    # Actuals are judged with the scheme's outcome words, as ``score`` and ``audit`` judge them.
    phrases = load_scheme(args.scheme).phrases
    results = [parse_result(text, args.actual, phrases) for text in args.texts]
    failed = [r for r in results if "error" in r]
    if args.format == "json":
        stdout.write(dumps(parse_data(results)) + "\n")
    else:
        stdout.write(_parse_table(results) + "\n")
        for result in failed:
            print(safe_text(f"「{result['text']}」: {result['error']['display']}"), file=stderr)
    return EXIT_INPUT if failed else EXIT_OK


def _parse_table(results: list[dict[str, Any]]) -> str:
    from .._display import grid
    from ..parse.values import KIND_NAMES

    rows = [
        [
            r["text"],
            KIND_NAMES.get(r["kind"], r["kind"]) if r["kind"] else "错误 (error)",
            r.get("describe") or r["error"]["message"],
            "\n".join(r["warnings"]),
        ]
        for r in results
    ]
    return grid(
        rows, headers=["文本", "类型", "解析结果", "警告"], tablefmt="simple", disable_numparse=True
    )


# --- read -----------------------------------------------------------------------------


def _add_read(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "read",
        help="显示读取结果 (show what was read, before scoring)",
        description="显示从文件中读取的项目、目标和指标行，以及读取问题。"
        " (show the projects, goals and indicator rows read from a file, and reading problems)",
    )
    add_file(p, "自评表或绩效目标表 (a self-evaluation or target table)")
    add_format(p, ("table", "json"), "table")
    add_sheet(p)
    p.set_defaults(handler=run_read)


def run_read(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Handle ``perfscore read``."""
    from ..report import document_data

    document = _read(args.file, args.sheet, stderr)
    if document is None:
        return EXIT_INPUT
    _print_diagnostics(document, stderr)
    if args.format == "json":
        data = {"schema": TAGS["document"], **document_data(document)}
        from ..report._json import dumps

        stdout.write(dumps(data) + "\n")
    else:
        stdout.write(_document_table(document) + "\n")
    return EXIT_INPUT if document.has_errors else EXIT_OK


def _document_table(document: Document) -> str:
    from .._display import grid

    facts = [
        ("文件", document.path),
        ("类型", document.kind.label),
        ("部门", document.department),
        ("年度", document.year),
        ("全年预算数(A)", document.budget),
        ("全年执行数(B)", document.executed),
        ("预算执行得分", document.execution_published),
        ("总分", document.published_total),
    ]
    shown = [[k, "" if v is None else str(v)] for k, v in facts if v not in (None, "")]
    parts = [grid(shown, tablefmt="plain", disable_numparse=True)]
    for number, project in enumerate(document.projects, start=1):
        title = " ".join(p for p in (project.code, project.name) if p) or f"项目 {number}"
        budget = f"，预算 {project.budget} 万元" if project.budget is not None else ""
        parts.append(f"[{number}] {title}{budget}（{len(project.indicators)} 行指标）")
        parts.append(_rows_table(project.indicators))
    return "\n\n".join(parts)


def _rows_table(indicators: Sequence[Indicator]) -> str:
    from .._display import grid

    rows = [
        [
            i.row,
            i.goal,
            i.level1,
            i.level2,
            i.level3,
            i.target,
            i.actual,
            "" if i.weight is None else i.weight,
            "" if i.published is None else i.published,
        ]
        for i in indicators
    ]
    headers = ["行", "目标", "一级指标", "二级指标", "三级指标", "指标值", "完成值", "分值", "得分"]
    return grid(rows, headers=headers, tablefmt="simple", disable_numparse=True, maxcolwidths=24)
