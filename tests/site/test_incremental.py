"""Incremental rebuilds: only pages whose article body changed are made again, and the result is
byte for byte what a full build makes. Anything else builds everything."""

from __future__ import annotations

import json

import os
from datetime import timedelta
from pathlib import Path

from site_builder.build.pipeline import build_site
from site_builder.cli import main
from site_builder.render.request import RenderFailed
from tests.conftest import FIXED_NOW
from tests.site.test_build_behaviour import snapshot

MEETING = Path("content/meeting/2018-09-21-first-meeting.md")


def _append(project: Path, rel: Path, text: str) -> None:
    path = project / rel
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _replace(project: Path, rel: Path, old: str, new: str) -> None:
    path = project / rel
    source = path.read_text(encoding="utf-8")
    assert old in source
    path.write_text(source.replace(old, new, 1), encoding="utf-8")


def _full(project: Path, tmp_path: Path, now=FIXED_NOW) -> dict[str, str]:
    """What a full build of the project as it is now makes (into a folder of its own)."""
    build_site(project, site_dir=tmp_path / "full", now=now, incremental=False)
    return snapshot(tmp_path / "full")


def test_a_body_change_rebuilds_only_its_page_and_matches_a_full_build(site_project: Path, tmp_path: Path) -> None:
    first = build_site(site_project, now=FIXED_NOW)
    assert first.changed is None  # nothing to start from: a full build
    before = snapshot(site_project / "site")
    _append(site_project, MEETING, "\n덧붙인 문단입니다.\n")
    result = build_site(site_project, now=FIXED_NOW)
    assert result.changed == 1
    after = snapshot(site_project / "site")
    assert after == _full(site_project, tmp_path)
    changed = {path for path in after if after[path] != before.get(path)}
    # the article's page, the search index, and the feeds that carry the article (site-wide and its listings)
    assert "meeting/first-meeting/index.html" in changed
    assert "search/manifest.json" in changed and any(p.startswith("search/k/") for p in changed)
    assert "atom.xml" in changed
    assert all(p.endswith((".xml", ".json")) or p == "meeting/first-meeting/index.html" or p == "sitemap.xml.gz"
               or p.startswith("search/x/") for p in changed), sorted(changed)
    # of the search index, only the article's own text, the manifest and the shards of the new words changed
    from site_builder.search.analysis import deletions, shard_hash, text_keys

    manifest = json.loads((site_project / "site" / "search" / "manifest.json").read_text(encoding="utf-8"))
    words: set[str] = set()
    keys = text_keys("덧붙인 문단입니다.", words=words)
    allowed = {f"search/k/{shard_hash(k) & (manifest['shards'] - 1)}.json" for k in keys}
    allowed |= {f"search/t/{shard_hash(v) & (manifest['typo_shards'] - 1)}.json" for w in words for v in deletions(w) | {w}}
    search_changed = {p for p in changed if p.startswith("search/")} - {"search/manifest.json"}
    assert {p for p in search_changed if not p.startswith("search/x/")} <= allowed, sorted(search_changed)
    page = (site_project / "site" / "meeting" / "first-meeting" / "index.html").read_text(encoding="utf-8")
    assert "덧붙인 문단입니다." in page
    assert any("덧붙인 문단입니다" in (site_project / "site" / p).read_text(encoding="utf-8")
               for p in changed if p.startswith("search/x/"))


def test_nothing_changed_rebuilds_nothing_and_matches_a_full_build(site_project: Path, tmp_path: Path) -> None:
    build_site(site_project, now=FIXED_NOW)
    inode = os.stat(site_project / "site" / "index.html").st_ino
    result = build_site(site_project, now=FIXED_NOW)
    assert result.changed == 0
    assert os.stat(site_project / "site" / "index.html").st_ino == inode  # the previous page, linked
    assert snapshot(site_project / "site") == _full(site_project, tmp_path)


