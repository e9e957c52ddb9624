"""Chinese numerals, read exactly into ``Decimal``.

Numerals are written in many styles in published tables; each is a rule of
one small grammar, applied to the *normalised* text (traditional characters
are already folded: 萬→万, 億→亿, 兩→两, 點→点, 貳→贰 …)::

    numeral   = sign? (fraction | decimal)
    sign      = "负" | "-"
    fraction  = integer "分之" (integer | decimal)        -- 三分之一 = 1/3
    decimal   = integer ("点" DIGIT+ | "." ARABIC+)?
    integer   = section (LARGE section?)* elided?          -- 一亿二千万零三百
    section   = (DIGIT SMALL?)+ | ARABIC+ | "廿" | "卅" | "卌"
    elided    = DIGIT                                     -- 三万五 = 35000, 一百二 = 120
    DIGIT     = 零 〇 一 二 两 三 … 九, and 壹 贰 叁 … 玖 (financial)
    SMALL     = 十 拾 百 佰 千 仟
    LARGE     = 万 亿 (万亿 = 10¹²)

Digit-by-digit numerals (``二〇二三``, years) are read digit by digit.
Arabic digits mix freely (``3万2千`` = 32000, ``100万五千`` = 1005000).
Anything numeral-looking that these rules cannot read exactly (``十十``,
``一点十``, ``万万``) raises :class:`~perfscore.errors.TargetSyntaxError`:
it is never turned into another number.
"""

from __future__ import annotations

import decimal
from decimal import Decimal

from ..errors import TargetSyntaxError

__all__ = [
    "CN_DIGITS",
    "CN_LARGE",
    "CN_SMALL",
    "MAX_DIGITS",
    "NUMERAL_CHARS",
    "exact_fraction",
    "parse_chinese_number",
]

CN_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "幺": 1, "二": 2, "两": 2, "贰": 2, "弍": 2,
    "三": 3, "叁": 3, "参": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6,
    "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}  # fmt: skip
CN_SMALL: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CN_LARGE: dict[str, int] = {"万": 10**4, "亿": 10**8}
# 廿 卅 卌 are tens written as one character (廿五 = 25).
_CN_TENS: dict[str, int] = {"廿": 20, "卅": 30, "卌": 40}

NUMERAL_CHARS = "".join([*CN_DIGITS, *CN_SMALL, *CN_LARGE, *_CN_TENS])
_ARABIC = "0123456789"

# Numbers are bounded where they enter: 10¹⁶ is far beyond any budget in 元,
# and a longer run is a typo or an attack, not a quantity.
MAX_DIGITS = 20
_LIMIT = Decimal(10) ** MAX_DIGITS


def _error(message: str, text: str) -> TargetSyntaxError:
    return TargetSyntaxError(message, source=text, span=(0, max(len(text), 1)))


def parse_chinese_number(text: str) -> Decimal:
    """Read a Chinese (or mixed Chinese/Arabic) numeral exactly.

    ``三万五`` → 35000, ``一亿二千万零三百`` → 120000300, ``负二点五`` → -2.5,
    ``三分之一`` → 1/3 (to 28 significant digits; see :func:`exact_fraction`).
    Raises :class:`~perfscore.errors.TargetSyntaxError` for text it cannot read
    exactly.
    """
    body, sign = text, 1
    if body[:1] in ("负", "-"):
        body, sign = body[1:], -1
    if not body:
        raise _error("缺少数字 (no number)", text)
    if "分之" in body:
        denominator, _, numerator = body.partition("分之")
        value = exact_fraction(_decimal(numerator, text), _decimal(denominator, text), text)
    else:
        value = _decimal(body, text)
    if abs(value) >= _LIMIT:
        raise _error(f"数字过长 (number longer than {MAX_DIGITS} digits)", text)
    return value * sign


def exact_fraction(numerator: Decimal, denominator: Decimal, text: str = "") -> Decimal:
    """Return ``numerator / denominator``; an error if the denominator is 0."""
    if denominator == 0:
        raise _error("分母为零 (zero denominator)", text or "0")
    with decimal.localcontext(decimal.Context(prec=28)):
        return numerator / denominator


