"""The mail transport: message format, address checks, SMTP over loopback, the Maildir fallback."""

from __future__ import annotations

import email
import email.policy
from email.header import decode_header, make_header

import pytest

from site_builder.mail import (
    AddressError,
    MaildirMailer,
    MailError,
    SmtpMailer,
    build_message,
    check_address,
    mailer_from_env,
)
from site_builder.mail.transport import mailer_from_url


def korean_message(to="reader@example.com", name="독자"):
    from site_builder.mail import format_address

    return build_message(sender=format_address("news@yours.example.org", "유어스 뉴스레터"),
                         to=format_address(to, name), subject="청년자치정부 준비 소식 제12호: 예산 이야기",
                         text="본문입니다.\n" + "가" * 2000, html="<p>본문입니다.</p>")


def test_message_uses_crlf_rfc2047_subject_and_text_before_html():
    raw = korean_message().as_bytes()
    head = raw.split(b"\r\n\r\n")[0].decode("ascii")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    subject = [line for line in head.split("\r\n") if line.startswith("Subject:")][0]
    words = [w for w in head.replace("\r\n ", " ").split() if w.startswith("=?")]
    assert all(len(w) <= 75 for w in words)
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert str(make_header(decode_header(parsed["Subject"]))) == "청년자치정부 준비 소식 제12호: 예산 이야기"
    assert subject.startswith("Subject: =?utf-8?")
    assert [p.get_content_type() for p in parsed.iter_parts()] == ["text/plain", "text/html"]
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998
    assert parsed["Date"].endswith("+0900")
    assert parsed["Message-ID"].endswith("@yours.example.org>")


def test_refuses_non_ascii_local_part_with_a_reason():
    with pytest.raises(AddressError) as info:
        check_address("홍길동@example.com")
    assert "SMTPUTF8" in info.value.reason


def test_idn_domains_become_a_labels():
    assert check_address("Kim@부산.한국") == "kim@" + "부산.한국".encode("idna").decode()


def test_header_values_with_line_breaks_are_refused():
    from site_builder.mail import format_address

    with pytest.raises(AddressError):
        format_address("a@example.com", "Kim\r\nBcc: b@example.com")
    with pytest.raises(AddressError):
        build_message(sender="a@example.com", to="b@example.com", subject="hi\r\nBcc: c@example.com", text="x")


def test_smtp_mailer_reuses_one_connection_and_reconnects_after_the_server_drops_it(inbox):
    mailer = SmtpMailer("127.0.0.1", inbox.port, timeout=10)
    first = mailer.send(korean_message("one@example.com"))
    conn = mailer._conn
    mailer.send(korean_message("two@example.com"))
    assert mailer._conn is conn
    conn.sock.close()   # as if the server had closed the connection
    mailer.send(korean_message("three@example.com"))
    mailer.close()
    assert [e.rcpt_tos for e in inbox.envelopes] == [["one@example.com"], ["two@example.com"], ["three@example.com"]]
    assert first.reply.startswith("250")
    assert inbox.envelopes[0].mail_from == "news@yours.example.org"


def test_smtp_refusal_becomes_a_mail_error_with_the_code(inbox):
    async def refuse(server, session, envelope, address, rcpt_options):
        return "550 5.1.1 no such user"

    inbox.handle_RCPT = refuse
    mailer = SmtpMailer("127.0.0.1", inbox.port, timeout=10)
    with pytest.raises(MailError) as info:
        mailer.send(korean_message("nobody@example.com"))
    assert info.value.code == 550 and info.value.permanent
    assert "nobody@example.com" in str(info.value)


def test_mailer_from_env_falls_back_to_a_maildir_outbox(tmp_path):
    mailer = mailer_from_env(tmp_path, env={})
    assert isinstance(mailer, MaildirMailer)
    mailer.send(korean_message())
    assert (tmp_path / "outbox" / "new").is_dir()
    [msg] = mailer.messages()
    assert msg["Subject"] == "청년자치정부 준비 소식 제12호: 예산 이야기"


def test_smtp_urls_are_parsed_and_the_password_is_never_shown():
    m = mailer_from_url("smtp://user%40x:p%40ss@mail.example.org:587?starttls=1")
    assert (m.host, m.port, m.username, m._password, m.starttls) == ("mail.example.org", 587, "user@x", "p@ss", True)
    assert "p@ss" not in repr(m)
    s = mailer_from_url("smtps://mail.example.org")
    assert (s.port, s.implicit_tls) == (465, True)
    assert isinstance(mailer_from_env(".", env={"SITE_BUILDER_SMTP_URL": "smtp://127.0.0.1:2525"}), SmtpMailer)
    with pytest.raises(ValueError):
        mailer_from_url("http://example.org")
