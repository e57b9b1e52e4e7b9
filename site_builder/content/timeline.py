"""content/timeline.yml: the preparation's events, each optionally linked to an article."""

from __future__ import annotations

from ..errors import Problem
from ..textutil import josa, quoted
from .dates import date_problem, parse_when
from .files import FileCheck
from .frontmatter import FrontMatter, parse_yaml
from .model import Article, TimelineEvent
from .reader import ContentReader


def load_timeline(reader: ContentReader, articles_by_source: dict[str, Article]) -> tuple[list[TimelineEvent], list[Problem]]:
    """Return the events of content/timeline.yml (none when there is no such file) and every problem."""
    path = reader.root / "timeline.yml"
    if not path.is_file():
        return [], []
    rel = reader.rel(path)
    data, lines, duplicates, problems = parse_yaml(path.read_text(encoding="utf-8"), rel, 1)
    if problems:
        return [], problems
    check = FileCheck(rel, FrontMatter(data={}, lines=lines, body="", body_line=1))
    check.duplicates(duplicates)
    if not isinstance(data, list):
        check.error((), "연표는 '- date: ...'로 시작하는 목록이어야 합니다", "편집자 안내서의 예시를 보세요")
        return [], check.problems
    events = []
    for index, item in enumerate(data):
        event = _event(check, index, item, articles_by_source, rel)
        if event is not None:
            events.append(event)
    return events, check.problems


def _event(check: FileCheck, index: int, item: object, articles_by_source: dict[str, Article],
           rel: str) -> TimelineEvent | None:
    if not isinstance(item, dict):
        check.error((index,), "연표 항목은 date, title을 가진 묶음이어야 합니다", "- date: 2018-08-27 처럼 쓰세요")
        return None
    when = parse_when(item.get("date"))
    if when is None:
        check.error((index, "date"), *date_problem(item.get('date'), "YYYY-MM-DD"))
        return None
    title = str(item.get("title") or "").strip()
    if not title:
        check.error((index, "title"), "필수 항목이 없습니다", "title: 사건 이름 을 쓰세요")
        return None
    article_id = None
    if item.get("article"):
        target = articles_by_source.get(str(item["article"]).strip().lstrip("/"))
        if target is None:
            check.error((index, "article"), f"글 {josa(quoted(item['article']), '을')} 찾을 수 없습니다",
                        "content/ 기준 경로를 쓰세요 (예: meeting/2018-09-21-first-small-meeting.md)")
        else:
            article_id = target.id
    return TimelineEvent(date=when, title=title, description=str(item.get("description") or ""),
                         article_id=article_id, source=rel, planned=bool(item.get("planned", False)))
