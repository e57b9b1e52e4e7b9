"""Render the navigation once per place instead of once per page.

Material renders the whole navigation twice on every page (the tabs and the sidebar), about a
third of a page's rendering. What they show depends only on which navigation page is the current
one (it is marked, and its table of contents shown) and on the relative URLs of the navigation's
links from the current page, so pages that agree on both share one rendering: an article deep in
the archive and its neighbours. The key holds exactly those, so a cached fragment is the fragment
the page would have rendered itself (tests compare every page of a built site with and without)."""

from __future__ import annotations

from typing import Any

from mkdocs.utils import normalize_url


class FragmentCache:
    """Per build (and per rendering process): rendered fragments keyed by what they depend on."""

    def __init__(self, nav: Any, enabled: bool = True):
        self.enabled = enabled and nav is not None
        self.nav_pages = list(nav.pages) if nav is not None else []
        self.targets = [p.url for p in self.nav_pages]
        homepage = getattr(nav, "homepage", None)
        if homepage is not None:
            self.targets.append(homepage.url)
        self._store: dict[tuple, str] = {}
        self._last: tuple | None = None   # (page, base_url, its place): the key parts of the page being rendered
        self.hits = self.misses = 0

    def key(self, name: str, page: Any, base_url: str) -> tuple | None:
        """Return the cache key of fragment name on page, or None when it must be rendered (no nav, cache off).

        The fragments link only to nav pages and the homepage (targets) and to theme files under base_url
        (assets, the search worker). A theme setting that links elsewhere relative to the page (a
        `config.extra.homepage` or a logo image file) would need its URL in the key too: this site has
        neither (the logo is an icon); a test compares every page with and without the cache."""
        if not self.enabled or page is None:
            return None
        if self._last is None or self._last[0] is not page or self._last[1] != base_url:
            # a page asks for its three fragments in turn: work the place out once
            current = page.file.src_uri if any(page is p for p in self.nav_pages) else None
            place = (current, base_url, tuple(normalize_url(t, page=page, base=base_url) for t in self.targets))
            self._last = (page, base_url, place)
        return (name, *self._last[2])

    def get(self, key: tuple | None) -> str | None:
        if key is None:
            return None
        html = self._store.get(key)
        if html is None:
            self.misses += 1
        else:
            self.hits += 1
        return html

    def put(self, key: tuple | None, html: str) -> str:
        if key is not None:
            self._store[key] = html
        return html
