"""Score one indicator under a scheme, with a Chinese explanation of every point lost.

:func:`score_indicator` parses the row's target and actual, applies the
scheme's rule for the target's kind (quantity, deadline/period, qualitative,
compound), rounds the points, and returns a frozen :class:`Score` that keeps
both the computed points and the score the unit published.
"""

from __future__ import annotations

import decimal
import enum
import re
from collections import OrderedDict
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from .._cache import MAX_CACHED_TEXT, AdaptiveCache
from ..errors import TargetSyntaxError
from ..indicators import Indicator
from ..parse._tokenizer import TOLERANCE_LABELS, ZERO_PREFIXES, normalize
from ..parse.targets import (
    MAX_TEXT_LENGTH,
    _parse_actual_text,
    _simple_quantity,
    parse_actual,
    parse_target,
)
from ..parse.values import (
    Compound,
    Deadline,
    Outcome,
    Period,
    Qualitative,
    Quantity,
    Tolerance,
    Value,
    format_decimal,
)
from ..parse.vocabulary import MEANINGS, TARGET_PASSABLE, unaccounted
from ._fused import fused_rule
from ._lean import Values, lean_quantities, values
from ._lean import candidate as lean_candidate
from ._lean import read as read_quantity
from .checklist import is_not_applicable, score_checklist
from .formulas import in_decimal_context
from .rules import Context, Result, banded, review, score_value
from .scheme import DECIMAL_CONTEXT, Phrases, Scheme, load_scheme

__all__ = ["Score", "Status", "cells_judged_alone", "judged_cells", "raw_points", "score_indicator"]

_ZERO = Decimal(0)
_TARGET = "\x00target\x00"  # where an explanation names the target
_ONE = Decimal(1)
_HUNDRED = Decimal(100)
# No indicator in a 100-point table weighs more; larger is a typo or an attack.
_MAX_WEIGHT = 1000


class Status(enum.Enum):
    """What became of an indicator: full, partial or zero points, manual, or needs review."""

    FULL = "full"
    PARTIAL = "partial"
    ZERO = "zero"
    MANUAL = "manual"  # no target or actual: the published score is taken as entered
    NEEDS_REVIEW = "needs_review"  # the scheme cannot score it; a person must
    NOT_APPLICABLE = "not_applicable"  # 不适用, left out of the total (not_applicable.rescale)
    HEADING = "heading"  # a 一级/二级 row whose weight is its rows' sum (rows.derived_weights)


# Score is the one object made for every row, so it is built cheaply: an attrs class
# (equality, hash, repr, attrs.evolve and attrs.asdict as before) whose hand-written
# __init__ fills the instance dict in one call instead of one object.__setattr__ per
# field, and whose explanation is written only when first read (see __getattr__).
@attrs.frozen(init=False, slots=False)
class Score:
    """The outcome for one indicator.

    ``computed`` is what the scheme gives (rounded; None when the row needs
    review); ``published`` the 得分 in the input; ``counted`` the score that
    enters the totals — the published one unless recompute was asked for.
    """

    indicator: Indicator
    computed: Decimal | None
    counted: Decimal
    status: Status
    explanation: str
    target: Value | None = None
    actual: Value | None = None
    warnings: tuple[str, ...] = ()
    over_share: Decimal | None = None  # how far an actual exceeds a ≥ target (0.92 = +92%)
    # (column, message) for a target or actual text that cannot be read or names an
    # unknown unit: found once, while scoring, so reports never read the texts again.
    problems: tuple[tuple[str, str], ...] = ()

    def __init__(
        self,
        indicator: Indicator,
        computed: Decimal | None,
        counted: Decimal,
        status: Status,
        explanation: str,
        target: Value | None = None,
        actual: Value | None = None,
        warnings: tuple[str, ...] = (),
        over_share: Decimal | None = None,
        problems: tuple[tuple[str, str], ...] = (),
    ) -> None:
        self.__dict__.update(
            indicator=indicator,
            computed=computed,
            counted=counted,
            status=status,
            explanation=explanation,
            target=target,
            actual=actual,
            warnings=warnings,
            over_share=over_share,
            problems=problems,
        )

    if not TYPE_CHECKING:  # mypy keeps checking every other attribute name

        def __getattr__(self, name: str) -> Any:
            # Only reached when the instance has no such attribute: an explanation not
            # yet written (a Score from _scored) is written now, once, and kept;
            # so are the values of a Score from the lean lane (_lean_score).
            if name == "target" or name == "actual":
                kept = self.__dict__.get("_values")
                if kept is None:
                    raise AttributeError(name)
                target, actual = values(kept)
                self.__dict__.update(target=target, actual=actual)  # threads: equal values
                self.__dict__.pop("_values", None)
                return target if name == "target" else actual
            if name != "explanation":
                raise AttributeError(name)
            lazy = self.__dict__.get("_explain")
            if lazy is None:
                raise AttributeError(name)
            text = _explained(lazy[0], lazy[1], self.computed, lazy[2])
            self.__dict__["explanation"] = text  # threads may both write it: the same text
            self.__dict__.pop("_explain", None)
            return text

    def __getstate__(self) -> dict[str, object]:
        """Pickled (process pools) with its explanation written: a Result may hold a Later."""
        return {f.name: getattr(self, f.name) for f in _SCORE_FIELDS}

    @property
    def weight(self) -> Decimal:
        """The indicator's weight (分值), 0 when missing."""
        return self.indicator.weight if self.indicator.weight is not None else _ZERO

    @property
    def published(self) -> Decimal | None:
        """The score the unit published (得分), if any."""
        return self.indicator.published

    @property
    def differs(self) -> bool:
        """Whether a published score exists and differs from the scheme's."""
        return (
            self.computed is not None
            and self.published is not None
            and self.computed != self.published
        )

    @property
    def lost(self) -> Decimal:
        """Points lost: weight minus counted score."""
        return self.weight - self.counted


_new = object.__new__
_SCORE_FIELDS = attrs.fields(Score)


