"""Every fast path of the parser gives exactly what the full parser gives (issue 21).

The fast paths are shortcuts: ``_simple_quantity`` (``≥95%``), ``simple_date``
(``2024年12月31日前``, ``第四季度``), ``_simple_qualitative`` (``按时完成``) and the
clause scan's early stop.  Wherever one answers, the answer must equal the full
recursive-descent parser's with the early stop off — the same value field for
field, or the same refusal — and it must decline whatever it cannot read the same
way.  Checked on every cell of every case table, on generated grids and on
Hypothesis texts.
"""

from __future__ import annotations

import calendar
import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import casetable
from perfscore.errors import TargetSyntaxError
from perfscore.parse._dates import _LABELS as _DATE_LABELS
from perfscore.parse._dates import _valid_day, simple_date
from perfscore.parse._digits import check_digits
from perfscore.parse._tokenizer import (
    BEFORE_WORDS,
    CHANGE_BASES,
    COMPARATOR_SUFFIXES,
    COMPARATOR_SYMBOLS,
    COMPARATOR_WORDS,
    DIRECTION_WORDS,
    DONE_WORDS,
    FLAT_WORDS,
    RELATIVE_YEARS,
    YEAR_END_WORDS,
    ZERO_PREFIXES,
    normalize,
)
from perfscore.parse.targets import (
    _STARTERS,
    MAX_TEXT_LENGTH,
    _parse,
    _parse_clauses,
    _simple_change,
    _simple_qualitative,
    parse_actual,
    parse_target,
)
from perfscore.parse.units import vocabulary
from perfscore.parse.values import Change, Deadline, Period, Qualitative, Value
from strategies import target_like_text

Reading = Value | str  # a value, or the refusal's message


def _full(text: str) -> Reading:
    """The full parser alone: digits checked, every clause scanned to its end."""
    if not text.strip():
        return _read(text)  # empty text: refused before any reading
    try:
        check_digits(normalize(text), text)
        return _parse_clauses(text, early_stop=False)
    except TargetSyntaxError as error:
        return f"error: {error}"


def _read(text: str) -> Reading:
    """What parse_target's reader (every fast path and the early stop) answers."""
    try:
        return _parse(text)
    except TargetSyntaxError as error:
        return f"error: {error}"


def _date(text: str) -> Deadline | Period | None:
    return simple_date(text, normalize(text))


def _change(text: str) -> Change | None:
    return _simple_change(text, normalize(text))


def _words(text: str) -> Qualitative | None:
    return _simple_qualitative(text, normalize(text))


def _table_texts() -> list[str]:
    """Every cell of every case table under tests/data (texts, expectations, all)."""
    texts: set[str] = set()
    for path in sorted(Path(casetable.DATA).glob("*.tsv")):
        for row in casetable.load(path.name):
            texts.update(row.values())
    return sorted(t for t in texts if t.strip() and len(t) <= MAX_TEXT_LENGTH)


TABLE_TEXTS = _table_texts()


def test_every_case_table_cell_reads_the_same() -> None:
    """Every cell of every case table reads the same through the fast paths as without them."""
    for text in TABLE_TEXTS:
        assert _read(text) == _full(text), text
    assert len(TABLE_TEXTS) > 1500


def test_each_fast_path_agrees_or_declines_on_the_case_tables() -> None:
    """Each fast path on its own agrees with the full parser wherever it answers."""
    dates = words = changes = 0
    for text in TABLE_TEXTS:
        change = _change(text)
        if change is not None:
            changes += 1
            assert change == _full(text), text
        date = _date(text)
        if date is not None:
            dates += 1
            assert date == _full(text), text
        qualitative = _words(text)
        if qualitative is not None:
            words += 1
            assert qualitative == _full(text), text
    assert dates >= 30
    assert words >= 100
    assert changes >= 20


# --- dates and periods: every shape × year × month × day × word after ---------------

YEARS = ["", "2024年", "2024年度", "1900年", "2199年", "1899年", "2200年", "０２４年",
         *RELATIVE_YEARS, "上一年", "当年"]  # fmt: skip
