"""The per-file cache of article checks (content.filecache) and the check on every core (content.checked):
whatever the cache holds, a check finds exactly what a check without it finds."""

from __future__ import annotations

import importlib.util
import multiprocessing
import os
import shutil
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image

from site_builder.catalog import build_catalog, check_content
from site_builder.config import KST, load_config
from site_builder.content import filecache
from site_builder.content.authors import load_authors
from site_builder.content.reader import ContentReader

REPO = Path(__file__).resolve().parents[2]
FIXED_NOW = datetime(2019, 6, 1, 12, 0, tzinfo=KST)  # as tests/conftest.py
CACHE = filecache.CACHE_DIR
POISON = "캐시에서 읽은 제목"
INTERVIEW = "interview/2018-09-05-prep-team.md"
COLUMN = "column/2018-10-08-generation-balance.md"


@pytest.fixture(autouse=True)
def settled_files(monkeypatch) -> None:
    """Checks that begin long after the files were written: a file written less than RACY_SECONDS before
    a check began is not trusted by its stat next time (and an image so written is looked at again)."""
    monkeypatch.setattr(filecache, "clock", lambda: int(datetime(2100, 1, 1, tzinfo=KST).timestamp() * 1e9))


def check(project: Path, *, now: datetime = FIXED_NOW, cache: bool = True):
    return check_content(load_config(project), now=now, cache=cache)


def assert_same(found, expected) -> None:
    """The same articles, pages, problems, in the same order, to the letter."""
    assert found == expected
    assert repr(found) == repr(expected)


def catalog_of(project: Path, checked, now: datetime = FIXED_NOW):
    loaded, problems = checked
    catalog = build_catalog(load_config(project), loaded, now=now, warnings=[p for p in problems if not p.is_error])
    return (catalog.articles, catalog.scheduled, catalog.drafts, catalog.listings(), dict(catalog.tag_slugs),
            catalog.warnings, [catalog.related(a) for a in catalog.articles])


def titles(checked) -> dict[str, str]:
    return {a.source: a.title for a in checked[0].articles}


def poison(project: Path) -> None:
    """Give every article in the cache a title no file has, so that a check reusing it shows."""
    config = load_config(project)
    authors, _ = load_authors(ContentReader(config))
    store = filecache._Store(project / CACHE, filecache.context_key(config, authors))
    assert store.entries, "nothing cached"
    for source, (stat, digest, media, checked) in list(store.entries.items()):
        if checked.article:
            store.put(source, (stat, digest, media, replace(checked, article=replace(checked.article, title=POISON))))
    store.save()


def sample_project(tmp_path: Path) -> Path:
    project = tmp_path / "sample"
    shutil.copytree(REPO / "content", project / "content")
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    return project


def generated_project(tmp_path: Path, count: int) -> Path:
    spec = importlib.util.spec_from_file_location("generate", REPO / "benchmarks" / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    generate.generate(tmp_path / "generated", count)
    return tmp_path / "generated"


@pytest.mark.parametrize("which", ["fixture", "sample"])
def test_a_warm_check_finds_what_a_check_without_cache_finds(which: str, site_project: Path, tmp_path: Path) -> None:
    project = site_project if which == "fixture" else sample_project(tmp_path)
    shutil.rmtree(project / ".cache", ignore_errors=True)  # a copy of the fixture may have one
    uncached = check(project, cache=False)
    assert not (project / ".cache").exists()  # cache=False writes nothing
    cold = check(project)
    assert list((project / CACHE).glob("articles-*.pickle"))
    warm = check(project)
    assert_same(cold, uncached)
    assert_same(warm, uncached)
    assert catalog_of(project, warm) == catalog_of(project, uncached)


def test_on_a_generated_archive_two_processes_and_the_cache_find_what_one_process_finds(
        tmp_path: Path, monkeypatch) -> None:
    project = generated_project(tmp_path, 240)
    monkeypatch.setenv("SITE_BUILDER_JOBS", "1")
    alone = check(project, cache=False)
    monkeypatch.setenv("SITE_BUILDER_JOBS", "2")
    assert_same(check(project, cache=False), alone)  # 240 files: dealt out to two processes
    assert_same(check(project), alone)
    assert_same(check(project), alone)
    assert catalog_of(project, check(project)) == catalog_of(project, alone)
    article = sorted((project / "content" / "feature").glob("*.md"))[3]
    article.write_text(article.read_text(encoding="utf-8") + "\n덧붙인 문장.\n", encoding="utf-8")
    edited = check(project)
    assert_same(edited, check(project, cache=False))
    assert edited != alone


def test_a_check_reuses_what_it_found_in_unchanged_files_only(site_project: Path) -> None:
    check(site_project)
    poison(site_project)
    assert set(titles(check(site_project)).values()) == {POISON}
    article = site_project / "content" / INTERVIEW
    article.write_text(article.read_text(encoding="utf-8") + "\n한 문장 더.\n", encoding="utf-8")
    found = titles(check(site_project))
    assert found[INTERVIEW] == titles(check(site_project, cache=False))[INTERVIEW] != POISON
    assert {title for source, title in found.items() if source != INTERVIEW} == {POISON}


def _writers(project: Path) -> None:
    path = project / "content" / "authors.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("  external: true\n", "  external: false\n"),
                    encoding="utf-8")


