"""What each network says when it wants us to wait, or stop, turned into the channel errors.

Every network signals "too many requests" its own way; `wait_seconds` normalises all of them into
seconds from now (the core then decides whether to sleep or to store `next_retry_at`):

- `Retry-After`: seconds, or an HTTP date (RFC 9110) — Bluesky, Discord, most HTTP servers;
- `RateLimit-Reset`: epoch seconds on Bluesky's PDS (the IETF draft uses a delta; both are read);
- `x-rate-limit-reset`: epoch seconds (X);
- `X-RateLimit-Reset`: an ISO-8601 time (Mastodon);
- Telegram: `{"ok": false, "error_code": 429, "parameters": {"retry_after": 23}}` in the body;
- Meta: `X-Business-Use-Case-Usage` / `X-Ad-Account-Usage` `estimated_time_to_regain_access`
  in **minutes**; `X-App-Usage` gives percentages only (100 means throttled, about an hour).

`raise_for_status` maps a response to `RateLimited`, `AuthExpired`, `Transient` or `Permanent`,
and `request` turns httpx's network errors into `Transient`. Messages never contain a URL,
header or body excerpt that could carry a token (Telegram puts the bot token in the URL path).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Callable

import httpx

from site_builder.publish.channel import AuthExpired, Permanent, RateLimited, Transient

Clock = Callable[[], datetime]
DEFAULT_WAIT = 60.0          # a 429 with no usable signal: wait a minute
META_THROTTLED_WAIT = 3600.0  # X-App-Usage at 100% without an estimate: Meta's window is one hour
_EPOCH_THRESHOLD = 1_000_000_000  # a reset value this large is an epoch time, not a delta


def _utc_now(now: Clock | None) -> datetime:
    return now() if now is not None else datetime.now(timezone.utc)


def _as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def parse_retry_after(value: str, now: Clock | None = None) -> float | None:
    """Return the seconds a `Retry-After` value asks for (seconds or an HTTP date), None if unreadable."""
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, (_as_utc(moment) - _as_utc(_utc_now(now))).total_seconds())


def parse_reset(value: str, now: Clock | None = None) -> float | None:
    """Return seconds until a reset given as epoch seconds, a delta in seconds, or an ISO-8601 time."""
    value = value.strip()
    try:
        number = float(value)
    except ValueError:
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return max(0.0, (_as_utc(moment) - _as_utc(_utc_now(now))).total_seconds())
    if number >= _EPOCH_THRESHOLD:
        return max(0.0, number - _as_utc(_utc_now(now)).timestamp())
    return max(0.0, number)


def meta_usage_wait(headers: httpx.Headers) -> float | None:
    """Return the wait Meta's usage headers ask for, in seconds (their estimate is in minutes)."""
    longest: float | None = None
    for name in ("x-business-use-case-usage", "x-ad-account-usage"):
        raw = headers.get(name)
        if not raw:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        entries = [data] if isinstance(data, dict) and "estimated_time_to_regain_access" in data else [
            item for value in (data.values() if isinstance(data, dict) else []) for item in
            (value if isinstance(value, list) else [value]) if isinstance(item, dict)]
        for entry in entries:
            minutes = entry.get("estimated_time_to_regain_access")
            if isinstance(minutes, (int, float)) and minutes > 0:
                longest = max(longest or 0.0, float(minutes) * 60.0)
    if longest is not None:
        return longest
    raw = headers.get("x-app-usage")
    if raw:
        try:
            usage = json.loads(raw)
        except ValueError:
            return None
        if isinstance(usage, dict) and any(isinstance(v, (int, float)) and v >= 100 for v in usage.values()):
            return META_THROTTLED_WAIT
    return None


def _json(response: httpx.Response) -> dict:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def wait_seconds(response: httpx.Response, now: Clock | None = None) -> float | None:
    """Return how long the network asks us to wait, in seconds, from any of its signals; None if none."""
    headers = response.headers
    if "retry-after" in headers:
        seconds = parse_retry_after(headers["retry-after"], now)
        if seconds is not None:
            return seconds
    parameters = _json(response).get("parameters")
    if isinstance(parameters, dict) and isinstance(parameters.get("retry_after"), (int, float)):
        return float(parameters["retry_after"])   # Telegram
    for name in ("ratelimit-reset", "x-rate-limit-reset", "x-ratelimit-reset"):
        if name in headers:
            seconds = parse_reset(headers[name], now)
            if seconds is not None:
                return seconds
    return meta_usage_wait(headers)


