"""Page specs for the archive site: pure functions of the catalog. No MkDocs import here.

The MkDocs plugin turns each PageSpec (site_builder.render.contributions) into a generated MkDocs file
rendered with its template."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterator

from ..catalog import Catalog, Listing
from ..config import KINDS
from ..content.vocabulary import FACETS
from ..content.model import Article
from ..render.contributions import PageSpec
from ..signup import signup_form_data
from ..textutil import korean_month

HOME_LATEST = 9


@dataclass(frozen=True)
class Pagination:
    page: int
    pages: int
    base_url: str  # the listing's first page, e.g. 'interview/'
    total: int

    def url_of(self, number: int) -> str:
        return self.base_url if number == 1 else f"{self.base_url}page/{number}/"

    @property
    def previous_url(self) -> str | None:
        return self.url_of(self.page - 1) if self.page > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.url_of(self.page + 1) if self.page < self.pages else None

    @property
    def numbers(self) -> list[int]:
        return list(range(1, self.pages + 1))


def paginate(items: tuple | list, per_page: int, base_url: str) -> Iterator[tuple[list, Pagination]]:
    """Yield (items of the page, pagination) for every page; at least one page."""
    pages = max(1, math.ceil(len(items) / per_page))
    for number in range(1, pages + 1):
        chunk = list(items[(number - 1) * per_page: number * per_page])
        yield chunk, Pagination(number, pages, base_url, len(items))


def listing_specs(catalog: Catalog, listing: Listing) -> Iterator[PageSpec]:
    for chunk, pagination in paginate(listing.articles, catalog.config.per_page, listing.url):
        title = listing.name if listing.facet in ("kind", "series") else f"{listing.facet_name}: {listing.name}"
        if pagination.page > 1:
            title += f" ({pagination.page}쪽)"
        yield PageSpec(
            path=pagination.url_of(pagination.page), template="sb-listing.html", title=title,
            description=listing.description or f"{listing.facet_name} '{listing.name}'의 글 {len(listing.articles)}개",
            data={"listing": listing, "articles": chunk, "pagination": pagination})


def facet_index_specs(catalog: Catalog) -> Iterator[PageSpec]:
    for facet in ("tag", "agenda", "district", "series", "author"):
        path, title = FACETS[facet].prefix, FACETS[facet].label
        listings = catalog.listings(facet)
        if facet == "tag":
            listings = sorted(listings, key=lambda l: (-len(l.articles), l.name))
        yield PageSpec(path=path, template="sb-facet.html", title=title,
                       description=f"{title}별로 모아 보기", data={"facet": facet, "listings": listings})


def archive_specs(catalog: Catalog) -> Iterator[PageSpec]:
    months = catalog.by_month()
    years: dict[int, list[tuple[int, tuple[Article, ...]]]] = {}
    for (year, month), articles in months.items():
        years.setdefault(year, []).append((month, articles))
    yield PageSpec(path="archive/", template="sb-archive.html", title="아카이브",
                   description="연도와 달로 보는 모든 글", data={"years": years, "scope": None})
    for year, entries in years.items():
        yield PageSpec(path=f"archive/{year}/", template="sb-archive.html", title=f"{year}년의 글",
                       data={"years": {year: entries}, "scope": str(year)})
        for month, articles in entries:
            yield PageSpec(path=f"archive/{year}/{month:02d}/", template="sb-archive.html",
                           title=f"{korean_month(year, month)}의 글",
                           data={"years": {year: [(month, articles)]}, "scope": f"{year}-{month:02d}"})


def site_specs(catalog: Catalog) -> list[PageSpec]:
    """Every generated page of the site: home, listings, indexes, archive, timeline, redirects."""
    config = catalog.config
    series_counts = [(term, catalog.listing("series", term.id)) for term in config.series]
    specs = [PageSpec(
        path="", template="sb-home.html", title=config.site_name, description=config.site_description,
        data={"latest": list(catalog.articles[:HOME_LATEST]),
              "series": [(t, l) for t, l in series_counts if l],
              "kinds": catalog.listings("kind"),
              "timeline": catalog.timeline_events()[-5:]})]
    for listing in catalog.listings():
        specs.extend(listing_specs(catalog, listing))
    specs.extend(facet_index_specs(catalog))
    specs.extend(archive_specs(catalog))
    specs.append(PageSpec(path="timeline/", template="sb-timeline.html", title="타임라인",
                          description="청년자치정부 준비 과정을 날짜순으로",
                          data={"events": catalog.timeline_events()}))
    subscriptions = config.section("subscriptions")
    specs.append(PageSpec(path="subscribe/", template="sb-subscribe.html", title="뉴스레터 구독",
                          description=f"{config.brand} 뉴스레터를 이메일로 받아 보세요",
                          data={"subscriptions": subscriptions, "form": signup_form_data(subscriptions),
                                "kinds": KINDS, "series": config.series, "agenda": config.agenda}))
    for article in catalog.articles:
        for alias in article.aliases:
            specs.append(PageSpec(path=alias, template="sb-redirect.html", title=article.title,
                                  data={"target": article.url}, in_sitemap=False))
    return specs


