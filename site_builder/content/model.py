"""The content model: what an editor's files mean, as immutable values. No I/O here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .licenses import License


@dataclass(frozen=True)
class Image:
    """An image file under content/, with its alternative text."""

    path: str  # relative to content/, e.g. images/cardnews/x-01.png
    alt: str
    width: int = 0
    height: int = 0
    mime: str = ""
    size: int = 0  # bytes


@dataclass(frozen=True)
class Author:
    id: str
    name: str
    affiliation: str = ""
    external: bool = False
    bio: str = ""
    photo: Image | None = None

    @property
    def url(self) -> str:
        return f"authors/{self.id}/"


@dataclass(frozen=True)
class Interviewee:
    name: str
    affiliation: str = ""


@dataclass(frozen=True)
class Slide:
    image: Image
    text: str


@dataclass(frozen=True)
class Meeting:
    when: datetime
    place: str
    host: str
    organisations: tuple[str, ...]
    count: int | None
    agenda_items: tuple[str, ...]
    outcomes: tuple[str, ...]


@dataclass(frozen=True)
class Video:
    provider: str  # file | youtube | vimeo
    video_id: str  # provider id, or the file path for provider "file"
    duration_seconds: int
    captions: str  # path of the WebVTT file, relative to content/
    poster: Image | None = None

    @property
    def duration_iso(self) -> str:
        minutes, seconds = divmod(self.duration_seconds, 60)
        return f"PT{minutes}M{seconds}S"

    @property
    def duration_text(self) -> str:
        minutes, seconds = divmod(self.duration_seconds, 60)
        if not minutes:
            return f"{seconds}초"
        return f"{minutes}분 {seconds}초" if seconds else f"{minutes}분"

    @property
    def watch_url(self) -> str:
        if self.provider == "youtube":
            return f"https://www.youtube.com/watch?v={self.video_id}"
        if self.provider == "vimeo":
            return f"https://vimeo.com/{self.video_id}"
        return ""

    @property
    def embed_url(self) -> str:
        if self.provider == "youtube":
            return f"https://www.youtube-nocookie.com/embed/{self.video_id}"
        if self.provider == "vimeo":
            return f"https://player.vimeo.com/video/{self.video_id}"
        return ""


@dataclass(frozen=True)
class Article:
    """One published (or draft, or scheduled) article."""

    id: str  # stable: survives slug changes (see content.articles.stable_id)
    kind: str
    slug: str
    source: str  # path relative to content/, e.g. interview/2018-10-05-youth-union.md
    title: str
    date: datetime  # aware, +09:00
    summary: str
    authors: tuple[str, ...]
    tags: tuple[str, ...] = ()
    agenda: tuple[str, ...] = ()  # agenda ids
    districts: tuple[str, ...] = ()  # district Korean names
    series: str | None = None  # series id
    cover: Image | None = None
    license: License | None = None
    draft: bool = False
    updated: datetime | None = None
    aliases: tuple[str, ...] = ()
    body: str = ""  # Markdown
    body_line: int = 1
    content_hash: str = ""
    reading_minutes: int = 1  # 0: under a minute
    interviewees: tuple[Interviewee, ...] = ()
    meeting: Meeting | None = None
    slides: tuple[Slide, ...] = ()
    video: Video | None = None
    infographic: Image | None = None
    # Who holds the rights: the outside contributors' names (and the office's, for a work written with
    # its staff). Empty: the office alone (its own work).
    rights_holders: tuple[str, ...] = ()

    def rights_holder(self, office: str) -> str:
        """Return the name(s) shown as rights holder: the contributors for outside work, else the office."""
        return ", ".join(self.rights_holders) if self.rights_holders else office

    def attribution(self, office: str) -> str:
        """Return the licence sentence of the article with its rights holder, or '' without a licence."""
        return self.license.attribution(self.rights_holder(office), self.title) if self.license else ""

    @property
    def reading_time(self) -> str:
        """Reading time as Korean news sites show it: '1분 미만' under a minute, else 'N분'."""
        return "1분 미만" if self.reading_minutes < 1 else f"{self.reading_minutes}분"

    @property
    def url(self) -> str:
        """Site path of the article, without leading slash: '<kind>/<slug>/'."""
        return f"{self.kind}/{self.slug}/"

    @property
    def modified(self) -> datetime:
        return self.updated or self.date

    @property
    def images(self) -> tuple[Image, ...]:
        """Every image the article shows: cover, slides, infographic, poster."""
        found: list[Image] = []
        for image in (self.cover, self.infographic, self.video.poster if self.video else None):
            if image and image not in found:
                found.append(image)
        for slide in self.slides:
            if slide.image not in found:
                found.append(slide.image)
        return tuple(found)

    @property
    def lead_image(self) -> Image | None:
        """The image that represents the article in listings, feeds and social posts."""
        if self.cover:
            return self.cover
        if self.slides:
            return self.slides[0].image
        if self.infographic:
            return self.infographic
        if self.video and self.video.poster:
            return self.video.poster
        return None


@dataclass(frozen=True)
class Page:
    """A static page under content/pages/ (소개, 개인정보 처리방침, ...)."""

    slug: str
    source: str
    title: str
    summary: str = ""
    updated: datetime | None = None
    body: str = ""

    @property
    def url(self) -> str:
        return f"{self.slug}/"


@dataclass(frozen=True)
class TimelineEvent:
    """A dated step of the preparation process, from timeline.yml or a meeting article."""

    date: datetime
    title: str
    description: str = ""
    article_id: str | None = None
    source: str = ""
    planned: bool = field(default=False)
