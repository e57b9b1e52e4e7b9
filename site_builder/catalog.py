"""The catalog: one immutable view of all content, indexed for every output.

Feeds, newsletters, social posts and the site are all functions of a Catalog."""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from itertools import repeat
from pathlib import Path
from types import MappingProxyType
from typing import Iterable, Mapping

from .config import KINDS, SiteConfig, load_config, now_kst
from .content import (DISTRICTS, FACETS, Article, Author, LoadedContent, Page, SyndicationLink, TimelineEvent,
                      district_key, load_content, load_syndication)
from .errors import ContentError, Problem
from .textutil import slugify_term


RELATED_WEIGHTS = MappingProxyType({"series": 3, "agenda": 2, "tag": 2, "district": 1})


@dataclass(frozen=True)
class Listing:
    """A named group of articles with its own pages and feed: a kind, tag, agenda, ..."""

    facet: str  # kind | tag | agenda | district | series | author
    key: str  # the ASCII id used in URLs
    name: str  # Korean display name
    description: str
    articles: tuple[Article, ...]

    @property
    def url(self) -> str:
        return FACETS[self.facet].url(self.key)

    @property
    def facet_name(self) -> str:
        return FACETS[self.facet].label


@dataclass(frozen=True)
class Catalog:
    """All published content and its indexes. Build with load_catalog()."""

    config: SiteConfig
    now: datetime
    articles: tuple[Article, ...]  # visible articles, newest first
    scheduled: tuple[Article, ...]  # future-dated, not yet visible
    drafts: tuple[Article, ...]  # drafts (visible only when include_drafts)
    authors: Mapping[str, Author]
    pages: tuple[Page, ...]
    timeline: tuple[TimelineEvent, ...]
    warnings: tuple[Problem, ...] = ()
    _by_id: Mapping[str, Article] = field(default_factory=dict, repr=False)
    _by_source: Mapping[str, Article] = field(default_factory=dict, repr=False)
    _listings: Mapping[tuple[str, str], Listing] = field(default_factory=dict, repr=False)
    _by_url: Mapping[str, Article] = field(default_factory=dict, repr=False)
    _position: Mapping[str, int] = field(default_factory=dict, repr=False)
    # article id -> the listings related() scores that hold it, a listing as often as it holds it
    _signatures: Mapping[str, tuple[tuple[str, str], ...]] = field(default_factory=dict, repr=False)
    _most_listed: Mapping[tuple[str, str], int] = field(default_factory=dict, repr=False)  # the most times
    tag_slugs: Mapping[str, str] = field(default_factory=dict, repr=False)
    # article id -> where else it was published (content/syndication.yml), for "다른 곳에서 보기"
    syndication: Mapping[str, tuple[SyndicationLink, ...]] = field(default_factory=dict, repr=False)

    # -- lookups ---------------------------------------------------------------
    def article(self, id_or_source: str) -> Article | None:
        """Return a visible article by stable id, by path under content/, or by URL."""
        key = id_or_source.strip().lstrip("/")
        if key.startswith("content/"):
            key = key[len("content/"):]
        return self._by_id.get(key) or self._by_source.get(key) or self._by_url.get(key.rstrip("/") + "/")

    def syndication_of(self, article: Article) -> tuple[SyndicationLink, ...]:
        """Return the places the article was published besides the site, in recorded order."""
        return self.syndication.get(article.id, ())

    def listing(self, facet: str, key: str) -> Listing | None:
        return self._listings.get((facet, key))

    def listings(self, facet: str | None = None) -> list[Listing]:
        """Every non-empty listing, in a stable order (by facet, then configured/name order)."""
        return [l for (f, _), l in self._listings.items() if facet is None or f == facet]

    def listings_of(self, article: Article) -> list[Listing]:
        """The listings an article belongs to (its kind first)."""
        keys = [("kind", article.kind)]
        keys += [("series", article.series)] if article.series else []
        keys += [("agenda", a) for a in article.agenda]
        keys += [("district", district_key(d)) for d in article.districts]
        keys += [("tag", self.tag_slugs[t]) for t in article.tags]
        keys += [("author", a) for a in article.authors]
        return [self._listings[k] for k in keys if k in self._listings]

    def by_month(self) -> dict[tuple[int, int], tuple[Article, ...]]:
        """Articles grouped by (year, month), newest month first."""
        groups: dict[tuple[int, int], list[Article]] = defaultdict(list)
        for article in self.articles:
            groups[(article.date.year, article.date.month)].append(article)
        return {k: tuple(v) for k, v in sorted(groups.items(), reverse=True)}

    def related(self, article: Article, limit: int = 3) -> list[Article]:
        """Articles sharing series (3 points), agenda or tags (2 each) or districts (1 each),
        best match first, newest on ties. Only listing co-members are scored.

        Linear-ish: the article's listings are read rarest first (fewest members per point), each
        co-member scored exactly from its own memberships, and reading stops once the listings left
        could add up to less than the score of the last of the `limit` best so far, since an article
        found only in those could not reach it (ties go to the newer, so an equal score is read on)."""
        if limit <= 0:
            return []
        wanted: dict[tuple[str, str], int] = defaultdict(int)  # listing -> points, a key counted per use
        for listing in self.listings_of(article):
            weight = RELATED_WEIGHTS.get(listing.facet)
            if weight:
                wanted[(listing.facet, listing.key)] += weight
        # the most a listing can add to one article's score: an article may be in a listing twice
        # (two of its tags, "AI" and "ai", share one address)
        most = {k: w * self._most_listed[k] for k, w in wanted.items()}
        order = sorted(wanted, key=lambda k: len(self._listings[k].articles) / most[k])
        left = sum(most.values())
        position, signatures, points = self._position, self._signatures, wanted.get
        nothing = repeat(0)
        best: list[tuple[int, int, str]] = []  # (score, -position, id): best[0] is the last of the best
        seen = {article.id}
        for key in order:
            left -= most[key]
            for other in self._listings[key].articles:
                other_id = other.id
                if other_id in seen:
                    continue
                seen.add(other_id)
                score = sum(map(points, signatures[other_id], nothing))
                if len(best) < limit:
                    heapq.heappush(best, (score, -position[other_id], other_id))
                elif score >= best[0][0] and (score, -position[other_id]) > best[0][:2]:
                    heapq.heapreplace(best, (score, -position[other_id], other_id))
            if len(best) == limit and left < best[0][0]:
                break
        return [self._by_id[article_id] for _, _, article_id in sorted(best, reverse=True)]

    def neighbours(self, article: Article) -> tuple[Article | None, Article | None]:
        """(newer, older) article next to this one in the whole archive."""
        index = self._position.get(article.id)
        if index is None:
            return None, None
        newer = self.articles[index - 1] if index > 0 else None
        older = self.articles[index + 1] if index + 1 < len(self.articles) else None
        return newer, older

    def authors_of(self, article: Article) -> list[Author]:
        return [self.authors[a] for a in article.authors if a in self.authors]

    def has_external_author(self, article: Article) -> bool:
        return any(author.external for author in self.authors_of(article))

    def timeline_events(self) -> list[TimelineEvent]:
        """The preparation's timeline: configured events plus every visible meeting, by date."""
        events = list(self.timeline)
        linked = {e.article_id for e in events if e.article_id}
        for article in self.articles:
            if article.kind == "meeting" and article.meeting and article.id not in linked:
                events.append(TimelineEvent(date=article.meeting.when, title=article.title,
                                            description=article.summary, article_id=article.id,
                                            source=f"content/{article.source}"))
        return sorted(events, key=lambda e: (e.date, e.title))


