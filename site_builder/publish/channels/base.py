"""What the API channels share: composing the text from a post, and checking media.

A channel says how its network counts (`limits`), where the link goes (`link_in_text`) and which
media it takes; `TextChannel.render` then builds the same shape everywhere:

    [인터뷰] title
    (blank line)
    summary                 <- or the front matter override `social: {<channel>: text}`
    (blank line)
    link                    <- never cut
    #해시태그 #태그          <- dropped from the end first when space runs out

The body is shortened at a grapheme boundary with '…' until every limit of the network holds.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import replace
from site_builder.publish.channel import Draft, DraftProblem, MediaItem, Post
from site_builder.publish.text import Limit, channel_link, check_limits, fit_text, hashtags


def post_body(post: Post, channel: str) -> str:
    """Return the text before the link: the channel's front matter override, or label, title and summary."""
    override = (post.overrides or {}).get(channel)
    if override:
        return override.strip()
    title = f"[{post.kind_label}] {post.title}" if post.kind_label else post.title
    return f"{title}\n\n{post.summary}".strip()


def post_images(post: Post, maximum: int) -> tuple[MediaItem, ...]:
    """Return the images a post carries to a network: card news slides up to maximum, none for video."""
    if post.kind == "video":
        return ()      # video posts link to the article page, whose player the networks cannot embed
    return tuple(post.media[:maximum])


class TextChannel(ABC):
    """Base of the API channels: render with the network's limits; validate text and media."""

    name = ""
    kind = "api"
    max_images = 4
    max_image_bytes = 10_000_000
    max_alt = 1500
    hashtags_max: int | None = None
    link_in_text = True
    separator = "\n\n"

    @abstractmethod
    def limits(self, draft_extra: dict) -> tuple[Limit, ...]:
        """Return the limits of the text, given the draft's extra (options recorded at render)."""

    def link_text(self, link: str) -> str:
        """Return how the link appears in the text ("" where the network attaches it outside the text)."""
        return link if self.link_in_text else ""

    def render_extra(self, post: Post, options: dict) -> dict:
        """Return the network-specific extra recorded at render (e.g. an instance's own limit)."""
        return {}

    def finish(self, draft: Draft, post: Post, options: dict) -> Draft:
        """Return the draft with network-specific structure added (facets, cost, ...)."""
        return draft

    def render(self, post: Post, account: str, options: dict) -> Draft:
        """Return this network's draft of the post (pure)."""
        link = channel_link(post.url, self.name, options, campaign=post.id)
        extra = self.render_extra(post, options)
        tags = hashtags(post.tags, options.get("hashtags_max", self.hashtags_max)) if options.get("hashtags", True) else ()
        tail = self.link_text(link)
        text, kept = fit_text(post_body(post, self.name), tail, self.limits(extra), tags, self.separator)
        draft = Draft(channel=self.name, account=account, post_id=post.id, text=text, link=link,
                      media=post_images(post, self.max_images), hashtags=kept, extra=extra)
        return self.finish(draft, post, options)

    def validate(self, draft: Draft) -> list[DraftProblem]:
        """Return every reason the network would refuse the draft (pure)."""
        problems = [DraftProblem("text", message, "본문을 줄이거나 front matter의 social 항목으로 이 채널용 글을 따로 쓰세요")
                    for message in check_limits(draft.text, self.limits(draft.extra))]
        if not draft.text.strip() and not draft.media:
            problems.append(DraftProblem("text", "보낼 글이 비어 있습니다", "제목이나 요약을 채우세요"))
        label = self.link_text(draft.link)
        if label and label not in draft.text:
            problems.append(DraftProblem("text", "글에 기사 링크가 없습니다", "social 항목의 글이 너무 길면 링크가 들어갈 자리가 없습니다"))
        problems += self.validate_media(draft)
        return problems

    def validate_media(self, draft: Draft) -> list[DraftProblem]:
        """Return problems with the draft's images: count, size, alt text."""
        problems = []
        if len(draft.media) > self.max_images:
            problems.append(DraftProblem("media", f"이미지가 {len(draft.media)}장으로 {self.max_images}장을 넘습니다",
                                         f"앞의 {self.max_images}장만 올리세요"))
        for number, item in enumerate(draft.media, start=1):
            size = item.size   # recorded by the core when it built the Post: validate does no I/O
            if size > self.max_image_bytes:
                problems.append(DraftProblem(f"media[{number}]", f"{size:,}바이트로 {self.max_image_bytes:,}바이트를 넘습니다",
                                             "이미지를 줄여 다시 저장하세요"))
            if len(item.alt) > self.max_alt:
                problems.append(DraftProblem(f"media[{number}].alt", f"대체 텍스트가 {len(item.alt):,}자로 {self.max_alt:,}자를 넘습니다",
                                             "대체 텍스트를 줄이세요"))
        return problems


def with_extra(draft: Draft, **values) -> Draft:
    """Return a copy of draft with values added to its extra."""
    return replace(draft, extra={**draft.extra, **values})
