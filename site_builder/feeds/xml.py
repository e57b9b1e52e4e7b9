"""Atom 1.0 and RSS 2.0 documents of a Feed, written with feedgen.

feedgen writes the required structure. Two small extensions add what it cannot:
- Atom entry links keep their rel/type/length/title. feedgen 1.0.0 drops every attribute
  but href on entry links (entry.py reuses the loop variable), which would turn enclosures
  and the licence link into "alternate" links; so entry links are written here.
- Media RSS for every image (size, type, dimensions, alt), WebSub hub links in RSS,
  dc:creator for RSS authors (RSS <author> must be an e-mail address), and RFC 5005's
  fh:complete on feeds that hold the whole archive, fh:archive on archive documents and their
  current / prev-archive / next-archive links (feeds/archive.py).
"""

from __future__ import annotations

from feedgen.entry import FeedEntry
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from .entries import ATOM, MIME, RSS, Entry, Feed

ATOM_NS = "http://www.w3.org/2005/Atom"
MEDIA_NS = "http://search.yahoo.com/mrss/"
DC_NS = "http://purl.org/dc/elements/1.1/"
FH_NS = "http://purl.org/syndication/history/1.0"
GENERATOR = "site_builder"
RSS_DOCS = "https://www.rssboard.org/rss-specification"


def _history(feed: Feed) -> bool:
    """Whether a document carries RFC 5005 elements (the fh namespace)."""
    return feed.complete or bool(feed.archive)


def _history_links(feed: Feed, fmt: str) -> list[tuple[str, str]]:
    """Return the RFC 5005 (rel, absolute URL) links of a document in one format."""
    return [(rel, feed.site_url + paths[fmt]) for rel, paths in
            (("current", feed.current), ("prev-archive", feed.prev_archive), ("next-archive", feed.next_archive))
            if fmt in paths]


def _history_marks(parent: etree._Element, feed: Feed) -> None:
    """Add RFC 5005's fh:complete (the whole listing is here) or fh:archive (an archive document)."""
    if feed.complete:
        _sub(parent, f"{{{FH_NS}}}complete")
    if feed.archive:
        _sub(parent, f"{{{FH_NS}}}archive")


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, tag, {k: v for k, v in attrs.items() if v})
    if text is not None:
        element.text = text
    return element


def _media(parent: etree._Element, entry: Entry) -> None:
    """Add one media:content per image, in order, with its alternative text."""
    for number, image in enumerate(entry.enclosures):
        content = _sub(parent, f"{{{MEDIA_NS}}}content", url=image.url, type=image.mime, medium="image",
                       fileSize=str(image.length) if image.length else "",
                       width=str(image.width) if image.width else "",
                       height=str(image.height) if image.height else "",
                       isDefault="true" if number == 0 else "")
        if image.title:
            _sub(content, f"{{{MEDIA_NS}}}description", image.title, type="plain")
    if entry.lead:
        _sub(parent, f"{{{MEDIA_NS}}}thumbnail", url=entry.lead.url,
             width=str(entry.lead.width) if entry.lead.width else "",
             height=str(entry.lead.height) if entry.lead.height else "")


class _AtomFeedExt(BaseExtension):
    feed: Feed

    def extend_ns(self) -> dict[str, str]:
        return {"media": MEDIA_NS, "fh": FH_NS} if _history(self.feed) else {"media": MEDIA_NS}

    def extend_atom(self, root: etree._Element) -> etree._Element:
        _history_marks(root, self.feed)
        return root


class _AtomEntryExt(BaseEntryExtension):
    entry: Entry

    def extend_atom(self, element: etree._Element) -> etree._Element:
        entry = self.entry
        link = "link"  # feedgen builds Atom in no namespace and declares xmlns as a plain attribute
        _sub(element, link, href=entry.url, rel="alternate", type="text/html")
        for image in entry.enclosures:
            _sub(element, link, href=image.url, rel="enclosure", type=image.mime,
                 length=str(image.length) if image.length else "", title=image.title)
        if entry.external_url:
            _sub(element, link, href=entry.external_url, rel="related", type="text/html")
        if entry.license:
            _sub(element, link, href=entry.license.url, rel="license", type="text/html",
                 title=entry.license.name)
        _media(element, entry)
        return element


