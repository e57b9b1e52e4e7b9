"""Before a post goes out: is the article's public page live? The networks fetch link cards and
media from the public site, so posting before the page is up makes broken cards.

The page must answer 200 (after redirects) and contain the article's stable id (its JSON-LD
`identifier`); otherwise the post waits for the next run, and the reason is said."""

from __future__ import annotations

from dataclasses import dataclass

import httpx


@dataclass(frozen=True)
class LiveCheck:
    """The outcome of one page check: ok, or why not (Korean)."""

    ok: bool
    reason: str = ""


def check_live(http: httpx.Client, url: str, marker: str) -> LiveCheck:
    """GET url through the injected client; ok when 200 and marker is in the page."""
    try:
        response = http.get(url, follow_redirects=True, headers={"User-Agent": "site-builder-publish"})
    except httpx.HTTPError as exc:
        return LiveCheck(False, f"공개 페이지 {url}에 연결하지 못했습니다({type(exc).__name__}) — 다음 실행 때 다시 확인합니다")
    if response.status_code != 200:
        return LiveCheck(False, f"공개 페이지 {url}이(가) {response.status_code}을(를) 돌려줍니다 — "
                                "사이트를 빌드해 배포한 뒤 다음 실행 때 게시합니다")
    if marker not in response.text:
        return LiveCheck(False, f"공개 페이지 {url}에 이 글의 id가 없습니다(아직 이전 버전이 배포되어 있거나 다른 페이지입니다) — "
                                "배포를 확인하세요; 다음 실행 때 다시 확인합니다")
    return LiveCheck(True)
