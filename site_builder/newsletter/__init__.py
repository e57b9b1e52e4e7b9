"""Newsletters from git: issue files in newsletters/, rendered once to an HTML email with its text twin,
a web version and an Atom feed, and linted for `site-builder check`.

Delivery calls render_issue() once per issue and personalize() once per recipient."""

from .feed import render_newsletter_feed
from .issue import Issue, IssueItem, IssueQuestion, Section
from .issues import load_issues
from .lint import lint_html, lint_rendered, newsletter_problems
from .message import PreviewFiles, build_issue_message, write_preview
from .render import (
    FONT_STACK,
    TOKEN,
    RenderedIssue,
    TokenError,
    add_utm,
    leftover_tokens,
    personalize,
    preview_values,
    render_issue,
    token,
    tokens_of,
    web_html,
)
from .selection import select_issues
from .settings import NewsletterSettings

__all__ = [
    "FONT_STACK", "TOKEN", "Issue", "IssueItem", "IssueQuestion", "NewsletterSettings", "PreviewFiles",
    "RenderedIssue", "Section",
    "TokenError", "add_utm", "build_issue_message", "leftover_tokens", "lint_html", "lint_rendered",
    "load_issues", "newsletter_problems", "personalize", "preview_values", "render_issue",
    "render_newsletter_feed", "select_issues", "token", "tokens_of", "web_html", "write_preview",
]
