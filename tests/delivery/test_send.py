"""Sending an issue to a real SMTP server on loopback: every message received, signed, personal and once."""

from __future__ import annotations

from datetime import timedelta
import base64
import json
import re
from email.utils import getaddresses, parsedate_to_datetime

import dkim
import httpx
import pytest
from sqlalchemy import select

from site_builder.config import Office
from site_builder.delivery import send_issue
from site_builder.delivery.compose import parse_message_token
from site_builder.delivery.engine import RetryPolicy
from site_builder.delivery.ledger import Delivery, DeliveryIssue
from site_builder.subscribers import is_suppressed
from site_builder.subscribers.app import create_app
from site_builder.subscribers.links import unsubscribe_url, preferences_url, answer_url
from site_builder.subscribers.models import Subscriber
from site_builder.subscribers.settings import SubscriptionSettings
from site_builder.mail import Mailer, MaildirOutbox

from .conftest import DOMAIN, SECRET, SERVICE, ManualClock, add_subscribers

FAST = RetryPolicy(first=timedelta(milliseconds=20), wait=timedelta(seconds=30))  # on the injected ManualClock


def _send(store, composer, transport, **kw):
    kw.setdefault("connections", 3)
    kw.setdefault("policy", FAST)
    kw.setdefault("clock", ManualClock())   # retry times and cut-offs never depend on the machine's speed
    return send_issue(store, composer, transport, issue_id="1", slug="first-letter", subject="s", secret=SECRET, **kw)


def _claims(token: str) -> list:
    body = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def test_every_subscriber_receives_one_signed_personal_message(store, composer, transport, sink, dns):
    addresses = add_subscribers(store, 25)
    report = _send(store, composer, transport)
    assert report.state == "done"
    assert report.counts["sent"] == 25 and report.sent_now == 25
    assert sink.per_recipient() == {a: 1 for a in addresses}
    ids = set()
    with store.session() as s:
        sid_of = dict(s.execute(select(Subscriber.address, Subscriber.id)).all())
    for mail_from, rcpts, raw in sink.received:
        (rcpt,) = rcpts
        sid = sid_of[rcpt]
        # wire format: CRLF only, no line over 998 octets (quoted-printable keeps them under 77)
        assert b"\n" not in raw.replace(b"\r\n", b"")
        assert max(len(line) for line in raw.split(b"\r\n")) <= 998
        body_lines = raw.split(b"\r\n\r\n", 1)[1].split(b"\r\n")
        assert max(len(line) for line in body_lines) <= 76
        # DKIM: RSA and Ed25519 signatures both verify with dkimpy, covering the headers that matter
        d = dkim.DKIM(raw)
        assert d.verify(idx=0, dnsfunc=dns) and d.verify(idx=1, dnsfunc=dns)
        import email, email.policy
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        for sig in msg.get_all("DKIM-Signature"):
            h = re.search(r"h=([^;]+)", str(sig)).group(1).replace(" ", "").split(":")
            for name in ("from", "to", "subject", "date", "message-id", "list-unsubscribe",
                         "list-unsubscribe-post", "list-id", "feedback-id"):
                assert name in h
        for name in ("From", "To", "Subject", "Date", "Message-ID", "List-Id", "List-Unsubscribe",
                     "List-Unsubscribe-Post", "Feedback-ID"):
            assert len(msg.get_all(name)) == 1, name
        assert msg["Subject"] == "청년자치정부, 10월의 준비 기록"
        assert str(msg["From"]) == f"유어스 <letter@{DOMAIN}>"
        assert getaddresses([str(msg["To"])]) == [(f"구독자{sid}", rcpt)]
        assert parsedate_to_datetime(str(msg["Date"])).utcoffset().total_seconds() == 9 * 3600
        assert str(msg["Date"]).endswith("+0900")
        assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert str(msg["List-Id"]) == f"유어스 레터 <letter.{DOMAIN}>"
        assert msg["Feedback-ID"] == "1:newsletter:letter"
        mid = msg["Message-ID"]
        assert mid.endswith(f"@{DOMAIN}>") and mid not in ids
        ids.add(mid)
        assert parse_message_token(SECRET, mid) == ("1", sid)
        # VERP return path names the recipient exactly
        assert mail_from.startswith("bounce+") and parse_message_token(SECRET, mail_from) == ("1", sid)
        # List-Unsubscribe: https one-click URL for this subscriber and this issue, plus mailto
        lu = re.findall(r"<([^>]+)>", str(msg["List-Unsubscribe"]))
        assert lu[0].startswith(f"{SERVICE}/u/") and lu[1].startswith("mailto:bounce+u.")
        assert _claims(lu[0].rsplit("/", 1)[1])[:3] == ["unsubscribe", sid, ["1"]]
        # multipart/alternative, text before HTML, both UTF-8 quoted-printable
        assert msg.get_content_type() == "multipart/alternative"
        parts = list(msg.iter_parts())
        assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
        assert all(p["Content-Transfer-Encoding"] == "quoted-printable" for p in parts)
        text, html = parts[0].get_content(), parts[1].get_content()
        # personal parts: name, links of this subscriber in both parts, no placeholder left
        assert f"구독자{sid}님, 안녕하세요." in text and f"구독자{sid}님, 안녕하세요." in html
        assert "%%" not in text and "%%" not in html
        assert "2019년 5월 1일" in text
        assert lu[0] in text and lu[0] in html
        prefs = re.findall(re.escape(SERVICE) + r"/preferences/[\w.\-]+", text)
        assert prefs and _claims(prefs[0].rsplit("/", 1)[1])[:2] == ["preferences", sid]
        answers = re.findall(re.escape(SERVICE) + r"/a/[\w.\-]+", html)
        assert len(set(answers)) == 4
        assert sorted(_claims(a.rsplit("/", 1)[1])[2][2] for a in set(answers)) == [0, 1, 2, 3]
        assert all(_claims(a.rsplit("/", 1)[1])[1] == sid for a in answers)
    # one connection per sender, each reused for many messages (one EHLO each)
    assert sink.sessions == 3


