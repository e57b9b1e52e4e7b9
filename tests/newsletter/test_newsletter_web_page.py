"""The web version of an issue as the site serves it (/newsletter/<slug>/), built with the real MkDocs."""

from __future__ import annotations

import re
from pathlib import Path


def _main(html: str) -> str:
    return html[html.index('id="sb-main"'):html.index('<footer class="md-footer sb-footer"')]


def test_web_version_asks_to_subscribe_once(built_sample: Path) -> None:
    pages = sorted((built_sample / "site" / "newsletter").glob("*/index.html"))
    assert pages, "the sample archive has at least one issue"
    for page in pages:
        main = _main(page.read_text(encoding="utf-8"))
        prompts = re.findall(r'<a [^>]*href="[^"]*subscribe/[^"]*"[^>]*>([^<]*)</a>', main)
        assert [p for p in prompts if "구독" in p] == ["뉴스레터 구독하기"], page
