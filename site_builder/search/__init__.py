"""Site search: a Korean-aware static index in many small files, and the page that queries it.

An output like feeds/: a function of the catalog, contributing files and one page to the site through
SiteExtras (wired by build.py); it never imports the site adapter or MkDocs."""

from __future__ import annotations

from ..catalog import Catalog
from .docs import facets, search_docs
from .docs import html_doc
from .index import SearchDoc, analyse, build_index

SEARCH_PAGE = "search/"
__all__ = ["SEARCH_PAGE", "SearchDoc", "html_doc", "render_search_index", "search_page_data"]


def render_search_index(catalog: Catalog, extra: list[SearchDoc] = ()) -> dict[str, bytes]:
    """Every file of the search index, keyed by its path in the built site (under search/); extra: the
    docs of other outputs' pages (newsletter issues), made by the composition layer."""
    docs = search_docs(catalog, extra)
    files = build_index(docs, [analyse(d) for d in docs], facets(catalog, docs))
    return {f"search/{name}": data for name, data in files.items()}


def search_page_data(catalog: Catalog, extra_kinds: dict[str, str] | None = None) -> dict:
    """What the /search/ page's filter controls offer: the labels of every kind, agenda, ... that occurs."""
    from .docs import filter_labels

    years = sorted({a.date.year for a in catalog.articles})
    return {"filters": filter_labels(catalog, extra_kinds), "years": years}
