"""Lint for `site-builder check`: every issue is loaded, rendered and its email checked as mail clients see it."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import jinja2
import lxml.html

from ..catalog import Catalog
from ..config import SiteConfig
from ..errors import Problem
from ..signup import advertising_of
from ..textutil import has_hangul, josa, quoted
from .issue import AD_MARK, Issue
from .issues import load_issues
from .render import RenderedIssue, TokenError, personalize, render_issue, tokens_of
from .settings import NewsletterSettings

# An advertising issue goes only to those who gave the separate advertising consent (정보통신망법 제50조);
# a site that does not ask for that consent has nobody to send one to.
AD_WITHOUT_CONSENT = ("광고성 정보 호이지만 이 사이트는 광고성 정보 수신 동의를 받지 않습니다 "
                      "(subscriptions.advertising이 없습니다)")
AD_WITHOUT_CONSENT_HINT = ("mkdocs.yml의 extra.site_builder.subscriptions.advertising에 consent_version과 안내 문구를 "
                           "쓰면 구독 양식과 구독 설정에 선택 동의 상자가 생기고, 이 호는 동의한 사람에게만 갑니다; "
                           "광고가 아니면 is_advertising: false로 쓰세요")

GENERIC_FAMILIES = {"sans-serif", "serif", "monospace", "system-ui", "cursive", "fantasy"}
LINK_SCHEMES = ("http", "https", "mailto", "tel")
_FONT_FAMILY = re.compile(r"font-family\s*:\s*([^;\"}]+)", re.I)
_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>", re.S | re.I)
_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_TEXT_URL = re.compile(r"https?://[^\s<>()\"']+")
_TOKEN_URL = re.compile(r"^%%[A-Z][A-Z0-9_]*%%$")


def _non_media_rules(css: str) -> list[str]:
    """Return the selectors of top-level rules that are not @media blocks."""
    css = _COMMENT.sub("", css)
    rules, depth, start = [], 0, 0
    for index, char in enumerate(css):
        if char == "{":
            if depth == 0:
                head = css[start:index].strip()
                if not head.lower().startswith("@media"):
                    rules.append(head)
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                start = index + 1
    return rules


def _font_problem(value: str) -> str | None:
    families = [f.strip().strip("'\"").strip() for f in value.split(",") if f.strip()]
    if not families:
        return None
    named = [f for f in families if f.lower() not in GENERIC_FAMILIES]
    if families[-1].lower() != "sans-serif" and families[-1].lower() != "serif":
        return f"글꼴 목록 {josa(quoted(value.strip()), '이')} sans-serif로 끝나지 않습니다"
    if any(has_hangul(f) for f in named) and not any(f.isascii() for f in named):
        return f"글꼴 목록 '{value.strip()}'에 한글 이름 글꼴만 있습니다"
    return None


def html_link_set(html: str) -> set[str]:
    """Return every http(s) link target (href) of an HTML document."""
    root = lxml.html.document_fromstring(html)
    return {a.get("href") for a in root.iter("a") if (a.get("href") or "").startswith(("http://", "https://"))}


def text_link_set(text: str) -> set[str]:
    """Return every http(s) URL written in a plain-text part."""
    return set(_TEXT_URL.findall(text))


def lint_html(html: str, *, path: str, line: int = 1, max_bytes: int = 90 * 1024) -> list[Problem]:
    """Return what would break the email in Gmail, Naver Mail, Outlook or Apple Mail."""
    problems: list[Problem] = []

    def add(message: str, hint: str) -> None:
        problems.append(Problem(path, line, "email", message, hint))

    size = len(html.encode("utf-8"))
    if size > max_bytes:
        add(f"HTML이 {size / 1024:.1f}KB로 {max_bytes / 1024:.0f}KB를 넘습니다",
            "Gmail은 약 102KB부터 메일 뒷부분(수신거부 링크 포함)을 잘라 보여 줍니다; 글 수를 줄이거나 두 호로 나누세요")
    if not html.strip():
        add("HTML이 비어 있습니다", "themes/newsletter/email.html 템플릿을 확인하세요")
        return problems
    root = lxml.html.document_fromstring(html)
    if (root.get("lang") or "") != "ko":
        add("<html>에 lang=\"ko\"가 없습니다", "화면낭독기가 한국어로 읽도록 템플릿의 <html lang=\"ko\">를 지키세요")
    for img in root.iter("img"):
        if not (img.get("alt") or "").strip():
            add(f"이미지 '{img.get('src') or ''}'에 대체텍스트(alt)가 없습니다", "이미지가 막힌 메일함과 화면낭독기를 위해 alt를 쓰세요")
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for attr in ("href", "src"):
            url = (element.get(attr) or "").strip()
            if not url or _TOKEN_URL.match(url):
                continue
            scheme = urlsplit(url).scheme
            if scheme not in LINK_SCHEMES:
                add(f"주소 {josa(quoted(url), '가')} 절대 주소가 아닙니다", "메일에서는 https://로 시작하는 주소만 열립니다")
    for link in root.iter("link"):
        if "stylesheet" in (link.get("rel") or "").lower():
            add(f"<link rel=\"stylesheet\" href=\"{link.get('href') or ''}\">가 남아 있습니다",
                "메일 프로그램은 외부 CSS를 읽지 않습니다; 규칙을 템플릿의 <style>에 쓰면 인라인됩니다")
    for css in _STYLE.findall(html):
        for selector in _non_media_rules(css):
            add(f"<style>에 인라인되지 않은 규칙 {josa(quoted(selector), '가')} 남아 있습니다",
                "@media 규칙만 <style>에 남깁니다; Gmail·Outlook은 <style>을 일부만 지원하므로 나머지는 style 속성으로 옮기세요")
    fonts = _FONT_FAMILY.findall(html)
    for value in dict.fromkeys(v.replace("&#39;", "'").replace("&quot;", '"') for v in fonts):
        message = _font_problem(value)
        if message:
            add(message, "iOS는 한글 글꼴 이름을 무시하므로 'Apple SD Gothic Neo', 'Malgun Gothic' 같은 영문 이름을 함께 쓰고 sans-serif로 끝내세요")
    return problems


def lint_rendered(issue: Issue, rendered: RenderedIssue, config: SiteConfig,
                  settings: NewsletterSettings | None = None) -> list[Problem]:
    """Return the problems of one rendered issue: the HTML rules, the legal footer, links and placeholders."""
    settings = settings or NewsletterSettings.from_config(config)
    path, line = issue.source, issue.line_of("sections")
    problems = lint_html(rendered.html, path=path, line=line, max_bytes=settings.max_html_bytes)

    def add(field: str, message: str, hint: str, at: int = line) -> None:
        problems.append(Problem(path, at, field, message, hint))

    if rendered.subject.startswith(AD_MARK) != issue.is_advertising:
        add("subject", f"제목 '{rendered.subject}'의 '(광고)' 표시가 is_advertising: {josa(str(issue.is_advertising).lower(), '과')} 맞지 않습니다",
            "광고성 정보면 제목이 정확히 '(광고)'로 시작해야 하고, 아니면 '(광고)'가 없어야 합니다 (정보통신망법 제50조④)",
            issue.line_of("subject"))
    if issue.is_advertising and advertising_of(config.section("subscriptions"))[0] is None:
        add("is_advertising", AD_WITHOUT_CONSENT, AD_WITHOUT_CONSENT_HINT, issue.line_of("is_advertising"))
    for part, body in (("html", rendered.html), ("text", rendered.text)):
        for placeholder, what in (("%%UNSUBSCRIBE_URL%%", "수신거부 링크"), ("%%CONSENT_DATE%%", "수신동의일"),
                                  ("%%WEB_URL%%", "웹에서 보기 링크")):
            if placeholder not in body:
                add("email", f"{part} 본문에 {what}({placeholder})가 없습니다", "템플릿의 바닥글을 지우지 마세요")
        office = config.office
        for value, what in ((office.name, "운영 기관 이름"), (office.address, "주소"), (office.phone, "전화번호"),
                            (office.email, "이메일")):
            if value and value not in body:
                add("email", f"{part} 본문에 {what} {josa(quoted(value), '가')} 없습니다", "바닥글에 운영 기관, 주소, 연락처가 모두 있어야 합니다")
        if issue.is_advertising and "정보통신망법 제50조" not in body:
            add("email", f"{part} 본문에 광고성 정보 안내(정보통신망법 제50조)가 없습니다",
                "is_advertising: true인 호의 바닥글에는 전송자와 무료 수신거부 방법을 밝혀야 합니다")
    missing = html_link_set(rendered.html) - text_link_set(rendered.text)
    extra = text_link_set(rendered.text) - html_link_set(rendered.html)
    if missing:
        add("email", f"텍스트 본문에 HTML의 링크 {len(missing)}개가 없습니다: {', '.join(sorted(missing))}",
            "텍스트 템플릿(email_text.html)에도 같은 링크를 쓰세요")
    if extra:
        add("email", f"텍스트 본문에만 있는 링크 {len(extra)}개: {', '.join(sorted(extra))}",
            "HTML 템플릿(email.html)에도 같은 링크를 쓰세요")
    try:
        personalize(rendered, {name: "x" for name in tokens_of(issue)})
    except TokenError as exc:
        add("email", "채워지지 않는 자리표시자가 있습니다: " + ", ".join(f"%%{t}%%" for t in exc.tokens),
            "%%NAME%%, %%UNSUBSCRIBE_URL%%, %%PREFERENCES_URL%%, %%WEB_URL%%, %%CONSENT_DATE%%, %%ANSWER_URL_n%%만 씁니다")
    return problems


def newsletter_problems(config: SiteConfig, catalog: Catalog) -> list[Problem]:
    """Return every newsletter problem for `site-builder check`: issue files first, then each rendered email."""
    issues, problems = load_issues(config, catalog)
    settings = NewsletterSettings.from_config(config)
    for issue in issues:
        try:
            rendered = render_issue(issue, catalog)
        except jinja2.TemplateError as exc:
            where = getattr(exc, "filename", None) or str(settings.theme_dir)
            problems.append(Problem(str(where), getattr(exc, "lineno", None) or 1, "template",
                                    f"뉴스레터 템플릿 오류: {exc}", "themes/newsletter/의 템플릿을 고치세요"))
            continue
        problems += lint_rendered(issue, rendered, config, settings)
    return sorted(problems, key=lambda p: (p.path, p.line, p.field, p.message))
