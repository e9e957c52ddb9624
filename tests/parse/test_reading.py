"""The reading case table (tests/data/reading.tsv) and the reading invariants as properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import casetable
from perfscore import TargetSyntaxError, parse_actual, parse_target
from perfscore.parse._numerals import parse_chinese_number
from perfscore.parse.values import Qualitative, Value

ROWS = casetable.load_rows("reading.tsv")


@pytest.mark.parametrize(("text", "expected", "flags"), ROWS, ids=[r[0] for r in ROWS])
def test_reading_case(text: str, expected: str, flags: str) -> None:
    """Each text reads to its kind and normalised form, with the flags the table names."""
    if expected == "error":
        with pytest.raises(TargetSyntaxError):
            parse_actual(text)
        return
    value = parse_actual(text)
    assert f"{value.kind}: {value.describe()}" == expected
    if "warn" in flags:
        assert value.warnings
    if "approx" in flags:
        assert getattr(value, "approximation", None) is not None


def test_reading_table_is_broad() -> None:
    """The table keeps at least 300 cases across the classes of the grammar."""
    assert len(ROWS) >= 300
    kinds = {row[1].split(":")[0] for row in ROWS}
    assert kinds >= {"quantity", "range", "tolerance", "change", "deadline", "period", "error"}


# --- Chinese numerals: any integer, written in several styles, reads back exactly ----------

_STANDARD = "零一二三四五六七八九"
_FINANCIAL = "零壹贰叁肆伍陆柒捌玖"
_TRADITIONAL_FINANCIAL = "零壹貳參肆伍陸柒捌玖"


def _section(n: int, digits: str, small: str) -> str:
    """0 < n < 10000 in Chinese digits with 千百十 and one 零 for each gap."""
    out, gap = "", False
    for place, unit in ((1000, small[2]), (100, small[1]), (10, small[0]), (1, "")):
        d = n // place % 10
        if d == 0:
            gap = bool(out)
            continue
        if gap:
            out += digits[0]
            gap = False
        out += digits[d] + unit
    return out


def _chinese(n: int, digits: str, small: str, wan: str, yi: str, *, arabic: bool = False) -> str:
    """Write 0 ≤ n < 10¹⁶ as a standard Chinese numeral (or with Arabic sections)."""
    if n == 0:
        return "0" if arabic else digits[0]

    def below(m: int, unit: int, word: str, threshold: int) -> str:
        high, low = divmod(m, unit)
        head = part(high) + word if high else ""
        if not low:
            return head
        zero = digits[0] if head and low < threshold else ""
        return head + zero + part(low)

    def part(m: int) -> str:
        if m >= 10**8:
            return below(m, 10**8, yi, 10**7)
        if m >= 10**4:
            return below(m, 10**4, wan, 1000)
        return str(m) if arabic else _section(m, digits, small)

    return part(n)


STYLES = {
    "standard": lambda n: _chinese(n, _STANDARD, "十百千", "万", "亿"),
    "traditional": lambda n: _chinese(n, _STANDARD, "十百千", "萬", "億"),
    "financial": lambda n: _chinese(n, _FINANCIAL, "拾佰仟", "万", "亿"),
    "traditional financial": lambda n: _chinese(n, _TRADITIONAL_FINANCIAL, "拾佰仟", "萬", "億"),
    "mixed": lambda n: _chinese(n, _STANDARD, "十百千", "万", "亿", arabic=True),
}


@pytest.mark.parametrize("style", sorted(STYLES))
@given(number=st.integers(min_value=0, max_value=10**16 - 1))
def test_chinese_numerals_read_back(style: str, number: int) -> None:
    """Every integer below 10¹⁶ written in each style parses back to itself."""
    text = STYLES[style](number)
    if text.isdigit():
        assert int(text) == number
        return
    assert parse_chinese_number(text.translate(str.maketrans("萬億貳參陸", "万亿贰参陆"))) == number
    assert parse_actual(text).describe() == str(number)


@given(
    head=st.integers(min_value=1, max_value=9),
    tail=st.integers(min_value=1, max_value=9),
    unit=st.sampled_from([("百", 100), ("千", 1000), ("万", 10**4), ("亿", 10**8)]),
)
def test_elided_numerals_read_back(head: int, tail: int, unit: tuple[str, int]) -> None:
    """三万五, 两千六, 一百二: the digit after the last unit is one place below it."""
    word, value = unit
    text = _STANDARD[head] + word + _STANDARD[tail]
    assert parse_chinese_number(text) == head * value + tail * value // 10


# --- unread text is never silent -----------------------------------------------------------

# Characters in no vocabulary of perfscore's: appended, they are words it cannot read.
_NOISE = "猫狗桌椅蓝绿山川雨雪云松鹤琴棋书画"
BASES = [
    "≥135人", "≤160万元", "≥95%", "30-40万元", "±5%", "同比增长8%", "2023年12月31日前",
    "年底前", "≥2万人次", "100%", "不少于10人", "3个", "零事故", "上半年", "约500人",
]  # fmt: skip


def _silent(before: Value, after: Value) -> bool:
    """Whether ``after`` reads the same as ``before`` and says nothing more."""
    if isinstance(after, Qualitative):
        return False  # the whole text is kept for a person to judge
    a, b = before.to_dict(), after.to_dict()
    a.pop("text"), b.pop("text")
    return a == b


@given(
    base=st.sampled_from(BASES),
    noise=st.text(alphabet=_NOISE, min_size=1, max_size=4),
    parse=st.sampled_from([parse_target, parse_actual]),
)
def test_appended_unread_text_is_never_silent(base: str, noise: str, parse: object) -> None:
    """Appending words perfscore cannot read changes the result or adds a warning."""
    assert callable(parse)
    before = parse(base)
    try:
        after = parse(base + noise)
    except TargetSyntaxError:
        return
    assert not _silent(before, after), (base + noise, after)
