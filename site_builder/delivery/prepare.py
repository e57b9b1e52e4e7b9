"""From a loaded issue and the site's settings to what the composer needs (the only place that knows both)."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from ..config import SiteConfig
from ..newsletter import Issue, NewsletterSettings, RenderedIssue
from ..subscribers import service_base_url
from .compose import IssueMail
from .settings import DeliverySettings


def issue_mail(config: SiteConfig, issue: Issue, rendered: RenderedIssue, settings: DeliverySettings) -> IssueMail:
    """Return the IssueMail for one rendered issue: sender, list, links and return path from mkdocs.yml."""
    news = NewsletterSettings.from_config(config)
    domain = news.sender_address.rpartition("@")[2]
    sender_id = settings.feedback_sender_id or news.list_id.split(".")[0]
    return IssueMail.from_rendered(
        rendered,
        issue_id=str(issue.number),
        sender_name=news.sender_name,
        sender_address=news.sender_address,
        reply_to=news.reply_to,
        list_name=news.name,
        list_id=news.list_id,
        feedback_id=f"{issue.number}:newsletter:{sender_id}",
        web_url=config.absolute_url(issue.url),
        service_url=service_base_url(config),
        return_path=settings.return_path or f"bounce@{domain}",
        question_id=issue.feedback.id if issue.feedback else None,
        answers=len(issue.feedback.answers) if issue.feedback else 0,
        default_name=settings.default_name,
    )


def unsafe_link_reason(url: str) -> str | None:
    """Return why recipients could not use `url` (List-Unsubscribe, preferences, answers), or None.

    A loopback host (127.0.0.0/8, ::1, localhost) points at the recipient's own computer; plain
    http:// sends the signed unsubscribe token in clear, and Gmail and Yahoo want https for
    one-click unsubscribe (RFC 8058)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".").lower()
    loopback = host == "localhost" or host.endswith(".localhost")
    try:
        loopback = loopback or ipaddress.ip_address(host).is_loopback or ipaddress.ip_address(host).is_unspecified
    except ValueError:
        pass
    if loopback:
        return f"{url} 은(는) 받는 사람 자신의 컴퓨터(루프백)를 가리킵니다"
    if parts.scheme != "https":
        return f"{url} 은(는) https가 아닙니다 (수신거부 토큰이 암호화 없이 오가고, Gmail·Yahoo의 원클릭 수신거부는 https를 요구합니다)"
    return None


__all__ = ["issue_mail", "unsafe_link_reason"]
