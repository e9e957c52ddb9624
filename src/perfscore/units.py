"""The one unit registry: ``units.txt`` read for the tokenizer, and pint for conversions.

Parsing only needs the *names* of units, which :func:`vocabulary` reads from
``units.txt`` in well under a millisecond.  Converting between two different
units (万元 → 元, 年 → 个月) needs pint, whose registry is built on first use
(:func:`registry`) and whose conversion factors are cached per unit pair, so
``import perfscore`` never pays for pint.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal
from importlib import resources
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    import pint

    from .values import Quantity

__all__ = [
    "UnitComparison",
    "UnitInfo",
    "Vocabulary",
    "compare_units",
    "conversion_factor",
    "convert_actual",
    "registry",
    "vocabulary",
]

_DEFINITIONS = "units.txt"
_COUNT = "[count]"


@attrs.frozen
class UnitInfo:
    """One unit as ``units.txt`` defines it."""

    name: str
    display: str
    base: str  # the base dimension it descends from, e.g. "[count]", "[money]"

    @property
    def is_classifier(self) -> bool:
        """Whether this is a counting classifier (量词) such as 人, 项, 家次."""
        return self.base == _COUNT


@attrs.frozen
class Vocabulary:
    """The names the tokenizer recognises: units by spelling, and multipliers."""

    units: dict[str, UnitInfo]
    multipliers: dict[str, Decimal]

    def unit(self, spelling: str) -> UnitInfo:
        """Return the unit spelled ``spelling`` (a name, symbol or alias)."""
        return self.units[spelling]


def _definitions_text() -> str:
    return resources.files("perfscore").joinpath(_DEFINITIONS).read_text("utf-8")


_IDENT = re.compile(r"\[\w+\]|[^\W\d][\w]*")


def _parse_vocabulary(text: str) -> Vocabulary:
    units: dict[str, UnitInfo] = {}
    multipliers: dict[str, Decimal] = {}
    bases: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("@"):
            continue
        parts = [p.strip() for p in line.split("=")]
        name, definition, rest = parts[0], parts[1], parts[2:]
        if name.endswith("-"):
            multipliers[name[:-1]] = Decimal(definition)
            continue
        first = _IDENT.search(definition)
        ref = first.group(0) if first else ""
        base = ref if ref.startswith("[") else bases.get(ref, "[]")
        bases[name] = base
        symbol = rest[0] if rest and rest[0] != "_" else ""
        info = UnitInfo(name=name, display=symbol or name, base=base)
        for spelling in (name, *rest):
            if spelling and spelling != "_":
                units[spelling] = info
    return Vocabulary(units=units, multipliers=multipliers)


@functools.cache
def vocabulary() -> Vocabulary:
    """Return the unit names, symbols, aliases and multipliers in ``units.txt``."""
    return _parse_vocabulary(_definitions_text())


@functools.cache
def registry() -> pint.UnitRegistry[Any]:
    """Return the pint registry built from ``units.txt`` (built once, on first use)."""
    import pint

    ureg: pint.UnitRegistry[Any] = pint.UnitRegistry(
        filename=None, non_int_type=Decimal, autoconvert_offset_to_baseunit=False
    )
    ureg.load_definitions(_definitions_text().splitlines())
    return ureg


@functools.cache
def conversion_factor(source: str, target: str) -> Decimal | None:
    """Return ``f`` such that ``x source == x * f target``, or None if incompatible.

    Units are given by their canonical names (:attr:`UnitInfo.name`).
    """
    if source == target:
        return Decimal(1)
    import pint

    ureg = registry()
    try:
        quantity = ureg.Quantity(Decimal(1), source).to(target)
    except pint.DimensionalityError:
        return None
    return Decimal(quantity.magnitude)


@attrs.frozen
class UnitComparison:
    """How an actual's unit relates to its target's unit."""

    factor: Decimal | None  # multiply the actual by this to get target units
    warning: str = ""


@functools.cache
def compare_units(actual: str, target: str) -> UnitComparison:
    """Decide how an actual in ``actual`` units compares with a target in ``target`` units.

    Two different counting classifiers (个 vs 家) compare as plain counts, with a
    warning; convertible units convert exactly; anything else is incompatible
    (``factor`` is None) and the row needs review.
    """
    vocab = vocabulary()
    a, t = vocab.units[actual], vocab.units[target]
    if a.name == t.name:
        return UnitComparison(Decimal(1))
    if a.is_classifier and t.is_classifier:
        return UnitComparison(
            Decimal(1),
            f"完成值单位「{a.display}」与目标单位「{t.display}」不同，按数量比较"
            f" (units {a.display} and {t.display} differ; compared as counts)",
        )
    factor = conversion_factor(a.name, t.name)
    if factor is None:
        return UnitComparison(
            None,
            f"完成值单位「{a.display}」无法与目标单位「{t.display}」比较"
            f" (unit {a.display} cannot be compared with {t.display})",
        )
    return UnitComparison(factor)


def convert_actual(actual: Quantity, target: Quantity) -> tuple[Decimal | None, tuple[str, ...]]:
    """Return the actual's magnitude in the target's unit, with warnings.

    None (with the reason as the first warning) when the two cannot be
    compared: the row then needs review.  This is the one place that decides
    how an actual's unit, multiplier or missing unit relates to its target's.
    """
    if actual.unit is None or target.unit is None or actual.unit == target.unit:
        if target.unit is None and actual.unit is not None:
            return actual.magnitude, ("目标值无单位，按数值比较 (target has no unit)",)
        return actual.magnitude, ()
    comparison = compare_units(actual.unit, target.unit)
    if comparison.factor is None:
        return None, (comparison.warning,)
    warnings = (comparison.warning,) if comparison.warning else ()
    return actual.magnitude * comparison.factor, warnings
