"""The site shows "다른 곳에서 보기" (u-syndication) from content/syndication.yml on the next build,
and the article page carries the stable id the live check looks for. Real MkDocs build, real parser."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import httpx
import mf2py

from site_builder.build.pipeline import build_site
from site_builder.catalog import load_catalog
from site_builder.publish.livecheck import check_live
from site_builder.publish.plan import live_marker
from site_builder.content.syndication import SyndicationLink, append_syndication, load_syndication

from .conftest import FIXED_NOW


def test_syndication_links_appear_on_the_article_page_from_the_file_alone(project):
    content = project / "content"
    append_syndication(content, SyndicationLink("2018-10-04-budget", "mastodon", "yours",
                                                "https://social.example/@yours/101", "2026-12-01T21:00:00+09:00"))
    append_syndication(content, SyndicationLink("2018-10-04-budget", "brunch", "yours",
                                                "https://brunch.co.kr/@yours/7", "2026-12-01T21:05:00+09:00"))
    build_site(project, now=FIXED_NOW)
    page = (project / "site" / "cardnews" / "budget" / "index.html").read_text(encoding="utf-8")
    assert "다른 곳에서 보기" in page
    parsed = mf2py.parse(doc=page, url="https://yours.example.org/cardnews/budget/")
    entries = [i for i in parsed["items"] if "h-entry" in i["type"]]
    assert [e["properties"]["syndication"] for e in entries] == [
        ["https://social.example/@yours/101", "https://brunch.co.kr/@yours/7"]]
    assert entries[0]["properties"]["url"] == ["https://yours.example.org/cardnews/budget/"]
    assert parsed["rels"]["syndication"] == ["https://social.example/@yours/101", "https://brunch.co.kr/@yours/7"]
    other = (project / "site" / "interview" / "prep-team" / "index.html").read_text(encoding="utf-8")
    assert "다른 곳에서 보기" not in other


def test_append_is_append_only_and_keeps_the_first_entry(project):
    content = project / "content"
    link = SyndicationLink("2018-10-04-budget", "mastodon", "yours", "https://social.example/@yours/1")
    assert append_syndication(content, link) is True
    before = (content / "syndication.yml").read_text(encoding="utf-8")
    assert append_syndication(content, SyndicationLink("2018-10-04-budget", "mastodon", "yours",
                                                       "https://social.example/@yours/2")) is False
    assert (content / "syndication.yml").read_text(encoding="utf-8") == before
    append_syndication(content, SyndicationLink("2018-10-08-generation-balance", "mastodon", "yours",
                                                "https://social.example/@yours/3"))
    after = (content / "syndication.yml").read_text(encoding="utf-8")
    assert after.startswith(before)
    links, problems = load_syndication(content)
    assert problems == [] and [l.url for l in links["2018-10-04-budget"]] == ["https://social.example/@yours/1"]


def test_a_broken_entry_is_reported_with_its_line(project):
    (project / "content" / "syndication.yml").write_text(
        "- article: 2018-10-04-budget\n  channel: mastodon\n  url: social.example/1\n", encoding="utf-8")
    from site_builder.catalog import check_content
    from site_builder.config import load_config

    _, problems = check_content(load_config(project), now=FIXED_NOW)
    assert [str(p) for p in problems if p.path.endswith("syndication.yml")] == [
        "content/syndication.yml:1: url: 'social.example/1'은(는) 주소가 아닙니다 — https://로 시작하는 게시물 주소를 적으세요"]


def test_the_built_page_passes_the_live_check_and_another_page_does_not(project):
    build_site(project, now=FIXED_NOW)
    catalog = load_catalog(project, now=FIXED_NOW)
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(project / "site"))
    handler.log_message = lambda *a: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        article = catalog.article("2018-10-04-budget")
        with httpx.Client() as http:
            assert check_live(http, base + article.url, live_marker(article.id)).ok
            wrong = check_live(http, base + "column/generation-balance/", live_marker(article.id))
            missing = check_live(http, base + "cardnews/not-yet/", live_marker(article.id))
    finally:
        server.shutdown()
        server.server_close()
    assert not wrong.ok and "id가 없습니다" in wrong.reason
    assert not missing.ok and "404" in missing.reason
