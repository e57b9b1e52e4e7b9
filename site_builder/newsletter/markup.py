"""Markdown blocks written in issue files: rendered once to email-safe HTML with absolute URLs, and to text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import lxml.html

from ..catalog import Catalog
from ..config import SiteConfig
from ..render.markdown import render_markdown, rewrite_urls, sanitize_html

ABSOLUTE_SCHEMES = ("http", "https", "mailto", "tel")


@dataclass(frozen=True)
class MarkdownBlock:
    """Editor-written Markdown (an intro, a free block), its HTML, and the URL problems found in it."""

    text: str
    html: str
    line: int  # file line of the block's first line
    bad_links: tuple[tuple[str, int], ...] = ()  # (url, line) for relative or unknown targets
    images_without_alt: tuple[tuple[str, int], ...] = ()


def _line_of(text: str, needle: str, first_line: int) -> int:
    for offset, line in enumerate(text.split("\n")):
        if needle in line:
            return first_line + offset
    return first_line


def resolve_url(config: SiteConfig, catalog: Catalog, url: str) -> str | None:
    """Return the absolute form of a URL written in an issue, or None when it cannot be made absolute.

    Accepted: absolute URLs, site paths (/interview/x/), article files (interview/2018-10-24-x.md,
    with or without content/ or ../) and files under content/ (images/x.png)."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme in ABSOLUTE_SCHEMES:
        return url
    if parts.scheme:
        return None
    if url.startswith("//"):
        return "https:" + url
    if url.startswith("/"):
        return config.site_url + url.lstrip("/")
    path = re.sub(r"^(\.\./)+", "", parts.path)
    if path.startswith("content/"):
        path = path[len("content/"):]
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    if path.endswith(".md"):
        article = catalog.article(path)
        return config.site_url + article.url + fragment if article else None
    if path and (config.content_dir / path).is_file():
        return config.site_url + path
    return None


def render_block(config: SiteConfig, catalog: Catalog, text: str, first_line: int) -> MarkdownBlock:
    """Return the block's sanitized HTML with every URL absolute, noting links that could not be made so."""
    bad: list[tuple[str, int]] = []

    def rewrite(url: str) -> str:
        if not url:
            return url
        absolute = resolve_url(config, catalog, url)
        if absolute is None:
            bad.append((url, _line_of(text, url, first_line)))
            return url
        return absolute

    html = rewrite_urls(sanitize_html(render_markdown(text)), rewrite)
    missing_alt = []
    if "<img" in html:
        for img in lxml.html.fragment_fromstring(html, create_parent="div").iter("img"):
            if not (img.get("alt") or "").strip():
                src = img.get("src") or ""
                missing_alt.append((src, _line_of(text, src.rsplit("/", 1)[-1] or src, first_line)))
    return MarkdownBlock(text=text, html=html, line=first_line, bad_links=tuple(bad),
                         images_without_alt=tuple(missing_alt))


_BLOCK_TAGS = {"p", "div", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "blockquote", "table", "pre", "figure",
               "details", "section", "aside", "dl", "hr"}


def _flow(text: str) -> str:
    # Source line breaks inside a paragraph are spaces; block boundaries add their own newlines.
    return " ".join(text.split("\n")) if text.strip() else " "


def html_to_text(html: str) -> str:
    """Return readable plain text of a small HTML fragment; links become 'text (url)', images their alt."""
    if not html.strip():
        return ""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    out: list[str] = []

    def walk(node, prefix: str = "") -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _BLOCK_TAGS or tag == "li" or tag == "tr":
            out.append("\n\n" if tag in _BLOCK_TAGS else "\n")
        if tag == "li":
            parent = node.getparent()
            marker = f"{list(parent).index(node) + 1}. " if parent is not None and parent.tag == "ol" else "- "
            out.append(marker)
        if tag in ("h2", "h3", "h4", "h5", "h6"):
            out.append("■ ")
        if tag == "blockquote":
            out.append("> ")
        if tag == "br":
            out.append("\n")
        if tag == "hr":
            out.append("----------")
        if tag == "img":
            alt = (node.get("alt") or "").strip()
            if alt:
                out.append(f"[이미지: {alt}]")
        if tag == "a":
            label = " ".join(node.text_content().split())
            href = node.get("href") or ""
            target = href[len("mailto:"):] if href.startswith("mailto:") else href
            if not label or label == target:
                out.append(href if not href.startswith("mailto:") else target)
            else:
                out.append(f"{label} ({target})" if not href.startswith("mailto:") else f"{label} <{target}>")
            if node.tail:
                out.append(_flow(node.tail))
            return
        if node.text:
            out.append(_flow(node.text))
        for child in node:
            walk(child)
        if tag in ("td", "th"):
            out.append("  ")
        if node.tail and node is not root:
            out.append(_flow(node.tail))

    walk(root)
    text = "".join(out)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
