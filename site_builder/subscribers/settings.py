"""Typed settings for the subscription service, from extra.site_builder.subscriptions in mkdocs.yml."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlsplit

from ..config import KINDS, Office, SiteConfig
from ..errors import ConfigError

DEFAULT_NOTICE = {
    "purpose": "유어스 뉴스레터(청년자치정부 준비 소식, 새 기사 안내, 의견 조사) 발송",
    "items": "이메일 주소(필수), 이름 또는 별명(선택), 관심 주제(선택)",
    "retention": "구독을 해지하거나 동의일로부터 2년이 지날 때까지(2년마다 다시 동의를 받으며, 답이 없으면 파기)",
    "refusal": "동의를 거부할 수 있으며, 거부하면 뉴스레터를 받을 수 없습니다. 그 밖의 불이익은 없습니다.",
}


def origin_of(url: str) -> str:
    """Return scheme://host[:port] of url, lower-cased, default ports dropped."""
    parts = urlsplit(url.strip())
    scheme = (parts.scheme or "").lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        return f"{scheme}://{host}:{port}"
    return f"{scheme}://{host}"


@dataclass(frozen=True)
class SubscriptionSettings:
    """Everything the service needs; built by from_config() or directly in tests."""

    base_url: str                       # the service's public URL, e.g. https://subscribe.example.org
    site_url: str                       # the static site (the signup form lives there)
    brand: str = "유어스"
    office: Office = field(default_factory=lambda: Office(name="", address=""))
    sender_name: str = "유어스"
    sender_address: str = "newsletter@example.org"
    reply_to: str | None = None
    consent_version: str = "1"
    accepted_consent_versions: tuple[str, ...] = ()
    privacy_url: str = ""
    notice: dict = field(default_factory=lambda: dict(DEFAULT_NOTICE))
    topics: dict[str, str] = field(default_factory=dict)   # topic id -> Korean label
    allowed_origins: tuple[str, ...] = ()
    trusted_proxies: tuple[str, ...] = ()
    max_body_bytes: int = 16 * 1024
    per_address_mails_per_day: int = 3
    per_ip_requests_per_hour: int = 30
    confirm_hours: int = 48
    unsubscribe_link_days: int = 1096    # 3 years: old mails get clicked
    preferences_link_days: int = 365
    answer_link_days: int = 365
    manage_link_hours: int = 24
    csrf_minutes: int = 120
    reconsent_enabled: bool = True
    reconsent_remind_months: int = 23
    reconsent_expire_months: int = 24
    pending_purge_days: int = 7
    withdrawn_purge_days: int = 30
    notify_withdrawal: bool = False

    @property
    def origins(self) -> frozenset[str]:
        """Origins a cross-site signup POST may come from: the site, the service, and any configured."""
        return frozenset({origin_of(self.site_url), origin_of(self.base_url), *map(origin_of, self.allowed_origins)})

    @property
    def confirm_lifetime(self) -> timedelta:
        return timedelta(hours=self.confirm_hours)

    def is_accepted_version(self, version: str) -> bool:
        return version == self.consent_version or version in self.accepted_consent_versions

    @classmethod
    def from_config(cls, config: SiteConfig) -> "SubscriptionSettings":
        """Read extra.site_builder.subscriptions (every key optional except url)."""
        raw = config.section("subscriptions")
        url = str(raw.get("url") or "").rstrip("/")
        if not url:
            raise ConfigError(
                "mkdocs.yml: extra.site_builder.subscriptions.url: missing — the public address of "
                "`site-builder serve-subscriptions`, e.g. http://127.0.0.1:8001"
            )
        sender = raw.get("sender") or {}
        limits = raw.get("rate_limits") or {}
        links = raw.get("links") or {}
        reconsent = raw.get("reconsent") or {}
        notice = dict(DEFAULT_NOTICE) | {k: str(v) for k, v in (raw.get("notice") or {}).items()}
        try:
            return cls(
                base_url=url,
                site_url=config.site_url,
                brand=config.brand,
                office=config.office,
                sender_name=str(sender.get("name") or config.brand),
                sender_address=str(sender.get("address") or config.office.email or "newsletter@example.org"),
                reply_to=str(sender.get("reply_to")) if sender.get("reply_to") else (config.office.email or None),
                consent_version=str(raw.get("consent_version") or "1"),
                accepted_consent_versions=tuple(str(v) for v in raw.get("accepted_consent_versions") or ()),
                privacy_url=str(raw.get("privacy_url") or ""),
                notice=notice,
                topics=topics_of(config),
                allowed_origins=tuple(str(o) for o in raw.get("allowed_origins") or ()),
                trusted_proxies=tuple(str(p) for p in raw.get("trusted_proxies") or ()),
                max_body_bytes=int(raw.get("max_body_bytes", 16 * 1024)),
                per_address_mails_per_day=int(limits.get("per_address_mails_per_day", 3)),
                per_ip_requests_per_hour=int(limits.get("per_ip_requests_per_hour", 30)),
                confirm_hours=int(links.get("confirm_hours", 48)),
                unsubscribe_link_days=int(links.get("unsubscribe_days", 1096)),
                preferences_link_days=int(links.get("preferences_days", 365)),
                answer_link_days=int(links.get("answer_days", 365)),
                reconsent_enabled=bool(reconsent.get("enabled", True)),
                reconsent_remind_months=int(reconsent.get("remind_after_months", 23)),
                reconsent_expire_months=int(reconsent.get("expire_after_months", 24)),
                pending_purge_days=int(raw.get("pending_purge_days", 7)),
                withdrawn_purge_days=int(raw.get("withdrawn_purge_days", 30)),
                notify_withdrawal=bool(raw.get("notify_withdrawal", False)),
            )
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"mkdocs.yml: extra.site_builder.subscriptions: {exc}") from None


def topics_of(config: SiteConfig) -> dict[str, str]:
    """Return every topic a reader may follow: kind:*, series:*, agenda:* with Korean labels."""
    topics = {f"kind:{k}": name for k, name in KINDS.items()}
    topics |= {f"series:{t.id}": t.name for t in config.series}
    topics |= {f"agenda:{t.id}": t.name for t in config.agenda}
    return topics
