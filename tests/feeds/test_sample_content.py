"""The repository's sample content (content/, written alongside) gives valid feeds too."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest

from site_builder.catalog import load_catalog
from site_builder.feeds import feed_problems, render_feeds

from .validators import atom_errors, json_feed_errors, rss_errors

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def sample():
    return load_catalog(REPO)


def test_every_sample_feed_is_valid_in_its_format(sample):
    feeds = render_feeds(sample)
    assert feeds.keys() >= {"atom.xml", "feed.xml", "feed.json"}
    failures = {}
    for path, data in feeds.items():
        if path.endswith(".json"):
            errors = json_feed_errors(data)
        else:
            errors = atom_errors(data) if path.endswith("atom.xml") else rss_errors(data)
            parsed = feedparser.parse(data)
            if parsed.bozo:
                errors.append(str(parsed.bozo_exception))
        if errors:
            failures[path] = errors[:3]
    assert failures == {}


def test_sample_has_no_feed_errors(sample):
    assert [str(p) for p in feed_problems(sample) if p.is_error] == []
