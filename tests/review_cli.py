"""Run the review subcommands the way ``perfscore`` will, capturing what they print."""

from __future__ import annotations

import argparse
import io

from perfscore.cli.review import register


def run(*argv: str) -> tuple[int, str, str]:
    """Parse ``argv`` with the review subcommands registered; return (status, stdout, stderr)."""
    parser = argparse.ArgumentParser(prog="perfscore")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    stdout, stderr = io.StringIO(), io.StringIO()
    status = args.handler(args, stdout, stderr)
    return status, stdout.getvalue(), stderr.getvalue()
