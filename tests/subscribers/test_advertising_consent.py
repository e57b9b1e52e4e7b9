"""The separate, optional advertising consent (정보통신망법 제50조): given at signup or in the preferences,
stored with its version and time, exported and deleted with the rest, withdrawn with the subscription, and
the only way onto an advertising issue's recipients. A store made before it is migrated in place."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from sqlalchemy import delete, inspect, select, text

from site_builder.subscribers import Subscriber, iter_recipients, open_store
from site_builder.subscribers.app import create_app
from site_builder.db import SchemaMigration
from site_builder.subscribers.service import stats

from .conftest import SECRET, SITE_HEADERS, csrf_of, link_in, make_client, signup_form, text_of
from .test_service_helpers import subscribed

AD = "2026-12"
OWN = {"Origin": "http://subs.test"}


@pytest.fixture
def settings(settings):
    return replace(settings, ad_consent_version=AD)


def row_of(store, address):
    with store.session() as s:
        return s.scalar(select(Subscriber).where(Subscriber.address == address))


async def signup_and_confirm(client, inbox, address, **extra):
    reply = await client.post("/subscribe", data=signup_form(address, **extra), headers=SITE_HEADERS)
    assert reply.status_code == 200, reply.text
    confirm = link_in(inbox.last_to(address), "/confirm/")
    page = await client.get(confirm)
    done = await client.post(confirm, data={"csrf": csrf_of(page.text)}, headers=OWN)
    assert done.status_code == 200 and "구독이 확정되었습니다" in done.text
    return inbox.last_to(address)


@pytest.mark.anyio
async def test_the_signup_form_has_a_separate_unchecked_advertising_box_with_its_own_notice(client):
    page = (await client.get("/")).text
    assert '<input type="checkbox" name="ad_consent" value="yes">' in page   # not checked, not required
    assert "광고성 정보 수신 동의 (선택)" in page and settings_notice_purpose() in page
    assert f'name="ad_consent_version" value="{AD}"' in page


@pytest.mark.anyio
async def test_the_signup_page_names_the_collected_items_of_the_privacy_notice(client):
    from site_builder.subscribers.settings import DEFAULT_NOTICE

    page = (await client.get("/")).text
    assert f"<li>수집 항목: {DEFAULT_NOTICE['items']}</li>" in page
    assert "built-in method" not in page


def settings_notice_purpose() -> str:
    from site_builder.subscribers.settings import DEFAULT_AD_NOTICE

    return DEFAULT_AD_NOTICE["purpose"]


@pytest.mark.anyio
async def test_advertising_consent_given_at_signup_is_stored_with_version_and_time(client, inbox, store, clock):
    welcome = await signup_and_confirm(client, inbox, "ad@example.com", ad_consent="yes", ad_consent_version=AD)
    row = row_of(store, "ad@example.com")
    assert (row.ad_consent_version, row.ad_consent_at) == (AD, clock.now)
    assert "광고성 정보 수신: 동의 (2026-03-02)" in text_of(welcome)

    await signup_and_confirm(client, inbox, "plain@example.com")
    row = row_of(store, "plain@example.com")
    assert (row.ad_consent_version, row.ad_consent_at) == (None, None)
    assert "광고성 정보 수신: 동의하지 않음" in text_of(inbox.last_to("plain@example.com"))
    with store.session() as s:
        assert [r.address for r in iter_recipients(s, None, advertising=True)] == ["ad@example.com"]
        assert [r.address for r in iter_recipients(s, None)] == ["ad@example.com", "plain@example.com"]
        assert stats(s)["subscribed_with_ad_consent_by_version"] == {AD: 1}


@pytest.mark.anyio
async def test_a_stale_advertising_notice_version_is_refused_with_a_korean_reason(client, store):
    reply = await client.post("/subscribe", data=signup_form("old@example.com", ad_consent="yes",
                                                             ad_consent_version="2019-01"), headers=SITE_HEADERS)
    assert reply.status_code == 400
    assert "광고성 정보 수신 동의 문구가 바뀌었습니다. 구독 페이지를 새로 고친 뒤 다시 신청해 주세요." in reply.text
    assert row_of(store, "old@example.com") is None


@pytest.mark.anyio
async def test_the_preferences_give_and_withdraw_it_with_a_result_mail_and_export_and_delete_carry_it(
        client, inbox, store, clock):
    from site_builder.subscribers import preferences_url

    sid = subscribed(store, "p@example.com", clock.now)
    url = preferences_url("http://subs.test", SECRET, sid, now=clock.now)
    page = await client.get(url)
    assert '<input type="checkbox" name="ad_consent" value="yes">' in page.text
    saved = await client.post(url, data={"csrf": csrf_of(page.text), "ad_consent": "yes"}, headers=OWN)
    assert saved.status_code == 200 and "저장했습니다" in saved.text
    assert 'name="ad_consent" value="yes" checked' in saved.text and "광고성 정보 수신 동의일: 2026-03-02" in saved.text
    assert (row_of(store, "p@example.com").ad_consent_version, row_of(store, "p@example.com").ad_consent_at) == (
        AD, clock.now)
    mail = inbox.last_to("p@example.com")
    assert mail["Subject"] == "[유어스] 광고성 정보 수신 동의 처리 결과 안내"

    exported = await client.post(url + "/export", data={"csrf": csrf_of(page.text)}, headers=OWN)
    data = json.loads(exported.text)
    assert (data["ad_consent_version"], data["ad_consent_at"]) == (AD, clock.now.isoformat())

    clock.advance(minutes=30)
    withdrawn = await client.post(url, data={"csrf": csrf_of(page.text)}, headers=OWN)   # box left unticked
    assert withdrawn.status_code == 200 and 'name="ad_consent" value="yes">' in withdrawn.text
    assert (row_of(store, "p@example.com").ad_consent_version, row_of(store, "p@example.com").ad_consent_at) == (
        None, None)
    assert inbox.last_to("p@example.com")["Subject"] == "[유어스] 광고성 정보 수신동의 철회 처리 결과 안내"
    assert inbox.count_to("p@example.com") == 2

    await client.post(url, data={"csrf": csrf_of(page.text), "ad_consent": "yes"}, headers=OWN)
    gone = await client.post(url + "/delete", data={"csrf": csrf_of(page.text), "confirm_delete": "yes"}, headers=OWN)
    assert gone.status_code == 200
    with store.session() as s:
        assert s.scalar(select(Subscriber).where(Subscriber.ad_consent_at.is_not(None))) is None


@pytest.mark.anyio
async def test_unsubscribing_withdraws_the_advertising_consent_too(client, inbox, store, clock):
    from site_builder.subscribers import unsubscribe_url

    await signup_and_confirm(client, inbox, "u@example.com", ad_consent="yes", ad_consent_version=AD)
    sid = row_of(store, "u@example.com").id
    await client.post(unsubscribe_url("http://subs.test", SECRET, sid, "3", now=clock.now),
                      data={"List-Unsubscribe": "One-Click"})
    row = row_of(store, "u@example.com")
    assert row.status == "unsubscribed" and row.ad_consent_at is None and row.ad_consent_version is None


@pytest.mark.anyio
async def test_without_the_advertising_block_no_box_is_shown_and_a_ticked_box_is_ignored(
        store, mailer, clock, inbox):
    from site_builder.subscribers.settings import SubscriptionSettings

    plain = SubscriptionSettings(base_url="http://subs.test", site_url="https://yours.example.org/",
                                 consent_version="2026-03")
    async with make_client(create_app(plain, store, mailer, SECRET, clock=clock)) as client:
        assert "ad_consent" not in (await client.get("/")).text
        reply = await client.post("/subscribe", data=signup_form("x@example.com", ad_consent="yes",
                                                                 ad_consent_version=AD), headers=SITE_HEADERS)
        assert reply.status_code == 400 and "광고성 정보 수신 동의 문구가 바뀌었습니다" in reply.text


def test_a_store_made_before_the_advertising_consent_is_migrated_in_place(db_url, clock):
    store = open_store(db_url)
    sid = subscribed(store, "old@example.com", clock.now)
    # make it the store of the version before: no ad_consent columns, only migration 1 recorded
    with store.engine.begin() as conn:
        conn.execute(text("ALTER TABLE subscribers DROP COLUMN ad_consent_version"))
        conn.execute(text("ALTER TABLE subscribers DROP COLUMN ad_consent_at"))
        conn.execute(delete(SchemaMigration).where(SchemaMigration.version == 2))
    store.close()
    with open_store(db_url, migrate=False).engine.connect() as conn:
        assert "ad_consent_at" not in {c["name"] for c in inspect(conn).get_columns("subscribers")}

    store = open_store(db_url)
    try:
        with store.session() as s:
            row = s.get(Subscriber, sid)
            assert (row.address, row.status, row.ad_consent_version, row.ad_consent_at) == (
                "old@example.com", "subscribed", None, None)
            assert s.scalars(select(SchemaMigration.version).where(
                SchemaMigration.component == "subscribers")).all() == [1, 2]
            assert list(iter_recipients(s, None, advertising=True)) == []
    finally:
        store.close()
