"""Render pages in several processes: MkDocs renders one page at a time, and rendering templates is
more than half of a build.

When every page's Markdown has been converted (MkDocs' `env` event), the build forks. Each child
renders its share of the pages (interleaved, see assign()) with MkDocs' own `_build_page` and exits; the parent
renders the rest and, for the children's pages, runs everything except the template (so plugins that
collect per page, like the search index, still see every page). Before the parent's `post_build`
event it waits for every child and fails the build if one failed. A page is rendered by exactly one
process from the same state, so the output is the same as a single-process build, byte for byte.

Used by `build` and by `serve`'s rebuilds, on POSIX, when more than one job is asked for."""

from __future__ import annotations

import logging
import os
import sys
import traceback
from dataclasses import dataclass, field

SKIP_TEMPLATE = "sb-rendered-elsewhere.html"
ENV_JOBS = "SITE_BUILDER_JOBS"
_log = logging.getLogger("mkdocs.plugins.site_builder")


class JobsError(ValueError):
    """SITE_BUILDER_JOBS is not a whole number."""


def jobs_wanted(env: dict[str, str] | None = None) -> int:
    """Return the number of rendering processes: SITE_BUILDER_JOBS, else the number of usable cores."""
    env = os.environ if env is None else env
    value = (env.get(ENV_JOBS) or "").strip()
    if value:
        if not value.isdigit() or int(value) < 1:
            raise JobsError(f"{ENV_JOBS}={value!r}: 페이지를 만들 프로세스 수가 1 이상의 정수가 아닙니다 "
                            f"— {ENV_JOBS}=2 처럼 쓰세요 (1이면 한 프로세스로 만듭니다)")
        return int(value)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


class _SkipLogFilter(logging.Filter):
    """Drop MkDocs' 'Page skipped ... empty output' notices for the pages another process renders."""

    def __init__(self, uris: set[str]):
        super().__init__()
        self.uris = uris

    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.getMessage()   # "Page skipped: '<src_uri>'. Generated empty output."
        return not (msg.startswith("Page skipped: '") and msg.split("'")[1] in self.uris)


@dataclass
class Children:
    """The forked renderers of one build: pid -> the read end of its error pipe."""

    procs: dict[int, int] = field(default_factory=dict)
    log_filter: _SkipLogFilter | None = None

    def wait(self) -> list[str]:
        """Wait for every child; return the error reports of those that failed (empty when all rendered)
        and log, as warnings of this process, the warnings they logged (strict mode counts them here)."""
        failures = []
        while self.procs:
            pid, fd = self.procs.popitem()
            try:
                with os.fdopen(fd, "rb") as pipe:
                    report = pipe.read().decode("utf-8", "replace")
            finally:
                _pid, status = os.waitpid(pid, 0)
            code = os.waitstatus_to_exitcode(status)
            warnings = 0
            if report.startswith("warnings "):   # a child that finished writes "warnings N" and nothing else
                first, _, report = report.partition("\n")
                warnings = int(first.split()[1])
            if warnings:
                _log.warning("a rendering process logged %d warning(s) (above)", warnings)
            if code != 0:
                failures.append(report.strip() or f"rendering process {pid} ended with status {code}")
        self._unfilter()
        return failures

    def kill(self) -> None:
        """Stop every child (the parent's build failed) and reap it."""
        import signal

        while self.procs:
            pid, fd = self.procs.popitem()
            for step in (lambda: os.kill(pid, signal.SIGKILL), lambda: os.waitpid(pid, 0), lambda: os.close(fd)):
                try:
                    step()
                except (ProcessLookupError, ChildProcessError, OSError):
                    pass
        self._unfilter()

    def _unfilter(self) -> None:
        if self.log_filter is not None:
            logging.getLogger("mkdocs.commands.build").removeFilter(self.log_filter)
            self.log_filter = None


