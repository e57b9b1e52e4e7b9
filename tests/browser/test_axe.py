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


def switch_to_dark(page) -> None:
    """Use the header's palette switch, as a reader does; Material applies the dark palette in place."""
    page.locator("form[data-md-component=palette] label:visible").click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


@pytest.mark.parametrize("width", browser.WIDTHS)
@pytest.mark.parametrize("template", TEMPLATES)
def test_template_has_no_axe_violations_in_light_and_dark(served, visit, axe_js, template, width) -> None:
    """Light as loaded, then dark through the palette switch (the search dialog: loaded dark,
    since the open dialog covers the switch)."""
    v = visit(width, "light")
    page = v.open(served, template)
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "default"
    try:
        assert_accessible(page, axe_js, f"{template} {width}px light")
        if served.samples[template].search:
            dark = visit(width, "dark")
            page = dark.open(served, template)
            assert dark.left == []
        else:
            switch_to_dark(page)
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
        assert_accessible(page, axe_js, f"{template} {width}px dark")
    finally:
        page.evaluate("localStorage.clear()")  # the switch is remembered; other tests start from the system palette
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
