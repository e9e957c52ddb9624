"""argparse types shared by the ``perfscore`` subcommands."""

from __future__ import annotations

import argparse
import datetime as dt
from decimal import Decimal, InvalidOperation

__all__ = ["date_arg", "decimal_arg", "year_arg"]


def decimal_arg(text: str) -> Decimal:
    """An exact decimal number such as ``176875.03`` (thousands commas allowed)."""
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"不是有效数字 (not a number): {text!r}") from None
    if not value.is_finite():
        raise argparse.ArgumentTypeError(f"不是有效数字 (not a number): {text!r}")
    return value


def year_arg(text: str) -> int:
    """A four-digit year."""
    if not (text.isdigit() and len(text) == 4):
        raise argparse.ArgumentTypeError(f"年度应为四位数字 (year must be YYYY): {text!r}")
    return int(text)


def date_arg(text: str) -> dt.date:
    """A date written ``YYYY-MM-DD``."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"日期格式应为 YYYY-MM-DD (date must be YYYY-MM-DD): {text!r}"
        ) from None
