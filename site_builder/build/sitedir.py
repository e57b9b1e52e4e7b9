"""How a new build takes the place of the site folder, touching only the files that changed.

A file whose bytes are the same as in the previous site keeps the previous site's file (the same
inode, so the same modification time): rsync, a CDN sync or a browser's conditional request sees that
it did not change. A full build is made in a folder beside the site and swapped in whole
(keep_unchanged() first links the unchanged files of the old site into it); a build that changed
only a few files writes them in place (write_changed()), each one atomically.

Nothing here writes into an existing file: files are replaced (os.replace), never rewritten, so a file
linked into another site folder, or into the cache, is never changed through its other name."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Mapping

_CHUNK = 1 << 20


def _same_bytes(a: str, b: str, size: int) -> bool:
    with open(a, "rb") as fa, open(b, "rb") as fb:
        while size > 0:
            x, y = fa.read(_CHUNK), fb.read(_CHUNK)
            if x != y:
                return False
            if not x:
                return True
            size -= len(x)
    return True


def keep_unchanged(new: Path, old: Path) -> int:
    """For every file of new that old has with the same bytes, put old's file in its place (a hard link);
    return how many files were kept. Does nothing where hard links are not possible."""
    kept = 0
    if not old.is_dir():
        return 0
    for folder, _dirs, names in os.walk(new):
        rel = os.path.relpath(folder, new)
        for name in names:
            fresh = os.path.join(folder, name)
            previous = os.path.normpath(os.path.join(old, rel, name))
            try:
                a, b = os.lstat(fresh), os.lstat(previous)
            except OSError:
                continue
            if (a.st_ino == b.st_ino and a.st_dev == b.st_dev) or a.st_size != b.st_size:
                continue   # the same file already (taken from the previous site), or changed
            if not (os.path.isfile(previous) and _same_bytes(fresh, previous, a.st_size)):
                continue
            link = f"{fresh}.keep-{os.getpid()}"
            try:
                os.link(previous, link)
                os.replace(link, fresh)
            except OSError:
                try:
                    os.unlink(link)
                except OSError:
                    pass
                continue
            kept += 1
    return kept


def write_changed(site: Path, files: Mapping[str, bytes], remove: Iterable[str] = ()) -> list[str]:
    """Write into site each file whose bytes differ from what is there (atomically: a temporary file
    beside it, then renamed over it) and delete the files of remove; return the relative paths written."""
    for rel in remove:
        try:
            (site / rel).unlink()
        except FileNotFoundError:
            pass
    written = []
    for rel, data in sorted(files.items()):
        path = site / rel
        try:
            if path.stat().st_size == len(data) and path.read_bytes() == data:
                continue
        except OSError:
            pass
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.new-{os.getpid()}")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        written.append(rel)
    return written
