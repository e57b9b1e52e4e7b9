"""A send killed with SIGKILL part-way, then resumed: everyone gets exactly one copy, except the few
reported unknown, which are never more than the messages in flight at the kill."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from sqlalchemy import func, select

from site_builder.cli import main
from site_builder.delivery.ledger import Delivery
from site_builder.subscribers.models import Subscriber

from .conftest import SECRET, add_subscribers, project_copy

RECIPIENTS = 3000
CONNECTIONS = 4
BATCH = 20          # delivery.batch in mkdocs.yml: rows claimed per connection at a time


def _env(root, sink):
    env = dict(os.environ)
    env.update({
        "SITE_BUILDER_SECRET": SECRET.decode(),
        "SITE_BUILDER_SMTP_URL": f"smtp://127.0.0.1:{sink.port}",
        "SITE_BUILDER_DATABASE_URL": f"sqlite:///{root / 'subscribers.db'}",
        "SITE_BUILDER_NOW": "2019-06-01T12:00:00+09:00",
        "SITE_BUILDER_ALLOW_LOCAL_LINKS": "1",   # the fixture's service is http://subs.test
    })
    return env


def test_sigkill_midway_then_resume_delivers_each_message_once(tmp_path, sink, monkeypatch, capsys):
    from site_builder.delivery import open_ledger
    from site_builder.subscribers import open_store

    root = project_copy(tmp_path, extra=f"      batch: {BATCH}\n")
    env = _env(root, sink)
    store = open_ledger(open_store(env["SITE_BUILDER_DATABASE_URL"]))
    addresses = add_subscribers(store, RECIPIENTS)
    sink.reach_at = 1000
    cmd = [sys.executable, "-m", "site_builder", "--root", str(root), "newsletter", "send", "1",
           "--skip-proof", "--no-progress", "--connections", str(CONNECTIONS)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        while not sink.reached.wait(timeout=0.5):
            assert proc.poll() is None, proc.stderr.read().decode()
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    before = sink.per_recipient()
    assert 1000 <= sum(before.values()) < RECIPIENTS, "killed part-way"
    with store.session() as s:
        in_flight = s.scalar(select(func.count()).select_from(Delivery).where(Delivery.state == "sending"))
    # what the kill left claimed but not recorded: at most one batch per connection
    assert in_flight <= CONNECTIONS * BATCH

    # resume in this process, through the same command
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    status = main(["--root", str(root), "newsletter", "send", "1", "--resume", "--no-progress",
                   "--connections", str(CONNECTIONS)])
    out = capsys.readouterr().out
    assert status == 0, out

    with store.session() as s:
        states = dict(s.execute(select(Subscriber.address, Delivery.state).join(
            Subscriber, Subscriber.id == Delivery.subscriber_id)).all())
    got = sink.per_recipient()
    unknown = [a for a, st in states.items() if st == "unknown"]
    assert set(states.values()) <= {"sent", "unknown"}
    # at most one batch per connection was claimed (`sending`) and not yet recorded at the kill
    assert len(unknown) <= CONNECTIONS * BATCH
    assert len(unknown) == in_flight                       # exactly the rows the kill left `sending`
    for address in addresses:
        if states[address] == "sent":
            assert got.get(address) == 1, address
        else:
            assert got.get(address, 0) <= 1, address
    assert f"확인 필요(unknown) {len(unknown)}" in out or not unknown

    # status shows the counts and lists the unknown ones for the operator
    main(["--root", str(root), "newsletter", "status", "1", "--limit", str(CONNECTIONS * BATCH)])
    status_out = capsys.readouterr().out
    sent = sum(1 for st in states.values() if st == "sent")
    assert f"sent      {sent:>8}" in status_out
    for address in unknown:
        assert address in status_out
    store.close()
