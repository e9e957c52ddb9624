"""Helpers: a real ``perfscore serve`` on 127.0.0.1 and a free port, and the CLI to compare it with.

Every server is a subprocess (``python -m perfscore serve``) bound to loopback only,
with its own ``TMPDIR`` so tests can see that no file is left behind, and its log
in a file so tests can see what it printed.
"""

from __future__ import annotations

import contextlib
import io
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

import perfscore
from perfscore.cli import main
from perfscore.service.config import TOKEN_VARIABLE

SRC = Path(perfscore.__file__).resolve().parents[1]
SEEDS = Path("/work/shared/seeds")
SEED002 = "002_a3cb9191b7c11910.txt"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "data"
LOOPBACK = "127.0.0.1"


def free_port() -> int:
    """A port nobody listens on right now, on loopback."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        port: int = sock.getsockname()[1]
        return port


class Server:
    """``perfscore serve ARGS`` in a subprocess, until :meth:`stop`."""

    def __init__(self, folder: Path, *args: str, env: dict[str, str] | None = None) -> None:
        self.folder = folder
        self.tmp = folder / "tmp"  # the server's TMPDIR: its private folders are made here
        self.tmp.mkdir(parents=True, exist_ok=True)
        self.log_path = folder / "server.log"
        environment = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
            "TMPDIR": str(self.tmp),
        }
        environment.pop(TOKEN_VARIABLE, None)  # a token only where a test gives one
        environment.update(env or {})
        for _ in range(5):  # another process may take the free port first: try another
            self.port = free_port()
            self.url = f"http://{LOOPBACK}:{self.port}"
            with self.log_path.open("wb") as log:
                self.process = subprocess.Popen(
                    [sys.executable, "-m", "perfscore", "serve", "--port", str(self.port), *args],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    env=environment,
                    cwd=folder,
                )
            if self._wait():
                return
            self.stop()
        raise RuntimeError(f"perfscore serve did not start:\n{self.log()}")

    def _wait(self) -> bool:
        deadline = time.monotonic() + 30
        with httpx.Client(trust_env=False) as client:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    return False
                with contextlib.suppress(httpx.TransportError):
                    if client.get(f"{self.url}/health", timeout=1).status_code == 200:
                        return True
                time.sleep(0.05)
        return False

    def client(self, token: str | None = None) -> httpx.Client:
        """An HTTP client for this server (no proxies from the environment: loopback only)."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=60, trust_env=False)

    def log(self) -> str:
        """What the server printed so far."""
        return self.log_path.read_text("utf-8", errors="replace")

    def leftovers(self) -> list[str]:
        """Whatever is left in the server's TMPDIR."""
        return sorted(p.name for p in self.tmp.iterdir())

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL if it lingers)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)


def cli(*args: str, cwd: Path | None = None) -> tuple[int, str]:
    """Run ``perfscore ARGS`` in this process: the exit status and what it printed on stdout."""
    status, stdout, _ = cli_run(*args, cwd=cwd)
    return status, stdout


def cli_run(*args: str, cwd: Path | None = None) -> tuple[int, str, str]:
    """Run ``perfscore ARGS`` in this process: the exit status, stdout and stderr."""
    stdout, stderr = io.StringIO(), io.StringIO()
    previous = Path.cwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            status = main(list(args))
    finally:
        os.chdir(previous)
    return status, stdout.getvalue(), stderr.getvalue()


def seed002_path() -> Path:
    """Seed 002, or skip when the shared seeds are not on this machine."""
    path = SEEDS / SEED002
    if not path.is_file():
        pytest.skip("seed 002 is not on this machine")
    return path
