"""The catalog as an editor meets it: which listing holds which article, in which order, what is left out
until when, how an article is found, the months, and the related articles under each article.

Every test writes a small project (mkdocs.yml, content/authors.yml, Markdown articles) into tmp_path and
loads it with the real loader at an injected `now`; nothing reads the wall clock.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import yaml

from site_builder.catalog import Catalog, load_catalog
from site_builder.config import KST

MKDOCS_YML = """\
site_name: 유어스
site_url: https://yours.example.org/
docs_dir: content
extra:
  site_builder:
    agenda:
      - {id: welfare, name: 복지}
      - {id: housing, name: 주택도시계획}
      - {id: environment, name: 환경}
    series:
      - {id: open-table, name: 오픈테이블}
      - {id: prep-diary, name: 준비 일지}
"""

AUTHORS = [
    {"id": "kim", "name": "김하늘", "affiliation": "유어스 편집팀"},
    {"id": "park", "name": "박서연", "affiliation": "유어스 편집팀"},
    {"id": "lee", "name": "이바깥", "affiliation": "청년연구자"},
    {"id": "choi", "name": "최새내", "affiliation": "유어스 편집팀"},  # has written nothing yet
]


def at(text: str) -> datetime:
    """A moment in Seoul: '2018-11-30 12:00'."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=KST)


class Project:
    """A project folder the test fills with articles, one Markdown file each, as an editor would."""

    def __init__(self, root: Path):
        self.root = root
        (root / "content").mkdir(parents=True)
        (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
        (root / "content" / "authors.yml").write_text(yaml.safe_dump(AUTHORS, allow_unicode=True), encoding="utf-8")

    def write(self, kind: str, name: str, title: str, *, date: str | None = None, authors=("kim",),
              **front) -> str:
        """Write content/<kind>/<name>.md (name is YYYY-MM-DD-slug) and return its id."""
        fields = {"title": title, "date": date or name[:10], "summary": f"{title} 요약.", "authors": list(authors),
                  **{k: list(v) if isinstance(v, tuple) else v for k, v in front.items()}}
        path = self.root / "content" / kind / f"{name}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\n{yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)}---\n\n{title}의 본문.\n",
                        encoding="utf-8")
        return name

    def catalog(self, now: str, **options) -> Catalog:
        return load_catalog(self.root, now=at(now), **options)


def ids(articles) -> list[str]:
    return [a.id for a in articles]


def members(catalog: Catalog, facet: str, key: str) -> list[str]:
    listing = catalog.listing(facet, key)
    assert listing is not None, f"no {facet} listing {key!r}"
    return ids(listing.articles)


NOW = "2018-11-30 12:00"


@pytest.fixture
def archive(tmp_path: Path) -> Project:
    """Six published articles, one draft and one scheduled for 1 December 2018 at 09:00."""
    project = Project(tmp_path / "project")
    project.write("column", "2018-10-05-rent", "월세 이야기", authors=("kim",), tags=("주거", "청년"),
                  agenda=("주택도시계획",), districts=("마포구",), series="open-table")
    project.write("feature", "2018-10-12-housing-plan", "주거 계획", authors=("park",), tags=("주거",),
                  agenda=("주택도시계획", "복지"), districts=("마포구", "은평구"))
    # two articles of the same day: the later in the day is the newer
    project.write("column", "2018-11-02-food", "먹거리", authors=("park", "kim"), tags=("청년",),
                  agenda=("복지",), series="open-table")
    project.write("feature", "2018-11-02-care", "돌봄", date="2018-11-02 18:00", authors=("lee",),
                  tags=("돌봄",), agenda=("복지",), districts=("은평구",))
    # shares only its kind with two features and its author with 돌봄
    project.write("feature", "2018-09-01-history", "지난 이야기", authors=("lee",), tags=("역사",))
    project.write("interview", "2018-09-20-youth", "청년을 만나다", authors=("kim",), tags=("청년",),
                  agenda=("환경",), series="prep-diary",
                  interviewees=[{"name": "가상인", "affiliation": "준비단"}])
    # would be the best match of 월세 이야기 on every count, but it is a draft
    project.write("column", "2018-11-20-wip", "쓰는 중", authors=("kim",), tags=("주거", "청년", "초안"),
                  agenda=("주택도시계획",), districts=("마포구",), series="open-table", draft=True)
    project.write("column", "2018-12-01-next", "다음 달 글", date="2018-12-01 09:00", authors=("choi",),
                  tags=("주거",), agenda=("주택도시계획",), series="open-table")
    return project


# --- the archive and its order ---------------------------------------------------------------------

