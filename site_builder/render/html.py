"""Article bodies as standalone HTML with absolute URLs, for feeds, email and social."""

from __future__ import annotations

import hashlib
import sqlite3
import zlib
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
    """Sanitized HTML of article bodies keyed by a hash of the Markdown, kept on disk between builds so a
    rebuild converts only the bodies that changed. The store at path is a SQLite database (data only, never
    pickle: nothing in a cache folder gets to run code), read one body at a time, so a rebuild that renders
    a few feeds reads the few bodies they carry, not the whole archive's. It is tied to the code and library
    versions that render it; any other version, or a file that is not such a database, counts as empty and
    is replaced when saved; a row whose HTML fails its CRC-32 is converted again. Bodies no longer in the archive are dropped when saved."""

    def __init__(self, path: Path | None = None, *, read: bool = True):
        self.path = path
        self.read = read and path is not None
        self.used: dict[str, str] = {}
        self._db: sqlite3.Connection | None = None
        self._opened = False

    def _connection(self) -> sqlite3.Connection | None:
        """The database to read from, opened on first use; None when there is none to trust."""
        if not self._opened:
            self._opened = True
            if self.read and self.path.is_file():
                try:
                    db = sqlite3.connect(self.path)
                    row = db.execute("SELECT value FROM meta WHERE name = 'version'").fetchone()
                    if row is not None and row[0] == renderer_version():
                        self._db = db
                    else:
                        db.close()
                except sqlite3.Error:
                    self._db = None
        return self._db

    def _lookup(self, key: str) -> str | None:
        db = self._connection()
        if db is None:
            return None
        try:
            row = db.execute("SELECT html, crc FROM bodies WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        if row is None or not isinstance(row[0], str) or row[1] != _crc(row[0]):
            return None   # a damaged row: convert again
        return row[0]

    @property
    def stored(self) -> dict[str, str]:
        """Every body the store held when opened (reads them all: for tests and tools, not builds)."""
        db = self._connection()
        if db is None:
            return {}
        try:
            return {str(k): str(v) for k, v, crc in db.execute("SELECT key, html, crc FROM bodies") if crc == _crc(v)}
        except sqlite3.Error:
            return {}

    def render(self, body: str) -> str:
        key = body_key(body)
        html = self.used.get(key)
        if html is None:
            html = self._lookup(key)
            if html is None:
                html = sanitize_html(render_markdown(body))
            if self.path is None and len(self.used) >= 8192:
                self.used.clear()  # a long-lived process (serve) keeps a bounded memo, not every edit ever seen
            self.used[key] = html
        return html

    def save(self, keep: set[str] | frozenset[str] = frozenset()) -> None:
        """Keep what this build used plus what was stored for bodies still in the archive (keep: their
        keys); rows change only where that differs (one transaction: a failure only costs time next build)."""
        if self.path is None:
            return
        if self._db is not None:
            self._db.close()
            self._db = None
        self._opened = False
        for attempt in range(2):
            try:
                self._write(keep)
                return
            except sqlite3.DatabaseError:
                if attempt == 0:   # not a database (an old JSON cache, a damaged file): start a new one
                    try:
                        self.path.unlink()
                    except OSError:
                        return
            except (sqlite3.Error, OSError):
                return

    def _write(self, keep: set[str] | frozenset[str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, isolation_level=None)
        try:
            db.execute("PRAGMA synchronous = OFF")   # a cache: a torn write is noticed and only costs time
            db.execute("BEGIN IMMEDIATE")
            db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
            db.execute("CREATE TABLE IF NOT EXISTS bodies (key TEXT PRIMARY KEY, html TEXT NOT NULL, crc INTEGER)")
            row = db.execute("SELECT value FROM meta WHERE name = 'version'").fetchone()
            if not self.read or row is None or row[0] != renderer_version():
                db.execute("DELETE FROM bodies")
                db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (renderer_version(),))
            stored = {k for (k,) in db.execute("SELECT key FROM bodies")}
            gone = stored - self.used.keys() - set(keep)
            db.executemany("DELETE FROM bodies WHERE key = ?", ((k,) for k in gone))
            db.executemany("INSERT INTO bodies VALUES (?, ?, ?)",
                           ((k, html, _crc(html)) for k, html in self.used.items() if k not in stored))
            db.execute("COMMIT")
        finally:
            db.close()


def _crc(html: object) -> int:
    """The check of a stored body's HTML (CRC-32 of its UTF-8): a damaged row is not trusted."""
    return zlib.crc32(html.encode("utf-8")) if isinstance(html, str) else -1


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
