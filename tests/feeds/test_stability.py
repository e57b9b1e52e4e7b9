"""Feeds are stable: same content gives the same bytes, ids survive renames, nothing unpublished leaks."""

from __future__ import annotations

import json
from datetime import datetime

import feedparser

from site_builder.config import KST
from site_builder.feeds import render_feeds

from .conftest import load


def _ids(data: bytes) -> list[str]:
    return [e.id for e in feedparser.parse(data).entries]


def test_two_builds_without_changes_give_byte_identical_feeds(site):
    first = render_feeds(load(site))
    second = render_feeds(load(site, now=datetime(2019, 3, 1, tzinfo=KST)))  # a later build, same content
    assert first.keys() == second.keys()
    assert [p for p in first if first[p] != second[p]] == []
    for data in first.values():
        assert b"2019-03-01" not in data and b"2019-01-01" not in data


def test_renaming_a_slug_with_an_alias_keeps_the_entry_id(site):
    before = render_feeds(load(site))
    old = site / "content/interview/2018-10-05-youth-union.md"
    text = old.read_text(encoding="utf-8").replace(
        "interviewees:", "aliases: [/interview/youth-union/]\ninterviewees:", 1)
    old.unlink()
    (site / "content/interview/2018-10-05-youth-council.md").write_text(text, encoding="utf-8")
    after = render_feeds(load(site))

    entry_before = next(e for e in feedparser.parse(before["atom.xml"]).entries if "youth-union" in e.id)
    entry_after = next(e for e in feedparser.parse(after["atom.xml"]).entries if e.id == entry_before.id)
    assert entry_after.id == "tag:yours.example.org,2018:article/2018-10-05-youth-union"
    assert entry_after.link == "https://yours.example.org/interview/youth-council/"
    assert entry_before.link == "https://yours.example.org/interview/youth-union/"
    assert entry_after.updated == entry_before.updated  # a rename is not an update
    assert _ids(after["feed.xml"]) == _ids(before["feed.xml"])
    assert [i["id"] for i in json.loads(after["feed.json"])["items"]] == \
        [i["id"] for i in json.loads(before["feed.json"])["items"]]


def test_updated_changes_only_when_the_editor_marks_an_update(site):
    before = feedparser.parse(render_feeds(load(site))["atom.xml"])
    path = site / "content/meeting/2018-11-05-first-small-meeting.md"
    path.write_text(path.read_text(encoding="utf-8").replace("summary:", "updated: 2018-12-01\nsummary:", 1),
                    encoding="utf-8")
    after = feedparser.parse(render_feeds(load(site))["atom.xml"])
    assert before.feed.updated == "2018-11-05T00:00:00+09:00"
    assert after.feed.updated == "2018-12-01T00:00:00+09:00"
    assert after.entries[0].updated == "2018-12-01T00:00:00+09:00"
    assert after.entries[0].published == before.entries[0].published


def test_drafts_and_future_posts_never_appear(feeds):
    everything = b"".join(feeds.values())
    for text in ("아직 쓰는 중인 기획기사", "draft-feature", "draft-cover.png", "초안태그",
                 "예약 발행된 기획기사", "future-feature", "예약태그"):
        assert text.encode() not in everything, text
    assert not [p for p in feeds if "/feature" in p]


def test_a_scheduled_post_appears_once_its_time_has_come(site):
    later = render_feeds(load(site, now=datetime(2019, 6, 1, 0, 0, tzinfo=KST)))
    assert "예약 발행된 기획기사" in feedparser.parse(later["atom.xml"]).entries[0].title
    assert "feeds/kind/feature.atom.xml" in later


def test_korean_text_survives_in_all_three_formats(feeds):
    title = '청년자치정부 준비단원 김하늘 씨 "청년의 목소리가 시정이 되려면"'
    summary = "청년자치정부 준비단에서 활동하는 김하늘 씨를 만나 준비 과정과 바람을 들었다. <청년> & '자치'"
    tags = {"인터뷰", "준비 일지", "행정", "마포구", "청년자치정부", "준비단"}
    for path in ("atom.xml", "feed.xml"):
        assert feeds[path].startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
        parsed = feedparser.parse(feeds[path])
        item = next(e for e in parsed.entries if e.id.endswith("youth-union"))
        assert item.title == title
        assert item.summary == summary
        assert {t.term for t in item.tags} == tags
        assert parsed.feed.title == "유어스 — 전체 글"
        assert title.encode("utf-8").replace(b'"', b"") in feeds[path].replace(b"&quot;", b"").replace(b'"', b"")
        assert b"&#" not in feeds[path]  # Hangul is written as UTF-8, never as character references
    document = json.loads(feeds["feed.json"].decode("utf-8"))
    item = next(i for i in document["items"] if i["id"].endswith("youth-union"))
    assert (item["title"], item["summary"], set(item["tags"])) == (title, summary, tags)
    assert "\\u" not in feeds["feed.json"].decode("utf-8")


def test_listing_feeds_keep_the_configured_number_of_newest_entries(site):
    config = site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("listing_limit: 20", "listing_limit: 2")
                      .replace("site_limit: all", "site_limit: 3\n      archive_size: 2"), encoding="utf-8")
    catalog = load(site)
    feeds = render_feeds(catalog)
    administration = catalog.listing("agenda", "administration").articles
    assert len(administration) == 4
    assert [e.id.rsplit("/", 1)[1] for e in feedparser.parse(feeds["feeds/agenda/administration.atom.xml"]).entries] \
        == [a.id for a in administration[:2]]
    assert len(feedparser.parse(feeds["atom.xml"]).entries) == 3
    assert len(json.loads(feeds["feed.json"])["items"]) == 3
    # only a feed that holds the whole archive says so (RFC 5005)
    assert b"<fh:complete/>" not in feeds["atom.xml"]
    assert b"<fh:complete/>" in feeds["feeds/kind/interview.atom.xml"]


def test_full_archive_site_feed_is_marked_complete(feeds, catalog):
    assert b"<fh:complete/>" in feeds["atom.xml"] and b"<fh:complete/>" in feeds["feed.xml"]
    assert len(feedparser.parse(feeds["atom.xml"]).entries) == len(catalog.articles)
