"""The words of the archive: the kinds, Seoul's districts and the one facet table (every way of grouping
articles, with its Korean label and URL prefix) that the catalog, site, feeds and search share.

The kinds' names and labels are `config.KINDS`: the subscription form (subscribers/, which may not import
content) offers them as topics, so they stay in the ground layer; this module reads them from there.
Agenda and series terms are configured in mkdocs.yml (`SiteConfig.agenda`, `.series`)."""

from __future__ import annotations

from dataclasses import dataclass

from ..config import KINDS

# Seoul's 25 autonomous districts (자치구) with the ASCII ids used in URLs.
DISTRICTS: dict[str, str] = {
    "종로구": "jongno", "중구": "jung", "용산구": "yongsan", "성동구": "seongdong",
    "광진구": "gwangjin", "동대문구": "dongdaemun", "중랑구": "jungnang", "성북구": "seongbuk",
    "강북구": "gangbuk", "도봉구": "dobong", "노원구": "nowon", "은평구": "eunpyeong",
    "서대문구": "seodaemun", "마포구": "mapo", "양천구": "yangcheon", "강서구": "gangseo",
    "구로구": "guro", "금천구": "geumcheon", "영등포구": "yeongdeungpo", "동작구": "dongjak",
    "관악구": "gwanak", "서초구": "seocho", "강남구": "gangnam", "송파구": "songpa",
    "강동구": "gangdong",
}


@dataclass(frozen=True)
class Facet:
    """One way of grouping articles: a listing per key, at prefix + key + '/'."""

    name: str  # kind | series | agenda | district | tag | author
    label: str  # the Korean word readers see: 종류, 코너, ...
    prefix: str  # site path before the key: '' for kinds (interview/), 'tags/' for tags

    def url(self, key: str) -> str:
        """Site path of the listing of `key`: 'tags/<slug>/', 'interview/'."""
        return f"{self.prefix}{key}/"


FACETS: dict[str, Facet] = {facet.name: facet for facet in (
    Facet("kind", "종류", ""),
    Facet("series", "코너", "series/"),
    Facet("agenda", "의제", "agenda/"),
    Facet("district", "자치구", "districts/"),
    Facet("tag", "태그", "tags/"),
    Facet("author", "필자", "authors/"),
)}

# First path segments the site itself uses: a page's slug may not take them.
RESERVED = {f.prefix.rstrip("/") for f in FACETS.values() if f.prefix} | {
    "archive", "timeline", "subscribe", "newsletter", "feeds", "search", "assets", "images", "videos", "page", "404"}


def kind_label(kind: str) -> str:
    """Return a kind's Korean label (인터뷰), or the name itself for a kind the archive does not have."""
    return KINDS.get(kind, kind)


def district_key(name: str) -> str:
    """Return the URL id of a district: 마포구 -> mapo."""
    return DISTRICTS[name]
