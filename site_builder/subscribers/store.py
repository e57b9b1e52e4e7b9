"""Opening the database, versioned migrations, and the queries other modules call."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Engine, and_, create_engine, event, exists, func, inspect, not_, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.schema import CreateColumn

from .models import (
    SUBSCRIBED,
    SUBSCRIBER_TABLES,
    Base,
    SchemaMigration,
    Subscriber,
    SubscriberTopic,
    Suppression,
)
from .tokens import address_hash, secret_from_env

ENV_DATABASE_URL = "SITE_BUILDER_DATABASE_URL"

Migration = Callable[[Connection], None]


def _v1_create_tables(conn: Connection) -> None:
    Base.metadata.create_all(conn, tables=SUBSCRIBER_TABLES)


def _v2_advertising_consent(conn: Connection) -> None:
    """Add the advertising consent columns to a store made before them (a new store has them from v1)."""
    have = {c["name"] for c in inspect(conn).get_columns("subscribers")}
    for name in ("ad_consent_version", "ad_consent_at"):
        if name not in have:
            column = Subscriber.__table__.c[name]
            ddl = CreateColumn(column).compile(dialect=conn.dialect)
            conn.exec_driver_sql(f"ALTER TABLE subscribers ADD COLUMN {ddl}")


# Append only: each step runs once per database, in order, inside one transaction.
SUBSCRIBER_MIGRATIONS: list[Migration] = [_v1_create_tables, _v2_advertising_consent]


def database_url(root: Path | str = ".", env: dict[str, str] | None = None) -> str:
    """Return SITE_BUILDER_DATABASE_URL, or sqlite:///<root>/subscribers.db (outside site/)."""
    env = os.environ if env is None else env
    url = (env.get(ENV_DATABASE_URL) or "").strip()
    return url or f"sqlite:///{Path(root).resolve() / 'subscribers.db'}"


def apply_migrations(engine: Engine, component: str, steps: Sequence[Migration]) -> int:
    """Run the steps of component not yet recorded in schema_migrations; return how many ran."""
    Base.metadata.create_all(engine, tables=[SchemaMigration.__table__])
    ran = 0
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # one migrator at a time across processes
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7240601)")
        done = set(conn.scalars(select(SchemaMigration.version).where(SchemaMigration.component == component)))
        for version, step in enumerate(steps, start=1):
            if version in done:
                continue
            step(conn)
            conn.execute(
                SchemaMigration.__table__.insert().values(
                    component=component, version=version, applied_at=datetime.now(timezone.utc)
                )
            )
            ran += 1
    return ran


@dataclass
class Store:
    """An open database: the engine and its session factory."""

    engine: Engine
    sessions: sessionmaker[Session]
    # SQLite allows one writer; queueing writers here is fairer and faster than SQLite's busy-sleep retries
    write_lock: threading.Lock | None = None

    def session(self) -> Session:
        """Return a new session (use as a context manager)."""
        return self.sessions()

    def scrub(self) -> None:
        """After deletions: on SQLite, fold the write-ahead log into the file and truncate it,
        so deleted personal data does not linger in old WAL frames."""
        if self.engine.dialect.name == "sqlite":
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        """Dispose of the connection pool."""
        self.engine.dispose()


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA synchronous=NORMAL")
    # deleted rows are overwritten with zeros, so forget() is unrecoverable (PIPA 36조③)
    cur.execute("PRAGMA secure_delete=ON")
    cur.close()


def open_store(url: str, *, migrate: bool = True, echo: bool = False) -> Store:
    """Open the database at url (SQLite or postgresql+psycopg), migrating the schema unless told not to."""
    kwargs: dict = {"echo": echo}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 10}
        if ":///" in url and not url.endswith(":memory:"):
            Path(url.split(":///", 1)[1]).parent.mkdir(parents=True, exist_ok=True)
    else:
        kwargs["pool_pre_ping"] = True
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    if migrate:
        apply_migrations(engine, "subscribers", SUBSCRIBER_MIGRATIONS)
    lock = threading.Lock() if engine.dialect.name == "sqlite" else None
    return Store(engine, sessionmaker(engine, expire_on_commit=False), lock)


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
