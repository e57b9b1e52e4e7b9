"""The channels the publisher knows: a plain dict from a channel name (as written in mkdocs.yml under
`extra.site_builder.publish.channels`) to the class implementing `publish.channel.Channel`.

Adding a network is one module under `publish/channels/` and one line here, e.g.

    from .channels.mastodon import MastodonChannel
    REGISTRY["mastodon"] = MastodonChannel

The core instantiates each class with no arguments (`cls()`); everything per account comes in
`options` and `PublishContext`. Tests pass their own registry to the runner instead of editing this one.
"""

from __future__ import annotations

from .channels import API_CHANNELS, MANUAL_CHANNELS

# mastodon, bluesky, facebook, instagram, threads, telegram, x; naver_blog, brunch, kakao_channel (kits)
REGISTRY: dict[str, type] = {**API_CHANNELS, **MANUAL_CHANNELS}


def channel_class(name: str) -> type | None:
    """Return the class registered under name, or None."""
    return REGISTRY.get(name)
