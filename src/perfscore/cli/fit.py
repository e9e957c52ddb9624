"""``perfscore fit FILE``: find the scheme settings a published table followed.

Prints the fitted scheme as TOML, how many published row scores it explains, and
each row it still cannot explain with both numbers (the published score and the
fitted scheme's).  ``-o FILE.toml`` saves the scheme, to pass back with ``--scheme``.
Exit status: 0 when the file was read and fitted, 1 when it could not be read, the
base scheme is bad or the file has no published score to fit, 2 for usage errors.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any, TextIO

from ..errors import PerfscoreError
from .options import (
    EXIT_INPUT,
    EXIT_OK,
    add_file,
    add_format,
    add_output,
    add_scheme,
    add_sheet,
    add_year,
)

if TYPE_CHECKING:
    from ..score.fit import Fit

__all__ = ["register", "render_fit"]

OK, PROBLEM = EXIT_OK, EXIT_INPUT


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``fit`` subcommand."""
    parser = subparsers.add_parser(
        "fit",
        help="推断填报表采用的评分规则 (find the scheme a published table followed)",
        description="从填报得分推断舍入、成本、封顶、定性比例与预算执行等规则，输出方案 TOML。"
        " (infer rounding, cost, cap, qualitative shares and execution rules from the published"
        " scores; print the fitted scheme as TOML)",
    )
    add_file(parser, "自评表 .txt .csv .xlsx .docx .json (self-evaluation file)")
    add_scheme(parser)
    add_year(parser)
    add_sheet(parser)
    add_format(parser, ("table", "toml"), "table")
    add_output(parser, "保存拟合的方案 .toml (save the fitted scheme)")
    parser.set_defaults(handler=run_fit, command="fit")


def run_fit(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Handle ``perfscore fit``."""
    from ..readers import read
    from ..score.fit import fit_scheme
    from ..score.scheme import load_scheme

    try:
        scheme = load_scheme(args.scheme)
        document = read(args.file, sheet=args.sheet)
        fit = fit_scheme(document, scheme, year=args.year)
    except PerfscoreError as error:
        print(f"perfscore fit: {error}", file=stderr)
        return PROBLEM
    if not fit.rows and fit.published_total is None:
        print(
            f"perfscore fit: {args.file}: 表中没有可与方案得分核对的填报得分，无法推断规则"
            " (no published scores the scheme can compute: nothing to fit)",
            file=stderr,
        )
        return PROBLEM
    if args.output:
        from pathlib import Path

        path = Path(args.output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(fit.toml(), "utf-8")
    stdout.write(fit.toml() if args.format == "toml" else render_fit(fit))
    return OK


def render_fit(fit: Fit) -> str:
    """The fit as text: what changed, rows explained, rows unexplained, then the TOML."""
    from .._display import grid
    from ..parse.values import format_decimal

    lines = [
        f"拟合方案 (fitted scheme)：{fit.scheme.name}"
        f"（自 {fit.base.name} 起 / from {fit.base.name}）",
        f"解释 {fit.explained}/{fit.rows} 行填报得分 (rows explained)"
        + (f"；另有 {fit.unscored} 行无法计分 (rows not scorable)" if fit.unscored else ""),
    ]
    if fit.published_total is not None and fit.computed_total is not None:
        verdict = "一致 (matches)" if fit.total_explained else "不一致 (differs)"
        lines.append(
            f"总分：填报 {format_decimal(fit.published_total)}，按拟合方案"
            f" {format_decimal(fit.computed_total)}，{verdict}"
        )
    if fit.changes:
        lines.append("\n与基础方案不同的设置 (settings that differ from the base):")
        lines += [f"  {key} = {value}" for key, value in fit.changes]
    else:
        lines.append(f"\n未发现与 {fit.base.name} 不同的规则 (no setting differs from the base)")
    if fit.unexplained:
        rows = [
            [str(u.row), u.name, format_decimal(u.published), format_decimal(u.computed)]
            for u in fit.unexplained
        ]
        table = grid(
            rows,
            headers=["行", "指标", "填报得分", "拟合方案得分"],
            tablefmt="simple",
            disable_numparse=True,
            maxcolwidths=[None, 30, None, None],
        )
        lines += ["\n仍无法解释的行 (rows still unexplained):", table]
    lines += ["\n# --- 拟合的方案 (fitted scheme, TOML) ---", fit.toml()]
    return "\n".join(lines) + "\n"
