"""Every link and image in the bodies of articles and pages, resolved as MkDocs resolves them."""

from __future__ import annotations

import os
import posixpath
import re
from datetime import datetime
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urlsplit

from ..config import KINDS
from ..errors import Problem
from ..textutil import josa, quoted
from .model import Article, Page
from .reader import Body, ContentReader
from .vocabulary import RESERVED

_FENCE = re.compile(r"^\s*(```|~~~)")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_INLINE = re.compile(r"(?P<image>!?)\[(?P<text>(?:[^\[\]]|\[[^\]]*\])*)\]\(\s*(?P<url><[^>]*>|(?:[^()\s]|\([^()\s]*\))*)"
                     r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)")
_REFERENCE = re.compile(r"^\s{0,3}\[(?P<text>[^\]]+)\]:\s*(?P<url><[^>]*>|\S+)")
_HTML_URL = re.compile(r"<(?P<tag>a|img)\b[^>]*?\b(?:href|src)\s*=\s*[\"'](?P<url>[^\"']*)[\"']", re.I)


def iter_body_links(body: Body) -> Iterator[tuple[int, str, bool]]:
    """Yield (line, url, is_image) for every link and image of a body, outside code."""
    fenced = None
    for offset, line in enumerate(body.text.split("\n")):
        fence = _FENCE.match(line)
        if fence:
            if fenced is None:
                fenced = fence.group(1)
            elif fence.group(1) == fenced:
                fenced = None
            continue
        if fenced is not None or line.startswith(("    ", "\t")) and not line.strip().startswith(("-", "*", "!", "[", "<")):
            continue
        if "](" not in line and "]:" not in line and "<" not in line:
            continue  # most lines have no link: skip the patterns
        text = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line) if "`" in line else line
        number = body.first_line + offset
        for match in _INLINE.finditer(text):
            yield number, match.group("url").strip("<>"), bool(match.group("image"))
        reference = _REFERENCE.match(text)
        if reference and not text.lstrip().startswith("[^"):
            yield number, reference.group("url").strip("<>"), False
        for match in _HTML_URL.finditer(text):
            yield number, match.group("url"), match.group("tag").lower() == "img"


def content_files(root: Path) -> set[str]:
    """Return every file under root as a path relative to it: what root.rglob("*") finds that is_file()
    (links to files counted, linked folders not entered), without making a Path of each."""
    found: set[str] = set()

    def walk(folder: str, prefix: str) -> None:
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except PermissionError:
            return
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path, prefix + entry.name + "/")
                elif entry.is_file():
                    found.add(prefix + entry.name)
            except OSError:
                continue

    if root.is_dir():
        walk(str(root), "")
    return found


def body_link_problems(reader: ContentReader, articles: list[Article], pages: list[Page],
                       now: datetime) -> list[Problem]:
    """Every link and image of every body (drafts and pages included) resolved as MkDocs resolves it:
    relative to the file, a link to an article by its .md file. A missing target is an error at its line;
    so is a link to a draft, whose page is not on the public site (a warning when the link is itself in a
    draft); a link to a scheduled article is a warning."""
    links = _Links(reader, articles, pages, now)
    for body in reader.bodies:
        for line, raw, is_image in iter_body_links(body) if body.links is None else body.links:
            parts = urlsplit(raw)
            if not raw or raw.startswith("#") or parts.scheme or raw.startswith("//"):
                continue
            path = unquote(parts.path)
            if path.startswith("/"):
                links.site_address(body, line, raw, path, is_image)
            else:
                links.relative(body, line, raw, path, is_image)
    return links.problems


