"""What the three hand-published channels share: paste-ready simple HTML, numbered images, counting.

Naver Blog (no write API since May 2020), Brunch (no public API) and the Kakao Talk Channel's 소식
(no API) are `kind = "manual"`: `render` and `validate` are real and pure, the core never calls
`publish` for them (it marks their ledger rows `manual_pending` and the site shows a kit), and an
editor records the published address with `site-builder publish done <article> <channel> <url>`.

The paste-ready HTML holds only h2, p, strong, ul (li), blockquote and a: what SmartEditor ONE
and Brunch's editor keep when HTML is pasted. Images cannot be pasted with it (both editors upload
from disk), so each image becomes a `[이미지 03]` placeholder numbered like the kit's image files.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from html import escape
from typing import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import lxml.html

from ..channel import Draft, DraftProblem, MediaItem, Permanent, Post, PublishContext, Receipt

ALLOWED_TAGS = frozenset({"h2", "p", "strong", "ul", "li", "blockquote", "a"})


# --- counting and cutting (the publisher's text module counts per network; these two are all kits need)

def utf16_length(text: str) -> int:
    """Length as JavaScript (and so most web editors' counters) count it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def _joins_previous(char: str) -> bool:
    """True for a character that belongs to the grapheme before it (approximation of UAX #29)."""
    code = ord(char)
    return (unicodedata.combining(char) != 0 or code == 0x200D or 0xFE00 <= code <= 0xFE0F
            or 0x1F3FB <= code <= 0x1F3FF or 0xE0020 <= code <= 0xE007F or 0x1160 <= code <= 0x11FF
            or unicodedata.category(char) in ("Mn", "Me", "Mc"))


def cut(text: str, limit: int, *, ellipsis: str = "…") -> str:
    """The text, or its longest start of whole graphemes within `limit` UTF-16 units plus an ellipsis."""
    if utf16_length(text) <= limit:
        return text
    budget = limit - utf16_length(ellipsis)
    end = 0
    used = 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > budget:
            end = index
            break
    # never split a grapheme: step back over joiners, modifiers and the character they attach to
    while end > 0 and (_joins_previous(text[end]) or text[end - 1] == "\u200d"):
        end -= 1
    return text[:end].rstrip() + ellipsis


def with_utm(url: str, source: str, campaign: str, medium: str = "social") -> str:
    """The URL with utm_source/utm_medium/utm_campaign set (other query parameters kept)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not k.startswith("utm_")]
    query += [("utm_source", source), ("utm_medium", medium), ("utm_campaign", campaign)]
    return urlunsplit(parts._replace(query=urlencode(query)))


def hashtags(tags: Iterable[str], limit: int = 30) -> tuple[str, ...]:
    """'#태그' for each tag (spaces and punctuation but '_' removed), without repeats, at most `limit`."""
    seen: list[str] = []
    for tag in tags:
        word = "".join(c for c in tag if c.isalnum() or c == "_")
        if word and f"#{word}" not in seen:
            seen.append(f"#{word}")
    return tuple(seen[:limit])


# --- numbered images

def number_label(number: int) -> str:
    return f"[이미지 {number:02d}]"


def numbered_media(post: Post) -> tuple[MediaItem, ...]:
    """The post's images in kit order: the post's own media (lead image or every slide), then images
    of the body the post's media does not hold yet (when the core's Post does not list them)."""
    found = list(post.media)
    urls = {m.public_url for m in found}
    if post.body_html:
        root = lxml.html.fragment_fromstring(post.body_html, create_parent="div")
        for img in root.iter("img"):
            src = img.get("src") or ""
            if src and src not in urls:
                found.append(MediaItem(path="", public_url=src, alt=img.get("alt") or ""))
                urls.add(src)
    return tuple(found)


# --- simple HTML: blocks of inline pieces, written as HTML and as plain text

@dataclass(frozen=True)
class Inline:
    kind: str                      # text | strong | a | image
    text: str = ""
    href: str = ""
    children: tuple["Inline", ...] = ()


@dataclass(frozen=True)
class Block:
    kind: str                      # h2 | p | ul | blockquote
    inlines: tuple[Inline, ...] = ()
    items: tuple[tuple[Inline, ...], ...] = ()   # ul
    blocks: tuple["Block", ...] = ()             # blockquote


class _Converter:
    """Turns sanitized article HTML into simple blocks; images become numbered placeholders."""

    def __init__(self, numbers: dict[str, int]):
        self.numbers = numbers

    def image(self, img) -> Inline:
        number = self.numbers.get(img.get("src") or "")
        return Inline("image", number_label(number) if number else "[이미지]")

    def inline(self, el, *, with_tail: bool = False) -> list[Inline]:
        pieces: list[Inline] = []
        if el.text:
            pieces.append(Inline("text", el.text))
        for child in el:
            if not isinstance(child.tag, str) or child.tag in ("script", "style", "template"):
                pass  # comments, and text no reader sees
            elif child.tag in ("strong", "b"):
                pieces.append(Inline("strong", children=tuple(self.inline(child))))
            elif child.tag == "a":
                href = child.get("href") or ""
                inner = tuple(self.inline(child))
                if href.startswith(("http://", "https://", "mailto:")):
                    pieces.append(Inline("a", href=href, children=inner))
                else:
                    pieces.extend(inner)
            elif child.tag == "img":
                pieces.append(self.image(child))
            elif child.tag == "br":
                pieces.append(Inline("text", " "))
            else:
                pieces.extend(self.inline(child))
            if child.tail:
                pieces.append(Inline("text", child.tail))
        if with_tail and el.tail:
            pieces.append(Inline("text", el.tail))
        return _squeeze(pieces)

    def paragraph_blocks(self, el) -> list[Block]:
        """A paragraph; images inside it become paragraphs of their own (placeholders stand alone)."""
        blocks: list[Block] = []
        current: list[Inline] = []
        for piece in self.inline(el):
            if piece.kind == "image":
                if _has_text(current):
                    blocks.append(Block("p", tuple(_squeeze(current))))
                current = []
                blocks.append(Block("p", (piece,)))
            else:
                current.append(piece)
        if _has_text(current):
            blocks.append(Block("p", tuple(_squeeze(current))))
        return blocks

    def blocks(self, container) -> list[Block]:
        out: list[Block] = []
        if container.text and container.text.strip():
            out.append(Block("p", (Inline("text", container.text.strip()),)))
        for el in container:
            if isinstance(el.tag, str):
                out.extend(self.block(el))
            if el.tail and el.tail.strip():
                out.append(Block("p", (Inline("text", el.tail.strip()),)))
        return out

    def block(self, el) -> list[Block]:
        tag = el.tag
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            pieces = [p for p in self.inline(el) if p.kind != "image"]
            return [Block("h2", tuple(pieces))] if _has_text(pieces) else []
        if tag == "p":
            return self.paragraph_blocks(el)
        if tag in ("ul", "ol"):
            items = []
            for number, li in enumerate((c for c in el if c.tag == "li"), start=1):
                pieces = self.inline(li)
                if tag == "ol":
                    pieces = [Inline("text", f"{number}. "), *pieces]
                items.append(tuple(_squeeze(pieces)))
            return [Block("ul", items=tuple(items))] if items else []
        if tag == "blockquote":
            inner = self.blocks(el)
            return [Block("blockquote", blocks=tuple(inner))] if inner else []
        if tag == "img":
            return [Block("p", (self.image(el),))]
        if tag == "figure":
            out = [Block("p", (self.image(img),)) for img in el.iter("img")]
            for caption in el.iter("figcaption"):
                pieces = self.inline(caption)
                if _has_text(pieces):
                    out.append(Block("p", tuple(pieces)))
            return out
        if tag == "table":
            rows = []
            for tr in el.iter("tr"):
                cells = [" ".join(c.text_content().split()) for c in tr if c.tag in ("td", "th")]
                if any(cells):
                    rows.append(Block("p", (Inline("text", " · ".join(cells)),)))
            return rows
        if tag == "pre":
            text = el.text_content().strip()
            return [Block("p", (Inline("text", line),)) for line in text.splitlines() if line.strip()]
        if tag in ("hr", "script", "style", "iframe", "video", "audio", "source", "track"):
            return []
        if tag == "dl":
            return [Block("p", tuple(self.inline(c))) for c in el if c.tag in ("dt", "dd") and c.text_content().strip()]
        return self.blocks(el)  # div, section, details, ...


def _has_text(pieces: Iterable[Inline]) -> bool:
    return any(p.kind != "text" or p.text.strip() for p in pieces)


def _squeeze(pieces: list[Inline]) -> list[Inline]:
    """Join neighbouring text pieces and collapse runs of whitespace (HTML rendering does the same)."""
    out: list[Inline] = []
    for piece in pieces:
        if piece.kind == "text":
            text = " ".join(piece.text.split()) if piece.text.strip() else " "
            if piece.text[:1].isspace() and piece.text.strip():
                text = " " + text
            if piece.text[-1:].isspace() and piece.text.strip():
                text = text + " "
            if out and out[-1].kind == "text":
                merged = out[-1].text + text
                out[-1] = Inline("text", merged.replace("  ", " "))
                continue
            out.append(Inline("text", text))
        else:
            out.append(piece)
    if out and out[0].kind == "text":
        out[0] = Inline("text", out[0].text.lstrip())
    if out and out[-1].kind == "text":
        out[-1] = Inline("text", out[-1].text.rstrip())
    return [p for p in out if p.kind != "text" or p.text]


def inline_html(pieces: Iterable[Inline]) -> str:
    parts = []
    for p in pieces:
        if p.kind == "text" or p.kind == "image":
            parts.append(escape(p.text, quote=False))
        elif p.kind == "strong":
            parts.append(f"<strong>{inline_html(p.children)}</strong>")
        elif p.kind == "a":
            parts.append(f'<a href="{escape(p.href)}">{inline_html(p.children)}</a>')
    return "".join(parts)


def inline_text(pieces: Iterable[Inline]) -> str:
    parts = []
    for p in pieces:
        if p.kind in ("text", "image"):
            parts.append(p.text)
        elif p.kind == "strong":
            parts.append(inline_text(p.children))
        elif p.kind == "a":
            label = inline_text(p.children)
            parts.append(label if label == p.href or p.href.startswith("mailto:") else f"{label}({p.href})")
    return "".join(parts)


def blocks_html(blocks: Iterable[Block]) -> str:
    out = []
    for b in blocks:
        if b.kind in ("h2", "p"):
            out.append(f"<{b.kind}>{inline_html(b.inlines)}</{b.kind}>")
        elif b.kind == "ul":
            out.append("<ul>" + "".join(f"<li>{inline_html(i)}</li>" for i in b.items) + "</ul>")
        elif b.kind == "blockquote":
            out.append(f"<blockquote>{blocks_html(b.blocks)}</blockquote>")
    return "\n".join(out)


def blocks_text(blocks: Iterable[Block], prefix: str = "") -> str:
    out = []
    for b in blocks:
        if b.kind in ("h2", "p"):
            out.append(prefix + inline_text(b.inlines))
        elif b.kind == "ul":
            out.append("\n".join(f"{prefix}• {inline_text(i)}" for i in b.items))
        elif b.kind == "blockquote":
            out.append(blocks_text(b.blocks, prefix + "> "))
    return "\n\n".join(out)


def body_blocks(post: Post, media: tuple[MediaItem, ...]) -> list[Block]:
    """The post's body as simple blocks (placeholders numbered by position in `media`)."""
    if not post.body_html.strip():
        return []
    numbers = {m.public_url: n for n, m in enumerate(media, start=1)}
    root = lxml.html.fragment_fromstring(post.body_html, create_parent="div")
    return _Converter(numbers).blocks(root)