def _scored(
    indicator: Indicator,
    judged: Judged,
    recompute: bool,
) -> Score:
    """The Score of a judged row, built in one dict update; its explanation when first read."""
    target, actual, result, computed, problems, _ = judged
    counted = _counted(indicator.published, computed, recompute)
    score: Score = _new(Score)
    score.__dict__.update(
        indicator=indicator,
        computed=computed,
        counted=counted,
        status=_status(indicator, computed, counted),
        target=target,
        actual=actual,
        warnings=result.warnings,
        over_share=result.over_share,
        problems=problems,
        _explain=(indicator.published, result, recompute),
    )
    return score


def score_indicator(
    indicator: Indicator,
    scheme: Scheme | None = None,
    *,
    year: int | None = None,
    recompute: bool = False,
) -> Score:
    """Score ``indicator`` under ``scheme`` (default: mof2020).

    ``year`` is the evaluation year, used for deadlines written without one
    (``年底前``).  With ``recompute`` the computed score is counted even where a
    published score exists.
    """
    if scheme is None:
        scheme = _DEFAULT_SCHEME or _default_scheme()
    if indicator.read_problem:
        # The reader could not tell what the row's target or score is (a comparator column
        # contradicting its value, a formula never saved): a person must decide.
        return Score(
            indicator=indicator,
            computed=None,
            counted=_counted(indicator.published, None, recompute),
            status=Status.NEEDS_REVIEW,
            explanation=_explain(indicator, review(indicator.read_problem), None, recompute),
        )
    if scheme.not_applicable_rescale or scheme.checklist:
        special = _special(indicator, scheme, recompute)
        if special is not None:
            return special
    cache = _outcome
    if not cache._on and lean_candidate(indicator.target):
        # The outcome cache pauses: rows are not repeating (a national batch).  The
        # commonest new pair is scored by the lean lane (the pause counts it as a
        # computed call, as _miss would); a pair kept without the names goes on to _miss.
        lean = _lean_score(indicator, scheme, year, recompute)
        if lean is not None:
            return lean
    # _row_outcome, inline: a repeated row costs this key, one lookup and one dict update
    # (the call saved is ~5% of a repeated row; a test checks the two keys agree).
    target, actual = indicator.target, indicator.actual
    key = (
        target,
        actual,
        indicator.weight,
        indicator.published is not None,
        "成本" in indicator.level1 or "成本" in indicator.level2,  # Indicator.is_cost
        scheme,
        year,
        (indicator.level3, indicator.level2),
        str(indicator.weight),  # 2 and 2.0 are equal keys; a capped score is the weight as written
    )
    if len(target) <= MAX_CACHED_TEXT and len(actual) <= MAX_CACHED_TEXT:
        # AdaptiveCache.call, inline (a repeated row is mostly this lookup): a hit while
        # the cache is on counts for its window; anything else is its _miss.
        found = cache._data.get(key) if cache._on else None  # (entries are never None)
        if found is None:
            if (
                cache._trial
                and lean_candidate(target)
                and cache.first_sighting(key, _without_names(key))
            ):
                # A trial window after a pause: a pair seen for the first time goes by the
                # lean lane, as while paused; seen again, under any names, it is kept
                # (AdaptiveCache.first_sighting).
                lean = _lean_score(indicator, scheme, year, recompute)
                if lean is not None:
                    return lean
            judged = cache._miss(key)
        else:
            cache._window_hits += 1
            judged = found
    else:
        judged = _outcome.__wrapped__(*key)
    fields = judged[5]
    if fields is not None:  # no published score: every field but the indicator is shared
        score: Score = _new(Score)
        score.__dict__.update(fields)
        score.__dict__["indicator"] = indicator
        return score
    return _scored(indicator, judged, recompute)


def _lean_score(
    indicator: Indicator, scheme: Scheme, year: int | None, recompute: bool
) -> Score | None:
    """The Score of a plain quantity pair by the lean lane (:mod:`._lean`), off the cache;
    None: not sure, or a pair the name-free cache holds (the usual way then).

    The same Score as the full path's (tests/score/test_lean.py): a lean Score's values
    and explanation are written when first read.
    """
    weight = indicator.weight
    lean = _lean_points(
        indicator.target,
        indicator.actual,
        weight,
        indicator.published is not None,
        "成本" in indicator.level1 or "成本" in indicator.level2,  # Indicator.is_cost
        indicator.level3,
        scheme,
        year,
    )
    if lean is None:
        return None
    result, kept, computed = lean
    counted = _counted(indicator.published, computed, recompute)
    score: Score = _new(Score)
    score.__dict__.update(
        indicator=indicator,
        computed=computed,
        counted=counted,
        status=_status_of(computed, counted, weight, manual=False),
        warnings=result.warnings,
        over_share=result.over_share,
        problems=(),
        _explain=(indicator.published, result, recompute),
        _values=kept,
    )
    return score


def _lean_points(
    target_text: str,
    actual_text: str,
    weight: Decimal | None,
    has_published: bool,
    is_cost: bool,
    name: str,
    scheme: Scheme,
    year: int | None,
) -> tuple[Result, Values, Decimal] | None:
    """The lean lane's result, values and points for a row while the outcome cache pauses,
    counted towards the pause as a computed call; None: not sure, or a pair the name-free
    cache holds (the usual way finds it there).  The target is a candidate
    (:func:`._lean.candidate`); ``name`` the 三级 name."""
    if weight is None or _weight_problem(weight):
        return None
    if len(target_text) <= MAX_CACHED_TEXT and len(actual_text) <= MAX_CACHED_TEXT:
        # The same pair kept without the names (the key _OutcomeCache._miss looks up):
        # pairs repeat across units though every row has its own name.  The usual way
        # finds it there.  (The names given here are dropped from the key.)
        key = _outcome_key(
            target_text, actual_text, weight, has_published, is_cost, scheme, year, name, ""
        )
        if _without_names(key) in _outcome._unnamed:
            return None
    lean = in_decimal_context(
        _lean_outcome, target_text, actual_text, weight, scheme, is_cost, name
    )
    if lean is None:
        return None
    cache = _outcome
    cache._left -= 1
    if cache._left <= 0:
        cache._turn()
    return lean


