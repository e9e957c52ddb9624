"""Safe by default: loopback only, the bearer token, allow-listed schemes, a cheap import."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest
from live_server import EXAMPLES, SRC, Server, cli_run

from perfscore.score.scheme import available_schemes


def _ev(data: Any) -> Any:
    """The one sheet's evaluation in ``perfscore score --format json`` (perfscore.workbook/2)."""
    return data["sheets"][0]["evaluation"]


TOKEN = "s3cret-Token_0123456789.abc~+/="


def test_binds_to_loopback_unless_told(server: Server) -> None:
    """Without ``--host`` the server listens on 127.0.0.1 only."""
    listening = [
        c
        for c in psutil.Process(server.process.pid).net_connections(kind="inet")
        if c.status == psutil.CONN_LISTEN
    ]
    assert listening
    assert {c.laddr.ip for c in listening} == {"127.0.0.1"}


@pytest.mark.parametrize("source", ["environment", "file"])
def test_the_token_is_required_and_never_logged(tmp_path: Path, source: str) -> None:
    """With a token (``PERFSCORE_TOKEN`` or ``--token-file``) every endpoint but /health
    answers 401 without it or with a wrong one; the token appears nowhere in the log."""
    if source == "file":
        token_file = tmp_path / "token"
        token_file.write_text(f"{TOKEN}\n", "utf-8")
        secured = Server(tmp_path, "--token-file", str(token_file), "--log-level", "debug")
    else:
        secured = Server(tmp_path, "--log-level", "debug", env={"PERFSCORE_TOKEN": TOKEN})
    try:
        with secured.client() as anonymous:
            assert anonymous.get("/health").status_code == 200
            for path in ("/schemes", "/openapi.json", "/schemes/mof2020"):
                response = anonymous.get(path)
                assert response.status_code == 401
                assert response.headers["www-authenticate"].startswith("Bearer")
                assert response.json()["error"]["code"] == "unauthorized"
            for wrong in ("Bearer wrong", f"Basic {TOKEN}", f"Bearer {TOKEN}x", "Bearer"):
                headers = {"Authorization": wrong}
                assert anonymous.get("/schemes", headers=headers).status_code == 401
            assert anonymous.post("/parse", json={"texts": ["≥1"]}).status_code == 401
        with secured.client(TOKEN) as client:
            assert client.get("/schemes").status_code == 200
            assert client.post("/parse", json={"texts": ["≥1"]}).status_code == 200
    finally:
        secured.stop()
    log = secured.log()
    assert "需要令牌 (token required)" in log
    assert TOKEN not in log


def test_an_empty_or_missing_token_file_stops_the_server(tmp_path: Path) -> None:
    """``--token-file`` that cannot give a token: status 1 and a message, no server."""
    (tmp_path / "empty").write_text("\n", "utf-8")
    status, _, stderr = cli_run("serve", "--token-file", str(tmp_path / "empty"))
    assert status == 1
    assert "令牌文件为空" in stderr
    status, _, stderr = cli_run("serve", "--token-file", str(tmp_path / "missing"))
    assert status == 1
    assert "无法读取令牌" in stderr
    (tmp_path / "spaced").write_text("two words\n", "utf-8")
    status, _, stderr = cli_run("serve", "--token-file", str(tmp_path / "spaced"))
    assert status == 2
    assert "令牌只能含" in stderr


def test_bad_settings_are_usage_errors(tmp_path: Path) -> None:
    """Limits past the readers' own, and a schemes folder that is not one, are refused."""
    status, _, stderr = cli_run("serve", "--max-rows", "100001")
    assert status == 2
    assert "max_rows" in stderr
    status, _, stderr = cli_run("serve", "--schemes-dir", str(tmp_path / "nope"))
    assert status == 2
    assert "不是文件夹" in stderr
    status, _, _ = cli_run("serve", "--timeout", "0")
    assert status == 2


@pytest.fixture(scope="module")
def with_schemes(tmp_path_factory: pytest.TempPathFactory) -> object:
    """A server whose ``--schemes-dir`` holds ``mine.toml``, a broken scheme, and a link out."""
    root = tmp_path_factory.mktemp("schemes")
    allowed = root / "allowed"
    allowed.mkdir()
    shutil.copy(EXAMPLES / "my-scheme.toml", allowed / "mine.toml")
    (allowed / "broken.toml").write_text("name = [", "utf-8")
    shutil.copy(EXAMPLES / "my-scheme.toml", root / "outside.toml")
    os.symlink(root / "outside.toml", allowed / "escape.toml")
    running = Server(root, "--schemes-dir", str(allowed))
    yield running
    running.stop()