def test_the_archive_is_newest_first_and_leaves_out_the_draft_and_the_scheduled_article(archive: Project) -> None:
    catalog = archive.catalog(NOW)
    assert ids(catalog.articles) == ["2018-11-02-care", "2018-11-02-food", "2018-10-12-housing-plan",
                                     "2018-10-05-rent", "2018-09-20-youth", "2018-09-01-history"]
    assert ids(catalog.drafts) == ["2018-11-20-wip"]
    assert ids(catalog.scheduled) == ["2018-12-01-next"]


def test_a_scheduled_article_appears_at_its_minute_and_not_before(archive: Project) -> None:
    before = archive.catalog("2018-12-01 08:59")
    assert "2018-12-01-next" not in ids(before.articles)
    assert before.article("2018-12-01-next") is None
    assert before.listing("author", "choi") is None
    assert members(before, "series", "open-table") == ["2018-11-02-food", "2018-10-05-rent"]

    on_time = archive.catalog("2018-12-01 09:00")
    assert ids(on_time.articles)[0] == "2018-12-01-next"
    assert ids(on_time.scheduled) == []
    assert members(on_time, "series", "open-table") == ["2018-12-01-next", "2018-11-02-food", "2018-10-05-rent"]
    assert members(on_time, "tag", "jugeo") == ["2018-12-01-next", "2018-10-12-housing-plan", "2018-10-05-rent"]
    assert members(on_time, "author", "choi") == ["2018-12-01-next"]


def test_a_draft_stays_out_of_every_listing_unless_drafts_are_asked_for(archive: Project) -> None:
    catalog = archive.catalog(NOW)
    assert catalog.article("2018-11-20-wip") is None
    assert all("2018-11-20-wip" not in ids(listing.articles) for listing in catalog.listings())
    assert catalog.listing("tag", "choan") is None  # 초안 is used only by the draft

    preview = archive.catalog(NOW, include_drafts=True)
    assert members(preview, "tag", "choan") == ["2018-11-20-wip"]
    assert members(preview, "series", "open-table") == ["2018-11-20-wip", "2018-11-02-food", "2018-10-05-rent"]


def test_articles_of_one_day_keep_one_order_whatever_order_their_files_were_written(tmp_path: Path) -> None:
    orders = []
    for run, names in enumerate([["a-first", "b-second", "c-third"], ["c-third", "a-first", "b-second"]]):
        project = Project(tmp_path / f"run{run}")
        for name in names:
            project.write("feature", f"2018-10-05-{name}", name)
        project.write("column", "2018-10-05-evening", "저녁 글", date="2018-10-05 19:30")
        orders.append(ids(project.catalog(NOW).articles))
    assert orders[0] == orders[1] == ["2018-10-05-evening", "2018-10-05-c-third", "2018-10-05-b-second",
                                      "2018-10-05-a-first"]


# --- listings --------------------------------------------------------------------------------------

def test_each_kind_lists_its_own_articles_newest_first(archive: Project) -> None:
    catalog = archive.catalog(NOW)
    assert members(catalog, "kind", "column") == ["2018-11-02-food", "2018-10-05-rent"]
    assert members(catalog, "kind", "feature") == ["2018-11-02-care", "2018-10-12-housing-plan",
                                                   "2018-09-01-history"]
    assert members(catalog, "kind", "interview") == ["2018-09-20-youth"]
    assert catalog.listing("kind", "meeting") is None  # no meeting written: no empty page


def test_tag_listings_are_keyed_by_the_romanized_tag_and_named_in_korean(archive: Project) -> None:
    catalog = archive.catalog(NOW)
    assert {listing.name: (listing.url, ids(listing.articles)) for listing in catalog.listings("tag")} == {
        "주거": ("tags/jugeo/", ["2018-10-12-housing-plan", "2018-10-05-rent"]),
        "청년": ("tags/cheongnyeon/", ["2018-11-02-food", "2018-10-05-rent", "2018-09-20-youth"]),
        "돌봄": ("tags/dolbom/", ["2018-11-02-care"]),
        "역사": ("tags/yeoksa/", ["2018-09-01-history"]),
    }


def test_agenda_listings_follow_the_configured_vocabulary(archive: Project) -> None:
    catalog = archive.catalog(NOW)
    assert [(listing.key, listing.name, listing.url, ids(listing.articles))
            for listing in catalog.listings("agenda")] == [
        ("welfare", "복지", "agenda/welfare/", ["2018-11-02-care", "2018-11-02-food", "2018-10-12-housing-plan"]),
        ("housing", "주택도시계획", "agenda/housing/", ["2018-10-12-housing-plan", "2018-10-05-rent"]),
        ("environment", "환경", "agenda/environment/", ["2018-09-20-youth"]),
    ]


