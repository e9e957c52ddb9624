"""The fast path for ``[comparator] number [unit]`` texts must read exactly as the full parser.

``targets._simple_quantity`` is only a shortcut: wherever it answers, the
answer must equal the full recursive-descent parser's, field for field, and it
must decline (None) whatever it cannot read the same way.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

import casetable
from perfscore.errors import TargetSyntaxError
from perfscore.parse._tokenizer import COMPARATOR_SUFFIXES, COMPARATOR_SYMBOLS, COMPARATOR_WORDS
from perfscore.parse.targets import _parse, _parse_clauses, _simple_quantity
from perfscore.parse.units import vocabulary
from strategies import target_like_text

NUMBERS = ["0", "8", "12", "95", "100", "2024", "1,000", "12,345.5", "37.5", ".5", "-3", "100."]


def _agrees(text: str) -> bool:
    """Check one text: fast answer equals the full parser's; return whether fast answered."""
    fast = _simple_quantity(text)
    if fast is None:
        return False
    assert _parse_clauses(text) == fast, text
    return True


def test_every_unit_spelling_agrees() -> None:
    """Every unit spelling of units.txt, alone and after each multiplier, reads the same."""
    vocab = vocabulary()
    answered = 0
    for unit, number in itertools.product(vocab.units, NUMBERS):
        for multiplier in ("", *vocab.multipliers):
            answered += _agrees(f"{number}{multiplier}{unit}")
            answered += _agrees(f"≥ {number} {multiplier} {unit}")
    # Most of these are the plain shape; dates (年, 月) and mixed numerals are not.
    assert answered > len(vocab.units) * len(NUMBERS)


@pytest.mark.parametrize("word", [*COMPARATOR_SYMBOLS, *COMPARATOR_WORDS])
def test_every_comparator_word_agrees(word: str) -> None:
    """Each comparator word and symbol, before plain, percent and 万元 numbers, reads the same."""
    for number, unit in itertools.product(NUMBERS, ["", "%", "人次", "万元", "万", "个月"]):
        assert _agrees(f"{word}{number}{unit}")


@pytest.mark.parametrize("suffix", list(COMPARATOR_SUFFIXES))
def test_every_comparator_suffix_agrees(suffix: str) -> None:
    """Each suffix (以上, 以内, …) after a number and unit reads the same, prefixed or not."""
    for number, unit, prefix in itertools.product(
        NUMBERS, ["", "%", "个工作日", "万元"], ["", "≤"]
    ):
        _agrees(f"{prefix}{number}{unit}{suffix}")
    assert _agrees(f"90%{suffix}")


@pytest.mark.parametrize(
    "text",
    [
        "2024年",  # a year, not 2024 years
        "3月",  # a month
        "≥8月",  # a duration after a comparator: the full parser decides
        "1季度",
        "5角",  # money
        "100余人",  # approximation
        "100±2吨",
        "3万2千人",  # mixed numeral
        "5千万元",
        "≥95%左右",
        "95%，100人",  # two clauses
        "1,0000人",  # a comma that separates clauses
        "≥",
        "约100人",
        "12345678901234567890123人",  # too many digits: the full parser explains
    ],
)
def test_other_shapes_go_to_the_full_parser(text: str) -> None:
    """Dates, money, approximations, mixed numerals and broken text go to the full parser."""
    assert _simple_quantity(text) is None


def test_full_width_and_spaces_fold_first() -> None:
    """Full-width digits, symbols and spaces fold before the fast path reads them."""
    fast = _simple_quantity("　≥９５％　")
    assert fast is not None
    assert fast == _parse_clauses("　≥９５％　")
    assert fast.text == "≥９５％"


@given(target_like_text())
def test_generated_texts_agree(text: str) -> None:
    """On texts built from the grammar's own words the fast path agrees or declines."""
    if _simple_quantity(text) is None:
        return
    assert _parse_clauses(text) == _simple_quantity(text)


