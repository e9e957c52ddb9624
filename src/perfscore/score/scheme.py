"""Scoring schemes: the rules as data, loaded from TOML.

A scheme says how points are computed (formulas evaluated by simpleeval over
plain ``Decimal`` names), how they are rounded, the qualitative bands, the
execution-rate rule and the grade thresholds.  The presets live in
``perfscore/schemes/*.toml``; :func:`load_scheme` takes a preset name or the
path of a user's own file.  Formulas are compiled and their names checked
once, when the scheme loads: a bad formula is a :class:`SchemeError` naming
its key, never a surprise at the thousandth row.
"""

from __future__ import annotations

import ast
import decimal
import difflib
import functools
import math
import re
import tomllib
from collections.abc import Callable, Mapping
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import attrs
from simpleeval import SimpleEval

from ..errors import SchemeError
from ..parse._folding import fold
from ..parse.values import Outcome, format_decimal
from ..parse.vocabulary import (
    DIRECTION_KINDS,
    PHRASE_KEYS,
    PHRASE_LISTS,
    NameDirection,
    Phrases,
    default_phrases,
)

__all__ = [
    "DECIMAL_CONTEXT",
    "Formula",
    "Grade",
    "Phrases",
    "Scheme",
    "available_schemes",
    "default_phrases",
    "load_scheme",
]

DEFAULT_SCHEME = "mof2020"

_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "min": min,
    "max": max,
    "abs": abs,
    "floor": lambda x: Decimal(math.floor(x)),
    "ceil": lambda x: Decimal(math.ceil(x)),
}

# The names each formula may use; all are Decimal magnitudes in the target's unit.
_QUANTITY_NAMES = frozenset({"weight", "actual", "target"})
_RANGE_NAMES = frozenset({"weight", "actual", "low", "high"})
FORMULA_NAMES: dict[str, frozenset[str]] = {
    "quantitative.higher_unmet": _QUANTITY_NAMES,
    "quantitative.lower_unmet": _QUANTITY_NAMES,
    "quantitative.equal_unmet": _QUANTITY_NAMES,
    "over_achievement.deduct": _QUANTITY_NAMES | {"share"},
    "deadline.late": frozenset({"weight", "days_late"}),
    "execution.formula": frozenset({"weight", "budget", "executed"}),
    "range.above": _RANGE_NAMES,
    "range.below": _RANGE_NAMES,
    "tolerance.beyond": frozenset({"weight", "tolerance", "deviation"}),
    "change.smaller": _QUANTITY_NAMES,
}

# Sample values every formula is evaluated on once, at load: a division by
# zero or an overflow there would happen at every row, so it is a SchemeError.
_SAMPLES: dict[str, Decimal] = {
    "weight": Decimal(10),
    "actual": Decimal(85),
    "target": Decimal(90),
    "share": Decimal("0.5"),
    "days_late": Decimal(30),
    "budget": Decimal(100),
    "executed": Decimal(95),
    "low": Decimal(80),
    "high": Decimal(95),
    "tolerance": Decimal(5),
    "deviation": Decimal(8),
}

# Bounds that keep a scheme from becoming a denial of service: no real rule
# needs a longer formula, deeper nesting, a power tower or a 16-digit literal.
MAX_FORMULA_LENGTH = 500
MAX_FORMULA_DEPTH = 40
MAX_EXPONENT = 10
MAX_LITERAL = Decimal(10) ** 15

# Scoring arithmetic runs in this context, whatever the caller's: a caller's
# prec=3 must not change a score, and an overflow is an error, not Infinity.
DECIMAL_CONTEXT = decimal.Context(
    prec=28,
    rounding=decimal.ROUND_HALF_EVEN,
    Emax=999_999,
    Emin=-999_999,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)

# The official bands for qualitative judgements (share of the weight).
QUALITATIVE_BANDS: dict[Outcome, tuple[Decimal, Decimal, bool]] = {
    Outcome.ACHIEVED: (Decimal("0.8"), Decimal("1"), True),
    Outcome.PARTIAL: (Decimal("0.6"), Decimal("0.8"), False),
    Outcome.NOT_ACHIEVED: (Decimal("0"), Decimal("0.6"), False),
}

_ROUNDING_MODES = {
    name: getattr(decimal, name)
    for name in (
        "ROUND_HALF_UP",
        "ROUND_HALF_EVEN",
        "ROUND_HALF_DOWN",
        "ROUND_UP",
        "ROUND_DOWN",
        "ROUND_CEILING",
        "ROUND_FLOOR",
    )
}

