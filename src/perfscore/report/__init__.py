"""Render an :class:`~perfscore.score.rollup.Evaluation` as text, JSON, CSV, XLSX, HTML or Word.

One module per format (``text``, ``json``, ``csv``, ``xlsx``, ``html``; ``yth`` the
预算管理一体化 JSON profile; ``docx`` for the Word 自评表 and ``docx_report`` for the
自评报告) over the sections
computed once in ``sections`` and the shared numbers and labels in ``_common``.  This
package may import the core and ``review.findings``; never ``cli``.

Every renderer returns a ``str`` (or ``bytes`` for XLSX) and never prints.
Scores are shown with the scheme's decimal places — or more, when a published
score has more — so that every displayed number is exact and a displayed
total always equals the sum of its displayed parts.

The JSON written by :func:`to_json` is documented in ``docs/json-schema.md``
and read back by :func:`perfscore.readers.json_reader.read_json`.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - names for type checkers; loaded on first use below
    from ._common import STATUS_LABELS, display_places, fmt, neutralise
    from .csv import CSV_HEADERS, to_csv
    from .docx import to_docx
    from .docx_fields import docx_fields
    from .docx_report import to_docx_report
    from .html import html_page, html_section, to_html
    from .json import JSON_SCHEMA, document_data, to_data, to_json
    from .text import render_table
    from .xlsx import to_xlsx
    from .yth import to_yth_data, to_yth_json

# Where each name lives.  ``import perfscore.report.schemas`` (the CLI's first import)
# loads none of the renderers: each module is imported on first use (PEP 562), so
# ``perfscore --help`` does not pay for the scorer, openpyxl or python-docx.
_HOMES = {
    "CSV_HEADERS": "csv",
    "JSON_SCHEMA": "json",
    "STATUS_LABELS": "_common",
    "display_places": "_common",
    "document_data": "json",
    "docx_fields": "docx_fields",
    "fmt": "_common",
    "html_page": "html",
    "html_section": "html",
    "neutralise": "_common",
    "render_table": "text",
    "to_csv": "csv",
    "to_data": "json",
    "to_docx": "docx",
    "to_docx_report": "docx_report",
    "to_html": "html",
    "to_json": "json",
    "to_xlsx": "xlsx",
    "to_yth_data": "yth",
    "to_yth_json": "yth",
}


# The same three lines as the package root's __getattr__: kept apart because
# ``import perfscore`` must load no submodule at all (tests/test_lazy_import.py).
def __getattr__(name: str) -> Any:
    """Import a renderer's module on first use (PEP 562)."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "CSV_HEADERS",
    "JSON_SCHEMA",
    "STATUS_LABELS",
    "display_places",
    "document_data",
    "docx_fields",
    "fmt",
    "html_page",
    "html_section",
    "neutralise",
    "render_table",
    "to_csv",
    "to_data",
    "to_docx",
    "to_docx_report",
    "to_html",
    "to_json",
    "to_xlsx",
    "to_yth_data",
    "to_yth_json",
]
