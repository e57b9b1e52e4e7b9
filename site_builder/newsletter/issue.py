"""A newsletter issue as the newsletter outputs use it: the keys of an issue file and the Issue read from it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..content import Article, FileCheck, line_in
from .markup import MarkdownBlock

ISSUE_KEYS = {"number", "subject", "preheader", "date", "slug", "is_advertising", "draft", "sections",
              "feedback", "topics"}
SECTION_KEYS = {"title", "intro", "articles", "latest", "markdown"}
LATEST_KEYS = {"kind", "series", "tag", "agenda", "limit", "since"}
FEEDBACK_KEYS = {"id", "question", "answers"}
AD_MARK = "(광고)"
# Variants the Enforcement Decree (시행령 제61조) does not allow, and the right mark typed by hand.
AD_VARIANTS = re.compile(r"[\(\[\<\{（【〈「]\s*광\s*고\s*[\)\]\>\}）】〉」]")
MAX_ANSWERS = 5



@dataclass(frozen=True)
class IssueItem:
    """One article in a section of an issue, with the editor's optional note."""

    article: Article
    note: str = ""


@dataclass(frozen=True)
class Section:
    """A titled part of an issue: picked or queried articles, or a free Markdown block."""

    title: str
    intro: MarkdownBlock | None = None
    entries: tuple[IssueItem, ...] = ()
    markdown: MarkdownBlock | None = None
    line: int = 1

    @property
    def is_block(self) -> bool:
        return self.markdown is not None


@dataclass(frozen=True)
class IssueQuestion:
    """The issue's feedback question: one question, 2–5 answers, each a link."""

    id: str
    text: str
    answers: tuple[str, ...]


@dataclass(frozen=True)
class Issue:
    """One newsletter issue as editors wrote it, with its articles resolved from the catalog."""

    number: int
    slug: str
    date: datetime
    subject: str  # as sent: '(광고) ' prefixed when is_advertising
    title: str  # the subject without the (광고) mark, for the archive and the web version
    preheader: str
    intro: MarkdownBlock | None
    sections: tuple[Section, ...]
    feedback: IssueQuestion | None
    is_advertising: bool
    draft: bool
    topics: tuple[str, ...]  # 'kind:x', 'series:x', 'agenda:x' for recipient selection
    source: str  # path relative to the project root, e.g. newsletters/2018-10-31-first-letter.md
    lines: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def url(self) -> str:
        """Site path of the web version: 'newsletter/<slug>/'."""
        return f"newsletter/{self.slug}/"

    @property
    def articles(self) -> tuple[Article, ...]:
        """Every article the issue shows, in order, once each."""
        seen: dict[str, Article] = {}
        for section in self.sections:
            for entry in section.entries:
                seen.setdefault(entry.article.id, entry.article)
        return tuple(seen.values())

    def line_of(self, *path: Any) -> int:
        """Return the line of a front-matter key path in the issue file (its nearest parent's, or 1)."""
        return line_in(self.lines, path)


@dataclass
class IssueDraft:
    """An issue file read but not yet resolved against the catalog and the other issues."""

    check: FileCheck
    fm: Any
    path: str
    number: int | None
    slug: str | None
    date: datetime | None
    draft: bool
