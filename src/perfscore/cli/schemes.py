"""``perfscore schemes [NAME…]``: the preset scoring schemes, every setting and what differs.

Each preset is listed with its description and the settings in which it differs from
mof2020 (the default); then every setting of :data:`perfscore.score.fields.FIELDS`
with mof2020's value.  ``perfscore schemes NAME`` shows one scheme (a preset or a
TOML file) with all of its settings.  ``--format json`` gives every setting of every
scheme, keyed by the TOML key.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from ..errors import SchemeError
from .options import EXIT_INPUT, EXIT_OK, add_format

if TYPE_CHECKING:
    from ..score.scheme import Scheme

__all__ = ["register", "run_schemes"]

OK, PROBLEM = EXIT_OK, EXIT_INPUT


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``schemes`` subcommand."""
    p = subparsers.add_parser(
        "schemes",
        help="列出评分方案 (list the preset scoring schemes)",
        description="列出内置评分方案及其差异；给出名称或 TOML 文件则显示其全部设置；"
        "自定义方案见 docs/schemes.md。 (list the preset schemes and how they differ; with"
        " NAME, every setting of that scheme; custom schemes: docs/schemes.md)",
    )
    p.add_argument(
        "names",
        nargs="*",
        metavar="NAME",
        help="方案名称或 TOML 文件 (scheme names or TOML files)",
    )
    add_format(p, ("table", "json"), "table")
    p.set_defaults(handler=run_schemes)


def run_schemes(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Handle ``perfscore schemes``."""
    from ..score.scheme import available_schemes, load_scheme

    try:
        schemes = [load_scheme(name) for name in (args.names or available_schemes())]
    except SchemeError as error:
        print(f"perfscore schemes: {error}", file=stderr)
        return PROBLEM
    if args.format == "json":
        # The same text as the service's GET /schemes (report/outputs.py builds both).
        from ..report.outputs import dumps, schemes_data

        stdout.write(dumps(schemes_data(schemes)) + "\n")
        return OK
    if args.names:
        stdout.write("\n\n".join(_heading(s) + "\n" + _table(scheme_settings(s)) for s in schemes))
        stdout.write("\n")
        return OK
    default = load_scheme()
    blocks = []
    for scheme in schemes:
        block = _heading(scheme)
        if scheme is not default:
            block += (
                f"\n  与 {default.name} 不同的设置 (settings that differ from {default.name}):\n"
            )
            block += _indent(differences(scheme, default))
        blocks.append(block)
    stdout.write("\n\n".join(blocks))
    stdout.write(f"\n\n全部设置及 {default.name} 的取值 (every setting, {default.name}'s value):\n")
    stdout.write(_table(scheme_settings(default)) + "\n")
    return OK


def _heading(scheme: Scheme) -> str:
    lines = scheme.description.strip().splitlines()
    return f"{scheme.name}（{scheme.version}）：{scheme.title}\n  " + "\n  ".join(lines)


def _indent(text: str) -> str:
    return "\n".join(f"    {line}" for line in text.splitlines())


def scheme_settings(scheme: Scheme, *, labels: bool = True) -> dict[str, str]:
    """Every setting of ``scheme`` by key (``"舍入位数 rounding.places"`` with ``labels``)."""
    from ..score.fields import FIELDS, HEADING_KEYS

    return {(f"{f.label} {f.key}" if labels else f.key): scheme.setting(f.key) for f in FIELDS
            if f.key not in HEADING_KEYS}  # fmt: skip


def _table(settings: dict[str, str]) -> str:
    from .._display import grid

    return grid(
        [[k, v] for k, v in settings.items()],
        headers=["设置", "取值"],
        tablefmt="simple",
        disable_numparse=True,
        maxcolwidths=[None, 60],
    )


def differences(scheme: Scheme, default: Scheme, *, width: int = 36) -> str:
    """The settings in which ``scheme`` differs from ``default``, both values shown."""
    from .._display import grid

    ours, theirs = scheme_settings(scheme), scheme_settings(default)
    rows: Sequence[list[str]] = [[k, v, theirs[k]] for k, v in ours.items() if v != theirs[k]]
    if not rows:
        return "（无）"
    return grid(
        rows,
        headers=["设置", scheme.name, default.name],
        tablefmt="simple",
        disable_numparse=True,
        maxcolwidths=[None, width, width],
    )
