"""The site feeds as RFC 5005 archived feeds: a reader gets the whole archive, and archives stay put."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser

from site_builder.feeds import render_feeds
from site_builder.feeds.archive import site_documents_articles
from site_builder.feeds.settings import FeedSettings, read_settings

from .conftest import load

SITE_URL = "https://yours.example.org/"


def limit(site: Path, site_limit: int, archive_size: int) -> None:
    config = site / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("site_limit: all", f"site_limit: {site_limit}\n      archive_size: {archive_size}"),
                      encoding="utf-8")


def path_of(url: str) -> str:
    assert url.startswith(SITE_URL), url
    return url[len(SITE_URL):]


def walk_atom_or_rss(feeds: dict[str, bytes], start: str) -> list[feedparser.FeedParserDict]:
    """Follow prev-archive from a subscription document, as an RFC 5005 client does."""
    documents, path, seen = [], start, set()
    while path is not None:
        assert path not in seen, f"prev-archive loops back to {path}"
        seen.add(path)
        parsed = feedparser.parse(feeds[path])
        documents.append(parsed)
        older = [link.href for link in parsed.feed.get("links", []) if link.rel == "prev-archive"]
        path = path_of(older[0]) if older else None
    return documents


def article_ids(document) -> list[str]:
    return [entry.id.rsplit("/", 1)[1] for entry in document.entries]


def test_a_reader_following_prev_archive_gets_every_article_exactly_once(site):
    limit(site, site_limit=2, archive_size=2)  # 6 articles: the subscription holds 2, archives 3, 2 and 1
    catalog = load(site)
    feeds = render_feeds(catalog)
    everything = [a.id for a in catalog.articles]
    for start in ("atom.xml", "feed.xml"):
        documents = walk_atom_or_rss(feeds, start)
        assert [article_ids(d) for d in documents] == [everything[0:2], everything[0:2], everything[2:4],
                                                         everything[4:6]]
        subscription, *archives = documents
        assert len(archives) == 3
        assert b"<fh:archive/>" not in feeds[start] and b"<fh:complete/>" not in feeds[start]
        for number, archive in zip((3, 2, 1), archives):
            raw = feeds[f"feeds/archive/{number}.{'atom' if start == 'atom.xml' else 'rss'}.xml"]
            assert b"<fh:archive/>" in raw
            current = [link.href for link in archive.feed.links if link.rel == "current"]
            assert current == [SITE_URL + start]
    # The newest archive (3) has no newer archive yet; the others link to the next one.
    atom = {n: feedparser.parse(feeds[f"feeds/archive/{n}.atom.xml"]).feed for n in (1, 2, 3)}
    assert [[link.href for link in atom[n].links if link.rel == "next-archive"] for n in (1, 2, 3)] == [
        [SITE_URL + "feeds/archive/2.atom.xml"], [SITE_URL + "feeds/archive/3.atom.xml"], []]


def test_json_feed_pages_with_next_url_down_to_the_first_archive(site):
    limit(site, site_limit=2, archive_size=2)
    catalog = load(site)
    feeds = render_feeds(catalog)
    pages, path = [], "feed.json"
    while path:
        page = json.loads(feeds[path])
        pages.append(page)
        path = path_of(page["next_url"]) if "next_url" in page else None
    ids = [item["_yours"]["id"] for page in pages for item in page["items"]]
    assert ids[2:] == [a.id for a in catalog.articles] and ids[:2] == ids[2:4]
    assert {page["feed_url"] for page in pages} == {SITE_URL + "feed.json"}  # one feed, many pages
    assert [page.get("_yours", {}).get("archive") for page in pages] == [None, 3, 2, 1]


def test_a_full_archive_is_not_rewritten_when_new_articles_arrive(site):
    limit(site, site_limit=2, archive_size=2)
    before = render_feeds(load(site))
    newest = site / "content" / "column" / "2018-12-01-new-column.md"
    source = (site / "content" / "column" / "2018-10-12-generation-balance.md").read_text(encoding="utf-8")
    source = source.replace("updated: 2018-10-20\n", "")
    newest.write_text(source.replace("date: 2018-10-12", "date: 2018-12-01"), encoding="utf-8")
    after = render_feeds(load(site))
    assert "feeds/archive/4.atom.xml" not in after  # 7 articles: the seventh waits in the subscription
    for name in before:
        if name.startswith("feeds/archive/"):
            assert after[name] == before[name], name
    assert article_ids(feedparser.parse(after["atom.xml"]))[0] == "2018-12-01-new-column"

    newer = site / "content" / "column" / "2018-12-02-newer-column.md"
    newer.write_text(source.replace("date: 2018-10-12", "date: 2018-12-02"), encoding="utf-8")
    filled = render_feeds(load(site))
    assert "feeds/archive/4.atom.xml" in filled  # the eighth article fills archive 4
    for number in (1, 2):
        assert filled[f"feeds/archive/{number}.atom.xml"] == before[f"feeds/archive/{number}.atom.xml"]
    # archive 3 only gains its next-archive link
    old, new = before["feeds/archive/3.atom.xml"].decode(), filled["feeds/archive/3.atom.xml"].decode()
    added = [line for line in new.splitlines() if line not in old.splitlines()]
    assert [line.strip() for line in added] == [
        f'<link href="{SITE_URL}feeds/archive/4.atom.xml" rel="next-archive" type="application/atom+xml"/>']


def test_the_subscription_stays_small_however_large_the_archive_grows():
    settings = FeedSettings(site_limit=20, archive_size=25)
    for count in range(0, 240):
        articles = tuple(range(count, 0, -1))  # newest first, as the catalog orders them
        documents = site_documents_articles(articles, settings)
        number, subscription = documents[0]
        assert number == 0
        assert len(subscription) <= max(20, 25 - 1)
        assert subscription == articles[:len(subscription)]  # the newest
        archived = [a for _, page in documents[1:] for a in page]
        assert sorted(set(archived) | set(subscription)) == sorted(articles)  # nothing is left out
        assert len(archived) == len(set(archived))
        assert all(len(page) == 25 for _, page in documents[1:])  # only full archives are published
        # archive n holds articles (n-1)*25+1 .. n*25 counted from the oldest: fixed for ever
        for n, page in documents[1:]:
            assert sorted(page) == list(range((n - 1) * 25 + 1, n * 25 + 1))


def test_site_limit_all_keeps_one_complete_document(feeds):
    assert b"<fh:complete/>" in feeds["atom.xml"]
    assert not any(name.startswith("feeds/archive/") for name in feeds)


def test_a_bad_archive_size_is_reported(site):
    config = site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("site_limit: all", "site_limit: 3\n      archive_size: 0"),
                      encoding="utf-8")
    settings, problems = read_settings(load(site).config)
    assert settings.archive_size == 20
    assert [str(p) for p in problems] == [
        "mkdocs.yml:1: extra.site_builder.feeds.archive_size: '0'은 글 수가 아닙니다 — "
        "보관 피드 한 문서에 담을 글 수를 1 이상의 숫자로 쓰세요 (기본 20). 한 번 정하면 바꾸지 마세요"]


def test_every_archive_document_is_a_valid_feed(site):
    from .validators import atom_errors, json_feed_errors, rss_errors

    limit(site, site_limit=2, archive_size=2)
    feeds = render_feeds(load(site))
    archives = sorted(name for name in feeds if name.startswith("feeds/archive/"))
    assert len(archives) == 9
    for name in archives + ["atom.xml", "feed.xml", "feed.json"]:
        if name.endswith(".atom.xml") or name == "atom.xml":
            assert atom_errors(feeds[name]) == [], name
        elif name.endswith(".json"):
            assert json_feed_errors(feeds[name]) == [], name
        else:
            assert rss_errors(feeds[name], self_url=SITE_URL + name) == [], name
        if not name.endswith(".json"):
            parsed = feedparser.parse(feeds[name])
            assert not parsed.bozo, (name, parsed.get("bozo_exception"))
