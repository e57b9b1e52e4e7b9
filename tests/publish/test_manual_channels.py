"""The manual channels (Naver Blog, Brunch, Kakao Talk Channel): render and validate, golden texts."""

from __future__ import annotations

import pytest

from site_builder.publish.channel import MediaItem, Permanent, Post, PublishContext
from site_builder.publish.channels.brunch import Brunch
from site_builder.publish.channels.kakao_channel import BODY_LIMIT, TITLE_LIMIT, KakaoChannel
from site_builder.publish.channels.manual import cut, hashtags, utf16_length, with_utm
from site_builder.publish.channels.naver_blog import NaverBlog

SITE = "https://yours.example.org/"
FAMILY = "👩‍👩‍👧"  # a ZWJ sequence: one grapheme, 8 UTF-16 units


def post(**changes) -> Post:
    fields = dict(
        id="2018-09-05-prep-team", kind="interview", kind_label="인터뷰", title="준비단원 인터뷰",
        summary="준비단원에게 청년자치정부를 물었다.", url=SITE + "interview/prep-team/",
        tags=("청년자치정부", "준비 단", "청년자치정부"),
        media=(MediaItem("", SITE + "images/interview/cover.png", "준비단 회의 탁자 위에 놓인 의제 카드들"),),
        body_html=('<p>준비단을 <strong>만났다</strong>.<br>\n<em>두 번째</em> 줄</p>\n'
                   '<h3 id="policy">청년 <code>정책</code></h3>\n'
                   f'<p><img src="{SITE}images/meeting/table.png" alt="원탁 회의"> 회의 뒤 글</p>\n'
                   '<ol><li>하나</li><li><a href="https://example.org/x">둘</a></li></ol>\n'
                   '<blockquote><p>인용한 말</p></blockquote>\n'
                   '<table><tr><th>날짜</th><td>10월 5일</td></tr></table>\n'
                   '<p><a href="#policy">제자리 링크</a> <script>alert(1)</script></p>'))
    fields.update(changes)
    return Post(**fields)


NAVER_HTML = """<p>[이미지 01]</p>
<p><strong>준비단원에게 청년자치정부를 물었다.</strong></p>
<p>준비단을 <strong>만났다</strong>. 두 번째 줄</p>
<h2>청년 정책</h2>
<p>[이미지 02]</p>
<p>회의 뒤 글</p>
<ul><li>1. 하나</li><li>2. <a href="https://example.org/x">둘</a></li></ul>
<blockquote><p>인용한 말</p></blockquote>
<p>날짜 · 10월 5일</p>
<p>제자리 링크</p>
<p>원문: <a href="https://yours.example.org/interview/prep-team/?utm_source=naver_blog&amp;utm_medium=social&amp;utm_campaign=2018-09-05-prep-team">준비단원 인터뷰</a> — 유어스</p>"""

NAVER_TEXT = """[이미지 01]

준비단원에게 청년자치정부를 물었다.

준비단을 만났다. 두 번째 줄

청년 정책

[이미지 02]

회의 뒤 글

• 1. 하나
• 2. 둘(https://example.org/x)

> 인용한 말

날짜 · 10월 5일

제자리 링크

원문: 준비단원 인터뷰(https://yours.example.org/interview/prep-team/?utm_source=naver_blog&utm_medium=social&utm_campaign=2018-09-05-prep-team) — 유어스"""


def test_naver_blog_renders_simple_html_with_numbered_image_placeholders() -> None:
    draft = NaverBlog().render(post(), "main", {"site_name": "유어스"})
    assert draft.extra["html"] == NAVER_HTML
    assert draft.text == NAVER_TEXT
    assert [m.public_url for m in draft.media] == [SITE + "images/interview/cover.png", SITE + "images/meeting/table.png"]
    assert [m.alt for m in draft.media] == ["준비단 회의 탁자 위에 놓인 의제 카드들", "원탁 회의"]
    assert draft.hashtags == ("#청년자치정부", "#준비단")
    assert NaverBlog().validate(draft) == []


def test_brunch_gets_its_own_utm_source() -> None:
    draft = Brunch().render(post(), "main", {"site_name": "유어스"})
    assert draft.link == SITE + "interview/prep-team/?utm_source=brunch&utm_medium=social&utm_campaign=2018-09-05-prep-team"
    assert draft.extra["html"] == NAVER_HTML.replace("utm_source=naver_blog", "utm_source=brunch")


def test_front_matter_override_replaces_the_body_but_keeps_the_link() -> None:
    draft = NaverBlog().render(post(overrides={"naver_blog": "직접 쓴 첫 문단.\n\n둘째 문단."}), "main", {})
    assert draft.extra["html"].startswith("<p>직접 쓴 첫 문단.</p>\n<p>둘째 문단.</p>\n<p>원문: <a href=")
    assert NaverBlog().validate(draft) == []


