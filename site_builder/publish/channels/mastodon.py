"""Mastodon: media upload (polling while the server processes it), then the status with an Idempotency-Key.

Options (mkdocs.yml): `instance` (https URL), `max_characters` (the instance's limit, default 500),
`visibility` (default public), `language` (default ko). Credentials: `token` (an access token with
`write:statuses write:media read:accounts`).

Reconcile: Mastodon keeps an Idempotency-Key for an hour and answers a repeated key with the status
it already made, so the core re-sending with the row's key never doubles a post within that hour;
beyond it, `reconcile` looks for the article link in the account's recent statuses.
"""

from __future__ import annotations

import html
from pathlib import Path


from site_builder.publish.channel import Draft, PublishContext, Receipt, Transient
from site_builder.publish.channels.base import TextChannel
from site_builder.publish.signals import request
from site_builder.publish.text import Limit, mastodon_length

MEDIA_POLLS = 10          # media still processing after this many polls: try again next run
RECENT_STATUSES = 40      # how far back reconcile looks (Mastodon's page maximum)


class MastodonChannel(TextChannel):
    """A Mastodon account on any instance."""

    name = "mastodon"
    max_images = 4
    max_image_bytes = 16 * 1024 * 1024
    max_alt = 1500

    def render_extra(self, post, options: dict) -> dict:
        return {"max_characters": int(options.get("max_characters", 500))}

    def limits(self, extra: dict) -> tuple[Limit, ...]:
        return (Limit(int(extra.get("max_characters", 500)), mastodon_length, "자"),)

    # --- network ---

    def _base(self, ctx: PublishContext) -> str:
        return str(ctx.options.get("instance", "")).rstrip("/")

    def _auth(self, ctx: PublishContext) -> dict[str, str]:
        return {"Authorization": f"Bearer {ctx.credentials.get('token', '')}"}

    def _upload(self, item, ctx: PublishContext) -> str:
        """Upload one image; wait while the server processes it (202); return the media id."""
        base, auth = self._base(ctx), self._auth(ctx)
        path = Path(item.path)
        response = request(ctx.http, "POST", f"{base}/api/v2/media", network="mastodon", action="이미지 올리기",
                           now=ctx.now, headers=auth, data={"description": item.alt},
                           files={"file": (path.name, path.read_bytes(), item.mime)})
        media = response.json()
        polls = 0
        while response.status_code == 202 or media.get("url") is None:
            if polls >= MEDIA_POLLS:
                raise Transient("mastodon 이미지 처리: 서버가 아직 이미지를 처리하고 있습니다 — 다음 실행에서 다시 시도합니다")
            ctx.sleep(1.0 + polls)
            polls += 1
            response = request(ctx.http, "GET", f"{base}/api/v1/media/{media['id']}", network="mastodon",
                               action="이미지 처리 확인", now=ctx.now, headers=auth)
            media = response.json()
        return str(media["id"])

    def publish(self, draft: Draft, ctx: PublishContext) -> Receipt:
        """Upload the images, then post the status with the row's Idempotency-Key."""
        media_ids = [self._upload(item, ctx) for item in draft.media]
        body = {"status": draft.text, "visibility": ctx.options.get("visibility", "public"),
                "language": ctx.options.get("language", "ko")}
        if media_ids:
            body["media_ids"] = media_ids
        headers = {**self._auth(ctx), "Idempotency-Key": ctx.idempotency_key}
        status = request(ctx.http, "POST", f"{self._base(ctx)}/api/v1/statuses", network="mastodon",
                         action="글 올리기", now=ctx.now, headers=headers, json=body).json()
        return Receipt(remote_id=str(status["id"]), remote_url=status.get("url") or status.get("uri") or "")

    def reconcile(self, draft: Draft, ctx: PublishContext) -> Receipt | None:
        """Return the status an interrupted run made (found by the article link), None if there is none."""
        base, auth = self._base(ctx), self._auth(ctx)
        account = request(ctx.http, "GET", f"{base}/api/v1/accounts/verify_credentials", network="mastodon",
                          action="계정 확인", now=ctx.now, headers=auth).json()
        statuses = request(ctx.http, "GET", f"{base}/api/v1/accounts/{account['id']}/statuses", network="mastodon",
                           action="최근 글 확인", now=ctx.now, headers=auth,
                           params={"limit": RECENT_STATUSES}).json()
        for status in statuses:
            if draft.link in html.unescape(status.get("content", "")):
                return Receipt(remote_id=str(status["id"]), remote_url=status.get("url") or status.get("uri") or "")
        return None

    def check_credentials(self, ctx: PublishContext) -> str:
        """Return the account the token belongs to (a harmless read)."""
        account = request(ctx.http, "GET", f"{self._base(ctx)}/api/v1/accounts/verify_credentials",
                          network="mastodon", action="토큰 확인", now=ctx.now, headers=self._auth(ctx)).json()
        return f"mastodon: @{account.get('acct') or account.get('username')} 계정으로 글을 쓸 수 있습니다"



