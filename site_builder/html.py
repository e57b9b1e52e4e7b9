"""Article bodies as standalone HTML with absolute URLs, for feeds, email and social."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from .catalog import Catalog
from .markdown import render_markdown, resolve_relative, rewrite_urls, sanitize_html
from .model import Article


def absolute_url(catalog: Catalog, source: str, url: str) -> str:
    """Return the absolute URL for a link or image written in content/<source>."""
    if not url or url.startswith("#"):
        return url
    parts = urlsplit(url)
    if parts.scheme or url.startswith("//"):
        return url
    base = catalog.config.site_url
    if url.startswith("/"):
        return base + url.lstrip("/")
    path = resolve_relative(source, parts.path)
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    if path.endswith(".md"):
        target = catalog.article(path)
        if target:
            return base + target.url + fragment
        page = next((p for p in catalog.pages if p.source == path), None)
        if page:
            return base + page.url + fragment
    return base + path + fragment


@lru_cache(maxsize=4096)
def _render(body: str) -> str:
    return sanitize_html(render_markdown(body))


def body_html(catalog: Catalog, article: Article) -> str:
    """Return the sanitized HTML of an article's body with every URL absolute."""
    return rewrite_urls(_render(article.body), lambda url: absolute_url(catalog, article.source, url))


def image_url(catalog: Catalog, path: str) -> str:
    """Return the absolute URL of a file under content/."""
    return catalog.config.site_url + path.lstrip("/")
