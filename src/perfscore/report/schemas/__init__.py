"""JSON Schemas (draft 2020-12) of every JSON output, one file per output.

Every JSON that perfscore writes carries a top-level ``schema`` tag such as
``perfscore.evaluation/1``: the name of the output and its version, bumped on
any incompatible change.  :func:`load` returns the schema a tag names, for
validating with any JSON Schema library.  Data only: imports nothing of perfscore.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["TAGS", "load"]

# Output name → its schema tag.  The file is ``<name>.schema.json`` beside this module.
TAGS: dict[str, str] = {
    "evaluation": "perfscore.evaluation/1",  # perfscore score --format json
    # perfscore score --format json, one entry per sheet whatever their number (/1 was
    # written only for several sheets, so a program had to handle two shapes).
    "workbook": "perfscore.workbook/2",
    "document": "perfscore.document/1",  # perfscore read --format json
    "findings": "perfscore.findings/1",  # perfscore audit / lint --format json
    "monitor": "perfscore.monitor/1",  # perfscore monitor --format json
    "parse": "perfscore.parse/1",  # perfscore parse --format json
    "schemes": "perfscore.schemes/1",  # perfscore schemes --format json
}


def load(name_or_tag: str) -> dict[str, Any]:
    """The JSON Schema of an output, by name (``"findings"``) or tag (``perfscore.findings/1``)."""
    name = name_or_tag.removeprefix("perfscore.").split("/")[0]
    if name not in TAGS:
        raise KeyError(f"no JSON schema named {name_or_tag!r}; known: {', '.join(TAGS)}")
    from importlib import resources  # only when a schema is asked for: not at start-up

    text = resources.files(__package__).joinpath(f"{name}.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema
