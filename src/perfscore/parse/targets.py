"""Parse target (指标值) and actual (实际完成值) texts into :mod:`perfscore.parse.values`.

A small recursive-descent parser over the context-driven tokenizer in
:mod:`perfscore.parse._tokenizer`.  Each parsing function carries its grammar rule as
its docstring.  The whole grammar::

    value    = clause (SEP clause)* END
    clause   = zero | label? body trailing?      -- label: words before the value
    zero     = ZERO thing                        -- 零事故, 无安全事故, 未发生
    body     = flat | comparator? approx? (date | change | tolerance | span)
    span     = rough
             | RANGE_PREFIX? measure (RANGE_SEPARATOR measure RANGE_SUFFIX?)?
             | comparator measure AND? comparator measure   -- 大于等于100小于等于300
    rough    = ROUGH (CHENG_UNIT | UNIT | MULTIPLIER UNIT?)? APPROX_SUFFIX?  -- 三四十万元
    measure  = amount (PLUS_MINUS amount)? APPROX_INFIX? (UNIT | MULTIPLIER UNIT?)?
               RATE? UNIT_ECHO? APPROX_SUFFIX? CMP_SUFFIX? UNKNOWN_UNIT?
    amount   = CHENG | PERCENT_WORDS | MONEY | SEVERAL | MIXED_NUMBER
             | NUMBER ('*' NUMBER)* | CN_NUMBER
    change   = CHANGE_BASIS? (FLAT | DIRECTION comparator? measure)
    tolerance= PLUS_MINUS measure                -- ±5%; a ≤ value after 误差/偏差 too
    date     = YMD BEFORE?
             | (YEAR | TWO_DIGIT_YEAR | REL_YEAR) year_part? BEFORE?
             | YEAR_END BEFORE? | HALF BEFORE? | QUARTER BEFORE?
             | MONTH_RANGE | MONTH day_part? (MONTH_TO MONTH)? BEFORE?
    year_part= MONTH_RANGE | MONTH day_part? (MONTH_TO (YEAR)? MONTH)? | HALF | QUARTER
             | MONTH_END
    day_part = DAY | DAY_RANGE | XUN | MONTH_END | MONTH_MID

Amounts, units and 概数 are read in :mod:`perfscore.parse._amounts`, dates in
:mod:`perfscore.parse._dates`; before any of it, :mod:`perfscore.parse._digits`
refuses separators and digits that could be read as another number.

A clause without a value is qualitative; a value buried inside prose (words
both before and after it) is qualitative too.  Unread text after a value is
kept in ``trailing`` with a warning, an unknown unit in ``unit_text`` with a
warning: nothing read is ever dropped silently.  Text that cannot be read at
all (a comparator symbol with nothing to compare, an impossible date, a
numeral that is not one) raises :class:`~perfscore.errors.TargetSyntaxError`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs

from .._cache import text_cache
from ..errors import TargetSyntaxError
from ._amounts import (
    read_amount,
    read_echo,
    read_rate,
    read_rough,
    read_unit,
    without_separators,
)
from ._dates import read_date, simple_date
from ._digits import check_digits
from ._numerals import MAX_DIGITS
from ._tokenizer import (
    APPROX_INFIXES,
    APPROX_PREFIXES,
    APPROX_SUFFIXES,
    BEFORE_WORDS,
    CHANGE_BASES,
    CN_NUMERAL_CHARS,
    COMPARATOR_SUFFIXES,
    COMPARATOR_SYMBOLS,
    COMPARATOR_WORDS,
    DIRECTION_WORDS,
    DONE_WORDS,
    FLAT_WORDS,
    RANGE_SUFFIXES,
    RELATIVE_YEARS,
    TOLERANCE_LABELS,
    YEAR_END_WORDS,
    ZERO_PREFIXES,
    Tokenizer,
    _alternation,
    normalize,
    simple_quantity_pattern,
)
from ._tokenizer import (
    RANGE_PREFIXES as _RANGE_PREFIXES,
)
from .units import split_multiplier, vocabulary
from .values import (
    Approximation,
    Change,
    Comparator,
    Compound,
    Direction,
    Outcome,
    Qualitative,
    Quantity,
    Range,
    Simple,
    Tolerance,
    Value,
)
from .vocabulary import APPROXIMATION_WORDS, Phrases, default_phrases

__all__ = ["MAX_TEXT_LENGTH", "parse_actual", "parse_target"]

# Longer texts are refused rather than parsed: no real target or actual is
# this long, and a bound keeps every parse fast whatever a cell holds.
MAX_TEXT_LENGTH = 2000

# A comma is a clause break unless it stands between digits: check_digits has
# made sure that such a comma is a thousands separator (63，450元), or refused it.
_CLAUSE_SEPARATOR = re.compile(r"；|(?<![0-9])[，,]|[，,](?![0-9])")
_STARTERS = frozenset(
    "-+±0123456789.百千万Q"
    + CN_NUMERAL_CHARS
    + "".join(
        w[0]
        for w in (
            *COMPARATOR_SYMBOLS,
            *COMPARATOR_WORDS,
            *YEAR_END_WORDS,
            *APPROX_PREFIXES,
            *CHANGE_BASES,
            *DIRECTION_WORDS,
            *FLAT_WORDS,
            *_RANGE_PREFIXES,
            *RELATIVE_YEARS,
            "上半年",
            "下半年",
            "第",
            "几",
            "数",
            "廿",
            "卅",
            "负",
        )
    )
)
# Characters without which no rule reads a value or refuses a text (see _clause and
# _simple_qualitative): digits of any script, Chinese numerals (○ of a year too), and the
# comparator and ± symbols, since a symbol with nothing after it is an error.
_NUMBER_OR_SYMBOL = (
    r"\d"
    + re.escape(CN_NUMERAL_CHARS + "○" + "".join(sorted(set("".join(COMPARATOR_SYMBOLS)))))
    + re.escape("±+正负几数第Q.-")
)
_MIGHT_RAISE = re.compile(f"[{_NUMBER_OR_SYMBOL}]")
# ...plus the words that are a value without any number: 持平, 年底, 次年, 上半年, 零事故.
# A separate pattern: a pure alternation of words is searched far faster than one
# that also holds a character class.
_VALUE_WORDS = re.compile(
    "|".join(
        re.escape(w)
        for w in sorted(
            {*FLAT_WORDS, *YEAR_END_WORDS, *RELATIVE_YEARS, *ZERO_PREFIXES, "上半年", "下半年"},
            key=len,
            reverse=True,
        )
    )
)
_NUMERAL_RUN = frozenset("0123456789." + CN_NUMERAL_CHARS)
_INSIDE_NUMERAL = frozenset(a + b for a in _NUMERAL_RUN for b in _NUMERAL_RUN if b != ".")
_UNKNOWN_UNIT = re.compile(r"[^\W\d_A-Za-z]{1,4}")
_DIGIT = re.compile(r"\d|[零〇一二两三四五六七八九十百千万亿]")
# Words that follow a number without being its unit.
_NOT_UNITS = (
    *RANGE_SUFFIXES,
    *COMPARATOR_SUFFIXES,
    *APPROX_SUFFIXES,
    *DONE_WORDS,
    *BEFORE_WORDS,
    "之间",
    "以",
    "及",
    "或",
)


@text_cache(maxsize=8192)
def parse_target(text: str) -> Value:
    """Parse a target text such as ``≥135人``, ``2023年12月31日前`` or ``提升``.

    Raises :class:`~perfscore.errors.TargetSyntaxError` for text that cannot be
    read at all, including empty text and text over :data:`MAX_TEXT_LENGTH`.
    """
    return _parse(text)


def parse_actual(text: str, phrases: Phrases | None = None) -> Value:
    """Parse an actual-value text: the target grammar plus completion phrases.

    ``已完成`` and ``全部达到预期指标`` give a :class:`~perfscore.parse.values.Qualitative`
    with :attr:`~perfscore.parse.values.Qualitative.outcome` set; ``已于2024年12月31日前完成``
    a :class:`~perfscore.parse.values.Deadline`.  ``phrases`` are the scheme's outcome
    words (:attr:`perfscore.Scheme.phrases`); the default lists when omitted.
    """
    value = _parse_actual_text(text)
    if isinstance(value, Qualitative):
        outcome = (phrases or default_phrases()).classify(normalize(value.text))
        return Qualitative(value.text, outcome=outcome, warnings=value.warnings)
    return value


@text_cache(maxsize=8192)
def _parse_actual_text(text: str) -> Value:
    return _parse(text)


def find_outcome(text: str, phrases: Phrases | None = None) -> Outcome | None:
    """Return the judgement ``text`` expresses under ``phrases`` (default lists), if one."""
    return (phrases or default_phrases()).classify(normalize(text))


def _parse(text: str) -> Value:
    """value = clause (SEP clause)* END"""
    if not text.strip():
        raise TargetSyntaxError(
            "空的指标值 (empty value)", source=text, span=(0, max(len(text), 1))
        )
    if len(text) > MAX_TEXT_LENGTH:
        raise TargetSyntaxError(
            f"文字过长（{len(text)} 字，上限 {MAX_TEXT_LENGTH}）(text longer than"
            f" {MAX_TEXT_LENGTH} characters): 请只填写指标值",
            source=text[:40],
            span=(0, 1),
        )
    folded = normalize(text)
    for fast_path in _FAST_PATHS:
        value = fast_path(text, folded)
        if value is not None:
            # The fast paths read only ASCII digits grouped by three: nothing to check.
            return value
    check_digits(folded, text)
    return _parse_clauses(text)


# 同比增长, 较上年下降, 提高: a change's words, each atomic (longest word first, as the
# tokenizer commits to it).
_CHANGE_HEAD = re.compile(
    r"\s*+"
    rf"(?>(?P<basis>{_alternation(CHANGE_BASES)}))?+"
    r"\s*+"
    rf"(?>(?P<direction>{_alternation(DIRECTION_WORDS)}))"
)


def _simple_change(text: str, folded: str) -> Change | None:
    """The fast path for ``[basis] direction [comparator] number [unit] [suffix]``.

    ``同比增长8%``, ``较上年下降3个百分点``, ``增长不超过5%``: the words of a change
    and then a text the quantity fast path reads, which is exactly the measure the
    full parser's ``_change`` reads there.  A text that starts with a comparator
    word (``增长到90%``) or a flat word is the full parser's, as is a negative
    number (refused) and anything ``_simple_quantity`` declines.
    """
    head = _CHANGE_HEAD.match(folded)
    if head is None:
        return None
    tokenizer = Tokenizer(text, folded=folded)
    if tokenizer.check("FLAT") or tokenizer.check("CMP_WORD"):
        return None  # read before any change at the start: the full parser's
    end = head.end()
    measure = _simple_quantity(text[end:], folded[end:])
    if measure is None or measure.magnitude < 0:
        return None
    basis, direction = head.group("basis", "direction")
    return Change(
        text.strip(),
        DIRECTION_WORDS[direction],
        measure.magnitude,
        measure.unit,
        measure.comparator,
        basis or "",
    )


def _simple_qualitative(text: str, folded: str) -> Qualitative | None:
    """The fast path for words without a value: ``按时完成``, ``服务质量有效提升``.

    A value starts with a number, a date or a comparator and needs digits or
    Chinese numerals, except the few words that are values by themselves (持平,
    年底, 次年, 上半年, 零事故…); an error needs a number or a symbol too.  A text
    with none of them (``_MIGHT_RAISE``, ``_VALUE_WORDS``) is qualitative clause
    by clause, so it is what the full parser returns for it without trying every
    rule at every position; anything else returns None.  Tests compare the two
    on the case tables and Hypothesis texts.
    """
    if _MIGHT_RAISE.search(folded) is not None or _VALUE_WORDS.search(folded) is not None:
        return None
    if "；" not in folded and "，" not in folded and "," not in folded:
        return Qualitative(text.strip())  # one clause, the whole text
    spans = _clause_spans(text, folded)
    if len(spans) == 1:
        start, end = spans[0]
        return Qualitative(text[start:end].strip())
    return Qualitative(text.strip())


def _simple_quantity(text: str, folded: str | None = None) -> Quantity | None:
    """The fast path for the commonest whole text, ``[comparator] number [unit] [suffix]``.

    ``≥95%``, ``不少于135人次``, ``37.5万元``, ``90%以上``: one anchored regex built
    from the tokenizer's own rules instead of trying every rule at every
    position.  It returns exactly the Quantity the full parser would (a test
    compares the two on every unit, multiplier and comparator word, and
    Hypothesis on generated texts); anything else returns None and goes to the
    full parser.
    """
    match = simple_quantity_pattern().fullmatch(normalize(text) if folded is None else folded)
    if match is None:
        return None
    number, symbol, word, suffix, unit_text, unit2, multiplier_text = match.group(
        "number", "symbol", "word", "suffix", "unit", "unit2", "multiplier"
    )
    if len(number) > MAX_DIGITS and sum(ch.isdigit() for ch in number) > MAX_DIGITS:
        return None  # the full parser says why
    magnitude = Decimal(without_separators(number) if "," in number or "，" in number else number)
    comparator = (
        COMPARATOR_SYMBOLS[symbol]
        if symbol
        else COMPARATOR_WORDS[word]
        if word
        else COMPARATOR_SUFFIXES[suffix]
        if suffix
        else None
    )
    vocab = vocabulary()
    unit_text = unit_text or unit2
    multiplier = None
    if multiplier_text:
        multiplier = vocab.multipliers[multiplier_text]
        magnitude *= multiplier
    # Positional: the hottest constructor call of the parser (same fields as by keyword).
    return Quantity(
        text.strip(),
        magnitude,
        vocab.units[unit_text].name if unit_text else None,
        comparator,
        "",
        "",
        (),
        None,
        "",
        None if unit_text else multiplier,
    )


# Whole-text readers for the commonest shapes, tried in order before the full parser; each
# gives exactly the full parser's value or None (tests/parse/test_parse_fast_paths.py).
_FAST_PATHS: tuple[Callable[[str, str], Value | None], ...] = (
    _simple_quantity,
    simple_date,
    _simple_change,
    _simple_qualitative,
)


def _parse_clauses(text: str, *, early_stop: bool = True) -> Value:
    """value = clause (SEP clause)* END  -- the full parser"""
    spans = _clause_spans(text)
    values = [_clause(text, start, end, early_stop=early_stop) for start, end in spans]
    if len(values) == 1:
        return values[0]
    if all(isinstance(v, Qualitative) for v in values):
        return Qualitative(text.strip())
    return Compound(text.strip(), tuple(values))


def _clause_spans(text: str, folded: str | None = None) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _CLAUSE_SEPARATOR.finditer(normalize(text) if folded is None else folded):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _clause(source: str, start: int, end: int, *, early_stop: bool = True) -> Simple:
    """clause = zero | label? body trailing?

    The first value found wins, unless it leaves unread text and a later one
    reads to the end of the clause with a label free of numbers
    (``近三年完成100项``: the value is 100项, not 三年).

    The early stop (``early_stop``; off only in tests that compare the two).  Once
    a first value is found and the scan has passed the clause's first number, no
    later start can replace it: a later value would have a label holding a
    number.  A later start can still *refuse* the text (``95%以上≥``: a comparator
    with nothing to compare; ``100人以上2月30日``: an impossible date), and every
    refusal needs a digit, a Chinese numeral or a comparator/± symbol
    (``_MIGHT_RAISE``).  So the scan stops past both the first number and the
    last such character (found once, when the first value is), and not before:
    the result is exactly the full scan's.
    The text after the value is never passed over: it stays in ``trailing`` with
    a warning (``100人以上（含外聘）``), or the clause is qualitative when words
    stand on both sides of the value, and a later refusal still raises
    (tests/data/later_position.tsv).
    """
    clause_text = source[start:end].strip()
    normalized = normalize(source)
    zero = _zero(source, start, end, normalized)
    if zero is not None:
        return zero
    first: tuple[Simple, str, str] | None = None
    # Where the first number of the clause stands: a label before a later value
    # holds a number exactly when that value starts after it (found once, O(n)).
    digit = _DIGIT.search(normalized, start, end)
    first_digit = digit.start() if digit else end
    stop_after = end  # the early stop: set once a first value is found
    for position in range(start, end):
        if position > stop_after:
            break
        if normalized[position] not in _STARTERS or (
            position > start and normalized[position - 1 : position + 1] in _INSIDE_NUMERAL
        ):
            # Never start inside a numeral the rules could not read from its first
            # character: 十七八万 is not 八万, 1.5,2 is not 2, 十三五 is not 五.
            continue
        tokenizer = Tokenizer(source, start=position, end=end, folded=normalized)
        value = _body(tokenizer)
        if value is None:
            continue
        trailing = "" if tokenizer.at_end() else _trailing(tokenizer.rest())
        if not trailing and (first is None or position <= first_digit):
            return _labelled(value, clause_text, source[start:position].strip(), "")
        label = source[start:position].strip()
        if first is None:
            first = (value, label, trailing)
            if early_stop:
                stop_after = max(first_digit, _last_risky(normalized, position, end))
    if first is None:
        return Qualitative(clause_text)
    value, label, trailing = first
    if label and trailing:
        # A number inside prose ("全市342家科普基地接待…") is not the value.
        return Qualitative(clause_text)
    return _labelled(value, clause_text, label, trailing)


def _last_risky(folded: str, start: int, end: int) -> int:
    """Where the last character that could start a refusal stands in ``[start, end)``, or -1."""
    last = -1
    for match in _MIGHT_RAISE.finditer(folded, start, end):
        last = match.start()
    return last


def _zero(source: str, start: int, end: int, folded: str) -> Quantity | None:
    """zero = ZERO thing   -- 零事故, 无重大舆情, 不发生安全事故, 未发生; a whole clause"""
    tokenizer = Tokenizer(source, start=start, end=end, folded=folded)
    if not tokenizer.check("ZERO"):
        return None
    word = tokenizer.read().text
    thing = tokenizer.rest()
    if _DIGIT.search(normalize(thing)) or (word == "零" and not thing):
        return None
    for suffix in ("发生", "出现", "事件"):
        if thing.endswith(suffix) and len(thing) > len(suffix) and word != "零":
            thing = thing.removesuffix("发生").removesuffix("出现")
    text = source[start:end].strip()
    return Quantity(text, Decimal(0), comparator=Comparator.LE, label=thing)


_LONGEST_DONE = max(map(len, DONE_WORDS))


def _trailing(rest: str) -> str:
    """trailing = DONE? | anything (kept, with a warning)"""
    return "" if len(rest) <= _LONGEST_DONE and normalize(rest) in DONE_WORDS else rest


def _labelled(value: Simple, text: str, label: str, trailing: str) -> Simple:
    """Attach the clause's text, label and trailing words, and read tolerance labels."""
    warnings = tuple(getattr(value, "warnings", ()))
    if trailing:
        warnings += (f"未识别的文字「{trailing}」已忽略 (unread text {trailing!r} ignored)",)
    if isinstance(value, Qualitative):
        return value
    value = _evolve(value, text=text, label=label, trailing=trailing, warnings=warnings)
    folded = normalize(label)
    if (
        isinstance(value, Quantity)
        and value.comparator in (Comparator.LE, Comparator.LT)
        and folded.endswith(TOLERANCE_LABELS)
    ):
        # "误差不超过2%", "偏差率≤5%": a permitted deviation either side.
        return Tolerance(
            text,
            value.magnitude,
            unit=value.unit,
            label=label,
            trailing=trailing,
            warnings=warnings,
            unit_text=value.unit_text,
        )
    return value


