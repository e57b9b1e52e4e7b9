"""The one transport over a real SMTP server on loopback: what arrives, connection reuse, STARTTLS
with AUTH, refusals; the same Mailer writing to the Maildir outbox."""

from __future__ import annotations

import socket

import pytest

from site_builder.mail import (
    BOUNCE,
    RETRY,
    SENT,
    Mailer,
    MailError,
    MaildirOutbox,
    SmtpSettings,
    SmtpTransport,
    mailer_from_env,
    transport_from_env,
)
from site_builder.mail.transport import wire_bytes

from .conftest import PASSWORD, USER, free_port, korean_message


def smtp_mailer(port: int, **settings) -> Mailer:
    return Mailer(SmtpTransport(SmtpSettings("127.0.0.1", port, timeout=10, **settings)))


def test_a_message_arrives_byte_for_byte_with_its_envelope(relay):
    message = korean_message("one@example.com")
    mailer = smtp_mailer(relay.port)
    result = mailer.send(message)
    mailer.close()
    [(_session, mail_from, rcpts, data)] = relay.received
    assert data == message.as_bytes()           # CRLF lines; the line starting with '.' unstuffed again
    assert (mail_from, rcpts) == ("news@yours.example.org", ["one@example.com"])
    assert result.reply == "250 2.0.0 OK queued as Q123"
    assert result.message_id == message["Message-ID"]


def test_bcc_is_an_envelope_recipient_but_not_in_the_message(relay):
    message = korean_message("one@example.com")
    message["Bcc"] = "audit@example.com"
    with_bcc = message.as_bytes()   # fixes the MIME boundary
    mailer = smtp_mailer(relay.port, pipelining=False)
    mailer.send(message)
    mailer.close()
    [(_session, _from, rcpts, data)] = relay.received
    assert rcpts == ["one@example.com", "audit@example.com"]
    assert data == with_bcc.replace(b"Bcc: audit@example.com\r\n", b"") and b"audit@" not in data


@pytest.mark.parametrize("pipelining", [True, False])
def test_one_session_carries_many_messages_and_is_reopened_after_the_server_drops_it(relay, pipelining):
    mailer = smtp_mailer(relay.port, pipelining=pipelining)
    mailer.send(korean_message("one@example.com"))
    mailer.send(korean_message("two@example.com"))
    mailer._conn._conn.sock.shutdown(socket.SHUT_RDWR)   # as if the relay had closed the idle session
    mailer.send(korean_message("three@example.com"))
    mailer.close()
    sessions = [session for session, *_ in relay.received]
    assert [rcpts for _s, _f, rcpts, _d in relay.received] == [["one@example.com"], ["two@example.com"],
                                                               ["three@example.com"]]
    assert sessions[0] == sessions[1] != sessions[2]
    assert mailer.transport.connect().opened == 0   # a new connection opens nothing until it sends


def test_starttls_and_auth_with_the_relays_certificate(tls_relay):
    url = f"smtp://{USER}:{PASSWORD}@127.0.0.1:{tls_relay.port}?starttls=1&cafile={tls_relay.ca_file}"
    mailer = Mailer(SmtpTransport(SmtpSettings.from_url(url)))
    mailer.send(korean_message("one@example.com"))
    mailer.send(korean_message("two@example.com"))
    mailer.close()
    assert tls_relay.logins == [(USER.encode(), PASSWORD.encode())]   # one login, one session
    assert [rcpts for _s, _f, rcpts, _d in tls_relay.received] == [["one@example.com"], ["two@example.com"]]
    assert PASSWORD not in repr(mailer)


def test_a_wrong_password_is_a_connect_error_that_names_the_relay_not_the_password(tls_relay):
    settings = SmtpSettings("127.0.0.1", tls_relay.port, USER, "wrong-pass", starttls=True, timeout=10,
                            ca_file=tls_relay.ca_file)
    conn = SmtpTransport(settings).connect()
    reply = conn.send("news@yours.example.org", "one@example.com", b"Subject: x\r\n\r\nx\r\n")
    assert reply.kind == RETRY and reply.code == 535
    assert f"127.0.0.1:{tls_relay.port}" in reply.text and "wrong-pass" not in reply.text
    assert tls_relay.received == []


