"""The service's settings: limits, the token and the allow-listed schemes folder.

Defaults are the readers' own limits (:mod:`perfscore.readers._files`): a server may
lower them, never raise them past what the readers accept.  The token is kept out
of ``repr`` so that it cannot reach a log by accident.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import attrs

from ..readers._files import MAX_FILE_BYTES, MAX_ROWS

__all__ = [
    "DEFAULT_TIMEOUT",
    "DEFAULT_WORKERS",
    "MAX_TEXTS",
    "TOKEN_VARIABLE",
    "ServiceConfig",
    "read_token_file",
]

TOKEN_VARIABLE = "PERFSCORE_TOKEN"
DEFAULT_TIMEOUT = 60.0  # seconds one request may compute before it is answered 503
DEFAULT_WORKERS = 4  # requests computed at once; more wait (the work holds the GIL anyway)
MAX_TEXTS = 10_000  # texts one /parse request may ask about


def _positive_bytes(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if not 0 < value <= MAX_FILE_BYTES:
        raise ValueError(f"{attribute.name} must be between 1 and {MAX_FILE_BYTES}, not {value}")


def _positive_rows(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if not 0 < value <= MAX_ROWS:
        raise ValueError(f"{attribute.name} must be between 1 and {MAX_ROWS}, not {value}")


_TOKEN = re.compile(r"[A-Za-z0-9\-._~+/]+=*")  # RFC 6750's b64token


def _token(instance: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is not None and not _TOKEN.fullmatch(value):
        raise ValueError(
            "令牌只能含字母、数字和 -._~+/= (the token may hold only letters, digits and -._~+/=)"
        )


def _positive(instance: object, attribute: attrs.Attribute[Any], value: float) -> None:
    if not value > 0:
        raise ValueError(f"{attribute.name} must be positive, not {value}")


@attrs.frozen
class ServiceConfig:
    """What ``perfscore serve`` is allowed to do.

    ``max_bytes``: largest request body (upload or JSON); ``max_rows``: most indicator
    rows in one document; ``timeout``: seconds of work per request; ``workers``:
    requests computed at once; ``token``: the bearer token every request but
    ``/health`` must carry (None: no token); ``schemes_dir``: the one folder custom
    schemes are loaded from, by name (None: presets only).
    """

    max_bytes: int = attrs.field(default=MAX_FILE_BYTES, validator=_positive_bytes)
    max_rows: int = attrs.field(default=MAX_ROWS, validator=_positive_rows)
    timeout: float = attrs.field(default=DEFAULT_TIMEOUT, validator=_positive)
    workers: int = attrs.field(default=DEFAULT_WORKERS, validator=_positive)
    token: str | None = attrs.field(default=None, repr=False, validator=_token)
    schemes_dir: Path | None = None

    @classmethod
    def from_environment(cls, **settings: object) -> ServiceConfig:
        """The settings given, with the token from ``PERFSCORE_TOKEN`` unless one is given."""
        if settings.get("token") is None:
            settings["token"] = os.environ.get(TOKEN_VARIABLE) or None
        return cls(**settings)  # type: ignore[arg-type]


def read_token_file(path: str | os.PathLike[str]) -> str:
    """The token in ``path``: its first line, stripped; an empty file is an error."""
    text = Path(path).read_text("utf-8")
    lines = text.strip().splitlines()
    token = lines[0].strip() if lines else ""
    if not token:
        raise ValueError("令牌文件为空 (the token file is empty)")
    return token
