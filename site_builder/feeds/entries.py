"""Feeds as plain values, independent of any format: what Atom, RSS and JSON Feed all carry.

Every value here is a function of the catalog alone (no clock, no file system), so the same
catalog gives the same feeds, byte for byte."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from html import escape as _escape
from typing import Iterable

from ..catalog import Catalog, Listing
from ..config import KST
from ..content.vocabulary import FACETS, kind_label
from ..render.html import body_html, image_url
from ..content.licenses import LICENSES, License
from ..render.markdown import rewrite_urls
from ..content.model import Article, Image
from .settings import FeedSettings, feed_settings

ATOM, RSS, JSON = "atom", "rss", "json"
MIME = {ATOM: "application/atom+xml", RSS: "application/rss+xml", JSON: "application/feed+json"}
FORMAT_NAMES = {ATOM: "Atom", RSS: "RSS", JSON: "JSON Feed"}
SITE_PATHS = {ATOM: "atom.xml", RSS: "feed.xml", JSON: "feed.json"}


@dataclass(frozen=True)
class Person:
    name: str
    url: str = ""
    avatar: str = ""


@dataclass(frozen=True)
class Category:
    """One category of an entry: term is the Korean name readers see; scheme + key = its page."""

    facet: str
    key: str
    term: str
    scheme: str

    @property
    def label(self) -> str:
        return f"{FACETS[self.facet].label}: {self.term}"


@dataclass(frozen=True)
class Enclosure:
    """An image an entry shows (cover, card, infographic, poster), with what a reader needs."""

    url: str
    mime: str
    length: int
    width: int
    height: int
    title: str  # the image's alternative text
    role: str  # cover | slide | infographic | poster


@dataclass(frozen=True)
class Entry:
    id: str
    url: str
    title: str
    summary: str
    content_html: str
    published: datetime
    updated: datetime
    authors: tuple[Person, ...]
    categories: tuple[Category, ...]
    enclosures: tuple[Enclosure, ...]
    license: License | None
    rights: str
    kind: str
    article_id: str
    external_url: str = ""  # the video on its platform
    rights_holder: str = ""  # the outside contributor(s) for their work, else the office

    @property
    def lead(self) -> Enclosure | None:
        """The image that represents the entry (cover, else first card, infographic, poster)."""
        return self.enclosures[0] if self.enclosures else None


@dataclass(frozen=True)
class Feed:
    """One feed: the site's or a listing's, in every format it is published in."""

    key: str  # "site" or "<facet>/<key>"
    id: str
    title: str
    description: str
    home_url: str  # absolute URL of the page the feed follows
    paths: dict[str, str]  # format -> site-relative path
    entries: tuple[Entry, ...]
    updated: datetime
    complete: bool  # every article of the listing is in the feed (RFC 5005 complete feed)
    hubs: tuple[str, ...]
    rights: str
    author: Person
    icon: str = ""
    logo: str = ""
    listing: Listing | None = None

    site_url: str = ""
    # RFC 5005 archived feeds (the site feeds only; feeds/archive.py): 0 for a subscription document,
    # n >= 1 for the n-th archive document, oldest first. Each map is format -> site-relative path.
    archive: int = 0
    current: dict[str, str] = field(default_factory=dict)  # an archive's subscription document
    prev_archive: dict[str, str] = field(default_factory=dict)  # the next older archive document
    next_archive: dict[str, str] = field(default_factory=dict)  # the next newer archive document

    def url(self, fmt: str) -> str:
        """Return the absolute URL of this feed in one format."""
        return self.site_url + self.paths[fmt]


# -- ids ---------------------------------------------------------------------------

def tag_uri(settings: FeedSettings, specific: str) -> str:
    """Return a tag: URI (RFC 4151) minted by the site's domain on its fixed date."""
    return f"tag:{settings.id_domain},{settings.id_date}:{specific}"


def entry_id(catalog: Catalog, article: Article) -> str:
    """Return an article's permanent entry id: from its stable id, never its URL or title."""
    return tag_uri(feed_settings(catalog.config), f"article/{article.id}")


# -- paths -------------------------------------------------------------------------

def feed_paths(settings: FeedSettings, listing: Listing | None) -> dict[str, str]:
    """Return format -> site-relative path of the feeds of the site (None) or of a listing."""
    if listing is None:
        return dict(SITE_PATHS)
    if listing.facet not in settings.facets:
        return {}
    base = f"feeds/{listing.facet}/{listing.key}"
    paths = {ATOM: f"{base}.atom.xml", RSS: f"{base}.rss.xml"}
    if listing.facet in settings.json_facets:
        paths[JSON] = f"{base}.json"
    return paths


# -- content -----------------------------------------------------------------------

def escape(text: str) -> str:
    """Escape text for an HTML attribute or text node (quotes only where they matter)."""
    return _escape(text, quote=True).replace("&#x27;", "'")


def _text_html(text: str) -> str:
    """Return plain editor text as HTML paragraphs, line breaks kept."""
    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "".join("<p>" + "<br>".join(escape(line) for line in p.split("\n")) + "</p>" for p in paragraphs)


