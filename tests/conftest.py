"""Shared fixtures: copies of the small fixture site and the real sample, built with real MkDocs."""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from datetime import datetime
from pathlib import Path

import pytest

from site_builder.config import KST

REPO = Path(__file__).resolve().parent.parent
FIXTURE_SITE = REPO / "tests" / "fixtures" / "site"
FIXED_NOW = datetime(2019, 6, 1, 12, 0, tzinfo=KST)


def copy_site(source: Path, target: Path) -> Path:
    """Copy a project (mkdocs.yml + content/) to target, pointing its theme at the repo's themes/."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("site", ".site*"))
    config = target / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    lines = [f"  custom_dir: {REPO / 'themes'}" if line.strip().startswith("custom_dir:") else line
             for line in text.splitlines()]
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


@pytest.fixture
def site_project(tmp_path: Path) -> Path:
    """A fresh, writable copy of tests/fixtures/site."""
    return copy_site(FIXTURE_SITE, tmp_path / "project")


@pytest.fixture(scope="session")
def built_fixture(tmp_path_factory) -> Path:
    """The fixture site built once with the real MkDocs; returns the project folder (site/ inside)."""
    from site_builder.build.pipeline import build_site

    project = copy_site(FIXTURE_SITE, tmp_path_factory.mktemp("fixture") / "project")
    build_site(project, now=FIXED_NOW)
    return project


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory) -> Path:
    """The real sample archive (content/ of the repo) built once; returns the project folder."""
    from site_builder.build.pipeline import build_site

    target = tmp_path_factory.mktemp("sample") / "project"
    target.mkdir()
    shutil.copy(REPO / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copytree(REPO / "content", target / "content")
    if (REPO / "newsletters").is_dir():
        shutil.copytree(REPO / "newsletters", target / "newsletters")
    copy_config = target / "mkdocs.yml"
    copy_config.write_text(copy_config.read_text(encoding="utf-8").replace(
        "custom_dir: themes", f"custom_dir: {REPO / 'themes'}"), encoding="utf-8")
    build_site(target)
    return target


@pytest.fixture
def fixed_now() -> datetime:
    """The 'now' the fixture site is built at (after every fixture date but the future post)."""
    return FIXED_NOW


@contextlib.contextmanager
def fresh_database(tmp_path: Path, sqlite_name: str, prefix: str):
    """Yield the URL of a fresh database: SQLite under tmp_path, or, with SITE_BUILDER_TEST_POSTGRES_URL
    set (scripts/test-postgres.sh), a new PostgreSQL database, dropped afterwards."""
    server = os.environ.get("SITE_BUILDER_TEST_POSTGRES_URL")
    if not server:
        yield f"sqlite:///{tmp_path / sqlite_name}"
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
