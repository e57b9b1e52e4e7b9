"""Brunch (브런치스토리): no public API, so a kit an approved 작가 pastes into Brunch's editor."""

from __future__ import annotations

from .manual import ManualChannel


class Brunch(ManualChannel):
    """Paste-ready HTML and images 1,400 px wide: Brunch shows the body 700 CSS px wide, and
    1,400 px keeps images sharp on 2x screens (Brunch stores and scales what it is given)."""

    name = "brunch"
    label = "브런치"
    image_width = 1400
    max_images = 50
    title_limit = 40