def test_an_untrusted_certificate_is_refused(tls_relay):
    conn = SmtpTransport(SmtpSettings("127.0.0.1", tls_relay.port, USER, PASSWORD, starttls=True,
                                      timeout=10)).connect()
    reply = conn.send("news@yours.example.org", "one@example.com", b"Subject: x\r\n\r\nx\r\n")
    assert reply.kind == RETRY and "CERTIFICATE_VERIFY_FAILED" in reply.text
    assert tls_relay.logins == [] and tls_relay.received == []


@pytest.mark.parametrize("pipelining", [True, False])
def test_a_refused_recipient_is_reported_as_such_and_the_session_goes_on(relay, pipelining):
    relay.refuse["nobody@example.com"] = "550 5.1.1 no such user"
    conn = SmtpTransport(SmtpSettings("127.0.0.1", relay.port, timeout=10, pipelining=pipelining)).connect()
    data = wire_bytes(korean_message("nobody@example.com"))
    refused = conn.send("news@yours.example.org", "nobody@example.com", data)
    sent = conn.send("news@yours.example.org", "one@example.com", data)
    conn.close()
    assert (refused.kind, refused.code, refused.text) == (BOUNCE, 550, "5.1.1 no such user")
    assert sent.kind == SENT and conn.opened == 1
    assert [rcpts for _s, _f, rcpts, _d in relay.received] == [["one@example.com"]]


def test_the_mailer_raises_a_permanent_mail_error_naming_the_refused_address(relay):
    relay.refuse["nobody@example.com"] = "550 5.1.1 no such user"
    mailer = smtp_mailer(relay.port)
    with pytest.raises(MailError) as info:
        mailer.send(korean_message("nobody@example.com"))
    mailer.close()
    assert info.value.code == 550 and info.value.permanent
    assert "nobody@example.com" in str(info.value) and "5.1.1 no such user" in str(info.value)


def test_an_unreachable_relay_is_a_temporary_mail_error():
    closed = smtp_mailer(free_port())   # bound and released: nothing listens there
    with pytest.raises(MailError) as info:
        closed.send(korean_message())
    assert info.value.code is None and not info.value.permanent
    assert "에 연결하기" in str(info.value)


def test_the_maildir_outbox_stores_each_message_as_one_file_in_new(tmp_path):
    mailer = mailer_from_env(tmp_path, env={})
    message = korean_message("one@example.com")
    result = mailer.send(message)
    [path] = (tmp_path / "outbox" / "new").iterdir()
    assert list((tmp_path / "outbox" / "tmp").iterdir()) == []
    assert path.read_bytes() == b"Return-Path: <news@yours.example.org>\n" + message.as_bytes().replace(b"\r\n", b"\n")
    assert result.reply == f"250 저장함 {path.name}"
    outbox = mailer.transport
    assert isinstance(outbox, MaildirOutbox) and outbox.delivered(message["Message-ID"])
    assert not outbox.delivered("<someone-else@yours.example.org>")
    [back] = outbox.messages()
    assert back["Subject"] == "청년자치정부 준비 소식 제12호: 예산 이야기"


def test_the_transport_is_the_relay_when_the_environment_names_one(tmp_path):
    relay = transport_from_env(tmp_path, env={"SITE_BUILDER_SMTP_URL": "smtps://mail.example.org"})
    assert isinstance(relay, SmtpTransport) and relay.describe() == "SMTP mail.example.org:465 (TLS)"
    outbox = transport_from_env(tmp_path, env={"SITE_BUILDER_SMTP_URL": "  "}, outbox="letters")
    assert isinstance(outbox, MaildirOutbox) and outbox.path == tmp_path / "letters"
    assert (tmp_path / "letters" / "new").is_dir()
