"""Telegram channel through a bot that is an administrator of the channel.

Options: `chat` (the channel, e.g. `@yours_channel`), `api` (default https://api.telegram.org).
Credentials: `token` (from @BotFather). The token is part of every request path, so no error
message here ever contains a URL.

A post without images is a `sendMessage` (4,096 UTF-16 units, link preview on); one image is a
`sendPhoto` and card news an album (`sendMediaGroup`, 2–10 images), both with a caption of at most
1,024 UTF-16 units on the first image. Telegram offers no way to ask whether an interrupted send
landed, so `reconcile` raises `Unknowable` and a person checks the channel.
"""

from __future__ import annotations

import json
from pathlib import Path

from site_builder.publish.channel import Draft, DraftProblem, Post, PublishContext, Receipt, Unknowable
from site_builder.publish.channels.base import TextChannel
from site_builder.publish.signals import request
from site_builder.publish.text import Limit, utf16_length

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
ALBUM_MAX = 10


class TelegramChannel(TextChannel):
    """A Telegram channel."""

    name = "telegram"
    max_images = ALBUM_MAX
    max_image_bytes = 10_000_000
    max_alt = 100_000      # Telegram has no alt text; the caption carries the words

    def render_extra(self, post: Post, options: dict) -> dict:
        images = post.media if post.kind != "video" else ()
        return {"limit": CAPTION_LIMIT if images else MESSAGE_LIMIT}

    def limits(self, extra: dict) -> tuple[Limit, ...]:
        return (Limit(int(extra.get("limit", MESSAGE_LIMIT)), utf16_length, " UTF-16 단위"),)

    def validate(self, draft: Draft) -> list[DraftProblem]:
        problems = super().validate(draft)
        if draft.media and int(draft.extra.get("limit", MESSAGE_LIMIT)) != CAPTION_LIMIT:
            problems.append(DraftProblem("text", "이미지가 있는 글의 설명은 1,024 UTF-16 단위까지입니다"))
        return problems

    # --- network ---

    def _method(self, ctx: PublishContext, method: str) -> str:
        api = str(ctx.options.get("api", "https://api.telegram.org")).rstrip("/")
        return f"{api}/bot{ctx.credentials.get('token', '')}/{method}"

    def _url(self, ctx: PublishContext, message_id: int) -> str:
        chat = str(ctx.options.get("chat", ""))
        return f"https://t.me/{chat[1:]}/{message_id}" if chat.startswith("@") else ""

    def publish(self, draft: Draft, ctx: PublishContext) -> Receipt:
        """Send the message, photo or album; return the (first) message."""
        chat = ctx.options.get("chat", "")
        if not draft.media:
            reply = request(ctx.http, "POST", self._method(ctx, "sendMessage"), network="telegram",
                            action="메시지 보내기", now=ctx.now, json={"chat_id": chat, "text": draft.text}).json()
            message = reply["result"]
        elif len(draft.media) == 1:
            item = draft.media[0]
            reply = request(ctx.http, "POST", self._method(ctx, "sendPhoto"), network="telegram", action="사진 보내기",
                            now=ctx.now, data={"chat_id": chat, "caption": draft.text},
                            files={"photo": (Path(item.path).name, Path(item.path).read_bytes(), item.mime)}).json()
            message = reply["result"]
        else:
            media, files = [], {}
            for number, item in enumerate(draft.media):
                entry = {"type": "photo", "media": f"attach://photo{number}"}
                if number == 0:
                    entry["caption"] = draft.text
                media.append(entry)
                files[f"photo{number}"] = (Path(item.path).name, Path(item.path).read_bytes(), item.mime)
            reply = request(ctx.http, "POST", self._method(ctx, "sendMediaGroup"), network="telegram",
                            action="앨범 보내기", now=ctx.now,
                            data={"chat_id": chat, "media": json.dumps(media, ensure_ascii=False)}, files=files).json()
            message = reply["result"][0]
        return Receipt(remote_id=str(message["message_id"]), remote_url=self._url(ctx, message["message_id"]))

    def reconcile(self, draft: Draft, ctx: PublishContext) -> Receipt | None:
        """Telegram cannot tell whether an interrupted send landed."""
        raise Unknowable("telegram: 중단된 전송이 채널에 올라갔는지 API로 알 수 없습니다 — 채널을 열어 확인한 뒤 "
                         "`site-builder publish done`으로 주소를 기록하거나 다시 보내도록 표시하세요")

    def check_credentials(self, ctx: PublishContext) -> str:
        """Ask who the bot is (getMe)."""
        bot = request(ctx.http, "GET", self._method(ctx, "getMe"), network="telegram", action="토큰 확인",
                      now=ctx.now).json()["result"]
        return f"telegram: 봇 @{bot.get('username')}의 토큰이 유효합니다 (채널 {ctx.options.get('chat', '?')})"
