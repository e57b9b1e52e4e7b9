"""What a reader's feed client sees in each entry: ids, dates, full content, images, licence."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone

import feedparser
from lxml import etree

from .validators import is_absolute

SITE = "https://yours.example.org/"
KST = timezone(timedelta(hours=9))


def atom(feeds, path="atom.xml"):
    return feedparser.parse(feeds[path])


def entry(parsed, article_id):
    return next(e for e in parsed.entries if e.id.endswith("/" + article_id))


def raw_content(feeds, article_id, path="atom.xml"):
    """The entry's HTML exactly as written (feedparser re-serializes what it sanitizes)."""
    root = etree.fromstring(feeds[path])
    ns = {"a": "http://www.w3.org/2005/Atom"}
    return root.xpath(f"a:entry[a:id='tag:yours.example.org,2018:article/{article_id}']/a:content/text()",
                      namespaces=ns)[0]


def test_entry_ids_are_tag_uris_from_the_stable_id_in_every_format(feeds, catalog):
    expected = [f"tag:yours.example.org,2018:article/{a.id}" for a in catalog.articles]
    assert [e.id for e in atom(feeds).entries] == expected
    assert [e.id for e in feedparser.parse(feeds["feed.xml"]).entries] == expected
    assert [i["id"] for i in json.loads(feeds["feed.json"])["items"]] == expected
    assert b'<guid isPermaLink="false">tag:yours.example.org,2018:article/2018-10-05-youth-union</guid>' \
        in feeds["feed.xml"]


def test_dates_are_in_seoul_time_published_and_updated(feeds):
    column = entry(atom(feeds), "2018-10-12-generation-balance")
    assert column.published == "2018-10-12T00:00:00+09:00"
    assert column.updated == "2018-10-20T00:00:00+09:00"
    rss_item = entry(feedparser.parse(feeds["feed.xml"]), "2018-10-12-generation-balance")
    assert rss_item.published == "Fri, 12 Oct 2018 00:00:00 +0900"
    item = next(i for i in json.loads(feeds["feed.json"])["items"] if i["id"].endswith("generation-balance"))
    assert (item["date_published"], item["date_modified"]) == ("2018-10-12T00:00:00+09:00",
                                                              "2018-10-20T00:00:00+09:00")
    for e in atom(feeds).entries:
        assert e.published.endswith("+09:00") and e.updated.endswith("+09:00")
    for e in feedparser.parse(feeds["feed.xml"]).entries:
        assert e.published.endswith(" +0900")


def test_feed_updated_is_its_newest_entry_not_the_build_time(feeds):
    assert atom(feeds).feed.updated == "2018-11-05T00:00:00+09:00"
    interview = atom(feeds, "feeds/kind/interview.atom.xml")
    assert interview.feed.updated == "2018-10-05T10:00:00+09:00"
    # an update counts: the column was published on 10-12 and updated on 10-20
    assert atom(feeds, "feeds/author/yoon-garam.atom.xml").feed.updated == "2018-10-20T00:00:00+09:00"
    assert b"<lastBuildDate>Mon, 05 Nov 2018 00:00:00 +0900</lastBuildDate>" in feeds["feed.xml"]


def test_every_url_in_every_feed_is_absolute(feeds):
    for path, data in feeds.items():
        text = data.decode("utf-8")
        if path.endswith(".json"):
            document = json.loads(text)
            html = "".join(i["content_html"] for i in document["items"])
            urls = [i["url"] for i in document["items"]]
            urls += [a["url"] for i in document["items"] for a in i.get("attachments", [])]
        else:
            parsed = feedparser.parse(data)
            html = "".join(e.content[0].value for e in parsed.entries)
            urls = [link.href for e in parsed.entries for link in e.links]
            urls += [m["url"] for e in parsed.entries for m in e.get("media_content", [])]
        urls += re.findall(r'(?:href|src)="([^"]*)"', html)
        assert urls, path
        relative = [u for u in urls if not (is_absolute(u) or u.startswith("mailto:"))]
        assert relative == [], path


def test_full_content_keeps_links_images_and_footnotes_absolute(feeds):
    interview = entry(atom(feeds), "2018-10-05-youth-union")
    html = interview.content[0].value
    assert interview.content[0].type == "text/html"
    assert f'<a href="{SITE}column/generation-balance/">세대균형 칼럼</a>' in html
    assert f'src="{SITE}images/youth-union-hall.png"' in html
    assert f'href="{SITE}interview/youth-union/#fn:1"' in html
    assert "Q. 준비단에서는 무슨 일을 하나요?" in html
    assert "인터뷰: 김하늘(청년자치정부 준비단)" in html


