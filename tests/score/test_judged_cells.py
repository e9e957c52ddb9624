"""judged_cells gives what score_indicator gives, without the Indicator or the Score.

A flat table's sums (perfscore.scale.dask) need only a row's computed and counted scores
and its status: judged_cells gives these from the row's cells.  Every case-table row and
both benchmark mixtures, with and without published scores, under every scheme it
serves, with the outcome cache on, pausing and switching: the same three values, and the
cache left in the same state (the same windows, pauses and entries), row by row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import casetable
import strategies
from perfscore import Indicator, load_scheme, score_indicator
from perfscore.score.scheme import Scheme, available_schemes
from perfscore.score.scoring import Status, _outcome, cells_judged_alone, judged_cells

SCHEMES = [load_scheme(name) for name in available_schemes()]
SERVED = [s for s in SCHEMES if cells_judged_alone(s)]


def _rows() -> Iterator[Indicator]:
    """Case-table rows and both benchmark mixtures; a third published, some without
    weight, some 成本 rows."""
    yield from casetable.scoring_rows(cost_every=7, unweighted_every=11)
    yield from casetable.benchmark_rows(7, 400, 1600)
    # No target and no actual: a published score is taken as entered (manual).
    yield Indicator(row=1, level3="其他", weight=Decimal(5), published=Decimal(4))
    yield Indicator(row=2, level3="其他", weight=Decimal(5))


def _cells(
    row: Indicator, scheme: Scheme, recompute: bool, judge: Callable[..., tuple[object, ...]]
) -> tuple[object, ...]:
    return judge(
        row.target,
        row.actual,
        row.weight,
        row.published,
        row.level1,
        row.level2,
        row.level3,
        scheme,
        2024,
        recompute,
    )


def _state() -> tuple[object, ...]:
    return (_outcome._on, _outcome._left, _outcome._window_hits, len(_outcome._data),
            len(_outcome._unnamed), _outcome._trial, len(_outcome._seen))  # fmt: skip


def _both(
    rows: list[Indicator],
    scheme: Scheme,
    recompute: bool,
    start: Callable[[], None],
    judge: Callable[..., tuple[object, ...]] = judged_cells,
) -> None:
    """Each row through score_indicator, then through judged_cells from the same start."""
    start()
    expected = []
    for row in rows:
        score = score_indicator(row, scheme, year=2024, recompute=recompute)
        expected.append(((score.computed, score.counted, score.status), _state()))
    start()
    for row, (values, state) in zip(rows, expected, strict=True):
        mine = _cells(row, scheme, recompute, judge)
        assert mine == values, (row.target, row.actual, row.level3, row.weight, row.published)
        # Decimals equal in value may differ in exponent or sign: compare as written too.
        assert [str(v) for v in mine] == [str(v) for v in values], (row.target, row.actual)
        assert _state() == state, (row.target, row.actual)
    _outcome.cache_clear()


def _on() -> None:
    _outcome.cache_clear()


def _paused() -> None:
    _outcome.cache_clear()
    _outcome._on, _outcome._left = False, 10**9


def _switching() -> None:
    """Short windows and pauses: the cache turns on and off many times over the rows."""
    _outcome.cache_clear()
    _outcome._window, _outcome._pause = 40, 60
    _outcome._min_hits = 8
    _outcome._left = 40


@pytest.fixture(autouse=True)
def _restore_windows() -> Iterator[None]:
    saved = (_outcome._window, _outcome._pause, _outcome._min_hits)
    yield
    _outcome._window, _outcome._pause, _outcome._min_hits = saved
    _outcome.cache_clear()


ROWS = list(_rows())


@pytest.mark.parametrize("scheme", SERVED, ids=lambda s: s.name)
@pytest.mark.parametrize("recompute", [False, True])
@pytest.mark.parametrize("start", [_on, _paused, _switching], ids=lambda f: f.__name__)
def test_judged_cells_equal_score_indicator(
    scheme: Scheme, recompute: bool, start: Callable[[], None]
) -> None:
    _both(ROWS, scheme, recompute, start)


def test_the_rows_reach_every_lane_and_status() -> None:
    """The rows above are not all of one kind: every status, the lean lane and the cache."""
    _paused()
    statuses = {score_indicator(r).status for r in ROWS}
    assert {
        Status.FULL,
        Status.PARTIAL,
        Status.ZERO,
        Status.NEEDS_REVIEW,
        Status.MANUAL,
    } <= statuses
    _paused()
    lean = sum("_values" in score_indicator(r).__dict__ for r in ROWS)
    assert lean > len(ROWS) // 4


def test_schemes_that_read_more_of_a_row_are_not_served() -> None:
    """不适用 rows and checklist items read fields judged_cells is not given."""
    for scheme in SCHEMES:
        assert cells_judged_alone(scheme) == (
            not scheme.not_applicable_rescale and not scheme.checklist
        )
    assert SERVED  # the default scheme among them
    assert load_scheme() in SERVED


@settings(max_examples=60, deadline=None)
@given(
    st.lists(strategies.quantity_rows(), min_size=1, max_size=40),
    strategies.schemes,
    st.booleans(),
)
def test_judged_cells_equal_score_indicator_on_generated_rows(
    rows: list[Indicator], scheme: Scheme, recompute: bool
) -> None:
    if not cells_judged_alone(scheme):
        return
    for start in (_on, _paused):
        _both(rows, scheme, recompute, start)


@pytest.mark.parametrize("mutation", ["published ignored", "no pause counted"])
def test_the_comparison_catches_a_wrong_judge(mutation: str) -> None:
    """The comparison above fails for a judge that counts a published score as computed,
    or that does not count the lean lane's rows towards the cache's pause."""

    def wrong(*cells: object) -> tuple[object, ...]:
        computed, counted, status = judged_cells(*cells)  # type: ignore[arg-type]
        if mutation == "published ignored":
            return computed, computed if computed is not None else counted, status
        _outcome._left += 1  # the row not counted
        return computed, counted, status

    rows = ROWS if mutation == "published ignored" else ROWS[-1200:]
    start = _on if mutation == "published ignored" else _paused
    with pytest.raises(AssertionError):
        _both(rows, load_scheme(), False, start, wrong)
