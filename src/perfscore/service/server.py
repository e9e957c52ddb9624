"""Run the application under uvicorn, bound to localhost unless told otherwise."""

from __future__ import annotations

import ipaddress
import logging
from typing import TextIO

from .config import ServiceConfig

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "is_loopback", "serve"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080


def is_loopback(host: str) -> bool:
    """True for ``127.0.0.1``, ``::1``, ``localhost``: only this machine can connect."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    config: ServiceConfig,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    log_level: str = "info",
    stderr: TextIO | None = None,
) -> None:
    """Serve until interrupted.  The token is never printed: only whether one is set."""
    import uvicorn

    from .app import create_app

    log = logging.getLogger("perfscore.service")
    token = "需要令牌 (token required)" if config.token else "无令牌 (no token)"
    note = (
        f"perfscore serve: http://{host}:{port}  {token}; 上限 (limits): {config.max_bytes} bytes,"
        f" {config.max_rows} rows, {config.timeout:g} s"
    )
    if stderr is not None:
        print(note, file=stderr, flush=True)
        if not is_loopback(host) and not config.token:
            print(
                f"perfscore serve: 警告：监听 {host} 且无令牌，网络上任何人都可调用"
                f" (warning: listening on {host} without a token:"
                " anyone on the network may call it)",
                file=stderr,
                flush=True,
            )
    log.debug("configured: %r", config)  # the token is kept out of repr
    uvicorn.run(
        create_app(config),
        host=host,
        port=port,
        log_level=log_level,
        server_header=False,
        date_header=True,
        # A request may take up to the time limit; the connection waits for it.
        timeout_keep_alive=5,
    )
