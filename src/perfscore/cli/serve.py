"""``perfscore serve``: the HTTP service (the ``server`` extra), imported only when run."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

__all__ = ["register"]


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"应为正整数 (must be a positive integer): {text!r}")
    return int(text)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0 or value != value or value == float("inf"):
        raise argparse.ArgumentTypeError(f"应为正数秒数 (must be positive seconds): {text!r}")
    return value


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add ``perfscore serve`` (nothing of the service or the readers is imported here)."""
    p = subparsers.add_parser(
        "serve",
        help="启动 HTTP 评分服务 (serve scoring over HTTP)",
        description="启动 HTTP 服务：评分、解析、复核、审核与方案查询，返回与命令行相同的 JSON。"
        "默认只监听本机 127.0.0.1；令牌取自环境变量 PERFSCORE_TOKEN 或 --token-file。"
        " (serve scoring, parsing, audit, lint and schemes over HTTP, answering with the"
        " CLI's JSON; binds 127.0.0.1 unless --host; the token comes from PERFSCORE_TOKEN"
        " or --token-file.  Needs pip install 'perfscore[server]'.)",
    )
    p.add_argument(
        "--host", default="127.0.0.1", metavar="HOST", help="监听地址 (address; default 127.0.0.1)"
    )
    p.add_argument(
        "--port", type=int, default=8080, metavar="PORT", help="端口 (port; default 8080)"
    )
    p.add_argument(
        "--token-file",
        metavar="FILE",
        help="令牌文件，首行为令牌 (a file whose first line is the bearer token)",
    )
    p.add_argument(
        "--schemes-dir",
        metavar="DIR",
        help="允许使用的自定义方案文件夹 (the only folder custom schemes are loaded from)",
    )
    p.add_argument(
        "--max-bytes",
        type=_positive_int,
        default=None,
        metavar="N",
        help="请求体字节上限，默认且最多为读取器的 64 MB"
        " (largest body in bytes; default and most: the readers' 67108864)",
    )
    p.add_argument(
        "--max-rows",
        type=_positive_int,
        default=None,
        metavar="N",
        help="指标行数上限，默认且最多为读取器的 100000 行"
        " (most indicator rows; default and most: the readers' 100000)",
    )
    p.add_argument(
        "--timeout",
        type=_seconds,
        default=60.0,
        metavar="SECONDS",
        help="每个请求的计算时间上限 (seconds of work per request; default 60)",
    )
    p.add_argument(
        "--workers",
        type=_positive_int,
        default=4,
        metavar="N",
        help="同时计算的请求数 (requests computed at once; default 4)",
    )
    p.add_argument(
        "--log-level",
        choices=("critical", "error", "warning", "info", "debug"),
        default="info",
        metavar="LEVEL",
        help="日志级别 (log level: critical, error, warning, info, debug)",
    )
    p.set_defaults(handler=run_serve)


def run_serve(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Handle ``perfscore serve``: check the settings, then serve until interrupted."""
    from pathlib import Path

    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as error:
        print(
            f"perfscore serve: 需要 {error.name}，请运行 pip install 'perfscore[server]'"
            f" (serving needs {error.name}: pip install 'perfscore[server]')",
            file=stderr,
        )
        return 1
    from ..service.config import ServiceConfig, read_token_file
    from ..service.server import serve

    token = None
    if args.token_file:
        try:
            token = read_token_file(args.token_file)
        except (OSError, ValueError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or error
            print(
                f"perfscore serve: {args.token_file}: 无法读取令牌"
                f" (cannot read the token: {reason})",
                file=stderr,
            )
            return 1
    schemes_dir = Path(args.schemes_dir) if args.schemes_dir else None
    if schemes_dir is not None and not schemes_dir.is_dir():
        print(
            f"perfscore serve: {args.schemes_dir}: 不是文件夹 (not a folder)",
            file=stderr,
        )
        return 2
    try:
        limits = {"max_bytes": args.max_bytes, "max_rows": args.max_rows}
        config = ServiceConfig.from_environment(
            **{name: value for name, value in limits.items() if value is not None},
            timeout=args.timeout,
            workers=args.workers,
            token=token,
            schemes_dir=schemes_dir,
        )
    except ValueError as error:
        print(f"perfscore serve: {error}", file=stderr)
        return 2
    serve(config, host=args.host, port=args.port, log_level=args.log_level, stderr=stderr)
    return 0
