"""Dates and periods: deadlines (``2023年12月31日前``, ``年底前``) and spans of months.

Part of the grammar in :mod:`perfscore.parse.targets`::

    date     = YMD BEFORE?
             | (YEAR | TWO_DIGIT_YEAR | REL_YEAR) year_part? BEFORE?
             | YEAR_END BEFORE? | HALF BEFORE? | QUARTER BEFORE?
             | MONTH_RANGE | MONTH day_part? (MONTH_TO MONTH)? BEFORE?
    year_part= MONTH_RANGE | MONTH day_part? (MONTH_TO (YEAR)? MONTH)? | HALF | QUARTER
             | MONTH_END
    day_part = DAY | DAY_RANGE | XUN | MONTH_END | MONTH_MID

A relative year (次年) is kept as an offset from the evaluation year, never the
clock's year; an impossible date is an error naming it.
"""

from __future__ import annotations

import calendar

import attrs

from ._tokenizer import RELATIVE_YEARS, Tokenizer, chinese_number, normalize
from .values import Deadline, Period

__all__ = ["read_date"]

_MONTH_MID_DAY = 15


def read_date(tokenizer: Tokenizer, *, explicit: bool) -> Deadline | Period | None:
    """date = YMD BEFORE? | (YEAR | TWO_DIGIT_YEAR | REL_YEAR) … | YEAR_END BEFORE?
    | HALF BEFORE? | QUARTER BEFORE? | MONTH_RANGE | MONTH day_part? BEFORE?

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
        _check_year(tokenizer, start, year)
        return _after_year(tokenizer, start, year, 0)
    if tokenizer.check("TWO_DIGIT_YEAR"):
        # "24年6月": a two-digit year is in this century (2000–2099).
        year = 2000 + int(tokenizer.read().match["y"])
        return _after_year(tokenizer, start, year, 0)
    if tokenizer.check("YEAR_END"):
        tokenizer.read()
        return _before(tokenizer, Deadline("", month=12))
    if tokenizer.check("REL_YEAR"):
        offset = RELATIVE_YEARS[normalize(tokenizer.read().text)]
        return _after_year(tokenizer, start, None, offset)
    part = _year_part(tokenizer, start, None, 0, explicit=explicit)
    if part is None or (explicit and isinstance(part, Period)):
        tokenizer.position = start
        return None
    return part


def _after_year(
    tokenizer: Tokenizer, start: int, year: int | None, offset: int
) -> Deadline | Period:
    """YEAR (year_part | MONTH_END | BEFORE)?  -- a year alone is the whole year"""
    part = _year_part(tokenizer, start, year, offset, explicit=False)
    if part is not None:
        return part
    if tokenizer.check("BAD_MONTH"):
        bad = tokenizer.read()
        raise tokenizer.error("月份无效 (invalid month)", span_start=bad.position)
    if tokenizer.check("MONTH_END"):
        tokenizer.read()
        return _before(tokenizer, Deadline("", month=12, year=year, year_offset=offset))
    if tokenizer.check("BEFORE"):
        tokenizer.read()
        return Deadline("", month=12, year=year, year_offset=offset)
    return Period("", first_month=1, last_month=12, year=year, year_offset=offset)


def _year_part(
    tokenizer: Tokenizer, start: int, year: int | None, offset: int, *, explicit: bool
) -> Deadline | Period | None:
    """year_part = MONTH_RANGE | MONTH day_part? (MONTH_TO YEAR? MONTH)? | HALF | QUARTER"""
    if tokenizer.check("HALF"):
        match = tokenizer.read().match
        last = 6 if match["h"] == "上" else 12
        return _span_end(tokenizer, match["end"], last - 5, last, year, offset)
    if tokenizer.check("QUARTER"):
        match = tokenizer.read().match
        q = match["q"] or match["qq"]
        quarter = int(q) if q.isdigit() else int(chinese_number(q))
        return _span_end(
            tokenizer, match["end"] or match["qend"], quarter * 3 - 2, quarter * 3, year, offset
        )
    if tokenizer.check("MONTH_RANGE"):
        token = tokenizer.read()
        first, last = int(token.match["m1"]), int(token.match["m2"])
        if not 1 <= first <= last <= 12:
            raise tokenizer.error("月份范围无效 (invalid month range)", span_start=token.position)
        period = Period("", first_month=first, last_month=last, year=year, year_offset=offset)
        return _before_period(tokenizer, period)
    if tokenizer.check("MONTH"):
        month = _small_number(tokenizer.read().match["m"])
        return _month(tokenizer, year, offset, month, explicit=explicit)
    return None


def _span_end(
    tokenizer: Tokenizer, end_word: str | None, first: int, last: int, year: int | None, offset: int
) -> Deadline | Period:
    """上半年 / 三季度: a period; with 末/底 or 前, a deadline at its end."""
    if end_word or tokenizer.check("BEFORE"):
        return _before(tokenizer, Deadline("", month=last, year=year, year_offset=offset))
    return Period("", first_month=first, last_month=last, year=year, year_offset=offset)


def _month(
    tokenizer: Tokenizer, year: int | None, offset: int, month: int, *, explicit: bool
) -> Deadline | Period:
    """MONTH day_part? (MONTH_TO YEAR? MONTH)? BEFORE?  -- a month alone is a period"""
    start = tokenizer.position
    if tokenizer.check("DAY_RANGE"):
        token = tokenizer.read()
        first, last = int(token.match["d1"]), int(token.match["d2"])
        _check_day(tokenizer, token.position, year, month, last)
        if first > last:
            raise tokenizer.error("日期范围无效 (invalid day range)", span_start=token.position)
        period = Period(
            "", month, month, year=year, year_offset=offset, last_day=last, first_day=first
        )
        return _before_period(tokenizer, period)
    if tokenizer.check("DAY"):
        token = tokenizer.read()
        day = _small_number(token.match["d"])
        _check_day(tokenizer, token.position, year, month, day)
        return _before(tokenizer, Deadline("", month=month, day=day, year=year, year_offset=offset))
    if tokenizer.check("XUN"):
        xun = tokenizer.read().match["x"]
        day_of: int | None = {"上": 10, "中": 20, "下": None}[xun]
        return _before(
            tokenizer, Deadline("", month=month, day=day_of, year=year, year_offset=offset)
        )
    if tokenizer.check("MONTH_END"):
        tokenizer.read()
        return _before(tokenizer, Deadline("", month=month, year=year, year_offset=offset))
    if tokenizer.check("MONTH_MID"):
        tokenizer.read()
        deadline = Deadline("", month=month, day=_MONTH_MID_DAY, year=year, year_offset=offset)
        warning = "「月中」按当月15日计 (mid-month read as the 15th)"
        return _before(tokenizer, attrs.evolve(deadline, warnings=(warning,)))
    if tokenizer.check("BEFORE"):
        tokenizer.read()
        return Deadline("", month=month, year=year, year_offset=offset)
    if not explicit and tokenizer.check("MONTH_TO"):
        tokenizer.read()
        spanned = _month_to(tokenizer, year, offset, month)
        if spanned is not None:
            return spanned
        tokenizer.position = start
    return Period("", first_month=month, last_month=month, year=year, year_offset=offset)


def _month_to(tokenizer: Tokenizer, year: int | None, offset: int, first: int) -> Period | None:
    """MONTH_TO YEAR? MONTH  -- 2024年2月-5月, 2024年10月-2025年3月"""
    end_year = year
    if tokenizer.check("YEAR"):
        year_text = tokenizer.read().match["y"]
        end_year = int(year_text) if year_text.isdigit() else int(chinese_number(year_text))
    if not tokenizer.check("MONTH"):
        return None
    last = _small_number(tokenizer.read().match["m"])
    if end_year is not None and year is not None and end_year < year:
        raise tokenizer.error("结束年份早于开始年份 (the period ends before it starts)")
    crosses = end_year is not None and year is not None and end_year > year
    if not crosses and last < first:
        raise tokenizer.error("月份范围无效 (invalid month range)")
    period = Period(
        "",
        first_month=first,
        last_month=last,
        year=end_year,
        year_offset=offset,
        first_year=year if crosses else None,
    )
    return _before_period(tokenizer, period)


def _before(tokenizer: Tokenizer, deadline: Deadline) -> Deadline:
    """BEFORE?  -- "前" after a date: on or before it"""
    tokenizer.consume("BEFORE")
    return deadline


def _before_period(tokenizer: Tokenizer, period: Period) -> Period:
    tokenizer.consume("BEFORE")
    return period


def _check_year(tokenizer: Tokenizer, start: int, year: int) -> None:
    if not 1900 <= year <= 2199:
        raise tokenizer.error(f"年份 {year} 无效 (invalid year)", span_start=start)


def _check_day(tokenizer: Tokenizer, start: int, year: int | None, month: int, day: int) -> None:
    leap_safe_year = year if year is not None else 2024
    if year is not None and not 1900 <= year <= 2199:
        raise tokenizer.error(f"年份 {year} 无效 (invalid year)", span_start=start)
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(leap_safe_year, month)[1]:
        raise tokenizer.error("日期无效 (invalid date)", span_start=start)


def _small_number(text: str) -> int:
    return int(text) if text.isdigit() else int(chinese_number(text))
