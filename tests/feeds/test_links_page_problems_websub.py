"""Autodiscovery links, the 구독 page, `check`'s feed problems and WebSub pings."""

from __future__ import annotations

import re
from urllib.parse import parse_qs

import httpx
import pytest

from site_builder.errors import format_problems
from site_builder.feeds import HubError, feed_links, feed_problems, feeds_page_markdown, ping_hub
from site_builder.render.contributions import HeadLink

from .conftest import NOW, load


# -- autodiscovery ---------------------------------------------------------------------

def test_every_page_links_the_site_feeds_atom_first(catalog, feeds):
    assert feed_links(catalog) == [
        HeadLink("유어스 전체 글 (Atom)", "atom.xml", "application/atom+xml"),
        HeadLink("유어스 전체 글 (RSS)", "feed.xml", "application/rss+xml"),
        HeadLink("유어스 전체 글 (JSON Feed)", "feed.json", "application/feed+json"),
    ]


def test_a_listing_page_also_links_its_own_feeds_which_exist(catalog, feeds):
    agenda = catalog.listing("agenda", "safety")
    links = feed_links(catalog, agenda)
    assert links[3:] == [
        HeadLink("유어스 의제: 안전 (Atom)", "feeds/agenda/safety.atom.xml", "application/atom+xml"),
        HeadLink("유어스 의제: 안전 (RSS)", "feeds/agenda/safety.rss.xml", "application/rss+xml"),
    ]
    for listing in catalog.listings():
        assert all(link.href in feeds for link in feed_links(catalog, listing))
    assert feed_links(catalog, catalog.listing("kind", "video"))[-1].href == "feeds/kind/video.json"


# -- the 구독 page -----------------------------------------------------------------------

def test_feeds_page_lists_every_feed_with_root_relative_links(catalog, feeds):
    page = feeds_page_markdown(catalog)
    targets = re.findall(r"\]\((/[^)]*)\)", page)
    feed_targets = {t.lstrip("/") for t in targets if t.endswith((".xml", ".json"))}
    assert feed_targets == set(feeds)
    assert all(t.startswith("/") for t in targets)
    assert "| [카드뉴스](/cardnews/) | 종류 '카드뉴스'의 글 전체 1개 |" in page
    assert "[Atom](/feeds/agenda/welfare.atom.xml)" in page
    assert "WebSub 허브(https://hub.example.net/)" in page
    assert not page.startswith("#")  # the site adapter gives the page its title


def test_feeds_page_puts_a_caption_paragraph_before_every_table(catalog):
    blocks = feeds_page_markdown(catalog).split("\n\n")
    tables = [i for i, block in enumerate(blocks) if block.startswith("| ")]
    assert len(tables) == 7  # site + six facets
    for index in tables:
        assert blocks[index - 1].startswith("표: "), blocks[index - 1]


# -- check ---------------------------------------------------------------------------

def test_a_clean_site_has_no_feed_problems(catalog):
    assert feed_problems(catalog) == []


def test_reports_a_cover_that_went_missing_after_loading(site):
    catalog = load(site)
    (site / "content/images/youth-union-cover.png").unlink()
    assert format_problems(feed_problems(catalog)) == (
        "1. content/interview/2018-10-05-youth-union.md:10: cover: 이미지 파일 'images/youth-union-cover.png'가 "
        "없어 피드의 첨부(enclosure)에 넣을 수 없습니다 — content/images/youth-union-cover.png에 파일을 넣거나 경로를 고치세요")


def test_reports_a_missing_card_image_at_its_slide(site):
    catalog = load(site)
    (site / "content/images/cardnews/what-is-yg-02.png").unlink()
    [problem] = feed_problems(catalog)
    assert (problem.path, problem.line, problem.field) == (
        "content/cardnews/2018-10-20-what-is-youth-government.md", 13, "slides[2].image")


def test_warns_about_broken_links_future_updates_and_svg_covers(site):
    interview = site / "content/interview/2018-10-05-youth-union.md"
    interview.write_text(interview.read_text(encoding="utf-8").replace(
        "../column/2018-10-12-generation-balance.md", "../column/2018-10-12-no-such-column.md"), encoding="utf-8")
    column = site / "content/column/2018-10-12-generation-balance.md"
    column.write_text(column.read_text(encoding="utf-8").replace("updated: 2018-10-20", "updated: 2019-05-01"),
                      encoding="utf-8")
    (site / "content/images/cover.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>', encoding="utf-8")
    meeting = site / "content/meeting/2018-11-05-first-small-meeting.md"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace(
        "when:", "cover: images/cover.svg\ncover_alt: 스페이스노아 2층 회의실 도면\nwhen:"), encoding="utf-8")
    # `check` itself now stops at the broken link (an error at its line); the feeds' own check still
    # sees it in a catalog built past that error, as a warning of what the feed would carry.
    from site_builder.catalog import build_catalog, check_content
    from site_builder.config import load_config

    config = load_config(site)
    loaded, found = check_content(config, now=NOW)
    assert [(p.path, p.field) for p in found if p.is_error] == [("content/interview/2018-10-05-youth-union.md", "body")]
    problems = feed_problems(build_catalog(config, loaded, now=NOW))
    assert [(p.path, p.field, p.severity) for p in problems] == [
        ("content/column/2018-10-12-generation-balance.md", "updated", "warning"),
        ("content/interview/2018-10-05-youth-union.md", "body", "warning"),
        ("content/meeting/2018-11-05-first-small-meeting.md", "cover", "warning"),
    ]
    assert "../column/2018-10-12-no-such-column.md" not in problems[1].message
    assert "2018-10-12-no-such-column.md" in problems[1].message
    assert "피드 리더 대부분에서 보이지 않습니다" in problems[2].message