def judged_cells(
    target: str,
    actual: str,
    weight: Decimal | None,
    published: Decimal | None,
    level1: str,
    level2: str,
    level3: str,
    scheme: Scheme,
    year: int | None,
    recompute: bool,
) -> tuple[Decimal | None, Decimal, Status]:
    """``(computed, counted, status)`` of the Score that :func:`score_indicator` gives an
    Indicator of these fields (every other field at its default), without building the
    Indicator or the Score: for a flat table's rows, whose sums need nothing else
    (:mod:`perfscore.scale.dask`).

    The texts as an Indicator holds them (stripped).  Not for a scheme that scores
    不适用 rows or checklist items: :func:`cells_judged_alone` says which schemes it
    serves.  tests/score/test_judged_cells.py compares it with score_indicator.
    """
    is_cost = "成本" in level1 or "成本" in level2  # Indicator.is_cost
    cache = _outcome
    # score_indicator's lean lane, where it takes it: while the cache pauses, or in a trial
    # window for a pair first seen there that the cache holds no entry for.
    lane = False
    if lean_candidate(target):
        if not cache._on:
            lane = True
        elif cache._trial and len(target) <= MAX_CACHED_TEXT and len(actual) <= MAX_CACHED_TEXT:
            key = _outcome_key(
                target, actual, weight, published is not None, is_cost, scheme, year, level3,
                level2,
            )  # fmt: skip
            lane = key not in cache._data and cache.first_sighting(key, _without_names(key))
    if lane:
        lean = _lean_points(
            target, actual, weight, published is not None, is_cost, level3, scheme, year
        )
        if lean is not None:
            points = lean[2]
            counted = _counted(published, points, recompute)
            return points, counted, _status_of(points, counted, weight, manual=False)
    judged = _cells_outcome(
        target, actual, weight, published is not None, is_cost, scheme, year, level3, level2
    )
    fields = judged[5]
    if fields is not None:  # no published score: these follow from the cached arguments
        return fields["computed"], fields["counted"], fields["status"]  # type: ignore[return-value]
    computed = judged[3]
    counted = _counted(published, computed, recompute)
    manual = _manual(computed, published, target, actual)
    return computed, counted, _status_of(computed, counted, weight, manual=manual)


def cells_judged_alone(scheme: Scheme) -> bool:
    """Whether :func:`judged_cells` scores rows under ``scheme`` as score_indicator does: a
    scheme that scores 不适用 rows or checklist items reads fields it is not given."""
    return not (scheme.not_applicable_rescale or scheme.checklist)


def _lean_outcome(
    target_text: str, actual_text: str, weight: Decimal, scheme: Scheme, is_cost: bool, name: str
) -> tuple[Result, Values, Decimal] | None:
    """The lean lane's result, values and points rounded as _fused_row rounds them; None when
    it is not sure, or when the rule or the rounding raises (the full path words why).

    Runs in DECIMAL_CONTEXT; ``weight`` already checked (_weight_problem), and the target a
    candidate (_lean.candidate).
    """
    target_folded = normalize(target_text)
    target = read_quantity(target_folded)
    if target is None:
        return None
    actual_folded = normalize(actual_text)
    actual = read_quantity(actual_folded)
    if actual is None:
        return None
    try:
        lean = lean_quantities(
            target, actual, weight, scheme, is_cost, target_text, actual_text, name
        )
        if lean is None:
            return None
        result, kept = lean
        points = result.points
        if points is None or (kept[1] == kept[5] and _restates(target_folded, actual_folded)):
            return None  # 完成值与目标一致: the plain answer's (only ever for equal numbers)
        return result, kept, _rounded(points, weight, scheme)
    except (ArithmeticError, ValueError):
        return None


def _lean_judged(
    target_text: str, actual_text: str, weight: Decimal, scheme: Scheme, is_cost: bool, name: str
) -> tuple[Value, Value, Result, Problems, Decimal] | None:
    """_judged_row's answer by the lean lane, values built (a cache keeps them); None: not sure."""
    if not lean_candidate(target_text):
        return None
    lean = _lean_outcome(target_text, actual_text, weight, scheme, is_cost, name)
    if lean is None:
        return None
    result, kept, computed = lean
    return (*values(kept), result, (), computed)


# The default scheme (mof2020), kept here once loaded: load_scheme() returns the same
# object every time (presets are cached), and a repeated row costs about a microsecond,
# of which the two calls were 8%.
_DEFAULT_SCHEME: Scheme | None = None


def _default_scheme() -> Scheme:
    global _DEFAULT_SCHEME  # set once, to the one object load_scheme() returns
    _DEFAULT_SCHEME = load_scheme()
    return _DEFAULT_SCHEME


def raw_points(indicator: Indicator, scheme: Scheme, *, year: int | None = None) -> Decimal | None:
    """The unrounded points of a target/actual row (None: review, or not such a row).

    ``perfscore fit`` rounds these many ways; checklist and 不适用 rows are not fitted.
    """
    # Not through the cache: fit tries many throwaway schemes, whose entries would only
    # push the scorer's own out (and hold their memory) in a long-running service.
    judged = fitted_outcome(indicator, scheme, year=year, cached=False)
    return None if judged is None else judged[2].points


def fitted_outcome(
    indicator: Indicator, scheme: Scheme, *, year: int | None = None, cached: bool = False
) -> Judged | None:
    """The judged outcome ``perfscore fit`` works from; None for 不适用 and checklist rows.

    ``cached`` only for the scheme being scored with (fit's base): its entries are the
    scorer's own, and a row the evaluation just scored is then not judged again.
    """
    if scheme.not_applicable_rescale and is_not_applicable(indicator):
        return None
    if scheme.checklist and indicator.standard.strip() and not indicator.target.strip():
        return None
    return _row_outcome(indicator, scheme, year, cached=cached)


def _row_outcome(
    indicator: Indicator, scheme: Scheme, year: int | None, *, cached: bool = True
) -> Judged:
    """The row's judged outcome, the same for scoring and for ``fit`` (names included).

    score_indicator builds the same key inline; tests/score/test_score_fast_paths.py
    checks that they agree.
    """
    return _cells_outcome(
        indicator.target,
        indicator.actual,
        indicator.weight,
        indicator.published is not None,
        "成本" in indicator.level1 or "成本" in indicator.level2,  # Indicator.is_cost, inline
        scheme,
        year,
        indicator.level3,
        indicator.level2,
        cached=cached,
    )


