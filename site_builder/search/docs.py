"""What a reader can find: every visible article as a SearchDoc, with all the text its page shows."""

from __future__ import annotations

import hashlib
import html as htmllib
import re
from functools import lru_cache
from pathlib import Path
from typing import Callable

from ..catalog import Catalog
from ..config import KINDS
from ..content.vocabulary import kind_label
from ..render.html import body_html, renderer_version
from ..content.model import Article
from ..textutil import korean_date
from .index import SearchDoc

_BLOCK = re.compile(r"</?(?:p|div|li|ul|ol|h[1-6]|br|hr|tr|td|th|table|thead|tbody|blockquote|figure|figcaption|"
                    r"pre|section|dl|dt|dd|details|summary|caption)\b[^>]*>", re.I)
_IMG_ALT = re.compile(r"<img\b[^>]*?\balt=\"([^\"]*)\"[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"[ \t\u00a0]{2,}|[\t\u00a0]")   # = [ \t\u00a0]+ -> " ", leaving single spaces alone (quicker)


def html_text(markup: str) -> str:
    """Visible text of sanitized HTML: blocks become line breaks, inline tags vanish, images give their alt."""
    text = _IMG_ALT.sub(lambda m: f"\n{m.group(1)}\n", markup)
    text = _TAG.sub("", _BLOCK.sub("\n", text))
    text = _SPACES.sub(" ", htmllib.unescape(text))
    # every run of whitespace holding a line break becomes one line break (re's \s is str.isspace)
    return "\n".join(line for line in (part.strip() for part in text.split("\n")) if line)


def article_doc(catalog: Catalog, article: Article) -> SearchDoc:
    """The SearchDoc of one article: strong fields apart from the body so that they rank higher."""
    config = catalog.config
    authors = catalog.authors_of(article)
    agenda = {t.id: t.name for t in config.agenda}
    series = {t.id: t.name for t in config.series}
    strong = [article.title, article.summary, *article.tags, kind_label(article.kind),
              *(agenda.get(a, a) for a in article.agenda), series.get(article.series or "", ""),
              *article.districts]
    for author in authors:
        strong += [author.name, author.affiliation]
    for person in article.interviewees:
        strong += [person.name, person.affiliation]
    if article.meeting:
        m = article.meeting
        strong += [m.place, m.host, *m.organisations, *m.agenda_items, *m.outcomes]
    body = [html_text(body_html(catalog, article))]
    body += [image.alt for image in article.images]
    body += [slide.text for slide in article.slides]
    body += [author.bio for author in authors]  # shown under the article
    return SearchDoc(
        url=article.url, title=article.title, kind=article.kind, kind_label=kind_label(article.kind),
        date_iso=article.date.date().isoformat(), date_text=korean_date(article.date),
        byline=", ".join(a.name for a in authors), summary=article.summary,
        strong_text="\n".join(s for s in strong if s), body_text="\n".join(s for s in body if s),
        year=article.date.year, agenda=article.agenda, series=article.series or "",
        districts=article.districts, authors=article.authors)


def html_doc(*, url: str, title: str, kind: str, kind_label: str, date, summary: str, html: str,
             byline: str = "") -> SearchDoc:
    """A SearchDoc for another output's page (a newsletter issue's web version): title and summary strong."""
    return SearchDoc(url=url, title=title, kind=kind, kind_label=kind_label, date_iso=date.date().isoformat(),
                     date_text=korean_date(date), byline=byline, summary=summary,
                     strong_text="\n".join(s for s in (title, summary) if s), body_text=html_text(html),
                     year=date.year)


# What an article's SearchDoc is a function of, besides its file: the code that reads the file into an
# Article (content/), the settings (config.py), the catalog's author lookup, the body's rendering (render/,
# with the Markdown libraries: renderer_version) and this module with the text helpers it calls.
_DOC_CODE = ("search/docs.py", "search/index.py", "textutil.py", "config.py", "catalog.py", "content", "render")


@lru_cache(maxsize=1)
def docs_version() -> str:
    """A hash of the code that makes an article's SearchDoc (article_doc and all it calls)."""
    package = Path(__file__).resolve().parent.parent
    h = hashlib.sha256(renderer_version().encode())
    for name in _DOC_CODE:
        path = package / name
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            h.update(file.relative_to(package).as_posix().encode() + b"\x00" + file.read_bytes())
    return h.hexdigest()[:16]


class ArticleKeys:
    """The cache key of each article's SearchDoc: it changes whenever the doc could. An Article is a
    function of its file's path and bytes (Article.content_hash), the settings and the author records it
    names, read by the code docs_version() covers; article_doc() adds the settings' agenda and series names
    and the authors' names, affiliations and bios. The body's links are made absolute through other
    articles' URLs, but html_text() drops every href and src, so the doc does not depend on them."""

    def __init__(self, catalog: Catalog):
        config = catalog.config
        settings = repr((config.site_url, config.site_name, config.brand, config.office, config.agenda, config.series,
                         config.default_license, config.markdown_extensions, config.extra))
        self.base = hashlib.sha256(f"{docs_version()}\x00{settings}".encode()).hexdigest()
        self.authors = {id_: hashlib.sha256(repr(author).encode()).hexdigest()[:16]
                        for id_, author in catalog.authors.items()}

    def key(self, article: Article) -> str:
        parts = [self.base, article.source, article.content_hash, *(self.authors.get(a, "") for a in article.authors)]
        return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:32]


