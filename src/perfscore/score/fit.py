"""Find the convention a published table followed: :func:`fit_scheme` (``perfscore fit``).

Given rows with published scores, the search tries the settings real tables vary in —
rounding places and mode, the cost rule (B/A under budget), the score cap, the
qualitative shares (per outcome and per phrase, the bands following them), the
execution weight and rounding, and the total's rounding — and keeps the variant that
reproduces the most published row scores and then the published total.

It is exact (Decimal), deterministic and fast: each row's unrounded points are
computed once per semantic variant (cost × cap, at most four) and every other
candidate is arithmetic on them; the settings are searched one dimension at a time,
repeated until nothing changes.  It never fits a per-row exception: a setting other
than the base scheme's is taken only when it explains at least :data:`MIN_GAIN` more
rows than the base's value; ties go to the base.
"""

from __future__ import annotations

import decimal
import functools
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

import attrs

from ..documents import Document
from ..indicators import Indicator
from ..parse._tokenizer import normalize
from ..parse.values import Deadline, Outcome, Period, Qualitative, Quantity
from .fields import FIELDS, HEADING_KEYS, Field, field
from .formulas import DECIMAL_CONTEXT
from .rollup import Evaluation, evaluate
from .scheme import Scheme, from_toml, load_scheme
from .scoring import Status, fitted_outcome, raw_points

__all__ = ["MIN_GAIN", "Fit", "Unexplained", "fit_scheme"]

# A setting must explain this many more rows than the base's value to be taken.
MIN_GAIN = 2

_PLACES = (2, 0, 1, 3, 4)
_MODES = ("ROUND_HALF_UP", "ROUND_DOWN", "ROUND_HALF_EVEN", "ROUND_UP")
_SHARE_GRID = (
    *tuple(Decimal(n) / 40 for n in range(41)),
    Decimal("0.875"),
    Decimal("0.625"),
    Decimal("0.375"),
    Decimal("0.125"),
)
_EXPONENTS = {places: Decimal(1).scaleb(-places) for places in _PLACES}
_EXECUTION_WEIGHTS = (Decimal(10), Decimal(20), Decimal(5), Decimal(15))
_ZERO = Decimal(0)


# Every rounding the search tries (places, mode), in the order it tries them.
_ROUNDINGS = tuple((p, m) for p in _PLACES for m in _MODES)


def _exponent(places: int) -> Decimal:
    """The quantum of ``places`` decimals (0.01 for 2), made once for the searched places."""
    return _EXPONENTS.get(places) or Decimal(1).scaleb(-places)


@attrs.frozen
class Unexplained:
    """A row the fitted scheme still scores differently from the published score."""

    row: int
    name: str
    published: Decimal
    computed: Decimal


@attrs.frozen
class Fit:
    """The fitted scheme, what it changes from the base, and what it explains."""

    scheme: Scheme
    base: Scheme
    changes: tuple[tuple[str, str], ...]  # (setting key, value as shown) differing from base
    rows: int  # rows with a published score the scheme can compute
    explained: int
    unexplained: tuple[Unexplained, ...]
    unscored: int  # rows with a published score the scheme cannot compute
    evaluation: Evaluation
    published_total: Decimal | None
    computed_total: Decimal | None

    @property
    def total_explained(self) -> bool | None:
        """Whether the fitted total equals the published one (None: no published total)."""
        if self.published_total is None or self.computed_total is None:
            return None
        return self.published_total == self.computed_total

    @property
    def rule(self) -> str:
        """The convention in a few words: ``保留0位小数、直接舍去``, or "" when none is fitted."""
        return rule_of(self.changes)

    def toml(self) -> str:
        """The fitted scheme as TOML (it loads back to the same rules)."""
        return self.scheme.to_toml()


