"""Bluesky (AT Protocol): session, blob upload, `createRecord` with a pre-chosen record key.

Options: `pds` (default https://bsky.social), `language` (default ko), `app_url` (default
https://bsky.app, for the post's public URL). Credentials: `identifier` (handle or DID) and
`app_password` (an app password, never the account password).

The text carries a short label of the link (`yours.kr/interview/…`, as the Bluesky app shows
links) with a link facet to the full URL; facet offsets are UTF-8 *bytes*. Hashtags get tag
facets. Card news posts the first four slides as images; other posts get a link card
(`app.bsky.embed.external`, built by us: the network does not fetch it) with the lead image as
thumbnail. Images and a card cannot be combined, so the link stays in the text either way.

The record key (a TID) is chosen before the request and stored in the ledger, so `reconcile` is a
`getRecord` on it, and a repeated `createRecord` with the same key is refused, never doubled.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from site_builder.publish.channel import Draft, Post, PublishContext, Receipt
from site_builder.publish.channels.base import TextChannel, with_extra
from site_builder.publish.signals import raise_for_status, request, send
from site_builder.publish.text import Limit, byte_span, display_url, grapheme_length, utf8_length

POST = "app.bsky.feed.post"
MAX_GRAPHEMES = 300
MAX_BYTES = 3000
MAX_IMAGE_BYTES = 2_000_000    # app.bsky.embed.images (lexicon since PR #4823)
MAX_THUMB_BYTES = 1_000_000    # app.bsky.embed.external thumb
_TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"   # base32-sortable


def tid(microseconds: int, clock_id: int = 0) -> str:
    """Return the AT Protocol TID for a time in microseconds since the epoch (13 base32-sortable chars)."""
    value = ((microseconds & ((1 << 53) - 1)) << 10) | (clock_id & 0x3FF)
    return "".join(_TID_ALPHABET[(value >> (5 * (12 - i))) & 31] for i in range(13))


def record_key_for(idempotency_key: str, moment: datetime) -> str:
    """Return a TID for this attempt: the time of choosing, with a clock id drawn from the idempotency key."""
    clock_id = int.from_bytes(hashlib.sha256(idempotency_key.encode()).digest()[:2], "big") & 0x3FF
    return tid(int(moment.timestamp() * 1_000_000), clock_id)


class BlueskyChannel(TextChannel):
    """A Bluesky account on any PDS."""

    name = "bluesky"
    max_images = 4
    max_image_bytes = MAX_IMAGE_BYTES
    max_alt = 2000

    def limits(self, extra: dict) -> tuple[Limit, ...]:
        return (Limit(MAX_GRAPHEMES, grapheme_length, "자(그래핌)"), Limit(MAX_BYTES, utf8_length, "바이트"))

    def link_text(self, link: str) -> str:
        return display_url(link)

    def finish(self, draft: Draft, post: Post, options: dict) -> Draft:
        """Add the facets (UTF-8 byte offsets) and choose the embed: slides, or a link card."""
        facets = []
        label = self.link_text(draft.link)
        start = draft.text.rfind(label)
        if start >= 0:
            byte_start, byte_end = byte_span(draft.text, start, start + len(label))
            facets.append({"index": {"byteStart": byte_start, "byteEnd": byte_end},
                           "features": [{"$type": "app.bsky.richtext.facet#link", "uri": draft.link}]})
        cursor = len(draft.text)
        for tag in reversed(draft.hashtags):
            start = draft.text.rfind(tag, 0, cursor)
            if start < 0:
                continue
            cursor = start
            byte_start, byte_end = byte_span(draft.text, start, start + len(tag))
            facets.append({"index": {"byteStart": byte_start, "byteEnd": byte_end},
                           "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": tag[1:]}]})
        facets.sort(key=lambda facet: facet["index"]["byteStart"])
        if post.kind == "cardnews" and draft.media:
            embed = {"type": "images"}
        else:
            # A link card with the lead image as its thumbnail; the other images are not sent.
            # A lead image over the card's 1 MB goes without a thumbnail rather than stopping the post.
            embed = {"type": "external", "title": post.title, "description": post.summary[:300]}
            draft = replace(draft, media=tuple(m for m in draft.media[:1] if m.size <= MAX_THUMB_BYTES))
        return with_extra(draft, facets=facets, embed=embed, langs=[options.get("language", "ko")])

    # --- network ---

    def _base(self, ctx: PublishContext) -> str:
        return str(ctx.options.get("pds", "https://bsky.social")).rstrip("/")

    def _session(self, ctx: PublishContext) -> dict:
        """Return a session (accessJwt, did, handle) made with the app password."""
        return request(ctx.http, "POST", f"{self._base(ctx)}/xrpc/com.atproto.server.createSession",
                       network="bluesky", action="로그인", now=ctx.now,
                       json={"identifier": ctx.credentials.get("identifier", ""),
                             "password": ctx.credentials.get("app_password", "")}).json()

    def _upload(self, item, session: dict, ctx: PublishContext) -> dict:
        response = request(ctx.http, "POST", f"{self._base(ctx)}/xrpc/com.atproto.repo.uploadBlob",
                           network="bluesky", action="이미지 올리기", now=ctx.now,
                           headers={"Authorization": f"Bearer {session['accessJwt']}", "Content-Type": item.mime},
                           content=Path(item.path).read_bytes())
        return response.json()["blob"]

    def _url(self, ctx: PublishContext, session: dict, rkey: str) -> str:
        app = str(ctx.options.get("app_url", "https://bsky.app")).rstrip("/")
        return f"{app}/profile/{session.get('handle') or session['did']}/post/{rkey}"

    def record_key(self, ctx: PublishContext) -> str:
        """Return the row's pre-chosen record key (derived from the idempotency key if the core gave none)."""
        if ctx.record_key:
            return ctx.record_key
        moment = ctx.now() if ctx.now else datetime.now(timezone.utc)
        return record_key_for(ctx.idempotency_key, moment)

    def publish(self, draft: Draft, ctx: PublishContext) -> Receipt:
        """Log in, upload the images, create the post under the pre-chosen record key."""
        session = self._session(ctx)
        rkey = self.record_key(ctx)
        moment = ctx.now() if ctx.now else datetime.now(timezone.utc)
        record = {"$type": POST, "text": draft.text,
                  "createdAt": moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z"),
                  "langs": draft.extra.get("langs", ["ko"])}
        if draft.extra.get("facets"):
            record["facets"] = draft.extra["facets"]
        embed = draft.extra.get("embed", {})
        blobs = [self._upload(item, session, ctx) for item in draft.media]
        if embed.get("type") == "images" and blobs:
            images = []
            for item, blob in zip(draft.media, blobs):
                image = {"image": blob, "alt": item.alt}
                if item.width and item.height:
                    image["aspectRatio"] = {"width": item.width, "height": item.height}
                images.append(image)
            record["embed"] = {"$type": "app.bsky.embed.images", "images": images}
        elif embed.get("type") == "external":
            external = {"uri": draft.link, "title": embed.get("title", ""), "description": embed.get("description", "")}
            if blobs:
                external["thumb"] = blobs[0]
            record["embed"] = {"$type": "app.bsky.embed.external", "external": external}
        response = send(ctx.http, "POST", f"{self._base(ctx)}/xrpc/com.atproto.repo.createRecord",
                        network="bluesky", action="글 올리기", headers={"Authorization": f"Bearer {session['accessJwt']}"},
                        json={"repo": session["did"], "collection": POST, "rkey": rkey, "record": record})
        if not response.is_success:
            # A record under our pre-chosen key can only be an earlier attempt of this very post (the
            # PDS refuses a second create with the same key, with a 500 in @atproto/pds 0.4): that is the post.
            found = self._get_record(ctx, session, rkey)
            if found is not None:
                return found
        raise_for_status(response, "bluesky", "글 올리기", ctx.now)
        return Receipt(remote_id=response.json()["uri"], remote_url=self._url(ctx, session, rkey))

    def reconcile(self, draft: Draft, ctx: PublishContext) -> Receipt | None:
        """Return the post if the record under the pre-chosen key exists, None if it does not."""
        return self._get_record(ctx, self._session(ctx), self.record_key(ctx))

    def _get_record(self, ctx: PublishContext, session: dict, rkey: str) -> Receipt | None:
        """Return the post stored under rkey, None if there is none."""
        response = send(ctx.http, "GET", f"{self._base(ctx)}/xrpc/com.atproto.repo.getRecord", network="bluesky",
                        action="글 확인", params={"repo": session["did"], "collection": POST, "rkey": rkey})
        if response.status_code == 404 or (response.status_code == 400 and "RecordNotFound" in response.text):
            return None
        raise_for_status(response, "bluesky", "글 확인", ctx.now)
        return Receipt(remote_id=response.json()["uri"], remote_url=self._url(ctx, session, rkey))

    def check_credentials(self, ctx: PublishContext) -> str:
        """Log in with the app password (a harmless call) and name the account."""
        session = self._session(ctx)
        return f"bluesky: @{session.get('handle') or session['did']} 계정으로 글을 쓸 수 있습니다"

