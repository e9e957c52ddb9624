"""Parse target (指标值) and actual (实际完成值) texts into :mod:`perfscore.values`.

A small recursive-descent parser over the context-driven tokenizer in
:mod:`perfscore._tokenizer`.  Each parsing function carries its grammar rule as
its docstring.  The whole grammar::

    value    = clause (SEP clause)* END
    clause   = label? body trailing?         -- label: words before the value
    body     = comparator? (date | measure)
    measure  = amount (UNIT | MULTIPLIER UNIT?)? CMP_SUFFIX?
    amount   = PERCENT_WORDS | NUMBER ('*' NUMBER)* | CN_NUMBER
    date     = YMD BEFORE?
             | YEAR (MONTH_RANGE | MONTH day_part? | MONTH_END)? BEFORE?
             | YEAR_END BEFORE?
             | MONTH day_part? BEFORE?
    day_part = DAY | MONTH_END

A clause without a value is qualitative; a value buried inside prose (words
both before and after it) is qualitative too.  Unread text after a value is
kept in ``trailing`` with a warning.  Text that cannot be read at all (a
comparator symbol with nothing to compare, an impossible date) raises
:class:`~perfscore.errors.TargetSyntaxError`.
"""

from __future__ import annotations

import calendar
import functools
import re
from decimal import Decimal
from typing import Any

import attrs

from ._tokenizer import (
    CN_NUMERAL_CHARS,
    COMPARATOR_SUFFIXES,
    COMPARATOR_SYMBOLS,
    COMPARATOR_WORDS,
    DONE_WORDS,
    OUTCOME_PHRASES,
    YEAR_END_WORDS,
    Tokenizer,
    chinese_number,
    normalize,
)
from .errors import TargetSyntaxError
from .units import vocabulary
from .values import (
    Comparator,
    Compound,
    Deadline,
    Outcome,
    Period,
    Qualitative,
    Quantity,
    Value,
)

__all__ = ["parse_actual", "parse_target"]

_Simple = Quantity | Deadline | Period | Qualitative

_CLAUSE_SEPARATOR = re.compile(r"[，；]|,(?!\d{3}(?!\d))")
_STARTERS = frozenset(
    "-0123456789.百"
    + CN_NUMERAL_CHARS
    + "".join(w[0] for w in (*COMPARATOR_SYMBOLS, *COMPARATOR_WORDS, *YEAR_END_WORDS))
)
_OUTCOMES = re.compile("|".join(sorted(map(re.escape, OUTCOME_PHRASES), key=len, reverse=True)))
_PERCENT = "percent"


@functools.lru_cache(maxsize=65536)
def parse_target(text: str) -> Value:
    """Parse a target text such as ``≥135人``, ``2023年12月31日前`` or ``提升``.

    Raises :class:`~perfscore.errors.TargetSyntaxError` for text that cannot be
    read at all, including empty text.
    """
    return _parse(text)


@functools.lru_cache(maxsize=65536)
def parse_actual(text: str) -> Value:
    """Parse an actual-value text: the target grammar plus completion phrases.

    ``已完成`` and ``全部达到预期指标`` give a :class:`~perfscore.values.Qualitative`
    with :attr:`~perfscore.values.Qualitative.outcome` set; ``已于2024年12月31日前完成``
    a :class:`~perfscore.values.Deadline`.
    """
    value = _parse(text)
    if isinstance(value, Qualitative):
        return Qualitative(value.text, outcome=find_outcome(value.text), warnings=value.warnings)
    return value


def find_outcome(text: str) -> Outcome | None:
    """Return the judgement the last completion phrase in ``text`` expresses, if any."""
    found = _OUTCOMES.findall(normalize(text))
    return OUTCOME_PHRASES[found[-1]] if found else None


def _parse(text: str) -> Value:
    """value = clause (SEP clause)* END"""
    if not text.strip():
        raise TargetSyntaxError(
            "空的指标值 (empty value)", source=text, span=(0, max(len(text), 1))
        )
    spans = _clause_spans(text)
    values = [_clause(text, start, end) for start, end in spans]
    if len(values) == 1:
        return values[0]
    if all(isinstance(v, Qualitative) for v in values):
        return Qualitative(text.strip())
    return Compound(text.strip(), tuple(values))


