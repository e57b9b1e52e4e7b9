"""Transports: SMTP (smtplib, one reused connection) or a Maildir outbox for development."""

from __future__ import annotations

import mailbox
import os
import smtplib
import ssl
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import getaddresses
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit


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


class Mailer(Protocol):
    """Anything that can send an EmailMessage."""

    def send(
        self, message: EmailMessage, *, envelope_from: str | None = None, recipients: list[str] | None = None
    ) -> SendResult: ...

    def close(self) -> None: ...


def _recipients(message: EmailMessage) -> list[str]:
    fields = message.get_all("To", []) + message.get_all("Cc", []) + message.get_all("Bcc", [])
    return [addr for _name, addr in getaddresses([str(f) for f in fields]) if addr]


def _envelope_from(message: EmailMessage) -> str:
    addrs = getaddresses([str(message.get("Sender") or message.get("From") or "")])
    return addrs[0][1] if addrs else ""


def _wire_bytes(message: EmailMessage) -> bytes:
    # Bcc never travels in the message itself.
    if message.get("Bcc") is not None:
        message = _copy_without(message, "Bcc")
    return message.as_bytes()


def _copy_without(message: EmailMessage, header: str) -> EmailMessage:
    import copy

    clone = copy.copy(message)
    del clone[header]
    return clone


@dataclass(frozen=True)
class SmtpSettings:
    """How to reach the relay: host, port, TLS mode and login. The password never appears in repr()."""

    host: str
    port: int = 25
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    implicit_tls: bool = False
    timeout: float = 30.0
    helo: str | None = None
    ca_file: str | None = None
    pipelining: bool = True

    def __repr__(self) -> str:
        scheme = "smtps" if self.implicit_tls else "smtp"
        user = f"{self.username}:***@" if self.username else ""
        return f"SmtpSettings({scheme}://{user}{self.host}:{self.port}, starttls={self.starttls})"

    @classmethod
    def from_url(cls, url: str) -> "SmtpSettings":
        """Read smtp://[user:pass@]host[:port][?starttls=1&timeout=30&helo=name&cafile=path] or smtps://host[:465]
        (SITE_BUILDER_SMTP_URL)."""
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps"):
            raise ValueError(f"SITE_BUILDER_SMTP_URL: {parts.scheme!r}은(는) 쓸 수 없습니다 — smtp:// 나 smtps:// 로 쓰세요")
        if not parts.hostname:
            raise ValueError("SITE_BUILDER_SMTP_URL: 호스트가 없습니다 — smtp://호스트:포트 로 쓰세요")
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        implicit = parts.scheme == "smtps"
        return cls(
            host=parts.hostname, port=parts.port or (465 if implicit else 25),
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            starttls=query.get("starttls", "").lower() in ("1", "true", "yes", "on") and not implicit,
            implicit_tls=implicit, timeout=float(query.get("timeout", 30)),
            helo=query.get("helo") or None, ca_file=query.get("cafile") or None,
            pipelining=query.get("pipelining", "1").lower() not in ("0", "false", "no", "off"),
        )

    def ssl_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.ca_file)

    def open(self, context: ssl.SSLContext | None = None) -> smtplib.SMTP:
        """Connect, EHLO, STARTTLS (and EHLO again) when asked, AUTH when a user is set; return the session.
        Raises smtplib.SMTPException or OSError: each client turns them into its own error."""
        context = context or self.ssl_context()
        if self.implicit_tls:
            conn: smtplib.SMTP = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                                  local_hostname=self.helo, context=context)
        else:
            conn = smtplib.SMTP(self.host, self.port, timeout=self.timeout, local_hostname=self.helo)
        conn.ehlo()
        if self.starttls:
            conn.starttls(context=context)
            conn.ehlo()
        if self.username:
            conn.login(self.username, self.password or "")
        return conn



