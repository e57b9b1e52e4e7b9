"""The publishing kit: for each post waiting for a person on a manual channel, a page and its files.

Where: `publish/kits/<article id>/` of the built site (the article id, not the slug, because it
never changes: a kit address stays valid when an article is renamed). The page is `noindex`, not in
sitemap.xml, not in the search index and not in the navigation; nothing links to it but the
publisher's status output. Beside the page, the same kit as files:

    publish/kits/<id>/index.html            the kit page (copy buttons)
    publish/kits/<id>/naver_blog.html       paste-ready HTML per HTML channel (naver_blog, brunch)
    publish/kits/<id>/images/<channel>/NN.jpg   numbered images sized for each channel
    publish/kits/<id>/alt.txt               'NN: alt text' for every numbered image
    publish/kits/<id>/kakao-channel.txt     title, body, button label and link of the 소식
    publish/kits/<id>/instagram-caption.txt caption for posting by hand (2,200 characters, 30 hashtags)
    publish/kits/<id>/checklist.md          the steps, ending with `site-builder publish done`

Which posts get a kit is the caller's argument (`pending`: article id -> manual channel names);
`pending_kits` asks the publisher's ledger for its `manual_pending` rows. This module returns plain
data: site_builder.build turns it into a Contribution to the site (the publisher never imports the site).
Images are made with Pillow without metadata, so the same source gives the same bytes.
"""

from __future__ import annotations

import io
from functools import lru_cache
from html import escape
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Mapping

import lxml.html

from ..catalog import Catalog
from ..config import SiteConfig
from ..render.html import body_html, image_url
from ..content.model import Article
from .channel import Draft, DraftProblem, MediaItem, Post
from .channels.brunch import Brunch
from .channels.kakao_channel import KakaoChannel
from .channels.manual import ManualChannel, cut, hashtags, number_label, utf16_length, with_utm
from .channels.naver_blog import NaverBlog

KIT_ROOT = "publish/kits/"
MANUAL_CHANNELS: dict[str, type[ManualChannel]] = {"naver_blog": NaverBlog, "brunch": Brunch,
                                                   "kakao_channel": KakaoChannel}  # = channels.MANUAL_CHANNELS
INSTAGRAM_CAPTION_LIMIT = 2200
INSTAGRAM_HASHTAG_LIMIT = 30
INSTAGRAM_WIDTH = 1080          # Instagram shows 1,080 px wide; feed posts take 4:5 (portrait) to 1.91:1
JPEG_QUALITY = 85


@dataclass(frozen=True)
class KitImage:
    number: int
    label: str                    # [이미지 03]
    alt: str
    path: str                     # site path of the file, e.g. publish/kits/x/images/naver_blog/03.jpg
    name: str                     # path relative to the kit folder (links on the kit page)
    width: int
    height: int
    size: int


@dataclass(frozen=True)
class KitSection:
    """One channel of the kit: what to paste, the images, the steps."""

    channel: str
    label: str
    draft: Draft
    problems: tuple[DraftProblem, ...]
    images: tuple[KitImage, ...]
    steps: tuple[str, ...]
    html_file: str = ""           # naver_blog.html, brunch.html
    counts: dict[str, int] = field(default_factory=dict)   # UTF-16 length of each limited field (Kakao)
    image_width: int = 0          # px the channel's images are scaled down to


@dataclass(frozen=True)
class Kit:
    post: Post
    path: str                     # site path of the kit page, e.g. publish/kits/<id>/
    sections: tuple[KitSection, ...]
    instagram_caption: str
    instagram_images: tuple[KitImage, ...]
    done_command: str             # with <채널> and <url> to fill in
    files: dict[str, bytes] = field(default_factory=dict)   # site path -> bytes (everything but the page)
    instagram_automatic: bool = False   # Instagram is configured: the publisher posts it, nobody by hand

    @property
    def instagram_count(self) -> int:
        return utf16_length(self.instagram_caption)

    @property
    def file_names(self) -> list[str]:
        return sorted(p[len(self.path):] for p in self.files if "/images/" not in p)


def kit_path(article_id: str) -> str:
    return f"{KIT_ROOT}{article_id}/"


