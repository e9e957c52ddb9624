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
