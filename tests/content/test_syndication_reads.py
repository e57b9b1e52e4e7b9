"""content/syndication.yml read twice by a build: the second read gives the same, and a file changed
in between is read again."""

from __future__ import annotations

from pathlib import Path

from site_builder.content.syndication import SyndicationLink, append_syndication, load_syndication


def test_a_second_read_is_the_first_and_an_appended_entry_is_seen(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    first = SyndicationLink("2018-10-05-youth-union", "mastodon", "yours", "https://social.example/@yours/1", "d")
    append_syndication(content, first)
    found, problems = load_syndication(content)
    found["changed by a caller"] = ()
    assert load_syndication(content) == ({first.article: (first,)}, [])
    second = SyndicationLink(first.article, "bluesky", "yours", "https://bsky.example/post/2", "d")
    append_syndication(content, second)
    assert load_syndication(content) == ({first.article: (first, second)}, [])
    (content / "syndication.yml").write_text("- article: [\n", encoding="utf-8")
    assert load_syndication(content)[1][0].field == "syndication"