@attrs.frozen
class _Row:
    indicator: Indicator
    weight: Decimal
    published: Decimal
    points: Decimal  # unrounded, under the base scheme
    outcome: Outcome | None  # a qualitative row scored by its band
    phrase: str  # the longest outcome phrase in its actual ("" if none)
    is_cost: bool  # the cost rule may change it
    over: bool  # a ≥ target met: the cap may change it


@attrs.define
class _State:
    places: int
    mode: str
    cost: str
    cap: bool
    shares: dict[Outcome, Decimal]
    phrases: dict[str, Decimal]


def fit_scheme(
    source: Document | Iterable[Indicator],
    scheme: Scheme | None = None,
    *,
    year: int | None = None,
    budget: Decimal | None = None,
    executed: Decimal | None = None,
    execution_published: Decimal | None = None,
    execution_weight: Decimal | None = None,
    published_total: Decimal | None = None,
) -> Fit:
    """Fit ``scheme`` (default mof2020) to the published scores of ``source``.

    ``source`` is a :class:`Document` (its budget, execution score, year and 总分 are
    used) or indicator rows with the keyword figures.
    """
    base = scheme or load_scheme()
    if isinstance(source, Document):
        indicators: Sequence[Indicator] = source.indicators
        year = source.year if year is None else year
        budget, executed = source.budget, source.executed
        execution_published = source.execution_published
        execution_weight = source.execution_weight
        published_total = source.published_total
    else:
        indicators = tuple(source)
    changes = _row_changes(
        base, indicators, year, budget, executed, execution_published, execution_weight
    )
    fitted = _build(base, changes)
    figures = (indicators, year, budget, executed, execution_published, execution_weight,
               published_total)  # fmt: skip
    # One evaluation gives the total to fit and, when the total's rounding stays, the
    # result's rows: the published figures change its checks, never its total.
    evaluation = _evaluate(fitted, *figures)
    with decimal.localcontext(DECIMAL_CONTEXT):
        total = _fit_total(evaluation.total, published_total)
    if total:
        fitted = _build(base, changes | total)
        evaluation = _evaluate(fitted, *figures)
    return _result(fitted, base, evaluation, published_total)


def row_convention(
    indicators: Sequence[Indicator],
    scheme: Scheme,
    *,
    year: int | None,
    budget: Decimal | None,
    executed: Decimal | None,
    execution_published: Decimal | None,
    execution_weight: Decimal | None,
) -> tuple[Scheme, tuple[tuple[str, str], ...]]:
    """The scheme :func:`fit_scheme` fits to the rows' and the execution's published
    scores, before the total's rounding, and its changes from ``scheme`` as shown.

    A row's or the execution's computed score is the same under it as under
    ``fit_scheme(...).scheme`` (the total's rounding changes neither), for the cost of
    the search alone: ``audit.finding_counts`` (``perfscore batch``) scores only the
    rows that differ under it, where an audit evaluates every row again.  No changes:
    ``scheme`` itself and ``()``.
    """
    changes = _row_changes(
        scheme, indicators, year, budget, executed, execution_published, execution_weight
    )
    fitted = _build(scheme, changes)
    return fitted, _shown(fitted, scheme)


# Shares no scheme writes: a row whose points move when they replace the scheme's
# qualitative and phrase shares is scored by a share (may_explain's probe).
_PROBE_SHARES = (Decimal("0.8137"), Decimal("0.4219"), Decimal("0.0731"))
_PROBE_PHRASE = Decimal("0.5923")
# The values whose points may_explain reads as fixed: quantities, dates and periods.
_FIXED_VALUES = (Quantity, Deadline, Period)


