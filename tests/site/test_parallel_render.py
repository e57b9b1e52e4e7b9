"""Pages rendered in several processes: the same site, byte for byte, and failures that fail the build."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from site_builder.build.pipeline import build_site
from site_builder.cli import main
from tests.conftest import FIXED_NOW
from tests.site.test_build_behaviour import snapshot


def _children_of(pid: int) -> list[int]:
    """Live (or unreaped) processes whose parent is pid, other than those it had when the test started
    (a server of another package's session fixture in the same pytest worker, say)."""
    return [child for child in _all_children_of(pid) if child not in _BEFORE]


def _all_children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


_BEFORE: set[int] = set()


@pytest.fixture(autouse=True)
def _children_before_the_test():
    _BEFORE.clear()
    _BEFORE.update(_all_children_of(os.getpid()))
    yield


@pytest.mark.parametrize("jobs", ["2", "3"])
def test_several_processes_build_the_same_site_as_one(site_project: Path, tmp_path: Path, monkeypatch, jobs) -> None:
    monkeypatch.setenv("SITE_BUILDER_JOBS", "1")
    one = build_site(site_project, site_dir=tmp_path / "one", now=FIXED_NOW)
    monkeypatch.setenv("SITE_BUILDER_JOBS", jobs)
    many = build_site(site_project, site_dir=tmp_path / "many", now=FIXED_NOW)
    assert one.pages == many.pages > 20
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "many")
    assert _children_of(os.getpid()) == []


def test_a_page_failing_in_another_process_fails_the_build_and_keeps_the_site(site_project: Path, monkeypatch,
                                                                              capsys, caplog) -> None:
    import mkdocs.commands.build as mkbuild

    monkeypatch.setenv("SITE_BUILDER_JOBS", "2")
    build_site(site_project, now=FIXED_NOW)
    before = snapshot(site_project / "site")
    parent = os.getpid()
    real = mkbuild._build_page

    def build_page(page, *args, **kwargs):
        if os.getpid() != parent and page.file.src_uri.startswith("meeting/"):
            raise RuntimeError("템플릿이 깨졌습니다")
        return real(page, *args, **kwargs)

    monkeypatch.setattr(mkbuild, "_build_page", build_page)
    monkeypatch.setenv("SITE_BUILDER_NOW", FIXED_NOW.isoformat())
    capsys.readouterr()
    assert main(["--root", str(site_project), "build", "--quiet", "--full"]) == 1
    err = capsys.readouterr().err
    logged = caplog.text  # the CLI's log handler writes to stderr; under pytest the log is captured here
    assert "페이지를 만들다 실패했습니다:\nmeeting/" in logged
    assert ": RuntimeError: 템플릿이 깨졌습니다" in logged
    assert "Traceback" not in logged
    assert "빌드가 실패했습니다. 이전 사이트는 그대로입니다." in err
    assert snapshot(site_project / "site") == before
    assert not list(site_project.glob(".site.*"))
    assert _children_of(parent) == []


def test_a_failure_in_the_main_process_stops_the_other_renderers(site_project: Path, monkeypatch) -> None:
    import mkdocs.commands.build as mkbuild

    monkeypatch.setenv("SITE_BUILDER_JOBS", "2")
    build_site(site_project, now=FIXED_NOW)
    before = snapshot(site_project / "site")
    parent = os.getpid()
    real = mkbuild._build_page

    def build_page(page, *args, **kwargs):
        if os.getpid() == parent:
            raise RuntimeError("부모 프로세스에서 실패")
        return real(page, *args, **kwargs)

    monkeypatch.setattr(mkbuild, "_build_page", build_page)
    with pytest.raises(RuntimeError, match="부모 프로세스에서 실패"):
        build_site(site_project, now=FIXED_NOW, incremental=False)
    assert snapshot(site_project / "site") == before
    assert not list(site_project.glob(".site.*"))
    assert _children_of(parent) == []


