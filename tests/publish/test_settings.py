"""extra.site_builder.publish: every mistake at once, in Korean, naming the key."""

from __future__ import annotations

import pytest

from site_builder.errors import ConfigError
from site_builder.publish.settings import parse_publish_settings


def test_every_mistake_is_reported_at_once_naming_the_key():
    raw = {
        "kinds": ["interview", "podcast"],
        "newsletters": "yes",
        "kit_overdue_days": -1,
        "colour": "blue",
        "channels": {
            "mastodon": {"accounts": {"yours": {"token": "abc"}}},
            "myspace": {"accounts": {"a": {}}},
            "bluesky": {"daily_cap": 0, "accounts": {}},
            "telegram": {"accounts": {"news": {"token_expires": "next year"}}},
        },
    }
    with pytest.raises(ConfigError) as caught:
        parse_publish_settings(raw, {"mastodon", "bluesky", "telegram"})
    lines = str(caught.value).splitlines()
    p = "mkdocs.yml: extra.site_builder.publish"
    assert lines == [
        f"{p}.colour: 알 수 없는 설정입니다 — 쓸 수 있는 키: channels, expiry_warning_days, kinds, kit_overdue_days, "
        "live_check, max_wait_seconds, newsletters, utm",
        f"{p}.kinds: 알 수 없는 종류 podcast — 쓸 수 있는 값: interview, column, meeting, feature, cardnews, video, "
        "infographic",
        f"{p}.newsletters: true 또는 false여야 합니다",
        f"{p}.kit_overdue_days: 0 이상의 숫자여야 합니다 — 예: kit_overdue_days: 3",
        f"{p}.channels.mastodon.accounts.yours.token: 비밀 값은 mkdocs.yml에 적지 마세요 — 환경 변수나 저장소 밖 "
        "파일에 두세요(docs/publishing.md)",
        f"{p}.channels.myspace: 알 수 없는 채널입니다 — 쓸 수 있는 채널: bluesky, mastodon, telegram",
        f"{p}.channels.bluesky.daily_cap: 1 이상의 정수여야 합니다",
        f"{p}.channels.bluesky.accounts: 계정이 하나 이상 있어야 합니다 — 예: accounts: {{yours: {{}}}}",
        f"{p}.channels.telegram.accounts.news.token_expires: 날짜가 아닙니다 — 2027-03-01처럼 쓰세요",
    ]


def test_account_options_merge_channel_options_and_carry_utm():
    settings = parse_publish_settings({
        "kinds": ["interview", "cardnews"], "newsletters": True, "utm": {"medium": "social", "campaign": "yours"},
        "channels": {"mastodon": {"visibility": "public", "kinds": ["cardnews"],
                                  "accounts": {"yours": {"instance": "https://social.example"}}},
                     "telegram": {"accounts": {"news": None}}}})
    mastodon, telegram = settings.accounts
    assert mastodon.options == {"visibility": "public", "instance": "https://social.example",
                                "utm": {"utm_source": "mastodon", "utm_medium": "social", "utm_campaign": "yours"}}
    assert mastodon.kinds == ("cardnews",)
    assert telegram.kinds == ("interview", "cardnews", "newsletter")
    assert telegram.daily_cap is None


def test_the_repository_mkdocs_yml_is_valid():
    from site_builder.config import load_config
    from site_builder.publish.settings import load_publish_settings

    from .conftest import REPO

    load_publish_settings(load_config(REPO))


def test_newsletters_web_versions_are_posts_when_configured(tmp_path):
    import shutil

    from site_builder.catalog import load_catalog
    from site_builder.publish.plan import iter_planned, tasks

    from .conftest import FIXED_NOW, REPO

    project = tmp_path / "nl"
    shutil.copytree(REPO / "tests" / "newsletter" / "fixtures" / "site", project)
    catalog = load_catalog(project, now=FIXED_NOW)
    settings = parse_publish_settings({"kinds": [], "newsletters": True,
                                       "channels": {"telegram": {"accounts": {"news": {}}}}})
    planned, problems = iter_planned(catalog, settings)
    assert problems == []
    letters = [p for p in planned if p.post.kind == "newsletter"]
    assert [p.post.id for p in letters] == ["newsletter-first-letter", "newsletter-partner-event"]
    first = letters[0].post
    assert first.url == "https://yours.example.org/newsletter/first-letter/"
    assert first.kind_label == "뉴스레터" and letters[0].live_marker == first.title
    assert [t.key for t in tasks(planned, settings)] == [(p.post.id, "telegram", "news") for p in planned]
    assert all(p.post.kind == "newsletter" for p in planned)
