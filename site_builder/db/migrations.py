"""Versioned migrations for every store: each component (subscribers, delivery, publish) keeps an
append-only list of steps; schema_migrations records which ran."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.engine import Connection

from .schema import Base, SchemaMigration

Migration = Callable[[Connection], None]


def apply_migrations(engine: Engine, component: str, steps: Sequence[Migration]) -> int:
    """Run the steps of component not yet recorded in schema_migrations; return how many ran."""
    with _migration_lock(engine.url.render_as_string(hide_password=True)):
        return _migrate(engine, component, steps)


def _migrate(engine: Engine, component: str, steps: Sequence[Migration]) -> int:
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


@contextmanager
def _migration_lock(url: str) -> Iterator[None]:
    """On a SQLite file, one process at a time creates or migrates the tables: two runs started
    together would otherwise both try to create them (PostgreSQL uses an advisory lock instead)."""
    if not url.startswith("sqlite") or ":///" not in url or url.endswith(":memory:"):
        yield
        return
    import fcntl

    path = Path(url.split(":///", 1)[1] + ".migrate.lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def create_tables(*tables) -> Migration:
    """Return a migration step that creates tables (a component's first version)."""

    def step(conn: Connection) -> None:
        Base.metadata.create_all(conn, tables=list(tables))

    return step
