"""Where messages go: SMTP connections (one per sender thread, reused) or a Maildir outbox.

Each send returns a Reply classified from the server's code and enhanced status (RFC 3463), and
tells whether the message reached the server's end-of-data: a connection lost *after* the data
was sent is ambiguous (the server may have queued it), one lost before is safe to retry.
"""

from __future__ import annotations

import os
import re
import smtplib
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ..mail.transport import SmtpSettings

SENT, DEFER, BOUNCE, FAIL, POLICY, AMBIGUOUS, RETRY = "sent", "defer", "bounce", "fail", "policy", "ambiguous", "retry"

_ENHANCED = re.compile(r"^\s*([245])\.(\d{1,3})\.(\d{1,3})\b")


def dot_stuff(data: bytes) -> bytes:
    """Return data with a dot added before every line that starts with one (RFC 5321 4.5.2).

    The composer writes no line-initial dots (=2E) and says so (Outgoing.dot_safe), so its messages
    skip this; for any other message, bytes.replace rather than a multiline regex."""
    if data.startswith(b"."):
        data = b"." + data
    return data.replace(b"\n.", b"\n..")


@dataclass(frozen=True)
class Reply:
    """A classified result of one SMTP transaction."""

    kind: str              # sent | defer | bounce | fail | policy | ambiguous | retry
    code: int | None
    text: str

    def __str__(self) -> str:
        return f"{self.code} {self.text}".strip() if self.code else self.text


def enhanced_status(text: str) -> str | None:
    """Return the RFC 3463 status at the start of an SMTP reply text ('5.1.1'), or None."""
    match = _ENHANCED.match(text or "")
    return ".".join(match.groups()) if match else None


def classify(code: int, text: str) -> str:
    """Return what a reply means for delivery: sent, defer (4xx), bounce (5.1.x, 5.2.1: suppress the address),
    policy (5.7.x: our fault, pause the issue) or fail (another 5xx)."""
    if 200 <= code < 300:
        return SENT
    if 400 <= code < 500:
        return DEFER
    status = enhanced_status(text) or ""
    if status.startswith("5.1.") or status == "5.2.1":
        return BOUNCE
    if status.startswith("5.7."):
        return POLICY
    return FAIL


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


class ConnectError(Exception):
    """The relay could not be reached or refused us (greeting, STARTTLS, AUTH)."""

    def __init__(self, message: str, code: int | None = None):
        self.code = code
        super().__init__(message)


