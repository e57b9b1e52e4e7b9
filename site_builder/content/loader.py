"""Load and validate every editor's file under content/; collect all problems, never raise."""

from __future__ import annotations

import calendar
import hashlib
import posixpath
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ..config import DISTRICTS, KINDS, KST, SiteConfig, now_kst
from ..errors import Problem
from .frontmatter import FrontMatter, parse_yaml, split_front_matter
from .licenses import LICENSES
from .model import Article, Author, Image, Interviewee, Meeting, Page, Slide, TimelineEvent, Video
from ..textutil import has_hangul, is_ascii_slug, josa, plain_text, reading_minutes

FILENAME = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})-(?P<slug>.+)\.md$")
COMMON_KEYS = {"id", "title", "date", "summary", "authors", "tags", "agenda", "districts", "series",
               "cover", "cover_alt", "license", "draft", "updated", "slug", "aliases", "social"}
KIND_KEYS = {
    "interview": {"interviewees"},
    "column": set(),
    "meeting": {"when", "place", "host", "attendees", "agenda_items", "outcomes"},
    "feature": set(),
    "cardnews": {"slides"},
    "video": {"provider", "video_id", "src", "duration", "captions", "poster", "poster_alt"},
    "infographic": {"image", "image_alt"},
}
PAGE_KEYS = {"title", "summary", "updated", "slug"}
VIDEO_PROVIDERS = ("file", "youtube", "vimeo")
IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
               ".webp": "image/webp", ".svg": "image/svg+xml"}
BAD_ALT_ENDINGS = ("이미지", "사진", ".png", ".jpg", ".jpeg", ".gif", ".webp")
SUMMARY_MAX = 200


@dataclass(frozen=True)
class Body:
    """The Markdown body of one file as read, for the checks of its links and images."""

    path: str  # as shown to editors: content/feature/x.md
    source: str  # relative to content/: feature/x.md
    text: str
    first_line: int  # the file line of the body's first line
    draft: bool


@dataclass(frozen=True)
class LoadedContent:
    """Everything read from content/: articles (drafts and scheduled included), authors, pages."""

    articles: tuple[Article, ...]
    authors: dict[str, Author]
    pages: tuple[Page, ...]
    timeline: tuple[TimelineEvent, ...]


class _FileCheck:
    """Validation context for one file: records problems with path and line."""

    def __init__(self, path: str, fm: FrontMatter | None):
        self.path = path
        self.fm = fm
        self.problems: list[Problem] = []

    def line(self, *key: Any) -> int:
        return self.fm.line_of(*key) if self.fm else 1

    def error(self, key: tuple | str, message: str, hint: str = "", severity: str = "error", *,
              line: int | None = None) -> None:
        key = (key,) if isinstance(key, str) else key
        field_name = ".".join(str(k) if not isinstance(k, int) else f"[{k + 1}]" for k in key)
        field_name = field_name.replace(".[", "[")
        self.problems.append(Problem(self.path, line or self.line(*key), field_name or "front matter",
                                     message, hint, severity))

    def duplicates(self, duplicates: list) -> None:
        """Report each key written twice at the line of the repeat, naming the line of the first."""
        for duplicate in duplicates:
            key_path, line = duplicate
            first = getattr(duplicate, "first", None)
            where = f"{first}번째 줄에도" if first else "이 파일에 두 번"
            self.error(key_path, f"같은 항목이 {where} 있습니다", "하나만 남기세요 (YAML은 뒤에 쓴 값만 읽고 앞의 값은 버립니다)",
                       line=line)

    def warn(self, key: tuple | str, message: str, hint: str = "") -> None:
        self.error(key, message, hint, "warning")