PARTS = [
    "", "1-6月", "6-1月", "1月-12月份", "10~12月", "1至3月", "1到3月", "1—3月", "12月", "06月",
    "6月份", "0月", "13月", "2月29日", "2月30日", "12月31日", "12月31号", "4月31日", "1月1日",
    "01月05日", "6月底", "6月末", "上半年", "下半年度末", "上半年底", "第四季度", "3季度",
    "一季度末", "二季度底", "第5季度", "Q2", "Q4末", "Q4底", "底", "末", "中", "上旬", "12-19日",
]  # fmt: skip
AFTER = ["", *BEFORE_WORDS, *DONE_WORDS, "前全部完成", "之前完成", "左右", "内", " ", "以内"]


@pytest.mark.parametrize("label", ["", "已于", "于"])
def test_date_grid_agrees(label: str) -> None:
    """Every year × shape × word after: the date fast path agrees with the full parser."""
    answered = 0
    afters = AFTER if not label else ["", "前", "完成", "前完成", "左右", " "]
    for year, part, after in itertools.product(YEARS, PARTS, afters):
        text = f"{label}{year}{part}{after}"
        if not text.strip():
            continue
        date = _date(text)
        if date is not None:
            answered += 1
            assert date == _full(text), text
        assert _read(text) == _full(text), text
    assert answered > (2000 if not label else 500)


@pytest.mark.parametrize("separator", [".", "-", "/", "．", "－", "／"])
def test_year_month_day_grid_agrees(separator: str) -> None:
    """2024.12.31, 2024-2-30日前, 1899/1/1: every separator, day and word after."""
    for year, month, day, after in itertools.product(
        ["1899", "1900", "2023", "2024", "2199", "2200"],
        ["0", "1", "2", "02", "12", "13"],
        ["0", "1", "28", "29", "30", "31", "32", "05"],
        ["", "日", "号", "前", "日前", "止", "前完成", "日 前"],
    ):
        text = f"{year}{separator}{month}{separator}{day}{after}"
        date = _date(text)
        if date is not None:
            assert date == _full(text), text
        assert _read(text) == _full(text), text


@pytest.mark.parametrize(
    "text",
    [
        "2024年12月31日前", "2024年底前", "12月底前完成", "第四季度", "2024年6月", "2024.12.31",
        "次年6月底前", "2024年1-6月", "上半年", "年内完成", "年底前", "2024-12-31", "Q3",
        "2024年第三季度末", "2024年前", "明年", "　２０２４年１２月３１日前　",
        "已于2024年12月31日前完成", "于2024年6月完成", "已于年底前完成",
    ],
)  # fmt: skip
def test_common_dates_take_the_fast_path(text: str) -> None:
    """The common shapes are read by the fast path, as the full parser reads them."""
    date = _date(text)
    assert date is not None
    assert date == _full(text)


@pytest.mark.parametrize(
    "text",
    [
        "2024年2月30日",  # impossible date: the full parser says why
        "2200年",  # year out of range
        "2024年13月",
        "6-1月",
        "2024年 6月",  # spaces inside
        "2024年6月中",  # mid-month: a warning the full parser adds
        "二〇二四年六月",  # Chinese numerals
        "24年6月",  # two-digit year
        "2024年10月-2025年3月",  # a period across years
        "2024年6月10-19日",
        "当年度",  # read as 当年 + 度 by the full parser
        "≤2024年12月31日",  # a comparator
        "6个月内",  # a duration: a quantity
        "前",
        "完成",
        "已于",
        "在2024年6月",  # 在 may start a range: the full parser decides
        "已于 2024年6月",
    ],
)
def test_other_dates_go_to_the_full_parser(text: str) -> None:
    """Errors, rarer shapes, spaces and numerals in words go to the full parser."""
    assert _date(text) is None


def test_date_labels_hold_no_starting_character() -> None:
    """No character of a fast-path label is one the full parser starts a value at."""
    assert not set("".join(_DATE_LABELS)) & _STARTERS


_DATE_PIECES = sorted(
    {
        *_DATE_LABELS, "已", "在",
        *YEAR_END_WORDS, *RELATIVE_YEARS, *BEFORE_WORDS, *DONE_WORDS,
        *"年月日号底末度份第季上下半中旬至到-~—./Q前内 ",
        "2024", "1899", "1", "2", "3", "4", "6", "10", "12", "13", "29", "30", "31", "06",
        "一", "二", "三", "四", "十二", "季度",
    }
)  # fmt: skip


