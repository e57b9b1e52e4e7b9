"""Build orchestration: check, render every output into a temporary folder, swap it in.

This is the composition layer above the outputs: it registers the feeds and newsletter
contributions with the site adapter, so that no output imports another. The feed files,
the heaviest output after the pages, are rendered in a second process while MkDocs renders
the pages (the machines have two cores)."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Iterable, Mapping

from . import incremental as inc
from ..catalog import Catalog, build_catalog, check_content
from ..config import SiteConfig, load_config
from ..errors import ContentError, Problem
from ..site import plugin as site_plugin
from ..site.extras import SiteExtras
from ..site.pages import PageSpec


def feeds_extras(catalog: Catalog, *, with_files: bool = True) -> SiteExtras:
    """Feed files, the 구독 page and the head links of each page."""
    from ..feeds import site_extras

    return site_extras(catalog, with_files=with_files)


def newsletter_extras(catalog: Catalog, *, with_files: bool = True) -> SiteExtras:
    """The newsletter's web versions, its archive page and its feed, as site contributions."""
    from ..newsletter import render_newsletter_feed, web_html

    issues = published_issues(catalog)
    pages = [PageSpec(path="newsletter/", template="sb-newsletter-archive.html", title="뉴스레터 보관함",
                      description="지난 뉴스레터를 웹에서 보기", data={"issues": issues})]
    for issue in issues:
        pages.append(PageSpec(path=issue.url, template="sb-newsletter.html",
                              title=f"{issue.title} (뉴스레터 제{issue.number}호)", description=issue.preheader,
                              data={"issue": issue, "html": web_html(issue, catalog)}))
    files = {"newsletter/feed.xml": render_newsletter_feed(catalog, issues)} if with_files else {}
    return SiteExtras(files=files, pages=pages)


def published_issues(catalog: Catalog) -> list:
    """Newsletter issues that get a web version: every issue that is not a draft, newest first."""
    from ..newsletter import load_issues

    issues, _problems = load_issues(catalog.config, catalog)
    return sorted((i for i in issues if not i.draft), key=lambda i: i.number, reverse=True)


def kits_extras(catalog: Catalog, *, with_files: bool = True, kits: Mapping[str, Iterable[str]] | None = None
                ) -> SiteExtras:
    """The publisher's kit pages (noindex, outside the sitemap and the search index) and their files.

    kits: article id -> manual channels waiting for a person; None asks the publisher's ledger.
    The files (a few images per kit) are always included: the site adapter writes them."""
    from ..publish.kit import build_kits, pending_kits

    made = build_kits(catalog, pending_kits(catalog.config) if kits is None else kits)
    pages = [PageSpec(path=kit.path, template="sb-kit.html", title=f"발행 키트: {kit.post.title}",
                      description="손으로 올리는 채널에 붙여 넣을 글, 이미지, 체크리스트",
                      data={"kit": kit}, in_sitemap=False) for kit in made]
    files = {path: data for kit in made for path, data in kit.files.items()}
    return SiteExtras(files=files, pages=pages)


NEWSLETTER_KIND = {"newsletter": "뉴스레터"}


def newsletter_search_docs(catalog: Catalog) -> list:
    """The newsletter issues' web versions as search results (the search output never imports newsletter)."""
    from ..newsletter import web_html
    from ..search import html_doc

    return [html_doc(url=issue.url, title=f"{issue.title} (뉴스레터 제{issue.number}호)", kind="newsletter",
                     kind_label=NEWSLETTER_KIND["newsletter"], date=issue.date, summary=issue.preheader,
                     html=web_html(issue, catalog)) for issue in published_issues(catalog)]


def search_extras(catalog: Catalog, *, with_files: bool = True) -> SiteExtras:
    """The search page (the index files are rendered with the feeds, in the second process)."""
    from ..search import SEARCH_PAGE, render_search_index, search_page_data

    kinds = NEWSLETTER_KIND if published_issues(catalog) else {}
    page = PageSpec(path=SEARCH_PAGE, template="sb-search.html", title="검색",
                    description="유어스의 모든 기사와 뉴스레터를 한국어로 찾기", data=search_page_data(catalog, kinds))
    files = render_search_index(catalog, newsletter_search_docs(catalog)) if with_files else {}
    return SiteExtras(files=files, pages=[page])



