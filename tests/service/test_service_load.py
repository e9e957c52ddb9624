"""Under load: 8 concurrent clients × 200 requests against a real server on 127.0.0.1.

Each answer must be byte for byte the answer to the same request sent alone, no
request may fail, and the server's resident memory must stay within a bound once
warm (the caches are bounded; nothing may accumulate per request).  Speed is not
asserted here: ``benchmarks/bench_service.py`` measures it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import httpx
import psutil
from live_server import EXAMPLES, Server

CLIENTS = 8
REQUESTS = 200  # per client
RSS_GROWTH = 32 * 1024 * 1024  # bytes the server may grow by under load, once warm

FORM = EXAMPLES / "tianjin-2024-self-evaluation.txt"
SMALL = [
    {"row": 1, "level1": "产出指标", "target": "≥3万人次", "actual": "2万人次", "weight": "10"},
    {"row": 2, "level1": "效益指标", "target": "有所提升", "actual": "明显提升", "weight": "10"},
    {"row": 3, "level1": "满意度指标", "target": "≥90%", "actual": "85%", "weight": "10"},
]

Request = Callable[[httpx.Client], httpx.Response]


def _requests(rows_json: bytes) -> list[Request]:
    """The mixture each client cycles through: the 60-row document as JSON and as a file,
    small documents under two schemes, texts, a scheme, an audit, and an error."""
    form = FORM.read_bytes()
    json_type = {"Content-Type": "application/json"}
    return [
        lambda c: c.post("/score", content=rows_json, headers=json_type),
        lambda c: c.post("/score", json=SMALL),
        lambda c: c.post("/parse", json={"texts": ["≥95%", "2024年底前", "≤480万元"]}),
        lambda c: c.post("/score", params={"scheme": "vendor-linear"}, json=SMALL),
        lambda c: c.get("/schemes/mof2020"),
        lambda c: c.post("/score/file", files={"file": (FORM.name, form)}),
        lambda c: c.post("/score", params={"recompute": "true"}, json=SMALL),
        lambda c: c.post("/audit", files={"file": (FORM.name, form)}),
        lambda c: c.post("/score/file", files={"file": ("x.pdf", b"%PDF")}),  # 415
        lambda c: c.post("/parse", json={"texts": ["≥≥"], "actual": True}),
    ]


def _rss(server: Server) -> int:
    return int(psutil.Process(server.process.pid).memory_info().rss)


def test_concurrent_requests_give_single_request_answers(tmp_path: Path) -> None:
    """8 clients × 200 mixed requests: every answer equals its single-request answer,
    no error, no file left, and memory within the bound."""
    server = Server(tmp_path, "--log-level", "warning")
    try:
        with server.client() as alone:
            upload = alone.post("/score/file", files={"file": (FORM.name, FORM.read_bytes())})
            assert upload.status_code == 200
            requests = _requests(upload.content)
            expected = [(r.status_code, r.content) for r in (send(alone) for send in requests)]
            assert [status for status, _ in expected].count(200) == len(requests) - 1
            for _ in range(3):  # warm: caches filled, pools grown, arenas settled
                for send in requests:
                    send(alone)
        before = _rss(server)
        failures: list[str] = []
        peak = [before]

        def client_loop(offset: int) -> None:
            with server.client() as client:
                for n in range(REQUESTS):
                    index = (n + offset) % len(requests)
                    try:
                        response = requests[index](client)
                    except httpx.HTTPError as error:  # pragma: no cover - reported below
                        failures.append(f"request {index}: {error!r}")
                        continue
                    if (response.status_code, response.content) != expected[index]:
                        failures.append(f"request {index}: {response.status_code}")
                    if n % 50 == 0:
                        peak.append(_rss(server))

        threads = [threading.Thread(target=client_loop, args=(k,)) for k in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        after = _rss(server)
        assert failures == []
        assert max(*peak, after) - before < RSS_GROWTH, (before, max(peak), after)
        assert server.leftovers() == []
        assert "Traceback" not in server.log()
    finally:
        server.stop()
