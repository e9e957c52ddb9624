"""Measure, wrap and tabulate text by terminal display width (Chinese characters count two).

Core helper shared by the errors, the reports and the CLI; it imports nothing from perfscore.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

__all__ = ["SEVERITY_LABELS", "display_width", "grid", "wrap"]

# One Chinese word per severity, for review findings and reading diagnostics alike (keyed
# by the value both enums share, so no enum is imported when the CLI starts).
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}

# A run of printable ASCII (an English word, a number like 1,234.5), or one other character:
# wrapping breaks between tokens so that a number is never cut in two.
_TOKEN = re.compile(r"[!-~]+|.", re.DOTALL)


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes: 2 for a Chinese character, 0 for a control character."""
    # Imported here, not at the top: wcwidth and tabulate take ~45 ms to import
    # (importlib.metadata included), and only errors being shown and tables need them.
    from wcwidth import wcwidth

    return sum(max(wcwidth(char), 0) for char in text)


def wrap(text: str, width: int) -> str:
    """Wrap ``text`` at ``width`` display columns, never splitting an ASCII run.

    A number or word wider than a whole line gets a line of its own, wider than
    ``width``: a table column grows rather than show ``5051.1`` above ``5万元``.
    """
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line, used = "", 0
        for token in _TOKEN.findall(paragraph):
            size = display_width(token)
            if used + size > width and line:
                lines.append(line.rstrip())
                line, used = token.lstrip(), display_width(token.lstrip())
            else:
                line, used = line + token, used + size
        lines.append(line.rstrip())
    return "\n".join(lines)


def grid(rows: Sequence[Sequence[Any]], **options: Any) -> str:
    """:func:`tabulate.tabulate` with Chinese characters counted two columns wide.

    tabulate reads the width mode from a module global; it is set here, at render time,
    so that importing perfscore changes nothing in a program that also uses tabulate.
    """
    import tabulate

    tabulate.WIDE_CHARS_MODE = True
    return tabulate.tabulate(rows, **options)
