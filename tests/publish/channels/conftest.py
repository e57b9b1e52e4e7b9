"""Fixtures of the publisher's channel tests: real local servers, images, a recording transport."""

from __future__ import annotations

from pathlib import Path

import pytest
from site_builder.publish.channel import MediaItem

from .helpers import jpeg
from .servers import mastodon_server, node_binary, node_server


@pytest.fixture(scope="module")
def mastodon_url(tmp_path_factory) -> str:
    """A real mastodon_mock server on loopback (account testuser, token mock_token)."""
    with mastodon_server(tmp_path_factory.mktemp("mastodon")) as base:
        yield base


@pytest.fixture(scope="session")
def bluesky_pds(tmp_path_factory) -> dict:
    """A real Bluesky PDS (@atproto/dev-env) with one account: {url, handle, did, appPassword}."""
    if node_binary() is None:
        pytest.fail("Node 22 is not in node_modules: run `make node_modules/.installed` (make test does)")
    with node_server("bluesky-pds.js", [], tmp_path_factory.mktemp("pds")) as info:
        yield info


@pytest.fixture(scope="module")
def telegram_url(tmp_path_factory) -> str:
    """A real telegram-test-api server on loopback."""
    from .servers import free_port

    if node_binary() is None:
        pytest.fail("Node 22 is not in node_modules: run `make node_modules/.installed` (make test does)")
    with node_server("telegram-server.js", [str(free_port())], tmp_path_factory.mktemp("telegram")) as info:
        yield info["url"]


@pytest.fixture
def make_slides(tmp_path):
    """Return a function making n real JPEG slides as MediaItems."""
    def make(count: int) -> tuple[MediaItem, ...]:
        items = []
        for number in range(1, count + 1):
            path = jpeg(tmp_path / "cards" / f"{number:02d}.jpg", color=(20 * number, 80, 120))
            items.append(MediaItem(path=str(path), public_url=f"https://yours.kr/cards/{number:02d}.jpg",
                                   alt=f"카드 {number}: 청년 자치 회의", width=108, height=135, size=path.stat().st_size))
        return tuple(items)
    return make
