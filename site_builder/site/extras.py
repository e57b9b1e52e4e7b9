"""What other outputs hand to the site: extra files, extra pages, head links. Pure data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ..catalog import Catalog, Listing
from .pages import PageSpec


@dataclass(frozen=True)
class HeadLink:
    """A `<link rel="alternate">` for feed autodiscovery."""

    title: str
    href: str  # site-relative path
    mime: str


@dataclass
class SiteExtras:
    """Contributions of one output (feeds, newsletter, ...) to the built site."""

    files: dict[str, bytes] = field(default_factory=dict)
    pages: list[PageSpec] = field(default_factory=list)
    head_links: Callable[[Listing | None], list[HeadLink]] | None = None


ExtrasProvider = Callable[[Catalog], SiteExtras]
