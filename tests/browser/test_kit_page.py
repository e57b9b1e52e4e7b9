"""The publishing kit page in chromium: axe at 320/1280 px light and dark, copy buttons by keyboard
(HTML and plain text on the clipboard, and the execCommand fallback), Korean line breaking."""

from __future__ import annotations

import shutil

import pytest

from site_builder.tools import browser
from site_builder.tools.axe import describe, run_axe
from site_builder.build.server import serve_site

from .conftest import FIXTURE_SITE, REPO

pytestmark = pytest.mark.browser

KITS = {"2018-09-05-prep-team": ["naver_blog", "brunch", "kakao_channel"],
        "2018-10-04-budget": ["naver_blog", "kakao_channel"]}
INTERVIEW = "publish/kits/2018-09-05-prep-team/"
CARDS = "publish/kits/2018-10-04-budget/"

# Records what the fallback copies: the selection (or the selected textarea's value) at execCommand time.
RECORD_EXEC_COMMAND = """(() => {
  window.__copied = [];
  const original = document.execCommand.bind(document);
  document.execCommand = (command, ...rest) => {
    const el = document.activeElement;
    const text = el && el.tagName === 'TEXTAREA' ? el.value.substring(el.selectionStart, el.selectionEnd)
                                                 : String(window.getSelection());
    window.__copied.push({command, text, textarea: !!(el && el.tagName === 'TEXTAREA')});
    return original(command, ...rest);
  };
})();"""

READ_CLIPBOARD = """async () => {
  const items = await navigator.clipboard.read();
  const out = {};
  for (const item of items) for (const type of item.types) out[type] = await (await item.getType(type)).text();
  return out;
}"""


@pytest.fixture(scope="module")
def kit_served(tmp_path_factory):
    from datetime import datetime

    from site_builder.build.pipeline import build_site
    from site_builder.config import KST

    project = tmp_path_factory.mktemp("kit-browser") / "project"
    shutil.copytree(FIXTURE_SITE, project, ignore=shutil.ignore_patterns("site", ".site*"))
    config = project / "mkdocs.yml"
    config.write_text("\n".join(f"  custom_dir: {REPO / 'themes'}" if line.strip().startswith("custom_dir:")
                                else line for line in config.read_text(encoding="utf-8").splitlines()) + "\n",
                      encoding="utf-8")
    build_site(project, now=datetime(2019, 6, 1, 12, 0, tzinfo=KST), kits=KITS)
    with serve_site(project / "site") as base:
        yield base


def open_kit(chromium, base: str, path: str, width: int = 1280, scheme: str = "light", *, fallback: bool = False):
    outside = browser.Outside()
    context = browser.new_context(chromium, width, scheme, outside)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base.rstrip("/"))
    if fallback:  # a browser without the async clipboard API
        context.add_init_script("delete window.ClipboardItem; delete Navigator.prototype.clipboard;")
    context.add_init_script(RECORD_EXEC_COMMAND)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(base + path, wait_until="load")
    return context, page, outside, errors


