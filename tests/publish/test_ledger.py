"""The ledger's invariants on SQLite (and on PostgreSQL under scripts/test-postgres.sh)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from site_builder.publish import ledger as L
from site_builder.publish.ledger import PublishRecord, open_ledger

from .conftest import Clock, FIXED_NOW

KEY = ("2018-10-04-budget", "mastodon", "yours")


def test_one_row_per_article_channel_account_even_when_inserted_directly(ledger_url):
    ledger = open_ledger(ledger_url)
    row = ledger.ensure(*KEY)
    assert ledger.ensure(*KEY).id == row.id
    with pytest.raises(IntegrityError):
        with ledger.store.engine.begin() as conn:
            conn.execute(PublishRecord.__table__.insert().values(
                article_id=KEY[0], channel=KEY[1], account=KEY[2], state="planned", attempts=0,
                idempotency_key="x", record_key="", content_hash="", created_at=ledger.now(),
                updated_at=ledger.now()))


def test_a_claim_is_won_by_one_connection_only(ledger_url):
    one, two = open_ledger(ledger_url), open_ledger(ledger_url)
    row = one.ensure(*KEY)
    won = one.claim(row)
    assert won is not None and won.state == L.PENDING and won.attempts == 1
    assert two.claim(two.get(*KEY)) is None
    assert two.claim(row) is None


def test_retry_waits_for_next_retry_at_then_gives_up_after_five_attempts(ledger_url):
    clock = Clock(FIXED_NOW)
    ledger = open_ledger(ledger_url, now=clock)
    row = ledger.ensure(*KEY)
    for attempt in range(1, 6):
        row = ledger.claim(row)
        assert row is not None and row.attempts == attempt
        row = ledger.mark_failed(row, "서버 오류(503)", next_retry_at=clock() + timedelta(minutes=5))
        if attempt < 5:
            assert row.state == L.FAILED and ledger.claim(row) is None   # not before next_retry_at
            clock.advance(minutes=6)
    assert row.state == L.GAVE_UP and row.next_retry_at is None and row.error == "서버 오류(503)"
    assert ledger.claim(row) is None


def test_keys_are_stable_and_record_keys_are_valid_tids(ledger_url):
    ledger = open_ledger(ledger_url)
    row = ledger.ensure(*KEY)
    assert row.idempotency_key == L.make_idempotency_key(*KEY)
    assert len(row.record_key) == 13 and set(row.record_key) <= set("234567abcdefghijklmnopqrstuvwxyz")
    assert row.record_key[0] in "234567ab"     # a TID has 63 bits: the first character holds three


def test_rows_are_kept_through_every_state(ledger_url):
    ledger = open_ledger(ledger_url)
    row = ledger.ensure(*KEY)
    row = ledger.claim(row)
    ledger.mark_sent(row, "109", "https://social.example/@yours/109")
    other = ledger.ensure("2018-10-08-generation-balance", "brunch", "yours")
    ledger.mark_manual_pending(other)
    ledger.mark_manual_done(other.article_id, "brunch", "yours", "https://brunch.co.kr/@yours/3")
    rows = ledger.all_rows()
    assert [(r.article_id, r.state, r.remote_url) for r in rows] == [
        ("2018-10-04-budget", L.SENT, "https://social.example/@yours/109"),
        ("2018-10-08-generation-balance", L.MANUAL_DONE, "https://brunch.co.kr/@yours/3")]
