"""Typed newsletter settings from extra.site_builder.newsletter in mkdocs.yml (every key optional)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from ..config import SiteConfig
from ..errors import ConfigError
from ..mail.message import NAME_MAX, check_address
from ..settingscheck import SettingsReader

# RFC 2919 list-id: a dot-atom of ASCII labels.
_LIST_ID = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+", re.IGNORECASE)


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
        read = SettingsReader("extra.site_builder.newsletter", raw)
        host = urlsplit(config.site_url).hostname or "example.org"
        name = read.text("name", f"{config.brand} 뉴스레터", max_length=60)
        # One sender for every mail of the list: newsletter.from, else subscriptions.sender (the
        # confirmation and re-consent mails); both may be given only if they name the same sender.
        sender = read.section("from")
        shared = subs.get("sender") if isinstance(subs.get("sender"), dict) else {}
        default_name = str(shared.get("name") or config.brand)
        default_address = str(shared.get("address") or config.office.email or f"newsletter@{host}")
        sender_name = sender.text("name", default_name, max_length=60)
        sender_address = sender.address("address", default_address, check_address)
        sender.unknown(["name", "address"])
        if shared.get("name") and sender.has("name") and sender_name != str(shared["name"]).strip():
            sender.add("name", f"보내는 사람 이름 '{sender_name}'이(가) subscriptions.sender.name "
                               f"'{shared['name']}'과(와) 다릅니다",
                       "구독 확인 메일과 뉴스레터가 같은 이름으로 가도록 한쪽을 지우거나 같게 쓰세요")
        reply_to = read.address("reply_to", config.office.email or "", check_address) or None
        list_id = read.text("list_id", f"newsletter.{host}", max_length=200)
        if not _LIST_ID.fullmatch(list_id):
            read.add("list_id", f"'{list_id}'은(는) List-Id로 쓸 수 없습니다",
                     "letter.yours.example.org 처럼 영문 소문자, 숫자, 하이픈, 점으로 쓰세요 (RFC 2919)")
        subscribe_url = read.url("subscribe_url", config.absolute_url("subscribe/"))
        feedback_form_url = read.text("feedback_form_url", "", max_length=2000) or subscribe_url
        try:
            feedback_form_url.format(issue=1, slug="s", question="q", answer=1)
        except (KeyError, IndexError, ValueError) as exc:
            read.add("feedback_form_url", f"틀린 자리표시자가 있습니다 ({exc})",
                     "{issue} {question} {answer} {slug} 만 쓸 수 있습니다")
        utm = None
        utm_raw = raw.get("utm", {})
        read.used.add("utm")
        if utm_raw not in (False, None):
            u = SettingsReader("extra.site_builder.newsletter.utm", utm_raw, read.problems)
            utm = Utm(source=u.text("source", "newsletter", max_length=100),
                      medium=u.text("medium", "email", max_length=100),
                      campaign=u.text("campaign", "issue-{number}", max_length=100))
            u.unknown(["source", "medium", "campaign"])
        theme_dir = read.text("theme_dir", "themes/newsletter", max_length=500)
        # Subjects count characters, '(광고) ' included: Korean mail apps show about 20–40 of them.
        subject_max = read.integer("subject_max", 40, 10, 150)
        preheader_max = read.integer("preheader_max", 90, 20, 300)
        preheader_min = read.integer("preheader_min", 10, 0, 300)
        if preheader_min > preheader_max:
            read.add("preheader_min", f"{preheader_min}이(가) preheader_max({preheader_max})보다 큽니다",
                     "최소 길이는 최대 길이 이하로 쓰세요")
            preheader_min = min(10, preheader_max)
        max_html_kb = read.number("max_html_kb", 90, 10, 102, "Gmail은 약 102KB를 넘는 메일을 자릅니다")
        preview = read.section("preview")
        preview_name = preview.text("name", "미리보기", max_length=NAME_MAX)
        preview_address = preview.address("address", f"preview@{host}", check_address)
        consent = preview.day("consent_date", date(2018, 10, 1))
        preview.unknown(["name", "address", "consent_date"])
        read.unknown(["name", "from", "reply_to", "list_id", "subscribe_url", "feedback_form_url", "utm",
                      "theme_dir", "subject_max", "preheader_max", "preheader_min", "max_html_kb", "preview"])
        read.done()
        return cls(
            name=name, site_url=config.site_url, sender_name=sender_name, sender_address=sender_address,
            reply_to=reply_to, list_id=list_id, subscribe_url=subscribe_url, feedback_form_url=feedback_form_url,
            theme_dir=config.root / theme_dir, subject_max=subject_max, preheader_max=preheader_max,
            preheader_min=preheader_min, max_html_bytes=int(max_html_kb * 1024), utm=utm,
            preview_name=preview_name, preview_address=preview_address, preview_consent_date=consent,
        )

    def feedback_url(self, issue_number: int, slug: str, question: str, answer: int) -> str:
        """Return the configured form's URL for one answer (used on the web and until the service exists)."""
        try:
            return self.feedback_form_url.format(issue=issue_number, slug=slug, question=question, answer=answer)
        except (KeyError, IndexError, ValueError) as exc:
            raise ConfigError(f"mkdocs.yml: extra.site_builder.newsletter.feedback_form_url: 틀린 자리표시자가 있습니다 "
                              f"({exc}) — {{issue}} {{question}} {{answer}} {{slug}} 만 쓸 수 있습니다") from None
