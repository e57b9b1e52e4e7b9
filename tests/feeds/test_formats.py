"""Every produced feed is valid: feedparser reads it without complaint, Atom passes the RFC 4287
schema, RSS the RSS 2.0 rules, JSON Feed the 1.1 spec. The validators are shown to catch faults."""

from __future__ import annotations

import json

import feedparser
import pytest

from .validators import atom_errors, json_feed_errors, rss_errors

SITE_URL = "https://yours.example.org/"


def test_produces_site_feeds_and_a_feed_per_listing_in_each_format(catalog, feeds):
    assert {"atom.xml", "feed.xml", "feed.json"} <= set(feeds)
    for listing in catalog.listings():
        base = f"feeds/{listing.facet}/{listing.key}"
        assert f"{base}.atom.xml" in feeds and f"{base}.rss.xml" in feeds
        assert (f"{base}.json" in feeds) == (listing.facet == "kind")
    assert len(feeds) == 3 + 2 * len(catalog.listings()) + len(catalog.listings("kind"))


def test_feedparser_reads_every_feed_without_bozo(feeds):
    for path, data in feeds.items():
        if path.endswith(".json"):
            continue
        parsed = feedparser.parse(data)
        assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
        assert parsed.version == ("atom10" if path.endswith("atom.xml") else "rss20"), path
        assert parsed.entries, path


def test_every_atom_feed_is_valid_against_the_rfc_4287_schema(feeds):
    atom = {p: d for p, d in feeds.items() if p.endswith("atom.xml")}
    assert len(atom) > 10
    for path, data in atom.items():
        assert atom_errors(data) == [], path


def test_every_rss_feed_follows_the_rss_2_rules(feeds):
    rss = {p: d for p, d in feeds.items() if p == "feed.xml" or p.endswith(".rss.xml")}
    for path, data in rss.items():
        assert rss_errors(data, self_url=SITE_URL + path) == [], path


def test_every_json_feed_has_the_json_feed_1_1_fields(feeds):
    for path in [p for p in feeds if p.endswith(".json")]:
        assert json_feed_errors(feeds[path]) == [], path
        document = json.loads(feeds[path])
        assert document["feed_url"] == SITE_URL + path
        assert document["hubs"] == [{"type": "WebSub", "url": "https://hub.example.net/"}]


def test_atom_feed_declares_itself_its_page_and_its_hub(feeds):
    parsed = feedparser.parse(feeds["feeds/kind/cardnews.atom.xml"])
    links = {link.rel: link.href for link in parsed.feed.links}
    assert links == {"self": SITE_URL + "feeds/kind/cardnews.atom.xml", "alternate": SITE_URL + "cardnews/",
                     "hub": "https://hub.example.net/"}
    assert parsed.feed.title == "유어스 — 종류: 카드뉴스"
    assert parsed.feed.id == "tag:yours.example.org,2018:feed/kind/cardnews"
    assert parsed.feed.language == "ko"


def test_rss_channel_links_the_page_and_declares_self_and_hub(feeds):
    parsed = feedparser.parse(feeds["feed.xml"])
    assert parsed.feed.link == SITE_URL
    assert b'<atom:link href="https://hub.example.net/" rel="hub"/>' in feeds["feed.xml"]
    assert b'<atom:link href="https://yours.example.org/feed.xml" rel="self"' in feeds["feed.xml"]


# -- the validators are not vacuous ----------------------------------------------------

def test_atom_validator_rejects_a_bad_date_an_unknown_element_and_a_missing_id(feeds):
    good = feeds["atom.xml"]
    assert atom_errors(good.replace(b"<updated>2018-11-05T00:00:00+09:00</updated>",
                                    b"<updated>2018-11-05</updated>", 1))
    assert atom_errors(good.replace(b"<generator>", b"<foo>x</foo><generator>", 1))
    first_id = good.index(b"<id>tag:yours.example.org,2018:article/")
    end = good.index(b"</id>", first_id) + len(b"</id>")
    assert atom_errors(good[:first_id] + good[end:])


def test_atom_validator_enforces_the_schematron_author_rule():
    feed = (b'<feed xmlns="http://www.w3.org/2005/Atom"><id>tag:x,2018:f</id><title>t</title>'
            b'<updated>2018-01-01T00:00:00+09:00</updated><entry><id>tag:x,2018:e</id><title>e</title>'
            b'<updated>2018-01-01T00:00:00+09:00</updated><content>x</content></entry></feed>')
    assert atom_errors(feed) == [
        "An atom:feed must have an atom:author unless all of its atom:entry children have one",
        "An atom:entry must have an atom:author if its feed does not"]


@pytest.mark.parametrize("old, new, message", [
    (b"<language>ko</language>", b"<language>ko</language><language>en</language>", "at most once"),
    (b"<docs>", b"<subtitle>x</subtitle><docs>", "not an RSS 2.0 element"),
    (b"<lastBuildDate>Mon, 05 Nov 2018", b"<lastBuildDate>Tue, 05 Nov 2018", "wrong weekday"),
    (b"<lastBuildDate>Mon, 05 Nov 2018 00:00:00 +0900", b"<lastBuildDate>2018-11-05T00:00:00+09:00",
     "RFC 822"),
    (b'length="93"', b'length="large"', "number of bytes"),
    (b"<link>https://yours.example.org/meeting/", b"<link>/meeting/", "absolute URL"),
])
def test_rss_validator_rejects_broken_documents(feeds, old, new, message):
    broken = feeds["feed.xml"].replace(old, new, 1)
    assert broken != feeds["feed.xml"]
    assert any(message in error for error in rss_errors(broken)), rss_errors(broken)


@pytest.mark.parametrize("change, message", [
    (lambda d: d.pop("version"), "version"),
    (lambda d: d["items"][0].pop("id"), "id is required"),
    (lambda d: d["items"][0].pop("content_html"), "content_html or content_text"),
    (lambda d: d["items"][0].update(date_published="5 Nov 2018"), "RFC 3339"),
    (lambda d: d["items"][1]["attachments"][0].pop("mime_type"), "mime_type"),
])
def test_json_feed_validator_rejects_broken_documents(feeds, change, message):
    document = json.loads(feeds["feed.json"])
    change(document)
    errors = json_feed_errors(json.dumps(document).encode())
    assert any(message in error for error in errors), errors
