"""One indicator row of a 绩效自评表 or 绩效目标表, as written.

An :class:`Indicator` keeps the texts as the user wrote them; parsing and
scoring happen later (:mod:`perfscore.parse.targets`, :mod:`perfscore.score.scoring`), so
a row that cannot be scored is still a row.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from .errors import FloatAmountWarning, ReadError

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
    "level1": ("一级指标", "一级绩效指标名称", "level1", "level_1", "lv1_perf_ind_name"),
    "level2": ("二级指标", "二级绩效指标名称", "level2", "level_2", "lv2_perf_ind_name"),
    "level3": (
        "三级指标",
        "三级绩效指标名称",
        "level3",
        "level_3",
        "indicator",
        "指标名称",
        "lv3_perf_ind_name",
    ),
    "description": ("绩效指标描述", "指标描述", "description"),
    "target": (
        "年度指标值",
        "指标值",
        "目标值",
        "年度目标值",
        "绩效指标值",
        "target",
        "kpi_val",
        "indexval",
    ),
    "actual": (
        "实际完成值",
        "全年实际值",
        "实际值",
        "完成值",
        "全年实际完成值",
        "指标值完成情况",
        "actual",
        "ind_comp",
        "actual_val",
        "kpi_actual_val",
    ),
    "weight": ("分值", "权重", "指标分值", "权重分", "weight", "ind_weight"),
    "score": ("得分", "自评得分", "实际得分", "score", "published", "eval_score"),
    "reason": (
        "偏差原因分析及改进措施",
        "偏差原因分析",
        "偏差原因",
        "未完成原因分析",
        "原因分析",
        "偏差分析及整改措施",
        "reason",
        "devi_analy",
    ),
    "basis": ("指标值确定依据", "确定依据", "basis"),
    # A target held as three fields, as 预算管理一体化 systems export it (docs/input-columns.md).
    "comparator": (
        "计算符号",
        "指标性质",
        "运算符",
        "比较符",
        "符号",
        "comparator",
        "computesign",
        "indsymbol",
    ),
    "unit": ("计量单位", "度量单位", "单位", "unit", "meterunit"),
    "initial_target": ("年初指标值", "年初目标", "年初目标值", "initial_target"),
    "adjusted_target": (
        "调整后指标值",
        "调整后目标",
        "调整后目标值",
        "调整后年度指标值",
        "adjusted_target",
    ),
    "standard": (
        "评(扣)分标准",
        "评（扣）分标准",
        "评扣分标准",
        "评分标准",
        "扣分标准",
        "评分要点",
        "评分细则",
        "评分办法",
        "standard",
        "kpi_evalstd",
    ),
    "coefficient": ("得分系数", "系数", "coefficient"),
    # The reviewer's columns (主管部门审核, 财政复核): kept apart from the unit's 得分.
    "reviewed": (
        "审核得分",
        "主管部门评分",
        "主管部门审核得分",
        "评定得分",
        "复核得分",
        "审核评分",
        "财政评价得分",
        "reviewed",
        "review_score",
    ),
    "review_note": ("审核意见", "复核意见", "评审意见", "主管部门意见", "review_note"),
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


_BRACKET = re.compile("[(（[【)）\\]】]")


def fold_label(text: str) -> str:
    """Fold a header or label for matching: ``"分值（分）"`` → ``"分值"``, "Weight" → "weight".

    Drops spaces, case and anything in brackets, because forms add units and notes there.
    """
    if _BRACKET.search(text) is None:
        # No bracket: only the spaces go (str.split splits at exactly the characters
        # str.isspace is true of), the common case and one pass in C.
        return "".join(text.strip().lower().split())
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


def exact_decimal(value: object) -> Decimal | None:
    """The converter of every amount and weight: ``int``, ``str`` and ``Decimal`` exactly,
    ``float`` through its shortest repr (``0.1`` → ``Decimal("0.1")``) with a
    :class:`~perfscore.errors.FloatAmountWarning`.

    Anything else — ``"十分"``, ``nan``, a list — is refused at construction with a
    :class:`ReadError`, instead of failing later inside scoring.
    """
    if value is None or (isinstance(value, Decimal) and value.is_finite()):
        return value
    if isinstance(value, float) and math.isfinite(value):
        # stacklevel 3: the caller's line that built the Indicator, past attrs' __init__.
        warnings.warn(FloatAmountWarning.for_value(value), stacklevel=3)
    finite = not isinstance(value, float) or math.isfinite(value)
    if isinstance(value, str | int | float) and not isinstance(value, bool) and finite:
        try:
            return parse_decimal(value)
        except ValueError:
            pass
    raise ReadError(
        "金额或分值不是有效数字，请给出 Decimal、int 或数字文本 (an amount or weight must be a"
        f" number: a Decimal, an int or a numeric string, not {type(value).__name__} {value!r})",
        text=str(value),
    )


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
    unit entered, kept and shown next to the computed score.  ``reviewed`` is the
    reviewer's score (审核得分 / 主管部门评分 / 评定得分 / 复核得分) and
    ``review_note`` the reviewer's opinion (审核意见 / 复核意见), never mixed with
    the unit's own.
    """

    row: int
    level1: str = ""
    level2: str = ""
    level3: str = ""
    target: str = ""
    actual: str = ""
    weight: Decimal | None = attrs.field(
        default=None, converter=exact_decimal, validator=lambda i, a, v: _bounded(a, v)
    )
    published: Decimal | None = attrs.field(
        default=None, converter=exact_decimal, validator=lambda i, a, v: _bounded(a, v)
    )
    reason: str = ""
    goal: str = ""
    description: str = ""
    basis: str = ""
    # Issue 19: a target split over columns, original and adjusted targets, the row's own
    # scoring standard.  ``target`` is what is scored; these keep what the columns said.
    comparator: str = ""  # the 计算符号 column as written (≥, 正向, 大于等于…)
    unit: str = ""  # the 计量单位 column, which applies to a bare actual too
    composed_from: str = ""  # how target/actual were put together from their columns
    initial_target: str = ""  # 年初指标值
    adjusted_target: str = ""  # 调整后指标值 (scored when present)
    standard: str = ""  # 评(扣)分标准 written on the row (a checklist item's rule, no target)
    coefficient: Decimal | None = None  # 得分系数, checked against score ÷ weight
    read_problem: str = ""  # why the reader could not tell what to score: needs review
    published_formula: str = ""  # "H13: =G13*1" when the 得分 is a formula never saved
    reviewed: Decimal | None = None
    review_note: str = ""

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
            if field == "coefficient":
                try:
                    kwargs["coefficient"] = parse_decimal(cell)
                except ValueError:
                    raise ReadError(
                        "不是有效数字 (not a number)",
                        file=file,
                        row=number,
                        column=headers[field],
                        text=str(cell),
                    ) from None
            elif field in _POINT_FIELDS:
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
                kwargs[_POINT_FIELDS[field]] = value
            else:
                kwargs[field] = "" if cell is None else _text(cell)
        texts = {k: v for k, v in kwargs.items() if isinstance(v, str)}
        kwargs |= compose_target(texts, headers)
        return cls(row=number, **kwargs)  # type: ignore[arg-type]