def _index(config: SiteConfig, articles: Iterable[Article], authors: Mapping[str, Author],
           tag_slugs: Mapping[str, str]) -> dict[tuple[str, str], Listing]:
    groups: dict[tuple[str, str], list[Article]] = defaultdict(list)
    for article in articles:
        groups[("kind", article.kind)].append(article)
        if article.series:
            groups[("series", article.series)].append(article)
        for agenda in article.agenda:
            groups[("agenda", agenda)].append(article)
        for district in article.districts:
            groups[("district", district_key(district))].append(article)
        for tag in article.tags:
            groups[("tag", tag_slugs[tag])].append(article)
        for author in article.authors:
            groups[("author", author)].append(article)
    listings: dict[tuple[str, str], Listing] = {}

    def add(facet: str, key: str, name: str, description: str = "") -> None:
        members = groups.get((facet, key))
        if members:
            listings[(facet, key)] = Listing(facet, key, name, description, tuple(members))

    for kind, name in KINDS.items():
        add("kind", kind, name)
    for term in config.series:
        add("series", term.id, term.name, term.description)
    for term in config.agenda:
        add("agenda", term.id, term.name, term.description)
    for name, key in DISTRICTS.items():
        add("district", key, name)
    for tag in sorted(tag_slugs):
        add("tag", tag_slugs[tag], tag)
    for author in authors.values():
        add("author", author.id, author.name, author.bio)
    return listings


