"""Transactional mail parts use the shorter 7-bit encoding, and read back the same."""

from __future__ import annotations

from email import message_from_bytes, policy

from site_builder.mail import build_message, format_address
from site_builder.mail.message import transfer_encoding

KOREAN = "구독 신청을 확인해 주세요. 아래 링크를 누르면 청년자치정부 소식지 '유어스'를 받아 보실 수 있습니다.\n" * 5
LINK = "https://yours.example.org/confirm/abcdefghijklmnopqrstuvwxyz0123456789"


def test_mostly_korean_text_is_base64_and_markup_heavy_html_quoted_printable() -> None:
    html = f'<table role="presentation" style="width:100%;border:0"><tr><td><a href="{LINK}">확인</a></td></tr></table>' * 3
    assert transfer_encoding(KOREAN) == "base64"
    assert transfer_encoding(html) == "quoted-printable"
    assert transfer_encoding("plain ASCII only") == "quoted-printable"
    msg = build_message(sender=format_address("letter@yours.example.org", "유어스"), to="reader@example.com",
                        subject="구독 확인", text=KOREAN + LINK + "\n", html=html)
    raw = msg.as_bytes()
    assert all(len(line) <= 998 for line in raw.split(b"\r\n")) and max(raw) < 128  # 7-bit, short lines
    back = message_from_bytes(raw, policy=policy.default)
    plain, rich = back.get_body(("plain",)), back.get_body(("html",))
    assert plain["Content-Transfer-Encoding"] == "base64"
    assert rich["Content-Transfer-Encoding"] == "quoted-printable"
    assert plain.get_content().replace("\r\n", "\n") == KOREAN + LINK + "\n"
    assert rich.get_content().replace("\r\n", "\n").rstrip("\n") == html


def test_base64_makes_korean_text_parts_smaller_than_quoted_printable() -> None:
    def part_size(cte: str) -> int:
        msg = build_message(sender="letter@yours.example.org", to="reader@example.com", subject="s", text=KOREAN)
        msg.set_content(KOREAN, subtype="plain", charset="utf-8", cte=cte)
        return len(msg.as_bytes())

    chosen = len(build_message(sender="letter@yours.example.org", to="reader@example.com", subject="s",
                               text=KOREAN).as_bytes())
    assert chosen == part_size("base64") < part_size("quoted-printable") * 0.6
