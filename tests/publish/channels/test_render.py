"""Golden tests of render and validate per channel: texts exactly at and one past each network's limit."""

from __future__ import annotations

import pytest

from site_builder.publish.channel import MediaItem, Post
from site_builder.publish.channels import API_CHANNELS
from site_builder.publish.channels.bluesky import BlueskyChannel
from site_builder.publish.channels.graph import FacebookChannel, InstagramChannel
from site_builder.publish.channels.mastodon import MastodonChannel
from site_builder.publish.channels.telegram import TelegramChannel
from site_builder.publish.channels.threads import ThreadsChannel
from site_builder.publish.channels.x import XChannel

FAMILY = "👩\u200d👩\u200d👧"
URL = "https://yours.kr/interview/2018-10-05-youth-union/"
NO_UTM = {"utm": False, "hashtags": False}


def make_post(text: str = "", channel: str = "", **fields) -> Post:
    values = dict(id="2018-10-05-youth-union", kind="interview", kind_label="인터뷰",
                  title="청년자치정부, 첫 회의를 열다", summary="서울 청년 100명이 시청에 모였습니다.", url=URL,
                  tags=("청년 자치", "서울"))
    values.update(fields)
    if channel:
        values["overrides"] = {channel: text}
    return Post(**values)


def slides(count: int, **fields) -> tuple[MediaItem, ...]:
    base = dict(mime="image/jpeg", width=1080, height=1350, size=300_000)
    base.update(fields)
    return tuple(MediaItem(path=f"/tmp/slide-{n}.jpg", public_url=f"https://yours.kr/cards/{n}.jpg",
                           alt=f"카드 {n}: 청년 자치 회의 장면", **base) for n in range(1, count + 1))


def test_default_render_is_label_title_summary_link_hashtags_with_utm():
    draft = MastodonChannel().render(make_post(), "yours", {})
    link = URL + "?utm_source=mastodon&utm_medium=social&utm_campaign=2018-10-05-youth-union"
    assert draft.text == f"[인터뷰] 청년자치정부, 첫 회의를 열다\n\n서울 청년 100명이 시청에 모였습니다.\n\n{link}\n#청년자치 #서울"
    assert (draft.link, draft.hashtags) == (link, ("#청년자치", "#서울"))
    assert MastodonChannel().validate(draft) == []


# --- Mastodon: 500, every URL 23 ------------------------------------------------------------------

def test_mastodon_text_exactly_at_500_is_sent_as_written():
    body = "가" * (500 - 2 - 23)                         # body + blank line + the URL counted as 23
    draft = MastodonChannel().render(make_post(body, "mastodon"), "yours", NO_UTM)
    assert draft.text == f"{body}\n\n{URL}"
    assert MastodonChannel().validate(draft) == []


def test_mastodon_text_one_past_500_is_cut_with_an_ellipsis_and_keeps_the_link():
    draft = MastodonChannel().render(make_post("가" * 476, "mastodon"), "yours", NO_UTM)
    assert draft.text == "가" * 474 + "…" + f"\n\n{URL}"
    assert MastodonChannel().validate(draft) == []


def test_mastodon_uses_the_instance_limit():
    draft = MastodonChannel().render(make_post("가" * 600, "mastodon"), "yours", {**NO_UTM, "max_characters": 1000})
    assert draft.text == "가" * 600 + f"\n\n{URL}"


def test_mastodon_validate_counts_an_over_long_override_the_way_mastodon_does():
    draft = MastodonChannel().render(make_post("가" * 10, "mastodon"), "yours", NO_UTM)
    from dataclasses import replace
    too_long = replace(draft, text="가" * 476 + f"\n\n{URL}")
    assert [str(p) for p in MastodonChannel().validate(too_long)] == [
        "text: 501자로 한도 500자를 1 넘습니다 — 본문을 줄이거나 front matter의 social 항목으로 이 채널용 글을 따로 쓰세요"]


def test_mastodon_takes_the_first_four_slides_of_card_news_and_none_of_a_video():
    cards = MastodonChannel().render(make_post(kind="cardnews", media=slides(6)), "yours", {})
    assert [m.public_url for m in cards.media] == [f"https://yours.kr/cards/{n}.jpg" for n in range(1, 5)]
    video = MastodonChannel().render(make_post(kind="video", media=slides(1)), "yours", {})
    assert video.media == ()


# --- Bluesky: 300 graphemes and 3,000 bytes, facets in UTF-8 bytes --------------------------------

LABEL = "yours.kr/interview/2018-10-05…"                   # 30 graphemes, 32 bytes


