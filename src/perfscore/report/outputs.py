"""The JSON of ``parse``, ``schemes``, ``audit`` and ``lint``, built once for every caller.

``perfscore`` (the CLI) and ``perfscore serve`` (the HTTP service) write the same
outputs; building them here keeps them the same to the byte.  Each function
returns plain dicts and lists; :func:`dumps` writes them as the CLI does.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..score.fields import FIELDS, HEADING_KEYS
from .schemas import TAGS

if TYPE_CHECKING:
    from ..parse.vocabulary import Phrases
    from ..review.findings import Finding
    from ..score.scheme import Scheme

__all__ = [
    "dumps",
    "findings_data",
    "lint_data",
    "parse_data",
    "parse_result",
    "scheme_data",
    "scheme_settings",
    "schemes_data",
    "workbook_data",
    "workbook_json",
]


def workbook_data(sheets: Sequence[tuple[str, str]], file: str) -> dict[str, Any]:
    """``perfscore score FILE --format json``: every sheet's evaluation JSON, whatever their
    number (``perfscore.workbook/2``); ``sheets`` pairs each sheet's name with its JSON."""
    return {
        "schema": TAGS["workbook"],
        "file": file,
        "sheets": [{"sheet": name or "", "evaluation": json.loads(text)} for name, text in sheets],
    }


def workbook_json(sheets: Sequence[tuple[str, str]], file: str) -> str:
    """``dumps(workbook_data(sheets, file))``, each sheet's JSON put in as it is.

    A sheet's evaluation JSON (``to_json``: two-space indent, no raw line break inside a
    string) is what dumping it again would write, but for its indent: every line break
    moves in by the six spaces of its place in the workbook.  Reading a 100,000-row
    sheet's 176 MB back and writing it again took longer than writing it first.
    """
    items = [
        "{\n      "
        + f'"sheet": {_string(name or "")},\n      "evaluation": '
        + text.replace("\n", "\n      ")
        + "\n    }"
        for name, text in sheets
    ]
    listed = "[\n    " + ",\n    ".join(items) + "\n  ]" if items else "[]"
    return (
        f'{{\n  "schema": {_string(TAGS["workbook"])},\n  "file": {_string(file)},\n'
        f'  "sheets": {listed}\n}}'
    )


def _string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def dumps(data: object) -> str:
    """JSON as the CLI writes it: UTF-8 text, two-space indent (no final newline)."""
    from ._json import dumps as _dumps

    return _dumps(data)


# --- parse ----------------------------------------------------------------------------


def parse_result(text: str, actual: bool, phrases: Phrases) -> dict[str, Any]:
    """One text's JSON object: the parsed value's fields, or ``error`` with its position."""
    from ..errors import TargetSyntaxError
    from ..parse.targets import parse_actual, parse_target

    try:
        value = parse_actual(text, phrases) if actual else parse_target(text)
    except TargetSyntaxError as error:
        position = list(error.span)
        return {
            "text": text,
            "kind": None,
            "warnings": [],
            "error": {"message": error.message, "position": position, "display": str(error)},
        }
    return {**value.to_dict(), "text": text, "describe": value.describe()}


def parse_data(results: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """``perfscore parse --format json``: the results of :func:`parse_result`."""
    return {"schema": TAGS["parse"], "results": list(results)}


# --- schemes --------------------------------------------------------------------------


def scheme_data(scheme: Scheme) -> dict[str, Any]:
    """One scheme as ``perfscore schemes --format json`` lists it."""
    return {
        "name": scheme.name,
        "version": scheme.version,
        "title": scheme.title,
        "description": scheme.description.strip(),
        "settings": scheme_settings(scheme),
    }


def schemes_data(schemes: Sequence[Scheme]) -> dict[str, Any]:
    """``perfscore schemes --format json``."""
    return {"schema": TAGS["schemes"], "schemes": [scheme_data(s) for s in schemes]}


def scheme_settings(scheme: Scheme) -> dict[str, str]:
    """Every setting of a scheme by its TOML key, as text (the settings table's order)."""
    return {f.key: scheme.setting(f.key) for f in FIELDS if f.key not in HEADING_KEYS}


def lint_data(findings: Sequence[Finding], verdicts: Sequence[Any], file: str) -> dict[str, Any]:
    """``perfscore lint --format json``: the findings and each project's 审核结论."""
    return {**findings_data(findings, "lint", file), "verdicts": [v.to_dict() for v in verdicts]}


def findings_data(findings: Sequence[Finding], command: str, file: str) -> dict[str, Any]:
    """``perfscore audit`` / ``lint --format json``: the findings about ``file``."""
    return {
        "schema": TAGS["findings"],
        "command": command,
        "file": file,
        "findings": [f.to_dict() for f in findings],
    }
