"""The relay's one settings reader: SITE_BUILDER_SMTP_URL, with a clear error for every bad value."""

from __future__ import annotations

import pytest

from site_builder.mail import SmtpSettings, smtp_settings_from_env


def test_a_full_url_is_read_and_the_password_is_never_shown():
    s = SmtpSettings.from_url("smtp://user%40x:p%40ss@mail.example.org:587?starttls=1&timeout=5&helo=news"
                              "&cafile=/etc/relay.pem&pipelining=0")
    assert (s.host, s.port, s.username, s.password, s.starttls, s.implicit_tls) == (
        "mail.example.org", 587, "user@x", "p@ss", True, False)
    assert (s.timeout, s.helo, s.ca_file, s.pipelining) == (5.0, "news", "/etc/relay.pem", False)
    assert "p@ss" not in repr(s) and "user@x" in repr(s)


def test_defaults_follow_the_scheme():
    plain, tls = SmtpSettings.from_url("smtp://relay"), SmtpSettings.from_url("smtps://relay")
    assert (plain.port, plain.implicit_tls, plain.starttls, plain.timeout, plain.pipelining) == (25, False, False, 30, True)
    assert (tls.port, tls.implicit_tls, tls.starttls) == (465, True, False)


def test_no_url_means_the_outbox():
    assert smtp_settings_from_env({}) is None
    assert smtp_settings_from_env({"SITE_BUILDER_SMTP_URL": " "}) is None
    assert smtp_settings_from_env({"SITE_BUILDER_SMTP_URL": "smtp://relay:2525"}).port == 2525


@pytest.mark.parametrize("url, says", [
    ("http://example.org", "'http'은(는) 쓸 수 없습니다 — smtp:// 나 smtps:// 로 쓰세요"),
    ("smtp://", "호스트가 없습니다 — smtp://호스트:포트 로 쓰세요"),
    ("smtp://user:hunter2@relay:99999", "포트가 1에서 65535 사이의 수가 아닙니다"),
    ("smtp://user:hunter2@relay:port", "포트가 1에서 65535 사이의 수가 아닙니다"),
    ("smtp://user:hunter2@relay?timeout=soon", "timeout='soon'은(는) 초가 아닙니다"),
    ("smtp://user:hunter2@relay?starttls=maybe", "starttls='maybe'은(는) 켬/끔이 아닙니다"),
    ("smtp://user:hunter2@relay?startls=1", "알 수 없는 설정 startls"),
])
def test_an_unusable_url_names_the_variable_and_the_fix_without_the_password(url, says):
    with pytest.raises(ValueError) as info:
        smtp_settings_from_env({"SITE_BUILDER_SMTP_URL": url})
    message = str(info.value)
    assert message.startswith("SITE_BUILDER_SMTP_URL: ") and says in message
    assert "hunter2" not in message
