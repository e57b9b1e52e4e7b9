"""Who runs a ledger's work: the name a run writes into the rows it claims, and whether it still lives.

Shared by the delivery ledger and the publish ledger, which both take over the rows of a run that died."""

from __future__ import annotations

import os
import socket


def runner_name() -> str:
    """Return host:pid, the name a run writes into the rows it claims."""
    return f"{socket.gethostname()}:{os.getpid()}"


def pid_alive(pid: int) -> bool:
    """Is a process with this pid running on this host (a zombie or another user's process counts)?"""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True