def _evolve(value: Any, **changes: Any) -> Any:
    return attrs.evolve(value, **changes)


def _body(tokenizer: Tokenizer) -> Simple | None:
    """body = flat | comparator? approx? (date | change | tolerance | span)"""
    start = tokenizer.position
    flat = _flat(tokenizer, "")
    if flat is not None:
        return flat
    comparator, committed = _comparator(tokenizer)
    approximation = _approx_prefix(tokenizer) if comparator is None else None
    date = None if approximation else read_date(tokenizer, explicit=comparator is not None)
    if date is not None:
        if comparator is not None and not comparator.is_upper_bound:
            warning = f"日期前的「{comparator.value}」已忽略 (comparator before a date ignored)"
            return _evolve(date, warnings=(*date.warnings, warning))  # type: ignore[no-any-return]
        return date
    if comparator is None and approximation is None:
        change = _change(tokenizer)
        if change is not None:
            return change
    if tokenizer.check("PLUS_MINUS"):
        tokenizer.read()
        tolerance = _quantity(tokenizer, None)
        if tolerance is None:
            raise tokenizer.error("「±」后缺少数值 (expected a number after ±)", span_start=start)
        return Tolerance("", abs(tolerance.magnitude), unit=tolerance.unit,
                         unit_text=tolerance.unit_text, warnings=tolerance.warnings)  # fmt: skip
    value = _span(tokenizer, comparator)
    if value is None and committed:
        raise tokenizer.error(
            "比较符号后缺少数值 (expected a number after the comparator)", span_start=start
        )
    if isinstance(value, Quantity) and approximation is not None:
        value = _approximate(value, approximation)
    return value


