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

from .errors import SchemeError
from .values import Outcome, format_decimal

__all__ = [
    "Formula",
    "Grade",
    "Scheme",
    "available_schemes",
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
FORMULA_NAMES: dict[str, frozenset[str]] = {
    "quantitative.higher_unmet": _QUANTITY_NAMES,
    "quantitative.lower_unmet": _QUANTITY_NAMES,
    "quantitative.equal_unmet": _QUANTITY_NAMES,
    "over_achievement.deduct": _QUANTITY_NAMES | {"share"},
    "deadline.late": frozenset({"weight", "days_late"}),
    "execution.formula": frozenset({"weight", "budget", "executed"}),
}

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
    """

    key: str
    expression: str
    names: frozenset[str]
    _tree: ast.AST = attrs.field(repr=False, eq=False)
    _evaluator: SimpleEval = attrs.field(repr=False, eq=False)

    @classmethod
    def compile(cls, key: str, expression: str, *, source: str = "") -> Formula:
        """Parse and check ``expression``; raise :class:`SchemeError` naming ``key`` if bad."""
        allowed = FORMULA_NAMES[key]
        evaluator = SimpleEval(functions=dict(_FUNCTIONS))
        try:
            tree = evaluator.parse(expression)
        except SyntaxError as error:
            raise SchemeError(
                f"公式语法错误 (formula syntax error): {expression!r}: {error.msg}",
                key=key,
                source=source,
            ) from None
        for node in ast.walk(tree):
            _check_node(node, allowed, key, expression, source)
        return cls(key, expression, allowed, tree, evaluator)

    def __call__(self, **values: Decimal) -> Decimal:
        """Evaluate with ``values`` bound to the formula's names."""
        self._evaluator.names = values
        result = self._evaluator.eval(self.expression, previously_parsed=self._tree)
        return Decimal(result) if not isinstance(result, Decimal) else result

    def render(self, **values: Decimal) -> str:
        """Return the expression with the values written in: ``2 × 15000 / 20000``."""

        def substitute(match: re.Match[str]) -> str:
            name = match.group(0)
            return format_decimal(values[name]) if name in values else name

        text = re.sub(r"[A-Za-z_][A-Za-z_0-9]*", substitute, self.expression)
        return text.replace("*", "×")


def _check_node(node: ast.AST, allowed: frozenset[str], key: str, expr: str, source: str) -> None:
    if not isinstance(node, _ALLOWED_NODES):
        raise SchemeError(
            f"公式中不允许的写法 (not allowed in a formula): {type(node).__name__} in {expr!r}",
            key=key,
            source=source,
        )
    if isinstance(node, ast.Call) and not (
        isinstance(node.func, ast.Name) and node.func.id in _FUNCTIONS
    ):
        raise SchemeError(
            f"未知函数 (unknown function) in {expr!r}; allowed: {', '.join(sorted(_FUNCTIONS))}",
            key=key,
            source=source,
        )
    if isinstance(node, ast.Name) and node.id not in allowed and node.id not in _FUNCTIONS:
        raise SchemeError(
            f"未知名称「{node.id}」(unknown name {node.id!r}) in {expr!r};"
            f" allowed: {', '.join(sorted(allowed))}",
            key=key,
            source=source,
        )
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise SchemeError(
                f"公式只能包含数字常量 (only numbers allowed) in {expr!r}", key=key, source=source
            )
        # Exact arithmetic: literals become Decimals, so 0.7 is 0.7.
        node.value = Decimal(str(node.value))  # type: ignore[assignment]


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


def _build(data: Mapping[str, Any], source: str) -> Scheme:
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
        source=source,
    )


def available_schemes() -> list[str]:
    """Return the names of the preset schemes shipped with perfscore."""
    folder = resources.files("perfscore").joinpath("schemes")
    return sorted(
        p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml")
    )


@functools.cache
def _load_preset(name: str) -> Scheme:
    text = resources.files("perfscore").joinpath("schemes", f"{name}.toml").read_text("utf-8")
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
