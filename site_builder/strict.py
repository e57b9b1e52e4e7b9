"""Fast static checks for `site-builder check --strict` (accessibility rules editors can break)."""

from __future__ import annotations

import re

from .config import SiteConfig
from .content import LoadedContent
from .errors import Problem

VAGUE_LINK_TEXT = {"더보기", "자세히", "자세히 보기", "여기", "클릭", "여기를 클릭", "click", "here", "more"}
_LINK = re.compile(r"(?<!!)\[([^\]]+)\]\(([^)]*)\)")
_RAW_BLANK = re.compile(r"<a\b[^>]*target=[\"']_blank[\"'][^>]*>(.*?)</a>", re.S)
_TABLE_ROW = re.compile(r"^\s*\|?.*\|.*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")


def strict_problems(config: SiteConfig, loaded: LoadedContent) -> list[Problem]:
    """Return accessibility problems visible in the Markdown source itself."""
    problems: list[Problem] = []
    for article in loaded.articles:
        path = f"content/{article.source}"
        lines = article.body.split("\n")
        for offset, line in enumerate(lines):
            number = article.body_line + offset
            for match in _LINK.finditer(line):
                if match.group(1).strip().lower() in VAGUE_LINK_TEXT:
                    problems.append(Problem(path, number, "body", f"링크 글자 '{match.group(1)}'만으로는 어디로 가는지 알 수 없습니다",
                                            "링크가 가리키는 곳을 글자로 쓰세요 (예: '기자설명회 자료 보기')"))
            for match in _RAW_BLANK.finditer(line):
                if "새 창" not in match.group(1):
                    problems.append(Problem(path, number, "body", "새 창으로 열리는 링크에 '새 창' 안내가 없습니다",
                                            "링크 글자에 '(새 창)'을 덧붙이세요"))
            if _TABLE_RULE.match(line) and offset > 0 and _TABLE_ROW.match(lines[offset - 1]):
                before = [l for l in lines[:offset - 1] if l.strip()]
                if not before or not re.match(r"^\s*표\s*[:：]", before[-1]):
                    problems.append(Problem(path, number - 1, "body", "표에 제목(caption)이 없습니다",
                                            "표 바로 위 줄에 '표: 표 제목'을 쓰세요"))
            if re.search(r"!\[\s*\]\(", line):
                problems.append(Problem(path, number, "body", "본문 이미지에 대체텍스트가 없습니다",
                                        "![이미지 설명](경로) 처럼 대괄호 안에 설명을 쓰세요"))
            if re.match(r"^#\s", line):
                problems.append(Problem(path, number, "body", "본문에 제목 1단계(#)가 있습니다",
                                        "글 제목이 1단계이므로 본문 제목은 ##부터 쓰세요"))
    return problems
