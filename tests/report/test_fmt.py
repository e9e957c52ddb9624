"""``fmt`` skips a new decimal context when the context's own precision suffices: the same text."""

from __future__ import annotations

from decimal import Decimal, localcontext

from hypothesis import given
from hypothesis import strategies as st

from perfscore.report._common import _own_places, fmt


def _reference(value: Decimal | None, places: int) -> str:
    """fmt as it was: always in a context of at least the needed precision."""
    if value is None:
        return ""
    places = max(places, _own_places(value))
    with localcontext() as context:
        context.prec = max(context.prec, value.adjusted() + places + 2)
        return f"{value.quantize(Decimal(1).scaleb(-places)):f}"


@given(
    st.decimals(allow_nan=False, allow_infinity=False) | st.none(),
    st.integers(min_value=0, max_value=12),
)
def test_fmt_equals_the_reference(value: Decimal | None, places: int) -> None:
    assert fmt(value, places) == _reference(value, places)


def test_fmt_edges() -> None:
    for text in ("0", "-0", "0.005", "99.995", "1E+25", "1.234567890123456789012345678", "-7.5"):
        for places in (0, 2, 4):
            assert fmt(Decimal(text), places) == _reference(Decimal(text), places)


@given(
    st.integers(min_value=-(10**40), max_value=10**40),
    st.integers(min_value=0, max_value=8),
    st.booleans(),
)
def test_fmt_of_a_value_with_exactly_the_places_is_the_reference(
    coefficient: int, places: int, negative_zero: bool
) -> None:
    """Most scores already have the places shown (0.00, 93.95): fmt writes them as they
    are, as the reference does — 40-digit coefficients and -0.00 included."""
    value = Decimal(f"{coefficient}E-{places}")  # exact: scaleb would round to 28 digits
    if negative_zero and coefficient == 0:
        value = -value
    assert value.same_quantum(Decimal(1).scaleb(-places))
    assert fmt(value, places) == _reference(value, places)
