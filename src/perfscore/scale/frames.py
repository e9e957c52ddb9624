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
status           object     full / partial / zero / manual / needs_review
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
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..indicators import Indicator, column_for_header, parse_decimal
from ..score.rollup import Evaluation, evaluate
from ..score.scheme import Scheme
from ..score.scoring import Score

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

__all__ = [
    "FRAME_COLUMNS",
    "arrow_schema",
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


def _frame(scores: Iterable[Score], index: Any = None) -> pd.DataFrame:
    import pandas as pd

    frame = pd.DataFrame([score_record(s) for s in scores], columns=list(FRAME_COLUMNS))
    frame["row"] = frame["row"].astype("int64")
    if index is not None:
        frame.index = index
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
    if _is_empty(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a numeric cell 30 is the text "30", not "30.0"
    return str(value).strip()


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
    mapping = _columns(frame, columns)
    rows = []
    for number, record in enumerate(frame.to_dict("records"), start=1):
        values: dict[str, Any] = {}
        for field in _TEXT_FIELDS:
            if field in mapping:
                values[field] = _text(record[mapping[field]])
        for field in _DECIMAL_FIELDS:
            if field in mapping:
                cell = record[mapping[field]]
                try:
                    values[field] = None if _is_empty(cell) else parse_decimal(cell)
                except ValueError:
                    raise ValueError(
                        f"第{number}行「{mapping[field]}」不是有效数字 "
                        f"(row {number}: {mapping[field]} is not a number): {cell!r}"
                    ) from None
        row = record[mapping["row"]] if "row" in mapping else number
        values["row"] = number if _is_empty(row) else int(row)
        rows.append(Indicator(**values))
    return rows


def score_frame(
    frame: pd.DataFrame,
    *,
    columns: Mapping[str, str] | None = None,
    scheme: Scheme | None = None,
    year: int | None = None,
    recompute: bool = False,
) -> pd.DataFrame:
    """Score every row of ``frame``; the result has :data:`FRAME_COLUMNS` and ``frame``'s index."""
    evaluation = evaluate(
        indicators_from_frame(frame, columns), scheme=scheme, year=year, recompute=recompute
    )
    return _frame(evaluation.scores, index=frame.index)


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