def _settings(project: Path) -> None:
    path = project / "mkdocs.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("name: 준비 일지", "name: 준비 기록"), encoding="utf-8")


@pytest.mark.parametrize("change", ["writers", "settings", "code"])
def test_a_change_every_file_depends_on_has_every_file_checked_again(change: str, site_project: Path,
                                                                     monkeypatch) -> None:
    before = check(site_project)
    poison(site_project)
    if change == "writers":
        _writers(site_project)  # lee-outside no longer an outside contributor: no rights holders
    elif change == "settings":
        _settings(site_project)  # the series' name, which the messages name
    else:
        monkeypatch.setattr(filecache, "code_version", lambda: "another version of the checks")
    after = check(site_project)
    assert POISON not in titles(after).values()
    assert_same(after, check(site_project, cache=False))
    if change == "writers":
        rights = {a.source: a.rights_holders for a in after[0].articles}
        assert rights[COLUMN] == () != {a.source: a.rights_holders for a in before[0].articles}[COLUMN]


def test_a_changed_image_has_the_files_that_show_it_checked_again(site_project: Path) -> None:
    check(site_project)
    poison(site_project)
    Image.new("RGB", (300, 200), (10, 20, 30)).save(site_project / "content" / "images" / "interview" / "cover.png")
    after = check(site_project)
    interview = next(a for a in after[0].articles if a.source == INTERVIEW)
    assert interview.title != POISON and (interview.cover.width, interview.cover.height) == (300, 200)
    assert {t for s, t in titles(after).items() if s != INTERVIEW} == {POISON}
    (site_project / "content" / "images" / "interview" / "cover.png").unlink()
    errors = [str(p) for p in check(site_project)[1] if p.is_error]
    assert errors == [str(p) for p in check(site_project, cache=False)[1] if p.is_error]
    assert any(error.startswith(f"content/{INTERVIEW}:10: cover: ") for error in errors)


def test_an_image_written_just_before_a_check_is_looked_at_again_next_time(site_project: Path,
                                                                         monkeypatch) -> None:
    cover = site_project / "content" / "images" / "interview" / "cover.png"
    monkeypatch.setattr(filecache, "clock", lambda: cover.stat().st_mtime_ns + 10 ** 9)  # a second later
    check(site_project)
    poison(site_project)
    found = titles(check(site_project))
    assert found[INTERVIEW] != POISON  # it might have changed again unseen: looked at again
    assert found[COLUMN] == POISON  # no image


