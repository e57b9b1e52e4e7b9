"""The static search index: many small JSON files that the browser fetches only for the keys it looks up.

Layout under search/ in the built site (all UTF-8 JSON unless noted):
- manifest.json   shard counts, the analysis settings (analysis.ANALYSIS), the filter vocabularies
- k/<n>.json      postings shard n: {key: [v, ...]} with v = (doc - previous doc) * 2 + (1 if the key is in
                  a strong field: title, summary, tags, names, boxes), docs ascending
- t/<n>.json      typo shard n: {stem or stem-minus-one-syllable: [stems]} for stems of 3+ syllables
- d/<n>.json      result cards of docs n*DOC_CHUNK .. : [title, url, kind label, ISO date, date text, byline, summary]
- x/<doc>.txt     the doc's visible text, for the highlighted snippet of a shown result
- facets.json     per doc: kind, year, agenda, series, districts, authors (fetched only when filtering)

Doc numbers ascend with the date (oldest is 0), so a new article changes only the shards of its own keys,
and "newest first" is descending doc number. A shard's bytes depend only on the keys in it, so an edit
changes only the shards it touches: update_shards() makes those again from the previous index (its
Shards, kept by store.py) and the changed docs' old and new analyses, and keeps the others' bytes; the
result is byte for byte what build_shards() makes from every doc (tests/search/test_cache.py)."""

from __future__ import annotations

import hashlib
import json
import math
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .analysis import ANALYSIS, deletions, shard_hash, text_keys

SHARD_BYTES = 12_000   # aim for postings shards of about this size
TYPO_SHARD_BYTES = 8_000
DOC_CHUNK = 16


@dataclass(frozen=True)
class SearchDoc:
    """One searchable result (an article or a newsletter issue) as the reader sees it."""

    url: str              # site-relative, e.g. interview/youth-union/
    title: str
    kind: str
    kind_label: str
    date_iso: str
    date_text: str
    byline: str
    summary: str
    strong_text: str      # title, summary, tags, names and affiliations, boxes, listing names
    body_text: str        # body (transcript), alt texts, captions
    year: int
    agenda: tuple[str, ...] = ()
    series: str = ""
    districts: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocKeys:
    """The analysis of one doc: cacheable by the doc's content."""

    strong: frozenset[str]
    body: frozenset[str]
    words: frozenset[str]


def analyse(doc: SearchDoc) -> DocKeys:
    """Return the index keys of a doc's strong and body fields, and its stems for typo tolerance."""
    words: set[str] = set()
    strong = text_keys(doc.strong_text, words=words)
    body = text_keys(doc.body_text, words=words) - strong
    return DocKeys(frozenset(strong), frozenset(body), frozenset(words))


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of the code that analyses docs and lays out the index: the build cache (store.py) is tied to it."""
    h = hashlib.sha256(repr(ANALYSIS).encode())
    for name in ("analysis.py", "index.py"):
        h.update((Path(__file__).parent / name).read_bytes())
    return h.hexdigest()[:16]


def doc_fingerprint(doc: SearchDoc) -> str:
    """A hash of everything analyse() reads and of the analyser's version, for the per-doc analysis cache."""
    return hashlib.sha256(f"{code_version()}\x00{doc.strong_text}\x00{doc.body_text}".encode()).hexdigest()[:32]


def _shards(total_bytes: int, target: int) -> int:
    return 1 << max(0, math.ceil(math.log2(max(1, total_bytes / target))))


