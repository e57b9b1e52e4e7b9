"""The search's build cache, under .cache/site-builder/search/ beside the build's other caches.

- analysis/<fingerprint>.json  one doc's analysis (index.DocKeys), keyed by a hash of the text it reads and
                               of this package's code (index.doc_fingerprint): an unchanged article is not
                               analysed again
- blobs/<sha256>               the bytes of a postings or typo shard file the last index had
- state.json                   that index: each doc number's fingerprint, the shard counts and totals,
                               the stems' doc counts, and the blob of each shard file

All JSON (never pickle: nothing in a cache folder gets to run code), written atomically; a missing,
unreadable or foreign file only means more work (the index is then built from the analyses), never a
different index. Entries the current index no longer uses are deleted when it is saved."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .index import (DocKeys, SearchDoc, Shards, analyse, build_index, build_shards, code_version,
                    doc_fingerprint, update_shards)

# Update the previous index in place when at most this share of its doc numbers changed (an edit, a new
# newest article); beyond it (an article inserted or deleted among older ones renumbers every later doc)
# building every shard from the cached analyses is as quick.
UPDATE_SHARE = 0.05


def default_cache_dir(root: Path) -> Path:
    return root / ".cache" / "site-builder" / "search"


def cached_index(docs: list[SearchDoc], facets: dict, folder: Path) -> dict[str, bytes]:
    """build_index() of docs with the cache in folder: the same bytes, but only docs whose text changed are
    analysed, and when few doc numbers changed only the shards their keys are in are made again."""
    cache = SearchCache(folder)
    fingerprints = [doc_fingerprint(d) for d in docs]
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
    files = build_index(docs, analyses or [], facets, shards)
    cache.save(fingerprints, shards)
    return files


class SearchCache:
    """The analyses of docs and the shards of the previous index, read lazily from folder."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.made: dict[str, DocKeys] = {}     # analyses made this build, written by save()

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

    def previous(self) -> tuple[list[str], Shards] | None:
        """The doc fingerprints (by doc number) and the shards of the last saved index, or None."""
        try:
            state = json.loads((self.folder / "state.json").read_text(encoding="utf-8"))
            if state.get("version") != code_version():
                return None
            files = {name: (self.folder / "blobs" / sha).read_bytes() for name, sha in state["files"].items()}
            if any(hashlib.sha256(data).hexdigest() != state["files"][name] for name, data in files.items()):
                return None  # a blob was changed since
            shards = Shards(files, state["shards"], state["typo_shards"], state["total"], state["typo_total"],
                            state["words"])
            return list(state["docs"]), shards
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def save(self, fingerprints: list[str], shards: Shards) -> None:
        """Record the index just made; drop analyses and blobs it does not use (a failure costs time only)."""
        try:
            analysis_dir, blob_dir = self.folder / "analysis", self.folder / "blobs"
            analysis_dir.mkdir(parents=True, exist_ok=True)
            blob_dir.mkdir(parents=True, exist_ok=True)
            for fingerprint, keys in self.made.items():
                _write(analysis_dir / f"{fingerprint}.json", json.dumps(
                    [list(keys.strong), list(keys.body), list(keys.words)], ensure_ascii=False).encode("utf-8"))
            blobs = {}
            for name, data in shards.files.items():
                sha = hashlib.sha256(data).hexdigest()
                blobs[name] = sha
                if not (blob_dir / sha).is_file():
                    _write(blob_dir / sha, data)
            state = {"version": code_version(), "docs": fingerprints, "shards": shards.shards,
                     "typo_shards": shards.typo_shards, "total": shards.total, "typo_total": shards.typo_total,
                     "words": shards.words, "files": blobs}
            _write(self.folder / "state.json", json.dumps(state, ensure_ascii=False, sort_keys=True).encode("utf-8"))
            _prune(analysis_dir, {f"{f}.json" for f in fingerprints})
            _prune(blob_dir, set(blobs.values()))
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
