"""`site-builder serve` in chromium, as an editor uses it: a saved body edit appears in the open page, a YAML
error appears in the page itself (the same numbered lines as in the terminal) until it is fixed, and no
page view asks for files that do not exist (Material used to fetch sitemap.xml beside every feed link)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from site_builder.tools.serve import running_preview

pytestmark = pytest.mark.browser

MEETING = Path("content/meeting/2018-09-21-first-meeting.md")
WAIT = 180_000   # ms: the first build on a loaded 2-core machine; every wait ends as soon as the page shows it


def test_edits_and_errors_show_in_the_open_page(site_project: Path, chromium) -> None:
    article = site_project / MEETING
    source = article.read_text(encoding="utf-8")
    context = chromium.new_context(locale="ko-KR", service_workers="block")
    failed: list[str] = []
    # 503 is the "being built" page shown until the first build ends
    context.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 and r.status != 503 else None)
    try:
        with running_preview(site_project, env={"SITE_BUILDER_NOW": "2019-06-01T12:00:00+09:00"}) as serve:
            page = context.new_page()
            page.goto(serve.url + "meeting/first-meeting/")
            expect(page.get_by_role("heading", name="첫 소규모 간담회", level=1)).to_be_visible(timeout=WAIT)

            article.write_text(source.rstrip("\n") + "\n\n저장하자마자 보이는 새 문단입니다.\n", encoding="utf-8")
            expect(page.get_by_text("저장하자마자 보이는 새 문단입니다.")).to_be_visible(timeout=WAIT)

            article.write_text(source.replace("tags: [간담회, 청년자치정부]", "tags: [간담회, 청년자치정부"),
                               encoding="utf-8")
            overlay = page.locator("#sb-preview-error")
            expect(overlay).to_contain_text("1. content/meeting/2018-09-21-first-meeting.md:6: tags: 목록을 여는 [는 "
                                            "있는데 닫는 ]가 없습니다 — 목록 끝에 ]를 넣으세요", timeout=WAIT)
            expect(overlay).to_have_attribute("role", "alert")
            expect(page.get_by_role("heading", name="첫 소규모 간담회", level=1)).to_be_attached()  # the last good page
            other = context.new_page()   # every page shows it, not only the one that was open
            other.goto(serve.url)
            expect(other.locator("#sb-preview-error")).to_contain_text("문제 1개 때문에 빌드하지 않았습니다")
            assert any("2018-09-21-first-meeting.md:6: tags: 목록을 여는 [는 있는데 닫는 ]가 없습니다" in line
                       for line in serve.err)

            article.write_text(source, encoding="utf-8")   # fixed
            expect(overlay).to_have_count(0, timeout=WAIT)
            expect(other.locator("#sb-preview-error")).to_have_count(0, timeout=WAIT)
            expect(page.get_by_text("저장하자마자 보이는 새 문단입니다.")).to_have_count(0)
            expect(page.get_by_role("heading", name="첫 소규모 간담회", level=1)).to_be_visible()
    finally:
        context.close()
    assert failed == []   # no 404 for feeds/kind/sitemap.xml or anything else
    assert not any("404" in line for line in serve.err)
