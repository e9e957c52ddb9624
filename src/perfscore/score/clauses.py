"""Which clause answers which: pairing a compound's clauses by what they count and name.

A compound target (``培训不少于20人，制作手册不少于3册``) is scored clause by clause against
the actual's clauses; a simple target against the one clause of a compound actual that
answers it.  Clauses pair by unit and label, never by position alone (position decides
only between clauses their units and labels cannot tell apart).
"""

from __future__ import annotations

from ..parse._tokenizer import normalize
from ..parse.units import compare_units, vocabulary
from ..parse.values import Compound, Deadline, Period, Qualitative, Quantity, Simple

__all__ = ["matching_clause", "overlap", "pair_clauses"]


def matching_clause(target: Quantity, actual: Compound) -> Quantity | None:
    """The one clause of a compound actual that answers a simple target, by unit and label."""
    candidates = [c for c in actual.clauses if isinstance(c, Quantity)]
    if target.unit is not None:
        candidates = [c for c in candidates if c.unit == target.unit] or [
            c for c in candidates if c.unit is None
        ]
    if len(candidates) > 1 and target.label:
        candidates = [c for c in candidates if overlap(c.label, target.label)] or candidates
    return candidates[0] if len(candidates) == 1 else None


def overlap(a: str, b: str) -> int:
    """How many two-character words two labels share (培训人数 ~ 培训: 1)."""
    return len(_pairs(normalize(a)) & _pairs(normalize(b)))


def _pairs(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def pair_clauses(
    targets: tuple[Simple, ...], actuals: tuple[Simple, ...]
) -> list[tuple[Simple, Simple]] | None:
    """Pair clauses by what they count (unit) and name (label), never by position alone.

    ``培训不少于20人，制作手册不少于3册`` with ``手册3册，培训18人`` pairs 人 with 人 and
    册 with 册.  Position decides only between clauses the units and labels
    cannot tell apart; None when a clause has no partner.
    """
    remaining = list(range(len(actuals)))
    pairs: list[tuple[Simple, Simple]] = []
    for t in targets:
        fits = [i for i in remaining if _same_kind(t, actuals[i])]
        if len(fits) > 1:
            best = max(overlap(_label(t), _label(actuals[i])) for i in fits)
            fits = [i for i in fits if overlap(_label(t), _label(actuals[i])) == best]
        if not fits:
            return None
        remaining.remove(fits[0])
        pairs.append((t, actuals[fits[0]]))
    return pairs


def _label(value: Simple) -> str:
    return getattr(value, "label", "")


def _unit_of(value: Simple) -> str | None:
    return getattr(value, "unit", None) or getattr(value, "unit_text", None) or None


def _same_kind(target: Simple, actual: Simple) -> bool:
    """Whether an actual clause can answer a target clause: same unit, or either unitless."""
    if isinstance(actual, Qualitative):
        return True
    if isinstance(target, Deadline | Period) != isinstance(actual, Deadline | Period):
        return False
    t_unit, a_unit = _unit_of(target), _unit_of(actual)
    if t_unit is None or a_unit is None or t_unit == a_unit:
        return True
    return compare_units(a_unit, t_unit).factor is not None if _known(t_unit, a_unit) else False


def _known(*units: str) -> bool:
    known = vocabulary().units
    return all(u in known for u in units)
