"""Fixtures: a real ``perfscore serve`` on 127.0.0.1 (see ``live_server``) and its client."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from live_server import Server


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server with the default settings: no token, the readers' limits."""
    running = Server(tmp_path_factory.mktemp("server"))
    yield running
    running.stop()


@pytest.fixture
def client(server: Server) -> Iterator[httpx.Client]:
    """A client of the default server."""
    with server.client() as http:
        yield http
