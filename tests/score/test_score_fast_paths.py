"""The scorer's fast paths give what its full path gives: cached, uncached, adaptive, lazy.

The cache of judged rows (_outcome) may be on, off, or switching; a Score's explanation
may be written when built or when first read; every way must give the same Score.
"""

from __future__ import annotations

import decimal
import pickle
import threading
from collections.abc import Callable
from decimal import Decimal

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

import strategies
from perfscore import Indicator, load_scheme, score_indicator
from perfscore._cache import AdaptiveCache
from perfscore.score.fields import FIELDS, FORMULA_NAMES, ROUNDING_MODES
from perfscore.score.formulas import (
    _FUNCTIONS,
    _SAMPLES,
    DECIMAL_CONTEXT,
    Formula,
    in_decimal_context,
)
from perfscore.score.scheme import _round, available_schemes
from perfscore.score.scoring import Score, Status, _outcome, _row_outcome

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
    """The same row computed afresh: both outcome caches emptied (the one by names and the
    name-free one, which answers on a miss even while the first is off), then the first off."""
    saved = _outcome._on
    try:
        _outcome.cache_clear()
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


def test_only_the_window_after_a_pause_is_a_trial() -> None:
    """A pause ends in a trial window, whose keys seen once are held for that window
    only; the first window, and one after a window that paid, are not trials."""
    cache, _ = _counting()
    assert not cache._trial
    for x in range(64):
        cache(x)  # no hits: off
    assert not cache._on
    assert not cache._trial
    for x in range(256):
        cache(1000 + x)  # the pause ends
    assert cache._on
    assert cache._trial
    assert cache.first_sighting((5,))
    assert not cache.first_sighting((5,))
    assert cache._window_hits == 1  # the second sighting counts for the window
    assert cache.first_sighting((6, "a"), (6,))
    assert not cache.first_sighting((6, "b"), (6,))  # its group seen: kept from now on
    assert cache._window_hits == 1  # but another key: not a hit it would have been
    for _ in range(20):
        for x in range(5):
            cache(x)  # repeating: the trial window pays
    while cache._left > 1:
        cache(5000 + cache._left)
    assert cache._trial
    cache(9999)  # the window ends
    assert cache._on
    assert not cache._trial
    assert cache._seen == {}


def test_score_indicator_looks_up_the_outcome_cache_as_call_does() -> None:
    """score_indicator inlines AdaptiveCache.call: its hits count for the window, and
    while the cache is off it neither looks up nor inserts."""
    scheme = load_scheme()
    row = Indicator(row=1, level3="培训人次", target="≥100人", actual="96人", weight=Decimal(10))
    _outcome.cache_clear()
    first = score_indicator(row, scheme)
    for _ in range(9):
        assert score_indicator(row, scheme) == first
    info = _outcome.cache_info()
    assert (info.hits, info.misses, info.currsize) == (9, 1, 1)
    saved = _outcome._on
    try:
        _outcome.cache_clear()
        _outcome._on, _outcome._left = False, 10**9
        assert score_indicator(row, scheme) == first
        off = _outcome.cache_info()
        assert (off.currsize, off.hits) == (0, 0)
    finally:
        _outcome._on, _outcome._left = saved, 1


def test_the_adaptive_cache_stays_on_while_it_hits() -> None:
    cache, calls = _counting()
    for _ in range(50):
        for x in range(60):  # repeats within a window of 64 misses
            assert cache(x) == x * x
    assert cache.cache_info().inserting
    assert len(calls) == 60  # each computed once
    assert cache.cache_info().hits == 50 * 60 - 60


def test_a_full_adaptive_cache_drops_its_oldest_entry() -> None:
    """Full, the cache drops the oldest entry inserted for each new one (in O(1): an
    OrderedDict, where a dict's front deletions had made each insert scan past them)."""
    cache, calls = _counting()
    cache._left = 10**9  # inserting throughout
    for x in range(250):
        cache(x)
    assert list(cache._data) == [(x,) for x in range(150, 250)]
    cache(200)  # still held: a hit, nothing dropped
    assert len(calls) == 250
    cache(149)  # dropped earlier: computed again, and the oldest (150) goes
    assert len(calls) == 251
    assert next(iter(cache._data)) == (151,)
    assert cache.cache_info().currsize == 100


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