def _decimal(body: str, text: str) -> Decimal:
    """decimal = integer ("点" DIGIT+ | "." ARABIC+)?"""
    for point in ("点", "."):
        if point in body:
            whole, _, fraction = body.partition(point)
            scale = 1
            if fraction[-1:] in CN_LARGE:  # 一点五万 = 15000
                fraction, scale = fraction[:-1], CN_LARGE[fraction[-1]]
            if not fraction or any(ch not in CN_DIGITS and ch not in _ARABIC for ch in fraction):
                raise _error("小数部分无法识别 (unreadable decimal part)", text)
            digits = "".join(str(CN_DIGITS[ch]) if ch in CN_DIGITS else ch for ch in fraction)
            integer = _integer(whole, text) if whole else 0
            return Decimal(f"{integer}.{digits}") * scale
    return Decimal(_integer(body, text))


def _integer(body: str, text: str) -> int:
    """integer = section (LARGE section?)* elided?"""
    if len(body) > MAX_DIGITS * 2:
        raise _error(f"数字过长 (number longer than {MAX_DIGITS} digits)", text)
    if len(body) > 1 and all(ch in CN_DIGITS for ch in body):
        if len(body) < 4 and not any(CN_DIGITS[ch] == 0 for ch in body):
            # 两三, 三四, 九五: a rough number or a name, not 23, 34, 95.
            raise _error("数字连写无法识别 (digits run together)", text)
        # Digit by digit, as in years: 二〇二三 → 2023.
        return int("".join(str(CN_DIGITS[ch]) for ch in body))
    if body.isdigit():
        if len(body) > MAX_DIGITS:
            raise _error(f"数字过长 (number longer than {MAX_DIGITS} digits)", text)
        return int(body)
    return _sectioned(body, text)


def _sectioned(body: str, text: str) -> int:
    total = 0  # everything before the last 亿
    high = 0  # the part between the last 亿 and here, before the last 万
    section = 0  # below 万
    digit: int | None = None  # a digit (or Arabic run) not yet multiplied
    last_unit = 0  # the magnitude the last unit character set: for elision
    arabic = ""
    arabic_run = False  # the pending digit came from several Arabic digits (1亿300)
    for ch in [*body, ""]:
        if ch and ch in _ARABIC:
            arabic += ch
            continue
        if arabic:
            if digit is not None:
                raise _error("数字连写无法识别 (digits run together)", text)
            digit, arabic_run, arabic = int(arabic), len(arabic) > 1, ""
        if ch == "":
            break
        if ch in CN_DIGITS:
            if digit is not None and CN_DIGITS[ch] != 0:
                raise _error("数字连写无法识别 (digits run together)", text)
            if CN_DIGITS[ch] == 0:
                # 零 marks a gap (一千零五): nothing is elided after it.
                last_unit = 0
                continue
            digit, arabic_run = CN_DIGITS[ch], False
        elif ch in _CN_TENS:
            if digit is not None:
                raise _error("数字连写无法识别 (digits run together)", text)
            section += _CN_TENS[ch]
            last_unit = 10
        elif ch in CN_SMALL:
            unit = CN_SMALL[ch]
            if section and unit >= _leading_unit(section):
                raise _error(f"数位「{ch}」重复或颠倒 (misplaced unit {ch!r})", text)
            section += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
        else:  # 万 or 亿
            unit = CN_LARGE[ch]
            value = section + (digit or 0)
            if value == 0 and not (ch == "亿" and high):
                raise _error(f"「{ch}」前缺少数字 (no number before {ch!r})", text)
            if unit == CN_LARGE["万"]:
                if high:
                    raise _error("「万」重复 (万 twice in one section)", text)
                high = value * unit
            else:
                total = (total + high + value) * unit
                high = 0
            section, digit, last_unit = 0, None, unit
    if digit is not None and not arabic_run:
        # Elision: 三万五 = 35000, 一百二 = 120, 两千六 = 2600 (one step below the last unit).
        # Only a single digit is elided: 1亿300 is 100000300, not 1.3亿.
        digit *= last_unit // 10 if last_unit >= 10 else 1
    return total + high + section + (digit or 0)


def _leading_unit(section: int) -> int:
    """The place of the section's highest digit: 300 → 100, 20 → 10, 5 → 1."""
    return int(10 ** (len(str(section)) - 1))
