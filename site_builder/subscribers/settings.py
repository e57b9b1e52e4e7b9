"""Typed settings for the subscription service, from extra.site_builder.subscriptions in mkdocs.yml."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from ..config import KINDS, Office, SiteConfig
from ..errors import ConfigError
from ..signup import DEFAULT_AD_NOTICE, advertising_of

DEFAULT_NOTICE = {
    "purpose": "유어스 뉴스레터(청년자치정부 준비 소식, 새 기사 안내, 의견 조사) 발송",
    "items": "이메일 주소(필수), 이름 또는 별명(선택), 관심 주제(선택)",
    "retention": "구독을 해지하거나 동의일로부터 2년이 지날 때까지(2년마다 다시 동의를 받으며, 답이 없으면 파기)",
    "refusal": "동의를 거부할 수 있으며, 거부하면 뉴스레터를 받을 수 없습니다. 그 밖의 불이익은 없습니다.",
}


# (key path, default, lowest, highest, what it is): every integer setting and the range it must fall in.
_INT_SETTINGS: tuple[tuple[tuple[str, ...], int, int, int, str], ...] = (
    (("max_body_bytes",), 16 * 1024, 1024, 1024 * 1024, "요청 본문 최대 크기(바이트)"),
    (("rate_limits", "per_address_mails_per_day"), 3, 1, 50, "주소 하나에 하루 보내는 안내 메일 수"),
    (("rate_limits", "per_ip_requests_per_hour"), 30, 1, 10000, "IP 하나의 시간당 요청 수"),
    (("links", "confirm_hours"), 48, 1, 720, "구독 확인 링크의 유효 시간(시간)"),
    (("links", "unsubscribe_days"), 1096, 30, 3653, "수신거부 링크의 유효 기간(일)"),
    (("links", "preferences_days"), 365, 1, 3653, "구독 설정 링크의 유효 기간(일)"),
    (("links", "answer_days"), 365, 1, 3653, "의견 답 링크의 유효 기간(일)"),
    (("reconsent", "remind_after_months"), 23, 1, 23, "재동의 메일을 보내는 때(개월)"),
    (("reconsent", "expire_after_months"), 24, 2, 24, "재동의가 없을 때 파기하는 때(개월, 법정 2년 이내)"),
    (("pending_purge_days",), 7, 1, 90, "확인하지 않은 신청을 지우는 때(일)"),
    (("withdrawn_purge_days",), 30, 0, 365, "수신거부한 사람의 정보를 지우는 때(일)"),
)
_BOOL_SETTINGS: tuple[tuple[tuple[str, ...], bool], ...] = (
    (("reconsent", "enabled"), True), (("notify_withdrawal",), False),
)
_WHERE = "mkdocs.yml: extra.site_builder.subscriptions"


def _lookup(raw: dict, path: tuple[str, ...]) -> tuple[bool, Any]:
    node: Any = raw
    for key in path:
        if not isinstance(node, dict) or key not in node or node[key] is None:
            return False, None
        node = node[key]
    return True, node


def _validated(raw: dict) -> tuple[dict[tuple[str, ...], Any], list[str]]:
    """Return the integer and true/false settings by key path, and a Korean line for each bad one."""
    values: dict[tuple[str, ...], Any] = {}
    problems: list[str] = []
    for group in ("rate_limits", "links", "reconsent", "advertising"):
        if raw.get(group) is not None and not isinstance(raw[group], dict) and not (
                group == "advertising" and raw[group] is False):
            problems.append(f"{_WHERE}.{group}: '{raw[group]}'은(는) 키와 값의 묶음이 아닙니다 — "
                            f"docs/subscribers.md의 표처럼 {group}: {{키: 값}}으로 쓰세요")
    for path, default, lo, hi, what in _INT_SETTINGS:
        found, value = _lookup(raw, path)
        values[path] = default
        if not found:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            problems.append(f"{_WHERE}.{'.'.join(path)}: {value!r}은(는) 쓸 수 없습니다 — {what}: "
                            f"{lo}부터 {hi}까지의 정수로 쓰세요")
        else:
            values[path] = value
    for path, default in _BOOL_SETTINGS:
        found, value = _lookup(raw, path)
        values[path] = default
        if found and not isinstance(value, bool):
            problems.append(f"{_WHERE}.{'.'.join(path)}: {value!r}은(는) 참/거짓 값이 아닙니다 — true 또는 false로 쓰세요")
        elif found:
            values[path] = value
    remind, expire = values[("reconsent", "remind_after_months")], values[("reconsent", "expire_after_months")]
    if remind >= expire:
        problems.append(f"{_WHERE}.reconsent.remind_after_months: {remind}은(는) expire_after_months({expire})보다 "
                        "작아야 합니다 — 재동의 메일은 파기 전에 가야 합니다 (예: 23과 24)")
    return values, problems


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
    # None: no advertising consent is collected, and `newsletter check` refuses advertising issues
    ad_consent_version: str | None = None
    accepted_ad_consent_versions: tuple[str, ...] = ()
    ad_notice: dict = field(default_factory=lambda: dict(DEFAULT_AD_NOTICE))

    @property
    def origins(self) -> frozenset[str]:
        """Origins a cross-site signup POST may come from: the site, the service, and any configured."""
        return frozenset({origin_of(self.site_url), origin_of(self.base_url), *map(origin_of, self.allowed_origins)})

    @property
    def confirm_lifetime(self) -> timedelta:
        return timedelta(hours=self.confirm_hours)

    def is_accepted_version(self, version: str) -> bool:
        return version == self.consent_version or version in self.accepted_consent_versions

    def is_accepted_ad_version(self, version: str) -> bool:
        return self.ad_consent_version is not None and (
            version == self.ad_consent_version or version in self.accepted_ad_consent_versions)

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
        values, problems = _validated(raw)
        if problems:
            raise ConfigError("\n".join(problems))
        v = lambda *path: values[path]  # noqa: E731
        ad_version, ad_accepted, ad_notice = advertising_of(raw)
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
                max_body_bytes=v("max_body_bytes"),
                per_address_mails_per_day=v("rate_limits", "per_address_mails_per_day"),
                per_ip_requests_per_hour=v("rate_limits", "per_ip_requests_per_hour"),
                confirm_hours=v("links", "confirm_hours"),
                unsubscribe_link_days=v("links", "unsubscribe_days"),
                preferences_link_days=v("links", "preferences_days"),
                answer_link_days=v("links", "answer_days"),
                reconsent_enabled=v("reconsent", "enabled"),
                reconsent_remind_months=v("reconsent", "remind_after_months"),
                reconsent_expire_months=v("reconsent", "expire_after_months"),
                pending_purge_days=v("pending_purge_days"),
                withdrawn_purge_days=v("withdrawn_purge_days"),
                notify_withdrawal=v("notify_withdrawal"),
                ad_consent_version=ad_version,
                accepted_ad_consent_versions=ad_accepted,
                ad_notice=ad_notice,
            )
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{_WHERE}: {exc}") from None


def topics_of(config: SiteConfig) -> dict[str, str]:
    """Return every topic a reader may follow: kind:*, series:*, agenda:* with Korean labels."""
    topics = {f"kind:{k}": name for k, name in KINDS.items()}
    topics |= {f"series:{t.id}": t.name for t in config.series}
    topics |= {f"agenda:{t.id}": t.name for t in config.agenda}
    return topics
