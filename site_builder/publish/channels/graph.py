"""Facebook Page and Instagram through one Graph API client, at a pinned API version.

Options: Facebook `page_id`; Instagram `ig_user_id`; both `api_version` (default v25.0, which Meta
supports until 2028-07-29) and `graph` (default https://graph.facebook.com). Credentials: `token`
(a long-lived Page or system-user token with pages_manage_posts / instagram_content_publish).

Facebook: a post with a link card (`/{page}/feed` with `link`), or card news as one multi-photo
post: every slide uploaded unpublished (`/{page}/photos`, `published=false`), then the feed post
with `attached_media`. Instagram: one container per image (`image_url`, `alt_text`,
`is_carousel_item`), a CAROUSEL container for card news, each polled until `status_code` is
FINISHED, then `/media_publish`. Meta fetches the images from the public site itself, which is why
the core checks that the article is live first. Throttling (codes 4/17/32/613/80001…, usage
headers in minutes) becomes `RateLimited`; code 190 `AuthExpired`.
"""

from __future__ import annotations

import json
from dataclasses import replace

from site_builder.publish.channel import Draft, DraftProblem, Permanent, Post, PublishContext, Receipt, Transient
from site_builder.publish.channels.base import TextChannel
from site_builder.publish.signals import request
from site_builder.publish.text import Limit, grapheme_length

API_VERSION = "v25.0"
CONTAINER_POLLS = 10
RECENT_POSTS = 25


class GraphClient:
    """Calls to graph.facebook.com at a pinned version, with Meta's errors mapped to the channel errors."""

    def __init__(self, ctx: PublishContext, network: str):
        self.ctx = ctx
        self.network = network
        base = str(ctx.options.get("graph", "https://graph.facebook.com")).rstrip("/")
        self.base = f"{base}/{ctx.options.get('api_version', API_VERSION)}"

    def call(self, method: str, path: str, action: str, **params) -> dict:
        """Make one Graph call (the token in the Authorization header, never in the URL)."""
        headers = {"Authorization": f"Bearer {self.ctx.credentials.get('token', '')}"}
        kwargs = {"params": params} if method == "GET" else {"data": params}
        return request(self.ctx.http, method, f"{self.base}/{path}", network=self.network, action=action,
                       now=self.ctx.now, headers=headers, **kwargs).json()

    def wait_for_container(self, container: str, field: str = "status_code") -> None:
        """Poll a media container until FINISHED; Transient if still IN_PROGRESS, Permanent on ERROR."""
        for poll in range(CONTAINER_POLLS):
            status = self.call("GET", container, "미디어 처리 확인", fields=field).get(field, "")
            if status in ("FINISHED", "PUBLISHED"):
                return
            if status in ("ERROR", "EXPIRED"):
                raise Permanent(f"{self.network} 미디어 처리: Meta가 이미지를 처리하지 못했습니다 ({status}) — "
                                "이미지가 공개 주소에서 JPEG로 열리는지 확인하세요")
            self.ctx.sleep(min(2.0 * (poll + 1), 10.0))
        raise Transient(f"{self.network} 미디어 처리: 아직 처리 중입니다 (IN_PROGRESS) — 다음 실행에서 다시 시도합니다")


class FacebookChannel(TextChannel):
    """A Facebook Page."""

    name = "facebook"
    max_images = 30
    max_image_bytes = 10_000_000
    max_alt = 1000

    def limits(self, extra: dict) -> tuple[Limit, ...]:
        return (Limit(63_206, grapheme_length, "자"),)

    def publish(self, draft: Draft, ctx: PublishContext) -> Receipt:
        """A link post, or one multi-photo post of unpublished photos."""
        graph, page = GraphClient(ctx, self.name), ctx.options.get("page_id", "")
        if not draft.media:
            post = graph.call("POST", f"{page}/feed", "글 올리기", message=draft.text, link=draft.link)
        else:
            photo_ids = [graph.call("POST", f"{page}/photos", "사진 올리기", url=item.public_url, published="false",
                                    alt_text_custom=item.alt)["id"] for item in draft.media]
            post = graph.call("POST", f"{page}/feed", "글 올리기", message=draft.text,
                              attached_media=json.dumps([{"media_fbid": pid} for pid in photo_ids]))
        return Receipt(remote_id=post["id"], remote_url=f"https://www.facebook.com/{post['id']}")

    def reconcile(self, draft: Draft, ctx: PublishContext) -> Receipt | None:
        """Return the Page's recent post that carries the article link, None if there is none."""
        graph, page = GraphClient(ctx, self.name), ctx.options.get("page_id", "")
        feed = graph.call("GET", f"{page}/feed", "최근 글 확인", fields="id,message,permalink_url", limit=RECENT_POSTS)
        for item in feed.get("data", []):
            if draft.link in (item.get("message") or ""):
                return Receipt(remote_id=item["id"], remote_url=item.get("permalink_url") or f"https://www.facebook.com/{item['id']}")
        return None

    def check_credentials(self, ctx: PublishContext) -> str:
        page = GraphClient(ctx, self.name).call("GET", str(ctx.options.get("page_id", "me")), "토큰 확인", fields="id,name")
        return f"facebook: 페이지 '{page.get('name', page.get('id'))}'에 글을 쓸 수 있습니다"


