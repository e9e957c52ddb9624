"""The ``perfscore`` command: the only place in perfscore that prints.

Subcommands (``perfscore COMMAND --help`` for each)::

    score FILE     score a self-evaluation; table, JSON, CSV or XLSX
    parse TEXT…    show how target / actual texts are read
    read FILE      show what was read from a file, before scoring
    schemes        list the preset scoring schemes and how they differ

plus ``audit``, ``lint``, ``template`` and ``monitor`` from :mod:`.review`.
It parses arguments, calls the library and prints; it may import every other
package, and nothing imports it.  Every handler is ``handler(args, stdout, stderr) ->
int``.  Exit status: 0 all well, 1 a problem in the input (each message
names the file, row, column and text), 2 a usage error.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from .. import __version__
from .._safe import safe_text
from ..errors import PerfscoreError, ReadError, SchemeError, TargetSyntaxError
from ..report.schemas import TAGS

if TYPE_CHECKING:
    from ..documents import Document
    from ..indicators import Indicator
    from ..parse.vocabulary import Phrases
    from ..review.findings import Finding
    from ..score.rollup import Evaluation
    from ..score.scheme import Formula, Scheme
from .options import (
    Parser,
    add_budget,
    add_file,
    add_format,
    add_output,
    add_recompute,
    add_scheme,
    add_sheet,
    add_year,
)
from .review import SEVERITY_LABELS
from .review import register as register_review

__all__ = ["main"]

PROGRESS_ROWS = 1000  # show progress on a terminal when scoring more rows than this
FORMATS = ("table", "json", "csv", "xlsx", "html")
EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2


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
        status: int = args.handler(args, sys.stdout, sys.stderr)
        sys.stdout.flush()
    except BrokenPipeError:
        # ``perfscore lint … | head -1``: the reader left; stop quietly, as Unix tools do.
        # Point stdout at /dev/null so the interpreter's final flush cannot fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    return status


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
    _add_schemes(subparsers)
    _add_batch(subparsers)
    register_review(subparsers)
    return parser


# --- shared helpers -------------------------------------------------------------------


def _error(stderr: TextIO, message: object) -> None:
    # Messages quote cell texts and file names: no escape sequence reaches the terminal.
    print(safe_text(f"perfscore: {message}"), file=stderr)


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

    def __init__(self, stderr: TextIO, total: int, label: str) -> None:
        self.stderr, self.total, self.label = stderr, total, label
        self.shown = total > PROGRESS_ROWS and stderr.isatty()
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
    add_format(p, FORMATS, "table")
    add_output(p, "输出文件，xlsx 必须指定")
    p.add_argument(
        "--no-bom", action="store_true", help="CSV 不加 BOM (no byte-order mark on CSV output)"
    )
    p.set_defaults(handler=run_score)


def run_score(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Handle ``perfscore score``: every project sheet of a workbook, one section each."""
    from ..score.scheme import load_scheme

    usage = _score_usage(args)
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
    if len(documents) > 1 and args.format == "xlsx":
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
    if not _write(_joined(outputs, documents, args.format), args.output, stdout, stderr, bom=bom):
        return EXIT_INPUT
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

    from ..documents import DocumentKind
    from ..review.findings import FindingSeverity
    from ..score.rollup import value_problems

    document = _override(document, args)
    _print_diagnostics(document, stderr)
    try:
        evaluation = _evaluate(document, scheme, args.recompute, stderr)
    except (PerfscoreError, ValueError) as error:
        _error(stderr, f"{document.path}: {error}")
        return None
    problems = value_problems(evaluation, document.path)
    _print_diagnostics(attrs.evolve(document, diagnostics=problems), stderr)
    findings = run_audit(evaluation, document)
    where = f"{document.path}（{document.sheet}）" if document.sheet else document.path
    if document.kind is DocumentKind.TARGET_TABLE:
        _error(
            stderr,
            f"{where}: 这是绩效目标表，不是自评表；请先用 perfscore template 生成自评表"
            " (this is a target table, not a self-evaluation: start one with perfscore template)",
        )
    if not evaluation.graded:
        _error(stderr, f"{where}: {evaluation.not_graded_reason}")
    try:
        width = None if args.output else terminal_width(sys.stdout)
        output = _render(args.format, evaluation, document, findings, width)
    except ReadError as error:
        _error(stderr, error)
        return None
    audit_error = any(f.severity is FindingSeverity.ERROR for f in findings)
    failed = document.has_errors or bool(problems) or not evaluation.graded or audit_error
    return output, failed