def parse_when(value: Any) -> datetime | None:
    """Return an aware datetime (+09:00) from a YAML date, datetime or 'YYYY-MM-DD[ HH:MM]' string."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=KST)
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0), KST)
    if isinstance(value, str):
        text = value.strip()
        for fmt in ("%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S",
                    "%Y-%m-%dT%H:%M:%S"):
            try:
                return datetime.strptime(text, fmt).replace(tzinfo=KST)
            except ValueError:
                continue
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=KST)
    return None


def repr_q(value: Any) -> str:
    """Return a value as an editor wrote it, in single quotes: '청년유니온'."""
    return f"'{value}'"


def dq(value: Any) -> str:
    return f'"{value}"'


_DATE_SHAPE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*$")


def date_problem(value: Any, example: str) -> tuple[str, str]:
    """Return (message, hint) for a value that is not a date: an impossible date is told what does not
    exist (13월, 2월 30일, 25시) rather than to use the format it already has."""
    shape = _DATE_SHAPE.match(str(value)) if isinstance(value, str) else None
    if example == "YYYY-MM-DD":
        example = "YYYY-MM-DD (예: 2018-11-02)"
    if shape:
        year, month, day = (int(g) for g in shape.groups()[:3])
        if not 1 <= month <= 12:
            what = f"{month}월은 없습니다"
        elif not 1 <= day <= calendar.monthrange(year, month)[1]:
            what = f"{year}년 {month}월은 {calendar.monthrange(year, month)[1]}일까지입니다"
        elif shape.group(4) and int(shape.group(4)) > 23:
            what = f"{int(shape.group(4))}시는 없습니다 (0~23시)"
        else:
            what = f"{int(shape.group(5))}분은 없습니다 (0~59분)"
        return (f"{josa(dq(value), '은')} 없는 날짜입니다: {what}",
                "달력에 있는 날짜로 고치세요 (월은 1~12, 일은 그 달의 날 수까지)")
    return f"{josa(dq(value), '은')} 날짜가 아닙니다", f"{example} 형식으로 쓰세요"


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


class ContentLoader:
    """Reads content/ once; images are measured once each."""

    def __init__(self, config: SiteConfig):
        self.config = config
        self.root = config.content_dir
        self._images: dict[str, Image | None] = {}
        self.key_lines: dict[str, dict[tuple, int]] = {}  # path -> key path -> line, for cross-file checks
        self.bodies: list[Body] = []  # every article and page body read, drafts and invalid files included
        self.tag_uses: list[tuple[str, int, str]] = []  # (path, line, tag) as written, drafts included
        self.agenda = config.agenda_by_name()
        self.series = config.series_by_name()

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.config.root))
        except ValueError:
            return str(path)

    # -- images -------------------------------------------------------------
    def image(self, check: _FileCheck, key: tuple, path_value: Any, alt_value: Any,
              alt_key: tuple, *, require_alt: bool = True) -> Image | None:
        if not isinstance(path_value, str) or not path_value.strip():
            check.error(key, "이미지 경로가 비어 있습니다", "content/ 기준 경로를 쓰세요, 예: images/interview/cover.jpg")
            return None
        rel = path_value.strip().lstrip("/")
        suffix = Path(rel).suffix.lower()
        if suffix not in IMAGE_TYPES:
            check.error(key, f"{josa(repr_q(rel), '은')} 지원하지 않는 이미지 형식입니다", "png, jpg, gif, webp, svg 중 하나로 저장하세요")
            return None
        full = self.root / rel
        if not full.is_file():
            check.error(key, f"이미지 파일 {josa(repr_q(rel), '이')} 없습니다",
                        f"content/{rel}에 파일을 넣거나 경로를 고치세요 (content/ 기준 경로)")
            return None
        alt = alt_value.strip() if isinstance(alt_value, str) else ""
        if require_alt and not alt:
            check.error(alt_key, "대체텍스트(alt)가 없습니다", "이미지의 내용을 한두 문장으로 설명하세요")
        elif alt and alt.lower().endswith(BAD_ALT_ENDINGS):
            check.warn(alt_key, f"대체텍스트 {josa(repr_q(alt), '가')} 파일 이름이나 '이미지/사진'으로 끝납니다",
                       "무엇이 보이는지 설명하세요")
        width = height = 0
        if rel not in self._images:
            if suffix != ".svg":
                try:
                    from PIL import Image as PILImage

                    with PILImage.open(full) as img:
                        width, height = img.size
                except Exception:  # unreadable image: reported, not raised
                    check.error(key, f"이미지 {josa(repr_q(rel), '을')} 열 수 없습니다", "손상되지 않은 이미지 파일로 바꾸세요")
                    return None
            self._images[rel] = Image(rel, "", width, height, IMAGE_TYPES[suffix], full.stat().st_size)
        base = self._images[rel]
        return Image(rel, alt, base.width, base.height, base.mime, base.size) if base else None

    def media_file(self, check: _FileCheck, key: tuple, value: Any, suffixes: tuple[str, ...],
                   what: str) -> str | None:
        if not isinstance(value, str) or not value.strip():
            check.error(key, f"{what} 경로가 없습니다", f"content/ 기준 경로를 쓰세요 (예: videos/clip{suffixes[0]})")
            return None
        rel = value.strip().lstrip("/")
        if Path(rel).suffix.lower() not in suffixes:
            check.error(key, f"{josa(repr_q(rel), '은')} {what} 형식이 아닙니다", f"{', '.join(suffixes)} 파일을 쓰세요")
            return None
        if not (self.root / rel).is_file():
            check.error(key, f"{what} 파일 {josa(repr_q(rel), '이')} 없습니다", f"content/{rel}에 파일을 넣거나 경로를 고치세요")
            return None
        return rel

    # -- authors --------------------------------------------------------------
    def load_authors(self) -> tuple[dict[str, Author], list[Problem]]:
        path = self.root / "authors.yml"
        rel = self.rel(path)
        if not path.is_file():
            return {}, [Problem(rel, 1, "authors", "필자 목록 파일이 없습니다",
                                "content/authors.yml에 id, name, affiliation을 가진 필자를 적으세요")]
        data, lines, duplicates, problems = parse_yaml(path.read_text(encoding="utf-8"), rel, 1)
        if problems:
            return {}, problems
        fm = FrontMatter(data={}, lines=lines, body="", body_line=1)
        check = _FileCheck(rel, fm)
        check.duplicates(duplicates)
        authors: dict[str, Author] = {}
        if not isinstance(data, list):
            check.error((), "필자 목록은 '- id: ...'로 시작하는 목록이어야 합니다", "예시는 편집자 안내서를 보세요")
            return {}, check.problems
        for index, item in enumerate(data):
            if not isinstance(item, dict):
                check.error((index,), "필자 항목은 id, name 등을 가진 묶음이어야 합니다", "- id: kim-haneul 처럼 쓰세요")
                continue
            author_id = item.get("id")
            if not isinstance(author_id, str) or not is_ascii_slug(author_id):
                check.error((index, "id"), f"필자 id {josa(repr_q(author_id), '가')} 올바르지 않습니다",
                            "영문 소문자, 숫자, 하이픈으로 쓰세요 (예: kim-haneul)")
                continue
            if author_id in authors:
                check.error((index, "id"), f"필자 id {josa(repr_q(author_id), '가')} 두 번 나옵니다", "한 사람에 하나의 id만 쓰세요")
                continue
            name = item.get("name")
            if not isinstance(name, str) or not name.strip():
                check.error((index, "name"), "필자 이름이 없습니다", "name: 홍길동 처럼 쓰세요")
                continue
            for key in item:
                if key not in {"id", "name", "affiliation", "external", "bio", "photo", "photo_alt"}:
                    check.warn((index, key), f"알 수 없는 항목 '{key}'", "오타인지 확인하세요")
            photo = None
            if item.get("photo"):
                photo = self.image(check, (index, "photo"), item["photo"],
                                   item.get("photo_alt") or f"{name} 프로필", (index, "photo_alt"))
            authors[author_id] = Author(
                id=author_id, name=name.strip(), affiliation=str(item.get("affiliation") or ""),
                external=bool(item.get("external", False)), bio=str(item.get("bio") or ""), photo=photo)
        return authors, check.problems

    # -- articles -------------------------------------------------------------
    def load_article(self, path: Path, authors: dict[str, Author]) -> tuple[Article | None, list[Problem]]:
        rel_path = self.rel(path)
        source = path.relative_to(self.root).as_posix()
        kind = path.parent.name
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return None, [Problem(rel_path, 1, "file", "UTF-8 파일이 아닙니다", "편집기에서 UTF-8로 다시 저장하세요")]
        fm, problems = split_front_matter(text, rel_path)
        if fm is None:
            return None, problems
        check = _FileCheck(rel_path, fm)
        self.key_lines[rel_path] = fm.lines
        data = fm.data
        check.duplicates(fm.duplicates)
        if kind not in KINDS:
            check.error((), f"알 수 없는 종류 폴더 '{kind}'",
                        f"content/ 아래 {', '.join(KINDS)} 중 하나의 폴더에 두세요")
            return None, check.problems
        match = FILENAME.match(path.name)
        if not match:
            check.error((), f"파일 이름 {josa(repr_q(path.name), '이')} 규칙에 맞지 않습니다",
                        "YYYY-MM-DD-slug.md 형식으로 쓰세요 (예: 2018-10-05-youth-union.md)")
            return None, check.problems
        file_date, file_slug = match.group("date"), match.group("slug")
        slug = data.get("slug", file_slug)
        slug_key = ("slug",)
        if not isinstance(slug, str) or not is_ascii_slug(slug):
            if isinstance(slug, str) and has_hangul(slug):
                check.error(slug_key, f"주소(slug) '{slug}'에 한글이 있습니다",
                            "주소는 영문 소문자·숫자·하이픈만 씁니다: 파일 이름을 바꾸거나 slug: youth-union 처럼 쓰세요")
            else:
                check.error(slug_key, f"주소(slug) {josa(repr_q(slug), '가')} 올바르지 않습니다",
                            "영문 소문자, 숫자, 하이픈만 쓰세요 (예: youth-union)")
            slug = None

        self.bodies.append(Body(rel_path, source, fm.body, fm.body_line, data.get("draft") is True))
        allowed = COMMON_KEYS | KIND_KEYS[kind]
        for key in data:
            if key not in allowed:
                check.warn((key,), f"알 수 없는 항목입니다 ('{kind}' 글에서 쓰지 않음)", "오타인지 확인하고, 필요 없으면 지우세요")

        def required_text(key: str, hint: str) -> str:
            value = data.get(key)
            if value is None or (isinstance(value, str) and not value.strip()):
                check.error((key,), "필수 항목이 없습니다", hint)
                return ""
            if not isinstance(value, (str, int, float)):
                check.error((key,), "글자여야 합니다", hint)
                return ""
            return str(value).strip()

        title = required_text("title", "title: 글 제목 을 쓰세요")
        summary = required_text("summary", "summary: 한두 문장 요약 을 쓰세요")
        if len(summary) > SUMMARY_MAX:
            check.warn(("summary",), f"요약이 {len(summary)}자로 깁니다", f"{SUMMARY_MAX}자 이내로 줄이세요")

        published = None
        if "date" not in data:
            check.error(("date",), "필수 항목이 없습니다", f"date: {file_date} 처럼 쓰세요")
        else:
            published = parse_when(data["date"])
            if published is None:
                check.error(("date",), *date_problem(data['date'], file_date))
            elif published.strftime("%Y-%m-%d") != file_date:
                check.error(("date",), f"날짜 {josa(f'{published:%Y-%m-%d}', '가')} 파일 이름의 날짜 {josa(file_date, '와')} 다릅니다",
                            "파일 이름과 date를 같은 날짜로 맞추세요")
        updated = None
        if data.get("updated") is not None:
            updated = parse_when(data["updated"])
            if updated is None:
                check.error(("updated",), *date_problem(data['updated'], "YYYY-MM-DD"))
            elif published and updated < published:
                check.error(("updated",), "수정일이 발행일보다 이릅니다", "updated는 date와 같거나 늦어야 합니다")

        def str_list(key: str) -> list[tuple[int, str]]:
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

        author_ids = []
        author_items = str_list("authors")
        if "authors" not in data or not author_items:
            check.error(("authors",), "필수 항목이 없습니다", "authors: [필자-id] 처럼 content/authors.yml의 id를 쓰세요")
        for index, author_id in author_items:
            if author_id not in authors:
                known = ", ".join(sorted(authors)) or "(없음)"
                check.error(("authors", index), f"알 수 없는 필자 '{author_id}'",
                            f"content/authors.yml에 추가하거나 다음 중에서 고르세요: {known}")
            else:
                author_ids.append(author_id)

        tag_items = str_list("tags")
        self.tag_uses += [(rel_path, check.line("tags", index), tag) for index, tag in tag_items]
        tags = tuple(dict.fromkeys(t for _, t in tag_items))
        agenda_ids = []
        for index, name in str_list("agenda"):
            term = self.agenda.get(name)
            if term is None:
                check.error(("agenda", index), f"알 수 없는 의제 '{name}'",
                            f"다음 중에서 고르세요: {', '.join(t.name for t in self.config.agenda)}")
            elif term.id not in agenda_ids:
                agenda_ids.append(term.id)
        districts = []
        for index, name in str_list("districts"):
            if name not in DISTRICTS:
                fixed = name + "구" if name + "구" in DISTRICTS else None
                check.error(("districts", index), f"알 수 없는 자치구 '{name}'",
                            f"{josa(repr_q(fixed), '로')} 쓰세요" if fixed else "서울시 25개 자치구 이름을 쓰세요 (예: 마포구)")
            elif name not in districts:
                districts.append(name)
        series_id = None
        if data.get("series") is not None:
            term = self.series.get(str(data["series"]).strip())
            if term is None:
                check.error(("series",), f"알 수 없는 코너 '{data['series']}'",
                            "mkdocs.yml의 series 목록에서 고르세요: "
                            + ", ".join(f"{t.id}({t.name})" for t in self.config.series))
            else:
                series_id = term.id

        license_obj = LICENSES.get(self.config.default_license)
        if data.get("license") is not None:
            license_obj = LICENSES.get(str(data["license"]).strip().lower())
            if license_obj is None:
                check.error(("license",), f"알 수 없는 라이선스 '{data['license']}'",
                            f"다음 중에서 고르세요: {', '.join(LICENSES)}")
        rights_holders = self.rights_holders(check, data, [authors[a] for a in author_ids], license_obj)

        cover = None
        if data.get("cover") is not None:
            cover = self.image(check, ("cover",), data.get("cover"), data.get("cover_alt"),
                               ("cover_alt",) if "cover_alt" in data else ("cover",))
        elif data.get("cover_alt"):
            check.warn(("cover_alt",), "cover 없이 cover_alt만 있습니다", "cover에 이미지 경로를 쓰거나 cover_alt를 지우세요")

        draft = data.get("draft", False)
        if not isinstance(draft, bool):
            check.error(("draft",), f"{josa(repr_q(draft), '은')} 참/거짓 값이 아닙니다", "draft: true 또는 draft: false로 쓰세요")
            draft = True

        aliases = []
        for index, alias in str_list("aliases"):
            normal = "/" + alias.strip("/") + "/"
            if not re.fullmatch(r"/[a-z0-9._~/-]+/", normal):
                check.error(("aliases", index), f"옛 주소 {josa(repr_q(alias), '가')} 올바르지 않습니다",
                            "사이트 안의 경로를 /feature/old-slug/ 처럼 쓰세요")
            else:
                aliases.append(normal.strip("/") + "/")

        body = fm.body.strip("\n")
        body_line = fm.body_line + len(fm.body) - len(fm.body.lstrip("\n"))
        extra = self.kind_fields(kind, check, data, body)

        if check.problems and any(p.is_error for p in check.problems):
            return None, check.problems
        assert published is not None and slug is not None
        stable = data.get("id")
        if stable is not None and (not isinstance(stable, str) or not is_ascii_slug(stable)):
            check.error(("id",), f"id {josa(repr_q(stable), '가')} 올바르지 않습니다", "영문 소문자, 숫자, 하이픈으로 쓰세요")
            return None, check.problems
        article = Article(
            id=stable or stable_id(file_date, slug, aliases),
            kind=kind, slug=slug, source=source, title=title, date=published, summary=summary,
            authors=tuple(author_ids), tags=tags, agenda=tuple(agenda_ids), districts=tuple(districts),
            series=series_id, cover=cover, license=license_obj, draft=draft, updated=updated,
            aliases=tuple(aliases), body=body, body_line=body_line,
            content_hash=hashlib.sha256(raw).hexdigest(),
            rights_holders=rights_holders,
            reading_minutes=reading_minutes(" ".join([plain_text(body)] + [s.text for s in extra.get("slides", ())])),
            **extra,
        )
        return article, check.problems

    def rights_holders(self, check: _FileCheck, data: dict, authors: list[Author],
                       license_obj: Any) -> tuple[str, ...]:
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
            holders.append(self.config.office.name or self.config.brand)
        return tuple(holders)

    def kind_fields(self, kind: str, check: _FileCheck, data: dict, body: str) -> dict[str, Any]:
        """Validate the fields of one kind; return Article keyword arguments."""
        out: dict[str, Any] = {}
        if kind == "interview":
            people = data.get("interviewees")
            if not isinstance(people, list) or not people:
                check.error(("interviewees",), "인터뷰이가 없습니다",
                            "interviewees: [{name: 이름, affiliation: 소속}] 처럼 쓰세요")
            else:
                found = []
                for index, person in enumerate(people):
                    if not isinstance(person, dict) or not str(person.get("name") or "").strip():
                        check.error(("interviewees", index), "인터뷰이 이름이 없습니다", "name: 이름 을 쓰세요")
                        continue
                    found.append(Interviewee(str(person["name"]).strip(), str(person.get("affiliation") or "").strip()))
                out["interviewees"] = tuple(found)
        elif kind == "meeting":
            when = parse_when(data.get("when")) if data.get("when") is not None else None
            if data.get("when") is None:
                check.error(("when",), "필수 항목이 없습니다", 'when: "2018-09-21 19:00" 처럼 일시를 쓰세요')
            elif when is None:
                check.error(("when",), f"{josa(dq(data['when']), '은')} 일시가 아닙니다", '"2018-09-21 19:00" 형식으로 쓰세요')
            for key, hint in (("place", "place: 스페이스노아 2층 처럼 장소를 쓰세요"),
                              ("host", "host: 주최·주관 기관을 쓰세요")):
                if not str(data.get(key) or "").strip():
                    check.error((key,), "필수 항목이 없습니다", hint)
            attendees = data.get("attendees")
            organisations: tuple[str, ...] = ()
            count = None
            if not isinstance(attendees, dict) or not (attendees.get("organisations") or attendees.get("count")):
                check.error(("attendees",), "참석자 정보가 없습니다",
                            "attendees: {organisations: [단체1, 단체2], count: 7} 중 하나 이상을 쓰세요")
            else:
                orgs = attendees.get("organisations") or []
                if not isinstance(orgs, list):
                    check.error(("attendees", "organisations"), "목록이어야 합니다", "[단체1, 단체2] 처럼 쓰세요")
                else:
                    organisations = tuple(str(o).strip() for o in orgs if str(o).strip())
                if attendees.get("count") is not None:
                    if not isinstance(attendees["count"], int) or attendees["count"] < 1:
                        check.error(("attendees", "count"), f"{josa(repr_q(attendees['count']), '은')} 인원 수가 아닙니다",
                                    "숫자로 쓰세요 (예: 25)")
                    else:
                        count = attendees["count"]
            lists = {}
            for key, label in (("agenda_items", "논의한 안건이"), ("outcomes", "결과가")):
                value = data.get(key)
                if not isinstance(value, list) or not [v for v in value if str(v).strip()]:
                    check.error((key,), f"{label} 없습니다", f"{key}: [항목1, 항목2] 처럼 목록으로 쓰세요")
                    lists[key] = ()
                else:
                    lists[key] = tuple(str(v).strip() for v in value if str(v).strip())
            if when is not None:
                out["meeting"] = Meeting(when=when, place=str(data.get("place") or "").strip(),
                                         host=str(data.get("host") or "").strip(), organisations=organisations,
                                         count=count, agenda_items=lists["agenda_items"],
                                         outcomes=lists["outcomes"])
        elif kind == "cardnews":
            slides = data.get("slides")
            if not isinstance(slides, list) or not slides:
                check.error(("slides",), "카드(slides)가 없습니다",
                            "slides: 아래에 - image: ..., alt: ..., text: ... 를 순서대로 쓰세요")
            else:
                found = []
                seen_alts: dict[str, int] = {}
                for index, slide in enumerate(slides):
                    if not isinstance(slide, dict):
                        check.error(("slides", index), "카드는 image, alt, text를 가진 묶음이어야 합니다",
                                    "- image: ..., alt: ..., text: ... 형식으로 쓰세요")
                        continue
                    alt = str(slide.get("alt") or "").strip()
                    if alt and alt in seen_alts:
                        check.error(("slides", index, "alt"),
                                    f"대체텍스트가 {seen_alts[alt] + 1}번째 카드와 같습니다",
                                    "카드마다 그 카드의 내용을 다르게 설명하세요 (KWCAG: 연속 이미지의 대체텍스트 중복 금지)")
                    elif alt:
                        seen_alts[alt] = index
                    image = self.image(check, ("slides", index, "image"), slide.get("image"), slide.get("alt"),
                                       ("slides", index, "alt") if "alt" in slide else ("slides", index))
                    text = str(slide.get("text") or "").strip()
                    if not text:
                        check.error(("slides", index, "text"), "카드의 글(text)이 없습니다",
                                    "카드에 적힌 글을 그대로 옮겨 쓰세요 ('텍스트로 보기'에 쓰입니다)")
                    if image:
                        found.append(Slide(image, text))
                out["slides"] = tuple(found)
        elif kind == "video":
            provider = str(data.get("provider") or "").strip()
            if provider not in VIDEO_PROVIDERS:
                check.error(("provider",), f"알 수 없는 영상 제공처 '{provider}'" if provider else "필수 항목이 없습니다",
                            f"provider: {', '.join(VIDEO_PROVIDERS)} 중 하나를 쓰세요")
            video_id = None
            if provider == "file":
                video_id = self.media_file(check, ("src",), data.get("src"), (".mp4", ".webm"), "영상")
            elif provider in ("youtube", "vimeo"):
                video_id = str(data.get("video_id") or "").strip()
                if not re.fullmatch(r"[A-Za-z0-9_-]{4,32}", video_id):
                    check.error(("video_id",), "영상 id가 없거나 올바르지 않습니다",
                                "video_id: 영상 주소의 id 부분을 쓰세요 (예: dQw4w9WgXcQ)")
                    video_id = None
            seconds = parse_duration(data.get("duration"))
            if seconds is None:
                check.error(("duration",), "영상 길이가 없거나 올바르지 않습니다", 'duration: "3:20" 처럼 분:초로 쓰세요')
            captions = self.media_file(check, ("captions",), data.get("captions"), (".vtt",), "자막(WebVTT)")
            if captions:
                head = (self.root / captions).read_text(encoding="utf-8", errors="replace")[:6]
                if not head.lstrip("\ufeff").startswith("WEBVTT"):
                    check.error(("captions",), f"{josa(repr_q(captions), '가')} WebVTT 파일이 아닙니다", "파일 첫 줄이 WEBVTT여야 합니다")
                    captions = None
            poster = None
            if data.get("poster") is not None:
                poster = self.image(check, ("poster",), data["poster"], data.get("poster_alt"),
                                    ("poster_alt",) if "poster_alt" in data else ("poster",))
            if len(plain_text(body)) < 20:
                check.error(("body",), "대본(영상의 말과 자막 전체)이 본문에 없습니다",
                            "머리말 아래 본문에 영상 대본 전체를 쓰세요")
            if video_id and seconds and captions:
                out["video"] = Video(provider, video_id, seconds, captions, poster)
        elif kind == "infographic":
            image = self.image(check, ("image",), data.get("image"), data.get("image_alt"),
                               ("image_alt",) if "image_alt" in data else ("image",))
            if len(plain_text(body)) < 20:
                check.error(("body",), "인포그래픽의 긴 설명이 본문에 없습니다",
                            "이미지에 담긴 숫자와 내용을 본문에 모두 글로 쓰세요")
            out["infographic"] = image
        return out

    # -- pages and timeline ---------------------------------------------------
    def load_page(self, path: Path) -> tuple[Page | None, list[Problem]]:
        rel_path = self.rel(path)
        fm, problems = split_front_matter(path.read_text(encoding="utf-8"), rel_path)
        if fm is None:
            return None, problems
        check = _FileCheck(rel_path, fm)
        self.key_lines[rel_path] = fm.lines
        self.bodies.append(Body(rel_path, path.relative_to(self.root).as_posix(), fm.body, fm.body_line, False))
        for key in fm.data:
            if key not in PAGE_KEYS:
                check.warn((key,), "알 수 없는 항목입니다", "오타인지 확인하세요")
        title = str(fm.data.get("title") or "").strip()
        if not title:
            check.error(("title",), "필수 항목이 없습니다", "title: 페이지 제목 을 쓰세요")
        slug = str(fm.data.get("slug") or path.stem)
        if not is_ascii_slug(slug):
            check.error(("slug",) if "slug" in fm.data else (), f"주소(slug) {josa(repr_q(slug), '가')} 올바르지 않습니다",
                        "영문 소문자, 숫자, 하이픈만 쓰세요")
        updated = parse_when(fm.data["updated"]) if fm.data.get("updated") is not None else None
        if fm.data.get("updated") is not None and updated is None:
            check.error(("updated",), *date_problem(fm.data['updated'], "YYYY-MM-DD"))
        if any(p.is_error for p in check.problems):
            return None, check.problems
        return Page(slug=slug, source=path.relative_to(self.root).as_posix(), title=title,
                    summary=str(fm.data.get("summary") or ""), updated=updated, body=fm.body.strip("\n")), check.problems

    def load_timeline(self, articles_by_source: dict[str, Article]) -> tuple[list[TimelineEvent], list[Problem]]:
        path = self.root / "timeline.yml"
        if not path.is_file():
            return [], []
        rel = self.rel(path)
        data, lines, duplicates, problems = parse_yaml(path.read_text(encoding="utf-8"), rel, 1)
        if problems:
            return [], problems
        check = _FileCheck(rel, FrontMatter(data={}, lines=lines, body="", body_line=1))
        check.duplicates(duplicates)
        events = []
        if not isinstance(data, list):
            check.error((), "연표는 '- date: ...'로 시작하는 목록이어야 합니다", "편집자 안내서의 예시를 보세요")
            return [], check.problems
        for index, item in enumerate(data):
            if not isinstance(item, dict):
                check.error((index,), "연표 항목은 date, title을 가진 묶음이어야 합니다", "- date: 2018-08-27 처럼 쓰세요")
                continue
            when = parse_when(item.get("date"))
            if when is None:
                check.error((index, "date"), *date_problem(item.get('date'), "YYYY-MM-DD"))
                continue
            title = str(item.get("title") or "").strip()
            if not title:
                check.error((index, "title"), "필수 항목이 없습니다", "title: 사건 이름 을 쓰세요")
                continue
            article_id = None
            if item.get("article"):
                target = articles_by_source.get(str(item["article"]).strip().lstrip("/"))
                if target is None:
                    check.error((index, "article"), f"글 {josa(repr_q(item['article']), '을')} 찾을 수 없습니다",
                                "content/ 기준 경로를 쓰세요 (예: meeting/2018-09-21-first-small-meeting.md)")
                else:
                    article_id = target.id
            events.append(TimelineEvent(date=when, title=title, description=str(item.get("description") or ""),
                                        article_id=article_id, source=rel, planned=bool(item.get("planned", False))))
        return events, check.problems


def stable_id(file_date: str, slug: str, aliases: list[str]) -> str:
    """Return an article's permanent id: its original file stem (date + first slug).

    A renamed article lists its old URL first in `aliases`, so the original slug is kept."""
    original = aliases[0].rstrip("/").rsplit("/", 1)[-1] if aliases else slug
    return f"{file_date}-{original}"


def iter_article_paths(content_dir: Path):
    """Yield every article file: content/<kind>/*.md (pages/ excluded)."""
    for path in sorted(content_dir.glob("*/*.md")):
        if path.parent.name != "pages":
            yield path


