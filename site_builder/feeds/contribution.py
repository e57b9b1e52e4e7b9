"""The feeds' contribution to the built site, for site_builder.build (the composition layer).

Imported only by site_builder.build; nothing in this package knows the site adapter."""

from __future__ import annotations

from ..catalog import Catalog
from ..render.contributions import Contribution, PageSpec
from .page import feeds_page_markdown
from .render import feed_links, render_feeds
from .settings import feed_settings


def feeds_contribution(catalog: Catalog, *, with_files: bool = True) -> Contribution:
    """Return every feed file (unless with_files is false: the build renders them in a second process),
    the 구독 page, and the head links of each page."""
    page = PageSpec(path=feed_settings(catalog.config).page, template="sb-page.html", title="피드 구독",
                    description="RSS·Atom·JSON 피드 목록", markdown=feeds_page_markdown(catalog))
    return Contribution(files=render_feeds(catalog) if with_files else {}, pages=(page,),
                        head_links=lambda listing: feed_links(catalog, listing))
