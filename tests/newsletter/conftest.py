"""Fixtures for the newsletter tests: the small site under fixtures/site, loaded at a fixed time."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest

from site_builder.catalog import load_catalog
from site_builder.config import KST, load_config
from site_builder.newsletter import load_issues

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
SITE = FIXTURES / "site"
SNAPSHOTS = HERE / "snapshots"
NOW = datetime(2019, 6, 1, 12, 0, tzinfo=KST)


@pytest.fixture(scope="session")
def config():
    return load_config(SITE)


@pytest.fixture(scope="session")
def catalog(config):
    return load_catalog(config, now=NOW)


@pytest.fixture(scope="session")
def issues(config, catalog):
    """The fixture site's issues by number; the fixture must load without a single problem."""
    loaded, problems = load_issues(config, catalog)
    assert [str(p) for p in problems] == []
    return {issue.number: issue for issue in loaded}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A writable copy of the fixture site."""
    return Path(shutil.copytree(SITE, tmp_path / "site"))


def load_project(root: Path):
    """Return (config, catalog) of a project folder at the fixed time."""
    config = load_config(root)
    return config, load_catalog(config, now=NOW)
