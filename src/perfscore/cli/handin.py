"""What a unit hands in: ``perfscore report`` (the Word 自评报告) and Word output for ``score``.

``perfscore report FILE -o 自评报告.docx`` reads a self-evaluation, scores it and
writes the written report in GB/T 9704 style; ``perfscore score FILE --format docx
-o 自评表.docx`` writes the 自评表 itself (through :func:`render_docx`).  Both take
``--template FILE.docx``: the user's own Word template, rendered with docxtpl over the
fields listed in ``docs/word-output.md``.  Exit status as everywhere: 0 written,
1 a problem in the input (nothing written), 2 a usage error.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ..errors import PerfscoreError, ReadError

if TYPE_CHECKING:
    from ..documents import Document
    from ..review.findings import Finding
    from ..score.rollup import Evaluation
from .._display import SEVERITY_LABELS
from .options import (
    EXIT_INPUT,
    EXIT_OK,
    EXIT_USAGE,
    add_budget,
    add_file,
    add_output,
    add_quiet,
    add_recompute,
    add_scheme,
    add_sheet,
    add_year,
)

__all__ = ["add_template", "register", "render_docx"]

OK, PROBLEM, USAGE = EXIT_OK, EXIT_INPUT, EXIT_USAGE


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``report`` subcommand."""
    p = subparsers.add_parser(
        "report",
        help="生成 Word 自评报告 (write the self-evaluation report as Word)",
        description="读取自评表并评分，按 GB/T 9704 公文格式写出自评报告："
        "一、项目概况 二、预算执行情况 三、绩效目标完成情况 四、存在的问题 五、改进措施。"
        " (score a self-evaluation and write its report in the official document format)",
    )
    add_file(p, "自评表文件 .txt .csv .xlsx .xls .ods .docx .json (self-evaluation file)")
    add_output(p, "自评报告文件 .docx (the report file)", required=True)
    add_template(p)
    add_scheme(p)
    add_year(p)
    add_budget(p)
    add_recompute(p)
    add_sheet(p)
    add_quiet(p)
    p.set_defaults(handler=run_report)


def add_template(parser: argparse.ArgumentParser) -> None:
    """``--template FILE.docx``: the user's own Word template (docxtpl)."""
    parser.add_argument(
        "--template",
        metavar="FILE",
        default=None,
        help="自定义 Word 模板 .docx，字段见 docs/word-output.md"
        " (your own Word template; fields: docs/word-output.md)",
    )


def render_docx(
    evaluation: Evaluation,
    document: Document,
    findings: Sequence[Finding],
    *,
    template: str | None = None,
    report: bool = False,
) -> bytes:
    """The 自评表 (with ``report``: the 自评报告) as .docx bytes; an install hint without docx."""
    from ..report import to_docx, to_docx_report

    write = to_docx_report if report else to_docx
    try:
        return write(evaluation, document=document, findings=findings, template=template)
    except ModuleNotFoundError as error:
        extra = "word"
        raise ReadError(
            f"写出 Word 需要 {error.name}，请运行 pip install 'perfscore[{extra}]'"
            f" (writing Word needs {error.name}: pip install 'perfscore[{extra}]')"
        ) from None


def run_report(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Handle ``perfscore report``: one document, scored and written as the 自评报告."""
    usage = _usage(args)
    if usage:
        print(f"perfscore report: {usage}", file=stderr)
        return USAGE
    try:
        document = _override(_one_document(args), args)
        evaluation, findings = _scored(document, args)
        output = render_docx(evaluation, document, findings, template=args.template, report=True)
    except PerfscoreError as error:
        print(f"perfscore report: {error}", file=stderr)
        return PROBLEM
    for diagnostic in document.diagnostics:
        print(f"{SEVERITY_LABELS[diagnostic.severity.value]}: {diagnostic}", file=stderr)
    if not evaluation.graded:
        # Still written (the report says 不评定 and why), but the exit status says it is not
        # ready to hand in.
        print(f"perfscore report: {args.file}: {evaluation.not_graded_reason}", file=stderr)
    try:
        path = Path(args.output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(output)
    except OSError as error:
        print(f"perfscore report: {args.output}: 无法写入文件 ({error.strerror})", file=stderr)
        return PROBLEM
    if not args.quiet:
        from ..report import display_places, fmt

        total = fmt(evaluation.total, display_places(evaluation))
        grade = evaluation.grade if evaluation.graded else "不评定"
        print(
            f"已写出自评报告 {args.output}：总分 {total}，等级 {grade}"
            f" (wrote the report: total {total}, grade {grade})",
            file=stderr,
        )
    return PROBLEM if document.has_errors or not evaluation.graded else OK


def _usage(args: argparse.Namespace) -> str:
    if (args.budget is None) != (args.executed is None):
        return "--budget 和 --executed 需同时给出 (give both --budget and --executed)"
    if not args.output.lower().endswith(".docx"):
        return (
            f"自评报告只能写成 .docx，而不是 {args.output} (the report is written as .docx:"
            f" name the output FILE.docx)"
        )
    return ""


def _one_document(args: argparse.Namespace) -> Document:
    """The document to report on: ``--sheet``, or the only project sheet of the file."""
    from ..documents import DocumentKind
    from ..readers import read, read_all

    if args.sheet is not None:
        documents = [read(args.file, sheet=args.sheet)]
    else:
        documents = read_all(args.file)
    if not documents or not documents[0].indicators:
        raise ReadError(
            "未读到任何指标行，未生成自评报告 (no indicator rows were read: nothing written)",
            file=args.file,
        )
    if documents[0].kind is DocumentKind.TARGET_TABLE:
        raise ReadError(
            "这是绩效目标表，不是自评表：自评报告需要实际完成值；请先用 perfscore template"
            " 生成自评表并填写 (this is a target table, not a self-evaluation: start one with"
            " perfscore template)",
            file=args.file,
        )
    if len(documents) > 1:
        names = "、".join(d.sheet for d in documents)
        raise ReadError(
            f"工作簿有多个项目表（{names}），请用 --sheet 选择一个"
            " (the workbook has several project sheets: choose one with --sheet)",
            file=args.file,
        )
    return documents[0]


def _override(document: Document, args: argparse.Namespace) -> Document:
    """Command-line values win over what the file says, as in ``score``."""
    import attrs

    changes: dict[str, Any] = {}
    if args.year is not None:
        changes["year"] = args.year
    if args.budget is not None:
        changes |= {"budget": args.budget, "executed": args.executed}
    return attrs.evolve(document, **changes) if changes else document


def _scored(document: Document, args: argparse.Namespace) -> tuple[Evaluation, tuple[Finding, ...]]:
    from ..review.audit import audit
    from ..score.rollup import evaluate_document
    from ..score.scheme import load_scheme

    evaluation = evaluate_document(
        document, scheme=load_scheme(args.scheme), recompute=args.recompute
    )
    return evaluation, audit(evaluation, document)
