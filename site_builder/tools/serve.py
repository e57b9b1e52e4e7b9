"""Start `site-builder serve` in a process of its own, for tests and benchmarks (the servers themselves
are in site_builder.build.server)."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator


@dataclass
class RunningPreview:
    """A `site-builder serve` process started by running_preview(): its URL and what it printed so far."""

    url: str
    process: subprocess.Popen
    out: list[str] = field(default_factory=list)
    err: list[str] = field(default_factory=list)


@contextlib.contextmanager
def running_preview(root: Path, *, env: dict[str, str] | None = None) -> Iterator[RunningPreview]:
    """Start `site-builder serve` on a free loopback port for the project at root (tests, benchmarks);
    always stop it. Its terminal output is collected line by line."""
    command = [sys.executable, "-m", "site_builder", "--root", str(root), "serve", "--dev-addr", "127.0.0.1:0"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})})
    try:
        first = process.stdout.readline()   # printed before the first build
        found = re.search(r"http://\S+/", first)
        if not found:
            raise RuntimeError(f"site-builder serve did not start: {first}{process.stderr.read()}")
        running = RunningPreview(found.group(0), process, [first.rstrip("\n")])
        for stream, lines in ((process.stdout, running.out), (process.stderr, running.err)):
            threading.Thread(target=lambda s=stream, l=lines: [l.append(x.rstrip("\n")) for x in s],
                             daemon=True).start()
        yield running
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
