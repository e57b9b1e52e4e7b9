"""Helpers that put rows straight into the store (no test functions here)."""

from __future__ import annotations

from datetime import datetime

from site_builder.subscribers import Subscriber, SubscriberTopic, address_hash

from .conftest import SECRET


def subscribed(store, address: str, at: datetime, topics=(), status="subscribed") -> int:
    """Insert a confirmed subscriber and return its id."""
    with store.session() as s, s.begin():
        row = Subscriber(address=address, address_hash=address_hash(SECRET.encode(), address), status=status,
                         created_at=at, updated_at=at, consent_at=at, consent_method="form",
                         consent_version="2026-03", confirmed_at=at)
        row.topics = [SubscriberTopic(topic=t) for t in topics]
        s.add(row)
        s.flush()
        return row.id
