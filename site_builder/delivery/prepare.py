"""From a loaded issue and the site's settings to what the composer needs (the only place that knows both)."""

from __future__ import annotations

from ..config import SiteConfig
from ..newsletter import Issue, NewsletterSettings, RenderedIssue
from ..subscribers.links import service_base_url
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


__all__ = ["issue_mail"]