def test_validate_reports_every_problem_of_a_draft() -> None:
    channel = Brunch()
    draft = channel.render(post(title="가" * 41, media=(MediaItem("", SITE + "a.png", ""),)), "main", {})
    bad = type(draft)(**{**draft.__dict__, "extra": {**draft.extra, "html": draft.extra["html"] + "<h3>x</h3><a href='/x'>y</a>"}})
    assert [str(p) for p in channel.validate(bad)] == [
        "html: 붙여 넣을 HTML에 쓸 수 없는 태그가 있습니다: h3 — h2, p, strong, ul, blockquote, a만 씁니다",
        "html: 링크 주소가 절대 주소가 아닙니다: '/x' — https://로 시작하는 주소로 씁니다",
        "title: 제목이 41자로 브런치의 40자를 넘습니다 — 키트에서 제목을 줄여 붙여 넣습니다",
        "media[1]: [이미지 01]에 대체 텍스트가 없습니다 — 본문의 이미지에 alt(또는 cover_alt, slides의 alt)를 씁니다",
    ]
    at_limit = channel.render(post(title="가" * 40), "main", {})
    assert channel.validate(at_limit) == []


def test_manual_channels_never_post_and_have_no_credentials() -> None:
    ctx = PublishContext(http=None, credentials={}, options={})  # type: ignore[arg-type]
    for channel in (NaverBlog(), Brunch(), KakaoChannel()):
        assert channel.kind == "manual"
        assert "수동 채널" in channel.check_credentials(ctx)
        draft = channel.render(post(), "main", {})
        assert channel.reconcile(draft, ctx) is None
        with pytest.raises(Permanent, match=f"publish done 2018-09-05-prep-team {channel.name}"):
            channel.publish(draft, ctx)


def test_kakao_channel_renders_title_body_button_and_utm_link() -> None:
    draft = KakaoChannel().render(post(), "main", {})
    assert draft.extra["title"] == "준비단원 인터뷰"
    assert draft.extra["body"] == "준비단원에게 청년자치정부를 물었다.\n\n#청년자치정부 #준비단"
    assert draft.extra["button_label"] == "기사 읽기"
    assert draft.extra["button_url"] == SITE + "interview/prep-team/?utm_source=kakao_channel&utm_medium=social&utm_campaign=2018-09-05-prep-team"
    assert KakaoChannel().render(post(kind="cardnews"), "main", {}).extra["button_label"] == "카드뉴스 보기"
    assert KakaoChannel().validate(draft) == []


def test_kakao_title_at_the_limit_is_kept_and_one_past_is_cut_on_a_whole_grapheme() -> None:
    exact = "가" * (TITLE_LIMIT - 8) + FAMILY
    assert utf16_length(exact) == TITLE_LIMIT
    assert KakaoChannel().render(post(title=exact), "main", {}).extra["title"] == exact
    past = "가" * (TITLE_LIMIT - 7) + FAMILY
    title = KakaoChannel().render(post(title=past), "main", {}).extra["title"]
    assert title == "가" * (TITLE_LIMIT - 7) + "…"   # the family is dropped whole, never split at its joiners
    assert utf16_length(title) <= TITLE_LIMIT


def test_kakao_body_at_the_limit_and_one_past() -> None:
    tail = "\n\n#청년자치정부 #준비단"
    exact = "나" * (BODY_LIMIT - utf16_length(tail))
    assert KakaoChannel().render(post(summary=exact), "main", {}).extra["body"] == exact + tail
    body = KakaoChannel().render(post(summary=exact + "다"), "main", {}).extra["body"]
    assert utf16_length(body) == BODY_LIMIT and body.endswith("…" + tail)


def test_kakao_validate_counts_each_field_and_refuses_an_address_in_the_body() -> None:
    channel = KakaoChannel()
    draft = channel.render(post(overrides={"kakao_channel": "자세히는 https://yours.example.org/ 에서"}), "main",
                           {"button_label": "청년자치정부 기사 전문 읽으러 가기"})
    assert [str(p) for p in channel.validate(draft)] == [
        "button_label: 버튼 이름이(가) 19자로 14자를 넘습니다 — 14자 안으로 줄입니다",
        "body: 본문에 주소가 있습니다 (소식 본문의 주소는 눌리지 않습니다) — 주소는 버튼 링크에만 넣습니다",
    ]


def test_cut_keeps_whole_graphemes() -> None:
    assert cut("가나다", 3) == "가나다"
    assert cut("가나다라", 3) == "가나…"
    assert cut("ab" + FAMILY + "cd", 9) == "ab…"
    assert cut("ab" + FAMILY + "cd", 11) == "ab" + FAMILY + "…"
    assert cut("e\u0301e\u0301e\u0301", 4) == "e\u0301…"   # a combining accent stays with its letter


def test_utm_replaces_existing_utm_parameters_and_keeps_others() -> None:
    assert with_utm("https://a.example/x/?q=1&utm_source=old", "brunch", "c1") == \
        "https://a.example/x/?q=1&utm_source=brunch&utm_medium=social&utm_campaign=c1"


def test_hashtags_drop_spaces_and_repeats_and_stop_at_the_limit() -> None:
    assert hashtags(["청년 정책", "청년정책", "N개의 컨퍼런스", "!!"]) == ("#청년정책", "#N개의컨퍼런스")
    assert len(hashtags([f"태그{i}" for i in range(40)])) == 30
