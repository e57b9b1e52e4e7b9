"""Share images: every page of the built sample tells KakaoTalk, Facebook and X which 1200×630 picture
to show, and that picture is in the site; titles wrap between Korean words; the same inputs give the
same bytes (builds stay byte-identical) and a changed title a new image; a drawn card is a small palette
PNG that looks like what was drawn, a card with a photograph a JPEG."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from site_builder.site.share_images import HEIGHT, WIDTH, ShareCard, ShareImages, find_font, wrap_korean

REPO = Path(__file__).resolve().parents[2]
SITE_URL = "https://yours.example.org/"


class _Meta(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.redirect = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta":
            key = a.get("property") or a.get("name")
            if key and key not in self.meta:
                self.meta[key] = a.get("content", "")
            if a.get("http-equiv") == "refresh":
                self.redirect = True


def _head(path: Path) -> _Meta:
    parser = _Meta()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_page_of_the_sample_has_a_share_image_that_exists_at_1200_by_630(built_sample: Path) -> None:
    site = built_sample / "site"
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 100
    missing, seen = [], {}
    for page in pages:
        head = _head(page)
        if head.redirect:
            continue
        rel = page.relative_to(site).as_posix()
        meta = head.meta
        url = meta.get("og:image", "")
        if not url.startswith(SITE_URL):
            missing.append(f"{rel}: og:image {url!r}")
            continue
        assert meta.get("twitter:card") == "summary_large_image", rel
        assert meta.get("twitter:image") == url, rel
        assert (meta.get("og:image:width"), meta.get("og:image:height")) == ("1200", "630"), rel
        assert meta.get("og:image:alt"), rel
        file = site / url[len(SITE_URL):]
        assert file.is_file(), f"{rel}: {url} is not in the site"
        if file not in seen:
            with Image.open(file) as image:
                seen[file] = (image.size, Image.MIME[image.format])
            assert file.stat().st_size < 300_000, f"{file.name}: {file.stat().st_size} bytes"
        assert seen[file] == ((WIDTH, HEIGHT), meta.get("og:image:type")), rel
    assert missing == []
    # the pages the issue named: the home page, every article, the newsletter pages
    for rel in ("index.html", "newsletter/index.html", "cardnews/youth-budget-in-seven-steps/index.html"):
        assert _head(site / rel).meta["og:image"].startswith(SITE_URL + "assets/og/")


def test_card_news_shares_its_first_slide(built_sample: Path) -> None:
    site = built_sample / "site"
    meta = _head(site / "cardnews" / "youth-budget-in-seven-steps" / "index.html").meta
    # a JPEG: scaled to the card's height, the slide's text has thousands of colours (share_images.FLAT_SHARE)
    assert meta["og:image:type"] == "image/jpeg"
    with Image.open(site / meta["og:image"][len(SITE_URL):]) as share, \
            Image.open(REPO / "content/images/cardnews/youth-budget-in-seven-steps-01.png") as slide:
        # the slide fills the image's height on the right: the right edge's column is the slide's, scaled
        share_rgb, slide_rgb = share.convert("RGB"), slide.convert("RGB")
        scale = HEIGHT / slide.height
        for y in (100, 315, 500):
            a = share_rgb.getpixel((WIDTH - 40, y))
            b = slide_rgb.getpixel((slide.width - 1 - round(39 / scale), round(y / scale)))
            assert all(abs(p - q) < 40 for p, q in zip(a, b)), (y, a, b)


def test_titles_wrap_only_between_words_and_keep_numbers_whole() -> None:
    measure = len  # one unit a character
    title = "청년자치정부 추진위원회는 26,500명의 목소리를 무엇으로 결정하는가"
    lines = wrap_korean(title, 9, measure, max_lines=6)
    assert lines == ["청년자치정부", "추진위원회는", "26,500명의", "목소리를 무엇으로", "결정하는가"]
    assert " ".join(lines) == title
    assert wrap_korean(title, 9, measure, max_lines=2) == ["청년자치정부", "추진위원회는…"]
    # only a word longer than a whole line is cut
    assert wrap_korean("가나다라마바사", 4, measure, max_lines=3) == ["가나다라", "마바사"]


def test_same_inputs_draw_the_same_bytes_and_a_new_title_a_new_image(tmp_path: Path) -> None:
    assert find_font() is not None, "no Korean font: make test installs fonts-noto-cjk (scripts/system-deps.sh)"
    images = ShareImages("유어스", tmp_path / "cache")
    card = ShareCard("청년자치정부는 무엇을 결정하는가", "인터뷰")
    first = images.write(card, tmp_path / "a")
    again = ShareImages("유어스", tmp_path / "other-cache").write(card, tmp_path / "b")
    assert first.path == again.path and re.fullmatch(r"assets/og/[0-9a-f]{20}\.png", first.path)
    assert (tmp_path / "a" / first.path).read_bytes() == (tmp_path / "b" / again.path).read_bytes()
    assert (tmp_path / "cache" / Path(first.path).name).is_file()  # cached for the next build
    changed = images.write(ShareCard("청년자치정부는 무엇을 결정했는가", "인터뷰"), tmp_path / "a")
    assert changed.path != first.path  # a new address: sharing services fetch the new picture


def test_without_a_korean_font_the_image_is_still_made_and_the_operator_told(tmp_path: Path, caplog) -> None:
    images = ShareImages("유어스", tmp_path / "cache")
    images.font = None  # as on a machine without fonts-noto-cjk
    made = images.write(ShareCard("제목", "인터뷰"), tmp_path / "site")
    with Image.open(tmp_path / "site" / made.path) as image:
        assert image.size == (WIDTH, HEIGHT)
    assert "fonts-noto-cjk" in caplog.text


def _largest_difference(a: Image.Image, b: Image.Image) -> int:
    return max(high for _, high in ImageChops.difference(a.convert("RGB"), b.convert("RGB")).getextrema())


def test_a_text_card_is_a_palette_png_that_looks_as_drawn_at_a_fraction_of_a_jpegs_bytes(tmp_path: Path) -> None:
    images = ShareImages("유어스", tmp_path / "cache")
    card = ShareCard("청년자치정부 추진위원회는 26,500명의 목소리를 무엇으로 결정하는가", "간담회·회의 스케치")
    made = images.write(card, tmp_path / "site", alt="제목 — 간담회·회의 스케치, 유어스")
    assert made.mime == "image/png" and made.path.endswith(".png")
    drawn = images.draw(card)
    with Image.open(tmp_path / "site" / made.path) as share:
        assert (share.format, share.mode, share.size) == ("PNG", "P", (WIDTH, HEIGHT))
        # the same picture: flat areas exact, anti-aliased edges within a few levels of 255
        assert _largest_difference(share, drawn) <= 24
        assert ImageStat.Stat(ImageChops.difference(share.convert("RGB"), drawn)).mean < [0.5, 0.5, 0.5]
    jpeg = io.BytesIO()
    drawn.save(jpeg, "JPEG", quality=85, subsampling=0)  # how these cards were stored before
    assert (tmp_path / "site" / made.path).stat().st_size * 3 < len(jpeg.getvalue())


def test_a_card_with_a_photograph_is_a_jpeg(tmp_path: Path) -> None:
    photo = tmp_path / "photo.png"  # noise stands for a photograph: far too many colours for a palette
    Image.merge("RGB", [Image.effect_noise((800, 600), 60 + 10 * band) for band in range(3)]).save(photo)
    images = ShareImages("유어스", tmp_path / "cache")
    card = ShareCard("현장 사진과 함께", "인터뷰", picture=photo)
    made = images.write(card, tmp_path / "site")
    assert made.mime == "image/jpeg" and made.path.endswith(".jpg")
    with Image.open(tmp_path / "site" / made.path) as share:
        assert (share.format, share.size) == ("JPEG", (WIDTH, HEIGHT))
        assert _largest_difference(share.crop((0, 0, 400, HEIGHT)), images.draw(card).crop((0, 0, 400, HEIGHT))) < 80
    # a second build finds it in the cache under its own suffix, and gives the same address
    again = ShareImages("유어스", tmp_path / "cache").write(card, tmp_path / "site-2")
    assert again.path == made.path and (tmp_path / "site-2" / again.path).is_file()
