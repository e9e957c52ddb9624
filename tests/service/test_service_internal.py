"""A bug inside the service is a JSON 500 with a short message; the traceback is logged.

(A real server cannot be made to fail on purpose, so this one runs in process.)"""

from __future__ import annotations

import logging

import anyio
import httpx
import pytest

from perfscore.service import operations
from perfscore.service.app import create_app


def test_an_unexpected_error_is_a_json_500_without_traceback(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The client sees ``internal`` and a bilingual message; the log has the traceback."""

    def broken(*args: object) -> None:
        raise RuntimeError("secret internals")

    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=create_app())
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            return await client.post("/score", json=[{"target": "≥1", "actual": "1"}])

    monkeypatch.setattr(operations, "score_rows", broken)
    with caplog.at_level(logging.ERROR, "perfscore.service"):
        response = anyio.run(call)
    assert response.status_code == 500
    error = response.json()["error"]
    assert error["code"] == "internal"
    assert "服务内部错误" in error["message"]
    assert "secret internals" not in response.text
    assert "Traceback" not in response.text
    assert "secret internals" in caplog.text
