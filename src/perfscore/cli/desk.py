"""The reviewer's desk on the command line: ``risk``, ``sample`` and ``review-sheet``.

:func:`register` adds the subcommands; each handler prints to the streams it is
given and returns the exit status (0 fine, 1 a problem in the input, 2 usage).
"""

from __future__ import annotations

import argparse
import functools
import os
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from .options import (
    EXIT_INPUT,
    EXIT_OK,
    EXIT_USAGE,
    add_file,
    add_format,
    add_output,
    add_scheme,
    add_sheet,
    guarded,
)

if TYPE_CHECKING:
    from ..review.risk import ProjectRisk, RiskWeights
    from ..score.scheme import Scheme

__all__ = ["register"]

OK, PROBLEM, USAGE = EXIT_OK, EXIT_INPUT, EXIT_USAGE
_FORMATS = ("text", "csv", "json", "xlsx", "html")


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add ``risk``, ``sample`` and ``review-sheet``."""
    _add_risk(subparsers)
    _add_sample(subparsers)
    _add_review_sheet(subparsers)


def _paths(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="自评表文件、文件夹或通配符 (self-evaluation files, folders or globs)",
    )
    parser.add_argument(
        "--weights",
        metavar="FILE",
        help="风险信号权重 TOML，覆盖内置 risk.toml (signal weights over the built-in risk.toml)",
    )
    parser.add_argument(
        "--jobs",
        type=_count,
        default=None,
        metavar="N",
        help="并行进程数，默认全部核心 (worker processes; default: all cores)",
    )
    add_scheme(parser)
    add_output(parser, "输出文件 .txt .csv .json .xlsx .html (the output file)")
    add_format(parser, _FORMATS, None)


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    suffix = (args.output or "").rpartition(".")[2].lower()
    return suffix if suffix in _FORMATS else "text"


def _assess(args: argparse.Namespace, stderr: TextIO) -> tuple[list[ProjectRisk], RiskWeights]:
    """Every project under the paths, assessed; files that fail are kept with a note."""
    from ..review.risk import assess_file, load_weights, rank
    from ..scale.batch import discover
    from ..score.scheme import load_scheme

    scheme = load_scheme(args.scheme)  # fail fast on a bad scheme or weights file
    weights = load_weights(args.weights)
    files = discover(args.paths)
    jobs = args.jobs or os.cpu_count() or 1
    if jobs > 1 and len(files) > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=min(jobs, len(files))) as pool:
            tasks = [(path, args.scheme, args.weights) for path in files]
            results = list(pool.map(_assess_one, tasks, chunksize=16))
    else:
        results = [assess_file(path, scheme=scheme, weights=weights) for path in files]
    risks = []
    for found in results:
        for risk in found:
            if risk.status == "failed":
                print(f"读取失败 (could not read): {risk.file}: {risk.note}", file=stderr)
        risks.extend(found)
    return rank(risks), weights


def _assess_one(task: tuple[str, str | None, str | None]) -> list[ProjectRisk]:
    """Assess one file in a worker process (scheme and weights loaded once there, by name)."""
    from ..review.risk import assess_file

    path, scheme, weights = task
    return assess_file(path, scheme=_worker_scheme(scheme), weights=_worker_weights(weights))


@functools.cache
def _worker_scheme(name: str | None) -> Scheme:
    from ..score.scheme import load_scheme

    return load_scheme(name)


@functools.cache
def _worker_weights(path: str | None) -> RiskWeights:
    from ..review.risk import load_weights

    return load_weights(path)


def _emit(output: str | bytes, args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Print ``output``, or write it to ``-o FILE`` (folders created; CSV with a BOM for Excel)."""
    if args.output is None:
        if isinstance(output, bytes):
            print(f"perfscore {args.command}: XLSX 需要 -o FILE (XLSX needs -o FILE)", file=stderr)
            return USAGE
        print(output.rstrip("\n"), file=stdout)
        return OK
    path = Path(args.output)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(output, bytes):
            path.write_bytes(output)
        else:
            encoding = "utf-8-sig" if path.suffix.lower() == ".csv" else "utf-8"
            path.write_text(output, encoding=encoding, errors="replace", newline="")
    except OSError as error:
        print(f"perfscore {args.command}: 无法写入 {path} ({error.strerror})", file=stderr)
        return PROBLEM
    print(f"已写出 (written) {path}", file=stdout)
    return OK


# --- risk ---------------------------------------------------------------------------------


def _add_risk(subparsers: argparse._SubParsersAction[Any]) -> None:
    parser = subparsers.add_parser(
        "risk",
        help="复核风险排序 (rank projects by review risk)",
        description=_risk.__doc__,
    )
    _paths(parser)
    parser.add_argument(
        "--top", type=int, metavar="N", help="文本输出只显示前 N 个 (text: show the first N)"
    )
    parser.set_defaults(handler=guarded(_risk), command="risk")


