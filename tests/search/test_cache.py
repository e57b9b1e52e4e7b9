"""The search's build cache (site_builder.search.store): a rebuild after an edit gives exactly the index a
clean build gives, while analysing only the changed docs and remaking only the shards their keys are in."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from site_builder.build.pipeline import build_site
from site_builder.catalog import load_catalog
from site_builder.search import store
from site_builder.search.analysis import shard_hash
from site_builder.search.index import SearchDoc, analyse, build_index
from site_builder.search.store import cached_index
from tests.conftest import FIXED_NOW

MEETING = Path("content/meeting/2018-09-21-first-meeting.md")
COLUMN = Path("content/column/2018-10-08-generation-balance.md")


def search_files(site: Path) -> dict[str, bytes]:
    folder = site / "search"
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def clean_index(project: Path, tmp_path: Path, name: str) -> dict[str, bytes]:
    """The index a clean build of the project as it is now makes: a copy without any cache, --full."""
    copy = tmp_path / f"clean-{name}"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns("site", ".site*", ".cache"))
    build_site(copy, now=FIXED_NOW, incremental=False)
    return search_files(copy / "site")


def edit(project: Path, rel: Path, old: str, new: str) -> None:
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def analysed(monkeypatch) -> list[str]:
    """The titles of the docs the search analyses (instead of reading their analysis from the cache)."""
    seen: list[str] = []

    def counting(doc: SearchDoc):
        seen.append(doc.title)
        return analyse(doc)

    monkeypatch.setattr(store, "analyse", counting)
    return seen


def cached_docs(project: Path) -> set[str]:
    """The keys of the article docs the build cache holds (docs.ArticleKeys: file, settings, authors, code)."""
    folder = project / ".cache" / "site-builder" / "search" / "docs"
    return {key for path in folder.iterdir() for key in json.loads(path.read_text(encoding="utf-8"))["docs"]}


def texts_with(site: Path, word: str) -> set[str]:
    """The result URLs whose visible text (search/x/<doc>.txt, for the snippets) contains word."""
    folder = site / "search"
    urls = [row[1] for chunk in sorted((folder / "d").iterdir(), key=lambda p: int(p.stem))
            for row in json.loads(chunk.read_text(encoding="utf-8"))]
    return {urls[int(p.stem)] for p in (folder / "x").iterdir() if word in p.read_text(encoding="utf-8")}


def test_an_author_record_or_a_setting_reaches_the_cached_docs_of_the_articles_that_show_it(
        site_project: Path, tmp_path: Path) -> None:
    build_site(site_project, now=FIXED_NOW)
    haneul = {a.url for a in load_catalog(site_project, now=FIXED_NOW).articles if "kim-haneul" in a.authors}
    assert len(haneul) >= 3
    before = cached_docs(site_project)
    # her bio, shown under each of her articles, gets a word that is nowhere else
    edit(site_project, Path("content/authors.yml"), "bio: 유어스 편집팀 기자.", "bio: 유어스 편집팀에서 양자컴퓨터를 취재하는 기자.")
    build_site(site_project, now=FIXED_NOW)
    assert search_files(site_project / "site") == clean_index(site_project, tmp_path, "bio")
    assert texts_with(site_project / "site", "양자컴퓨터") == haneul
    # only her articles' docs were made again; the others came from the cache
    assert len(cached_docs(site_project) - before) == len(haneul)
    assert len(cached_docs(site_project) & before) == len(before) - len(haneul)
    # an agenda's name (a setting the docs show as a strong field) reaches every article's doc
    edit(site_project, Path("mkdocs.yml"), "{id: environment, name: 환경,", "{id: environment, name: 환경생태계,")
    build_site(site_project, now=FIXED_NOW)
    assert search_files(site_project / "site") == clean_index(site_project, tmp_path, "agenda")
    assert not cached_docs(site_project) & before


def cached_analyses(project: Path) -> set[str]:
    """The docs whose analysis the build cache holds (one file each, named by the doc's text hash)."""
    return {p.name for p in (project / ".cache" / "site-builder" / "search" / "analysis").iterdir()}


def test_rebuilds_after_a_body_edit_a_title_edit_a_new_article_and_a_delete_give_the_clean_index(
        site_project: Path, tmp_path: Path) -> None:
    build_site(site_project, now=FIXED_NOW)
    assert len(cached_analyses(site_project)) > 5     # the first build analyses every doc
    steps = [
        ("body edit", lambda: edit(site_project, MEETING, "간담회 스케치.", "간담회 스케치. 양자컴퓨터 이야기도 나왔다.")),
        ("title edit", lambda: edit(site_project, MEETING, "title: 첫 소규모 간담회", "title: 첫 번째 블록체인 간담회")),
        ("new article", lambda: (site_project / "content/column/2018-11-20-new.md").write_text(
            "---\ntitle: 화성탐사선 칼럼\ndate: 2018-11-20\nsummary: 새 칼럼.\nauthors: [park-seoyeon]\n"
            "tags: [칼럼]\n---\n\n화성탐사선에 대해 쓴다.\n", encoding="utf-8")),
        ("delete", lambda: (site_project / COLUMN).unlink()),
    ]
    for name, change in steps:
        before = cached_analyses(site_project)
        change()
        build_site(site_project, now=FIXED_NOW)
        assert search_files(site_project / "site") == clean_index(site_project, tmp_path, name.replace(" ", "-")), name
        # only the changed doc was analysed again (the analyses are written when made; a delete makes none)
        assert len(cached_analyses(site_project) - before) == (name != "delete"), name
    manifest = json.loads((site_project / "site" / "search" / "manifest.json").read_text(encoding="utf-8"))
    shard = f"k/{shard_hash('화성탐사선') & (manifest['shards'] - 1)}.json"
    assert "화성탐사선" in json.loads(search_files(site_project / "site")[shard])


def doc(n: int, title: str, body: str) -> SearchDoc:
    return SearchDoc(url=f"a/{n}/", title=title, kind="feature", kind_label="기획기사", date_iso=f"2018-10-{n % 28 + 1:02}",
                     date_text="", byline="필자", summary="", strong_text=title, body_text=body, year=2018)


WORDS = ["청년", "주거", "정책을", "미세먼지", "전세 사기", "서울시는", "예산", "의회에서", "기후", "일자리를", "숙의"]


def corpus(count: int) -> list[SearchDoc]:
    return [doc(n, f"{WORDS[n % 11]} {WORDS[n * 7 % 11]} 제목{n}",
                " ".join(WORDS[(n * k) % 11] for k in range(1, 9)) + f" 본문{n}") for n in range(count)]


def test_every_kind_of_change_gives_the_bytes_of_an_index_without_cache(tmp_path: Path, analysed: list[str]) -> None:
    docs = corpus(400)
    variants = {
        "unchanged": docs,
        "one body": [*docs[:7], replace(docs[7], body_text=docs[7].body_text + " 양자컴퓨터"), *docs[8:]],
        "one title": [*docs[:9], replace(docs[9], title="블록체인", strong_text="블록체인 주거"), *docs[10:]],
        "a word gone from every doc that had it": [replace(d, body_text=d.body_text.replace("본문3", "본문"))
                                                   for d in docs],
        "appended": [*docs, doc(400, "화성탐사선", "새 글의 본문 청년")],
        "newest deleted": docs[:-1],
        "an old one deleted": docs[:3] + docs[4:],
        "many new words (the shard count grows)": [*docs[:-20], *(doc(n, f"새말{n}", " ".join(
            f"낱말{n}{k}가나다라" for k in range(300))) for n in range(380, 400))],
    }
    folder = tmp_path / "cache"
    cached_index(docs, {"labels": {}}, folder)
    for name, changed in variants.items():
        analysed.clear()
        got = cached_index(changed, {"labels": {}}, folder)
        want = build_index(changed, [analyse(d) for d in changed], {"labels": {}})
        assert got == want, name
        if name in ("unchanged", "one body", "appended"):
            assert len(analysed) == (name != "unchanged"), (name, analysed)   # the others come from the cache
        cached_index(docs, {"labels": {}}, folder)   # back to the start for the next change
    # a damaged cache costs time, never correctness
    index = folder / "index.bin"
    index.write_bytes(index.read_bytes().replace(b"[", b"{", 1))
    (next((folder / "analysis").iterdir())).write_text("[1, 2", encoding="utf-8")
    changed = variants["one body"]
    want = build_index(changed, [analyse(d) for d in changed], {"labels": {}})
    assert cached_index(changed, {"labels": {}}, folder) == want
    for junk in ("{", '{"version": 1}', json.dumps({**json.loads((folder / "state.json").read_text()), "names": 3})):
        (folder / "state.json").write_text(junk, encoding="utf-8")
        assert cached_index(changed, {"labels": {}}, folder) == want