def _dump(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def _ints(values: list[int]) -> str:
    """json.dumps(values, separators=(",", ":")) for a list of ints, faster."""
    return "[" + ",".join(map(str, values)) + "]"


def _dump_encoded(entries: dict[str, str]) -> bytes:
    """_dump() of {key: value} whose values are already JSON text (the same bytes, each value encoded once)."""
    return ("{" + ",".join(f"{json.dumps(key, ensure_ascii=False)}:{entries[key]}" for key in sorted(entries))
            + "}").encode("utf-8")


def _posting_bytes(key: str, encoded: str) -> int:
    return len(key.encode()) + len(encoded) + 4     # what sizes the postings shards


def _typo_bytes(variant: str, stems) -> int:
    return len(variant.encode()) * (1 + len(stems)) + 4


def _delta(docs: list[tuple[int, int]]) -> list[int]:
    """[(doc, strong)] ascending -> the stored values."""
    values, last = [], 0
    for number, strong in docs:
        values.append((number - last) * 2 + strong)
        last = number
    return values


def _undelta(values: list[int]) -> dict[int, int]:
    docs, number = {}, 0
    for v in values:
        number += v >> 1
        docs[number] = v & 1
    return docs


@dataclass
class Shards:
    """The postings (k/) and typo (t/) shard files of an index, with what sizes them: enough to update
    them for a few changed docs (update_shards) without the other docs' analyses."""

    files: dict[str, bytes]       # k/<n>.json and t/<n>.json
    shards: int
    typo_shards: int
    total: int                    # sum of _posting_bytes over every key
    typo_total: int               # sum of _typo_bytes over every typo variant
    words: dict[str, int]         # stem -> number of docs that have it (the typo map's vocabulary)


def build_shards(analyses: list[DocKeys]) -> Shards:
    """The postings and typo shards of every doc's analysis (doc number = position)."""
    postings: dict[str, list[int]] = defaultdict(list)
    last: dict[str, int] = {}
    doc_words: dict[str, int] = defaultdict(int)
    for number, keys in enumerate(analyses):
        for key in keys.strong:
            postings[key].append((number - last.get(key, 0)) * 2 + 1)
            last[key] = number
        for key in keys.body:
            postings[key].append((number - last.get(key, 0)) * 2)
            last[key] = number
        for word in keys.words:
            doc_words[word] += 1
    files: dict[str, bytes] = {}
    encoded = {key: _ints(values) for key, values in postings.items()}
    total = sum(_posting_bytes(k, v) for k, v in encoded.items())
    shards = _shards(total, SHARD_BYTES)
    grouped: dict[int, dict[str, str]] = defaultdict(dict)
    for key, text in encoded.items():
        grouped[shard_hash(key) & (shards - 1)][key] = text
    for shard, entries in grouped.items():
        files[f"k/{shard}.json"] = _dump_encoded(entries)

    typo: dict[str, set[str]] = defaultdict(set)
    for word in doc_words:
        typo[word].add(word)
        for variant in deletions(word):
            typo[variant].add(word)
    typo_total = sum(_typo_bytes(k, v) for k, v in typo.items())
    typo_shards = _shards(typo_total, TYPO_SHARD_BYTES)
    typo_grouped: dict[int, dict[str, list[str]]] = defaultdict(dict)
    for variant, stems in typo.items():
        typo_grouped[shard_hash(variant) & (typo_shards - 1)][variant] = sorted(stems)
    for shard, entries in typo_grouped.items():
        files[f"t/{shard}.json"] = _dump(entries)
    return Shards(files, shards, typo_shards, total, typo_total, dict(doc_words))


def _flags(keys: DocKeys | None) -> dict[str, int]:
    if keys is None:
        return {}
    flags = dict.fromkeys(keys.body, 0)
    flags.update(dict.fromkeys(keys.strong, 1))
    return flags


def update_shards(previous: Shards, changes: list[tuple[int, DocKeys | None, DocKeys | None]]) -> Shards | None:
    """The shards after the docs at the given numbers changed from the first analysis to the second (None:
    no doc there, before or after), or None when the number of shards would change (build them all then).
    Only the shards holding a key or typo variant that a change touches are decoded and written again; the
    result has the bytes build_shards() gives for the new analyses."""
    files = dict(previous.files)
    touched: dict[str, dict[int, int | None]] = defaultdict(dict)   # key -> {doc: new flag, None: gone}
    words = dict(previous.words)
    for number, old, new in changes:
        before, after = _flags(old), _flags(new)
        for key in before.keys() | after.keys():
            if before.get(key) != after.get(key):
                touched[key][number] = after.get(key)
        for word in old.words if old else ():
            words[word] -= 1
        for word in new.words if new else ():
            words[word] = words.get(word, 0) + 1
    total = previous.total
    for shard, keys in _by_shard(touched, previous.shards).items():
        name = f"k/{shard}.json"
        entries = {k: _ints(v) for k, v in json.loads(files[name]).items()} if name in files else {}
        for key in keys:
            docs = {}
            if key in entries:
                total -= _posting_bytes(key, entries[key])
                docs = _undelta(json.loads(entries.pop(key)))
            for number, flag in touched[key].items():
                if flag is None:
                    docs.pop(number, None)
                else:
                    docs[number] = flag
            if docs:
                entries[key] = _ints(_delta(sorted(docs.items())))
                total += _posting_bytes(key, entries[key])
        _put(files, name, _dump_encoded(entries) if entries else None)
    if _shards(total, SHARD_BYTES) != previous.shards:
        return None

    flipped = {w for w in words.keys() | previous.words.keys()
               if (words.get(w, 0) > 0) != (previous.words.get(w, 0) > 0)}
    words = {w: n for w, n in words.items() if n > 0}
    variants: dict[str, dict[str, bool]] = defaultdict(dict)     # variant -> {stem: now present}
    for word in flipped:
        for variant in deletions(word) | {word}:
            variants[variant][word] = word in words
    typo_total = previous.typo_total
    for shard, names in _by_shard(variants, previous.typo_shards).items():
        name = f"t/{shard}.json"
        entries = json.loads(files[name]) if name in files else {}
        for variant in names:
            stems = set(entries.pop(variant, ()))
            if stems:
                typo_total -= _typo_bytes(variant, stems)
            for stem, present in variants[variant].items():
                (stems.add if present else stems.discard)(stem)
            if stems:
                entries[variant] = sorted(stems)
                typo_total += _typo_bytes(variant, stems)
        _put(files, name, _dump(entries) if entries else None)
    if _shards(typo_total, TYPO_SHARD_BYTES) != previous.typo_shards:
        return None
    return Shards(files, previous.shards, previous.typo_shards, total, typo_total, words)


def _by_shard(keys, shards: int) -> dict[int, list[str]]:
    grouped: dict[int, list[str]] = defaultdict(list)
    for key in keys:
        grouped[shard_hash(key) & (shards - 1)].append(key)
    return grouped


def _put(files: dict[str, bytes], name: str, data: bytes | None) -> None:
    if data is None:
        files.pop(name, None)      # a shard with no key left is not written (as build_shards does)
    else:
        files[name] = data


def card(d: SearchDoc) -> list[str]:
    """A doc's result card, as d/<n>.json holds it."""
    return [d.title, d.url, d.kind_label, d.date_iso, d.date_text, d.byline, d.summary]


def build_index(docs: list[SearchDoc], analyses: list[DocKeys], facets: dict,
                shards: Shards | None = None) -> dict[str, bytes]:
    """Return every file of the index (path under search/ -> bytes); docs in ascending date order.
    shards: the postings and typo shards of these analyses when already made (update_shards)."""
    return index_files(docs, analyses, facets, shards)[0]


def index_files(docs: list[SearchDoc], analyses: list[DocKeys], facets: dict,
                shards: Shards | None = None) -> tuple[dict[str, bytes], list[bytes], str]:
    """build_index(), with add_manifest's bytes of every file but the manifest, in name order, and their
    sha256 (hex)."""
    shards = shards or build_shards(analyses)
    files = dict(shards.files)
    for start in range(0, len(docs), DOC_CHUNK):
        files[f"d/{start // DOC_CHUNK}.json"] = _dump([card(d) for d in docs[start:start + DOC_CHUNK]])
    for number, doc in enumerate(docs):
        files[f"x/{number}.txt"] = doc.body_text.encode("utf-8")
    files["facets.json"] = _dump(facets)
    years = [min((d.year for d in docs), default=0), max((d.year for d in docs), default=0)]
    blob, sha = add_manifest(files, len(docs), shards, facets["labels"], years)
    return files, blob, sha


def add_manifest(files: dict[str, bytes], docs: int, shards: Shards, labels: dict, years: list[int]
                 ) -> tuple[list[bytes], str]:
    """Add manifest.json to the other files of an index; return those files' bytes in name order (what the
    manifest's version is a hash of) and that sha256 (hex)."""
    parts = [files[name] for name in sorted(files)]
    h = hashlib.sha256()
    for part in parts:
        h.update(part)
    sha = h.hexdigest()
    files["manifest.json"] = _dump({
        "version": sha[:16], "docs": docs, "shards": shards.shards, "typo_shards": shards.typo_shards,
        "doc_chunk": DOC_CHUNK, "analysis": ANALYSIS, "filters": labels, "years": years,
    })
    return parts, sha
