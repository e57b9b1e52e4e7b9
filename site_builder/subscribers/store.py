"""The subscriber store: its migrations (run by db/) and the queries other modules call."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy import and_, exists, func, inspect, not_, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.schema import CreateColumn

from ..db import Migration, Store, apply_migrations, create_tables, open_database
from .models import SUBSCRIBED, SUBSCRIBER_TABLES, Subscriber, SubscriberTopic, Suppression
from .tokens import address_hash, secret_from_env

def _v2_advertising_consent(conn: Connection) -> None:
    """Add the advertising consent columns to a store made before them (a new store has them from v1)."""
    have = {c["name"] for c in inspect(conn).get_columns("subscribers")}
    for name in ("ad_consent_version", "ad_consent_at"):
        if name not in have:
            column = Subscriber.__table__.c[name]
            ddl = CreateColumn(column).compile(dialect=conn.dialect)
            conn.exec_driver_sql(f"ALTER TABLE subscribers ADD COLUMN {ddl}")


# Append only: each step runs once per database, in order, inside one transaction.
SUBSCRIBER_MIGRATIONS: list[Migration] = [create_tables(*SUBSCRIBER_TABLES), _v2_advertising_consent]


def open_store(url: str, *, migrate: bool = True, echo: bool = False) -> Store:
    """Open the database at url (SQLite or postgresql+psycopg), migrating the subscribers' schema unless told not to."""
    store = open_database(url, echo=echo)
    if migrate:
        apply_migrations(store.engine, "subscribers", SUBSCRIBER_MIGRATIONS)
    return store


def _not_suppressed():
    return not_(exists().where(Suppression.address_hash == Subscriber.address_hash))


def iter_recipients(session: Session, topics: Iterable[str] | None = None, *,
                    advertising: bool = False) -> Iterator[Subscriber]:
    """Yield subscribed, unsuppressed subscribers who follow any of topics (or everything), by id.

    A subscriber with no topics follows everything. topics None or empty means an issue for everyone.
    advertising: the issue is advertising (is_advertising), so only those who gave the separate
    advertising consent get it (정보통신망법 제50조).
    """
    topics = sorted(set(topics or ()))
    stmt = select(Subscriber).where(Subscriber.status == SUBSCRIBED, _not_suppressed())
    if advertising:
        stmt = stmt.where(Subscriber.ad_consent_at.is_not(None))
    if topics:
        follows_all = not_(exists().where(SubscriberTopic.subscriber_id == Subscriber.id))
        follows_one = exists().where(
            and_(SubscriberTopic.subscriber_id == Subscriber.id, SubscriberTopic.topic.in_(topics))
        )
        stmt = stmt.where(or_(follows_all, follows_one))
    stmt = stmt.order_by(Subscriber.id).execution_options(yield_per=500)
    yield from session.scalars(stmt)


def count_recipients(session: Session, topics: Iterable[str] | None = None, *, advertising: bool = False) -> int:
    """Return how many subscribers iter_recipients would yield."""
    return sum(1 for _ in iter_recipients(session, topics, advertising=advertising))


def is_suppressed(session: Session, address: str, *, secret: str | bytes | None = None) -> bool:
    """Return True if address must not be mailed: on the suppression list, or on the list but not subscribed.

    The secret (for the keyed hash) defaults to SITE_BUILDER_SECRET.
    """
    from ..mail.message import AddressError, check_address

    try:
        normalised = check_address(address)
    except AddressError:
        return True
    key = secret if secret is not None else secret_from_env()
    digest = address_hash(key, normalised)
    if session.scalar(select(func.count()).select_from(Suppression).where(Suppression.address_hash == digest)):
        return True
    status = session.scalar(select(Subscriber.status).where(Subscriber.address == normalised))
    return status is not None and status != SUBSCRIBED
