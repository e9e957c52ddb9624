"""Score a Dask DataFrame of indicator rows partition by partition, and roll up per project.

Needs ``pip install 'perfscore[dask]'``.  The same code runs on a laptop, a
``dask.distributed`` cluster (``Client("tcp://scheduler:8786")``), Kubernetes
(dask-kubernetes) or an HPC queue (dask-jobqueue): only the ``Client`` changes.

Each partition is scored with :func:`perfscore.scale.frames.score_frame`, so a row
gets exactly the score the single-process path gives.  Rows of one project
may sit in several partitions: :func:`project_totals` sums per partition and
then adds the partial sums, which is exact because the sums are Decimals.
Each project's grade and status come from the one verdict
(:func:`perfscore.score.verdict.decide`), decided from the summed
:class:`~perfscore.score.verdict.Tally` of its rows — the same rule as ``perfscore
score`` and ``perfscore batch``.  Flat rows carry no budget-execution block, so the
weights must add up to 100 on the indicators.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from ..score.scheme import Scheme, load_scheme
from ..score.verdict import Tally, decide
from .frames import FRAME_COLUMNS, score_frame

if TYPE_CHECKING:
    import dask.dataframe as dd
    import pandas as pd

__all__ = ["PROJECT_TOTAL_COLUMNS", "project_totals", "score_dask"]

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


_TALLY_FIELDS = tuple(f.name for f in attrs.fields(Tally))


def _partial(scored: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    import pandas as pd

    sums: dict[tuple[Any, ...], Tally] = {}
    for record in scored.to_dict("records"):
        key = tuple(record[k] for k in keys)
        row = Tally.of_row(
            weight=record["weight"],
            counted=record["counted"],
            computed=record["computed"],
            published=record["published"],
            needs_review=record["status"] == "needs_review",
        )
        sums[key] = sums[key] + row if key in sums else row
    rows = [[*key, *attrs.astuple(tally)] for key, tally in sums.items()]
    return pd.DataFrame(rows, columns=[*keys, *_TALLY_FIELDS])


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
    import pandas as pd

    scheme = scheme or load_scheme()
    keys = list(keys)
    meta = pd.DataFrame(
        {
            **{k: pd.Series([], dtype=scored._meta[k].dtype) for k in keys},
            **{
                name: pd.Series([], dtype="int64" if isinstance(default, int) else object)
                for name, default in attrs.asdict(Tally()).items()
            },
        }
    )
    # Sum on the workers: one small row per project and partition crosses the network,
    # never the scored rows themselves.
    partials = scored.map_partitions(  # type: ignore[no-untyped-call]
        _partial, keys, meta=meta
    ).compute()
    totals: dict[tuple[Any, ...], Tally] = {}
    for record in partials.to_dict("records"):
        key = tuple(record[k] for k in keys)
        part = Tally(**{name: record[name] for name in _TALLY_FIELDS})
        # Decimal sums are exact, so adding partition sums in any order gives the
        # single-process total to the last digit.
        totals[key] = totals[key] + part if key in totals else part
    rows = []
    for key, tally in sorted(totals.items()):
        verdict = decide(tally, scheme.grade, recompute=recompute)
        grade = verdict.grade if verdict.graded else NOT_GRADED
        reason = "; ".join(str(r) for r in (*verdict.reasons, *verdict.notes))
        rows.append(
            [
                *key,
                tally.weight,
                tally.counted,
                tally.rows,
                tally.needs_review,
                grade,
                verdict.status.value,
                reason,
            ]
        )
    return pd.DataFrame(rows, columns=[*keys, *PROJECT_TOTAL_COLUMNS])