def test_bluesky_shows_a_short_link_label_with_a_facet_at_utf8_byte_offsets():
    post = make_post(f"한국어 텍스트 {FAMILY}", "bluesky", tags=("청년 자치",))
    draft = BlueskyChannel().render(post, "yours", {})
    assert draft.text == f"한국어 텍스트 {FAMILY}\n\n{LABEL}\n#청년자치"
    link, tag = draft.extra["facets"]
    start = 9 + 1 + 9 + 1 + 18 + 2
    assert link["index"] == {"byteStart": start, "byteEnd": start + 32}
    assert draft.text.encode()[start:start + 32].decode() == LABEL
    assert link["features"][0]["uri"] == draft.link and "utm_source=bluesky" in draft.link
    assert tag["features"] == [{"$type": "app.bsky.richtext.facet#tag", "tag": "청년자치"}]
    assert draft.text.encode()[tag["index"]["byteStart"]:tag["index"]["byteEnd"]].decode() == "#청년자치"


def test_bluesky_text_exactly_at_300_graphemes():
    body = "가" * (300 - 2 - 30)
    draft = BlueskyChannel().render(make_post(body, "bluesky"), "yours", NO_UTM)
    assert draft.text == f"{body}\n\n{LABEL}"
    assert BlueskyChannel().validate(draft) == []


def test_bluesky_text_one_past_300_graphemes_is_cut():
    draft = BlueskyChannel().render(make_post("가" * 269, "bluesky"), "yours", NO_UTM)
    assert draft.text == "가" * 267 + "…" + f"\n\n{LABEL}"


def test_bluesky_text_exactly_at_3000_bytes_and_one_past():
    body = FAMILY * 160 + "a" * 86                      # 2,880 + 86 + 2 + 32 = 3,000 bytes, 278 graphemes
    draft = BlueskyChannel().render(make_post(body, "bluesky"), "yours", NO_UTM)
    assert draft.text == f"{body}\n\n{LABEL}" and len(draft.text.encode()) == 3000
    over = BlueskyChannel().render(make_post(body + "a", "bluesky"), "yours", NO_UTM)
    assert over.text == FAMILY * 160 + "a" * 83 + "…" + f"\n\n{LABEL}"


def test_bluesky_cut_keeps_zwj_families_whole():
    draft = BlueskyChannel().render(make_post(FAMILY * 400, "bluesky"), "yours", NO_UTM)
    assert draft.text == FAMILY * 164 + "…" + f"\n\n{LABEL}"       # 164 × 18 + 3 + 2 + 32 = 2,989 bytes


def test_bluesky_card_news_sends_slides_other_posts_a_link_card_with_the_lead_image():
    cards = BlueskyChannel().render(make_post(kind="cardnews", media=slides(6)), "yours", {})
    assert (cards.extra["embed"], len(cards.media)) == ({"type": "images"}, 4)
    article = BlueskyChannel().render(make_post(media=slides(2)), "yours", {})
    assert article.extra["embed"] == {"type": "external", "title": "청년자치정부, 첫 회의를 열다",
                                      "description": "서울 청년 100명이 시청에 모였습니다."}
    assert len(article.media) == 1


def test_bluesky_link_card_goes_without_a_thumbnail_over_1mb():
    draft = BlueskyChannel().render(make_post(media=slides(1, size=1_500_000)), "yours", {})
    assert draft.media == () and draft.extra["embed"]["type"] == "external"
    assert BlueskyChannel().validate(draft) == []


# --- Threads: 500 with emoji as bytes, at most 5 links ---------------------------------------------

