"""content/syndication.yml: where each article was published besides the site (append-only).

The publisher appends one entry per confirmed post (and `publish done` one per hand-published
kit); the content layer reads the file so article pages show "다른 곳에서 보기" links with
`u-syndication` markup, and the publisher reads it before posting, so a lost database never
causes a repost. The file is part of the repository: a build from a clean clone shows the links.

Format (a YAML sequence; appending text keeps it valid, so nothing is ever rewritten):

    - article: 2018-10-05-youth-union       # the article's stable id
      channel: mastodon
      account: yours
      url: https://social.example/@yours/1234
      date: 2026-12-01T21:03:00+09:00
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import Problem

FILE_NAME = "syndication.yml"

HEADER = (
    "# 다른 곳에 게시한 주소 기록 — site-builder publish가 자동으로 덧붙입니다.\n"
    "# 지우거나 고치지 마세요(이 기록이 있어야 같은 글을 두 번 올리지 않습니다).\n"
    "# 손으로 올린 글은 `site-builder publish done <글 id> <채널> <주소>`로 기록하세요.\n"
)

# How each channel is named to readers on the article page.
CHANNEL_NAMES = {
    "mastodon": "마스토돈", "bluesky": "블루스카이", "facebook": "페이스북", "instagram": "인스타그램",
    "threads": "스레드", "telegram": "텔레그램", "x": "X", "naver_blog": "네이버 블로그",
    "brunch": "브런치", "kakao_channel": "카카오톡 채널",
}


@dataclass(frozen=True)
class SyndicationLink:
    """One place an article was published besides the site."""

    article: str
    channel: str
    account: str
    url: str
    date: str = ""

    @property
    def channel_name(self) -> str:
        """The network's name as readers know it (Korean)."""
        return CHANNEL_NAMES.get(self.channel, self.channel)


def syndication_path(content_dir: Path) -> Path:
    """Return the path of content/syndication.yml."""
    return Path(content_dir) / FILE_NAME


def load_syndication(content_dir: Path) -> tuple[dict[str, tuple[SyndicationLink, ...]], list[Problem]]:
    """Return {article id: links in file order} and the problems found (a missing file is no problem).

    The first entry for an (article, channel, account) wins; later duplicates are ignored."""
    path = syndication_path(content_dir)
    shown = f"{Path(content_dir).name}/{FILE_NAME}"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}, []
    global _last_read
    last = _last_read  # one read of it: another thread may put another file's there meanwhile
    if last is None or last[0] != (str(path), text):
        # a build reads the file twice (the check, the catalog), and parsing it grows with the archive
        last = _last_read = ((str(path), text), _parse(text, shown))
    found, problems = last[1]
    return dict(found), list(problems)


_last_read: tuple | None = None  # ((path, text), what _parse made of it) of the last file read


def _parse(text: str, shown: str) -> tuple[dict[str, tuple[SyndicationLink, ...]], list[Problem]]:
    try:
        nodes = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", 0) + 1
        return {}, [Problem(shown, line, "syndication", "YAML 문법 오류입니다",
                            "마지막에 덧붙인 항목의 들여쓰기를 확인하세요")]
    if nodes is None:
        return {}, []
    if not isinstance(nodes, yaml.SequenceNode):
        return {}, [Problem(shown, nodes.start_mark.line + 1, "syndication", "항목의 목록이어야 합니다",
                            "각 항목을 '- article: ...'로 시작하세요")]
    found: dict[str, list[SyndicationLink]] = {}
    seen: set[tuple[str, str, str]] = set()
    problems: list[Problem] = []
    for node in nodes.value:
        line = node.start_mark.line + 1
        item = yaml.safe_load(yaml.serialize(node)) if isinstance(node, yaml.MappingNode) else None
        if not isinstance(item, dict):
            problems.append(Problem(shown, line, "syndication", "항목이 'article: ...' 형식이 아닙니다",
                                    "article, channel, account, url을 적으세요"))
            continue
        missing = [k for k in ("article", "channel", "url") if not str(item.get(k) or "").strip()]
        if missing:
            problems.append(Problem(shown, line, missing[0], "값이 없습니다", f"{missing[0]}을(를) 적으세요"))
            continue
        url = str(item["url"]).strip()
        if not url.startswith(("https://", "http://")):
            problems.append(Problem(shown, line, "url", f"'{url}'은(는) 주소가 아닙니다",
                                    "https://로 시작하는 게시물 주소를 적으세요"))
            continue
        link = SyndicationLink(str(item["article"]).strip(), str(item["channel"]).strip(),
                               str(item.get("account") or "").strip(), url, str(item.get("date") or ""))
        key = (link.article, link.channel, link.account)
        if key in seen:
            continue
        seen.add(key)
        found.setdefault(link.article, []).append(link)
    return {k: tuple(v) for k, v in found.items()}, problems


def find_link(links: dict[str, tuple[SyndicationLink, ...]], article: str, channel: str,
              account: str) -> SyndicationLink | None:
    """Return the recorded link of (article, channel, account), if any."""
    for link in links.get(article, ()):
        if link.channel == channel and link.account == account:
            return link
    return None


def append_syndication(content_dir: Path, link: SyndicationLink) -> bool:
    """Append one entry (flushed and fsynced) unless the same (article, channel, account) is there; True if written.

    Holds an exclusive lock on the file while it checks and appends, so two runs never write one entry twice."""
    import fcntl

    path = syndication_path(content_dir)
    entry = yaml.safe_dump([{"article": link.article, "channel": link.channel, "account": link.account,
                             "url": link.url, "date": link.date}], allow_unicode=True, sort_keys=False,
                           width=1000)
    with open(path, "a+", encoding="utf-8") as out:
        fcntl.flock(out.fileno(), fcntl.LOCK_EX)
        try:
            existing, _ = load_syndication(content_dir)
            if find_link(existing, link.article, link.channel, link.account):
                return False
            out.seek(0)
            current = out.read()
            if not current:
                out.write(HEADER)
            elif not current.endswith("\n"):
                out.write("\n")
            out.write(entry)
            out.flush()
            os.fsync(out.fileno())
        finally:
            fcntl.flock(out.fileno(), fcntl.LOCK_UN)
    return True
