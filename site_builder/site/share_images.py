"""Share images: the 1200×630 picture KakaoTalk, Facebook and X show when a page is shared.

One image per distinct (title, label, picture): the page's title wrapped by Korean rules (only between
words), its kind (인터뷰, 카드뉴스, ...) or page type, and the brand; card news shows its first slide
whole, an article with a lead image shows it beside the text. Images are made with Pillow, cached
under .cache/site-builder/og/ by a hash of everything they are drawn from, and named by that hash in
the site (assets/og/<hash>.png or .jpg), so a changed title gets a new address and sharing services
fetch it again. Rendering is deterministic: the same inputs give the same bytes in every build.

The encoding follows what was drawn: a card of flat colours and anti-aliased text (every card without
a picture, and most slides and drawn covers) has a few hundred distinct colours, and its 256 commonest
cover all but a few edge pixels: it is stored as a palette PNG of those colours, about a fifth of the
JPEG's bytes with no visible change (benchmarks/build.md, "Issue 15: output size"). A photograph has
thousands and is stored as a JPEG (4:4:4, so coloured text stays sharp). Facebook, KakaoTalk and X
accept both."""

from __future__ import annotations

import hashlib
import io
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps

log = logging.getLogger("mkdocs.plugins.site_builder")

VERSION = "3"  # bump when the drawing below changes: old cache entries are then never used
WIDTH, HEIGHT = 1200, 630
SITE_FOLDER = "assets/og"
SUFFIXES = {".png": "image/png", ".jpg": "image/jpeg"}
# A card is flat drawing, stored as a palette PNG, when it has at most FLAT_COLOURS distinct colours
# (text cards have 400-700, most of them on the anti-aliased edges; a photograph has 100,000 and more)
# and its 256 commonest colours cover FLAT_SHARE of its pixels (text cards: 99.8-99.98 %); the other
# pixels take the nearest of those. Else it is a JPEG.
FLAT_COLOURS = 2048
FLAT_SHARE = 0.995

# Debian/Ubuntu fonts-noto-cjk (scripts/system-deps.sh), then other common places; SB_SHARE_FONT wins.
FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto-cjk/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Bold.ttc",
    "/System/Library/Fonts/AppleSDGothicNeo.ttc",
)
KOREAN_FACE = "Noto Sans CJK KR"

BRAND = (11, 92, 107)        # --md-primary-fg-color
BRAND_DARK = (7, 65, 76)
ACCENT = (255, 224, 138)     # the footer's highlight
WHITE = (255, 255, 255)
SOFT = (214, 234, 238)

MARGIN = 72


@dataclass(frozen=True)
class ShareCard:
    """What a share image is drawn from."""

    title: str
    label: str                    # 인터뷰, 카드뉴스, 목록, 뉴스레터 ...
    picture: Path | None = None   # a content image: the first card-news slide or the lead image
    whole: bool = False           # True: the picture takes the larger part (card news' first slide)


@dataclass(frozen=True)
class ShareImage:
    """A share image in the built site."""

    path: str      # site path, e.g. assets/og/1f2e....png
    mime: str
    alt: str
    width: int = WIDTH
    height: int = HEIGHT


def find_font() -> Path | None:
    """Return a font file with Hangul glyphs, or None."""
    wanted = os.environ.get("SB_SHARE_FONT")
    for candidate in ((wanted,) if wanted else ()) + FONT_CANDIDATES:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def _face_index(font: Path) -> int:
    """The Korean face of a collection (Noto Sans CJK holds JP, KR, SC, TC, HK)."""
    if font.suffix.lower() != ".ttc":
        return 0
    for index in range(8):
        try:
            face = ImageFont.truetype(str(font), 20, index=index)
        except OSError:
            break
        if face.getname()[0] == KOREAN_FACE:
            return index
    return 0


