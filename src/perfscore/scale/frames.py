"""pandas and Arrow: evaluations as DataFrames, DataFrames of rows scored, exact Parquet.

Needs ``pip install 'perfscore[pandas,parquet]'``.  Columns and dtypes of
:func:`evaluation_frame` and :func:`score_frame`'s result:

===============  =========  ===============================================
column           dtype      meaning
===============  =========  ===============================================
row              int64      source row number
goal … level3    object     texts as written ("" for an empty cell)
target, actual   object     texts as written
weight           object     Decimal 分值, or None
published        object     Decimal 得分 as written, or None
computed         object     Decimal scheme score, None when review is needed
counted          object     Decimal score that enters the total
status           object     full / partial / zero / manual / needs_review / not_applicable / heading
explanation      object     the scheme's working, Chinese
warnings         object     the row's warnings joined with "; "
===============  =========  ===============================================

Decimals stay :class:`~decimal.Decimal` objects — never floats.  In input
frames, ``None``, ``NaN`` and ``pd.NA`` are empty cells, never the text
"nan"; float weights are read through ``repr`` (0.3 stays 0.3).
:func:`to_parquet` stores Decimal columns as Arrow ``decimal128`` with each
column's largest number of places, and :func:`read_parquet` gives Decimals back.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from itertools import repeat
from typing import TYPE_CHECKING, Any

import attrs

from .._gc import no_collections
from ..indicators import Indicator, column_for_header, parse_decimal, trusted_indicator
from ..score.rollup import Evaluation
from ..score.scheme import Scheme, load_scheme
from ..score.scoring import Score, score_indicator

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

__all__ = [
    "FRAME_COLUMNS",
    "arrow_schema",
    "column_values",
    "evaluation_frame",
    "indicators_from_frame",
    "read_parquet",
    "score_frame",
    "score_record",
    "to_parquet",
]

FRAME_COLUMNS: tuple[str, ...] = (
    "row",
    "goal",
    "level1",
    "level2",
    "level3",
    "target",
    "actual",
    "weight",
    "published",
    "computed",
    "counted",
    "status",
    "explanation",
    "warnings",
)
_TEXT_FIELDS: tuple[str, ...] = (
    "goal",
    "level1",
    "level2",
    "level3",
    "description",
    "target",
    "actual",
    "reason",
    "basis",
)
_DECIMAL_FIELDS = ("weight", "published")
# The Indicator texts a scored frame carries, in FRAME_COLUMNS order.
_RECORD_TEXT = ("goal", "level1", "level2", "level3", "target", "actual")
# decimal128 holds 38 digits; 10 places is far beyond any score, weight or budget figure.
_MAX_PLACES = 10


def score_record(score: Score) -> dict[str, Any]:
    """One scored row as a flat record of :data:`FRAME_COLUMNS` (Decimals stay Decimals)."""
    i = score.indicator
    return {
        "row": i.row,
        "goal": i.goal,
        "level1": i.level1,
        "level2": i.level2,
        "level3": i.level3,
        "target": i.target,
        "actual": i.actual,
        "weight": i.weight,
        "published": i.published,
        "computed": score.computed,
        "counted": score.counted,
        "status": score.status.value,
        "explanation": score.explanation,
        "warnings": "; ".join(score.warnings),
    }


def _frame(scores: Sequence[Score], index: Any = None) -> pd.DataFrame:
    import pandas as pd

    indicators = [s.indicator for s in scores]
    data: dict[str, list[Any]] = {
        "row": [i.row for i in indicators],
        **{name: [getattr(i, name) for i in indicators] for name in _RECORD_TEXT},
        "weight": [i.weight for i in indicators],
        "published": [i.published for i in indicators],
        "computed": [s.computed for s in scores],
        "counted": [s.counted for s in scores],
        "status": [s.status.value for s in scores],
        "explanation": [s.explanation for s in scores],
        "warnings": ["; ".join(s.warnings) for s in scores],
    }
    frame = pd.DataFrame(data, columns=list(FRAME_COLUMNS), index=index)
    frame["row"] = frame["row"].astype("int64")
    return frame


def evaluation_frame(evaluation: Evaluation) -> pd.DataFrame:
    """One DataFrame row per scored indicator, columns :data:`FRAME_COLUMNS`."""
    return _frame(evaluation.scores)


def _is_empty(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    # pd.NA and pd.NaT: their truth value raises, their type names are stable.
    return type(value).__name__ in ("NAType", "NaTType")


def _text(value: object) -> str:
    if type(value) is str:  # nearly every cell: skip the emptiness checks
        return value.strip()
    if _is_empty(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a numeric cell 30 is the text "30", not "30.0"
    return str(value).strip()


def column_values(column: pd.Series) -> list[Any]:
    """A column's cells as a Python list, read once: Arrow text, decimal and integer columns
    through ``to_pylist`` (nulls become None), any other column through ``tolist``.

    pandas hands out an Arrow-backed column one boxed scalar at a time; ``to_pylist``
    converts the whole column in C.  Only types whose Python values are the same either
    way are read through Arrow (timestamps, for one, would become ``datetime`` instead of
    ``Timestamp``), and a null is an empty cell either way.
    """
    import pandas as pd

    dtype = column.dtype
    arrow = isinstance(dtype, pd.ArrowDtype) or (
        isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"
    )
    if arrow:
        import pyarrow as pa

        values = pa.array(column.array)
        kind = values.type
        if (
            pa.types.is_string(kind)
            or pa.types.is_large_string(kind)
            or pa.types.is_decimal(kind)
            or pa.types.is_integer(kind)
        ):
            cells: list[Any] = values.to_pylist()
            return cells
    listed: list[Any] = column.tolist()
    return listed


def _columns(frame: pd.DataFrame, columns: Mapping[str, str] | None) -> dict[str, str]:
    """Map Indicator fields to the frame's columns: given ones, then by header name."""
    chosen = dict(columns or {})
    unknown = set(chosen) - {*_TEXT_FIELDS, *_DECIMAL_FIELDS, "row"}
    if unknown:
        raise ValueError(f"未知字段 (unknown Indicator fields): {sorted(unknown)}")
    for name in frame.columns:
        field = column_for_header(str(name)) if isinstance(name, str) else None
        # The readers call the 得分 column "score"; the Indicator field is "published".
        field = {"score": "published"}.get(field or "", field)
        if name in ("row", "行号"):
            field = "row"
        if field is not None and field not in chosen:
            chosen[field] = str(name)
    missing = {"target", "actual"} - set(chosen)
    if missing:
        raise ValueError(
            f"缺少列 (missing columns): {sorted(missing)}; columns: {list(frame.columns)}"
        )
    return chosen