PROVIDERS = (feeds_extras, newsletter_extras, search_extras, kits_extras)


def register_outputs(*, with_files: bool = True, kits: Mapping[str, Iterable[str]] | None = None) -> None:
    """Make the site adapter include the feeds', newsletter's and publisher's kit pages (and files)."""
    site_plugin.EXTRAS_PROVIDERS[:] = [partial(p, with_files=with_files) for p in PROVIDERS if p is not kits_extras]
    site_plugin.EXTRAS_PROVIDERS.append(partial(kits_extras, with_files=with_files, kits=kits))


def render_output_files(catalog: Catalog, *, previous: Path | None = None,
                        changed_ids: frozenset[str] = frozenset()) -> dict[str, bytes | Path]:
    """Every non-page file of the outputs: feeds and the newsletter feed. With previous (an incremental
    build), feeds none of whose entries changed are not rendered: their value is the previous file."""
    from ..feeds import render_feeds
    from ..newsletter import render_newsletter_feed
    from ..search import render_search_index

    files = dict(render_feeds(catalog, previous=previous, changed_ids=changed_ids))
    files["newsletter/feed.xml"] = render_newsletter_feed(catalog, published_issues(catalog))
    # after the feeds: their body HTML is cached by now
    files.update(render_search_index(catalog, newsletter_search_docs(catalog)))
    return files


# The catalog the forked worker renders: set before the pool forks, so the worker inherits it
# instead of reading and checking all content a second time.
_WORKER_CATALOG: Catalog | None = None


def _render_output_files_in_worker(previous: Path | None = None, changed_ids: frozenset[str] = frozenset(),
                                   trust_cache: bool = True) -> dict[str, bytes | Path]:
    from ..render.html import BodyCache, body_key, use_body_cache

    catalog = _WORKER_CATALOG
    cache = BodyCache(catalog.config.root / ".cache" / "site-builder" / "bodies.json", read=trust_cache)
    use_body_cache(cache)  # this process ends with the build: no need to put the old one back
    files = render_output_files(catalog, previous=previous, changed_ids=changed_ids)
    cache.save(keep={body_key(a.body) for a in catalog.articles})
    return files


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


@dataclass(frozen=True)
class BuildResult:
    site_dir: Path
    pages: int
    files: int
    seconds: float
    warnings: tuple[Problem, ...]
    changed: int | None = None   # incremental build: articles whose pages were made again; None: full build
    # The catalog built from, and MkDocs' configuration of the build with its plugins' state: the live
    # preview (site_builder.build.preview) renders single pages again from them.
    catalog: Catalog | None = field(default=None, repr=False, compare=False)
    live: object = field(default=None, repr=False, compare=False)


def _count(site_dir: Path) -> tuple[int, int]:
    pages = files = 0
    for _root, _dirs, names in os.walk(site_dir):
        files += len(names)
        pages += sum(1 for n in names if n.endswith(".html"))
    return pages, files