# --- formulas: the compiled function equals eval of the same tree -------------------

_EXTRA = [
    "weight * actual / target",
    "weight * min(actual / target, 1)",
    "max(0, weight - floor(days_late / 30) * 0.5)",
    "weight * (1 - share) if share < 0.5 else weight * 0.7",
    "weight * actual / target * 1.2 - abs(actual - target) / 3",
    "ceil(weight * actual) / 10",
    "weight * (actual / target) ** 2",
    "weight if actual >= target and target > 0 or actual < 0 else 0",
]


def _formulas() -> list[Formula]:
    found = []
    for name in available_schemes():
        scheme = load_scheme(name)
        for f in FIELDS:
            value = getattr(scheme, f.attr, None) if f.kind in ("formula", "formula?") else None
            if isinstance(value, Formula):
                found.append(value)
    names = frozenset(_SAMPLES)
    found.extend(Formula.compile(f"extra{i}", text, names) for i, text in enumerate(_EXTRA))
    return found


FORMULAS = _formulas()
decimals = st.decimals(
    min_value=Decimal("-1e6"), max_value=Decimal("1e6"), allow_nan=False, places=4
) | st.sampled_from([Decimal(0), Decimal("1e-30"), Decimal("1e20"), Decimal("0.0")])


def _outcome_of(call: Callable[[], object]) -> object:
    try:
        return call()
    except Exception as error:
        return type(error)


@settings(max_examples=400)
@given(st.sampled_from(FORMULAS), st.fixed_dictionaries(dict.fromkeys(_SAMPLES, decimals)))
def test_a_compiled_formula_equals_eval_of_its_tree(
    formula: Formula, values: dict[str, Decimal]
) -> None:
    """Same result (or same exception type) as eval, and render as the regex version."""
    given_values = {n: v for n, v in values.items() if n in formula.names}

    def reference() -> object:
        names = {**_FUNCTIONS, **formula._constants, **given_values}
        with decimal.localcontext(DECIMAL_CONTEXT):
            result = eval(formula._code, {"__builtins__": {}}, names)
            if isinstance(result, bool) or not isinstance(result, Decimal | int):
                raise TypeError("not a number")
            value = Decimal(result)
            if not value.is_finite():
                raise decimal.InvalidOperation("not finite")
            return value

    got, want = _outcome_of(lambda: formula(**given_values)), _outcome_of(reference)
    assert got == want
    assert str(got) == str(want)  # the same digits and exponent, not only equal values
    assert formula.render(**given_values) == formula._render(given_values)


def test_every_formula_has_its_fast_function() -> None:
    assert all(f._fast is not None and f._pieces for f in FORMULAS)
    assert not set(_FUNCTIONS) & set().union(*FORMULA_NAMES.values())


def test_a_formula_missing_a_name_fails_as_before() -> None:
    formula = Formula.compile("x", "weight * actual / target", frozenset(_SAMPLES))
    try:
        formula(weight=Decimal(1), actual=Decimal(2))
    except NameError:
        pass
    else:
        raise AssertionError("a missing name was not an error")


def test_an_explanation_read_later_ignores_the_readers_decimal_context() -> None:
    """Written when read, an explanation is still the one DECIMAL_CONTEXT gives."""
    rows = [
        Indicator(row=1, target="≥ 69887万元", actual="56608.47万元", weight=Decimal(10)),
        Indicator(row=2, target="2024年1月24日前", actual="2024年4月25日", weight=Decimal(3)),
        Indicator(row=3, target="≤160万元", actual="171.3万元", level1="成本指标",
                  weight=Decimal(5), published=Decimal(4)),
    ]  # fmt: skip
    expected = [score_indicator(row, year=2024).explanation for row in rows]
    _outcome.cache_clear()
    scores = [score_indicator(row, year=2024) for row in rows]
    with decimal.localcontext(decimal.Context(prec=3, rounding=decimal.ROUND_UP)):
        assert [score.explanation for score in scores] == expected
    assert "得分 = 10 × 56608.47 / 69887 = 8.10" in expected[0]