DocMemo = Callable[[str, Callable[[], SearchDoc]], SearchDoc]   # (key, make) -> the doc, made or remembered


def doc_order(catalog: Catalog, extra: list[SearchDoc] = ()) -> list[Article | SearchDoc]:
    """What each doc number holds, oldest first: an article (its doc not made) or one of the extra docs.
    Doc numbers ascend with the date; same-day articles keep their order and extra docs take their place."""
    items = [(a.date.date().isoformat(), a) for a in reversed(catalog.articles)]  # = article_doc's date_iso
    items += [(d.date_iso, d) for d in extra]
    return [item for _date, item in sorted(items, key=lambda pair: pair[0])]   # stable


def search_docs(catalog: Catalog, extra: list[SearchDoc] = (), memo: DocMemo | None = None) -> list[SearchDoc]:
    """Every searchable doc in doc order (doc_order). memo: a cache of article docs by ArticleKeys
    (store.SearchCache.doc); None makes every doc."""
    keys = ArticleKeys(catalog) if memo is not None else None
    docs = []
    for item in doc_order(catalog, extra):
        if isinstance(item, SearchDoc):
            docs.append(item)
        elif keys is None or not item.content_hash:   # (an Article made in code has no content_hash)
            docs.append(article_doc(catalog, item))
        else:
            docs.append(memo(keys.key(item), lambda a=item: article_doc(catalog, a)))
    return docs


def filter_labels(catalog: Catalog, extra_kinds: dict[str, str] | None = None) -> dict[str, list[list[str]]]:
    """[id, Korean name] of every kind, agenda, series, district and author that a visible article has."""
    articles = catalog.articles
    extra_kinds = extra_kinds or {}
    kinds = {a.kind for a in articles} | set(extra_kinds)
    agenda = {x for a in articles for x in a.agenda}
    series = {a.series for a in articles if a.series}
    districts = sorted({d for a in articles for d in a.districts})
    authors = sorted({x for a in articles for x in a.authors},
                     key=lambda x: catalog.authors[x].name if x in catalog.authors else x)
    return {
        "kind": [[k, label] for k, label in {**KINDS, **(extra_kinds or {})}.items() if k in kinds],
        "agenda": [[t.id, t.name] for t in catalog.config.agenda if t.id in agenda],
        "series": [[t.id, t.name] for t in catalog.config.series if t.id in series],
        "district": [[d, d] for d in districts],
        "author": [[x, catalog.authors[x].name if x in catalog.authors else x] for x in authors],
    }


def facets(catalog: Catalog, docs: list[SearchDoc]) -> dict:
    """Per-doc filter values, as indexes into filter_labels (which the filter controls offer too)."""
    labels = facet_labels(catalog, docs)
    rows = FacetRows(labels)
    found: dict = {"labels": labels, **{name: [] for name in FACET_FIELDS}}
    for doc in docs:
        for name, value in zip(FACET_FIELDS, rows.row(doc)):
            found[name].append(value)
    return found


FACET_FIELDS = ("kind", "year", "agenda", "series", "district", "author")


def facet_labels(catalog: Catalog, docs: list[SearchDoc]) -> dict[str, list[list[str]]]:
    """filter_labels with the kinds of docs (other outputs' pages) that are not article kinds."""
    return filter_labels(catalog, {d.kind: d.kind_label for d in docs if d.kind not in KINDS})


class FacetRows:
    """One doc's filter values (FACET_FIELDS), as facets() writes them, for the given labels."""

    def __init__(self, labels: dict[str, list[list[str]]]):
        self.index = {name: {row[0]: i for i, row in enumerate(rows)} for name, rows in labels.items()}

    def row(self, d: SearchDoc) -> tuple:
        index = self.index
        return (index["kind"].get(d.kind, -1), d.year, [index["agenda"][a] for a in d.agenda if a in index["agenda"]],
                index["series"].get(d.series, -1),
                [index["district"][n] for n in d.districts if n in index["district"]],
                [index["author"][a] for a in d.authors if a in index["author"]])
