"""The live preview behind `site-builder serve`: the last build kept warm in memory between edits.

A preview starts with a full build (drafts included) into its own folder. When files change it asks
what kind of edit that was:

- **the body of existing articles only** (their front matter, reading time and every other field the
  same, no file added or removed): it renders just those pages again from the MkDocs configuration,
  files, navigation and templates of the last build, still in memory, writes them into the served
  folder and says so at once (the browser reloads); then it brings the search index and the feeds that
  carry those articles up to date. These are the outputs a body edit can change (incremental.py), so
  the folder matches what a full build would make.
- **anything else** (front matter, a new or deleted file, mkdocs.yml, a template, a newsletter, an
  article that does not load): a full build through build_site (incremental when it can be), into a
  temporary folder swapped in only on success.

A failed build (content problems, a template error) leaves the previous pages served and is kept as
`error`: the server shows it on every page until a build succeeds (build/server.py).

The composition layer, like pipeline.py: it runs the outputs and the site adapter (site.adapter through
build_site, site.live for single pages) and imports them; MkDocs itself only the adapter imports."""

from __future__ import annotations

import gc
import logging
import os
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterable

from . import incremental as inc
from .contributions import newsletter_search_docs
from .pipeline import build_site
from ..catalog import Catalog, build_catalog
from ..config import SiteConfig, load_config
from ..content import ContentReader, LoadedContent, load_article
from ..errors import ContentError, format_problems
from ..render.request import RenderFailed

log = logging.getLogger("site_builder.preview")


@dataclass(frozen=True)
class Update:
    """What one rebuild did."""

    how: str                          # "pages" (only the edited articles' pages), "full", "error", "none"
    seconds: float                    # until the pages were written (the browser can reload)
    articles: tuple[str, ...] = ()    # "pages": the articles (sources) whose pages were made again
    reason: str = ""                  # "full": why the edit needed a full build
    pages: int = 0                    # "full": pages built

    def describe(self) -> str:
        """One line for the terminal, in Korean."""
        if self.how == "pages":
            if not self.articles:
                return "문제가 고쳐져 마지막으로 만든 사이트를 다시 보여 줍니다."
            return f"본문만 바뀐 글 {len(self.articles)}개 ({', '.join(self.articles)})의 페이지를 {self.seconds:.2f}초 만에 다시 만들었습니다."
        if self.how == "full":
            return f"전체 빌드: 페이지 {self.pages}개, {self.seconds:.1f}초 ({self.reason})."
        if self.how == "error":
            return "빌드하지 못했습니다. 이전 페이지를 그대로 보여 주며, 브라우저에도 문제를 표시합니다."
        return "바뀐 내용이 없습니다."


def failure_text(exc: BaseException) -> str:
    """A failed build as the terminal and the browser show it: numbered problems (`path:line: field: …`)."""
    if isinstance(exc, ContentError):
        return (format_problems(exc.problems)
                + f"\n\n문제 {len(exc.problems)}개 때문에 빌드하지 않았습니다. 이전 페이지를 보여 줍니다. 고쳐서 저장하면 다시 만듭니다.")
    from ..site.parallel import failure_report

    report = str(exc) if isinstance(exc, RenderFailed) else failure_report(exc)
    return f"{report}\n\n빌드가 실패했습니다. 이전 페이지를 보여 줍니다. 고쳐서 저장하면 다시 만듭니다."