def test_custom_schemes_come_only_from_the_allowed_folder(
    with_schemes: Server, server: Server
) -> None:
    """A scheme in ``--schemes-dir`` is used by name; a link out of it, a path, or
    another server without the folder refuses it."""
    rows = [{"row": 1, "target": "≥3万人次", "actual": "2万人次", "weight": "10"}]
    with with_schemes.client() as client:
        listed = [s["name"] for s in client.get("/schemes").json()["schemes"]]
        assert "my-scheme" in listed  # mine.toml's own name
        # Every preset and mine: neither the broken file nor the link.
        assert len(listed) == len(available_schemes()) + 1
        response = client.post("/score", params={"scheme": "mine"}, json=rows)
        assert response.status_code == 200
        assert _ev(response.json())["indicators"][0]["score"] == "6.7"  # one decimal place
        assert _ev(response.json())["scheme"]["name"] == "my-scheme"
        fetched = client.get("/schemes/mine").json()["schemes"][0]
        assert fetched["toml"] == (EXAMPLES / "my-scheme.toml").read_text("utf-8")
        for name in ("escape", "../outside", "outside", "/etc/passwd", "mine.toml"):
            answer = client.post("/score", params={"scheme": name}, json=rows)
            assert answer.status_code == 400, name
            assert client.get(f"/schemes/{name}").status_code in (404, 400), name
        broken = client.post("/score", params={"scheme": "broken"}, json=rows)
        assert broken.status_code == 422
        assert "TOML" in broken.json()["error"]["message"]
        assert str(with_schemes.folder) not in broken.text
    with server.client() as other:
        assert other.post("/score", params={"scheme": "mine"}, json=rows).status_code == 400


def test_importing_perfscore_does_not_load_the_server() -> None:
    """``import perfscore`` and ``perfscore --help`` load neither the service nor Starlette."""
    code = (
        "import sys, perfscore, perfscore.cli, contextlib, io\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        "        perfscore.cli.main(['--help'])\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('perfscore.service', 'starlette',"
        " 'uvicorn', 'anyio', 'python_multipart'))))"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip() == "[]"


def test_serve_help_is_bilingual() -> None:
    """``perfscore serve --help`` lists the options in Chinese and English, and the
    readers' limits it shows are the readers' own."""
    from perfscore.readers._files import MAX_FILE_BYTES, MAX_ROWS

    status, stdout, _ = cli_run("serve", "--help")
    assert status == 0
    flat = " ".join(stdout.split())
    assert f"the readers' {MAX_FILE_BYTES}" in flat
    assert f"the readers' {MAX_ROWS}" in flat
    assert f"{MAX_FILE_BYTES // 2**20} MB" in flat
    for option in ("--host", "--port", "--token-file", "--schemes-dir", "--max-bytes", "--timeout"):
        assert option in stdout
    assert "127.0.0.1" in stdout


def test_a_public_host_without_a_token_is_warned_about(monkeypatch: pytest.MonkeyPatch) -> None:
    """Told to listen beyond loopback without a token, ``serve`` warns before it starts;
    (uvicorn is replaced here: nothing binds beyond 127.0.0.1 in the tests)."""
    import uvicorn

    calls: list[dict[str, object]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append(kwargs))
    monkeypatch.delenv("PERFSCORE_TOKEN", raising=False)
    status, _, stderr = cli_run("serve", "--host", "0.0.0.0", "--port", "9")
    assert status == 0
    assert calls[0]["host"] == "0.0.0.0"
    assert "警告" in stderr
    assert "without a token" in stderr
    status, _, stderr = cli_run("serve", "--port", "9")
    assert calls[1]["host"] == "127.0.0.1"
    assert "警告" not in stderr
    monkeypatch.setenv("PERFSCORE_TOKEN", TOKEN)
    status, _, stderr = cli_run("serve", "--host", "0.0.0.0", "--port", "9")
    assert "警告" not in stderr
    assert TOKEN not in stderr


def test_client_sees_no_server_header(server: Server) -> None:
    """The answer does not advertise the server software."""
    with httpx.Client(trust_env=False) as client:
        response = client.get(f"{server.url}/health")
    assert "server" not in response.headers
