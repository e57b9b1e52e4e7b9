"""Debian's chromium through Playwright, with every request that leaves 127.0.0.1 recorded and refused."""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from typing import Iterator
from urllib.parse import urlsplit

CHROMIUM = os.environ.get("SB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]
WIDTHS = (320, 1280)
SCHEMES = ("light", "dark")
HEIGHT = {320: 640, 1280: 800}


def is_local(url: str) -> bool:
    """True for URLs the site may load: its own loopback server, data: and blob: URLs."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return parts.hostname == "127.0.0.1"


@contextlib.contextmanager
def launch() -> Iterator:
    """Start headless Debian chromium; yields a Playwright Browser."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Outside:
    """Requests that tried to leave 127.0.0.1 (refused before they reach the network)."""

    urls: list[str] = field(default_factory=list)


def new_context(browser, width: int, scheme: str, outside: Outside, *, allow: dict[str, str] | None = None):
    """A browser context at this width and colour scheme; non-local requests are recorded and aborted,
    except those whose URL starts with a key of `allow`, answered locally with that HTML."""
    context = browser.new_context(viewport={"width": width, "height": HEIGHT.get(width, 800)},
                                  color_scheme="dark" if scheme == "dark" else "light",
                                  reduced_motion="reduce", locale="ko-KR", service_workers="block")

    def route(route_, request):
        url = request.url
        if is_local(url):
            return route_.continue_()
        outside.urls.append(url)
        for prefix, body in (allow or {}).items():
            if url.startswith(prefix):
                return route_.fulfill(status=200, content_type="text/html; charset=utf-8", body=body)
        return route_.abort("blockedbyclient")

    context.route("**/*", route)
    return context
