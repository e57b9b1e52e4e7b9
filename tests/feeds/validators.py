"""Feed validators for the tests: each returns a list of errors (empty = valid).

- Atom: the RFC 4287 RELAX NG schema (schema/atom.rng, converted from the RFC's Appendix B)
  plus its two Schematron rules, which RELAX NG validators do not run.
- RSS 2.0: the rules of the RSS 2.0 specification (rssboard.org) and its best-practices profile.
- JSON Feed 1.1: the required and typed fields of https://www.jsonfeed.org/version/1.1/.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

ATOM = "http://www.w3.org/2005/Atom"
NS = {"atom": ATOM}
SCHEMA = Path(__file__).parent / "schema" / "atom.rng"


@lru_cache(maxsize=1)
def atom_schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(SCHEMA)))


def is_absolute(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def atom_errors(data: bytes) -> list[str]:
    """Return every way an Atom document breaks RFC 4287 (schema + Schematron rules)."""
    root = etree.fromstring(data)
    schema = atom_schema()
    errors = [] if schema.validate(root) else [f"line {e.line}: {e.message}" for e in schema.error_log]
    if root.tag == f"{{{ATOM}}}feed":
        if not root.xpath("atom:author or not(atom:entry[not(atom:author)])", namespaces=NS):
            errors.append("An atom:feed must have an atom:author unless all of its atom:entry children have one")
        for entry in root.xpath("atom:entry", namespaces=NS):
            if not entry.xpath("atom:link[@rel='alternate'] or atom:link[not(@rel)] or atom:content", namespaces=NS):
                errors.append("An atom:entry must have a link rel=alternate or a content")
            if not entry.xpath("atom:author or ../atom:author or atom:source/atom:author", namespaces=NS):
                errors.append("An atom:entry must have an atom:author if its feed does not")
        # RFC 4287 4.1.1: no two entries with the same id and the same updated time
        seen = set()
        for entry in root.xpath("atom:entry", namespaces=NS):
            key = (entry.findtext(f"{{{ATOM}}}id"), entry.findtext(f"{{{ATOM}}}updated"))
            if key in seen:
                errors.append(f"two entries share id and updated: {key}")
            seen.add(key)
        # RFC 4287 4.2.7.2: at most one alternate link per type and hreflang
        for element in [root, *root.xpath("atom:entry", namespaces=NS)]:
            pairs = [(l.get("type"), l.get("hreflang")) for l in element.xpath(
                "atom:link[@rel='alternate' or not(@rel)]", namespaces=NS)]
            if len(pairs) != len(set(pairs)):
                errors.append(f"{element.tag}: two alternate links with the same type and hreflang")
    return errors


RSS_CHANNEL_ONCE = {"title", "link", "description", "language", "copyright", "managingEditor", "webMaster",
                    "pubDate", "lastBuildDate", "generator", "docs", "cloud", "ttl", "image", "rating",
                    "textInput", "skipHours", "skipDays"}
RSS_CHANNEL_MANY = {"category", "item"}
RSS_ITEM_ONCE = {"title", "link", "description", "author", "comments", "enclosure", "guid", "pubDate", "source"}
RSS_ITEM_MANY = {"category"}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+( \(.+\))?$")
LANGUAGE = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$")
MIME_TYPE = re.compile(r"^[\w.+-]+/[\w.+-]+$")


def _rfc822(text: str | None, where: str, errors: list[str]) -> datetime | None:
    if text is None:
        return None
    try:
        value = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        value = None
    # RFC 822 as RSS profiles it: 'Mon, 05 Nov 2018 00:00:00 +0900', four-digit year, zone given
    if value is None or value.tzinfo is None or not re.fullmatch(
            r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} "
            r"\d{2}:\d{2}:\d{2} [+-]\d{4}", text):
        errors.append(f"{where}: '{text}' is not an RFC 822 date-time")
        return None
    if value.strftime("%a") != text[:3]:
        errors.append(f"{where}: '{text}' names the wrong weekday")
    return value


def _children(element: etree._Element, once: set[str], many: set[str], where: str, errors: list[str]) -> None:
    counts: dict[str, int] = {}
    for child in element:
        if not isinstance(child.tag, str):
            continue
        tag = child.tag
        if tag.startswith("{"):
            if tag.split("}")[0][1:] == "":
                errors.append(f"{where}: element {tag} in the empty namespace")
            continue  # namespaced extension elements are allowed anywhere
        if tag not in once | many:
            errors.append(f"{where}: <{tag}> is not an RSS 2.0 element (extensions need a namespace)")
        counts[tag] = counts.get(tag, 0) + 1
    for tag, count in counts.items():
        if tag in once and count > 1:
            errors.append(f"{where}: <{tag}> appears {count} times (at most once)")


def rss_errors(data: bytes, self_url: str | None = None) -> list[str]:
    """Return every way a document breaks the RSS 2.0 specification and its best practices."""
    errors: list[str] = []
    root = etree.fromstring(data)
    if root.tag != "rss" or root.get("version") != "2.0":
        return [f"root must be <rss version=\"2.0\">, got <{root.tag} version={root.get('version')!r}>"]
    channels = root.findall("channel")
    if len(channels) != 1:
        return [f"<rss> must hold exactly one <channel>, got {len(channels)}"]
    if [c for c in root if isinstance(c.tag, str) and c.tag != "channel" and not c.tag.startswith("{")]:
        errors.append("<rss> holds elements other than <channel>")
    channel = channels[0]
    _children(channel, RSS_CHANNEL_ONCE, RSS_CHANNEL_MANY, "channel", errors)
    for required in ("title", "link", "description"):
        if not (channel.findtext(required) or "").strip():
            errors.append(f"channel: <{required}> is required and must not be empty")
    if channel.findtext("link") and not is_absolute(channel.findtext("link")):
        errors.append("channel: <link> must be an absolute http(s) URL")
    language = channel.findtext("language")
    if language is not None and not LANGUAGE.match(language):
        errors.append(f"channel: <language> '{language}' is not a language code")
    for name in ("managingEditor", "webMaster"):
        value = channel.findtext(name)
        if value is not None and not EMAIL.match(value):
            errors.append(f"channel: <{name}> must be an e-mail address")
    for name in ("pubDate", "lastBuildDate"):
        _rfc822(channel.findtext(name), f"channel/{name}", errors)
    ttl = channel.findtext("ttl")
    if ttl is not None and not ttl.isdigit():
        errors.append("channel: <ttl> must be a number of minutes")
    image = channel.find("image")
    if image is not None:
        for required in ("url", "title", "link"):
            if not (image.findtext(required) or "").strip():
                errors.append(f"channel/image: <{required}> is required")
        if int(image.findtext("width") or 88) > 144 or int(image.findtext("height") or 31) > 400:
            errors.append("channel/image: at most 144 wide and 400 high")
    for category in channel.findall("category"):
        if not (category.text or "").strip():
            errors.append("channel/category: empty")
    atom_self = channel.findall(f"{{{ATOM}}}link[@rel='self']")
    if len(atom_self) != 1:
        errors.append("channel: needs exactly one atom:link rel=self (RSS Best Practices)")
    elif self_url is not None and atom_self[0].get("href") != self_url:
        errors.append(f"channel: atom:link rel=self is {atom_self[0].get('href')}, not {self_url}")
    guids: set[str] = set()
    for index, item in enumerate(channel.findall("item"), start=1):
        where = f"item {index}"
        _children(item, RSS_ITEM_ONCE, RSS_ITEM_MANY, where, errors)
        if not (item.findtext("title") or item.findtext("description")):
            errors.append(f"{where}: needs a <title> or a <description>")
        link = item.findtext("link")
        if link is not None and not is_absolute(link):
            errors.append(f"{where}: <link> must be an absolute URL")
        author = item.findtext("author")
        if author is not None and not EMAIL.match(author):
            errors.append(f"{where}: <author> must be an e-mail address")
        guid = item.find("guid")
        if guid is not None:
            permalink = guid.get("isPermaLink", "true")
            if permalink not in ("true", "false"):
                errors.append(f"{where}: guid isPermaLink must be true or false")
            if permalink == "true" and not is_absolute(guid.text or ""):
                errors.append(f"{where}: a permalink guid must be a URL")
            if guid.text in guids:
                errors.append(f"{where}: guid {guid.text} repeats")
            guids.add(guid.text or "")
        enclosure = item.find("enclosure")
        if enclosure is not None:
            if not is_absolute(enclosure.get("url", "")):
                errors.append(f"{where}: enclosure url must be an absolute http(s) URL")
            if not (enclosure.get("length") or "").isdigit():
                errors.append(f"{where}: enclosure length must be a number of bytes")
            if not MIME_TYPE.match(enclosure.get("type") or ""):
                errors.append(f"{where}: enclosure type must be a MIME type")
        source = item.find("source")
        if source is not None and not source.get("url"):
            errors.append(f"{where}: <source> needs a url attribute")
        _rfc822(item.findtext("pubDate"), f"{where}/pubDate", errors)
    return errors


def _rfc3339(value: object) -> bool:
    if not isinstance(value, str) or not re.fullmatch(
            r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})", value):
        return False
    datetime.fromisoformat(value.replace("Z", "+00:00"))
    return True


def json_feed_errors(data: bytes) -> list[str]:
    """Return every way a document breaks JSON Feed 1.1 (required fields, types, URLs, dates)."""
    errors: list[str] = []
    try:
        feed = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return [f"not UTF-8 JSON: {exc}"]
    if not isinstance(feed, dict):
        return ["top level must be an object"]
    if feed.get("version") != "https://jsonfeed.org/version/1.1":
        errors.append("version must be https://jsonfeed.org/version/1.1")
    if not isinstance(feed.get("title"), str) or not feed["title"]:
        errors.append("title is required")
    if not isinstance(feed.get("items"), list):
        return errors + ["items is required and must be an array"]
    for key in ("home_page_url", "feed_url", "icon", "favicon", "next_url"):
        if key in feed and not is_absolute(feed[key]):
            errors.append(f"{key} must be an absolute URL")
    for hub in feed.get("hubs", []):
        if not isinstance(hub, dict) or not hub.get("type") or not is_absolute(hub.get("url", "")):
            errors.append("each hub needs a type and an absolute url")

    def authors(value: object, where: str) -> None:
        if not isinstance(value, list):
            errors.append(f"{where}: authors must be an array")
            return
        for author in value:
            if not isinstance(author, dict) or not any(author.get(k) for k in ("name", "url", "avatar")):
                errors.append(f"{where}: an author needs a name, url or avatar")
            for key in ("url", "avatar"):
                if isinstance(author, dict) and key in author and not is_absolute(author[key]):
                    errors.append(f"{where}: author {key} must be absolute")

    if "authors" in feed:
        authors(feed["authors"], "feed")
    ids: set[str] = set()
    for index, item in enumerate(feed["items"], start=1):
        where = f"item {index}"
        if not isinstance(item, dict):
            errors.append(f"{where}: must be an object")
            continue
        if not isinstance(item.get("id"), str) or not item["id"]:
            errors.append(f"{where}: id is required and must be a string")
        elif item["id"] in ids:
            errors.append(f"{where}: id {item['id']} repeats")
        else:
            ids.add(item["id"])
        if not (isinstance(item.get("content_html"), str) or isinstance(item.get("content_text"), str)):
            errors.append(f"{where}: content_html or content_text is required")
        for key in ("url", "external_url", "image", "banner_image"):
            if key in item and not is_absolute(item[key]):
                errors.append(f"{where}: {key} must be an absolute URL")
        for key in ("date_published", "date_modified"):
            if key in item and not _rfc3339(item[key]):
                errors.append(f"{where}: {key} must be an RFC 3339 date")
        if "authors" in item:
            authors(item["authors"], where)
        if "tags" in item and (not isinstance(item["tags"], list) or
                               not all(isinstance(t, str) for t in item["tags"])):
            errors.append(f"{where}: tags must be an array of strings")
        for attachment in item.get("attachments", []):
            if not is_absolute(attachment.get("url", "")) or not attachment.get("mime_type"):
                errors.append(f"{where}: each attachment needs an absolute url and a mime_type")
            if "size_in_bytes" in attachment and not isinstance(attachment["size_in_bytes"], int):
                errors.append(f"{where}: attachment size_in_bytes must be a number")
        for key in item:
            if key.startswith("_") and not re.match(r"^_[a-zA-Z]", key):
                errors.append(f"{where}: extension {key} must start with _ and a letter")
    return errors
