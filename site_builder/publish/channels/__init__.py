"""One module per network. `API_CHANNELS` maps the channel names used in mkdocs.yml to their classes."""

from __future__ import annotations

from site_builder.publish.channels.bluesky import BlueskyChannel
from site_builder.publish.channels.graph import FacebookChannel, InstagramChannel
from site_builder.publish.channels.mastodon import MastodonChannel
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