def test_a_bad_jobs_setting_is_a_clear_error(site_project: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("SITE_BUILDER_JOBS", "two")
    assert main(["--root", str(site_project), "build", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "SITE_BUILDER_JOBS='two': 페이지를 만들 프로세스 수가 1 이상의 정수가 아닙니다 — SITE_BUILDER_JOBS=2 처럼 쓰세요" in err
    assert not (site_project / "site").exists()


def _sample_project(tmp_path: Path) -> Path:
    import shutil

    from tests.conftest import REPO

    target = tmp_path / "sample"
    target.mkdir()
    shutil.copytree(REPO / "content", target / "content")
    shutil.copytree(REPO / "newsletters", target / "newsletters")
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    (target / "mkdocs.yml").write_text(text.replace("custom_dir: themes", f"custom_dir: {REPO / 'themes'}"),
                                       encoding="utf-8")
    return target


@pytest.mark.parametrize("which", ["fixture", "sample"])
def test_navigation_rendered_once_per_place_is_what_each_page_renders(site_project: Path, tmp_path: Path,
                                                                      monkeypatch, which) -> None:
    from site_builder.site import plugin
    from site_builder.site.fragments import FragmentCache

    project = site_project if which == "fixture" else _sample_project(tmp_path)
    monkeypatch.setenv("SITE_BUILDER_JOBS", "1")
    counts = {"hits": 0, "misses": 0}
    real_get = FragmentCache.get

    def get(self, key):
        html = real_get(self, key)
        if key is not None:
            counts["hits" if html is not None else "misses"] += 1
        return html

    monkeypatch.setattr(FragmentCache, "get", get)
    cached = build_site(project, site_dir=tmp_path / "cached", now=FIXED_NOW, incremental=False)
    monkeypatch.setattr(plugin, "FRAGMENT_CACHE", False)
    fresh = build_site(project, site_dir=tmp_path / "fresh", now=FIXED_NOW, incremental=False)
    assert cached.pages == fresh.pages
    assert snapshot(tmp_path / "cached") == snapshot(tmp_path / "fresh")
    # tabs, sidebar navigation and the config script: three fragments a page, shared between places
    assert counts["hits"] + counts["misses"] > 2.5 * cached.pages   # every page asked (redirect pages do not)
    assert counts["hits"] > counts["misses"] / 3
    page = (tmp_path / "cached" / "index.html").read_text(encoding="utf-8")
    assert page.count('class="md-tabs"') == 1 and page.count('md-nav--primary') == 1
    assert page.count('id="__config"') == 1


def test_serve_rebuilds_render_in_several_processes_with_drafts_marked(site_project: Path, tmp_path: Path,
                                                                       monkeypatch) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    monkeypatch.setenv("SITE_BUILDER_NOW", FIXED_NOW.isoformat())
    outputs = {}
    for jobs in ("1", "2"):
        monkeypatch.setenv("SITE_BUILDER_JOBS", jobs)
        out = tmp_path / f"served-{jobs}"
        config = load_config(str(site_project / "mkdocs.yml"), site_dir=str(out))
        config.plugins.on_startup(command="serve", dirty=False)  # what `site-builder serve` does
        build(config, serve_url="http://127.0.0.1:8000/")
        config.plugins.on_shutdown()
        outputs[jobs] = snapshot(out)
    assert outputs["1"] == outputs["2"]
    html = (tmp_path / "served-2" / "feature" / "draft-note" / "index.html").read_text(encoding="utf-8")
    assert "초안 — 공개되지 않은 글입니다" in html
    assert _children_of(os.getpid()) == []


def test_one_markdown_converter_reset_between_pages_converts_like_a_new_one(tmp_path: Path, monkeypatch) -> None:
    from site_builder.site import plugin

    project = _sample_project(tmp_path)
    reused = build_site(project, site_dir=tmp_path / "reused", now=FIXED_NOW, incremental=False)
    real = plugin._ReusedConverter.render

    def fresh(self, page, config, files):
        self.md = None  # a new converter for every page, as MkDocs makes
        return real(self, page, config, files)

    monkeypatch.setattr(plugin._ReusedConverter, "render", fresh)
    new = build_site(project, site_dir=tmp_path / "fresh", now=FIXED_NOW, incremental=False)
    assert reused.pages == new.pages
    assert snapshot(tmp_path / "reused") == snapshot(tmp_path / "fresh")