def may_explain(indicator: Indicator, base: Scheme, *, year: int | None) -> bool:
    """Whether a scheme :func:`row_convention` can fit from ``base`` may score this row at
    its published score; False only when none can (``perfscore batch`` then counts its
    findings without the search).

    The search changes the rounding (places and mode), the cost rule, the cap, the
    outcome shares and the phrase shares.  False needs a row whose points none of the
    last four changes — not a cost row (only those follow the cost rule); a quantity,
    date or period against the same; its points the same with the cap turned over and
    with every outcome share and every phrase share replaced (a restated target, or
    words beside the value, may be scored by a share) — and a published score that no
    searched rounding of those points gives, capped at the weight or not.  Anything
    else: True.
    """
    published, weight = indicator.published, indicator.weight
    if published is None or weight is None or indicator.read_problem or indicator.is_cost:
        return True
    judged = fitted_outcome(indicator, base, year=year, cached=True)
    if judged is None:
        return True
    target, actual, result = judged[0], judged[1], judged[2]
    points = result.points
    if points is None or result.over_share is not None:
        return True
    if not isinstance(target, _FIXED_VALUES) or not isinstance(actual, _FIXED_VALUES):
        return True
    # The roundings first: they are arithmetic, the probes score the row twice more.
    with decimal.localcontext(DECIMAL_CONTEXT):
        for places, mode in ((base.places, base.rounding), *_ROUNDINGS):
            rounded = points.quantize(_exponent(places), rounding=mode)
            if published in (rounded, min(rounded, weight)):
                return True
    return any(raw_points(indicator, probe, year=year) != points for probe in _probes(base))


@functools.lru_cache(maxsize=8)
def _probes(base: Scheme) -> tuple[Scheme, Scheme]:
    """may_explain's two probes of ``base``: the cap turned over; every outcome share and
    every phrase share (the scheme's phrases and every outcome word) replaced."""
    words = base.phrases
    known = (*words.achieved, *words.partial, *words.not_achieved, *base.phrase_shares)
    return (
        attrs.evolve(base, cap=not base.cap),
        attrs.evolve(
            base,
            phrase_shares=dict.fromkeys(known, _PROBE_PHRASE),
            achieved_share=_PROBE_SHARES[0],
            partial_share=_PROBE_SHARES[1],
            not_achieved_share=_PROBE_SHARES[2],
        ),
    )


def _row_changes(
    base: Scheme,
    indicators: Sequence[Indicator],
    year: int | None,
    budget: Decimal | None,
    executed: Decimal | None,
    execution_published: Decimal | None,
    execution_weight: Decimal | None,
) -> dict[str, Any]:
    """The search over the rows' settings, then the execution's: the changes from ``base``."""
    with decimal.localcontext(DECIMAL_CONTEXT):
        changes = _Search(base, indicators, year).run()
        changes |= _fit_execution(
            base, changes, indicators, budget, executed, execution_published, execution_weight
        )
    return changes


# A subset's rows scored by a share, its other rows' indexes, and the outcomes and
# phrases of the first.
_Parts = tuple[list[_Row], list[int], tuple[Outcome, ...], tuple[str, ...]]


