"""Threads: a container (`/{user}/threads`), then `/{user}/threads_publish`.

Options: `user_id` (default `me`), `graph` (default https://graph.threads.net), `api_version`
(default v1.0). Credentials: `token` (threads_content_publish; long-lived tokens last 60 days).

500 characters where an emoji counts as its UTF-8 bytes, and at most 5 links (more fail with
THREADS_API__LINK_LIMIT_EXCEEDED since 2025-12-22). Card news is a carousel of public JPEG URLs.
"""

from __future__ import annotations

from site_builder.publish.channel import Draft, DraftProblem, PublishContext, Receipt
from site_builder.publish.channels.base import TextChannel
from site_builder.publish.channels.graph import GraphClient
from site_builder.publish.text import Limit, link_count, threads_length

MAX_LINKS = 5
RECENT_POSTS = 25


class ThreadsClient(GraphClient):
    def __init__(self, ctx: PublishContext):
        super().__init__(ctx, "threads")
        base = str(ctx.options.get("graph", "https://graph.threads.net")).rstrip("/")
        self.base = f"{base}/{ctx.options.get('api_version', 'v1.0')}"


class ThreadsChannel(TextChannel):
    """A Threads profile."""

    name = "threads"
    max_images = 20
    max_image_bytes = 8_000_000
    max_alt = 1000

    def limits(self, extra: dict) -> tuple[Limit, ...]:
        return (Limit(500, threads_length, "자"),)

    def validate(self, draft: Draft) -> list[DraftProblem]:
        problems = super().validate(draft)
        links = link_count(draft.text)
        if links > MAX_LINKS:
            problems.append(DraftProblem("text", f"링크가 {links}개로 {MAX_LINKS}개를 넘습니다 (THREADS_API__LINK_LIMIT_EXCEEDED)",
                                         "글의 링크를 기사 링크 하나로 줄이세요"))
        for number, item in enumerate(draft.media, start=1):
            if not item.public_url.startswith("https://"):
                problems.append(DraftProblem(f"media[{number}]", "공개 https 주소가 없습니다", "사이트를 배포한 뒤 다시 실행하세요"))
        return problems

    def publish(self, draft: Draft, ctx: PublishContext) -> Receipt:
        """Make the container (text, image or carousel), wait until FINISHED, publish."""
        client, user = ThreadsClient(ctx), ctx.options.get("user_id", "me")
        if not draft.media:
            container = client.call("POST", f"{user}/threads", "컨테이너 만들기", media_type="TEXT", text=draft.text)["id"]
        elif len(draft.media) == 1:
            item = draft.media[0]
            container = client.call("POST", f"{user}/threads", "컨테이너 만들기", media_type="IMAGE",
                                    image_url=item.public_url, alt_text=item.alt, text=draft.text)["id"]
        else:
            children = [client.call("POST", f"{user}/threads", "카드 컨테이너 만들기", media_type="IMAGE",
                                    image_url=item.public_url, alt_text=item.alt, is_carousel_item="true")["id"]
                        for item in draft.media]
            for child in children:
                client.wait_for_container(child, field="status")
            container = client.call("POST", f"{user}/threads", "캐러셀 컨테이너 만들기", media_type="CAROUSEL",
                                    children=",".join(children), text=draft.text)["id"]
        client.wait_for_container(container, field="status")
        media_id = client.call("POST", f"{user}/threads_publish", "게시하기", creation_id=container)["id"]
        permalink = client.call("GET", media_id, "주소 확인", fields="permalink").get("permalink", "")
        return Receipt(remote_id=media_id, remote_url=permalink)

    def reconcile(self, draft: Draft, ctx: PublishContext) -> Receipt | None:
        """Return the profile's recent post carrying the article link, None if there is none."""
        client, user = ThreadsClient(ctx), ctx.options.get("user_id", "me")
        recent = client.call("GET", f"{user}/threads", "최근 글 확인", fields="id,text,permalink", limit=RECENT_POSTS)
        for item in recent.get("data", []):
            if draft.link in (item.get("text") or ""):
                return Receipt(remote_id=item["id"], remote_url=item.get("permalink", ""))
        return None

    def check_credentials(self, ctx: PublishContext) -> str:
        client, user = ThreadsClient(ctx), ctx.options.get("user_id", "me")
        profile = client.call("GET", str(user), "토큰 확인", fields="id,username")
        return f"threads: @{profile.get('username')} 계정으로 글을 쓸 수 있습니다"
