#!/usr/bin/env python3
"""Make the sample media of the 유어스 archive under content/.

Everything is drawn from the content itself, so the pictures always agree with the text:

* author avatars (200x200 PNG, initials) from content/authors.yml;
* article covers (1200x630 JPEG) for every article whose front matter has `cover:`,
  showing the kind, the title and the date;
* card news slides (720x720 palette PNG) from each card news' `slides:` list, showing
  exactly the slide's `text`;
* the infographic (budget of the second half of 2018, 900 px wide PNG);
* the video: four 1920/4 x 1080/4 frames turned into a silent 20-second MP4 with Debian's
  ffmpeg, its poster JPEG and (already committed, written by hand) its WebVTT captions.

Run with the project's venv:  .venv/bin/python scripts/make_sample_images.py
Needs Pillow and a Korean font (Debian: fonts-noto-cjk) and, for the video, ffmpeg.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"

sys.path.insert(0, str(ROOT))
from site_builder.config import KINDS as KIND_LABELS  # noqa: E402

# Calm background / accent / text colours per kind.
PALETTES = {
    "interview": ("#e8f1ee", "#2f6f5e", "#1d2b27"),
    "column": ("#f3efe6", "#8a5a2b", "#2b2119"),
    "meeting": ("#e9eef6", "#2d5a8c", "#18222e"),
    "feature": ("#f1ebf4", "#6b4a86", "#241a2b"),
    "cardnews": ("#eef3f8", "#2d5a8c", "#17202a"),
    "video": ("#1f2a36", "#f2c14e", "#ffffff"),
    "infographic": ("#ffffff", "#2d5a8c", "#1b1b1b"),
}
AVATAR_COLOURS = ["#2f6f5e", "#2d5a8c", "#6b4a86", "#8a5a2b", "#7a3b4c", "#3f6b2a", "#4b5563", "#925f14"]

FONT_CANDIDATES = {
    "regular": [
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    ],
    "bold": [
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
        "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc",
    ],
}
KR_INDEX = 1  # index of "Noto Sans CJK KR" inside the Debian .ttc collections


def find_font(weight: str) -> tuple[str, int]:
    """Return (path, index) of a Korean font: fc-match first, then known Debian paths."""
    pattern = "Noto Sans CJK KR:style=" + ("Bold" if weight == "bold" else "Regular")
    if shutil.which("fc-match"):
        out = subprocess.run(
            ["fc-match", "-f", "%{file}|%{index}|%{family}", pattern],
            capture_output=True, text=True, check=False,
        ).stdout.strip()
        parts = out.split("|")
        if len(parts) == 3 and "CJK" in parts[2] and Path(parts[0]).exists():
            return parts[0], int(parts[1] or 0)
    for path in FONT_CANDIDATES[weight]:
        if Path(path).exists():
            return path, KR_INDEX
    sys.exit("한글 글꼴을 찾지 못했습니다: apt-get install -y fonts-noto-cjk 로 설치하세요.")


_FONT_CACHE: dict[tuple[str, int], ImageFont.FreeTypeFont] = {}


def font(size: int, weight: str = "regular") -> ImageFont.FreeTypeFont:
    key = (weight, size)
    if key not in _FONT_CACHE:
        path, index = find_font(weight)
        _FONT_CACHE[key] = ImageFont.truetype(path, size, index=index)
    return _FONT_CACHE[key]


def wrap(text: str, fnt: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Wrap Korean text to `width` pixels, breaking at spaces when possible."""
    lines: list[str] = []
    for para in text.split("\n"):
        words = para.split(" ")
        line = ""
        for word in words:
            trial = (line + " " + word) if line else word
            if fnt.getlength(trial) <= width:
                line = trial
                continue
            if line:
                lines.append(line)
            # a single word longer than the line: break by characters
            line = ""
            for ch in word:
                if fnt.getlength(line + ch) > width and line:
                    lines.append(line)
                    line = ch
                else:
                    line += ch
        lines.append(line)
    return lines


def draw_lines(draw, xy, lines, fnt, fill, spacing=1.45):
    x, y = xy
    step = int(fnt.size * spacing)
    for line in lines:
        draw.text((x, y), line, font=fnt, fill=fill)
        y += step
    return y


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    m = re.match(r"^---\n(.*?)\n---\n", text, re.S)
    return yaml.safe_load(m.group(1)) if m else {}