def _signatures(articles: Iterable[Article], listings: Mapping[tuple[str, str], Listing]
                ) -> tuple[dict[str, tuple[tuple[str, str], ...]], dict[tuple[str, str], int]]:
    """The listings related() scores that hold each article (repeated as often as one holds it),
    and the most times a listing holds one article."""
    held: dict[str, list[tuple[str, str]]] = {a.id: [] for a in articles}
    most: dict[tuple[str, str], int] = {}
    for key, listing in listings.items():
        if listing.facet in RELATED_WEIGHTS:
            for article in listing.articles:
                held[article.id].append(key)
            most[key] = 1
    for keys in held.values():
        if len(set(keys)) < len(keys):  # a listing holding this article twice (two tags, one address)
            for key, times in Counter(keys).items():
                most[key] = max(most[key], times)
    return {article_id: tuple(keys) for article_id, keys in held.items()}, most


def build_catalog(config: SiteConfig, loaded: LoadedContent, *, now: datetime | None = None,
                  include_drafts: bool = False, warnings: Iterable[Problem] = ()) -> Catalog:
    """Return the catalog of loaded content as of `now` (default: the current time in KST)."""
    now = now or now_kst()
    ordered = sorted(loaded.articles, key=lambda a: (a.date, a.id), reverse=True)
    drafts = tuple(a for a in ordered if a.draft)
    scheduled = tuple(a for a in ordered if a.date > now and not a.draft)
    visible = tuple(a for a in ordered if a.date <= now and (include_drafts or not a.draft))
    tag_slugs = {tag: slugify_term(tag) for a in visible for tag in a.tags}
    listings = _index(config, visible, loaded.authors, tag_slugs)
    signatures, most_listed = _signatures(visible, listings)
    return Catalog(
        config=config, now=now, articles=visible, scheduled=scheduled, drafts=drafts,
        authors=MappingProxyType(dict(loaded.authors)), pages=loaded.pages, timeline=loaded.timeline,
        warnings=tuple(warnings),
        _by_id=MappingProxyType({a.id: a for a in visible}),
        _by_source=MappingProxyType({a.source: a for a in visible}),
        _listings=MappingProxyType(listings),
        _by_url=MappingProxyType({a.url: a for a in visible}),
        _position=MappingProxyType({a.id: i for i, a in enumerate(visible)}),
        _signatures=MappingProxyType(signatures),
        _most_listed=MappingProxyType(most_listed),
        tag_slugs=MappingProxyType(tag_slugs),
        syndication=MappingProxyType(load_syndication(config.content_dir)[0]),
    )


def check_content(config: SiteConfig, *, now: datetime | None = None,
                  cache: bool = True) -> tuple[LoadedContent, list[Problem]]:
    """Validate everything; return loaded content and all problems (errors, warnings, notices).
    cache: reuse the checks of unchanged files from the previous check (content.filecache)."""
    now = now or now_kst()
    loaded, problems = load_content(config, now=now, cache=cache)  # tags and body links are checked there
    problems += load_syndication(config.content_dir)[1]
    for article in loaded.articles:
        if article.date > now and not article.draft:
            problems.append(Problem(f"content/{article.source}", 1, "date",
                                    f"{article.date:%Y-%m-%d %H:%M} 발행 예약된 글입니다", "그날 이후 빌드부터 사이트에 나옵니다",
                                    "info"))
    return loaded, sorted(problems, key=lambda p: (p.path, p.line, p.field))


def load_catalog(root: Path | str | SiteConfig = ".", *, now: datetime | None = None,
                 include_drafts: bool = False) -> Catalog:
    """Load, validate and index all content; raise ContentError listing every error."""
    config = root if isinstance(root, SiteConfig) else load_config(root)
    loaded, problems = check_content(config, now=now)
    errors = [p for p in problems if p.is_error]
    if errors:
        raise ContentError(errors)
    return build_catalog(config, loaded, now=now, include_drafts=include_drafts,
                         warnings=[p for p in problems if not p.is_error])
