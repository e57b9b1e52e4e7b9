"""The card news slider at its ends: the button with nowhere to go is disabled and looks it, and
keyboard focus moves to the other button instead of falling to the page body."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

LOOK = "b => { const s = getComputedStyle(b); return [s.backgroundColor, s.borderStyle, s.cursor, s.color]; }"


@pytest.mark.parametrize("width", (320, 1280))
def test_at_the_last_card_next_is_disabled_looks_it_and_focus_stays_on_the_controls(served, visit, width) -> None:
    page = visit(width).open(served, "article-cardnews")
    total = page.locator(".sb-cards__slide").count()
    previous = page.get_by_role("button", name="이전 카드")
    following = page.get_by_role("button", name="다음 카드")
    enabled_look = following.evaluate(LOOK)
    following.focus()
    for _ in range(total - 1):
        page.keyboard.press("Enter")
    assert page.locator("[data-sb-cards-status]").inner_text() == f"{total}장 중 {total}번째 카드"
    assert following.is_disabled()
    assert page.evaluate("document.activeElement.textContent.trim()") == "이전 카드", \
        "focus moved to the previous button, not to the body"
    disabled_look = following.evaluate(LOOK)
    assert disabled_look[0] != enabled_look[0] and disabled_look[1] == "dashed" and disabled_look[2] == "not-allowed", \
        f"the disabled button looks like the enabled one: {disabled_look} vs {enabled_look}"
    assert previous.evaluate(LOOK)[0] == enabled_look[0], "the enabled button keeps its look"
    # back to the first card with the arrow keys: focus moves to 다음 카드 when 이전 카드 is disabled
    page.keyboard.press("Enter")
    previous.focus()
    for _ in range(total - 2):
        page.keyboard.press("Enter")
    assert previous.is_disabled()
    assert page.evaluate("document.activeElement.textContent.trim()") == "다음 카드"
