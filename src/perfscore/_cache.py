"""A thread-safe LRU cache whose memory is bounded: long texts are never cached.

:func:`functools.lru_cache` bounds the number of entries, not their size: 65,536
entries of 2,000-character texts (and the explanations that quote them) would
hold gigabytes.  Real 指标值 texts are a few dozen characters and repeat across
rows and units; long texts are nearly always unique, so caching them buys
nothing.  :func:`text_cache` caches a call only when its leading text arguments are
at most ``max_text`` characters long, so an entry's size is bounded and so is the
cache: at most ``maxsize`` entries of at most ``max_text`` characters each
(``benchmarks/bench_cache.py`` measures the worst case).  :class:`AdaptiveCache`
(the scorer's outcome cache) is bounded the same way, its callers passing only short
texts, and stops inserting while it does not pay.  Core helper; imports nothing from
perfscore.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Generic, NamedTuple, ParamSpec, TypeVar

__all__ = ["MAX_CACHED_TEXT", "AdaptiveCache", "adaptive_cache", "text_cache"]

P = ParamSpec("P")
R = TypeVar("R")

# Texts longer than this are computed every time, never kept.
MAX_CACHED_TEXT = 200


class TextCache(Generic[P, R]):
    """A function with an LRU cache for calls whose texts are short; see :func:`text_cache`."""

    def __init__(self, function: Callable[P, R], maxsize: int, max_text: int, texts: int) -> None:
        self._function = function
        self._cached: Any = functools.lru_cache(maxsize=maxsize)(function)
        self._max_text = max_text
        self._texts = texts
        functools.update_wrapper(self, function)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        """Call the function, through the cache when its leading text arguments are short."""
        # This runs for every row scored: a plain loop over one or two texts, no generator.
        for text in args[: self._texts]:
            if len(text) > self._max_text:  # type: ignore[arg-type]
                return self._function(*args, **kwargs)
        result: R = self._cached(*args, **kwargs)
        return result

    def cache_clear(self) -> None:
        """Empty the cache (benchmarks start cold)."""
        self._cached.cache_clear()

    def cache_info(self) -> Any:
        """Hits, misses, maxsize and current size, as :func:`functools.lru_cache` reports them."""
        return self._cached.cache_info()


def text_cache(
    maxsize: int, *, texts: int = 1, max_text: int = MAX_CACHED_TEXT
) -> Callable[[Callable[P, R]], TextCache[P, R]]:
    """Cache a function whose first ``texts`` positional arguments are texts, short ones only."""

    def decorate(function: Callable[P, R]) -> TextCache[P, R]:
        return TextCache(function, maxsize, max_text, texts)

    return decorate


class CacheInfo(NamedTuple):
    """What :func:`functools.lru_cache` reports, plus whether the cache is inserting now."""

    hits: int
    misses: int
    maxsize: int
    currsize: int
    inserting: bool = True


_MISSING: Any = object()


class AdaptiveCache(Generic[R]):
    """A bounded memo of a pure function that stops inserting while it does not pay.

    Rows of one unit's tables repeat their texts, so a cache returns most of them in
    one lookup; a national batch writes every text anew, and there a cache only spends
    time hashing, inserting and evicting entries never asked for again.  This cache
    watches itself over windows of ``window`` computed calls (misses): when the hits
    in a window number fewer than ``window // min_hit_share`` (a hit rate under about
    1/64 by default), it neither looks up nor inserts for the next ``pause`` calls,
    then tries one window again, keeping what it held.  (Texts that repeat only after
    more than ``window`` new ones are not seen repeating in the first window: the
    cache then pauses once before it finds them.)  In a trial window (the one after a
    pause) a caller with a cheaper way to the result may keep only the keys seen
    twice (:meth:`first_sighting`).  Whatever it does, every call returns what the
    function returns for these arguments: an entry is only ever the function's own
    result for its key, so results are the same cached or not.

    A hit costs one dict lookup and one counter; the bookkeeping is on the miss path,
    which computes anyway.  At most ``maxsize`` entries (the oldest inserted goes
    first).  Threads share it safely: a lookup is one dict operation, inserts,
    evictions and turns take a lock, and the counters are only approximate under
    threads — they steer the cache, never a result.
    """

    def __init__(
        self,
        function: Callable[..., R],
        maxsize: int,
        *,
        window: int = 4096,
        min_hit_share: int = 64,
        pause: int = 8 * 4096,
    ) -> None:
        self.__wrapped__ = function
        functools.update_wrapper(self, function)
        self._maxsize = maxsize
        self._window = window
        self._min_hits = max(window // min_hit_share, 1)
        self._pause = pause
        self._lock = threading.Lock()
        # An OrderedDict: dropping the oldest entry is O(1).  A plain dict's first key,
        # after many deletions from its front, is found by scanning past them: a full
        # cache that keeps inserting (a long batch that still hits) paid 5-13 µs an
        # insert.  Looking up costs the same (dict.get).
        self._data: OrderedDict[tuple[Any, ...], R] = OrderedDict()
        self._on = True  # looking up and inserting
        self._left = window  # misses until the window ends, or calls until the pause does
        self._window_hits = 0  # hits since the window began
        self._hits = self._misses = 0
        # A trial window (the one after a pause) and the keys it has seen once: see
        # first_sighting.  The window after cache_clear is not a trial.
        self._trial = False
        self._seen: dict[tuple[Any, ...], tuple[Any, ...]] = {}

    def __call__(self, *key: Any) -> R:
        """The function's result for these positional arguments, cached or not."""
        return self.call(key)

    def call(self, key: tuple[Any, ...]) -> R:
        """The function's result for the positional arguments ``key`` (no repacking)."""
        if self._on:
            value: R = self._data.get(key, _MISSING)
            if value is not _MISSING:
                self._window_hits += 1
                return value
        return self._miss(key)

    def _miss(self, key: tuple[Any, ...]) -> R:
        """Compute; insert while the cache is on; turn at the end of a window or pause."""
        self._left -= 1
        if self._left <= 0:
            self._turn()
        value = self.__wrapped__(*key)
        if self._on:
            with self._lock:
                self._misses += 1
                data = self._data
                if len(data) >= self._maxsize:
                    data.popitem(last=False)
                data[key] = value
        return value

    def first_sighting(self, key: tuple[Any, ...], group: tuple[Any, ...] | None = None) -> bool:
        """In a trial window, whether ``key`` is the first of its ``group`` in it (then
        it is remembered, not kept); ``group`` is ``key`` unless given.

        A caller with a cheaper way to the same result than the one cached (the scorer's
        lean lane) asks this in a trial window, on a miss, and on True computes that
        way and counts the call as computed, inserting nothing: a pause ends because
        texts *may* repeat again, and in a batch where they do not, each trial row
        would otherwise pay for an entry never asked for.  A key of a group seen
        before returns False, and the caller goes on to :meth:`_miss`, which keeps it:
        the texts repeat.  If it is the very key seen before, it counts as a hit of the
        window (it would have been one, had its first sighting been kept).  A group is
        what the caller may keep a second time apart from the key (the scorer's pair
        without its names).  Sightings are held for one window only: at most
        ``window`` of them.
        """
        seen = self._seen
        if group is None:
            group = key
        first = seen.get(group)
        if first is None:
            seen[group] = key
            return True
        if first == key:
            self._window_hits += 1
        return False

    def _turn(self) -> None:
        """At the end of a window (or a pause): keep inserting, pause, or try again."""
        with self._lock:
            if self._left > 0:
                return  # another thread turned already
            paying = self._window_hits >= self._min_hits
            was_on = self._on
            self._on = not was_on or paying  # a pause always ends in a trial window
            self._trial = not was_on
            self._seen = {}
            self._left = self._window if self._on else self._pause
            self._hits += self._window_hits
            self._window_hits = 0

    def cache_clear(self) -> None:
        """Empty the cache and start watching afresh (benchmarks start cold)."""
        with self._lock:
            self._data = OrderedDict()
            self._on = True
            self._left = self._window
            self._window_hits = 0
            self._hits = self._misses = 0
            self._trial = False
            self._seen = {}

    def cache_info(self) -> CacheInfo:
        """Hits, misses, maxsize, current size and whether it is looking up now."""
        hits = self._hits + self._window_hits
        return CacheInfo(hits, self._misses, self._maxsize, len(self._data), self._on)


def adaptive_cache(maxsize: int, **options: int) -> Callable[[Callable[..., R]], AdaptiveCache[R]]:
    """Cache a pure function of hashable positional arguments; see :class:`AdaptiveCache`."""

    def decorate(function: Callable[..., R]) -> AdaptiveCache[R]:
        return AdaptiveCache(function, maxsize, **options)

    return decorate
