"""WebSub (formerly PubSubHubbub) publisher pings for `site-builder build --ping`."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from ..catalog import Catalog
from .entries import iter_feeds
from .settings import feed_settings

if TYPE_CHECKING:  # httpx is imported by ping_hub only: a build that does not ping never loads it
    import httpx


class HubError(Exception):
    """Some hubs did not take a ping; carries one line per failure and what did succeed."""

    def __init__(self, failures: list[str], notified: list[str]):
        self.failures = failures
        self.notified = notified
        super().__init__("\n".join(failures))


def changed_feed_urls(catalog: Catalog) -> list[str]:
    """Return the URLs of every feed whose newest entry is within feeds.ping_window_days of now (0: all)."""
    settings = feed_settings(catalog.config)
    since = catalog.now - timedelta(days=settings.ping_window_days)
    urls = []
    for feed in iter_feeds(catalog, settings):
        if settings.ping_window_days == 0 or feed.updated >= since:
            urls += [feed.url(fmt) for fmt in feed.paths]
    return urls


def ping_hub(catalog: Catalog, client: httpx.Client) -> list[str]:
    """Tell each configured hub which feeds changed; return the feed URLs notified.

    One form POST (hub.mode=publish, hub.url=<feed>) per hub and feed, as hubs expect. Every
    ping is tried; failures are raised together afterwards as HubError."""
    import httpx

    settings = feed_settings(catalog.config)
    if not settings.hubs:
        return []
    notified: list[str] = []
    failures: list[str] = []
    for topic in changed_feed_urls(catalog):
        ok = True
        for hub in settings.hubs:
            try:
                response = client.post(hub, data={"hub.mode": "publish", "hub.url": topic})
            except httpx.HTTPError as exc:
                failures.append(f"pinging hub {hub} for {topic}: {type(exc).__name__}: {exc}")
                ok = False
                continue
            if not response.is_success:
                reason = response.reason_phrase or ""
                body = response.text.strip().splitlines()[0][:200] if response.text.strip() else ""
                failures.append(f"pinging hub {hub} for {topic}: {response.status_code} {reason}"
                                + (f" — {body}" if body else ""))
                ok = False
        if ok:
            notified.append(topic)
    if failures:
        raise HubError(failures, notified)
    return notified
