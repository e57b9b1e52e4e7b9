"""What templates see as `sb`: read-only helpers over the catalog for one build."""

from __future__ import annotations

import json
from datetime import datetime as DateTime
from pathlib import Path
from typing import Any, Callable

from ..catalog import Catalog, Listing
from ..config import KINDS, Term
from ..content.vocabulary import FACETS, district_key, kind_label
from ..content.model import Article, Author
from ..textutil import korean_date, korean_datetime
from ..render.contributions import HeadLink
from .share_images import ShareCard, ShareImage, ShareImages

FOOTER_PAGES = ("privacy", "copyright", "no-email-collection")
# The label of a share image by the template of a generated page.
SHARE_LABELS = {"sb-home.html": "시민소통·아카이빙 채널", "sb-listing.html": "모아보기", "sb-facet.html": "모아보기",
                "sb-archive.html": "아카이브", "sb-timeline.html": "타임라인", "sb-subscribe.html": "뉴스레터",
                "sb-newsletter-archive.html": "뉴스레터", "sb-newsletter.html": "뉴스레터"}


class SiteView:
    """head_links(listing): the outputs' head links of a page showing listing; share images are written
    into site_dir; is_serve: a preview with drafts shown."""

    def __init__(self, catalog: Catalog, *, head_links: Callable[[Listing | None], list[HeadLink]],
                 share_images: ShareImages, site_dir: Path, is_serve: bool = False):
        self.catalog = catalog
        self.config = catalog.config
        self.office = catalog.config.office
        self.kinds = KINDS
        self._head_links = head_links
        self._share_images = share_images
        self.site_dir = site_dir
        self._agenda = {t.id: t for t in catalog.config.agenda}
        self._series = {t.id: t for t in catalog.config.series}
        self.is_serve = is_serve

    # dates
    def date(self, value: DateTime) -> str:
        return korean_date(value)

    def datetime(self, value: DateTime) -> str:
        return korean_datetime(value)

    def iso(self, value: DateTime) -> str:
        return value.isoformat()

    # names and URLs (site paths; templates pass them through MkDocs' `url` filter)
    def kind_name(self, kind: str) -> str:
        return kind_label(kind)

    def agenda(self, agenda_id: str) -> Term:
        return self._agenda[agenda_id]

    def series(self, series_id: str) -> Term:
        return self._series[series_id]

    def tag_url(self, tag: str) -> str:
        return FACETS["tag"].url(self.catalog.tag_slugs[tag])

    def district_url(self, name: str) -> str:
        return FACETS["district"].url(district_key(name))

    def authors(self, article: Article) -> list[Author]:
        return self.catalog.authors_of(article)

    def author(self, author_id: str) -> Author | None:
        return self.catalog.authors.get(author_id)

    def has_external_author(self, article: Article) -> bool:
        return self.catalog.has_external_author(article)

    def related(self, article: Article) -> list[Article]:
        return self.catalog.related(article)

    def neighbours(self, article: Article):
        return self.catalog.neighbours(article)

    def article(self, article_id: str | None) -> Article | None:
        return self.catalog.article(article_id) if article_id else None

    def default_license(self):
        """The licence of the office's own works when an article names none (the footer's sentence)."""
        from ..content.licenses import LICENSES

        return LICENSES.get(self.catalog.config.default_license)

    def footer_pages(self) -> list:
        by_slug = {p.slug: p for p in self.catalog.pages}
        return [by_slug[s] for s in FOOTER_PAGES if s in by_slug]

    def page_by_slug(self, slug: str):
        return next((p for p in self.catalog.pages if p.slug == slug), None)

    def absolute(self, path: str) -> str:
        return self.config.absolute_url(path)

    def head_links(self, page: Any) -> list:
        listing = None
        meta = getattr(page, "meta", None) or {}
        if "sb_article" in meta:
            listing = self.catalog.listing("kind", meta["sb_article"].kind)
        elif "sb_spec" in meta:
            listing = meta["sb_spec"].data.get("listing")
        return self._head_links(listing)

    def listing_of_page(self, page: Any) -> Listing | None:
        meta = getattr(page, "meta", None) or {}
        spec = meta.get("sb_spec")
        return spec.data.get("listing") if spec else None

    def syndication(self, article: Article) -> tuple:
        """Return where else the article was published (content/syndication.yml), for "다른 곳에서 보기"."""
        return self.catalog.syndication_of(article)

    def share_card(self, page: Any) -> ShareCard:
        """What the page's share image shows: its title, its kind or page type, its picture."""
        meta = getattr(page, "meta", None) or {}
        content = self.config.content_dir
        article = meta.get("sb_article")
        if article is not None:
            if article.slides:
                return ShareCard(article.title, self.kind_name(article.kind), content / article.slides[0].image.path,
                                 whole=True)
            image = article.lead_image
            return ShareCard(article.title, self.kind_name(article.kind), content / image.path if image else None)
        spec = meta.get("sb_spec")
        if spec is not None and spec.path:
            title = spec.title
            pagination = spec.data.get("pagination")
            if pagination is not None and pagination.page > 1:
                title = title.rsplit(" (", 1)[0]  # every page of a listing shares its first page's image
            return ShareCard(title, SHARE_LABELS.get(spec.template, "안내"))
        if "sb_page" in meta:
            return ShareCard(meta["sb_page"].title, "안내")
        # the home page, and pages without a page of their own (404)
        return ShareCard(self.config.extra.get("tagline", "") or self.config.site_name,
                         SHARE_LABELS["sb-home.html"])

    def share_image(self, page: Any) -> ShareImage:
        """The page's share image, written into the site being built (from the cache when it is there)."""
        card = self.share_card(page)
        return self._share_images.write(card, self.site_dir,
                                               alt=f"{card.title} — {card.label}, {self.config.site_name}")

    def jsonld(self, article: Article) -> str:
        """Return schema.org Article JSON-LD for the article's page."""
        image = article.lead_image
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "VideoObject" if article.kind == "video" else "Article",
            "headline": article.title,
            "identifier": article.id,  # the stable id: the publisher's live check looks for it
            "description": article.summary,
            "datePublished": article.date.isoformat(),
            "dateModified": article.modified.isoformat(),
            "inLanguage": "ko",
            "mainEntityOfPage": self.absolute(article.url),
            "author": [{"@type": "Person", "name": a.name, "affiliation": a.affiliation or None,
                        "url": self.absolute(a.url)} for a in self.authors(article)],
            "publisher": {"@type": "Organization", "name": self.office.name},
            "keywords": list(article.tags),
        }
        if image:
            data["image"] = self.absolute(image.path)
        if article.license:
            data["license"] = article.license.url
        if article.rights_holders:  # an outside contributor's work: they hold the rights, not the office
            data["copyrightHolder"] = [{"@type": "Person" if name != self.office.name else "Organization",
                                        "name": name} for name in article.rights_holders]
        if article.kind == "video" and article.video:
            data["name"] = article.title
            data["uploadDate"] = article.date.isoformat()
            data["duration"] = article.video.duration_iso
            if image:
                data["thumbnailUrl"] = self.absolute(image.path)
        text = json.dumps(data, ensure_ascii=False, indent=None)
        return text.replace("</", "<\\/")