def _cells_outcome(
    target: str,
    actual: str,
    weight: Decimal | None,
    has_published: bool,
    is_cost: bool,
    scheme: Scheme,
    year: int | None,
    level3: str,
    level2: str,
    *,
    cached: bool = True,
) -> Judged:
    """_row_outcome of an Indicator's fields: the outcome cache's key and its answer."""
    key = _outcome_key(target, actual, weight, has_published, is_cost, scheme, year, level3, level2)
    # Only short texts go through the cache, so its memory stays bounded (see _cache.py);
    # checked here, inline, because a cached row costs only a few microseconds.
    if cached and len(target) <= MAX_CACHED_TEXT and len(actual) <= MAX_CACHED_TEXT:
        return _outcome.call(key)
    return _outcome.__wrapped__(*key)


def _outcome_key(
    target: str,
    actual: str,
    weight: Decimal | None,
    has_published: bool,
    is_cost: bool,
    scheme: Scheme,
    year: int | None,
    level3: str,
    level2: str,
) -> tuple[object, ...]:
    """The outcome cache's key of a row's fields (score_indicator builds it inline)."""
    return (
        target,
        actual,
        weight,
        has_published,
        is_cost,
        scheme,
        year,
        (level3, level2),
        str(weight),  # 2 and 2.0 are equal keys; a capped score is the weight as written
    )


def _without_names(key: tuple[Any, ...]) -> tuple[Any, ...]:
    """An outcome key without its names: the name-free cache's key (_OutcomeCache)."""
    return key[:7] + key[8:]


def _special(indicator: Indicator, scheme: Scheme, recompute: bool) -> Score | None:
    """不适用 rows (``not_applicable.rescale``) and checklist items (``checklist.score``)."""
    if scheme.not_applicable_rescale and is_not_applicable(indicator):
        how = "不适用，不计入总分，其余指标按满分折算 (not applicable: left out, the rest rescaled)"
        return Score(indicator, None, _ZERO, Status.NOT_APPLICABLE, how)
    if not (scheme.checklist and indicator.standard.strip() and not indicator.target.strip()):
        return None
    with decimal.localcontext(DECIMAL_CONTEXT):
        result = score_checklist(indicator, scheme)
        weight = indicator.weight
        computed = (
            None
            if result.points is None or weight is None
            else _rounded(result.points, weight, scheme)
        )
    counted = _counted(indicator.published, computed, recompute)
    return Score(
        indicator=indicator,
        computed=computed,
        counted=counted,
        status=Status.NEEDS_REVIEW if computed is None else _status(indicator, computed, counted),
        explanation=_explain(indicator, result, computed, recompute),
        warnings=result.warnings,
    )


# Real batches repeat the same target/actual pairs ("≥90%" → "95%") across many
# rows and units; the outcome, rounded score included, depends only on these
# arguments, so it is cached: a repeated row costs one lookup and its Score. Only
# short texts are kept (score_indicator checks), so the cache's memory is bounded too.
#
# The cache switches itself off while it does not pay (a national batch where every
# text is new) and on again to try; cached or not, the outcome is the same (_cache.py).
# ``weight_text`` (str of the weight) only keys: equal weights written differently (2,
# 2.0) must not share an entry, since a score capped at the weight is that Decimal.
def _judged_outcome(
    target_text: str,
    actual_text: str,
    weight: Decimal | None,
    has_published: bool,
    is_cost: bool,
    scheme: Scheme,
    year: int | None,
    names: tuple[str, str],
    weight_text: str = "",
) -> Judged:
    target, actual, result, problems, computed = in_decimal_context(
        _decided, target_text, actual_text, weight, has_published, is_cost, scheme, year, names
    )
    fields: dict[str, object] | None = None
    if not has_published:
        # Without a published score every field but the indicator follows from these
        # arguments: _counted, _status and _explain as they give it, computed once.
        counted = computed if computed is not None else _ZERO
        status = _status_of(computed, counted, weight, manual=False)
        fields = {
            "computed": computed,
            "counted": counted,
            "status": status,
            "_explain": (None, result, False),  # the explanation, written when first read
            "target": target,
            "actual": actual,
            "warnings": result.warnings,
            "over_share": result.over_share,
            "problems": problems,
        }
    return target, actual, result, computed, problems, fields


class _OutcomeCache(AdaptiveCache["Judged"]):
    """The adaptive cache of judged rows, and a second one for pairs whose names never count.

    The outcome of most rows depends on the 三级/二级 names only through words the
    names may repeat (labels, trailing words, the forecast 预计) or a target without a
    comparator (its direction from the name).  A pair of words, dates or quantities
    without any of these is judged the same under every name (:func:`_names_unread`),
    so its outcome is kept a second time under a key without the names: in a national
    batch every row has its own name, and ``满意`` → ``基本满意`` or ``第四季度`` →
    ``2024年10月`` still repeat.  It is looked up on every miss of the first cache, on or
    off (a batch of new names turns the first one off).  Only short texts come here
    (score_indicator checks, as for the first cache); at most ``unnamed`` entries, the
    oldest inserted going first; the same locking as AdaptiveCache.
    """

    def __init__(self, function: Callable[..., Judged], maxsize: int, unnamed: int) -> None:
        super().__init__(function, maxsize)
        # An OrderedDict: dropping the oldest is O(1) (a dict's first key after many
        # deletions from its front is found by scanning past them).
        self._unnamed: OrderedDict[tuple[object, ...], Judged] = OrderedDict()
        self._unnamed_size = unnamed

    def _miss(self, key: tuple[Any, ...]) -> Judged:
        """The outcome kept without names if there is one; else computed (and kept)."""
        unnamed = _without_names(key)
        judged = self._unnamed.get(unnamed)
        if judged is not None:
            return judged
        judged = AdaptiveCache._miss(self, key)
        if _names_unread(judged[0], judged[1], quantities=self._on):
            with self._lock:
                kept = self._unnamed
                if len(kept) >= self._unnamed_size:
                    kept.popitem(last=False)
                kept[unnamed] = judged
        return judged

    @property
    def inserting(self) -> bool:
        """Whether rows are repeating enough for the first cache to keep them now."""
        return self._on

    def cache_clear(self) -> None:
        """Empty both caches and the fused path's texts read (benchmarks start cold)."""
        with self._lock:
            self._unnamed = OrderedDict()
            _QUANTITIES.clear()
        super().cache_clear()


