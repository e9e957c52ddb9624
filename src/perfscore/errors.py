"""The errors perfscore raises.

Every error is a :class:`PerfscoreError` and also the builtin it resembles, so
callers may catch either::

    PerfscoreError
    ├── TargetSyntaxError (ValueError)   a target/actual text that cannot be read
    ├── SchemeError (ValueError)         a scoring scheme that is invalid
    ├── ReadError (ValueError)           a file, row or cell that cannot be read
    └── OutputBusyError (OSError)        an output another run is writing

Errors carry their data (``source``/``span``, ``key``, ``file``/``row``/``column``)
so that programs can point at the problem instead of parsing prose.
"""

from __future__ import annotations

from ._display import display_width

__all__ = [
    "FloatAmountWarning",
    "OutputBusyError",
    "PerfscoreError",
    "ReadError",
    "SchemeError",
    "TargetSyntaxError",
]


class PerfscoreError(Exception):
    """Base class of every error perfscore raises on purpose."""


class TargetSyntaxError(PerfscoreError, ValueError):
    """A target or actual-value text that cannot be read at all.

    ``source`` is the text as given and ``span`` the ``(start, end)`` character
    positions of the offending part.  ``str(error)`` draws a caret under it,
    placed by display width so that it lines up under Chinese text.
    """

    def __init__(self, message: str, *, source: str, span: tuple[int, int]) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.span = span

    def __str__(self) -> str:
        start, end = self.span
        lead = " " * display_width(self.source[:start])
        marks = "^" * max(1, display_width(self.source[start:end]))
        return f"{self.message}\n    {self.source}\n    {lead}{marks}"


class SchemeError(PerfscoreError, ValueError):
    """A scoring scheme that is invalid; ``key`` names the offending setting."""

    def __init__(self, message: str, *, key: str = "", source: str = "") -> None:
        where = f"{source}: " if source else ""
        at = f"[{key}] " if key else ""
        super().__init__(f"{where}{at}{message}")
        self.message = message
        self.key = key
        self.source = source


class ReadError(PerfscoreError, ValueError):
    """A file, row or cell that cannot be read.

    ``file``, ``row`` (1-based) and ``column`` locate the problem and ``text``
    holds the cell text.  The message is bilingual (Chinese / English).
    """

    def __init__(
        self,
        message: str,
        *,
        file: str = "",
        row: int | None = None,
        column: str = "",
        text: str = "",
    ) -> None:
        self.message = message
        self.file = file
        self.row = row
        self.column = column
        self.text = text
        super().__init__(self.location() + message)

    def location(self) -> str:
        """Return ``file:row 第N行 列「column」: `` for the message prefix."""
        parts = []
        if self.file:
            parts.append(self.file)
        if self.row is not None:
            parts.append(f"第{self.row}行 (row {self.row})")
        if self.column:
            parts.append(f"列「{self.column}」(column {self.column})")
        if self.text:
            parts.append(f"「{self.text}」")
        return (", ".join(parts) + ": ") if parts else ""


class FloatAmountWarning(UserWarning):
    """A float given as an amount or weight was taken through its shortest repr.

    ``0.1`` becomes ``Decimal("0.1")`` — what was typed, not the binary double — but a
    float may already have lost digits before perfscore saw it (``0.1 + 0.2``); pass a
    ``Decimal`` or a string to be sure.
    """

    @classmethod
    def for_value(cls, value: float) -> FloatAmountWarning:
        """The warning for an amount or weight given as the float ``value``."""
        return cls(
            f'金额或分值以浮点数 {value!r} 给出，已按 Decimal("{value!r}") 计算；'
            "请传 Decimal 或文本"
            f" (an amount or weight given as the float {value!r} is read as"
            f' Decimal("{value!r}"): pass a Decimal or a string to be exact)'
        )


class OutputBusyError(PerfscoreError, OSError):
    """An output file another run is writing now (``file`` names the output)."""

    def __init__(self, message: str, *, file: str = "") -> None:
        super().__init__(f"{file}: {message}" if file else message)
        self.message = message
        self.file = file
