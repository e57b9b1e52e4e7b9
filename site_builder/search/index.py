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
rewrites only the shards it touches (unchanged files keep their bytes; the build links them)."""

from __future__ import annotations

import hashlib
import json
import math
from collections import defaultdict
from dataclasses import dataclass

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


def doc_fingerprint(doc: SearchDoc) -> str:
    """A hash of everything analyse() reads, for the per-doc analysis cache."""
    return hashlib.sha256(f"{ANALYSIS}\x00{doc.strong_text}\x00{doc.body_text}".encode()).hexdigest()[:32]


def _shards(total_bytes: int, target: int) -> int:
    return 1 << max(0, math.ceil(math.log2(max(1, total_bytes / target))))


def _dump(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def build_index(docs: list[SearchDoc], analyses: list[DocKeys], facets: dict) -> dict[str, bytes]:
    """Return every file of the index (path under search/ -> bytes); docs in ascending date order."""
    postings: dict[str, list[int]] = defaultdict(list)
    last: dict[str, int] = {}
    doc_words: dict[str, int] = defaultdict(int)
    for number, keys in enumerate(analyses):
        for key, strong in ((k, 1) for k in keys.strong):
            postings[key].append((number - last.get(key, 0)) * 2 + strong)
            last[key] = number
        for key in keys.body:
            postings[key].append((number - last.get(key, 0)) * 2)
            last[key] = number
        for word in keys.words:
            doc_words[word] += 1
    files: dict[str, bytes] = {}
    encoded = {key: json.dumps(values, separators=(",", ":")) for key, values in postings.items()}
    total = sum(len(k.encode()) + len(v) + 4 for k, v in encoded.items())
    shards = _shards(total, SHARD_BYTES)
    grouped: dict[int, dict[str, list[int]]] = defaultdict(dict)
    for key, values in postings.items():
        grouped[shard_hash(key) & (shards - 1)][key] = values
    for shard, entries in grouped.items():
        files[f"k/{shard}.json"] = _dump(entries)

    typo: dict[str, set[str]] = defaultdict(set)
    for word in doc_words:
        typo[word].add(word)
        for variant in deletions(word):
            typo[variant].add(word)
    typo_total = sum(len(k.encode()) * (1 + len(v)) + 4 for k, v in typo.items())
    typo_shards = _shards(typo_total, TYPO_SHARD_BYTES)
    typo_grouped: dict[int, dict[str, list[str]]] = defaultdict(dict)
    for variant, stems in typo.items():
        typo_grouped[shard_hash(variant) & (typo_shards - 1)][variant] = sorted(stems)
    for shard, entries in typo_grouped.items():
        files[f"t/{shard}.json"] = _dump(entries)

    for start in range(0, len(docs), DOC_CHUNK):
        files[f"d/{start // DOC_CHUNK}.json"] = _dump([
            [d.title, d.url, d.kind_label, d.date_iso, d.date_text, d.byline, d.summary]
            for d in docs[start:start + DOC_CHUNK]])
    for number, doc in enumerate(docs):
        files[f"x/{number}.txt"] = doc.body_text.encode("utf-8")
    files["facets.json"] = _dump(facets)
    version = hashlib.sha256(b"".join(files[name] for name in sorted(files))).hexdigest()[:16]
    files["manifest.json"] = _dump({
        "version": version, "docs": len(docs), "shards": shards, "typo_shards": typo_shards,
        "doc_chunk": DOC_CHUNK, "analysis": ANALYSIS, "filters": facets["labels"],
        "years": [min((d.year for d in docs), default=0), max((d.year for d in docs), default=0)],
    })
    return files
