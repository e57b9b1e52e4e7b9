"""axe-core over every template at 320 px and 1280 px, light and dark: zero WCAG 2.x A/AA violations,
and nothing requested from outside 127.0.0.1 (research notes section 6: A2, A9, A13, T7)."""

from __future__ import annotations

import pytest

from site_builder.tools import browser
from site_builder.tools.axe import describe, run_axe
from site_builder.tools.templates import sample_pages

from .conftest import EMBED_PATH, TEMPLATES

pytestmark = pytest.mark.browser


def assert_accessible(page, axe_js: str, where: str) -> None:
    """Fail with axe's own description of every violation on the page."""
    violations = run_axe(page, axe_js)
    assert not violations, "axe-core found violations:\n" + describe(violations, f"{where}: ")


def test_every_template_has_a_sample_page(served) -> None:
    assert [s.name for s in sample_pages(served.site)] == TEMPLATES


@pytest.mark.parametrize("scheme", browser.SCHEMES)
@pytest.mark.parametrize("width", browser.WIDTHS)
@pytest.mark.parametrize("template", TEMPLATES)
def test_template_has_no_axe_violations(served, visit, axe_js, template, width, scheme) -> None:
    v = visit(width, scheme)
    page = v.open(served, template)
    expected = "slate" if scheme == "dark" else "default"
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == expected
    assert_accessible(page, axe_js, f"{template} {width}px {scheme}")
    assert v.left == [], f"{template} requested from outside 127.0.0.1: {v.left}"
    assert v.errors == [], f"{template}: script errors {v.errors}"


@pytest.mark.parametrize("scheme", browser.SCHEMES)
@pytest.mark.parametrize("width", browser.WIDTHS)
def test_video_facade_and_loaded_player_have_no_axe_violations(served_embed, visit, axe_js, width, scheme) -> None:
    v = visit(width, scheme)
    page = v.page
    page.goto(served_embed.base + EMBED_PATH, wait_until="load")
    assert page.locator("[data-sb-embed]").count() == 1
    assert_accessible(page, axe_js, f"video facade {width}px {scheme}")
    assert v.left == []
    page.get_by_role("button", name="영상 불러오기 (YouTube)").click()
    page.wait_for_selector("iframe")
    assert_accessible(page, axe_js, f"video player {width}px {scheme}")
