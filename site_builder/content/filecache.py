"""The per-file cache of article checks, in the project's .cache/site-builder/content/: a check (and so a
build) checks again only the article files that changed, and reuses what it found in the rest.

What one file's check finds (content.checked.CheckedFile) depends on the file's bytes and path, the media
files its check looked for (their existence, size and times), and, for every file alike, the code of the
content checks, the settings (mkdocs.yml as read: SiteConfig) and the writers (authors.yml as read):
`context_key` hashes the last three, and a shard written under another context is not read. Nothing
depends on the time of the build (`now` is used by the checks across files only, which run every time).
A file is unchanged when its stat (size, times, inode) is the one recorded, or else when its bytes hash
the same. A file changed less than RACY_SECONDS before the check began might change again within the
file system's clock step without new times: its stat is not trusted next time (its bytes are hashed), and
an image so changed has the files that show it checked again.

Files: SHARDS shards by the file's path, each one pickle of {path under content/: entry} behind a header
naming its context and length, written to a temporary file and moved into place (os.replace), so two
builds writing at once leave one or the other, whole. Only the content model's classes are unpickled
(nothing in a cache folder gets to run code). A shard that cannot be read (cut short, overwritten,
another version's) is ignored and written again; a cache that cannot be written is skipped. A byte
changed inside a shard's text without changing its length would go unseen: there is no checksum, which
would cost a tenth of a warm check at 10,000 articles. Only the shards whose entries changed are written."""

from __future__ import annotations

import copyreg
import gc
import hashlib
import io
import os
import pickle
import stat
import sys
import tempfile
import time
import zlib
from datetime import timezone
from functools import cache
from pathlib import Path
from typing import Sequence

from ..config import KST, SiteConfig
from .checked import CheckedFile, check_article_files
from .model import Article, Author
from .reader import ContentReader

CACHE_DIR = Path(".cache") / "site-builder" / "content"
SHARDS = 16
MAGIC = b"site-builder content check cache 1\n"
RACY_SECONDS = 2
clock = time.time_ns  # when a check begins, for the rule above (tests set it)
_HEADER = len(MAGIC) + 64 + 1 + 16 + 1  # magic, context (hex), newline, payload length (hex), newline

Signature = tuple[int, int, int, int, int, int]  # file type, size, mtime_ns, ctime_ns, inode, device
_RACY = ("racy",)  # the signature of a media file that changed just before it was looked at: never equal
# An entry: (the file's stat when checked, or None when not to be trusted (it had just changed); sha256 of
# its bytes; the signature of each media file its check looked at (CheckedFile.looked_at), then; the check).
# A plain tuple, not a class: it is read ten thousand times a build, and a tuple is the quickest to unpickle.
_Entry = tuple


@cache
def code_version() -> str:
    """Return a hash of the code a file's check runs: this package, the modules below it, and the
    Python, PyYAML and Pillow versions (images are measured with Pillow)."""
    import PIL
    import yaml

    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(f"{sys.version}|{yaml.__version__}|{yaml.__with_libyaml__}|{PIL.__version__}".encode())
    for path in sorted(package.glob("*.py")) + [package.parent / name for name in
                                                ("config.py", "errors.py", "textutil.py")]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def context_key(config: SiteConfig, authors: dict[str, Author]) -> str:
    """Return the hash of everything every file's check depends on besides the file: code, settings, writers."""
    return hashlib.sha256(f"{code_version()}\n{config!r}\n{authors!r}".encode()).hexdigest()


