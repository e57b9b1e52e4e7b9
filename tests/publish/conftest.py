"""Fixtures of the publisher core: the fixture site, a real SQLite ledger, a fake network."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from site_builder.catalog import load_catalog
from site_builder.config import KST
from site_builder.publish.ledger import open_ledger
from site_builder.publish.plan import iter_planned
from site_builder.publish.runner import Publisher
from site_builder.publish.settings import parse_publish_settings

from .fakes import REGISTRY, FakeNetwork

TOKEN = "tok-SECRET-abc123"
REPO = Path(__file__).resolve().parents[2]
FIXTURE_SITE = REPO / "tests" / "fixtures" / "site"
FIXED_NOW = datetime(2019, 6, 1, 12, 0, tzinfo=KST)


def copy_site(source: Path, target: Path) -> Path:
    """Copy a project to target, pointing its theme at the repo's themes/ (as tests/conftest.py does)."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("site", ".site*"))
    config = target / "mkdocs.yml"
    lines = [f"  custom_dir: {REPO / 'themes'}" if line.strip().startswith("custom_dir:") else line
             for line in config.read_text(encoding="utf-8").splitlines()]
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


class Clock:
    """An injected clock that only moves when told to (sleep moves it)."""

    def __init__(self, start: datetime):
        self.current = start.astimezone(timezone.utc)
        self.slept: list[float] = []

    def __call__(self) -> datetime:
        return self.current

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.current += timedelta(seconds=seconds)

    def advance(self, **kwargs) -> None:
        self.current += timedelta(**kwargs)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_site(FIXTURE_SITE, tmp_path / "project")


@pytest.fixture
def catalog(project):
    return load_catalog(project, now=FIXED_NOW)


@pytest.fixture
def network(catalog) -> FakeNetwork:
    net = FakeNetwork(token=TOKEN)
    net.pages = {urlsplit(catalog.config.absolute_url(a.url)).path: a.id for a in catalog.articles}
    return net


@pytest.fixture
def clock() -> Clock:
    return Clock(FIXED_NOW)


def settings_for(channels: dict | None = None, **top):
    raw = {"channels": channels or {"fake": {"accounts": {"yours": {"endpoint": "https://fake.example/api"}}}},
           **top}
    return parse_publish_settings(raw, set(REGISTRY))


@pytest.fixture
def make_publisher(project, catalog, network, clock, tmp_path):
    """Return a factory of Publishers over the fixture catalog, one SQLite ledger per test."""
    url = f"sqlite:///{tmp_path / 'ledger.db'}"

    def make(settings=None, *, transport=None, ledger=None, credentials=None, kinds=None):
        settings = settings or settings_for()
        planned, _ = iter_planned(catalog, settings)
        return Publisher(
            planned, settings, registry=REGISTRY, content_dir=catalog.config.content_dir,
            ledger=(ledger or open_ledger(url, now=clock)) if ledger is not False else None,
            http=httpx.Client(transport=transport or httpx.MockTransport(network.handler)),
            credentials=credentials or (lambda c, a: {"token": TOKEN}),
            sleep=clock.sleep, now=clock, rng=lambda: 0.0)

    make.url = url
    return make


@pytest.fixture
def ledger_url(tmp_path):
    """A fresh ledger database: SQLite, or with SITE_BUILDER_TEST_POSTGRES_URL set (scripts/test-postgres.sh)
    a new PostgreSQL database, dropped after the test."""
    from tests.conftest import fresh_database

    with fresh_database(tmp_path, "ledger.db", "sb_pub") as url:
        yield url
