"""Findings: what a review (复核 audit or 目标审核 lint) reports about a row or a document.

A :class:`Finding` is data — a stable ``code``, a severity, where it is, the
numbers behind it and a suggestion — so reports can render it in any format
and programs can filter on ``code``.  docs/review.md explains every code.
"""

from __future__ import annotations

from typing import Any

import attrs

from ..documents import Severity

__all__ = ["Finding", "FindingSeverity"]


# Findings and reading diagnostics grade problems on the same three steps, so they share one
# enum; the old name stays an alias so ``FindingSeverity.ERROR is Severity.ERROR``.
FindingSeverity = Severity


@attrs.frozen
class Finding:
    """One review finding.

    ``row`` is the source row number (None for document-wide findings),
    ``project`` the project name for target tables, ``text`` the cell text the
    finding is about (e.g. ``≥30项 → 68项``), ``numbers`` the figures used,
    as strings so that they serialise exactly.
    """

    code: str
    severity: FindingSeverity
    message: str
    suggestion: str = ""
    row: int | None = None
    project: str = ""
    text: str = ""
    numbers: dict[str, str] = attrs.field(factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form: ``code``, ``severity``, ``project``, ``row``, ``text``, …"""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "project": self.project,
            "row": self.row,
            "text": self.text,
            "message": self.message,
            "suggestion": self.suggestion,
            "numbers": dict(self.numbers),
        }