class Preview:
    """A site kept built (drafts shown) in site_dir, updated by rebuild(changed paths)."""

    def __init__(self, root: Path | str, site_dir: Path, *, now: Callable[[], datetime] | None = None,
                 on_finished: Callable[[str], None] | None = None):
        """now: the clock of each build (None: build_site's). on_finished(error): called by finish() or
        wait() when the work it started ended; error empty if it succeeded, else the failure, also kept in
        `error`."""
        self.root = Path(root).resolve()
        self.site_dir = Path(site_dir)
        self.now = now
        self.on_finished = on_finished
        self.config: SiteConfig | None = None
        self.catalog: Catalog | None = None    # of the last full build
        self.articles: dict = {}               # source -> its latest version (the full build's + body edits)
        self.live = None                  # the site adapter's state of the last full build (build_site's live)
        self.error = ""                   # the last build's failure, until a build succeeds
        self._content_files: set[str] = set()
        self._pending = None              # what finish() still has to do after a body edit
        self._child: tuple[int, int] | None = None   # finish()'s process: pid, read end of its report
        self._dirty: set[Path] = set()    # files changed since the last good build

    # --- full builds -----------------------------------------------------------------------------

    def build(self, reason: str = "처음 빌드") -> Update:
        """Build everything (incremental when only bodies changed since the last full build)."""
        self._pending = None   # a full build writes everything anyway
        if self._child is not None:
            self._reap(block=True)
        gc.unfreeze()   # the last build's objects may go now
        started = time.perf_counter()
        try:
            config = load_config(self.root)
            result = build_site(config.root, site_dir=self.site_dir, config=config,
                                now=self.now() if self.now else None, drafts=True)
        except Exception as exc:  # noqa: BLE001 - every failure is shown, in the terminal and the browser
            if os.environ.get("SITE_BUILDER_DEBUG"):
                log.exception("build failed")
            self.error = failure_text(exc)   # the last good build (live) is still the one served
            return Update("error", time.perf_counter() - started)
        self.config, self.catalog, self.live, self.error = config, result.catalog, result.live, ""
        self._dirty, self._pending = set(), None
        self.articles = {a.source: a for a in (*result.catalog.articles, *result.catalog.drafts,
                                               *result.catalog.scheduled)}
        from ..render.html import BodyCache, use_body_cache

        # the feeds of a body edit are rendered here: with the bodies' HTML the build's worker just saved
        use_body_cache(BodyCache(config.root / ".cache" / "site-builder" / "bodies.json"))
        self._content_files = _files_under(config.content_dir)
        # The build's objects stay in memory for the next edits: keep the collector from walking them all
        # when an edit allocates (a full collection of a 1,000-article build takes seconds).
        gc.collect()
        gc.freeze()
        return Update("full", time.perf_counter() - started, reason=reason, pages=result.pages)

    def close(self) -> None:
        """Wait for finish()'s work; forget the incremental state kept for the preview's folder."""
        self.wait()
        inc.forget_state(self.root, self.site_dir)

    # --- edits -----------------------------------------------------------------------------------

    def rebuild(self, paths: Iterable[Path | str]) -> Update:
        """Bring the site up to date after these files changed: only the edited pages when only
        article bodies changed since the last good build, else a full build."""
        started = time.perf_counter()
        # after a failed build, compare with the last good one: a fix that puts the front matter back
        # is a body edit again (or no edit at all)
        self._dirty |= {Path(p) for p in paths}
        if self.live is None:
            return self.build("이전 빌드가 실패해 전체를 다시 만듦" if self.error else "처음 빌드")
        edits, reason = self._body_edits(self._dirty)
        if edits is None:
            return self.build(reason)
        if not edits and not self.error:
            self._dirty = set()
            return Update("none", 0.0)
        try:
            self._render_pages(edits)
        except Exception as exc:  # noqa: BLE001 - a conversion or template error: shown like a failed build
            self.error = failure_text(exc)
            self.live = None   # pages may be half made: the next save builds in full
            return Update("error", time.perf_counter() - started)
        self.error, self._dirty = "", set()
        return Update("pages", time.perf_counter() - started, articles=tuple(a.source for a in edits))

    def _body_edits(self, paths: set[Path]):
        """Return (the new versions of the edited articles, "") when every change is to an article's body;
        else (None, why a full build is needed). Files that no longer exist and never did at the last
        build (an editor's temporary files) are ignored."""
        content = self.config.content_dir.resolve()
        visible = {a.source for a in self.catalog.articles}
        by_source = {source: a for source, a in self.articles.items() if source in visible}
        reader = ContentReader(self.config)
        edits = []
        for path in sorted(paths):
            path = path.resolve()
            try:
                rel = path.relative_to(content).as_posix()
            except ValueError:
                return None, f"{_shown(path, self.root)}이(가) 바뀜"
            exists = path.is_file()
            if not exists and rel not in self._content_files:
                continue
            old = by_source.get(rel)
            if old is None or not exists:
                return None, f"content/{rel}: 글 본문 밖의 파일이 바뀌거나 생기거나 지워짐"
            new, problems = load_article(reader, path, dict(self.catalog.authors))
            if new is None or any(p.is_error for p in problems):
                return None, f"content/{rel}: 글을 읽지 못함"
            if new == old or new.body == old.body and inc.same_but_body(old, new):
                continue
            if not inc.same_but_body(old, new):
                return None, f"content/{rel}: 머리말이나 읽는 시간이 바뀜"
            edits.append(new)
        return edits, ""

    def _render_pages(self, edits: list) -> None:
        """Render the edited articles' pages into the served folder; finish() does the rest."""
        from ..site.live import render_pages_again

        urls = render_pages_again(self.live, [article.source for article in edits], self.site_dir)
        self.articles.update({a.source: a for a in edits})
        pending = self._pending or (frozenset(), [])
        self._pending = (pending[0] | {a.id for a in edits}, [*pending[1], urls])

    def finish(self, *, block: bool = False) -> None:
        """After the pages of body edits are written (and the browser told): the search index entries of
        those pages and the feeds that carry them, from the catalog with the new bodies. Runs in a forked
        process, so pages and the server stay quick while the feeds of a large archive are made. While
        one runs, later edits' work waits (merged into one) for a call after it ended; block: return only
        when everything is written."""
        while True:
            if self._child is not None and not self._reap(block):
                return   # still running
            if self._pending is None:
                return
            self._start_rest()
            if not block:
                return

    def wait(self) -> None:
        """Return when finish()'s work, all of it, is written."""
        self.finish(block=True)

    @property
    def busy(self) -> bool:
        """finish() has work to start or a process still writing."""
        return self._child is not None or self._pending is not None

    def _start_rest(self) -> None:
        changed, _urls = self._pending
        self._pending = None
        loaded = LoadedContent(tuple(self.articles.values()), dict(self.catalog.authors), tuple(self.catalog.pages),
                               tuple(self.catalog.timeline))
        work = lambda: self._write_rest(loaded, changed)  # noqa: E731
        if not hasattr(os, "fork"):
            self._finished(_run_reporting(work))
            return
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:   # the child: write the files, report (a few lines at most), leave
            code = 1
            try:
                os.close(read)
                report = _run_reporting(work)
                _write_all(write, report[-4000:])
                code = 0 if not report else 1
            finally:
                os._exit(code)
        os.close(write)
        self._child = (pid, read)

    def _reap(self, block: bool) -> bool:
        """True when the process of finish() has ended (its failure, if any, is then in `error`)."""
        pid, read = self._child
        done, status = os.waitpid(pid, 0 if block else os.WNOHANG)
        if done == 0:
            return False
        self._child = None
        with os.fdopen(read, "rb") as pipe:
            report = pipe.read().decode("utf-8", "replace")
        code = os.waitstatus_to_exitcode(status)
        if not report and code != 0:
            report = f"검색 색인과 피드를 만드는 프로세스가 {code} 상태로 끝났습니다"
        self._finished(report)
        return True

    def _finished(self, report: str) -> None:
        if report:
            self.error = report + "\n\n검색 색인과 피드를 고치지 못했습니다. 다음 저장에서 전체를 다시 만듭니다."
            self.live = None
        if self.on_finished is not None:
            self.on_finished(self.error if report else "")

    def _write_rest(self, loaded: LoadedContent, changed: frozenset[str]) -> None:
        from ..feeds import render_feeds
        from ..search import render_search_index

        catalog = build_catalog(self.catalog.config, loaded, now=self.catalog.now, include_drafts=True,
                                warnings=self.catalog.warnings)
        # the search index of the new bodies: only the files whose bytes changed are written
        for rel, data in render_search_index(catalog, newsletter_search_docs(catalog)).items():
            target = self.site_dir / rel
            if not target.is_file() or target.read_bytes() != data:
                _write(target, data)
        for rel, data in render_feeds(catalog, previous=self.site_dir, changed_ids=changed).items():
            if not isinstance(data, Path):
                _write(self.site_dir / rel, data)


def _write_all(fd: int, text: str) -> None:
    from ..site.parallel import _write_all as write_all

    write_all(fd, text)


def _run_reporting(work: Callable[[], None]) -> str:
    """Run work; return "" or the failure's report."""
    try:
        work()
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, shown like a failed build
        from ..site.parallel import failure_report

        return failure_report(exc)
    return ""


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _files_under(folder: Path) -> set[str]:
    found = set()
    for here, _dirs, names in os.walk(folder):
        rel = os.path.relpath(here, folder)
        found.update(Path(rel, n).as_posix() if rel != "." else n for n in names)
    return found