def signature(path: Path | str) -> Signature | None:
    """Return what tells a file's version without reading it, or None when there is nothing there."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return stat.S_IFMT(st.st_mode), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev


def cached_article_files(reader: ContentReader, sources: Sequence[str], authors: dict[str, Author], *,
                         jobs: int | None = None, folder: Path | None = None) -> list[CheckedFile]:
    """Return the check of every article file (`sources`: paths under content/), in order: from the cache
    where the file and all it depends on are unchanged, else checked now (content.checked) and recorded
    for the next build. folder: where the cache is (default: .cache/site-builder/content/ in the project)."""
    started = clock()
    store = _Store(folder or reader.config.root / CACHE_DIR, context_key(reader.config, authors))
    root = os.path.join(reader.root, "")
    media: dict[str, Signature | None] = {}

    def media_unchanged(looked_at: tuple[str, ...], recorded: tuple) -> bool:
        for rel, then in zip(looked_at, recorded):
            if rel not in media:
                media[rel] = signature(root + rel)
            if media[rel] != then:
                return False
        return True

    results: list[CheckedFile | None] = [None] * len(sources)
    misses: list[int] = []
    read: dict[int, tuple[Signature | None, bytes | None]] = {}
    get, put = store.entries.get, store.put
    for index, source in enumerate(sources):
        entry = get(source)
        now = signature(root + source)
        if entry is None or entry[0] != now or now is None:
            digest = _digest(root + source)
            read[index] = (now, digest)
            if entry is None or digest is None or entry[1] != digest:
                misses.append(index)
                continue
            entry = (_trusted(now, started),) + entry[1:]
            put(source, entry)
        checked = entry[3]
        if not checked.looked_at or media_unchanged(checked.looked_at, entry[2]):
            results[index] = checked
        else:
            misses.append(index)
    if misses:
        for index in misses:
            if index not in read:
                read[index] = (signature(root + sources[index]), _digest(root + sources[index]))
        found = check_article_files(reader, [reader.root / sources[i] for i in misses], authors, jobs=jobs)
        for index, checked in zip(misses, found):
            results[index] = checked
            now, digest = read[index]
            if digest is not None:
                looked = tuple(_media_signature(root + rel, started) for rel in checked.looked_at)
                put(sources[index], (_trusted(now, started), digest, looked, checked))
    store.keep_only(set(sources))
    store.save()
    return results  # type: ignore[return-value]


def _digest(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).digest()
    except OSError:  # gone, or not a file: the check reports it (or raises, as it did without a cache)
        return None


def _racy(sig: Signature, started: int) -> bool:
    return max(sig[2], sig[3]) >= started - RACY_SECONDS * 1_000_000_000


def _trusted(sig: Signature | None, started: int) -> Signature | None:
    return None if sig is None or _racy(sig, started) else sig


def _media_signature(path: str, started: int) -> Signature | tuple | None:
    sig = signature(path)
    return _RACY if sig is not None and _racy(sig, started) else sig


class _Store:
    """The entries of one context, read from every shard at once; the shards of changed entries written back."""

    def __init__(self, folder: Path, context: str):
        self.folder = folder
        self.context = context
        self.entries: dict[str, _Entry] = {}
        for shard in range(SHARDS):
            self.entries.update(self._read(shard))
        self.dirty: set[str] = set()  # sources whose entry changed, came or went

    @staticmethod
    def shard_of(source: str) -> int:
        return zlib.crc32(source.encode("utf-8", "surrogatepass")) % SHARDS

    def path(self, shard: int) -> Path:
        return self.folder / f"articles-{shard:02d}.pickle"

    def _read(self, shard: int) -> dict[str, _Entry]:
        try:
            with open(self.path(shard), "rb") as handle:
                head = handle.read(_HEADER)
                if len(head) < _HEADER or not head.startswith(MAGIC) \
                        or head[len(MAGIC):len(MAGIC) + 64] != self.context.encode() \
                        or int(head[len(MAGIC) + 65:_HEADER - 1], 16) != os.fstat(handle.fileno()).st_size - _HEADER:
                    return {}
                entries = _load(handle)
        except Exception:  # noqa: BLE001 - anything amiss in a cache means: check the files again
            return {}
        if type(entries) is not dict or not all(type(e) is tuple and len(e) == 4 and type(e[3]) is CheckedFile
                                                for e in entries.values()):
            return {}
        return entries

    def put(self, source: str, entry: _Entry) -> None:
        self.entries[source] = entry
        self.dirty.add(source)

    def keep_only(self, sources: set[str]) -> None:
        """Forget the files that are no longer there."""
        gone = self.entries.keys() - sources
        for source in gone:
            del self.entries[source]
        self.dirty |= gone

    def save(self) -> None:
        """Write the shards of changed entries, each whole or not at all; a folder that cannot be written
        is skipped."""
        if not self.dirty:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return
        shards: dict[int, dict[str, _Entry]] = {shard: {} for shard in {self.shard_of(s) for s in self.dirty}}
        for source, entry in self.entries.items():
            shard = shards.get(self.shard_of(source))
            if shard is not None:
                shard[source] = entry
        for shard, entries in sorted(shards.items()):
            payload = _dump(entries)
            header = MAGIC + self.context.encode() + b"\n" + f"{len(payload):016x}".encode() + b"\n"
            try:
                handle, temporary = tempfile.mkstemp(prefix=f".{self.path(shard).name}.", dir=self.folder)
            except OSError:
                return
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(header)
                    out.write(payload)
                os.replace(temporary, self.path(shard))
            except OSError:
                try:
                    os.unlink(temporary)
                except OSError:
                    pass
        self.dirty.clear()


# Pickle, but nothing in the cache folder gets to run code: the reader makes only the content model's values.
_ALLOWED = {"datetime": {"datetime", "timedelta", "date"},
            "site_builder.content.model": {"Article", "Author", "Image", "Interviewee", "Meeting", "Slide", "Video",
                                           "Page", "TimelineEvent"},
            "site_builder.content.licenses": {"License"}, "site_builder.errors": {"Problem"},
            "site_builder.content.reader": {"Body"}, "site_builder.content.checked": {"CheckedFile"},
            __name__: {"_article", "_timezone"}}


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if module == "datetime" and name == "timezone":
            return _timezone
        if name not in _ALLOWED.get(module, ()):
            raise pickle.UnpicklingError(f"{module}.{name} is not a value of the content cache")
        return super().find_class(module, name)


def _timezone(*args) -> timezone:
    """Seoul's time zone as config.KST itself (as a check just made gives it), any other as read."""
    zone = timezone(*args)
    return KST if zone == KST and zone.tzname(None) == KST.tzname(None) else zone


