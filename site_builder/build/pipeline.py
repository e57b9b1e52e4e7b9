"""Build orchestration: nothing changed? (file metadata only) -> check -> catalog -> incremental plan ->
the outputs' contributions -> the site adapter renders into a temporary folder -> swap it in, keeping
the unchanged files -> record the build's state. When only article bodies changed and the site shows
the same pages, the adapter renders only those pages and the changed files are written in place.

The outputs never import each other or the site: build.contributions asks each for its part and the
BuildRequest (site_builder.render.request) hands them, with the catalog, to the site adapter. The feed
files and the search index, the heaviest output after the pages, are rendered in a second process while
the adapter renders the pages (the machines have two cores)."""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from functools import partial
from typing import TYPE_CHECKING, Callable, Iterable, Mapping

from . import incremental as inc
from .sitedir import keep_unchanged, write_changed
from ..config import SiteConfig, load_config, now_kst
from ..errors import ContentError, Problem

if TYPE_CHECKING:   # imported where used: a build where nothing changed reads no content and renders nothing
    from ..catalog import Catalog


@dataclass(frozen=True)
class BuildResult:
    site_dir: Path
    pages: int
    files: int
    seconds: float
    warnings: tuple[Problem, ...]
    changed: int | None = None   # incremental build: articles whose pages were made again; None: full build
    unchanged: bool = False      # nothing the site is made from changed since the last build: nothing was done
    written: tuple[str, ...] | None = None   # a rebuild in place: the files it wrote (None: a new folder)
    # The catalog built from, and the site adapter's state of the build (MkDocs' configuration with its
    # plugins' state): the live preview (site_builder.build.preview) renders single pages again from them.
    catalog: Catalog | None = field(default=None, repr=False, compare=False)
    live: object = field(default=None, repr=False, compare=False)


def build_site(root: Path | str = ".", *, site_dir: Path | None = None, now: datetime | None = None,
               config: SiteConfig | None = None, incremental: bool = True, drafts: bool = False,
               kits: Mapping[str, Iterable[str]] | None = None) -> BuildResult:
    """Check all content, build the site into a temporary folder and swap it in on success.

    now: the time the build stands for; None: now in Seoul, or SITE_BUILDER_NOW (config.now_kst) — the
    one place a build's clock is read. When nothing the site is made from changed since the last build of
    this site, nothing is read or written (result.unchanged). When only article bodies changed
    (site_builder.build.incremental), only their pages, the search index and the feeds that carry them
    are made again, written in place when the site shows the same pages (result.written); a file whose
    bytes did not change is never written again. incremental=False always builds everything; drafts=True includes drafts (the live
    preview). kits: article id -> manual channels that get a publishing kit page (None: those the
    publisher's ledger lists as manual_pending). Raises ContentError (nothing written) when content has
    errors; any other failure leaves the previous site untouched."""
    from ..site.parallel import jobs_wanted

    started = time.perf_counter()
    jobs_wanted()  # a bad SITE_BUILDER_JOBS is reported before anything is read or written
    config = config or load_config(root)
    now = now or now_kst()
    target = Path(site_dir) if site_dir else config.site_dir
    # Not for the preview (drafts: it needs the adapter's state) or given kits (the caller decides them).
    recorded = not drafts and kits is None
    last = inc.last_state(config.root, target)
    if incremental and recorded:
        done = inc.nothing_changed(config, target, now, last)
        if done is not None:
            return BuildResult(target, done.pages, done.files, time.perf_counter() - started,
                               tuple(Problem(*fields) for fields in done.warnings), changed=0, unchanged=True)
    theme_dirs = _theme_dirs(config)
    # Taken before content is read, so that an edit made while this build runs is seen by the next.
    db = (inc.db_files(config.root) if _shows_ledger(config) else []) if recorded else None
    inputs = inc.trusted_input_digest(config, theme_dirs, now, db, target) if db is not None else ""
    from ..catalog import build_catalog, check_content
    from ..render.request import IncrementalMiss, Reuse

    loaded, problems = check_content(config, now=now)
    errors = [p for p in problems if p.is_error]
    if errors:
        raise ContentError(errors)
    catalog = build_catalog(config, loaded, now=now, include_drafts=drafts,
                            warnings=[p for p in problems if not p.is_error])
    target.parent.mkdir(parents=True, exist_ok=True)
    state = inc.current_state(catalog, target, theme_dirs, last)
    plan = inc.plan(catalog, state, target, last) if incremental else None
    from ..publish.kit import kit_path, pending_kits

    kits = pending_kits(config) if kits is None else kits
    kits_shown = _kits_digest(kits)
    live, written = None, None
    if plan is not None:
        # kit pages depend on the ledger, which the fingerprint does not cover: always make them again
        articles_changed = len(plan.changed)
        reuse = Reuse(previous=plan.previous, changed=plan.changed | {f"{kit_path(i)}index.md" for i in kits})
        try:
            if not drafts and kits_shown == last.get("kits") and _count(target) == (last["pages"], last["files"]):
                # the same pages as the last build, and its files all there (a page deleted from site/
                # by hand is made again by a full build): make the changed ones and write them in place
                written, outputs, removed = _write_changes(catalog, now, target, reuse, plan.changed_ids, kits,
                                                           last.get("outputs", ()))
            else:
                live, outputs = _build(catalog, now, target, reuse, plan.changed_ids, drafts=drafts, kits=kits)
        except IncrementalMiss:
            plan = None
    if plan is None:
        live, outputs = _build(catalog, now, target, None, frozenset(), drafts=drafts, kits=kits,
                               trust_cache=incremental)
    if written is not None:
        pages = last["pages"] - sum(1 for rel in removed if rel.endswith(".html"))
        count = last["files"] - len(removed)
    else:
        pages, count = _count(target)
    warnings = tuple(p for p in problems if not p.is_error)
    due = min((a.date for a in catalog.scheduled), default=None)
    inc.save_state(config.root, state, target, inputs=inputs, valid_until=due.isoformat() if due else "",
                   theme_dirs=tuple(map(str, theme_dirs)), db_files=tuple(map(str, db or ())), pages=pages,
                   files=count, warnings=tuple(dataclasses.astuple(p) for p in warnings),
                   kits=kits_shown, outputs=tuple(outputs))
    return BuildResult(target, pages, count, time.perf_counter() - started, warnings,
                       changed=articles_changed if plan else None, written=written, catalog=catalog, live=live)


