"""Keys, signed link tokens and keyed hashes. Everything derives from SITE_BUILDER_SECRET."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone

ENV_SECRET = "SITE_BUILDER_SECRET"
MIN_SECRET_LENGTH = 32


class MissingSecret(RuntimeError):
    """SITE_BUILDER_SECRET is unset or too short."""


class BadToken(ValueError):
    """A token that is forged, malformed, of another purpose, or expired (`expired` tells which)."""

    def __init__(self, reason: str, *, expired: bool = False):
        self.expired = expired
        super().__init__(reason)


def secret_from_env(env: dict[str, str] | None = None) -> bytes:
    """Return SITE_BUILDER_SECRET as bytes, or raise MissingSecret (never prints the value)."""
    env = os.environ if env is None else env
    value = env.get(ENV_SECRET, "")
    if len(value) < MIN_SECRET_LENGTH:
        raise MissingSecret(
            f"{ENV_SECRET} is {'unset' if not value else 'too short'}: set it to at least "
            f"{MIN_SECRET_LENGTH} random characters, e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )
    return value.encode()


def _key(secret: str | bytes, label: str) -> bytes:
    # one derived key per use, so a token of one kind can never stand for another
    raw = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(raw, b"site_builder/" + label.encode(), hashlib.sha256).digest()


def address_hash(secret: str | bytes, normalised_address: str) -> str:
    """Return the keyed hash (HMAC-SHA256, hex) that stands for an address on the suppression list."""
    return hmac.new(_key(secret, "address"), normalised_address.encode(), hashlib.sha256).hexdigest()


def keyed_hash(secret: str | bytes, label: str, value: str) -> str:
    """Return a keyed hash of value for label (rate-limit keys, confirmation token hashes)."""
    return hmac.new(_key(secret, label), value.encode(), hashlib.sha256).hexdigest()


def new_confirmation_token() -> str:
    """Return a fresh random token (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class LinkClaims:
    """What a verified link token says."""

    purpose: str
    subscriber_id: int
    fields: tuple
    expires_at: datetime


def sign_link(secret: str | bytes, purpose: str, subscriber_id: int, fields: tuple, expires_at: datetime) -> str:
    """Return an opaque token `payload.mac` binding purpose, subscriber, extra fields and expiry."""
    payload = json.dumps([purpose, int(subscriber_id), list(fields), int(expires_at.timestamp())],
                         separators=(",", ":"), ensure_ascii=False).encode()
    mac = hmac.new(_key(secret, "link/" + purpose), payload, hashlib.sha256).digest()[:16]
    return f"{_b64(payload)}.{_b64(mac)}"


def verify_link(secret: str | bytes, token: str, purpose: str, now: datetime) -> LinkClaims:
    """Return the claims of a genuine, unexpired token of purpose; raise BadToken otherwise."""
    if not token or len(token) > 600 or token.count(".") != 1:
        raise BadToken("malformed")
    body, mac = token.split(".")
    try:
        payload, given = _unb64(body), _unb64(mac)
    except (ValueError, TypeError):
        raise BadToken("malformed") from None
    expected = hmac.new(_key(secret, "link/" + purpose), payload, hashlib.sha256).digest()[:16]
    if not hmac.compare_digest(expected, given):
        raise BadToken("signature")
    try:
        got_purpose, sid, fields, exp = json.loads(payload)
    except (ValueError, TypeError):
        raise BadToken("malformed") from None
    if got_purpose != purpose:
        raise BadToken("purpose")
    expires_at = datetime.fromtimestamp(int(exp), timezone.utc)
    if now >= expires_at:
        raise BadToken("expired", expired=True)
    return LinkClaims(purpose, int(sid), tuple(fields), expires_at)


def sign_csrf(secret: str | bytes, subject: str, expires_at: datetime) -> str:
    """Return a CSRF token for a form the service serves, bound to subject (the page's link token)."""
    exp = str(int(expires_at.timestamp()))
    mac = hmac.new(_key(secret, "csrf"), f"{subject}|{exp}".encode(), hashlib.sha256).digest()[:16]
    return f"{exp}.{_b64(mac)}"


def verify_csrf(secret: str | bytes, subject: str, token: str, now: datetime) -> bool:
    """Return True if token is a current CSRF token for subject."""
    try:
        exp, mac = token.split(".")
        expected = hmac.new(_key(secret, "csrf"), f"{subject}|{exp}".encode(), hashlib.sha256).digest()[:16]
        return hmac.compare_digest(expected, _unb64(mac)) and now.timestamp() < int(exp)
    except (ValueError, TypeError, AttributeError):
        return False


def redact(token: str) -> str:
    """Return a token cut to its first 6 characters, for logs."""
    return (token[:6] + "…") if token else ""
