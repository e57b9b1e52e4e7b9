"""Naver Blog: no write API since 6 May 2020, so a kit an editor pastes into SmartEditor ONE."""

from __future__ import annotations

from .manual import ManualChannel


class NaverBlog(ManualChannel):
    """Paste-ready HTML (SmartEditor ONE keeps h2/p/strong/ul/blockquote/a) and images 966 px wide.

    966 px is the width of SmartEditor ONE's document column (the editor shows larger images
    scaled down to it); the editor uploads at most 50 images at once."""

    name = "naver_blog"
    label = "네이버 블로그"
    image_width = 966
    max_images = 50
    title_limit = 100
