"""What the signup form asks, read from mkdocs.yml: the field limits and the optional advertising consent.

Neutral ground (like config.py): the subscription service enforces these, the site's form
(themes/sb-subscribe.html) and the service's pages write them, and the newsletter check reads whether
advertising consent is collected, without any of those outputs importing another.
"""

from __future__ import annotations

# Field limits of the signup and preferences forms: the service enforces them, the service's pages and the
# site's form (themes/sb-subscribe.html, through signup_form_data) write them as maxlength.
MAX_ADDRESS = 254   # RFC 5321 path limit
MAX_NAME = 60

# The separate, optional consent to advertising (정보통신망법 제50조): what the reader is told at the checkbox.
DEFAULT_AD_NOTICE = {
    "purpose": "유어스와 함께하는 기관·단체의 행사, 상품, 서비스를 알리는 광고성 정보를 뉴스레터로 보내 드립니다",
    "items": "이메일 주소(뉴스레터 구독 정보와 같은 주소)",
    "retention": "광고성 정보 수신 동의를 철회하거나 구독을 해지할 때까지",
    "refusal": "선택 사항입니다. 동의하지 않아도 뉴스레터는 그대로 받으시며, 광고성 정보가 담긴 호만 받지 않습니다. "
               "구독 설정에서 언제든 철회할 수 있습니다.",
}


def advertising_of(raw: dict) -> tuple[str | None, tuple[str, ...], dict]:
    """Return (consent version or None when advertising consent is not collected, older accepted versions,
    notice texts) from the raw subscriptions section."""
    ad = raw.get("advertising")
    if not isinstance(ad, dict) or not ad.get("consent_version"):
        return None, (), dict(DEFAULT_AD_NOTICE)
    notice = dict(DEFAULT_AD_NOTICE) | {k: str(v) for k, v in (ad.get("notice") or {}).items()}
    return str(ad["consent_version"]), tuple(str(v) for v in ad.get("accepted_versions") or ()), notice


def signup_form_data(raw: dict) -> dict:
    """Return what the site's signup form (themes/sb-subscribe.html) needs besides the raw section: the field
    limits the service enforces and the advertising consent (version and notice, or None)."""
    version, _accepted, notice = advertising_of(raw or {})
    return {"max_name": MAX_NAME, "max_address": MAX_ADDRESS,
            "advertising": {"consent_version": version, "notice": notice} if version else None}


__all__ = ["DEFAULT_AD_NOTICE", "MAX_ADDRESS", "MAX_NAME", "advertising_of", "signup_form_data"]
