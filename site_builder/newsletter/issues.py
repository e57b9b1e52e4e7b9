"""Issue definitions: newsletters/<YYYY-MM-DD>-<slug>.md read into immutable Issues, with every problem."""

from __future__ import annotations

from pathlib import Path

from ..catalog import Catalog
from ..config import SiteConfig
from ..content import FileCheck, parse_when, read_file
from ..errors import Problem
from ..textutil import dquoted, is_ascii_slug, josa, quoted
from .issue import ISSUE_KEYS, Issue, IssueDraft
from .resolve import IssueResolver
from .settings import NewsletterSettings


def iter_issue_paths(config: SiteConfig):
    """Yield every issue file: newsletters/*.md, in name (= date) order."""
    if config.newsletters_dir.is_dir():
        yield from sorted(p for p in config.newsletters_dir.glob("*.md") if not p.name.startswith(("_", ".")))


def _read(config: SiteConfig, path: Path) -> IssueDraft | None | list[Problem]:
    rel = path.relative_to(config.root).as_posix() if path.is_relative_to(config.root) else str(path)
    _raw, fm, problems = read_file(path, rel)
    if fm is None:
        return problems
    check = FileCheck(rel, fm)
    data = fm.data
    for key_path, _line in fm.duplicates:
        check.error(key_path, "같은 항목이 두 번 있습니다", "하나만 남기세요")
    for key in data:
        if key not in ISSUE_KEYS:
            check.warn((key,), "알 수 없는 항목입니다", "오타인지 확인하세요: " + ", ".join(sorted(ISSUE_KEYS)))
    named = check.dated_name(path.name, "2018-10-31-first-letter.md")
    if named is None:
        return check.problems
    file_date, slug = named[0], data.get("slug", named[1])
    if not isinstance(slug, str) or not is_ascii_slug(slug):
        check.error(("slug",) if "slug" in data else (), f"주소(slug) {josa(quoted(slug), '가')} 올바르지 않습니다",
                    "영문 소문자, 숫자, 하이픈만 쓰세요 (예: first-letter)")
        slug = None
    number = data.get("number")
    if number is None:
        check.error(("number",), "필수 항목이 없습니다", "number: 1 처럼 호수를 쓰세요")
        number = None
    elif not isinstance(number, int) or isinstance(number, bool) or number < 1:
        check.error(("number",), f"호수 {josa(quoted(number), '가')} 1 이상의 정수가 아닙니다", "number: 3 처럼 숫자만 쓰세요")
        number = None
    raw_date = data.get("date", file_date)
    when = parse_when(raw_date)
    if when is None:
        check.error(("date",), f"{josa(dquoted(raw_date), '은')} 날짜가 아닙니다", f"{file_date} 형식으로 쓰세요")
    elif not check.date_matches_name(when, file_date):
        when = None
    draft = data.get("draft", False)
    if not isinstance(draft, bool):
        check.error(("draft",), f"{josa(quoted(draft), '은')} 참/거짓 값이 아닙니다", "draft: true 또는 draft: false로 쓰세요")
        draft = True
    return IssueDraft(check, fm, rel, number, slug, when, draft)


def load_issues(config: SiteConfig, catalog: Catalog) -> tuple[list[Issue], list[Problem]]:
    """Read every issue under newsletters/; return the valid ones by date (oldest first) and all problems.

    Drafts are included (issue.draft); the archive, feed and delivery leave them out."""
    settings = NewsletterSettings.from_config(config)
    problems: list[Problem] = []
    drafts: list[IssueDraft] = []
    for path in iter_issue_paths(config):
        read = _read(config, path)
        if isinstance(read, list):
            problems += read
        elif read is not None:
            drafts.append(read)
    numbers: dict[int, str] = {}
    slugs: dict[str, str] = {}
    for item in drafts:
        if item.number is not None:
            if item.number in numbers:
                item.check.error(("number",), f"호수 {josa(item.number, '가')} {josa(quoted(numbers[item.number]), '와')} 겹칩니다",
                                 "호수는 호마다 다르게 쓰세요")
            numbers.setdefault(item.number, item.path)
        if item.slug is not None:
            if item.slug in slugs:
                item.check.error(("slug",), f"주소 {josa('/newsletter/' + item.slug + '/', '가')} {josa(quoted(slugs[item.slug]), '와')} 겹칩니다",
                                 "파일 이름의 slug를 바꾸세요")
            slugs.setdefault(item.slug, item.path)
    dated = sorted((d for d in drafts if d.date), key=lambda d: (d.date, d.number or 0))
    issues: list[Issue] = []
    previous_number = 0
    for item in drafts:
        previous = max((d.date for d in dated if d.date < item.date and not d.draft), default=None) if item.date else None
        issue = IssueResolver(config, catalog, settings, item, previous).issue()
        problems += item.check.problems
        if issue:
            issues.append(issue)
    issues.sort(key=lambda i: (i.date, i.number))
    for issue in issues:
        if not issue.draft and issue.number < previous_number:
            problems.append(Problem(issue.source, issue.line_of("number"), "number",
                                    f"호수 {josa(issue.number, '가')} 먼저 나간 호({previous_number}호)보다 작습니다",
                                    "날짜 순서대로 호수를 매기세요", "warning"))
        if not issue.draft:
            previous_number = max(previous_number, issue.number)
    return issues, sorted(problems, key=lambda p: (p.path, p.line, p.field))
