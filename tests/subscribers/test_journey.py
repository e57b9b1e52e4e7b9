"""The whole reader journey over HTTP, with a real SQLite file and a real SMTP server."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from site_builder.subscribers import (
    Answer,
    Subscriber,
    Suppression,
    answer_url,
    is_suppressed,
    iter_recipients,
    unsubscribe_url,
)

from .conftest import BASE, SECRET, SITE_HEADERS, csrf_of, link_in, signup_form, text_of

pytestmark = pytest.mark.anyio
OWN = {"Origin": BASE}


async def test_reader_signs_up_confirms_changes_topics_answers_unsubscribes_exports_and_deletes(
    client, inbox, store, clock
):
    address = "minji@example.com"
    reply = await client.post("/subscribe", data=signup_form(address, name="김민지", topics=["kind:interview"]),
                              headers=SITE_HEADERS)
    assert reply.status_code == 200
    assert "메일함을 확인해 주세요" in reply.text
    assert "set-cookie" not in reply.headers

    mail = inbox.last_to(address)
    assert mail["Subject"] == "[유어스] 뉴스레터 구독을 확인해 주세요"
    assert "=?utf-8?" in inbox.envelopes[-1].original_content.decode("ascii").split("\r\n\r\n")[0]
    assert inbox.envelopes[-1].rcpt_tos == [address]
    with store.session() as s:
        row = s.scalar(select(Subscriber).where(Subscriber.address == address))
        assert row.status == "pending" and row.name is None  # applied only on confirmation

    confirm = link_in(mail, "/confirm/")
    page = await client.get(confirm)
    assert page.status_code == 200 and "구독 확인" in page.text
    with store.session() as s:
        assert s.scalar(select(Subscriber.status).where(Subscriber.address == address)) == "pending"
    done = await client.post(confirm, data={"csrf": csrf_of(page.text)}, headers=OWN)
    assert done.status_code == 200 and "구독이 확정되었습니다" in done.text

    welcome = inbox.last_to(address)
    assert "수신동의 처리 결과" in welcome["Subject"]
    assert "수신동의일: 2026-03-02" in text_of(welcome)
    with store.session() as s:
        row = s.scalar(select(Subscriber).where(Subscriber.address == address))
        assert (row.status, row.name, row.topic_ids) == ("subscribed", "김민지", ["kind:interview"])
        assert row.consent_method == "form" and row.consent_version == "2026-03"
        assert row.consent_source == "https://yours.example.org/subscribe/"
        assert row.confirmed_at == clock.now and row.consent_at == clock.now
        sid = row.id
        assert [r.address for r in iter_recipients(s, ["kind:interview"])] == [address]
        assert [r.address for r in iter_recipients(s, ["agenda:welfare"])] == []

    # change topics from the preferences link in the welcome mail
    prefs = link_in(welcome, "/preferences/")
    page = await client.get(prefs)
    assert page.status_code == 200 and address in page.text
    saved = await client.post(prefs, data={"csrf": csrf_of(page.text), "name": "민지",
                                           "topics": ["agenda:welfare", "series:prep-diary"]}, headers=OWN)
    assert saved.status_code == 200 and "저장했습니다" in saved.text
    with store.session() as s:
        assert [r.address for r in iter_recipients(s, ["agenda:welfare"])] == [address]
        assert [r.address for r in iter_recipients(s, ["kind:interview"])] == []
        assert s.get(Subscriber, sid).name == "민지"

    # answer the feedback question once
    a_url = answer_url(BASE, SECRET, sid, "12", "q-12-1", 2, now=clock.now)
    page = await client.get(a_url)
    assert page.status_code == 200
    first = await client.post(a_url, data={"csrf": csrf_of(page.text)}, headers=OWN)
    assert "의견을 받았습니다" in first.text
    other = answer_url(BASE, SECRET, sid, "12", "q-12-1", 0, now=clock.now)
    page = await client.get(other)
    again = await client.post(other, data={"csrf": csrf_of(page.text)}, headers=OWN)
    assert "이미 답하셨습니다" in again.text
    with store.session() as s:
        assert [(a.question_id, a.answer_index) for a in s.scalars(select(Answer))] == [("q-12-1", 2)]

    # one-click unsubscribe, as a mail client does it: no cookies, multipart body
    u_url = unsubscribe_url(BASE, SECRET, sid, "12", now=clock.now)
    one_click = await client.post(u_url, files={"List-Unsubscribe": (None, "One-Click")})
    assert one_click.status_code == 200 and "location" not in one_click.headers
    with store.session() as s:
        row = s.get(Subscriber, sid)
        assert row.status == "unsubscribed" and row.withdrawal_method == "one-click:12"
        assert row.withdrawn_at == clock.now
        assert is_suppressed(s, address, secret=SECRET)
        assert list(iter_recipients(s, None)) == []

    # export from the preferences page: every stored field
    page = await client.get(prefs)
    exported = await client.post(prefs + "/export", data={"csrf": csrf_of(page.text)}, headers=OWN)
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("application/json")
    data = json.loads(exported.text)
    for column in Subscriber.__table__.columns:
        assert column.key in data
    assert data["address"] == address and data["topics"] == ["agenda:welfare", "series:prep-diary"]
    assert data["answers"][0]["answer_index"] == 2
    assert data["suppression"]["reason"] == "unsubscribed"
    assert [r["kind"] for r in data["data_requests"]] == ["unsubscribe", "export"]

    # delete: personal data gone, suppression hash kept, a notice mailed
    deleted = await client.post(prefs + "/delete", data={"csrf": csrf_of(page.text), "confirm_delete": "yes"},
                                headers=OWN)
    assert deleted.status_code == 200 and "삭제했습니다" in deleted.text
    assert "개인정보를 삭제했습니다" in inbox.last_to(address)["Subject"]
    with store.session() as s:
        assert s.scalar(select(Subscriber).where(Subscriber.address == address)) is None
        assert s.get(Subscriber, sid) is None
        assert s.scalar(select(Suppression.reason)) == "unsubscribed"  # the first reason stays
        assert is_suppressed(s, address, secret=SECRET)
        assert [a.subscriber_id for a in s.scalars(select(Answer))] == [None]  # the tally stays, anonymous
    # secure_delete + a WAL checkpoint: the address is nowhere in the database files
    from pathlib import Path

    db = Path(store.engine.url.database)
    for path in [db, db.with_name(db.name + "-wal")]:
        if path.exists():
            assert address.encode() not in path.read_bytes(), path


async def test_one_click_unsubscribe_accepts_urlencoded_body_and_repeats_the_same_reply(client, store, clock):
    from .test_service_helpers import subscribed

    sid = subscribed(store, "joon@example.com", clock.now)
    url = unsubscribe_url(BASE, SECRET, sid, 7, now=clock.now)
    first = await client.post(url, content=b"List-Unsubscribe=One-Click",
                              headers={"content-type": "application/x-www-form-urlencoded"})
    second = await client.post(url, content=b"List-Unsubscribe=One-Click",
                               headers={"content-type": "application/x-www-form-urlencoded"})
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert "location" not in first.headers
    with store.session() as s:
        assert s.get(Subscriber, sid).status == "unsubscribed"
