"""Text of a new article for `site-builder new`: every field of its kind, commented in Korean."""

from __future__ import annotations

from ..config import KINDS, SiteConfig

COMMON = """\
---
# {kind_name} — 편집자 안내서: docs/editor-guide.ko.md
title: ""                  # 글 제목 (필수)
date: {day}             # 발행일 (필수, 파일 이름의 날짜와 같아야 함). 미래 날짜면 그날부터 공개
summary: ""                # 한두 문장 요약 (필수, 200자 이내). 목록·피드·뉴스레터에 쓰임
authors: []                # 필자 id 목록 (필수, content/authors.yml의 id). 예: [kim-haneul]
tags: []                   # 태그 목록. 예: [청년자치정부, 세대균형]
agenda: []                 # 의제: {agenda}
districts: []              # 자치구. 예: [마포구, 서대문구]
# series: {series_example}        # 코너 (하나): {series}
# cover: images/{kind}/{day}-{slug}.jpg   # 대표 이미지 (content/ 기준 경로)
# cover_alt: ""            # 대표 이미지 대체텍스트 (cover가 있으면 필수)
# license: {license}           # 라이선스 (생략하면 사이트 기본값 {license}): kogl-1~4, cc-by-4.0, cc-by-nd-4.0 ...
draft: true                # 초안: true면 build에서 빠지고 serve에서만 '초안' 표시로 보임
# updated: {day}        # 내용을 고친 날
# slug: {slug}             # 주소를 파일 이름과 다르게 할 때만 (영문 소문자·숫자·하이픈)
# aliases: []              # 예전 주소 목록. 주소를 바꾸면 예전 주소를 여기에 (예: /{kind}/old-slug/)
# id: {day}-{slug}      # 영구 id (보통 쓰지 않음: 처음 파일 이름에서 자동으로 정해짐)
"""

KIND_FIELDS = {
    "interview": """\
interviewees:              # 인터뷰이 (필수)
  - name: ""               # 이름
    affiliation: ""        # 소속
""",
    "meeting": """\
when: "{day} 19:00"     # 모임 일시 (필수)
place: ""                  # 장소 (필수)
host: ""                   # 주최·주관 (필수)
attendees:                 # 참석 (단체 목록과 인원 중 하나 이상)
  organisations: []
  count: 0
agenda_items: []           # 논의한 안건 (필수)
outcomes: []               # 결과·다음 할 일 (필수)
""",
    "cardnews": """\
slides:                    # 카드 순서대로 (필수). alt는 카드마다 달라야 함
  - image: images/cardnews/{slug}-01.png
    alt: ""                # 이 카드에 무엇이 보이는지
    text: ""               # 카드에 적힌 글 전체 ('텍스트로 보기'에 쓰임)
  - image: images/cardnews/{slug}-02.png
    alt: ""
    text: ""
""",
    "video": """\
provider: file             # file(사이트에 올린 영상), youtube, vimeo
src: videos/{slug}.mp4     # provider: file일 때 영상 파일 (content/ 기준)
# video_id: ""             # provider: youtube/vimeo일 때 영상 id
duration: "0:00"           # 길이 (분:초)
captions: videos/{slug}.vtt   # WebVTT 자막 파일 (필수)
poster: images/video/{slug}.jpg  # 미리보기 이미지
poster_alt: ""
""",
    "infographic": """\
image: images/infographic/{slug}.png   # 인포그래픽 이미지 (필수)
image_alt: ""              # 짧은 대체텍스트 (필수). 긴 설명은 본문에
""",
    "column": "",
    "feature": "",
}

BODY = {
    "interview": "\n인터뷰를 소개하는 첫 문단.\n\nQ. 질문을 씁니다.\n\nA. 답을 씁니다.\n",
    "meeting": "\n현장 스케치를 씁니다.\n\n## 오간 이야기\n\n",
    "cardnews": "\n카드뉴스를 소개하는 한두 문단 (카드의 글은 slides에).\n",
    "video": "\n영상의 말과 자막 전체(대본)를 씁니다 (필수). 사이트가 '대본' 제목을 붙입니다.\n",
    "infographic": "\n인포그래픽에 담긴 숫자와 내용 전체를 글로 씁니다 (필수).\n",
    "column": "\n칼럼 본문. 외부 필자의 글에는 의견 고지가 자동으로 붙습니다.\n",
    "feature": "\n기사 본문.\n\n## 소제목\n\n",
}


def new_article_text(config: SiteConfig, kind: str, slug: str, day: str) -> str:
    """Return the text of a new article file of `kind`, dated `day`."""
    values = {
        "kind": kind, "kind_name": KINDS[kind], "slug": slug, "day": day,
        "agenda": ", ".join(t.name for t in config.agenda),
        "series": ", ".join(f"{t.id}({t.name})" for t in config.series),
        "series_example": config.series[0].id if config.series else "series-id",
        "license": config.default_license,
    }
    return (COMMON.format(**values) + KIND_FIELDS[kind].format(**values) + "---\n"
            + BODY[kind].format(**values))
