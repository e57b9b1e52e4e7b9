"""An issue file resolved against the catalog and the settings: its sections, question, subject and topics."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from ..catalog import Catalog
from ..config import KINDS, SiteConfig
from ..content import field_name, parse_when
from ..errors import Problem
from ..textutil import dquoted, is_ascii_slug, josa, quoted
from .issue import (AD_MARK, AD_VARIANTS, FEEDBACK_KEYS, LATEST_KEYS, MAX_ANSWERS, SECTION_KEYS, Issue, IssueDraft,
                    IssueItem, IssueQuestion, Section)
from .markup import MarkdownBlock, render_block
from .settings import NewsletterSettings


class IssueResolver:
    """Resolves sections against the catalog; one per issue."""

    def __init__(self, config: SiteConfig, catalog: Catalog, settings: NewsletterSettings, item: IssueDraft,
                 previous: datetime | None):
        self.config, self.catalog, self.settings, self.item = config, catalog, settings, item
        self.check = item.check
        self.previous = previous
        self.used: set[str] = set()

    def block(self, text: Any, key: tuple, line: int) -> MarkdownBlock | None:
        if text is None:
            return None
        if not isinstance(text, str):
            self.check.error(key, "글자(Markdown)여야 합니다", "| 다음 줄부터 들여 써서 Markdown으로 쓰세요")
            return None
        if not text.strip():
            return None
        block = render_block(self.config, self.catalog, text, line)
        for url, url_line in block.bad_links:
            self.check.problems.append(Problem(
                self.item.path, url_line, field_name(key), f"링크 {josa(quoted(url), '이')} 상대 주소입니다",
                "https://로 시작하는 주소, /로 시작하는 사이트 주소, 또는 content/ 기준 글 경로(예: interview/2018-10-24-x.md)를 쓰세요"))
        for src, src_line in block.images_without_alt:
            self.check.problems.append(Problem(
                self.item.path, src_line, field_name(key), f"이미지 '{src}'에 대체텍스트(alt)가 없습니다",
                "![이미지 내용 설명](주소) 처럼 대괄호 안에 무엇이 보이는지 쓰세요"))
        return block

    def block_line(self, key: tuple) -> int:
        # A block scalar (`markdown: |`) starts on the line after its key.
        return self.item.fm.line_of(*key) + 1

    def article(self, value: Any, key: tuple) -> IssueItem | None:
        note = ""
        if isinstance(value, dict):
            note = " ".join(str(value.get("note") or "").split())
            unknown = set(value) - {"article", "note"}
            for name in sorted(unknown):
                self.check.warn(key + (name,), "알 수 없는 항목입니다", "article과 note만 씁니다")
            value, key = value.get("article"), key + ("article",)
        if not isinstance(value, str) or not value.strip():
            self.check.error(key, "글 경로나 id가 없습니다", "interview/2018-10-24-x.md 처럼 content/ 기준 경로를 쓰세요")
            return None
        article = self.catalog.article(value)
        if article is None:
            self.check.error(key, f"글 {josa(quoted(value), '을')} 찾을 수 없습니다",
                             "content/ 기준 경로(예: interview/2018-10-24-workplace-harassment-counsel.md)나 글 id를 쓰고, "
                             "초안이거나 발행 예약된 글이 아닌지 확인하세요")
            return None
        if self.item.date and article.date > self.item.date.replace(hour=23, minute=59):
            self.check.warn(key, f"글 '{value}'의 발행일({article.date:%Y-%m-%d})이 이 호의 날짜보다 늦습니다",
                            "발송일 이후의 글은 이 호에 넣지 마세요")
        self.used.add(article.id)
        return IssueItem(article, note)

    def latest(self, query: Any, key: tuple) -> list[IssueItem] | None:
        if not isinstance(query, dict):
            self.check.error(key, "조건 묶음이어야 합니다", "latest: {kind: interview, limit: 3} 처럼 쓰세요")
            return None
        for name in query:
            if name not in LATEST_KEYS:
                self.check.error(key + (name,), f"알 수 없는 조건 '{name}'", f"다음 중에서 쓰세요: {', '.join(sorted(LATEST_KEYS))}")
        tests = []
        kinds = query.get("kind")
        if kinds is not None:
            kinds = [kinds] if isinstance(kinds, str) else kinds
            bad = [k for k in kinds if k not in KINDS] if isinstance(kinds, list) else [kinds]
            if bad:
                self.check.error(key + ("kind",), f"알 수 없는 종류 '{bad[0]}'", f"다음 중에서 고르세요: {', '.join(KINDS)}")
                return None
            tests.append(lambda a, kinds=tuple(kinds): a.kind in kinds)
        if query.get("series") is not None:
            term = self.config.series_by_name().get(str(query["series"]).strip())
            if term is None:
                self.check.error(key + ("series",), f"알 수 없는 코너 '{query['series']}'",
                                 "mkdocs.yml의 series 목록에서 고르세요: " + ", ".join(t.id for t in self.config.series))
                return None
            tests.append(lambda a, sid=term.id: a.series == sid)
        if query.get("agenda") is not None:
            term = self.config.agenda_by_name().get(str(query["agenda"]).strip())
            if term is None:
                self.check.error(key + ("agenda",), f"알 수 없는 의제 '{query['agenda']}'",
                                 "다음 중에서 고르세요: " + ", ".join(t.name for t in self.config.agenda))
                return None
            tests.append(lambda a, aid=term.id: aid in a.agenda)
        if query.get("tag") is not None:
            tag = str(query["tag"]).strip()
            tests.append(lambda a, tag=tag: tag in a.tags)
        if not tests:
            self.check.error(key, "조건이 없습니다", "kind, series, agenda, tag 중 하나 이상을 쓰세요")
            return None
        limit = query.get("limit", 3)
        if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= 20:
            self.check.error(key + ("limit",), f"{josa(quoted(limit), '은')} 1~20 사이의 숫자가 아닙니다", "limit: 3 처럼 쓰세요")
            return None
        since_raw = query.get("since", "previous")
        since = None
        if since_raw == "previous":
            # Issues cover whole days: the previous issue took everything up to the end of its day.
            since = self.previous.replace(hour=23, minute=59, second=59) if self.previous else None
        elif since_raw != "all":
            since = parse_when(since_raw)
            if since is None:
                self.check.error(key + ("since",), f"{josa(dquoted(since_raw), '은')} 날짜가 아닙니다",
                                 "since: previous(지난 호 이후, 기본값), all, 또는 YYYY-MM-DD로 쓰세요")
                return None
        until = self.item.date.replace(hour=23, minute=59, second=59) if self.item.date else None
        found = []
        for article in self.catalog.articles:  # newest first
            if article.id in self.used or (until and article.date > until) or (since and article.date <= since):
                continue
            if all(test(article) for test in tests):
                found.append(IssueItem(article))
                if len(found) == limit:
                    break
        self.used.update(e.article.id for e in found)
        return found

    def section(self, raw: Any, index: int) -> Section | None:
        key = ("sections", index)
        line = self.item.fm.line_of(*key)
        if not isinstance(raw, dict):
            self.check.error(key, "섹션은 title과 articles·latest·markdown 중 하나를 가진 묶음이어야 합니다",
                             "- title: 현장에서\n    articles: [...] 처럼 쓰세요")
            return None
        for name in raw:
            if name not in SECTION_KEYS:
                self.check.warn(key + (name,), "알 수 없는 항목입니다", "title, intro, articles, latest, markdown 중에서 쓰세요")
        title = self.check.required_text(raw, "title", "title: 섹션 제목 을 쓰세요", where=key, squash=True)
        kinds = [k for k in ("articles", "latest", "markdown") if raw.get(k) is not None]
        if len(kinds) != 1:
            self.check.error(key, "섹션에는 articles, latest, markdown 중 하나만 씁니다" if kinds else "섹션에 내용이 없습니다",
                             "글을 고르면 articles, 최근 글을 자동으로 넣으면 latest, 자유 글은 markdown을 쓰세요")
            return None
        intro = self.block(raw.get("intro"), key + ("intro",), self.block_line(key + ("intro",)))
        if kinds == ["markdown"]:
            block = self.block(raw["markdown"], key + ("markdown",), self.block_line(key + ("markdown",)))
            if block is None:
                self.check.error(key + ("markdown",), f"섹션 {josa(quoted(title), '이')} 비어 있습니다", "내용을 쓰거나 섹션을 지우세요")
                return None
            return Section(title, intro, (), block, line)
        entries: list[IssueItem] = []
        if kinds == ["articles"]:
            items = raw["articles"]
            if not isinstance(items, list):
                items = [items]
            for position, value in enumerate(items):
                entry = self.article(value, key + ("articles", position))
                if entry:
                    entries.append(entry)
            if not items:
                self.check.error(key + ("articles",), f"섹션 '{title}'에 들어갈 글이 없습니다",
                                 "articles에 글을 하나 이상 쓰거나 섹션을 지우세요")
                return None
        else:
            found = self.latest(raw["latest"], key + ("latest",))
            if found is None:
                return None
            entries = found
            if not entries:
                window = f"지난 호({self.previous:%Y-%m-%d}) 이후" if self.previous and raw["latest"].get("since", "previous") == "previous" else "조건에 맞는"
                self.check.error(key + ("latest",), f"섹션 '{title}'에 들어갈 글이 없습니다 ({window} 글 0개)",
                                 "조건을 넓히거나(since: all, limit) 섹션을 지우세요")
                return None
        return Section(title, intro, tuple(entries), None, line)

    def feedback(self, raw: Any) -> IssueQuestion | None:
        if raw is None:
            return None
        key = ("feedback",)
        if not isinstance(raw, dict):
            self.check.error(key, "의견 질문은 id, question, answers를 가진 묶음이어야 합니다", "편집자 안내서의 예시를 보세요")
            return None
        for name in raw:
            if name not in FEEDBACK_KEYS:
                self.check.warn(key + (name,), "알 수 없는 항목입니다", "id, question, answers만 씁니다")
        qid = raw.get("id")
        if not isinstance(qid, str) or not is_ascii_slug(qid):
            self.check.error(key + ("id",), f"질문 id {josa(repr(qid), '가')} 올바르지 않습니다" if qid is not None else "필수 항목이 없습니다",
                             "영문 소문자, 숫자, 하이픈으로 쓰세요 (예: priority-agenda); 응답을 모으는 열쇠입니다")
            qid = None
        text = self.check.required_text(raw, "question", "question: 묻고 싶은 한 문장 을 쓰세요", where=key, squash=True)
        answers = raw.get("answers")
        if not isinstance(answers, list) or not 2 <= len(answers) <= MAX_ANSWERS:
            count = len(answers) if isinstance(answers, list) else 0
            self.check.error(key + ("answers",), f"답이 {count}개입니다", f"answers에 답을 2~{MAX_ANSWERS}개 쓰세요")
            return None
        clean = []
        for index, answer in enumerate(answers):
            if not isinstance(answer, (str, int)) or not str(answer).strip():
                self.check.error(key + ("answers", index), "빈 답입니다", "답을 글자로 쓰세요")
            else:
                clean.append(" ".join(str(answer).split()))
        if len(set(clean)) != len(clean):
            self.check.error(key + ("answers",), "같은 답이 두 번 있습니다", "답을 서로 다르게 쓰세요")
        if qid is None or not text or len(clean) != len(answers):
            return None
        return IssueQuestion(qid, text, tuple(clean))

    def subject(self, raw: str, is_advertising: bool) -> tuple[str, str]:
        marks = AD_VARIANTS.findall(raw)
        title = raw
        if is_advertising:
            wrong = [m for m in marks if m != AD_MARK]
            if wrong:
                self.check.error(("subject",), f"{josa(quoted(wrong[0]), '는')} 쓸 수 없는 광고 표시입니다",
                                 "정보통신망법 시행령 제61조에 따라 제목 맨 앞에 '(광고)'만 씁니다; "
                                 "is_advertising: true면 자동으로 붙으니 제목에서 지우세요")
            elif raw.startswith(AD_MARK):
                title = raw[len(AD_MARK):].strip()
            elif marks:
                self.check.error(("subject",), "'(광고)'가 제목 맨 앞이 아닌 곳에 있습니다",
                                 "제목에서 지우세요; is_advertising: true면 맨 앞에 자동으로 붙습니다")
        elif marks:
            self.check.error(("subject",), f"제목에 {josa(quoted(marks[0]), '가')} 있지만 is_advertising이 false입니다",
                             "광고성 정보가 아니면 제목에서 지우고, 광고라면 is_advertising: true로 쓰세요 (제목 앞 '(광고)'는 자동으로 붙습니다)")
        subject = f"{AD_MARK} {title}" if is_advertising else title
        return subject, title

    def issue(self) -> Issue | None:
        item, data, check = self.item, self.item.fm.data, self.check
        settings = self.settings
        is_ad = data.get("is_advertising", False)
        if not isinstance(is_ad, bool):
            check.error(("is_advertising",), f"{josa(quoted(is_ad), '은')} 참/거짓 값이 아닙니다",
                        "영리 목적의 광고성 정보면 true, 아니면 false로 쓰세요")
            is_ad = True  # the stricter reading until the editor decides
        raw_subject = check.required_text(data, "subject", "subject: 메일 제목 을 쓰세요", squash=True)
        subject, title = self.subject(raw_subject, is_ad) if raw_subject else ("", "")
        if subject and len(subject) > settings.subject_max:
            check.error(("subject",), f"제목이 {len(subject)}자로 깁니다 (최대 {settings.subject_max}자)",
                        "휴대전화 받은편지함에서 잘리지 않게 줄이세요" + (" ('(광고) ' 포함)" if is_ad else ""))
        preheader = data.get("preheader")
        if preheader is None or not str(preheader).strip():
            check.error(("preheader",), "프리헤더(preheader)가 없습니다",
                        "preheader: 받은편지함에서 제목 옆에 보일 한 문장 을 쓰세요 (본문 첫 문장을 대신 보여주지 않게)")
            preheader = ""
        else:
            preheader = " ".join(str(preheader).split())
            if len(preheader) > settings.preheader_max:
                check.warn(("preheader",), f"프리헤더가 {len(preheader)}자로 깁니다 (최대 {settings.preheader_max}자)",
                           "받은편지함에 보이는 앞부분만 남기고 줄이세요")
            elif len(preheader) < settings.preheader_min:
                check.warn(("preheader",), f"프리헤더가 {len(preheader)}자로 짧습니다 (최소 {settings.preheader_min}자)",
                           "짧으면 본문 첫 줄이 이어 붙어 보입니다; 한 문장으로 늘리세요")
            if preheader == title:
                check.warn(("preheader",), "프리헤더가 제목과 같습니다", "제목에 없는 내용으로 한 문장 더 알려 주세요")
        intro = self.block(item.fm.body.strip("\n") or None, ("body",), item.fm.body_line)
        raw_sections = data.get("sections")
        sections: list[Section] = []
        if not isinstance(raw_sections, list) or not raw_sections:
            check.error(("sections",), "섹션이 없습니다", "sections: 아래에 - title: ... 과 articles 또는 latest를 쓰세요")
        else:
            for index, raw in enumerate(raw_sections):
                section = self.section(raw, index)
                if section:
                    sections.append(section)
        feedback = self.feedback(data.get("feedback"))
        topics = topics_of(self.config, sections)
        for index, topic in enumerate(data.get("topics") or []):
            if not isinstance(topic, str) or not re.fullmatch(r"(kind|series|agenda):[a-z0-9-]+", topic):
                check.error(("topics", index), f"주제 {josa(quoted(topic), '가')} 올바르지 않습니다", "kind:interview, series:open-table, agenda:economy 형식으로 쓰세요")
            elif topic not in topics:
                topics += (topic,)
        if any(p.is_error for p in check.problems):
            return None
        assert item.number is not None and item.slug is not None and item.date is not None
        return Issue(number=item.number, slug=item.slug, date=item.date, subject=subject, title=title,
                     preheader=preheader, intro=intro, sections=tuple(sections), feedback=feedback,
                     is_advertising=is_ad, draft=item.draft, topics=topics, source=item.path,
                     lines=dict(item.fm.lines))


def topics_of(config: SiteConfig, sections: list[Section]) -> tuple[str, ...]:
    found: list[str] = []
    for section in sections:
        for entry in section.entries:
            article = entry.article
            found.append(f"kind:{article.kind}")
            if article.series:
                found.append(f"series:{article.series}")
            found += [f"agenda:{a}" for a in article.agenda]
    return tuple(dict.fromkeys(found))