def test_district_listings_use_the_district_id_in_the_url(archive: Project) -> None:
    catalog = archive.catalog(NOW)
    assert [(listing.name, listing.url, ids(listing.articles)) for listing in catalog.listings("district")] == [
        ("은평구", "districts/eunpyeong/", ["2018-11-02-care", "2018-10-12-housing-plan"]),
        ("마포구", "districts/mapo/", ["2018-10-12-housing-plan", "2018-10-05-rent"]),
    ]


def test_series_listings_hold_the_series_articles(archive: Project) -> None:
    catalog = archive.catalog(NOW)
    assert [(listing.name, listing.url, ids(listing.articles)) for listing in catalog.listings("series")] == [
        ("오픈테이블", "series/open-table/", ["2018-11-02-food", "2018-10-05-rent"]),
        ("준비 일지", "series/prep-diary/", ["2018-09-20-youth"]),
    ]


def test_an_article_with_two_authors_is_in_both_author_listings(archive: Project) -> None:
    catalog = archive.catalog(NOW)
    assert [(listing.key, listing.name, listing.url, ids(listing.articles))
            for listing in catalog.listings("author")] == [
        ("kim", "김하늘", "authors/kim/", ["2018-11-02-food", "2018-10-05-rent", "2018-09-20-youth"]),
        ("park", "박서연", "authors/park/", ["2018-11-02-food", "2018-10-12-housing-plan"]),
        ("lee", "이바깥", "authors/lee/", ["2018-11-02-care", "2018-09-01-history"]),
    ]
    assert catalog.listing("author", "choi") is None  # only a scheduled article so far


def test_an_article_knows_its_listings_kind_first(archive: Project) -> None:
    catalog = archive.catalog(NOW)
    rent = catalog.article("2018-10-05-rent")
    assert [listing.url for listing in catalog.listings_of(rent)] == [
        "column/", "series/open-table/", "agenda/housing/", "districts/mapo/", "tags/jugeo/", "tags/cheongnyeon/",
        "authors/kim/"]


# --- lookups ---------------------------------------------------------------------------------------

def test_an_article_is_found_by_id_by_file_and_by_address(archive: Project) -> None:
    catalog = archive.catalog(NOW)
    rent = catalog.article("2018-10-05-rent")
    assert (rent.title, rent.kind, rent.url, rent.source) == ("월세 이야기", "column", "column/rent/",
                                                              "column/2018-10-05-rent.md")
    for spelling in ["column/2018-10-05-rent.md", "content/column/2018-10-05-rent.md", "column/rent/",
                     "/column/rent/", "column/rent", " 2018-10-05-rent "]:
        assert catalog.article(spelling) is rent, spelling
    for missing in ["2018-10-05-nothing", "column/nothing/", "feature/rent/", "column/2018-11-20-wip.md"]:
        assert catalog.article(missing) is None, missing


def test_a_renamed_article_keeps_its_id_and_is_found_at_its_new_address(tmp_path: Path) -> None:
    project = Project(tmp_path / "project")
    project.write("feature", "2018-09-28-core-projects", "핵심사업", aliases=["/feature/five-projects/"])
    catalog = project.catalog(NOW)
    article = catalog.article("feature/core-projects/")
    assert article.id == "2018-09-28-five-projects"
    assert catalog.article("2018-09-28-five-projects") is article
    assert catalog.article("feature/2018-09-28-core-projects.md") is article


def test_months_group_the_archive_newest_month_first(archive: Project) -> None:
    months = archive.catalog(NOW).by_month()
    assert list(months) == [(2018, 11), (2018, 10), (2018, 9)]
    assert {month: ids(articles) for month, articles in months.items()} == {
        (2018, 11): ["2018-11-02-care", "2018-11-02-food"],
        (2018, 10): ["2018-10-12-housing-plan", "2018-10-05-rent"],
        (2018, 9): ["2018-09-20-youth", "2018-09-01-history"],
    }
    assert list(archive.catalog("2018-12-01 09:00").by_month())[0] == (2018, 12)


def test_neighbours_are_the_next_newer_and_older_article(archive: Project) -> None:
    catalog = archive.catalog(NOW)
    newer, older = catalog.neighbours(catalog.article("2018-10-12-housing-plan"))
    assert (newer.id, older.id) == ("2018-11-02-food", "2018-10-05-rent")
    assert catalog.neighbours(catalog.article("2018-11-02-care"))[0] is None
    assert catalog.neighbours(catalog.article("2018-09-01-history"))[1] is None


# --- related articles ------------------------------------------------------------------------------
# The rule (Catalog.related): a shared series counts 3, each shared agenda or tag 2, each shared district 1;
# kind and author count nothing; best score first, the newer first on equal scores; at most `limit`.

