"""JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/), written to the spec (feedgen has none).

The site feed's archive documents (feeds/archive.py) are JSON Feed's pagination: `next_url` leads from
the subscription document to ever older archives; every page keeps the subscription's `feed_url`,
the feed's identity, and says which archive it is in `_yours.archive`."""

from __future__ import annotations

import json
from typing import Any

from .entries import JSON, Entry, Feed

VERSION = "https://jsonfeed.org/version/1.1"
EXTENSION = "_yours"  # custom extension object (spec: a name starting with "_")


def _rfc3339(value) -> str:
    return value.isoformat()


def _item(feed: Feed, entry: Entry, about: str) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": entry.id,
        "url": entry.url,
        "title": entry.title,
        "content_html": entry.content_html,
        "summary": entry.summary,
        "date_published": _rfc3339(entry.published),
        "date_modified": _rfc3339(entry.updated),
        "authors": [{k: v for k, v in (("name", p.name), ("url", p.url), ("avatar", p.avatar)) if v}
                    for p in entry.authors],
        "tags": [c.term for c in entry.categories],
        "language": "ko",
    }
    if entry.external_url:
        item["external_url"] = entry.external_url
    if entry.lead:
        item["image"] = entry.lead.url
    if entry.enclosures:
        item["attachments"] = [
            {k: v for k, v in (("url", e.url), ("mime_type", e.mime), ("title", e.title),
                               ("size_in_bytes", e.length)) if v}
            for e in entry.enclosures]
    extension: dict[str, Any] = {"about": about, "id": entry.article_id, "kind": entry.kind,
                                 "categories": [{"facet": c.facet, "key": c.key, "name": c.term}
                                                for c in entry.categories]}
    if entry.license:
        extension["license"] = {"id": entry.license.id, "name": entry.license.name, "url": entry.license.url,
                                "rights_holder": entry.rights_holder, "attribution": entry.rights}
    item[EXTENSION] = extension
    return item


def render_json_feed(feed: Feed, about: str) -> bytes:
    """Return the JSON Feed 1.1 document of a feed, UTF-8, keys in a fixed order."""
    document: dict[str, Any] = {
        "version": VERSION,
        "title": feed.title,
        "home_page_url": feed.home_url,
        "feed_url": feed.site_url + feed.current[JSON] if JSON in feed.current else feed.url(JSON),
        "description": feed.description,
        "language": "ko",
        "authors": [{"name": feed.author.name, "url": feed.author.url}],
    }
    if feed.icon:
        document["icon"] = feed.icon
        document["favicon"] = feed.icon
    if feed.hubs:
        document["hubs"] = [{"type": "WebSub", "url": hub} for hub in feed.hubs]
    if JSON in feed.prev_archive:
        document["next_url"] = feed.site_url + feed.prev_archive[JSON]
    if feed.archive:
        document[EXTENSION] = {"archive": feed.archive, "url": feed.url(JSON)}
    document["items"] = [_item(feed, entry, about) for entry in feed.entries]
    text = json.dumps(document, ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")
