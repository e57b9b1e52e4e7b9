"""Checking one editor's file, for articles and newsletter issues alike: read it and its front matter,
and report each problem as `path:line: field: what is wrong — how to fix` at the line of its key."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

from ..errors import Problem
from ..textutil import josa, quoted
from .frontmatter import FrontMatter, split_front_matter

# content/<kind>/2018-10-05-youth-union.md, newsletters/2018-10-31-first-letter.md
DATED_FILENAME = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})-(?P<slug>.+)\.md$")


def field_name(key: tuple) -> str:
    """Return a key path as editors read it: ('slides', 0, 'alt') -> 'slides[1].alt'."""
    name = ".".join(str(k) if not isinstance(k, int) else f"[{k + 1}]" for k in key)
    return name.replace(".[", "[") or "front matter"


def read_file(path: Path, shown: str) -> tuple[bytes, FrontMatter | None, list[Problem]]:
    """Return a Markdown file's bytes, its front matter (None when unreadable) and the problems found;
    `shown` is the path as editors see it in messages."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw, None, [Problem(shown, 1, "file", "UTF-8 파일이 아닙니다", "편집기에서 UTF-8로 다시 저장하세요")]
    fm, problems = split_front_matter(text, shown)
    return raw, fm, problems


class FileCheck:
    """Validation context for one file: records problems with path and line."""

    def __init__(self, path: str, fm: FrontMatter | None):
        self.path = path
        self.fm = fm
        self.problems: list[Problem] = []

    def line(self, *key: Any) -> int:
        return self.fm.line_of(*key) if self.fm else 1

    def error(self, key: tuple | str, message: str, hint: str = "", severity: str = "error", *,
              line: int | None = None) -> None:
        key = (key,) if isinstance(key, str) else key
        self.problems.append(Problem(self.path, line or self.line(*key), field_name(key), message, hint, severity))

    def warn(self, key: tuple | str, message: str, hint: str = "") -> None:
        self.error(key, message, hint, "warning")

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)

    def duplicates(self, duplicates: list) -> None:
        """Report each key written twice at the line of the repeat, naming the line of the first."""
        for duplicate in duplicates:
            key_path, line = duplicate
            first = getattr(duplicate, "first", None)
            where = f"{first}번째 줄에도" if first else "이 파일에 두 번"
            self.error(key_path, f"같은 항목이 {where} 있습니다", "하나만 남기세요 (YAML은 뒤에 쓴 값만 읽고 앞의 값은 버립니다)",
                       line=line)

    def required_text(self, data: dict, key: str, hint: str, *, where: tuple = (), squash: bool = False) -> str:
        """Return a required text field, stripped (`squash`: every run of spaces made one), or '' after
        reporting it missing or not text."""
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            self.error(where + (key,), "필수 항목이 없습니다", hint)
            return ""
        if not isinstance(value, (str, int, float)):
            self.error(where + (key,), "글자여야 합니다", hint)
            return ""
        return " ".join(str(value).split()) if squash else str(value).strip()

    def dated_name(self, name: str, example: str) -> tuple[str, str] | None:
        """Return (date, slug) of a YYYY-MM-DD-slug.md file name, or None after reporting it;
        `example` is a right name of the same sort of file."""
        match = DATED_FILENAME.match(name)
        if not match:
            self.error((), f"파일 이름 {josa(quoted(name), '이')} 규칙에 맞지 않습니다",
                       f"YYYY-MM-DD-slug.md 형식으로 쓰세요 (예: {example})")
            return None
        return match.group("date"), match.group("slug")

    def date_matches_name(self, when: datetime, file_date: str) -> bool:
        """True if `date:` is the day of the file name; otherwise report it at date's line."""
        if when.strftime("%Y-%m-%d") == file_date:
            return True
        self.error(("date",), f"날짜 {josa(f'{when:%Y-%m-%d}', '가')} 파일 이름의 날짜 {josa(file_date, '와')} 다릅니다",
                   "파일 이름과 date를 같은 날짜로 맞추세요")
        return False
