"""Browser suite fixtures: the built sample served on 127.0.0.1, Debian's chromium, axe-core.

One browser per pytest worker; one context per (width, palette), shared by the tests of a worker;
a fresh page per test. Every request that would leave 127.0.0.1 is refused and recorded."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from site_builder.config import KST
from site_builder.tools import browser
from site_builder.tools.axe import axe_source
from site_builder.tools.screenshots import open_sample
from site_builder.build.server import serve_site
from site_builder.tools.templates import Sample, sample_pages

REPO = Path(__file__).resolve().parents[2]
FIXTURE_SITE = REPO / "tests" / "fixtures" / "site"

# Every template of the sample site, by the names of site_builder.tools.templates.sample_pages.
TEMPLATES = [
    "home", "search",
    *[f"listing-kind-{k}" for k in ("interview", "column", "meeting", "feature", "cardnews", "video", "infographic")],
    "index-series", "listing-series", "index-agenda", "listing-agenda", "index-district", "listing-district",
    "index-tag", "listing-tag", "index-author", "listing-author", "listing-page-2",
    *[f"article-{k}" for k in ("interview", "column", "meeting", "feature", "cardnews", "video", "infographic")],
    "archive", "archive-year", "archive-month", "timeline", "subscribe", "feeds",
    "newsletter-archive", "newsletter",
    "page-about", "page-privacy", "page-copyright", "page-no-email-collection", "404",
]

YOUTUBE_ARTICLE = """---
title: 유튜브로 보는 청년자치정부
date: 2018-10-11
summary: 유튜브에 올린 소개 영상.
authors: [park-seoyeon]
tags: [영상]
provider: youtube
video_id: abcdEFGH123
duration: "1:05"
captions: videos/clip.vtt
poster: images/video/poster.png
poster_alt: 유튜브 영상의 첫 화면, 청년자치정부 글자
---

청년자치정부를 소개하는 영상의 대본입니다. 2019년 3월 출범을 목표로 준비하고 있습니다.
"""
EMBED_PATH = "video/youtube/"  # where YOUTUBE_ARTICLE is built
EMBED_STUB = "<!doctype html><html lang=ko><title>영상</title><p>영상 자리</p></html>"


@dataclass
class Served:
    """A built site served on loopback."""

    base: str
    site: Path
    samples: dict[str, Sample]

    def url(self, name: str) -> str:
        return self.samples[name].url(self.base)


@pytest.fixture(scope="session")
def served(built_sample):
    """The sample archive's site/ on a loopback HTTP server."""
    site = built_sample / "site"
    with serve_site(site) as base:
        yield Served(base, site, {s.name: s for s in sample_pages(site)})


@pytest.fixture(scope="session")
def embed_project(tmp_path_factory) -> Path:
    """The fixture site plus a YouTube video article (the click-to-load facade), built once."""
    from site_builder.build.pipeline import build_site

    project = tmp_path_factory.mktemp("embed") / "project"
    shutil.copytree(FIXTURE_SITE, project, ignore=shutil.ignore_patterns("site", ".site*"))
    config = project / "mkdocs.yml"
    config.write_text("\n".join(f"  custom_dir: {REPO / 'themes'}" if line.strip().startswith("custom_dir:")
                                else line for line in config.read_text(encoding="utf-8").splitlines()) + "\n",
                      encoding="utf-8")
    (project / "content" / "video" / "2018-10-11-youtube.md").write_text(YOUTUBE_ARTICLE, encoding="utf-8")
    build_site(project, now=datetime(2019, 6, 1, 12, 0, tzinfo=KST))
    return project


@pytest.fixture(scope="session")
def served_embed(embed_project):
    site = embed_project / "site"
    with serve_site(site) as base:
        yield Served(base, site, {s.name: s for s in sample_pages(site)})


# Playwright's sync API runs an event loop in this thread while it is started, which breaks
# asyncio tests elsewhere; so the browser lives only while this package's tests run.
@pytest.fixture(scope="package")
def chromium():
    """Headless Debian chromium through Playwright (started for this package's tests)."""
    if not Path(browser.CHROMIUM).exists():
        pytest.fail(f"{browser.CHROMIUM} is missing: run `make system-deps` (Debian package chromium)")
    with browser.launch() as instance:
        yield instance


@pytest.fixture(scope="session")
def axe_js() -> str:
    return axe_source()


class Contexts:
    """Browser contexts by (width, scheme), created on first use; each records outside requests."""

    def __init__(self, chromium) -> None:
        self.chromium = chromium
        self.open: dict[tuple[int, str], tuple] = {}

    def get(self, width: int, scheme: str):
        key = (width, scheme)
        if key not in self.open:
            outside = browser.Outside()
            self.open[key] = (browser.new_context(self.chromium, width, scheme, outside,
                                                  allow={"https://www.youtube-nocookie.com/embed/": EMBED_STUB}),
                              outside)
        return self.open[key]

    def close(self) -> None:
        for context, _ in self.open.values():
            context.close()


@pytest.fixture(scope="package")
def contexts(chromium):
    made = Contexts(chromium)
    yield made
    made.close()


class Visit:
    """A fresh page in the shared context for one width and scheme, with its own outside requests."""

    def __init__(self, contexts: Contexts, width: int = 1280, scheme: str = "light") -> None:
        self.context, self.outside = contexts.get(width, scheme)
        self.before = len(self.outside.urls)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def open(self, served: Served, name: str):
        sample = served.samples[name]
        open_sample(self.page, sample, served.base)
        return self.page

    @property
    def left(self) -> list[str]:
        """URLs this page tried to load from outside 127.0.0.1."""
        return self.outside.urls[self.before:]


@pytest.fixture
def visit(contexts):
    """visit(width, scheme) -> Visit; pages are closed after the test."""
    made: list[Visit] = []

    def make(width: int = 1280, scheme: str = "light") -> Visit:
        v = Visit(contexts, width, scheme)
        made.append(v)
        return v

    yield make
    for v in made:
        v.page.close()


def copy_site_dir(site: Path, target: Path) -> Path:
    """A writable copy of a built site folder."""
    shutil.copytree(site, target)
    return target
