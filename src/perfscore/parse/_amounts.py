"""Amounts and their units: the numbers of a target or actual, read exactly.

Part of the grammar in :mod:`perfscore.parse.targets`; each function carries its
rule as its docstring::

    amount = CHENG | PERCENT_WORDS | MONEY | SEVERAL | MIXED_NUMBER
           | NUMBER ('*' NUMBER)* | CN_NUMBER
    unit   = (UNIT | MULTIPLIER UNIT?)? RATE? UNIT_ECHO?
    rough  = ROUGH (CHENG_UNIT | UNIT | MULTIPLIER UNIT?)? APPROX_SUFFIX?

Numbers as people type them (issue 18): thousands separators of either width
(checked beforehand by :mod:`perfscore.parse._digits`), every minus, 成 as a
tenth, 概数 as approximate ranges, per-unit rates and bracketed units.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..errors import TargetSyntaxError
from ._digits import THOUSANDS_SEPARATORS
from ._numerals import MAX_DIGITS
from ._tokenizer import RATE_JOINERS, ROUGH_WORDS, Token, Tokenizer, chinese_number, normalize
from .units import rate_name, vocabulary
from .values import Approximation, Comparator, Range, format_decimal

__all__ = [
    "read_amount",
    "read_echo",
    "read_rate",
    "read_rough",
    "read_unit",
    "without_separators",
]

_PERCENT = "percent"
_PER_UNITS = {"百": "percent", "千": "permille", "万": "permyriad"}


def read_amount(
    tokenizer: Tokenizer,
) -> tuple[Decimal, str | None, bool, Approximation | None] | None:
    """amount = PERCENT_WORDS | MONEY | SEVERAL | MIXED_NUMBER | NUMBER ('*' NUMBER)* | CN_NUMBER"""
    if tokenizer.check("CHENG"):
        return _cheng(tokenizer.read().match), _PERCENT, False, None
    if tokenizer.check("PERCENT_WORDS"):
        match = tokenizer.read().match
        digits = match.group("pct")
        value = Decimal(digits) if digits[0].isdigit() else chinese_number(digits)
        return value, _PER_UNITS[match.group("per")], False, None
    if tokenizer.check("MONEY"):
        return _money(tokenizer.read().match), _YUAN, False, None
    if tokenizer.check("SEVERAL"):
        match = tokenizer.read().match
        place = match.group("unit")
        value = (
            Decimal({"十": 10, "百": 100, "千": 1000, "万": 10**4, "亿": 10**8}[place])
            if place
            else chinese_number(match.group("ten"))
        )
        return value, None, True, Approximation.SEVERAL
    if tokenizer.check("MIXED_NUMBER"):
        token = tokenizer.read()
        return chinese_number(token.text), None, False, None
    if tokenizer.check("NUMBER"):
        value = _bounded_number(tokenizer, tokenizer.read())
        while tokenizer.check("TIMES"):
            tokenizer.read()
            value *= _bounded_number(tokenizer, tokenizer.expect("NUMBER", "a number after '*'"))
        return value, None, False, None
    if tokenizer.check("CN_NUMBER"):
        token = tokenizer.read()
        try:
            return chinese_number(token.text), None, True, None
        except TargetSyntaxError as error:
            if token.position == tokenizer.start and tokenizer.at_end():
                # The whole clause is a numeral that is not one (一点十, 十十).
                raise tokenizer.error(error.message, span_start=token.position) from None
            tokenizer.position = token.position
            return None
    return None


_YUAN = "元"
_TENTH = Decimal(10)


def _cheng(match: re.Match[str]) -> Decimal:
    """成 is a tenth: 九成 = 90%, 七成五 = 75%, 8.5成 = 85%, 十成 = 100%."""
    tenths = _small_decimal(match["n"]) * _TENTH
    tail = match["tail"]
    return tenths + (_small_decimal(tail) if tail else 0)


def _money(match: re.Match[str]) -> Decimal:
    """元 角 分 added up: 八元六角四分 = 8.64, 两毛五 = 0.25 (the 分 digit may drop 分)."""
    yuan = match["yuan"] or match["yuan2"]
    jiao, fen = match["jiao"], match["fen"] or match["fen2"]
    total = _small_decimal(yuan) if yuan else Decimal(0)
    if jiao:
        total += _small_decimal(jiao) / 10
    if fen:
        total += _small_decimal(fen) / 100
    return total


def _small_decimal(text: str) -> Decimal:
    return Decimal(text) if text.isdigit() else chinese_number(text)


def _bounded_number(tokenizer: Tokenizer, token: Token) -> Decimal:
    """An Arabic number of at most MAX_DIGITS digits: longer is a typo or an attack."""
    digits = sum(ch.isdigit() for ch in token.text)
    if digits > MAX_DIGITS:
        raise tokenizer.error(
            f"数字过长（{digits} 位，上限 {MAX_DIGITS} 位）"
            f"(number longer than {MAX_DIGITS} digits)",
            span_start=token.position,
        )
    return Decimal(without_separators(token.text))


_NO_SEPARATORS = str.maketrans("负", "-", THOUSANDS_SEPARATORS)


def without_separators(number: str) -> str:
    """``63，450.00`` → ``63450.00``; ``负2.7`` → ``-2.7``: the text Decimal reads."""
    return number.translate(_NO_SEPARATORS)


def read_unit(
    tokenizer: Tokenizer, magnitude: Decimal
) -> tuple[Decimal, str | None, Decimal | None]:
    """(UNIT | MULTIPLIER UNIT?)?  -- a unit spelled "万元" wins over the multiplier 万

    A multiplier with no unit after it (``37.5万``) is returned too, so that a
    万元 target can read the number as 37.5万元 rather than 375000万元.
    """
    vocab = vocabulary()
    if tokenizer.check("UNIT"):
        return magnitude, vocab.units[normalize(tokenizer.read().text)].name, None
    if tokenizer.check("MULTIPLIER"):
        multiplier = vocab.multipliers[normalize(tokenizer.read().text)]
        magnitude *= multiplier
        if tokenizer.check("UNIT"):
            return magnitude, vocab.units[normalize(tokenizer.read().text)].name, None
        return magnitude, None, multiplier
    return magnitude, None, None


def read_rate(tokenizer: Tokenizer, unit: str | None) -> str | None:
    """RATE?  -- 万元/个, 元/人·年, /户: the unit becomes one per-unit quantity"""
    if not tokenizer.check("RATE"):
        return unit
    denominators = re.split(f"\\s*[{RATE_JOINERS}]\\s*", tokenizer.read().match["den"])
    return rate_name(unit, [normalize(d) for d in denominators])


def read_echo(tokenizer: Tokenizer, unit: str | None, multiplier: Decimal | None) -> str | None:
    """UNIT_ECHO?  -- 95(百分比), 100（人）: a bracketed unit; the same unit again is read too"""
    position = tokenizer.position
    if not tokenizer.check("UNIT_ECHO"):
        return unit
    match = tokenizer.read().match
    numerator = vocabulary().units[normalize(match["echo"])].name if match["echo"] else None
    echoed = numerator
    if match["den"]:  # (万元/个)
        echoed = rate_name(
            numerator, re.split(f"\\s*[{RATE_JOINERS}]\\s*", normalize(match["den"]))
        )
    if echoed is not None and ((unit is None and multiplier is None) or unit == echoed):
        return echoed
    tokenizer.position = position  # another unit in brackets: left unread, so reviewed
    return unit


def read_rough(tokenizer: Tokenizer, comparator: Comparator | None) -> Range | None:
    """rough = ROUGH (UNIT | MULTIPLIER UNIT?)? APPROX_SUFFIX?  -- 概数: 三四十万元, 两三个

    Two neighbouring digits are a span, never the number they spell (两三 is not 23).
    """
    start = tokenizer.position
    if not tokenizer.check("ROUGH"):
        return None
    match = tokenizer.read().match
    if comparator is not None:
        raise tokenizer.error(
            "比较符后是概数，无法确定界限，请核对 (a rough number after a comparator)",
            span_start=start,
        )
    low, high = _rough_bounds(match)
    unit: str | None
    if tokenizer.consume("CHENG_UNIT") is not None:
        # 七八成 = 70–80%.
        low, high, scaled, unit, multiplier = low * 10, high * 10, low * 10, _PERCENT, None
    else:
        scaled, unit, multiplier = read_unit(tokenizer, low)
    factor = scaled / low if low else Decimal(1)
    tokenizer.consume("APPROX_SUFFIX")
    warning = (
        f"「{tokenizer.source[start : tokenizer.position].strip()}」是概数，按"
        f" {format_decimal(low)}–{format_decimal(high)} 的范围理解 (a rough number: a range)"
    )
    return Range("", scaled, high * factor, unit=unit, approximate=True,
                 multiplier=multiplier, warnings=(warning,))  # fmt: skip


def _rough_bounds(match: re.Match[str]) -> tuple[Decimal, Decimal]:
    """百八十 → (80, 100); 七百三四十 → (七百三十, 七百四十) = (730, 740)."""
    if match["word"]:
        low, high = ROUGH_WORDS[match["word"]]
        return Decimal(low), Decimal(high)
    head, pair, tail = match["head"], match["pair"], match["tail"]
    return chinese_number(head + pair[0] + tail), chinese_number(head + pair[1] + tail)
