"""The kinds of article, each declared once: its own front-matter keys next to the check of them.

Adding a kind is adding one `Kind` to KIND_REGISTRY (and its name and label to config.KINDS). A kind's
`check` validates its fields and returns the Article keyword arguments they make."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from ..textutil import dquoted, josa, plain_text, quoted
from .dates import parse_when
from .files import FileCheck
from .model import Interviewee, Meeting, Slide, Video
from .reader import ContentReader

KindCheck = Callable[[ContentReader, FileCheck, dict, str], dict[str, Any]]
VIDEO_PROVIDERS = ("file", "youtube", "vimeo")


@dataclass(frozen=True)
class Kind:
    """One kind of article: the folder name under content/, the keys only it uses, and their check."""

    name: str
    keys: frozenset[str]
    check: KindCheck


def _no_fields(reader: ContentReader, check: FileCheck, data: dict, body: str) -> dict[str, Any]:
    return {}


def _interview(reader: ContentReader, check: FileCheck, data: dict, body: str) -> dict[str, Any]:
    people = data.get("interviewees")
    if not isinstance(people, list) or not people:
        check.error(("interviewees",), "인터뷰이가 없습니다", "interviewees: [{name: 이름, affiliation: 소속}] 처럼 쓰세요")
        return {}
    found = []
    for index, person in enumerate(people):
        if not isinstance(person, dict) or not str(person.get("name") or "").strip():
            check.error(("interviewees", index), "인터뷰이 이름이 없습니다", "name: 이름 을 쓰세요")
            continue
        found.append(Interviewee(str(person["name"]).strip(), str(person.get("affiliation") or "").strip()))
    return {"interviewees": tuple(found)}


def _meeting(reader: ContentReader, check: FileCheck, data: dict, body: str) -> dict[str, Any]:
    when = parse_when(data.get("when")) if data.get("when") is not None else None
    if data.get("when") is None:
        check.error(("when",), "필수 항목이 없습니다", 'when: "2018-09-21 19:00" 처럼 일시를 쓰세요')
    elif when is None:
        check.error(("when",), f"{josa(dquoted(data['when']), '은')} 일시가 아닙니다", '"2018-09-21 19:00" 형식으로 쓰세요')
    for key, hint in (("place", "place: 스페이스노아 2층 처럼 장소를 쓰세요"), ("host", "host: 주최·주관 기관을 쓰세요")):
        if not str(data.get(key) or "").strip():
            check.error((key,), "필수 항목이 없습니다", hint)
    organisations, count = _attendees(check, data.get("attendees"))
    lists = {}
    for key, label in (("agenda_items", "논의한 안건이"), ("outcomes", "결과가")):
        value = data.get(key)
        if not isinstance(value, list) or not [v for v in value if str(v).strip()]:
            check.error((key,), f"{label} 없습니다", f"{key}: [항목1, 항목2] 처럼 목록으로 쓰세요")
            lists[key] = ()
        else:
            lists[key] = tuple(str(v).strip() for v in value if str(v).strip())
    if when is None:
        return {}
    return {"meeting": Meeting(when=when, place=str(data.get("place") or "").strip(),
                               host=str(data.get("host") or "").strip(), organisations=organisations, count=count,
                               agenda_items=lists["agenda_items"], outcomes=lists["outcomes"])}


def _attendees(check: FileCheck, attendees: Any) -> tuple[tuple[str, ...], int | None]:
    """Return (organisations, head count) of a meeting's attendees."""
    organisations: tuple[str, ...] = ()
    count = None
    if not isinstance(attendees, dict) or not (attendees.get("organisations") or attendees.get("count")):
        check.error(("attendees",), "참석자 정보가 없습니다",
                    "attendees: {organisations: [단체1, 단체2], count: 7} 중 하나 이상을 쓰세요")
        return organisations, count
    orgs = attendees.get("organisations") or []
    if not isinstance(orgs, list):
        check.error(("attendees", "organisations"), "목록이어야 합니다", "[단체1, 단체2] 처럼 쓰세요")
    else:
        organisations = tuple(str(o).strip() for o in orgs if str(o).strip())
    if attendees.get("count") is not None:
        if not isinstance(attendees["count"], int) or attendees["count"] < 1:
            check.error(("attendees", "count"), f"{josa(quoted(attendees['count']), '은')} 인원 수가 아닙니다",
                        "숫자로 쓰세요 (예: 25)")
        else:
            count = attendees["count"]
    return organisations, count


