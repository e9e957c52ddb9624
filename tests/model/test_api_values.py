"""Tests that Indicator, Project and Document take the amounts and weights people pass."""

from __future__ import annotations

from decimal import Decimal

import pytest

from perfscore import evaluate
from perfscore.documents import Document, DocumentKind, Project
from perfscore.errors import FloatAmountWarning, ReadError
from perfscore.indicators import Indicator

# (value passed, Decimal kept): exact for int, str and Decimal.
EXACT = [
    (10, Decimal("10")),
    ("1.5", Decimal("1.5")),
    (" 2 ", Decimal("2")),
    ("１.５", Decimal("1.5")),
    ("2分", Decimal("2")),
    ("176,875.03", Decimal("176875.03")),
    (Decimal("0.30"), Decimal("0.30")),
    ("", None),
    (None, None),
]
# Values refused at construction, with the text shown in the message.
REFUSED = ["十分", "1.5.2", float("nan"), float("inf"), Decimal("NaN"), True, [1], "abc"]


@pytest.mark.parametrize(("given", "kept"), EXACT)
def test_amounts_and_weights_convert_exactly(given: object, kept: Decimal | None) -> None:
    """int, str and Decimal become the exact Decimal, on every amount and weight field."""
    indicator = Indicator(row=1, weight=given, published=given)  # type: ignore[arg-type]
    project = Project(budget=given, fiscal_funds=given, other_funds=given)  # type: ignore[arg-type]
    document = Document(
        path="x",
        kind=DocumentKind.SELF_EVALUATION,
        budget=given,
        executed=given,  # type: ignore[arg-type]
    )
    for value in (indicator.weight, indicator.published, project.budget, document.executed):
        assert value == kept
        assert value is None or isinstance(value, Decimal)


def test_float_goes_through_its_shortest_repr_with_a_warning() -> None:
    """0.1 becomes Decimal("0.1"), not 0.1000000000000000055…, and a warning says so."""
    with pytest.warns(FloatAmountWarning, match=r'read as Decimal\("0\.1"\)'):
        indicator = Indicator(row=1, weight=0.1)  # type: ignore[arg-type]
    assert indicator.weight == Decimal("0.1")


@pytest.mark.parametrize("given", REFUSED, ids=repr)
def test_unreadable_values_are_refused_at_construction(given: object) -> None:
    """A value that is not a number raises ReadError at once, naming what was given."""
    with pytest.raises(ReadError, match="an amount or weight must be a number") as caught:
        Indicator(row=1, weight=given)  # type: ignore[arg-type]
    assert repr(given) in str(caught.value)


def test_int_weights_score_like_decimals() -> None:
    """The API no longer crashes on ints ('int' object has no attribute 'is_finite')."""
    rows = [Indicator(row=1, level3="培训", target="≥10人", actual="8人", weight=10, published=8)]  # type: ignore[arg-type]
    as_decimals = [Indicator(row=1, level3="培训", target="≥10人", actual="8人",
                             weight=Decimal(10), published=Decimal(8))]  # fmt: skip
    assert evaluate(rows, recompute=True).total == evaluate(as_decimals, recompute=True).total
    assert evaluate(rows).total == Decimal(8)
