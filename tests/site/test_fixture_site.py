"""The fixture site built with the real MkDocs: every page type, listings, links, Korean details."""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from site_builder.build.linkcheck import check_site
from site_builder.config import KINDS
from site_builder.textutil import slugify_term


def read(project: Path, path: str) -> str:
    target = project / "site" / path
    if path.endswith("/") or not path:
        target = target / "index.html"
    return target.read_text(encoding="utf-8")


def links_in_main(html: str) -> list[str]:
    main = html[html.index('id="sb-main"'):html.index('<footer class="md-footer sb-footer"')]
    return re.findall(r'<h[23] class="sb-card__title"><a href="([^"]+)"', main)


def resolve(page_url: str, href: str) -> str:
    """The site path (tags/x/) a relative link on the page at page_url points to."""
    return posixpath.normpath(posixpath.join(page_url, href)) + "/"


@dataclass(frozen=True)
class ListingPage:
    """One page of a listing as a reader sees it: its cards, its count and its page navigation."""

    url: str
    articles: list[str]  # site paths of the cards, top to bottom
    count: str  # the "글 N개" line
    heading: str
    current: str | None  # the page number marked as the current one
    numbered: dict[str, str]  # "2" -> site path of the page the "2쪽" link opens
    prev: str | None
    next: str | None


def listing_page(project: Path, url: str) -> ListingPage:
    html = read(project, url)
    article = html[html.index('<article class="md-content__inner'):html.index("</article>")]
    nav = re.search(r'<nav class="sb-pagination" aria-label="쪽 이동">(.*?)</nav>', article, re.S)
    nav_html = nav.group(1) if nav else ""

    def rel(name: str) -> str | None:
        found = re.search(rf'<a href="([^"]+)" rel="{name}">', nav_html)
        return resolve(url, found.group(1)) if found else None

    current = re.search(r'<span aria-current="page">(\d+)쪽</span>', nav_html)
    return ListingPage(
        url=url,
        articles=[resolve(url, link) for link in links_in_main(html)],
        count=re.search(r'<p class="sb-listing__count">([^<]*)</p>', article).group(1),
        heading=re.search(r"<h1>(.*?)</h1>", article).group(1),
        current=current.group(1) if current else None,
        numbered={n: resolve(url, href) for href, n in re.findall(r'<a href="([^"]+)">(\d+)쪽</a>', nav_html)},
        prev=rel("prev"), next=rel("next"))


def pages_of(project: Path, url: str) -> list[ListingPage]:
    """Every page of the listing at url, reached the way a reader does: by the "다음 쪽" links."""
    pages = [listing_page(project, url)]
    while pages[-1].next and len(pages) < 10:
        pages.append(listing_page(project, pages[-1].next))
    return pages


# The fixture's eight published articles (the draft and the 2030 article are not), newest first.
INFOGRAPHIC, VIDEO, COLUMN, CARDNEWS = "infographic/budget/", "video/intro/", "column/generation-balance/", \
    "cardnews/budget/"
SECOND_MEETING, FEATURE, FIRST_MEETING, INTERVIEW = "meeting/second-meeting/", "feature/core-projects/", \
    "meeting/first-meeting/", "interview/prep-team/"
NEWEST_FIRST = [INFOGRAPHIC, VIDEO, COLUMN, CARDNEWS, SECOND_MEETING, FEATURE, FIRST_MEETING, INTERVIEW]