def test_reports_bad_feed_settings_against_mkdocs_yml(site):
    config = site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("listing_limit: 20", "listing_limit: many")
                      .replace("hub: https://hub.example.net/", "hub: hub.example.net"), encoding="utf-8")
    catalog = load(site)
    messages = [str(p) for p in feed_problems(catalog)]
    assert messages == [
        "mkdocs.yml:1: extra.site_builder.feeds.hub: WebSub 허브 주소 'hub.example.net'이 올바르지 않습니다 — "
        "https://pubsubhubbub.appspot.com/ 처럼 전체 주소를 쓰세요",
        "mkdocs.yml:1: extra.site_builder.feeds.listing_limit: 'many'는 글 수가 아닙니다 — "
        "1 이상의 숫자나 all(전체)을 쓰세요",
    ]


# -- WebSub ----------------------------------------------------------------------------

class Recorder:
    """An httpx transport handler that records each request and answers with a fixed status."""

    def __init__(self, status: int = 204, fail_for: str = ""):
        self.requests: list[httpx.Request] = []
        self.status = status
        self.fail_for = fail_for

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        form = parse_qs(request.content.decode())
        if self.fail_for and self.fail_for in form["hub.url"][0]:
            return httpx.Response(503, text="hub is resting\nmore")
        return httpx.Response(self.status)


def test_ping_notifies_the_hub_of_every_recently_changed_feed(catalog):
    recorder = Recorder()
    with httpx.Client(transport=httpx.MockTransport(recorder)) as client:
        # the newest entry is from 2018-11-05; a build two days later still pings its feeds
        from dataclasses import replace
        from datetime import datetime

        from site_builder.config import KST
        recent = replace(catalog, now=datetime(2018, 11, 6, 9, 0, tzinfo=KST))
        notified = ping_hub(recent, client)
    forms = [parse_qs(r.content.decode()) for r in recorder.requests]
    assert {r.url for r in recorder.requests} == {httpx.URL("https://hub.example.net/")}
    assert all(r.method == "POST" and r.headers["content-type"] == "application/x-www-form-urlencoded"
               for r in recorder.requests)
    assert all(f["hub.mode"] == ["publish"] for f in forms)
    topics = [f["hub.url"][0] for f in forms]
    assert topics == notified
    assert topics[:3] == ["https://yours.example.org/atom.xml", "https://yours.example.org/feed.xml",
                          "https://yours.example.org/feed.json"]
    assert "https://yours.example.org/feeds/kind/meeting.atom.xml" in topics
    assert "https://yours.example.org/feeds/kind/interview.atom.xml" not in topics  # unchanged since October


def test_ping_without_recent_changes_or_without_hub_sends_nothing(catalog, site):
    recorder = Recorder()
    with httpx.Client(transport=httpx.MockTransport(recorder)) as client:
        assert ping_hub(catalog, client) == []  # newest entry is two months old on 2019-01-01
        config = site / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8").replace("      hub: https://hub.example.net/\n", ""),
                          encoding="utf-8")
        assert ping_hub(load(site), client) == []
    assert recorder.requests == []


def test_ping_failures_name_the_hub_and_feed_after_trying_every_feed(site):
    config = site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("id_date:", "ping_window_days: 0\n      id_date:"),
                      encoding="utf-8")
    catalog = load(site)
    recorder = Recorder(fail_for="feed.json")
    with httpx.Client(transport=httpx.MockTransport(recorder)) as client, pytest.raises(HubError) as caught:
        ping_hub(catalog, client)
    assert str(caught.value).splitlines() == [
        "pinging hub https://hub.example.net/ for https://yours.example.org/feed.json: 503 Service Unavailable"
        " — hub is resting"]
    assert len(caught.value.notified) == len(recorder.requests) - 1 > 40


def test_ping_reports_an_unreachable_hub(catalog):
    from dataclasses import replace
    from datetime import datetime

    from site_builder.config import KST

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    recent = replace(catalog, now=datetime(2018, 11, 5, 12, 0, tzinfo=KST))
    with httpx.Client(transport=httpx.MockTransport(refuse)) as client, pytest.raises(HubError) as caught:
        ping_hub(recent, client)
    assert caught.value.notified == []
    assert caught.value.failures[0] == ("pinging hub https://hub.example.net/ for https://yours.example.org/atom.xml:"
                                        " ConnectError: connection refused")


def test_the_feeds_contribution_hands_the_site_the_files_the_page_and_head_links(catalog, feeds):
    from site_builder.feeds import feeds_contribution

    contribution = feeds_contribution(catalog)
    assert contribution.files == feeds
    [page] = contribution.pages
    assert (page.path, page.title, page.markdown) == ("feeds/", "피드 구독", feeds_page_markdown(catalog))
    listing = catalog.listing("kind", "cardnews")
    assert [(l.title, l.href, l.mime) for l in contribution.head_links(listing)] == [
        ("유어스 전체 글 (Atom)", "atom.xml", "application/atom+xml"),
        ("유어스 전체 글 (RSS)", "feed.xml", "application/rss+xml"),
        ("유어스 전체 글 (JSON Feed)", "feed.json", "application/feed+json"),
        ("유어스 종류: 카드뉴스 (Atom)", "feeds/kind/cardnews.atom.xml", "application/atom+xml"),
        ("유어스 종류: 카드뉴스 (RSS)", "feeds/kind/cardnews.rss.xml", "application/rss+xml"),
        ("유어스 종류: 카드뉴스 (JSON Feed)", "feeds/kind/cardnews.json", "application/feed+json")]
    assert feeds_contribution(catalog, with_files=False).files == {}