def _comparator(tokenizer: Tokenizer) -> tuple[Comparator | None, bool]:
    """comparator = CMP_SYMBOL | CMP_WORD   -- a symbol commits: a number must follow"""
    if tokenizer.check("CMP_SYMBOL"):
        return COMPARATOR_SYMBOLS[tokenizer.read().text], True
    if tokenizer.check("CMP_WORD"):
        return COMPARATOR_WORDS[normalize(tokenizer.read().text)], False
    return None, False


def _approx_prefix(tokenizer: Tokenizer) -> Approximation | None:
    """APPROX_PREFIX?  -- only when a number follows (近三年 is a label, 近1000人 a value)"""
    position = tokenizer.position
    if not tokenizer.check("APPROX_PREFIX"):
        return None
    approximation = APPROX_PREFIXES[tokenizer.read().text]
    if tokenizer.check("NUMBER") or tokenizer.check("CN_NUMBER"):
        return approximation
    tokenizer.position = position
    return None


def _approximate(value: Quantity, approximation: Approximation) -> Quantity:
    words, english = APPROXIMATION_WORDS[approximation]
    warning = f"数值为近似值（{words}）(approximate value: {english})"
    return attrs.evolve(value, approximation=approximation, warnings=(*value.warnings, warning))


def _flat(tokenizer: Tokenizer, basis: str) -> Change | None:
    """FLAT  -- 持平, 不低于上年(水平): a change of zero, with a comparator"""
    if not tokenizer.check("FLAT"):
        return None
    word = normalize(tokenizer.read().text)
    comparator = FLAT_WORDS[word]
    basis = basis or ("上年" if "上年" in word or "去年" in word else "")
    return Change("", Direction.FLAT, Decimal(0), comparator=comparator, basis=basis)