def test_links_match_the_subscription_service_link_functions(composer):
    from datetime import datetime, timezone
    from site_builder.delivery.compose import Recipient

    now = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
    composer.link_now = now
    values = composer.values(Recipient(42, "a@example.com"))
    assert values["UNSUBSCRIBE_URL"] == unsubscribe_url(SERVICE, SECRET, 42, "1", now=now)
    assert values["PREFERENCES_URL"] == preferences_url(SERVICE, SECRET, 42, now=now)
    # the third button (%%ANSWER_URL_3%%) records the third answer, index 2 of the list
    assert values["ANSWER_URL_3"] == answer_url(SERVICE, SECRET, 42, "1", "priority-agenda", 2, now=now)


def _service(store):
    settings = SubscriptionSettings(base_url=SERVICE, site_url="https://yours.example.org/", brand="유어스",
                                    office=Office(name="청년정책담당관", address="서울"), consent_version="1")
    return create_app(settings, store, Mailer(MaildirOutbox(store.engine.url.database + ".outbox")), SECRET)


@pytest.mark.anyio
@pytest.mark.parametrize("encoding", ["multipart", "urlencoded"])
async def test_one_click_unsubscribe_in_a_received_mail_works(store, composer, transport, sink, encoding):
    add_subscribers(store, 3)
    _send(store, composer, transport)
    msg = [m for m in sink.messages() if "user2@" in str(m["To"])][0]
    url = re.findall(r"<(https?://[^>]+)>", str(msg["List-Unsubscribe"]))[0]
    app = _service(store)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=SERVICE) as client:
        got = await client.get(url)
        assert got.status_code == 200
        with store.session() as s:
            assert not is_suppressed(s, "user2@example.com", secret=SECRET)   # a GET changes nothing
        if encoding == "multipart":
            answer = await client.post(url, files={"List-Unsubscribe": (None, "One-Click")})
        else:
            answer = await client.post(url, data={"List-Unsubscribe": "One-Click"})
        assert answer.status_code == 200 and "location" not in answer.headers
    with store.session() as s:
        assert is_suppressed(s, "user2@example.com", secret=SECRET)
        assert not is_suppressed(s, "user1@example.com", secret=SECRET)


