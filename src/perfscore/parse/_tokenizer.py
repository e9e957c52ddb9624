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

from ..errors import TargetSyntaxError
from ._folding import fold
from ._numerals import NUMERAL_CHARS, parse_chinese_number
from .units import vocabulary
from .values import Approximation, Comparator, Direction

__all__ = [
    "APPROX_INFIXES",
    "APPROX_PREFIXES",
    "APPROX_SUFFIXES",
    "COMPARATOR_SUFFIXES",
    "COMPARATOR_SYMBOLS",
    "COMPARATOR_WORDS",
    "DIRECTION_WORDS",
    "DONE_WORDS",
    "FLAT_WORDS",
    "PLAN_NAMES",
    "RATE_JOINERS",
    "RELATIVE_YEARS",
    "ROUGH_PAIRS",
    "ROUGH_WORDS",
    "TOLERANCE_LABELS",
    "Token",
    "Tokenizer",
    "chinese_number",
    "normalize",
    "simple_quantity_pattern",
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
    # An actual "不足95%" states a bound below 95%: read, never passed over (issue 18).
    "不足": Comparator.LT,
    "不到": Comparator.LT,
    "未满": Comparator.LT,
    "未超过": Comparator.LE,
    "等于": Comparator.EQ,
    "不超出": Comparator.LE,
    "不突破": Comparator.LE,
    "不得超过": Comparator.LE,
    "不得高于": Comparator.LE,
    "不得低于": Comparator.GE,
    "不得少于": Comparator.GE,
    "不低于或等于": Comparator.GE,
    "大于或者等于": Comparator.GE,
    "小于或者等于": Comparator.LE,
    "达到或超过": Comparator.GE,
    "提高到": Comparator.GE,
    "提高至": Comparator.GE,
    "提升到": Comparator.GE,
    "提升至": Comparator.GE,
    "增加到": Comparator.GE,
    "增加至": Comparator.GE,
    "增长到": Comparator.GE,
    "增长至": Comparator.GE,
    "降低到": Comparator.LE,
    "降低至": Comparator.LE,
    "下降到": Comparator.LE,
    "下降至": Comparator.LE,
    "减少到": Comparator.LE,
    "减少至": Comparator.LE,
    "压缩到": Comparator.LE,
    "压缩至": Comparator.LE,
    "控制到": Comparator.LE,
    "保持在": Comparator.GE,
    "维持在": Comparator.GE,
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
    "以下（含）": Comparator.LE,
    "以上（含）": Comparator.GE,
    "(含)以上": Comparator.GE,
    "（含）以上": Comparator.GE,
    "及其以上": Comparator.GE,
    "以下(含)": Comparator.LE,
    "以上(含)": Comparator.GE,
}

# Approximations ("约1200人", "1200余人", "1200人左右", "近1000人").  Kept on the
# value with a warning: a reviewer decides whether "about" meets a threshold.
APPROX_PREFIXES: dict[str, Approximation] = {
    "约": Approximation.ABOUT,
    "大约": Approximation.ABOUT,
    "约为": Approximation.ABOUT,
    "大概": Approximation.ABOUT,
    "预计": Approximation.ABOUT,
    "近": Approximation.JUST_UNDER,
    "将近": Approximation.JUST_UNDER,
    "接近": Approximation.JUST_UNDER,
    "逾": Approximation.MORE_THAN,
    "超": Approximation.MORE_THAN,
}
# Between the number and its unit: "1200余人", "二十多项".
APPROX_INFIXES: dict[str, Approximation] = {
    "余": Approximation.MORE_THAN,
    "多": Approximation.MORE_THAN,
    "来": Approximation.ABOUT,
}
# After the unit: "1200人左右".
APPROX_SUFFIXES: dict[str, Approximation] = {
    "左右": Approximation.ABOUT,
    "上下": Approximation.ABOUT,
    "有余": Approximation.MORE_THAN,
    "余": Approximation.MORE_THAN,
    "多": Approximation.MORE_THAN,
}