def _change(tokenizer: Tokenizer) -> Change | None:
    """change = CHANGE_BASIS? (FLAT | DIRECTION comparator? measure)"""
    start = tokenizer.position
    basis = normalize(tokenizer.read().text) if tokenizer.check("CHANGE_BASIS") else ""
    flat = _flat(tokenizer, basis)
    if flat is not None:
        return flat
    if not tokenizer.check("DIRECTION"):
        tokenizer.position = start
        return None
    direction = DIRECTION_WORDS[normalize(tokenizer.read().text)]
    comparator, _ = _comparator(tokenizer)
    measure = _quantity(tokenizer, comparator)
    if measure is None:
        tokenizer.position = start
        return None
    if measure.magnitude < 0:
        # 增长-2%, 下降−1.5%: the sign of the word and the sign of the number together;
        # read as either they would give opposite answers, so a person says which.
        raise tokenizer.error(
            "增减词后又有负号，方向无法确定，请核对 (a change word followed by a minus sign)",
            span_start=start,
        )
    return Change(
        "",
        direction,
        measure.magnitude,
        unit=measure.unit,
        comparator=measure.comparator,
        basis=basis,
        warnings=measure.warnings,
    )


def _span(
    tokenizer: Tokenizer, comparator: Comparator | None
) -> Quantity | Range | Tolerance | None:
    """span = rough | RANGE_PREFIX? measure (RANGE_SEPARATOR measure RANGE_SUFFIX?)?
    | comparator measure AND? comparator measure"""
    start = tokenizer.position
    rough = read_rough(tokenizer, comparator)
    if rough is not None:
        return rough
    prefixed = comparator is None and tokenizer.consume("RANGE_PREFIX") is not None
    first = _measure(tokenizer, comparator)
    if first is None:
        tokenizer.position = start
        return None
    if isinstance(first, Tolerance):
        return first
    if comparator is not None and comparator is not Comparator.EQ:
        return _bounded(tokenizer, first) or first
    after_first = tokenizer.position
    if tokenizer.check("RANGE_SEPARATOR"):
        separator = tokenizer.read().text
        second = _quantity(tokenizer, None)
        suffix = tokenizer.consume("RANGE_SUFFIX")
        needs_suffix = separator in ("与", "和")
        if second is not None and (suffix or not needs_suffix) and first.comparator is None:
            return _range(first, second)
        tokenizer.position = after_first
    if prefixed and tokenizer.consume("RANGE_SUFFIX") is None:
        tokenizer.position = start
        return None
    return first


