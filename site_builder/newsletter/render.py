"""Render an issue once: the HTML email (CSS inlined), its plain-text twin, and the web version.

Per-recipient parts are literal %%TOKENS%% that personalize() fills by string replacement, so a
send to 10,000 people renders the templates once, not 10,000 times."""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import css_inline
import jinja2
from markupsafe import Markup

from ..catalog import Catalog
from ..config import KINDS
from ..render.html import image_url
from ..textutil import korean_date
from .issue import Issue, IssueItem
from .markup import html_to_text
from .settings import NewsletterSettings

# Hangul fonts by their English names too (iOS ignores Korean names), ending in the generic family.
FONT_STACK = "'Apple SD Gothic Neo', 'Malgun Gothic', '맑은 고딕', 'Noto Sans KR', 'Nanum Gothic', sans-serif"

TOKEN_NAMES = ("NAME", "UNSUBSCRIBE_URL", "PREFERENCES_URL", "WEB_URL", "CONSENT_DATE")
ANSWER_TOKEN = "ANSWER_URL_{n}"
TOKEN = re.compile(r"%%([A-Z][A-Z0-9_]*)%%")
MORE_LABEL = {"interview": "인터뷰 읽기", "column": "칼럼 읽기", "meeting": "현장 스케치 읽기", "feature": "기사 읽기",
              "cardnews": "카드뉴스 크게 보기", "video": "영상 보기", "infographic": "인포그래픽 보기"}


def token(name: str) -> str:
    """Return the literal placeholder for a per-recipient value: token('NAME') == '%%NAME%%'."""
    return f"%%{name}%%"


@dataclass(frozen=True)
class RenderedIssue:
    """One issue rendered for email, with %%TOKENS%% where each recipient's values go."""

    subject: str
    preheader: str
    html: str
    text: str


class TokenError(ValueError):
    """personalize() left placeholders unfilled; `tokens` names them."""

    def __init__(self, tokens: list[str]):
        self.tokens = tokens
        super().__init__("unfilled placeholders: " + ", ".join(tokens))


def tokens_of(issue: Issue) -> list[str]:
    """Return the names of every placeholder the issue's email uses (answers only if it asks a question)."""
    names = list(TOKEN_NAMES)
    if issue.feedback:
        names += [ANSWER_TOKEN.format(n=n) for n in range(1, len(issue.feedback.answers) + 1)]
    return names


def leftover_tokens(rendered: RenderedIssue) -> list[str]:
    """Return the placeholders still present in the subject, preheader, HTML or text, sorted."""
    found = set()
    for part in (rendered.subject, rendered.preheader, rendered.html, rendered.text):
        found.update(TOKEN.findall(part))
    return sorted(found)


def personalize(rendered: RenderedIssue, values: Mapping[str, str], *, strict: bool = True) -> RenderedIssue:
    """Return a copy with placeholders replaced: HTML-escaped in html, raw in text, subject and preheader.

    Keys may be 'NAME' or '%%NAME%%'. With strict (the default) any placeholder left raises TokenError."""
    filled = {key.strip("%"): str(value) for key, value in values.items()}

    def sub(text: str, escape: bool) -> str:
        def one(match: re.Match) -> str:
            value = filled.get(match.group(1))
            if value is None:
                return match.group(0)
            return htmllib.escape(value, quote=True) if escape else value
        return TOKEN.sub(one, text)

    result = RenderedIssue(subject=sub(rendered.subject, False), preheader=sub(rendered.preheader, False),
                           html=sub(rendered.html, True), text=sub(rendered.text, False))
    if strict:
        left = leftover_tokens(result)
        if left:
            raise TokenError(left)
    return result


def preview_values(issue: Issue, catalog: Catalog) -> dict[str, str]:
    """Return stand-in values for every placeholder: the preview, CI renders and the web archive use them.

    Answers go to the configured feedback form, as they do until the subscription service exists."""
    settings = NewsletterSettings.from_config(catalog.config)
    values = {
        "NAME": settings.preview_name,
        "WEB_URL": catalog.config.absolute_url(issue.url),
        "UNSUBSCRIBE_URL": settings.subscribe_url,
        "PREFERENCES_URL": settings.subscribe_url,
        "CONSENT_DATE": korean_date(settings.preview_consent_date),
    }
    if issue.feedback:
        for n in range(1, len(issue.feedback.answers) + 1):
            values[ANSWER_TOKEN.format(n=n)] = settings.feedback_url(issue.number, issue.slug, issue.feedback.id, n)
    return values


# The project's own templates: a site's theme_dir may override any of them, one file at a time.
DEFAULT_THEME = Path(__file__).resolve().parents[2] / "themes" / "newsletter"


@lru_cache(maxsize=8)
def _environment(theme_dir: str) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([theme_dir, str(DEFAULT_THEME)]),
        autoescape=lambda name: name is not None and name != "email_text.html",
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
    )


def _duration(seconds: int) -> str:
    minutes, seconds = divmod(seconds, 60)
    return " ".join(part for part in (f"{minutes}분" if minutes else "", f"{seconds}초" if seconds else "") if part)