def test_changes_seen_on_other_pages_build_everything(site_project: Path, tmp_path: Path) -> None:
    build_site(site_project, now=FIXED_NOW)
    edits = [
        lambda: _replace(site_project, MEETING, "title: ", "title: 고친 제목 "),            # shows on listings
        lambda: _append(site_project, MEETING, "\n" + "아주 긴 문단입니다. " * 400 + "\n"),  # reading time on cards
        lambda: (site_project / "content/feature/2018-12-20-new.md").write_text("\n".join(
            line for line in (site_project / "content/feature/2018-09-28-core-projects.md").read_text(encoding="utf-8")
            .replace("date: 2018-09-28", "date: 2018-12-20").replace("title: ", "title: 새 글 ", 1).splitlines()
            if not line.startswith(("updated:", "slug:", "aliases:"))) + "\n", encoding="utf-8"),  # a new article
        lambda: (site_project / "content/meeting/2018-10-02-second-meeting.md").unlink(),      # a deleted one
        lambda: _replace(site_project, Path("content/authors.yml"), "bio: ", "bio: 새 소개. "),   # data files
        lambda: _append(site_project, Path("mkdocs.yml"), "\n# 설정 주석\n"),                  # settings
    ]
    for number, edit in enumerate(edits):
        edit()
        result = build_site(site_project, now=FIXED_NOW)
        assert result.changed is None, f"edit {number} should have built everything"
    assert snapshot(site_project / "site") == _full(site_project, tmp_path)


def test_a_theme_change_builds_everything(site_project: Path, tmp_path: Path) -> None:
    import shutil

    from tests.conftest import REPO

    theme = tmp_path / "themes"
    shutil.copytree(REPO / "themes", theme)
    config = site_project / "mkdocs.yml"
    config.write_text("\n".join(f"  custom_dir: {theme}" if line.strip().startswith("custom_dir:") else line
                                for line in config.read_text(encoding="utf-8").splitlines()) + "\n",
                      encoding="utf-8")
    build_site(site_project, now=FIXED_NOW)
    footer = theme / "partials" / "sb-footer.html"
    footer.write_text(footer.read_text(encoding="utf-8") + "<!-- 바뀐 꼬리말 -->\n", encoding="utf-8")
    result = build_site(site_project, now=FIXED_NOW)
    assert result.changed is None
    assert "바뀐 꼬리말" in (site_project / "site" / "about" / "index.html").read_text(encoding="utf-8")


def test_a_new_day_or_a_changed_site_builds_everything(site_project: Path, tmp_path: Path) -> None:
    build_site(site_project, now=FIXED_NOW)
    assert build_site(site_project, now=FIXED_NOW + timedelta(days=1)).changed is None
    index = site_project / "site" / "search" / "manifest.json"
    index.write_text(index.read_text(encoding="utf-8").replace('"docs"', '"docs" ', 1), encoding="utf-8")
    assert build_site(site_project, now=FIXED_NOW + timedelta(days=1)).changed is None  # edited by hand
    assert build_site(site_project, now=FIXED_NOW + timedelta(days=1), incremental=False).changed is None
    assert snapshot(site_project / "site") == _full(site_project, tmp_path, FIXED_NOW + timedelta(days=1))


def test_a_page_missing_from_the_previous_site_falls_back_to_a_full_build(site_project: Path,
                                                                         tmp_path: Path) -> None:
    build_site(site_project, now=FIXED_NOW)
    (site_project / "site" / "about" / "index.html").unlink()
    _append(site_project, MEETING, "\n덧붙인 문단입니다.\n")
    result = build_site(site_project, now=FIXED_NOW)
    assert result.changed is None
    assert snapshot(site_project / "site") == _full(site_project, tmp_path)