def test_in_decimal_context_switches_each_thread_and_back() -> None:
    """The caller's context is restored; inside, DECIMAL_CONTEXT's settings and traps."""
    settings = ("prec", "rounding", "Emax", "Emin", "capitals", "clamp")
    mine = decimal.Context(prec=3, rounding=decimal.ROUND_UP)
    seen: list[decimal.Context] = []

    def inside() -> Decimal:
        context = decimal.getcontext()
        seen.append(context)
        assert all(getattr(context, s) == getattr(DECIMAL_CONTEXT, s) for s in settings)
        assert all(context.traps[t] == DECIMAL_CONTEXT.traps[t] for t in DECIMAL_CONTEXT.traps)
        return Decimal(2) / Decimal(3)

    with decimal.localcontext(mine) as context:
        assert in_decimal_context(inside) == Decimal("0.6666666666666666666666666667")
        assert decimal.getcontext() is context
    thread = threading.Thread(target=in_decimal_context, args=(inside,))
    thread.start()
    thread.join()
    assert len(seen) == 2
    assert seen[0] is not seen[1]  # one context per thread
    try:
        in_decimal_context(lambda: Decimal(1) / Decimal(0))
    except decimal.DivisionByZero:
        pass
    else:
        raise AssertionError("DECIMAL_CONTEXT traps division by zero")


@given(
    st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**9), max_value=10**9),
    st.integers(min_value=0, max_value=6),
    st.sampled_from(sorted(set(ROUNDING_MODES.values()))),
)
def test_rounding_with_a_kept_quantum_equals_scaleb(value: Decimal, places: int, mode: str) -> None:
    """scheme._round keeps 1E-places per key: the same as building it with scaleb each time."""
    with decimal.localcontext(DECIMAL_CONTEXT):
        want = value.quantize(Decimal(1).scaleb(-places), rounding=getattr(decimal, mode))
        got = _round(value, places, mode)
    assert str(got) == str(want)


@given(rows, st.sampled_from([None, 2024]))
def test_score_indicator_judges_a_row_as_row_outcome_does(
    indicator: Indicator, year: int | None
) -> None:
    """score_indicator's inline key and _row_outcome's give the same judged row."""
    scheme = load_scheme()
    if indicator.read_problem:
        return
    score = score_indicator(indicator, scheme, year=year)
    target, actual, result, computed, problems, _ = _row_outcome(indicator, scheme, year)
    assert (score.target, score.actual, score.computed, score.problems) == (
        target, actual, computed, problems
    )  # fmt: skip
    assert score.warnings == result.warnings


def test_equal_weights_written_differently_keep_their_own_capped_score() -> None:
    """A score capped at its weight is the weight as written, cached or not (0.5 vs 0.50)."""
    scheme = load_scheme("province-integer")
    _outcome.cache_clear()
    rows = [
        Indicator(row=1, target="≥90%", actual="95%", weight=Decimal(w))
        for w in ("0.5", "0.50", "0.5")
    ]
    scores = [score_indicator(row, scheme) for row in rows]
    assert [str(s.computed) for s in scores] == [str(r.weight) for r in rows]
    assert [str(s.counted) for s in scores] == [str(r.weight) for r in rows]


def test_the_default_scheme_kept_is_the_one_load_scheme_gives() -> None:
    from perfscore.score import scoring

    row = Indicator(row=1, level3="培训人数", target="≥135人", actual="120人", weight=Decimal(10))
    assert score_indicator(row) == score_indicator(row, load_scheme())
    assert scoring._DEFAULT_SCHEME is load_scheme()
    assert score_indicator(row, load_scheme("province-integer")).computed == Decimal(9)