def _names_unread(target: Value | None, actual: Value | None, *, quantities: bool) -> bool:
    """Whether the full path judges this pair without reading the names (and it is kept).

    The names are read only by ``_unread`` and ``_passed_tails`` (trailing words),
    ``_unaccounted`` (labels; the actual's 预/預, and then only a 预计 makes a label),
    ``_direction`` (a quantity target without a comparator) and ``_prose`` (a quantity
    target against words).  So: two texts of words, the actual's without 预计; or two
    dates or periods, or two quantities the target's with a comparator, without label or
    trailing words and the actual without 预/預.  Whatever decided the pair (plain
    answer, rule, an exception's review naming the year), the year, weight, cost flag
    and scheme stay in the key.  Quantity pairs are kept only with ``quantities`` (while
    the first cache finds rows repeating): in a batch of new texts their numbers seldom
    repeat, and every entry kept is more for the garbage collector.
    """
    if isinstance(target, Qualitative):
        return isinstance(actual, Qualitative) and "预计" not in normalize(actual.text)
    if isinstance(target, Quantity) and isinstance(actual, Quantity):
        if not quantities or target.comparator is None:
            return False
    elif not (isinstance(target, Deadline | Period) and isinstance(actual, Deadline | Period)):
        return False
    return not (
        target.label
        or target.trailing
        or actual.label
        or actual.trailing
        or "预" in actual.text
        or "預" in actual.text
    )


_outcome = _OutcomeCache(_judged_outcome, maxsize=32768, unnamed=8192)


# (column, message) of a target or actual text that cannot be read, or names a unit
# nobody knows: found once, while scoring, and kept on the Score.
Problems = tuple[tuple[str, str], ...]


def _decided(
    target_text: str,
    actual_text: str,
    weight: Decimal | None,
    has_published: bool,
    is_cost: bool,
    scheme: Scheme,
    year: int | None,
    names: tuple[str, str],
) -> tuple[Value | None, Value | None, Result, Problems, Decimal | None]:
    """_judged_row's answer: by the lean lane or the fused path for the commonest pairs, else
    by _judged_row."""
    if weight is not None and not _weight_problem(weight):
        lean = _lean_judged(target_text, actual_text, weight, scheme, is_cost, names[0])
        if lean is not None:
            return lean
    fused = _fused_row(target_text, actual_text, weight, is_cost, scheme, year, names)
    if fused is not None:
        return fused
    return _judged_row(
        target_text, actual_text, weight, has_published, is_cost, scheme, year, names
    )


def _fused_row(
    target_text: str,
    actual_text: str,
    weight: Decimal | None,
    is_cost: bool,
    scheme: Scheme,
    year: int | None,
    names: tuple[str, str],
) -> tuple[Value, Value, Result, Problems, Decimal | None] | None:
    """_judged_row for two texts the parser's quantity or date fast path reads; None: not sure.

    The same steps as _judge and _judged_row, in their order, with what cannot apply left
    out: the weight's checks; each text read as the parser reads it (a quantity by its
    first fast path, anything else by parse_target and parse_actual's cache; an error, or
    words for the actual, are the full path's); the plain answer, else the rule
    (_fused.fused_rule, or None); the values' warnings; the problems and the rounding.
    Any exception is the full path's to word: None.
    """
    if weight is None or _weight_problem(weight):
        return None  # _judge words the review
    if len(target_text) > MAX_TEXT_LENGTH or len(actual_text) > MAX_TEXT_LENGTH:
        return None  # _parse refuses them, whatever a fast path would read
    target_folded, actual_folded = normalize(target_text), normalize(actual_text)
    try:
        # A new quantity text is read at once (what _parse returns first, as the
        # parser's caches would); other texts through the caches, where dates repeat.
        target = _quantity(target_text, target_folded, keep=True) or parse_target(target_text)
        actual = _quantity(actual_text, actual_folded, keep=False) or _parse_actual_text(
            actual_text
        )
    except TargetSyntaxError:
        return None
    if isinstance(actual, Qualitative):
        return None  # parse_actual classifies its words: the full path's
    context = Context(scheme, year, is_cost, names[0].strip(), names)
    ruled = False
    try:
        result = _plain_folded(
            target_text, actual_text, target_folded, actual_folded, weight, context
        )
        if result is None:
            result, ruled = fused_rule(target, actual, weight, context), True
    except (ArithmeticError, ValueError):
        return None
    if result is None:
        return None
    if not ruled or target.warnings or actual.warnings:
        # fused_rule took no trailing words: nothing to pass, and without the values'
        # warnings the result's own are the row's.
        result = _with_values_warnings(target, actual, result, context)
    # fused_rule takes quantities with a known unit and dates only: no unknown unit to
    # report (_unknown_unit), so _text_problems finds nothing; a plain answer may not.
    problems = () if ruled else _text_problems(target_text, actual_text, scheme, target, actual)
    if result.points is None:
        return target, actual, result, problems, None
    return target, actual, result, problems, _rounded(result.points, weight, scheme)


def _quantity(text: str, folded: str, *, keep: bool) -> Quantity | None:
    """_simple_quantity's reading of a text; None for a date (年, 月, 季): the caches'.

    Only a shortcut: whenever it returns None the parser's own answer (and caches) are
    taken.  With ``keep`` (targets: they repeat more than actuals) a short text read is
    kept in a plain dict (cleared when full, and with _outcome): a lookup costs far less
    than the parser's cache wrapper, and a row that misses the outcome cache still
    repeats its texts often (one unit's tables).  Kept only while the outcome cache
    finds rows repeating: in a batch of new texts keeping them is only more for the
    garbage collector (measured on both bench_floor mixtures).
    """
    quantity = _QUANTITIES.get(text) if keep else None
    if quantity is not None:
        return quantity
    if "年" in folded or "月" in folded or "季" in folded:
        return None
    quantity = _simple_quantity(text, folded)
    if keep and quantity is not None and _outcome.inserting and len(text) <= MAX_CACHED_TEXT:
        if len(_QUANTITIES) >= _QUANTITIES_KEPT:
            _QUANTITIES.clear()
        _QUANTITIES[text] = quantity
    return quantity