def _bounded(tokenizer: Tokenizer, first: Quantity) -> Range | None:
    """comparator measure AND? comparator measure  -- 大于等于100小于等于300"""
    position = tokenizer.position
    tokenizer.consume("AND")
    comparator, _ = _comparator(tokenizer)
    if comparator is None or comparator is Comparator.EQ:
        tokenizer.position = position
        return None
    second = _quantity(tokenizer, comparator)
    if second is None or first.comparator is None:
        tokenizer.position = position
        return None
    low, high = (first, second) if not first.comparator.is_upper_bound else (second, first)
    if low.comparator is None or low.comparator.is_upper_bound:
        tokenizer.position = position
        return None
    if high.comparator is None or not high.comparator.is_upper_bound:
        tokenizer.position = position
        return None
    result = _range(low, high)
    return attrs.evolve(
        result,
        low_inclusive=low.comparator is Comparator.GE,
        high_inclusive=high.comparator is Comparator.LE,
    )


def _range(first: Quantity, second: Quantity) -> Range:
    """Both bounds in one unit: the unit written after the second number applies to both."""
    unit = second.unit or first.unit
    unit_text = second.unit_text or first.unit_text
    low = _in_unit(first, unit)
    high = _in_unit(second, unit)
    warnings = (*first.warnings, *second.warnings)
    if first.unit and second.unit and first.unit != second.unit:
        warnings += (
            f"范围两端单位不同（{first.unit_display}、{second.unit_display}）"
            " (the two bounds have different units)",
        )
    if low > high:
        low, high = high, low
        warnings += ("范围上下限颠倒，已按从小到大理解 (bounds given high to low)",)
    return Range("", low, high, unit=unit, unit_text=unit_text, warnings=warnings)


