"""A build where nothing changed only confirms it, and no build rewrites a file whose bytes did not change.

What an editor or a deploy script sees: `site-builder build` run again says nothing changed and leaves
every file of site/ as it was (same inode, same modification time, so rsync or a CDN sync uploads
nothing); after an edit, the files whose bytes are the same as before are still the old files, and
only the others are new. Every input of the site, changed, makes the next build build: an article,
an image, mkdocs.yml, a template, a newsletter issue, the day, a scheduled article coming due, the
share images' font setting, and the site folder itself being changed or replaced."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
from generate import generate  # noqa: E402

NOW = "2026-06-01T09:00:00+09:00"
NOTHING = "바뀐 것이 없어 그대로 두었습니다"


def build(project: Path, *extra: str, now: str = NOW, env: dict[str, str] | None = None) -> str:
    environment = dict(os.environ, SITE_BUILDER_NOW=now, **(env or {}))
    result = subprocess.run([sys.executable, "-m", "site_builder", "--root", str(project), "build", *extra],
                            capture_output=True, text=True, env=environment)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def snapshot(site: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every file of the site: (inode, mtime in ns, bytes)."""
    found = {}
    for path in sorted(site.rglob("*")):
        if path.is_file():
            st = path.stat()
            found[str(path.relative_to(site))] = (st.st_ino, st.st_mtime_ns, path.read_bytes())
    return found


def assert_only_changed_files_rewritten(before: dict, after: dict) -> set[str]:
    """Files with the same bytes as before are the same files; return the files that changed or are new."""
    rewritten = set()
    for name, (inode, mtime, data) in after.items():
        old = before.get(name)
        if old is not None and old[2] == data:
            assert (inode, mtime) == old[:2], f"{name}: same bytes, but the file was written again"
        else:
            rewritten.add(name)
    return rewritten


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("unchanged") / "project"
    generate(base, 24)
    shutil.copytree(REPO / "themes", base / "themes")
    config = base / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(f"custom_dir: {REPO / 'themes'}",
                                                                 f"custom_dir: {base / 'themes'}"), encoding="utf-8")
    shutil.copytree(REPO / "newsletters", base / "newsletters")
    build(base)
    return base


def confirm_nothing_changed(project: Path, **kwargs) -> None:
    before = snapshot(project / "site")
    out = build(project, **kwargs)
    assert NOTHING in out, out
    assert snapshot(project / "site") == before


def articles(project: Path) -> list[Path]:
    return sorted(p for p in (project / "content").glob("*/*.md") if p.parent.name != "pages")


def test_a_second_build_changes_nothing(project: Path) -> None:
    confirm_nothing_changed(project)
    confirm_nothing_changed(project)


def test_a_full_build_of_the_same_inputs_keeps_every_file(project: Path) -> None:
    before = snapshot(project / "site")
    out = build(project, "--full")
    assert NOTHING not in out
    after = snapshot(project / "site")
    assert after == before   # every file the same bytes, so every file kept: same inode, same mtime
    confirm_nothing_changed(project)


def test_an_edit_rewrites_only_the_files_it_changes(project: Path) -> None:
    before = snapshot(project / "site")
    article = articles(project)[3]
    text = article.read_text(encoding="utf-8")
    article.write_text(re.sub(r"^title: .*$", "title: 바뀐 제목입니다", text, count=1, flags=re.M), encoding="utf-8")
    out = build(project)
    assert NOTHING not in out
    after = snapshot(project / "site")
    rewritten = assert_only_changed_files_rewritten(before, after)
    page = next(name for name, (_i, _m, data) in after.items()
                if name.endswith("index.html") and "바뀐 제목입니다" in data.decode("utf-8", "ignore"))
    assert page in rewritten
    assert len(rewritten) < len(after) / 2, f"{len(rewritten)} of {len(after)} files written"
    confirm_nothing_changed(project)


def edit_body(project: Path) -> None:
    article = articles(project)[5]
    article.write_text(article.read_text(encoding="utf-8") + "\n덧붙인 문단입니다.\n", encoding="utf-8")


def edit_image(project: Path) -> None:
    from PIL import Image

    Image.new("RGB", (240, 126), (200, 10, 10)).save(project / "content" / "images" / "cover-1.png")


