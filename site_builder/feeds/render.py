"""Every feed file of the site, and the feed links each page declares."""

from __future__ import annotations

from pathlib import Path

from ..catalog import Catalog, Listing
from ..content.model import Article
from ..render.contributions import HeadLink
from .archive import archive_paths, site_documents, site_documents_articles
from .entries import (ATOM, FORMAT_NAMES, JSON, MIME, RSS, SITE_PATHS, build_feed, feed_articles, feed_listings,
                      feed_paths)
from .jsonfeed import render_json_feed
from .settings import feed_settings
from .xml import render_atom, render_rss


def render_feeds(catalog: Catalog, *, previous: Path | None = None,
                 changed_ids: frozenset[str] = frozenset()) -> dict[str, bytes | Path]:
    """Return every feed file keyed by its site-relative path; the same catalog gives the same bytes.

    previous: the site of the last build, when nothing but the bodies of the changed_ids articles
    changed since (site_builder.build.incremental): a feed holding none of them is not rendered; its value
    is previous itself (the folder), whose file at the same path has the bytes it would have had."""
    settings = feed_settings(catalog.config)
    about = catalog.config.absolute_url(settings.page)
    files: dict[str, bytes | Path] = {}
    entries: dict = {}

    def reused(paths: dict[str, str], articles) -> bool:
        if previous is None or any(a.id in changed_ids for a in articles):
            return False
        if not all((previous / path).is_file() for path in paths.values()):
            return False
        files.update(dict.fromkeys(paths.values(), previous))
        return True

    def write(feed) -> None:
        for fmt, path in feed.paths.items():
            if fmt == ATOM:
                files[path] = render_atom(feed)
            elif fmt == RSS:
                files[path] = render_rss(feed)
            elif fmt == JSON:
                files[path] = render_json_feed(feed, about)

    documents = site_documents_articles(catalog.articles, settings)
    stale = [(number, articles) for number, articles in documents
             if not reused(SITE_PATHS if number == 0 else archive_paths(number), articles)]
    for feed in site_documents(catalog, settings, stale, entries, archives=len(documents) - 1):
        write(feed)
    for listing in feed_listings(catalog, settings)[1:]:
        if not reused(feed_paths(settings, listing), feed_articles(catalog, listing, settings)):
            write(build_feed(catalog, listing, settings=settings, entries=entries))
    return files


def _links(title: str, paths: dict[str, str]) -> list[HeadLink]:
    return [HeadLink(f"{title} ({FORMAT_NAMES[fmt]})", paths[fmt], MIME[fmt])
            for fmt in (ATOM, RSS, JSON) if fmt in paths]


def feed_links(catalog: Catalog, listing: Listing | None = None) -> list[HeadLink]:
    """Return the autodiscovery links of a page: the site's feeds, then its listing's feeds (Atom first)."""
    settings = feed_settings(catalog.config)
    brand = catalog.config.brand or catalog.config.site_name
    links = _links(f"{brand} 전체 글", feed_paths(settings, None))
    if listing is not None:
        links += _links(f"{brand} {listing.facet_name}: {listing.name}", feed_paths(settings, listing))
    return links


def article_feed_links(catalog: Catalog, article: Article) -> list[HeadLink]:
    """Return the autodiscovery links of an article page: the site's feeds, its kind's and its series'."""
    links = feed_links(catalog)
    for listing in catalog.listings_of(article):
        if listing.facet in ("kind", "series"):
            links += [link for link in feed_links(catalog, listing) if link not in links]
    return links

