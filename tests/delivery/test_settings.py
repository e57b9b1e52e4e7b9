"""Delivery settings from mkdocs.yml: every wrong-typed, out-of-range or unknown key reported at once, in Korean."""

from __future__ import annotations

import pytest

from site_builder.cli import main
from site_builder.config import load_config
from site_builder.delivery import DeliverySettings
from site_builder.settingscheck import SettingsError

from .conftest import project_copy


def _settings(tmp_path, yaml: str) -> DeliverySettings:
    root = project_copy(tmp_path)
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    # replace the delivery section project_copy wrote with the one under test
    head = text[:text.index("    delivery:\n")]
    (root / "mkdocs.yml").write_text(head + "    delivery:\n" + yaml, encoding="utf-8")
    return DeliverySettings.from_config(load_config(root), env={})


def test_valid_settings_are_read_with_their_types(tmp_path):
    s = _settings(tmp_path, "      connections: 8\n      rate_per_second: 12.5\n"
                            "      retry: {first_seconds: 60, give_up_hours: 24, connect_attempts: 2}\n"
                            "      require_proof: false\n")
    assert (s.connections, s.rate, s.require_proof) == (8, 12.5, False)
    assert s.policy.first.total_seconds() == 60 and s.policy.give_up.total_seconds() == 24 * 3600
    assert s.policy.connect_attempts == 2


def test_every_bad_value_is_reported_at_once_naming_its_key(tmp_path):
    with pytest.raises(SettingsError) as caught:
        _settings(tmp_path, "      connections: 100\n      batch: many\n      rate_per_second: -1\n"
                            "      retry: {first_seconds: 0, factor: 2, give_up_hours: true, wait: 5}\n"
                            "      require_proof: 'yes'\n      return_path: not-an-address\n      conections: 4\n")
    p = "mkdocs.yml: extra.site_builder.delivery"
    assert caught.value.problems == [
        f"{p}.retry.first_seconds: 0은(는) 쓸 수 있는 범위를 벗어났습니다 — 1에서 86400 사이로 쓰세요",
        f"{p}.retry.give_up_hours: True은(는) 수가 아닙니다 — 1에서 720 사이의 수를 쓰세요",
        f"{p}.retry.wait: 알 수 없는 설정입니다 — 철자를 확인하세요 (쓸 수 있는 키: connect_attempts, factor, "
        "first_seconds, give_up_hours, longest_seconds, wait_seconds)",
        f"{p}.connections: 100은(는) 쓸 수 있는 범위를 벗어났습니다 — 1에서 64 사이로 쓰세요",
        f"{p}.batch: 'many'은(는) 정수가 아닙니다 — 1에서 1000 사이의 정수를 쓰세요",
        f"{p}.rate_per_second: -1은(는) 쓸 수 있는 범위를 벗어났습니다 — 0에서 10000 사이로 쓰세요 (0은 제한 없음)",
        f"{p}.return_path: 'not-an-address'은(는) 메일 주소로 쓸 수 없습니다: 올바른 이메일 주소가 아닙니다: "
        "An email address must have an @-sign. — name@example.org 처럼 쓰세요",
        f"{p}.require_proof: 'yes'은(는) 참/거짓 값이 아닙니다 — true 또는 false 로 쓰세요",
        f"{p}.conections: 알 수 없는 설정입니다 — 철자를 확인하세요 (쓸 수 있는 키: batch, connections, default_name, "
        "dkim, feedback_sender_id, outbox, rate_per_second, require_proof, retry, return_path)",
    ]
    assert str(caught.value).startswith("mkdocs.yml의 설정 9개를 고치세요:\n1. mkdocs.yml: ")


def test_the_longest_retry_interval_cannot_be_shorter_than_the_first(tmp_path):
    with pytest.raises(SettingsError, match=r"retry.longest_seconds: 10초가 first_seconds\(60초\)보다 짧습니다"):
        _settings(tmp_path, "      retry: {first_seconds: 60, longest_seconds: 10}\n")


def test_the_cli_prints_the_problems_in_korean_without_a_traceback(tmp_path, capsys, monkeypatch):
    root = project_copy(tmp_path, "      connections: 0\n      batch: 2000\n")
    monkeypatch.setenv("SITE_BUILDER_SECRET", "x" * 40)
    monkeypatch.delenv("SITE_BUILDER_SMTP_URL", raising=False)
    assert main(["--root", str(root), "newsletter", "send", "1", "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert "설정 오류: mkdocs.yml의 설정 2개를 고치세요:" in err
    assert "1. mkdocs.yml: extra.site_builder.delivery.connections: 0은(는) 쓸 수 있는 범위를 벗어났습니다" in err
    assert "2. mkdocs.yml: extra.site_builder.delivery.batch: 2000은(는)" in err
    assert "Traceback" not in err


def test_check_reports_bad_delivery_and_newsletter_settings_before_sending_day(tmp_path, capsys):
    root = project_copy(tmp_path, "      rate_per_second: fast\n")
    text = (root / "mkdocs.yml").read_text(encoding="utf-8").replace("      list_id: letter.yours.example.org",
                                                                    "      list_id: letter.yours.example.org\n"
                                                                    "      subject_max: 1000")
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")
    assert main(["--root", str(root), "check"]) == 2
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "설정 오류: mkdocs.yml의 설정 2개를 고치세요:",
        "1. mkdocs.yml: extra.site_builder.newsletter.subject_max: 1000은(는) 쓸 수 있는 범위를 벗어났습니다 — "
        "10에서 150 사이로 쓰세요",
        "2. mkdocs.yml: extra.site_builder.delivery.rate_per_second: 'fast'은(는) 수가 아닙니다 — "
        "0에서 10000 사이의 수를 쓰세요",
    ]


def test_default_name_is_held_to_the_subscriber_stores_limit_for_names(tmp_path):
    from site_builder.subscribers.models import Subscriber

    limit = Subscriber.__table__.c.name.type.length
    assert _settings(tmp_path / "ok", f"      default_name: {'가' * limit}\n").default_name == "가" * limit
    with pytest.raises(SettingsError, match=rf"delivery.default_name: {limit + 1}자로 깁니다 — {limit}자 이하로 쓰세요"):
        _settings(tmp_path / "long", f"      default_name: {'가' * (limit + 1)}\n")
