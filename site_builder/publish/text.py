"""Counting, truncation, hashtags and UTM for social posts, each network counted its own way.

Pure functions, no I/O. Every network measures a post differently, and a post that one network
accepts may be refused by another, so each channel names its `Limit`s and `fit_text` shortens the
body (never the link) until every limit holds:

- Bluesky: 300 graphemes (`regex`'s `\\X`, i.e. extended grapheme clusters) and 3,000 UTF-8 bytes;
  link facets are UTF-8 *byte* offsets (`byte_span`).
- Mastodon: 500 graphemes by default (instance-set), every URL counts as 23 whatever its length
  (Mastodon's StatusLengthValidator; URLs found with twitter-text's extractor, as Mastodon does).
- Threads: 500 characters where an emoji counts as its UTF-8 bytes; at most 5 links.
- X: twitter-text v3 weighted length (Hangul, CJK and emoji weigh 2, URLs 23, 280 max), from the
  `twitter-text-parser` package, a port of twitter-text v3 (it states it passes twitter-text's conformance suite).
- Telegram: UTF-16 code units; 4,096 for a message, 1,024 for a photo/album caption.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import regex
from twitter_text import extract_urls_with_indices, parse_tweet

URL_WEIGHT = 23          # Mastodon and X count every URL as 23, whatever its length
ELLIPSIS = "…"

_GRAPHEME = regex.compile(r"\X")
_EMOJI = regex.compile(r"\p{Extended_Pictographic}|\p{Regional_Indicator}")
_LINK = re.compile(r"https?://[^\s<>\"]+")
_NOT_IN_HASHTAG = regex.compile(r"[^\p{L}\p{M}\p{N}_]+")


def graphemes(text: str) -> list[str]:
    """Return the user-perceived characters (extended grapheme clusters) of text."""
    return _GRAPHEME.findall(text)


def grapheme_length(text: str) -> int:
    """Return the number of graphemes: 👩‍👩‍👧 is 1, 한 is 1, é as e + U+0301 is 1."""
    return len(graphemes(text))


def utf8_length(text: str) -> int:
    """Return the number of UTF-8 bytes."""
    return len(text.encode("utf-8"))


def utf16_length(text: str) -> int:
    """Return the number of UTF-16 code units (what Telegram counts): an emoji outside the BMP is 2."""
    return len(text.encode("utf-16-le")) // 2


def byte_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Return the UTF-8 byte offsets of the str slice text[start:end] (Bluesky facet indices)."""
    byte_start = utf8_length(text[:start])
    return byte_start, byte_start + utf8_length(text[start:end])


def find_links(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) str indices of every http(s) URL in text."""
    return [(m.start(), m.end()) for m in _LINK.finditer(text)]


def mastodon_length(text: str) -> int:
    """Return Mastodon's length: graphemes, with every URL counted as 23."""
    spans = sorted((u["indices"][0], u["indices"][1])
                   for u in extract_urls_with_indices(text) if u["url"].lower().startswith(("http://", "https://")))
    total, cursor = 0, 0
    for start, end in spans:
        total += grapheme_length(text[cursor:start]) + URL_WEIGHT
        cursor = end
    return total + grapheme_length(text[cursor:])


def threads_length(text: str) -> int:
    """Return Threads' length: characters, except that an emoji counts as its UTF-8 bytes."""
    total = 0
    for cluster in graphemes(text):
        total += utf8_length(cluster) if _EMOJI.search(cluster) else len(cluster)
    return total


def link_count(text: str) -> int:
    """Return how many distinct links the text has (Threads refuses more than 5)."""
    return len({text[s:e] for s, e in find_links(text)})


def x_length(text: str) -> int:
    """Return X's weighted length (twitter-text v3: Hangul/CJK/emoji 2, URLs 23; the limit is 280)."""
    return parse_tweet(text).weightedLength


@dataclass(frozen=True)
class Limit:
    """One limit of a network: `measure(text) <= maximum`, with the Korean name of the unit."""

    maximum: int
    measure: Callable[[str], int]
    unit: str                 # e.g. "자(그래프럼)", "바이트", "UTF-16 단위"

    def excess(self, text: str) -> int:
        """Return by how much text is over this limit (0 if it fits)."""
        return max(0, self.measure(text) - self.maximum)