def test_cardnews_entry_carries_every_card_image_alt_and_text_in_order(feeds):
    cards = entry(atom(feeds), "2018-10-20-what-is-youth-government")
    html = raw_content(feeds, "2018-10-20-what-is-youth-government")
    positions = [html.index(f"{SITE}images/cardnews/what-is-yg-0{n}.png") for n in (1, 2, 3)]
    assert positions == sorted(positions)
    assert 'alt="초록 바탕에 청년 500명이 의제를 모으는 그림"' in html
    assert "<p>청년 500명이 모여<br>의제를 정합니다.</p>" in html
    assert html.index("청년자치정부란?") < html.index("청년 500명이 모여") < html.index("예산 500억 원을 청년이")
    enclosures = [(link.href, link.type, link.length) for link in cards.links if link.rel == "enclosure"]
    assert enclosures == [(f"{SITE}images/cardnews/what-is-yg-0{n}.png", "image/png", "86") for n in (1, 2, 3)]
    media = cards.media_content
    assert [(m["url"], m["width"], m["height"], m["filesize"]) for m in media] == [
        (f"{SITE}images/cardnews/what-is-yg-0{n}.png", "20", "20", "86") for n in (1, 2, 3)]


def test_rss_item_has_one_enclosure_the_lead_image_and_media_for_all(feeds):
    item = entry(feedparser.parse(feeds["feed.xml"]), "2018-10-20-what-is-youth-government")
    assert [(e.href, e.type, e.length) for e in item.enclosures] == [
        (f"{SITE}images/cardnews/what-is-yg-01.png", "image/png", "86")]
    assert len(item.media_content) == 3
    json_item = next(i for i in json.loads(feeds["feeds/kind/cardnews.json"])["items"])
    assert json_item["image"] == f"{SITE}images/cardnews/what-is-yg-01.png"
    assert [a["title"] for a in json_item["attachments"]] == [
        "빨간 바탕에 '청년자치정부란?'이라는 큰 제목", "초록 바탕에 청년 500명이 의제를 모으는 그림",
        "파란 바탕에 예산 500억 원이라고 적힌 동전 더미"]
    assert {a["size_in_bytes"] for a in json_item["attachments"]} == {86}


def test_video_entry_links_its_page_and_carries_the_transcript(feeds):
    video = entry(atom(feeds), "2018-10-25-prep-team-voices")
    html = video.content[0].value
    assert f'<a href="{SITE}video/prep-team-voices/">유어스에서 영상 보기 (3분 20초)</a>' in html
    assert "https://www.youtube.com/watch?v=abcDEF12345" in html
    assert f"{SITE}videos/prep-team-voices.vtt" in html
    assert html.index("<h2>대본</h2>") < html.index("김하늘: 안녕하세요, 마포구에 사는 김하늘입니다.")
    related = [link.href for link in video.links if link.rel == "related"]
    assert related == ["https://www.youtube.com/watch?v=abcDEF12345"]
    item = next(i for i in json.loads(feeds["feeds/kind/video.json"])["items"])
    assert item["external_url"] == "https://www.youtube.com/watch?v=abcDEF12345"
    assert item["url"] == f"{SITE}video/prep-team-voices/"
    assert [a["name"] for a in item["authors"]] == ["문태현", "한다영"]


def test_infographic_entry_has_the_image_with_alt_and_the_long_description(feeds):
    html = raw_content(feeds, "2018-11-01-budget-at-a-glance")
    assert (f'<img src="{SITE}images/budget-infographic.png" alt="청년자치예산 500억 원의 분야별 배분을 막대로 나타낸 그림"'
            ' width="12" height="40">') in html
    assert html.index("budget-infographic.png") < html.index("복지 200억 원, 경제 150억 원")
    assert "<td>200억 원</td>" in html


