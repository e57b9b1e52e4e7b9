"""site.adapter.render_pages: a few pages rendered without the full build are the bytes the full build
wrote for them (the page and its share image), and nothing is written into the site."""

from __future__ import annotations

import logging
import re
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from benchmarks.generate import generate
from site_builder.build.contributions import contributions
from site_builder.build.pipeline import build_site
from site_builder.config import KST
from site_builder.render.request import BuildRequest, RenderFailed
from site_builder.site.adapter import PLUGIN, render_pages
from tests.conftest import FIXED_NOW, REPO, copy_site
from tests.site.test_build_behaviour import snapshot

KITS = {"2018-09-05-prep-team": ["naver_blog"]}
KIT_PAGE = "publish/kits/2018-09-05-prep-team/index.md"
INTERVIEW = "interview/2018-09-05-prep-team.md"   # links to the first meeting; has a cover image
_OG = re.compile(r'property="og:image" content="[^"]*/(assets/og/[0-9a-f]+\.(?:png|jpg))"')


def _request(result, kits=None) -> BuildRequest:
    """The request the build made (its catalog and time, the outputs' contributions)."""
    catalog = result.catalog
    return BuildRequest(catalog=catalog, now=catalog.now,
                        contributions=contributions(catalog, with_files=False, kits=kits))


def _assert_as_built(out: dict[str, bytes], site: Path, pages: set[str]) -> None:
    """out holds exactly these pages and their share images, each as the build wrote it."""
    images = {m.group(1) for rel in pages for m in _OG.finditer((site / rel).read_text(encoding="utf-8"))}
    assert set(out) == pages | images
    for rel, data in out.items():
        assert data == (site / rel).read_bytes(), rel


def test_pages_of_every_kind_are_the_bytes_the_build_wrote_and_a_body_edit_too(site_project: Path) -> None:
    result = build_site(site_project, now=FIXED_NOW, kits=KITS)
    catalog = result.catalog
    site = site_project / "site"
    uris = [a.source for a in catalog.articles] + [p.source for p in catalog.pages] + ["index.md", KIT_PAGE]
    pages = {a.url + "index.html" for a in catalog.articles} | {p.url + "index.html" for p in catalog.pages}
    pages |= {"index.html", "publish/kits/2018-09-05-prep-team/index.html"}
    before = snapshot(site)
    plugin = result.live.plugins[PLUGIN]   # the build's state, which the live preview renders pages from
    state = dict(vars(plugin))

    out = render_pages(_request(result, KITS), uris)

    _assert_as_built(out, site, pages)
    assert snapshot(site) == before                  # nothing written into the site
    assert vars(plugin).keys() == state.keys()      # the build's state is still there (its options reloaded)
    assert all(vars(plugin)[k] is v for k, v in state.items() if k != "config") and plugin.config == state["config"]
    assert not list((site_project / ".cache" / "site-builder").glob("pages-*"))   # nor left behind
    page = out["interview/prep-team/index.html"].decode("utf-8")
    assert 'href="../../meeting/first-meeting/"' in page    # the body's link to another article's source

    # after a body edit: what the (incremental) build makes of it
    path = site_project / "content" / INTERVIEW
    path.write_text(path.read_text(encoding="utf-8") + "\n덧붙인 문단입니다.\n", encoding="utf-8")
    again = build_site(site_project, now=FIXED_NOW, kits=KITS)
    assert again.changed == 1
    out = render_pages(_request(again, KITS), [INTERVIEW])
    _assert_as_built(out, site, {"interview/prep-team/index.html"})
    assert "덧붙인 문단입니다." in out["interview/prep-team/index.html"].decode("utf-8")


def test_the_sample_archive_first_and_last_articles_and_articles_with_links_slides_and_video(tmp_path: Path) -> None:
    project = tmp_path / "sample"
    project.mkdir()
    shutil.copytree(REPO / "content", project / "content")
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(config.replace("custom_dir: themes", f"custom_dir: {REPO / 'themes'}"),
                                        encoding="utf-8")
    result = build_site(project, now=datetime(2026, 6, 1, 9, 0, tzinfo=KST))
    articles = result.catalog.articles
    chosen = {articles[0], articles[-1]}   # the newest and the oldest: one neighbour each
    chosen |= {a for a in articles if a.source in ("column/2018-12-12-why-we-archive.md",   # links to articles
                                                   "feature/2018-10-22-n-conference-guide.md")}
    chosen |= {next(a for a in articles if a.kind == kind) for kind in ("cardnews", "video", "interview", "infographic")}
    about = next(p for p in result.catalog.pages if p.slug == "about")
    out = render_pages(_request(result), [a.source for a in chosen] + [about.source])
    _assert_as_built(out, project / "site", {a.url + "index.html" for a in chosen} | {about.url + "index.html"})
    assert any(a.slides for a in chosen) and any(a.lead_image for a in chosen)


