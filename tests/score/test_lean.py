"""The lean lane reads as the parser reads and scores as the full path scores (issue 21).

``perfscore.score._lean`` reads ``[comparator] number unit`` texts with one small regex
and two tables of the words before and after the number, each filled by asking the
parser's fast path (``_simple_quantity``) once per word.  These tests check:

- its reading equals ``_simple_quantity``'s for every text it takes (every comparator
  word and symbol with every unit word, every case-table text, Hypothesis texts built
  from the parser's own words and from arbitrary characters), and that it declines what
  the fast path does not read as a plain quantity;
- whole Scores from ``score_indicator`` while the outcome cache pauses (the lean Score,
  its values and explanation written when first read) equal the Scores of the same
  rows with the lane switched off, on the case tables and the benchmark mixtures,
  under every preset and with published scores;
- the lane's rows count towards the cache's pause, so a batch that starts repeating
  again is cached again.

(tests/score/test_fused.py compares the lane's result and values with the full path's
on every pair it checks the fused path on.)
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import casetable
import strategies
from perfscore import Indicator, load_scheme, parse_target, score_indicator
from perfscore.parse._tokenizer import COMPARATOR_SUFFIXES, COMPARATOR_WORDS, normalize
from perfscore.parse.targets import _simple_quantity
from perfscore.parse.units import vocabulary
from perfscore.parse.values import Comparator, Quantity
from perfscore.score import _lean, scoring
from perfscore.score.scheme import Scheme, available_schemes
from perfscore.score.scoring import Score, _outcome

SCHEMES = [load_scheme(name) for name in available_schemes()]
_COMPARATORS = [*strategies.SYMBOLS, *COMPARATOR_WORDS, "≥ ", " ≥", "约", "大约", "不足", "±"]
_AFTER = [*vocabulary().units, *(f"{u}以上" for u in ("%", "人")), *COMPARATOR_SUFFIXES,
          "万元", "万人", "亿元", "千米", "", " 人", "人 ", "人。", "年", "月", "个月", "余人",
          "多人", "XX", "人/次"]  # fmt: skip
_NUMBERS = ["0", "1", "07", "95", "99.5", "100", "1234567", "0.001", "12345678901234567890123"]


def _agrees(text: str) -> bool:
    """Whether the lane read ``text``; when it did, it must read what the parser reads."""
    read = _lean.read(normalize(text))
    if read is None:
        return False
    found = _simple_quantity(text)
    assert found is not None, text
    assert (found.comparator, found.magnitude, found.unit) == read, text
    assert _lean._plain(found), text
    assert str(found.magnitude) == str(read[1]), text  # the same Decimal, digits and all
    built = _lean.values((found.text, read[1], read[2], read[0], found.text, read[1]))[0]
    assert built == found, text
    assert repr(built) == repr(found), text
    assert parse_target(text) == found, text  # the parser's entry, caches and all
    return True


def test_every_comparator_with_every_unit_word() -> None:
    taken = 0
    for before in _COMPARATORS:
        for after in _AFTER:
            for number in _NUMBERS:
                taken += _agrees(f"{before}{number}{after}")
    assert taken > 10_000


def test_every_case_table_text() -> None:
    texts: set[str] = set()
    for path in sorted(casetable.DATA.glob("*.tsv")):
        for row in casetable.load(path.name):
            texts.update(row[c] for c in ("text", "target", "actual", "cell", "value") if c in row)
    assert sum(_agrees(text) for text in sorted(texts)) > 100


def test_declines_what_is_not_a_plain_quantity() -> None:
    for text in ["约95%", "95%左右", "≥90%以上", "2024年", "12月", "3万2千人", "5万人", "-5个",
                 "+5个", "1,000人", "1.5.3人", "95", "≥95", "95%（预计）", "预计95%", "٣人",
                 "≥-5%", "≥ 9 5%", "", "人", "1e5人", "12345678901234567890123人"]:  # fmt: skip
        read = _lean.read(normalize(text))
        assert read is None, (text, read)


_PIECES = st.sampled_from([*_COMPARATORS, *_AFTER, *_NUMBERS, "．", "。", "，", ",", " ",
                           "\u3000", "０", "９", "％", "万", "亿", "以上", "以下", "-", "+", "预计",
                           "已"])  # fmt: skip


@settings(max_examples=1500)
@given(st.lists(_PIECES, min_size=1, max_size=5).map("".join))
def test_texts_of_the_parsers_words(text: str) -> None:
    _agrees(text)


@settings(max_examples=800)
@given(st.text(max_size=12), st.sampled_from(_NUMBERS), st.text(max_size=8))
def test_numbers_between_any_characters(before: str, number: str, after: str) -> None:
    _agrees(f"{before}{number}{after}")


# --- whole Scores ----------------------------------------------------------------------


def _rows() -> Iterator[Indicator]:
    """Rows of the case tables and both benchmark mixtures, some with a published score."""
    yield from casetable.scoring_rows()
    yield from casetable.benchmark_rows(5, 300, 1200)


def _seen(score: Score) -> tuple[object, ...]:
    return (
        repr(score),
        score.explanation,
        score.target,
        score.actual,
        repr(score.target),
        repr(score.actual),
        str(score.computed),
        str(score.counted),
        score.status,
        score.warnings,
        str(score.over_share),
        score.problems,
        attrs.asdict(score, recurse=False),
    )


def _paused() -> None:
    """The outcome cache pausing for a long while, as in a batch of new texts."""
    _outcome.cache_clear()
    _outcome._on = False
    _outcome._left = 10**9


@pytest.mark.parametrize("scheme", SCHEMES, ids=lambda s: s.name)
@pytest.mark.parametrize("recompute", [False, True])
def test_lean_scores_equal_the_full_paths(
    scheme: Scheme, recompute: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = list(_rows())
    _paused()
    lean = [score_indicator(r, scheme, year=2024, recompute=recompute) for r in rows]
    taken = sum("_values" in s.__dict__ for s in lean)
    assert taken > len(rows) // 4  # the lane took the plain quantity rows
    lean_seen = [_seen(s) for s in lean]
    monkeypatch.setattr(scoring, "_lean_outcome", lambda *args: None)
    _outcome.cache_clear()
    full = [score_indicator(r, scheme, year=2024, recompute=recompute) for r in rows]
    assert not any("_values" in s.__dict__ for s in full)
    for row, mine, theirs, score, other in zip(
        rows, lean_seen, map(_seen, full), lean, full, strict=True
    ):
        assert mine == theirs, (row.target, row.actual, row.level3)
        assert score == other
        assert hash(score.target) == hash(other.target)


def _trial() -> None:
    """A trial window after a pause, as long as the rows: first sightings go by the lane."""
    _outcome.cache_clear()
    _outcome._on, _outcome._trial, _outcome._left = True, True, 10**9


@pytest.mark.parametrize("scheme", SCHEMES[:2], ids=lambda s: s.name)
def test_trial_window_scores_equal_the_full_paths(
    scheme: Scheme, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a trial window a pair's first sighting goes by the lane, its second is kept and
    its third is a hit: every one equals the cache-off full path's Score."""
    rows = list(_rows())
    rows = rows + rows[::2] + rows[::3]  # second and third sightings
    _trial()
    tried = [score_indicator(r, scheme, year=2024) for r in rows]
    assert sum("_values" in s.__dict__ for s in tried) > len(rows) // 6
    assert _outcome._window_hits > len(rows) // 6  # second sightings and hits counted
    assert len(_outcome._seen) > len(rows) // 6
    tried_seen = [_seen(s) for s in tried]
    monkeypatch.setattr(scoring, "_lean_outcome", lambda *args: None)
    _outcome.cache_clear()
    full = [score_indicator(r, scheme, year=2024) for r in rows]
    for row, mine, theirs in zip(rows, tried_seen, map(_seen, full), strict=True):
        assert mine == theirs, (row.target, row.actual, row.level3)
    _outcome.cache_clear()