def test_someone_who_unsubscribes_mid_send_gets_nothing_more(store, composer, transport, sink):
    from datetime import datetime, timezone
    from site_builder.subscribers import suppress_address

    add_subscribers(store, 20)

    def unsubscribe_user15(n, envelope):
        if n == 1:
            with store.session() as s, s.begin():
                suppress_address(s, "user15@example.com", "operator", secret=SECRET, now=datetime.now(timezone.utc))
    sink.on_message = unsubscribe_user15
    # batches of 5: user15's row is claimed, and checked, after the first message has arrived
    report = _send(store, composer, transport, connections=1, batch=5)
    assert "user15@example.com" not in sink.per_recipient()
    assert report.counts["sent"] == 19 and report.counts["skipped"] == 1
    with store.session() as s:
        row = s.scalar(select(Delivery).where(Delivery.subscriber_id == 15))
        assert row.state == "skipped" and "보내기 직전에 확인" in row.reply


def test_a_send_resumes_without_resending_and_reports_rows_left_sending_as_unknown(store, composer, transport, sink):
    add_subscribers(store, 12)
    _send(store, composer, transport, connections=1, stop=None)
    first = sink.per_recipient()
    assert len(first) == 12
    # simulate a crash: two rows left `sending`, three never attempted
    with store.session() as s, s.begin():
        s.execute(Delivery.__table__.update().where(Delivery.subscriber_id.in_([3, 4])).values(state="sending"))
        s.execute(Delivery.__table__.update().where(Delivery.subscriber_id.in_([10, 11, 12])).values(state="queued"))
        s.get(DeliveryIssue, "1").state = "running"
    report = _send(store, composer, transport)
    assert report.recovered_unknown == 2
    assert report.counts["unknown"] == 2 and report.counts["sent"] == 10
    counts_now = sink.per_recipient()
    assert {a: n - first.get(a, 0) for a, n in counts_now.items() if n != first.get(a, 0)} == {
        "user10@example.com": 1, "user11@example.com": 1, "user12@example.com": 1}
    # sending again does nothing more; --retry-unknown resends exactly the unknown ones
    again = _send(store, composer, transport)
    assert again.sent_now == 0 and again.counts["unknown"] == 2
    retried = _send(store, composer, transport, retry_unknown=True)
    assert retried.sent_now == 2 and retried.state == "done"
    assert sink.per_recipient()["user3@example.com"] == 2   # the operator chose this


def test_server_answering_421_and_dropping_connections_still_delivers_each_message_once(store, composer, transport, sink):
    addresses = add_subscribers(store, 40)

    def script(kind, index, envelope):
        if kind == "MAIL" and index % 7 == 0:
            return "421 4.7.0 too many messages, closing"
        if kind == "RCPT" and index % 11 == 0:
            return "DROP"
        return None
    sink.script = script
    report = _send(store, composer, transport)
    assert report.state == "done" and report.counts["sent"] == 40
    assert sink.per_recipient() == {a: 1 for a in addresses}
    assert sink.sessions > 3           # connections were reopened
    assert report.counts["unknown"] == 0


def test_4xx_is_deferred_with_growing_backoff_then_delivered(store, composer, transport, sink):
    add_subscribers(store, 3)
    refusals = {"n": 0}

    def script(kind, index, envelope):
        if kind == "RCPT" and envelope.mail_from.startswith("bounce+1.2.") and refusals["n"] < 3:
            refusals["n"] += 1
            return "451 4.7.1 greylisted, try again later"
        return None
    sink.script = script
    report = _send(store, composer, transport)
    assert report.state == "done" and report.counts["sent"] == 3
    assert sink.per_recipient()["user2@example.com"] == 1
    with store.session() as s:
        row = s.scalar(select(Delivery).where(Delivery.subscriber_id == 2))
        assert row.attempts == 4