def wrap_korean(text: str, width: float, measure, max_lines: int) -> list[str]:
    """Lines of text no wider than width, broken only between words (Korean line breaking keeps
    a word whole); a word wider than a whole line is cut by characters. Past max_lines the last
    line ends with an ellipsis, at a word boundary when one fits."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if measure(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = word
        while measure(line) > width:  # only a word longer than the line itself
            cut = len(line) - 1
            while cut > 1 and measure(line[:cut]) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
    if line:
        lines.append(line)
    if len(lines) <= max_lines:
        return lines
    kept = lines[:max_lines]
    last = kept[-1]
    while last and measure(last + "…") > width:
        last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
    kept[-1] = last.rstrip() + "…"
    return kept


def encode(canvas: Image.Image) -> bytes:
    """A drawn card's bytes: a palette PNG when it is flat drawing, else a JPEG."""
    out = io.BytesIO()
    colours = canvas.getcolors(FLAT_COLOURS)
    if colours is not None:
        kept = sorted(colours, reverse=True)[:256]  # (count, colour): the same order in every build
        if sum(count for count, _ in kept) >= FLAT_SHARE * canvas.width * canvas.height:
            # The drawn colours themselves, not a quantizer's (Pillow's octree and median cut move flat
            # areas by up to 14 of 255 and cost 2-5 times as much); no dithering: flat areas stay flat.
            # zlib level 3: 3 ms; level 6 makes 20 % fewer bytes in twice the time (benchmarks/build.md).
            palette = Image.new("P", (1, 1))
            palette.putpalette([value for _, colour in kept for value in colour])
            canvas.quantize(palette=palette, dither=Image.Dither.NONE).save(out, "PNG", compress_level=3)
            return out.getvalue()
    # optimize: Huffman tables made for this image (the same pixels as before, about 15 % fewer bytes)
    canvas.save(out, "JPEG", quality=85, subsampling=0, optimize=True)
    return out.getvalue()


