"""One indicator row of a 绩效自评表 or 绩效目标表, as written.

An :class:`Indicator` keeps the texts as the user wrote them; parsing and
scoring happen later (:mod:`perfscore.parse.targets`, :mod:`perfscore.score.scoring`), so
a row that cannot be scored is still a row.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

import attrs

from .errors import ReadError

__all__ = [
    "COLUMNS",
    "LEVEL1_NAMES",
    "LEVEL2_NAMES",
    "MAX_POINTS",
    "SELF_EVALUATION_HEADER",
    "Indicator",
    "column_for_header",
    "fold_label",
    "parse_decimal",
    "parse_points",
]

# The level names of the official forms (财预〔2020〕10号 and 财预〔2021〕101号).
# Readers recognise level cells by these exact names; 成本指标 is both a 一级
# (since 101号) and a 二级 under 产出指标 (older tables).
LEVEL1_NAMES = frozenset({"产出指标", "效益指标", "满意度指标", "成本指标"})
LEVEL2_NAMES = frozenset(
    {
        "数量指标",
        "质量指标",
        "时效指标",
        "成本指标",
        "经济效益指标",
        "社会效益指标",
        "生态效益指标",
        "可持续影响指标",
        "服务对象满意度",
        "服务对象满意度指标",
        "经济成本指标",
        "社会成本指标",
        "生态环境成本指标",
    }
)

# Header spellings, by field.  Chinese as the official templates write them,
# English for systems that export their own names.  Matching ignores spaces,
# case and anything in brackets, so "分值（分）" and "Weight" both work.
COLUMNS: dict[str, tuple[str, ...]] = {
    "goal": ("绩效目标", "目标序号", "年度绩效目标", "年度指标完成情况", "goal"),
    "level1": ("一级指标", "level1", "level_1"),
    "level2": ("二级指标", "level2", "level_2"),
    "level3": ("三级指标", "level3", "level_3", "indicator", "指标名称"),
    "description": ("绩效指标描述", "指标描述", "description"),
    "target": (
        "年度指标值",
        "指标值",
        "目标值",
        "年度目标值",
        "绩效指标值",
        "target",
    ),
    "actual": ("实际完成值", "全年实际值", "实际值", "完成值", "全年实际完成值", "actual"),
    "weight": ("分值", "权重", "指标分值", "权重分", "weight"),
    "score": ("得分", "自评得分", "实际得分", "score", "published"),
    "reason": (
        "偏差原因分析及改进措施",
        "偏差原因分析",
        "偏差原因",
        "未完成原因分析",
        "原因分析",
        "reason",
    ),
    "basis": ("指标值确定依据", "确定依据", "basis"),
}


# The indicator table's header on the official 绩效自评表, in its column order.
SELF_EVALUATION_HEADER: tuple[str, ...] = (
    "绩效目标",
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
)


def fold_label(text: str) -> str:
    """Fold a header or label for matching: ``"分值（分）"`` → ``"分值"``, "Weight" → "weight".

    Drops spaces, case and anything in brackets, because forms add units and notes there.
    """
    out = []
    depth = 0
    for ch in text.strip().lower():
        if ch in "(（[【":
            depth += 1
        elif ch in ")）]】":
            depth = max(0, depth - 1)
        elif depth == 0 and not ch.isspace():
            out.append(ch)
    return "".join(out)


_HEADER_INDEX = {fold_label(h): field for field, hs in COLUMNS.items() for h in hs}


def column_for_header(header: str) -> str | None:
    """Return the :class:`Indicator` field a header names, or None: ``"分值"`` → ``"weight"``."""
    return _HEADER_INDEX.get(fold_label(header))


_SPACES = str.maketrans("", "", " \t\u3000\xa0,，")


# Bounds on any number read from a cell or given to the API, checked before the text is
# converted: a real 分值, 得分 or budget has a few digits; 1e999999 or a 30-digit score is a
# slip or an attack (formatting 1e999999 writes a million digits).
MAX_NUMBER_TEXT = 64  # characters of a number cell
MAX_DIGITS = 28  # significant digits: the precision perfscore computes in
MAX_MAGNITUDE = 20  # 10^-20 … 10^20
OUT_OF_RANGE = (
    f"数字超出可读范围（最多 {MAX_DIGITS} 位有效数字、数量级不超过 10^{MAX_MAGNITUDE}），按空白读取"
    f" (number out of range: at most {MAX_DIGITS} significant digits and 10^{MAX_MAGNITUDE};"
    " read as empty)"
)


def parse_decimal(text: object) -> Decimal | None:
    """Read a weight or score cell: ``"2"``, ``" 1.5 "``, ``2.0``, ``"１.５"``; empty → None.

    Raises :class:`ValueError` for text that is not a plain finite number within
    :data:`MAX_DIGITS` significant digits and 10^±:data:`MAX_MAGNITUDE`.
    """
    if text is None:
        return None
    if isinstance(text, bool):
        raise ValueError(f"not a number: {text!r}")
    if isinstance(text, int):
        return check_decimal(Decimal(text) if abs(text) < 10**MAX_DIGITS else Decimal("Inf"))
    if isinstance(text, Decimal):
        return check_decimal(text)
    if isinstance(text, float):
        # Spreadsheet floats: go through repr so 0.3 stays 0.3, not 0.2999….
        return check_decimal(Decimal(repr(text)))
    cleaned = str(text)[: MAX_NUMBER_TEXT * 2].translate(_SPACES)
    cleaned = cleaned.translate(_FULLWIDTH_DIGITS)
    if cleaned in ("", "-", "—", "/", "－"):
        return None
    if len(cleaned) > MAX_NUMBER_TEXT:
        raise ValueError(OUT_OF_RANGE)
    try:
        value = Decimal(cleaned.removesuffix("分"))
    except InvalidOperation:
        raise ValueError(f"not a number: {text!r}") from None
    return check_decimal(value)


def check_decimal(value: Decimal) -> Decimal:
    """Return ``value`` if finite and within the bounds; else raise :class:`ValueError`."""
    if not value.is_finite():
        raise ValueError(f"not a number: {value}")
    _sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    if not value:  # 0E+999999 is zero: keep it from formatting as a million zeros
        return value if abs(exponent) <= MAX_MAGNITUDE else Decimal(0)
    significant = len(digits)
    while significant and digits[significant - 1] == 0:
        significant -= 1
    if significant > MAX_DIGITS or not -MAX_MAGNITUDE <= value.adjusted() <= MAX_MAGNITUDE:
        raise ValueError(OUT_OF_RANGE)
    if exponent > MAX_MAGNITUDE or exponent < -MAX_DIGITS - MAX_MAGNITUDE:
        raise ValueError(OUT_OF_RANGE)
    return value


# A 分值 or 得分 is points out of a 100-point form (a few schemes use 1000): a negative
# or larger number is a typing slip (元 in the points column, a stray minus), never points.
MAX_POINTS = 1000


def parse_points(text: object) -> Decimal | None:
    """Read a 分值/得分 cell like :func:`parse_decimal`, refusing points outside 0–1000.

    Raises :class:`ValueError` whose message says why, in Chinese and English.
    """
    try:
        value = parse_decimal(text)
    except ValueError as error:
        if str(error) != OUT_OF_RANGE or _fewer_digits(text):
            raise
        value = Decimal(MAX_POINTS + 1)  # 1E+26 points: out of 0–1000, say so
    if value is not None and not 0 <= value <= MAX_POINTS:
        raise ValueError(
            f"分值/得分应在 0–{MAX_POINTS} 之间，按空白读取"
            f" (points must be between 0 and {MAX_POINTS}; read as empty)"
        )
    return value


def _fewer_digits(text: object) -> bool:
    """Whether an out-of-range number is small but has too many digits (1.000…0001)."""
    try:
        return abs(Decimal(str(text)[:MAX_NUMBER_TEXT].strip())) <= MAX_POINTS
    except ArithmeticError:
        return True


_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９．－＋", "0123456789.-+")


@attrs.frozen
class Indicator:
    """One indicator row: where it sits (goal, levels), its target and actual texts, and weights.

    ``row`` is the 1-based row (or line) number in the source, used in every
    message about the row.  ``weight`` is the 分值; ``published`` the 得分 the
    unit entered, kept and shown next to the computed score.
    """

    row: int
    level1: str = ""
    level2: str = ""
    level3: str = ""
    target: str = ""
    actual: str = ""
    weight: Decimal | None = attrs.field(default=None, validator=lambda i, a, v: _bounded(a, v))
    published: Decimal | None = attrs.field(default=None, validator=lambda i, a, v: _bounded(a, v))
    reason: str = ""
    goal: str = ""
    description: str = ""
    basis: str = ""

    @property
    def is_cost(self) -> bool:
        """Whether 一级 or 二级 names a 成本 indicator (a ceiling when no comparator is given)."""
        return "成本" in self.level1 or "成本" in self.level2

    @classmethod
    def from_row(cls, row: Mapping[str, object], *, number: int, file: str = "") -> Indicator:
        """Build an indicator from a mapping of header → cell.

        Headers may be Chinese or English in any order (see :data:`COLUMNS`);
        unknown headers are ignored.  A weight or score that is not a number
        raises :class:`ReadError` naming the file, row, column and text.
        """
        fields: dict[str, object] = {}
        headers: dict[str, str] = {}
        for header, cell in row.items():
            field = column_for_header(str(header))
            if field is None or field in fields:
                continue
            fields[field] = cell
            headers[field] = str(header)
        kwargs: dict[str, object] = {}
        for field, cell in fields.items():
            if field in ("weight", "score"):
                try:
                    value = parse_points(cell)
                except ValueError as error:
                    raise ReadError(
                        _reason(error),
                        file=file,
                        row=number,
                        column=headers[field],
                        text=str(cell),
                    ) from None
                kwargs["weight" if field == "weight" else "published"] = value
            else:
                kwargs[field] = "" if cell is None else _text(cell)
        return cls(row=number, **kwargs)  # type: ignore[arg-type]


def _bounded(attribute: attrs.Attribute[object], value: object) -> None:
    """Refuse a NaN, infinite or unbounded weight or score given to :class:`Indicator`."""
    if isinstance(value, Decimal):
        try:
            check_decimal(value)
        except ValueError as error:
            raise ValueError(f"Indicator.{attribute.name}: {error}") from None


def _reason(error: ValueError) -> str:
    """The bilingual reason of a parse_points error: its own, or 不是有效数字."""
    message = str(error)
    return message if message.startswith(("分值", "数字")) else "不是有效数字 (not a number)"


def _text(cell: object) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()
