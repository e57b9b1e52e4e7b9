"""Subscription settings are checked with ranges, every bad key named at once in Korean; the form field limits
are one constant, written by the site's form and the service's pages and enforced by the service."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.config import load_config
from site_builder.errors import ConfigError
from site_builder.signup import MAX_ADDRESS, MAX_NAME
from site_builder.subscribers.settings import SubscriptionSettings

from .conftest import SITE_HEADERS, signup_form

REPO = Path(__file__).resolve().parents[2]


def project_with(tmp_path: Path, subscriptions: str) -> Path:
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    start = text.index("    subscriptions:\n")
    end = text.index("    feeds:\n")
    (tmp_path / "mkdocs.yml").write_text(text[:start] + subscriptions + text[end:], encoding="utf-8")
    return tmp_path


def settings_of(tmp_path, subscriptions: str) -> SubscriptionSettings:
    return SubscriptionSettings.from_config(load_config(project_with(tmp_path, subscriptions)))


def test_a_zero_hour_confirmation_link_is_refused_naming_the_key_and_the_range(tmp_path):
    with pytest.raises(ConfigError) as raised:
        settings_of(tmp_path, "    subscriptions:\n      url: http://127.0.0.1:8001\n      links: {confirm_hours: 0}\n")
    assert str(raised.value) == (
        "mkdocs.yml: extra.site_builder.subscriptions.links.confirm_hours: 0은(는) 쓸 수 없습니다 — "
        "구독 확인 링크의 유효 시간(시간): 1부터 720까지의 정수로 쓰세요")


def test_every_bad_setting_is_reported_at_once(tmp_path):
    with pytest.raises(ConfigError) as raised:
        settings_of(tmp_path, "    subscriptions:\n      url: http://127.0.0.1:8001\n"
                              "      rate_limits: {per_ip_requests_per_hour: -5, per_address_mails_per_day: '3'}\n"
                              "      reconsent: {enabled: 'yes', remind_after_months: 24}\n"
                              "      pending_purge_days: 1.5\n")
    assert str(raised.value).splitlines() == [
        "mkdocs.yml: extra.site_builder.subscriptions.rate_limits.per_address_mails_per_day: '3'은(는) 쓸 수 "
        "없습니다 — 주소 하나에 하루 보내는 안내 메일 수: 1부터 50까지의 정수로 쓰세요",
        "mkdocs.yml: extra.site_builder.subscriptions.rate_limits.per_ip_requests_per_hour: -5은(는) 쓸 수 "
        "없습니다 — IP 하나의 시간당 요청 수: 1부터 10000까지의 정수로 쓰세요",
        "mkdocs.yml: extra.site_builder.subscriptions.reconsent.remind_after_months: 24은(는) 쓸 수 없습니다 — "
        "재동의 메일을 보내는 때(개월): 1부터 23까지의 정수로 쓰세요",
        "mkdocs.yml: extra.site_builder.subscriptions.pending_purge_days: 1.5은(는) 쓸 수 없습니다 — "
        "확인하지 않은 신청을 지우는 때(일): 1부터 90까지의 정수로 쓰세요",
        "mkdocs.yml: extra.site_builder.subscriptions.reconsent.enabled: 'yes'은(는) 참/거짓 값이 아닙니다 — "
        "true 또는 false로 쓰세요",
    ]


def test_the_shipped_settings_are_valid_and_ask_for_the_advertising_consent():
    settings = SubscriptionSettings.from_config(load_config(REPO))
    assert settings.confirm_hours == 48 and settings.ad_consent_version == "2026-12"
    assert "광고성 정보" in settings.ad_notice["purpose"]


def test_without_an_advertising_block_no_advertising_consent_is_collected(tmp_path):
    settings = settings_of(tmp_path, "    subscriptions:\n      url: http://127.0.0.1:8001\n")
    assert settings.ad_consent_version is None and not settings.is_accepted_ad_version("")


def test_the_service_pages_use_the_services_field_limits():
    # the site's form is checked in chromium (tests/browser/test_subscriber_journey.py)
    from site_builder.subscribers.pages import signup_form_html

    page = signup_form_html(SubscriptionSettings(base_url="http://subs.test", site_url="https://yours.example.org/"))
    assert f'name="name" maxlength="{MAX_NAME}"' in page and f'name="email" required maxlength="{MAX_ADDRESS}"' in page


@pytest.mark.anyio
async def test_the_service_takes_a_name_of_the_limit_and_refuses_one_longer(client):
    ok = await client.post("/subscribe", data=signup_form("long@example.com", name="가" * MAX_NAME),
                           headers=SITE_HEADERS)
    assert ok.status_code == 200
    too_long = await client.post("/subscribe", data=signup_form("longer@example.com", name="가" * (MAX_NAME + 1)),
                                 headers=SITE_HEADERS)
    assert too_long.status_code == 400 and f"이름은 {MAX_NAME}자 이하로 써 주세요." in too_long.text
