"""Kakao Talk Channel 소식: no API for channel posts, so a kit of the four fields an editor fills in.

The limits below are conservative defaults (the 소식 editor of the Kakao Business admin shows its
counters, but its limits are not documented in the material we could read); mkdocs.yml may change
them per account with `title_limit`, `body_limit` and `button_limit`. Counted in UTF-16 units,
as the admin's web counters do (an emoji counts 2). The body holds no address: the 소식 body is
not linked, the button carries the link."""

from __future__ import annotations

from ..channel import Draft, DraftProblem, Post
from .manual import ManualChannel, check_media, cut, hashtags, utf16_length

TITLE_LIMIT = 30
BODY_LIMIT = 1000
BUTTON_LIMIT = 14
BUTTON_LABELS = {"cardnews": "카드뉴스 보기", "video": "영상 보기", "infographic": "인포그래픽 보기",
                 "newsletter": "뉴스레터 읽기"}


class KakaoChannel(ManualChannel):
    """Title, body, button label and UTM link for a 소식, and images 800 px wide (Kakao's 800 px cards)."""

    name = "kakao_channel"
    label = "카카오톡 채널"
    image_width = 800
    max_images = 30

    def render(self, post: Post, account: str, options: dict) -> Draft:
        """Title = the post's title; body = the summary (or the front matter override) and the hashtags."""
        link = self.link(post, options)
        title_limit = int(options.get("title_limit", TITLE_LIMIT))
        body_limit = int(options.get("body_limit", BODY_LIMIT))
        tags = hashtags(post.tags, limit=5)
        text = post.overrides.get(self.name) or post.summary
        tail = ("\n\n" + " ".join(tags)) if tags else ""
        body = cut(text, body_limit - utf16_length(tail)) + tail
        label = options.get("button_label") or BUTTON_LABELS.get(post.kind, "기사 읽기")
        return Draft(channel=self.name, account=account, post_id=post.id, text=body, link=link,
                     media=post.media, hashtags=tags,
                     extra={"title": cut(post.title, title_limit), "body": body, "button_label": label,
                            "button_url": link, "label": self.label,
                            "limits": {"title": title_limit, "body": body_limit,
                                       "button_label": int(options.get("button_limit", BUTTON_LIMIT))}})

    def validate(self, draft: Draft) -> list[DraftProblem]:
        """Each field within its limit, an https button link, no address in the body, alt text for each image."""
        limits = draft.extra.get("limits", {"title": TITLE_LIMIT, "body": BODY_LIMIT, "button_label": BUTTON_LIMIT})
        names = {"title": "제목", "body": "본문", "button_label": "버튼 이름"}
        problems = []
        for key, name in names.items():
            value = draft.extra.get(key, "")
            if not value.strip():
                problems.append(DraftProblem(key, f"{name}이(가) 비어 있습니다", "키트에서 채워 넣습니다"))
            elif utf16_length(value) > limits[key]:
                problems.append(DraftProblem(key, f"{name}이(가) {utf16_length(value)}자로 {limits[key]}자를 넘습니다",
                                             f"{limits[key]}자 안으로 줄입니다"))
        if not draft.extra.get("button_url", "").startswith("https://"):
            problems.append(DraftProblem("button_url", "버튼 링크가 https 주소가 아닙니다",
                                         "mkdocs.yml의 site_url을 https로 씁니다"))
        if "http://" in draft.extra.get("body", "") or "https://" in draft.extra.get("body", ""):
            problems.append(DraftProblem("body", "본문에 주소가 있습니다 (소식 본문의 주소는 눌리지 않습니다)",
                                         "주소는 버튼 링크에만 넣습니다"))
        return problems + check_media(draft.media, self.max_images)
