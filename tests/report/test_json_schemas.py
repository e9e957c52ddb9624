"""Every JSON output carries its schema tag and validates against the shipped JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

jsonschema = pytest.importorskip("jsonschema")
referencing = pytest.importorskip("referencing")

from perfscore.cli import main  # noqa: E402
from perfscore.report import schemas  # noqa: E402

DATA = Path(__file__).parents[2] / "examples" / "data"
SELF_EVALUATION = DATA / "tianjin-2024-self-evaluation.txt"
TARGETS = DATA / "targets-tangshan-kexie.txt"
WORKBOOK_SHEETS = ("项目一", "项目二")

# (output, argv) — each command as a user would type it, on the bundled examples.
COMMANDS: list[tuple[str, list[str]]] = [
    ("workbook", ["score", str(SELF_EVALUATION), "--format", "json"]),
    ("workbook", ["score", str(DATA / "tianjin-2024.xlsx"), "--format", "json"]),
    ("workbook", ["score", str(DATA / "tianjin-2024.csv"), "--format", "json", "--recompute"]),
    ("document", ["read", str(SELF_EVALUATION), "--format", "json"]),
    ("document", ["read", str(TARGETS), "--format", "json"]),
    ("findings", ["audit", str(SELF_EVALUATION), "--format", "json"]),
    ("findings", ["lint", str(TARGETS), "--format", "json"]),
    ("parse", ["parse", "≥135人", "约500人", "2024年12月31日前", "提升", "≥≥", "--format", "json"]),
    ("parse", ["parse", "--actual", "未按时完成", "93%", "--json"]),
    ("schemes", ["schemes", "--format", "json"]),
    (
        "monitor",
        [
            *("monitor", str(TARGETS), "--spent", "1", "--date", "2023-10-31"),
            *("--project", "其他交通费（2）", "--format", "json"),
        ],
    ),
]


def _validator(name: str) -> object:
    """A draft 2020-12 validator for one output, the other schemas resolvable by file name."""
    registry = referencing.Registry().with_resources(
        (f"{other}.schema.json", referencing.Resource.from_contents(schemas.load(other)))
        for other in schemas.TAGS
    )
    schema = schemas.load(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, registry=registry)


def _output(argv: list[str], capsys: pytest.CaptureFixture[str]) -> object:
    main(argv)
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(("name", "argv"), COMMANDS, ids=[" ".join(a[:2]) for _, a in COMMANDS])
def test_json_output_validates_against_its_schema(
    name: str, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """The command's JSON has the output's schema tag and no schema error."""
    data = _output(argv, capsys)
    assert isinstance(data, dict)
    assert data["schema"] == schemas.TAGS[name]
    errors = list(_validator(name).iter_errors(data))  # type: ignore[attr-defined]
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


def test_workbook_output_validates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A workbook of two project forms gives perfscore.workbook/2 with one evaluation per sheet."""
    import forms

    path = forms.write_workbook(tmp_path / "book.xlsx")
    data = _output(["score", str(path), "--format", "json"], capsys)
    assert isinstance(data, dict)
    assert data["schema"] == schemas.TAGS["workbook"]
    assert [s["sheet"] for s in data["sheets"]] == list(WORKBOOK_SHEETS)
    assert not list(_validator("workbook").iter_errors(data))  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", sorted(schemas.TAGS))
def test_every_schema_is_a_valid_draft_2020_12_schema(name: str) -> None:
    """Each shipped file is itself a valid JSON Schema whose tag constant matches TAGS."""
    schema = schemas.load(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["schema"] == {"const": schemas.TAGS[name]}
    assert schemas.load(schemas.TAGS[name]) == schema


def test_a_broken_output_fails_validation(capsys: pytest.CaptureFixture[str]) -> None:
    """The schemas are strict enough to catch a wrong type: a total given as a float."""
    data = _output(["score", str(SELF_EVALUATION), "--format", "json"], capsys)
    assert isinstance(data, dict)
    data["sheets"][0]["evaluation"]["total"] = 93.95
    assert list(_validator("workbook").iter_errors(data))  # type: ignore[attr-defined]


def test_unknown_schema_name_is_a_clear_error() -> None:
    """Asking for a schema that does not exist names the ones that do."""
    with pytest.raises(KeyError, match="evaluation"):
        schemas.load("perfscore.nothing/1")