class _Search:
    """The coordinate search over row settings, on points computed once per variant.

    Only the rows a dimension can change are scored again or counted for it: a cost
    variant rescores the cost rows, a cap variant the over-achieved ones, a share the
    rows of its outcome or phrase; the other rows' counts are the same for every
    candidate, so comparing on the subset picks the same winner, faster.
    """

    def __init__(self, base: Scheme, indicators: Sequence[Indicator], year: int | None) -> None:
        self.base = base
        self.year = year
        self.rows = [r for r in (_row(i, base, year) for i in indicators) if r is not None]
        self.every = range(len(self.rows))
        self._points: dict[tuple[str, bool], list[Decimal | None]] = {
            (base.cost_under_budget, base.cap): [r.points for r in self.rows]
        }
        self._plain_counts: dict[tuple[object, ...], int] = {}
        self._graded_counts: dict[tuple[object, ...], int] = {}
        self._parts: dict[int, _Parts] = {}

    def points(self, cost: str, cap: bool) -> list[Decimal | None]:
        key = (cost, cap)
        if key not in self._points:
            base = self._points[(self.base.cost_under_budget, self.base.cap)]
            scheme = attrs.evolve(self.base, cost_under_budget=cost, cap=cap)
            self._points[key] = [
                raw_points(r.indicator, scheme, year=self.year)
                if (r.is_cost and cost != self.base.cost_under_budget)
                or (r.over and cap != self.base.cap)
                else points
                for r, points in zip(self.rows, base, strict=True)
            ]
        return self._points[key]

    def explained(self, state: _State, subset: Sequence[int] | range) -> int:
        """How many rows of ``subset`` the settings of ``state`` explain.

        Two counts, each kept (the search's later rounds mostly repeat its first): the
        rows scored by their outcome's share, keyed by the rounding, the cap and the
        shares of the outcomes and phrases in the subset only; and the other rows, keyed
        by the rounding, the cost rule and the cap.  The subsets are run()'s own lists,
        alive while it runs, so their ids are a key.
        """
        graded, plain, outcomes, words = self._parts.get(id(subset)) or self._split(subset)
        places, mode, cap = state.places, state.mode, state.cap
        exponent = _exponent(places)
        key = (places, mode, state.cost, cap, id(subset))
        count = self._plain_counts.get(key)
        if count is None:
            count = self._plain_counts[key] = self._count_plain(
                plain, state.cost, cap, exponent, mode
            )
        if not graded:
            return count
        shares, phrases = state.shares, state.phrases
        used = (tuple(shares[o] for o in outcomes), tuple(phrases.get(w) for w in words))
        graded_key = (places, mode, cap, used, id(subset))
        found = self._graded_counts.get(graded_key)
        if found is None:
            found = 0
            for row in graded:
                share = phrases.get(row.phrase) if phrases else None
                raw = row.weight * (shares[row.outcome] if share is None else share)  # type: ignore[index]
                rounded = raw.quantize(exponent, rounding=mode)
                if cap and rounded > row.weight:
                    rounded = row.weight
                if rounded == row.published:
                    found += 1
            self._graded_counts[graded_key] = found
        return count + found

    def _split(self, subset: Sequence[int] | range) -> _Parts:
        rows = self.rows
        graded = [rows[i] for i in subset if rows[i].outcome is not None]
        plain = [i for i in subset if rows[i].outcome is None]
        outcomes = tuple(o for o in Outcome if any(r.outcome is o for r in graded))
        words = tuple(sorted({r.phrase for r in graded}))
        parts = self._parts[id(subset)] = (graded, plain, outcomes, words)
        return parts

    def _count_plain(
        self, plain: list[int], cost: str, cap: bool, exponent: Decimal, mode: str
    ) -> int:
        points, rows = self.points(cost, cap), self.rows
        count = 0
        for index in plain:
            raw = points[index]
            if raw is None:
                continue
            row = rows[index]
            rounded = raw.quantize(exponent, rounding=mode)
            if cap and rounded > row.weight:
                rounded = row.weight
            if rounded == row.published:
                count += 1
        return count

    def _subset(self, keep: Callable[[_Row], bool]) -> list[int]:
        return [i for i in self.every if keep(self.rows[i])]

    def run(self) -> dict[str, Any]:
        base = self.base
        start = _State(base.places, base.rounding, base.cost_under_budget, base.cap,
                       dict(base.qualitative), dict(base.phrase_shares))  # fmt: skip
        state = attrs.evolve(start, shares=dict(start.shares), phrases=dict(start.phrases))
        costs = self._subset(lambda r: r.is_cost)
        by_outcome = {o: [i for i in self.every if self.rows[i].outcome is o] for o in Outcome}
        by_phrase = {
            p: [i for i in self.every if self.rows[i].phrase == p] for p in self._phrase_groups()
        }
        for _ in range(3):
            before = attrs.asdict(state)
            self._choose(state, list(_ROUNDINGS),
                         (start.places, start.mode), _set_rounding, self.every)  # fmt: skip
            if len(costs) >= MIN_GAIN:
                self._choose(state, ["full", "B/A"], start.cost, _setter("cost"), costs)
            if sum(r.over for r in self.rows) >= MIN_GAIN:
                self._choose(state, [True, False], start.cap, _setter("cap"), self.every)
            for outcome, rows in by_outcome.items():
                if len(rows) >= MIN_GAIN:
                    self._choose(state, self._share_candidates(outcome), start.shares[outcome],
                                 _share_setter(outcome), rows)  # fmt: skip
            for phrase, rows in by_phrase.items():
                self._choose(state, [None, *_SHARE_GRID], start.phrases.get(phrase),
                             _phrase_setter(phrase), rows)  # fmt: skip
            if attrs.asdict(state) == before:
                break
        self._as_phrases(start, state)
        return _changes(start, state, base)

    def _as_phrases(self, start: _State, state: _State) -> None:
        """An outcome share that only one phrase's rows use is that phrase's share (基本达到)."""
        for outcome in Outcome:
            if state.shares[outcome] == start.shares[outcome]:
                continue
            used = {r.phrase for r in self.rows if r.outcome is outcome}
            if len(used) == 1 and "" not in used:
                (phrase,) = used
                state.phrases.setdefault(phrase, state.shares[outcome])
                state.shares[outcome] = start.shares[outcome]

    def _choose(
        self,
        state: _State,
        candidates: Sequence[Any],
        default: Any,
        apply: Callable[[_State, Any], None],
        subset: Sequence[int] | range,
    ) -> None:
        """Set the candidate explaining the most rows; the base's unless MIN_GAIN more."""
        apply(state, default)
        best, best_count = default, self.explained(state, subset)
        floor = best_count + MIN_GAIN
        if floor > len(subset):
            return  # no candidate explains more rows than the subset holds: the default stays
        for candidate in candidates:
            apply(state, candidate)
            count = self.explained(state, subset)
            if count >= floor and count > best_count:
                best, best_count = candidate, count
        apply(state, best)

    def _share_candidates(self, outcome: Outcome) -> list[Decimal]:
        implied = {
            (r.published / r.weight).quantize(Decimal("0.001"))
            for r in self.rows
            if r.outcome is outcome and r.weight > 0
        }
        return sorted(set(_SHARE_GRID) | implied)

    def _phrase_groups(self) -> list[str]:
        counts: dict[str, int] = {}
        for row in self.rows:
            if row.outcome is not None and row.phrase:
                counts[row.phrase] = counts.get(row.phrase, 0) + 1
        return sorted(p for p, n in counts.items() if n >= MIN_GAIN)