class SmtpConnection:
    """One SMTP session reused for many messages; reopened when the server closes it."""

    def __init__(self, settings: SmtpSettings):
        self.settings = settings
        self._conn: smtplib.SMTP | None = None
        self.pipelining = False
        self.opened = 0          # how many sessions this connection has opened (EHLOs)

    def _open(self) -> smtplib.SMTP:
        s = self.settings
        try:
            conn = s.open()
        except smtplib.SMTPResponseException as exc:
            raise ConnectError(f"{s.host}:{s.port}에 연결하기: {exc.smtp_code} {_text(exc.smtp_error)}",
                               exc.smtp_code) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise ConnectError(f"{s.host}:{s.port}에 연결하기: {exc}") from None
        self.opened += 1
        return conn

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except OSError:
                pass

    def send(self, envelope_from: str, recipient: str, data: bytes, *, message_id: str = "",
             dot_safe: bool = False) -> Reply:
        """Run one MAIL/RCPT/DATA transaction; never raises for server answers or lost connections.

        dot_safe: the caller guarantees no line of data starts with '.', so the 64 KB scan for
        dot-stuffing (about a tenth of a millisecond) is skipped."""
        try:
            if self._conn is None:
                self._conn = self._open()
                self.pipelining = self._conn.has_extn("pipelining") and self.settings.pipelining
        except ConnectError as exc:
            return Reply(RETRY, exc.code, str(exc))
        conn = self._conn
        data_sent = False
        try:
            if self.pipelining:
                # RFC 2920: MAIL, RCPT and DATA in one write, three replies read back
                conn.send(f"MAIL FROM:<{envelope_from}>\r\nRCPT TO:<{recipient}>\r\nDATA\r\n".encode("ascii"))
                replies = [conn.getreply() for _ in range(3)]
                for (code, resp), ok in zip(replies, ((250,), (250, 251), (354,))):
                    if code not in ok:
                        if code == 354:   # MAIL or RCPT refused but DATA accepted: end the empty message
                            conn.send(b".\r\n")
                            conn.getreply()
                        bad = next((r for r, k in zip(replies, ((250,), (250, 251), (354,))) if r[0] not in k))
                        return self._refused(*bad)
            else:
                code, resp = conn.mail(envelope_from)
                if code != 250:
                    return self._refused(code, resp)
                code, resp = conn.rcpt(recipient)
                if code not in (250, 251):
                    return self._refused(code, resp)
                code, resp = conn.docmd("DATA")
                if code != 354:
                    return self._refused(code, resp)
            payload = data if dot_safe else dot_stuff(data)
            if not payload.endswith(b"\r\n"):
                payload += b"\r\n"
            data_sent = True
            conn.send(payload + b".\r\n")
            code, resp = conn.getreply()
            if code == 250:
                return Reply(SENT, code, _text(resp))
            return self._refused(code, resp)
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            self._drop()
            if data_sent:
                return Reply(AMBIGUOUS, None, f"메일 본문을 보낸 뒤 연결이 끊겼습니다 (전달 여부를 알 수 없음): {exc}")
            return Reply(RETRY, None, f"메일을 보내기 전에 연결이 끊겼습니다: {exc or '닫힘'}")

    def _refused(self, code: int, resp) -> Reply:
        text = _text(resp)
        if code == 421 or code < 0:
            self._drop()
            return Reply(RETRY if code < 0 else DEFER, code, text)
        try:
            self._conn.rset()
        except (smtplib.SMTPException, OSError):
            self._drop()
        return Reply(classify(code, text), code, text)

    def close(self) -> None:
        """QUIT and close."""
        if self._conn is not None:
            try:
                self._conn.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self._drop()


class SmtpTransport:
    """Opens SmtpConnections to one relay."""

    def __init__(self, settings: SmtpSettings):
        self.settings = settings

    def __repr__(self) -> str:
        return repr(self.settings)

    def describe(self) -> str:
        s = self.settings
        tls = " (TLS)" if s.implicit_tls else " (STARTTLS)" if s.starttls else ""
        return f"SMTP {s.host}:{s.port}{tls}"

    def connect(self) -> SmtpConnection:
        return SmtpConnection(self.settings)

    def delivered(self, message_id: str) -> bool:
        """An SMTP relay cannot be asked; rows left `sending` stay ambiguous."""
        return False


def _token_of(message_id: str) -> str:
    return message_id.strip("<>").split("@", 1)[0]


class MaildirConnection:
    """Writes messages into a Maildir (tmp/, then an atomic rename into new/), named after the Message-ID."""

    def __init__(self, outbox: "MaildirOutbox"):
        self.outbox = outbox
        self.opened = 1

    def send(self, envelope_from: str, recipient: str, data: bytes, *, message_id: str = "",
             dot_safe: bool = False) -> Reply:
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
    """The embedded default when no SMTP server is configured: a Maildir any mail client can open."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        for sub in ("tmp", "new", "cur"):
            (self.path / sub).mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()

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


def transport_from_env(root: Path | str, env: dict[str, str] | None = None, outbox: str = "outbox"):
    """Return an SmtpTransport for SITE_BUILDER_SMTP_URL, else a MaildirOutbox at <root>/<outbox>."""
    env = os.environ if env is None else env
    url = (env.get("SITE_BUILDER_SMTP_URL") or "").strip()
    if url:
        return SmtpTransport(SmtpSettings.from_url(url))
    return MaildirOutbox(Path(root) / outbox)


__all__ = ["AMBIGUOUS", "BOUNCE", "DEFER", "FAIL", "POLICY", "RETRY", "SENT", "ConnectError", "MaildirOutbox",
           "Reply", "SmtpConnection", "SmtpSettings", "SmtpTransport", "classify", "enhanced_status",
           "transport_from_env"]