def _clause_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _CLAUSE_SEPARATOR.finditer(normalize(text)):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _clause(source: str, start: int, end: int) -> _Simple:
    """clause = label? body trailing?"""
    clause_text = source[start:end].strip()
    normalized = normalize(source)
    for position in range(start, end):
        if normalized[position] not in _STARTERS:
            continue
        tokenizer = Tokenizer(source, start=position, end=end)
        value = _body(tokenizer)
        if value is not None:
            label = source[start:position].strip()
            trailing = _trailing(tokenizer.rest())
            if label and trailing:
                # A number inside prose ("全市342家科普基地接待…") is not the value.
                return Qualitative(clause_text)
            return _finish(value, clause_text, label, trailing)
    return Qualitative(clause_text)


def _trailing(rest: str) -> str:
    """trailing = DONE? | anything (kept, with a warning)"""
    return "" if rest in DONE_WORDS else rest


def _finish(value: _Simple, text: str, label: str, trailing: str) -> _Simple:
    warnings = tuple(getattr(value, "warnings", ()))
    if trailing:
        warnings += (f"未识别的文字「{trailing}」已忽略 (unread text {trailing!r} ignored)",)
    if isinstance(value, Quantity | Deadline | Period):
        return _evolve(value, text=text, label=label, trailing=trailing, warnings=warnings)
    return value


def _evolve(value: Quantity | Deadline | Period, **changes: Any) -> Quantity | Deadline | Period:
    return attrs.evolve(value, **changes)


def _body(tokenizer: Tokenizer) -> Quantity | Deadline | Period | None:
    """body = comparator? (date | measure)"""
    start = tokenizer.position
    comparator, committed = _comparator(tokenizer)
    date = _date(tokenizer, explicit=comparator is not None)
    if date is not None:
        if comparator is not None and not comparator.is_upper_bound:
            warning = f"日期前的「{comparator.value}」已忽略 (comparator before a date ignored)"
            return _evolve(date, warnings=(warning,))  # type: ignore[return-value,unused-ignore]
        return date
    measure = _measure(tokenizer, comparator)
    if measure is None and committed:
        raise tokenizer.error(
            "比较符号后缺少数值 (expected a number after the comparator)", span_start=start
        )
    return measure


def _comparator(tokenizer: Tokenizer) -> tuple[Comparator | None, bool]:
    """comparator = CMP_SYMBOL | CMP_WORD   -- a symbol commits: a number must follow"""
    if tokenizer.check("CMP_SYMBOL"):
        return COMPARATOR_SYMBOLS[tokenizer.read().text], True
    if tokenizer.check("CMP_WORD"):
        return COMPARATOR_WORDS[tokenizer.read().text], False
    return None, False


def _measure(tokenizer: Tokenizer, comparator: Comparator | None) -> Quantity | None:
    """measure = amount (UNIT | MULTIPLIER UNIT?)? CMP_SUFFIX?"""
    start = tokenizer.position
    amount = _amount(tokenizer)
    if amount is None:
        return None
    magnitude, unit, is_chinese = amount
    if unit is None:
        magnitude, unit = _unit(tokenizer, magnitude)
    if tokenizer.check("CMP_SUFFIX"):
        suffix = COMPARATOR_SUFFIXES[tokenizer.read().text]
        comparator = comparator or suffix
    elif is_chinese and unit is None and comparator is None and not tokenizer.at_end():
        # "一般债券": a numeral that measures nothing is just a word.
        tokenizer.position = start
        return None
    return Quantity(text="", magnitude=magnitude, unit=unit, comparator=comparator)


def _amount(tokenizer: Tokenizer) -> tuple[Decimal, str | None, bool] | None:
    """amount = PERCENT_WORDS | NUMBER ('*' NUMBER)* | CN_NUMBER"""
    if tokenizer.check("PERCENT_WORDS"):
        digits = tokenizer.read().match.group("pct")
        value = Decimal(digits) if digits[0].isdigit() else chinese_number(digits)
        return value, _PERCENT, False
    if tokenizer.check("NUMBER"):
        value = Decimal(tokenizer.read().text.replace(",", ""))
        while tokenizer.check("TIMES"):
            tokenizer.read()
            value *= Decimal(tokenizer.expect("NUMBER", "a number after '*'").text)
        return value, None, False
    if tokenizer.check("CN_NUMBER"):
        return chinese_number(tokenizer.read().text), None, True
    return None