_QUANTITIES: dict[str, Quantity] = {}
_QUANTITIES_KEPT = 4096


def _judged_row(
    target_text: str,
    actual_text: str,
    weight: Decimal | None,
    has_published: bool,
    is_cost: bool,
    scheme: Scheme,
    year: int | None,
    names: tuple[str, str],
) -> tuple[Value | None, Value | None, Result, Problems, Decimal | None]:
    """Judge, read the texts' problems and round: the part of _outcome in DECIMAL_CONTEXT."""
    target, actual, result = _judge(
        target_text, actual_text, weight, has_published, is_cost, scheme, year, names
    )
    problems = _text_problems(target_text, actual_text, scheme, target, actual)
    if result.points is None or weight is None:
        return target, actual, result, problems, None
    return target, actual, result, problems, _rounded(result.points, weight, scheme)


# A row's judged outcome: target, actual, the unrounded result, the rounded score (None:
# review), the texts' problems, and for a row without a published score the fields of
# its Score but the indicator (None otherwise).
Judged = tuple[
    Value | None, Value | None, Result, Decimal | None, Problems, dict[str, object] | None
]


def _text_problems(
    target_text: str, actual_text: str, scheme: Scheme, target: Value | None, actual: Value | None
) -> Problems:
    """The reading problems of a row's two texts; a text already read is not read again."""
    if target is not None and actual is not None:
        # The common row, both texts read: only their units can be a problem.
        unit, other = _unknown_unit(target), _unknown_unit(actual)
        if not unit and not other:
            return ()
    found: list[tuple[str, str]] = []
    for column, text, value, actual_side in (
        ("年度指标值", target_text, target, False),
        ("实际完成值", actual_text, actual, True),
    ):
        if value is None and text.strip():
            # Not read while scoring (an earlier check stopped first, or it failed).
            try:
                value = parse_actual(text, scheme.phrases) if actual_side else parse_target(text)
            except TargetSyntaxError as error:
                found.append((column, str(error)))
                continue
        unit = _unknown_unit(value)
        if unit:
            found.append((column, f"单位「{unit}」无法识别 (unknown unit {unit!r})"))
    return tuple(found)


def _unknown_unit(value: Value | None) -> str:
    """The unread text right after a number that has no unit (``450公斤`` → ``公斤``)."""
    if value is None:
        return ""
    clauses = value.clauses if isinstance(value, Compound) else (value,)
    for clause in clauses:
        broken = clause.unit_text or clause.trailing if isinstance(clause, Quantity) else ""
        if isinstance(clause, Quantity) and clause.unit is None and broken:
            return broken
    return ""


def _judge(
    target_text: str,
    actual_text: str,
    weight: Decimal | None,
    has_published: bool,
    is_cost: bool,
    scheme: Scheme,
    year: int | None,
    names: tuple[str, str] = ("", ""),
) -> tuple[Value | None, Value | None, Result]:
    if not target_text.strip() and not actual_text.strip():
        if has_published:
            return (
                None,
                None,
                review("无目标值和完成值，采用填报得分 (no target or actual: manual)"),
            )
        return None, None, review("目标值和完成值均为空 (no target and no actual)")
    if weight is None or _weight_problem(weight):
        return None, None, review(_weight_problem(weight))
    try:
        target = parse_target(target_text)
    except TargetSyntaxError as error:
        return None, None, review(f"目标值无法识别 (target unreadable): {error.message}")
    if not actual_text.strip():
        return target, None, review("缺少完成值 (no actual value)")
    try:
        actual = parse_actual(actual_text, scheme.phrases)
    except TargetSyntaxError as error:
        return target, None, review(f"完成值无法识别 (actual unreadable): {error.message}")
    context = Context(scheme, year, is_cost, names[0].strip(), names)
    try:
        result = _plain_answer(target_text, actual_text, weight, context)
        if result is None:
            result = (
                _unread(target, actual, context)
                or _unaccounted(target, actual, context)
                or score_value(target, actual, weight, context)
            )
    except (ArithmeticError, ValueError) as error:
        # One value that cannot be computed is this row's review, never the file's failure.
        result = review(_uncomputable(error, target_text, actual_text, year))
    return target, actual, _with_values_warnings(target, actual, result, context)


def _with_values_warnings(target: Value, actual: Value, result: Result, context: Context) -> Result:
    """The result with the values' warnings before its own, but those about passable tails."""
    warnings = (*target.warnings, *actual.warnings, *result.warnings)
    tails = result.points is not None and (
        isinstance(target, Compound)
        or isinstance(actual, Compound)
        or bool(getattr(target, "trailing", ""))
        or bool(getattr(actual, "trailing", ""))
    )
    passed = _passed_tails(target, actual, context) if tails else ()
    warnings = tuple(w for w in warnings if not w.startswith(passed)) if passed else warnings
    if warnings != result.warnings:
        result = result.revised(warnings=_unique(warnings))
    return result


def _weight_problem(weight: Decimal | None) -> str:
    """Why a row's weight cannot be scored with ("" if it can): missing, not finite, or
    outside 0–_MAX_WEIGHT.  The fused path declines such a row; _judge reviews it."""
    if weight is None or not weight.is_finite():
        return "分值缺失或无效 (weight missing or invalid)"
    if weight < 0 or weight > _MAX_WEIGHT:
        return f"分值 {format_decimal(weight)} 不在 0–{_MAX_WEIGHT} 之间 (weight out of range)"
    return ""


def _uncomputable(error: Exception, target: str, actual: str, year: int | None) -> str:
    """Why a row could not be computed, for a finance officer: the texts and what to check."""
    texts = f"目标「{target[:60]}」、完成值「{actual[:60]}」"
    if isinstance(error, ArithmeticError):
        return (
            f"{texts}的数值超出可计算范围，请核对数量级和单位"
            " (the numbers are out of the range perfscore computes in: check magnitudes and units)"
        )
    if "day is out of range" in str(error) or "month must be" in str(error):
        return (
            f"{texts}中的日期在 {year or '评价'} 年不存在（如非闰年的2月29日），请核对日期"
            f" (a date that does not exist in {year or 'the year'}, e.g. 29 February"
            " in a non-leap year: check the date)"
        )
    return f"{texts}无法计算 (cannot be computed: {error})"


