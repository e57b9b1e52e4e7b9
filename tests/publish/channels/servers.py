"""Real local servers for the channel tests: each started as a subprocess on a free loopback port.

`mastodon_mock` (PyPI) serves the Mastodon REST API from in-memory SQLite, seeded with one account
whose token is `mock_token`. The Bluesky PDS (`@atproto/dev-env`, needs Node 22 from the npm
package `node`) and `telegram-test-api` (npm) are started by scripts under tests/publish/channels/js/.
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

REPO = Path(__file__).resolve().parents[3]
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


def node_binary() -> Path | None:
    """Return node_modules' Node 22 (npm package `node`), None if it is not installed."""
    node = NODE_MODULES / ".bin" / "node"
    if not node.exists():
        return None
    try:
        version = subprocess.run([str(node), "--version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    return node if version.startswith("v22.") else None


@contextmanager
def node_server(script: str, args: list[str], tmp: Path, timeout: float = 180.0) -> Iterator[dict]:
    """Run tests/publish/channels/js/<script> with Node 22; yield the JSON line it prints once ready.

    Its stdin is a pipe held open by this process, so the server also stops if pytest dies.
    """
    node = node_binary()
    if node is None:
        raise RuntimeError("Node 22 is missing from node_modules: run `make node_modules/.installed`")
    log = open(tmp / f"{script}.log", "wb")
    process = subprocess.Popen([str(node), str(Path(__file__).parent / "js" / script), *args], cwd=REPO,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, start_new_session=True)
    try:
        line = _read_line(process, timeout)
        if not line:
            process.wait(timeout=10)
            log.flush()
            raise RuntimeError(f"{script} exited {process.returncode}: {(tmp / f'{script}.log').read_text()[-2000:]}")
        yield json.loads(line)
    finally:
        stop(process)
        log.close()


def _read_line(process: subprocess.Popen, timeout: float) -> bytes:
    """Return the first stdout line of process, waiting at most timeout seconds."""
    import selectors

    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    if not selector.select(timeout):
        raise RuntimeError(f"server printed nothing within {timeout:.0f}s")
    return process.stdout.readline()
