"""render_output_files after one body edit (an incremental build's second process): every feed and search file
byte for byte what a clean build makes, only the files that change made as bytes (the rest: paths into the
previous site), only the edited article's search doc made; a damaged cache costs time, never correctness."""

from __future__ import annotations

import shutil
from pathlib import Path

import site_builder.search.patch as patch
from site_builder.build.contributions import render_output_files
from site_builder.build.pipeline import build_site
from site_builder.catalog import load_catalog
from site_builder.render.html import BodyCache, use_body_cache
from tests.conftest import FIXED_NOW

MEETING = Path("content/meeting/2018-09-21-first-meeting.md")


def output_files(catalog, *, previous: Path | None = None, changed_ids=frozenset(), cache: Path | None = None):
    """What the build's second process returns, with the body cache it uses (cache: None for none)."""
    old = use_body_cache(BodyCache(cache))
    try:
        return render_output_files(catalog, previous=previous, changed_ids=changed_ids)
    finally:
        use_body_cache(old)


def contents(files: dict) -> dict[str, bytes]:
    return {name: (data / name).read_bytes() if isinstance(data, Path) else data for name, data in files.items()}


def test_one_body_edit_gives_the_clean_files_and_makes_only_what_changed(site_project: Path, tmp_path: Path,
                                                                        monkeypatch) -> None:
    build_site(site_project, now=FIXED_NOW)
    bodies = site_project / ".cache" / "site-builder" / "bodies.json"
    site = site_project / "site"
    unchanged = output_files(load_catalog(site_project, now=FIXED_NOW), previous=site, cache=bodies)
    search = {name: data for name, data in unchanged.items() if name.startswith("search/")}
    assert search and all(data == site for data in search.values())   # nothing changed: every file as it was
    assert search.keys() == {p.relative_to(site).as_posix() for p in (site / "search").rglob("*")
                             if p.is_file()} - {"search/index.html"}   # (the search page is a page)
    (site_project / MEETING).write_text((site_project / MEETING).read_text(encoding="utf-8")
                                        + "\n양자컴퓨터 이야기도 나왔다.\n", encoding="utf-8")
    catalog = load_catalog(site_project, now=FIXED_NOW)
    meeting = next(a for a in catalog.articles if a.source == MEETING.relative_to("content").as_posix())
    clean_copy = tmp_path / "clean"
    shutil.copytree(site_project, clean_copy, ignore=shutil.ignore_patterns("site", ".cache", ".site*"))
    clean = contents(output_files(load_catalog(clean_copy, now=FIXED_NOW)))
    snapshot = tmp_path / "cache"
    shutil.copytree(site_project / ".cache", snapshot)

    made: list[str] = []
    article_doc = patch.article_doc
    monkeypatch.setattr(patch, "article_doc", lambda catalog, article: made.append(article.id) or
                        article_doc(catalog, article))
    got = output_files(catalog, previous=site_project / "site", changed_ids=frozenset({meeting.id}), cache=bodies)
    assert contents(got) == clean
    assert made == [meeting.id]   # the other articles' search docs were not made, nor read from the cache
    rendered = {name for name, data in got.items() if not isinstance(data, Path)}
    search = {name for name in rendered if name.startswith("search/")}
    assert "search/manifest.json" in search and not any(n.startswith(("search/d/", "search/facets")) for n in search)
    assert len([n for n in search if n.startswith("search/x/")]) == 1
    assert len(search) < len([n for n in got if n.startswith("search/")]) / 2
    assert "atom.xml" in rendered or any(n.startswith("feeds/archive/") for n in rendered)

    # a damaged cache: the same files, made the long way
    for damage in ("index.bin", "state.json", "bodies.json"):
        shutil.rmtree(site_project / ".cache")
        shutil.copytree(snapshot, site_project / ".cache")
        target = bodies if damage == "bodies.json" else site_project / ".cache" / "site-builder" / "search" / damage
        data = target.read_bytes()
        target.write_bytes(data[: len(data) // 2] + b"\x00garbage" + data[len(data) // 2 + 8:])
        again = output_files(catalog, previous=site_project / "site", changed_ids=frozenset({meeting.id}),
                             cache=bodies)
        assert contents(again) == clean, damage
