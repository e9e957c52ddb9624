"""Score a Dask DataFrame of indicator rows partition by partition, and roll up per project.

Needs ``pip install 'perfscore[dask]'``.  The same code runs on a laptop, a
``dask.distributed`` cluster (``Client("tcp://scheduler:8786")``), Kubernetes
(dask-kubernetes) or an HPC queue (dask-jobqueue): only the ``Client`` changes.

Each partition is scored with :func:`perfscore.scale.frames.score_frame`, so a row
gets exactly the score the single-process path gives.  Rows of one project
may sit in several partitions: :func:`project_totals` sums per partition and
then adds the partial sums, which is exact because the sums are Decimals.  Given a
:func:`score_dask` result as it was returned, it scores and sums each partition in
one pass (the same rows, the same scores) instead of building the scored frame first.
Each project's grade and status come from the one verdict
(:func:`perfscore.score.verdict.decide`), decided from the summed
:class:`~perfscore.score.verdict.Tally` of its rows — the same rule as ``perfscore
score`` and ``perfscore batch``.  Flat rows carry no budget-execution block, so the
weights must add up to 100 on the indicators.
"""

from __future__ import annotations

import operator
import time
import uuid
import weakref
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from itertools import repeat
from typing import TYPE_CHECKING, Any

import attrs

from .._gc import no_collections
from ..score.scheme import Scheme, load_scheme
from ..score.scoring import Status, cells_judged_alone, judged_cells, score_indicator
from ..score.verdict import Tally, decide
from .frames import FRAME_COLUMNS, frame_fields, indicators_from_frame, score_frame

if TYPE_CHECKING:
    import dask.dataframe as dd
    import pandas as pd

__all__ = ["PROJECT_TOTAL_COLUMNS", "profile_partition", "project_totals", "score_dask"]

NOT_GRADED = "未评级 (not graded)"
PROJECT_TOTAL_COLUMNS = (
    "weight",
    "total",
    "indicators",
    "needs_review",
    "grade",
    "status",
    "reason",
)


def _score_partition(
    partition: pd.DataFrame,
    keys: Sequence[str],
    columns: Mapping[str, str] | None,
    scheme: Scheme | None,
    recompute: bool,
    timings: dict[str, float] | None = None,
) -> pd.DataFrame:
    import pandas as pd

    if partition.empty:  # dask asks empty partitions too; they must still have the columns
        return _meta(partition, keys)
    scored = score_frame(
        partition, columns=columns, scheme=scheme, recompute=recompute, timings=timings
    )
    start = time.process_time()
    result = pd.concat([partition[list(keys)], scored], axis=1)
    if timings is not None:
        timings["build"] = timings.get("build", 0.0) + time.process_time() - start
    return result


