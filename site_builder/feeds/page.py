"""The 구독 page: every feed of the site, in Korean, with what each one contains."""

from __future__ import annotations

from urllib.parse import urlsplit

from ..catalog import Catalog
from ..content.vocabulary import FACETS
from .archive import archive_paths, site_documents_articles
from .entries import ATOM, FORMAT_NAMES, JSON, RSS, feed_paths
from ..textutil import josa
from .settings import feed_settings



def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").strip()


def _count(limit: int | None) -> str:
    return "모든 글" if limit is None else f"최근 글 {limit}개"


def _share(limit: int | None, total: int) -> str:
    if limit is None or total <= limit:
        return f"전체 {total}개"
    return f"최근 {limit}개 (전체 {total}개 중)"


def feeds_page_markdown(catalog: Catalog) -> str:
    """Return the Markdown of the 구독 page: how to subscribe, then a table of every feed."""
    config = catalog.config
    settings = feed_settings(config)
    root = urlsplit(config.site_url).path or "/"
    brand = config.brand or config.site_name

    def link(label: str, path: str) -> str:
        return f"[{label}]({root}{path})"

    # The page's title (피드 구독) comes from the site adapter: no H1 here.
    lines = [
        f"{brand}의 새 글을 피드 리더(RSS 리더)로 받아 볼 수 있습니다. 아래 피드 주소를 피드 리더에 붙여 넣으세요. "
        "사이트 주소만 넣어도 대부분의 피드 리더가 피드를 찾습니다.",
        "",
        "모든 피드는 세 가지 형식으로 같은 내용을 담습니다: Atom 1.0, RSS 2.0, JSON Feed 1.1(사이트 전체와 종류별). "
        "잘 모르겠다면 Atom을 고르세요.",
        "",
        "피드의 글에는 다음이 모두 들어 있습니다.",
        "",
        "- 글 전문: 본문 전체, 카드뉴스의 모든 카드 이미지와 카드의 글(순서대로), 영상의 대본과 영상 페이지 링크, "
        "인포그래픽 이미지와 그 긴 설명",
        "- 요약, 필자, 발행일과 수정일(한국 시간)",
        "- 분류: 종류, 코너, 의제, 자치구, 태그",
        "- 대표 이미지와 카드 이미지(파일 크기, 형식, 대체텍스트 포함)",
        "- 라이선스(공공누리 또는 CC)와 출처 표시 문구",
        "",
        f"사이트 전체 피드에는 {_count(settings.site_limit)}, 목록별 피드에는 {josa(_count(settings.listing_limit), '가')} "
        "새 글부터 들어 있습니다. 글의 주소가 바뀌어도 피드 속 글의 id는 바뀌지 않아, 같은 글이 새 글로 다시 뜨지 않습니다.",
        "",
    ]
    if settings.hubs:
        lines += [f"새 글이 올라오면 WebSub 허브({', '.join(settings.hubs)})에 바로 알리므로, "
                  "WebSub를 지원하는 피드 리더에는 곧바로 새 글이 도착합니다.", ""]
    site_paths = feed_paths(settings, None)
    lines += [
        "## 사이트 전체",
        "",
        "표: 사이트 전체 피드",
        "",
        "| 형식 | 주소 | 담긴 글 |",
        "| --- | --- | --- |",
    ]
    for fmt in (ATOM, RSS, JSON):
        if fmt in site_paths:
            lines.append(f"| {FORMAT_NAMES[fmt]} | {link(site_paths[fmt], site_paths[fmt])} | "
                         f"모든 종류의 글 {_share(settings.site_limit, len(catalog.articles))} |")
    lines.append("")
    archives = len(site_documents_articles(catalog.articles, settings)) - 1
    if archives:
        newest = archive_paths(archives)
        lines += [f"사이트 전체 피드에 담기지 않은 지난 글은 모두 보관 피드(RFC 5005)에 {settings.archive_size}개씩 "
                  "들어 있습니다. 보관 피드를 지원하는 피드 리더는 사이트 전체 피드에서 시작해 보관 피드를 차례로 "
                  f"따라가 첫 글까지 모두 가져옵니다. 가장 최근 보관 피드: {link(newest[ATOM], newest[ATOM])}", ""]
    for facet in settings.facets:
        listings = catalog.listings(facet)
        if not listings:
            continue
        with_json = facet in settings.json_facets
        header = "| 이름 | 담긴 글 | Atom | RSS |" + (" JSON Feed |" if with_json else "")
        title, label = f"{FACETS[facet].label}별 피드", FACETS[facet].label
        lines += [f"## {title}", "", f"표: {title} ({label}마다 하나)", "",
                  header, "| --- | --- | --- | --- |" + (" --- |" if with_json else "")]
        for listing in listings:
            paths = feed_paths(settings, listing)
            what = f"{listing.facet_name} '{listing.name}'의 글 {_share(settings.listing_limit, len(listing.articles))}"
            if listing.description:
                what += f": {listing.description}"
            row = (f"| [{_cell(listing.name)}]({root}{listing.url}) | {_cell(what)} | "
                   f"{link('Atom', paths[ATOM])} | {link('RSS', paths[RSS])} |")
            if with_json:
                row += f" {link('JSON', paths[JSON])} |" if JSON in paths else " |"
            lines.append(row)
        lines.append("")
    return "\n".join(lines)
