"""perfscore._gc: the collector's thresholds raised while rows are worked through, and
restored after — on errors, nested and across threads."""

from __future__ import annotations

import gc
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest

from perfscore._gc import GC_THRESHOLDS, fewer_collections


@pytest.fixture(autouse=True)
def own_thresholds() -> Iterator[tuple[int, int, int]]:
    before = gc.get_threshold()
    gc.set_threshold(500, 5, 5)
    yield (500, 5, 5)
    gc.set_threshold(*before)


def test_raised_inside_and_restored_after_even_on_error() -> None:
    with fewer_collections():
        assert gc.get_threshold() == GC_THRESHOLDS
    assert gc.get_threshold() == (500, 5, 5)
    with pytest.raises(ValueError, match="boom"), fewer_collections():
        raise ValueError("boom")
    assert gc.get_threshold() == (500, 5, 5)


def test_nested_users_restore_only_when_the_last_leaves() -> None:
    with fewer_collections():
        with fewer_collections():
            assert gc.get_threshold() == GC_THRESHOLDS
        assert gc.get_threshold() == GC_THRESHOLDS  # the outer user is still inside
    assert gc.get_threshold() == (500, 5, 5)


def test_overlapping_threads_leave_the_host_thresholds() -> None:
    inside = threading.Barrier(4)
    seen: list[tuple[int, int, int]] = []

    def work() -> None:
        with fewer_collections():
            inside.wait()
            seen.append(gc.get_threshold())
            inside.wait()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == [GC_THRESHOLDS] * 4
    assert gc.get_threshold() == (500, 5, 5)


def test_score_frame_and_the_dask_partition_restore_the_thresholds() -> None:
    pd = pytest.importorskip("pandas", reason="pandas is not installed")
    from decimal import Decimal

    from perfscore.scale.frames import score_frame

    frame = pd.DataFrame(
        {"target": ["≥10个", "x"], "actual": ["9个", ""], "weight": [Decimal(5)] * 2}
    )
    assert len(score_frame(frame)) == 2
    assert gc.get_threshold() == (500, 5, 5)
    pytest.importorskip("dask", reason="dask is not installed")
    from perfscore.scale.dask import _scored_rows
    from perfscore.score.scheme import load_scheme

    frame["project"] = "p"
    assert len(_scored_rows(frame, ["project"], {}, load_scheme(), False)) == 1
    assert gc.get_threshold() == (500, 5, 5)


def test_no_collections_nests_and_restores_the_collector() -> None:
    from perfscore._gc import no_collections

    assert gc.isenabled()
    with no_collections():
        with no_collections():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with no_collections():
            pass
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()


def test_scoring_a_partition_makes_no_reference_cycles() -> None:
    """What makes turning the collector off while scoring safe: nothing is left for it.

    In a fresh interpreter: threads other tests leave running (a Dask cluster's event
    loop) make cyclic garbage of their own while the collector is off.
    """
    pytest.importorskip("pandas", reason="pandas is not installed")
    code = """
import gc
from decimal import Decimal

import pandas as pd

from perfscore.scale.frames import score_frame

texts = [("≥10个", "9个"), ("2024年12月31日前", "2024年11月"), ("提升", "有所提升"),
         ("≤160万元", "150万元"), ("≥90%", "见附件"), ("", "")]
frame = pd.DataFrame(
    {
        "target": [t for t, _ in texts] * 50,
        "actual": [a for _, a in texts] * 50,
        "weight": [Decimal(2)] * 300,
    }
)
score_frame(frame)  # imports, caches and compiled patterns made once
gc.collect()
scored = score_frame(frame.assign(actual=[f"{a}{k}" for k, a in enumerate(frame["actual"])]))
scored["explanation"].tolist()
del scored
assert gc.collect() == 0
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
