"""Feed settings: the `feeds:` section of extra.site_builder in mkdocs.yml, typed, with defaults."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlsplit

from ..config import SiteConfig
from ..content.vocabulary import FACETS
from ..errors import Problem
from ..textutil import josa, quoted

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True)
class FeedSettings:
    """What to produce and how; every field has a default so the section may be absent."""

    listing_limit: int | None = 20  # entries per listing feed; None = every article
    site_limit: int | None = 20  # entries in the site-wide feeds; None = full archive in one document
    archive_size: int = 20  # entries per archive document of the site feeds (RFC 5005) when site_limit is set
    facets: tuple[str, ...] = tuple(FACETS)  # listings that get an Atom and an RSS feed
    json_facets: tuple[str, ...] = ("kind",)  # listings that also get a JSON Feed
    hubs: tuple[str, ...] = ()  # WebSub hubs declared in every feed and pinged by build --ping
    ping_window_days: int = 2  # --ping notifies feeds whose newest entry is this recent
    id_domain: str = ""  # authority of tag: ids; defaults to site_url's host. Never change it.
    id_date: str = "2018"  # date of tag: ids (RFC 4151). Never change it.
    icon: str = ""  # square image under content/ (Atom icon, JSON Feed icon/favicon)
    logo: str = ""  # wide image under content/ (Atom logo, RSS image)
    page: str = "feeds/"  # site path of the 구독 page (JSON Feed `about` of its extension)


_DEFAULTS = FeedSettings()


def _limit(raw: object, default: int | None, key: str, problems: list[Problem]) -> int | None:
    if raw is None:
        return default
    if isinstance(raw, str) and raw.strip().lower() in ("all", "전체"):
        return None
    if isinstance(raw, int) and not isinstance(raw, bool) and raw > 0:
        return raw
    problems.append(Problem("mkdocs.yml", 1, f"extra.site_builder.feeds.{key}",
                            f"{josa(quoted(raw), '은')} 글 수가 아닙니다", "1 이상의 숫자나 all(전체)을 쓰세요"))
    return default


def _archive_size(raw: object, problems: list[Problem]) -> int:
    if raw is None:
        return _DEFAULTS.archive_size
    if isinstance(raw, int) and not isinstance(raw, bool) and raw > 0:
        return raw
    problems.append(Problem("mkdocs.yml", 1, "extra.site_builder.feeds.archive_size",
                            f"{josa(quoted(raw), '은')} 글 수가 아닙니다",
                            "보관 피드 한 문서에 담을 글 수를 1 이상의 숫자로 쓰세요 (기본 20). 한 번 정하면 바꾸지 마세요"))
    return _DEFAULTS.archive_size


def _facets(raw: object, default: tuple[str, ...], key: str, problems: list[Problem]) -> tuple[str, ...]:
    if raw is None:
        return default
    values = [raw] if isinstance(raw, str) else raw
    if not isinstance(values, list) or any(v not in FACETS for v in values):
        problems.append(Problem("mkdocs.yml", 1, f"extra.site_builder.feeds.{key}",
                                f"'{raw}'에 알 수 없는 목록 종류가 있습니다", f"다음 중에서 고르세요: {', '.join(FACETS)}"))
        return default
    return tuple(f for f in FACETS if f in values)


def read_settings(config: SiteConfig) -> tuple[FeedSettings, list[Problem]]:
    """Return the feed settings of a site and every problem found in them (defaults used instead)."""
    raw = config.section("feeds")
    problems: list[Problem] = []
    known = {"listing_limit", "site_limit", "archive_size", "facets", "json_facets", "hub", "hubs", "ping_window_days",
             "id_domain", "id_date", "icon", "logo", "page"}
    for key in raw:
        if key not in known:
            problems.append(Problem("mkdocs.yml", 1, f"extra.site_builder.feeds.{key}", "알 수 없는 항목입니다",
                                    f"다음 중 하나인지 확인하세요: {', '.join(sorted(known))}", "warning"))
    hubs_raw = raw.get("hubs", raw.get("hub")) or []
    hubs = [hubs_raw] if isinstance(hubs_raw, str) else hubs_raw
    good_hubs = []
    for hub in hubs if isinstance(hubs, list) else [hubs]:
        parts = urlsplit(str(hub))
        if parts.scheme not in ("https", "http") or not parts.netloc:
            problems.append(Problem("mkdocs.yml", 1, "extra.site_builder.feeds.hub",
                                    f"WebSub 허브 주소 {josa(quoted(hub), '가')} 올바르지 않습니다",
                                    "https://pubsubhubbub.appspot.com/ 처럼 전체 주소를 쓰세요"))
        else:
            good_hubs.append(str(hub))
    id_date = raw.get("id_date", _DEFAULTS.id_date)
    if isinstance(id_date, (date, datetime)):
        id_date = f"{id_date:%Y-%m-%d}"
    id_date = str(id_date)
    if not _DATE.match(id_date):
        problems.append(Problem("mkdocs.yml", 1, "extra.site_builder.feeds.id_date",
                                f"{josa(quoted(id_date), '은')} 날짜가 아닙니다", "2018 또는 2018-08-27처럼 쓰고, 한 번 정하면 바꾸지 마세요"))
        id_date = _DEFAULTS.id_date
    window = raw.get("ping_window_days", _DEFAULTS.ping_window_days)
    if not isinstance(window, int) or isinstance(window, bool) or window < 0:
        problems.append(Problem("mkdocs.yml", 1, "extra.site_builder.feeds.ping_window_days",
                                f"{josa(quoted(window), '은')} 일 수가 아닙니다", "0 이상의 숫자를 쓰세요"))
        window = _DEFAULTS.ping_window_days
    page = str(raw.get("page") or _DEFAULTS.page).strip("/") + "/"
    settings = FeedSettings(
        listing_limit=_limit(raw.get("listing_limit"), _DEFAULTS.listing_limit, "listing_limit", problems),
        site_limit=_limit(raw.get("site_limit"), _DEFAULTS.site_limit, "site_limit", problems),
        archive_size=_archive_size(raw.get("archive_size"), problems),
        facets=_facets(raw.get("facets"), _DEFAULTS.facets, "facets", problems),
        json_facets=_facets(raw.get("json_facets"), _DEFAULTS.json_facets, "json_facets", problems),
        hubs=tuple(good_hubs),
        ping_window_days=window,
        id_domain=str(raw.get("id_domain") or urlsplit(config.site_url).hostname or "localhost"),
        id_date=id_date,
        icon=str(raw.get("icon") or "").lstrip("/"),
        logo=str(raw.get("logo") or "").lstrip("/"),
        page=page,
    )
    return settings, problems


def feed_settings(config: SiteConfig) -> FeedSettings:
    """Return the feed settings of a site (problems are reported by feed_problems)."""
    return read_settings(config)[0]