def _entry(catalog: Catalog, entry: IssueItem) -> dict[str, Any]:
    article = entry.article
    url = catalog.config.absolute_url(article.url)

    def img(image) -> dict[str, Any] | None:
        if image is None:
            return None
        return {"src": image_url(catalog, image.path), "alt": image.alt, "width": image.width, "height": image.height}

    slides = [dict(img(s.image) or {}, text=s.text) for s in article.slides] if article.kind == "cardnews" else []
    video = {"duration": _duration(article.video.duration_seconds)} if article.video else None
    image = None
    if article.kind == "video" and article.video:
        image = img(article.video.poster or article.cover)
    elif article.kind == "infographic":
        image = img(article.cover or article.infographic)
    else:
        image = img(article.lead_image)
    return {
        "href": url, "title": article.title, "summary": article.summary, "note": entry.note,
        "kind": KINDS[article.kind], "kind_id": article.kind, "date": korean_date(article.date),
        "authors": ", ".join(a.name for a in catalog.authors_of(article)),
        "image": image, "slides": slides, "video": video, "more": MORE_LABEL.get(article.kind, "읽기"),
    }


def _context(issue: Issue, catalog: Catalog, settings: NewsletterSettings, *, text: bool,
             answer_href) -> dict[str, Any]:
    config = catalog.config

    def block(b) -> str | None:
        if b is None:
            return None
        return html_to_text(b.html) if text else Markup(b.html)

    sections = [{"title": s.title, "intro": block(s.intro), "block": block(s.markdown),
                 "entries": [_entry(catalog, e) for e in s.entries]} for s in issue.sections]
    feedback = None
    if issue.feedback:
        feedback = {"id": issue.feedback.id, "text": issue.feedback.text,
                    "answers": [{"label": label, "href": answer_href(n)}
                                for n, label in enumerate(issue.feedback.answers, start=1)]}
    return {
        "issue": issue, "brand": config.brand, "site_url": config.site_url, "office": config.office,
        "newsletter_name": settings.name, "subscribe_url": settings.subscribe_url,
        "date_text": korean_date(issue.date), "intro": block(issue.intro), "sections": sections,
        "feedback": feedback, "font_stack": Markup(FONT_STACK),
    }


def add_utm(url: str, settings: NewsletterSettings, issue: Issue) -> str:
    """Return url with the configured UTM tags when it points at the site; other URLs unchanged."""
    if settings.utm is None or "%%" in url:
        return url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.hostname != settings.site_host:
        return url
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not k.startswith("utm_")]
    campaign = settings.utm.campaign.format(number=issue.number, slug=issue.slug)
    query += [("utm_source", settings.utm.source), ("utm_medium", settings.utm.medium), ("utm_campaign", campaign)]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


_HREF = re.compile(r'\bhref="([^"]*)"')
_TEXT_URL = re.compile(r"https?://[^\s<>()\"']+")


def _tag_html(html: str, settings: NewsletterSettings, issue: Issue) -> str:
    return _HREF.sub(lambda m: 'href="{}"'.format(
        htmllib.escape(add_utm(htmllib.unescape(m.group(1)), settings, issue), quote=True)), html)


def _tag_text(text: str, settings: NewsletterSettings, issue: Issue) -> str:
    return _TEXT_URL.sub(lambda m: add_utm(m.group(0), settings, issue), text)


def inline_css(html: str) -> str:
    """Return html with every CSS rule inlined into style attributes; @media rules stay in <style>."""
    return css_inline.inline(html, keep_at_rules=True, load_remote_stylesheets=False)


def render_issue(issue: Issue, catalog: Catalog) -> RenderedIssue:
    """Render the issue's email once: subject, preheader, inlined HTML and plain text, with %%TOKENS%%."""
    settings = NewsletterSettings.from_config(catalog.config)
    env = _environment(str(settings.theme_dir))
    answer = lambda n: token(ANSWER_TOKEN.format(n=n))  # noqa: E731
    html = env.get_template("email.html").render(**_context(issue, catalog, settings, text=False, answer_href=answer))
    html = _tag_html(inline_css(html), settings, issue)
    text = env.get_template("email_text.html").render(**_context(issue, catalog, settings, text=True, answer_href=answer))
    text = re.sub(r"\n{3,}", "\n\n", re.sub(r"[ \t]+\n", "\n", text)).strip() + "\n"
    text = _tag_text(text, settings, issue)
    return RenderedIssue(subject=issue.subject, preheader=issue.preheader, html=html, text=text)


def web_html(issue: Issue, catalog: Catalog) -> str:
    """Return the issue's web version as an HTML fragment (no per-recipient parts, answers to the form)."""
    settings = NewsletterSettings.from_config(catalog.config)
    env = _environment(str(settings.theme_dir))
    answer = None
    if issue.feedback:
        question = issue.feedback.id
        answer = lambda n: settings.feedback_url(issue.number, issue.slug, question, n)  # noqa: E731
    return env.get_template("web.html").render(**_context(issue, catalog, settings, text=False, answer_href=answer))

