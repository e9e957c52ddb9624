"""Make any text safe to show: the one place outputs neutralise formulas and controls.

Every writer — report CSV/XLSX/HTML/text, batch summaries, templates, terminal
output and diagnostics — passes the texts it did not write itself through
:func:`safe_text` (every format) and, for spreadsheet cells, :func:`neutralise`
or :func:`starts_formula`.  So a cell text can neither run as a formula, nor
crash a format, nor drive a terminal:

- Word's manual line break (U+000B) and form feed become a newline, which every
  format holds;
- other C0 controls (ESC starts terminal escape sequences), DEL, C1 controls
  (U+0080–U+009F; U+009B is a one-character CSI), U+FFFE, U+FFFF and lone
  surrogates (from JSON or a non-UTF-8 file name) become a visible ``�``, so
  nothing vanishes silently;
- a text a spreadsheet would run (``=``, ``+``, ``-``, ``@`` first, also after
  spaces, tabs, newlines or controls) gets a leading ``'`` in CSV; a plain
  number such as ``-6`` or ``-1.5%`` stays a number.
"""

from __future__ import annotations

import re

__all__ = ["neutralise", "safe_text", "starts_formula"]

_LINE_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})
_UNSAFE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?%?")
# What a spreadsheet skips before deciding a cell is a formula (controls are already �).
_LEADING = " \t\r\n\ufffd\u3000"


def safe_text(text: str) -> str:
    """Return ``text`` with line-break controls as newlines and other controls as ``�``."""
    if text.isprintable():
        # Every character changed below is non-printable (Cc, Cs, Cn): nothing to do.  The
        # common case by far, and str.translate with a dict is slow on Chinese text.
        return text
    if "\x0b" in text or "\x0c" in text:  # (str.translate with a dict is slow on Chinese)
        text = text.translate(_LINE_BREAKS)
    return _UNSAFE.sub("\ufffd", text)


def starts_formula(text: str) -> bool:
    """Whether a spreadsheet would run ``text`` as a formula (also after leading blanks).

    A plain number such as ``-6`` or ``-1.5%`` is a value, not a formula.
    """
    stripped = text.lstrip(_LEADING)
    return stripped[:1] in ("=", "+", "-", "@") and not _PLAIN_NUMBER.fullmatch(stripped)


# A first character after which neither safe_text nor starts_formula can change a
# printable text: anything but a formula's start or a blank a spreadsheet skips.
_RISKY_FIRST = frozenset("=+-@" + _LEADING)


def neutralise(text: str) -> str:
    """Make ``text`` safe for a CSV cell: :func:`safe_text`, then ``'`` before a formula.

    ``=100%`` → ``'=100%``; ``-6`` stays ``-6``.
    """
    if text.isprintable() and text[:1] not in _RISKY_FIRST:
        # Nearly every cell (培训人数, ≥135人, 8.89): safe_text returns a printable text as
        # it is, and lstrip(_LEADING) leaves its first character, which starts no formula.
        return text
    text = safe_text(text)
    return "'" + text if starts_formula(text) else text