def save_png(img: Image.Image, path: Path, colours: int = 64) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    img.convert("RGB").quantize(colors=colours, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def save_jpg(img: Image.Image, path: Path, quality: int = 80) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    img.convert("RGB").save(path, quality=quality, optimize=True, progressive=True)


# ---------------------------------------------------------------- avatars
def make_avatars() -> list[Path]:
    authors = yaml.safe_load((CONTENT / "authors.yml").read_text(encoding="utf-8")) or []
    made = []
    for i, a in enumerate(authors):
        if not a.get("photo"):
            continue
        name = a["name"]
        initials = name[1:3] if len(name) >= 3 else name
        img = Image.new("RGB", (200, 200), "#ffffff")
        d = ImageDraw.Draw(img)
        d.ellipse((0, 0, 199, 199), fill=AVATAR_COLOURS[i % len(AVATAR_COLOURS)])
        f = font(64, "bold")
        w = f.getlength(initials)
        d.text(((200 - w) / 2, 100), initials, font=f, fill="#ffffff", anchor="lm")
        out = CONTENT / a["photo"]
        save_png(img, out, 32)
        made.append(out)
    return made


# ---------------------------------------------------------------- covers
def make_cover(kind: str, title: str, date: str, series: str | None, out: Path) -> None:
    bg, accent, ink = PALETTES.get(kind, PALETTES["feature"])
    img = Image.new("RGB", (1200, 630), bg)
    d = ImageDraw.Draw(img)
    # simple geometric motif: stacked bars on the right, like a timeline
    for i in range(6):
        x0 = 860 + i * 45
        h = 120 + (i * 53) % 260
        d.rounded_rectangle((x0, 560 - h, x0 + 28, 560), radius=10, fill=accent if i % 2 == 0 else ink)
    d.rectangle((0, 0, 24, 630), fill=accent)
    d.text((80, 70), "유어스 · " + KIND_LABELS.get(kind, kind), font=font(30, "bold"), fill=accent)
    lines = wrap(title, font(56, "bold"), 720)[:4]
    y = draw_lines(d, (80, 140), lines, font(56, "bold"), ink, 1.35)
    meta = date if not series else f"{date}  |  {series}"
    d.text((80, max(y + 30, 500)), meta, font=font(28), fill=ink)
    save_jpg(img, out, 80)


SERIES_NAMES = {
    "prep-diary": "준비 일지",
    "open-table": "오픈테이블",
    "generation-balance": "세대균형을 묻다",
    "policy-explained": "한눈에 보는 청년자치정부",
    "citizen-proposal": "시민제안",
    "n-conference": "N개의 컨퍼런스",
}


def articles():
    for kind in KIND_LABELS:
        for path in sorted((CONTENT / kind).glob("*.md")):
            yield kind, path, front_matter(path)


def make_covers() -> list[Path]:
    made = []
    for kind, _path, fm in articles():
        if fm.get("cover"):
            out = CONTENT / fm["cover"]
            make_cover(kind, fm["title"], str(fm["date"])[:10], SERIES_NAMES.get(fm.get("series")), out)
            made.append(out)
    return made


# ---------------------------------------------------------------- card news
def make_slide(text: str, number: int, total: int, title: str, out: Path) -> None:
    bg, accent, ink = PALETTES["cardnews"]
    img = Image.new("RGB", (720, 720), bg)
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, 720, 14), fill=accent)
    d.text((48, 48), "유어스 카드뉴스", font=font(24, "bold"), fill=accent)
    d.text((672, 48), f"{number}/{total}", font=font(24), fill=ink, anchor="ra")
    size = 44 if number == 1 else 36
    body = font(size, "bold" if number == 1 else "regular")
    lines = wrap(text, body, 620)
    block = len(lines) * int(size * 1.5)
    y0 = max(120, (720 - block) // 2)
    draw_lines(d, (50, y0), lines, body, ink, 1.5)
    d.line((48, 650, 672, 650), fill=accent, width=2)
    d.text((48, 664), title, font=font(20), fill=ink)
    save_png(img, out, 32)


def make_cardnews() -> list[Path]:
    made = []
    for kind, _path, fm in articles():
        if kind != "cardnews":
            continue
        slides = fm.get("slides") or []
        for i, s in enumerate(slides, 1):
            out = CONTENT / s["image"]
            make_slide(s["text"], i, len(slides), fm["title"], out)
            made.append(out)
    return made


# ---------------------------------------------------------------- infographic
BUDGET = [  # (구분, 세부사업, 금액 천원)
    ("네트워크 구축 및 공론의 장 운영", "청년자치정부 추진위원회 구성 및 운영", 26500),
    ("네트워크 구축 및 공론의 장 운영", "'찾아가는 청년자치정부' 추진", 6000),
    ("혁신프로젝트 발굴", "혁신가 그룹 연계 N개의 혁신프로젝트 도출", 6000),
    ("공감대 형성", "시민소통 및 아카이빙 채널 개설", 20000),
    ("대내외 기반 마련", "출범 위한 행·재정 여건 마련과 대내외 협력", 1500),
]
BAR_COLOURS = ["#2d5a8c", "#5b8cc0", "#2f6f5e", "#c0892b", "#7a3b4c"]


def make_infographic(out: Path) -> None:
    W, H = 900, 1200
    img = Image.new("RGB", (W, H), "#ffffff")
    d = ImageDraw.Draw(img)
    ink, muted = "#1b1b1b", "#4b5563"
    d.rectangle((0, 0, W, 10), fill="#2d5a8c")
    d.text((48, 44), "서울시 청년자치정부 준비", font=font(26, "bold"), fill="#2d5a8c")
    d.text((48, 84), "2018년 하반기 예산 6천만 원,", font=font(44, "bold"), fill=ink)
    d.text((48, 140), "어디에 쓰이나", font=font(44, "bold"), fill=ink)
    d.text((48, 204), "단위: 천 원 · 총액 60,000천 원(6천만 원)", font=font(22), fill=muted)

    # stacked proportion bar
    total = sum(b[2] for b in BUDGET)
    x, y0, bw = 48, 258, W - 96
    for (_, _, amount), colour in zip(BUDGET, BAR_COLOURS):
        w = round(bw * amount / total)
        d.rectangle((x, y0, x + w, y0 + 46), fill=colour)
        x += w
    d.text((48, y0 + 58), "전체 예산 대비 비율", font=font(20), fill=muted)

    # rows: label, bar, amount, share
    y = 380
    max_amount = max(b[2] for b in BUDGET)
    for (group, item, amount), colour in zip(BUDGET, BAR_COLOURS):
        d.text((48, y), group, font=font(20), fill=muted)
        d.text((48, y + 28), item, font=font(26, "bold"), fill=ink)
        w = round(520 * amount / max_amount)
        d.rectangle((48, y + 72, 48 + w, y + 104), fill=colour)
        share = amount / total * 100
        d.text((48 + w + 16, y + 70), f"{amount:,} ({share:.1f}%)", font=font(26, "bold"), fill=ink)
        y += 124
    d.line((48, y + 6, W - 48, y + 6), fill="#d1d5db", width=2)
    d.text((48, y + 24), "합계 60,000천 원 · 자료: 서울시 청년자치정부 준비 하반기 사업계획(2018.10.)",
           font=font(20), fill=muted)
    d.text((48, y + 56), "유어스 인포그래픽", font=font(20, "bold"), fill="#2d5a8c")
    save_png(img.crop((0, 0, W, y + 100)), out, 48)


# ---------------------------------------------------------------- video
VIDEO_FRAMES = [  # each frame is shown 5 seconds; the .vtt cues follow the same timing
    ("유어스 영상", "서울시 청년자치정부,\n2019년 3월 출범을 준비합니다"),
    ("2018년 9월", "준비단 위촉, 기자설명회,\n열린기획회의로 첫걸음"),
    ("2018년 10월", "세 차례 간담회와\n찾아가는 청년자치정부"),
    ("함께해 주세요", "추진위원회 1,000명, 청년의원 500명과\n함께 만드는 청년자치정부"),
]


def make_video_frame(label: str, text: str, size=(480, 270), scale=1) -> Image.Image:
    W, H = size
    bg, accent, ink = PALETTES["video"]
    img = Image.new("RGB", (W, H), bg)
    d = ImageDraw.Draw(img)
    d.rectangle((0, H - 8 * scale, W, H), fill=accent)
    d.text((28 * scale, 28 * scale), label, font=font(18 * scale, "bold"), fill=accent)
    lines = text.split("\n")
    draw_lines(d, (28 * scale, 86 * scale), lines, font(26 * scale, "bold"), ink, 1.45)
    d.text((28 * scale, H - 40 * scale), "유어스 · 서울시 청년자치정부 준비", font=font(14 * scale), fill="#c9d2dc")
    return img


def make_video(out_mp4: Path, poster: Path) -> list[Path]:
    made = []
    poster_img = make_video_frame(*VIDEO_FRAMES[0], size=(960, 540), scale=2)
    save_jpg(poster_img, poster, 80)
    made.append(poster)
    ffmpeg = shutil.which("ffmpeg")
    if not ffmpeg:
        print("ffmpeg가 없어 영상은 건너뜁니다 (apt-get install -y ffmpeg).", file=sys.stderr)
        return made
    with tempfile.TemporaryDirectory() as tmp:
        for i, (label, text) in enumerate(VIDEO_FRAMES):
            make_video_frame(label, text).save(Path(tmp) / f"f{i}.png")
        out_mp4.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [ffmpeg, "-y", "-loglevel", "error", "-framerate", "1/5", "-i", str(Path(tmp) / "f%d.png"),
             "-c:v", "libx264", "-r", "10", "-pix_fmt", "yuv420p", "-preset", "veryslow", "-crf", "30",
             "-movflags", "+faststart", "-t", "20", str(out_mp4)],
            check=True,
        )
    made.append(out_mp4)
    return made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-video", action="store_true", help="skip the MP4 (no ffmpeg needed)")
    args = parser.parse_args()
    made: list[Path] = []
    made += make_avatars()
    made += make_covers()
    made += make_cardnews()
    info = CONTENT / "images/infographic/2018-10-29-second-half-budget.png"
    make_infographic(info)
    made.append(info)
    if not args.no_video:
        made += make_video(CONTENT / "videos/2018-10-26-youth-government-in-20-seconds.mp4",
                           CONTENT / "images/video/2018-10-26-youth-government-in-20-seconds.jpg")
    total = 0
    for p in made:
        size = p.stat().st_size
        total += size
        print(f"{size / 1024:7.1f} KB  {p.relative_to(ROOT)}")
    print(f"{len(made)} files, {total / 1024 / 1024:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
