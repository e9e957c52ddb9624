"""The ``perfscore`` argument parser in Chinese with English, and the options commands share.

Every option that more than one command takes is added here, once, so its name,
metavar and help read the same everywhere (``-o/--output FILE``, ``--scheme
SCHEME``, ``--year YYYY``, ``--sheet SHEET``, ``--format FORMAT``); a test walks
all commands and checks it.  argparse's own words (``usage:``, ``options:``,
``positional arguments:``, its error messages) are given in Chinese first.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn, TextIO

from .._safe import safe_text
from ..errors import PerfscoreError
from .argtypes import decimal_arg, year_arg

__all__ = [
    "EXIT_INPUT",
    "EXIT_OK",
    "EXIT_USAGE",
    "Handler",
    "Parser",
    "add_budget",
    "add_file",
    "add_format",
    "add_output",
    "add_profile",
    "add_quiet",
    "add_recompute",
    "add_scheme",
    "add_sheet",
    "add_year",
    "error",
    "guarded",
    "output_format",
    "score_format",
]

# The one exit-code set of every command: done, a problem in the input, a usage error.
EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2

Handler = Callable[[argparse.Namespace, TextIO, TextIO], int]


def error(stderr: TextIO, message: object, command: str = "") -> None:
    """Print a message for the user on stderr, terminal-safe (no escape sequence passes)."""
    where = f"perfscore {command}" if command else "perfscore"
    print(safe_text(f"{where}: {message}"), file=stderr)


def guarded(handler: Handler) -> Handler:
    """Turn perfscore's errors into a message on stderr and exit status 1."""

    def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
        try:
            return int(handler(args, stdout, stderr))
        except PerfscoreError as problem:
            error(stderr, problem, args.command)
            return EXIT_INPUT

    run.__doc__ = handler.__doc__
    return run


HELP = "显示本帮助并退出 (show this help message and exit)"
# argparse's English error messages (Python 3.11–3.13) → Chinese first, English kept.
_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^the following arguments are required: (.*)"), "缺少必需的参数"),
    (re.compile(r"^argument (.*?): invalid choice: (.*)"), "参数取值无效"),
    (re.compile(r"^unrecognized arguments: (.*)"), "无法识别的参数"),
    (re.compile(r"^argument (.*?): expected one argument"), "参数缺少取值"),
    (re.compile(r"^argument (.*?): invalid (.*) value: (.*)"), "参数取值无效"),
    (re.compile(r"^argument (.*?): (.*)"), "参数错误"),
)


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter with the usage line headed ``用法 (usage):``."""

    def add_usage(
        self,
        usage: str | None,
        actions: Any,
        groups: Any,
        prefix: str | None = None,
    ) -> None:
        """Add the usage line, headed in Chinese and English."""
        # argparse passes prefix="" to build a subcommand's prog: keep that one bare.
        super().add_usage(usage, actions, groups, "用法 (usage): " if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose headings, help option and errors speak Chinese with English.

    Subcommand parsers are made of the same class (argparse uses the parent's type).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        add_help = kwargs.get("add_help", True)
        kwargs["add_help"] = False  # our own -h below, with a Chinese help text
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置参数 (positional arguments)"
        self._optionals.title = "选项 (options)"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=HELP)

    def error(self, message: str) -> NoReturn:
        """Print the usage and the error, Chinese first, then exit with status 2."""
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: 错误 (error): {translate_error(message)}\n")


def translate_error(message: str) -> str:
    """Put a Chinese lead before one of argparse's English error messages."""
    for pattern, chinese in _ERRORS:
        if pattern.match(message):
            return f"{chinese} ({message})"
    return message


# --- options shared by several commands -----------------------------------------------


def add_file(parser: argparse.ArgumentParser, what: str) -> None:
    """The input file, ``FILE``, described by ``what`` (自评表 / 绩效目标表 …)."""
    parser.add_argument("file", metavar="FILE", help=what)


def add_scheme(parser: argparse.ArgumentParser) -> None:
    """``--scheme SCHEME``: a preset name or a TOML file."""
    parser.add_argument(
        "--scheme",
        metavar="SCHEME",
        default=None,
        help="评分方案名称或 TOML 文件，见 perfscore schemes (scheme name or TOML file;"
        " default: mof2020)",
    )


def add_year(parser: argparse.ArgumentParser) -> None:
    """``--year YYYY``: the evaluation year, over the file's own."""
    parser.add_argument(
        "--year",
        type=year_arg,
        metavar="YYYY",
        help="评价年度，覆盖文件中的年度 (evaluation year, overriding the file's)",
    )


def add_sheet(parser: argparse.ArgumentParser) -> None:
    """``--sheet SHEET``: one worksheet of a workbook."""
    parser.add_argument(
        "--sheet",
        metavar="SHEET",
        help="Excel 工作表名称 (worksheet name)",
    )