def edit_config(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(re.sub(r"^site_description: .*$", "site_description: 새 설명", config.read_text(encoding="utf-8"),
                             count=1, flags=re.M), encoding="utf-8")


def edit_template(project: Path) -> None:
    template = project / "themes" / "sb-article.html"
    template.write_text(template.read_text(encoding="utf-8").replace("{% block content %}",
                                                                     "{% block content %}<!-- 고침 -->", 1),
                        encoding="utf-8")


def edit_newsletter(project: Path) -> None:
    issue = sorted((project / "newsletters").glob("*.md"))[0]
    issue.write_text(issue.read_text(encoding="utf-8") + "\n덧붙인 소식입니다.\n", encoding="utf-8")


def add_file(project: Path) -> None:
    (project / "content" / "images" / "new.png").write_bytes((project / "content" / "images" / "cover-2.png").read_bytes())


@pytest.mark.parametrize("edit", [edit_body, edit_image, edit_config, edit_template, edit_newsletter, add_file],
                         ids=lambda f: f.__name__)
def test_every_input_changed_makes_the_next_build_build(project: Path, edit) -> None:
    confirm_nothing_changed(project)
    edit(project)
    out = build(project)
    assert NOTHING not in out, f"{edit.__name__}: the build did not see the change"
    confirm_nothing_changed(project)


def test_the_next_day_builds(project: Path) -> None:
    confirm_nothing_changed(project)
    assert NOTHING not in build(project, now="2026-06-02T09:00:00+09:00")
    confirm_nothing_changed(project, now="2026-06-02T10:00:00+09:00")
    assert NOTHING not in build(project)   # back to the first day (the tests after this one use it)


def test_the_share_image_font_setting_builds(project: Path) -> None:
    confirm_nothing_changed(project)
    font = os.environ.get("SB_SHARE_FONT")
    if font:  # the machine names a font: name none, and the default is found again
        out = build(project, env={"SB_SHARE_FONT": ""})
    else:     # name the font the build finds by default: the images are the same, but the setting is new
        from site_builder.site.share_images import find_font

        out = build(project, env={"SB_SHARE_FONT": str(find_font())})
    assert NOTHING not in out
    build(project)   # back to the usual setting (the tests after this one, on this worker, use it)


def test_a_scheduled_article_that_comes_due_is_published(project: Path) -> None:
    source = articles(project)[0]
    text = re.sub(r"^date: .*$", "date: 2026-06-01T15:00:00+09:00", source.read_text(encoding="utf-8"), count=1,
                  flags=re.M)
    scheduled = source.with_name("2026-06-01-scheduled-article.md")
    scheduled.write_text(re.sub(r"^title: .*$", "title: 오후에 나오는 글", text, count=1, flags=re.M), encoding="utf-8")
    build(project)
    assert "오후에 나오는 글" not in (project / "site" / "index.html").read_text(encoding="utf-8")
    confirm_nothing_changed(project, now="2026-06-01T14:59:00+09:00")
    out = build(project, now="2026-06-01T15:00:00+09:00")
    assert NOTHING not in out
    assert "오후에 나오는 글" in (project / "site" / "index.html").read_text(encoding="utf-8")
    scheduled.unlink()
    build(project)


def test_a_site_folder_changed_or_replaced_is_built_again(project: Path, tmp_path: Path) -> None:
    confirm_nothing_changed(project)
    site = project / "site"
    (site / "search" / "manifest.json").write_text("{}", encoding="utf-8")   # someone edited the site
    assert NOTHING not in build(project)
    confirm_nothing_changed(project)
    copy = tmp_path / "copy"
    shutil.copytree(site, copy)
    shutil.rmtree(site)
    shutil.move(copy, site)   # a restore from a backup: the same files, another folder
    assert NOTHING not in build(project)
    confirm_nothing_changed(project)


def test_an_in_place_rebuild_removes_an_output_file_the_outputs_no_longer_make(project: Path) -> None:
    import json

    confirm_nothing_changed(project)
    # as if the last build had made a search shard that this edit empties: listed among its outputs
    stale = project / "site" / "search" / "k" / "stale-shard.json"
    stale.write_text("[]", encoding="utf-8")
    state_file = next((project / ".cache" / "site-builder").glob("build-*.json"))
    state = json.loads(state_file.read_text(encoding="utf-8"))
    state["outputs"].append("search/k/stale-shard.json")
    state["files"] += 1
    state_file.write_text(json.dumps(state), encoding="utf-8")
    edit_body(project)
    out = build(project)
    assert "바뀐 파일" in out, out   # written in place
    assert not stale.exists()
    confirm_nothing_changed(project)


def test_a_file_as_new_as_the_check_is_not_trusted_by_its_times(project: Path) -> None:
    """A file whose times are not older than the moment the build took the digest could change again
    within the file system's clock step without new times: the next build builds (git's racy rule)."""
    confirm_nothing_changed(project)
    article = articles(project)[7]
    was = article.stat()
    late = 4102444800 * 10**9   # 2100-01-01: newer than any moment a build could take the digest
    os.utime(article, ns=(late, late))
    assert NOTHING not in build(project)    # its times changed
    assert NOTHING not in build(project)    # and the last build's digest was not trusted
    os.utime(article, ns=(was.st_atime_ns, was.st_mtime_ns))
    build(project)
    confirm_nothing_changed(project)
