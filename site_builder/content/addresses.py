"""Checks across files of the addresses they make: the required pages, reserved paths, and the same
URL, id or alias claimed twice."""

from __future__ import annotations

from typing import Any

from ..config import KINDS
from ..errors import Problem
from ..textutil import josa, quoted
from .model import Article, Page
from .reader import ContentReader
from .vocabulary import RESERVED

# The front-matter keys whose lines cross_checks reads from ContentReader.key_lines (all it needs of a file's lines)
ADDRESS_KEYS = frozenset({"slug", "id", "aliases"})
REQUIRED_PAGES = {"about": "소개", "privacy": "개인정보 처리방침", "copyright": "저작권정책",
                  "no-email-collection": "이메일무단수집거부"}


def cross_checks(reader: ContentReader, articles: list[Article], pages: list[Page]) -> list[Problem]:
    """Problems that involve several files: same URL twice, same id twice, aliases that collide.
    Each is reported at the line that makes the address (slug:, id:, the alias), or line 1 when the
    address comes from the file name."""
    problems: list[Problem] = []
    owners: dict[str, str] = {}
    ids: dict[str, str] = {}

    def key_line(source: str, *key: Any) -> int | None:
        lines = reader.key_lines.get(source, {})
        return lines.get(tuple(key))

    def claim(url: str, source: str, line: int | None, field_name: str, hint: str) -> None:
        other = owners.get(url)
        if other and other != source:
            problems.append(Problem(source, line or 1, field_name,
                                    f"주소 {josa('/' + url, '가')} {josa(quoted(other), '와')} 겹칩니다", hint))
        else:
            owners[url] = source

    present = {page.slug for page in pages}
    for slug, title in REQUIRED_PAGES.items():
        if slug not in present:
            problems.append(Problem(f"content/pages/{slug}.md", 1, "page", f"'{title}' 페이지가 없습니다",
                                    f"content/pages/{slug}.md를 만드세요 (모든 페이지 바닥글에 링크됩니다)", "warning"))
    for page in pages:
        path = f"content/{page.source}"
        if page.slug in RESERVED or page.slug in KINDS:
            problems.append(Problem(path, key_line(path, "slug") or 1, "slug",
                                    f"주소 {josa(f'/{page.slug}/', '는')} 사이트가 쓰는 주소입니다", "다른 slug를 쓰세요"))
        claim(page.url, path, key_line(path, "slug"), "slug", "slug를 바꿔 두 페이지의 주소를 다르게 하세요")
    for article in sorted(articles, key=lambda a: a.source):
        path = f"content/{article.source}"
        line = key_line(path, "slug")
        claim(article.url, path, line, "slug",
              "slug: 줄의 주소를 바꿔 두 글의 주소를 다르게 하세요" if line else
              "파일 이름의 slug 부분을 바꾸거나 머리말에 slug: 다른-주소 를 쓰세요")
        if article.id in ids:
            problems.append(Problem(path, key_line(path, "id") or 1, "id",
                                    f"id {josa(quoted(article.id), '가')} {josa(quoted(ids[article.id]), '와')} 겹칩니다",
                                    "한쪽에 id: 다른-값 을 쓰세요"))
        ids.setdefault(article.id, path)
    for article in sorted(articles, key=lambda a: a.source):
        path = f"content/{article.source}"
        for index, alias in enumerate(article.aliases):
            claim(alias, path, key_line(path, "aliases", index) or key_line(path, "aliases"), "aliases",
                  "옛 주소가 다른 글의 주소와 겹치지 않게 고치거나 지우세요")
    return problems