def _unit(tokenizer: Tokenizer, magnitude: Decimal) -> tuple[Decimal, str | None]:
    """(UNIT | MULTIPLIER UNIT?)?  -- a unit spelled "万元" wins over the multiplier 万"""
    vocab = vocabulary()
    if tokenizer.check("UNIT"):
        return magnitude, vocab.units[tokenizer.read().text].name
    if tokenizer.check("MULTIPLIER"):
        magnitude *= vocab.multipliers[tokenizer.read().text]
        if tokenizer.check("UNIT"):
            return magnitude, vocab.units[tokenizer.read().text].name
    return magnitude, None


def _date(tokenizer: Tokenizer, *, explicit: bool) -> Deadline | Period | None:
    """date = YMD BEFORE? | YEAR … | YEAR_END BEFORE? | MONTH day_part? BEFORE?

    After a comparator (``explicit``), a bare month is a duration (``≥8月`` is
    eight months), so only dates with a year, day or year-end word count.
    """
    start = tokenizer.position
    if tokenizer.check("YMD"):
        match = tokenizer.read().match
        year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
        _check_day(tokenizer, start, year, month, day)
        return _before(tokenizer, Deadline("", month=month, day=day, year=year))
    if tokenizer.check("YEAR"):
        year_text = tokenizer.read().match["y"]
        year = int(year_text) if year_text.isdigit() else int(chinese_number(year_text))
        return _after_year(tokenizer, start, year)
    if tokenizer.check("YEAR_END"):
        tokenizer.read()
        return _before(tokenizer, Deadline("", month=12))
    if tokenizer.check("MONTH"):
        month = _small_number(tokenizer.read().match["m"])
        value = _month(tokenizer, None, month)
        if explicit and isinstance(value, Period):
            tokenizer.position = start
            return None
        return value
    return None


def _after_year(tokenizer: Tokenizer, start: int, year: int) -> Deadline | Period:
    """YEAR (MONTH_RANGE | MONTH day_part? | MONTH_END)? BEFORE?"""
    if tokenizer.check("MONTH_RANGE"):
        token = tokenizer.read()
        first, last = int(token.match["m1"]), int(token.match["m2"])
        if not 1 <= first <= last <= 12:
            raise tokenizer.error("月份范围无效 (invalid month range)", span_start=token.position)
        return Period("", first_month=first, last_month=last, year=year)
    if tokenizer.check("MONTH"):
        return _month(tokenizer, year, _small_number(tokenizer.read().match["m"]))
    if tokenizer.check("BAD_MONTH"):
        bad = tokenizer.read()
        raise tokenizer.error("月份无效 (invalid month)", span_start=bad.position)
    if tokenizer.check("MONTH_END"):
        tokenizer.read()
        return _before(tokenizer, Deadline("", month=12, year=year))
    if tokenizer.check("BEFORE"):
        tokenizer.read()
        return Deadline("", month=12, year=year)
    return Period("", first_month=1, last_month=12, year=year)


def _month(tokenizer: Tokenizer, year: int | None, month: int) -> Deadline | Period:
    """MONTH (DAY | MONTH_END)? BEFORE?  -- a month alone is a period, with 前 a deadline"""
    if tokenizer.check("DAY"):
        token = tokenizer.read()
        _check_day(tokenizer, token.position, year, month, _small_number(token.match["d"]))
        day = _small_number(token.match["d"])
        return _before(tokenizer, Deadline("", month=month, day=day, year=year))
    if tokenizer.check("MONTH_END"):
        tokenizer.read()
        return _before(tokenizer, Deadline("", month=month, year=year))
    if tokenizer.check("BEFORE"):
        tokenizer.read()
        return Deadline("", month=month, year=year)
    return Period("", first_month=month, last_month=month, year=year)


def _before(tokenizer: Tokenizer, deadline: Deadline) -> Deadline:
    """BEFORE?  -- "前" after a date: on or before it"""
    tokenizer.consume("BEFORE")
    return deadline


def _check_day(tokenizer: Tokenizer, start: int, year: int | None, month: int, day: int) -> None:
    leap_safe_year = year if year is not None else 2024
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(leap_safe_year, month)[1]:
        raise tokenizer.error("日期无效 (invalid date)", span_start=start)


def _small_number(text: str) -> int:
    return int(text) if text.isdigit() else int(chinese_number(text))
