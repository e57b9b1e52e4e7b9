"""SIGKILL between the network's reply and the ledger update, against the real Mastodon and Bluesky servers.

A child process runs the real publisher (core runner, real SQLite ledger, the real channel) over
the fixture site. An httpx response hook in the child reads the server's reply to the post
request (the server has made the post by then) and kills its own process with SIGKILL, so the
ledger row stays `pending` and no syndication link is written. The next run must reconcile that
row (Mastodon: the link in the account's statuses; Bluesky: getRecord on the pre-chosen rkey)
and post every other article, and the server must hold exactly one post per article.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import Counter
from html import unescape
from pathlib import Path

import httpx
import pytest

from site_builder.catalog import load_catalog
from site_builder.publish import ledger as L
from site_builder.publish.channels import API_CHANNELS
from site_builder.publish.ledger import open_ledger
from site_builder.publish.plan import iter_planned
from site_builder.publish.runner import POSTED, RECONCILED, Publisher
from site_builder.publish.settings import parse_publish_settings

from ..conftest import FIXED_NOW, FIXTURE_SITE, copy_site   # the core's fixtures of tests/publish

POST_PATHS = ("/api/v1/statuses", "/xrpc/com.atproto.repo.createRecord")


def publisher(project: Path, db_url: str, channel: str, options: dict, credentials: dict, http: httpx.Client) -> Publisher:
    catalog = load_catalog(project, now=FIXED_NOW)
    settings = parse_publish_settings({"live_check": False, "kinds": ["interview", "column", "meeting"],
                                       "channels": {channel: {"accounts": {"yours": options}}}}, set(API_CHANNELS))
    planned, _ = iter_planned(catalog, settings)
    return Publisher(planned, settings, registry=API_CHANNELS, content_dir=catalog.config.content_dir,
                     ledger=open_ledger(db_url), http=http, credentials=lambda c, a: credentials)


def run_and_die_after_first_post(project: str, db_url: str, channel: str, options: dict, credentials: dict) -> None:
    """The child: publish until the first post's reply has arrived, then SIGKILL itself."""
    def die_after_reply(response: httpx.Response) -> None:
        if response.request.method == "POST" and response.request.url.path in POST_PATHS:
            response.read()                      # the whole reply is here: the post exists on the server
            os.kill(os.getpid(), signal.SIGKILL)  # ... and the ledger never hears of it

    with httpx.Client(timeout=60, event_hooks={"response": [die_after_reply]}) as http:
        publisher(Path(project), db_url, channel, options, credentials, http).run()


def crash_then_rerun(tmp_path: Path, channel: str, options: dict, credentials: dict):
    project = copy_site(FIXTURE_SITE, tmp_path / "project")
    db_url = f"sqlite:///{tmp_path / 'ledger.db'}"
    child = multiprocessing.get_context("fork").Process(
        target=run_and_die_after_first_post, args=(str(project), db_url, channel, options, credentials))
    child.start()
    child.join(300)
    assert child.exitcode == -signal.SIGKILL
    (pending,) = open_ledger(db_url).rows_for(states=[L.PENDING])
    assert pending.remote_url in ("", None)
    with httpx.Client(timeout=60) as http:
        report = publisher(project, db_url, channel, options, credentials, http).run()
    return project, db_url, pending, report


def article_urls(project: Path) -> dict[str, str]:
    """Return article id -> canonical URL of the fixture site."""
    catalog = load_catalog(project, now=FIXED_NOW)
    return {a.id: catalog.config.absolute_url(a.url) for a in catalog.articles}


def article_of(text: str, urls: dict[str, str]) -> list[str]:
    """Return the ids of the articles whose URL (with UTM) the text links to."""
    return [i for i, url in urls.items() if f"{url}?utm_source=" in text]


def test_mastodon_crash_is_reconciled_and_nothing_is_posted_twice(tmp_path, mastodon_url):
    options = {"instance": mastodon_url}
    project, db_url, pending, report = crash_then_rerun(tmp_path, "mastodon", options, {"token": "mock_token"})
    rows = open_ledger(db_url).all_rows()
    reconciled = [o for o in report.outcomes if o.action == RECONCILED]
    assert [o.article for o in reconciled] == [pending.article_id]
    assert {r.state for r in rows} == {L.SENT}
    with httpx.Client() as http:
        me = http.get(f"{mastodon_url}/api/v1/accounts/verify_credentials", headers={"Authorization": "Bearer mock_token"}).json()
        statuses = http.get(f"{mastodon_url}/api/v1/accounts/{me['id']}/statuses", params={"limit": 40}).json()
    urls = article_urls(project)
    per_article = Counter(a for s in statuses for a in article_of(unescape(s["content"]), urls))
    assert set(per_article.values()) == {1} and set(per_article) == {r.article_id for r in rows if r.remote_id}
    assert report.count(POSTED) == len(per_article) - 1
    assert next(r for r in rows if r.article_id == pending.article_id).remote_url == reconciled[0].url
    assert reconciled[0].url in (project / "content" / "syndication.yml").read_text(encoding="utf-8")


def test_bluesky_crash_is_reconciled_and_nothing_is_posted_twice(tmp_path, bluesky_pds):
    options = {"pds": bluesky_pds["url"]}
    credentials = {"identifier": bluesky_pds["handle"], "app_password": bluesky_pds["appPassword"]}
    project, db_url, pending, report = crash_then_rerun(tmp_path, "bluesky", options, credentials)
    rows = open_ledger(db_url).all_rows()
    reconciled = [o for o in report.outcomes if o.action == RECONCILED]
    assert [o.article for o in reconciled] == [pending.article_id]
    assert {r.state for r in rows} == {L.SENT}
    with httpx.Client() as http:
        records = http.get(f"{bluesky_pds['url']}/xrpc/com.atproto.repo.listRecords",
                           params={"repo": bluesky_pds["did"], "collection": "app.bsky.feed.post", "limit": 100}).json()["records"]
    urls = article_urls(project)
    per_article = Counter(a for r in records for a in article_of(str(r["value"].get("facets", "")), urls))
    assert set(per_article.values()) == {1} and set(per_article) == {r.article_id for r in rows if r.remote_id}
    assert report.count(POSTED) == len(per_article) - 1
    assert next(r for r in rows if r.article_id == pending.article_id).remote_id.endswith(pending.record_key)