def _cardnews(reader: ContentReader, check: FileCheck, data: dict, body: str) -> dict[str, Any]:
    slides = data.get("slides")
    if not isinstance(slides, list) or not slides:
        check.error(("slides",), "카드(slides)가 없습니다", "slides: 아래에 - image: ..., alt: ..., text: ... 를 순서대로 쓰세요")
        return {}
    found = []
    seen_alts: dict[str, int] = {}
    for index, slide in enumerate(slides):
        if not isinstance(slide, dict):
            check.error(("slides", index), "카드는 image, alt, text를 가진 묶음이어야 합니다",
                        "- image: ..., alt: ..., text: ... 형식으로 쓰세요")
            continue
        alt = str(slide.get("alt") or "").strip()
        if alt and alt in seen_alts:
            check.error(("slides", index, "alt"), f"대체텍스트가 {seen_alts[alt] + 1}번째 카드와 같습니다",
                        "카드마다 그 카드의 내용을 다르게 설명하세요 (KWCAG: 연속 이미지의 대체텍스트 중복 금지)")
        elif alt:
            seen_alts[alt] = index
        image = reader.media.image(check, ("slides", index, "image"), slide.get("image"), slide.get("alt"),
                                   ("slides", index, "alt") if "alt" in slide else ("slides", index))
        text = str(slide.get("text") or "").strip()
        if not text:
            check.error(("slides", index, "text"), "카드의 글(text)이 없습니다",
                        "카드에 적힌 글을 그대로 옮겨 쓰세요 ('텍스트로 보기'에 쓰입니다)")
        if image:
            found.append(Slide(image, text))
    return {"slides": tuple(found)}


def parse_duration(value: Any) -> int | None:
    """Return seconds from '3:20', '1:02:03', 200 or 'PT3M20S'."""
    if isinstance(value, int) and value > 0:
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    match = re.fullmatch(r"(?:(\d+):)?(\d{1,2}):(\d{2})", text)
    if match:
        hours, minutes, seconds = (int(g or 0) for g in match.groups())
        return hours * 3600 + minutes * 60 + seconds
    match = re.fullmatch(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?", text)
    if match and any(match.groups()):
        hours, minutes, seconds = (int(g or 0) for g in match.groups())
        return hours * 3600 + minutes * 60 + seconds
    return None


def _video(reader: ContentReader, check: FileCheck, data: dict, body: str) -> dict[str, Any]:
    provider = str(data.get("provider") or "").strip()
    if provider not in VIDEO_PROVIDERS:
        check.error(("provider",), f"알 수 없는 영상 제공처 '{provider}'" if provider else "필수 항목이 없습니다",
                    f"provider: {', '.join(VIDEO_PROVIDERS)} 중 하나를 쓰세요")
    video_id = _video_id(reader, check, data, provider)
    seconds = parse_duration(data.get("duration"))
    if seconds is None:
        check.error(("duration",), "영상 길이가 없거나 올바르지 않습니다", 'duration: "3:20" 처럼 분:초로 쓰세요')
    captions = _captions(reader, check, data)
    poster = None
    if data.get("poster") is not None:
        poster = reader.media.image(check, ("poster",), data["poster"], data.get("poster_alt"),
                                    ("poster_alt",) if "poster_alt" in data else ("poster",))
    if len(plain_text(body)) < 20:
        check.error(("body",), "대본(영상의 말과 자막 전체)이 본문에 없습니다", "머리말 아래 본문에 영상 대본 전체를 쓰세요")
    if video_id and seconds and captions:
        return {"video": Video(provider, video_id, seconds, captions, poster)}
    return {}


def _video_id(reader: ContentReader, check: FileCheck, data: dict, provider: str) -> str | None:
    """Return the video's file (provider: file) or its id at YouTube or Vimeo."""
    if provider == "file":
        return reader.media.file(check, ("src",), data.get("src"), (".mp4", ".webm"), "영상")
    if provider in ("youtube", "vimeo"):
        video_id = str(data.get("video_id") or "").strip()
        if re.fullmatch(r"[A-Za-z0-9_-]{4,32}", video_id):
            return video_id
        check.error(("video_id",), "영상 id가 없거나 올바르지 않습니다", "video_id: 영상 주소의 id 부분을 쓰세요 (예: dQw4w9WgXcQ)")
    return None


def _captions(reader: ContentReader, check: FileCheck, data: dict) -> str | None:
    captions = reader.media.file(check, ("captions",), data.get("captions"), (".vtt",), "자막(WebVTT)")
    if captions:
        head = (reader.root / captions).read_text(encoding="utf-8", errors="replace")[:6]
        if not head.lstrip("\ufeff").startswith("WEBVTT"):
            check.error(("captions",), f"{josa(quoted(captions), '가')} WebVTT 파일이 아닙니다", "파일 첫 줄이 WEBVTT여야 합니다")
            return None
    return captions


def _infographic(reader: ContentReader, check: FileCheck, data: dict, body: str) -> dict[str, Any]:
    image = reader.media.image(check, ("image",), data.get("image"), data.get("image_alt"),
                               ("image_alt",) if "image_alt" in data else ("image",))
    if len(plain_text(body)) < 20:
        check.error(("body",), "인포그래픽의 긴 설명이 본문에 없습니다", "이미지에 담긴 숫자와 내용을 본문에 모두 글로 쓰세요")
    return {"infographic": image}


KIND_REGISTRY: dict[str, Kind] = {kind.name: kind for kind in (
    Kind("interview", frozenset({"interviewees"}), _interview),
    Kind("column", frozenset(), _no_fields),
    Kind("meeting", frozenset({"when", "place", "host", "attendees", "agenda_items", "outcomes"}), _meeting),
    Kind("feature", frozenset(), _no_fields),
    Kind("cardnews", frozenset({"slides"}), _cardnews),
    Kind("video", frozenset({"provider", "video_id", "src", "duration", "captions", "poster", "poster_alt"}), _video),
    Kind("infographic", frozenset({"image", "image_alt"}), _infographic),
)}
