"""Rendering: snapshots of the email, placeholders, the web version, the feed and the issue model."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import feedparser
import lxml.html
import pytest

from site_builder.newsletter import (
    TokenError,
    leftover_tokens,
    personalize,
    preview_values,
    render_issue,
    render_newsletter_feed,
    tokens_of,
    web_html,
)
from site_builder.newsletter.lint import html_link_set, text_link_set

from .conftest import SNAPSHOTS

UPDATE = os.environ.get("UPDATE_SNAPSHOTS") == "1"
REPO = Path(__file__).resolve().parents[2]


def check_snapshot(name: str, actual: str) -> None:
    """Compare with tests/newsletter/snapshots/<name>; UPDATE_SNAPSHOTS=1 rewrites it."""
    path = SNAPSHOTS / name
    if UPDATE or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"wrote new snapshot {path.name}; check it in and run again")
    assert actual == path.read_text(encoding="utf-8"), f"{name} changed; if intended, rerun with UPDATE_SNAPSHOTS=1"


@pytest.mark.parametrize("number,stem", [(1, "001-first-letter"), (2, "002-partner-event")])
def test_email_matches_snapshot(issues, catalog, number, stem):
    rendered = render_issue(issues[number], catalog)
    check_snapshot(f"{stem}.html", rendered.html)
    check_snapshot(f"{stem}.txt", rendered.text)


def test_web_version_matches_snapshot(issues, catalog):
    check_snapshot("001-first-letter-web.html", web_html(issues[1], catalog))


FRESH_RENDER = """
import json, sys
from site_builder.catalog import load_catalog
from site_builder.config import load_config
from site_builder.newsletter import load_issues, render_issue, web_html
from tests.newsletter.conftest import NOW, SITE

config = load_config(SITE)
catalog = load_catalog(config, now=NOW)
issues, _ = load_issues(config, catalog)
json.dump({str(i.number): [render_issue(i, catalog).html, render_issue(i, catalog).text, web_html(i, catalog)]
           for i in issues}, sys.stdout)
