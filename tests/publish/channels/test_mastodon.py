"""Mastodon against a real mastodon_mock server on loopback; media processing (202) with MockTransport."""

from __future__ import annotations

import httpx
import pytest

from site_builder.publish.channel import AuthExpired, RateLimited, Transient
from site_builder.publish.channels.mastodon import MastodonChannel

from .helpers import Recorder, article, context

TOKEN = {"token": "mock_token"}


def timeline(base: str) -> list[dict]:
    account = httpx.get(f"{base}/api/v1/accounts/verify_credentials", headers={"Authorization": "Bearer mock_token"}).json()
    return httpx.get(f"{base}/api/v1/accounts/{account['id']}/statuses", params={"limit": 40}).json()


def test_posts_card_news_with_four_images_and_alt_text(mastodon_url, make_slides):
    channel = MastodonChannel()
    post = article("2018-11-02-cardnews", kind="cardnews", kind_label="카드뉴스", media=make_slides(6))
    draft = channel.render(post, "yours", {"instance": mastodon_url})
    with httpx.Client() as http:
        receipt = channel.publish(draft, context(http, TOKEN, {"instance": mastodon_url}, key="cards-1"))
    status = next(s for s in timeline(mastodon_url) if s["id"] == receipt.remote_id)
    assert receipt.remote_url == status["url"]
    assert [m["description"] for m in status["media_attachments"]] == [f"카드 {n}: 청년 자치 회의" for n in range(1, 5)]
    assert "utm_source=mastodon" in status["content"] and "#청년자치" in status["content"]


def test_the_same_idempotency_key_never_makes_a_second_status(mastodon_url):
    channel = MastodonChannel()
    draft = channel.render(article("2018-11-09-twice"), "yours", {})
    with httpx.Client() as http:
        ctx = context(http, TOKEN, {"instance": mastodon_url}, key="twice-1")
        first = channel.publish(draft, ctx)
        second = channel.publish(draft, ctx)         # a resend after a lost reply
    assert first == second
    assert [s["id"] for s in timeline(mastodon_url) if draft.link in s["content"].replace("&amp;", "&")] == [first.remote_id]


def test_reconcile_finds_the_status_an_interrupted_run_made_and_none_otherwise(mastodon_url):
    channel = MastodonChannel()
    landed = channel.render(article("2018-11-16-landed"), "yours", {})
    never = channel.render(article("2018-11-23-never"), "yours", {})
    with httpx.Client() as http:
        ctx = context(http, TOKEN, {"instance": mastodon_url}, key="landed-1")
        receipt = channel.publish(landed, ctx)
        assert channel.reconcile(landed, ctx) == receipt
        assert channel.reconcile(never, context(http, TOKEN, {"instance": mastodon_url}, key="never-1")) is None


def test_a_revoked_token_is_auth_expired_without_the_token_in_the_message(mastodon_url):
    channel = MastodonChannel()
    draft = channel.render(article("2018-11-30-revoked"), "yours", {})
    with httpx.Client() as http, pytest.raises(AuthExpired) as raised:
        channel.publish(draft, context(http, {"token": "revoked-secret-token"}, {"instance": mastodon_url}))
    assert "revoked-secret-token" not in str(raised.value)
    assert str(raised.value).startswith("mastodon 글 올리기: 토큰이 만료되었거나 취소되었습니다")


def test_check_credentials_names_the_account(mastodon_url):
    with httpx.Client() as http:
        assert MastodonChannel().check_credentials(context(http, TOKEN, {"instance": mastodon_url})) == (
            "mastodon: @testuser 계정으로 글을 쓸 수 있습니다")


def test_media_still_processing_is_polled_until_it_has_a_url(make_slides):
    recorder = Recorder(
        httpx.Response(202, json={"id": "m1", "url": None}),
        httpx.Response(206, json={"id": "m1", "url": None}),
        httpx.Response(200, json={"id": "m1", "url": "https://social.example/m1.jpg"}),
        httpx.Response(200, json={"id": "s1", "url": "https://social.example/@yours/s1"}),
    )
    channel = MastodonChannel()
    draft = channel.render(article(kind="cardnews", media=make_slides(1)), "yours", {})
    ctx = context(recorder.client(), {"token": "t0k3n"}, {"instance": "https://social.example"}, key="poll-1")
    assert channel.publish(draft, ctx).remote_id == "s1"
    assert [(r.method, r.url.path) for r in recorder.requests] == [
        ("POST", "/api/v2/media"), ("GET", "/api/v1/media/m1"), ("GET", "/api/v1/media/m1"), ("POST", "/api/v1/statuses")]
    assert recorder.requests[-1].headers["Idempotency-Key"] == "poll-1"
    assert recorder.requests[-1].headers["Authorization"] == "Bearer t0k3n"
    assert ctx.sleeps == [1.0, 2.0]


def test_media_that_never_finishes_is_transient(make_slides):
    recorder = Recorder(*[httpx.Response(202 if n == 0 else 206, json={"id": "m1", "url": None}) for n in range(12)])
    channel = MastodonChannel()
    draft = channel.render(article(kind="cardnews", media=make_slides(1)), "yours", {})
    with pytest.raises(Transient):
        channel.publish(draft, context(recorder.client(), TOKEN, {"instance": "https://social.example"}))
    assert not any(r.url.path == "/api/v1/statuses" for r in recorder.requests)


def test_429_waits_until_mastodons_iso_reset_time():
    from datetime import datetime, timezone

    now = lambda: datetime(2026, 12, 1, 12, 0, 0, tzinfo=timezone.utc)
    recorder = Recorder(httpx.Response(429, headers={"X-RateLimit-Reset": "2026-12-01T12:04:30.000Z"},
                                       json={"error": "Too many requests"}))
    draft = MastodonChannel().render(article(), "yours", {})
    with pytest.raises(RateLimited) as raised:
        MastodonChannel().publish(draft, context(recorder.client(), TOKEN, {"instance": "https://social.example"}, now=now))
    assert raised.value.retry_after == 270
