"""Absolute, signed, expiring URLs that mails carry: unsubscribe, preferences, feedback answers."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from .tokens import sign_link

UNSUBSCRIBE_DAYS = 1096   # 3 years: an old mail's link still works
PREFERENCES_DAYS = 365
ANSWER_DAYS = 365

P_UNSUBSCRIBE, P_PREFERENCES, P_ANSWER, P_MANAGE = "unsubscribe", "preferences", "answer", "manage"


def service_base_url(config_or_base_url: Any) -> str:
    """Return the service's base URL from a SiteConfig, SubscriptionSettings or a string."""
    if isinstance(config_or_base_url, str):
        base = config_or_base_url
    elif hasattr(config_or_base_url, "base_url"):
        base = config_or_base_url.base_url
    elif hasattr(config_or_base_url, "section"):
        base = str(config_or_base_url.section("subscriptions").get("url") or "")
    else:
        raise TypeError("expected a SiteConfig, SubscriptionSettings or base URL string")
    if not base:
        raise ValueError("no subscriptions URL: set extra.site_builder.subscriptions.url in mkdocs.yml")
    return base.rstrip("/")


def _expiry(now: datetime | None, days: float) -> datetime:
    return (now or datetime.now(timezone.utc)) + timedelta(days=days)


def unsubscribe_url(
    config_or_base_url: Any, secret: str | bytes, subscriber_id: int, issue_id: str | int,
    *, now: datetime | None = None, days: float = UNSUBSCRIBE_DAYS,
) -> str:
    """Return the one-click unsubscribe URL (RFC 8058 POST target; a GET shows a button), valid 3 years."""
    token = sign_link(secret, P_UNSUBSCRIBE, subscriber_id, (str(issue_id),), _expiry(now, days))
    return f"{service_base_url(config_or_base_url)}/u/{token}"


def preferences_url(
    config_or_base_url: Any, secret: str | bytes, subscriber_id: int,
    *, now: datetime | None = None, days: float = PREFERENCES_DAYS,
) -> str:
    """Return the preferences page URL (topics, name, export, delete), valid 1 year."""
    token = sign_link(secret, P_PREFERENCES, subscriber_id, (), _expiry(now, days))
    return f"{service_base_url(config_or_base_url)}/preferences/{token}"


def answer_url(
    base: Any, secret: str | bytes, subscriber_id: int, issue_id: str | int, question_id: str, answer_index: int,
    *, now: datetime | None = None, days: float = ANSWER_DAYS,
) -> str:
    """Return the URL that records answer_index to question_id (a GET shows a button; POST records once)."""
    token = sign_link(
        secret, P_ANSWER, subscriber_id, (str(issue_id), str(question_id), int(answer_index)), _expiry(now, days)
    )
    return f"{service_base_url(base)}/a/{token}"


def manage_url(
    base: Any, secret: str | bytes, subscriber_id: int, *, now: datetime | None = None, hours: float = 24,
) -> str:
    """Return a short-lived link to the preferences page, mailed on a data-access request."""
    token = sign_link(secret, P_PREFERENCES, subscriber_id, ("manage",), _expiry(now, hours / 24))
    return f"{service_base_url(base)}/preferences/{token}"
