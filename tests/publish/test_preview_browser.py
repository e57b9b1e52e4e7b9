"""The preview page, read as an editor reads it: Debian's chromium at 320 and 1280 px, axe-core."""

from __future__ import annotations

import os

import pytest

from site_builder.publish.preview import write_preview
from site_builder.tools import browser
from site_builder.tools.axe import axe_source, describe, run_axe
from site_builder.build.server import serve_site

from .conftest import settings_for
from .fakes import failing_transport


@pytest.fixture
def preview(make_publisher, project, catalog):
    # one draft too long for the fake network, to show its problem
    article = next(a for a in catalog.articles if a.kind == "interview")
    path = project / "content" / article.source
    path.write_text(path.read_text(encoding="utf-8").replace(
        "\n---\n", "\nsocial:\n  fake: " + "아주 긴 소개 " * 20 + "\n---\n", 1), encoding="utf-8")
    from site_builder.catalog import load_catalog
    from site_builder.publish.plan import iter_planned

    from .conftest import FIXED_NOW

    settings = settings_for({"fake": {"accounts": {"yours": {}}}, "manualfake": {"accounts": {"yours": {}}}})
    publisher = make_publisher(settings, transport=failing_transport())
    publisher.planned, _ = iter_planned(load_catalog(project, now=FIXED_NOW), settings)
    report = publisher.dry_run()
    out = write_preview(report, project / ".cache" / "site-builder" / "publish-preview.html")
    return project, out, article


@pytest.mark.parametrize("width", browser.WIDTHS)
def test_the_preview_shows_every_draft_its_images_and_problems(preview, width, tmp_path):
    project, out, article = preview
    outside = browser.Outside()
    with serve_site(project) as base, browser.launch() as chromium:
        context = browser.new_context(chromium, width, "light", outside)
        page = context.new_page()
        page.goto(base + ".cache/site-builder/publish-preview.html")
        cards = page.locator(".sb-draft")
        assert cards.count() == 16
        budget = page.locator("section", has=page.get_by_role("heading", name="카드뉴스 청년자율예산"))
        fake = budget.locator('[data-channel="fake"]')
        assert fake.get_by_text("카드뉴스 청년자율예산\nhttps://yours.example.org/cardnews/budget/").is_visible()
        images = fake.locator("img")
        assert images.count() == 3
        assert all(images.nth(i).evaluate("img => img.complete && img.naturalWidth > 0") for i in range(3))
        assert fake.get_by_text("1. 청년자율예산이라는 제목과 동전 그림").is_visible()
        long = page.locator("section", has=page.get_by_role("heading", name=article.title)).locator(
            '[data-channel="fake"]')
        problem = long.get_by_role("list", name="고칠 점")
        assert problem.is_visible() and "120자를 넘습니다" in problem.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        violations = run_axe(page, axe_source())
        assert violations == [], describe(violations)
        page.screenshot(path=str(tmp_path / f"preview-{width}.png"), full_page=False)
        if os.environ.get("SB_SHOTS"):
            page.screenshot(path=os.path.join(os.environ["SB_SHOTS"], f"preview-{width}.png"), full_page=False)
        context.close()
    assert outside.urls == []