def _kits_digest(kits: Mapping[str, Iterable[str]]) -> str:
    """What says which kit pages a build made."""
    return repr(sorted((key, sorted(channels)) for key, channels in kits.items()))


def _write_changes(catalog: Catalog, now: datetime, target: Path, reuse, changed_ids: frozenset[str],
                   kits: Mapping[str, Iterable[str]], last_outputs: Iterable[str]
                   ) -> tuple[tuple[str, ...], list[str], tuple[str, ...]]:
    """An incremental build that makes the same pages as the last: render only the pages of reuse.changed
    (site adapter's render_pages) and, in a second process, the feeds and search files that carry the
    changed articles; write into target, in place and each atomically, only the files whose bytes changed,
    and remove the output files the last build made and this one does not (last_outputs: the last
    build's, e.g. a search shard no body fills any more). Return (the files written, every output file
    of this build, the files removed)."""
    from ..render.request import BuildRequest
    from ..site.adapter import render_pages
    from .contributions import contributions

    outputs = _Forked(partial(_render_output_files, catalog, target, changed_ids, True))
    try:
        parts = contributions(catalog, with_files=False, kits=kits)
        request = BuildRequest(catalog=catalog, now=now, contributions=parts, reuse=reuse, drafts=False)
        files: dict[str, bytes] = dict(render_pages(request, sorted(reuse.changed)))
        for part in parts:
            files.update(part.files)   # the kits' images: the adapter writes them in every build
        made = outputs.result()
        files.update((rel, data) for rel, data in made.items() if isinstance(data, bytes))
    finally:
        outputs.stop()
    gone = tuple(sorted(set(last_outputs) - set(made)))
    inc.forget_state(catalog.config.root, target)   # until the new state is saved, the folder is in between
    return tuple(write_changed(target, files, remove=gone)), sorted(made), gone


def _shows_ledger(config: SiteConfig) -> bool:
    """True when the site has kit pages, made from the publisher's ledger (manual channels configured)."""
    from ..publish.kit import manual_options

    return bool(manual_options(config))


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