def test_a_generated_archive_with_listing_pages(tmp_path: Path) -> None:
    project = tmp_path / "generated"
    generate(project, 40)
    result = build_site(project, now=FIXED_NOW)
    articles = result.catalog.articles
    chosen = [articles[0], articles[len(articles) // 2], articles[-1]]
    listing = result.catalog.listings("tag")[0]
    uris = [a.source for a in chosen] + [f"{listing.url}index.md", "archive/index.md", "subscribe/index.md"]
    out = render_pages(_request(result), uris)
    _assert_as_built(out, project / "site", {a.url + "index.html" for a in chosen}
                     | {f"{listing.url}index.html", "archive/index.html", "subscribe/index.html"})


def test_a_link_to_a_page_not_built_is_warned_as_the_build_warns_it_and_fails_under_strict(
        site_project: Path, caplog, monkeypatch) -> None:
    # one rendering process: a page's body is converted (and its links warned about) by the process
    # that renders it, and only this one's log is captured here
    monkeypatch.setenv("SITE_BUILDER_JOBS", "1")
    path = site_project / "content" / INTERVIEW
    # a scheduled article: the content check only warns, MkDocs finds no page there (the build leaves it out)
    path.write_text(path.read_text(encoding="utf-8") + "\n[예정된 글](../feature/2030-01-01-future.md)\n",
                    encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        result = build_site(site_project, now=FIXED_NOW)
    warned = [r.getMessage() for r in caplog.records if "2030-01-01-future.md" in r.getMessage()]
    assert warned and all(r.levelno == logging.WARNING for r in caplog.records if "2030-01-01-future.md" in r.getMessage())
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        render_pages(_request(result), [INTERVIEW])
    assert [r.getMessage() for r in caplog.records if "2030-01-01-future.md" in r.getMessage()] == warned

    config = site_project / "mkdocs.yml"
    config.write_text("strict: true\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(RenderFailed, match="strict"):
        render_pages(_request(result), [INTERVIEW])
    with pytest.raises(RenderFailed, match="strict"):
        build_site(site_project, now=FIXED_NOW, incremental=False)


def test_a_page_that_fails_to_render_is_named_and_nothing_is_written(tmp_path: Path) -> None:
    project = copy_site(REPO / "tests" / "fixtures" / "site", tmp_path / "project")
    shutil.copytree(REPO / "themes", project / "themes")
    config = project / "mkdocs.yml"
    config.write_text(re.sub(r"custom_dir: .*", "custom_dir: themes", config.read_text(encoding="utf-8")),
                      encoding="utf-8")
    template = project / "themes" / "sb-article.html"
    source = template.read_text(encoding="utf-8")
    assert "{% block content %}" in source
    template.write_text(source.replace("{% block content %}", "{% block content %}{{ sb.no_such_helper() }}", 1),
                        encoding="utf-8")
    from site_builder.catalog import load_catalog
    from site_builder.config import load_config

    catalog = load_catalog(load_config(project), now=FIXED_NOW)
    request = BuildRequest(catalog=catalog, now=FIXED_NOW, contributions=contributions(catalog, with_files=False))
    with pytest.raises(RenderFailed, match=re.escape(INTERVIEW)):
        render_pages(request, ["pages/about.md", INTERVIEW])
    assert not (project / "site").exists()
    with pytest.raises(RenderFailed, match="no-such-page.md"):
        render_pages(request, ["no-such-page.md"])


def test_files_looked_up_one_by_one_are_the_full_builds_files(site_project: Path) -> None:
    """site.selected.SiteFiles against the collection a full build makes (get_files, the theme's files, the
    plugin's on_files), including a folder where two files want one destination."""
    from site_builder.catalog import load_catalog
    from site_builder.config import load_config
    from site_builder.site.adapter import _load
    from site_builder.site.selected import SiteFiles

    catalog = load_catalog(load_config(site_project), now=FIXED_NOW)
    images = site_project / "content" / "images"   # (the content check would refuse index.md: written after it)
    (images / "index.html").write_text("<p>an index</p>", encoding="utf-8")
    (images / "index.md").write_text("# not a page of the site\n", encoding="utf-8")
    mk = _load(BuildRequest(catalog=catalog, now=FIXED_NOW), site_project / "site")
    plugin = mk.plugins[PLUGIN]
    plugin.request = BuildRequest(catalog=catalog, now=FIXED_NOW)
    try:
        mk = mk.plugins.on_config(mk)
        env = mk.theme.get_env()
        full = SiteFiles(mk, plugin, env).full()
        one_by_one = SiteFiles(mk, plugin, env)
        for file in full:
            found = one_by_one.get_file_from_path(file.src_uri)
            assert found is not None, file.src_uri
            assert (found.src_uri, found.dest_uri, found.url, found.inclusion, found.abs_src_path) == \
                   (file.src_uri, file.dest_uri, file.url, file.inclusion, file.abs_src_path)
        assert "images/index.html" not in full.src_uris      # lost to index.md, which on_files then drops
        assert any(f.src_uri.startswith("assets/") and "material" in (f.abs_src_path or "") for f in full)
        for absent in ("feature/2018-11-01-draft-note.md", "feature/2030-01-01-future.md", "authors.yml",
                       "images/index.html", "images/index.md", "nope.md", "../mkdocs.yml", "images",
                       "main.html", "partials/header.html"):
            assert absent not in full.src_uris
            assert one_by_one.get_file_from_path(absent) is None, absent
    finally:
        plugin.request = None