# Every listing of the fixture site and what it must show, read off the articles' front matter.
LISTINGS = {
    "interview/": [INTERVIEW],
    "column/": [COLUMN],
    "meeting/": [SECOND_MEETING, FIRST_MEETING],
    "feature/": [FEATURE],
    "cardnews/": [CARDNEWS],
    "video/": [VIDEO],
    "infographic/": [INFOGRAPHIC],
    "series/prep-diary/": [INTERVIEW],
    "series/open-table/": [SECOND_MEETING, FIRST_MEETING],
    "series/generation-balance/": [COLUMN],
    "series/policy-explained/": [INFOGRAPHIC, CARDNEWS],
    "agenda/economy/": [FIRST_MEETING],  # 경제
    "agenda/tax-finance/": [INFOGRAPHIC, COLUMN, CARDNEWS, FEATURE],  # 세금재정
    "agenda/administration/": [SECOND_MEETING, FEATURE, INTERVIEW],  # 행정
    "districts/jongno/": [SECOND_MEETING, FIRST_MEETING],
    "districts/jung/": [INTERVIEW],
    f"tags/{slugify_term('간담회')}/": [SECOND_MEETING, FIRST_MEETING],
    f"tags/{slugify_term('세대균형')}/": [COLUMN],
    f"tags/{slugify_term('영상')}/": [VIDEO],
    f"tags/{slugify_term('준비단')}/": [INTERVIEW],
    f"tags/{slugify_term('청년자율예산')}/": [INFOGRAPHIC, CARDNEWS, FEATURE],
    f"tags/{slugify_term('청년자치정부')}/": [COLUMN, FEATURE, FIRST_MEETING, INTERVIEW],
    f"tags/{slugify_term('카드뉴스')}/": [CARDNEWS],
    "authors/kim-haneul/": [CARDNEWS, SECOND_MEETING, FEATURE, INTERVIEW],
    "authors/park-seoyeon/": [INFOGRAPHIC, VIDEO, SECOND_MEETING, FIRST_MEETING],
    "authors/lee-outside/": [COLUMN],
}
PER_PAGE = 3  # extra.site_builder.per_page of the fixture's mkdocs.yml


def test_the_site_has_a_listing_page_for_exactly_the_terms_in_use(built_fixture: Path) -> None:
    site = built_fixture / "site"
    built = {f"{kind}/" for kind in KINDS if (site / kind / "index.html").is_file()}
    for facet in ["series", "agenda", "districts", "tags", "authors"]:
        built |= {f"{facet}/{d.name}/" for d in (site / facet).iterdir() if (d / "index.html").is_file()}
    # no page for an agenda nobody wrote about (복지), a series without articles or the draft's author alone
    assert built == set(LISTINGS)


@pytest.mark.parametrize("url", sorted(LISTINGS))
def test_every_listing_shows_exactly_its_articles_newest_first_three_to_a_page(built_fixture: Path,
                                                                               url: str) -> None:
    expected = LISTINGS[url]
    chunks = [expected[i:i + PER_PAGE] for i in range(0, len(expected), PER_PAGE)]
    pages = pages_of(built_fixture, url)
    assert [page.articles for page in pages] == chunks
    assert [page.url for page in pages] == [url] + [f"{url}page/{n}/" for n in range(2, len(chunks) + 1)]
    assert not (built_fixture / "site" / url / "page" / str(len(chunks) + 1)).exists()
    for number, page in enumerate(pages, start=1):
        assert page.count == f"글 {len(expected)}개", page.url
        if len(pages) == 1:
            assert (page.current, page.numbered, page.prev, page.next) == (None, {}, None, None), page.url
            continue
        assert page.current == str(number), page.url
        assert page.numbered == {str(n): other.url for n, other in enumerate(pages, start=1) if n != number}
        assert page.prev == (pages[number - 2].url if number > 1 else None), page.url
        assert page.next == (pages[number].url if number < len(pages) else None), page.url


def test_a_tag_with_four_articles_takes_two_pages_that_link_each_other(built_fixture: Path) -> None:
    url = f"tags/{slugify_term('청년자치정부')}/"
    first, second = pages_of(built_fixture, url)
    assert first.heading == "청년자치정부" and second.heading == "청년자치정부 <small>(2쪽)</small>"
    assert first.articles == [COLUMN, FEATURE, FIRST_MEETING]
    assert second.articles == [INTERVIEW]
    assert (first.prev, first.next, first.numbered) == (None, f"{url}page/2/", {"2": f"{url}page/2/"})
    assert (second.prev, second.next, second.numbered) == (url, None, {"1": url})
    assert (f'<link rel="canonical" href="https://yours.example.org/{url}page/2/">'
            in read(built_fixture, f"{url}page/2/"))


def test_the_home_page_lists_the_latest_articles_newest_first(built_fixture: Path) -> None:
    html = read(built_fixture, "")
    latest = html[html.index('<h2 id="sb-latest">최근 글</h2>'):html.index('<h2 id="sb-series">')]
    assert [resolve("", link) for link in re.findall(r'class="sb-card__title"><a href="([^"]+)"', latest)] \
        == NEWEST_FIRST


def test_no_internal_link_or_anchor_is_broken(built_fixture: Path) -> None:
    assert check_site(built_fixture / "site", "https://yours.example.org/") == []