def tab_to(page, name: str, limit: int = 300) -> None:
    """Press Tab until the focused element is the button with this accessible text."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.textContent.trim()") == name:
            return
    raise AssertionError(f"Tab never reached the button '{name}'")


@pytest.mark.parametrize("scheme", browser.SCHEMES)
@pytest.mark.parametrize("width", browser.WIDTHS)
@pytest.mark.parametrize("path", [INTERVIEW, CARDS])
def test_kit_page_has_no_axe_violations(chromium, axe_js, kit_served, path, width, scheme) -> None:
    context, page, outside, errors = open_kit(chromium, kit_served, path, width, scheme)
    try:
        violations = run_axe(page, axe_js)
        assert not violations, "axe-core found violations:\n" + describe(violations, f"{path} {width}px {scheme}: ")
        assert outside.urls == [] and errors == []
        overflow = page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
        assert not overflow, f"{path} scrolls sideways at {width}px"
    finally:
        context.close()


def test_copy_body_by_keyboard_puts_html_and_plain_text_on_the_clipboard(chromium, kit_served) -> None:
    context, page, _, errors = open_kit(chromium, kit_served, INTERVIEW)
    try:
        tab_to(page, "네이버 블로그 본문 복사")
        page.keyboard.press("Enter")
        expect_status(page, "네이버 블로그 본문을(를) 복사했습니다.")
        clip = page.evaluate(READ_CLIPBOARD)
        assert "<h2>청년 정책</h2>" in clip["text/html"]
        assert "<p>[이미지 01]</p>" in clip["text/html"]
        assert "utm_source=naver_blog" in clip["text/html"]
        assert clip["text/plain"].startswith("[이미지 01]\n\n준비단원에게 청년자치정부를 물었다.\n\n준비단을 만났다.")
        assert "<" not in clip["text/plain"]
        assert page.evaluate("document.activeElement.textContent.trim()") == "네이버 블로그 본문 복사"
        assert page.evaluate("window.__copied") == []   # the clipboard API did it, not the fallback
        assert errors == []
    finally:
        context.close()


def test_copy_a_kakao_field_with_space(chromium, kit_served) -> None:
    context, page, _, errors = open_kit(chromium, kit_served, INTERVIEW)
    try:
        page.locator("#kit-kakao_channel").scroll_into_view_if_needed()
        page.focus("#kit-kakao_channel-title + textarea")  # not focusable (hidden): focus stays before it
        tab_to(page, "버튼 링크 복사")
        page.keyboard.press(" ")
        expect_status(page, "버튼 링크을(를) 복사했습니다.")
        clip = page.evaluate(READ_CLIPBOARD)
        assert clip == {"text/plain": "https://yours.example.org/interview/prep-team/"
                                      "?utm_source=kakao_channel&utm_medium=social&utm_campaign=2018-09-05-prep-team"}
        assert errors == []
    finally:
        context.close()


def test_without_the_clipboard_api_the_fallback_selects_the_text_and_uses_exec_command(chromium, kit_served) -> None:
    context, page, _, errors = open_kit(chromium, kit_served, INTERVIEW, fallback=True)
    try:
        assert page.evaluate("typeof window.ClipboardItem") == "undefined"
        tab_to(page, "제목 복사")
        page.keyboard.press("Enter")
        tab_to(page, "네이버 블로그 본문 복사")
        page.keyboard.press("Enter")
        copied = page.evaluate("window.__copied")
        assert [c["command"] for c in copied] == ["copy", "copy"]
        assert copied[0] == {"command": "copy", "text": "준비단원 인터뷰", "textarea": True}
        assert copied[1]["textarea"] is False                       # the rendered HTML itself is selected
        assert copied[1]["text"].startswith("[이미지 01]") and "청년 정책" in copied[1]["text"]
        assert page.evaluate("document.activeElement.textContent.trim()") == "네이버 블로그 본문 복사"
        assert page.evaluate("String(window.getSelection())") == ""  # the selection is not left behind
        expect_status(page, "네이버 블로그 본문을(를) 복사했습니다.")
        assert errors == []
    finally:
        context.close()


def test_korean_text_of_the_kit_breaks_between_words(chromium, kit_served) -> None:
    context, page, _, _ = open_kit(chromium, kit_served, INTERVIEW, 320)
    try:
        styles = page.evaluate("""() => ['.sb-kit__paste', '.sb-kit__value', '.sb-kit__steps li']
            .map(s => getComputedStyle(document.querySelector(s)).wordBreak)""")
        assert styles == ["keep-all", "keep-all", "keep-all"]
    finally:
        context.close()


def expect_status(page, text: str) -> None:
    page.wait_for_function("t => document.querySelector('[data-sb-copy-status]').textContent === t", arg=text)
