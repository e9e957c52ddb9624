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
from typing import TYPE_CHECKING, Any, Protocol

import attrs

if TYPE_CHECKING:
    import pint

__all__ = [
    "RATE_JOIN",
    "RATE_MARK",
    "UnitComparison",
    "UnitInfo",
    "Vocabulary",
    "compare_units",
    "conversion_factor",
    "convert_actual",
    "rate_name",
    "registry",
    "split_multiplier",
    "unit_info",
    "vocabulary",
]

_DEFINITIONS = "units.txt"


class Quantity(Protocol):
    """What conversion reads of an amount (:class:`perfscore.parse.values.Quantity` has it).

    A protocol, not an import: values are built on units, never the other way round.
    """

    @property
    def magnitude(self) -> Decimal: ...
    @property
    def unit(self) -> str | None: ...
    @property
    def unit_text(self) -> str: ...
    @property
    def multiplier(self) -> Decimal | None: ...
    @property
    def text(self) -> str: ...


_COUNT = "[count]"
_RATE = "[rate]"
# A rate's name: numerator (may be empty: "/户"), "/", denominators joined by "·".
RATE_MARK = "/"
RATE_JOIN = "·"
# How a denominator is written back: 次/月, not 次/个月.
_DENOMINATOR_DISPLAY = {"个月": "月", "个工作日": "工作日"}
_GENERIC_COUNT = "个"


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

    @property
    def is_rate(self) -> bool:
        """Whether this is a per-unit quantity such as 万元/个 or 人次/年."""
        return self.base == _RATE


@attrs.frozen
class Vocabulary:
    """The names the tokenizer recognises: units by spelling, and multipliers."""

    units: dict[str, UnitInfo]
    multipliers: dict[str, Decimal]

    def unit(self, spelling: str) -> UnitInfo:
        """Return the unit spelled ``spelling`` (a name, symbol or alias)."""
        return self.units[spelling]


def _definitions_text() -> str:
    return resources.files(__package__).joinpath(_DEFINITIONS).read_text("utf-8")


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


def rate_name(numerator: str | None, denominators: list[str]) -> str:
    """The canonical name of a rate: ``rate_name("万元", ["个"])`` → ``万元/个``.

    Spellings are canonicalised (``元/人/月`` and ``元/人*月`` are both ``元/人·个月``).
    """
    units = vocabulary().units
    bottom = RATE_JOIN.join(units[d].name for d in denominators)
    return f"{units[numerator].name if numerator else ''}{RATE_MARK}{bottom}"


@functools.cache
def unit_info(name: str) -> UnitInfo:
    """Return the unit named ``name``: a unit of ``units.txt``, or a rate built of them."""
    units = vocabulary().units
    info = units.get(name)
    if info is not None:
        return info
    numerator, mark, denominator = name.partition(RATE_MARK)
    if not mark or not denominator:
        raise KeyError(name)
    top = units[numerator].display if numerator else ""
    parts = denominator.split(RATE_JOIN)
    bottom = RATE_JOIN.join(_DENOMINATOR_DISPLAY.get(p, units[p].display) for p in parts)
    return UnitInfo(name=name, display=f"{top}{RATE_MARK}{bottom}", base=_RATE)


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
    a, t = unit_info(actual), unit_info(target)
    if a.name == t.name:
        return UnitComparison(Decimal(1))
    if a.is_rate or t.is_rate:
        return _compare_rates(a, t)
    if a.is_classifier and t.is_classifier:
        # 人次 is not 人 and 篇 is not 册: only the generic 个 counts anything.
        if _GENERIC_COUNT in (a.name, t.name):
            return UnitComparison(
                Decimal(1),
                f"完成值单位「{a.display}」与目标单位「{t.display}」不同，按数量比较"
                f" (units {a.display} and {t.display} differ; compared as counts)",
            )
        return UnitComparison(
            None,
            f"完成值单位「{a.display}」与目标单位「{t.display}」计量的不是同一事物，请人工核对"
            f" (units {a.display} and {t.display} count different things)",
        )
    factor = conversion_factor(a.name, t.name)
    if factor is None:
        return UnitComparison(
            None,
            f"完成值单位「{a.display}」无法与目标单位「{t.display}」比较"
            f" (unit {a.display} cannot be compared with {t.display})",
        )
    return UnitComparison(factor)


def _compare_rates(a: UnitInfo, t: UnitInfo) -> UnitComparison:
    """万元/个 vs 元/个 convert by the numerator; a different denominator never converts."""
    if not (a.is_rate and t.is_rate):
        return UnitComparison(
            None,
            f"完成值单位「{a.display}」与目标单位「{t.display}」一个是单位量（每…），一个不是，"
            f"无法比较 (a per-unit rate against a plain quantity)",
        )
    top_a, _, bottom_a = a.name.partition(RATE_MARK)
    top_t, _, bottom_t = t.name.partition(RATE_MARK)
    if bottom_a != bottom_t or bool(top_a) != bool(top_t):
        return UnitComparison(
            None,
            f"完成值单位「{a.display}」与目标单位「{t.display}」的计量基准不同，请人工核对"
            f" (rates per different things: {a.display} vs {t.display})",
        )
    if not top_a:
        return UnitComparison(Decimal(1))
    numerators = compare_units(top_a, top_t)
    if numerators.factor is None or numerators.warning:
        # 人次/年 vs 人/年: classifiers that count different things stay apart in a rate.
        return UnitComparison(
            None,
            f"完成值单位「{a.display}」无法与目标单位「{t.display}」比较"
            f" (unit {a.display} cannot be compared with {t.display})",
        )
    return numerators


