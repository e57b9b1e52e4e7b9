"""Feeds: Atom 1.0, RSS 2.0 and JSON Feed 1.1 for the site and every listing, as pure functions
of the catalog. The site adapter writes what render_feeds returns; nothing here touches the disk.

Layout (site-relative paths):
  feed.xml, atom.xml, feed.json                 the whole site (RSS, Atom, JSON Feed)
  feeds/<facet>/<key>.atom.xml | .rss.xml       each kind, series, agenda, district, tag, author
  feeds/<facet>/<key>.json                      JSON Feed for the facets in feeds.json_facets (kind)
"""

from .contribution import feeds_contribution
from .entries import Entry, Feed, build_feed, entry_html, entry_id, feed_paths, iter_feeds
from .page import feeds_page_markdown
from .problems import feed_problems
from .render import article_feed_links, feed_links, render_feeds
from .settings import FeedSettings, feed_settings
from .websub import HubError, ping_hub

__all__ = [
    "Entry", "Feed", "FeedSettings", "HubError",
    "article_feed_links", "build_feed", "entry_html", "entry_id", "feed_links", "feed_paths",
    "feed_problems", "feed_settings", "feeds_contribution", "feeds_page_markdown", "iter_feeds", "ping_hub", "render_feeds",
]
