"""Abuse cases against the running app: enumeration, tokens, scanners, injection, size, rate limits, bots."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from site_builder.subscribers import Subscriber, answer_url, preferences_url, suppress_address, unsubscribe_url
from site_builder.subscribers.tokens import sign_link

from .conftest import BASE, SECRET, SITE_HEADERS, csrf_of, link_in, make_client, signup_form
from .test_service_helpers import subscribed

pytestmark = pytest.mark.anyio
OWN = {"Origin": BASE}


async def test_signup_replies_are_byte_identical_whatever_the_address_state(client, store, inbox, clock):
    subscribed(store, "sub@example.com", clock.now)
    await client.post("/subscribe", data=signup_form("pending@example.com"), headers=SITE_HEADERS)
    gone = subscribed(store, "gone@example.com", clock.now)
    await client.post(unsubscribe_url(BASE, SECRET, gone, 1, now=clock.now), data={"List-Unsubscribe": "One-Click"})
    with store.session() as s, s.begin():
        subscribed(store, "spam@example.com", clock.now)
        suppress_address(s, "spam@example.com", "complaint", secret=SECRET, now=clock.now)
    before = len(inbox.envelopes)

    replies = {}
    for address in ["new@example.com", "pending@example.com", "sub@example.com", "gone@example.com",
                    "spam@example.com"]:
        r = await client.post("/subscribe", data=signup_form(address), headers=SITE_HEADERS)
        replies[address] = (r.status_code, r.content, sorted((k, v) for k, v in r.headers.items()))
    assert len({v for v in map(repr, replies.values())}) == 1

    # the difference is only in the mailbox, which only the owner reads
    got = {str(m["To"]): str(m["Subject"]) for m in inbox.messages[before:]}
    assert "구독을 확인해" in got["new@example.com"]
    assert "구독을 확인해" in got["pending@example.com"]
    assert "이미 구독 중" in got["sub@example.com"]
    assert "구독을 확인해" in got["gone@example.com"]   # a former subscriber may come back, by confirming
    assert "spam@example.com" not in got                # complained: never mailed again


async def test_confirmation_token_works_once(client, inbox, store):
    await client.post("/subscribe", data=signup_form("once@example.com"), headers=SITE_HEADERS)
    link = link_in(inbox.last_to("once@example.com"), "/confirm/")
    page = await client.get(link)
    first = await client.post(link, data={"csrf": csrf_of(page.text)}, headers=OWN)
    assert first.status_code == 200
    replay = await client.post(link, data={"csrf": csrf_of(page.text)}, headers=OWN)
    assert replay.status_code == 400 and "링크를 확인할 수 없습니다" in replay.text
    assert (await client.get(link)).status_code == 400


def stored_bytes(store) -> bytes:
    """Everything the database holds: the SQLite files, or every row of every table elsewhere."""
    if store.engine.url.get_backend_name() == "sqlite":
        path = store.engine.url.database
        return open(path, "rb").read() + open(path + "-wal", "rb").read()
    from sqlalchemy import MetaData, text

    tables = MetaData()
    tables.reflect(store.engine)
    with store.engine.connect() as conn:
        return "\n".join(repr(row) for table in tables.sorted_tables
                         for row in conn.execute(text(f'SELECT * FROM "{table.name}"'))).encode()


async def test_confirmation_token_expires_after_48_hours_and_is_stored_only_as_a_hash(client, inbox, store, clock):
    await client.post("/subscribe", data=signup_form("late@example.com"), headers=SITE_HEADERS)
    link = link_in(inbox.last_to("late@example.com"), "/confirm/")
    token = link.rsplit("/", 1)[1]
    assert token.encode() not in stored_bytes(store)
    clock.advance(hours=47, minutes=59)
    page = await client.get(link)
    assert page.status_code == 200
    clock.advance(minutes=1)
    late = await client.post(link, data={"csrf": csrf_of(page.text)}, headers=OWN)
    assert late.status_code == 400 and "유효 기간이 지났습니다" in late.text
    with store.session() as s:
        assert s.scalar(select(Subscriber.status).where(Subscriber.address == "late@example.com")) == "pending"


async def test_forged_and_misused_tokens_change_nothing(client, store, clock):
    sid = subscribed(store, "target@example.com", clock.now)
    genuine = unsubscribe_url(BASE, SECRET, sid, 3, now=clock.now)
    body, mac = genuine.rsplit("/", 1)[1].split(".")
    forged_mac = f"{BASE}/u/{body}.{'A' * len(mac)}"
    other_key = f"{BASE}/u/" + sign_link(b"another-secret-another-secret-000", "unsubscribe", sid, ("3",),
                                         clock.now.replace(year=2030))
    wrong_purpose = f"{BASE}/u/" + answer_url(BASE, SECRET, sid, "3", "q", 0, now=clock.now).rsplit("/", 1)[1]
    for url in [forged_mac, other_key, wrong_purpose, f"{BASE}/u/garbage", f"{BASE}/u/" + "x" * 700]:
        r = await client.post(url, data={"List-Unsubscribe": "One-Click"})
        assert r.status_code == 400, url
        assert "target@example.com" not in r.text
    prefs = preferences_url(BASE, SECRET, sid, now=clock.now).replace("/preferences/", "/a/")
    assert (await client.get(prefs)).status_code == 400
    assert (await client.post(f"{BASE}/confirm/not-a-token", data={})).status_code == 403  # no CSRF token
    with store.session() as s:
        assert s.get(Subscriber, sid).status == "subscribed"


async def test_expired_unsubscribe_and_preferences_links_are_refused(client, store, clock):
    sid = subscribed(store, "old@example.com", clock.now)
    unsub = unsubscribe_url(BASE, SECRET, sid, 1, now=clock.now)
    prefs = preferences_url(BASE, SECRET, sid, now=clock.now)
    clock.advance(days=366)
    assert (await client.get(prefs)).status_code == 400
    assert (await client.post(unsub, data={"List-Unsubscribe": "One-Click"})).status_code == 200  # 3 years
    sid2 = subscribed(store, "older@example.com", clock.now)
    unsub2 = unsubscribe_url(BASE, SECRET, sid2, 1, now=clock.now)
    clock.advance(days=1096)
    r = await client.post(unsub2, data={"List-Unsubscribe": "One-Click"})
    assert r.status_code == 400 and "유효 기간" in r.text


async def test_a_get_on_the_unsubscribe_link_only_shows_a_button(client, store, clock):
    sid = subscribed(store, "scanned@example.com", clock.now)
    url = unsubscribe_url(BASE, SECRET, sid, 5, now=clock.now)
    for _ in range(3):
        page = await client.get(url)
        assert page.status_code == 200
        assert f'action="{url}"' in page.text and 'method="post"' in page.text
    head = await client.head(url)
    assert head.status_code == 200 and head.content == b""
    with store.session() as s:
        assert s.get(Subscriber, sid).status == "subscribed"


async def test_a_get_on_answer_and_confirm_links_records_nothing(client, store, clock, inbox):
    sid = subscribed(store, "reader@example.com", clock.now)
    await client.get(answer_url(BASE, SECRET, sid, "9", "q-9", 1, now=clock.now))
    from site_builder.subscribers import Answer

    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Answer)) == 0


async def test_header_injection_in_the_name_is_refused(client, store, inbox):
    before = len(inbox.envelopes)
    r = await client.post("/subscribe", headers=SITE_HEADERS, data=signup_form(
        "victim@example.com", name="Kim\r\nBcc: everyone@example.net"))
    assert r.status_code == 400 and "제어 문자" in r.text
    r = await client.post("/subscribe", headers=SITE_HEADERS, data=signup_form(
        "victim@example.com\r\nBcc: x@example.net"))
    assert r.status_code == 400
    assert len(inbox.envelopes) == before
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Subscriber)) == 0


async def test_a_korean_name_travels_encoded_and_the_envelope_stays_ascii(client, inbox):
    await client.post("/subscribe", headers=SITE_HEADERS, data=signup_form("hangul@example.com", name="홍길동"))
    envelope = inbox.envelopes[-1]
    head = envelope.original_content.split(b"\r\n\r\n")[0].decode("ascii")
    assert "To: =?utf-8?b?" in head and "<hangul@example.com>" in head
    # the envelope sender is the configured sender address itself, not the encoded From header
    assert (envelope.mail_from, envelope.rcpt_tos) == ("newsletter@yours.example.org", ["hangul@example.com"])
    assert str(inbox.last_to("hangul@example.com")["To"]) == "홍길동 <hangul@example.com>"


async def test_oversized_bodies_are_refused_before_parsing(client, store):
    big = signup_form("big@example.com", name="x" * 20_000)
    r = await client.post("/subscribe", data=big, headers=SITE_HEADERS)
    assert r.status_code == 413

    async def chunks():
        for _ in range(40):
            yield b"a" * 1000

    r = await client.post("/subscribe", content=chunks(),
                          headers=SITE_HEADERS | {"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 413
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Subscriber)) == 0


async def test_per_address_limit_stops_mail_but_not_the_reply(client, inbox, clock):
    replies = []
    for _ in range(5):
        r = await client.post("/subscribe", data=signup_form("flood@example.com"), headers=SITE_HEADERS)
        replies.append((r.status_code, r.content))
    assert len(set(replies)) == 1
    assert inbox.count_to("flood@example.com") == 3
    clock.advance(hours=24, seconds=1)
    await client.post("/subscribe", data=signup_form("flood@example.com"), headers=SITE_HEADERS)
    assert inbox.count_to("flood@example.com") == 4


async def test_per_ip_limit_answers_429_and_other_addresses_still_work(app, inbox, clock):
    async with make_client(app, ip="203.0.113.9") as noisy, make_client(app, ip="203.0.113.10") as quiet:
        codes = [(await noisy.post("/subscribe", data=signup_form(f"n{i}@example.com"), headers=SITE_HEADERS))
                 .status_code for i in range(31)]
        assert codes[:30] == [200] * 30 and codes[30] == 429
        assert (await quiet.post("/subscribe", data=signup_form("q@example.com"),
                                 headers=SITE_HEADERS)).status_code == 200
        clock.advance(hours=1, seconds=1)
        assert (await noisy.post("/subscribe", data=signup_form("n99@example.com"),
                                 headers=SITE_HEADERS)).status_code == 200


async def test_x_forwarded_for_counts_only_behind_a_trusted_proxy(settings, store, mailer, clock):
    from dataclasses import replace

    from site_builder.subscribers.app import create_app

    app = create_app(replace(settings, trusted_proxies=("127.0.0.1/32",), per_ip_requests_per_hour=2),
                     store, mailer, SECRET, clock=clock)
    async with make_client(app, ip="127.0.0.1") as proxy:
        for client_ip, expected in [("203.0.113.1", 200), ("203.0.113.1", 200), ("203.0.113.1", 429),
                                    ("203.0.113.2", 200)]:
            r = await proxy.post("/subscribe", data=signup_form(f"{client_ip}-{expected}@example.com"),
                                 headers=SITE_HEADERS | {"X-Forwarded-For": f"10.9.9.9, {client_ip}"})
            assert r.status_code == expected
    async with make_client(app, ip="198.51.100.1") as direct:
        codes = [(await direct.post("/subscribe", data=signup_form(f"d{i}@example.com"),
                                    headers=SITE_HEADERS | {"X-Forwarded-For": f"192.0.2.{i}"})).status_code
                 for i in range(3)]
        assert codes == [200, 200, 429]   # a spoofed header from an untrusted peer is ignored


async def test_honeypot_gets_the_same_reply_and_nothing_happens(client, inbox, store):
    real = await client.post("/subscribe", data=signup_form("human@example.com"), headers=SITE_HEADERS)
    before = len(inbox.envelopes)
    bot = await client.post("/subscribe", data=signup_form("bot@example.com", website="http://spam.example"),
                            headers=SITE_HEADERS)
    assert (bot.status_code, bot.content) == (real.status_code, real.content)
    assert len(inbox.envelopes) == before
    with store.session() as s:
        assert s.scalar(select(Subscriber).where(Subscriber.address == "bot@example.com")) is None


async def test_cross_site_signup_and_forms_without_csrf_token_are_refused(client, store, clock, inbox):
    r = await client.post("/subscribe", data=signup_form("x@example.com"), headers={"Origin": "https://evil.example"})
    assert r.status_code == 403
    r = await client.post("/subscribe", data=signup_form("x@example.com"))
    assert r.status_code == 403
    r = await client.post("/subscribe", data=signup_form("x@example.com"), headers={"Origin": "null"})
    assert r.status_code == 403
    r = await client.post("/subscribe", data=signup_form("x@example.com"),
                          headers={"Referer": "https://yours.example.org/about/"})
    assert r.status_code == 200

    sid = subscribed(store, "prefs@example.com", clock.now, topics=["kind:interview"])
    prefs = preferences_url(BASE, SECRET, sid, now=clock.now)
    other = preferences_url(BASE, SECRET, subscribed(store, "o@example.com", clock.now), now=clock.now)
    other_csrf = csrf_of((await client.get(other)).text)
    good_csrf = csrf_of((await client.get(prefs)).text)
    for data, headers in [({"topics": ["agenda:welfare"]}, OWN),
                          ({"topics": ["agenda:welfare"], "csrf": other_csrf}, OWN),
                          ({"topics": ["agenda:welfare"], "csrf": good_csrf}, {"Origin": "https://evil.example"})]:
        assert (await client.post(prefs, data=data, headers=headers)).status_code == 403
    clock.advance(minutes=121)
    assert (await client.post(prefs, data={"topics": ["agenda:welfare"], "csrf": good_csrf},
                              headers=OWN)).status_code == 403
    with store.session() as s:
        assert s.get(Subscriber, sid).topic_ids == ["kind:interview"]


async def test_signup_needs_consent_the_current_notice_and_an_ascii_local_part(client, store):
    no_consent = signup_form("a@example.com")
    del no_consent["consent"]
    r = await client.post("/subscribe", data=no_consent, headers=SITE_HEADERS)
    assert r.status_code == 400 and "동의" in r.text
    r = await client.post("/subscribe", data=signup_form("a@example.com", consent_version="2019-01"),
                          headers=SITE_HEADERS)
    assert r.status_code == 400
    r = await client.post("/subscribe", data=signup_form("홍길동@example.com"), headers=SITE_HEADERS)
    assert r.status_code == 400 and "SMTPUTF8" in r.text
    r = await client.post("/subscribe", data=signup_form("a@example.com", topics=["kind:nope"]), headers=SITE_HEADERS)
    assert r.status_code == 400
    r = await client.post("/subscribe", data=signup_form("Kim@예시.한국"), headers=SITE_HEADERS)
    assert r.status_code == 200
    with store.session() as s:
        assert s.scalars(select(Subscriber.address)).all() == ["kim@" + "예시.한국".encode("idna").decode()]


async def test_no_reply_sets_a_cookie_and_pages_are_korean_and_self_contained(client, store, clock):
    sid = subscribed(store, "page@example.com", clock.now)
    for url in ["/", f"/u/{unsubscribe_url(BASE, SECRET, sid, 1, now=clock.now).rsplit('/', 1)[1]}",
                preferences_url(BASE, SECRET, sid, now=clock.now), "/manage"]:
        r = await client.get(url)
        assert r.status_code == 200, url
        assert "set-cookie" not in r.headers
        assert '<html lang="ko">' in r.text
        assert "http://" not in r.text.replace(BASE, "").replace("https://yours.example.org", "")
        assert "<script" not in r.text
        assert r.headers["referrer-policy"] == "same-origin"
        assert "default-src 'none'" in r.headers["content-security-policy"]