class SmtpMailer:
    """SMTP over one connection reused across messages (RSET between them), reconnecting once if dropped.

    Thread-safe: sends are serialised. Passwords never appear in repr() or errors.
    """

    def __init__(
        self,
        host: str,
        port: int = 25,
        *,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = False,
        implicit_tls: bool = False,
        timeout: float = 30.0,
        local_hostname: str | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ):
        self.host = host
        self.port = port
        self.username = username
        self._password = password
        self.starttls = starttls
        self.implicit_tls = implicit_tls
        self.timeout = timeout
        self.local_hostname = local_hostname
        self.ssl_context = ssl_context
        self._conn: smtplib.SMTP | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        scheme = "smtps" if self.implicit_tls else "smtp"
        user = f"{self.username}:***@" if self.username else ""
        return f"SmtpMailer({scheme}://{user}{self.host}:{self.port}, starttls={self.starttls})"

    def _connect(self) -> smtplib.SMTP:
        settings = SmtpSettings(self.host, self.port, self.username, self._password, self.starttls, self.implicit_tls,
                                self.timeout, self.local_hostname)
        try:
            conn = settings.open(self.ssl_context)
        except smtplib.SMTPResponseException as exc:
            raise MailError(
                f"{self.host}:{self.port}에 연결하기: {exc.smtp_code} {_text(exc.smtp_error)}",
                exc.smtp_code, permanent=500 <= exc.smtp_code < 600,
            ) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise MailError(f"{self.host}:{self.port}에 연결하기: {exc}") from None
        return conn

    def send(
        self, message: EmailMessage, *, envelope_from: str | None = None, recipients: list[str] | None = None
    ) -> SendResult:
        """Send one message and return the server's reply; raise MailError on refusal."""
        rcpts = recipients or _recipients(message)
        sender = envelope_from if envelope_from is not None else _envelope_from(message)
        data = _wire_bytes(message)
        with self._lock:
            for attempt in (1, 2):
                if self._conn is None:
                    self._conn = self._connect()
                else:
                    try:
                        self._conn.rset()
                    except (smtplib.SMTPException, OSError):
                        self._drop()
                        self._conn = self._connect()
                try:
                    reply = self._transaction(self._conn, sender, rcpts, data)
                    return SendResult(str(message.get("Message-ID", "")), reply)
                except smtplib.SMTPServerDisconnected:
                    self._drop()
                    if attempt == 2:
                        raise MailError(f"{message.get('Message-ID')} 보내기: 서버가 연결을 끊었습니다") from None
                except smtplib.SMTPRecipientsRefused as exc:
                    addr, (code, text) = next(iter(exc.recipients.items()))
                    raise MailError(
                        f"{message.get('Message-ID')}을(를) {addr}에 보내기: {code} {_text(text)}", code,
                        permanent=500 <= code < 600,
                    ) from None
                except smtplib.SMTPResponseException as exc:
                    if exc.smtp_code == 421:
                        self._drop()
                    raise MailError(
                        f"{message.get('Message-ID')} 보내기: {exc.smtp_code} {_text(exc.smtp_error)}",
                        exc.smtp_code, permanent=500 <= exc.smtp_code < 600,
                    ) from None
                except OSError as exc:
                    self._drop()
                    if attempt == 2:
                        raise MailError(f"{message.get('Message-ID')} 보내기: {exc}") from None
        raise AssertionError("unreachable")

    @staticmethod
    def _transaction(conn: smtplib.SMTP, sender: str, rcpts: list[str], data: bytes) -> str:
        # MAIL, RCPT, DATA by hand so the final reply (with the relay's queue id) is kept.
        code, resp = conn.mail(sender)
        if code != 250:
            conn.rset()
            raise smtplib.SMTPSenderRefused(code, resp, sender)
        refused = {}
        for rcpt in rcpts:
            rcode, rresp = conn.rcpt(rcpt)
            if rcode not in (250, 251):
                refused[rcpt] = (rcode, rresp)
        if refused:
            conn.rset()
            raise smtplib.SMTPRecipientsRefused(refused)
        code, resp = conn.data(data)
        if code != 250:
            conn.rset()
            raise smtplib.SMTPDataError(code, resp)
        return f"{code} {_text(resp)}"

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except OSError:
                pass

    def close(self) -> None:
        """QUIT and close the connection if one is open."""
        with self._lock:
            if self._conn is not None:
                try:
                    self._conn.quit()
                except (smtplib.SMTPException, OSError):
                    pass
                self._drop()


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


class MaildirMailer:
    """Writes each message into a Maildir (Python's mailbox.Maildir) instead of sending it."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._box = mailbox.Maildir(str(self.path), create=True)
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"MaildirMailer({self.path})"

    def send(
        self, message: EmailMessage, *, envelope_from: str | None = None, recipients: list[str] | None = None
    ) -> SendResult:
        """Store the message in the outbox and return its key as the reply."""
        with self._lock:
            key = self._box.add(mailbox.MaildirMessage(_wire_bytes(message)))
        return SendResult(str(message.get("Message-ID", "")), f"stored {key}")

    def messages(self) -> list[EmailMessage]:
        """Return every stored message, parsed (for tests and the operator)."""
        import email
        import email.policy

        out = []
        for key in sorted(self._box.keys()):
            with self._box.get_file(key) as fh:
                out.append(email.message_from_binary_file(fh, policy=email.policy.default))
        return out

    def close(self) -> None:
        """Nothing to close."""


def mailer_from_url(url: str) -> SmtpMailer:
    """Return an SmtpMailer for SITE_BUILDER_SMTP_URL (see SmtpSettings.from_url)."""
    s = SmtpSettings.from_url(url)
    return SmtpMailer(s.host, s.port, username=s.username, password=s.password, starttls=s.starttls,
                      implicit_tls=s.implicit_tls, timeout=s.timeout, local_hostname=s.helo,
                      ssl_context=s.ssl_context() if s.ca_file else None)


def mailer_from_env(root: Path | str = ".", env: dict[str, str] | None = None) -> Mailer:
    """Return the SMTP mailer named by SITE_BUILDER_SMTP_URL, else a Maildir outbox at <root>/outbox."""
    env = os.environ if env is None else env
    url = (env.get("SITE_BUILDER_SMTP_URL") or "").strip()
    if url:
        return mailer_from_url(url)
    return MaildirMailer(Path(root) / "outbox")
