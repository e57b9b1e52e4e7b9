"""The feed tests' small site (tests/feeds/fixtures/site), loaded as of a fixed time."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest

from site_builder.catalog import Catalog, load_catalog
from site_builder.config import KST
from site_builder.feeds import render_feeds

FIXTURE = Path(__file__).parent / "fixtures" / "site"
NOW = datetime(2019, 1, 1, 12, 0, tzinfo=KST)  # after every fixture article but the scheduled one


def load(root: Path = FIXTURE, now: datetime = NOW) -> Catalog:
    return load_catalog(root, now=now)


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load()


@pytest.fixture(scope="session")
def feeds(catalog: Catalog) -> dict[str, bytes]:
    return render_feeds(catalog)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A writable copy of the fixture site, for tests that change files."""
    target = tmp_path / "site"
    shutil.copytree(FIXTURE, target)
    return target