def load_content(config: SiteConfig, *, now: datetime | None = None) -> tuple[LoadedContent, list[Problem]]:
    """Read and validate all of content/; return what loaded and every problem found.
    `now` (default: the current time in Seoul) decides which linked articles are still scheduled."""
    loader = ContentLoader(config)
    problems: list[Problem] = []
    if not config.content_dir.is_dir():
        problems.append(Problem(loader.rel(config.content_dir), 1, "content", "content 폴더가 없습니다",
                                "프로젝트 폴더에서 실행하거나 mkdocs.yml의 docs_dir을 확인하세요"))
        return LoadedContent((), {}, (), ()), problems
    authors, found = loader.load_authors()
    problems += found
    articles: list[Article] = []
    for path in iter_article_paths(config.content_dir):
        article, found = loader.load_article(path, authors)
        problems += found
        if article:
            articles.append(article)
    pages: list[Page] = []
    pages_dir = config.content_dir / "pages"
    for path in sorted(pages_dir.glob("*.md")) if pages_dir.is_dir() else ():
        page, found = loader.load_page(path)
        problems += found
        if page:
            pages.append(page)
    timeline, found = loader.load_timeline({a.source: a for a in articles})
    problems += found
    problems += cross_checks(loader, articles, pages)
    problems += body_link_problems(loader, articles, pages, now or now_kst())
    problems += tag_problems(loader)
    return LoadedContent(tuple(articles), authors, tuple(pages), tuple(timeline)), problems


