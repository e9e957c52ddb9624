"""Seed 002 (天津市科学技术局 2024 整体支出绩效自评表) built from its data, not read from a file."""

from __future__ import annotations

from decimal import Decimal

import casetable
from perfscore import Indicator

BUDGET = Decimal("176875.03")
EXECUTED = Decimal("170639.2")
EXECUTION_PUBLISHED = Decimal("9.65")
PUBLISHED_TOTAL = Decimal("93.95")
YEAR = 2024


def indicators() -> list[Indicator]:
    """Return the 60 indicator rows of seed 002, numbered 1–60."""
    rows = casetable.load("seed002_indicators.tsv")
    return [Indicator.from_row(row, number=n) for n, row in enumerate(rows, start=1)]
