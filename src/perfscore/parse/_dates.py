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
import functools
import re

import attrs

from ._tokenizer import (
    BEFORE_WORDS,
    DONE_WORDS,
    RELATIVE_YEARS,
    YEAR_END_WORDS,
    Tokenizer,
    chinese_number,
    normalize,
)
from .values import Deadline, Period

__all__ = ["read_date", "simple_date"]

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


# --- the fast path: whole texts of the common date and period shapes ---------------


def _words(words: object) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # type: ignore[call-overload]


# The shapes the fast path reads, one row each: (name, pattern).  Each pattern is the
# tokenizer's own rule for that shape with its spaces left out (a text with spaces
# inside goes to the full parser); the year prefix and the words after are shared.
_MONTH = r"1[0-2]|0?[1-9]"
_SHAPES: tuple[tuple[str, str], ...] = (
    # 2024年1-6月, 1月-6月份 (MONTH_RANGE)
    ("months", rf"(?P<m1>{_MONTH})月?[-~至到—](?P<m2>{_MONTH})月份?"),
    # 2024年6月, 6月30日, 12月底 (MONTH, then DAY or MONTH_END)
    ("month", rf"(?P<m>{_MONTH})月份?(?:(?P<d>3[01]|[12][0-9]|0?[1-9])[日号]|(?P<mend>底|末))?"),
    # 上半年, 2024年下半年末 (HALF)
    ("half", r"(?P<h>上|下)半年度?(?P<hend>末|底)?"),
    # 第四季度, 2024年3季度末, Q2 (QUARTER)
    ("quarter", r"第?(?P<q>[1-4一二三四])季度(?P<qend>末|底)?|Q(?P<qq>[1-4])(?P<qqend>末)?"),
    # 2024年底, 次年末 (MONTH_END after a year)
    ("year_end", r"(?P<yend>底|末)"),
)
# Words before a date that hold no character the full parser starts a value at.
_LABELS = ("已于", "于")
_QUARTERS = {"1": 1, "2": 2, "3": 3, "4": 4, "一": 1, "二": 2, "三": 3, "四": 4}
# A relative year that starts with a year-end word is read as that word (当年度 → 当年).
_RELATIVE = [w for w in RELATIVE_YEARS if not w.startswith(tuple(YEAR_END_WORDS))]


@functools.cache
def _simple_date_pattern() -> re.Pattern[str]:
    parts = "|".join(f"(?P<{name}>{pattern})" for name, pattern in _SHAPES)
    return re.compile(
        # 已于2024年12月31日前完成: a label the full parser never starts a value in.
        rf"\s*+(?P<label>{_words(_LABELS)})?(?:"
        # 2024.12.31, 2024-12-31日 (YMD)
        r"(?P<ymd>(?P<ymd_y>[0-9]{4})(?P<s>[./-])(?P<ymd_m>[0-9]{1,2})(?P=s)"
        r"(?P<ymd_d>[0-9]{1,2})(?:日|号)?)"
        # 年底, 年内, 当年 (YEAR_END)
        rf"|(?P<year_word>{_words(YEAR_END_WORDS)})"
        # [2024年 | 次年] then one of the shapes
        rf"|(?:(?P<y>[0-9]{{4}})年度?|(?P<rel>{_words(_RELATIVE)}))?(?:{parts})?"
        ")"
        rf"(?P<before>{_words(BEFORE_WORDS)})?+"
        rf"(?:{_words(DONE_WORDS)})?"
        r"\s*+"
    )


def simple_date(text: str, folded: str) -> Deadline | Period | None:
    """The fast path for a whole text that is one common date or period shape.

    ``2024年12月31日前``, ``2024年底前``, ``12月底前完成``, ``第四季度``, ``2024年6月``,
    ``2024.12.31``, ``次年6月底前``, ``2024年1-6月``, ``上半年``, ``年内完成``,
    ``已于2024年12月31日前完成`` (label ``已于``): one anchored regex over the
    shapes in ``_SHAPES`` instead of trying every rule at every position.
    ``folded`` is ``normalize(text)``.  It returns exactly the value the full
    parser gives (tests compare the two on every case table, on grids of every
    shape × year × month × day × word after, and on Hypothesis texts); anything
    else — another shape, spaces inside, an impossible date, a year outside
    1900–2199 — returns None and goes to the full parser, which reads it or says
    why not.  The text holds only ASCII digits without separators, so
    ``check_digits`` has nothing to refuse.
    """
    match = _simple_date_pattern().fullmatch(folded)
    if match is None:
        return None
    group = match  # (match["name"] is the cheapest way to read one group)
    text = text.strip()
    label = group["label"] or ""
    before = group["before"] is not None
    if group["ymd"]:
        full_year, month, day = int(group["ymd_y"]), int(group["ymd_m"]), int(group["ymd_d"])
        if not _valid_day(full_year, month, day):
            return None
        return Deadline(text, month, day, full_year, label)
    if group["year_word"]:
        return Deadline(text, 12, None, None, label)
    year_text, relative = group["y"], group["rel"]
    year = int(year_text) if year_text else None
    if year is not None and not 1900 <= year <= 2199:
        return None
    offset = RELATIVE_YEARS[relative] if relative else 0
    # Positional fields: Deadline(text, month, day, year, label, trailing, warnings,
    # year_offset) and Period(text, first_month, last_month, year, …, year_offset).
    if group["month"]:
        month = int(group["m"])
        if group["d"]:
            day = int(group["d"])
            if not _valid_day(year, month, day):
                return None
            return Deadline(text, month, day, year, label, "", (), offset)
        if group["mend"] or before:
            return Deadline(text, month, None, year, label, "", (), offset)
        return Period(text, month, month, year, label, "", (), offset)
    if group["months"]:
        first, last = int(group["m1"]), int(group["m2"])
        if first > last:
            return None
        return Period(text, first, last, year, label, "", (), offset)
    if group["half"] or group["quarter"]:
        if group["half"]:
            last, end = (6 if group["h"] == "上" else 12), group["hend"]
        else:
            last = 3 * _QUARTERS[group["q"] or group["qq"]]
            end = group["qend"] or group["qqend"]
        if end or before:
            return Deadline(text, last, None, year, label, "", (), offset)
        first = last - 2 if group["quarter"] else last - 5
        return Period(text, first, last, year, label, "", (), offset)
    if year is None and relative is None:
        return None  # no date at all (前, 完成)
    if group["year_end"] or before:
        return Deadline(text, 12, None, year, label, "", (), offset)
    return Period(text, 1, 12, year, label, "", (), offset)


_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _valid_day(year: int | None, month: int, day: int) -> bool:
    """What _check_day accepts (a year-less day is checked against a leap year)."""
    if year is not None and not 1900 <= year <= 2199:
        return False
    if not 1 <= month <= 12:
        return False
    # calendar.monthrange also computes a weekday: the month's length is all that's needed.
    last = 29 if month == 2 and calendar.isleap(year or 2024) else _MONTH_DAYS[month]
    return 1 <= day <= last