# 概数: two neighbouring digits give a range (三四十万 = 30–40万, 七百三四十 = 730–740,
# 十七八万 = 17–18万, 两三个 = 2–3个).  The pairs people write, low digit first.
ROUGH_PAIRS: tuple[str, ...] = (
    "一二", "一两", "两三", "二三", "三四", "四五", "五六", "六七", "七八", "八九", "三五",
)  # fmt: skip
# 概数 written as words of their own: 百八十 is "eighty to a hundred".
ROUGH_WORDS: dict[str, tuple[int, int]] = {
    "百八十": (80, 100), "百儿八十": (80, 100), "千八百": (800, 1000), "千儿八百": (800, 1000),
    "万儿八千": (8000, 10000),
}  # fmt: skip
# Five-year plans are names, never numbers: 十三五 is not 13–15.
PLAN_NAMES: tuple[str, ...] = ("十一五", "十二五", "十三五", "十四五", "十五五")
# 成 is a tenth: 九成 = 90%, 七成五 = 75%, 8.5成 = 85%.  Not in words that start with 成.
CHENG_WORDS_AFTER: str = "本效果员功立为熟绩交型品就长年都套片批群"

# Between the denominators of a rate: 元/人·年, 元/人*月, 元/人/月.
RATE_JOINERS = "·•・∙*/."

# A change against a baseline: "同比增长8%", "较上年下降3个百分点".
CHANGE_BASES: tuple[str, ...] = (
    "同比", "环比", "较上年度", "较上年", "比上年度", "比上年", "较去年", "比去年",
    "较上一年度", "较上一年", "与上年相比", "与上年度相比", "较基期", "较上期", "比上期",
)  # fmt: skip
DIRECTION_WORDS: dict[str, Direction] = {
    "增长": Direction.RISE,
    "提高": Direction.RISE,
    "上升": Direction.RISE,
    "增加": Direction.RISE,
    "提升": Direction.RISE,
    "增幅": Direction.RISE,
    "上涨": Direction.RISE,
    "增": Direction.RISE,
    "负增长": Direction.FALL,  # 负增长2% is a change of −2%
    "下降": Direction.FALL,
    "减少": Direction.FALL,
    "降低": Direction.FALL,
    "降幅": Direction.FALL,
    "压减": Direction.FALL,
    "缩减": Direction.FALL,
    "减": Direction.FALL,
    "降": Direction.FALL,
}
# No change, or "not below last year": Change(FLAT) with a comparator.
FLAT_WORDS: dict[str, Comparator | None] = {
    "持平": None,
    "与上年持平": None,
    "与上年度持平": None,
    "保持持平": None,
    "基本持平": None,
    "不低于上年水平": Comparator.GE,
    "不低于上年度水平": Comparator.GE,
    "不低于上年度": Comparator.GE,
    "不低于上年": Comparator.GE,
    "不低于去年": Comparator.GE,
    "不少于上年": Comparator.GE,
    "不高于上年水平": Comparator.LE,
    "不高于上年度": Comparator.LE,
    "不高于上年": Comparator.LE,
    "不超过上年水平": Comparator.LE,
    "不超过上年度": Comparator.LE,
    "不超过上年": Comparator.LE,
    "只减不增": Comparator.LE,
    "只降不升": Comparator.LE,
}

# Range separators and the words around a range ("在2-4天内", "10000与20000之间").
RANGE_PREFIXES: tuple[str, ...] = ("介于", "处于", "在")
RANGE_SEPARATORS: tuple[str, ...] = ("-", "~", "—", "至", "到", "与", "和", "—")
RANGE_SUFFIXES: tuple[str, ...] = ("之间", "区间内", "区间", "范围内", "以内", "之内", "内")

# Words before a ≤ value that make it a permitted deviation: "误差不超过2%".
TOLERANCE_LABELS: tuple[str, ...] = (
    "偏差率", "偏差", "误差率", "误差", "偏离度", "偏离率", "偏离", "差异率", "浮动",
)  # fmt: skip