REQUIRED_PAGES = {"about": "소개", "privacy": "개인정보 처리방침", "copyright": "저작권정책",
                  "no-email-collection": "이메일무단수집거부"}
RESERVED = {"tags", "agenda", "districts", "series", "authors", "archive", "timeline", "subscribe",
            "newsletter", "feeds", "search", "assets", "images", "videos", "page", "404"}


def cross_checks(loader: ContentLoader, articles: list[Article], pages: list[Page]) -> list[Problem]:
    """Problems that involve several files: same URL twice, same id twice, aliases that collide.
    Each is reported at the line that makes the address (slug:, id:, the alias), or line 1 when the
    address comes from the file name."""
    problems: list[Problem] = []
    owners: dict[str, str] = {}
    ids: dict[str, str] = {}

    def key_line(source: str, *key: Any) -> int | None:
        lines = loader.key_lines.get(source, {})
        return lines.get(tuple(key))

    def claim(url: str, source: str, line: int | None, field_name: str, hint: str) -> None:
        other = owners.get(url)
        if other and other != source:
            problems.append(Problem(source, line or 1, field_name,
                                    f"주소 {josa('/' + url, '가')} {josa(repr_q(other), '와')} 겹칩니다", hint))
        else:
            owners[url] = source

    present = {page.slug for page in pages}
    for slug, title in REQUIRED_PAGES.items():
        if slug not in present:
            problems.append(Problem(f"content/pages/{slug}.md", 1, "page", f"'{title}' 페이지가 없습니다",
                                    f"content/pages/{slug}.md를 만드세요 (모든 페이지 바닥글에 링크됩니다)", "warning"))
    for page in pages:
        path = f"content/{page.source}"
        if page.slug in RESERVED or page.slug in KINDS:
            problems.append(Problem(path, key_line(path, "slug") or 1, "slug",
                                    f"주소 {josa(f'/{page.slug}/', '는')} 사이트가 쓰는 주소입니다", "다른 slug를 쓰세요"))
        claim(page.url, path, key_line(path, "slug"), "slug", "slug를 바꿔 두 페이지의 주소를 다르게 하세요")
    for article in sorted(articles, key=lambda a: a.source):
        path = f"content/{article.source}"
        line = key_line(path, "slug")
        claim(article.url, path, line, "slug",
              "slug: 줄의 주소를 바꿔 두 글의 주소를 다르게 하세요" if line else
              "파일 이름의 slug 부분을 바꾸거나 머리말에 slug: 다른-주소 를 쓰세요")
        if article.id in ids:
            problems.append(Problem(path, key_line(path, "id") or 1, "id",
                                    f"id {josa(repr_q(article.id), '가')} {josa(repr_q(ids[article.id]), '와')} 겹칩니다",
                                    "한쪽에 id: 다른-값 을 쓰세요"))
        ids.setdefault(article.id, path)
    for article in sorted(articles, key=lambda a: a.source):
        path = f"content/{article.source}"
        for index, alias in enumerate(article.aliases):
            claim(alias, path, key_line(path, "aliases", index) or key_line(path, "aliases"), "aliases",
                  "옛 주소가 다른 글의 주소와 겹치지 않게 고치거나 지우세요")
    return problems


