"""The fixture site built with the real MkDocs: every page type, listings, links, Korean details."""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path


from site_builder.catalog import load_catalog
from site_builder.build.linkcheck import check_site
from site_builder.textutil import slugify_term



def read(project: Path, path: str) -> str:
    target = project / "site" / path
    if path.endswith("/") or not path:
        target = target / "index.html"
    return target.read_text(encoding="utf-8")


def links_in_main(html: str) -> list[str]:
    main = html[html.index('id="sb-main"'):html.index('<footer class="md-footer sb-footer"')]
    return re.findall(r'<h[23] class="sb-card__title"><a href="([^"]+)"', main)


def test_every_page_type_is_built(built_fixture: Path) -> None:
    for path in ["", "interview/prep-team/", "column/generation-balance/", "meeting/first-meeting/",
                 "feature/core-projects/", "cardnews/budget/", "video/intro/", "infographic/budget/",
                 "interview/", "meeting/", "tags/", "agenda/", "districts/", "series/", "authors/",
                 "authors/lee-outside/", "series/open-table/", "agenda/administration/", "districts/jongno/",
                 f"tags/{slugify_term('청년자치정부')}/", "archive/", "archive/2018/", "archive/2018/10/",
                 "timeline/", "subscribe/", "about/", "privacy/", "copyright/", "no-email-collection/",
                 "404.html", "sitemap.xml"]:
        assert (built_fixture / "site" / (path or "index.html")).exists() or \
            (built_fixture / "site" / path / "index.html").exists(), path


def test_listing_pages_hold_exactly_their_members_newest_first(built_fixture: Path) -> None:
    assert links_in_main(read(built_fixture, "series/open-table/")) == [
        "../../meeting/second-meeting/", "../../meeting/first-meeting/"]
    assert links_in_main(read(built_fixture, "authors/lee-outside/")) == ["../../column/generation-balance/"]
    assert links_in_main(read(built_fixture, "districts/jongno/")) == [
        "../../meeting/second-meeting/", "../../meeting/first-meeting/"]


def test_every_listing_matches_the_catalog_across_pages(built_fixture: Path, fixed_now) -> None:
    catalog = load_catalog(built_fixture, now=fixed_now)
    for listing in catalog.listings():
        found, page, url = [], 1, listing.url
        while True:
            html = read(built_fixture, url)
            found += [posixpath.normpath(posixpath.join(url, link)) + "/" for link in links_in_main(html)]
            page += 1
            url = f"{listing.url}page/{page}/"
            if not (built_fixture / "site" / url / "index.html").exists():
                break
        assert found == [a.url for a in listing.articles], listing.url


def test_listings_paginate(built_fixture: Path, fixed_now) -> None:
    first = read(built_fixture, "tags/" + slugify_term("청년자치정부") + "/")
    catalog = load_catalog(built_fixture, now=fixed_now)
    members = catalog.listing("tag", slugify_term("청년자치정부")).articles
    assert len(members) == 3 or "page/2/" in first
    feature_listing = catalog.listing("kind", "meeting")
    assert len(feature_listing.articles) == 2
    # the whole archive has more articles than one page holds (per_page: 3)
    home_kinds = read(built_fixture, "")
    assert "최근 글" in home_kinds


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
    image = re.search(r'<meta property="og:image" content="https://yours.example.org/(assets/og/[0-9a-f]+\.jpg)">', html)
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
    for title in ["왜 세대균형인가", "두 번째 간담회", "카드뉴스 청년자율예산", "하반기 예산 한눈에"]:
        assert title in html
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
