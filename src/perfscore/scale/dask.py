"""Score a Dask DataFrame of indicator rows partition by partition, and roll up per project.

Needs ``pip install 'perfscore[dask]'``.  The same code runs on a laptop, a
``dask.distributed`` cluster (``Client("tcp://scheduler:8786")``), Kubernetes
(dask-kubernetes) or an HPC queue (dask-jobqueue): only the ``Client`` changes.

Each partition is scored with :func:`perfscore.scale.frames.score_frame`, so a row
gets exactly the score the single-process path gives.  Rows of one project
may sit in several partitions: :func:`project_totals` sums per partition and
then adds the partial sums, which is exact because the sums are Decimals.
A project is graded only when no row needs review and its weights add up to
100 (the indicator rows carry no budget-execution block); otherwise its grade
is ``未评级 (not graded)``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..score.scheme import Scheme, load_scheme
from .frames import FRAME_COLUMNS, score_frame

if TYPE_CHECKING:
    import dask.dataframe as dd
    import pandas as pd

__all__ = ["PROJECT_TOTAL_COLUMNS", "project_totals", "score_dask"]

NOT_GRADED = "未评级 (not graded)"
PROJECT_TOTAL_COLUMNS = ("weight", "total", "indicators", "needs_review", "grade")
_HUNDRED = Decimal(100)


def _score_partition(
    partition: pd.DataFrame,
    keys: Sequence[str],
    columns: Mapping[str, str] | None,
    scheme: Scheme | None,
    recompute: bool,
) -> pd.DataFrame:
    import pandas as pd

    if partition.empty:  # dask asks empty partitions too; they must still have the columns
        return _meta(partition, keys)
    scored = score_frame(partition, columns=columns, scheme=scheme, recompute=recompute)
    return pd.concat([partition[list(keys)], scored], axis=1)


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
    return scored


def _partial(scored: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    import pandas as pd

    sums: dict[tuple[Any, ...], list[Any]] = {}
    for record in scored.to_dict("records"):
        key = tuple(record[k] for k in keys)
        entry = sums.setdefault(key, [Decimal(0), Decimal(0), 0, 0])
        entry[0] += record["weight"] if record["weight"] is not None else Decimal(0)
        entry[1] += record["counted"]
        entry[2] += 1
        entry[3] += record["status"] == "needs_review"
    rows = [[*key, *values] for key, values in sums.items()]
    return pd.DataFrame(rows, columns=[*keys, "weight", "total", "indicators", "needs_review"])


def project_totals(
    scored: dd.DataFrame, *, keys: Sequence[str] = ("file", "project"), scheme: Scheme | None = None
) -> pd.DataFrame:
    """Compute per-project totals: weight, total, indicators, rows needing review, grade.

    Partial sums are computed on the workers; only one small row per project
    and partition comes back to the client.
    """
    import pandas as pd

    scheme = scheme or load_scheme()
    keys = list(keys)
    meta = pd.DataFrame(
        {
            **{k: pd.Series([], dtype=scored._meta[k].dtype) for k in keys},
            "weight": pd.Series([], dtype=object),
            "total": pd.Series([], dtype=object),
            "indicators": pd.Series([], dtype="int64"),
            "needs_review": pd.Series([], dtype="int64"),
        }
    )
    # Sum on the workers: one small row per project and partition crosses the network,
    # never the scored rows themselves.
    partials = scored.map_partitions(  # type: ignore[no-untyped-call]
        _partial, keys, meta=meta
    ).compute()
    totals: dict[tuple[Any, ...], list[Any]] = {}
    for record in partials.to_dict("records"):
        key = tuple(record[k] for k in keys)
        entry = totals.setdefault(key, [Decimal(0), Decimal(0), 0, 0])
        # Decimal sums are exact, so adding partition sums in any order gives the
        # single-process total to the last digit.
        for at, name in enumerate(("weight", "total", "indicators", "needs_review")):
            entry[at] += record[name]
    rows = []
    for key, (weight, total, count, review) in sorted(totals.items()):
        # Flat rows carry no budget-execution block, so only a full 100-point set of
        # indicators, every one scored, may be graded; anything else is 未评级.
        graded = review == 0 and weight == _HUNDRED
        rows.append(
            [*key, weight, total, count, review, scheme.grade(total) if graded else NOT_GRADED]
        )
    return pd.DataFrame(rows, columns=[*keys, *PROJECT_TOTAL_COLUMNS])
