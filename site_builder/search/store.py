"""The search's build cache, under .cache/site-builder/search/ beside the build's other caches.

- docs/<xx>.json               the SearchDocs of articles (docs.search_docs) whose ArticleKeys key starts with
                               the hex digits xx, each with its fingerprint: an unchanged article's doc is
                               not made again (its body's text is not extracted again); 256 files, so an
                               edit rewrites one
- analysis/<fingerprint>.json  one doc's analysis (index.DocKeys), keyed by a hash of the text it reads and
                               of this package's code (index.doc_fingerprint): an unchanged article is not
                               analysed again
- index.bin                    every file of the last index but its manifest, one after the other in name
                               order (what the manifest's version is a hash of)
- state.json                   that index: each doc number's key (docs.ArticleKeys, or a hash of another
                               output's doc) and fingerprint, the shard counts and totals, the stems' doc
                               counts, each file's name, length and CRC-32 in index.bin, and the manifest

All JSON (never pickle: nothing in a cache folder gets to run code), written atomically; a missing,
unreadable or foreign file only means more work (the index is then built from the analyses), never a
different index. Entries the current index no longer uses are deleted when it is saved."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import zlib
from dataclasses import astuple, fields
from pathlib import Path
from typing import Callable

from .index import (DocKeys, SearchDoc, Shards, analyse, build_shards, code_version, doc_fingerprint,
                    index_files, update_shards)

# Update the previous index in place when at most this share of its doc numbers changed (an edit, a new
# newest article); beyond it (an article inserted or deleted among older ones renumbers every later doc)
# building every shard from the cached analyses is as quick.
UPDATE_SHARE = 0.05


def default_cache_dir(root: Path) -> Path:
    return root / ".cache" / "site-builder" / "search"


def cached_index(docs: list[SearchDoc], facets: dict, folder: Path | SearchCache) -> dict[str, bytes]:
    """build_index() of docs with the cache in folder (or that cache, which made some of the docs): the same
    bytes, but only docs whose text changed are analysed, and when few doc numbers changed only the shards
    their keys are in are made again."""
    cache = folder if isinstance(folder, SearchCache) else SearchCache(folder)
    fingerprints = [cache.fingerprint(d) for d in docs]
    shards = None
    previous = cache.previous()
    if previous is not None:
        old, old_shards = previous
        size = max(len(old), len(fingerprints))
        changed = [n for n in range(size) if (old[n] if n < len(old) else None)
                   != (fingerprints[n] if n < len(fingerprints) else None)]
        if len(changed) <= max(1, UPDATE_SHARE * len(fingerprints)):
            before = [cache.analysis(old[n]) if n < len(old) else None for n in changed]
            if all(b is not None or n >= len(old) for b, n in zip(before, changed)):
                after = [cache.get(fingerprints[n], docs[n]) if n < len(docs) else None for n in changed]
                shards = update_shards(old_shards, list(zip(changed, before, after)))
    analyses = None
    if shards is None:
        analyses = [cache.get(f, d) for f, d in zip(fingerprints, docs)]
        shards = build_shards(analyses)
    files, parts, _sha = index_files(docs, analyses or [], facets, shards)
    cache.save(fingerprints, [cache.key_of(d) for d in docs], shards, files, parts)
    return files


def doc_digest(doc: SearchDoc) -> str:
    """The key of a doc not made through SearchCache.doc (another output's page): a hash of all of it."""
    return "doc:" + hashlib.sha256(repr(astuple(doc)).encode()).hexdigest()[:32]


_DOC_FIELDS = [f.name for f in fields(SearchDoc)]
_TUPLES = {i for i, name in enumerate(_DOC_FIELDS) if name in ("agenda", "districts", "authors")}


class SearchCache:
    """The article docs, the analyses of docs and the shards of the previous index, read lazily from folder."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.made: dict[str, DocKeys] = {}     # analyses made this build, written by save()
        self.buckets: dict[str, dict[str, list]] | None = None   # docs/<xx>.json as read: key -> row
        self.docs_used: dict[str, list] = {}   # key -> [fingerprint, *the doc's fields] of this build's docs
        self.docs_made: set[str] = set()       # the buckets a doc made this build goes to
        self.fingerprints: dict[int, str] = {}  # id() of a doc doc() returned -> its fingerprint
        self.keys: dict[int, str] = {}          # id() of a doc doc() returned -> its key
        self._state: dict | None | bool = False  # state.json as read (None: none to trust), once read
        self._read: tuple[dict[str, bytes], dict[str, int]] = ({}, {})   # files() read: the files, their CRCs

    def doc(self, key: str, make: Callable[[], SearchDoc]) -> SearchDoc:
        """The article doc of this key (docs.ArticleKeys): from the cache, or make() now (saved with the index)."""
        if self.buckets is None:
            self.buckets = self._read_docs()
        row = self.buckets.get(key[:2], {}).get(key)
        doc = None
        if row is not None:
            try:
                doc = SearchDoc(*(tuple(v) if i in _TUPLES else v for i, v in enumerate(row[1:])))
                fingerprint = row[0]
            except TypeError:
                doc = None
        if doc is None:
            doc = make()
            fingerprint = doc_fingerprint(doc)
            row = [fingerprint, *astuple(doc)]
            self.docs_made.add(key[:2])
        self.docs_used[key] = row
        self.fingerprints[id(doc)] = fingerprint
        self.keys[id(doc)] = key
        return doc

    def key_of(self, doc: SearchDoc) -> str:
        """The key of a doc: docs.ArticleKeys' for the docs doc() gave, else doc_digest (kept by the caller's list)."""
        return self.keys.get(id(doc)) or doc_digest(doc)

    def fingerprint(self, doc: SearchDoc) -> str:
        """doc_fingerprint(doc), remembered for the docs doc() gave (and kept alive by the caller's list)."""
        return self.fingerprints.get(id(doc)) or doc_fingerprint(doc)

    def _read_docs(self) -> dict[str, dict[str, list]]:
        buckets: dict[str, dict[str, list]] = {}
        try:
            entries = list(os.scandir(self.folder / "docs"))
        except OSError:
            return buckets
        for entry in entries:
            if entry.name.endswith(".json") and len(entry.name) == 7:
                try:
                    data = json.loads(Path(entry.path).read_bytes())
                    if isinstance(data, dict) and data.get("version") == code_version():
                        buckets[entry.name[:2]] = dict(data["docs"])
                except (OSError, ValueError, KeyError, TypeError):
                    pass
        return buckets

    def analysis(self, fingerprint: str) -> DocKeys | None:
        if fingerprint in self.made:
            return self.made[fingerprint]
        try:
            strong, body, words = json.loads((self.folder / "analysis" / f"{fingerprint}.json").read_bytes())
            return DocKeys(frozenset(strong), frozenset(body), frozenset(words))
        except (OSError, ValueError, TypeError):
            return None

    def get(self, fingerprint: str, doc: SearchDoc) -> DocKeys:
        """The doc's analysis: from the cache, or made now (and saved with the index)."""
        keys = self.analysis(fingerprint)
        if keys is None:
            keys = self.made[fingerprint] = analyse(doc)
        return keys

    def state(self) -> dict | None:
        """The state of the last saved index (state.json), or None when there is none of this code's."""
        if self._state is False:
            try:
                state = json.loads((self.folder / "state.json").read_text(encoding="utf-8"))
                self._state = state if isinstance(state, dict) and state.get("version") == code_version() else None
            except (OSError, ValueError):
                self._state = None
        return self._state

    def files(self) -> dict[str, bytes] | None:
        """Every file of the last saved index but its manifest (from index.bin, checked against its hash)."""
        state = self.state()
        if state is None:
            return None
        try:
            blob = (self.folder / "index.bin").read_bytes()
            files, crcs, offset = {}, {}, 0
            for name, length, crc in state["names"]:
                data = files[name] = blob[offset:offset + length]
                if zlib.crc32(data) != crc:
                    return None   # changed since (a damaged file: a CRC-32 costs a third of a sha256)
                crcs[name] = crc
                offset += length
            if offset != len(blob):
                return None
            self._read = (files, crcs)
            return files
        except (OSError, KeyError, TypeError, ValueError):
            return None

    def previous(self) -> tuple[list[str], Shards] | None:
        """The doc fingerprints (by doc number) and the shards of the last saved index, or None."""
        files = self.files()
        if files is None:
            return None
        try:
            state = self.state()
            shards = Shards({n: data for n, data in files.items() if n.startswith(("k/", "t/"))}, state["shards"],
                            state["typo_shards"], state["total"], state["typo_total"], state["words"])
            return list(state["docs"]), shards
        except (KeyError, TypeError):
            return None

    def save(self, fingerprints: list[str], keys: list[str], shards: Shards, files: dict[str, bytes],
             parts: list[bytes], *, gone: set[str] | None = None) -> None:
        """Record the index just made (files; parts: add_manifest's) and drop the analyses it does not
        use: gone, those of the docs that changed (a few), else every file not in use (a failure costs time
        only)."""
        try:
            analysis_dir = self.folder / "analysis"
            analysis_dir.mkdir(parents=True, exist_ok=True)
            self._save_docs()
            for fingerprint, keys_ in self.made.items():
                _write(analysis_dir / f"{fingerprint}.json", json.dumps(
                    [list(keys_.strong), list(keys_.body), list(keys_.words)], ensure_ascii=False).encode("utf-8"))
            names = [name for name in sorted(files) if name != "manifest.json"]   # the order of parts
            read, crcs = self._read
            tmp = self.folder / f"index.bin.tmp-{os.getpid()}"
            with open(tmp, "wb") as out:
                for part in parts:
                    out.write(part)
            os.replace(tmp, self.folder / "index.bin")
            rows = [[name, len(part), crcs[name] if read.get(name) is part else zlib.crc32(part)]
                    for name, part in zip(names, parts)]
            state = {"version": code_version(), "docs": fingerprints, "keys": keys, "shards": shards.shards,
                     "typo_shards": shards.typo_shards, "total": shards.total, "typo_total": shards.typo_total,
                     "words": shards.words, "names": rows, "manifest": files["manifest.json"].decode("utf-8")}
            _write(self.folder / "state.json", json.dumps(state, ensure_ascii=False, sort_keys=True).encode("utf-8"))
            self._state = state
            if gone is None:
                _prune(analysis_dir, {f"{f}.json" for f in fingerprints})
                shutil.rmtree(self.folder / "blobs", ignore_errors=True)   # the shards' files of older versions
            else:
                for fingerprint in gone - set(fingerprints):
                    try:
                        os.unlink(analysis_dir / f"{fingerprint}.json")
                    except OSError:
                        pass
        except OSError:
            pass

    def _save_docs(self) -> None:
        """Write the docs/ buckets whose entries this build changed: new docs, or docs no longer used."""
        if self.buckets is None:
            return            # no article doc was asked for (the index of given docs only)
        wanted: dict[str, dict[str, list]] = {}
        for key, row in self.docs_used.items():
            wanted.setdefault(key[:2], {})[key] = row
        folder = self.folder / "docs"
        folder.mkdir(parents=True, exist_ok=True)
        for bucket in wanted.keys() | self.buckets.keys():
            rows = wanted.get(bucket)
            if bucket not in self.docs_made and rows is not None and rows.keys() == self.buckets.get(bucket, {}).keys():
                continue
            if rows:
                _write(folder / f"{bucket}.json", json.dumps({"version": code_version(), "docs": rows},
                                                             ensure_ascii=False).encode("utf-8"))
            else:
                try:
                    os.unlink(folder / f"{bucket}.json")
                except OSError:
                    pass


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _prune(folder: Path, keep: set[str]) -> None:
    for entry in os.scandir(folder):
        if entry.name not in keep and ".tmp-" not in entry.name:
            try:
                os.unlink(entry.path)
            except OSError:
                pass
