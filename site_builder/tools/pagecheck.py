"""Checks of a built page that axe-core does not make (KWCAG 2.2 items, research notes section 6).

Each check takes the parsed page and returns readable problems; `page_problems` runs them all.
They read the HTML as built, without a browser: the browser suite covers what needs one."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import lxml.html

from ..textutil import josa
from .templates import is_redirect

VAGUE_LINK_TEXT = {"더보기", "더 보기", "자세히", "자세히 보기", "자세히보기", "여기", "여기를 클릭", "클릭",
                   "click", "here", "more", "read more"}
PRIVACY = re.compile(r"개인정보\s*처리\s*방침")
FOOTER_LINKS = (("개인정보 처리방침", PRIVACY), ("저작권정책", re.compile(r"저작권\s*정책")),
                ("이메일무단수집거부", re.compile(r"이메일\s*무단\s*수집\s*거부")))
IMAGE_FILE = re.compile(r"\.(png|jpe?g|gif|webp|svg|avif)$", re.I)
SKIP_TARGET = "sb-main"


def parse(html: str):
    """The page as an lxml tree."""
    return lxml.html.document_fromstring(html)


def text_of(element) -> str:
    """Visible-ish text of an element (text content plus img alts), whitespace collapsed."""
    parts = [element.text_content()]
    parts += [img.get("alt") or "" for img in element.iter("img")]
    return " ".join(" ".join(parts).split())


def check_lang(doc) -> list[str]:
    lang = doc.get("lang")
    problems = [] if lang == "ko" else [f'<html lang="{lang}">: 페이지 언어는 lang="ko"여야 합니다']
    for el in doc.xpath("//body//*[@lang]"):
        if not re.fullmatch(r"[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*", el.get("lang") or ""):
            problems.append(f'<{el.tag} lang="{el.get("lang")}">: 올바른 언어 코드가 아닙니다')
    return problems


def check_skip_link(doc) -> list[str]:
    links = doc.xpath("//body//a[@href]")
    if not links:
        return ["링크가 하나도 없습니다 (건너뛰기 링크 없음)"]
    first = links[0]
    problems = []
    if first.get("href") != f"#{SKIP_TARGET}":
        problems.append(f"첫 링크가 건너뛰기 링크가 아닙니다: {first.get('href')} '{text_of(first)}'")
    mains = doc.xpath("//main")
    if len(mains) != 1:
        problems.append(f"<main>이 {len(mains)}개입니다 (하나여야 합니다)")
    elif mains[0].get("id") != SKIP_TARGET:
        problems.append(f"건너뛰기 링크의 목적지 {josa('#' + SKIP_TARGET, '가')} <main>이 아닙니다")
    header = doc.xpath("//header")
    if header and first.get("href") == f"#{SKIP_TARGET}" and _after(first, header[0]):
        problems.append("건너뛰기 링크가 머리글(header) 뒤에 있습니다")
    return problems


def _after(a, b) -> bool:
    """True when element a comes after element b in document order."""
    order = {el: i for i, el in enumerate(a.getroottree().iter())}
    return order[a] > order[b]


def check_tables(doc) -> list[str]:
    problems = []
    for index, table in enumerate(doc.xpath("//main//table"), 1):
        caption = table.find("caption")
        if caption is None or not text_of(caption):
            problems.append(f"{index}번째 표에 제목(caption)이 없습니다")
        for th in table.iter("th"):
            if th.get("scope") not in ("col", "row", "colgroup", "rowgroup"):
                problems.append(f"{index}번째 표의 제목 칸 '{text_of(th)[:20]}'에 scope가 없습니다")
    return problems


def check_links(doc) -> list[str]:
    problems = []
    for a in doc.xpath("//a[@href]"):
        text = text_of(a) or (a.get("aria-label") or "")
        if text.strip().lower().strip(".…>→ ") in VAGUE_LINK_TEXT:
            problems.append(f"링크 글자 '{text}'만으로는 어디로 가는지 알 수 없습니다 ({a.get('href')})")
        if a.get("target") == "_blank":
            label = text + " " + (a.get("title") or "") + " " + (a.get("aria-label") or "")
            if "새 창" not in label:
                problems.append(f"새 창으로 열리는 링크에 '새 창' 안내가 없습니다: '{text}' ({a.get('href')})")
    return problems


def check_images(doc) -> list[str]:
    problems = []
    for img in doc.xpath("//img"):
        alt = img.get("alt")
        src = img.get("src") or ""
        if alt is None:
            problems.append(f"이미지에 alt가 없습니다: {src}")
        elif IMAGE_FILE.search(alt.strip()) or re.search(r"(이미지|사진)$", alt.strip()):
            problems.append(f"대체텍스트가 파일 이름이거나 '이미지/사진'으로 끝납니다: '{alt}' ({src})")
    return problems


def check_cardnews(doc) -> list[str]:
    problems = []
    for cards in doc.xpath("//*[@data-sb-cards]"):
        alts = [(img.get("alt") or "").strip() for img in cards.xpath(".//img")]
        if not alts:
            problems.append("카드뉴스에 카드 이미지가 없습니다")
        if any(not alt for alt in alts):
            problems.append("카드뉴스의 카드 중 대체텍스트가 빈 것이 있습니다")
        for alt, count in Counter(alts).items():
            if alt and count > 1:
                problems.append(f"카드뉴스 카드 {count}장의 대체텍스트가 같습니다: '{alt[:40]}'")
        blocks = doc.xpath("//section[contains(@class,'sb-cards-text')]")
        if not blocks or not any("텍스트로 보기" in text_of(h) for h in blocks[0].xpath(".//h2")):
            problems.append("카드뉴스에 '텍스트로 보기' 글이 없습니다")
        elif len(blocks[0].xpath(".//ol/li[normalize-space()]")) != len(alts):
            problems.append(f"'텍스트로 보기'의 항목 수가 카드 수({len(alts)})와 다릅니다")
    return problems


def check_video(doc) -> list[str]:
    problems = []
    titles = Counter()
    for frame in doc.xpath("//iframe"):
        title = (frame.get("title") or "").strip()
        if not title:
            problems.append(f"iframe에 title이 없습니다: {frame.get('src')}")
        titles[title] += 1
        if re.search(r"autoplay=(1|true)", frame.get("src") or "") or "autoplay" in (frame.get("allow") or ""):
            problems.append(f"iframe 영상이 자동 재생됩니다: {frame.get('src')}")
    problems += [f"iframe {n}개의 title이 같습니다: '{t}'" for t, n in titles.items() if t and n > 1]
    for video in doc.xpath("//video"):
        if video.get("autoplay") is not None:
            problems.append("영상이 자동 재생됩니다 (autoplay)")
        if not video.xpath(".//track[@kind='captions' or @kind='subtitles']"):
            problems.append("영상에 자막 트랙이 없습니다")
    has_video = doc.xpath("//video or //iframe or //*[@data-sb-embed]")
    if has_video and not any("대본" in text_of(h) for h in doc.xpath("//main//h2")):
        problems.append("영상이 있는 페이지에 '대본' 제목이 없습니다")
    return problems


def check_headings(doc) -> list[str]:
    problems = []
    h1 = doc.xpath("//h1")
    if len(h1) != 1:
        problems.append(f"h1이 {len(h1)}개입니다 (하나여야 합니다)")
    previous = 0
    for heading in doc.xpath("//h1|//h2|//h3|//h4|//h5|//h6"):
        level = int(heading.tag[1])
        if level > previous + 1:
            problems.append(f"제목 단계를 건너뛰었습니다: h{previous} 다음에 h{level} '{text_of(heading)[:30]}'")
        if not text_of(heading):
            problems.append(f"빈 제목 {josa(f'h{level}', '가')} 있습니다")
        previous = level
    return problems


def check_footer(doc) -> list[str]:
    footers = doc.xpath("//footer[contains(@class,'sb-footer')]")
    if not footers:
        return ["사이트 바닥글(sb-footer)이 없습니다"]
    links = footers[0].xpath(".//a[@href]")
    problems = []
    for name, pattern in FOOTER_LINKS:
        found = [a for a in links if pattern.fullmatch(text_of(a))]
        if not found:
            problems.append(f"바닥글에 '{name}' 링크가 없습니다")
        elif pattern is PRIVACY and "sb-footer__privacy" not in (found[0].get("class") or ""):
            problems.append("바닥글의 '개인정보 처리방침' 링크가 다른 링크와 구별되지 않습니다 (sb-footer__privacy)")
    return problems


def check_ids(doc) -> list[str]:
    counts = Counter(el.get("id") for el in doc.xpath("//*[@id]"))
    return [f"id '{i}'가 {n}번 쓰였습니다" for i, n in counts.items() if n > 1]


def check_tabindex(doc) -> list[str]:
    problems = []
    for el in doc.xpath("//*[@tabindex]"):
        value = (el.get("tabindex") or "").strip()
        if re.fullmatch(r"\d+", value) and int(value) > 0:
            problems.append(f"<{el.tag}>의 tabindex가 {value}입니다 (0보다 크면 안 됩니다)")
    return problems


def check_title(doc) -> list[str]:
    title = doc.findtext(".//title") or ""
    if not title.strip():
        return ["<title>이 비어 있습니다"]
    if " | " not in title and " — " not in title:
        return [f"<title> '{title}'이 '페이지명 | 사이트명' 꼴이 아닙니다"]
    return []


CHECKS = (check_lang, check_title, check_skip_link, check_headings, check_tables, check_links, check_images,
          check_cardnews, check_video, check_footer, check_ids, check_tabindex)
REDIRECT_CHECKS = (check_lang, check_ids, check_links)


def page_problems(html: str) -> list[str]:
    """Every problem the static checks find in one built page."""
    doc = parse(html)
    checks = REDIRECT_CHECKS if is_redirect(html) else CHECKS
    return [problem for check in checks for problem in check(doc)]


def title_of(html: str) -> str:
    """The page's <title> text."""
    return (parse(html).findtext(".//title") or "").strip()


def site_problems(site_dir: Path) -> dict[str, list[str]]:
    """Problems per page (path relative to the site) for every HTML page, plus duplicate titles."""
    site = Path(site_dir)
    found: dict[str, list[str]] = {}
    titles: dict[str, list[str]] = {}
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        html = path.read_text(encoding="utf-8")
        problems = page_problems(html)
        if problems:
            found[rel] = problems
        if not is_redirect(html):
            titles.setdefault(title_of(html), []).append(rel)
    for title, pages in titles.items():
        if len(pages) > 1:
            for rel in pages:
                found.setdefault(rel, []).append(f"제목 '{title}'이 {len(pages)}개 페이지에서 같습니다: {', '.join(pages[:5])}")
    return found
