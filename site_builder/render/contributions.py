"""What the outputs hand to the site, whatever renders it: generated pages, extra files, head links.

Pure data, no renderer: the feeds, the newsletter, the search page and the publisher's kits each make a
Contribution (site_builder.build.contributions gathers them), and the site adapter turns its page specs
into pages, writes its files and puts its head links into every page's <head>."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from ..catalog import Listing


@dataclass(frozen=True)
class PageSpec:
    """One generated page: where it goes, which template renders it and with what."""

    path: str  # site path with trailing slash, '' for home
    template: str
    title: str
    data: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    markdown: str = ""
    in_sitemap: bool = True

    @property
    def src_uri(self) -> str:
        return f"{self.path}index.md"


@dataclass(frozen=True)
class HeadLink:
    """One `<link rel="alternate">` of a page head (feed autodiscovery); href is site-relative (no leading slash)."""

    title: str
    href: str
    mime: str


@dataclass(frozen=True)
class Contribution:
    """One output's part of the built site: files (site-relative path -> bytes), pages, and the head
    links of a page (given the listing it shows, None for pages that show none)."""

    files: Mapping[str, bytes] = field(default_factory=dict)
    pages: tuple[PageSpec, ...] = ()
    head_links: Callable[[Listing | None], list[HeadLink]] | None = None