def _trusted_maker() -> Callable[..., Indicator]:
    """Build :func:`trusted_indicator`: attrs' own ``__init__`` for :class:`Indicator`, less
    its converters and validators (generated from the class, so it follows every field)."""
    fields = attrs.fields(Indicator)
    if any(isinstance(field.default, attrs.Factory) for field in fields):  # type: ignore[arg-type]
        raise TypeError("trusted_indicator shares defaults: a Factory default needs a call")
    names = [field.name for field in fields]
    defaults = {f"_default_{f.name}": f.default for f in fields if f.default is not attrs.NOTHING}
    parameters = ", ".join(
        name if f"_default_{name}" not in defaults else f"{name}=_default_{name}" for name in names
    )
    lines = [f"def trusted({parameters}):", "    made = _new(Indicator)", "    _set = _bind(made)"]
    lines += [f"    _set({name!r}, {name})" for name in names]
    lines.append("    return made")
    namespace: dict[str, Any] = {
        "_new": object.__new__, "_bind": object.__setattr__.__get__, "Indicator": Indicator,
        **defaults,
    }  # fmt: skip
    exec("\n".join(lines), namespace)
    made: Callable[..., Indicator] = namespace["trusted"]
    return made


trusted_indicator = _trusted_maker()
"""``Indicator(...)`` for the readers, whose values already have their types: ``weight`` and
``published`` a :class:`~decimal.Decimal` from :func:`parse_points` (finite and within the
bounds: what the converter and validator would check again) or None.  Same keywords and
defaults, same object (tests/readers/test_read_rows_reference.py compares the two)."""