def test_threads_text_exactly_at_500_with_emoji_counted_as_bytes_and_one_past():
    room = 500 - 2 - len(URL)
    body = "😀" * (room // 4) + "가" * (room % 4)
    draft = ThreadsChannel().render(make_post(body, "threads"), "yours", NO_UTM)
    assert draft.text == f"{body}\n\n{URL}"
    over = ThreadsChannel().render(make_post(body + "가", "threads"), "yours", NO_UTM)
    assert over.text.endswith(f"…\n\n{URL}") and over.text != draft.text
    assert ThreadsChannel().validate(over) == []


def test_threads_refuses_more_than_five_links():
    links = " ".join(f"https://yours.kr/{n}" for n in range(5))
    draft = ThreadsChannel().render(make_post(links, "threads"), "yours", NO_UTM)
    assert [str(p) for p in ThreadsChannel().validate(draft)] == [
        "text: 링크가 6개로 5개를 넘습니다 (THREADS_API__LINK_LIMIT_EXCEEDED) — 글의 링크를 기사 링크 하나로 줄이세요"]


# --- X: weighted 280 --------------------------------------------------------------------------------

def test_x_text_exactly_at_280_weighted_and_one_past():
    draft = XChannel().render(make_post("가" * 127 + "a", "x"), "yours", {**NO_UTM, "accept_cost": True})
    assert draft.text == "가" * 127 + "a" + f"\n\n{URL}"                 # 254 + 1 + 2 + 23 = 280
    assert XChannel().validate(draft) == []
    over = XChannel().render(make_post("가" * 128, "x"), "yours", {**NO_UTM, "accept_cost": True})
    assert over.text == "가" * 126 + "…" + f"\n\n{URL}"                   # 252 + 2 + 2 + 23 = 279


def test_x_shows_the_cost_per_post_and_refuses_without_accept_cost():
    draft = XChannel().render(make_post(), "yours", {})
    assert draft.extra["cost_usd"] == 0.200
    assert draft.extra["cost_note"] == "X 요금: 이 글 1건에 $0.200 (링크 포함 요금)"
    assert [str(p) for p in XChannel().validate(draft)] == [
        "x: X는 글마다 요금이 듭니다 (이 글 $0.200) — 올리려면 mkdocs.yml의 x 계정 설정에 accept_cost: true를 쓰세요"]


# --- Telegram: UTF-16 units, caption 1,024, message 4,096 --------------------------------------------

def test_telegram_caption_exactly_at_1024_utf16_units_and_one_past():
    room = 1024 - 2 - len(URL)
    body = "😀" * (room // 2) + "가" * (room % 2)           # 😀 is a surrogate pair: 2 units
    post = make_post(body, "telegram", media=slides(1))
    draft = TelegramChannel().render(post, "yours", NO_UTM)
    assert draft.text == f"{body}\n\n{URL}" and TelegramChannel().validate(draft) == []
    over = TelegramChannel().render(make_post(body + "가", "telegram", media=slides(1)), "yours", NO_UTM)
    assert room == 972 and over.text == "😀" * 485 + "…" + f"\n\n{URL}"      # 970 + 1 + 2 + 50 = 1,023


def test_telegram_message_without_images_may_be_4096_units():
    body = "가" * (4096 - 2 - len(URL))
    draft = TelegramChannel().render(make_post(body, "telegram"), "yours", NO_UTM)
    assert draft.text == f"{body}\n\n{URL}"
    over = TelegramChannel().render(make_post(body + "가", "telegram"), "yours", NO_UTM)
    assert over.text == body[:-1] + "…" + f"\n\n{URL}"


def test_telegram_album_takes_up_to_ten_slides():
    draft = TelegramChannel().render(make_post(kind="cardnews", media=slides(12)), "yours", {})
    assert len(draft.media) == 10
    assert [p.field for p in TelegramChannel().validate(draft)] == []


# --- Instagram and Facebook ------------------------------------------------------------------------

def test_instagram_requires_images_alt_text_jpeg_public_urls_and_a_supported_ratio():
    assert [p.field for p in InstagramChannel().validate(InstagramChannel().render(make_post(), "yours", {}))] == ["media"]
    bad = (MediaItem(path="/tmp/a.png", public_url="http://localhost/a.png", alt="", mime="image/png",
                     width=1080, height=1920, size=1000),)
    draft = InstagramChannel().render(make_post(kind="cardnews", media=bad), "yours", {})
    assert [str(p) for p in InstagramChannel().validate(draft)] == [
        "media[1].alt: 대체 텍스트가 없습니다 — 카드마다 alt를 쓰세요",
        "media[1]: image/png 형식은 올릴 수 없습니다 — JPEG로 저장하세요",
        "media[1]: 공개 https 주소가 없습니다 — 사이트를 배포한 뒤 다시 실행하세요",
        "media[1]: 가로세로 비율 1080×1920는 4:5에서 1.91:1 사이가 아닙니다 — 1080×1350(4:5)이나 1080×1080으로 만드세요"]


def test_instagram_carousel_of_ten_and_at_most_thirty_hashtags():
    tags = tuple(f"태그{n}" for n in range(35))
    draft = InstagramChannel().render(make_post(kind="cardnews", media=slides(12), tags=tags), "yours", {})
    assert len(draft.media) == 10 and len(draft.hashtags) == 30
    assert InstagramChannel().validate(draft) == []


def test_instagram_caption_at_2200_and_one_past():
    body = "가" * (2200 - 2 - len(URL))
    draft = InstagramChannel().render(make_post(body, "instagram", media=slides(1)), "yours", NO_UTM)
    assert draft.text == f"{body}\n\n{URL}"
    over = InstagramChannel().render(make_post(body + "가", "instagram", media=slides(1)), "yours", NO_UTM)
    assert over.text == body[:-1] + "…" + f"\n\n{URL}"


def test_facebook_multi_photo_keeps_every_slide():
    draft = FacebookChannel().render(make_post(kind="cardnews", media=slides(12)), "yours", {})
    assert len(draft.media) == 12 and FacebookChannel().validate(draft) == []


@pytest.mark.parametrize("name", sorted(API_CHANNELS))
def test_every_channel_renders_without_io_and_names_itself(name):
    channel = API_CHANNELS[name]()
    draft = channel.render(make_post(), "yours", {"accept_cost": True})
    assert (draft.channel, draft.account, draft.post_id, channel.kind) == (name, "yours", "2018-10-05-youth-union", "api")
    assert f"utm_source={name}" in draft.link
