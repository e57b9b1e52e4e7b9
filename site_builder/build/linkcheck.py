"""Check every internal link and anchor of a built site (HTML pages and feeds)."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


@dataclass(frozen=True)
class BrokenLink:
    page: str  # path of the file holding the link, relative to the site
    url: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: {self.url}: {self.reason}"


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.base: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if values.get(key):
                self.ids.add(values[key])
        if tag == "base" and values.get("href"):
            self.base = values["href"]
        for key in ("href", "src", "poster"):
            value = values.get(key)
            if value and not (tag == "link" and values.get("rel") in ("canonical", "preconnect", "dns-prefetch")):
                self.links.append(value)
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            match = re.search(r"url=(.+)$", values.get("content") or "", re.I)
            if match:
                self.links.append(match.group(1).strip())


def _parse(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8", errors="replace"))
    return collector


def check_site(site_dir: Path | str, site_url: str = "") -> list[BrokenLink]:
    """Return every internal link (relative, root-relative or under site_url) that does not resolve."""
    site = Path(site_dir)
    site_path = urlsplit(site_url).path if site_url else "/"
    cache: dict[Path, _Collector] = {}

    def collector(path: Path) -> _Collector:
        if path not in cache:
            cache[path] = _parse(path)
        return cache[path]

    broken: list[BrokenLink] = []
    pages = sorted(site.rglob("*.html"))
    for page in pages:
        rel_page = page.relative_to(site).as_posix()
        found = collector(page)
        for url in found.links:
            problem = _check(site, site_url, site_path, rel_page, url, collector)
            if problem:
                broken.append(BrokenLink(rel_page, url, problem))
    for feed in sorted(list(site.rglob("*.xml")) + list(site.rglob("*.json"))):
        if feed.name.startswith("sitemap") or "search" in feed.parts:
            continue
        rel_feed = feed.relative_to(site).as_posix()
        text = feed.read_text(encoding="utf-8", errors="replace")
        for url in set(re.findall(r'(?:href|src|url)"?\s*[:=]\s*"([^"]+)"', text)) | set(
                re.findall(r"<(?:link|id|url)>([^<]+)</", text)):
            url = url.replace("&amp;", "&")
            if site_url and url.startswith(site_url):
                problem = _check(site, site_url, site_path, "", url, collector)
                if problem:
                    broken.append(BrokenLink(rel_feed, url, problem))
    return broken


def _check(site: Path, site_url: str, site_path: str, page: str, url: str, collector) -> str | None:
    if url.startswith(("mailto:", "tel:", "data:", "javascript:")):
        return None
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        if not site_url or not url.startswith(site_url):
            return None  # external
        path = parts.path[len(site_path):] if parts.path.startswith(site_path) else parts.path.lstrip("/")
    elif url.startswith("/"):
        path = parts.path[len(site_path):] if parts.path.startswith(site_path) else parts.path.lstrip("/")
    else:
        if not parts.path:
            path = page
        else:
            path = posixpath.normpath(posixpath.join(posixpath.dirname(page), parts.path))
            if parts.path.endswith("/"):
                path += "/"
    path = unquote(path)
    if path.startswith(".."):
        return "points outside the site"
    target = site / path
    if path.endswith("/") or path in ("", ".") or target.is_dir():
        target = target / "index.html"
    if not target.is_file():
        return "no such file"
    if parts.fragment and target.suffix == ".html":
        if unquote(parts.fragment) not in collector(target).ids:
            return f"no element with id '{unquote(parts.fragment)}'"
    return None