def test_link_checker_catches_a_broken_link(built_fixture: Path, tmp_path: Path) -> None:
    import shutil

    site = shutil.copytree(built_fixture / "site", tmp_path / "site")
    page = site / "about" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "</article>", '<a href="../nowhere/">x</a><a href="../privacy/#missing">y</a></article>', 1), encoding="utf-8")
    broken = {(b.page, b.url, b.reason) for b in check_site(site, "https://yours.example.org/")}
    assert ("about/index.html", "../nowhere/", "no such file") in broken
    assert ("about/index.html", "../privacy/#missing", "no element with id 'missing'") in broken


def test_drafts_and_future_posts_are_left_out_of_build(built_fixture: Path) -> None:
    site = built_fixture / "site"
    assert not (site / "feature" / "draft-note").exists()
    assert not (site / "feature" / "future").exists()
    assert "초안 기사" not in read(built_fixture, "archive/")
    assert "미래의 글" not in read(built_fixture, "archive/")


def test_alias_redirects_to_the_new_address(built_fixture: Path) -> None:
    html = read(built_fixture, "feature/five-projects/")
    assert '<meta http-equiv="refresh" content="0; url=../core-projects/">' in html
    assert '<link rel="canonical" href="https://yours.example.org/feature/core-projects/">' in html
    assert "five-projects" not in read(built_fixture, "sitemap.xml")
    assert "https://yours.example.org/feature/core-projects/" in read(built_fixture, "sitemap.xml")


def test_article_page_shows_korean_date_byline_reading_time_terms_and_licence(built_fixture: Path) -> None:
    html = read(built_fixture, "interview/prep-team/")
    assert '<html lang="ko"' in html
    assert '<time datetime="2018-09-05T00:00:00+09:00">2018년 9월 5일</time>' in html
    assert '<a href="../../authors/kim-haneul/">김하늘</a> <span class="sb-byline__aff">(유어스 편집팀)</span>' in html
    assert "읽는 데 1분" in html
    assert 'href="../../agenda/administration/">행정</a>' in html
    assert 'href="../../districts/jung/">중구</a>' in html
    assert f'href="../../tags/{slugify_term("준비단")}/">#준비단</a>' in html
    assert 'href="../../series/prep-diary/">준비 일지</a>' in html
    assert 'rel="license" href="https://www.kogl.or.kr/info/license.do#01-tab">공공누리 1유형: 출처표시</a>' in html
    assert 'alt="준비단 회의 탁자 위에 놓인 의제 카드들"' in html
    assert '<p class="sb-q">Q. 무엇을 하나요?</p>' in html
    assert '<h2 id="청년-정책">청년 정책</h2>' in html  # heading anchors keep Hangul
    assert "<title>준비단원 인터뷰 | 유어스</title>" in html


def test_article_head_has_canonical_open_graph_and_json_ld(built_fixture: Path) -> None:
    html = read(built_fixture, "interview/prep-team/")
    assert '<link rel="canonical" href="https://yours.example.org/interview/prep-team/">' in html
    image = re.search(r'<meta property="og:image" content="https://yours.example.org/(assets/og/[0-9a-f]+\.(?:png|jpg))">', html)
    assert image and (built_fixture / "site" / image.group(1)).is_file()  # drawn from the cover (share_images.py)
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "Article"
    assert data["headline"] == "준비단원 인터뷰"
    assert data["datePublished"] == "2018-09-05T00:00:00+09:00"
    assert data["author"][0]["name"] == "김하늘"


def test_card_news_has_slide_list_and_text_version_in_order(built_fixture: Path) -> None:
    html = read(built_fixture, "cardnews/budget/")
    slides = re.findall(r'<li class="sb-cards__slide"[^>]*>\s*<img src="[^"]+" alt="([^"]+)"', html)
    assert slides == ["청년자율예산이라는 제목과 동전 그림", "청년이 숙의하는 원탁 그림", "서울시청에 제안서를 전달하는 그림"]
    text = html[html.index('id="sb-cards-text-title">텍스트로 보기</h2>'):]
    assert text.index("청년자율예산이란?") < text.index("청년이 숙의해") < text.index("서울시에 제안합니다.")
    assert "data-sb-prev" in html and "autoplay" not in html


def test_video_has_captions_and_transcript(built_fixture: Path) -> None:
    html = read(built_fixture, "video/intro/")
    assert '<track kind="captions" src="../../videos/clip.vtt" srclang="ko" label="한국어 자막" default>' in html
    assert '<h2 id="sb-transcript-title">대본</h2>' in html
    assert "2019년 3월 출범을 목표로" in html
    assert "autoplay" not in html