def post_for(catalog: Catalog, article: Article) -> Post:
    """The publisher's Post of the article (publish.plan: card news with every slide, otherwise the
    lead image; front matter `social:` overrides) with what a kit adds: the body as HTML (each card
    with its text first, for card news) and the body's own images after the post's media."""
    from .plan import post_of_article, social_overrides

    config = catalog.config
    overrides, _problems = social_overrides(catalog, article)   # its problems are the publisher's to report
    post = post_of_article(catalog, article, overrides)
    media = list(post.media)
    slides = article.kind == "cardnews" and article.slides
    html = body_html(catalog, article)
    if slides:  # each card with its text, as the article page shows them, before the body
        cards = "".join(f'<figure><img src="{escape(image_url(catalog, s.image.path))}" alt="{escape(s.image.alt)}">'
                        f"<figcaption>{escape(s.text)}</figcaption></figure>" for s in article.slides)
        html = cards + html
    known = {m.public_url for m in media}
    root = lxml.html.fragment_fromstring(html or "<p></p>", create_parent="div")
    for img in root.iter("img"):
        src = img.get("src") or ""
        rel = src[len(config.site_url):] if src.startswith(config.site_url) else ""
        if rel and src not in known and (config.content_dir / rel).is_file():
            media.append(_media_item(config, rel, img.get("alt") or "", catalog))
            known.add(src)
    return replace(post, media=tuple(media), body_html=html)


def _media_item(config: SiteConfig, rel: str, alt: str, catalog: Catalog) -> MediaItem:
    path = config.content_dir / rel
    size = path.stat().st_size if path.is_file() else 0
    return MediaItem(path=str(path), public_url=image_url(catalog, rel), alt=alt, size=size,
                     mime="image/png" if rel.lower().endswith(".png") else "image/jpeg")


