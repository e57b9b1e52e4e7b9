"""Facebook Page, Instagram and Threads through MockTransport handlers that answer like the Graph API.

No local server of the Graph API exists on any registry, so the handlers play Meta: containers
that stay IN_PROGRESS for a while, throttling with usage headers, an expired token, a 5xx.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs

import httpx
import pytest

from site_builder.publish.channel import AuthExpired, Permanent, RateLimited, Transient
from site_builder.publish.channels.graph import FacebookChannel, InstagramChannel
from site_builder.publish.channels.threads import ThreadsChannel

from .helpers import Recorder, article, context

TOKEN = {"token": "EAAG-page-token-secret"}
FB = {"page_id": "1001"}
IG = {"ig_user_id": "1780"}


def form(request: httpx.Request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(request.content.decode()).items()}


def calls(recorder: Recorder) -> list[tuple[str, str]]:
    return [(r.method, r.url.path) for r in recorder.requests]


def ok(**body) -> httpx.Response:
    return httpx.Response(200, json=body)


def test_facebook_link_post_with_a_pinned_api_version_and_the_token_in_a_header():
    recorder = Recorder(ok(id="1001_555"))
    channel = FacebookChannel()
    draft = channel.render(article(), "yours", {})
    receipt = channel.publish(draft, context(recorder.client(), TOKEN, FB))
    assert receipt.remote_id == "1001_555" and receipt.remote_url == "https://www.facebook.com/1001_555"
    (sent,) = recorder.requests
    assert (sent.method, str(sent.url)) == ("POST", "https://graph.facebook.com/v25.0/1001/feed")
    assert form(sent) == {"message": draft.text, "link": draft.link}
    assert sent.headers["Authorization"] == "Bearer EAAG-page-token-secret"
    assert "EAAG" not in str(sent.url)


def test_facebook_card_news_is_one_post_of_unpublished_photos(make_slides):
    recorder = Recorder(ok(id="p1"), ok(id="p2"), ok(id="p3"), ok(id="1001_777"))
    channel = FacebookChannel()
    draft = channel.render(article(kind="cardnews", media=make_slides(3)), "yours", {})
    channel.publish(draft, context(recorder.client(), TOKEN, FB))
    assert calls(recorder) == [("POST", "/v25.0/1001/photos")] * 3 + [("POST", "/v25.0/1001/feed")]
    assert form(recorder.requests[0]) == {"url": "https://yours.kr/cards/01.jpg", "published": "false",
                                          "alt_text_custom": "카드 1: 청년 자치 회의"}
    feed = form(recorder.requests[3])
    assert json.loads(feed["attached_media"]) == [{"media_fbid": "p1"}, {"media_fbid": "p2"}, {"media_fbid": "p3"}]
    assert feed["message"] == draft.text


def test_facebook_reconcile_finds_the_link_in_recent_posts():
    channel = FacebookChannel()
    draft = channel.render(article(), "yours", {})
    recorder = Recorder(ok(data=[{"id": "1001_1", "message": "다른 글"},
                                 {"id": "1001_2", "message": draft.text, "permalink_url": "https://www.facebook.com/yours/posts/2"}]),
                        ok(data=[{"id": "1001_1", "message": "다른 글"}]))
    ctx = context(recorder.client(), TOKEN, FB)
    assert channel.reconcile(draft, ctx).remote_url == "https://www.facebook.com/yours/posts/2"
    assert channel.reconcile(draft, ctx) is None
    assert recorder.requests[0].url.params["fields"] == "id,message,permalink_url"


def test_instagram_carousel_waits_for_every_container_then_publishes(make_slides):
    status = {"c1": ["IN_PROGRESS", "FINISHED"], "c2": ["FINISHED"], "car": ["IN_PROGRESS", "IN_PROGRESS", "FINISHED"]}
    created = iter(["c1", "c2", "car"])

    def graph(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if request.method == "POST" and path == "/v25.0/1780/media":
            return ok(id=next(created))
        if request.method == "GET" and path.split("/")[-1] in status:
            return ok(status_code=status[path.split("/")[-1]].pop(0))
        if path == "/v25.0/1780/media_publish":
            return ok(id="ig-900")
        if path == "/v25.0/ig-900":
            return ok(permalink="https://www.instagram.com/p/ABC/")
        return httpx.Response(404)

    recorder = Recorder(*[graph] * 20)
    channel = InstagramChannel()
    draft = channel.render(article(kind="cardnews", media=make_slides(2)), "yours", {})
    ctx = context(recorder.client(), TOKEN, IG)
    assert channel.publish(draft, ctx).remote_url == "https://www.instagram.com/p/ABC/"
    assert calls(recorder) == [
        ("POST", "/v25.0/1780/media"), ("GET", "/v25.0/c1"), ("GET", "/v25.0/c1"),
        ("POST", "/v25.0/1780/media"), ("GET", "/v25.0/c2"),
        ("POST", "/v25.0/1780/media"), ("GET", "/v25.0/car"), ("GET", "/v25.0/car"), ("GET", "/v25.0/car"),
        ("POST", "/v25.0/1780/media_publish"), ("GET", "/v25.0/ig-900")]
    assert form(recorder.requests[0]) == {"image_url": "https://yours.kr/cards/01.jpg", "is_carousel_item": "true",
                                          "alt_text": "카드 1: 청년 자치 회의"}
    assert form(recorder.requests[5]) == {"media_type": "CAROUSEL", "children": "c1,c2", "caption": draft.text}
    assert form(recorder.requests[9]) == {"creation_id": "car"}
    assert ctx.sleeps == [2.0, 2.0, 4.0]


def test_instagram_container_still_in_progress_is_transient_and_nothing_is_published(make_slides):
    def graph(request: httpx.Request) -> httpx.Response:
        return ok(id="c1") if request.method == "POST" else ok(status_code="IN_PROGRESS")

    recorder = Recorder(*[graph] * 30)
    channel = InstagramChannel()
    draft = channel.render(article(media=make_slides(1)), "yours", {})
    with pytest.raises(Transient):
        channel.publish(draft, context(recorder.client(), TOKEN, IG))
    assert ("POST", "/v25.0/1780/media_publish") not in calls(recorder)
    assert form(recorder.requests[0]) == {"image_url": "https://yours.kr/cards/01.jpg", "caption": draft.text,
                                          "alt_text": "카드 1: 청년 자치 회의"}


def test_instagram_container_error_is_permanent(make_slides):
    recorder = Recorder(ok(id="c1"), ok(status_code="ERROR"))
    draft = InstagramChannel().render(article(media=make_slides(1)), "yours", {})
    with pytest.raises(Permanent):
        InstagramChannel().publish(draft, context(recorder.client(), TOKEN, IG))


def test_graph_throttling_becomes_rate_limited_in_seconds_from_meta_minutes(make_slides):
    usage = json.dumps({"1780": [{"type": "instagram", "call_count": 100, "estimated_time_to_regain_access": 12}]})
    recorder = Recorder(httpx.Response(400, headers={"X-Business-Use-Case-Usage": usage},
                                       json={"error": {"message": "(#80002) too many calls", "code": 80002}}))
    draft = InstagramChannel().render(article(media=make_slides(1)), "yours", {})
    with pytest.raises(RateLimited) as raised:
        InstagramChannel().publish(draft, context(recorder.client(), TOKEN, IG))
    assert raised.value.retry_after == 720


def test_graph_expired_token_is_auth_expired_and_never_shows_the_token():
    recorder = Recorder(httpx.Response(400, json={"error": {"message": "Error validating access token: Session has expired",
                                                            "type": "OAuthException", "code": 190, "error_subcode": 463}}))
    with pytest.raises(AuthExpired) as raised:
        FacebookChannel().publish(FacebookChannel().render(article(), "yours", {}), context(recorder.client(), TOKEN, FB))
    assert "EAAG" not in str(raised.value)
    assert str(raised.value) == ("facebook 글 올리기: 토큰이 만료되었거나 취소되었습니다 (Error validating access token: "
                                 "Session has expired) — 새 토큰을 발급해 환경 변수에 넣으세요")


def test_graph_5xx_is_transient():
    with pytest.raises(Transient):
        FacebookChannel().publish(FacebookChannel().render(article(), "yours", {}),
                                  context(Recorder(httpx.Response(503)).client(), TOKEN, FB))


def test_threads_text_post_is_a_container_then_publish():
    recorder = Recorder(ok(id="t-c1"), ok(status="FINISHED"), ok(id="t-900"), ok(permalink="https://www.threads.net/@yours/post/X"))
    channel = ThreadsChannel()
    draft = channel.render(article(), "yours", {})
    receipt = channel.publish(draft, context(recorder.client(), TOKEN, {}))
    assert receipt.remote_url == "https://www.threads.net/@yours/post/X"
    assert [str(r.url).split("?")[0] for r in recorder.requests] == [
        "https://graph.threads.net/v1.0/me/threads", "https://graph.threads.net/v1.0/t-c1",
        "https://graph.threads.net/v1.0/me/threads_publish", "https://graph.threads.net/v1.0/t-900"]
    assert form(recorder.requests[0]) == {"media_type": "TEXT", "text": draft.text}
    assert recorder.requests[1].url.params["fields"] == "status"
    assert form(recorder.requests[2]) == {"creation_id": "t-c1"}


def test_threads_link_limit_error_is_permanent():
    recorder = Recorder(httpx.Response(400, json={"error": {"message": "THREADS_API__LINK_LIMIT_EXCEEDED", "code": 100}}))
    with pytest.raises(Permanent):
        ThreadsChannel().publish(ThreadsChannel().render(article(), "yours", {}), context(recorder.client(), TOKEN, {}))


def test_doctor_checks_instagram_with_harmless_reads_and_shows_todays_quota():
    recorder = Recorder(ok(id="1780", username="yours_kr"), ok(data=[{"quota_usage": 3, "config": {"quota_total": 50}}]))
    assert InstagramChannel().check_credentials(context(recorder.client(), TOKEN, IG)) == "instagram: @yours_kr 계정, 오늘 3/50건 게시"
    assert [(r.method, r.url.path) for r in recorder.requests] == [
        ("GET", "/v25.0/1780"), ("GET", "/v25.0/1780/content_publishing_limit")]


def test_doctor_on_threads_with_an_expired_token_is_auth_expired():
    recorder = Recorder(httpx.Response(401, json={"error": {"message": "Session has expired", "code": 190}}))
    with pytest.raises(AuthExpired):
        ThreadsChannel().check_credentials(context(recorder.client(), TOKEN, {}))
