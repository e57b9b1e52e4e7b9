"""The feeds' contribution to the built site, for site_builder.build (the composition layer).

Imported only by site_builder.build; the rest of this package knows nothing of the site adapter."""

from __future__ import annotations

from ..catalog import Catalog
from .page import feeds_page_markdown
from .render import feed_links, render_feeds
from .settings import feed_settings


def site_extras(catalog: Catalog, *, with_files: bool = True):
    """Return SiteExtras: every feed file (unless with_files is false: the build renders them in
    a second process), the 구독 page, and the head links of each page."""
    from ..site.extras import HeadLink, SiteExtras
    from ..site.pages import PageSpec

    page = PageSpec(path=feed_settings(catalog.config).page, template="sb-page.html", title="피드 구독",
                    description="RSS·Atom·JSON 피드 목록", markdown=feeds_page_markdown(catalog))
    return SiteExtras(
        files=render_feeds(catalog) if with_files else {},
        pages=[page],
        head_links=lambda listing: [HeadLink(link.title, link.href, link.mime)
                                    for link in feed_links(catalog, listing)],
    )
