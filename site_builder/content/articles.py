"""One article file (content/<kind>/YYYY-MM-DD-slug.md) read into an Article, with every problem in it."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from ..config import KINDS
from ..errors import Problem
from ..textutil import plain_text, reading_minutes
from . import fields
from .files import FileCheck, read_file
from .frontmatter import FrontMatter
from .kinds import KIND_REGISTRY, Kind
from .model import Article, Author
from .reader import Body, ContentReader


def article_sources(content_dir: Path) -> list[str]:
    """Return every article file as '<folder>/<name>.md' under content/ (pages/ excluded), in path order:
    what sorted(content_dir.glob("*/*.md")) finds (folders followed through links, any entry named *.md),
    listed without making a Path of each of the archive's files."""
    found: list[tuple[str, str]] = []
    for folder in _entries(str(content_dir)):
        try:
            if folder.name == "pages" or not folder.is_dir():
                continue
        except OSError:
            continue
        found += [(folder.name, entry.name) for entry in _entries(folder.path) if entry.name.endswith(".md")]
    return [f"{folder}/{name}" for folder, name in sorted(found)]


def _entries(folder: str) -> list[os.DirEntry]:
    try:
        with os.scandir(folder) as entries:
            return list(entries)
    except PermissionError:  # as glob: a folder that cannot be listed has nothing in it
        return []


def stable_id(file_date: str, slug: str, aliases: tuple[str, ...] | list[str]) -> str:
    """Return an article's permanent id: its original file stem (date + first slug).

    A renamed article lists its old URL first in `aliases`, so the original slug is kept."""
    original = aliases[0].rstrip("/").rsplit("/", 1)[-1] if aliases else slug
    return f"{file_date}-{original}"


def load_article(reader: ContentReader, path: Path, authors: dict[str, Author]) -> tuple[Article | None, list[Problem]]:
    """Read and check one article; return it (None if it has errors) and every problem found."""
    shown = reader.rel(path)
    raw, fm, problems = read_file(path, shown)
    if fm is None:
        return None, problems
    check = FileCheck(shown, fm)
    reader.key_lines[shown] = fm.lines
    check.duplicates(fm.duplicates)
    placed = _placed(check, path)
    if placed is None:
        return None, check.problems
    kind, file_date, file_slug = placed
    slug = fields.slug_of(check, fm.data, file_slug)
    source = path.relative_to(reader.root).as_posix()
    reader.bodies.append(Body(shown, source, fm.body, fm.body_line, fm.data.get("draft") is True))
    fields.unknown_keys(check, fm.data, kind.name, kind.keys)
    values = fields.common_fields(reader, check, fm.data, file_date, authors)
    body, body_line = _body(fm)
    extra = kind.check(reader, check, fm.data, body)
    if check.has_errors:
        return None, check.problems
    stable = fields.explicit_id(check, fm.data)
    if check.has_errors:
        return None, check.problems
    assert values["date"] is not None and slug is not None
    article = Article(id=stable or stable_id(file_date, slug, values["aliases"]), kind=kind.name, slug=slug,
                      source=source, body=body, body_line=body_line, content_hash=hashlib.sha256(raw).hexdigest(),
                      reading_minutes=_reading_minutes(body, extra), **values, **extra)
    return article, check.problems


def _placed(check: FileCheck, path: Path) -> tuple[Kind, str, str] | None:
    """Return (kind, file date, file slug) from the file's folder and name, or None after reporting them."""
    kind = KIND_REGISTRY.get(path.parent.name)
    if kind is None:
        check.error((), f"알 수 없는 종류 폴더 '{path.parent.name}'",
                    f"content/ 아래 {', '.join(KINDS)} 중 하나의 폴더에 두세요")
        return None
    named = check.dated_name(path.name, "2018-10-05-youth-union.md")
    return (kind, *named) if named else None


def _body(fm: FrontMatter) -> tuple[str, int]:
    """Return the body without its surrounding blank lines, and the file line it starts at."""
    return fm.body.strip("\n"), fm.body_line + len(fm.body) - len(fm.body.lstrip("\n"))


def _reading_minutes(body: str, extra: dict[str, Any]) -> int:
    return reading_minutes(" ".join([plain_text(body)] + [s.text for s in extra.get("slides", ())]))
