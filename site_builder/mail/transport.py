"""Where mail goes, for transactional mail and bulk delivery alike: the relay SITE_BUILDER_SMTP_URL
names (SmtpTransport), else a Maildir outbox. A transport opens connections that send raw messages
and answer with a classified Reply; a Mailer sends EmailMessages over one reused connection."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import getaddresses
from pathlib import Path
from typing import Protocol

from .maildir import MaildirOutbox
from .replies import RETRY, SENT, Reply
from .settings import SmtpSettings, smtp_settings_from_env
from .smtp import SmtpTransport


class Connection(Protocol):
    """One session with the relay (or the outbox)."""

    opened: int          # sessions opened so far
    is_open: bool        # a session is open: the next send reuses it

    def send(self, envelope_from: str, recipient, data: bytes, *, message_id: str = "",
             dot_safe: bool = False) -> Reply: ...

    def close(self) -> None: ...


class Transport(Protocol):
    """An SmtpTransport or a MaildirOutbox."""

    def describe(self) -> str: ...

    def connect(self) -> Connection: ...

    def delivered(self, message_id: str) -> bool: ...


class MailError(Exception):
    """Sending failed. `code` is the SMTP reply code (None for connection errors)."""

    def __init__(self, message: str, code: int | None = None, *, permanent: bool = False):
        self.code = code
        self.permanent = permanent
        super().__init__(message)


@dataclass(frozen=True)
class SendResult:
    """What the transport reported for one message."""

    message_id: str
    reply: str


def _recipients(message: EmailMessage) -> list[str]:
    fields = message.get_all("To", []) + message.get_all("Cc", []) + message.get_all("Bcc", [])
    return [addr for _name, addr in getaddresses([str(f) for f in fields]) if addr]


def _envelope_from(message: EmailMessage) -> str:
    addrs = getaddresses([str(message.get("Sender") or message.get("From") or "")])
    return addrs[0][1] if addrs else ""


_LINE_END = re.compile(rb"\r\n|\r|\n")


def wire_bytes(message: EmailMessage) -> bytes:
    """Return the message as it travels: CRLF line ends, without Bcc."""
    if message.get("Bcc") is not None:
        import copy

        message = copy.copy(message)
        del message["Bcc"]
    return _LINE_END.sub(b"\r\n", message.as_bytes())


class Mailer:
    """Sends EmailMessages over one connection of a transport, reused across messages and reopened once
    when the relay had closed it. Thread-safe: sends are serialised. Passwords never appear in repr()."""

    def __init__(self, transport: Transport):
        self.transport = transport
        self._conn: Connection | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Mailer({self.transport!r})"

    def send(
        self, message: EmailMessage, *, envelope_from: str | None = None, recipients: list[str] | None = None
    ) -> SendResult:
        """Send one message and return the server's reply; raise MailError on refusal."""
        rcpts = recipients or _recipients(message)
        sender = envelope_from if envelope_from is not None else _envelope_from(message)
        message_id = str(message.get("Message-ID", ""))
        data = wire_bytes(message)
        with self._lock:
            if self._conn is None:
                self._conn = self.transport.connect()
            reused = self._conn.is_open
            reply = self._conn.send(sender, rcpts, data, message_id=message_id)
            if reply.kind == RETRY and reused:   # the relay closed the idle session: open a new one
                reply = self._conn.send(sender, rcpts, data, message_id=message_id)
        if reply.kind != SENT:
            raise MailError(f"{message_id}을(를) {', '.join(rcpts)}에 보내기: {reply}", reply.code,
                            permanent=reply.permanent)
        return SendResult(message_id, str(reply))

    def close(self) -> None:
        """QUIT and close the connection if one is open."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def transport_from_env(root: Path | str = ".", env: dict[str, str] | None = None,
                       outbox: str = "outbox") -> Transport:
    """Return an SmtpTransport for SITE_BUILDER_SMTP_URL, else a MaildirOutbox at <root>/<outbox>.

    Raises ValueError when SITE_BUILDER_SMTP_URL is set but unusable."""
    settings = smtp_settings_from_env(env)
    if settings is not None:
        return SmtpTransport(settings)
    return MaildirOutbox(Path(root) / outbox)


def mailer_from_env(root: Path | str = ".", env: dict[str, str] | None = None) -> Mailer:
    """Return a Mailer on transport_from_env(root, env): the relay, else the Maildir outbox <root>/outbox."""
    return Mailer(transport_from_env(root, env))


__all__ = ["Connection", "MailError", "Mailer", "SendResult", "SmtpSettings", "Transport", "mailer_from_env",
           "transport_from_env", "wire_bytes"]