@given(st.lists(st.sampled_from(_DATE_PIECES), min_size=1, max_size=7).map("".join))
@settings(max_examples=500)
def test_generated_date_texts_agree(text: str) -> None:
    """Texts built from the date vocabulary: the fast path agrees or declines."""
    date = _date(text)
    if date is not None:
        assert date == _full(text)
    assert _read(text) == _full(text)


# --- changes: every basis × direction × comparator × number × unit × suffix --------------


@pytest.mark.parametrize("direction", [*DIRECTION_WORDS, "有所增长"])
def test_change_grid_agrees(direction: str) -> None:
    """同比增长不低于8%以上 and every neighbour: the change fast path agrees or declines."""
    answered = 0
    for basis, comparator, number, unit, suffix in itertools.product(
        ["", " ", *CHANGE_BASES],
        ["", "≥", "<", "不超过", "不低于", "达到", "到", "至", "±"],
        ["8", "-2", "1,000", "0.5", "1,0000"],
        ["", "%", "个百分点", "万元", "万", "人", "年"],
        ["", "以上", "以内", "左右"],
    ):
        text = f"{basis}{direction}{comparator}{number}{unit}{suffix}"
        change = _change(text)
        if change is not None:
            answered += 1
            assert change == _full(text), text
    assert answered > 500 or direction == "有所增长"


@pytest.mark.parametrize(
    "text",
    [
        "同比增长8%",
        "较上年下降3个百分点",
        "增长不超过5%",
        "环比提高 2.5 %",
        "降低≤10%",
        "增幅5%以上",
    ],
)
def test_common_changes_take_the_fast_path(text: str) -> None:
    """The common change shapes are read by the fast path, as the full parser reads them."""
    change = _change(text)
    assert change is not None
    assert change == _full(text)


@pytest.mark.parametrize(
    "text",
    ["增长到90%", "下降至5%", "提高到95%", "增长-2%", "同比持平", "不低于上年", "同比增长",
     "同比增长8%左右", "约增长8%", "同比增长8%，下降2%"],
)  # fmt: skip
def test_other_changes_go_to_the_full_parser(text: str) -> None:
    """A comparator word at the start, a flat word, a minus sign or more words: the full parser."""
    assert _change(text) is None
    assert _read(text) == _full(text)


@given(
    st.sampled_from(["", " ", *CHANGE_BASES, "约", "不", "与上年"]),
    st.sampled_from([*DIRECTION_WORDS, *COMPARATOR_WORDS, "持平", ""]),
    st.sampled_from(["", " ", *COMPARATOR_SYMBOLS, *COMPARATOR_WORDS, "±", "到"]),
    st.from_regex(r"-?[0-9]{1,6}(\.[0-9]{1,2})?|[0-9]{1,3}(,[0-9]{3})?", fullmatch=True),
    st.sampled_from(["", " ", *vocabulary().multipliers, *list(vocabulary().units)[:40]]),
    st.sampled_from(["", *COMPARATOR_SUFFIXES, "左右", "完成", "年", "，"]),
)
def test_generated_changes_agree(
    basis: str, direction: str, comparator: str, number: str, unit: str, suffix: str
) -> None:
    """Basis, direction (or not), comparator, number, unit, suffix: agree or decline."""
    text = f"{basis}{direction}{comparator}{number}{unit}{suffix}"
    change = _change(text)
    if change is not None:
        assert change == _full(text)
    assert _read(text) == _full(text)


# --- qualitative words ----------------------------------------------------------------

_WORD_PIECES = sorted(
    {
        *"按时完成有效提升明显改善逐步提高达到预期基本全面符合要求群众满意运行良好服务质量",
        *"在约近超同比增长下降较与以上内，；,、（）()·/ 元人",
        *FLAT_WORDS, *YEAR_END_WORDS, *RELATIVE_YEARS, *ZERO_PREFIXES, *COMPARATOR_WORDS,
        *COMPARATOR_SYMBOLS, *COMPARATOR_SUFFIXES,
        "上半年", "无法", "一般", "参与", "百分百", "正负", "±", "+", "5", "٣", "Q", "第",
    }
)  # fmt: skip


@given(st.lists(st.sampled_from(_WORD_PIECES), min_size=1, max_size=6).map("".join))
@settings(max_examples=500)
def test_generated_word_texts_agree(text: str) -> None:
    """Words, value words, symbols and separators mixed: the qualitative path agrees or declines."""
    if not text.strip():
        return
    words = _words(text)
    if words is not None:
        assert words == _full(text)
    assert _read(text) == _full(text)


