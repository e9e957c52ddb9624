"""Run a function over items in worker processes that may die or hang, in input order.

:func:`map_in_order` is :meth:`ProcessPoolExecutor.map` made safe for a national
batch.  A worker killed by the operating system (the out-of-memory killer
sends SIGKILL) breaks the whole pool (``BrokenProcessPool``), and a worker
stuck on one input would stall it for ever.  Here, when the pool breaks or the
oldest item takes longer than ``timeout`` seconds, the pool's processes are
killed, the items that were in flight are retried once each in a fresh
one-worker pool (so a file that kills its worker takes down no other), and an
item failing again gets ``on_failure(item, reason)``.  Then a fresh pool goes
on with the rest.  Workers watch their parent and exit when it dies, so a
killed batch leaves no orphan processes.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

__all__ = ["DIED", "map_in_order", "timed_out"]

T = TypeVar("T")
R = TypeVar("R")

DIED = (
    "工作进程意外退出（可能因内存不足被系统终止），重试一次仍失败"
    " (the worker process died, perhaps killed for lack of memory, and again on a retry)"
)


def timed_out(seconds: float) -> str:
    """The reason given to an item that took longer than ``seconds``, twice."""
    return (
        f"处理超过 {seconds:g} 秒仍未完成，重试一次仍超时"
        f" (not finished within {seconds:g} s, and again on a retry)"
    )


def map_in_order(
    function: Callable[[T], R],
    items: Sequence[T],
    *,
    jobs: int,
    timeout: float,
    on_failure: Callable[[T, str], R],
) -> Iterator[R]:
    """Yield ``function(item)`` for each item, in order, with at most ``4 × jobs`` in flight."""
    pool = _pool(jobs)
    pending: deque[tuple[T, Future[R]]] = deque()
    done = False
    try:
        for item in items:
            pending.append((item, pool.submit(function, item)))
            if len(pending) >= 4 * jobs:
                result, pool = _next(pending, pool, jobs, function, timeout, on_failure)
                yield result
        while pending:
            result, pool = _next(pending, pool, jobs, function, timeout, on_failure)
            yield result
        done = True
    finally:
        # Stopped early (an error, Ctrl-C, SIGTERM): kill the workers instead of waiting.
        _shutdown(pool, kill=not done)


def _next(
    pending: deque[tuple[T, Future[R]]],
    pool: ProcessPoolExecutor,
    jobs: int,
    function: Callable[[T], R],
    timeout: float,
    on_failure: Callable[[T, str], R],
) -> tuple[R, ProcessPoolExecutor]:
    """The oldest item's result; on a broken or stuck pool, retry what was in flight."""
    item, future = pending[0]
    try:
        result = future.result(timeout=timeout)
    except (BrokenProcessPool, FutureTimeout):
        _shutdown(pool, kill=True)
        settled: deque[tuple[T, Future[R]]] = deque()
        for item, future in pending:
            finished = future.done() and not future.cancelled() and future.exception() is None
            if not finished:
                future = _settled(_retry(function, item, timeout, on_failure))
            settled.append((item, future))
        pending.clear()
        pending.extend(settled)
        return pending.popleft()[1].result(), _pool(jobs)
    pending.popleft()
    return result, pool


def _retry(
    function: Callable[[T], R], item: T, timeout: float, on_failure: Callable[[T, str], R]
) -> R:
    """Run ``item`` alone in a fresh one-worker pool; ``on_failure`` if it dies or hangs again."""
    pool = _pool(1)
    try:
        return pool.submit(function, item).result(timeout=timeout)
    except BrokenProcessPool:
        return on_failure(item, DIED)
    except FutureTimeout:
        return on_failure(item, timed_out(timeout))
    finally:
        _shutdown(pool, kill=True)


def _settled(value: R) -> Future[R]:
    future: Future[R] = Future()
    future.set_result(value)
    return future


def _pool(jobs: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=jobs, initializer=_watch_parent, initargs=(os.getpid(),))


def _shutdown(pool: ProcessPoolExecutor, *, kill: bool) -> None:
    """Stop ``pool``; with ``kill``, SIGKILL its workers first so nothing waits on them."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    if kill:
        for process in processes:
            if process.is_alive():
                process.kill()
    pool.shutdown(wait=not kill, cancel_futures=True)
    for process in processes:
        process.join(timeout=10)


def _watch_parent(parent: int) -> None:
    """In a worker: exit as soon as the batch process is gone (killed, even by SIGKILL)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, name="perfscore-parent-watch", daemon=True).start()