def test_4xx_until_the_cut_off_fails_the_row(store, composer, transport, sink, clock):
    from datetime import timedelta

    add_subscribers(store, 2)
    sink.script = lambda kind, index, env: "452 4.2.2 mailbox full" if kind == "RCPT" and "bounce+1.1." in env.mail_from else None
    # on the injected clock: tries at 0, ~5, ~15, ~35 minutes; the next (~75) is past the 1-hour cut-off
    policy = RetryPolicy(first=timedelta(minutes=5), give_up=timedelta(hours=1), wait=timedelta(hours=1))
    report = _send(store, composer, transport, policy=policy, clock=clock)
    assert report.counts == {**report.counts, "sent": 1, "failed": 1}
    assert report.state == "done"
    with store.session() as s:
        row = s.scalar(select(Delivery).where(Delivery.subscriber_id == 1))
        assert row.reply.startswith("4번 시도한 뒤 포기했습니다") and "452 4.2.2" in row.reply
        assert row.attempts == 4
        assert not is_suppressed(s, "user1@example.com", secret=SECRET)
    # the engine waited for each retry on the clock, never on the wall clock
    assert len(clock.waits) == 3
    for waited, minutes in zip(clock.waits, (5, 10, 20)):   # the backoff doubles, with ±10% jitter
        assert 0.9 * minutes * 60 <= waited <= 1.1 * minutes * 60


def test_511_suppresses_the_address(store, composer, transport, sink):
    add_subscribers(store, 4)
    sink.script = lambda kind, i, env: "550 5.1.1 no such user" if kind == "RCPT" and "bounce+1.3." in env.mail_from else None
    report = _send(store, composer, transport)
    assert report.state == "done" and report.counts["sent"] == 3 and report.counts["failed"] == 1
    with store.session() as s:
        assert is_suppressed(s, "user3@example.com", secret=SECRET)
        assert s.get(Subscriber, 3).status == "suppressed"
        assert not is_suppressed(s, "user2@example.com", secret=SECRET)


def test_5726_pauses_the_issue_without_suppressing_anyone(store, composer, transport, sink):
    add_subscribers(store, 30)
    sink.script = lambda kind, i, env: "550 5.7.26 unauthenticated mail is prohibited" if kind == "DATA" and i >= 5 else None
    report = _send(store, composer, transport, connections=2)
    assert report.state == "paused" and "5.7.26" in report.paused_reason
    assert report.counts["sent"] == 4
    assert report.counts["failed"] == 0 and report.counts["sending"] == 0
    assert report.counts["queued"] == 26
    with store.session() as s:
        assert not any(is_suppressed(s, f"user{i}@example.com", secret=SECRET) for i in range(1, 31))
    # fixed: resuming sends the rest, each once
    sink.script = None
    resumed = _send(store, composer, transport)
    assert resumed.state == "done" and resumed.counts["sent"] == 30
    assert set(sink.per_recipient().values()) == {1} and len(sink.per_recipient()) == 30


def test_maildir_outbox_is_the_default_and_resolves_a_crash_exactly(tmp_path, store, composer, dns):
    from site_builder.mail import transport_from_env
    import mailbox

    add_subscribers(store, 5)
    outbox = transport_from_env(tmp_path, env={})
    report = _send(store, composer, outbox)
    assert report.counts["sent"] == 5
    box = mailbox.Maildir(str(tmp_path / "outbox"), create=False)
    assert len(box) == 5
    raw = next(iter(box.values())).as_bytes()
    assert dkim.verify(raw.replace(b"\n", b"\r\n").split(b"\r\n", 1)[1], dnsfunc=dns)
    # a crash after the file was written: the outbox shows the message went, so no unknown
    with store.session() as s, s.begin():
        s.execute(Delivery.__table__.update().where(Delivery.subscriber_id == 2).values(state="sending"))
        s.execute(Delivery.__table__.update().where(Delivery.subscriber_id == 5).values(state="queued"))
    again = _send(store, composer, outbox)
    assert again.recovered_sent == 1 and again.recovered_unknown == 0
    assert again.counts["sent"] == 5
    assert len(list((tmp_path / "outbox" / "new").iterdir())) == 6