def indicators_from_frame(
    frame: pd.DataFrame, columns: Mapping[str, str] | None = None
) -> list[Indicator]:
    """Read each DataFrame row as an :class:`Indicator`.

    ``columns`` maps Indicator fields to column names (``{"target": "指标值"}``);
    other fields are found by header (``年度指标值``, ``分值``, ``weight`` …).
    Without a ``row`` column, rows are numbered from 1 in frame order.
    A weight or score that is not a number raises :class:`ValueError` naming the row.
    """
    given = frame_fields(frame, columns)
    # The cells are already what Indicator's converters and validators make and check
    # (texts; Decimals from parse_decimal, finite and within bounds; None): the readers'
    # constructor builds the same Indicator without checking them again, each field's
    # column passed in the constructor's order (a default where the frame has none).
    arguments = [
        given[name] if name in given else repeat(default) for name, default in _FIELD_DEFAULTS
    ]
    return list(map(trusted_indicator, *arguments))


def frame_fields(
    frame: pd.DataFrame,
    columns: Mapping[str, str] | None = None,
    texts: Sequence[str] = _TEXT_FIELDS,
) -> dict[str, list[Any]]:
    """The frame's Indicator fields, each a list of its values row by row, as
    :func:`indicators_from_frame` gives them to each Indicator: ``row`` always (numbered
    from 1 without a row column), the ``texts`` fields the frame has (stripped), and
    ``weight`` and ``published`` where the frame has them (Decimals or None).

    Columns as ``indicators_from_frame`` finds them; a weight or score that is not a
    number raises :class:`ValueError` naming the row.
    """
    mapping = _columns(frame, columns)
    # Column by column, each read into a Python list once: no per-row pandas access.
    cells = {
        field: column_values(frame[name])
        for field, name in mapping.items()
        if field in texts or field in _DECIMAL_FIELDS or field == "row"
    }
    count = len(frame)
    given: dict[str, list[Any]] = {
        field: [_text(v) for v in cells[field]] for field in texts if field in mapping
    }
    for field in _DECIMAL_FIELDS:
        if field not in mapping:
            continue
        converted: list[Decimal | None] = []
        # A partition repeats a few weights: a text or Decimal cell is read once per
        # partition.  str() of either gives back the cell exactly (a Decimal's str keeps
        # its exponent and sign), so the reading is the one parse_decimal gives that cell.
        known: dict[tuple[bool, str], Decimal | None] = {}
        for number, cell in enumerate(cells[field], start=1):
            kind = type(cell)
            try:
                if kind is str or kind is Decimal:
                    key = (kind is str, str(cell))
                    if key not in known:
                        known[key] = parse_decimal(cell)
                    converted.append(known[key])
                else:
                    converted.append(None if _is_empty(cell) else parse_decimal(cell))
            except ValueError:
                raise ValueError(
                    f"第{number}行「{mapping[field]}」不是有效数字 "
                    f"(row {number}: {mapping[field]} is not a number): {cell!r}"
                ) from None
        given[field] = converted
    numbers = cells.get("row")
    given["row"] = (
        [k + 1 if _is_empty(n) else int(n) for k, n in enumerate(numbers)]
        if numbers is not None
        else list(range(1, count + 1))
    )
    return given


