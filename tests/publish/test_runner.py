"""The runner against a fake network (httpx.MockTransport) and a real SQLite ledger."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import yaml

from site_builder.publish import ledger as L
from site_builder.publish.ledger import open_ledger
from site_builder.publish.runner import ALREADY, GAVE_UP_NOW, INVALID, KIT, POSTED, STOPPED, WAITING, WOULD_POST

from .conftest import TOKEN, settings_for
from .fakes import failing_transport

VISIBLE = 8  # visible articles of the fixture site


def posts(network, method="POST"):
    return [r for r in network.requests if r[0] == method and r[1].startswith("/api/posts")]


def test_dry_run_makes_no_request_and_says_what_it_would_post(make_publisher):
    report = make_publisher(transport=failing_transport()).dry_run()
    assert [o.action for o in report.outcomes] == [WOULD_POST] * VISIBLE
    assert all(o.message == "예상 비용 $0.01" for o in report.outcomes)
    assert len(report.drafts) == VISIBLE and all(d.draft for d in report.drafts)


def test_live_run_posts_every_article_once_and_a_second_run_posts_nothing(make_publisher, network, project):
    first = make_publisher().run()
    assert first.count(POSTED) == VISIBLE
    assert len(posts(network)) == VISIBLE
    second = make_publisher().run()
    assert second.count(ALREADY) == VISIBLE
    assert len(posts(network)) == VISIBLE
    entries = yaml.safe_load((project / "content" / "syndication.yml").read_text(encoding="utf-8"))
    assert sorted(e["article"] for e in entries) == network.posted_ids()
    assert {e["url"] for e in entries} == {p["url"] for p in network.posts.values()}


def test_pending_is_committed_before_the_request(make_publisher, network):
    seen = []
    inner = network.handler

    def handler(request):
        if request.method == "POST":
            # another connection to the same database file, as another process would open it
            db = sqlite3.connect(make_publisher.url.removeprefix("sqlite:///"))
            seen.append(db.execute("SELECT state, attempts FROM publish_records WHERE article_id = ?",
                                   (request.read() and __import__("json").loads(request.content)["post"],)).fetchone())
            db.close()
        return inner(request)

    import httpx

    make_publisher(transport=httpx.MockTransport(handler)).run()
    assert seen and all(row == ("pending", 1) for row in seen)


def test_a_5xx_is_retried_after_a_backoff_then_posted(make_publisher, network, clock):
    network.script = [503]
    report = make_publisher().run()
    assert report.count(POSTED) == VISIBLE
    assert clock.slept == [2.0]
    led = open_ledger(make_publisher.url, now=clock)
    assert sorted(r.attempts for r in led.all_rows()) == [1] * (VISIBLE - 1) + [2]


def test_a_long_retry_after_sets_next_retry_at_without_waiting(make_publisher, network, clock):
    network.script = [(429, {"Retry-After": "600"})]
    report = make_publisher().run()
    assert clock.slept == []
    # the account is paused: nothing else is tried on it in this run
    assert len(posts(network)) == 1
    assert report.count(WAITING) == VISIBLE
    led = open_ledger(make_publisher.url, now=clock)
    failed = led.rows_for(states=[L.FAILED])
    assert len(failed) == 1 and failed[0].next_retry_at == clock() + timedelta(seconds=600) + timedelta(seconds=0)
    # before the time: no request for it
    again = make_publisher().run()
    assert again.count(POSTED) == VISIBLE - 1
    assert len(posts(network)) == VISIBLE
    clock.advance(seconds=601)
    last = make_publisher().run()
    assert last.count(POSTED) == 1 and len(network.posts) == VISIBLE


def test_an_outage_is_retried_twice_in_a_run_then_waits_for_the_next_run(make_publisher, network, clock):
    network.script = [503] * 20
    report = make_publisher().run()
    assert clock.slept == [2.0, 4.0]
    assert len(posts(network)) == 3          # the account's other posts wait for the next run too
    assert report.count(WAITING) == VISIBLE
    (row,) = open_ledger(make_publisher.url, now=clock).rows_for(states=[L.FAILED])
    assert row.attempts == 3 and row.next_retry_at == clock() + timedelta(seconds=8)


def test_waiting_is_capped_at_about_a_minute_per_run(make_publisher, network, clock):
    network.script = [(429, {"Retry-After": "40"})] * 5
    report = make_publisher().run()
    assert clock.slept == [40.0]              # a second 40 s wait would pass the minute
    assert len(posts(network)) == 2
    (row,) = open_ledger(make_publisher.url, now=clock).rows_for(states=[L.FAILED])
    assert row.next_retry_at == clock() + timedelta(seconds=40)
    assert "429" in next(o.message for o in report.outcomes if o.article == row.article_id)


def test_gives_up_after_five_attempts_and_says_so(make_publisher, network, clock):
    settings = settings_for(kinds=["cardnews"])
    network.script = [500] * 50
    actions = []
    for _ in range(6):
        report = make_publisher(settings).run()
        actions += [o.action for o in report.outcomes]
        clock.advance(hours=2)
    assert len(posts(network)) == 5
    assert actions[-1] == GAVE_UP_NOW or actions[-1] == WAITING
    led = open_ledger(make_publisher.url, now=clock)
    (row,) = led.all_rows()
    assert row.state == L.GAVE_UP and row.attempts == 5 and row.next_retry_at is None
    assert GAVE_UP_NOW in actions


def test_daily_cap_holds_the_rest_for_the_next_day(make_publisher, network, clock):
    settings = settings_for({"fake": {"daily_cap": 3, "accounts": {"yours": {}}}})
    first = make_publisher(settings).run()
    assert first.count(POSTED) == 3 and first.count(WAITING) == VISIBLE - 3
    assert "오늘 게시 한도(3개)" in next(o.message for o in first.outcomes if o.action == WAITING)
    assert make_publisher(settings).run().count(POSTED) == 0
    clock.advance(days=1)
    assert make_publisher(settings).run().count(POSTED) == 3


def test_instagram_defaults_to_fifty_a_day():
    from site_builder.publish.settings import parse_publish_settings

    settings = parse_publish_settings({"channels": {"instagram": {"accounts": {"yours": {}}}}})
    assert settings.accounts[0].daily_cap == 50


def test_an_expired_token_stops_that_account_only(make_publisher, network):
    settings = settings_for({"fake": {"accounts": {"old": {}, "yours": {}}}})
    creds = {"old": {"token": "tok-EXPIRED-zzz999"}, "yours": {"token": TOKEN}}
    report = make_publisher(settings, credentials=lambda c, a: creds[a]).run()
    old = [o for o in report.outcomes if o.account == "old"]
    assert [o.action for o in old] == [STOPPED] * VISIBLE
    assert report.count(POSTED) == VISIBLE               # the other account went on
    assert len(posts(network)) == VISIBLE + 1           # one refused request for "old", then nothing
    message = report.stopped["fake/old"]
    assert "인증이 만료되었거나 취소되었습니다" in message and "SITE_BUILDER_PUBLISH_FAKE_OLD_TOKEN" in message
    assert "tok-EXPIRED-zzz999" not in message
    led = open_ledger(make_publisher.url)
    old_rows = [r for r in led.all_rows() if r.account == "old"]
    assert {r.state for r in old_rows} == {L.PLANNED} and {r.attempts for r in old_rows} == {0}


def test_a_page_not_yet_live_is_not_posted_and_the_reason_is_given(make_publisher, network, catalog):
    cardnews = next(a for a in catalog.articles if a.kind == "cardnews")
    network.not_live.add(cardnews.id)
    report = make_publisher().run()
    assert report.count(POSTED) == VISIBLE - 1
    waiting = next(o for o in report.outcomes if o.article == cardnews.id)
    assert waiting.action == WAITING and "404" in waiting.message
    assert cardnews.id not in network.posted_ids()
    network.not_live.clear()
    assert make_publisher().run().count(POSTED) == 1


def test_a_refused_draft_is_failed_with_the_networks_reason_until_the_content_changes(make_publisher, network,
                                                                                     project, catalog):
    article = catalog.articles[0]
    path = project / "content" / article.source
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n---\n", "\nsocial:\n  fake: " + "가" * 130 + "\n---\n", 1), encoding="utf-8")
    from site_builder.catalog import load_catalog
    from site_builder.publish.plan import iter_planned
    from .conftest import FIXED_NOW

    planned, problems = iter_planned(load_catalog(project, now=FIXED_NOW), settings_for())
    assert problems == []
    publisher = make_publisher()
    publisher.planned = planned
    report = publisher.run()
    bad = next(o for o in report.outcomes if o.article == article.id)
    assert bad.action == INVALID and "130자로 120자를 넘습니다" in bad.message
    assert bad.message.startswith(f"content/{article.source}: text:")
    assert article.id not in network.posted_ids()


def test_a_lost_database_never_causes_a_repost(make_publisher, network, tmp_path, clock):
    make_publisher().run()
    assert len(posts(network)) == VISIBLE
    fresh = open_ledger(f"sqlite:///{tmp_path / 'new.db'}", now=clock)
    report = make_publisher(ledger=fresh).run()
    assert report.count(ALREADY) == VISIBLE
    assert len(posts(network)) == VISIBLE
    assert {r.state for r in fresh.all_rows()} == {L.SENT}


def test_manual_channels_get_a_kit_and_no_request(make_publisher, network):
    settings = settings_for({"manualfake": {"accounts": {"yours": {}}}})
    report = make_publisher(settings, transport=failing_transport()).run()
    assert report.count(KIT) == VISIBLE
    led = open_ledger(make_publisher.url)
    assert {r.state for r in led.all_rows()} == {L.MANUAL_PENDING}