def _figure(catalog: Catalog, image: Image, caption_html: str = "") -> str:
    size = f' width="{image.width}" height="{image.height}"' if image.width and image.height else ""
    caption = f"<figcaption>{caption_html}</figcaption>" if caption_html else ""
    return (f'<figure><img src="{escape(image_url(catalog, image.path))}" alt="{escape(image.alt)}"{size}>'
            f"{caption}</figure>")


def _absolute_fragments(html: str, page_url: str) -> str:
    """Return html whose in-page links (#fn:1) point into the article's page, as readers need."""
    return rewrite_urls(html, lambda url: page_url + url if url.startswith("#") else url)


def entry_html(catalog: Catalog, article: Article) -> str:
    """Return the full HTML of an article as a feed entry: what its page shows, every URL absolute."""
    page_url = catalog.config.absolute_url(article.url)
    parts: list[str] = []
    if article.cover:
        parts.append(_figure(catalog, article.cover))
    if catalog.has_external_author(article):
        parts.append("<p><em>외부 필자의 글로, 유어스의 공식 입장과 다를 수 있습니다.</em></p>")
    if article.interviewees:
        people = ", ".join(escape(p.name + (f"({p.affiliation})" if p.affiliation else ""))
                           for p in article.interviewees)
        parts.append(f"<p>인터뷰: {people}</p>")
    if article.meeting:
        m = article.meeting
        rows = [("일시", f"{m.when:%Y-%m-%d %H:%M}"), ("장소", m.place), ("주최", m.host)]
        attendees = ", ".join(m.organisations) + (f" ({m.count}명)" if m.count else "")
        if attendees.strip():
            rows.append(("참석", attendees.strip()))
        dl = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in rows if v)
        dl += "<dt>안건</dt>" + "".join(f"<dd>{escape(i)}</dd>" for i in m.agenda_items)
        dl += "<dt>결과</dt>" + "".join(f"<dd>{escape(o)}</dd>" for o in m.outcomes)
        parts.append(f"<dl>{dl}</dl>")
    if article.video:
        video = article.video
        link = f'<a href="{escape(page_url)}">유어스에서 영상 보기 ({escape(video.duration_text)})</a>'
        if video.watch_url:
            link += f' · <a href="{escape(video.watch_url)}">{escape(video.provider.capitalize())}에서 보기</a>'
        link += f' · <a href="{escape(image_url(catalog, video.captions))}">자막(WebVTT)</a>'
        if video.poster:
            parts.append(f'<a href="{escape(page_url)}">{_figure(catalog, video.poster)}</a>')
        parts.append(f"<p>{link}</p>")
        parts.append("<h2>대본</h2>")
    if article.infographic:
        parts.append(_figure(catalog, article.infographic))
        parts.append("<h2>인포그래픽 설명</h2>")
    body = body_html(catalog, article)
    if body.strip():
        parts.append(body)
    if article.slides:
        cards = []
        for number, slide in enumerate(article.slides, start=1):
            caption = f"<strong>{number}/{len(article.slides)}</strong>" + _text_html(slide.text)
            cards.append(f"<li>{_figure(catalog, slide.image, caption)}</li>")
        parts.append("<ol>" + "".join(cards) + "</ol>")
    if article.license:
        rights = escape(entry_rights(catalog, article))
        parts.append(f'<p><small>{rights} <a href="{escape(article.license.url)}" rel="license">'
                     f"{escape(article.license.name)}</a></small></p>")
    return _absolute_fragments("\n".join(parts), page_url)


def entry_rights(catalog: Catalog, article: Article) -> str:
    """Return the licence sentence of an article with its rights holder (Atom rights, RSS dc:rights):
    the outside contributor for their work, the office for its own; '' if it has none."""
    if not article.license:
        return ""
    return article.attribution(catalog.config.office.name or catalog.config.brand)


# -- entries and feeds ---------------------------------------------------------------

def _enclosure(catalog: Catalog, image: Image, role: str) -> Enclosure:
    return Enclosure(image_url(catalog, image.path), image.mime, image.size, image.width, image.height,
                     image.alt, role)


def entry_enclosures(catalog: Catalog, article: Article) -> tuple[Enclosure, ...]:
    """Every image of an article: the lead image first, then cover, infographic, poster, cards in order."""
    images: list[tuple[Image, str]] = []
    if article.cover:
        images.append((article.cover, "cover"))
    if article.infographic:
        images.append((article.infographic, "infographic"))
    if article.video and article.video.poster:
        images.append((article.video.poster, "poster"))
    images += [(slide.image, "slide") for slide in article.slides]
    lead = article.lead_image
    images.sort(key=lambda item: item[0] is not lead)  # stable: the rest keep their order
    found: list[Enclosure] = []
    seen: set[str] = set()
    for image, role in images:
        if image.path not in seen:
            seen.add(image.path)
            found.append(_enclosure(catalog, image, role))
    return tuple(found)


