"""One Markdown setup for every output (site, feeds, email), and HTML sanitizing."""

from __future__ import annotations

import posixpath
import re
import threading
from typing import Any, Callable

import markdown as md
import nh3
from pymdownx.slugs import slugify

# The same extensions are injected into MkDocs by the site plugin, so the site and the
# feeds/newsletters render bodies identically. Heading ids keep Hangul ("청년-정책").
EXTENSIONS: list[str] = [
    "toc", "tables", "attr_list", "md_in_html", "footnotes", "admonition", "def_list", "sane_lists",
    "pymdownx.details", "pymdownx.superfences", "pymdownx.tilde", "pymdownx.mark",
    "site_builder.render.mdext",
]
EXTENSION_CONFIGS: dict[str, dict[str, Any]] = {
    "toc": {"permalink": False, "slugify": slugify(case="lower"), "toc_depth": "2-3"},
    "footnotes": {"BACKLINK_TITLE": "본문 %d번으로 돌아가기"},
}

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details", "div", "dl",
    "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
    "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "summary", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "time", "section", "aside",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "lang", "title"},
    "a": {"href", "rel", "target"},
    "img": {"src", "alt", "width", "height", "loading"},
    "th": {"scope", "colspan", "rowspan", "align", "style"},
    "td": {"colspan", "rowspan", "align", "style"},
    "time": {"datetime"},
    "ol": {"start", "type"},
    "details": {"open"},
}


_CONVERTERS = threading.local()


def render_markdown(text: str) -> str:
    """Return the HTML of a Markdown body (not sanitized).

    One converter per thread, reset between documents: building a converter with these extensions
    costs about half as much as converting a typical article (Python-Markdown supports reuse after
    reset(), which every extension with per-document state implements)."""
    converter = getattr(_CONVERTERS, "md", None)
    if converter is None:
        converter = _CONVERTERS.md = md.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)
    else:
        converter.reset()
    return converter.convert(text)


def sanitize_html(html: str) -> str:
    """Return HTML with scripts, event handlers, styles and unknown tags removed."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes={"http", "https", "mailto", "tel"}, link_rel=None,
                     strip_comments=True, filter_style_properties={"text-align"})


_URL_ATTR = re.compile(r'(?P<attr>\b(?:href|src))="(?P<url>[^"]*)"')


def rewrite_urls(html: str, rewrite: Callable[[str], str]) -> str:
    """Return html with every href/src passed through rewrite(url)."""
    return _URL_ATTR.sub(lambda m: f'{m.group("attr")}="{rewrite(m.group("url"))}"', html)


def resolve_relative(source: str, url: str) -> str:
    """Resolve a URL written in content/<source> to a path relative to content/."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), url))
