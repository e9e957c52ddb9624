"""Scheme formulas: an arithmetic text compiled once into an exact, bounded evaluator.

A formula (``weight * actual / target``) is parsed by simpleeval, its tree checked
(numbers, the key's names, arithmetic, comparisons and a few functions only) and
compiled.  Every number is a ``Decimal``; the cost of one evaluation is bounded:
no power towers, no huge literals, and ``floor``/``ceil`` refuse a value whose
integer would have more than :data:`MAX_INTEGER_DIGITS` digits (a 600,000-digit
integer once took 14 s per row).
"""

from __future__ import annotations

import ast
import decimal
import math
import re
import threading
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

import attrs
from simpleeval import SimpleEval

from ..errors import SchemeError
from ..parse.values import format_decimal

__all__ = [
    "DECIMAL_CONTEXT",
    "MAX_INTEGER_DIGITS",
    "Formula",
    "in_decimal_context",
]

T = TypeVar("T")

# No score, weight or budget has more integer digits than this: floor/ceil of a
# larger value is refused, so a formula never builds a giant integer.
MAX_INTEGER_DIGITS = 30


def _integer(function: Callable[[Decimal], int]) -> Callable[[Decimal], Decimal]:
    def bounded(x: Decimal) -> Decimal:
        value = Decimal(x)
        if value.is_finite() and value.adjusted() >= MAX_INTEGER_DIGITS:
            raise decimal.Overflow(f"floor/ceil of a value above 10^{MAX_INTEGER_DIGITS}")
        return Decimal(function(value))

    return bounded


_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "min": min,
    "max": max,
    "abs": abs,
    "floor": _integer(math.floor),
    "ceil": _integer(math.ceil),
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

_THREAD = threading.local()


def in_decimal_context(function: Callable[..., T], *args: Any) -> T:
    """``function(*args)`` in :data:`DECIMAL_CONTEXT`: what ``decimal.localcontext`` gives.

    Each thread switches to its own copy of DECIMAL_CONTEXT, made once, and back;
    already in it (a formula inside a scored row), nothing is switched.  The same
    settings and traps give the same results and errors as a fresh copy per call;
    only the flags (which decide nothing) accumulate.  ``localcontext`` cost more
    than many a rule it wrapped.
    """
    try:
        context = _THREAD.context
    except AttributeError:
        context = _THREAD.context = DECIMAL_CONTEXT.copy()
    current = decimal.getcontext()
    if current is context:
        return function(*args)
    decimal.setcontext(context)
    try:
        return function(*args)
    finally:
        decimal.setcontext(current)


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
    # The same checked tree compiled as a function of the names it uses (_fast), and
    # the expression cut at its names for render (_pieces): see _function and _cut.
    _fast: Callable[..., Any] | None = attrs.field(default=None, repr=False, eq=False)
    _used: frozenset[str] = attrs.field(default=frozenset(), repr=False, eq=False)
    _pieces: tuple[tuple[str, bool], ...] = attrs.field(default=(), repr=False, eq=False)

    @classmethod
    def compile(
        cls, key: str, expression: str, names: frozenset[str], *, source: str = ""
    ) -> Formula:
        """Parse and check ``expression``; raise :class:`SchemeError` naming ``key`` if bad.

        ``names`` are the names the formula may use (see :data:`.fields.FORMULA_NAMES`).
        """
        allowed = names
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
        used = frozenset(
            node.id
            for node in ast.walk(body)
            if isinstance(node, ast.Name) and node.id not in _FUNCTIONS and node.id not in constants
        )
        fast = _function(body, used, constants, key)
        formula = cls(key, expression, allowed, code, constants, fast, used, _cut(expression))
        formula.check(source)
        return formula

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its text and compiled again where it is loaded (Dask's workers, a
        process pool): its compiled function pickles only by value, which cloudpickle
        looked up through every loaded module, for every formula of every task."""
        return (_compiled, (self.key, self.expression, self.names))

    def __call__(self, **values: Decimal) -> Decimal:
        """Evaluate with ``values`` bound to the formula's names."""
        return in_decimal_context(self._evaluate, values)

    def _evaluate(self, values: dict[str, Decimal]) -> Decimal:
        if self._fast is not None and values.keys() >= self._used:
            result = self._fast(**values)
        else:  # a name missing: eval says so (NameError), as it always has
            names: dict[str, Any] = {**_FUNCTIONS, **self._constants, **values}
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

        if not self._pieces:
            return self._render(values)
        return "".join(
            _shown(values[piece]) if name and piece in values else piece
            for piece, name in self._pieces
        )

    def _render(self, values: Mapping[str, Decimal]) -> str:
        """render as first written: one regex substitution per call (the reference)."""

        def substitute(match: re.Match[str]) -> str:
            name = match.group(0)
            return _shown(values[name]) if name in values else name

        text = _NAME.sub(substitute, self.expression)
        return text.replace("*", "×")


def _compiled(key: str, expression: str, names: frozenset[str]) -> Formula:
    """A pickled :class:`Formula`, compiled again (see ``Formula.__reduce__``)."""
    return Formula.compile(key, expression, names)


def _function(
    body: ast.expr, used: frozenset[str], constants: Mapping[str, Decimal], key: str
) -> Callable[..., Any]:
    """The checked expression as ``lambda *, weight, actual, target, **_: <expression>``.

    The body is the very tree eval runs, so every operation is the same on the same
    Decimals; only the names are looked up as arguments (the formula's names) and
    globals (the functions and constants) instead of in one merged dict per call.
    """
    arguments = ast.arguments(
        posonlyargs=[],
        args=[],
        vararg=None,
        kwonlyargs=[ast.arg(arg=name) for name in sorted(used)],
        kw_defaults=[None] * len(used),
        kwarg=ast.arg(arg="_others"),
        defaults=[],
    )
    tree = ast.fix_missing_locations(ast.Expression(ast.Lambda(args=arguments, body=body)))
    scope: dict[str, Any] = {"__builtins__": {}, **_FUNCTIONS, **constants}
    function: Callable[..., Any] = eval(compile(tree, f"<{key}>", "eval"), scope)
    return function


def _cut(expression: str) -> tuple[tuple[str, bool], ...]:
    """The expression as (text, is a name) pieces, ``*`` already written as ``×``."""
    pieces: list[tuple[str, bool]] = []
    end = 0
    for match in _NAME.finditer(expression):
        pieces.append((expression[end : match.start()].replace("*", "×"), False))
        pieces.append((match.group(0), True))
        end = match.end()
    pieces.append((expression[end:].replace("*", "×"), False))
    return tuple(piece for piece in pieces if piece[0])


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