def entry_categories(catalog: Catalog, article: Article) -> tuple[Category, ...]:
    """The kind, series, agenda, districts and tags of an article, each with its Korean name."""
    site = catalog.config.site_url
    cats = []
    for listing in catalog.listings_of(article):
        if listing.facet == "author":
            continue
        cats.append(Category(listing.facet, listing.key, listing.name, site + FACETS[listing.facet].prefix))
    if not any(c.facet == "kind" for c in cats):
        cats.insert(0, Category("kind", article.kind, kind_label(article.kind), site))
    return tuple(cats)


def _kst(value: datetime) -> datetime:
    return value.astimezone(KST)


def build_entry(catalog: Catalog, article: Article) -> Entry:
    """Return the feed entry of a visible article."""
    config = catalog.config
    authors = []
    for author_id in article.authors:
        author = catalog.authors.get(author_id)
        if author is None:
            continue
        authors.append(Person(author.name, config.absolute_url(author.url),
                              image_url(catalog, author.photo.path) if author.photo else ""))
    return Entry(
        id=entry_id(catalog, article),
        url=config.absolute_url(article.url),
        title=article.title,
        summary=article.summary,
        content_html=entry_html(catalog, article),
        published=_kst(article.date),
        updated=_kst(article.modified),
        authors=tuple(authors),
        categories=entry_categories(catalog, article),
        enclosures=entry_enclosures(catalog, article),
        license=article.license,
        rights=entry_rights(catalog, article),
        kind=article.kind,
        article_id=article.id,
        external_url=article.video.watch_url if article.video else "",
        rights_holder=article.rights_holder(config.office.name or config.brand),
    )


def site_rights(catalog: Catalog) -> str:
    """Return the feed-level rights statement: owner and the default licence."""
    config = catalog.config
    owner = config.office.name or config.brand
    default = LICENSES.get(config.default_license)
    if default is None:
        return f"© {owner}"
    return (f"© {owner}. 따로 밝히지 않은 글은 {default.name}({default.conditions}) 조건으로 이용할 수 있습니다. "
            "외부 필자의 글은 필자가 저작권을 가지며, 글마다 밝힌 라이선스를 따릅니다.")


def _limited(articles: Iterable[Article], limit: int | None) -> tuple[tuple[Article, ...], bool]:
    articles = tuple(articles)
    if limit is None or len(articles) <= limit:
        return articles, True
    return articles[:limit], False


def feed_articles(catalog: Catalog, listing: Listing | None, settings: FeedSettings) -> tuple[Article, ...]:
    """Return the articles the feed of listing (None: the site) holds, newest first."""
    if listing is None:
        return _limited(catalog.articles, settings.site_limit)[0]
    return _limited(listing.articles, settings.listing_limit)[0]


def build_feed(catalog: Catalog, listing: Listing | None = None, *,
               settings: FeedSettings | None = None, entries: dict[str, Entry] | None = None,
               with_entries: bool = True) -> Feed:
    """Return the feed of the whole site (listing None) or of one listing; with_entries False: without its
    entries (what the archive documents share: no entry is made)."""
    settings = settings or feed_settings(catalog.config)
    config = catalog.config
    brand = config.brand or config.site_name
    if listing is None:
        articles, complete = _limited(catalog.articles, settings.site_limit)
        key, title = "site", f"{brand} — 전체 글"
        description = config.site_description or title
        home = config.site_url
    else:
        articles, complete = _limited(listing.articles, settings.listing_limit)
        key = f"{listing.facet}/{listing.key}"
        title = f"{brand} — {listing.facet_name}: {listing.name}"
        description = listing.description or f"{brand}의 {listing.facet_name} '{listing.name}' 글"
        home = config.absolute_url(listing.url)
    cache = entries if entries is not None else {}
    feed_entries = []
    for article in articles if with_entries else ():
        if article.id not in cache:
            cache[article.id] = build_entry(catalog, article)
        feed_entries.append(cache[article.id])
    # The feed changes when an entry does: its time is the newest entry's, never the build's.
    if feed_entries:
        updated = max(e.updated for e in feed_entries)
    else:
        year, month, day = (settings.id_date.split("-") + ["01", "01"])[:3]
        updated = datetime(int(year), int(month), int(day), tzinfo=KST)
    return Feed(
        key=key, id=tag_uri(settings, "feed" if listing is None else f"feed/{key}"), title=title,
        description=description, home_url=home, paths=feed_paths(settings, listing),
        entries=tuple(feed_entries), updated=updated, complete=complete, hubs=settings.hubs,
        rights=site_rights(catalog), author=Person(brand, config.site_url),
        icon=image_url(catalog, settings.icon) if settings.icon else "",
        logo=image_url(catalog, settings.logo) if settings.logo else "",
        listing=listing, site_url=config.site_url,
    )


def feed_listings(catalog: Catalog, settings: FeedSettings) -> list[Listing | None]:
    """Return None (the site feed), then every listing with a feed, in a stable order."""
    return [None] + [listing for facet in settings.facets for listing in catalog.listings(facet)]


def iter_feeds(catalog: Catalog, settings: FeedSettings | None = None):
    """Yield the site feed, then every listing's feed, in a stable order."""
    settings = settings or feed_settings(catalog.config)
    cache: dict[str, Entry] = {}
    for listing in feed_listings(catalog, settings):
        yield build_feed(catalog, listing, settings=settings, entries=cache)
