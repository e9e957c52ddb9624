"""``perfscore batch``: score files, folders and globs in parallel into one summary.

The summary's contents are :mod:`perfscore.scale.summary`'s; this module parses
the arguments, shows progress on a terminal and prints the counts.  Exit status:
0 all read, 1 any file failed (after writing the summary), 2 a usage error.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
from collections.abc import Iterator
from typing import Any, TextIO

from ..errors import PerfscoreError
from .options import (
    EXIT_INPUT,
    EXIT_OK,
    EXIT_USAGE,
    add_format,
    add_output,
    add_quiet,
    add_recompute,
    add_scheme,
    output_format,
)
from .options import error as _error

__all__ = ["register", "run_batch"]


def register(subparsers: Any) -> None:
    """Add the ``batch`` subcommand."""
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
        "--lang",
        choices=("zh", "en"),
        default="zh",
        help="XLSX 汇总表的表头和状态用语：zh 中文（默认），en 英文列名"
        " (headers and status words of the XLSX summary: zh Chinese, en the column keys)",
    )
    p.add_argument(
        "--file-timeout",
        dest="timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="单个文件的处理时限，超时则重试一次后记为失败，默认 600"
        " (seconds a worker may spend on one file before it is retried once, then failed)",
    )
    add_scheme(p)
    add_recompute(p)
    add_quiet(p)
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
        # A bar redrawn with \r floods a log file or CI output: only on a terminal.
        if args.quiet or not stderr.isatty():
            return results
        try:
            from tqdm import tqdm
        except ImportError:  # the progress extra is optional: score without a bar
            return results
        return iter(tqdm(results, total=total, file=stderr, unit="file", desc="perfscore"))

    if args.jobs is not None and args.jobs < 1:
        _error(stderr, "--jobs 必须至少为 1 (--jobs must be at least 1)")
        return EXIT_USAGE
    if args.timeout is not None and not args.timeout > 0:
        _error(stderr, "--file-timeout 必须大于 0 (--file-timeout must be above 0)")
        return EXIT_USAGE
    chosen = output_format(args.output, args.format, batch.FORMATS)
    if chosen.startswith("!"):
        _error(stderr, chosen[1:])
        return EXIT_USAGE
    try:
        places = load_scheme(args.scheme).places
        writer = batch.open_writer(args.output, chosen, lang=args.lang, places=places)
    except ImportError as error:
        _error(stderr, _install_hint(chosen, error))
        return EXIT_INPUT
    except (PerfscoreError, OSError) as error:
        _error(stderr, error)
        return EXIT_INPUT
    try:
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
    except (PerfscoreError, OSError) as error:
        _error(stderr, error)
        return EXIT_INPUT
    read = counts["scored"] + counts["needs_review"] + counts["empty"]
    if not read:
        _error(
            stderr,
            "没有读取到任何自评表：请检查路径和文件格式 (.txt .csv .xlsx .xls .ods .docx .json)"
            " (nothing was read: check the paths and the file types)",
        )
        return EXIT_INPUT
    if args.quiet:
        return EXIT_INPUT if counts["failed"] else EXIT_OK
    print(
        f"{counts['files']} 个路径 (paths): {counts['scored']} 个项目已评分 (scored),"
        f" {counts['needs_review']} 需复核 (need review), {counts['empty']} 无指标 (empty),"
        f" {counts['failed']} 读取失败 (failed), {counts['skipped']} 未读取 (skipped)"
        f" → {args.output}",
        file=stdout,
    )
    return EXIT_INPUT if counts["failed"] else EXIT_OK


# The module each summary format needs → the extra that installs it.
_EXTRAS = {"openpyxl": "excel", "pyarrow": "parquet", "pandas": "parquet"}


def _install_hint(form: str, error: ImportError) -> str:
    module = error.name or "?"
    extra = _EXTRAS.get(module.split(".")[0], "all")
    return (
        f"写出 {form} 汇总表需要 {module}，请运行 pip install '.[{extra}]'（从源码目录）"
        f"或 pip install 'perfscore[{extra}]' (writing a {form} summary needs {module}:"
        f" pip install 'perfscore[{extra}]')"
    )