# The comparator column's words → the sign the target parser reads ("" for 定性: none).
COMPARATORS: dict[str, str] = {
    "≥": "≥", ">=": "≥", "＞＝": "≥", "≧": "≥", "大于等于": "≥", "不低于": "≥", "不少于": "≥",
    "正向": "≥", "正向指标": "≥",
    "≤": "≤", "<=": "≤", "＜＝": "≤", "≦": "≤", "小于等于": "≤", "不高于": "≤", "不超过": "≤",
    "反向": "≤", "反向指标": "≤",
    "=": "=", "＝": "=", "等于": "=", ">": ">", "＞": ">", "大于": ">", "<": "<", "＜": "<",
    "小于": "<", "定性": "", "定性指标": "",
}  # fmt: skip
# Which way a sign points: a column and a value cell that point differently contradict.
_DIRECTION = {"≥": "up", ">": "up", "≤": "down", "<": "down", "=": "eq"}
# A comparator written at the start of a value cell (≥95%, 不低于90%, 大于等于 2).
_LEADING_SIGN = re.compile(
    r"\s*(大于等于|小于等于|不低于|不少于|不高于|不超过|不多于|大于|小于|等于|"
    r">=|<=|＞＝|＜＝|≥|≤|≧|≦|>|<|＞|＜|=|＝)"
)
_SIGN_WORDS = {"不多于": "≤", **COMPARATORS}
# A 单位 column may name the budget unit (the organisation) rather than a unit of measure.
_ORGANISATION = re.compile(
    r"(?:局|委员会|委|院|中心|厅|办公室|公司|学校|医院|协会|政府|单位|集团|管理处|大学|学院)$"
)


def _looks_like_unit(text: str) -> bool:
    """Whether a 单位 cell is a unit of measure (天, 万元, %, 人次), not an organisation."""
    return 0 < len(text) <= 8 and not _ORGANISATION.search(text)


_BARE_NUMBER = re.compile(r"[+-]?[0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]+)?")


def compose_target(fields: Mapping[str, str], headers: Mapping[str, str]) -> dict[str, str]:
    """Put a target held in several columns together; say how, and what cannot be decided.

    ``fields`` maps Indicator fields to cell texts (``comparator``, ``target``,
    ``initial_target``, ``adjusted_target``, ``unit``, ``actual``); ``headers`` the
    header each came from.  The adjusted target is scored when given; the comparator
    column is written in front of a value without one; the unit column after a bare
    number, in the target and in the actual.  Returns the fields to set among
    ``target``, ``actual``, ``composed_from`` and ``read_problem``.
    """

    if not any(fields.get(f) for f in ("comparator", "unit", "initial_target", "adjusted_target")):
        return {}  # the official nine columns: nothing to compose (the common case, fast)

    def name(field: str) -> str:
        return headers.get(field, COLUMNS[field][0])

    out: dict[str, str] = {}
    value_field = "target"
    if fields.get("adjusted_target", "").strip():
        value_field = "adjusted_target"
    elif not fields.get("target", "").strip() and fields.get("initial_target", "").strip():
        value_field = "initial_target"
    value = fields.get(value_field, "").strip()
    comparator = fields.get("comparator", "").strip()
    unit = fields.get("unit", "").strip()
    if not _looks_like_unit(unit):
        unit = ""  # a 单位 column naming the organisation (某某局), not a unit of measure
    sign = COMPARATORS.get(comparator.replace(" ", "")) if comparator else ""
    leading = _LEADING_SIGN.match(value)
    problem = ""
    if sign is None:
        problem = (
            f"{name('comparator')}「{comparator}」无法识别，需人工核对"
            f" (the comparator {comparator!r} is not one perfscore knows)"
        )
    elif sign and leading and _DIRECTION[_SIGN_WORDS[leading.group(1)]] != _DIRECTION[sign]:
        problem = (
            f"{name('comparator')}「{comparator}」与{name(value_field)}「{value}」中的"
            f"「{leading.group(1)}」矛盾，需人工核对 (the comparator column says"
            f" {comparator!r} but the target cell says {leading.group(1)!r})"
        )
    composed = value
    with_unit = bool(unit and _BARE_NUMBER.fullmatch(value))
    if with_unit:
        composed += unit
    if sign and not leading and value:
        composed = sign + composed
    target_parts = [f"{name('comparator')}「{comparator}」"] if comparator else []
    target_parts.append(f"{name(value_field)}「{value}」")
    if with_unit:
        target_parts.append(f"{name('unit')}「{unit}」")
    described = []
    if len(target_parts) > 1 or value_field != "target":
        out["target"] = composed
        described.append(" + ".join(target_parts))
    actual = fields.get("actual", "").strip()
    if unit and _BARE_NUMBER.fullmatch(actual):
        out["actual"] = actual + unit
        described.append(f"{name('actual')}「{actual}」 + {name('unit')}「{unit}」")
    if described:
        out["composed_from"] = "；".join(described)
    if problem:
        out["read_problem"] = problem
    return out


# Columns read as points (0–1000), and the Indicator attribute each fills.
_POINT_FIELDS = {"weight": "weight", "score": "published", "reviewed": "reviewed"}


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