# -- links and images in bodies ---------------------------------------------------------------------

_FENCE = re.compile(r"^\s*(```|~~~)")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_INLINE = re.compile(r"(?P<image>!?)\[(?P<text>(?:[^\[\]]|\[[^\]]*\])*)\]\(\s*(?P<url><[^>]*>|(?:[^()\s]|\([^()\s]*\))*)"
                     r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)")
_REFERENCE = re.compile(r"^\s{0,3}\[(?P<text>[^\]]+)\]:\s*(?P<url><[^>]*>|\S+)")
_HTML_URL = re.compile(r"<(?P<tag>a|img)\b[^>]*?\b(?:href|src)\s*=\s*[\"'](?P<url>[^\"']*)[\"']", re.I)


def iter_body_links(body: Body):
    """Yield (line, url, is_image) for every link and image of a body, outside code."""
    fenced = None
    for offset, line in enumerate(body.text.split("\n")):
        fence = _FENCE.match(line)
        if fence:
            if fenced is None:
                fenced = fence.group(1)
            elif fence.group(1) == fenced:
                fenced = None
            continue
        if fenced is not None or line.startswith(("    ", "\t")) and not line.strip().startswith(("-", "*", "!", "[", "<")):
            continue
        if "](" not in line and "]:" not in line and "<" not in line:
            continue  # most lines have no link: skip the patterns
        text = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line) if "`" in line else line
        number = body.first_line + offset
        for match in _INLINE.finditer(text):
            yield number, match.group("url").strip("<>"), bool(match.group("image"))
        reference = _REFERENCE.match(text)
        if reference and not text.lstrip().startswith("[^"):
            yield number, reference.group("url").strip("<>"), False
        for match in _HTML_URL.finditer(text):
            yield number, match.group("url"), match.group("tag").lower() == "img"