def test_a_failed_incremental_build_keeps_the_site_and_its_state(site_project: Path, tmp_path: Path,
                                                                 monkeypatch) -> None:
    import mkdocs.commands.build as mkbuild

    build_site(site_project, now=FIXED_NOW)
    before = snapshot(site_project / "site")
    _append(site_project, MEETING, "\n덧붙인 문단입니다.\n")
    real = mkbuild._build_page

    def broken(page, *args, **kwargs):
        if page.file.src_uri == str(MEETING.relative_to("content")):
            raise RuntimeError("렌더링 실패")
        return real(page, *args, **kwargs)

    monkeypatch.setattr(mkbuild, "_build_page", broken)
    try:
        build_site(site_project, now=FIXED_NOW)
    except (RuntimeError, RenderFailed):   # RenderFailed: the page rendered alone (in place) failed
        pass
    else:  # pragma: no cover
        raise AssertionError("the build should have failed")
    assert snapshot(site_project / "site") == before  # hard links did not let the failed build touch it
    monkeypatch.setattr(mkbuild, "_build_page", real)
    result = build_site(site_project, now=FIXED_NOW)
    assert result.changed == 1
    assert snapshot(site_project / "site") == _full(site_project, tmp_path)


def test_the_cli_says_what_it_rebuilt(site_project: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("SITE_BUILDER_NOW", FIXED_NOW.isoformat())
    assert main(["--root", str(site_project), "build", "--quiet"]) == 0
    _append(site_project, MEETING, "\n덧붙인 문단입니다.\n")
    capsys.readouterr()
    assert main(["--root", str(site_project), "build", "--quiet"]) == 0
    assert "본문이 바뀐 글 1개만 다시 만들고 나머지는 이전 빌드에서 가져옴" in capsys.readouterr().out
    _append(site_project, MEETING, "\n한 번 더.\n")
    assert main(["--root", str(site_project), "build", "--quiet", "--full"]) == 0
    assert "이전 빌드에서 가져옴" not in capsys.readouterr().out


def test_the_body_cache_survives_only_what_it_can_trust(tmp_path: Path) -> None:
    import json
    import sqlite3

    from site_builder.render.html import BodyCache, renderer_version
    from site_builder.render.markdown import render_markdown, sanitize_html

    path = tmp_path / "bodies.json"
    first = BodyCache(path)
    html = first.render("## 제목\n\n본문 **강조**.\n")
    assert html == sanitize_html(render_markdown("## 제목\n\n본문 **강조**.\n"))
    first.save()
    again = BodyCache(path)
    assert len(again.stored) == 1 and again.render("## 제목\n\n본문 **강조**.\n") == html
    again.render("다른 글.")
    again.save()
    assert len(BodyCache(path).stored) == 2
    third = BodyCache(path)
    third.render("다른 글.")
    third.save(keep=set(third.stored))
    assert len(BodyCache(path).stored) == 2  # a build that used one body keeps the others still in the archive
    fourth = BodyCache(path)
    fourth.render("다른 글.")
    fourth.save(keep=set())
    assert list(BodyCache(path).stored.values()) == ["<p>다른 글.</p>"]  # bodies gone from the archive are dropped
    fifth = BodyCache(path, read=False)  # build --full: convert everything again
    assert fifth.stored == {}
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = 'another renderer' WHERE name = 'version'")
    assert BodyCache(path).stored == {}  # written by other code or library versions: not trusted
    assert BodyCache(path).render("다른 글.") == "<p>다른 글.</p>"
    for junk in ("not a database", json.dumps({"version": renderer_version(), "bodies": {"x": "<p>stale</p>"}})):
        path.write_text(junk, encoding="utf-8")  # a damaged file, or the JSON file of older versions
        assert BodyCache(path).stored == {}
        damaged = BodyCache(path)
        assert damaged.render("다른 글.") == "<p>다른 글.</p>"
        damaged.save()
        assert list(BodyCache(path).stored.values()) == ["<p>다른 글.</p>"]  # replaced by a sound store
    assert renderer_version() == renderer_version()


def test_a_new_file_under_content_builds_everything(site_project: Path, tmp_path: Path) -> None:
    # `check` stops a build whose body links to a missing file, so the link points at a file that exists;
    # a second file appearing under content/ (a new page asset) must still rebuild everything
    (site_project / "content" / "files").mkdir()
    (site_project / "content" / "files" / "report.pdf").write_bytes(b"%PDF-1.4 ")
    _append(site_project, MEETING, "\n[자료집](../files/report.pdf)\n")
    build_site(site_project, now=FIXED_NOW)
    (site_project / "content" / "files" / "annex.pdf").write_bytes(b"%PDF-1.4 ")
    assert build_site(site_project, now=FIXED_NOW).changed is None
    assert snapshot(site_project / "site") == _full(site_project, tmp_path)


def test_a_newsletter_template_change_builds_everything(tmp_path: Path) -> None:
    from tests.site.test_parallel_render import _sample_project

    project = _sample_project(tmp_path)
    build_site(project, now=FIXED_NOW)
    override = project / "themes" / "newsletter" / "web.html"   # the newsletter's own theme folder
    override.parent.mkdir(parents=True)
    from site_builder.newsletter.render import DEFAULT_THEME

    override.write_text((DEFAULT_THEME / "web.html").read_text(encoding="utf-8") + "<p>새 웹판</p>\n",
                        encoding="utf-8")
    from site_builder.newsletter import render

    render._environment.cache_clear()  # as in a new process: this one has already looked the template up
    assert build_site(project, now=FIXED_NOW).changed is None
    pages = list((project / "site" / "newsletter").glob("*/index.html"))
    assert pages and all("새 웹판" in p.read_text(encoding="utf-8") for p in pages)


def test_a_site_folder_replaced_since_the_last_build_is_not_trusted(site_project: Path, tmp_path: Path) -> None:
    import shutil

    build_site(site_project, now=FIXED_NOW)
    site = site_project / "site"
    shutil.copytree(site, tmp_path / "copy")       # e.g. a build by another version, or a restore
    shutil.rmtree(site)
    shutil.move(tmp_path / "copy", site)
    _append(site_project, MEETING, "\n덧붙인 문단입니다.\n")
    assert build_site(site_project, now=FIXED_NOW).changed is None


def test_a_file_with_a_pages_address_is_never_written_into_the_previous_site(site_project: Path,
                                                                             tmp_path: Path) -> None:
    static = site_project / "content" / "about" / "index.html"
    static.parent.mkdir()
    static.write_text("<p>STATIC</p>", encoding="utf-8")
    build_site(site_project, now=FIXED_NOW)
    keep = tmp_path / "previous"
    shutil_copy = __import__("shutil").copytree
    shutil_copy(site_project / "site", keep)
    inode = os.stat(site_project / "site" / "about" / "index.html").st_ino
    _append(site_project, MEETING, "\n덧붙인 문단입니다.\n")
    result = build_site(site_project, now=FIXED_NOW)
    # written in place (only the changed files, each a new file renamed over the old) or built in full:
    # either way the page wins over the file, as in a full build
    assert result.changed is None or result.written is not None
    assert snapshot(site_project / "site") == _full(site_project, tmp_path)
    assert "STATIC" not in (site_project / "site" / "about" / "index.html").read_text(encoding="utf-8")
    del inode


def test_links_into_reused_pages_do_not_fail_strict_anchor_checks(site_project: Path, tmp_path: Path) -> None:
    column = Path("content/column/2018-10-08-generation-balance.md")
    _append(site_project, column, "\n## 세대균형의 뜻\n\n본문.\n")
    _append(site_project, MEETING, "\n[세대균형의 뜻](../column/2018-10-08-generation-balance.md#세대균형의-뜻)\n")
    config = site_project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nstrict: true\nvalidation:\n  anchors: warn\n",
                      encoding="utf-8")
    build_site(site_project, now=FIXED_NOW)
    _append(site_project, MEETING, "\n덧붙인 문단입니다.\n")
    result = build_site(site_project, now=FIXED_NOW)   # the column page is reused; its anchor is not re-read
    assert result.changed == 1
    assert snapshot(site_project / "site") == _full(site_project, tmp_path)