# Words around an actual that only restate the target ("已完成"→"完成", "均合格").
_AFFIXES = re.compile(
    r"^(?:已经|已|均已|均|全部|全都|都|经|结果为|评定为|等级为|为)+|(?:了|。|！)+$"
)
_PUNCTUATION = re.compile(r"[\s，。；、,.;:：!！\"“”'‘’（）()]+")

# Grade and yes/no words, ranked: an actual at or above the target's rank meets
# it; a failing word (rank 0) is 未达成; a lower passing grade is 部分达成.
_GRADES: dict[str, int] = {
    "优秀": 4, "优": 4, "优良": 3, "良好": 3, "良": 3, "较好": 3, "合格": 2, "达标": 2,
    "通过": 2, "通过验收": 2, "验收通过": 2, "验收合格": 2, "是": 2, "有": 2, "满意": 2,
    "一般": 1, "基本合格": 1, "基本满意": 1, "基本达标": 1, "中": 1,
    "不合格": 0, "未通过": 0, "未通过验收": 0, "验收不合格": 0, "不达标": 0, "否": 0,
    "不满意": 0, "较差": 0, "差": 0, "无": 0, "没有": 0,
}  # fmt: skip


_DIGIT = re.compile(r"\d")
_SPACES = re.compile(r"\s+")


def _bare_text(folded: str) -> str:
    return _AFFIXES.sub("", _PUNCTUATION.sub("", folded))


_LONGEST_GRADE = max(map(len, _GRADES))


def _grade(bare: str, phrases: Phrases | None = None) -> int | None:
    """The rank of the grade word the bare text ``bare`` ends with (the longest); None if none.

    A grade word after a negation (``未合格``, ``尚未达标``, ``未达到优良``) ranks 0: the
    negation words are the outcome rule's (``phrases``, the scheme's), so the two agree.
    """
    if any(ch.isdigit() for ch in bare):
        return None
    # Suffixes longest first: at most one grade word has a given length, so this
    # finds the same word as trying the words longest first, in a few dict lookups.
    for length in range(min(len(bare), _LONGEST_GRADE), 0, -1):
        rank = _GRADES.get(bare[-length:])
        if rank is not None:
            before = bare[:-length]
            if rank and before and phrases is not None and phrases.negates_grade(before):
                return 0
            return rank
    return None


def _restates(target_folded: str, actual_folded: str) -> bool:
    """Whether the actual restates a numeric target: the same text after folding width and spaces.

    Only spaces and affix words (已, 均为, 。) are set aside: ``10.0%`` never restates
    ``100%``, nor ``9.5%`` ``95%``, nor ``125万元`` ``12.5万元``.
    """
    target, actual = "".join(target_folded.split()), "".join(actual_folded.split())
    if target == actual:
        return bool(target)
    # _AFFIXES matches only non-empty text, so no match is the same as sub changing nothing.
    if target not in actual and _AFFIXES.search(target) is None:
        return False  # the common row: another number altogether
    return bool(target) and _AFFIXES.sub("", actual) == _AFFIXES.sub("", target)


def _plain_answer(
    target_text: str, actual_text: str, weight: Decimal, context: Context
) -> Result | None:
    """达成 when the actual restates the target; grade and yes/no words by rank."""
    return _plain_folded(
        target_text, actual_text, normalize(target_text), normalize(actual_text), weight, context
    )


def _plain_folded(
    target_text: str,
    actual_text: str,
    target_folded: str,
    actual_folded: str,
    weight: Decimal,
    context: Context,
) -> Result | None:
    """_plain_answer of texts already folded (``normalize``)."""
    if _DIGIT.search(target_folded):
        # A target with a digit names no grade; the actual restates it only when the
        # texts are the same (digits, dots and commas included).
        if _restates(target_folded, actual_folded):
            return banded(Outcome.ACHIEVED, weight, context, "完成值与目标一致")
        return None
    target, actual = _bare_text(target_folded), _bare_text(actual_folded)
    if target and actual == target:
        return banded(Outcome.ACHIEVED, weight, context, "完成值与目标一致")
    if target and not _DIGIT.search(target) and actual in (f"基本{target}", f"初步{target}"):
        # 基本健全 for 健全: the target restated with 基本/初步 is the usual way to say
        # "partly", as 基本完成 is for 完成.
        return banded(
            Outcome.PARTIAL, weight, context, f"完成值为「{actual}」（目标「{target}」前加限定）"
        )
    wanted = _grade(target)
    if wanted is None or wanted == 0:
        return None
    got = _grade(actual, context.scheme.phrases)
    if got is None:
        return None
    if got >= wanted:
        outcome = Outcome.ACHIEVED
    elif got == 0:
        outcome = Outcome.NOT_ACHIEVED
    else:
        outcome = Outcome.PARTIAL
    return banded(
        outcome, weight, context, f"等级「{actual_text.strip()}」对应目标「{target_text.strip()}」"
    )


def _unread(target: Value, actual: Value, context: Context) -> Result | None:
    """Review when words of the target or actual were not read: a score needs every word.

    Words after a value pass only when every one is passable or the indicator's name
    (``120人。``, ``96%（截至12月底）``); anything else is named for a person.
    """
    for role, value in (("目标值", target), ("完成值", actual)):
        for clause in value.clauses if isinstance(value, Compound) else (value,):
            trailing = getattr(clause, "trailing", "")
            if trailing and not _passable_tail(trailing, target, context):
                which = "target" if role == "目标值" else "actual"
                words = unaccounted(normalize(trailing), _names(target, context))
                said = "".join(
                    f"；「{word}」{MEANINGS[kind][0]}" for word, kind in words if kind != "unknown"
                )
                return review(
                    f"{role}「{clause.text}」中的「{trailing}」未能识别{said}，需人工核对"
                    f" (unread text {trailing!r} in the {which})"
                )
    return None