_ALLOWED_NODES = (
    ast.Expression,
    ast.Expr,
    ast.BinOp,
    ast.UnaryOp,
    ast.BoolOp,
    ast.Compare,
    ast.IfExp,
    ast.Call,
    ast.Name,
    ast.Load,
    ast.Constant,
    ast.operator,
    ast.unaryop,
    ast.boolop,
    ast.cmpop,
)


@attrs.frozen
class Formula:
    """A scheme formula, compiled once: ``weight * actual / target``.

    Calling it with Decimal keyword values returns a Decimal.  Number literals
    in the expression are Decimals too, so ``weight * 0.7`` stays exact.

    simpleeval parses the text; the checked tree (numbers, the formula's
    names, arithmetic, comparisons and the functions in ``_FUNCTIONS`` only)
    is then compiled to a code object.  Each call evaluates it with its own
    names, so formulas hold no mutable state and are safe across threads —
    a shared evaluator whose names are set per call mixed rows under threads.
    """

    key: str
    expression: str
    names: frozenset[str]
    _code: Any = attrs.field(repr=False, eq=False)
    _constants: Mapping[str, Decimal] = attrs.field(repr=False, eq=False)

    @classmethod
    def compile(cls, key: str, expression: str, *, source: str = "") -> Formula:
        """Parse and check ``expression``; raise :class:`SchemeError` naming ``key`` if bad."""
        allowed = FORMULA_NAMES[key]
        if len(expression) > MAX_FORMULA_LENGTH:
            raise SchemeError(
                f"公式过长（上限 {MAX_FORMULA_LENGTH} 字符）"
                f" (formula longer than {MAX_FORMULA_LENGTH} characters)",
                key=key,
                source=source,
            )
        try:
            tree = SimpleEval().parse(expression)
        except (SyntaxError, RecursionError, MemoryError) as error:
            message = getattr(error, "msg", type(error).__name__)
            raise SchemeError(
                f"公式语法错误 (formula syntax error): {expression!r}: {message}",
                key=key,
                source=source,
            ) from None
        _check_depth(tree, key, expression, source)
        constants: dict[str, Decimal] = {}
        for node in ast.walk(tree):
            _check_node(node, allowed, key, expression, source, constants)
        tree = _Constants(constants).visit(tree)
        body = tree.value if isinstance(tree, ast.Expr) else tree
        expression_tree = ast.fix_missing_locations(ast.Expression(body))
        code = compile(expression_tree, f"<{key}>", "eval")
        formula = cls(key, expression, allowed, code, constants)
        formula.check(source)
        return formula

    def __call__(self, **values: Decimal) -> Decimal:
        """Evaluate with ``values`` bound to the formula's names."""
        names: dict[str, Any] = {**_FUNCTIONS, **self._constants, **values}
        with decimal.localcontext(DECIMAL_CONTEXT):
            result = eval(self._code, {"__builtins__": {}}, names)
            if isinstance(result, bool) or not isinstance(result, Decimal | int):
                raise TypeError(f"formula {self.key} gave {type(result).__name__}, not a number")
            value = Decimal(result)
            if not value.is_finite():
                raise decimal.InvalidOperation(f"formula {self.key} gave {value}")
            return value

    def check(self, source: str = "") -> None:
        """Evaluate once on sample values: a formula that fails here fails at every row."""
        try:
            self(**{name: _SAMPLES[name] for name in self.names})
        except (ArithmeticError, TypeError, ValueError) as error:
            raise SchemeError(
                f"公式在示例数据上无法计算 (formula fails on sample values"
                f" {', '.join(f'{n}={_SAMPLES[n]}' for n in sorted(self.names))}):"
                f" {type(error).__name__}",
                key=self.key,
                source=source,
            ) from None

    def render(self, **values: Decimal) -> str:
        """Return the expression with the values written in: ``2 × 15000 / 20000``."""

        def substitute(match: re.Match[str]) -> str:
            name = match.group(0)
            return _shown(values[name]) if name in values else name

        text = _NAME.sub(substitute, self.expression)
        return text.replace("*", "×")


_NAME = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")  # a formula name, written in by render()
_SHOWN_PLACES = Decimal("0.000001")