def _set_rounding(state: _State, value: tuple[int, str]) -> None:
    state.places, state.mode = value


def _setter(name: str) -> Callable[[_State, Any], None]:
    def apply(state: _State, value: Any) -> None:
        setattr(state, name, value)

    return apply


def _share_setter(outcome: Outcome) -> Callable[[_State, Any], None]:
    def apply(state: _State, value: Decimal) -> None:
        state.shares[outcome] = value

    return apply


def _phrase_setter(phrase: str) -> Callable[[_State, Any], None]:
    def apply(state: _State, value: Decimal | None) -> None:
        if value is None:
            state.phrases.pop(phrase, None)
        else:
            state.phrases[phrase] = value

    return apply


def _row(indicator: Indicator, base: Scheme, year: int | None) -> _Row | None:
    if indicator.published is None or indicator.weight is None:
        return None
    outcome, phrase = None, ""
    # One judgement for the points and the values (a row the evaluation scored is a hit).
    judged = fitted_outcome(indicator, base, year=year, cached=True)
    points = None if judged is None else judged[2].points
    if judged is None or points is None:
        return None
    # What score_indicator gives: a row the reader could not read has no values.
    actual = None if indicator.read_problem else judged[1]
    over = not indicator.read_problem and judged[2].over_share is not None
    if isinstance(actual, Qualitative) and actual.outcome is not None:
        folded = normalize(actual.text)
        phrase = _longest_phrase(folded, actual.outcome, base)
        share = base.phrase_shares.get(phrase, base.qualitative[actual.outcome])
        if points == indicator.weight * share:
            outcome = actual.outcome
    return _Row(indicator, indicator.weight, indicator.published, points, outcome, phrase,
                indicator.is_cost, over)  # fmt: skip