def paste_blocks(post: Post, link: str, site_name: str) -> tuple[list[Block], tuple[MediaItem, ...]]:
    """The whole paste-ready article: the lead image (or every card of card news with its text),
    the summary, the body, and where the original is; plus the numbered images it refers to."""
    media = numbered_media(post)
    blocks: list[Block] = []
    body = body_blocks(post, media)
    in_body = {p.text for b in body for p in b.inlines if p.kind == "image"}
    for number in range(1, len(post.media) + 1):  # lead image, or every card of card news, first
        label = number_label(number)
        if label not in in_body:
            blocks.append(Block("p", (Inline("image", label),)))
    if post.summary:
        blocks.append(Block("p", (Inline("strong", children=(Inline("text", post.summary),)),)))
    blocks.extend(body)
    blocks.append(Block("p", (Inline("text", "원문: "), Inline("a", href=link, children=(Inline("text", post.title),)),
                              Inline("text", f" — {site_name}"))))
    return blocks, media


def check_simple_html(html: str) -> list[DraftProblem]:
    """Every tag outside the simple set, and every link that is not absolute."""
    problems = []
    root = lxml.html.fragment_fromstring(html or "<p></p>", create_parent="div")
    bad = sorted({el.tag for el in root.iter() if isinstance(el.tag, str) and el.tag not in ALLOWED_TAGS | {"div"}})
    if bad:
        problems.append(DraftProblem("html", f"붙여 넣을 HTML에 쓸 수 없는 태그가 있습니다: {', '.join(bad)}",
                                     "h2, p, strong, ul, blockquote, a만 씁니다"))
    for a in root.iter("a"):
        if not (a.get("href") or "").startswith(("https://", "http://", "mailto:")):
            problems.append(DraftProblem("html", f"링크 주소가 절대 주소가 아닙니다: {a.get('href')!r}",
                                         "https://로 시작하는 주소로 씁니다"))
    return problems


