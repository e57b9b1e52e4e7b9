"""One issue as a complete email message, and the preview files editors open (HTML, text, .eml)."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from ..catalog import Catalog
from ..mail import build_message, format_address
from .issue import Issue
from .render import RenderedIssue, personalize, preview_values, render_issue
from .settings import NewsletterSettings


def list_id_header(settings: NewsletterSettings) -> str:
    """Return the RFC 2919 List-Id value: a (Korean, encoded by the policy) phrase and the list id."""
    return f"{settings.name} <{settings.list_id}>"


def build_issue_message(issue: Issue, personal: RenderedIssue, settings: NewsletterSettings, *,
                        to_address: str, to_name: str = "", unsubscribe_url: str,
                        message_id: str | None = None) -> EmailMessage:
    """Return the message for one recipient: multipart/alternative (text, then HTML), UTF-8, CRLF,
    an RFC 2047 subject, List-Id, and one-click List-Unsubscribe (RFC 8058) to unsubscribe_url."""
    sender = format_address(settings.sender_address, settings.sender_name)
    domain = sender.domain
    headers = {
        "List-Id": list_id_header(settings),
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Feedback-ID": f"{issue.number}:newsletter:{settings.list_id.split('.')[0]}",
        "X-Newsletter-Issue": str(issue.number),
    }
    message = build_message(
        sender=sender, to=format_address(to_address, to_name or None), subject=personal.subject,
        text=personal.text, html=personal.html, date=issue.date,
        message_id=message_id or f"<newsletter-{issue.number}.{issue.slug}@{domain}>",
        reply_to=settings.reply_to, headers=headers,
    )
    # A fixed boundary keeps previews byte-identical; "=_" never occurs in quoted-printable or base64 bodies.
    message.set_boundary(f"=_newsletter-{issue.number}")
    return message


@dataclass(frozen=True)
class PreviewFiles:
    """The files `newsletter preview` and `newsletter render` write for one issue."""

    html: Path
    text: Path
    eml: Path
    web: Path


def _write(path: Path, data: bytes) -> None:
    # Write beside the target and rename, so a reader never sees half a file.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_preview(issue: Issue, catalog: Catalog, out_dir: Path | str) -> PreviewFiles:
    """Render the issue with stand-in recipient values and write <n>-<slug>.html, .txt, .eml and -web.html."""
    from .render import web_html

    settings = NewsletterSettings.from_config(catalog.config)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    values = preview_values(issue, catalog)
    personal = personalize(render_issue(issue, catalog), values)
    message = build_issue_message(issue, personal, settings, to_address=settings.preview_address,
                                  to_name=settings.preview_name, unsubscribe_url=values["UNSUBSCRIBE_URL"])
    stem = f"{issue.number:03d}-{issue.slug}"
    files = PreviewFiles(html=out / f"{stem}.html", text=out / f"{stem}.txt", eml=out / f"{stem}.eml",
                         web=out / f"{stem}-web.html")
    _write(files.html, personal.html.encode("utf-8"))
    _write(files.text, personal.text.encode("utf-8"))
    _write(files.eml, message.as_bytes())
    page = (f'<!DOCTYPE html>\n<html lang="ko"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{issue.title}</title></head>'
            f"<body><h1>{issue.title}</h1>\n{web_html(issue, catalog)}</body></html>\n")
    _write(files.web, page.encode("utf-8"))
    return files


__all__ = ["PreviewFiles", "build_issue_message", "list_id_header", "write_preview"]