def _in_unit(value: Quantity, unit: str | None) -> Decimal:
    """``30万`` in a ``万元`` range is 30 万元: a written multiplier is the unit's own."""
    if value.unit is not None or value.multiplier is None or unit is None:
        return value.magnitude
    split = split_multiplier(unit)
    if split is not None and split[0] == value.multiplier:
        return value.magnitude / value.multiplier
    return value.magnitude


def _measure(tokenizer: Tokenizer, comparator: Comparator | None) -> Quantity | Tolerance | None:
    """measure = amount (PLUS_MINUS amount)? APPROX_INFIX? (UNIT | MULTIPLIER UNIT?)?
    RATE? UNIT_ECHO? APPROX_SUFFIX? CMP_SUFFIX? UNKNOWN_UNIT?"""
    start = tokenizer.position
    amount = read_amount(tokenizer)
    if amount is None:
        return None
    magnitude, unit, is_chinese, approximation = amount
    center: Decimal | None = None
    if tokenizer.check("PLUS_MINUS"):
        tokenizer.read()
        spread = read_amount(tokenizer)
        if spread is None:
            raise tokenizer.error("「±」后缺少数值 (expected a number after ±)")
        center, magnitude, unit = magnitude, abs(spread[0]), spread[1] or unit
    if approximation is None and tokenizer.check("APPROX_INFIX"):
        infix_at = tokenizer.position
        word = tokenizer.read().text
        if tokenizer.check("UNIT") or tokenizer.check("MULTIPLIER") or tokenizer.at_end():
            approximation = APPROX_INFIXES[word]
        else:
            tokenizer.position = infix_at
    multiplier = None
    if unit is None:
        magnitude, unit, multiplier = read_unit(tokenizer, magnitude)
    unit = read_rate(tokenizer, unit)
    unit = read_echo(tokenizer, unit, multiplier)
    if approximation is None and tokenizer.check("APPROX_SUFFIX"):
        approximation = APPROX_SUFFIXES[tokenizer.read().text]
    if tokenizer.check("CMP_SUFFIX"):
        suffix = COMPARATOR_SUFFIXES[normalize(tokenizer.read().text)]
        comparator = comparator or suffix
    elif is_chinese and unit is None and comparator is None and not tokenizer.at_end():
        # "一般债券": a numeral that measures nothing is just a word.
        tokenizer.position = start
        return None
    unit_text = ""
    warnings: tuple[str, ...] = ()
    if unit is None and not is_chinese:
        unit_text = _unknown_unit(tokenizer)
        if unit_text:
            warnings = (f"未知单位「{unit_text}」(unknown unit {unit_text!r})",)
    quantity = Quantity(
        text="",
        magnitude=magnitude,
        unit=unit,
        comparator=comparator,
        unit_text=unit_text,
        multiplier=multiplier,
        warnings=warnings,
    )
    if center is not None:
        # "100±2吨": a centre and a permitted deviation either side.
        return Tolerance("", magnitude, unit=unit, center=center, unit_text=unit_text)
    return _approximate(quantity, approximation) if approximation else quantity