# Zero-incident targets and "nothing happened" actuals: "零事故", "无安全事故",
# "未发生", "无".
ZERO_PREFIXES: tuple[str, ...] = (
    "未发生", "不发生", "没有发生", "无发生", "杜绝", "零", "无",
)  # fmt: skip
# ...but not these, which are words of their own.
ZERO_EXCEPTIONS: tuple[str, ...] = (
    "无法", "无明显", "无较大", "零星", "零散", "无偿", "无障碍", "无纸化", "无缝",
    "无人机", "零售", "零距离", "零碳",
)  # fmt: skip

# Relative years: years after the evaluation year.  Never the clock's year.
RELATIVE_YEARS: dict[str, int] = {
    "次年度": 1, "次年": 1, "下一年度": 1, "下一年": 1, "下年度": 1, "下年": 1, "明年": 1,
    "翌年": 1, "本年度": 0, "本年": 0, "今年": 0, "当年度": 0, "上年度": -1, "上年": -1,
    "去年": -1, "上一年度": -1,
}  # fmt: skip

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
)

# Year-end words: "年底前" means by 31 December of the evaluation year.
YEAR_END_WORDS: tuple[str, ...] = ("年底", "年末", "年内", "年终", "本年度内", "本年内", "当年")


def normalize(text: str) -> str:
    """Fold full-width, look-alike and traditional characters, keeping every position."""
    return fold(text)


# --- Chinese numerals ----------------------------------------------------------

CN_NUMERAL_CHARS = NUMERAL_CHARS


def chinese_number(text: str) -> Decimal:
    """Read a Chinese numeral exactly: ``一百`` → 100, ``三万五`` → 35000, ``二〇二三`` → 2023.

    See :mod:`perfscore.parse._numerals` for the grammar; unreadable numerals raise
    :class:`~perfscore.errors.TargetSyntaxError`.
    """
    return parse_chinese_number(text)


# --- tokens --------------------------------------------------------------------


def _alternation(words: object) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # type: ignore[call-overload]