@given(
    st.sampled_from(["", *COMPARATOR_SYMBOLS, *COMPARATOR_WORDS]),
    st.from_regex(r"-?[0-9]{1,7}(\.[0-9]{1,3})?", fullmatch=True),
    st.sampled_from(["", " ", *vocabulary().multipliers]),
    st.sampled_from(["", " ", *vocabulary().units]),
    st.sampled_from(["", *COMPARATOR_SUFFIXES, "左右", "以", "完成"]),
)
def test_generated_simple_shapes_agree(
    comparator: str, number: str, multiplier: str, unit: str, suffix: str
) -> None:
    """Every comparator × number × multiplier × unit × suffix combination agrees or declines."""
    text = f"{comparator}{number}{multiplier}{unit}{suffix}"
    fast = _simple_quantity(text)
    if fast is None:
        return
    try:
        full = _parse_clauses(text)
    except TargetSyntaxError:  # pragma: no cover - a failure report, not a path
        pytest.fail(f"fast path read {text!r}, the full parser refuses it")
    assert full == fast


def test_parse_uses_the_fast_path_result() -> None:
    """_parse answers from the fast path when it applies, and from the full parser otherwise."""
    assert _parse("≥95%") == _parse_clauses("≥95%")
    assert _parse("2024年12月31日前") == _parse_clauses("2024年12月31日前")


_table = casetable.load


SIMPLE = _table("simple_path.tsv")


@pytest.mark.parametrize("case", SIMPLE, ids=[c["text"] for c in SIMPLE])
def test_simple_path_cases(case: dict[str, str]) -> None:
    """Each row of simple_path.tsv is read, or declined, by the fast path as the table says."""
    fast = _simple_quantity(case["text"])
    if case["fast"] == "no":
        assert fast is None
        return
    assert fast is not None
    assert fast == _parse_clauses(case["text"])
    assert fast.describe() == case["reads"]


def test_every_case_table_text_agrees() -> None:
    """Every target and actual in the suite's case tables reads the same on both paths."""
    texts = {c["text"] for name in ("targets.tsv", "actuals.tsv") for c in _table(name)}
    texts |= {c["text"] for c in _table("reading.tsv")}
    texts |= {c[k] for c in _table("judging.tsv") for k in ("target", "actual")}
    texts |= {c[k] for c in _table("scoring.tsv") for k in ("target", "actual")}
    texts |= {c[k] for c in _table("seed002_indicators.tsv") for k in ("target", "actual")}
    answered = 0
    for text in sorted(t for t in texts if t.strip()):
        fast = _simple_quantity(text)
        if fast is not None:
            answered += 1
            assert _parse_clauses(text) == fast, text
    assert answered >= 100


_BROAD_PIECES = sorted(
    {
        *COMPARATOR_SYMBOLS,
        *COMPARATOR_WORDS,
        *COMPARATOR_SUFFIXES,
        *vocabulary().units,
        *vocabulary().multipliers,
        *"年月日号前底余多来±+*，,;；．０９％＞＝٣²⑤一十百千零无以及()（）-—~.eQ",
        *(" ", "　", "\t", "季度", "完成", "已完成", "左右", "约", "近", "误差", "同比"),
        *("增长", "未发生", "在", "之间", "与", "培训人数"),
    }
)


@given(
    st.lists(
        st.one_of(
            st.sampled_from(_BROAD_PIECES),
            st.sampled_from(["0", "1", "12", "95", "2024", "1,000", "12,3456", "3.5", ".5", "5."]),
        ),
        min_size=1,
        max_size=6,
    ).map("".join)
)
def test_broad_generated_texts_agree(text: str) -> None:
    """Vocabulary, digits of other scripts, full-width forms and spaces mixed: agree or decline."""
    fast = _simple_quantity(text)
    if fast is not None:
        assert _parse_clauses(text) == fast