def _meta(frame: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    import pandas as pd

    meta = pd.DataFrame({k: pd.Series([], dtype=frame[k].dtype) for k in keys})
    for name in FRAME_COLUMNS:
        meta[name] = pd.Series([], dtype="int64" if name == "row" else object)
    return meta


def score_dask(
    frame: dd.DataFrame,
    *,
    keys: Sequence[str] = ("file", "project"),
    columns: Mapping[str, str] | None = None,
    scheme: Scheme | None = None,
    recompute: bool = False,
) -> dd.DataFrame:
    """Score every row lazily: ``keys`` columns, then :data:`~perfscore.scale.frames.FRAME_COLUMNS`.

    ``keys`` name the project (kept as they are); ``columns`` map Indicator
    fields to column names as in :func:`~perfscore.scale.frames.score_frame`.  The
    ``row`` column numbers rows within each partition unless ``columns`` maps it.
    """
    scheme = scheme or load_scheme()
    scored: dd.DataFrame = frame.map_partitions(  # type: ignore[no-untyped-call]
        _score_partition,
        list(keys),
        dict(columns or {}),
        scheme,
        recompute,
        meta=_meta(frame._meta, keys),
    )
    _remember(scored, _Scoring(frame, tuple(keys), dict(columns or {}), scheme, recompute))
    return scored


@attrs.frozen
class _Scoring:
    """What :func:`score_dask` scored a frame with: enough to score it again."""

    frame: Any  # the dask DataFrame scored
    keys: tuple[str, ...]
    columns: dict[str, str]
    scheme: Scheme
    recompute: bool


# score_dask's results, by id, while they live: project_totals of one of them, unchanged,
# scores and sums each partition in one pass instead of building the scored frame.
_SCORED: dict[int, tuple[weakref.ref[Any], _Scoring]] = {}


def _remember(scored: dd.DataFrame, scoring: _Scoring) -> None:
    key = id(scored)

    def forget(_: object, key: int = key) -> None:
        _SCORED.pop(key, None)

    _SCORED[key] = (weakref.ref(scored, forget), scoring)


def _scoring_of(scored: dd.DataFrame) -> _Scoring | None:
    """How ``scored`` was made, if it is a score_dask result as it was returned."""
    found = _SCORED.get(id(scored))
    if found is None or found[0]() is not scored:
        return None
    return found[1]


_TALLY_FIELDS = tuple(f.name for f in attrs.fields(Tally))
# The order of _row_tally's values; tests check it is Tally's field order.
_ROW_FIELDS = (
    "rows",
    "weight",
    "counted",
    "published_parts",
    "needs_review",
    "review_weight",
    "review_counted",
    "above_weight",
    "full_marks_on_miss",
    "unsaved_formulas",
)
_ZERO = Decimal(0)


def _row_tally(
    weight: Decimal | None,
    counted: Decimal,
    computed: Decimal | None,
    published: Decimal | None,
    needs_review: bool,
) -> tuple[Any, ...]:
    """:meth:`Tally.of_row` of a flat row as a plain tuple (field order :data:`_ROW_FIELDS`).

    The same arithmetic as ``Tally.of_row`` without building a Tally per row; tests
    compare the two on every kind of row (None, zero and negative-zero Decimals, any
    exponent, rows needing review).
    """
    shown = weight if weight is not None else _ZERO
    return (
        1,
        shown,
        counted,
        published if published is not None else (computed or _ZERO),
        int(needs_review),
        shown if needs_review else _ZERO,
        counted if needs_review else _ZERO,
        int(weight is not None and counted > weight),
        int(
            weight is not None
            and published is not None
            and computed is not None
            and published == weight
            and computed < weight
        ),
        0,  # flat rows carry no formula: no published score is an unsaved formula
    )


def _add(sums: dict[tuple[Any, ...], list[Any]], key: tuple[Any, ...], part: Sequence[Any]) -> None:
    """Add ``part`` to ``key``'s sums field by field, as ``Tally.__add__`` does (left + right)."""
    mine = sums.get(key)
    if mine is None:
        sums[key] = list(part)
    else:
        for at, value in enumerate(part):
            mine[at] = mine[at] + value


def _project_sums(
    key_rows: Sequence[tuple[Any, ...]], parts: Iterable[Sequence[Any]]
) -> dict[tuple[Any, ...], list[Any]]:
    """Each project's sums over a partition: its rows' tallies added in row order."""
    sums: dict[tuple[Any, ...], list[Any]] = {}
    for key, part in zip(key_rows, parts, strict=True):
        _add(sums, key, part)
    return sums


def _key_rows(frame: pd.DataFrame, keys: Sequence[str]) -> list[tuple[Any, ...]]:
    """Each row's key tuple, read column by column (``tolist``: the values ``to_dict`` gives)."""
    if not keys:
        return [()] * len(frame)
    return list(zip(*(frame[k].tolist() for k in keys), strict=True))


# A partition's partial sums as they leave a worker for project_totals: per project its
# key, its sums (Tally fields, _add's lists) and, when asked, the verdict on those sums.
# Plain tuples: no frame is built, concatenated on a worker or taken apart on the client.
PartialRows = list[tuple[tuple[Any, ...], list[Any], tuple[str, str, str] | None]]


# A partition's PartialRows as they travel: the projects' keys, one list per Tally field
# (a Decimal as its text) and the verdicts, each list in the projects' order.
Columns = tuple[list[tuple[Any, ...]], list[list[Any]], list[tuple[str, str, str] | None]]


class _Sealed:
    """One partition's :data:`PartialRows`, pickled whole on its way to the client.

    dask.distributed serialises a bare list or tuple element by element, each with its
    own header (measured: 4 s of client CPU for 100,000 projects, after the workers were
    done); an object of this class is one ``pickle.dumps``.  It travels as
    :data:`Columns`: a list per field instead of a list and two tuples per project
    (the client unpickled 100,000 projects in 0.4–0.5 s, and in 0.05 s as columns), the
    Decimals as their text (``str`` gives a Decimal back exactly, sign and exponent
    included: pickle writes a text in one step, a Decimal through a call and a tuple of
    its own), and each distinct verdict once (pickle then refers back to it).  The
    client reads the columns (:func:`_merged`); ``rows`` gives the projects back.
    """

    __slots__ = ("_columns", "_rows")

    def __init__(self, rows: PartialRows | None = None, columns: Columns | None = None) -> None:
        self._rows = rows
        self._columns = columns

    @property
    def rows(self) -> PartialRows:
        """The partition's PartialRows (from the columns, once, if it came as columns)."""
        if self._rows is None:
            keys, fields, verdicts = self.columns
            sums = [list(map(_number, values)) for values in zip(*fields, strict=True)]
            self._rows = list(zip(keys, sums, verdicts, strict=True))
        return self._rows

    @property
    def columns(self) -> Columns:
        """The partition's projects as :data:`Columns` (Decimals as text)."""
        if self._columns is None:
            rows = self.rows
            decimal = Decimal
            fields = [
                [str(v) if type(v) is decimal else v for v in field]
                for field in zip(*(values for _, values, _ in rows), strict=True)
            ] or [[] for _ in _TALLY_FIELDS]
            kept: dict[tuple[str, str, str] | None, tuple[str, str, str] | None] = {}
            verdicts = [kept.setdefault(verdict, verdict) for _, _, verdict in rows]
            self._columns = ([key for key, _, _ in rows], fields, verdicts)
        return self._columns

    def __reduce__(self) -> tuple[Callable[[Columns], _Sealed], tuple[Columns]]:
        return (_unsealed, (self.columns,))


def _number(value: Any) -> Any:
    """A sum as it travelled: a text is a Decimal's (:class:`_Sealed`), a count as it is."""
    return Decimal(value) if type(value) is str else value


def _unsealed(columns: Columns) -> _Sealed:
    """A _Sealed as it arrives: its columns, read by the client as they are."""
    return _Sealed(columns=columns)


def _sealed(function: Any, *arguments: Any) -> _Sealed:
    """``function(*arguments)`` (a partition's PartialRows), sealed for the trip back."""
    return _Sealed(function(*arguments))


def _partial_rows(
    scored: pd.DataFrame,
    keys: list[str],
    timings: dict[str, float] | None = None,
    verdicts: _Verdicts | None = None,
) -> PartialRows:
    """Each project's sums over a scored frame's rows (Tally fields, added in row order),
    with ``verdicts`` the verdict on them, as :data:`PartialRows`."""
    start = time.process_time()
    rows = zip(
        *(scored[name].tolist() for name in ("weight", "counted", "computed", "published")),
        scored["status"].tolist(),
        strict=True,
    )
    parts = (
        _row_tally(weight, counted, computed, published, status == "needs_review")
        for weight, counted, computed, published, status in rows
    )
    result = _decided_rows(_project_sums(_key_rows(scored, keys), parts), verdicts)
    if timings is not None:
        timings["tally"] = timings.get("tally", 0.0) + time.process_time() - start
    return result


def _decided_rows(
    sums: dict[tuple[Any, ...], list[Any]], verdicts: _Verdicts | None
) -> PartialRows:
    """Each project's key and sums, and with ``verdicts`` the verdict on these sums — the
    project's own when no other partition holds its rows (most projects), so the client
    decides only the projects split across partitions."""
    if verdicts is None:
        return [(key, values, None) for key, values in sums.items()]
    return [(key, values, verdicts.decided(values)) for key, values in sums.items()]


@attrs.frozen
class _Verdicts:
    """What decides a project's verdict from its sums: the scheme's grades, and recompute."""

    scheme: Scheme
    recompute: bool

    def decided(self, sums: Sequence[Any]) -> tuple[str, str, str]:
        """The verdict on a project's sums (Tally fields): grade, status and reason."""
        verdict = decide(Tally(*sums), self.scheme.grade, recompute=self.recompute)
        grade = verdict.grade if verdict.graded else NOT_GRADED
        reason = "; ".join(str(r) for r in (*verdict.reasons, *verdict.notes))
        return grade, verdict.status.value, reason

    def row(self, sums: Sequence[Any]) -> tuple[Any, ...]:
        """A project's totals row after its keys: PROJECT_TOTAL_COLUMNS' values."""
        return _totals_row(sums, self.decided(sums))


# Where the totals' weight, total, indicators and needs_review sit among a Tally's fields.
_TOTALS_AT = tuple(_TALLY_FIELDS.index(n) for n in ("weight", "counted", "rows", "needs_review"))
_TOTALS_OF = operator.itemgetter(*_TOTALS_AT)


def _totals_row(sums: Sequence[Any], verdict: Sequence[str]) -> tuple[Any, ...]:
    """PROJECT_TOTAL_COLUMNS' values from a project's sums and its verdict."""
    return (*_TOTALS_OF(sums), *verdict)


def _scored_rows(
    partition: pd.DataFrame,
    keys: list[str],
    columns: Mapping[str, str],
    scheme: Scheme,
    recompute: bool,
    timings: dict[str, float] | None = None,
    verdicts: _Verdicts | None = None,
) -> PartialRows:
    """``_partial_rows(_score_partition(partition, …), keys)`` in one pass: each row
    scored as :func:`score_frame` scores it and added to its project's sums, without the
    scored frame (its explanations, parsed values and columns), which the sums never read.

    The same values go in: a row's weight and published score are what its Indicator
    would hold (the frame's ``weight`` and ``published`` columns, read as
    indicators_from_frame reads them), computed, counted and status what its Score
    would hold (judged_cells), and the key the partition's own ``keys`` columns
    (score_dask copies them).
    """
    if partition.empty:
        return []
    stamps = [time.process_time()]
    # No cyclic collections while the rows are scored (perfscore._gc): the rows are
    # freed by _sum_rows' return, before the collector is back, so it never walks them.
    with no_collections():
        result = _sum_rows(partition, keys, columns, scheme, recompute, verdicts, stamps)
        stamps.append(time.process_time())
    if timings is not None:
        stages = ("convert", "score", "tally")
        for stage, begin, end in zip(stages, stamps[:-1], stamps[1:], strict=True):
            timings[stage] = timings.get(stage, 0.0) + end - begin
    return result


def _sum_rows(
    partition: pd.DataFrame,
    keys: list[str],
    columns: Mapping[str, str],
    scheme: Scheme,
    recompute: bool,
    verdicts: _Verdicts | None,
    stamps: list[float],
) -> PartialRows:
    """_scored_rows' work; a CPU time is added to ``stamps`` after converting and after
    scoring.

    A row's sums need only its computed and counted scores and its status: each row is
    judged from its cells (:func:`~perfscore.score.scoring.judged_cells`, what
    score_indicator gives its Indicator), without an Indicator or a Score per row.  A
    scheme that scores 不适用 rows or checklist items reads more of a row: its rows are
    read as Indicators and scored by score_indicator.
    """
    key_rows = _key_rows(partition, keys)
    if not cells_judged_alone(scheme):
        indicators = indicators_from_frame(partition, columns)
        stamps.append(time.process_time())
        scores = [score_indicator(i, scheme, recompute=recompute) for i in indicators]
        stamps.append(time.process_time())
        review = Status.NEEDS_REVIEW
        parts = (
            _row_tally(
                score.indicator.weight,
                score.counted,
                score.computed,
                score.indicator.published,
                score.status is review,
            )
            for score in scores
        )
        return _decided_rows(_project_sums(key_rows, parts), verdicts)
    fields = frame_fields(partition, columns, _JUDGED_TEXTS)
    count = len(key_rows)
    weights = fields.get("weight") or [None] * count
    published = fields.get("published") or [None] * count
    text = {name: fields.get(name) or repeat("") for name in _JUDGED_TEXTS}
    stamps.append(time.process_time())
    judged = list(
        map(
            judged_cells,
            text["target"],
            text["actual"],
            weights,
            published,
            text["level1"],
            text["level2"],
            text["level3"],
            repeat(scheme),
            repeat(None),  # year: score_indicator's default
            repeat(recompute),
        )
    )
    stamps.append(time.process_time())
    return _decided_rows(_judged_sums(key_rows, weights, published, judged), verdicts)


# The Indicator texts judged_cells reads.
_JUDGED_TEXTS = ("level1", "level2", "level3", "target", "actual")


def _judged_sums(
    key_rows: Sequence[tuple[Any, ...]],
    weights: Sequence[Decimal | None],
    published: Sequence[Decimal | None],
    judged: Sequence[tuple[Decimal | None, Decimal, Status]],
) -> dict[tuple[Any, ...], list[Any]]:
    """``_project_sums(key_rows, parts)`` of each row's :func:`_row_tally` (its weight,
    counted, computed and published, and whether it needs review), in one loop: the
    same additions in the same order, without a tuple per row (a test compares them)."""
    sums: dict[tuple[Any, ...], list[Any]] = {}
    review, zero = Status.NEEDS_REVIEW, _ZERO
    rows = zip(key_rows, weights, published, judged, strict=True)
    for key, weight, given, (computed, counted, status) in rows:
        shown = weight if weight is not None else zero
        total = given if given is not None else (computed or zero)
        over = int(weight is not None and counted > weight)
        capped = int(
            weight is not None
            and given is not None
            and computed is not None
            and given == weight
            and computed < weight
        )
        mine = sums.get(key)
        if status is review:
            if mine is None:
                sums[key] = [1, shown, counted, total, 1, shown, counted, over, capped, 0]
                continue
            mine[4] += 1
            mine[5] += shown
            mine[6] += counted
        elif mine is None:
            sums[key] = [1, shown, counted, total, 0, zero, zero, over, capped, 0]
            continue
        else:  # a row's review counts are 0 and zero (_row_tally): added as _add adds them
            mine[5] += zero
            mine[6] += zero
        mine[0] += 1
        mine[1] += shown
        mine[2] += counted
        mine[3] += total
        mine[7] += over
        mine[8] += capped
    return sums


def profile_partition(
    partition: pd.DataFrame,
    *,
    keys: Sequence[str] = ("file", "project"),
    columns: Mapping[str, str] | None = None,
    scheme: Scheme | None = None,
    recompute: bool = False,
    scored_frame: bool = False,
) -> dict[str, float]:
    """CPU seconds of each stage of one partition's work in ``project_totals(score_dask(…))``.

    Runs the same functions on ``partition`` and returns :func:`time.process_time`
    seconds for ``convert`` (the cells into columns of texts and Decimals, and each
    row's key; Indicators under a scheme :func:`judged_cells` does not serve),
    ``score`` (judging every row: ``judged_cells``, or ``score_indicator``), ``tally``
    (the per-project partial sums and their verdicts) and
    ``serialise`` (pickling the partial sums, :data:`PartialRows`, sealed as they leave
    the worker).  With ``scored_frame`` the stages of
    totals over a scored frame built first (``score_dask(…).compute()``, or totals of a
    frame changed after scoring): also ``explain`` (writing each row's explanation, which
    the frame's column reads) and ``build`` (the scored columns and frame).  Reading the
    partition is the caller's to time.  Used by ``benchmarks/bench_dask.py`` on each worker.
    """
    import pickle

    timings: dict[str, float] = {}
    chosen, names = scheme or load_scheme(), dict(columns or {})
    verdicts = _Verdicts(chosen, recompute)
    if scored_frame:
        scored = _score_partition(partition, list(keys), names, chosen, recompute, timings)
        partial = _partial_rows(scored, list(keys), timings, verdicts)
    else:
        partial = _scored_rows(partition, list(keys), names, chosen, recompute, timings, verdicts)
    start = time.process_time()
    pickle.dumps(_Sealed(partial), protocol=pickle.HIGHEST_PROTOCOL)  # as it leaves a worker
    timings["serialise"] = time.process_time() - start
    return timings


def project_totals(
    scored: dd.DataFrame,
    *,
    keys: Sequence[str] = ("file", "project"),
    scheme: Scheme | None = None,
    recompute: bool = False,
) -> pd.DataFrame:
    """Compute per-project totals: weight, total, indicators, rows needing review, grade, status.

    Partial sums are computed on the workers; only one small row per project
    and partition comes back to the client.  ``recompute`` as given to
    :func:`score_dask`.
    """
    from dask.base import compute
    from dask.delayed import delayed

    scheme = scheme or load_scheme()
    keys = list(keys)
    missing = [k for k in keys if k not in scored.columns]
    if missing:
        raise KeyError(
            f"project_totals：数据中没有键列 {missing}，请检查 keys 参数"
            f" (no key column {missing} in the frame: check keys)"
        )
    verdicts = _Verdicts(scheme, recompute)
    # Sum on the workers: one small row per project and partition crosses the network,
    # never the scored rows themselves, with the verdict on the partition's sums.  A
    # score_dask result as it was returned, summed by its own key columns, is scored and
    # summed in one pass per partition (the scored frame is never built); any other
    # frame is summed from its columns.  Each partition's sums come back as plain tuples
    # (PartialRows), straight from its worker: no frame of partial sums is built, and none
    # is concatenated on one worker while the others wait at the end of the run.
    scoring = _scoring_of(scored)
    token = uuid.uuid4().hex
    if scoring is not None and set(keys) <= set(scoring.keys):
        sources = scoring.frame.to_delayed()
        function: Any = _scored_rows
        shared: tuple[Any, ...] = (
            keys,
            scoring.columns,
            scoring.scheme,
            scoring.recompute,
            None,
            verdicts,
        )
    else:
        sources = scored.to_delayed()  # type: ignore[no-untyped-call]
        function, shared = _partial_rows, (keys, None, verdicts)
    task = delayed(_sealed, pure=False)
    tasks = [
        task(function, part, *shared, dask_key_name=f"perfscore-totals-{token}-{at}")
        for at, part in enumerate(sources)
    ]
    partials = [sealed.columns for sealed in compute(*tasks)]  # type: ignore[no-untyped-call]
    with no_collections():  # 100,000s of small objects, none in a cycle (perfscore._gc)
        return _merged(partials, keys, verdicts)


def _merged(partials: Sequence[Columns], keys: list[str], verdicts: _Verdicts) -> pd.DataFrame:
    """project_totals' frame from every partition's sums (as :data:`Columns`), in key
    order.  A project in one partition only, with its verdict decided there, takes its
    sums and verdict from its columns; the others' sums are added in partition order
    and their verdicts decided here."""
    import pandas as pd

    every: list[tuple[Any, ...]] = []
    decided: list[tuple[str, str, str] | None] = []
    fields: list[list[Any]] = [[] for _ in _TALLY_FIELDS]
    for part_keys, part_fields, part_verdicts in partials:
        every.extend(part_keys)
        decided.extend(part_verdicts)
        for mine, theirs in zip(fields, part_fields, strict=True):
            mine.extend(theirs)
    seen = Counter(every)
    # A project's place in the columns (its only partition's), or its totals row.
    results: dict[tuple[Any, ...], int | tuple[Any, ...]] = {}
    split: dict[tuple[Any, ...], list[Any]] = {}
    for at, key in enumerate(every):
        if decided[at] is not None and seen[key] == 1:
            # Its only partition's sums are its sums: the worker's verdict is its own.
            results[key] = at
        else:
            # Decimal sums are exact, so adding partition sums in any order gives
            # the single-process total to the last digit.
            _add(split, key, [_number(field[at]) for field in fields])
    for key, sums in split.items():
        results[key] = verdicts.row(sums)
    ordered = sorted(results)
    names = [*keys, *PROJECT_TOTAL_COLUMNS]
    if not ordered:
        return pd.DataFrame([], columns=names)
    places = [results[key] for key in ordered]
    # Each column in key order: from a project's place in the columns, or from a split
    # project's totals row (its totals, then its verdict).
    totals = [
        [_number(fields[k][p]) if isinstance(p, int) else p[at] for p in places]
        for at, k in enumerate(_TOTALS_AT)
    ]
    after = len(_TOTALS_AT)
    verdict = [
        [decided[p][at] if isinstance(p, int) else p[after + at] for p in places]  # type: ignore[index]
        for at in range(len(PROJECT_TOTAL_COLUMNS) - after)
    ]
    key_columns = list(zip(*ordered, strict=True)) if keys else []
    columns = [*key_columns, *totals, *verdict]
    return pd.DataFrame({name: list(values) for name, values in zip(names, columns, strict=True)})
