"""The scorer's fast paths give what its full path gives: cached, uncached, adaptive, lazy.

The cache of judged rows (_outcome) may be on, off, or switching; a Score's explanation
may be written when built or when first read; every way must give the same Score.
"""

from __future__ import annotations

import pickle
import threading
from decimal import Decimal

import attrs
from hypothesis import given
from hypothesis import strategies as st

import strategies
from perfscore import Indicator, load_scheme, score_indicator
from perfscore._cache import AdaptiveCache
from perfscore.score.scoring import Score, Status, _outcome

_TEXTS = ["≥90%", "95%", "≤100万元", "120万元", "2024年12月31日前", "2025年1月5日", "满意",
          "基本满意", "提升", "有所提升", "已完成", "≥10次", "8次", "", "第四季度",
          "2024年10月"]  # fmt: skip

rows = st.builds(
    Indicator,
    row=st.just(1),
    level1=st.sampled_from(["产出指标", "成本指标", "效益指标"]),
    level3=st.sampled_from(["", "完成率", "项目成本"]),
    target=st.sampled_from(_TEXTS) | strategies.target_like_text(),
    actual=st.sampled_from(_TEXTS) | strategies.target_like_text(),
    weight=st.sampled_from([None, Decimal(0), Decimal(5), Decimal("2.5")]),
    published=st.sampled_from([None, Decimal(0), Decimal(4), Decimal(5)]),
)


def _fields(score: Score) -> dict[str, object]:
    return attrs.asdict(score, recurse=False)


def _full_path(indicator: Indicator, scheme_name: str, year: int | None, recompute: bool) -> Score:
    """The same row scored with the cache off (every row computed, nothing kept)."""
    saved = _outcome._on
    try:
        _outcome._on = False
        _outcome._left = 10**9
        return score_indicator(indicator, load_scheme(scheme_name), year=year, recompute=recompute)
    finally:
        _outcome._on, _outcome._left = saved, 1


@given(
    rows,
    st.sampled_from(["mof2020", "province-integer-down", "vendor-linear", "department"]),
    st.sampled_from([None, 2024]),
    st.booleans(),
)
def test_cached_uncached_and_adaptive_paths_agree(
    indicator: Indicator, scheme_name: str, year: int | None, recompute: bool
) -> None:
    """Cold, warm (a hit), cache off: the same Score, field for field, explanation included."""
    scheme = load_scheme(scheme_name)
    _outcome.cache_clear()
    cold = score_indicator(indicator, scheme, year=year, recompute=recompute)
    warm = score_indicator(indicator, scheme, year=year, recompute=recompute)
    off = _full_path(indicator, scheme_name, year, recompute)
    assert _fields(cold) == _fields(warm) == _fields(off)
    assert cold == warm == off
    assert hash(cold) == hash(off)
    assert repr(cold) == repr(off)


def test_a_lazy_explanation_equals_the_written_one() -> None:
    """A published score's explanation is written when read: the same text, kept once read."""
    row = Indicator(row=1, target="≥90%", actual="80%", weight=Decimal(10), published=Decimal(10))
    score = score_indicator(row, load_scheme())
    assert "_explain" in vars(score)
    eager = Score(**_fields(score))  # asdict reads the explanation: it is written now
    assert "_explain" not in vars(score)
    assert score.explanation == eager.explanation
    assert "填报得分 10 与方案得分 8.89 不一致" in score.explanation
    assert pickle.loads(pickle.dumps(score)) == score
    assert attrs.evolve(score, counted=Decimal(1)).explanation == score.explanation
    assert score.status is Status.FULL


def test_a_lazy_explanation_survives_pickling_unread() -> None:
    row = Indicator(row=1, target="≥90%", actual="80%", weight=Decimal(10), published=Decimal(9))
    score = pickle.loads(pickle.dumps(score_indicator(row, load_scheme(), recompute=True)))
    assert score.explanation.endswith("（差 +0.11，按方案计入）")


def test_scores_stay_frozen() -> None:
    score = score_indicator(Indicator(row=1, target="≥1个", actual="1个", weight=Decimal(1)))
    try:
        score.counted = Decimal(0)  # type: ignore[misc]
    except attrs.exceptions.FrozenInstanceError:
        pass
    else:
        raise AssertionError("a Score could be changed")
    assert not hasattr(score, "no_such_field")


def _counting() -> tuple[AdaptiveCache[int], list[int]]:
    calls: list[int] = []

    def square(x: int) -> int:
        calls.append(x)
        return x * x

    return AdaptiveCache(square, 100, window=64, pause=256), calls


def test_the_adaptive_cache_switches_off_on_misses_and_on_again() -> None:
    """All misses: it stops looking up; after the pause it tries one window again."""
    cache, _ = _counting()
    for x in range(63):
        assert cache(x) == x * x
    assert cache.cache_info().inserting
    cache(1000)  # the 64th miss ends the window: no hits, so off
    assert not cache.cache_info().inserting
    size = cache.cache_info().currsize
    for x in range(2000, 2255):
        assert cache(x) == x * x
    assert cache.cache_info().currsize == size  # nothing inserted while off
    cache(3000)
    assert cache.cache_info().inserting  # the pause ended: a trial window
    assert cache.cache_info().currsize <= 100


def test_the_adaptive_cache_stays_on_while_it_hits() -> None:
    cache, calls = _counting()
    for _ in range(50):
        for x in range(60):  # repeats within a window of 64 misses
            assert cache(x) == x * x
    assert cache.cache_info().inserting
    assert len(calls) == 60  # each computed once
    assert cache.cache_info().hits == 50 * 60 - 60


def test_the_adaptive_cache_is_bounded_and_threads_agree() -> None:
    cache, _ = _counting()
    wrong: list[int] = []

    def work(offset: int) -> None:
        for x in range(3000):
            value = (x * 7 + offset) % 500
            if cache(value) != value * value:
                wrong.append(value)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not wrong
    assert cache.cache_info().currsize <= 100
