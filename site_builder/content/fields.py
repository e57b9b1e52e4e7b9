"""The front-matter fields every article has, whatever its kind: their key set next to their checks.

`common_fields` checks them in the order editors read them and returns Article keyword arguments."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from ..textutil import has_hangul, is_ascii_slug, josa, quoted
from .dates import date_problem, parse_when
from .files import FileCheck
from .licenses import LICENSES, License
from .model import Author, Image
from .reader import ContentReader
from .vocabulary import DISTRICTS

COMMON_KEYS = frozenset({"id", "title", "date", "summary", "authors", "tags", "agenda", "districts", "series",
                         "cover", "cover_alt", "license", "draft", "updated", "slug", "aliases", "social"})
SUMMARY_MAX = 200


def slug_of(check: FileCheck, data: dict, file_slug: str) -> str | None:
    """Return the article's slug (slug: or the file name's), or None after reporting it."""
    slug = data.get("slug", file_slug)
    if isinstance(slug, str) and is_ascii_slug(slug):
        return slug
    if isinstance(slug, str) and has_hangul(slug):
        check.error(("slug",), f"주소(slug) '{slug}'에 한글이 있습니다",
                    "주소는 영문 소문자·숫자·하이픈만 씁니다: 파일 이름을 바꾸거나 slug: youth-union 처럼 쓰세요")
    else:
        check.error(("slug",), f"주소(slug) {josa(quoted(slug), '가')} 올바르지 않습니다",
                    "영문 소문자, 숫자, 하이픈만 쓰세요 (예: youth-union)")
    return None


def unknown_keys(check: FileCheck, data: dict, kind: str, kind_keys: frozenset[str]) -> None:
    """Warn at each key that neither every article nor this kind uses."""
    for key in data:
        if key not in COMMON_KEYS and key not in kind_keys:
            check.warn((key,), f"알 수 없는 항목입니다 ('{kind}' 글에서 쓰지 않음)", "오타인지 확인하고, 필요 없으면 지우세요")


def common_fields(reader: ContentReader, check: FileCheck, data: dict, file_date: str,
                  authors: dict[str, Author]) -> dict[str, Any]:
    """Check every common field but id and slug; return them as Article keyword arguments."""
    title = check.required_text(data, "title", "title: 글 제목 을 쓰세요")
    summary = check.required_text(data, "summary", "summary: 한두 문장 요약 을 쓰세요")
    if len(summary) > SUMMARY_MAX:
        check.warn(("summary",), f"요약이 {len(summary)}자로 깁니다", f"{SUMMARY_MAX}자 이내로 줄이세요")
    published = _published(check, data, file_date)
    updated = _updated(check, data, published)
    author_ids = _author_ids(check, data, authors)
    tag_items = _str_list(check, data, "tags")
    reader.tag_uses += [(check.path, check.line("tags", index), tag) for index, tag in tag_items]
    agenda = _agenda(reader, check, data)
    districts = _districts(check, data)
    series = _series(reader, check, data)
    license_obj = _license(reader, check, data)
    rights_holders = _rights_holders(reader, check, data, [authors[a] for a in author_ids], license_obj)
    cover = _cover(reader, check, data)
    draft = _draft(check, data)
    aliases = _aliases(check, data)
    return dict(title=title, summary=summary, date=published, updated=updated, authors=tuple(author_ids),
                tags=tuple(dict.fromkeys(t for _, t in tag_items)), agenda=agenda, districts=districts,
                series=series, license=license_obj, rights_holders=rights_holders, cover=cover, draft=draft,
                aliases=aliases)


def explicit_id(check: FileCheck, data: dict) -> str | None:
    """Return the id: an editor wrote (None when absent); report it when it is not a slug."""
    stable = data.get("id")
    if stable is not None and (not isinstance(stable, str) or not is_ascii_slug(stable)):
        check.error(("id",), f"id {josa(quoted(stable), '가')} 올바르지 않습니다", "영문 소문자, 숫자, 하이픈으로 쓰세요")
        return None
    return stable


def _published(check: FileCheck, data: dict, file_date: str) -> datetime | None:
    if "date" not in data:
        check.error(("date",), "필수 항목이 없습니다", f"date: {file_date} 처럼 쓰세요")
        return None
    published = parse_when(data["date"])
    if published is None:
        check.error(("date",), *date_problem(data['date'], file_date))
    else:
        check.date_matches_name(published, file_date)
    return published


def _updated(check: FileCheck, data: dict, published: datetime | None) -> datetime | None:
    if data.get("updated") is None:
        return None
    updated = parse_when(data["updated"])
    if updated is None:
        check.error(("updated",), *date_problem(data['updated'], "YYYY-MM-DD"))
    elif published and updated < published:
        check.error(("updated",), "수정일이 발행일보다 이릅니다", "updated는 date와 같거나 늦어야 합니다")
    return updated


def _str_list(check: FileCheck, data: dict, key: str) -> list[tuple[int, str]]:
    """Return (index, text) of a list field's items; one text is a list of one."""
    value = data.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        check.error((key,), "목록이어야 합니다", f"{key}: [항목1, 항목2] 처럼 쓰세요")
        return []
    items = []
    for index, item in enumerate(value):
        if not isinstance(item, (str, int)) or not str(item).strip():
            check.error((key, index), "빈 값이거나 글자가 아닙니다", "글자로 쓰세요")
            continue
        items.append((index, str(item).strip()))
    return items


