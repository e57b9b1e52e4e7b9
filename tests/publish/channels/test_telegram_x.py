"""Telegram against a real telegram-test-api server (text); albums and 429s, and X, with MockTransport."""

from __future__ import annotations

import json

import httpx
import pytest

from site_builder.publish.channel import RateLimited, Unknowable
from site_builder.publish.channels.telegram import TelegramChannel
from site_builder.publish.channels.x import XChannel

from .helpers import Recorder, article, context

BOT = {"token": "123456:TEST-bot-token"}
CHAT = {"chat": "@yours_channel"}


def test_text_post_reaches_the_real_telegram_test_server(telegram_url):
    channel = TelegramChannel()
    draft = channel.render(article(), "yours", {})
    with httpx.Client() as http:
        ctx = context(http, BOT, {**CHAT, "api": telegram_url})
        receipt = channel.publish(draft, ctx)
        history = http.post(f"{telegram_url}/getUpdatesHistory", json={"token": BOT["token"]}).json()["result"]
        assert channel.check_credentials(ctx) == "telegram: 봇 @TestNameBot의 토큰이 유효합니다 (채널 @yours_channel)"
    (sent,) = [u["message"] for u in history]
    assert sent["text"] == draft.text and sent["chat_id"] == "@yours_channel"
    assert receipt.remote_url == f"https://t.me/yours_channel/{receipt.remote_id}"


def test_card_news_is_one_album_with_the_caption_on_the_first_photo(make_slides):
    recorder = Recorder(httpx.Response(200, json={"ok": True, "result": [{"message_id": 41}, {"message_id": 42}, {"message_id": 43}]}))
    channel = TelegramChannel()
    draft = channel.render(article(kind="cardnews", media=make_slides(3)), "yours", {})
    receipt = channel.publish(draft, context(recorder.client(), BOT, CHAT))
    (sent,) = recorder.requests
    assert str(sent.url) == "https://api.telegram.org/bot123456:TEST-bot-token/sendMediaGroup"
    body = sent.content
    media = json.loads(body.split(b'name="media"\r\n\r\n', 1)[1].split(b"\r\n--", 1)[0].decode())
    assert media == [{"type": "photo", "media": "attach://photo0", "caption": draft.text},
                     {"type": "photo", "media": "attach://photo1"}, {"type": "photo", "media": "attach://photo2"}]
    assert body.count(b"Content-Type: image/jpeg") == 3 and body.count(b"\xff\xd8\xff") == 3   # three JPEGs
    assert (receipt.remote_id, receipt.remote_url) == ("41", "https://t.me/yours_channel/41")


def test_telegram_429_waits_what_retry_after_says_and_hides_the_token():
    recorder = Recorder(httpx.Response(429, json={"ok": False, "error_code": 429,
                                                  "description": "Too Many Requests: retry after 35",
                                                  "parameters": {"retry_after": 35}}))
    draft = TelegramChannel().render(article(), "yours", {})
    with pytest.raises(RateLimited) as raised:
        TelegramChannel().publish(draft, context(recorder.client(), BOT, CHAT))
    assert raised.value.retry_after == 35 and "TEST-bot-token" not in str(raised.value)


def test_telegram_cannot_reconcile():
    with pytest.raises(Unknowable):
        TelegramChannel().reconcile(TelegramChannel().render(article(), "yours", {}), context(Recorder().client(), BOT, CHAT))


def test_x_posts_text_with_a_bearer_user_token():
    recorder = Recorder(httpx.Response(201, json={"data": {"id": "1860000000000000001", "text": "..."}}))
    channel = XChannel()
    draft = channel.render(article(), "yours", {"accept_cost": True})
    receipt = channel.publish(draft, context(recorder.client(), {"token": "x-user-token"}, {"accept_cost": True}))
    (sent,) = recorder.requests
    assert (sent.method, str(sent.url), json.loads(sent.content)) == ("POST", "https://api.x.com/2/tweets", {"text": draft.text})
    assert sent.headers["Authorization"] == "Bearer x-user-token"
    assert receipt.remote_url == "https://x.com/i/web/status/1860000000000000001"


def test_x_reconcile_matches_the_expanded_link():
    channel = XChannel()
    draft = channel.render(article(), "yours", {"accept_cost": True})
    recorder = Recorder(httpx.Response(200, json={"data": {"id": "42", "username": "yours"}}),
                        httpx.Response(200, json={"data": [{"id": "7", "text": "... https://t.co/abc",
                                                            "entities": {"urls": [{"expanded_url": draft.link}]}}]}))
    assert channel.reconcile(draft, context(recorder.client(), {"token": "t"}, {})).remote_id == "7"
    assert recorder.requests[1].url.params["tweet.fields"] == "entities"