def _content_files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()} if root.is_dir() else set()


def body_link_problems(loader: ContentLoader, articles: list[Article], pages: list[Page],
                       now: datetime) -> list[Problem]:
    """Every link and image of every body (drafts and pages included) resolved as MkDocs resolves it:
    relative to the file, a link to an article by its .md file. A missing target is an error at its line;
    so is a link to a draft, whose page is not on the public site (a warning when the link is itself in a
    draft); a link to a scheduled article is a warning."""
    files = _content_files(loader.root)
    by_source = {a.source: a for a in articles}
    drafts = {b.source for b in loader.bodies if b.draft}
    page_sources = {p.source for p in pages} | {b.source for b in loader.bodies if b.source.startswith("pages/")}
    by_url = {a.url: a for a in articles}
    for article in articles:
        for alias in article.aliases:
            by_url.setdefault(alias, article)
    page_urls = {p.url for p in pages}
    by_name: dict[str, list[str]] = {}
    for name in files:
        by_name.setdefault(posixpath.basename(name), []).append(name)
    problems: list[Problem] = []

    def suggestion(body: Body, wanted: str) -> str | None:
        """A path to a file of the same name elsewhere, written relative to this body's file."""
        found = by_name.get(posixpath.basename(wanted), [])
        if len(found) != 1:
            return None
        return posixpath.relpath(found[0], posixpath.dirname(body.source))

    def target_problem(body: Body, line: int, url: str, target: str, title: str, draft: bool,
                       date: datetime | None) -> None:
        if draft:
            problem = Problem(body.path, line, "body",
                              f"링크 {josa(repr_q(url), '가')} 초안(draft: true)인 {josa(repr_q(title), '을')} 가리킵니다: "
                              "초안은 공개 사이트에 없어 이 링크가 깨집니다",
                              ("이 글을 공개하기 전에 " if body.draft else "")
                              + f"content/{target}의 draft: true 줄을 지워 그 글을 공개하거나, 링크를 빼세요",
                              "warning" if body.draft else "error")
            problems.append(problem)
        elif date is not None and date > now:
            problems.append(Problem(body.path, line, "body",
                                    f"링크 {josa(repr_q(url), '가')} 발행 예약된 {josa(repr_q(title), '을')} 가리킵니다: "
                                    f"그 글이 나오는 {date:%Y-%m-%d %H:%M} 전까지는 이 링크가 깨집니다",
                                    "예약 시각이 지난 뒤에 링크를 넣거나, 그 글의 date를 앞당기세요", "warning"))

    def check_article_link(body: Body, line: int, url: str, resolved: str) -> bool:
        article = by_source.get(resolved)
        if article is not None:
            target_problem(body, line, url, resolved, article.title, article.draft, article.date)
            return True
        if resolved in drafts or resolved in page_sources:
            if resolved in drafts:
                target_problem(body, line, url, resolved, resolved, True, None)
            return True
        return resolved in files  # an article with errors of its own: those are reported there

    for body in loader.bodies:
        for line, raw, is_image in iter_body_links(body):
            parts = urlsplit(raw)
            if not raw or raw.startswith("#") or parts.scheme or raw.startswith("//"):
                continue
            path = unquote(parts.path)
            what = "본문 이미지" if is_image else "링크"
            if path.startswith("/"):
                rel = path.lstrip("/")
                if rel in files and not rel.endswith(".md"):
                    continue
                if rel.endswith(".md"):
                    fixed = posixpath.relpath(rel, posixpath.dirname(body.source))
                    problems.append(Problem(body.path, line, "body",
                                            f"{what} {josa(repr_q(raw), '가')} .md 파일을 사이트 주소처럼 /로 시작해 겁니다",
                                            f"이 글 파일 기준 상대 경로로 쓰세요: {fixed}"))
                    continue
                url_key = rel.rstrip("/") + "/" if rel else ""
                first = rel.split("/", 1)[0]
                article = by_url.get(url_key)
                if article is not None:
                    target_problem(body, line, raw, article.source, article.title, article.draft, article.date)
                    continue
                if url_key in page_urls or not rel or (first in RESERVED and not is_image) \
                        or (first in KINDS and url_key == f"{first}/"):
                    continue
                problems.append(Problem(body.path, line, "body",
                                        f"{what} {josa(repr_q(raw), '가')} 가리키는 주소가 사이트에 없습니다",
                                        "다른 글로 가는 링크는 그 글의 .md 파일을 이 글 파일 기준 상대 경로로 쓰세요 "
                                        "(예: ../meeting/2018-09-21-first-small-meeting.md)"))
                continue
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(body.source), path))
            if path.endswith("/") and resolved != ".":
                resolved_dir = resolved
            else:
                resolved_dir = None
            if resolved.startswith("../") or resolved == "..":
                problems.append(Problem(body.path, line, "body",
                                        f"{what} {josa(repr_q(raw), '가')} content/ 폴더 밖을 가리킵니다",
                                        "content/ 안의 파일을 이 글 파일 기준 상대 경로로 쓰세요"))
                continue
            if resolved.endswith(".md") and not is_image:
                if check_article_link(body, line, raw, resolved):
                    continue
                fixed = suggestion(body, resolved)
                problems.append(Problem(body.path, line, "body",
                                        f"링크 {josa(repr_q(raw), '가')} 가리키는 글 content/{josa(resolved, '이')} 없습니다",
                                        f"{josa(fixed, '로')} 고치세요 (링크는 이 글 파일이 있는 폴더 기준입니다)" if fixed else
                                        "다른 글의 .md 파일 경로를 이 글 파일 기준 상대 경로로 쓰세요 "
                                        "(예: ../meeting/2018-09-21-first-small-meeting.md)"))
                continue
            if resolved in files:
                continue
            if resolved_dir is not None:
                # A site address written relatively (../first-small-meeting/): MkDocs leaves it as is.
                # On the site it resolves against the page's URL; in feeds and email against the file.
                owner = by_source.get(body.source)
                base = owner.url if owner else posixpath.dirname(body.source) + "/"
                article = by_url.get(posixpath.normpath(posixpath.join(base, path)) + "/") \
                    or by_url.get(resolved_dir.rstrip("/") + "/")
                hint = (f"그 글의 파일로 거세요: {posixpath.relpath(article.source, posixpath.dirname(body.source))}"
                        if article else "다른 글로 가는 링크는 그 글의 .md 파일을 상대 경로로 쓰세요")
                problems.append(Problem(body.path, line, "body",
                                        f"링크 {josa(repr_q(raw), '는')} 파일이 아니라 주소를 상대 경로로 써서 사이트와 피드·뉴스레터에서 서로 다른 곳을 가리킵니다",
                                        hint))
                continue
            fixed = suggestion(body, resolved)
            if is_image:
                hint = (f"{josa(fixed, '로')} 고치세요 (본문 이미지의 경로는 이 글 파일이 있는 폴더 기준입니다)" if fixed else
                        f"content/{resolved}에 파일을 넣거나 경로를 고치세요 (이 글 파일 기준 상대 경로, "
                        "예: ../images/feature/cover.jpg)")
                problems.append(Problem(body.path, line, "body",
                                        f"본문 이미지 파일 content/{josa(resolved, '이')} 없습니다", hint))
            else:
                hint = (f"{josa(fixed, '로')} 고치세요 (링크는 이 글 파일이 있는 폴더 기준입니다)" if fixed else
                        f"content/{resolved}에 파일을 넣거나 경로를 고치세요 (이 글 파일 기준 상대 경로)")
                problems.append(Problem(body.path, line, "body",
                                        f"링크 {josa(repr_q(raw), '가')} 가리키는 파일 content/{josa(resolved, '이')} 없습니다", hint))
    return problems


