"""Errors as HTTP answers: the CLI's bilingual messages with the status that fits.

=====  ===================================================================
400    the request itself is wrong: a bad query parameter, a missing file
401    no token, or the wrong one (``WWW-Authenticate: Bearer``)
404    no such endpoint or scheme
405    the endpoint exists but not with this method
408    the body took longer than the time limit to arrive
413    the body, the file or its row count is past a limit
415    a file format or content type perfscore does not read
422    the file is of a known format but cannot be read (the CLI's message)
503    the work took longer than the time limit
500    a bug: a short bilingual message, the traceback only in the server's log
=====  ===================================================================

Every error body is ``{"schema": "perfscore.error/1", "error": {...}}`` with the
status, a stable ``code``, the message and, when known, the file, row, column
and text (the fields of :class:`perfscore.errors.ReadError`).
"""

from __future__ import annotations

from typing import Any

from ..errors import ReadError, SchemeError, TargetSyntaxError

__all__ = ["ERROR_SCHEMA", "ERROR_TAG", "Problem", "from_error"]

ERROR_TAG = "perfscore.error/1"


class Problem(Exception):
    """An answer other than 200: ``status``, a stable ``code`` and a bilingual message."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        file: str = "",
        row: int | None = None,
        column: str = "",
        text: str = "",
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.file = file
        self.row = row
        self.column = column
        self.text = text
        self.headers = headers or {}

    def to_dict(self) -> dict[str, Any]:
        """The JSON body of the answer."""
        return {
            "schema": ERROR_TAG,
            "error": {
                "status": self.status,
                "code": self.code,
                "message": self.message,
                "file": self.file,
                "row": self.row,
                "column": self.column,
                "text": self.text,
            },
        }


def from_error(error: Exception, scrub: str = "") -> Problem:
    """The answer for one of perfscore's errors; ``scrub`` (a private folder) is cut from it."""

    def clean(text: str) -> str:
        return text.replace(scrub, "") if scrub else text

    if isinstance(error, ReadError):
        from ..readers._files import TooLargeError

        too_large = isinstance(error, TooLargeError)
        return Problem(
            413 if too_large else 422,
            "too-large" if too_large else "unreadable",
            clean(str(error)),
            file=clean(error.file),
            row=error.row,
            column=error.column,
            text=error.text,
        )
    if isinstance(error, SchemeError):
        return Problem(422, "bad-scheme", clean(str(error)))
    if isinstance(error, TargetSyntaxError):
        return Problem(422, "bad-text", str(error), text=error.source)
    return Problem(422, "unreadable", clean(str(error)))


# The JSON Schema of an error body (draft 2020-12), shown in the OpenAPI document.
ERROR_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "perfscore serve: an error",
    "type": "object",
    "required": ["schema", "error"],
    "additionalProperties": False,
    "properties": {
        "schema": {"const": ERROR_TAG},
        "error": {
            "type": "object",
            "required": ["status", "code", "message", "file", "row", "column", "text"],
            "additionalProperties": False,
            "properties": {
                "status": {"type": "integer", "minimum": 400, "maximum": 599},
                "code": {
                    "enum": [
                        "bad-request",
                        "unauthorized",
                        "not-found",
                        "method-not-allowed",
                        "too-large",
                        "unsupported-format",
                        "unreadable",
                        "bad-scheme",
                        "bad-text",
                        "timeout",
                        "internal",
                    ]
                },
                "message": {"type": "string", "minLength": 1},
                "file": {"type": "string"},
                "row": {"type": ["integer", "null"]},
                "column": {"type": "string"},
                "text": {"type": "string"},
            },
        },
    },
}