def add_format(
    parser: argparse.ArgumentParser, choices: Sequence[str], default: str | None
) -> None:
    """``--format FORMAT`` with the command's own choices, listed in the help."""
    shown = "、".join(choices)
    lead = f"默认 {default}" if default else "默认按输出文件的扩展名"
    tail = f"default: {default}" if default else "default: from the output file's extension"
    parser.add_argument(
        "--format",
        choices=tuple(choices),
        default=default,
        metavar="FORMAT",
        help=f"输出格式：{shown}，{lead} (output format: {', '.join(choices)}; {tail})",
    )


def add_profile(parser: argparse.ArgumentParser) -> None:
    """``--profile perfscore|yth``: the JSON's field names (yth: the 一体化 data standard's)."""
    parser.add_argument(
        "--profile",
        choices=("perfscore", "yth"),
        default="perfscore",
        help="JSON 的字段命名：perfscore（默认）或 yth（预算管理一体化数据标准的元素名，"
        "见 docs/input-columns.md） (JSON field names: perfscore, or yth for the budget"
        " system data standard's element names)",
    )


def add_output(parser: argparse.ArgumentParser, what: str, *, required: bool = False) -> None:
    """``-o/--output FILE``; missing folders are created."""
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        required=required,
        help=f"{what}，缺少的文件夹自动创建 (output file; missing folders are created)",
    )


def add_budget(parser: argparse.ArgumentParser) -> None:
    """``--budget A`` and ``--executed B``: the execution figures, over the file's."""
    parser.add_argument(
        "--budget",
        type=decimal_arg,
        metavar="A",
        help="全年预算数 A（万元），覆盖文件中的数 (full-year budget A, 10k yuan)",
    )
    parser.add_argument(
        "--executed",
        type=decimal_arg,
        metavar="B",
        help="全年执行数 B（万元），覆盖文件中的数 (full-year spending B, 10k yuan)",
    )


def add_recompute(parser: argparse.ArgumentParser) -> None:
    """``--recompute``: count the scheme's scores instead of the published ones."""
    parser.add_argument(
        "--recompute",
        action="store_true",
        help="按方案得分计入总分，而非填报得分 (count the scheme's scores, not the published ones)",
    )


def add_quiet(parser: argparse.ArgumentParser) -> None:
    """``-q/--quiet``: no progress and no confirmation, only problems."""
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="只输出错误和警告，不显示进度和确认信息 (only problems: no progress, no confirmation)",
    )


def output_format(path: str | None, given: str | None, formats: Sequence[str]) -> str:
    """The format to write: ``--format``, else the output file's extension.

    Returns ``"!message"`` when they disagree (``-o out.csv --format xlsx``) or the
    extension is none of ``formats`` (``-o out.pdf``), so a file is never written
    under a name that lies about its contents.
    """
    from pathlib import Path

    suffix = Path(path or "").suffix.lower().lstrip(".")
    shown = " ".join(f".{f}" for f in formats)
    if given is not None:
        if path and suffix and suffix != given and suffix in formats:
            return (
                f"!输出文件 {path} 的扩展名与 --format {given} 不一致 (the extension of {path}"
                f" does not match --format {given})"
            )
        if path and suffix and suffix not in formats:
            return f"!输出文件 {path} 应以 .{given} 结尾 (name the output file *.{given})"
        return given
    if suffix in formats:
        return suffix
    return (
        f"!无法从 {path} 判断输出格式：请用 {shown} 之一作为扩展名"
        f" (cannot tell the format from {path}: use one of {shown})"
    )


# Output file extensions → the ``score`` format they name (.txt is the text table).
_SCORE_SUFFIXES = {
    ".txt": "table", ".json": "json", ".csv": "csv", ".xlsx": "xlsx", ".html": "html",
    ".htm": "html", ".docx": "docx",
}  # fmt: skip


def score_format(path: str | None, given: str | None) -> str:
    """``score``'s format: ``--format``, else ``-o``'s extension, else the text table.

    Returns ``"!message"`` for ``-o report.xlsx --format json`` (a file whose name lies)
    and for an extension no format writes (``-o report.pdf``).
    """
    from pathlib import Path

    suffix = Path(path).suffix.lower() if path else ""
    named = _SCORE_SUFFIXES.get(suffix)
    shown = " ".join(_SCORE_SUFFIXES)
    if given is None:
        if suffix and named is None:
            return (
                f"!无法从 {path} 判断输出格式：请用 {shown} 之一作为扩展名，或给出 --format"
                f" (cannot tell the format from {path}: use one of {shown}, or --format)"
            )
        return named or "table"
    if named is not None and named != given:
        return (
            f"!输出文件 {path} 的扩展名与 --format {given} 不一致 (the extension of {path}"
            f" does not match --format {given})"
        )
    return given