def build_site(root: Path | str = ".", *, site_dir: Path | None = None, now: datetime | None = None,
               config: SiteConfig | None = None, incremental: bool = True, drafts: bool = False,
               kits: Mapping[str, Iterable[str]] | None = None) -> BuildResult:
    """Check all content, build the site into a temporary folder and swap it in on success.

    When only article bodies changed since the last build of this site (site_builder.build.incremental),
    only their pages, the search index and the feeds that carry them are made again; incremental=False
    always builds everything; drafts=True includes drafts (the live preview). kits: article id -> manual
    channels that get a publishing kit page (None: those the publisher's ledger lists as manual_pending).
    Raises ContentError (nothing written) when content has errors; any other failure leaves the previous
    site untouched."""
    from ..config import now_kst
    from ..site.parallel import jobs_wanted

    started = time.perf_counter()
    jobs_wanted()  # a bad SITE_BUILDER_JOBS is reported before anything is read or written
    config = config or load_config(root)
    now = now or now_kst()
    loaded, problems = check_content(config, now=now)
    errors = [p for p in problems if p.is_error]
    if errors:
        raise ContentError(errors)
    catalog = build_catalog(config, loaded, now=now, include_drafts=drafts,
                            warnings=[p for p in problems if not p.is_error])
    target = Path(site_dir) if site_dir else config.site_dir
    target.parent.mkdir(parents=True, exist_ok=True)
    state = inc.current_state(catalog, target, _theme_dirs(config))
    plan = inc.plan(catalog, state, config.root, target) if incremental else None
    live = None
    if plan is not None:
        # kit pages depend on the ledger, which the fingerprint does not cover: always make them again
        from ..publish.kit import kit_path, pending_kits

        kits = pending_kits(config) if kits is None else kits
        articles_changed = len(plan.changed)
        plan = replace(plan, changed=plan.changed | {f"{kit_path(i)}index.md" for i in kits})
        try:
            live = _build(config, catalog, target, now, plan, kits=kits)
        except site_plugin.IncrementalMiss:
            plan = None
    if plan is None:
        live = _build(config, catalog, target, now, None, trust_cache=incremental, kits=kits)
    inc.save_state(config.root, state, target)
    pages, count = _count(target)
    return BuildResult(target, pages, count, time.perf_counter() - started,
                       tuple(p for p in problems if not p.is_error), changed=articles_changed if plan else None,
                       catalog=catalog, live=live)


def _theme_dirs(config: SiteConfig) -> list[Path]:
    """Every folder of templates a build reads: the site's overrides and the newsletter's (and its defaults)."""
    from ..newsletter.render import DEFAULT_THEME
    from ..newsletter.settings import NewsletterSettings

    dirs = [config.theme_dir] if config.theme_dir else []
    try:
        dirs.append(NewsletterSettings.from_config(config).theme_dir)
    except Exception:  # noqa: BLE001 - a bad newsletter section is reported by check; hash the default then
        pass
    dirs.append(DEFAULT_THEME)
    unique: list[Path] = []
    for folder in dirs:
        if folder.resolve() not in [u.resolve() for u in unique]:
            unique.append(folder)
    return unique


def _build(config: SiteConfig, catalog: Catalog, target: Path, now: datetime, plan, *,
           trust_cache: bool = True, kits: Mapping[str, Iterable[str]] | None = None):
    """Build into a temporary folder beside target and swap it in; return MkDocs' configuration of the build.
    plan: an incremental plan or None; trust_cache False (build --full): convert every article body again
    instead of reading the cache."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config as load_mkdocs_config

    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    config_path = str((config.root / "mkdocs.yml").resolve())
    register_outputs(with_files=False, kits=kits)
    previous_now = os.environ.get("SITE_BUILDER_NOW")
    os.environ["SITE_BUILDER_NOW"] = now.isoformat()
    global _WORKER_CATALOG
    _WORKER_CATALOG = catalog
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
    try:
        files = pool.submit(_render_output_files_in_worker, plan.previous if plan else None,
                            plan.changed_ids if plan else frozenset(), trust_cache)
        site_plugin.PRELOADED[config_path] = catalog
        if plan is not None:
            site_plugin.INCREMENTAL[config_path] = plan
        mk = load_mkdocs_config(config_path, site_dir=str(work))
        mk.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(mk)
        finally:
            mk.plugins.on_shutdown()
        for rel, data in files.result().items():
            path = work / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, Path):
                _link_or_copy(data, path)   # unchanged since the previous build, which nothing writes to
            else:
                path.write_bytes(data)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    finally:
        pool.shutdown(cancel_futures=True)
        _WORKER_CATALOG = None
        site_plugin.PRELOADED.pop(config_path, None)
        site_plugin.INCREMENTAL.pop(config_path, None)
        register_outputs(with_files=True)
        if previous_now is None:
            os.environ.pop("SITE_BUILDER_NOW", None)
        else:
            os.environ["SITE_BUILDER_NOW"] = previous_now
    inc.forget_state(config.root, target)  # until the new state is saved, trust neither folder
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.replace(target, old)
    os.replace(work, target)
    if old:
        shutil.rmtree(old, ignore_errors=True)
    return mk
