"""Feed problems for `site-builder check`: what would make a feed entry wrong or incomplete."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ..catalog import Catalog
from ..errors import Problem
from ..content.model import Article, Image
from .entries import entry_html
from .settings import read_settings
from ..textutil import josa, quoted

_HREF = re.compile(r'\b(?:href|src)="([^"]*)"')
_FEED_READER_IMAGES = {"image/png", "image/jpeg", "image/gif", "image/webp"}


def _line_finder(catalog: Catalog, article: Article):
    """Return line_of(key, nth=0): the front-matter line where `key:` appears (1 if unknown)."""
    try:
        lines = (catalog.config.content_dir / article.source).read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []

    def line_of(key: str, nth: int = 0) -> int:
        pattern = re.compile(rf"^\s*(?:-\s+)?{re.escape(key)}\s*:")
        seen = 0
        for number, line in enumerate(lines, start=1):
            if pattern.match(line):
                if seen == nth:
                    return number
                seen += 1
        return 1

    return line_of


def _images(article: Article) -> list[tuple[Image, str, str, int]]:
    """(image, field shown to the editor, front-matter key, nth occurrence) for every image."""
    found = []
    if article.cover:
        found.append((article.cover, "cover", "cover", 0))
    if article.infographic:
        found.append((article.infographic, "image", "image", 0))
    if article.video and article.video.poster:
        found.append((article.video.poster, "poster", "poster", 0))
    for index, slide in enumerate(article.slides):
        found.append((slide.image, f"slides[{index + 1}].image", "image", index))
    return found


def _image_problems(catalog: Catalog, article: Article, line_of) -> list[Problem]:
    path = f"content/{article.source}"
    problems = []
    lead = article.lead_image
    for image, field, key, nth in _images(article):
        line = line_of(key, nth)
        file = catalog.config.content_dir / image.path
        if not file.is_file():
            problems.append(Problem(path, line, field,
                                    f"이미지 파일 {josa(quoted(image.path), '이')} 없어 피드의 첨부(enclosure)에 넣을 수 없습니다",
                                    f"content/{image.path}에 파일을 넣거나 경로를 고치세요"))
            continue
        if not image.size or not image.mime:
            problems.append(Problem(path, line, field,
                                    f"이미지 '{image.path}'의 크기나 형식을 알 수 없어 피드 첨부 정보가 비어 있습니다",
                                    "손상되지 않은 PNG나 JPG 파일로 바꾸세요"))
        elif image.size != file.stat().st_size:
            problems.append(Problem(path, line, field,
                                    f"이미지 {josa(quoted(image.path), '가')} 읽은 뒤에 바뀌어 피드의 파일 크기가 틀립니다",
                                    "다시 빌드하세요"))
        if image is lead and image.mime not in _FEED_READER_IMAGES:
            problems.append(Problem(path, line, field,
                                    f"대표 이미지 '{image.path}'({image.mime})는 피드 리더 대부분에서 보이지 않습니다",
                                    "PNG나 JPG로 저장한 이미지를 쓰세요", "warning"))
        if not image.alt.strip():
            problems.append(Problem(path, line, field,
                                    f"이미지 '{image.path}'에 대체텍스트가 없어 피드에서 설명 없이 나갑니다",
                                    "무엇이 보이는지 한두 문장으로 쓰세요"))
    return problems


def feed_problems(catalog: Catalog) -> list[Problem]:
    """Return every feed problem: settings, missing images, entries without summary, broken links."""
    settings, problems = read_settings(catalog.config)
    host = urlsplit(catalog.config.site_url).hostname or ""
    if settings.id_domain != host:
        problems.append(Problem("mkdocs.yml", 1, "extra.site_builder.feeds.id_domain",
                                f"피드 글 id가 사이트 주소와 다른 도메인 {josa(quoted(settings.id_domain), '을')} 씁니다",
                                "사이트를 옮긴 경우라면 그대로 두세요: 바꾸면 구독자에게 모든 글이 새 글로 보입니다", "info"))
    for article in catalog.articles:
        path = f"content/{article.source}"
        line_of = _line_finder(catalog, article)
        if not article.summary.strip():
            problems.append(Problem(path, line_of("summary"), "summary", "요약이 없어 피드 글에 요약이 빠집니다",
                                    "summary: 한두 문장 요약 을 쓰세요"))
        problems += _image_problems(catalog, article, line_of)
        if article.updated and article.updated > catalog.now:
            problems.append(Problem(path, line_of("updated"), "updated",
                                    f"수정일 {josa(format(article.updated, '%Y-%m-%d'), '이')} 미래라 피드의 갱신 시각이 미래로 나갑니다",
                                    "실제로 고친 날짜를 쓰세요", "warning"))
        html = entry_html(catalog, article)
        for url in dict.fromkeys(_HREF.findall(html)):
            target = urlsplit(url).path
            if target.endswith(".md"):
                problems.append(Problem(path, article.body_line, "body",
                                        f"링크 {josa(quoted(url), '가')} 없는 글을 가리켜 피드에서 깨집니다",
                                        "content/ 안의 글 파일 경로(예: ../interview/2018-10-05-x.md)를 확인하세요",
                                        "warning"))
            elif not urlsplit(url).scheme:
                problems.append(Problem(path, article.body_line, "body",
                                        f"링크 {josa(quoted(url), '가')} 절대 주소가 아니어서 피드에서 깨집니다",
                                        "https://로 시작하는 주소나 content/ 안의 파일 경로를 쓰세요", "warning"))
    return sorted(problems, key=lambda p: (p.path, p.line, p.field, p.message))
