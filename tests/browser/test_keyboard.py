"""Keyboard: skip link first and reaching <main>, no single-key shortcuts, visible focus, card news
slider by keyboard (research notes section 6: A3, A11, A12, A16)."""

from __future__ import annotations

import pytest

from site_builder.tools import browser

from .conftest import TEMPLATES

pytestmark = pytest.mark.browser

SHORTCUT_KEYS = ["s", "f", "/", "p", "n", ",", ".", "S", "F", "P", "N"]

# Where the focused element is and what marks it: outline, or a box shadow ring.
FOCUS_STATE = """() => {
  let el = document.activeElement;
  if (!el || el === document.body) return null;
  // Material hides its palette radio buttons and draws the focus ring on the label that follows
  if (el.classList.contains('md-option') && el.nextElementSibling) el = el.nextElementSibling;
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(), text: (el.innerText || el.getAttribute('aria-label') || el.value || '').trim().slice(0, 40),
    outline: style.outlineStyle !== 'none' ? parseFloat(style.outlineWidth) : 0,
    shadow: style.boxShadow !== 'none',
    inView: rect.width > 0 && rect.height > 0 && rect.bottom > 0 && rect.right > 0
            && rect.top < innerHeight && rect.left < innerWidth,
    visible: style.visibility !== 'hidden' && style.opacity !== '0',
  };
}"""


@pytest.mark.parametrize("width", browser.WIDTHS)
@pytest.mark.parametrize("template", TEMPLATES)
def test_first_tab_reaches_the_skip_link_and_enter_moves_to_main(served, visit, template, width) -> None:
    page = visit(width).open(served, template)
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.classList.contains('md-skip'),"
                            " document.activeElement.getAttribute('href'), document.activeElement.textContent.trim()]")
    assert focused == [True, "#sb-main", "본문 바로가기"]
    box = page.locator("a.md-skip").bounding_box()
    assert box and box["y"] >= 0 and box["height"] > 0, "the skip link shows when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "sb-main"
    page.keyboard.press("Tab")
    # the next stop is in <main> or, on a page whose main holds no links, after it: never the header
    after = page.evaluate("() => { const main = document.getElementById('sb-main'), el = document.activeElement;"
                          " return main.contains(el) || !!(main.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING); }")
    assert after, "after the skip link, the next Tab goes on from <main>, not back to the header"


@pytest.mark.parametrize("template", ["home", "article-interview", "article-cardnews", "listing-page-2"])
def test_single_key_shortcuts_do_nothing(served, visit, template) -> None:
    v = visit()
    page = v.open(served, template)
    url = page.url
    for key in SHORTCUT_KEYS:
        page.keyboard.press(key)
        page.wait_for_timeout(50)
        assert page.url == url, f"pressing '{key}' navigated"
        state = page.evaluate("() => [document.activeElement.tagName,"
                              " document.getElementById('sb-search-box-popup').hidden]")
        assert state == ["BODY", True], f"pressing '{key}' moved focus or opened search: {state}"


def test_typing_a_shortcut_letter_in_the_search_box_still_types_it(served, visit) -> None:
    page = visit().open(served, "home")
    page.locator("#sb-search-box-q").click()
    page.keyboard.type("snf/p")
    assert page.locator("#sb-search-box-q").input_value() == "snf/p"


@pytest.mark.parametrize("scheme", browser.SCHEMES)
@pytest.mark.parametrize("width", browser.WIDTHS)
@pytest.mark.parametrize("template", ["home", "article-cardnews", "subscribe", "article-video", "404"])
def test_keyboard_focus_is_always_visible(served, visit, template, width, scheme) -> None:
    page = visit(width, scheme).open(served, template)
    problems, seen = [], 0
    for _ in range(60):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        if state is None:
            break
        seen += 1
        if not (state["inView"] and state["visible"]):
            problems.append(f"focus is off screen or hidden: {state}")
        elif state["outline"] < 2 and not state["shadow"]:
            problems.append(f"no focus indicator: {state}")
    assert seen > 5
    assert problems == [], "\n".join(problems)


def test_card_news_slider_works_by_keyboard_and_never_advances_by_itself(served, visit) -> None:
    page = visit(320).open(served, "article-cardnews")
    status = page.locator("[data-sb-cards-status]")
    total = page.locator(".sb-cards__slide").count()
    assert status.inner_text() == f"{total}장 중 1번째 카드"
    page.wait_for_timeout(1500)
    assert status.inner_text() == f"{total}장 중 1번째 카드", "no auto-advance"
    assert page.get_by_role("button", name="이전 카드").is_disabled()
    page.get_by_role("button", name="다음 카드").focus()
    page.keyboard.press("Enter")
    assert status.inner_text() == f"{total}장 중 2번째 카드"
    page.keyboard.press("ArrowRight")
    assert status.inner_text() == f"{total}장 중 3번째 카드"
    page.keyboard.press("ArrowLeft")
    assert status.inner_text() == f"{total}장 중 2번째 카드"
    assert page.locator(".sb-cards__slide.is-current").count() == 1
    alts = page.locator(".sb-cards__slide.is-current img").get_attribute("alt")
    assert alts, "the shown card has its own alt text"