# Indicator's fields in its constructor's order, with their defaults (row has none).
_FIELD_DEFAULTS = tuple((field.name, field.default) for field in attrs.fields(Indicator))


def score_frame(
    frame: pd.DataFrame,
    *,
    columns: Mapping[str, str] | None = None,
    scheme: Scheme | None = None,
    year: int | None = None,
    recompute: bool = False,
    timings: dict[str, float] | None = None,
) -> pd.DataFrame:
    """Score every row of ``frame``; the result has :data:`FRAME_COLUMNS` and ``frame``'s index.

    Rows are scored one by one (no roll-up: a frame may hold many projects, and
    :func:`perfscore.scale.dask.project_totals` or :func:`perfscore.evaluate` decide
    each project's verdict).  Each column is read into a Python list once, and the
    result is built from lists once, so the only per-row work is the scoring.

    ``timings``, when given, gets the CPU seconds (:func:`time.process_time`) of each
    stage added to its ``convert`` (cells to Indicators), ``score`` (judging each row),
    ``explain`` (writing each row's explanation, which a Score does when first read:
    here, for the frame's column) and ``build`` (the result frame) entries: what
    ``benchmarks/bench_dask.py`` reports.
    """
    scheme = scheme or load_scheme()
    # No cyclic collections while the rows are scored (perfscore._gc): the Scores are
    # freed by _scored_frame's return, before the collector is back, so it never walks them.
    with no_collections():
        return _scored_frame(frame, columns, scheme, year, recompute, timings)


def _scored_frame(
    frame: pd.DataFrame,
    columns: Mapping[str, str] | None,
    scheme: Scheme,
    year: int | None,
    recompute: bool,
    timings: dict[str, float] | None,
) -> pd.DataFrame:
    import time

    start = time.process_time()
    indicators = indicators_from_frame(frame, columns)
    converted = time.process_time()
    scores = [score_indicator(i, scheme, year=year, recompute=recompute) for i in indicators]
    scored = explained = time.process_time()
    if timings is not None:
        for score in scores:  # the frame reads them anyway: written here, they are timed
            score.explanation  # noqa: B018
        explained = time.process_time()
    result = _frame(scores, index=frame.index)
    if timings is not None:
        built = time.process_time()
        for stage, seconds in (
            ("convert", converted - start),
            ("score", scored - converted),
            ("explain", explained - scored),
            ("build", built - explained),
        ):
            timings[stage] = timings.get(stage, 0.0) + seconds
    return result


def _places(values: Iterable[object]) -> int:
    places = 0
    for value in values:
        if isinstance(value, Decimal):
            exponent = value.as_tuple().exponent
            if isinstance(exponent, int):
                places = max(places, -exponent)
    return places


def arrow_schema(
    columns: Iterable[str],
    decimals: Iterable[str],
    integers: Iterable[str] = (),
    places: Mapping[str, int] | None = None,
) -> pa.Schema:
    """An Arrow schema: ``decimals`` as decimal128(38, places), ``integers`` int64, rest text."""
    import pyarrow as pa

    decimal_set, integer_set = set(decimals), set(integers)
    fields = []
    for name in columns:
        if name in decimal_set:
            scale = (places or {}).get(name, 6)
            fields.append(pa.field(name, pa.decimal128(38, scale)))
        elif name in integer_set:
            fields.append(pa.field(name, pa.int64()))
        else:
            fields.append(pa.field(name, pa.string()))
    return pa.schema(fields)


def to_parquet(frame: pd.DataFrame, path: str | os.PathLike[str]) -> None:
    """Write ``frame`` to Parquet, Decimal columns as exact decimal128.

    A column is Decimal when every non-empty cell is a Decimal.  A value with
    more than 10 decimal places raises instead of being rounded.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    decimals = {}
    for name in frame.columns:
        cells = [c for c in frame[name].tolist() if not _is_empty(c)]
        if frame[name].dtype == object and cells and all(isinstance(c, Decimal) for c in cells):
            places = _places(cells)
            if places > _MAX_PLACES:
                raise ValueError(
                    f"列「{name}」有超过 {_MAX_PLACES} 位小数的值 "
                    f"(column {name} has values with more than {_MAX_PLACES} places)"
                )
            decimals[str(name)] = places
    arrays = {}
    for name in frame.columns:
        if str(name) in decimals:
            kind = pa.decimal128(38, decimals[str(name)])
            cells = [None if _is_empty(c) else c for c in frame[name].tolist()]
            arrays[str(name)] = pa.array(cells, type=kind)
        else:
            arrays[str(name)] = pa.array(frame[name].tolist(), from_pandas=True)
    pq.write_table(pa.table(arrays), path)


def read_parquet(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a Parquet file; decimal128 columns come back as Decimal objects, nulls as None."""
    import pyarrow.parquet as pq

    frame = pq.read_table(path).to_pandas()
    for name in frame.columns:
        if frame[name].dtype == object:
            frame[name] = frame[name].astype(object).where(frame[name].notna(), None)
    return frame