# -- tags ------------------------------------------------------------------------------------------

def _one_edit_apart(a: str, b: str) -> bool:
    """True if a and b differ by one inserted, deleted or replaced character."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)):] == b[i + 1:]


NEAR_DUPLICATE_MIN = 5  # shorter tags one letter apart are often different words (청년정책, 청년정착)


def tag_problems(loader: ContentLoader) -> list[Problem]:
    """Tag hygiene across the archive (drafts included), at the line of each tag: two tags with one
    address are an error; a tag with spaces, two spellings differing only in Latin case or spaces, and
    long tags one letter apart are warnings that name the spelling used more."""
    from ..textutil import slugify_term

    problems: list[Problem] = []
    uses: dict[str, list[tuple[str, int]]] = {}
    for path, line, tag in loader.tag_uses:
        uses.setdefault(tag, []).append((path, line))
    count = {tag: len({p for p, _ in where}) for tag, where in uses.items()}

    def more_used(a: str, b: str) -> str:
        return min((a, b), key=lambda t: (-count[t], min(uses[t])))

    warned: set[str] = set()
    by_key: dict[str, list[str]] = {}
    for tag in uses:
        by_key.setdefault(re.sub(r"\s+", "", tag).casefold(), []).append(tag)
    for key, spellings in by_key.items():
        if len(spellings) < 2:
            continue
        best = spellings[0]
        for other in spellings[1:]:
            best = more_used(best, other)
        for tag in spellings:
            if tag == best:
                continue
            same_spaces = re.sub(r"\s+", "", tag) == re.sub(r"\s+", "", best)
            how = "빈칸만" if same_spaces else "대소문자만" if re.sub(r"\s+", "", tag).lower() == re.sub(r"\s+", "", best).lower() \
                else "대소문자와 빈칸만"
            for path, line in uses[tag]:
                problems.append(Problem(path, line, "tags", f"태그 {josa(repr_q(tag), '가')} {josa(repr_q(best), '와')} {how} 다릅니다",
                                        f"같은 태그라면 {josa(repr_q(best), '로')} 통일하세요 ({count[best]}개 글에서 씀)",
                                        "warning"))
            warned.add(tag)
    for tag, where in uses.items():
        if tag not in warned and re.search(r"\s", tag):
            for path, line in where:
                problems.append(Problem(path, line, "tags", f"태그 {repr_q(tag)}에 빈칸이 있습니다",
                                        f"태그는 붙여 씁니다: {''.join(tag.split())} (띄어 쓴 태그와 붙여 쓴 태그는 "
                                        "서로 다른 태그 페이지가 됩니다)", "warning"))
    keys = sorted(k for k in by_key if len(k) >= NEAR_DUPLICATE_MIN)
    for index, key in enumerate(keys):
        for other in keys[index + 1:]:
            if len(other) - len(key) > 1 and len(other) > len(key):
                continue
            if _one_edit_apart(key, other):
                a, b = by_key[key][0], by_key[other][0]
                best = more_used(a, b)
                rarer = b if best == a else a
                for path, line in uses[rarer]:
                    problems.append(Problem(path, line, "tags",
                                            f"태그 {josa(repr_q(rarer), '가')} {josa(repr_q(best), '와')} 한 글자만 다릅니다",
                                            f"같은 말이라면 {josa(repr_q(best), '로')} 통일하세요 ({count[best]}개 글에서 씀)",
                                            "warning"))
    owners: dict[str, str] = {}
    slugs = {tag: slugify_term(tag) for tag in uses}  # romanizing is slow: once per distinct tag
    for path, line, tag in sorted(loader.tag_uses):
        slug = slugs[tag]
        if not slug:
            problems.append(Problem(path, line, "tags", f"태그 {josa(repr_q(tag), '로')} 주소를 만들 수 없습니다",
                                    "글자나 숫자가 있는 태그를 쓰세요"))
        elif owners.setdefault(slug, tag) != tag and re.sub(r"\s+", "", tag).casefold() != \
                re.sub(r"\s+", "", owners[slug]).casefold():
            problems.append(Problem(path, line, "tags",
                                    f"태그 {josa(repr_q(tag), '와')} {repr_q(owners[slug])}의 주소(/tags/{slug}/)가 같습니다",
                                    "둘 중 하나로 통일하세요"))
    return problems
