"""score_frame reads each column once; row for row it must equal reading every cell by itself.

The reference below is the full path, written without frames' helpers: each cell taken
with ``iloc``, made a text or a Decimal on its own, an :class:`Indicator` built from it and
scored with :func:`score_indicator`.  score_frame's column-at-once reading (Arrow
``to_pylist``, one parse per distinct weight, result built from lists) must give the same
values, the same types and the same Decimal exponents, on numpy-object, pandas-string and
Arrow-backed columns alike, and raise the same error for a weight that is not a number.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from casetable import load
from perfscore import Indicator
from perfscore.indicators import parse_decimal
from perfscore.scale.frames import FRAME_COLUMNS, column_values, score_frame, score_record
from perfscore.score.scheme import load_scheme
from perfscore.score.scoring import score_indicator

SCHEME = load_scheme()
# Quantities, percentages, periods, dates and deadlines from the scoring and seed tables,
# then qualitative answers, texts that cannot be read, and cells that are not texts.
PAIRS = sorted(
    {(r["target"], r["actual"]) for r in load("scoring.tsv")}
    | {(r["target"], r["actual"]) for r in load("seed002_indicators.tsv")}
)
TEXTS: list[Any] = [
    "好",
    "良好",
    "有效提升",
    "明显提升",
    "是",
    "否",
    "完成",
    "未完成",
    "见附件",
    "  ≥10个 ",
    "",
    None,
    np.nan,
    pd.NA,
    30.0,
    2.5,
    7,
]
LEVEL1 = ["产出指标", "成本指标", "效益指标", "满意度指标", "", None]
# Weights and published scores that read as numbers (or as empty cells).  5000 and -1 are
# numbers the scorer refuses (needs review); the exponents must survive unchanged.
NUMBERS: list[Any] = [
    Decimal("10"),
    Decimal("2.50"),
    Decimal("0.00"),
    Decimal("-0"),
    Decimal("1E+1"),
    Decimal("5000"),
    Decimal("-1"),
    "5",
    " 3 ",
    "１０",
    "2.0分",
    "",
    "-",
    None,
    np.nan,
    2.5,
    0.3,
    4,
]


def arrow_number(value: object) -> bool:
    """Whether a decimal128 column can hold ``value`` (None or a Decimal; 2.5 == Decimal("2.5"))."""
    return value is None or isinstance(value, Decimal)


TEXT_FIELDS = ("goal", "level1", "level2", "level3", "description", "target", "actual")


def _empty(value: object) -> bool:
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)


def _cell_text(value: object) -> str:
    if _empty(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def python(cell: object) -> object:
    """A cell as a Python value: ``iloc`` on a float64 column gives numpy.float64."""
    return cell.item() if isinstance(cell, np.generic) else cell


def reference(frame: pd.DataFrame, mapping: dict[str, str]) -> dict[str, list[Any]]:
    """The full path: every cell on its own, one Indicator and one score_indicator per row."""
    records = []
    for k in range(len(frame)):
        cells = {field: python(frame[name].iloc[k]) for field, name in mapping.items()}
        values: dict[str, Any] = {
            field: _cell_text(cells[field]) for field in TEXT_FIELDS if field in cells
        }
        for field in ("weight", "published"):
            if field in cells:
                values[field] = None if _empty(cells[field]) else parse_decimal(cells[field])
        row = cells.get("row")
        values["row"] = k + 1 if row is None or _empty(row) else int(row)
        records.append(score_record(score_indicator(Indicator(**values), SCHEME)))
    return {name: [r[name] for r in records] for name in FRAME_COLUMNS}


def exact(values: list[Any]) -> list[tuple[str, str]]:
    """Values as (type, str): Decimal("2.50") and Decimal("2.5") differ, as do None and ""."""
    return [(type(v).__name__, str(v)) for v in values]


def assert_same(frame: pd.DataFrame, mapping: dict[str, str]) -> None:
    result = score_frame(frame, columns=mapping, scheme=SCHEME)
    expected = reference(frame, mapping)
    assert tuple(result.columns) == FRAME_COLUMNS
    assert list(result.index) == list(frame.index)
    for name in FRAME_COLUMNS:
        assert exact(result[name].tolist()) == exact(expected[name]), name


MAPPING = {
    "target": "tgt",
    "actual": "act",
    "weight": "w",
    "published": "pub",
    "level1": "l1",
    "level3": "l3",
}


def object_frame(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    """Columns as pandas makes them from Python lists: str where all are texts, else object."""
    names = ("l1", "tgt", "act", "w", "pub", "l3")
    return pd.DataFrame({n: [r[i] for r in rows] for i, n in enumerate(names)}, index=None)


def arrow_frame(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    """Columns as Parquet and Dask give them: Arrow strings, decimal128, nullable int64 rows."""

    def text(v: object) -> str | None:
        return None if _empty(v) else _cell_text(v) if not isinstance(v, str) else v

    strings = pd.StringDtype("pyarrow")
    return pd.DataFrame(
        {
            "l1": pd.Series([text(r[0]) for r in rows], dtype=strings),
            "tgt": pd.Series([text(r[1]) for r in rows], dtype=pd.ArrowDtype(pa.string())),
            "act": pd.Series([text(r[2]) for r in rows], dtype="str"),
            "w": pd.Series([r[3] for r in rows], dtype=pd.ArrowDtype(pa.decimal128(38, 2))),
            "pub": pd.Series([r[4] for r in rows], dtype=pd.ArrowDtype(pa.decimal128(38, 0))),
            "l3": pd.Series([text(r[5]) for r in rows], dtype=strings),
            "rownum": pd.Series(
                [None if k % 5 == 2 else 100 + k for k in range(len(rows))],
                dtype=pd.ArrowDtype(pa.int64()),
            ),
        },
        index=pd.RangeIndex(10, 10 + len(rows)),
    )


def varied_rows() -> list[tuple[Any, ...]]:
    """Every pair, text and number at least once, cycled against each other."""
    count = max(len(PAIRS) + len(TEXTS), len(NUMBERS) * 3)
    rows = []
    for k in range(count):
        target, actual = (
            PAIRS[k] if k < len(PAIRS) else (TEXTS[k % len(TEXTS)], TEXTS[(k * 7) % len(TEXTS)])
        )
        rows.append(
            (
                LEVEL1[k % len(LEVEL1)],
                target,
                actual,
                NUMBERS[k % len(NUMBERS)],
                NUMBERS[(k * 5) % len(NUMBERS)] if k % 3 else None,
                TEXTS[(k * 3) % len(TEXTS)],
            )
        )
    return rows


def test_score_frame_equals_scoring_each_row_on_a_varied_object_frame() -> None:
    """Quantities, dates, qualitative and empty cells, text/float/Decimal weights: identical."""
    assert_same(object_frame(varied_rows()), MAPPING)


def test_score_frame_equals_scoring_each_row_on_arrow_columns() -> None:
    """The same rows in Arrow-backed columns (as Parquet and Dask give them), row numbers too."""
    rows = [
        (*r[:3], r[3] if arrow_number(r[3]) else Decimal("1.5"), None, r[5]) for r in varied_rows()
    ]
    rows = [(*r[:4], Decimal(k % 4) if k % 3 else None, r[5]) for k, r in enumerate(rows)]
    frame = arrow_frame(rows)
    assert_same(frame, {**MAPPING, "row": "rownum"})


def test_a_weight_that_is_not_a_number_raises_the_same_error_both_ways() -> None:
    """A bad weight is refused with the row named, whether read by column or cell by cell."""
    rows = varied_rows()[:6]
    rows[3] = (*rows[3][:3], "两分", *rows[3][4:])
    frame = object_frame(rows)
    with pytest.raises(ValueError, match="not a number: '两分'"):
        reference(frame, MAPPING)
    message = "第4行「w」不是有效数字 (row 4: w is not a number): '两分'"
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        score_frame(frame, columns=MAPPING)


def test_column_values_reads_arrow_columns_as_pandas_does_but_nulls_as_none() -> None:
    """Arrow texts, decimals and integers: the same values as tolist; a null is None."""
    columns = [
        pd.Series(["a", None, " b "], dtype="string[pyarrow]"),
        pd.Series(["a", None], dtype="str"),
        pd.Series([Decimal("1.50"), None], dtype=pd.ArrowDtype(pa.decimal128(38, 2))),
        pd.Series([3, None], dtype=pd.ArrowDtype(pa.int64())),
        pd.Series([1.5, np.nan]),
        pd.Series([pd.Timestamp("2024-01-01"), None], dtype=pd.ArrowDtype(pa.timestamp("ns"))),
    ]
    for column in columns:
        got, pandas = column_values(column), column.tolist()
        assert len(got) == len(pandas)
        for mine, theirs in zip(got, pandas, strict=True):
            if _empty(theirs) or theirs is pd.NaT:
                assert mine is None or _empty(mine) or mine is pd.NaT
            else:
                assert (type(mine), mine) == (type(theirs), theirs)


rows_strategy = st.lists(
    st.tuples(
        st.sampled_from(LEVEL1),
        st.sampled_from([p[0] for p in PAIRS] + TEXTS),
        st.sampled_from([p[1] for p in PAIRS] + TEXTS),
        st.sampled_from(NUMBERS),
        st.sampled_from(NUMBERS),
        st.sampled_from(TEXTS),
    ),
    min_size=1,
    max_size=25,
)


@given(rows_strategy)
def test_score_frame_equals_scoring_each_row_on_any_rows(rows: list[tuple[Any, ...]]) -> None:
    """Property: any mixture of texts, weights and empty cells scores identically both ways."""
    assert_same(object_frame(rows), MAPPING)


@given(rows_strategy)
def test_score_frame_equals_scoring_each_row_on_any_arrow_rows(
    rows: list[tuple[Any, ...]],
) -> None:
    """Property: the same on Arrow-backed columns (decimal128 weights, nullable row numbers)."""
    rows = [(*r[:3], r[3] if arrow_number(r[3]) else None, None, r[5]) for r in rows]
    assert_same(arrow_frame(rows), {**MAPPING, "row": "rownum"})