class _Links:
    """The site's files, articles and pages, indexed for resolving links; collects the problems."""

    def __init__(self, reader: ContentReader, articles: list[Article], pages: list[Page], now: datetime):
        self.now = now
        self.files = content_files(reader.root)
        self.by_source = {a.source: a for a in articles}
        self.drafts = {b.source for b in reader.bodies if b.draft}
        self.page_sources = {p.source for p in pages} | {b.source for b in reader.bodies if b.source.startswith("pages/")}
        self.by_url = {a.url: a for a in articles}
        for article in articles:
            for alias in article.aliases:
                self.by_url.setdefault(alias, article)
        self.page_urls = {p.url for p in pages}
        self.by_name: dict[str, list[str]] = {}
        for name in self.files:
            self.by_name.setdefault(posixpath.basename(name), []).append(name)
        self.problems: list[Problem] = []

    def error(self, body: Body, line: int, message: str, hint: str, severity: str = "error") -> None:
        self.problems.append(Problem(body.path, line, "body", message, hint, severity))

    def suggestion(self, body: Body, wanted: str) -> str | None:
        """A path to a file of the same name elsewhere, written relative to this body's file."""
        found = self.by_name.get(posixpath.basename(wanted), [])
        if len(found) != 1:
            return None
        return posixpath.relpath(found[0], posixpath.dirname(body.source))

    def target(self, body: Body, line: int, url: str, target: str, title: str, draft: bool,
               date: datetime | None) -> None:
        """Report a link to an article that is not public: a draft, or scheduled for later."""
        if draft:
            self.error(body, line,
                       f"링크 {josa(quoted(url), '가')} 초안(draft: true)인 {josa(quoted(title), '을')} 가리킵니다: "
                       "초안은 공개 사이트에 없어 이 링크가 깨집니다",
                       ("이 글을 공개하기 전에 " if body.draft else "")
                       + f"content/{target}의 draft: true 줄을 지워 그 글을 공개하거나, 링크를 빼세요",
                       "warning" if body.draft else "error")
        elif date is not None and date > self.now:
            self.error(body, line,
                       f"링크 {josa(quoted(url), '가')} 발행 예약된 {josa(quoted(title), '을')} 가리킵니다: "
                       f"그 글이 나오는 {date:%Y-%m-%d %H:%M} 전까지는 이 링크가 깨집니다",
                       "예약 시각이 지난 뒤에 링크를 넣거나, 그 글의 date를 앞당기세요", "warning")

    def article_link(self, body: Body, line: int, url: str, resolved: str) -> bool:
        """True if `resolved` (an .md path under content/) is a file; report it if it is not public."""
        article = self.by_source.get(resolved)
        if article is not None:
            self.target(body, line, url, resolved, article.title, article.draft, article.date)
            return True
        if resolved in self.drafts or resolved in self.page_sources:
            if resolved in self.drafts:
                self.target(body, line, url, resolved, resolved, True, None)
            return True
        return resolved in self.files  # an article with errors of its own: those are reported there

    def site_address(self, body: Body, line: int, raw: str, path: str, is_image: bool) -> None:
        """A link that starts with /: a file under content/, or an address on the site."""
        what = "본문 이미지" if is_image else "링크"
        rel = path.lstrip("/")
        if rel in self.files and not rel.endswith(".md"):
            return
        if rel.endswith(".md"):
            fixed = posixpath.relpath(rel, posixpath.dirname(body.source))
            self.error(body, line, f"{what} {josa(quoted(raw), '가')} .md 파일을 사이트 주소처럼 /로 시작해 겁니다",
                       f"이 글 파일 기준 상대 경로로 쓰세요: {fixed}")
            return
        url_key = rel.rstrip("/") + "/" if rel else ""
        first = rel.split("/", 1)[0]
        article = self.by_url.get(url_key)
        if article is not None:
            self.target(body, line, raw, article.source, article.title, article.draft, article.date)
            return
        if url_key in self.page_urls or not rel or (first in RESERVED and not is_image) \
                or (first in KINDS and url_key == f"{first}/"):
            return
        self.error(body, line, f"{what} {josa(quoted(raw), '가')} 가리키는 주소가 사이트에 없습니다",
                   "다른 글로 가는 링크는 그 글의 .md 파일을 이 글 파일 기준 상대 경로로 쓰세요 "
                   "(예: ../meeting/2018-09-21-first-small-meeting.md)")

    def relative(self, body: Body, line: int, raw: str, path: str, is_image: bool) -> None:
        """A link relative to the body's file: an article's .md file, another file, or a site address."""
        what = "본문 이미지" if is_image else "링크"
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(body.source), path))
        if resolved.startswith("../") or resolved == "..":
            self.error(body, line, f"{what} {josa(quoted(raw), '가')} content/ 폴더 밖을 가리킵니다",
                       "content/ 안의 파일을 이 글 파일 기준 상대 경로로 쓰세요")
            return
        if resolved.endswith(".md") and not is_image:
            if self.article_link(body, line, raw, resolved):
                return
            fixed = self.suggestion(body, resolved)
            self.error(body, line, f"링크 {josa(quoted(raw), '가')} 가리키는 글 content/{josa(resolved, '이')} 없습니다",
                       f"{josa(fixed, '로')} 고치세요 (링크는 이 글 파일이 있는 폴더 기준입니다)" if fixed else
                       "다른 글의 .md 파일 경로를 이 글 파일 기준 상대 경로로 쓰세요 "
                       "(예: ../meeting/2018-09-21-first-small-meeting.md)")
            return
        if resolved in self.files:
            return
        if path.endswith("/") and resolved != ".":
            self.relative_address(body, line, raw, path, resolved)
            return
        fixed = self.suggestion(body, resolved)
        if is_image:
            hint = (f"{josa(fixed, '로')} 고치세요 (본문 이미지의 경로는 이 글 파일이 있는 폴더 기준입니다)" if fixed else
                    f"content/{resolved}에 파일을 넣거나 경로를 고치세요 (이 글 파일 기준 상대 경로, "
                    "예: ../images/feature/cover.jpg)")
            self.error(body, line, f"본문 이미지 파일 content/{josa(resolved, '이')} 없습니다", hint)
        else:
            hint = (f"{josa(fixed, '로')} 고치세요 (링크는 이 글 파일이 있는 폴더 기준입니다)" if fixed else
                    f"content/{resolved}에 파일을 넣거나 경로를 고치세요 (이 글 파일 기준 상대 경로)")
            self.error(body, line, f"링크 {josa(quoted(raw), '가')} 가리키는 파일 content/{josa(resolved, '이')} 없습니다",
                       hint)

    def relative_address(self, body: Body, line: int, raw: str, path: str, resolved_dir: str) -> None:
        """A site address written relatively (../first-small-meeting/): MkDocs leaves it as is.
        On the site it resolves against the page's URL; in feeds and email against the file."""
        owner = self.by_source.get(body.source)
        base = owner.url if owner else posixpath.dirname(body.source) + "/"
        article = self.by_url.get(posixpath.normpath(posixpath.join(base, path)) + "/") \
            or self.by_url.get(resolved_dir.rstrip("/") + "/")
        hint = (f"그 글의 파일로 거세요: {posixpath.relpath(article.source, posixpath.dirname(body.source))}"
                if article else "다른 글로 가는 링크는 그 글의 .md 파일을 상대 경로로 쓰세요")
        self.error(body, line,
                   f"링크 {josa(quoted(raw), '는')} 파일이 아니라 주소를 상대 경로로 써서 사이트와 피드·뉴스레터에서 서로 다른 곳을 가리킵니다",
                   hint)
