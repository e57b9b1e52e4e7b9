"""The index after a few docs changed, patched from the last one without making the other docs (an edit).

A rebuild after editing one body at 10,000 articles would otherwise read every article's cached doc to
lay out files that did not change. Here the docs are not made at all unless their key changed
(docs.ArticleKeys: the same key, the same doc; another output's docs are made and compared by a hash of
all of them): a changed doc's text file, its result card in its d/ chunk and the shards its keys are
in are made again from the last index (store.SearchCache.files) and the doc's old and new analyses;
every other file keeps its bytes. The manifest's version is then a hash of them all, as always.

It gives up (None: the caller builds from the cache as before) whenever it could not give build_index's
bytes that way: no usable last index, another number of docs, many changed docs, a missing analysis, a
shard count that changes, or a changed doc whose filter values (facets.json) differ; the result is byte
for byte what a build without cache makes (tests/search/test_cache.py, tests/build/test_differential.py)."""

from __future__ import annotations

import json
from pathlib import Path

from ..catalog import Catalog
from ..config import KINDS
from .docs import FACET_FIELDS, ArticleKeys, FacetRows, article_doc, doc_order, facet_labels
from .index import DOC_CHUNK, SearchDoc, Shards, _dump, add_manifest, card, doc_fingerprint, update_shards
from .store import UPDATE_SHARE, SearchCache, doc_digest


def patched_index(catalog: Catalog, extra: list[SearchDoc], cache: SearchCache, previous: Path | None = None
                  ) -> dict[str, bytes | Path] | None:
    """Every file of the index (path under search/), or None when it cannot be patched (see above).

    previous: the last build's site; when its search/ is the index the cache recorded, an unchanged file's
    value is previous / "search" (the folder holding it) instead of its bytes."""
    state = cache.state()
    if state is None or any(a.kind not in KINDS or not a.content_hash for a in catalog.articles):
        return None
    order = doc_order(catalog, extra)
    keys = ArticleKeys(catalog)
    new_keys = [doc_digest(item) if isinstance(item, SearchDoc) else keys.key(item) for item in order]
    try:
        old_keys, fingerprints = list(state["keys"]), list(state["docs"])
        old_manifest = json.loads(state["manifest"])
    except (KeyError, TypeError, ValueError):
        return None
    if len(old_keys) != len(new_keys) or len(fingerprints) != len(new_keys):
        return None
    changed = [n for n, (old, new) in enumerate(zip(old_keys, new_keys)) if old != new]
    if len(changed) > max(1, UPDATE_SHARE * len(new_keys)):
        return None
    recorded = previous is not None and _is_recorded(previous / "search" / "manifest.json", state)
    if not changed:
        if recorded:
            folder = previous / "search"
            return dict.fromkeys([row[0] for row in state["names"]] + ["manifest.json"], folder)
        stored = cache.files()
        return None if stored is None else stored | {"manifest.json": state["manifest"].encode("utf-8")}
    old = cache.files()
    if old is None:
        return None
    files = dict(old)
    docs = {n: order[n] if isinstance(order[n], SearchDoc) else article_doc(catalog, order[n]) for n in changed}
    if not _same_facets(catalog, files, docs, [d for d in order if isinstance(d, SearchDoc)]):
        return None
    changes = []
    gone = set()
    for n, doc in docs.items():
        before = cache.analysis(fingerprints[n])
        if before is None:
            return None
        gone.add(fingerprints[n])
        fingerprints[n] = doc_fingerprint(doc)
        changes.append((n, before, cache.get(fingerprints[n], doc)))
    try:
        shards = update_shards(Shards({n: b for n, b in old.items() if n.startswith(("k/", "t/"))},
                                      state["shards"], state["typo_shards"], state["total"], state["typo_total"],
                                      state["words"]), changes)
    except (KeyError, TypeError, ValueError):
        return None
    if shards is None:
        return None
    files = {n: b for n, b in files.items() if not n.startswith(("k/", "t/"))} | shards.files
    for n, doc in docs.items():
        files[f"x/{n}.txt"] = doc.body_text.encode("utf-8")
        chunk = f"d/{n // DOC_CHUNK}.json"
        cards = json.loads(files[chunk])
        cards[n % DOC_CHUNK] = card(doc)
        files[chunk] = _dump(cards)
    parts, _sha = add_manifest(files, len(new_keys), shards, old_manifest["filters"], old_manifest["years"])
    cache.save(fingerprints, new_keys, shards, files, parts, gone=gone)
    if not recorded:
        return files
    folder = previous / "search"
    return {name: (folder if old.get(name) is data or old.get(name) == data else data) for name, data in files.items()}


def _same_facets(catalog: Catalog, files: dict[str, bytes], docs: dict[int, SearchDoc], extra: list[SearchDoc]
                 ) -> bool:
    """Whether facets.json stays as it is: the same labels (article kinds are config.KINDS; other docs are all
    given) and each changed doc's filter values the same."""
    try:
        old = json.loads(files["facets.json"])
    except (KeyError, ValueError):
        return False
    labels = facet_labels(catalog, extra)
    if labels != old.get("labels"):
        return False
    rows = FacetRows(labels)
    return all(list(rows.row(doc)) == [old[name][n] for name in FACET_FIELDS] for n, doc in docs.items())


def _is_recorded(manifest: Path, state: dict) -> bool:
    try:
        return manifest.read_bytes() == state["manifest"].encode("utf-8")
    except (OSError, KeyError, AttributeError):
        return False