class _Pickler(pickle.Pickler):
    """An article's body is kept as UTF-16, which Python reads back in a third of the time of UTF-8
    (the bodies are most of the cache, and Korean text is three bytes a letter in UTF-8)."""

    dispatch_table = copyreg.dispatch_table | {Article: lambda article: (_article, ({
        **article.__dict__, "body": article.body.encode("utf-16-le", "surrogatepass")},))}


def _article(state: dict) -> Article:
    """An article from its fields, the body as _Pickler wrote it (the fields in their order, as made)."""
    state["body"] = state["body"].decode("utf-16-le", "surrogatepass")
    article = object.__new__(Article)
    article.__dict__.update(state)
    return article


def _dump(entries: dict[str, _Entry]) -> memoryview:
    """Pickle a shard; the media signatures that are equal are written once."""
    same: dict = {}
    entries = {source: (entry[0], entry[1], same.setdefault(entry[2], tuple(same.setdefault(s, s) for s in entry[2])),
                        entry[3]) for source, entry in entries.items()}
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(entries)
    return buffer.getbuffer()


def _load(handle) -> object:
    """Unpickle a shard. What is read stays for the build, so it goes to the oldest generation of the
    garbage collector at once (freeze, then unfreeze), rather than have the next collections of young
    objects go through hundreds of thousands of them again and again."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _Unpickler(handle).load()
    finally:
        gc.freeze()
        gc.unfreeze()
        if collecting:
            gc.enable()
