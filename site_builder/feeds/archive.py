"""The site feeds as RFC 5005 archived feeds: a small subscription document and fixed-size archives.

The site-wide feeds (atom.xml, feed.xml, feed.json) hold the newest `site_limit` articles; the whole
archive is published besides them in archive documents of `archive_size` articles each, numbered from
the oldest (feeds/archive/1.atom.xml is the first `archive_size` articles ever published). A page is
an archive document only once it is full, so an archive never changes afterwards: new articles go to
the subscription document until `archive_size` of them make the next archive. The one exception is
the newest archive, which gains its `next-archive` link once its successor fills. (An edit of an
archived article, a deletion or a back-dated article does change the archives it moves through.)

So the subscription document holds max(site_limit, articles not yet in a full archive) entries,
never more than max(site_limit, archive_size - 1): a feed reader's poll stays the same size however
large the archive grows. A reader that wants everything follows `prev-archive` (Atom: link, RSS:
atom:link, with fh:archive on each archive; JSON Feed: `next_url`) from the subscription document to
archive 1. Entry ids are the articles' own (feeds/entries.py) in every document.
"""

from __future__ import annotations

from dataclasses import replace

from ..catalog import Catalog
from ..content.model import Article
from .entries import ATOM, JSON, RSS, SITE_PATHS, Entry, Feed, build_entry, build_feed
from .settings import FeedSettings

ARCHIVE_DIR = "feeds/archive"


def archive_paths(number: int) -> dict[str, str]:
    """Return format -> site-relative path of the n-th archive document of the site feeds."""
    return {ATOM: f"{ARCHIVE_DIR}/{number}.atom.xml", RSS: f"{ARCHIVE_DIR}/{number}.rss.xml",
            JSON: f"{ARCHIVE_DIR}/{number}.json"}


def site_documents_articles(articles: tuple[Article, ...], settings: FeedSettings
                            ) -> list[tuple[int, tuple[Article, ...]]]:
    """Return (archive number, articles newest first) of every document of the site feeds.

    Number 0 is the subscription document and comes first; then the archives, newest first.
    articles: every visible article, newest first (the catalog's order)."""
    if settings.site_limit is None or len(articles) <= settings.site_limit:
        return [(0, articles)]
    size = settings.archive_size
    full = len(articles) // size
    count = max(settings.site_limit, len(articles) - full * size)
    documents = [(0, articles[:count])]
    oldest_first = articles[::-1]
    for number in range(full, 0, -1):
        documents.append((number, tuple(reversed(oldest_first[(number - 1) * size:number * size]))))
    return documents


def site_documents(catalog: Catalog, settings: FeedSettings, documents: list[tuple[int, tuple[Article, ...]]],
                   entries: dict[str, Entry], *, archives: int) -> list[Feed]:
    """Return the Feed of each (archive number, articles) of site_documents_articles() (all or some).

    archives: how many archive documents the site feeds have in all (the newest one's number)."""
    if not documents:
        return []
    base = build_feed(catalog, None, settings=settings, with_entries=False)
    newest = archives
    feeds = []
    for number, articles in documents:
        feed_entries = []
        for article in articles:
            if article.id not in entries:
                entries[article.id] = build_entry(catalog, article)
            feed_entries.append(entries[article.id])
        updated = max((e.updated for e in feed_entries), default=base.updated)  # no entries: the feed's epoch
        if number == 0:
            complete = archives == 0
            feeds.append(replace(base, entries=tuple(feed_entries), updated=updated, complete=complete,
                                 prev_archive=archive_paths(newest) if newest else {}))
            continue
        feeds.append(replace(
            base, title=f"{base.title} (보관 {number})", paths=archive_paths(number), entries=tuple(feed_entries),
            updated=updated, complete=False, archive=number, current=dict(SITE_PATHS),
            prev_archive=archive_paths(number - 1) if number > 1 else {},
            next_archive=archive_paths(number + 1) if number < newest else {}))
    return feeds