def _joined(outputs: list[str | bytes], documents: list[Document], form: str) -> str | bytes:
    """One output for several sheets: sections for text, a list for JSON, rows for CSV."""
    if form == "html":
        from ..report import html_page

        first = documents[0]
        heading = first.department or Path(first.path).stem or "绩效自评表"
        return html_page([str(o) for o in outputs], f"{heading} 绩效自评报告")
    if len(outputs) == 1:
        return outputs[0]
    texts = [o if isinstance(o, str) else o.decode("utf-8") for o in outputs]
    if form == "json":
        sheets = [
            {"sheet": d.sheet, "evaluation": json.loads(t)}
            for d, t in zip(documents, texts, strict=True)
        ]
        return json.dumps(
            {"schema": WORKBOOK_SCHEMA, "sheets": sheets}, ensure_ascii=False, indent=2
        )
    rule = "=" * 60
    return "\n".join(
        f"{rule}\n工作表 (sheet)：{d.sheet}\n{rule}\n{t}"
        for d, t in zip(documents, texts, strict=True)
    )


WORKBOOK_SCHEMA = TAGS["workbook"]


def _score_usage(args: argparse.Namespace) -> str:
    if (args.budget is None) != (args.executed is None):
        return "--budget 和 --executed 需同时给出 (give both --budget and --executed)"
    if args.format == "xlsx" and not args.output:
        return "xlsx 格式需用 -o 指定输出文件 (--format xlsx needs -o FILE)"
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


def _evaluate(document: Document, scheme: Scheme, recompute: bool, stderr: TextIO) -> Evaluation:
    from ..score.rollup import evaluate_document

    rows = document.indicators
    progress = _Progress(stderr, len(rows), "评分 (scoring)")
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
) -> str | bytes:
    from .. import report

    if form == "json":
        return report.to_json(evaluation, document=document, findings=findings)
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


def _parse_one(text: str, actual: bool, phrases: Phrases) -> dict[str, Any]:
    """One text's JSON object: the parsed value's fields, or ``error`` with its position."""
    from ..parse.targets import parse_actual, parse_target

    try:
        value = parse_actual(text, phrases) if actual else parse_target(text)
    except TargetSyntaxError as error:
        position = list(error.span)
        return {
            "text": text,
            "kind": None,
            "warnings": [],
            "error": {"message": error.message, "position": position, "display": str(error)},
        }
    return {**value.to_dict(), "text": text, "describe": value.describe()}


