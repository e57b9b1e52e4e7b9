"""The outputs' contributions to the site (render.contributions.Contribution): the feeds' files, 구독 page
and head links, the newsletter's web versions, archive and feed, the search page and index, the
publisher's kit pages. Composition: the outputs never import each other or the site; this module
asks each for its part. Each provider takes the catalog and with_files (False: the build renders the
heavy files in a second process, render_output_files)."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Mapping

from ..catalog import Catalog
from ..render.contributions import Contribution, PageSpec

NEWSLETTER_KIND = {"newsletter": "뉴스레터"}


def newsletter_contribution(catalog: Catalog, *, with_files: bool = True) -> Contribution:
    """The newsletter's web versions, its archive page and its feed."""
    from ..newsletter import render_newsletter_feed, web_html

    issues = published_issues(catalog)
    pages = [PageSpec(path="newsletter/", template="sb-newsletter-archive.html", title="뉴스레터 보관함",
                      description="지난 뉴스레터를 웹에서 보기", data={"issues": issues})]
    for issue in issues:
        pages.append(PageSpec(path=issue.url, template="sb-newsletter.html",
                              title=f"{issue.title} (뉴스레터 제{issue.number}호)", description=issue.preheader,
                              data={"issue": issue, "html": web_html(issue, catalog)}))
    files = {"newsletter/feed.xml": render_newsletter_feed(catalog, issues)} if with_files else {}
    return Contribution(files=files, pages=tuple(pages))


def published_issues(catalog: Catalog) -> list:
    """Newsletter issues that get a web version: every issue that is not a draft, newest first."""
    from ..newsletter import load_issues

    issues, _problems = load_issues(catalog.config, catalog)
    return sorted((i for i in issues if not i.draft), key=lambda i: i.number, reverse=True)


def kits_contribution(catalog: Catalog, *, with_files: bool = True,
                      kits: Mapping[str, Iterable[str]] | None = None) -> Contribution:
    """The publisher's kit pages (noindex, outside the sitemap and the search index) and their files.

    kits: article id -> manual channels waiting for a person; None asks the publisher's ledger.
    The files (a few images per kit) are always included: the site adapter writes them."""
    from ..publish.kit import build_kits, pending_kits

    made = build_kits(catalog, pending_kits(catalog.config) if kits is None else kits)
    pages = tuple(PageSpec(path=kit.path, template="sb-kit.html", title=f"발행 키트: {kit.post.title}",
                           description="손으로 올리는 채널에 붙여 넣을 글, 이미지, 체크리스트",
                           data={"kit": kit}, in_sitemap=False) for kit in made)
    files = {path: data for kit in made for path, data in kit.files.items()}
    return Contribution(files=files, pages=pages)


def newsletter_search_docs(catalog: Catalog) -> list:
    """The newsletter issues' web versions as search results (the search output never imports newsletter)."""
    from ..newsletter import web_html
    from ..search import html_doc

    return [html_doc(url=issue.url, title=f"{issue.title} (뉴스레터 제{issue.number}호)", kind="newsletter",
                     kind_label=NEWSLETTER_KIND["newsletter"], date=issue.date, summary=issue.preheader,
                     html=web_html(issue, catalog)) for issue in published_issues(catalog)]


def search_contribution(catalog: Catalog, *, with_files: bool = True) -> Contribution:
    """The search page (the index files are rendered with the feeds, in the second process)."""
    from ..search import SEARCH_PAGE, render_search_index, search_page_data

    kinds = NEWSLETTER_KIND if published_issues(catalog) else {}
    page = PageSpec(path=SEARCH_PAGE, template="sb-search.html", title="검색",
                    description="유어스의 모든 기사와 뉴스레터를 한국어로 찾기", data=search_page_data(catalog, kinds))
    files = render_search_index(catalog, newsletter_search_docs(catalog)) if with_files else {}
    return Contribution(files=files, pages=(page,))


def contributions(catalog: Catalog, *, with_files: bool = True, kits: Mapping[str, Iterable[str]] | None = None
                  ) -> tuple[Contribution, ...]:
    """Every output's contribution to the site of this catalog, in the order the site shows their pages
    and head links: feeds, newsletter, search, the publisher's kits."""
    from ..feeds import feeds_contribution

    return (feeds_contribution(catalog, with_files=with_files), newsletter_contribution(catalog, with_files=with_files),
            search_contribution(catalog, with_files=with_files),
            kits_contribution(catalog, with_files=with_files, kits=kits))


def render_output_files(catalog: Catalog, *, previous: Path | None = None,
                        changed_ids: frozenset[str] = frozenset()) -> dict[str, bytes | Path]:
    """Every non-page file of the outputs: feeds, the newsletter feed and the search index, keyed by path in
    the site. With previous (an incremental build: only the bodies of the changed_ids articles changed), the
    feed documents that carry none of them are not rendered and the search index is patched: the value
    of every file that stays as it was is previous itself (a Path: the site folder whose file at the same
    relative path has the bytes), not bytes; the other values are the bytes of the file."""
    from ..feeds import render_feeds
    from ..newsletter import render_newsletter_feed
    from ..search import render_search_index

    files = dict(render_feeds(catalog, previous=previous, changed_ids=changed_ids))
    files["newsletter/feed.xml"] = render_newsletter_feed(catalog, published_issues(catalog))
    # after the feeds: their body HTML is cached by now
    files.update(render_search_index(catalog, newsletter_search_docs(catalog), previous=previous))
    return files