def convert_actual(actual: Quantity, target: Quantity) -> tuple[Decimal | None, tuple[str, ...]]:
    """Return the actual's magnitude in the target's unit, with warnings.

    None (with the reason as the first warning) when the two cannot be
    compared: the row then needs review.  This is the one place that decides
    how an actual's unit, multiplier or missing unit relates to its target's:

    - two different unit texts are never compared as bare numbers: an unknown
      unit on one side, or two different unknown units, need review;
    - a multiplier belongs to its number: ``37.5万`` against ``≤40万元`` is
      37.5万元, ``3000万`` against ``亿元`` is 0.3亿元;
    - a bare number takes the target's unit, unless its size says it was
      written in the base unit (``375000`` against ``40万元``: 元?).
    """
    if actual.unit_text or target.unit_text:
        return _unknown_units(actual, target)
    if actual.unit is None:
        return _bare(actual, target)
    if target.unit is None:
        return actual.magnitude, ("目标值无单位，按数值比较 (target has no unit)",)
    if actual.unit == target.unit:
        return actual.magnitude, ()
    comparison = compare_units(actual.unit, target.unit)
    if comparison.factor is None:
        return None, (comparison.warning,)
    warnings = (comparison.warning,) if comparison.warning else ()
    return actual.magnitude * comparison.factor, warnings


def _display(unit: str | None, text: str = "") -> str:
    if text:
        return text
    return unit_info(unit).display if unit else "无单位"


def _unknown_units(actual: Quantity, target: Quantity) -> tuple[Decimal | None, tuple[str, ...]]:
    shown_a = _display(actual.unit, actual.unit_text)
    shown_t = _display(target.unit, target.unit_text)
    if actual.unit_text and actual.unit_text == target.unit_text:
        return actual.magnitude, (
            f"单位「{shown_a}」未收录，目标与完成值单位相同，按数值比较"
            f" (unit {shown_a!r} is not in units.txt; same on both sides, compared as numbers)",
        )
    if not actual.unit_text and actual.unit is None and actual.multiplier is None:
        return actual.magnitude, (
            f"完成值未写单位，按目标单位「{shown_t}」计 (bare actual read in the target's unit)",
        )
    return None, (
        f"完成值单位「{shown_a}」与目标单位「{shown_t}」无法比较，请人工核对"
        f" (units {shown_a!r} and {shown_t!r} cannot be compared: unknown unit)",
    )


# A bare actual this many times its 万/亿 target was probably written in 元.
_PLAUSIBLE_RATIO = Decimal(100)


def _bare(actual: Quantity, target: Quantity) -> tuple[Decimal | None, tuple[str, ...]]:
    """An actual with no unit: its own multiplier, else the target's unit."""
    if target.unit is None:
        return actual.magnitude, ()
    split = split_multiplier(target.unit)
    if actual.multiplier is not None:
        if split is None:
            return actual.magnitude, ()
        # 37.5万 is 375000 of the base unit: 37.5 万元.
        return actual.magnitude / split[0], ()
    if split is not None and target.magnitude > 0:
        factor, base = split
        ratio = actual.magnitude / target.magnitude
        if ratio >= _PLAUSIBLE_RATIO and ratio * _PLAUSIBLE_RATIO >= factor:
            shown = _display(target.unit)
            in_unit = actual.magnitude / factor
            return None, (
                f"完成值 {actual.text or actual.magnitude} 未写单位，按{shown}计是目标的"
                f" {ratio.quantize(Decimal(1))} 倍；是否以{_display(base)}填写"
                f"（即 {in_unit.normalize():f}{shown}）？请核对"
                f" (bare actual is {ratio.quantize(Decimal(1))}× the target: written in"
                f" {_display(base)}?)",
            )
    return actual.magnitude, ()


@functools.cache
def split_multiplier(unit: str) -> tuple[Decimal, str] | None:
    """Split a unit spelled with a multiplier: ``万元`` → (10000, ``元``); else None."""
    vocab = vocabulary()
    numerator, mark, denominator = unit.partition(RATE_MARK)
    if mark:
        # 万元/个 → (10000, 元/个): the multiplier belongs to the numerator.
        split = split_multiplier(numerator) if numerator else None
        return None if split is None else (split[0], f"{split[1]}{mark}{denominator}")
    for prefix, factor in sorted(vocab.multipliers.items(), key=lambda kv: -len(kv[0])):
        base = unit.removeprefix(prefix)
        if base != unit and base in vocab.units:
            return factor, vocab.units[base].name
    return None