_CN = f"[{CN_NUMERAL_CHARS}]"
_CN_DIGIT = "[零〇一二两三四五六七八九]"
_CN_HEAD = "[" + CN_NUMERAL_CHARS.replace("万", "").replace("亿", "") + "]"
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
        "PERCENT_WORDS": (rf"(?P<per>百|千|万)分之(?P<pct>\d+(?:\.\d+)?|{_CN}+(?:点{_CN}+)?)"),
        # 五元三角, 八元六角四分, 两毛五, 3元5角: money with 角/毛 and 分 (at least one).
        "MONEY": (
            rf"(?:(?P<yuan>\d+|{_CN}+)[元块])?(?P<jiao>\d|{_CN_DIGIT})[角毛]"
            rf"(?:(?P<fen>\d|{_CN_DIGIT})分?)?"
            rf"|(?P<yuan2>\d+|{_CN}+)[元块](?P<fen2>\d|{_CN_DIGIT})分"
        ),
        # 3万2千, 100万五千, 1亿2000万: Arabic digits mixed with Chinese units.
        "MIXED_NUMBER": rf"-?\d+[千百十万亿](?:[千百十万亿]|\d+|{_CN_DIGIT}+)+(?![\d.])",
        # ASCII digits only (other scripts' digits are refused before reading);
        # a comma groups by three (check_digits refuses any other comma between digits).
        "NUMBER": (
            r"(?:-|负)?(?:[1-9][0-9]{0,2}(?:[,，][0-9]{3}(?![0-9]))+(?:\.[0-9]*)?"
            r"|[0-9]+\.?[0-9]*|\.[0-9]+)"
        ),
        # A numeral starts with a digit, 十/百/千 or 廿/卅/卌, never with 万/亿.
        "CN_NUMBER": rf"负?{_CN_HEAD}{_CN}*(?:分之{_CN}+)?(?:点{_CN}+)?",
        "TIMES": r"\*",
        "MULTIPLIER": _alternation(vocab.multipliers),
        "UNIT": _alternation(vocab.units),
        # 万元/个, 元/人·年, 人次/年, /户, 元/人*月, 元/人/月: the denominators of a rate.
        "RATE": (
            rf"/\s*(?P<den>(?:{_alternation(vocab.units)})"
            rf"(?:\s*[{RATE_JOINERS}]\s*(?:{_alternation(vocab.units)}))*)"
        ),
        # 95(百分比), 95（%）, 100（人）: the unit echoed in brackets after the number.
        "UNIT_ECHO": (
            rf"\(\s*(?P<echo>{_alternation(vocab.units)})?"
            rf"(?:/\s*(?P<den>(?:{_alternation(vocab.units)})"
            rf"(?:\s*[{RATE_JOINERS}]\s*(?:{_alternation(vocab.units)}))*))?\s*\)"
        ),
        # 七八成: 成 after a 概数 makes it tenths.
        "CHENG_UNIT": rf"成(?![{CHENG_WORDS_AFTER}])",
        "YMD": r"(?P<y>\d{4})\s*(?P<s>[./-])\s*(?P<m>\d{1,2})\s*(?P=s)\s*(?P<d>\d{1,2})(?:日|号)?",
        "YEAR": rf"(?P<y>\d{{4}}|{_CN_YEAR})\s*年(?:度)?",
        "MONTH_RANGE": (
            r"(?P<m1>1[0-2]|0?[1-9])\s*(?:月)?\s*[-~至到—]\s*(?P<m2>1[0-2]|0?[1-9])\s*月(?:份)?"
        ),
        "MONTH": r"(?P<m>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月(?:份)?",
        "DAY": (
            r"(?P<d>3[01]|[12]\d|0?[1-9]|三十一?|二十[一二三四五六七八九]?"
            r"|十[一二三四五六七八九]?|[一二三四五六七八九])\s*[日号]"
        ),
        "MONTH_END": r"底|末|末前",
        "TWO_DIGIT_YEAR": r"(?P<y>\d{2})\s*年(?=\s*(?:1[0-2]|0?[1-9]|[一二三四五六七八九十])\s*月)",
        "REL_YEAR": _alternation(RELATIVE_YEARS),
        "HALF": r"(?P<h>上|下)半年(?:度)?(?P<end>末|底)?",
        "QUARTER": (
            r"(?:第)?(?P<q>[1-4一二三四])\s*季度(?P<end>末|底)?|Q(?P<qq>[1-4])(?P<qend>末)?"
        ),
        "XUN": r"(?P<x>上|中|下)旬",
        "MONTH_MID": r"中(?![旬])",
        "DAY_RANGE": (
            r"(?P<d1>3[01]|[12]\d|0?[1-9])\s*[日号]?\s*[-~至到]\s*(?P<d2>3[01]|[12]\d|0?[1-9])\s*[日号]"
        ),
        "MONTH_TO": r"[-~至到—]",
        "APPROX_PREFIX": _alternation(APPROX_PREFIXES),
        "APPROX_INFIX": _alternation(APPROX_INFIXES),
        "APPROX_SUFFIX": _alternation(APPROX_SUFFIXES),
        "SEVERAL": (
            r"(?:几|数)(?P<unit>[十百千万亿])(?:[几余多])?|(?P<ten>十|[一二三四五六七八九]十)几"
        ),
        "CHENG": (
            rf"(?P<n>十|[一二两三四五六七八九]|[0-9](?:\.[0-9]+)?)成"
            rf"(?P<tail>[一二三四五六七八九]|[0-9](?![0-9.]))?(?![{CHENG_WORDS_AFTER}])"
        ),
        "ROUGH": (
            rf"(?!(?:{_alternation(PLAN_NAMES)})(?![十百千万亿]))"
            rf"(?:(?P<word>{_alternation(ROUGH_WORDS)})"
            # Not after 之: 十之八九 is an idiom ("most likely"), not 8–9.
            r"|(?<!之)(?P<head>(?:[一二两三四五六七八九]?[十百千万亿])*)"
            rf"(?P<pair>{_alternation(ROUGH_PAIRS)})(?P<tail>[十百千]*)"
            r"(?![零〇一二两三四五六七八九十百千月日号季]))"
        ),
        "CHANGE_BASIS": _alternation(CHANGE_BASES),
        "DIRECTION": _alternation(DIRECTION_WORDS),
        "FLAT": _alternation(FLAT_WORDS),
        "PLUS_MINUS": r"±|\+/-|\+-|正负",
        "RANGE_PREFIX": _alternation(RANGE_PREFIXES),
        "RANGE_SEPARATOR": _alternation(RANGE_SEPARATORS),
        "RANGE_SUFFIX": _alternation(RANGE_SUFFIXES),
        "AND": r"且|并且|,且|，且|、",
        "ZERO": rf"(?!{_alternation(ZERO_EXCEPTIONS)})(?:{_alternation(ZERO_PREFIXES)})",
        "BAD_MONTH": r"\d+\s*月",
        "YEAR_END": _alternation(YEAR_END_WORDS),
        "BEFORE": _alternation(BEFORE_WORDS),
        "DONE": _alternation(DONE_WORDS),
    }
    return {name: re.compile(pattern) for name, pattern in rules.items()}


