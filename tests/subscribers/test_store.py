"""The store: migrations, recipients by topic, suppression, configuration."""

from __future__ import annotations

from sqlalchemy import inspect, select

from site_builder.config import load_config
from site_builder.db import SchemaMigration, database_url
from site_builder.subscribers import (
    is_suppressed,
    iter_recipients,
    open_store,
    suppress_address,
)
from site_builder.subscribers.settings import SubscriptionSettings

from .conftest import SECRET
from .test_service_helpers import subscribed


def test_migrations_run_once_and_are_recorded(db_url):
    open_store(db_url).close()
    store = open_store(db_url)
    with store.session() as s:
        assert s.scalars(select(SchemaMigration.version).where(SchemaMigration.component == "subscribers")).all() == [1, 2]
    assert {"subscribers", "suppressions", "answers", "schema_migrations"} <= set(inspect(store.engine).get_table_names())
    store.close()


def test_database_url_defaults_to_a_file_beside_mkdocs_yml(tmp_path):
    assert database_url(tmp_path, env={}) == f"sqlite:///{tmp_path.resolve() / 'subscribers.db'}"
    url = "postgresql+psycopg://u:p@db/yours"
    assert database_url(tmp_path, env={"SITE_BUILDER_DATABASE_URL": url}) == url


def test_recipients_follow_their_topics_or_everything(store, clock):
    a = subscribed(store, "all@example.com", clock.now)
    b = subscribed(store, "interviews@example.com", clock.now, topics=["kind:interview"])
    subscribed(store, "housing@example.com", clock.now, topics=["agenda:housing"])
    subscribed(store, "pending@example.com", clock.now, status="pending")
    with store.session() as s:
        assert [r.id for r in iter_recipients(s, ["kind:interview"])] == [a, b]
        assert len(list(iter_recipients(s, None))) == 3
        assert len(list(iter_recipients(s, []))) == 3


def test_suppressed_addresses_are_never_recipients(store, clock):
    subscribed(store, "bounce@example.com", clock.now)
    with store.session() as s, s.begin():
        assert not is_suppressed(s, "bounce@example.com", secret=SECRET)
        suppress_address(s, "Bounce@Example.com", "bounce", secret=SECRET, now=clock.now)
    with store.session() as s:
        assert is_suppressed(s, "bounce@example.com", secret=SECRET)
        assert list(iter_recipients(s, None)) == []
        assert not is_suppressed(s, "stranger@example.com", secret=SECRET)


def test_settings_come_from_mkdocs_yml():
    settings = SubscriptionSettings.from_config(load_config("."))
    assert settings.base_url.startswith("http")
    assert settings.consent_version
    assert "kind:interview" in settings.topics and "series:prep-diary" in settings.topics
    assert "agenda:welfare" in settings.topics
    assert settings.reconsent_enabled and settings.reconsent_remind_months == 23


def test_links_are_absolute_and_signed(clock):
    from site_builder.subscribers import answer_url, preferences_url, unsubscribe_url
    from site_builder.subscribers.tokens import verify_link

    config = load_config(".")
    url = unsubscribe_url(config, SECRET, 118, "12", now=clock.now)
    base = config.section("subscriptions")["url"]
    assert url.startswith(base + "/u/")
    claims = verify_link(SECRET, url.rsplit("/", 1)[1], "unsubscribe", clock.now)
    assert (claims.subscriber_id, claims.fields) == (118, ("12",))
    assert (claims.expires_at - clock.now).days == 1096
    assert preferences_url(base, SECRET, 118, now=clock.now).startswith(base + "/preferences/")
    assert answer_url(base, SECRET, 118, "12", "q1", 3, now=clock.now).startswith(base + "/a/")
