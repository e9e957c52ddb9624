"""Tests for perfscore.scale.frames: DataFrames in and out, empty cells, exact Parquet."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfscore import Indicator, evaluate, evaluate_document
from perfscore.readers import read
from perfscore.scale.frames import (
    FRAME_COLUMNS,
    evaluation_frame,
    indicators_from_frame,
    read_parquet,
    score_frame,
    to_parquet,
)

SEED = (
    Path(__file__).resolve().parents[2] / "examples" / "data" / "tianjin-2024-self-evaluation.txt"
)


def seed_frame() -> pd.DataFrame:
    """The seed 002 rows as a frame with Chinese headers, as a finance system exports them."""
    rows = read(SEED).indicators
    return pd.DataFrame(
        {
            "绩效目标": [i.goal for i in rows],
            "一级指标": [i.level1 for i in rows],
            "二级指标": [i.level2 for i in rows],
            "三级指标": [i.level3 for i in rows],
            "年度指标值": [i.target for i in rows],
            "实际完成值": [i.actual for i in rows],
            "分值": [i.weight for i in rows],
            "得分": [i.published for i in rows],
            "偏差原因": [i.reason for i in rows],
            "绩效指标描述": [i.description for i in rows],
            "指标值确定依据": [i.basis for i in rows],
            "row": [i.row for i in rows],
        }
    )


def test_evaluation_frame_has_documented_columns_and_exact_decimals() -> None:
    """Seed 002 as a frame: the documented columns, Decimal scores, totals as the evaluation's."""
    evaluation = evaluate_document(read(SEED))
    frame = evaluation_frame(evaluation)
    assert tuple(frame.columns) == FRAME_COLUMNS
    assert frame["row"].dtype == "int64"
    assert all(isinstance(v, Decimal) for v in frame["counted"])
    assert sum(frame["counted"], Decimal(0)) == evaluation.indicator_total


def test_score_frame_equals_evaluate_on_seed_rows() -> None:
    """Scoring the seed frame by header names gives the scores evaluate gives."""
    frame = seed_frame()
    scored = score_frame(frame)
    expected = evaluate(read(SEED).indicators)
    assert list(scored["computed"]) == [s.computed for s in expected.scores]
    assert list(scored["status"]) == [s.status.value for s in expected.scores]
    assert list(scored.index) == list(frame.index)


def test_nan_and_none_are_empty_cells_never_nan_text() -> None:
    """NaN, None and pd.NA read as empty cells; float weights read through repr."""
    frame = pd.DataFrame(
        {
            "tgt": ["≥10个", "≥10个", None],
            "act": ["12个", np.nan, pd.NA],
            "w": [0.3, np.nan, 5.0],
            "label": [np.nan, "满意度", None],
        }
    )
    rows = indicators_from_frame(
        frame, {"target": "tgt", "actual": "act", "weight": "w", "level3": "label"}
    )
    assert [i.actual for i in rows] == ["12个", "", ""]
    assert [i.target for i in rows] == ["≥10个", "≥10个", ""]
    assert [i.weight for i in rows] == [Decimal("0.3"), None, Decimal("5.0")]
    assert [i.level3 for i in rows] == ["", "满意度", ""]
    assert "nan" not in " ".join(
        score_frame(frame, columns={"target": "tgt", "actual": "act", "weight": "w"})["explanation"]
    )


def test_bad_columns_and_numbers_raise_with_the_row() -> None:
    """Missing target/actual columns, unknown fields and non-numeric weights are errors."""
    with pytest.raises(ValueError, match="missing columns"):
        indicators_from_frame(pd.DataFrame({"x": [1]}))
    with pytest.raises(ValueError, match="unknown Indicator fields"):
        indicators_from_frame(seed_frame(), {"tagret": "年度指标值"})
    frame = seed_frame()
    frame.loc[1, "分值"] = "两分"
    with pytest.raises(ValueError, match="row 2"):
        indicators_from_frame(frame)


def test_parquet_round_trip_keeps_every_value_exact(tmp_path: Path) -> None:
    """Every Decimal, text and empty cell survives Parquet as decimal128, unchanged."""
    frame = evaluation_frame(evaluate_document(read(SEED)))
    path = tmp_path / "seed.parquet"
    to_parquet(frame, path)
    back = read_parquet(path)
    for name in FRAME_COLUMNS:
        assert list(back[name]) == list(frame[name]), name
    assert all(v is None or isinstance(v, Decimal) for v in back["published"])


def test_parquet_refuses_values_it_cannot_hold_exactly(tmp_path: Path) -> None:
    """A value with more than 10 places raises instead of being rounded."""
    frame = pd.DataFrame({"x": [Decimal("0.12345678901")]})
    with pytest.raises(ValueError, match="more than 10 places"):
        to_parquet(frame, tmp_path / "x.parquet")


def test_import_perfscore_loads_no_optional_library() -> None:
    """The core import stays small: pandas, pyarrow, dask and tqdm load only when asked for."""
    import subprocess
    import sys

    code = (
        "import sys, perfscore, perfscore.scale.batch, perfscore.cli;"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'pandas','pyarrow','dask','tqdm'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


_CELLS = st.one_of(
    st.none(),
    st.text(max_size=8),
    st.sampled_from(["5", "2.50", "0", "-0", "1E+2", " 10 ", "100.000", "3.3333"]),
    st.decimals(min_value=0, max_value=1000, places=4, allow_nan=False),
    st.integers(min_value=0, max_value=1000),
    st.floats(min_value=0, max_value=1000, allow_nan=False),
)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.text(max_size=6), _CELLS, _CELLS), min_size=1, max_size=6))
def test_frame_rows_are_the_indicators_the_public_constructor_makes(
    cells: list[tuple[str, object, object]],
) -> None:
    """indicators_from_frame builds rows without Indicator's converters and validators
    (trusted_indicator): the same objects as Indicator(...) with the same values."""
    frame = pd.DataFrame(
        {
            "三级指标": [c[0] for c in cells],
            "年度指标值": [c[0][::-1] for c in cells],
            "分值": pd.Series([c[1] for c in cells], dtype=object),
            "得分": pd.Series([c[2] for c in cells], dtype=object),
        }
    )
    try:
        rows = indicators_from_frame(frame)
    except ValueError:
        return  # a cell that is not a number is refused, naming its row (tested above)
    for made in rows:
        public = Indicator(**attrs.asdict(made, recurse=False))
        assert made == public
        assert repr(made) == repr(public)
        assert type(made.weight) is type(public.weight)