def _passable_tail(trailing: str, target: Value, context: Context) -> bool:
    return not unaccounted(normalize(trailing), _names(target, context))


def _names(target: Value, context: Context) -> tuple[str, ...]:
    """The names a word may repeat: 三级, 二级, and the target's labels (see _unaccounted)."""
    if isinstance(target, Compound) or not context.name:
        targets = target.clauses if isinstance(target, Compound) else (target,)
        return context.names + tuple(getattr(clause, "label", "") for clause in targets)
    return context.names


def _passed_tails(target: Value, actual: Value, context: Context) -> tuple[str, ...]:
    """The parse warnings about words after a value that turned out to be passable."""
    tails = []
    for value in (target, actual):
        for clause in value.clauses if isinstance(value, Compound) else (value,):
            trailing = getattr(clause, "trailing", "")
            if trailing and _passable_tail(trailing, target, context):
                tails.append(f"未识别的文字「{trailing}」")
    return tuple(tails)


def _unaccounted(target: Value, actual: Value, context: Context) -> Result | None:
    """Review when a word before a value is neither the indicator's name nor passable.

    The names a label may repeat are the 三级 and 二级 names; a compound target's clause
    labels name its sub-items, and with no 三级指标 the target's own label is the name:
    there only the words with a meaning (较上年, 超支, 其中…) are checked.
    """
    if (
        not isinstance(target, Compound)
        and not isinstance(actual, Compound)
        and not getattr(target, "label", "")
        and not getattr(actual, "label", "")
        and "预" not in actual.text
        and "預" not in actual.text
    ):
        return None  # the common row: nothing before either value
    names = _names(target, context)
    own_names = isinstance(target, Compound) or not context.name
    for clause in target.clauses if isinstance(target, Compound) else (target,):
        found = _label_words("目标值", clause, context.names if own_names else names, context,
                             meaningful_only=own_names)  # fmt: skip
        if found is not None:
            return found
    for clause in actual.clauses if isinstance(actual, Compound) else (actual,):
        found = _label_words("完成值", clause, names, context)
        if found is not None:
            return found
    return None


def _label_words(
    role: str,
    clause: Value,
    names: tuple[str, ...],
    context: Context,
    *,
    meaningful_only: bool = False,
) -> Result | None:
    raw, text = getattr(clause, "label", ""), getattr(clause, "text", "")
    forecast = role == "完成值" and ("预" in text or "預" in text)
    if not raw and not forecast:
        return None  # the common row: nothing before the value
    label = normalize(raw)
    if forecast and "预计" in normalize(text) and "预计" not in label:
        label += "预计"  # 预计120人: a forecast (the parser reads 约), not what was done
    if not label or (
        isinstance(clause, Quantity) and normalize(clause.text).startswith(ZERO_PREFIXES)
    ):
        return None  # 无安全事故: the words after 无 name what did not happen
    phrases = context.scheme.phrases
    if phrases.negated(label):
        # 未达到95%: the negation is read (未达成); only the words before it are checked.
        label = label[: -len(max((n for n in phrases.negations if label.endswith(n)), key=len))]
    if isinstance(clause, Tolerance):
        label = label.removesuffix(next((w for w in TOLERANCE_LABELS if label.endswith(w)), ""))
    words = unaccounted(label, names, TARGET_PASSABLE if role == "目标值" else ())
    if meaningful_only:
        words = tuple(w for w in words if w[1] != "unknown")
    if not words:
        return None
    said = "；".join(f"「{word}」{MEANINGS[kind][0]}" for word, kind in words)
    told = "; ".join(f"{word!r}: {MEANINGS[kind][1]}" for word, kind in words)
    which = "target" if role == "目标值" else "actual"
    return review(f"{role}「{clause.text}」中{said}，需人工核对 (words in the {which}: {told})")


def _rounded(points: Decimal, weight: Decimal, scheme: Scheme) -> Decimal:
    # Rounding must never lift a score above its weight (0.5 → 1 with integer
    # rounding): full marks are the weight itself.
    rounded = scheme.round(points)
    return weight if rounded > weight and scheme.cap else rounded


def _unique(items: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _counted(published: Decimal | None, computed: Decimal | None, recompute: bool) -> Decimal:
    """The score that enters the totals: the computed one unless a published score is
    kept (no recompute), the published one, else 0."""
    if computed is not None and (recompute or published is None):
        return computed
    return published if published is not None else _ZERO


def _status(indicator: Indicator, computed: Decimal | None, counted: Decimal) -> Status:
    manual = _manual(computed, indicator.published, indicator.target, indicator.actual)
    return _status_of(computed, counted, indicator.weight, manual=manual)


def _manual(computed: Decimal | None, published: Decimal | None, target: str, actual: str) -> bool:
    """Whether the published score is taken as entered: no target, no actual, no score."""
    return computed is None and published is not None and not target.strip() and not actual.strip()


def _status_of(
    computed: Decimal | None, counted: Decimal, weight: Decimal | None, *, manual: bool
) -> Status:
    """The status rule: review (or manual: the published score taken), full, zero, partial."""
    if computed is None:
        return Status.MANUAL if manual else Status.NEEDS_REVIEW
    if counted >= (weight if weight is not None else _ZERO):
        return Status.FULL
    return Status.ZERO if counted <= 0 else Status.PARTIAL


def _explain(
    indicator: Indicator, result: Result, computed: Decimal | None, recompute: bool
) -> str:
    return _explained(indicator.published, result, computed, recompute)


def _explained(
    published: Decimal | None, result: Result, computed: Decimal | None, recompute: bool
) -> str:
    text = result.how
    if computed is not None and published is not None and computed != published:
        counted = "按方案计入" if recompute else "按填报计入"
        text += (
            f"；填报得分 {format_decimal(published)} 与方案得分 {computed:f} 不一致"
            f"（差 {published - computed:+f}，{counted}）"
        )
    elif computed is None and published is not None and result.how.startswith("无目标值"):
        text += f"：{format_decimal(published)}"
    elif computed is None and published is not None:
        text += f"；计入填报得分 {format_decimal(published)}"
    return text
