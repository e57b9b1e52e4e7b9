"""Every network's "wait" and "stop" signals, normalised into the channel errors."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import httpx
import pytest

from site_builder.publish.channel import AuthExpired, Permanent, RateLimited, Transient
from site_builder.publish.signals import parse_reset, parse_retry_after, raise_for_status, request, wait_seconds

NOW = datetime(2026, 12, 1, 15, 0, 0, tzinfo=timezone.utc)
now = lambda: NOW


def rate_limited(response: httpx.Response, network: str = "bluesky") -> RateLimited:
    with pytest.raises(RateLimited) as raised:
        raise_for_status(response, network, "글 올리기", now)
    return raised.value


def test_retry_after_in_seconds_and_as_an_http_date():
    assert parse_retry_after("120", now) == 120
    assert parse_retry_after("Tue, 01 Dec 2026 15:00:45 GMT", now) == 45
    assert parse_retry_after("Tue, 01 Dec 2026 14:00:00 GMT", now) == 0     # already past
    assert parse_retry_after("soon", now) is None


def test_reset_as_epoch_seconds_delta_or_iso_8601():
    assert parse_reset(str(int(NOW.timestamp()) + 90), now) == 90
    assert parse_reset("30", now) == 30
    assert parse_reset("2026-12-01T15:05:00.000Z", now) == 300
    assert parse_reset("2026-12-01T16:05:00+01:00", now) == 300


def test_bluesky_429_with_retry_after():
    assert rate_limited(httpx.Response(429, headers={"Retry-After": "17"}, json={"error": "RateLimitExceeded"})).retry_after == 17


def test_bluesky_429_with_epoch_ratelimit_reset():
    response = httpx.Response(429, headers={"RateLimit-Limit": "3000", "RateLimit-Remaining": "0",
                                            "RateLimit-Reset": str(int(NOW.timestamp()) + 600)},
                              json={"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"})
    error = rate_limited(response)
    assert error.retry_after == 600
    assert str(error) == "bluesky 글 올리기: 요청이 너무 많습니다 — 600초 뒤에 다시 시도합니다 (RateLimitExceeded: Rate Limit Exceeded)"


def test_x_429_with_epoch_x_rate_limit_reset():
    response = httpx.Response(429, headers={"x-rate-limit-reset": str(int(NOW.timestamp()) + 840)}, json={"title": "Too Many Requests"})
    assert rate_limited(response, "x").retry_after == 840


def test_mastodon_429_with_iso_x_ratelimit_reset():
    response = httpx.Response(429, headers={"X-RateLimit-Reset": "2026-12-01T15:02:00.123456Z"})
    assert rate_limited(response, "mastodon").retry_after == pytest.approx(120.123456)


def test_telegram_429_with_retry_after_in_the_body():
    response = httpx.Response(429, json={"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 23",
                                         "parameters": {"retry_after": 23}})
    error = rate_limited(response, "telegram")
    assert error.retry_after == 23
    assert "Too Many Requests: retry after 23" in str(error)


def test_meta_throttling_code_with_business_use_case_minutes():
    usage = {"1234567890": [{"type": "pages", "call_count": 100, "total_cputime": 40, "total_time": 60,
                             "estimated_time_to_regain_access": 7}]}
    response = httpx.Response(400, headers={"X-Business-Use-Case-Usage": json.dumps(usage)},
                              json={"error": {"message": "(#80001) There have been too many calls to this Page account.",
                                              "type": "OAuthException", "code": 80001}})
    assert rate_limited(response, "facebook").retry_after == 7 * 60


def test_meta_app_usage_at_100_percent_waits_an_hour():
    response = httpx.Response(400, headers={"X-App-Usage": '{"call_count":100,"total_cputime":12,"total_time":30}'},
                              json={"error": {"message": "(#4) Application request limit reached", "code": 4}})
    assert rate_limited(response, "instagram").retry_after == 3600


def test_429_without_any_signal_waits_a_minute():
    assert rate_limited(httpx.Response(429)).retry_after == 60


@pytest.mark.parametrize("response, network", [
    (httpx.Response(401, json={"error": "The access token is invalid"}), "mastodon"),
    (httpx.Response(400, json={"error": "ExpiredToken", "message": "Token has expired"}), "bluesky"),
    (httpx.Response(400, json={"error": {"message": "Error validating access token: Session has expired",
                                         "type": "OAuthException", "code": 190, "error_subcode": 463}}), "facebook"),
    (httpx.Response(401, json={"ok": False, "error_code": 401, "description": "Unauthorized"}), "telegram"),
    (httpx.Response(403, json={"ok": False, "error_code": 403, "description": "Forbidden: bot is not a member of the channel chat"}), "telegram"),
])
def test_expired_or_revoked_tokens_stop_the_channel(response, network):
    with pytest.raises(AuthExpired):
        raise_for_status(response, network, "글 올리기", now)


def test_5xx_is_transient_and_4xx_permanent():
    with pytest.raises(Transient):
        raise_for_status(httpx.Response(502), "threads", "게시하기", now)
    with pytest.raises(Permanent) as raised:
        raise_for_status(httpx.Response(400, json={"error": {"message": "THREADS_API__LINK_LIMIT_EXCEEDED", "code": 100}}),
                         "threads", "게시하기", now)
    assert str(raised.value) == "threads 게시하기: 요청이 거절되었습니다 (HTTP 400) (THREADS_API__LINK_LIMIT_EXCEEDED)"


def test_a_network_error_is_transient_and_never_shows_the_url_with_the_bot_token():
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"connection refused to {request.url}", request=request)

    with httpx.Client(transport=httpx.MockTransport(refuse)) as http, pytest.raises(Transient) as raised:
        request(http, "POST", "https://api.telegram.org/bot123456:SECRET-bot-token/sendMessage",
                network="telegram", action="메시지 보내기")
    assert "SECRET" not in str(raised.value) and "123456" not in str(raised.value)
    assert raised.value.__cause__ is None and raised.value.__suppress_context__
    assert str(raised.value) == "telegram 메시지 보내기: 네트워크 오류 (ConnectError) — 다음 실행에서 다시 시도합니다"


def test_wait_seconds_is_none_without_a_signal():
    assert wait_seconds(httpx.Response(503), now) is None