def _build(catalog: Catalog, now: datetime, target: Path, reuse: Reuse | None, changed_ids: frozenset[str], *,
           drafts: bool, kits: Mapping[str, Iterable[str]] | None, trust_cache: bool = True):
    """Build into a temporary folder beside target and swap it in; return the site adapter's state of the
    build and the outputs' files (render_output_files' paths). reuse: an incremental build (changed_ids: the ids of its changed articles, for the feeds) or
    None; trust_cache False (build --full): convert every article body again instead of reading the cache."""
    from ..render.request import BuildRequest
    from ..site.adapter import render_site
    from .contributions import contributions

    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    files = _Forked(partial(_render_output_files, catalog, reuse.previous if reuse else None, changed_ids,
                            trust_cache))
    try:
        request = BuildRequest(catalog=catalog, now=now, contributions=contributions(catalog, with_files=False,
                                                                                     kits=kits),
                               reuse=reuse, drafts=drafts)
        live = render_site(request, work)
        made = files.result()
        for rel, data in made.items():
            path = work / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, Path):
                _link_or_copy(data / rel, path)   # unchanged: the file in the previous site, which nothing writes to
            else:
                path.write_bytes(data)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    finally:
        files.stop()
    keep_unchanged(work, target)   # unchanged files keep their inode and modification time
    inc.forget_state(catalog.config.root, target)  # until the new state is saved, trust neither folder
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.replace(target, old)
    os.replace(work, target)
    if old:
        shutil.rmtree(old, ignore_errors=True)
    return live, sorted(made)


def _render_output_files(catalog: Catalog, previous: Path | None, changed_ids: frozenset[str],
                         trust_cache: bool) -> dict[str, bytes | Path]:
    """render_output_files in the second process, with the article bodies' HTML cache of the project."""
    from ..render.html import BodyCache, body_key, use_body_cache
    from .contributions import render_output_files

    cache = BodyCache(catalog.config.root / ".cache" / "site-builder" / "bodies.json", read=trust_cache)
    use_body_cache(cache)  # this process ends with the build: no need to put the old one back
    files = render_output_files(catalog, previous=previous, changed_ids=changed_ids)
    cache.save(keep={body_key(a.body) for a in catalog.articles})
    return files


class _Forked:
    """work() in a forked process, which inherits what it works on (the catalog: nothing is pickled on the
    way in); its result comes back pickled through a pipe, received by a thread as soon as it is sent."""

    def __init__(self, work: Callable[[], object]):
        context = multiprocessing.get_context("fork")
        self._pipe, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_run_and_send, args=(work, send), name="site-builder-outputs")
        self._process.start()
        send.close()
        self._outcome: tuple[bool, object] | None = None
        self._receiver = threading.Thread(target=self._receive, name="site-builder-outputs", daemon=True)
        self._receiver.start()

    def _receive(self) -> None:
        try:
            self._outcome = self._pipe.recv()
        except (EOFError, OSError):
            self._outcome = None

    def result(self):
        """Wait for work's return value; raise what it raised."""
        self._receiver.join()
        self._process.join()
        if self._outcome is None:
            raise RuntimeError(f"the process rendering the feeds and the search index ended with status "
                               f"{self._process.exitcode}")
        ok, value = self._outcome
        if not ok:
            raise value
        return value

    def stop(self) -> None:
        """End the process (when the build failed before it finished) and let go of the pipe."""
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._receiver.join()
        self._pipe.close()


def _run_and_send(work: Callable[[], object], send) -> None:
    try:
        outcome = (True, work())
    except BaseException as exc:  # noqa: BLE001 - raised again in the building process
        outcome = (False, exc)
    try:
        send.send(outcome)
    except Exception:  # noqa: BLE001 - a failure that cannot be pickled: send what it said
        send.send((False, RuntimeError(f"{type(outcome[1]).__name__}: {outcome[1]}")))


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _count(site_dir: Path) -> tuple[int, int]:
    pages = files = 0
    for _root, _dirs, names in os.walk(site_dir):
        files += len(names)
        pages += sum(1 for n in names if n.endswith(".html"))
    return pages, files
