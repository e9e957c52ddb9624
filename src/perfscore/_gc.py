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
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["GC_THRESHOLDS", "fewer_collections", "no_collections"]

GC_THRESHOLDS = (100_000, 100, 100)


class _Held:
    """One process-wide setting held while any user is inside: the first user to enter
    saves it and sets it, the last to leave puts back what was saved."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users = 0
        self._saved: Any = None

    @contextlib.contextmanager
    def hold(self, take: Callable[[], Any], give_back: Callable[[Any], None]) -> Iterator[None]:
        """``take()`` (returning what to restore) for the first user; ``give_back`` it after
        the last."""
        with self._lock:
            if self._users == 0:
                self._saved = take()
            self._users += 1
        try:
            yield
        finally:
            with self._lock:
                self._users -= 1
                if self._users == 0:
                    give_back(self._saved)


_thresholds, _switch = _Held(), _Held()


def fewer_collections(
    thresholds: tuple[int, int, int] = GC_THRESHOLDS,
) -> contextlib.AbstractContextManager[None]:
    """Raise the collector's thresholds to ``thresholds`` inside; as they were after."""

    def take() -> tuple[int, int, int]:
        before = gc.get_threshold()
        gc.set_threshold(*thresholds)
        return before

    return _thresholds.hold(take, lambda before: gc.set_threshold(*before))


def no_collections() -> contextlib.AbstractContextManager[None]:
    """No automatic cyclic collection inside; as it was when the last user leaves.

    For scoring many rows at once (a frame, a Dask partition, the text table): scoring
    and rendering make no reference cycles (tests/test_gc.py checks that a scored frame
    leaves nothing for the collector), so memory is freed by reference counting as
    ever, and the collector only walked the rows held, again and again.  Anything
    cyclic made meanwhile is collected by the next collection after.
    """

    def take() -> bool:
        enabled = gc.isenabled()
        gc.disable()
        return enabled

    return _switch.hold(take, lambda enabled: gc.enable() if enabled else None)