def test_a_trial_window_keeps_a_pair_on_its_second_sighting() -> None:
    row = Indicator(row=1, level3="培训人数", target="≥135人", actual="120人", weight=Decimal(10))
    _trial()
    first = score_indicator(row)
    assert "_values" in first.__dict__  # the lane: nothing kept
    assert (len(_outcome._data), _outcome._window_hits) == (0, 0)
    second = score_indicator(row)
    assert "_values" not in second.__dict__  # the usual way, and kept
    assert (len(_outcome._data), _outcome._window_hits) == (1, 1)
    third = score_indicator(row)
    assert _outcome._window_hits == 2  # a hit
    assert first == second == third
    assert first.explanation == second.explanation == third.explanation
    _outcome.cache_clear()


def test_a_trial_window_keeps_a_pair_seen_again_under_other_names() -> None:
    """A national batch repeats pairs, each row with its own name: the pair's second
    sighting in a trial window is kept, and under its name-free key too."""
    rows = [
        Indicator(row=k, level3=f"指标{k}", target="≥135人", actual="120人", weight=Decimal(10))
        for k in range(4)
    ]
    _trial()
    scores = [score_indicator(r) for r in rows]
    assert ["_values" in s.__dict__ for s in scores] == [True, False, False, False]
    assert (len(_outcome._data), len(_outcome._unnamed)) == (1, 1)  # kept at the second
    assert _outcome._window_hits == 0  # every key new: no hit
    _outcome.cache_clear()
    cold = [score_indicator(r) for r in rows]
    assert [_seen(s) for s in scores] == [_seen(s) for s in cold]
    _outcome.cache_clear()