class _WarningCounter(logging.Handler):
    """Counts the warnings a rendering process logs, for the parent's strict mode."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def _write_all(fd: int, text: str) -> None:
    view = memoryview(text.encode("utf-8", "replace"))
    while view:
        view = view[os.write(fd, view):]


def failure_report(exc: BaseException, page=None) -> str:
    """One failure in a few lines: the page, the error, the template lines it passed and the last code line."""
    where = f"{page.file.src_uri}: " if page is not None else ""
    lines = [f"{where}{type(exc).__name__}: {exc}"]
    frames = traceback.extract_tb(exc.__traceback__)
    for frame in frames:
        if frame.filename.endswith((".html", ".xml", ".j2")):
            lines.append(f"  {frame.filename}:{frame.lineno}")
    if frames and not frames[-1].filename.endswith((".html", ".xml", ".j2")):
        lines.append(f"  {frames[-1].filename}:{frames[-1].lineno} ({frames[-1].name})")
    return "\n".join(lines)


# The parent also renders sitemap.xml and 404.html and runs the page events of every page (the search
# index), about a tenth of its share: it takes that much fewer pages (measured on 1,000 articles).
PARENT_WEIGHT = 0.9
# Fewer pages than this are rendered in one process (a fork costs about as much as rendering a few pages).
MIN_PAGES_TO_FORK = 2


def assign(count: int, jobs: int) -> list[int]:
    """Return the process (0 = parent) that renders each of count pages: interleaved, so every process
    gets every kind of page, in proportion to its weight."""
    weights = [PARENT_WEIGHT] + [1.0] * (jobs - 1)
    given = [0] * jobs
    owners = []
    for _ in range(count):
        owner = min(range(jobs), key=lambda j: ((given[j] + 1) / weights[j], j))
        given[owner] += 1
        owners.append(owner)
    return owners


def skip_pages(env, children: "Children", pages) -> None:
    """Make MkDocs render nothing for these pages in this process (another process or the previous site
    provides them); the page events still run."""
    from jinja2 import ChoiceLoader, DictLoader

    if not pages:
        return
    if not isinstance(env.loader, ChoiceLoader) or SKIP_TEMPLATE not in getattr(env.loader.loaders[0], "mapping", {}):
        env.loader = ChoiceLoader([DictLoader({SKIP_TEMPLATE: ""}), env.loader])
    if children.log_filter is None:
        children.log_filter = _SkipLogFilter(set())
        logging.getLogger("mkdocs.commands.build").addFilter(children.log_filter)
    for page in pages:
        page.meta["template"] = SKIP_TEMPLATE
        children.log_filter.uris.add(page.file.src_uri)


def fork_renderers(jobs: int, env, config, files, nav, pages, children: "Children | None" = None, *,
                   inclusion=None) -> Children:
    """Fork jobs - 1 renderers sharing pages with this process; make this process skip their pages.
    inclusion: MkDocs' InclusionLevel filter of the build (is_in_serve under serve, is_included otherwise)."""
    from mkdocs.commands.build import _build_page
    from mkdocs.structure.files import InclusionLevel

    children = children or Children()
    if jobs < 2 or len(pages) < MIN_PAGES_TO_FORK or not hasattr(os, "fork"):
        return children
    doc_files = files.documentation_pages(inclusion=inclusion or InclusionLevel.is_included)
    sys.stdout.flush()
    sys.stderr.flush()
    shares = assign(len(pages), jobs)
    for shard in range(1, jobs):
        mine = [page for page, owner in zip(pages, shares) if owner == shard]
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: render its pages, report, and leave without returning into MkDocs
            code, current, counter = 1, None, _WarningCounter()
            try:
                os.close(read)
                for fd in children.procs.values():
                    os.close(fd)
                logging.getLogger("mkdocs").addHandler(counter)
                for current in mine:
                    _build_page(current, config, doc_files, nav, env,
                                excluded=current.file.inclusion.is_excluded())
                _write_all(write, f"warnings {counter.count}\n")
                code = 0
            except BaseException as exc:  # noqa: BLE001 - reported to the parent, which fails the build
                try:
                    _write_all(write, failure_report(exc, current))
                except BaseException:  # noqa: BLE001 - the exit status still says it failed
                    pass
            finally:
                try:
                    sys.stdout.flush()
                    sys.stderr.flush()
                finally:
                    os._exit(code)
        os.close(write)
        children.procs[pid] = read
    skip_pages(env, children, [page for page, owner in zip(pages, shares) if owner != 0])
    _log.debug("rendering %d pages in %d processes", len(pages), jobs)
    return children