def check_media(media: Iterable[MediaItem], limit: int) -> list[DraftProblem]:
    problems = []
    items = list(media)
    for number, item in enumerate(items, start=1):
        if not item.alt.strip():
            problems.append(DraftProblem(f"media[{number}]", f"{number_label(number)}에 대체 텍스트가 없습니다",
                                         "본문의 이미지에 alt(또는 cover_alt, slides의 alt)를 씁니다"))
    if len(items) > limit:
        problems.append(DraftProblem("media", f"이미지가 {len(items)}장으로 {limit}장을 넘습니다",
                                     f"앞의 {limit}장만 올리거나 글을 나눕니다"))
    return problems


class ManualChannel:
    """Base of the hand-published channels: pure render/validate; nothing to post, nothing to check."""

    name = ""
    label = ""               # Korean name shown to editors
    kind = "manual"
    image_width = 0          # px: images are scaled down to this width (never up)
    max_images = 50
    title_limit = 100
    utm_medium = "social"

    def link(self, post: Post, options: dict) -> str:
        """The article URL with this channel's UTM; options["utm"] (from mkdocs.yml) may set
        source/medium/campaign, spelled with or without the `utm_` prefix; the campaign defaults to the post id."""
        utm = options.get("utm") if isinstance(options.get("utm"), dict) else {}

        def pick(key: str, default: str) -> str:
            return str(utm.get(f"utm_{key}") or utm.get(key) or default)

        return with_utm(post.url, pick("source", self.name), pick("campaign", post.id), pick("medium", self.utm_medium))

    def render(self, post: Post, account: str, options: dict) -> Draft:
        """The draft: plain text in `text`, the paste-ready HTML and the title in `extra`."""
        link = self.link(post, options)
        site_name = options.get("site_name", "")
        override = post.overrides.get(self.name)
        if override:
            blocks = [Block("p", (Inline("text", para.strip()),)) for para in override.split("\n\n") if para.strip()]
            blocks.append(Block("p", (Inline("text", "원문: "), Inline("a", href=link, children=(Inline("text", post.title),)),)))
            media = numbered_media(post)
        else:
            blocks, media = paste_blocks(post, link, site_name)
        return Draft(channel=self.name, account=account, post_id=post.id, text=blocks_text(blocks), link=link,
                     media=media, hashtags=hashtags(post.tags),
                     extra={"html": blocks_html(blocks), "title": post.title, "label": self.label})

    def validate(self, draft: Draft) -> list[DraftProblem]:
        """Simple tags only, absolute links, a title within the editor's limit, alt text for every image."""
        problems = check_simple_html(draft.extra.get("html", ""))
        title = draft.extra.get("title", "")
        if not title.strip():
            problems.append(DraftProblem("title", "제목이 비어 있습니다", "글의 title을 씁니다"))
        elif utf16_length(title) > self.title_limit:
            problems.append(DraftProblem("title", f"제목이 {utf16_length(title)}자로 {self.label}의 {self.title_limit}자를 넘습니다",
                                         "키트에서 제목을 줄여 붙여 넣습니다"))
        if draft.link not in draft.extra.get("html", "") and draft.link not in draft.text:
            problems.append(DraftProblem("link", "원문 링크가 빠졌습니다", "원문 링크 문단을 지우지 않습니다"))
        return problems + check_media(draft.media, self.max_images)

    def publish(self, draft: Draft, ctx: PublishContext) -> Receipt:
        """Never called by the core for a manual channel; if it is, refuse for good instead of pretending."""
        raise Permanent(f"{self.label}은(는) 손으로 올리는 채널입니다: 발행 키트를 보고 올린 뒤 "
                        f"`site-builder publish done {draft.post_id} {self.name} <주소>`로 기록합니다")

    def reconcile(self, draft: Draft, ctx: PublishContext) -> Receipt | None:
        """Nothing was sent by the publisher, so nothing can have landed."""
        return None

    def check_credentials(self, ctx: PublishContext) -> str:
        return f"{self.label}: 수동 채널 — 확인할 자격 증명이 없습니다 (발행 키트를 보고 직접 올립니다)"
