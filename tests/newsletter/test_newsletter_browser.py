"""What readers see: the email HTML in Debian's chromium at phone (375 px) and desktop-client (600 px) widths."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from site_builder.newsletter import personalize, preview_values, render_issue

from .conftest import SITE

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]

pytestmark = pytest.mark.browser  # Debian's chromium: `make test` installs it


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


def serve_fixture_images(route) -> None:
    """Answer the site's image URLs from the fixture's content/; refuse every other request (no network)."""
    url = urlsplit(route.request.url)
    local = SITE / "content" / url.path.lstrip("/")
    if url.hostname == "yours.example.org" and local.is_file():
        route.fulfill(status=200, body=local.read_bytes(), content_type=mimetypes.guess_type(local.name)[0])
    else:
        route.abort()


@pytest.fixture(scope="module")
def email_files(issues, catalog, tmp_path_factory):
    out = tmp_path_factory.mktemp("browser")
    files = {}
    for number, issue in issues.items():
        html = personalize(render_issue(issue, catalog), preview_values(issue, catalog)).html
        files[number] = out / f"{number}.html"
        files[number].write_text(html, encoding="utf-8")
    return files


@pytest.mark.parametrize("width", [375, 600])
@pytest.mark.parametrize("number", [1, 2])
def test_email_does_not_overflow_horizontally(browser, email_files, tmp_path, width, number):
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else serve_fixture_images(route))
    page.goto(email_files[number].as_uri())
    page.wait_for_load_state("load")
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    shot = tmp_path / f"issue-{number}-{width}px.png"
    page.screenshot(path=str(shot), full_page=True)
    assert scroll_width <= inner_width, f"overflows at {width}px: {scroll_width} > {inner_width} (see {shot})"
    assert shot.stat().st_size > 0
    # Images loaded from the site and scaled to the column; the column is the full width on phones.
    natural = page.evaluate("Array.from(document.images).map(i => [i.naturalWidth, i.getBoundingClientRect().right])")
    assert len(natural) == {1: 6, 2: 0}[number]
    assert all(w > 0 and right <= inner_width for w, right in natural)
    container = page.evaluate("document.querySelector('.container').getBoundingClientRect().width")
    assert container == min(width, 600)
    page.close()


def test_dark_mode_changes_the_colours(browser, email_files, tmp_path):
    page = browser.new_page(viewport={"width": 375, "height": 800}, color_scheme="dark")
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    page.goto(email_files[1].as_uri())
    background = page.evaluate("getComputedStyle(document.querySelector('.container')).backgroundColor")
    title = page.evaluate("getComputedStyle(document.querySelector('.entry-title a')).color")
    page.screenshot(path=str(tmp_path / "issue-1-dark.png"), full_page=True)
    assert background == "rgb(28, 31, 36)" and title == "rgb(241, 242, 244)"
    page.close()


# For every run of Hangul syllables in the email's text, the line boxes chromium laid it out in:
# a word split across lines has client rects on two (or more) different lines.
SPLIT_WORDS_JS = r"""
() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const split = [];
  let words = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('.preheader, style, title')) continue;
    if (parent.getClientRects().length === 0) continue;          // not rendered
    for (const m of node.data.matchAll(/[\uAC00-\uD7A3]+/g)) {
      if (m[0].length < 2) continue;
      words += 1;
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const tops = [];
      for (const r of range.getClientRects()) {
        if (r.width === 0) continue;
        if (!tops.some(t => Math.abs(t - r.top) < r.height / 2)) tops.push(r.top);
      }
      if (tops.length > 1) {
        split.push(m[0] + ' in "' + (parent.textContent || '').trim().slice(0, 40) + '…"');
      }
    }
  }
  return [words, split];
}
"""


@pytest.mark.parametrize("width", [320, 375, 600])
@pytest.mark.parametrize("number", [1, 2])
def test_email_keeps_korean_words_whole(browser, email_files, tmp_path, width, number):
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else serve_fixture_images(route))
    page.goto(email_files[number].as_uri())
    page.wait_for_load_state("load")
    words, split = page.evaluate(SPLIT_WORDS_JS)
    shot = tmp_path / f"issue-{number}-{width}px.png"
    page.screenshot(path=str(shot), full_page=True)
    page.close()
    assert words >= 50   # the measure saw the email's text
    assert split == [], f"Hangul words broken across lines at {width}px (see {shot}): {split}"