def _shown(value: Decimal) -> str:
    """A value as an explanation writes it: exact, or ≈ to six places (3.333333…)."""
    if value.as_tuple().exponent >= -6:  # type: ignore[operator]
        return format_decimal(value)
    return "≈" + format_decimal(value.quantize(_SHOWN_PLACES))


def _check_depth(tree: ast.AST, key: str, expr: str, source: str) -> None:
    depth, stack = 0, [(tree, 1)]
    while stack:
        node, level = stack.pop()
        depth = max(depth, level)
        if depth > MAX_FORMULA_DEPTH:
            raise SchemeError(
                f"公式嵌套过深 (formula nested deeper than {MAX_FORMULA_DEPTH}) in {expr[:60]!r}",
                key=key,
                source=source,
            )
        stack.extend((child, level + 1) for child in ast.iter_child_nodes(node))


def _check_node(
    node: ast.AST,
    allowed: frozenset[str],
    key: str,
    expr: str,
    source: str,
    constants: dict[str, Decimal],
) -> None:
    def fail(message: str) -> SchemeError:
        return SchemeError(message, key=key, source=source)

    if not isinstance(node, _ALLOWED_NODES):
        raise fail(
            f"公式中不允许的写法 (not allowed in a formula): {type(node).__name__} in {expr!r}"
        )
    if isinstance(node, ast.Call) and not (
        isinstance(node.func, ast.Name) and node.func.id in _FUNCTIONS
    ):
        raise fail(
            f"未知函数 (unknown function) in {expr!r}; allowed: {', '.join(sorted(_FUNCTIONS))}"
        )
    if isinstance(node, ast.Call) and node.keywords:
        raise fail(f"函数不接受关键字参数 (no keyword arguments) in {expr!r}")
    if isinstance(node, ast.Name) and node.id not in allowed and node.id not in _FUNCTIONS:
        raise fail(
            f"未知名称「{node.id}」(unknown name {node.id!r}) in {expr!r};"
            f" allowed: {', '.join(sorted(allowed))}"
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
        # Power towers (9**9**9) never finish: only a small constant exponent.
        exponent = node.right
        if not (
            isinstance(exponent, ast.Constant)
            and isinstance(exponent.value, int | float)
            and abs(exponent.value) <= MAX_EXPONENT
        ):
            raise fail(f"幂指数只能是不超过 {MAX_EXPONENT} 的常数 (bounded exponent) in {expr!r}")
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise fail(f"公式只能包含数字常量 (only numbers allowed) in {expr!r}")
        value = Decimal(str(node.value))
        if not value.is_finite() or abs(value) >= MAX_LITERAL:
            raise fail(f"数字常量过大 (number literal too large) in {expr!r}")


class _Constants(ast.NodeTransformer):
    """Replace number literals by names bound to exact Decimals (0.7 stays 0.7)."""

    def __init__(self, constants: dict[str, Decimal]) -> None:
        self.constants = constants

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        name = f"_k{len(self.constants)}"
        self.constants[name] = Decimal(str(node.value))
        return ast.copy_location(ast.Name(id=name, ctx=ast.Load()), node)


# Outcome phrases (simplified; traditional text is folded before matching).
# Why each list: the official self-evaluation bands are 达成 [80,100]%,
@attrs.frozen
class Grade:
    """A grade name and the lowest total that earns it: 优 ≥ 90."""

    name: str
    minimum: Decimal


@attrs.frozen(eq=False)
class Scheme:
    """A complete scoring scheme; build with :meth:`from_dict` or :func:`load_scheme`.

    Schemes compare and hash by identity: a loaded scheme is a fixed set of
    compiled rules, and scores are cached per scheme.
    """

    name: str
    version: str
    title: str
    description: str
    places: int
    rounding: str
    higher_unmet: Formula
    lower_unmet: Formula
    equal_two_sided: bool
    equal_unmet: Formula
    negative_actual_as_zero: bool
    over_share: Decimal
    over_deduct: Formula | None
    deadline_late: Formula
    qualitative: Mapping[Outcome, Decimal]
    compound: str
    execution_weight: Decimal
    execution_formula: Formula
    grades: tuple[Grade, ...]
    weights: Mapping[str, Decimal]
    monitoring: Mapping[str, Decimal]
    range_above: Formula | None = None
    range_below: Formula | None = None
    tolerance_beyond: Formula | None = None
    change_smaller: Formula | None = None
    approximate_margin: Decimal = Decimal("0.1")
    percent_plausibility: bool = True
    phrases: Phrases = attrs.field(factory=lambda: default_phrases())
    direction: NameDirection = attrs.field(factory=NameDirection)
    source: str = ""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "") -> Scheme:
        """Build a scheme from parsed TOML, checking every setting and formula."""
        return _build(data, source)

    def round(self, value: Decimal) -> Decimal:
        """Round ``value`` to the scheme's places with its rounding mode (half-up by default)."""
        exponent = Decimal(1).scaleb(-self.places)
        return value.quantize(exponent, rounding=_ROUNDING_MODES[self.rounding])

    def grade(self, total: Decimal) -> str:
        """Return the grade name for ``total``."""
        for grade in self.grades:
            if total >= grade.minimum:
                return grade.name
        return self.grades[-1].name

    def to_dict(self) -> dict[str, str]:
        """Return the name and version, as reports show them."""
        return {"name": self.name, "version": self.version}


