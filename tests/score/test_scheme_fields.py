"""The scheme's settings table drives loading, the key check, `schemes` and the JSON Schema."""

from __future__ import annotations

import json
import time
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perfscore import Indicator, SchemeError, available_schemes, evaluate, load_scheme
from perfscore.cli import main
from perfscore.report import schemas
from perfscore.score.fields import FIELDS, FORMULA_NAMES, KNOWN_KEYS, settings_schema
from perfscore.score.scheme import Scheme, from_toml


def test_json_schema_is_the_table() -> None:
    """The shipped schemes.schema.json lists exactly the table's settings."""
    shipped = schemas.load("schemes")["properties"]["schemes"]["items"]["properties"]["settings"]
    assert shipped == settings_schema()


def test_schemes_json_shows_every_field(capsys: pytest.CaptureFixture[str]) -> None:
    """`perfscore schemes --format json` gives one setting per table row, for every preset."""
    assert main(["schemes", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    keys = set(settings_schema()["properties"])
    assert {s["name"] for s in data["schemes"]} == set(available_schemes())
    for scheme in data["schemes"]:
        assert set(scheme["settings"]) == keys


def test_schemes_table_shows_every_field(capsys: pytest.CaptureFixture[str]) -> None:
    """`perfscore schemes` ends with every setting, labelled, with mof2020's value."""
    assert main(["schemes"]) == 0
    out = capsys.readouterr().out.split("全部设置", 1)[1]
    for f in FIELDS:
        if f.key not in ("name", "version", "title", "description"):
            assert f"{f.label} {f.key}" in out


def test_big_scheme_file_is_refused(tmp_path: Path) -> None:
    """A scheme file over 1 MB is refused before it is read."""
    path = tmp_path / "big.toml"
    path.write_text('name = "x"\n' + "# padding\n" * 200_000, "utf-8")
    with pytest.raises(SchemeError, match="过大"):
        load_scheme(path)


def test_known_keys_come_from_the_table() -> None:
    """Every field's key is accepted, and the formula names are the table's."""
    for f in FIELDS:
        node = KNOWN_KEYS
        for part in f.key.split("."):
            assert part in node, f.key
            node = node[part] if isinstance(node[part], dict) else {}
    assert FORMULA_NAMES["execution.formula"] == {"weight", "budget", "executed"}


@pytest.mark.parametrize("name", available_schemes())
def test_presets_write_back_as_toml(name: str) -> None:
    """Each preset written as TOML loads back with every setting the same."""
    scheme = load_scheme(name)
    again = from_toml(scheme.to_toml(), "again.toml")
    for f in FIELDS:
        assert again.setting(f.key) == scheme.setting(f.key), f.key


def _error(data: dict[str, object]) -> SchemeError:
    with pytest.raises(SchemeError) as info:
        Scheme.from_dict({"name": "x", **data}, source="x.toml")
    return info.value


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"quantitative": {"negative_actual_as_zero": "false"}},
         "quantitative.negative_actual_as_zero"),
        ({"cap": {"at_weight": 0}}, "cap.at_weight"),
        ({"execution": {"weight": -10}}, "execution.weight"),
        ({"execution": {"weight": float("nan")}}, "execution.weight"),
        ({"qualitative": {"achieved_from": float("nan")}}, "qualitative.achieved_from"),
        ({"qualitative": {"partial_from": 0.9}}, "qualitative.partial_from"),
        ({"qualitative": {"phrases": {"基本达到": float("inf")}}}, "qualitative.phrases.基本达到"),
        ({"qualitative": {"phrases": ["基本达到"]}}, "qualitative.phrases"),
        ({"weights": {"产出指标": -5}}, "weights.产出指标"),
        ({"grades": [{"name": "优", "min": 90}, {"name": "中", "min": 60}]}, "grades"),
        ({"grades": [{"name": "优", "min": 90}, {"name": "差", "min": float("nan")}]},
         "grades[1].min"),
        ({"rounding": {"places": True}}, "rounding.places"),
        ({"rounding": {"total_mode": "sideways"}}, "rounding.total_mode"),
        ({"cost": {"under_budget": "A/B"}}, "cost.under_budget"),
        ({"checklist": {"likert": {"好": 2}}}, "checklist.likert.好"),
        ({"title": 5}, "title"),
    ],
)  # fmt: skip
def test_bad_settings_name_their_key(data: dict[str, object], key: str) -> None:
    """Types and ranges are checked: "false" is not a boolean, NaN is not a number."""
    assert _error(data).key == key


