"""Load and validate every editor's file under content/; collect all problems, never raise.

The order: authors.yml, every article, pages/, timeline.yml, then the checks across files (addresses,
links and images in bodies, tags), which use what the per-file checks recorded in the ContentReader.
The articles' checks are each a value (content.checked), made on every core and kept between builds
(content.filecache); the checks across files run over all of them every time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..config import SiteConfig, now_kst
from ..errors import Problem
from .addresses import cross_checks
from .articles import article_sources
from .authors import load_authors
from .checked import check_article_files
from .filecache import cached_article_files
from .links import body_link_problems
from .model import Article, Author, Page, TimelineEvent
from .pages import load_page
from .reader import ContentReader
from .tags import tag_problems
from .timeline import load_timeline


@dataclass(frozen=True)
class LoadedContent:
    """Everything read from content/: articles (drafts and scheduled included), authors, pages."""

    articles: tuple[Article, ...]
    authors: dict[str, Author]
    pages: tuple[Page, ...]
    timeline: tuple[TimelineEvent, ...]


def load_content(config: SiteConfig, *, now: datetime | None = None,
                 cache: bool = True) -> tuple[LoadedContent, list[Problem]]:
    """Read and validate all of content/; return what loaded and every problem found.
    `now` (default: the current time in Seoul) decides which linked articles are still scheduled;
    cache: reuse the checks of unchanged article files (content.filecache) and record the others."""
    reader = ContentReader(config)
    problems: list[Problem] = []
    if not config.content_dir.is_dir():
        problems.append(Problem(reader.rel(config.content_dir), 1, "content", "content 폴더가 없습니다",
                                "프로젝트 폴더에서 실행하거나 mkdocs.yml의 docs_dir을 확인하세요"))
        return LoadedContent((), {}, (), ()), problems
    authors, found = load_authors(reader)
    problems += found
    articles: list[Article] = []
    sources = article_sources(config.content_dir)
    checked = (cached_article_files(reader, sources, authors) if cache else
               check_article_files(reader, [config.content_dir / source for source in sources], authors))
    for one in checked:
        one.record(reader)
        problems += one.problems
        if one.article:
            articles.append(one.article)
    pages: list[Page] = []
    pages_dir = config.content_dir / "pages"
    for path in sorted(pages_dir.glob("*.md")) if pages_dir.is_dir() else ():
        page, found = load_page(reader, path)
        problems += found
        if page:
            pages.append(page)
    timeline, found = load_timeline(reader, {a.source: a for a in articles})
    problems += found
    problems += cross_checks(reader, articles, pages)
    problems += body_link_problems(reader, articles, pages, now or now_kst())
    problems += tag_problems(reader)
    return LoadedContent(tuple(articles), authors, tuple(pages), tuple(timeline)), problems