def _get(data: Mapping[str, Any], dotted: str, default: Any = None) -> Any:
    node: Any = data
    for part in dotted.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return default
        node = node[part]
    return node


def _decimal(data: Mapping[str, Any], key: str, default: str, source: str) -> Decimal:
    raw = _get(data, key, default)
    try:
        if isinstance(raw, bool):
            raise decimal.InvalidOperation
        return Decimal(str(raw))
    except decimal.InvalidOperation:
        raise SchemeError(
            f"应为数字 (expected a number), got {raw!r}", key=key, source=source
        ) from None


def _formula(data: Mapping[str, Any], key: str, default: str | None, source: str) -> Formula | None:
    expression = _get(data, key, default)
    if expression is None or expression == "":
        return None
    if not isinstance(expression, str):
        raise SchemeError("公式应为字符串 (formula must be a string)", key=key, source=source)
    return Formula.compile(key, expression, source=source)


def _required_formula(data: Mapping[str, Any], key: str, default: str, source: str) -> Formula:
    formula = _formula(data, key, default, source)
    if formula is None:
        raise SchemeError("公式不能为空 (formula must not be empty)", key=key, source=source)
    return formula


def _qualitative(data: Mapping[str, Any], source: str) -> dict[Outcome, Decimal]:
    defaults = {Outcome.ACHIEVED: "1", Outcome.PARTIAL: "0.7", Outcome.NOT_ACHIEVED: "0"}
    keys = {
        Outcome.ACHIEVED: "achieved",
        Outcome.PARTIAL: "partial",
        Outcome.NOT_ACHIEVED: "not_achieved",
    }
    shares = {}
    for outcome, (low, high, high_inclusive) in QUALITATIVE_BANDS.items():
        key = f"qualitative.{keys[outcome]}"
        share = _decimal(data, key, defaults[outcome], source)
        inside = low <= share <= high if high_inclusive else low <= share < high
        if not inside:
            bracket = "]" if high_inclusive else ")"
            raise SchemeError(
                f"{share} 不在官方区间 [{low}, {high}{bracket} 内"
                f" (outside the official band [{low}, {high}{bracket})",
                key=key,
                source=source,
            )
        shares[outcome] = share
    return shares


def _grades(data: Mapping[str, Any], source: str) -> tuple[Grade, ...]:
    raw = _get(data, "grades", [{"name": "优", "min": 90}, {"name": "良", "min": 80},
                                {"name": "中", "min": 60}, {"name": "差", "min": 0}])  # fmt: skip
    if not isinstance(raw, list) or not raw:
        raise SchemeError("应为非空列表 (expected a non-empty list)", key="grades", source=source)
    grades = []
    for index, item in enumerate(raw):
        key = f"grades[{index}]"
        if not isinstance(item, Mapping) or not isinstance(item.get("name"), str):
            raise SchemeError("应有 name 和 min (needs name and min)", key=key, source=source)
        grades.append(Grade(item["name"], _decimal(item, "min", "", f"{source} {key}")))
    ordered = sorted(grades, key=lambda g: g.minimum, reverse=True)
    if ordered != grades:
        raise SchemeError(
            "等级应按分数从高到低排列 (list grades from highest)", key="grades", source=source
        )
    return tuple(grades)