def test_meeting_shows_when_where_who_and_outcomes(built_fixture: Path) -> None:
    html = read(built_fixture, "meeting/first-meeting/")
    assert '<dt>언제</dt><dd><time datetime="2018-09-21T19:00:00+09:00">2018년 9월 21일(금) 19:00</time></dd>' in html
    assert "<dt>어디서</dt><dd>스페이스노아 2층</dd>" in html
    assert "<dd>청년지갑트레이닝센터 등 7명</dd>" in html
    assert "<li>다음 간담회 일정 확정</li>" in html


def test_outside_column_carries_disclaimer_and_its_licence(built_fixture: Path) -> None:
    html = read(built_fixture, "column/generation-balance/")
    assert "외부 필자의 기고로, 유어스의 공식 입장과 다를 수 있습니다" in html
    assert "CC BY-ND 4.0: 저작자표시, 변경금지" in html
    assert "<caption>노년 부양비 전망</caption>" in html and '<th scope="col">연도</th>' in html
    assert "외부 필자의 기고" not in read(built_fixture, "feature/core-projects/")


def test_every_page_has_lang_skip_link_and_policy_footer(built_fixture: Path) -> None:
    pages = [p for p in (built_fixture / "site").rglob("*.html") if "five-projects" not in str(p)]
    assert len(pages) > 30
    titles = {}
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert '<html lang="ko"' in html, page
        assert '<a href="#sb-main" class="md-skip">본문 바로가기</a>' in html, page
        assert '<main id="sb-main"' in html, page
        assert 'class="sb-footer__privacy">개인정보 처리방침</a>' in html, page
        assert ">저작권정책</a>" in html and ">이메일무단수집거부</a>" in html, page
        assert "fonts.googleapis.com" not in html, page
        title = re.search(r"<title>(.*?)</title>", html).group(1)
        assert title not in titles, f"{page} and {titles.get(title)} share the title {title}"
        titles[title] = page


def test_timeline_lists_events_and_meetings_in_date_order(built_fixture: Path) -> None:
    html = read(built_fixture, "timeline/")
    order = ["청년자치정부 추진계획 수립", "준비단 위촉", "첫 소규모 간담회", "두 번째 간담회", "출범식"]
    positions = [html.index(title) for title in order]
    assert positions == sorted(positions)
    assert 'href="../interview/prep-team/">준비단 위촉</a>' in html


def test_archive_groups_by_year_and_month(built_fixture: Path) -> None:
    html = read(built_fixture, "archive/2018/10/")
    assert "2018년 10월의 글" in html
    listed = re.findall(r'<ul class="sb-archive__list">(.*?)</ul>', html, re.S)
    assert [resolve("archive/2018/10/", href) for block in listed for href in re.findall(r'<a href="([^"]+)"', block)] \
        == [INFOGRAPHIC, VIDEO, COLUMN, CARDNEWS, SECOND_MEETING]
    assert "첫 소규모 간담회" not in html


def test_subscribe_form_states_purpose_items_retention_and_refusal(built_fixture: Path) -> None:
    html = read(built_fixture, "subscribe/")
    for text in ["수집 목적", "수집 항목", "보유 기간", "동의 거부 권리"]:
        assert text in html
    assert re.search(r'<input id="sb-consent" name="consent" type="checkbox" value="yes" required>', html)
    assert 'autocomplete="email"' in html


def test_search_index_lets_a_word_inside_a_korean_compound_be_found(built_fixture: Path) -> None:
    # '양비' (inside 부양비는) and '세대균형' are keys of the column that shows them; the results list
    # of the search page gets only articles
    from site_builder.search.analysis import shard_hash

    manifest = json.loads(read(built_fixture, "search/manifest.json"))
    urls = [row[1] for chunk in range(0, manifest["docs"], manifest["doc_chunk"])
            for row in json.loads(read(built_fixture, f"search/d/{chunk // manifest['doc_chunk']}.json"))]
    doc = urls.index("column/generation-balance/")
    for key in ("부양비", "양비", "세대균형", "대균형"):
        shard = json.loads(read(built_fixture, f"search/k/{shard_hash(key) & (manifest['shards'] - 1)}.json"))
        numbers, total = [], 0
        for value in shard[key]:
            total += value >> 1
            numbers.append(total)
        assert doc in numbers, key
    assert not any(u.startswith(("privacy/", "feeds/", "tags/")) for u in urls)
