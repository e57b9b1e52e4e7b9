"""The suite fails when a page breaks the rules: known violations are injected into a copy of a built
page, and the same checks the suite runs (axe, the static checks, the validator) must report them."""

from __future__ import annotations

import shutil

import pytest

from site_builder.tools.pagecheck import site_problems
from site_builder.build.server import serve_site
from site_builder.tools.validate import validate

from .test_axe import assert_accessible

pytestmark = pytest.mark.browser

INJECTED = (
    '<p style="color:#777;background:#888">흐린 글자는 읽기 어렵습니다</p>'  # color-contrast
    '<img src="../../images/none.png">'                            # image-alt (and the static alt check)
    '<p><a href="https://example.org/" target="_blank">더보기</a></p>'  # vague text, no 새 창
    '<table><tr><th>구분</th></tr><tr><td>1</td></tr></table>'     # no caption, no scope
    '<h4>단계를 건너뛴 제목</h4>'                                   # heading-order
    '<p id="sb-main">같은 id</p>'                                   # duplicate id
)


@pytest.fixture(scope="module")
def broken_site(served, tmp_path_factory):
    """A copy of the sample site whose interview article carries the injected violations."""
    site = tmp_path_factory.mktemp("broken") / "site"
    shutil.copytree(served.site, site)
    page = site / served.samples["article-interview"].path / "index.html"
    html = page.read_text(encoding="utf-8")
    assert '<div class="sb-body' in html
    page.write_text(html.replace('<div class="sb-body', INJECTED + '<div class="sb-body', 1), encoding="utf-8")
    return site, served.samples["article-interview"].path


def test_axe_check_fails_on_the_injected_page(broken_site, visit, axe_js) -> None:
    site, path = broken_site
    with serve_site(site) as base:
        page = visit(320, "dark").page
        page.goto(base + path, wait_until="load")
        with pytest.raises(AssertionError) as failure:
            assert_accessible(page, axe_js, "injected")
    message = str(failure.value)
    for rule in ("color-contrast", "image-alt"):
        assert f"injected: {rule} (" in message, message


def test_static_checks_fail_on_the_injected_page(broken_site) -> None:
    site, path = broken_site
    found = site_problems(site)
    assert list(found) == [path + "index.html"]
    problems = found[path + "index.html"]
    assert "링크 글자 '더보기'만으로는 어디로 가는지 알 수 없습니다 (https://example.org/)" in problems
    assert "새 창으로 열리는 링크에 '새 창' 안내가 없습니다: '더보기' (https://example.org/)" in problems
    assert "1번째 표에 제목(caption)이 없습니다" in problems
    assert "1번째 표의 제목 칸 '구분'에 scope가 없습니다" in problems
    assert "이미지에 alt가 없습니다: ../../images/none.png" in problems
    assert "id 'sb-main'가 2번 쓰였습니다" in problems
    assert any(p.startswith("제목 단계를 건너뛰었습니다: h1 다음에 h4") for p in problems)


def test_validator_fails_on_the_injected_page(broken_site) -> None:
    site, path = broken_site
    errors = validate([site / path])
    messages = [e.message for e in errors]
    assert any("Duplicate ID “sb-main”" in m for m in messages), messages
    assert any("An “img” element must have an “alt” attribute" in m for m in messages), messages
