"""Every error status of a real server: a bilingual JSON message, never a traceback."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator
from live_server import SEED002, Server, cli_run, seed002_path

from perfscore.service.problems import ERROR_SCHEMA
from test_hostile import HOSTILE


def _ev(data: Any) -> Any:
    """The one sheet's evaluation in ``perfscore score --format json`` (perfscore.workbook/2)."""
    return data["sheets"][0]["evaluation"]


def _is_problem(response: httpx.Response, status: int) -> dict[str, object]:
    """The error object of an answer with ``status``, checked against the error schema."""
    assert response.status_code == status, response.text
    assert "Traceback" not in response.text
    body = response.json()
    Draft202012Validator(ERROR_SCHEMA).validate(body)
    error: dict[str, object] = body["error"]
    assert error["status"] == status
    message = str(error["message"])
    assert any("\u4e00" <= c <= "\u9fff" for c in message), message  # Chinese first …
    assert "(" in message  # … then English in parentheses
    return error


def _upload(
    client: httpx.Client, path: str, name: str, data: bytes, **params: str
) -> httpx.Response:
    return client.post(path, params=params, files={"file": (name, data)})


ROWS = [{"row": 1, "target": "≥95%", "actual": "96%", "weight": "5"}]
JSON = {"Content-Type": "application/json"}
BINARY = {"Content-Type": "application/octet-stream"}
CSV = {"Content-Type": "text/csv"}
FORM = {"Content-Type": "multipart/form-data"}  # no boundary
BAD_TYPE = "unsupported-format"


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "code"),
    [
        ("get", "/nowhere", {}, 404, "not-found"),
        ("get", "/score", {}, 405, "method-not-allowed"),
        ("get", "/schemes/no-such-scheme", {}, 404, "not-found"),
        ("get", "/schemes?colour=red", {}, 400, "bad-request"),
        ("post", "/score?scheme=no-such-scheme", {"json": ROWS}, 400, "bad-request"),
        ("post", "/score?year=24", {"json": ROWS}, 400, "bad-request"),
        ("post", "/score?year=2024&year=2023", {"json": ROWS}, 400, "bad-request"),
        ("post", "/score?budget=100", {"json": ROWS}, 400, "bad-request"),
        ("post", "/score?budget=lots&executed=1", {"json": ROWS}, 400, "bad-request"),
        ("post", "/score?recompute=maybe", {"json": ROWS}, 400, "bad-request"),
        ("post", "/score?sheet=x", {"json": ROWS}, 400, "bad-request"),
        ("post", "/score", {"content": b"{not json", "headers": JSON}, 400, "bad-request"),
        ("post", "/score", {"content": b"\xff\xfe{}", "headers": JSON}, 400, "bad-request"),
        ("post", "/score", {"content": b"row,target", "headers": CSV}, 415, BAD_TYPE),
        ("post", "/score", {"json": {"rows": []}}, 422, "unreadable"),
        ("post", "/parse", {"json": {"texts": "≥95%"}}, 400, "bad-request"),
        ("post", "/parse", {"json": {"texts": ["≥95%"], "actual": "yes"}}, 400, "bad-request"),
        ("post", "/parse", {"content": b"[", "headers": JSON}, 400, "bad-request"),
        ("post", "/parse", {"data": {"texts": "x"}}, 415, "unsupported-format"),
        ("post", "/score/file", {"files": {"other": ("a.txt", b"x")}}, 400, "bad-request"),
        ("post", "/score/file", {"content": b""}, 400, "bad-request"),
        ("post", "/score/file", {"content": b"x", "headers": FORM}, 400, "bad-request"),
        ("post", "/score/file", {"files": {"file": ("report.pdf", b"%PDF-1.4")}}, 415, BAD_TYPE),
        ("post", "/score/file", {"content": b"\x00\x01", "headers": BINARY}, 415, BAD_TYPE),
        ("post", "/score/file?filename=x.exe", {"content": b"MZ"}, 415, "unsupported-format"),
        ("post", "/lint", {"files": {"file": ("targets.doc", b"\xd0\xcf")}}, 415, BAD_TYPE),
    ],
)  # fmt: skip
def test_bad_requests_get_their_status(
    client: httpx.Client,
    method: str,
    path: str,
    kwargs: dict[str, object],
    status: int,
    code: str,
) -> None:
    """Each wrong request gets its status, code and a bilingual message."""
    response = client.request(method.upper(), path, **kwargs)  # type: ignore[arg-type]
    assert _is_problem(response, status)["code"] == code