def check_limits(text: str, limits: Iterable[Limit]) -> list[str]:
    """Return a Korean sentence for each limit the text breaks."""
    problems = []
    for limit in limits:
        used = limit.measure(text)
        if used > limit.maximum:
            problems.append(f"{used:,}{limit.unit}로 한도 {limit.maximum:,}{limit.unit}를 {used - limit.maximum:,} 넘습니다")
    return problems


def fits(text: str, limits: Iterable[Limit]) -> bool:
    """Return True if text is within every limit."""
    return all(limit.measure(text) <= limit.maximum for limit in limits)


def hashtags(tags: Iterable[str], limit: int | None = None) -> tuple[str, ...]:
    """Return hashtags for tags: '청년 자치' -> '#청년자치'; punctuation dropped, duplicates removed."""
    seen: list[str] = []
    for tag in tags:
        word = _NOT_IN_HASHTAG.sub("", tag)
        if not word or word.isdigit():
            continue   # a hashtag of digits only is not a hashtag on any network
        tagged = "#" + word
        if tagged.casefold() not in (t.casefold() for t in seen):
            seen.append(tagged)
    return tuple(seen[:limit] if limit is not None else seen)


def add_utm(url: str, source: str, medium: str = "social", campaign: str = "", content: str = "") -> str:
    """Return url with UTM parameters for one channel (existing query kept, existing utm_* replaced)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not k.startswith("utm_")]
    utm = {"utm_source": source, "utm_medium": medium, "utm_campaign": campaign, "utm_content": content}
    query += [(k, v) for k, v in utm.items() if v]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


def channel_link(url: str, channel: str, options: dict, campaign: str) -> str:
    """Return the article URL as this channel links it: UTM from options (`utm: false` turns it off)."""
    utm = options.get("utm", True)
    if utm is False:
        return url
    utm = utm if isinstance(utm, dict) else {}
    return add_utm(url, source=utm.get("source", channel), medium=utm.get("medium", "social"),
                   campaign=utm.get("campaign", campaign), content=utm.get("content", ""))


def truncate(text: str, keep: Callable[[str], bool]) -> str:
    """Return the longest prefix of text, cut at a grapheme boundary and ending in '…', that keep accepts.

    Returns text itself if keep accepts it. Trailing spaces before the ellipsis are dropped. Binary
    search over graphemes: every measure here grows with the prefix.
    """
    if keep(text):
        return text
    clusters = graphemes(text)
    low, high = 0, len(clusters)   # keep(prefix(low)) is True, keep(prefix(high)) is False
    prefix = lambda n: "".join(clusters[:n]).rstrip() + ELLIPSIS if n else ""
    if not keep(prefix(0)):
        return ""
    while high - low > 1:
        middle = (low + high) // 2
        if keep(prefix(middle)):
            low = middle
        else:
            high = middle
    return prefix(low)


def fit_text(body: str, tail: str, limits: Iterable[Limit], tags: tuple[str, ...] = (),
             separator: str = "\n\n") -> tuple[str, tuple[str, ...]]:
    """Return (text, hashtags kept): body, then tail (the link, never cut), then hashtags, within limits.

    Hashtags go first when space runs out (from the last one), then the body is shortened at a
    grapheme boundary. If the tail alone does not fit, the text is body-less and validate reports it.
    """
    limits = tuple(limits)

    def assemble(head: str, kept: tuple[str, ...]) -> str:
        pieces = [p for p in (head.strip(), tail) if p]
        text = separator.join(pieces)
        if kept:
            text += ("\n" if tail else separator) + " ".join(kept)
        return text

    kept = tuple(tags)
    while kept and not fits(assemble(body, kept), limits):
        kept = kept[:-1]
    head = truncate(body.strip(), lambda candidate: fits(assemble(candidate, kept), limits))
    return assemble(head, kept), kept


def display_url(url: str, length: int = 30) -> str:
    """Return a short label for a link (no scheme, no query, cut to length with '…'), as Bluesky shows them."""
    parts = urlsplit(url)
    label = parts.netloc + parts.path.rstrip("/")
    return label if len(label) <= length else label[: length - 1] + ELLIPSIS
