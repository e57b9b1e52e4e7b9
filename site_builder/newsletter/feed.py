"""The newsletter's Atom feed: one entry per published issue, deterministic for the same input."""

from __future__ import annotations

from urllib.parse import urlsplit

from feedgen.feed import FeedGenerator

from ..catalog import Catalog
from .issue import Issue
from .render import web_html
from .settings import NewsletterSettings


def _tag_authority(catalog: Catalog) -> str:
    # The same authority as the article feeds (extra.site_builder.feeds.id_domain/id_date): never change it.
    feeds = catalog.config.section("feeds")
    host = str(feeds.get("id_domain") or urlsplit(catalog.config.site_url).hostname or "localhost")
    return f"tag:{host},{feeds.get('id_date') or '2018'}"


def issue_tag(catalog: Catalog, issue: Issue) -> str:
    """Return the issue's permanent Atom id: tag:<id_domain>,<id_date>:newsletter:<number> (RFC 4151)."""
    return f"{_tag_authority(catalog)}:newsletter:{issue.number}"


def render_newsletter_feed(catalog: Catalog, issues: list[Issue]) -> bytes:
    """Return the Atom feed of every non-draft issue, newest first (written to newsletter/feed.xml)."""
    config = catalog.config
    settings = NewsletterSettings.from_config(config)
    published = sorted((i for i in issues if not i.draft), key=lambda i: (i.date, i.number), reverse=True)
    fg = FeedGenerator()
    fg.id(f"{_tag_authority(catalog)}:newsletter")
    fg.title(settings.name)
    fg.subtitle(f"{settings.name}의 지난 호를 모두 웹에서 읽을 수 있습니다.")
    fg.language("ko")
    fg.link(href=config.absolute_url("newsletter/"), rel="alternate")
    fg.link(href=config.absolute_url("newsletter/feed.xml"), rel="self")
    fg.author({"name": config.office.name or config.brand, **({"email": config.office.email} if config.office.email else {})})
    fg.generator("site_builder")
    if config.office.name:
        fg.rights(config.office.name)
    updated = published[0].date if published else catalog.now
    fg.updated(updated)
    for issue in reversed(published):  # feedgen prepends: add oldest first so the newest ends up first
        entry = fg.add_entry()
        entry.id(issue_tag(catalog, issue))
        entry.title(f"제{issue.number}호 {issue.subject}")
        entry.link(href=config.absolute_url(issue.url), rel="alternate")
        entry.published(issue.date)
        entry.updated(issue.date)
        entry.summary(issue.preheader)
        entry.content(web_html(issue, catalog), type="html")
        for topic in issue.topics:
            entry.category(term=topic)
    return fg.atom_str(pretty=True)
