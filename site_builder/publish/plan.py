"""From the catalog to `Post`s, and from posts and settings to the work of one run (pure but for
reading front matter's `social:` overrides; no network, no ledger)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from ..catalog import Catalog
from ..content.vocabulary import kind_label
from ..errors import Problem
from ..content.frontmatter import split_front_matter
from ..content.model import Article, Image
from .channel import MediaItem, Post
from .settings import NEWSLETTER_KIND, AccountSettings, PublishSettings


@dataclass(frozen=True)
class PlannedPost:
    """A post and what its public page must contain to pass the live check."""

    post: Post
    source: str          # the editor's file, for messages (content/interview/...md)
    live_marker: str     # text the canonical page must contain (the article's stable id in its JSON-LD)


@dataclass(frozen=True)
class Task:
    """One post on one channel account."""

    planned: PlannedPost
    account: AccountSettings

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.planned.post.id, self.account.channel, self.account.account)


def _media(catalog: Catalog, image: Image) -> MediaItem:
    config = catalog.config
    return MediaItem(path=str(config.content_dir / image.path), public_url=config.absolute_url(image.path),
                     alt=image.alt, mime=image.mime or "image/jpeg", width=image.width, height=image.height,
                     size=image.size)


def social_overrides(catalog: Catalog, article: Article) -> tuple[dict[str, str], list[Problem]]:
    """Return front matter `social: {<channel>: text}` of the article, and problems with it."""
    rel = f"content/{article.source}"
    path = catalog.config.content_dir / article.source
    try:
        fm, _ = split_front_matter(path.read_text(encoding="utf-8"), rel)
    except OSError:
        return {}, []
    if fm is None or "social" not in fm.data:
        return {}, []
    value = fm.data["social"]
    line = fm.lines.get(("social",), 1)
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        return {}, [Problem(rel, line, "social", "채널별 글의 묶음이어야 합니다",
                            "social:\n  mastodon: 마스토돈에 올릴 글 처럼 쓰세요")]
    return {str(k): v.strip() for k, v in value.items()}, []


def post_of_article(catalog: Catalog, article: Article, overrides: dict[str, str] | None = None) -> Post:
    """Return the Post for one article: every card-news slide, otherwise its lead image."""
    if article.kind == "cardnews" and article.slides:
        media = tuple(_media(catalog, s.image) for s in article.slides)
    elif article.lead_image:
        media = (_media(catalog, article.lead_image),)
    else:
        media = ()
    overrides = dict(overrides or {})
    digest = hashlib.sha256(json.dumps(
        [article.title, article.summary, list(article.tags), [m.public_url for m in media],
         [m.alt for m in media], sorted(overrides.items())], ensure_ascii=False).encode()).hexdigest()
    return Post(id=article.id, kind=article.kind, kind_label=kind_label(article.kind),
                title=article.title, summary=article.summary,
                url=catalog.config.absolute_url(article.url), tags=tuple(article.tags), media=media,
                overrides=overrides, date=article.date, content_hash=digest)


def live_marker(article_id: str) -> str:
    """The text of an article page that proves it is this article's page (its JSON-LD identifier)."""
    return f'"identifier": {json.dumps(article_id, ensure_ascii=False)}'


def iter_planned(catalog: Catalog, settings: PublishSettings) -> tuple[list[PlannedPost], list[Problem]]:
    """Return the visible articles of configured kinds as posts, oldest first (and newsletters'
    web versions when `newsletters: true`), with the editors' problems found on the way."""
    problems: list[Problem] = []
    wanted = set(settings.kinds) | {k for a in settings.accounts for k in a.kinds}
    planned: list[PlannedPost] = []
    for article in sorted(catalog.articles, key=lambda a: (a.date, a.id)):
        if article.kind not in wanted:
            continue
        overrides, found = social_overrides(catalog, article)
        problems += found
        planned.append(PlannedPost(post_of_article(catalog, article, overrides), f"content/{article.source}",
                                   live_marker(article.id)))
    if settings.newsletters or any(NEWSLETTER_KIND in a.kinds for a in settings.accounts):
        planned += _newsletters(catalog, problems)
    return planned, problems


def _newsletters(catalog: Catalog, problems: list[Problem]) -> list[PlannedPost]:
    from ..newsletter.issues import load_issues  # only when configured: newsletters are optional

    issues, found = load_issues(catalog.config, catalog)
    problems += [p for p in found if p.is_error]
    out = []
    for issue in issues:
        if issue.draft or issue.date > catalog.now:
            continue
        articles = issue.articles
        lead = next((a.lead_image for a in articles if a.lead_image), None)
        media = (_media(catalog, lead),) if lead else ()
        summary = issue.preheader or ", ".join(a.title for a in articles[:3])
        digest = hashlib.sha256(json.dumps([issue.title, summary, [m.public_url for m in media]],
                                           ensure_ascii=False).encode()).hexdigest()
        post = Post(id=f"newsletter-{issue.slug}", kind=NEWSLETTER_KIND, kind_label="뉴스레터",
                    title=issue.title, summary=summary, url=catalog.config.absolute_url(issue.url),
                    tags=(), media=media, date=issue.date, content_hash=digest)
        # the web version carries no JSON-LD id: its title in the page is the proof
        out.append(PlannedPost(post, issue.source, issue.title))
    return out


def tasks(planned: list[PlannedPost], settings: PublishSettings) -> list[Task]:
    """Return every (post, account) pair the settings ask for, oldest post first, then by channel."""
    out = []
    for item in planned:
        for account in settings.accounts:
            if item.post.kind in account.kinds:
                out.append(Task(item, account))
    return out


def content_root(catalog: Catalog) -> Path:
    """Where content/ is (syndication.yml lives there)."""
    return catalog.config.content_dir