@given(st.text(min_size=1, max_size=12))
def test_any_text_reads_the_same(text: str) -> None:
    """Any text at all: parse_target's reader equals the full parser's reading."""
    if text.strip():
        assert _read(text) == _full(text)


@pytest.mark.parametrize(
    "text",
    ["按时完成", "服务质量有效提升", "达到预期", "群众满意，运行良好", "提升；", "不超出预算"],
)
def test_plain_words_take_the_fast_path(text: str) -> None:
    """Words without any value take the qualitative fast path, with the full parser's text."""
    words = _words(text)
    assert words is not None
    assert words == _full(text)


@pytest.mark.parametrize(
    "text",
    ["持平", "年底", "次年", "上半年", "零事故", "无安全事故", "≥", "±", "一般债券", "参与", "第"],
)
def test_value_words_go_to_the_full_parser(text: str) -> None:
    """A value word, a symbol or a numeral sends the text to the full parser."""
    assert _words(text) is None


def test_parse_actual_classifies_fast_qualitative_text() -> None:
    """The qualitative fast path still gets the actual's outcome from its words."""
    assert parse_actual("已按时完成").outcome is not None
    assert parse_actual("已按时完成") == parse_actual("已按时完成")


# --- the early stop ---------------------------------------------------------------------

LATER = casetable.load("later_position.tsv")


@pytest.mark.parametrize("case", LATER, ids=[c["text"] for c in LATER])
def test_later_position_cases(case: dict[str, str]) -> None:
    """Text after a value is kept (trailing, a warning) or refused, never dropped."""
    text = case["text"]
    assert _read(text) == _full(text)  # the early stop and the full scan agree
    if case["expected"] == "error":
        with pytest.raises(TargetSyntaxError):
            parse_target(text)
        return
    value = parse_target(text)
    assert f"{value.kind}: {value.describe()}" == case["expected"]
    assert getattr(value, "trailing", "") == case["trailing"]
    if case["trailing"]:
        assert value.warnings  # never a clean value


@given(target_like_text())
def test_early_stop_agrees_on_generated_targets(text: str) -> None:
    """On texts built from the grammar's words, the early stop changes nothing."""
    if not text.strip():
        return
    try:
        early: Reading = _parse_clauses(text, early_stop=True)
    except TargetSyntaxError as error:
        early = f"error: {error}"
    try:
        full: Reading = _parse_clauses(text, early_stop=False)
    except TargetSyntaxError as error:
        full = f"error: {error}"
    assert early == full


_TAILS = sorted(
    {
        "", "（含外聘）", "另有说明", "≥", "±", "+", "2月30日", "上年结转", "或20场", "以上",
        "一般", "十三五", "约", "第", "Q", "-", "负", "百分之", "5", "，≥", "年底", "上半年",
    }
)  # fmt: skip


@given(
    st.sampled_from(["", "培训", "全市", "近三年", "不少于", "≥", "约"]),
    st.sampled_from(["100人", "95%", "3万元", "2024年12月31日前", "十人", "持平", "年底前"]),
    st.lists(st.sampled_from(_TAILS), max_size=3).map("".join),
)
def test_early_stop_agrees_on_values_with_tails(label: str, value: str, tail: str) -> None:
    """A label, a value and any tail (words, symbols, numbers, dates): the same either way."""
    text = f"{label}{value}{tail}"
    assert _read(text) == _full(text)


def test_early_stop_agrees_with_every_unit_tail() -> None:
    """A value followed by each unit spelling and a word: the early stop changes nothing."""
    for unit in vocabulary().units:
        for text in (f"100人{unit}说明", f"≥95%（{unit}）", f"100{unit}以上，≥"):
            assert _read(text) == _full(text), text


def test_valid_day_is_the_calendar() -> None:
    """The date fast path's day check accepts exactly the days the calendar has."""
    for year in (None, 1899, 1900, 2000, 2023, 2024, 2100, 2199, 2200):
        for month in range(14):
            for day in range(33):
                in_range = year is None or 1900 <= year <= 2199
                expected = (
                    in_range
                    and 1 <= month <= 12
                    and 1 <= day <= calendar.monthrange(year or 2024, month)[1]
                )
                assert _valid_day(year, month, day) == expected, (year, month, day)
