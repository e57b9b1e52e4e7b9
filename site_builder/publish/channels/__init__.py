"""One module per network. `API_CHANNELS` and `MANUAL_CHANNELS` map the channel names used in mkdocs.yml
to their classes (manual channels get a kit instead of a post)."""

from __future__ import annotations

from site_builder.publish.channels.bluesky import BlueskyChannel
from site_builder.publish.channels.brunch import Brunch
from site_builder.publish.channels.graph import FacebookChannel, InstagramChannel
from site_builder.publish.channels.kakao_channel import KakaoChannel
from site_builder.publish.channels.mastodon import MastodonChannel
from site_builder.publish.channels.naver_blog import NaverBlog
from site_builder.publish.channels.telegram import TelegramChannel
from site_builder.publish.channels.threads import ThreadsChannel
from site_builder.publish.channels.x import XChannel

API_CHANNELS: dict[str, type] = {
    "mastodon": MastodonChannel,
    "bluesky": BlueskyChannel,
    "facebook": FacebookChannel,
    "instagram": InstagramChannel,
    "threads": ThreadsChannel,
    "telegram": TelegramChannel,
    "x": XChannel,
}

MANUAL_CHANNELS: dict[str, type] = {"naver_blog": NaverBlog, "brunch": Brunch, "kakao_channel": KakaoChannel}
