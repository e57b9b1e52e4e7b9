"""`bounces process MAILDIR`: DSNs, ARF complaints and mailto unsubscribes suppress exactly the right subscriber."""

from __future__ import annotations

from pathlib import Path

from site_builder.delivery.bounces import process_maildir
from site_builder.delivery.compose import Recipient
from site_builder.subscribers import is_suppressed
from site_builder.subscribers.models import Subscriber

from .conftest import DOMAIN, SECRET, add_subscribers, project_copy


def _maildir(tmp_path: Path) -> Path:
    root = tmp_path / "bounces"
    for sub in ("tmp", "new", "cur"):
        (root / sub).mkdir(parents=True)
    return root


def _drop(root: Path, name: str, data: bytes) -> None:
    (root / "new" / name).write_bytes(data)


def dsn(to: str, final_recipient: str, status: str, action: str, original: bytes) -> bytes:
    """A Postfix-style RFC 3464 report, delivered to `to` (our return path)."""
    headers = original.split(b"\r\n\r\n", 1)[0]
    return (
        f"Delivered-To: {to}\r\nFrom: MAILER-DAEMON@mx.example.com (Mail Delivery System)\r\nTo: {to}\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B1"\r\n\r\n'
        "--B1\r\nContent-Type: text/plain\r\n\r\nI'm sorry to have to inform you that your message could not be delivered.\r\n"
        "--B1\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.com\r\nArrival-Date: Mon, 1 Jun 2019 12:00:00 +0900\r\n\r\n"
        f"Final-Recipient: rfc822; {final_recipient}\r\nOriginal-Recipient: rfc822;{final_recipient}\r\n"
        f"Action: {action}\r\nStatus: {status}\r\nDiagnostic-Code: smtp; 550 {status} mailbox problem\r\n\r\n"
        "--B1\r\nContent-Type: text/rfc822-headers\r\n\r\n"
    ).encode() + headers + b"\r\n--B1--\r\n"


def arf(original: bytes, rcpt: str = "") -> bytes:
    """A Yahoo-style ARF complaint (RFC 5965) sent to our feedback-loop address, not the return path."""
    extra = f"Original-Rcpt-To: {rcpt}\r\n" if rcpt else ""
    return (
        f"From: feedback@fbl.example.net\r\nTo: fbl@{DOMAIN}\r\nSubject: FW: complaint\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=feedback-report; boundary="B2"\r\n\r\n'
        "--B2\r\nContent-Type: text/plain\r\n\r\nThis is an email abuse report.\r\n"
        "--B2\r\nContent-Type: message/feedback-report\r\n\r\n"
        f"Feedback-Type: abuse\r\nUser-Agent: Yahoo!-Mail-Feedback/2.0\r\nVersion: 1\r\n{extra}\r\n"
        "--B2\r\nContent-Type: message/rfc822\r\n\r\n"
    ).encode() + original + b"\r\n--B2--\r\n"


def test_dsn_verp_arf_and_mailto_each_suppress_the_right_subscriber(tmp_path, store, composer):
    add_subscribers(store, 8)
    out = {i: composer.build(Recipient(i, f"user{i}@example.com", None)) for i in range(1, 9)}
    box = _maildir(tmp_path)
    # 1: hard bounce to the VERP address; the DSN names a forwarding address, VERP still finds user1
    _drop(box, "1.a", dsn(out[1].envelope_from, "someone@forwarded.example", "5.1.1", "failed", out[1].data))
    # 2: a delay notice: nothing happens
    _drop(box, "2.a", dsn(out[2].envelope_from, "user2@example.com", "4.4.7", "delayed", out[2].data))
    # 3: a policy refusal (our DKIM): nobody is suppressed
    _drop(box, "3.a", dsn(out[3].envelope_from, "user3@example.com", "5.7.26", "failed", out[3].data))
    # 4: complaint (ARF) matched by the Message-ID inside the reported message (the To is redacted)
    redacted = out[4].data.replace(b"user4@example.com", b"redacted@example.com")
    _drop(box, "4.a", arf(redacted))
    # 5: mailto one-click from List-Unsubscribe
    mailto = f"bounce+u.{out[5].envelope_from.split('+', 1)[1]}"
    _drop(box, "5.a", f"To: {mailto}\r\nFrom: user5@example.com\r\nSubject: unsubscribe\r\n\r\n\r\n".encode())
    # 6: a DSN without VERP (an old bounce address): matched by Final-Recipient
    _drop(box, "6.a", dsn("bounce@" + DOMAIN, "user6@example.com", "5.1.10", "failed", b"Subject: x\r\n\r\n"))
    # 7: a forged VERP token suppresses nobody
    forged = out[7].envelope_from[:-len(DOMAIN) - 2] + "0@" + DOMAIN
    _drop(box, "7.a", dsn(forged, "user7@example.com".replace("7", "x"), "5.1.1", "failed", b"Subject: x\r\n\r\n"))

    report = process_maildir(store, box, secret=SECRET)
    assert report.counts == {"bounce": 2, "soft": 1, "policy": 1, "complaint": 1, "unsubscribe": 1, "unmatched": 1}
    with store.session() as s:
        suppressed = {i for i in range(1, 9) if is_suppressed(s, f"user{i}@example.com", secret=SECRET)}
        assert suppressed == {1, 4, 5, 6}
        assert s.get(Subscriber, 5).status == "unsubscribed" and s.get(Subscriber, 5).withdrawal_method == "mailto"
        assert s.get(Subscriber, 1).withdrawal_method == "suppressed:bounce"
        assert s.get(Subscriber, 4).withdrawal_method == "suppressed:complaint"
    # processed messages are marked read and not processed again
    assert sorted(p.name for p in (box / "cur").iterdir()) == [f"{i}.a:2,S" for i in range(1, 8)]
    again = process_maildir(store, box, secret=SECRET)
    assert again.counts == {}


def test_bounces_command_processes_a_maildir(tmp_path, monkeypatch, capsys, composer):
    from site_builder.delivery import open_ledger
    from site_builder.cli import main
    from site_builder.subscribers import open_store

    root = project_copy(tmp_path)
    url = f"sqlite:///{root / 'subscribers.db'}"
    store = open_ledger(open_store(url))
    add_subscribers(store, 2)
    box = _maildir(tmp_path)
    out = composer.build(Recipient(2, "user2@example.com", None))
    _drop(box, "x", dsn(out.envelope_from, "user2@example.com", "5.1.1", "failed", out.data))
    monkeypatch.setenv("SITE_BUILDER_SECRET", SECRET.decode())
    monkeypatch.setenv("SITE_BUILDER_DATABASE_URL", url)
    assert main(["--root", str(root), "bounces", "process", str(box)]) == 0
    printed = capsys.readouterr().out
    assert "반송(발송 중지) 1" in printed and "x: 반송 #2 5.1.1 (반송 주소(VERP)로 찾음)" in printed
    with store.session() as s:
        assert is_suppressed(s, "user2@example.com", secret=SECRET)
    store.close()
