"""perfscore.report._json.dumps writes what json.dumps(…, ensure_ascii=False, indent=2) writes."""

from __future__ import annotations

import enum
import json
import math
from collections import OrderedDict
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfscore.report._json import dumps

EXAMPLES = Path(__file__).parents[2] / "examples" / "data"


def _standard(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


class Level(enum.IntEnum):
    LOW = 1


class Name(str):
    pass


_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()  # any code point, lone surrogates and controls included
    | st.sampled_from(["", " ", "\n", '"', "\\", "\u2028", "第1行", "≥95%"])
)
_keys = st.text(max_size=8) | st.sampled_from(["row", "target", "值", ""])
_data = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.lists(inner, max_size=4).map(tuple)
        | st.dictionaries(_keys, inner, max_size=5)
    ),
    max_leaves=40,
)


@settings(max_examples=400, deadline=None)
@given(_data)
def test_generated_data(data: Any) -> None:
    assert dumps(data) == _standard(data)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.integers() | st.floats() | st.booleans() | st.none(), _scalars))
def test_keys_that_are_not_strings(data: dict[Any, Any]) -> None:
    """In a container of scalars (the C encoder's) and in one walked here (the fallback)."""
    assert dumps(data) == _standard(data)
    assert dumps({"outer": data, "list": [data]}) == _standard({"outer": data, "list": [data]})


def test_subclasses_enums_and_special_floats() -> None:
    data = {
        "ordered": OrderedDict([("b", 1), ("a", [1, (2, 3)])]),
        "enum": Level.LOW,
        "name": Name("名称"),
        "floats": [math.nan, math.inf, -math.inf, 1e16, 0.1, -0.0],
        "nested": [[[]], [{}], {"x": {"y": {"z": [None, True, False]}}}],
        Name("键"): {"k": Level.LOW},
    }
    assert dumps(data) == _standard(data)
    deep: Any = 1
    for _ in range(60):  # deeper than perfscore writes: the standard library's way
        deep = {"d": [deep]}
    assert dumps(deep) == _standard(deep)


def test_unserialisable_values_raise_as_the_standard_library() -> None:
    for data in ({"x": Decimal("1.5")}, [object()], {"a": [1, {"b": {1, 2}}]}):
        with pytest.raises(TypeError) as ours:
            dumps(data)
        with pytest.raises(TypeError) as theirs:
            _standard(data)
        assert str(ours.value) == str(theirs.value)


def test_a_scored_example() -> None:
    """The JSON of a real evaluation, with findings: the same text."""
    from perfscore import evaluate_document
    from perfscore.readers import read
    from perfscore.report.json import to_data
    from perfscore.review.audit import audit

    document = read(EXAMPLES / "tianjin-2024-self-evaluation.txt")
    evaluation = evaluate_document(document)
    data = to_data(evaluation, document=document, findings=audit(evaluation, document))
    assert dumps(data) == _standard(data)


def test_threads_share_the_encoders() -> None:
    """The service writes JSON from several threads: each gets its own text."""
    import sys
    from concurrent.futures import ThreadPoolExecutor

    datas = [
        {"row": n, "values": [{"k": n, "t": f"第{n}行"}, [n, None, True]], "名": {"x": [n] * n}}
        for n in range(64)
    ]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        with ThreadPoolExecutor(8) as pool:
            texts = list(pool.map(dumps, datas * 4))
    finally:
        sys.setswitchinterval(interval)
    assert texts == [_standard(d) for d in datas * 4]