class _RssFeedExt(BaseExtension):
    feed: Feed

    def extend_ns(self) -> dict[str, str]:
        ns = {"dc": DC_NS, "media": MEDIA_NS}
        return ns | ({"fh": FH_NS} if _history(self.feed) else {})

    def extend_rss(self, root: etree._Element) -> etree._Element:
        channel = root.find("channel")
        for hub in self.feed.hubs:
            _sub(channel, f"{{{ATOM_NS}}}link", href=hub, rel="hub")
        for rel, href in _history_links(self.feed, RSS):
            _sub(channel, f"{{{ATOM_NS}}}link", href=href, rel=rel, type=MIME[RSS])
        _history_marks(channel, self.feed)
        return root


class _RssEntryExt(BaseEntryExtension):
    entry: Entry

    def extend_rss(self, item: etree._Element) -> etree._Element:
        entry = self.entry
        for person in entry.authors:
            _sub(item, f"{{{DC_NS}}}creator", person.name)
        if entry.lead:  # RSS 2.0 allows one enclosure: the lead image; Media RSS carries them all
            _sub(item, "enclosure", url=entry.lead.url, length=str(entry.lead.length), type=entry.lead.mime)
        if entry.rights:
            _sub(item, f"{{{DC_NS}}}rights", entry.rights)
        _media(item, entry)
        return item


def _generator(ext_feed: type, ext_entry: type, name: str, feed: Feed, atom: bool) -> FeedGenerator:
    generator = FeedGenerator()
    generator.register_extension(name, ext_feed, ext_entry, atom=atom, rss=not atom)
    getattr(generator, name).feed = feed
    generator.title(feed.title)
    generator.description(feed.description)
    generator.language("ko")
    generator.rights(feed.rights)
    generator.generator(GENERATOR)
    generator.updated(feed.updated)  # also RSS lastBuildDate: never the build's clock
    return generator


def _entry(generator: FeedGenerator, name: str, entry: Entry) -> FeedEntry:
    item = generator.add_entry(order="append")
    getattr(item, name).entry = entry
    item.id(entry.id)
    item.title(entry.title)
    item.updated(entry.updated)
    item.published(entry.published)
    return item


def render_atom(feed: Feed) -> bytes:
    """Return the Atom 1.0 document of a feed."""
    generator = _generator(_AtomFeedExt, _AtomEntryExt, "sbatom", feed, atom=True)
    generator.id(feed.id)
    generator.author({"name": feed.author.name, "uri": feed.author.url})
    generator.link(href=feed.url(ATOM), rel="self", type=MIME[ATOM])
    generator.link(href=feed.home_url, rel="alternate", type="text/html")
    for hub in feed.hubs:
        generator.link(href=hub, rel="hub")
    for rel, href in _history_links(feed, ATOM):
        generator.link(href=href, rel=rel, type=MIME[ATOM])
    if feed.icon:
        generator.icon(feed.icon)
    if feed.logo:
        generator.logo(feed.logo)
    for entry in feed.entries:
        item = _entry(generator, "sbatom", entry)
        for person in entry.authors:
            item.author({"name": person.name, "uri": person.url} if person.url else {"name": person.name})
        item.content(entry.content_html, type="html")
        item.summary(entry.summary, type="text")
        for cat in entry.categories:
            item.category(term=cat.term, scheme=cat.scheme, label=cat.label)
        if entry.rights:
            item.rights(entry.rights)
    return generator.atom_str(pretty=True, encoding="UTF-8", xml_declaration=True)


def render_rss(feed: Feed) -> bytes:
    """Return the RSS 2.0 document of a feed (full content in content:encoded)."""
    generator = _generator(_RssFeedExt, _RssEntryExt, "sbrss", feed, atom=False)
    generator.link(href=feed.url(RSS), rel="self", type=MIME[RSS])
    generator.link(href=feed.home_url, rel="alternate")  # feedgen's RSS <link> is the last link given
    generator.docs(RSS_DOCS)
    if feed.entries:
        generator.pubDate(max(e.published for e in feed.entries))
    if feed.logo:
        generator.image(url=feed.logo, title=feed.title, link=feed.home_url)
    for entry in feed.entries:
        item = _entry(generator, "sbrss", entry)
        item.link(href=entry.url, rel="alternate")
        item.description(entry.summary)
        item.content(entry.content_html)
        item.pubDate(entry.published)
        for cat in entry.categories:
            item.category(term=cat.term, scheme=cat.scheme)
    return generator.rss_str(pretty=True, encoding="UTF-8", xml_declaration=True)