"""


def test_rendering_is_the_same_in_a_fresh_process(issues, catalog):
    # Another process has another string-hash seed (set and dict order of str keys differ), other object
    # addresses and a cold cache: anything of the process that leaks into the bytes shows up here.
    here = {str(n): [render_issue(i, catalog).html, render_issue(i, catalog).text, web_html(i, catalog)]
            for n, i in issues.items()}
    for seed in ("1", "2"):
        fresh = subprocess.run([sys.executable, "-c", FRESH_RENDER], cwd=REPO, capture_output=True, text=True,
                               env=os.environ | {"PYTHONHASHSEED": seed}, check=True)
        assert json.loads(fresh.stdout) == here, f"PYTHONHASHSEED={seed}"


def test_email_has_every_placeholder_once_rendered(issues, catalog):
    rendered = render_issue(issues[1], catalog)
    assert leftover_tokens(rendered) == sorted(tokens_of(issues[1]))
    assert tokens_of(issues[1])[-4:] == ["ANSWER_URL_1", "ANSWER_URL_2", "ANSWER_URL_3", "ANSWER_URL_4"]


def test_personalize_escapes_html_but_not_text(issues, catalog):
    rendered = render_issue(issues[1], catalog)
    values = preview_values(issues[1], catalog) | {"NAME": "<김&이>", "UNSUBSCRIBE_URL": "https://s.example.org/u/a?b=1&c=2"}
    personal = personalize(rendered, values)
    assert "&lt;김&amp;이&gt;님, 안녕하세요." in personal.html
    assert 'href="https://s.example.org/u/a?b=1&amp;c=2"' in personal.html
    assert "<김&이>님, 안녕하세요." in personal.text
    assert "수신거부: https://s.example.org/u/a?b=1&c=2" in personal.text
    assert leftover_tokens(personal) == []


def test_personalize_refuses_to_leave_placeholders(issues, catalog):
    rendered = render_issue(issues[1], catalog)
    values = preview_values(issues[1], catalog)
    del values["ANSWER_URL_3"]
    with pytest.raises(TokenError) as raised:
        personalize(rendered, values)
    assert raised.value.tokens == ["ANSWER_URL_3"]
    assert leftover_tokens(personalize(rendered, values, strict=False)) == ["ANSWER_URL_3"]


def test_personalize_accepts_keys_with_percent_signs(issues, catalog):
    rendered = render_issue(issues[2], catalog)
    values = {f"%%{k}%%": v for k, v in preview_values(issues[2], catalog).items()}
    assert "미리보기님" in personalize(rendered, values).text


def test_html_and_text_carry_the_same_links(issues, catalog):
    for issue in issues.values():
        rendered = personalize(render_issue(issue, catalog), preview_values(issue, catalog))
        assert html_link_set(rendered.html) == text_link_set(rendered.text)


def test_site_links_carry_utm_tags_and_others_do_not(issues, catalog):
    html = render_issue(issues[2], catalog).html
    assert 'href="https://yours.example.org/column/youth-budget/?utm_source=newsletter&amp;utm_medium=email&amp;utm_campaign=yours-letter-2"' in html
    assert 'href="https://partner.example.com/career-talk"' in html


def test_every_image_of_the_email_is_absolute_described_and_sized(issues, catalog, config):
    sources = {}
    for number, issue in issues.items():
        images = list(lxml.html.document_fromstring(render_issue(issue, catalog).html).iter("img"))
        sources[number] = [img.get("src").rsplit("/", 1)[-1] for img in images]
        for img in images:
            where = f"issue {number}: {img.get('src')}"
            # a mail client has no base URL; tracking parameters belong on links, never on images
            assert img.get("src").startswith(config.site_url + "images/") and "?" not in img.get("src"), where
            assert (img.get("alt") or "").strip(), where
            # Outlook sizes by the attribute, other clients by the style: both say the column's 544 px
            assert img.get("width") == "544" and "max-width: 544px" in img.get("style"), where
    assert sources == {1: ["meeting-cover.png", "interview-cover.png", "video-poster.png", "card-1.png",
                           "card-2.png", "card-3.png"], 2: []}


def test_every_image_of_the_web_version_is_absolute_described_and_sized(issues, catalog, config):
    images = list(lxml.html.document_fromstring(web_html(issues[1], catalog)).iter("img"))
    assert len(images) == 6
    for img in images:
        assert img.get("src").startswith(config.site_url + "images/"), img.get("src")
        assert (img.get("alt") or "").strip(), img.get("src")
        assert img.get("width", "").isdigit() and img.get("height", "").isdigit(), img.get("src")


def test_email_is_one_fluid_600px_column_with_inlined_css(issues, catalog):
    html = render_issue(issues[1], catalog).html
    assert '<html lang="ko"' in html
    assert re.search(r'class="container"[^>]*width="600"[^>]*style="[^"]*width: 100%;max-width: 600px', html)
    styles = re.findall(r"<style[^>]*>(.*?)</style>", html, re.S)
    assert len(styles) == 1 and styles[0].lstrip().startswith("@media")
    assert "'Apple SD Gothic Neo', 'Malgun Gothic', '맑은 고딕', 'Noto Sans KR', 'Nanum Gothic', sans-serif" in html
    assert 'role="presentation"' in html
    assert '<div class="preheader" style="' in html and "display: none" in html


def test_cardnews_is_stacked_slides_with_their_text(issues, catalog):
    rendered = render_issue(issues[1], catalog)
    slides = [img for img in lxml.html.document_fromstring(rendered.html).iter("img") if "slide-img" in img.get("class", "")]
    assert [img.get("src").rsplit("/", 1)[-1] for img in slides] == ["card-1.png", "card-2.png", "card-3.png"]
    assert slides[0].get("alt") == "파란 카드에 '청년자율예산'이라고 적혀 있다"
    assert "1/3 · 청년이 숙의를 거쳐 예산의 우선순위를 정해 서울시에 제안합니다." in rendered.html
    assert "  3/3 성평등, 플랫폼노동, 환경 같은 미래 의제를 청년이 직접 풉니다." in rendered.text


def test_video_is_a_linked_still(issues, catalog):
    html = render_issue(issues[1], catalog).html
    poster = next(img for img in lxml.html.document_fromstring(html).iter("img")
                  if img.get("src", "").endswith("video-poster.png"))
    assert poster.getparent().tag == "a"
    assert poster.getparent().get("href").startswith("https://yours.example.org/video/conference-clip/?utm_source=")
    assert poster.get("alt") == "컨퍼런스 무대에서 발표자가 청중을 향해 말하는 장면 (영상 보기, 3분 20초)"
    assert "▶ 영상 보기 (3분 20초, 자막·대본 있음)" in html


def test_footer_names_office_consent_and_unsubscribe(issues, catalog, config):
    for issue in issues.values():
        rendered = render_issue(issue, catalog)
        for part in (rendered.html, rendered.text):
            for value in (config.office.name, config.office.address, config.office.phone, config.office.email,
                          "%%CONSENT_DATE%%", "%%UNSUBSCRIBE_URL%%", "%%WEB_URL%%", "%%PREFERENCES_URL%%"):
                assert value in part
            assert ("정보통신망법 제50조" in part) == issue.is_advertising


def test_web_version_has_no_recipient_parts_and_answers_go_to_the_form(issues, catalog):
    html = web_html(issues[1], catalog)
    assert "%%" not in html and "utm_" not in html
    assert ('href="https://yours.example.org/subscribe/feedback/?issue=1&amp;question=priority-agenda&amp;answer=2">주거</a>'
            in html)
    assert 'href="https://yours.example.org/subscribe/"' in html  # the subscribe call-to-action


def test_issue_model(issues):
    first, advert = issues[1], issues[2]
    assert first.url == "newsletter/first-letter/" and first.source == "newsletters/2018-10-31-first-letter.md"
    assert first.subject == "청년자치정부, 10월의 준비 기록" and not first.is_advertising
    assert advert.subject == "(광고) 파트너 기업과 함께하는 청년 커리어 토크" and advert.title == "파트너 기업과 함께하는 청년 커리어 토크"
    assert first.feedback.id == "priority-agenda" and first.feedback.answers == ("일자리·노동", "주거", "성평등", "환경")
    assert [e.article.id for s in first.sections for e in s.entries] == [
        "2018-10-05-third-small-meeting", "2018-10-24-workplace-harassment-counsel",
        "2018-10-28-conference-clip", "2018-10-20-three-things"]
    assert first.sections[0].entries[1].note == "간담회에서 나온 이야기를 노무사에게 이어서 물었습니다."
    assert first.topics == ("kind:meeting", "series:open-table", "agenda:economy", "kind:interview", "kind:video",
                            "agenda:administration", "kind:cardnews", "series:policy-explained")


def test_latest_picks_only_articles_since_the_previous_issue(issues):
    # Issue 2 asks for the latest 행정 articles: three exist, but only one is newer than issue 1.
    assert [e.article.id for e in issues[2].sections[0].entries] == ["2018-11-02-youth-budget"]


def test_feed_lists_published_issues_newest_first_with_ids_from_numbers(issues, catalog):
    data = render_newsletter_feed(catalog, list(issues.values()))
    assert data == render_newsletter_feed(catalog, list(issues.values()))
    feed = feedparser.parse(data)
    assert not feed.bozo
    assert [e.id for e in feed.entries] == ["tag:yours.example.org,2018:newsletter:2", "tag:yours.example.org,2018:newsletter:1"]
    assert feed.entries[1].link == "https://yours.example.org/newsletter/first-letter/"
    assert feed.entries[1].title == "제1호 청년자치정부, 10월의 준비 기록"
    assert "%%" not in data.decode("utf-8")


def test_feed_leaves_out_drafts(issues, catalog):
    from dataclasses import replace

    draft = replace(issues[2], draft=True)
    feed = feedparser.parse(render_newsletter_feed(catalog, [issues[1], draft]))
    assert [e.id for e in feed.entries] == ["tag:yours.example.org,2018:newsletter:1"]
