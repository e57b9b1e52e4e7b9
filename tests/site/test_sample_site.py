"""The real sample archive (content/ of this repository) builds into a complete, linked site."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from site_builder.catalog import load_catalog
from site_builder.build.linkcheck import check_site


def test_sample_archive_is_rich_enough_to_be_worth_reading(built_sample: Path) -> None:
    catalog = load_catalog(built_sample)
    kinds = Counter(a.kind for a in catalog.articles)
    assert len(catalog.articles) >= 25
    assert set(kinds) == {"interview", "column", "meeting", "feature", "cardnews", "video", "infographic"}
    assert kinds["cardnews"] >= 2 and kinds["video"] >= 1 and kinds["infographic"] >= 1
    assert len(catalog.authors) >= 5
    assert sum(1 for a in catalog.authors.values() if a.external) >= 2
    assert {p.slug for p in catalog.pages} >= {"about", "privacy", "copyright", "no-email-collection"}


def test_sample_site_has_every_page_kind(built_sample: Path) -> None:
    site = built_sample / "site"
    catalog = load_catalog(built_sample)
    for article in catalog.articles:
        assert (site / article.url / "index.html").is_file(), article.url
    for listing in catalog.listings():
        assert (site / listing.url / "index.html").is_file(), listing.url
    for path in ["index.html", "archive/index.html", "timeline/index.html", "authors/index.html",
                 "subscribe/index.html", "404.html", "sitemap.xml"]:
        assert (site / path).is_file(), path


def test_sample_site_has_no_broken_internal_link(built_sample: Path) -> None:
    assert check_site(built_sample / "site", "https://yours.example.org/") == []
