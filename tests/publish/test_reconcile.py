"""An interrupted run (SIGKILL between the network's reply and the ledger update) is reconciled by the
next run before anything new is posted, and nothing is posted twice. Real processes, a real loopback
server, a real SQLite file."""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import threading

import httpx

from site_builder.catalog import load_catalog
from site_builder.publish import ledger as L
from site_builder.publish.channel import Unknowable
from site_builder.publish.ledger import open_ledger
from site_builder.publish.plan import iter_planned
from site_builder.publish.runner import POSTED, RECONCILED, UNKNOWN_NOW, Publisher

from .conftest import FIXED_NOW, TOKEN, settings_for
from .fakes import REGISTRY, FakeChannel, FakeNetwork, LocalServer

VISIBLE = 8


def _publisher(project, db_url, api, http, registry=REGISTRY):
    catalog = load_catalog(project, now=FIXED_NOW)
    settings = settings_for({"fake": {"accounts": {"yours": {"endpoint": api}}}}, live_check=False)
    planned, _ = iter_planned(catalog, settings)
    return Publisher(planned, settings, registry=registry, content_dir=catalog.config.content_dir,
                     ledger=open_ledger(db_url), http=http, credentials=lambda c, a: {"token": TOKEN})


def _run(project, db_url, api):
    with httpx.Client(timeout=60) as http:
        _publisher(project, db_url, api, http).run()


def _crash_once(project, tmp_path, *, landed: bool):
    """Run a publisher in a child process and SIGKILL it while its first POST is being answered."""
    network = FakeNetwork(token=TOKEN)
    arrived, release = threading.Event(), threading.Event()
    answer = network.answer

    def interrupted(method, path, headers, body):
        if method == "POST" and not arrived.is_set():
            result = answer(method, path, headers, body) if landed else (503, {}, "{}")
            arrived.set()
            release.wait(60)
            return result
        return answer(method, path, headers, body)

    network.answer = interrupted
    db_url = f"sqlite:///{tmp_path / 'ledger.db'}"
    ctx = multiprocessing.get_context("fork")
    server = LocalServer(network).__enter__()
    api = server.url + "/api"
    child = ctx.Process(target=_run, args=(str(project), db_url, api))
    child.start()
    assert arrived.wait(60)
    os.kill(child.pid, signal.SIGKILL)
    child.join(60)
    release.set()
    assert child.exitcode == -signal.SIGKILL
    return network, server, db_url, api


def test_a_post_that_landed_before_the_crash_is_found_and_not_posted_again(project, tmp_path):
    network, server, db_url, api = _crash_once(project, tmp_path, landed=True)
    try:
        (pending,) = open_ledger(db_url).rows_for(states=[L.PENDING])
        assert network.posted_ids() == [pending.article_id]
        with httpx.Client(timeout=60) as http:
            report = _publisher(project, db_url, api, http).run()
    finally:
        server.__exit__(None, None, None)
    first = report.outcomes[0]
    assert (first.article, first.action) == (pending.article_id, RECONCILED)
    assert report.count(POSTED) == VISIBLE - 1
    assert network.deliveries == VISIBLE          # the landed post was not sent again
    assert len(network.posts) == VISIBLE
    rows = open_ledger(db_url).all_rows()
    assert {r.state for r in rows} == {L.SENT}
    assert next(r for r in rows if r.article_id == pending.article_id).remote_url == first.url


def test_a_post_that_did_not_land_is_posted_once_by_the_next_run(project, tmp_path):
    network, server, db_url, api = _crash_once(project, tmp_path, landed=False)
    try:
        (pending,) = open_ledger(db_url).rows_for(states=[L.PENDING])
        assert network.posts == {}
        with httpx.Client(timeout=60) as http:
            report = _publisher(project, db_url, api, http).run()
    finally:
        server.__exit__(None, None, None)
    assert report.count(POSTED) == VISIBLE
    assert sorted(network.posted_ids()) == sorted({p for p in network.posted_ids()})
    assert len(network.posts) == VISIBLE
    row = open_ledger(db_url).get(pending.article_id, "fake", "yours")
    assert row.state == L.SENT and row.attempts == 2


class NoLookupChannel(FakeChannel):
    def reconcile(self, draft, ctx):
        raise Unknowable("이 네트워크는 게시 여부를 확인할 방법이 없습니다")


def test_an_unknowable_attempt_becomes_unknown_for_a_person(project, tmp_path, network):
    db_url = f"sqlite:///{tmp_path / 'ledger.db'}"
    ledger = open_ledger(db_url)
    row = ledger.ensure("2018-10-04-budget", "fake", "yours")
    ledger.claim(row)
    # the run that claimed it is gone: a finished process's pid on this host
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()
    with ledger.store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE publish_records SET runner = ?", (f"{socket.gethostname()}:{dead}",))
    with httpx.Client(transport=httpx.MockTransport(network.handler)) as http:
        report = _publisher(project, db_url, "https://fake.example/api", http,
                            {"fake": NoLookupChannel}).run()
    unknown = [o for o in report.outcomes if o.action == UNKNOWN_NOW]
    assert [o.article for o in unknown] == ["2018-10-04-budget"]
    assert "publish done" in unknown[0].message
    assert "2018-10-04-budget" not in network.posted_ids()
    assert ledger.get("2018-10-04-budget", "fake", "yours").state == L.UNKNOWN