def test_related_articles_are_ranked_by_what_they_share_not_by_date(archive: Project) -> None:
    catalog = archive.catalog(NOW)
    plan = catalog.article("2018-10-12-housing-plan")
    # 월세 이야기: agenda 주택도시계획 2 + tag 주거 2 + 마포구 1 = 5; 돌봄: agenda 복지 2 + 은평구 1 = 3;
    # 먹거리: agenda 복지 2
    assert ids(catalog.related(plan)) == ["2018-10-05-rent", "2018-11-02-care", "2018-11-02-food"]
    assert ids(catalog.related(plan, limit=2)) == ["2018-10-05-rent", "2018-11-02-care"]


def test_equal_scores_put_the_newer_article_first(archive: Project) -> None:
    catalog = archive.catalog(NOW)
    rent = catalog.article("2018-10-05-rent")
    # 먹거리: series 3 + tag 청년 2 = 5; 주거 계획: agenda 2 + tag 주거 2 + 마포구 1 = 5; 청년을 만나다: tag 청년 2
    assert ids(catalog.related(rent)) == ["2018-11-02-food", "2018-10-12-housing-plan", "2018-09-20-youth"]


def test_related_articles_never_include_the_article_itself_or_a_draft(archive: Project) -> None:
    catalog = archive.catalog(NOW)
    for article in catalog.articles:
        related = ids(catalog.related(article, limit=10))
        assert article.id not in related
        assert "2018-11-20-wip" not in related
        assert len(related) == len(set(related))
    # in a drafts preview the draft is the best match of 월세 이야기: the rule itself is not what hid it
    preview = archive.catalog(NOW, include_drafts=True)
    assert ids(preview.related(preview.article("2018-10-05-rent")))[0] == "2018-11-20-wip"


def test_sharing_only_a_kind_or_an_author_makes_no_article_related(archive: Project) -> None:
    catalog = archive.catalog(NOW)
    # 지난 이야기 is a feature like 돌봄 and 주거 계획 and is written by lee like 돌봄, and shares nothing else
    assert catalog.related(catalog.article("2018-09-01-history"), limit=10) == []
    care = catalog.article("2018-11-02-care")
    assert ids(catalog.related(care, limit=10)) == ["2018-10-12-housing-plan", "2018-11-02-food"]


def reference_related(catalog: Catalog, article, limit: int) -> list[str]:
    """The rule read straight off the articles' fields: every other visible article scored, then sorted."""
    def pairs(mine, theirs, key=lambda value: value) -> int:
        return sum(key(a) == key(b) for a in mine for b in theirs)

    tag_key = catalog.tag_slugs.__getitem__
    scored = []
    for position, other in enumerate(catalog.articles):
        if other.id == article.id:
            continue
        score = (3 * bool(article.series and article.series == other.series)
                 + 2 * pairs(article.agenda, other.agenda) + 2 * pairs(article.tags, other.tags, tag_key)
                 + pairs(article.districts, other.districts))
        if score:
            scored.append((-score, position, other.id))
    return [article_id for _, _, article_id in sorted(scored)[:limit]]


@pytest.mark.parametrize("seed", [1, 2])
def test_related_articles_of_a_random_archive_match_scoring_every_article(tmp_path: Path, seed: int) -> None:
    """Related articles are found without scoring the whole archive; they must be the very ones, in
    the very order, that scoring every article against every other gives."""
    import random

    rng = random.Random(seed)
    project = Project(tmp_path / "project")
    # a few common tags, a long tail of rare ones, and two spellings that share one address (/tags/ai/)
    tags = ["주거", "청년", "돌봄", "복지정책", "AI", "ai"] + [f"동네{n}" for n in range(40)]
    common = tags[:6]
    for n in range(300):
        front = {"tags": tuple(rng.sample(common, rng.randint(0, 2)) + rng.sample(tags[6:], rng.randint(0, 2))),
                 "agenda": tuple(rng.sample(["복지", "주택도시계획", "환경"], rng.randint(0, 2))),
                 "districts": tuple(rng.sample(["마포구", "은평구", "종로구"], rng.randint(0, 2)))}
        if rng.random() < 0.6:
            front["series"] = rng.choice(["open-table", "prep-diary"])
        if rng.random() < 0.05:
            front["draft"] = True
        day = f"2018-{rng.randint(1, 11):02d}-{rng.randint(1, 4):02d}"  # many articles share a day
        project.write(rng.choice(["column", "feature"]), f"{day}-a{n:03d}", f"글 {n}", **front)
    for options in ({}, {"include_drafts": True}):
        catalog = project.catalog(NOW, **options)
        assert len(catalog.articles) > 250
        for article in catalog.articles:
            for limit in (1, 3, 10):
                assert ids(catalog.related(article, limit)) == reference_related(catalog, article, limit), \
                    (article.id, limit)