def test_the_rate_limit_holds_over_the_whole_send(store, composer, transport, sink, clock):
    add_subscribers(store, 30)
    arrivals = []   # on the engine's clock, which moves only when the engine waits (for a token)
    sink.on_message = lambda n, envelope: arrivals.append(clock.now().timestamp())
    started = clock.now().timestamp()
    report = _send(store, composer, transport, connections=2, rate=50, clock=clock)
    assert report.counts["sent"] == 30
    # a token bucket of 2 (one per connection) at 50/s, full when the send starts: the 30th message
    # cannot leave before 28 more tokens have come, 0.56 s after the start. (Measured from the start,
    # not from the first arrival: the first message's own delay would count against the limiter.)
    assert arrivals[-1] - started >= (30 - 2) / 50 * 0.999  # (float rounding of the refills)


def test_a_stop_mid_batch_hands_the_untried_rows_back_queued(store, composer, transport, sink):
    import threading

    add_subscribers(store, 12)
    stop = threading.Event()

    def stop_after_third(n, envelope):
        if n == 3:
            stop.set()   # before the server's 250 for the third message goes back
    sink.on_message = stop_after_third
    report = _send(store, composer, transport, connections=1, batch=10, stop=stop)
    assert "운영자가 멈췄습니다" in report.paused_reason
    assert report.counts["sent"] == 3 and report.counts["queued"] == 9 and report.counts["sending"] == 0
    assert len(sink.per_recipient()) == 3
    with store.session() as s:
        untried = s.scalars(select(Delivery).where(Delivery.state == "queued")).all()
        assert all(row.attempts == 0 for row in untried)
    # resuming sends the rest, each once
    stop.clear()
    sink.on_message = None
    resumed = _send(store, composer, transport, stop=stop)
    assert resumed.state == "done" and resumed.counts["sent"] == 12
    assert set(sink.per_recipient().values()) == {1} and len(sink.per_recipient()) == 12


def test_lines_starting_with_a_dot_arrive_intact_without_dot_stuffing(issue_mail, dkim_keys, transport, sink, dns):
    import dataclasses
    import email
    import email.policy

    from site_builder.delivery import Composer, Signer
    from site_builder.delivery.compose import Recipient

    css = "\n".join(f".c{i} {{ color: #{i:06d}; }}" for i in range(40))
    odd = ".\n..\n." + "가" * 30 + ".\n%%NAME%%\n"
    mail = dataclasses.replace(issue_mail, text=issue_mail.text + "\n" + odd,
                               html=f"<style>\n{css}\n</style>\n" + issue_mail.html)
    out = Composer(mail, SECRET, Signer(dkim_keys)).build(Recipient(1, "user1@example.com", ".점순", None))
    lines = out.data.split(b"\r\n")
    assert out.dot_safe and not any(line.startswith(b".") for line in lines)
    assert max(len(line) for line in out.data.split(b"\r\n\r\n", 1)[1].split(b"\r\n")) <= 76
    conn = transport.connect()
    try:
        assert conn.send(out.envelope_from, out.recipient, out.data, message_id=out.message_id, dot_safe=True).kind == "sent"
    finally:
        conn.close()
    ((_f, _t, raw),) = sink.received
    assert raw == out.data            # the server removed no dot: none needed stuffing
    assert dkim.verify(raw, dnsfunc=dns)
    text, html = (p.get_content() for p in email.message_from_bytes(raw, policy=email.policy.default).iter_parts())
    assert text.replace("\r\n", "\n").endswith(odd.replace("%%NAME%%", ".점순"))
    assert css in html.replace("\r\n", "\n")
