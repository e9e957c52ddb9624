"""Collect cyclic garbage less often while perfscore works through many rows.

Python's default thresholds (a young collection every 700 new containers, older ones
every 10 of those) make work on many rows pay again and again for walking the objects
it holds: a third of ``perfscore score`` on 30,000 rows writing the text table, and a
quarter of a Dask partition's CPU.  While :func:`fewer_collections` is active, young
cycles are still collected every 100,000 containers (a long batch, a worker or the
service does not grow by them); memory without cycles is freed by reference counting
as ever.  The thresholds are the process's: they are raised when the first user enters
and restored when the last one leaves, so threads (a Dask worker's, the service's)
may overlap and the host program finds its own thresholds after.  :func:`no_collections`
turns automatic collection off the same way, for scoring a frame or a partition.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

__all__ = ["GC_THRESHOLDS", "fewer_collections", "no_collections"]

GC_THRESHOLDS = (100_000, 100, 100)

_lock = threading.Lock()
_users = 0
_before: tuple[int, int, int] = gc.get_threshold()


@contextlib.contextmanager
def fewer_collections(thresholds: tuple[int, int, int] = GC_THRESHOLDS) -> Iterator[None]:
    """Raise the collector's thresholds to ``thresholds`` inside; as they were after."""
    global _users, _before
    with _lock:
        if _users == 0:
            _before = gc.get_threshold()
            gc.set_threshold(*thresholds)
        _users += 1
    try:
        yield
    finally:
        with _lock:
            _users -= 1
            if _users == 0:
                gc.set_threshold(*_before)


_off_lock = threading.Lock()
_off_users = 0
_was_enabled = True


@contextlib.contextmanager
def no_collections() -> Iterator[None]:
    """No automatic cyclic collection inside; as it was when the last user leaves.

    For scoring many rows at once (a frame, a Dask partition): scoring makes no reference
    cycles (tests/test_gc.py checks that a scored partition leaves nothing for the
    collector), so memory is freed by reference counting as ever, and the collector only
    walked the rows held, again and again.  Anything cyclic made meanwhile is collected
    by the next collection after.
    """
    global _off_users, _was_enabled
    with _off_lock:
        if _off_users == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _off_users += 1
    try:
        yield
    finally:
        with _off_lock:
            _off_users -= 1
            if _off_users == 0 and _was_enabled:
                gc.enable()
