"""What a reader sees: no sideways scrolling at 320 px, Korean line breaking, the footer's policy
links with 개인정보 처리방침 set apart, search by keyboard, video without autoplay and with
its transcript, and no request leaving 127.0.0.1 (research notes section 6: A7, K2, P2, T1, T7)."""

from __future__ import annotations

import pytest

from site_builder.tools import browser

from .conftest import EMBED_PATH, EMBED_STUB, TEMPLATES

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("template", TEMPLATES)
def test_nothing_scrolls_sideways_at_320_px(served, visit, template) -> None:
    page = visit(320).open(served, template)
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')].filter(el => {
        const r = el.getBoundingClientRect();
        let fixed = false;  // fixed layers (search backdrop) do not widen the page
        for (let e = el; e && !fixed; e = e.parentElement) fixed = getComputedStyle(e).position === 'fixed';
        return r.width > 0 && r.right > document.documentElement.clientWidth + 1 && !fixed
               && !el.closest('.md-typeset__scrollwrap[tabindex]');
      }).slice(0, 5).map(el => el.tagName.toLowerCase() + '.' + el.className + ' ' + Math.round(el.getBoundingClientRect().left) + '..' + Math.round(el.getBoundingClientRect().right))""")
    widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"{template}: page is {widths[0]} px wide in a {widths[1]} px window: {wide}"
    assert wide == [], f"{template}: elements past the right edge: {wide}"


@pytest.mark.parametrize("template", ["article-interview", "article-column", "page-privacy"])
def test_article_text_breaks_between_korean_words(served, visit, template) -> None:
    page = visit(320).open(served, template)
    style = page.evaluate("() => { const s = getComputedStyle(document.querySelector('.md-content .md-typeset'));"
                          " return [s.wordBreak, s.overflowWrap, parseFloat(s.fontSize), parseFloat(s.lineHeight)]; }")
    assert style[:2] == ["keep-all", "anywhere"]
    assert style[2] >= 16 and style[3] / style[2] >= 1.5, f"body text {style[2]} px, line height {style[3]} px"


@pytest.mark.parametrize("scheme", browser.SCHEMES)
def test_footer_policy_links_are_on_every_template_with_privacy_set_apart(served, visit, scheme) -> None:
    v = visit(1280, scheme)
    for template in ("home", "article-video", "listing-tag", "subscribe", "404"):
        page = v.open(served, template)
        footer = page.locator("footer.sb-footer")
        names = footer.locator("nav a").all_inner_texts()
        assert names[:3] == ["개인정보 처리방침", "저작권정책", "이메일무단수집거부"], f"{template}: {names}"
        styles = footer.locator("nav a").evaluate_all(
            "links => links.map(a => [getComputedStyle(a).fontWeight, getComputedStyle(a).color])")
        privacy, others = styles[0], styles[1:]
        assert all(privacy[0] != o[0] and privacy[1] != o[1] for o in others), f"{template}: {styles}"
        order = footer.evaluate("f => [...f.querySelectorAll('address, nav, .sb-footer__copy')].map(e => e.tagName)")
        assert order == ["ADDRESS", "NAV", "P"], "KRDS order: contact, policy links, identifier last"


@pytest.mark.parametrize("width", browser.WIDTHS)
def test_search_opens_and_finds_by_keyboard(served, visit, width) -> None:
    page = visit(width).open(served, "home")
    if width < 960:  # the header has room for a link to the search page only
        link = page.get_by_role("link", name="검색", exact=True)
        link.focus()
        page.keyboard.press("Enter")
        page.wait_for_url("**/search/")
        page.locator("#sb-search-q").focus()
        page.keyboard.type("정책")
        page.wait_for_selector("#sb-search-results .sb-search__hit")
    else:
        page.locator("#sb-search-box-q").focus()
        page.keyboard.type("정책")
        page.wait_for_selector("#sb-search-box-popup:not([hidden]) .sb-search__hit")
        page.keyboard.press("Escape")
        assert page.locator("#sb-search-box-popup").is_hidden()


def test_phone_menu_opens_by_keyboard_and_escape_closes_it(served, visit) -> None:
    page = visit(320).open(served, "article-interview")
    menu = page.get_by_role("button", name="메뉴")
    menu.focus()
    page.keyboard.press("Enter")
    assert menu.get_attribute("aria-expanded") == "true"
    assert page.evaluate("document.querySelector('.md-sidebar--primary').contains(document.activeElement)")
    page.keyboard.press("Escape")
    page.wait_for_function("!document.getElementById('__drawer').checked")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "메뉴"
    assert menu.get_attribute("aria-expanded") == "false"


def test_site_video_has_captions_no_autoplay_and_a_transcript(served, visit) -> None:
    page = visit().open(served, "article-video")
    video = page.locator(".sb-video video")
    assert video.get_attribute("autoplay") is None
    assert video.evaluate("v => v.paused && v.textTracks.length > 0 && v.textTracks[0].kind === 'captions'")
    assert page.get_by_role("heading", name="대본", exact=True).count() == 1
    page.wait_for_timeout(500)
    assert video.evaluate("v => v.paused")


def test_embedded_video_loads_nothing_until_asked_then_a_titled_player_without_autoplay(served_embed, visit) -> None:
    v = visit()
    page = v.page
    page.goto(served_embed.base + EMBED_PATH, wait_until="networkidle")
    assert page.locator("iframe").count() == 0
    assert v.left == [], "nothing from YouTube before the reader asks"
    link = page.get_by_role("link", name="YouTube에서 보기 (새 창)")
    assert link.get_attribute("target") == "_blank"
    page.get_by_role("button", name="영상 불러오기 (YouTube)").click()
    frame = page.locator("iframe")
    frame.wait_for()
    assert frame.get_attribute("title") == "유튜브로 보는 청년자치정부 (영상)"
    assert "autoplay" not in (frame.get_attribute("src") + (frame.get_attribute("allow") or ""))
    assert page.evaluate("document.activeElement.tagName") == "IFRAME"
    page.wait_for_function("document.querySelector('iframe').contentDocument === null || true")
    assert v.left == ["https://www.youtube-nocookie.com/embed/abcdEFGH123"], "only the player the reader asked for"
    assert page.get_by_role("heading", name="대본", exact=True).count() == 1
    assert EMBED_STUB


def test_no_request_leaves_127_0_0_1_on_any_template_in_any_state(served, visit) -> None:
    """Every template, with the search dialog used and card news paged: only the loopback server."""
    v = visit(320, "dark")
    seen: list[str] = []
    v.page.on("request", lambda request: seen.append(request.url))
    for template in TEMPLATES:
        page = v.open(served, template)
        if template == "article-cardnews":
            page.get_by_role("button", name="다음 카드").click()
            page.wait_for_load_state("networkidle")
    assert v.left == []
    assert seen and all(browser.is_local(url) for url in seen)
    assert not [u for u in seen if "fonts.g" in u or "googleapis" in u or "gstatic" in u]
