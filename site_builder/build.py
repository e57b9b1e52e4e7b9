"""Build orchestration: check, render every output into a temporary folder, swap it in.

This is the composition layer above the outputs: it registers the feeds and newsletter
contributions with the site adapter, so that no output imports another."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .catalog import Catalog
from .config import SiteConfig, load_config
from .errors import ContentError, Problem
from .catalog import check_content
from .site import plugin as site_plugin
from .site.extras import SiteExtras

log = logging.getLogger("site_builder.build")


def _providers() -> list:
    """Return the extras providers of the optional outputs that are installed."""
    providers = []
    try:
        from .feeds import site_extras as feeds_extras
    except ImportError:
        feeds_extras = None
    if feeds_extras:
        providers.append(feeds_extras)
    providers.append(newsletter_extras)
    return providers


def newsletter_extras(catalog: Catalog) -> SiteExtras:
    """The newsletter's web versions, its archive page and its feed, as site contributions."""
    from .newsletter import load_issues, render_newsletter_feed, web_html
    from .site.pages import PageSpec

    issues, _problems = load_issues(catalog.config, catalog)
    issues = sorted((i for i in issues if not i.draft), key=lambda i: i.number, reverse=True)
    pages = [PageSpec(path="newsletter/", template="sb-newsletter-archive.html", title="뉴스레터 보관함",
                      description="지난 뉴스레터를 웹에서 보기", data={"issues": issues})]
    for issue in issues:
        pages.append(PageSpec(path=issue.url, template="sb-newsletter.html",
                              title=f"{issue.title} (뉴스레터 제{issue.number}호)", description=issue.preheader,
                              data={"issue": issue, "html": web_html(issue, catalog)}))
    return SiteExtras(files={"newsletter/feed.xml": render_newsletter_feed(catalog, issues)}, pages=pages)


def register_outputs() -> None:
    """Make the site adapter include feeds and newsletter pages (idempotent)."""
    site_plugin.EXTRAS_PROVIDERS[:] = _providers()


@dataclass(frozen=True)
class BuildResult:
    site_dir: Path
    pages: int
    files: int
    seconds: float
    warnings: tuple[Problem, ...]


def _count(site_dir: Path) -> tuple[int, int]:
    pages = files = 0
    for _root, _dirs, names in os.walk(site_dir):
        files += len(names)
        pages += sum(1 for n in names if n.endswith(".html"))
    return pages, files


def build_site(root: Path | str = ".", *, site_dir: Path | None = None, now: datetime | None = None,
               config: SiteConfig | None = None) -> BuildResult:
    """Check all content, build the site into a temporary folder and swap it in on success.

    Raises ContentError (nothing written) when content has errors; any other failure leaves
    the previous site untouched."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config as load_mkdocs_config

    started = time.perf_counter()
    config = config or load_config(root)
    _loaded, problems = check_content(config, now=now)
    errors = [p for p in problems if p.is_error]
    if errors:
        raise ContentError(errors)
    target = Path(site_dir) if site_dir else config.site_dir
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    register_outputs()
    previous_now = os.environ.get("SITE_BUILDER_NOW")
    try:
        if now is not None:
            os.environ["SITE_BUILDER_NOW"] = now.isoformat()
        mk = load_mkdocs_config(str(config.root / "mkdocs.yml"), site_dir=str(work))
        mk.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(mk)
        finally:
            mk.plugins.on_shutdown()
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    finally:
        if now is not None:
            if previous_now is None:
                os.environ.pop("SITE_BUILDER_NOW", None)
            else:
                os.environ["SITE_BUILDER_NOW"] = previous_now
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.replace(target, old)
    os.replace(work, target)
    if old:
        shutil.rmtree(old, ignore_errors=True)
    pages, files = _count(target)
    return BuildResult(target, pages, files, time.perf_counter() - started,
                       tuple(p for p in problems if not p.is_error))
