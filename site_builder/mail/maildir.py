"""The Maildir outbox: the embedded default when no SMTP relay is configured. Each message lands as
one file in new/ (written in tmp/, then renamed), named after its Message-ID, so a crash leaves no doubt
whether it went; any mail client can open the folder."""

from __future__ import annotations

import email
import email.policy
import os
import socket
import time
from email.message import EmailMessage
from pathlib import Path

from .replies import SENT, Reply


def _token_of(message_id: str) -> str:
    return message_id.strip("<>").split("@", 1)[0]


class MaildirConnection:
    """Writes messages into the outbox; the same interface as an SmtpConnection."""

    def __init__(self, outbox: "MaildirOutbox"):
        self.outbox = outbox
        self.opened = 1
        self.is_open = True

    def send(self, envelope_from: str, recipient, data: bytes, *, message_id: str = "",
             dot_safe: bool = False) -> Reply:
        """Store data (CRLF line ends) as one file in new/; return a `sent` Reply naming the file."""
        box = self.outbox.path
        token = _token_of(message_id) if message_id else f"{time.time_ns()}"
        name = f"{time.time_ns()}.{token}.{socket.gethostname()}"
        tmp = box / "tmp" / name
        # Maildir files use the local line ending; Return-Path records the envelope sender
        content = b"Return-Path: <" + envelope_from.encode() + b">\n" + data.replace(b"\r\n", b"\n")
        with open(tmp, "wb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, box / "new" / name)
        return Reply(SENT, 250, f"저장함 {name}")

    def close(self) -> None:
        pass


class MaildirOutbox:
    """A Maildir at path (tmp/, new/, cur/ made if missing)."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        for sub in ("tmp", "new", "cur"):
            (self.path / sub).mkdir(parents=True, exist_ok=True)

    def __repr__(self) -> str:
        return f"MaildirOutbox({self.path})"

    def describe(self) -> str:
        return f"Maildir 보관함(outbox) {self.path} (SITE_BUILDER_SMTP_URL 없음)"

    def connect(self) -> MaildirConnection:
        return MaildirConnection(self)

    def delivered(self, message_id: str) -> bool:
        """Return True if the outbox holds the message (so a crash left no doubt)."""
        token = "." + _token_of(message_id) + "."
        for sub in ("new", "cur"):
            with os.scandir(self.path / sub) as entries:
                if any(token in e.name for e in entries):
                    return True
        return False

    def messages(self) -> list[EmailMessage]:
        """Return every stored message, parsed, in the order they were stored (for tests and the operator)."""
        files = sorted((p for sub in ("new", "cur") for p in (self.path / sub).iterdir()), key=lambda p: p.name)
        return [email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in files]


__all__ = ["MaildirConnection", "MaildirOutbox"]
