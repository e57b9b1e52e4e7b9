"""Typed newsletter settings from extra.site_builder.newsletter in mkdocs.yml (every key optional)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from ..config import SiteConfig
from ..errors import ConfigError


@dataclass(frozen=True)
class Utm:
    """UTM tags added to links that point at the site (never to other hosts or placeholders)."""

    source: str = "newsletter"
    medium: str = "email"
    campaign: str = "issue-{number}"  # {number} and {slug} are filled per issue


@dataclass(frozen=True)
class NewsletterSettings:
    """What the newsletter renderer and the preview need; built with from_config()."""

    name: str
    site_url: str
    sender_name: str
    sender_address: str
    reply_to: str | None
    list_id: str  # RFC 2919 list id, e.g. letter.yours.example.org
    subscribe_url: str  # the signup page (a form once the subscription service exists)
    feedback_form_url: str  # web version / until the service exists: {issue} {question} {answer} {slug}
    theme_dir: Path
    subject_max: int = 40
    preheader_max: int = 90
    preheader_min: int = 10
    max_html_bytes: int = 90 * 1024
    utm: Utm | None = field(default_factory=Utm)
    preview_name: str = "미리보기"
    preview_address: str = "preview@example.org"
    preview_consent_date: date = date(2018, 10, 1)

    @property
    def site_host(self) -> str:
        return urlsplit(self.site_url).hostname or ""

    @classmethod
    def from_config(cls, config: SiteConfig) -> "NewsletterSettings":
        """Read extra.site_builder.newsletter; fall back to the subscriptions section and the office."""
        raw = config.section("newsletter")
        subs = config.section("subscriptions")
        sender = raw.get("from") or subs.get("sender") or {}
        if not isinstance(sender, dict):
            raise ConfigError("mkdocs.yml: extra.site_builder.newsletter.from: expected {name, address}")
        utm_raw = raw.get("utm", {})
        utm = None
        if utm_raw not in (False, None):
            if not isinstance(utm_raw, dict):
                raise ConfigError("mkdocs.yml: extra.site_builder.newsletter.utm: expected a mapping or false")
            utm = Utm(source=str(utm_raw.get("source", "newsletter")), medium=str(utm_raw.get("medium", "email")),
                      campaign=str(utm_raw.get("campaign", "issue-{number}")))
        preview = raw.get("preview") or {}
        host = urlsplit(config.site_url).hostname or "example.org"
        subscribe_url = str(raw.get("subscribe_url") or config.absolute_url("subscribe/"))
        try:
            consent = preview.get("consent_date", date(2018, 10, 1))
            consent = consent if isinstance(consent, date) else date.fromisoformat(str(consent))
            return cls(
                name=str(raw.get("name") or f"{config.brand} 뉴스레터"),
                site_url=config.site_url,
                sender_name=str(sender.get("name") or config.brand),
                sender_address=str(sender.get("address") or config.office.email or f"newsletter@{host}"),
                reply_to=str(raw.get("reply_to") or config.office.email or "") or None,
                list_id=str(raw.get("list_id") or f"newsletter.{host}"),
                subscribe_url=subscribe_url,
                feedback_form_url=str(raw.get("feedback_form_url") or subscribe_url),
                theme_dir=config.root / str(raw.get("theme_dir") or "themes/newsletter"),
                subject_max=int(raw.get("subject_max", 40)),
                preheader_max=int(raw.get("preheader_max", 90)),
                preheader_min=int(raw.get("preheader_min", 10)),
                max_html_bytes=int(float(raw.get("max_html_kb", 90)) * 1024),
                utm=utm,
                preview_name=str(preview.get("name") or "미리보기"),
                preview_address=str(preview.get("address") or f"preview@{host}"),
                preview_consent_date=consent,
            )
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"mkdocs.yml: extra.site_builder.newsletter: {exc}") from None

    def feedback_url(self, issue_number: int, slug: str, question: str, answer: int) -> str:
        """Return the configured form's URL for one answer (used on the web and until the service exists)."""
        try:
            return self.feedback_form_url.format(issue=issue_number, slug=slug, question=question, answer=answer)
        except (KeyError, IndexError, ValueError) as exc:
            raise ConfigError(f"mkdocs.yml: extra.site_builder.newsletter.feedback_form_url: {exc}") from None
