"""Site search: a Korean-aware static index in many small files, and the page that queries it.

An output like feeds/: a function of the catalog, contributing files and one page to the site through
SiteExtras (wired by build.py); it never imports the site adapter or MkDocs."""

from __future__ import annotations

from pathlib import Path

from ..catalog import Catalog
from .docs import facets, search_docs
from .docs import html_doc
from .index import SearchDoc, analyse, build_index
from .patch import patched_index
from .store import SearchCache, cached_index, default_cache_dir

SEARCH_PAGE = "search/"
__all__ = ["SEARCH_PAGE", "SearchDoc", "html_doc", "render_search_index", "search_page_data"]


def render_search_index(catalog: Catalog, extra: list[SearchDoc] = (), *, cache_dir: Path | None = None,
                        use_cache: bool = True, previous: Path | None = None) -> dict[str, bytes | Path]:
    """Every file of the search index, keyed by its path in the built site (under search/); extra: the
    docs of other outputs' pages (newsletter issues), made by the composition layer.

    The article docs, their analyses and the last index are cached in cache_dir (default:
    .cache/site-builder/search/ under the project; store.py): when few docs changed, only their docs are
    made and the last index is patched (patch.py); otherwise the docs of changed articles are made, only
    changed docs are analysed and, when few doc numbers changed, only the shards their keys are in are
    remade. The bytes are those of a build without cache (use_cache=False). previous: the last build's site;
    a file the patched index did not change is then given as previous itself (the folder that holds it at
    the same path), not its bytes."""
    if use_cache:
        cache = SearchCache(cache_dir or default_cache_dir(catalog.config.root))
        patched = patched_index(catalog, list(extra), cache, previous)
        if patched is not None:
            return {f"search/{name}": previous if isinstance(data, Path) else data for name, data in patched.items()}
        docs = search_docs(catalog, extra, cache.doc)
        files = cached_index(docs, facets(catalog, docs), cache)
    else:
        docs = search_docs(catalog, extra)
        files = build_index(docs, [analyse(d) for d in docs], facets(catalog, docs))
    return {f"search/{name}": data for name, data in files.items()}


def search_page_data(catalog: Catalog, extra_kinds: dict[str, str] | None = None) -> dict:
    """What the /search/ page's filter controls offer: the labels of every kind, agenda, ... that occurs."""
    from .docs import filter_labels

    years = sorted({a.date.year for a in catalog.articles})
    return {"filters": filter_labels(catalog, extra_kinds), "years": years}
