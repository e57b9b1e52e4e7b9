"""content/authors.yml: every writer, with the checks of each entry."""

from __future__ import annotations

from ..errors import Problem
from ..textutil import is_ascii_slug, josa, quoted
from .files import FileCheck
from .frontmatter import FrontMatter, parse_yaml
from .model import Author
from .reader import ContentReader

AUTHOR_KEYS = {"id", "name", "affiliation", "external", "bio", "photo", "photo_alt"}


def load_authors(reader: ContentReader) -> tuple[dict[str, Author], list[Problem]]:
    """Return the writers by id and every problem of content/authors.yml."""
    path = reader.root / "authors.yml"
    rel = reader.rel(path)
    if not path.is_file():
        return {}, [Problem(rel, 1, "authors", "필자 목록 파일이 없습니다",
                            "content/authors.yml에 id, name, affiliation을 가진 필자를 적으세요")]
    data, lines, duplicates, problems = parse_yaml(path.read_text(encoding="utf-8"), rel, 1)
    if problems:
        return {}, problems
    check = FileCheck(rel, FrontMatter(data={}, lines=lines, body="", body_line=1))
    check.duplicates(duplicates)
    if not isinstance(data, list):
        check.error((), "필자 목록은 '- id: ...'로 시작하는 목록이어야 합니다", "예시는 편집자 안내서를 보세요")
        return {}, check.problems
    authors: dict[str, Author] = {}
    for index, item in enumerate(data):
        author = _author(reader, check, index, item, authors)
        if author is not None:
            authors[author.id] = author
    return authors, check.problems


def _author(reader: ContentReader, check: FileCheck, index: int, item: object,
            authors: dict[str, Author]) -> Author | None:
    if not isinstance(item, dict):
        check.error((index,), "필자 항목은 id, name 등을 가진 묶음이어야 합니다", "- id: kim-haneul 처럼 쓰세요")
        return None
    author_id = item.get("id")
    if not isinstance(author_id, str) or not is_ascii_slug(author_id):
        check.error((index, "id"), f"필자 id {josa(quoted(author_id), '가')} 올바르지 않습니다",
                    "영문 소문자, 숫자, 하이픈으로 쓰세요 (예: kim-haneul)")
        return None
    if author_id in authors:
        check.error((index, "id"), f"필자 id {josa(quoted(author_id), '가')} 두 번 나옵니다", "한 사람에 하나의 id만 쓰세요")
        return None
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        check.error((index, "name"), "필자 이름이 없습니다", "name: 홍길동 처럼 쓰세요")
        return None
    for key in item:
        if key not in AUTHOR_KEYS:
            check.warn((index, key), f"알 수 없는 항목 '{key}'", "오타인지 확인하세요")
    photo = None
    if item.get("photo"):
        photo = reader.media.image(check, (index, "photo"), item["photo"],
                                   item.get("photo_alt") or f"{name} 프로필", (index, "photo_alt"))
    return Author(id=author_id, name=name.strip(), affiliation=str(item.get("affiliation") or ""),
                  external=bool(item.get("external", False)), bio=str(item.get("bio") or ""), photo=photo)
