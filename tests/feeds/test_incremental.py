"""After one article's body is edited, render_feeds(previous=..., changed_ids=...) renders exactly the feed
documents that carry that article, and together with the previous files gives what a clean render gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.feeds import render_feeds

from .conftest import load
from .test_archive import limit


def write(files: dict[str, bytes], folder: Path) -> None:
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)


def edit_body(site: Path, source: str) -> None:
    path = site / "content" / source
    path.write_text(path.read_text(encoding="utf-8") + "\n덧붙인 문단.\n", encoding="utf-8")


@pytest.mark.parametrize("which", ["newest", "oldest"])
def test_a_body_edit_renders_only_the_documents_that_carry_the_article(site: Path, tmp_path: Path, which: str) -> None:
    limit(site, site_limit=2, archive_size=4)  # 6 articles: the subscription holds the newest 2, archive 1 (full)
    # the oldest 4
    before = render_feeds(load(site))
    previous = tmp_path / "previous"
    write(before, previous)
    catalog = load(site)
    article = catalog.articles[0] if which == "newest" else catalog.articles[-1]
    edit_body(site, article.source)
    catalog = load(site)
    clean = render_feeds(catalog)
    got = render_feeds(catalog, previous=previous, changed_ids=frozenset({article.id}))

    assert got.keys() == clean.keys()
    assert {name: (data / name).read_bytes() if isinstance(data, Path) else data for name, data in got.items()} == clean
    rendered = {name for name, data in got.items() if not isinstance(data, Path)}
    carrying = {name for name in clean if clean[name] != before[name]}   # the documents that show the edit
    assert rendered == carrying
    site_documents = {name for name in rendered if name.startswith("feeds/archive/") or "/" not in name}
    if which == "newest":
        assert site_documents == {"atom.xml", "feed.xml", "feed.json"}  # no archive is rendered again
    else:
        assert site_documents == {"feeds/archive/1.atom.xml", "feeds/archive/1.rss.xml", "feeds/archive/1.json"}
    kind = f"feeds/kind/{article.kind}.atom.xml"
    assert kind in rendered and len(rendered) < len(clean) / 2
