"""The database layer shared by every store (subscribers, the delivery ledger, the publish ledger):
engine and session set-up, the declarative base and column types, and versioned migrations.

    open_database(url) -> Store          Store.session(), Store.writing(), Store.scrub(), Store.close()
    apply_migrations(engine, component, steps) -> int
    Base, UTCDateTime                    for a store's tables
"""

from .engine import Store, open_database
from .migrations import Migration, apply_migrations, create_tables
from .schema import Base, SchemaMigration, UTCDateTime

__all__ = ["Base", "Migration", "SchemaMigration", "Store", "UTCDateTime", "apply_migrations", "create_tables",
           "open_database"]
