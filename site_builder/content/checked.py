"""One article file's check as a value (`CheckedFile`), and the checks of many files on every core.

`load_article` records in the ContentReader what the checks across files need (the body, the tags as
written, the lines of the keys); `check_article_file` takes that record of one file apart, so that the
check of a file can be kept (content.filecache) or made in another process and put back in file order:
the same as one process reading every file, since no file's check depends on another's."""

from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Sequence

from ..errors import Problem
from .addresses import ADDRESS_KEYS
from .articles import load_article
from .links import iter_body_links
from .model import Article, Author
from .reader import Body, ContentReader

MIN_FILES_PER_JOB = 100  # below this, forking costs more than it saves
MAX_JOBS = 8
ENV_JOBS = "SITE_BUILDER_JOBS"  # the build's number of processes (site.parallel): 1 checks in this one


@dataclass(frozen=True)
class CheckedFile:
    """What checking one article file gave: the article (None when it has errors), its problems, and
    what of it the checks across files read."""

    path: str  # as editors see it: content/feature/x.md
    article: Article | None
    problems: tuple[Problem, ...]
    key_lines: dict[tuple, int] | None  # the lines of its address keys (addresses.ADDRESS_KEYS); None: unread
    body: Body | None  # its links found, its text dropped (the article has it); None: not read so far
    tag_uses: tuple[tuple[str, int, str], ...]  # (path, line, tag) as written
    looked_at: tuple[str, ...]  # the media files under content/ its check looked for, each once

    def record(self, reader: ContentReader) -> None:
        """Put what the checks across files read back into the reader, as load_article leaves it."""
        if self.key_lines is not None:
            reader.key_lines[self.path] = self.key_lines
        if self.body is not None:
            reader.bodies.append(self.body)
        reader.tag_uses += self.tag_uses


def check_article_file(reader: ContentReader, path: Path, authors: dict[str, Author]) -> CheckedFile:
    """Check one article file with load_article and return all it found, leaving the reader as it was
    (but for the images it measured, which it keeps for the next file)."""
    shown = reader.rel(path)
    bodies, tags, looked = len(reader.bodies), len(reader.tag_uses), len(reader.media.looked_at)
    article, problems = load_article(reader, path, authors)
    lines = reader.key_lines.pop(shown, None)
    body = reader.bodies[bodies] if len(reader.bodies) > bodies else None
    tag_uses = tuple(reader.tag_uses[tags:])
    looked_at = tuple(dict.fromkeys(reader.media.looked_at[looked:]))
    del reader.bodies[bodies:], reader.tag_uses[tags:], reader.media.looked_at[looked:]
    if body is not None:
        body = replace(body, text="", links=tuple(iter_body_links(body)))
    if lines is not None:
        lines = {key: line for key, line in lines.items() if key and key[0] in ADDRESS_KEYS}
    return CheckedFile(shown, article, tuple(problems), lines, body, tag_uses, looked_at)


def check_article_files(reader: ContentReader, paths: Sequence[Path], authors: dict[str, Author], *,
                        jobs: int | None = None) -> list[CheckedFile]:
    """Check every file, in forked processes when there are enough files and cores (jobs: how many
    processes at most; None: SITE_BUILDER_JOBS, else the usable cores); return the results in file order.

    The files are dealt out in turn (this process takes the first, a child the second, ...), so each gets
    a share of every kind; each child sends its results back pickled through a pipe."""
    jobs = max(1, min(jobs or jobs_available(), MAX_JOBS, len(paths) // MIN_FILES_PER_JOB))
    if jobs == 1 or multiprocessing.current_process().daemon:  # a daemonic process may not fork children
        return [check_article_file(reader, path, authors) for path in paths]
    context = multiprocessing.get_context("fork")
    children = []
    try:
        for share in range(1, jobs):
            receive, send = context.Pipe(duplex=False)
            child = context.Process(target=_check_share, args=(reader, paths[share::jobs], authors, send),
                                    name=f"site-builder-content-{share}")
            child.start()
            send.close()
            children.append((child, receive))
        results: list = [None] * len(paths)
        results[0::jobs] = [check_article_file(reader, path, authors) for path in paths[0::jobs]]
        for share, (child, receive) in enumerate(children, start=1):
            try:
                ok, value = receive.recv()
            except EOFError:
                child.join()
                raise RuntimeError(f"the process checking content files ended with status {child.exitcode}") from None
            if not ok:
                raise value
            results[share::jobs] = value
        return results
    finally:
        for child, receive in children:
            if child.is_alive() and child.exitcode is None:
                receive.close()
                child.join(timeout=5)
                if child.is_alive():
                    child.kill()
            child.join()


def _check_share(reader: ContentReader, paths: Sequence[Path], authors: dict[str, Author], send) -> None:
    """In a child: check the files and send (True, results), or (False, the exception raised)."""
    try:
        outcome: tuple = (True, [check_article_file(reader, path, authors) for path in paths])
    except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
        outcome = (False, exc)
    try:
        send.send(outcome)
    finally:
        send.close()


def jobs_available(env: dict[str, str] | None = None) -> int:
    """Return SITE_BUILDER_JOBS when it is a whole number (the build reports it otherwise), else the
    number of usable cores."""
    value = ((os.environ if env is None else env).get(ENV_JOBS) or "").strip()
    if value.isdigit() and int(value) >= 1:
        return int(value)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1
