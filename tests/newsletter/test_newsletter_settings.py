"""Newsletter settings from mkdocs.yml: types and ranges checked, all problems at once, one sender name."""

from __future__ import annotations

import pytest

from site_builder.config import load_config
from site_builder.newsletter import NewsletterSettings
from site_builder.settingscheck import SettingsError

REPO_ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]


def _settings(project, newsletter: str, subscriptions: str = "") -> NewsletterSettings:
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    head = text[:text.index("    newsletter:\n")]
    (project / "mkdocs.yml").write_text(head + subscriptions + "    newsletter:\n" + newsletter, encoding="utf-8")
    return NewsletterSettings.from_config(load_config(project))


def test_every_bad_value_is_reported_at_once_naming_its_key(project):
    with pytest.raises(SettingsError) as caught:
        _settings(project, "      name: 유어스 레터\n      subject_max: 5\n      preheader_max: 50\n"
                           "      preheader_min: 60\n      max_html_kb: 500\n      list_id: 'letter yours'\n"
                           "      subscribe_url: /subscribe/\n      preview: {consent_date: '10월 1일'}\n"
                           "      feedback_form_url: 'https://x.example/?q={question}&n={number}'\n")
    p = "mkdocs.yml: extra.site_builder.newsletter"
    assert caught.value.problems == [
        f"{p}.list_id: 'letter yours'은(는) List-Id로 쓸 수 없습니다 — letter.yours.example.org 처럼 영문 소문자, "
        "숫자, 하이픈, 점으로 쓰세요 (RFC 2919)",
        f"{p}.subscribe_url: '/subscribe/'은(는) 웹 주소가 아닙니다 — https://로 시작하는 전체 주소를 쓰세요",
        f"{p}.feedback_form_url: 틀린 자리표시자가 있습니다 ('number') — {{issue}} {{question}} {{answer}} {{slug}} 만 "
        "쓸 수 있습니다",
        f"{p}.subject_max: 5은(는) 쓸 수 있는 범위를 벗어났습니다 — 10에서 150 사이로 쓰세요",
        f"{p}.preheader_min: 60이(가) preheader_max(50)보다 큽니다 — 최소 길이는 최대 길이 이하로 쓰세요",
        f"{p}.max_html_kb: 500은(는) 쓸 수 있는 범위를 벗어났습니다 — 10에서 102 사이로 쓰세요 "
        "(Gmail은 약 102KB를 넘는 메일을 자릅니다)",
        f"{p}.preview.consent_date: '10월 1일'은(는) 날짜가 아닙니다 — 2018-10-01 처럼 쓰세요",
    ]


def test_the_sender_comes_from_the_subscriptions_sender_when_the_newsletter_names_none(project):
    settings = _settings(project, "      name: 유어스 레터\n",
                         "    subscriptions:\n      sender: {name: 유어스, address: news@yours.example.org}\n")
    assert (settings.sender_name, settings.sender_address) == ("유어스", "news@yours.example.org")
    assert settings.name == "유어스 레터"


def test_two_different_sender_names_are_refused(project):
    with pytest.raises(SettingsError) as caught:
        _settings(project, "      from: {name: 유어스 뉴스레터, address: letter@yours.example.org}\n",
                  "    subscriptions:\n      sender: {name: 유어스, address: yours@example.org}\n")
    assert caught.value.problems == [
        "mkdocs.yml: extra.site_builder.newsletter.from.name: 보내는 사람 이름 '유어스 뉴스레터'이(가) "
        "subscriptions.sender.name '유어스'과(와) 다릅니다 — 구독 확인 메일과 뉴스레터가 같은 이름으로 가도록 "
        "한쪽을 지우거나 같게 쓰세요"]


def test_the_projects_own_settings_name_one_sender():
    config = load_config(REPO_ROOT)
    settings = NewsletterSettings.from_config(config)
    assert settings.sender_name == config.brand == "유어스"
    assert config.section("subscriptions")["sender"]["name"] == settings.sender_name
