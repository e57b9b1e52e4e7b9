"""Fast static checks for `site-builder check --strict` (accessibility rules editors can break)."""

from __future__ import annotations

import re

from ..config import SiteConfig
from .loader import LoadedContent
from ..errors import Problem
from ..textutil import josa, quoted

VAGUE_LINK_TEXT = {"더보기", "자세히", "자세히 보기", "여기", "클릭", "여기를 클릭", "click", "here", "more"}
_LINK = re.compile(r"(?<!!)\[([^\]]+)\]\(([^)]*)\)")
_RAW_BLANK = re.compile(r"<a\b[^>]*target=[\"']_blank[\"'][^>]*>(.*?)</a>", re.S)
_TABLE_ROW = re.compile(r"^\s*\|?.*\|.*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")
_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]*)")
_HEADING = re.compile(r"^(#{2,6})\s+\S")
_IFRAME = re.compile(r"<iframe\b[^>]*>", re.I)
_TABINDEX = re.compile(r"\btabindex=[\"']?([1-9][0-9]*)", re.I)
_FENCE = re.compile(r"^\s*(```|~~~)")


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
            problems.extend(_line_problems(path, number, line))
        problems.extend(_heading_problems(path, article.body_line, lines))
    return problems


def _line_problems(path: str, number: int, line: str) -> list[Problem]:
    """Alt text that names a file or says only '사진', raw iframes and positive tabindex."""
    problems = []
    for match in _IMAGE.finditer(line):
        alt = match.group(1).strip()
        if alt and (re.search(r"\.(png|jpe?g|gif|webp|svg)$", alt, re.I) or re.fullmatch(r".{0,6}(이미지|사진)", alt)):
            problems.append(Problem(path, number, "body", f"대체텍스트 {josa(quoted(alt), '가')} 그림의 내용을 알려 주지 않습니다",
                                    "파일 이름이나 '사진' 대신 그림에 무엇이 있는지 쓰세요 (예: '시청 앞 캠페인에 모인 청년들')"))
    for match in _IFRAME.finditer(line):
        tag = match.group(0)
        if not re.search(r"\btitle=[\"'][^\"']+", tag):
            problems.append(Problem(path, number, "body", "삽입한 iframe에 title이 없습니다",
                                    '<iframe title="무엇을 보여 주는지"> 처럼 title을 쓰세요'))
        if re.search(r"autoplay", tag, re.I):
            problems.append(Problem(path, number, "body", "삽입한 iframe이 자동 재생됩니다",
                                    "주소와 allow에서 autoplay를 지우세요 (자동 재생 금지)"))
    if _TABINDEX.search(line):
        problems.append(Problem(path, number, "body", "tabindex가 0보다 큽니다",
                                "tabindex를 지우세요 (키보드 이동 순서가 뒤섞입니다)"))
    return problems


def _heading_problems(path: str, first_line: int, lines: list[str]) -> list[Problem]:
    """Body headings that skip a level (## then ####); the title is the page's only level 1."""
    problems, previous, fenced = [], 1, False
    for offset, line in enumerate(lines):
        if _FENCE.match(line):
            fenced = not fenced
        match = None if fenced else _HEADING.match(line)
        if not match:
            continue
        level = len(match.group(1))
        if level > previous + 1:
            problems.append(Problem(path, first_line + offset, "body",
                                    f"제목 단계를 건너뛰었습니다 ({'#' * previous} 다음에 {'#' * level})",
                                    f"{'#' * (previous + 1)}로 쓰세요"))
        previous = level
    return problems