def _rounding(data: Mapping[str, Any], source: str) -> tuple[int, str]:
    places = _get(data, "rounding.places", 2)
    if not isinstance(places, int) or isinstance(places, bool) or not 0 <= places <= 6:
        raise SchemeError(
            "应为 0–6 的整数 (expected an integer 0–6)", key="rounding.places", source=source
        )
    mode = _get(data, "rounding.mode", "ROUND_HALF_UP")
    if mode not in _ROUNDING_MODES:
        raise SchemeError(
            f"未知的舍入方式 {mode!r} (unknown rounding mode); one of {', '.join(_ROUNDING_MODES)}",
            key="rounding.mode",
            source=source,
        )
    return places, mode


def _decimal_table(data: Mapping[str, Any], key: str, source: str) -> dict[str, Decimal]:
    table = _get(data, key, {})
    if not isinstance(table, Mapping):
        raise SchemeError("应为表 (expected a table)", key=key, source=source)
    return {str(k): _decimal(table, str(k), "", f"{source} {key}") for k in table}


def _share(data: Mapping[str, Any], key: str, default: str, source: str) -> Decimal:
    value = _decimal(data, key, default, source)
    if not 0 <= value <= 1:
        raise SchemeError(f"应在 0 到 1 之间 (expected 0–1), got {value}", key=key, source=source)
    return value


def _boolean(data: Mapping[str, Any], key: str, default: bool, source: str) -> bool:
    value = _get(data, key, default)
    if not isinstance(value, bool):
        raise SchemeError(f"应为 true 或 false (expected a boolean), got {value!r}", key=key,
                          source=source)  # fmt: skip
    return value


def _phrases(data: Mapping[str, Any], source: str) -> Phrases:
    table = _get(data, "phrases", {})
    if not isinstance(table, Mapping):
        raise SchemeError("应为表 (expected a table)", key="phrases", source=source)
    if not table:
        return default_phrases()
    lists = dict(PHRASE_LISTS)
    for key, words in table.items():
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise SchemeError(
                "应为非空字符串列表 (expected a list of words)", key=f"phrases.{key}", source=source
            )
        lists[key] = tuple(fold(w) for w in words)
    return Phrases.build(lists)


def _direction(data: Mapping[str, Any], source: str) -> NameDirection:
    """``[direction]``: words of indicator names that make a comparator-less target a
    ceiling, a floor, or a question for a person (lists ``ceiling``, ``floor``, ``ambiguous``)."""
    table = _get(data, "direction", {})
    if not isinstance(table, Mapping):
        raise SchemeError("应为表 (expected a table)", key="direction", source=source)
    lists: dict[str, tuple[str, ...]] = {}
    for kind in DIRECTION_KINDS:
        words = table.get(kind, [])
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise SchemeError(
                "应为非空字符串列表 (expected a list of words)", key=f"direction.{kind}",
                source=source,
            )  # fmt: skip
        lists[kind] = tuple(fold(w.strip()) for w in words)
    try:
        return NameDirection.build(lists)
    except ValueError as error:
        raise SchemeError(
            f"{error} (a word in two lists)", key="direction", source=source
        ) from None


# Every key a scheme may set.  "*" tables take any key (weights by level name).
_KNOWN_KEYS: dict[str, Any] = {
    "name": None, "version": None, "title": None, "description": None,
    "rounding": {"places": None, "mode": None},
    "quantitative": {"higher_unmet": None, "lower_unmet": None, "equal": None,
                     "equal_unmet": None, "negative_actual_as_zero": None},
    "over_achievement": {"warn_share": None, "deduct": None},
    "deadline": {"late": None},
    "qualitative": {"achieved": None, "partial": None, "not_achieved": None},
    "compound": {"combine": None},
    "execution": {"weight": None, "formula": None},
    "range": {"above": None, "below": None},
    "tolerance": {"beyond": None},
    "change": {"smaller": None},
    "approximate": {"margin": None},
    "plausibility": {"percent": None},
    "phrases": dict.fromkeys(PHRASE_KEYS),
    "direction": dict.fromkeys(DIRECTION_KINDS),
    "weights": "*", "monitoring": "*", "grades": "*",
}  # fmt: skip


def _check_keys(
    data: Mapping[str, Any], known: Mapping[str, Any], prefix: str, source: str
) -> None:
    """Reject keys no rule reads, naming the nearest valid one: a typo must not pass silently."""
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if key not in known:
            nearest = difflib.get_close_matches(str(key), list(known), n=1, cutoff=0.5)
            hint = (
                f"；是否为「{prefix}{nearest[0]}」(did you mean {prefix}{nearest[0]}?)"
                if nearest
                else ""
            )
            raise SchemeError(
                f"未知的设置项「{dotted}」(unknown key {dotted!r}){hint}", key=dotted, source=source
            )
        expected = known[key]
        if isinstance(expected, dict):
            if not isinstance(value, Mapping):
                raise SchemeError("应为表 (expected a table)", key=dotted, source=source)
            _check_keys(value, expected, f"{dotted}.", source)
        elif expected is None and isinstance(value, Mapping):
            raise SchemeError("应为单个值而非表 (expected a value, not a table)", key=dotted,
                              source=source)  # fmt: skip