def _longest_phrase(folded: str, outcome: Outcome, scheme: Scheme) -> str:
    """The longest word of the outcome's list (or of qualitative.phrases) in the text."""
    lists = {
        Outcome.ACHIEVED: scheme.phrases.achieved,
        Outcome.PARTIAL: scheme.phrases.partial,
        Outcome.NOT_ACHIEVED: scheme.phrases.not_achieved,
    }
    found = [w for w in (*lists[outcome], *scheme.phrase_shares) if w in folded]
    return max(found, key=lambda w: (len(w), w)) if found else ""


def _changes(start: _State, state: _State, base: Scheme) -> dict[str, Any]:
    """Scheme attributes that differ from the base, the bands made to hold the shares."""
    changes: dict[str, Any] = {}
    if (state.places, state.mode) != (start.places, start.mode):
        changes |= {"places": state.places, "rounding": state.mode}
    if state.cost != start.cost:
        changes["cost_under_budget"] = state.cost
    if state.cap != start.cap:
        changes["cap"] = state.cap
    if state.phrases != start.phrases:
        changes["phrase_shares"] = dict(sorted(state.phrases.items()))
    if state.shares != start.shares:
        a, p, n = (state.shares[o] for o in Outcome)
        changes |= {"achieved_share": a, "partial_share": p, "not_achieved_share": n}
        changes |= _bands(a, p, n, base)
    return changes


def _bands(a: Decimal, p: Decimal, n: Decimal, base: Scheme) -> dict[str, Decimal]:
    """Band limits that hold the fitted shares, kept at the base's where they already do."""
    achieved_from = base.achieved_from if p < base.achieved_from <= a else a
    partial_from = base.partial_from if n < base.partial_from <= p else p
    return {"achieved_from": achieved_from, "partial_from": partial_from}


def _fit_execution(
    base: Scheme,
    changes: dict[str, Any],
    indicators: Sequence[Indicator],
    budget: Decimal | None,
    executed: Decimal | None,
    published: Decimal | None,
    weight: Decimal | None,
) -> dict[str, Any]:
    """Execution weight (when the form gives none) and rounding that give its published score."""
    if budget is None or executed is None or budget <= 0 or base.execution_as_indicator:
        return {}
    changes = dict(changes)
    indicator_weights = sum((i.weight or _ZERO for i in indicators), _ZERO)
    weights = [weight] if weight is not None else [base.execution_weight, *_EXECUTION_WEIGHTS]
    if weight is None:
        # The weight that completes 100 first, then the scheme's (sorted() is stable).
        weights = sorted(dict.fromkeys(weights), key=lambda w: indicator_weights + w != 100)
    places = changes.get("places", base.places)
    mode = changes.get("rounding", base.rounding)
    for candidate in dict.fromkeys(weights):
        try:
            raw = base.execution_formula(weight=candidate, budget=budget, executed=executed)
        except (ArithmeticError, TypeError, ValueError):
            return {}
        found = _rounding_for(raw, candidate, published, places, mode)
        if found is None:
            continue
        result: dict[str, Any] = {}
        if weight is None and candidate != base.execution_weight:
            result["execution_weight"] = candidate
        if found != (places, mode):
            result |= {"execution_places": found[0], "execution_mode": found[1]}
        return result
    return {}


def _rounding_for(
    raw: Decimal, weight: Decimal, published: Decimal | None, places: int, mode: str
) -> tuple[int, str] | None:
    """The rounding that turns ``raw`` into ``published``, the indicators' first."""
    if published is None:
        return (places, mode)
    for p, m in ((places, mode), *_ROUNDINGS):
        value = min(max(raw.quantize(_exponent(p), rounding=m), _ZERO), weight)
        if value == published:
            return (p, m)
    return None


