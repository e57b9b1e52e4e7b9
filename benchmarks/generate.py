"""Write a synthetic project of N Korean articles in the editors' format (for benchmarks).

    python benchmarks/generate.py --articles 1000 --out benchmarks/out/site-1000
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

from PIL import Image

REPO = Path(__file__).resolve().parent.parent
WORDS = ("청년 자치 정부 서울 시민 참여 예산 의회 간담회 정책 제안 세대 균형 미래 일자리 주거 환경 안전 "
         "문화 교통 복지 경제 행정 토론 숙의 공론장 네트워크 혁신 프로젝트 캠페인 위원회 자문단 준비단 "
         "기록 아카이브 뉴스레터 의견 수렴 현장 자치구 마을 공동체 노동 권익 기후 변화 미세먼지 이동권").split()
ENDINGS = ["이다.", "했다.", "한다.", "였다.", "을 논의했다.", "를 제안했다.", "에 모였다.", "을 기록한다."]
KINDS = ["feature", "column", "interview", "meeting", "cardnews", "video", "infographic"]
WEIGHTS = [30, 20, 15, 20, 8, 3, 4]
AGENDA = ["복지", "경제", "여성가족", "안전", "주택도시계획", "환경", "문화관광", "건강", "교통", "세금재정", "행정"]
DISTRICTS = ["종로구", "중구", "용산구", "성동구", "마포구", "서대문구", "은평구", "강남구", "송파구", "관악구"]
SERIES = ["prep-diary", "open-table", "generation-balance", "policy-explained", "citizen-proposal", "n-conference"]
TAGS = [f"{a}{b}" for a in ("청년", "서울", "시민", "미래", "세대") for b in ("정책", "참여", "예산", "의회", "공론장",
                                                                   "일자리", "주거", "기록", "캠페인", "자치")]


def sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 12))) + rng.choice(ENDINGS)


def body(rng: random.Random, chars: int) -> str:
    parts, size = [], 0
    while size < chars:
        para = " ".join(sentence(rng) for _ in range(rng.randint(3, 6)))
        if rng.random() < 0.15:
            parts.append(f"## {rng.choice(WORDS)} {rng.choice(WORDS)}")
        parts.append(para)
        size += len(para)
    return "\n\n".join(parts) + "\n"


def generate(target: Path, count: int, seed: int = 2018) -> None:
    rng = random.Random(seed)
    if target.exists():
        shutil.rmtree(target)
    content = target / "content"
    (content / "images").mkdir(parents=True)
    (content / "videos").mkdir()
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "custom_dir: themes", f"custom_dir: {REPO / 'themes'}")
    (target / "mkdocs.yml").write_text(config, encoding="utf-8")
    shutil.copytree(REPO / "content" / "pages", content / "pages")
    for i in range(8):
        Image.new("RGB", (240, 126), (20 * i, 90, 110)).save(content / "images" / f"cover-{i}.png")
        Image.new("RGB", (120, 120), (90, 20 * i, 110)).save(content / "images" / f"slide-{i}.png")
    (content / "videos" / "clip.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42")
    (content / "videos" / "clip.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:02.000\n안녕하세요.\n", encoding="utf-8")
    authors = [f"author-{i:02d}" for i in range(12)]
    (content / "authors.yml").write_text("".join(
        f"- id: {a}\n  name: 필자{i}\n  affiliation: 유어스\n  external: {str(i % 4 == 0).lower()}\n  bio: 필자 소개 {i}.\n"
        for i, a in enumerate(authors)), encoding="utf-8")
    for kind in KINDS:
        (content / kind).mkdir()
    for n in range(count):
        kind = rng.choices(KINDS, WEIGHTS)[0]
        day = f"{2016 + n * 3 // 1000 % 3}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        slug = f"article-{n:05d}"
        lines = ["---", f"title: {sentence(rng)[:40]}", f"date: {day}", f"summary: {sentence(rng)}",
                 f"authors: [{rng.choice(authors)}]",
                 f"tags: [{', '.join(rng.sample(TAGS, 3))}]", f"agenda: [{rng.choice(AGENDA)}]",
                 f"districts: [{rng.choice(DISTRICTS)}]", f"series: {rng.choice(SERIES)}"]
        if int(lines[4].split("-")[-1].rstrip("]")) % 4 == 0:  # an outside contributor: their licence
            lines.append("license: cc-by-nd-4.0")
        if rng.random() < 0.4:
            lines += [f"cover: images/cover-{rng.randrange(8)}.png", f"cover_alt: {sentence(rng)[:30]}"]
        if kind == "interview":
            lines += ["interviewees:", "  - name: 가상인", "    affiliation: 청년단체"]
        elif kind == "meeting":
            lines += [f'when: "{day} 19:00"', "place: 시민청", "host: 준비단", "attendees: {count: 20}",
                      "agenda_items: [운영 방식]", "outcomes: [다음 모임]"]
        elif kind == "cardnews":
            lines.append("slides:")
            for s in range(5):
                lines += [f"  - image: images/slide-{s}.png", f"    alt: {s + 1}번째 카드, {sentence(rng)[:20]}",
                          f"    text: {sentence(rng)}"]
        elif kind == "video":
            lines += ["provider: file", "src: videos/clip.mp4", 'duration: "0:02"', "captions: videos/clip.vtt"]
        elif kind == "infographic":
            lines += [f"image: images/cover-{rng.randrange(8)}.png", "image_alt: 예산 막대그래프"]
        lines.append("---")
        text = "\n".join(lines) + "\n\n" + body(rng, rng.randint(1200, 2500))
        (content / kind / f"{day}-{slug}.md").write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    out = args.out or REPO / "benchmarks" / "out" / f"site-{args.articles}"
    generate(out, args.articles)
    print(out)


if __name__ == "__main__":
    main()
