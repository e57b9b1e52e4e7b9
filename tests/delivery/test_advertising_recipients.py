"""An issue marked is_advertising goes only to subscribers who gave the separate advertising consent,
checked when the list is frozen and again when each row is claimed (정보통신망법 제50조)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select, update

from site_builder.delivery import send_issue
from site_builder.delivery.engine import RetryPolicy
from site_builder.delivery.ledger import Delivery
from site_builder.subscribers.models import Subscriber

from .conftest import SECRET, add_subscribers

FAST = RetryPolicy(first=timedelta(milliseconds=20), wait=timedelta(seconds=30))
GIVEN = datetime(2019, 5, 2, tzinfo=timezone.utc)


def _give_ad_consent(store, addresses):
    with store.session() as s, s.begin():
        s.execute(update(Subscriber).where(Subscriber.address.in_(addresses))
                  .values(ad_consent_version="1", ad_consent_at=GIVEN))


def test_an_advertising_issue_reaches_only_those_who_gave_the_advertising_consent(store, composer, transport, sink, clock):
    addresses = add_subscribers(store, 6)
    _give_ad_consent(store, addresses[:2])
    report = send_issue(store, composer, transport, issue_id="1", slug="first-letter", subject="s", secret=SECRET,
                        connections=2, policy=FAST, advertising=True, clock=clock)
    assert report.snapshot == 2
    assert sorted(sink.per_recipient()) == sorted(addresses[:2])


def test_a_consent_withdrawn_after_the_list_was_frozen_is_honoured_when_sending(store, composer, transport, sink, clock):
    from site_builder.delivery import ledger

    addresses = add_subscribers(store, 3)
    _give_ad_consent(store, addresses)
    ledger.open_ledger(store)
    with store.writing(), store.session() as s, s.begin():
        ledger.ensure_issue(s, "1", "first-letter", "s", GIVEN)
    assert ledger.snapshot(store, "1", None, GIVEN, advertising=True) == 3
    with store.session() as s, s.begin():   # withdrawn in the preferences before the sender got to it
        s.execute(update(Subscriber).where(Subscriber.address == addresses[1])
                  .values(ad_consent_version=None, ad_consent_at=None))
    send_issue(store, composer, transport, issue_id="1", slug="first-letter", subject="s", secret=SECRET,
               connections=1, policy=FAST, advertising=True, clock=clock)
    assert sorted(sink.per_recipient()) == [addresses[0], addresses[2]]
    with store.session() as s:
        replies = s.scalars(select(Delivery.reply).where(Delivery.state == "skipped")).all()
    assert replies == ["보내지 않음: 광고성 정보 수신 동의가 없는 광고 호 (보내기 직전에 확인)"]


def test_an_issue_that_is_not_advertising_still_goes_to_everyone(store, composer, transport, sink, clock):
    addresses = add_subscribers(store, 4)
    _give_ad_consent(store, addresses[:1])
    report = send_issue(store, composer, transport, issue_id="1", slug="first-letter", subject="s", secret=SECRET,
                        connections=2, policy=FAST, clock=clock)
    assert report.snapshot == 4 and sorted(sink.per_recipient()) == sorted(addresses)