def is_rate_limited(response: httpx.Response) -> bool:
    """Return True if the response says "too many requests" (429, or Meta's throttling codes)."""
    if response.status_code == 429:
        return True
    error = _json(response).get("error")
    if isinstance(error, dict) and error.get("code") in META_THROTTLING_CODES:
        return True
    return False


# Meta: 4 app limit, 17 user limit, 32 page limit, 613 calls per hour, 80001.. BUC limits.
META_THROTTLING_CODES = {4, 17, 32, 613, 80001, 80002, 80003, 80004, 80005, 80006, 80008, 80014}
# Meta: 190 invalid/expired token, 102 session, 10/200-299 permission revoked.
META_AUTH_CODES = {190, 102, 10}
# Bluesky (XRPC) error names that mean the session or app password is no longer valid.
ATPROTO_AUTH_ERRORS = {"ExpiredToken", "InvalidToken", "AuthenticationRequired", "AccountTakedown",
                       "AuthFactorTokenRequired"}


def _detail(response: httpx.Response) -> str:
    """Return the network's own short error text (never the URL or headers, which may hold a token)."""
    data = _json(response)
    error = data.get("error")
    if isinstance(error, dict):
        return str(error.get("message") or error.get("type") or "")[:200]
    if isinstance(error, str):
        message = data.get("message") or data.get("error_description") or ""
        return f"{error}: {message}"[:200] if message else error[:200]
    return str(data.get("description") or data.get("detail") or data.get("title") or "")[:200]


def raise_for_status(response: httpx.Response, network: str, action: str, now: Clock | None = None) -> None:
    """Raise the channel error a failed response means; return quietly on success (2xx)."""
    status = response.status_code
    if 200 <= status < 300:
        return
    detail = _detail(response)
    said = f" ({detail})" if detail else ""
    where = f"{network} {action}"
    if is_rate_limited(response):
        wait = wait_seconds(response, now)
        wait = DEFAULT_WAIT if wait is None else wait
        raise RateLimited(f"{where}: 요청이 너무 많습니다 — {wait:.0f}초 뒤에 다시 시도합니다{said}", wait)
    error = _json(response).get("error")
    code = error.get("code") if isinstance(error, dict) else None
    xrpc = error if isinstance(error, str) else ""
    if (status == 401 or code in META_AUTH_CODES or (isinstance(code, int) and 200 <= code < 300)
            or xrpc in ATPROTO_AUTH_ERRORS):
        raise AuthExpired(f"{where}: 토큰이 만료되었거나 취소되었습니다{said} — 새 토큰을 발급해 환경 변수에 넣으세요")
    if status == 403 and network == "telegram":
        raise AuthExpired(f"{where}: 봇이 채널에 글을 쓸 권한이 없습니다{said} — 봇을 채널 관리자로 다시 추가하세요")
    if status >= 500:
        raise Transient(f"{where}: 서버 오류 {status}{said} — 다음 실행에서 다시 시도합니다")
    raise Permanent(f"{where}: 요청이 거절되었습니다 (HTTP {status}){said}")


def send(http: httpx.Client, method: str, url: str, *, network: str, action: str, **kwargs) -> httpx.Response:
    """Send one request and return the reply whatever its status; raise Transient for network errors."""
    try:
        return http.request(method, url, **kwargs)
    except httpx.TransportError as error:
        # The exception text can contain the URL (Telegram: the bot token); name only its type.
        raise Transient(f"{network} {action}: 네트워크 오류 ({type(error).__name__}) — 다음 실행에서 다시 시도합니다") from None


def request(http: httpx.Client, method: str, url: str, *, network: str, action: str,
            now: Clock | None = None, **kwargs) -> httpx.Response:
    """Send one request; raise Transient for network errors and the mapped error for a failed reply."""
    response = send(http, method, url, network=network, action=action, **kwargs)
    raise_for_status(response, network, action, now)
    return response