def resize_image(source: Path, width: int, *, frame: tuple[float, float] | None = None) -> tuple[bytes, int, int]:
    """The image as JPEG, scaled down to `width` (never up), flattened on white, without metadata.
    frame (min, max width/height ratio): images outside it are padded with white to fit it."""
    from PIL import Image

    image = _flattened(str(source), source.stat().st_mtime_ns)
    if frame:
        low, high = frame
        w, h = image.size
        ratio = w / h
        if ratio < low or ratio > high:
            new = (round(h * low), h) if ratio < low else (w, round(w / high))
            padded = Image.new("RGB", new, (255, 255, 255))
            padded.paste(image, ((new[0] - w) // 2, (new[1] - h) // 2))
            image = padded
    if image.width > width:
        # reducing_gap: a box reduction first, then Lanczos over the last factor (much faster on photos)
        image = image.resize((width, round(image.height * width / image.width)), Image.Resampling.LANCZOS,
                             reducing_gap=3.0)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=False)
    return out.getvalue(), image.width, image.height


@lru_cache(maxsize=16)
def _flattened(path: str, mtime_ns: int):
    """The image decoded once for every channel's size: RGB, transparency flattened on white."""
    from PIL import Image

    with Image.open(path) as opened:
        if opened.mode in ("RGBA", "LA", "PA") or (opened.mode == "P" and "transparency" in opened.info):
            image = opened.convert("RGBA")
            background = Image.new("RGBA", image.size, (255, 255, 255, 255))
            return Image.alpha_composite(background, image).convert("RGB")
        return opened.convert("RGB")


def _kit_images(kit_dir: str, folder: str, media: Iterable[MediaItem], width: int, files: dict[str, bytes],
                frame: tuple[float, float] | None = None) -> tuple[KitImage, ...]:
    images = []
    for number, item in enumerate(media, start=1):
        if not item.path or not Path(item.path).is_file():
            continue  # an image from elsewhere: the placeholder and the alt text still say what goes there
        data, w, h = resize_image(Path(item.path), width, frame=frame)
        name = f"images/{folder}/{number:02d}.jpg"
        files[kit_dir + name] = data
        images.append(KitImage(number, number_label(number), item.alt, kit_dir + name, name, w, h, len(data)))
    return tuple(images)


def instagram_caption(post: Post, link: str) -> str:
    """Title, summary, where to read the rest, hashtags: within 2,200 characters and 30 hashtags."""
    tags = hashtags(post.tags, limit=INSTAGRAM_HASHTAG_LIMIT)
    tail = "\n\n전체 글은 프로필의 링크에서 읽을 수 있습니다.\n" + link + ("\n\n" + " ".join(tags) if tags else "")
    head = f"{post.title}\n\n{post.overrides.get('instagram') or post.summary}"
    return cut(head, INSTAGRAM_CAPTION_LIMIT - utf16_length(tail)) + tail


def done_command(post_id: str, channel: str = "<채널>") -> str:
    return f".venv/bin/site-builder publish done {post_id} {channel} <올린 글 주소>"


def _steps(channel: ManualChannel, post: Post, html_file: str) -> tuple[str, ...]:
    done = done_command(post.id, channel.name)
    if channel.name == "kakao_channel":
        return ("카카오톡 채널 관리자센터에서 ‘소식 작성’을 엽니다.",
                "이미지를 번호 순서대로 올리고, 이미지마다 옆에 적힌 대체 텍스트를 넣습니다.",
                "제목, 본문, 버튼 이름, 버튼 링크를 하나씩 복사해 붙여 넣습니다.",
                "미리보기에서 버튼이 원문으로 가는지 확인하고 발행합니다.",
                f"발행한 소식의 주소를 복사해 기록합니다: {done}")
    editor = "스마트에디터 ONE을" if channel.name == "naver_blog" else "브런치 글쓰기 화면을"
    return (f"{channel.label} {editor} 열고 제목을 복사해 붙여 넣습니다.",
            f"‘본문 복사’로 본문을 복사해 붙여 넣습니다 (파일로는 {html_file}).",
            "[이미지 NN] 자리마다 같은 번호의 이미지를 올리고 그 자리 표시 문단을 지웁니다.",
            "이미지마다 옆에 적힌 대체 텍스트를 넣습니다.",
            "태그를 넣고, 원문 링크 문단이 남아 있는지 확인한 뒤 발행합니다.",
            f"발행한 글의 주소를 복사해 기록합니다: {done}")


def build_kit(catalog: Catalog, article: Article, channels: Iterable[str],
              options: Mapping[str, dict] | None = None, *, instagram_automatic: bool = False) -> Kit:
    """The kit of one article for these manual channels (names from MANUAL_CHANNELS), with its files;
    options: per channel, the account options of mkdocs.yml (utm, Kakao limits and button label)."""
    post = post_for(catalog, article)
    path = kit_path(article.id)
    site = {"site_name": catalog.config.brand or catalog.config.site_name}
    files: dict[str, bytes] = {}
    sections = []
    for name in channels:
        channel = MANUAL_CHANNELS[name]()
        draft = channel.render(post, "main", {**site, **dict((options or {}).get(name) or {})})
        html_file = f"{name}.html" if name != "kakao_channel" else ""
        if html_file:
            files[path + html_file] = (draft.extra["html"] + "\n").encode("utf-8")
        images = _kit_images(path, name, draft.media, channel.image_width, files)
        counts = {key: utf16_length(draft.extra[key]) for key in ("title", "body", "button_label") if key in draft.extra}
        sections.append(KitSection(name, channel.label, draft, tuple(channel.validate(draft)), images,
                                   _steps(channel, post, html_file), html_file, counts,
                                   channel.image_width))
    insta_link = with_utm(post.url, "instagram", post.id)
    caption = instagram_caption(post, insta_link)
    insta_images = _kit_images(path, "instagram", post.media, INSTAGRAM_WIDTH, files, frame=(0.8, 1.91))
    kit = Kit(post, path, tuple(sections), caption, insta_images, done_command(post.id), files, instagram_automatic)
    files.update(_text_files(kit))
    return kit


def _text_files(kit: Kit) -> dict[str, bytes]:
    path, post = kit.path, kit.post
    alt_lines = [f"{number_label(n)} {m.alt}" for n, m in enumerate(_all_media(kit), start=1)]
    out = {path + "alt.txt": ("\n".join(alt_lines) + "\n").encode("utf-8"),
           path + "instagram-caption.txt": (kit.instagram_caption + "\n").encode("utf-8")}
    kakao = next((s for s in kit.sections if s.channel == "kakao_channel"), None)
    if kakao:
        e = kakao.draft.extra
        out[path + "kakao-channel.txt"] = (f"제목: {e['title']}\n\n본문:\n{e['body']}\n\n"
                                          f"버튼 이름: {e['button_label']}\n버튼 링크: {e['button_url']}\n").encode("utf-8")
    lines = [f"# 발행 키트: {post.title}", "", f"원문: {post.url}", f"키트: {kit.path}", ""]
    for section in kit.sections:
        lines += [f"## {section.label}", ""]
        lines += [f"- [ ] {step}" for step in section.steps]
        lines.append("")
    if kit.instagram_automatic:
        lines += ["## 인스타그램", "", "발행기가 인스타그램 API로 올립니다. 손으로 올리지 않습니다(두 번 올라갑니다).", ""]
    else:
        lines += ["## 인스타그램 (직접 올릴 때)", "", "- [ ] 이미지를 번호 순서대로 올리고 대체 텍스트를 넣습니다.",
                  "- [ ] instagram-caption.txt의 설명을 붙여 넣고 게시합니다.",
                  "- [ ] 인스타그램은 발행기 설정(mkdocs.yml)에 없어 기록 명령이 없습니다: 게시물 주소를 "
                  "편집팀 기록에 남깁니다.", ""]
    out[path + "checklist.md"] = "\n".join(lines).encode("utf-8")
    return out


def _all_media(kit: Kit) -> tuple[MediaItem, ...]:
    for section in kit.sections:
        if section.draft.media:
            return section.draft.media
    return kit.post.media


def build_kits(catalog: Catalog, pending: Mapping[str, Iterable[str]],
               options: Mapping[str, dict] | None = None) -> list[Kit]:
    """A kit for every article id in `pending` that the catalog shows, for its manual channels in
    the order of MANUAL_CHANNELS; unknown ids and channels without a kit are left out.
    options: per channel (None: the first account's options in mkdocs.yml)."""
    automatic = "instagram" in configured_channels(catalog.config)
    if options is None:
        options = manual_options(catalog.config)
    kits = []
    for article_id in sorted(pending):
        article = catalog.article(article_id)
        channels = [c for c in MANUAL_CHANNELS if c in set(pending[article_id])]
        if article is not None and channels:
            kits.append(build_kit(catalog, article, channels, options, instagram_automatic=automatic))
    return kits


def _accounts(config: SiteConfig):
    from ..errors import ConfigError
    from .settings import load_publish_settings

    try:
        return load_publish_settings(config).accounts
    except ConfigError:
        return ()   # `site-builder publish` reports the mistakes; a build makes no kit meanwhile


def _manual_accounts(config: SiteConfig):
    return [a for a in _accounts(config) if a.channel in MANUAL_CHANNELS]


def configured_channels(config: SiteConfig) -> set[str]:
    """Names of the channels mkdocs.yml configures for the publisher."""
    return {a.channel for a in _accounts(config)}


def manual_options(config: SiteConfig) -> dict[str, dict]:
    """Per manual channel, the options of its first account in mkdocs.yml."""
    found: dict[str, dict] = {}
    for account in _manual_accounts(config):
        found.setdefault(account.channel, account.options)
    return found


def pending_kits(config: SiteConfig, ledger=None) -> dict[str, list[str]]:
    """Article id -> manual channels whose ledger row is `manual_pending` (a kit waits for a person).

    Without a manual channel in mkdocs.yml (extra.site_builder.publish.channels) the ledger is not
    opened; a SQLite ledger file that does not exist yet is not created by a build."""
    accounts = {(a.channel, a.account) for a in _manual_accounts(config)}
    if not accounts:
        return {}
    if ledger is None:
        from ..db import database_url
        from .ledger import open_ledger

        url = database_url(config.root)
        if url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).exists():
            return {}
        ledger = open_ledger(url)
    from .ledger import MANUAL_PENDING

    found: dict[str, list[str]] = {}
    for row in ledger.rows_for(states=[MANUAL_PENDING]):
        if (row.channel, row.account) in accounts and row.channel not in found.get(row.article_id, []):
            found.setdefault(row.article_id, []).append(row.channel)
    return found
