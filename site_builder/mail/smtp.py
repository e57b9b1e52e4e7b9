"""SMTP (the only module that imports smtplib): a session opened with TLS or STARTTLS and AUTH, reused
for many messages, pipelined (RFC 2920) when the relay offers it, reopened when the relay closes it."""

from __future__ import annotations

import smtplib
from collections.abc import Sequence

from .replies import AMBIGUOUS, DEFER, RETRY, SENT, Reply, classify
from .settings import SmtpSettings


def dot_stuff(data: bytes) -> bytes:
    """Return data with a dot added before every line that starts with one (RFC 5321 4.5.2).

    The composer writes no line-initial dots (=2E) and says so (Outgoing.dot_safe), so its messages
    skip this; for any other message, bytes.replace rather than a multiline regex."""
    if data.startswith(b"."):
        data = b"." + data
    return data.replace(b"\n.", b"\n..")


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


class ConnectError(Exception):
    """The relay could not be reached or refused us (greeting, STARTTLS, AUTH)."""

    def __init__(self, message: str, code: int | None = None):
        self.code = code
        super().__init__(message)


def open_session(settings: SmtpSettings) -> smtplib.SMTP:
    """Connect, EHLO, STARTTLS (and EHLO again) when asked, AUTH when a user is set; return the session.

    Raises ConnectError naming the relay (never the password)."""
    s = settings
    try:
        context = s.ssl_context() if (s.implicit_tls or s.starttls) else None
        if s.implicit_tls:
            conn: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, local_hostname=s.helo,
                                                  context=context)
        else:
            conn = smtplib.SMTP(s.host, s.port, timeout=s.timeout, local_hostname=s.helo)
        try:
            conn.ehlo()
            if s.starttls:
                conn.starttls(context=context)
                conn.ehlo()
            if s.username:
                conn.login(s.username, s.password or "")
        except BaseException:
            conn.close()
            raise
    except smtplib.SMTPResponseException as exc:
        raise ConnectError(f"{s.host}:{s.port}에 연결하기: {exc.smtp_code} {_text(exc.smtp_error)}",
                           exc.smtp_code) from None
    except (OSError, smtplib.SMTPException) as exc:
        raise ConnectError(f"{s.host}:{s.port}에 연결하기: {exc}") from None
    return conn


_OK_MAIL, _OK_RCPT, _OK_DATA = (250,), (250, 251), (354,)


class SmtpConnection:
    """One SMTP session reused for many messages; reopened when the server closes it. Not thread-safe:
    each sender thread holds its own."""

    def __init__(self, settings: SmtpSettings):
        self.settings = settings
        self._conn: smtplib.SMTP | None = None
        self.pipelining = False
        self.opened = 0          # how many sessions this connection has opened (EHLOs)

    @property
    def is_open(self) -> bool:
        """True while a session is open (the next send reuses it)."""
        return self._conn is not None

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except OSError:
                pass

    def send(self, envelope_from: str, recipient: str | Sequence[str], data: bytes, *, message_id: str = "",
             dot_safe: bool = False) -> Reply:
        """Run one MAIL/RCPT/DATA transaction; never raises for server answers or lost connections.

        data is the message with CRLF line ends. A refused recipient refuses the message (none is sent).
        dot_safe: the caller guarantees no line of data starts with '.', so the 64 KB scan for
        dot-stuffing (about a tenth of a millisecond) is skipped."""
        rcpts = [recipient] if isinstance(recipient, str) else list(recipient)
        try:
            if self._conn is None:
                self._conn = open_session(self.settings)
                self.opened += 1
                self.pipelining = self._conn.has_extn("pipelining") and self.settings.pipelining
        except ConnectError as exc:
            return Reply(RETRY, exc.code, str(exc))
        conn = self._conn
        data_sent = False
        try:
            expected = [_OK_MAIL, *([_OK_RCPT] * len(rcpts)), _OK_DATA]
            if self.pipelining:
                # RFC 2920: MAIL, RCPT and DATA in one write, their replies read back
                conn.send((f"MAIL FROM:<{envelope_from}>\r\n" + "".join(f"RCPT TO:<{r}>\r\n" for r in rcpts)
                           + "DATA\r\n").encode("ascii"))
                replies = [conn.getreply() for _ in expected]
                bad = next((r for r, ok in zip(replies, expected) if r[0] not in ok), None)
                if bad is not None:
                    if replies[-1][0] == 354:   # MAIL or RCPT refused but DATA accepted: end the empty message
                        conn.send(b".\r\n")
                        conn.getreply()
                    return self._refused(*bad)
            else:
                commands = [lambda: conn.mail(envelope_from), *(lambda r=r: conn.rcpt(r) for r in rcpts),
                            lambda: conn.docmd("DATA")]
                for command, ok in zip(commands, expected):
                    code, resp = command()
                    if code not in ok:
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


__all__ = ["ConnectError", "SmtpConnection", "SmtpTransport", "dot_stuff", "open_session"]
