"""Site search: a Korean-aware static index in many small files, and the page that queries it.

An output like feeds/: a function of the catalog, contributing files and one page to the site through
SiteExtras (wired by build.py); it never imports the site adapter or MkDocs."""

from __future__ import annotations

from pathlib import Path

from ..catalog import Catalog
from .docs import facets, search_docs
from .docs import html_doc
from .index import SearchDoc, analyse, build_index
from .store import SearchCache, cached_index, default_cache_dir

SEARCH_PAGE = "search/"
__all__ = ["SEARCH_PAGE", "SearchDoc", "html_doc", "render_search_index", "search_page_data"]


def render_search_index(catalog: Catalog, extra: list[SearchDoc] = (), *, cache_dir: Path | None = None,
                        use_cache: bool = True) -> dict[str, bytes]:
    """Every file of the search index, keyed by its path in the built site (under search/); extra: the
    docs of other outputs' pages (newsletter issues), made by the composition layer.

    The article docs, their analyses and the last index are cached in cache_dir (default:
    .cache/site-builder/search/ under the project; store.py), so a rebuild makes the docs of changed
    articles only, analyses only changed docs and remakes only the shards their keys are in; the bytes are
    those of a build without cache (use_cache=False)."""
    if use_cache:
        cache = SearchCache(cache_dir or default_cache_dir(catalog.config.root))
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
