"""content/pages/*.md: the site's fixed pages (소개, 개인정보 처리방침, ...)."""

from __future__ import annotations

from pathlib import Path

from ..errors import Problem
from ..textutil import is_ascii_slug, josa, quoted
from .dates import date_problem, parse_when
from .files import FileCheck
from .frontmatter import split_front_matter
from .model import Page
from .reader import Body, ContentReader

PAGE_KEYS = {"title", "summary", "updated", "slug"}


def load_page(reader: ContentReader, path: Path) -> tuple[Page | None, list[Problem]]:
    """Read and check one page; return it (None if it has errors) and every problem found."""
    rel_path = reader.rel(path)
    fm, problems = split_front_matter(path.read_text(encoding="utf-8"), rel_path)
    if fm is None:
        return None, problems
    check = FileCheck(rel_path, fm)
    reader.key_lines[rel_path] = fm.lines
    source = path.relative_to(reader.root).as_posix()
    reader.bodies.append(Body(rel_path, source, fm.body, fm.body_line, False))
    for key in fm.data:
        if key not in PAGE_KEYS:
            check.warn((key,), "알 수 없는 항목입니다", "오타인지 확인하세요")
    title = str(fm.data.get("title") or "").strip()
    if not title:
        check.error(("title",), "필수 항목이 없습니다", "title: 페이지 제목 을 쓰세요")
    slug = str(fm.data.get("slug") or path.stem)
    if not is_ascii_slug(slug):
        check.error(("slug",) if "slug" in fm.data else (), f"주소(slug) {josa(quoted(slug), '가')} 올바르지 않습니다",
                    "영문 소문자, 숫자, 하이픈만 쓰세요")
    updated = parse_when(fm.data["updated"]) if fm.data.get("updated") is not None else None
    if fm.data.get("updated") is not None and updated is None:
        check.error(("updated",), *date_problem(fm.data['updated'], "YYYY-MM-DD"))
    if check.has_errors:
        return None, check.problems
    return Page(slug=slug, source=source, title=title, summary=str(fm.data.get("summary") or ""), updated=updated,
                body=fm.body.strip("\n")), check.problems