def test_a_file_rewritten_to_its_old_size_and_time_is_read_again(site_project: Path) -> None:
    check(site_project)
    article = site_project / "content" / INTERVIEW
    stat = article.stat()
    text = article.read_text(encoding="utf-8")
    assert "title: 준비단원 인터뷰\n" in text
    article.write_text(text.replace("title: 준비단원 인터뷰\n", "title: 준비단원 인터뷔\n"), encoding="utf-8")
    os.utime(article, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # as a copy that keeps times would
    assert article.stat().st_size == stat.st_size and article.stat().st_mtime_ns == stat.st_mtime_ns
    assert titles(check(site_project))[INTERVIEW] == "준비단원 인터뷔"


@pytest.mark.parametrize("damage", ["cut short", "garbage", "empty", "another version", "another class"])
def test_a_damaged_cache_is_ignored_and_written_again(damage: str, site_project: Path) -> None:
    expected = check(site_project, cache=False)
    check(site_project)
    shards = sorted((site_project / CACHE).glob("articles-*.pickle"))
    for shard in shards:
        data = shard.read_bytes()
        if damage == "cut short":
            shard.write_bytes(data[:len(data) // 2])
        elif damage == "garbage":
            shard.write_bytes(data[:filecache._HEADER] + os.urandom(len(data) - filecache._HEADER))
        elif damage == "empty":
            shard.write_bytes(b"")
        elif damage == "another version":
            shard.write_bytes(b"site-builder content check cache 0\n" + data[len(filecache.MAGIC):])
        else:  # a pickle that would make something else than the content model's values
            import pickle
            payload = pickle.dumps({"x": Path("/")})
            shard.write_bytes(data[:len(filecache.MAGIC) + 65] + f"{len(payload):016x}\n".encode() + payload)
    assert_same(check(site_project), expected)
    poison(site_project)  # written again, whole: the next check reads it
    assert set(titles(check(site_project)).values()) == {POISON}


def test_a_mistake_made_in_a_file_that_was_fine_is_reported_at_its_line(site_project: Path) -> None:
    assert not [p for p in check(site_project)[1] if p.is_error]
    article = site_project / "content" / INTERVIEW
    article.write_text(article.read_text(encoding="utf-8").replace("date: 2018-09-05", 'date: "9월 5일"'),
                       encoding="utf-8")
    problems = check(site_project)[1]
    assert ('content/interview/2018-09-05-prep-team.md:3: date: "9월 5일"은 날짜가 아닙니다 — 2018-09-05 형식으로 쓰세요'
            in [str(p) for p in problems if p.is_error])
    assert_same(problems, check(site_project, cache=False)[1])


def test_deleted_and_added_files_are_seen(site_project: Path) -> None:
    check(site_project)
    poison(site_project)
    column = site_project / "content" / COLUMN
    text = column.read_text(encoding="utf-8")
    column.unlink()
    added = site_project / "content" / "column" / "2018-10-09-another-column.md"
    added.write_text(text.replace("date: 2018-10-08", "date: 2018-10-09"), encoding="utf-8")
    found = check(site_project)
    assert COLUMN not in titles(found)
    assert titles(found)["column/2018-10-09-another-column.md"] != POISON
    assert set(titles(found)) == set(titles(check(site_project, cache=False)))
    column.write_text(text, encoding="utf-8")  # back again: checked anew, its old entry forgotten
    assert titles(check(site_project))[COLUMN] != POISON


def _check_in_child(project: Path) -> None:
    check(project)


def test_two_checks_writing_the_cache_at_once_leave_it_whole(site_project: Path) -> None:
    expected = check(site_project, cache=False)
    context = multiprocessing.get_context("fork")
    for _ in range(3):
        shutil.rmtree(site_project / ".cache", ignore_errors=True)
        children = [context.Process(target=_check_in_child, args=(site_project,)) for _ in range(2)]
        for child in children:
            child.start()
        for child in children:
            child.join()
        assert [child.exitcode for child in children] == [0, 0]
        assert not [p for p in (site_project / CACHE).iterdir() if not p.name.startswith("articles-")]
        poison(site_project)  # every entry readable
        assert set(titles(check(site_project)).values()) == {POISON}
    shutil.rmtree(site_project / ".cache")
    check(site_project)
    assert_same(check(site_project), expected)


def test_a_cache_that_cannot_be_written_is_skipped(site_project: Path) -> None:
    shutil.rmtree(site_project / ".cache", ignore_errors=True)
    (site_project / ".cache").write_text("not a folder", encoding="utf-8")
    assert_same(check(site_project), check(site_project, cache=False))


def test_what_depends_on_the_time_is_found_again_at_every_check(site_project: Path) -> None:
    check(site_project, now=FIXED_NOW)
    later = datetime(2031, 1, 1, tzinfo=KST)  # the scheduled article (2030-01-01) is out by then
    found = check(site_project, now=later)
    assert_same(found, check(site_project, now=later, cache=False))
    assert found[1] != check(site_project, now=FIXED_NOW)[1]