def test_deep_nesting_is_a_scheme_error() -> None:
    """A TOML file nested thousands deep is refused, not a RecursionError."""
    with pytest.raises(SchemeError, match=r"x\.toml"):
        from_toml("name = 'x'\nweights = " + "[" * 100_000 + "]" * 100_000, "x.toml")
    with pytest.raises(SchemeError) as info:
        from_toml("name = 'x'\n[qualitative.achieved.deep]\nx = 1\n", "x.toml")
    assert info.value.key == "qualitative.achieved"


def test_non_utf8_file_is_a_scheme_error(tmp_path: Path) -> None:
    """A GBK-encoded scheme file names the file and asks for UTF-8."""
    path = tmp_path / "gbk.toml"
    path.write_bytes('name = "方案"\n'.encode("gbk"))
    with pytest.raises(SchemeError, match="UTF-8"):
        load_scheme(path)


def test_floor_of_a_huge_value_is_bounded() -> None:
    """floor() on a value with a million digits fails fast at evaluation, never builds it."""
    scheme = Scheme.from_dict({"name": "x", "quantitative": {"higher_unmet": "floor(actual)"}})
    started = time.perf_counter()
    with pytest.raises(ArithmeticError):
        scheme.higher_unmet(weight=Decimal(1), actual=Decimal("1e999990"), target=Decimal(1))
    assert time.perf_counter() - started < 5  # a bound on the attack, not a speed figure


def test_execution_formula_failing_at_the_documents_budget() -> None:
    """A formula that divides by zero only at this budget is a SchemeError naming its key."""
    scheme = Scheme.from_dict(
        {"name": "x", "execution": {"formula": "weight * executed / (budget - 5000)"}}
    )
    row = Indicator(row=1, target="≥1项", actual="1项", weight=Decimal(90))
    with pytest.raises(SchemeError) as info:
        evaluate([row], scheme=scheme, budget=Decimal(5000), executed=Decimal(4000))
    assert info.value.key == "execution.formula"
    assert "5000" in info.value.message


def test_docs_document_every_field() -> None:
    """docs/schemes.md has a row for every key of the settings table."""
    text = (Path(__file__).parents[2] / "docs" / "schemes.md").read_text("utf-8")
    missing = [f.key for f in FIELDS if f"| `{f.key}` |" not in text]
    assert missing == []


_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(["weight * actual / target", "floor(actual)", "half-up", "B/A", "1e999"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner,
                                                                max_size=3),
    max_leaves=8,
)  # fmt: skip


@given(st.dictionaries(st.sampled_from([f.key for f in FIELDS]), _VALUES, max_size=4))
def test_any_setting_loads_or_names_its_problem(settings: dict[str, object]) -> None:
    """Whatever a file puts at any key, loading gives a scheme or a SchemeError, nothing else."""
    data: dict[str, object] = {"name": "x"}
    for key, value in settings.items():
        node = data
        *parents, last = key.split(".")
        for part in parents:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                break
            node = child
        else:
            node[last] = value
    try:
        outcome = Scheme.from_dict(data).name
    except SchemeError as error:
        outcome = error.message
    assert outcome


_TEXT = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=12)


@given(
    name=_TEXT,
    description=st.text(st.characters(exclude_categories=("Cs",)), max_size=30),
    phrases=st.dictionaries(_TEXT, st.decimals(0, 1, places=3), max_size=3),
    grade=_TEXT,
)
def test_any_scheme_writes_back_as_toml(
    name: str, description: str, phrases: dict[str, Decimal], grade: str
) -> None:
    """Names, descriptions and phrases with any characters survive to_toml and back."""
    scheme = Scheme.from_dict(
        {"name": name, "description": description, "qualitative": {"phrases": phrases},
         "grades": [{"name": grade, "min": 0}]}
    )  # fmt: skip
    again = from_toml(scheme.to_toml())
    assert (again.name, again.description, again.grades) == (name, description, scheme.grades)
    assert again.phrase_shares == scheme.phrase_shares
