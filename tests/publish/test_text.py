"""Golden tests of the counting rules: each network's own way, Korean, emoji and ZWJ sequences."""

from __future__ import annotations

import pytest

from site_builder.publish.text import (
    add_utm,
    byte_span,
    display_url,
    fit_text,
    grapheme_length,
    hashtags,
    Limit,
    link_count,
    mastodon_length,
    threads_length,
    truncate,
    utf16_length,
    utf8_length,
    x_length,
)

FAMILY = "👩\u200d👩\u200d👧"          # one grapheme: three emoji joined by two ZERO WIDTH JOINERs
FLAG = "🇰🇷"                          # one grapheme: two regional indicators
JAMO_HAN = "\u1112\u1161\u11ab"       # 한 written as conjoining jamo: still one grapheme
LONG_URL = "https://yours.kr/interview/2018-10-05-youth-union/?" + "&".join(f"p{i}=value{i}" for i in range(20))


@pytest.mark.parametrize("text, graphemes, utf8, utf16", [
    ("한국어", 3, 9, 3),
    (FAMILY, 1, 18, 8),
    (FLAG, 1, 8, 4),
    (JAMO_HAN, 1, 9, 3),
    ("e\u0301", 1, 3, 2),
    ("청년 👩\u200d👩\u200d👧 🇰🇷!", 7, 6 + 1 + 18 + 1 + 8 + 1, 2 + 1 + 8 + 1 + 4 + 1),
])
def test_counts_graphemes_bytes_and_utf16_units(text, graphemes, utf8, utf16):
    assert (grapheme_length(text), utf8_length(text), utf16_length(text)) == (graphemes, utf8, utf16)


def test_mastodon_counts_every_url_as_23_whatever_its_length():
    assert len(LONG_URL) > 200
    assert mastodon_length(f"가 {LONG_URL}") == 2 + 23
    assert mastodon_length(f"{FAMILY} https://a.kr/ 끝") == 1 + 1 + 23 + 1 + 1


def test_x_weighs_hangul_and_emoji_two_and_urls_23():
    assert x_length("가" * 140) == 280
    assert x_length("가" * 141) == 282
    assert x_length("a" * 256 + " " + LONG_URL) == 256 + 1 + 23
    assert x_length(FAMILY) == 2
    assert x_length("…") == 2      # U+2026 is outside twitter-text's weight-1 ranges


def test_threads_counts_an_emoji_as_its_utf8_bytes():
    assert threads_length("가😀") == 1 + 4
    assert threads_length(FAMILY) == 18
    assert threads_length("청년") == 2


def test_counts_distinct_links():
    assert link_count("https://a.kr/1 https://a.kr/2 https://a.kr/1 http://b.kr") == 3


def test_byte_span_gives_utf8_offsets_after_korean_and_emoji():
    text = f"한국어 {FAMILY} yours.kr"
    start = text.index("yours.kr")
    assert byte_span(text, start, start + len("yours.kr")) == (9 + 1 + 18 + 1, 9 + 1 + 18 + 1 + 8)
    assert text.encode()[29:37] == b"yours.kr"


def test_hashtags_from_tags_drop_spaces_punctuation_duplicates_and_numbers():
    tags = ["청년 자치", "서울", "서울", "2018", "Seoul Youth", "K-청년", "청년·참여", "  "]
    assert hashtags(tags) == ("#청년자치", "#서울", "#SeoulYouth", "#K청년", "#청년참여")
    assert hashtags(tags, limit=2) == ("#청년자치", "#서울")


def test_utm_replaces_old_utm_keeps_the_rest_of_the_query_and_the_fragment():
    url = "https://yours.kr/a/?ref=x&utm_source=old#top"
    assert add_utm(url, "mastodon", campaign="2018-10-05-youth-union") == (
        "https://yours.kr/a/?ref=x&utm_source=mastodon&utm_medium=social&utm_campaign=2018-10-05-youth-union#top")


def test_display_url_is_short_and_without_scheme_or_query():
    assert display_url("https://yours.kr/x/?utm_source=bluesky") == "yours.kr/x"
    assert display_url(LONG_URL) == "yours.kr/interview/2018-10-05…"


def test_truncate_cuts_between_graphemes_never_inside_a_zwj_sequence():
    text = FAMILY * 10
    cut = truncate(text, lambda candidate: utf8_length(candidate) <= 18 * 3 + 3)
    assert cut == FAMILY * 3 + "…"


def test_fit_keeps_the_link_drops_hashtags_first_then_shortens_the_body():
    limit = (Limit(40, grapheme_length, "자"),)
    link = "https://a.kr/x"                                   # 14 graphemes
    text, kept = fit_text("가" * 20, link, limit, ("#하나", "#둘"))
    assert (text, kept) == ("가" * 20 + "\n\n" + link + "\n#하나", ("#하나",))    # 20+2+14+1+3 = 40
    text, kept = fit_text("가" * 30, link, limit, ("#하나",))
    assert (text, kept) == ("가" * 23 + "…" + "\n\n" + link, ())                  # 24+2+14 = 40