def _author_ids(check: FileCheck, data: dict, authors: dict[str, Author]) -> list[str]:
    author_ids = []
    author_items = _str_list(check, data, "authors")
    if "authors" not in data or not author_items:
        check.error(("authors",), "필수 항목이 없습니다", "authors: [필자-id] 처럼 content/authors.yml의 id를 쓰세요")
    for index, author_id in author_items:
        if author_id not in authors:
            known = ", ".join(sorted(authors)) or "(없음)"
            check.error(("authors", index), f"알 수 없는 필자 '{author_id}'",
                        f"content/authors.yml에 추가하거나 다음 중에서 고르세요: {known}")
        else:
            author_ids.append(author_id)
    return author_ids


def _agenda(reader: ContentReader, check: FileCheck, data: dict) -> tuple[str, ...]:
    agenda_ids: list[str] = []
    for index, name in _str_list(check, data, "agenda"):
        term = reader.agenda.get(name)
        if term is None:
            check.error(("agenda", index), f"알 수 없는 의제 '{name}'",
                        f"다음 중에서 고르세요: {', '.join(t.name for t in reader.config.agenda)}")
        elif term.id not in agenda_ids:
            agenda_ids.append(term.id)
    return tuple(agenda_ids)


def _districts(check: FileCheck, data: dict) -> tuple[str, ...]:
    districts: list[str] = []
    for index, name in _str_list(check, data, "districts"):
        if name not in DISTRICTS:
            fixed = name + "구" if name + "구" in DISTRICTS else None
            check.error(("districts", index), f"알 수 없는 자치구 '{name}'",
                        f"{josa(quoted(fixed), '로')} 쓰세요" if fixed else "서울시 25개 자치구 이름을 쓰세요 (예: 마포구)")
        elif name not in districts:
            districts.append(name)
    return tuple(districts)


def _series(reader: ContentReader, check: FileCheck, data: dict) -> str | None:
    if data.get("series") is None:
        return None
    term = reader.series.get(str(data["series"]).strip())
    if term is None:
        check.error(("series",), f"알 수 없는 코너 '{data['series']}'",
                    "mkdocs.yml의 series 목록에서 고르세요: "
                    + ", ".join(f"{t.id}({t.name})" for t in reader.config.series))
        return None
    return term.id


def _license(reader: ContentReader, check: FileCheck, data: dict) -> License | None:
    if data.get("license") is None:
        return LICENSES.get(reader.config.default_license)
    license_obj = LICENSES.get(str(data["license"]).strip().lower())
    if license_obj is None:
        check.error(("license",), f"알 수 없는 라이선스 '{data['license']}'",
                    f"다음 중에서 고르세요: {', '.join(LICENSES)}")
    return license_obj


def _rights_holders(reader: ContentReader, check: FileCheck, data: dict, authors: list[Author],
                    license_obj: License | None) -> tuple[str, ...]:
    """Return who holds the rights of an article: () for the office's own work; the outside
    contributors (and the office, for a work written with its staff) otherwise. An outside
    contributor's work needs the licence they gave, written out; 공공누리 is only for the office's works."""
    outside = [a for a in authors if a.external]
    if not outside:
        return ()
    names = ", ".join(a.name for a in outside)
    example = "license: cc-by-nd-4.0"
    if data.get("license") is None:
        check.error(("license",), f"외부 필자({names})의 글인데 라이선스가 없습니다",
                    f"필자가 허락한 라이선스를 {example} 처럼 쓰세요 (빠지면 기관이 쓴 글처럼 공공누리가 붙습니다)")
    elif license_obj is not None and license_obj.is_kogl:
        check.error(("license",), f"{josa(f'{license_obj.name}({license_obj.id})', '는')} "
                    "기관이 저작권을 가진 글에만 씁니다",
                    f"외부 필자 {josa(names, '가')} 허락한 라이선스를 쓰세요 (예: {example})")
    holders = [a.name for a in outside]
    if len(outside) < len(authors):
        holders.append(reader.config.office.name or reader.config.brand)
    return tuple(holders)


def _cover(reader: ContentReader, check: FileCheck, data: dict) -> Image | None:
    if data.get("cover") is not None:
        return reader.media.image(check, ("cover",), data.get("cover"), data.get("cover_alt"),
                                  ("cover_alt",) if "cover_alt" in data else ("cover",))
    if data.get("cover_alt"):
        check.warn(("cover_alt",), "cover 없이 cover_alt만 있습니다", "cover에 이미지 경로를 쓰거나 cover_alt를 지우세요")
    return None


def _draft(check: FileCheck, data: dict) -> bool:
    draft = data.get("draft", False)
    if not isinstance(draft, bool):
        check.error(("draft",), f"{josa(quoted(draft), '은')} 참/거짓 값이 아닙니다", "draft: true 또는 draft: false로 쓰세요")
        return True
    return draft


def _aliases(check: FileCheck, data: dict) -> tuple[str, ...]:
    aliases = []
    for index, alias in _str_list(check, data, "aliases"):
        normal = "/" + alias.strip("/") + "/"
        if not re.fullmatch(r"/[a-z0-9._~/-]+/", normal):
            check.error(("aliases", index), f"옛 주소 {josa(quoted(alias), '가')} 올바르지 않습니다",
                        "사이트 안의 경로를 /feature/old-slug/ 처럼 쓰세요")
        else:
            aliases.append(normal.strip("/") + "/")
    return tuple(aliases)