def test_entries_carry_licence_as_rights_and_license_link(feeds):
    column = entry(atom(feeds), "2018-10-12-generation-balance")
    assert [link.href for link in column.links if link.rel == "license"] == [
        "https://creativecommons.org/licenses/by/4.0/deed.ko"]
    assert "CC BY 4.0" in column.rights
    interview = entry(atom(feeds), "2018-10-05-youth-union")
    assert "공공누리 제1유형" in interview.rights
    assert atom(feeds).feed.rights.startswith("© 서울특별시 서울혁신기획관 청년정책담당관")
    item = next(i for i in json.loads(feeds["feed.json"])["items"] if i["id"].endswith("generation-balance"))
    assert item["_yours"]["license"]["id"] == "cc-by-4.0"
    assert b"<dc:rights>" in feeds["feed.xml"]


def test_external_column_says_it_is_the_authors_opinion(feeds):
    column = entry(atom(feeds), "2018-10-12-generation-balance")
    assert "외부 필자의 글로, 유어스의 공식 입장과 다를 수 있습니다." in column.content[0].value


def test_authors_are_named_with_their_pages(feeds):
    video = entry(atom(feeds), "2018-10-25-prep-team-voices")
    assert [(a.name, a.href) for a in video.authors] == [
        ("문태현", f"{SITE}authors/moon-taehyeon/"), ("한다영", f"{SITE}authors/han-dayeong/")]
    rss_item = entry(feedparser.parse(feeds["feed.xml"]), "2018-10-25-prep-team-voices")
    assert [a.name for a in rss_item.authors] == ["문태현", "한다영"]  # dc:creator


def test_categories_are_kind_series_agenda_districts_and_tags_in_korean(feeds):
    interview = entry(atom(feeds), "2018-10-05-youth-union")
    assert [(t.term, t.scheme, t.label) for t in interview.tags] == [
        ("인터뷰", SITE, "종류: 인터뷰"),
        ("준비 일지", f"{SITE}series/", "코너: 준비 일지"),
        ("행정", f"{SITE}agenda/", "의제: 행정"),
        ("마포구", f"{SITE}districts/", "자치구: 마포구"),
        ("청년자치정부", f"{SITE}tags/", "태그: 청년자치정부"),
        ("준비단", f"{SITE}tags/", "태그: 준비단"),
    ]
    rss_item = entry(feedparser.parse(feeds["feed.xml"]), "2018-10-05-youth-union")
    assert [t.term for t in rss_item.tags] == ["인터뷰", "준비 일지", "행정", "마포구", "청년자치정부", "준비단"]


def test_summary_is_plain_text_with_markup_characters_escaped(feeds):
    interview = entry(atom(feeds), "2018-10-05-youth-union")
    assert interview.summary.endswith("<청년> & '자치'")
    assert b"&lt;\xec\xb2\xad\xeb\x85\x84&gt; &amp; '\xec\x9e\x90\xec\xb9\x98'" in feeds["atom.xml"]


def test_listing_feed_holds_only_its_listings_articles_newest_first(feeds, catalog):
    parsed = atom(feeds, "feeds/agenda/administration.atom.xml")
    expected = [a.id for a in catalog.listing("agenda", "administration").articles]
    assert [e.id.rsplit("/", 1)[1] for e in parsed.entries] == expected
    dates = [datetime.fromisoformat(e.published) for e in parsed.entries]
    assert dates == sorted(dates, reverse=True)


def test_outside_contributors_work_names_them_as_rights_holder_in_every_format(feeds):
    expected = "© 윤가람. 「세대균형은 왜 지금 필요한가」는 CC BY 4.0(저작자표시) 조건으로 이용할 수 있습니다."
    column = entry(atom(feeds), "2018-10-12-generation-balance")
    assert column.rights == expected
    assert "서울특별시" not in column.rights
    rss = feedparser.parse(feeds["feed.xml"])
    assert next(e for e in rss.entries if e.id.endswith("generation-balance")).rights == expected
    item = next(i for i in json.loads(feeds["feed.json"])["items"] if i["id"].endswith("generation-balance"))
    assert item["_yours"]["license"]["rights_holder"] == "윤가람"
    assert item["_yours"]["license"]["attribution"] == expected
    html = raw_content(feeds, "2018-10-12-generation-balance")
    assert (f"<small>{expected} <a href=\"https://creativecommons.org/licenses/by/4.0/deed.ko\" "
            'rel="license">CC BY 4.0</a></small>') in html
    interview = entry(atom(feeds), "2018-10-05-youth-union")
    assert interview.rights.startswith("본 저작물은 '서울특별시 서울혁신기획관 청년정책담당관'에서 작성하여 "
                                       "공공누리 제1유형으로 개방한 「")
    assert "(를)" not in interview.rights