class ShareImages:
    """Makes share images into a site folder, through a cache shared by builds of one project."""

    def __init__(self, site_name: str, cache_dir: Path, font: Path | None = None) -> None:
        self.site_name = site_name
        self.cache_dir = cache_dir
        self.font = font if font is not None else find_font()
        self._font_index = _face_index(self.font) if self.font else 0
        self._fonts: dict[int, ImageFont.FreeTypeFont] = {}
        self._warned = False
        self._pictures: dict[tuple, bytes] = {}

    # what and where
    def key(self, card: ShareCard) -> str:
        """Hash of everything the image is drawn from (so also of the font and of this code's VERSION)."""
        h = hashlib.sha256()
        for part in (VERSION, self.site_name, card.title, card.label, str(card.whole),
                     self.font.name if self.font else "-", str(self._font_index)):
            h.update(part.encode("utf-8") + b"\0")
        if card.picture is not None:
            h.update(self._picture_hash(card.picture))
        return h.hexdigest()[:20]

    def _picture_hash(self, path: Path) -> bytes:
        """Hash of a picture's bytes, once per file and build (a slide or cover may be on several pages)."""
        try:
            st = path.stat()
        except OSError:
            return b"missing"
        seen = (str(path), st.st_size, st.st_mtime_ns)
        if seen not in self._pictures:
            self._pictures[seen] = hashlib.sha256(path.read_bytes()).digest()
        return self._pictures[seen]

    @staticmethod
    def _image(key: str, suffix: str, alt: str) -> ShareImage:
        return ShareImage(f"{SITE_FOLDER}/{key}{suffix}", SUFFIXES[suffix], alt)

    @staticmethod
    def _photo(card: ShareCard) -> bool:
        return card.picture is not None and card.picture.is_file()

    # making
    def write(self, card: ShareCard, site_dir: Path, alt: str = "") -> ShareImage:
        """Put the card's image into site_dir (from the cache, drawing it first if needed); return it."""
        key = self.key(card)
        for suffix in SUFFIXES:  # the encoding is known once drawn: the site, then the cache, has it
            made = self._image(key, suffix, alt)
            if (site_dir / made.path).is_file():
                return made
        for suffix in SUFFIXES:
            cached = self.cache_dir / f"{key}{suffix}"
            if cached.is_file():
                break
        else:
            data = self.render(card)
            suffix = ".png" if data.startswith(b"\x89PNG") else ".jpg"
            cached = self.cache_dir / f"{key}{suffix}"
            self._store(cached, data)
        made = self._image(key, suffix, alt)
        target = site_dir / made.path
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(cached, target)   # nothing writes to these files: the cache stays as it was
        except FileExistsError:
            pass                      # another renderer process put the same image there first
        except OSError:
            if not target.exists():   # a file system without hard links; else another process was first
                shutil.copyfile(cached, target)
        return made

    def _store(self, path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".og-")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a web server must read it
        os.replace(tmp, path)  # renderer processes may draw the same image at once: last one wins, same bytes

    def _font(self, size: int):
        if size not in self._fonts:
            # the basic layout: Hangul needs no shaping, it is faster, and the bytes do not depend on libraqm
            self._fonts[size] = ImageFont.truetype(str(self.font), size, index=self._font_index,
                                                   layout_engine=ImageFont.Layout.BASIC)
        return self._fonts[size]

    def render(self, card: ShareCard) -> bytes:
        """The image's bytes: a palette PNG for flat drawing, a JPEG for a photograph."""
        return encode(self.draw(card))

    def draw(self, card: ShareCard) -> Image.Image:
        """The image as drawn, before encoding."""
        canvas = Image.new("RGB", (WIDTH, HEIGHT), BRAND)
        draw = ImageDraw.Draw(canvas)
        text_width = WIDTH - 2 * MARGIN
        if self._photo(card):
            with Image.open(card.picture) as source:
                picture = ImageOps.exif_transpose(source).convert("RGB")
            if card.whole:  # card news: the first slide whole, on the right, at full height
                picture = ImageOps.contain(picture, (WIDTH - 480, HEIGHT), Image.Resampling.LANCZOS)
            else:           # a lead image, whole (covers of this archive often hold text): the right half
                picture = ImageOps.contain(picture, (WIDTH // 2, HEIGHT), Image.Resampling.LANCZOS)
            left = WIDTH - picture.width
            canvas.paste(picture, (left, (HEIGHT - picture.height) // 2))
            text_width = left - MARGIN - 48
        draw.rectangle((0, 0, 16, HEIGHT), fill=ACCENT)
        if self.font is None:
            if not self._warned:
                log.warning("공유 이미지: 한글 글꼴(Noto Sans CJK)이 없어 글자 없는 브랜드 이미지만 만듭니다 — "
                            "fonts-noto-cjk를 설치하거나(bash scripts/system-deps.sh) SB_SHARE_FONT에 글꼴 파일을 지정하세요")
                self._warned = True
        else:
            self._draw_text(draw, card, text_width)
        return canvas

    def _draw_text(self, draw: ImageDraw.ImageDraw, card: ShareCard, width: int) -> None:
        label_font = self._font(30)
        pad = 14
        label_w = draw.textlength(card.label, font=label_font)
        draw.rounded_rectangle((MARGIN, MARGIN, MARGIN + label_w + 2 * pad, MARGIN + 30 + 2 * pad),
                               radius=8, fill=ACCENT)
        draw.text((MARGIN + pad, MARGIN + pad + 15), card.label, font=label_font, fill=BRAND_DARK, anchor="lm")
        top, bottom = MARGIN + 30 + 2 * pad + 40, HEIGHT - MARGIN - 60
        for size in (64, 56, 48, 42):  # the largest size at which the title fits in four lines
            font = self._font(size)
            line_height = round(size * 1.35)
            max_lines = min(4, (bottom - top) // line_height)
            lines = wrap_korean(card.title, width, lambda s, f=font: draw.textlength(s, font=f), max_lines)
            if not lines[-1].endswith("…") or size == 42:
                break
        for i, line in enumerate(lines):
            draw.text((MARGIN, top + i * line_height), line, font=font, fill=WHITE)
        brand_font = self._font(34)
        draw.text((MARGIN, HEIGHT - MARGIN), self.site_name, font=brand_font, fill=SOFT, anchor="ls")
