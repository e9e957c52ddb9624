"""Tests for perfscore.scale.dask on a LocalCluster: equal to the single-process path."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

dd = pytest.importorskip(
    "dask.dataframe", reason="dask is not installed: pip install 'perfscore[dask]'"
)
distributed = pytest.importorskip("distributed", reason="dask.distributed is not installed")

from perfscore import Indicator, evaluate  # noqa: E402
from perfscore.scale.dask import NOT_GRADED, project_totals, score_dask  # noqa: E402
from perfscore.scale.frames import score_frame  # noqa: E402


def synthetic(projects: int = 6, rows: int = 10) -> pd.DataFrame:
    """Projects of ten rows weighing 10 each; project 0 has an unreadable actual."""
    records = []
    for p in range(projects):
        for k in range(rows):
            actual = "见附件" if (p, k) == (0, 3) else f"{(k + 1) * 10 - (p + k) % 5}个"
            records.append(
                {
                    "project": f"项目{p}",
                    "target": f"≥{(k + 1) * 10}个",
                    "actual": actual,
                    "weight": Decimal(10),
                }
            )
    return pd.DataFrame(records)


@pytest.fixture(scope="module")
def client() -> object:
    """A two-worker LocalCluster in this process, so the suite stays small."""
    with (
        distributed.LocalCluster(
            n_workers=2, processes=False, threads_per_worker=1, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as c,
    ):
        yield c


def test_dask_scores_equal_the_single_process_path(client: object) -> None:
    """Row scores and per-project totals over 4 partitions equal score_frame and evaluate."""
    frame = synthetic()
    ddf = dd.from_pandas(frame, npartitions=4)  # projects straddle partitions
    scored = score_dask(ddf, keys=("project",), columns={"weight": "weight"})
    result = scored.compute()
    single = score_frame(frame)
    assert list(result["computed"]) == list(single["computed"])
    assert list(result["counted"]) == list(single["counted"])
    totals = project_totals(scored, keys=("project",))
    for record in totals.to_dict("records"):
        rows = frame[frame["project"] == record["project"]]
        expected = evaluate(
            Indicator(row=n, target=t, actual=a, weight=w)
            for n, (t, a, w) in enumerate(
                zip(rows["target"], rows["actual"], rows["weight"], strict=True), 1
            )
        )
        assert record["total"] == expected.total
        assert record["needs_review"] == len(expected.needs_review)
        if expected.needs_review:
            assert record["grade"] == NOT_GRADED
        else:
            assert record["grade"] == expected.grade
    assert isinstance(totals["total"].iloc[0], Decimal)
    assert len(totals) == 6