def test_a_lean_score_writes_its_values_once_and_pickles_whole() -> None:
    _paused()
    row = Indicator(row=1, level3="培训人数", target="≥135人", actual="120人", weight=Decimal(10))
    score = score_indicator(row)
    assert "_values" in score.__dict__
    assert "target" not in score.__dict__
    target = score.target
    assert target == Quantity("≥135人", Decimal(135), "人", Comparator.GE)
    assert score.target is target
    assert score.actual.magnitude == Decimal(120)
    assert "_values" not in score.__dict__
    again = score_indicator(row)
    copy = pickle.loads(pickle.dumps(again))
    assert copy == score
    assert copy.explanation == score.explanation
    assert "120人 未达到目标 ≥135人" in score.explanation
    assert score.computed == Decimal("8.89")


def test_a_pair_kept_without_names_is_taken_from_there_while_paused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Pairs repeat across units though each row has its own name: the name-free cache
    answers them while the cache pauses, as the usual way would; the lane is not run."""
    rows = [
        Indicator(row=k, level3=f"指标{k}", target="≥135人", actual="120人", weight=Decimal(10),
                  published=None if k % 2 else Decimal(8))
        for k in range(6)
    ]  # fmt: skip
    _outcome.cache_clear()
    cold = [score_indicator(r) for r in rows]  # the cache on: the pair is kept without names
    assert len(_outcome._unnamed) == 2  # with and without a published score
    _outcome._on, _outcome._left = False, 10**9
    monkeypatch.setattr(scoring, "_lean_outcome", lambda *args: pytest.fail("lane ran"))
    paused = [score_indicator(r) for r in rows]
    assert [_seen(s) for s in paused] == [_seen(s) for s in cold]
    assert _outcome._left == 10**9  # found, not computed: as in _miss, the pause is not counted
    _outcome.cache_clear()


def test_the_lane_counts_towards_the_caches_pause() -> None:
    _outcome.cache_clear()
    _outcome._on, _outcome._left = False, 3
    row = Indicator(row=1, level3="培训人数", target="≥135人", actual="120人", weight=Decimal(10))
    for _ in range(3):
        assert "_values" in score_indicator(row).__dict__
    assert _outcome._on  # the pause ended: the next rows try the cache again
    score_indicator(row)
    assert score_indicator(row) is not None
    assert _outcome.cache_info().hits >= 1
    _outcome.cache_clear()


def test_what_the_lane_takes_and_what_it_leaves_to_the_full_path() -> None:
    """Restated targets, reviews and zero goals are the full path's; the rest it takes."""
    for level3, target, actual, weight, lean in [
        ("培训人数", "≥100人", "≥100人", Decimal(5), False),  # restated: 完成值与目标一致
        ("培训人数", "为100人", "100人", Decimal(5), False),  # restated after an affix
        ("培训人数", "≥100人", "120人", Decimal(2000), False),  # the weight is out of range
        ("培训人数", "≥0人", "5人", Decimal(5), False),  # a zero goal (_compare's)
        ("培训人数", "≥100人", "约120人", Decimal(5), False),  # an approximation
        ("培训人数", "≥100人", "120人次", Decimal(5), False),  # two units
        ("培训人数", "≥100人", "0人", Decimal(5), True),
        ("培训人数", "100人", "90人", Decimal(5), True),  # the name's direction, as _quantities
        ("培训人数", "≥100人", "300人", Decimal(5), True),  # over the target: warned
        ("项目成本", "≤160万元", "150.3万元", Decimal(5), True),
    ]:
        _paused()
        row = Indicator(row=1, level3=level3, target=target, actual=actual, weight=weight)
        score = score_indicator(row)
        assert ("_values" in score.__dict__) is lean, (target, actual)
    _outcome.cache_clear()
