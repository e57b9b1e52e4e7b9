"""Opening the shared database: the engine (SQLite with its pragmas, or PostgreSQL), sessions and
SQLite's single-writer lock."""

from __future__ import annotations

import os
import threading
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker


ENV_DATABASE_URL = "SITE_BUILDER_DATABASE_URL"


def database_url(root: Path | str = ".", env: dict[str, str] | None = None) -> str:
    """Return SITE_BUILDER_DATABASE_URL, or sqlite:///<root>/subscribers.db (outside site/): the one
    database the subscribers, the delivery ledger and the publish ledger share."""
    env = os.environ if env is None else env
    url = (env.get(ENV_DATABASE_URL) or "").strip()
    return url or f"sqlite:///{Path(root).resolve() / 'subscribers.db'}"


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

    def writing(self) -> AbstractContextManager:
        """Return a context that serialises writers on SQLite (the write lock) and does nothing elsewhere."""
        return self.write_lock if self.write_lock is not None else nullcontext()

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


def open_database(url: str, *, echo: bool = False) -> Store:
    """Open the database at url (SQLite or postgresql+psycopg) without touching its schema."""
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
    lock = threading.Lock() if engine.dialect.name == "sqlite" else None
    return Store(engine, sessionmaker(engine, expire_on_commit=False), lock)
