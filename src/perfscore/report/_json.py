"""JSON as perfscore writes it — ``json.dumps(data, ensure_ascii=False, indent=2)`` — faster.

The standard library encodes with its C encoder only without ``indent``; with it, every
value goes through a chain of Python generators, and that was most of the time of an
HTTP ``/score`` answer and a third of ``perfscore score --format json`` on a big file.
:func:`dumps` writes the same text: a container whose values are all plain scalars
(most of them: a parsed value, a finding, a subtotal) is handed whole to the C encoder,
with the line break and indent of its depth as the item separator; other containers are
walked here, each piece appended to one list joined once.  Anything it does not handle
exactly as the standard library would (a key that is not a string in a container it
walks) falls back to ``json.dumps``.  ``tests/report/test_json_dumps.py`` compares the two on
generated data.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from json.encoder import encode_basestring
from typing import Any

__all__ = ["dumps"]

_SCALARS = frozenset((str, int, float, bool, type(None)))
_INDENTS = ["\n" + "  " * depth for depth in range(1, 33)]
_ENCODERS: dict[int, Callable[[Any, int], Any]] = {}
_KEYS: dict[str, str] = {}  # a key's encoded text and ": ", for the keys seen (bounded)
_default = json.JSONEncoder().default  # the standard library's TypeError for other types


class _Unsupported(Exception):
    """A case :func:`dumps` leaves to ``json.dumps``."""


def dumps(data: object) -> str:
    """``json.dumps(data, ensure_ascii=False, indent=2)``, the same text, about twice as fast."""
    out: list[str] = []
    try:
        _encode(data, 0, out)
    except (_Unsupported, RecursionError):
        return json.dumps(data, ensure_ascii=False, indent=2)
    return "".join(out)


def _scalar(depth: int) -> Callable[[Any, int], Any]:
    """The C encoder whose item separator breaks the line and indents to ``depth + 1``."""
    encoder = _ENCODERS.get(depth)
    if encoder is None:
        import json.encoder

        c_make_encoder = getattr(json.encoder, "c_make_encoder", None)
        if c_make_encoder is None:  # an interpreter without the C accelerator
            raise _Unsupported
        encoder = _ENCODERS[depth] = c_make_encoder(
            None,  # markers: no circular check (perfscore's data has no cycles)
            _default,
            encode_basestring,
            None,  # indent: the separators below do it
            ": ",
            "," + _INDENTS[depth],
            False,  # sort_keys
            False,  # skipkeys
            True,  # allow_nan
        )
    return encoder


def _leaf(depth: int, value: object) -> str:
    """A value with no container inside (or a container of scalars only) at ``depth``."""
    return "".join(_scalar(depth)(value, 0))


def _encode(value: object, depth: int, out: list[str]) -> None:
    """Append ``value``'s indented JSON, its first line already placed, to ``out``."""
    append = out.append
    kind = type(value)
    if depth >= len(_INDENTS):
        raise _Unsupported  # deeper than perfscore writes: the standard library's way
    if kind is dict or (kind not in _SCALARS and isinstance(value, dict)):
        items: dict[Any, Any] = value  # type: ignore[assignment]
        if not items:
            append("{}")
            return
        if all(type(v) in _SCALARS for v in items.values()):
            text = _leaf(depth, items)
            append("{" + _INDENTS[depth] + text[1:-1] + _close(depth) + "}")
            return
        keys = _KEYS
        separator = "{" + _INDENTS[depth]
        comma = "," + _INDENTS[depth]
        for key, item in items.items():
            head = keys.get(key) if type(key) is str else None
            if head is None:
                if type(key) is not str:
                    raise _Unsupported
                if len(keys) >= 4096:
                    keys.clear()
                head = keys[key] = encode_basestring(key) + ": "
            item_kind = type(item)
            if item_kind is str:
                append(separator + head + encode_basestring(item))
            elif item is None:
                append(separator + head + "null")
            elif item_kind in _SCALARS:
                append(separator + head + _leaf(depth, item))
            else:
                append(separator + head)
                _encode(item, depth + 1, out)
            separator = comma
        append(_close(depth) + "}")
        return
    if kind is list or kind is tuple or (kind not in _SCALARS and isinstance(value, list | tuple)):
        values: list[Any] | tuple[Any, ...] = value  # type: ignore[assignment]
        if not values:
            append("[]")
            return
        if all(type(v) in _SCALARS for v in values):
            text = _leaf(depth, values)  # the C encoder writes a tuple as a list, as here
            append("[" + _INDENTS[depth] + text[1:-1] + _close(depth) + "]")
            return
        separator = "[" + _INDENTS[depth]
        comma = "," + _INDENTS[depth]
        for item in values:
            item_kind = type(item)
            if item_kind is str:
                append(separator + encode_basestring(item))
            elif item_kind in _SCALARS:
                append(separator + _leaf(depth, item))
            else:
                append(separator)
                _encode(item, depth + 1, out)
            separator = comma
        append(_close(depth) + "]")
        return
    append(_leaf(depth, value))


def _close(depth: int) -> str:
    """The line break and indent before the closing bracket of a container at ``depth``."""
    return "\n" + "  " * depth
