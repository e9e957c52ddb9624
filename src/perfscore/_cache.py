"""A thread-safe LRU cache whose memory is bounded: long texts are never cached.

:func:`functools.lru_cache` bounds the number of entries, not their size: 65,536
entries of 2,000-character texts (and the explanations that quote them) would
hold gigabytes.  Real 指标值 texts are a few dozen characters and repeat across
rows and units; long texts are nearly always unique, so caching them buys
nothing.  :func:`text_cache` caches a call only when its leading text arguments are
at most ``max_text`` characters long, so an entry's size is bounded and so is the
cache: at most ``maxsize`` entries of at most ``max_text`` characters each
(``benchmarks/bench_cache.py`` measures the worst case).  Core helper; imports
nothing from perfscore.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Generic, ParamSpec, TypeVar

__all__ = ["MAX_CACHED_TEXT", "text_cache"]

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
