"""Bluesky against a real PDS (@atproto/dev-env's TestNetworkNoAppView on Node 22), started by the fixture."""

from __future__ import annotations

from datetime import datetime, timezone

import httpx
import pytest

from site_builder.publish.channel import AuthExpired
from site_builder.publish.channels.bluesky import BlueskyChannel, record_key_for, tid

from .helpers import article, context

MOMENT = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)


def bluesky_context(http, pds: dict, key: str, **extra):
    return context(http, {"identifier": pds["handle"], "app_password": pds["appPassword"]}, {"pds": pds["url"]},
                   key=key, record_key=record_key_for(key, MOMENT), now=lambda: MOMENT, **extra)


def stored(http: httpx.Client, pds: dict, rkey: str) -> dict:
    return http.get(f"{pds['url']}/xrpc/com.atproto.repo.getRecord",
                    params={"repo": pds["did"], "collection": "app.bsky.feed.post", "rkey": rkey}).json()["value"]


def test_tid_is_13_sortable_characters():
    assert tid(0) == "2222222222222"
    assert tid(1_764_590_400_000_000, 5) < tid(1_764_590_400_000_001, 0)
    assert len(record_key_for("k", MOMENT)) == 13


def test_article_gets_link_facet_at_byte_offsets_and_a_link_card_with_thumbnail(bluesky_pds, make_slides):
    channel = BlueskyChannel()
    draft = channel.render(article("2018-10-05-youth-union", media=make_slides(1)), "yours", {})
    with httpx.Client() as http:
        ctx = bluesky_context(http, bluesky_pds, "bsky-article")
        receipt = channel.publish(draft, ctx)
        record = stored(http, bluesky_pds, ctx.record_key)
    assert receipt.remote_id == f"at://{bluesky_pds['did']}/app.bsky.feed.post/{ctx.record_key}"
    assert receipt.remote_url == f"https://bsky.app/profile/yours.test/post/{ctx.record_key}"
    assert record["text"] == draft.text and record["langs"] == ["ko"]
    link = record["facets"][0]
    label = draft.text.encode()[link["index"]["byteStart"]:link["index"]["byteEnd"]].decode()
    assert label == "yours.kr/interview/2018-10-05…" and link["features"][0]["uri"] == draft.link
    external = record["embed"]["external"]
    assert (record["embed"]["$type"], external["uri"], external["title"]) == (
        "app.bsky.embed.external", draft.link, "청년자치정부, 첫 회의를 열다 👩\u200d👩\u200d👧")
    assert external["thumb"]["mimeType"] == "image/jpeg" and external["thumb"]["size"] == draft.media[0].size


def test_card_news_posts_four_images_with_alt_text(bluesky_pds, make_slides):
    channel = BlueskyChannel()
    draft = channel.render(article("2018-11-02-cards", kind="cardnews", media=make_slides(6)), "yours", {})
    with httpx.Client() as http:
        ctx = bluesky_context(http, bluesky_pds, "bsky-cards")
        channel.publish(draft, ctx)
        record = stored(http, bluesky_pds, ctx.record_key)
    images = record["embed"]["images"]
    assert [image["alt"] for image in images] == [f"카드 {n}: 청년 자치 회의" for n in range(1, 5)]
    assert images[0]["aspectRatio"] == {"width": 108, "height": 135}


def test_reconcile_is_a_get_record_on_the_pre_chosen_key(bluesky_pds):
    channel = BlueskyChannel()
    draft = channel.render(article("2018-11-16-reconcile"), "yours", {})
    with httpx.Client() as http:
        ctx = bluesky_context(http, bluesky_pds, "bsky-reconcile")
        assert channel.reconcile(draft, ctx) is None
        receipt = channel.publish(draft, ctx)
        assert channel.reconcile(draft, ctx) == receipt
        # A second createRecord with the same key is refused by the PDS; publish returns the first post.
        assert channel.publish(draft, ctx) == receipt


def test_a_wrong_app_password_stops_the_channel_without_showing_it(bluesky_pds):
    with httpx.Client() as http, pytest.raises(AuthExpired) as raised:
        BlueskyChannel().check_credentials(context(http, {"identifier": "yours.test", "app_password": "wrong-pass-1234"},
                                                   {"pds": bluesky_pds["url"]}))
    assert "wrong-pass-1234" not in str(raised.value)


def test_check_credentials_names_the_account(bluesky_pds):
    with httpx.Client() as http:
        assert BlueskyChannel().check_credentials(bluesky_context(http, bluesky_pds, "x")) == (
            "bluesky: @yours.test 계정으로 글을 쓸 수 있습니다")
