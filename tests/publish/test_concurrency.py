"""Two runs at once post nothing twice: two real processes, one SQLite file, a real local server."""

from __future__ import annotations

import multiprocessing
import threading

import httpx

from site_builder.catalog import load_catalog
from site_builder.publish import ledger as L
from site_builder.publish.ledger import open_ledger
from site_builder.publish.plan import iter_planned
from site_builder.publish.runner import BUSY, POSTED, Publisher

from .conftest import FIXED_NOW, TOKEN, settings_for
from .fakes import REGISTRY, FakeNetwork, LocalServer

VISIBLE = 8


def _run(project: str, db_url: str, api: str, results, start=None) -> None:
    if start is not None:
        start.wait(30)
    catalog = load_catalog(project, now=FIXED_NOW)
    settings = settings_for({"fake": {"accounts": {"yours": {"endpoint": api}}}}, live_check=False)
    planned, _ = iter_planned(catalog, settings)
    with httpx.Client(timeout=30) as http:
        report = Publisher(planned, settings, registry=REGISTRY, content_dir=catalog.config.content_dir,
                           ledger=open_ledger(db_url), http=http,
                           credentials=lambda c, a: {"token": TOKEN}).run()
    results.put([(o.article, o.action) for o in report.outcomes])


def test_a_second_run_while_the_first_is_posting_posts_nothing_twice(project, tmp_path):
    ctx = multiprocessing.get_context("fork")
    network = FakeNetwork(token=TOKEN)
    first_post = threading.Event()
    release = threading.Event()
    answer = network.answer

    def blocking(method, path, headers, body):
        # the first POST is held until the second run has finished: the first run is "in flight"
        if method == "POST" and not first_post.is_set():
            first_post.set()
            release.wait(60)
        return answer(method, path, headers, body)

    network.answer = blocking
    db_url = f"sqlite:///{tmp_path / 'ledger.db'}"
    open_ledger(db_url)  # create the tables once, as a first run would
    results = ctx.Queue()
    with LocalServer(network) as server:
        api = server.url + "/api"
        a = ctx.Process(target=_run, args=(str(project), db_url, api, results))
        a.start()
        assert first_post.wait(60)
        b = ctx.Process(target=_run, args=(str(project), db_url, api, results))
        b.start()
        second = results.get(timeout=120)
        b.join(60)
        release.set()
        first = results.get(timeout=120)
        a.join(60)
    assert a.exitcode == 0 and b.exitcode == 0
    busy = [article for article, action in second if action == BUSY]
    assert len(busy) == 1
    assert sum(1 for _, action in second if action == POSTED) == VISIBLE - 1
    assert [action for article, action in first if article == busy[0]] == [POSTED]
    assert network.deliveries == VISIBLE
    assert sorted(network.posted_ids()) == sorted({a for a, _ in first})
    rows = open_ledger(db_url).all_rows()
    assert len(rows) == VISIBLE and {r.state for r in rows} == {L.SENT}
    entries = (project / "content" / "syndication.yml").read_text(encoding="utf-8").count("- article:")
    assert entries == VISIBLE


def test_two_runs_started_together_post_each_article_once(project, tmp_path):
    ctx = multiprocessing.get_context("fork")
    network = FakeNetwork(token=TOKEN)
    db_url = f"sqlite:///{tmp_path / 'ledger.db'}"
    results = ctx.Queue()
    start = ctx.Event()
    with LocalServer(network) as server:
        procs = [ctx.Process(target=_run, args=(str(project), db_url, server.url + "/api", results, start))
                 for _ in range(2)]
        for p in procs:
            p.start()
        start.set()
        outcomes = [results.get(timeout=120) for _ in procs]
        for p in procs:
            p.join(60)
    assert [p.exitcode for p in procs] == [0, 0]
    assert network.deliveries == VISIBLE
    posted = [a for run in outcomes for a, action in run if action == POSTED]
    assert sorted(posted) == sorted(set(posted)) and len(posted) == VISIBLE


def test_claiming_is_compare_and_set_across_connections(tmp_path):
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    one, two = open_ledger(url), open_ledger(url)
    row = one.ensure("2018-10-04-budget", "fake", "yours")
    same = two.ensure("2018-10-04-budget", "fake", "yours")
    assert same.id == row.id                       # UNIQUE(article, channel, account): one row
    assert one.claim(row) is not None
    assert two.claim(same) is None                 # the second connection loses
    assert len(two.all_rows()) == 1