class InstagramChannel(TextChannel):
    """An Instagram professional account linked to the Page."""

    name = "instagram"
    max_images = 10
    max_image_bytes = 8_000_000
    max_alt = 1000
    hashtags_max = 30
    separator = "\n\n"

    def limits(self, extra: dict) -> tuple[Limit, ...]:
        return (Limit(2200, grapheme_length, "자"),)

    def render(self, post: Post, account: str, options: dict) -> Draft:
        draft = super().render(post, account, options)
        # Instagram posts need an image: a video post goes out with its share image (cover).
        return draft if draft.media or not post.media else replace(draft, media=post.media[:1])

    def validate(self, draft: Draft) -> list[DraftProblem]:
        problems = super().validate(draft)
        if not draft.media:
            problems.append(DraftProblem("media", "인스타그램 게시물에는 이미지가 하나 이상 있어야 합니다",
                                         "대표 이미지(image)나 카드뉴스 슬라이드를 넣으세요"))
        if len(draft.hashtags) > 30:
            problems.append(DraftProblem("hashtags", f"해시태그가 {len(draft.hashtags)}개로 30개를 넘습니다"))
        for number, item in enumerate(draft.media, start=1):
            where = f"media[{number}]"
            if not item.alt.strip():
                problems.append(DraftProblem(f"{where}.alt", "대체 텍스트가 없습니다", "카드마다 alt를 쓰세요"))
            if item.mime != "image/jpeg":
                problems.append(DraftProblem(where, f"{item.mime} 형식은 올릴 수 없습니다", "JPEG로 저장하세요"))
            if not item.public_url.startswith("https://"):
                problems.append(DraftProblem(where, "공개 https 주소가 없습니다", "사이트를 배포한 뒤 다시 실행하세요"))
            if item.width and item.height and not (0.8 <= item.width / item.height <= 1.91):
                problems.append(DraftProblem(where, f"가로세로 비율 {item.width}×{item.height}는 4:5에서 1.91:1 사이가 아닙니다",
                                             "1080×1350(4:5)이나 1080×1080으로 만드세요"))
        return problems

    def publish(self, draft: Draft, ctx: PublishContext) -> Receipt:
        """Containers (one per image, a carousel for several), wait until FINISHED, then publish."""
        graph, user = GraphClient(ctx, self.name), ctx.options.get("ig_user_id", "")
        if len(draft.media) == 1:
            item = draft.media[0]
            container = graph.call("POST", f"{user}/media", "이미지 컨테이너 만들기", image_url=item.public_url,
                                   caption=draft.text, alt_text=item.alt)["id"]
        else:
            children = []
            for item in draft.media:
                child = graph.call("POST", f"{user}/media", "카드 컨테이너 만들기", image_url=item.public_url,
                                   is_carousel_item="true", alt_text=item.alt)["id"]
                graph.wait_for_container(child)
                children.append(child)
            container = graph.call("POST", f"{user}/media", "캐러셀 컨테이너 만들기", media_type="CAROUSEL",
                                   children=",".join(children), caption=draft.text)["id"]
        graph.wait_for_container(container)
        media_id = graph.call("POST", f"{user}/media_publish", "게시하기", creation_id=container)["id"]
        permalink = graph.call("GET", media_id, "주소 확인", fields="permalink").get("permalink", "")
        return Receipt(remote_id=media_id, remote_url=permalink)

    def reconcile(self, draft: Draft, ctx: PublishContext) -> Receipt | None:
        """Return the account's recent media whose caption carries the article link, None if none."""
        graph, user = GraphClient(ctx, self.name), ctx.options.get("ig_user_id", "")
        media = graph.call("GET", f"{user}/media", "최근 글 확인", fields="id,caption,permalink", limit=RECENT_POSTS)
        for item in media.get("data", []):
            if draft.link in (item.get("caption") or ""):
                return Receipt(remote_id=item["id"], remote_url=item.get("permalink", ""))
        return None

    def check_credentials(self, ctx: PublishContext) -> str:
        graph, user = GraphClient(ctx, self.name), ctx.options.get("ig_user_id", "")
        account = graph.call("GET", str(user), "토큰 확인", fields="id,username")
        quota = graph.call("GET", f"{user}/content_publishing_limit", "게시 한도 확인", fields="quota_usage,config")
        used = (quota.get("data") or [{}])[0].get("quota_usage", "?")
        return f"instagram: @{account.get('username')} 계정, 오늘 {used}/50건 게시"