# Hostile files (tests/test_hostile.py): too large → 413, unreadable → 422.
HOSTILE_STATUS = {
    "big-field.csv": 422,
    "deep.json": 422,
    "long-int.json": 422,
    "far-cell.xlsx": 413,
    "bomb.docx": 413,
    "broken.xlsx": 422,
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_files_get_the_clis_message(
    server: Server, client: httpx.Client, tmp_path: Path, name: str
) -> None:
    """A hostile upload is the CLI's error with 413 or 422, naming the file as sent."""
    build, words = HOSTILE[name]
    build(tmp_path / name)
    status, _, stderr = cli_run("score", name, "--format", "json", cwd=tmp_path)
    assert status == 1
    response = _upload(client, "/score/file", name, (tmp_path / name).read_bytes())
    error = _is_problem(response, HOSTILE_STATUS[name])
    assert words in str(error["message"])
    assert f"perfscore: {error['message']}" in stderr  # the CLI's words, to the letter
    assert error["file"] == name
    assert str(server.tmp) not in response.text


def test_a_file_that_is_not_what_its_name_says(client: httpx.Client) -> None:
    """Text named .xlsx, or JSON that is not perfscore's, cannot be read: 422."""
    error = _is_problem(_upload(client, "/score/file", "自评.xlsx", b"not a workbook"), 422)
    assert error["file"] == "自评.xlsx"
    _is_problem(_upload(client, "/audit", "x.json", b'{"a": 1}'), 422)


def test_the_private_folder_is_always_removed(server: Server, client: httpx.Client) -> None:
    """After good and bad uploads alike the server's temporary folder is empty again."""
    seed = seed002_path()
    assert _upload(client, "/score/file", SEED002, seed.read_bytes()).status_code == 200
    assert _upload(client, "/score/file", "broken.xlsx", b"PK\x03\x04 no").status_code == 422
    assert _upload(client, "/audit", "a.txt", seed.read_bytes()).status_code == 200
    assert _upload(client, "/lint", "b.docx", b"nothing").status_code == 422
    assert server.leftovers() == []


def test_a_file_name_cannot_leave_the_private_folder(client: httpx.Client) -> None:
    """``../../x.txt`` is saved as ``x.txt`` inside the private folder, and named so."""
    seed = seed002_path()
    response = _upload(client, "/score/file", f"../../{SEED002}", seed.read_bytes())
    assert response.status_code == 200
    assert _ev(response.json())["document"]["path"] == SEED002


# --- limits -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> object:
    """A server with small limits: 20,000 bytes and 10 rows."""
    running = Server(tmp_path_factory.mktemp("small"), "--max-bytes", "20000", "--max-rows", "10")
    yield running
    running.stop()


def test_a_body_past_the_byte_limit_is_413(small: Server) -> None:
    """Past ``--max-bytes``: 413, whether the length is declared or the body is streamed."""
    big = b"x" * 30_000
    with small.client() as client:
        declared = client.post("/score/file?filename=a.txt", content=big)
        assert _is_problem(declared, 413)["code"] == "too-large"

        def chunks() -> object:
            for _ in range(30):
                yield b"y" * 1000

        streamed = client.post("/score/file?filename=a.txt", content=chunks())  # type: ignore[arg-type]
        assert _is_problem(streamed, 413)["code"] == "too-large"
        rows = client.post("/score", json=[{"target": "≥1", "actual": "x" * 30_000}])
        _is_problem(rows, 413)
        assert small.leftovers() == []


def test_a_document_past_the_row_limit_is_413(small: Server) -> None:
    """Seed 002 has 60 rows: past ``--max-rows 10`` as a file and as JSON rows."""
    seed = seed002_path()
    with small.client() as client:
        error = _is_problem(_upload(client, "/score/file", SEED002, seed.read_bytes()), 413)
        assert "60" in str(error["message"])
        many = [{"row": n, "target": "≥95%", "actual": "96%", "weight": "1"} for n in range(1, 12)]
        _is_problem(client.post("/score", json=many), 413)
        few = many[:10]
        assert client.post("/score", json=few).status_code == 200


def test_work_past_the_time_limit_is_503_and_its_folder_still_goes(tmp_path: Path) -> None:
    """A document that takes longer than ``--timeout`` is answered 503; the work left
    running still removes its private folder when it ends."""
    slow = Server(tmp_path, "--timeout", "0.05")
    try:
        rows = "\n".join(
            f"指标{n}\t≥{n}.{n % 7}万人次\t{n * 3 % 97}.{n % 5}万人次\t1" for n in range(1, 6000)
        )
        body = f"三级指标\t年度指标值\t实际完成值\t分值\n{rows}\n".encode()
        with slow.client() as client:
            response = client.post("/score/file?filename=big.tsv", content=body)
            assert _is_problem(response, 503)["code"] == "timeout"
            assert client.get("/health").status_code == 200
        for _ in range(600):  # the abandoned work finishes on its own
            if not slow.leftovers():
                break
            time.sleep(0.1)
        assert slow.leftovers() == []
    finally:
        slow.stop()


def test_no_traceback_reaches_the_log_for_bad_input(server: Server) -> None:
    """Bad input is the client's problem: the server logs no traceback for it."""
    assert "Traceback" not in server.log()


def test_error_bodies_are_json_with_the_right_type(client: httpx.Client) -> None:
    """Errors are ``application/json`` too, so clients parse one kind of body."""
    response = client.get("/nowhere")
    assert response.headers["content-type"].startswith("application/json")
    assert json.loads(response.text)["schema"] == "perfscore.error/1"


def test_a_body_that_arrives_too_slowly_is_408(tmp_path: Path) -> None:
    """A client that declares 100 bytes and sends 10 is answered 408 at the time limit,
    and the connection is closed (it holds nothing for long)."""
    import socket

    slow = Server(tmp_path, "--timeout", "0.3")
    try:
        with socket.create_connection(("127.0.0.1", slow.port), timeout=30) as sock:
            sock.sendall(
                b"POST /score HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                b'Content-Length: 100\r\n\r\n[{"row": 1'
            )
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 408")
        error = json.loads(body)["error"]
        assert (error["status"], error["code"]) == (408, "timeout")
        assert "0.3" in error["message"]
    finally:
        slow.stop()