def _fit_total(parts: Decimal, published_total: Decimal | None) -> dict[str, Any]:
    """A total rounding that turns the sum of the published parts into the published total."""
    if published_total is None or parts == published_total:
        return {}
    for places in _PLACES:
        for mode in _MODES:
            if parts.quantize(_exponent(places), rounding=mode) == published_total:
                return {"total_places": places, "total_mode": mode}
    return {}


def _evaluate(
    scheme: Scheme,
    indicators: Sequence[Indicator],
    year: int | None,
    budget: Decimal | None,
    executed: Decimal | None,
    execution_published: Decimal | None,
    execution_weight: Decimal | None,
    published_total: Decimal | None,
) -> Evaluation:
    """The rows under ``scheme``, every score recomputed (a fit compares them all)."""
    return evaluate(indicators, scheme=scheme, budget=budget, executed=executed, year=year,
                    execution_published=execution_published, published_total=published_total,
                    execution_weight=execution_weight, full_marks=None,
                    recompute=True)  # fmt: skip


def _build(base: Scheme, changes: dict[str, Any]) -> Scheme:
    """The base with ``changes``, written as TOML and loaded back (so it is a valid file).

    The same base and changes give the same Scheme object: a batch audits hundreds of
    forms that follow one convention, and loading a scheme (its formulas compiled) costs
    milliseconds, while scores are cached per scheme object.
    """
    if not changes:
        return base
    # The text as written keys too: 0.5 and 0.50 are equal Decimals, not the same setting.
    key = tuple(
        (name, tuple(value.items()) if isinstance(value, dict) else value, repr(value))
        for name, value in sorted(changes.items())
    )
    return _built(base, key)


@functools.lru_cache(maxsize=64)
def _built(base: Scheme, key: tuple[tuple[str, Any, str], ...]) -> Scheme:
    changes: dict[str, Any] = {
        name: dict(value) if isinstance(value, tuple) else value for name, value, _ in key
    }
    description = (
        f"由 perfscore fit 自方案 {base.name} 推断（inferred from published scores by"
        f" perfscore fit, starting from {base.name}）"
    )
    variant = attrs.evolve(base, name=f"{base.name}-fit", description=description, **changes)
    return from_toml(variant.to_toml(), f"{base.name}-fit.toml")


def _result(
    fitted: Scheme, base: Scheme, evaluation: Evaluation, published_total: Decimal | None
) -> Fit:
    scored = [
        s
        for s in evaluation.scores
        if s.published is not None and s.computed is not None and s.status is not Status.MANUAL
    ]
    unexplained = tuple(
        Unexplained(s.indicator.row, s.indicator.level3, s.published, s.computed)
        for s in scored
        if s.published is not None and s.computed is not None and s.published != s.computed
    )
    unscored = sum(1 for s in evaluation.scores if s.published is not None and s.computed is None)
    return Fit(
        scheme=fitted,
        base=base,
        changes=_shown(fitted, base),
        rows=len(scored),
        explained=len(scored) - len(unexplained),
        unexplained=unexplained,
        unscored=unscored,
        evaluation=evaluation,
        published_total=published_total,
        computed_total=evaluation.total if published_total is not None else None,
    )


def _shown(fitted: Scheme, base: Scheme) -> tuple[tuple[str, str], ...]:
    """(setting key, value as shown) of every fitted setting that differs from the base."""
    if fitted is base:
        return ()
    return tuple(
        (f.key, fitted.setting(f.key))
        for f in _fit_fields()
        if fitted.setting(f.key) != base.setting(f.key)
    )


def rule_of(changes: Sequence[tuple[str, str]]) -> str:
    """Fitted changes in a few words: ``保留0位小数、直接舍去`` ("" when none)."""
    return "；".join(f"{field(k).label} {v}" for k, v in changes)


def _fit_fields() -> list[Field]:
    return [f for f in FIELDS if f.key not in HEADING_KEYS]
