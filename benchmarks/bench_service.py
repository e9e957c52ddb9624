"""Print requests/s and p50/p99 latency of ``perfscore serve`` for a 60-row document.

Usage: python benchmarks/bench_service.py [REQUESTS] [CLIENTS…]

Starts ``perfscore serve`` on 127.0.0.1 (a free port, access log off), then for each
number of concurrent clients (default 1 and 8) sends REQUESTS (default 800) of each:

* ``POST /score``: the 60 rows of the Tianjin 2024 self-evaluation as JSON (92 KB of
  ``perfscore.evaluation/1``, as a budget system would send them back);
* ``POST /score/file``: the same form uploaded as pasted text (11 KB, multipart).

Every answer is checked against the first (scores are pure).  Figures depend on the
machine; docs/performance.md records them with the machine they ran on.
"""

from __future__ import annotations

import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
FORM = ROOT / "examples" / "data" / "tianjin-2024-self-evaluation.txt"


def free_port() -> int:
    """A free port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start() -> tuple[subprocess.Popen[bytes], str]:
    """``perfscore serve`` on a free loopback port, once it answers /health."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("PERFSCORE_TOKEN", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "perfscore", "serve", "--port", str(port), "--log-level", "warning"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    with httpx.Client(trust_env=False) as client:
        for _ in range(300):
            try:
                if client.get(f"{url}/health", timeout=1).status_code == 200:
                    return process, url
            except httpx.TransportError:
                time.sleep(0.05)
    process.kill()
    raise SystemExit("perfscore serve did not start")


def run(url: str, send: object, requests: int, clients: int) -> tuple[float, list[float]]:
    """Send ``requests`` in all from ``clients`` threads; wall seconds and each latency."""
    latencies: list[float] = []
    lock = threading.Lock()
    bodies: set[bytes] = set()
    share = requests // clients

    def client_loop() -> None:
        mine: list[float] = []
        seen: set[bytes] = set()
        with httpx.Client(base_url=url, timeout=120, trust_env=False) as client:
            for _ in range(share):
                began = time.perf_counter()
                response = send(client)  # type: ignore[operator]
                mine.append(time.perf_counter() - began)
                if response.status_code != 200:
                    raise SystemExit(f"status {response.status_code}: {response.text[:200]}")
                seen.add(response.content)
        with lock:
            latencies.extend(mine)
            bodies.update(seen)

    threads = [threading.Thread(target=client_loop) for _ in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    if len(bodies) != 1 or len(latencies) != share * clients:
        raise SystemExit(f"{len(bodies)} different answers, {len(latencies)} requests done")
    return wall, latencies


def main() -> None:
    """Print the table."""
    requests = int(sys.argv[1]) if len(sys.argv) > 1 else 800
    levels = [int(a) for a in sys.argv[2:]] or [1, 8]
    process, url = start()
    try:
        form = FORM.read_bytes()
        with httpx.Client(base_url=url, trust_env=False, timeout=120) as client:
            rows = client.post("/score/file", files={"file": (FORM.name, form)}).content
        headers = {"Content-Type": "application/json"}
        cases = {
            "POST /score (60 rows, JSON)": lambda c: c.post(
                "/score", content=rows, headers=headers
            ),
            "POST /score/file (60 rows, text)": lambda c: c.post(
                "/score/file", files={"file": (FORM.name, form)}
            ),
        }
        print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores,")
        print(f"Python {platform.python_version()}, {requests} requests per row")
        print(f"{'endpoint':36} {'clients':>7} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
        for name, send in cases.items():
            run(url, send, 40, 4)  # warm the caches and the connection pool
            for clients in levels:
                wall, latencies = run(url, send, requests, clients)
                cuts = statistics.quantiles(latencies, n=100)
                rate = len(latencies) / wall
                print(
                    f"{name:36} {clients:>7} {rate:>8.1f} {cuts[49] * 1000:>8.1f}"
                    f" {cuts[98] * 1000:>8.1f}"
                )
    finally:
        process.terminate()
        process.wait(timeout=15)


if __name__ == "__main__":
    main()
