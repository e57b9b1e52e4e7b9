"""Article bodies as standalone HTML with absolute URLs, for feeds, email and social."""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit

from ..catalog import Catalog
from .markdown import render_markdown, resolve_relative, rewrite_urls, sanitize_html
from ..content.model import Article


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


class BodyCache:
    """Sanitized HTML of article bodies keyed by a hash of the Markdown, kept on disk (JSON, never pickle:
    nothing in a cache folder gets to run code) between builds so a rebuild converts only the bodies that
    changed. The file is tied to the code and library versions
    that render it; any other version starts empty. Bodies no longer in the archive are dropped."""

    def __init__(self, path: Path | None = None, *, read: bool = True):
        self.path = path
        self.stored: dict[str, str] = {}
        self.used: dict[str, str] = {}
        if path is not None and read:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                if data.get("version") == renderer_version() and isinstance(data.get("bodies"), dict):
                    self.stored = {str(k): str(v) for k, v in data["bodies"].items()}
            except (OSError, ValueError, AttributeError):
                self.stored = {}

    def render(self, body: str) -> str:
        key = body_key(body)
        html = self.used.get(key)
        if html is None:
            html = self.stored.get(key)
            if html is None:
                html = sanitize_html(render_markdown(body))
            if self.path is None and len(self.used) >= 8192:
                self.used.clear()  # a long-lived process (serve) keeps a bounded memo, not every edit ever seen
            self.used[key] = html
        return html

    def save(self, keep: set[str] | frozenset[str] = frozenset()) -> None:
        """Write what this build used plus what it read for bodies still in the archive (keep: their keys),
        if that differs from what was read (atomically; a failure only costs time next build)."""
        if self.path is None:
            return
        entries = {k: v for k, v in self.stored.items() if k in keep}
        entries.update(self.used)
        if entries.keys() == self.stored.keys():
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f"{self.path.name}.tmp-{os.getpid()}")
            tmp.write_text(json.dumps({"version": renderer_version(), "bodies": entries}, ensure_ascii=False),
                           encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError:
            pass


def body_key(body: str) -> str:
    """The cache key of an article body."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def renderer_version() -> str:
    """A hash of the code and library versions that turn Markdown into body HTML (what caches of it key on)."""
    h = hashlib.sha256()
    for name in ("markdown.py", "mdext.py", "html.py"):
        h.update((Path(__file__).parent / name).read_bytes())
    for dist in ("markdown", "pymdown-extensions", "pygments", "nh3"):
        try:
            h.update(f"{dist} {metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            pass
    return h.hexdigest()


_BODIES = BodyCache()


def use_body_cache(cache: BodyCache) -> BodyCache:
    """Make body_html() use cache (a disk-backed one during builds); return the previous one."""
    global _BODIES
    previous, _BODIES = _BODIES, cache
    return previous


def _render(body: str) -> str:
    return _BODIES.render(body)


def body_html(catalog: Catalog, article: Article) -> str:
    """Return the sanitized HTML of an article's body with every URL absolute."""
    return rewrite_urls(_render(article.body), lambda url: absolute_url(catalog, article.source, url))


def image_url(catalog: Catalog, path: str) -> str:
    """Return the absolute URL of a file under content/."""
    return catalog.config.site_url + path.lstrip("/")
