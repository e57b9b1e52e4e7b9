"""The database layer shared by every store (subscribers, the delivery ledger, the publish ledger):
engine and session set-up, the declarative base and column types, and versioned migrations.

    database_url(root) -> str            SITE_BUILDER_DATABASE_URL or sqlite:///<root>/subscribers.db
    open_database(url) -> Store          Store.session(), Store.writing(), Store.scrub(), Store.close()
    apply_migrations(engine, component, steps) -> int
    Base, UTCDateTime                    for a store's tables
"""

from .engine import ENV_DATABASE_URL, Store, database_url, open_database
from .migrations import Migration, apply_migrations, create_tables
from .schema import Base, SchemaMigration, UTCDateTime

__all__ = ["ENV_DATABASE_URL", "Base", "Migration", "SchemaMigration", "Store", "UTCDateTime", "apply_migrations",
           "create_tables", "database_url", "open_database"]