def run_parse(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Handle ``perfscore parse``."""
    from ..score.scheme import load_scheme

    # Actuals are judged with the scheme's outcome words, as ``score`` and ``audit`` judge them.
    phrases = load_scheme(args.scheme).phrases
    results = [_parse_one(text, args.actual, phrases) for text in args.texts]
    failed = [r for r in results if "error" in r]
    if args.format == "json":
        data = {"schema": TAGS["parse"], "results": results}
        stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        stdout.write(_parse_table(results) + "\n")
        for result in failed:
            print(safe_text(f"「{result['text']}」: {result['error']['display']}"), file=stderr)
    return EXIT_INPUT if failed else EXIT_OK


def _parse_table(results: list[dict[str, Any]]) -> str:
    from .._display import grid

    rows = [
        [
            r["text"],
            r["kind"] or "错误 (error)",
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
        stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        stdout.write(_document_table(document) + "\n")
    return EXIT_INPUT if document.has_errors else EXIT_OK


def _document_table(document: Document) -> str:
    from .._display import grid

    facts = [
        ("文件", document.path),
        ("类型", document.kind.value),
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


# --- schemes --------------------------------------------------------------------------


def _add_schemes(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "schemes",
        help="列出评分方案 (list the preset scoring schemes)",
        description="列出内置评分方案及其差异；自定义方案见 docs/schemes.md。"
        " (list the preset schemes and how they differ; custom schemes: docs/schemes.md)",
    )
    add_format(p, ("table", "json"), "table")
    p.set_defaults(handler=run_schemes)


def run_schemes(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Handle ``perfscore schemes``."""
    from ..score.scheme import available_schemes, load_scheme

    schemes = [load_scheme(name) for name in available_schemes()]
    if args.format == "json":
        data = {
            "schema": TAGS["schemes"],
            "schemes": [
                {
                    "name": s.name,
                    "version": s.version,
                    "title": s.title,
                    "description": s.description.strip(),
                    "settings": _scheme_settings(s),
                }
                for s in schemes
            ],
        }
        stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    blocks = [
        f"{s.name}（{s.version}）：{s.title}\n  " + "\n  ".join(s.description.strip().splitlines())
        for s in schemes
    ]
    stdout.write("\n\n".join(blocks) + "\n\n差异 (what differs):\n")
    stdout.write(scheme_differences(schemes) + "\n")
    stdout.write("\n共同设置 (the same in every preset):\n")
    stdout.write(scheme_differences(schemes, shared=True) + "\n")
    return EXIT_OK


def _scheme_settings(scheme: Scheme) -> dict[str, str]:
    q = scheme.qualitative
    return {
        "舍入位数 rounding.places": str(scheme.places),
        "舍入方式 rounding.mode": scheme.rounding,
        "正向未达标 higher_unmet": scheme.higher_unmet.expression,
        "反向未达标 lower_unmet": scheme.lower_unmet.expression,
        "等于型 equal": "two-sided" if scheme.equal_two_sided else "higher",
        "等于型未达标 equal_unmet": scheme.equal_unmet.expression,
        "超额预警 warn_share": str(scheme.over_share),
        "超额扣减 deduct": scheme.over_deduct.expression if scheme.over_deduct else "（不扣减）",
        "逾期 deadline.late": scheme.deadline_late.expression,
        "定性 达成/部分/未达成": " / ".join(str(q[o]) for o in q),
        "复合 compound": scheme.compound,
        "区间之上 range.above": _expression(scheme.range_above),
        "区间之下 range.below": _expression(scheme.range_below),
        "超出容差 tolerance.beyond": _expression(scheme.tolerance_beyond),
        "增幅不足 change.smaller": _expression(scheme.change_smaller),
        "近似数容差 approximate.margin": str(scheme.approximate_margin),
        "百分比核对 plausibility.percent": str(scheme.percent_plausibility).lower(),
        "达成用语 phrases.achieved": _phrase_summary(scheme.phrases.achieved),
        "部分达成用语 phrases.partial": _phrase_summary(scheme.phrases.partial),
        "未达成用语 phrases.not_achieved": _phrase_summary(scheme.phrases.not_achieved),
        "否定词 phrases.negations": _phrase_summary(scheme.phrases.negations),
        "预算执行 execution": f"{scheme.execution_weight}：{scheme.execution_formula.expression}",
        "等级 grades": " ".join(f"{g.name}≥{g.minimum}" for g in scheme.grades),
    }


def _expression(formula: Formula | None) -> str:
    return formula.expression if formula is not None else ""


def _phrase_summary(words: Sequence[str]) -> str:
    shown = "、".join(words[:4])
    return f"{len(words)} 个：{shown}…" if len(words) > 4 else shown


def scheme_differences(schemes: Sequence[Scheme], *, shared: bool = False) -> str:
    """A table of the settings on which ``schemes`` differ (one column per scheme).

    With ``shared``, the settings they all have in common instead (one column).
    """
    from .._display import grid

    settings = [_scheme_settings(s) for s in schemes]
    if shared:
        same = [[k, settings[0][k]] for k in settings[0] if len({s[k] for s in settings}) == 1]
        return grid(
            same, headers=["设置", "取值"], tablefmt="simple", disable_numparse=True,
            maxcolwidths=[None, 60],
        )  # fmt: skip
    rows = [
        [key, *(s[key] for s in settings)]
        for key in settings[0]
        if len({s[key] for s in settings}) > 1
    ]
    return grid(
        rows,
        headers=["设置", *(s.name for s in schemes)],
        tablefmt="simple",
        disable_numparse=True,
        maxcolwidths=[None, *[30] * len(schemes)],
    )


# --- batch ----------------------------------------------------------------------------


def _add_batch(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "batch",
        help="批量评分并输出汇总表 (score many files into one summary)",
        description="并行读取文件、文件夹或通配符下的全部自评表，逐项目评分，写出一张汇总表。"
        " (score every file, folder or glob in parallel into one summary)",
    )
    p.add_argument(
        "paths", nargs="+", metavar="PATH", help="文件、文件夹或通配符 (files, folders or globs)"
    )
    add_output(p, "汇总表文件 .xlsx .csv .jsonl .parquet (the summary file)", required=True)
    add_format(p, ("xlsx", "csv", "jsonl", "parquet"), None)
    p.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="并行进程数，默认全部核心 (worker processes; default: all cores)",
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="单个文件的处理时限，超时则重试一次后记为失败，默认 600"
        " (seconds a worker may spend on one file before it is retried once, then failed)",
    )
    add_scheme(p)
    add_recompute(p)
    p.set_defaults(handler=run_batch)


