"""Every built page, read without a browser: the KWCAG checks axe-core does not make
(site_builder.tools.pagecheck; research notes section 6: A1, A3, A5-A8, A10, A11, A14, K2, P2)."""

from __future__ import annotations

import pytest

from site_builder.tools.pagecheck import page_problems, site_problems

PAGE = """<!doctype html><html lang="ko"><head><title>글 | 유어스</title></head><body>
<div data-md-component="skip"><a href="#sb-main" class="md-skip">본문 바로가기</a></div>
<header class="md-header"><a href="/">유어스</a></header>
<main id="sb-main" tabindex="-1"><h1>글</h1>{body}</main>
<footer class="md-footer sb-footer"><a href="/privacy/" class="sb-footer__privacy">개인정보 처리방침</a>
<a href="/copyright/">저작권정책</a><a href="/no-email-collection/">이메일무단수집거부</a></footer>
</body></html>"""


def problems_with(body: str) -> list[str]:
    return page_problems(PAGE.format(body=body))


def format_found(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{page}: {problem}" for page, problems in found.items() for problem in problems)


def test_every_page_of_the_sample_archive_passes(built_sample) -> None:
    found = site_problems(built_sample / "site")
    assert not found, format_found(found)


def test_every_page_of_the_fixture_site_passes(built_fixture) -> None:
    found = site_problems(built_fixture / "site")
    assert not found, format_found(found)


def test_a_page_that_follows_every_rule_has_no_problems() -> None:
    assert problems_with("<h2>소제목</h2><p><a href='/x/'>청년자치정부 준비단 모집 안내</a></p>") == []


@pytest.mark.parametrize(("body", "problem"), [
    ("<h3>소제목</h3>", "제목 단계를 건너뛰었습니다: h1 다음에 h3 '소제목'"),
    ("<h1>둘째 h1</h1>", "h1이 2개입니다 (하나여야 합니다)"),
    ("<p><a href='/more/'>더보기</a></p>", "링크 글자 '더보기'만으로는 어디로 가는지 알 수 없습니다 (/more/)"),
    ("<p><a href='/x/'>자세히 보기</a></p>", "링크 글자 '자세히 보기'만으로는 어디로 가는지 알 수 없습니다 (/x/)"),
    ("<p><a href='https://example.org/' target='_blank'>서울시 보도자료</a></p>",
     "새 창으로 열리는 링크에 '새 창' 안내가 없습니다: '서울시 보도자료' (https://example.org/)"),
    ("<table><tr><th scope='col'>구분</th></tr><tr><td>1</td></tr></table>", "1번째 표에 제목(caption)이 없습니다"),
    ("<table><caption>예산</caption><tr><th>구분</th></tr></table>", "1번째 표의 제목 칸 '구분'에 scope가 없습니다"),
    ("<img src='a.png'>", "이미지에 alt가 없습니다: a.png"),
    ("<img src='a.png' alt='a.png'>", "대체텍스트가 파일 이름이거나 '이미지/사진'으로 끝납니다: 'a.png' (a.png)"),
    ("<img src='a.png' alt='행사 사진'>", "대체텍스트가 파일 이름이거나 '이미지/사진'으로 끝납니다: '행사 사진' (a.png)"),
    ("<p id='x'>1</p><p id='x'>2</p>", "id 'x'가 2번 쓰였습니다"),
    ("<button tabindex='2'>버튼</button>", "<button>의 tabindex가 2입니다 (0보다 크면 안 됩니다)"),
    ("<iframe src='https://www.youtube-nocookie.com/embed/a?autoplay=1' title='영상'></iframe><h2>대본</h2>",
     "iframe 영상이 자동 재생됩니다: https://www.youtube-nocookie.com/embed/a?autoplay=1"),
    ("<iframe src='https://player.vimeo.com/video/1'></iframe><h2>대본</h2>",
     "iframe에 title이 없습니다: https://player.vimeo.com/video/1"),
    ("<video controls src='a.mp4'><track kind='captions' src='a.vtt'></video>",
     "영상이 있는 페이지에 '대본' 제목이 없습니다"),
    ("<video controls src='a.mp4'></video><h2>대본</h2>", "영상에 자막 트랙이 없습니다"),
    ("<section data-sb-cards><h2>카드뉴스</h2><ol><li><img src='1.png' alt='표지'></li><li><img src='2.png' alt='표지'></li></ol></section>"
     "<section class='sb-cards-text'><h2>텍스트로 보기</h2><ol><li>하나</li><li>둘</li></ol></section>",
     "카드뉴스 카드 2장의 대체텍스트가 같습니다: '표지'"),
    ("<section data-sb-cards><h2>카드뉴스</h2><ol><li><img src='1.png' alt='표지'></li></ol></section>",
     "카드뉴스에 '텍스트로 보기' 글이 없습니다"),
])
def test_each_rule_reports_its_problem(body: str, problem: str) -> None:
    assert problem in problems_with(body)


def test_page_language_skip_link_and_footer_are_required() -> None:
    html = PAGE.format(body="").replace('lang="ko"', 'lang="en"')
    html = html.replace('<div data-md-component="skip"><a href="#sb-main" class="md-skip">본문 바로가기</a></div>', "")
    html = html.replace('class="sb-footer__privacy"', "").replace(">저작권정책<", ">저작권<")
    assert page_problems(html) == [
        '<html lang="en">: 페이지 언어는 lang="ko"여야 합니다',
        "첫 링크가 건너뛰기 링크가 아닙니다: / '유어스'",
        "바닥글의 '개인정보 처리방침' 링크가 다른 링크와 구별되지 않습니다 (sb-footer__privacy)",
        "바닥글에 '저작권정책' 링크가 없습니다",
    ]


def test_duplicate_titles_are_reported_on_every_page_that_shares_them(tmp_path) -> None:
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "index.html").write_text(PAGE.format(body=""), encoding="utf-8")
    found = site_problems(tmp_path)
    assert found == {
        "a/index.html": ["제목 '글 | 유어스'이 2개 페이지에서 같습니다: a/index.html, b/index.html"],
        "b/index.html": ["제목 '글 | 유어스'이 2개 페이지에서 같습니다: a/index.html, b/index.html"],
    }
