"""Real local servers for the channel tests: each started as a subprocess on a free loopback port.

`mastodon_mock` (PyPI) serves the Mastodon REST API from in-memory SQLite, seeded with one account
whose token is `mock_token`. The Bluesky PDS (`@atproto/dev-env`, needs Node 22 from the npm
package `node`) and `telegram-test-api` (npm) are started by scripts under tests/publish/js/.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import httpx

REPO = Path(__file__).resolve().parents[2]
NODE_MODULES = REPO / "node_modules"


def free_port() -> int:
    """Return a port the OS says is free on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 60.0) -> None:
    """Poll url until it answers (any HTTP status); fail early if the process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before answering {url}")
        try:
            httpx.get(url, timeout=1.0)
            return
        except httpx.TransportError:
            time.sleep(0.1)   # readiness polling of a subprocess, not test synchronisation
    raise RuntimeError(f"server did not answer {url} within {timeout:.0f}s")


def stop(process: subprocess.Popen) -> None:
    """Stop a server started here (its whole process group) and reap it."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextmanager
def mastodon_server(tmp: Path) -> Iterator[str]:
    """Run mastodon_mock on a free port; yield its base URL (token: mock_token)."""
    port = free_port()
    exe = Path(sys.executable).with_name("mastodon_mock")
    log = open(tmp / "mastodon.log", "wb")
    process = subprocess.Popen([str(exe), "serve", "--host", "127.0.0.1", "--port", str(port), "--in-memory",
                                "--log-level", "warning"], cwd=tmp, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/api/v1/instance", process)
        yield base
    finally:
        stop(process)
        log.close()