@contextlib.contextmanager
def _terminate_as_exit() -> Iterator[None]:
    """Turn SIGTERM into SystemExit, so a stopped batch kills its workers and keeps old outputs."""

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run_batch(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Handle ``perfscore batch``: exit 1 when any file failed, after writing the summary."""
    from ..scale import batch
    from ..score.scheme import load_scheme

    def progress(results: Iterator[batch.FileResult], total: int) -> Iterator[batch.FileResult]:
        try:
            from tqdm import tqdm
        except ImportError:  # the progress extra is optional: score without a bar
            return results
        return iter(tqdm(results, total=total, file=stderr, unit="file", desc="perfscore"))

    if args.jobs is not None and args.jobs < 1:
        _error(stderr, "--jobs 必须至少为 1 (--jobs must be at least 1)")
        return EXIT_USAGE
    if args.timeout is not None and not args.timeout > 0:
        _error(stderr, "--timeout 必须大于 0 (--timeout must be above 0)")
        return EXIT_USAGE
    try:
        load_scheme(args.scheme)
        writer = batch.open_writer(args.output, args.format)
    except (PerfscoreError, OSError, ImportError) as error:
        _error(stderr, error)
        return EXIT_INPUT
    with _terminate_as_exit():
        counts = batch.run_batch(
            args.paths,
            writer,
            jobs=args.jobs,
            scheme=args.scheme,
            recompute=args.recompute,
            progress=progress,
            timeout=args.timeout or batch.FILE_TIMEOUT,
        )
    print(
        f"{counts['files']} 个路径 (paths): {counts['scored']} 个项目已评分 (scored),"
        f" {counts['needs_review']} 需复核 (need review), {counts['empty']} 无指标 (empty),"
        f" {counts['failed']} 读取失败 (failed), {counts['skipped']} 未读取 (skipped)"
        f" → {args.output}",
        file=stdout,
    )
    return EXIT_INPUT if counts["failed"] else EXIT_OK