def _build(data: Mapping[str, Any], source: str) -> Scheme:
    _check_keys(data, _KNOWN_KEYS, "", source)
    name = _get(data, "name")
    if not isinstance(name, str) or not name:
        raise SchemeError("方案需要名称 (a scheme needs a name)", key="name", source=source)
    places, mode = _rounding(data, source)
    equal = _get(data, "quantitative.equal", "higher")
    if equal not in ("higher", "two-sided"):
        raise SchemeError("应为 higher 或 two-sided", key="quantitative.equal", source=source)
    compound = _get(data, "compound.combine", "mean")
    if compound not in ("mean", "min"):
        raise SchemeError("应为 mean 或 min", key="compound.combine", source=source)
    return Scheme(
        name=name,
        version=str(_get(data, "version", "")),
        title=str(_get(data, "title", name)),
        description=str(_get(data, "description", "")),
        places=places,
        rounding=mode,
        higher_unmet=_required_formula(
            data, "quantitative.higher_unmet", "weight * actual / target", source
        ),
        lower_unmet=_required_formula(
            data, "quantitative.lower_unmet", "weight * target / actual", source
        ),
        equal_two_sided=equal == "two-sided",
        equal_unmet=_required_formula(
            data, "quantitative.equal_unmet", "weight * (1 - abs(actual - target) / target)", source
        ),
        negative_actual_as_zero=bool(_get(data, "quantitative.negative_actual_as_zero", True)),
        over_share=_decimal(data, "over_achievement.warn_share", "0.3", source),
        over_deduct=_formula(data, "over_achievement.deduct", None, source),
        deadline_late=_required_formula(data, "deadline.late", "0", source),
        qualitative=_qualitative(data, source),
        compound=compound,
        execution_weight=_decimal(data, "execution.weight", "10", source),
        execution_formula=_required_formula(
            data, "execution.formula", "weight * min(executed / budget, 1)", source
        ),
        grades=_grades(data, source),
        weights=_decimal_table(data, "weights", source),
        monitoring=_decimal_table(data, "monitoring", source),
        range_above=_required_formula(data, "range.above", "weight * high / actual", source),
        range_below=_required_formula(data, "range.below", "weight * actual / low", source),
        tolerance_beyond=_required_formula(
            data, "tolerance.beyond", "weight * tolerance / deviation", source
        ),
        change_smaller=_required_formula(
            data, "change.smaller", "weight * actual / target", source
        ),
        approximate_margin=_share(data, "approximate.margin", "0.1", source),
        percent_plausibility=_boolean(data, "plausibility.percent", True, source),
        phrases=_phrases(data, source),
        direction=_direction(data, source),
        source=source,
    )


def available_schemes() -> list[str]:
    """Return the names of the preset schemes shipped with perfscore."""
    folder = resources.files(__package__).joinpath("presets")
    return sorted(
        p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml")
    )


@functools.cache
def _load_preset(name: str) -> Scheme:
    text = resources.files(__package__).joinpath("presets", f"{name}.toml").read_text("utf-8")
    return _from_toml(text, f"{name}.toml")


def _from_toml(text: str, source: str) -> Scheme:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SchemeError(f"TOML 格式错误 (invalid TOML): {error}", source=source) from None
    return Scheme.from_dict(data, source=source)


def load_scheme(name_or_path: str | Path | None = None) -> Scheme:
    """Load a preset by name (``"mof2020"``, the default) or a scheme TOML file by path."""
    if name_or_path is None:
        return _load_preset(DEFAULT_SCHEME)
    text = str(name_or_path)
    if isinstance(name_or_path, str) and text in available_schemes():
        return _load_preset(text)
    path = Path(name_or_path)
    if not path.is_file():
        raise SchemeError(
            f"找不到方案「{text}」(no such scheme); presets: {', '.join(available_schemes())}",
            source=text,
        )
    return _from_toml(path.read_text("utf-8"), str(path))
