"""Korean text rules and stable identity."""

from datetime import datetime
from pathlib import Path

from site_builder.catalog import load_catalog
from site_builder.config import KST
from site_builder.content.articles import stable_id
from site_builder.textutil import korean_date, reading_minutes, slugify_term


def test_korean_long_date() -> None:
    assert korean_date(datetime(2018, 10, 24, tzinfo=KST)) == "2018년 10월 24일"


def test_reading_time_counts_characters_not_words() -> None:
    assert reading_minutes("가" * 499) == 0  # shown as "1분 미만"
    assert reading_minutes("가" * 500) == 1
    assert reading_minutes("가" * 501) == 2
    # spaces and punctuation are not read: 1000 syllables in 10 "words" is still 2 minutes
    assert reading_minutes(" ".join(["가" * 100] * 10) + "!!!") == 2


def test_tag_slugs_are_ascii_romanization() -> None:
    assert slugify_term("청년자치정부") == "cheongnyeonjachijeongbu"
    assert slugify_term("N개의 컨퍼런스") == "n-gaeui-keonpeoreonseu"


def test_stable_id_survives_a_slug_change_with_an_alias() -> None:
    assert stable_id("2018-09-28", "five-projects", []) == "2018-09-28-five-projects"
    assert stable_id("2018-09-28", "core-projects", ["feature/five-projects/"]) == "2018-09-28-five-projects"


def test_renamed_fixture_article_keeps_its_original_id(site_project: Path) -> None:
    catalog = load_catalog(site_project, now=datetime(2019, 6, 1, tzinfo=KST))
    article = catalog.article("feature/2018-09-28-core-projects.md")
    assert article.url == "feature/core-projects/"
    assert article.id == "2018-09-28-five-projects"
    assert catalog.article("2018-09-28-five-projects") is article


def test_related_articles_share_series_agenda_or_tags(site_project: Path) -> None:
    # The rule: a shared series counts 3, each shared agenda or tag 2, each shared district 1 (kind and
    # author nothing); best first, the newer first on equal scores; three at most.
    catalog = load_catalog(site_project, now=datetime(2019, 6, 1, tzinfo=KST))
    first = catalog.article("meeting/2018-09-21-first-meeting.md")
    # 두 번째 간담회: series 오픈테이블 3 + tag 간담회 2 + 종로구 1 = 6; then three articles share only the tag
    # 청년자치정부 (2 each), newest first: the column (10-08), the feature (09-28), the interview (09-05).
    # The video and the infographic share only the author (박서연) and the kind counts nothing.
    assert [a.source for a in catalog.related(first)] == [
        "meeting/2018-10-02-second-meeting.md", "column/2018-10-08-generation-balance.md",
        "feature/2018-09-28-core-projects.md"]
    assert [a.source for a in catalog.related(first, limit=10)] == [
        "meeting/2018-10-02-second-meeting.md", "column/2018-10-08-generation-balance.md",
        "feature/2018-09-28-core-projects.md", "interview/2018-09-05-prep-team.md"]