def _risk(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """风险排序：按自评偏高、等级变化、定性无佐证、目标偏低、产出效益背离、需人工判定、算术错误
    等信号给每个项目打风险分，风险高的在前，并列出原因。

    (rank projects by risk signals, riskiest first, with the reasons)
    """
    from ..report import desk

    risks, weights = _assess(args, stderr)
    form = _format(args)
    output: str | bytes
    if form == "csv":
        output = desk.risk_csv(risks)
    elif form == "json":
        output = desk.risk_json(risks, weights_source=weights.source)
    elif form == "xlsx":
        output = desk.risk_xlsx(risks)
    elif form == "html":
        output = desk.risk_html(risks)
    else:
        output = desk.risk_text(risks, top=args.top)
    status = _emit(output, args, stdout, stderr)
    failed = any(r.status == "failed" for r in risks)
    return status or (PROBLEM if failed else OK)


# --- sample -------------------------------------------------------------------------------


def _share(text: str) -> Decimal:
    """``30%`` or ``0.3`` → 0.3, between 0 (exclusive) and 1."""
    raw = text.strip()
    try:
        value = Decimal(raw[:-1]) / 100 if raw.endswith("%") else Decimal(raw)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(
            f"应为比例，如 30% (expected a share such as 30%): {text!r}"
        ) from None
    if not (value.is_finite() and 0 < value <= 1):
        raise argparse.ArgumentTypeError(
            f"比例应在 0 与 100% 之间 (share must be in (0, 100%]): {text!r}"
        )
    return value


def _count(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"应为正整数 (expected a positive whole number): {text!r}")
    return int(text)


def _add_sample(subparsers: argparse._SubParsersAction[Any]) -> None:
    parser = subparsers.add_parser(
        "sample",
        help="按风险分层抽取复核样本 (draw a risk-stratified review sample)",
        description=_sample.__doc__,
    )
    _paths(parser)
    size = parser.add_mutually_exclusive_group(required=True)
    size.add_argument("--n", type=_count, metavar="N", help="抽取项目数 (number of projects)")
    size.add_argument(
        "--funds",
        type=_share,
        metavar="SHARE",
        help="按资金占比抽取，如 30%% (draw projects covering this share of the funds)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=0,
        metavar="SEED",
        help="随机种子，相同种子结果相同，默认 0 (random seed; same seed, same sample)",
    )
    parser.set_defaults(handler=guarded(_sample), command="sample")


def _sample(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """复核抽样：按风险分层（高/中/低）抽取 N 个项目或资金占比 X% 的项目，
    同一随机种子结果相同，逐个说明抽取理由。

    (a reproducible, risk-stratified sample of N projects or X% of funds, with reasons)
    """
    from ..report import desk
    from ..review.sample import draw

    risks, weights = _assess(args, stderr)
    sample = draw(risks, seed=args.seed, n=args.n, funds=args.funds, weights=weights)
    form = _format(args)
    output: str | bytes
    if form == "csv":
        output = desk.sample_csv(sample)
    elif form == "json":
        output = desk.sample_json(sample)
    elif form == "xlsx":
        output = desk.sample_xlsx(sample)
    elif form == "html":
        output = desk.sample_html(sample)
    else:
        output = desk.sample_text(sample)
    status = _emit(output, args, stdout, stderr)
    failed = any(r.status == "failed" for r in risks)
    return status or (PROBLEM if failed else OK)


# --- review-sheet -------------------------------------------------------------------------


def _add_review_sheet(subparsers: argparse._SubParsersAction[Any]) -> None:
    parser = subparsers.add_parser(
        "review-sheet",
        help="生成复核表，供审核人填写审核得分与意见 (write a workbook for the reviewer)",
        description=_review_sheet.__doc__,
    )
    add_file(parser, "自评表 .txt .csv .xlsx .docx .json (self-evaluation file)")
    add_output(parser, "输出的复核表 .xlsx (the workbook to write)", required=True)
    add_scheme(parser)
    add_sheet(parser)
    parser.set_defaults(handler=guarded(_review_sheet), command="review-sheet")


def _review_sheet(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """复核表：单位填报的内容锁定（工作表保护），审核得分、审核意见可填，审核得分限 0 至分值；
    填好后可直接用 perfscore score / audit 读取，自评与审核并列显示。

    (a reviewer's workbook: the unit's cells locked, 审核得分/审核意见 open, 0..weight)
    """
    from ..readers import read
    from ..review.review_sheet import build_review_sheet
    from ..score.rollup import evaluate_document
    from ..score.scheme import load_scheme

    document = read(args.file, sheet=args.sheet)
    evaluation = evaluate_document(document, scheme=load_scheme(args.scheme))
    data = build_review_sheet(evaluation, document)
    status = _emit(data, args, stdout, stderr)
    return status or (PROBLEM if document.has_errors else OK)