# A number followed by one of these (spaces between) may be a date, money in 角/分,
# an approximation or a ± value, which only the full parser reads: "2024年", "3月",
# "1季度", "5角", "100余人", "100正负2".  The fast path leaves such text alone.
_NOT_SIMPLE_AFTER_NUMBER = "年月季日号角毛余多来正±+*"
# 3万2千, 5千万: a number written with mixed Chinese place words (MIXED_NUMBER).
_MIXED_AHEAD = "[千百十万亿](?:[千百十万亿]|\\d|[零〇一二两三四五六七八九])"


@functools.cache
def simple_quantity_pattern() -> re.Pattern[str]:
    """The whole-text shape ``[comparator] number [multiplier] [unit] [suffix]``, anchored.

    Built from the same rule patterns the tokenizer tries one by one, each in an
    atomic group so that, like the tokenizer, it commits to the first (longest)
    word a rule matches and never backtracks into a shorter one.  It matches only
    when the tokenizer would read the same tokens in the same order: a number that
    may start a date, money, approximation or mixed numeral is left to the full
    parser (see ``_NOT_SIMPLE_AFTER_NUMBER``).  Every quantifier is atomic or
    possessive, so matching is linear in the text's length.
    """
    rules = _rules()
    stop = re.escape(_NOT_SIMPLE_AFTER_NUMBER)
    return re.compile(
        r"\s*+"
        rf"(?>(?P<symbol>{rules['CMP_SYMBOL'].pattern})|(?P<word>{rules['CMP_WORD'].pattern}))?+"
        # An ASCII digit, '-' or '.' starts the number, as a start position of the
        # full parser must ("٣" and other scripts' digits go to the full parser).
        r"\s*+(?=[-.0-9])"
        rf"(?P<number>(?>{rules['NUMBER'].pattern}))"
        rf"(?!{_MIXED_AHEAD})(?!\s*+[{stop}])"
        r"\s*+"
        rf"(?>(?P<unit>{rules['UNIT'].pattern})"
        rf"|(?P<multiplier>{rules['MULTIPLIER'].pattern})\s*+(?P<unit2>{rules['UNIT'].pattern})?)?+"
        r"\s*+"
        rf"(?P<suffix>(?>{rules['CMP_SUFFIX'].pattern}))?+"
        r"\s*+"
    )


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

    def __init__(
        self, source: str, *, start: int = 0, end: int | None = None, folded: str | None = None
    ) -> None:
        self.source = source
        # ``folded`` lets a caller that tries many start positions fold the text once:
        # folding per position would make reading a long text quadratic.
        self.text = normalize(source) if folded is None else folded
        self.position = start
        self.start = start
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
        # Called before every check: test one character before running the regex
        # (str.isspace and the regex's \s are the same Unicode class).
        position = self.position
        if position < self.end and self.text[position].isspace():
            match = self.rules["SPACE"].match(self.text, position, self.end)
            if match:
                self.position = match.end()
