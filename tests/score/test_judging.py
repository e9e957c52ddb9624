"""The judging case table (tests/data/judging.tsv) and the scoring invariants as properties."""

from __future__ import annotations

import decimal
import sys
import threading
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import casetable
from perfscore import Indicator, Status, score_indicator
from perfscore.score.scheme import load_scheme

ROWS = casetable.load_rows("judging.tsv")


@pytest.mark.parametrize(
    ("target", "actual", "weight", "expected", "note"), ROWS, ids=[f"{r[0]}→{r[1]}" for r in ROWS]
)
def test_judging_case(target: str, actual: str, weight: str, expected: str, note: str) -> None:
    """Each row scores what a careful reviewer would give, or goes to review with a reason."""
    score = score_indicator(Indicator(row=1, target=target, actual=actual, weight=Decimal(weight)))
    if expected == "review":
        assert (score.computed, score.status) == (None, Status.NEEDS_REVIEW), score.explanation
        assert score.explanation
    else:
        assert score.computed == Decimal(expected), (note, score.explanation)


def test_judging_table_is_broad() -> None:
    """The table keeps at least 200 rows, and both scores and reviews."""
    assert len(ROWS) >= 200
    assert sum(r[3] == "review" for r in ROWS) >= 30


# --- the invariant: a score only when every word was read ----------------------------------

_NOISE = "猫狗桌椅蓝绿山川雨雪云松鹤琴棋书画"
NUMERIC = [
    ("≥135人", "150人"), ("≤160万元", "150万元"), ("≥95%", "96%"), ("30-40万元", "35万元"),
    ("±5%", "3%"), ("同比增长8%", "同比增长9%"), ("2024年12月31日前", "2024年12月20日"),
    ("≥2万人次", "3万人次"), ("≥5吨", "6吨"), ("0起", "0起"),
]  # fmt: skip
# (A zero target such as 零事故 names its subject in words, so words after it are its name.)


@given(
    pair=st.sampled_from(NUMERIC),
    noise=st.text(alphabet=_NOISE, min_size=1, max_size=4),
    where=st.sampled_from(["target", "actual"]),
)
def test_unread_words_never_get_a_score(pair: tuple[str, str], noise: str, where: str) -> None:
    """Words perfscore cannot read, after a numeric target or actual, send the row to review."""
    target, actual = pair
    if where == "target":
        target += noise
    else:
        actual += noise
    score = score_indicator(Indicator(row=1, target=target, actual=actual, weight=Decimal(5)))
    assert score.computed is None, score.explanation
    assert score.status is Status.NEEDS_REVIEW


def test_negative_or_absurd_weights_are_not_scored() -> None:
    """A weight below 0 or above 1000 is reported, never scored as −5.00 'full'.

    Past 10^20 (or NaN, or 29 digits) the Indicator itself refuses it: no number of
    a million digits ever reaches scoring or a report.
    """
    for weight in ("-5", "1E+6"):
        row = Indicator(row=3, target="≥1人", actual="2人", weight=Decimal(weight))
        score = score_indicator(row)
        assert (score.computed, score.status) == (None, Status.NEEDS_REVIEW)
        assert "分值" in score.explanation
    for weight in ("1E+26", "1E+999999", "NaN", "-Infinity", "1." + "0" * 27 + "1"):
        with pytest.raises(ValueError, match=r"not a number|out of range|must be a number"):
            Indicator(row=3, target="≥1人", actual="2人", published=Decimal(weight))


def test_scores_do_not_depend_on_the_callers_decimal_context() -> None:
    """A caller's prec=3 context changes no score."""
    row = Indicator(row=1, target="≥2万人次", actual="15678人次", weight=Decimal(7))
    expected = score_indicator(row, recompute=True).computed
    with decimal.localcontext(decimal.Context(prec=3)):
        assert score_indicator(row, recompute=True).computed == expected


def test_threads_score_exactly_as_one_thread() -> None:
    """Scoring from 8 threads with a tiny switch interval gives the single-threaded scores."""
    scheme = load_scheme("vendor-linear")
    rows = [
        Indicator(row=i, target=f"≥{100 + i}人", actual=f"{50 + i * 3}人", weight=Decimal(10))
        for i in range(300)
    ] + [
        Indicator(row=i, target=f"≤{100 + i}万元", actual=f"{120 + i}万元", weight=Decimal(5))
        for i in range(300)
    ]
    expected = [score_indicator(r, scheme, recompute=True).computed for r in rows]
    results: dict[int, list[Decimal | None]] = {}
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:

        def work(n: int) -> None:
            ordered = rows[n::8] + rows[:n:8]
            got = {id(r): score_indicator(r, scheme, recompute=True).computed for r in ordered}
            results[n] = [got[id(r)] for r in rows[n::8] + rows[:n:8]]

        threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    for n in range(8):
        order = rows[n::8] + rows[:n:8]
        assert results[n] == [expected[rows.index(r)] for r in order]