def _quantity(tokenizer: Tokenizer, comparator: Comparator | None) -> Quantity | None:
    """A measure that is a plain quantity (not ``100±2``); else nothing is consumed."""
    start = tokenizer.position
    value = _measure(tokenizer, comparator)
    if isinstance(value, Quantity):
        return value
    tokenizer.position = start
    return None


def _unknown_unit(tokenizer: Tokenizer) -> str:
    """UNKNOWN_UNIT = 1–4 letters right after the number that end the clause (≥5XX)."""
    position = tokenizer.position
    if position >= tokenizer.end or tokenizer.text[position].isspace():
        return ""
    match = _UNKNOWN_UNIT.match(tokenizer.text, position, tokenizer.end)
    if match is None:
        return ""
    word = match.group(0)
    if word.startswith(_NOT_UNITS):
        return ""
    # tokenizer.text is folded already; the rest is a unit only if nothing or a
    # done-word or comparator suffix follows it (checked without copying a long rest).
    rest_length = tokenizer.end - match.end()
    after = tokenizer.text[match.end() : tokenizer.end].strip() if rest_length <= 8 else "…"
    if after and after not in DONE_WORDS and after not in COMPARATOR_SUFFIXES:
        return ""
    if word in DONE_WORDS:
        return ""
    tokenizer.position = match.end()
    if after in COMPARATOR_SUFFIXES:
        return word
    tokenizer.position = tokenizer.end if not after else tokenizer.position
    return word
