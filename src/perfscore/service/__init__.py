"""``perfscore serve``: the scorer over HTTP, for budget systems written in other languages.

A Starlette application (:func:`~perfscore.service.app.create_app`) served by uvicorn
(:func:`~perfscore.service.server.serve`); the ``server`` extra installs both
(``pip install 'perfscore[server]'``).  It answers with the very JSON the CLI writes,
every decimal an exact string.  This stage may import every package but ``cli``;
``import perfscore`` never loads it.  docs/service.md describes the endpoints.
"""

from __future__ import annotations

from .config import ServiceConfig

__all__ = ["ServiceConfig", "create_app"]


def create_app(config: ServiceConfig | None = None) -> object:
    """The ASGI application (imports Starlette only when called)."""
    from .app import create_app as build

    return build(config)
