"""Vocabulary tables and the tokenizer behind :func:`perfscore.parse_target`.

The words people use for comparators, deadlines and completion are data, in
the tables below: adding ``不多于`` is a one-line change.  The tokenizer is
context-driven (as in pypa/packaging): the parser asks "is there a NUMBER
here?" and the tokenizer tries only that rule at the current position, which
is what lets ``一`` be a numeral in ``一百人`` and a word in ``一般债券``.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal

import attrs

from .errors import TargetSyntaxError
from .units import vocabulary
from .values import Comparator, Outcome

__all__ = [
    "COMPARATOR_SUFFIXES",
    "COMPARATOR_SYMBOLS",
    "COMPARATOR_WORDS",
    "DONE_WORDS",
    "OUTCOME_PHRASES",
    "Token",
    "Tokenizer",
    "chinese_number",
    "normalize",
]

# --- vocabulary --------------------------------------------------------------

COMPARATOR_SYMBOLS: dict[str, Comparator] = {
    ">=": Comparator.GE,
    "<=": Comparator.LE,
    "≥": Comparator.GE,
    "≤": Comparator.LE,
    ">": Comparator.GT,
    "<": Comparator.LT,
    "=": Comparator.EQ,
}

# Written before the number: "不少于10人", "控制在160万元以内".
COMPARATOR_WORDS: dict[str, Comparator] = {
    "不少于": Comparator.GE,
    "不低于": Comparator.GE,
    "不小于": Comparator.GE,
    "不下于": Comparator.GE,
    "大于等于": Comparator.GE,
    "大于或等于": Comparator.GE,
    "高于或等于": Comparator.GE,
    "至少": Comparator.GE,
    "最少": Comparator.GE,
    "最低": Comparator.GE,
    "达到": Comparator.GE,
    "达": Comparator.GE,
    "大于": Comparator.GT,
    "高于": Comparator.GT,
    "超过": Comparator.GT,
    "多于": Comparator.GT,
    "不超过": Comparator.LE,
    "不高于": Comparator.LE,
    "不多于": Comparator.LE,
    "不大于": Comparator.LE,
    "小于等于": Comparator.LE,
    "小于或等于": Comparator.LE,
    "低于或等于": Comparator.LE,
    "控制在": Comparator.LE,
    "最多": Comparator.LE,
    "至多": Comparator.LE,
    "最高": Comparator.LE,
    "小于": Comparator.LT,
    "低于": Comparator.LT,
    "少于": Comparator.LT,
    "等于": Comparator.EQ,
}

# Written after the number: "90%以上", "10个工作日内".
COMPARATOR_SUFFIXES: dict[str, Comparator] = {
    "及以上": Comparator.GE,
    "或以上": Comparator.GE,
    "以上": Comparator.GE,
    "及以下": Comparator.LE,
    "或以下": Comparator.LE,
    "以下": Comparator.LE,
    "以内": Comparator.LE,
    "之内": Comparator.LE,
    "内": Comparator.LE,
}

# "…前": after a date it means "on or before".
BEFORE_WORDS: tuple[str, ...] = ("之前", "以前", "前", "为止", "止")

# Words that may follow a value without saying anything more ("12月底前完成").
DONE_WORDS: tuple[str, ...] = (
    "全部完成",
    "前完成",
    "已完成",
    "完成",
    "完工",
    "办结",
    "结束",
    "到位",
    "实施完毕",
    "完毕",
    "左右",
)

# Year-end words: "年底前" means by 31 December of the evaluation year.
YEAR_END_WORDS: tuple[str, ...] = ("年底", "年末", "年内", "年终", "本年度内", "本年内", "当年")

# Phrases that judge a qualitative actual value; searched longest first and the
# last one found wins, so "部分达成" is not read as "达成".
OUTCOME_PHRASES: dict[str, Outcome] = {
    "全部达到预期指标": Outcome.ACHIEVED,
    "全部达成预期指标": Outcome.ACHIEVED,
    "达到预期指标": Outcome.ACHIEVED,
    "达成预期指标": Outcome.ACHIEVED,
    "达到预期目标": Outcome.ACHIEVED,
    "达成预期目标": Outcome.ACHIEVED,
    "达到预期": Outcome.ACHIEVED,
    "符合预期": Outcome.ACHIEVED,
    "全部完成": Outcome.ACHIEVED,
    "按期完成": Outcome.ACHIEVED,
    "按时完成": Outcome.ACHIEVED,
    "如期完成": Outcome.ACHIEVED,
    "已完成": Outcome.ACHIEVED,
    "已达成": Outcome.ACHIEVED,
    "已实现": Outcome.ACHIEVED,
    "完成": Outcome.ACHIEVED,
    "达成": Outcome.ACHIEVED,
    "达标": Outcome.ACHIEVED,
    "实现": Outcome.ACHIEVED,
    "部分达成": Outcome.PARTIAL,
    "部分完成": Outcome.PARTIAL,
    "部分实现": Outcome.PARTIAL,
    "部分达到": Outcome.PARTIAL,
    "基本完成": Outcome.PARTIAL,
    "基本达成": Outcome.PARTIAL,
    "基本实现": Outcome.PARTIAL,
    "基本达到": Outcome.PARTIAL,
    "未达成": Outcome.NOT_ACHIEVED,
    "未完成": Outcome.NOT_ACHIEVED,
    "未达到": Outcome.NOT_ACHIEVED,
    "未实现": Outcome.NOT_ACHIEVED,
    "未达标": Outcome.NOT_ACHIEVED,
    "没有完成": Outcome.NOT_ACHIEVED,
    "未能完成": Outcome.NOT_ACHIEVED,
    "未能达到": Outcome.NOT_ACHIEVED,
    "未开展": Outcome.NOT_ACHIEVED,
}

# One-to-one folding of full-width and look-alike characters, so positions in
# the normalised text are positions in the original (NFKC would move them).
_FOLD = str.maketrans(
    "０１２３４５６７８９％＝﹦＞＜≧≦．－～＊×／　，；;：（）",
    "0123456789%==><≥≤.-~**/ ，；；:()",
)


def normalize(text: str) -> str:
    """Fold full-width digits and symbols to their ASCII forms, keeping every position."""
    return text.translate(_FOLD)


# --- Chinese numerals ----------------------------------------------------------

_CN_DIGITS = {
    "零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "两": 2, "贰": 2,
    "三": 3, "叁": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6,
    "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}  # fmt: skip
_CN_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_LARGE = {"万": 10_000, "亿": 100_000_000}
CN_NUMERAL_CHARS = "".join([*_CN_DIGITS, *_CN_SMALL, *_CN_LARGE])


def _cn_integer(text: str) -> int:
    if all(ch in _CN_DIGITS for ch in text) and len(text) > 1:
        # Digit by digit, as in years: 二〇二三 → 2023.
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))
    total = section = digit = 0
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_SMALL:
            section += (digit or 1) * _CN_SMALL[ch]
            digit = 0
        else:
            total = (total + section + digit) * _CN_LARGE[ch]
            section = digit = 0
    return total + section + digit


def chinese_number(text: str) -> Decimal:
    """Read a Chinese numeral: ``一百`` → 100, ``两万`` → 20000, ``二〇二三`` → 2023."""
    whole, _, fraction = text.partition("点")
    value = Decimal(_cn_integer(whole)) if whole else Decimal(0)
    if fraction:
        digits = "".join(str(_CN_DIGITS[ch]) for ch in fraction)
        value += Decimal(f"0.{digits}")
    return value


# --- tokens --------------------------------------------------------------------


def _alternation(words: object) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # type: ignore[call-overload]


_CN = f"[{CN_NUMERAL_CHARS}]"
_CN_YEAR = "[〇○零一二三四五六七八九]{4}"


@functools.cache
def _rules() -> dict[str, re.Pattern[str]]:
    vocab = vocabulary()
    rules = {
        "SPACE": r"\s+",
        "SEP": r"[，；,]",
        "CMP_SYMBOL": _alternation(COMPARATOR_SYMBOLS),
        "CMP_WORD": _alternation(COMPARATOR_WORDS),
        "CMP_SUFFIX": _alternation(COMPARATOR_SUFFIXES),
        "PERCENT_WORDS": rf"百分之(?P<pct>\d+(?:\.\d+)?|{_CN}+(?:点{_CN}+)?)",
        "NUMBER": r"-?(?:\d{1,3}(?:,\d{3})+(?:\.\d*)?|\d+\.?\d*|\.\d+)",
        "CN_NUMBER": rf"{_CN}+(?:点{_CN}+)?",
        "TIMES": r"\*",
        "MULTIPLIER": _alternation(vocab.multipliers),
        "UNIT": _alternation(vocab.units),
        "YMD": r"(?P<y>\d{4})\s*(?P<s>[./-])\s*(?P<m>\d{1,2})\s*(?P=s)\s*(?P<d>\d{1,2})(?:日|号)?",
        "YEAR": rf"(?P<y>\d{{4}}|{_CN_YEAR})\s*年(?:度)?",
        "MONTH_RANGE": r"(?P<m1>\d{1,2})\s*[-~至到]\s*(?P<m2>\d{1,2})\s*月(?:份)?",
        "MONTH": r"(?P<m>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月(?:份)?",
        "DAY": (
            r"(?P<d>3[01]|[12]\d|0?[1-9]|三十一?|二十[一二三四五六七八九]?"
            r"|十[一二三四五六七八九]?|[一二三四五六七八九])\s*[日号]"
        ),
        "MONTH_END": r"底|末|末前",
        "BAD_MONTH": r"\d+\s*月",
        "YEAR_END": _alternation(YEAR_END_WORDS),
        "BEFORE": _alternation(BEFORE_WORDS),
        "DONE": _alternation(DONE_WORDS),
    }
    return {name: re.compile(pattern) for name, pattern in rules.items()}


@attrs.frozen
class Token:
    """One token: the rule that matched, its text, position and regex groups."""

    name: str
    text: str
    position: int
    match: re.Match[str]


class Tokenizer:
    """Context-sensitive tokenizer: the parser asks for a rule, the tokenizer tries it.

    ``source`` is the text as given (for errors); matching runs on its
    :func:`normalize`\\ d form, which has the same positions.
    """

    def __init__(self, source: str, *, start: int = 0, end: int | None = None) -> None:
        self.source = source
        self.text = normalize(source)
        self.position = start
        self.end = len(source) if end is None else end
        self.rules = _rules()
        self.next_token: Token | None = None

    def check(self, name: str) -> bool:
        """Whether the next token (after spaces) matches rule ``name``; remembers it."""
        self._skip_spaces()
        match = self.rules[name].match(self.text, self.position, self.end)
        if match is None:
            return False
        self.next_token = Token(name, match.group(0), self.position, match)
        return True

    def read(self) -> Token:
        """Consume and return the token found by the last successful :meth:`check`."""
        token = self.next_token
        assert token is not None, "read() without a successful check()"
        self.position += len(token.text)
        self.next_token = None
        return token

    def consume(self, name: str) -> Token | None:
        """Read a ``name`` token if one is next, else return None."""
        return self.read() if self.check(name) else None

    def expect(self, name: str, expected: str) -> Token:
        """Read a ``name`` token or raise :class:`TargetSyntaxError` saying what was expected."""
        if not self.check(name):
            raise self.error(f"Expected {expected}")
        return self.read()

    def at_end(self) -> bool:
        """Whether only spaces remain."""
        self._skip_spaces()
        return self.position >= self.end

    def rest(self) -> str:
        """The source text from the current position to the end, unconsumed."""
        return self.source[self.position : self.end].strip()

    def error(
        self, message: str, *, span_start: int | None = None, span_end: int | None = None
    ) -> TargetSyntaxError:
        """Build a syntax error pointing from ``span_start`` (default: here) to ``span_end``."""
        start = self.position if span_start is None else span_start
        stop = max(self.position if span_end is None else span_end, start + 1)
        return TargetSyntaxError(message, source=self.source, span=(start, stop))

    def _skip_spaces(self) -> None:
        match = self.rules["SPACE"].match(self.text, self.position, self.end)
        if match:
            self.position = match.end()
