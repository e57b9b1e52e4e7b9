"""Messages: the format (CRLF, RFC 2047 subjects, text before HTML), address checks, no header injection."""

from __future__ import annotations

import email
import email.policy
from email.header import decode_header, make_header

import pytest

from site_builder.mail import AddressError, build_message, check_address


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
